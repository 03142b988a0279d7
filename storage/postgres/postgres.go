package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/tenantcache"
	"github.com/erpkit/erpkit/storage/internal/unwind"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations holds the adapter's numbered SQL migrations (0001_ledger.sql,
// ...), for hosts that apply them with their own migration tool. Migrate
// applies the same files.
var Migrations fs.FS = mustSub(migrationFiles, "migrations")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

var (
	_ ledger.Store            = (*Store)(nil)
	_ ledger.ConcurrentReader = (*Store)(nil)
)

// ErrConflict is returned by a Store bound to a host's transaction (NewTx)
// when PostgreSQL aborted a statement for a serialization failure or a
// deadlock: the host should roll back and retry its whole transaction.
// Stores over a pool (Open, New) and InTx retry such conflicts themselves.
var ErrConflict = errors.New("postgres: serialization failure or deadlock; retry the transaction")

// Store is the PostgreSQL implementation of every erpkit engine's Store.
// It is safe for concurrent use unless bound to a transaction (NewTx, InTx),
// which, like the transaction, belongs to one goroutine.
type Store struct {
	pool *pgxpool.Pool // standalone: each write runs in its own transaction
	tx   pgx.Tx        // bound: each write runs in a savepoint of tx
	own  bool          // Close closes pool
	grp  *postGroups   // standalone: group commit of concurrent postings
	// charts keeps tenants' charts of accounts (standalone only: nil when bound).
	charts *tenantcache.Cache[*chart]
	// snap, in a Store made by ReadSnapshot (pool and tx nil): the
	// repeatable-read, read-only transaction every read runs in.
	snap pgx.Tx
}

// querier is what pgxpool.Pool and pgx.Tx have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

// Open connects to the database the DSN names (a URL or key=value string, as
// pgxpool.ParseConfig takes) with a pool of its own, which Close closes. It
// does not migrate: call Migrate.
//
// Unless the DSN sets pool_max_conns, the pool holds up to four connections
// per CPU (at least 8): a posting spends most of its time waiting for the
// commit to reach disk, not on a CPU.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", flatten(err))
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = int32(max(8, 4*runtime.NumCPU()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", flatten(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", flatten(err))
	}
	return &Store{pool: pool, own: true, grp: newPostGroups(), charts: &tenantcache.Cache[*chart]{}}, nil
}

// New returns a Store over the host's pool; Close leaves the pool open.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, grp: newPostGroups(), charts: &tenantcache.Cache[*chart]{}}
}

// NewTx returns a Store bound to the host's transaction: erpkit's rows
// commit or roll back with the host's. Each write runs in a savepoint, so a
// failed call leaves tx usable and unchanged. Conflicts PostgreSQL reports
// (serialization failure, deadlock) are not retried: they return ErrConflict
// and the host retries its transaction.
func NewTx(tx pgx.Tx) *Store { return &Store{tx: tx} }

// Close closes the pool when Open created it.
func (s *Store) Close() {
	if s.own && s.pool != nil {
		s.pool.Close()
	}
}

// Pool returns the store's pool, nil when it is bound to a transaction.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// InTx runs fn with a Store bound to one transaction, committed when fn
// returns nil and rolled back otherwise - also when fn panics, before the
// panic goes on to the caller. On a serialization failure or
// deadlock the whole transaction, fn included, is retried a bounded number
// of times, so fn must be free of side effects outside the transaction. On a
// Store already bound to a transaction, InTx runs fn in a savepoint of it.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.snap != nil {
		return errReadOnly
	}
	if s.tx != nil {
		sp, err := s.tx.Begin(ctx)
		if err != nil {
			return interpretError(err, nil)
		}
		// A panic in fn rolls the savepoint back before going on: a host
		// that recovers and commits must not commit fn's half-done writes.
		undo := func() { _ = sp.Rollback(context.WithoutCancel(ctx)) }
		if err := unwind.Call(func() error { return fn(&Store{tx: sp}) }, undo); err != nil {
			undo()
			return err
		}
		return interpretError(sp.Commit(ctx), nil)
	}
	return retry(ctx, func() error {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return interpretError(err, nil)
		}
		// A panic in fn rolls back too, which returns the connection to
		// the pool and frees its locks.
		undo := func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }
		if err := unwind.Call(func() error { return fn(&Store{tx: tx}) }, undo); err != nil {
			undo()
			return err
		}
		return interpretError(tx.Commit(ctx), nil)
	})
}

// reader returns what a read-only call queries.
// ConcurrentReads implements ledger.ConcurrentReader: a Store over a pool
// serves reads from several goroutines at once; one bound to a transaction
// does not (a pgx.Tx is one connection).
func (s *Store) ConcurrentReads() bool { return s.tx == nil && s.snap == nil }

// ReadSnapshot implements ledger.SnapshotReader: fn's Store reads in one
// repeatable-read, read-only transaction, so every read sees the data as
// of the first; its writes return ledger.ErrReadOnlySnapshot. On a Store
// bound to a transaction, fn reads in that transaction, and sees one
// snapshot only if its isolation level gives one (REPEATABLE READ or
// SERIALIZABLE; not the default READ COMMITTED).
func (s *Store) ReadSnapshot(ctx context.Context, fn func(ledger.Store) error) error {
	if s.tx != nil || s.snap != nil {
		return fn(s)
	}
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		if err := fn(&Store{snap: tx, charts: s.charts}); err != nil {
			return &callbackError{err} // fn's own, as it is: not retried
		}
		return nil
	})
	if ce, ok := err.(*callbackError); ok {
		return ce.err
	}
	return err
}

// errReadOnly: a write through a Store made by ReadSnapshot.
var errReadOnly = fmt.Errorf("postgres: %w", ledger.ErrReadOnlySnapshot)

func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	if s.snap != nil {
		return s.snap
	}
	return s.pool
}

// callbackError carries an error of a caller's callback through the write
// machinery unchanged: it is neither interpreted nor retried.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

// write runs fn atomically. Standalone, in a transaction of its own, retried
// on transient conflicts; bound, in a savepoint, retried only when a
// concurrent insert of the same idempotency key committed (the next attempt
// sees it). Driver errors are interpreted; callback errors pass unchanged.
func (s *Store) write(ctx context.Context, fn func(tx *txn) error) error {
	if s.snap != nil {
		return errReadOnly
	}
	var err error
	if s.tx != nil {
		for attempt := 0; ; attempt++ {
			err = s.once(ctx, fn)
			var re *retryError
			if attempt < 3 && errors.As(err, &re) && re.key {
				continue
			}
			break
		}
	} else {
		err = retry(ctx, func() error { return s.once(ctx, fn) })
	}
	var ce *callbackError
	if errors.As(err, &ce) {
		return ce.err
	}
	return err
}

// once runs fn in a transaction of a pooled connection (standalone) or a
// savepoint (bound), and commits when fn succeeds. The error is interpreted.
func (s *Store) once(ctx context.Context, fn func(tx *txn) error) error {
	t := &txn{}
	if s.tx != nil {
		sp, err := s.tx.Begin(ctx)
		if err != nil {
			return interpretError(err, nil)
		}
		t.sp = sp
	} else {
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			return interpretError(err, nil)
		}
		defer func() {
			if t.cancelled {
				_ = conn.Conn().Close(context.WithoutCancel(ctx))
			}
			conn.Release()
		}()
		t.conn = conn.Conn()
	}
	err := unwind.Call(func() error { return fn(t) }, func() { t.rollback(ctx) })
	if err == nil {
		err = t.commit(ctx)
	}
	if err != nil {
		t.rollback(ctx)
		var ce *callbackError
		if errors.As(err, &ce) {
			return ce
		}
		return interpretError(err, nil)
	}
	return nil
}

// snapshot runs read in a repeatable-read, read-only transaction of the
// pool (one snapshot for all its statements), retried on transient
// conflicts; the transaction is rolled back, having written nothing.
func (s *Store) snapshot(ctx context.Context, read func(tx pgx.Tx) error) error {
	if s.snap != nil {
		return interpretError(read(s.snap), nil)
	}
	return retry(ctx, func() error {
		tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return interpretError(err, nil)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		return interpretError(read(tx), nil)
	})
}

// maxAttempts bounds the retries of a transaction that keeps conflicting.
const maxAttempts = 12

// retry runs fn until it returns an error that is not a *retryError, at most
// maxAttempts times, with jittered exponential backoff between attempts.
func retry(ctx context.Context, fn func() error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
		}
		err = fn()
		var re *retryError
		if !errors.As(err, &re) {
			return err
		}
	}
	return err
}

func backoff(ctx context.Context, attempt int) error {
	d := time.Millisecond << min(attempt, 7) // 2ms .. 128ms
	d = d/2 + rand.N(d)                      // jitter: 0.5d .. 1.5d
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryError is a transient conflict: a serialization failure, a deadlock,
// or (key) a concurrent insert of the same idempotency key. It unwraps to
// ErrConflict.
type retryError struct {
	msg string
	key bool
}

func (e *retryError) Error() string { return ErrConflict.Error() + ": " + e.msg }
func (e *retryError) Unwrap() error { return ErrConflict }

// Constraint names, as 0001_ledger.sql declares them.
const (
	consAccountPK     = "erp_ledger_accounts_pkey"
	consAccountCode   = "erp_ledger_accounts_code_key"
	consAccountParent = "erp_ledger_accounts_parent_fkey"
	consEntryKey      = "erp_ledger_entries_idempotency_key_key"
	consEntryReverses = "erp_ledger_entries_reverses_id_key"
	consReversesFK    = "erp_ledger_entries_reverses_fkey"
	consLineAccount   = "erp_ledger_lines_account_fkey"
	consBalanceAcct   = "erp_ledger_balances_account_fkey"
	consLineAmount    = "erp_ledger_lines_amount_check"
)

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// interpretError is the one place driver errors become erpkit errors:
// no rows -> notFound (when given), unique and foreign-key violations -> the
// ledger's errors, serialization failures and deadlocks -> *retryError.
// Anything else is flattened to text so that no driver type leaks out;
// context cancellation stays matchable with errors.Is.
func interpretError(err error, notFound error) error {
	if err == nil {
		return nil
	}
	var ce *callbackError
	var re *retryError
	if errors.As(err, &ce) || errors.As(err, &re) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) && notFound != nil {
		return notFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01":
			return &retryError{msg: pe.Message}
		case "23505": // unique_violation
			switch pe.ConstraintName {
			case consEntryKey:
				return &retryError{msg: pe.Message, key: true}
			case consEntryReverses:
				return &ledger.AlreadyReversedError{Entry: uuidPattern.FindString(pe.Detail)}
			case consAccountCode, consAccountPK:
				return fmt.Errorf("%w: %s", ledger.ErrAccountExists, pe.Detail)
			}
		case "23503": // foreign_key_violation
			switch pe.ConstraintName {
			case consAccountParent, consLineAccount, consBalanceAcct:
				return fmt.Errorf("%w: %s", ledger.ErrAccountNotFound, pe.Detail)
			case consReversesFK:
				return fmt.Errorf("%w: %s", ledger.ErrEntryNotFound, pe.Detail)
			}
		case "23502": // not_null_violation
			if pe.TableName == "erp_ledger_daily" {
				// sqlPostOneFast found a later posting day under its lock:
				// run the posting again by the general path.
				return &retryError{msg: "posting raced a later-dated one; retried by the general path"}
			}
		case "23514": // check_violation
			if pe.ConstraintName == consLineAmount {
				return ledger.ErrInvalidAmount
			}
		}
		return fmt.Errorf("postgres: %s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	return flatten(err)
}

// flatten turns a driver error into text, keeping context errors matchable.
func flatten(err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("postgres: %w", context.Canceled)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("postgres: %w", context.DeadlineExceeded)
	}
	return errors.New("postgres: " + err.Error())
}

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	files, err := fs.Glob(Migrations, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		num, name, ok := strings.Cut(strings.TrimSuffix(f, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("postgres: migration %s is not named NNNN_name.sql", f)
		}
		b, err := fs.ReadFile(Migrations, f)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// The advisory lock that serialises migrations of one schema across processes.
const migrateLock = `SELECT pg_advisory_xact_lock(hashtext('erpkit.migrate.' || current_schema()))`

// Migrate applies the migrations not yet recorded in erp_migrations, each in
// its own transaction, under an advisory lock so that processes migrating at
// once apply each migration once. Running it again is a no-op. On a Store
// bound to a transaction the migrations run in savepoints of it.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	err = s.once(ctx, func(tx *txn) error {
		if _, err := tx.Exec(ctx, migrateLock); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS erp_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	for _, m := range ms {
		err := s.once(ctx, func(tx *txn) error {
			if _, err := tx.Exec(ctx, migrateLock); err != nil {
				return err
			}
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM erp_migrations WHERE version = $1)`, m.version).Scan(&done); err != nil {
				return err
			}
			if done {
				return nil
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO erp_migrations (version, name, applied_at) VALUES ($1, $2, now())`, m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}
