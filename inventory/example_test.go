package inventory_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/shopspring/decimal"
)

// The reference's worked sequence under the three methods: receive 8 @ 10,
// receive 4 @ 16, issue 10, receive 2 @ 6.
func ExampleValuation_Run() {
	d := decimal.RequireFromString
	flows := []inventory.Flow{
		{Qty: d("8"), Cost: d("10"), HasCost: true, Standard: d("10")},
		{Qty: d("4"), Cost: d("16"), HasCost: true, Standard: d("10")},
		{Qty: d("-10"), Standard: d("10")},
		{Qty: d("2"), Cost: d("6"), HasCost: true, Standard: d("10")},
	}
	for _, m := range []inventory.Method{inventory.Standard, inventory.MovingAverage, inventory.FIFO} {
		steps, _, err := inventory.Valuation{Method: m, MinorUnits: 2}.Run(flows)
		if err != nil {
			panic(err)
		}
		fmt.Print(m, ":")
		for _, s := range steps {
			fmt.Print(" ", s.StockValue())
		}
		fmt.Println()
	}
	// Output:
	// standard: 80 120 20 40
	// average: 80 144 24 36
	// fifo: 80 144 32 44
}

// The reference's reorder example: level 20, reorder quantity 50.
func ExampleReorder() {
	rule := inventory.ReorderRule{Level: decimal.NewFromInt(20), Qty: decimal.NewFromInt(50)}
	for _, projected := range []int64{5, -40, 20, 21} {
		q, ok := inventory.Reorder(rule, inventory.Projection{OnHand: decimal.NewFromInt(projected)})
		fmt.Println(projected, q, ok)
	}
	// Output:
	// 5 50 true
	// -40 60 true
	// 20 50 true
	// 21 0 false
}

// A receipt and an issue over SQLite: the stock and the ledger move together.
func ExampleEngine_Post() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "erpkit-example")
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	const tenant = "acme-mining"
	must := func(_ any, err error) {
		if err != nil {
			panic(err)
		}
	}
	gl := ledger.New(st, ledger.Config{})
	for _, a := range []ledger.Account{
		{Code: "1400", Name: "Inventory", Type: ledger.Asset},
		{Code: "2100", Name: "GR/IR clearing", Type: ledger.Liability},
		{Code: "5100", Name: "Parts consumption", Type: ledger.Expense},
		{Code: "5200", Name: "Price variance", Type: ledger.Expense},
		{Code: "5300", Name: "Stock adjustment", Type: ledger.Expense},
	} {
		must(gl.CreateAccount(ctx, tenant, a))
	}
	eng := inventory.New(st, inventory.Config{Currency: "BDT"})
	must(eng.CreateUnit(ctx, tenant, inventory.Unit{Code: "pcs", Name: "Pieces"}))
	must(eng.PutCategory(ctx, tenant, inventory.Category{Code: "SPARES", Name: "Spare parts",
		Accounts: inventory.Accounts{Inventory: "1400", Expense: "5100", GRIR: "2100", PriceVariance: "5200", Adjustment: "5300"}}))
	must(eng.CreateLocation(ctx, tenant, inventory.Location{Code: "MAIN", Name: "Main warehouse"}))
	must(eng.CreateItem(ctx, tenant, inventory.Item{Code: "TOOTH", Name: "Bucket tooth", Category: "SPARES",
		StockUnit: "pcs", Method: inventory.MovingAverage}))

	d := decimal.RequireFromString
	must(eng.Post(ctx, tenant, inventory.Movement{Kind: inventory.Receipt, Date: ledger.MustDate("2026-07-01"),
		Reference: "GRN-1", Item: "TOOTH", Location: "MAIN", Qty: d("8"), UnitCost: d("10")}))
	must(eng.Post(ctx, tenant, inventory.Movement{Kind: inventory.Receipt, Date: ledger.MustDate("2026-07-02"),
		Reference: "GRN-2", Item: "TOOTH", Location: "MAIN", Qty: d("4"), UnitCost: d("16")}))
	issue, err := eng.Post(ctx, tenant, inventory.Movement{Kind: inventory.Issue, Date: ledger.MustDate("2026-07-03"),
		Reference: "WO-7", Item: "TOOTH", Location: "MAIN", Qty: d("10"), Dimensions: map[string]string{"equipment": "EX-12"}})
	if err != nil {
		panic(err)
	}
	_, err = eng.Post(ctx, tenant, inventory.Movement{Kind: inventory.Issue, Date: ledger.MustDate("2026-07-03"),
		Item: "TOOTH", Location: "MAIN", Qty: d("3")})
	fmt.Println(err)

	e, _ := gl.Entry(ctx, tenant, issue.EntryID)
	for _, l := range e.Lines {
		fmt.Println(l.Account, l.Side, l.Amount, l.Dimensions)
	}
	stock, _ := eng.OnHand(ctx, tenant, inventory.StockFilter{Item: "TOOTH"})
	inv, _ := gl.Balance(ctx, tenant, "1400", "BDT", ledger.Date{})
	fmt.Println("on hand", stock[0].Qty, "value", stock[0].Value, "ledger", inv.Balance)
	// Output:
	// inventory: insufficient stock of TOOTH in MAIN: available 2, requested 3
	// 5100 debit 120 map[equipment:EX-12]
	// 1400 credit 120 map[]
	// on hand 2 value 24 ledger 24
}
