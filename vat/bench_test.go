package vat

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/shopspring/decimal"
)

func benchSupply(n int) Supply {
	rates := []Rate{StandardRate(), PercentRate(Reduced, "7.5"), PercentRate(Trade, "2.4"), SpecificRate(decimal.New(350, -2)), {Category: Exempt}}
	lines := make([]Line, n)
	for i := range lines {
		lines[i] = Line{
			Description: fmt.Sprintf("item %d", i), Unit: "pcs",
			Quantity:  decimal.New(int64(i%7+1), 0),
			UnitPrice: decimal.New(int64(12345+i*101), -2),
			Discount:  decimal.New(int64(i%3*50), -2),
			VAT:       rates[i%len(rates)],
		}
		if i%4 == 0 && lines[i].VAT.Category != ZeroRated {
			lines[i].SDPercent = decimal.NewFromInt(20)
		}
	}
	return Supply{Lines: lines}
}

// BenchmarkCalculate100Lines: the goal is under 50 µs per 100-line invoice.
func BenchmarkCalculate100Lines(b *testing.B) {
	for _, inclusive := range []bool{false, true} {
		s := benchSupply(100)
		s.PricesIncludeTax = inclusive
		b.Run(fmt.Sprintf("inclusive=%v", inclusive), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Calculate(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// registerLines yields n sales register lines without holding them: the source of a
// streamed return (a database cursor in real use).
func registerLines(n int) func(yield func(SalesLine, error) bool) {
	values := []decimal.Decimal{decimal.New(100000, -2), decimal.New(1234567, -2), decimal.New(99, -2)}
	vats := []decimal.Decimal{decimal.New(15000, -2), decimal.New(185185, -2), decimal.New(15, -2)}
	date := NewDate(2026, 1, 15)
	notes := []SaleNote{StandardSale, OtherRateSale, RetailTradeSale, ExemptSale}
	return func(yield func(SalesLine, error) bool) {
		for i := range n {
			l := SalesLine{Date: date, InvoiceSerial: "S", Value: values[i%3], VAT: vats[i%3], Note: notes[i%4]}
			if !yield(l, nil) {
				return
			}
		}
	}
}

// BenchmarkReturn91: the goal is a 9.1 return over 1,000,000 register lines in
// under one second with memory not growing with the number of lines. The heap-MB
// metric is the live heap after the run; B/op stays flat across line counts.
func BenchmarkReturn91(b *testing.B) {
	jan := MonthOf(NewDate(2026, 1, 1))
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var ms runtime.MemStats
			for b.Loop() {
				r, err := ComputeReturn(jan, registerLines(n), nil, nil)
				if err != nil || r.SalesLines != n {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/line")
		})
	}
}
