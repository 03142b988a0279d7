package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Calendar is a tenant's fiscal calendar and closing state. Periods are
// calendar months; a fiscal year is twelve of them from FiscalYearStart.
// Closed periods always form a prefix of time: every posting date on or
// before ClosedThrough is closed, every later one open.
type Calendar struct {
	// FiscalYearStart is the first month of the fiscal year; July (the
	// Bangladesh fiscal year, 1 July - 30 June) when zero.
	FiscalYearStart time.Month
	// ClosedThrough is the last day of the latest closed period; zero when
	// no period is closed.
	ClosedThrough Date
	// Base is the tenant's base currency (SetBaseCurrency): it is kept with
	// the calendar because every posting reads both.
	Base BaseCurrency
}

// PeriodAction is what a PeriodEvent did.
type PeriodAction string

// Period actions.
const (
	PeriodClosed   PeriodAction = "close"
	PeriodReopened PeriodAction = "reopen"
	YearClosed     PeriodAction = "year-end"
)

// PeriodEvent records a close, a reopen or a year-end close: which period
// (its first day), who, and when. A year-end event names its closing entry.
type PeriodEvent struct {
	Period Date // first day of the period (of the fiscal year for a year-end)
	Action PeriodAction
	By     string
	At     time.Time
	Entry  uuid.UUID // the closing entry of a year-end close
}

// Period is one monthly accounting period.
type Period struct {
	Start, End Date
	FiscalYear FiscalYear
	Number     int  // 1 to 12 within the fiscal year
	Closed     bool // on or before the calendar's ClosedThrough
}

// FiscalYear is a run of twelve periods.
type FiscalYear struct {
	Start, End Date
}

// Name is the fiscal year's usual name: "FY 2025-26" for a year from July
// 2025 to June 2026, "FY 2026" for a calendar year.
func (y FiscalYear) Name() string {
	if y.Start.Year == y.End.Year {
		return fmt.Sprintf("FY %d", y.Start.Year)
	}
	return fmt.Sprintf("FY %d-%02d", y.Start.Year, y.End.Year%100)
}

// String is Name.
func (y FiscalYear) String() string { return y.Name() }

func (c Calendar) startMonth() time.Month {
	if c.FiscalYearStart == 0 {
		return time.July
	}
	return c.FiscalYearStart
}

// monthStart is the first day of d's month.
func monthStart(d Date) Date { return Date{d.Year, d.Month, 1} }

// monthEnd is the last day of d's month.
func monthEnd(d Date) Date { return DateOf(monthStart(d).Time().AddDate(0, 1, -1)) }

// addMonths moves d by n months, keeping the day where the month has it and
// taking the month's last day otherwise (31 March - 1 month = 28/29 February).
func addMonths(d Date, n int) Date {
	first := DateOf(monthStart(d).Time().AddDate(0, n, 0))
	last := monthEnd(first)
	if d.Day > last.Day {
		return last
	}
	return Date{first.Year, first.Month, d.Day}
}

// YearOf returns the fiscal year d falls in.
func (c Calendar) YearOf(d Date) FiscalYear {
	sm := c.startMonth()
	y := d.Year
	if d.Month < sm {
		y--
	}
	start := Date{y, sm, 1}
	return FiscalYear{Start: start, End: DateOf(start.Time().AddDate(1, 0, -1))}
}

// PeriodOf returns the period d falls in.
func (c Calendar) PeriodOf(d Date) Period {
	fy := c.YearOf(d)
	n := (int(d.Month)-int(fy.Start.Month)+12)%12 + 1
	p := Period{Start: monthStart(d), End: monthEnd(d), FiscalYear: fy, Number: n}
	p.Closed = !c.ClosedThrough.IsZero() && !p.End.After(c.ClosedThrough)
	return p
}

// Periods returns the twelve periods of fiscal year fy.
func (c Calendar) Periods(fy FiscalYear) []Period {
	out := make([]Period, 12)
	for i := range out {
		out[i] = c.PeriodOf(addMonths(fy.Start, i))
	}
	return out
}

// IsClosed reports whether posting date d is in a closed period.
func (c Calendar) IsClosed(d Date) bool {
	return !c.ClosedThrough.IsZero() && !d.After(c.ClosedThrough)
}

func validateBy(by string) error {
	if by == "" || len(by) > maxNameLen || !printable(by) {
		return fmt.Errorf("%w: who closes or reopens must be named (1 to %d printable characters)", ErrInvalidPeriod, maxNameLen)
	}
	return nil
}

// Calendar returns the tenant's fiscal calendar (the default, a July year
// with nothing closed, when none was set).
func (l *Ledger) Calendar(ctx context.Context, tenant string) (Calendar, error) {
	if err := validateTenant(tenant); err != nil {
		return Calendar{}, err
	}
	c, err := l.store.Calendar(ctx, tenant)
	if err != nil {
		return Calendar{}, err
	}
	c.FiscalYearStart = c.startMonth()
	return c, nil
}

// SetFiscalYearStart sets the first month of the tenant's fiscal year.
// It is refused (ErrInvalidPeriod) once a period has been closed, because
// the closed periods would change.
func (l *Ledger) SetFiscalYearStart(ctx context.Context, tenant string, m time.Month) (Calendar, error) {
	if err := validateTenant(tenant); err != nil {
		return Calendar{}, err
	}
	if m < time.January || m > time.December {
		return Calendar{}, fmt.Errorf("%w: month %d", ErrInvalidPeriod, m)
	}
	return l.store.UpdateCalendar(ctx, tenant, func(c *Calendar) (*PeriodEvent, error) {
		if !c.ClosedThrough.IsZero() && c.startMonth() != m {
			return nil, fmt.Errorf("%w: the fiscal year cannot change once a period is closed (closed through %s)", ErrInvalidPeriod, c.ClosedThrough)
		}
		c.FiscalYearStart = m
		return nil, nil
	})
}

// ClosePeriod closes the period that contains day: no posting or reversal
// dated in it is accepted afterwards (ErrPeriodClosed). The period after the
// last closed one is the only one that can be closed (ErrPeriodOrder
// otherwise); the tenant's first close also closes every earlier date. by
// names who closes it; the close is recorded with the time.
//
// The close and postings exclude each other in the store: a posting either
// commits before the close or sees it.
func (l *Ledger) ClosePeriod(ctx context.Context, tenant string, day Date, by string) (Period, error) {
	if err := validateTenant(tenant); err != nil {
		return Period{}, err
	}
	if day.IsZero() || !day.Valid() {
		return Period{}, fmt.Errorf("%w: period date %s", ErrInvalidDate, day)
	}
	if err := validateBy(by); err != nil {
		return Period{}, err
	}
	at := l.timestamp()
	c, err := l.store.UpdateCalendar(ctx, tenant, func(c *Calendar) (*PeriodEvent, error) {
		p := c.PeriodOf(day)
		if p.Closed {
			return nil, fmt.Errorf("%w: %s to %s is already closed", ErrPeriodClosed, p.Start, p.End)
		}
		if !c.ClosedThrough.IsZero() && c.ClosedThrough.AddDays(1) != p.Start {
			return nil, fmt.Errorf("%w: close the periods from %s first", ErrPeriodOrder, c.ClosedThrough.AddDays(1))
		}
		c.ClosedThrough = p.End
		return &PeriodEvent{Period: p.Start, Action: PeriodClosed, By: by, At: at}, nil
	})
	if err != nil {
		return Period{}, err
	}
	return c.PeriodOf(day), nil
}

// ReopenPeriod reopens the period that contains day. Only the latest closed
// period can be reopened (ErrPeriodOrder otherwise; ErrPeriodOpen when it is
// not closed). by names who reopens it; the reopen is recorded.
func (l *Ledger) ReopenPeriod(ctx context.Context, tenant string, day Date, by string) (Period, error) {
	if err := validateTenant(tenant); err != nil {
		return Period{}, err
	}
	if day.IsZero() || !day.Valid() {
		return Period{}, fmt.Errorf("%w: period date %s", ErrInvalidDate, day)
	}
	if err := validateBy(by); err != nil {
		return Period{}, err
	}
	at := l.timestamp()
	c, err := l.store.UpdateCalendar(ctx, tenant, func(c *Calendar) (*PeriodEvent, error) {
		p := c.PeriodOf(day)
		if !p.Closed {
			return nil, fmt.Errorf("%w: %s to %s is not closed", ErrPeriodOpen, p.Start, p.End)
		}
		if p.End != c.ClosedThrough {
			return nil, fmt.Errorf("%w: reopen the periods after %s first (closed through %s)", ErrPeriodOrder, p.End, c.ClosedThrough)
		}
		c.ClosedThrough = p.Start.AddDays(-1)
		return &PeriodEvent{Period: p.Start, Action: PeriodReopened, By: by, At: at}, nil
	})
	if err != nil {
		return Period{}, err
	}
	return c.PeriodOf(day), nil
}

// PeriodEvents returns the tenant's closes, reopens and year-end closes,
// oldest first.
func (l *Ledger) PeriodEvents(ctx context.Context, tenant string) ([]PeriodEvent, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	return l.store.PeriodEvents(ctx, tenant)
}
