package ledger

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Entry is a journal entry: two or more lines whose debits equal their
// credits in every currency. A posted entry never changes; it is corrected by
// a reversing entry.
type Entry struct {
	ID          uuid.UUID // assigned when posted (UUIDv7: ordered by posting time)
	Date        Date      // posting (business) date
	Description string
	Reference   string // the source document: invoice number, voucher, ...
	Metadata    map[string]string
	// IdempotencyKey, when set, makes posting safe to retry: the same key
	// with the same content returns the original entry and posts nothing; the
	// same key with other content fails with ErrIdempotencyConflict.
	IdempotencyKey string
	Lines          []Line
	// Reverses is the ID of the entry this one reverses (set by Reverse).
	Reverses uuid.UUID
	// ReversedBy is the ID of the entry that reversed this one, if any (read only).
	ReversedBy uuid.UUID
	PostedAt   time.Time // when it was recorded (UTC, microseconds)
}

// Line is one debit or credit of an entry.
type Line struct {
	Account    string // account code
	Side       Side
	Amount     decimal.Decimal // positive, at most the currency's minor units
	Currency   string          // ISO 4217 code
	Memo       string
	Dimensions map[string]string // e.g. site=barapukuria, equipment=EX-12

	// BaseAmount and Rate are for tenants with a base currency
	// (SetBaseCurrency), on lines in another currency: BaseAmount is the
	// line's value in the base currency and Rate the rate used (base units
	// per unit of Currency). Give either: the other is derived (the base
	// amount rounded half up to the base currency's minor units). Both are
	// zero on lines in the base currency, whose base value is the amount.
	// A line with a zero Amount and a positive BaseAmount moves only the
	// base value (FX revaluation, realised differences, rounding).
	BaseAmount decimal.Decimal
	Rate       decimal.Decimal

	// AccountID is set by the ledger when the entry is posted.
	AccountID uuid.UUID
}

// EntryQuery selects entries in Entries, ordered by ID (posting order).
type EntryQuery struct {
	From, To Date      // posting date range, inclusive; zero = open
	After    uuid.UUID // cursor: entries with a greater ID
	Limit    int       // at most this many (default 100, at most 10,000)
}

// Debit returns a debit line.
func DebitLine(account string, amount decimal.Decimal, currency string) Line {
	return Line{Account: account, Side: Debit, Amount: amount, Currency: currency}
}

// CreditLine returns a credit line.
func CreditLine(account string, amount decimal.Decimal, currency string) Line {
	return Line{Account: account, Side: Credit, Amount: amount, Currency: currency}
}

// normalizeEntry checks everything about e that needs no stored state and
// returns it with currencies normalised. Errors wrap a sentinel; line errors
// are *LineError; an imbalance is *UnbalancedError.
func normalizeEntry(e Entry) (Entry, error) {
	if e.Date.IsZero() || !e.Date.Valid() {
		return e, fmt.Errorf("%w: posting date %s", ErrInvalidDate, e.Date)
	}
	if len(e.Description) > maxTextLen || len(e.Reference) > maxTextLen || len(e.IdempotencyKey) > maxNameLen {
		return e, fmt.Errorf("%w: description, reference or idempotency key too long", ErrInvalidEntry)
	}
	if err := validateMetadata(e.Metadata, ErrInvalidEntry); err != nil {
		return e, err
	}
	if len(e.Lines) < 2 {
		return e, fmt.Errorf("%w: an entry needs at least two lines, got %d", ErrInvalidEntry, len(e.Lines))
	}
	if len(e.Lines) > maxLines {
		return e, fmt.Errorf("%w: more than %d lines", ErrInvalidEntry, maxLines)
	}
	lines := make([]Line, len(e.Lines))
	type sums struct{ debit, credit decimal.Decimal }
	totals := map[string]*sums{}
	var order []string
	for i, l := range e.Lines {
		if l.Account == "" {
			return e, &LineError{i, fmt.Errorf("%w: no account", ErrInvalidEntry)}
		}
		if err := validateCode(l.Account); err != nil {
			return e, &LineError{i, fmt.Errorf("%w: %w", ErrAccountNotFound, err)}
		}
		if !l.Side.Valid() {
			return e, &LineError{i, fmt.Errorf("%w: side %q is not debit or credit", ErrInvalidEntry, l.Side)}
		}
		l.Currency = normalizeCurrency(l.Currency)
		cur, err := LookupCurrency(l.Currency)
		if err != nil {
			return e, &LineError{i, err}
		}
		if l.BaseAmount.IsNegative() || l.Rate.IsNegative() {
			return e, &LineError{i, fmt.Errorf("%w: base amount %s, rate %s", ErrInvalidAmount, l.BaseAmount.String(), l.Rate.String())}
		}
		if !l.Amount.IsPositive() && !(l.Amount.IsZero() && l.BaseAmount.IsPositive()) {
			return e, &LineError{i, fmt.Errorf("%w: got %s", ErrInvalidAmount, l.Amount.String())}
		}
		if _, err := cur.ToMinor(l.Amount); err != nil {
			return e, &LineError{i, err}
		}
		if len(l.Memo) > maxTextLen {
			return e, &LineError{i, fmt.Errorf("%w: memo too long", ErrInvalidEntry)}
		}
		if err := validateMetadata(l.Dimensions, ErrInvalidEntry); err != nil {
			return e, &LineError{i, err}
		}
		s := totals[l.Currency]
		if s == nil {
			s = &sums{}
			totals[l.Currency] = s
			order = append(order, l.Currency)
		}
		if l.Side == Debit {
			s.debit = s.debit.Add(l.Amount)
		} else {
			s.credit = s.credit.Add(l.Amount)
		}
		l.AccountID = uuid.Nil
		lines[i] = l
	}
	for _, c := range order {
		s := totals[c]
		if !s.debit.Equal(s.credit) {
			return e, &UnbalancedError{Currency: c, Debit: s.debit, Credit: s.credit, Difference: s.debit.Sub(s.credit)}
		}
	}
	e.Lines = lines
	e.ID, e.ReversedBy, e.PostedAt = uuid.Nil, uuid.Nil, time.Time{}
	return e, nil
}

// sameContent reports whether a and b post the same thing: what an
// idempotent retry must repeat exactly. IDs and times are not compared.
func sameContent(a, b Entry) bool {
	if a.Date != b.Date || a.Description != b.Description || a.Reference != b.Reference ||
		a.Reverses != b.Reverses || !sameMap(a.Metadata, b.Metadata) || len(a.Lines) != len(b.Lines) {
		return false
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.Account != y.Account || x.Side != y.Side || !x.Amount.Equal(y.Amount) ||
			x.Currency != y.Currency || x.Memo != y.Memo || !sameMap(x.Dimensions, y.Dimensions) ||
			!x.BaseAmount.Equal(y.BaseAmount) || !x.Rate.Equal(y.Rate) {
			return false
		}
	}
	return true
}

func sameMap(a, b map[string]string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return maps.Equal(a, b)
}

// accountCodes returns the distinct account codes of the entries' lines, sorted.
func accountCodes(es []Entry) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range es {
		for _, l := range e.Lines {
			if !seen[l.Account] {
				seen[l.Account] = true
				out = append(out, l.Account)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (e Entry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %q", e.ID, e.Date, e.Description)
	for _, l := range e.Lines {
		fmt.Fprintf(&b, " | %s %s %s %s", l.Account, l.Side, l.Amount.String(), l.Currency)
	}
	return b.String()
}
