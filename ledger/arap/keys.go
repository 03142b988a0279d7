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

// keyed is what the tenant recorded under key, read in the transaction tx
// once it holds the key's lock: the receipt, payment or note (doc, nil
// when none) and the allocations made under the key (a receipt's or
// payment's, or an Allocate call's). Nothing when key is empty. The lock
// comes first: a concurrent call with the key waits for this one, then
// finds what it recorded - rather than waiting on the same invoice or
// bill, then failing with ErrOverAllocation or ErrOverCredit because this
// one used what was open.
func keyed(ctx context.Context, tx Store, tenant, key string) (doc *Document, allocs []Allocation, err error) {
	if key == "" {
		return nil, nil, nil
	}
	if err := tx.ARLockKey(ctx, tenant, key); err != nil {
		return nil, nil, err
	}
	d, err := tx.ARDocumentByKey(ctx, tenant, key)
	switch {
	case err == nil:
		doc = &d
	case !errors.Is(err, ErrDocumentNotFound):
		return nil, nil, err
	}
	allocs, err = tx.ARAllocationsByKey(ctx, tenant, key)
	return doc, allocs, err
}

// keyConflict is the error of a request whose key recorded d with another
// value of what.
func keyConflict(key string, d Document, what string) error {
	return fmt.Errorf("%w: key %q recorded %s %s with another %s", ledger.ErrIdempotencyConflict, key, d.Kind, d.Number, what)
}

// allocateConflict is the error of a receipt, payment or note whose key
// an Allocate call took (keys are one namespace).
func allocateConflict(key string) error {
	return fmt.Errorf("%w: key %q was used by an Allocate call", ledger.ErrIdempotencyConflict, key)
}

// recordedNote is the note recorded under r's key (of kind, reason
// trimmed, issued at at), found true, when r is the request that recorded
// it; a conflict when it is not, or when an Allocate call took the key.
func recordedNote(ctx context.Context, tx Store, tenant string, kind Kind, r NoteRequest, reason string, at time.Time) (Document, bool, error) {
	doc, allocs, err := keyed(ctx, tx, tenant, r.IdempotencyKey)
	switch {
	case err != nil:
		return Document{}, false, err
	case doc != nil:
		if what := noteDiffers(*doc, kind, r, reason, at); what != "" {
			return Document{}, true, keyConflict(r.IdempotencyKey, *doc, what)
		}
		return *doc, true, nil
	case len(allocs) > 0:
		return Document{}, false, allocateConflict(r.IdempotencyKey)
	}
	return Document{}, false, nil
}

// noteDiffers names what of note request r (of kind, with its reason
// trimmed, issued at at) differs from note n, recorded under r's key; ""
// when nothing does. The time of issue counts only when r gave one.
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
	case !r.At.IsZero() && !n.IssuedAt.Equal(at):
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
