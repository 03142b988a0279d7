package ledger

import (
	"context"

	"github.com/google/uuid"
)

// Store is the storage the Ledger consumes. storage/sqlite and
// storage/postgres implement it; storage/storagetest holds the conformance
// suite every implementation passes.
//
// Every method is scoped to one tenant and never reads or changes another
// tenant's rows. Methods that write are atomic: they commit everything or
// nothing, and retry transient conflicts (serialization failures, deadlocks,
// a concurrent insert of the same idempotency key) themselves, calling their
// callback again, so callbacks must be free of side effects.
type Store interface {
	// CreateAccount inserts a validated account with its ID set. Errors:
	// ErrAccountExists when the code is taken; ErrAccountNotFound when
	// a.Parent names no account of the tenant.
	CreateAccount(ctx context.Context, tenant string, a Account) error

	// UpdateAccount loads the account with the code, calls fn with it and a
	// lookup of the tenant's other accounts, all in one transaction, and
	// stores the account as fn left it (name, parent, blocked, currencies, required dimensions,
	// metadata; ID, code, type and creation time are kept). Errors:
	// ErrAccountNotFound when no account has the code; fn's error unchanged.
	UpdateAccount(ctx context.Context, tenant, code string, fn func(a *Account, lookup func(code string) (Account, error)) error) (Account, error)

	// Account returns the account with the code, or ErrAccountNotFound.
	Account(ctx context.Context, tenant, code string) (Account, error)

	// Accounts returns the accounts the filter selects, ordered by code.
	Accounts(ctx context.Context, tenant string, f AccountFilter) ([]Account, error)

	// Append posts entries atomically. In one transaction it loads the
	// accounts with the given codes and the entries already posted under the
	// given idempotency keys, passes them to check, and writes the entries
	// check returns (lines, and balances per account and currency). When check
	// returns an error nothing is written and Append returns that error.
	// An implementation may leave PostState.Existing empty on a first attempt
	// if writing an entry whose key is taken then fails and it runs the whole
	// attempt again with the existing entries loaded: a key is never written
	// twice, and check sees every taken key before anything is committed.
	// An entry whose Reverses is set fails with *AlreadyReversedError when
	// that entry has been reversed already.
	Append(ctx context.Context, tenant string, codes, keys []string, check func(PostState) ([]Entry, error)) error

	// Entry returns the entry with the ID, ReversedBy filled, or ErrEntryNotFound.
	Entry(ctx context.Context, tenant string, id uuid.UUID) (Entry, error)

	// Entries returns the entries the query selects, ordered by ID.
	Entries(ctx context.Context, tenant string, q EntryQuery) ([]Entry, error)

	// EntriesByKey returns the entries posted under the idempotency keys
	// (ReversedBy filled), in no particular order; keys with no entry are
	// left out.
	EntriesByKey(ctx context.Context, tenant string, keys []string) ([]Entry, error)

	// Balances returns a balance for each account and currency with postings
	// on or before q.AsOf (all postings when AsOf is zero), ordered by account
	// code and currency. Balance.Balance is left for the ledger to sign.
	Balances(ctx context.Context, tenant string, q BalanceQuery) ([]Balance, error)

	// Calendar returns the tenant's calendar: the zero Calendar when none
	// was stored.
	Calendar(ctx context.Context, tenant string) (Calendar, error)

	// UpdateCalendar loads the tenant's calendar (the zero Calendar when
	// none is stored), calls fn with it and stores what fn leaves, with the
	// event fn returns (when not nil), in one transaction; it returns the
	// stored calendar, or fn's error unchanged with nothing written.
	// UpdateCalendar and Append exclude each other: an Append either
	// commits before an UpdateCalendar reads the calendar, or reads the
	// calendar that UpdateCalendar committed.
	UpdateCalendar(ctx context.Context, tenant string, fn func(c *Calendar) (*PeriodEvent, error)) (Calendar, error)

	// SetBase is UpdateCalendar for the base currency: fn also gets the
	// currencies the tenant has balances in, read in the same transaction,
	// and no event is stored.
	SetBase(ctx context.Context, tenant string, fn func(c *Calendar, posted []string) error) (Calendar, error)

	// PeriodEvents returns the events UpdateCalendar stored, oldest first.
	PeriodEvents(ctx context.Context, tenant string) ([]PeriodEvent, error)

	// CreateAccounts inserts validated accounts, in order, in one
	// transaction: all or none. A parent may be an earlier account of the
	// list. Errors as CreateAccount's, wrapped with the account's code.
	CreateAccounts(ctx context.Context, tenant string, as []Account) error

	// Lines returns the lines of one account (and currency) that q selects,
	// ordered by posting date, entry ID and line number, at most q.Limit.
	Lines(ctx context.Context, tenant string, q LineQuery) ([]StatementLine, error)

	// PutDimension stores a validated dimension declaration, replacing the
	// tenant's declaration of the same key.
	PutDimension(ctx context.Context, tenant string, d Dimension) error

	// Dimensions returns the tenant's declared dimensions, ordered by key.
	Dimensions(ctx context.Context, tenant string) ([]Dimension, error)
}

// PostState is what Append reads inside its transaction for its check.
type PostState struct {
	// Accounts holds the requested accounts that exist, by code.
	Accounts map[string]Account
	// Existing holds entries already posted, by idempotency key.
	Existing map[string]Entry
	// Calendar is the tenant's calendar, read in the transaction.
	Calendar Calendar
	// Dimensions are the tenant's declared dimensions, by key, read in the
	// transaction.
	Dimensions map[string]Dimension
}

// Collide reports whether two of es share an idempotency key or reverse
// the same entry, so that they cannot be written together: a store that
// writes several callers' entries in one statement (group commit) would
// fail on a unique index, and fail again on every retry of the same write.
// Such a store checks Collide first and runs each caller's posting alone
// instead, where each gets its own answer (the entry under the key, a
// conflict, or ErrAlreadyReversed).
func Collide(es []Entry) bool {
	keys := make(map[string]bool, len(es))
	reversed := map[uuid.UUID]bool{}
	for _, e := range es {
		if k := e.IdempotencyKey; k != "" {
			if keys[k] {
				return true
			}
			keys[k] = true
		}
		if r := e.Reverses; r != uuid.Nil {
			if reversed[r] {
				return true
			}
			reversed[r] = true
		}
	}
	return false
}

// ConcurrentReader is implemented by a Store that can say whether its reads
// may run at once from several goroutines: true for a store over a
// connection pool, false for one bound to a single transaction. Reports
// that need two independent reads (a statement's chart and its balances)
// run them at once when it says so.
type ConcurrentReader interface {
	ConcurrentReads() bool
}

// SnapshotReader is implemented by a Store that can run several reads
// against one state of its data. ReadSnapshot calls fn with a Store whose
// reads all see the data as it was when the first of them ran, whatever
// commits meanwhile; its writes fail with ErrReadOnlySnapshot, and, if it
// reads through one connection, it says so (ConcurrentReader). Reports
// that read balances as of more than one date (the period trial balance,
// the income statement, comparative columns) read them in one snapshot, so
// that an entry posted meanwhile is in all of their reads or in none: read
// apart, an entry dated before a period and posted between the reads would
// show as a movement of the period.
type SnapshotReader interface {
	ReadSnapshot(ctx context.Context, fn func(Store) error) error
}
