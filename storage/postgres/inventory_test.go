package postgres_test

import (
	"context"
	"testing"

	"github.com/erpkit/erpkit/storage/storagetest"
)

// inventoryTables are the inventory engine's tenant-scoped tables and the
// ledger's it posts to.
var inventoryTables = []string{"erp_inventory_units", "erp_inventory_categories", "erp_inventory_items",
	"erp_inventory_locations", "erp_inventory_stock", "erp_inventory_movements", "erp_inventory_lines",
	"erp_inventory_lots", "erp_inventory_reorder_rules", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

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

func TestInventoryProperties(t *testing.T) {
	requirePostgres(t)
	storagetest.InventoryProperties(t, shared, testing.Short())
}
