package equipment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The failure metrics of the reference's example, from events: 600 SMU
// hours, 4 breakdowns repaired in 30 hours -> MTBS 150, MTTR 7.5, MA 95.24%.
func TestEvaluateFailureExample(t *testing.T) {
	t0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	w := Window{t0, t0.Add(30 * 24 * time.Hour)}
	var a Activity
	for d := range 30 {
		start := t0.Add(time.Duration(d) * 24 * time.Hour)
		a.Logs = append(a.Logs, LogSpan{Start: start, End: start.Add(24 * time.Hour), OperatingMilli: 20000, MeterMilli: 20000})
	}
	for _, d := range []int{1, 8, 15, 22} {
		start := t0.Add(time.Duration(d) * 24 * time.Hour)
		a.Stoppages = append(a.Stoppages, Stoppage{Start: start, End: start.Add(7*time.Hour + 30*time.Minute), Reason: "breakdown", Category: UnscheduledDown})
	}
	// A standby stoppage and a planned service count in neither MTBS nor MTTR.
	a.Stoppages = append(a.Stoppages,
		Stoppage{Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour), Reason: "weather", Category: Standby},
		Stoppage{Start: t0.Add(50 * time.Hour), End: t0.Add(52 * time.Hour), Reason: "planned_maintenance", Category: ScheduledDown})
	p := Policy{UnscheduledReasons: []string{"breakdown"}}
	r, err := p.Evaluate(w, []Interval{{Start: w.From, End: w.To}}, a, w.To)
	require.NoError(t, err)
	require.Equal(t, 4, r.Stoppages)
	require.Equal(t, 4, r.Repaired)
	require.Equal(t, 4, r.Failures)
	require.True(t, r.MeterHours.Equal(dec("600")))
	require.True(t, r.Reliability.MTBS.Value.Equal(dec("150")))
	require.True(t, r.Reliability.MTTR.Value.Equal(dec("7.5")))
	require.True(t, r.Reliability.MTBF.Value.Equal(dec("150")))
	require.True(t, dec("95.24").Equal(r.Reliability.Availability.Percent(2)))
	require.Equal(t, 30*time.Hour, r.Usage.UnscheduledDown)
	require.Equal(t, 2*time.Hour, r.Usage.ScheduledDown)

	// Counting weather as an unscheduled stoppage too (a contract's choice).
	p.UnscheduledReasons = append(p.UnscheduledReasons, "weather")
	r, err = p.Evaluate(w, []Interval{{Start: w.From, End: w.To}}, a, w.To)
	require.NoError(t, err)
	require.Equal(t, 5, r.Stoppages)
	require.True(t, r.Reliability.MTBS.Value.Equal(dec("120")))
	require.Equal(t, 4, r.Failures, "failures are breakdowns whatever the policy")

	// No stoppages at all: MTBS undefined with a reason, not a division by zero.
	r, err = p.Evaluate(w, nil, Activity{Logs: a.Logs}, w.To)
	require.NoError(t, err)
	require.False(t, r.Reliability.MTBS.Defined)
	require.NotEmpty(t, r.Reliability.MTBS.Reason)
	require.False(t, r.Availability.Mechanical.Defined, "nothing scheduled")
}

func TestCombineIsRatioOfSums(t *testing.T) {
	// Machine a has MA 100%, machine b 0%: the group's MA is the ratio of
	// the summed hours, 30 / (30 + 10) = 75%, not the mean of the two.
	a := Result{Key: "a", Machines: 1, Usage: Usage{Operating: 30 * time.Hour, Standby: 10 * time.Hour}}
	b := Result{Key: "b", Machines: 1, Usage: Usage{UnscheduledDown: 10 * time.Hour}}
	g := Policy{}.Combine("fleet", a, b)
	require.Equal(t, 2, g.Machines)
	require.True(t, dec("75").Equal(g.Availability.Mechanical.Percent(0)))
	require.True(t, dec("60").Equal(g.Availability.EffectiveUtilisation.Percent(0)))
}
