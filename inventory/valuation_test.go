package inventory

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// The reference's worked sequence: receive 8 @ 10, receive 4 @ 16, issue
// 10, receive 2 @ 6 (shared/reference/inventory.md).
func referenceFlows(std string) []Flow {
	s := dec(std)
	return []Flow{
		{Qty: dec("8"), Cost: dec("10"), HasCost: true, Standard: s},
		{Qty: dec("4"), Cost: dec("16"), HasCost: true, Standard: s},
		{Qty: dec("-10"), Standard: s},
		{Qty: dec("2"), Cost: dec("6"), HasCost: true, Standard: s},
	}
}

func TestValuationReference(t *testing.T) {
	for _, c := range []struct {
		method Method
		values []string
		issue  string // value of the issue
	}{
		{Standard, []string{"80", "120", "20", "40"}, "-100"},
		{MovingAverage, []string{"80", "144", "24", "36"}, "-120"},
		{FIFO, []string{"80", "144", "32", "44"}, "-112"},
	} {
		t.Run(string(c.method), func(t *testing.T) {
			steps, pos, err := Valuation{Method: c.method, MinorUnits: 2}.Run(referenceFlows("10"))
			require.NoError(t, err)
			for i, want := range c.values {
				require.True(t, dec(want).Equal(steps[i].StockValue()), "step %d: %s", i, steps[i].StockValue())
			}
			require.True(t, dec(c.issue).Equal(steps[2].Value()), steps[2].Value().String())
			require.True(t, dec("4").Equal(pos.Qty))
			require.True(t, dec(c.values[3]).Equal(pos.Value))
		})
	}
	// AVCO averages: 12 after the second receipt, 9 after the last.
	steps, _, err := Valuation{Method: MovingAverage, MinorUnits: 2}.Run(referenceFlows("0"))
	require.NoError(t, err)
	require.True(t, dec("12").Equal(steps[1].StockValue().Div(steps[1].Qty())))
	require.True(t, dec("9").Equal(steps[3].StockValue().Div(steps[3].Qty())))
	// FIFO: one layer of 2 @ 16 and one of 2 @ 6 remain.
	_, pos, err := Valuation{Method: FIFO, MinorUnits: 2}.Run(referenceFlows("0"))
	require.NoError(t, err)
	require.Len(t, pos.Layers, 2)
	require.True(t, dec("32").Equal(pos.Layers[0].Value) && dec("2").Equal(pos.Layers[0].Qty))
	require.True(t, dec("12").Equal(pos.Layers[1].Value) && dec("2").Equal(pos.Layers[1].Qty))
	// Standard: the receipt of 4 @ 16 at standard 10 puts 24 to price
	// variance; the receipt of 2 @ 6 takes 8 back.
	steps, _, err = Valuation{Method: Standard, MinorUnits: 2}.Run(referenceFlows("10"))
	require.NoError(t, err)
	require.True(t, dec("24").Equal(steps[1].Variance()), steps[1].Variance().String())
	require.True(t, dec("-8").Equal(steps[3].Variance()), steps[3].Variance().String())
}

// SAP's moving average example: 1,000 pcs worth 5,000 + GRN 400 @ 5.70 ->
// 7,280 / 1,400 = 5.20.
func TestValuationSAPMovingAverage(t *testing.T) {
	steps, _, err := Valuation{Method: MovingAverage, MinorUnits: 2}.Run([]Flow{
		{Qty: dec("1000"), Cost: dec("5"), HasCost: true},
		{Qty: dec("400"), Cost: dec("5.70"), HasCost: true},
	})
	require.NoError(t, err)
	require.True(t, dec("7280").Equal(steps[1].StockValue()))
	require.True(t, dec("5.2").Equal(steps[1].StockValue().Div(steps[1].Qty())))
}

// A return to the vendor under AVCO leaves at the current average; the
// difference to the purchase price goes to price variance.
func TestValuationReturnToVendorAverage(t *testing.T) {
	steps, pos, err := Valuation{Method: MovingAverage, MinorUnits: 2}.Run([]Flow{
		{Qty: dec("8"), Cost: dec("10"), HasCost: true},
		{Qty: dec("4"), Cost: dec("16"), HasCost: true},
		{Qty: dec("-4"), Cost: dec("16"), HasCost: true}, // back to the vendor at the price paid
	})
	require.NoError(t, err)
	require.True(t, dec("-48").Equal(steps[2].Value()), steps[2].Value().String()) // 4 x average 12
	// Counter (Dr GR/IR 64) = -(value + variance): variance = -16 (Cr price difference 16).
	require.True(t, dec("-16").Equal(steps[2].Variance()), steps[2].Variance().String())
	require.True(t, dec("96").Equal(pos.Value))
}

func TestValuationInsufficientStock(t *testing.T) {
	for _, m := range []Method{FIFO, MovingAverage, Standard} {
		_, _, err := Valuation{Method: m, MinorUnits: 2}.Run([]Flow{
			{Qty: dec("5"), Cost: dec("10"), HasCost: true, Standard: dec("10")},
			{Qty: dec("-6"), Standard: dec("10")},
		})
		require.ErrorIs(t, err, ErrInsufficientStock)
		var ie *InsufficientStockError
		require.ErrorAs(t, err, &ie)
		require.True(t, dec("5").Equal(ie.Available))
		require.True(t, dec("6").Equal(ie.Requested))
	}
}

// Negative stock, when allowed: the shortfall leaves at the last cost; the
// receipt that covers it brings the stock back at its own cost, the
// difference going to price variance.
func TestValuationNegativeStock(t *testing.T) {
	for _, m := range []Method{FIFO, MovingAverage} {
		steps, pos, err := Valuation{Method: m, MinorUnits: 2, AllowNegative: true}.Run([]Flow{
			{Qty: dec("5"), Cost: dec("10"), HasCost: true},
			{Qty: dec("-8")}, // 5 @ 10 + 3 short @ 10 = 80
			{Qty: dec("10"), Cost: dec("12"), HasCost: true}, // 120 in: 7 left @ 12 = 84
		})
		require.NoError(t, err, m)
		require.True(t, dec("-80").Equal(steps[1].Value()), "%s %s", m, steps[1].Value())
		require.True(t, dec("-30").Equal(steps[1].StockValue()), m)
		require.True(t, dec("114").Equal(steps[2].Value()), "%s %s", m, steps[2].Value()) // -30 -> 84
		require.True(t, dec("6").Equal(steps[2].Variance()), "%s %s", m, steps[2].Variance())
		require.True(t, dec("84").Equal(pos.Value), m)
		require.True(t, dec("7").Equal(pos.Qty), m)
	}
}

func TestMulDiv(t *testing.T) {
	for _, c := range []struct{ a, b, c, want int64 }{
		{10, 1, 3, 3}, {20, 1, 3, 7}, {5, 1, 2, 3}, {-5, 1, 2, -3}, {-10, 1, 3, -3},
		{1 << 62, 4, 8, 1 << 61},
	} {
		got, err := mulDiv(c.a, c.b, c.c)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%d*%d/%d", c.a, c.b, c.c)
	}
	_, err := mulDiv(1<<62, 1<<62, 1)
	require.ErrorIs(t, err, ErrOutOfRange)
}
