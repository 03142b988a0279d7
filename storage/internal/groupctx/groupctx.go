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
// it when the shared work ends. Do not rely on the release cancelling it.
func All(ctxs []context.Context) (context.Context, context.CancelFunc) {
	for _, c := range ctxs {
		if c.Done() == nil {
			// One never ends (context.Background, say): neither does All,
			// and it needs nothing (database/sql then watches no context).
			return context.Background(), func() {}
		}
	}
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
	var ctx context.Context
	var cancel context.CancelFunc
	var stops []func() bool
	for _, c := range ctxs {
		if c.Done() == nil {
			continue // never ends
		}
		if ctx == nil {
			ctx, cancel = context.WithCancel(context.Background())
		}
		stops = append(stops, context.AfterFunc(c, cancel))
	}
	if ctx == nil {
		return context.Background(), func() {} // none can end
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
