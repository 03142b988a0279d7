package equipment

import (
	"fmt"
	"slices"
	"time"

	"github.com/erpkit/erpkit/ledger"
)

// Shift is a named shift of a site's calendar: it starts at Start after
// local midnight of its shift date and lasts Length (a night shift of 12
// hours from 18:00 ends at 06:00 the next day, still on its shift date).
type Shift struct {
	Name   string
	Start  time.Duration // since local midnight, e.g. 6 * time.Hour; whole minutes
	Length time.Duration // whole minutes, at most 24 hours
}

// Calendar is a site's shift calendar and roster, in the site's time zone:
// the named shifts run on the rostered weekdays (every day when Weekdays is
// empty) except the Off dates. Time inside a shift is scheduled (required);
// the rest of the calendar is unscheduled.
type Calendar struct {
	Site     string
	TimeZone string // IANA name, e.g. "Asia/Dhaka", "Asia/Jakarta"
	Shifts   []Shift
	Weekdays []time.Weekday
	Off      []ledger.Date // holidays, shutdowns: no shifts
}

// Location loads the calendar's time zone.
func (c Calendar) Location() (*time.Location, error) {
	if c.TimeZone == "" {
		return nil, fmt.Errorf("%w: %s: no time zone", ErrInvalidCalendar, c.Site)
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: time zone %q: %v", ErrInvalidCalendar, c.Site, c.TimeZone, err)
	}
	return loc, nil
}

// Validate checks the calendar: a known time zone, named shifts with whole
// minute times of at most 24 hours that do not overlap each other, from one
// day into the next either.
func (c Calendar) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidCalendar, c.Site, fmt.Sprintf(format, a...))
	}
	if !validCode(c.Site) {
		return fmt.Errorf("%w: site %q", ErrInvalidCalendar, c.Site)
	}
	if _, err := c.Location(); err != nil {
		return err
	}
	if len(c.Shifts) == 0 {
		return bad("no shifts")
	}
	names := map[string]bool{}
	for _, s := range c.Shifts {
		if !validCode(s.Name) || names[s.Name] {
			return bad("shift names must be unique codes without spaces, got %q", s.Name)
		}
		names[s.Name] = true
		if s.Start < 0 || s.Start >= 24*time.Hour || s.Start%time.Minute != 0 {
			return bad("shift %s starts at %s: whole minutes from 00:00 to 23:59", s.Name, s.Start)
		}
		if s.Length <= 0 || s.Length > 24*time.Hour || s.Length%time.Minute != 0 {
			return bad("shift %s lasts %s: whole minutes, more than zero and at most 24h", s.Name, s.Length)
		}
	}
	sorted := slices.Clone(c.Shifts)
	slices.SortFunc(sorted, func(a, b Shift) int { return int(a.Start - b.Start) })
	for i, s := range sorted {
		next := sorted[0].Start + 24*time.Hour
		if i+1 < len(sorted) {
			next = sorted[i+1].Start
		}
		if s.Start+s.Length > next {
			return bad("shift %s overlaps the next shift", s.Name)
		}
	}
	for _, d := range c.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			return bad("weekday %d", d)
		}
	}
	for _, d := range c.Off {
		if !d.Valid() {
			return bad("off date %v", d)
		}
	}
	return nil
}

// runs reports whether the roster has shifts on date d.
func (c Calendar) runs(d ledger.Date) bool {
	if slices.Contains(c.Off, d) {
		return false
	}
	return len(c.Weekdays) == 0 || slices.Contains(c.Weekdays, d.Time().Weekday())
}

func (c Calendar) at(loc *time.Location, d ledger.Date, s Shift) Interval {
	start := time.Date(d.Year, d.Month, d.Day, int(s.Start/time.Hour), int(s.Start%time.Hour/time.Minute), 0, 0, loc)
	return Interval{Start: start.UTC(), End: start.Add(s.Length).UTC(), Reason: s.Name}
}

// ShiftWindow returns the span of the named shift on shift date d (UTC).
// Errors: ErrInvalidCalendar; ErrUnknownShift when the calendar has no such
// shift or the roster has no shifts that day.
func (c Calendar) ShiftWindow(d ledger.Date, name string) (Interval, error) {
	loc, err := c.Location()
	if err != nil {
		return Interval{}, err
	}
	if !d.Valid() {
		return Interval{}, fmt.Errorf("%w: shift date %v", ErrUnknownShift, d)
	}
	for _, s := range c.Shifts {
		if s.Name == name {
			if !c.runs(d) {
				return Interval{}, fmt.Errorf("%w: %s has no shifts on %s", ErrUnknownShift, c.Site, d)
			}
			return c.at(loc, d, s), nil
		}
	}
	return Interval{}, fmt.Errorf("%w: %s has no shift %q", ErrUnknownShift, c.Site, name)
}

// Scheduled returns the shifts that overlap w, in order, each with its name
// in Reason: the scheduled time Classify takes.
func (c Calendar) Scheduled(w Window) ([]Interval, error) {
	loc, err := c.Location()
	if err != nil {
		return nil, err
	}
	if !w.To.After(w.From) {
		return nil, fmt.Errorf("%w: %s .. %s", ErrInvalidWindow, w.From, w.To)
	}
	shifts := slices.Clone(c.Shifts)
	slices.SortFunc(shifts, func(a, b Shift) int { return int(a.Start - b.Start) })
	var out []Interval
	// A shift of the day before may run into the window.
	for d := ledger.DateOf(w.From.In(loc)).AddDays(-1); !d.Time().After(ledger.DateOf(w.To.In(loc)).Time()); d = d.AddDays(1) {
		if !c.runs(d) {
			continue
		}
		for _, s := range shifts {
			in := c.at(loc, d, s)
			if in.End.After(w.From) && in.Start.Before(w.To) {
				out = append(out, in)
			}
		}
	}
	return out, nil
}
