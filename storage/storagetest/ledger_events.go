package storagetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/stretchr/testify/require"
)

// eventLog is the part of the sync store that reads the event log.
type eventLog interface {
	SyncEvents(ctx context.Context, tenant string, after int64, limit int) (erpsync.EventPage, error)
}

// testLedgerEvents: every posted entry and reversal appends one event in
// its transaction, in order with gapless cursors; a refused posting appends
// none; another tenant's log stays empty.
func testLedgerEvents(t *testing.T, h Harness) {
	log, ok := h.Store.(eventLog)
	if !ok {
		t.Skip("the store keeps no event log")
	}
	ctx, gl, tn := setup(t, h)
	e1, err := gl.Post(ctx, tn, entry("2026-01-05", dr("1010", "10.00", "BDT"), cr("4000", "10.00", "BDT")))
	require.NoError(t, err)
	batch, err := gl.PostBatch(ctx, tn, []ledger.Entry{
		entry("2026-01-06", dr("1010", "1.00", "BDT"), cr("4000", "1.00", "BDT")),
		entry("2026-01-07", dr("1020", "2.00", "BDT"), cr("4000", "2.00", "BDT")),
	})
	require.NoError(t, err)
	_, err = gl.Post(ctx, tn, entry("2026-01-08", dr("1010", "5.00", "BDT"), cr("4000", "4.00", "BDT")))
	require.ErrorIs(t, err, ledger.ErrUnbalanced)
	rev, err := gl.Reverse(ctx, tn, e1.ID, ledger.MustDate("2026-01-09"), ledger.ReverseOptions{})
	require.NoError(t, err)

	page, err := log.SyncEvents(ctx, tn, 0, 100)
	require.NoError(t, err)
	want := []struct {
		typ string
		id  string
	}{
		{"ledger.entry.posted", e1.ID.String()},
		{"ledger.entry.posted", batch[0].ID.String()},
		{"ledger.entry.posted", batch[1].ID.String()},
		{"ledger.entry.reversed", rev.ID.String()},
	}
	require.Len(t, page.Events, len(want))
	for i, w := range want {
		ev := page.Events[i]
		require.Equal(t, int64(i+1), ev.Cursor, "gapless cursors from 1")
		require.Equal(t, w.typ, ev.Type)
		require.Equal(t, "ledger.entry", ev.Entity.Type)
		require.Equal(t, w.id, ev.Entity.ID)
		var data map[string]any
		require.NoError(t, json.Unmarshal(ev.Data, &data))
		require.Equal(t, w.id, data["id"])
	}
	require.Equal(t, int64(len(want)), page.Head)

	other, err := log.SyncEvents(ctx, tenant(t), 0, 100)
	require.NoError(t, err)
	require.Empty(t, other.Events)
}

// testInvEvents: a receipt and an issue each append an
// inventory.movement.recorded event next to their ledger entry's event, in
// the order they were posted; a refused issue appends nothing.
func testInvEvents(t *testing.T, st InventoryStore) {
	log, ok := st.(eventLog)
	if !ok {
		t.Skip("the store keeps no event log")
	}
	ctx, eng, _, tn := invSetup(t, st)
	r := invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, "10", "12"))
	i := invPost(t, ctx, eng, tn, invIssue("P-AVG", "MAIN", 2, "4"))
	_, err := eng.Post(ctx, tn, invIssue("P-AVG", "MAIN", 3, "100"))
	require.Error(t, err)
	page, err := log.SyncEvents(ctx, tn, 0, 100)
	require.NoError(t, err)
	var got []string
	for _, ev := range page.Events {
		if ev.Type != "inventory.movement.recorded" {
			require.Equal(t, "ledger.entry.posted", ev.Type)
			continue
		}
		var data map[string]any
		require.NoError(t, json.Unmarshal(ev.Data, &data))
		require.Equal(t, "P-AVG", ev.Entity.ID)
		got = append(got, data["id"].(string)+" "+data["kind"].(string)+" "+data["qty"].(string))
	}
	require.Equal(t, []string{r.ID.String() + " receipt 10", i.ID.String() + " issue 4"}, got)
	require.Len(t, page.Events, 4, "two movements and their two ledger entries")
}
