package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// testDeadlineWhileHeld: postings whose contexts end while another
// transaction holds what they need (InTx's transaction has posted to the
// same accounts and not committed: on SQLite it holds the one writer, on
// PostgreSQL the balances' row locks) return their context's error when it
// ends, instead of waiting for the holder - whether a posting waits alone,
// queued behind another, or in a group of several - and none of them is
// stored. A posting without a deadline waits and commits once the holder
// has. (A posting grouped with one that waits without a deadline waits
// for its group: docs/ledger.md.)
func testDeadlineWhileHeld(t *testing.T, h Harness) {
	t.Run("SameStore", func(t *testing.T) { t.Parallel(); deadlineWhileHeld(t, h, false) })
	// The holder in another process: a second store over the database.
	t.Run("OtherStore", func(t *testing.T) { t.Parallel(); deadlineWhileHeld(t, h, true) })
}

func deadlineWhileHeld(t *testing.T, h Harness, otherStore bool) {
	ctx, gl, tn := setup(t, h)
	if otherStore {
		gl = ledger.New(h.OpenAnother(t), ledger.Config{})
	}
	const n = 6
	errs := make([]error, n)
	var patient error
	patientDone := make(chan struct{})
	// Not the tenant's first posting: that one creates rows (the calendar)
	// that every later posting reads, so they would wait at their reads;
	// here they wait at their writes, sent with COMMIT on PostgreSQL.
	_, err := gl.Post(ctx, tn, entry("2026-06-30", dr("1020", "8", "BDT"), cr("3000", "8", "BDT")))
	require.NoError(t, err)
	err = h.InTx(ctx, func(tx ledger.Store) error {
		if _, err := ledger.New(tx, ledger.Config{}).Post(ctx, tn, entry("2026-07-01", dr("1020", "1", "BDT"), cr("3000", "1", "BDT"))); err != nil {
			return err
		}
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Staggered starts: some wait for the holder, some queue
				// behind them, some find a group forming.
				time.Sleep(time.Duration(i) * 20 * time.Millisecond)
				cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
				defer cancel()
				_, errs[i] = gl.Post(cctx, tn, entry("2026-07-02", dr("1020", "2", "BDT"), cr("3000", "2", "BDT")))
			}()
		}
		returned := make(chan struct{})
		go func() { wg.Wait(); close(returned) }()
		// A guard against a hang, not a timing assertion: the holder
		// commits only after every posting with a deadline returned, so
		// one that waits for it would wait for ever.
		select {
		case <-returned:
		case <-time.After(30 * time.Second):
			return fmt.Errorf("postings with a 300 ms deadline still waiting after 30 s for the transaction holding their accounts")
		}
		go func() {
			defer close(patientDone)
			_, patient = gl.Post(ctx, tn, entry("2026-07-03", dr("1020", "4", "BDT"), cr("3000", "4", "BDT")))
		}()
		time.Sleep(100 * time.Millisecond)
		select {
		case <-patientDone:
			return fmt.Errorf("a posting without a deadline returned (%v) while the transaction it waits for was open", patient)
		default:
		}
		return nil
	})
	require.NoError(t, err)
	for i, err := range errs {
		require.ErrorIsf(t, err, context.DeadlineExceeded, "posting %d", i)
	}
	// The patient posting commits after the holder.
	select {
	case <-patientDone:
	case <-time.After(30 * time.Second):
		t.Fatal("the posting without a deadline still waits 30 s after the holder committed")
	}
	require.NoError(t, patient)
	require.Equal(t, 3, rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, "13", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
	es, err := gl.Entries(ctx, tn, ledger.EntryQuery{})
	require.NoError(t, err)
	for _, e := range es {
		require.NotEqual(t, ledger.MustDate("2026-07-02"), e.Date, "a posting that returned an error is stored: %s", e.ID)
	}
}
