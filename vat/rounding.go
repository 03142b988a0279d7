package vat

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// RoundingMode says how an amount is brought to whole poisha (two decimal places).
// No statutory rule exists; published returns round half-up (see docs/vat.md).
type RoundingMode int

const (
	// HalfUp rounds halves away from zero: 23,890.545 -> 23,890.55 and
	// -23,890.545 -> -23,890.55, so a credit note mirrors its invoice. The default.
	HalfUp RoundingMode = iota
	// HalfEven rounds halves to the even poisha (banker's rounding): 23,890.545 ->
	// 23,890.54. Offered only for comparison with systems that use it.
	HalfEven
)

// RoundingScope says where rounding happens.
type RoundingScope int

const (
	// PerLine rounds each line's SD and VAT, then adds the rounded lines: the
	// document's totals are exactly the sum of its printed lines. The default.
	PerLine RoundingScope = iota
	// PerDocument keeps line amounts unrounded and rounds only the totals. The
	// printed lines are rounded for display and may differ from the totals by a few
	// poisha.
	PerDocument
)

// Rounding is the named rounding rule of a calculation. The zero value is half-up to
// the poisha, per line.
type Rounding struct {
	Mode  RoundingMode
	Scope RoundingScope
}

// Poisha is the number of decimal places of the Taka.
const Poisha = 2

// workPlaces is the precision of unrounded intermediate quotients (VAT-inclusive
// prices under PerDocument rounding).
const workPlaces = 16

func (r Rounding) check() error {
	if (r.Mode != HalfUp && r.Mode != HalfEven) || (r.Scope != PerLine && r.Scope != PerDocument) {
		return fmt.Errorf("%w: mode %d scope %d", ErrRounding, r.Mode, r.Scope)
	}
	return nil
}

// Round brings d to whole poisha under the rule's mode.
func (r Rounding) Round(d decimal.Decimal) decimal.Decimal {
	if r.Mode == HalfEven {
		return d.RoundBank(Poisha)
	}
	return d.Round(Poisha) // shopspring's Round is half away from zero
}

// String names the rule, e.g. "half-up per line".
func (r Rounding) String() string {
	m, s := "half-up", "per line"
	if r.Mode == HalfEven {
		m = "half-even"
	}
	if r.Scope == PerDocument {
		s = "per document"
	}
	return m + " " + s
}

var (
	hundred = decimal.NewFromInt(100)
	halfDen = decimal.NewFromInt(2)
)

// quo returns num/den rounded to poisha under r, exactly (no intermediate rounding).
func (r Rounding) quo(num, den decimal.Decimal) decimal.Decimal {
	q, rem := num.QuoRem(den, Poisha)
	if rem.IsZero() {
		return q
	}
	// compare |2*rem| with |den| * 0.01 (one poisha of the divisor)
	twice := rem.Mul(halfDen).Abs()
	unit := den.Abs().Shift(-Poisha)
	step := decimal.New(1, -Poisha)
	if num.Sign()*den.Sign() < 0 {
		step = step.Neg()
	}
	switch c := twice.Cmp(unit); {
	case c > 0:
		return q.Add(step)
	case c == 0:
		if r.Mode == HalfUp {
			return q.Add(step)
		}
		// half-even: keep q if its last poisha digit is even
		if q.Shift(Poisha).BigInt().Bit(0) == 1 {
			return q.Add(step)
		}
		return q
	}
	return q
}

// quoExact returns num/den at working precision, for unrounded (per document) lines.
func quoExact(num, den decimal.Decimal) decimal.Decimal {
	return num.DivRound(den, workPlaces)
}
