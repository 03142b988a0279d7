package storagetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// InventoryBenchData is a generated stock history, for benchmarks: adapters
// load it with their own bulk inserts (through the engine it would take
// minutes) and run BenchInventoryBackdated or BenchInventoryReport over it.
// Lines carry the values the valuation gives them, Stock the final rows.
type InventoryBenchData struct {
	Items     []inventory.Item
	Movements []inventory.Movement
	Lines     []inventory.StockLine
	Stock     []inventory.Stock
}

// InventoryBenchStart is the first date of the generated histories; a
// backdated receipt dated the day before precedes all of them.
var InventoryBenchStart = ledger.MustDate("2025-01-02")

var invBenchCreated = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)

// InventoryHistory generates n movements of one moving-average item BENCH
// in store MAIN: receipts of 10 to 29 pieces at 10.00 to 49.99 and issues
// that keep the stock positive, 300 a day from InventoryBenchStart.
func InventoryHistory(n int) InventoryBenchData {
	d := InventoryBenchData{Items: []inventory.Item{{Code: "BENCH", Name: "Bench part", Category: "SPARES", StockUnit: "pcs",
		Method: inventory.MovingAverage, CreatedAt: invBenchCreated}}}
	flows := make([]inventory.Flow, n)
	have := int64(0)
	for i := range n {
		q := int64(10 + i%20)
		if i%3 != 0 && have >= q {
			flows[i] = inventory.Flow{Qty: decimal.NewFromInt(-q)}
			have -= q
		} else {
			flows[i] = inventory.Flow{Qty: decimal.NewFromInt(q), Cost: decimal.New(int64(1000+(i*7919)%4000), -2), HasCost: true}
			have += q
		}
	}
	steps, pos, err := inventory.Valuation{Method: inventory.MovingAverage, MinorUnits: 2}.Run(flows)
	if err != nil {
		panic(err)
	}
	for i, f := range flows {
		date := InventoryBenchStart.AddDays(i / 300)
		m, l := invBenchMovement("BENCH", date, int64(i+1), f, steps[i].Value()) // Seq numbers the store's lines, as the engine does
		d.Movements = append(d.Movements, m)
		d.Lines = append(d.Lines, l)
	}
	last := d.Lines[n-1]
	d.Stock = []inventory.Stock{{Item: "BENCH", Location: "MAIN", Qty: pos.Qty, Value: pos.Value, Reserved: decimal.Zero,
		LastCost: inventory.Layer{Qty: pos.Qty, Value: pos.Value}, LastDate: last.Date, Seq: last.Seq}}
	return d
}

func invBenchMovement(item string, date ledger.Date, seq int64, f inventory.Flow, value decimal.Decimal) (inventory.Movement, inventory.StockLine) {
	id := uuid.Must(uuid.NewV7())
	m := inventory.Movement{ID: id, Kind: inventory.Issue, Date: date, Item: item, Location: "MAIN", Qty: f.Qty.Abs(),
		StockQty: f.Qty.Abs(), CreatedAt: invBenchCreated}
	l := inventory.StockLine{Movement: id, Seq: seq, Date: date, Kind: inventory.Issue, Item: item, Location: "MAIN",
		Qty: f.Qty, Value: value, InventoryAccount: "1400", CounterAccount: "5100", VarianceAccount: "5200"}
	if f.HasCost {
		m.Kind, l.Kind, m.UnitCost = inventory.Receipt, inventory.Receipt, f.Cost
		l.CounterAccount, l.Basis, l.HasBasis = "2100", value, true
	}
	return m, l
}

// InventoryItems generates items moving-average items I00001.. in store
// MAIN, each with one receipt (on InventoryBenchStart plus i%365 days) of 1
// to 100 pieces at 1.00 to 99.99.
func InventoryItems(items int) InventoryBenchData {
	var d InventoryBenchData
	for i := range items {
		code := fmt.Sprintf("I%05d", i+1)
		d.Items = append(d.Items, inventory.Item{Code: code, Name: "Part " + code, Category: "SPARES", StockUnit: "pcs",
			Method: inventory.MovingAverage, CreatedAt: invBenchCreated})
		q := decimal.NewFromInt(int64(1 + i%100))
		c := decimal.New(int64(100+(i*7919)%9900), -2)
		v := q.Mul(c)
		m, l := invBenchMovement(code, InventoryBenchStart.AddDays(i%365), 1, inventory.Flow{Qty: q, Cost: c, HasCost: true}, v)
		d.Movements = append(d.Movements, m)
		d.Lines = append(d.Lines, l)
		d.Stock = append(d.Stock, inventory.Stock{Item: code, Location: "MAIN", Qty: q, Value: v, Reserved: decimal.Zero,
			LastCost: inventory.Layer{Qty: q, Value: v}, LastDate: l.Date, Seq: 1})
	}
	return d
}

// InventoryBenchSetup creates, for a new tenant, what the generated
// histories refer to: the chart (1400, 2100, 5100, 5200, 5300), unit pcs,
// category SPARES and store MAIN. The caller then loads the data.
func InventoryBenchSetup(tb testing.TB, st InventoryStore, tenant string) {
	ctx := context.Background()
	gl := ledger.New(st, ledger.Config{})
	for _, a := range invAccounts {
		_, err := gl.CreateAccount(ctx, tenant, a)
		require.NoError(tb, err)
	}
	eng := inventory.New(st, inventory.Config{})
	_, err := eng.CreateUnit(ctx, tenant, inventory.Unit{Code: "pcs", Name: "Pieces"})
	require.NoError(tb, err)
	_, err = eng.PutCategory(ctx, tenant, inventory.Category{Code: "SPARES", Name: "Spare parts", Accounts: inventory.Accounts{
		Inventory: "1400", Expense: "5100", GRIR: "2100", PriceVariance: "5200", Adjustment: "5300"}})
	require.NoError(tb, err)
	_, err = eng.CreateLocation(ctx, tenant, inventory.Location{Code: "MAIN", Name: "Main warehouse"})
	require.NoError(tb, err)
}

// BenchInventoryBackdated posts, per iteration, a receipt dated before the
// whole loaded history of BENCH (InventoryHistory): every later issue is
// re-valued and the ledger differences posted, in one transaction.
func BenchInventoryBackdated(b *testing.B, st InventoryStore, tenant string, n int) {
	ctx := context.Background()
	eng := inventory.New(st, inventory.Config{})
	back := InventoryBenchStart.AddDays(-1)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		_, err := eng.Post(ctx, tenant, inventory.Movement{Kind: inventory.Receipt, Date: back, Item: "BENCH", Location: "MAIN",
			Qty: decimal.NewFromInt(5), UnitCost: decimal.NewFromInt(int64(60 + i%40)), Reference: "late GRN"})
		require.NoError(b, err)
	}
	b.StopTimer()
	lines, err := eng.StockLedger(ctx, tenant, "BENCH", "MAIN")
	require.NoError(b, err)
	require.Equal(b, n+i, len(lines))
	b.ReportMetric(float64(n), "later-movements")
}

// BenchInventoryReport measures the stock value report of every item
// (current, and as of a date from the lines).
func BenchInventoryReport(b *testing.B, st InventoryStore, tenant string, items int) {
	ctx := context.Background()
	eng := inventory.New(st, inventory.Config{})
	for _, c := range []struct {
		name string
		asOf ledger.Date
	}{{"Current", ledger.Date{}}, {"AsOfDate", ledger.MustDate("2026-12-31")}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rep, err := eng.ValueReport(ctx, tenant, c.asOf, inventory.StockFilter{})
				require.NoError(b, err)
				require.Equal(b, items, len(rep.Rows))
			}
		})
	}
}
