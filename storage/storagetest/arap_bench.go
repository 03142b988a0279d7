package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

// arBenchLines are the ten lines of a benchmark invoice.
func arBenchLines(i int) []arap.Line {
	lines := make([]arap.Line, 10)
	for j := range lines {
		lines[j] = arap.Line{Description: fmt.Sprintf("Item %d", j), Unit: "pcs", Quantity: decimal.NewFromInt(int64(1 + (i+j)%9)),
			UnitPrice: decimal.New(int64(10000+(i*7+j*13)%90000), -2), VAT: vat.StandardRate()}
		if j%4 == 0 {
			lines[j].SDPercent = decimal.NewFromInt(20)
		}
	}
	return lines
}

// BenchARIssue issues n ten-line draft invoices of one series with workers
// issuers at once, batch invoices per transaction (IssueInvoices; 1 is
// IssueInvoice), and reports invoices/s. Creating the drafts is not timed.
func BenchARIssue(b *testing.B, st ARStore, n, workers, batch int) {
	for range b.N {
		b.StopTimer()
		e := arSetup(b, st)
		for c := range 20 {
			_, err := e.eng.CreateParty(e.ctx, e.tn, arap.Party{Code: fmt.Sprintf("B%02d", c), Customer: true,
				LegalName: fmt.Sprintf("Bench customer %d", c), Address: "Dhaka", BIN: fmt.Sprintf("%09d0101", 100+c), VATRegistered: true})
			require.NoError(b, err)
		}
		ids := make([]uuid.UUID, n)
		for i := range ids {
			d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: fmt.Sprintf("B%02d", i%20), Lines: arBenchLines(i)})
			require.NoError(b, err)
			ids[i] = d.ID
		}
		next := make(chan []uuid.UUID, n/batch+1)
		for i := 0; i < n; i += batch {
			next <- ids[i:min(i+batch, n)]
		}
		close(next)
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		b.StartTimer()
		start := time.Now()
		for range workers {
			wg.Go(func() {
				for chunk := range next {
					if _, err := e.eng.IssueInvoices(e.ctx, e.tn, chunk, arap.IssueOptions{At: arAt(15, 10)}); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		close(errs)
		for err := range errs {
			require.NoError(b, err)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "invoices/s")
		items, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable})
		require.NoError(b, err)
		require.Len(b, items, n)
		b.StartTimer()
	}
}

// ARBenchN is the number of invoices BenchARIssue issues: ERPKIT_AR_BENCH_N
// when set (for quick runs), else def.
func ARBenchN(def int) int {
	if n := envInt("ERPKIT_AR_BENCH_N"); n > 0 {
		return n
	}
	return def
}

// ARAgingData returns n open invoices and n/10 unallocated receipts spread
// over parties customers ("A0000" ...), dated over the year before asOf, as
// issued documents for a bulk load, and the parties.
func ARAgingData(n, parties int, asOf ledger.Date) ([]arap.Party, []arap.Document) {
	ps := make([]arap.Party, parties)
	for i := range ps {
		ps[i] = arap.Party{Code: fmt.Sprintf("A%04d", i), Customer: true, LegalName: fmt.Sprintf("Customer %d", i),
			Address: "Dhaka", PaymentTermsDays: 30, CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	docs := make([]arap.Document, 0, n+n/10)
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		date := asOf.AddDays(-(i * 7919 % 365))
		total := decimal.New(int64(10000+i*104729%10000000), -2)
		docs = append(docs, arap.Document{ID: uuid.Must(uuid.NewV7()), Kind: arap.Invoice, Party: ps[i%parties].Code,
			Status: arap.Issued, Series: "HO", Number: fmt.Sprintf("HO-2026-27-%06d", i+1), Date: date, PostingDate: date,
			DueDate: date.AddDays(30), Currency: "BDT", Totals: arap.Totals{Value: total, Total: total}, Open: total, CreatedAt: created})
	}
	for i := range n / 10 {
		date := asOf.AddDays(-(i * 104729 % 200))
		amt := decimal.New(int64(5000+i*7919%100000), -2)
		docs = append(docs, arap.Document{ID: uuid.Must(uuid.NewV7()), Kind: arap.Receipt, Party: ps[i%parties].Code,
			Status: arap.Issued, Series: "HO", Number: fmt.Sprintf("RC-HO-2026-27-%06d", i+1), Date: date, PostingDate: date,
			Currency: "BDT", Channel: arap.Bank, Account: "1120", Amount: amt, Totals: arap.Totals{Value: amt, Total: amt},
			Open: amt, CreatedAt: created})
	}
	return ps, docs
}

// BenchARAging times the aging of the tenant's receivables as of asOf (the
// data of ARAgingData, loaded by the adapter's test) and checks its total.
func BenchARAging(b *testing.B, st ARStore, tenant string, asOf ledger.Date, docs []arap.Document) {
	eng := arap.New(st, arap.Config{})
	want := decimal.Zero
	for _, d := range docs {
		if d.Kind.Charge() {
			want = want.Add(d.Open)
		} else {
			want = want.Sub(d.Open)
		}
	}
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		ag, err := eng.Aging(ctx, tenant, arap.OpenItemQuery{Side: arap.Receivable, AsOf: asOf})
		if err != nil {
			b.Fatal(err)
		}
		if !ag.Total.Total.Equal(want) {
			b.Fatalf("aging total %s, want %s", ag.Total.Total, want)
		}
	}
}
