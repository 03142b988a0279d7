package storagetest

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/erpkit/erpkit/vat"
)

func (e *arEnv) invoiceAt(t testing.TB, party string, at time.Time, lines ...arap.Line) arap.Document {
	t.Helper()
	d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: party, Lines: lines})
	require.NoError(t, err)
	is, err := e.eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: at})
	require.NoError(t, err)
	return is.Document
}

func arDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 11, 0, 0, 0, vat.Dhaka()) }

// testARReports: open items, aging buckets and a party statement on known
// dates. As of 15 October 2026: D (due 31 May) is 137 days overdue, A (due
// 31 July) 76, E (due 25 August, C2) 51, B (due 1 October) 14, and C (due 9
// November) is not due.
func testARReports(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	l := func(price string) arap.Line { return arLine("Hire", "1", price, vat.StandardRate(), "") }
	d := e.invoiceAt(t, "C1", arDay(2026, 5, 1), l("1000"))  // 1,150
	a := e.invoiceAt(t, "C1", arDay(2026, 7, 1), l("2000"))  // 2,300
	b := e.invoiceAt(t, "C1", arDay(2026, 9, 1), l("3000"))  // 3,450
	c := e.invoiceAt(t, "C1", arDay(2026, 10, 10), l("400")) // 460
	_ = e.invoiceAt(t, "C2", arDay(2026, 8, 10), l("100"))   // 115
	e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 8, 1), Channel: arap.Bank, Amount: arDec("1300"),
		Allocations: []arap.Apply{arApply(a.ID, "1000")}}) // a: 1,300 open; 300 unapplied
	e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 10, 20), Channel: arap.Bank, Amount: arDec("1150"),
		Allocations: []arap.Apply{arApply(d.ID, "1150")}}) // after the as-of date

	asOf := ledger.NewDate(2026, 10, 15)
	ag, err := e.eng.Aging(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable, AsOf: asOf})
	require.NoError(t, err)
	require.Len(t, ag.Rows, 2)
	c1 := ag.Rows[0]
	require.Equal(t, "C1", c1.Party)
	arRequireDec(t, "460", c1.NotDue)
	arRequireDec(t, "3450", c1.Days1To30)
	arRequireDec(t, "0", c1.Days31To60)
	arRequireDec(t, "1300", c1.Days61To90)
	arRequireDec(t, "1150", c1.Over90, "D was still open on 15 October")
	arRequireDec(t, "-300", c1.Unapplied)
	arRequireDec(t, "6060", c1.Total)
	arRequireDec(t, "115", ag.Rows[1].Days31To60)
	arRequireDec(t, "6175", ag.Total.Total)
	// On 31 October D is paid and A, 92 days overdue, is over 90.
	now, err := e.eng.Aging(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable, AsOf: ledger.NewDate(2026, 10, 31)})
	require.NoError(t, err)
	arRequireDec(t, "1300", now.Rows[0].Over90)
	arRequireDec(t, "0", now.Rows[0].Days61To90)
	items, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable, Party: "C1"})
	require.NoError(t, err)
	require.Len(t, items, 4) // a, b, c and the unapplied 300
	arRequireDec(t, e.balance(t, "1210").Sub(arDec("115")).String(), arSum(items))
	// As of a date before c was issued, c is not an item.
	early, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable, Party: "C1", AsOf: ledger.NewDate(2026, 9, 30)})
	require.NoError(t, err)
	arRequireDec(t, "5600", arSum(early)) // 1,150 + 1,300 + 3,450 - 300
	bal, err := e.gl.Balance(e.ctx, e.tn, "1210", "BDT", ledger.NewDate(2026, 9, 30))
	require.NoError(t, err)
	arRequireDec(t, bal.Balance.String(), arSum(early).Add(arDec("115")), "control account as of the date")

	s, err := e.eng.PartyStatement(e.ctx, e.tn, "C1", arap.Receivable, ledger.NewDate(2026, 7, 1), ledger.NewDate(2026, 10, 31))
	require.NoError(t, err)
	arRequireDec(t, "1150", s.Opening)
	require.Len(t, s.Lines, 5)
	require.Equal(t, a.Number, s.Lines[0].Number)
	arRequireDec(t, "3450", s.Lines[0].Balance)
	arRequireDec(t, "1300", s.Lines[1].Credit)
	arRequireDec(t, "2150", s.Lines[1].Balance)
	require.Equal(t, b.Number, s.Lines[2].Number)
	require.Equal(t, c.Number, s.Lines[3].Number)
	arRequireDec(t, "4910", s.Closing)
	arRequireDec(t, "4910", arSum(items))
	_, err = e.eng.PartyStatement(e.ctx, e.tn, "C1", "sideways", ledger.NewDate(2026, 7, 1), ledger.NewDate(2026, 10, 31))
	require.ErrorIs(t, err, arap.ErrInvalidQuery)
}

// testARReturn: the 9.1 return of July 2026 computed from the stored
// documents through the vat package.
func testARReturn(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	std := e.invoice(t, "C2", 2, arLine("Excavator hire", "10", "1000", vat.StandardRate(), ""))  // 10,000 + 1,500
	e.invoice(t, "C1", 3, arLine("Bricks", "100", "10", vat.PercentRate(vat.Reduced, "7.5"), "")) // 1,000 + 75
	_, err := e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: std.ID, Reason: "one day not worked",
		Lines: []arap.Line{arLine("Excavator hire", "1", "1000", vat.StandardRate(), "")}, At: arAt(5, 10)}) // VAT 150
	require.NoError(t, err)
	_, err = e.eng.DebitNote(e.ctx, e.tn, arap.NoteRequest{Original: std.ID, Reason: "fuel surcharge",
		Lines: []arap.Line{arLine("Fuel surcharge", "1", "200", vat.StandardRate(), "")}, At: arAt(6, 10)}) // VAT 30
	require.NoError(t, err)
	e.receive(t, arap.MoneyRequest{Party: "C2", Date: ledger.NewDate(2026, 7, 20), Channel: arap.Bank, Amount: arDec("8500"),
		Certificate: &arap.Certificate{Number: "RHD-1", Date: ledger.NewDate(2026, 7, 20)},
		Allocations: []arap.Apply{{Document: std.ID, Amount: arDec("9850"), VDS: arDec("1350")}}})
	b1 := e.bill(t, "V1", "JSP-1", 4, arap.Bank, arap.Line{Description: "Parts", Unit: "pcs", Quantity: arDec("2"),
		UnitPrice: arDec("1000"), VAT: vat.StandardRate(), Account: "5200"}) // 2,000 + 300 credited
	e.bill(t, "V2", "LW-1", 5, arap.Bank, arap.Line{Description: "Welding", Unit: "job", Quantity: arDec("1"),
		UnitPrice: arDec("1000"), VAT: vat.StandardRate(), Account: "5200"}) // unregistered: note 20
	_, err = e.eng.Pay(e.ctx, e.tn, arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 25), Channel: arap.Bank,
		Amount: arDec("2000"), Allocations: []arap.Apply{{Document: b1.ID, Amount: arDec("2300"), VDS: arDec("300")}}})
	require.NoError(t, err)
	// August documents stay out of July's return.
	e.invoiceAt(t, "C1", arDay(2026, 8, 1), arLine("Cement", "1", "100", vat.StandardRate(), ""))

	july := vat.MonthOf(vat.NewDate(2026, 7, 1))
	sales, err := e.eng.SalesRegister(e.ctx, e.tn, july)
	require.NoError(t, err)
	require.Len(t, sales, 2)
	require.Equal(t, vat.StandardSale, sales[0].Note)
	require.Equal(t, vat.OtherRateSale, sales[1].Note)
	purchases, err := e.eng.PurchaseRegister(e.ctx, e.tn, july)
	require.NoError(t, err)
	require.Len(t, purchases, 2)
	require.Equal(t, vat.StandardLocal, purchases[0].Note)
	require.Equal(t, vat.FromUnregistered, purchases[1].Note)

	r, err := e.eng.Return(e.ctx, e.tn, july)
	require.NoError(t, err)
	arRequireDec(t, "1500", r.Note(4).VAT)
	arRequireDec(t, "75", r.Note(7).VAT)
	arRequireDec(t, "1575", r.Note(9).VAT)
	arRequireDec(t, "11000", r.Note(9).Value)
	arRequireDec(t, "300", r.Note(14).VAT)
	arRequireDec(t, "150", r.Note(20).VAT)
	arRequireDec(t, "300", r.Note(23).VAT)
	arRequireDec(t, "300", r.Note(24).VAT)
	arRequireDec(t, "30", r.Note(26).VAT)
	arRequireDec(t, "330", r.Note(28).VAT)
	arRequireDec(t, "1350", r.Note(29).VAT)
	arRequireDec(t, "150", r.Note(31).VAT)
	arRequireDec(t, "1500", r.Note(33).VAT)
	arRequireDec(t, "105", r.NetPayable()) // 1,575 - 300 + 330 - 1,500
	require.Equal(t, 2, r.SalesLines)
	require.Equal(t, 2, r.PurchaseLines)
}

func testARRender(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	inv := e.invoice(t, "C1", 2, arLine("Portland cement", "10", "500", vat.StandardRate(), ""))
	var html bytes.Buffer
	require.NoError(t, e.eng.Render(e.ctx, e.tn, inv.ID, arap.HTML, &html))
	require.Contains(t, html.String(), inv.Number)
	require.Contains(t, html.String(), "6.3")
	require.Contains(t, html.String(), "Meghna Cement Mills Ltd")
	var pdf bytes.Buffer
	require.NoError(t, e.eng.Render(e.ctx, e.tn, inv.ID, arap.PDF, &pdf))
	require.True(t, strings.HasPrefix(pdf.String(), "%PDF"))
	cn, err := e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: inv.ID, Reason: "2 bags returned",
		Lines: []arap.Line{arLine("Portland cement", "2", "500", vat.StandardRate(), "")}, At: arAt(3, 10)})
	require.NoError(t, err)
	html.Reset()
	require.NoError(t, e.eng.Render(e.ctx, e.tn, cn.ID, arap.HTML, &html))
	require.Contains(t, html.String(), "6.7")
	require.Contains(t, html.String(), inv.Number)
	draft, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("x", "1", "1", vat.StandardRate(), "")}})
	require.NoError(t, err)
	require.ErrorIs(t, e.eng.Render(e.ctx, e.tn, draft.ID, arap.HTML, &html), arap.ErrNotPosted)
	rc := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 4), Channel: arap.Cash, Amount: arDec("1")})
	require.ErrorIs(t, e.eng.Render(e.ctx, e.tn, rc.Document.ID, arap.HTML, &html), arap.ErrWrongKind)
}

// testAREvents: each write appends its events to the adapter's event log in
// its transaction.
func testAREvents(t *testing.T, st ARStore) {
	log, ok := st.(interface {
		SyncEvents(ctx context.Context, tenant string, after int64, limit int) (erpsync.EventPage, error)
	})
	if !ok {
		t.Skip("the adapter has no event log")
	}
	e := arSetup(t, st)
	inv := e.invoice(t, "C1", 2, arLine("Cement", "1", "100", vat.StandardRate(), ""))
	rc := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 3), Channel: arap.Cash, Amount: arDec("115"),
		Allocations: []arap.Apply{arApply(inv.ID, "115")}})
	page, err := log.SyncEvents(e.ctx, e.tn, 0, 1000)
	require.NoError(t, err)
	count := map[string]int{}
	var issued, paid bool
	for _, ev := range page.Events {
		count[ev.Type]++
		if ev.Type == "arap.document.saved" && ev.Entity.ID == inv.ID.String() {
			var d map[string]string
			require.NoError(t, json.Unmarshal(ev.Data, &d))
			issued = issued || d["status"] == "issued" && d["number"] == inv.Number && d["open"] == "115"
			paid = paid || d["status"] == "issued" && d["open"] == "0"
		}
	}
	require.Equal(t, 5, count["arap.party.saved"])
	require.Equal(t, 1, count["arap.allocation.created"])
	require.Equal(t, 2, count["ledger.entry.posted"])
	require.True(t, issued, "the invoice's issue")
	require.True(t, paid, "the invoice paid by %s", rc.Document.Number)
}
