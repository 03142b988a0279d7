// Package inventory is erpkit's inventory engine for a mining contractor's
// parts warehouses: items, units of measure, stores (warehouses, site
// stores, vehicles), stock movements valued by FIFO, moving average or
// standard cost, each posted to the ledger in the same transaction as the
// stock change, and the stock queries (on hand, reserved and available,
// value as of a date, stock ledger, lots with first-expiry-first-out
// picking, reorder suggestions).
//
// An Engine over a Store (storage/sqlite, storage/postgres) validates every
// request before anything is written:
//
//	eng := inventory.New(store, inventory.Config{Currency: "BDT"})
//	_, err := eng.CreateUnit(ctx, tenant, inventory.Unit{Code: "pcs", Name: "Pieces"})
//	_, err = eng.PutCategory(ctx, tenant, inventory.Category{Code: "SPARES", Name: "Spares",
//		Accounts: inventory.Accounts{Inventory: "1400", Expense: "5100", GRIR: "2100",
//			PriceVariance: "5200", Adjustment: "5300"}})
//	_, err = eng.CreateLocation(ctx, tenant, inventory.Location{Code: "MAIN", Name: "Main warehouse"})
//	_, err = eng.CreateItem(ctx, tenant, inventory.Item{Code: "HOSE-1", Name: "Hydraulic hose",
//		Category: "SPARES", StockUnit: "pcs", Method: inventory.FIFO})
//	m, err := eng.Post(ctx, tenant, inventory.Movement{Kind: inventory.Receipt,
//		Date: ledger.MustDate("2026-07-01"), Item: "HOSE-1", Location: "MAIN",
//		Qty: decimal.RequireFromString("8"), UnitCost: decimal.RequireFromString("10")})
//
// Movements (Receipt, Issue, Transfer, Adjustment, ReturnToVendor,
// ReturnFromIssue) are immutable and carry a business date, a reference and
// an optional idempotency key. Each posts one balanced ledger.Entry through
// ledger.Ledger inside the store's transaction (Store.InventoryTx): a
// failure anywhere leaves neither stock nor ledger changed. An outflow
// beyond the stock fails with *InsufficientStockError (ErrInsufficientStock)
// unless the store allows negative stock (see Valuation for the rule).
//
// A movement dated before later movements of its item re-values that later
// history at once, in every store of the item, and posts the differences
// dated as the movements they belong to: the result equals posting
// everything in date order.
//
// The valuation itself is a pure function (Valuation.Run) over a history of
// flows; Reorder and PickFEFO are pure too. Quantities are decimals with at
// most a unit's precision (at most QuantityScale decimals); values are
// exact in the currency's minor units. The rules and worked examples are in
// shared/reference/inventory.md and docs/inventory.md.
package inventory
