package payroll

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Direction says whether a punch clocks in or out.
type Direction int

// Punch directions.
const (
	In Direction = iota + 1
	Out
)

// String returns "in" or "out".
func (d Direction) String() string {
	switch d {
	case In:
		return "in"
	case Out:
		return "out"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// Punch is one clock-in or clock-out record.
type Punch struct {
	At  time.Time
	Dir Direction
}

// MissingPunch is a punch left without its pair: an In with no Out before the
// next In or within MaxShift (Missing = Out), or an Out with no In (Missing = In).
// Its hours are not counted: attendance reports, it does not guess.
type MissingPunch struct {
	Punch   Punch
	Missing Direction
}

// MissingPunchError lists the unpaired punches of an attendance calculation.
type MissingPunchError struct {
	Punches []MissingPunch
}

func (e *MissingPunchError) Error() string {
	parts := make([]string, len(e.Punches))
	for i, p := range e.Punches {
		parts[i] = fmt.Sprintf("%s at %s has no %s", p.Punch.Dir, p.Punch.At.Format(time.RFC3339), p.Missing)
	}
	return "payroll: missing punch: " + strings.Join(parts, "; ")
}

// Unwrap makes errors.Is(err, ErrMissingPunch) true.
func (e *MissingPunchError) Unwrap() error { return ErrMissingPunch }

// AttendanceConfig holds the site rules for turning punches into hours. The zero
// value needs only Location.
type AttendanceConfig struct {
	Location *time.Location // the site's time zone (required)
	// NightStart and NightEnd bound the night window in local time; default
	// 22:00-06:00. A window with NightEnd <= NightStart crosses midnight.
	NightStart, NightEnd time.Duration
	// MaxShift is the longest an In-Out pair may last before both punches are
	// reported as missing their pair; default 16 h.
	MaxShift time.Duration
	// Holidays are public and festival holidays (by shift date).
	Holidays []Date
}

// Interval is one worked span, attributed to a shift date.
type Interval struct {
	Date  Date // shift date: of the scheduled shift it overlaps most, else the local date it starts
	Start time.Time
	End   time.Time
}

// Attendance is the result of Attend: per shift date hours (sorted by date), the
// worked intervals, the unpaired punches, and totals.
type Attendance struct {
	Days      []DayHours
	Intervals []Interval
	Missing   []MissingPunch
	Totals    AttendanceTotals
}

// AttendanceTotals sums the days. RestDay and Holiday are hours worked on those
// kinds of day; Beyond is hours worked on workdays beyond the scheduled hours.
type AttendanceTotals struct {
	Scheduled, Worked, Night, RestDay, Holiday, Beyond decimal.Decimal
}

// Complete returns a *MissingPunchError when any punch was unpaired, else nil.
func (a Attendance) Complete() error {
	if len(a.Missing) == 0 {
		return nil
	}
	return &MissingPunchError{Punches: a.Missing}
}

// Attend turns one employee's punches into hours against the employee's
// scheduled shifts: pairs of In and Out (crossing midnight as needed) become
// worked intervals; each interval belongs to the scheduled shift it overlaps
// most, or to the local date it starts on. A day with no scheduled shift is a
// rest day; a holiday wins over both. Unpaired punches are reported in Missing
// and their time is not counted.
func Attend(cfg AttendanceConfig, shifts []ScheduledShift, punches []Punch) (Attendance, error) {
	if cfg.Location == nil {
		return Attendance{}, ErrNoLocation
	}
	if cfg.NightStart == 0 && cfg.NightEnd == 0 {
		cfg.NightStart, cfg.NightEnd = 22*time.Hour, 6*time.Hour
	}
	if cfg.MaxShift == 0 {
		cfg.MaxShift = 16 * time.Hour
	}
	if cfg.MaxShift < 0 || cfg.NightStart < 0 || cfg.NightStart > 24*time.Hour || cfg.NightEnd < 0 || cfg.NightEnd > 24*time.Hour {
		return Attendance{}, &ParameterError{Rule: "AttendanceConfig", Value: fmt.Sprintf("%v-%v max %v", cfg.NightStart, cfg.NightEnd, cfg.MaxShift), Why: "night window within a day, positive MaxShift"}
	}
	for i, p := range punches {
		if p.At.IsZero() || (p.Dir != In && p.Dir != Out) {
			return Attendance{}, fmt.Errorf("%w: punch %d (%s at %v)", ErrInvalidPunch, i, p.Dir, p.At)
		}
	}
	for _, s := range shifts {
		if s.End.Before(s.Start) {
			return Attendance{}, fmt.Errorf("%w: shift on %s ends before it starts", ErrInvalidRange, s.Date)
		}
	}
	sorted := append([]Punch(nil), punches...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })

	var res Attendance
	var open *Punch
	for i := range sorted {
		p := sorted[i]
		switch p.Dir {
		case In:
			if open != nil {
				res.Missing = append(res.Missing, MissingPunch{Punch: *open, Missing: Out})
			}
			open = &sorted[i]
		case Out:
			switch {
			case open == nil:
				res.Missing = append(res.Missing, MissingPunch{Punch: p, Missing: In})
			case p.At.Sub(open.At) > cfg.MaxShift:
				res.Missing = append(res.Missing, MissingPunch{Punch: *open, Missing: Out}, MissingPunch{Punch: p, Missing: In})
				open = nil
			default:
				res.Intervals = append(res.Intervals, Interval{Start: open.At.In(cfg.Location), End: p.At.In(cfg.Location)})
				open = nil
			}
		}
	}
	if open != nil {
		res.Missing = append(res.Missing, MissingPunch{Punch: *open, Missing: Out})
	}

	holidays := make(map[Date]bool, len(cfg.Holidays))
	for _, h := range cfg.Holidays {
		holidays[h] = true
	}
	type acc struct{ scheduled, worked, night time.Duration }
	byDate := map[Date]*acc{}
	get := func(d Date) *acc {
		a, ok := byDate[d]
		if !ok {
			a = &acc{}
			byDate[d] = a
		}
		return a
	}
	for _, s := range shifts {
		get(s.Date).scheduled += s.End.Sub(s.Start)
	}
	for i := range res.Intervals {
		iv := &res.Intervals[i]
		iv.Date = DateOf(iv.Start)
		var best time.Duration
		for _, s := range shifts {
			if ov := overlap(iv.Start, iv.End, s.Start, s.End); ov > best {
				best, iv.Date = ov, s.Date
			}
		}
		a := get(iv.Date)
		a.worked += iv.End.Sub(iv.Start)
		a.night += nightOverlap(iv.Start, iv.End, cfg)
	}
	dates := make([]Date, 0, len(byDate))
	for k := range byDate {
		dates = append(dates, k)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	t := &res.Totals
	for _, dt := range dates {
		a := byDate[dt]
		kind := Workday
		switch {
		case holidays[dt]:
			kind = Holiday
		case a.scheduled == 0:
			kind = RestDay
		}
		dh := DayHours{Date: dt, Kind: kind, Scheduled: HoursOf(a.scheduled), Worked: HoursOf(a.worked), Night: HoursOf(a.night)}
		res.Days = append(res.Days, dh)
		t.Scheduled = t.Scheduled.Add(dh.Scheduled)
		t.Worked = t.Worked.Add(dh.Worked)
		t.Night = t.Night.Add(dh.Night)
		switch kind {
		case RestDay:
			t.RestDay = t.RestDay.Add(dh.Worked)
		case Holiday:
			t.Holiday = t.Holiday.Add(dh.Worked)
		case Workday:
			if a.worked > a.scheduled {
				t.Beyond = t.Beyond.Add(HoursOf(a.worked - a.scheduled))
			}
		}
	}
	return res, nil
}

func overlap(aStart, aEnd, bStart, bEnd time.Time) time.Duration {
	s, e := aStart, aEnd
	if bStart.After(s) {
		s = bStart
	}
	if bEnd.Before(e) {
		e = bEnd
	}
	if e.After(s) {
		return e.Sub(s)
	}
	return 0
}

// nightOverlap returns how much of [start, end) falls in the local night window.
func nightOverlap(start, end time.Time, cfg AttendanceConfig) time.Duration {
	var total time.Duration
	first := DateOf(start.In(cfg.Location)).AddDays(-1)
	last := DateOf(end.In(cfg.Location))
	for day := first; !day.After(last); day = day.AddDays(1) {
		ws := day.At(cfg.NightStart, cfg.Location)
		we := day.At(cfg.NightEnd, cfg.Location)
		if cfg.NightEnd <= cfg.NightStart {
			we = day.AddDays(1).At(cfg.NightEnd, cfg.Location)
		}
		total += overlap(start, end, ws, we)
	}
	return total
}
