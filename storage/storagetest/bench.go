package storagetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// BenchLedger runs the ledger benchmarks of the posting-core issue against h:
// single 2-line entries per transaction from 8 goroutines over 1,000
// accounts; PostBatch of 1,000 entries; a trial balance over 10,000 accounts
// and 1,000,000 entries (seeded once per run; set ERPKIT_BENCH_TB_ENTRIES to
// use fewer entries). Each reports entries/s or ms/op.
func BenchLedger(b *testing.B, h Harness) {
	b.Run("Post/8goroutines/1000accounts", func(b *testing.B) { benchPost(b, h, false) })
	b.Run("PostInDateOrder/8goroutines/1000accounts", func(b *testing.B) { benchPost(b, h, true) })
	b.Run("PostBatch/1000entries", func(b *testing.B) { benchBatch(b, h, false) })
	b.Run("PostBatchInDateOrder/1000entries", func(b *testing.B) { benchBatch(b, h, true) })
	b.Run("TrialBalance/10000accounts", func(b *testing.B) { benchTrialBalance(b, h) })
	b.Run("Statement/200000lines", func(b *testing.B) { benchStatement(b, h) })
}

// benchStatement reads the first page (100 lines) of the general-ledger
// statement of an account with 200,000 lines (ERPKIT_BENCH_STATEMENT_LINES
// to use fewer), and a page from the middle by cursor.
func benchStatement(b *testing.B, h Harness) {
	lines := 200_000
	if s := envInt("ERPKIT_BENCH_STATEMENT_LINES"); s > 0 {
		lines = s
	}
	gl, tn := benchChart(b, h, 1000)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 6))
	for done := 0; done < lines; {
		es := make([]ledger.Entry, min(2000, lines-done))
		for i := range es {
			es[i] = twoLine(r, 1000, ledger.NewDate(2025, time.Month(1+r.IntN(12)), 1+r.IntN(28)))
			es[i].Lines[0].Account = "A00000"
			if es[i].Lines[1].Account == "A00000" {
				es[i].Lines[1].Account = "A00001"
			}
		}
		_, err := gl.PostBatch(ctx, tn, es)
		require.NoError(b, err)
		done += len(es)
	}
	q := ledger.StatementQuery{Account: "A00000", Currency: "BDT", From: ledger.MustDate("2025-01-01"), To: ledger.MustDate("2025-12-31")}
	b.Run("first-page", func(b *testing.B) {
		for b.Loop() {
			st, err := gl.Statement(ctx, tn, q)
			if err != nil || len(st.Lines) != 100 {
				b.Fatal(err)
			}
		}
	})
	mid := q
	mid.From = ledger.MustDate("2025-07-01")
	first, err := gl.Statement(ctx, tn, mid)
	require.NoError(b, err)
	mid.Cursor = first.Next
	b.Run("next-page", func(b *testing.B) {
		for b.Loop() {
			if _, err := gl.Statement(ctx, tn, mid); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchChart(b *testing.B, h Harness, n int) (*ledger.Ledger, string) {
	ctx := context.Background()
	gl := ledger.New(h.Store, ledger.Config{})
	tn := tenant(b)
	for i := range n {
		_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: fmt.Sprintf("A%05d", i), Name: "bench", Type: ledger.Asset})
		require.NoError(b, err)
	}
	return gl, tn
}

// BareDraw draws a posting of the adapters' bare benchmarks
// (BenchmarkBareBatch, BenchmarkBarePost), which write by hand what the
// posting benchmarks post: a day of July 2026 (of 28), a debit and a
// credit account (different, of accounts) and an amount in poisha.
func BareDraw(r *rand.Rand, accounts int) (day ledger.Date, debit, credit int, cents int64) {
	day = ledger.NewDate(2026, 7, 1+r.IntN(28))
	debit = r.IntN(accounts)
	credit = (debit + 1 + r.IntN(accounts-1)) % accounts
	return day, debit, credit, int64(1 + r.IntN(1_000_000))
}

func twoLine(r *rand.Rand, accounts int, date ledger.Date) ledger.Entry {
	a := r.IntN(accounts)
	c := (a + 1 + r.IntN(accounts-1)) % accounts
	amt := decimal.New(int64(1+r.IntN(1_000_000)), -2)
	return ledger.Entry{Date: date, Description: "bench", Lines: []ledger.Line{
		ledger.DebitLine(fmt.Sprintf("A%05d", a), amt, "BDT"),
		ledger.CreditLine(fmt.Sprintf("A%05d", c), amt, "BDT"),
	}}
}

// benchPost posts one 2-line entry per call from 8 goroutines: dated at
// random over 28 days (each posting likely dated before others already
// posted to its accounts), or in date order (one day per 1,000 postings),
// as a ledger that posts today's documents today receives them.
func benchPost(b *testing.B, h Harness, inOrder bool) {
	gl, tn := benchChart(b, h, 1000)
	ctx := context.Background()
	var seq atomic.Int64
	b.SetParallelism(4) // 4 x GOMAXPROCS(2) = 8 goroutines on the reference machine
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(uint64(seq.Add(1)), 7))
		for pb.Next() {
			day := ledger.NewDate(2026, 7, 1+r.IntN(28))
			if inOrder {
				day = ledger.NewDate(2026, 7, 1).AddDays(int(seq.Load() / 1000))
			}
			e := twoLine(r, 1000, day)
			e.IdempotencyKey = fmt.Sprintf("p-%d", seq.Add(1))
			if _, err := gl.Post(ctx, tn, e); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "entries/s")
}

// benchBatch posts batches of 1,000 2-line entries over 1,000 accounts:
// dated at random over 28 days (most lines dated before others already
// posted to their accounts), or in date order (each batch one day later
// than the one before, as a day's documents imported at its end).
func benchBatch(b *testing.B, h Harness, inOrder bool) {
	gl, tn := benchChart(b, h, 1000)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	n, batch := 0, 0
	b.ResetTimer()
	var elapsed time.Duration
	for b.Loop() {
		es := make([]ledger.Entry, 1000)
		batch++
		for i := range es {
			day := ledger.NewDate(2026, 7, 1+r.IntN(28))
			if inOrder {
				day = ledger.NewDate(2026, 7, 1).AddDays(batch)
			}
			es[i] = twoLine(r, 1000, day)
			es[i].IdempotencyKey = fmt.Sprintf("b-%d", n)
			n++
		}
		start := time.Now()
		if _, err := gl.PostBatch(ctx, tn, es); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "entries/s")
}

func benchTrialBalance(b *testing.B, h Harness) {
	entries := 1_000_000
	if s := envInt("ERPKIT_BENCH_TB_ENTRIES"); s > 0 {
		entries = s
	}
	gl, tn := benchChart(b, h, 10000)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	seedStart := time.Now()
	// A year of postings in date order, as a ledger receives them (the
	// daily totals make out-of-order bulk loads cost more; docs/ledger.md).
	for done := 0; done < entries; {
		es := make([]ledger.Entry, min(2000, entries-done))
		for i := range es {
			day := ledger.NewDate(2025, 1, 1).AddDays((done + i) * 365 / entries)
			es[i] = twoLine(r, 10000, day)
		}
		_, err := gl.PostBatch(ctx, tn, es)
		require.NoError(b, err)
		done += len(es)
	}
	b.Logf("seeded %d entries over 10,000 accounts in %s", entries, time.Since(seedStart))
	// ERPKIT_BENCH_TB_ROUNDS=N runs the reports N times over the one seed
	// (named x, x#01, ...), for medians without seeding N times.
	for range max(1, envInt("ERPKIT_BENCH_TB_ROUNDS")) {
		b.Run("current", func(b *testing.B) {
			for b.Loop() {
				tb, err := gl.TrialBalance(ctx, tn, ledger.Date{})
				if err != nil || !tb.Balanced() {
					b.Fatal(err, tb.Balanced())
				}
			}
		})
		b.Run("asof-Dec", func(b *testing.B) {
			for b.Loop() {
				tb, err := gl.TrialBalance(ctx, tn, ledger.MustDate("2025-12-15"))
				if err != nil || !tb.Balanced() {
					b.Fatal(err)
				}
			}
		})
		b.Run("balancesheet-asof-Dec", func(b *testing.B) {
			for b.Loop() {
				bs, err := gl.BalanceSheet(ctx, tn, ledger.MustDate("2025-12-15"), ledger.StatementOptions{Currency: "BDT"})
				if err != nil || !bs.Balanced() {
					b.Fatal(err)
				}
			}
		})
		b.Run("period-trialbalance-Dec", func(b *testing.B) {
			for b.Loop() {
				tb, err := gl.PeriodTrialBalance(ctx, tn, ledger.MustDate("2025-12-01"), ledger.MustDate("2025-12-31"))
				if err != nil || !tb.Balanced() {
					b.Fatal(err)
				}
			}
		})
		b.Run("asof-Jun", func(b *testing.B) {
			for b.Loop() {
				tb, err := gl.TrialBalance(ctx, tn, ledger.MustDate("2025-06-30"))
				if err != nil || !tb.Balanced() {
					b.Fatal(err)
				}
			}
		})
	}
}
