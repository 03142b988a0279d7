package equipment_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	_ "time/tzdata"
)

// A day of one excavator at a Dhaka pit: two 12-hour shifts, a usage log in
// the day shift, a breakdown, and the day's KPIs.
func ExampleEngine() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "erpkit-example")
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	eng := equipment.New(st, equipment.Config{})
	const tenant = "acme-mining"

	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(eng.SetCalendar(ctx, tenant, equipment.Calendar{Site: "PIT1", TimeZone: "Asia/Dhaka", Shifts: []equipment.Shift{
		{Name: "day", Start: 6 * time.Hour, Length: 12 * time.Hour},
		{Name: "night", Start: 18 * time.Hour, Length: 12 * time.Hour},
	}}))
	_, err = eng.AddEquipment(ctx, tenant, equipment.Equipment{Code: "EX01", Class: "excavator", Make: "Komatsu", Model: "PC1250", Site: "PIT1"})
	must(err)

	dhaka, _ := time.LoadLocation("Asia/Dhaka")
	at := func(h int) time.Time { return time.Date(2026, 7, 1, h, 0, 0, 0, dhaka) }
	_, err = eng.LogUsage(ctx, tenant, equipment.UsageLog{Equipment: "EX01", ShiftDate: ledger.MustDate("2026-07-01"),
		Shift: "day", Operator: "E-1001", Start: at(6), End: at(18), StartMeter: dec("1000"), EndMeter: dec("1009.5"),
		OperatingHours: dec("9"), Activity: "loading", Fuel: dec("410")})
	must(err)
	_, err = eng.AddStoppage(ctx, tenant, equipment.Stoppage{Equipment: "EX01", Start: at(20), End: at(23), Reason: "breakdown", Notes: "hose"})
	must(err)

	// A second log over the same hours is refused.
	_, err = eng.LogUsage(ctx, tenant, equipment.UsageLog{Equipment: "EX01", ShiftDate: ledger.MustDate("2026-07-01"),
		Shift: "day", Operator: "E-1002", Start: at(10), End: at(12), StartMeter: dec("1009.5"), EndMeter: dec("1011")})
	fmt.Println("overlap refused:", errors.Is(err, equipment.ErrOverlap))

	rep, err := eng.Report(ctx, tenant, equipment.ReportQuery{Window: equipment.Window{From: at(6), To: at(30)}})
	must(err)
	r := rep.Machines[0]
	fmt.Println("operating", equipment.Hours(r.Usage.Operating), "down", equipment.Hours(r.Usage.Down()),
		"standby", equipment.Hours(r.Usage.Standby))
	fmt.Println("MA", r.Availability.Mechanical.Percent(1), "PA", r.Availability.Physical.Percent(1),
		"UoA", r.Availability.UseOfAvailability.Percent(1), "EU", r.Availability.EffectiveUtilisation.Percent(1))
	fmt.Println("MTBS", r.Reliability.MTBS.Value, "MTTR", r.Reliability.MTTR.Value)
	// Output:
	// overlap refused: true
	// operating 9 down 3 standby 12
	// MA 75 PA 87.5 UoA 42.9 EU 37.5
	// MTBS 9.5 MTTR 3
}
