package payroll_test

import (
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/payroll"
)

// properties returns gopter properties with a fresh seed; gopter prints the
// seed when a property fails ("failed with initial seed: N"); replay it with
// gopter.DefaultTestParametersWithSeed.
func properties(t *testing.T) *gopter.Properties {
	t.Helper()
	p := gopter.DefaultTestParameters()
	p.MinSuccessfulTests = 200
	t.Logf("gopter seed %d", p.Seed())
	return gopter.NewProperties(p)
}

func minor(x int64) decimal.Decimal { return decimal.New(x, -2) }

func TestPropertyNetIsGrossMinusDeductions(t *testing.T) {
	t.Parallel()
	c := mustCompile(t, payroll.Structure{
		Variables: []string{"loan"},
		Components: []payroll.Component{
			{Code: "B", Kind: payroll.Earning, Formula: "base * 0.6", DependsOnPaymentDays: true},
			{Code: "HRA", Kind: payroll.Earning, Formula: "B * 0.5", DependsOnPaymentDays: true},
			{Code: "MED", Kind: payroll.Earning, Amount: d("1500")},
			{Code: "BONUS", Kind: payroll.Earning, Condition: "base > 50000", Formula: "round(base / 12, 0)"},
			{Code: "PF", Kind: payroll.Deduction, Formula: "round(B * 0.1, 2)"},
			{Code: "LOAN", Kind: payroll.Deduction, Condition: "loan > 0", Formula: "min(loan, B)"},
		},
	})
	props := properties(t)
	props.Property("net = gross - deductions; gross and deductions are the line sums", prop.ForAll(
		func(base, loan, ot int64, wd, lwp int, taxPct int64) bool {
			if lwp > wd {
				lwp = wd
			}
			slip, err := c.Payslip(payroll.SlipInput{
				Base: minor(base), WorkingDays: decimal.NewFromInt(int64(wd)), LeaveWithoutPay: decimal.NewFromInt(int64(lwp)),
				Vars:     map[string]decimal.Decimal{"loan": minor(loan)},
				Overtime: &payroll.OvertimeResult{Pay: minor(ot)},
				Tax:      flatTax{decimal.New(taxPct, -2)},
			})
			if err != nil {
				t.Log(err)
				return false
			}
			gross, ded := decimal.Zero, decimal.Zero
			for _, l := range slip.Lines {
				if l.Kind == payroll.Earning {
					gross = gross.Add(l.Amount)
				} else {
					ded = ded.Add(l.Amount)
				}
			}
			return slip.Net.Equal(slip.Gross.Sub(slip.Deductions)) && gross.Equal(slip.Gross) && ded.Equal(slip.Deductions)
		},
		gen.Int64Range(0, 100_000_000), gen.Int64Range(0, 5_000_000), gen.Int64Range(0, 10_000_000),
		gen.IntRange(1, 31), gen.IntRange(0, 31), gen.Int64Range(0, 30),
	))
	props.TestingRun(t)
}

func TestPropertyOvertimeNonNegative(t *testing.T) {
	t.Parallel()
	start := payroll.NewDate(2025, time.January, 1)
	props := properties(t)
	props.Property("Bangladesh overtime hours and pay >= 0", prop.ForAll(
		func(basic int64, quarters []int) bool {
			days := make([]payroll.DayHours, len(quarters))
			for i, q := range quarters {
				days[i] = payroll.DayHours{Date: start.AddDays(i), Worked: decimal.New(int64(q)*25, -2)}
			}
			res, err := payroll.Bangladesh{}.Overtime(payroll.Wage{Basic: minor(basic)}, days)
			return err == nil && res.Hours.Sign() >= 0 && res.Pay.Sign() >= 0
		},
		gen.Int64Range(0, 50_000_000), gen.SliceOf(gen.IntRange(0, 96)),
	))
	props.Property("Indonesia overtime pay >= 0 on every kind of day", prop.ForAll(
		func(basic int64, quarters []int, six bool) bool {
			days := make([]payroll.OvertimeDay, len(quarters))
			for i, q := range quarters {
				days[i] = payroll.OvertimeDay{Date: start.AddDays(i), Kind: payroll.DayKind(i % 3), Hours: decimal.New(int64(q)*25, -2)}
			}
			res, err := payroll.Indonesia{SixDayWeek: six}.Overtime(payroll.Wage{Basic: minor(basic)}, days)
			return err == nil && res.Weighted.Sign() >= 0 && res.Pay.Sign() >= 0
		},
		gen.Int64Range(0, 5_000_000_000), gen.SliceOf(gen.IntRange(0, 96)), gen.Bool(),
	))
	props.Property("Indonesia mining overtime >= 0", prop.ForAll(
		func(basic int64, h int) bool {
			pay, err := payroll.Indonesia{}.MiningDayPay(payroll.Wage{Basic: minor(basic)}, decimal.NewFromInt(int64(h)))
			return err == nil && pay.Sign() >= 0
		},
		gen.Int64Range(0, 5_000_000_000), gen.IntRange(0, 11),
	))
	props.TestingRun(t)
}

func TestPropertyTaxNonDecreasing(t *testing.T) {
	t.Parallel()
	years := payroll.BDTaxYears()
	cats := []payroll.TaxpayerCategory{payroll.General, payroll.WomanOrSenior, payroll.Disabled, payroll.ThirdGender}
	locs := []payroll.TaxLocation{payroll.DhakaChattogramCity, payroll.OtherCity, payroll.OutsideCity}
	props := properties(t)
	props.Property("Bangladesh tax is non-decreasing in income", prop.ForAll(
		func(a, b int64, ci, li int, later bool) bool {
			if a > b {
				a, b = b, a
			}
			y := years["2024-25"]
			if later {
				y = years["2025-26"]
			}
			ta, _, err1 := y.SlabTax(minor(a), cats[ci])
			tb, _, err2 := y.SlabTax(minor(b), cats[ci])
			aa, err3 := y.AnnualTax(payroll.BDTaxInput{Salary: minor(a), Category: cats[ci], Location: locs[li]})
			ab, err4 := y.AnnualTax(payroll.BDTaxInput{Salary: minor(b), Category: cats[ci], Location: locs[li]})
			return err1 == nil && err2 == nil && err3 == nil && err4 == nil &&
				ta.LessThanOrEqual(tb) && aa.Tax.LessThanOrEqual(ab.Tax)
		},
		gen.Int64Range(0, 1_000_000_000), gen.Int64Range(0, 1_000_000_000), gen.IntRange(0, 3), gen.IntRange(0, 2), gen.Bool(),
	))
	props.Property("Indonesia Article 17 and TER tax are non-decreasing in income", prop.ForAll(
		func(a, b int64, ci int) bool {
			if a > b {
				a, b = b, a
			}
			cat := []payroll.TERCategory{payroll.TERA, payroll.TERB, payroll.TERC}[ci]
			ta, err1 := payroll.Article17(decimal.NewFromInt(a))
			tb, err2 := payroll.Article17(decimal.NewFromInt(b))
			ra, err3 := payroll.TERRate(cat, decimal.NewFromInt(a/10))
			rb, err4 := payroll.TERRate(cat, decimal.NewFromInt(b/10))
			return err1 == nil && err2 == nil && err3 == nil && err4 == nil && ta.LessThanOrEqual(tb) &&
				ra.Mul(decimal.NewFromInt(a/10)).LessThanOrEqual(rb.Mul(decimal.NewFromInt(b/10)))
		},
		gen.Int64Range(0, 20_000_000_000), gen.Int64Range(0, 20_000_000_000), gen.IntRange(0, 2),
	))
	props.TestingRun(t)
}

func TestPropertyLeaveBalance(t *testing.T) {
	t.Parallel()
	props := properties(t)
	props.Property("balance = accrued - taken - encashed - expired", prop.ForAll(
		func(kinds []int, amounts []int) bool {
			n := min(len(kinds), len(amounts))
			entries := make([]payroll.LeaveEntry, n)
			acc, taken, enc, exp := decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
			for i := range n {
				days := decimal.New(int64(amounts[i])*25, -2)
				k := payroll.LeaveEntryKind(kinds[i])
				entries[i] = payroll.LeaveEntry{Date: payroll.NewDate(2025, 1, 1).AddDays(i), Type: "earned", Kind: k, Days: days}
				switch k {
				case payroll.Accrued:
					acc = acc.Add(days)
				case payroll.Taken:
					taken = taken.Add(days)
				case payroll.Encashed:
					enc = enc.Add(days)
				case payroll.Expired:
					exp = exp.Add(days)
				}
			}
			b, err := payroll.LeaveBalances(entries, payroll.Date{})
			if err != nil {
				return false
			}
			got := b["earned"]
			return got.Balance.Equal(acc.Sub(taken).Sub(enc).Sub(exp)) && got.Accrued.Equal(acc) && got.Expired.Equal(exp)
		},
		gen.SliceOf(gen.IntRange(1, 4)), gen.SliceOf(gen.IntRange(0, 400)),
	))
	props.Property("year end leaves at most the cap and expires the rest", prop.ForAll(
		func(accrued, taken, capDays int) bool {
			p := payroll.LeavePolicy{Type: "earned", PerDaysWorked: d("18"), CarryForward: true, CarryCap: decimal.NewFromInt(int64(capDays))}
			entries := []payroll.LeaveEntry{
				{Type: "earned", Kind: payroll.Accrued, Days: decimal.NewFromInt(int64(accrued))},
				{Type: "earned", Kind: payroll.Taken, Days: decimal.NewFromInt(int64(taken))},
			}
			b, _ := payroll.LeaveBalances(entries, payroll.Date{})
			e, carried := p.YearEnd(b["earned"], payroll.NewDate(2025, 12, 31))
			if e != nil {
				entries = append(entries, *e)
			}
			after, _ := payroll.LeaveBalances(entries, payroll.Date{})
			bal := after["earned"].Balance
			if b["earned"].Balance.Sign() <= 0 {
				return bal.Equal(b["earned"].Balance)
			}
			return bal.Equal(carried) && (capDays == 0 || bal.LessThanOrEqual(decimal.NewFromInt(int64(capDays))))
		},
		gen.IntRange(0, 200), gen.IntRange(0, 200), gen.IntRange(0, 60),
	))
	props.TestingRun(t)
}

func TestPropertyRosterCycleHours(t *testing.T) {
	t.Parallel()
	dhaka := loc(t, "Asia/Dhaka")
	jakarta := loc(t, "Asia/Jakarta")
	props := properties(t)
	props.Property("a crew's hours over any whole cycle equal the pattern's", prop.ForAll(
		func(starts, lengths []int, offset, shift int, inDhaka bool) bool {
			n := min(len(starts), len(lengths))
			if n == 0 {
				return true
			}
			cycle := make([]payroll.ShiftSpec, n)
			for i := range n {
				cycle[i] = payroll.ShiftSpec{Start: time.Duration(starts[i]) * 15 * time.Minute, Length: time.Duration(lengths[i]) * 15 * time.Minute}
			}
			l := jakarta
			if inDhaka {
				l = dhaka
			}
			r := payroll.Roster{Pattern: payroll.Pattern{Cycle: cycle}, Anchor: payroll.NewDate(2025, 3, 1), Location: l,
				Crews: []payroll.Crew{{Name: "A", Offset: offset}}}
			from := payroll.NewDate(2024, 1, 1).AddDays(shift)
			shifts, err := r.Schedule("A", from, from.AddDays(n-1))
			if err != nil {
				return false
			}
			total := decimal.Zero
			for _, h := range payroll.HoursByDate(shifts) {
				total = total.Add(h)
			}
			split := decimal.Zero
			for _, h := range payroll.HoursByCalendarDay(shifts) {
				split = split.Add(h)
			}
			return total.Equal(r.Pattern.CycleHours()) && split.Equal(total)
		},
		gen.SliceOfN(40, gen.IntRange(0, 95)), gen.SliceOf(gen.IntRange(0, 96)), gen.IntRange(-50, 50), gen.IntRange(0, 1000), gen.Bool(),
	))
	props.TestingRun(t)
}
