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
