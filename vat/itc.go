package vat

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Purchase is a purchase whose input VAT the buyer wants to credit (s.46).
type Purchase struct {
	Date        Date // date of the supplier's invoice: its tax period is the period of purchase
	SupplierBIN BIN  // zero if the invoice lacks it
	BuyerBIN    BIN  // zero if the invoice lacks it
	Value       decimal.Decimal
	SD          decimal.Decimal
	VAT         decimal.Decimal
	// Category of the tax charged by the supplier; Turnover means turnover tax, which
	// is not VAT and never creditable.
	Category Category
	// PaidThroughBank: paid through a bank or mobile financial service channel.
	PaidThroughBank bool
	// InRegister: entered in the buyer's Mushak-6.1 purchase register.
	InRegister bool
	// UsedFor is the category of the buyer's own supplies this purchase relates to;
	// inputs of exempt, reduced-rate, trade-rate, specific or turnover-tax supplies
	// are not creditable. Zero means standard-rated.
	UsedFor Category
	// Blocked is set for purchases the Act never credits: passenger vehicles,
	// entertainment, club fees. BlockedWhat says which.
	Blocked     bool
	BlockedWhat string
}

// DenialReason says why input credit (or part of it) is refused.
type DenialReason int

// Reasons for refusing input tax credit.
const (
	NotPaidThroughBank     DenialReason = iota + 1 // over the threshold and not paid through a bank
	MissingSupplierBIN                             // the invoice lacks the supplier's BIN
	MissingBuyerBIN                                // the invoice lacks the buyer's BIN
	NotInRegister                                  // not in the 6.1 purchase register
	RelatedToNonCreditable                         // relates to exempt or reduced-rate supplies
	TurnoverTaxCharged                             // the tax is turnover tax, not VAT
	SDNotCreditable                                // SD paid on inputs is never creditable
	BlockedPurchase                                // passenger vehicle, entertainment, club fees
	OutsideClaimWindow                             // claimed too late (or before the purchase)
)

var denialNames = [...]string{"", "not paid through a bank channel", "supplier BIN missing",
	"buyer BIN missing", "not in the purchase register (Mushak-6.1)",
	"relates to exempt or reduced-rate supplies", "turnover tax is not creditable",
	"supplementary duty is not creditable", "blocked purchase", "outside the claim window"}

func (r DenialReason) String() string {
	if r > 0 && int(r) < len(denialNames) {
		return denialNames[r]
	}
	return fmt.Sprintf("DenialReason(%d)", int(r))
}

// Denial is one reason for refusing credit, with the detail.
type Denial struct {
	Reason DenialReason
	Detail string
}

// Credit is the outcome of an input tax credit check.
type Credit struct {
	Creditable decimal.Decimal // VAT that may be credited
	Denied     decimal.Decimal // VAT and SD that may not
	Reasons    []Denial
}

// Eligible reports whether the purchase's VAT may be credited.
func (c Credit) Eligible() bool { return c.Creditable.Sign() > 0 }

// Has reports whether r is among the reasons.
func (c Credit) Has(r DenialReason) bool {
	for _, d := range c.Reasons {
		if d.Reason == r {
			return true
		}
	}
	return false
}

// ITCPolicy holds the dated parameters of input tax credit. A zero field takes the
// value of DefaultITCPolicy.
type ITCPolicy struct {
	// ClaimWindow: credit may be taken in the period of purchase or within this many
	// following tax periods, by the date of purchase.
	ClaimWindow []DatedCount
	// BankThreshold: a purchase whose total (value + SD + VAT) exceeds this must be
	// paid through a bank or mobile financial service channel.
	BankThreshold []DatedAmount
	// Length of the tax period; Monthly by default.
	Length PeriodLength
}

// DefaultITCPolicy returns the shipped parameters: a window of 4 following tax periods
// (Finance Act 2021) and a bank-payment threshold of Tk 1 lakh. One source says the
// window became 6 periods by a 2026 amendment; its date is not established, so it is
// not shipped: add it with ITCPolicy.ClaimWindow when confirmed.
func DefaultITCPolicy() ITCPolicy {
	return ITCPolicy{
		ClaimWindow: []DatedCount{{Since: NewDate(2021, 7, 1), Count: 4,
			Source: "VAT and SD Act 2012 s.46 as amended by the Finance Act 2021"}},
		BankThreshold: []DatedAmount{{Since: NewDate(2019, 7, 1), Amount: decimal.NewFromInt(1_00_000),
			Source: "VAT and SD Act 2012 s.46 (purchases above Tk 1 lakh paid through a bank channel)"}},
	}
}

// CheckInputCredit decides how much of a purchase's VAT may be credited in the tax
// period claimedIn, and lists every reason for what is refused. SD is always refused
// (SDNotCreditable) without affecting the VAT.
//
// Errors: ErrAmount (negative amounts), ErrDate (invalid purchase date, or no claim
// window or bank threshold in force on it), ErrPeriodLength.
func CheckInputCredit(p Purchase, claimedIn Period, pol ITCPolicy) (Credit, error) {
	def := DefaultITCPolicy()
	if len(pol.ClaimWindow) == 0 {
		pol.ClaimWindow = def.ClaimWindow
	}
	if len(pol.BankThreshold) == 0 {
		pol.BankThreshold = def.BankThreshold
	}
	if p.Value.IsNegative() || p.SD.IsNegative() || p.VAT.IsNegative() {
		return Credit{}, fmt.Errorf("%w: purchase amounts must not be negative", ErrAmount)
	}
	if !p.Date.Valid() {
		return Credit{}, fmt.Errorf("%w: purchase date %v", ErrDate, p.Date)
	}
	bought, err := PeriodOf(p.Date, pol.Length)
	if err != nil {
		return Credit{}, err
	}
	claim, err := PeriodOf(claimedIn.Start, pol.Length)
	if err != nil {
		return Credit{}, err
	}
	window, ok := countAt(pol.ClaimWindow, p.Date)
	if !ok {
		return Credit{}, fmt.Errorf("%w: no claim window in force on %v", ErrDate, p.Date)
	}
	threshold, ok := amountAt(pol.BankThreshold, p.Date)
	if !ok {
		return Credit{}, fmt.Errorf("%w: no bank threshold in force on %v", ErrDate, p.Date)
	}

	var c Credit
	deny := func(r DenialReason, format string, args ...any) {
		c.Reasons = append(c.Reasons, Denial{Reason: r, Detail: fmt.Sprintf(format, args...)})
	}
	total := p.Value.Add(p.SD).Add(p.VAT)
	if total.GreaterThan(threshold.Amount) && !p.PaidThroughBank {
		deny(NotPaidThroughBank, "total %s exceeds %s and was not paid through a bank channel",
			total.StringFixed(2), threshold.Amount.StringFixed(2))
	}
	if p.SupplierBIN.IsZero() {
		deny(MissingSupplierBIN, "the supplier's invoice has no supplier BIN")
	}
	if p.BuyerBIN.IsZero() {
		deny(MissingBuyerBIN, "the supplier's invoice has no buyer BIN")
	}
	if !p.InRegister {
		deny(NotInRegister, "enter the purchase in Mushak-6.1 first")
	}
	if p.UsedFor != 0 && !p.UsedFor.KeepsInputCredit() {
		deny(RelatedToNonCreditable, "the purchase relates to %v supplies", p.UsedFor)
	}
	if p.Category == Turnover {
		deny(TurnoverTaxCharged, "the supplier charged turnover tax")
	}
	if p.Blocked {
		deny(BlockedPurchase, "%s", p.BlockedWhat)
	}
	last := bought.Add(window.Count)
	if claim.Start.Before(bought.Start) || claim.Start.After(last.Start) {
		deny(OutsideClaimWindow, "purchase in %v may be credited from %v to %v (%d following periods); claimed in %v",
			bought, bought, last, window.Count, claim)
	}
	c.Denied = p.SD
	if len(c.Reasons) == 0 {
		c.Creditable = p.VAT
	} else {
		c.Denied = c.Denied.Add(p.VAT)
	}
	if p.SD.Sign() > 0 {
		deny(SDNotCreditable, "SD %s paid on the input is not creditable", p.SD.StringFixed(2))
	}
	return c, nil
}
