package storagetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

func testARVDS(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	// Sales: a withholding customer pays 10,000 and deducts the 1,500 VAT.
	inv := e.invoice(t, "C2", 2, arLine("Excavator hire", "10", "1000", vat.StandardRate(), "")) // 11,500
	cert := &arap.Certificate{Number: "RHD-66-0042", Date: ledger.NewDate(2026, 7, 20), ChallanNumber: "TR-7781", ChallanDate: ledger.NewDate(2026, 7, 19)}
	r := e.receive(t, arap.MoneyRequest{Party: "C2", Date: ledger.NewDate(2026, 7, 20), Channel: arap.Bank, Amount: arDec("10000"),
		Certificate: cert, Allocations: []arap.Apply{{Document: inv.ID, Amount: arDec("11500"), VDS: arDec("1500")}}})
	arRequireDec(t, "11500", r.Document.Totals.Total)
	arRequireDec(t, "1500", r.Document.VDS)
	require.NotNil(t, r.Certificate)
	require.Equal(t, arap.VDSReceived, r.Certificate.Kind)
	require.Equal(t, "RHD-66-0042", r.Certificate.Number)
	require.Len(t, r.Certificate.CertLines, 1)
	require.Equal(t, inv.Number, r.Certificate.CertLines[0].Number)
	arRequireDec(t, "1500", r.Certificate.CertLines[0].Withheld)
	arRequireDec(t, "10000", r.Certificate.CertLines[0].Value)
	stored := e.doc(t, r.Certificate.ID)
	require.Equal(t, "TR-7781", stored.Certificate.ChallanNumber)
	arRequireDec(t, "0", e.doc(t, inv.ID).Open)
	arRequireDec(t, "1500", e.doc(t, inv.ID).Withheld)
	arRequireDec(t, "10000", e.balance(t, "1120"))
	arRequireDec(t, "1500", e.balance(t, "1220"))
	arRequireDec(t, "0", e.balance(t, "1210"))

	// Purchases: the company (a limited company) withholds from a vendor
	// and issues a 6.6 from its own gapless series.
	bill := e.bill(t, "V1", "JSP-77", 3, arap.Bank, arap.Line{Description: "Repair service", Unit: "job", Quantity: arDec("1"),
		UnitPrice: arDec("10000"), VAT: vat.StandardRate(), Account: "5200"})
	p, err := e.eng.Pay(e.ctx, e.tn, arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 21), Channel: arap.Bank,
		Amount: arDec("10000"), Allocations: []arap.Apply{{Document: bill.ID, Amount: arDec("11500"), VDS: arDec("1500")}},
		Certificate: &arap.Certificate{ChallanNumber: "TR-9001", ChallanDate: ledger.NewDate(2026, 7, 21)}})
	require.NoError(t, err)
	var html bytes.Buffer
	require.NoError(t, e.eng.Render(e.ctx, e.tn, p.Certificate.ID, arap.HTML, &html))
	require.Contains(t, html.String(), "6.6")
	require.Contains(t, html.String(), "VDS-HO-2026-27-000001")
	require.Contains(t, html.String(), "TR-9001")
	require.NotNil(t, p.Certificate)
	require.Equal(t, arap.VDSIssued, p.Certificate.Kind)
	require.Equal(t, "VDS-HO-2026-27-000001", p.Certificate.Number)
	require.Equal(t, "JSP-77", p.Certificate.CertLines[0].Number)
	arRequireDec(t, "1500", e.balance(t, "2230"))
	arRequireDec(t, "0", e.balance(t, "2100"))
	arRequireDec(t, "0", e.balance(t, "1120"))

	// The suggested VDS comes from the rate table through vat.ComputeVDS.
	extra, err := vat.LoadTable(strings.NewReader(`{"vds": [{"key": "S099", "name": "repair and servicing", "values": [
		{"since": "2025-07-01", "percent": "10", "source": "test table"}]}]}`))
	require.NoError(t, err)
	tab, err := vat.DefaultTable().Merge(extra)
	require.NoError(t, err)
	sug := arap.New(st, arap.Config{Company: ARCompany, Rates: tab})
	v, err := sug.SuggestVDS(bill, "S099", ledger.NewDate(2026, 7, 21), ARCompany(e.tn))
	require.NoError(t, err)
	arRequireDec(t, "1000", v)
	_, err = sug.SuggestVDS(bill, "S000", ledger.NewDate(2026, 7, 21), ARCompany(e.tn))
	require.ErrorIs(t, err, arap.ErrVDS)
	require.ErrorIs(t, err, vat.ErrRateNotFound)
}

func testARNotes(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	inv := e.invoice(t, "C1", 2, arLine("Cement", "20", "100", vat.StandardRate(), "")) // 2,300
	// Five bags returned: 500 + 75 VAT, allocated to the invoice.
	cn, err := e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: inv.ID, Reason: "5 bags returned damaged",
		Lines: []arap.Line{arLine("Cement returned", "5", "100", vat.StandardRate(), "")}, At: arAt(4, 11)})
	require.NoError(t, err)
	require.Equal(t, "CN-HO-2026-27-000001", cn.Number)
	arRequireDec(t, "575", cn.Totals.Total)
	arRequireDec(t, "0", cn.Open)
	got := e.doc(t, inv.ID)
	arRequireDec(t, "1725", got.Open)
	arRequireDec(t, "575", got.Credited)
	require.Equal(t, arap.Issued, got.Status)
	arRequireDec(t, "225", e.balance(t, "2210"))
	arRequireDec(t, "1500", e.balance(t, "4100"))
	arRequireDec(t, "1725", e.balance(t, "1210"))

	// A debit note raises the price: a charge of its own.
	dn, err := e.eng.DebitNote(e.ctx, e.tn, arap.NoteRequest{Original: inv.ID, Reason: "price revision",
		Lines: []arap.Line{arLine("Price difference", "1", "200", vat.StandardRate(), "")}, At: arAt(5, 11)})
	require.NoError(t, err)
	require.Equal(t, "DN-HO-2026-27-000001", dn.Number)
	arRequireDec(t, "230", dn.Open)
	require.Equal(t, ledger.NewDate(2026, 8, 4), dn.DueDate)
	arRequireDec(t, "1955", e.balance(t, "1210"))
	arRequireDec(t, "255", e.balance(t, "2210"))

	// Crediting the rest cancels the invoice and leaves nothing of it open.
	_, err = e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: inv.ID, Reason: "order cancelled",
		Lines: []arap.Line{arLine("Cement returned", "15", "100", vat.StandardRate(), "")}, At: arAt(6, 11)})
	require.NoError(t, err)
	got = e.doc(t, inv.ID)
	require.Equal(t, arap.Cancelled, got.Status)
	arRequireDec(t, "0", got.Open)
	arRequireDec(t, "230", e.balance(t, "1210"), "only the debit note is open")
	_, err = e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: inv.ID, Reason: "again",
		Lines: []arap.Line{arLine("Cement", "1", "100", vat.StandardRate(), "")}, At: arAt(6, 12)})
	require.ErrorIs(t, err, arap.ErrCancelled)

	// CancelInvoice credits every line; a second cancel fails.
	inv2 := e.invoice(t, "C1", 3, arLine("Sand", "3", "100", vat.StandardRate(), "10"))
	full, err := e.eng.CancelInvoice(e.ctx, e.tn, inv2.ID, "issued in error", arap.IssueOptions{At: arAt(3, 15)})
	require.NoError(t, err)
	arRequireDec(t, inv2.Totals.Total.String(), full.Totals.Total)
	require.Equal(t, arap.Cancelled, e.doc(t, inv2.ID).Status)
	_, err = e.eng.CancelInvoice(e.ctx, e.tn, inv2.ID, "again", arap.IssueOptions{At: arAt(3, 16)})
	require.ErrorIs(t, err, arap.ErrCancelled)

	// Buyer details are required above Tk 5,000 of VAT effect: 5,000.00 is
	// allowed without them, 5,000.01 is not (C3 has no BIN).
	big := e.invoice(t, "C3", 4, arLine("Gravel", "1", "100000", vat.StandardRate(), "")) // VAT 15,000
	_, err = e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: big.ID, Reason: "discount",
		Lines: []arap.Line{arLine("Discount", "1", "33333.40", vat.StandardRate(), "")}, At: arAt(5, 9)}) // VAT 5,000.01
	require.ErrorIs(t, err, vat.ErrBuyerRequired)
	_, err = e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: big.ID, Reason: "discount",
		Lines: []arap.Line{arLine("Discount", "1", "33333.33", vat.StandardRate(), "")}, At: arAt(5, 9)}) // VAT 5,000.00
	require.NoError(t, err)

	// A credit note on a paid invoice stays open: a credit the customer has.
	paid := e.invoice(t, "C1", 7, arLine("Cement", "1", "100", vat.StandardRate(), ""))
	e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 8), Channel: arap.Cash, Amount: arDec("115"),
		Allocations: []arap.Apply{arApply(paid.ID, "115")}})
	refund, err := e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: paid.ID, Reason: "returned",
		Lines: []arap.Line{arLine("Cement", "1", "100", vat.StandardRate(), "")}, At: arAt(9, 9)})
	require.NoError(t, err)
	arRequireDec(t, "115", refund.Open)

	// Vendor notes: a credit note gives back input VAT in the bill's proportion.
	bill := e.bill(t, "V1", "JSP-5", 3, arap.Bank, arap.Line{Description: "Tyres", Unit: "pcs", Quantity: arDec("4"),
		UnitPrice: arDec("250"), VAT: vat.StandardRate(), Account: "5200"})
	vcn, err := e.eng.VendorCreditNote(e.ctx, e.tn, arap.NoteRequest{Original: bill.ID, Reason: "one tyre returned",
		Number: "JSP-CN-1", Date: ledger.NewDate(2026, 7, 6), Lines: []arap.Line{{Description: "Tyre", Unit: "pcs",
			Quantity: arDec("1"), UnitPrice: arDec("250"), VAT: vat.StandardRate()}}, At: arAt(6, 12)})
	require.NoError(t, err)
	arRequireDec(t, "287.5", vcn.Totals.Total)
	arRequireDec(t, "37.5", vcn.Lines[0].InputVAT)
	arRequireDec(t, "112.5", e.balance(t, "1400"))
	arRequireDec(t, "862.5", e.balance(t, "2100"))
	arRequireDec(t, "750", e.balance(t, "5200"))
	arRequireDec(t, "862.5", e.doc(t, bill.ID).Open)
	vdn, err := e.eng.VendorDebitNote(e.ctx, e.tn, arap.NoteRequest{Original: bill.ID, Reason: "freight",
		Number: "JSP-DN-1", Date: ledger.NewDate(2026, 7, 7), Lines: []arap.Line{{Description: "Freight", Unit: "trip",
			Quantity: arDec("1"), UnitPrice: arDec("100"), VAT: vat.StandardRate()}}, At: arAt(7, 12)})
	require.NoError(t, err)
	arRequireDec(t, "115", vdn.Open)
	arRequireDec(t, "127.5", e.balance(t, "1400"))
	arRequireDec(t, "977.5", e.balance(t, "2100"))
}
