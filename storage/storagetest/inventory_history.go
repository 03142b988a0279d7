package storagetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// testInvHistory: InventoryHistory returns the lines InventoryLines does, in
// integers (from a date when given), and UpdateInventoryHistory rewrites the
// values of exactly the lines it is given, by store and Seq.
func testInvHistory(t *testing.T, st InventoryStore) {
	ctx, eng, _, tn := invSetup(t, st)
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 5, "10", "12.5"))
	invPost(t, ctx, eng, tn, invIssue("P-AVG", "MAIN", 9, "3"))
	invPost(t, ctx, eng, tn, inventory.Movement{Kind: inventory.Transfer, Date: invDay(10), Item: "P-AVG", Location: "MAIN",
		To: "SITE", Qty: dec("4")})
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 2, "3", "7.3333")) // backdated
	invPost(t, ctx, eng, tn, invIssue("P-AVG", "SITE", 12, "1"))
	invPost(t, ctx, eng, tn, invReceipt("P-FIFO", "MAIN", 1, "1", "3")) // another item: never returned

	type key struct {
		loc string
		seq int64
	}
	var want []inventory.StockLine
	for _, loc := range []string{"MAIN", "SITE"} {
		ls, err := st.InventoryLines(ctx, tn, "P-AVG", loc, ledger.Date{})
		require.NoError(t, err)
		want = append(want, ls...)
	}
	require.Len(t, want, 6)
	check := func(got []inventory.HistoryLine, from ledger.Date) {
		t.Helper()
		byKey := map[key]inventory.HistoryLine{}
		for _, h := range got {
			_, dup := byKey[key{h.Location, h.Seq}]
			require.False(t, dup, "Seq %d twice in %s", h.Seq, h.Location)
			byKey[key{h.Location, h.Seq}] = h
		}
		n := 0
		for _, l := range want {
			h, ok := byKey[key{l.Location, l.Seq}]
			if l.Date.Before(from) {
				require.False(t, ok, "line dated %s before %s", l.Date, from)
				continue
			}
			n++
			require.True(t, ok, "line %s %d", l.Location, l.Seq)
			require.Equal(t, l.Movement, h.Movement)
			require.Equal(t, []any{l.Leg, l.Date, l.Kind, l.HasBasis, l.InventoryAccount, l.CounterAccount, l.VarianceAccount},
				[]any{h.Leg, h.Date, h.Kind, h.HasBasis, h.InventoryAccount, h.CounterAccount, h.VarianceAccount})
			require.Equal(t, l.Qty.Shift(inventory.QuantityScale).IntPart(), h.Qty)
			require.Equal(t, []int64{l.Basis.Shift(4).IntPart(), l.Value.Shift(4).IntPart(), l.Variance.Shift(4).IntPart()},
				[]int64{h.Basis, h.Value, h.Variance})
			if len(l.Dimensions) == 0 {
				require.Empty(t, h.Dimensions)
			} else {
				require.Equal(t, l.Dimensions, h.Dimensions)
			}
		}
		require.Len(t, got, n)
	}
	all, err := st.InventoryHistory(ctx, tn, "P-AVG", ledger.Date{})
	require.NoError(t, err)
	check(all, ledger.Date{})
	later, err := st.InventoryHistory(ctx, tn, "P-AVG", invDay(9))
	require.NoError(t, err)
	check(later, invDay(9))
	none, err := st.InventoryHistory(ctx, tn, "NOPE", ledger.Date{})
	require.NoError(t, err)
	require.Empty(t, none)

	// Rewrite every other line's values, in both stores (a transfer-in's
	// basis too); the others keep theirs.
	slices.SortFunc(all, func(a, b inventory.HistoryLine) int {
		if c := strings.Compare(a.Location, b.Location); c != 0 {
			return c
		}
		return int(a.Seq - b.Seq)
	})
	var changed []inventory.HistoryLine
	for i := range all {
		if i%2 == 1 || (all[i].Kind == inventory.Transfer && all[i].Leg == 1) {
			all[i].Value, all[i].Variance = -all[i].Value-100, int64(i*10000)
			all[i].Basis, all[i].HasBasis = all[i].Basis+50000, true
			changed = append(changed, all[i])
		}
	}
	require.NoError(t, st.InventoryTx(ctx, func(tx inventory.Store, _ ledger.Store) error {
		return tx.UpdateInventoryHistory(ctx, tn, "P-AVG", changed)
	}))
	again, err := st.InventoryHistory(ctx, tn, "P-AVG", ledger.Date{})
	require.NoError(t, err)
	byID := map[uuid.UUID]map[int]inventory.HistoryLine{}
	for _, h := range again {
		if byID[h.Movement] == nil {
			byID[h.Movement] = map[int]inventory.HistoryLine{}
		}
		byID[h.Movement][h.Leg] = h
	}
	for _, w := range all {
		h := byID[w.Movement][w.Leg]
		require.Equal(t, []any{w.Value, w.Variance, w.Basis, w.HasBasis}, []any{h.Value, h.Variance, h.Basis, h.HasBasis},
			"%s %d", w.Location, w.Seq)
	}
}
