package payroll_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
)

func bdYear(t *testing.T, ay string) payroll.BDTaxYear {
	t.Helper()
	y, err := payroll.BDTaxYearFor(ay)
	require.NoError(t, err)
	return y
}

// Reference: taxable 1,000,000 -> 67,500.
func TestBDSlabTaxGolden(t *testing.T) {
	t.Parallel()
	for _, ay := range []string{"2024-25", "2025-26"} {
		tax, lines, err := bdYear(t, ay).SlabTax(d("1000000"), payroll.General)
		require.NoError(t, err)
		requireDec(t, "67500", tax, ay)
		require.Len(t, lines, 4) // nil, 5%, 10%, 15%
	}
}

// Reference: salary 1,200,000, exempt 400,000 -> taxable 800,000 -> tax 40,000
// -> 3,333.33 per month.
func TestBDAnnualAndMonthlyGolden(t *testing.T) {
	t.Parallel()
	res, err := bdYear(t, "2025-26").AnnualTax(payroll.BDTaxInput{Salary: d("1200000"), Category: payroll.General, Location: payroll.OutsideCity})
	require.NoError(t, err)
	requireDec(t, "400000", res.Exempt)
	requireDec(t, "800000", res.Taxable)
	requireDec(t, "40000", res.Tax)
	m, err := payroll.BDMonthlyWithholding(res.Tax, d("0"), 12)
	require.NoError(t, err)
	requireDec(t, "3333.33", m)
}

func TestBDSlabTax(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ay      string
		taxable string
		cat     payroll.TaxpayerCategory
		want    string
	}{
		{"2024-25", "350000", payroll.General, "0"},
		{"2024-25", "450000", payroll.General, "5000"},
		{"2024-25", "400000", payroll.WomanOrSenior, "0"},
		{"2024-25", "500000", payroll.WomanOrSenior, "5000"},
		{"2024-25", "475000", payroll.Disabled, "0"},
		{"2024-25", "575000", payroll.ThirdGender, "5000"},
		{"2024-25", "1850000", payroll.General, "220000"},  // 5k + 40k + 75k + 100k
		{"2024-25", "3850000", payroll.General, "720000"},  // top band 25%
		{"2025-26", "3850000", payroll.General, "720000"},  // 25% band reaches 3,850,000
		{"2025-26", "4850000", payroll.General, "1020000"}, // then 30%
		{"2024-25", "4850000", payroll.General, "970000"},
	}
	for _, tc := range tests {
		t.Run(tc.ay+" "+tc.taxable+" "+tc.cat.String(), func(t *testing.T) {
			t.Parallel()
			got, _, err := bdYear(t, tc.ay).SlabTax(d(tc.taxable), tc.cat)
			require.NoError(t, err)
			requireDec(t, tc.want, got)
		})
	}
}

func TestBDExemptionAndMinimum(t *testing.T) {
	t.Parallel()
	y := bdYear(t, "2025-26")
	ex, err := payroll.BDSalaryExemption(d("3000000"), d("450000"))
	require.NoError(t, err)
	requireDec(t, "450000", ex)
	ex, err = payroll.BDSalaryExemption(d("3000000"), d("500000"))
	require.NoError(t, err)
	requireDec(t, "500000", ex)
	ex, err = payroll.BDSalaryExemption(d("1000000"), d("450000"))
	require.NoError(t, err)
	requireDec(t, "333333.33", ex)

	// taxable 360,000: slab tax 500 < minimum
	for _, tc := range []struct {
		loc  payroll.TaxLocation
		want string
	}{{payroll.DhakaChattogramCity, "5000"}, {payroll.OtherCity, "4000"}, {payroll.OutsideCity, "3000"}} {
		res, err := y.AnnualTax(payroll.BDTaxInput{Salary: d("540000"), Category: payroll.General, Location: tc.loc})
		require.NoError(t, err)
		requireDec(t, "360000", res.Taxable)
		requireDec(t, "500", res.SlabTax)
		requireDec(t, tc.want, res.Tax)
	}
	// below the nil band: no minimum tax
	res, err := y.AnnualTax(payroll.BDTaxInput{Salary: d("500000"), Category: payroll.General, Location: payroll.DhakaChattogramCity})
	require.NoError(t, err)
	requireDec(t, "0", res.Tax)
}

func TestBDMonthlyTrueUp(t *testing.T) {
	t.Parallel()
	// 40,000 a year; after 6 months of 3,333.33 the rest is spread over 6
	m, err := payroll.BDMonthlyWithholding(d("40000"), d("19999.98"), 6)
	require.NoError(t, err)
	requireDec(t, "3333.34", m)
	// a raise mid-year: annual tax grows to 52,000, 20,000 withheld, 6 months left
	m, err = payroll.BDMonthlyWithholding(d("52000"), d("20000"), 6)
	require.NoError(t, err)
	requireDec(t, "5333.33", m)
	m, err = payroll.BDMonthlyWithholding(d("10000"), d("20000"), 1)
	require.NoError(t, err)
	requireDec(t, "0", m)

	w := payroll.BangladeshWithholder{Year: bdYear(t, "2025-26"), Category: payroll.General, Location: payroll.OutsideCity, MonthsRemaining: 12}
	tr, err := w.Withhold(d("100000"))
	require.NoError(t, err)
	requireDec(t, "3333.33", tr.Amount) // 1,200,000 projected
	w.MonthsRemaining, w.EarnedYTD, w.WithheldYTD = 6, d("600000"), d("19999.98")
	tr, err = w.Withhold(d("100000"))
	require.NoError(t, err)
	requireDec(t, "3333.34", tr.Amount)
}

func TestBDTaxErrors(t *testing.T) {
	t.Parallel()
	_, err := payroll.BDTaxYearFor("2019-20")
	require.ErrorIs(t, err, payroll.ErrUnknownTaxYear)
	y := bdYear(t, "2025-26")
	_, _, err = y.SlabTax(d("-1"), payroll.General)
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, _, err = y.SlabTax(d("1"), payroll.TaxpayerCategory(9))
	require.ErrorIs(t, err, payroll.ErrUnknownCategory)
	_, err = y.AnnualTax(payroll.BDTaxInput{Salary: d("1"), Category: payroll.General})
	require.ErrorIs(t, err, payroll.ErrUnknownCategory)
	_, err = payroll.BDMonthlyWithholding(d("1"), d("0"), 0)
	require.ErrorIs(t, err, payroll.ErrInvalidMonth)
	_, err = payroll.BDMonthlyWithholding(d("1"), d("-1"), 1)
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, err = payroll.BDSalaryExemption(d("-1"), d("1"))
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, err = payroll.BangladeshWithholder{Year: y, Category: payroll.General, Location: payroll.OtherCity}.Withhold(d("1"))
	require.ErrorIs(t, err, payroll.ErrInvalidMonth)
	bad := y
	bad.Slabs = nil
	_, _, err = bad.SlabTax(d("1"), payroll.General)
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
}

func TestPTKPAndTERCategory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		ptkp string
		cat  payroll.TERCategory
	}{
		{"TK/0", "54000000", payroll.TERA}, {"TK/1", "58500000", payroll.TERA}, {"K/0", "58500000", payroll.TERA},
		{"TK/2", "63000000", payroll.TERB}, {"TK/3", "67500000", payroll.TERB}, {"K/1", "63000000", payroll.TERB},
		{"K/2", "67500000", payroll.TERB}, {"k/3", "72000000", payroll.TERC},
	}
	for _, tc := range tests {
		st, err := payroll.ParsePTKP(tc.s)
		require.NoError(t, err)
		p, err := st.PTKP()
		require.NoError(t, err)
		requireDec(t, tc.ptkp, p, tc.s)
		c, err := st.TERCategory()
		require.NoError(t, err)
		require.Equal(t, tc.cat, c, tc.s)
	}
	for _, bad := range []string{"", "K/4", "TK", "X/1", "K/-1", "K/11", "TK/1/2"} {
		_, err := payroll.ParsePTKP(bad)
		require.ErrorIs(t, err, payroll.ErrUnknownCategory, bad)
	}
	_, err := payroll.PTKPStatus{Dependants: 5}.PTKP()
	require.ErrorIs(t, err, payroll.ErrUnknownCategory)
}

func TestTERRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cat   payroll.TERCategory
		gross string
		rate  string
	}{
		{payroll.TERA, "5400000", "0"},
		{payroll.TERA, "5400001", "0.0025"},
		{payroll.TERA, "8650000", "0.0175"},
		{payroll.TERA, "10000000", "0.02"},
		{payroll.TERA, "1400000000", "0.33"},
		{payroll.TERA, "1400000001", "0.34"},
		{payroll.TERB, "6200000", "0"},
		{payroll.TERB, "9200001", "0.015"},
		{payroll.TERB, "2000000000", "0.34"},
		{payroll.TERC, "6600001", "0.0025"},
		{payroll.TERC, "12050001", "0.03"},
		{payroll.TERC, "0", "0"},
	}
	for _, tc := range tests {
		got, err := payroll.TERRate(tc.cat, d(tc.gross))
		require.NoError(t, err)
		requireDec(t, tc.rate, got, string(tc.cat)+" "+tc.gross)
	}
	_, err := payroll.TERRate("D", d("1"))
	require.ErrorIs(t, err, payroll.ErrUnknownCategory)
	_, err = payroll.TERRate(payroll.TERA, d("-1"))
	require.ErrorIs(t, err, payroll.ErrNegative)
}

func TestArticle17(t *testing.T) {
	t.Parallel()
	tests := []struct{ pkp, tax string }{
		{"0", "0"}, {"60000000", "3000000"}, {"250000000", "31500000"}, {"500000000", "94000000"},
		{"5000000000", "1444000000"}, {"6000000000", "1794000000"}, {"57600000", "2880000"},
	}
	for _, tc := range tests {
		got, err := payroll.Article17(d(tc.pkp))
		require.NoError(t, err)
		requireDec(t, tc.tax, got, tc.pkp)
	}
}

// Hand-computed (not from the reference): TK/0, 10,000,000 a month all year,
// employee JHT 2% = 2,400,000 a year. Jan-Nov TER A 2% = 200,000 a month.
// Net 120M - 6M job cost - 2.4M = 111.6M; PKP 57.6M; tax 2.88M; December 680,000.
func TestDecemberTrueUp(t *testing.T) {
	t.Parallel()
	st, err := payroll.ParsePTKP("TK/0")
	require.NoError(t, err)
	w := payroll.TERWithholder{Status: st, Month: time.March}
	tr, err := w.Withhold(d("10000000"))
	require.NoError(t, err)
	requireDec(t, "200000", tr.Amount)
	w = payroll.TERWithholder{Status: st, Month: time.December, GrossJanNov: d("110000000"), WithheldJanNov: d("2200000"), EmployeePension: d("2400000")}
	tr, err = w.Withhold(d("10000000"))
	require.NoError(t, err)
	requireDec(t, "680000", tr.Amount)

	a, err := payroll.DecemberPPh21(payroll.PPh21Year{Status: st, Gross: d("60000000"), WithheldJanNov: d("500000")})
	require.NoError(t, err)
	requireDec(t, "3000000", a.JobCost)
	requireDec(t, "3000000", a.PKP) // 57,000,000 - 54,000,000
	requireDec(t, "150000", a.AnnualTax)
	requireDec(t, "-350000", a.December) // over-withheld
	// PKP rounds down to a thousand: 60,001,999 - 3,000,000 job cost (5%, half-up) - 54,000,000
	a, err = payroll.DecemberPPh21(payroll.PPh21Year{Status: st, Gross: d("60001999")})
	require.NoError(t, err)
	requireDec(t, "3000100", a.JobCost)
	requireDec(t, "3001000", a.PKP)
	requireDec(t, "150050", a.AnnualTax)
	_, err = payroll.TERWithholder{Status: st}.Withhold(d("1"))
	require.ErrorIs(t, err, payroll.ErrInvalidMonth)
	_, err = payroll.DecemberPPh21(payroll.PPh21Year{Status: st, Gross: d("-1")})
	require.ErrorIs(t, err, payroll.ErrNegative)
}

func TestJHT(t *testing.T) {
	t.Parallel()
	er, ee, err := payroll.JHT(d("8650000"))
	require.NoError(t, err)
	requireDec(t, "320050", er)
	requireDec(t, "173000", ee)
	_, _, err = payroll.JHT(d("-1"))
	require.ErrorIs(t, err, payroll.ErrNegative)
}
