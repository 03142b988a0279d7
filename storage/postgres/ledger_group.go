package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/fault"
	"github.com/erpkit/erpkit/storage/internal/groupctx"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"github.com/erpkit/erpkit/storage/internal/waitq"
	"github.com/google/uuid"
)

// Group commit of postings. Every posting of a tenant ends by taking the
// tenant's event-cursor row (issue 7: cursors in commit order, no gaps),
// so a tenant's postings commit one after another whatever the pool size,
// each waiting for the one before it to reach disk. When several goroutines
// of a process post for one tenant at once, the first to take the lead
// reads the state all of them need in one round trip, runs every caller's
// check against it, and writes all the entries they return together: one
// sorted balance upsert (so groups lock rows in one order and cannot
// deadlock each other), one daily-totals statement, one event append and
// one commit. A caller whose check fails gets its own error and writes
// nothing; the others are unaffected. When the group's write fails (say an
// idempotency key taken by another process meanwhile), every member runs
// again alone (appendOne), so each gets exactly the answer it would have
// had without grouping. Callers return only after the transaction holding
// their entries has ended: a nil error means committed.
type postGroups struct {
	mu      sync.Mutex
	tenants map[string]*postQueue
}

type postQueue struct {
	pending waitq.Queue[*postReq]
	// lead holds a token per goroutine running one of the tenant's groups:
	// up to leaders groups run at once (the event cursor orders their
	// commits).
	lead  chan struct{}
	users int // callers holding the queue (guarded by postGroups.mu)
	// writes counts the attempts at a group's combined write (tests read
	// it: a write that cannot succeed must not be retried).
	writes atomic.Int64
}

// leaders is how many of a tenant's groups run at once. Two let one
// group's statements overlap the other's commit, which paid while a
// group's statements were slow; since they are index probes with generic
// plans, two only split the waiting postings into smaller groups (more
// commits) that contend for the same balance rows, and one group at a
// time posts a third faster (docs/decisions/postgres-group-commit.md).
const leaders = 1

type postReq struct {
	ctx         context.Context
	codes, keys []string
	check       func(ledger.PostState) ([]ledger.Entry, error)
	err         error
	alone       bool // run by appendOne after the group
	done        chan struct{}
}

// maxPostGroup bounds the postings committed together.
const maxPostGroup = 64

func newPostGroups() *postGroups { return &postGroups{tenants: map[string]*postQueue{}} }

func (g *postGroups) acquire(tenant string) *postQueue {
	g.mu.Lock()
	defer g.mu.Unlock()
	q := g.tenants[tenant]
	if q == nil {
		q = &postQueue{lead: make(chan struct{}, leaders)}
		g.tenants[tenant] = q
	}
	q.users++
	return q
}

func (g *postGroups) release(tenant string, q *postQueue) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if q.users--; q.users == 0 {
		delete(g.tenants, tenant)
	}
}

func (s *Store) appendGrouped(ctx context.Context, tenant string, codes, keys []string,
	check func(ledger.PostState) ([]ledger.Entry, error)) error {
	q := s.grp.acquire(tenant)
	defer s.grp.release(tenant, q)
	r := &postReq{ctx: ctx, codes: codes, keys: keys, check: check, done: make(chan struct{})}
	q.pending.Add(r)
	for {
		select {
		case q.lead <- struct{}{}:
		case <-ctx.Done():
			// Given up while the lead is held (the group before may wait
			// for a lock): leave the queue, unless a leader took it.
			if q.pending.Withdraw(r) {
				return ctx.Err()
			}
			<-r.done // its group ends soon: it ends when all its callers have gone
			return s.finish(tenant, r)
		}
		select {
		case <-r.done: // a previous leader ran it
			<-q.lead
			return s.finish(tenant, r)
		default:
		}
		batch := q.pending.Take(maxPostGroup)
		if len(batch) > 0 {
			s.runPostGroup(tenant, q, batch)
		}
		<-q.lead
		select {
		case <-r.done:
			return s.finish(tenant, r)
		default: // more than maxPostGroup were waiting: lead again
		}
	}
}

// finish returns the request's result, running it alone when the group
// could not.
func (s *Store) finish(tenant string, r *postReq) error {
	if r.alone {
		return s.appendOne(r.ctx, tenant, r.codes, r.keys, r.check)
	}
	return r.err
}

// runPostGroup runs batch; every request is done when it returns.
func (s *Store) runPostGroup(tenant string, q *postQueue, batch []*postReq) {
	defer func() {
		if p := recover(); p != nil {
			// A panic in the group's own work (a member's check panicking
			// is that member's error: guardCheck): the transaction was
			// rolled back (once), and no member may be told its posting
			// was stored. Each runs alone, as if never grouped; should it
			// panic again, the panic reaches that member's own caller.
			for _, r := range batch {
				r.err, r.alone = nil, true
			}
		}
		for _, r := range batch {
			close(r.done)
		}
	}()
	if len(batch) == 1 {
		// Alone, but under the lead: the tenant's next callers queue up
		// meanwhile and commit as one group after it. (Its own transaction,
		// so its caller's cancellation is its own.)
		r := batch[0]
		r.err = s.appendOne(r.ctx, tenant, r.codes, r.keys, r.check)
		return
	}
	var codes, keys []string
	for _, r := range batch {
		codes = append(codes, r.codes...)
		keys = append(keys, r.keys...)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	errs := make([]error, len(batch))
	// The transaction is shared: no caller's cancellation may end it, but
	// once every caller has gone it stops (waiting for a lock, say), and
	// each gets its own context's error when it runs alone.
	ctxs := make([]context.Context, len(batch))
	for i, r := range batch {
		ctxs[i] = r.ctx
	}
	ctx, stop := groupctx.All(ctxs)
	defer stop()
	attempts := 0
	err := s.write(ctx, func(tx *txn) error {
		attempts++
		q.writes.Add(1)
		if groupWriteFault.Hit(tenant) {
			panic("postgres: fault injected into a group write")
		}
		st, lastDays, err := loadPostState(ctx, tx, tenant, codes, keys)
		if err != nil {
			return err
		}
		var all []ledger.Entry
		for i, r := range batch {
			errs[i] = nil
			if err := r.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			es, err := guardCheck(r.check, st)
			if err != nil {
				errs[i] = err
				continue
			}
			all = append(all, es...)
		}
		if len(all) == 0 {
			return nil
		}
		if ledger.Collide(all) {
			// Two members share a new key or reverse one entry: the write
			// would fail on every attempt. Each runs alone instead.
			return &callbackError{errCollide}
		}
		// The first attempt takes the append-only daily path when it can;
		// an attempt after a race takes the general one.
		var known map[uuid.UUID]ledger.Date // nil: the general daily path
		if attempts == 1 {
			known = lastDays
		}
		if err := postMany(ctx, tx, tenant, all, known); err != nil {
			return err
		}
		return syDeferEvents(ctx, tx, tenant, outbox.Ledger(all...))
	})
	if err != nil {
		// A taken key, a double reversal, an unexpected failure: each
		// member runs alone and gets its own answer.
		for _, r := range batch {
			r.alone = true
		}
		return
	}
	for i, r := range batch {
		r.err = errs[i]
	}
}

// groupWriteFault makes a group's combined write panic, for a test.
var groupWriteFault fault.Point

// errCollide: the entries of a group's members cannot be written together
// (ledger.Collide).
var errCollide = errors.New("postgres: grouped postings collide; each runs alone")

// guardCheck runs a caller's check, turning a panic into its error so the
// other members of the group are still answered.
func guardCheck(check func(ledger.PostState) ([]ledger.Entry, error), st ledger.PostState) (es []ledger.Entry, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("postgres: posting check panicked: %v", p)
		}
	}()
	return check(st)
}
