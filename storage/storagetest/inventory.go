package storagetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// InventoryStore is what the inventory suite needs of an adapter: the
// inventory engine's Store and the ledger's (its postings are checked).
type InventoryStore interface {
	inventory.Store
	ledger.Store
}

// InventoryRows counts the tenant's rows in each of the adapter's erp_
// inventory and ledger tables (table name -> count).
type InventoryRows func(ctx context.Context, tenant string) (map[string]int, error)

// Inventory runs the inventory engine's conformance suite against st (a
// migrated store). rows counts a tenant's rows: a failed call must leave
// them unchanged.
func Inventory(t *testing.T, st InventoryStore, rows InventoryRows) {
	t.Run("ReferenceExamples", func(t *testing.T) { t.Parallel(); testInvReference(t, st) })
	t.Run("MasterData", func(t *testing.T) { t.Parallel(); testInvMasterData(t, st) })
	t.Run("Movements", func(t *testing.T) { t.Parallel(); testInvMovements(t, st, rows) })
	t.Run("BadInput", func(t *testing.T) { t.Parallel(); testInvBadInput(t, st, rows) })
	t.Run("TenantIsolation", func(t *testing.T) { t.Parallel(); testInvTenants(t, st, rows) })
	t.Run("Atomicity", func(t *testing.T) { t.Parallel(); testInvAtomicity(t, st, rows) })
	t.Run("NegativeStock", func(t *testing.T) { t.Parallel(); testInvNegative(t, st) })
	t.Run("Backdated", func(t *testing.T) { t.Parallel(); testInvBackdated(t, st) })
	t.Run("History", func(t *testing.T) { t.Parallel(); testInvHistory(t, st) })
	t.Run("Queries", func(t *testing.T) { t.Parallel(); testInvQueries(t, st) })
	t.Run("Lots", func(t *testing.T) { t.Parallel(); testInvLots(t, st, rows) })
	t.Run("Concurrent", func(t *testing.T) { t.Parallel(); testInvConcurrent(t, st, rows) })
	t.Run("ReserveKeys", func(t *testing.T) { t.Parallel(); testInvReserveKeys(t, st, rows) })
	t.Run("OrderOfEntry", func(t *testing.T) { t.Parallel(); testInvOrderOfEntry(t, st) })
	t.Run("Events", func(t *testing.T) { t.Parallel(); testInvEvents(t, st) })
}

func invTenant() string { return "inv-" + uuid.NewString() }

var invAccounts = []ledger.Account{
	{Code: "1400", Name: "Inventory - main", Type: ledger.Asset},
	{Code: "1410", Name: "Inventory - site stores", Type: ledger.Asset},
	{Code: "2100", Name: "GR/IR clearing", Type: ledger.Liability},
	{Code: "5100", Name: "Parts consumption", Type: ledger.Expense},
	{Code: "5200", Name: "Price variance", Type: ledger.Expense},
	{Code: "5300", Name: "Stock adjustment", Type: ledger.Expense},
}

var invInventoryAccounts = []string{"1400", "1410"}

// invSetup returns an engine and ledger over st and a new tenant with the
// chart, units (pcs, L, box, drum), category SPARES, stores MAIN, SITE (own
// account 1410), TRUCK (vehicle) and NEG (negative stock allowed), and items
// P-FIFO, P-AVG, P-STD (standard 10), OIL (litres; drum = 200 L) and FLT
// (lot-tracked, box = 12 pcs).
func invSetup(t testing.TB, st InventoryStore) (context.Context, *inventory.Engine, *ledger.Ledger, string) {
	t.Helper()
	ctx := context.Background()
	tn := invTenant()
	gl := ledger.New(st, ledger.Config{})
	for _, a := range invAccounts {
		_, err := gl.CreateAccount(ctx, tn, a)
		require.NoError(t, err)
	}
	eng := inventory.New(st, inventory.Config{})
	for _, u := range []inventory.Unit{{Code: "pcs", Name: "Pieces"}, {Code: "L", Name: "Litre", Decimals: 3},
		{Code: "box", Name: "Box"}, {Code: "drum", Name: "Drum", Decimals: 2}} {
		_, err := eng.CreateUnit(ctx, tn, u)
		require.NoError(t, err)
	}
	_, err := eng.PutCategory(ctx, tn, inventory.Category{Code: "SPARES", Name: "Spare parts", Accounts: inventory.Accounts{
		Inventory: "1400", Expense: "5100", GRIR: "2100", PriceVariance: "5200", Adjustment: "5300"}})
	require.NoError(t, err)
	for _, l := range []inventory.Location{
		{Code: "MAIN", Name: "Main warehouse"},
		{Code: "SITE", Name: "Pit 1 site store", Kind: inventory.SiteStore, InventoryAccount: "1410"},
		{Code: "TRUCK", Name: "Service truck 7", Kind: inventory.Vehicle},
		{Code: "NEG", Name: "Overflow yard", AllowNegative: true},
	} {
		_, err := eng.CreateLocation(ctx, tn, l)
		require.NoError(t, err)
	}
	for _, it := range []inventory.Item{
		{Code: "P-FIFO", Name: "Hydraulic hose", Category: "SPARES", StockUnit: "pcs", Method: inventory.FIFO},
		{Code: "P-AVG", Name: "Bucket tooth", Category: "SPARES", StockUnit: "pcs", Method: inventory.MovingAverage, HSCode: "8431.49"},
		{Code: "P-STD", Name: "Track pad", Category: "SPARES", StockUnit: "pcs", Method: inventory.Standard,
			StandardCosts: []inventory.StandardCost{{From: ledger.MustDate("2026-01-01"), Cost: dec("10")}}},
		{Code: "OIL", Name: "Engine oil 15W-40", Category: "SPARES", StockUnit: "L",
			Conversions: []inventory.Conversion{{Unit: "drum", Factor: dec("200")}}},
		{Code: "FLT", Name: "Fuel filter", Category: "SPARES", StockUnit: "pcs", LotTracked: true,
			Conversions: []inventory.Conversion{{Unit: "box", Factor: dec("12")}}},
	} {
		_, err := eng.CreateItem(ctx, tn, it)
		require.NoError(t, err, it.Code)
	}
	return ctx, eng, gl, tn
}

func invDay(d int) ledger.Date { return ledger.NewDate(2026, 7, d) }

func invReceipt(item, loc string, day int, qty, cost string) inventory.Movement {
	return inventory.Movement{Kind: inventory.Receipt, Date: invDay(day), Reference: "GRN", Item: item, Location: loc,
		Qty: dec(qty), UnitCost: dec(cost)}
}

func invIssue(item, loc string, day int, qty string) inventory.Movement {
	return inventory.Movement{Kind: inventory.Issue, Date: invDay(day), Reference: "ISS", Item: item, Location: loc,
		Qty: dec(qty), Dimensions: map[string]string{"equipment": "EX-12"}}
}

func invPost(t testing.TB, ctx context.Context, eng *inventory.Engine, tn string, m inventory.Movement) inventory.Movement {
	t.Helper()
	out, err := eng.Post(ctx, tn, m)
	require.NoError(t, err)
	return out
}

func invBalance(t testing.TB, ctx context.Context, gl *ledger.Ledger, tn, code string, asOf ledger.Date) decimal.Decimal {
	t.Helper()
	b, err := gl.Balance(ctx, tn, code, "BDT", asOf)
	require.NoError(t, err)
	return b.Balance
}

// invCheckLedger asserts that the stock value (now and as of asOf) equals
// the inventory accounts' balance, and the trial balance balances.
func invCheckLedger(t testing.TB, ctx context.Context, eng *inventory.Engine, gl *ledger.Ledger, tn string, asOf ledger.Date) {
	t.Helper()
	rep, err := eng.ValueReport(ctx, tn, asOf, inventory.StockFilter{})
	require.NoError(t, err)
	total := decimal.Zero
	for _, a := range invInventoryAccounts {
		total = total.Add(invBalance(t, ctx, gl, tn, a, asOf))
	}
	require.Truef(t, rep.Total.Equal(total), "stock value %s, inventory accounts %s (as of %s)", rep.Total, total, asOf)
}

func invStock(t testing.TB, ctx context.Context, eng *inventory.Engine, tn, item, loc string) inventory.Stock {
	t.Helper()
	rows, err := eng.OnHand(ctx, tn, inventory.StockFilter{Item: item, Location: loc})
	require.NoError(t, err)
	if len(rows) == 0 {
		return inventory.Stock{Item: item, Location: loc}
	}
	require.Len(t, rows, 1)
	return rows[0]
}

// testInvReference: the reference's worked sequence (receive 8 @ 10,
// receive 4 @ 16, issue 10, receive 2 @ 6) through the store, each step's
// value equal to the reference's and to the ledger's inventory balance.
func testInvReference(t *testing.T, st InventoryStore) {
	ctx, eng, gl, tn := invSetup(t, st)
	for _, c := range []struct {
		item   string
		values []string
		issue  string
	}{
		{"P-STD", []string{"80", "120", "20", "40"}, "100"},
		{"P-AVG", []string{"80", "144", "24", "36"}, "120"},
		{"P-FIFO", []string{"80", "144", "32", "44"}, "112"},
	} {
		steps := []inventory.Movement{
			invReceipt(c.item, "MAIN", 1, "8", "10"),
			invReceipt(c.item, "MAIN", 2, "4", "16"),
			invIssue(c.item, "MAIN", 3, "10"),
			invReceipt(c.item, "MAIN", 4, "2", "6"),
		}
		for i, m := range steps {
			out := invPost(t, ctx, eng, tn, m)
			if i == 2 {
				requireDec(t, c.issue, out.Value, c.item, " issue")
			}
			s := invStock(t, ctx, eng, tn, c.item, "MAIN")
			requireDec(t, c.values[i], s.Value, c.item, " step ", i)
			invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
		}
	}
	// 80+144+144 received at purchase prices: GR/IR 3 x 156 = 468 credit.
	requireDec(t, "468", invBalance(t, ctx, gl, tn, "2100", ledger.Date{}))
	// Issues to expense: 100 + 120 + 112.
	requireDec(t, "332", invBalance(t, ctx, gl, tn, "5100", ledger.Date{}))
	// Standard: +24 on the receipt @ 16, -8 on the receipt @ 6.
	requireDec(t, "16", invBalance(t, ctx, gl, tn, "5200", ledger.Date{}))
	// AVCO averages after each step: 10, 12, 12, 9 (the stock ledger).
	rows, err := eng.StockLedger(ctx, tn, "P-AVG", "MAIN")
	require.NoError(t, err)
	require.Len(t, rows, 4)
	for i, want := range []string{"10", "12", "12", "9"} {
		requireDec(t, want, rows[i].UnitCost, "avg step ", i)
	}
	// SAP's moving average example: 1,000 pcs worth 5,000 + 400 @ 5.70 -> 5.20.
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "SITE", 1, "1000", "5"))
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "SITE", 2, "400", "5.70"))
	s := invStock(t, ctx, eng, tn, "P-AVG", "SITE")
	requireDec(t, "7280", s.Value)
	requireDec(t, "5.2", s.Value.Div(s.Qty))
	requireDec(t, "7280", invBalance(t, ctx, gl, tn, "1410", ledger.Date{}))
}

func testInvMasterData(t *testing.T, st InventoryStore) {
	ctx, eng, _, tn := invSetup(t, st)
	it, err := eng.Item(ctx, tn, "OIL")
	require.NoError(t, err)
	require.Equal(t, inventory.MovingAverage, it.Method)
	require.Len(t, it.Conversions, 1)
	requireDec(t, "200", it.Conversions[0].Factor)
	std, err := eng.Item(ctx, tn, "P-STD")
	require.NoError(t, err)
	requireDec(t, "10", std.StandardCostOn(invDay(1)))
	avg, err := eng.Item(ctx, tn, "P-AVG")
	require.NoError(t, err)
	require.Equal(t, "8431.49", avg.HSCode)
	_, err = eng.CreateItem(ctx, tn, inventory.Item{Code: "OIL", Name: "x", Category: "SPARES", StockUnit: "L"})
	require.ErrorIs(t, err, inventory.ErrItemExists)
	_, err = eng.CreateItem(ctx, tn, inventory.Item{Code: "X1", Name: "x", Category: "NOPE", StockUnit: "L"})
	require.ErrorIs(t, err, inventory.ErrCategoryNotFound)
	_, err = eng.CreateItem(ctx, tn, inventory.Item{Code: "X1", Name: "x", Category: "SPARES", StockUnit: "kg"})
	require.ErrorIs(t, err, inventory.ErrUnitNotFound)
	_, err = eng.CreateItem(ctx, tn, inventory.Item{Code: "X1", Name: "x", Category: "SPARES", StockUnit: "pcs",
		Conversions: []inventory.Conversion{{Unit: "L", Factor: dec("0.5")}}})
	require.ErrorIs(t, err, inventory.ErrTooManyDecimals)
	_, err = eng.CreateItem(ctx, tn, inventory.Item{Code: "X1", Name: "x", Category: "SPARES", StockUnit: "pcs", Method: inventory.Standard})
	require.ErrorIs(t, err, inventory.ErrInvalidItem)
	_, err = eng.CreateUnit(ctx, tn, inventory.Unit{Code: "pcs", Name: "Pieces"})
	require.ErrorIs(t, err, inventory.ErrUnitExists)
	_, err = eng.CreateLocation(ctx, tn, inventory.Location{Code: "MAIN", Name: "again"})
	require.ErrorIs(t, err, inventory.ErrLocationExists)
	loc, err := eng.Location(ctx, tn, "SITE")
	require.NoError(t, err)
	require.Equal(t, inventory.SiteStore, loc.Kind)
	require.Equal(t, "1410", loc.InventoryAccount)
	_, err = eng.Location(ctx, tn, "NOPE")
	require.ErrorIs(t, err, inventory.ErrLocationNotFound)

	// A standard cost change re-values the stock at the next movement, the
	// difference to price variance.
	gl := ledger.New(st, ledger.Config{})
	invPost(t, ctx, eng, tn, invReceipt("P-STD", "MAIN", 1, "5", "10"))
	_, err = eng.SetStandardCost(ctx, tn, "P-STD", invDay(1), dec("12"))
	require.ErrorIs(t, err, inventory.ErrInvalidItem) // not after the last movement
	_, err = eng.SetStandardCost(ctx, tn, "P-AVG", invDay(9), dec("12"))
	require.ErrorIs(t, err, inventory.ErrInvalidItem) // not a standard-cost item
	_, err = eng.SetStandardCost(ctx, tn, "P-STD", invDay(5), dec("12"))
	require.NoError(t, err)
	invPost(t, ctx, eng, tn, invIssue("P-STD", "MAIN", 6, "1"))
	s := invStock(t, ctx, eng, tn, "P-STD", "MAIN")
	requireDec(t, "48", s.Value)                                                              // 4 @ 12
	requireDec(t, "-10", invBalance(t, ctx, gl, tn, "5200", ledger.Date{}).Sub(decimal.Zero)) // 5 x 2 revaluation credited
	invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
}

func testInvMovements(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, gl, tn := invSetup(t, st)
	// Receipt in drums, stock kept in litres.
	r := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Receipt, Date: invDay(1), Item: "OIL", Location: "MAIN",
		Qty: dec("2"), Unit: "drum", UnitCost: dec("50000"), Reference: "GRN-1", IdempotencyKey: "grn-1"})
	requireDec(t, "400", r.StockQty)
	requireDec(t, "100000", r.Value)
	require.NotEqual(t, uuid.Nil, r.EntryID)
	e, err := gl.Entry(ctx, tn, r.EntryID)
	require.NoError(t, err)
	require.Equal(t, "GRN-1", e.Reference)
	require.Len(t, e.Lines, 2)
	require.Equal(t, "1400", e.Lines[0].Account)
	require.Equal(t, ledger.Debit, e.Lines[0].Side)
	require.Equal(t, "2100", e.Lines[1].Account)

	// The same key and content: the same movement, nothing new.
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	again, err := eng.Post(ctx, tn, inventory.Movement{Kind: inventory.Receipt, Date: invDay(1), Item: "OIL", Location: "MAIN",
		Qty: dec("2"), Unit: "drum", UnitCost: dec("50000"), Reference: "GRN-1", IdempotencyKey: "grn-1"})
	require.NoError(t, err)
	require.Equal(t, r.ID, again.ID)
	_, err = eng.Post(ctx, tn, inventory.Movement{Kind: inventory.Receipt, Date: invDay(1), Item: "OIL", Location: "MAIN",
		Qty: dec("3"), Unit: "drum", UnitCost: dec("50000"), Reference: "GRN-1", IdempotencyKey: "grn-1"})
	require.ErrorIs(t, err, inventory.ErrIdempotencyConflict)
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after)

	// Issue 12.5 L to a piece of equipment: Dr expense by dimension.
	is := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Issue, Date: invDay(2), Item: "OIL", Location: "MAIN",
		Qty: dec("12.5"), Dimensions: map[string]string{"equipment": "EX-12", "cost_centre": "PIT1"}})
	requireDec(t, "3125", is.Value) // 250 per litre
	e, err = gl.Entry(ctx, tn, is.EntryID)
	require.NoError(t, err)
	require.Equal(t, "5100", e.Lines[0].Account)
	require.Equal(t, map[string]string{"equipment": "EX-12", "cost_centre": "PIT1"}, e.Lines[0].Dimensions)
	require.Equal(t, "1400", e.Lines[1].Account)
	require.Equal(t, ledger.Credit, e.Lines[1].Side)

	// Transfer to a site store with its own account: Dr 1410 / Cr 1400.
	tr := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Transfer, Date: invDay(3), Item: "OIL", Location: "MAIN",
		To: "SITE", Qty: dec("100")})
	requireDec(t, "25000", tr.Value)
	requireDec(t, "25000", invBalance(t, ctx, gl, tn, "1410", ledger.Date{}))
	requireDec(t, "71875", invBalance(t, ctx, gl, tn, "1400", ledger.Date{}))
	// A transfer between stores on the same account moves stock, posts nothing.
	tr2 := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Transfer, Date: invDay(3), Item: "OIL", Location: "MAIN",
		To: "TRUCK", Qty: dec("10")})
	require.Equal(t, uuid.Nil, tr2.EntryID)
	requireDec(t, "2500", invStock(t, ctx, eng, tn, "OIL", "TRUCK").Value)

	// Count at the site: 98 L counted against 100 in the book.
	adj := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Adjustment, Date: invDay(4), Item: "OIL", Location: "SITE",
		Counted: dec("98")})
	requireDec(t, "-2", adj.StockQty)
	requireDec(t, "-500", adj.Value)
	requireDec(t, "500", invBalance(t, ctx, gl, tn, "5300", ledger.Date{}))
	// A count above the book adds at the current cost.
	adj = invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Adjustment, Date: invDay(4), Item: "OIL", Location: "TRUCK",
		Counted: dec("11")})
	requireDec(t, "250", adj.Value)
	// Return from issue at the current average, back to the expense.
	rf := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.ReturnFromIssue, Date: invDay(5), Item: "OIL", Location: "MAIN",
		Qty: dec("2.5"), Dimensions: map[string]string{"equipment": "EX-12"}})
	requireDec(t, "625", rf.Value)
	// Return to vendor under AVCO at the price paid (260 per litre): the
	// stock leaves at the average (250), the difference to price variance.
	rv := invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.ReturnToVendor, Date: invDay(6), Item: "OIL", Location: "MAIN",
		Qty: dec("10"), UnitCost: dec("260")})
	requireDec(t, "2500", rv.Value)
	requireDec(t, "-100", invBalance(t, ctx, gl, tn, "5200", ledger.Date{}))
	requireDec(t, "97400", invBalance(t, ctx, gl, tn, "2100", ledger.Date{})) // 100,000 - 2,600
	invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})

	got, err := eng.Movement(ctx, tn, rv.ID)
	require.NoError(t, err)
	require.Equal(t, inventory.ReturnToVendor, got.Kind)
	requireDec(t, "260", got.UnitCost)
	requireDec(t, "2500", got.Value)
	_, err = eng.Movement(ctx, tn, uuid.New())
	require.ErrorIs(t, err, inventory.ErrMovementNotFound)
	s := invStock(t, ctx, eng, tn, "OIL", "MAIN")
	requireDec(t, "270", s.Qty) // 400 - 12.5 - 100 - 10 + 2.5 - 10
}

// testInvBadInput: each bad request fails with its specific error and
// writes nothing.
func testInvBadInput(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, _, tn := invSetup(t, st)
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, "10", "10"))
	invPost(t, ctx, eng, tn, invReceipt("OIL", "MAIN", 1, "10", "10"))
	other := invTenant()
	_, err := eng.CreateUnit(ctx, other, inventory.Unit{Code: "pcs", Name: "Pieces"})
	require.NoError(t, err)
	_, err = eng.PutCategory(ctx, other, inventory.Category{Code: "C", Name: "C", Accounts: inventory.Accounts{
		Inventory: "1400", Expense: "5100", GRIR: "2100", PriceVariance: "5200", Adjustment: "5300"}})
	require.NoError(t, err)
	_, err = eng.CreateItem(ctx, other, inventory.Item{Code: "THEIRS", Name: "Other tenant's", Category: "C", StockUnit: "pcs"})
	require.NoError(t, err)

	rec := func(f func(m *inventory.Movement)) inventory.Movement {
		m := invReceipt("P-AVG", "MAIN", 2, "1", "10")
		f(&m)
		return m
	}
	for _, c := range []struct {
		name string
		m    inventory.Movement
		want error
	}{
		{"unknown item", rec(func(m *inventory.Movement) { m.Item = "NOPE" }), inventory.ErrItemNotFound},
		{"other tenant's item", rec(func(m *inventory.Movement) { m.Item = "THEIRS" }), inventory.ErrItemNotFound},
		{"unknown store", rec(func(m *inventory.Movement) { m.Location = "NOPE" }), inventory.ErrLocationNotFound},
		{"unknown receiving store", inventory.Movement{Kind: inventory.Transfer, Date: invDay(2), Item: "P-AVG", Location: "MAIN", To: "NOPE", Qty: dec("1")}, inventory.ErrLocationNotFound},
		{"wrong unit", rec(func(m *inventory.Movement) { m.Unit = "drum" }), inventory.ErrWrongUnit},
		{"too many decimals", rec(func(m *inventory.Movement) { m.Qty = dec("1.5") }), inventory.ErrTooManyDecimals},
		{"too many decimals in litres", inventory.Movement{Kind: inventory.Receipt, Date: invDay(2), Item: "OIL", Location: "MAIN", Qty: dec("1.0005"), UnitCost: dec("1")}, inventory.ErrTooManyDecimals},
		{"too many decimals in drums", inventory.Movement{Kind: inventory.Receipt, Date: invDay(2), Item: "OIL", Location: "MAIN", Qty: dec("1.005"), Unit: "drum", UnitCost: dec("1")}, inventory.ErrTooManyDecimals},
		{"issue more than available", invIssue("P-AVG", "MAIN", 2, "11"), inventory.ErrInsufficientStock},
		{"issue with no stock", invIssue("P-FIFO", "MAIN", 2, "1"), inventory.ErrInsufficientStock},
		{"transfer more than available", inventory.Movement{Kind: inventory.Transfer, Date: invDay(2), Item: "P-AVG", Location: "MAIN", To: "SITE", Qty: dec("11")}, inventory.ErrInsufficientStock},
		{"transfer to the same store", inventory.Movement{Kind: inventory.Transfer, Date: invDay(2), Item: "P-AVG", Location: "MAIN", To: "MAIN", Qty: dec("1")}, inventory.ErrInvalidMovement},
		{"zero quantity", rec(func(m *inventory.Movement) { m.Qty = decimal.Zero }), inventory.ErrInvalidMovement},
		{"negative quantity", rec(func(m *inventory.Movement) { m.Qty = dec("-1") }), inventory.ErrInvalidMovement},
		{"negative cost", rec(func(m *inventory.Movement) { m.UnitCost = dec("-1") }), inventory.ErrInvalidMovement},
		{"no date", rec(func(m *inventory.Movement) { m.Date = ledger.Date{} }), inventory.ErrInvalidMovement},
		{"bad kind", rec(func(m *inventory.Movement) { m.Kind = "gift" }), inventory.ErrInvalidMovement},
		{"cost on an issue", inventory.Movement{Kind: inventory.Issue, Date: invDay(2), Item: "P-AVG", Location: "MAIN", Qty: dec("1"), UnitCost: dec("3")}, inventory.ErrInvalidMovement},
		{"count equal to book", inventory.Movement{Kind: inventory.Adjustment, Date: invDay(2), Item: "P-AVG", Location: "MAIN", Counted: dec("10")}, inventory.ErrInvalidMovement},
		{"lot missing", inventory.Movement{Kind: inventory.Receipt, Date: invDay(2), Item: "FLT", Location: "MAIN", Qty: dec("1"), UnitCost: dec("1")}, inventory.ErrLotRequired},
		{"lot on an untracked item", rec(func(m *inventory.Movement) { m.Lot = "L1" }), inventory.ErrInvalidMovement},
		{"before the first standard cost", inventory.Movement{Kind: inventory.Receipt, Date: ledger.MustDate("2025-12-31"), Item: "P-STD", Location: "MAIN", Qty: dec("1"), UnitCost: dec("10")}, inventory.ErrInvalidMovement},
		{"bad tenant", rec(func(*inventory.Movement) {}), inventory.ErrInvalidTenant},
	} {
		t.Run(c.name, func(t *testing.T) {
			tenant := tn
			if c.name == "bad tenant" {
				tenant = " "
			}
			before, err := rows(ctx, tn)
			require.NoError(t, err)
			_, err = eng.Post(ctx, tenant, c.m)
			require.ErrorIs(t, err, c.want)
			after, err := rows(ctx, tn)
			require.NoError(t, err)
			require.Equal(t, before, after, "nothing written")
		})
	}
	// The error names item, store, available and requested.
	_, err = eng.Post(ctx, tn, invIssue("P-AVG", "MAIN", 2, "11"))
	var ie *inventory.InsufficientStockError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "P-AVG", ie.Item)
	require.Equal(t, "MAIN", ie.Location)
	requireDec(t, "10", ie.Available)
	requireDec(t, "11", ie.Requested)
}

func testInvTenants(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, _, a := invSetup(t, st)
	_, _, _, b := invSetup(t, st)
	ma := invPost(t, ctx, eng, a, invReceipt("P-AVG", "MAIN", 1, "10", "10"))
	bBefore, err := rows(ctx, b)
	require.NoError(t, err)
	// B sees none of A's stock or movements.
	stock, err := eng.OnHand(ctx, b, inventory.StockFilter{})
	require.NoError(t, err)
	require.Empty(t, stock)
	_, err = eng.Movement(ctx, b, ma.ID)
	require.ErrorIs(t, err, inventory.ErrMovementNotFound)
	// B cannot issue A's stock: B's own item has none.
	_, err = eng.Post(ctx, b, invIssue("P-AVG", "MAIN", 2, "1"))
	require.ErrorIs(t, err, inventory.ErrInsufficientStock)
	// The same idempotency key in B is B's own.
	m := invReceipt("P-AVG", "MAIN", 1, "1", "1")
	m.IdempotencyKey = "k1"
	invPost(t, ctx, eng, a, m)
	m.Qty = dec("2")
	invPost(t, ctx, eng, b, m)
	requireDec(t, "11", invStock(t, ctx, eng, a, "P-AVG", "MAIN").Qty)
	requireDec(t, "2", invStock(t, ctx, eng, b, "P-AVG", "MAIN").Qty)
	bAfter, err := rows(ctx, b)
	require.NoError(t, err)
	require.Equal(t, bBefore["erp_inventory_movements"]+1, bAfter["erp_inventory_movements"])
	rep, err := eng.ValueReport(ctx, b, invDay(31), inventory.StockFilter{})
	require.NoError(t, err)
	requireDec(t, "2", rep.Total)
}

// testInvAtomicity: a failure after the ledger post, in the same
// transaction, leaves neither stock nor ledger changed; a ledger refusal
// leaves no stock change.
func testInvAtomicity(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, gl, tn := invSetup(t, st)
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, "10", "10"))
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	boom := errors.New("host failed after posting")
	err = st.InventoryTx(ctx, func(tx inventory.Store, txgl ledger.Store) error {
		e := inventory.New(tx, inventory.Config{})
		m, err := e.Post(ctx, tn, invIssue("P-AVG", "MAIN", 2, "4"))
		if err != nil {
			return err
		}
		if m.EntryID == uuid.Nil {
			return errors.New("no entry posted")
		}
		// The transaction sees its own writes, ledger entry included.
		if _, err := ledger.New(txgl, ledger.Config{}).Entry(ctx, tn, m.EntryID); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after, "rolled back")
	requireDec(t, "10", invStock(t, ctx, eng, tn, "P-AVG", "MAIN").Qty)
	requireDec(t, "100", invBalance(t, ctx, gl, tn, "1400", ledger.Date{}))

	// A blocked expense account: the ledger refuses, no stock moves.
	_, err = gl.BlockAccount(ctx, tn, "5100")
	require.NoError(t, err)
	_, err = eng.Post(ctx, tn, invIssue("P-AVG", "MAIN", 2, "4"))
	require.ErrorIs(t, err, ledger.ErrAccountBlocked)
	after, err = rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after)
	_, err = gl.UnblockAccount(ctx, tn, "5100")
	require.NoError(t, err)
	invPost(t, ctx, eng, tn, invIssue("P-AVG", "MAIN", 2, "4"))
	invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
}

// testInvNegative: a store that allows negative stock values the shortfall
// at the last cost and the covering receipt at its own, the difference to
// price variance; value and ledger agree throughout.
func testInvNegative(t *testing.T, st InventoryStore) {
	ctx, eng, gl, tn := invSetup(t, st)
	for _, item := range []string{"P-AVG", "P-FIFO"} {
		invPost(t, ctx, eng, tn, invReceipt(item, "NEG", 1, "5", "10"))
		out := invPost(t, ctx, eng, tn, invIssue(item, "NEG", 2, "8"))
		requireDec(t, "80", out.Value, item)
		s := invStock(t, ctx, eng, tn, item, "NEG")
		requireDec(t, "-3", s.Qty, item)
		requireDec(t, "-30", s.Value, item)
		invPost(t, ctx, eng, tn, invReceipt(item, "NEG", 3, "10", "12"))
		s = invStock(t, ctx, eng, tn, item, "NEG")
		requireDec(t, "7", s.Qty, item)
		requireDec(t, "84", s.Value, item)
		invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
	}
	requireDec(t, "12", invBalance(t, ctx, gl, tn, "5200", ledger.Date{})) // 2 x (3 short re-bought 2 dearer)
	// The same issue in a store that does not allow it fails.
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, "5", "10"))
	_, err := eng.Post(ctx, tn, invIssue("P-AVG", "MAIN", 2, "8"))
	require.ErrorIs(t, err, inventory.ErrInsufficientStock)
}

// invHistory is a mixed history of one item over two stores.
func invHistory(item string) []inventory.Movement {
	return []inventory.Movement{
		invReceipt(item, "MAIN", 1, "8", "10"),
		invReceipt(item, "MAIN", 3, "4", "16"),
		invIssue(item, "MAIN", 5, "6"),
		{Kind: inventory.Transfer, Date: invDay(6), Item: item, Location: "MAIN", To: "SITE", Qty: dec("3")},
		invIssue(item, "SITE", 7, "1"),
		invReceipt(item, "MAIN", 8, "2", "6"),
		invIssue(item, "MAIN", 9, "4"),
		{Kind: inventory.ReturnToVendor, Date: invDay(10), Item: item, Location: "MAIN", Qty: dec("1"), UnitCost: dec("6")},
		invIssue(item, "SITE", 11, "2"),
	}
}

// testInvBackdated: a receipt dated before later movements re-values them
// and posts the difference, so that stock, stock ledger and ledger (as of
// every date) equal posting everything in date order.
func testInvBackdated(t *testing.T, st InventoryStore) {
	for _, item := range []string{"P-FIFO", "P-AVG", "P-STD"} {
		t.Run(item, func(t *testing.T) {
			ctx, eng, gl, late := invSetup(t, st)
			_, _, _, inOrder := invSetup(t, st)
			back := invReceipt(item, "MAIN", 2, "5", "20")
			hist := invHistory(item)
			for _, m := range hist {
				invPost(t, ctx, eng, late, m)
			}
			invPost(t, ctx, eng, late, back)
			ordered := append([]inventory.Movement{hist[0], back}, hist[1:]...)
			for _, m := range ordered {
				invPost(t, ctx, eng, inOrder, m)
			}
			for _, loc := range []string{"MAIN", "SITE"} {
				a := invStock(t, ctx, eng, late, item, loc)
				b := invStock(t, ctx, eng, inOrder, item, loc)
				requireDec(t, b.Qty.String(), a.Qty, loc)
				requireDec(t, b.Value.String(), a.Value, loc)
				la, err := eng.StockLedger(ctx, late, item, loc)
				require.NoError(t, err)
				lb, err := eng.StockLedger(ctx, inOrder, item, loc)
				require.NoError(t, err)
				require.Equal(t, len(lb), len(la))
				for i := range la {
					requireDec(t, lb[i].Value.String(), la[i].Value, loc, " line ", i)
					requireDec(t, lb[i].RunningValue.String(), la[i].RunningValue, loc, " line ", i)
				}
			}
			for d := 1; d <= 12; d++ {
				for _, acct := range []string{"1400", "1410", "2100", "5100", "5200"} {
					requireDec(t, invBalance(t, ctx, gl, inOrder, acct, invDay(d)).String(),
						invBalance(t, ctx, gl, late, acct, invDay(d)), acct, " day ", d)
				}
				invCheckLedger(t, ctx, eng, gl, late, invDay(d))
			}
			// A backdated issue that would leave a later issue short fails
			// (SITE has 2 on day 7 but issues 2 on day 11).
			_, err := eng.Post(ctx, late, invIssue(item, "SITE", 7, "1"))
			require.ErrorIs(t, err, inventory.ErrInsufficientStock)
		})
	}
}

func testInvQueries(t *testing.T, st InventoryStore) {
	ctx, eng, gl, tn := invSetup(t, st)
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, "8", "10"))
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 2, "4", "16"))
	invPost(t, ctx, eng, tn, invIssue("P-AVG", "MAIN", 3, "10"))
	invPost(t, ctx, eng, tn, invReceipt("P-FIFO", "SITE", 2, "3", "7"))
	// Value as of each date.
	for _, c := range []struct {
		day   int
		total string
	}{{1, "80"}, {2, "165"}, {3, "45"}, {31, "45"}} {
		rep, err := eng.ValueReport(ctx, tn, invDay(c.day), inventory.StockFilter{})
		require.NoError(t, err)
		requireDec(t, c.total, rep.Total, "day ", c.day)
		invCheckLedger(t, ctx, eng, gl, tn, invDay(c.day))
	}
	rep, err := eng.ValueReport(ctx, tn, ledger.Date{}, inventory.StockFilter{Location: "SITE"})
	require.NoError(t, err)
	require.Len(t, rep.Rows, 1)
	requireDec(t, "21", rep.Total)
	for _, asOf := range []ledger.Date{{}, invDay(2)} {
		rep, err = eng.ValueReport(ctx, tn, asOf, inventory.StockFilter{Category: "SPARES"})
		require.NoError(t, err)
		require.Len(t, rep.Rows, 2)
		rep, err = eng.ValueReport(ctx, tn, asOf, inventory.StockFilter{Category: "NOPE"})
		require.NoError(t, err)
		require.Empty(t, rep.Rows)
		rep, err = eng.ValueReport(ctx, tn, asOf, inventory.StockFilter{Item: "P-FIFO"})
		require.NoError(t, err)
		require.Len(t, rep.Rows, 1)
		requireDec(t, "21", rep.Total)
	}
	_, err = eng.ValueReport(ctx, tn, ledger.NewDate(2026, 2, 30), inventory.StockFilter{})
	require.ErrorIs(t, err, inventory.ErrInvalidQuery)
	// Stock ledger with running quantity, value and cost.
	sl, err := eng.StockLedger(ctx, tn, "P-AVG", "MAIN")
	require.NoError(t, err)
	require.Len(t, sl, 3)
	requireDec(t, "2", sl[2].RunningQty)
	requireDec(t, "24", sl[2].RunningValue)
	requireDec(t, "-120", sl[2].Value)
	// Reservations lower available, not on hand.
	s, err := eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("1.5"))
	require.ErrorIs(t, err, inventory.ErrTooManyDecimals)
	s, err = eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("1"))
	require.NoError(t, err)
	requireDec(t, "1", s.Available())
	_, err = eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("2"))
	require.ErrorIs(t, err, inventory.ErrInsufficientStock)
	s = invStock(t, ctx, eng, tn, "P-AVG", "MAIN")
	requireDec(t, "2", s.Qty)
	requireDec(t, "1", s.Reserved)
	_, err = eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("-2"))
	require.ErrorIs(t, err, inventory.ErrInvalidQuery)
	// Reorder: the reference's examples (level 20, qty 50).
	require.NoError(t, eng.PutReorderRule(ctx, tn, inventory.ReorderRule{Item: "P-AVG", Location: "MAIN", Level: dec("20"), Qty: dec("50")}))
	require.NoError(t, eng.PutReorderRule(ctx, tn, inventory.ReorderRule{Item: "P-FIFO", Location: "SITE", Min: dec("5"), Max: dec("30")}))
	require.ErrorIs(t, eng.PutReorderRule(ctx, tn, inventory.ReorderRule{Item: "NOPE", Location: "MAIN", Level: dec("1"), Qty: dec("1")}), inventory.ErrItemNotFound)
	for _, c := range []struct {
		pending         []inventory.Pending
		avgQty, fifoQty string // "" = not listed
	}{
		// P-AVG projected 2 - 1 = 1 -> max(50, 19) = 50; P-FIFO 3 < 5 -> 27.
		{nil, "50", "27"},
		// projected 1 + 4 = 5 -> 50; P-FIFO 3 + 2 = 5, not below min.
		{[]inventory.Pending{{Item: "P-AVG", Location: "MAIN", OnOrder: dec("4")}, {Item: "P-FIFO", Location: "SITE", Requested: dec("2")}}, "50", ""},
		// projected 20 -> 50 (at the level).
		{[]inventory.Pending{{Item: "P-AVG", Location: "MAIN", OnOrder: dec("19")}}, "50", "27"},
		// projected 21: nothing.
		{[]inventory.Pending{{Item: "P-AVG", Location: "MAIN", OnOrder: dec("20")}}, "", "27"},
	} {
		list, err := eng.ReorderList(ctx, tn, c.pending)
		require.NoError(t, err)
		got := map[string]string{}
		for _, s := range list {
			got[s.Item] = s.Qty.String()
		}
		want := map[string]string{}
		if c.avgQty != "" {
			want["P-AVG"] = c.avgQty
		}
		if c.fifoQty != "" {
			want["P-FIFO"] = c.fifoQty
		}
		require.Equal(t, want, got)
	}
}

func testInvLots(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, gl, tn := invSetup(t, st)
	lot := func(l string, exp ledger.Date, boxes string) inventory.Movement {
		return inventory.Movement{Kind: inventory.Receipt, Date: invDay(1), Item: "FLT", Location: "MAIN", Qty: dec(boxes),
			Unit: "box", UnitCost: dec("120"), Lot: l, Expiry: exp}
	}
	invPost(t, ctx, eng, tn, lot("L-LATE", ledger.MustDate("2027-06-30"), "2"))
	invPost(t, ctx, eng, tn, lot("L-SOON", ledger.MustDate("2026-12-31"), "1"))
	invPost(t, ctx, eng, tn, lot("L-NONE", ledger.Date{}, "1"))
	lots, err := eng.Lots(ctx, tn, "FLT", "MAIN")
	require.NoError(t, err)
	require.Len(t, lots, 3)
	require.Equal(t, []string{"L-SOON", "L-LATE", "L-NONE"}, []string{lots[0].Lot, lots[1].Lot, lots[2].Lot})
	requireDec(t, "24", lots[1].Qty)
	picks, err := eng.PickFEFO(ctx, tn, "FLT", "MAIN", dec("20"))
	require.NoError(t, err)
	require.Len(t, picks, 2)
	require.Equal(t, "L-SOON", picks[0].Lot)
	requireDec(t, "12", picks[0].Qty)
	requireDec(t, "8", picks[1].Qty)
	_, err = eng.PickFEFO(ctx, tn, "FLT", "MAIN", dec("49"))
	require.ErrorIs(t, err, inventory.ErrInsufficientStock)
	// Issue from a lot; more than the lot holds fails even with stock in others.
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	m := invIssue("FLT", "MAIN", 2, "13")
	m.Lot = "L-SOON"
	_, err = eng.Post(ctx, tn, m)
	var ie *inventory.InsufficientStockError
	require.ErrorAs(t, err, &ie)
	require.Equal(t, "L-SOON", ie.Lot)
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after)
	m.Qty = dec("12")
	invPost(t, ctx, eng, tn, m)
	// A transfer carries the lot and its expiry.
	invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Transfer, Date: invDay(3), Item: "FLT", Location: "MAIN", To: "SITE",
		Qty: dec("4"), Lot: "L-LATE"})
	lots, err = eng.Lots(ctx, tn, "FLT", "SITE")
	require.NoError(t, err)
	require.Len(t, lots, 1)
	require.Equal(t, ledger.MustDate("2027-06-30"), lots[0].Expiry)
	requireDec(t, "4", lots[0].Qty)
	lots, err = eng.Lots(ctx, tn, "FLT", "MAIN")
	require.NoError(t, err)
	require.Equal(t, []string{"L-LATE", "L-NONE"}, []string{lots[0].Lot, lots[1].Lot})
	invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
}

// testInvConcurrent: 16 goroutines receive and issue the same items in the
// same stores at once. Stock never goes below zero (issues beyond it fail
// with ErrInsufficientStock), no movement is lost, and stock value equals
// the ledger's inventory balance.
func testInvConcurrent(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, gl, tn := invSetup(t, st)
	const workers = 16
	per := 12
	if testing.Short() {
		per = 5
	}
	items := []string{"P-AVG", "P-FIFO", "P-STD"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := map[string]int{}
	errs := make(chan error, workers*per)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				item := items[(w+i)%len(items)]
				var m inventory.Movement
				switch (w + i) % 4 {
				case 0, 1:
					m = invReceipt(item, "MAIN", 1+i%5, "3", fmt.Sprint(10+w))
				case 2:
					m = invIssue(item, "MAIN", 1+i%5, "4")
				default:
					m = inventory.Movement{Kind: inventory.Transfer, Date: invDay(1 + i%5), Item: item, Location: "MAIN", To: "SITE", Qty: dec("2")}
				}
				m.IdempotencyKey = fmt.Sprintf("c-%d-%d", w, i)
				_, err := eng.Post(ctx, tn, m)
				if err != nil && !errors.Is(err, inventory.ErrInsufficientStock) {
					errs <- fmt.Errorf("%s %s: %w", m.Kind, item, err)
					continue
				}
				if err == nil {
					mu.Lock()
					ok[item]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	n := 0
	for _, c := range ok {
		n += c
	}
	r, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, n, r["erp_inventory_movements"], "no movement lost")
	for _, item := range items {
		for _, loc := range []string{"MAIN", "SITE"} {
			s := invStock(t, ctx, eng, tn, item, loc)
			require.False(t, s.Qty.IsNegative(), "%s %s %s", item, loc, s.Qty)
			sl, err := eng.StockLedger(ctx, tn, item, loc)
			require.NoError(t, err)
			q, v := decimal.Zero, decimal.Zero
			for _, l := range sl {
				require.False(t, l.RunningQty.IsNegative(), "running quantity below zero")
				q, v = q.Add(l.Qty), v.Add(l.Value)
			}
			requireDec(t, s.Qty.String(), q, item, loc)
			requireDec(t, s.Value.String(), v, item, loc)
		}
	}
	invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
}

// testInvOrderOfEntry: the same movements (same business dates) entered in
// another order give the same valuation and ledger.
func testInvOrderOfEntry(t *testing.T, st InventoryStore) {
	ctx, eng, gl, a := invSetup(t, st)
	_, _, _, b := invSetup(t, st)
	hist := invHistory("P-FIFO")
	for _, m := range hist {
		invPost(t, ctx, eng, a, m)
	}
	// Receipts first, newest first, then the rest from the end.
	order := []int{5, 1, 0, 3, 7, 6, 4, 8, 2}
	for _, i := range order {
		invPost(t, ctx, eng, b, hist[i])
	}
	for _, loc := range []string{"MAIN", "SITE"} {
		x, y := invStock(t, ctx, eng, a, "P-FIFO", loc), invStock(t, ctx, eng, b, "P-FIFO", loc)
		requireDec(t, x.Value.String(), y.Value, loc)
		requireDec(t, x.Qty.String(), y.Qty, loc)
	}
	for _, acct := range []string{"1400", "1410", "5100", "5200"} {
		requireDec(t, invBalance(t, ctx, gl, a, acct, ledger.Date{}).String(), invBalance(t, ctx, gl, b, acct, ledger.Date{}), acct)
	}
}

// InventoryHostTx checks an engine over a store bound to the host
// application's own transaction: begin returns such a store and ends the
// transaction (commit or roll back). A rolled-back movement leaves neither
// stock nor ledger rows; a committed one is there with its entry.
func InventoryHostTx(t *testing.T, st InventoryStore, rows InventoryRows,
	begin func(ctx context.Context) (InventoryStore, func(commit bool) error)) {
	ctx, eng, gl, tn := invSetup(t, st)
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	for _, commit := range []bool{false, true} {
		tx, end := begin(ctx)
		m, err := inventory.New(tx, inventory.Config{}).Post(ctx, tn, invReceipt("P-AVG", "MAIN", 1, "3", "7"))
		require.NoError(t, err)
		// Inside the host's transaction the movement and its entry are visible.
		_, err = ledger.New(tx, ledger.Config{}).Entry(ctx, tn, m.EntryID)
		require.NoError(t, err)
		require.NoError(t, end(commit))
	}
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before["erp_inventory_movements"]+1, after["erp_inventory_movements"])
	require.Equal(t, before["erp_ledger_entries"]+1, after["erp_ledger_entries"])
	requireDec(t, "21", invStock(t, ctx, eng, tn, "P-AVG", "MAIN").Value)
	invCheckLedger(t, ctx, eng, gl, tn, ledger.Date{})
}
