package payroll_test

import (
	"testing"
	"time"

	_ "time/tzdata" // the tests use Asia/Dhaka and Asia/Jakarta on any machine

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
)

func loc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	require.NoError(t, err)
	return l
}

// Reference: DuPont weekly hours 48/72/48/0, average 42.
func TestDuPontGolden(t *testing.T) {
	t.Parallel()
	p := payroll.DuPont(7 * time.Hour)
	require.Len(t, p.Cycle, 28)
	requireDec(t, "168", p.CycleHours())
	var got []string
	for _, h := range p.WeeklyHours(0) {
		got = append(got, h.String())
	}
	require.Equal(t, []string{"48", "72", "48", "0"}, got)
	requireDec(t, "42", p.CycleHours().Div(d("4")))
}

// Reference: 2-2-3 (Pitman) alternating 36 and 48 hour weeks.
func TestPitmanGolden(t *testing.T) {
	t.Parallel()
	p := payroll.Pitman(payroll.ShiftSpec{Name: "D", Start: 7 * time.Hour})
	require.Len(t, p.Cycle, 14)
	requireDec(t, "84", p.CycleHours())
	var got []string
	for _, h := range p.WeeklyHours(1) {
		got = append(got, h.String())
	}
	require.Equal(t, []string{"48", "36"}, got)
	got = nil
	for _, h := range p.WeeklyHours(0) {
		got = append(got, h.String())
	}
	require.Equal(t, []string{"60", "24"}, got)
}

func TestDuPontCoverage(t *testing.T) {
	t.Parallel()
	r := payroll.Roster{Pattern: payroll.DuPont(7 * time.Hour), Anchor: payroll.NewDate(2025, time.January, 6),
		Location: loc(t, "Asia/Jakarta"), Crews: payroll.DuPontCrews()}
	from, to := payroll.NewDate(2025, time.January, 1), payroll.NewDate(2025, time.March, 31)
	perDay := map[payroll.Date][]string{}
	for _, c := range r.Crews {
		shifts, err := r.Schedule(c.Name, from, to)
		require.NoError(t, err)
		for _, s := range shifts {
			perDay[s.Date] = append(perDay[s.Date], s.Name)
		}
	}
	for day := from; !day.After(to); day = day.AddDays(1) {
		require.ElementsMatch(t, []string{"D", "N"}, perDay[day], day.String())
	}
}

func TestScheduleNightCrossesMidnight(t *testing.T) {
	t.Parallel()
	dhaka := loc(t, "Asia/Dhaka")
	r := payroll.Roster{Pattern: payroll.DuPont(7 * time.Hour), Anchor: payroll.NewDate(2025, time.June, 1),
		Location: dhaka, Crews: payroll.DuPontCrews()}
	shifts, err := r.Schedule("A", payroll.NewDate(2025, time.June, 1), payroll.NewDate(2025, time.June, 1))
	require.NoError(t, err)
	require.Len(t, shifts, 1)
	s := shifts[0]
	require.Equal(t, "N", s.Name)
	require.Equal(t, time.Date(2025, time.June, 1, 19, 0, 0, 0, dhaka), s.Start)
	require.Equal(t, time.Date(2025, time.June, 2, 7, 0, 0, 0, dhaka), s.End)
	require.Equal(t, "2025-06-01T13:00:00Z", s.Start.UTC().Format(time.RFC3339)) // Dhaka is UTC+6
	requireDec(t, "12", s.Hours())
	byDay := payroll.HoursByCalendarDay(shifts)
	requireDec(t, "5", byDay[payroll.NewDate(2025, time.June, 1)])
	requireDec(t, "7", byDay[payroll.NewDate(2025, time.June, 2)])
	requireDec(t, "12", payroll.HoursByDate(shifts)[payroll.NewDate(2025, time.June, 1)])
}

func TestFixedPatterns(t *testing.T) {
	t.Parallel()
	jkt := loc(t, "Asia/Jakarta")
	mon := payroll.NewDate(2025, time.June, 2)
	require.Equal(t, time.Monday, mon.Weekday())
	for _, tc := range []struct {
		p    payroll.Pattern
		week string
	}{{payroll.FixedDay(), "40"}, {payroll.FixedNight(), "40"}} {
		r := payroll.Roster{Pattern: tc.p, Anchor: mon, Location: jkt, Crews: []payroll.Crew{{Name: "X"}}}
		shifts, err := r.Schedule("X", mon, mon.AddDays(13))
		require.NoError(t, err)
		require.Len(t, shifts, 10)
		for _, s := range shifts {
			require.NotEqual(t, time.Saturday, s.Date.Weekday())
			require.NotEqual(t, time.Sunday, s.Date.Weekday())
		}
		weeks := payroll.HoursByWeek(shifts, time.Monday)
		requireDec(t, tc.week, weeks[mon])
		requireDec(t, tc.week, weeks[mon.AddDays(7)])
		day, err := r.Day("X", mon.AddDays(5))
		require.NoError(t, err)
		require.True(t, day.Off())
	}
}

func TestRosterErrors(t *testing.T) {
	t.Parallel()
	good := payroll.Roster{Pattern: payroll.DuPont(7 * time.Hour), Anchor: payroll.NewDate(2025, 1, 1),
		Location: time.UTC, Crews: payroll.DuPontCrews()}
	day := payroll.NewDate(2025, 1, 1)
	tests := []struct {
		name string
		mut  func(r *payroll.Roster)
		crew string
		to   payroll.Date
		err  error
	}{
		{"unknown crew", func(*payroll.Roster) {}, "Z", day, payroll.ErrUnknownCrew},
		{"reversed range", func(*payroll.Roster) {}, "A", day.AddDays(-1), payroll.ErrInvalidRange},
		{"no location", func(r *payroll.Roster) { r.Location = nil }, "A", day, payroll.ErrNoLocation},
		{"no anchor", func(r *payroll.Roster) { r.Anchor = payroll.Date{} }, "A", day, payroll.ErrInvalidParameter},
		{"empty pattern", func(r *payroll.Roster) { r.Pattern = payroll.Pattern{} }, "A", day, payroll.ErrInvalidPattern},
		{"start past midnight", func(r *payroll.Roster) {
			r.Pattern = payroll.Pattern{Cycle: []payroll.ShiftSpec{{Start: 25 * time.Hour, Length: time.Hour}}}
		}, "A", day, payroll.ErrInvalidPattern},
		{"too long", func(r *payroll.Roster) {
			r.Pattern = payroll.Pattern{Cycle: []payroll.ShiftSpec{{Length: 25 * time.Hour}}}
		}, "A", day, payroll.ErrInvalidPattern},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := good
			tc.mut(&r)
			_, err := r.Schedule(tc.crew, day, tc.to)
			require.ErrorIs(t, err, tc.err)
		})
	}
	for _, runs := range []string{"", "N", "4", "N0", "X3", "N4 O", "N999"} {
		_, err := payroll.Cycle("bad", runs, map[string]payroll.ShiftSpec{"N": {Length: time.Hour}})
		require.ErrorIs(t, err, payroll.ErrInvalidPattern, runs)
	}
}
