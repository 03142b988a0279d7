package postgres

import (
	"github.com/erpkit/erpkit/ledger"
	erpsync "github.com/erpkit/erpkit/sync"
)

// syLedgerEvents are the events of entries just posted, for the posting
// path to append in its transaction (syAppendEvents, last): one
// "ledger.entry.posted" per entry, or "ledger.entry.reversed" for an entry
// that reverses another, with the entry's lines (amounts as decimal
// strings).
func syLedgerEvents(entries ...ledger.Entry) []erpsync.NewEvent {
	out := make([]erpsync.NewEvent, 0, len(entries))
	for _, e := range entries {
		typ := "ledger.entry.posted"
		d := map[string]any{"id": e.ID, "date": e.Date.String(), "description": e.Description, "reference": e.Reference}
		if e.Reverses != [16]byte{} {
			typ = "ledger.entry.reversed"
			d["reverses"] = e.Reverses
		}
		lines := make([]map[string]any, len(e.Lines))
		for i, l := range e.Lines {
			lines[i] = map[string]any{"account": l.Account, "side": string(l.Side), "amount": l.Amount.String(), "currency": l.Currency}
			if len(l.Dimensions) > 0 {
				lines[i]["dimensions"] = l.Dimensions
			}
		}
		d["lines"] = lines
		out = append(out, erpsync.NewEvent{Type: typ, Entity: erpsync.EntityRef{Type: "ledger.entry", ID: e.ID.String()}, Data: syJSON(d)})
	}
	return out
}
