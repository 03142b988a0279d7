package storagetest

import (
	"context"
	"errors"
	"sort"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The multi-currency tests' extra accounts: they take any currency.
var fxAccounts = []ledger.Account{
	{Code: "1100", Name: "Trade receivables", Type: ledger.Asset},
	{Code: "3900", Name: "Retained earnings", Type: ledger.Equity},
	{Code: "4900", Name: "FX gain", Type: ledger.Revenue},
	{Code: "5900", Name: "FX loss", Type: ledger.Expense},
	{Code: "5990", Name: "Rounding differences", Type: ledger.Expense},
}

// fxSetup is setup plus the FX accounts, with BDT as base currency,
// rounding to 5990 within 0.05.
func fxSetup(t *testing.T, h Harness) (context.Context, *ledger.Ledger, string) {
	ctx, gl, tn := setup(t, h)
	for _, a := range fxAccounts {
		_, err := gl.CreateAccount(ctx, tn, a)
		require.NoError(t, err)
	}
	cal, err := gl.SetBaseCurrency(ctx, tn, ledger.BaseCurrency{Currency: "bdt", RoundingAccount: "5990", Tolerance: dec("0.05")})
	require.NoError(t, err)
	require.Equal(t, "BDT", cal.Base.Currency)
	return ctx, gl, tn
}

// fx returns a line with a rate and/or base amount ("" leaves it zero).
func fx(l ledger.Line, rate, base string) ledger.Line {
	if rate != "" {
		l.Rate = dec(rate)
	}
	if base != "" {
		l.BaseAmount = dec(base)
	}
	return l
}

// baseOnly returns a line that moves only a base value.
func baseOnly(acc string, side ledger.Side, base, cur string) ledger.Line {
	return ledger.Line{Account: acc, Side: side, Amount: decimal.Zero, Currency: cur, BaseAmount: dec(base)}
}

func baseBalance(t *testing.T, ctx context.Context, gl *ledger.Ledger, tn, acc, cur string, asOf ledger.Date) ledger.Balance {
	t.Helper()
	b, err := gl.Balance(ctx, tn, acc, cur, asOf)
	require.NoError(t, err)
	return b
}

func testMultiCurrency(t *testing.T, h Harness) {
	ctx, gl, tn := fxSetup(t, h)

	// Refused, with nothing written.
	before := rows(t, h, tn)
	bad := []struct {
		name string
		e    ledger.Entry
		want error
	}{
		{"foreign line without rate", entry("2026-01-10", dr("1100", "100", "USD"), cr("4000", "100", "USD")), ledger.ErrRateMissing},
		{"base line with a rate", entry("2026-01-10", fx(dr("1010", "100", "BDT"), "2", ""), cr("4000", "100", "BDT")), ledger.ErrRateMismatch},
		{"rate and base disagree", entry("2026-01-10", fx(dr("1100", "100", "USD"), "117.50", "11000"), fx(cr("4000", "100", "USD"), "117.50", "")), ledger.ErrRateMismatch},
		{"base amount with too many decimals", entry("2026-01-10", fx(dr("1100", "100", "USD"), "", "11750.001"), fx(cr("4000", "100", "USD"), "", "11750.001")), ledger.ErrTooManyDecimals},
		{"base difference over the tolerance", entry("2026-01-10", fx(dr("1100", "10", "USD"), "", "1200"), fx(cr("4000", "10", "USD"), "", "1100")), ledger.ErrUnbalanced},
		{"negative rate", entry("2026-01-10", fx(dr("1100", "10", "USD"), "-1", ""), fx(cr("4000", "10", "USD"), "1", "")), ledger.ErrInvalidAmount},
		{"zero amount and zero base", entry("2026-01-10", ledger.Line{Account: "1100", Side: ledger.Debit, Amount: decimal.Zero, Currency: "USD"}, cr("4000", "1", "BDT"), dr("1010", "1", "BDT")), ledger.ErrInvalidAmount},
		{"base-only line in the base currency", entry("2026-01-10", baseOnly("1010", ledger.Debit, "5", "BDT"), baseOnly("4000", ledger.Credit, "5", "BDT")), ledger.ErrInvalidAmount},
		{"base-only line with a rate", entry("2026-01-10", fx(baseOnly("1100", ledger.Debit, "5", "USD"), "1", ""), baseOnly("4000", ledger.Credit, "5", "USD")), ledger.ErrRateMismatch},
	}
	for _, c := range bad {
		_, err := gl.Post(ctx, tn, c.e)
		require.ErrorIs(t, err, c.want, c.name)
	}
	var ue *ledger.UnbalancedError
	_, err := gl.Post(ctx, tn, bad[4].e)
	require.True(t, errors.As(err, &ue))
	require.True(t, ue.Base)
	require.Equal(t, "BDT", ue.Currency)
	requireDec(t, "100", ue.Difference)
	require.Equal(t, before, rows(t, h, tn), "refused postings leave no row")

	// An invoice of USD 100 at 117.50: the base amounts are derived (rounded
	// half up) and kept with the rate.
	inv := entry("2026-01-10", fx(dr("1100", "100.00", "USD"), "117.50", ""), fx(cr("4000", "100.00", "USD"), "117.50", ""))
	inv.IdempotencyKey = "INV-1"
	posted, err := gl.Post(ctx, tn, inv)
	require.NoError(t, err)
	requireDec(t, "11750", posted.Lines[0].BaseAmount)
	got, err := gl.Entry(ctx, tn, posted.ID)
	require.NoError(t, err)
	requireDec(t, "11750", got.Lines[1].BaseAmount)
	requireDec(t, "117.5", got.Lines[1].Rate)
	// The same key and request again replays it, writing nothing.
	n := rows(t, h, tn)
	again, err := gl.Post(ctx, tn, inv)
	require.NoError(t, err)
	require.Equal(t, posted.ID, again.ID)
	require.Equal(t, n, rows(t, h, tn))
	// A base amount alone derives the rate.
	e2, err := gl.Post(ctx, tn, entry("2026-01-11", fx(dr("1100", "8", "USD"), "", "940"), fx(cr("4000", "8", "USD"), "", "940")))
	require.NoError(t, err)
	requireDec(t, "117.5", e2.Lines[0].Rate)

	// Rounding: three USD lines at 117.505 round to 1.18 + 1.18 against
	// 2.35 (2.3501); the 0.01 goes to the rounding account as a base-only
	// credit in USD, so USD and BDT both balance.
	r, err := gl.Post(ctx, tn, entry("2026-01-12",
		fx(dr("1100", "0.01", "USD"), "117.505", ""), fx(dr("1100", "0.01", "USD"), "117.505", ""),
		fx(cr("4000", "0.02", "USD"), "117.505", "")))
	require.NoError(t, err)
	require.Len(t, r.Lines, 4)
	rl := r.Lines[3]
	require.Equal(t, "5990", rl.Account)
	require.Equal(t, ledger.Credit, rl.Side)
	require.True(t, rl.Amount.IsZero())
	require.Equal(t, "USD", rl.Currency)
	requireDec(t, "0.01", rl.BaseAmount)

	// Settlement at 120: the realised gain is a base-only line.
	_, err = gl.Post(ctx, tn, entry("2026-02-05",
		fx(dr("1030", "100", "USD"), "120", ""),
		fx(cr("1100", "100", "USD"), "", "11750"),
		baseOnly("4900", ledger.Credit, "250", "USD")))
	require.NoError(t, err)

	// Balances carry base values; base-currency balances have base = amount.
	ar := baseBalance(t, ctx, gl, tn, "1100", "USD", ledger.Date{})
	requireDec(t, "8.02", ar.Balance)       // 100 + 8 + 0.02 - 100
	requireDec(t, "942.36", ar.BaseBalance) // 11750 + 940 + 1.18 + 1.18 - 11750
	requireDec(t, "12000", baseBalance(t, ctx, gl, tn, "1030", "USD", ledger.Date{}).BaseBalance)
	_, err = gl.Post(ctx, tn, entry("2026-02-06", dr("1010", "500", "BDT"), cr("3000", "500", "BDT")))
	require.NoError(t, err)
	cash := baseBalance(t, ctx, gl, tn, "1010", "BDT", ledger.Date{})
	requireDec(t, "500", cash.BaseBalance)

	// Revaluation at 121 on 2026-02-28: the bank's USD 100 is worth 12,100
	// (+100), the receivables' USD 8.02 are worth 970.42 (+28.06).
	req := ledger.RevaluationRequest{Date: ledger.MustDate("2026-02-28"), Rates: map[string]decimal.Decimal{"USD": dec("121")},
		Accounts: []string{"1030", "1100"}, GainAccount: "4900", LossAccount: "5900"}
	rv, err := gl.Revalue(ctx, tn, req)
	require.NoError(t, err)
	require.Len(t, rv.Lines, 3)
	requireDec(t, "12100", baseBalance(t, ctx, gl, tn, "1030", "USD", ledger.Date{}).BaseBalance)
	requireDec(t, "970.42", baseBalance(t, ctx, gl, tn, "1100", "USD", ledger.Date{}).BaseBalance)
	requireDec(t, "100", baseBalance(t, ctx, gl, tn, "1030", "USD", ledger.Date{}).Balance, "the foreign amount is unchanged")
	gain := baseBalance(t, ctx, gl, tn, "4900", "USD", ledger.Date{})
	requireDec(t, "378.06", gain.BaseBalance) // 250 realised + 128.06 unrealised
	requireDec(t, "0", gain.Balance)
	// As of the day before, the old base values.
	requireDec(t, "12000", baseBalance(t, ctx, gl, tn, "1030", "USD", ledger.MustDate("2026-02-27")).BaseBalance)
	// Nothing more to revalue at the same rate.
	n = rows(t, h, tn)
	_, err = gl.Revalue(ctx, tn, req)
	require.ErrorIs(t, err, ledger.ErrNothingToRevalue)
	// A lower rate is a loss.
	req.Date, req.Rates = ledger.MustDate("2026-03-31"), map[string]decimal.Decimal{"USD": dec("119")}
	_, err = gl.Revalue(ctx, tn, ledger.RevaluationRequest{Date: req.Date, Accounts: req.Accounts, GainAccount: "4900", LossAccount: "5900"})
	require.ErrorIs(t, err, ledger.ErrRateMissing)
	require.Equal(t, n, rows(t, h, tn))
	loss, err := gl.Revalue(ctx, tn, req)
	require.NoError(t, err)
	requireDec(t, "11900", baseBalance(t, ctx, gl, tn, "1030", "USD", ledger.Date{}).BaseBalance)
	requireDec(t, "216.04", baseBalance(t, ctx, gl, tn, "5900", "USD", ledger.Date{}).BaseBalance) // 200 + 16.04

	// Trial balance: every currency and the base columns balance.
	tb, err := gl.TrialBalance(ctx, tn, ledger.Date{})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	require.Equal(t, "BDT", tb.BaseTotal.Currency)
	require.False(t, tb.BaseTotal.Debit.IsZero())
	// The base-currency balance sheet balances, at every date.
	for _, d := range []string{"2026-01-31", "2026-02-27", "2026-02-28", "2026-03-31"} {
		bs, err := gl.BalanceSheet(ctx, tn, ledger.MustDate(d), ledger.StatementOptions{Base: true, Compare: []ledger.Comparative{ledger.PreviousPeriod}})
		require.NoError(t, err)
		require.True(t, bs.Balanced(), d)
		require.Equal(t, "BDT", bs.Currency)
	}
	bs, err := gl.BalanceSheet(ctx, tn, ledger.MustDate("2026-03-31"), ledger.StatementOptions{Base: true})
	require.NoError(t, err)
	// Assets in base: cash 500 + bank 11,900 + receivables 954.38 (942.36 + 28.06 - 16.04).
	requireDec(t, "13354.38", bs.Section(ledger.Asset).Total[0])

	// Reversing the loss restores the base values exactly.
	_, err = gl.Reverse(ctx, tn, loss.ID, ledger.MustDate("2026-04-01"), ledger.ReverseOptions{})
	require.NoError(t, err)
	requireDec(t, "12100", baseBalance(t, ctx, gl, tn, "1030", "USD", ledger.Date{}).BaseBalance)
	requireDec(t, "970.42", baseBalance(t, ctx, gl, tn, "1100", "USD", ledger.Date{}).BaseBalance)

	// Another tenant sees none of it and has no base currency.
	other := tenant(t)
	cal, err := gl.Calendar(ctx, other)
	require.NoError(t, err)
	require.Empty(t, cal.Base.Currency)
	bsOther, err := gl.Balances(ctx, other, ledger.BalanceQuery{})
	require.NoError(t, err)
	require.Empty(t, bsOther)
}

// testBaseCurrencySetting: when a base currency may be set, and what a
// tenant without one may post.
func testBaseCurrencySetting(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.CreateAccount(ctx, tn, fxAccounts[0])
	require.NoError(t, err)
	before := rows(t, h, tn)
	_, err = gl.Post(ctx, tn, entry("2026-01-10", fx(dr("1100", "10", "USD"), "117", ""), fx(cr("4000", "10", "USD"), "117", "")))
	require.ErrorIs(t, err, ledger.ErrNoBaseCurrency)
	_, err = gl.Post(ctx, tn, entry("2026-01-10", baseOnly("1100", ledger.Debit, "5", "USD"), baseOnly("4000", ledger.Credit, "5", "USD")))
	require.ErrorIs(t, err, ledger.ErrNoBaseCurrency)
	require.Equal(t, before, rows(t, h, tn))
	_, err = gl.Revalue(ctx, tn, ledger.RevaluationRequest{Date: ledger.MustDate("2026-01-31"), Rates: map[string]decimal.Decimal{"USD": dec("1")},
		Accounts: []string{"1100"}, GainAccount: "4000", LossAccount: "5000"})
	require.ErrorIs(t, err, ledger.ErrNoBaseCurrency)
	_, err = gl.BalanceSheet(ctx, tn, ledger.MustDate("2026-01-31"), ledger.StatementOptions{Base: true})
	require.ErrorIs(t, err, ledger.ErrNoBaseCurrency)

	// Postings in USD only: BDT cannot become the base, USD can.
	_, err = gl.Post(ctx, tn, entry("2026-01-10", dr("1100", "10", "USD"), cr("4000", "10", "USD")))
	require.NoError(t, err)
	_, err = gl.SetBaseCurrency(ctx, tn, ledger.BaseCurrency{Currency: "BDT"})
	require.ErrorIs(t, err, ledger.ErrBaseCurrencyLocked)
	_, err = gl.SetBaseCurrency(ctx, tn, ledger.BaseCurrency{Currency: "XXX"})
	require.ErrorIs(t, err, ledger.ErrUnknownCurrency)
	_, err = gl.SetBaseCurrency(ctx, tn, ledger.BaseCurrency{Currency: "USD", RoundingAccount: "9999"})
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	_, err = gl.SetBaseCurrency(ctx, tn, ledger.BaseCurrency{Currency: "USD", Tolerance: dec("-1")})
	require.ErrorIs(t, err, ledger.ErrInvalidAmount)
	cal, err := gl.SetBaseCurrency(ctx, tn, ledger.BaseCurrency{Currency: "USD"})
	require.NoError(t, err)
	require.Equal(t, "USD", cal.Base.Currency)
	b := baseBalance(t, ctx, gl, tn, "1100", "USD", ledger.Date{})
	requireDec(t, "10", b.BaseBalance, "earlier postings in the base currency have base = amount")
	// Without a rounding account every base difference is refused.
	_, err = gl.Post(ctx, tn, entry("2026-01-12",
		fx(dr("1100", "1", "BDT"), "0.015", ""), fx(dr("1100", "1", "BDT"), "0.015", ""), fx(cr("4000", "2", "BDT"), "0.015", "")))
	require.ErrorIs(t, err, ledger.ErrUnbalanced)
	// Closing periods keeps the base currency.
	_, err = gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-01-31"), "rahim")
	require.NoError(t, err)
	cal, err = gl.Calendar(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, "USD", cal.Base.Currency)
}

// testFXYearEnd: a year-end close moves foreign revenue in amount and in
// base value, leaving revenue and expense at zero in both.
func testFXYearEnd(t *testing.T, h Harness) {
	ctx, gl, tn := fxSetup(t, h)
	_, err := gl.Post(ctx, tn, entry("2026-01-10", fx(dr("1100", "100", "USD"), "117.50", ""), fx(cr("4000", "100", "USD"), "117.50", "")))
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-02-05", fx(dr("1030", "100", "USD"), "120", ""), fx(cr("1100", "100", "USD"), "", "11750"),
		baseOnly("4900", ledger.Credit, "250", "USD")))
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-03-01", dr("5010", "400", "BDT"), cr("1010", "400", "BDT")))
	require.NoError(t, err)
	_, err = gl.ClosePeriod(ctx, tn, ledger.MustDate("2026-06-30"), "rahim")
	require.NoError(t, err)
	_, err = gl.CloseYear(ctx, tn, ledger.MustDate("2026-06-30"), ledger.YearEndOptions{RetainedEarnings: "3900", By: "rahim"})
	require.NoError(t, err)
	bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{})
	require.NoError(t, err)
	for _, b := range bs {
		if b.Type == ledger.Revenue || b.Type == ledger.Expense {
			require.True(t, b.Debit.Equal(b.Credit) && b.BaseDebit.Equal(b.BaseCredit), "%s %s not closed: %+v", b.Account, b.Currency, b)
		}
	}
	// Retained earnings: USD 100 of sales at 11,750 plus the 250 gain, and BDT -400.
	requireDec(t, "100", baseBalance(t, ctx, gl, tn, "3900", "USD", ledger.Date{}).Balance)
	requireDec(t, "12000", baseBalance(t, ctx, gl, tn, "3900", "USD", ledger.Date{}).BaseBalance)
	requireDec(t, "-400", baseBalance(t, ctx, gl, tn, "3900", "BDT", ledger.Date{}).BaseBalance)
	sheet, err := gl.BalanceSheet(ctx, tn, ledger.MustDate("2026-06-30"), ledger.StatementOptions{Base: true})
	require.NoError(t, err)
	require.True(t, sheet.Balanced())
	requireDec(t, "11600", sheet.Section(ledger.Equity).Total[0])
	is, err := gl.IncomeStatement(ctx, tn, ledger.MustDate("2025-07-01"), ledger.MustDate("2026-06-30"), ledger.StatementOptions{Base: true})
	require.NoError(t, err)
	requireDec(t, "11600", is.Profit[0], "the closed year still shows its profit in base: 11,750 + 250 - 400")
}

// testFXBatch: base totals written by a backdated batch (COPY and the
// general daily path on PostgreSQL), read as of dates and by dimension.
func testFXBatch(t *testing.T, h Harness) {
	ctx, gl, tn := fxSetup(t, h)
	_, err := gl.Post(ctx, tn, entry("2026-01-10", fx(dr("1100", "100", "USD"), "117.50", ""), fx(cr("4000", "100", "USD"), "117.50", "")))
	require.NoError(t, err)
	site := func(l ledger.Line) ledger.Line { l.Dimensions = map[string]string{"site": "barapukuria"}; return l }
	_, err = gl.PostBatch(ctx, tn, []ledger.Entry{
		entry("2026-01-05", site(fx(dr("1100", "10", "USD"), "110", "")), site(fx(cr("4000", "10", "USD"), "110", ""))),
		entry("2026-01-06", site(fx(dr("1100", "5", "USD"), "", "560")), site(fx(cr("4000", "5", "USD"), "", "560"))),
	})
	require.NoError(t, err)
	for d, want := range map[string]string{"2026-01-04": "0", "2026-01-05": "1100", "2026-01-06": "1660", "2026-01-10": "13410"} {
		requireDec(t, want, baseBalance(t, ctx, gl, tn, "1100", "USD", ledger.MustDate(d)).BaseBalance, d)
		tb, err := gl.TrialBalance(ctx, tn, ledger.MustDate(d))
		require.NoError(t, err)
		require.True(t, tb.Balanced(), d)
	}
	requireDec(t, "13410", baseBalance(t, ctx, gl, tn, "1100", "USD", ledger.Date{}).BaseBalance)
	bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{Accounts: []string{"1100"}, Dimensions: map[string]string{"site": "barapukuria"}})
	require.NoError(t, err)
	require.Len(t, bs, 1)
	requireDec(t, "1660", bs[0].BaseBalance)
	requireDec(t, "15", bs[0].Balance)
	grouped, err := gl.Balances(ctx, tn, ledger.BalanceQuery{Accounts: []string{"4000"}, GroupBy: []string{"site"}})
	require.NoError(t, err)
	require.Len(t, grouped, 2)
	requireDec(t, "11750", grouped[0].BaseBalance) // no site
	requireDec(t, "1660", grouped[1].BaseBalance)
}

// testFXProperties: with random foreign-currency postings (split lines
// whose base amounts round one by one, realised differences, backdating)
// and revaluations, every entry balances in the base currency, every base
// balance as of any date is the sum of its lines' base values, the trial
// balance and the base-currency balance sheet balance at every date, and
// posting the same entries in date order gives the same as-of balances.
func testFXProperties(t *testing.T, h Harness) {
	props := gopter.NewProperties(propertyParams(t, 10))
	curs := []string{"USD", "EUR", "BDT"}
	props.Property("base values add up and balance", prop.ForAll(func(steps [][]int) bool {
		ctx, gl, tn := fxSetup(t, h)
		_, _, inOrder := fxSetup(t, h)
		start := ledger.MustDate("2026-01-01")
		var es []ledger.Entry
		for _, v := range steps {
			cur := curs[v[0]%len(curs)]
			rate := decimal.New(int64(50000+v[1]%100000), -3) // 50.000 to 149.999
			amt := decimal.New(int64(1+v[2]%1000000), -2)
			rated := func(l ledger.Line) ledger.Line {
				if cur != "BDT" {
					l.Rate = rate
				}
				return l
			}
			lines := []ledger.Line{rated(ledger.DebitLine("1100", amt, cur))}
			// Split the credit into up to four lines: their base amounts
			// round separately.
			parts, rest := 1+v[3]%4, amt
			for i := 1; i < parts; i++ {
				p := rest.Div(decimal.NewFromInt(2)).RoundDown(2)
				if !p.IsPositive() {
					break
				}
				lines = append(lines, rated(ledger.CreditLine("4000", p, cur)))
				rest = rest.Sub(p)
			}
			lines = append(lines, rated(ledger.CreditLine("4000", rest, cur)))
			if cur != "BDT" && v[4]%3 == 0 {
				// A realised difference moves base value only.
				lines = append(lines, baseOnly("1030", ledger.Debit, "1.23", "USD"), baseOnly("4900", ledger.Credit, "1.23", "USD"))
			}
			es = append(es, ledger.Entry{Date: start.AddDays(v[5] % 60), Description: "p", Lines: lines})
		}
		var posted []ledger.Entry
		for _, e := range es {
			p, err := gl.Post(ctx, tn, e)
			require.NoError(t, err)
			posted = append(posted, p)
		}
		// The same entries in date order, in another tenant.
		sorted := append([]ledger.Entry(nil), es...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date.Before(sorted[j].Date) })
		_, err := gl.PostBatch(ctx, inOrder, sorted)
		require.NoError(t, err)
		// Revalue at the end (dated after every posting).
		_, err = gl.Revalue(ctx, tn, ledger.RevaluationRequest{Date: start.AddDays(61),
			Rates:    map[string]decimal.Decimal{"USD": decimal.New(int64(90000+steps[0][1]%50000), -3), "EUR": dec("131.07")},
			Accounts: []string{"1030", "1100"}, GainAccount: "4900", LossAccount: "5900"})
		if err != nil {
			require.ErrorIs(t, err, ledger.ErrNothingToRevalue)
		}
		all, err := gl.Entries(ctx, tn, ledger.EntryQuery{Limit: 10000})
		require.NoError(t, err)
		type key struct{ acc, cur string }
		for _, d := range []int{-1, 0, 7, 30, 59, 61} {
			asOf := start.AddDays(d)
			want := map[key]decimal.Decimal{}
			for _, e := range all {
				if e.Date.After(asOf) {
					continue
				}
				net := decimal.Zero
				for _, l := range e.Lines {
					v := l.BaseValue("BDT")
					if l.Side == ledger.Credit {
						v = v.Neg()
					}
					net = net.Add(v)
					want[key{l.Account, l.Currency}] = want[key{l.Account, l.Currency}].Add(v)
				}
				require.True(t, net.IsZero(), "entry %s does not balance in BDT: %s", e.ID, net)
			}
			bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf})
			require.NoError(t, err)
			got := map[key]decimal.Decimal{}
			for _, b := range bs {
				got[key{b.Account, b.Currency}] = b.BaseDebit.Sub(b.BaseCredit)
			}
			for k, w := range want {
				require.True(t, w.Equal(got[k]), "%v as of %s: lines %s, balance %s", k, asOf, w, got[k])
			}
			for k, g := range got {
				require.True(t, g.Equal(want[k]), "%v as of %s: balance %s, lines %s", k, asOf, g, want[k])
			}
			tb, err := gl.TrialBalance(ctx, tn, asOf)
			require.NoError(t, err)
			require.True(t, tb.Balanced(), asOf.String())
			sheet, err := gl.BalanceSheet(ctx, tn, asOf, ledger.StatementOptions{Base: true})
			require.NoError(t, err)
			require.True(t, sheet.Balanced(), asOf.String())
			if d <= 59 {
				other, err := gl.Balances(ctx, inOrder, ledger.BalanceQuery{AsOf: asOf})
				require.NoError(t, err)
				require.Equal(t, len(bs), len(other), asOf.String())
				for i := range bs {
					require.True(t, bs[i].BaseDebit.Equal(other[i].BaseDebit) && bs[i].BaseCredit.Equal(other[i].BaseCredit) &&
						bs[i].Debit.Equal(other[i].Debit) && bs[i].Credit.Equal(other[i].Credit),
						"%s %s as of %s: %+v != %+v", bs[i].Account, bs[i].Currency, asOf, bs[i], other[i])
				}
			}
		}
		return true
	}, gen.SliceOfN(15, gen.SliceOfN(6, gen.IntRange(0, 1<<20)))))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}
