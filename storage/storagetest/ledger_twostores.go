package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// LedgerTwoStores posts through two stores over one database at once, as
// two processes would: each store's own batching or group commit must not
// let them lose an update or miss each other's backdated postings. Half the
// goroutines post in date order, half backdate; every balance and every
// as-of balance is then checked against the lines.
func LedgerTwoStores(t *testing.T, a, b ledger.Store) {
	ctx := context.Background()
	ga, gb := ledger.New(a, ledger.Config{}), ledger.New(b, ledger.Config{})
	tn := tenant(t)
	for _, acc := range chartOfAccounts {
		_, err := ga.CreateAccount(ctx, tn, acc)
		require.NoError(t, err)
	}
	first := ledger.MustDate("2026-07-01")
	const goroutines, each = 8, 60
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for g := range goroutines {
		gl := ga
		if g%2 == 1 {
			gl = gb
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				day := first.AddDays(i / 3) // in date order
				if g >= goroutines/2 {
					day = first.AddDays((each - i) % 20) // backdated
				}
				amt := decimal.New(int64(100+g*each+i), -2)
				e := ledger.Entry{Date: day, Description: fmt.Sprintf("%d-%d", g, i), Lines: []ledger.Line{
					ledger.DebitLine("1010", amt, "BDT"), ledger.CreditLine("4000", amt, "BDT")}}
				if i%5 == 0 {
					e.Lines = append(e.Lines, ledger.DebitLine("1020", amt, "BDT"), ledger.CreditLine("4000", amt, "BDT"))
				}
				if _, err := gl.Post(ctx, tn, e); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	want := decimal.Zero
	for g := range goroutines {
		for i := range each {
			amt := decimal.New(int64(100+g*each+i), -2)
			want = want.Add(amt)
			if i%5 == 0 {
				want = want.Add(amt)
			}
		}
	}
	got, err := ga.Balance(ctx, tn, "4000", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, want.Equal(got.Balance), "sales %s, want %s", got.Balance, want)
	checkAsOf(t, ctx, ga, tn, first.AddDays(-1), each/3+2)
	checkAsOf(t, ctx, gb, tn, first.AddDays(-1), each/3+2)
}
