package payroll

import (
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Leave type names used by the Bangladesh presets.
const (
	LeaveCasual       = "casual"
	LeaveSick         = "sick"
	LeaveEarned       = "earned"
	LeaveFestival     = "festival"
	LeaveCompensatory = "compensatory"
)

// LeavePolicy is the entitlement rule of one leave type. A policy accrues either
// Annual days per calendar year (optionally prorated for joiners) or one day per
// PerDaysWorked days worked; ServiceYears delays accrual until that much service.
// At year end, unused days carry forward up to CarryCap (zero cap = no limit)
// when CarryForward is set; the rest expire. Rounding is the accrual rounding
// rule (0.25, 0.5 or 1 day; half-up, half-even or floor), zero = 2 places half-up.
type LeavePolicy struct {
	Type           string
	Annual         decimal.Decimal
	ProrateJoiners bool
	PerDaysWorked  decimal.Decimal
	ServiceYears   int
	CarryForward   bool
	CarryCap       decimal.Decimal
	Rounding       Rounding
}

// BangladeshLeave returns the Labour Act leave policies: casual 10 days a year
// (prorated for joiners, not carried), sick 14 (not prorated, not carried), earned 1 day per
// 18 days worked after one year of service carried up to earnedCap (40 or 60
// depending on the establishment), and 11 festival holidays a year.
func BangladeshLeave(earnedCap decimal.Decimal, accrual Rounding) []LeavePolicy {
	return []LeavePolicy{
		{Type: LeaveCasual, Annual: dec("10"), ProrateJoiners: true, Rounding: accrual},
		{Type: LeaveSick, Annual: dec("14"), Rounding: accrual},
		{Type: LeaveEarned, PerDaysWorked: dec("18"), ServiceYears: 1, CarryForward: true, CarryCap: earnedCap, Rounding: accrual},
		{Type: LeaveFestival, Annual: dec("11")},
	}
}

// PolicyFor returns the policy of the given type.
func PolicyFor(policies []LeavePolicy, leaveType string) (LeavePolicy, error) {
	for _, p := range policies {
		if p.Type == leaveType {
			return p, nil
		}
	}
	return LeavePolicy{}, fmt.Errorf("%w: %q", ErrUnknownLeaveType, leaveType)
}

func (p LeavePolicy) rounding() Rounding {
	if p.Rounding.IsZero() {
		return HalfUpTo(Places(2))
	}
	return p.Rounding
}

func (p LeavePolicy) validate() error {
	if p.Annual.Sign() < 0 || p.PerDaysWorked.Sign() < 0 || p.CarryCap.Sign() < 0 || p.ServiceYears < 0 {
		return &ParameterError{Rule: "LeavePolicy." + p.Type, Value: "negative", Why: "entitlements, caps and service must not be negative"}
	}
	if p.Annual.IsZero() == p.PerDaysWorked.IsZero() {
		return &ParameterError{Rule: "LeavePolicy." + p.Type, Value: "Annual/PerDaysWorked", Why: "exactly one accrual method"}
	}
	return p.Rounding.Validate()
}

func anniversary(joined Date, years int) Date {
	return DateOf(time.Date(joined.Year+years, joined.Month, joined.Day, 0, 0, 0, 0, time.UTC))
}

// AnnualEntitlement returns the days of an Annual policy for a calendar year.
// A joiner in that year (with ProrateJoiners) gets Annual x days from joining to
// 31 December (inclusive) / days in the year, rounded by the policy. Someone who
// joins after the year gets zero.
func (p LeavePolicy) AnnualEntitlement(year int, joined Date) (decimal.Decimal, error) {
	if err := p.validate(); err != nil {
		return decimal.Zero, err
	}
	if p.Annual.IsZero() {
		return decimal.Zero, &ParameterError{Rule: "LeavePolicy." + p.Type, Value: "Annual=0", Why: "not an annual policy"}
	}
	if joined.Year > year || anniversary(joined, p.ServiceYears).Year > year {
		return decimal.Zero, nil
	}
	if joined.Year < year || !p.ProrateJoiners {
		return p.Annual, nil
	}
	total := daysInYear(year)
	left := NewDate(year, time.December, 31).DaysSince(joined) + 1
	v := p.Annual.Mul(decimal.NewFromInt(int64(left))).DivRound(decimal.NewFromInt(int64(total)), quotientPlaces)
	return p.rounding().Round(v), nil
}

// EarnedAccrual returns the days a PerDaysWorked policy accrues for daysWorked,
// provided the employee has ServiceYears of service on asOf (else zero):
// daysWorked / PerDaysWorked rounded by the policy. 240 days at 1 per 18 ->
// 13.33 (2 places) or 13 (floor to 1): flooring is a policy choice.
func (p LeavePolicy) EarnedAccrual(daysWorked decimal.Decimal, joined, asOf Date) (decimal.Decimal, error) {
	if err := p.validate(); err != nil {
		return decimal.Zero, err
	}
	if p.PerDaysWorked.IsZero() {
		return decimal.Zero, &ParameterError{Rule: "LeavePolicy." + p.Type, Value: "PerDaysWorked=0", Why: "not a days-worked policy"}
	}
	if err := checkNonNegative("daysWorked", daysWorked); err != nil {
		return decimal.Zero, err
	}
	if asOf.Before(anniversary(joined, p.ServiceYears)) {
		return decimal.Zero, nil
	}
	return p.rounding().Round(daysWorked.DivRound(p.PerDaysWorked, quotientPlaces)), nil
}

// Compensation is what working festival holidays earns: compensatory leave days
// (2 per festival holiday worked) and substitute holidays (1 per festival).
type Compensation struct {
	CompensatoryDays decimal.Decimal
	SubstituteDays   decimal.Decimal
}

// FestivalCompensation returns the compensation for working festival holidays
// (Bangladesh Labour Act s.118: two compensatory days and a substitute holiday).
func FestivalCompensation(festivalsWorked int) (Compensation, error) {
	if festivalsWorked < 0 {
		return Compensation{}, &NegativeError{Field: "festivalsWorked", Value: fmt.Sprint(festivalsWorked)}
	}
	n := decimal.NewFromInt(int64(festivalsWorked))
	return Compensation{CompensatoryDays: n.Mul(dec("2")), SubstituteDays: n}, nil
}

// LeaveEntryKind says what a leave history entry did to a balance.
type LeaveEntryKind int

// Leave entry kinds. Accrued adds; Taken, Encashed and Expired subtract.
const (
	Accrued LeaveEntryKind = iota + 1
	Taken
	Encashed
	Expired
)

// String returns the kind's name.
func (k LeaveEntryKind) String() string {
	switch k {
	case Accrued:
		return "accrued"
	case Taken:
		return "taken"
	case Encashed:
		return "encashed"
	case Expired:
		return "expired"
	}
	return fmt.Sprintf("LeaveEntryKind(%d)", int(k))
}

// LeaveEntry is one event in a leave history. Days is always positive; Kind
// gives the sign.
type LeaveEntry struct {
	Date Date
	Type string
	Kind LeaveEntryKind
	Days decimal.Decimal
}

// LeaveBalance is the balance of one leave type:
// Balance = Accrued - Taken - Encashed - Expired.
type LeaveBalance struct {
	Type     string
	Accrued  decimal.Decimal
	Taken    decimal.Decimal
	Encashed decimal.Decimal
	Expired  decimal.Decimal
	Balance  decimal.Decimal
}

// Overdrawn reports whether more was taken, encashed or expired than accrued.
func (b LeaveBalance) Overdrawn() bool { return b.Balance.Sign() < 0 }

// LeaveBalances folds a leave history into balances per type, counting entries
// dated on or before asOf (a zero asOf counts all).
func LeaveBalances(entries []LeaveEntry, asOf Date) (map[string]LeaveBalance, error) {
	out := map[string]LeaveBalance{}
	for i, e := range entries {
		if e.Type == "" || e.Days.Sign() < 0 || e.Kind < Accrued || e.Kind > Expired {
			return nil, fmt.Errorf("%w: entry %d (%s %s %s)", ErrInvalidLeaveEntry, i, e.Type, e.Kind, e.Days)
		}
		if !asOf.IsZero() && e.Date.After(asOf) {
			continue
		}
		b := out[e.Type]
		b.Type = e.Type
		switch e.Kind {
		case Accrued:
			b.Accrued = b.Accrued.Add(e.Days)
		case Taken:
			b.Taken = b.Taken.Add(e.Days)
		case Encashed:
			b.Encashed = b.Encashed.Add(e.Days)
		case Expired:
			b.Expired = b.Expired.Add(e.Days)
		}
		b.Balance = b.Accrued.Sub(b.Taken).Sub(b.Encashed).Sub(b.Expired)
		out[e.Type] = b
	}
	return out, nil
}

// YearEnd closes a leave year for one type: it returns the Expired entry (dated
// yearEnd) for the part of a positive balance the policy does not carry forward,
// and the days carried. Policies without CarryForward expire everything.
func (p LeavePolicy) YearEnd(b LeaveBalance, yearEnd Date) (expiry *LeaveEntry, carried decimal.Decimal) {
	if b.Balance.Sign() <= 0 {
		return nil, decimal.Zero
	}
	carried = decimal.Zero
	if p.CarryForward {
		carried = b.Balance
		if !p.CarryCap.IsZero() && carried.GreaterThan(p.CarryCap) {
			carried = p.CarryCap
		}
	}
	lost := b.Balance.Sub(carried)
	if lost.Sign() == 0 {
		return nil, carried
	}
	return &LeaveEntry{Date: yearEnd, Type: b.Type, Kind: Expired, Days: lost}, carried
}

// SortLeave sorts entries by date, keeping the order of entries on the same date.
func SortLeave(entries []LeaveEntry) {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Date.Before(entries[j].Date) })
}
