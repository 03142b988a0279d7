package ledger

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// AccountType is one of the five elements of accounting.
type AccountType string

// The account types.
const (
	Asset     AccountType = "asset"
	Liability AccountType = "liability"
	Equity    AccountType = "equity"
	Revenue   AccountType = "revenue"
	Expense   AccountType = "expense"
)

// Valid reports whether t is one of the five account types.
func (t AccountType) Valid() bool {
	switch t {
	case Asset, Liability, Equity, Revenue, Expense:
		return true
	}
	return false
}

// NormalSide is the side on which an account of type t normally carries its
// balance: debit for assets and expenses, credit for the others.
func (t AccountType) NormalSide() Side {
	if t == Asset || t == Expense {
		return Debit
	}
	return Credit
}

// Side is the debit or credit side of a line or balance.
type Side string

// The two sides.
const (
	Debit  Side = "debit"
	Credit Side = "credit"
)

// Valid reports whether s is Debit or Credit.
func (s Side) Valid() bool { return s == Debit || s == Credit }

// Opposite returns the other side.
func (s Side) Opposite() Side {
	if s == Debit {
		return Credit
	}
	return Debit
}

// Account is an account of a tenant's chart of accounts.
type Account struct {
	ID   uuid.UUID // assigned by the ledger
	Code string    // unique per tenant, e.g. "1110"; never changes
	Name string
	Type AccountType
	// Parent is the code of the parent account, "" for a top-level account.
	// A child has its parent's type.
	Parent string
	// NormalSide defaults to the type's normal side; set the other side for a
	// contra account (accumulated depreciation, sales returns).
	NormalSide Side
	// Currencies, when not empty, are the only currencies the account takes.
	Currencies []string
	Blocked    bool
	Metadata   map[string]string
	// RequiredDimensions are dimension keys every line posted to the account
	// must carry (e.g. "cost_centre" on expense accounts), sorted.
	RequiredDimensions []string
	CreatedAt          time.Time
}

// AccountFilter selects accounts in Accounts. Zero fields do not filter.
type AccountFilter struct {
	Type       AccountType
	Parent     string // code of the parent: its direct children
	CodePrefix string
	// Outline, when true, reads only each account's ID, Code, Name, Type,
	// NormalSide, Parent and Blocked, leaving its other fields zero: what
	// a tree of the chart or a financial statement needs, read several
	// times faster than whole accounts at 10,000 of them.
	Outline bool
}

// Matches reports whether the filter selects a (Outline aside): its type,
// its parent's code and the start of its code.
func (f AccountFilter) Matches(a Account) bool {
	return (f.Type == "" || a.Type == f.Type) && (f.Parent == "" || a.Parent == f.Parent) &&
		strings.HasPrefix(a.Code, f.CodePrefix)
}

// Select returns the accounts of as the filter selects (Outline aside), in
// their order, in a slice of their own: as may be shared (a store's kept
// chart), the result is the caller's to change.
func (f AccountFilter) Select(as []Account) []Account {
	if f.Type == "" && f.Parent == "" && f.CodePrefix == "" {
		return slices.Clone(as)
	}
	var out []Account
	for _, a := range as {
		if f.Matches(a) {
			out = append(out, a)
		}
	}
	return out
}

// Limits on free text, so that one bad request cannot fill the database.
const (
	maxCodeLen     = 64
	maxNameLen     = 256
	maxTextLen     = 1024
	maxMetaEntries = 64
	maxLines       = 10000
)

func validateTenant(tenant string) error {
	if tenant == "" {
		return fmt.Errorf("%w: empty tenant ID", ErrInvalidTenant)
	}
	if len(tenant) > maxCodeLen || !printable(tenant) || strings.TrimSpace(tenant) != tenant {
		return fmt.Errorf("%w: %q", ErrInvalidTenant, tenant)
	}
	return nil
}

func validateCode(code string) error {
	if code == "" || len(code) > maxCodeLen {
		return fmt.Errorf("%w: code must be 1 to %d characters", ErrInvalidAccount, maxCodeLen)
	}
	for _, r := range code {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("%w: code %q contains a space or control character", ErrInvalidAccount, code)
		}
	}
	return nil
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return true
}

func validateMetadata(m map[string]string, base error) error {
	if len(m) > maxMetaEntries {
		return fmt.Errorf("%w: more than %d metadata entries", base, maxMetaEntries)
	}
	for k, v := range m {
		if k == "" || len(k) > maxCodeLen || len(v) > maxTextLen {
			return fmt.Errorf("%w: metadata key %q or its value is empty or too long", base, k)
		}
	}
	return nil
}

// normalizeAccount validates a new account and fills its defaults.
func normalizeAccount(a Account) (Account, error) {
	if err := validateCode(a.Code); err != nil {
		return a, err
	}
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" || len(a.Name) > maxNameLen || !printable(a.Name) {
		return a, fmt.Errorf("%w: name must be 1 to %d printable characters", ErrInvalidAccount, maxNameLen)
	}
	if !a.Type.Valid() {
		return a, fmt.Errorf("%w: type %q is not asset, liability, equity, revenue or expense", ErrInvalidAccount, a.Type)
	}
	if a.NormalSide == "" {
		a.NormalSide = a.Type.NormalSide()
	}
	if !a.NormalSide.Valid() {
		return a, fmt.Errorf("%w: normal side %q is not debit or credit", ErrInvalidAccount, a.NormalSide)
	}
	if a.Parent != "" {
		if err := validateCode(a.Parent); err != nil {
			return a, err
		}
		if a.Parent == a.Code {
			return a, fmt.Errorf("%w: %s cannot be its own parent", ErrAccountCycle, a.Code)
		}
	}
	cur, err := normalizeCurrencies(a.Currencies)
	if err != nil {
		return a, err
	}
	a.Currencies = cur
	if err := validateMetadata(a.Metadata, ErrInvalidAccount); err != nil {
		return a, err
	}
	if a.RequiredDimensions, err = normalizeRequired(a.RequiredDimensions); err != nil {
		return a, err
	}
	return a, nil
}

func normalizeCurrencies(list []string) ([]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(list))
	seen := map[string]bool{}
	for _, c := range list {
		c = normalizeCurrency(c)
		if _, err := LookupCurrency(c); err != nil {
			return nil, err
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// allows reports whether the account takes postings in currency.
func (a Account) allows(currency string) bool {
	if len(a.Currencies) == 0 {
		return true
	}
	for _, c := range a.Currencies {
		if c == currency {
			return true
		}
	}
	return false
}
