package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/stretchr/testify/require"
)

// testConcurrentMixed posts good and bad entries at the same time, so that
// stores that commit concurrent postings together (SQLite's group commit)
// are seen to keep each posting's outcome its own: every good entry is
// posted once, every bad one fails with its own error and leaves nothing.
func testConcurrentMixed(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.BlockAccount(ctx, tn, "5000")
	require.NoError(t, err)
	const n = 48
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := entry("2026-07-01", dr("1020", "1", "BDT"), cr("4000", "1", "BDT"))
			e.IdempotencyKey = fmt.Sprintf("mixed-%d", i%40) // some keys twice, same content
			switch i % 4 {
			case 1:
				e = entry("2026-07-01", dr("5000", "1", "BDT"), cr("4000", "1", "BDT")) // blocked
			case 2:
				e = entry("2026-07-01", dr("nope", "1", "BDT"), cr("4000", "1", "BDT")) // unknown
			}
			_, errs[i] = gl.Post(ctx, tn, e)
		}()
	}
	wg.Wait()
	keys := map[int]bool{}
	for i, err := range errs {
		switch i % 4 {
		case 1:
			require.ErrorIs(t, err, ledger.ErrAccountBlocked, i)
		case 2:
			require.ErrorIs(t, err, ledger.ErrAccountNotFound, i)
		default:
			require.NoError(t, err, i)
			keys[i%40] = true
		}
		require.False(t, errors.Is(err, ledger.ErrIdempotencyConflict), i)
	}
	require.Equal(t, len(keys), rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, fmt.Sprint(len(keys)), balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
}
