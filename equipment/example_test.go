package equipment_test

import (
	"fmt"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/shopspring/decimal"
)

func ExampleClassify() {
	day := func(h int) time.Time { return time.Date(2026, 7, 1, h, 0, 0, 0, time.UTC) }
	shifts := []equipment.Interval{{Start: day(6), End: day(18)}}
	events := []equipment.Interval{
		{Start: day(6), End: day(10), Category: equipment.Operating},
		{Start: day(10), End: day(12), Category: equipment.UnscheduledDown, Reason: "hose burst"},
		{Start: day(12), End: day(17), Category: equipment.Operating},
	}
	u, err := equipment.Classify(equipment.Window{From: day(0), To: day(24)}, shifts, events)
	if err != nil {
		panic(err)
	}
	k := equipment.KPIs(u, equipment.ScheduledTime)
	fmt.Println("operating", equipment.Hours(u.Operating), "down", equipment.Hours(u.Down()),
		"standby", equipment.Hours(u.Standby), "unscheduled", equipment.Hours(u.Unscheduled))
	fmt.Println("MA", k.Mechanical.Percent(1), "PA", k.Physical.Percent(1), "UoA", k.UseOfAvailability.Percent(1))
	// Output:
	// operating 9 down 2 standby 1 unscheduled 12
	// MA 81.8 PA 83.3 UoA 90
}

func ExampleFailureMetrics() {
	// 600 hour-meter hours, 4 breakdowns repaired in 30 hours in all.
	r := equipment.FailureMetrics(dec("600"), 4, dec("30"), 4, 4)
	fmt.Println("MTBS", r.MTBS.Value, "MTTR", r.MTTR.Value, "MA", r.Availability.Percent(2))
	none := equipment.FailureMetrics(dec("600"), 0, dec("0"), 0, 0)
	fmt.Println(none.MTBS.Defined, none.MTBS.Reason)
	// Output:
	// MTBS 150 MTTR 7.5 MA 95.24
	// false no unscheduled stoppages
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
