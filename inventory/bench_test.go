package inventory

import (
	"testing"

	"github.com/shopspring/decimal"
)

// benchFlows is a history of n flows: receipts of 10 to 29 units at 10.00
// to 49.99 and issues that keep the stock positive.
func benchFlows(n int) []Flow {
	flows := make([]Flow, n)
	have := int64(0)
	for i := range n {
		q := int64(10 + i%20)
		if i%3 != 0 && have >= q {
			flows[i] = Flow{Qty: decimal.NewFromInt(-q), Standard: decimal.NewFromInt(25)}
			have -= q
		} else {
			flows[i] = Flow{Qty: decimal.NewFromInt(q), Cost: decimal.New(int64(1000+(i*7919)%4000), -2), HasCost: true,
				Standard: decimal.NewFromInt(25)}
			have += q
		}
	}
	return flows
}

// BenchmarkValuation1M values 1,000,000 movements of one item, per method
// (goal: under 2 s); see docs/bench/inventory.md.
func BenchmarkValuation1M(b *testing.B) {
	flows := benchFlows(1_000_000)
	for _, m := range []Method{FIFO, MovingAverage, Standard} {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := (Valuation{Method: m, MinorUnits: 2}).Run(flows); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
