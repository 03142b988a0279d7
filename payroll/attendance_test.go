package payroll_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
)

func TestAttendNightShiftAcrossMidnight(t *testing.T) {
	t.Parallel()
	dhaka := loc(t, "Asia/Dhaka")
	r := payroll.Roster{Pattern: payroll.DuPont(7 * time.Hour), Anchor: payroll.NewDate(2025, time.June, 1),
		Location: dhaka, Crews: payroll.DuPontCrews()}
	from := payroll.NewDate(2025, time.June, 1)
	shifts, err := r.Schedule("A", from, from.AddDays(6)) // N N N N O O O
	require.NoError(t, err)
	at := func(day, h, m int) time.Time { return time.Date(2025, time.June, day, h, m, 0, 0, dhaka) }
	punches := []payroll.Punch{
		{At: at(1, 18, 55), Dir: payroll.In}, {At: at(2, 7, 5), Dir: payroll.Out}, // 12h10m, crosses midnight
		{At: at(2, 19, 0), Dir: payroll.In}, {At: at(3, 7, 0), Dir: payroll.Out}, // 12h
		{At: at(4, 7, 0), Dir: payroll.Out},                                       // no In: reported, not counted
		{At: at(4, 19, 0), Dir: payroll.In},                                       // no Out before the next In
		{At: at(6, 9, 0), Dir: payroll.In}, {At: at(6, 13, 30), Dir: payroll.Out}, // rest day, 4.5 h
	}
	// punches in UTC must give the same answer: only the instants matter
	for i := range punches {
		punches[i].At = punches[i].At.UTC()
	}
	a, err := payroll.Attend(payroll.AttendanceConfig{Location: dhaka}, shifts, punches)
	require.NoError(t, err)
	require.Len(t, a.Intervals, 3)
	require.Equal(t, from, a.Intervals[0].Date)
	require.Len(t, a.Missing, 2)
	require.Equal(t, payroll.In, a.Missing[0].Missing)
	require.Equal(t, payroll.Out, a.Missing[1].Missing)
	err = a.Complete()
	require.ErrorIs(t, err, payroll.ErrMissingPunch)
	var mp *payroll.MissingPunchError
	require.True(t, errors.As(err, &mp))
	require.Len(t, mp.Punches, 2)

	byDate := map[payroll.Date]payroll.DayHours{}
	for _, dh := range a.Days {
		byDate[dh.Date] = dh
	}
	d1 := byDate[from]
	require.Equal(t, payroll.Workday, d1.Kind)
	requireDec(t, "12", d1.Scheduled)
	requireDec(t, "12.166667", d1.Worked) // 12 h 10 min, 6-place rule
	requireDec(t, "8", d1.Night)          // 22:00-06:00
	d6 := byDate[from.AddDays(5)]
	require.Equal(t, payroll.RestDay, d6.Kind)
	requireDec(t, "4.5", d6.Worked)
	requireDec(t, "0", d6.Night)
	requireDec(t, "48", a.Totals.Scheduled)
	requireDec(t, "28.666667", a.Totals.Worked)
	requireDec(t, "4.5", a.Totals.RestDay)
	requireDec(t, "0.166667", a.Totals.Beyond)
	requireDec(t, "16", a.Totals.Night)
}

func TestAttendHolidayAndWindow(t *testing.T) {
	t.Parallel()
	jkt := loc(t, "Asia/Jakarta")
	mon := payroll.NewDate(2025, time.June, 2)
	r := payroll.Roster{Pattern: payroll.FixedDay(), Anchor: mon, Location: jkt, Crews: []payroll.Crew{{Name: "X"}}}
	shifts, err := r.Schedule("X", mon, mon.AddDays(1))
	require.NoError(t, err)
	at := func(day, h int) time.Time { return time.Date(2025, time.June, day, h, 0, 0, 0, jkt) }
	a, err := payroll.Attend(payroll.AttendanceConfig{Location: jkt, Holidays: []payroll.Date{mon.AddDays(1)},
		NightStart: 18 * time.Hour, NightEnd: 23 * time.Hour}, shifts, []payroll.Punch{
		{At: at(2, 8), Dir: payroll.In}, {At: at(2, 20), Dir: payroll.Out},
		{At: at(3, 8), Dir: payroll.In}, {At: at(3, 12), Dir: payroll.Out},
	})
	require.NoError(t, err)
	require.NoError(t, a.Complete())
	require.Len(t, a.Days, 2)
	require.Equal(t, payroll.Workday, a.Days[0].Kind)
	requireDec(t, "12", a.Days[0].Worked)
	requireDec(t, "2", a.Days[0].Night)
	require.Equal(t, payroll.Holiday, a.Days[1].Kind)
	requireDec(t, "4", a.Totals.Holiday)
	requireDec(t, "4", a.Totals.Beyond)
}

func TestAttendTooLongPairIsMissing(t *testing.T) {
	t.Parallel()
	base := time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)
	a, err := payroll.Attend(payroll.AttendanceConfig{Location: time.UTC}, nil, []payroll.Punch{
		{At: base, Dir: payroll.In}, {At: base.Add(20 * time.Hour), Dir: payroll.Out},
	})
	require.NoError(t, err)
	require.Empty(t, a.Intervals)
	require.Len(t, a.Missing, 2)
	requireDec(t, "0", a.Totals.Worked)
}

func TestAttendErrors(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		cfg     payroll.AttendanceConfig
		shifts  []payroll.ScheduledShift
		punches []payroll.Punch
		err     error
	}{
		{"no location", payroll.AttendanceConfig{}, nil, nil, payroll.ErrNoLocation},
		{"zero time", payroll.AttendanceConfig{Location: time.UTC}, nil, []payroll.Punch{{Dir: payroll.In}}, payroll.ErrInvalidPunch},
		{"bad direction", payroll.AttendanceConfig{Location: time.UTC}, nil, []payroll.Punch{{At: now}}, payroll.ErrInvalidPunch},
		{"negative max shift", payroll.AttendanceConfig{Location: time.UTC, MaxShift: -time.Hour}, nil, nil, payroll.ErrInvalidParameter},
		{"shift ends first", payroll.AttendanceConfig{Location: time.UTC}, []payroll.ScheduledShift{{Start: now, End: now.Add(-time.Hour)}}, nil, payroll.ErrInvalidRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := payroll.Attend(tc.cfg, tc.shifts, tc.punches)
			require.ErrorIs(t, err, tc.err)
		})
	}
}
