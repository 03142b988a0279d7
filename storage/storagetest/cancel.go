package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/stretchr/testify/require"
)

// testCancelled posts concurrently with contexts cancelled at random
// moments. Whatever a cancellation hits, a nil error means the entry is
// stored and an error means it is not (the stores wait for a COMMIT once
// sent); no key is stored twice; balances equal the stored entries.
func testCancelled(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	const n = 64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := time.Duration(i%16) * time.Duration(i%16) * 100 * time.Microsecond // 0 to 22.5 ms
			cctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			e := entry("2026-07-01", dr("1020", "1", "BDT"), cr("4000", "1", "BDT"))
			e.IdempotencyKey = fmt.Sprintf("c-%d", i)
			_, errs[i] = gl.Post(cctx, tn, e)
		}()
	}
	wg.Wait()
	stored := map[string]bool{}
	es, err := gl.Entries(ctx, tn, ledger.EntryQuery{Limit: 1000})
	require.NoError(t, err)
	for _, e := range es {
		require.False(t, stored[e.IdempotencyKey], "key %s stored twice", e.IdempotencyKey)
		stored[e.IdempotencyKey] = true
	}
	ok := 0
	for i, err := range errs {
		if err == nil {
			ok++
			require.True(t, stored[fmt.Sprintf("c-%d", i)], "post %d returned nil but is not stored", i)
		}
	}
	t.Logf("%d of %d posts returned nil, %d stored", ok, n, len(stored))
	require.Equal(t, ok, len(stored), "a cancelled post must either commit and say so, or not commit")
	requireDec(t, fmt.Sprint(len(stored)), balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
}
