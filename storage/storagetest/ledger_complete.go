package storagetest

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// ledgerComplete runs the tests of periods, year-end close, charts, reports
// and the journal export.
func ledgerComplete(t *testing.T, h Harness) {
	t.Run("Periods", func(t *testing.T) { t.Parallel(); testPeriods(t, h) })
	t.Run("PeriodCloseConcurrent", func(t *testing.T) { t.Parallel(); testPeriodCloseConcurrent(t, h) })
	t.Run("YearEndClose", func(t *testing.T) { t.Parallel(); testYearEnd(t, h) })
	t.Run("ChartTemplateAndCSV", func(t *testing.T) { t.Parallel(); testChart(t, h) })
	t.Run("Statement", func(t *testing.T) { t.Parallel(); testStatement(t, h) })
	t.Run("Reports", func(t *testing.T) { t.Parallel(); testReports(t, h) })
	t.Run("HledgerExport", func(t *testing.T) { t.Parallel(); testHledger(t, h) })
	t.Run("DailyTotals", func(t *testing.T) { t.Parallel(); testDailyTotals(t, h) })
	t.Run("Dimensions", func(t *testing.T) { t.Parallel(); testDimensions(t, h) })
	t.Run("Events", func(t *testing.T) { t.Parallel(); testLedgerEvents(t, h) })
	t.Run("MultiCurrency", func(t *testing.T) { t.Parallel(); testMultiCurrency(t, h) })
	t.Run("BaseCurrencySetting", func(t *testing.T) { t.Parallel(); testBaseCurrencySetting(t, h) })
	t.Run("FXYearEnd", func(t *testing.T) { t.Parallel(); testFXYearEnd(t, h) })
	t.Run("FXBatch", func(t *testing.T) { t.Parallel(); testFXBatch(t, h) })
	t.Run("DimensionProperties", func(t *testing.T) { testDimensionProperties(t, h) })
	t.Run("ReportProperties", func(t *testing.T) { testReportProperties(t, h) })
	t.Run("FXProperties", func(t *testing.T) { testFXProperties(t, h) })
}

func testPeriods(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	cal, err := gl.Calendar(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, time.July, cal.FiscalYearStart)
	require.True(t, cal.ClosedThrough.IsZero())
	fy := cal.YearOf(ledger.MustDate("2026-03-15"))
	require.Equal(t, "FY 2025-26", fy.Name())
	require.Equal(t, ledger.MustDate("2025-07-01"), fy.Start)
	require.Equal(t, ledger.MustDate("2026-06-30"), fy.End)
	require.Equal(t, 9, cal.PeriodOf(ledger.MustDate("2026-03-15")).Number)

	// A January year can be set while nothing is closed.
	_, err = gl.SetFiscalYearStart(ctx, tn, time.January)
	require.NoError(t, err)
	cal, err = gl.Calendar(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, "FY 2026", cal.YearOf(ledger.MustDate("2026-03-15")).Name())
	_, err = gl.SetFiscalYearStart(ctx, tn, time.July)
	require.NoError(t, err)

	sale, err := gl.Post(ctx, tn, entry("2026-07-10", dr("1010", "100", "BDT"), cr("4000", "100", "BDT")))
	require.NoError(t, err)
	p, err := gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-07-31"), "rahim")
	require.NoError(t, err)
	require.True(t, p.Closed)
	require.Equal(t, ledger.MustDate("2026-07-01"), p.Start)

	// Postings and reversals dated in the closed period are refused, with no trace.
	before := rows(t, h, tn)
	_, err = gl.Post(ctx, tn, entry("2026-07-31", dr("1010", "1", "BDT"), cr("4000", "1", "BDT")))
	require.ErrorIs(t, err, ledger.ErrPeriodClosed)
	_, err = gl.Post(ctx, tn, entry("2025-01-01", dr("1010", "1", "BDT"), cr("4000", "1", "BDT")))
	require.ErrorIs(t, err, ledger.ErrPeriodClosed, "the first close closes every earlier date")
	_, err = gl.PostBatch(ctx, tn, []ledger.Entry{
		entry("2026-08-01", dr("1010", "1", "BDT"), cr("4000", "1", "BDT")),
		entry("2026-07-01", dr("1010", "1", "BDT"), cr("4000", "1", "BDT")),
	})
	require.ErrorIs(t, err, ledger.ErrPeriodClosed)
	_, err = gl.Reverse(ctx, tn, sale.ID, ledger.MustDate("2026-07-31"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrPeriodClosed)
	require.Equal(t, before, rows(t, h, tn))
	// A reversal dated in the next open period is fine.
	_, err = gl.Reverse(ctx, tn, sale.ID, ledger.MustDate("2026-08-01"), ledger.ReverseOptions{})
	require.NoError(t, err)

	// Order: September cannot close before August; July cannot close twice;
	// only the latest closed period reopens.
	_, err = gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-09-01"), "rahim")
	require.ErrorIs(t, err, ledger.ErrPeriodOrder)
	_, err = gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-07-01"), "rahim")
	require.ErrorIs(t, err, ledger.ErrPeriodClosed)
	_, err = gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-08-20"), "karim")
	require.NoError(t, err)
	_, err = gl.ReopenPeriod(ctx, tn, ledger.MustDate("2026-07-05"), "karim")
	require.ErrorIs(t, err, ledger.ErrPeriodOrder)
	_, err = gl.ReopenPeriod(ctx, tn, ledger.MustDate("2026-09-05"), "karim")
	require.ErrorIs(t, err, ledger.ErrPeriodOpen)
	_, err = gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-09-05"), "")
	require.ErrorIs(t, err, ledger.ErrInvalidPeriod)
	_, err = gl.SetFiscalYearStart(ctx, tn, time.January)
	require.ErrorIs(t, err, ledger.ErrInvalidPeriod)
	p, err = gl.ReopenPeriod(ctx, tn, ledger.MustDate("2026-08-20"), "karim")
	require.NoError(t, err)
	require.False(t, p.Closed)
	_, err = gl.Post(ctx, tn, entry("2026-08-02", dr("1010", "5", "BDT"), cr("4000", "5", "BDT")))
	require.NoError(t, err)

	evs, err := gl.PeriodEvents(ctx, tn)
	require.NoError(t, err)
	require.Len(t, evs, 3)
	require.Equal(t, ledger.PeriodClosed, evs[0].Action)
	require.Equal(t, "rahim", evs[0].By)
	require.Equal(t, ledger.MustDate("2026-07-01"), evs[0].Period)
	require.Equal(t, ledger.PeriodReopened, evs[2].Action)
	require.Equal(t, "karim", evs[2].By)
	require.Equal(t, ledger.MustDate("2026-08-01"), evs[2].Period)
	require.False(t, evs[2].At.IsZero())

	// Another tenant's calendar is its own.
	_, _, other := setup(t, h)
	_, err = gl.Post(ctx, other, entry("2026-07-10", dr("1010", "1", "BDT"), cr("4000", "1", "BDT")))
	require.NoError(t, err)
	oc, err := gl.Calendar(ctx, other)
	require.NoError(t, err)
	require.True(t, oc.ClosedThrough.IsZero())
	oe, err := gl.PeriodEvents(ctx, other)
	require.NoError(t, err)
	require.Empty(t, oe)
}

// testPeriodCloseConcurrent closes a period while postings dated in it run:
// the balance as of the period's end read right after the close never changes
// afterwards, so no posting slipped into the closed period.
func testPeriodCloseConcurrent(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	other := ledger.New(h.OpenAnother(t), ledger.Config{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var unexpected []error
	var posted, tried atomic.Int64
	for g := range 4 {
		wg.Go(func() {
			post := gl
			if g%2 == 1 {
				post = other
			}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, err := post.Post(ctx, tn, entry(fmt.Sprintf("2026-07-%02d", 1+i%28), dr("1010", "1", "BDT"), cr("4000", "1", "BDT")))
				tried.Add(1)
				if err == nil {
					posted.Add(1)
				}
				if err != nil && !errors.Is(err, ledger.ErrPeriodClosed) {
					mu.Lock()
					unexpected = append(unexpected, err)
					mu.Unlock()
				}
			}
		})
	}
	// Close once some postings are in (not after a fixed time: a loaded
	// machine may not have posted any), and stop once more have been tried
	// against the closed period.
	waitFor := func(c *atomic.Int64, n int64) {
		for deadline := time.Now().Add(30 * time.Second); c.Load() < n && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(&posted, 8)
	// The close must get its turn while postings keep coming: a bound that
	// turns a starved close (it once waited for ever on PostgreSQL,
	// docs/decisions/postgres-calendar-lock.md) into a failure, not a hang.
	closeCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	_, err := gl.ClosePeriod(closeCtx, tn, ledger.MustDate("2026-07-01"), "closer")
	require.NoError(t, err, "the close did not run while postings kept coming")
	atClose := balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.MustDate("2026-07-31"))
	waitFor(&tried, tried.Load()+16)
	close(stop)
	wg.Wait()
	require.Empty(t, unexpected)
	require.True(t, atClose.IsPositive())
	requireDec(t, atClose.String(), balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.MustDate("2026-07-31")))
}

func closeThrough(t testing.TB, ctx context.Context, gl *ledger.Ledger, tn string, from, to ledger.Date) {
	for d := from; !d.After(to); d = ledger.DateOf(d.Time().AddDate(0, 1, 0)) {
		_, err := gl.ClosePeriod(ctx, tn, d, "closer")
		require.NoError(t, err, d)
	}
}

func testYearEnd(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: "3200", Name: "Retained earnings", Type: ledger.Equity, Parent: "3000"})
	require.NoError(t, err)
	post := func(date string, lines ...ledger.Line) {
		t.Helper()
		_, err := gl.Post(ctx, tn, entry(date, lines...))
		require.NoError(t, err)
	}
	post("2025-07-01", dr("1010", "1000", "BDT"), cr("3000", "1000", "BDT"))
	post("2025-09-10", dr("1010", "700", "BDT"), cr("4000", "700", "BDT"))
	post("2026-02-10", dr("5010", "200", "BDT"), cr("1010", "200", "BDT"))
	post("2026-03-10", dr("1030", "50", "USD"), cr("4000", "50", "USD"))

	// Open periods: refused.
	_, err = gl.CloseYear(ctx, tn, ledger.MustDate("2026-01-01"), ledger.YearEndOptions{RetainedEarnings: "3200", By: "cfo"})
	require.ErrorIs(t, err, ledger.ErrYearOpen)
	_, err = gl.CloseYear(ctx, tn, ledger.MustDate("2026-01-01"), ledger.YearEndOptions{RetainedEarnings: "1010", By: "cfo"})
	require.ErrorIs(t, err, ledger.ErrInvalidChart)
	closeThrough(t, ctx, gl, tn, ledger.MustDate("2025-07-01"), ledger.MustDate("2026-06-01"))

	// Two at once: one closes the year, the other is refused.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	var closing ledger.Entry
	for i := range errs {
		wg.Go(func() {
			e, err := gl.CloseYear(ctx, tn, ledger.MustDate("2026-01-01"), ledger.YearEndOptions{RetainedEarnings: "3200", By: "cfo"})
			errs[i] = err
			if err == nil {
				closing = e
			}
		})
	}
	wg.Wait()
	require.True(t, (errs[0] == nil) != (errs[1] == nil), "exactly one close: %v", errs)
	for _, err := range errs {
		if err != nil {
			require.ErrorIs(t, err, ledger.ErrYearClosed)
		}
	}
	require.Equal(t, ledger.MustDate("2026-06-30"), closing.Date)
	before := rows(t, h, tn)
	_, err = gl.CloseYear(ctx, tn, ledger.MustDate("2026-06-30"), ledger.YearEndOptions{RetainedEarnings: "3200", By: "cfo"})
	require.ErrorIs(t, err, ledger.ErrYearClosed)
	require.Equal(t, before, rows(t, h, tn))
	got, err := gl.YearEndEntry(ctx, tn, ledger.MustDate("2025-12-31"))
	require.NoError(t, err)
	require.Equal(t, closing.ID, got.ID)

	// Revenue and expense are zero at the year end; retained earnings has the profit per currency.
	end := ledger.MustDate("2026-06-30")
	for _, acc := range []string{"4000", "5010"} {
		requireDec(t, "0", balanceOf(t, ctx, gl, tn, acc, "BDT", end), acc)
	}
	requireDec(t, "0", balanceOf(t, ctx, gl, tn, "4000", "USD", end))
	requireDec(t, "500", balanceOf(t, ctx, gl, tn, "3200", "BDT", end))
	requireDec(t, "50", balanceOf(t, ctx, gl, tn, "3200", "USD", end))
	// The next year opens from there.
	ptb, err := gl.PeriodTrialBalance(ctx, tn, ledger.MustDate("2026-07-01"), ledger.MustDate("2026-07-31"))
	require.NoError(t, err)
	for _, r := range ptb.Rows {
		require.NotEqual(t, ledger.Revenue, r.Type, r.Account)
		require.NotEqual(t, ledger.Expense, r.Type, r.Account)
	}
	// The income statement of the closed year still shows its profit.
	is, err := gl.IncomeStatement(ctx, tn, ledger.MustDate("2025-07-01"), end, ledger.StatementOptions{Currency: "BDT"})
	require.NoError(t, err)
	requireDec(t, "500", is.Profit[0])
	bs, err := gl.BalanceSheet(ctx, tn, end, ledger.StatementOptions{Currency: "BDT"})
	require.NoError(t, err)
	require.True(t, bs.Balanced())
	requireDec(t, "0", bs.Profit[0])
	evs, err := gl.PeriodEvents(ctx, tn)
	require.NoError(t, err)
	require.Len(t, evs, 12)
}

func testChart(t *testing.T, h Harness) {
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn := tenant(t)
	chart := ledger.ChartBangladesh()
	got, err := gl.InstallChart(ctx, tn, chart)
	require.NoError(t, err)
	require.Len(t, got, len(chart))
	accs, err := gl.Accounts(ctx, tn, ledger.AccountFilter{})
	require.NoError(t, err)
	require.Len(t, accs, len(chart))
	dep, err := gl.Account(ctx, tn, "1590")
	require.NoError(t, err)
	require.Equal(t, ledger.Credit, dep.NormalSide, "accumulated depreciation is a contra asset")
	vds, err := gl.Account(ctx, tn, "2230")
	require.NoError(t, err)
	require.Equal(t, "2200", vds.Parent)

	// Installing again fails on the first code and changes nothing.
	before := rows(t, h, tn)
	_, err = gl.InstallChart(ctx, tn, append([]ledger.Account{{Code: "9000", Name: "New", Type: ledger.Asset}}, chart...))
	require.ErrorIs(t, err, ledger.ErrAccountExists)
	var ce *ledger.ChartError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "1000", ce.Code)
	require.Equal(t, before, rows(t, h, tn))

	// CSV round trip into another tenant.
	var buf bytes.Buffer
	require.NoError(t, ledger.WriteChartCSV(&buf, accs))
	read, err := ledger.ReadChartCSV(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	tn2 := tenant(t)
	_, err = gl.InstallChart(ctx, tn2, read)
	require.NoError(t, err)
	accs2, err := gl.Accounts(ctx, tn2, ledger.AccountFilter{})
	require.NoError(t, err)
	var buf2 bytes.Buffer
	require.NoError(t, ledger.WriteChartCSV(&buf2, accs2))
	require.Equal(t, buf.String(), buf2.String())

	// A bad CSV names its line and installs nothing.
	_, err = ledger.ReadChartCSV(strings.NewReader("code,name,type\n1000,Assets,asset\n1100,Cash,cash\n"))
	require.ErrorIs(t, err, ledger.ErrInvalidAccount)
	require.ErrorAs(t, err, &ce)
	require.Equal(t, 3, ce.Line)
	_, err = ledger.ReadChartCSV(strings.NewReader("code,type\n1000,asset\n"))
	require.ErrorIs(t, err, ledger.ErrInvalidChart)
	tn3 := tenant(t)
	_, err = gl.InstallChart(ctx, tn3, []ledger.Account{{Code: "1000", Name: "A", Type: ledger.Asset}, {Code: "1100", Name: "B", Type: ledger.Liability, Parent: "1000"}})
	require.ErrorIs(t, err, ledger.ErrParentType)
	_, err = gl.InstallChart(ctx, tn3, []ledger.Account{{Code: "1000", Name: "A", Type: ledger.Asset}, {Code: "1100", Name: "B", Type: ledger.Asset, Parent: "1200"}})
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	r3 := rows(t, h, tn3)
	require.Zero(t, r3["erp_ledger_accounts"])
}

func testStatement(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	var es []ledger.Entry
	for i := range 40 {
		d := ledger.MustDate("2026-07-01").AddDays(i % 13)
		if i%3 == 0 {
			es = append(es, entry(d.String(), dr("1010", fmt.Sprint(10+i), "BDT"), cr("4000", fmt.Sprint(10+i), "BDT")))
		} else {
			es = append(es, entry(d.String(), dr("5010", fmt.Sprint(i), "BDT"), cr("1010", fmt.Sprint(i), "BDT")))
		}
	}
	es = append(es, entry("2026-07-05", dr("1030", "5", "USD"), cr("4000", "5", "USD")))
	_, err := gl.PostBatch(ctx, tn, es)
	require.NoError(t, err)

	from, to := ledger.MustDate("2026-07-03"), ledger.MustDate("2026-07-11")
	var all []ledger.StatementLine
	q := ledger.StatementQuery{Account: "1010", Currency: "BDT", From: from, To: to, Limit: 7}
	first, err := gl.Statement(ctx, tn, q)
	require.NoError(t, err)
	requireDec(t, balanceOf(t, ctx, gl, tn, "1010", "BDT", from.AddDays(-1)).String(), first.Opening)
	page := first
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20)
		require.LessOrEqual(t, len(page.Lines), 7)
		all = append(all, page.Lines...)
		requireDec(t, balanceOf(t, ctx, gl, tn, "1010", "BDT", to).String(), page.Closing)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
		page, err = gl.Statement(ctx, tn, q)
		require.NoError(t, err)
	}
	// The lines are every line of the account in the range, in date order,
	// and the running balance ends at the closing balance.
	run := first.Opening
	n := 0
	for _, e := range es {
		if e.Date.Before(from) || e.Date.After(to) {
			continue
		}
		for _, l := range e.Lines {
			if l.Account == "1010" {
				n++
			}
		}
	}
	require.Len(t, all, n)
	for i, l := range all {
		if i > 0 {
			require.False(t, l.Date.Before(all[i-1].Date))
		}
		if l.Side == ledger.Debit {
			run = run.Add(l.Amount)
		} else {
			run = run.Sub(l.Amount)
		}
		requireDec(t, run.String(), l.Balance)
	}
	requireDec(t, first.Closing.String(), run)
	var buf bytes.Buffer
	require.NoError(t, first.WriteCSV(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, len(first.Lines)+3)

	_, err = gl.Statement(ctx, tn, ledger.StatementQuery{Account: "1010", Currency: "BDT", Cursor: "nonsense"})
	require.ErrorIs(t, err, ledger.ErrInvalidQuery)
	_, err = gl.Statement(ctx, tn, ledger.StatementQuery{Account: "9999", Currency: "BDT"})
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	// Another tenant sees no lines.
	_, gl2, other := setup(t, h)
	st, err := gl2.Statement(ctx, other, ledger.StatementQuery{Account: "1010", Currency: "BDT"})
	require.NoError(t, err)
	require.Empty(t, st.Lines)
}

func testReports(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	post := func(date string, lines ...ledger.Line) {
		t.Helper()
		_, err := gl.Post(ctx, tn, entry(date, lines...))
		require.NoError(t, err)
	}
	post("2025-06-15", dr("1020", "5000", "BDT"), cr("3000", "5000", "BDT"))
	post("2025-06-20", dr("1010", "300", "BDT"), cr("4000", "300", "BDT"))
	post("2026-05-10", dr("1010", "1000", "BDT"), cr("4000", "1000", "BDT"))
	post("2026-06-10", dr("1010", "800", "BDT"), cr("4000", "800", "BDT"))
	post("2026-06-12", dr("5010", "250", "BDT"), cr("2000", "250", "BDT"))
	post("2026-06-20", dr("5000", "50", "BDT"), cr("1020", "50", "BDT"))

	ptb, err := gl.PeriodTrialBalance(ctx, tn, ledger.MustDate("2026-06-01"), ledger.MustDate("2026-06-30"))
	require.NoError(t, err)
	require.True(t, ptb.Balanced())
	byAcc := map[string]ledger.PeriodTrialBalanceRow{}
	for _, r := range ptb.Rows {
		byAcc[r.Account] = r
	}
	requireDec(t, "1300", byAcc["1010"].OpeningDebit)
	requireDec(t, "800", byAcc["1010"].Debit)
	requireDec(t, "2100", byAcc["1010"].ClosingDebit)
	requireDec(t, "1300", byAcc["4000"].OpeningCredit)
	requireDec(t, "2100", byAcc["4000"].ClosingCredit)
	requireDec(t, "250", byAcc["2000"].Credit)
	checkPeriodTotals(t, ptb)
	var buf bytes.Buffer
	require.NoError(t, ptb.WriteCSV(&buf))
	require.Contains(t, buf.String(), "opening_debit")

	bs, err := gl.BalanceSheet(ctx, tn, ledger.MustDate("2026-06-30"), ledger.StatementOptions{Currency: "BDT",
		Compare: []ledger.Comparative{ledger.PreviousPeriod, ledger.PreviousYear}})
	require.NoError(t, err)
	require.Equal(t, []string{"2026-06-30", "2026-05-31", "2025-06-30"}, labels(bs))
	require.True(t, bs.Balanced())
	assets := bs.Section(ledger.Asset)
	requireDec(t, "7050", assets.Total[0]) // 1010: 2100, 1020: 4950
	requireDec(t, "6300", assets.Total[1])
	requireDec(t, "5300", assets.Total[2])
	require.Equal(t, "1000", assets.Rows[0].Account)
	require.Equal(t, 0, assets.Rows[0].Depth)
	require.Equal(t, 1, assets.Rows[1].Depth)
	requireDec(t, "1800", bs.Profit[0]) // 2100 - 250 - 50
	checkStatementTotals(t, bs)

	is, err := gl.IncomeStatement(ctx, tn, ledger.MustDate("2026-06-01"), ledger.MustDate("2026-06-30"), ledger.StatementOptions{Currency: "BDT",
		Compare: []ledger.Comparative{ledger.PreviousPeriod, ledger.PreviousYear}})
	require.NoError(t, err)
	require.Equal(t, []string{"2026-06-01..2026-06-30", "2026-05-01..2026-05-31", "2025-06-01..2025-06-30"}, labels(is))
	requireDec(t, "800", is.Section(ledger.Revenue).Total[0])
	requireDec(t, "1000", is.Section(ledger.Revenue).Total[1])
	requireDec(t, "300", is.Section(ledger.Revenue).Total[2])
	exp := is.Section(ledger.Expense)
	requireDec(t, "300", exp.Total[0])
	require.Equal(t, "5000", exp.Rows[0].Account)
	requireDec(t, "50", exp.Rows[0].Own[0])
	requireDec(t, "300", exp.Rows[0].Amounts[0], "5000 rolls up 5010")
	requireDec(t, "500", is.Profit[0])
	checkStatementTotals(t, is)
	buf.Reset()
	require.NoError(t, is.WriteCSV(&buf))
	require.Contains(t, buf.String(), "2026-05-01..2026-05-31")

	_, err = gl.BalanceSheet(ctx, tn, ledger.MustDate("2026-06-30"), ledger.StatementOptions{})
	require.ErrorIs(t, err, ledger.ErrInvalidQuery)
	_, err = gl.IncomeStatement(ctx, tn, ledger.MustDate("2026-06-30"), ledger.MustDate("2026-06-01"), ledger.StatementOptions{Currency: "BDT"})
	require.ErrorIs(t, err, ledger.ErrInvalidQuery)
}

func labels(s ledger.FinancialStatement) []string {
	var out []string
	for _, c := range s.Columns {
		out = append(out, c.Label)
	}
	return out
}

// checkPeriodTotals: every column's total is the sum of its rows.
func checkPeriodTotals(t testing.TB, tb ledger.PeriodTrialBalance) {
	t.Helper()
	sums := map[string]*ledger.PeriodTrialBalanceRow{}
	for _, r := range tb.Rows {
		s := sums[r.Currency]
		if s == nil {
			s = &ledger.PeriodTrialBalanceRow{}
			sums[r.Currency] = s
		}
		s.OpeningDebit = s.OpeningDebit.Add(r.OpeningDebit)
		s.Debit = s.Debit.Add(r.Debit)
		s.Credit = s.Credit.Add(r.Credit)
		s.ClosingCredit = s.ClosingCredit.Add(r.ClosingCredit)
	}
	require.Len(t, tb.Totals, len(sums))
	for _, tot := range tb.Totals {
		s := sums[tot.Currency]
		require.True(t, s.OpeningDebit.Equal(tot.OpeningDebit) && s.Debit.Equal(tot.Debit) &&
			s.Credit.Equal(tot.Credit) && s.ClosingCredit.Equal(tot.ClosingCredit), "totals of %s", tot.Currency)
	}
}

// checkStatementTotals: each section's total is the sum of its top-level
// rows, and each row's amount is its own plus its children's.
func checkStatementTotals(t testing.TB, s ledger.FinancialStatement) {
	t.Helper()
	for _, sec := range s.Sections {
		for c := range s.Columns {
			sum := decimal.Zero
			for i, r := range sec.Rows {
				if r.Depth == 0 {
					sum = sum.Add(r.Amounts[c])
				}
				kids := r.Own[c]
				for j := i + 1; j < len(sec.Rows) && sec.Rows[j].Depth > r.Depth; j++ {
					if sec.Rows[j].Depth == r.Depth+1 {
						kids = kids.Add(sec.Rows[j].Amounts[c])
					}
				}
				require.True(t, kids.Equal(r.Amounts[c]), "%s %s column %d: %s != %s", sec.Type, r.Account, c, kids, r.Amounts[c])
			}
			require.True(t, sum.Equal(sec.Total[c]), "%s column %d: rows %s, total %s", sec.Type, c, sum, sec.Total[c])
		}
	}
}

// testHledger exports a random journal and checks that hledger's balance of
// every account equals the ledger's. hledger comes from the Debian package
// (scripts/test installs it); without it the test skips, unless CI=true.
func testHledger(t *testing.T, h Harness) {
	bin, err := exec.LookPath("hledger")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hledger not installed (apt-get install hledger)")
		}
		t.Skip("hledger not installed (apt-get install hledger); scripts/test installs it")
	}
	ctx, gl, tn := setup(t, h)
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	var es []ledger.Entry
	x := uint64(seed)
	next := func(n int) int { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return int(x % uint64(n)) }
	codes := []string{"1010", "1020", "2000", "3000", "4000", "5000", "5010"}
	for range 200 {
		cur := []string{"BDT", "BDT", "JPY", "KWD"}[next(4)]
		e := entry(ledger.MustDate("2025-07-01").AddDays(next(400)).String())
		e.Reference = fmt.Sprint("R-", next(1000))
		e.Description = "random (test); entry"
		total := decimal.Zero
		for j := 0; j < 1+next(3); j++ {
			minor := int64(1 + next(10_000_000))
			amt := ledger.MustCurrency(cur).FromMinor(minor)
			total = total.Add(amt)
			e.Lines = append(e.Lines, ledger.Line{Account: codes[next(len(codes))], Side: ledger.Debit, Amount: amt, Currency: cur, Memo: "m; x"})
		}
		e.Lines = append(e.Lines, ledger.CreditLine(codes[next(len(codes))], total, cur))
		es = append(es, e)
	}
	_, err = gl.PostBatch(ctx, tn, es)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "books.journal")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, gl.ExportJournal(ctx, tn, f, ledger.Date{}, ledger.Date{}))
	require.NoError(t, f.Close())

	out, err := exec.Command(bin, "-f", path, "balance", "--flat", "--no-total", "-O", "csv", "--layout=bare").CombinedOutput()
	require.NoError(t, err, string(out))
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range recs[1:] {
		d, err := decimal.NewFromString(r[2])
		require.NoError(t, err, r)
		if !d.IsZero() {
			got[r[0]+" "+r[1]] = d.String()
		}
	}
	bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{})
	require.NoError(t, err)
	want := map[string]string{}
	for _, b := range bs {
		if d := b.Debit.Sub(b.Credit); !d.IsZero() {
			a, err := gl.Account(ctx, tn, b.Account)
			require.NoError(t, err)
			want[ledger.JournalAccount(a)+" "+b.Currency] = d.String()
		}
	}
	require.Equal(t, want, got)
}
