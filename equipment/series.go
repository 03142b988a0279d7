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
	for _, b := range Buckets(w, loc, p) {
		u, err := Classify(b, scheduled, events)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// Buckets splits w into consecutive windows of period p starting at local
// midnight in loc (the first and last may be partial). Whole, or a window
// that is not valid, gives w itself.
func Buckets(w Window, loc *time.Location, p Period) []Window {
	if p == Whole || !w.To.After(w.From) {
		return []Window{w}
	}
	if loc == nil {
		loc = time.UTC
	}
	var out []Window
	for from := w.From; from.Before(w.To); {
		to := next(from.In(loc), p)
		if to.After(w.To) {
			to = w.To
		}
		out = append(out, Window{from, to})
		from = to
	}
	return out
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
