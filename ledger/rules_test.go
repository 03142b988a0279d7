package ledger

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestCurrencyMinorUnits(t *testing.T) {
	for _, c := range []struct {
		code   string
		minor  int32
		ok     []string
		tooMny []string
	}{
		{"BDT", 2, []string{"1", "1.5", "1.25", "1000000.00"}, []string{"1.255", "0.001"}},
		{"USD", 2, []string{"0.01"}, []string{"0.005"}},
		{"JPY", 0, []string{"1", "150", "1.0"}, []string{"1.5", "0.1"}},
		{"KWD", 3, []string{"0.001", "1.125"}, []string{"0.0001"}},
		{"IDR", 2, []string{"8650000"}, []string{"0.001"}},
	} {
		cur, err := LookupCurrency(c.code)
		require.NoError(t, err)
		require.Equal(t, c.minor, cur.MinorUnits, c.code)
		for _, s := range c.ok {
			require.NoError(t, cur.Check(d(s)), c.code+" "+s)
			m, err := cur.ToMinor(d(s))
			require.NoError(t, err)
			require.True(t, cur.FromMinor(m).Equal(d(s)), c.code+" "+s)
		}
		for _, s := range c.tooMny {
			require.ErrorIs(t, cur.Check(d(s)), ErrTooManyDecimals, c.code+" "+s)
		}
	}
	_, err := LookupCurrency("bdt")
	require.ErrorIs(t, err, ErrUnknownCurrency, "codes are upper case")
	_, err = LookupCurrency("")
	require.ErrorIs(t, err, ErrUnknownCurrency)
	m, err := MustCurrency("BDT").ToMinor(d("1234.56"))
	require.NoError(t, err)
	require.Equal(t, int64(123456), m)
}

func TestDate(t *testing.T) {
	for _, c := range []struct {
		in    string
		valid bool
	}{
		{"2026-07-01", true}, {"2024-02-29", true}, {"2025-02-29", false}, {"2026-13-01", false},
		{"2026-7-1", false}, {"", false}, {"2026-07-01T00:00:00Z", false}, {"0000-01-01", false},
	} {
		dt, err := ParseDate(c.in)
		if !c.valid {
			require.ErrorIs(t, err, ErrInvalidDate, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		require.True(t, dt.Valid())
		require.Equal(t, c.in, dt.String())
	}
	require.False(t, NewDate(2026, 2, 30).Valid())
	require.True(t, MustDate("2026-06-30").Before(MustDate("2026-07-01")))
	require.True(t, MustDate("2026-07-01").After(MustDate("2025-12-31")))
	require.Equal(t, MustDate("2026-03-01"), MustDate("2026-02-28").AddDays(1))
	require.Equal(t, MustDate("2026-07-01"), DateOf(time.Date(2026, 7, 1, 23, 59, 0, 0, time.FixedZone("BDT", 6*3600))))
	require.True(t, Date{}.IsZero())
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-07-01", "2024-02-29", "9999-12-31", "0001-01-01", "2026-02-30", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dt, err := ParseDate(s)
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidDate)
			return
		}
		require.True(t, dt.Valid())
		back, err := ParseDate(dt.String())
		require.NoError(t, err)
		require.Equal(t, dt, back)
		b, _ := dt.MarshalText()
		var u Date
		require.NoError(t, u.UnmarshalText(b))
		require.Equal(t, dt, u)
	})
}

func TestNormalizeEntry(t *testing.T) {
	ok := func() Entry {
		return Entry{Date: MustDate("2026-07-01"), Lines: []Line{
			DebitLine("1010", d("10"), "BDT"), CreditLine("4000", d("10"), "BDT")}}
	}
	mod := func(f func(*Entry)) Entry { e := ok(); f(&e); return e }
	cases := []struct {
		name string
		e    Entry
		want error
		line int // -1: not a line error
	}{
		{"valid", ok(), nil, -1},
		{"lower-case currency is normalised", mod(func(e *Entry) { e.Lines[0].Currency, e.Lines[1].Currency = "bdt", " bdt" }), nil, -1},
		{"unbalanced", mod(func(e *Entry) { e.Lines[1].Amount = d("9") }), ErrUnbalanced, -1},
		{"one line", mod(func(e *Entry) { e.Lines = e.Lines[:1] }), ErrInvalidEntry, -1},
		{"zero", mod(func(e *Entry) { e.Lines[0].Amount, e.Lines[1].Amount = d("0"), d("0") }), ErrInvalidAmount, 0},
		{"negative second", mod(func(e *Entry) { e.Lines[1].Amount = d("-10") }), ErrInvalidAmount, 1},
		{"decimals", mod(func(e *Entry) { e.Lines[1].Amount = d("10.001") }), ErrTooManyDecimals, 1},
		{"currency", mod(func(e *Entry) { e.Lines[1].Currency = "TAKA" }), ErrUnknownCurrency, 1},
		{"side", mod(func(e *Entry) { e.Lines[1].Side = "" }), ErrInvalidEntry, 1},
		{"account", mod(func(e *Entry) { e.Lines[0].Account = "" }), ErrInvalidEntry, 0},
		{"account with space", mod(func(e *Entry) { e.Lines[0].Account = "10 10" }), ErrAccountNotFound, 0},
		{"date", mod(func(e *Entry) { e.Date = Date{} }), ErrInvalidDate, -1},
		{"metadata", mod(func(e *Entry) { e.Metadata = map[string]string{"": "x"} }), ErrInvalidEntry, -1},
	}
	for _, c := range cases {
		n, err := normalizeEntry(c.e)
		if c.want == nil {
			require.NoError(t, err, c.name)
			require.Equal(t, "BDT", n.Lines[0].Currency)
			require.Equal(t, "BDT", n.Lines[1].Currency)
			continue
		}
		require.ErrorIs(t, err, c.want, c.name)
		var le *LineError
		if c.line >= 0 {
			require.ErrorAs(t, err, &le, c.name)
			require.Equal(t, c.line, le.Line, c.name)
		} else {
			require.False(t, errors.As(err, &le), c.name)
		}
	}
	// The difference is named per currency.
	_, err := normalizeEntry(Entry{Date: MustDate("2026-07-01"), Lines: []Line{
		DebitLine("a", d("5"), "USD"), CreditLine("b", d("5"), "USD"),
		DebitLine("a", d("100"), "BDT"), CreditLine("b", d("99.50"), "BDT")}})
	var ue *UnbalancedError
	require.ErrorAs(t, err, &ue)
	require.Equal(t, "BDT", ue.Currency)
	require.True(t, ue.Difference.Equal(d("0.5")))
}

func TestSameContent(t *testing.T) {
	a := Entry{Date: MustDate("2026-07-01"), Description: "x", Metadata: map[string]string{},
		Lines: []Line{DebitLine("1", d("10.00"), "BDT"), CreditLine("2", d("10"), "BDT")}}
	b := a
	b.Metadata = nil
	b.ID = uuid.New()
	b.Lines = []Line{DebitLine("1", d("10"), "BDT"), CreditLine("2", d("10.0"), "BDT")}
	require.True(t, sameContent(a, b), "IDs, nil vs empty maps and trailing zeros do not matter")
	c := b
	c.Lines = []Line{CreditLine("1", d("10"), "BDT"), DebitLine("2", d("10"), "BDT")}
	require.False(t, sameContent(a, c), "sides matter")
	c = b
	c.Reference = "r"
	require.False(t, sameContent(a, c))
}

func TestNormalizeAccount(t *testing.T) {
	a, err := normalizeAccount(Account{Code: "1010", Name: " Cash ", Type: Asset, Currencies: []string{"bdt", "BDT", "usd"}})
	require.NoError(t, err)
	require.Equal(t, "Cash", a.Name)
	require.Equal(t, Debit, a.NormalSide)
	require.Equal(t, []string{"BDT", "USD"}, a.Currencies)
	for typ, side := range map[AccountType]Side{Asset: Debit, Expense: Debit, Liability: Credit, Equity: Credit, Revenue: Credit} {
		require.Equal(t, side, typ.NormalSide(), typ)
	}
	_, err = normalizeAccount(Account{Code: "1010", Name: "x", Type: "Asset"})
	require.ErrorIs(t, err, ErrInvalidAccount)
}

func TestNewTrialBalance(t *testing.T) {
	tb := NewTrialBalance(Date{}, []Balance{
		{Account: "1010", Currency: "BDT", Debit: d("100"), Credit: d("30")},
		{Account: "1020", Currency: "BDT", Debit: d("5"), Credit: d("5")}, // nets to zero: left out
		{Account: "2000", Currency: "BDT", Debit: d("0"), Credit: d("70")},
		{Account: "1030", Currency: "USD", Debit: d("1"), Credit: d("0")},
		{Account: "3000", Currency: "USD", Debit: d("0"), Credit: d("2")},
	})
	require.Len(t, tb.Rows, 4)
	require.Equal(t, "BDT", tb.Totals[0].Currency)
	require.True(t, tb.Totals[0].Debit.Equal(d("70")))
	require.True(t, tb.Totals[0].Credit.Equal(d("70")))
	require.False(t, tb.Balanced(), "USD totals differ: 1 vs 2")
}

// The trial balance Ledger builds from signed balances (newTrialBalance,
// signed) has the rows and totals NewTrialBalance computes from the debit
// and credit totals, on either normal side and with either side larger.
func TestTrialBalanceFromSignedBalances(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	amount := func() decimal.Decimal {
		if r.IntN(4) == 0 {
			return decimal.Zero
		}
		return decimal.New(int64(r.IntN(1_000_000)), -2)
	}
	for range 200 {
		var bs []Balance
		for i := range 1 + r.IntN(20) {
			b := Balance{Account: fmt.Sprintf("A%02d", i), Currency: []string{"BDT", "USD"}[r.IntN(2)],
				NormalSide: []Side{Debit, Credit}[r.IntN(2)],
				Debit:      amount(), Credit: amount(), BaseDebit: amount(), BaseCredit: amount()}
			b.sign()
			bs = append(bs, b)
		}
		want, got := NewTrialBalance(Date{}, bs), newTrialBalance(Date{}, bs, true)
		if len(want.Rows) != len(got.Rows) || len(want.Totals) != len(got.Totals) {
			t.Fatalf("rows %d/%d, totals %d/%d", len(got.Rows), len(want.Rows), len(got.Totals), len(want.Totals))
		}
		same := func(a, b decimal.Decimal) bool { return a.Equal(b) }
		for i, w := range want.Rows {
			g := got.Rows[i]
			if g.Account != w.Account || !same(g.Debit, w.Debit) || !same(g.Credit, w.Credit) ||
				!same(g.BaseDebit, w.BaseDebit) || !same(g.BaseCredit, w.BaseCredit) {
				t.Fatalf("row %d: got %+v, want %+v", i, g, w)
			}
		}
		for i, w := range want.Totals {
			g := got.Totals[i]
			if g.Currency != w.Currency || !same(g.Debit, w.Debit) || !same(g.Credit, w.Credit) {
				t.Fatalf("total %d: got %+v, want %+v", i, g, w)
			}
		}
		if !same(got.BaseTotal.Debit, want.BaseTotal.Debit) || !same(got.BaseTotal.Credit, want.BaseTotal.Credit) {
			t.Fatalf("base total: got %+v, want %+v", got.BaseTotal, want.BaseTotal)
		}
	}
}

func TestAccountFilterMatches(t *testing.T) {
	fuel := Account{Code: "5010", Name: "Fuel", Type: Expense, Parent: "5000"}
	for _, c := range []struct {
		f    AccountFilter
		want bool
	}{
		{AccountFilter{}, true},
		{AccountFilter{Outline: true}, true},
		{AccountFilter{Type: Expense}, true},
		{AccountFilter{Type: Asset}, false},
		{AccountFilter{Parent: "5000"}, true},
		{AccountFilter{Parent: "50"}, false},
		{AccountFilter{CodePrefix: "50"}, true},
		{AccountFilter{CodePrefix: "5010"}, true},
		{AccountFilter{CodePrefix: "51"}, false},
		{AccountFilter{Type: Expense, Parent: "5000", CodePrefix: "501"}, true},
		{AccountFilter{Type: Expense, Parent: "4000", CodePrefix: "501"}, false},
	} {
		if got := c.f.Matches(fuel); got != c.want {
			t.Errorf("%+v: %v, want %v", c.f, got, c.want)
		}
	}
}

func TestAccountFilterSelect(t *testing.T) {
	as := []Account{
		{Code: "1010", Type: Asset},
		{Code: "5000", Type: Expense},
		{Code: "5010", Type: Expense, Parent: "5000"},
		{Code: "5020", Type: Expense, Parent: "5000"},
	}
	codes := func(as []Account) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Code)
		}
		return out
	}
	all := AccountFilter{Outline: true}.Select(as)
	if got := codes(all); len(got) != 4 || got[0] != "1010" || got[3] != "5020" {
		t.Fatalf("no filter: %v", got)
	}
	all[0].Name = "changed" // the result is the caller's
	if as[0].Name != "" {
		t.Fatal("Select shared its result with its input")
	}
	if got := codes((AccountFilter{Parent: "5000"}).Select(as)); len(got) != 2 || got[0] != "5010" || got[1] != "5020" {
		t.Fatalf("parent 5000: %v", got)
	}
	if got := codes((AccountFilter{Type: Expense, CodePrefix: "50"}).Select(as)); len(got) != 3 {
		t.Fatalf("expense 50: %v", got)
	}
	if got := (AccountFilter{CodePrefix: "9"}).Select(as); len(got) != 0 {
		t.Fatalf("prefix 9: %v", got)
	}
}
