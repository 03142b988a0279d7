package storagetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// testReportsWhilePosting: a report that reads balances as of two dates
// (the period trial balance and the income statement: as of the day before
// the period and as of its last day) reads both from one state of the
// books. The period's own entries are posted first, so its movements and
// profit are known; then entries dated before the period are posted
// without pause while the reports run. They change both dates' balances
// alike, so every report must show exactly the known movements and profit:
// had one date been read before such an entry and the other after, the
// entry would show as a movement of the period. The reports of one read
// (trial balances, a balance sheet of one date) must balance throughout.
func testReportsWhilePosting(t *testing.T, h Harness) {
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn := tenant(t)
	for _, a := range []ledger.Account{
		{Code: "1000", Name: "Cash", Type: ledger.Asset},
		{Code: "4000", Name: "Sales", Type: ledger.Revenue},
		{Code: "5000", Name: "Costs", Type: ledger.Expense},
	} {
		_, err := gl.CreateAccount(ctx, tn, a)
		require.NoError(t, err)
	}
	entry := func(date ledger.Date, dr, cr string, amount decimal.Decimal) ledger.Entry {
		return ledger.Entry{Date: date, Description: "snapshot", Lines: []ledger.Line{
			ledger.DebitLine(dr, amount, "BDT"), ledger.CreditLine(cr, amount, "BDT")}}
	}
	from, to := ledger.NewDate(2026, 11, 1), ledger.NewDate(2026, 11, 30)
	// The period: sales and costs on known days, known totals.
	sales, costs := decimal.Zero, decimal.Zero
	cashLines := 0
	for i := range 12 {
		s := decimal.New(int64(1000+37*i), -2)
		sales = sales.Add(s)
		_, err := gl.Post(ctx, tn, entry(ledger.NewDate(2026, 11, 1+2*i), "1000", "4000", s))
		require.NoError(t, err)
		cashLines++
		if i%3 == 0 {
			cashLines++
			c := decimal.New(int64(300+11*i), -2)
			costs = costs.Add(c)
			_, err := gl.Post(ctx, tn, entry(ledger.NewDate(2026, 11, 2+2*i), "5000", "1000", c))
			require.NoError(t, err)
		}
	}
	profit := sales.Sub(costs)
	movement := map[string][2]decimal.Decimal{ // debit, credit in the period
		"1000": {sales, costs},
		"4000": {decimal.Zero, sales},
		"5000": {costs, decimal.Zero},
	}

	workers, per := 4, 150
	if h.Short {
		per = 40
	}
	var writing sync.WaitGroup
	var writeErr atomic.Value
	stop := make(chan struct{})
	for w := range workers {
		writing.Add(1)
		go func() {
			defer writing.Done()
			for i := range per {
				// Before the period, on days from October back, and a few
				// after it (which no report of the period reads).
				date := ledger.NewDate(2026, 10, 31-(w*per+i)%60%31)
				if i%10 == 9 {
					date = ledger.NewDate(2026, 12, 1+i%28)
				}
				dr, cr := "1000", "4000"
				if i%2 == 1 {
					dr, cr = "5000", "1000"
				}
				if _, err := gl.Post(ctx, tn, entry(date, dr, cr, decimal.New(int64(1+i%97), 0))); err != nil {
					writeErr.Store(fmt.Errorf("worker %d posting %d: %w", w, i, err))
					return
				}
			}
		}()
	}
	go func() { writing.Wait(); close(stop) }()

	// One reader: on SQLite's pool or PostgreSQL's, reads run beside the
	// writes whatever the number of readers.
	reports := 0
	for done := false; !done; {
		select {
		case <-stop:
			done = true // one more round after the last posting
		default:
		}
		ptb, err := gl.PeriodTrialBalance(ctx, tn, from, to)
		require.NoError(t, err)
		require.True(t, ptb.Balanced(), "report %d: period trial balance does not balance", reports)
		for _, r := range ptb.Rows {
			m := movement[r.Account]
			require.Truef(t, m[0].Equal(r.Debit) && m[1].Equal(r.Credit),
				"report %d: %s moved %s / %s in the period, want %s / %s (the opening and closing balances were read from different states of the books)",
				reports, r.Account, r.Debit, r.Credit, m[0], m[1])
			// The closing balance is the opening plus the movement.
			require.Truef(t, r.OpeningDebit.Sub(r.OpeningCredit).Add(r.Debit).Sub(r.Credit).Equal(r.ClosingDebit.Sub(r.ClosingCredit)),
				"report %d: %s opening + movement != closing", reports, r.Account)
		}
		// The general-ledger statement of cash: opening, the period's
		// lines, closing - the closing balance is where the lines' running
		// balance ends.
		st, err := gl.Statement(ctx, tn, ledger.StatementQuery{Account: "1000", Currency: "BDT", From: from, To: to, Limit: 1000})
		require.NoError(t, err)
		require.Len(t, st.Lines, cashLines, "report %d: the period's cash lines", reports)
		require.Truef(t, st.Lines[len(st.Lines)-1].Balance.Equal(st.Closing) && st.Closing.Sub(st.Opening).Equal(profit),
			"report %d: cash statement opening %s, last running balance %s, closing %s (a movement of %s)",
			reports, st.Opening, st.Lines[len(st.Lines)-1].Balance, st.Closing, profit)
		is, err := gl.IncomeStatement(ctx, tn, from, to, ledger.StatementOptions{Currency: "BDT"})
		require.NoError(t, err)
		require.Truef(t, profit.Equal(is.Profit[0]), "report %d: the period's profit is %s, want %s", reports, is.Profit[0], profit)
		// One read each: balanced whatever is posted meanwhile.
		tb, err := gl.TrialBalance(ctx, tn, ledger.Date{})
		require.NoError(t, err)
		require.True(t, tb.Balanced(), "report %d: the trial balance does not balance", reports)
		tb, err = gl.TrialBalance(ctx, tn, to)
		require.NoError(t, err)
		require.True(t, tb.Balanced(), "report %d: the trial balance as of %s does not balance", reports, to)
		bs, err := gl.BalanceSheet(ctx, tn, to, ledger.StatementOptions{Currency: "BDT"})
		require.NoError(t, err)
		require.True(t, bs.Balanced(), "report %d: the balance sheet does not balance", reports)
		reports++
	}
	if err, _ := writeErr.Load().(error); err != nil {
		require.NoError(t, err)
	}
	t.Logf("%d reports while %d entries were posted", reports, workers*per)
}

// testReadSnapshot: the Store a SnapshotReader gives its callback reads
// one state of the data - a posting committed meanwhile is in none of its
// reads, and in the store's reads after - and refuses writes with
// ErrReadOnlySnapshot, writing nothing. The callback's error comes back as
// it is. On a store bound to a transaction the callback reads that
// transaction, its own uncommitted work included.
func testReadSnapshot(t *testing.T, h Harness) {
	sr, ok := h.Store.(ledger.SnapshotReader)
	if !ok {
		t.Skip("the store reads no snapshots")
	}
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn, _ := groupTenant(t, gl, "5")

	mine := errors.New("the callback's own error")
	err := sr.ReadSnapshot(ctx, func(st ledger.Store) error {
		in := ledger.New(st, ledger.Config{})
		before, err := in.Balance(ctx, tn, "1000", "BDT", ledger.Date{})
		if err != nil {
			return err
		}
		// Committed by the store meanwhile: not in the snapshot.
		if _, err := gl.Post(ctx, tn, GroupedEntry("7", "")); err != nil {
			return err
		}
		after, err := in.Balance(ctx, tn, "1000", "BDT", ledger.Date{})
		if err != nil {
			return err
		}
		if !before.Balance.Equal(dec("5")) || !after.Balance.Equal(dec("5")) {
			return fmt.Errorf("balance in the snapshot: %s, then %s; want 5 both times", before.Balance, after.Balance)
		}
		asOf, err := in.Balance(ctx, tn, "1000", "BDT", GroupedEntry("1", "").Date)
		if err != nil {
			return err
		}
		if !asOf.Balance.Equal(dec("5")) {
			return fmt.Errorf("as-of balance in the snapshot: %s, want 5", asOf.Balance)
		}
		es, err := in.Entries(ctx, tn, ledger.EntryQuery{})
		if err != nil {
			return err
		}
		if len(es) != 1 {
			return fmt.Errorf("%d entries in the snapshot, want 1", len(es))
		}
		tb, err := in.TrialBalance(ctx, tn, ledger.Date{})
		if err != nil {
			return err
		}
		if !tb.Balanced() {
			return errors.New("the snapshot's trial balance does not balance")
		}
		// Writes are refused and write nothing.
		counts, err := h.Rows(ctx, tn)
		if err != nil {
			return err
		}
		if _, err := in.Post(ctx, tn, GroupedEntry("9", "")); !errors.Is(err, ledger.ErrReadOnlySnapshot) {
			return fmt.Errorf("a posting through the snapshot: %v, want ErrReadOnlySnapshot", err)
		}
		if _, err := in.CreateAccount(ctx, tn, ledger.Account{Code: "5000", Name: "x", Type: ledger.Expense}); !errors.Is(err, ledger.ErrReadOnlySnapshot) {
			return fmt.Errorf("an account through the snapshot: %v, want ErrReadOnlySnapshot", err)
		}
		again, err := h.Rows(ctx, tn)
		if err != nil {
			return err
		}
		if fmt.Sprint(counts) != fmt.Sprint(again) {
			return fmt.Errorf("rows changed by refused writes: %v, then %v", counts, again)
		}
		return mine
	})
	require.ErrorIs(t, err, mine)
	// After the snapshot the posting made meanwhile is there.
	require.True(t, dec("12").Equal(balanceOf(t, ctx, gl, tn, "1000", "BDT", ledger.Date{})))

	if h.InTx == nil {
		return
	}
	err = h.InTx(ctx, func(tx ledger.Store) error {
		if _, err := ledger.New(tx, ledger.Config{}).Post(ctx, tn, GroupedEntry("3", "")); err != nil {
			return err
		}
		return tx.(ledger.SnapshotReader).ReadSnapshot(ctx, func(st ledger.Store) error {
			b, err := ledger.New(st, ledger.Config{}).Balance(ctx, tn, "1000", "BDT", ledger.Date{})
			if err != nil {
				return err
			}
			if !b.Balance.Equal(dec("15")) {
				return fmt.Errorf("balance in a bound store's snapshot: %s, want 15 (its own posting)", b.Balance)
			}
			return nil
		})
	})
	require.NoError(t, err)
}
