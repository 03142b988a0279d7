package arap

import (
	"context"
	"strconv"
)

// Event is a domain event of the engine. The adapter appends it to its
// event log (the outbox of storage/sqlite and storage/postgres, read with
// sync cursors) in the transaction that made the change, so it is committed
// exactly when the change is. Every write appends one event per party,
// document or allocation it wrote:
//
//	arap.party.saved         a party created or changed
//	arap.document.saved      a document created or changed (status, open amount, ...)
//	arap.allocation.created  a settlement applied to a charge
type Event struct {
	Type       string
	EntityType string // "arap.party", "arap.document", "arap.allocation"
	EntityID   string // party code, document or allocation ID
	Data       map[string]string
}

func partyEvent(p Party) Event {
	return Event{Type: "arap.party.saved", EntityType: "arap.party", EntityID: p.Code, Data: map[string]string{
		"code": p.Code, "legal_name": p.LegalName, "customer": strconv.FormatBool(p.Customer),
		"vendor": strconv.FormatBool(p.Vendor), "bin": p.BIN, "blocked": strconv.FormatBool(p.Blocked)}}
}

func documentEvent(d Document) Event {
	data := map[string]string{"id": d.ID.String(), "kind": string(d.Kind), "side": string(d.Kind.Side()), "party": d.Party,
		"status": string(d.Status), "number": d.Number, "total": d.Totals.Total.String(), "open": d.Open.String()}
	if !d.Date.IsZero() {
		data["date"] = d.Date.String()
	}
	if d.EntryID != [16]byte{} {
		data["entry"] = d.EntryID.String()
	}
	return Event{Type: "arap.document.saved", EntityType: "arap.document", EntityID: d.ID.String(), Data: data}
}

func allocationEvent(a Allocation) Event {
	return Event{Type: "arap.allocation.created", EntityType: "arap.allocation", EntityID: a.ID.String(), Data: map[string]string{
		"id": a.ID.String(), "side": string(a.Side), "party": a.Party, "charge": a.Charge.String(),
		"settlement": a.Settlement.String(), "amount": a.Amount.String(), "vds": a.VDS.String(), "date": a.Date.String()}}
}

// emit appends the events of what a transaction wrote; call it last.
func emit(ctx context.Context, tx Store, tenant string, docs []Document, allocs []Allocation) error {
	evs := make([]Event, 0, len(docs)+len(allocs))
	for _, d := range docs {
		evs = append(evs, documentEvent(d))
	}
	for _, a := range allocs {
		evs = append(evs, allocationEvent(a))
	}
	return tx.ARAppendEvents(ctx, tenant, evs)
}
