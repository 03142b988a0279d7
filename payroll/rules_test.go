package payroll_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func requireDec(t *testing.T, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	require.Truef(t, d(want).Equal(got), "want %s, got %s %v", want, got, msg)
}

// Golden vectors from ../shared/reference/payroll.md.
func TestBangladeshOvertimeGolden(t *testing.T) {
	t.Parallel()
	bd := payroll.Bangladesh{}
	w := payroll.Wage{Basic: d("20000")}
	rate, err := bd.OvertimeRate(w)
	require.NoError(t, err)
	requireDec(t, "192.31", rate)
	pay, err := bd.OvertimePay(w, d("10"))
	require.NoError(t, err)
	requireDec(t, "1923.08", pay) // not 10 x 192.31 = 1923.10
}

func TestBangladeshOvertimePay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		bd    payroll.Bangladesh
		wage  payroll.Wage
		hours string
		want  string
		err   error
	}{
		{"basic plus dearness", payroll.Bangladesh{}, payroll.Wage{Basic: d("15000"), Dearness: d("5000")}, "1", "192.31", nil},
		{"divisor 240", payroll.Bangladesh{Divisor: d("240")}, payroll.Wage{Basic: d("24000")}, "3", "600", nil},
		{"zero hours", payroll.Bangladesh{}, payroll.Wage{Basic: d("20000")}, "0", "0", nil},
		{"half-even rounding", payroll.Bangladesh{Divisor: d("8"), Multiplier: d("1"), Rounding: payroll.HalfEvenTo(d("1"))}, payroll.Wage{Basic: d("20")}, "1", "2", nil},
		{"half-up rounding", payroll.Bangladesh{Divisor: d("8"), Multiplier: d("1"), Rounding: payroll.HalfUpTo(d("1"))}, payroll.Wage{Basic: d("20")}, "1", "3", nil},
		{"negative divisor", payroll.Bangladesh{Divisor: d("-208")}, payroll.Wage{Basic: d("20000")}, "1", "", payroll.ErrInvalidParameter},
		{"negative basic", payroll.Bangladesh{}, payroll.Wage{Basic: d("-1")}, "1", "", payroll.ErrNegative},
		{"negative hours", payroll.Bangladesh{}, payroll.Wage{Basic: d("1")}, "-1", "", payroll.ErrNegative},
		{"bad rounding", payroll.Bangladesh{Rounding: payroll.Rounding{Step: d("-1"), Mode: payroll.HalfUp}}, payroll.Wage{Basic: d("1")}, "1", "", payroll.ErrInvalidParameter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.bd.OvertimePay(tc.wage, d(tc.hours))
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			requireDec(t, tc.want, got)
		})
	}
}

func days(start payroll.Date, hours ...string) []payroll.DayHours {
	out := make([]payroll.DayHours, len(hours))
	for i, h := range hours {
		out[i] = payroll.DayHours{Date: start.AddDays(i), Worked: d(h)}
	}
	return out
}

func TestBangladeshOvertimeWeekAndFlags(t *testing.T) {
	t.Parallel()
	sun := payroll.NewDate(2025, time.June, 1) // a Sunday
	tests := []struct {
		name  string
		days  []payroll.DayHours
		hours string
		flags []string
	}{
		{"normal week", days(sun, "8", "8", "8", "8", "8", "8"), "0", nil},
		{"daily excess", days(sun, "10", "8", "8"), "2", nil},
		{"weekly excess wins", days(sun, "8", "8", "8", "8", "8", "8", "8"), "8", nil},
		{"12h roster 4 days", days(sun, "12", "12", "12", "12"), "16", []string{payroll.FlagBDDailyLimit, payroll.FlagBDDailyLimit, payroll.FlagBDDailyLimit, payroll.FlagBDDailyLimit}},
		{"12h roster 6 days", days(sun, "12", "12", "12", "12", "12", "12"),
			"24", []string{"BD_DAILY_LIMIT", "BD_DAILY_LIMIT", "BD_DAILY_LIMIT", "BD_DAILY_LIMIT", "BD_DAILY_LIMIT", "BD_DAILY_LIMIT", "BD_WEEKLY_LIMIT"}},
		{"two weeks separate", days(sun, "8", "8", "8", "8", "8", "8", "0", "9"), "1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := payroll.Bangladesh{}.Overtime(payroll.Wage{Basic: d("20800")}, tc.days)
			require.NoError(t, err)
			requireDec(t, tc.hours, res.Hours)
			// 20,800 / 208 x 2 = 200 per hour
			requireDec(t, d(tc.hours).Mul(d("200")).String(), res.Pay)
			var codes []string
			for _, f := range res.Flags {
				codes = append(codes, f.Code)
			}
			require.Equal(t, tc.flags, codes)
		})
	}
	_, err := payroll.Bangladesh{}.Overtime(payroll.Wage{Basic: d("1")}, []payroll.DayHours{{Date: sun, Worked: d("-1")}})
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, err = payroll.Bangladesh{}.Overtime(payroll.Wage{Basic: d("1")}, []payroll.DayHours{{Worked: d("1")}})
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
}

func TestFestivalBonus(t *testing.T) {
	t.Parallel()
	joined := payroll.NewDate(2024, time.March, 10)
	tests := []struct {
		name      string
		on        payroll.Date
		requested string
		paid      int
		eligible  bool
		amount    string
	}{
		{"before one year", payroll.NewDate(2025, time.March, 9), "20000", 0, false, "0"},
		{"on anniversary", payroll.NewDate(2025, time.March, 10), "20000", 0, true, "20000"},
		{"capped at basic", payroll.NewDate(2025, time.June, 1), "30000", 1, true, "20000"},
		{"third bonus", payroll.NewDate(2025, time.June, 1), "20000", 2, false, "0"},
		{"half month", payroll.NewDate(2025, time.June, 1), "10000", 0, true, "10000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := payroll.FestivalBonus(d("20000"), d(tc.requested), joined, tc.on, tc.paid)
			require.NoError(t, err)
			require.Equal(t, tc.eligible, got.Eligible, got.Reason)
			requireDec(t, tc.amount, got.Amount)
		})
	}
	_, err := payroll.FestivalBonus(d("-1"), d("1"), joined, joined, 0)
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, err = payroll.FestivalBonus(d("1"), d("1"), joined, joined, -1)
	require.ErrorIs(t, err, payroll.ErrNegative)
	_, err = payroll.FestivalBonus(d("1"), d("1"), joined, joined.AddDays(-1), 0)
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
}

// Golden vectors from ../shared/reference/payroll.md.
func TestIndonesiaGolden(t *testing.T) {
	t.Parallel()
	id := payroll.Indonesia{}
	w := payroll.Wage{Basic: d("8650000")}
	rate, err := id.HourlyRate(w)
	require.NoError(t, err)
	requireDec(t, "50000", rate)
	pay, err := id.MiningDayPay(w, d("11"))
	require.NoError(t, err)
	requireDec(t, "375000", pay)
}

func TestIndonesiaMining(t *testing.T) {
	t.Parallel()
	w := payroll.Wage{Basic: d("8000000"), Fixed: d("650000")}
	tests := []struct {
		hours string
		want  string
		err   error
	}{
		{"8", "0", nil},
		{"9", "175000", nil},
		{"10", "275000", nil},
		{"11", "375000", nil},
		{"12", "", payroll.ErrNoRosterRate},
		{"9.5", "", payroll.ErrNoRosterRate},
		{"-1", "", payroll.ErrNegative},
	}
	for _, tc := range tests {
		t.Run(tc.hours, func(t *testing.T) {
			t.Parallel()
			got, err := payroll.Indonesia{}.MiningDayPay(w, d(tc.hours))
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			requireDec(t, tc.want, got)
		})
	}
	withTwelve := payroll.Indonesia{Mining: append(payroll.MiningRates(), payroll.MiningRate{Hours: 12, Multiplier: d("9.5")})}
	got, err := withTwelve.MiningDayPay(w, d("12"))
	require.NoError(t, err)
	requireDec(t, "475000", got)

	mon := payroll.NewDate(2025, time.June, 2)
	res, err := payroll.Indonesia{}.MiningOvertime(w, []payroll.DayHours{
		{Date: mon, Kind: payroll.Workday, Scheduled: d("11"), Worked: d("11")},
		{Date: mon.AddDays(1), Kind: payroll.Workday, Scheduled: d("9"), Worked: d("9")},
		{Date: mon.AddDays(2), Kind: payroll.Workday, Scheduled: d("11"), Worked: d("0")}, // absent: no pay
		{Date: mon.AddDays(3), Kind: payroll.RestDay, Worked: d("0")},
	})
	require.NoError(t, err)
	requireDec(t, "550000", res.Pay)
	_, err = payroll.Indonesia{}.MiningOvertime(w, []payroll.DayHours{{Date: mon, Scheduled: d("12"), Worked: d("12")}})
	require.ErrorIs(t, err, payroll.ErrNoRosterRate)
}

func TestIndonesiaOvertimeTiers(t *testing.T) {
	t.Parallel()
	w := payroll.Wage{Basic: d("8650000")} // 50,000 per hour
	mon := payroll.NewDate(2025, time.June, 2)
	tests := []struct {
		name     string
		rule     payroll.Indonesia
		kind     payroll.DayKind
		hours    string
		weighted string
	}{
		{"workday 1h", payroll.Indonesia{}, payroll.Workday, "1", "1.5"},
		{"workday 3h", payroll.Indonesia{}, payroll.Workday, "3", "5.5"},
		{"workday half hour", payroll.Indonesia{}, payroll.Workday, "0.5", "0.75"},
		{"rest day 5-day week 8h", payroll.Indonesia{}, payroll.RestDay, "8", "16"},
		{"rest day 5-day week 11h", payroll.Indonesia{}, payroll.RestDay, "11", "27"},
		{"rest day 6-day week 10h", payroll.Indonesia{SixDayWeek: true}, payroll.RestDay, "10", "25"},
		{"holiday 6-day week 7h", payroll.Indonesia{SixDayWeek: true}, payroll.Holiday, "7", "14"},
		{"zero", payroll.Indonesia{}, payroll.Workday, "0", "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := tc.rule.Overtime(w, []payroll.OvertimeDay{{Date: mon, Kind: tc.kind, Hours: d(tc.hours)}})
			require.NoError(t, err)
			requireDec(t, tc.weighted, res.Weighted)
			requireDec(t, d(tc.weighted).Mul(d("50000")).String(), res.Pay)
		})
	}
	res, err := payroll.Indonesia{}.Overtime(w, []payroll.OvertimeDay{
		{Date: mon, Hours: d("5")}, {Date: mon.AddDays(1), Hours: d("4")}, {Date: mon.AddDays(2), Hours: d("4")},
		{Date: mon.AddDays(3), Hours: d("4")}, {Date: mon.AddDays(4), Hours: d("4")},
	})
	require.NoError(t, err)
	require.Len(t, res.Flags, 2)
	require.Equal(t, payroll.FlagIDDailyLimit, res.Flags[0].Code)
	require.Equal(t, payroll.FlagIDWeeklyLimit, res.Flags[1].Code)

	_, err = payroll.Indonesia{Divisor: d("-1")}.HourlyRate(w)
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
	_, err = payroll.Indonesia{Workday: []payroll.Tier{{Multiplier: d("1")}, {Hours: d("1"), Multiplier: d("2")}}}.HourlyRate(w)
	require.ErrorIs(t, err, payroll.ErrInvalidParameter)
	_, err = payroll.Indonesia{}.Overtime(w, []payroll.OvertimeDay{{Date: mon, Hours: d("-1")}})
	require.ErrorIs(t, err, payroll.ErrNegative)
	var pe *payroll.ParameterError
	_, err = payroll.Indonesia{Divisor: d("-1")}.HourlyRate(w)
	require.True(t, errors.As(err, &pe))
	require.Equal(t, "Indonesia.Divisor", pe.Rule)
}

func TestOvertimeFromHours(t *testing.T) {
	t.Parallel()
	mon := payroll.NewDate(2025, time.June, 2)
	got := payroll.OvertimeFromHours([]payroll.DayHours{
		{Date: mon, Kind: payroll.Workday, Scheduled: d("8"), Worked: d("10")},
		{Date: mon.AddDays(1), Kind: payroll.Workday, Scheduled: d("12"), Worked: d("12")},
		{Date: mon.AddDays(2), Kind: payroll.Workday, Scheduled: d("8"), Worked: d("6")},
		{Date: mon.AddDays(3), Kind: payroll.RestDay, Worked: d("5")},
	}, d("8"))
	requireDec(t, "2", got[0].Hours)
	requireDec(t, "4", got[1].Hours)
	requireDec(t, "0", got[2].Hours)
	requireDec(t, "5", got[3].Hours)
}

func TestRounding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule payroll.Rounding
		in   string
		want string
	}{
		{payroll.HalfUpTo(d("1")), "2.5", "3"},
		{payroll.HalfEvenTo(d("1")), "2.5", "2"}, // Python round(2.5) == 2
		{payroll.HalfEvenTo(d("1")), "3.5", "4"},
		{payroll.HalfUpTo(d("1")), "-2.5", "-3"}, // Go math.Round(-2.5) == -3
		{payroll.HalfUpTo(d("0.25")), "13.333333", "13.25"},
		{payroll.HalfUpTo(d("0.25")), "13.375", "13.5"},
		{payroll.HalfEvenTo(d("0.25")), "13.125", "13"},
		{payroll.HalfUpTo(d("0.25")), "13.125", "13.25"},
		{payroll.HalfUpTo(d("0.5")), "13.333", "13.5"},
		{payroll.FloorTo(d("1")), "13.99", "13"},
		{payroll.FloorTo(d("1")), "-0.5", "-1"},
		{payroll.Rounding{Step: d("1"), Mode: payroll.Ceil}, "13.01", "14"},
		{payroll.Rounding{Step: d("1"), Mode: payroll.Truncate}, "-13.9", "-13"},
		{payroll.Cents(), "192.3076923", "192.31"},
		{payroll.HalfUpTo(d("1000")), "1234500", "1235000"},
		{payroll.Rounding{}, "1.23456", "1.23456"},
	}
	for _, tc := range tests {
		t.Run(tc.rule.String()+" "+tc.in, func(t *testing.T) {
			t.Parallel()
			requireDec(t, tc.want, tc.rule.Round(d(tc.in)))
		})
	}
	require.ErrorIs(t, payroll.Rounding{Step: d("0"), Mode: payroll.HalfUp}.Validate(), payroll.ErrInvalidParameter)
	require.ErrorIs(t, payroll.Rounding{Step: d("1"), Mode: 99}.Validate(), payroll.ErrInvalidParameter)
}
