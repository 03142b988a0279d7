package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// arTables are the tenant-scoped tables an arap call may write.
var arTables = []string{"erp_arap_parties", "erp_arap_documents", "erp_arap_allocations", "erp_arap_serials", "erp_events",
	"erp_ledger_accounts", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

func arRows(ctx context.Context, tenant string) (map[string]int, error) {
	out := map[string]int{}
	for _, table := range arTables {
		var n int
		// table comes from the constant list above, never from input.
		if err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
			return nil, err
		}
		out[table] = n
	}
	// The serial counters' values too: a failed issue must not take one.
	var sum int
	if err := shared.Pool().QueryRow(ctx, `SELECT coalesce(sum(last), 0)::int FROM erp_arap_serials WHERE tenant_id = $1`, tenant).Scan(&sum); err != nil {
		return nil, err
	}
	out["serials taken"] = sum
	return out, nil
}

func TestARAP(t *testing.T) {
	requirePostgres(t)
	storagetest.ARAP(t, shared, arRows)
}

// BenchmarkARIssue: 10,000 ten-line invoices; see docs/bench/arap.md.
func BenchmarkARIssue(b *testing.B) {
	requirePostgres(b)
	for _, c := range []struct {
		name           string
		workers, batch int
	}{{"one-per-tx/workers=1", 1, 1}, {"one-per-tx/workers=8", 8, 1}, {"batch=100/workers=2", 2, 100}} {
		b.Run(c.name, func(b *testing.B) {
			storagetest.BenchARIssue(b, shared, storagetest.ARBenchN(10000), c.workers, c.batch)
		})
	}
}

// BenchmarkARAging: aging over 100,000 open invoices and 10,000 unapplied
// receipts of 1,000 customers; see docs/bench/arap.md.
func BenchmarkARAging(b *testing.B) {
	requirePostgres(b)
	ctx := context.Background()
	tenant := "bench-" + uuid.NewString()
	asOf := ledger.NewDate(2026, 10, 15)
	parties, docs := storagetest.ARAgingData(100000, 1000, asOf)
	var rows [][]any
	for _, p := range parties {
		body, err := arap.EncodeParty(p)
		require.NoError(b, err)
		rows = append(rows, []any{tenant, p.Code, p.LegalName, true, false, "", false, string(body), p.CreatedAt})
	}
	_, err := shared.Pool().CopyFrom(ctx, pgx.Identifier{"erp_arap_parties"},
		[]string{"tenant_id", "code", "legal_name", "customer", "vendor", "bin", "blocked", "body", "created_at"}, pgx.CopyFromRows(rows))
	require.NoError(b, err)
	rows = rows[:0]
	num := func(d decimal.Decimal) pgtype.Numeric {
		return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
	}
	for _, d := range docs {
		body, err := arap.EncodeDocument(d)
		require.NoError(b, err)
		var due any
		if !d.DueDate.IsZero() {
			due = d.DueDate.Time()
		}
		rows = append(rows, []any{tenant, [16]byte(d.ID), string(d.Kind), "receivable", d.Kind.Charge(), d.Party, "issued",
			d.Number, d.Date.Time(), d.PostingDate.Time(), due, num(d.Totals.Total), num(d.Open), string(body), d.CreatedAt})
	}
	_, err = shared.Pool().CopyFrom(ctx, pgx.Identifier{"erp_arap_documents"},
		[]string{"tenant_id", "id", "kind", "side", "charge", "party", "status", "number", "doc_date", "posting_date",
			"due_date", "total", "open", "body", "created_at"}, pgx.CopyFromRows(rows))
	require.NoError(b, err)
	_, err = shared.Pool().Exec(ctx, `VACUUM ANALYZE erp_arap_documents`)
	require.NoError(b, err)
	storagetest.BenchARAging(b, shared, tenant, asOf, docs)
}

func TestARHostTx(t *testing.T) {
	requirePostgres(t)
	storagetest.ARHostTx(t, newHarness(t), arRows)
}

func TestARTwoStores(t *testing.T) {
	requirePostgres(t)
	storagetest.ARTwoStores(t, shared, openAnother(t), arRows)
}

// TestARProcesses pays bills from another process over the test schema,
// kills it, and pays again every bill it had begun.
func TestARProcesses(t *testing.T) {
	if os.Getenv(storagetest.ChildEnv) == "" {
		requirePostgres(t)
	}
	storagetest.ARProcesses(t, schemaDSN, func(t testing.TB, dsn string) storagetest.ARStore { return openDSN(t, dsn) })
}
