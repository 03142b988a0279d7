package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

// testARConcurrentSerials: 16 issuers at once on one series. Every fourth
// invoice names a revenue account that does not exist, so its transaction
// fails after taking a serial: the serials issued are still exactly 1..N.
func testARConcurrentSerials(t *testing.T, st ARStore, rows ARRows, other ...ARStore) {
	e := arSetup(t, st)
	engines := []*arap.Engine{e.eng}
	for _, o := range other {
		engines = append(engines, arap.New(o, arap.Config{Company: ARCompany}))
	}
	const workers, each = 16, 4
	drafts := make([][]uuid.UUID, workers)
	bad := map[uuid.UUID]bool{}
	for w := range workers {
		for i := range each {
			l := arLine("Cement", "1", fmt.Sprint(100+w), vat.StandardRate(), "")
			if i == 3 {
				l.Account = "4999"
			}
			d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{l}})
			require.NoError(t, err)
			drafts[w] = append(drafts[w], d.ID)
			bad[d.ID] = i == 3
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var numbers []string
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			eng := engines[w%len(engines)]
			for _, id := range drafts[w] {
				is, err := eng.IssueInvoice(e.ctx, e.tn, id, arap.IssueOptions{At: arAt(10, 10)})
				switch {
				case bad[id] && errors.Is(err, ledger.ErrAccountNotFound):
				case bad[id]:
					errs <- fmt.Errorf("bad invoice: want ErrAccountNotFound, got %v", err)
				case err != nil:
					errs <- err
				default:
					mu.Lock()
					numbers = append(numbers, is.Document.Number)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	n := workers * (each - 1)
	require.Len(t, numbers, n)
	rep, err := vat.CheckSerials(vat.SerialFormat{}, numbers)
	require.NoError(t, err)
	require.True(t, rep.OK(), "%+v", rep)
	want := make(map[string]bool, n)
	for i := 1; i <= n; i++ {
		want[fmt.Sprintf("HO-2026-27-%06d", i)] = true
	}
	for _, s := range numbers {
		require.True(t, want[s], s)
		delete(want, s)
	}
	require.Empty(t, want)
	arRequireDec(t, arSumTotals(t, e).String(), e.balance(t, "1210"), "control account = issued invoices")
}

// arSumTotals is the total of the tenant's issued invoices.
func arSumTotals(t testing.TB, e *arEnv) (sum decimal.Decimal) {
	docs, err := e.eng.Documents(e.ctx, e.tn, arap.DocumentQuery{Kinds: []arap.Kind{arap.Invoice}, Status: []arap.Status{arap.Issued}})
	require.NoError(t, err)
	for _, d := range docs {
		sum = sum.Add(d.Totals.Total)
	}
	return sum
}

// ARTwoStores runs the concurrent issuers through two stores over one
// database, as two processes would: the serials are still exactly 1..N.
func ARTwoStores(t *testing.T, a, b ARStore, rows ARRows) {
	t.Run("Serials", func(t *testing.T) { testARConcurrentSerials(t, a, rows, b) })
	t.Run("MoneyKeys", func(t *testing.T) { testARConcurrentMoneyKeys(t, a, rows, b) })
	t.Run("DraftKeys", func(t *testing.T) { testARDraftKeys(t, a, rows, b) })
	t.Run("AllocateKeys", func(t *testing.T) { testARAllocateKeys(t, a, rows, b) })
}

// testARConcurrentAllocations: eight receipts race to use one advance of
// 1,000 in allocations of 300: at most three win, and the advance is never
// over-allocated.
func testARConcurrentAllocations(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	adv := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 1), Channel: arap.Bank, Amount: arDec("1000")})
	var invs []arap.Document
	for range 8 {
		invs = append(invs, e.invoice(t, "C1", 2, arLine("Cement", "3", "100", vat.StandardRate(), ""))) // 345
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	errs := make(chan error, len(invs))
	for _, inv := range invs {
		wg.Go(func() {
			_, err := e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.NewDate(2026, 7, 3), []arap.Apply{arApply(inv.ID, "300")})
			switch {
			case err == nil:
				mu.Lock()
				won++
				mu.Unlock()
			case !errors.Is(err, arap.ErrOverAllocation):
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, 3, won)
	arRequireDec(t, "100", e.doc(t, adv.Document.ID).Open)
	al, err := e.eng.Allocations(e.ctx, e.tn, adv.Document.ID)
	require.NoError(t, err)
	require.Len(t, al, 3)
	items, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable})
	require.NoError(t, err)
	arRequireDec(t, e.balance(t, "1210").String(), arSum(items))
}
