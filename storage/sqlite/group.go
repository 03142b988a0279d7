package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/fault"
	"github.com/erpkit/erpkit/storage/internal/groupctx"
	"github.com/erpkit/erpkit/storage/internal/waitq"
)

// Group commit. SQLite has one writer, and most of a small posting's cost is
// its commit (writing the WAL). When several goroutines post at once, the
// first to take the lead runs every waiting posting in one transaction and
// commits once. A group of one tenant's ledger postings (the usual group)
// is written together without a savepoint; should that write fail, the
// transaction is rolled back and the group runs again with a savepoint per
// posting: a posting that fails is rolled back to its savepoint alone and
// its caller gets its own error. A failed commit fails every posting of the
// group. Callers return only after
// the transaction holding their posting has ended, so a nil error always
// means committed. The lead only orders this process's writers for speed;
// correctness between processes rests on SQLite's own locking, as before.
type committer struct {
	pending waitq.Queue[*groupReq]
	// lead holds a token while a goroutine runs a group. Waiters select on
	// it and on their own done, so that the callers of a group that ended
	// return at once instead of taking the lead in turn to find out.
	lead chan struct{}
	last int // the size of the last group; guarded by lead
	// watched counts the attempts at the combined writes of the tenants a
	// test watches (a write that cannot succeed must not be retried);
	// guarded by mu, empty unless a test runs.
	mu      sync.Mutex
	watched map[string]int
}

func newCommitter() *committer { return &committer{lead: make(chan struct{}, 1)} }

type groupReq struct {
	ctx  context.Context
	fn   func(q querier) error
	err  error
	done chan struct{}
	// alone: the group's own work panicked, so this posting runs again
	// alone, in its caller's goroutine (result).
	alone bool
	// ledger, when set, lets the group write this posting together with the
	// other postings of its tenant (fn is its way to run alone).
	ledger *ledgerReq
}

// ledgerReq is a ledger posting: what its check needs and the check.
type ledgerReq struct {
	tenant      string
	codes, keys []string
	check       func(ledger.PostState) ([]ledger.Entry, error)
}

// maxGroup bounds the postings committed together.
const maxGroup = 64

// writeGrouped is write for the posting path: grouped with concurrent
// postings on a Store that owns its writer, plain write otherwise.
func (s *Store) writeGrouped(ctx context.Context, fn func(q querier) error) error {
	return s.writeGroupedLedger(ctx, nil, fn)
}

// writeGroupedLedger is writeGrouped for a ledger posting (lr), which a
// group may write together with its tenant's other postings.
func (s *Store) writeGroupedLedger(ctx context.Context, lr *ledgerReq, fn func(q querier) error) error {
	g := s.grp
	if g == nil || s.tx != nil {
		return s.write(ctx, fn)
	}
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan struct{}), ledger: lr}
	g.pending.Add(r)
	// leave answers a caller that gave up: it leaves the queue, unless a
	// group took it (which answers it once it has left the group's wait
	// for the writer, or the group has ended).
	leave := func() error {
		if g.pending.Withdraw(r) {
			return ctx.Err()
		}
		<-r.done
		return s.result(r)
	}
	for {
		select {
		case <-r.done: // a leader ran it
			return s.result(r)
		case g.lead <- struct{}{}:
		case <-ctx.Done():
			// Given up while the lead is held (the group before may wait
			// for the writer, held by an InTx say).
			return leave()
		}
		select {
		case <-r.done: // the leader before ran it
			<-g.lead
			return s.result(r)
		default:
		}
		if g.pending.Len() < g.last {
			// Fewer wait than the last group held: its callers, woken
			// when it ended, may not have run yet (the leader of the last
			// group, still on its CPU, posts again first). Let them queue
			// before taking the group, or it commits a posting alone.
			runtime.Gosched()
		}
		batch := g.pending.Take(maxGroup)
		g.last = len(batch)
		if len(batch) > 0 && !s.runGroup(ctx, batch) {
			// This caller gave up while the group waited for the writer:
			// a goroutine runs the rest and holds the lead till it ends.
			return leave()
		}
		<-g.lead
		select {
		case <-r.done:
			return s.result(r)
		default: // more than maxGroup were waiting: lead again
		}
	}
}

// result is the answer of a request whose group has ended: the group's,
// or, when the group's own work panicked, its own posting run alone.
func (s *Store) result(r *groupReq) error {
	if r.alone {
		return s.write(r.ctx, r.fn)
	}
	return r.err
}

// runGroup runs batch in one transaction, retrying the whole group when the
// database is busy (another process holds the write lock). leader is the
// context of the caller running it: when it ends while the group waits for
// the writer, runGroup hands the group to a goroutine of its own, which
// holds the lead until the group ends, and returns false at once.
func (s *Store) runGroup(leader context.Context, batch []*groupReq) bool {
	return s.runGroupFrom(leader, batch, true, 1, time.Time{})
}

// runGroupFrom is runGroup from attempt first, plain or not (errSplit),
// with since the time of the first BEGIN that found the database busy
// (zero when none has).
func (s *Store) runGroupFrom(leader context.Context, batch []*groupReq, plain bool, first int, since time.Time) bool {
	var err error
	for attempt := first; ; attempt++ {
		var conn *sql.Conn
		var handOff bool
		if conn, batch, handOff, err = s.writer(leader, batch); len(batch) == 0 {
			return true // every member gave up waiting, and has its answer
		}
		if handOff {
			go func() {
				s.runGroupFrom(context.Background(), batch, plain, attempt, since)
				<-s.grp.lead
			}()
			return false
		}
		if err != nil {
			break
		}
		began := time.Now()
		err = s.runGroupSafely(conn, batch, plain)
		s.wc.prepareNoted(context.Background())
		if err == nil {
			return true
		}
		if busyAtBegin(err) && s.busy > 0 {
			// Another process holds the write lock, and nothing of the
			// group has run: a member whose context ended leaves now.
			if batch = answerGone(batch); len(batch) == 0 {
				return true
			}
			wait, stop := groupctx.All(contexts(batch))
			again, final := s.waitBusy(wait, err, began, &since)
			stop()
			if again {
				attempt--
				continue
			}
			err = final
			break
		}
		if errors.Is(err, errGroupPanicked) {
			// Rolled back (runGroupOnce): no member may be told its
			// posting was stored. Each runs alone, as if never grouped;
			// should it panic again, the panic reaches its own caller.
			for _, r := range batch {
				r.err, r.alone = nil, true
				close(r.done)
			}
			return true
		}
		if errors.Is(err, errSplit) {
			plain, attempt = false, attempt-1 // at once: nothing was busy
			continue
		}
		if !errors.Is(err, errRetry) || attempt >= maxAttempts {
			break
		}
		// Between attempts, only until every caller has gone.
		wait, stop := groupctx.All(contexts(batch))
		serr := sleep(wait, attempt)
		stop()
		if serr != nil {
			break
		}
	}
	err = unretry(err)
	gone := true
	for _, r := range batch {
		gone = gone && r.ctx.Err() != nil
	}
	for _, r := range batch {
		r.err = err
		if gone {
			r.err = r.ctx.Err() // the group gave up because every caller had
		}
		close(r.done)
	}
	return true
}

// contexts returns the contexts of batch's callers.
func contexts(batch []*groupReq) []context.Context {
	ctxs := make([]context.Context, len(batch))
	for i, r := range batch {
		ctxs[i] = r.ctx
	}
	return ctxs
}

// writer takes the writer connection for batch. While it waits (an InTx
// holds the connection, say), a member whose context ends is answered with
// its context's error and leaves the group - nothing of it has run - and
// the rest wait on. It returns the members left (none when all gave up),
// and handOff when leader's context ended with members left: the caller
// running the group gave up, and another goroutine must wait for them.
func (s *Store) writer(leader context.Context, batch []*groupReq) (conn *sql.Conn, left []*groupReq, handOff bool, err error) {
	for len(batch) > 0 {
		first, stop := groupctx.Any(append(contexts(batch), leader))
		conn, err := s.w.Conn(first)
		gaveUp := first.Err() != nil // before stop, which ends first too
		stop()
		if err == nil || !gaveUp {
			return conn, batch, false, err // the connection, or the database's error (closed, say)
		}
		batch = answerGone(batch)
		if leader.Err() != nil && len(batch) > 0 {
			return nil, batch, true, nil
		}
	}
	return nil, nil, false, nil
}

// answerGone answers the members of batch whose context has ended with
// its error, and returns the others. Only for members nothing of which
// has run.
func answerGone(batch []*groupReq) []*groupReq {
	kept := make([]*groupReq, 0, len(batch))
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			close(r.done)
			continue
		}
		kept = append(kept, r)
	}
	return kept
}

// errGroupPanicked: the group's own work panicked (a member's posting or
// check panicking is that member's error: guard, guardCheck).
var errGroupPanicked = errors.New("sqlite: a group's write panicked")

// groupWriteFault makes a group's combined write panic, for a test.
var groupWriteFault fault.Point

// runGroupSafely is runGroupOnce with a panic turned into
// errGroupPanicked: the transaction is rolled back and the connection
// back by then, and a panic must not leave the lead held or the group's
// callers waiting for ever.
func (s *Store) runGroupSafely(conn *sql.Conn, batch []*groupReq, plain bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errGroupPanicked, p)
		}
	}()
	return s.runGroupOnce(conn, batch, plain)
}

// errCollide: the entries of a group's members cannot be written together
// (ledger.Collide).
var errCollide = errors.New("sqlite: grouped postings collide; each runs alone")

// errSplit asks runGroup to run a group again with a savepoint per
// posting: its postings, written together without one, failed.
var errSplit = errors.New("sqlite: grouped postings failed together; run each alone")

// runGroupOnce runs batch in one transaction. With plain, a group of one
// posting, or of one tenant's ledger postings only (the usual groups), runs
// without savepoints: the transaction holds nothing else, so when the write
// fails the whole transaction is rolled back. A savepoint makes SQLite copy
// every page the posting changes to its sub-journal first (a bare
// 1,000-entry batch: 31,807 entries/s with one, 36,391 without;
// docs/benchmarks.md). A group of one's error goes to its caller, or runs
// it again as run does a transient one; a failed combined write returns
// errSplit. Without plain (after errSplit), each posting of such a group
// runs in a savepoint of its own: their combined write has failed once
// already. Any other group (several tenants, or other writes) runs each
// posting in a savepoint of its own, a tenant's ledger postings first
// together in one. conn is the writer connection (writer), closed on
// return.
func (s *Store) runGroupOnce(conn *sql.Conn, batch []*groupReq, plain bool) error {
	wait, stop := groupctx.All(contexts(batch))
	defer stop()
	// The transaction is shared: no caller's cancellation may end it, only
	// wait, once every caller has gone. BEGIN IMMEDIATE's wait for another
	// process's write lock (the driver's busy handler) ends then too; a
	// transaction that wait ends later rolls back, and database/sql makes
	// sure a COMMIT either happened and says so or did not.
	tx, err := conn.BeginTx(wait, nil)
	if err != nil {
		_ = conn.Close()
		return beginError(err)
	}
	ctx := context.Background() // the statements' own: see wait above
	// The transaction ends before the connection goes back, even on a
	// panic (Close would wait for it for ever); after a commit, Rollback
	// does nothing.
	defer func() {
		_ = tx.Rollback()
		_ = conn.Close()
	}()
	q := cachedTx{tx, s.wc}
	one := oneTenantLedger(batch)
	if plain && one {
		errs := make([]error, len(batch))
		if len(batch) == 1 {
			err = batch[0].ctx.Err()
			if err == nil {
				err = guard(batch[0].fn)(q)
			}
		} else {
			members := make([]int, len(batch))
			for i := range members {
				members[i] = i
			}
			if err = s.writeLedgerGroup(ctx, q, batch, members, errs); err != nil {
				err = errSplit
			}
		}
		if err != nil {
			_ = tx.Rollback()
			return interpretError(err)
		}
		return s.commitGroup(tx, batch, errs)
	}
	errs := make([]error, len(batch))
	// A tenant's ledger postings are written together, in one savepoint,
	// where the first of them stands in the batch; not after a split.
	byTenant := map[string][]int{}
	for i, r := range batch {
		if r.ledger != nil && !one {
			byTenant[r.ledger.tenant] = append(byTenant[r.ledger.tenant], i)
		}
	}
	for i, r := range batch {
		if r.ledger != nil {
			if members := byTenant[r.ledger.tenant]; len(members) > 1 {
				if members[0] == i {
					if err := s.runLedgerMembers(tx, q, batch, members, errs); err != nil {
						return err
					}
				}
				continue
			}
		}
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		errs[i] = inSavepoint(r.ctx, tx, q, "erp_group", guard(r.fn))
		if errors.Is(errs[i], errSavepoint) {
			// Its writes may still be in the transaction: commit nothing,
			// run the whole group again.
			_ = tx.Rollback()
			return &retryError{err: errs[i]}
		}
	}
	return s.commitGroup(tx, batch, errs)
}

// commitGroup commits a group's transaction and answers its callers.
func (s *Store) commitGroup(tx *sql.Tx, batch []*groupReq, errs []error) error {
	if err := tx.Commit(); err != nil {
		_ = tx.Rollback()
		return interpretError(err)
	}
	s.ckpt.committed()
	for i, r := range batch {
		r.err = errs[i]
		close(r.done)
	}
	return nil
}

// oneTenantLedger tells whether batch is a single posting, or ledger
// postings of one tenant only.
func oneTenantLedger(batch []*groupReq) bool {
	if len(batch) == 1 {
		return true
	}
	for _, r := range batch {
		if r.ledger == nil || r.ledger.tenant != batch[0].ledger.tenant {
			return false
		}
	}
	return true
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

// runLedgerMembers writes one tenant's postings batch[members] together in
// a savepoint; when that fails, each runs alone in a savepoint of its own.
// An error means the transaction was rolled back and must run again.
func (s *Store) runLedgerMembers(tx *sql.Tx, q querier, batch []*groupReq, members []int, errs []error) error {
	ctx := context.Background()
	err := inSavepoint(ctx, tx, q, "erp_group_ledger", func(q querier) error {
		return s.writeLedgerGroup(ctx, q, batch, members, errs)
	})
	if err == nil {
		return nil
	}
	if errors.Is(err, errSavepoint) {
		_ = tx.Rollback()
		return &retryError{err: err}
	}
	// The combined write failed (a taken key, a double reversal, ...).
	for _, m := range members {
		if err := batch[m].ctx.Err(); err != nil {
			errs[m] = err
			continue
		}
		errs[m] = inSavepoint(batch[m].ctx, tx, q, "erp_group", guard(batch[m].fn))
		if errors.Is(errs[m], errSavepoint) {
			_ = tx.Rollback()
			return &retryError{err: errs[m]}
		}
	}
	return nil
}

// writeLedgerGroup writes the ledger postings batch[members] (one tenant's)
// together: one read of the state they need, each one's check against it,
// and one write of every entry the checks return. A posting whose check
// refuses gets its error in errs and writes nothing; an error returned
// fails the whole savepoint, and the caller runs each posting alone.
func (s *Store) writeLedgerGroup(ctx context.Context, q querier, batch []*groupReq, members []int, errs []error) error {
	tenant := batch[members[0]].ledger.tenant
	if groupWriteFault.Hit(tenant) {
		panic("sqlite: fault injected into a group write")
	}
	s.grp.mu.Lock()
	if n, ok := s.grp.watched[tenant]; ok {
		s.grp.watched[tenant] = n + 1
	}
	s.grp.mu.Unlock()
	var codes, keys []string
	for _, m := range members {
		codes = append(codes, batch[m].ledger.codes...)
		keys = append(keys, batch[m].ledger.keys...)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	st, err := loadPostState(ctx, q, tenant, codes, keys, true)
	if err != nil {
		return err
	}
	var all []ledger.Entry
	for _, m := range members {
		errs[m] = nil
		if err := batch[m].ctx.Err(); err != nil {
			errs[m] = err
			continue
		}
		es, err := guardCheck(batch[m].ledger.check, st)
		if err != nil {
			errs[m] = err
			continue
		}
		all = append(all, es...)
	}
	if ledger.Collide(all) {
		// Two members share a new key or reverse one entry: the write
		// would fail on every attempt. Each runs alone instead.
		return errCollide
	}
	return writeEntries(ctx, q, tenant, st, all)
}

// guardCheck runs a posting's check, turning a panic into its error.
func guardCheck(check func(ledger.PostState) ([]ledger.Entry, error), st ledger.PostState) (es []ledger.Entry, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlite: posting check panicked: %v", p)
		}
	}()
	return check(st)
}
