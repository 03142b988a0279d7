package arap_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/vat"
)

func company(string) arap.Company {
	bin, _ := vat.ParseBIN("002871821-0101")
	return arap.Company{
		Party:       vat.Party{Name: "Barapukuria Earthworks Ltd", BIN: bin, Address: "Dhanmondi, Dhaka"},
		Responsible: vat.Person{Name: "Rahima Khatun", Designation: "Accounts Manager"},
		Withholder:  vat.Buyer{Kind: vat.LimitedCompany},
	}
}

// The worked example of docs/arap.md: a withholding customer, an invoice, a
// payment net of VDS, a credit note, and the 9.1 return of the month.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "arap-example")
	defer os.RemoveAll(dir)
	st, err := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		panic(err)
	}
	const tenant = "acme"
	gl := ledger.New(st, ledger.Config{})
	if _, err := gl.InstallChart(ctx, tenant, ledger.ChartBangladesh()); err != nil {
		panic(err)
	}
	eng := arap.New(st, arap.Config{Company: company})

	// A customer that withholds VAT at source (a government department).
	_, err = eng.CreateParty(ctx, tenant, arap.Party{Code: "RHD", Customer: true, LegalName: "Roads and Highways Department",
		Address: "Sarak Bhaban, Dhaka", BIN: "000765432-0202", VATRegistered: true, Withholding: true, PaymentTermsDays: 30})
	if err != nil {
		panic(err)
	}

	// An invoice: ten days of excavator hire at Tk 8,000, 15% VAT.
	draft, err := eng.CreateInvoice(ctx, tenant, arap.DraftRequest{Party: "RHD", Series: "DHK", Lines: []arap.Line{{
		Description: "Excavator hire", Unit: "day", Quantity: decimal.NewFromInt(10),
		UnitPrice: decimal.NewFromInt(8000), VAT: vat.StandardRate()}}})
	if err != nil {
		panic(err)
	}
	issued, err := eng.IssueInvoice(ctx, tenant, draft.ID, arap.IssueOptions{At: time.Date(2026, 7, 5, 11, 0, 0, 0, vat.Dhaka())})
	if err != nil {
		panic(err)
	}
	inv := issued.Document
	fmt.Println(inv.Number, inv.Totals.Value, inv.Totals.VAT, inv.Totals.Total)

	// One day was not worked: a credit note (Mushak-6.7).
	cn, err := eng.CreditNote(ctx, tenant, arap.NoteRequest{Original: inv.ID, Reason: "one day not worked (breakdown)",
		Lines: []arap.Line{{Description: "Excavator hire", Unit: "day", Quantity: decimal.NewFromInt(1),
			UnitPrice: decimal.NewFromInt(8000), VAT: vat.StandardRate()}}, At: time.Date(2026, 7, 10, 9, 0, 0, 0, vat.Dhaka())})
	if err != nil {
		panic(err)
	}
	fmt.Println(cn.Number, cn.Totals.Total)

	// The department pays the rest net of the VAT it deducts at source, and
	// gives its Mushak-6.6. The transfer's number is the idempotency key.
	money := arap.MoneyRequest{Party: "RHD", Date: ledger.NewDate(2026, 7, 25), Channel: arap.Bank,
		Amount: decimal.NewFromInt(72000), Reference: "Sonali Bank TT 4471", Series: "DHK",
		Certificate:    &arap.Certificate{Number: "RHD/66/2026-27/118", Date: ledger.NewDate(2026, 7, 25)},
		Allocations:    []arap.Apply{{Document: inv.ID, Amount: decimal.NewFromInt(82800), VDS: decimal.NewFromInt(10800)}},
		IdempotencyKey: "sonali-tt-4471"}
	rc, err := eng.Receive(ctx, tenant, money)
	if err != nil {
		panic(err)
	}
	fmt.Println(rc.Document.Number, rc.Document.Totals.Total, "open:", rc.Document.Open)

	// The clerk's screen timed out and the receipt is sent again: the same
	// receipt comes back, and nothing is recorded twice.
	again, err := eng.Receive(ctx, tenant, money)
	if err != nil {
		panic(err)
	}
	fmt.Println("retried:", again.Document.Number, again.Document.ID == rc.Document.ID)

	for _, code := range []string{"1120", "1220", "1210", "2210", "4100"} {
		b, _ := gl.Balance(ctx, tenant, code, "BDT", ledger.Date{})
		fmt.Println(code, b.Balance)
	}

	ret, err := eng.Return(ctx, tenant, vat.MonthOf(vat.NewDate(2026, 7, 1)))
	if err != nil {
		panic(err)
	}
	fmt.Println("9.1 note 9 VAT:", ret.Note(9).VAT, "note 29:", ret.Note(29).VAT, "note 31:", ret.Note(31).VAT,
		"note 34:", ret.NetPayable())
	// Output:
	// DHK-2026-27-000001 80000 12000 92000
	// CN-DHK-2026-27-000001 9200
	// RC-DHK-2026-27-000001 82800 open: 0
	// retried: RC-DHK-2026-27-000001 true
	// 1120 72000
	// 1220 10800
	// 1210 0
	// 2210 10800
	// 4100 72000
	// 9.1 note 9 VAT: 12000 note 29: 10800 note 31: 1200 note 34: 0
}
