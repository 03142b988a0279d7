package equipment

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	_ "time/tzdata"
)

func h(n int) time.Duration { return time.Duration(n) * time.Hour }

const half = 30 * time.Minute

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func requirePct(t *testing.T, want string, r Ratio) {
	t.Helper()
	require.True(t, r.Defined, r.Reason)
	require.Truef(t, dec(want).Equal(r.Percent(1)), "want %s%%, got %s%%", want, r.Percent(1))
}

// Reference: W=300, R=100, S=200, T=600 -> MA 75%, PA 83.3%, UoA 60%, EU 50%.
func TestKPIsReferenceExample1(t *testing.T) {
	u := Usage{Operating: h(300), UnscheduledDown: h(100), Standby: h(200)}
	require.Equal(t, h(600), u.Calendar())
	k := KPIs(u, CalendarTime)
	requirePct(t, "75", k.Mechanical)
	requirePct(t, "83.3", k.Physical)
	requirePct(t, "60", k.UseOfAvailability)
	requirePct(t, "50", k.EffectiveUtilisation)
}

// Reference: calendar 720, down 80, standby 140 -> available 640, PA 88.9%,
// UoA 78.1%, EU 69.4%.
func TestKPIsReferenceExample2(t *testing.T) {
	u := Usage{ScheduledDown: h(30), UnscheduledDown: h(50), Standby: h(140), Operating: h(720 - 80 - 140)}
	require.Equal(t, h(640), u.Available())
	k := KPIs(u, CalendarTime)
	requirePct(t, "88.9", k.Physical)
	requirePct(t, "78.1", k.UseOfAvailability)
	requirePct(t, "69.4", k.EffectiveUtilisation)
}

// Reference: 600 SMU hours, 4 stoppages, 30 repair hours -> MTBS 150,
// MTTR 7.5, MA 95.24%. MTBF 900, MTTR 100 -> availability 90%.
func TestFailureMetricsReference(t *testing.T) {
	r := FailureMetrics(dec("600"), 4, dec("30"), 4, 4)
	require.True(t, r.MTBS.Value.Equal(dec("150")))
	require.True(t, r.MTTR.Value.Equal(dec("7.5")))
	require.True(t, dec("95.24").Equal(r.Availability.Percent(2)), r.Availability.Percent(2).String())
	a := AvailabilityFrom(Ratio{Value: dec("900"), Defined: true}, Ratio{Value: dec("100"), Defined: true})
	require.True(t, dec("90").Equal(a.Percent(2)))
}

func TestUndefinedKPIs(t *testing.T) {
	r := FailureMetrics(dec("600"), 0, dec("0"), 0, 0)
	require.False(t, r.MTBS.Defined)
	require.Equal(t, "no unscheduled stoppages", r.MTBS.Reason)
	require.False(t, r.MTTR.Defined)
	require.False(t, r.Availability.Defined)
	k := KPIs(Usage{Unscheduled: h(24)}, ScheduledTime)
	require.False(t, k.Physical.Defined, "no scheduled time: undefined, not zero")
	require.False(t, k.Mechanical.Defined)
	k = KPIs(Usage{Unscheduled: h(12), Standby: h(12)}, CalendarTime)
	require.True(t, k.Physical.Defined)
	require.True(t, dec("50").Equal(k.Physical.Percent(0)))
	require.True(t, k.UseOfAvailability.Value.IsZero())
}

func TestDenominatorParameter(t *testing.T) {
	// 24 h calendar, 12 h scheduled: 10 operating, 2 standby.
	u := Usage{Unscheduled: h(12), Operating: h(10), Standby: h(2)}
	requirePct(t, "50", KPIs(u, CalendarTime).Physical)
	requirePct(t, "100", KPIs(u, ScheduledTime).Physical)
	requirePct(t, "83.3", KPIs(u, ScheduledTime).EffectiveUtilisation)
}

func TestClassifyShiftDay(t *testing.T) {
	dhaka, err := time.LoadLocation("Asia/Dhaka")
	require.NoError(t, err)
	at := func(day, hour, min int) time.Time { return time.Date(2026, 7, day, hour, min, 0, 0, dhaka) }
	w := Window{at(1, 0, 0), at(2, 0, 0)}
	shifts := []Interval{{Start: at(1, 6, 0), End: at(1, 18, 0)}} // day shift only
	events := []Interval{
		{Start: at(1, 6, 30), End: at(1, 11, 0), Category: Operating},
		{Start: at(1, 10, 0), End: at(1, 13, 0), Category: UnscheduledDown, Reason: "hydraulic hose"}, // overlaps the log: down wins
		{Start: at(1, 13, 0), End: at(1, 17, 0), Category: Operating},
		{Start: at(1, 17, 0), End: at(1, 17, 30), Category: Standby, Reason: "no operator"},
		{Start: at(1, 20, 0), End: at(1, 22, 0), Category: ScheduledDown, Reason: "PM 250h"}, // outside the shift: still down
	}
	u, err := Classify(w, shifts, events)
	require.NoError(t, err)
	require.Equal(t, h(24), u.Calendar())
	require.Equal(t, h(7)+half, u.Operating)  // 06:30-10:00 and 13:00-17:00
	require.Equal(t, h(3), u.UnscheduledDown) // 10:00-13:00
	require.Equal(t, h(2), u.ScheduledDown)   // 20:00-22:00
	require.Equal(t, h(1)+half, u.Standby)    // 06:00-06:30 idle, 17:00-18:00 (no operator, then idle)
	require.Equal(t, h(24-12-2), u.Unscheduled)
	require.True(t, Hours(u.Operating).Equal(dec("7.5")))
}

func TestClassifyErrors(t *testing.T) {
	t0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	_, err := Classify(Window{t0, t0}, nil, nil)
	require.ErrorIs(t, err, ErrInvalidWindow)
	_, err = Classify(Window{t0, t0.Add(time.Hour)}, nil, []Interval{{Start: t0.Add(time.Hour), End: t0, Category: Operating}})
	require.ErrorIs(t, err, ErrInvalidInterval)
	_, err = Classify(Window{t0, t0.Add(time.Hour)}, nil, []Interval{{Start: t0, End: t0.Add(time.Minute), Category: "working"}})
	require.True(t, errors.Is(err, ErrInvalidInterval))
	_, err = Series(Window{t0, t0}, nil, Daily, nil, nil)
	require.ErrorIs(t, err, ErrInvalidWindow)
}

func TestSeriesBuckets(t *testing.T) {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	require.NoError(t, err)
	from := time.Date(2026, 7, 30, 12, 0, 0, 0, jakarta) // a Thursday noon
	to := time.Date(2026, 8, 4, 0, 0, 0, 0, jakarta)
	days, err := Series(Window{from, to}, jakarta, Daily, nil, nil)
	require.NoError(t, err)
	require.Len(t, days, 5) // half of 30 Jul, 31 Jul, 1-3 Aug
	require.Equal(t, h(12), days[0].Calendar())
	weeks, err := Series(Window{from, to}, jakarta, Weekly, nil, nil)
	require.NoError(t, err)
	require.Len(t, weeks, 2) // to Monday 3 Aug, then Monday
	require.Equal(t, h(12+3*24), weeks[0].Calendar())
	months, err := Series(Window{from, to}, jakarta, Monthly, nil, nil)
	require.NoError(t, err)
	require.Len(t, months, 2)
	require.Equal(t, h(36), months[0].Calendar())
}
