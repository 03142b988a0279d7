package payroll_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/payroll"
)

// benchStructure has 20 components: 12 earnings and 8 deductions with formulas,
// conditions, references between components and proration.
func benchStructure(tb testing.TB) *payroll.Compiled {
	tb.Helper()
	comps := []payroll.Component{
		{Code: "B", Kind: payroll.Earning, Formula: "base", DependsOnPaymentDays: true},
		{Code: "DA", Kind: payroll.Earning, Formula: "round(B * 0.12, 2)", DependsOnPaymentDays: true},
		{Code: "HRA", Kind: payroll.Earning, Formula: "if(metro == 1, B * 0.5, B * 0.4)", DependsOnPaymentDays: true},
		{Code: "MED", Kind: payroll.Earning, Amount: decimal.NewFromInt(1500)},
		{Code: "CONV", Kind: payroll.Earning, Formula: "min(B * 0.1, 5000)"},
		{Code: "SHIFT", Kind: payroll.Earning, Condition: "night_shifts > 0", Formula: "night_shifts * 250"},
		{Code: "FOOD", Kind: payroll.Earning, Formula: "payment_days * 120"},
		{Code: "SITE", Kind: payroll.Earning, Condition: "remote == 1", Formula: "round(B * 0.15, 0)"},
		{Code: "OTA", Kind: payroll.Earning, Formula: "round(overtime_hours * 20, 2)"},
		{Code: "ATT", Kind: payroll.Earning, Condition: "payment_days == working_days", Amount: decimal.NewFromInt(1000)},
		{Code: "SPEC", Kind: payroll.Earning, Formula: "max(0, base * 1.6 - B - DA - HRA - CONV)"},
		{Code: "ARR", Kind: payroll.Earning, Formula: "arrears"},
		{Code: "PF", Kind: payroll.Deduction, Formula: "round((B + DA) * 0.1, 2)"},
		{Code: "PFV", Kind: payroll.Deduction, Condition: "vpf > 0", Formula: "round(B * vpf / 100, 2)"},
		{Code: "LOAN", Kind: payroll.Deduction, Condition: "loan > 0", Formula: "min(loan, B * 0.3)"},
		{Code: "ADV", Kind: payroll.Deduction, Formula: "advance"},
		{Code: "CANT", Kind: payroll.Deduction, Formula: "payment_days * 35"},
		{Code: "WELF", Kind: payroll.Deduction, Amount: decimal.NewFromInt(50)},
		{Code: "UNION", Kind: payroll.Deduction, Condition: "union == 1", Formula: "round(B * 0.01, 2)"},
		{Code: "ABS", Kind: payroll.Deduction, Formula: "round(SPEC * (working_days - payment_days) / working_days, 2)"},
	}
	c, err := payroll.Compile(payroll.Structure{
		Name:       "bench",
		Components: comps,
		Variables:  []string{"metro", "night_shifts", "remote", "arrears", "vpf", "loan", "advance", "union"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func benchInputs(n int) []payroll.SlipInput {
	bd := payroll.Bangladesh{}
	year, _ := payroll.BDTaxYearFor("2025-26")
	out := make([]payroll.SlipInput, n)
	for i := range out {
		base := decimal.NewFromInt(int64(15000 + (i*37)%120000))
		ot, _ := bd.Overtime(payroll.Wage{Basic: base}, nil)
		ot.Hours = decimal.NewFromInt(int64(i % 30))
		ot.Pay, _ = bd.OvertimePay(payroll.Wage{Basic: base}, ot.Hours)
		out[i] = payroll.SlipInput{
			Employee:        fmt.Sprintf("E%05d", i),
			Base:            base,
			WorkingDays:     decimal.NewFromInt(26),
			LeaveWithoutPay: decimal.NewFromInt(int64(i % 3)),
			Overtime:        &ot,
			Vars: map[string]decimal.Decimal{
				"metro": decimal.NewFromInt(int64(i % 2)), "night_shifts": decimal.NewFromInt(int64(i % 12)),
				"remote": decimal.NewFromInt(int64(i % 5 / 4)), "arrears": decimal.Zero, "vpf": decimal.NewFromInt(int64(i % 4)),
				"loan": decimal.NewFromInt(int64(i % 7 * 1000)), "advance": decimal.Zero, "union": decimal.NewFromInt(1),
			},
			Tax: payroll.BangladeshWithholder{Year: year, Category: payroll.General, Location: payroll.DhakaChattogramCity, MonthsRemaining: 12 - i%12},
		}
	}
	return out
}

// BenchmarkPayslips10k computes payslips for 10,000 employees with 20 components
// each (plus overtime and Bangladesh tax); one iteration is the whole run.
func BenchmarkPayslips10k(b *testing.B) {
	c := benchStructure(b)
	inputs := benchInputs(10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range inputs {
			if _, err := c.Payslip(inputs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPayslips10kNoTax is the same run without the tax line.
func BenchmarkPayslips10kNoTax(b *testing.B) {
	c := benchStructure(b)
	inputs := benchInputs(10_000)
	for i := range inputs {
		inputs[i].Tax = nil
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range inputs {
			if _, err := c.Payslip(inputs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkFormulaParse(b *testing.B) {
	for b.Loop() {
		if _, err := payroll.Compile(payroll.Structure{Components: []payroll.Component{
			{Code: "A", Kind: payroll.Earning, Formula: "if(base > 10000 and payment_days >= 20, round(base * 0.4 / 3, 2), max(base / 10, 500))"},
		}}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchStructureRuns(t *testing.T) {
	t.Parallel()
	c := benchStructure(t)
	for _, in := range benchInputs(50) {
		slip, err := c.Payslip(in)
		if err != nil {
			t.Fatal(err)
		}
		if !slip.Net.Equal(slip.Gross.Sub(slip.Deductions)) {
			t.Fatal("net")
		}
	}
}
