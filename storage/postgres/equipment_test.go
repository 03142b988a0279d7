package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/storage/postgres"
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

// loadFleet copies a generated fleet straight into the tables (through the
// engine it would take minutes).
func loadFleet(tb testing.TB, tenant string, d storagetest.FleetData) {
	ctx := context.Background()
	pool := shared.Pool()
	cal := `[{"name":"day","start_minute":360,"length_minutes":720},{"name":"night","start_minute":1080,"length_minutes":720}]`
	for _, c := range d.Calendars {
		_, err := pool.Exec(ctx, `INSERT INTO erp_equipment_calendars VALUES ($1, $2, $3, $4::jsonb, '[]', '[]')`, tenant, c.Site, c.TimeZone, cal)
		require.NoError(tb, err)
	}
	var rows [][]any
	for _, m := range d.Machines {
		rows = append(rows, []any{tenant, m.Code, m.Class, m.Site, m.Fleet, string(m.Ownership), string(m.Status), m.CreatedAt})
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"erp_equipment"},
		[]string{"tenant_id", "code", "class", "site", "fleet", "ownership", "status", "created_at"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	num := func(d decimal.Decimal) pgtype.Numeric {
		return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
	}
	// Logs arrive shift by shift, all machines at once: in time order.
	logs := slices.Clone(d.Logs)
	slices.SortStableFunc(logs, func(a, b equipment.UsageLog) int { return a.Start.Compare(b.Start) })
	rows = rows[:0]
	for _, l := range logs {
		rows = append(rows, []any{tenant, [16]byte(l.ID), l.Equipment, l.ShiftDate.Time(), l.Shift, l.Operator, l.Start, l.End,
			num(l.StartMeter), num(l.EndMeter), num(l.OperatingHours), l.Activity, l.Site, num(l.Fuel), l.CreatedAt})
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"erp_equipment_usage_logs"},
		[]string{"tenant_id", "id", "equipment", "shift_date", "shift", "operator", "start_at", "end_at", "start_meter",
			"end_meter", "operating_hours", "activity", "site", "fuel", "created_at"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	rows = rows[:0]
	for _, s := range d.Stoppages {
		rows = append(rows, []any{tenant, [16]byte(s.ID), s.Equipment, s.Start, s.End, s.Reason, string(s.Category), s.CreatedAt})
	}
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"erp_equipment_stoppages"},
		[]string{"tenant_id", "id", "equipment", "start_at", "end_at", "reason", "category", "created_at"}, pgx.CopyFromRows(rows))
	require.NoError(tb, err)
	// As autovacuum would after the load (hint bits, visibility map).
	for _, table := range equipmentTables {
		_, err = pool.Exec(ctx, `VACUUM ANALYZE `+table)
		require.NoError(tb, err)
	}
}

// BenchmarkEquipmentFleetYear: KPIs of 500 machines over a year (365,000
// usage logs, 50,000 stoppages); see docs/bench/equipment.md.
func BenchmarkEquipmentFleetYear(b *testing.B) {
	requirePostgres(b)
	tenant := "bench-" + uuid.NewString()
	d := storagetest.FleetYear(500)
	loadFleet(b, tenant, d)
	storagetest.BenchEquipmentReport(b, shared, tenant, d)
}

func TestEquipmentInTx(t *testing.T) {
	requirePostgres(t)
	storagetest.EquipmentInTx(t, shared, equipmentRows, func(ctx context.Context, fn func(equipment.Store) error) error {
		return shared.InTx(ctx, func(tx *postgres.Store) error { return fn(tx) })
	})
}

func TestEquipmentTwoStores(t *testing.T) {
	requirePostgres(t)
	storagetest.EquipmentTwoStores(t, shared, openAnother(t), equipmentRows)
}
