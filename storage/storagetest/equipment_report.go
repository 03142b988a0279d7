package storagetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var eqJakarta = eqMustLoad("Asia/Jakarta")

// eqJkt is a local time in Jakarta in July 2026 (day 31 is 1 August 00:00
// when hour is 24).
func eqJkt(day, hour int) time.Time { return time.Date(2026, 7, day, hour, 0, 0, 0, eqJakarta) }

// eqRoundTheClock is a site whose one shift covers the whole day, so that the
// calendar time of the reference examples is all scheduled.
var eqRoundTheClock = equipment.Calendar{Site: "MINE", TimeZone: "Asia/Jakarta",
	Shifts: []equipment.Shift{{Name: "all", Start: 0, Length: 24 * time.Hour}}}

func eqFullDay(code string, day int, meter *decimal.Decimal, hours, meterHours int) equipment.UsageLog {
	start := *meter
	*meter = meter.Add(decimal.NewFromInt(int64(meterHours)))
	return equipment.UsageLog{Equipment: code, ShiftDate: ledger.NewDate(2026, 7, day), Shift: "all", Operator: "E-7",
		Start: eqJkt(day, 0), End: eqJkt(day, hours), StartMeter: start, EndMeter: *meter,
		OperatingHours: decimal.NewFromInt(int64(hours)), Activity: "hauling"}
}

func eqRequireHours(t *testing.T, want int, d time.Duration, what string) {
	t.Helper()
	require.Equal(t, time.Duration(want)*time.Hour, d, what)
}

func eqRequirePercent(t *testing.T, want string, r equipment.Ratio, places int32, what string) {
	t.Helper()
	require.True(t, r.Defined, "%s: %s", what, r.Reason)
	require.True(t, eqDec(want).Equal(r.Percent(places)), "%s: want %s%%, got %s%%", what, want, r.Percent(places))
}

// testEquipmentReference rebuilds the worked examples of the equipment
// reference (shared/reference/equipment.md) from usage logs and stoppages
// stored through the adapter, and reads their KPIs back through Report.
func testEquipmentReference(t *testing.T, st equipment.Store) {
	ctx := context.Background()
	eng := equipment.New(st, equipment.Config{})
	tn := eqTenant(t)
	require.NoError(t, eng.SetCalendar(ctx, tn, eqRoundTheClock))
	for _, c := range []string{"R1", "R2", "F1"} {
		_, err := eng.AddEquipment(ctx, tn, equipment.Equipment{Code: c, Class: "dump_truck", Site: "MINE"})
		require.NoError(t, err)
	}
	add := func(l equipment.UsageLog) {
		_, err := eng.LogUsage(ctx, tn, l)
		require.NoError(t, err)
	}
	stop := func(code string, from, to time.Time, reason string) {
		_, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: code, Start: from, End: to, Reason: reason})
		require.NoError(t, err)
	}
	report := func(code string, days int) equipment.Result {
		r, err := eng.Report(ctx, tn, equipment.ReportQuery{Window: equipment.Window{From: eqJkt(1, 0), To: eqJkt(1+days, 0)},
			Filter: equipment.Filter{Codes: []string{code}}})
		require.NoError(t, err)
		require.Len(t, r.Machines, 1)
		return r.Machines[0]
	}

	// Example: W=300, R=100, S=200, T=600 -> MA 75%, PA 83.3%, UoA 60%, EU 50%.
	meter := decimal.Zero
	for d := 1; d <= 12; d++ {
		add(eqFullDay("R1", d, &meter, 24, 24))
	}
	add(eqFullDay("R1", 13, &meter, 12, 12))
	stop("R1", eqJkt(13, 12), eqJkt(17, 16), "breakdown") // 100 h; then 200 h of idle shifts
	r1 := report("R1", 25)
	eqRequireHours(t, 600, r1.Usage.Calendar(), "T")
	eqRequireHours(t, 300, r1.Usage.Operating, "W")
	eqRequireHours(t, 100, r1.Usage.Down(), "R")
	eqRequireHours(t, 200, r1.Usage.Standby, "S")
	eqRequirePercent(t, "75", r1.Availability.Mechanical, 1, "MA")
	eqRequirePercent(t, "83.3", r1.Availability.Physical, 1, "PA")
	eqRequirePercent(t, "60", r1.Availability.UseOfAvailability, 1, "UoA")
	eqRequirePercent(t, "50", r1.Availability.EffectiveUtilisation, 1, "EU")

	// Example: calendar 720, down 80, standby 140 -> available 640, PA 88.9%,
	// UoA 78.1%, EU 69.4%.
	meter = decimal.Zero
	for d := 1; d <= 20; d++ {
		add(eqFullDay("R2", d, &meter, 24, 24))
	}
	add(eqFullDay("R2", 21, &meter, 20, 20))                       // then 4 h idle
	stop("R2", eqJkt(22, 0), eqJkt(27, 16), "no_work")             // 136 h standby
	stop("R2", eqJkt(27, 16), eqJkt(29, 18), "breakdown")          // 50 h down
	stop("R2", eqJkt(29, 18), eqJkt(31, 0), "planned_maintenance") // 30 h down
	r2 := report("R2", 30)
	eqRequireHours(t, 720, r2.Usage.Calendar(), "calendar")
	eqRequireHours(t, 80, r2.Usage.Down(), "down")
	eqRequireHours(t, 140, r2.Usage.Standby, "standby")
	eqRequireHours(t, 640, r2.Usage.Available(), "available")
	eqRequirePercent(t, "88.9", r2.Availability.Physical, 1, "PA")
	eqRequirePercent(t, "78.1", r2.Availability.UseOfAvailability, 1, "UoA")
	eqRequirePercent(t, "69.4", r2.Availability.EffectiveUtilisation, 1, "EU")

	// Example: 600 SMU hours, 4 stoppages, 30 repair hours -> MTBS 150,
	// MTTR 7.5, MA 95.24%.
	meter = decimal.NewFromInt(5000)
	for d := 1; d <= 30; d++ {
		add(eqFullDay("F1", d, &meter, 24, 20))
	}
	for _, d := range []int{2, 9, 16, 23} {
		stop("F1", eqJkt(d, 0), eqJkt(d, 7).Add(30*time.Minute), "breakdown")
	}
	f1 := report("F1", 30)
	require.True(t, f1.MeterHours.Equal(eqDec("600")), f1.MeterHours.String())
	require.Equal(t, 4, f1.Stoppages)
	require.True(t, f1.RepairHours.Equal(eqDec("30")), f1.RepairHours.String())
	require.True(t, f1.Reliability.MTBS.Value.Equal(eqDec("150")))
	require.True(t, f1.Reliability.MTTR.Value.Equal(eqDec("7.5")))
	eqRequirePercent(t, "95.24", f1.Reliability.Availability, 2, "MA from MTBS and MTTR")
}

// testEquipmentGroups: per machine, class, site and fleet, the totals add
// up; an open stoppage runs until now; a daily series adds up to the window.
func testEquipmentGroups(t *testing.T, st equipment.Store) {
	ctx, _, tn := eqSetup(t, st)
	now := eqAt(2, 12, 0)
	eng := equipment.New(st, equipment.Config{Now: func() time.Time { return now }})
	_, err := eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "DZ01", Class: "dozer", Site: "PIT2", Fleet: "contract-b"})
	require.NoError(t, err)
	_, err = eng.LogUsage(ctx, tn, eqDayLog("EX01", 1, 6, 18, "1000", "1011", "10"))
	require.NoError(t, err)
	_, err = eng.LogUsage(ctx, tn, eqDayLog("DT01", 1, 6, 18, "20", "31", "11"))
	require.NoError(t, err)
	_, err = eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "DT01", Start: eqAt(2, 6, 0), Reason: "breakdown"})
	require.NoError(t, err)
	w := equipment.Window{From: eqAt(1, 0, 0), To: eqAt(3, 0, 0)}
	rep, err := eng.Report(ctx, tn, equipment.ReportQuery{Window: w})
	require.NoError(t, err)
	require.Equal(t, []string{"DT01", "DZ01", "EX01"}, eqKeys(rep.Machines))
	require.Equal(t, []string{"dozer", "dump_truck", "excavator"}, eqKeys(rep.Classes))
	require.Equal(t, []string{"PIT1", "PIT2"}, eqKeys(rep.Sites))
	require.Equal(t, []string{"contract-a", "contract-b"}, eqKeys(rep.Fleets))
	eqRequireHours(t, 3*48, rep.Total.Usage.Calendar(), "three machines, two days")
	byKey := func(rs []equipment.Result, k string) equipment.Result {
		for _, r := range rs {
			if r.Key == k {
				return r
			}
		}
		t.Fatalf("no %s", k)
		return equipment.Result{}
	}
	dt := byKey(rep.Machines, "DT01")
	eqRequireHours(t, 6, dt.Usage.UnscheduledDown, "open breakdown until now")
	eqRequireHours(t, 11, dt.Usage.Operating, "DT01 operating")
	eqRequireHours(t, 48, byKey(rep.Machines, "DZ01").Usage.Standby, "no calendar: scheduled round the clock, idle")
	eqRequireHours(t, 0, byKey(rep.Machines, "EX01").Usage.Unscheduled, "day and night shifts (30 June's night too) cover the clock")
	eqRequireHours(t, 10, byKey(rep.Machines, "EX01").Usage.Operating, "EX01 operating")
	require.Equal(t, 2, byKey(rep.Sites, "PIT1").Machines)
	require.True(t, rep.Total.MeterHours.Equal(eqDec("22")))
	for _, groups := range [][]equipment.Result{rep.Classes, rep.Sites, rep.Fleets} {
		var sum equipment.Usage
		for _, g := range groups {
			sum = sum.Add(g.Usage)
		}
		sum.Window = rep.Total.Usage.Window
		require.Equal(t, rep.Total.Usage, sum)
	}
	series, err := eng.Series(ctx, tn, equipment.ReportQuery{Window: w}, equipment.Daily, eqDhaka)
	require.NoError(t, err)
	require.Len(t, series, 2)
	var sum equipment.Usage
	for _, s := range series {
		sum = sum.Add(s.Total.Usage)
	}
	sum.Window = rep.Total.Usage.Window
	require.Equal(t, rep.Total.Usage, sum)
	require.Equal(t, fmt.Sprint(dt.Usage.UnscheduledDown), fmt.Sprint(series[1].Machines[0].Usage.UnscheduledDown))
}

func eqKeys(rs []equipment.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Key)
	}
	return out
}
