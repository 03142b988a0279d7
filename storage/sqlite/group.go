package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Group commit. SQLite has one writer, and most of a small posting's cost is
// its commit (writing the WAL). When several goroutines post at once, the
// first to take the lead runs every waiting posting in one transaction, each
// in a savepoint of its own, and commits once: a posting that fails is
// rolled back to its savepoint alone and its caller gets its own error; a
// failed commit fails every posting of the group. Callers return only after
// the transaction holding their posting has ended, so a nil error always
// means committed. The lock only orders this process's writers for speed;
// correctness between processes rests on SQLite's own locking, as before.
type committer struct {
	mu      sync.Mutex // guards pending
	pending []*groupReq
	lead    sync.Mutex // held by the goroutine running a group
}

type groupReq struct {
	ctx  context.Context
	fn   func(q querier) error
	err  error
	done chan struct{}
}

// maxGroup bounds the postings committed together.
const maxGroup = 64

// writeGrouped is write for the posting path: grouped with concurrent
// postings on a Store that owns its writer, plain write otherwise.
func (s *Store) writeGrouped(ctx context.Context, fn func(q querier) error) error {
	g := s.grp
	if g == nil || s.tx != nil {
		return s.write(ctx, fn)
	}
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	g.mu.Lock()
	g.pending = append(g.pending, r)
	g.mu.Unlock()
	for {
		g.lead.Lock()
		select {
		case <-r.done: // a previous leader ran it
			g.lead.Unlock()
			return r.err
		default:
		}
		g.mu.Lock()
		n := min(len(g.pending), maxGroup)
		batch := g.pending[:n:n]
		g.pending = append([]*groupReq(nil), g.pending[n:]...)
		g.mu.Unlock()
		if len(batch) > 0 {
			s.runGroup(batch)
		}
		g.lead.Unlock()
		select {
		case <-r.done:
			return r.err
		default: // more than maxGroup were waiting: lead again
		}
	}
}

// runGroup runs batch in one transaction, retrying the whole group when the
// database is busy (another process holds the write lock).
func (s *Store) runGroup(batch []*groupReq) {
	defer s.wc.prepareNoted(context.Background())
	var err error
	for attempt := 1; ; attempt++ {
		err = s.runGroupOnce(batch)
		if err == nil {
			return
		}
		if !errors.Is(err, errRetry) || attempt >= maxAttempts || sleep(context.Background(), attempt) != nil {
			break
		}
	}
	err = unretry(err)
	for _, r := range batch {
		r.err = err
		close(r.done)
	}
}

func (s *Store) runGroupOnce(batch []*groupReq) error {
	ctx := context.Background() // the transaction is shared: no caller's cancellation may end it
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return interpretError(err)
	}
	q := cachedTx{tx, s.wc}
	errs := make([]error, len(batch))
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = inSavepoint(r.ctx, tx, q, "erp_group", guard(r.fn))
		if errors.Is(errs[i], errSavepoint) {
			// Its writes may still be in the transaction: commit nothing,
			// run the whole group again.
			_ = tx.Rollback()
			return &retryError{errs[i]}
		}
	}
	if err := tx.Commit(); err != nil {
		_ = tx.Rollback()
		return interpretError(err)
	}
	for i, r := range batch {
		r.err = errs[i]
		close(r.done)
	}
	return nil
}

// guard turns a panic in one posting of a group into that posting's error,
// so that the other callers of the group are still answered.
func guard(fn func(q querier) error) func(q querier) error {
	return func(q querier) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("sqlite: posting panicked: %v", p)
			}
		}()
		return fn(q)
	}
}
