package vat

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// DatedAmount is an amount in force from a date, with its source: a threshold or a
// limit that the law changes from time to time.
type DatedAmount struct {
	Since  Date
	Amount decimal.Decimal
	Source string
}

// DatedCount is a count (of tax periods, say) in force from a date, with its source.
type DatedCount struct {
	Since  Date
	Count  int
	Source string
}

func amountAt(list []DatedAmount, d Date) (DatedAmount, bool) {
	var best *DatedAmount
	for i := range list {
		v := &list[i]
		if !v.Since.After(d) && (best == nil || v.Since.After(best.Since)) {
			best = v
		}
	}
	if best == nil {
		return DatedAmount{}, false
	}
	return *best, true
}

func countAt(list []DatedCount, d Date) (DatedCount, bool) {
	var best *DatedCount
	for i := range list {
		v := &list[i]
		if !v.Since.After(d) && (best == nil || v.Since.After(best.Since)) {
			best = v
		}
	}
	if best == nil {
		return DatedCount{}, false
	}
	return *best, true
}

// EntityKind is the kind of a buyer, for deciding whether it must deduct VAT at source
// (s.2(21) "withholding entity").
type EntityKind int

// Kinds of buyer. Other is a buyer that withholds only if its turnover is above the
// threshold of VDSPolicy.
const (
	Other EntityKind = iota
	Government
	NGO // approved non-governmental organisation
	Bank
	Insurer
	FinancialInstitution
	School // educational institution of secondary level and above
	LimitedCompany
)

// Buyer describes the purchaser of a supply for VDS purposes.
type Buyer struct {
	Kind EntityKind
	// AnnualTurnover matters only for Kind Other: a person whose turnover is above
	// the threshold is a withholding entity (from FY 2024-25).
	AnnualTurnover decimal.Decimal
}

// VDSPolicy holds the dated parameters of VAT deducted at source. The zero value uses
// DefaultVDSPolicy's values.
type VDSPolicy struct {
	// TurnoverThreshold: a person of kind Other with turnover above this amount is a
	// withholding entity.
	TurnoverThreshold []DatedAmount
}

// DefaultVDSPolicy returns the shipped parameters: turnover above Tk 10 crore makes a
// withholding entity from 1 July 2024 (FY 2024-25).
func DefaultVDSPolicy() VDSPolicy {
	return VDSPolicy{TurnoverThreshold: []DatedAmount{{
		Since: NewDate(2024, 7, 1), Amount: decimal.NewFromInt(10_00_00_000),
		Source: "VAT and SD Act 2012 s.2(21), withholding entities, as amended from FY 2024-25",
	}}}
}

func (p VDSPolicy) orDefault() VDSPolicy {
	if len(p.TurnoverThreshold) == 0 {
		return DefaultVDSPolicy()
	}
	return p
}

// IsWithholdingEntity reports whether b must deduct VAT at source on date d.
func (p VDSPolicy) IsWithholdingEntity(b Buyer, d Date) bool {
	if b.Kind != Other {
		return b.Kind >= Government && b.Kind <= LimitedCompany
	}
	th, ok := amountAt(p.orDefault().TurnoverThreshold, d)
	return ok && b.AnnualTurnover.GreaterThan(th.Amount)
}

// VDSInput is a supply received by a possible withholding entity.
type VDSInput struct {
	Buyer       Buyer
	ServiceCode string          // the service code of the VDS rate table
	Date        Date            // date of the supply (or payment)
	Base        decimal.Decimal // VAT-exclusive taxable value (value + SD) of the supply
}

// VDS is the VAT to be deducted at source from one supply.
type VDS struct {
	Rate   RateValue       // the rate applied, with its date and source
	Base   decimal.Decimal // VAT-exclusive taxable value
	Amount decimal.Decimal // VAT withheld, rounded by the rule given
}

// ComputeVDS returns the VAT a withholding buyer must deduct: Base x the service's VDS
// rate on the date, rounded by r. Errors: ErrNotWithholder, ErrAmount, ErrRateNotFound,
// ErrNoRateInForce, ErrRounding.
func ComputeVDS(t *Table, in VDSInput, p VDSPolicy, r Rounding) (VDS, error) {
	if err := r.check(); err != nil {
		return VDS{}, err
	}
	if !p.IsWithholdingEntity(in.Buyer, in.Date) {
		return VDS{}, ErrNotWithholder
	}
	if in.Base.IsNegative() {
		return VDS{}, fmt.Errorf("%w: base %v", ErrAmount, in.Base)
	}
	rate, err := t.VDSRate(in.ServiceCode, in.Date)
	if err != nil {
		return VDS{}, err
	}
	return VDS{Rate: rate, Base: in.Base, Amount: r.Round(in.Base.Mul(rate.Percent).Shift(-2))}, nil
}
