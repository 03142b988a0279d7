package payroll_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
)

// From roster and punches to a payslip with overtime, unpaid leave and tax.
func TestEndToEndBangladeshPayslip(t *testing.T) {
	t.Parallel()
	dhaka := loc(t, "Asia/Dhaka")
	sun := payroll.NewDate(2025, time.June, 1) // a Sunday
	// 6 days of 8 h from 08:00 (Sunday-Friday), Saturday off
	p, err := payroll.Cycle("six-day", "D6 O1", map[string]payroll.ShiftSpec{"D": {Start: 8 * time.Hour, Length: 8 * time.Hour}})
	require.NoError(t, err)
	r := payroll.Roster{Pattern: p, Anchor: sun, Location: dhaka, Crews: []payroll.Crew{{Name: "X"}}}
	shifts, err := r.Schedule("X", sun, sun.AddDays(6))
	require.NoError(t, err)
	var punches []payroll.Punch
	for i, h := range []int{8, 10, 8, 8, 9, 8} { // 51 h: daily excess 3, weekly excess 3
		day := sun.AddDays(i)
		punches = append(punches,
			payroll.Punch{At: day.At(8*time.Hour, dhaka), Dir: payroll.In},
			payroll.Punch{At: day.At(time.Duration(8+h)*time.Hour, dhaka), Dir: payroll.Out})
	}
	a, err := payroll.Attend(payroll.AttendanceConfig{Location: dhaka}, shifts, punches)
	require.NoError(t, err)
	require.NoError(t, a.Complete())
	requireDec(t, "51", a.Totals.Worked)

	basic := d("20800") // 200 per overtime hour
	ot, err := payroll.Bangladesh{}.Overtime(payroll.Wage{Basic: basic}, a.Days)
	require.NoError(t, err)
	requireDec(t, "3", ot.Hours)
	requireDec(t, "600", ot.Pay)
	require.Len(t, ot.Flags, 0)

	c := mustCompile(t, payroll.Structure{Components: []payroll.Component{
		{Code: "B", Kind: payroll.Earning, Formula: "base", DependsOnPaymentDays: true},
		{Code: "HRA", Kind: payroll.Earning, Formula: "B * 0.5", DependsOnPaymentDays: true},
		{Code: "PF", Kind: payroll.Deduction, Formula: "round(B * 0.1, 2)"},
	}})
	year, err := payroll.BDTaxYearFor("2025-26")
	require.NoError(t, err)
	slip, err := c.Payslip(payroll.SlipInput{
		Employee: "E1", Base: basic, WorkingDays: d("26"), LeaveWithoutPay: d("1"),
		Overtime: &ot,
		Tax:      payroll.BangladeshWithholder{Year: year, Category: payroll.General, Location: payroll.DhakaChattogramCity, MonthsRemaining: 12},
	})
	require.NoError(t, err)
	// B 20,800 x 25/26 = 20,000; HRA 10,400 x 25/26 = 10,000; OT 600 -> gross 30,600
	requireDec(t, "30600", slip.Gross)
	// projected 367,200 a year: exempt 122,400; taxable 244,800 < 350,000 -> no tax
	requireDec(t, "0", slip.Tax)
	requireDec(t, "2080", slip.Deductions)
	requireDec(t, "28520", slip.Net)
	require.Equal(t, []string{"B", "HRA", "PF", payroll.LineOvertime, payroll.LineTax}, codes(slip))
}

func codes(s payroll.Payslip) []string {
	out := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		out[i] = l.Code
	}
	return out
}

// Indonesian mining roster: fixed daily overtime for 11-hour roster days and TER tax.
func TestEndToEndIndonesiaMiningPayslip(t *testing.T) {
	t.Parallel()
	jkt := loc(t, "Asia/Jakarta")
	mon := payroll.NewDate(2025, time.June, 2)
	p, err := payroll.Cycle("11h 4-on", "D4 O3", map[string]payroll.ShiftSpec{"D": {Start: 6 * time.Hour, Length: 11 * time.Hour}})
	require.NoError(t, err)
	r := payroll.Roster{Pattern: p, Anchor: mon, Location: jkt, Crews: []payroll.Crew{{Name: "A"}}}
	shifts, err := r.Schedule("A", mon, mon.AddDays(6))
	require.NoError(t, err)
	var punches []payroll.Punch
	for _, s := range shifts[:3] { // worked 3 of 4 roster days
		punches = append(punches, payroll.Punch{At: s.Start, Dir: payroll.In}, payroll.Punch{At: s.End, Dir: payroll.Out})
	}
	a, err := payroll.Attend(payroll.AttendanceConfig{Location: jkt}, shifts, punches)
	require.NoError(t, err)
	w := payroll.Wage{Basic: d("8650000")}
	ot, err := payroll.Indonesia{}.MiningOvertime(w, a.Days)
	require.NoError(t, err)
	requireDec(t, "1125000", ot.Pay) // 3 x 375,000

	c := mustCompile(t, payroll.Structure{Rounding: payroll.HalfUpTo(decimal.NewFromInt(1)), Components: []payroll.Component{
		{Code: "GP", Kind: payroll.Earning, Formula: "base"},
		{Code: "JHT", Kind: payroll.Deduction, Formula: "round(GP * 0.02)"},
	}})
	st, err := payroll.ParsePTKP("K/0")
	require.NoError(t, err)
	slip, err := c.Payslip(payroll.SlipInput{Base: w.Basic, WorkingDays: d("22"), Overtime: &ot,
		Tax: payroll.TERWithholder{Status: st, Month: time.June}})
	require.NoError(t, err)
	requireDec(t, "9775000", slip.Gross) // 8,650,000 + 1,125,000
	// TER A for 9,775,000 is 2% -> 195,500
	requireDec(t, "195500", slip.Tax)
	requireDec(t, "173000", slip.Lines[1].Amount)
	requireDec(t, "9406500", slip.Net)
}
