package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// A Store made by Open copies the WAL back in the background after
// commits (grouped postings and single transactions alike), completely
// when nothing holds it; Close stops it; stores over a host's database or
// transaction have no checkpointer.
func TestCheckpointInBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ck.db")
	st, err := Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, st.Migrate(ctx))
	require.NotNil(t, st.ckpt)
	var mode string
	require.NoError(t, st.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&mode))
	require.Equal(t, fmt.Sprint(autoCheckpointPages), mode)

	gl := ledger.New(st, ledger.Config{})
	for _, code := range []string{"1000", "4000"} {
		_, err := gl.CreateAccount(ctx, "t1", ledger.Account{Code: code, Name: code, Type: ledger.Asset})
		require.NoError(t, err)
	}
	// Grouped postings from several goroutines, then one more.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 25 {
				amt := decimal.NewFromInt(int64(1 + g*100 + i))
				_, err := gl.Post(ctx, "t1", ledger.Entry{Date: ledger.MustDate("2026-01-05"), Description: "x",
					Lines: []ledger.Line{ledger.DebitLine("1000", amt, "BDT"), ledger.CreditLine("4000", amt, "BDT")}})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// Let the checkpointer settle: its last run complete and no run for
	// three of its intervals (a commit during a run kicks one more). Its
	// first run gets a minute.
	var before int
	for settled := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		last, runs := st.ckpt.status()
		if runs != before || last[0] != 0 || last[1] != last[2] {
			before, settled = runs, time.Now()
			continue
		}
		if time.Since(settled) > 3*checkpointEvery {
			break
		}
	}
	require.Positive(t, before)
	_, err = gl.Post(ctx, "t1", ledger.Entry{Date: ledger.MustDate("2026-01-06"), Description: "last",
		Lines: []ledger.Line{ledger.DebitLine("1000", decimal.NewFromInt(7), "BDT"), ledger.CreditLine("4000", decimal.NewFromInt(7), "BDT")}})
	require.NoError(t, err)
	// The last commit kicks a checkpoint that copies every frame back.
	deadline := time.Now().Add(30 * time.Second)
	for {
		last, runs := st.ckpt.status()
		if runs > before && last[0] == 0 && last[1] > 0 && last[1] == last[2] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no complete background checkpoint after the last posting: last %v, runs %d (before %d)", last, runs, before)
		}
		time.Sleep(10 * time.Millisecond)
	}

	require.NoError(t, st.Close())
	require.NoError(t, st.Close()) // Close may be called again
	st.ckpt.committed()            // after Close: neither blocks nor panics

	// The postings are in the database file itself, read by a fresh store.
	again, err := Open(ctx, path)
	require.NoError(t, err)
	defer again.Close()
	b, err := ledger.New(again, ledger.Config{}).Balance(ctx, "t1", "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	want := int64(7)
	for g := range 4 {
		for i := range 25 {
			want += int64(1 + g*100 + i)
		}
	}
	require.Equal(t, decimal.NewFromInt(want).String(), b.Balance.String())

	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	require.Nil(t, New(db).ckpt)
}
