// Package sqlite is erpkit's embedded storage adapter: one *Store over
// modernc.org/sqlite (pure Go, no cgo) that satisfies every engine's Store.
//
// Open a database file with Open, apply the schema with Migrate, and hand the
// Store to the engines:
//
//	st, err := sqlite.Open(ctx, "erp.db")
//	...
//	err = st.Migrate(ctx)
//	gl := ledger.New(st, ledger.Config{})
//
// The database runs in WAL mode, synced at every commit (synchronous=FULL),
// with foreign keys on and a busy timeout;
// writes go through one connection in IMMEDIATE transactions, reads through
// a pool. Amounts are stored as integer minor units in STRICT tables, so they
// are exact. InTx runs several engine calls in one transaction, and NewTx
// builds a Store over a host application's own *sql.Tx so that the host's
// rows and erpkit's commit together.
package sqlite
