package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/shopspring/decimal"
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

// loadFleet writes a generated fleet straight into the tables, in one
// transaction (through the engine it would take minutes).
func loadFleet(tb testing.TB, st *sqlite.Store, tenant string, d storagetest.FleetData) {
	ctx := context.Background()
	tx, err := st.DB().BeginTx(ctx, nil)
	require.NoError(tb, err)
	defer func() { _ = tx.Rollback() }()
	cal := `[{"name":"day","start_minute":360,"length_minutes":720},{"name":"night","start_minute":1080,"length_minutes":720}]`
	for _, c := range d.Calendars {
		_, err := tx.ExecContext(ctx, `INSERT INTO erp_equipment_calendars VALUES (?, ?, ?, ?, '[]', '[]')`, tenant, c.Site, c.TimeZone, cal)
		require.NoError(tb, err)
	}
	for _, m := range d.Machines {
		_, err := tx.ExecContext(ctx, `INSERT INTO erp_equipment (tenant_id, code, class, site, fleet, ownership, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tenant, m.Code, m.Class, m.Site, m.Fleet, string(m.Ownership), string(m.Status),
			m.CreatedAt.Format("2006-01-02T15:04:05.000000Z"))
		require.NoError(tb, err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO erp_equipment_usage_logs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	require.NoError(tb, err)
	milli := func(d decimal.Decimal) int64 { return d.Shift(3).IntPart() }
	for _, l := range d.Logs {
		_, err := ins.ExecContext(ctx, tenant, l.ID.String(), l.Equipment, l.ShiftDate.String(), l.Shift, l.Operator,
			l.Start.UnixMicro(), l.End.UnixMicro(), milli(l.StartMeter), milli(l.EndMeter), milli(l.OperatingHours),
			l.Activity, l.Site, milli(l.Fuel), "2025-06-01T00:00:00.000000Z")
		require.NoError(tb, err)
	}
	ins, err = tx.PrepareContext(ctx, `INSERT INTO erp_equipment_stoppages VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)`)
	require.NoError(tb, err)
	for _, s := range d.Stoppages {
		_, err := ins.ExecContext(ctx, tenant, s.ID.String(), s.Equipment, s.Start.UnixMicro(), s.End.UnixMicro(), s.Reason,
			string(s.Category), "2025-06-01T00:00:00.000000Z")
		require.NoError(tb, err)
	}
	require.NoError(tb, tx.Commit())
	_, err = st.DB().ExecContext(ctx, `ANALYZE`)
	require.NoError(tb, err)
}

// BenchmarkEquipmentFleetYear: KPIs of 500 machines over a year (365,000
// usage logs, 50,000 stoppages); see docs/bench/equipment.md.
func BenchmarkEquipmentFleetYear(b *testing.B) {
	st := equipmentStore(b)
	d := storagetest.FleetYear(500)
	loadFleet(b, st, "bench", d)
	storagetest.BenchEquipmentReport(b, st, "bench", d)
}

func TestEquipmentInTx(t *testing.T) {
	st := equipmentStore(t)
	storagetest.EquipmentInTx(t, st, equipmentRows(st), func(ctx context.Context, fn func(equipment.Store) error) error {
		return st.InTx(ctx, func(tx *sqlite.Store) error { return fn(tx) })
	})
}

func TestEquipmentTwoStores(t *testing.T) {
	a, b := openTwo(t)
	storagetest.EquipmentTwoStores(t, a, b, equipmentRows(a))
}
