package payroll

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// ShiftSpec is one day of a shift pattern: a shift starting Start after local
// midnight and lasting Length. A zero Length is a day off. A shift whose start
// plus length passes midnight crosses into the next calendar day; it belongs to
// the date it starts on (its shift date).
type ShiftSpec struct {
	Name   string
	Start  time.Duration
	Length time.Duration
}

// Off reports whether s is a day off.
func (s ShiftSpec) Off() bool { return s.Length == 0 }

// Pattern is a repeating cycle of days (fixed day or night, DuPont, 2-2-3, or
// any custom cycle). Day i of the cycle is Cycle[i].
type Pattern struct {
	Name  string
	Cycle []ShiftSpec
}

// Validate reports whether the pattern can be scheduled.
func (p Pattern) Validate() error {
	if len(p.Cycle) == 0 {
		return fmt.Errorf("%w: %q has no days", ErrInvalidPattern, p.Name)
	}
	for i, s := range p.Cycle {
		if s.Start < 0 || s.Start >= 24*time.Hour {
			return fmt.Errorf("%w: %q day %d starts at %v, outside 0..24h", ErrInvalidPattern, p.Name, i+1, s.Start)
		}
		if s.Length < 0 || s.Length > 24*time.Hour {
			return fmt.Errorf("%w: %q day %d lasts %v, outside 0..24h", ErrInvalidPattern, p.Name, i+1, s.Length)
		}
	}
	return nil
}

// CycleHours returns the scheduled hours of one whole cycle.
func (p Pattern) CycleHours() decimal.Decimal {
	var total time.Duration
	for _, s := range p.Cycle {
		total += s.Length
	}
	return HoursOf(total)
}

// WeeklyHours returns the scheduled hours of each 7-day block of the cycle,
// starting at cycle day first (0-based). The cycle is repeated until its length
// and 7 line up (lcm), so a 14-day 2-2-3 cycle gives 2 weeks and a 28-day DuPont 4.
func (p Pattern) WeeklyHours(first int) []decimal.Decimal {
	n := len(p.Cycle)
	if n == 0 {
		return nil
	}
	weeks := lcm(n, 7) / 7
	out := make([]decimal.Decimal, weeks)
	for w := 0; w < weeks; w++ {
		var total time.Duration
		for i := 0; i < 7; i++ {
			total += p.Cycle[mod(first+w*7+i, n)].Length
		}
		out[w] = HoursOf(total)
	}
	return out
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func lcm(a, b int) int { return a / gcd(a, b) * b }

func mod(a, n int) int { return ((a % n) + n) % n }

// Crew is a team working a pattern: on the roster's anchor date the crew is on
// cycle day Offset (0-based).
type Crew struct {
	Name   string
	Offset int
}

// Roster places crews on a pattern at a site: Anchor is the date the cycle's day
// 0 falls on for a crew with Offset 0; Location is the site's time zone.
type Roster struct {
	Pattern  Pattern
	Anchor   Date
	Location *time.Location
	Crews    []Crew
}

// ScheduledShift is one shift of one crew on one shift date, in the site's time
// zone. End is Start plus the shift length in elapsed time.
type ScheduledShift struct {
	Crew  string
	Date  Date // the shift date: the local date the shift starts on
	Name  string
	Start time.Time
	End   time.Time
}

// Hours returns the shift's length in decimal hours.
func (s ScheduledShift) Hours() decimal.Decimal { return HoursOf(s.End.Sub(s.Start)) }

func (r Roster) validate() error {
	if r.Location == nil {
		return ErrNoLocation
	}
	if r.Anchor.IsZero() {
		return &ParameterError{Rule: "Roster.Anchor", Value: "zero", Why: "the roster needs an anchor date"}
	}
	return r.Pattern.Validate()
}

func (r Roster) crew(name string) (Crew, error) {
	for _, c := range r.Crews {
		if c.Name == name {
			return c, nil
		}
	}
	return Crew{}, fmt.Errorf("%w: %q", ErrUnknownCrew, name)
}

// Day returns what the crew is scheduled to do on date: the shift spec and
// whether it is a working day.
func (r Roster) Day(crew string, date Date) (ShiftSpec, error) {
	if err := r.validate(); err != nil {
		return ShiftSpec{}, err
	}
	c, err := r.crew(crew)
	if err != nil {
		return ShiftSpec{}, err
	}
	return r.Pattern.Cycle[mod(date.DaysSince(r.Anchor)+c.Offset, len(r.Pattern.Cycle))], nil
}

// Schedule returns the crew's shifts with shift dates from from to to, both
// inclusive, in date order. Days off produce no shift.
func (r Roster) Schedule(crew string, from, to Date) ([]ScheduledShift, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	c, err := r.crew(crew)
	if err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, fmt.Errorf("%w: %s is before %s", ErrInvalidRange, to, from)
	}
	n := len(r.Pattern.Cycle)
	out := make([]ScheduledShift, 0, to.DaysSince(from)+1)
	for day := from; !day.After(to); day = day.AddDays(1) {
		s := r.Pattern.Cycle[mod(day.DaysSince(r.Anchor)+c.Offset, n)]
		if s.Off() {
			continue
		}
		start := day.At(s.Start, r.Location)
		out = append(out, ScheduledShift{Crew: c.Name, Date: day, Name: s.Name, Start: start, End: start.Add(s.Length)})
	}
	return out, nil
}

// HoursByDate sums scheduled hours by shift date (a night shift counts on the
// date it starts).
func HoursByDate(shifts []ScheduledShift) map[Date]decimal.Decimal {
	out := map[Date]decimal.Decimal{}
	for _, s := range shifts {
		out[s.Date] = out[s.Date].Add(s.Hours())
	}
	return out
}

// HoursByCalendarDay splits scheduled hours at local midnight (in each shift's
// location), so a 19:00-07:00 shift gives 5 h to its start date and 7 h to the next.
func HoursByCalendarDay(shifts []ScheduledShift) map[Date]decimal.Decimal {
	acc := map[Date]time.Duration{}
	for _, s := range shifts {
		splitByDay(s.Start, s.End, func(day Date, d time.Duration) { acc[day] += d })
	}
	out := make(map[Date]decimal.Decimal, len(acc))
	for k, v := range acc {
		out[k] = HoursOf(v)
	}
	return out
}

// splitByDay calls f for each local calendar day [start, end) touches.
func splitByDay(start, end time.Time, f func(Date, time.Duration)) {
	loc := start.Location()
	for t := start; t.Before(end); {
		day := DateOf(t)
		next := day.AddDays(1).At(0, loc)
		if next.After(end) {
			next = end
		}
		f(day, next.Sub(t))
		t = next
	}
}

// HoursByWeek sums scheduled hours by shift date into weeks beginning on
// weekStart; the key is the week's first date.
func HoursByWeek(shifts []ScheduledShift, weekStart time.Weekday) map[Date]decimal.Decimal {
	out := map[Date]decimal.Decimal{}
	for _, s := range shifts {
		ws := weekStartDate(s.Date, weekStart)
		out[ws] = out[ws].Add(s.Hours())
	}
	return out
}

func weekStartDate(d Date, start time.Weekday) Date { return weekStart(d, start) }

// SortedDates returns the keys of a per-date map in order.
func SortedDates(m map[Date]decimal.Decimal) []Date {
	out := make([]Date, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

// FixedWeekly is a 7-day pattern working shift on the given weekdays. Day 0 of
// the cycle is Monday, so anchor the roster on a Monday.
func FixedWeekly(name string, shift ShiftSpec, days ...time.Weekday) Pattern {
	cycle := make([]ShiftSpec, 7)
	for _, wd := range days {
		cycle[(int(wd)+6)%7] = shift
	}
	return Pattern{Name: name, Cycle: cycle}
}

// FixedDay is a Monday-to-Friday day shift from 08:00 for 8 hours (day 0 Monday).
func FixedDay() Pattern {
	return FixedWeekly("fixed day", ShiftSpec{Name: "D", Start: hm(8, 0), Length: 8 * time.Hour},
		time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
}

// FixedNight is a Monday-to-Friday night shift from 22:00 for 8 hours, crossing
// midnight (day 0 Monday).
func FixedNight() Pattern {
	return FixedWeekly("fixed night", ShiftSpec{Name: "N", Start: hm(22, 0), Length: 8 * time.Hour},
		time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
}

// Cycle builds a pattern from run lengths: "N4 O3 D3 O1" is four N shifts, three
// days off, three D shifts, one day off. Codes map to shifts; O (or any code
// missing from shifts) with a zero-length spec is a day off.
func Cycle(name, runs string, shifts map[string]ShiftSpec) (Pattern, error) {
	var cycle []ShiftSpec
	i := 0
	for i < len(runs) {
		if runs[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(runs) && (runs[j] < '0' || runs[j] > '9') && runs[j] != ' ' {
			j++
		}
		code := runs[i:j]
		k := j
		for k < len(runs) && runs[k] >= '0' && runs[k] <= '9' {
			k++
		}
		if code == "" || k == j {
			return Pattern{}, fmt.Errorf("%w: bad run %q in %q", ErrInvalidPattern, runs[i:k], runs)
		}
		n, err := strconv.Atoi(runs[j:k])
		if err != nil || n <= 0 || n > 366 {
			return Pattern{}, fmt.Errorf("%w: bad run length in %q", ErrInvalidPattern, runs[i:k])
		}
		spec, ok := shifts[code]
		if !ok && code != "O" {
			return Pattern{}, fmt.Errorf("%w: unknown shift code %q", ErrInvalidPattern, code)
		}
		if spec.Name == "" && !spec.Off() {
			spec.Name = code
		}
		for range n {
			cycle = append(cycle, spec)
		}
		i = k
	}
	p := Pattern{Name: name, Cycle: cycle}
	return p, p.Validate()
}

// DuPont is the 4-crew, 28-day, 12-hour DuPont pattern: 4 nights, 3 off, 3 days,
// 1 off, 3 nights, 3 off, 4 days, 7 off. Weekly hours from day 0 are 48, 72, 48
// and 0 (average 42). Day shifts start at dayStart, nights 12 hours later. Use
// DuPontCrews for the four crews.
func DuPont(dayStart time.Duration) Pattern {
	p, _ := Cycle("DuPont", "N4 O3 D3 O1 N3 O3 D4 O7", map[string]ShiftSpec{
		"D": {Name: "D", Start: dayStart, Length: 12 * time.Hour},
		"N": {Name: "N", Start: (dayStart + 12*time.Hour) % (24 * time.Hour), Length: 12 * time.Hour},
	})
	return p
}

// DuPontCrews returns crews A-D a week apart, which together cover one day and
// one night shift every day.
func DuPontCrews() []Crew {
	return []Crew{{"A", 0}, {"B", 7}, {"C", 14}, {"D", 21}}
}

// Pitman is the 2-2-3 pattern of 12-hour shifts over 14 days: 2 on, 2 off, 3 on,
// 2 off, 2 on, 3 off (7 shifts, 84 h, average 42 h a week). Counted in weeks
// starting on cycle day 1 it alternates 48 and 36 hours; from day 0, 60 and 24.
// Use PitmanCrews for the two crews that cover every day; a 24-hour operation
// runs a second roster for nights.
func Pitman(shift ShiftSpec) Pattern {
	if shift.Length == 0 {
		shift.Length = 12 * time.Hour
	}
	p, _ := Cycle("2-2-3", "S2 O2 S3 O2 S2 O3", map[string]ShiftSpec{"S": shift})
	return p
}

// PitmanCrews returns two crews a week apart.
func PitmanCrews() []Crew { return []Crew{{"A", 0}, {"B", 7}} }
