package ledger

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// LineQuery selects one account's lines in one currency for a statement.
type LineQuery struct {
	Account  string // code
	Currency string
	From, To Date         // posting date range, inclusive; zero = open
	After    LinePosition // lines after this position; zero = from the start
	Limit    int
	// Dimensions keeps only lines carrying every one of these key=value pairs.
	Dimensions map[string]string
}

// LinePosition orders statement lines: by posting date, entry ID, line number.
type LinePosition struct {
	Date  Date
	Entry uuid.UUID
	Line  int
}

// StatementLine is one line of an account statement.
type StatementLine struct {
	LinePosition
	Description string
	Reference   string
	Side        Side
	Amount      decimal.Decimal
	Currency    string
	Memo        string
	Dimensions  map[string]string
	// Balance is the running balance after this line, signed by the
	// account's normal side (filled by the ledger).
	Balance decimal.Decimal
}

// StatementQuery asks for a page of an account statement.
type StatementQuery struct {
	Account  string
	Currency string
	From, To Date   // inclusive; zero = open
	Cursor   string // Next of the previous page; "" for the first page
	Limit    int    // lines per page: default 100, at most 10,000
	// Dimensions restricts the statement - lines, opening and closing
	// balances - to lines carrying every one of these key=value pairs (a
	// site's or cost centre's view of the account).
	Dimensions map[string]string
}

// AccountStatement is one page of a general-ledger statement of an account:
// the balance before the page, its lines with the running balance, and the
// account's closing balance at To.
type AccountStatement struct {
	Account  Account
	Currency string
	From, To Date
	// Opening is the balance before the page's first line: the balance
	// before From on the first page.
	Opening decimal.Decimal
	Lines   []StatementLine
	// Closing is the balance as of To (all postings when To is zero).
	Closing decimal.Decimal
	// Next fetches the following page; "" on the last page.
	Next string
}

type statementCursor struct {
	pos     LinePosition
	balance decimal.Decimal
}

func (c statementCursor) encode() string {
	s := strings.Join([]string{c.pos.Date.String(), c.pos.Entry.String(), strconv.Itoa(c.pos.Line), c.balance.String()}, "|")
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(s string) (statementCursor, error) {
	bad := fmt.Errorf("%w: malformed statement cursor", ErrInvalidQuery)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return statementCursor{}, bad
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 4 {
		return statementCursor{}, bad
	}
	var c statementCursor
	if c.pos.Date, err = ParseDate(parts[0]); err != nil {
		return c, bad
	}
	if c.pos.Entry, err = uuid.Parse(parts[1]); err != nil {
		return c, bad
	}
	if c.pos.Line, err = strconv.Atoi(parts[2]); err != nil {
		return c, bad
	}
	if c.balance, err = decimal.NewFromString(parts[3]); err != nil {
		return c, bad
	}
	return c, nil
}

// Statement returns a page of the general-ledger statement of an account in
// one currency: opening balance, lines in posting-date order with the
// running balance, closing balance. Page through millions of lines by
// passing Next as the following query's Cursor (with the same account,
// currency and dates). Errors: ErrInvalidQuery, ErrAccountNotFound,
// ErrUnknownCurrency.
func (l *Ledger) Statement(ctx context.Context, tenant string, q StatementQuery) (AccountStatement, error) {
	if err := validateTenant(tenant); err != nil {
		return AccountStatement{}, err
	}
	if (!q.From.IsZero() && !q.From.Valid()) || (!q.To.IsZero() && !q.To.Valid()) ||
		(!q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From)) {
		return AccountStatement{}, fmt.Errorf("%w: date range %s..%s", ErrInvalidQuery, q.From, q.To)
	}
	if q.Limit <= 0 {
		q.Limit = 100
	}
	if q.Limit > 10000 {
		return AccountStatement{}, fmt.Errorf("%w: limit %d above 10000", ErrInvalidQuery, q.Limit)
	}
	q.Currency = normalizeCurrency(q.Currency)
	if _, err := LookupCurrency(q.Currency); err != nil {
		return AccountStatement{}, err
	}
	if err := (&BalanceQuery{Dimensions: q.Dimensions}).validate(); err != nil {
		return AccountStatement{}, err
	}
	a, err := l.Account(ctx, tenant, q.Account)
	if err != nil {
		return AccountStatement{}, err
	}
	st := AccountStatement{Account: a, Currency: q.Currency, From: q.From, To: q.To}
	var after LinePosition
	carried := decimal.Zero // a later page's opening: the running balance so far
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil {
			return st, err
		}
		after, carried = c.pos, c.balance
	}
	// The opening balance, the lines and the closing balance are read from
	// one state of the books (consistent), so that the closing balance is
	// where the lines' running balance ends even while entries are posted.
	read := func(r *Ledger) error {
		balance := func(asOf Date) (decimal.Decimal, error) {
			bs, err := r.Balances(ctx, tenant, BalanceQuery{Accounts: []string{a.Code}, Currency: q.Currency,
				AsOf: asOf, Dimensions: q.Dimensions})
			if err != nil || len(bs) == 0 {
				return decimal.Zero, err
			}
			return bs[0].Balance, nil
		}
		st.Opening, st.Lines, st.Next = carried, nil, ""
		if q.Cursor == "" && !q.From.IsZero() {
			var err error
			if st.Opening, err = balance(q.From.AddDays(-1)); err != nil {
				return err
			}
		}
		lines, err := r.store.Lines(ctx, tenant, LineQuery{Account: a.Code, Currency: q.Currency, From: q.From, To: q.To,
			After: after, Limit: q.Limit + 1, Dimensions: q.Dimensions})
		if err != nil {
			return err
		}
		more := len(lines) > q.Limit
		if more {
			lines = lines[:q.Limit]
		}
		run := st.Opening
		for i := range lines {
			if lines[i].Side == a.NormalSide {
				run = run.Add(lines[i].Amount)
			} else {
				run = run.Sub(lines[i].Amount)
			}
			lines[i].Balance = run
		}
		st.Lines = lines
		if more {
			st.Next = statementCursor{pos: lines[len(lines)-1].LinePosition, balance: run}.encode()
		}
		st.Closing, err = balance(q.To)
		return err
	}
	if err := l.consistent(ctx, read); err != nil {
		return st, err
	}
	return st, nil
}

// WriteCSV writes the statement page as CSV: a header, an opening row, one
// row per line (date, entry, reference, description, memo, debit, credit,
// balance) and a closing row.
func (s AccountStatement) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"date", "entry", "reference", "description", "memo", "debit", "credit", "balance"})
	_ = cw.Write([]string{s.From.csv(), "", "", "Opening balance", "", "", "", s.Opening.String()})
	for _, ln := range s.Lines {
		d, c := "", ""
		if ln.Side == Debit {
			d = ln.Amount.String()
		} else {
			c = ln.Amount.String()
		}
		_ = cw.Write([]string{ln.Date.String(), ln.Entry.String(), ln.Reference, ln.Description, ln.Memo, d, c, ln.Balance.String()})
	}
	_ = cw.Write([]string{s.To.csv(), "", "", "Closing balance", "", "", "", s.Closing.String()})
	cw.Flush()
	return cw.Error()
}

func (d Date) csv() string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
