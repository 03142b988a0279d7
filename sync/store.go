package sync

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store is the storage the Server consumes. storage/sqlite and
// storage/postgres implement it; storage/storagetest holds the conformance
// suite both pass. Every method is scoped to one tenant.
type Store interface {
	// SyncTx runs fn in one transaction of the tenant: committed when fn
	// returns nil, rolled back otherwise (fn's error returned unchanged).
	// Events fn appends (Tx.AppendEvents) are written when fn has returned,
	// last in the transaction. When the database reports a transient
	// conflict the whole of fn may be run again, so fn must be free of side
	// effects outside the transaction.
	SyncTx(ctx context.Context, tenant string, fn func(tx Tx) error) error

	// SyncEvents returns up to limit events with cursor > after, in cursor
	// order, and the head. When after is older than the retained log (or
	// beyond the head) the page has Reset set and no events.
	SyncEvents(ctx context.Context, tenant string, after int64, limit int) (EventPage, error)

	// SyncPruneEvents deletes the oldest events, up to the last one created
	// before the time, and returns how many it deleted. Readers whose cursor
	// is below the last deleted cursor get a reset.
	SyncPruneEvents(ctx context.Context, tenant string, before time.Time) (int, error)

	// SyncClientSeq returns the client's last applied seq (0 for a client
	// never seen).
	SyncClientSeq(ctx context.Context, tenant, clientID string) (int64, error)

	// SyncResults returns the client's recorded results with seq > after,
	// in seq order, at most limit.
	SyncResults(ctx context.Context, tenant, clientID string, after int64, limit int) ([]Result, error)

	// SyncEntity returns the entity's versioned copy (Version 0 when it was
	// never written).
	SyncEntity(ctx context.Context, tenant string, ref EntityRef) (Entity, error)

	// SyncConflicts returns the conflicts f selects, oldest first.
	SyncConflicts(ctx context.Context, tenant string, f ConflictFilter) ([]Conflict, error)

	// SyncConflict returns one conflict, or ErrConflictNotFound.
	SyncConflict(ctx context.Context, tenant string, id uuid.UUID) (Conflict, error)
}

// Tx is one transaction of SyncTx. Its methods run in the transaction.
type Tx interface {
	// LockClient locks the client's row (creating it at seq 0) until the
	// transaction ends, and returns its last applied seq. Errors:
	// ErrClientGroup when the client belongs to another group.
	LockClient(ctx context.Context, c Client, user string) (int64, error)

	// RecordResult stores r and sets the client's last applied seq to r.Seq.
	RecordResult(ctx context.Context, clientID string, r Result) error

	// Savepoint runs fn in a savepoint with host, the adapter's store bound
	// to this transaction (e.g. *sqlite.Store, *postgres.Store), through
	// which fn writes the engines' rows. When fn fails the savepoint is
	// rolled back and fn's error returned; a failure the database reports as
	// transient (busy, serialization failure, deadlock) is wrapped with
	// ErrTransient and ErrStoreConflict.
	Savepoint(ctx context.Context, fn func(host any) error) error

	// LockEntity returns the entity's versioned copy, locked until the
	// transaction ends (Version 0 when never written).
	LockEntity(ctx context.Context, ref EntityRef) (Entity, error)

	// PutEntity stores e (insert or update) as given.
	PutEntity(ctx context.Context, e Entity) error

	// PutConflict inserts or replaces the conflict with c.ID.
	PutConflict(ctx context.Context, c Conflict) error

	// LockConflict returns the conflict, locked, or ErrConflictNotFound.
	LockConflict(ctx context.Context, id uuid.UUID) (Conflict, error)

	// AppendEvents queues events for the log; they get their cursors when
	// the transaction is about to commit.
	AppendEvents(ctx context.Context, events ...NewEvent) error
}
