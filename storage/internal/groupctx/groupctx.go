// Package groupctx gives work shared by several callers (a group commit)
// contexts of its own. All ends only when every caller has given up, so
// that no caller's cancellation ends the others' transaction, and a group
// whose callers have all gone stops waiting (for a lock, say) at once. Any
// ends when the first caller gives up: for a wait that is safe to leave
// and start again without that caller, before any of the work has run.
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
	return ctx, release(stops, cancel)
}

// Any returns a context that is cancelled as soon as one of ctxs is done,
// and a function that releases it.
func Any(ctxs []context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	stops := make([]func() bool, 0, len(ctxs))
	for _, c := range ctxs {
		stops = append(stops, context.AfterFunc(c, cancel))
	}
	return ctx, release(stops, cancel)
}

// release returns the function that unregisters stops and cancels.
func release(stops []func() bool, cancel context.CancelFunc) context.CancelFunc {
	return func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}
