package equipment

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkFleetYear: the time usage and KPIs of 500 machines over one year
// of two 12-hour shifts a day (365,000 usage logs, 50,000 stoppages): the
// pure part of the equipment engine issue's 1 s goal. With the store read:
// BenchmarkEquipmentFleetYear in storage/sqlite and storage/postgres.
func BenchmarkFleetYear(b *testing.B) {
	t0 := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	w := Window{t0, t0.AddDate(1, 0, 0)}
	r := rand.New(rand.NewPCG(1, 2))
	type machine struct{ sched, events []Interval }
	fleet := make([]machine, 500)
	for m := range fleet {
		for d := range 365 {
			day := t0.AddDate(0, 0, d)
			fleet[m].sched = append(fleet[m].sched,
				Interval{Start: day.Add(6 * time.Hour), End: day.Add(18 * time.Hour)},
				Interval{Start: day.Add(18 * time.Hour), End: day.Add(30 * time.Hour)})
			for s := range 2 { // one usage log per shift
				start := day.Add(time.Duration(6+12*s)*time.Hour + time.Duration(r.IntN(60))*time.Minute)
				fleet[m].events = append(fleet[m].events, Interval{Start: start, End: start.Add(time.Duration(8+r.IntN(3)) * time.Hour), Category: Operating})
			}
		}
		for range 100 { // stoppages
			start := t0.Add(time.Duration(r.IntN(365*24)) * time.Hour)
			c := []Category{UnscheduledDown, ScheduledDown, Standby}[r.IntN(3)]
			fleet[m].events = append(fleet[m].events, Interval{Start: start, End: start.Add(time.Duration(1+r.IntN(6)) * time.Hour), Category: c})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		var total Usage
		for _, m := range fleet {
			u, err := Classify(w, m.sched, m.events)
			if err != nil {
				b.Fatal(err)
			}
			_ = KPIs(u, CalendarTime)
			total = total.Add(u)
		}
		if k := KPIs(total, CalendarTime); !k.Physical.Defined {
			b.Fatal("undefined")
		}
	}
}
