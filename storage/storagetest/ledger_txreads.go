package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// errRollBack makes InTx roll back in testReadsInTx.
var errRollBack = errors.New("storagetest: roll back")

// txReads is what testReadsInTx reads of its tenant through one store.
type txReads struct {
	bank, bankJul1, bankJul2 string // balances of 1020 in BDT: current, as of Jul 1 and Jul 2
	tb, tbJul2               string // trial balances: current and as of Jul 2
	entries                  int
	statement                []string // 1020's statement lines: entry and running balance
}

// readTx reads the tenant's figures through gl. It returns errors rather
// than failing t: it runs inside transactions' callbacks too.
func readTx(ctx context.Context, gl *ledger.Ledger, tn string) (txReads, error) {
	var r txReads
	for _, b := range []struct {
		to   *string
		asOf string
	}{{&r.bank, ""}, {&r.bankJul1, "2026-07-01"}, {&r.bankJul2, "2026-07-02"}} {
		var d ledger.Date
		if b.asOf != "" {
			d = ledger.MustDate(b.asOf)
		}
		bal, err := gl.Balance(ctx, tn, "1020", "BDT", d)
		if err != nil {
			return r, err
		}
		*b.to = bal.Balance.String()
	}
	for _, b := range []struct {
		to   *string
		asOf ledger.Date
	}{{&r.tb, ledger.Date{}}, {&r.tbJul2, ledger.MustDate("2026-07-02")}} {
		tb, err := gl.TrialBalance(ctx, tn, b.asOf)
		if err != nil {
			return r, err
		}
		if !tb.Balanced() {
			return r, fmt.Errorf("trial balance as of %v not balanced: %v", b.asOf, tb)
		}
		*b.to = fmt.Sprint(tb)
	}
	es, err := gl.Entries(ctx, tn, ledger.EntryQuery{})
	if err != nil {
		return r, err
	}
	r.entries = len(es)
	st, err := gl.Statement(ctx, tn, ledger.StatementQuery{Account: "1020", Currency: "BDT"})
	if err != nil {
		return r, err
	}
	for _, l := range st.Lines {
		r.statement = append(r.statement, fmt.Sprintf("%s %s %s %s", l.Date, l.Side, l.Amount, l.Balance))
	}
	return r, nil
}

// testReadsInTx: a store bound to a transaction (InTx, or the host's own)
// reads what the transaction wrote - a new account, a posting, a backdated
// posting, an idempotent replay - in every read path (balances current and
// as of a date, trial balances, entries, statements), while a store over
// the pool sees none of it until the commit, then exactly what the
// transaction read; after a rollback the pool reads what it read before.
func testReadsInTx(t *testing.T, h Harness) {
	modes := []struct {
		name string
		run  func(ctx context.Context, tn string, commit bool, fn func(ledger.Store) error) error
	}{
		{"InTx", func(ctx context.Context, _ string, commit bool, fn func(ledger.Store) error) error {
			err := h.InTx(ctx, func(tx ledger.Store) error {
				if err := fn(tx); err != nil {
					return err
				}
				if !commit {
					return errRollBack
				}
				return nil
			})
			if !commit && errors.Is(err, errRollBack) {
				return nil
			}
			return err
		}},
		{"HostTx", func(ctx context.Context, tn string, commit bool, fn func(ledger.Store) error) error {
			return h.HostTx(ctx, tn, commit, fn)
		}},
	}
	for _, m := range modes {
		for _, commit := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/commit=%v", m.name, commit), func(t *testing.T) {
				ctx, gl, tn := setup(t, h)
				_, err := gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "100", "BDT"), cr("3000", "100", "BDT")))
				require.NoError(t, err)
				// The pool's store reads first, so that whatever it keeps
				// between reads (a chart, say) is warm when the
				// transaction changes the tenant.
				before, err := readTx(ctx, gl, tn)
				require.NoError(t, err)
				beforeRows := rows(t, h, tn)

				var in txReads
				keyed := entry("2026-07-03", dr("5010", "40", "BDT"), cr("1020", "40", "BDT"))
				keyed.IdempotencyKey = "in-tx"
				err = m.run(ctx, tn, commit, func(st ledger.Store) error {
					g := ledger.New(st, ledger.Config{})
					if _, err := g.CreateAccount(ctx, tn, ledger.Account{Code: "5020", Name: "Repairs", Type: ledger.Expense, Parent: "5000"}); err != nil {
						return err
					}
					b, err := g.Post(ctx, tn, keyed)
					if err != nil {
						return err
					}
					// Backdated, to the new account.
					if _, err := g.Post(ctx, tn, entry("2026-07-02", dr("5020", "10", "BDT"), cr("1020", "10", "BDT"))); err != nil {
						return err
					}
					again, err := g.Post(ctx, tn, keyed)
					if err != nil {
						return err
					}
					if again.ID != b.ID {
						return fmt.Errorf("replay in the transaction returned %s, want %s", again.ID, b.ID)
					}
					other := keyed
					other.Lines = []ledger.Line{dr("5010", "41", "BDT"), cr("1020", "41", "BDT")}
					if _, err := g.Post(ctx, tn, other); !errors.Is(err, ledger.ErrIdempotencyConflict) {
						return fmt.Errorf("other content under the key: want ErrIdempotencyConflict, got %v", err)
					}
					got, err := g.Entry(ctx, tn, b.ID)
					if err != nil {
						return err
					}
					if len(got.Lines) != 2 || !got.Lines[0].Amount.Equal(dec("40")) {
						return fmt.Errorf("entry read in the transaction: %+v", got)
					}
					if in, err = readTx(ctx, g, tn); err != nil {
						return err
					}
					// Nothing of it is visible outside yet.
					out, err := readTx(ctx, gl, tn)
					if err != nil {
						return err
					}
					if fmt.Sprint(out) != fmt.Sprint(before) {
						return fmt.Errorf("the pool saw the open transaction:\n%v\nwant\n%v", out, before)
					}
					if _, err := gl.Account(ctx, tn, "5020"); !errors.Is(err, ledger.ErrAccountNotFound) {
						return fmt.Errorf("the pool's account 5020 before commit: want ErrAccountNotFound, got %v", err)
					}
					return nil
				})
				require.NoError(t, err)

				require.Equal(t, "50", in.bank)
				require.Equal(t, "100", in.bankJul1)
				require.Equal(t, "90", in.bankJul2)
				require.Equal(t, 3, in.entries)
				require.Equal(t, []string{"2026-07-01 debit 100 100", "2026-07-02 credit 10 90", "2026-07-03 credit 40 50"}, in.statement)
				require.Contains(t, in.tb, "5020")
				require.Contains(t, in.tbJul2, "5020")
				require.NotEqual(t, in.tb, in.tbJul2, "5010's posting of Jul 3 is in the current trial balance only")

				after, err := readTx(ctx, gl, tn)
				require.NoError(t, err)
				if commit {
					require.Equal(t, in, after, "the pool after the commit reads what the transaction read")
					_, err := gl.Account(ctx, tn, "5020")
					require.NoError(t, err)
					return
				}
				require.Equal(t, before, after, "the pool after the rollback reads what it read before")
				require.Equal(t, beforeRows, rows(t, h, tn))
				_, err = gl.Account(ctx, tn, "5020")
				require.ErrorIs(t, err, ledger.ErrAccountNotFound)
			})
		}
	}
}
