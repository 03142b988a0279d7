// Package equipment is erpkit's equipment engine for a contractor that rents
// out excavators and dump trucks. This first part is pure: the time usage
// model and the KPIs client contracts are judged by, as plain functions over
// events, with no storage.
//
// Classify accounts for every instant of a window exactly once - unscheduled,
// scheduled down, unscheduled down, operating or standby - from the shift
// calendar, usage logs and stoppages:
//
//	u, err := equipment.Classify(window, shifts, events)
//	k := equipment.KPIs(u, equipment.CalendarTime)
//	k.Physical.Percent(1) // e.g. 88.9
//
// KPIs gives mechanical availability W/(W+R), physical availability
// (W+S)/T, use of availability W/(W+S) and effective utilisation W/T, with T
// the calendar or the scheduled time (a parameter, as practice differs).
// FailureMetrics gives MTBS, MTTR and MTBF in hours. A KPI whose denominator
// is zero is undefined with a reason, never zero or a panic. Series splits a
// window into daily, weekly or monthly buckets in the site's time zone.
//
// Durations are exact (time.Duration); hours and ratios are decimals with
// named rounding. Definitions and worked examples: shared/reference/equipment.md
// and docs/equipment.md. The fleet master, meters, usage logs, stoppages and
// their storage come next (the equipment engine issue).
package equipment
