package payroll

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// RoundingMode says which way a value between two multiples of a step goes.
type RoundingMode int

// Rounding modes. HalfUp is half away from zero - what Go's math.Round and
// decimal.Round do. HalfEven is banker's rounding - what Python's round does.
const (
	HalfUp   RoundingMode = iota + 1 // ties away from zero: 2.5 -> 3, -2.5 -> -3
	HalfEven                         // ties to the even multiple: 2.5 -> 2, 3.5 -> 4
	Floor                            // towards minus infinity
	Ceil                             // towards plus infinity
	Truncate                         // towards zero
)

// String returns the mode's name.
func (m RoundingMode) String() string {
	switch m {
	case HalfUp:
		return "half-up"
	case HalfEven:
		return "half-even"
	case Floor:
		return "floor"
	case Ceil:
		return "ceil"
	case Truncate:
		return "truncate"
	}
	return fmt.Sprintf("RoundingMode(%d)", int(m))
}

// Rounding is a named rounding rule: round to a multiple of Step using Mode.
// Steps such as 0.01, 0.25, 0.5, 1 or 1000 are typical. The zero Rounding is
// "no rounding" and returns values unchanged; every rule that rounds money says
// which Rounding it uses.
type Rounding struct {
	Step decimal.Decimal
	Mode RoundingMode
}

// Places returns 10^-n, the step for rounding to n decimal places.
func Places(n int32) decimal.Decimal { return decimal.New(1, -n) }

// HalfUpTo rounds to a multiple of step, ties away from zero.
func HalfUpTo(step decimal.Decimal) Rounding { return Rounding{Step: step, Mode: HalfUp} }

// HalfEvenTo rounds to a multiple of step, ties to even.
func HalfEvenTo(step decimal.Decimal) Rounding { return Rounding{Step: step, Mode: HalfEven} }

// FloorTo rounds down to a multiple of step.
func FloorTo(step decimal.Decimal) Rounding { return Rounding{Step: step, Mode: Floor} }

// Cents is the rule for money in taka and similar currencies: half-up to 0.01.
func Cents() Rounding { return HalfUpTo(Places(2)) }

// IsZero reports whether r is the zero rule (no rounding).
func (r Rounding) IsZero() bool { return r.Step.IsZero() && r.Mode == 0 }

// Validate reports whether r can be applied.
func (r Rounding) Validate() error {
	if r.IsZero() {
		return nil
	}
	if r.Step.Sign() <= 0 {
		return &ParameterError{Rule: "Rounding.Step", Value: r.Step.String(), Why: "step must be positive"}
	}
	if r.Mode < HalfUp || r.Mode > Truncate {
		return &ParameterError{Rule: "Rounding.Mode", Value: r.Mode.String(), Why: "unknown mode"}
	}
	return nil
}

// String describes the rule, e.g. "half-up to 0.01".
func (r Rounding) String() string {
	if r.IsZero() {
		return "none"
	}
	return r.Mode.String() + " to " + r.Step.String()
}

// quotientPlaces is how many fractional digits the value/step quotient keeps
// before the mode is applied; exact for every step whose reciprocal terminates
// (0.01, 0.25, 0.5, 1, 1000).
const quotientPlaces = 24

// Round applies the rule. A rule that does not Validate returns d unchanged.
func (r Rounding) Round(d decimal.Decimal) decimal.Decimal { return r.compile()(d) }

// compile returns the rule as a function, resolving steps that are powers of ten
// (0.01, 1, 1000) to direct rounding at a number of places once.
func (r Rounding) compile() func(decimal.Decimal) decimal.Decimal {
	if r.Validate() != nil || r.IsZero() {
		return func(d decimal.Decimal) decimal.Decimal { return d }
	}
	if exp := r.Step.Exponent(); r.Step.Equal(decimal.New(1, exp)) {
		places := -exp
		switch r.Mode {
		case HalfUp:
			return func(d decimal.Decimal) decimal.Decimal { return d.Round(places) }
		case HalfEven:
			return func(d decimal.Decimal) decimal.Decimal { return d.RoundBank(places) }
		case Floor:
			return func(d decimal.Decimal) decimal.Decimal { return d.RoundFloor(places) }
		case Ceil:
			return func(d decimal.Decimal) decimal.Decimal { return d.RoundCeil(places) }
		case Truncate:
			return func(d decimal.Decimal) decimal.Decimal { return d.RoundDown(places) }
		}
	}
	step, mode := r.Step, r.Mode
	return func(d decimal.Decimal) decimal.Decimal {
		q := d.DivRound(step, quotientPlaces)
		switch mode {
		case HalfUp:
			q = q.Round(0)
		case HalfEven:
			q = q.RoundBank(0)
		case Floor:
			q = q.Floor()
		case Ceil:
			q = q.Ceil()
		case Truncate:
			q = q.Truncate(0)
		}
		return q.Mul(step)
	}
}
