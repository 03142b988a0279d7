package maintenance

import (
	"fmt"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Reference: last 1,000 h, interval 250 -> due 1,250. Done at 1,270: next
// 1,500 under fixed scheduling, 1,520 under floating.
func TestNextDueReference(t *testing.T) {
	for _, c := range []struct {
		s    Scheduling
		want string
	}{{Fixed, "1500"}, {Floating, "1520"}} {
		p := Plan{Name: "PM250", EveryHours: dec("250"), Scheduling: c.s}
		due, err := p.After(Point{Meter: dec("1000")})
		require.NoError(t, err)
		require.True(t, due.ByMeter && due.Meter.Equal(dec("1250")))
		next, err := p.Next(due, Point{Meter: dec("1270")})
		require.NoError(t, err)
		require.True(t, next.Meter.Equal(dec(c.want)), "%v: %s", c.s, next.Meter)
	}
}

func TestWhicheverFirst(t *testing.T) {
	p := Plan{Name: "PM", EveryHours: dec("250"), EveryDays: 90}
	due, err := p.After(Point{Meter: dec("1000"), Date: ledger.MustDate("2026-01-01")})
	require.NoError(t, err)
	require.Equal(t, ledger.MustDate("2026-04-01"), due.Date)
	for _, c := range []struct {
		meter, date string
		want        bool
	}{
		{"1100", "2026-03-01", false},
		{"1250", "2026-03-01", true}, // the meter first
		{"1100", "2026-04-01", true}, // the calendar first
		{"1249.9", "2026-03-31", false},
	} {
		require.Equal(t, c.want, due.IsDue(Point{Meter: dec(c.meter), Date: ledger.MustDate(c.date)}), "%+v", c)
	}
	// Fixed keeps both grids; floating restarts both from the service.
	next, err := p.Next(due, Point{Meter: dec("1180"), Date: ledger.MustDate("2026-04-03")})
	require.NoError(t, err)
	require.True(t, next.Meter.Equal(dec("1500")))
	require.Equal(t, ledger.MustDate("2026-06-30"), next.Date)
	p.Scheduling = Floating
	next, err = p.Next(due, Point{Meter: dec("1180"), Date: ledger.MustDate("2026-04-03")})
	require.NoError(t, err)
	require.True(t, next.Meter.Equal(dec("1430")))
	require.Equal(t, ledger.MustDate("2026-07-02"), next.Date)
}

func TestInvalidPlans(t *testing.T) {
	for _, p := range []Plan{
		{Name: "none"},
		{Name: "negative", EveryHours: dec("-1")},
		{Name: "days", EveryDays: -5},
		{Name: "scheduling", EveryDays: 5, Scheduling: 7},
	} {
		_, err := p.After(Point{Date: ledger.MustDate("2026-01-01")})
		require.ErrorIs(t, err, ErrInvalidPlan, p.Name)
	}
	_, err := Plan{Name: "cal", EveryDays: 90}.After(Point{Meter: dec("5")})
	require.ErrorIs(t, err, ErrInvalidPlan, "a calendar plan needs a date")
}

func ExamplePlan_Next() {
	p := Plan{Name: "PM250", EveryHours: decimal.NewFromInt(250)}
	due, _ := p.After(Point{Meter: decimal.NewFromInt(1000)})
	fixed, _ := p.Next(due, Point{Meter: decimal.NewFromInt(1270)})
	p.Scheduling = Floating
	floating, _ := p.Next(due, Point{Meter: decimal.NewFromInt(1270)})
	fmt.Println("due", due.Meter, "then fixed", fixed.Meter, "or floating", floating.Meter)
	// Output: due 1250 then fixed 1500 or floating 1520
}
