package payroll

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time zone: a shift date, a holiday, a
// leave day. The zero Date is not a valid date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the normalised date (so day 32 of January is 1 February).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n)) }

// DaysSince returns the number of days from e to d (negative when d is before e).
func (d Date) DaysSince(e Date) int {
	return int((d.utc().Unix() - e.utc().Unix()) / 86400)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.DaysSince(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.DaysSince(e) > 0 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// At returns the wall-clock instant offset after local midnight of d in loc.
func (d Date) At(offset time.Duration, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, int(offset/time.Second), int(offset%time.Second), loc)
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("payroll: parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// daysInYear returns 365 or 366.
func daysInYear(y int) int {
	return NewDate(y+1, time.January, 1).DaysSince(NewDate(y, time.January, 1))
}
