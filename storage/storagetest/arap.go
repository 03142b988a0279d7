package storagetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

// ARStore is what the receivables and payables suite needs of an adapter:
// the arap and ledger stores in one.
type ARStore interface {
	arap.Store
	ledger.Store
}

// ARRows counts the tenant's rows in each of the adapter's erp_arap_ and
// erp_ledger_ tables (table name -> count).
type ARRows func(ctx context.Context, tenant string) (map[string]int, error)

// ARAP runs the receivables and payables conformance suite against st (a
// migrated store). rows counts a tenant's rows: a failed call must leave
// them unchanged.
func ARAP(t *testing.T, st ARStore, rows ARRows) {
	t.Run("Parties", func(t *testing.T) { t.Parallel(); testARParties(t, st) })
	t.Run("InvoiceIssue", func(t *testing.T) { t.Parallel(); testARInvoice(t, st) })
	t.Run("Bills", func(t *testing.T) { t.Parallel(); testARBills(t, st) })
	t.Run("ReceiptsAndAllocation", func(t *testing.T) { t.Parallel(); testARReceipts(t, st) })
	t.Run("VDS", func(t *testing.T) { t.Parallel(); testARVDS(t, st) })
	t.Run("Notes", func(t *testing.T) { t.Parallel(); testARNotes(t, st) })
	t.Run("BadInput", func(t *testing.T) { t.Parallel(); testARBadInput(t, st, rows) })
	t.Run("TenantIsolation", func(t *testing.T) { t.Parallel(); testARTenants(t, st) })
	t.Run("OneTransaction", func(t *testing.T) { t.Parallel(); testARAtomic(t, st, rows) })
	t.Run("ConcurrentSerials", func(t *testing.T) { t.Parallel(); testARConcurrentSerials(t, st, rows) })
	t.Run("ConcurrentAllocations", func(t *testing.T) { t.Parallel(); testARConcurrentAllocations(t, st) })
	t.Run("MoneyKeys", func(t *testing.T) { t.Parallel(); testARMoneyKeys(t, st, rows) })
	t.Run("NoteKeys", func(t *testing.T) { t.Parallel(); testARNoteKeys(t, st, rows) })
	t.Run("DraftKeys", func(t *testing.T) { t.Parallel(); testARDraftKeys(t, st, rows) })
	t.Run("AllocateKeys", func(t *testing.T) { t.Parallel(); testARAllocateKeys(t, st, rows) })
	t.Run("ConcurrentMoneyKeys", func(t *testing.T) { t.Parallel(); testARConcurrentMoneyKeys(t, st, rows) })
	t.Run("Reports", func(t *testing.T) { t.Parallel(); testARReports(t, st) })
	t.Run("Return", func(t *testing.T) { t.Parallel(); testARReturn(t, st) })
	t.Run("Render", func(t *testing.T) { t.Parallel(); testARRender(t, st) })
	t.Run("Events", func(t *testing.T) { t.Parallel(); testAREvents(t, st) })
	t.Run("Properties", func(t *testing.T) { t.Parallel(); testARProperties(t, st) })
}

func arDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func arRequireDec(t testing.TB, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	require.True(t, arDec(want).Equal(got), "want %s, got %s %v", want, got, fmt.Sprint(msg...))
}

// arCompanyBIN is the company's own BIN, from the reference's example.
var arCompanyBIN = func() vat.BIN {
	b, err := vat.ParseBIN("002871821-0101")
	if err != nil {
		panic(err)
	}
	return b
}()

// ARCompany is the tenant company of the suite: a VAT-registered limited
// company (so a withholding entity) in Dhaka.
func ARCompany(string) arap.Company {
	return arap.Company{
		Party:       vat.Party{Name: "Barapukuria Earthworks Ltd", BIN: arCompanyBIN, Address: "House 12, Road 5, Dhanmondi, Dhaka"},
		Responsible: vat.Person{Name: "Rahima Khatun", Designation: "Accounts Manager"},
		Withholder:  vat.Buyer{Kind: vat.LimitedCompany},
	}
}

// arAt is a time in Dhaka in July 2026 (FY 2026-27).
func arAt(day, hour int) time.Time { return time.Date(2026, 7, day, hour, 0, 0, 0, vat.Dhaka()) }

type arEnv struct {
	ctx context.Context
	st  ARStore
	eng *arap.Engine
	gl  *ledger.Ledger
	tn  string
}

func arTenant() string { return "ar-" + uuid.NewString() }

// arSetup makes a tenant with the Bangladesh chart, a customer C1
// (VAT-registered, 30 days), a withholding customer C2, an unregistered
// customer C3 and vendors V1 (registered) and V2 (unregistered).
func arSetup(t testing.TB, st ARStore, cfg ...arap.Config) *arEnv {
	t.Helper()
	c := arap.Config{Company: ARCompany}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	env := &arEnv{ctx: context.Background(), st: st, eng: arap.New(st, c), gl: ledger.New(st, ledger.Config{}), tn: arTenant()}
	_, err := env.gl.InstallChart(env.ctx, env.tn, ledger.ChartBangladesh())
	require.NoError(t, err)
	for _, p := range []arap.Party{
		{Code: "C1", Customer: true, LegalName: "Meghna Cement Mills Ltd", Address: "Narayanganj", BIN: "000123456-0101",
			VATRegistered: true, PaymentTermsDays: 30, Mobile: "01712345678"},
		{Code: "C2", Customer: true, LegalName: "Roads and Highways Department", Address: "Sarak Bhaban, Dhaka",
			BIN: "000765432-0202", VATRegistered: true, Withholding: true, PaymentTermsDays: 15},
		{Code: "C3", Customer: true, LegalName: "Abdul Karim", Address: "Rangpur", NID: "1234567890"},
		{Code: "V1", Vendor: true, LegalName: "Jamuna Spare Parts Ltd", Address: "Bogura", BIN: "000111222-0303",
			VATRegistered: true, PaymentTermsDays: 10, TIN: "123456789012"},
		{Code: "V2", Vendor: true, LegalName: "Local Workshop", Address: "Dinajpur"},
	} {
		_, err := env.eng.CreateParty(env.ctx, env.tn, p)
		require.NoError(t, err)
	}
	return env
}

func arLine(desc, qty, price string, rate vat.Rate, sd string) arap.Line {
	l := arap.Line{Description: desc, Unit: "pcs", Quantity: arDec(qty), UnitPrice: arDec(price), VAT: rate}
	if sd != "" {
		l.SDPercent = arDec(sd)
	}
	return l
}

// invoice creates and issues an invoice to party at day of July 2026.
func (e *arEnv) invoice(t testing.TB, party string, day int, lines ...arap.Line) arap.Document {
	t.Helper()
	d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: party, Lines: lines})
	require.NoError(t, err)
	is, err := e.eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(day, 10)})
	require.NoError(t, err)
	return is.Document
}

func (e *arEnv) bill(t testing.TB, party, number string, day int, channel arap.Channel, lines ...arap.Line) arap.Document {
	t.Helper()
	d, err := e.eng.CreateBill(e.ctx, e.tn, arap.DraftRequest{Party: party, Number: number, Date: ledger.NewDate(2026, 7, day),
		PaymentChannel: channel, Lines: lines})
	require.NoError(t, err)
	b, err := e.eng.ApproveBill(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(day, 12)})
	require.NoError(t, err)
	return b
}

func (e *arEnv) balance(t testing.TB, code string) decimal.Decimal {
	t.Helper()
	b, err := e.gl.Balance(e.ctx, e.tn, code, "BDT", ledger.Date{})
	require.NoError(t, err)
	return b.Balance
}

func (e *arEnv) doc(t testing.TB, id uuid.UUID) arap.Document {
	t.Helper()
	d, err := e.eng.Document(e.ctx, e.tn, id)
	require.NoError(t, err)
	return d
}

func testARParties(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	p, err := e.eng.Party(e.ctx, e.tn, "C1")
	require.NoError(t, err)
	require.Equal(t, "0001234560101", p.BIN)
	require.Equal(t, "+8801712345678", p.Mobile)
	require.Equal(t, 30, p.PaymentTermsDays)
	v, err := e.eng.Party(e.ctx, e.tn, "V1")
	require.NoError(t, err)
	require.Equal(t, "123456789012", v.TIN)
	_, err = e.eng.CreateParty(e.ctx, e.tn, arap.Party{Code: "C1", Customer: true, LegalName: "x", Address: "y"})
	require.ErrorIs(t, err, arap.ErrPartyExists)
	// One party may be both customer and vendor.
	both, err := e.eng.CreateParty(e.ctx, e.tn, arap.Party{Code: "B1", Customer: true, Vendor: true, LegalName: "Both Ltd",
		Address: "Khulna", BIN: "0001112220404", VATRegistered: true, CreditLimit: arDec("50000")})
	require.NoError(t, err)
	require.True(t, both.Customer && both.Vendor)
	both.Blocked = true
	_, err = e.eng.UpdateParty(e.ctx, e.tn, both)
	require.NoError(t, err)
	got, err := e.eng.Party(e.ctx, e.tn, "B1")
	require.NoError(t, err)
	require.True(t, got.Blocked)
	arRequireDec(t, "50000", got.CreditLimit)
	all, err := e.eng.Parties(e.ctx, e.tn)
	require.NoError(t, err)
	require.Len(t, all, 6)
	require.Equal(t, "B1", all[0].Code)
	_, err = e.eng.UpdateParty(e.ctx, e.tn, arap.Party{Code: "NOPE", Customer: true, LegalName: "x", Address: "y"})
	require.ErrorIs(t, err, arap.ErrPartyNotFound)
}

// testARInvoice: the reference's worked example (value 1,000, SD 20% ->
// 200, VAT 15% of 1,200 -> 180, total 1,380) issued and posted.
func testARInvoice(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	d, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Series: "DHK",
		Lines: []arap.Line{arLine("Cement", "1", "1000", vat.StandardRate(), "20")}})
	require.NoError(t, err)
	require.Equal(t, arap.Draft, d.Status)
	require.Empty(t, d.Number)
	// A draft is editable.
	d, err = e.eng.UpdateDraft(e.ctx, e.tn, d.ID, arap.DraftRequest{Party: "C1", Series: "DHK",
		Lines: []arap.Line{arLine("Cement", "2", "500", vat.StandardRate(), "20")}})
	require.NoError(t, err)
	arRequireDec(t, "1380", d.Totals.Total)
	arRequireDec(t, "0", e.balance(t, "1210"), "a draft posts nothing")

	is, err := e.eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(5, 10)})
	require.NoError(t, err)
	inv := is.Document
	require.Equal(t, arap.Issued, inv.Status)
	require.Equal(t, "DHK-2026-27-000001", inv.Number)
	require.Equal(t, ledger.NewDate(2026, 7, 5), inv.Date)
	require.Equal(t, ledger.NewDate(2026, 8, 4), inv.DueDate)
	require.True(t, arAt(5, 10).Equal(inv.IssuedAt))
	arRequireDec(t, "1000", inv.Totals.Value)
	arRequireDec(t, "200", inv.Totals.SD)
	arRequireDec(t, "180", inv.Totals.VAT)
	arRequireDec(t, "1380", inv.Totals.Total)
	arRequireDec(t, "1380", inv.Open)
	arRequireDec(t, "1380", e.balance(t, "1210"))
	arRequireDec(t, "1000", e.balance(t, "4100"))
	arRequireDec(t, "180", e.balance(t, "2210"))
	arRequireDec(t, "200", e.balance(t, "2220"))
	ent, err := e.gl.Entry(e.ctx, e.tn, inv.EntryID)
	require.NoError(t, err)
	require.Equal(t, "DHK-2026-27-000001", ent.Reference)
	stored := e.doc(t, inv.ID)
	require.Equal(t, inv.Number, stored.Number)
	arRequireDec(t, "1000", stored.Lines[0].Value)

	// Immutable once issued.
	_, err = e.eng.UpdateDraft(e.ctx, e.tn, d.ID, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("x", "1", "1", vat.StandardRate(), "")}})
	require.ErrorIs(t, err, arap.ErrNotDraft)
	_, err = e.eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(5, 11)})
	require.ErrorIs(t, err, arap.ErrNotDraft)

	// The next invoice of the series takes 2; another location starts at 1;
	// a new fiscal year (1 July 2027, Dhaka) starts again at 1.
	second := e.invoice(t, "C1", 6, arLine("Sand", "10", "100", vat.StandardRate(), ""))
	require.Equal(t, "HO-2026-27-000001", second.Number)
	d3, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Series: "DHK", Lines: []arap.Line{arLine("Stone", "1", "100", vat.StandardRate(), "")}})
	require.NoError(t, err)
	is3, err := e.eng.IssueInvoice(e.ctx, e.tn, d3.ID, arap.IssueOptions{At: arAt(7, 9)})
	require.NoError(t, err)
	require.Equal(t, "DHK-2026-27-000002", is3.Document.Number)
	d4, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C1", Series: "DHK", Lines: []arap.Line{arLine("Stone", "1", "100", vat.StandardRate(), "")}})
	require.NoError(t, err)
	is4, err := e.eng.IssueInvoice(e.ctx, e.tn, d4.ID, arap.IssueOptions{At: time.Date(2027, 7, 1, 0, 30, 0, 0, vat.Dhaka())})
	require.NoError(t, err)
	require.Equal(t, "DHK-2027-28-000001", is4.Document.Number)

	// Batch issue: consecutive serials in the order given.
	var ids []uuid.UUID
	for range 3 {
		dd, err := e.eng.CreateInvoice(e.ctx, e.tn, arap.DraftRequest{Party: "C3", Series: "CTG", Lines: []arap.Line{arLine("Bricks", "100", "12.50", vat.PercentRate(vat.Reduced, "7.5"), "")}})
		require.NoError(t, err)
		ids = append(ids, dd.ID)
	}
	batch, err := e.eng.IssueInvoices(e.ctx, e.tn, ids, arap.IssueOptions{At: arAt(8, 9)})
	require.NoError(t, err)
	for i, b := range batch {
		require.Equal(t, ids[i], b.Document.ID)
		require.Equal(t, fmt.Sprintf("CTG-2026-27-%06d", i+1), b.Document.Number)
		arRequireDec(t, "1343.75", b.Document.Totals.Total) // 1,250 + 7.5% = 93.75
	}

	// Credit limit: block by default, warn when configured.
	lim := arSetup(t, st)
	c1, err := lim.eng.Party(lim.ctx, lim.tn, "C1")
	require.NoError(t, err)
	c1.CreditLimit = arDec("2000")
	_, err = lim.eng.UpdateParty(lim.ctx, lim.tn, c1)
	require.NoError(t, err)
	lim.invoice(t, "C1", 5, arLine("Cement", "1", "1000", vat.StandardRate(), "")) // 1,150
	over, err := lim.eng.CreateInvoice(lim.ctx, lim.tn, arap.DraftRequest{Party: "C1", Lines: []arap.Line{arLine("Cement", "1", "1000", vat.StandardRate(), "")}})
	require.NoError(t, err)
	_, err = lim.eng.IssueInvoice(lim.ctx, lim.tn, over.ID, arap.IssueOptions{At: arAt(6, 10)})
	require.ErrorIs(t, err, arap.ErrCreditLimit)
	warn := arap.New(st, arap.Config{Company: ARCompany, CreditLimit: arap.CreditLimitWarn})
	w, err := warn.IssueInvoice(lim.ctx, lim.tn, over.ID, arap.IssueOptions{At: arAt(6, 10)})
	require.NoError(t, err)
	require.Len(t, w.Warnings, 1)
	require.Contains(t, w.Warnings[0], "2300.00")
}

func testARBills(t *testing.T, st ARStore) {
	e := arSetup(t, st)
	// A registered vendor, paid through a bank: the VAT is input credit.
	b := e.bill(t, "V1", "JSP-991", 3, arap.Bank, arap.Line{Description: "Hydraulic hose", Unit: "pcs", Quantity: arDec("4"),
		UnitPrice: arDec("250"), VAT: vat.StandardRate(), Account: "5200"})
	require.Equal(t, arap.Approved, b.Status)
	arRequireDec(t, "1150", b.Totals.Total)
	arRequireDec(t, "150", b.Lines[0].InputVAT)
	require.Empty(t, b.Lines[0].ITCDenials)
	require.Equal(t, ledger.NewDate(2026, 7, 13), b.DueDate)
	arRequireDec(t, "1000", e.balance(t, "5200"))
	arRequireDec(t, "150", e.balance(t, "1400"))
	arRequireDec(t, "1150", e.balance(t, "2100"))

	// An unregistered vendor: no input credit, the VAT is cost.
	u := e.bill(t, "V2", "LW-7", 4, arap.Bank, arap.Line{Description: "Welding", Unit: "job", Quantity: arDec("1"),
		UnitPrice: arDec("2000"), VAT: vat.StandardRate(), Account: "5200"})
	arRequireDec(t, "0", u.Lines[0].InputVAT)
	require.Contains(t, u.Lines[0].ITCDenials, vat.MissingSupplierBIN.String())
	arRequireDec(t, "3300", e.balance(t, "5200"))
	arRequireDec(t, "150", e.balance(t, "1400"))

	// Above Tk 1 lakh and to be paid in cash: the VAT is refused (s.46).
	c := e.bill(t, "V1", "JSP-1000", 5, arap.Cash, arap.Line{Description: "Engine overhaul kit", Unit: "set",
		Quantity: arDec("1"), UnitPrice: arDec("100000"), VAT: vat.StandardRate(), Account: "1320"})
	arRequireDec(t, "0", c.Lines[0].InputVAT)
	require.Contains(t, c.Lines[0].ITCDenials, vat.NotPaidThroughBank.String())
	arRequireDec(t, "115000", e.balance(t, "1320"))
	// The same through a bank: credited. SD is never credited.
	k := e.bill(t, "V1", "JSP-1001", 5, arap.Bank, arap.Line{Description: "Engine overhaul kit", Unit: "set",
		Quantity: arDec("1"), UnitPrice: arDec("100000"), VAT: vat.StandardRate(), SDPercent: arDec("10"), Account: "1320"})
	arRequireDec(t, "16500", k.Lines[0].InputVAT) // 15% of 110,000
	arRequireDec(t, "16650", e.balance(t, "1400"))
	arRequireDec(t, "225000", e.balance(t, "1320")) // 115,000 + 100,000 + SD 10,000
	// A blocked purchase: entertainment.
	d, err := e.eng.CreateBill(e.ctx, e.tn, arap.DraftRequest{Party: "V1", Number: "JSP-1002", Date: ledger.NewDate(2026, 7, 6),
		BlockedWhat: "entertainment", Lines: []arap.Line{{Description: "Dinner", Unit: "event", Quantity: arDec("1"),
			UnitPrice: arDec("1000"), VAT: vat.StandardRate(), Account: "6400"}}})
	require.NoError(t, err)
	x, err := e.eng.ApproveBill(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(6, 12)})
	require.NoError(t, err)
	arRequireDec(t, "0", x.Lines[0].InputVAT)
	require.Contains(t, x.Lines[0].ITCDenials, vat.BlockedPurchase.String())
	_, err = e.eng.ApproveBill(e.ctx, e.tn, d.ID, arap.IssueOptions{At: arAt(6, 12)})
	require.ErrorIs(t, err, arap.ErrNotDraft)
	arRequireDec(t, "246100", e.balance(t, "2100")) // 1,150 + 2,300 + 115,000 + 126,500 + 1,150

	// The bill credited as bank-paid is paid in cash after all: its input
	// VAT is given back (9.1 note 25), once.
	for _, amt := range []string{"50000", "10000"} {
		p, err := e.eng.Pay(e.ctx, e.tn, arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 20), Channel: arap.Cash,
			Amount: arDec(amt), Allocations: []arap.Apply{{Document: k.ID, Amount: arDec(amt)}}})
		require.NoError(t, err)
		if amt == "50000" {
			arRequireDec(t, "16500", p.Document.ITCReversed)
		} else {
			arRequireDec(t, "0", p.Document.ITCReversed)
		}
	}
	arRequireDec(t, "16500", e.doc(t, k.ID).ITCReversed)
	arRequireDec(t, "150", e.balance(t, "1400"))
	arRequireDec(t, "241500", e.balance(t, "1320"))
	arRequireDec(t, "186100", e.balance(t, "2100"))
	adj, err := e.eng.Adjustments(e.ctx, e.tn, vat.MonthOf(vat.NewDate(2026, 7, 1)))
	require.NoError(t, err)
	var note25 []vat.Adjustment
	for _, a := range adj {
		if a.Note == 25 {
			note25 = append(note25, a)
		}
	}
	require.Len(t, note25, 1)
	arRequireDec(t, "16500", note25[0].VAT)
	// A small bill paid in cash keeps its credit.
	small := e.bill(t, "V1", "JSP-1003", 7, arap.Bank, arap.Line{Description: "Grease", Unit: "kg", Quantity: arDec("10"),
		UnitPrice: arDec("100"), VAT: vat.StandardRate(), Account: "5200"})
	_, err = e.eng.Pay(e.ctx, e.tn, arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 21), Channel: arap.Cash,
		Amount: arDec("1150"), Allocations: []arap.Apply{{Document: small.ID, Amount: arDec("1150")}}})
	require.NoError(t, err)
	arRequireDec(t, "0", e.doc(t, small.ID).ITCReversed)
	arRequireDec(t, "300", e.balance(t, "1400"))
}
