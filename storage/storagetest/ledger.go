package storagetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// Ledger runs the ledger conformance suite against h.
func Ledger(t *testing.T, h Harness) {
	t.Run("Accounts", func(t *testing.T) { t.Parallel(); testAccounts(t, h) })
	t.Run("Hierarchy", func(t *testing.T) { t.Parallel(); testHierarchy(t, h) })
	t.Run("PostAndBalances", func(t *testing.T) { t.Parallel(); testPost(t, h) })
	t.Run("CurrencyMinorUnits", func(t *testing.T) { t.Parallel(); testMinorUnits(t, h) })
	t.Run("BalancesAsOf", func(t *testing.T) { t.Parallel(); testAsOf(t, h) })
	t.Run("BalancesAsOfManyAccounts", func(t *testing.T) { t.Parallel(); testAsOfManyAccounts(t, h) })
	t.Run("BalancesAsOfPassStops", func(t *testing.T) { t.Parallel(); testAsOfPassStops(t, h) })
	t.Run("AccountsList", func(t *testing.T) { t.Parallel(); testAccountsList(t, h) })
	t.Run("ChartChangesSeen", func(t *testing.T) { t.Parallel(); testChartChangesSeen(t, h) })
	t.Run("ChartRenamedWhileRead", func(t *testing.T) { t.Parallel(); testChartRenamedWhileRead(t, h) })
	t.Run("Idempotency", func(t *testing.T) { t.Parallel(); testIdempotency(t, h) })
	t.Run("IdempotencyConcurrent", func(t *testing.T) { t.Parallel(); testIdempotencyConcurrent(t, h) })
	t.Run("PostBatch", func(t *testing.T) { t.Parallel(); testBatch(t, h) })
	t.Run("Reverse", func(t *testing.T) { t.Parallel(); testReverse(t, h) })
	t.Run("ReverseConcurrent", func(t *testing.T) { t.Parallel(); testReverseConcurrent(t, h) })
	t.Run("Entries", func(t *testing.T) { t.Parallel(); testEntries(t, h) })
	t.Run("BadInput", func(t *testing.T) { t.Parallel(); testBadInput(t, h) })
	t.Run("TenantIsolation", func(t *testing.T) { t.Parallel(); testTenants(t, h) })
	t.Run("InTx", func(t *testing.T) { t.Parallel(); testInTx(t, h) })
	t.Run("HostTx", func(t *testing.T) { t.Parallel(); testHostTx(t, h) })
	t.Run("ReadsInTx", func(t *testing.T) { t.Parallel(); testReadsInTx(t, h) })
	t.Run("PanicInTx", func(t *testing.T) { t.Parallel(); testPanicInTx(t, h) })
	t.Run("DeadlineWhileHeld", func(t *testing.T) { t.Parallel(); testDeadlineWhileHeld(t, h) })
	t.Run("ConcurrentHotAccounts", func(t *testing.T) { testConcurrent(t, h) })
	t.Run("ConcurrentMixed", func(t *testing.T) { t.Parallel(); testConcurrentMixed(t, h) })
	t.Run("Cancelled", func(t *testing.T) { t.Parallel(); testCancelled(t, h) })
	t.Run("Properties", func(t *testing.T) { testProperties(t, h) })
	t.Run("GroupedPostings", func(t *testing.T) { t.Parallel(); testGroupProperty(t, h) })
	t.Run("GroupedPostingsCollide", func(t *testing.T) { t.Parallel(); testGroupCollision(t, h) })
	// Not in parallel: the injected panic makes every posting grouped with
	// the test's own run again alone, other tests' included, and
	// GroupedPostingsCollide counts its group's combined writes.
	t.Run("PanicInGroupWrite", func(t *testing.T) { testGroupPanic(t, h) })
	t.Run("ReportsWhilePosting", func(t *testing.T) { t.Parallel(); testReportsWhilePosting(t, h) })
	t.Run("ReadSnapshot", func(t *testing.T) { t.Parallel(); testReadSnapshot(t, h) })
	ledgerComplete(t, h)
}

// tenant returns a tenant ID no other test uses.
func tenant(t testing.TB) string { return "t-" + uuid.NewString() }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var chartOfAccounts = []ledger.Account{
	{Code: "1000", Name: "Assets", Type: ledger.Asset},
	{Code: "1010", Name: "Cash in hand", Type: ledger.Asset, Parent: "1000"},
	{Code: "1020", Name: "Bank - Sonali", Type: ledger.Asset, Parent: "1000"},
	{Code: "1030", Name: "USD account", Type: ledger.Asset, Parent: "1000", Currencies: []string{"USD"}},
	{Code: "2000", Name: "Payables", Type: ledger.Liability},
	{Code: "3000", Name: "Owner's equity", Type: ledger.Equity},
	{Code: "4000", Name: "Sales", Type: ledger.Revenue},
	{Code: "5000", Name: "Expenses", Type: ledger.Expense},
	{Code: "5010", Name: "Fuel", Type: ledger.Expense, Parent: "5000"},
}

// setup returns a ledger over h.Store with the test chart for a new tenant.
func setup(t testing.TB, h Harness) (context.Context, *ledger.Ledger, string) {
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn := tenant(t)
	for _, a := range chartOfAccounts {
		_, err := gl.CreateAccount(ctx, tn, a)
		require.NoError(t, err, a.Code)
	}
	return ctx, gl, tn
}

func entry(date string, lines ...ledger.Line) ledger.Entry {
	return ledger.Entry{Date: ledger.MustDate(date), Description: "test", Lines: lines}
}

func dr(acc, amt, cur string) ledger.Line { return ledger.DebitLine(acc, dec(amt), cur) }
func cr(acc, amt, cur string) ledger.Line { return ledger.CreditLine(acc, dec(amt), cur) }

// balanceOf returns the signed balance of account in currency (zero when none).
func balanceOf(t testing.TB, ctx context.Context, gl *ledger.Ledger, tn, acc, cur string, asOf ledger.Date) decimal.Decimal {
	b, err := gl.Balance(ctx, tn, acc, cur, asOf)
	require.NoError(t, err)
	return b.Balance
}

func requireDec(t testing.TB, want string, got decimal.Decimal, msgs ...any) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "want %s, got %s %v", want, got.String(), fmt.Sprint(msgs...))
}

func rows(t testing.TB, h Harness, tn string) map[string]int {
	t.Helper()
	r, err := h.Rows(context.Background(), tn)
	require.NoError(t, err)
	return r
}

func testAccounts(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	a, err := gl.Account(ctx, tn, "1010")
	require.NoError(t, err)
	require.Equal(t, "Cash in hand", a.Name)
	require.Equal(t, ledger.Asset, a.Type)
	require.Equal(t, ledger.Debit, a.NormalSide)
	require.Equal(t, "1000", a.Parent)
	require.False(t, a.Blocked)
	require.NotEqual(t, uuid.Nil, a.ID)

	usd, err := gl.Account(ctx, tn, "1030")
	require.NoError(t, err)
	require.Equal(t, []string{"USD"}, usd.Currencies)

	// Contra account with metadata keeps its normal side.
	contra, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: "1090", Name: "Accumulated depreciation",
		Type: ledger.Asset, NormalSide: ledger.Credit, Metadata: map[string]string{"ifrs": "IAS16"}})
	require.NoError(t, err)
	got, err := gl.Account(ctx, tn, "1090")
	require.NoError(t, err)
	require.Equal(t, ledger.Credit, got.NormalSide)
	require.Equal(t, map[string]string{"ifrs": "IAS16"}, got.Metadata)
	require.Equal(t, contra.ID, got.ID)
	require.True(t, contra.CreatedAt.Equal(got.CreatedAt), "created_at round trip: %v vs %v", contra.CreatedAt, got.CreatedAt)

	_, err = gl.CreateAccount(ctx, tn, ledger.Account{Code: "1010", Name: "Dup", Type: ledger.Asset})
	require.ErrorIs(t, err, ledger.ErrAccountExists)

	all, err := gl.Accounts(ctx, tn, ledger.AccountFilter{})
	require.NoError(t, err)
	require.Len(t, all, len(chartOfAccounts)+1)
	require.True(t, sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Code < all[j].Code }))

	assets, err := gl.Accounts(ctx, tn, ledger.AccountFilter{Type: ledger.Asset})
	require.NoError(t, err)
	require.Equal(t, []string{"1000", "1010", "1020", "1030", "1090"}, codes(assets))

	kids, err := gl.Accounts(ctx, tn, ledger.AccountFilter{Parent: "1000"})
	require.NoError(t, err)
	require.Equal(t, []string{"1010", "1020", "1030"}, codes(kids))

	pref, err := gl.Accounts(ctx, tn, ledger.AccountFilter{CodePrefix: "50"})
	require.NoError(t, err)
	require.Equal(t, []string{"5000", "5010"}, codes(pref))

	// A prefix with LIKE wildcards matches literally.
	pct, err := gl.Accounts(ctx, tn, ledger.AccountFilter{CodePrefix: "1%"})
	require.NoError(t, err)
	require.Empty(t, pct)

	r, err := gl.RenameAccount(ctx, tn, "1020", "Bank - Sonali, Motijheel")
	require.NoError(t, err)
	require.Equal(t, "Bank - Sonali, Motijheel", r.Name)
	got, err = gl.Account(ctx, tn, "1020")
	require.NoError(t, err)
	require.Equal(t, "Bank - Sonali, Motijheel", got.Name)
	require.Equal(t, "1000", got.Parent)

	// Blocked accounts reject postings; unblocking restores them.
	_, err = gl.BlockAccount(ctx, tn, "1010")
	require.NoError(t, err)
	got, err = gl.Account(ctx, tn, "1010")
	require.NoError(t, err)
	require.True(t, got.Blocked)
	before := rows(t, h, tn)
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1010", "10", "BDT"), cr("3000", "10", "BDT")))
	require.ErrorIs(t, err, ledger.ErrAccountBlocked)
	var le *ledger.LineError
	require.ErrorAs(t, err, &le)
	require.Equal(t, 0, le.Line)
	require.Equal(t, before, rows(t, h, tn))
	_, err = gl.UnblockAccount(ctx, tn, "1010")
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1010", "10", "BDT"), cr("3000", "10", "BDT")))
	require.NoError(t, err)

	_, err = gl.RenameAccount(ctx, tn, "9999", "x")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	_, err = gl.BlockAccount(ctx, tn, "9999")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
}

func codes(as []ledger.Account) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Code
	}
	return out
}

func testHierarchy(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	// 1000 > 1010; make 1011 under 1010, then try to move 1000 under 1011.
	_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: "1011", Name: "Petty cash", Type: ledger.Asset, Parent: "1010"})
	require.NoError(t, err)
	_, err = gl.MoveAccount(ctx, tn, "1000", "1011")
	require.ErrorIs(t, err, ledger.ErrAccountCycle)
	_, err = gl.MoveAccount(ctx, tn, "1010", "1010")
	require.ErrorIs(t, err, ledger.ErrAccountCycle)
	_, err = gl.MoveAccount(ctx, tn, "1010", "2000")
	require.ErrorIs(t, err, ledger.ErrParentType)
	_, err = gl.MoveAccount(ctx, tn, "1010", "4242")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	got, err := gl.Account(ctx, tn, "1000")
	require.NoError(t, err)
	require.Equal(t, "", got.Parent)

	moved, err := gl.MoveAccount(ctx, tn, "1011", "1020")
	require.NoError(t, err)
	require.Equal(t, "1020", moved.Parent)
	kids, err := gl.Accounts(ctx, tn, ledger.AccountFilter{Parent: "1020"})
	require.NoError(t, err)
	require.Equal(t, []string{"1011"}, codes(kids))
	top, err := gl.MoveAccount(ctx, tn, "1011", "")
	require.NoError(t, err)
	require.Equal(t, "", top.Parent)

	_, err = gl.CreateAccount(ctx, tn, ledger.Account{Code: "2100", Name: "x", Type: ledger.Liability, Parent: "7777"})
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	_, err = gl.CreateAccount(ctx, tn, ledger.Account{Code: "2100", Name: "x", Type: ledger.Liability, Parent: "1000"})
	require.ErrorIs(t, err, ledger.ErrParentType)
}

func testPost(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	e := entry("2026-07-01",
		dr("1020", "100000.00", "BDT"),
		cr("3000", "100000", "BDT"))
	e.Reference = "CAP-1"
	e.Metadata = map[string]string{"source": "test"}
	posted, err := gl.Post(ctx, tn, e)
	require.NoError(t, err)
	require.NotEqual(t, uuid.Nil, posted.ID)
	require.False(t, posted.PostedAt.IsZero())

	fuel := entry("2026-07-02",
		ledger.Line{Account: "5010", Side: ledger.Debit, Amount: dec("2500.50"), Currency: "bdt", Memo: "diesel",
			Dimensions: map[string]string{"site": "barapukuria", "equipment": "EX-12"}},
		ledger.Line{Account: "1010", Side: ledger.Debit, Amount: dec("0.50"), Currency: "BDT"},
		cr("1020", "2501.00", "BDT"))
	fp, err := gl.Post(ctx, tn, fuel)
	require.NoError(t, err)

	got, err := gl.Entry(ctx, tn, fp.ID)
	require.NoError(t, err)
	require.Equal(t, fp.ID, got.ID)
	require.Equal(t, ledger.MustDate("2026-07-02"), got.Date)
	require.Len(t, got.Lines, 3)
	require.Equal(t, "5010", got.Lines[0].Account)
	require.Equal(t, "BDT", got.Lines[0].Currency)
	require.Equal(t, "diesel", got.Lines[0].Memo)
	require.Equal(t, map[string]string{"site": "barapukuria", "equipment": "EX-12"}, got.Lines[0].Dimensions)
	requireDec(t, "2500.50", got.Lines[0].Amount)
	require.Equal(t, ledger.Credit, got.Lines[2].Side)
	require.True(t, fp.PostedAt.Equal(got.PostedAt))

	got0, err := gl.Entry(ctx, tn, posted.ID)
	require.NoError(t, err)
	require.Equal(t, "CAP-1", got0.Reference)
	require.Equal(t, map[string]string{"source": "test"}, got0.Metadata)

	requireDec(t, "97499", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
	requireDec(t, "100000", balanceOf(t, ctx, gl, tn, "3000", "BDT", ledger.Date{}))
	requireDec(t, "2500.5", balanceOf(t, ctx, gl, tn, "5010", "BDT", ledger.Date{}))
	requireDec(t, "0", balanceOf(t, ctx, gl, tn, "4000", "BDT", ledger.Date{}))

	b, err := gl.Balance(ctx, tn, "1020", "BDT", ledger.Date{})
	require.NoError(t, err)
	requireDec(t, "100000", b.Debit)
	requireDec(t, "2501", b.Credit)

	// A credit balance on a debit-normal account is negative.
	_, err = gl.Post(ctx, tn, entry("2026-07-03", dr("2000", "5", "BDT"), cr("1010", "5", "BDT")))
	require.NoError(t, err)
	requireDec(t, "-4.5", balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.Date{}))
	requireDec(t, "-5", balanceOf(t, ctx, gl, tn, "2000", "BDT", ledger.Date{}))

	tb, err := gl.TrialBalance(ctx, tn, ledger.Date{})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	require.Len(t, tb.Totals, 1)
	requireDec(t, "100004.5", tb.Totals[0].Debit)  // 97499 + 2500.5 + 5 (payables debit)
	requireDec(t, "100004.5", tb.Totals[0].Credit) // 100000 + 4.5 (cash overdrawn)
	byCode := map[string]ledger.TrialBalanceRow{}
	for _, r := range tb.Rows {
		byCode[r.Account] = r
	}
	requireDec(t, "4.5", byCode["1010"].Credit)
	requireDec(t, "0", byCode["1010"].Debit)
	requireDec(t, "5", byCode["2000"].Debit)
	requireDec(t, "100000", byCode["3000"].Credit)
	_, has := byCode["4000"]
	require.False(t, has, "accounts without a balance are left out")

	// Multi-currency entry balancing in each currency separately.
	_, err = gl.Post(ctx, tn, entry("2026-07-04",
		dr("1030", "100", "USD"), cr("3000", "100", "USD"),
		dr("1020", "1.25", "BDT"), cr("3000", "1.25", "BDT")))
	require.NoError(t, err)
	requireDec(t, "100", balanceOf(t, ctx, gl, tn, "1030", "USD", ledger.Date{}))
	bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{Currency: "USD"})
	require.NoError(t, err)
	require.Len(t, bs, 2)
	tb, err = gl.TrialBalance(ctx, tn, ledger.Date{})
	require.NoError(t, err)
	require.Len(t, tb.Totals, 2)
	require.True(t, tb.Balanced())

	bs, err = gl.Balances(ctx, tn, ledger.BalanceQuery{Accounts: []string{"3000"}})
	require.NoError(t, err)
	require.Len(t, bs, 2)
	require.Equal(t, "BDT", bs[0].Currency)
	require.Equal(t, "USD", bs[1].Currency)
}

func testMinorUnits(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, err := gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "1500", "JPY"), cr("3000", "1500", "JPY")))
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "0.001", "KWD"), cr("3000", "0.001", "KWD")))
	require.NoError(t, err)
	requireDec(t, "0.001", balanceOf(t, ctx, gl, tn, "1020", "KWD", ledger.Date{}))
	requireDec(t, "1500", balanceOf(t, ctx, gl, tn, "1020", "JPY", ledger.Date{}))
	before := rows(t, h, tn)
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "1.5", "JPY"), cr("3000", "1.5", "JPY")))
	require.ErrorIs(t, err, ledger.ErrTooManyDecimals)
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "0.0001", "KWD"), cr("3000", "0.0001", "KWD")))
	require.ErrorIs(t, err, ledger.ErrTooManyDecimals)
	require.Equal(t, before, rows(t, h, tn))
	// Large amounts stay exact.
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "999999999999.99", "BDT"), cr("3000", "999999999999.99", "BDT")))
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "0.01", "BDT"), cr("3000", "0.01", "BDT")))
	require.NoError(t, err)
	requireDec(t, "1000000000000", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
}

func testAsOf(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	post := func(date, amt string) {
		_, err := gl.Post(ctx, tn, entry(date, dr("1020", amt, "BDT"), cr("4000", amt, "BDT")))
		require.NoError(t, err)
	}
	post("2026-07-10", "100")
	post("2026-08-10", "200")
	post("2026-09-10", "400")
	post("2026-07-20", "800") // backdated after later postings
	for _, c := range []struct{ asOf, want string }{
		{"2026-07-09", "0"}, {"2026-07-10", "100"}, {"2026-07-19", "100"}, {"2026-07-20", "900"},
		{"2026-08-09", "900"}, {"2026-08-10", "1100"}, {"2026-09-10", "1500"}, {"2030-01-01", "1500"},
	} {
		requireDec(t, c.want, balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.MustDate(c.asOf)), c.asOf)
		requireDec(t, c.want, balanceOf(t, ctx, gl, tn, "4000", "BDT", ledger.MustDate(c.asOf)), c.asOf)
	}
	tb, err := gl.TrialBalance(ctx, tn, ledger.MustDate("2026-07-31"))
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	require.Len(t, tb.Rows, 2)
	requireDec(t, "900", tb.Totals[0].Debit)
	tb, err = gl.TrialBalance(ctx, tn, ledger.MustDate("2026-07-01"))
	require.NoError(t, err)
	require.Empty(t, tb.Rows)
	bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: ledger.MustDate("2026-07-01")})
	require.NoError(t, err)
	require.Empty(t, bs)
}

func testIdempotency(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	e := entry("2026-07-01", dr("1020", "10.00", "BDT"), cr("4000", "10", "BDT"))
	e.IdempotencyKey = "inv-1"
	e.Metadata = map[string]string{"a": "b"}
	first, err := gl.Post(ctx, tn, e)
	require.NoError(t, err)
	before := rows(t, h, tn)

	// Same content (amounts written differently) replays the original.
	again := e
	again.Lines = []ledger.Line{dr("1020", "10", "BDT"), cr("4000", "10.0", "BDT")}
	replay, err := gl.Post(ctx, tn, again)
	require.NoError(t, err)
	require.Equal(t, first.ID, replay.ID)
	require.True(t, first.PostedAt.Equal(replay.PostedAt))
	require.Equal(t, before, rows(t, h, tn))
	requireDec(t, "10", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))

	// Anything different is a conflict, not a silent replay.
	variants := map[string]func(*ledger.Entry){
		"amount":      func(x *ledger.Entry) { x.Lines = []ledger.Line{dr("1020", "11", "BDT"), cr("4000", "11", "BDT")} },
		"account":     func(x *ledger.Entry) { x.Lines = []ledger.Line{dr("1010", "10", "BDT"), cr("4000", "10", "BDT")} },
		"date":        func(x *ledger.Entry) { x.Date = ledger.MustDate("2026-07-02") },
		"description": func(x *ledger.Entry) { x.Description = "other" },
		"metadata":    func(x *ledger.Entry) { x.Metadata = nil },
		"memo": func(x *ledger.Entry) {
			x.Lines = []ledger.Line{dr("1020", "10", "BDT"), cr("4000", "10", "BDT")}
			x.Lines[0].Memo = "m"
		},
	}
	for name, change := range variants {
		v := e
		change(&v)
		_, err := gl.Post(ctx, tn, v)
		require.ErrorIs(t, err, ledger.ErrIdempotencyConflict, name)
		require.Equal(t, before, rows(t, h, tn), name)
	}

	// Keys are per tenant: another tenant may use the same key.
	ctx2, gl2, tn2 := setup(t, h)
	other, err := gl2.Post(ctx2, tn2, e)
	require.NoError(t, err)
	require.NotEqual(t, first.ID, other.ID)
}

func testIdempotencyConcurrent(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	e := entry("2026-07-01", dr("1020", "7", "BDT"), cr("4000", "7", "BDT"))
	e.IdempotencyKey = "pay-42"
	const n = 8
	ids := make([]uuid.UUID, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var p ledger.Entry
			p, errs[i] = gl.Post(ctx, tn, e)
			ids[i] = p.ID
		}()
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i])
		require.Equal(t, ids[0], ids[i])
	}
	require.Equal(t, 1, rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, "7", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
}

func testBatch(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	var es []ledger.Entry
	for i := range 50 {
		e := entry("2026-07-01", dr("1020", fmt.Sprint(i+1), "BDT"), cr("4000", fmt.Sprint(i+1), "BDT"))
		e.IdempotencyKey = fmt.Sprintf("b-%d", i)
		es = append(es, e)
	}
	out, err := gl.PostBatch(ctx, tn, es)
	require.NoError(t, err)
	require.Len(t, out, 50)
	requireDec(t, "1275", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
	seen := map[uuid.UUID]bool{}
	for i, e := range out {
		require.Equal(t, es[i].IdempotencyKey, e.IdempotencyKey)
		require.False(t, seen[e.ID])
		seen[e.ID] = true
	}
	before := rows(t, h, tn)

	// A batch with bad entries posts nothing and names each bad entry.
	bad := []ledger.Entry{
		entry("2026-07-02", dr("1020", "1", "BDT"), cr("4000", "1", "BDT")),
		entry("2026-07-02", dr("1020", "1", "BDT"), cr("4000", "2", "BDT")), // unbalanced
		entry("2026-07-02", dr("1020", "1", "BDT"), cr("4000", "1", "BDT")),
		entry("2026-07-02", dr("nope", "1", "BDT"), cr("4000", "1", "BDT")), // unknown account
	}
	_, err = gl.PostBatch(ctx, tn, bad)
	var be *ledger.BatchError
	require.ErrorAs(t, err, &be)
	require.ErrorIs(t, err, ledger.ErrUnbalanced)
	require.Len(t, be.Entries, 1, "shape errors are reported before stored state is read")
	require.Equal(t, 1, be.Entries[0].Index)
	bad[1] = entry("2026-07-02", dr("1020", "2", "BDT"), cr("4000", "2", "BDT"))
	conflict := es[3]
	conflict.Description = "changed"
	bad = append(bad, conflict)
	_, err = gl.PostBatch(ctx, tn, bad)
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Entries, 2)
	require.Equal(t, 3, be.Entries[0].Index)
	require.ErrorIs(t, be.Entries[0], ledger.ErrAccountNotFound)
	require.Equal(t, 4, be.Entries[1].Index)
	require.ErrorIs(t, be.Entries[1], ledger.ErrIdempotencyConflict)
	require.Equal(t, before, rows(t, h, tn))

	// Replays inside a batch come back as posted; new ones post; duplicates
	// of a key within the batch post once.
	fresh := entry("2026-07-03", dr("1020", "1000", "BDT"), cr("4000", "1000", "BDT"))
	fresh.IdempotencyKey = "new"
	out, err = gl.PostBatch(ctx, tn, []ledger.Entry{es[0], fresh, fresh})
	require.NoError(t, err)
	require.Equal(t, es[0].IdempotencyKey, out[0].IdempotencyKey)
	require.Equal(t, out[1].ID, out[2].ID)
	got, err := gl.Entry(ctx, tn, out[1].ID)
	require.NoError(t, err)
	require.Equal(t, "new", got.IdempotencyKey)
	requireDec(t, "2275", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
	after := rows(t, h, tn)
	require.Equal(t, before["erp_ledger_entries"]+1, after["erp_ledger_entries"])

	_, err = gl.PostBatch(ctx, tn, nil)
	require.ErrorIs(t, err, ledger.ErrInvalidEntry)
}

func testReverse(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	orig, err := gl.Post(ctx, tn, ledger.Entry{Date: ledger.MustDate("2026-07-05"), Description: "Fuel", Reference: "V-9",
		Lines: []ledger.Line{
			{Account: "5010", Side: ledger.Debit, Amount: dec("300"), Currency: "BDT", Dimensions: map[string]string{"site": "s1"}},
			cr("1010", "300", "BDT"),
		}})
	require.NoError(t, err)
	rev, err := gl.Reverse(ctx, tn, orig.ID, ledger.MustDate("2026-07-31"), ledger.ReverseOptions{})
	require.NoError(t, err)
	require.Equal(t, orig.ID, rev.Reverses)
	require.Equal(t, "Reversal of Fuel", rev.Description)
	require.Equal(t, "V-9", rev.Reference)
	require.Equal(t, ledger.MustDate("2026-07-31"), rev.Date)
	require.Len(t, rev.Lines, 2)
	require.Equal(t, ledger.Credit, rev.Lines[0].Side)
	require.Equal(t, "5010", rev.Lines[0].Account)
	require.Equal(t, map[string]string{"site": "s1"}, rev.Lines[0].Dimensions)
	require.Equal(t, ledger.Debit, rev.Lines[1].Side)

	got, err := gl.Entry(ctx, tn, orig.ID)
	require.NoError(t, err)
	require.Equal(t, rev.ID, got.ReversedBy)
	gotRev, err := gl.Entry(ctx, tn, rev.ID)
	require.NoError(t, err)
	require.Equal(t, orig.ID, gotRev.Reverses)

	requireDec(t, "0", balanceOf(t, ctx, gl, tn, "5010", "BDT", ledger.Date{}))
	requireDec(t, "300", balanceOf(t, ctx, gl, tn, "5010", "BDT", ledger.MustDate("2026-07-30")))

	before := rows(t, h, tn)
	_, err = gl.Reverse(ctx, tn, orig.ID, ledger.MustDate("2026-08-01"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrAlreadyReversed)
	_, err = gl.Reverse(ctx, tn, uuid.Must(uuid.NewV7()), ledger.MustDate("2026-08-01"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrEntryNotFound)
	require.Equal(t, before, rows(t, h, tn))

	// Reverses cannot be forged through Post.
	forged := entry("2026-08-01", dr("1010", "1", "BDT"), cr("5010", "1", "BDT"))
	forged.Reverses = orig.ID
	_, err = gl.Post(ctx, tn, forged)
	require.ErrorIs(t, err, ledger.ErrInvalidEntry)

	// A reversal into a blocked account is refused.
	o2, err := gl.Post(ctx, tn, entry("2026-07-06", dr("5000", "5", "BDT"), cr("1010", "5", "BDT")))
	require.NoError(t, err)
	_, err = gl.BlockAccount(ctx, tn, "5000")
	require.NoError(t, err)
	_, err = gl.Reverse(ctx, tn, o2.ID, ledger.MustDate("2026-07-07"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrAccountBlocked)
}

func testReverseConcurrent(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	orig, err := gl.Post(ctx, tn, entry("2026-07-05", dr("5010", "300", "BDT"), cr("1010", "300", "BDT")))
	require.NoError(t, err)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = gl.Reverse(ctx, tn, orig.ID, ledger.MustDate("2026-07-06"), ledger.ReverseOptions{})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		require.ErrorIs(t, err, ledger.ErrAlreadyReversed)
	}
	require.Equal(t, 1, ok)
	require.Equal(t, 2, rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, "0", balanceOf(t, ctx, gl, tn, "1010", "BDT", ledger.Date{}))
}

func testEntries(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	var ids []uuid.UUID
	for i := range 25 {
		p, err := gl.Post(ctx, tn, entry(fmt.Sprintf("2026-07-%02d", i+1), dr("1020", "1", "BDT"), cr("4000", "1", "BDT")))
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	var got []uuid.UUID
	after := uuid.Nil
	for {
		page, err := gl.Entries(ctx, tn, ledger.EntryQuery{After: after, Limit: 10})
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		require.LessOrEqual(t, len(page), 10)
		for _, e := range page {
			require.Len(t, e.Lines, 2)
			got = append(got, e.ID)
		}
		after = page[len(page)-1].ID
	}
	require.Equal(t, ids, got)
	ranged, err := gl.Entries(ctx, tn, ledger.EntryQuery{From: ledger.MustDate("2026-07-05"), To: ledger.MustDate("2026-07-07")})
	require.NoError(t, err)
	require.Len(t, ranged, 3)
	require.Equal(t, ids[4], ranged[0].ID)
}

// testBadInput: each bad request returns its specific error and leaves every
// row count unchanged.
func testBadInput(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	_, otherGL, other := setup(t, h)
	_, err := otherGL.CreateAccount(ctx, other, ledger.Account{Code: "9100", Name: "Other's", Type: ledger.Asset})
	require.NoError(t, err)
	_, err = gl.CreateAccount(ctx, tn, ledger.Account{Code: "1900", Name: "Blocked", Type: ledger.Asset})
	require.NoError(t, err)
	_, err = gl.BlockAccount(ctx, tn, "1900")
	require.NoError(t, err)
	keyed := entry("2026-07-01", dr("1020", "10", "BDT"), cr("4000", "10", "BDT"))
	keyed.IdempotencyKey = "k1"
	_, err = gl.Post(ctx, tn, keyed)
	require.NoError(t, err)

	ok := func() ledger.Entry { return entry("2026-07-01", dr("1020", "10", "BDT"), cr("4000", "10", "BDT")) }
	with := func(f func(*ledger.Entry)) ledger.Entry { e := ok(); f(&e); return e }
	cases := []struct {
		name   string
		tenant string
		e      ledger.Entry
		want   error
	}{
		{"unbalanced", tn, entry("2026-07-01", dr("1020", "10", "BDT"), cr("4000", "9.99", "BDT")), ledger.ErrUnbalanced},
		{"unbalanced in one of two currencies", tn, entry("2026-07-01", dr("1020", "10", "BDT"), cr("4000", "10", "BDT"), dr("1030", "5", "USD"), cr("3000", "4", "USD")), ledger.ErrUnbalanced},
		{"balanced only across currencies", tn, entry("2026-07-01", dr("1020", "10", "BDT"), cr("1030", "10", "USD")), ledger.ErrUnbalanced},
		{"single line", tn, entry("2026-07-01", dr("1020", "10", "BDT")), ledger.ErrInvalidEntry},
		{"no lines", tn, entry("2026-07-01"), ledger.ErrInvalidEntry},
		{"zero amount", tn, entry("2026-07-01", dr("1020", "0", "BDT"), cr("4000", "0", "BDT")), ledger.ErrInvalidAmount},
		{"negative amount", tn, entry("2026-07-01", dr("1020", "-5", "BDT"), cr("4000", "-5", "BDT")), ledger.ErrInvalidAmount},
		{"too many decimals BDT", tn, entry("2026-07-01", dr("1020", "10.001", "BDT"), cr("4000", "10.001", "BDT")), ledger.ErrTooManyDecimals},
		{"decimals on JPY", tn, entry("2026-07-01", dr("1020", "10.5", "JPY"), cr("4000", "10.5", "JPY")), ledger.ErrTooManyDecimals},
		{"amount out of range", tn, entry("2026-07-01", dr("1020", "100000000000000000", "BDT"), cr("4000", "100000000000000000", "BDT")), ledger.ErrInvalidAmount},
		{"unknown account", tn, entry("2026-07-01", dr("1999", "10", "BDT"), cr("4000", "10", "BDT")), ledger.ErrAccountNotFound},
		{"empty account code", tn, entry("2026-07-01", dr("", "10", "BDT"), cr("4000", "10", "BDT")), ledger.ErrInvalidEntry},
		{"blocked account", tn, entry("2026-07-01", dr("1900", "10", "BDT"), cr("4000", "10", "BDT")), ledger.ErrAccountBlocked},
		{"unknown currency", tn, entry("2026-07-01", dr("1020", "10", "XYZ"), cr("4000", "10", "XYZ")), ledger.ErrUnknownCurrency},
		{"empty currency", tn, entry("2026-07-01", dr("1020", "10", ""), cr("4000", "10", "")), ledger.ErrUnknownCurrency},
		{"currency not allowed on account", tn, entry("2026-07-01", dr("1030", "10", "BDT"), cr("4000", "10", "BDT")), ledger.ErrCurrencyNotAllowed},
		{"another tenant's account", tn, entry("2026-07-01", dr("9100", "10", "BDT"), cr("4000", "10", "BDT")), ledger.ErrAccountNotFound},
		{"empty tenant", "", ok(), ledger.ErrInvalidTenant},
		{"tenant with control character", "t\x00x", ok(), ledger.ErrInvalidTenant},
		{"same key, other content", tn, with(func(e *ledger.Entry) { e.IdempotencyKey = "k1"; e.Description = "other" }), ledger.ErrIdempotencyConflict},
		{"no date", tn, with(func(e *ledger.Entry) { e.Date = ledger.Date{} }), ledger.ErrInvalidDate},
		{"impossible date", tn, with(func(e *ledger.Entry) { e.Date = ledger.NewDate(2026, 2, 30) }), ledger.ErrInvalidDate},
		{"bad side", tn, with(func(e *ledger.Entry) { e.Lines[0].Side = "left" }), ledger.ErrInvalidEntry},
		{"forged reversal", tn, with(func(e *ledger.Entry) { e.Reverses = uuid.New() }), ledger.ErrInvalidEntry},
		{"description too long", tn, with(func(e *ledger.Entry) { e.Description = string(make([]byte, 5000)) }), ledger.ErrInvalidEntry},
		{"empty dimension key", tn, with(func(e *ledger.Entry) { e.Lines[0].Dimensions = map[string]string{"": "x"} }), ledger.ErrInvalidEntry},
		{"second line blocked", tn, entry("2026-07-01", dr("1020", "10", "BDT"), cr("1900", "10", "BDT")), ledger.ErrAccountBlocked},
	}
	require.GreaterOrEqual(t, len(cases), 25)
	for _, c := range cases {
		before, beforeOther := rows(t, h, tn), rows(t, h, other)
		_, err := gl.Post(ctx, c.tenant, c.e)
		require.ErrorIs(t, err, c.want, c.name)
		require.Equal(t, before, rows(t, h, tn), c.name)
		require.Equal(t, beforeOther, rows(t, h, other), c.name)
		// The same entry inside a batch fails the same way, by index.
		_, err = gl.PostBatch(ctx, c.tenant, []ledger.Entry{ok(), c.e})
		require.ErrorIs(t, err, c.want, c.name+" (batch)")
		var be *ledger.BatchError
		if c.tenant != "" && c.tenant != "t\x00x" {
			require.ErrorAs(t, err, &be, c.name)
			require.Equal(t, 1, be.Entries[0].Index, c.name)
		}
		require.Equal(t, before, rows(t, h, tn), c.name+" (batch)")
	}
	var ue *ledger.UnbalancedError
	_, err = gl.Post(ctx, tn, cases[1].e)
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "USD", ue.Currency)
	requireDec(t, "1", ue.Difference)

	accountCases := []struct {
		name string
		a    ledger.Account
		want error
	}{
		{"empty code", ledger.Account{Name: "x", Type: ledger.Asset}, ledger.ErrInvalidAccount},
		{"code with space", ledger.Account{Code: "10 10", Name: "x", Type: ledger.Asset}, ledger.ErrInvalidAccount},
		{"no name", ledger.Account{Code: "1", Type: ledger.Asset}, ledger.ErrInvalidAccount},
		{"bad type", ledger.Account{Code: "1", Name: "x", Type: "cash"}, ledger.ErrInvalidAccount},
		{"bad normal side", ledger.Account{Code: "1", Name: "x", Type: ledger.Asset, NormalSide: "up"}, ledger.ErrInvalidAccount},
		{"unknown currency", ledger.Account{Code: "1", Name: "x", Type: ledger.Asset, Currencies: []string{"ABC"}}, ledger.ErrUnknownCurrency},
		{"own parent", ledger.Account{Code: "1", Name: "x", Type: ledger.Asset, Parent: "1"}, ledger.ErrAccountCycle},
		{"missing parent", ledger.Account{Code: "1", Name: "x", Type: ledger.Asset, Parent: "404"}, ledger.ErrAccountNotFound},
		{"other tenant's parent", ledger.Account{Code: "1", Name: "x", Type: ledger.Asset, Parent: "9100"}, ledger.ErrAccountNotFound},
		{"duplicate code", ledger.Account{Code: "1020", Name: "x", Type: ledger.Asset}, ledger.ErrAccountExists},
	}
	for _, c := range accountCases {
		before := rows(t, h, tn)
		_, err := gl.CreateAccount(ctx, tn, c.a)
		require.ErrorIs(t, err, c.want, c.name)
		require.Equal(t, before, rows(t, h, tn), c.name)
	}
	_, err = gl.CreateAccount(ctx, "", ledger.Account{Code: "1", Name: "x", Type: ledger.Asset})
	require.ErrorIs(t, err, ledger.ErrInvalidTenant)
}

func testTenants(t *testing.T, h Harness) {
	ctx, gl, a := setup(t, h)
	_, _, b := setup(t, h)
	pa, err := gl.Post(ctx, a, entry("2026-07-01", dr("1020", "50", "BDT"), cr("3000", "50", "BDT")))
	require.NoError(t, err)
	_, err = gl.Post(ctx, b, entry("2026-07-01", dr("1020", "7", "BDT"), cr("3000", "7", "BDT")))
	require.NoError(t, err)

	// b sees only its own.
	_, err = gl.Entry(ctx, b, pa.ID)
	require.ErrorIs(t, err, ledger.ErrEntryNotFound)
	requireDec(t, "7", balanceOf(t, ctx, gl, b, "1020", "BDT", ledger.Date{}))
	requireDec(t, "50", balanceOf(t, ctx, gl, a, "1020", "BDT", ledger.Date{}))
	es, err := gl.Entries(ctx, b, ledger.EntryQuery{})
	require.NoError(t, err)
	require.Len(t, es, 1)
	tb, err := gl.TrialBalance(ctx, b, ledger.Date{})
	require.NoError(t, err)
	requireDec(t, "7", tb.Totals[0].Debit)

	// b cannot reverse, rename or block a's entries and accounts.
	beforeA := rows(t, h, a)
	_, err = gl.Reverse(ctx, b, pa.ID, ledger.MustDate("2026-07-02"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrEntryNotFound)
	_, err = gl.CreateAccount(ctx, b, ledger.Account{Code: "1500", Name: "b only", Type: ledger.Asset})
	require.NoError(t, err)
	_, err = gl.Account(ctx, a, "1500")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	_, err = gl.BlockAccount(ctx, a, "1500")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	_, err = gl.Post(ctx, a, entry("2026-07-01", dr("1500", "1", "BDT"), cr("3000", "1", "BDT")))
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
	require.Equal(t, beforeA, rows(t, h, a))
	acc, err := gl.Accounts(ctx, a, ledger.AccountFilter{})
	require.NoError(t, err)
	require.Len(t, acc, len(chartOfAccounts))
}

func testInTx(t *testing.T, h Harness) {
	ctx, _, tn := setup(t, h)
	err := h.InTx(ctx, func(tx ledger.Store) error {
		gl := ledger.New(tx, ledger.Config{})
		if _, err := gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "5", "BDT"), cr("3000", "5", "BDT"))); err != nil {
			return err
		}
		// A failed call inside the transaction leaves it usable.
		if _, err := gl.Post(ctx, tn, entry("2026-07-01", dr("1020", "5", "BDT"), cr("3000", "6", "BDT"))); !errors.Is(err, ledger.ErrUnbalanced) {
			return fmt.Errorf("want ErrUnbalanced, got %v", err)
		}
		dup := ledger.Account{Code: "1020", Name: "dup", Type: ledger.Asset}
		if _, err := gl.CreateAccount(ctx, tn, dup); !errors.Is(err, ledger.ErrAccountExists) {
			return fmt.Errorf("want ErrAccountExists, got %v", err)
		}
		_, err := gl.Post(ctx, tn, entry("2026-07-02", dr("1020", "6", "BDT"), cr("3000", "6", "BDT")))
		return err
	})
	require.NoError(t, err)
	require.Equal(t, 2, rows(t, h, tn)["erp_ledger_entries"])

	before := rows(t, h, tn)
	boom := errors.New("boom")
	err = h.InTx(ctx, func(tx ledger.Store) error {
		gl := ledger.New(tx, ledger.Config{})
		if _, err := gl.Post(ctx, tn, entry("2026-07-03", dr("1020", "5", "BDT"), cr("3000", "5", "BDT"))); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, before, rows(t, h, tn))
}

func testHostTx(t *testing.T, h Harness) {
	ctx, gl, tn := setup(t, h)
	post := func(st ledger.Store) error {
		g := ledger.New(st, ledger.Config{})
		// A failed call first: the host's transaction must stay usable.
		if _, err := g.Post(ctx, tn, entry("2026-07-01", dr("1020", "1", "BDT"), cr("4000", "2", "BDT"))); !errors.Is(err, ledger.ErrUnbalanced) {
			return fmt.Errorf("want ErrUnbalanced, got %v", err)
		}
		if _, err := g.Post(ctx, tn, entry("2026-07-01", dr("1020", "1", "BDT"), cr("4000", "1", "BDT"))); err != nil {
			return err
		}
		_, err := g.Reverse(ctx, tn, uuid.New(), ledger.MustDate("2026-07-01"), ledger.ReverseOptions{})
		if !errors.Is(err, ledger.ErrEntryNotFound) {
			return fmt.Errorf("want ErrEntryNotFound, got %v", err)
		}
		e := entry("2026-07-01", dr("1020", "2", "BDT"), cr("4000", "2", "BDT"))
		e.IdempotencyKey = "host-1"
		_, err = g.Post(ctx, tn, e)
		return err
	}
	require.NoError(t, h.HostTx(ctx, tn, false, post))
	n, err := h.HostRows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, 0, n, "host rollback drops the host row")
	require.Equal(t, 0, rows(t, h, tn)["erp_ledger_entries"], "host rollback drops the entries")
	requireDec(t, "0", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))

	require.NoError(t, h.HostTx(ctx, tn, true, post))
	n, err = h.HostRows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 2, rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, "3", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
}

// testConcurrent: 16 goroutines x 500 postings over 10 hot accounts, split
// over two stores as two processes would be: exact balances, no errors.
func testConcurrent(t *testing.T, h Harness) {
	ctx := context.Background()
	tn := tenant(t)
	// Two workers post through a second store over the same database, as a
	// second process would: correctness must not rest on in-process locks.
	// (Only two, because SQLite makes processes wait for each other with
	// sleeps, which would make the test slow, not less strict.)
	other := h.OpenAnother(t)
	storeOf := func(w int) ledger.Store {
		if w >= 14 {
			return other
		}
		return h.Store
	}
	gl := ledger.New(h.Store, ledger.Config{})
	const hot = 10
	for i := range hot {
		_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: fmt.Sprintf("H%02d", i), Name: "hot", Type: ledger.Asset})
		require.NoError(t, err)
	}
	workers, per := 16, 500
	if h.Short {
		per = 50
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	// want[i] is the expected balance of Hi in poisha.
	want := make([][hot]int64, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := ledger.New(storeOf(w), ledger.Config{})
			for i := range per {
				a, b := (w+i)%hot, (w*7+i*3+1)%hot
				if a == b {
					b = (b + 1) % hot
				}
				amt := int64(1 + (w*per+i)%997)
				// Three lines touching up to three hot accounts, in varying order.
				c := (a + b + i) % hot
				lines := []ledger.Line{
					ledger.DebitLine(fmt.Sprintf("H%02d", a), decimal.New(amt, -2), "BDT"),
					ledger.CreditLine(fmt.Sprintf("H%02d", b), decimal.New(amt, -2), "BDT"),
				}
				want[w][a] += amt
				want[w][b] -= amt
				if c != a && c != b {
					lines = append([]ledger.Line{ledger.CreditLine(fmt.Sprintf("H%02d", c), decimal.New(1, -2), "BDT")},
						append(lines, ledger.DebitLine(fmt.Sprintf("H%02d", a), decimal.New(1, -2), "BDT"))...)
					want[w][c]--
					want[w][a]++
				}
				e := ledger.Entry{Date: ledger.NewDate(2026, 7, 1+i%28), Description: "hot", Lines: lines}
				if i%5 == 0 {
					e.IdempotencyKey = fmt.Sprintf("w%d-%d", w, i)
				}
				if _, err := g.Post(ctx, tn, e); err != nil {
					errs <- fmt.Errorf("worker %d posting %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for i := range hot {
		var sum int64
		for w := range workers {
			sum += want[w][i]
		}
		got := balanceOf(t, ctx, gl, tn, fmt.Sprintf("H%02d", i), "BDT", ledger.Date{})
		require.Truef(t, decimal.New(sum, -2).Equal(got), "H%02d: want %s got %s", i, decimal.New(sum, -2), got)
	}
	require.Equal(t, workers*per, rows(t, h, tn)["erp_ledger_entries"])
	tb, err := gl.TrialBalance(ctx, tn, ledger.Date{})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	// The postings were dated back and forth over 28 days while racing:
	// every as-of balance must still equal the sum of the lines up to it.
	checkAsOf(t, ctx, gl, tn, ledger.NewDate(2026, 7, 1), 28)
}

// checkAsOf compares the tenant's as-of balances on each of days days from
// first with sums of its entries' lines dated up to each day.
// readAllEntries returns every entry of the tenant, a page at a time,
// ordered by ID.
func readAllEntries(ctx context.Context, gl *ledger.Ledger, tn string) ([]ledger.Entry, error) {
	var out []ledger.Entry
	var after uuid.UUID
	for {
		page, err := gl.Entries(ctx, tn, ledger.EntryQuery{After: after, Limit: 1000})
		if err != nil || len(page) == 0 {
			return out, err
		}
		out = append(out, page...)
		after = page[len(page)-1].ID
	}
}

func checkAsOf(t *testing.T, ctx context.Context, gl *ledger.Ledger, tn string, first ledger.Date, days int) {
	t.Helper()
	type key struct{ account, currency string }
	byDay := map[ledger.Date]map[key]decimal.Decimal{}
	for _, e := range allEntries(t, ctx, gl, tn) {
		m := byDay[e.Date]
		if m == nil {
			m = map[key]decimal.Decimal{}
			byDay[e.Date] = m
		}
		for _, l := range e.Lines {
			k := key{l.Account, l.Currency}
			if l.Side == ledger.Debit {
				m[k] = m[k].Add(l.Amount)
			} else {
				m[k] = m[k].Sub(l.Amount)
			}
		}
	}
	run := map[key]decimal.Decimal{}
	for i := range days {
		d := first.AddDays(i)
		for k, v := range byDay[d] {
			run[k] = run[k].Add(v)
		}
		bs, err := gl.Balances(ctx, tn, ledger.BalanceQuery{AsOf: d})
		require.NoError(t, err)
		seen := 0
		for _, b := range bs {
			k := key{b.Account, b.Currency}
			require.Truef(t, run[k].Equal(b.Debit.Sub(b.Credit)), "%v as of %s: store %s, lines %s", k, d, b.Debit.Sub(b.Credit), run[k])
			seen++
		}
		nonzero := 0
		for _, v := range run {
			if !v.IsZero() {
				nonzero++
			}
		}
		require.GreaterOrEqual(t, seen, nonzero, "as of %s", d)
	}
}
