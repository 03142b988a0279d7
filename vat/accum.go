package vat

import (
	"math/bits"

	"github.com/shopspring/decimal"
)

// accum adds many decimals without allocating in the common case: amounts in whole
// poisha whose coefficient fits in 18 digits are summed as int64 poisha; anything
// else (finer amounts, overflow) goes to an exact decimal.
type accum struct {
	poisha int64
	rest   decimal.Decimal
}

var pow10 = [...]int64{1, 10, 100, 1000, 10000}

func (a *accum) add(d decimal.Decimal) {
	exp := d.Exponent()
	if exp >= -2 && exp <= 2 && d.NumDigits() <= 14 {
		p := d.CoefficientInt64() * pow10[exp+2] // < 10^14 * 10^4: no overflow
		if s, ok := addInt64(a.poisha, p); ok {
			a.poisha = s
			return
		}
	}
	a.rest = a.rest.Add(d)
}

func addInt64(x, y int64) (int64, bool) {
	s, _ := bits.Add64(uint64(x), uint64(y), 0)
	r := int64(s)
	// overflow iff x and y have the same sign and r's sign differs
	if (x >= 0) == (y >= 0) && (r >= 0) != (x >= 0) {
		return 0, false
	}
	return r, true
}

func (a *accum) value() decimal.Decimal {
	return a.rest.Add(decimal.New(a.poisha, -2))
}
