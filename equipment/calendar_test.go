package equipment

import (
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/stretchr/testify/require"
)

var twoShifts = Calendar{Site: "PIT1", TimeZone: "Asia/Dhaka", Shifts: []Shift{
	{Name: "day", Start: 6 * time.Hour, Length: 12 * time.Hour},
	{Name: "night", Start: 18 * time.Hour, Length: 12 * time.Hour},
}}

func TestShiftWindow(t *testing.T) {
	dhaka, err := time.LoadLocation("Asia/Dhaka")
	require.NoError(t, err)
	night, err := twoShifts.ShiftWindow(ledger.MustDate("2026-07-01"), "night")
	require.NoError(t, err)
	require.True(t, night.Start.Equal(time.Date(2026, 7, 1, 18, 0, 0, 0, dhaka)))
	require.True(t, night.End.Equal(time.Date(2026, 7, 2, 6, 0, 0, 0, dhaka)), "a night shift ends the next morning")
	require.Equal(t, time.UTC, night.Start.Location())
	require.True(t, night.Start.Equal(time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)), "Dhaka is UTC+6")
	_, err = twoShifts.ShiftWindow(ledger.MustDate("2026-07-01"), "swing")
	require.ErrorIs(t, err, ErrUnknownShift)

	jk := Calendar{Site: "PIT2", TimeZone: "Asia/Jakarta", Shifts: []Shift{{Name: "day", Start: 7*time.Hour + 30*time.Minute, Length: 10 * time.Hour}},
		Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		Off:      []ledger.Date{ledger.MustDate("2026-08-17")}}
	require.NoError(t, jk.Validate())
	d, err := jk.ShiftWindow(ledger.MustDate("2026-08-18"), "day")
	require.NoError(t, err)
	require.True(t, d.Start.Equal(time.Date(2026, 8, 18, 0, 30, 0, 0, time.UTC)), "Jakarta is UTC+7")
	_, err = jk.ShiftWindow(ledger.MustDate("2026-08-17"), "day")
	require.ErrorIs(t, err, ErrUnknownShift, "an off day")
	_, err = jk.ShiftWindow(ledger.MustDate("2026-08-16"), "day")
	require.ErrorIs(t, err, ErrUnknownShift, "a Sunday")

	// A week of Jakarta's roster: four weekdays (17 August is off) of 10 h.
	loc, _ := jk.Location()
	w := Window{time.Date(2026, 8, 16, 0, 0, 0, 0, loc), time.Date(2026, 8, 23, 0, 0, 0, 0, loc)}
	sched, err := jk.Scheduled(w)
	require.NoError(t, err)
	require.Len(t, sched, 4)
	u, err := Classify(w, sched, nil)
	require.NoError(t, err)
	require.Equal(t, 40*time.Hour, u.Scheduled())
	require.Equal(t, 7*24*time.Hour-40*time.Hour, u.Unscheduled)
}

func TestScheduledIncludesYesterdaysNightShift(t *testing.T) {
	dhaka, _ := time.LoadLocation("Asia/Dhaka")
	w := Window{time.Date(2026, 7, 2, 0, 0, 0, 0, dhaka), time.Date(2026, 7, 3, 0, 0, 0, 0, dhaka)}
	sched, err := twoShifts.Scheduled(w)
	require.NoError(t, err)
	require.Len(t, sched, 3) // 1 July night, 2 July day and night
	u, err := Classify(w, sched, nil)
	require.NoError(t, err)
	require.Equal(t, 24*time.Hour, u.Scheduled())
}

func TestCalendarValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		mod  func(c *Calendar)
	}{
		{"no time zone", func(c *Calendar) { c.TimeZone = "" }},
		{"unknown time zone", func(c *Calendar) { c.TimeZone = "Asia/Atlantis" }},
		{"no shifts", func(c *Calendar) { c.Shifts = nil }},
		{"duplicate names", func(c *Calendar) { c.Shifts[1].Name = "day" }},
		{"overlap", func(c *Calendar) { c.Shifts[0].Length = 13 * time.Hour }},
		{"overlap into the next day", func(c *Calendar) { c.Shifts[1].Length = 13 * time.Hour }},
		{"longer than a day", func(c *Calendar) { c.Shifts = c.Shifts[:1]; c.Shifts[0].Length = 25 * time.Hour }},
		{"seconds", func(c *Calendar) { c.Shifts[0].Start += time.Second }},
		{"start past midnight", func(c *Calendar) { c.Shifts[1].Start = 24 * time.Hour }},
		{"bad site", func(c *Calendar) { c.Site = "pit 1" }},
		{"bad weekday", func(c *Calendar) { c.Weekdays = []time.Weekday{7} }},
		{"bad off date", func(c *Calendar) { c.Off = []ledger.Date{{Year: 2026, Month: 2, Day: 30}} }},
	} {
		cal := twoShifts
		cal.Shifts = append([]Shift(nil), twoShifts.Shifts...)
		c.mod(&cal)
		require.ErrorIs(t, cal.Validate(), ErrInvalidCalendar, c.name)
	}
	require.NoError(t, twoShifts.Validate())
}

func TestCheckReadings(t *testing.T) {
	t0 := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	r := func(h int, v string, k ReadingKind) Reading {
		return Reading{Meter: HourMeter, At: t0.Add(time.Duration(h) * time.Hour), Value: dec(v), Kind: k}
	}
	for _, c := range []struct {
		name      string
		have, add []Reading
		ok        bool
	}{
		{"continues", []Reading{r(0, "100", LogStart), r(10, "108", LogEnd)}, []Reading{r(12, "108", LogStart), r(20, "115", LogEnd)}, true},
		{"goes backwards", []Reading{r(10, "108", LogEnd)}, []Reading{r(12, "107.9", LogStart)}, false},
		{"above a later reading", []Reading{r(10, "108", LogEnd)}, []Reading{r(5, "108.5", Recorded)}, false},
		{"faster than the clock", []Reading{r(10, "108", LogEnd)}, []Reading{r(12, "110.001", Recorded)}, false},
		{"exactly the clock", []Reading{r(10, "108", LogEnd)}, []Reading{r(12, "110", Recorded)}, true},
		{"after a replacement", []Reading{r(10, "108", LogEnd), r(11, "109", ReplacedFinal), r(11, "0", ReplacedInitial)}, []Reading{r(12, "0.5", Recorded)}, true},
		{"before a replacement, above its final", []Reading{r(11, "109", ReplacedFinal), r(11, "0", ReplacedInitial)}, []Reading{r(10, "109.5", Recorded)}, false},
		{"odometers are not clocked", nil, []Reading{
			{Meter: Odometer, At: t0, Value: dec("1"), Kind: Recorded}, {Meter: Odometer, At: t0.Add(time.Hour), Value: dec("90"), Kind: Recorded}}, true},
		{"meters are independent", []Reading{{Meter: Odometer, At: t0, Value: dec("5000"), Kind: Recorded}}, []Reading{r(1, "1", Recorded)}, true},
	} {
		err := checkReadings("EX01", c.have, c.add)
		if c.ok {
			require.NoError(t, err, c.name)
		} else {
			require.ErrorIs(t, err, ErrMeterDiscontinuity, c.name)
		}
	}
}

func TestQuantities(t *testing.T) {
	for s, ok := range map[string]bool{"0": true, "1250.125": true, "1250.1250": true, "1.2345": false, "-0.001": false, "1000000000000000": false} {
		require.Equal(t, ok, validQuantity(dec(s)), s)
	}
	require.Equal(t, 7*time.Hour+30*time.Minute, HoursDuration(dec("7.5")))
	require.Equal(t, 3600*time.Millisecond, HoursDuration(dec("0.001")))
}
