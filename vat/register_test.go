package vat

import (
	"errors"
	"iter"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestReturnFromRegisters(t *testing.T) {
	t.Parallel()
	jan := MonthOf(NewDate(2026, 1, 1))
	// Amounts of the reference's rounding examples (taken from published returns):
	// 3,717,678.34 at 15% -> 557,651.75; 3,576,687.89 at 5% -> 178,834.39;
	// 159,270.30 at 15% -> 23,890.55.
	sales := []SalesLine{
		{Date: NewDate(2026, 1, 5), InvoiceSerial: "S1", Value: d("3717678.34"), VAT: VATExclusive(d("3717678.34"), d("15"), Rounding{}), Note: StandardSale},
		{Date: NewDate(2026, 1, 6), InvoiceSerial: "S2", Value: d("3576687.89"), VAT: VATExclusive(d("3576687.89"), d("5"), Rounding{}), Note: OtherRateSale},
		{Date: NewDate(2026, 1, 7), InvoiceSerial: "S3", Value: d("1000"), SD: d("200"), VAT: d("180"), Note: StandardSale},
		{Date: NewDate(2026, 1, 31), InvoiceSerial: "S4", Value: d("50000"), Note: DirectExport},
		{Date: NewDate(2026, 1, 8), InvoiceSerial: "S5", Value: d("700"), Note: ExemptSale},
	}
	purchases := []PurchaseLine{
		{Date: NewDate(2026, 1, 2), InvoiceSerial: "P1", Value: d("159270.30"), VAT: d("23890.55"), Note: StandardLocal},
		{Date: NewDate(2026, 1, 3), InvoiceSerial: "P2", Value: d("10000"), VAT: d("1500"), Note: StandardImport},
		{Date: NewDate(2026, 1, 3), InvoiceSerial: "P3", Value: d("2000"), VAT: d("80"), Note: FromTurnoverUnit},
		{Date: NewDate(2026, 1, 4), InvoiceSerial: "P4", Value: d("3000"), Note: ExemptLocal},
		{Date: NewDate(2026, 1, 9), InvoiceSerial: "P5", Value: d("4000"), VAT: d("600"), Note: NotAdmissibleLocal},
	}
	adj := []Adjustment{
		{Note: 24, VAT: d("1500"), Description: "VDS withheld on our purchases (6.6 issued)"},
		{Note: 26, VAT: d("45"), Description: "debit note 6.8"},
		{Note: 29, VAT: d("23890.55"), Description: "VDS withheld by customer (6.6 received)"},
		{Note: 31, VAT: d("180"), Description: "credit note 6.7"},
	}
	r, err := ComputeReturn(jan, seq2(sales), seq2(purchases), adj)
	require.NoError(t, err)
	require.Equal(t, 5, r.SalesLines)
	require.Equal(t, 5, r.PurchaseLines)

	requireDec(t, "557651.75", r.Note(4).VAT.Sub(d("180")))
	requireDec(t, "178834.39", r.Note(7).VAT)
	n9 := r.Note(9)
	requireDec(t, "7346066.23", n9.Value) // 3,717,678.34 + 3,576,687.89 + 1,000 + 50,000 + 700
	requireDec(t, "200", n9.SD)
	requireDec(t, "736666.14", n9.VAT) // 557,651.75 + 178,834.39 + 180
	requireDec(t, "50000", r.Note(1).Value)
	requireDec(t, "700", r.Note(3).Value)
	requireDec(t, "25390.55", r.Note(23).VAT) // 23,890.55 + 1,500; notes 19 and 21 not admissible
	requireDec(t, "80", r.Note(19).VAT)
	requireDec(t, "600", r.Note(21).VAT)
	requireDec(t, "1545", r.Note(28).VAT)
	requireDec(t, "24070.55", r.Note(33).VAT)
	// note 34 = 736,666.14 - 25,390.55 + 1,545 - 24,070.55
	requireDec(t, "688750.04", r.NetPayable())
	requireDec(t, "688750.04", r.Note(34).VAT)
	require.True(t, r.Note(0).VAT.IsZero())
	require.True(t, r.Note(35).VAT.IsZero())
}

func seq2[T any](xs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func TestReturnErrors(t *testing.T) {
	t.Parallel()
	jan := MonthOf(NewDate(2026, 1, 1))
	b, err := NewReturnBuilder(jan)
	require.NoError(t, err)
	ok := SalesLine{Date: NewDate(2026, 1, 1), Value: d("1"), Note: StandardSale}
	require.NoError(t, b.AddSale(ok))
	bad := ok
	bad.Date = NewDate(2026, 2, 1)
	require.ErrorIs(t, b.AddSale(bad), ErrOutsidePeriod)
	bad = ok
	bad.Note = 9
	require.ErrorIs(t, b.AddSale(bad), ErrSaleKind)
	bad = ok
	bad.VAT = d("-1")
	require.ErrorIs(t, b.AddSale(bad), ErrAmount)
	p := PurchaseLine{Date: NewDate(2026, 1, 31), Value: d("1"), Note: StandardLocal}
	require.NoError(t, b.AddPurchase(p))
	badP := p
	badP.Note = 23
	require.ErrorIs(t, b.AddPurchase(badP), ErrPurchaseKind)
	badP = p
	badP.Date = NewDate(2025, 12, 31)
	require.ErrorIs(t, b.AddPurchase(badP), ErrOutsidePeriod)
	badP = p
	badP.SD = d("-0.01")
	require.ErrorIs(t, b.AddPurchase(badP), ErrAmount)
	for _, n := range []int{0, 9, 23, 28, 33, 34} {
		require.ErrorIs(t, b.Adjust(Adjustment{Note: n, VAT: d("1")}), ErrNoteNumber, n)
	}
	require.ErrorIs(t, b.Adjust(Adjustment{Note: 24, VAT: d("-1")}), ErrAmount)
	_, err = NewReturnBuilder(Period{Start: NewDate(2026, 1, 1), Length: 4})
	require.ErrorIs(t, err, ErrPeriodLength)
	_, err = NewReturnBuilder(Period{})
	require.ErrorIs(t, err, ErrDate)

	// a failing source stops the computation with its error
	boom := errors.New("disk gone")
	failing := func(yield func(SalesLine, error) bool) { yield(SalesLine{}, boom) }
	_, err = ComputeReturn(jan, failing, nil, nil)
	require.ErrorIs(t, err, boom)
	_, err = ComputeReturn(jan, nil, seq2([]PurchaseLine{badP}), nil)
	require.ErrorIs(t, err, ErrAmount)
	_, err = ComputeReturn(jan, nil, nil, []Adjustment{{Note: 1}})
	require.ErrorIs(t, err, ErrNoteNumber)
	_, err = ComputeReturn(Period{Length: 3}, nil, nil, nil)
	require.ErrorIs(t, err, ErrPeriodLength)
	r, err := ComputeReturn(jan, nil, nil, nil)
	require.NoError(t, err)
	require.True(t, r.NetPayable().IsZero())
}

func TestReturnQuarterly(t *testing.T) {
	t.Parallel()
	q, err := PeriodOf(NewDate(2026, 8, 1), Quarterly)
	require.NoError(t, err)
	r, err := ComputeReturn(q, seq2([]SalesLine{
		{Date: NewDate(2026, 7, 1), Value: d("100"), VAT: d("15"), Note: StandardSale},
		{Date: NewDate(2026, 9, 30), Value: d("100"), VAT: d("15"), Note: StandardSale},
	}), nil, nil)
	require.NoError(t, err)
	requireDec(t, "30", r.NetPayable())
}

func TestSaleNoteFor(t *testing.T) {
	t.Parallel()
	want := map[Category]SaleNote{Standard: 4, Reduced: 7, Specific: 6, Trade: 8, ZeroRated: 1, Exempt: 3}
	for c, n := range want {
		got, err := SaleNoteFor(c)
		require.NoError(t, err)
		require.Equal(t, n, got)
	}
	_, err := SaleNoteFor(Turnover)
	require.ErrorIs(t, err, ErrSaleKind)
}

func TestAccum(t *testing.T) {
	t.Parallel()
	var a accum
	vals := []string{"0.01", "123.4", "5", "1e2", "0.001", "-7.25", "99999999999999.99", "9223372036854775807", "0.125"}
	want := decimal.Zero
	for _, v := range vals {
		a.add(d(v))
		want = want.Add(d(v))
	}
	requireDec(t, want.String(), a.value())
	// overflow of the int64 fast path falls back to the exact sum
	var b accum
	big := d("90000000000000.00")
	total := decimal.Zero
	for range 200_000 {
		b.add(big)
		total = total.Add(big)
	}
	requireDec(t, total.String(), b.value())
}
