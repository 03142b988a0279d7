package arap

import (
	"context"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
)

// Store is the storage the Engine consumes. storage/sqlite and
// storage/postgres implement it; storage/storagetest holds the conformance
// suite both pass.
//
// Every method is scoped to one tenant and never reads or changes another
// tenant's rows. The engine writes only inside ARInTx, on the store that
// ARInTx hands to fn, so that a document's rows, its allocations, its serial
// and its ledger entry commit together or not at all.
type Store interface {
	// ARInTx runs fn in one transaction with tx, this store bound to it, and
	// gl, the ledger.Store bound to the same transaction. It commits when fn
	// returns nil and rolls back otherwise, returning fn's error unchanged.
	// On a transient conflict (busy database, serialization failure,
	// deadlock) it runs fn again, so fn must have no effects outside the
	// transaction. On a store already bound to a transaction it runs fn in a
	// savepoint of it.
	ARInTx(ctx context.Context, fn func(tx Store, gl ledger.Store) error) error

	// ARAppendEvents appends the engine's events to the adapter's event log
	// in the transaction (the engine calls it last in ARInTx's fn).
	ARAppendEvents(ctx context.Context, tenant string, evs []Event) error

	// ARCreateParty inserts a validated party. Errors: ErrPartyExists.
	ARCreateParty(ctx context.Context, tenant string, p Party) error
	// ARUpdateParty replaces a party's fields (all but Code and CreatedAt).
	// Errors: ErrPartyNotFound.
	ARUpdateParty(ctx context.Context, tenant string, p Party) error
	// ARParty returns the party with the code, or ErrPartyNotFound. With
	// lock, inside ARInTx, the party is locked until the transaction ends.
	ARParty(ctx context.Context, tenant, code string, lock bool) (Party, error)
	// ARParties returns the tenant's parties, ordered by code.
	ARParties(ctx context.Context, tenant string) ([]Party, error)

	// ARCreateDocument inserts a document.
	ARCreateDocument(ctx context.Context, tenant string, d Document) error
	// ARUpdateDocument replaces a document (by ID; Kind, Party and CreatedAt
	// stay). Errors: ErrDocumentNotFound.
	ARUpdateDocument(ctx context.Context, tenant string, d Document) error
	// ARDocument returns the document with the ID, or ErrDocumentNotFound.
	// With lock, inside ARInTx, the document is locked until the transaction
	// ends; the engine locks documents in ID order.
	ARDocument(ctx context.Context, tenant string, id uuid.UUID, lock bool) (Document, error)
	// ARDocumentsByID returns the documents with the IDs, in the order of ids,
	// or ErrDocumentNotFound naming one that does not exist. With lock, inside
	// ARInTx, they are locked (in ID order) until the transaction ends.
	ARDocumentsByID(ctx context.Context, tenant string, ids []uuid.UUID, lock bool) ([]Document, error)
	// ARDocumentByKey returns the document stored under the idempotency
	// key (Document.IdempotencyKey), or ErrDocumentNotFound. Inside ARInTx
	// it sees the transaction's own writes. ARCreateDocument of a second
	// document with a key already taken by a concurrent transaction fails
	// as a transient conflict, so that ARInTx runs fn again and this finds
	// the first.
	ARDocumentByKey(ctx context.Context, tenant, key string) (Document, error)
	// ARLockKey, inside ARInTx, holds a lock on the tenant's idempotency key
	// until the transaction ends, so that calls with one key run one after
	// the other and each later one's ARDocumentByKey sees what the earlier
	// committed (a store whose transactions never overlap may do nothing).
	// The engine takes it before reading the key and before any other lock.
	ARLockKey(ctx context.Context, tenant, key string) error
	// ARUpdateDocuments is ARUpdateDocument for several documents at once.
	ARUpdateDocuments(ctx context.Context, tenant string, ds []Document) error
	// ARDocuments returns the documents q selects, ordered by date, then
	// number, then ID.
	ARDocuments(ctx context.Context, tenant string, q DocumentQuery) ([]Document, error)

	// ARNextSerials takes the next n numbers of a serial series for a fiscal
	// year and returns the last one taken (the first is last-n+1): a counter
	// row incremented in the transaction, so that numbers are gapless and
	// unique under concurrency and a rolled-back transaction takes none.
	ARNextSerials(ctx context.Context, tenant, series string, fiscalYear, n int) (int64, error)

	// ARCreateAllocations inserts allocations and sets their documents' open
	// amounts and last allocation dates as the engine computed them (the
	// documents are updated by ARUpdateDocument in the same transaction).
	ARCreateAllocations(ctx context.Context, tenant string, as []Allocation) error
	// ARAllocations returns the allocations of one document (as charge or
	// settlement), ordered by date and ID.
	ARAllocations(ctx context.Context, tenant string, doc uuid.UUID) ([]Allocation, error)

	// ARAllocationsByKey returns the allocations an Allocate call made
	// under the idempotency key (Allocation.IdempotencyKey), ordered by ID;
	// none when the key is unused.
	ARAllocationsByKey(ctx context.Context, tenant, key string) ([]Allocation, error)

	// AROpenItems returns the charges and settlements of q.Side with an
	// amount open on q.AsOf (dated on or before it; allocations dated after
	// it not counted), ordered by party, due date and ID.
	AROpenItems(ctx context.Context, tenant string, q OpenItemQuery) ([]OpenItem, error)
	// ARAging sums what AROpenItems would return per party into the aging
	// buckets of q.AsOf, ordered by party.
	ARAging(ctx context.Context, tenant string, q OpenItemQuery) ([]AgingRow, error)
}

// DocumentQuery selects documents. Zero fields do not filter.
type DocumentQuery struct {
	Kinds    []Kind
	Party    string
	Status   []Status
	From, To ledger.Date // Date range, inclusive
	// ByPostingDate filters From and To on PostingDate instead of Date.
	ByPostingDate bool
	Original      uuid.UUID // notes of this invoice or bill
	Number        string    // documents with this number
	Limit         int       // 0: no limit
}

// OpenItemQuery selects open items.
type OpenItemQuery struct {
	Side  Side
	Party string      // "" = every party
	AsOf  ledger.Date // zero: today's open amounts, every date
}

// OpenItem is a document with an amount still open. Open is positive for a
// charge and negative for a settlement not yet allocated (an advance, an
// over-payment, an unapplied credit note).
type OpenItem struct {
	Document uuid.UUID
	Kind     Kind
	Party    string
	Number   string
	Date     ledger.Date
	DueDate  ledger.Date
	Total    decimal.Decimal
	Open     decimal.Decimal
}

// AgingRow is what one party owes (or is owed) by days past due on the
// as-of date. Unapplied holds settlements not yet allocated (negative).
type AgingRow struct {
	Party      string
	NotDue     decimal.Decimal // due on or after the as-of date
	Days1To30  decimal.Decimal
	Days31To60 decimal.Decimal
	Days61To90 decimal.Decimal
	Over90     decimal.Decimal
	Unapplied  decimal.Decimal
	Total      decimal.Decimal
}
