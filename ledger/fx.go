package ledger

import (
	"context"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// BaseCurrency is a tenant's base (functional) currency and how the ledger
// rounds into it. With a base currency set, every line in another currency
// carries its value in the base currency (Line.BaseAmount) and the rate
// used (Line.Rate), and every entry balances in the base currency as well as
// in each transaction currency.
type BaseCurrency struct {
	// Currency is the ISO 4217 code; "" when the tenant has no base
	// currency (entries then balance per currency only).
	Currency string
	// RoundingAccount takes an entry's base-currency difference when it is
	// no larger than Tolerance (the lines' base amounts were rounded one by
	// one). "" refuses every difference. It should accept every currency.
	RoundingAccount string
	// Tolerance is the largest base-currency difference that goes to the
	// rounding account; a larger one is refused with *UnbalancedError.
	Tolerance decimal.Decimal
}

// rateScale is the number of decimal places of a rate the ledger derives
// from a base amount (BaseAmount / Amount).
const rateScale = 10

// Rounding rule for base amounts: Amount × Rate is rounded half up (half
// away from zero; amounts are positive) to the base currency's minor units.
func roundBase(amount, rate decimal.Decimal, base Currency) decimal.Decimal {
	return amount.Mul(rate).Round(base.MinorUnits)
}

// BaseValue returns the line's value in base, the tenant's base currency:
// the amount for a line in base, BaseAmount for a line in another currency.
func (l Line) BaseValue(base string) decimal.Decimal {
	if l.Currency == base {
		return l.Amount
	}
	return l.BaseAmount
}

// SetBaseCurrency sets the tenant's base currency, rounding account and
// tolerance. The currency can be set while every posting of the tenant is
// in it (it cannot later be changed to another once there are postings):
// ErrBaseCurrencyLocked otherwise. The rounding account must exist.
// Errors: ErrUnknownCurrency, ErrInvalidAmount (a negative tolerance or one
// with more decimals than the currency), ErrAccountNotFound.
func (l *Ledger) SetBaseCurrency(ctx context.Context, tenant string, b BaseCurrency) (Calendar, error) {
	if err := validateTenant(tenant); err != nil {
		return Calendar{}, err
	}
	b.Currency = normalizeCurrency(b.Currency)
	cur, err := LookupCurrency(b.Currency)
	if err != nil {
		return Calendar{}, err
	}
	if b.Tolerance.IsNegative() {
		return Calendar{}, fmt.Errorf("%w: tolerance %s", ErrInvalidAmount, b.Tolerance)
	}
	if err := cur.Check(b.Tolerance); err != nil {
		return Calendar{}, err
	}
	if b.RoundingAccount != "" {
		if _, err := l.Account(ctx, tenant, b.RoundingAccount); err != nil {
			return Calendar{}, fmt.Errorf("rounding account: %w", err)
		}
	}
	c, err := l.store.SetBase(ctx, tenant, func(c *Calendar, posted []string) error {
		for _, p := range posted {
			if p != b.Currency {
				return fmt.Errorf("%w: the tenant has postings in %s", ErrBaseCurrencyLocked, p)
			}
		}
		c.Base = b
		return nil
	})
	if err != nil {
		return Calendar{}, err
	}
	c.FiscalYearStart = c.startMonth()
	return c, nil
}

// needsBase reports whether any line carries a base amount or a rate: only
// such entries can need the rounding account.
func needsBase(es []Entry) bool {
	for _, e := range es {
		for _, l := range e.Lines {
			if !l.BaseAmount.IsZero() || !l.Rate.IsZero() {
				return true
			}
		}
	}
	return false
}

// applyBase checks and completes the entry's base amounts against the
// tenant's base currency b, and balances the entry in b: a difference within
// the tolerance is posted to the rounding account as a base-only line.
// lenient (the ledger's own postings: reversals and closings) lets a
// foreign line carry no base amount, as one copied from such a line does.
func applyBase(e *Entry, b BaseCurrency, lenient bool) error {
	if b.Currency == "" {
		for i, l := range e.Lines {
			if !l.BaseAmount.IsZero() || !l.Rate.IsZero() || l.Amount.IsZero() {
				return &LineError{i, fmt.Errorf("%w: a base amount or rate needs the tenant's base currency", ErrNoBaseCurrency)}
			}
		}
		return nil
	}
	base := MustCurrency(b.Currency)
	lines := make([]Line, len(e.Lines), len(e.Lines)+1)
	copy(lines, e.Lines)
	// diff[currency] = base debits - base credits of that currency's lines.
	diff := map[string]decimal.Decimal{}
	var total decimal.Decimal
	for i := range lines {
		l := &lines[i]
		if l.Currency == b.Currency {
			if l.Amount.IsZero() {
				return &LineError{i, fmt.Errorf("%w: a line in the base currency %s needs an amount", ErrInvalidAmount, b.Currency)}
			}
			if (!l.BaseAmount.IsZero() && !l.BaseAmount.Equal(l.Amount)) || (!l.Rate.IsZero() && !l.Rate.Equal(decimal.NewFromInt(1))) {
				return &LineError{i, fmt.Errorf("%w: a line in the base currency %s has rate 1 and its amount as base amount", ErrRateMismatch, b.Currency)}
			}
			l.BaseAmount, l.Rate = decimal.Zero, decimal.Zero
			continue
		}
		if err := base.Check(l.BaseAmount); err != nil {
			return &LineError{i, fmt.Errorf("base amount: %w", err)}
		}
		switch {
		case l.Amount.IsZero():
			// A base-only line: revaluation, realised difference, rounding.
			if !l.Rate.IsZero() {
				return &LineError{i, fmt.Errorf("%w: a line without an amount has no rate", ErrRateMismatch)}
			}
		case l.Rate.IsZero() && l.BaseAmount.IsZero():
			if !lenient {
				return &LineError{i, fmt.Errorf("%w: %s %s needs a rate or a base amount in %s", ErrRateMissing, l.Amount, l.Currency, b.Currency)}
			}
		case l.BaseAmount.IsZero():
			l.BaseAmount = roundBase(l.Amount, l.Rate, base)
		case l.Rate.IsZero():
			l.Rate = l.BaseAmount.DivRound(l.Amount, rateScale)
		default:
			if roundBase(l.Amount, l.Rate, base).Sub(l.BaseAmount).Abs().GreaterThan(base.FromMinor(1)) {
				return &LineError{i, fmt.Errorf("%w: %s %s at %s is %s %s, not %s", ErrRateMismatch, l.Amount, l.Currency,
					l.Rate, roundBase(l.Amount, l.Rate, base), b.Currency, l.BaseAmount)}
			}
		}
		d := l.BaseAmount
		if l.Side == Credit {
			d = d.Neg()
		}
		diff[l.Currency] = diff[l.Currency].Add(d)
		total = total.Add(d)
	}
	if !total.IsZero() {
		if b.RoundingAccount == "" || total.Abs().GreaterThan(b.Tolerance) {
			return &UnbalancedError{Currency: b.Currency, Base: true, Difference: total,
				Debit: sumBase(lines, b.Currency, Debit), Credit: sumBase(lines, b.Currency, Credit)}
		}
		// One base-only line in the currency whose lines are the furthest
		// out (the first such in line order), on the side that balances.
		var cur string
		for _, l := range lines {
			if d, ok := diff[l.Currency]; ok && l.Currency != b.Currency && (cur == "" || d.Abs().GreaterThan(diff[cur].Abs())) {
				cur = l.Currency
			}
		}
		side := Credit
		if total.IsNegative() {
			side = Debit
		}
		lines = append(lines, Line{Account: b.RoundingAccount, Side: side, Amount: decimal.Zero, Currency: cur,
			BaseAmount: total.Abs(), Memo: "Rounding to " + b.Currency})
	}
	e.Lines = lines
	return nil
}

func sumBase(lines []Line, base string, side Side) decimal.Decimal {
	s := decimal.Zero
	for _, l := range lines {
		if l.Side == side {
			s = s.Add(l.BaseValue(base))
		}
	}
	return s
}

// moveLines returns the lines that change account's balance in cur by
// amount and its base value by baseAmt (debit minus credit each): one line
// with the amount (and the base amount when it goes the same way), and a
// base-only line for any base difference left. For cur == base the base
// value is the amount and baseAmt is ignored.
func moveLines(account, cur, base string, amount, baseAmt decimal.Decimal, memo string) []Line {
	var out []Line
	side := func(d decimal.Decimal) Side {
		if d.IsNegative() {
			return Credit
		}
		return Debit
	}
	rest := baseAmt
	if cur == base || base == "" {
		rest = decimal.Zero
	}
	if !amount.IsZero() {
		l := Line{Account: account, Side: side(amount), Amount: amount.Abs(), Currency: cur, Memo: memo}
		if !rest.IsZero() && rest.IsNegative() == amount.IsNegative() {
			l.BaseAmount, rest = rest.Abs(), decimal.Zero
		}
		out = append(out, l)
	}
	if !rest.IsZero() {
		out = append(out, Line{Account: account, Side: side(rest), Amount: decimal.Zero, Currency: cur,
			BaseAmount: rest.Abs(), Memo: memo})
	}
	return out
}

// RevaluationRequest asks for an FX revaluation: the foreign-currency
// balances of Accounts (the tenant's monetary accounts: cash, bank,
// receivables, payables, loans) as of Date are valued at Rates, and the
// differences to their base values are posted as unrealised gains and losses.
type RevaluationRequest struct {
	Date Date
	// Rates gives, per currency, the closing rate: base currency units per
	// unit. Balances in a currency without a rate are an error.
	Rates map[string]decimal.Decimal
	// Accounts are the codes of the accounts to revalue. Required.
	Accounts []string
	// GainAccount takes unrealised gains and LossAccount unrealised losses
	// (they may be the same account, e.g. "FX gain/loss").
	GainAccount, LossAccount string
	Description              string
	Reference                string
	// IdempotencyKey makes the run safe to retry (see Entry.IdempotencyKey).
	IdempotencyKey string
}

// Revalue posts one entry that brings the base value of each foreign-currency
// balance of the requested accounts, as of r.Date, to the balance at r.Rates
// (rounded half up to the base currency's minor units). Each difference is a
// base-only line (no foreign amount) on the account; the gains and the
// losses of each currency go to r.GainAccount and r.LossAccount as base-only
// lines in that currency, so the entry balances in every currency and in the
// base currency. It returns ErrNothingToRevalue, posting nothing, when every
// balance is already at its rate. Errors: ErrNoBaseCurrency, ErrInvalidQuery,
// ErrRateMissing, ErrAccountNotFound, and those of Post.
func (l *Ledger) Revalue(ctx context.Context, tenant string, r RevaluationRequest) (Entry, error) {
	if err := validateTenant(tenant); err != nil {
		return Entry{}, err
	}
	if r.Date.IsZero() || !r.Date.Valid() {
		return Entry{}, fmt.Errorf("%w: revaluation date %s", ErrInvalidDate, r.Date)
	}
	if len(r.Accounts) == 0 || r.GainAccount == "" || r.LossAccount == "" {
		return Entry{}, fmt.Errorf("%w: a revaluation needs accounts, a gain account and a loss account", ErrInvalidQuery)
	}
	cal, err := l.Calendar(ctx, tenant)
	if err != nil {
		return Entry{}, err
	}
	b := cal.Base.Currency
	if b == "" {
		return Entry{}, fmt.Errorf("%w: revaluation values balances in the base currency", ErrNoBaseCurrency)
	}
	base := MustCurrency(b)
	rates := map[string]decimal.Decimal{}
	for c, rate := range r.Rates {
		c = normalizeCurrency(c)
		if _, err := LookupCurrency(c); err != nil {
			return Entry{}, err
		}
		if !rate.IsPositive() {
			return Entry{}, fmt.Errorf("%w: rate %s for %s", ErrInvalidAmount, rate, c)
		}
		rates[c] = rate
	}
	for _, code := range r.Accounts {
		if _, err := l.Account(ctx, tenant, code); err != nil {
			return Entry{}, err
		}
	}
	bs, err := l.balances(ctx, tenant, BalanceQuery{Accounts: r.Accounts, AsOf: r.Date}, cal.Base.Currency)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Date: r.Date, Description: r.Description, Reference: r.Reference, IdempotencyKey: r.IdempotencyKey,
		Metadata: map[string]string{"erpkit.kind": "fx-revaluation"}}
	if e.Description == "" {
		e.Description = "FX revaluation " + r.Date.String()
	}
	gain, loss := map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	for _, bal := range bs {
		if bal.Currency == b {
			continue
		}
		rate, ok := rates[bal.Currency]
		if !ok {
			return Entry{}, fmt.Errorf("%w: no closing rate for %s (account %s)", ErrRateMissing, bal.Currency, bal.Account)
		}
		net := bal.Debit.Sub(bal.Credit)
		target := net.Mul(rate).Round(base.MinorUnits)
		d := target.Sub(bal.BaseDebit.Sub(bal.BaseCredit))
		if d.IsZero() {
			continue
		}
		memo := fmt.Sprintf("Revaluation of %s %s at %s", net, bal.Currency, rate)
		e.Lines = append(e.Lines, moveLines(bal.Account, bal.Currency, b, decimal.Zero, d, memo)...)
		e.Metadata["erpkit.rate."+bal.Currency] = rate.String()
		if d.IsPositive() {
			gain[bal.Currency] = gain[bal.Currency].Add(d)
		} else {
			loss[bal.Currency] = loss[bal.Currency].Add(d.Neg())
		}
	}
	if len(e.Lines) == 0 {
		return Entry{}, fmt.Errorf("%w: every balance is at its rate on %s", ErrNothingToRevalue, r.Date)
	}
	curs := make([]string, 0, len(gain)+len(loss))
	for c := range gain {
		curs = append(curs, c)
	}
	for c := range loss {
		if _, ok := gain[c]; !ok {
			curs = append(curs, c)
		}
	}
	sort.Strings(curs)
	for _, c := range curs {
		if g := gain[c]; !g.IsZero() {
			e.Lines = append(e.Lines, Line{Account: r.GainAccount, Side: Credit, Amount: decimal.Zero, Currency: c,
				BaseAmount: g, Memo: "Unrealised FX gain on " + c})
		}
		if lo := loss[c]; !lo.IsZero() {
			e.Lines = append(e.Lines, Line{Account: r.LossAccount, Side: Debit, Amount: decimal.Zero, Currency: c,
				BaseAmount: lo, Memo: "Unrealised FX loss on " + c})
		}
	}
	return l.postEntry(ctx, tenant, e, postOptions{})
}
