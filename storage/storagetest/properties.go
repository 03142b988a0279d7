package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
)

// testProperties runs random sequences of ledger commands against the store
// and a plain in-memory model, checking after every step that:
// every stored entry balances per currency; the balances of each currency sum
// to zero; every balance (current and as of a date) equals the model's; a
// replay with the same key changes nothing; a rejected command changes no row.
// ERPKIT_SEED replays a failing run; the seed is printed on failure.
func testProperties(t *testing.T, h Harness) {
	seed := PropertySeed(t)
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 200
	if h.Short {
		params.MinSuccessfulTests = 25
	}
	params.MaxShrinkCount = 20
	props := gopter.NewProperties(params)
	step := gen.SliceOfN(7, gen.IntRange(0, 1<<20))
	props.Property("ledger matches model", prop.ForAll(func(steps [][]int) string {
		return runSequence(h, steps)
	}, gen.SliceOfN(12, step)))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}

// model is the in-memory ledger the store is checked against.
type model struct {
	accounts map[string]*modelAccount
	entries  []modelEntry
	byKey    map[string]int // index into entries
	reversed map[int]bool
}

type modelAccount struct {
	typ     ledger.AccountType
	blocked bool
	usdOnly bool
}

type modelEntry struct {
	e  ledger.Entry
	id uuid.UUID
}

var (
	propCodes      = []string{"A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7"}
	propCurrencies = []string{"BDT", "USD", "JPY"}
	propTypes      = []ledger.AccountType{ledger.Asset, ledger.Liability, ledger.Equity, ledger.Revenue, ledger.Expense}
)

func runSequence(h Harness, steps [][]int) string {
	ctx := context.Background()
	tn := tenant(nil)
	gl := ledger.New(h.Store, ledger.Config{})
	m := &model{accounts: map[string]*modelAccount{}, byKey: map[string]int{}, reversed: map[int]bool{}}
	// Two accounts exist from the start so that postings can succeed early.
	for _, c := range propCodes[:2] {
		if _, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: c, Name: c, Type: ledger.Asset}); err != nil {
			return err.Error()
		}
		m.accounts[c] = &modelAccount{typ: ledger.Asset}
	}
	var last ledger.Entry
	for i, v := range steps {
		before, err := h.Rows(ctx, tn)
		if err != nil {
			return err.Error()
		}
		ok, desc, err := m.apply(ctx, gl, tn, v, &last)
		if desc == "" {
			desc = fmt.Sprint(v)
		}
		if err != nil {
			return fmt.Sprintf("step %d (%s): %v", i, desc, err)
		}
		if !ok {
			after, err := h.Rows(ctx, tn)
			if err != nil {
				return err.Error()
			}
			if fmt.Sprint(before) != fmt.Sprint(after) {
				return fmt.Sprintf("step %d (%s): rejected command changed rows %v -> %v", i, desc, before, after)
			}
		}
		if msg := m.check(ctx, gl, tn, v[6]); msg != "" {
			return fmt.Sprintf("after step %d (%s): %s", i, desc, msg)
		}
	}
	return ""
}

func (m *model) randomEntry(v []int) ledger.Entry {
	n := 2 + v[1]%3
	cur := propCurrencies[v[2]%len(propCurrencies)]
	e := ledger.Entry{Date: ledger.NewDate(2026, time.Month(1+v[3]%12), 1+v[4]%28), Description: fmt.Sprint("d", v[5]%3)}
	// n-1 debits of varying amounts, one balancing credit.
	total := decimal.Zero
	for j := 0; j < n-1; j++ {
		amt := decimal.New(int64(1+(v[1+j]*31+j)%100000), -2)
		if cur == "JPY" {
			amt = amt.Shift(2)
		}
		total = total.Add(amt)
		e.Lines = append(e.Lines, ledger.DebitLine(propCodes[(v[2+j]+j)%len(propCodes)], amt, cur))
	}
	e.Lines = append(e.Lines, ledger.CreditLine(propCodes[v[5]%len(propCodes)], total, cur))
	if v[6]%3 == 0 {
		e.IdempotencyKey = fmt.Sprint("k", v[6]%5)
	}
	return e
}

// expect returns nil when posting e should succeed given the model's state,
// or the errors one of which it must fail with.
func (m *model) expect(e ledger.Entry, pending map[string]ledger.Entry) (replay bool, want []error) {
	if e.IdempotencyKey != "" {
		if idx, ok := m.byKey[e.IdempotencyKey]; ok {
			if sameEntry(m.entries[idx].e, e) {
				return true, nil
			}
			return false, []error{ledger.ErrIdempotencyConflict}
		}
		if p, ok := pending[e.IdempotencyKey]; ok {
			if sameEntry(p, e) {
				return true, nil
			}
			return false, []error{ledger.ErrIdempotencyConflict}
		}
	}
	for _, l := range e.Lines {
		a, ok := m.accounts[l.Account]
		switch {
		case !ok:
			return false, []error{ledger.ErrAccountNotFound}
		case a.blocked:
			return false, []error{ledger.ErrAccountBlocked}
		case a.usdOnly && l.Currency != "USD":
			return false, []error{ledger.ErrCurrencyNotAllowed}
		}
	}
	return false, nil
}

func sameEntry(a, b ledger.Entry) bool {
	if a.Date != b.Date || a.Description != b.Description || len(a.Lines) != len(b.Lines) {
		return false
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.Account != y.Account || x.Side != y.Side || !x.Amount.Equal(y.Amount) || x.Currency != y.Currency {
			return false
		}
	}
	return true
}

func isAny(err error, want []error) bool {
	for _, w := range want {
		if errors.Is(err, w) {
			return true
		}
	}
	return false
}

// apply runs one command on the store and the model. ok reports whether the
// store accepted it; err reports a disagreement with the model.
func (m *model) apply(ctx context.Context, gl *ledger.Ledger, tn string, v []int, last *ledger.Entry) (ok bool, desc string, err error) {
	switch kind := v[0] % 12; {
	case kind == 0: // create account
		code := propCodes[v[1]%len(propCodes)]
		a := ledger.Account{Code: code, Name: code, Type: propTypes[v[2]%len(propTypes)]}
		if v[3]%4 == 0 {
			a.Currencies = []string{"USD"}
		}
		_, err := gl.CreateAccount(ctx, tn, a)
		desc = "create " + code
		if _, exists := m.accounts[code]; exists {
			if !errors.Is(err, ledger.ErrAccountExists) {
				return false, desc, fmt.Errorf("want ErrAccountExists, got %v", err)
			}
			return false, desc, nil
		}
		if err != nil {
			return false, desc, err
		}
		m.accounts[code] = &modelAccount{typ: a.Type, usdOnly: len(a.Currencies) > 0}
		return true, desc, nil
	case kind <= 4: // post
		e := m.randomEntry(v)
		*last = e
		return m.post(ctx, gl, tn, e)
	case kind == 5: // invalid entry: unbalanced, too many decimals or one line
		e := m.randomEntry(v)
		var want error
		switch v[3] % 3 {
		case 0:
			e.Lines[0].Amount = e.Lines[0].Amount.Add(decimal.New(1, 0))
			want = ledger.ErrUnbalanced
		case 1:
			e.Lines[0].Amount = e.Lines[0].Amount.Add(decimal.New(1, -3))
			e.Lines[len(e.Lines)-1].Amount = e.Lines[len(e.Lines)-1].Amount.Add(decimal.New(1, -3))
			want = ledger.ErrTooManyDecimals
		default:
			e.Lines = e.Lines[:1]
			want = ledger.ErrInvalidEntry
		}
		_, err := gl.Post(ctx, tn, e)
		if !errors.Is(err, want) {
			return false, "invalid " + e.String(), fmt.Errorf("want %v, got %v", want, err)
		}
		return false, "invalid", nil
	case kind == 6: // batch
		n := 1 + v[1]%4
		var es []ledger.Entry
		pending := map[string]ledger.Entry{}
		var want []error
		var replays []bool
		for j := range n {
			w := append([]int(nil), v...)
			for k := range w {
				w[k] = (w[k]*(j+3) + j*17 + k) % (1 << 20)
			}
			w[6] = v[6] + j
			e := m.randomEntry(w)
			replay, errs := m.expect(e, pending)
			replays = append(replays, replay)
			want = append(want, errs...)
			if !replay && errs == nil && e.IdempotencyKey != "" {
				pending[e.IdempotencyKey] = e
			}
			es = append(es, e)
		}
		out, err := gl.PostBatch(ctx, tn, es)
		desc = fmt.Sprintf("batch of %d", n)
		if len(want) > 0 {
			if !isAny(err, want) {
				return false, desc, fmt.Errorf("want one of %v, got %v", want, err)
			}
			return false, desc, nil
		}
		if err != nil {
			return false, desc, fmt.Errorf("want success, got %v", err)
		}
		for j, e := range es {
			if replays[j] {
				continue
			}
			m.record(e, out[j].ID)
		}
		return true, desc, nil
	case kind == 7: // reverse
		if len(m.entries) == 0 {
			return false, "reverse nothing", nil
		}
		idx := v[1] % len(m.entries)
		orig := m.entries[idx]
		date := ledger.NewDate(2026, time.Month(1+v[3]%12), 1+v[4]%28)
		desc = "reverse " + orig.id.String()
		rev := ledger.Entry{Date: date, Reverses: orig.id}
		for _, l := range orig.e.Lines {
			l.Side = l.Side.Opposite()
			rev.Lines = append(rev.Lines, l)
		}
		var want []error
		if m.reversed[idx] {
			want = []error{ledger.ErrAlreadyReversed}
		} else {
			_, want = m.expect(rev, nil)
		}
		got, err := gl.Reverse(ctx, tn, orig.id, date, ledger.ReverseOptions{})
		if want != nil {
			if !isAny(err, want) {
				return false, desc, fmt.Errorf("want %v, got %v", want, err)
			}
			return false, desc, nil
		}
		if err != nil {
			return false, desc, err
		}
		m.reversed[idx] = true
		m.record(rev, got.ID)
		return true, desc, nil
	case kind == 8: // resubmit the last entry as it was
		if last.Lines == nil {
			return false, "resubmit nothing", nil
		}
		return m.post(ctx, gl, tn, *last)
	case kind == 9: // same key, other content
		if len(m.byKey) == 0 {
			return false, "conflict nothing", nil
		}
		for k, idx := range m.byKey {
			e := m.entries[idx].e
			e.Lines = append([]ledger.Line(nil), e.Lines...)
			e.Lines[0].Amount = e.Lines[0].Amount.Add(e.Lines[0].Amount)
			e.Lines = append(e.Lines, ledger.CreditLine(e.Lines[len(e.Lines)-1].Account, m.entries[idx].e.Lines[0].Amount, e.Lines[0].Currency))
			_, err := gl.Post(ctx, tn, e)
			if !errors.Is(err, ledger.ErrIdempotencyConflict) {
				return false, "conflict " + k, fmt.Errorf("want ErrIdempotencyConflict, got %v", err)
			}
			return false, "conflict " + k, nil
		}
	default: // block or unblock
		code := propCodes[v[1]%len(propCodes)]
		a, exists := m.accounts[code]
		var err error
		block := v[2]%2 == 0
		if block {
			_, err = gl.BlockAccount(ctx, tn, code)
		} else {
			_, err = gl.UnblockAccount(ctx, tn, code)
		}
		desc = fmt.Sprintf("block=%v %s", block, code)
		if !exists {
			if !errors.Is(err, ledger.ErrAccountNotFound) {
				return false, desc, fmt.Errorf("want ErrAccountNotFound, got %v", err)
			}
			return false, desc, nil
		}
		if err != nil {
			return false, desc, err
		}
		a.blocked = block
		return true, desc, nil
	}
	return false, "", nil
}

func (m *model) post(ctx context.Context, gl *ledger.Ledger, tn string, e ledger.Entry) (bool, string, error) {
	desc := "post " + e.String() + " key=" + e.IdempotencyKey
	replay, want := m.expect(e, nil)
	got, err := gl.Post(ctx, tn, e)
	if want != nil {
		if !isAny(err, want) {
			return false, desc, fmt.Errorf("want %v, got %v", want, err)
		}
		return false, desc, nil
	}
	if err != nil {
		return false, desc, fmt.Errorf("want success, got %v", err)
	}
	if replay {
		if idx := m.byKey[e.IdempotencyKey]; got.ID != m.entries[idx].id {
			return false, desc, fmt.Errorf("replay returned %s, want the original %s", got.ID, m.entries[idx].id)
		}
		return false, desc, nil // a replay must change no row either
	}
	m.record(e, got.ID)
	return true, desc, nil
}

func (m *model) record(e ledger.Entry, id uuid.UUID) {
	m.entries = append(m.entries, modelEntry{e: e, id: id})
	if e.IdempotencyKey != "" {
		m.byKey[e.IdempotencyKey] = len(m.entries) - 1
	}
}

type balKey struct{ account, currency string }

// balances returns the model's debit-minus-credit per account and currency
// for entries dated on or before asOf (all when asOf is zero).
func (m *model) balances(asOf ledger.Date) map[balKey]decimal.Decimal {
	out := map[balKey]decimal.Decimal{}
	for _, me := range m.entries {
		if !asOf.IsZero() && me.e.Date.After(asOf) {
			continue
		}
		for _, l := range me.e.Lines {
			k := balKey{l.Account, l.Currency}
			if l.Side == ledger.Debit {
				out[k] = out[k].Add(l.Amount)
			} else {
				out[k] = out[k].Sub(l.Amount)
			}
		}
	}
	return out
}

func (m *model) check(ctx context.Context, gl *ledger.Ledger, tn string, r int) string {
	// Every stored entry balances per currency, and the model has each.
	stored, err := readAllEntries(ctx, gl, tn)
	if err != nil {
		return err.Error()
	}
	if len(stored) != len(m.entries) {
		return fmt.Sprintf("store has %d entries, model %d", len(stored), len(m.entries))
	}
	for _, e := range stored {
		sums := map[string]decimal.Decimal{}
		for _, l := range e.Lines {
			if l.Side == ledger.Debit {
				sums[l.Currency] = sums[l.Currency].Add(l.Amount)
			} else {
				sums[l.Currency] = sums[l.Currency].Sub(l.Amount)
			}
		}
		for c, s := range sums {
			if !s.IsZero() {
				return fmt.Sprintf("entry %s does not balance in %s: %s", e.ID, c, s)
			}
		}
	}
	asOfs := []ledger.Date{{}, ledger.NewDate(2026, time.Month(1+r%12), 1+r%28)}
	for _, asOf := range asOfs {
		want := m.balances(asOf)
		got, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf})
		if err != nil {
			return err.Error()
		}
		total := map[string]decimal.Decimal{}
		seen := 0
		for _, b := range got {
			net := b.Debit.Sub(b.Credit)
			total[b.Currency] = total[b.Currency].Add(net)
			k := balKey{b.Account, b.Currency}
			if w := want[k]; !w.Equal(net) {
				return fmt.Sprintf("as of %s: balance %v is %s, model %s", asOf, k, net, w)
			}
			sign := net
			if b.NormalSide == ledger.Credit {
				sign = net.Neg()
			}
			if !sign.Equal(b.Balance) {
				return fmt.Sprintf("balance %v signed %s, want %s", k, b.Balance, sign)
			}
			seen++
		}
		for k, w := range want {
			found := false
			for _, b := range got {
				if b.Account == k.account && b.Currency == k.currency {
					found = true
				}
			}
			if !found && !w.IsZero() {
				return fmt.Sprintf("as of %s: balance %v missing, model %s", asOf, k, w)
			}
		}
		for c, s := range total {
			if !s.IsZero() {
				return fmt.Sprintf("as of %s: balances in %s sum to %s", asOf, c, s)
			}
		}
	}
	return ""
}
