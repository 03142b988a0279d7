package ledger

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// JournalAccount is the account's name in an exported journal: its type's
// top-level name (assets, liabilities, equity, revenues, expenses), a colon
// and its code - "assets:1110". Plain-text tools recognise the account
// types from the top-level names.
func JournalAccount(a Account) string {
	root := map[AccountType]string{Asset: "assets", Liability: "liabilities", Equity: "equity",
		Revenue: "revenues", Expense: "expenses"}[a.Type]
	return root + ":" + a.Code
}

// WriteJournal writes entries in the hledger / ledger-cli journal format:
// directives declaring the decimal mark, each currency's precision and each
// account (named by JournalAccount, with its name as a comment), then one
// transaction per entry - date, reference in parentheses, description, the
// entry ID as a comment, and one posting per line with debits positive and
// credits negative. hledger's balances of the journal are then the ledger's
// (debit minus credit) per account and currency.
func WriteJournal(w io.Writer, accounts []Account, entries []Entry) error {
	bw := bufio.NewWriter(w)
	names := make(map[string]string, len(accounts))
	fmt.Fprintln(bw, "; exported by erpkit")
	fmt.Fprintln(bw, "decimal-mark .")
	curs := map[string]bool{}
	for _, e := range entries {
		for _, l := range e.Lines {
			curs[l.Currency] = true
		}
	}
	codes := make([]string, 0, len(curs))
	for c := range curs {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		cur, err := LookupCurrency(c)
		if err != nil {
			return err
		}
		// "1000.00 BDT"; "1000. JPY": the mark is written even without decimals.
		fmt.Fprintf(bw, "commodity 1000.%s %s\n", strings.Repeat("0", int(cur.MinorUnits)), c)
	}
	for _, a := range accounts {
		names[a.Code] = JournalAccount(a)
		fmt.Fprintf(bw, "account %s  ; %s\n", names[a.Code], oneLine(a.Name))
	}
	for _, e := range entries {
		fmt.Fprintln(bw)
		fmt.Fprint(bw, e.Date.String())
		if e.Reference != "" {
			fmt.Fprintf(bw, " (%s)", strings.NewReplacer("(", "[", ")", "]").Replace(oneLine(e.Reference)))
		}
		fmt.Fprintf(bw, " %s  ; entry:%s", oneLine(e.Description), e.ID)
		if e.Reverses != uuid.Nil {
			fmt.Fprintf(bw, ", reverses:%s", e.Reverses)
		}
		fmt.Fprintln(bw)
		for _, l := range e.Lines {
			name, ok := names[l.Account]
			if !ok {
				return fmt.Errorf("%w: %s is not in the exported chart", ErrAccountNotFound, l.Account)
			}
			cur, err := LookupCurrency(l.Currency)
			if err != nil {
				return err
			}
			amt := l.Amount
			if l.Side == Credit {
				amt = amt.Neg()
			}
			fmt.Fprintf(bw, "    %s  %s %s", name, amt.StringFixed(cur.MinorUnits), l.Currency)
			if l.Memo != "" {
				fmt.Fprintf(bw, "  ; %s", oneLine(l.Memo))
			}
			fmt.Fprintln(bw)
		}
	}
	return bw.Flush()
}

// oneLine keeps text on one journal line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer(";", ",").Replace(s)), " ")
}

// ExportJournal writes the tenant's entries dated from..to (inclusive; zero
// dates are open) as an hledger / ledger-cli journal (see WriteJournal),
// reading the entries page by page.
func (l *Ledger) ExportJournal(ctx context.Context, tenant string, w io.Writer, from, to Date) error {
	accounts, err := l.Accounts(ctx, tenant, AccountFilter{})
	if err != nil {
		return err
	}
	var all []Entry
	q := EntryQuery{From: from, To: to, Limit: 10000}
	for {
		page, err := l.Entries(ctx, tenant, q)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			break
		}
		q.After = page[len(page)-1].ID
	}
	return WriteJournal(w, accounts, all)
}
