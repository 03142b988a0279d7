package arap

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

// ApproveBill approves a draft vendor bill and posts it: Dr each line's
// account (its value, plus its SD and any VAT that may not be credited),
// Dr VAT input (the VAT creditable under vat.CheckInputCredit, claimed in
// the tax period of the approval date), Cr payable. Input credit is decided
// per line: it is refused when the vendor has no BIN, the company has no
// BIN, the bill is above Tk 1 lakh and not to be paid through a bank or
// mobile channel (DraftRequest.PaymentChannel), the purchase relates to
// non-creditable supplies, is a blocked purchase, bears turnover tax, or is
// outside the claim window; SD is never credited.
//
// Errors: ErrDocumentNotFound, ErrWrongKind, ErrNotDraft, ErrPartyBlocked,
// ErrInvalidDocument and the ledger's errors.
func (e *Engine) ApproveBill(ctx context.Context, tenant string, id uuid.UUID, opts IssueOptions) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	at := e.at(opts.At)
	company := e.cfg.Company(tenant)
	var out Document
	err := e.tx(ctx, func(tx Store, gl *ledger.Ledger) error {
		d, err := tx.ARDocument(ctx, tenant, id, true)
		if err != nil {
			return err
		}
		if d.Kind != Bill {
			return fmt.Errorf("%w: %s is a %s, not a bill", ErrWrongKind, d.ID, d.Kind)
		}
		if d.Status != Draft {
			return fmt.Errorf("%w: bill %s is %s", ErrNotDraft, d.Number, d.Status)
		}
		p, err := tx.ARParty(ctx, tenant, d.Party, false)
		if err != nil {
			return err
		}
		if err := usable(p, Payable); err != nil {
			return err
		}
		lines, totals, err := checkLines(d.Lines, d.PricesIncludeTax, true, "")
		if err != nil {
			return err
		}
		d.Lines, d.Totals = lines, totals
		d.PostingDate = dhakaDate(at)
		if d.PostingDate.Before(d.Date) {
			return fieldErr("At", ErrInvalidDocument, "approved before the bill's date %s", d.Date)
		}
		d.IssuedAt = at
		d.DueDate = d.Date.AddDays(p.PaymentTermsDays)
		if err := e.inputCredit(&d, p, company); err != nil {
			return err
		}
		var b entryBuilder
		input := decimal.Zero
		for _, l := range d.Lines {
			b.dr(l.Account, l.Total.Sub(l.InputVAT))
			input = input.Add(l.InputVAT)
		}
		b.dr(e.acc.VATInput, input)
		b.cr(e.acc.Payable, d.Totals.Total)
		if d.EntryID, err = post(ctx, gl, tenant, b.entry(d.PostingDate, "Bill "+d.Number+" from "+p.LegalName, d.Number, "arap:"+d.ID.String())); err != nil {
			return err
		}
		d.Status, d.Open = Approved, d.Totals.Total
		out = d
		if err := tx.ARUpdateDocument(ctx, tenant, d); err != nil {
			return err
		}
		return emit(ctx, tx, tenant, []Document{d}, nil)
	})
	if err != nil {
		return Document{}, err
	}
	return out, nil
}

// inputCredit fills each line's InputVAT and ITCDenials through vat.CheckInputCredit.
func (e *Engine) inputCredit(d *Document, p Party, c Company) error {
	var supplier vat.BIN
	if p.BIN != "" {
		supplier, _ = vat.ParseBIN(p.BIN)
	}
	claim, err := vat.PeriodOf(vdate(d.PostingDate), e.cfg.ITC.Length)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	base := vat.Purchase{Date: vdate(d.Date), SupplierBIN: supplier, BuyerBIN: c.Party.BIN,
		PaidThroughBank: d.PaymentChannel != Cash, InRegister: true, UsedFor: d.UsedFor,
		Blocked: d.BlockedWhat != "", BlockedWhat: d.BlockedWhat, Category: vat.Standard}
	// The Tk 1 lakh rule looks at the whole bill, not a line.
	whole := base
	whole.Value, whole.SD, whole.VAT = d.Totals.Value, d.Totals.SD, d.Totals.VAT
	all, err := vat.CheckInputCredit(whole, claim, e.cfg.ITC)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	notBank := all.Has(vat.NotPaidThroughBank)
	for i := range d.Lines {
		l := &d.Lines[i]
		pu := base
		pu.Value, pu.SD, pu.VAT, pu.Category = l.Value, l.SD, l.VATAmount, l.VAT.Category
		pu.PaidThroughBank = !notBank
		cr, err := vat.CheckInputCredit(pu, claim, e.cfg.ITC)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidDocument, err)
		}
		l.InputVAT = cr.Creditable
		l.ITCDenials = nil
		for _, r := range cr.Reasons {
			l.ITCDenials = append(l.ITCDenials, r.Reason.String())
		}
		if notBank && !cr.Has(vat.NotPaidThroughBank) && l.VATAmount.Sign() > 0 {
			l.ITCDenials = append(l.ITCDenials, vat.NotPaidThroughBank.String())
		}
	}
	return nil
}

// VendorCreditNote records a vendor's credit note (Mushak-6.7) against an
// approved bill: Dr payable, Cr the bill's first line account (value, SD and
// VAT not credited), Cr VAT input (the note's VAT in the proportion the
// bill's VAT was credited), allocated to the bill as far as it is open.
// Errors: ErrDocumentNotFound, ErrWrongKind, ErrNotPosted, ErrOverCredit,
// ErrInvalidDocument and the ledger's errors.
func (e *Engine) VendorCreditNote(ctx context.Context, tenant string, r NoteRequest) (Document, error) {
	return e.vendorNote(ctx, tenant, VendorCreditNote, r)
}

// VendorDebitNote records a vendor's debit note (Mushak-6.8) against an
// approved bill: the mirror of VendorCreditNote, a charge of its own.
func (e *Engine) VendorDebitNote(ctx context.Context, tenant string, r NoteRequest) (Document, error) {
	return e.vendorNote(ctx, tenant, VendorDebitNote, r)
}

func (e *Engine) vendorNote(ctx context.Context, tenant string, kind Kind, r NoteRequest) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	reason, err := checkReason(r.Reason)
	if err != nil {
		return Document{}, err
	}
	number := strings.TrimSpace(r.Number)
	if number == "" || len(number) > maxCode*2 || !printable(number) {
		return Document{}, fieldErr("Number", ErrInvalidDocument, "the vendor's note number is required")
	}
	if r.Date.IsZero() || !r.Date.Valid() {
		return Document{}, fieldErr("Date", ErrInvalidDocument, "the vendor's note date is required")
	}
	if err := checkKey(r.IdempotencyKey); err != nil {
		return Document{}, err
	}
	at := e.at(r.At)
	var out Document
	err = e.tx(ctx, func(tx Store, gl *ledger.Ledger) error {
		if prev, found, err := recordedNote(ctx, tx, tenant, kind, r, reason, at); err != nil || found {
			out = prev
			return err
		}
		bill, err := tx.ARDocument(ctx, tenant, r.Original, true)
		if err != nil {
			return err
		}
		if bill.Kind != Bill {
			return fmt.Errorf("%w: a %s adjusts a bill, %s is a %s", ErrWrongKind, kind, bill.ID, bill.Kind)
		}
		if bill.Status != Approved {
			return fmt.Errorf("%w: bill %s is %s", ErrNotPosted, bill.Number, bill.Status)
		}
		def := bill.Lines[0].Account
		lines := clearComputed(r.Lines)
		for i := range lines {
			if lines[i].Account == "" {
				lines[i].Account = def
			}
		}
		lines, totals, err := checkLines(lines, r.PricesIncludeTax, true, def)
		if err != nil {
			return err
		}
		if kind == VendorCreditNote && bill.Credited.Add(totals.Total).GreaterThan(bill.Totals.Total) {
			return fmt.Errorf("%w: bill %s of %s has %s credited; %s more is too much", ErrOverCredit, bill.Number,
				bill.Totals.Total.StringFixed(2), bill.Credited.StringFixed(2), totals.Total.StringFixed(2))
		}
		if r.Date.Before(bill.Date) {
			return fieldErr("Date", ErrInvalidDocument, "the note is dated before bill %s", bill.Number)
		}
		// The note's VAT is credited in the proportion the bill's was.
		billInput := decimal.Zero
		for _, l := range bill.Lines {
			billInput = billInput.Add(l.InputVAT)
		}
		input := decimal.Zero
		for i := range lines {
			l := &lines[i]
			switch {
			case bill.Totals.VAT.IsZero() || billInput.IsZero():
			case billInput.Equal(bill.Totals.VAT):
				l.InputVAT = l.VATAmount
			default:
				l.InputVAT = l.VATAmount.Mul(billInput).Div(bill.Totals.VAT).Round(2)
			}
			input = input.Add(l.InputVAT)
		}
		n := Document{ID: uuid.Must(uuid.NewV7()), Kind: kind, Party: bill.Party, Status: Approved, Number: number,
			Date: r.Date, PostingDate: dhakaDate(at), IssuedAt: at, Currency: bill.Currency, Lines: lines, Totals: totals,
			PricesIncludeTax: r.PricesIncludeTax, Original: bill.ID, Reason: reason, CreatedAt: e.timestamp(),
			IdempotencyKey: r.IdempotencyKey}
		if n.PostingDate.Before(n.Date) {
			n.PostingDate = n.Date
		}
		var b entryBuilder
		b.dr(e.acc.Payable, totals.Total)
		for _, l := range lines {
			b.cr(l.Account, l.Total.Sub(l.InputVAT))
		}
		b.cr(e.acc.VATInput, input)
		ent := b.entry(n.PostingDate, fmt.Sprintf("%s %s for bill %s", kindTitle(kind), n.Number, bill.Number), n.Number, "arap:"+n.ID.String())
		if kind == VendorDebitNote {
			ent = negate(ent)
			p, err := tx.ARParty(ctx, tenant, bill.Party, false)
			if err != nil {
				return err
			}
			n.DueDate = n.Date.AddDays(p.PaymentTermsDays)
		}
		if n.EntryID, err = post(ctx, gl, tenant, ent); err != nil {
			return err
		}
		n.Open = totals.Total
		var allocs []Allocation
		if kind == VendorCreditNote {
			bill.Credited = bill.Credited.Add(totals.Total)
			if amt := decimal.Min(bill.Open, n.Open); amt.Sign() > 0 {
				allocs = append(allocs, Allocation{ID: uuid.Must(uuid.NewV7()), Side: Payable, Party: bill.Party,
					Charge: bill.ID, Settlement: n.ID, Amount: amt, Date: n.PostingDate, CreatedAt: n.CreatedAt})
				bill.Open, n.Open = bill.Open.Sub(amt), n.Open.Sub(amt)
			}
		}
		if err := tx.ARCreateDocument(ctx, tenant, n); err != nil {
			return err
		}
		if err := tx.ARUpdateDocument(ctx, tenant, bill); err != nil {
			return err
		}
		if len(allocs) > 0 {
			if err := tx.ARCreateAllocations(ctx, tenant, allocs); err != nil {
				return err
			}
		}
		out = n
		return emit(ctx, tx, tenant, []Document{n, bill}, allocs)
	})
	if err != nil {
		return Document{}, err
	}
	return out, nil
}
