package maintenance

import (
	"errors"
	"fmt"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
)

// ErrInvalidPlan: a plan with neither a meter nor a calendar interval, a
// negative interval, or a service reading that is not a valid point.
var ErrInvalidPlan = errors.New("maintenance: invalid plan")

// Scheduling says where the next interval counts from once a service is
// done late or early.
type Scheduling int

const (
	// Fixed keeps the original grid: the next service is due one interval
	// after the one just done was due (1,250 done at 1,270 -> 1,500).
	Fixed Scheduling = iota
	// Floating restarts from the service actually done (done at 1,270 ->
	// 1,520).
	Floating
)

// Plan is a preventive maintenance plan: every EveryHours of the hour meter,
// every EveryDays calendar days, or both, whichever comes first. A zero
// interval means the plan does not use that trigger.
type Plan struct {
	Name       string
	EveryHours decimal.Decimal
	EveryDays  int
	Scheduling Scheduling
}

// Point is a meter reading and a date: when a service was done, or where a
// machine is now.
type Point struct {
	Meter decimal.Decimal
	Date  ledger.Date
}

// Due is when a service falls due: at meter reading Meter (when ByMeter) or
// on Date (when ByDate), whichever comes first.
type Due struct {
	Meter   decimal.Decimal
	ByMeter bool
	Date    ledger.Date
	ByDate  bool
}

// Validate checks the plan.
func (p Plan) Validate() error {
	if p.EveryHours.IsNegative() || p.EveryDays < 0 {
		return fmt.Errorf("%w: %s: negative interval", ErrInvalidPlan, p.Name)
	}
	if p.EveryHours.IsZero() && p.EveryDays == 0 {
		return fmt.Errorf("%w: %s: neither a meter nor a calendar interval", ErrInvalidPlan, p.Name)
	}
	if p.Scheduling != Fixed && p.Scheduling != Floating {
		return fmt.Errorf("%w: %s: scheduling %d", ErrInvalidPlan, p.Name, p.Scheduling)
	}
	return nil
}

// After returns when the first service after last (a service, or
// commissioning) falls due: last service reading + interval.
func (p Plan) After(last Point) (Due, error) {
	if err := p.Validate(); err != nil {
		return Due{}, err
	}
	if p.EveryDays > 0 && !last.Date.Valid() {
		return Due{}, fmt.Errorf("%w: %s: the last service needs a date", ErrInvalidPlan, p.Name)
	}
	var d Due
	if p.EveryHours.IsPositive() {
		d.Meter, d.ByMeter = last.Meter.Add(p.EveryHours), true
	}
	if p.EveryDays > 0 {
		d.Date, d.ByDate = last.Date.AddDays(p.EveryDays), true
	}
	return d, nil
}

// Next returns when the service after one that was due at due and done at
// done falls due: from due under Fixed scheduling, from done under Floating.
func (p Plan) Next(due Due, done Point) (Due, error) {
	if p.Scheduling == Floating {
		return p.After(done)
	}
	if err := p.Validate(); err != nil {
		return Due{}, err
	}
	next := due
	if p.EveryHours.IsPositive() {
		if !due.ByMeter {
			return Due{}, fmt.Errorf("%w: %s: fixed scheduling needs the meter reading it was due at", ErrInvalidPlan, p.Name)
		}
		next.Meter = due.Meter.Add(p.EveryHours)
	}
	if p.EveryDays > 0 {
		if !due.ByDate || !due.Date.Valid() {
			return Due{}, fmt.Errorf("%w: %s: fixed scheduling needs the date it was due on", ErrInvalidPlan, p.Name)
		}
		next.Date = due.Date.AddDays(p.EveryDays)
	}
	return next, nil
}

// IsDue reports whether a machine at now has reached the service: its meter
// at or past Meter, or the date on or past Date, whichever comes first.
func (d Due) IsDue(now Point) bool {
	return d.ByMeter && !now.Meter.LessThan(d.Meter) || d.ByDate && !now.Date.Before(d.Date)
}
