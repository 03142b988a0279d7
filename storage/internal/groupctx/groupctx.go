// Package groupctx gives a transaction shared by several callers (a group
// commit) a context of its own: it ends only when every caller has given
// up, so that no caller's cancellation ends the others' work, and a group
// whose callers have all gone stops waiting (for a lock, say) at once.
package groupctx

import (
	"context"
	"sync/atomic"
)

// All returns a context that is cancelled once every one of ctxs is done
// (never, if one of them never is), and a function that releases it; call
// it when the shared work ends.
func All(ctxs []context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	var left atomic.Int64
	left.Store(int64(len(ctxs)))
	stops := make([]func() bool, 0, len(ctxs))
	for _, c := range ctxs {
		stops = append(stops, context.AfterFunc(c, func() {
			if left.Add(-1) == 0 {
				cancel()
			}
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}
