package ledger

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// Balance is the position of one account in one currency.
type Balance struct {
	Account    string // code
	Name       string
	Type       AccountType
	NormalSide Side
	Currency   string
	Debit      decimal.Decimal // total of debit lines
	Credit     decimal.Decimal // total of credit lines
	// Balance is Debit - Credit for a debit-normal account and Credit - Debit
	// for a credit-normal one: positive when the account is on its normal side.
	Balance decimal.Decimal
	// BaseDebit and BaseCredit are the base-currency values of the debit
	// and credit lines (equal to Debit and Credit for the base currency;
	// zero for a tenant without one), and BaseBalance their balance signed
	// like Balance.
	BaseDebit, BaseCredit, BaseBalance decimal.Decimal
	// Dimensions holds the values of the query's GroupBy keys this balance
	// is for ("" for lines without the key); nil without GroupBy.
	Dimensions map[string]string
}

// BalanceQuery selects balances. Zero fields do not filter.
type BalanceQuery struct {
	Accounts []string // account codes
	Currency string
	AsOf     Date // postings dated on or before AsOf; zero = all postings
	// Dimensions counts only the lines that carry every one of these
	// key=value pairs.
	Dimensions map[string]string
	// GroupBy splits each account's balance by the values of these
	// dimension keys (at most 8).
	GroupBy []string
}

// byDimensions reports whether the query filters or groups by dimension:
// such balances are summed from the lines, not read from the totals.
func (q BalanceQuery) byDimensions() bool { return len(q.Dimensions) > 0 || len(q.GroupBy) > 0 }

const maxGroupBy = 8

// validate checks the query's dates, currency and dimension keys.
func (q *BalanceQuery) validate() error {
	if !q.AsOf.IsZero() && !q.AsOf.Valid() {
		return fmt.Errorf("%w: as-of date %s", ErrInvalidQuery, q.AsOf)
	}
	if q.Currency != "" {
		q.Currency = normalizeCurrency(q.Currency)
		if _, err := LookupCurrency(q.Currency); err != nil {
			return err
		}
	}
	if len(q.GroupBy) > maxGroupBy {
		return fmt.Errorf("%w: group by at most %d dimensions", ErrInvalidQuery, maxGroupBy)
	}
	for k, v := range q.Dimensions {
		if err := validateDimensionKey(k); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidQuery, err)
		}
		if err := validateDimensionValue(v); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidQuery, err)
		}
	}
	seen := map[string]bool{}
	for _, k := range q.GroupBy {
		if err := validateDimensionKey(k); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidQuery, err)
		}
		if seen[k] {
			return fmt.Errorf("%w: group by %q twice", ErrInvalidQuery, k)
		}
		seen[k] = true
	}
	return nil
}

func (b *Balance) sign() {
	if b.NormalSide == Debit {
		b.Balance = sub(b.Debit, b.Credit)
		b.BaseBalance = sub(b.BaseDebit, b.BaseCredit)
	} else {
		b.Balance = sub(b.Credit, b.Debit)
		b.BaseBalance = sub(b.BaseCredit, b.BaseDebit)
	}
}

// sub is a - b without the allocations of subtracting a zero (reports
// subtract tens of thousands of totals, most with one side zero).
func sub(a, b decimal.Decimal) decimal.Decimal {
	if b.IsZero() {
		return a
	}
	return a.Sub(b)
}

// TrialBalance lists every account with a non-zero balance in the debit or
// the credit column; per currency the two columns' totals are equal.
type TrialBalance struct {
	AsOf   Date // zero: all postings
	Rows   []TrialBalanceRow
	Totals []TrialBalanceTotal // one per currency, ordered by currency
	// BaseTotal is the totals of the rows' base columns, in the tenant's
	// base currency (zero without one): they are equal too. Its Currency is
	// set by Ledger.TrialBalance, not by NewTrialBalance.
	BaseTotal TrialBalanceTotal
}

// TrialBalanceRow is one account's line of a trial balance.
type TrialBalanceRow struct {
	Account    string
	Name       string
	Type       AccountType
	Currency   string
	Dimensions map[string]string // the GroupBy values of the row, if grouped
	Debit      decimal.Decimal   // the balance when it is a debit balance, else zero
	Credit     decimal.Decimal   // the balance when it is a credit balance, else zero
	// BaseDebit and BaseCredit are the balance's base-currency value, in
	// the column of its own side (which may differ from the transaction
	// currency's after a revaluation).
	BaseDebit, BaseCredit decimal.Decimal
}

// TrialBalanceTotal is the column totals of one currency.
type TrialBalanceTotal struct {
	Currency string
	Debit    decimal.Decimal
	Credit   decimal.Decimal
}

// Balanced reports whether every currency's debit and credit totals are equal.
func (tb TrialBalance) Balanced() bool {
	for _, t := range tb.Totals {
		if !t.Debit.Equal(t.Credit) {
			return false
		}
	}
	return tb.BaseTotal.Debit.Equal(tb.BaseTotal.Credit)
}

// NewTrialBalance builds a trial balance from balances (as Balances returns
// them). It is a pure function.
func NewTrialBalance(asOf Date, balances []Balance) TrialBalance {
	return newTrialBalance(asOf, balances, false)
}

// newTrialBalance is NewTrialBalance; signed says that every balance's
// Balance and BaseBalance are set (as Ledger's Balances sets them), so the
// columns come from them without subtracting again.
func newTrialBalance(asOf Date, balances []Balance, signed bool) TrialBalance {
	tb := TrialBalance{AsOf: asOf, Rows: make([]TrialBalanceRow, 0, len(balances))}
	totals := map[string]*TrialBalanceTotal{}
	tb.BaseTotal = TrialBalanceTotal{Debit: decimal.Zero, Credit: decimal.Zero}
	for i := range balances {
		b := &balances[i]
		var row TrialBalanceRow
		if signed {
			row.Debit, row.Credit = columns(b.Balance, b.NormalSide)
			row.BaseDebit, row.BaseCredit = columns(b.BaseBalance, b.NormalSide)
		} else {
			row.Debit, row.Credit = split(sub(b.Debit, b.Credit))
			row.BaseDebit, row.BaseCredit = split(sub(b.BaseDebit, b.BaseCredit))
		}
		if row.Debit.IsZero() && row.Credit.IsZero() && row.BaseDebit.IsZero() && row.BaseCredit.IsZero() {
			continue
		}
		row.Account, row.Name, row.Type, row.Currency, row.Dimensions = b.Account, b.Name, b.Type, b.Currency, b.Dimensions
		t := totals[b.Currency]
		if t == nil {
			t = &TrialBalanceTotal{Currency: b.Currency, Debit: decimal.Zero, Credit: decimal.Zero}
			totals[b.Currency] = t
		}
		t.Debit, t.Credit = add(t.Debit, row.Debit), add(t.Credit, row.Credit)
		tb.BaseTotal.Debit = add(tb.BaseTotal.Debit, row.BaseDebit)
		tb.BaseTotal.Credit = add(tb.BaseTotal.Credit, row.BaseCredit)
		tb.Rows = append(tb.Rows, row)
	}
	for _, t := range totals {
		tb.Totals = append(tb.Totals, *t)
	}
	sort.Slice(tb.Totals, func(i, j int) bool { return tb.Totals[i].Currency < tb.Totals[j].Currency })
	return tb
}

// columns returns the debit and credit columns of a balance signed by its
// normal side (Balance): the balance in its own column when positive, its
// negation in the other when negative, zero in the one left.
func columns(balance decimal.Decimal, normal Side) (debit, credit decimal.Decimal) {
	switch {
	case balance.IsZero():
		return decimal.Zero, decimal.Zero
	case normal == Debit && balance.IsPositive():
		return balance, decimal.Zero
	case normal == Debit:
		return decimal.Zero, balance.Neg()
	case balance.IsPositive():
		return decimal.Zero, balance
	default:
		return balance.Neg(), decimal.Zero
	}
}
