package payroll

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// TaxpayerCategory selects the Bangladesh tax-free (nil) band.
type TaxpayerCategory int

// Taxpayer categories with their own nil band.
const (
	General       TaxpayerCategory = iota + 1 // 350,000
	WomanOrSenior                             // women and people aged 65 or more: 400,000
	Disabled                                  // persons with disability: 475,000
	ThirdGender                               // third-gender taxpayers: 475,000
)

// String returns the category's name.
func (c TaxpayerCategory) String() string {
	switch c {
	case General:
		return "general"
	case WomanOrSenior:
		return "woman or 65+"
	case Disabled:
		return "disabled"
	case ThirdGender:
		return "third gender"
	}
	return fmt.Sprintf("TaxpayerCategory(%d)", int(c))
}

// TaxLocation selects the Bangladesh minimum tax.
type TaxLocation int

// Minimum-tax locations.
const (
	DhakaChattogramCity TaxLocation = iota + 1 // Dhaka North/South and Chattogram city corporations
	OtherCity                                  // other city corporations
	OutsideCity                                // anywhere else
)

// String returns the location's name.
func (l TaxLocation) String() string {
	switch l {
	case DhakaChattogramCity:
		return "Dhaka/Chattogram city corporation"
	case OtherCity:
		return "other city corporation"
	case OutsideCity:
		return "outside city corporations"
	}
	return fmt.Sprintf("TaxLocation(%d)", int(l))
}

// Slab is one band of a progressive table: Width of income (zero = all the rest)
// taxed at Rate.
type Slab struct {
	Width decimal.Decimal
	Rate  decimal.Decimal
}

// BDTaxYear is one assessment year's salary tax table, as data: the nil band per
// category, the slabs above it, and the minimum tax by location.
type BDTaxYear struct {
	AssessmentYear string // e.g. "2025-26" (income year July 2024 - June 2025)
	NilBand        map[TaxpayerCategory]decimal.Decimal
	Slabs          []Slab
	MinimumTax     map[TaxLocation]decimal.Decimal
	Source         string
}

func bdNilBands() map[TaxpayerCategory]decimal.Decimal {
	return map[TaxpayerCategory]decimal.Decimal{
		General: dec("350000"), WomanOrSenior: dec("400000"), Disabled: dec("475000"), ThirdGender: dec("475000"),
	}
}

func bdMinimumTax() map[TaxLocation]decimal.Decimal {
	return map[TaxLocation]decimal.Decimal{
		DhakaChattogramCity: dec("5000"), OtherCity: dec("4000"), OutsideCity: dec("3000"),
	}
}

// BDTaxYears returns the built-in tables keyed by assessment year (2024-25 and
// 2025-26). Each call returns fresh values the caller may change.
func BDTaxYears() map[string]BDTaxYear {
	return map[string]BDTaxYear{
		"2024-25": {
			AssessmentYear: "2024-25",
			NilBand:        bdNilBands(),
			Slabs: []Slab{
				{dec("100000"), dec("0.05")}, {dec("400000"), dec("0.10")}, {dec("500000"), dec("0.15")},
				{dec("500000"), dec("0.20")}, {decimal.Zero, dec("0.25")},
			},
			MinimumTax: bdMinimumTax(),
			Source:     "Finance Act 2023 / Income Tax Act 2023; ../shared/reference/payroll.md",
		},
		"2025-26": {
			AssessmentYear: "2025-26",
			NilBand:        bdNilBands(),
			Slabs: []Slab{
				{dec("100000"), dec("0.05")}, {dec("400000"), dec("0.10")}, {dec("500000"), dec("0.15")},
				{dec("500000"), dec("0.20")}, {dec("2000000"), dec("0.25")}, {decimal.Zero, dec("0.30")},
			},
			MinimumTax: bdMinimumTax(),
			Source:     "Finance Act 2024; ../shared/reference/payroll.md",
		},
	}
}

// BDTaxYearFor returns the built-in table of an assessment year.
func BDTaxYearFor(assessmentYear string) (BDTaxYear, error) {
	y, ok := BDTaxYears()[assessmentYear]
	if !ok {
		return BDTaxYear{}, fmt.Errorf("%w: Bangladesh assessment year %q", ErrUnknownTaxYear, assessmentYear)
	}
	return y, nil
}

// SlabLine is the tax of one band, for the trace.
type SlabLine struct {
	From, To decimal.Decimal // income range; To is zero for the open top band
	Rate     decimal.Decimal
	Tax      decimal.Decimal
}

// SlabTax applies the nil band of cat and then the slabs to taxable income,
// unrounded. Bands are filled in order, so the result never decreases as income grows.
func (y BDTaxYear) SlabTax(taxable decimal.Decimal, cat TaxpayerCategory) (decimal.Decimal, []SlabLine, error) {
	if err := checkNonNegative("taxable income", taxable); err != nil {
		return decimal.Zero, nil, err
	}
	nil0, ok := y.NilBand[cat]
	if !ok {
		return decimal.Zero, nil, &CategoryError{Kind: "taxpayer category", Value: cat.String()}
	}
	if len(y.Slabs) == 0 {
		return decimal.Zero, nil, &ParameterError{Rule: "BDTaxYear.Slabs", Value: "[]", Why: "no slabs for " + y.AssessmentYear}
	}
	bands := append([]Slab{{Width: nil0, Rate: decimal.Zero}}, y.Slabs...)
	return progressive(taxable, bands)
}

func progressive(income decimal.Decimal, bands []Slab) (decimal.Decimal, []SlabLine, error) {
	total := decimal.Zero
	from := decimal.Zero
	var lines []SlabLine
	for i, b := range bands {
		if b.Width.Sign() < 0 || b.Rate.Sign() < 0 || (b.Width.IsZero() && i != len(bands)-1) {
			return decimal.Zero, nil, &ParameterError{Rule: "Slab", Value: fmt.Sprint(i), Why: "widths and rates non-negative; only the last band open"}
		}
		if income.LessThanOrEqual(from) {
			break
		}
		part := income.Sub(from)
		to := decimal.Zero
		if !b.Width.IsZero() {
			to = from.Add(b.Width)
			if part.GreaterThan(b.Width) {
				part = b.Width
			}
		}
		tax := part.Mul(b.Rate)
		total = total.Add(tax)
		lines = append(lines, SlabLine{From: from, To: to, Rate: b.Rate, Tax: tax})
		from = from.Add(part)
	}
	return total, lines, nil
}

// BDSalaryExemption returns the exempt part of salary income: the lesser of one
// third of the salary and cap (450,000 or 500,000: sources differ, so it is a
// parameter). Rounded half-up to 0.01.
func BDSalaryExemption(salary, cap decimal.Decimal) (decimal.Decimal, error) {
	if err := checkNonNegative("salary", salary); err != nil {
		return decimal.Zero, err
	}
	if err := checkNonNegative("exemption cap", cap); err != nil {
		return decimal.Zero, err
	}
	third := Cents().Round(salary.DivRound(dec("3"), quotientPlaces))
	if third.LessThan(cap) {
		return third, nil
	}
	return cap, nil
}

// BDTaxInput is what the annual salary tax needs.
type BDTaxInput struct {
	Salary       decimal.Decimal // annual salary income
	ExemptionCap decimal.Decimal // default 450,000
	Category     TaxpayerCategory
	Location     TaxLocation
}

// BDTax is an annual salary tax computation with every step.
type BDTax struct {
	Salary, Exempt, Taxable decimal.Decimal
	SlabTax                 decimal.Decimal
	Minimum                 decimal.Decimal // the location's minimum tax, when it applies
	Tax                     decimal.Decimal // max(SlabTax, Minimum), half-up to 0.01
	Lines                   []SlabLine
}

// AnnualTax computes the year's salary tax: exemption, taxable income, slabs, and
// the minimum tax of the location when taxable income exceeds the nil band.
func (y BDTaxYear) AnnualTax(in BDTaxInput) (BDTax, error) {
	if in.ExemptionCap.IsZero() {
		in.ExemptionCap = dec("450000")
	}
	exempt, err := BDSalaryExemption(in.Salary, in.ExemptionCap)
	if err != nil {
		return BDTax{}, err
	}
	out := BDTax{Salary: in.Salary, Exempt: exempt, Taxable: in.Salary.Sub(exempt)}
	out.SlabTax, out.Lines, err = y.SlabTax(out.Taxable, in.Category)
	if err != nil {
		return BDTax{}, err
	}
	minTax, ok := y.MinimumTax[in.Location]
	if !ok {
		return BDTax{}, &CategoryError{Kind: "location", Value: in.Location.String()}
	}
	out.Tax = out.SlabTax
	if out.Taxable.GreaterThan(y.NilBand[in.Category]) {
		out.Minimum = minTax
		if out.Tax.LessThan(minTax) {
			out.Tax = minTax
		}
	}
	out.Tax = Cents().Round(out.Tax)
	return out, nil
}

// BDMonthlyWithholding spreads the year's tax over the months left: (annual tax
// - withheld so far) / months remaining (this month included), half-up to 0.01,
// so each month trues up what earlier months under- or over-withheld. A negative
// result (over-withheld) is returned as zero: refunds go through the return.
func BDMonthlyWithholding(annualTax, withheldYTD decimal.Decimal, monthsRemaining int) (decimal.Decimal, error) {
	if monthsRemaining < 1 || monthsRemaining > 12 {
		return decimal.Zero, fmt.Errorf("%w: %d months remaining", ErrInvalidMonth, monthsRemaining)
	}
	if err := checkNonNegative("annual tax", annualTax); err != nil {
		return decimal.Zero, err
	}
	if err := checkNonNegative("withheld", withheldYTD); err != nil {
		return decimal.Zero, err
	}
	left := annualTax.Sub(withheldYTD)
	if left.Sign() <= 0 {
		return decimal.Zero, nil
	}
	return Cents().Round(left.DivRound(decimal.NewFromInt(int64(monthsRemaining)), quotientPlaces)), nil
}

// BangladeshWithholder withholds Bangladesh salary tax on a payslip: it projects
// the year's salary as EarnedYTD + this month's gross x MonthsRemaining, computes
// the annual tax and withholds (annual tax - WithheldYTD) / MonthsRemaining.
type BangladeshWithholder struct {
	Year            BDTaxYear
	Category        TaxpayerCategory
	Location        TaxLocation
	ExemptionCap    decimal.Decimal // default 450,000
	EarnedYTD       decimal.Decimal // salary paid in earlier months of the income year
	WithheldYTD     decimal.Decimal // tax withheld in earlier months
	MonthsRemaining int             // months left in the income year, this one included
}

// Withhold implements Withholder.
func (w BangladeshWithholder) Withhold(gross decimal.Decimal) (TaxResult, error) {
	if w.MonthsRemaining < 1 || w.MonthsRemaining > 12 {
		return TaxResult{}, fmt.Errorf("%w: %d months remaining", ErrInvalidMonth, w.MonthsRemaining)
	}
	if err := checkNonNegative("EarnedYTD", w.EarnedYTD); err != nil {
		return TaxResult{}, err
	}
	projected := w.EarnedYTD.Add(gross.Mul(decimal.NewFromInt(int64(w.MonthsRemaining))))
	t, err := w.Year.AnnualTax(BDTaxInput{Salary: projected, ExemptionCap: w.ExemptionCap, Category: w.Category, Location: w.Location})
	if err != nil {
		return TaxResult{}, err
	}
	m, err := BDMonthlyWithholding(t.Tax, w.WithheldYTD, w.MonthsRemaining)
	if err != nil {
		return TaxResult{}, err
	}
	return TaxResult{
		Amount: m,
		Trace:  fmt.Sprintf("BD AY %s: (annual tax - withheld) / %d months, half-up to 0.01", w.Year.AssessmentYear, w.MonthsRemaining),
		Inputs: []Ref{{"projected_salary", projected}, {"exempt", t.Exempt}, {"taxable", t.Taxable}, {"annual_tax", t.Tax}, {"withheld_ytd", w.WithheldYTD}},
	}, nil
}
