// Package postgres stores erpkit's engines in PostgreSQL, over pgx/v5 and
// pgxpool.
//
// A Store satisfies every engine's Store interface (ledger.Store, ...). Open
// one over a DSN, apply the embedded migrations with Migrate, and hand it to
// the engines:
//
//	store, err := postgres.Open(ctx, "postgres://erp@localhost/erp")
//	if err != nil { ... }
//	defer store.Close()
//	if err := store.Migrate(ctx); err != nil { ... }
//	books := ledger.New(store, ledger.Config{})
//
// Three ways to scope work to a transaction:
//   - each Store call on its own is atomic (its own transaction, retried on
//     serialization failures and deadlocks);
//   - [Store.InTx] runs several calls, of any engine, in one transaction;
//   - [NewTx] binds a Store to the host application's own pgx.Tx, so the
//     host's rows and erpkit's commit or roll back together.
//
// Tables are prefixed erp_. Every primary key and unique constraint begins
// with tenant_id and every foreign key includes it, so the schema
// distributes by tenant (Citus) unchanged. Amounts are NUMERIC. Concurrent
// postings lock balance rows in (account, currency) order: no deadlock, no
// lost update, across any number of processes. [Migrations] exports the SQL
// files for hosts that run their own migration tool.
package postgres
