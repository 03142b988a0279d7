// Package arap is erpkit's receivables and payables engine: customers and
// vendors, Mushak-6.3 tax invoices with gapless serials, vendor bills with
// input tax credit, credit and debit notes (Mushak-6.7/6.8), receipts and
// payments allocated to them, VAT deducted at source with its Mushak-6.6
// certificates, open items, aging, party statements, the 6.1/6.2 registers
// and the 9.1 return - every document posting to the ledger in the same
// transaction as its own rows.
//
// # One package for both directions
//
// Receivables and payables are one package because they are one model seen
// from two sides: a charge (invoice or bill, debit note) raises what a party
// owes or is owed, a settlement (receipt or payment, credit note) lowers it,
// and an allocation applies one to the other. Open items, aging, statements,
// allocation rules, VDS and serials are the same code for both; a party may
// be a customer and a vendor at once. Kind.Side says which side a document
// is on; the VAT rules that differ (output VAT and 6.3 validation on sales,
// input credit under s.46 on purchases) are in the functions that issue or
// approve.
//
// # Use
//
//	eng := arap.New(store, arap.Config{Company: func(tenant string) arap.Company { ... }})
//	_, err := eng.CreateParty(ctx, tenant, arap.Party{Code: "C1", Customer: true, LegalName: "Meghna Cement Mills Ltd",
//		Address: "Narayanganj", BIN: "000123456-0101", VATRegistered: true, PaymentTermsDays: 30})
//	d, err := eng.CreateInvoice(ctx, tenant, arap.DraftRequest{Party: "C1", Lines: lines}) // a draft, editable
//	is, err := eng.IssueInvoice(ctx, tenant, d.ID, arap.IssueOptions{})                  // serial, posting, immutable
//	r, err := eng.Receive(ctx, tenant, arap.MoneyRequest{Party: "C1", Channel: arap.Bank, Amount: ..., Allocations: ...,
//		IdempotencyKey: "TT-20260710-0042"}) // a retry returns this receipt, never a second one
//	ret, err := eng.Return(ctx, tenant, vat.MonthOf(vat.NewDate(2026, 7, 1)))          // Mushak-9.1
//
// The Store (storage/sqlite.Store, storage/postgres.Store) runs each call in
// one transaction (Store.ARInTx) that holds a store of this engine and a
// ledger.Store bound to it: the engine writes its rows and posts through
// ledger.New(txLedger, ...).Post inside it, so a document and its entry
// commit together or not at all. Serials are counter rows incremented in
// that transaction: gapless and unique per series and fiscal year under
// concurrency, and a failed transaction takes none.
//
// Rules: bad input is refused before anything is written, with sentinel
// errors (ErrOverAllocation, ErrNotPosted, ErrCancelled, ...) or the vat
// and ledger packages' own (vat.ErrBuyerRequired, ledger.ErrAccountNotFound,
// ...); every call is scoped to a tenant; amounts are decimal Taka with at
// most two decimals, computed by vat.Calculate (half-up to the poisha, per
// line). The control accounts (receivable, payable) always equal the sum of
// their open items.
//
// Foreign-currency documents and their settlement with realised FX gain or
// loss are not supported: documents are in BDT only (ErrCurrency) until the
// ledger's multi-currency support lands.
//
// See docs/arap.md for a worked example.
package arap
