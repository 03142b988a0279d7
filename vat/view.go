package vat

import (
	"time"

	"github.com/shopspring/decimal"
)

// label is a bilingual label of a Mushak form.
type label struct{ EN, BN string }

// labels of the printed forms. The Bengali texts follow the wording of the Mushak
// forms of the VAT and SD Rules 2016.
var labels = struct {
	Govt, NBR, Invoice, Credit, Debit, Supplier, SupplierBIN, SupplierAddress,
	Buyer, BuyerBIN, Destination, Serial, IssueDate, IssueTime, Original, OriginalSerial,
	OriginalDate, Reason, No, Description, Unit, Qty, UnitPrice, Value, SD, VATRate, VAT,
	Total, Totals, InWords, Responsible, Designation, Signature, Duplicate, Rule label
}{
	Govt:            label{"Government of the People's Republic of Bangladesh", "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার"},
	NBR:             label{"National Board of Revenue", "জাতীয় রাজস্ব বোর্ড"},
	Invoice:         label{"Tax Invoice", "কর চালানপত্র"},
	Credit:          label{"Credit Note", "ক্রেডিট নোট"},
	Debit:           label{"Debit Note", "ডেবিট নোট"},
	Supplier:        label{"Name of registered person", "নিবন্ধিত ব্যক্তির নাম"},
	SupplierBIN:     label{"BIN of registered person", "নিবন্ধিত ব্যক্তির বিআইএন"},
	SupplierAddress: label{"Address of issue", "চালানপত্র ইস্যুর ঠিকানা"},
	Buyer:           label{"Name of buyer", "ক্রেতার নাম"},
	BuyerBIN:        label{"BIN of buyer", "ক্রেতার বিআইএন"},
	Destination:     label{"Destination of supply", "সরবরাহের গন্তব্যস্থল"},
	Serial:          label{"Serial number", "ক্রমিক নম্বর"},
	IssueDate:       label{"Date of issue", "ইস্যুর তারিখ"},
	IssueTime:       label{"Time of issue", "ইস্যুর সময়"},
	Original:        label{"Original tax invoice", "মূল কর চালানপত্র"},
	OriginalSerial:  label{"Original invoice number", "মূল চালানপত্রের নম্বর"},
	OriginalDate:    label{"Original invoice date and time", "মূল চালানপত্রের তারিখ ও সময়"},
	Reason:          label{"Nature of adjustment", "সমন্বয়ের কারণ"},
	No:              label{"No.", "ক্রমিক"},
	Description:     label{"Description of goods or services", "পণ্য বা সেবার বর্ণনা"},
	Unit:            label{"Unit of supply", "সরবরাহের একক"},
	Qty:             label{"Quantity", "পরিমাণ"},
	UnitPrice:       label{"Unit price (Tk)", "একক মূল্য (টাকায়)"},
	Value:           label{"Total value (Tk)", "মোট মূল্য (টাকায়)"},
	SD:              label{"Supplementary duty (Tk)", "সম্পূরক শুল্কের পরিমাণ (টাকায়)"},
	VATRate:         label{"VAT rate / specific tax", "মূল্য সংযোজন করের হার / সুনির্দিষ্ট কর"},
	VAT:             label{"VAT amount (Tk)", "মূল্য সংযোজন করের পরিমাণ (টাকায়)"},
	Total:           label{"Value including all taxes (Tk)", "সকল প্রকার শুল্ক ও করসহ মূল্য (টাকায়)"},
	Totals:          label{"Total", "সর্বমোট"},
	InWords:         label{"In words", "কথায়"},
	Responsible:     label{"Name of responsible person", "প্রতিষ্ঠান কর্তৃপক্ষের দায়িত্বপ্রাপ্ত ব্যক্তির নাম"},
	Designation:     label{"Designation", "পদবি"},
	Signature:       label{"Signature", "স্বাক্ষর"},
	Duplicate:       label{"DUPLICATE", "অনুলিপি"},
	Rule:            label{"See rule 40 of the VAT and SD Rules 2016", "বিধি ৪০ দ্রষ্টব্য"},
}

// docView is what a renderer needs of a 6.3, 6.7 or 6.8: every field already
// formatted as text.
type docView struct {
	Form      string // "Mushak-6.3"
	Title     label
	Duplicate bool
	Serial    string
	Date      string // DD/MM/YYYY in Dhaka time
	Time      string // HH:MM in Dhaka time
	At        time.Time
	Supplier  partyView
	Buyer     partyView
	HasOrig   bool
	OrigNo    string
	OrigAt    string
	Reason    string
	Lines     []lineView
	Totals    lineView
	Words     string
	WordsBN   string
	Person    Person
	L         any // the labels, for templates
}

type partyView struct{ Name, BIN, Address string }

type lineView struct {
	N                                                  int
	Description, Unit, Qty, UnitPrice, Value, SD, Rate string
	VAT, Total                                         string
}

const (
	dateLayout = "02/01/2006"
	timeLayout = "15:04"
)

func party(p Party) partyView {
	return partyView{Name: p.Name, BIN: p.BIN.String(), Address: p.Address}
}

func amount(d decimal.Decimal) string { return Group(d) }

func buildView(form string, title label, serial string, at time.Time, supplier, buyer Party,
	lines []Line, res Result, person Person) docView {
	at = at.In(Dhaka())
	v := docView{
		Form: form, Title: title, Serial: serial, At: at,
		Date: at.Format(dateLayout), Time: at.Format(timeLayout),
		Supplier: party(supplier), Buyer: party(buyer), Person: person, L: labels,
		Words:   Words(res.Totals.Total),
		WordsBN: WordsBengali(res.Totals.Total),
	}
	for i, l := range lines {
		a := res.Lines[i]
		sd := amount(a.SD)
		if l.SDPercent.Sign() > 0 {
			sd += " (" + l.SDPercent.String() + "%)"
		}
		v.Lines = append(v.Lines, lineView{
			N: i + 1, Description: l.Description, Unit: l.Unit, Qty: l.Quantity.String(),
			UnitPrice: amount(l.UnitPrice), Value: amount(a.Value), SD: sd, Rate: l.VAT.String(),
			VAT: amount(a.VAT), Total: amount(a.Total),
		})
	}
	t := res.Totals
	v.Totals = lineView{Value: amount(t.Value), SD: amount(t.SD), VAT: amount(t.VAT), Total: amount(t.Total)}
	return v
}

func invoiceView(inv *Invoice, res Result) docView {
	v := buildView("Mushak-6.3", labels.Invoice, inv.Serial, inv.IssuedAt, inv.Supplier, inv.Buyer, inv.Lines, res, inv.Responsible)
	v.Duplicate = inv.Duplicate
	return v
}

func noteView(n *AdjustmentNote, res Result) docView {
	title := labels.Credit
	if n.Kind == DebitNote {
		title = labels.Debit
	}
	v := buildView("Mushak-"+n.Kind.Form(), title, n.Serial, n.IssuedAt, n.Supplier, n.Buyer, n.Lines, res, n.Responsible)
	v.HasOrig = true
	v.OrigNo = n.Original.Serial
	o := n.Original.IssuedAt.In(Dhaka())
	v.OrigAt = o.Format(dateLayout) + " " + o.Format(timeLayout)
	v.Reason = n.Reason
	return v
}
