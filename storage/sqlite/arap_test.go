package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// arTables are the tenant-scoped tables an arap call may write.
var arTables = []string{"erp_arap_parties", "erp_arap_documents", "erp_arap_allocations", "erp_arap_serials", "erp_events",
	"erp_ledger_accounts", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

func arStore(t testing.TB) *sqlite.Store {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "arap.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	return st
}

func arRows(st *sqlite.Store) storagetest.ARRows {
	return func(ctx context.Context, tenant string) (map[string]int, error) {
		out := map[string]int{}
		for _, tb := range arTables {
			var n int
			// tb comes from the constant list above, never from input.
			if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+tb+` WHERE tenant_id = ?`, tenant).Scan(&n); err != nil {
				return nil, err
			}
			out[tb] = n
		}
		// The serial counters' values too: a failed issue must not take one.
		var sum int
		if err := st.DB().QueryRowContext(ctx, `SELECT coalesce(sum(last), 0) FROM erp_arap_serials WHERE tenant_id = ?`, tenant).Scan(&sum); err != nil {
			return nil, err
		}
		out["serials taken"] = sum
		return out, nil
	}
}

func TestARAP(t *testing.T) {
	st := arStore(t)
	storagetest.ARAP(t, st, arRows(st))
}

// BenchmarkARIssue: 10,000 ten-line invoices; see docs/bench/arap.md.
func BenchmarkARIssue(b *testing.B) {
	for _, c := range []struct {
		name           string
		workers, batch int
	}{{"one-per-tx/workers=1", 1, 1}, {"one-per-tx/workers=8", 8, 1}, {"batch=100/workers=2", 2, 100}} {
		b.Run(c.name, func(b *testing.B) {
			st := arStore(b)
			storagetest.BenchARIssue(b, st, storagetest.ARBenchN(10000), c.workers, c.batch)
		})
	}
}

// BenchmarkARAging: aging over 100,000 open invoices and 10,000 unapplied
// receipts of 1,000 customers; see docs/bench/arap.md.
func BenchmarkARAging(b *testing.B) {
	st := arStore(b)
	ctx := context.Background()
	asOf := ledger.NewDate(2026, 10, 15)
	parties, docs := storagetest.ARAgingData(100000, 1000, asOf)
	tx, err := st.DB().BeginTx(ctx, nil)
	require.NoError(b, err)
	defer func() { _ = tx.Rollback() }()
	for _, p := range parties {
		body, err := arap.EncodeParty(p)
		require.NoError(b, err)
		_, err = tx.ExecContext(ctx, `INSERT INTO erp_arap_parties (tenant_id, code, legal_name, customer, vendor, bin, blocked, body, created_at)
			VALUES ('bench', ?, ?, 1, 0, '', 0, ?, '2025-01-01T00:00:00.000000Z')`, p.Code, p.LegalName, string(body))
		require.NoError(b, err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO erp_arap_documents (tenant_id, id, kind, side, charge, party, status,
		number, doc_date, posting_date, due_date, total_minor, open_minor, body, created_at)
		VALUES ('bench', ?, ?, 'receivable', ?, ?, 'issued', ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000000Z')`)
	require.NoError(b, err)
	for _, d := range docs {
		body, err := arap.EncodeDocument(d)
		require.NoError(b, err)
		due := ""
		if !d.DueDate.IsZero() {
			due = d.DueDate.String()
		}
		minor := d.Open.Shift(2).IntPart()
		charge := 0
		if d.Kind.Charge() {
			charge = 1
		}
		_, err = ins.ExecContext(ctx, d.ID.String(), string(d.Kind), charge, d.Party, d.Number, d.Date.String(),
			d.PostingDate.String(), due, minor, minor, string(body))
		require.NoError(b, err)
	}
	require.NoError(b, tx.Commit())
	_, err = st.DB().ExecContext(ctx, `ANALYZE`)
	require.NoError(b, err)
	storagetest.BenchARAging(b, st, "bench", asOf, docs)
}

func TestARHostTx(t *testing.T) {
	h := harness(t)
	storagetest.ARHostTx(t, h, arRows(h.Store.(*sqlite.Store)))
}

func TestARTwoStores(t *testing.T) {
	a, b := openTwo(t)
	storagetest.ARTwoStores(t, a, b, arRows(a))
}

// TestARKeysUpgrade runs migrations 0015 and 0016 over AR/AP data.
func TestARKeysUpgrade(t *testing.T) {
	ctx := context.Background()
	st := migratedFile(t)
	storagetest.ARKeysUpgrade(t, st, func(q string) error {
		_, err := st.DB().ExecContext(ctx, q)
		return err
	}, func() error { return st.Migrate(ctx) })
}

// TestARProcesses pays bills from another process over one file, kills it,
// and pays again every bill it had begun.
func TestARProcesses(t *testing.T) {
	path := processFile(t)
	storagetest.ARProcesses(t, path, func(t testing.TB, path string) storagetest.ARStore { return openFile(t, path) })
}
