package storagetest

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/inventory"
)

// testInvReserveKeys: a reservation made under an idempotency key sets
// stock aside once. A retry with the same item, store and quantity
// returns the stock and writes nothing; another request under the key is
// ErrIdempotencyConflict and writes nothing; a bad key is refused before
// anything is written; keys are the tenant's own; eight callers at once
// reserve once.
func testInvReserveKeys(t *testing.T, st InventoryStore, rows InventoryRows) {
	ctx, eng, _, tn := invSetup(t, st)
	invPost(t, ctx, eng, tn, invReceipt("P-AVG", "MAIN", 1, "10", "12"))
	invPost(t, ctx, eng, tn, invReceipt("P-FIFO", "MAIN", 1, "10", "12"))
	count := func() map[string]int {
		n, err := rows(ctx, tn)
		require.NoError(t, err)
		return n
	}
	key := inventory.ReserveOptions{IdempotencyKey: "so-1001/line-1"}
	s, err := eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("3"), key)
	require.NoError(t, err)
	requireDec(t, "3", s.Reserved)
	before := count()
	again, err := eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("3"), key)
	require.NoError(t, err)
	requireDec(t, "3", again.Reserved, "a retry sets nothing aside again")
	requireDec(t, "7", again.Available())
	require.Equal(t, before, count(), "a retry writes nothing")

	// Another request under the key: a conflict, nothing written.
	for name, c := range map[string]struct {
		item, loc, qty string
	}{
		"quantity": {"P-AVG", "MAIN", "4"},
		"release":  {"P-AVG", "MAIN", "-3"},
		"item":     {"P-FIFO", "MAIN", "3"},
		"store":    {"P-AVG", "SITE", "3"},
	} {
		_, err := eng.Reserve(ctx, tn, c.item, c.loc, dec(c.qty), key)
		require.ErrorIs(t, err, inventory.ErrIdempotencyConflict, name)
		require.Equal(t, before, count(), name)
	}
	requireDec(t, "3", invStock(t, ctx, eng, tn, "P-AVG", "MAIN").Reserved)

	// A release under its own key, retried, releases once.
	rel := inventory.ReserveOptions{IdempotencyKey: "so-1001/cancel"}
	for range 2 {
		s, err = eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("-2"), rel)
		require.NoError(t, err)
		requireDec(t, "1", s.Reserved)
	}
	// A refused reservation records no key: the same key may then reserve.
	before = count()
	_, err = eng.Reserve(ctx, tn, "P-FIFO", "MAIN", dec("11"), inventory.ReserveOptions{IdempotencyKey: "so-1002"})
	require.ErrorIs(t, err, inventory.ErrInsufficientStock)
	require.Equal(t, before, count())
	s, err = eng.Reserve(ctx, tn, "P-FIFO", "MAIN", dec("5"), inventory.ReserveOptions{IdempotencyKey: "so-1002"})
	require.NoError(t, err)
	requireDec(t, "5", s.Reserved)

	// A bad key: refused before anything is written.
	before = count()
	for _, bad := range []string{"tab\tkey", strings.Repeat("k", 257)} {
		_, err := eng.Reserve(ctx, tn, "P-AVG", "MAIN", dec("1"), inventory.ReserveOptions{IdempotencyKey: bad})
		require.ErrorIs(t, err, inventory.ErrInvalidQuery)
		require.Equal(t, before, count())
	}

	// Keys are the tenant's own.
	ctx2, eng2, _, tn2 := invSetup(t, st)
	invPost(t, ctx2, eng2, tn2, invReceipt("P-AVG", "MAIN", 1, "10", "12"))
	s, err = eng2.Reserve(ctx2, tn2, "P-AVG", "MAIN", dec("4"), key)
	require.NoError(t, err)
	requireDec(t, "4", s.Reserved)
	require.Equal(t, before, count(), "the first tenant's rows")
	requireDec(t, "1", invStock(t, ctx, eng, tn, "P-AVG", "MAIN").Reserved)

	// Eight callers at once: one reservation.
	once := inventory.ReserveOptions{IdempotencyKey: "so-1003"}
	const callers = 8
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { _, errs[i] = eng.Reserve(ctx, tn, "P-FIFO", "MAIN", dec("2"), once) })
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "caller %d", i)
	}
	requireDec(t, "7", invStock(t, ctx, eng, tn, "P-FIFO", "MAIN").Reserved)
}
