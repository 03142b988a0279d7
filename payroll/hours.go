package payroll

import (
	"time"

	"github.com/shopspring/decimal"
)

// DayKind classifies a day for overtime purposes.
type DayKind int

// Day kinds. A Workday is a day the roster schedules the employee; a RestDay is
// one it does not; a Holiday is a public or festival holiday (it wins over both).
const (
	Workday DayKind = iota
	RestDay
	Holiday
)

// String returns the kind's name.
func (k DayKind) String() string {
	switch k {
	case Workday:
		return "workday"
	case RestDay:
		return "rest day"
	case Holiday:
		return "holiday"
	}
	return "unknown"
}

// DayHours is what one shift date contributed: the hours scheduled by the roster
// and the hours worked (from attendance), of which Night fell in the night window.
// It is the input of the overtime rule sets.
type DayHours struct {
	Date      Date
	Kind      DayKind
	Scheduled decimal.Decimal
	Worked    decimal.Decimal
	Night     decimal.Decimal
}

// hourPlaces is the rule for turning durations into decimal hours: 6 places,
// half-up (one second is 0.000278 h, so 6 places keep every second).
const hourPlaces int32 = 6

// HoursOf converts a duration to decimal hours, exact to the second and rounded
// half-up at 6 decimal places (whole minutes in quarters, halves and tenths of an
// hour are exact).
func HoursOf(d time.Duration) decimal.Decimal {
	secs := decimal.NewFromInt(int64(d / time.Second))
	return secs.DivRound(decimal.NewFromInt(3600), hourPlaces)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func checkNonNegative(field string, d decimal.Decimal) error {
	if d.Sign() < 0 {
		return negErr(field, d)
	}
	return nil
}
