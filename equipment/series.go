package equipment

import (
	"fmt"
	"time"
)

// Period is the bucket size of a series.
type Period int

// Series periods. Weeks start on Monday; days, weeks and months start at
// local midnight in the site's time zone.
const (
	Daily Period = iota
	Weekly
	Monthly
)

// Series splits w into consecutive buckets of period p (in loc; the first
// and last may be partial) and classifies each: for dashboards. The buckets'
// usages add up exactly to Classify over w.
func Series(w Window, loc *time.Location, p Period, scheduled, events []Interval) ([]Usage, error) {
	if !w.To.After(w.From) {
		return nil, fmt.Errorf("%w: %s .. %s", ErrInvalidWindow, w.From, w.To)
	}
	if loc == nil {
		loc = time.UTC
	}
	var out []Usage
	for from := w.From; from.Before(w.To); {
		to := next(from.In(loc), p)
		if to.After(w.To) {
			to = w.To
		}
		u, err := Classify(Window{from, to}, scheduled, events)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
		from = to
	}
	return out, nil
}

// next returns the start of the bucket after the one holding t.
func next(t time.Time, p Period) time.Time {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	switch p {
	case Weekly:
		off := (int(day.Weekday()) + 6) % 7 // days since Monday
		return day.AddDate(0, 0, 7-off)
	case Monthly:
		return time.Date(y, m+1, 1, 0, 0, 0, 0, t.Location())
	}
	return day.AddDate(0, 0, 1)
}
