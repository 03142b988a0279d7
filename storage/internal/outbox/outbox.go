// Package outbox builds the events the storage adapters append to the event
// log (the outbox of ARCHITECTURE.md) when an engine's change commits: the
// same events from storage/sqlite and storage/postgres, written once. The
// adapters append them with their own syAppendEvents in the transaction of
// the change.
package outbox

import (
	"encoding/json"

	"github.com/google/uuid"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	erpsync "github.com/erpkit/erpkit/sync"
)

// Ledger returns the events of entries just posted, for the posting
// path to append in its transaction (syAppendEvents, last): one
// "ledger.entry.posted" per entry, or "ledger.entry.reversed" for an entry
// that reverses another, with the entry's lines (amounts as decimal
// strings).
func Ledger(entries ...ledger.Entry) []erpsync.NewEvent {
	out := make([]erpsync.NewEvent, 0, len(entries))
	for _, e := range entries {
		typ := "ledger.entry.posted"
		d := entryData{ID: e.ID, Date: e.Date.String(), Description: e.Description, Reference: e.Reference,
			Lines: make([]lineData, len(e.Lines))}
		if e.Reverses != [16]byte{} {
			typ = "ledger.entry.reversed"
			d.Reverses = &e.Reverses
		}
		for i, l := range e.Lines {
			d.Lines[i] = lineData{Account: l.Account, Side: string(l.Side), Amount: l.Amount.String(), Currency: l.Currency,
				Dimensions: l.Dimensions}
		}
		out = append(out, erpsync.NewEvent{Type: typ, Entity: erpsync.EntityRef{Type: "ledger.entry", ID: e.ID.String()}, Data: JSON(d)})
	}
	return out
}

// entryData is the data of a ledger entry's event. Its fields are in the
// order of their names, as a map's keys would be, and it marshals without
// a map per entry and line (a fifth of a 1,000-entry batch's client time
// on PostgreSQL went to marshaling maps).
type entryData struct {
	Date        string     `json:"date"`
	Description string     `json:"description"`
	ID          uuid.UUID  `json:"id"`
	Lines       []lineData `json:"lines"`
	Reference   string     `json:"reference"`
	Reverses    *uuid.UUID `json:"reverses,omitempty"`
}

type lineData struct {
	Account    string            `json:"account"`
	Amount     string            `json:"amount"`
	Currency   string            `json:"currency"`
	Dimensions map[string]string `json:"dimensions,omitempty"`
	Side       string            `json:"side"`
}

// Equipment returns the events of an equipment change: a usage log
// recorded, a stoppage added, a stoppage ended.
func Equipment(code string, c equipment.Change) []erpsync.NewEvent {
	var out []erpsync.NewEvent
	ref := erpsync.EntityRef{Type: "equipment", ID: code}
	if l := c.Log; l != nil {
		out = append(out, erpsync.NewEvent{Type: "equipment.usage.logged", Entity: ref, Data: JSON(map[string]any{
			"id": l.ID, "equipment": code, "shift_date": l.ShiftDate.String(), "shift": l.Shift, "operator": l.Operator,
			"start": l.Start.UTC(), "end": l.End.UTC(), "start_meter": l.StartMeter.String(), "end_meter": l.EndMeter.String(),
			"operating_hours": l.OperatingHours.String(), "activity": l.Activity, "site": l.Site, "fuel": l.Fuel.String(),
		})})
	}
	if s := c.NewStoppage; s != nil {
		d := map[string]any{"id": s.ID, "equipment": code, "start": s.Start.UTC(), "reason": s.Reason, "category": s.Category}
		if !s.End.IsZero() {
			d["end"] = s.End.UTC()
		}
		out = append(out, erpsync.NewEvent{Type: "equipment.stoppage.added", Entity: ref, Data: JSON(d)})
	}
	if s := c.EndStoppage; s != nil {
		out = append(out, erpsync.NewEvent{Type: "equipment.stoppage.ended", Entity: ref, Data: JSON(map[string]any{
			"id": s.ID, "equipment": code, "end": s.End.UTC(), "notes": s.Notes,
		})})
	}
	return out
}

// JSON marshals plain values (maps, strings, numbers) for an event.
func JSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain values only
	}
	return b
}

// Inventory returns the event of a stock movement just saved:
// "inventory.movement.recorded", with what a client needs to show it.
func Inventory(m inventory.Movement) []erpsync.NewEvent {
	d := map[string]any{"id": m.ID, "kind": string(m.Kind), "date": m.Date.String(), "reference": m.Reference,
		"item": m.Item, "location": m.Location, "qty": m.Qty.String(), "unit": m.Unit}
	if m.To != "" {
		d["to"] = m.To
	}
	if m.Lot != "" {
		d["lot"] = m.Lot
	}
	if len(m.Dimensions) > 0 {
		d["dimensions"] = m.Dimensions
	}
	return []erpsync.NewEvent{{Type: "inventory.movement.recorded",
		Entity: erpsync.EntityRef{Type: "inventory.item", ID: m.Item}, Data: JSON(d)}}
}
