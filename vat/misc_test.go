package vat

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestPerDocumentInclusive(t *testing.T) {
	t.Parallel()
	// ten lines of Tk 0.10 VAT-inclusive at 15%: each contains 0.0130434...; per line
	// that rounds to 0.01 (0.10 in all), per document to round(0.130434...) = 0.13
	line := Line{Description: "sweet", Unit: "pcs", Quantity: d("1"), UnitPrice: d("0.10"), VAT: StandardRate(), SDPercent: d("10")}
	lines := make([]Line, 10)
	for i := range lines {
		lines[i] = line
	}
	lines[0].VAT = Rate{Category: Exempt}
	lines[1].VAT = SpecificRate(d("0.01"))
	perLine, err := Calculate(Supply{Lines: lines, PricesIncludeTax: true})
	require.NoError(t, err)
	perDoc, err := Calculate(Supply{Lines: lines, PricesIncludeTax: true, Rounding: Rounding{Scope: PerDocument}})
	require.NoError(t, err)
	requireDec(t, "1.00", perLine.Totals.Total)
	requireDec(t, "1.00", perDoc.Totals.Total)
	requireDec(t, "0.09", perLine.Totals.VAT) // 8 x 0.01 + 0.01 specific + 0 exempt
	requireDec(t, "0.11", perDoc.Totals.VAT)  // 8 x 0.0130434... + 0.01 = 0.1143...
	require.True(t, perDoc.Totals.Value.Add(perDoc.Totals.SD).Add(perDoc.Totals.VAT).Equal(perDoc.Totals.Total))
}

func TestSmallHelpers(t *testing.T) {
	t.Parallel()
	_, err := CalculateLine(Line{}, false, Rounding{Mode: 5})
	require.ErrorIs(t, err, ErrRounding)
	require.True(t, VATInclusive(d("100"), d("0"), Rounding{}).IsZero())
	require.Equal(t, "half-even per line", Rounding{Mode: HalfEven}.String())

	b, err := json.Marshal(struct{ D Date }{NewDate(2025, 1, 9)})
	require.NoError(t, err)
	require.JSONEq(t, `{"D":"2025-01-09"}`, string(b))
	var bad Date
	require.ErrorIs(t, bad.UnmarshalText([]byte("9 Jan")), ErrDate)

	require.Equal(t, "NoteKind(9)", NoteKind(9).String())
	require.Equal(t, "?", NoteKind(9).Form())
	require.Equal(t, "DenialReason(99)", DenialReason(99).String())
	require.False(t, Credit{}.Has(NotInRegister))
	require.Equal(t, "", TIN{}.String())
	require.Equal(t, "", Mobile{}.String())
	require.Equal(t, "", Mobile{}.Local())
	tin, err := ParseTIN("123456789012")
	require.NoError(t, err)
	require.Equal(t, "123456789012", tin.Digits())
	bin, err := ParseBIN("0028718210101")
	require.NoError(t, err)
	require.Equal(t, "0028718210101", bin.Digits())

	var n AdjustmentNote
	require.Error(t, n.Validate(NoteRules{})) // zero kind, everything missing
	var nilInv *Invoice
	require.ErrorIs(t, nilInv.RenderHTML(nil, InvoiceRules{}), ErrDocumentRequired)
	require.ErrorIs(t, nilInv.RenderPDF(nil, InvoiceRules{}), ErrDocumentRequired)
}

func TestMergeRenames(t *testing.T) {
	t.Parallel()
	extra, err := LoadTable(strings.NewReader(`{"vat": [{"key": "standard", "name": "Standard (renamed)", "values": [
	  {"since": "2019-07-01", "category": "standard", "percent": "15", "source": "re-stated"}]}]}`))
	require.NoError(t, err)
	tab, err := DefaultTable().Merge(extra)
	require.NoError(t, err)
	v, err := tab.VATRate("standard", NewDate(2020, 1, 1))
	require.NoError(t, err)
	require.Equal(t, "re-stated", v.Source) // same since: replaced
	def, err := find(tab.VAT, "standard")
	require.NoError(t, err)
	require.Equal(t, "Standard (renamed)", def.Name)
	require.Len(t, def.Values, 1)
}

// FuzzCalculateLine: no input makes the calculation panic; every success satisfies
// the line invariants, and the integer fast path agrees with the decimal path.
func FuzzCalculateLine(f *testing.F) {
	f.Add("1", "1000", "0", "20", "15", uint8(1), false)
	f.Add("1.5", "33.33", "0.01", "0", "7.5", uint8(2), true)
	f.Add("10", "20", "0", "10", "3.5", uint8(3), false)
	f.Add("123456789012345678901", "1", "0", "0", "15", uint8(1), false)
	f.Fuzz(func(t *testing.T, q, p, disc, sd, pct string, cat uint8, inclusive bool) {
		var in [5]decimal.Decimal
		for i, s := range []string{q, p, disc, sd, pct} {
			if len(s) > 30 {
				return
			}
			v, err := decimal.NewFromString(s)
			if err != nil || v.Exponent() < -30 || v.Exponent() > 30 {
				return
			}
			in[i] = v
		}
		l := Line{Quantity: in[0], UnitPrice: in[1], Discount: in[2], SDPercent: in[3],
			VAT: Rate{Category: Category(cat % 8), Percent: in[4]}}
		if l.VAT.Category == Specific {
			l.VAT = Rate{Category: Specific, PerUnit: in[4]}
		}
		a, err := CalculateLine(l, inclusive, Rounding{})
		if err != nil {
			return
		}
		if a.Value.IsNegative() || a.SD.IsNegative() || a.VAT.IsNegative() ||
			!a.Value.Add(a.SD).Add(a.VAT).Equal(a.Total) {
			t.Fatalf("invariant broken: %+v for %+v", a, l)
		}
		gross := l.Quantity.Mul(l.UnitPrice).Sub(l.Discount)
		slow, err := slowLine(&l, gross, inclusive, Rounding{})
		if err != nil || !slow.VAT.Equal(a.VAT) || !slow.Value.Equal(a.Value) || !slow.Total.Equal(a.Total) {
			t.Fatalf("fast %+v != decimal %+v (%v) for %+v", a, slow, err, l)
		}
	})
}
