package payroll

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// PTKPStatus is an Indonesian taxpayer's marital and dependant status, written
// TK/0..TK/3 (not married) and K/0..K/3 (married).
type PTKPStatus struct {
	Married    bool
	Dependants int // 0..3
}

// ParsePTKP parses "TK/0" .. "K/3".
func ParsePTKP(s string) (PTKPStatus, error) {
	pre, n, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "/")
	dep, err := strconv.Atoi(n)
	if !ok || err != nil || dep < 0 || dep > 3 || (pre != "TK" && pre != "K") || len(n) != 1 {
		return PTKPStatus{}, &CategoryError{Kind: "PTKP status", Value: s}
	}
	return PTKPStatus{Married: pre == "K", Dependants: dep}, nil
}

// String formats the status, e.g. "K/1".
func (s PTKPStatus) String() string {
	if s.Married {
		return "K/" + strconv.Itoa(s.Dependants)
	}
	return "TK/" + strconv.Itoa(s.Dependants)
}

func (s PTKPStatus) check() error {
	if s.Dependants < 0 || s.Dependants > 3 {
		return &CategoryError{Kind: "PTKP status", Value: s.String()}
	}
	return nil
}

// PTKP returns the annual non-taxable income: 54,000,000 for the taxpayer plus
// 4,500,000 for marriage and for each dependant (at most 3).
func (s PTKPStatus) PTKP() (decimal.Decimal, error) {
	if err := s.check(); err != nil {
		return decimal.Zero, err
	}
	n := int64(s.Dependants)
	if s.Married {
		n++
	}
	return dec("54000000").Add(dec("4500000").Mul(decimal.NewFromInt(n))), nil
}

// TERCategory is the PP 58/2023 monthly effective-rate table: A, B or C.
type TERCategory string

// TER categories.
const (
	TERA TERCategory = "A" // TK/0, TK/1, K/0
	TERB TERCategory = "B" // TK/2, TK/3, K/1, K/2
	TERC TERCategory = "C" // K/3
)

// TERCategory returns the status's TER table.
func (s PTKPStatus) TERCategory() (TERCategory, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	n := s.Dependants
	if s.Married {
		n++
	}
	switch {
	case n <= 1:
		return TERA, nil
	case n <= 3:
		return TERB, nil
	}
	return TERC, nil
}

// terBand: gross up to and including Upto (in rupiah) pays Rate percent.
type terBand struct {
	upto int64
	rate string // percent
}

// TER tables of PP 58/2023 (monthly gross in rupiah -> rate in percent); the last
// band of each is open.
var terTables = map[TERCategory][]terBand{
	TERA: {
		{5400000, "0"}, {5650000, "0.25"}, {5950000, "0.5"}, {6300000, "0.75"}, {6750000, "1"},
		{7500000, "1.25"}, {8550000, "1.5"}, {9650000, "1.75"}, {10050000, "2"}, {10350000, "2.25"},
		{10700000, "2.5"}, {11050000, "3"}, {11600000, "3.5"}, {12500000, "4"}, {13750000, "5"},
		{15100000, "6"}, {16950000, "7"}, {19750000, "8"}, {24150000, "9"}, {26450000, "10"},
		{28000000, "11"}, {30050000, "12"}, {32400000, "13"}, {35400000, "14"}, {39100000, "15"},
		{43850000, "16"}, {47800000, "17"}, {51400000, "18"}, {56300000, "19"}, {62200000, "20"},
		{68600000, "21"}, {77500000, "22"}, {89000000, "23"}, {103000000, "24"}, {125000000, "25"},
		{157000000, "26"}, {206000000, "27"}, {337000000, "28"}, {454000000, "29"}, {550000000, "30"},
		{695000000, "31"}, {910000000, "32"}, {1400000000, "33"}, {0, "34"},
	},
	TERB: {
		{6200000, "0"}, {6500000, "0.25"}, {6850000, "0.5"}, {7300000, "0.75"}, {9200000, "1"},
		{10750000, "1.5"}, {11250000, "2"}, {11600000, "2.5"}, {12600000, "3"}, {13600000, "4"},
		{14950000, "5"}, {16400000, "6"}, {18450000, "7"}, {21850000, "8"}, {26000000, "9"},
		{27700000, "10"}, {29350000, "11"}, {31450000, "12"}, {33950000, "13"}, {37100000, "14"},
		{41100000, "15"}, {45800000, "16"}, {49500000, "17"}, {53800000, "18"}, {58500000, "19"},
		{64000000, "20"}, {71000000, "21"}, {80000000, "22"}, {93000000, "23"}, {109000000, "24"},
		{129000000, "25"}, {163000000, "26"}, {211000000, "27"}, {374000000, "28"}, {459000000, "29"},
		{555000000, "30"}, {704000000, "31"}, {957000000, "32"}, {1405000000, "33"}, {0, "34"},
	},
	TERC: {
		{6600000, "0"}, {6950000, "0.25"}, {7350000, "0.5"}, {7800000, "0.75"}, {8850000, "1"},
		{9800000, "1.25"}, {10950000, "1.5"}, {11200000, "1.75"}, {12050000, "2"}, {12950000, "3"},
		{14150000, "4"}, {15550000, "5"}, {17050000, "6"}, {19500000, "7"}, {22700000, "8"},
		{26600000, "9"}, {28100000, "10"}, {30100000, "11"}, {32600000, "12"}, {35400000, "13"},
		{38900000, "14"}, {43000000, "15"}, {47400000, "16"}, {51200000, "17"}, {55800000, "18"},
		{60400000, "19"}, {66700000, "20"}, {74500000, "21"}, {83200000, "22"}, {95600000, "23"},
		{110000000, "24"}, {134000000, "25"}, {169000000, "26"}, {221000000, "27"}, {390000000, "28"},
		{463000000, "29"}, {561000000, "30"}, {709000000, "31"}, {965000000, "32"}, {1419000000, "33"},
		{0, "34"},
	},
}

// TERRate returns the monthly effective rate (as a fraction, 2% = 0.02) of a
// category for a month's gross income.
func TERRate(cat TERCategory, monthlyGross decimal.Decimal) (decimal.Decimal, error) {
	table, ok := terTables[cat]
	if !ok {
		return decimal.Zero, &CategoryError{Kind: "TER category", Value: string(cat)}
	}
	if err := checkNonNegative("monthly gross", monthlyGross); err != nil {
		return decimal.Zero, err
	}
	for _, b := range table {
		if b.upto == 0 || monthlyGross.LessThanOrEqual(decimal.NewFromInt(b.upto)) {
			return dec(b.rate).Shift(-2), nil
		}
	}
	return decimal.Zero, &ParameterError{Rule: "TER table", Value: string(cat), Why: "no open top band"}
}

// Article17 returns the annual income tax on taxable income (PKP) with the UU
// HPP bands: 5% to 60M, 15% to 250M, 25% to 500M, 30% to 5B, 35% above. Unrounded.
func Article17(pkp decimal.Decimal) (decimal.Decimal, error) {
	if err := checkNonNegative("PKP", pkp); err != nil {
		return decimal.Zero, err
	}
	t, _, err := progressive(pkp, []Slab{
		{dec("60000000"), dec("0.05")}, {dec("190000000"), dec("0.15")}, {dec("250000000"), dec("0.25")},
		{dec("4500000000"), dec("0.30")}, {decimal.Zero, dec("0.35")},
	})
	return t, err
}

// PPh21Year is the December true-up input: the year's gross income (January to
// December, including taxable employer-paid premiums), the employee's own
// pension and JHT contributions for the year, and the tax already withheld
// January to November.
type PPh21Year struct {
	Status          PTKPStatus
	Gross           decimal.Decimal
	EmployeePension decimal.Decimal // JHT 2% and JP 1% paid by the employee
	WithheldJanNov  decimal.Decimal
	// JobCostRate and JobCostCap are the biaya jabatan (5%, at most 6,000,000 a
	// year, PMK 168/2023); zero means the default.
	JobCostRate, JobCostCap decimal.Decimal
}

// PPh21Annual is the December computation with every step.
type PPh21Annual struct {
	Gross, JobCost, Net, PTKP, PKP decimal.Decimal
	AnnualTax                      decimal.Decimal // Article 17 on PKP, rounded down to the rupiah
	Withheld                       decimal.Decimal
	December                       decimal.Decimal // AnnualTax - Withheld; negative = over-withheld
}

// DecemberPPh21 computes the annual PPh 21 and the December withholding: net =
// gross - job cost - employee pension; PKP = net - PTKP rounded down to a
// thousand rupiah (zero when negative); annual tax by Article 17; December =
// annual tax - tax withheld January to November.
func DecemberPPh21(in PPh21Year) (PPh21Annual, error) {
	ptkp, err := in.Status.PTKP()
	if err != nil {
		return PPh21Annual{}, err
	}
	for name, v := range map[string]decimal.Decimal{"Gross": in.Gross, "EmployeePension": in.EmployeePension, "WithheldJanNov": in.WithheldJanNov, "JobCostRate": in.JobCostRate, "JobCostCap": in.JobCostCap} {
		if err := checkNonNegative(name, v); err != nil {
			return PPh21Annual{}, err
		}
	}
	rate := orDefault(in.JobCostRate, "0.05")
	capJC := orDefault(in.JobCostCap, "6000000")
	out := PPh21Annual{Gross: in.Gross, PTKP: ptkp, Withheld: in.WithheldJanNov}
	out.JobCost = HalfUpTo(dec("1")).Round(in.Gross.Mul(rate))
	if out.JobCost.GreaterThan(capJC) {
		out.JobCost = capJC
	}
	out.Net = in.Gross.Sub(out.JobCost).Sub(in.EmployeePension)
	pkp := out.Net.Sub(ptkp)
	if pkp.Sign() < 0 {
		pkp = decimal.Zero
	}
	out.PKP = FloorTo(dec("1000")).Round(pkp)
	tax, err := Article17(out.PKP)
	if err != nil {
		return PPh21Annual{}, err
	}
	out.AnnualTax = FloorTo(dec("1")).Round(tax)
	out.December = out.AnnualTax.Sub(in.WithheldJanNov)
	return out, nil
}

// JHT returns the BPJS Ketenagakerjaan old-age savings contributions on a
// month's wage: 3.7% paid by the employer, 2% by the employee, each half-up to
// the rupiah.
func JHT(wage decimal.Decimal) (employer, employee decimal.Decimal, err error) {
	if err := checkNonNegative("wage", wage); err != nil {
		return decimal.Zero, decimal.Zero, err
	}
	r := HalfUpTo(dec("1"))
	return r.Round(wage.Mul(dec("0.037"))), r.Round(wage.Mul(dec("0.02"))), nil
}

// TERWithholder withholds PPh 21 on a payslip: January to November the TER rate
// of the status's category times the month's gross; in December the annual
// Article 17 tax minus what was withheld (GrossJanNov, WithheldJanNov and
// EmployeePension describe the rest of the year). Rounding is the monthly
// rounding rule; default down to the whole rupiah.
type TERWithholder struct {
	Status          PTKPStatus
	Month           time.Month
	GrossJanNov     decimal.Decimal
	WithheldJanNov  decimal.Decimal
	EmployeePension decimal.Decimal // for the whole year
	Rounding        Rounding
}

// Withhold implements Withholder.
func (w TERWithholder) Withhold(gross decimal.Decimal) (TaxResult, error) {
	if w.Month < time.January || w.Month > time.December {
		return TaxResult{}, fmt.Errorf("%w: %d", ErrInvalidMonth, int(w.Month))
	}
	if w.Month == time.December {
		a, err := DecemberPPh21(PPh21Year{Status: w.Status, Gross: w.GrossJanNov.Add(gross), EmployeePension: w.EmployeePension, WithheldJanNov: w.WithheldJanNov})
		if err != nil {
			return TaxResult{}, err
		}
		return TaxResult{Amount: a.December, Trace: "PPh 21 December: Article 17(PKP) - withheld Jan-Nov",
			Inputs: []Ref{{"annual_gross", a.Gross}, {"job_cost", a.JobCost}, {"ptkp", a.PTKP}, {"pkp", a.PKP}, {"annual_tax", a.AnnualTax}, {"withheld_jan_nov", a.Withheld}}}, nil
	}
	cat, err := w.Status.TERCategory()
	if err != nil {
		return TaxResult{}, err
	}
	rate, err := TERRate(cat, gross)
	if err != nil {
		return TaxResult{}, err
	}
	r := w.Rounding
	if r.IsZero() {
		r = FloorTo(dec("1"))
	}
	if err := r.Validate(); err != nil {
		return TaxResult{}, err
	}
	return TaxResult{Amount: r.Round(gross.Mul(rate)), Trace: "PPh 21 TER " + string(cat) + ": gross x rate, " + r.String(),
		Inputs: []Ref{{"ter_rate", rate}}}, nil
}
