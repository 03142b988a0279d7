package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
)

// A Store over a file: migrate it, hand it to an engine, post (a retry
// under the same key posts nothing), read a balance.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "erpkit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "books.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	books := ledger.New(store, ledger.Config{})
	for _, a := range []ledger.Account{
		{Code: "1020", Name: "Sonali Bank current account", Type: ledger.Asset},
		{Code: "4000", Name: "Sales", Type: ledger.Revenue},
	} {
		if _, err := books.CreateAccount(ctx, "acme", a); err != nil {
			log.Fatal(err)
		}
	}
	sale := ledger.Entry{Date: ledger.MustDate("2026-07-10"), Description: "Cash sale", IdempotencyKey: "sale-1",
		Lines: []ledger.Line{
			ledger.DebitLine("1020", decimal.RequireFromString("1150.00"), "BDT"),
			ledger.CreditLine("4000", decimal.RequireFromString("1150.00"), "BDT"),
		}}
	first, err := books.Post(ctx, "acme", sale)
	if err != nil {
		log.Fatal(err)
	}
	again, err := books.Post(ctx, "acme", sale) // the client did not hear back and sends it again
	if err != nil {
		log.Fatal(err)
	}
	bank, err := books.Balance(ctx, "acme", "1020", "BDT", ledger.Date{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same entry:", first.ID == again.ID)
	fmt.Println("bank:", bank.Balance.StringFixed(2))
	// Output:
	// same entry: true
	// bank: 1150.00
}

// NewTx binds a Store to the host application's own transaction: the
// host's rows and the ledger's commit or roll back together.
func ExampleNewTx() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "erpkit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlite.Open(ctx, filepath.Join(dir, "books.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	db := store.DB()
	if _, err := db.ExecContext(ctx, `CREATE TABLE orders (id TEXT PRIMARY KEY, total TEXT NOT NULL)`); err != nil {
		log.Fatal(err)
	}
	books := ledger.New(store, ledger.Config{})
	for _, a := range []ledger.Account{
		{Code: "1100", Name: "Trade receivables", Type: ledger.Asset},
		{Code: "4000", Name: "Sales", Type: ledger.Revenue},
	} {
		if _, err := books.CreateAccount(ctx, "acme", a); err != nil {
			log.Fatal(err)
		}
	}

	// The host's order and its ledger entry, in the host's transaction,
	// which then rolls back: neither is kept.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders VALUES ('SO-1', '2300.00')`); err != nil {
		log.Fatal(err)
	}
	inTx := ledger.New(sqlite.NewTx(tx), ledger.Config{})
	if _, err := inTx.Post(ctx, "acme", ledger.Entry{Date: ledger.MustDate("2026-07-10"), Description: "SO-1",
		Lines: []ledger.Line{
			ledger.DebitLine("1100", decimal.RequireFromString("2300.00"), "BDT"),
			ledger.CreditLine("4000", decimal.RequireFromString("2300.00"), "BDT"),
		}}); err != nil {
		log.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		log.Fatal(err)
	}
	var orders int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM orders`).Scan(&orders); err != nil {
		log.Fatal(err)
	}
	entries, err := books.Entries(ctx, "acme", ledger.EntryQuery{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("orders:", orders, "entries:", len(entries))
	// Output:
	// orders: 0 entries: 0
}
