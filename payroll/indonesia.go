package payroll

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"
)

// Tier is one step of an overtime ladder: Hours hours (zero = every remaining
// hour) paid at Multiplier times the hourly rate.
type Tier struct {
	Hours      decimal.Decimal
	Multiplier decimal.Decimal
}

// MiningRate is the fixed daily overtime of a mining roster day of Hours hours:
// Multiplier times the hourly rate, whatever the hours actually worked beyond normal.
type MiningRate struct {
	Hours      int
	Multiplier decimal.Decimal
}

// Indonesia is the Indonesian rule set (UU 13/2003 as amended, PP 35/2021,
// KEP.234/MEN/2003): hourly rate = monthly wage / 173; workday overtime 1.5x the
// first hour then 2x; rest day and public holiday ladders by work week; mining
// rosters paid a fixed daily overtime by roster day length.
//
// The zero value uses the defaults below; set a field to override it.
type Indonesia struct {
	Divisor decimal.Decimal // default 173
	// SixDayWeek selects the rest-day ladder for a 6-day work week (7 h days);
	// false is the 5-day week (8 h days).
	SixDayWeek bool
	Workday    []Tier       // default 1 h at 1.5, then 2
	RestDay    []Tier       // default by work week, see RestDayTiers
	Mining     []MiningRate // default 9 h 3.5, 10 h 5.5, 11 h 7.5
	// DailyLimit and WeeklyLimit flag overtime hours over 4 a day and 18 a week.
	DailyLimit  decimal.Decimal
	WeeklyLimit decimal.Decimal
	// Rounding of amounts; default half-up to 1 rupiah.
	Rounding Rounding
}

// RestDayTiers returns the rest-day and public-holiday ladder (PP 35/2021 art. 31):
// 6-day week: first 7 h 2x, 8th h 3x, 9th-10th 4x; 5-day week: first 8 h 2x,
// 9th h 3x, 10th-11th 4x. Hours past the ladder stay at 4x (and are flagged by
// the daily limit).
func RestDayTiers(sixDayWeek bool) []Tier {
	if sixDayWeek {
		return []Tier{{dec("7"), dec("2")}, {dec("1"), dec("3")}, {decimal.Zero, dec("4")}}
	}
	return []Tier{{dec("8"), dec("2")}, {dec("1"), dec("3")}, {decimal.Zero, dec("4")}}
}

// MiningRates returns the default fixed daily overtime table for mining rosters
// (KEP.234/MEN/2003): 3.5x, 5.5x and 7.5x the hourly rate for 9, 10 and 11 hour
// days. A 12-hour day is not in the reference and must be added by the caller.
func MiningRates() []MiningRate {
	return []MiningRate{{9, dec("3.5")}, {10, dec("5.5")}, {11, dec("7.5")}}
}

// IndonesiaDefaults returns the rule set with every default filled in.
func IndonesiaDefaults() Indonesia { return Indonesia{}.withDefaults() }

func (r Indonesia) withDefaults() Indonesia {
	r.Divisor = orDefault(r.Divisor, "173")
	if r.Workday == nil {
		r.Workday = []Tier{{dec("1"), dec("1.5")}, {decimal.Zero, dec("2")}}
	}
	if r.RestDay == nil {
		r.RestDay = RestDayTiers(r.SixDayWeek)
	}
	if r.Mining == nil {
		r.Mining = MiningRates()
	}
	r.DailyLimit = orDefault(r.DailyLimit, "4")
	r.WeeklyLimit = orDefault(r.WeeklyLimit, "18")
	if r.Rounding.IsZero() {
		r.Rounding = HalfUpTo(decimal.NewFromInt(1))
	}
	return r
}

func (r Indonesia) validate() error {
	if r.Divisor.Sign() <= 0 {
		return &ParameterError{Rule: "Indonesia.Divisor", Value: r.Divisor.String(), Why: "must be positive"}
	}
	for name, tiers := range map[string][]Tier{"Workday": r.Workday, "RestDay": r.RestDay} {
		if len(tiers) == 0 {
			return &ParameterError{Rule: "Indonesia." + name, Value: "[]", Why: "empty ladder"}
		}
		for i, t := range tiers {
			if t.Hours.Sign() < 0 || t.Multiplier.Sign() < 0 || (t.Hours.IsZero() && i != len(tiers)-1) {
				return &ParameterError{Rule: "Indonesia." + name, Value: strconv.Itoa(i), Why: "tier hours and multiplier must be non-negative; only the last tier may be open"}
			}
		}
	}
	return r.Rounding.Validate()
}

// HourlyRate returns the hourly wage: (basic + fixed allowances) / divisor,
// unrounded. 8,650,000 / 173 = 50,000.
func (r Indonesia) HourlyRate(w Wage) (decimal.Decimal, error) {
	r = r.withDefaults()
	if err := r.validate(); err != nil {
		return decimal.Zero, err
	}
	if err := w.check(); err != nil {
		return decimal.Zero, err
	}
	return w.Basic.Add(w.Fixed).DivRound(r.Divisor, quotientPlaces), nil
}

// weighted returns sum(hours in tier x multiplier) for hours climbing the ladder.
func weighted(tiers []Tier, hours decimal.Decimal) decimal.Decimal {
	left := hours
	total := decimal.Zero
	for _, t := range tiers {
		if left.Sign() <= 0 {
			break
		}
		h := left
		if !t.Hours.IsZero() && t.Hours.LessThan(h) {
			h = t.Hours
		}
		total = total.Add(h.Mul(t.Multiplier))
		left = left.Sub(h)
	}
	if left.Sign() > 0 { // ladder closed: the rest at the last multiplier
		total = total.Add(left.Mul(tiers[len(tiers)-1].Multiplier))
	}
	return total
}

// OvertimeDay is one day of Indonesian overtime: on a workday Hours are the
// overtime hours beyond normal; on a rest day or holiday they are all hours worked.
type OvertimeDay struct {
	Date  Date
	Kind  DayKind
	Hours decimal.Decimal
}

// Overtime pays the overtime of a period: workday hours climb the Workday
// ladder, rest-day and holiday hours the RestDay ladder, each day separately.
// Pay is rounded once on the total. Days over DailyLimit overtime hours and weeks
// (Monday start) over WeeklyLimit are flagged.
func (r Indonesia) Overtime(w Wage, days []OvertimeDay) (OvertimeResult, error) {
	r = r.withDefaults()
	rate, err := r.HourlyRate(w)
	if err != nil {
		return OvertimeResult{}, err
	}
	sorted := append([]OvertimeDay(nil), days...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date.Before(sorted[j].Date) })
	res := OvertimeResult{Rate: rate}
	weeks := map[Date]decimal.Decimal{}
	var order []Date
	for _, d := range sorted {
		if err := checkNonNegative("OvertimeDay.Hours", d.Hours); err != nil {
			return OvertimeResult{}, err
		}
		tiers := r.Workday
		if d.Kind != Workday {
			tiers = r.RestDay
		}
		res.Hours = res.Hours.Add(d.Hours)
		res.Weighted = res.Weighted.Add(weighted(tiers, d.Hours))
		if d.Hours.GreaterThan(r.DailyLimit) {
			res.Flags = append(res.Flags, Flag{Date: d.Date, Code: FlagIDDailyLimit, Hours: d.Hours, Limit: r.DailyLimit})
		}
		ws := weekStart(d.Date, 1)
		if _, ok := weeks[ws]; !ok {
			order = append(order, ws)
		}
		weeks[ws] = weeks[ws].Add(d.Hours)
	}
	for _, ws := range order {
		if weeks[ws].GreaterThan(r.WeeklyLimit) {
			res.Flags = append(res.Flags, Flag{Date: ws, Code: FlagIDWeeklyLimit, Hours: weeks[ws], Limit: r.WeeklyLimit})
		}
	}
	res.Pay = r.Rounding.Round(w.Basic.Add(w.Fixed).Mul(res.Weighted).DivRound(r.Divisor, quotientPlaces))
	res.Trace = "(" + w.Basic.String() + " + " + w.Fixed.String() + ") / " + r.Divisor.String() +
		" x " + res.Weighted.String() + " weighted h, " + r.Rounding.String()
	return res, nil
}

// OvertimeFromHours turns attendance days into overtime days: on a workday the
// hours worked beyond normal (normal = the scheduled hours, or normalHours when
// none were scheduled), on rest days and holidays every hour worked.
func OvertimeFromHours(days []DayHours, normalHours decimal.Decimal) []OvertimeDay {
	out := make([]OvertimeDay, 0, len(days))
	for _, d := range days {
		h := d.Worked
		if d.Kind == Workday {
			normal := d.Scheduled
			if normal.IsZero() || normal.GreaterThan(normalHours) {
				normal = normalHours
			}
			h = d.Worked.Sub(normal)
			if h.Sign() < 0 {
				h = decimal.Zero
			}
		}
		out = append(out, OvertimeDay{Date: d.Date, Kind: d.Kind, Hours: h})
	}
	return out
}

// MiningMultiplier returns the fixed daily overtime multiplier for a roster day
// of the given length; hours with no table entry give ErrNoRosterRate, hours at
// or below the shortest normal day (8) give zero.
func (r Indonesia) MiningMultiplier(rosterHours decimal.Decimal) (decimal.Decimal, error) {
	r = r.withDefaults()
	if err := checkNonNegative("rosterHours", rosterHours); err != nil {
		return decimal.Zero, err
	}
	if rosterHours.LessThanOrEqual(dec("8")) {
		return decimal.Zero, nil
	}
	for _, m := range r.Mining {
		if rosterHours.Equal(decimal.NewFromInt(int64(m.Hours))) {
			return m.Multiplier, nil
		}
	}
	return decimal.Zero, fmt.Errorf("%w: %s h", ErrNoRosterRate, rosterHours)
}

// MiningDayPay returns the fixed overtime of one mining roster day:
// multiplier(rosterHours) x wage / divisor. Wage 8,650,000 and an 11 h day ->
// 7.5 x 50,000 = 375,000.
func (r Indonesia) MiningDayPay(w Wage, rosterHours decimal.Decimal) (decimal.Decimal, error) {
	r = r.withDefaults()
	if err := r.validate(); err != nil {
		return decimal.Zero, err
	}
	if err := w.check(); err != nil {
		return decimal.Zero, err
	}
	m, err := r.MiningMultiplier(rosterHours)
	if err != nil {
		return decimal.Zero, err
	}
	return r.Rounding.Round(w.Basic.Add(w.Fixed).Mul(m).DivRound(r.Divisor, quotientPlaces)), nil
}

// MiningOvertime pays a period of mining roster days: every workday with hours
// worked earns the fixed daily overtime of its scheduled roster length. Pay is
// rounded once on the total.
func (r Indonesia) MiningOvertime(w Wage, days []DayHours) (OvertimeResult, error) {
	r = r.withDefaults()
	rate, err := r.HourlyRate(w)
	if err != nil {
		return OvertimeResult{}, err
	}
	res := OvertimeResult{Rate: rate}
	for _, d := range days {
		if d.Kind != Workday || d.Worked.Sign() <= 0 {
			continue
		}
		m, err := r.MiningMultiplier(d.Scheduled)
		if err != nil {
			return OvertimeResult{}, fmt.Errorf("%s: %w", d.Date, err)
		}
		if m.Sign() > 0 {
			res.Hours = res.Hours.Add(d.Scheduled.Sub(dec("7")))
		}
		res.Weighted = res.Weighted.Add(m)
	}
	res.Pay = r.Rounding.Round(w.Basic.Add(w.Fixed).Mul(res.Weighted).DivRound(r.Divisor, quotientPlaces))
	res.Trace = "(" + w.Basic.String() + " + " + w.Fixed.String() + ") / " + r.Divisor.String() +
		" x " + res.Weighted.String() + " (fixed roster multipliers), " + r.Rounding.String()
	return res, nil
}
