package vat

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Party is a supplier, buyer or withholder as it appears on a Mushak document.
type Party struct {
	Name    string
	BIN     BIN    // zero if the party has none (an unregistered buyer)
	Address string // address of issue (supplier) or destination of supply (buyer)
}

// Person is the person responsible for a document, who signs it.
type Person struct {
	Name        string
	Designation string
}

// Invoice is a Mushak-6.3 tax invoice (VAT and SD Rules 2016, rule 40).
type Invoice struct {
	Serial      string
	IssuedAt    time.Time // date AND time of issue
	Supplier    Party     // name, BIN, address of issue
	Buyer       Party     // name, BIN, destination of supply
	Lines       []Line
	Supply      SupplyOptions
	Responsible Person
	// Duplicate marks a copy that replaces a lost original; there is one original
	// per supply.
	Duplicate bool
}

// SupplyOptions are the calculation options of a document's lines.
type SupplyOptions struct {
	PricesIncludeTax bool
	Rounding         Rounding
}

// Calculate computes the invoice's lines and totals.
func (inv *Invoice) Calculate() (Result, error) {
	return Calculate(Supply{Lines: inv.Lines, PricesIncludeTax: inv.Supply.PricesIncludeTax, Rounding: inv.Supply.Rounding})
}

// InvoiceRules are the configurable rules for validating a 6.3 invoice. The zero value
// is the default: the buyer's BIN is optional (a consumer has none).
type InvoiceRules struct {
	// BuyerBINAbove, when positive, makes the buyer's BIN mandatory on invoices whose
	// total exceeds it (one source says Tk 25,000; not confirmed, so off by default).
	BuyerBINAbove decimal.Decimal
}

// Validate checks every mandatory field of the 6.3 invoice and its lines. The error
// is a *ValidationError listing a *FieldError for each problem: ErrMissing for an
// empty field, ErrInvalid for a legacy BIN, a *LineError from the calculation, and
// ErrBuyerRequired for a missing buyer BIN above the threshold of rules.
func (inv *Invoice) Validate(rules InvoiceRules) error {
	if inv == nil {
		return ErrDocumentRequired
	}
	p := &problems{form: "6.3"}
	checkHeader(p, inv.Serial, inv.IssuedAt)
	checkParty(p, "Supplier", inv.Supplier, true)
	if blank(inv.Buyer.Name) {
		p.add("Buyer.Name", ErrMissing)
	}
	if blank(inv.Buyer.Address) {
		p.add("Buyer.Address", ErrMissing)
	}
	if inv.Buyer.BIN.Legacy() {
		p.add("Buyer.BIN", fmt.Errorf("%w: %w", ErrInvalid, ErrLegacyBIN))
	}
	checkLines(p, inv.Lines)
	res, err := inv.Calculate()
	if err != nil {
		p.add("Lines", err)
	} else if rules.BuyerBINAbove.Sign() > 0 && res.Totals.Total.GreaterThan(rules.BuyerBINAbove) && inv.Buyer.BIN.IsZero() {
		p.add("Buyer.BIN", fmt.Errorf("%w: total %s exceeds %s", ErrBuyerRequired,
			res.Totals.Total.StringFixed(2), rules.BuyerBINAbove.StringFixed(2)))
	}
	checkPerson(p, inv.Responsible)
	return p.err()
}

// NoteKind is the kind of an adjustment note.
type NoteKind int

const (
	// CreditNote (Mushak-6.7) reduces the VAT of an earlier invoice.
	CreditNote NoteKind = iota + 1
	// DebitNote (Mushak-6.8) increases it.
	DebitNote
)

// Form returns "6.7" or "6.8".
func (k NoteKind) Form() string {
	switch k {
	case CreditNote:
		return "6.7"
	case DebitNote:
		return "6.8"
	}
	return "?"
}

func (k NoteKind) String() string {
	switch k {
	case CreditNote:
		return "credit note"
	case DebitNote:
		return "debit note"
	}
	return fmt.Sprintf("NoteKind(%d)", int(k))
}

// InvoiceRef identifies the original tax invoice an adjustment note refers to.
type InvoiceRef struct {
	Serial   string
	IssuedAt time.Time // date and time of the original invoice
}

// AdjustmentNote is a Mushak-6.7 credit note or 6.8 debit note (s.52): an adjustment
// of an earlier 6.3 invoice. Lines carry the quantities and prices adjusted (goods
// returned, price reduced or increased), so the VAT effect is calculated like an
// invoice's VAT.
type AdjustmentNote struct {
	Kind        NoteKind
	Serial      string
	IssuedAt    time.Time
	Supplier    Party
	Buyer       Party // required when the VAT effect exceeds NoteRules.BuyerRequiredAbove
	Original    InvoiceRef
	Reason      string // the nature of the adjustment
	Lines       []Line
	Supply      SupplyOptions
	Responsible Person
}

// Calculate computes the note's lines; Totals.VAT is its VAT effect (a decrease for a
// credit note, an increase for a debit note).
func (n *AdjustmentNote) Calculate() (Result, error) {
	return Calculate(Supply{Lines: n.Lines, PricesIncludeTax: n.Supply.PricesIncludeTax, Rounding: n.Supply.Rounding})
}

// NoteRules are the configurable rules for validating credit and debit notes.
type NoteRules struct {
	// BuyerRequiredAbove: the buyer's name, address and BIN are required when the VAT
	// effect exceeds it. Zero means Tk 5,000 (5,000.00 optional, 5,000.01 required).
	BuyerRequiredAbove decimal.Decimal
	// MaxMonths, when positive, limits how long after the original invoice a note may
	// be issued. The statutory limit is an open question, so there is none by default.
	MaxMonths int
}

// defaultBuyerThreshold is the VAT effect above which an adjustment note must name the
// buyer: Tk 5,000.
var defaultBuyerThreshold = decimal.NewFromInt(5000)

// Validate checks the note's mandatory fields; the error is a *ValidationError.
func (n *AdjustmentNote) Validate(rules NoteRules) error {
	if n == nil {
		return ErrDocumentRequired
	}
	form := n.Kind.Form()
	if n.Kind != CreditNote && n.Kind != DebitNote {
		form = "6.7/6.8"
	}
	p := &problems{form: form}
	if n.Kind != CreditNote && n.Kind != DebitNote {
		p.add("Kind", ErrInvalid)
	}
	checkHeader(p, n.Serial, n.IssuedAt)
	checkParty(p, "Supplier", n.Supplier, true)
	if blank(n.Original.Serial) {
		p.add("Original.Serial", fmt.Errorf("%w: %w", ErrMissing, ErrOriginal))
	}
	if n.Original.IssuedAt.IsZero() {
		p.add("Original.IssuedAt", fmt.Errorf("%w: %w", ErrMissing, ErrOriginal))
	} else if !n.IssuedAt.IsZero() {
		if n.Original.IssuedAt.After(n.IssuedAt) {
			p.add("Original.IssuedAt", fmt.Errorf("%w: the original invoice is dated after the note", ErrOriginal))
		} else if rules.MaxMonths > 0 && n.IssuedAt.After(n.Original.IssuedAt.AddDate(0, rules.MaxMonths, 0)) {
			p.add("IssuedAt", fmt.Errorf("%w: more than %d months after the original invoice", ErrInvalid, rules.MaxMonths))
		}
	}
	if blank(n.Reason) {
		p.add("Reason", ErrMissing)
	}
	checkLines(p, n.Lines)
	res, err := n.Calculate()
	if err != nil {
		p.add("Lines", err)
	} else {
		limit := rules.BuyerRequiredAbove
		if limit.Sign() <= 0 {
			limit = defaultBuyerThreshold
		}
		if res.Totals.VAT.Abs().GreaterThan(limit) {
			why := fmt.Sprintf("VAT effect %s exceeds %s", res.Totals.VAT.StringFixed(2), limit.StringFixed(2))
			if blank(n.Buyer.Name) {
				p.add("Buyer.Name", fmt.Errorf("%w: %s", ErrBuyerRequired, why))
			}
			if blank(n.Buyer.Address) {
				p.add("Buyer.Address", fmt.Errorf("%w: %s", ErrBuyerRequired, why))
			}
			if n.Buyer.BIN.IsZero() {
				p.add("Buyer.BIN", fmt.Errorf("%w: %s", ErrBuyerRequired, why))
			}
		}
	}
	if n.Buyer.BIN.Legacy() {
		p.add("Buyer.BIN", fmt.Errorf("%w: %w", ErrInvalid, ErrLegacyBIN))
	}
	checkPerson(p, n.Responsible)
	return p.err()
}

// VDSCertificate is a Mushak-6.6 certificate of VAT deducted at source, issued by the
// withholding entity to the supplier.
type VDSCertificate struct {
	Serial      string
	IssuedAt    time.Time
	Withholder  Party
	Supplier    Party
	Lines       []VDSLine
	Deposit     TreasuryDeposit // where the withheld VAT was paid
	Responsible Person
}

// VDSLine is one supplier invoice from which VAT was withheld.
type VDSLine struct {
	InvoiceSerial string
	InvoiceDate   Date
	Value         decimal.Decimal // VAT-exclusive value of the supply (value + SD)
	VAT           decimal.Decimal // VAT stated on the invoice
	Withheld      decimal.Decimal // VAT deducted at source
}

// TreasuryDeposit identifies the treasury challan by which withheld VAT was deposited.
type TreasuryDeposit struct {
	ChallanNumber string
	Date          Date
}

// NewVDSLine makes a certificate line from a computed VDS and the invoice's VAT.
func NewVDSLine(invoiceSerial string, invoiceDate Date, vds VDS, invoiceVAT decimal.Decimal) VDSLine {
	return VDSLine{InvoiceSerial: invoiceSerial, InvoiceDate: invoiceDate, Value: vds.Base, VAT: invoiceVAT, Withheld: vds.Amount}
}

// Totals returns the certificate's total value, VAT and VAT withheld.
func (c *VDSCertificate) Totals() (value, vat, withheld decimal.Decimal) {
	for _, l := range c.Lines {
		value, vat, withheld = value.Add(l.Value), vat.Add(l.VAT), withheld.Add(l.Withheld)
	}
	return value, vat, withheld
}

// Validate checks the certificate's mandatory fields; the error is a *ValidationError.
func (c *VDSCertificate) Validate() error {
	if c == nil {
		return ErrDocumentRequired
	}
	p := &problems{form: "6.6"}
	checkHeader(p, c.Serial, c.IssuedAt)
	checkParty(p, "Withholder", c.Withholder, true)
	checkParty(p, "Supplier", c.Supplier, true)
	if len(c.Lines) == 0 {
		p.add("Lines", ErrNoLines)
	}
	for i, l := range c.Lines {
		f := fmt.Sprintf("Lines[%d]", i)
		if blank(l.InvoiceSerial) {
			p.add(f+".InvoiceSerial", ErrMissing)
		}
		if !l.InvoiceDate.Valid() {
			p.add(f+".InvoiceDate", ErrMissing)
		} else if !c.IssuedAt.IsZero() && l.InvoiceDate.After(DateOf(c.IssuedAt.In(Dhaka()))) {
			p.add(f+".InvoiceDate", fmt.Errorf("%w: invoice dated after the certificate", ErrInvalid))
		}
		if l.Value.IsNegative() || l.VAT.IsNegative() || l.Withheld.IsNegative() {
			p.add(f, fmt.Errorf("%w: %w", ErrInvalid, ErrAmount))
		}
		if l.Withheld.Sign() <= 0 {
			p.add(f+".Withheld", ErrMissing)
		}
		if l.Withheld.GreaterThan(l.VAT) {
			p.add(f+".Withheld", fmt.Errorf("%w: more VAT withheld (%s) than the invoice states (%s)",
				ErrInvalid, l.Withheld.StringFixed(2), l.VAT.StringFixed(2)))
		}
	}
	if blank(c.Deposit.ChallanNumber) {
		p.add("Deposit.ChallanNumber", ErrMissing)
	}
	if !c.Deposit.Date.Valid() {
		p.add("Deposit.Date", ErrMissing)
	}
	checkPerson(p, c.Responsible)
	return p.err()
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func checkHeader(p *problems, serial string, at time.Time) {
	if blank(serial) {
		p.add("Serial", ErrMissing)
	}
	if at.IsZero() {
		p.add("IssuedAt", ErrMissing)
	}
}

func checkParty(p *problems, name string, party Party, needBIN bool) {
	if blank(party.Name) {
		p.add(name+".Name", ErrMissing)
	}
	if blank(party.Address) {
		p.add(name+".Address", ErrMissing)
	}
	switch {
	case needBIN && party.BIN.IsZero():
		p.add(name+".BIN", ErrMissing)
	case party.BIN.Legacy():
		p.add(name+".BIN", fmt.Errorf("%w: %w", ErrInvalid, ErrLegacyBIN))
	}
}

func checkLines(p *problems, lines []Line) {
	for i, l := range lines {
		if blank(l.Description) {
			p.add(fmt.Sprintf("Lines[%d].Description", i), ErrMissing)
		}
		if blank(l.Unit) {
			p.add(fmt.Sprintf("Lines[%d].Unit", i), ErrMissing)
		}
	}
}

func checkPerson(p *problems, r Person) {
	if blank(r.Name) {
		p.add("Responsible.Name", ErrMissing)
	}
	if blank(r.Designation) {
		p.add("Responsible.Designation", ErrMissing)
	}
}
