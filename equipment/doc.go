// Package equipment is erpkit's equipment engine for a contractor that rents
// out excavators and dump trucks: the fleet master, shift calendars, usage
// logs, stoppages and meters, and the time usage model and KPIs client
// contracts are judged by.
//
// An Engine over a Store (storage/sqlite, storage/postgres) validates every
// request before anything is written, and reports per machine, class, site
// and fleet:
//
//	eng := equipment.New(store, equipment.Config{})
//	err := eng.SetCalendar(ctx, tenant, equipment.Calendar{Site: "PIT1", TimeZone: "Asia/Dhaka", Shifts: ...})
//	m, err := eng.AddEquipment(ctx, tenant, equipment.Equipment{Code: "EX01", Class: "excavator", Site: "PIT1"})
//	l, err := eng.LogUsage(ctx, tenant, equipment.UsageLog{Equipment: "EX01", Shift: "day", ...})
//	s, err := eng.AddStoppage(ctx, tenant, equipment.Stoppage{Equipment: "EX01", Reason: "breakdown", ...})
//	rep, err := eng.Report(ctx, tenant, equipment.ReportQuery{Window: w})
//	rep.Total.Availability.Physical.Percent(1) // e.g. 88.9
//
// Bad input fails with sentinel errors (ErrHoursBeyondShift,
// ErrMeterDiscontinuity, ErrOverlap, ErrEquipmentNotFound, ...) and typed
// details (*OverlapError, *MeterError). Writes to one machine are
// serialised by its Store (Store.RecordMachine), so of two overlapping logs
// sent at once exactly one is stored, in any number of processes.
//
// The calculations are pure functions over events, with no context and no
// store. Classify accounts for every instant of a window exactly once -
// unscheduled, scheduled down, unscheduled down, operating or standby - from
// the shift calendar (Calendar.Scheduled), usage logs and stoppages. KPIs
// gives mechanical availability W/(W+R), physical availability (W+S)/T, use
// of availability W/(W+S) and effective utilisation W/T, with T the calendar
// or the scheduled time (a parameter). FailureMetrics gives MTBS, MTTR and
// MTBF in hours; Policy.Evaluate and Policy.Combine derive all of them for a
// machine or a group from its activity. A KPI whose denominator is zero is
// undefined with a reason, never zero or a panic. Series and Buckets split a
// window into daily, weekly or monthly buckets in the site's time zone.
//
// Calendars name IANA time zones (Asia/Dhaka, Asia/Jakarta), loaded with
// time.LoadLocation: a program that may run without system zoneinfo should
// import _ "time/tzdata".
//
// Durations are exact (time.Duration); hours, meter readings and fuel are
// decimals with at most three places; ratios are decimals with named
// rounding. Definitions and worked examples: shared/reference/equipment.md
// and docs/equipment.md.
package equipment
