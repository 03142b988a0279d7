package equipment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Policy holds the parameters where practice differs: the denominator of
// physical availability and effective utilisation, and which stoppage
// reasons count as unscheduled stoppages for MTBS and MTTR.
type Policy struct {
	Denominator        Denominator
	UnscheduledReasons []string
}

// Result is the time usage and KPIs of one machine or group in a window.
//
// Failure metrics count events by their start (stoppages and failures that
// start in the window; usage logs that start in it give the hour-meter
// hours) and repairs by their end (unscheduled stoppages that end in the
// window, with their whole duration as repair hours).
type Result struct {
	Key          string // machine code, class, site or fleet; "" for a whole selection
	Machines     int
	Usage        Usage
	Availability Availability
	Reliability  Reliability
	// MeterHours is the hour-meter (SMU) hours of the usage logs, the
	// operating time of MTBS and MTBF; LoggedHours their operating hours.
	MeterHours  decimal.Decimal
	LoggedHours decimal.Decimal
	Stoppages   int             // unscheduled stoppages (per the policy)
	Failures    int             // stoppages of category UnscheduledDown
	Repaired    int             // unscheduled stoppages ended
	RepairTime  time.Duration   // their duration
	RepairHours decimal.Decimal // RepairTime in hours (Hours)
}

// Evaluate is the pure KPI computation for one machine: it classifies the
// window from the scheduled intervals and the machine's activity (open
// stoppages run until now) and derives every KPI.
func (p Policy) Evaluate(w Window, scheduled []Interval, a Activity, now time.Time) (Result, error) {
	events := make([]Interval, 0, len(a.Logs)+len(a.Stoppages))
	r := Result{Key: a.Equipment.Code, Machines: 1}
	var meter, logged int64
	for _, l := range a.Logs {
		events = append(events, l.Operating())
		if !l.Start.Before(w.From) && l.Start.Before(w.To) {
			meter += l.MeterMilli
			logged += l.OperatingMilli
		}
	}
	r.MeterHours, r.LoggedHours = decimal.New(meter, -3), decimal.New(logged, -3)
	var repair time.Duration
	for _, s := range a.Stoppages {
		events = append(events, s.Interval(now))
		starts := !s.Start.Before(w.From) && s.Start.Before(w.To)
		unscheduled := slices.Contains(p.UnscheduledReasons, s.Reason)
		if starts && unscheduled {
			r.Stoppages++
		}
		if starts && s.Category == UnscheduledDown {
			r.Failures++
		}
		if unscheduled && !s.Open() && s.End.After(w.From) && !s.End.After(w.To) {
			r.Repaired++
			repair += s.End.Sub(s.Start)
		}
	}
	r.RepairTime = repair
	u, err := Classify(w, scheduled, events)
	if err != nil {
		return Result{}, err
	}
	r.Usage = u
	p.finish(&r)
	return r, nil
}

func (p Policy) finish(r *Result) {
	r.RepairHours = Hours(r.RepairTime)
	r.Availability = KPIs(r.Usage, p.Denominator)
	r.Reliability = FailureMetrics(r.MeterHours, r.Stoppages, r.RepairHours, r.Repaired, r.Failures)
}

// Combine sums results into a group's result under key, and derives its
// KPIs again (a group's KPI is its summed hours' ratio, not an average).
func (p Policy) Combine(key string, rs ...Result) Result {
	out := Result{Key: key, MeterHours: decimal.Zero, LoggedHours: decimal.Zero}
	for i, r := range rs {
		if i == 0 {
			out.Usage.Window = r.Usage.Window
		}
		out.Machines += r.Machines
		out.Usage = out.Usage.Add(r.Usage)
		out.MeterHours = out.MeterHours.Add(r.MeterHours)
		out.LoggedHours = out.LoggedHours.Add(r.LoggedHours)
		out.Stoppages += r.Stoppages
		out.Failures += r.Failures
		out.Repaired += r.Repaired
		out.RepairTime += r.RepairTime
	}
	p.finish(&out)
	return out
}

// Report is the time usage and KPIs of a selection of machines in a window,
// per machine and grouped by class, site and fleet (each ordered by key).
type Report struct {
	Window   Window
	Machines []Result
	Classes  []Result
	Sites    []Result
	Fleets   []Result
	Total    Result
}

// ReportQuery selects the machines and the window of a report.
type ReportQuery struct {
	Window Window
	Filter Filter
}

// Report computes the time usage and KPIs of the machines q selects over
// q.Window, each machine against its site's shift calendar (a site with no
// calendar is scheduled around the clock). Errors: ErrInvalidTenant,
// ErrInvalidQuery.
func (e *Engine) Report(ctx context.Context, tenant string, q ReportQuery) (Report, error) {
	rs, err := e.Series(ctx, tenant, q, Whole, nil)
	if err != nil {
		return Report{}, err
	}
	return rs[0], nil
}

// Whole is the Period of one bucket for the whole window.
const Whole Period = -1

// Series computes a Report for each bucket of period p (Daily, Weekly,
// Monthly, or Whole) of q.Window, bucket boundaries at local midnight in loc
// (the site's time zone when every machine is at one site with a calendar,
// else UTC, when loc is nil), for dashboards. Errors: ErrInvalidTenant,
// ErrInvalidQuery.
func (e *Engine) Series(ctx context.Context, tenant string, q ReportQuery, p Period, loc *time.Location) ([]Report, error) {
	if err := checkQuery(tenant, q.Window); err != nil {
		return nil, err
	}
	if p < Whole || p > Monthly {
		return nil, fmt.Errorf("%w: period %d", ErrInvalidQuery, p)
	}
	w := Window{instant(q.Window.From), instant(q.Window.To)}
	acts, err := e.store.EquipmentActivity(ctx, tenant, q.Filter, w)
	if err != nil {
		return nil, err
	}
	// Each site's shifts over the window, once.
	sched := map[string][]Interval{}
	var sites []string
	var siteLoc *time.Location
	for _, a := range acts {
		if _, ok := sched[a.Equipment.Site]; ok {
			continue
		}
		sites = append(sites, a.Equipment.Site)
		cal, err := e.store.ShiftCalendar(ctx, tenant, a.Equipment.Site)
		switch {
		case err == nil:
			if sched[a.Equipment.Site], err = cal.Scheduled(w); err != nil {
				return nil, err
			}
			if len(sites) == 1 {
				siteLoc, _ = cal.Location()
			}
		case isNotFound(err):
			sched[a.Equipment.Site] = []Interval{{Start: w.From, End: w.To}}
		default:
			return nil, err
		}
	}
	if loc == nil {
		loc = time.UTC
		if len(sites) == 1 && siteLoc != nil {
			loc = siteLoc
		}
	}
	buckets := []Window{w}
	if p != Whole {
		buckets = Buckets(w, loc, p)
	}
	now := e.timestamp()
	out := make([]Report, len(buckets))
	for i, b := range buckets {
		out[i].Window = b
		out[i].Machines = make([]Result, 0, len(acts))
	}
	for _, a := range acts {
		for i, b := range buckets {
			part, shifts := a, sched[a.Equipment.Site]
			if len(buckets) > 1 {
				part, shifts = clip(a, b), clipIntervals(shifts, b)
			}
			r, err := e.policy.Evaluate(b, shifts, part, now)
			if err != nil {
				return nil, err
			}
			out[i].Machines = append(out[i].Machines, r)
		}
	}
	byCode := map[string]Equipment{}
	for _, a := range acts {
		byCode[a.Equipment.Code] = a.Equipment
	}
	for i := range out {
		out[i].Classes = e.group(out[i].Machines, byCode, func(m Equipment) string { return m.Class })
		out[i].Sites = e.group(out[i].Machines, byCode, func(m Equipment) string { return m.Site })
		out[i].Fleets = e.group(out[i].Machines, byCode, func(m Equipment) string { return m.Fleet })
		out[i].Total = e.policy.Combine("", out[i].Machines...)
		out[i].Total.Usage.Window = out[i].Window
	}
	return out, nil
}

func isNotFound(err error) bool { return err != nil && errors.Is(err, ErrCalendarNotFound) }

// clip keeps the logs and stoppages of a that touch b, as subslices: both
// are ordered by start and do not overlap among themselves (a store's
// contract), so their ends are ordered too and an open stoppage is last.
func clip(a Activity, b Window) Activity {
	out := Activity{Equipment: a.Equipment}
	lo := sort.Search(len(a.Logs), func(i int) bool { return a.Logs[i].End.After(b.From) })
	hi := sort.Search(len(a.Logs), func(i int) bool { return !a.Logs[i].Start.Before(b.To) })
	if lo < hi {
		out.Logs = a.Logs[lo:hi]
	}
	lo = sort.Search(len(a.Stoppages), func(i int) bool { return a.Stoppages[i].Open() || a.Stoppages[i].End.After(b.From) })
	hi = sort.Search(len(a.Stoppages), func(i int) bool { return !a.Stoppages[i].Start.Before(b.To) })
	if lo < hi {
		out.Stoppages = a.Stoppages[lo:hi]
	}
	return out
}

// clipIntervals returns the intervals of list (ordered, not overlapping)
// that touch b, as a subslice.
func clipIntervals(list []Interval, b Window) []Interval {
	lo := sort.Search(len(list), func(i int) bool { return list[i].End.After(b.From) })
	hi := sort.Search(len(list), func(i int) bool { return !list[i].Start.Before(b.To) })
	if lo >= hi {
		return nil
	}
	return list[lo:hi]
}

func (e *Engine) group(rs []Result, byCode map[string]Equipment, key func(Equipment) string) []Result {
	groups := map[string][]Result{}
	for _, r := range rs {
		k := key(byCode[r.Key])
		groups[k] = append(groups[k], r)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Result, 0, len(keys))
	for _, k := range keys {
		g := e.policy.Combine(k, groups[k]...)
		out = append(out, g)
	}
	return out
}
