package vat

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func requireDec(t *testing.T, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	require.Truef(t, d(want).Equal(got), "want %s, got %s %v", want, got, msg)
}

// Golden vectors: every number below is taken from
// ../shared/reference/vat-bangladesh.md, not from this package's output.
func TestGoldenSDThenVAT(t *testing.T) {
	t.Parallel()
	// "value 1,000, SD 20% -> SD 200; VAT 15% of 1,200 -> 180; total 1,380"
	res, err := Calculate(Supply{Lines: []Line{{
		Description: "goods", Unit: "pcs", Quantity: d("1"), UnitPrice: d("1000"),
		VAT: StandardRate(), SDPercent: d("20"),
	}}})
	require.NoError(t, err)
	requireDec(t, "1000", res.Totals.Value)
	requireDec(t, "200", res.Totals.SD)
	requireDec(t, "180", res.Totals.VAT)
	requireDec(t, "1380", res.Totals.Total)
}

func TestGoldenInclusive(t *testing.T) {
	t.Parallel()
	// "VAT = price x 15/115. Tk 1,000 -> 130.43; Tk 1,500 -> 195.65."
	for _, tc := range []struct{ price, vat string }{{"1000", "130.43"}, {"1500", "195.65"}} {
		requireDec(t, tc.vat, VATInclusive(d(tc.price), d("15"), Rounding{}), tc.price)
		res, err := Calculate(Supply{PricesIncludeTax: true, Lines: []Line{{
			Quantity: d("1"), UnitPrice: d(tc.price), VAT: StandardRate(),
		}}})
		require.NoError(t, err)
		requireDec(t, tc.vat, res.Totals.VAT)
		requireDec(t, tc.price, res.Totals.Total)
		requireDec(t, d(tc.price).Sub(d(tc.vat)).String(), res.Totals.Value)
	}
}

func TestGoldenRounding(t *testing.T) {
	t.Parallel()
	// "159,270.30 x 15% = 23,890.545 -> 23,890.55 (banker's rounding would give .54).
	//  3,717,678.34 x 15% -> 557,651.75. 3,576,687.89 x 5% -> 178,834.39."
	tests := []struct {
		value, pct, want string
		mode             RoundingMode
	}{
		{"159270.30", "15", "23890.55", HalfUp},
		{"159270.30", "15", "23890.54", HalfEven},
		{"3717678.34", "15", "557651.75", HalfUp},
		{"3576687.89", "5", "178834.39", HalfUp},
	}
	for _, tc := range tests {
		requireDec(t, tc.want, VATExclusive(d(tc.value), d(tc.pct), Rounding{Mode: tc.mode}), tc.value)
		res, err := Calculate(Supply{Rounding: Rounding{Mode: tc.mode}, Lines: []Line{{
			Quantity: d("1"), UnitPrice: d(tc.value), VAT: Rate{Category: Standard, Percent: d(tc.pct)},
		}}})
		require.NoError(t, err)
		requireDec(t, tc.want, res.Totals.VAT, tc.value)
	}
}

func TestRoundingQuoExact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		num, den, want string
		mode           RoundingMode
	}{
		{"1", "8", "0.13", HalfUp},     // 0.125
		{"1", "8", "0.12", HalfEven},   // 0.125 -> even
		{"3", "8", "0.38", HalfEven},   // 0.375 -> even .38
		{"-1", "8", "-0.13", HalfUp},   // away from zero
		{"1", "-8", "-0.13", HalfUp},   // sign of divisor
		{"-1", "8", "-0.12", HalfEven}, // even
		{"2", "3", "0.67", HalfUp},
		{"1", "3", "0.33", HalfUp},
		{"10", "5", "2", HalfUp},
	}
	for _, tc := range tests {
		requireDec(t, tc.want, Rounding{Mode: tc.mode}.quo(d(tc.num), d(tc.den)), tc)
	}
}

func TestCalculateLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		line      Line
		inclusive bool
		want      Amounts
	}{
		{"reduced 7.5", Line{Quantity: d("3"), UnitPrice: d("100"), VAT: PercentRate(Reduced, "7.5")},
			false, Amounts{d("300"), d("0"), d("22.5"), d("322.5")}},
		{"discount", Line{Quantity: d("2"), UnitPrice: d("500"), Discount: d("100"), VAT: StandardRate()},
			false, Amounts{d("900"), d("0"), d("135"), d("1035")}},
		{"specific", Line{Quantity: d("10"), UnitPrice: d("20"), VAT: SpecificRate(d("3.5"))},
			false, Amounts{d("200"), d("0"), d("35"), d("235")}},
		{"specific with SD", Line{Quantity: d("10"), UnitPrice: d("20"), SDPercent: d("10"), VAT: SpecificRate(d("3.5"))},
			false, Amounts{d("200"), d("20"), d("35"), d("255")}},
		{"zero-rated", Line{Quantity: d("1"), UnitPrice: d("999.99"), VAT: Rate{Category: ZeroRated}},
			false, Amounts{d("999.99"), d("0"), d("0"), d("999.99")}},
		{"exempt", Line{Quantity: d("1"), UnitPrice: d("50"), VAT: Rate{Category: Exempt}},
			false, Amounts{d("50"), d("0"), d("0"), d("50")}},
		{"trade 2.4", Line{Quantity: d("1"), UnitPrice: d("1000"), VAT: PercentRate(Trade, "2.4")},
			false, Amounts{d("1000"), d("0"), d("24"), d("1024")}},
		{"fractional quantity rounds value", Line{Quantity: d("1.5"), UnitPrice: d("33.33"), VAT: StandardRate()},
			false, Amounts{d("50"), d("0"), d("7.5"), d("57.5")}}, // 49.995 -> 50.00
		{"inclusive with SD", Line{Quantity: d("1"), UnitPrice: d("1380"), SDPercent: d("20"), VAT: StandardRate()},
			true, Amounts{d("1000"), d("200"), d("180"), d("1380")}},
		{"inclusive specific", Line{Quantity: d("2"), UnitPrice: d("50"), VAT: SpecificRate(d("5"))},
			true, Amounts{d("90"), d("0"), d("10"), d("100")}},
		{"inclusive exempt", Line{Quantity: d("1"), UnitPrice: d("50"), VAT: Rate{Category: Exempt}},
			true, Amounts{d("50"), d("0"), d("0"), d("50")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := CalculateLine(tc.line, tc.inclusive, Rounding{})
			require.NoError(t, err)
			requireDec(t, tc.want.Value.String(), got.Value, "value")
			requireDec(t, tc.want.SD.String(), got.SD, "SD")
			requireDec(t, tc.want.VAT.String(), got.VAT, "VAT")
			requireDec(t, tc.want.Total.String(), got.Total, "total")
		})
	}
}

func TestCalculateErrors(t *testing.T) {
	t.Parallel()
	ok := Line{Quantity: d("1"), UnitPrice: d("10"), VAT: StandardRate()}
	with := func(f func(*Line)) Supply { l := ok; f(&l); return Supply{Lines: []Line{ok, l}} }
	tests := []struct {
		name   string
		supply Supply
		want   error
	}{
		{"no lines", Supply{}, ErrNoLines},
		{"bad rounding", Supply{Lines: []Line{ok}, Rounding: Rounding{Mode: 7}}, ErrRounding},
		{"zero quantity", with(func(l *Line) { l.Quantity = d("0") }), ErrQuantity},
		{"negative quantity", with(func(l *Line) { l.Quantity = d("-1") }), ErrQuantity},
		{"negative price", with(func(l *Line) { l.UnitPrice = d("-0.01") }), ErrPrice},
		{"negative discount", with(func(l *Line) { l.Discount = d("-1") }), ErrDiscount},
		{"discount above amount", with(func(l *Line) { l.Discount = d("10.01") }), ErrDiscount},
		{"no category", with(func(l *Line) { l.VAT = Rate{Percent: d("15")} }), ErrCategory},
		{"negative rate", with(func(l *Line) { l.VAT = Rate{Category: Standard, Percent: d("-15")} }), ErrRate},
		{"standard 0%", with(func(l *Line) { l.VAT = Rate{Category: Standard} }), ErrRate},
		{"exempt with rate", with(func(l *Line) { l.VAT = Rate{Category: Exempt, Percent: d("5")} }), ErrRate},
		{"specific without amount", with(func(l *Line) { l.VAT = Rate{Category: Specific} }), ErrRate},
		{"specific with percent", with(func(l *Line) { l.VAT = Rate{Category: Specific, PerUnit: d("1"), Percent: d("5")} }), ErrRate},
		{"per unit on percent rate", with(func(l *Line) { l.VAT = Rate{Category: Reduced, Percent: d("5"), PerUnit: d("1")} }), ErrRate},
		{"absurd rate", with(func(l *Line) { l.VAT = Rate{Category: Standard, Percent: d("1000")} }), ErrRate},
		{"negative SD", with(func(l *Line) { l.SDPercent = d("-1") }), ErrRate},
		{"SD on zero-rated", with(func(l *Line) { l.VAT = Rate{Category: ZeroRated}; l.SDPercent = d("20") }), ErrSDOnZeroRated},
		{"specific above inclusive price", Supply{PricesIncludeTax: true, Lines: []Line{{Quantity: d("1"), UnitPrice: d("1"), VAT: SpecificRate(d("2"))}}}, ErrPrice},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Calculate(tc.supply)
			require.ErrorIs(t, err, tc.want)
			if len(tc.supply.Lines) == 2 {
				var le *LineError
				require.ErrorAs(t, err, &le)
				require.Equal(t, 1, le.Line)
			}
		})
	}
}

func TestPerDocumentRounding(t *testing.T) {
	t.Parallel()
	// Three lines of 0.10 at 15% each carry 0.015 VAT: per line 0.02 x 3 = 0.06,
	// per document round(0.045) = 0.05.
	line := Line{Quantity: d("1"), UnitPrice: d("0.10"), VAT: StandardRate()}
	s := Supply{Lines: []Line{line, line, line}}
	res, err := Calculate(s)
	require.NoError(t, err)
	requireDec(t, "0.06", res.Totals.VAT)
	s.Rounding.Scope = PerDocument
	res, err = Calculate(s)
	require.NoError(t, err)
	requireDec(t, "0.05", res.Totals.VAT)
	requireDec(t, "0.02", res.Lines[0].VAT) // printed line rounded for display
	requireDec(t, "0.35", res.Totals.Total)
	require.Equal(t, "half-up per document", res.Rounding.String())
}

func TestCategory(t *testing.T) {
	t.Parallel()
	credit := map[Category]bool{Standard: true, ZeroRated: true, Reduced: false, Specific: false, Trade: false, Exempt: false, Turnover: false}
	for c, keeps := range credit {
		require.Equal(t, keeps, c.KeepsInputCredit(), c.String())
		p, err := ParseCategory(c.String())
		require.NoError(t, err)
		require.Equal(t, c, p)
	}
	_, err := ParseCategory("luxury")
	require.ErrorIs(t, err, ErrCategory)
	_, err = Category(0).MarshalText()
	require.ErrorIs(t, err, ErrCategory)
	require.Equal(t, "Category(99)", Category(99).String())
	require.Equal(t, "15%", StandardRate().String())
	require.Equal(t, "Tk 3.50/unit", SpecificRate(d("3.5")).String())
	require.Equal(t, "exempt", Rate{Category: Exempt}.String())
}

func TestErrorsAreDistinct(t *testing.T) {
	t.Parallel()
	require.False(t, errors.Is(ErrRate, ErrCategory))
}

func TestCalculateHugeTotals(t *testing.T) {
	t.Parallel()
	// each line is just under the fast path's per-amount limit (2^62 poisha); their
	// sum overflows int64 poisha and must still be exact
	l := Line{Quantity: d("1"), UnitPrice: d("40000000000000000"), VAT: Rate{Category: Exempt}}
	res, err := Calculate(Supply{Lines: []Line{l, l, l, l, l}})
	require.NoError(t, err)
	requireDec(t, "200000000000000000", res.Totals.Value)
	requireDec(t, "200000000000000000", res.Totals.Total)
	l.VAT = StandardRate()
	res, err = Calculate(Supply{Lines: []Line{l, l, l}})
	require.NoError(t, err)
	requireDec(t, "18000000000000000", res.Totals.VAT)
}
