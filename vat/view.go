package vat

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// label is a bilingual label of a Mushak form.
type label struct{ EN, BN string }

// labels of the printed forms. The Bengali texts follow the wording of the Mushak
// forms of the VAT and SD Rules 2016.
var labels = struct {
	Govt, NBR, Invoice, Credit, Debit, VDSCert, Supplier, SupplierBIN, SupplierAddress,
	Buyer, BuyerBIN, Destination, Serial, IssueDate, IssueTime, OriginalSerial,
	OriginalDate, Reason, No, Description, Unit, Qty, UnitPrice, Value, SD, VATRate, VAT,
	Total, Totals, InWords, Responsible, Designation, Signature, Duplicate, Rule,
	Withholder, WithholderBIN, WithholderAddress, VDSSupplier, VDSSupplierBIN,
	VDSSupplierAddress, InvoiceNo, InvoiceDate, SupplyValue, InvoiceVAT, Withheld,
	Challan, ChallanDate label
}{
	Govt:               label{"Government of the People's Republic of Bangladesh", "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার"},
	NBR:                label{"National Board of Revenue", "জাতীয় রাজস্ব বোর্ড"},
	Invoice:            label{"Tax Invoice", "কর চালানপত্র"},
	Credit:             label{"Credit Note", "ক্রেডিট নোট"},
	Debit:              label{"Debit Note", "ডেবিট নোট"},
	VDSCert:            label{"Certificate of VAT Deducted at Source", "উৎসে কর কর্তন সনদপত্র"},
	Supplier:           label{"Name of registered person", "নিবন্ধিত ব্যক্তির নাম"},
	SupplierBIN:        label{"BIN of registered person", "নিবন্ধিত ব্যক্তির বিআইএন"},
	SupplierAddress:    label{"Address of issue", "চালানপত্র ইস্যুর ঠিকানা"},
	Buyer:              label{"Name of buyer", "ক্রেতার নাম"},
	BuyerBIN:           label{"BIN of buyer", "ক্রেতার বিআইএন"},
	Destination:        label{"Destination of supply", "সরবরাহের গন্তব্যস্থল"},
	Serial:             label{"Serial number", "ক্রমিক নম্বর"},
	IssueDate:          label{"Date of issue", "ইস্যুর তারিখ"},
	IssueTime:          label{"Time of issue", "ইস্যুর সময়"},
	OriginalSerial:     label{"Original invoice number", "মূল চালানপত্রের নম্বর"},
	OriginalDate:       label{"Original invoice date and time", "মূল চালানপত্রের তারিখ ও সময়"},
	Reason:             label{"Nature of adjustment", "সমন্বয়ের কারণ"},
	No:                 label{"No.", "ক্রমিক"},
	Description:        label{"Description of goods or services", "পণ্য বা সেবার বর্ণনা"},
	Unit:               label{"Unit of supply", "সরবরাহের একক"},
	Qty:                label{"Quantity", "পরিমাণ"},
	UnitPrice:          label{"Unit price (Tk)", "একক মূল্য (টাকায়)"},
	Value:              label{"Total value (Tk)", "মোট মূল্য (টাকায়)"},
	SD:                 label{"Supplementary duty (Tk)", "সম্পূরক শুল্কের পরিমাণ (টাকায়)"},
	VATRate:            label{"VAT rate / specific tax", "মূল্য সংযোজন করের হার / সুনির্দিষ্ট কর"},
	VAT:                label{"VAT amount (Tk)", "মূল্য সংযোজন করের পরিমাণ (টাকায়)"},
	Total:              label{"Value incl. all taxes (Tk)", "সকল প্রকার শুল্ক ও করসহ মূল্য (টাকায়)"},
	Totals:             label{"Total", "সর্বমোট"},
	InWords:            label{"In words", "কথায়"},
	Responsible:        label{"Name of responsible person", "প্রতিষ্ঠান কর্তৃপক্ষের দায়িত্বপ্রাপ্ত ব্যক্তির নাম"},
	Designation:        label{"Designation", "পদবি"},
	Signature:          label{"Signature", "স্বাক্ষর"},
	Duplicate:          label{"DUPLICATE", "অনুলিপি"},
	Rule:               label{"See rule 40 of the VAT and SD Rules 2016", "বিধি ৪০ দ্রষ্টব্য"},
	Withholder:         label{"Name of withholding entity", "উৎসে কর কর্তনকারী সত্তার নাম"},
	WithholderBIN:      label{"BIN of withholding entity", "উৎসে কর কর্তনকারী সত্তার বিআইএন"},
	WithholderAddress:  label{"Address of withholding entity", "উৎসে কর কর্তনকারী সত্তার ঠিকানা"},
	VDSSupplier:        label{"Name of supplier", "সরবরাহকারীর নাম"},
	VDSSupplierBIN:     label{"BIN of supplier", "সরবরাহকারীর বিআইএন"},
	VDSSupplierAddress: label{"Address of supplier", "সরবরাহকারীর ঠিকানা"},
	InvoiceNo:          label{"Tax invoice number", "কর চালানপত্র নম্বর"},
	InvoiceDate:        label{"Invoice date", "চালানপত্রের তারিখ"},
	SupplyValue:        label{"Value of supply (Tk)", "সরবরাহের মূল্য (টাকায়)"},
	InvoiceVAT:         label{"VAT on invoice (Tk)", "চালানপত্রে উল্লিখিত মূসক (টাকায়)"},
	Withheld:           label{"VAT deducted at source (Tk)", "উৎসে কর্তনকৃত মূসক (টাকায়)"},
	Challan:            label{"Treasury challan number", "ট্রেজারি চালান নম্বর"},
	ChallanDate:        label{"Treasury challan date", "ট্রেজারি চালানের তারিখ"},
}

// field is one labelled value of a document's header or footer. Path names the
// document field it comes from, for errors.
type field struct {
	L    label
	V    string
	Path string
}

// column is a column of a document's table; Path is the line field it shows.
type column struct {
	L     label
	W     float64 // width in the PDF, mm
	Right bool
	Path  string
}

// docView is what a renderer needs of a Mushak document: every value already
// formatted as text, so that HTML and PDF show the same thing.
type docView struct {
	Form      string // "Mushak-6.3"
	Title     label
	Rule      *label
	Duplicate bool
	Serial    string
	Author    string
	At        time.Time
	Fields    []field
	Cols      []column
	Rows      [][]string
	Total     []string // totals row; the cell at TotalAt is left for the "Total" label
	TotalAt   int
	Words     string
	WordsBN   string
	Signer    []field
	L         any // the labels, for templates
}

const (
	dateLayout = "02/01/2006"
	timeLayout = "15:04"
)

func amount(d decimal.Decimal) string { return Group(d) }

var goodsCols = []column{
	{labels.No, 9, true, ""}, {labels.Description, 62, false, "Description"}, {labels.Unit, 18, false, "Unit"},
	{labels.Qty, 18, true, "Quantity"}, {labels.UnitPrice, 25, true, "UnitPrice"}, {labels.Value, 27, true, ""},
	{labels.SD, 28, true, ""}, {labels.VATRate, 22, true, ""}, {labels.VAT, 25, true, ""}, {labels.Total, 27, true, ""},
}

func signer(p Person) []field {
	return []field{
		{labels.Responsible, p.Name, "Responsible.Name"},
		{labels.Designation, p.Designation, "Responsible.Designation"},
		{labels.Signature, "____________________", ""},
	}
}

func goodsView(form string, title label, serial string, at time.Time, supplier, buyer Party,
	lines []Line, res Result, person Person) docView {
	at = at.In(Dhaka())
	v := docView{
		Form: form, Title: title, Serial: serial, At: at, Author: supplier.Name, L: labels,
		Fields: []field{
			{labels.Supplier, supplier.Name, "Supplier.Name"},
			{labels.SupplierBIN, supplier.BIN.String(), "Supplier.BIN"},
			{labels.SupplierAddress, supplier.Address, "Supplier.Address"},
			{labels.Buyer, buyer.Name, "Buyer.Name"},
			{labels.BuyerBIN, buyer.BIN.String(), "Buyer.BIN"},
			{labels.Destination, buyer.Address, "Buyer.Address"},
			{labels.Serial, serial, "Serial"},
			{labels.IssueDate, at.Format(dateLayout), "IssuedAt"},
			{labels.IssueTime, at.Format(timeLayout), "IssuedAt"},
		},
		Cols:    goodsCols,
		Words:   Words(res.Totals.Total),
		WordsBN: WordsBengali(res.Totals.Total),
		Signer:  signer(person),
	}
	for i, l := range lines {
		a := res.Lines[i]
		sd := amount(a.SD)
		if l.SDPercent.Sign() > 0 {
			sd += " (" + l.SDPercent.String() + "%)"
		}
		v.Rows = append(v.Rows, []string{fmt.Sprint(i + 1), l.Description, l.Unit, l.Quantity.String(),
			amount(l.UnitPrice), amount(a.Value), sd, l.VAT.String(), amount(a.VAT), amount(a.Total)})
	}
	t := res.Totals
	v.Total = []string{"", "", "", "", "", amount(t.Value), amount(t.SD), "", amount(t.VAT), amount(t.Total)}
	v.TotalAt = 1
	return v
}

func invoiceView(inv *Invoice, res Result) docView {
	v := goodsView("Mushak-6.3", labels.Invoice, inv.Serial, inv.IssuedAt, inv.Supplier, inv.Buyer, inv.Lines, res, inv.Responsible)
	v.Duplicate = inv.Duplicate
	rule := labels.Rule
	v.Rule = &rule
	return v
}

func noteView(n *AdjustmentNote, res Result) docView {
	title := labels.Credit
	if n.Kind == DebitNote {
		title = labels.Debit
	}
	v := goodsView("Mushak-"+n.Kind.Form(), title, n.Serial, n.IssuedAt, n.Supplier, n.Buyer, n.Lines, res, n.Responsible)
	o := n.Original.IssuedAt.In(Dhaka())
	v.Fields = append(v.Fields,
		field{labels.OriginalSerial, n.Original.Serial, "Original.Serial"},
		field{labels.OriginalDate, o.Format(dateLayout) + " " + o.Format(timeLayout), "Original.IssuedAt"},
		field{labels.Reason, n.Reason, "Reason"})
	return v
}

var vdsCols = []column{
	{labels.No, 12, true, ""}, {labels.InvoiceNo, 70, false, "InvoiceSerial"}, {labels.InvoiceDate, 35, false, ""},
	{labels.SupplyValue, 55, true, ""}, {labels.InvoiceVAT, 50, true, ""}, {labels.Withheld, 55, true, ""},
}

func certificateView(c *VDSCertificate) docView {
	at := c.IssuedAt.In(Dhaka())
	v := docView{
		Form: "Mushak-6.6", Title: labels.VDSCert, Serial: c.Serial, At: at, Author: c.Withholder.Name, L: labels,
		Fields: []field{
			{labels.Withholder, c.Withholder.Name, "Withholder.Name"},
			{labels.WithholderBIN, c.Withholder.BIN.String(), "Withholder.BIN"},
			{labels.WithholderAddress, c.Withholder.Address, "Withholder.Address"},
			{labels.VDSSupplier, c.Supplier.Name, "Supplier.Name"},
			{labels.VDSSupplierBIN, c.Supplier.BIN.String(), "Supplier.BIN"},
			{labels.VDSSupplierAddress, c.Supplier.Address, "Supplier.Address"},
			{labels.Serial, c.Serial, "Serial"},
			{labels.IssueDate, at.Format(dateLayout), "IssuedAt"},
			{labels.IssueTime, at.Format(timeLayout), "IssuedAt"},
			{labels.Challan, c.Deposit.ChallanNumber, "Deposit.ChallanNumber"},
			{labels.ChallanDate, c.Deposit.Date.Time().Format(dateLayout), "Deposit.Date"},
		},
		Cols:   vdsCols,
		Signer: signer(c.Responsible),
	}
	for i, l := range c.Lines {
		v.Rows = append(v.Rows, []string{fmt.Sprint(i + 1), l.InvoiceSerial, l.InvoiceDate.Time().Format(dateLayout),
			amount(l.Value), amount(l.VAT), amount(l.Withheld)})
	}
	value, vat, withheld := c.Totals()
	v.Total = []string{"", "", "", amount(value), amount(vat), amount(withheld)}
	v.TotalAt = 1
	v.Words = Words(withheld)
	v.WordsBN = WordsBengali(withheld)
	return v
}
