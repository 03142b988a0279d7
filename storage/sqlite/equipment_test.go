package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

var equipmentTables = []string{"erp_equipment", "erp_equipment_calendars", "erp_equipment_usage_logs",
	"erp_equipment_stoppages", "erp_equipment_meter_readings"}

func equipmentStore(t testing.TB) *sqlite.Store {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "equipment.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	return st
}

func equipmentRows(st *sqlite.Store) storagetest.EquipmentRows {
	return func(ctx context.Context, tenant string) (map[string]int, error) {
		out := map[string]int{}
		for _, tb := range equipmentTables {
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

func TestEquipment(t *testing.T) {
	st := equipmentStore(t)
	storagetest.Equipment(t, st, equipmentRows(st))
}
