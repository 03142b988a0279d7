package sqlite

import (
	"context"
	"encoding/json"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestSyAppendEventsInTx: the helper other adapter code calls appends
// with cursors from the tenant's counter, inside the caller's transaction
// (rolled back with it), and ledger entries become posted/reversed events.
func TestSyAppendEventsInTx(t *testing.T) {
	ctx := context.Background()
	st := migratedStore(t)
	id, rev := uuid.New(), uuid.New()
	entries := []ledger.Entry{
		{ID: id, Date: ledger.NewDate(2026, 7, 1), Description: "fuel", Lines: []ledger.Line{
			ledger.DebitLine("5010", decimal.RequireFromString("100.50"), "BDT"), ledger.CreditLine("1010", decimal.RequireFromString("100.50"), "BDT")}},
		{ID: rev, Date: ledger.NewDate(2026, 7, 2), Reverses: id},
	}
	err := st.write(ctx, func(q querier) error {
		last, err := syAppendEvents(ctx, q, "t1", outbox.Ledger(entries...)...)
		require.EqualValues(t, 2, last)
		return err
	})
	require.NoError(t, err)
	err = st.write(ctx, func(q querier) error {
		if _, err := syAppendEvents(ctx, q, "t1", erpsync.NewEvent{Type: "x"}); err != nil {
			return err
		}
		return context.Canceled // the caller's transaction fails: the event goes with it
	})
	require.ErrorIs(t, err, context.Canceled)
	page, err := st.SyncEvents(ctx, "t1", 0, 10)
	require.NoError(t, err)
	require.Len(t, page.Events, 2)
	require.EqualValues(t, 2, page.Head, "the rolled-back append left no cursor behind")
	require.Equal(t, "ledger.entry.posted", page.Events[0].Type)
	require.Equal(t, "ledger.entry.reversed", page.Events[1].Type)
	var d struct {
		Lines []struct{ Account, Side, Amount string }
	}
	require.NoError(t, json.Unmarshal(page.Events[0].Data, &d))
	require.Equal(t, "100.5", d.Lines[0].Amount)
	require.Equal(t, "debit", d.Lines[0].Side)
}
