package storagetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	_ "time/tzdata" // Asia/Dhaka and Asia/Jakarta on hosts without zoneinfo
)

// EquipmentRows counts the tenant's rows in each of the adapter's erp_
// equipment tables (table name -> count).
type EquipmentRows func(ctx context.Context, tenant string) (map[string]int, error)

// Equipment runs the equipment engine's conformance suite against st (a
// migrated store). rows counts a tenant's rows: a failed call must leave
// them unchanged.
func Equipment(t *testing.T, st equipment.Store, rows EquipmentRows) {
	t.Run("FleetMaster", func(t *testing.T) { t.Parallel(); testEqFleetMaster(t, st) })
	t.Run("Calendar", func(t *testing.T) { t.Parallel(); testEqShiftCalendar(t, st) })
	t.Run("UsageLogs", func(t *testing.T) { t.Parallel(); testEqUsageLogs(t, st) })
	t.Run("BadInput", func(t *testing.T) { t.Parallel(); testEquipmentBadInput(t, st, rows) })
	t.Run("Meters", func(t *testing.T) { t.Parallel(); testEqMeters(t, st, rows) })
	t.Run("Stoppages", func(t *testing.T) { t.Parallel(); testEqStoppages(t, st, rows) })
	t.Run("TenantIsolation", func(t *testing.T) { t.Parallel(); testEquipmentTenants(t, st) })
	t.Run("ConcurrentOverlaps", func(t *testing.T) { t.Parallel(); testEquipmentConcurrent(t, st, rows) })
	t.Run("ReferenceExamples", func(t *testing.T) { t.Parallel(); testEquipmentReference(t, st) })
	t.Run("ReportGroupsAndSeries", func(t *testing.T) { t.Parallel(); testEquipmentGroups(t, st) })
	t.Run("StoppageModel", func(t *testing.T) { t.Parallel(); testEqStoppageModel(t, st) })
}

var eqDhaka = eqMustLoad("Asia/Dhaka")

func eqMustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a local time in Dhaka in July 2026.
func eqAt(day, hour, minute int) time.Time {
	return time.Date(2026, 7, day, hour, minute, 0, 0, eqDhaka)
}

var eqPitCalendar = equipment.Calendar{
	Site:     "PIT1",
	TimeZone: "Asia/Dhaka",
	Shifts: []equipment.Shift{
		{Name: "day", Start: 6 * time.Hour, Length: 12 * time.Hour},
		{Name: "night", Start: 18 * time.Hour, Length: 12 * time.Hour},
	},
}

// eqSetup returns an engine over st and a new tenant with the PIT1 calendar
// and machines EX01 (excavator) and DT01 (dump truck).
func eqSetup(t *testing.T, st equipment.Store) (context.Context, *equipment.Engine, string) {
	t.Helper()
	ctx := context.Background()
	eng := equipment.New(st, equipment.Config{})
	tn := eqTenant(t)
	require.NoError(t, eng.SetCalendar(ctx, tn, eqPitCalendar))
	for _, m := range []equipment.Equipment{
		{Code: "EX01", Class: "excavator", Make: "Komatsu", Model: "PC1250", Serial: "K-1", Site: "PIT1", Fleet: "contract-a"},
		{Code: "DT01", Class: "dump_truck", Make: "CAT", Model: "777", Serial: "C-1", Site: "PIT1", Fleet: "contract-a"},
	} {
		_, err := eng.AddEquipment(ctx, tn, m)
		require.NoError(t, err)
	}
	return ctx, eng, tn
}

func eqDayLog(code string, day int, startH, endH int, startMeter, endMeter, op string) equipment.UsageLog {
	return equipment.UsageLog{Equipment: code, ShiftDate: ledger.NewDate(2026, 7, day), Shift: "day", Operator: "E-1001",
		Start: eqAt(day, startH, 0), End: eqAt(day, endH, 0), StartMeter: eqDec(startMeter), EndMeter: eqDec(endMeter),
		OperatingHours: eqDec(op), Activity: "loading", Fuel: eqDec("310.5")}
}

func testEqFleetMaster(t *testing.T, st equipment.Store) {
	ctx, eng, tn := eqSetup(t, st)
	m, err := eng.Equipment(ctx, tn, "EX01")
	require.NoError(t, err)
	require.Equal(t, "excavator", m.Class)
	require.Equal(t, equipment.Owned, m.Ownership)
	require.Equal(t, equipment.Active, m.Status)
	_, err = eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "EX01", Class: "excavator", Site: "PIT1"})
	require.ErrorIs(t, err, equipment.ErrEquipmentExists)
	_, err = eng.Equipment(ctx, tn, "NOPE")
	require.ErrorIs(t, err, equipment.ErrEquipmentNotFound)

	_, err = eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "DZ01", Class: "dozer", Site: "PIT2", Fleet: "contract-b",
		Ownership: equipment.RentedIn, Commissioned: ledger.MustDate("2024-03-01")})
	require.NoError(t, err)
	all, err := eng.Fleet(ctx, tn, equipment.Filter{})
	require.NoError(t, err)
	require.Equal(t, []string{"DT01", "DZ01", "EX01"}, eqCodes(all))
	for _, c := range []struct {
		f    equipment.Filter
		want []string
	}{
		{equipment.Filter{Class: "dozer"}, []string{"DZ01"}},
		{equipment.Filter{Site: "PIT1"}, []string{"DT01", "EX01"}},
		{equipment.Filter{Fleet: "contract-b"}, []string{"DZ01"}},
		{equipment.Filter{Codes: []string{"EX01", "DZ01"}}, []string{"DZ01", "EX01"}},
		{equipment.Filter{Site: "PIT9"}, nil},
	} {
		got, err := eng.Fleet(ctx, tn, c.f)
		require.NoError(t, err)
		require.Equal(t, c.want, eqCodes(got), "%+v", c.f)
	}
	dz, err := eng.Equipment(ctx, tn, "DZ01")
	require.NoError(t, err)
	require.Equal(t, ledger.MustDate("2024-03-01"), dz.Commissioned)
	require.Equal(t, equipment.RentedIn, dz.Ownership)
	dz.Status = equipment.Inactive
	dz.Site = "PIT1"
	up, err := eng.UpdateEquipment(ctx, tn, dz)
	require.NoError(t, err)
	require.Equal(t, equipment.Inactive, up.Status)
	require.Equal(t, "PIT1", up.Site)
	require.True(t, up.CreatedAt.Equal(dz.CreatedAt))
	_, err = eng.UpdateEquipment(ctx, tn, equipment.Equipment{Code: "NOPE", Class: "x", Site: "y"})
	require.ErrorIs(t, err, equipment.ErrEquipmentNotFound)
}

func eqCodes(ms []equipment.Equipment) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Code)
	}
	return out
}

func testEqShiftCalendar(t *testing.T, st equipment.Store) {
	ctx, eng, tn := eqSetup(t, st)
	c, err := eng.Calendar(ctx, tn, "PIT1")
	require.NoError(t, err)
	require.Equal(t, eqPitCalendar.Shifts, c.Shifts)
	_, err = eng.Calendar(ctx, tn, "PIT2")
	require.ErrorIs(t, err, equipment.ErrCalendarNotFound)
	jk := equipment.Calendar{Site: "PIT2", TimeZone: "Asia/Jakarta",
		Shifts:   []equipment.Shift{{Name: "day", Start: 7 * time.Hour, Length: 10 * time.Hour}},
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Off:      []ledger.Date{ledger.MustDate("2026-08-17")}}
	require.NoError(t, eng.SetCalendar(ctx, tn, jk))
	got, err := eng.Calendar(ctx, tn, "PIT2")
	require.NoError(t, err)
	require.Equal(t, jk, got)
	jk.Shifts[0].Length = 11 * time.Hour // replace
	require.NoError(t, eng.SetCalendar(ctx, tn, jk))
	got, err = eng.Calendar(ctx, tn, "PIT2")
	require.NoError(t, err)
	require.Equal(t, 11*time.Hour, got.Shifts[0].Length)
	bad := jk
	bad.TimeZone = "Mars/Olympus"
	require.ErrorIs(t, eng.SetCalendar(ctx, tn, bad), equipment.ErrInvalidCalendar)
}

func testEqUsageLogs(t *testing.T, st equipment.Store) {
	ctx, eng, tn := eqSetup(t, st)
	l1, err := eng.LogUsage(ctx, tn, eqDayLog("EX01", 1, 6, 18, "1000", "1011.5", "10.25"))
	require.NoError(t, err)
	require.NotEqual(t, uuid.Nil, l1.ID)
	require.Equal(t, "PIT1", l1.Site)
	// A night shift runs past midnight on its shift date.
	night := equipment.UsageLog{Equipment: "EX01", ShiftDate: ledger.NewDate(2026, 7, 1), Shift: "night", Operator: "E-1002",
		Start: eqAt(1, 18, 0), End: eqAt(2, 6, 0), StartMeter: eqDec("1011.5"), EndMeter: eqDec("1020"), OperatingHours: eqDec("8")}
	_, err = eng.LogUsage(ctx, tn, night)
	require.NoError(t, err)
	// Two operators in one shift, one after the other.
	_, err = eng.LogUsage(ctx, tn, eqDayLog("EX01", 2, 6, 12, "1020", "1025", "5"))
	require.NoError(t, err)
	_, err = eng.LogUsage(ctx, tn, eqDayLog("EX01", 2, 12, 18, "1025", "1030", "5.5"))
	require.NoError(t, err)

	logs, err := eng.UsageLogs(ctx, tn, "EX01", equipment.Window{From: eqAt(1, 0, 0), To: eqAt(3, 0, 0)})
	require.NoError(t, err)
	require.Len(t, logs, 4)
	got := logs[0]
	require.Equal(t, l1.ID, got.ID)
	require.True(t, got.Start.Equal(l1.Start) && got.End.Equal(l1.End))
	require.True(t, got.StartMeter.Equal(eqDec("1000")) && got.EndMeter.Equal(eqDec("1011.5")))
	require.True(t, got.OperatingHours.Equal(eqDec("10.25")))
	require.True(t, got.Fuel.Equal(eqDec("310.5")))
	require.Equal(t, "E-1001", got.Operator)
	require.Equal(t, "loading", got.Activity)
	require.Equal(t, ledger.NewDate(2026, 7, 1), got.ShiftDate)
	require.Equal(t, "night", logs[1].Shift)

	readings, err := eng.Readings(ctx, tn, "EX01", equipment.HourMeter)
	require.NoError(t, err)
	require.Len(t, readings, 8)
	for i := 1; i < len(readings); i++ {
		require.False(t, readings[i].Value.LessThan(readings[i-1].Value))
	}
	require.Equal(t, equipment.LogEnd, readings[1].Kind)
	require.Equal(t, equipment.LogStart, readings[2].Kind, "a log ending and one starting at one instant: end first")
}

// eqBadCase is one rejected call: err must match want and no row may change.
type eqBadCase struct {
	name string
	call func() error
	want error
}

func eqRunBad(t *testing.T, ctx context.Context, rows EquipmentRows, tn string, cases []eqBadCase) {
	t.Helper()
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	for _, c := range cases {
		err := c.call()
		require.ErrorIs(t, err, c.want, c.name)
		after, err := rows(ctx, tn)
		require.NoError(t, err)
		require.Equal(t, before, after, "%s left rows behind", c.name)
	}
}

func testEquipmentBadInput(t *testing.T, st equipment.Store, rows EquipmentRows) {
	ctx, eng, tn := eqSetup(t, st)
	_, err := eng.LogUsage(ctx, tn, eqDayLog("EX01", 1, 6, 12, "1000", "1005", "5"))
	require.NoError(t, err)
	_, err = eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "EX09", Class: "excavator", Site: "PIT1", Status: equipment.Inactive})
	require.NoError(t, err)
	_, err = eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "EX10", Class: "excavator", Site: "NOCAL"})
	require.NoError(t, err)
	log := func(mod func(l *equipment.UsageLog)) func() error {
		return func() error {
			l := eqDayLog("EX01", 1, 12, 18, "1005", "1010", "5")
			mod(&l)
			_, err := eng.LogUsage(ctx, tn, l)
			return err
		}
	}
	stop := func(s equipment.Stoppage) func() error {
		return func() error { _, err := eng.AddStoppage(ctx, tn, s); return err }
	}
	eqRunBad(t, ctx, rows, tn, []eqBadCase{
		{"bad tenant", func() error {
			_, err := eng.LogUsage(ctx, " x", eqDayLog("EX01", 1, 12, 18, "1005", "1010", "5"))
			return err
		}, equipment.ErrInvalidTenant},
		{"unknown equipment", log(func(l *equipment.UsageLog) { l.Equipment = "NOPE" }), equipment.ErrEquipmentNotFound},
		{"no operator", log(func(l *equipment.UsageLog) { l.Operator = "" }), equipment.ErrInvalidUsage},
		{"end before start", log(func(l *equipment.UsageLog) { l.End = l.Start.Add(-time.Hour) }), equipment.ErrInvalidUsage},
		{"negative fuel", log(func(l *equipment.UsageLog) { l.Fuel = eqDec("-1") }), equipment.ErrInvalidUsage},
		{"four decimals", log(func(l *equipment.UsageLog) { l.OperatingHours = eqDec("1.2345") }), equipment.ErrInvalidUsage},
		{"bad shift date", log(func(l *equipment.UsageLog) { l.ShiftDate = ledger.Date{Year: 2026, Month: 2, Day: 30} }), equipment.ErrInvalidUsage},
		{"unknown shift", log(func(l *equipment.UsageLog) { l.Shift = "swing" }), equipment.ErrUnknownShift},
		{"no calendar", log(func(l *equipment.UsageLog) { l.Equipment = "EX10" }), equipment.ErrCalendarNotFound},
		{"inactive machine", log(func(l *equipment.UsageLog) { l.Equipment = "EX09"; l.StartMeter, l.EndMeter = eqDec("0"), eqDec("1") }), equipment.ErrInvalidUsage},
		{"ends after the shift", log(func(l *equipment.UsageLog) { l.End = eqAt(1, 19, 0) }), equipment.ErrHoursBeyondShift},
		{"starts before the shift", log(func(l *equipment.UsageLog) { l.ShiftDate = ledger.NewDate(2026, 7, 2) }), equipment.ErrHoursBeyondShift},
		{"more hours than the log", log(func(l *equipment.UsageLog) { l.OperatingHours = eqDec("6.001") }), equipment.ErrHoursBeyondShift},
		{"meter runs backwards in the log", log(func(l *equipment.UsageLog) { l.EndMeter = eqDec("1004") }), equipment.ErrMeterDiscontinuity},
		{"meter below the last reading", log(func(l *equipment.UsageLog) { l.StartMeter = eqDec("1004.9") }), equipment.ErrMeterDiscontinuity},
		{"meter faster than the clock", log(func(l *equipment.UsageLog) { l.EndMeter = eqDec("1011.001") }), equipment.ErrMeterDiscontinuity},
		{"overlapping log", log(func(l *equipment.UsageLog) {
			l.Start = eqAt(1, 11, 0)
			l.StartMeter = eqDec("1005")
			l.OperatingHours = eqDec("1")
		}), equipment.ErrOverlap},
		{"unknown reason", stop(equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 8, 0), Reason: "lunch"}), equipment.ErrUnknownReason},
		{"stoppage unknown equipment", stop(equipment.Stoppage{Equipment: "NOPE", Start: eqAt(1, 8, 0), Reason: "breakdown"}), equipment.ErrEquipmentNotFound},
		{"stoppage end before start", stop(equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 8, 0), End: eqAt(1, 7, 0), Reason: "breakdown"}), equipment.ErrInvalidStoppage},
		{"stoppage without start", stop(equipment.Stoppage{Equipment: "EX01", Reason: "breakdown"}), equipment.ErrInvalidStoppage},
		{"end unknown stoppage", func() error { _, err := eng.EndStoppage(ctx, tn, uuid.New(), eqAt(1, 9, 0), ""); return err }, equipment.ErrStoppageNotFound},
		{"reading of unknown machine", func() error {
			_, err := eng.RecordReading(ctx, tn, "NOPE", equipment.Reading{Meter: equipment.HourMeter, At: eqAt(1, 20, 0), Value: eqDec("1")})
			return err
		}, equipment.ErrEquipmentNotFound},
		{"reading of unknown meter", func() error {
			_, err := eng.RecordReading(ctx, tn, "EX01", equipment.Reading{Meter: "tachograph", At: eqAt(1, 20, 0), Value: eqDec("1")})
			return err
		}, equipment.ErrInvalidReading},
		{"bad machine", func() error {
			_, err := eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "X 1", Class: "x", Site: "y"})
			return err
		}, equipment.ErrInvalidEquipment},
		{"duplicate machine", func() error {
			_, err := eng.AddEquipment(ctx, tn, equipment.Equipment{Code: "EX01", Class: "x", Site: "y"})
			return err
		}, equipment.ErrEquipmentExists},
		{"overlapping shifts", func() error {
			c := eqPitCalendar
			c.Shifts = []equipment.Shift{{Name: "a", Start: 6 * time.Hour, Length: 13 * time.Hour}, {Name: "b", Start: 18 * time.Hour, Length: 12 * time.Hour}}
			return eng.SetCalendar(ctx, tn, c)
		}, equipment.ErrInvalidCalendar},
		{"report window", func() error {
			_, err := eng.Report(ctx, tn, equipment.ReportQuery{Window: equipment.Window{From: eqAt(2, 0, 0), To: eqAt(1, 0, 0)}})
			return err
		}, equipment.ErrInvalidQuery},
	})
	var oe *equipment.OverlapError
	err = log(func(l *equipment.UsageLog) {
		l.Start = eqAt(1, 11, 0)
		l.StartMeter = eqDec("1005")
		l.OperatingHours = eqDec("1")
	})()
	require.ErrorAs(t, err, &oe)
	require.Equal(t, "usage log", oe.Kind)
	var me *equipment.MeterError
	require.ErrorAs(t, log(func(l *equipment.UsageLog) { l.StartMeter = eqDec("1004.9") })(), &me)
	require.True(t, me.Other.Equal(eqDec("1005")))
}

func testEqMeters(t *testing.T, st equipment.Store, rows EquipmentRows) {
	ctx, eng, tn := eqSetup(t, st)
	_, err := eng.LogUsage(ctx, tn, eqDayLog("DT01", 1, 6, 18, "9990", "10000", "9"))
	require.NoError(t, err)
	_, err = eng.RecordReading(ctx, tn, "DT01", equipment.Reading{Meter: equipment.Odometer, At: eqAt(1, 18, 0), Value: eqDec("250000.5")})
	require.NoError(t, err)
	eqRunBad(t, ctx, rows, tn, []eqBadCase{
		{"odometer backwards", func() error {
			_, err := eng.RecordReading(ctx, tn, "DT01", equipment.Reading{Meter: equipment.Odometer, At: eqAt(2, 18, 0), Value: eqDec("250000.4")})
			return err
		}, equipment.ErrMeterDiscontinuity},
		{"reading above a later one", func() error {
			_, err := eng.RecordReading(ctx, tn, "DT01", equipment.Reading{Meter: equipment.HourMeter, At: eqAt(1, 5, 0), Value: eqDec("9991")})
			return err
		}, equipment.ErrMeterDiscontinuity},
		{"replacement inside a log", func() error {
			return eng.ReplaceMeter(ctx, tn, "DT01", equipment.MeterReplacement{Meter: equipment.HourMeter, At: eqAt(1, 12, 0), OldFinal: eqDec("9995"), NewInitial: eqDec("0")})
		}, equipment.ErrMeterDiscontinuity},
		{"replacement final below the last reading", func() error {
			return eng.ReplaceMeter(ctx, tn, "DT01", equipment.MeterReplacement{Meter: equipment.HourMeter, At: eqAt(2, 5, 0), OldFinal: eqDec("9999"), NewInitial: eqDec("0")})
		}, equipment.ErrMeterDiscontinuity},
		{"log below the meter without a replacement", func() error {
			_, err := eng.LogUsage(ctx, tn, eqDayLog("DT01", 2, 6, 18, "0", "10", "9"))
			return err
		}, equipment.ErrMeterDiscontinuity},
	})
	// The hour meter is replaced: readings start again from the new meter.
	require.NoError(t, eng.ReplaceMeter(ctx, tn, "DT01", equipment.MeterReplacement{Meter: equipment.HourMeter, At: eqAt(2, 5, 0), OldFinal: eqDec("10000.5"), NewInitial: eqDec("0")}))
	_, err = eng.LogUsage(ctx, tn, eqDayLog("DT01", 2, 6, 18, "0.2", "10", "9"))
	require.NoError(t, err)
	// A reading before the replacement still answers to the old meter.
	_, err = eng.RecordReading(ctx, tn, "DT01", equipment.Reading{Meter: equipment.HourMeter, At: eqAt(1, 20, 0), Value: eqDec("10000.2")})
	require.NoError(t, err)
	_, err = eng.RecordReading(ctx, tn, "DT01", equipment.Reading{Meter: equipment.HourMeter, At: eqAt(1, 21, 0), Value: eqDec("10000.9")})
	require.ErrorIs(t, err, equipment.ErrMeterDiscontinuity, "above the old meter's final reading")
	rs, err := eng.Readings(ctx, tn, "DT01", equipment.HourMeter)
	require.NoError(t, err)
	var kinds []equipment.ReadingKind
	for _, r := range rs {
		kinds = append(kinds, r.Kind)
	}
	require.Equal(t, []equipment.ReadingKind{equipment.LogStart, equipment.LogEnd, equipment.Recorded, equipment.ReplacedFinal,
		equipment.ReplacedInitial, equipment.LogStart, equipment.LogEnd}, kinds)
}

func testEqStoppages(t *testing.T, st equipment.Store, rows EquipmentRows) {
	ctx, eng, tn := eqSetup(t, st)
	open, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 10, 0), Reason: "breakdown", Notes: "hydraulic hose"})
	require.NoError(t, err)
	require.Equal(t, equipment.UnscheduledDown, open.Category)
	require.True(t, open.Open())
	closed, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 6, 0), End: eqAt(1, 7, 30), Reason: "no_operator"})
	require.NoError(t, err)
	require.Equal(t, equipment.Standby, closed.Category)
	eqRunBad(t, ctx, rows, tn, []eqBadCase{
		{"after an open stoppage", func() error {
			_, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(3, 10, 0), End: eqAt(3, 11, 0), Reason: "weather"})
			return err
		}, equipment.ErrOverlap},
		{"open, before an open stoppage", func() error {
			_, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 9, 0), Reason: "weather"})
			return err
		}, equipment.ErrOverlap},
		{"overlapping a closed one", func() error {
			_, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 7, 0), End: eqAt(1, 8, 0), Reason: "weather"})
			return err
		}, equipment.ErrOverlap},
		{"end before start", func() error { _, err := eng.EndStoppage(ctx, tn, open.ID, eqAt(1, 9, 0), ""); return err }, equipment.ErrInvalidStoppage},
		{"end a closed one", func() error { _, err := eng.EndStoppage(ctx, tn, closed.ID, eqAt(1, 9, 0), ""); return err }, equipment.ErrStoppageEnded},
	})
	// Touching is not overlapping; another machine is unaffected.
	_, err = eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 7, 30), End: eqAt(1, 10, 0), Reason: "planned_maintenance"})
	require.NoError(t, err)
	_, err = eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "DT01", Start: eqAt(1, 10, 0), Reason: "breakdown"})
	require.NoError(t, err)
	ended, err := eng.EndStoppage(ctx, tn, open.ID, eqAt(1, 16, 0), "hose replaced")
	require.NoError(t, err)
	require.Equal(t, "hydraulic hose\nhose replaced", ended.Notes)
	got, err := eng.Stoppage(ctx, tn, open.ID)
	require.NoError(t, err)
	require.True(t, got.End.Equal(eqAt(1, 16, 0)))
	require.Equal(t, ended.Notes, got.Notes)
	_, err = eng.EndStoppage(ctx, tn, open.ID, eqAt(1, 17, 0), "")
	require.ErrorIs(t, err, equipment.ErrStoppageEnded)
	_, err = eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 16, 0), End: eqAt(1, 17, 0), Reason: "weather"})
	require.NoError(t, err, "after the end")
	list, err := eng.Stoppages(ctx, tn, "EX01", equipment.Window{From: eqAt(1, 0, 0), To: eqAt(2, 0, 0)})
	require.NoError(t, err)
	require.Len(t, list, 4)
	for i := 1; i < len(list); i++ {
		require.True(t, list[i-1].Start.Before(list[i].Start))
	}
}

func testEquipmentTenants(t *testing.T, st equipment.Store) {
	ctx, eng, a := eqSetup(t, st)
	b := eqTenant(t)
	s, err := eng.AddStoppage(ctx, a, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 10, 0), Reason: "breakdown"})
	require.NoError(t, err)
	_, err = eng.LogUsage(ctx, a, eqDayLog("EX01", 1, 6, 18, "100", "110", "9"))
	require.NoError(t, err)

	_, err = eng.Equipment(ctx, b, "EX01")
	require.ErrorIs(t, err, equipment.ErrEquipmentNotFound)
	_, err = eng.Calendar(ctx, b, "PIT1")
	require.ErrorIs(t, err, equipment.ErrCalendarNotFound)
	_, err = eng.Stoppage(ctx, b, s.ID)
	require.ErrorIs(t, err, equipment.ErrStoppageNotFound)
	_, err = eng.EndStoppage(ctx, b, s.ID, eqAt(1, 12, 0), "")
	require.ErrorIs(t, err, equipment.ErrStoppageNotFound)
	_, err = eng.AddStoppage(ctx, b, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 10, 0), Reason: "breakdown"})
	require.ErrorIs(t, err, equipment.ErrEquipmentNotFound)
	fl, err := eng.Fleet(ctx, b, equipment.Filter{})
	require.NoError(t, err)
	require.Empty(t, fl)

	// The same codes in tenant b are b's own, with their own events.
	require.NoError(t, eng.SetCalendar(ctx, b, eqPitCalendar))
	_, err = eng.AddEquipment(ctx, b, equipment.Equipment{Code: "EX01", Class: "excavator", Site: "PIT1"})
	require.NoError(t, err)
	_, err = eng.AddStoppage(ctx, b, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 10, 0), Reason: "breakdown"})
	require.NoError(t, err, "a's open stoppage does not overlap b's")
	_, err = eng.LogUsage(ctx, b, eqDayLog("EX01", 1, 6, 18, "5", "6", "1"))
	require.NoError(t, err, "a's meter readings are not b's")
	w := equipment.Window{From: eqAt(1, 0, 0), To: eqAt(2, 0, 0)}
	logs, err := eng.UsageLogs(ctx, b, "EX01", w)
	require.NoError(t, err)
	require.Len(t, logs, 1)
	require.True(t, logs[0].StartMeter.Equal(eqDec("5")))
	rep, err := eng.Report(ctx, b, equipment.ReportQuery{Window: w})
	require.NoError(t, err)
	require.Len(t, rep.Machines, 1)
	require.True(t, rep.Total.MeterHours.Equal(eqDec("1")))
}

// EquipmentTwoStores runs the concurrency test with writes sent alternately
// through two stores over one database, as two processes would: of the
// overlapping logs and stoppages exactly one of each wins.
func EquipmentTwoStores(t *testing.T, a, b equipment.Store, rows EquipmentRows) {
	testEquipmentConcurrent(t, a, rows, b)
}

// testEquipmentConcurrent: overlapping usage logs, and overlapping
// stoppages, of one machine sent at once (through st, or alternately
// through st and other): exactly one of each wins.
func testEquipmentConcurrent(t *testing.T, st equipment.Store, rows EquipmentRows, other ...equipment.Store) {
	ctx, first, tn := eqSetup(t, st)
	engines := []*equipment.Engine{first}
	for _, o := range other {
		engines = append(engines, equipment.New(o, equipment.Config{}))
	}
	const n = 8
	var wg sync.WaitGroup
	logErrs := make([]error, n)
	stopErrs := make([]error, n)
	for i := range n {
		wg.Add(2)
		eng := engines[i%len(engines)]
		go func() {
			defer wg.Done()
			l := eqDayLog("EX01", 1, 6+i%3, 18, "1000", "1005", "5")
			_, logErrs[i] = eng.LogUsage(ctx, tn, l)
		}()
		go func() {
			defer wg.Done()
			_, stopErrs[i] = eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 8+i%4, 0), Reason: "breakdown"})
		}()
	}
	wg.Wait()
	for _, errs := range [][]error{logErrs, stopErrs} {
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			if !errors.Is(err, equipment.ErrOverlap) && !errors.Is(err, equipment.ErrMeterDiscontinuity) {
				require.NoError(t, err)
			}
		}
		require.Equal(t, 1, ok, "exactly one wins: %v", errs)
	}
	n2, err := rows(ctx, tn)
	require.NoError(t, err)
	total := 0
	for _, c := range n2 {
		total += c
	}
	// 2 machines, 1 calendar, 1 log with 2 readings, 1 stoppage.
	require.Equal(t, 7, total, "%v", n2)
}

// eqTenant returns a tenant ID no other test uses.
func eqTenant(testing.TB) string { return "eq-" + uuid.NewString() }

func eqDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
