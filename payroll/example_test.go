package payroll_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/payroll"
)

func ExampleBangladesh_OvertimePay() {
	bd := payroll.Bangladesh{} // 208-hour divisor, 2x, half-up to 0.01
	w := payroll.Wage{Basic: decimal.NewFromInt(20000)}
	rate, _ := bd.OvertimeRate(w)
	pay, _ := bd.OvertimePay(w, decimal.NewFromInt(10))
	fmt.Println(rate, pay)
	// Output: 192.31 1923.08
}

func ExampleIndonesia_MiningDayPay() {
	id := payroll.Indonesia{}
	w := payroll.Wage{Basic: decimal.NewFromInt(8_650_000)}
	hourly, _ := id.HourlyRate(w)
	day, _ := id.MiningDayPay(w, decimal.NewFromInt(11))
	_, err := id.MiningDayPay(w, decimal.NewFromInt(12))
	fmt.Println(hourly, day)
	fmt.Println(err)
	// Output:
	// 50000 375000
	// payroll: no fixed overtime rate for roster day length: 12 h
}

func ExampleRoster_Schedule() {
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	r := payroll.Roster{
		Pattern:  payroll.DuPont(7 * time.Hour),
		Anchor:   payroll.NewDate(2025, time.January, 6),
		Location: jakarta,
		Crews:    payroll.DuPontCrews(),
	}
	shifts, _ := r.Schedule("A", payroll.NewDate(2025, time.January, 6), payroll.NewDate(2025, time.January, 12))
	for _, s := range shifts {
		fmt.Println(s.Date, s.Name, s.Start.Format("15:04"), "-", s.End.Format("Jan 2 15:04"), s.Hours())
	}
	fmt.Println(r.Pattern.WeeklyHours(0))
	// Output:
	// 2025-01-06 N 19:00 - Jan 7 07:00 12
	// 2025-01-07 N 19:00 - Jan 8 07:00 12
	// 2025-01-08 N 19:00 - Jan 9 07:00 12
	// 2025-01-09 N 19:00 - Jan 10 07:00 12
	// [48 72 48 0]
}

func ExampleAttend() {
	dhaka, _ := time.LoadLocation("Asia/Dhaka")
	r := payroll.Roster{Pattern: payroll.DuPont(7 * time.Hour), Anchor: payroll.NewDate(2025, time.June, 1),
		Location: dhaka, Crews: payroll.DuPontCrews()}
	shifts, _ := r.Schedule("A", payroll.NewDate(2025, time.June, 1), payroll.NewDate(2025, time.June, 2))
	at := func(day, h, m int) time.Time { return time.Date(2025, time.June, day, h, m, 0, 0, dhaka) }
	a, _ := payroll.Attend(payroll.AttendanceConfig{Location: dhaka}, shifts, []payroll.Punch{
		{At: at(1, 18, 50), Dir: payroll.In}, {At: at(2, 7, 20), Dir: payroll.Out},
		{At: at(2, 18, 55), Dir: payroll.In}, // forgot to clock out
	})
	for _, d := range a.Days {
		fmt.Println(d.Date, d.Kind, "scheduled", d.Scheduled, "worked", d.Worked, "night", d.Night)
	}
	fmt.Println(a.Complete())
	// Output:
	// 2025-06-01 workday scheduled 12 worked 12.5 night 8
	// 2025-06-02 workday scheduled 12 worked 0 night 0
	// payroll: missing punch: in at 2025-06-02T18:55:00+06:00 has no out
}

func ExampleCompile() {
	c, err := payroll.Compile(payroll.Structure{
		Name: "staff",
		Components: []payroll.Component{
			{Code: "B", Kind: payroll.Earning, Formula: "base", DependsOnPaymentDays: true},
			{Code: "HRA", Kind: payroll.Earning, Formula: "round(B * 0.4, 2)", DependsOnPaymentDays: true},
			{Code: "PF", Kind: payroll.Deduction, Condition: "base >= 20000", Formula: "round(B * 0.1, 2)"},
		},
	})
	if err != nil {
		panic(err)
	}
	slip, _ := c.Payslip(payroll.SlipInput{
		Base:            decimal.NewFromInt(30000),
		WorkingDays:     decimal.NewFromInt(30),
		LeaveWithoutPay: decimal.NewFromInt(2),
	})
	for _, l := range slip.Lines {
		fmt.Printf("%-4s %-9s %9s  %s\n", l.Code, l.Kind, l.Amount.StringFixed(2), l.Formula)
	}
	fmt.Println("gross", slip.Gross.StringFixed(2), "deductions", slip.Deductions.StringFixed(2), "net", slip.Net.StringFixed(2))
	// Output:
	// B    earning    28000.00  base
	// HRA  earning    11200.00  round(B * 0.4, 2)
	// PF   deduction   3000.00  round(B * 0.1, 2)
	// gross 39200.00 deductions 3000.00 net 36200.00
}

func ExampleCompile_cycle() {
	_, err := payroll.Compile(payroll.Structure{Components: []payroll.Component{
		{Code: "A", Kind: payroll.Earning, Formula: "B + 1"},
		{Code: "B", Kind: payroll.Earning, Formula: "A * 2"},
	}})
	fmt.Println(err)
	// Output: payroll: cycle between components: A -> B -> A
}

func ExampleBDTaxYear_AnnualTax() {
	year, _ := payroll.BDTaxYearFor("2025-26")
	t, _ := year.AnnualTax(payroll.BDTaxInput{
		Salary:   decimal.NewFromInt(1_200_000),
		Category: payroll.General,
		Location: payroll.OutsideCity,
	})
	monthly, _ := payroll.BDMonthlyWithholding(t.Tax, decimal.Zero, 12)
	fmt.Println(t.Exempt, t.Taxable, t.Tax, monthly)
	// Output: 400000 800000 40000 3333.33
}

func ExampleTERWithholder() {
	st, _ := payroll.ParsePTKP("TK/0")
	gross := decimal.NewFromInt(10_000_000)
	march, _ := payroll.TERWithholder{Status: st, Month: time.March}.Withhold(gross)
	dec, _ := payroll.TERWithholder{Status: st, Month: time.December,
		GrossJanNov: decimal.NewFromInt(110_000_000), WithheldJanNov: decimal.NewFromInt(2_200_000),
		EmployeePension: decimal.NewFromInt(2_400_000)}.Withhold(gross)
	fmt.Println(march.Amount, dec.Amount)
	// Output: 200000 680000
}

func ExampleLeavePolicy_EarnedAccrual() {
	joined, asOf := payroll.NewDate(2023, time.January, 1), payroll.NewDate(2024, time.December, 31)
	for _, rule := range []payroll.Rounding{payroll.HalfUpTo(payroll.Places(2)), payroll.FloorTo(decimal.NewFromInt(1)), payroll.HalfUpTo(decimal.RequireFromString("0.5"))} {
		earned := payroll.LeavePolicy{Type: payroll.LeaveEarned, PerDaysWorked: decimal.NewFromInt(18), ServiceYears: 1, Rounding: rule}
		days, _ := earned.EarnedAccrual(decimal.NewFromInt(240), joined, asOf)
		fmt.Println(rule, days)
	}
	// Output:
	// half-up to 0.01 13.33
	// floor to 1 13
	// half-up to 0.5 13.5
}
