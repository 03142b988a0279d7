package payroll_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
)

func policy(t *testing.T, r payroll.Rounding, typ string) payroll.LeavePolicy {
	t.Helper()
	p, err := payroll.PolicyFor(payroll.BangladeshLeave(d("40"), r), typ)
	require.NoError(t, err)
	return p
}

// Reference: 240 days worked -> 13.33 earned days (flooring is a policy option).
func TestEarnedLeaveGolden(t *testing.T) {
	t.Parallel()
	joined := payroll.NewDate(2023, time.January, 1)
	asOf := payroll.NewDate(2024, time.December, 31)
	tests := []struct {
		rule payroll.Rounding
		want string
	}{
		{payroll.Rounding{}, "13.33"},
		{payroll.HalfUpTo(payroll.Places(2)), "13.33"},
		{payroll.FloorTo(d("1")), "13"},
		{payroll.HalfUpTo(d("0.25")), "13.25"},
		{payroll.HalfUpTo(d("0.5")), "13.5"},
		{payroll.HalfUpTo(d("1")), "13"},
	}
	for _, tc := range tests {
		t.Run(tc.rule.String(), func(t *testing.T) {
			t.Parallel()
			got, err := policy(t, tc.rule, payroll.LeaveEarned).EarnedAccrual(d("240"), joined, asOf)
			require.NoError(t, err)
			requireDec(t, tc.want, got)
		})
	}
}

// 45 days / 18 = 2.5: half-up (Go's math.Round) gives 3, half-even (Python's round) 2.
func TestEarnedLeaveHalfUpVersusHalfEven(t *testing.T) {
	t.Parallel()
	joined, asOf := payroll.NewDate(2020, 1, 1), payroll.NewDate(2025, 1, 1)
	up, err := policy(t, payroll.HalfUpTo(d("1")), payroll.LeaveEarned).EarnedAccrual(d("45"), joined, asOf)
	require.NoError(t, err)
	requireDec(t, "3", up)
	even, err := policy(t, payroll.HalfEvenTo(d("1")), payroll.LeaveEarned).EarnedAccrual(d("45"), joined, asOf)
	require.NoError(t, err)
	requireDec(t, "2", even)
}

func TestEarnedLeaveNeedsOneYear(t *testing.T) {
	t.Parallel()
	p := policy(t, payroll.Rounding{}, payroll.LeaveEarned)
	joined := payroll.NewDate(2024, time.March, 1)
	got, err := p.EarnedAccrual(d("200"), joined, payroll.NewDate(2025, time.February, 28))
	require.NoError(t, err)
	requireDec(t, "0", got)
	got, err = p.EarnedAccrual(d("200"), joined, payroll.NewDate(2025, time.March, 1))
	require.NoError(t, err)
	requireDec(t, "11.11", got)
}

func TestAnnualEntitlement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		typ    string
		rule   payroll.Rounding
		year   int
		joined payroll.Date
		want   string
	}{
		{"casual full year", payroll.LeaveCasual, payroll.Rounding{}, 2025, payroll.NewDate(2020, 5, 1), "10"},
		{"casual joiner 1 July", payroll.LeaveCasual, payroll.Rounding{}, 2025, payroll.NewDate(2025, 7, 1), "5.04"}, // 184/365
		{"casual joiner half days", payroll.LeaveCasual, payroll.HalfUpTo(d("0.5")), 2025, payroll.NewDate(2025, 7, 1), "5"},
		{"casual joiner 1 Jan", payroll.LeaveCasual, payroll.Rounding{}, 2025, payroll.NewDate(2025, 1, 1), "10"},
		{"casual joiner leap year", payroll.LeaveCasual, payroll.Rounding{}, 2024, payroll.NewDate(2024, 7, 1), "5.03"}, // 184/366
		{"casual future joiner", payroll.LeaveCasual, payroll.Rounding{}, 2025, payroll.NewDate(2026, 1, 1), "0"},
		{"sick joiner not prorated", payroll.LeaveSick, payroll.Rounding{}, 2025, payroll.NewDate(2025, 7, 1), "14"},
		{"festival", payroll.LeaveFestival, payroll.Rounding{}, 2025, payroll.NewDate(2010, 1, 1), "11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := policy(t, tc.rule, tc.typ).AnnualEntitlement(tc.year, tc.joined)
			require.NoError(t, err)
			requireDec(t, tc.want, got)
		})
	}
}

func TestFestivalCompensation(t *testing.T) {
	t.Parallel()
	c, err := payroll.FestivalCompensation(2)
	require.NoError(t, err)
	requireDec(t, "4", c.CompensatoryDays)
	requireDec(t, "2", c.SubstituteDays)
	_, err = payroll.FestivalCompensation(-1)
	require.ErrorIs(t, err, payroll.ErrNegative)
}

func TestLeaveBalancesAndYearEnd(t *testing.T) {
	t.Parallel()
	y := func(m time.Month, day int) payroll.Date { return payroll.NewDate(2025, m, day) }
	entries := []payroll.LeaveEntry{
		{Date: y(1, 1), Type: payroll.LeaveEarned, Kind: payroll.Accrued, Days: d("50")},
		{Date: y(3, 5), Type: payroll.LeaveEarned, Kind: payroll.Taken, Days: d("3")},
		{Date: y(6, 30), Type: payroll.LeaveEarned, Kind: payroll.Encashed, Days: d("2")},
		{Date: y(1, 1), Type: payroll.LeaveCasual, Kind: payroll.Accrued, Days: d("10")},
		{Date: y(2, 1), Type: payroll.LeaveCasual, Kind: payroll.Taken, Days: d("1.5")},
		{Date: y(12, 1), Type: payroll.LeaveCasual, Kind: payroll.Taken, Days: d("1")},
	}
	b, err := payroll.LeaveBalances(entries, y(6, 30))
	require.NoError(t, err)
	requireDec(t, "45", b[payroll.LeaveEarned].Balance)
	requireDec(t, "8.5", b[payroll.LeaveCasual].Balance) // the December entry is after asOf

	b, err = payroll.LeaveBalances(entries, payroll.Date{})
	require.NoError(t, err)
	earned := policy(t, payroll.Rounding{}, payroll.LeaveEarned)
	exp, carried := earned.YearEnd(b[payroll.LeaveEarned], y(12, 31))
	requireDec(t, "40", carried) // cap 40
	require.NotNil(t, exp)
	requireDec(t, "5", exp.Days)
	casual := policy(t, payroll.Rounding{}, payroll.LeaveCasual)
	exp2, carried2 := casual.YearEnd(b[payroll.LeaveCasual], y(12, 31))
	requireDec(t, "0", carried2)
	requireDec(t, "7.5", exp2.Days)

	after, err := payroll.LeaveBalances(append(entries, *exp, *exp2), payroll.Date{})
	require.NoError(t, err)
	requireDec(t, "40", after[payroll.LeaveEarned].Balance)
	requireDec(t, "0", after[payroll.LeaveCasual].Balance)
	require.False(t, after[payroll.LeaveCasual].Overdrawn())

	over, err := payroll.LeaveBalances([]payroll.LeaveEntry{{Date: y(1, 1), Type: "sick", Kind: payroll.Taken, Days: d("1")}}, payroll.Date{})
	require.NoError(t, err)
	require.True(t, over["sick"].Overdrawn())
	e, c := casual.YearEnd(over["sick"], y(12, 31))
	require.Nil(t, e)
	requireDec(t, "0", c)
}

func TestLeaveErrors(t *testing.T) {
	t.Parallel()
	_, err := payroll.PolicyFor(payroll.BangladeshLeave(d("40"), payroll.Rounding{}), "maternity")
	require.ErrorIs(t, err, payroll.ErrUnknownLeaveType)
	for _, e := range []payroll.LeaveEntry{
		{Type: "", Kind: payroll.Accrued, Days: d("1")},
		{Type: "x", Kind: payroll.Accrued, Days: d("-1")},
		{Type: "x", Kind: 0, Days: d("1")},
	} {
		_, err := payroll.LeaveBalances([]payroll.LeaveEntry{e}, payroll.Date{})
		require.ErrorIs(t, err, payroll.ErrInvalidLeaveEntry)
	}
	earned := policy(t, payroll.Rounding{}, payroll.LeaveEarned)
	_, err = earned.EarnedAccrual(d("-1"), payroll.NewDate(2020, 1, 1), payroll.NewDate(2025, 1, 1))
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, err = earned.AnnualEntitlement(2025, payroll.NewDate(2020, 1, 1))
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
	casual := policy(t, payroll.Rounding{}, payroll.LeaveCasual)
	_, err = casual.EarnedAccrual(d("1"), payroll.NewDate(2020, 1, 1), payroll.NewDate(2025, 1, 1))
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
	_, err = payroll.LeavePolicy{Type: "both", Annual: d("1"), PerDaysWorked: d("1")}.AnnualEntitlement(2025, payroll.NewDate(2020, 1, 1))
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
	_, err = payroll.LeavePolicy{Type: "neg", Annual: d("-1")}.AnnualEntitlement(2025, payroll.NewDate(2020, 1, 1))
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
}
