package postgres

import (
	"github.com/erpkit/erpkit/inventory"
	erpsync "github.com/erpkit/erpkit/sync"
)

// syInventoryEvents is the event of a stock movement just saved:
// "inventory.movement.recorded", with what a client needs to show it.
func syInventoryEvents(m inventory.Movement) []erpsync.NewEvent {
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
		Entity: erpsync.EntityRef{Type: "inventory.item", ID: m.Item}, Data: syJSON(d)}}
}
