package vat_test

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/erpkit/erpkit/vat"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// SD is charged first, on the value; VAT on value plus SD.
func ExampleCalculate() {
	res, err := vat.Calculate(vat.Supply{Lines: []vat.Line{{
		Description: "Cement", Unit: "bag", Quantity: dec("1"), UnitPrice: dec("1000"),
		VAT: vat.StandardRate(), SDPercent: dec("20"),
	}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := res.Totals
	fmt.Println("value", t.Value, "SD", t.SD, "VAT", t.VAT, "total", t.Total)
	// Output: value 1000 SD 200 VAT 180 total 1380
}

// A VAT-inclusive price contains price x 15/115 of VAT.
func ExampleCalculate_inclusive() {
	res, _ := vat.Calculate(vat.Supply{PricesIncludeTax: true, Lines: []vat.Line{
		{Description: "Meal", Unit: "plate", Quantity: dec("1"), UnitPrice: dec("1000"), VAT: vat.StandardRate()},
		{Description: "Meal", Unit: "plate", Quantity: dec("1"), UnitPrice: dec("1500"), VAT: vat.StandardRate()},
	}})
	for _, l := range res.Lines {
		fmt.Println(l.Total.StringFixed(2), "contains VAT", l.VAT.StringFixed(2))
	}
	// Output:
	// 1000.00 contains VAT 130.43
	// 1500.00 contains VAT 195.65
}

// Half-up rounding to the poisha is the default; banker's rounding is a named option.
func ExampleRounding() {
	value, rate := dec("159270.30"), dec("15")
	fmt.Println(vat.VATExclusive(value, rate, vat.Rounding{}))
	fmt.Println(vat.VATExclusive(value, rate, vat.Rounding{Mode: vat.HalfEven}))
	// Output:
	// 23890.55
	// 23890.54
}

// Rates are dated data: the restaurant rate changed twice in January 2025.
func ExampleTable_VATRate() {
	tab := vat.DefaultTable()
	for _, day := range []vat.Date{vat.NewDate(2025, 1, 8), vat.NewDate(2025, 1, 9), vat.NewDate(2025, 1, 23)} {
		r, _ := tab.VATRate("restaurant", day)
		fmt.Println(day, r.Percent.String()+"%", r.Category)
	}
	// Output:
	// 2025-01-08 5% reduced
	// 2025-01-09 15% standard
	// 2025-01-23 5% reduced
}

// A user adds an SRO by loading a JSON file over the shipped table.
func ExampleLoadTable() {
	sro, err := vat.LoadTable(strings.NewReader(`{"vds": [{"key": "S-EXAMPLE", "values": [
		{"since": "2025-07-01", "percent": "10", "source": "example SRO"}]}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	tab, _ := vat.DefaultTable().Merge(sro)
	r, _ := tab.VDSRate("S-EXAMPLE", vat.NewDate(2025, 8, 1))
	fmt.Println(r.Percent, r.Source)
	// Output: 10 example SRO
}

func ExampleParseBIN() {
	b, err := vat.ParseBIN("0028 7182 1 0101")
	fmt.Println(b, err)
	_, err = vat.ParseBIN("123456789")
	fmt.Println(err)
	// Output:
	// 002871821-0101 <nil>
	// vat: BIN "123456789": a 9-digit BIN was invalidated on 30 Nov 2019; the BIN now has 13 digits (use ParseLegacyBIN for old records)
}

func ExampleParseTIN() {
	t, _ := vat.ParseTIN("123456789012")
	fmt.Println(t)
	// Output: 1234-5678-9012
}

func ExampleParseMobile() {
	m, _ := vat.ParseMobile("017-1234-5678")
	fmt.Println(m, m.Local())
	// Output: +8801712345678 01712345678
}

func ExampleWords() {
	fmt.Println(vat.Words(dec("123456.78")))
	fmt.Println(vat.WordsBengali(dec("123456.78")))
	fmt.Println(vat.FormatTaka(dec("12345678.9")))
	// Output:
	// Taka One Lakh Twenty Three Thousand Four Hundred Fifty Six and Seventy Eight Poisha Only
	// এক লাখ তেইশ হাজার চারশত ছাপ্পান্ন টাকা আটাত্তর পয়সা মাত্র
	// ৳1,23,45,678.90
}

func ExampleFiscalYearOf() {
	fmt.Println(vat.FiscalYearOf(vat.NewDate(2026, 6, 30)), vat.FiscalYearOf(vat.NewDate(2026, 7, 1)))
	// Output: 2025-26 2026-27
}

// Serial numbers restart each fiscal year, per location.
func ExampleSeries_Next() {
	s := vat.Series{Location: "DHK"}
	dhaka := vat.Dhaka()
	a, _ := s.Next(vat.Serial{}, time.Date(2026, 6, 30, 17, 0, 0, 0, dhaka))
	b, _ := s.Next(a, time.Date(2026, 6, 30, 18, 0, 0, 0, dhaka))
	c, _ := s.Next(b, time.Date(2026, 7, 1, 9, 0, 0, 0, dhaka))
	for _, x := range []vat.Serial{a, b, c} {
		text, _ := s.Format.Format(x)
		fmt.Println(text)
	}
	rep, _ := vat.CheckSerials(s.Format, []string{"DHK-2025-26-000001", "DHK-2025-26-000003", "DHK-2025-26-000003"})
	fmt.Printf("gaps %+v duplicates %d\n", rep.Gaps, len(rep.Duplicates))
	// Output:
	// DHK-2025-26-000001
	// DHK-2025-26-000002
	// DHK-2026-27-000001
	// gaps [{Location:DHK FiscalYear:2025-26 From:2 To:2}] duplicates 1
}

// Input tax credit: every reason for refusing it is listed.
func ExampleCheckInputCredit() {
	supplier, _ := vat.ParseBIN("002871821-0101")
	p := vat.Purchase{
		Date: vat.NewDate(2026, 1, 10), SupplierBIN: supplier, // buyer BIN missing
		Value: dec("100000"), VAT: dec("15000"), InRegister: true, // paid in cash
	}
	c, _ := vat.CheckInputCredit(p, vat.MonthOf(p.Date), vat.ITCPolicy{})
	fmt.Println("creditable:", c.Creditable)
	for _, r := range c.Reasons {
		fmt.Println("-", r.Reason)
	}
	// Output:
	// creditable: 0
	// - not paid through a bank channel
	// - buyer BIN missing
}

// The 9.1 return is computed from streamed register lines and adjustments.
func ExampleComputeReturn() {
	jan := vat.MonthOf(vat.NewDate(2026, 1, 1))
	sales := func(yield func(vat.SalesLine, error) bool) {
		yield(vat.SalesLine{Date: vat.NewDate(2026, 1, 5), Value: dec("1000"), SD: dec("200"), VAT: dec("180"), Note: vat.StandardSale}, nil)
	}
	purchases := func(yield func(vat.PurchaseLine, error) bool) {
		yield(vat.PurchaseLine{Date: vat.NewDate(2026, 1, 3), Value: dec("400"), VAT: dec("60"), Note: vat.StandardLocal}, nil)
	}
	r, err := vat.ComputeReturn(jan, sales, purchases, []vat.Adjustment{{Note: 29, VAT: dec("20"), Description: "VDS by customer"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("note 9 VAT", r.Note(9).VAT, "note 23", r.Note(23).VAT, "note 33", r.Note(33).VAT, "note 34", r.NetPayable())
	// Output: note 9 VAT 180 note 23 60 note 33 20 note 34 100
}

// Documents are validated before rendering; every problem is reported.
func ExampleInvoice_Validate() {
	inv := &vat.Invoice{Serial: "DHK-2025-26-000001", IssuedAt: time.Date(2026, 1, 15, 14, 35, 0, 0, vat.Dhaka())}
	err := inv.Validate(vat.InvoiceRules{})
	fmt.Println(strings.ReplaceAll(err.Error(), "; ", "\n"))
	// Output:
	// vat: Mushak-6.3 is not valid: Supplier.Name: vat: mandatory field is missing
	// Supplier.Address: vat: mandatory field is missing
	// Supplier.BIN: vat: mandatory field is missing
	// Buyer.Name: vat: mandatory field is missing
	// Buyer.Address: vat: mandatory field is missing
	// Lines: vat: a supply needs at least one line
	// Responsible.Name: vat: mandatory field is missing
	// Responsible.Designation: vat: mandatory field is missing
}

func ExampleInvoice_RenderHTML() {
	bin, _ := vat.ParseBIN("002871821-0101")
	inv := &vat.Invoice{
		Serial: "DHK-2025-26-000001", IssuedAt: time.Date(2026, 1, 15, 14, 35, 0, 0, vat.Dhaka()),
		Supplier: vat.Party{Name: "Meghna Cement Mills Ltd", BIN: bin, Address: "Tejgaon, Dhaka"},
		Buyer:    vat.Party{Name: "Walk-in customer", Address: "Dhaka"},
		Lines: []vat.Line{{Description: "Cement", Unit: "bag", Quantity: dec("1"), UnitPrice: dec("1000"),
			VAT: vat.StandardRate(), SDPercent: dec("20")}},
		Responsible: vat.Person{Name: "Rahim Uddin", Designation: "Accounts Manager"},
	}
	var page strings.Builder
	if err := inv.RenderHTML(&page, vat.InvoiceRules{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(page.String(), "কর চালানপত্র / Tax Invoice"))
	// RenderPDF writes the same invoice as PDF (English labels, built-in font).
	fmt.Println(inv.RenderPDF(io.Discard, vat.InvoiceRules{}))
	// Output:
	// true
	// <nil>
}
