package storagetest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/erpkit/erpkit/ledger"
)

// Harness is what an adapter's test hands the suite.
type Harness struct {
	// Name names the backend in test output ("sqlite", "postgres").
	Name string
	// Store is a migrated store the suite's tests share; each test uses its
	// own tenants, so tests may run in parallel.
	Store ledger.Store
	// Rows returns the number of rows the tenant has in each erp_ table of
	// the adapter (table name -> count). A failed call must leave it unchanged.
	Rows func(ctx context.Context, tenant string) (map[string]int, error)
	// OpenAnother opens a second store over the same database, as another
	// process would (its own connections and pool).
	OpenAnother func(t testing.TB) ledger.Store
	// InTx runs fn with a store bound to one transaction of the adapter's
	// InTx: committed when fn returns nil, rolled back otherwise.
	InTx func(ctx context.Context, fn func(tx ledger.Store) error) error
	// InTxOf runs fn through the adapter's InTx of st, a store the harness
	// handed out: Store, or one bound to a transaction (HostTx's, InTx's),
	// whose InTx is a savepoint.
	InTxOf func(ctx context.Context, st ledger.Store, fn func(tx ledger.Store) error) error
	// HostTx begins a transaction of the host application's own (a *sql.Tx
	// or pgx.Tx), inserts one row for the tenant into a host table
	// (erp_test_host), builds the adapter over that transaction, runs fn with
	// it, then commits when commit is true and fn succeeded, else rolls back.
	// It returns fn's error, or the transaction's.
	HostTx func(ctx context.Context, tenant string, commit bool, fn func(ledger.Store) error) error
	// HostRows counts the tenant's rows in the host table.
	HostRows func(ctx context.Context, tenant string) (int, error)
	// Together, when set, runs calls (each a posting to tenant through
	// Store) from a goroutine each, so that the queued of them that reach
	// the store are committed as one group, and returns when all have
	// returned, with the number of attempts the store made at the group's
	// combined write. Nil for a store that does not group postings.
	Together func(t testing.TB, tenant string, calls []func(), queued int) (attempts int)
	// PanicInGroupWrite, when set, makes the next n combined writes of
	// tenant's groups panic inside the store (a bug in the store's own
	// code, which nothing outside it can cause). It returns how many of
	// the n are still to come, and what disarms the rest. Nil for a store
	// that does not group postings.
	PanicInGroupWrite func(tenant string, n int) (left func() int, disarm func())
	// Short, when true, makes the slow tests (property sequences,
	// concurrency) run fewer iterations.
	Short bool
}

func envInt(name string) int {
	var n int
	_, _ = fmt.Sscan(os.Getenv(name), &n)
	return n
}
