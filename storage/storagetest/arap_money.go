package storagetest

import (
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

func (e *arEnv) receive(t testing.TB, r arap.MoneyRequest) arap.Received {
	t.Helper()
	out, err := e.eng.Receive(e.ctx, e.tn, r)
	require.NoError(t, err)
	return out
}

func arApply(id uuid.UUID, amount string) arap.Apply {
	return arap.Apply{Document: id, Amount: arDec(amount)}
}

func testARReceipts(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	a := e.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	b := e.invoice(t, "C1", 2, arLine("Cement", "20", "100", vat.StandardRate(), "")) // 2,300

	// Partial payment of a, by bank.
	r1 := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 10), Channel: arap.Bank,
		Amount: arDec("500"), Reference: "TT-1", Allocations: []arap.Apply{arApply(a.ID, "500")}})
	require.Equal(t, "RC-HO-2026-27-000001", r1.Document.Number)
	arRequireDec(t, "0", r1.Document.Open)
	arRequireDec(t, "650", e.doc(t, a.ID).Open)
	arRequireDec(t, "500", e.balance(t, "1120"))
	arRequireDec(t, "2950", e.balance(t, "1210"))

	// Full payment of the rest of a and of b in one receipt, in cash, with
	// 100 over: an over-payment stays open as a credit.
	r2 := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 12), Channel: arap.Cash,
		Amount: arDec("3050"), Allocations: []arap.Apply{arApply(a.ID, "650"), arApply(b.ID, "2300")}})
	arRequireDec(t, "100", r2.Document.Open)
	require.Len(t, r2.Allocations, 2)
	arRequireDec(t, "0", e.doc(t, a.ID).Open)
	arRequireDec(t, "0", e.doc(t, b.ID).Open)
	arRequireDec(t, "3050", e.balance(t, "1110"))
	arRequireDec(t, "-100", e.balance(t, "1210"))

	// An advance, allocated later (partly, then the rest).
	adv := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 13), Channel: arap.Mobile, Amount: arDec("1000")})
	arRequireDec(t, "1000", adv.Document.Open)
	c := e.invoice(t, "C1", 14, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	items, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable, Party: "C1"})
	require.NoError(t, err)
	require.Len(t, items, 3) // c, the over-payment, the advance
	arRequireDec(t, "50", arSum(items), "open items = control account")
	arRequireDec(t, "50", e.balance(t, "1210"))

	_, err = e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.NewDate(2026, 7, 15), []arap.Apply{arApply(c.ID, "1000")})
	require.NoError(t, err)
	_, err = e.eng.Allocate(e.ctx, e.tn, r2.Document.ID, ledger.NewDate(2026, 7, 16), []arap.Apply{arApply(c.ID, "100")})
	require.NoError(t, err)
	arRequireDec(t, "50", e.doc(t, c.ID).Open)
	arRequireDec(t, "0", e.doc(t, adv.Document.ID).Open)
	al, err := e.eng.Allocations(e.ctx, e.tn, c.ID)
	require.NoError(t, err)
	require.Len(t, al, 2)
	arRequireDec(t, "1000", al[0].Amount)
	require.Equal(t, ledger.NewDate(2026, 7, 15), al[0].Date)
	// Allocating more than is open fails and changes nothing.
	_, err = e.eng.Allocate(e.ctx, e.tn, r2.Document.ID, ledger.Date{}, []arap.Apply{arApply(c.ID, "50")})
	require.ErrorIs(t, err, arap.ErrOverAllocation) // the over-payment is used up
	// As of 14 July the advance was still unallocated.
	old, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: arap.Receivable, AsOf: ledger.NewDate(2026, 7, 14)})
	require.NoError(t, err)
	arRequireDec(t, "50", arSum(old))
	require.Len(t, old, 3)
	arRequireDec(t, "-1000", arOpenOf(old, adv.Document.ID))

	// Payables mirror receivables.
	bill := e.bill(t, "V1", "JSP-1", 3, arap.Bank, arap.Line{Description: "Filter", Unit: "pcs", Quantity: arDec("2"),
		UnitPrice: arDec("500"), VAT: vat.StandardRate(), Account: "5200"})
	pay, err := e.eng.Pay(e.ctx, e.tn, arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 20), Channel: arap.Bank,
		Amount: arDec("1000"), Allocations: []arap.Apply{arApply(bill.ID, "1000")}})
	require.NoError(t, err)
	require.Equal(t, "PV-HO-2026-27-000001", pay.Document.Number)
	arRequireDec(t, "150", e.doc(t, bill.ID).Open)
	arRequireDec(t, "150", e.balance(t, "2100"))
	arRequireDec(t, "500", e.balance(t, "1120"), "bank: 500 and the mobile advance of 1,000 in, 1,000 out")
}

func arSum(items []arap.OpenItem) (s decimal.Decimal) {
	for _, it := range items {
		s = s.Add(it.Open)
	}
	return s
}

func arOpenOf(items []arap.OpenItem, id uuid.UUID) decimal.Decimal {
	for _, it := range items {
		if it.Document == id {
			return it.Open
		}
	}
	return decimal.Decimal{}
}
