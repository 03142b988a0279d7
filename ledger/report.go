package ledger

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/shopspring/decimal"
)

// PeriodTrialBalance is the trial balance of a date range: per account and
// currency the opening balance (before From), the debit and credit movement
// within the range, and the closing balance (as of To). Opening and closing
// are in the debit or the credit column by their sign.
type PeriodTrialBalance struct {
	From, To Date
	Rows     []PeriodTrialBalanceRow
	Totals   []PeriodTrialBalanceRow // one per currency (Account empty), ordered by currency
}

// PeriodTrialBalanceRow is one account's line of a PeriodTrialBalance, or a
// currency's totals.
type PeriodTrialBalanceRow struct {
	Account, Name               string
	Type                        AccountType
	Currency                    string
	OpeningDebit, OpeningCredit decimal.Decimal
	Debit, Credit               decimal.Decimal // movement
	ClosingDebit, ClosingCredit decimal.Decimal
}

func (r *PeriodTrialBalanceRow) add(o PeriodTrialBalanceRow) {
	r.OpeningDebit = r.OpeningDebit.Add(o.OpeningDebit)
	r.OpeningCredit = r.OpeningCredit.Add(o.OpeningCredit)
	r.Debit = r.Debit.Add(o.Debit)
	r.Credit = r.Credit.Add(o.Credit)
	r.ClosingDebit = r.ClosingDebit.Add(o.ClosingDebit)
	r.ClosingCredit = r.ClosingCredit.Add(o.ClosingCredit)
}

// Balanced reports whether, in every currency, each pair of columns totals equal.
func (tb PeriodTrialBalance) Balanced() bool {
	for _, t := range tb.Totals {
		if !t.OpeningDebit.Equal(t.OpeningCredit) || !t.Debit.Equal(t.Credit) || !t.ClosingDebit.Equal(t.ClosingCredit) {
			return false
		}
	}
	return true
}

func split(net decimal.Decimal) (debit, credit decimal.Decimal) {
	if net.IsNegative() {
		return decimal.Zero, net.Neg()
	}
	return net, decimal.Zero
}

// PeriodTrialBalance returns the trial balance of the dates from..to
// (inclusive): opening, movement and closing per account and currency.
func (l *Ledger) PeriodTrialBalance(ctx context.Context, tenant string, from, to Date) (PeriodTrialBalance, error) {
	if from.IsZero() || to.IsZero() || !from.Valid() || !to.Valid() || to.Before(from) {
		return PeriodTrialBalance{}, fmt.Errorf("%w: date range %s..%s", ErrInvalidQuery, from, to)
	}
	if err := validateTenant(tenant); err != nil {
		return PeriodTrialBalance{}, err
	}
	cal, err := l.store.Calendar(ctx, tenant)
	if err != nil {
		return PeriodTrialBalance{}, err
	}
	var open, closing []Balance
	read := func(r *Ledger) error {
		var openErr error
		opened := r.beside(func() {
			open, openErr = r.balances(ctx, tenant, BalanceQuery{AsOf: from.AddDays(-1)}, cal.Base.Currency)
		})
		var err error
		closing, err = r.balances(ctx, tenant, BalanceQuery{AsOf: to}, cal.Base.Currency)
		opened()
		if err == nil {
			err = openErr
		}
		return err
	}
	if err := l.consistent(ctx, read); err != nil {
		return PeriodTrialBalance{}, err
	}
	return NewPeriodTrialBalance(from, to, open, closing), nil
}

// NewPeriodTrialBalance builds a PeriodTrialBalance from the balances as of
// the day before from (open) and as of to (closing).
func NewPeriodTrialBalance(from, to Date, open, closing []Balance) PeriodTrialBalance {
	type key struct{ account, currency string }
	before := make(map[key]Balance, len(open))
	for _, b := range open {
		before[key{b.Account, b.Currency}] = b
	}
	tb := PeriodTrialBalance{From: from, To: to, Rows: make([]PeriodTrialBalanceRow, 0, len(closing))}
	totals := map[string]*PeriodTrialBalanceRow{}
	// Every balance before from is still there at to (totals only grow),
	// so closing lists every account and currency of the range.
	for _, c := range closing {
		o := before[key{c.Account, c.Currency}]
		r := PeriodTrialBalanceRow{Account: c.Account, Name: c.Name, Type: c.Type, Currency: c.Currency}
		r.OpeningDebit, r.OpeningCredit = split(o.Debit.Sub(o.Credit))
		r.Debit, r.Credit = c.Debit.Sub(o.Debit), c.Credit.Sub(o.Credit)
		r.ClosingDebit, r.ClosingCredit = split(c.Debit.Sub(c.Credit))
		if r.OpeningDebit.IsZero() && r.OpeningCredit.IsZero() && r.Debit.IsZero() && r.Credit.IsZero() {
			continue
		}
		tb.Rows = append(tb.Rows, r)
		t := totals[c.Currency]
		if t == nil {
			t = &PeriodTrialBalanceRow{Currency: c.Currency, OpeningDebit: decimal.Zero, OpeningCredit: decimal.Zero,
				Debit: decimal.Zero, Credit: decimal.Zero, ClosingDebit: decimal.Zero, ClosingCredit: decimal.Zero}
			totals[c.Currency] = t
		}
		t.add(r)
	}
	for _, t := range totals {
		tb.Totals = append(tb.Totals, *t)
	}
	sort.Slice(tb.Totals, func(i, j int) bool { return tb.Totals[i].Currency < tb.Totals[j].Currency })
	return tb
}

// WriteCSV writes the trial balance as CSV, totals last.
func (tb PeriodTrialBalance) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"account", "name", "type", "currency", "opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"})
	row := func(r PeriodTrialBalanceRow, name string) {
		_ = cw.Write([]string{r.Account, name, string(r.Type), r.Currency, r.OpeningDebit.String(), r.OpeningCredit.String(),
			r.Debit.String(), r.Credit.String(), r.ClosingDebit.String(), r.ClosingCredit.String()})
	}
	for _, r := range tb.Rows {
		row(r, r.Name)
	}
	for _, t := range tb.Totals {
		row(t, "Total")
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSV writes the trial balance as CSV, totals last.
func (tb TrialBalance) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"account", "name", "type", "currency", "debit", "credit"})
	for _, r := range tb.Rows {
		_ = cw.Write([]string{r.Account, r.Name, string(r.Type), r.Currency, r.Debit.String(), r.Credit.String()})
	}
	for _, t := range tb.Totals {
		_ = cw.Write([]string{"", "Total", "", t.Currency, t.Debit.String(), t.Credit.String()})
	}
	cw.Flush()
	return cw.Error()
}

// Comparative is an extra column of a financial statement.
type Comparative string

// Comparatives.
const (
	// PreviousPeriod: the month before (a balance sheet as of the end of the
	// previous month; an income statement for the same number of months,
	// or days, just before).
	PreviousPeriod Comparative = "previous-period"
	// PreviousYear: the same dates a year earlier.
	PreviousYear Comparative = "previous-year"
)

// StatementOptions configure a balance sheet or income statement.
type StatementOptions struct {
	// Currency of the statement (entries balance per currency, so a
	// statement is per currency). Required unless Base is set.
	Currency string
	// Base makes the statement in the tenant's base currency, with every
	// currency's balances at their base values (ErrNoBaseCurrency without
	// one): the consolidated statement of a multi-currency ledger.
	Base bool
	// Compare adds comparative columns, in this order, after the current one.
	Compare []Comparative
	// Dimensions restricts the statement to lines carrying every one of
	// these key=value pairs (a site's or project's statement).
	Dimensions map[string]string
}

// Column is one column of a financial statement: balances as of To (a
// balance sheet, From zero) or movement from From to To (an income statement).
type Column struct {
	Label    string
	From, To Date
}

// FinancialStatement is a balance sheet or an income statement: sections by
// account type, each a tree of accounts rolled up by hierarchy, with an
// amount per column signed by the section's normal side.
type FinancialStatement struct {
	Title    string
	Currency string
	Columns  []Column
	Sections []Section
	// Profit per column: revenue less expense. On a balance sheet it is the
	// profit not yet closed to retained earnings, shown in equity.
	Profit []decimal.Decimal
}

// Section is the part of a statement for one account type.
type Section struct {
	Type  AccountType
	Title string
	Rows  []StatementRow    // depth-first, children after their parent, by code
	Total []decimal.Decimal // per column: the sum of the top-level rows
}

// StatementRow is an account in a statement. Amounts include the account's
// descendants; Own is the account's own balance or movement.
type StatementRow struct {
	Account string // empty for the balance sheet's current-profit row
	Name    string
	Depth   int // 0 for a top-level account
	Amounts []decimal.Decimal
	Own     []decimal.Decimal
}

// Section returns the statement's section for t (zero Section when absent).
func (s FinancialStatement) Section(t AccountType) Section {
	for _, sec := range s.Sections {
		if sec.Type == t {
			return sec
		}
	}
	return Section{}
}

// Balanced reports, for a balance sheet, whether assets equal liabilities
// plus equity (the current profit included) in every column.
func (s FinancialStatement) Balanced() bool {
	a, li, e := s.Section(Asset), s.Section(Liability), s.Section(Equity)
	for i := range s.Columns {
		if !at(a.Total, i).Equal(at(li.Total, i).Add(at(e.Total, i))) {
			return false
		}
	}
	return true
}

func at(ds []decimal.Decimal, i int) decimal.Decimal {
	if i < len(ds) {
		return ds[i]
	}
	return decimal.Zero
}

// add is a + b without the allocations of adding a zero.
func add(a, b decimal.Decimal) decimal.Decimal {
	switch {
	case b.IsZero():
		return a
	case a.IsZero():
		return b
	}
	return a.Add(b)
}

func zeros(n int) []decimal.Decimal {
	out := make([]decimal.Decimal, n)
	for i := range out {
		out[i] = decimal.Zero
	}
	return out
}

var sectionTitles = map[AccountType]string{Asset: "Assets", Liability: "Liabilities", Equity: "Equity",
	Revenue: "Revenue", Expense: "Expenses"}

// BalanceSheet returns the balance sheet as of asOf in one currency: assets,
// liabilities and equity rolled up by the account hierarchy, with the profit
// not yet closed to retained earnings as a row of equity, so that assets =
// liabilities + equity exactly.
func (l *Ledger) BalanceSheet(ctx context.Context, tenant string, asOf Date, opts StatementOptions) (FinancialStatement, error) {
	if asOf.IsZero() || !asOf.Valid() {
		return FinancialStatement{}, fmt.Errorf("%w: as-of date %s", ErrInvalidQuery, asOf)
	}
	cols := []Column{{Label: asOf.String(), To: asOf}}
	for _, c := range opts.Compare {
		switch c {
		case PreviousPeriod:
			d := monthStart(asOf).AddDays(-1)
			cols = append(cols, Column{Label: d.String(), To: d})
		case PreviousYear:
			d := addMonths(asOf, -12)
			cols = append(cols, Column{Label: d.String(), To: d})
		default:
			return FinancialStatement{}, fmt.Errorf("%w: comparative %q", ErrInvalidQuery, c)
		}
	}
	return l.statement(ctx, tenant, "Balance sheet", cols, opts, []AccountType{Asset, Liability, Equity})
}

// IncomeStatement returns the income statement of from..to (inclusive) in
// one currency: revenue and expenses rolled up by the account hierarchy and
// the profit. Year-end closing entries are left out, so a closed year still
// shows what it earned.
func (l *Ledger) IncomeStatement(ctx context.Context, tenant string, from, to Date, opts StatementOptions) (FinancialStatement, error) {
	if from.IsZero() || to.IsZero() || !from.Valid() || !to.Valid() || to.Before(from) {
		return FinancialStatement{}, fmt.Errorf("%w: date range %s..%s", ErrInvalidQuery, from, to)
	}
	col := func(f, t Date) Column { return Column{Label: f.String() + ".." + t.String(), From: f, To: t} }
	cols := []Column{col(from, to)}
	wholeMonths := from.Day == 1 && monthEnd(to) == to
	months := (to.Year-from.Year)*12 + int(to.Month) - int(from.Month) + 1
	for _, c := range opts.Compare {
		switch c {
		case PreviousPeriod:
			if wholeMonths {
				cols = append(cols, col(addMonths(from, -months), from.AddDays(-1)))
			} else {
				days := int(to.Time().Sub(from.Time()).Hours()/24) + 1
				cols = append(cols, col(from.AddDays(-days), from.AddDays(-1)))
			}
		case PreviousYear:
			f, t := addMonths(from, -12), addMonths(to, -12)
			if wholeMonths {
				t = monthEnd(t)
			}
			cols = append(cols, col(f, t))
		default:
			return FinancialStatement{}, fmt.Errorf("%w: comparative %q", ErrInvalidQuery, c)
		}
	}
	return l.statement(ctx, tenant, "Income statement", cols, opts, []AccountType{Revenue, Expense})
}

func (l *Ledger) statement(ctx context.Context, tenant, title string, cols []Column, opts StatementOptions, types []AccountType) (FinancialStatement, error) {
	if err := validateTenant(tenant); err != nil {
		return FinancialStatement{}, err
	}
	cal, err := l.Calendar(ctx, tenant)
	if err != nil {
		return FinancialStatement{}, err
	}
	cur := normalizeCurrency(opts.Currency)
	query := cur // the balances read: one currency, or all for Base
	if opts.Base {
		if cal.Base.Currency == "" {
			return FinancialStatement{}, fmt.Errorf("%w: a base-currency statement", ErrNoBaseCurrency)
		}
		if cur != "" && cur != cal.Base.Currency {
			return FinancialStatement{}, fmt.Errorf("%w: currency %s is not the base currency %s", ErrInvalidQuery, cur, cal.Base.Currency)
		}
		cur, query = cal.Base.Currency, ""
	}
	if cur == "" {
		return FinancialStatement{}, fmt.Errorf("%w: a statement needs a currency", ErrInvalidQuery)
	}
	if _, err := LookupCurrency(cur); err != nil {
		return FinancialStatement{}, err
	}
	// The chart is read beside the first column's balances: at 10,000
	// accounts each read is a third of the statement's time.
	var accounts []Account
	var accountsErr error
	accountsRead := l.beside(func() { accounts, accountsErr = l.Accounts(ctx, tenant, AccountFilter{Outline: true}) })
	defer accountsRead()
	n := len(cols)
	// own[k*n+i] is accounts[k]'s own amount in column i, signed by its
	// type's normal side (credit less debit in liabilities, equity and
	// revenue), as its rows show it.
	var own []decimal.Decimal
	// at returns the index in accounts of the account with code, or -1.
	// Balances come in code order, like accounts, so it looks forward from
	// the last one found, and falls back on an index by code (built when
	// first needed) for codes out of that order: a closing entry's lines.
	var byCode map[string]int
	next := 0
	at := func(code string) int {
		k := next
		for k < len(accounts) && accounts[k].Code < code {
			k++
		}
		if k < len(accounts) && accounts[k].Code == code {
			next = k
			return k
		}
		if byCode == nil {
			byCode = make(map[string]int, len(accounts))
			for k := range accounts {
				byCode[accounts[k].Code] = k
			}
		}
		if k, ok := byCode[code]; ok {
			return k
		}
		return -1
	}
	// addOwn adds to column i of account code v, signed by side: the
	// account's type's normal side when v is positive on it.
	addOwn := func(code string, i int, v decimal.Decimal, side Side) {
		k := at(code)
		if k < 0 || v.IsZero() { // an account created after the chart was read
			return
		}
		if side != accounts[k].Type.NormalSide() {
			v = v.Neg()
		}
		own[k*n+i] = add(own[k*n+i], v)
	}
	// signed is what a balance adds to the statement, positive on the
	// balance's normal side: its amount, or its base value for a
	// base-currency statement.
	signed := func(b *Balance) decimal.Decimal {
		if opts.Base {
			return b.BaseBalance
		}
		return b.Balance
	}
	// readColumns reads every column's balances through r; reading again
	// starts afresh.
	readColumns := func(r *Ledger) error {
		for i, c := range cols {
			end, err := r.balances(ctx, tenant, BalanceQuery{Currency: query, AsOf: c.To, Dimensions: opts.Dimensions}, cal.Base.Currency)
			if i == 0 {
				accountsRead()
				if err == nil {
					err = accountsErr
				}
				own = zeros(len(accounts) * n)
			}
			if err != nil {
				return err
			}
			next = 0
			for k := range end {
				addOwn(end[k].Account, i, signed(&end[k]), end[k].NormalSide)
			}
			if c.From.IsZero() {
				continue
			}
			start, err := r.balances(ctx, tenant, BalanceQuery{Currency: query, AsOf: c.From.AddDays(-1), Dimensions: opts.Dimensions}, cal.Base.Currency)
			if err != nil {
				return err
			}
			next = 0
			for k := range start {
				addOwn(start[k].Account, i, signed(&start[k]), start[k].NormalSide.Opposite())
			}
			// Add back the year-end closing entries dated in the column.
			var keys []string
			for fy := cal.YearOf(c.From); !fy.End.After(c.To); fy = cal.YearOf(fy.End.AddDays(1)) {
				keys = append(keys, yearEndKey(fy))
			}
			if len(keys) > 0 {
				closing, err := r.store.EntriesByKey(ctx, tenant, keys)
				if err != nil {
					return err
				}
				for _, e := range closing {
					for _, ln := range e.Lines {
						v := ln.Amount
						if opts.Base {
							v = ln.BaseValue(cur)
						} else if ln.Currency != cur {
							continue
						}
						addOwn(ln.Account, i, v, ln.Side.Opposite())
					}
				}
			}
		}
		return nil
	}
	// A balance sheet of one date reads balances once; any other statement
	// reads them as of several dates, which must see one state of the
	// books (consistent).
	if len(cols) == 1 && cols[0].From.IsZero() {
		err = readColumns(l)
	} else {
		// The chart first: a snapshot holds a connection, and with a pool
		// of one the chart's read would wait for it for ever.
		accountsRead()
		err = l.consistent(ctx, readColumns)
	}
	if err != nil {
		return FinancialStatement{}, err
	}
	fs := FinancialStatement{Title: title, Currency: cur, Columns: cols, Profit: zeros(n)}
	// The hierarchy holds indices into accounts: at 10,000 accounts, lists
	// of Account values copied them about twice as the lists grew.
	children := map[string][]int32{}
	byType := map[AccountType][]int32{}
	counts := map[AccountType]int{}
	for k := range accounts { // ordered by code
		a := &accounts[k]
		counts[a.Type]++
		if a.Parent == "" {
			byType[a.Type] = append(byType[a.Type], int32(k))
		} else {
			children[a.Parent] = append(children[a.Parent], int32(k))
		}
		switch a.Type {
		case Revenue:
			for i := range n {
				fs.Profit[i] = add(fs.Profit[i], own[k*n+i])
			}
		case Expense:
			for i := range n {
				fs.Profit[i] = sub(fs.Profit[i], own[k*n+i])
			}
		}
	}
	for _, t := range types {
		sec := Section{Type: t, Title: sectionTitles[t], Total: zeros(n), Rows: make([]StatementRow, 0, counts[t])}
		// walk appends the subtree of accounts[k] and returns its rolled-up
		// amounts. The rows' Own and Amounts are cut from one allocation.
		buf := make([]decimal.Decimal, 2*n*counts[t])
		var walk func(k int32, depth int) []decimal.Decimal
		walk = func(k int32, depth int) []decimal.Decimal {
			a := &accounts[k]
			idx := len(sec.Rows)
			if len(buf) < 2*n { // a child of another type than its parent's
				buf = make([]decimal.Decimal, 2*n)
			}
			row := StatementRow{Account: a.Code, Name: a.Name, Depth: depth, Own: buf[:n:n]}
			sum := buf[n : 2*n : 2*n]
			buf = buf[2*n:]
			copy(row.Own, own[int(k)*n:(int(k)+1)*n])
			copy(sum, row.Own)
			sec.Rows = append(sec.Rows, row)
			for _, c := range children[a.Code] {
				for i, d := range walk(c, depth+1) {
					sum[i] = add(sum[i], d)
				}
			}
			sec.Rows[idx].Amounts = sum
			return sum
		}
		for _, a := range byType[t] {
			for i, d := range walk(a, 0) {
				sec.Total[i] = add(sec.Total[i], d)
			}
		}
		if t == Equity && cols[0].From.IsZero() {
			sec.Rows = append(sec.Rows, StatementRow{Name: "Profit not yet closed to retained earnings",
				Amounts: append([]decimal.Decimal(nil), fs.Profit...), Own: append([]decimal.Decimal(nil), fs.Profit...)})
			for i, d := range fs.Profit {
				sec.Total[i] = sec.Total[i].Add(d)
			}
		}
		sec.Rows = pruneZero(sec.Rows)
		fs.Sections = append(fs.Sections, sec)
	}
	return fs, nil
}

// pruneZero drops rows whose amounts are all zero (their subtrees are zero
// too only when rolled up, so a zero parent with non-zero children stays).
func pruneZero(rows []StatementRow) []StatementRow {
	out := rows[:0]
	for _, r := range rows {
		keep := false
		for i := range r.Amounts {
			if !r.Amounts[i].IsZero() || !r.Own[i].IsZero() {
				keep = true
			}
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}

// WriteCSV writes the statement as CSV: section, account, name, depth, then
// one amount per column; a total row per section and a profit row.
func (s FinancialStatement) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"section", "account", "name", "depth"}
	for _, c := range s.Columns {
		head = append(head, c.Label)
	}
	_ = cw.Write(head)
	rec := func(sec, acc, name, depth string, ds []decimal.Decimal) {
		r := []string{sec, acc, name, depth}
		for _, d := range ds {
			r = append(r, d.String())
		}
		_ = cw.Write(r)
	}
	for _, sec := range s.Sections {
		for _, r := range sec.Rows {
			rec(string(sec.Type), r.Account, r.Name, fmt.Sprint(r.Depth), r.Amounts)
		}
		rec(string(sec.Type), "", "Total "+sec.Title, "", sec.Total)
	}
	rec("", "", "Profit", "", s.Profit)
	cw.Flush()
	return cw.Error()
}

// consistent runs read, which reads balances more than once, with a
// Ledger whose store reads one state of the data: a snapshot's, when the
// store offers one (SnapshotReader; a snapshot's store is one connection,
// so r.beside runs reads one after the other), else l itself. read may run
// more than once.
func (l *Ledger) consistent(ctx context.Context, read func(r *Ledger) error) error {
	sr, ok := l.store.(SnapshotReader)
	if !ok {
		return read(l)
	}
	return sr.ReadSnapshot(ctx, func(st Store) error {
		r := *l
		r.store = st
		return read(&r)
	})
}

// beside runs read, a read of the store, in a goroutine of its own when the
// store serves reads from several goroutines at once (ConcurrentReader),
// else right away; the returned wait returns once read has (it may be
// called more than once). Reports use it for two independent reads.
func (l *Ledger) beside(read func()) (wait func()) {
	if cr, ok := l.store.(ConcurrentReader); !ok || !cr.ConcurrentReads() {
		read()
		return func() {}
	}
	var wg sync.WaitGroup
	wg.Go(read)
	return wg.Wait
}
