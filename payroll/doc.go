// Package payroll is the calculation core of HR and payroll: pure functions and
// rule sets, with no storage and no I/O. Employees, attendance storage, payroll
// runs and ledger posting build on it.
//
// The pieces, in the order a payroll uses them:
//
//   - Rosters: a [Pattern] of [ShiftSpec] days (fixed day or night, [DuPont],
//     [Pitman] 2-2-3, or any [Cycle]) placed on a site by a [Roster] with crews and
//     a time zone; [Roster.Schedule] lists a crew's shifts, night shifts crossing
//     midnight; [HoursByDate], [HoursByWeek] and [Pattern.CycleHours] total them.
//   - Attendance: [Attend] pairs clock-in/out [Punch] records into worked hours per
//     shift date ([DayHours]): worked, scheduled, night, rest-day and holiday hours.
//     Unpaired punches are reported ([Attendance.Complete]), never guessed.
//   - Rule sets, selectable per employee: [Bangladesh] (Labour Act 2006: 8 h/48 h,
//     overtime 2x basic + dearness over a 208-hour divisor, 10 h/60 h flags,
//     [FestivalBonus]) and [Indonesia] (wage / 173, workday 1.5x then 2x, rest-day
//     and holiday ladders, mining roster fixed daily overtime).
//   - Leave: [LeavePolicy] entitlements (casual, sick, earned per days worked,
//     festival), accrual [Rounding] rules, [LeaveBalances] from a history of
//     accruals, leave taken, encashment and expiry, and [LeavePolicy.YearEnd].
//   - Salary structures: [Component] earnings and deductions with conditions and
//     formulas in the small expression language of package
//     github.com/erpkit/erpkit/payroll/formula; [Compile] checks names, types and
//     cycles once; [Compiled.Payslip] computes a traceable [Payslip].
//   - Withholding tax: Bangladesh salary tax tables by assessment year
//     ([BDTaxYear], [BangladeshWithholder]) and Indonesian PPh 21 ([TERRate],
//     [DecemberPPh21], [TERWithholder]) with BPJS [JHT].
//
// Every amount, rate and number of hours is a decimal.Decimal; every rounding is
// a named [Rounding] rule (half-up, which is Go's math.Round; half-even, which is
// Python's round; floor; ceil; truncate) to a step such as 0.01, 0.25, 0.5 or 1.
// Bad input returns the sentinel errors in errors.go (match with errors.Is) or a
// typed error carrying details (errors.As).
//
// Time zones come from the caller (time.LoadLocation("Asia/Dhaka")); programs that
// may run without system zoneinfo should import _ "time/tzdata".
//
// A payslip in brief:
//
//	c, err := payroll.Compile(payroll.Structure{Components: []payroll.Component{
//		{Code: "B", Kind: payroll.Earning, Formula: "base", DependsOnPaymentDays: true},
//		{Code: "PF", Kind: payroll.Deduction, Formula: "round(B * 0.1, 2)"},
//	}})
//	ot, err := payroll.Bangladesh{}.Overtime(payroll.Wage{Basic: basic}, attendance.Days)
//	slip, err := c.Payslip(payroll.SlipInput{Base: basic, WorkingDays: days,
//		LeaveWithoutPay: lwp, Overtime: &ot, Tax: withholder})
//
// See docs/payroll.md for a guide.
package payroll
