package storagetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// testAsOfManyAccounts checks balances as of every date against the lines,
// at a size where an adapter's read paths for many balances run: 150
// accounts in two currencies, some posted every day, some every few weeks,
// some only at the start (no posting after most dates), posted in shuffled
// date order over 50 days. Read through the store and through a store
// bound to a transaction (InTx).
func testAsOfManyAccounts(t *testing.T, h Harness) {
	ctx, gl, tn := fxSetup(t, h)
	const busy, quiet, early = 90, 40, 20
	code := func(i int) string { return fmt.Sprintf("M%03d", i) }
	for i := range busy + quiet + early {
		_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: code(i), Name: "as-of", Type: ledger.Asset})
		require.NoError(t, err)
	}
	first := ledger.MustDate("2026-01-01")
	const days = 50
	r := rand.New(rand.NewPCG(11, 12))
	var es []ledger.Entry
	type call struct {
		day, a, b int
		usd       bool
	}
	var calls []call
	pair := func(day, a, b int, usd bool) {
		calls = append(calls, call{day, a, b, usd})
		amt := decimal.New(int64(1+r.IntN(100_000)), -2)
		d, c := ledger.DebitLine(code(a), amt, "BDT"), ledger.CreditLine(code(b), amt, "BDT")
		if usd {
			base := amt.Mul(decimal.New(11_750, -2)).Round(2)
			d, c = ledger.DebitLine(code(a), amt, "USD"), ledger.CreditLine(code(b), amt, "USD")
			d.BaseAmount, c.BaseAmount = base, base
		}
		es = append(es, ledger.Entry{Date: first.AddDays(day), Description: "as-of", Lines: []ledger.Line{d, c}})
	}
	for day := range days {
		for i := 0; i+1 < busy; i += 2 {
			pair(day, i, i+1, i%10 == 0 && day%2 == 1) // some accounts in two currencies
		}
		if day%25 == 3 {
			for i := busy; i+1 < busy+quiet; i += 2 {
				pair(day, i, i+1, i%4 == 0)
			}
		}
		if day < 5 {
			for i := busy + quiet; i+1 < busy+quiet+early; i += 2 {
				pair(day, i, i+1, false)
			}
		}
	}
	// Some account-days are posted twice, likely in different batches:
	// the later batch adds to daily rows that exist.
	for i, n := 0, len(calls); i < n; i += 12 {
		pair(calls[i].day, calls[i].a, calls[i].b, calls[i].usd)
	}
	r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	for len(es) > 0 {
		n := min(500, len(es))
		_, err := gl.PostBatch(ctx, tn, es[:n])
		require.NoError(t, err)
		es = es[n:]
	}

	type key struct{ account, currency string }
	type totals struct{ d, c, bd, bc decimal.Decimal }
	byDay := map[ledger.Date]map[key]totals{}
	for _, e := range allEntries(t, ctx, gl, tn) {
		m := byDay[e.Date]
		if m == nil {
			m = map[key]totals{}
			byDay[e.Date] = m
		}
		for _, l := range e.Lines {
			k, v := key{l.Account, l.Currency}, m[key{l.Account, l.Currency}]
			base := l.BaseAmount
			if l.Currency == "BDT" {
				base = l.Amount
			}
			if l.Side == ledger.Debit {
				v.d, v.bd = v.d.Add(l.Amount), v.bd.Add(base)
			} else {
				v.c, v.bc = v.c.Add(l.Amount), v.bc.Add(base)
			}
			m[k] = v
		}
	}
	check := func(gl *ledger.Ledger, d ledger.Date, want map[key]totals) {
		t.Helper()
		bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: d})
		require.NoError(t, err)
		got := map[key]totals{}
		for _, b := range bs {
			got[key{b.Account, b.Currency}] = totals{b.Debit, b.Credit, b.BaseDebit, b.BaseCredit}
		}
		require.Equal(t, len(want), len(got), "balances as of %s", d)
		for k, w := range want {
			g, ok := got[k]
			require.Truef(t, ok, "%v missing as of %s", k, d)
			require.Truef(t, w.d.Equal(g.d) && w.c.Equal(g.c) && w.bd.Equal(g.bd) && w.bc.Equal(g.bc),
				"%v as of %s: store %v, lines %v", k, d, g, w)
		}
	}
	// A balance sheet reads the chart and the balances at once from a
	// store over a pool, one after the other from a bound one: the same
	// statement either way.
	mid := first.AddDays(days / 2)
	bs, err := gl.BalanceSheet(ctx, tn, mid, ledger.StatementOptions{Currency: "BDT", Compare: []ledger.Comparative{ledger.PreviousPeriod}})
	require.NoError(t, err)
	require.True(t, bs.Balanced())
	require.NoError(t, h.InTx(ctx, func(tx ledger.Store) error {
		in, err := ledger.New(tx, ledger.Config{}).BalanceSheet(ctx, tn, mid, ledger.StatementOptions{Currency: "BDT", Compare: []ledger.Comparative{ledger.PreviousPeriod}})
		require.NoError(t, err)
		require.Equal(t, statementText(bs), statementText(in))
		return nil
	}))
	require.Greater(t, len(bs.Sections[0].Rows), busy/2)
	// So does a period trial balance (opening and closing read at once or
	// one after the other).
	ptb, err := gl.PeriodTrialBalance(ctx, tn, first.AddDays(10), mid)
	require.NoError(t, err)
	require.True(t, ptb.Balanced())
	require.NoError(t, h.InTx(ctx, func(tx ledger.Store) error {
		in, err := ledger.New(tx, ledger.Config{}).PeriodTrialBalance(ctx, tn, first.AddDays(10), mid)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprint(ptb), fmt.Sprint(in))
		return nil
	}))
	require.Greater(t, len(ptb.Rows), busy)

	run := map[key]totals{}
	for i := -1; i <= days+1; i++ {
		d := first.AddDays(i)
		for k, v := range byDay[d] {
			w := run[k]
			run[k] = totals{w.d.Add(v.d), w.c.Add(v.c), w.bd.Add(v.bd), w.bc.Add(v.bc)}
		}
		want := make(map[key]totals, len(run))
		for k, v := range run {
			want[k] = v
		}
		check(gl, d, want)
		if i%10 == 7 {
			require.NoError(t, h.InTx(ctx, func(tx ledger.Store) error {
				check(ledger.New(tx, ledger.Config{}), d, want)
				return nil
			}))
		}
	}
}

// statementText renders a statement's rows and totals for comparison.
func statementText(fs ledger.FinancialStatement) string {
	var b strings.Builder
	for _, sec := range fs.Sections {
		for _, r := range sec.Rows {
			fmt.Fprintf(&b, "%s %s %d %v %v\n", sec.Type, r.Account, r.Depth, r.Amounts, r.Own)
		}
		fmt.Fprintf(&b, "total %s %v\n", sec.Type, sec.Total)
	}
	fmt.Fprintf(&b, "profit %v\n", fs.Profit)
	return b.String()
}

// allEntries reads every entry of the tenant, a page at a time.
func allEntries(t *testing.T, ctx context.Context, gl *ledger.Ledger, tn string) []ledger.Entry {
	t.Helper()
	out, err := readAllEntries(ctx, gl, tn)
	require.NoError(t, err)
	return out
}

// testAccountsList checks that listing accounts returns every field as
// reading one account does: metadata, allowed currencies, required
// dimensions, parent, blocked and the creation time; and that an outline
// (AccountFilter.Outline) lists the same accounts with their outline fields.
func testAccountsList(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.DeclareDimension(ctx, tn, ledger.Dimension{Key: "site", Name: "Site"})
	require.NoError(t, err)
	_, err = gl.CreateAccount(ctx, tn, ledger.Account{Code: "6100", Name: "Site fuel", Type: ledger.Expense, Parent: "5000",
		Currencies: []string{"BDT", "USD"}, Metadata: map[string]string{"gl": "fuel", "note": "\"quoted\" ☃"},
		RequiredDimensions: []string{"site"}})
	require.NoError(t, err)
	_, err = gl.BlockAccount(ctx, tn, "1020")
	require.NoError(t, err)
	list, err := gl.Accounts(ctx, tn, ledger.AccountFilter{})
	require.NoError(t, err)
	require.Len(t, list, len(chartOfAccounts)+1)
	for _, a := range list {
		one, err := gl.Account(ctx, tn, a.Code)
		require.NoError(t, err)
		require.Equal(t, one, a)
		require.False(t, a.CreatedAt.IsZero())
		require.Equal(t, time.UTC, a.CreatedAt.Location())
	}
	fuel, err := gl.Account(ctx, tn, "6100")
	require.NoError(t, err)
	require.Equal(t, []string{"BDT", "USD"}, fuel.Currencies)
	require.Equal(t, "\"quoted\" ☃", fuel.Metadata["note"])
	require.Equal(t, []string{"site"}, fuel.RequiredDimensions)
	require.Equal(t, "5000", fuel.Parent)
	bank, err := gl.Account(ctx, tn, "1020")
	require.NoError(t, err)
	require.True(t, bank.Blocked)
	require.WithinDuration(t, time.Now(), fuel.CreatedAt, time.Hour)

	// An outline has the same accounts in the same order under every
	// filter, with only ID, code, name, type, normal side, parent and blocked.
	for _, f := range []ledger.AccountFilter{{}, {Type: ledger.Expense}, {Parent: "5000"}, {CodePrefix: "10"}, {CodePrefix: "6100"}} {
		full, err := gl.Accounts(ctx, tn, f)
		require.NoError(t, err)
		require.NotEmpty(t, full, "%+v", f)
		f.Outline = true
		outline, err := gl.Accounts(ctx, tn, f)
		require.NoError(t, err)
		want := make([]ledger.Account, len(full))
		for i, a := range full {
			want[i] = ledger.Account{ID: a.ID, Code: a.Code, Name: a.Name, Type: a.Type, NormalSide: a.NormalSide, Parent: a.Parent, Blocked: a.Blocked}
		}
		require.Equal(t, want, outline, "%+v", f)
	}
	other, err := gl.Accounts(ctx, tenant(t), ledger.AccountFilter{Outline: true})
	require.NoError(t, err)
	require.Empty(t, other, "another tenant's outline")
}

// testAsOfPassStops checks the tenant's balances as of a date when
// the pass over recent daily rows stops before meeting every balance: 40
// busy accounts posted daily fill the recent rows, so the pass stops
// after a block of nothing new and the quiet accounts, posted on early
// days only, take the descents; accounts with a late BDT and an early USD
// balance have the USD one found through the multi-currency step. Every
// balance must equal the one read for its account alone.
func testAsOfPassStops(t *testing.T, h Harness) {
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn := tenant(t)
	var codes []string
	add := func(prefix string, n int) {
		for i := range n {
			code := fmt.Sprintf("%s%03d", prefix, i)
			_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: code, Name: "n " + code, Type: ledger.Asset})
			require.NoError(t, err)
			codes = append(codes, code)
		}
	}
	add("B", 40)       // busy: every day, BDT
	add("Q", 300)      // quiet: January only, BDT
	add("M", 20)       // BDT every day from March, USD in January
	slices.Sort(codes) // the order of the result
	amt := func(i int) decimal.Decimal { return decimal.New(int64(100+i), -2) }
	var es []ledger.Entry
	day0 := ledger.MustDate("2025-01-01")
	for d := range 120 {
		date := day0.AddDays(d)
		for i := range 20 {
			es = append(es, ledger.Entry{Date: date, Description: "busy", Lines: []ledger.Line{
				ledger.DebitLine(fmt.Sprintf("B%03d", 2*i), amt(d+i), "BDT"),
				ledger.CreditLine(fmt.Sprintf("B%03d", 2*i+1), amt(d+i), "BDT")}})
		}
		if d < 30 {
			for i := d; i < 300; i += 30 {
				es = append(es, ledger.Entry{Date: date, Description: "quiet", Lines: []ledger.Line{
					ledger.DebitLine(fmt.Sprintf("Q%03d", i), amt(i), "BDT"),
					ledger.CreditLine("B000", amt(i), "BDT")}})
			}
			if d < 20 {
				es = append(es, ledger.Entry{Date: date, Description: "usd", Lines: []ledger.Line{
					ledger.DebitLine(fmt.Sprintf("M%03d", d), amt(d), "USD"),
					ledger.CreditLine("B001", amt(d), "USD")}})
			}
		}
		if d >= 59 {
			for i := range 10 {
				es = append(es, ledger.Entry{Date: date, Description: "late", Lines: []ledger.Line{
					ledger.DebitLine(fmt.Sprintf("M%03d", 2*i), amt(d), "BDT"),
					ledger.CreditLine(fmt.Sprintf("M%03d", 2*i+1), amt(d), "BDT")}})
			}
		}
	}
	for start := 0; start < len(es); start += 1000 {
		_, err := gl.PostBatch(ctx, tn, es[start:min(start+1000, len(es))])
		require.NoError(t, err)
	}
	for _, date := range []string{"2024-12-31", "2025-01-10", "2025-01-31", "2025-02-15", "2025-03-15", "2025-04-30", "2025-12-31"} {
		asOf := ledger.MustDate(date)
		var each []ledger.Balance // read account by account
		for _, code := range codes {
			one, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf, Accounts: []string{code}})
			require.NoError(t, err)
			each = append(each, one...)
		}
		for _, cur := range []string{"", "BDT", "USD"} {
			all, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: asOf, Currency: cur})
			require.NoError(t, err)
			var want []ledger.Balance
			for _, b := range each {
				if cur == "" || b.Currency == cur {
					want = append(want, b)
				}
			}
			require.Equal(t, len(want), len(all), "%s %s", date, cur)
			for i := range want {
				w, g := want[i], all[i]
				require.True(t, w.Account == g.Account && w.Currency == g.Currency && w.Name == g.Name &&
					w.Type == g.Type && w.NormalSide == g.NormalSide &&
					w.Debit.Equal(g.Debit) && w.Credit.Equal(g.Credit) &&
					w.BaseDebit.Equal(g.BaseDebit) && w.BaseCredit.Equal(g.BaseCredit),
					"%s %s: want %+v, got %+v", date, cur, w, g)
			}
			tb, err := gl.TrialBalance(ctx, tn, asOf)
			require.NoError(t, err)
			require.True(t, tb.Balanced(), date)
		}
	}
}

// testChartChangesSeen checks that a trial balance shows the chart as it
// is when read, however often the same tenant's balances were read
// before (an adapter may keep a chart between reads): a renamed account
// shows its new name, a new account its balance, whether this store or
// another one over the same database (another process) changed the
// chart, and another tenant with the same codes its own names.
func testChartChangesSeen(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.Post(ctx, tn, entry("2026-01-10", dr("1010", "100", "BDT"), cr("4000", "100", "BDT")))
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-01-20", dr("1020", "40", "BDT"), cr("1010", "40", "BDT")))
	require.NoError(t, err)
	names := func(gl *ledger.Ledger, tn string, asOf ledger.Date) map[string]string {
		t.Helper()
		tb, err := gl.TrialBalance(ctx, tn, asOf)
		require.NoError(t, err)
		out := map[string]string{}
		for _, r := range tb.Rows {
			out[r.Account] = r.Name
		}
		return out
	}
	dates := []ledger.Date{{}, ledger.MustDate("2026-01-15"), ledger.MustDate("2026-01-31")}
	for _, d := range dates {
		require.Equal(t, "Cash in hand", names(gl, tn, d)["1010"], d)
	}
	_, err = gl.RenameAccount(ctx, tn, "1010", "Petty cash")
	require.NoError(t, err)
	for _, d := range dates {
		require.Equal(t, "Petty cash", names(gl, tn, d)["1010"], d)
	}
	_, err = gl.CreateAccount(ctx, tn, ledger.Account{Code: "1040", Name: "Bank - Pubali", Type: ledger.Asset})
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-01-12", dr("1040", "7", "BDT"), cr("4000", "7", "BDT")))
	require.NoError(t, err)
	for _, d := range dates[1:] {
		tb, err := gl.TrialBalance(ctx, tn, d)
		require.NoError(t, err)
		var found bool
		for _, r := range tb.Rows {
			if r.Account == "1040" {
				found = true
				require.Equal(t, "Bank - Pubali", r.Name)
				requireDec(t, "7", r.Debit)
			}
		}
		require.True(t, found, "the new account in the trial balance as of %s", d)
	}
	if h.OpenAnother != nil {
		other := ledger.New(h.OpenAnother(t), ledger.Config{})
		_, err = other.RenameAccount(ctx, tn, "1010", "Cash - head office")
		require.NoError(t, err)
		for _, d := range dates {
			require.Equal(t, "Cash - head office", names(gl, tn, d)["1010"], "renamed by another store, as of %s", d)
		}
		// An outline read before and after another store blocks an account.
		outline := func() map[string]ledger.Account {
			t.Helper()
			as, err := gl.Accounts(ctx, tn, ledger.AccountFilter{Outline: true})
			require.NoError(t, err)
			out := map[string]ledger.Account{}
			for _, a := range as {
				out[a.Code] = a
			}
			return out
		}
		require.False(t, outline()["1020"].Blocked)
		_, err = other.BlockAccount(ctx, tn, "1020")
		require.NoError(t, err)
		_, err = other.CreateAccount(ctx, tn, ledger.Account{Code: "1011", Name: "Cash - site", Type: ledger.Asset, Parent: "1000"})
		require.NoError(t, err)
		got := outline()
		require.True(t, got["1020"].Blocked, "blocked by another store")
		require.Equal(t, "Cash - head office", got["1010"].Name)
		site, err := gl.Account(ctx, tn, "1011")
		require.NoError(t, err)
		require.Equal(t, ledger.Account{ID: site.ID, Code: "1011", Name: "Cash - site", Type: ledger.Asset, NormalSide: ledger.Debit, Parent: "1000"}, got["1011"])
	}
	// Another tenant with the same codes and other names.
	tn2 := tenant(t)
	_, err = gl.CreateAccount(ctx, tn2, ledger.Account{Code: "1010", Name: "Tenant two cash", Type: ledger.Asset})
	require.NoError(t, err)
	_, err = gl.CreateAccount(ctx, tn2, ledger.Account{Code: "4000", Name: "Tenant two sales", Type: ledger.Revenue})
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn2, entry("2026-01-10", dr("1010", "5", "BDT"), cr("4000", "5", "BDT")))
	require.NoError(t, err)
	for _, d := range dates {
		got := names(gl, tn2, d)
		require.Equal(t, map[string]string{"1010": "Tenant two cash", "4000": "Tenant two sales"}, got, d)
		require.NotEqual(t, "Tenant two cash", names(gl, tn, d)["1010"])
	}
}

// testChartRenamedWhileRead renames an account again and again while other
// goroutines read trial balances and outlines: every read shows one of
// the names the account has had, a reader never sees an older name after
// a newer one (each read starts after the previous one returned), and
// once the renames are done every read shows the last name.
func testChartRenamedWhileRead(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.Post(ctx, tn, entry("2026-01-10", dr("1010", "100", "BDT"), cr("4000", "100", "BDT")))
	require.NoError(t, err)
	const renames = 15
	order := map[string]int{"Cash in hand": 0}
	for i := 1; i <= renames; i++ {
		order[fmt.Sprintf("Cash %02d", i)] = i
	}
	read := func(k int) (string, error) {
		if k%2 == 0 {
			tb, err := gl.TrialBalance(ctx, tn, ledger.MustDate("2026-01-31"))
			if err != nil {
				return "", err
			}
			for _, r := range tb.Rows {
				if r.Account == "1010" {
					return r.Name, nil
				}
			}
			return "", fmt.Errorf("1010 missing from the trial balance")
		}
		as, err := gl.Accounts(ctx, tn, ledger.AccountFilter{Outline: true, CodePrefix: "1010"})
		if err != nil || len(as) != 1 {
			return "", fmt.Errorf("outline of 1010: %v, %d accounts", err, len(as))
		}
		return as[0].Name, nil
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 3 {
		wg.Go(func() {
			last := 0
			for k := g; ; k++ {
				select {
				case <-done:
					return
				default:
				}
				name, err := read(k)
				if err != nil {
					errs <- err
					return
				}
				i, ok := order[name]
				if !ok || i < last {
					errs <- fmt.Errorf("reader %d: name %q after %q", g, name, fmt.Sprintf("Cash %02d", last))
					return
				}
				last = i
			}
		})
	}
	for i := 1; i <= renames; i++ {
		_, err := gl.RenameAccount(ctx, tn, "1010", fmt.Sprintf("Cash %02d", i))
		require.NoError(t, err)
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for k := range 4 {
		name, err := read(k)
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("Cash %02d", renames), name)
	}
}
