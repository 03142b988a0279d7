package equipment

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
)

// intervals decodes random numbers into intervals inside [t0, t0+span):
// four numbers per interval (start, length, category, unused).
func intervals(t0 time.Time, span time.Duration, v []int, withCategory bool) []Interval {
	var out []Interval
	for i := 0; i+3 < len(v); i += 4 {
		start := t0.Add(time.Duration(v[i]%int(span/time.Minute)) * time.Minute)
		end := start.Add(time.Duration(v[i+1]%(12*60)) * time.Minute)
		in := Interval{Start: start, End: end}
		if withCategory {
			in.Category = precedence[v[i+2]%len(precedence)]
		}
		out = append(out, in)
	}
	return out
}

func TestProperties(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv("ERPKIT_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed: ERPKIT_SEED=%d", seed)
		}
	})
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 300
	props := gopter.NewProperties(params)
	t0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	const span = 72 * time.Hour
	nums := gen.SliceOfN(24, gen.IntRange(0, 1<<20))
	one := decimal.NewFromInt(1)

	props.Property("the parts sum to the window, and any split adds up to the whole",
		prop.ForAll(func(sv, ev []int, cut int) bool {
			sched, events := intervals(t0, span, sv, false), intervals(t0, span, ev, true)
			w := Window{t0, t0.Add(span)}
			u, err := Classify(w, sched, events)
			if err != nil || u.Calendar() != span {
				return false
			}
			mid := t0.Add(time.Duration(1+cut%int(span/time.Minute-1)) * time.Minute)
			a, err1 := Classify(Window{t0, mid}, sched, events)
			b, err2 := Classify(Window{mid, w.To}, sched, events)
			if err1 != nil || err2 != nil {
				return false
			}
			sum := a.Add(b)
			sum.Window = u.Window
			return sum == u
		}, nums, nums, gen.IntRange(0, 1<<20)))

	props.Property("Classify equals a minute-by-minute count by the stated rules",
		prop.ForAll(func(sv, ev []int) bool {
			sched, events := intervals(t0, span, sv, false), intervals(t0, span, ev, true)
			u, err := Classify(Window{t0, t0.Add(span)}, sched, events)
			return err == nil && u == naive(t0, span, sched, events)
		}, nums, nums))

	props.Property("daily, weekly and monthly series add up to the window",
		prop.ForAll(func(sv, ev []int) bool {
			sched, events := intervals(t0, span, sv, false), intervals(t0, span, ev, true)
			w := Window{t0.Add(7 * time.Hour), t0.Add(span)}
			u, _ := Classify(w, sched, events)
			for _, p := range []Period{Daily, Weekly, Monthly} {
				parts, err := Series(w, time.FixedZone("BDT", 6*3600), p, sched, events)
				if err != nil {
					return false
				}
				var sum Usage
				for _, x := range parts {
					sum = sum.Add(x)
				}
				sum.Window = w
				if sum != u {
					return false
				}
			}
			return true
		}, nums, nums))

	props.Property("every defined KPI lies in [0, 1]",
		prop.ForAll(func(sv, ev []int) bool {
			u, _ := Classify(Window{t0, t0.Add(span)}, intervals(t0, span, sv, false), intervals(t0, span, ev, true))
			for _, den := range []Denominator{CalendarTime, ScheduledTime} {
				k := KPIs(u, den)
				for _, r := range []Ratio{k.Mechanical, k.Physical, k.UseOfAvailability, k.EffectiveUtilisation} {
					if r.Defined && (r.Value.IsNegative() || r.Value.GreaterThan(one)) {
						return false
					}
					if !r.Defined && r.Reason == "" {
						return false
					}
				}
			}
			return true
		}, nums, nums))
	props.Property("Evaluate: KPIs in [0, 1], or undefined with a reason; split windows combine to the whole",
		prop.ForAll(func(sv, ev []int, cut int) bool {
			sched := intervals(t0, span, sv, false)
			var a Activity
			for _, in := range intervals(t0, span, ev, true) {
				if in.Category == Operating {
					h := int64(in.End.Sub(in.Start) / (3600 * time.Millisecond))
					a.Logs = append(a.Logs, LogSpan{Start: in.Start, End: in.End, OperatingMilli: h, MeterMilli: h})
				} else {
					a.Stoppages = append(a.Stoppages, Stoppage{Start: in.Start, End: in.End, Category: in.Category, Reason: string(in.Category)})
				}
			}
			p := Policy{UnscheduledReasons: []string{string(UnscheduledDown)}}
			w := Window{t0, t0.Add(span)}
			whole, err := p.Evaluate(w, sched, a, w.To)
			if err != nil {
				return false
			}
			k, rel := whole.Availability, whole.Reliability
			for _, r := range []Ratio{k.Mechanical, k.Physical, k.UseOfAvailability, k.EffectiveUtilisation, rel.Availability} {
				if r.Defined && (r.Value.IsNegative() || r.Value.GreaterThan(one)) || !r.Defined && r.Reason == "" {
					return false
				}
			}
			for _, r := range []Ratio{rel.MTBS, rel.MTTR, rel.MTBF} {
				if r.Defined && r.Value.IsNegative() || !r.Defined && r.Reason == "" {
					return false
				}
			}
			mid := t0.Add(time.Duration(1+cut%int(span/time.Minute-1)) * time.Minute)
			x, err1 := p.Evaluate(Window{t0, mid}, sched, a, w.To)
			y, err2 := p.Evaluate(Window{mid, w.To}, sched, a, w.To)
			if err1 != nil || err2 != nil {
				return false
			}
			sum := p.Combine("", x, y)
			sum.Usage.Window = w
			return sum.Usage == whole.Usage && sum.MeterHours.Equal(whole.MeterHours) && sum.Stoppages == whole.Stoppages &&
				sum.Repaired == whole.Repaired && sum.RepairHours.Equal(whole.RepairHours) && sum.Failures == whole.Failures
		}, nums, nums, gen.IntRange(0, 1<<20)))
	props.TestingRun(t)
}

// naive classifies minute by minute, straight from the rules in Classify's
// documentation: an oracle with nothing in common with its sweep.
func naive(t0 time.Time, span time.Duration, sched, events []Interval) Usage {
	in := func(t time.Time, iv Interval) bool { return !t.Before(iv.Start) && t.Before(iv.End) }
	u := Usage{Window: Window{t0, t0.Add(span)}}
	for t := t0; t.Before(t0.Add(span)); t = t.Add(time.Minute) {
		has := map[Category]bool{}
		for _, e := range events {
			if in(t, e) {
				has[e.Category] = true
			}
		}
		scheduled := false
		for _, s := range sched {
			scheduled = scheduled || in(t, s)
		}
		switch {
		case has[UnscheduledDown]:
			u.UnscheduledDown += time.Minute
		case has[ScheduledDown]:
			u.ScheduledDown += time.Minute
		case !scheduled:
			u.Unscheduled += time.Minute
		case has[Operating]:
			u.Operating += time.Minute
		default:
			u.Standby += time.Minute
		}
	}
	return u
}
