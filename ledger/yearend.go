package ledger

import (
	"context"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// reservedKeyPrefix starts the idempotency keys of the ledger's own entries;
// callers' keys may not start with it.
const reservedKeyPrefix = "erpkit:"

// yearEndKey is the idempotency key of a fiscal year's closing entry: the
// store's unique key index makes a second close of the year impossible.
func yearEndKey(fy FiscalYear) string { return reservedKeyPrefix + "year-end:" + fy.Start.String() }

// YearEndOptions configure a year-end close.
type YearEndOptions struct {
	// RetainedEarnings is the code of the equity account that takes the
	// year's profit or loss. Required.
	RetainedEarnings string
	// By names who closes the year; it is kept in the entry's metadata.
	By string
}

// CloseYear posts the year-end closing entry of the fiscal year that
// contains day: dated the year's last day, it moves every revenue and expense
// balance (as of that day, per currency) to the retained-earnings account, so
// that the next year opens with revenue and expense at zero and the year's
// profit in retained earnings. Every period of the year must be closed
// first (ErrYearOpen): the closing entry is the one posting a closed period
// takes, and the balances it moves can then no longer change. A second close
// of the year fails with ErrYearClosed, even when two run at once.
// ErrInvalidChart when the retained-earnings account is not equity.
func (l *Ledger) CloseYear(ctx context.Context, tenant string, day Date, opts YearEndOptions) (Entry, error) {
	if err := validateTenant(tenant); err != nil {
		return Entry{}, err
	}
	if day.IsZero() || !day.Valid() {
		return Entry{}, fmt.Errorf("%w: %s", ErrInvalidDate, day)
	}
	if err := validateBy(opts.By); err != nil {
		return Entry{}, err
	}
	re, err := l.Account(ctx, tenant, opts.RetainedEarnings)
	if err != nil {
		return Entry{}, fmt.Errorf("retained earnings: %w", err)
	}
	if re.Type != Equity {
		return Entry{}, fmt.Errorf("%w: retained earnings %s is %s, not equity", ErrInvalidChart, re.Code, re.Type)
	}
	cal, err := l.Calendar(ctx, tenant)
	if err != nil {
		return Entry{}, err
	}
	fy := cal.YearOf(day)
	key := yearEndKey(fy)
	if cal.ClosedThrough.Before(fy.End) {
		return Entry{}, fmt.Errorf("%w: %s needs every period through %s closed", ErrYearOpen, fy.Name(), fy.End)
	}
	bs, err := l.balances(ctx, tenant, BalanceQuery{AsOf: fy.End}, cal.Base.Currency)
	if err != nil {
		return Entry{}, err
	}
	// Look for an earlier close after reading the balances: a close that
	// committed before the read is seen here, one that commits later makes
	// this one's insert fail on the key.
	if prev, err := l.store.EntriesByKey(ctx, tenant, []string{key}); err != nil {
		return Entry{}, err
	} else if len(prev) > 0 {
		return Entry{}, fmt.Errorf("%w: %s by entry %s", ErrYearClosed, fy.Name(), prev[0].ID)
	}
	e := Entry{
		Date:           fy.End,
		Description:    "Year-end close " + fy.Name(),
		Reference:      fy.Name(),
		IdempotencyKey: key,
		Metadata:       map[string]string{"erpkit.kind": "year-end-close", "erpkit.by": opts.By},
	}
	// Per currency: the debit - credit moved, and its base value.
	net, baseNet := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	base := cal.Base.Currency
	for _, b := range bs {
		if b.Type != Revenue && b.Type != Expense {
			continue
		}
		d, bd := b.Debit.Sub(b.Credit), b.BaseDebit.Sub(b.BaseCredit)
		if d.IsZero() && bd.IsZero() {
			continue
		}
		// Bring the account to zero, in amount and in base value.
		e.Lines = append(e.Lines, moveLines(b.Account, b.Currency, base, d.Neg(), bd.Neg(), "")...)
		net[b.Currency] = net[b.Currency].Add(d)
		baseNet[b.Currency] = baseNet[b.Currency].Add(bd)
	}
	curs := make([]string, 0, len(net))
	for c := range net {
		curs = append(curs, c)
	}
	sort.Strings(curs)
	for _, c := range curs {
		// Retained earnings takes what the lines above moved: a profit
		// (net < 0: credit balances) is credited.
		memo := "Profit for " + fy.Name()
		if net[c].IsPositive() || (net[c].IsZero() && baseNet[c].IsPositive()) {
			memo = "Loss for " + fy.Name()
		}
		e.Lines = append(e.Lines, moveLines(re.Code, c, base, net[c], baseNet[c], memo)...)
	}
	if len(e.Lines) < 2 {
		return Entry{}, fmt.Errorf("%w: %s has no revenue or expense balance to close", ErrInvalidEntry, fy.Name())
	}
	return l.postEntry(ctx, tenant, e, postOptions{system: true, check: func(st PostState) error {
		if _, ok := st.Existing[key]; ok {
			return fmt.Errorf("%w: %s", ErrYearClosed, fy.Name())
		}
		if st.Calendar.ClosedThrough.Before(fy.End) {
			return fmt.Errorf("%w: %s was reopened", ErrYearOpen, fy.Name())
		}
		return nil
	}})
}

// YearEndEntry returns the closing entry of the fiscal year that contains
// day, or ErrEntryNotFound when the year is not closed.
func (l *Ledger) YearEndEntry(ctx context.Context, tenant string, day Date) (Entry, error) {
	cal, err := l.Calendar(ctx, tenant)
	if err != nil {
		return Entry{}, err
	}
	fy := cal.YearOf(day)
	es, err := l.store.EntriesByKey(ctx, tenant, []string{yearEndKey(fy)})
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 {
		return Entry{}, fmt.Errorf("%w: no year-end close of %s", ErrEntryNotFound, fy.Name())
	}
	return es[0], nil
}
