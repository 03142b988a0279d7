package sqlite

import (
	"context"
	"testing"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The re-valuation's update rewrites exactly the lines it is given, also
// when they span several windows of Seq and carry negative amounts.
func TestUpdateInventoryHistoryWindows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := migratedStore(t)
	storagetest.InventoryBenchSetup(t, st, "t1")
	eng := inventory.New(st, inventory.Config{})
	_, err := eng.CreateItem(ctx, "t1", inventory.Item{Code: "P", Name: "Part", Category: "SPARES", StockUnit: "pcs"})
	require.NoError(t, err)
	day := ledger.MustDate("2026-03-01")
	for i := range 20 {
		m := inventory.Movement{Kind: inventory.Receipt, Date: day.AddDays(20 - i), Item: "P", Location: "MAIN",
			Qty: decimal.NewFromInt(int64(1 + i)), UnitCost: decimal.NewFromInt(int64(3 + i))}
		if i%3 == 2 {
			m = inventory.Movement{Kind: inventory.Issue, Date: day.AddDays(30 + i), Item: "P", Location: "MAIN", Qty: decimal.NewFromInt(1)}
		}
		_, err := eng.Post(ctx, "t1", m)
		require.NoError(t, err)
	}
	before, err := st.InventoryHistory(ctx, "t1", "P", ledger.Date{})
	require.NoError(t, err)
	require.Len(t, before, 20)
	want := map[int64]inventory.HistoryLine{}
	var changed []inventory.HistoryLine
	for i, l := range before {
		if i%2 == 0 {
			l.Value, l.Variance, l.Basis, l.HasBasis = -l.Value-12345, int64(-i*100), int64(i*7), i%4 == 0
			changed = append(changed, l)
		}
		want[l.Seq] = l
	}
	require.NoError(t, st.updateInventoryHistory(ctx, "t1", "P", changed, 3))
	after, err := st.InventoryHistory(ctx, "t1", "P", ledger.Date{})
	require.NoError(t, err)
	require.Len(t, after, len(before))
	for _, l := range after {
		w := want[l.Seq]
		require.Equal(t, []any{w.Value, w.Variance, w.Basis, w.HasBasis}, []any{l.Value, l.Variance, l.Basis, l.HasBasis}, "seq %d", l.Seq)
	}
	// A line that does not exist fails the whole update.
	ghost := changed[0]
	ghost.Seq = 999
	err = st.updateInventoryHistory(ctx, "t1", "P", []inventory.HistoryLine{changed[1], ghost}, 3)
	require.Error(t, err)
}
