package postgres

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// txn is the transaction one write runs in: its own transaction on a pooled
// connection (standalone), or a savepoint of the bound transaction.
//
// Standalone, it saves round trips: BEGIN travels in the same pipeline as the
// first batch of reads, and statements queued with deferExec travel with
// COMMIT. A posting is then two round trips: BEGIN + reads, write + COMMIT.
type txn struct {
	conn     *pgx.Conn // standalone
	begun    bool      // standalone: BEGIN has been sent
	sp       pgx.Tx    // bound: the savepoint
	deferred pgx.Batch // standalone: sent with COMMIT
	// cancelled: a cancel request was sent for the connection (commit), so
	// it must be closed, not reused: the request may still be on its way
	// and would cancel the next statement.
	cancelled bool
}

var _ querier = (*txn)(nil)

func (t *txn) q(ctx context.Context) (querier, error) {
	if t.sp != nil {
		return t.sp, nil
	}
	if !t.begun {
		if _, err := t.conn.Exec(ctx, "BEGIN"); err != nil {
			return nil, err
		}
		t.begun = true
	}
	return t.conn, nil
}

func (t *txn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q, err := t.q(ctx)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	return q.Exec(ctx, sql, args...)
}

func (t *txn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	q, err := t.q(ctx)
	if err != nil {
		return nil, err
	}
	return q.Query(ctx, sql, args...)
}

func (t *txn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	q, err := t.q(ctx)
	if err != nil {
		return errRow{err}
	}
	return q.QueryRow(ctx, sql, args...)
}

// SendBatch sends b, with BEGIN in front when the transaction has not begun.
func (t *txn) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if t.sp != nil {
		return t.sp.SendBatch(ctx, b)
	}
	if !t.begun {
		b.QueuedQueries = append([]*pgx.QueuedQuery{{SQL: "BEGIN"}}, b.QueuedQueries...)
		t.begun = true
	}
	return t.conn.SendBatch(ctx, b)
}

func (t *txn) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	q, err := t.q(ctx)
	if err != nil {
		return 0, err
	}
	return q.CopyFrom(ctx, table, columns, src)
}

// deferExec runs a statement whose result nobody reads: standalone, it is
// sent with COMMIT; bound, at once.
func (t *txn) deferExec(ctx context.Context, sql string, args ...any) error {
	if t.sp != nil {
		_, err := t.sp.Exec(ctx, sql, args...)
		return err
	}
	t.deferred.Queue(sql, args...)
	return nil
}

// commit sends the deferred statements and COMMIT (standalone) or releases
// the savepoint (bound). On error the caller rolls back.
func (t *txn) commit(ctx context.Context) error {
	if t.sp != nil {
		return t.sp.Commit(ctx)
	}
	if !t.begun && t.deferred.Len() == 0 {
		return nil
	}
	// Once COMMIT is sent its answer is always read, so that nil means
	// committed and an error means not. A caller that gives up meanwhile
	// (its context ends while a statement waits for a lock another
	// transaction holds, say) sends the server a cancel request instead: a
	// statement still running is cancelled and the transaction rolls back,
	// which the answer says; a COMMIT already under way completes, which it
	// says too. Dropping the connection instead would leave the outcome
	// unknown, and the server would go on and commit once the lock was
	// free. Only a server that has not answered cancelWait after the
	// cancel request is given up on (a lost connection).
	//
	// A caller without a deadline is not left waiting for ever on another
	// transaction's lock: the batch's statements wait at most 30 s
	// for a lock (setLockTimeout, for the rest of the transaction), and the
	// transaction then rolls back. Work is not bounded: a PostBatch of a
	// million entries may spend minutes in these statements.
	if err := ctx.Err(); err != nil {
		return err
	}
	// read is what the answer is read under: ctx itself when it never ends
	// (no watcher, nothing to allocate), else a context the caller's
	// cancellation does not end, which the watcher ends once it gives up.
	read := ctx
	var answered, watched chan struct{}
	if done := ctx.Done(); done != nil {
		var giveUp context.CancelFunc
		read, giveUp = context.WithCancel(context.WithoutCancel(ctx))
		defer giveUp()
		answered, watched = make(chan struct{}), make(chan struct{})
		go func() {
			defer close(watched)
			select {
			case <-answered:
				return
			case <-done:
			}
			t.cancelled = true
			// A cancel request cancels the statement running when it
			// arrives. One that arrives before the batch's next statement
			// has started (between two of them, say) is lost, and that
			// statement would wait for the lock: so the request is sent
			// again, less and less often, until the server answers. (The
			// connection is closed after this transaction, so no request
			// reaches a later one.)
			// One bound for the requests and the wait for the answer.
			wait, stop := context.WithTimeout(context.Background(), cancelWait)
			defer stop()
			for again := cancelAgain; ; again = min(2*again, time.Second) {
				if !lostCancel() {
					_ = t.conn.PgConn().CancelRequest(wait)
				}
				next := time.NewTimer(again)
				select {
				case <-answered:
					next.Stop()
					return
				case <-wait.Done():
					next.Stop()
					giveUp()
					return
				case <-next.C:
				}
			}
		}()
	}
	b := &t.deferred
	n := b.Len()
	if n > 0 {
		// In front of the deferred statements, after BEGIN when SendBatch
		// adds it.
		b.QueuedQueries = append([]*pgx.QueuedQuery{{SQL: setLockTimeout}}, b.QueuedQueries...)
		n++
	}
	b.Queue("COMMIT")
	err := func() error {
		br := t.SendBatch(read, b)
		for range n + 1 {
			if _, err := br.Exec(); err != nil {
				_ = br.Close()
				return err
			}
		}
		return br.Close()
	}()
	if watched != nil {
		close(answered)
		<-watched
	}
	if err == nil {
		t.begun = false
	} else if t.cancelled && ctx.Err() != nil {
		// The caller gave up and the server rolled back: the caller's
		// error, as before COMMIT.
		return fmt.Errorf("%w (the transaction was cancelled: %v)", ctx.Err(), err)
	}
	return err
}

// setLockTimeout bounds each wait for a lock of the statements sent with
// COMMIT (30 s); a variable for a test (SetLockTimeout).
var setLockTimeout = lockTimeoutSQL(30 * time.Second)

func lockTimeoutSQL(d time.Duration) string {
	return "SET LOCAL lock_timeout = '" + strconv.FormatInt(d.Milliseconds(), 10) + "ms'"
}

// cancelWait bounds the wait for the answer to a cancel request.
const cancelWait = 30 * time.Second

// cancelAgain is the first wait before a cancel request is sent again
// (doubling, up to a second).
const cancelAgain = 20 * time.Millisecond

// loseCancels makes the next cancel requests of commit unsent (lost on
// their way), for a test.
var loseCancels atomic.Int32

// lostCancel reports whether the cancel request about to be sent is to be
// lost (loseCancels), and counts it.
func lostCancel() bool {
	for {
		n := loseCancels.Load()
		if n <= 0 {
			return false
		}
		if loseCancels.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// rollback ends the transaction or savepoint. Standalone, a connection left
// in a transaction (say, rollback failed) is closed by the pool on release.
func (t *txn) rollback(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if t.sp != nil {
		_ = t.sp.Rollback(ctx)
		return
	}
	if !t.begun {
		return
	}
	_, _ = t.conn.Exec(ctx, "ROLLBACK")
	t.begun = false
}

// errRow is a pgx.Row whose Scan fails with err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
