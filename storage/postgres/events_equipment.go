package postgres

import (
	"encoding/json"

	"github.com/erpkit/erpkit/equipment"
	erpsync "github.com/erpkit/erpkit/sync"
)

// syEquipmentEvents are the events of an equipment change: a usage log
// recorded, a stoppage added, a stoppage ended.
func syEquipmentEvents(code string, c equipment.Change) []erpsync.NewEvent {
	var out []erpsync.NewEvent
	ref := erpsync.EntityRef{Type: "equipment", ID: code}
	if l := c.Log; l != nil {
		out = append(out, erpsync.NewEvent{Type: "equipment.usage.logged", Entity: ref, Data: syJSON(map[string]any{
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
		out = append(out, erpsync.NewEvent{Type: "equipment.stoppage.added", Entity: ref, Data: syJSON(d)})
	}
	if s := c.EndStoppage; s != nil {
		out = append(out, erpsync.NewEvent{Type: "equipment.stoppage.ended", Entity: ref, Data: syJSON(map[string]any{
			"id": s.ID, "equipment": code, "end": s.End.UTC(), "notes": s.Notes,
		})})
	}
	return out
}

func syJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain values only
	}
	return b
}
