package vat

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Line is one line of a supply: what is sold, how much, at what price and with which
// taxes. Amounts are in Taka.
type Line struct {
	Description string
	Unit        string          // unit of supply: "pcs", "kg", "hour", ...
	Quantity    decimal.Decimal // > 0
	UnitPrice   decimal.Decimal // >= 0; VAT-inclusive when Supply.PricesIncludeTax
	Discount    decimal.Decimal // amount off the line, 0 <= Discount <= Quantity*UnitPrice
	VAT         Rate            // category with its percentage or amount per unit
	SDPercent   decimal.Decimal // supplementary duty, percent of value; 0 if none
}

// Supply is a set of lines supplied together: the content of one invoice.
type Supply struct {
	Lines []Line
	// PricesIncludeTax says that unit prices include SD and VAT: VAT is then taken out
	// as price x rate/(100+rate), and SD out of the rest as x sd/(100+sd).
	PricesIncludeTax bool
	Rounding         Rounding // zero value: half-up to the poisha, per line
}

// Amounts are the value, supplementary duty, VAT and total of a line or document.
// Value is the taxable value excluding SD and VAT, after discount.
type Amounts struct {
	Value decimal.Decimal
	SD    decimal.Decimal
	VAT   decimal.Decimal
	Total decimal.Decimal // Value + SD + VAT
}

func (a Amounts) add(b Amounts) Amounts {
	return Amounts{Value: a.Value.Add(b.Value), SD: a.SD.Add(b.SD), VAT: a.VAT.Add(b.VAT), Total: a.Total.Add(b.Total)}
}

func (a Amounts) round(r Rounding) Amounts {
	return Amounts{Value: r.Round(a.Value), SD: r.Round(a.SD), VAT: r.Round(a.VAT), Total: r.Round(a.Total)}
}

// Result is a calculated supply: the amounts of each line, in order, and the totals.
type Result struct {
	Lines    []Amounts
	Totals   Amounts
	Rounding Rounding
}

// Calculate computes SD and VAT for each line and the document totals.
//
// SD comes first, on the value: SD = value x SD%. VAT is charged on value plus SD:
// VAT = (value + SD) x VAT%, or quantity x amount per unit for specific VAT. With
// PerLine rounding (the default) each line's SD and VAT are rounded half-up to the
// poisha and the totals are the sums of the rounded lines.
//
// Errors: ErrNoLines, ErrRounding, or a *LineError wrapping ErrQuantity, ErrPrice,
// ErrDiscount, ErrCategory, ErrRate or ErrSDOnZeroRated.
func Calculate(s Supply) (Result, error) {
	if len(s.Lines) == 0 {
		return Result{}, ErrNoLines
	}
	if err := s.Rounding.check(); err != nil {
		return Result{}, err
	}
	res := Result{Lines: make([]Amounts, len(s.Lines)), Rounding: s.Rounding}
	var acc [4]accum
	var fast [4]uint64 // sums of fast-path lines in poisha, flushed to acc before they could overflow
	for i := range s.Lines {
		l := &s.Lines[i]
		if err := checkLine(l); err != nil {
			return Result{}, &LineError{Line: i, Err: err}
		}
		if s.Rounding.Scope == PerLine {
			if v, sd, vat, total, ok := fastLine(l, s.PricesIncludeTax, s.Rounding.Mode); ok {
				res.Lines[i] = Amounts{Value: poisha(v), SD: poisha(sd), VAT: poisha(vat), Total: poisha(total)}
				for k, x := range [4]uint64{v, sd, vat, total} {
					if fast[k] > 1<<62 { // flush before it could overflow
						acc[k].add(poisha(fast[k]))
						fast[k] = 0
					}
					fast[k] += x
				}
				continue
			}
		}
		a, err := calcLine(l, s.PricesIncludeTax, s.Rounding)
		if err != nil {
			return Result{}, &LineError{Line: i, Err: err}
		}
		acc[0].add(a.Value)
		acc[1].add(a.SD)
		acc[2].add(a.VAT)
		acc[3].add(a.Total)
		if s.Rounding.Scope == PerDocument {
			a = a.round(s.Rounding)
		}
		res.Lines[i] = a
	}
	for k := range fast {
		if fast[k] != 0 {
			acc[k].add(poisha(fast[k]))
		}
	}
	sum := Amounts{Value: acc[0].value(), SD: acc[1].value(), VAT: acc[2].value(), Total: acc[3].value()}
	if s.Rounding.Scope == PerDocument {
		sum = sum.round(s.Rounding)
		// keep Total = Value + SD + VAT after rounding each part
		sum.Total = sum.Value.Add(sum.SD).Add(sum.VAT)
	}
	res.Totals = sum
	return res, nil
}

// CalculateLine computes one line on its own (VAT-exclusive or inclusive price).
func CalculateLine(l Line, pricesIncludeTax bool, r Rounding) (Amounts, error) {
	if err := r.check(); err != nil {
		return Amounts{}, err
	}
	return calcLine(&l, pricesIncludeTax, r)
}

func checkLine(l *Line) error {
	switch {
	case l.Quantity.Sign() <= 0:
		return fmt.Errorf("%w: %v", ErrQuantity, l.Quantity)
	case l.UnitPrice.IsNegative():
		return fmt.Errorf("%w: %v", ErrPrice, l.UnitPrice)
	case l.SDPercent.IsNegative():
		return fmt.Errorf("%w: SD %v%%", ErrRate, l.SDPercent)
	case l.VAT.Category == ZeroRated && l.SDPercent.Sign() > 0:
		return ErrSDOnZeroRated
	}
	return l.VAT.check()
}

func calcLine(l *Line, inclusive bool, r Rounding) (Amounts, error) {
	if err := checkLine(l); err != nil {
		return Amounts{}, err
	}
	if r.Scope == PerLine {
		if v, sd, vat, total, ok := fastLine(l, inclusive, r.Mode); ok {
			return Amounts{Value: poisha(v), SD: poisha(sd), VAT: poisha(vat), Total: poisha(total)}, nil
		}
	}
	gross := l.Quantity.Mul(l.UnitPrice)
	if l.Discount.IsNegative() || l.Discount.GreaterThan(gross) {
		return Amounts{}, fmt.Errorf("%w: %v of %v", ErrDiscount, l.Discount, gross)
	}
	if !l.Discount.IsZero() {
		gross = gross.Sub(l.Discount)
	}
	return slowLine(l, gross, inclusive, r)
}

func poisha(p uint64) decimal.Decimal {
	if p == 0 {
		return decimal.Decimal{}
	}
	return decimal.New(int64(p), -Poisha)
}

// slowLine computes a line with decimal arithmetic: any size, any scope.
func slowLine(l *Line, gross decimal.Decimal, inclusive bool, r Rounding) (Amounts, error) {
	perLine := r.Scope == PerLine
	if !inclusive {
		value := gross
		if perLine {
			value = r.Round(value)
		}
		var sd decimal.Decimal
		if l.SDPercent.Sign() > 0 {
			sd = value.Mul(l.SDPercent).Shift(-2)
			if perLine {
				sd = r.Round(sd)
			}
		}
		vat := vatOn(l, value.Add(sd))
		if perLine {
			vat = r.Round(vat)
		}
		return Amounts{Value: value, SD: sd, VAT: vat, Total: value.Add(sd).Add(vat)}, nil
	}
	// VAT-inclusive: take VAT out of the gross, then SD out of the rest.
	total := gross
	if perLine {
		total = r.Round(total)
	}
	var vat decimal.Decimal
	switch {
	case l.VAT.Category == Specific:
		vat = l.Quantity.Mul(l.VAT.PerUnit)
		if perLine {
			vat = r.Round(vat)
		}
	case l.VAT.Percent.Sign() > 0:
		num := total.Mul(l.VAT.Percent)
		den := hundred.Add(l.VAT.Percent)
		if perLine {
			vat = r.quo(num, den)
		} else {
			vat = quoExact(num, den)
		}
	}
	net := total.Sub(vat)
	if net.IsNegative() {
		return Amounts{}, fmt.Errorf("%w: specific VAT %v exceeds the price %v", ErrPrice, vat, total)
	}
	var sd decimal.Decimal
	if l.SDPercent.Sign() > 0 {
		num := net.Mul(l.SDPercent)
		den := hundred.Add(l.SDPercent)
		if perLine {
			sd = r.quo(num, den)
		} else {
			sd = quoExact(num, den)
		}
	}
	return Amounts{Value: net.Sub(sd), SD: sd, VAT: vat, Total: total}, nil
}

// vatOn returns the unrounded VAT of a line on base (value + SD).
func vatOn(l *Line, base decimal.Decimal) decimal.Decimal {
	if l.VAT.Category == Specific {
		return l.Quantity.Mul(l.VAT.PerUnit)
	}
	if l.VAT.Percent.IsZero() {
		return decimal.Decimal{}
	}
	return base.Mul(l.VAT.Percent).Shift(-2)
}

// VATInclusive returns the VAT contained in a VAT-inclusive price at pct percent:
// price x pct/(100+pct), rounded by r. Tk 1,000 at 15% contains Tk 130.43.
func VATInclusive(price, pct decimal.Decimal, r Rounding) decimal.Decimal {
	if pct.IsZero() {
		return decimal.Decimal{}
	}
	return r.quo(price.Mul(pct), hundred.Add(pct))
}

// VATExclusive returns the VAT on a VAT-exclusive value at pct percent, rounded by r:
// value x pct/100. 159,270.30 at 15% gives 23,890.55 under half-up.
func VATExclusive(value, pct decimal.Decimal, r Rounding) decimal.Decimal {
	return r.Round(value.Mul(pct).Shift(-2))
}
