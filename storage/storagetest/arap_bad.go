package storagetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

type arBadCase struct {
	name string
	want error
	call func() error
}

// testARBadInput: every bad request fails with its specific error and
// leaves every row of the tenant (arap and ledger tables, serial counters
// included) as it was.
func testARBadInput(t *testing.T, st ARStore, rows ARRows) {
	e := arSetup(t, st)
	ctx, tn, eng := e.ctx, e.tn, e.eng
	_, err := eng.CreateParty(ctx, tn, arap.Party{Code: "C4", Customer: true, LegalName: "Blocked Buyer", Address: "Sylhet"})
	require.NoError(t, err)
	blockedDraft, err := eng.CreateInvoice(ctx, tn, arap.DraftRequest{Party: "C4", Lines: []arap.Line{arLine("x", "1", "10", vat.StandardRate(), "")}})
	require.NoError(t, err)
	c4, err := eng.Party(ctx, tn, "C4")
	require.NoError(t, err)
	c4.Blocked = true
	_, err = eng.UpdateParty(ctx, tn, c4)
	require.NoError(t, err)

	inv := e.invoice(t, "C1", 2, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	c2inv := e.invoice(t, "C2", 2, arLine("Hire", "1", "1000", vat.StandardRate(), "")) // 1,150, VAT 150
	draft, err := eng.CreateInvoice(ctx, tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("Sand", "1", "100", vat.StandardRate(), "")}})
	require.NoError(t, err)
	bigC3, err := eng.CreateInvoice(ctx, tn, arap.DraftRequest{Party: "C3", Lines: []arap.Line{arLine("Gravel", "1", "50000", vat.StandardRate(), "")}})
	require.NoError(t, err)
	badAcct, err := eng.CreateInvoice(ctx, tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{{Description: "Misc", Unit: "pcs",
		Quantity: arDec("1"), UnitPrice: arDec("10"), VAT: vat.StandardRate(), Account: "9999"}}})
	require.NoError(t, err)
	cancelled := e.invoice(t, "C1", 3, arLine("Stone", "1", "100", vat.StandardRate(), ""))
	_, err = eng.CancelInvoice(ctx, tn, cancelled.ID, "wrong customer", arap.IssueOptions{At: arAt(3, 12)})
	require.NoError(t, err)
	over := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 4), Channel: arap.Bank, Amount: arDec("100")})
	bill := e.bill(t, "V1", "JSP-9", 2, arap.Bank, arap.Line{Description: "Oil", Unit: "l", Quantity: arDec("10"),
		UnitPrice: arDec("100"), VAT: vat.StandardRate(), Account: "5300"})

	other := arSetup(t, st) // another tenant with its own parties and documents
	_, err = other.eng.CreateParty(ctx, other.tn, arap.Party{Code: "ZB1", Customer: true, LegalName: "B's customer", Address: "Cox's Bazar"})
	require.NoError(t, err)
	otherDraft, err := other.eng.CreateInvoice(ctx, other.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("x", "1", "10", vat.StandardRate(), "")}})
	require.NoError(t, err)

	strict := arap.New(st, arap.Config{Company: ARCompany, InvoiceRules: vat.InvoiceRules{BuyerBINAbove: arDec("25000")}})
	noBIN := arap.New(st, arap.Config{Company: func(string) arap.Company {
		c := ARCompany(tn)
		c.Party.BIN = vat.BIN{}
		return c
	}})
	line := arLine("Cement", "1", "100", vat.StandardRate(), "")
	party := func(p arap.Party) func() error {
		return func() error { _, err := eng.CreateParty(ctx, tn, p); return err }
	}
	invoice := func(d arap.DraftRequest) func() error {
		return func() error { _, err := eng.CreateInvoice(ctx, tn, d); return err }
	}
	issue := func(en *arap.Engine, id uuid.UUID) func() error {
		return func() error { _, err := en.IssueInvoice(ctx, tn, id, arap.IssueOptions{At: arAt(9, 9)}); return err }
	}
	receive := func(r arap.MoneyRequest) func() error {
		return func() error {
			if r.Date.IsZero() {
				r.Date = ledger.NewDate(2026, 7, 10)
			}
			if r.Channel == "" {
				r.Channel = arap.Bank
			}
			_, err := eng.Receive(ctx, tn, r)
			return err
		}
	}
	credit := func(r arap.NoteRequest) func() error {
		return func() error { r.At = arAt(9, 9); _, err := eng.CreditNote(ctx, tn, r); return err }
	}
	cert := &arap.Certificate{Number: "66-1", Date: ledger.NewDate(2026, 7, 10)}

	cases := []arBadCase{
		{"empty tenant", arap.ErrInvalidTenant, func() error { _, err := eng.Parties(ctx, ""); return err }},
		{"party BIN of 5 digits", vat.ErrLength, party(arap.Party{Code: "P1", Customer: true, LegalName: "x", Address: "y", BIN: "12345"})},
		{"party legacy 9-digit BIN", vat.ErrLegacyBIN, party(arap.Party{Code: "P1", Customer: true, LegalName: "x", Address: "y", BIN: "123456789"})},
		{"VAT-registered party without BIN", arap.ErrInvalidParty, party(arap.Party{Code: "P1", Customer: true, LegalName: "x", Address: "y", VATRegistered: true})},
		{"party mobile with a bad prefix", vat.ErrPrefix, party(arap.Party{Code: "P1", Customer: true, LegalName: "x", Address: "y", Mobile: "01212345678"})},
		{"party neither customer nor vendor", arap.ErrInvalidParty, party(arap.Party{Code: "P1", LegalName: "x", Address: "y"})},
		{"party code taken", arap.ErrPartyExists, party(arap.Party{Code: "C1", Customer: true, LegalName: "x", Address: "y"})},
		{"invoice to an unknown party", arap.ErrPartyNotFound, invoice(arap.DraftRequest{Party: "NOPE", Lines: []arap.Line{line}})},
		{"invoice to another tenant's party", arap.ErrPartyNotFound, invoice(arap.DraftRequest{Party: "ZB1", Lines: []arap.Line{line}})},
		{"invoice to a vendor", arap.ErrWrongParty, invoice(arap.DraftRequest{Party: "V1", Lines: []arap.Line{line}})},
		{"invoice without lines", arap.ErrInvalidDocument, invoice(arap.DraftRequest{Party: "C1"})},
		{"invoice line of zero quantity", vat.ErrQuantity, invoice(arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("x", "0", "10", vat.StandardRate(), "")}})},
		{"invoice line without a VAT category", vat.ErrCategory, invoice(arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("x", "1", "10", vat.Rate{}, "")}})},
		{"invoice in US dollars", arap.ErrCurrency, invoice(arap.DraftRequest{Party: "C1", Currency: "USD", Lines: []arap.Line{line}})},
		{"bill line without an account", arap.ErrInvalidDocument, func() error {
			_, err := eng.CreateBill(ctx, tn, arap.DraftRequest{Party: "V1", Number: "X", Date: ledger.NewDate(2026, 7, 1), Lines: []arap.Line{line}})
			return err
		}},
		{"issuing without the buyer's BIN required above Tk 25,000", vat.ErrBuyerRequired, issue(strict, bigC3.ID)},
		{"issuing without the company's BIN", vat.ErrMissing, issue(noBIN, draft.ID)},
		{"issuing an issued invoice", arap.ErrNotDraft, issue(eng, inv.ID)},
		{"issuing to a blocked customer", arap.ErrPartyBlocked, issue(eng, blockedDraft.ID)},
		{"issuing another tenant's draft", arap.ErrDocumentNotFound, issue(eng, otherDraft.ID)},
		{"issuing to a revenue account that does not exist", ledger.ErrAccountNotFound, issue(eng, badAcct.ID)},
		{"a vendor's bill number entered twice", arap.ErrDuplicateBill, func() error {
			_, err := eng.CreateBill(ctx, tn, arap.DraftRequest{Party: "V1", Number: "JSP-9", Date: ledger.NewDate(2026, 7, 2),
				Lines: []arap.Line{{Description: "Oil", Unit: "l", Quantity: arDec("1"), UnitPrice: arDec("1"), VAT: vat.StandardRate(), Account: "5300"}}})
			return err
		}},
		{"approving an invoice as a bill", arap.ErrWrongKind, func() error {
			_, err := eng.ApproveBill(ctx, tn, draft.ID, arap.IssueOptions{At: arAt(9, 9)})
			return err
		}},
		{"an idempotency key with a control character", arap.ErrInvalidDocument, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("100"), IdempotencyKey: "k\x00"})},
		{"paying a draft", arap.ErrNotPosted, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("100"), Allocations: []arap.Apply{arApply(draft.ID, "100")}})},
		{"allocating more than is open", arap.ErrOverAllocation, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("2000"), Allocations: []arap.Apply{arApply(inv.ID, "1150.01")}})},
		{"allocating more than is received", arap.ErrOverAllocation, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("100"), Allocations: []arap.Apply{arApply(inv.ID, "100.01")}})},
		{"allocating to another customer's invoice", arap.ErrWrongParty, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("100"), Allocations: []arap.Apply{arApply(c2inv.ID, "100")}})},
		{"receiving against a bill", arap.ErrWrongKind, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("100"), Allocations: []arap.Apply{arApply(bill.ID, "100")}})},
		{"receiving by cheque (no such channel)", arap.ErrInvalidDocument, receive(arap.MoneyRequest{Party: "C1", Channel: "cheque", Amount: arDec("100")})},
		{"receiving a negative amount", arap.ErrInvalidDocument, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("-1")})},
		{"VDS from a customer that does not withhold", arap.ErrVDS, receive(arap.MoneyRequest{Party: "C1", Amount: arDec("1000"), Certificate: cert,
			Allocations: []arap.Apply{{Document: inv.ID, Amount: arDec("1150"), VDS: arDec("150")}}})},
		{"VDS without its 6.6 certificate", arap.ErrVDSCertificate, receive(arap.MoneyRequest{Party: "C2", Amount: arDec("1000"),
			Allocations: []arap.Apply{{Document: c2inv.ID, Amount: arDec("1150"), VDS: arDec("150")}}})},
		{"VDS above the invoice's VAT", arap.ErrVDS, receive(arap.MoneyRequest{Party: "C2", Amount: arDec("999.99"), Certificate: cert,
			Allocations: []arap.Apply{{Document: c2inv.ID, Amount: arDec("1150"), VDS: arDec("150.01")}}})},
		{"later allocation with VDS", arap.ErrVDS, func() error {
			_, err := eng.Allocate(ctx, tn, over.Document.ID, ledger.Date{}, []arap.Apply{{Document: inv.ID, Amount: arDec("50"), VDS: arDec("1")}})
			return err
		}},
		{"allocating from an invoice", arap.ErrWrongKind, func() error {
			_, err := eng.Allocate(ctx, tn, c2inv.ID, ledger.Date{}, []arap.Apply{arApply(inv.ID, "1")})
			return err
		}},
		{"allocating an advance beyond what is left of it", arap.ErrOverAllocation, func() error {
			_, err := eng.Allocate(ctx, tn, over.Document.ID, ledger.Date{}, []arap.Apply{arApply(inv.ID, "100.01")})
			return err
		}},
		{"allocating another tenant's receipt", arap.ErrDocumentNotFound, func() error {
			_, err := other.eng.Allocate(ctx, other.tn, over.Document.ID, ledger.Date{}, []arap.Apply{arApply(inv.ID, "1")})
			return err
		}},
		{"cancelling twice", arap.ErrCancelled, func() error {
			_, err := eng.CancelInvoice(ctx, tn, cancelled.ID, "again", arap.IssueOptions{At: arAt(9, 9)})
			return err
		}},
		{"crediting more than the invoice", arap.ErrOverCredit, credit(arap.NoteRequest{Original: inv.ID, Reason: "x", Lines: []arap.Line{arLine("x", "11", "100", vat.StandardRate(), "")}})},
		{"crediting a draft", arap.ErrNotPosted, credit(arap.NoteRequest{Original: draft.ID, Reason: "x", Lines: []arap.Line{line}})},
		{"credit note without a reason", arap.ErrInvalidDocument, credit(arap.NoteRequest{Original: inv.ID, Lines: []arap.Line{line}})},
		{"vendor credit note against an invoice", arap.ErrWrongKind, func() error {
			_, err := eng.VendorCreditNote(ctx, tn, arap.NoteRequest{Original: inv.ID, Reason: "x", Number: "N1", Date: ledger.NewDate(2026, 7, 9), Lines: []arap.Line{line}})
			return err
		}},
	}
	require.GreaterOrEqual(t, len(cases), 20)
	for _, c := range cases {
		before, err := rows(ctx, tn)
		require.NoError(t, err)
		err = c.call()
		require.Error(t, err, c.name)
		require.True(t, errors.Is(err, c.want), "%s: want %v, got %v", c.name, c.want, err)
		after, err := rows(ctx, tn)
		require.NoError(t, err)
		require.Equal(t, before, after, "%s changed rows", c.name)
	}
	// No serial was burned by the failed issues: the next invoice follows on.
	next := e.invoice(t, "C1", 10, line)
	require.Equal(t, "HO-2026-27-000004", next.Number)
}

// testARTenants: tenant B can neither see nor change tenant A's parties
// and documents.
func testARTenants(t *testing.T, st ARStore) {
	a, b := arSetup(t, st), arSetup(t, st)
	ctx := a.ctx
	inv := a.invoice(t, "C1", 2, arLine("Cement", "1", "100", vat.StandardRate(), ""))
	rc := a.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 3), Channel: arap.Cash, Amount: arDec("50")})
	_, err := a.eng.CreateParty(ctx, a.tn, arap.Party{Code: "ONLYA", Vendor: true, LegalName: "A's vendor", Address: "x"})
	require.NoError(t, err)

	_, err = b.eng.Document(ctx, b.tn, inv.ID)
	require.ErrorIs(t, err, arap.ErrDocumentNotFound)
	_, err = b.eng.Party(ctx, b.tn, "ONLYA")
	require.ErrorIs(t, err, arap.ErrPartyNotFound)
	_, err = b.eng.CreditNote(ctx, b.tn, arap.NoteRequest{Original: inv.ID, Reason: "x", Lines: []arap.Line{arLine("x", "1", "1", vat.StandardRate(), "")}})
	require.ErrorIs(t, err, arap.ErrDocumentNotFound)
	_, err = b.eng.Receive(ctx, b.tn, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 3), Channel: arap.Cash, Amount: arDec("50"),
		Allocations: []arap.Apply{arApply(inv.ID, "50")}})
	require.ErrorIs(t, err, arap.ErrDocumentNotFound)
	_, err = b.eng.Allocate(ctx, b.tn, rc.Document.ID, ledger.Date{}, []arap.Apply{arApply(inv.ID, "1")})
	require.ErrorIs(t, err, arap.ErrDocumentNotFound)
	_, err = b.eng.CancelInvoice(ctx, b.tn, inv.ID, "x", arap.IssueOptions{})
	require.ErrorIs(t, err, arap.ErrDocumentNotFound)
	items, err := b.eng.OpenItems(ctx, b.tn, arap.OpenItemQuery{Side: arap.Receivable})
	require.NoError(t, err)
	require.Empty(t, items)
	ag, err := b.eng.Aging(ctx, b.tn, arap.OpenItemQuery{Side: arap.Receivable})
	require.NoError(t, err)
	require.Empty(t, ag.Rows)
	docs, err := b.eng.Documents(ctx, b.tn, arap.DocumentQuery{})
	require.NoError(t, err)
	require.Empty(t, docs)
	ps, err := b.eng.Parties(ctx, b.tn)
	require.NoError(t, err)
	require.Len(t, ps, 5)
	// B's serials are its own.
	bi := b.invoice(t, "C1", 2, arLine("Cement", "1", "100", vat.StandardRate(), ""))
	require.Equal(t, inv.Number, bi.Number)
	// A is unchanged.
	require.Equal(t, arap.Issued, a.doc(t, inv.ID).Status)
	arRequireDec(t, "115", a.doc(t, inv.ID).Open)
}

// testARAtomic: engine calls made inside one ARInTx transaction commit
// together or not at all - a failure after the ledger post leaves neither
// the documents nor the entry, and takes no serial.
func testARAtomic(t *testing.T, st ARStore, rows ARRows) {
	e := arSetup(t, st)
	d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("Cement", "1", "100", vat.StandardRate(), "")}})
	require.NoError(t, err)
	before, err := rows(e.ctx, e.tn)
	require.NoError(t, err)
	boom := errors.New("host failed after posting")
	err = st.ARInTx(e.ctx, func(tx arap.Store, gl ledger.Store) error {
		eng := arap.New(tx, arap.Config{Company: ARCompany})
		is, err := eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(2, 10)})
		if err != nil {
			return err
		}
		if _, err := gl.Entry(e.ctx, e.tn, is.Document.EntryID); err != nil {
			return fmt.Errorf("entry not visible in its transaction: %w", err)
		}
		if _, err := eng.Receive(e.ctx, e.tn, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 2), Channel: arap.Cash,
			Amount: arDec("115"), Allocations: []arap.Apply{arApply(d.ID, "115")}}); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	after, err := rows(e.ctx, e.tn)
	require.NoError(t, err)
	require.Equal(t, before, after)
	require.Equal(t, arap.Draft, e.doc(t, d.ID).Status)
	arRequireDec(t, "0", e.balance(t, "1210"))
	is, err := e.eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(2, 10)})
	require.NoError(t, err)
	require.Equal(t, "HO-2026-27-000001", is.Document.Number)
}

// ARHostTx checks that the engine runs inside a host application's own
// transaction (h.HostTx builds the adapter over it): a rolled-back host
// transaction leaves neither the issued invoice, its serial, its entry nor
// the host's row; a committed one keeps them all.
func ARHostTx(t *testing.T, h Harness, rows ARRows) {
	st, ok := h.Store.(ARStore)
	require.True(t, ok, "the harness store is not an arap store")
	e := arSetup(t, st)
	d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("Cement", "2", "100", vat.StandardRate(), "")}})
	require.NoError(t, err)
	before, err := rows(e.ctx, e.tn)
	require.NoError(t, err)
	issue := func(ls ledger.Store) error {
		as, ok := ls.(arap.Store)
		if !ok {
			return errors.New("the host-transaction store is not an arap store")
		}
		eng := arap.New(as, arap.Config{Company: ARCompany})
		is, err := eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(2, 10)})
		if err != nil {
			return err
		}
		if is.Document.Number != "HO-2026-27-000001" {
			return fmt.Errorf("serial %s", is.Document.Number)
		}
		_, err = eng.Receive(e.ctx, e.tn, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 2), Channel: arap.Cash,
			Amount: arDec("230"), Allocations: []arap.Apply{arApply(d.ID, "230")}})
		return err
	}
	require.NoError(t, h.HostTx(e.ctx, e.tn, false, issue))
	after, err := rows(e.ctx, e.tn)
	require.NoError(t, err)
	require.Equal(t, before, after)
	n, err := h.HostRows(e.ctx, e.tn)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, arap.Draft, e.doc(t, d.ID).Status)

	require.NoError(t, h.HostTx(e.ctx, e.tn, true, issue))
	n, err = h.HostRows(e.ctx, e.tn)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	got := e.doc(t, d.ID)
	require.Equal(t, arap.Issued, got.Status)
	require.Equal(t, "HO-2026-27-000001", got.Number)
	arRequireDec(t, "0", got.Open)
	arRequireDec(t, "230", e.balance(t, "1110"))
}
