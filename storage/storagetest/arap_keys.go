package storagetest

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

// counter returns what counts the rows of e's tenant.
func (e *arEnv) counter(t *testing.T, rows ARRows) func() map[string]int {
	return func() map[string]int {
		n, err := rows(e.ctx, e.tn)
		require.NoError(t, err)
		return n
	}
}

// testARMoneyKeys: a receipt or payment retried under its idempotency key
// is recorded once. The retry returns the document, certificate and
// allocations recorded the first time and writes nothing; a retry with
// another request fails with ledger.ErrIdempotencyConflict and writes
// nothing; keys are the tenant's own.
func testARMoneyKeys(t *testing.T, st ARStore, rows ARRows) {
	e := arSetup(t, st)
	a := e.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	b := e.invoice(t, "C1", 2, arLine("Cement", "20", "100", vat.StandardRate(), "")) // 2,300
	req := arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 10), Channel: arap.Bank, Amount: arDec("800"),
		Reference: "TT-1", Allocations: []arap.Apply{arApply(a.ID, "500")}, IdempotencyKey: "bank-TT-1"}
	first := e.receive(t, req)
	require.Equal(t, "bank-TT-1", first.Document.IdempotencyKey)
	arRequireDec(t, "300", first.Document.Open)
	count := e.counter(t, rows)
	before := count()

	again := e.receive(t, req)
	require.Equal(t, first.Document.ID, again.Document.ID)
	require.Equal(t, first.Document.Number, again.Document.Number)
	require.Equal(t, first.Document.EntryID, again.Document.EntryID)
	require.Len(t, again.Allocations, 1)
	require.Equal(t, first.Allocations[0].ID, again.Allocations[0].ID)
	require.Equal(t, before, count(), "a retry writes nothing")
	arRequireDec(t, "650", e.doc(t, a.ID).Open)
	arRequireDec(t, "800", e.balance(t, "1120"))

	// The receipt's open 300 allocated later: a retry of the first request
	// still returns only what was allocated with it.
	_, err := e.eng.Allocate(e.ctx, e.tn, first.Document.ID, ledger.NewDate(2026, 7, 11), []arap.Apply{arApply(b.ID, "300")})
	require.NoError(t, err)
	before = count()
	again = e.receive(t, req)
	require.Equal(t, first.Document.ID, again.Document.ID)
	require.Len(t, again.Allocations, 1)
	require.Equal(t, a.ID, again.Allocations[0].Charge)
	require.Equal(t, before, count())

	// Another request under the key: a conflict, nothing written.
	for name, change := range map[string]func(r *arap.MoneyRequest){
		"amount":        func(r *arap.MoneyRequest) { r.Amount = arDec("801") },
		"date":          func(r *arap.MoneyRequest) { r.Date = ledger.NewDate(2026, 7, 11) },
		"party":         func(r *arap.MoneyRequest) { r.Party = "C3"; r.Allocations = nil },
		"channel":       func(r *arap.MoneyRequest) { r.Channel = arap.Cash },
		"reference":     func(r *arap.MoneyRequest) { r.Reference = "TT-2" },
		"allocation":    func(r *arap.MoneyRequest) { r.Allocations = []arap.Apply{arApply(a.ID, "400")} },
		"no allocation": func(r *arap.MoneyRequest) { r.Allocations = nil },
		"other charge":  func(r *arap.MoneyRequest) { r.Allocations = []arap.Apply{arApply(b.ID, "500")} },
	} {
		r := req
		change(&r)
		_, err := e.eng.Receive(e.ctx, e.tn, r)
		require.ErrorIs(t, err, ledger.ErrIdempotencyConflict, name)
		require.Equal(t, before, count(), name)
	}
	// A payment under a receipt's key is another request too.
	bill := e.bill(t, "V1", "JSP-9", 3, arap.Bank, arap.Line{Description: "Filters", Unit: "pcs", Quantity: arDec("2"),
		UnitPrice: arDec("500"), VAT: vat.StandardRate(), Account: "5200"})
	before = count()
	_, err = e.eng.Pay(e.ctx, e.tn, arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 10), Channel: arap.Bank,
		Amount: arDec("800"), Reference: "TT-1", IdempotencyKey: "bank-TT-1", Allocations: []arap.Apply{arApply(bill.ID, "800")}})
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	require.Equal(t, before, count())

	// A withholding customer's receipt: the retry returns its certificate.
	inv := e.invoice(t, "C2", 2, arLine("Excavator hire", "10", "1000", vat.StandardRate(), "")) // 11,500
	cert := &arap.Certificate{Number: "RHD-66-0042", Date: ledger.NewDate(2026, 7, 18)}          // dated before the money moved
	vreq := arap.MoneyRequest{Party: "C2", Date: ledger.NewDate(2026, 7, 20), Channel: arap.Bank, Amount: arDec("10000"),
		Certificate: cert, Allocations: []arap.Apply{{Document: inv.ID, Amount: arDec("11500"), VDS: arDec("1500")}},
		IdempotencyKey: "rhd-66-0042"}
	vfirst := e.receive(t, vreq)
	require.NotNil(t, vfirst.Certificate)
	before = count()
	vagain := e.receive(t, vreq)
	require.Equal(t, vfirst.Document.ID, vagain.Document.ID)
	require.NotNil(t, vagain.Certificate)
	require.Equal(t, vfirst.Certificate.ID, vagain.Certificate.ID)
	require.Equal(t, before, count())
	for _, c := range []*arap.Certificate{
		{Number: "RHD-66-0043", Date: cert.Date},
		{Number: cert.Number, Date: cert.Date, ChallanNumber: "TR-1"},
	} {
		other := vreq
		other.Certificate = c
		_, err = e.eng.Receive(e.ctx, e.tn, other)
		require.ErrorIs(t, err, ledger.ErrIdempotencyConflict, "%+v", c)
		require.Equal(t, before, count())
	}

	// With a clock that stands still (a test's, a replay's), a later
	// allocation of the receipt has its creation time; the retry still
	// returns only the allocation made with it.
	still := arap.New(st, arap.Config{Company: ARCompany, Now: func() time.Time { return arAt(21, 9) }})
	c := e.invoice(t, "C1", 3, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	sreq := arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 21), Channel: arap.Bank, Amount: arDec("900"),
		Allocations: []arap.Apply{arApply(c.ID, "400")}, IdempotencyKey: "still-1"}
	sfirst, err := still.Receive(e.ctx, e.tn, sreq)
	require.NoError(t, err)
	_, err = still.Allocate(e.ctx, e.tn, sfirst.Document.ID, ledger.Date{}, []arap.Apply{arApply(c.ID, "100")})
	require.NoError(t, err)
	before = count()
	sagain, err := still.Receive(e.ctx, e.tn, sreq)
	require.NoError(t, err)
	require.Equal(t, sfirst.Document.ID, sagain.Document.ID)
	require.Len(t, sagain.Allocations, 1)
	require.Equal(t, sfirst.Allocations[0].ID, sagain.Allocations[0].ID)
	require.Equal(t, before, count())

	// Another tenant's key of the same name is its own.
	e2 := arSetup(t, st)
	a2 := e2.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), ""))
	r2 := req
	r2.Allocations = []arap.Apply{arApply(a2.ID, "500")}
	got := e2.receive(t, r2)
	require.NotEqual(t, first.Document.ID, got.Document.ID)
	require.Equal(t, before, count(), "the first tenant's rows")
	arRequireDec(t, "800", e2.balance(t, "1120"))
}

// testARConcurrentMoneyKeys: eight callers record one payment under one
// key at once, through one store or two (as two processes): all get the
// same payment, which is recorded, allocated and posted once.
func testARConcurrentMoneyKeys(t *testing.T, st ARStore, rows ARRows, other ...ARStore) {
	e := arSetup(t, st)
	engines := []*arap.Engine{e.eng}
	for _, o := range other {
		engines = append(engines, arap.New(o, arap.Config{Company: ARCompany}))
	}
	bill := e.bill(t, "V1", "JSP-10", 3, arap.Bank, arap.Line{Description: "Filters", Unit: "pcs", Quantity: arDec("2"),
		UnitPrice: arDec("500"), VAT: vat.StandardRate(), Account: "5200"}) // 1,150
	before, err := rows(e.ctx, e.tn)
	require.NoError(t, err)
	// The whole bill: a second call that only waited for the bill's lock
	// would find nothing open.
	req := arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 12), Channel: arap.Bank, Amount: arDec("1150"),
		Reference: "EFT-77", IdempotencyKey: "eft-77", Allocations: []arap.Apply{arApply(bill.ID, "1150")}}
	const callers = 8
	got := make([]arap.Received, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = engines[i%len(engines)].Pay(e.ctx, e.tn, req) })
	}
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i], "caller %d", i)
		require.Equal(t, got[0].Document.ID, got[i].Document.ID, "caller %d", i)
	}
	after, err := rows(e.ctx, e.tn)
	require.NoError(t, err)
	require.Equal(t, before["erp_arap_documents"]+1, after["erp_arap_documents"], "one payment")
	require.Equal(t, before["erp_arap_allocations"]+1, after["erp_arap_allocations"], "one allocation")
	require.Equal(t, before["erp_ledger_entries"]+1, after["erp_ledger_entries"], "one entry")
	arRequireDec(t, "0", e.doc(t, bill.ID).Open)
	arRequireDec(t, "-1150", e.balance(t, "1120"), "bank")
}

// testARNoteKeys: a credit or debit note, ours or a vendor's, retried
// under its idempotency key is recorded once; another request under the
// key is a conflict and writes nothing.
func testARNoteKeys(t *testing.T, st ARStore, rows ARRows) {
	e := arSetup(t, st)
	count := e.counter(t, rows)
	inv := e.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	inv2 := e.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), ""))
	req := arap.NoteRequest{Original: inv.ID, Reason: "two bags returned", At: arAt(5, 9), IdempotencyKey: "cn-bags",
		Lines: []arap.Line{arLine("Cement", "2", "100", vat.StandardRate(), "")}}
	cn, err := e.eng.CreditNote(e.ctx, e.tn, req)
	require.NoError(t, err)
	before := count()
	again, err := e.eng.CreditNote(e.ctx, e.tn, req)
	require.NoError(t, err)
	require.Equal(t, cn.ID, again.ID)
	require.Equal(t, cn.Number, again.Number)
	noClock := req
	noClock.At = time.Time{} // left to the clock: not compared
	again, err = e.eng.CreditNote(e.ctx, e.tn, noClock)
	require.NoError(t, err)
	require.Equal(t, cn.ID, again.ID)
	require.Equal(t, before, count(), "retries write nothing")
	arRequireDec(t, "230", e.doc(t, inv.ID).Credited)
	arRequireDec(t, "920", e.doc(t, inv.ID).Open)

	for name, call := range map[string]func() error{
		"quantity": func() error {
			r := req
			r.Lines = []arap.Line{arLine("Cement", "3", "100", vat.StandardRate(), "")}
			_, err := e.eng.CreditNote(e.ctx, e.tn, r)
			return err
		},
		"reason": func() error {
			r := req
			r.Reason = "three bags returned"
			_, err := e.eng.CreditNote(e.ctx, e.tn, r)
			return err
		},
		"invoice": func() error {
			r := req
			r.Original = inv2.ID
			_, err := e.eng.CreditNote(e.ctx, e.tn, r)
			return err
		},
		"time of issue": func() error {
			r := req
			r.At = arAt(6, 9)
			_, err := e.eng.CreditNote(e.ctx, e.tn, r)
			return err
		},
		"kind": func() error { _, err := e.eng.DebitNote(e.ctx, e.tn, req); return err },
		"receipt": func() error {
			_, err := e.eng.Receive(e.ctx, e.tn, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 6),
				Channel: arap.Bank, Amount: arDec("100"), IdempotencyKey: "cn-bags"})
			return err
		},
	} {
		require.ErrorIs(t, call(), ledger.ErrIdempotencyConflict, name)
		require.Equal(t, before, count(), name)
	}

	// A vendor's credit note.
	bill := e.bill(t, "V1", "JSP-11", 3, arap.Bank, arap.Line{Description: "Filters", Unit: "pcs", Quantity: arDec("4"),
		UnitPrice: arDec("250"), VAT: vat.StandardRate(), Account: "5200"}) // 1,150
	vreq := arap.NoteRequest{Original: bill.ID, Reason: "price reduced", Number: "JSP-CN-3", Date: ledger.NewDate(2026, 7, 6),
		At: arAt(6, 10), IdempotencyKey: "jsp-cn-3", Lines: []arap.Line{{Description: "Filters", Unit: "pcs",
			Quantity: arDec("1"), UnitPrice: arDec("100"), VAT: vat.StandardRate()}}}
	vcn, err := e.eng.VendorCreditNote(e.ctx, e.tn, vreq)
	require.NoError(t, err)
	before = count()
	vagain, err := e.eng.VendorCreditNote(e.ctx, e.tn, vreq)
	require.NoError(t, err)
	require.Equal(t, vcn.ID, vagain.ID)
	require.Equal(t, before, count())
	arRequireDec(t, "115", e.doc(t, bill.ID).Credited)
	other := vreq
	other.Number = "JSP-CN-4"
	_, err = e.eng.VendorCreditNote(e.ctx, e.tn, other)
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	require.Equal(t, before, count())

	// A key that is not printable is bad input.
	bad := req
	bad.IdempotencyKey = "cn\x07"
	_, err = e.eng.CreditNote(e.ctx, e.tn, bad)
	require.ErrorIs(t, err, arap.ErrInvalidDocument)
	require.Equal(t, before, count())
}

// testARAllocateKeys: an Allocate call retried under its idempotency key
// applies the settlement once, also when the retries run at once, through
// one store or two (other); another call under the key is a conflict and
// writes nothing.
func testARAllocateKeys(t *testing.T, st ARStore, rows ARRows, other ...ARStore) {
	e := arSetup(t, st)
	count := e.counter(t, rows)
	a := e.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	b := e.invoice(t, "C1", 2, arLine("Cement", "20", "100", vat.StandardRate(), "")) // 2,300
	adv := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 3), Channel: arap.Bank, Amount: arDec("1000")})
	adv2 := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 3), Channel: arap.Bank, Amount: arDec("500")})
	opts := arap.AllocateOptions{IdempotencyKey: "apply-adv-1"}
	as := []arap.Apply{arApply(a.ID, "300"), arApply(b.ID, "200")}
	first, err := e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.NewDate(2026, 7, 5), as, opts)
	require.NoError(t, err)
	require.Len(t, first, 2)
	before := count()
	again, err := e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.NewDate(2026, 7, 5),
		[]arap.Apply{arApply(b.ID, "200"), arApply(a.ID, "300")}, opts) // in another order: the same allocations
	require.NoError(t, err)
	require.ElementsMatch(t, []uuid.UUID{first[0].ID, first[1].ID}, []uuid.UUID{again[0].ID, again[1].ID})
	require.Equal(t, before, count(), "a retry writes nothing")
	arRequireDec(t, "500", e.doc(t, adv.Document.ID).Open)
	arRequireDec(t, "850", e.doc(t, a.ID).Open)

	for name, call := range map[string]func() error{
		"amount": func() error {
			_, err := e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.Date{}, []arap.Apply{arApply(a.ID, "301"), arApply(b.ID, "200")}, opts)
			return err
		},
		"one document less": func() error {
			_, err := e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.Date{}, []arap.Apply{arApply(a.ID, "300")}, opts)
			return err
		},
		"settlement": func() error {
			_, err := e.eng.Allocate(e.ctx, e.tn, adv2.Document.ID, ledger.Date{}, as, opts)
			return err
		},
	} {
		require.ErrorIs(t, call(), ledger.ErrIdempotencyConflict, name)
		require.Equal(t, before, count(), name)
	}
	// Keys are one namespace: a receipt's key is not an Allocate call's,
	// nor the other way round, nor a note's.
	keyed := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 4), Channel: arap.Bank,
		Amount: arDec("50"), IdempotencyKey: "rc-50"})
	before = count()
	_, err = e.eng.Allocate(e.ctx, e.tn, keyed.Document.ID, ledger.Date{}, []arap.Apply{arApply(a.ID, "50")},
		arap.AllocateOptions{IdempotencyKey: "rc-50"})
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	_, err = e.eng.Receive(e.ctx, e.tn, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 4), Channel: arap.Bank,
		Amount: arDec("50"), IdempotencyKey: opts.IdempotencyKey})
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	_, err = e.eng.CreditNote(e.ctx, e.tn, arap.NoteRequest{Original: a.ID, Reason: "allowance", At: arAt(6, 9),
		IdempotencyKey: opts.IdempotencyKey, Lines: []arap.Line{arLine("Allowance", "1", "10", vat.StandardRate(), "")}})
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	require.Equal(t, before, count())

	_, err = e.eng.Allocate(e.ctx, e.tn, adv.Document.ID, ledger.Date{}, as, arap.AllocateOptions{IdempotencyKey: "bad\x01"})
	require.ErrorIs(t, err, arap.ErrInvalidDocument)
	require.Equal(t, before, count())

	// Eight at once, for all that is open of the second advance.
	engines := []*arap.Engine{e.eng}
	for _, o := range other {
		engines = append(engines, arap.New(o, arap.Config{Company: ARCompany}))
	}
	const callers = 8
	got := make([][]arap.Allocation, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			got[i], errs[i] = engines[i%len(engines)].Allocate(e.ctx, e.tn, adv2.Document.ID, ledger.NewDate(2026, 7, 6),
				[]arap.Apply{arApply(b.ID, "500")}, arap.AllocateOptions{IdempotencyKey: "apply-adv-2"})
		})
	}
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i], "caller %d", i)
		require.Len(t, got[i], 1)
		require.Equal(t, got[0][0].ID, got[i][0].ID, "caller %d", i)
	}
	require.Equal(t, before["erp_arap_allocations"]+1, count()["erp_arap_allocations"])
	arRequireDec(t, "0", e.doc(t, adv2.Document.ID).Open)
	arRequireDec(t, "1600", e.doc(t, b.ID).Open)
}

// ARKeysUpgrade checks migrations 0015 and 0016 on a database that holds
// AR/AP data: it records an invoice and a receipt allocated to it, takes
// the database back to before 0015 through exec (the key columns and
// indexes dropped, their migrations forgotten; the same SQL on both
// adapters) and runs migrate. The old documents and allocations must read
// as before, with no key, and a keyed receipt and its retry must work.
func ARKeysUpgrade(t *testing.T, st ARStore, exec func(sql string) error, migrate func() error) {
	e := arSetup(t, st)
	inv := e.invoice(t, "C1", 1, arLine("Cement", "10", "100", vat.StandardRate(), "")) // 1,150
	old := e.receive(t, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 2), Channel: arap.Bank,
		Amount: arDec("500"), Allocations: []arap.Apply{arApply(inv.ID, "500")}})
	require.NoError(t, exec(`DROP INDEX erp_arap_allocations_key;
		ALTER TABLE erp_arap_allocations DROP COLUMN idempotency_key;
		DROP INDEX erp_arap_documents_key;
		ALTER TABLE erp_arap_documents DROP COLUMN idempotency_key;
		DELETE FROM erp_migrations WHERE version IN (15, 16)`))
	require.Error(t, exec(`SELECT idempotency_key FROM erp_arap_allocations`), "the downgrade left the column")
	require.NoError(t, migrate())

	got := e.doc(t, old.Document.ID)
	require.Equal(t, old.Document.Number, got.Number)
	require.Empty(t, got.IdempotencyKey)
	arRequireDec(t, "650", e.doc(t, inv.ID).Open)
	al, err := e.eng.Allocations(e.ctx, e.tn, old.Document.ID)
	require.NoError(t, err)
	require.Len(t, al, 1)
	require.Empty(t, al[0].IdempotencyKey)

	req := arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 3), Channel: arap.Bank, Amount: arDec("650"),
		Allocations: []arap.Apply{arApply(inv.ID, "650")}, IdempotencyKey: "after-upgrade"}
	first := e.receive(t, req)
	again := e.receive(t, req)
	require.Equal(t, first.Document.ID, again.Document.ID)
	arRequireDec(t, "0", e.doc(t, inv.ID).Open)
}

// testARDraftKeys: a draft invoice or bill created under an idempotency
// key is created once. A retry with the same request returns the document
// created the first time, as it is now (still a draft, or issued since),
// and writes nothing; another request under the key, or a key another call
// took, is a conflict and writes nothing; UpdateDraft keeps the key; keys
// are the tenant's own; eight callers at once, through one store or two,
// create one draft.
func testARDraftKeys(t *testing.T, st ARStore, rows ARRows, other ...ARStore) {
	e := arSetup(t, st)
	count := e.counter(t, rows)
	line := arLine("Cement", "10", "100", vat.StandardRate(), "")
	req := arap.DraftRequest{Party: "C1", Reference: "PO-7", Lines: []arap.Line{line}, IdempotencyKey: "web-inv-7"}
	first, err := e.eng.CreateInvoice(e.ctx, e.tn, req)
	require.NoError(t, err)
	require.Equal(t, arap.Draft, first.Status)
	require.Equal(t, "web-inv-7", first.IdempotencyKey)
	before := count()

	again, err := e.eng.CreateInvoice(e.ctx, e.tn, req)
	require.NoError(t, err)
	require.Equal(t, first.ID, again.ID)
	require.Equal(t, before, count(), "a retry writes nothing")
	// The same request as the caller may send it again: the series named,
	// spaces around a description.
	spaced := req
	spaced.Series = "HO"
	spaced.Lines = []arap.Line{line}
	spaced.Lines[0].Description = " Cement "
	again, err = e.eng.CreateInvoice(e.ctx, e.tn, spaced)
	require.NoError(t, err)
	require.Equal(t, first.ID, again.ID)
	require.Equal(t, before, count())

	// Another request under the key: a conflict, nothing written.
	for name, change := range map[string]func(r *arap.DraftRequest){
		"party":     func(r *arap.DraftRequest) { r.Party = "C2" },
		"reference": func(r *arap.DraftRequest) { r.Reference = "PO-8" },
		"series":    func(r *arap.DraftRequest) { r.Series = "CTG" },
		"inclusive": func(r *arap.DraftRequest) { r.PricesIncludeTax = true },
		"quantity": func(r *arap.DraftRequest) {
			r.Lines = []arap.Line{arLine("Cement", "11", "100", vat.StandardRate(), "")}
		},
		"rate": func(r *arap.DraftRequest) {
			r.Lines = []arap.Line{arLine("Cement", "10", "100", vat.PercentRate(vat.Standard, "10"), "")}
		},
		"two lines": func(r *arap.DraftRequest) { r.Lines = []arap.Line{line, line} },
	} {
		r := req
		change(&r)
		_, err := e.eng.CreateInvoice(e.ctx, e.tn, r)
		require.ErrorIs(t, err, ledger.ErrIdempotencyConflict, name)
		require.Equal(t, before, count(), name)
	}
	// A bill under the invoice's key is another request too.
	breq := arap.DraftRequest{Party: "V1", Number: "JSP-31", Date: ledger.NewDate(2026, 7, 3), IdempotencyKey: "web-inv-7",
		Lines: []arap.Line{{Description: "Filters", Unit: "pcs", Quantity: arDec("2"), UnitPrice: arDec("500"),
			VAT: vat.StandardRate(), Account: "5200"}}}
	_, err = e.eng.CreateBill(e.ctx, e.tn, breq)
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	require.Equal(t, before, count())

	// UpdateDraft keeps the key and takes no other; a retry of the first
	// request now differs from the draft.
	upd := req
	upd.IdempotencyKey = ""
	upd.Lines = []arap.Line{arLine("Cement", "12", "100", vat.StandardRate(), "")}
	changed, err := e.eng.UpdateDraft(e.ctx, e.tn, first.ID, upd)
	require.NoError(t, err)
	require.Equal(t, "web-inv-7", changed.IdempotencyKey)
	upd.IdempotencyKey = "web-inv-8"
	before = count()
	_, err = e.eng.UpdateDraft(e.ctx, e.tn, first.ID, upd)
	require.ErrorIs(t, err, arap.ErrInvalidDocument)
	require.Equal(t, before, count())
	_, err = e.eng.CreateInvoice(e.ctx, e.tn, req)
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	upd.IdempotencyKey = "web-inv-7"
	again, err = e.eng.CreateInvoice(e.ctx, e.tn, upd)
	require.NoError(t, err)
	require.Equal(t, first.ID, again.ID)
	require.Equal(t, before, count())

	// Issued since: the retry returns the invoice as issued.
	is, err := e.eng.IssueInvoice(e.ctx, e.tn, first.ID, arap.IssueOptions{At: arAt(5, 10)})
	require.NoError(t, err)
	before = count()
	again, err = e.eng.CreateInvoice(e.ctx, e.tn, upd)
	require.NoError(t, err)
	require.Equal(t, first.ID, again.ID)
	require.Equal(t, arap.Issued, again.Status)
	require.Equal(t, is.Document.Number, again.Number)
	require.Equal(t, before, count())

	// A bill: retried after approval, it is returned approved; the
	// vendor's number or date changed is a conflict.
	breq.IdempotencyKey = "web-bill-31"
	b, err := e.eng.CreateBill(e.ctx, e.tn, breq)
	require.NoError(t, err)
	_, err = e.eng.ApproveBill(e.ctx, e.tn, b.ID, arap.IssueOptions{At: arAt(4, 12)})
	require.NoError(t, err)
	before = count()
	bagain, err := e.eng.CreateBill(e.ctx, e.tn, breq)
	require.NoError(t, err)
	require.Equal(t, b.ID, bagain.ID)
	require.Equal(t, arap.Approved, bagain.Status)
	for name, change := range map[string]func(r *arap.DraftRequest){
		"number":  func(r *arap.DraftRequest) { r.Number = "JSP-32" },
		"date":    func(r *arap.DraftRequest) { r.Date = ledger.NewDate(2026, 7, 4) },
		"channel": func(r *arap.DraftRequest) { r.PaymentChannel = arap.Cash },
		"account": func(r *arap.DraftRequest) {
			r.Lines = slices.Clone(r.Lines)
			r.Lines[0].Account = "5300"
		},
	} {
		r := breq
		change(&r)
		_, err := e.eng.CreateBill(e.ctx, e.tn, r)
		require.ErrorIs(t, err, ledger.ErrIdempotencyConflict, name)
		require.Equal(t, before, count(), name)
	}
	require.Equal(t, before, count())

	// A receipt's key, and an Allocate call's, are taken for drafts.
	_, err = e.eng.Receive(e.ctx, e.tn, arap.MoneyRequest{Party: "C1", Date: ledger.NewDate(2026, 7, 6), Channel: arap.Bank,
		Amount: arDec("100"), IdempotencyKey: "bank-TT-9"})
	require.NoError(t, err)
	before = count()
	_, err = e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{line}, IdempotencyKey: "bank-TT-9"})
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)
	require.Equal(t, before, count())

	// A bad key: refused before anything is written.
	for _, key := range []string{"tab\tkey", strings.Repeat("k", 1025)} {
		_, err = e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{line}, IdempotencyKey: key})
		require.ErrorIs(t, err, arap.ErrInvalidDocument)
		require.Equal(t, before, count())
	}

	// Keys are the tenant's own.
	e2 := arSetup(t, st)
	own, err := e2.eng.CreateInvoice(e2.ctx, e2.tn, req)
	require.NoError(t, err)
	require.NotEqual(t, first.ID, own.ID)
	require.Equal(t, before, count(), "the first tenant's rows")

	// Eight callers at once, through one store or two (as two processes).
	engines := []*arap.Engine{e.eng}
	for _, o := range other {
		engines = append(engines, arap.New(o, arap.Config{Company: ARCompany}))
	}
	creq := arap.DraftRequest{Party: "C3", Lines: []arap.Line{line}, IdempotencyKey: "web-inv-9"}
	before = count()
	const callers = 8
	got := make([]arap.Document, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = engines[i%len(engines)].CreateInvoice(e.ctx, e.tn, creq) })
	}
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i], "caller %d", i)
		require.Equal(t, got[0].ID, got[i].ID, "caller %d", i)
	}
	require.Equal(t, before["erp_arap_documents"]+1, count()["erp_arap_documents"], "one draft")
}
