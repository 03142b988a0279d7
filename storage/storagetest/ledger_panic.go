package storagetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// panicIn returns what f panicked with (nil if it returned).
func panicIn(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// testPanicInTx: a callback of InTx that panics after posting (a host's bug,
// recovered further up, say by an HTTP server's middleware) passes its
// panic to InTx's caller, and the transaction is rolled back first: nothing
// it wrote stays, nothing waits on it - the next posting to the same
// accounts completes at once - and in a host's transaction (InTx a
// savepoint of it) the host's other work commits without the panicked part.
func testPanicInTx(t *testing.T, h Harness) {
	// A hang here is the bug: every wait is bounded.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, gl, tn := setup(t, h)
	post := func(st ledger.Store, date, amount string) error {
		_, err := ledger.New(st, ledger.Config{}).Post(ctx, tn, entry(date, dr("1020", amount, "BDT"), cr("3000", amount, "BDT")))
		return err
	}
	boom := fmt.Sprintf("host bug in %s", tn)

	p := panicIn(func() {
		_ = h.InTx(ctx, func(tx ledger.Store) error {
			if err := post(tx, "2026-07-01", "5"); err != nil {
				return err
			}
			panic(boom)
		})
	})
	require.Equal(t, boom, p, "the panic reaches InTx's caller")
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	_, err := gl.Post(wctx, tn, entry("2026-07-01", dr("1020", "7", "BDT"), cr("3000", "7", "BDT")))
	require.NoError(t, err, "a posting to the accounts the panicked transaction wrote")
	require.NoError(t, h.InTx(wctx, func(tx ledger.Store) error { return post(tx, "2026-07-02", "1") }), "InTx after the panic")
	require.Equal(t, 2, rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, "8", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))

	// Inside a host's transaction: the savepoint is rolled back, and the
	// host, having recovered, commits the rest.
	if h.InTxOf == nil {
		return
	}
	err = h.HostTx(ctx, tn, true, func(st ledger.Store) error {
		if err := post(st, "2026-07-03", "10"); err != nil {
			return err
		}
		p := panicIn(func() {
			_ = h.InTxOf(ctx, st, func(tx ledger.Store) error {
				if err := post(tx, "2026-07-03", "100"); err != nil {
					return err
				}
				panic(boom)
			})
		})
		if p != boom {
			return fmt.Errorf("the savepoint's panic: got %v", p)
		}
		// The host's transaction goes on: a nested InTx that fails, then one
		// that succeeds.
		failed := errors.New("refused")
		if err := h.InTxOf(ctx, st, func(tx ledger.Store) error {
			if err := post(tx, "2026-07-03", "1000"); err != nil {
				return err
			}
			return failed
		}); !errors.Is(err, failed) {
			return fmt.Errorf("nested InTx: want its callback's error, got %v", err)
		}
		return h.InTxOf(ctx, st, func(tx ledger.Store) error { return post(tx, "2026-07-04", "20") })
	})
	require.NoError(t, err)
	n, err := h.HostRows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, 4, rows(t, h, tn)["erp_ledger_entries"])
	requireDec(t, "38", balanceOf(t, ctx, gl, tn, "1020", "BDT", ledger.Date{}))
	tb, err := gl.TrialBalance(ctx, tn, ledger.Date{})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
}
