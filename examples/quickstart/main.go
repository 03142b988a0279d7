// Command quickstart is erpkit in one page: it opens (or creates) a SQLite
// database file, sets up a small chart of accounts for a Bangladeshi trading
// company, posts a few journal entries and prints the trial balance.
//
//	go run ./examples/quickstart            # writes quickstart.db here
//	go run ./examples/quickstart -db /tmp/books.db
//
// Running it again changes nothing: accounts that exist are kept and every
// entry carries an idempotency key, so a re-run replays instead of posting twice.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"text/tabwriter"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/shopspring/decimal"
)

const tenant = "acme-trading"

func main() {
	path := flag.String("db", "quickstart.db", "SQLite database file (created if missing)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *path); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, path string) error {
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	gl := ledger.New(st, ledger.Config{})

	chart := []ledger.Account{
		{Code: "1000", Name: "Current assets", Type: ledger.Asset},
		{Code: "1010", Name: "Cash in hand", Type: ledger.Asset, Parent: "1000"},
		{Code: "1020", Name: "Sonali Bank current account", Type: ledger.Asset, Parent: "1000"},
		{Code: "1100", Name: "Trade receivables", Type: ledger.Asset, Parent: "1000"},
		{Code: "2100", Name: "Trade payables", Type: ledger.Liability},
		{Code: "2200", Name: "VAT payable (output)", Type: ledger.Liability},
		{Code: "3000", Name: "Share capital", Type: ledger.Equity},
		{Code: "4000", Name: "Sales", Type: ledger.Revenue},
		{Code: "5000", Name: "Purchases", Type: ledger.Expense},
		{Code: "5100", Name: "Rent", Type: ledger.Expense},
	}
	for _, a := range chart {
		if _, err := gl.CreateAccount(ctx, tenant, a); err != nil && !errors.Is(err, ledger.ErrAccountExists) {
			return err
		}
	}

	tk := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	entries := []ledger.Entry{
		{Date: ledger.MustDate("2026-07-01"), Description: "Owners pay in capital", IdempotencyKey: "cap-1",
			Lines: []ledger.Line{
				ledger.DebitLine("1020", tk("500000.00"), "BDT"),
				ledger.CreditLine("3000", tk("500000.00"), "BDT"),
			}},
		{Date: ledger.MustDate("2026-07-03"), Description: "Goods bought on credit", Reference: "BILL-0042", IdempotencyKey: "bill-42",
			Lines: []ledger.Line{
				ledger.DebitLine("5000", tk("120000.00"), "BDT"),
				ledger.CreditLine("2100", tk("120000.00"), "BDT"),
			}},
		{Date: ledger.MustDate("2026-07-10"), Description: "Sale, Mushak-6.3 no. 0001 (VAT 15%)", Reference: "INV-0001", IdempotencyKey: "inv-1",
			Lines: []ledger.Line{
				ledger.DebitLine("1100", tk("230000.00"), "BDT"),
				ledger.CreditLine("4000", tk("200000.00"), "BDT"),
				ledger.CreditLine("2200", tk("30000.00"), "BDT"),
			}},
		{Date: ledger.MustDate("2026-07-31"), Description: "July rent, paid by bank", IdempotencyKey: "rent-2026-07",
			Lines: []ledger.Line{
				{Account: "5100", Side: ledger.Debit, Amount: tk("35000.00"), Currency: "BDT", Dimensions: map[string]string{"site": "dhaka-office"}},
				ledger.CreditLine("1020", tk("35000.00"), "BDT"),
			}},
	}
	for _, e := range entries {
		if _, err := gl.Post(ctx, tenant, e); err != nil {
			return fmt.Errorf("posting %q: %w", e.Description, err)
		}
	}

	// Bad input is refused before anything is written.
	_, err = gl.Post(ctx, tenant, ledger.Entry{Date: ledger.MustDate("2026-07-31"), Description: "typo",
		Lines: []ledger.Line{ledger.DebitLine("1010", tk("100"), "BDT"), ledger.CreditLine("4000", tk("10"), "BDT")}})
	var unbalanced *ledger.UnbalancedError
	if !errors.As(err, &unbalanced) {
		return fmt.Errorf("expected an unbalanced entry to be refused, got %v", err)
	}
	fmt.Fprintf(out, "Refused as expected: %v\n\n", err)

	tb, err := gl.TrialBalance(ctx, tenant, ledger.MustDate("2026-07-31"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Trial balance of %s as of %s (database %s)\n\n", tenant, tb.AsOf, path)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Code\tAccount\tDebit\tCredit\t")
	for _, r := range tb.Rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", r.Account, r.Name, money(r.Debit), money(r.Credit))
	}
	for _, t := range tb.Totals {
		fmt.Fprintf(w, "\tTotal %s\t%s\t%s\t\n", t.Currency, money(t.Debit), money(t.Credit))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if !tb.Balanced() {
		return errors.New("trial balance does not balance")
	}
	return nil
}

func money(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.StringFixed(2)
}
