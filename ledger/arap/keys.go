package arap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/erpkit/erpkit/ledger"
)

// checkKey validates a request's idempotency key (empty: none).
func checkKey(key string) error {
	if len(key) > maxText || !printable(key) {
		return fieldErr("IdempotencyKey", ErrInvalidDocument, "at most %d printable bytes", maxText)
	}
	return nil
}

// recorded locks key in the transaction tx and returns the document
// recorded under it; found is false when key is empty or unused. The lock
// comes first: a concurrent call with the key waits for this one, then
// finds what it recorded - rather than waiting on the same invoice or
// bill, then failing with ErrOverAllocation or ErrOverCredit because this
// one used what was open.
func recorded(ctx context.Context, tx Store, tenant, key string) (d Document, found bool, err error) {
	if key == "" {
		return Document{}, false, nil
	}
	if err := tx.ARLockKey(ctx, tenant, key); err != nil {
		return Document{}, false, err
	}
	d, err = tx.ARDocumentByKey(ctx, tenant, key)
	if errors.Is(err, ErrDocumentNotFound) {
		return Document{}, false, nil
	}
	return d, err == nil, err
}

// keyConflict is the error of a request whose key recorded d with another
// value of what.
func keyConflict(key string, d Document, what string) error {
	return fmt.Errorf("%w: key %q recorded %s %s with another %s", ledger.ErrIdempotencyConflict, key, d.Kind, d.Number, what)
}

// recordedNote is recorded for note request r of kind (reason trimmed):
// the note recorded under r's key when r is the request that recorded it,
// a conflict when it is not.
func (e *Engine) recordedNote(ctx context.Context, tx Store, tenant string, kind Kind, r NoteRequest, reason string) (Document, bool, error) {
	prev, found, err := recorded(ctx, tx, tenant, r.IdempotencyKey)
	if err != nil || !found {
		if err == nil {
			err = keyOfAllocate(ctx, tx, tenant, r.IdempotencyKey)
		}
		return Document{}, false, err
	}
	if what := noteDiffers(prev, kind, r, reason, e.atIfSet(r.At)); what != "" {
		return Document{}, true, keyConflict(r.IdempotencyKey, prev, what)
	}
	return prev, true, nil
}

// keyOfAllocate fails with ledger.ErrIdempotencyConflict when an Allocate
// call used key (keys are one namespace: a document must not take one).
// Call it after recorded, which holds the key's lock.
func keyOfAllocate(ctx context.Context, tx Store, tenant, key string) error {
	if key == "" {
		return nil
	}
	prev, err := tx.ARAllocationsByKey(ctx, tenant, key)
	if err != nil || len(prev) == 0 {
		return err
	}
	return fmt.Errorf("%w: key %q was used by an Allocate call", ledger.ErrIdempotencyConflict, key)
}

// noteDiffers names what of note request r (of kind, with its reason
// trimmed and its issue time at, zero when the request left it to the
// clock) differs from note n, recorded under r's key; "" when nothing does.
func noteDiffers(n Document, kind Kind, r NoteRequest, reason string, at time.Time) string {
	switch {
	case n.Kind != kind:
		return "kind"
	case n.Original != r.Original:
		return "original"
	case n.Reason != reason:
		return "reason"
	case n.PricesIncludeTax != r.PricesIncludeTax:
		return "PricesIncludeTax"
	case !at.IsZero() && !n.IssuedAt.Equal(at):
		return "time of issue"
	case kind.Side() == Payable && (n.Number != strings.TrimSpace(r.Number) || n.Date != r.Date):
		return "vendor's number or date"
	case len(n.Lines) != len(r.Lines):
		return "lines"
	}
	for i, want := range r.Lines {
		got := n.Lines[i]
		if got.Description != strings.TrimSpace(want.Description) || got.Unit != strings.TrimSpace(want.Unit) ||
			!got.Quantity.Equal(want.Quantity) || !got.UnitPrice.Equal(want.UnitPrice) || !got.Discount.Equal(want.Discount) ||
			got.VAT.Category != want.VAT.Category || !got.VAT.Percent.Equal(want.VAT.Percent) ||
			!got.VAT.PerUnit.Equal(want.VAT.PerUnit) || !got.SDPercent.Equal(want.SDPercent) ||
			(want.Account != "" && got.Account != want.Account) {
			return fmt.Sprintf("line %d", i)
		}
	}
	return ""
}

// sameAllocations tells whether allocations prev, made under a key, are
// what an Allocate of settlement with as makes: one per requested
// document, of the amount requested.
func sameAllocations(prev []Allocation, settlement uuid.UUID, as []Apply) bool {
	if len(prev) != len(as) {
		return false
	}
	byCharge := make(map[uuid.UUID]Allocation, len(prev))
	for _, a := range prev {
		if a.Settlement != settlement {
			return false
		}
		byCharge[a.Charge] = a
	}
	for _, a := range as {
		p, ok := byCharge[a.Document]
		if !ok || !p.Amount.Equal(a.Amount) || !p.VDS.Equal(a.VDS) {
			return false
		}
	}
	return true
}
