package outbox

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// mapData is how a ledger event's data was built before entryData: maps,
// whose keys encoding/json sorts. Subscribers have stored events of that
// form, so the structs must marshal to the same bytes.
func mapData(e ledger.Entry) json.RawMessage {
	d := map[string]any{"id": e.ID, "date": e.Date.String(), "description": e.Description, "reference": e.Reference}
	if e.Reverses != [16]byte{} {
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
	return JSON(d)
}

func TestLedgerEventDataAsMaps(t *testing.T) {
	params := gopter.DefaultTestParametersWithSeed(storagetest.PropertySeed(t))
	params.MinSuccessfulTests = 500
	params.MaxSize = 8 // lines, dimensions and string lengths
	line := gopter.CombineGens(gen.AnyString(), gen.OneConstOf(ledger.Debit, ledger.Credit), gen.Int64Range(1, 1<<50),
		gen.IntRange(0, 4), gen.OneConstOf("BDT", "USD", "JPY"), gen.MapOf(gen.AnyString(), gen.AnyString())).
		Map(func(v []any) ledger.Line {
			return ledger.Line{Account: v[0].(string), Side: v[1].(ledger.Side), Amount: decimal.New(v[2].(int64), -int32(v[3].(int))),
				Currency: v[4].(string), Dimensions: v[5].(map[string]string)}
		})
	props := gopter.NewProperties(params)
	props.Property("an entry's event data marshals to the bytes of its map form", prop.ForAll(
		func(desc, ref string, days int, reverses bool, lines []ledger.Line) bool {
			e := ledger.Entry{ID: uuid.New(), Date: ledger.NewDate(2026, 1, 1).AddDays(days), Description: desc,
				Reference: ref, Lines: lines}
			if reverses {
				e.Reverses = uuid.New()
			}
			evs := Ledger(e)
			want := "ledger.entry.posted"
			if reverses {
				want = "ledger.entry.reversed"
			}
			return len(evs) == 1 && evs[0].Type == want && string(evs[0].Data) == string(mapData(e))
		},
		gen.AnyString(), gen.AnyString(), gen.IntRange(-1000, 1000), gen.Bool(), gen.SliceOf(line)))
	props.TestingRun(t)
}
