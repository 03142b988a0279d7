package storagetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// testDailyTotals checks as-of balances when postings arrive out of date
// order, one by one and in a batch spanning several days of one account:
// every as-of date against sums worked out by hand.
func testDailyTotals(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	post := func(date, amt string) {
		t.Helper()
		_, err := gl.Post(ctx, tn, entry(date, dr("1010", amt, "BDT"), cr("4000", amt, "BDT")))
		require.NoError(t, err)
	}
	post("2026-03-10", "100.00")
	post("2026-03-05", "30.00") // backdated before the only day
	post("2026-03-07", "20.00") // between two days
	post("2026-03-10", "5.00")  // onto an existing day
	_, err := gl.PostBatch(ctx, tn, []ledger.Entry{
		entry("2026-03-12", dr("1010", "1.00", "BDT"), cr("4000", "1.00", "BDT")),
		entry("2026-03-01", dr("1010", "2.00", "BDT"), cr("4000", "2.00", "BDT")),
		entry("2026-03-07", dr("1010", "4.00", "BDT"), cr("4000", "4.00", "BDT")),
		entry("2026-03-06", dr("4000", "8.00", "BDT"), cr("1010", "8.00", "BDT")),
	})
	require.NoError(t, err)
	want := map[string]string{
		"2026-02-28": "0", "2026-03-01": "2.00", "2026-03-04": "2.00", "2026-03-05": "32.00",
		"2026-03-06": "24.00", "2026-03-07": "48.00", "2026-03-09": "48.00", "2026-03-10": "153.00",
		"2026-03-11": "153.00", "2026-03-12": "154.00", "2027-01-01": "154.00",
	}
	for day, amt := range want {
		requireDec(t, amt, balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.MustDate(day)), "cash as of ", day)
		requireDec(t, amt, balanceOf(t, ctx, gl, tn, "4000", "BDT", ledger.MustDate(day)), "sales as of ", day)
	}
	requireDec(t, "154.00", balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.Date{}))
	// A reversal dated earlier than the original counts from its own date.
	es, err := gl.Entries(ctx, tn, ledger.EntryQuery{From: ledger.MustDate("2026-03-10"), To: ledger.MustDate("2026-03-10")})
	require.NoError(t, err)
	require.NotEmpty(t, es)
	_, err = gl.Reverse(ctx, tn, es[0].ID, ledger.MustDate("2026-03-08"), ledger.ReverseOptions{})
	require.NoError(t, err)
	amt := es[0].Lines[0].Amount
	requireDec(t, "48.00", balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.MustDate("2026-03-07")))
	requireDec(t, dec("48.00").Sub(amt).String(), balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.MustDate("2026-03-08")))
	requireDec(t, dec("154.00").Sub(amt).String(), balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.MustDate("2026-03-12")))
	testAsOfActivity(t, h)
}

// testAsOfActivity checks as-of balances of accounts posted at very
// different rates, with and without filters, against sums of the posted
// lines: a busy account posted daily, quiet ones posted twice a year, and
// ones not posted after the as-of date, so that an adapter reading the
// recent daily totals of the busy accounts still finds the quiet ones.
func testAsOfActivity(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	var posted []ledger.Entry
	post := func(es ...ledger.Entry) {
		t.Helper()
		_, err := gl.PostBatch(ctx, tn, es)
		require.NoError(t, err)
		posted = append(posted, es...)
	}
	post(entry("2026-01-05", dr("5000", "10", "BDT"), cr("2000", "10", "BDT")))
	post(entry("2026-01-10", dr("1020", "7", "BDT"), cr("3000", "7", "BDT")))
	var busy []ledger.Entry
	for d := ledger.MustDate("2026-06-01"); !d.After(ledger.MustDate("2026-06-30")); d = d.AddDays(1) {
		busy = append(busy, ledger.Entry{Date: d, Description: "test", Lines: []ledger.Line{dr("1010", "1", "BDT"), cr("4000", "1", "BDT")}})
	}
	post(busy...)
	post(entry("2026-06-15", dr("1030", "5", "USD"), cr("4000", "5", "USD")))
	post(entry("2026-12-31", dr("1020", "3", "BDT"), cr("4000", "3", "BDT")),
		entry("2026-12-31", dr("1010", "2", "BDT"), cr("3000", "2", "BDT")),
		entry("2026-12-31", dr("1030", "1", "USD"), cr("4000", "1", "USD")))
	post(entry("2026-03-01", dr("5010", "4", "BDT"), cr("2000", "4", "BDT"))) // backdated

	want := func(q ledger.BalanceQuery) map[string]string {
		sums := map[string][2]decimal.Decimal{}
		for _, e := range posted {
			if e.Date.After(q.AsOf) {
				continue
			}
			for _, l := range e.Lines {
				if (q.Currency != "" && l.Currency != q.Currency) || (q.Accounts != nil && !slices.Contains(q.Accounts, l.Account)) {
					continue
				}
				k := l.Account + "/" + l.Currency
				v := sums[k]
				if l.Side == ledger.Debit {
					v[0] = v[0].Add(l.Amount)
				} else {
					v[1] = v[1].Add(l.Amount)
				}
				sums[k] = v
			}
		}
		out := map[string]string{}
		for k, v := range sums {
			out[k] = v[0].String() + " " + v[1].String()
		}
		return out
	}
	for _, day := range []string{"2025-12-31", "2026-01-05", "2026-01-09", "2026-01-10", "2026-03-01", "2026-06-01",
		"2026-06-15", "2026-06-29", "2026-06-30", "2026-07-01", "2026-12-30", "2026-12-31", "2027-01-01"} {
		for _, q := range []ledger.BalanceQuery{{}, {Currency: "USD"}, {Currency: "BDT"}, {Accounts: []string{"1020", "4000"}}} {
			q.AsOf = ledger.MustDate(day)
			bs, err := gl.Balances(ctx, tn, q)
			require.NoError(t, err)
			got := map[string]string{}
			for i, b := range bs {
				got[b.Account+"/"+b.Currency] = b.Debit.String() + " " + b.Credit.String()
				if i > 0 {
					require.Less(t, bs[i-1].Account+"/"+bs[i-1].Currency, b.Account+"/"+b.Currency)
				}
			}
			require.Equal(t, want(q), got, "as of %s, %+v", day, q)
		}
	}
}

// testDimensions covers declarations, required dimensions, and balances
// filtered and grouped by dimension.
func testDimensions(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	other := tenant(t)

	// Declarations: a closed list and free values; replacing one.
	_, err := gl.DeclareDimension(ctx, tn, ledger.Dimension{Key: "cost_centre", Name: "Cost centre", Values: []string{"PIT2", "PIT1"}})
	require.NoError(t, err)
	_, err = gl.DeclareDimension(ctx, tn, ledger.Dimension{Key: "site", Name: "Site"})
	require.NoError(t, err)
	d, err := gl.DeclareDimension(ctx, tn, ledger.Dimension{Key: "cost_centre", Name: "Cost centre", Values: []string{"PIT1", "PIT2", "WORKSHOP"}})
	require.NoError(t, err)
	require.Equal(t, []string{"PIT1", "PIT2", "WORKSHOP"}, d.Values)
	ds, err := gl.Dimensions(ctx, tn)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	require.Equal(t, "cost_centre", ds[0].Key)
	require.Equal(t, []string{"PIT1", "PIT2", "WORKSHOP"}, ds[0].Values)
	require.Equal(t, "site", ds[1].Key)
	require.Nil(t, ds[1].Values)
	for _, bad := range []ledger.Dimension{
		{Key: "Cost Centre", Name: "x"}, {Key: "", Name: "x"}, {Key: "k", Name: ""},
		{Key: "k", Name: "x", Values: []string{"a", "a"}}, {Key: "k", Name: "x", Values: []string{" a"}},
	} {
		_, err := gl.DeclareDimension(ctx, tn, bad)
		require.ErrorIs(t, err, ledger.ErrInvalidDimension, "%+v", bad)
	}
	// Another tenant sees none of them.
	ds, err = gl.Dimensions(ctx, other)
	require.NoError(t, err)
	require.Empty(t, ds)

	// Required dimensions, stored with the account.
	a, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: "5100", Name: "Repairs", Type: ledger.Expense,
		RequiredDimensions: []string{"cost_centre"}})
	require.NoError(t, err)
	require.Equal(t, []string{"cost_centre"}, a.RequiredDimensions)
	a, err = gl.RequireDimensions(ctx, tn, "5010", "site", "cost_centre")
	require.NoError(t, err)
	require.Equal(t, []string{"cost_centre", "site"}, a.RequiredDimensions)
	a, err = gl.Account(ctx, tn, "5010")
	require.NoError(t, err)
	require.Equal(t, []string{"cost_centre", "site"}, a.RequiredDimensions)
	_, err = gl.RequireDimensions(ctx, tn, "5010", "Bad Key")
	require.ErrorIs(t, err, ledger.ErrInvalidDimension)

	line := func(l ledger.Line, dims map[string]string) ledger.Line { l.Dimensions = dims; return l }
	before := rows(t, h, tn)
	for _, c := range []struct {
		name string
		e    ledger.Entry
		want error
	}{
		{"missing required", entry("2026-01-10", dr("5100", "10.00", "BDT"), cr("1010", "10.00", "BDT")), ledger.ErrDimensionMissing},
		{"missing one of two", entry("2026-01-10", line(dr("5010", "10.00", "BDT"), map[string]string{"site": "barapukuria"}),
			cr("1010", "10.00", "BDT")), ledger.ErrDimensionMissing},
		{"undeclared key", entry("2026-01-10", line(dr("5100", "10.00", "BDT"), map[string]string{"cost_centre": "PIT1", "project": "x"}),
			cr("1010", "10.00", "BDT")), ledger.ErrDimensionUndeclared},
		{"value not allowed", entry("2026-01-10", line(dr("5100", "10.00", "BDT"), map[string]string{"cost_centre": "PIT9"}),
			cr("1010", "10.00", "BDT")), ledger.ErrDimensionValue},
		{"undeclared on another line", entry("2026-01-10", line(dr("5100", "10.00", "BDT"), map[string]string{"cost_centre": "PIT1"}),
			line(cr("1010", "10.00", "BDT"), map[string]string{"shift": "night"})), ledger.ErrDimensionUndeclared},
	} {
		_, err := gl.Post(ctx, tn, c.e)
		require.ErrorIs(t, err, c.want, c.name)
		var le *ledger.LineError
		require.True(t, errors.As(err, &le), c.name)
	}
	require.Equal(t, before, rows(t, h, tn), "refused postings write nothing")

	// A tenant that declared nothing takes any key (as before declarations).
	for _, ac := range chartOfAccounts {
		_, err := gl.CreateAccount(ctx, other, ac)
		require.NoError(t, err)
	}
	_, err = gl.Post(ctx, other, entry("2026-01-10", line(dr("5010", "1.00", "BDT"), map[string]string{"anything": "goes"}), cr("1010", "1.00", "BDT")))
	require.NoError(t, err)

	// Postings by site and cost centre; both lines of each entry carry the
	// site, the expense line the cost centre.
	type p struct{ date, acc, amt, cc, site string }
	for _, x := range []p{
		{"2026-01-05", "5100", "100.00", "PIT1", "barapukuria"},
		{"2026-01-06", "5100", "40.00", "PIT2", "barapukuria"},
		{"2026-01-07", "5100", "25.00", "PIT1", "maddhapara"},
		{"2026-02-01", "5100", "7.00", "PIT1", "barapukuria"},
		{"2026-01-08", "5010", "60.00", "WORKSHOP", "maddhapara"},
	} {
		_, err := gl.Post(ctx, tn, entry(x.date,
			line(dr(x.acc, x.amt, "BDT"), map[string]string{"cost_centre": x.cc, "site": x.site}),
			line(cr("1010", x.amt, "BDT"), map[string]string{"site": x.site})))
		require.NoError(t, err)
	}
	bal := func(q ledger.BalanceQuery) map[string]string {
		t.Helper()
		bs, err := gl.Balances(ctx, tn, q)
		require.NoError(t, err)
		out := map[string]string{}
		for _, b := range bs {
			k := b.Account
			for _, g := range q.GroupBy {
				k += "/" + b.Dimensions[g]
			}
			out[k] = b.Balance.StringFixed(2)
		}
		return out
	}
	require.Equal(t, map[string]string{"5100": "132.00"},
		bal(ledger.BalanceQuery{Dimensions: map[string]string{"cost_centre": "PIT1"}, Currency: "BDT"}),
		"the cash lines carry no cost centre, so they are not counted")
	require.Equal(t, map[string]string{"5100": "125.00"},
		bal(ledger.BalanceQuery{Dimensions: map[string]string{"cost_centre": "PIT1"}, Accounts: []string{"5100"}, AsOf: ledger.MustDate("2026-01-31")}))
	require.Equal(t, map[string]string{"1010": "-140.00", "5100": "140.00"},
		bal(ledger.BalanceQuery{Dimensions: map[string]string{"site": "barapukuria"}, AsOf: ledger.MustDate("2026-01-31")}))
	require.Equal(t, map[string]string{
		"1010/barapukuria": "-147.00", "1010/maddhapara": "-85.00",
		"5010/maddhapara": "60.00", "5100/barapukuria": "147.00", "5100/maddhapara": "25.00",
	}, bal(ledger.BalanceQuery{GroupBy: []string{"site"}}))
	require.Equal(t, map[string]string{
		"1010/barapukuria/": "-147.00", "1010/maddhapara/": "-85.00",
		"5010/maddhapara/WORKSHOP": "60.00", "5100/barapukuria/PIT1": "107.00",
		"5100/barapukuria/PIT2": "40.00", "5100/maddhapara/PIT1": "25.00",
	}, bal(ledger.BalanceQuery{GroupBy: []string{"site", "cost_centre"}}))

	// A site's trial balance balances (every line carries the site);
	// grouped, every row names its site.
	tb, err := gl.TrialBalanceFor(ctx, tn, ledger.BalanceQuery{Dimensions: map[string]string{"site": "maddhapara"}})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	require.Len(t, tb.Totals, 1)
	requireDec(t, "85.00", tb.Totals[0].Debit)
	tb, err = gl.TrialBalanceFor(ctx, tn, ledger.BalanceQuery{GroupBy: []string{"site"}, AsOf: ledger.MustDate("2026-01-31")})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	require.Len(t, tb.Rows, 5)
	for _, r := range tb.Rows {
		require.Contains(t, []string{"barapukuria", "maddhapara"}, r.Dimensions["site"])
	}
	// A site's income statement and balance sheet.
	is, err := gl.IncomeStatement(ctx, tn, ledger.MustDate("2026-01-01"), ledger.MustDate("2026-01-31"),
		ledger.StatementOptions{Currency: "BDT", Dimensions: map[string]string{"site": "barapukuria"}})
	require.NoError(t, err)
	requireDec(t, "140.00", is.Section(ledger.Expense).Total[0])
	bs, err := gl.BalanceSheet(ctx, tn, ledger.MustDate("2026-01-31"),
		ledger.StatementOptions{Currency: "BDT", Dimensions: map[string]string{"site": "barapukuria"}})
	require.NoError(t, err)
	require.True(t, bs.Balanced())

	// A site's view of an account's statement: opening, lines, closing.
	st, err := gl.Statement(ctx, tn, ledger.StatementQuery{Account: "5100", Currency: "BDT",
		From: ledger.MustDate("2026-01-06"), Dimensions: map[string]string{"site": "barapukuria"}, Limit: 1})
	require.NoError(t, err)
	requireDec(t, "100.00", st.Opening)
	require.Len(t, st.Lines, 1)
	requireDec(t, "40.00", st.Lines[0].Amount)
	requireDec(t, "140.00", st.Lines[0].Balance)
	requireDec(t, "147.00", st.Closing)
	st, err = gl.Statement(ctx, tn, ledger.StatementQuery{Account: "5100", Currency: "BDT",
		From: ledger.MustDate("2026-01-06"), Dimensions: map[string]string{"site": "barapukuria"}, Cursor: st.Next})
	require.NoError(t, err)
	require.Len(t, st.Lines, 1)
	requireDec(t, "7.00", st.Lines[0].Amount)
	requireDec(t, "147.00", st.Lines[0].Balance)
	require.Empty(t, st.Next)
	_, err = gl.Statement(ctx, tn, ledger.StatementQuery{Account: "5100", Currency: "BDT", Dimensions: map[string]string{"Site": "x"}})
	require.ErrorIs(t, err, ledger.ErrInvalidQuery)

	// Other tenants' lines never count, and bad queries are refused.
	obs, err := gl.Balances(ctx, other, ledger.BalanceQuery{GroupBy: []string{"site"}})
	require.NoError(t, err)
	require.Len(t, obs, 2)
	for _, q := range []ledger.BalanceQuery{
		{GroupBy: []string{"Site"}}, {GroupBy: []string{"site", "site"}},
		{Dimensions: map[string]string{"site": ""}}, {Dimensions: map[string]string{"bad key": "x"}},
	} {
		_, err := gl.Balances(ctx, tn, q)
		require.ErrorIs(t, err, ledger.ErrInvalidQuery, "%+v", q)
	}
}

// testDimensionProperties posts random entries whose lines carry random
// site and cost-centre values, and checks what an accountant would: the
// balances grouped by a dimension add up, per account, to the ungrouped
// balance; a filtered balance equals its group; and a trial balance grouped
// by site balances per site when every line of an entry carries its site.
func testDimensionProperties(t *testing.T, h Harness) {
	props := gopter.NewProperties(propertyParams(t, 10))
	sites := []string{"barapukuria", "maddhapara", "dhaka"}
	ccs := []string{"", "PIT1", "PIT2"}
	props.Property("grouped balances add up", prop.ForAll(func(steps [][]int) bool {
		ctx, gl, tn := setup(t, h)
		var es []ledger.Entry
		for _, v := range steps {
			amt := decimal.New(int64(1+v[0]%100000), -2)
			site := sites[v[1]%len(sites)]
			dims := map[string]string{"site": site}
			if cc := ccs[v[2]%len(ccs)]; cc != "" {
				dims["cost_centre"] = cc
			}
			debit, credit := dr("5010", "1", "BDT"), cr("1010", "1", "BDT")
			if v[3]%2 == 1 {
				debit, credit = dr("1020", "1", "BDT"), cr("4000", "1", "BDT")
			}
			debit.Amount, credit.Amount = amt, amt
			debit.Dimensions, credit.Dimensions = dims, map[string]string{"site": site}
			es = append(es, entry(ledger.MustDate("2026-01-01").AddDays(v[4]%90).String(), debit, credit))
		}
		_, err := gl.PostBatch(ctx, tn, es)
		require.NoError(t, err)
		asOf := ledger.MustDate("2026-01-01").AddDays(steps[0][5] % 100)
		total, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf})
		require.NoError(t, err)
		for _, key := range []string{"site", "cost_centre"} {
			grouped, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf, GroupBy: []string{key}})
			require.NoError(t, err)
			sum := map[string]decimal.Decimal{}
			for _, g := range grouped {
				sum[g.Account] = sum[g.Account].Add(g.Balance)
				if g.Dimensions[key] != "" {
					one, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf, Accounts: []string{g.Account},
						Dimensions: map[string]string{key: g.Dimensions[key]}})
					require.NoError(t, err)
					require.Len(t, one, 1)
					require.True(t, one[0].Balance.Equal(g.Balance), "%s %s=%s", g.Account, key, g.Dimensions[key])
				}
			}
			require.Len(t, sum, len(total))
			for _, b := range total {
				require.True(t, sum[b.Account].Equal(b.Balance), "%s grouped by %s: %s != %s", b.Account, key, sum[b.Account], b.Balance)
			}
		}
		for _, site := range sites {
			tb, err := gl.TrialBalanceFor(ctx, tn, ledger.BalanceQuery{AsOf: asOf, Dimensions: map[string]string{"site": site}})
			require.NoError(t, err)
			require.True(t, tb.Balanced(), site)
		}
		return true
	}, gen.SliceOfN(12, gen.SliceOfN(6, gen.IntRange(0, 1<<20)))))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}
