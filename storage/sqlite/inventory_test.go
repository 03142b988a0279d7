package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

var inventoryTables = []string{"erp_inventory_units", "erp_inventory_categories", "erp_inventory_items",
	"erp_inventory_locations", "erp_inventory_stock", "erp_inventory_movements", "erp_inventory_lines",
	"erp_inventory_lots", "erp_inventory_reorder_rules", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

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

func TestInventoryProperties(t *testing.T) {
	st := inventoryStore(t)
	storagetest.InventoryProperties(t, st, testing.Short())
}
