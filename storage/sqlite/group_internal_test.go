package sqlite

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
	"github.com/erpkit/erpkit/storage/storagetest"
)

func groupStore(t *testing.T) (*Store, *ledger.Ledger) {
	t.Helper()
	ctx := context.Background()
	st := migratedStore(t)
	require.NotNil(t, st.grp)
	gl := ledger.New(st, ledger.Config{})
	for _, code := range []string{"1000", "4000"} {
		_, err := gl.CreateAccount(ctx, "t1", ledger.Account{Code: code, Name: code, Type: ledger.Asset})
		require.NoError(t, err)
	}
	return st, gl
}

func countRows(t *testing.T, st *Store, table string) int {
	t.Helper()
	var n int
	require.NoError(t, st.w.QueryRow("SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// A group of one runs without a savepoint: a write that fails after
// changing rows leaves none of them, its caller gets its own error, and a
// transient failure runs it again in a new transaction.
func TestGroupOfOne(t *testing.T) {
	t.Parallel()
	st, _ := groupStore(t)
	ctx := context.Background()
	boom := errors.New("boom")
	insert := func(q querier, key string) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_ledger_dimensions (tenant_id, key, name) VALUES ('t1', ?, 'x')`, key)
		return err
	}
	err := st.writeGrouped(ctx, func(q querier) error {
		require.NoError(t, insert(q, "a"))
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, 0, countRows(t, st, "erp_ledger_dimensions"))

	calls := 0
	err = st.writeGrouped(ctx, func(q querier) error {
		calls++
		if err := insert(q, "b"); err != nil {
			return err
		}
		if calls == 1 {
			return &retryError{errors.New("transient")}
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 2, calls)
	require.Equal(t, 1, countRows(t, st, "erp_ledger_dimensions"))

	err = st.writeGrouped(ctx, func(q querier) error {
		require.NoError(t, insert(q, "c"))
		panic("in a posting")
	})
	require.ErrorContains(t, err, "panicked")
	require.Equal(t, 1, countRows(t, st, "erp_ledger_dimensions"))
}

// postTogether posts es from one goroutine each, all of them queued before
// any runs, so that they form one group.
func postTogether(t *testing.T, st *Store, gl *ledger.Ledger, es []ledger.Entry) ([]ledger.Entry, []error) {
	t.Helper()
	out, errs := make([]ledger.Entry, len(es)), make([]error, len(es))
	calls := make([]func(), len(es))
	for i, e := range es {
		calls[i] = func() { out[i], errs[i] = gl.Post(context.Background(), "t1", e) }
	}
	runTogether(t, st, calls, len(es))
	return out, errs
}

// runTogether runs calls (each one posting) from one goroutine each, the
// queued of them that reach the store queued behind the held lead before
// any runs, so that they form one group; it returns when all have returned.
func runTogether(t *testing.T, st *Store, calls []func(), queued int) {
	t.Helper()
	g := st.grp
	g.lead <- struct{}{} // hold the lead while they queue
	var wg sync.WaitGroup
	for _, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call()
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		g.mu.Lock()
		n := len(g.pending)
		g.mu.Unlock()
		if n == queued {
			break
		}
		require.True(t, time.Now().Before(deadline), "postings not queued")
	}
	<-g.lead
	wg.Wait()
}

func groupEntry(amount, key string) ledger.Entry {
	a := decimal.RequireFromString(amount)
	return ledger.Entry{Date: ledger.MustDate("2026-07-01"), Description: "group", IdempotencyKey: key,
		Lines: []ledger.Line{ledger.DebitLine("1000", a, "BDT"), ledger.CreditLine("4000", a, "BDT")}}
}

// One tenant's postings queued together are written together without a
// savepoint. When that write fails (here: two postings under one new key
// with different content), the group runs again with a savepoint per
// posting, and each caller gets its own answer.
func TestGroupSplitsWhenTheCombinedWriteFails(t *testing.T) {
	t.Parallel()
	st, gl := groupStore(t)
	bad := groupEntry("1", "")
	bad.Lines[0].Account = "9999"
	out, errs := postTogether(t, st, gl, []ledger.Entry{
		groupEntry("5", "k1"), groupEntry("7", "k1"), groupEntry("11", ""), bad,
	})
	require.ErrorIs(t, errs[3], ledger.ErrAccountNotFound)
	require.NoError(t, errs[2])
	// One of the two under k1 was written; the other is refused for its
	// other content.
	require.True(t, (errs[0] == nil) != (errs[1] == nil), "%v / %v", errs[0], errs[1])
	won, lost := 0, 1
	if errs[0] != nil {
		won, lost = 1, 0
	}
	require.ErrorIs(t, errs[lost], ledger.ErrIdempotencyConflict)
	require.Equal(t, 2, countRows(t, st, "erp_ledger_entries"))
	bal, err := gl.Balance(context.Background(), "t1", "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	want := out[won].Lines[0].Amount.Add(decimal.NewFromInt(11))
	require.True(t, want.Equal(bal.Debit), "debit %s, want %s", bal.Debit, want)

	// The same content under one key, queued together: one entry, and
	// every caller gets it.
	out, errs = postTogether(t, st, gl, []ledger.Entry{groupEntry("3", "k2"), groupEntry("3", "k2"), groupEntry("3", "k2")})
	for i := range errs {
		require.NoError(t, errs[i])
		require.Equal(t, out[0].ID, out[i].ID)
	}
	require.Equal(t, 3, countRows(t, st, "erp_ledger_entries"))
}

// Property: whatever mix of postings is queued into one group - good ones,
// refused ones, postings under shared keys with the same or other content,
// several reversals of one entry - each caller gets the answer it would get
// alone, and what is stored is exactly what the callers were told: every
// entry answered without error is stored once, a key holds one entry, one
// reversal of an entry wins and the rest are refused, and the balances are
// the sum of the stored entries. The combined write fails whenever two
// members collide, so the property runs both the plain path and the split.
func TestGroupProperty(t *testing.T) {
	t.Parallel()
	st, _ := groupStore(t)
	gl := ledger.New(st, ledger.Config{})
	ctx := context.Background()
	params := gopter.DefaultTestParametersWithSeed(storagetest.PropertySeed(t))
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
		first, err := gl.Post(ctx, tenant, groupEntry("1", ""))
		if err != nil {
			return err.Error()
		}
		out, errs := make([]ledger.Entry, len(kinds)), make([]error, len(kinds))
		calls := make([]func(), len(kinds))
		for i, k := range kinds {
			e := groupEntry(fmt.Sprint(10+i), "")
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
		runTogether(t, st, calls, queued)

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
		var n int
		if err := st.w.QueryRow(`SELECT count(*) FROM erp_ledger_entries WHERE tenant_id = ?`, tenant).Scan(&n); err != nil {
			return err.Error()
		}
		if n != len(stored) {
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
