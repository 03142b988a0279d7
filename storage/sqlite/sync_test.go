package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

var syncTables = []string{"erp_events", "erp_event_cursors", "erp_sync_clients", "erp_sync_results",
	"erp_sync_entities", "erp_sync_conflicts", "erp_ledger_entries"}

func syncStore(t testing.TB) *sqlite.Store {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sync.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	return st
}

func syncRows(st *sqlite.Store) storagetest.SyncRows {
	return func(ctx context.Context, tenant string) (map[string]int, error) {
		out := map[string]int{}
		for _, tb := range syncTables {
			var n int
			// tb comes from the constant list above, never from input.
			if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+tb+` WHERE tenant_id = ?`, tenant).Scan(&n); err != nil {
				return nil, err
			}
			out[tb] = n
		}
		return out, nil
	}
}

func TestSync(t *testing.T) {
	st := syncStore(t)
	storagetest.Sync(t, st, syncRows(st), testing.Short())
}

// BenchmarkSyncDrain: 10,000 queued mutations of one client (docs/bench/sync.md).
func BenchmarkSyncDrain(b *testing.B) { storagetest.BenchSyncDrain(b, syncStore(b)) }

// BenchmarkSyncClients: 100 clients x 100 mutations at once.
func BenchmarkSyncClients(b *testing.B) { storagetest.BenchSyncClients(b, syncStore(b)) }
