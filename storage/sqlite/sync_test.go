package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
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

// TestSyncInHostTx: a push through a Store bound to the host's own
// transaction commits or rolls back with the host's rows.
func TestSyncInHostTx(t *testing.T) {
	ctx := context.Background()
	st := syncStore(t)
	_, err := st.DB().ExecContext(ctx, `CREATE TABLE host_rows (tenant_id TEXT NOT NULL) STRICT`)
	require.NoError(t, err)
	for _, commit := range []bool{false, true} {
		tx, err := st.DB().BeginTx(ctx, nil)
		require.NoError(t, err)
		_, err = tx.ExecContext(ctx, `INSERT INTO host_rows VALUES ('h')`)
		require.NoError(t, err)
		srv := erpsync.New(sqlite.NewTx(tx), erpsync.Config{})
		srv.Register("emit", func(_ context.Context, mc *erpsync.Context) error {
			mc.Emit(erpsync.NewEvent{Type: "host.emitted"})
			return nil
		})
		res, err := srv.Push(ctx, erpsync.Caller{Tenant: "h", User: "u"}, erpsync.Push{ClientGroupID: "g", ClientID: "c",
			Mutations: []erpsync.Mutation{{Seq: 1, ID: uuid.New(), Name: "emit"}}})
		require.NoError(t, err)
		require.EqualValues(t, 1, res.LastSeq)
		if commit {
			require.NoError(t, tx.Commit())
		} else {
			require.NoError(t, tx.Rollback())
		}
		rows, err := syncRows(st)(ctx, "h")
		require.NoError(t, err)
		var host int
		require.NoError(t, st.DB().QueryRowContext(ctx, `SELECT count(*) FROM host_rows`).Scan(&host))
		if commit {
			require.Equal(t, 1, host)
			require.Equal(t, 1, rows["erp_events"])
			require.Equal(t, 1, rows["erp_sync_results"])
		} else {
			require.Zero(t, host)
			require.Zero(t, rows["erp_events"])
			require.Zero(t, rows["erp_sync_clients"])
		}
	}
}

// BenchmarkSyncHot: 100 clients x 100 mutations on 10 shared entities.
func BenchmarkSyncHot(b *testing.B) { storagetest.BenchSyncHot(b, syncStore(b), 0) }
