package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/tenantcache"
	"github.com/erpkit/erpkit/storage/internal/unwind"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the adapter's schema as numbered SQL files (0001_ledger.sql,
// ...), for hosts that run their own migration tool. Migrate applies them.
var Migrations fs.FS = mustSub(migrationFiles, "migrations")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

var (
	_ ledger.Store            = (*Store)(nil)
	_ ledger.ConcurrentReader = (*Store)(nil)
)

// Store is the SQLite adapter. It is safe for concurrent use.
type Store struct {
	w   *sql.DB // writer pool (one connection, IMMEDIATE transactions); nil when bound
	r   *sql.DB // reader pool; nil when bound
	tx  *sql.Tx // set when the Store is bound to one transaction
	own bool    // Close closes w and r

	wc, rc *stmtCache                  // prepared statements of w and r; nil when bound
	grp    *committer                  // group commit of postings; nil unless Open made w
	ckpt   *checkpointer               // background checkpoints; nil unless Open made w
	charts *tenantcache.Cache[tbChart] // tenants' charts of accounts for balance reads; nil when bound
	// snap, in a Store made by ReadSnapshot (w, r and tx nil): the read
	// transaction every read runs in.
	snap *sql.Tx
	// busy is Options.BusyTimeout when Open made w, whose busy_timeout is
	// only busyPoll: the store itself then polls for another process's
	// write lock (waitBusy). Zero otherwise.
	busy time.Duration
}

// busyPoll is the writer connection's own busy_timeout. SQLite's busy
// handler sleeps between its tries for the lock (1, 2, 5, 10, ... ms, then
// 100 ms each after the first 228 ms), and a process that writes without
// pause takes the lock again at once after each commit, so a handler in
// its long sleeps almost never finds it free. BenchmarkOtherProcessWait
// (docs/benchmarks.md): the longest of another process's 200 postings
// took 2.6 s that way (median of five runs, up to 8 s), and 0.25 s (up to
// 0.7 s) with a BEGIN tried again every busyPoll.
const busyPoll = 25 * time.Millisecond

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Options tune Open. The zero value is sensible.
type Options struct {
	// BusyTimeout is how long a write waits for another process's write
	// lock at each of its attempts (default 10s); it fails after 10
	// attempts' worth. SQLite does not queue waiters, so the store tries
	// for the lock itself every 25 ms meanwhile (busyPoll; docs/ledger.md,
	// Concurrency). Readers wait BusyTimeout once.
	BusyTimeout time.Duration
	// Readers is the size of the read pool (default 4).
	Readers int
	// RelaxedDurability sets synchronous=NORMAL instead of FULL: commits no
	// longer wait for the disk, so a power loss or OS crash (not a crash of
	// the program) may undo the last transactions. Off by default: an
	// acknowledged posting must survive a power cut.
	RelaxedDurability bool
}

// Open opens (creating if needed) the SQLite database file at path. It does
// not change the schema: call Migrate.
func Open(ctx context.Context, path string, opts ...Options) (*Store, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 10 * time.Second
	}
	if o.Readers <= 0 {
		o.Readers = 4
	}
	if path == "" || strings.Contains(path, ":memory:") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: Open needs a plain file path, got %q", path)
	}
	sync := "synchronous(FULL)" // the WAL is synced at every commit
	if o.RelaxedDurability {
		sync = "synchronous(NORMAL)"
	}
	q := url.Values{}
	for _, p := range []string{
		"busy_timeout(" + strconv.FormatInt(o.BusyTimeout.Milliseconds(), 10) + ")",
		"journal_mode(WAL)",
		"foreign_keys(1)",
		sync,
		"cache_size(-65536)", // 64 MiB per connection: batches must not spill pages mid-transaction
		"temp_store(MEMORY)",
		"wal_autocheckpoint(" + strconv.Itoa(autoCheckpointPages) + ")", // checkpoints run in the background
	} {
		q.Add("_pragma", p)
	}
	dsn := "file:" + path + "?" + q.Encode()
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Set here, not in the DSN, so that opening the file (journal_mode)
	// waits the whole BusyTimeout. The pool keeps its one connection; one
	// that replaced it would wait the whole BusyTimeout at each attempt, as
	// before busyPoll, which is slower to get the lock but no less correct.
	if _, err := w.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.FormatInt(min(busyPoll, o.BusyTimeout).Milliseconds(), 10)); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn+"&"+url.Values{"_pragma": {"query_only(1)"}}.Encode())
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(o.Readers)
	r.SetMaxIdleConns(o.Readers)
	return &Store{w: w, r: r, own: true, wc: newStmtCache(w), rc: newStmtCache(r), grp: newCommitter(),
		ckpt: startCheckpointer(r), charts: &tenantcache.Cache[tbChart]{}, busy: o.BusyTimeout}, nil
}

// New returns a Store over a database the host opened itself (driver
// "sqlite" of modernc.org/sqlite). The host should enable WAL, foreign keys
// and a busy timeout; writes begin IMMEDIATE transactions only if the DSN
// says so (_txlock=immediate), and are retried when SQLite reports busy.
func New(db *sql.DB) *Store {
	c := newStmtCache(db)
	return &Store{w: db, r: db, wc: c, rc: c, charts: &tenantcache.Cache[tbChart]{}}
}

// NewTx returns a Store bound to the host's transaction tx: every call runs
// inside it, so the host's rows and erpkit's commit or roll back together.
// Each write runs in a savepoint, so a failed call leaves tx as it was. The
// Store must not be used after tx ends.
func NewTx(tx *sql.Tx) *Store { return &Store{tx: tx} }

// Close closes the databases Open opened; it does nothing for New and NewTx.
func (s *Store) Close() error {
	s.ckpt.close()
	if s.wc != nil {
		s.wc.close()
		s.rc.close()
	}
	if !s.own {
		return nil
	}
	return errors.Join(s.w.Close(), s.r.Close())
}

// DB returns the writer database, for hosts that want to run their own
// statements on the same file (nil for a Store bound to a transaction).
// Its connection waits only 25 ms for another process's write lock (the
// Store tries again itself, up to Options.BusyTimeout per attempt): a
// host's own write transactions on it should go through InTx, which does
// the same, or retry SQLITE_BUSY themselves.
func (s *Store) DB() *sql.DB { return s.w }

// InTx runs fn with a Store bound to one transaction: committed when fn
// returns nil, rolled back otherwise - also when fn panics, before the
// panic goes on to the caller. When SQLite reports busy the whole of
// fn is run again (a bounded number of times), so fn should have no effects
// outside the transaction. On a bound Store, InTx runs fn in a savepoint.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.snap != nil {
		return errReadOnly
	}
	if s.tx != nil {
		return s.savepoint(ctx, func(querier) error { return fn(s) })
	}
	return s.run(ctx, func(q querier) error { return fn(&Store{tx: q.(cachedTx).tx}) })
}

// ConcurrentReads implements ledger.ConcurrentReader: a Store over its own
// pools serves reads from several goroutines at once (WAL readers); one
// bound to a transaction does not.
func (s *Store) ConcurrentReads() bool { return s.tx == nil && s.snap == nil }

// ReadSnapshot implements ledger.SnapshotReader: fn's Store reads in one
// read transaction of the reader pool, so every read sees the data as of
// the first (WAL: commits after it are not seen); its writes return
// ledger.ErrReadOnlySnapshot. On a Store bound to a transaction, fn reads
// in that transaction, which is one snapshot already.
func (s *Store) ReadSnapshot(ctx context.Context, fn func(ledger.Store) error) error {
	if s.tx != nil || s.snap != nil {
		return fn(s)
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return interpretError(err)
	}
	defer func() {
		_ = tx.Rollback()
		// Statements the snapshot ran unprepared (it must not wait for
		// another connection to prepare them) are prepared for next time.
		s.rc.prepareNoted(context.WithoutCancel(ctx))
	}()
	return fn(&Store{snap: tx, rc: s.rc, charts: s.charts})
}

// errReadOnly: a write through a Store made by ReadSnapshot.
var errReadOnly = fmt.Errorf("sqlite: %w", ledger.ErrReadOnlySnapshot)

// reader returns where reads go.
func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	if s.snap != nil {
		return cachedTx{s.snap, s.rc}
	}
	return cachedDB{s.rc}
}

// snapshot returns where the statements of one call that must see one
// snapshot go: the bound transaction, or a read transaction of the reader
// pool, ended by done, that runs the cached statements of stmts. They are
// prepared before it begins: preparing waits for a free connection, and
// the transaction holds one (with a pool of one it would wait for ever).
func (s *Store) snapshot(ctx context.Context, stmts []string) (rq querier, done func(), err error) {
	if s.tx != nil {
		return s.tx, func() {}, nil
	}
	if s.snap != nil {
		return cachedTx{s.snap, s.rc}, func() {}, nil
	}
	prepared := make(map[string]*sql.Stmt, len(stmts))
	for _, q := range stmts {
		st, err := s.rc.get(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		if st != nil {
			prepared[q] = st
		}
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	return readTx{tx, prepared}, func() { _ = tx.Rollback() }, nil
}

// readTx runs statements in a read transaction, prepared ones through the
// reader pool's statements.
type readTx struct {
	tx       *sql.Tx
	prepared map[string]*sql.Stmt
}

func (r readTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.tx.ExecContext(ctx, query, args...)
}

func (r readTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := r.prepared[query]; st != nil {
		return r.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return r.tx.QueryContext(ctx, query, args...)
}

func (r readTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := r.prepared[query]; st != nil {
		return r.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return r.tx.QueryRowContext(ctx, query, args...)
}

const maxAttempts = 10

// write runs fn atomically: in a savepoint of the bound transaction, or in a
// transaction of its own, retried when the database is busy or a concurrent
// writer took a key first.
func (s *Store) write(ctx context.Context, fn func(q querier) error) error {
	if s.snap != nil {
		return errReadOnly
	}
	if s.tx != nil {
		return s.savepoint(ctx, fn)
	}
	return s.run(ctx, fn)
}

var savepointSeq atomic.Uint64

func (s *Store) savepoint(ctx context.Context, fn func(q querier) error) error {
	name := "erp_sp_" + strconv.FormatUint(savepointSeq.Add(1), 10)
	return inSavepoint(ctx, s.tx, s.tx, name, fn)
}

// errSavepoint marks a failure to roll a savepoint back: its writes may
// still be in the transaction, which therefore must not commit.
var errSavepoint = errors.New("sqlite: savepoint could not be rolled back; the transaction must be rolled back")

// inSavepoint runs fn in savepoint name of tx (statements through q), rolled
// back to when fn fails and run again when the failure is transient.
// Savepoint statements go to tx itself, never through the statement cache.
func inSavepoint(ctx context.Context, tx *sql.Tx, q querier, name string, fn func(q querier) error) error {
	for attempt := 1; ; attempt++ {
		if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
			return interpretError(err)
		}
		// Ending the savepoint must not be cancelled half way: a savepoint
		// left open would commit with the transaction a write whose caller
		// was told it failed. A panic in fn ends it too, before going on.
		bg := context.WithoutCancel(ctx)
		err := interpretError(unwind.Call(func() error { return fn(q) }, func() { undoSavepoint(bg, tx, name) }))
		if err == nil {
			if _, err = tx.ExecContext(bg, "RELEASE "+name); err == nil {
				return nil
			}
			err = interpretError(err)
		}
		if _, rerr := tx.ExecContext(bg, "ROLLBACK TO "+name); rerr != nil {
			return errors.Join(err, errSavepoint, rerr)
		}
		if _, rerr := tx.ExecContext(bg, "RELEASE "+name); rerr != nil {
			return errors.Join(err, errSavepoint, rerr)
		}
		if !errors.Is(err, errRetry) || attempt >= maxAttempts {
			return unretry(err)
		}
	}
}

// undoSavepoint rolls savepoint name of tx back and ends it, ignoring
// errors: it runs while a panic unwinds, which it must not replace.
func undoSavepoint(ctx context.Context, tx *sql.Tx, name string) {
	_, _ = tx.ExecContext(ctx, "ROLLBACK TO "+name)
	_, _ = tx.ExecContext(ctx, "RELEASE "+name)
}

func (s *Store) run(ctx context.Context, fn func(q querier) error) error {
	defer s.wc.prepareNoted(context.WithoutCancel(ctx))
	var since time.Time
	for attempt := 1; ; attempt++ {
		began := time.Now()
		err := s.runOnce(ctx, fn)
		again, final := s.waitBusy(ctx, err, began, &since)
		if final != nil {
			return final
		}
		if again {
			attempt--
			continue
		}
		if err == nil || !errors.Is(err, errRetry) || attempt >= maxAttempts {
			return unretry(err)
		}
		if err := sleep(ctx, attempt); err != nil {
			return err
		}
	}
}

// waitBusy tells, for a write whose attempt began at began and failed
// with err, whether to begin again at once: so when BEGIN found another
// process holding the write lock (the writer's busy_timeout is only
// busyPoll) and the write has waited less than maxAttempts times
// BusyTimeout since *since, which it sets at the first such failure.
// Otherwise, for such a failure, final is what the write returns: ctx's
// error when ctx has ended, else err. Both are zero for any other error.
func (s *Store) waitBusy(ctx context.Context, err error, began time.Time, since *time.Time) (again bool, final error) {
	if s.busy <= 0 || !busyAtBegin(err) {
		return false, nil
	}
	if since.IsZero() {
		*since = began
	}
	if cerr := ctx.Err(); cerr != nil {
		return false, cerr
	}
	if time.Since(*since) >= s.busy*maxAttempts {
		return false, unretry(err)
	}
	if time.Since(began) < time.Millisecond {
		// Busy without the handler's sleeps (SQLITE_LOCKED, recovery):
		// do not spin.
		if serr := sleep(ctx, 1); serr != nil {
			return false, serr
		}
	}
	return true, nil
}

func (s *Store) runOnce(ctx context.Context, fn func(q querier) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return beginError(err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	// A panic in fn rolls back too: the writer's one connection must not
	// stay in the transaction.
	err = unwind.Call(func() error { return fn(cachedTx{tx, s.wc}) }, func() { _ = tx.Rollback() })
	if err = interpretError(err); err != nil {
		return err
	}
	if err = interpretError(tx.Commit()); err == nil {
		s.ckpt.committed()
	}
	return err
}

func sleep(ctx context.Context, attempt int) error {
	d := time.Duration(attempt*attempt) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// errRetry marks an error after which the whole transaction may be run again.
var errRetry = errors.New("sqlite: transient conflict, retry")

type retryError struct {
	err   error
	busy  bool // the database was busy (locked by another connection)
	begin bool // busy at BEGIN: nothing of the transaction has run
}

// beginError is interpretError for an error of BEGIN.
func beginError(err error) error {
	err = interpretError(err)
	var re *retryError
	if errors.As(err, &re) && re.busy {
		re.begin = true
	}
	return err
}

// busyAtBegin tells whether err is BEGIN's, with the database busy.
func busyAtBegin(err error) bool {
	var re *retryError
	return errors.As(err, &re) && re.begin
}

func (e *retryError) Error() string        { return e.err.Error() }
func (e *retryError) Unwrap() error        { return e.err }
func (e *retryError) Is(target error) bool { return target == errRetry }

func unretry(err error) error {
	var re *retryError
	if errors.As(err, &re) {
		return re.err
	}
	return err
}

// interpretError translates driver errors into engine errors, in one place.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	var re *retryError
	if errors.As(err, &re) {
		return err
	}
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		if errors.Is(err, driver.ErrBadConn) {
			return &retryError{err: err}
		}
		return err
	}
	switch se.Code() {
	case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED, sqlite3lib.SQLITE_BUSY_SNAPSHOT,
		sqlite3lib.SQLITE_BUSY_RECOVERY, sqlite3lib.SQLITE_LOCKED_SHAREDCACHE:
		return &retryError{err: fmt.Errorf("sqlite: database busy: %w", err), busy: true}
	case sqlite3lib.SQLITE_CONSTRAINT_UNIQUE, sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY:
		msg := se.Error()
		switch {
		case strings.Contains(msg, "erp_ledger_accounts.code"):
			return fmt.Errorf("%w (%s)", ledger.ErrAccountExists, msg)
		case strings.Contains(msg, "erp_ledger_entries.reverses_id"):
			return &ledger.AlreadyReversedError{}
		case strings.Contains(msg, "erp_ledger_entries.idempotency_key"):
			// Another writer posted the key first: run again to replay it.
			return &retryError{err: err}
		}
	}
	return fmt.Errorf("sqlite: %w", err)
}

// Migrate applies the migrations not yet applied, each in its own
// transaction, recording them in erp_migrations. Running it again is a no-op.
func (s *Store) Migrate(ctx context.Context) error {
	names, err := fs.Glob(Migrations, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	const create = `CREATE TABLE IF NOT EXISTS erp_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`
	if err := s.write(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, create)
		return err
	}); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: name must start with its number", name)
		}
		body, err := fs.ReadFile(Migrations, name)
		if err != nil {
			return err
		}
		err = s.write(ctx, func(tx querier) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM erp_migrations WHERE version = ?`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO erp_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				version, name, formatTime(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }
