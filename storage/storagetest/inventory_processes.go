package storagetest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
)

// invProcMovement is movement i of InventoryProcesses, the same on every
// call: even ones receive 2 hoses (FIFO) at a cost of their own, odd ones
// issue a bucket tooth (moving average); both backdated over the month.
func invProcMovement(i int) inventory.Movement {
	m := invIssue("P-AVG", "MAIN", 2+i%20, "1")
	if i%2 == 0 {
		m = invReceipt("P-FIFO", "MAIN", 1+i%25, "2", strconv.Itoa(10+i%7))
	}
	m.IdempotencyKey = fmt.Sprint("mv-", i)
	return m
}

// InventoryProcesses posts stock movements from another operating-system
// process and kills it (SIGKILL) while it posts; then, as the client whose
// calls went unanswered would, posts again every movement the child had
// begun, under the same idempotency keys. Every movement the child was
// told of must be stored under the ID it was given, and each one begun
// must count exactly once: the quantities on hand are the plan's, and the
// stock value equals the inventory accounts' balance. Like
// LedgerProcesses, it must be called from a top-level test function,
// which the child runs again (ChildEnv set).
func InventoryProcesses(t *testing.T, where string, open func(t testing.TB, where string) InventoryStore) {
	if os.Getenv(ChildEnv) != "" {
		eng := inventory.New(open(t, childWhere()), inventory.Config{})
		childWork(t, []int{1, 1, 1, 1}, one(func(i int) (uuid.UUID, error) {
			m, err := eng.Post(context.Background(), childTenant(), invProcMovement(i))
			return m.ID, err
		}))
		return
	}
	ctx, eng, _, tn := invSetup(t, open(t, where))
	const stock = 100000
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, strconv.Itoa(stock), "10"))
	acked, most := crash(t, where, tn, 100000, 60)

	after := open(t, where)
	eng2, gl2 := inventory.New(after, inventory.Config{}), ledger.New(after, ledger.Config{})
	for i, id := range acked {
		m, err := after.InventoryMovementByKey(ctx, tn, invProcMovement(i).IdempotencyKey)
		require.NoError(t, err, "acknowledged movement %d", i)
		require.Equal(t, id, m.ID)
	}
	t.Logf("%s: child killed after %d movements acknowledged of %d begun", t.Name(), len(acked), most+1)
	for i := 0; i <= most; i++ {
		got, err := eng2.Post(ctx, tn, invProcMovement(i))
		require.NoError(t, err, "movement %d again", i)
		if id, ok := acked[i]; ok {
			require.Equal(t, id, got.ID, "movement %d again made another", i)
		}
	}
	receipts, issues := 0, 0
	for i := 0; i <= most; i++ {
		if i%2 == 0 {
			receipts++
		} else {
			issues++
		}
	}
	require.Truef(t, decimal.NewFromInt(int64(2*receipts)).Equal(invStock(t, ctx, eng2, tn, "P-FIFO", "MAIN").Qty),
		"hoses on hand: %s, want %d", invStock(t, ctx, eng2, tn, "P-FIFO", "MAIN").Qty, 2*receipts)
	require.Truef(t, decimal.NewFromInt(int64(stock-issues)).Equal(invStock(t, ctx, eng2, tn, "P-AVG", "MAIN").Qty),
		"teeth on hand: %s, want %d", invStock(t, ctx, eng2, tn, "P-AVG", "MAIN").Qty, stock-issues)
	invCheckLedger(t, ctx, eng2, gl2, tn, ledger.Date{})
	invCheckLedger(t, ctx, eng2, gl2, tn, invDay(10))
}
