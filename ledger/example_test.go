package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/shopspring/decimal"
)

// openBooks opens a throwaway SQLite database with a small chart.
func openBooks(ctx context.Context) (*ledger.Ledger, func()) {
	dir, err := os.MkdirTemp("", "erpkit-example")
	if err != nil {
		log.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "books.db"))
	if err != nil {
		log.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	gl := ledger.New(st, ledger.Config{})
	for _, a := range []ledger.Account{
		{Code: "1010", Name: "Cash", Type: ledger.Asset},
		{Code: "1020", Name: "Bank", Type: ledger.Asset},
		{Code: "2200", Name: "VAT payable", Type: ledger.Liability},
		{Code: "3000", Name: "Capital", Type: ledger.Equity},
		{Code: "4000", Name: "Sales", Type: ledger.Revenue},
	} {
		if _, err := gl.CreateAccount(ctx, "acme", a); err != nil {
			log.Fatal(err)
		}
	}
	return gl, func() { st.Close(); os.RemoveAll(dir) }
}

func tk(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ExampleLedger_Post() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	sale := ledger.Entry{
		Date:           ledger.MustDate("2026-07-10"),
		Description:    "Cash sale with 15% VAT",
		IdempotencyKey: "inv-0001",
		Lines: []ledger.Line{
			ledger.DebitLine("1010", tk("1150.00"), "BDT"),
			ledger.CreditLine("4000", tk("1000.00"), "BDT"),
			ledger.CreditLine("2200", tk("150.00"), "BDT"),
		},
	}
	first, err := gl.Post(ctx, "acme", sale)
	if err != nil {
		log.Fatal(err)
	}
	// A retry with the same key posts nothing and returns the original.
	again, err := gl.Post(ctx, "acme", sale)
	if err != nil {
		log.Fatal(err)
	}
	cash, _ := gl.Balance(ctx, "acme", "1010", "BDT", ledger.Date{})
	vat, _ := gl.Balance(ctx, "acme", "2200", "BDT", ledger.Date{})
	fmt.Println("same entry:", first.ID == again.ID)
	fmt.Println("cash:", cash.Balance.StringFixed(2))
	fmt.Println("VAT payable:", vat.Balance.StringFixed(2))
	// Output:
	// same entry: true
	// cash: 1150.00
	// VAT payable: 150.00
}

func ExampleLedger_Post_unbalanced() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	_, err := gl.Post(ctx, "acme", ledger.Entry{
		Date:        ledger.MustDate("2026-07-10"),
		Description: "typo",
		Lines: []ledger.Line{
			ledger.DebitLine("1010", tk("1150.00"), "BDT"),
			ledger.CreditLine("4000", tk("1105.00"), "BDT"),
		},
	})
	var ue *ledger.UnbalancedError
	if errors.As(err, &ue) {
		fmt.Println(ue.Currency, ue.Difference)
	}
	fmt.Println(errors.Is(err, ledger.ErrUnbalanced))
	// Output:
	// BDT 45
	// true
}

func ExampleLedger_Reverse() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	e, err := gl.Post(ctx, "acme", ledger.Entry{
		Date: ledger.MustDate("2026-07-10"), Description: "Deposit",
		Lines: []ledger.Line{ledger.DebitLine("1020", tk("500"), "BDT"), ledger.CreditLine("1010", tk("500"), "BDT")},
	})
	if err != nil {
		log.Fatal(err)
	}
	rev, err := gl.Reverse(ctx, "acme", e.ID, ledger.MustDate("2026-07-11"), ledger.ReverseOptions{})
	if err != nil {
		log.Fatal(err)
	}
	_, err = gl.Reverse(ctx, "acme", e.ID, ledger.MustDate("2026-07-12"), ledger.ReverseOptions{})
	bank10, _ := gl.Balance(ctx, "acme", "1020", "BDT", ledger.MustDate("2026-07-10"))
	bank11, _ := gl.Balance(ctx, "acme", "1020", "BDT", ledger.MustDate("2026-07-11"))
	fmt.Println(rev.Description, rev.Lines[0].Side)
	fmt.Println("bank on the 10th:", bank10.Balance, "on the 11th:", bank11.Balance)
	fmt.Println("second reversal refused:", errors.Is(err, ledger.ErrAlreadyReversed))
	// Output:
	// Reversal of Deposit credit
	// bank on the 10th: 500 on the 11th: 0
	// second reversal refused: true
}

func ExampleLedger_TrialBalance() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	_, err := gl.PostBatch(ctx, "acme", []ledger.Entry{
		{Date: ledger.MustDate("2026-07-01"), Description: "Capital",
			Lines: []ledger.Line{ledger.DebitLine("1020", tk("100000"), "BDT"), ledger.CreditLine("3000", tk("100000"), "BDT")}},
		{Date: ledger.MustDate("2026-07-02"), Description: "Sale",
			Lines: []ledger.Line{ledger.DebitLine("1010", tk("2300"), "BDT"), ledger.CreditLine("4000", tk("2000"), "BDT"), ledger.CreditLine("2200", tk("300"), "BDT")}},
	})
	if err != nil {
		log.Fatal(err)
	}
	tb, err := gl.TrialBalance(ctx, "acme", ledger.MustDate("2026-07-31"))
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range tb.Rows {
		fmt.Printf("%s %-12s %10s %10s\n", r.Account, r.Name, r.Debit.StringFixed(2), r.Credit.StringFixed(2))
	}
	fmt.Println("balanced:", tb.Balanced(), tb.Totals[0].Debit.StringFixed(2))
	// Output:
	// 1010 Cash            2300.00       0.00
	// 1020 Bank          100000.00       0.00
	// 2200 VAT payable        0.00     300.00
	// 3000 Capital            0.00  100000.00
	// 4000 Sales              0.00    2000.00
	// balanced: true 102300.00
}

func ExampleLookupCurrency() {
	kwd, _ := ledger.LookupCurrency("KWD")
	fmt.Println(kwd.MinorUnits, kwd.Check(tk("1.234")) == nil, errors.Is(kwd.Check(tk("1.2345")), ledger.ErrTooManyDecimals))
	_, err := ledger.LookupCurrency("XYZ")
	fmt.Println(errors.Is(err, ledger.ErrUnknownCurrency))
	// Output:
	// 3 true true
	// true
}

func ExampleLedger_ClosePeriod() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	_, _ = gl.Post(ctx, "acme", ledger.Entry{Date: ledger.MustDate("2026-07-10"), Description: "Sale",
		Lines: []ledger.Line{ledger.DebitLine("1010", tk("500.00"), "BDT"), ledger.CreditLine("4000", tk("500.00"), "BDT")}})
	p, _ := gl.ClosePeriod(ctx, "acme", ledger.MustDate("2026-07-01"), "accountant@acme")
	fmt.Println(p.FiscalYear.Name(), "period", p.Number, "closed:", p.Closed)

	_, err := gl.Post(ctx, "acme", ledger.Entry{Date: ledger.MustDate("2026-07-31"), Description: "Late sale",
		Lines: []ledger.Line{ledger.DebitLine("1010", tk("5.00"), "BDT"), ledger.CreditLine("4000", tk("5.00"), "BDT")}})
	fmt.Println(errors.Is(err, ledger.ErrPeriodClosed))
	// Output:
	// FY 2026-27 period 1 closed: true
	// true
}

func ExampleLedger_BalanceSheet() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	post := func(date string, dr, cr, amt string) {
		_, _ = gl.Post(ctx, "acme", ledger.Entry{Date: ledger.MustDate(date), Description: "x",
			Lines: []ledger.Line{ledger.DebitLine(dr, tk(amt), "BDT"), ledger.CreditLine(cr, tk(amt), "BDT")}})
	}
	post("2026-06-01", "1020", "3000", "10000.00") // capital
	post("2026-07-10", "1010", "4000", "1000.00")  // a sale
	bs, _ := gl.BalanceSheet(ctx, "acme", ledger.MustDate("2026-07-31"), ledger.StatementOptions{
		Currency: "BDT", Compare: []ledger.Comparative{ledger.PreviousPeriod}})
	for _, sec := range bs.Sections {
		fmt.Println(sec.Title, sec.Total[0], sec.Total[1])
	}
	fmt.Println("balanced:", bs.Balanced())
	// Output:
	// Assets 11000 10000
	// Liabilities 0 0
	// Equity 11000 10000
	// balanced: true
}

func ExampleWriteJournal() {
	accounts := []ledger.Account{
		{Code: "1010", Name: "Cash", Type: ledger.Asset},
		{Code: "4000", Name: "Sales", Type: ledger.Revenue},
	}
	e := ledger.Entry{Date: ledger.MustDate("2026-07-10"), Description: "Cash sale", Reference: "INV-1",
		Lines: []ledger.Line{ledger.DebitLine("1010", tk("1150.00"), "BDT"), ledger.CreditLine("4000", tk("1150.00"), "BDT")}}
	_ = ledger.WriteJournal(os.Stdout, accounts, []ledger.Entry{e})
	// Output:
	// ; exported by erpkit
	// decimal-mark .
	// commodity 1000.00 BDT
	// account assets:1010  ; Cash
	// account revenues:4000  ; Sales
	//
	// 2026-07-10 (INV-1) Cash sale  ; entry:00000000-0000-0000-0000-000000000000
	//     assets:1010  1150.00 BDT
	//     revenues:4000  -1150.00 BDT
}

func ExampleLedger_Revalue() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()
	for _, a := range []ledger.Account{
		{Code: "1030", Name: "Bank - USD", Type: ledger.Asset, Currencies: []string{"USD"}},
		{Code: "4900", Name: "FX gain", Type: ledger.Revenue},
		{Code: "7900", Name: "FX loss", Type: ledger.Expense},
		{Code: "7990", Name: "Rounding", Type: ledger.Expense},
	} {
		if _, err := gl.CreateAccount(ctx, "acme", a); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := gl.SetBaseCurrency(ctx, "acme", ledger.BaseCurrency{
		Currency: "BDT", RoundingAccount: "7990", Tolerance: tk("0.05")}); err != nil {
		log.Fatal(err)
	}
	// A USD 1,000 export sale received into the USD account at 117.50.
	bank := ledger.DebitLine("1030", tk("1000"), "USD")
	bank.Rate = tk("117.50")
	sale := ledger.CreditLine("4000", tk("1000"), "USD")
	sale.Rate = tk("117.50")
	if _, err := gl.Post(ctx, "acme", ledger.Entry{Date: ledger.MustDate("2026-07-10"),
		Description: "Export sale", Lines: []ledger.Line{bank, sale}}); err != nil {
		log.Fatal(err)
	}
	// Month end: the dollar closes at 119.25.
	rv, err := gl.Revalue(ctx, "acme", ledger.RevaluationRequest{
		Date:     ledger.MustDate("2026-07-31"),
		Rates:    map[string]decimal.Decimal{"USD": tk("119.25")},
		Accounts: []string{"1030"}, GainAccount: "4900", LossAccount: "7900"})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range rv.Lines {
		fmt.Printf("%s %-6s %s %s, base %s\n", l.Account, l.Side, l.Amount, l.Currency, l.BaseAmount)
	}
	b, err := gl.Balance(ctx, "acme", "1030", "USD", ledger.Date{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("bank: USD %s worth BDT %s\n", b.Balance, b.BaseBalance)
	// Output:
	// 1030 debit  0 USD, base 1750
	// 4900 credit 0 USD, base 1750
	// bank: USD 1000 worth BDT 119250
}

// An outline lists a chart's tree cheaply: code, name, type, side,
// parent and blocked flag only.
func ExampleLedger_Accounts_outline() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	_, _ = gl.CreateAccount(ctx, "acme", ledger.Account{Code: "1011", Name: "Petty cash", Type: ledger.Asset, Parent: "1010"})
	accounts, _ := gl.Accounts(ctx, "acme", ledger.AccountFilter{Type: ledger.Asset, Outline: true})
	for _, a := range accounts {
		fmt.Printf("%s %-10s parent=%q metadata=%v\n", a.Code, a.Name, a.Parent, a.Metadata)
	}
	// Output:
	// 1010 Cash       parent="" metadata=map[]
	// 1011 Petty cash parent="1010" metadata=map[]
	// 1020 Bank       parent="" metadata=map[]
}

// Select narrows accounts already read, such as one outline read for a
// whole screen, without reading them again.
func ExampleAccountFilter_Select() {
	ctx := context.Background()
	gl, done := openBooks(ctx)
	defer done()

	_, _ = gl.CreateAccount(ctx, "acme", ledger.Account{Code: "1011", Name: "Petty cash", Type: ledger.Asset, Parent: "1010"})
	outline, _ := gl.Accounts(ctx, "acme", ledger.AccountFilter{Outline: true})
	for _, a := range (ledger.AccountFilter{Parent: "1010"}).Select(outline) {
		fmt.Println(a.Code, a.Name)
	}
	fmt.Println(len((ledger.AccountFilter{Type: ledger.Asset}).Select(outline)), "asset accounts")
	// Output:
	// 1011 Petty cash
	// 3 asset accounts
}

// Several reads against one state of the books: a posting committed while
// the snapshot is open is in none of its reads, and in every read after.
// The period trial balance, income statement and account statement read
// this way by themselves.
func ExampleSnapshotReader() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "erpkit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "books.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	gl := ledger.New(st, ledger.Config{})
	for _, a := range []ledger.Account{{Code: "1010", Name: "Cash", Type: ledger.Asset}, {Code: "4000", Name: "Sales", Type: ledger.Revenue}} {
		if _, err := gl.CreateAccount(ctx, "acme", a); err != nil {
			log.Fatal(err)
		}
	}
	sale := func(amt string) ledger.Entry {
		return ledger.Entry{Date: ledger.MustDate("2026-07-10"), Description: "sale",
			Lines: []ledger.Line{ledger.DebitLine("1010", tk(amt), "BDT"), ledger.CreditLine("4000", tk(amt), "BDT")}}
	}
	if _, err := gl.Post(ctx, "acme", sale("100")); err != nil {
		log.Fatal(err)
	}
	err = st.ReadSnapshot(ctx, func(snap ledger.Store) error {
		in := ledger.New(snap, ledger.Config{})
		before, err := in.Balance(ctx, "acme", "1010", "BDT", ledger.Date{})
		if err != nil {
			return err
		}
		if _, err := gl.Post(ctx, "acme", sale("50")); err != nil { // committed meanwhile
			return err
		}
		after, err := in.Balance(ctx, "acme", "1010", "BDT", ledger.Date{})
		if err != nil {
			return err
		}
		fmt.Println("in the snapshot:", before.Balance, after.Balance)
		_, err = in.Post(ctx, "acme", sale("1"))
		fmt.Println("a write:", errors.Is(err, ledger.ErrReadOnlySnapshot))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	now, _ := gl.Balance(ctx, "acme", "1010", "BDT", ledger.Date{})
	fmt.Println("after it:", now.Balance)
	// Output:
	// in the snapshot: 100 100
	// a write: true
	// after it: 150
}
