package payroll

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Bangladesh is the Bangladesh Labour Act 2006 rule set: 8 hours a day and 48 a
// week are normal; overtime is paid at twice the ordinary hourly rate of basic
// plus dearness allowance (and ad-hoc or interim pay), the hourly rate being the
// monthly amount divided by Divisor. More than 10 hours a day or 60 a week is
// flagged, not refused: 12-hour mine rosters exceed it and the employer must see it.
//
// The zero value uses the defaults below; set a field to override it.
type Bangladesh struct {
	Divisor      decimal.Decimal // monthly hours divisor; default 208 (practice, s.108 gives none)
	Multiplier   decimal.Decimal // overtime multiplier; default 2 (s.108)
	DailyNormal  decimal.Decimal // default 8 (s.100)
	WeeklyNormal decimal.Decimal // default 48 (s.102)
	DailyLimit   decimal.Decimal // default 10 (s.100, with overtime)
	WeeklyLimit  decimal.Decimal // default 60 (s.102, with overtime)
	// WeekStart is the first day of a pay week; the default (zero) is Sunday.
	WeekStart time.Weekday
	// Rounding of amounts; default half-up to 0.01.
	Rounding Rounding
}

// BangladeshDefaults returns the rule set with every default filled in.
func BangladeshDefaults() Bangladesh { return Bangladesh{}.withDefaults() }

func orDefault(d decimal.Decimal, def string) decimal.Decimal {
	if d.IsZero() {
		return dec(def)
	}
	return d
}

func (b Bangladesh) withDefaults() Bangladesh {
	b.Divisor = orDefault(b.Divisor, "208")
	b.Multiplier = orDefault(b.Multiplier, "2")
	b.DailyNormal = orDefault(b.DailyNormal, "8")
	b.WeeklyNormal = orDefault(b.WeeklyNormal, "48")
	b.DailyLimit = orDefault(b.DailyLimit, "10")
	b.WeeklyLimit = orDefault(b.WeeklyLimit, "60")
	if b.Rounding.IsZero() {
		b.Rounding = Cents()
	}
	return b
}

func (b Bangladesh) validate() error {
	for _, p := range []struct {
		name string
		v    decimal.Decimal
	}{{"Divisor", b.Divisor}, {"Multiplier", b.Multiplier}, {"DailyNormal", b.DailyNormal},
		{"WeeklyNormal", b.WeeklyNormal}, {"DailyLimit", b.DailyLimit}, {"WeeklyLimit", b.WeeklyLimit}} {
		if p.v.Sign() <= 0 {
			return &ParameterError{Rule: "Bangladesh." + p.name, Value: p.v.String(), Why: "must be positive"}
		}
	}
	return b.Rounding.Validate()
}

// Wage is the monthly pay an hourly or overtime rate is derived from. Bangladesh
// uses Basic + Dearness (dearness allowance plus any ad-hoc or interim pay);
// Indonesia uses Basic + Fixed (basic wage plus fixed allowances).
type Wage struct {
	Basic    decimal.Decimal
	Dearness decimal.Decimal // Bangladesh: dearness allowance, ad-hoc and interim pay
	Fixed    decimal.Decimal // Indonesia: fixed allowances (tunjangan tetap)
}

func (w Wage) check() error {
	if err := checkNonNegative("Wage.Basic", w.Basic); err != nil {
		return err
	}
	if err := checkNonNegative("Wage.Dearness", w.Dearness); err != nil {
		return err
	}
	return checkNonNegative("Wage.Fixed", w.Fixed)
}

// OvertimeRate returns the overtime pay for one hour, rounded by the rule set's
// Rounding (for display: amounts are computed from the unrounded rate).
// Basic 20,000 -> 20,000 / 208 x 2 = 192.31.
func (b Bangladesh) OvertimeRate(w Wage) (decimal.Decimal, error) {
	return b.OvertimePay(w, decimal.NewFromInt(1))
}

// OvertimePay returns the pay for the given overtime hours: (basic + dearness) x
// multiplier x hours / divisor, divided once and then rounded, so 10 hours on a
// basic of 20,000 is 1,923.08 (not 10 x 192.31).
func (b Bangladesh) OvertimePay(w Wage, hours decimal.Decimal) (decimal.Decimal, error) {
	b = b.withDefaults()
	if err := b.validate(); err != nil {
		return decimal.Zero, err
	}
	if err := w.check(); err != nil {
		return decimal.Zero, err
	}
	if err := checkNonNegative("hours", hours); err != nil {
		return decimal.Zero, err
	}
	num := w.Basic.Add(w.Dearness).Mul(b.Multiplier).Mul(hours)
	return b.Rounding.Round(num.DivRound(b.Divisor, quotientPlaces)), nil
}

// Flag is a rule violation found while computing overtime. Flags do not stop a
// calculation; they are reported for a person to act on.
type Flag struct {
	Date  Date   // the day, or the first day of the week for weekly flags
	Code  string // e.g. "BD_DAILY_LIMIT"
	Hours decimal.Decimal
	Limit decimal.Decimal
}

// Flag codes.
const (
	FlagBDDailyLimit  = "BD_DAILY_LIMIT"  // more than 10 h worked on a day
	FlagBDWeeklyLimit = "BD_WEEKLY_LIMIT" // more than 60 h worked in a week
	FlagIDDailyLimit  = "ID_DAILY_OT"     // more than 4 overtime hours on a day
	FlagIDWeeklyLimit = "ID_WEEKLY_OT"    // more than 18 overtime hours in a week
)

// OvertimeResult is the overtime of a period: hours, pay (rounded once, on the
// total), the weighted hours that were paid (hours x multiplier) and flags.
type OvertimeResult struct {
	Hours    decimal.Decimal // overtime hours
	Weighted decimal.Decimal // sum of hours x multiplier (the pay is Weighted x hourly rate)
	Pay      decimal.Decimal
	Rate     decimal.Decimal // the hourly rate (before multipliers), unrounded
	Flags    []Flag
	Trace    string // how the pay was computed
}

// Overtime computes the overtime of a period of days. For each week (starting on
// WeekStart) the overtime hours are the larger of the sum of daily excesses over
// DailyNormal and the weekly excess over WeeklyNormal, so no hour is paid twice.
// Days worked over DailyLimit and weeks over WeeklyLimit are flagged.
func (b Bangladesh) Overtime(w Wage, days []DayHours) (OvertimeResult, error) {
	b = b.withDefaults()
	if err := b.validate(); err != nil {
		return OvertimeResult{}, err
	}
	if err := w.check(); err != nil {
		return OvertimeResult{}, err
	}
	sorted := append([]DayHours(nil), days...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date.Before(sorted[j].Date) })
	var res OvertimeResult
	type week struct{ worked, daily decimal.Decimal }
	weeks := map[Date]*week{}
	var order []Date
	for _, d := range sorted {
		if d.Date.IsZero() {
			return OvertimeResult{}, &ParameterError{Rule: "DayHours.Date", Value: "zero", Why: "every day needs a date"}
		}
		if err := checkNonNegative("DayHours.Worked", d.Worked); err != nil {
			return OvertimeResult{}, err
		}
		ws := weekStart(d.Date, b.WeekStart)
		wk, ok := weeks[ws]
		if !ok {
			wk = &week{}
			weeks[ws] = wk
			order = append(order, ws)
		}
		wk.worked = wk.worked.Add(d.Worked)
		if ex := d.Worked.Sub(b.DailyNormal); ex.Sign() > 0 {
			wk.daily = wk.daily.Add(ex)
		}
		if d.Worked.GreaterThan(b.DailyLimit) {
			res.Flags = append(res.Flags, Flag{Date: d.Date, Code: FlagBDDailyLimit, Hours: d.Worked, Limit: b.DailyLimit})
		}
	}
	for _, ws := range order {
		wk := weeks[ws]
		ot := wk.daily
		if ex := wk.worked.Sub(b.WeeklyNormal); ex.GreaterThan(ot) {
			ot = ex
		}
		res.Hours = res.Hours.Add(ot)
		if wk.worked.GreaterThan(b.WeeklyLimit) {
			res.Flags = append(res.Flags, Flag{Date: ws, Code: FlagBDWeeklyLimit, Hours: wk.worked, Limit: b.WeeklyLimit})
		}
	}
	res.Weighted = res.Hours.Mul(b.Multiplier)
	res.Rate = w.Basic.Add(w.Dearness).DivRound(b.Divisor, quotientPlaces)
	pay, err := b.OvertimePay(w, res.Hours)
	if err != nil {
		return OvertimeResult{}, err
	}
	res.Pay = pay
	res.Trace = "(" + w.Basic.String() + " + " + w.Dearness.String() + ") x " + b.Multiplier.String() +
		" x " + res.Hours.String() + " h / " + b.Divisor.String() + ", " + b.Rounding.String()
	return res, nil
}

func weekStart(d Date, start time.Weekday) Date {
	back := (int(d.Weekday()) - int(start) + 7) % 7
	return d.AddDays(-back)
}

// BonusDecision is the outcome of a festival bonus check.
type BonusDecision struct {
	Eligible bool
	Amount   decimal.Decimal
	Reason   string
}

// FestivalBonus decides a Bangladesh festival bonus: two per year after one year
// of continuous service, each at most one month's basic. requested is what the
// employer's policy would pay (commonly one month's basic); it is capped at basic.
// paidThisYear is how many festival bonuses were already paid in the same year.
func FestivalBonus(basic, requested decimal.Decimal, joined, on Date, paidThisYear int) (BonusDecision, error) {
	if err := checkNonNegative("basic", basic); err != nil {
		return BonusDecision{}, err
	}
	if err := checkNonNegative("requested", requested); err != nil {
		return BonusDecision{}, err
	}
	if paidThisYear < 0 {
		return BonusDecision{}, &NegativeError{Field: "paidThisYear", Value: decimal.NewFromInt(int64(paidThisYear)).String()}
	}
	if on.Before(joined) {
		return BonusDecision{}, &ParameterError{Rule: "FestivalBonus", Value: on.String(), Why: "bonus date before joining date"}
	}
	oneYear := DateOf(time.Date(joined.Year+1, joined.Month, joined.Day, 0, 0, 0, 0, time.UTC))
	switch {
	case on.Before(oneYear):
		return BonusDecision{Reason: "less than one year of service (eligible from " + oneYear.String() + ")"}, nil
	case paidThisYear >= 2:
		return BonusDecision{Reason: "two festival bonuses already paid this year"}, nil
	}
	amt := requested
	reason := "eligible"
	if amt.GreaterThan(basic) {
		amt = basic
		reason = "eligible; capped at one month's basic"
	}
	return BonusDecision{Eligible: true, Amount: amt, Reason: reason}, nil
}
