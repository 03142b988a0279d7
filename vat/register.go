package vat

import (
	"fmt"
	"iter"

	"github.com/shopspring/decimal"
)

// SaleNote is the note of Part 3 of the 9.1 return a sale belongs to (1 to 8).
type SaleNote int

// Sales notes of the 9.1 return, Part 3.
const (
	DirectExport    SaleNote = 1
	DeemedExport    SaleNote = 2
	ExemptSale      SaleNote = 3
	StandardSale    SaleNote = 4
	MRPSale         SaleNote = 5 // standard rate on maximum retail price
	SpecificSale    SaleNote = 6
	OtherRateSale   SaleNote = 7 // other than standard rate (reduced)
	RetailTradeSale SaleNote = 8 // retail, wholesale and trade (trade rates)
)

// Total notes of the 9.1 return, computed by ReturnBuilder.Return.
const (
	TotalSalesNote  = 9  // total of notes 1-8
	TotalCreditNote = 23 // total input tax credit (VAT of notes 10-18)
	TotalIncreasing = 28 // total of increasing adjustments 24-27
	TotalDecreasing = 33 // total of decreasing adjustments 29-32
	NetPayableNote  = 34 // net VAT payable
)

const (
	lastReturnNote   = 34
	firstPurchase    = 10
	lastPurchaseNote = 22
)

// SaleNoteFor returns the usual sales note for a category: standard 4, reduced 7,
// specific 6, trade 8, zero-rated 1 (use DeemedExport for deemed exports), exempt 3.
// Turnover tax is not reported on the 9.1 return (ErrSaleKind). MRP-based sales
// (note 5) must be chosen explicitly.
func SaleNoteFor(c Category) (SaleNote, error) {
	switch c {
	case Standard:
		return StandardSale, nil
	case Reduced:
		return OtherRateSale, nil
	case Specific:
		return SpecificSale, nil
	case Trade:
		return RetailTradeSale, nil
	case ZeroRated:
		return DirectExport, nil
	case Exempt:
		return ExemptSale, nil
	}
	return 0, fmt.Errorf("%w: category %v", ErrSaleKind, c)
}

// PurchaseNote is the note of Part 4 of the 9.1 return a purchase belongs to (10 to 22).
type PurchaseNote int

// Purchase notes of the 9.1 return, Part 4. Notes 10 to 18 are admissible for input
// credit (zero-rated and exempt ones carry no VAT); 19 to 22 are not.
const (
	ZeroRatedLocal      PurchaseNote = 10
	ZeroRatedImport     PurchaseNote = 11
	ExemptLocal         PurchaseNote = 12
	ExemptImport        PurchaseNote = 13
	StandardLocal       PurchaseNote = 14
	StandardImport      PurchaseNote = 15
	OtherRateLocal      PurchaseNote = 16
	OtherRateImport     PurchaseNote = 17
	SpecificLocal       PurchaseNote = 18
	FromTurnoverUnit    PurchaseNote = 19
	FromUnregistered    PurchaseNote = 20
	NotAdmissibleLocal  PurchaseNote = 21
	NotAdmissibleImport PurchaseNote = 22
)

func (n PurchaseNote) admissible() bool { return n >= ZeroRatedLocal && n <= SpecificLocal }

// SalesLine is one line of the Mushak-6.2 sales register.
type SalesLine struct {
	Date          Date
	InvoiceSerial string
	BuyerName     string
	BuyerBIN      BIN
	Description   string
	Quantity      decimal.Decimal
	Value         decimal.Decimal // excluding SD and VAT
	SD            decimal.Decimal
	VAT           decimal.Decimal
	Note          SaleNote
}

// PurchaseLine is one line of the Mushak-6.1 purchase register.
type PurchaseLine struct {
	Date          Date
	InvoiceSerial string // supplier's invoice or bill of entry
	SupplierName  string
	SupplierBIN   BIN
	Description   string
	Quantity      decimal.Decimal
	Value         decimal.Decimal
	SD            decimal.Decimal
	VAT           decimal.Decimal
	Note          PurchaseNote
}

// NoteAmounts are the value, SD and VAT of one note of the 9.1 return.
type NoteAmounts struct {
	Value decimal.Decimal
	SD    decimal.Decimal
	VAT   decimal.Decimal
}

// Adjustment is an increasing (notes 24-27) or decreasing (notes 29-32) adjustment:
//
//	24 VDS withheld as buyer        29 VDS withheld by customers
//	25 payments not through a bank  30 advance tax paid at import
//	26 debit notes                  31 credit notes
//	27 other                        32 other
type Adjustment struct {
	Note        int
	Description string
	Value       decimal.Decimal
	SD          decimal.Decimal
	VAT         decimal.Decimal
}

// Return is a computed Mushak-9.1 VAT return for one tax period.
type Return struct {
	Period Period
	notes  [lastReturnNote + 1]NoteAmounts
	// Lines counted from the registers.
	SalesLines, PurchaseLines int
}

// Note returns the amounts of note n (1 to 34); a note with nothing in it is zero.
func (r *Return) Note(n int) NoteAmounts {
	if n < 1 || n > lastReturnNote {
		return NoteAmounts{}
	}
	return r.notes[n]
}

// NetPayable returns note 34: note 9 VAT - note 23 + note 28 - note 33. A negative
// amount is a balance to carry forward (or claim as a refund).
func (r *Return) NetPayable() decimal.Decimal { return r.notes[NetPayableNote].VAT }

// ReturnBuilder computes a 9.1 return from register lines fed one at a time, in
// constant memory: lines are summed, never kept.
type ReturnBuilder struct {
	period   Period
	end      Date
	acc      [lastReturnNote + 1][3]accum
	sales    int
	purchase int
}

// NewReturnBuilder starts a return for period p. Errors: ErrPeriodLength.
func NewReturnBuilder(p Period) (*ReturnBuilder, error) {
	if _, err := p.Length.months(); err != nil {
		return nil, err
	}
	if !p.Start.Valid() {
		return nil, fmt.Errorf("%w: period start %v", ErrDate, p.Start)
	}
	return &ReturnBuilder{period: p, end: p.End()}, nil
}

func (b *ReturnBuilder) inPeriod(d Date) bool { return !d.Before(b.period.Start) && !d.After(b.end) }

func nonNegative(v, sd, vat decimal.Decimal) bool {
	return !v.IsNegative() && !sd.IsNegative() && !vat.IsNegative()
}

// AddSale adds a 6.2 register line. Errors: ErrOutsidePeriod, ErrSaleKind, ErrAmount.
func (b *ReturnBuilder) AddSale(l SalesLine) error {
	switch {
	case l.Note < DirectExport || l.Note > RetailTradeSale:
		return fmt.Errorf("%w: note %d (%s)", ErrSaleKind, int(l.Note), l.InvoiceSerial)
	case !b.inPeriod(l.Date):
		return fmt.Errorf("%w: sale %s dated %v, period %v", ErrOutsidePeriod, l.InvoiceSerial, l.Date, b.period)
	case !nonNegative(l.Value, l.SD, l.VAT):
		return fmt.Errorf("%w: sale %s (reduce sales with a credit note adjustment)", ErrAmount, l.InvoiceSerial)
	}
	a := &b.acc[l.Note]
	a[0].add(l.Value)
	a[1].add(l.SD)
	a[2].add(l.VAT)
	b.sales++
	return nil
}

// AddPurchase adds a 6.1 register line. Errors: ErrOutsidePeriod, ErrPurchaseKind,
// ErrAmount. A purchase credited in a later period (within the claim window) is added
// to the return of the period in which it is claimed: pass its claim date as Date.
func (b *ReturnBuilder) AddPurchase(l PurchaseLine) error {
	switch {
	case l.Note < ZeroRatedLocal || l.Note > NotAdmissibleImport:
		return fmt.Errorf("%w: note %d (%s)", ErrPurchaseKind, int(l.Note), l.InvoiceSerial)
	case !b.inPeriod(l.Date):
		return fmt.Errorf("%w: purchase %s dated %v, period %v", ErrOutsidePeriod, l.InvoiceSerial, l.Date, b.period)
	case !nonNegative(l.Value, l.SD, l.VAT):
		return fmt.Errorf("%w: purchase %s", ErrAmount, l.InvoiceSerial)
	}
	a := &b.acc[l.Note]
	a[0].add(l.Value)
	a[1].add(l.SD)
	a[2].add(l.VAT)
	b.purchase++
	return nil
}

// Adjust adds an adjustment to note 24-27 or 29-32. Errors: ErrNoteNumber, ErrAmount.
func (b *ReturnBuilder) Adjust(a Adjustment) error {
	if !(a.Note >= 24 && a.Note <= 27) && !(a.Note >= 29 && a.Note <= 32) {
		return fmt.Errorf("%w: %d (increasing 24-27, decreasing 29-32)", ErrNoteNumber, a.Note)
	}
	if !nonNegative(a.Value, a.SD, a.VAT) {
		return fmt.Errorf("%w: adjustment to note %d", ErrAmount, a.Note)
	}
	acc := &b.acc[a.Note]
	acc[0].add(a.Value)
	acc[1].add(a.SD)
	acc[2].add(a.VAT)
	return nil
}

// Return computes the totals (notes 9, 23, 28, 33) and the net payable (note 34).
func (b *ReturnBuilder) Return() Return {
	r := Return{Period: b.period, SalesLines: b.sales, PurchaseLines: b.purchase}
	for n := 1; n <= lastReturnNote; n++ {
		r.notes[n] = NoteAmounts{Value: b.acc[n][0].value(), SD: b.acc[n][1].value(), VAT: b.acc[n][2].value()}
	}
	sum := func(from, to int, only func(int) bool) NoteAmounts {
		var t NoteAmounts
		for n := from; n <= to; n++ {
			if only != nil && !only(n) {
				continue
			}
			t.Value, t.SD, t.VAT = t.Value.Add(r.notes[n].Value), t.SD.Add(r.notes[n].SD), t.VAT.Add(r.notes[n].VAT)
		}
		return t
	}
	r.notes[TotalSalesNote] = sum(1, 8, nil)
	// Note 23 is the total input credit: the VAT of the admissible notes 10-18.
	r.notes[TotalCreditNote] = NoteAmounts{VAT: sum(firstPurchase, lastPurchaseNote,
		func(n int) bool { return PurchaseNote(n).admissible() }).VAT}
	r.notes[TotalIncreasing] = sum(24, 27, nil)
	r.notes[TotalDecreasing] = sum(29, 32, nil)
	r.notes[NetPayableNote] = NoteAmounts{VAT: r.notes[TotalSalesNote].VAT.
		Sub(r.notes[TotalCreditNote].VAT).Add(r.notes[TotalIncreasing].VAT).Sub(r.notes[TotalDecreasing].VAT)}
	return r
}

// ComputeReturn streams the period's sales and purchase register lines and the
// adjustments into a 9.1 return, keeping no line in memory. It stops at the first
// error, from a sequence or from a line, and returns it.
func ComputeReturn(p Period, sales iter.Seq2[SalesLine, error], purchases iter.Seq2[PurchaseLine, error], adjustments []Adjustment) (Return, error) {
	b, err := NewReturnBuilder(p)
	if err != nil {
		return Return{}, err
	}
	if sales != nil {
		for l, err := range sales {
			if err == nil {
				err = b.AddSale(l)
			}
			if err != nil {
				return Return{}, err
			}
		}
	}
	if purchases != nil {
		for l, err := range purchases {
			if err == nil {
				err = b.AddPurchase(l)
			}
			if err != nil {
				return Return{}, err
			}
		}
	}
	for _, a := range adjustments {
		if err := b.Adjust(a); err != nil {
			return Return{}, err
		}
	}
	return b.Return(), nil
}
