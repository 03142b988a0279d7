package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/postgres"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// The test binary works in a schema of its own, dropped when it ends.
var (
	baseDSN   string          // from the PG* variables
	schemaDSN string          // baseDSN with search_path set to the schema
	shared    *postgres.Store // migrated, shared by the tests
	setupErr  error           // why PostgreSQL could not be used
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv(storagetest.ChildEnv) != "" {
		// A child process of a test: the parent made the schema.
		return m.Run()
	}
	baseDSN = dsnFromEnv()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, baseDSN)
	if err != nil {
		setupErr = err
		return m.Run()
	}
	defer conn.Close(context.Background())
	schema := newSchemaName()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		setupErr = err
		return m.Run()
	}
	defer func() {
		// ERPKIT_PG_KEEP_SCHEMA=1 keeps the schema (and any benchmark's
		// seeded data) for a look with psql; the binary prints its name.
		if os.Getenv("ERPKIT_PG_KEEP_SCHEMA") != "" {
			fmt.Fprintln(os.Stderr, "postgres tests: kept schema", schema)
			return
		}
		_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	}()
	schemaDSN = withSearchPath(baseDSN, schema)
	shared, err = postgres.Open(ctx, schemaDSN)
	if err == nil {
		defer shared.Close()
		err = shared.Migrate(ctx)
	}
	if err == nil {
		_, err = shared.Pool().Exec(ctx, `CREATE TABLE erp_test_host (tenant_id text NOT NULL, note text NOT NULL)`)
	}
	if err != nil {
		setupErr = err
	}
	return m.Run()
}

// dsnFromEnv builds a URL from PGHOST, PGPORT, PGUSER, PGPASSWORD and
// PGDATABASE, defaulting to postgres@127.0.0.1:5432/test.
func dsnFromEnv() string {
	get := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	u := url.URL{
		Scheme: "postgres",
		Host:   net.JoinHostPort(get("PGHOST", "127.0.0.1"), get("PGPORT", "5432")),
		Path:   "/" + get("PGDATABASE", "test"),
	}
	// A local test database needs no TLS; PGSSLMODE asks for it.
	q := url.Values{"sslmode": {get("PGSSLMODE", "disable")}}
	u.RawQuery = q.Encode()
	if pw, ok := os.LookupEnv("PGPASSWORD"); ok {
		u.User = url.UserPassword(get("PGUSER", "postgres"), pw)
	} else {
		u.User = url.User(get("PGUSER", "postgres"))
	}
	return u.String()
}

func withSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func newSchemaName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "erpkit_test_" + hex.EncodeToString(b)
}

// requirePostgres skips the test when PostgreSQL cannot be reached, or
// fails it when CI=true.
func requirePostgres(t testing.TB) {
	t.Helper()
	if setupErr == nil {
		return
	}
	reason := strings.Join(strings.Fields(setupErr.Error()), " ")
	msg := fmt.Sprintf("PostgreSQL unavailable (%s); set PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE or run scripts/test", reason)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// TestLedgerProcesses posts from three processes over the test schema,
// and kills one of them while it posts.
func TestLedgerProcesses(t *testing.T) {
	if os.Getenv(storagetest.ChildEnv) == "" {
		requirePostgres(t)
	}
	storagetest.LedgerProcesses(t, schemaDSN, func(t testing.TB, dsn string) ledger.Store { return openDSN(t, dsn) })
}

// openAnother opens a second store over the test schema, with a pool of its
// own, as another process would.
func openAnother(t testing.TB) *postgres.Store {
	t.Helper()
	return openDSN(t, schemaDSN)
}

// openDSN opens a store over dsn, closed after t.
func openDSN(t testing.TB, dsn string) *postgres.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// ledgerTables are the adapter's tenant-scoped tables.
var ledgerTables = []string{"erp_ledger_accounts", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances", "erp_ledger_daily", "erp_ledger_dimensions",
	"erp_ledger_calendars", "erp_ledger_period_events", "erp_ledger_chart_versions"}

func newHarness(t testing.TB) storagetest.Harness {
	requirePostgres(t)
	pool := shared.Pool()
	return storagetest.Harness{
		Name:  "postgres",
		Store: shared,
		Rows: func(ctx context.Context, tenant string) (map[string]int, error) {
			out := map[string]int{}
			for _, table := range ledgerTables {
				var n int
				// table comes from the constant list above, never from input.
				if err := pool.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
					return nil, err
				}
				out[table] = n
			}
			return out, nil
		},
		OpenAnother: func(t testing.TB) ledger.Store { return openAnother(t) },
		InTx: func(ctx context.Context, fn func(tx ledger.Store) error) error {
			return shared.InTx(ctx, func(tx *postgres.Store) error { return fn(tx) })
		},
		InTxOf: func(ctx context.Context, s ledger.Store, fn func(tx ledger.Store) error) error {
			return s.(*postgres.Store).InTx(ctx, func(tx *postgres.Store) error { return fn(tx) })
		},
		HostTx: func(ctx context.Context, tenant string, commit bool, fn func(ledger.Store) error) error {
			tx, err := pool.Begin(ctx)
			if err != nil {
				return err
			}
			defer func() { _ = tx.Rollback(ctx) }()
			if _, err := tx.Exec(ctx, `INSERT INTO erp_test_host (tenant_id, note) VALUES ($1, 'host row')`, tenant); err != nil {
				return err
			}
			if err := fn(postgres.NewTx(tx)); err != nil {
				return err
			}
			if commit {
				return tx.Commit(ctx)
			}
			return tx.Rollback(ctx)
		},
		HostRows: func(ctx context.Context, tenant string) (int, error) {
			var n int
			err := pool.QueryRow(ctx, `SELECT count(*) FROM erp_test_host WHERE tenant_id = $1`, tenant).Scan(&n)
			return n, err
		},
		Together: func(t testing.TB, tenant string, calls []func(), queued int) int {
			return postgres.RunTogether(t, shared, tenant, calls, queued)
		},
		PanicInGroupWrite: postgres.PanicInGroupWrite,
		Short:             testing.Short(),
	}
}

// TestLedger runs the ledger conformance suite.
func TestLedger(t *testing.T) {
	storagetest.Ledger(t, newHarness(t))
}

// TestLedgerTwoStores posts through two pools at once, as two processes.
func TestLedgerTwoStores(t *testing.T) {
	newHarness(t)
	storagetest.LedgerTwoStores(t, openAnother(t), openAnother(t))
}

// BenchmarkLedger runs the ledger benchmarks (see docs/bench/postgres.md).
func BenchmarkLedger(b *testing.B) {
	storagetest.BenchLedger(b, newHarness(b))
}
