package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// testGroupProperty: whatever mix of postings is queued into one group - good ones,
// refused ones, postings under shared keys with the same or other content,
// several reversals of one entry - each caller gets the answer it would get
// alone, and what is stored is exactly what the callers were told: every
// entry answered without error is stored once, a key holds one entry, one
// reversal of an entry wins and the rest are refused, and the balances are
// the sum of the stored entries. The combined write fails whenever two
// members collide, so the property runs both the plain path and the split.
func testGroupProperty(t *testing.T, h Harness) {
	if h.Together == nil {
		t.Skip("the store does not group postings")
	}
	gl := ledger.New(h.Store, ledger.Config{})
	ctx := context.Background()
	params := gopter.DefaultTestParametersWithSeed(PropertySeed(t))
	params.MinSuccessfulTests = 60
	params.MaxShrinkCount = 0
	props := gopter.NewProperties(params)
	props.Property("group answers match storage", prop.ForAll(func(kinds []int, tn int) string {
		tenant := fmt.Sprintf("gp-%d-%d", tn, time.Now().UnixNano())
		for _, code := range []string{"1000", "4000"} {
			if _, err := gl.CreateAccount(ctx, tenant, ledger.Account{Code: code, Name: code, Type: ledger.Asset}); err != nil {
				return err.Error()
			}
		}
		first, err := gl.Post(ctx, tenant, GroupedEntry("1", ""))
		if err != nil {
			return err.Error()
		}
		out, errs := make([]ledger.Entry, len(kinds)), make([]error, len(kinds))
		calls := make([]func(), len(kinds))
		for i, k := range kinds {
			e := GroupedEntry(fmt.Sprint(10+i), "")
			switch k {
			case 0: // good, under a key of its own
				e.IdempotencyKey = fmt.Sprintf("own-%d", i)
			case 1: // good, no key
			case 2: // unbalanced
				e.Lines[1].Amount = decimal.NewFromInt(1)
			case 3: // unknown account
				e.Lines[0].Account = "9999"
			case 4, 5: // one of two shared keys, with one of two amounts
				e.IdempotencyKey = fmt.Sprintf("shared-%d", k-4)
				e.Lines[0].Amount = decimal.NewFromInt(int64(3 + 2*(i%2)))
				e.Lines[1].Amount = e.Lines[0].Amount
			case 6: // a reversal of the entry posted before the group
				calls[i] = func() {
					out[i], errs[i] = gl.Reverse(ctx, tenant, first.ID, ledger.MustDate("2026-07-02"), ledger.ReverseOptions{})
				}
				continue
			}
			calls[i] = func() { out[i], errs[i] = gl.Post(ctx, tenant, e) }
		}
		queued := len(kinds)
		for _, k := range kinds {
			if k == 2 { // refused by the ledger before it reaches the store
				queued--
			}
		}
		h.Together(t, tenant, calls, queued)

		stored := map[uuid.UUID]ledger.Entry{first.ID: first}
		byKey := map[string]ledger.Entry{}
		reversals := 0
		for i, k := range kinds {
			switch {
			case k == 2 && !errors.Is(errs[i], ledger.ErrUnbalanced):
				return fmt.Sprintf("member %d (unbalanced): %v", i, errs[i])
			case k == 3 && !errors.Is(errs[i], ledger.ErrAccountNotFound):
				return fmt.Sprintf("member %d (unknown account): %v", i, errs[i])
			case (k == 0 || k == 1) && errs[i] != nil:
				return fmt.Sprintf("member %d (good): %v", i, errs[i])
			case k == 4 || k == 5:
				if errs[i] != nil && !errors.Is(errs[i], ledger.ErrIdempotencyConflict) {
					return fmt.Sprintf("member %d (shared key): %v", i, errs[i])
				}
			case k == 6:
				var are *ledger.AlreadyReversedError
				if errs[i] != nil && !errors.As(errs[i], &are) {
					return fmt.Sprintf("member %d (reversal): %v", i, errs[i])
				}
				if errs[i] == nil {
					reversals++
				}
			}
			if errs[i] != nil {
				continue
			}
			if key := out[i].IdempotencyKey; key != "" {
				if prior, ok := byKey[key]; ok && prior.ID != out[i].ID {
					return fmt.Sprintf("key %s answered with two entries", key)
				}
				byKey[key] = out[i]
			}
			stored[out[i].ID] = out[i]
		}
		// Under a shared key, every refused member had other content than
		// the entry the key holds, and every accepted one the same.
		for i, k := range kinds {
			if k != 4 && k != 5 {
				continue
			}
			held, ok := byKey[fmt.Sprintf("shared-%d", k-4)]
			if !ok {
				return fmt.Sprintf("member %d: nobody got the shared key", i)
			}
			same := held.Lines[0].Amount.Equal(decimal.NewFromInt(int64(3 + 2*(i%2))))
			if same != (errs[i] == nil) {
				return fmt.Sprintf("member %d: same content %v, error %v", i, same, errs[i])
			}
		}
		hasReversal := slices.Contains(kinds, 6)
		if hasReversal && reversals != 1 {
			return fmt.Sprintf("%d reversals accepted", reversals)
		}
		// Storage holds exactly the answered entries, and balances add up.
		var debit, credit decimal.Decimal
		for id, e := range stored {
			got, err := gl.Entry(ctx, tenant, id)
			if err != nil {
				return fmt.Sprintf("entry %s: %v", id, err)
			}
			if !got.Lines[0].Amount.Equal(e.Lines[0].Amount) {
				return fmt.Sprintf("entry %s stored with %s, answered with %s", id, got.Lines[0].Amount, e.Lines[0].Amount)
			}
			for _, l := range e.Lines {
				if l.Account != "1000" {
					continue
				}
				if l.Side == ledger.Debit {
					debit = debit.Add(l.Amount)
				} else {
					credit = credit.Add(l.Amount)
				}
			}
		}
		if n := rows(t, h, tenant)["erp_ledger_entries"]; n != len(stored) {
			return fmt.Sprintf("%d entries stored, %d answered", n, len(stored))
		}
		bal, err := gl.Balance(ctx, tenant, "1000", "BDT", ledger.Date{})
		if err != nil {
			return err.Error()
		}
		if !bal.Debit.Equal(debit) || !bal.Credit.Equal(credit) {
			return fmt.Sprintf("balance %s/%s, entries %s/%s", bal.Debit, bal.Credit, debit, credit)
		}
		return ""
	}, gen.SliceOfN(8, gen.IntRange(0, 6)), gen.IntRange(0, 1<<20)))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}

// GroupedEntry is the entry of the group tests: on July 1, 2026, it debits
// account 1000 and credits 4000 with amount (BDT), under key.
func GroupedEntry(amount, key string) ledger.Entry {
	a := decimal.RequireFromString(amount)
	return ledger.Entry{Date: ledger.MustDate("2026-07-01"), Description: "group", IdempotencyKey: key,
		Lines: []ledger.Line{ledger.DebitLine("1000", a, "BDT"), ledger.CreditLine("4000", a, "BDT")}}
}

// groupTenant makes a tenant with asset accounts 1000 and 4000 and one
// entry of amount between them (GroupedEntry), which it returns.
func groupTenant(t *testing.T, gl *ledger.Ledger, amount string) (string, ledger.Entry) {
	t.Helper()
	ctx := context.Background()
	tn := tenant(t)
	for _, code := range []string{"1000", "4000"} {
		_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: code, Name: code, Type: ledger.Asset})
		require.NoError(t, err)
	}
	first, err := gl.Post(ctx, tn, GroupedEntry(amount, ""))
	require.NoError(t, err)
	return tn, first
}

// testGroupCollision: two postings under one new key with different
// content and two reversals of one entry, queued into one group with a
// good posting. Their combined write cannot succeed, so the store must not
// try it again (on PostgreSQL each retry waited longer, about 0.8 s in
// all, for every member of the group): one attempt. Each caller still gets
// its own answer.
func testGroupCollision(t *testing.T, h Harness) {
	if h.Together == nil {
		t.Skip("the store does not group postings")
	}
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn, first := groupTenant(t, gl, "1")
	es := []ledger.Entry{GroupedEntry("3", "k"), GroupedEntry("5", "k"), GroupedEntry("7", "")}
	errs := make([]error, 5)
	calls := make([]func(), 5)
	for i, e := range es {
		calls[i] = func() { _, errs[i] = gl.Post(ctx, tn, e) }
	}
	for i := 3; i < 5; i++ {
		calls[i] = func() {
			_, errs[i] = gl.Reverse(ctx, tn, first.ID, ledger.MustDate("2026-07-02"), ledger.ReverseOptions{})
		}
	}
	attempts := h.Together(t, tn, calls, len(calls))
	require.Equal(t, 1, attempts, "attempts at the combined write")
	require.NoError(t, errs[2])
	require.True(t, (errs[0] == nil) != (errs[1] == nil), "%v / %v", errs[0], errs[1])
	require.ErrorIs(t, errors.Join(errs[0], errs[1]), ledger.ErrIdempotencyConflict)
	require.True(t, (errs[3] == nil) != (errs[4] == nil), "%v / %v", errs[3], errs[4])
	var are *ledger.AlreadyReversedError
	require.ErrorAs(t, errors.Join(errs[3], errs[4]), &are)
	require.Equal(t, 4, rows(t, h, tn)["erp_ledger_entries"])
}

// RunQueued is the body of an adapter's Harness.Together: with the store's
// group lead held (hold), it runs calls from a goroutine each, waits until
// queued reports want of them waiting for the lead, then lets the lead go
// (release) so that they run as one group, and returns when all calls have
// returned.
func RunQueued(t testing.TB, hold, release func(), queued func() int, want int, calls []func()) {
	t.Helper()
	hold()
	var wg sync.WaitGroup
	for _, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call()
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		n := queued()
		if n == want {
			break
		}
		if time.Now().After(deadline) {
			release()
			wg.Wait()
			require.FailNow(t, "postings not queued", "%d of %d", n, want)
		}
	}
	release()
	wg.Wait()
}
