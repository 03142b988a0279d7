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

	"github.com/erpkit/erpkit/storage/postgres"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// inventoryTables are the inventory engine's tenant-scoped tables and the
// ledger's it posts to.
var inventoryTables = []string{"erp_inventory_units", "erp_inventory_categories", "erp_inventory_items",
	"erp_inventory_locations", "erp_inventory_stock", "erp_inventory_movements", "erp_inventory_lines",
	"erp_inventory_line_values", "erp_inventory_lots", "erp_inventory_reorder_rules", "erp_inventory_reservations", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

func inventoryRows(ctx context.Context, tenant string) (map[string]int, error) {
	out := map[string]int{}
	for _, table := range inventoryTables {
		var n int
		// table comes from the constant list above, never from input.
		if err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
			return nil, err
		}
		out[table] = n
	}
	return out, nil
}

// TestInventory runs the inventory conformance suite.
func TestInventory(t *testing.T) {
	requirePostgres(t)
	storagetest.Inventory(t, shared, inventoryRows)
}

// TestInventoryProcesses posts movements from another process over the
// test schema, kills it, and posts again every movement it had begun.
func TestInventoryProcesses(t *testing.T) {
	if os.Getenv(storagetest.ChildEnv) == "" {
		requirePostgres(t)
	}
	storagetest.InventoryProcesses(t, schemaDSN, func(t testing.TB, dsn string) storagetest.InventoryStore { return openDSN(t, dsn) })
}

func TestInventoryProperties(t *testing.T) {
	requirePostgres(t)
	storagetest.InventoryProperties(t, shared, testing.Short())
}

// loadInventory copies generated stock histories straight into the tables
// (through the engine it would take minutes).
func loadInventory(tb testing.TB, tenant string, d storagetest.InventoryBenchData) {
	ctx := context.Background()
	pool := shared.Pool()
	num := func(d decimal.Decimal) pgtype.Numeric {
		return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
	}
	date := func(t interface{ String() string }) pgtype.Date {
		v := pgtype.Date{}
		require.NoError(tb, v.Scan(t.String()))
		return v
	}
	var rows [][]any
	for _, it := range d.Items {
		rows = append(rows, []any{tenant, it.Code, it.Name, it.Category, it.StockUnit, string(it.Method), it.CreatedAt})
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"erp_inventory_items"},
		[]string{"tenant_id", "code", "name", "category", "stock_unit", "method", "created_at"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	rows = rows[:0]
	for _, s := range d.Stock {
		rows = append(rows, []any{tenant, s.Item, s.Location, num(s.Qty), num(s.Value), num(s.LastCost.Qty), num(s.LastCost.Value),
			date(s.LastDate), s.Seq})
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"erp_inventory_stock"},
		[]string{"tenant_id", "item", "location", "qty", "value", "last_cost_qty", "last_cost_value", "last_date", "seq"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	rows = rows[:0]
	for _, m := range d.Movements {
		rows = append(rows, []any{tenant, [16]byte(m.ID), string(m.Kind), date(m.Date), "", m.Item, m.Location, num(m.Qty),
			num(m.UnitCost), num(m.StockQty), m.CreatedAt})
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"erp_inventory_movements"},
		[]string{"tenant_id", "id", "kind", "movement_date", "reference", "item", "location", "qty", "unit_cost", "stock_qty", "created_at"},
		pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	rows = rows[:0]
	for _, l := range d.Lines {
		rows = append(rows, []any{tenant, [16]byte(l.Movement), int16(l.Leg), l.Seq, date(l.Date), string(l.Kind), l.Item, l.Location,
			num(l.Qty), l.InventoryAccount, l.CounterAccount, l.VarianceAccount})
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"erp_inventory_lines"},
		[]string{"tenant_id", "movement_id", "leg", "seq", "line_date", "kind", "item", "location", "qty",
			"inventory_account", "counter_account", "variance_account"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	rows = rows[:0]
	for _, l := range d.Lines {
		rows = append(rows, []any{tenant, [16]byte(l.Movement), int16(l.Leg), num(l.Basis), l.HasBasis, num(l.Value)})
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"erp_inventory_line_values"},
		[]string{"tenant_id", "movement_id", "leg", "basis", "has_basis", "value"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	// As autovacuum would after the load (hint bits, visibility map).
	for _, table := range inventoryTables {
		_, err = pool.Exec(ctx, `VACUUM ANALYZE `+table)
		require.NoError(tb, err)
	}
}

// BenchmarkInventoryBackdated: a receipt dated before 100,000 later
// movements of one item, which it re-values; see docs/bench/inventory.md.
func BenchmarkInventoryBackdated(b *testing.B) {
	requirePostgres(b)
	tenant := "bench-" + uuid.NewString()
	storagetest.InventoryBenchSetup(b, shared, tenant)
	loadInventory(b, tenant, storagetest.InventoryHistory(100_000))
	storagetest.BenchInventoryBackdated(b, shared, tenant, 100_000)
}

// BenchmarkInventoryReport: the stock value report of 10,000 items; see
// docs/bench/inventory.md.
func BenchmarkInventoryReport(b *testing.B) {
	requirePostgres(b)
	tenant := "bench-" + uuid.NewString()
	storagetest.InventoryBenchSetup(b, shared, tenant)
	loadInventory(b, tenant, storagetest.InventoryItems(10_000))
	storagetest.BenchInventoryReport(b, shared, tenant, 10_000)
}

func TestInventoryHostTx(t *testing.T) {
	requirePostgres(t)
	storagetest.InventoryHostTx(t, shared, inventoryRows, func(ctx context.Context) (storagetest.InventoryStore, func(bool) error) {
		tx, err := shared.Pool().Begin(ctx)
		require.NoError(t, err)
		return postgres.NewTx(tx), func(commit bool) error {
			if commit {
				return tx.Commit(ctx)
			}
			return tx.Rollback(ctx)
		}
	})
}
