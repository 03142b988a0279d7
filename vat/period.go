package vat

import (
	"fmt"
	"strconv"
	"time"
)

// FiscalYear is a Bangladesh fiscal year, 1 July to 30 June, named by the calendar
// year in which it starts: FiscalYear(2025) is FY 2025-26.
type FiscalYear int

// FiscalYearOf returns the fiscal year containing d: 2026-06-30 is in FY 2025-26 and
// 2026-07-01 in FY 2026-27.
func FiscalYearOf(d Date) FiscalYear {
	if d.Month >= time.July {
		return FiscalYear(d.Year)
	}
	return FiscalYear(d.Year - 1)
}

// Start returns 1 July of the fiscal year.
func (fy FiscalYear) Start() Date { return NewDate(int(fy), time.July, 1) }

// End returns 30 June of the next calendar year.
func (fy FiscalYear) End() Date { return NewDate(int(fy)+1, time.June, 30) }

// String formats the fiscal year as "2025-26".
func (fy FiscalYear) String() string { return fmt.Sprintf("%04d-%02d", int(fy), (int(fy)+1)%100) }

// ParseFiscalYear parses "2025-26" (or "2025-2026").
func ParseFiscalYear(s string) (FiscalYear, error) {
	if len(s) != 7 && len(s) != 9 || s[4] != '-' {
		return 0, fmt.Errorf("%w: fiscal year %q is not YYYY-YY", ErrDate, s)
	}
	start, err1 := strconv.Atoi(s[:4])
	end, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || start < 1 {
		return 0, fmt.Errorf("%w: fiscal year %q is not YYYY-YY", ErrDate, s)
	}
	if (len(s) == 7 && end != (start+1)%100) || (len(s) == 9 && end != start+1) {
		return 0, fmt.Errorf("%w: fiscal year %q does not span consecutive years", ErrDate, s)
	}
	return FiscalYear(start), nil
}

// PeriodLength is the length of a tax period. The Act's tax period is one calendar
// month (s.2(30)); one source says returns are quarterly from 1 July 2026 with
// monthly optional, so the length is a parameter, monthly by default.
type PeriodLength int

const (
	// Monthly tax periods are calendar months. The default.
	Monthly PeriodLength = iota
	// Quarterly tax periods are quarters of the fiscal year: Jul-Sep, Oct-Dec,
	// Jan-Mar, Apr-Jun.
	Quarterly
)

func (l PeriodLength) months() (int, error) {
	switch l {
	case Monthly:
		return 1, nil
	case Quarterly:
		return 3, nil
	}
	return 0, fmt.Errorf("%w: %d", ErrPeriodLength, int(l))
}

// Period is one tax period: the month (or quarter) starting on Start.
type Period struct {
	Start  Date
	Length PeriodLength
}

// PeriodOf returns the tax period of the given length that contains d.
func PeriodOf(d Date, l PeriodLength) (Period, error) {
	m, err := l.months()
	if err != nil {
		return Period{}, err
	}
	if !d.Valid() {
		return Period{}, fmt.Errorf("%w: %v", ErrDate, d)
	}
	// months since the start of the fiscal year, 0..11
	idx := (int(d.Month) - int(time.July) + 12) % 12
	idx -= idx % m
	start := FiscalYearOf(d).Start().Time().AddDate(0, idx, 0)
	return Period{Start: DateOf(start), Length: l}, nil
}

// MonthOf returns the monthly tax period containing d.
func MonthOf(d Date) Period {
	return Period{Start: NewDate(d.Year, d.Month, 1), Length: Monthly}
}

func (p Period) monthCount() int {
	if p.Length == Quarterly {
		return 3
	}
	return 1
}

// End returns the last day of the period.
func (p Period) End() Date { return DateOf(p.Start.Time().AddDate(0, p.monthCount(), -1)) }

// Contains reports whether d falls in the period.
func (p Period) Contains(d Date) bool { return !d.Before(p.Start) && !d.After(p.End()) }

// Next returns the period that follows p.
func (p Period) Next() Period { return p.Add(1) }

// Add returns the period n periods after p (before, if n < 0).
func (p Period) Add(n int) Period {
	return Period{Start: DateOf(p.Start.Time().AddDate(0, n*p.monthCount(), 0)), Length: p.Length}
}

// FiscalYear returns the fiscal year the period belongs to.
func (p Period) FiscalYear() FiscalYear { return FiscalYearOf(p.Start) }

// String formats a monthly period as "2026-01" and a quarterly one as "2025-26 Q3".
func (p Period) String() string {
	if p.Length == Quarterly {
		q := (int(p.Start.Month)-int(time.July)+12)%12/3 + 1
		return fmt.Sprintf("%v Q%d", p.FiscalYear(), q)
	}
	return fmt.Sprintf("%04d-%02d", p.Start.Year, int(p.Start.Month))
}
