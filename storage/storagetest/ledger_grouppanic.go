package storagetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// testGroupPanic: a panic in a group's own combined write (a bug in the
// store, injected here; a member's check panicking is that member's error)
// must not leave a member waiting for ever, tell a member its posting was
// stored when the group's transaction was rolled back, or keep the store
// from posting afterwards. Each member runs again alone, as if it had never
// been grouped, and is stored once.
//
// Before the fix, on PostgreSQL three of the four members were told their
// postings were stored (nil) although the transaction had been rolled back
// (1 entry in storage), the leader's caller got the panic, and the
// tenant's lead stayed held; on SQLite the lead stayed held and every
// member, and every later posting of the store, waited for ever.
func testGroupPanic(t *testing.T, h Harness) {
	if h.Together == nil || h.PanicInGroupWrite == nil {
		t.Skip("the store does not group postings")
	}
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn, _ := groupTenant(t, gl, "1")

	left, disarm := h.PanicInGroupWrite(tn, 1)
	defer disarm()
	const n = 4
	errs := make([]error, n)
	calls := make([]func(), n)
	want := decimal.NewFromInt(1)
	for i := range n {
		amount := fmt.Sprint(10 + i)
		want = want.Add(decimal.RequireFromString(amount))
		e := GroupedEntry(amount, fmt.Sprintf("gp-%d", i))
		calls[i] = func() {
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("the posting's caller got a panic: %v", p)
				}
			}()
			_, errs[i] = gl.Post(ctx, tn, e)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.Together(t, tn, calls, n)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("a member of the group whose write panicked was never answered")
	}
	require.Zero(t, left(), "the group's write did not run (no group formed)")
	for i, err := range errs {
		require.NoError(t, err, "member %d", i)
	}
	require.Equal(t, 1+n, rows(t, h, tn)["erp_ledger_entries"], "every member answered nil is stored, once")
	b, err := gl.Balance(ctx, tn, "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, want.Equal(b.Balance), "balance %s, want %s", b.Balance, want)

	// The store still posts: nothing was left holding its lead.
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err = gl.Post(dctx, tn, GroupedEntry("2", ""))
	require.NoError(t, err)
	require.Equal(t, 2+n, rows(t, h, tn)["erp_ledger_entries"])
}
