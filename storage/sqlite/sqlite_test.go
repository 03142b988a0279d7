package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var tables = []string{"erp_ledger_accounts", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances", "erp_ledger_daily", "erp_ledger_dimensions",
	"erp_ledger_calendars", "erp_ledger_period_events", "erp_ledger_chart_versions"}

func harness(t testing.TB) storagetest.Harness {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "erp.db")
	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	_, err = st.DB().ExecContext(ctx, `CREATE TABLE erp_test_host (tenant_id TEXT NOT NULL, note TEXT NOT NULL) STRICT`)
	require.NoError(t, err)
	return storagetest.Harness{
		Name:  "sqlite",
		Store: st,
		Rows: func(ctx context.Context, tenant string) (map[string]int, error) {
			out := map[string]int{}
			for _, tb := range tables {
				var n int
				if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+tb+` WHERE tenant_id = ?`, tenant).Scan(&n); err != nil {
					return nil, err
				}
				out[tb] = n
			}
			return out, nil
		},
		OpenAnother: func(t testing.TB) ledger.Store {
			other, err := sqlite.Open(ctx, path)
			require.NoError(t, err)
			t.Cleanup(func() { _ = other.Close() })
			return other
		},
		InTx: func(ctx context.Context, fn func(ledger.Store) error) error {
			return st.InTx(ctx, func(tx *sqlite.Store) error { return fn(tx) })
		},
		InTxOf: func(ctx context.Context, s ledger.Store, fn func(ledger.Store) error) error {
			return s.(*sqlite.Store).InTx(ctx, func(tx *sqlite.Store) error { return fn(tx) })
		},
		HostTx: func(ctx context.Context, tenant string, commit bool, fn func(ledger.Store) error) error {
			tx, err := st.DB().BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO erp_test_host (tenant_id, note) VALUES (?, 'host row')`, tenant); err != nil {
				return errors.Join(err, tx.Rollback())
			}
			if err := fn(sqlite.NewTx(tx)); err != nil || !commit {
				return errors.Join(err, tx.Rollback())
			}
			return tx.Commit()
		},
		HostRows: func(ctx context.Context, tenant string) (int, error) {
			var n int
			err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM erp_test_host WHERE tenant_id = ?`, tenant).Scan(&n)
			return n, err
		},
		Together: func(t testing.TB, tenant string, calls []func(), queued int) int {
			return sqlite.RunTogether(t, st, tenant, calls, queued)
		},
		PanicInGroupWrite: sqlite.PanicInGroupWrite,
		Short:             testing.Short(),
	}
}

func TestLedger(t *testing.T) {
	storagetest.Ledger(t, harness(t))
}

// TestLedgerTwoStores posts through two Stores over one file at once, as
// two processes.
func TestLedgerTwoStores(t *testing.T) {
	a, b := openTwo(t)
	storagetest.LedgerTwoStores(t, a, b)
}

// TestLedgerProcesses posts from three processes over one file, and kills
// one of them while it posts.
func TestLedgerProcesses(t *testing.T) {
	path := processFile(t)
	storagetest.LedgerProcesses(t, path, func(t testing.TB, path string) ledger.Store { return openFile(t, path) })
}

// processFile is the database of a process test: in the test's own
// process, a new migrated file; in a child, which the test tells where the
// file is, "".
func processFile(t *testing.T) string {
	if os.Getenv(storagetest.ChildEnv) != "" {
		return ""
	}
	path := filepath.Join(t.TempDir(), "processes.db")
	require.NoError(t, openFile(t, path).Migrate(context.Background()))
	return path
}

// migratedFile opens a Store over a new file, migrated, closed after t.
func migratedFile(t *testing.T) *sqlite.Store {
	st := openFile(t, filepath.Join(t.TempDir(), "erp.db"))
	require.NoError(t, st.Migrate(context.Background()))
	return st
}

// openFile opens a Store over path, closed after t.
func openFile(t testing.TB, path string) *sqlite.Store {
	st, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// openTwo opens two Stores over one new, migrated file.
func openTwo(t *testing.T) (*sqlite.Store, *sqlite.Store) {
	path := filepath.Join(t.TempDir(), "two.db")
	a, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = a.Close() })
	require.NoError(t, a.Migrate(context.Background()))
	b, err := sqlite.Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = b.Close() })
	return a, b
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	require.NoError(t, err)
	defer st.Close()
	// Nothing exists before Migrate: the constructor changes no schema.
	var n int
	require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name LIKE 'erp_%'`).Scan(&n))
	require.Equal(t, 0, n)
	require.NoError(t, st.Migrate(ctx))
	require.NoError(t, st.Migrate(ctx), "running again is a no-op")
	var versions int
	require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(*) FROM erp_migrations`).Scan(&versions))
	files, err := fs.Glob(sqlite.Migrations, "*.sql")
	require.NoError(t, err)
	require.Equal(t, len(files), versions)
	// Every erp_ table is STRICT, so no amount can silently become a float.
	rows, err := st.DB().QueryContext(ctx, `SELECT name, strict FROM pragma_table_list WHERE name LIKE 'erp_%'`)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var name string
		var strict int
		require.NoError(t, rows.Scan(&name, &strict))
		require.Equal(t, 1, strict, name)
	}
	require.NoError(t, rows.Err())
}

func TestOpenRejectsMemory(t *testing.T) {
	_, err := sqlite.Open(context.Background(), ":memory:")
	require.Error(t, err)
}

var _ = sql.ErrNoRows

// Commits are durable by default: the WAL is synced at every commit.
func TestDurableByDefault(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, c := range []struct {
		opts sqlite.Options
		want int
	}{{sqlite.Options{}, 2}, {sqlite.Options{RelaxedDurability: true}, 1}} {
		st, err := sqlite.Open(ctx, filepath.Join(dir, fmt.Sprint(c.want, ".db")), c.opts)
		require.NoError(t, err)
		var n int
		require.NoError(t, st.DB().QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&n))
		require.Equal(t, c.want, n)
		require.NoError(t, st.Close())
	}
}

// A balance sheet reads the chart beside its balances (two reads at once)
// and the balances in a read transaction: with a read pool of one
// connection the two must take turns, not wait for each other. So must the
// reports that read balances as of several dates in one snapshot, which
// holds the connection throughout (ledger.SnapshotReader).
func TestStatementWithOneReader(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "one.db"), sqlite.Options{Readers: 1})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Migrate(ctx))
	gl := ledger.New(st, ledger.Config{})
	for _, a := range []ledger.Account{{Code: "1010", Name: "Cash", Type: ledger.Asset}, {Code: "3000", Name: "Capital", Type: ledger.Equity}} {
		_, err := gl.CreateAccount(ctx, "t1", a)
		require.NoError(t, err)
	}
	amt := decimal.New(500, 0)
	_, err = gl.Post(ctx, "t1", ledger.Entry{Date: ledger.MustDate("2026-07-01"), Description: "capital",
		Lines: []ledger.Line{ledger.DebitLine("1010", amt, "BDT"), ledger.CreditLine("3000", amt, "BDT")}})
	require.NoError(t, err)
	for range 20 {
		bs, err := gl.BalanceSheet(ctx, "t1", ledger.MustDate("2026-07-31"), ledger.StatementOptions{Currency: "BDT"})
		require.NoError(t, err)
		require.True(t, bs.Balanced())
		require.True(t, amt.Equal(bs.Sections[0].Total[0]), "assets %s", bs.Sections[0].Total[0])

		cmp, err := gl.BalanceSheet(ctx, "t1", ledger.MustDate("2026-08-15"),
			ledger.StatementOptions{Currency: "BDT", Compare: []ledger.Comparative{ledger.PreviousPeriod}})
		require.NoError(t, err)
		require.True(t, amt.Equal(cmp.Sections[0].Total[1]), "assets at the end of July %s", cmp.Sections[0].Total[1])
		is, err := gl.IncomeStatement(ctx, "t1", ledger.MustDate("2026-07-01"), ledger.MustDate("2026-07-31"), ledger.StatementOptions{Currency: "BDT"})
		require.NoError(t, err)
		require.True(t, is.Profit[0].IsZero())
		ptb, err := gl.PeriodTrialBalance(ctx, "t1", ledger.MustDate("2026-07-01"), ledger.MustDate("2026-07-31"))
		require.NoError(t, err)
		require.True(t, ptb.Balanced())
		gls, err := gl.Statement(ctx, "t1", ledger.StatementQuery{Account: "1010", Currency: "BDT",
			From: ledger.MustDate("2026-07-01"), To: ledger.MustDate("2026-07-31")})
		require.NoError(t, err)
		require.True(t, amt.Equal(gls.Closing), "closing %s", gls.Closing)
	}
}

// TestChartVersionsOverExistingAccounts applies migration 0013 to a
// database whose tenants already have accounts (as an upgrade does): each
// tenant gets one version, and a change to an account gives its tenant,
// and no other, a new one.
func TestChartVersionsOverExistingAccounts(t *testing.T) {
	ctx := context.Background()
	st := migratedFile(t)
	gl := ledger.New(st, ledger.Config{})
	for _, tn := range []string{"t1", "t2"} {
		for _, code := range []string{"1010", "1020", "3000"} {
			_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: code, Name: "n" + code, Type: ledger.Asset})
			require.NoError(t, err)
		}
	}
	// Back to the schema before 0013, accounts kept.
	for _, q := range []string{`DROP TRIGGER erp_ledger_accounts_version_insert`, `DROP TRIGGER erp_ledger_accounts_version_update`,
		`DROP TRIGGER erp_ledger_accounts_version_delete`, `DROP TABLE erp_ledger_chart_versions`,
		`DELETE FROM erp_migrations WHERE version = 13`} {
		_, err := st.DB().ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	require.NoError(t, st.Migrate(ctx))
	versions := func() map[string]string {
		rows, err := st.DB().QueryContext(ctx, `SELECT tenant_id, hex(version) FROM erp_ledger_chart_versions`)
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var tn, v string
			require.NoError(t, rows.Scan(&tn, &v))
			out[tn] = v
		}
		require.NoError(t, rows.Err())
		return out
	}
	before := versions()
	require.Len(t, before, 2)
	require.NotEqual(t, before["t1"], before["t2"])
	_, err := gl.RenameAccount(ctx, "t1", "1020", "Bank")
	require.NoError(t, err)
	after := versions()
	require.NotEqual(t, before["t1"], after["t1"], "a rename gives its tenant a new version")
	require.Equal(t, before["t2"], after["t2"], "and leaves the other tenant's")
}
