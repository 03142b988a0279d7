package payroll_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
	"github.com/erpkit/erpkit/payroll/formula"
)

func mustCompile(t testing.TB, s payroll.Structure) *payroll.Compiled {
	t.Helper()
	c, err := payroll.Compile(s)
	require.NoError(t, err)
	return c
}

// Reference (ERPNext HRMS): basic 30,000, 30 working days, 2 days leave without
// pay -> 28,000.
func TestProrationGolden(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, payroll.Structure{Components: []payroll.Component{
		{Code: "B", Kind: payroll.Earning, Formula: "base", DependsOnPaymentDays: true},
	}})
	slip, err := c.Payslip(payroll.SlipInput{Base: d("30000"), WorkingDays: d("30"), LeaveWithoutPay: d("2")})
	require.NoError(t, err)
	requireDec(t, "28000", slip.Lines[0].Amount)
	requireDec(t, "30000", slip.Lines[0].Full)
	requireDec(t, "28", slip.PaymentDays)
}

func TestStructurePayslip(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, payroll.Structure{
		Name:      "mine staff",
		Variables: []string{"is_metro", "loan"},
		Components: []payroll.Component{
			// declared out of dependency order on purpose
			{Code: "PF", Kind: payroll.Deduction, Formula: "round(B * 0.1, 2)"},
			{Code: "HRA", Kind: payroll.Earning, Formula: "if(is_metro == 1, B * 0.5, B * 0.4)", DependsOnPaymentDays: true},
			{Code: "B", Kind: payroll.Earning, Formula: "base * 0.6", DependsOnPaymentDays: true},
			{Code: "MED", Kind: payroll.Earning, Amount: d("1500")},
			{Code: "CONV", Kind: payroll.Earning, Condition: "B > 100000", Amount: d("2000")},
			{Code: "LOAN", Kind: payroll.Deduction, Condition: "loan > 0", Formula: "min(loan, 5000)"},
			{Code: "SPEC", Kind: payroll.Earning, Formula: "max(0, base - B - HRA - MED - CONV)"},
		},
	})
	require.Equal(t, []string{"B", "PF", "HRA", "MED", "CONV", "LOAN", "SPEC"}, c.Codes())
	ot := &payroll.OvertimeResult{Hours: d("10"), Pay: d("1923.08"), Trace: "bd"}
	slip, err := c.Payslip(payroll.SlipInput{
		Employee: "E1", Base: d("50000"), WorkingDays: d("30"), LeaveWithoutPay: d("3"),
		Vars:     map[string]decimal.Decimal{"is_metro": d("1"), "loan": d("8000")},
		Overtime: ot,
	})
	require.NoError(t, err)
	got := map[string]string{}
	for _, l := range slip.Lines {
		got[l.Code] = l.Amount.String()
	}
	require.Equal(t, map[string]string{
		"B": "27000", "HRA": "13500", "MED": "1500", "PF": "3000", "LOAN": "5000",
		"SPEC": "3500", "OVERTIME": "1923.08",
	}, got)
	require.Equal(t, []string{"CONV"}, slip.Skipped)
	requireDec(t, "47423.08", slip.Gross)
	requireDec(t, "8000", slip.Deductions)
	requireDec(t, "39423.08", slip.Net)
	// traceability: HRA's inputs and formula
	for _, l := range slip.Lines {
		if l.Code == "HRA" {
			require.Equal(t, "if(is_metro == 1, B * 0.5, B * 0.4)", l.Formula)
			require.Len(t, l.Inputs, 2)
			require.Equal(t, "B", l.Inputs[0].Name)
			requireDec(t, "30000", l.Inputs[0].Value)
			require.Equal(t, "is_metro", l.Inputs[1].Name)
			requireDec(t, "15000", l.Full)
			require.True(t, l.Prorated)
		}
	}
}

type flatTax struct{ rate decimal.Decimal }

func (f flatTax) Withhold(gross decimal.Decimal) (payroll.TaxResult, error) {
	return payroll.TaxResult{Amount: gross.Mul(f.rate).Round(2), Trace: "flat"}, nil
}

func TestPayslipTaxLine(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, payroll.Structure{Components: []payroll.Component{{Code: "B", Kind: payroll.Earning, Formula: "base"}}})
	slip, err := c.Payslip(payroll.SlipInput{Base: d("1000"), WorkingDays: d("30"), Tax: flatTax{d("0.1")}})
	require.NoError(t, err)
	requireDec(t, "100", slip.Tax)
	requireDec(t, "900", slip.Net)
	require.Equal(t, payroll.LineTax, slip.Lines[len(slip.Lines)-1].Code)
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	earn := func(code, f string) payroll.Component {
		return payroll.Component{Code: code, Kind: payroll.Earning, Formula: f}
	}
	tests := []struct {
		name  string
		s     payroll.Structure
		err   error
		cycle []string
	}{
		{"self cycle", payroll.Structure{Components: []payroll.Component{earn("A", "A + 1")}}, payroll.ErrCycle, []string{"A", "A"}},
		{"three cycle", payroll.Structure{Components: []payroll.Component{earn("A", "B"), earn("B", "C * 2"), earn("C", "base + A")}}, payroll.ErrCycle, []string{"A", "B", "C", "A"}},
		{"cycle via condition", payroll.Structure{Components: []payroll.Component{
			earn("X", "base"), {Code: "A", Kind: payroll.Earning, Condition: "B > 0", Formula: "1"}, earn("B", "A")}}, payroll.ErrCycle, []string{"A", "B", "A"}},
		{"unknown name", payroll.Structure{Components: []payroll.Component{earn("A", "basic * 2")}}, formula.ErrUnknownName, nil},
		{"unknown function", payroll.Structure{Components: []payroll.Component{earn("A", "pow(base, 2)")}}, formula.ErrUnknownName, nil},
		{"syntax", payroll.Structure{Components: []payroll.Component{earn("A", "base *")}}, formula.ErrSyntax, nil},
		{"formula is bool", payroll.Structure{Components: []payroll.Component{earn("A", "base > 1")}}, formula.ErrType, nil},
		{"condition is number", payroll.Structure{Components: []payroll.Component{{Code: "A", Kind: payroll.Earning, Condition: "base", Amount: d("1")}}}, formula.ErrType, nil},
		{"duplicate code", payroll.Structure{Components: []payroll.Component{earn("A", "1"), earn("A", "2")}}, payroll.ErrInvalidComponent, nil},
		{"code shadows built-in", payroll.Structure{Components: []payroll.Component{earn("base", "1")}}, payroll.ErrInvalidComponent, nil},
		{"bad code", payroll.Structure{Components: []payroll.Component{earn("1A", "1")}}, payroll.ErrInvalidComponent, nil},
		{"keyword code", payroll.Structure{Components: []payroll.Component{earn("and", "1")}}, payroll.ErrInvalidComponent, nil},
		{"no kind", payroll.Structure{Components: []payroll.Component{{Code: "A", Formula: "1"}}}, payroll.ErrInvalidComponent, nil},
		{"formula and amount", payroll.Structure{Components: []payroll.Component{{Code: "A", Kind: payroll.Earning, Formula: "1", Amount: d("2")}}}, payroll.ErrInvalidComponent, nil},
		{"negative amount", payroll.Structure{Components: []payroll.Component{{Code: "A", Kind: payroll.Earning, Amount: d("-2")}}}, payroll.ErrNegative, nil},
		{"bad variable", payroll.Structure{Variables: []string{"x-y"}}, payroll.ErrInvalidComponent, nil},
		{"bad rounding", payroll.Structure{Rounding: payroll.Rounding{Step: d("-1"), Mode: payroll.HalfUp}}, payroll.ErrInvalidParameter, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := payroll.Compile(tc.s)
			require.ErrorIs(t, err, tc.err)
			if tc.cycle != nil {
				var ce *payroll.CycleError
				require.True(t, errors.As(err, &ce))
				require.Equal(t, tc.cycle, ce.Path)
			}
		})
	}
}

func TestPayslipErrors(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, payroll.Structure{
		Variables: []string{"days"},
		Components: []payroll.Component{
			{Code: "B", Kind: payroll.Earning, Formula: "base / days", DependsOnPaymentDays: true},
			{Code: "N", Kind: payroll.Deduction, Formula: "B - base"},
		},
	})
	vars := map[string]decimal.Decimal{"days": d("1")}
	tests := []struct {
		name string
		in   payroll.SlipInput
		err  error
	}{
		{"division by zero", payroll.SlipInput{Base: d("1"), WorkingDays: d("30"), Vars: map[string]decimal.Decimal{"days": d("0")}}, formula.ErrDivisionByZero},
		{"missing variable", payroll.SlipInput{Base: d("1"), WorkingDays: d("30")}, payroll.ErrMissingInput},
		{"negative component", payroll.SlipInput{Base: d("2"), WorkingDays: d("30"), Vars: map[string]decimal.Decimal{"days": d("2")}}, payroll.ErrNegative},
		{"negative base", payroll.SlipInput{Base: d("-1"), WorkingDays: d("30"), Vars: vars}, payroll.ErrNegative},
		{"leave beyond working days", payroll.SlipInput{Base: d("1"), WorkingDays: d("30"), LeaveWithoutPay: d("31"), Vars: vars}, payroll.ErrInvalidParameter},
		{"zero working days", payroll.SlipInput{Base: d("1"), Vars: vars}, payroll.ErrInvalidParameter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.Payslip(tc.in)
			require.ErrorIs(t, err, tc.err)
		})
	}
	_, err := c.Payslip(tests[0].in)
	var ce *payroll.ComponentError
	require.True(t, errors.As(err, &ce))
	require.Equal(t, "B", ce.Code)
}
