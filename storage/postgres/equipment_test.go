package postgres_test

import (
	"context"
	"testing"

	"github.com/erpkit/erpkit/storage/storagetest"
)

// equipmentTables are the equipment engine's tenant-scoped tables.
var equipmentTables = []string{"erp_equipment", "erp_equipment_calendars", "erp_equipment_usage_logs",
	"erp_equipment_stoppages", "erp_equipment_meter_readings"}

func equipmentRows(ctx context.Context, tenant string) (map[string]int, error) {
	out := map[string]int{}
	for _, table := range equipmentTables {
		var n int
		// table comes from the constant list above, never from input.
		if err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
			return nil, err
		}
		out[table] = n
	}
	return out, nil
}

// TestEquipment runs the equipment conformance suite.
func TestEquipment(t *testing.T) {
	requirePostgres(t)
	storagetest.Equipment(t, shared, equipmentRows)
}
