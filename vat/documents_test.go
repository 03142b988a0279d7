package vat

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// requireFields checks that err is a *ValidationError whose field errors are exactly
// the given fields, each matching want.
func requireFields(t *testing.T, err error, want error, fields ...string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, err, want)
	var got []string
	for _, e := range ve.Errors {
		var fe *FieldError
		require.ErrorAs(t, e, &fe)
		got = append(got, fe.Field)
	}
	require.ElementsMatch(t, fields, got, err.Error())
}

func TestInvoiceValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, sampleInvoice(t).Validate(InvoiceRules{}))
	tests := []struct {
		name   string
		mod    func(*Invoice)
		rules  InvoiceRules
		want   error
		fields []string
	}{
		{"serial", func(i *Invoice) { i.Serial = " " }, InvoiceRules{}, ErrMissing, []string{"Serial"}},
		{"time", func(i *Invoice) { i.IssuedAt = time.Time{} }, InvoiceRules{}, ErrMissing, []string{"IssuedAt"}},
		{"supplier", func(i *Invoice) { i.Supplier = Party{} }, InvoiceRules{}, ErrMissing,
			[]string{"Supplier.Name", "Supplier.Address", "Supplier.BIN"}},
		{"buyer", func(i *Invoice) { i.Buyer.Name = ""; i.Buyer.Address = "" }, InvoiceRules{}, ErrMissing,
			[]string{"Buyer.Name", "Buyer.Address"}},
		{"legacy supplier BIN", func(i *Invoice) { i.Supplier.BIN, _ = ParseLegacyBIN("123456789") }, InvoiceRules{},
			ErrLegacyBIN, []string{"Supplier.BIN"}},
		{"legacy buyer BIN", func(i *Invoice) { i.Buyer.BIN, _ = ParseLegacyBIN("12345678901") }, InvoiceRules{},
			ErrInvalid, []string{"Buyer.BIN"}},
		{"line fields", func(i *Invoice) { i.Lines[1].Unit = ""; i.Lines[0].Description = "" }, InvoiceRules{}, ErrMissing,
			[]string{"Lines[1].Unit", "Lines[0].Description"}},
		{"line amount", func(i *Invoice) { i.Lines[1].Quantity = d("0") }, InvoiceRules{}, ErrQuantity, []string{"Lines"}},
		{"no lines", func(i *Invoice) { i.Lines = nil }, InvoiceRules{}, ErrNoLines, []string{"Lines"}},
		{"responsible", func(i *Invoice) { i.Responsible = Person{} }, InvoiceRules{}, ErrMissing,
			[]string{"Responsible.Name", "Responsible.Designation"}},
		{"buyer BIN above threshold", func(i *Invoice) { i.Buyer.BIN = BIN{} }, InvoiceRules{BuyerBINAbove: d("1500")},
			ErrBuyerRequired, []string{"Buyer.BIN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv := sampleInvoice(t)
			tc.mod(inv)
			requireFields(t, inv.Validate(tc.rules), tc.want, tc.fields...)
		})
	}
	// total is 1,917.50: at or below the threshold the buyer BIN stays optional
	inv := sampleInvoice(t)
	inv.Buyer.BIN = BIN{}
	require.NoError(t, inv.Validate(InvoiceRules{}))
	require.NoError(t, inv.Validate(InvoiceRules{BuyerBINAbove: d("1917.50")}))
	var nilInv *Invoice
	require.ErrorIs(t, nilInv.Validate(InvoiceRules{}), ErrDocumentRequired)
}

func TestNoteBuyerThreshold(t *testing.T) {
	t.Parallel()
	// reference: "Buyer name, address and BIN are required when the VAT effect exceeds
	// Tk 5,000 (5,000.00 -> optional; 5,000.01 -> required)". A value of 33,333.40 at
	// 15% carries VAT 5,000.01; 33,333.33 carries 5,000.00 (4,999.9995 rounded).
	for _, k := range []NoteKind{CreditNote, DebitNote} {
		n := sampleNote(t, k)
		n.Buyer = Party{}
		n.Lines = []Line{{Description: "price reduction", Unit: "lot", Quantity: d("1"), UnitPrice: d("33333.33"), VAT: StandardRate()}}
		res, err := n.Calculate()
		require.NoError(t, err)
		requireDec(t, "5000.00", res.Totals.VAT)
		require.NoError(t, n.Validate(NoteRules{}), k)

		n.Lines[0].UnitPrice = d("33333.40")
		res, err = n.Calculate()
		require.NoError(t, err)
		requireDec(t, "5000.01", res.Totals.VAT)
		requireFields(t, n.Validate(NoteRules{}), ErrBuyerRequired, "Buyer.Name", "Buyer.Address", "Buyer.BIN")
		require.NoError(t, n.Validate(NoteRules{BuyerRequiredAbove: d("6000")}))
	}
}

func TestNoteValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, sampleNote(t, CreditNote).Validate(NoteRules{}))
	tests := []struct {
		name   string
		mod    func(*AdjustmentNote)
		rules  NoteRules
		want   error
		fields []string
	}{
		{"kind", func(n *AdjustmentNote) { n.Kind = 0 }, NoteRules{}, ErrInvalid, []string{"Kind"}},
		{"original", func(n *AdjustmentNote) { n.Original = InvoiceRef{} }, NoteRules{}, ErrOriginal,
			[]string{"Original.Serial", "Original.IssuedAt"}},
		{"original after note", func(n *AdjustmentNote) { n.Original.IssuedAt = n.IssuedAt.Add(time.Minute) }, NoteRules{},
			ErrOriginal, []string{"Original.IssuedAt"}},
		{"too late", func(*AdjustmentNote) {}, NoteRules{MaxMonths: 0}, nil, nil},
		{"time limit", func(n *AdjustmentNote) { n.IssuedAt = n.Original.IssuedAt.AddDate(0, 7, 0) }, NoteRules{MaxMonths: 6},
			ErrInvalid, []string{"IssuedAt"}},
		{"reason", func(n *AdjustmentNote) { n.Reason = "" }, NoteRules{}, ErrMissing, []string{"Reason"}},
		{"header", func(n *AdjustmentNote) { n.Serial = ""; n.IssuedAt = time.Time{} }, NoteRules{}, ErrMissing,
			[]string{"Serial", "IssuedAt"}},
		{"supplier BIN", func(n *AdjustmentNote) { n.Supplier.BIN = BIN{} }, NoteRules{}, ErrMissing, []string{"Supplier.BIN"}},
		{"legacy buyer", func(n *AdjustmentNote) { n.Buyer.BIN, _ = ParseLegacyBIN("123456789") }, NoteRules{}, ErrLegacyBIN,
			[]string{"Buyer.BIN"}},
		{"line", func(n *AdjustmentNote) { n.Lines[0].UnitPrice = d("-1") }, NoteRules{}, ErrPrice, []string{"Lines"}},
		{"responsible", func(n *AdjustmentNote) { n.Responsible.Designation = "" }, NoteRules{}, ErrMissing,
			[]string{"Responsible.Designation"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := sampleNote(t, DebitNote)
			tc.mod(n)
			err := n.Validate(tc.rules)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireFields(t, err, tc.want, tc.fields...)
		})
	}
	require.Equal(t, "6.7", CreditNote.Form())
	require.Equal(t, "6.8", DebitNote.Form())
	require.Equal(t, "debit note", DebitNote.String())
	var nilNote *AdjustmentNote
	require.ErrorIs(t, nilNote.Validate(NoteRules{}), ErrDocumentRequired)
}

func TestVDSCertificateValidate(t *testing.T) {
	t.Parallel()
	c := sampleCertificate(t)
	require.NoError(t, c.Validate())
	v, vat, w := c.Totals()
	requireDec(t, "159270.30", v)
	requireDec(t, "23890.55", vat)
	requireDec(t, "23890.55", w)
	tests := []struct {
		name   string
		mod    func(*VDSCertificate)
		want   error
		fields []string
	}{
		{"withholder", func(c *VDSCertificate) { c.Withholder = Party{} }, ErrMissing,
			[]string{"Withholder.Name", "Withholder.Address", "Withholder.BIN"}},
		{"no lines", func(c *VDSCertificate) { c.Lines = nil }, ErrNoLines, []string{"Lines"}},
		{"line fields", func(c *VDSCertificate) { c.Lines[0].InvoiceSerial = ""; c.Lines[0].InvoiceDate = Date{} }, ErrMissing,
			[]string{"Lines[0].InvoiceSerial", "Lines[0].InvoiceDate"}},
		{"invoice after certificate", func(c *VDSCertificate) { c.Lines[0].InvoiceDate = NewDate(2026, 2, 1) }, ErrInvalid,
			[]string{"Lines[0].InvoiceDate"}},
		{"over-withheld", func(c *VDSCertificate) { c.Lines[0].Withheld = d("23890.56") }, ErrInvalid, []string{"Lines[0].Withheld"}},
		{"nothing withheld", func(c *VDSCertificate) { c.Lines[0].Withheld = d("0") }, ErrMissing, []string{"Lines[0].Withheld"}},
		{"negative", func(c *VDSCertificate) { c.Lines[0].Value = d("-1") }, ErrAmount, []string{"Lines[0]"}},
		{"deposit", func(c *VDSCertificate) { c.Deposit = TreasuryDeposit{} }, ErrMissing,
			[]string{"Deposit.ChallanNumber", "Deposit.Date"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := sampleCertificate(t)
			tc.mod(c)
			requireFields(t, c.Validate(), tc.want, tc.fields...)
		})
	}
	var nilCert *VDSCertificate
	require.ErrorIs(t, nilCert.Validate(), ErrDocumentRequired)
}

func TestVDSToCertificate(t *testing.T) {
	t.Parallel()
	tab := testVDSTable(t)
	v, err := ComputeVDS(tab, VDSInput{Buyer: Buyer{Kind: LimitedCompany}, ServiceCode: "S-TEST-15",
		Date: NewDate(2026, 1, 15), Base: d("159270.30")}, VDSPolicy{}, Rounding{})
	require.NoError(t, err)
	c := sampleCertificate(t)
	c.Lines = []VDSLine{NewVDSLine("DHK-2025-26-000123", NewDate(2026, 1, 15), v, d("23890.55"))}
	require.NoError(t, c.Validate())
	require.True(t, errors.Is(c.Validate(), nil) || c.Validate() == nil)
}
