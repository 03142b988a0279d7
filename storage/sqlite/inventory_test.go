package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

var inventoryTables = []string{"erp_inventory_units", "erp_inventory_categories", "erp_inventory_items",
	"erp_inventory_locations", "erp_inventory_stock", "erp_inventory_movements", "erp_inventory_lines",
	"erp_inventory_lots", "erp_inventory_reorder_rules", "erp_inventory_reservations", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

func inventoryStore(t testing.TB) *sqlite.Store {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "inventory.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	return st
}

func inventoryRows(st *sqlite.Store) storagetest.InventoryRows {
	return func(ctx context.Context, tenant string) (map[string]int, error) {
		out := map[string]int{}
		for _, tb := range inventoryTables {
			var n int
			// tb comes from the constant list above, never from input.
			if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+tb+` WHERE tenant_id = ?`, tenant).Scan(&n); err != nil {
				return nil, err
			}
			out[tb] = n
		}
		return out, nil
	}
}

func TestInventory(t *testing.T) {
	st := inventoryStore(t)
	storagetest.Inventory(t, st, inventoryRows(st))
}

// TestInventoryProcesses posts movements from another process over one
// file, kills it, and posts again every movement it had begun.
func TestInventoryProcesses(t *testing.T) {
	path := processFile(t)
	storagetest.InventoryProcesses(t, path, func(t testing.TB, path string) storagetest.InventoryStore { return openFile(t, path) })
}

func TestInventoryProperties(t *testing.T) {
	st := inventoryStore(t)
	storagetest.InventoryProperties(t, st, testing.Short())
}

// loadInventory writes generated stock histories straight into the tables,
// in one transaction (through the engine it would take minutes).
func loadInventory(tb testing.TB, st *sqlite.Store, tenant string, d storagetest.InventoryBenchData) {
	ctx := context.Background()
	tx, err := st.DB().BeginTx(ctx, nil)
	require.NoError(tb, err)
	defer func() { _ = tx.Rollback() }()
	qty := func(d decimal.Decimal) int64 { return d.Shift(6).IntPart() }
	val := func(d decimal.Decimal) int64 { return d.Shift(4).IntPart() }
	created := "2024-12-01T00:00:00.000000Z"
	ins, err := tx.PrepareContext(ctx, `INSERT INTO erp_inventory_items (tenant_id, code, name, category, stock_unit, method, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	require.NoError(tb, err)
	for _, it := range d.Items {
		_, err := ins.ExecContext(ctx, tenant, it.Code, it.Name, it.Category, it.StockUnit, string(it.Method), created)
		require.NoError(tb, err)
	}
	ins, err = tx.PrepareContext(ctx, `INSERT INTO erp_inventory_stock (tenant_id, item, location, qty, value, reserved, layers,
		last_cost_qty, last_cost_value, last_date, seq) VALUES (?, ?, ?, ?, ?, 0, '[]', ?, ?, ?, ?)`)
	require.NoError(tb, err)
	for _, s := range d.Stock {
		_, err := ins.ExecContext(ctx, tenant, s.Item, s.Location, qty(s.Qty), val(s.Value), qty(s.LastCost.Qty),
			val(s.LastCost.Value), s.LastDate.String(), s.Seq)
		require.NoError(tb, err)
	}
	ins, err = tx.PrepareContext(ctx, `INSERT INTO erp_inventory_movements (tenant_id, id, kind, movement_date, reference, item,
		location, qty, unit_cost, stock_qty, created_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)`)
	require.NoError(tb, err)
	for _, m := range d.Movements {
		_, err := ins.ExecContext(ctx, tenant, m.ID.String(), string(m.Kind), m.Date.String(), m.Item, m.Location, m.Qty.String(),
			m.UnitCost.String(), qty(m.StockQty), created)
		require.NoError(tb, err)
	}
	ins, err = tx.PrepareContext(ctx, `INSERT INTO erp_inventory_lines (tenant_id, movement_id, leg, seq, line_date, kind, item,
		location, qty, basis, has_basis, value, variance, inventory_account, counter_account, variance_account)
		VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`)
	require.NoError(tb, err)
	for _, l := range d.Lines {
		hb := 0
		if l.HasBasis {
			hb = 1
		}
		_, err := ins.ExecContext(ctx, tenant, l.Movement.String(), l.Seq, l.Date.String(), string(l.Kind), l.Item, l.Location,
			qty(l.Qty), val(l.Basis), hb, val(l.Value), l.InventoryAccount, l.CounterAccount, l.VarianceAccount)
		require.NoError(tb, err)
	}
	require.NoError(tb, tx.Commit())
	_, err = st.DB().ExecContext(ctx, `ANALYZE`)
	require.NoError(tb, err)
}

// BenchmarkInventoryBackdated: a receipt dated before 100,000 later
// movements of one item, which it re-values; see docs/bench/inventory.md.
func BenchmarkInventoryBackdated(b *testing.B) {
	st := inventoryStore(b)
	storagetest.InventoryBenchSetup(b, st, "bench")
	loadInventory(b, st, "bench", storagetest.InventoryHistory(100_000))
	storagetest.BenchInventoryBackdated(b, st, "bench", 100_000)
}

// BenchmarkInventoryReport: the stock value report of 10,000 items; see
// docs/bench/inventory.md.
func BenchmarkInventoryReport(b *testing.B) {
	st := inventoryStore(b)
	storagetest.InventoryBenchSetup(b, st, "bench")
	loadInventory(b, st, "bench", storagetest.InventoryItems(10_000))
	storagetest.BenchInventoryReport(b, st, "bench", 10_000)
}

func TestInventoryHostTx(t *testing.T) {
	st := inventoryStore(t)
	storagetest.InventoryHostTx(t, st, inventoryRows(st), func(ctx context.Context) (storagetest.InventoryStore, func(bool) error) {
		tx, err := st.DB().BeginTx(ctx, nil)
		require.NoError(t, err)
		return sqlite.NewTx(tx), func(commit bool) error {
			if commit {
				return tx.Commit()
			}
			return tx.Rollback()
		}
	})
}
