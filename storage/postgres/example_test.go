package postgres_test

import (
	"context"
	"log"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/postgres"
)

// A Store over a pool: migrate it, then post inside the host
// application's own transaction, so that the host's order and its ledger
// entry commit together or not at all. (Not run by go test: it needs a
// database.)
func ExampleNewTx() {
	ctx := context.Background()
	store, err := postgres.Open(ctx, "postgres://erp@localhost/erp")
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	err = pgx.BeginFunc(ctx, store.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO orders (id, total) VALUES ('SO-1', 2300.00)`); err != nil {
			return err
		}
		books := ledger.New(postgres.NewTx(tx), ledger.Config{})
		_, err := books.Post(ctx, "acme", ledger.Entry{Date: ledger.MustDate("2026-07-10"), Description: "SO-1",
			IdempotencyKey: "SO-1", Lines: []ledger.Line{
				ledger.DebitLine("1100", decimal.RequireFromString("2300.00"), "BDT"),
				ledger.CreditLine("4000", decimal.RequireFromString("2300.00"), "BDT"),
			}})
		return err // postgres.ErrConflict: roll back and run the whole transaction again
	})
	if err != nil {
		log.Fatal(err)
	}
}
