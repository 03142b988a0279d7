package postgres_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/postgres"
	"github.com/erpkit/erpkit/storage/storagetest"
	erpsync "github.com/erpkit/erpkit/sync"
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

// TestSyncAppendEventsHelper: the helper other adapter code calls appends
// with cursors from the tenant's counter inside the caller's transaction,
// rolled back with it; ledger entries become posted/reversed events.
func TestSyncAppendEventsHelper(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	tn := "t-" + uuid.NewString()
	id := uuid.New()
	entries := []ledger.Entry{
		{ID: id, Date: ledger.NewDate(2026, 7, 1), Description: "fuel", Lines: []ledger.Line{
			ledger.DebitLine("5010", decimal.RequireFromString("100.50"), "BDT"), ledger.CreditLine("1010", decimal.RequireFromString("100.50"), "BDT")}},
		{ID: uuid.New(), Date: ledger.NewDate(2026, 7, 2), Reverses: id},
	}
	last, err := postgres.SyncAppendEventsInTx(ctx, shared, tn, false, entries)
	require.NoError(t, err)
	require.EqualValues(t, 2, last)
	_, err = postgres.SyncAppendEventsInTx(ctx, shared, tn, true, nil, erpsync.NewEvent{Type: "x"})
	require.Error(t, err)
	last, err = postgres.SyncAppendEventsInTx(ctx, shared, tn, false, nil, erpsync.NewEvent{Type: "y", Data: json.RawMessage(`{"a":1}`)})
	require.NoError(t, err)
	require.EqualValues(t, 3, last, "the rolled-back append left no cursor behind")
	page, err := shared.SyncEvents(ctx, tn, 0, 10)
	require.NoError(t, err)
	require.Len(t, page.Events, 3)
	require.Equal(t, "ledger.entry.posted", page.Events[0].Type)
	require.Equal(t, "ledger.entry.reversed", page.Events[1].Type)
	require.Equal(t, "y", page.Events[2].Type)
	require.JSONEq(t, `{"a":1}`, string(page.Events[2].Data))
	var d struct {
		Lines []struct{ Account, Side, Amount string }
	}
	require.NoError(t, json.Unmarshal(page.Events[0].Data, &d))
	require.Equal(t, "100.5", d.Lines[0].Amount)
}

// TestSyncInHostTx: a push through a Store bound to the host's own pgx.Tx
// commits or rolls back with the host's rows.
func TestSyncInHostTx(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	pool := shared.Pool()
	for _, commit := range []bool{false, true} {
		tn := "t-" + uuid.NewString()
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, `INSERT INTO erp_test_host (tenant_id, note) VALUES ($1, 'host row')`, tn)
		require.NoError(t, err)
		srv := erpsync.New(postgres.NewTx(tx), erpsync.Config{})
		srv.Register("emit", func(_ context.Context, mc *erpsync.Context) error {
			mc.Emit(erpsync.NewEvent{Type: "host.emitted"})
			return nil
		})
		res, err := srv.Push(ctx, erpsync.Caller{Tenant: tn, User: "u"}, erpsync.Push{ClientGroupID: "g", ClientID: "c",
			Mutations: []erpsync.Mutation{{Seq: 1, ID: uuid.New(), Name: "emit"}}})
		require.NoError(t, err)
		require.EqualValues(t, 1, res.LastSeq)
		if commit {
			require.NoError(t, tx.Commit(ctx))
		} else {
			require.NoError(t, tx.Rollback(ctx))
		}
		rows, err := syncRows(ctx, tn)
		require.NoError(t, err)
		var host int
		require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM erp_test_host WHERE tenant_id = $1`, tn).Scan(&host))
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

// BenchmarkSyncHot: 100 clients x 100 mutations on 10 shared entities,
// whole batches per transaction and one mutation per transaction.
func BenchmarkSyncHot(b *testing.B) {
	requirePostgres(b)
	b.Run("batch", func(b *testing.B) { storagetest.BenchSyncHot(b, shared, 0) })
	b.Run("perTx1", func(b *testing.B) { storagetest.BenchSyncHot(b, shared, 1) })
}
