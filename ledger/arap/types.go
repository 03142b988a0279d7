package arap

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

// Party is a customer, a vendor, or both.
type Party struct {
	Code      string // unique per tenant, e.g. "C-ACME"
	Customer  bool   // may receive invoices
	Vendor    bool   // may send bills
	LegalName string
	Address   string // registered (billing) address; the 6.3 destination of supply when ShipTo is empty
	ShipTo    string // destination of supply, when other than Address
	// BIN is the 13-digit VAT registration number, required when
	// VATRegistered; stored as its digits after vat.ParseBIN.
	BIN           string
	VATRegistered bool
	TIN           string // 12-digit e-TIN (vat.ParseTIN), optional
	NID           string // national ID of an individual (vat.ParseNID), optional
	Mobile        string // normalised to +8801XXXXXXXXX (vat.ParseMobile), optional
	// Withholding marks a VAT withholding entity (s.2(21)): as a customer it
	// deducts VAT at source (VDS) from what it pays us.
	Withholding      bool
	PaymentTermsDays int             // net days from the document date to its due date
	CreditLimit      decimal.Decimal // zero: no limit
	// Blocked stops new invoices to the party and new bills from it; money
	// may still be received and paid, and notes issued.
	Blocked   bool
	CreatedAt time.Time
}

// Side is the direction of a document: what customers owe us, or what we
// owe vendors.
type Side string

// The two sides.
const (
	Receivable Side = "receivable"
	Payable    Side = "payable"
)

// Kind is the kind of a document.
type Kind string

// Document kinds. Charges (invoices, debit notes, bills, vendor debit notes)
// raise what a party owes or is owed; settlements (receipts, payments,
// credit notes, vendor credit notes) lower it and are allocated to charges.
// VDS certificates record VAT deducted at source and carry no balance.
const (
	Invoice          Kind = "invoice"            // Mushak-6.3 tax invoice we issue
	DebitNote        Kind = "debit_note"         // Mushak-6.8 we issue against an invoice
	CreditNote       Kind = "credit_note"        // Mushak-6.7 we issue against an invoice
	Receipt          Kind = "receipt"            // money received from a customer
	Bill             Kind = "bill"               // a vendor's tax invoice
	VendorDebitNote  Kind = "vendor_debit_note"  // a vendor's 6.8 against a bill
	VendorCreditNote Kind = "vendor_credit_note" // a vendor's 6.7 against a bill
	Payment          Kind = "payment"            // money paid to a vendor
	VDSReceived      Kind = "vds_received"       // 6.6 a withholding customer gave us
	VDSIssued        Kind = "vds_issued"         // 6.6 we issued when withholding from a vendor
)

// Side returns the side the kind belongs to.
func (k Kind) Side() Side {
	switch k {
	case Bill, VendorDebitNote, VendorCreditNote, Payment, VDSIssued:
		return Payable
	}
	return Receivable
}

// Charge reports whether documents of the kind raise the balance.
func (k Kind) Charge() bool {
	return k == Invoice || k == DebitNote || k == Bill || k == VendorDebitNote
}

// Settlement reports whether documents of the kind lower the balance and
// are allocated to charges.
func (k Kind) Settlement() bool {
	return k == CreditNote || k == Receipt || k == VendorCreditNote || k == Payment
}

func (k Kind) valid() bool {
	switch k {
	case Invoice, DebitNote, CreditNote, Receipt, Bill, VendorDebitNote, VendorCreditNote, Payment, VDSReceived, VDSIssued:
		return true
	}
	return false
}

// Status is where a document is in its life.
type Status string

// Statuses. Only invoices and bills are drafts first; every other document
// is posted when it is recorded.
const (
	Draft     Status = "draft"
	Issued    Status = "issued"    // invoices and notes we issue, receipts, payments, certificates
	Approved  Status = "approved"  // bills and vendor notes
	Cancelled Status = "cancelled" // an invoice fully credited by credit notes
)

// Channel is how money moved. It matters for input tax credit: a purchase
// above Tk 1 lakh must be paid through a bank or mobile financial service.
type Channel string

// Payment channels.
const (
	Cash   Channel = "cash"
	Bank   Channel = "bank"
	Mobile Channel = "mobile" // mobile financial service (bKash, Nagad, ...)
)

func (c Channel) valid() bool { return c == Cash || c == Bank || c == Mobile }

// Line is a line of an invoice, bill or note. The caller fills what is sold
// or bought; the engine fills the computed amounts when the document is
// issued or approved.
type Line struct {
	Description string
	Unit        string
	Quantity    decimal.Decimal
	UnitPrice   decimal.Decimal
	Discount    decimal.Decimal
	VAT         vat.Rate
	SDPercent   decimal.Decimal
	// Account is the revenue account of a sales line (Accounts.Revenue when
	// empty) or the expense, inventory or GR/IR account of a purchase line
	// (required).
	Account string

	// Computed.
	Value      decimal.Decimal // taxable value after discount, excluding SD and VAT
	SD         decimal.Decimal
	VATAmount  decimal.Decimal
	Total      decimal.Decimal
	InputVAT   decimal.Decimal // purchases: the VAT credited as input tax
	ITCDenials []string        // purchases: why input credit was refused, if it was
}

// Totals are a document's value, SD, VAT and total.
type Totals struct {
	Value decimal.Decimal
	SD    decimal.Decimal
	VAT   decimal.Decimal
	Total decimal.Decimal
}

// Certificate identifies a Mushak-6.6 VDS certificate and the treasury
// challan by which the withheld VAT was deposited.
type Certificate struct {
	Number        string
	Date          ledger.Date
	ChallanNumber string
	ChallanDate   ledger.Date
}

// CertificateLine is one document a 6.6 certificate covers.
type CertificateLine struct {
	Document uuid.UUID
	Number   string // the invoice's (or vendor bill's) serial
	Date     ledger.Date
	Value    decimal.Decimal // value + SD of the document
	VAT      decimal.Decimal
	Withheld decimal.Decimal
}

// Document is an invoice, note, bill, receipt, payment or VDS certificate.
type Document struct {
	ID     uuid.UUID
	Kind   Kind
	Party  string
	Status Status
	// Series is the location whose serials the document takes (Config.Series
	// when empty).
	Series string
	// Number is the serial (invoices, notes, receipts, payments, certificates
	// we issue) or the vendor's or customer's own number (bills, vendor
	// notes, certificates received).
	Number     string
	FiscalYear int   // of the serial
	Seq        int64 // the serial's number within its series and fiscal year
	// Date is the document's date: the date of issue, the vendor's invoice
	// date, the date money moved.
	Date ledger.Date
	// PostingDate is the ledger date of its entry (for a bill, the day it was
	// approved: the tax period in which its input VAT is claimed).
	PostingDate ledger.Date
	DueDate     ledger.Date
	IssuedAt    time.Time // date and time of issue (Mushak 6.3, 6.7, 6.8)
	Currency    string    // BDT
	Reference   string    // free text: PO number, cheque number, ...

	Lines            []Line
	PricesIncludeTax bool
	Totals           Totals

	// Notes: the invoice or bill adjusted, and why.
	Original uuid.UUID
	Reason   string

	// Bills: how the vendor will be paid (for the Tk 1 lakh rule), what the
	// purchase is used for and whether it is a blocked purchase.
	PaymentChannel Channel
	UsedFor        vat.Category
	BlockedWhat    string // non-empty: passenger vehicle, entertainment, club fees...

	// Receipts and payments.
	Channel Channel
	Account string          // cash or bank account code
	Amount  decimal.Decimal // money that moved
	VDS     decimal.Decimal // VAT deducted at source (Totals.Total = Amount + VDS)
	// IdempotencyKey is the caller's key of a receipt, payment, note or
	// draft (MoneyRequest.IdempotencyKey, NoteRequest.IdempotencyKey,
	// DraftRequest.IdempotencyKey); unique per tenant when not empty.
	IdempotencyKey string

	// VDS certificates.
	Certificate *Certificate
	CertLines   []CertificateLine
	About       uuid.UUID // the receipt or payment the certificate belongs to

	// Kept by the engine.
	Open     decimal.Decimal // what is still to be allocated (charges and settlements)
	Credited decimal.Decimal // invoices and bills: total of credit notes against it
	Withheld decimal.Decimal // invoices and bills: VDS withheld on it so far
	// ITCReversed is input VAT given back because a bill above Tk 1 lakh was
	// paid in cash (on the bill, and in all on the payment): 9.1 note 25.
	ITCReversed decimal.Decimal
	EntryID     uuid.UUID // the ledger entry
	CreatedAt   time.Time
}

// Allocation applies a settlement (receipt, payment, credit note) to a
// charge (invoice, debit note, bill): both open amounts fall by Amount.
type Allocation struct {
	ID         uuid.UUID
	Side       Side
	Party      string
	Charge     uuid.UUID
	Settlement uuid.UUID
	Amount     decimal.Decimal
	VDS        decimal.Decimal // part of Amount settled by VAT deducted at source
	Date       ledger.Date
	CreatedAt  time.Time
	// IdempotencyKey is the key of the call that made it: the receipt's or
	// payment's (MoneyRequest.IdempotencyKey) or the Allocate call's
	// (AllocateOptions.IdempotencyKey); empty for calls without one and
	// for a note's allocation.
	IdempotencyKey string
}

// AllocateOptions are Allocate's options.
type AllocateOptions struct {
	// IdempotencyKey, when set, makes a retry safe: a call already made
	// under the key with the same settlement, documents and amounts returns
	// the allocations it made and writes nothing; another call, or a key
	// that a receipt, payment or note took, fails with
	// ledger.ErrIdempotencyConflict. Keys are one namespace per tenant.
	IdempotencyKey string
}

// Apply asks for part of a settlement to go to a charge.
type Apply struct {
	Document uuid.UUID       // the invoice, debit note or bill
	Amount   decimal.Decimal // settled, VDS included
	VDS      decimal.Decimal // of Amount, VAT deducted at source (receipts and payments only)
}
