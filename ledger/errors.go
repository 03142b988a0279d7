package ledger

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Sentinel errors. Every error the ledger returns for bad input wraps one of
// them; match with errors.Is. Details are in the typed errors below.
var (
	// ErrInvalidTenant: the tenant ID is empty or malformed.
	ErrInvalidTenant = errors.New("ledger: invalid tenant")
	// ErrInvalidAccount: an account's fields are missing or malformed.
	ErrInvalidAccount = errors.New("ledger: invalid account")
	// ErrAccountExists: an account with that code already exists for the tenant.
	ErrAccountExists = errors.New("ledger: account code already exists")
	// ErrAccountNotFound: no account with that code (or ID) for the tenant.
	ErrAccountNotFound = errors.New("ledger: account not found")
	// ErrAccountBlocked: the account is blocked and takes no new postings.
	ErrAccountBlocked = errors.New("ledger: account is blocked")
	// ErrAccountCycle: the parent given would make the hierarchy a cycle.
	ErrAccountCycle = errors.New("ledger: account hierarchy cycle")
	// ErrParentType: a child account's type differs from its parent's.
	ErrParentType = errors.New("ledger: account type differs from parent's")
	// ErrUnknownCurrency: the code is not an ISO 4217 currency.
	ErrUnknownCurrency = errors.New("ledger: unknown currency")
	// ErrCurrencyNotAllowed: the account does not accept that currency.
	ErrCurrencyNotAllowed = errors.New("ledger: currency not allowed on account")
	// ErrTooManyDecimals: an amount has more decimals than its currency has minor units.
	ErrTooManyDecimals = errors.New("ledger: amount has more decimals than the currency allows")
	// ErrInvalidAmount: an amount is zero, negative or out of range.
	ErrInvalidAmount = errors.New("ledger: amount must be positive")
	// ErrInvalidDate: a date is missing or not a calendar date.
	ErrInvalidDate = errors.New("ledger: invalid date")
	// ErrInvalidEntry: an entry is malformed (fewer than two lines, bad side, ...).
	ErrInvalidEntry = errors.New("ledger: invalid entry")
	// ErrUnbalanced: debits and credits differ in some currency; see UnbalancedError.
	ErrUnbalanced = errors.New("ledger: entry does not balance")
	// ErrIdempotencyConflict: the idempotency key was used for an entry with other content.
	ErrIdempotencyConflict = errors.New("ledger: idempotency key reused with different content")
	// ErrEntryNotFound: no entry with that ID for the tenant.
	ErrEntryNotFound = errors.New("ledger: entry not found")
	// ErrAlreadyReversed: the entry has been reversed before.
	ErrAlreadyReversed = errors.New("ledger: entry already reversed")
	// ErrInvalidQuery: a query's parameters are malformed.
	ErrInvalidQuery = errors.New("ledger: invalid query")

	// ErrPeriodClosed: a posting or reversal dated in a closed period, or a
	// close of a period already closed.
	ErrPeriodClosed = errors.New("ledger: period is closed")
	// ErrPeriodOpen: a reopen of a period that is not closed.
	ErrPeriodOpen = errors.New("ledger: period is open")
	// ErrPeriodOrder: a close that would leave an earlier period open, or a
	// reopen that would leave a later period closed.
	ErrPeriodOrder = errors.New("ledger: periods close and reopen in date order")
	// ErrInvalidPeriod: a bad fiscal calendar or close request.
	ErrInvalidPeriod = errors.New("ledger: invalid period")
	// ErrYearOpen: a year-end close while periods of the year are open.
	ErrYearOpen = errors.New("ledger: fiscal year has open periods")
	// ErrYearClosed: a second year-end close of one fiscal year.
	ErrYearClosed = errors.New("ledger: fiscal year already closed")
	// ErrInvalidChart: a chart of accounts (template or CSV) that cannot be installed.
	ErrInvalidChart = errors.New("ledger: invalid chart of accounts")

	// ErrInvalidDimension: a malformed dimension declaration or key.
	ErrInvalidDimension = errors.New("ledger: invalid dimension")
	// ErrDimensionUndeclared: a line carries a dimension key the tenant has
	// not declared (tenants that declared dimensions only).
	ErrDimensionUndeclared = errors.New("ledger: dimension not declared")
	// ErrDimensionValue: a line carries a value its dimension does not allow.
	ErrDimensionValue = errors.New("ledger: dimension value not allowed")
	// ErrDimensionMissing: a line lacks a dimension its account requires.
	ErrDimensionMissing = errors.New("ledger: required dimension missing")

	// ErrNoBaseCurrency: a base amount, a rate or a base-only line, or a
	// revaluation or base-currency report, for a tenant without a base currency.
	ErrNoBaseCurrency = errors.New("ledger: tenant has no base currency")
	// ErrRateMissing: a line in a foreign currency without a rate or base
	// amount, or a revaluation without a rate for a currency.
	ErrRateMissing = errors.New("ledger: exchange rate missing")
	// ErrRateMismatch: a line's base amount is not its amount at its rate.
	ErrRateMismatch = errors.New("ledger: base amount does not match the rate")
	// ErrBaseCurrencyLocked: the base currency cannot be set or changed
	// because the tenant has postings in another currency.
	ErrBaseCurrencyLocked = errors.New("ledger: base currency cannot change")
	// ErrNothingToRevalue: a revaluation found every balance at its rate.
	ErrNothingToRevalue = errors.New("ledger: nothing to revalue")
	// ErrReadOnlySnapshot: a write through the Store a SnapshotReader gave
	// to its callback.
	ErrReadOnlySnapshot = errors.New("ledger: a snapshot's store is read-only")
)

// UnbalancedError reports the currency in which an entry does not balance and
// by how much (debits minus credits). Base is set when the entry balances in
// every transaction currency but not in the tenant's base currency (the
// lines' base values), by more than the rounding tolerance.
type UnbalancedError struct {
	Currency   string
	Base       bool
	Debit      decimal.Decimal
	Credit     decimal.Decimal
	Difference decimal.Decimal
}

func (e *UnbalancedError) Error() string {
	if e.Base {
		return fmt.Sprintf("ledger: entry does not balance in the base currency %s: base debits %s, credits %s, difference %s",
			e.Currency, e.Debit.String(), e.Credit.String(), e.Difference.String())
	}
	return fmt.Sprintf("ledger: entry does not balance in %s: debits %s, credits %s, difference %s",
		e.Currency, e.Debit.String(), e.Credit.String(), e.Difference.String())
}

// Is makes errors.Is(err, ErrUnbalanced) true.
func (e *UnbalancedError) Is(target error) bool { return target == ErrUnbalanced }

// LineError is an error in one line of an entry; Line counts from 0.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the line's error.
func (e *LineError) Unwrap() error { return e.Err }

// AlreadyReversedError names the entry that reversed the one given.
type AlreadyReversedError struct {
	Entry      string // the entry that was to be reversed
	ReversedBy string // the reversing entry, when known
}

func (e *AlreadyReversedError) Error() string {
	if e.ReversedBy == "" {
		return fmt.Sprintf("ledger: entry %s already reversed", e.Entry)
	}
	return fmt.Sprintf("ledger: entry %s already reversed by %s", e.Entry, e.ReversedBy)
}

// Is makes errors.Is(err, ErrAlreadyReversed) true.
func (e *AlreadyReversedError) Is(target error) bool { return target == ErrAlreadyReversed }

// EntryError is the error of one entry of a batch; Index counts from 0.
type EntryError struct {
	Index int
	Err   error
}

func (e *EntryError) Error() string { return fmt.Sprintf("entry %d: %v", e.Index, e.Err) }

// Unwrap returns the entry's error.
func (e *EntryError) Unwrap() error { return e.Err }

// BatchError reports every entry of a batch that failed validation. Nothing of
// the batch was written. errors.Is matches any of the entries' errors.
type BatchError struct {
	Entries []*EntryError
}

func (e *BatchError) Error() string {
	parts := make([]string, 0, len(e.Entries))
	for _, ee := range e.Entries {
		parts = append(parts, ee.Error())
	}
	return "ledger: batch rejected: " + strings.Join(parts, "; ")
}

// Unwrap returns the per-entry errors.
func (e *BatchError) Unwrap() []error {
	out := make([]error, len(e.Entries))
	for i, ee := range e.Entries {
		out[i] = ee
	}
	return out
}
