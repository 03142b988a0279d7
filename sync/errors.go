package sync

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Errors of the sync engine, matched with errors.Is.
var (
	// ErrInvalid marks a request that is malformed (no tenant, no client,
	// a seq below 1, ...). Nothing is written.
	ErrInvalid = errors.New("sync: invalid request")
	// ErrClientGroup is returned when a client ID already belongs to
	// another client group.
	ErrClientGroup = errors.New("sync: client belongs to another client group")
	// ErrUnknownMutator is the permanent failure of a mutation whose name
	// no mutator is registered under.
	ErrUnknownMutator = errors.New("sync: no mutator registered under the name")
	// ErrTransient marks a failure worth retrying (the database was busy,
	// a service was down): the mutation is rolled back and the client's seq
	// is not advanced. A mutator wraps it (fmt.Errorf("...: %w",
	// sync.ErrTransient)) to ask for a retry; any other mutator error is
	// permanent.
	ErrTransient = errors.New("sync: transient failure")
	// ErrStoreConflict marks, next to ErrTransient, a conflict the
	// database reported inside a mutation (a deadlock, a serialization
	// failure, an entity another batch holds). Push commits what came
	// before it and goes on at once in a new transaction (a few times for
	// the first mutation of a transaction) before it answers Retry.
	// Adapters wrap it; mutators need not.
	ErrStoreConflict = errors.New("sync: the database reported a conflict")
	// ErrConflictNotFound is returned for a conflict ID the tenant does not have.
	ErrConflictNotFound = errors.New("sync: conflict not found")
	// ErrConflictDecided is returned when a conflict that is no longer
	// pending is approved, rejected or chosen.
	ErrConflictDecided = errors.New("sync: conflict already decided")
	// ErrNotAdjustable is the permanent failure of an adjustment whose field
	// does not hold a decimal.
	ErrNotAdjustable = errors.New("sync: field is not a decimal and cannot be adjusted")
)

// ConflictError is the permanent failure of a mutation that Check held
// back: the server won (Conflict.Status is StatusServerWon) or the change
// waits for a person (StatusPending). The conflict is in the conflict store
// either way; Server is the state the client should rebase on.
type ConflictError struct {
	Conflict Conflict
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("sync: %s conflict on %s (%s)", e.Conflict.Severity, e.Conflict.Entity, e.Conflict.Status)
}

// conflictID returns the ID of the conflict err carries, if any.
func conflictID(err error) (uuid.UUID, bool) {
	var ce *ConflictError
	if errors.As(err, &ce) {
		return ce.Conflict.ID, true
	}
	return uuid.Nil, false
}
