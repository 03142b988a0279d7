package postgres_test

import (
	"context"
	"testing"

	"github.com/erpkit/erpkit/storage/storagetest"
)

var syncTables = []string{"erp_events", "erp_event_cursors", "erp_sync_clients", "erp_sync_results",
	"erp_sync_entities", "erp_sync_conflicts", "erp_ledger_entries"}

func syncRows(ctx context.Context, tenant string) (map[string]int, error) {
	out := map[string]int{}
	for _, table := range syncTables {
		var n int
		// table comes from the constant list above, never from input.
		if err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
			return nil, err
		}
		out[table] = n
	}
	return out, nil
}

func TestSync(t *testing.T) {
	requirePostgres(t)
	storagetest.Sync(t, shared, syncRows, testing.Short())
}

// BenchmarkSyncDrain: 10,000 queued mutations of one client (docs/bench/sync.md).
func BenchmarkSyncDrain(b *testing.B) {
	requirePostgres(b)
	storagetest.BenchSyncDrain(b, shared)
}

// BenchmarkSyncClients: 100 clients x 100 mutations at once.
func BenchmarkSyncClients(b *testing.B) {
	requirePostgres(b)
	storagetest.BenchSyncClients(b, shared)
}
