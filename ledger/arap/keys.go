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
// once it holds the key's lock: the receipt, payment, note or draft (doc, nil
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

// keyedDocument is keyed for a call that records a document (a receipt,
// payment, note or draft): the document recorded under key (nil when
// none) and the allocations made with it; a conflict when an Allocate
// call took the key.
func keyedDocument(ctx context.Context, tx Store, tenant, key string) (*Document, []Allocation, error) {
	doc, allocs, err := keyed(ctx, tx, tenant, key)
	if err == nil && doc == nil && len(allocs) > 0 {
		err = allocateConflict(key)
	}
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
	doc, _, err := keyedDocument(ctx, tx, tenant, r.IdempotencyKey)
	switch {
	case err != nil:
		return Document{}, false, err
	case doc != nil:
		if what := noteDiffers(*doc, kind, r, reason, at); what != "" {
			return Document{}, true, keyConflict(r.IdempotencyKey, *doc, what)
		}
		return *doc, true, nil
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
	}
	return linesDiffer(n.Lines, r.Lines)
}

// draftDiffers names what of draft want (a create request as draft made
// it) differs from d, the document recorded under the request's key; ""
// when nothing does. What issuing or approving sets (the serial, the date
// of an invoice, the posting date) does not count.
func draftDiffers(d, want Document) string {
	switch {
	case d.Kind != want.Kind:
		return "kind"
	case d.Party != want.Party:
		return "party"
	case d.Currency != want.Currency:
		return "currency"
	case d.Reference != want.Reference:
		return "reference"
	case d.PricesIncludeTax != want.PricesIncludeTax:
		return "PricesIncludeTax"
	case want.Kind == Invoice && d.Series != want.Series:
		return "series"
	case want.Kind == Bill && (d.Number != want.Number || d.Date != want.Date):
		return "vendor's number or date"
	case want.Kind == Bill && (d.PaymentChannel != want.PaymentChannel || d.UsedFor != want.UsedFor ||
		d.BlockedWhat != want.BlockedWhat):
		return "payment channel or use"
	}
	return linesDiffer(d.Lines, want.Lines)
}

// linesDiffer names the first of the requested lines that differs from
// the recorded one ("" when none does): description and unit trimmed,
// quantity, price, discount, VAT, SD and the account when the request
// names one.
func linesDiffer(got, want []Line) string {
	if len(got) != len(want) {
		return "lines"
	}
	for i, w := range want {
		g := got[i]
		if g.Description != strings.TrimSpace(w.Description) || g.Unit != strings.TrimSpace(w.Unit) ||
			!g.Quantity.Equal(w.Quantity) || !g.UnitPrice.Equal(w.UnitPrice) || !g.Discount.Equal(w.Discount) ||
			g.VAT.Category != w.VAT.Category || !g.VAT.Percent.Equal(w.VAT.Percent) ||
			!g.VAT.PerUnit.Equal(w.VAT.PerUnit) || !g.SDPercent.Equal(w.SDPercent) ||
			(w.Account != "" && g.Account != w.Account) {
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
