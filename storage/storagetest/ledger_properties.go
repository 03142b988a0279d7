package storagetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// testReportProperties posts random entries in random order to one tenant
// and in date order to another, then checks at random dates that: the
// as-of balances of both are equal (backdating changes nothing); the balance
// sheet balances; every report's totals equal the sum of its lines; closing
// periods and reopening them changes no balance. ERPKIT_SEED replays a run.
func testReportProperties(t *testing.T, h Harness) {
	seed := PropertySeed(t)
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 15
	if h.Short {
		params.MinSuccessfulTests = 4
	}
	params.MaxShrinkCount = 5
	props := gopter.NewProperties(params)
	props.Property("reports agree", prop.ForAll(func(steps [][]int) bool {
		checkReports(t, h, steps)
		return true
	}, gen.SliceOfN(16, gen.SliceOfN(6, gen.IntRange(0, 1<<20)))))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}

var reportChart = []ledger.Account{
	{Code: "1000", Name: "Assets", Type: ledger.Asset},
	{Code: "1010", Name: "Cash", Type: ledger.Asset, Parent: "1000"},
	{Code: "1020", Name: "Bank", Type: ledger.Asset, Parent: "1000"},
	{Code: "1590", Name: "Accumulated depreciation", Type: ledger.Asset, Parent: "1000", NormalSide: ledger.Credit},
	{Code: "2000", Name: "Payables", Type: ledger.Liability},
	{Code: "3000", Name: "Capital", Type: ledger.Equity},
	{Code: "4000", Name: "Revenue", Type: ledger.Revenue},
	{Code: "4100", Name: "Rental", Type: ledger.Revenue, Parent: "4000"},
	{Code: "5000", Name: "Expenses", Type: ledger.Expense},
	{Code: "5100", Name: "Fuel", Type: ledger.Expense, Parent: "5000"},
}

func checkReports(t *testing.T, h Harness, steps [][]int) {
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	random, ordered := tenant(t), tenant(t)
	for _, tn := range []string{random, ordered} {
		_, err := gl.InstallChart(ctx, tn, reportChart)
		require.NoError(t, err)
	}
	start := ledger.MustDate("2025-07-01")
	var es []ledger.Entry
	for _, v := range steps {
		amt := decimal.New(int64(1+v[0]%100000), -2)
		cur := []string{"BDT", "BDT", "USD"}[v[4]%3]
		e := entry(start.AddDays(v[1]%540).String(),
			ledger.DebitLine(reportChart[v[2]%len(reportChart)].Code, amt, cur),
			ledger.CreditLine(reportChart[v[3]%len(reportChart)].Code, amt, cur))
		es = append(es, e)
	}
	_, err := gl.PostBatch(ctx, random, es)
	require.NoError(t, err)
	sorted := slices.Clone(es)
	slices.SortStableFunc(sorted, func(a, b ledger.Entry) int { return a.Date.Compare(b.Date) })
	for _, e := range sorted {
		_, err := gl.Post(ctx, ordered, e)
		require.NoError(t, err)
	}
	for _, v := range steps[:4] {
		day := start.AddDays(v[5] % 600)
		a, err := gl.Balances(ctx, random, ledger.BalanceQuery{AsOf: day})
		require.NoError(t, err)
		b, err := gl.Balances(ctx, ordered, ledger.BalanceQuery{AsOf: day})
		require.NoError(t, err)
		require.Equal(t, fmt.Sprint(a), fmt.Sprint(b), "as of %s", day)

		bs, err := gl.BalanceSheet(ctx, random, day, ledger.StatementOptions{Currency: "BDT",
			Compare: []ledger.Comparative{ledger.PreviousPeriod, ledger.PreviousYear}})
		require.NoError(t, err)
		require.True(t, bs.Balanced(), "balance sheet as of %s", day)
		checkStatementTotals(t, bs)
		is, err := gl.IncomeStatement(ctx, random, day.AddDays(-90), day, ledger.StatementOptions{Currency: "BDT",
			Compare: []ledger.Comparative{ledger.PreviousPeriod}})
		require.NoError(t, err)
		checkStatementTotals(t, is)
		rev, exp := is.Section(ledger.Revenue), is.Section(ledger.Expense)
		for c := range is.Columns {
			require.True(t, ledger.Revenue != "" && is.Profit[c].Equal(at(rev.Total, c).Sub(at(exp.Total, c))))
		}
		ptb, err := gl.PeriodTrialBalance(ctx, random, day.AddDays(-60), day)
		require.NoError(t, err)
		require.True(t, ptb.Balanced())
		checkPeriodTotals(t, ptb)
	}
	// Closing then reopening changes no balance.
	before, err := gl.Balances(ctx, random, ledger.BalanceQuery{})
	require.NoError(t, err)
	through := start.AddDays(steps[0][5] % 400)
	closeThrough(t, ctx, gl, random, ledger.MustDate("2025-07-01"), through)
	mid, err := gl.Balances(ctx, random, ledger.BalanceQuery{})
	require.NoError(t, err)
	require.Equal(t, fmt.Sprint(before), fmt.Sprint(mid))
	cal, err := gl.Calendar(ctx, random)
	require.NoError(t, err)
	for !cal.ClosedThrough.IsZero() && !cal.ClosedThrough.Before(ledger.MustDate("2025-07-01")) {
		_, err := gl.ReopenPeriod(ctx, random, cal.ClosedThrough, "auditor")
		require.NoError(t, err)
		cal, err = gl.Calendar(ctx, random)
		require.NoError(t, err)
	}
	after, err := gl.Balances(ctx, random, ledger.BalanceQuery{})
	require.NoError(t, err)
	require.Equal(t, fmt.Sprint(before), fmt.Sprint(after))
}

func at(ds []decimal.Decimal, i int) decimal.Decimal {
	if i < len(ds) {
		return ds[i]
	}
	return decimal.Zero
}
