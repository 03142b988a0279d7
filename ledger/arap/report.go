package arap

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

func (q OpenItemQuery) check() error {
	if q.Side != Receivable && q.Side != Payable {
		return fmt.Errorf("%w: side %q", ErrInvalidQuery, q.Side)
	}
	if !q.AsOf.IsZero() && !q.AsOf.Valid() {
		return fmt.Errorf("%w: as-of date %s", ErrInvalidQuery, q.AsOf)
	}
	return nil
}

// OpenItems lists the documents of a side (one party's, or every party's)
// with an amount open on q.AsOf: charges positive, unallocated settlements
// negative. Their sum is the balance of the side's control account.
func (e *Engine) OpenItems(ctx context.Context, tenant string, q OpenItemQuery) ([]OpenItem, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	return e.store.AROpenItems(ctx, tenant, q)
}

// Aging is what each party owes (or is owed) on a date, by days past due.
type Aging struct {
	AsOf  ledger.Date
	Side  Side
	Rows  []AgingRow
	Total AgingRow
}

// Aging buckets the open items of a side as of q.AsOf (today in Dhaka when
// zero) by days past due: not due, 1-30, 31-60, 61-90 and over 90 days;
// unallocated settlements are shown apart, as Unapplied.
func (e *Engine) Aging(ctx context.Context, tenant string, q OpenItemQuery) (Aging, error) {
	if err := validateTenant(tenant); err != nil {
		return Aging{}, err
	}
	if q.AsOf.IsZero() {
		q.AsOf = dhakaDate(e.timestamp())
	}
	if err := q.check(); err != nil {
		return Aging{}, err
	}
	rows, err := e.store.ARAging(ctx, tenant, q)
	if err != nil {
		return Aging{}, err
	}
	a := Aging{AsOf: q.AsOf, Side: q.Side, Rows: rows}
	t := &a.Total
	for _, r := range rows {
		t.NotDue, t.Days1To30, t.Days31To60 = t.NotDue.Add(r.NotDue), t.Days1To30.Add(r.Days1To30), t.Days31To60.Add(r.Days31To60)
		t.Days61To90, t.Over90, t.Unapplied = t.Days61To90.Add(r.Days61To90), t.Over90.Add(r.Over90), t.Unapplied.Add(r.Unapplied)
		t.Total = t.Total.Add(r.Total)
	}
	return a, nil
}

// StatementLine is one document of a party statement.
type StatementLine struct {
	Date     ledger.Date
	Document uuid.UUID
	Kind     Kind
	Number   string
	Debit    decimal.Decimal // raises what the party owes us (receivable) or we owe it (payable)
	Credit   decimal.Decimal
	Balance  decimal.Decimal // running balance after the line
}

// Statement is a party's account for a period with a running balance.
type Statement struct {
	Party    string
	Side     Side
	From, To ledger.Date
	Opening  decimal.Decimal
	Lines    []StatementLine
	Closing  decimal.Decimal
}

// PartyStatement returns a party's statement of one side from from to to
// (inclusive, by posting date): the opening balance, each document with the
// running balance, and the closing balance.
func (e *Engine) PartyStatement(ctx context.Context, tenant, party string, side Side, from, to ledger.Date) (Statement, error) {
	if err := validateTenant(tenant); err != nil {
		return Statement{}, err
	}
	if (side != Receivable && side != Payable) || !from.Valid() || !to.Valid() || to.Before(from) {
		return Statement{}, fmt.Errorf("%w: side %q, %s to %s", ErrInvalidQuery, side, from, to)
	}
	if _, err := e.store.ARParty(ctx, tenant, party, false); err != nil {
		return Statement{}, err
	}
	kinds := []Kind{Invoice, DebitNote, CreditNote, Receipt}
	if side == Payable {
		kinds = []Kind{Bill, VendorDebitNote, VendorCreditNote, Payment}
	}
	docs, err := e.store.ARDocuments(ctx, tenant, DocumentQuery{Kinds: kinds, Party: party, To: to, ByPostingDate: true,
		Status: []Status{Issued, Approved, Cancelled}})
	if err != nil {
		return Statement{}, err
	}
	s := Statement{Party: party, Side: side, From: from, To: to}
	bal := decimal.Zero
	for _, d := range docs {
		amt := d.Totals.Total
		if d.Kind.Settlement() {
			amt = amt.Neg()
		}
		if d.PostingDate.Before(from) {
			s.Opening = s.Opening.Add(amt)
			continue
		}
		if len(s.Lines) == 0 {
			bal = s.Opening
		}
		bal = bal.Add(amt)
		l := StatementLine{Date: d.PostingDate, Document: d.ID, Kind: d.Kind, Number: d.Number, Balance: bal}
		if amt.Sign() > 0 {
			l.Debit = amt
		} else {
			l.Credit = amt.Neg()
		}
		s.Lines = append(s.Lines, l)
	}
	s.Closing = s.Opening
	if len(s.Lines) > 0 {
		s.Closing = s.Lines[len(s.Lines)-1].Balance
	}
	return s, nil
}

func periodRange(p vat.Period) (ledger.Date, ledger.Date) {
	end := p.End()
	return ledger.NewDate(p.Start.Year, p.Start.Month, p.Start.Day), ledger.NewDate(end.Year, end.Month, end.Day)
}

// SalesRegister returns the Mushak-6.2 sales register of a tax period: one
// line per line of every invoice issued in it (cancelled ones included:
// their credit notes are adjustments of the 9.1 return), in serial order.
func (e *Engine) SalesRegister(ctx context.Context, tenant string, p vat.Period) ([]vat.SalesLine, error) {
	var out []vat.SalesLine
	for l, err := range e.sales(ctx, tenant, p) {
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func (e *Engine) sales(ctx context.Context, tenant string, p vat.Period) iter.Seq2[vat.SalesLine, error] {
	return func(yield func(vat.SalesLine, error) bool) {
		if err := validateTenant(tenant); err != nil {
			yield(vat.SalesLine{}, err)
			return
		}
		from, to := periodRange(p)
		docs, err := e.store.ARDocuments(ctx, tenant, DocumentQuery{Kinds: []Kind{Invoice}, Status: []Status{Issued, Cancelled}, From: from, To: to})
		if err != nil {
			yield(vat.SalesLine{}, err)
			return
		}
		parties, err := e.partyMap(ctx, tenant)
		if err != nil {
			yield(vat.SalesLine{}, err)
			return
		}
		for _, d := range docs {
			buyer := parties[d.Party].vatParty()
			for _, l := range d.Lines {
				note, err := vat.SaleNoteFor(l.VAT.Category)
				if err != nil {
					yield(vat.SalesLine{}, fmt.Errorf("invoice %s: %w", d.Number, err))
					return
				}
				if !yield(vat.SalesLine{Date: vdate(d.Date), InvoiceSerial: d.Number, BuyerName: buyer.Name, BuyerBIN: buyer.BIN,
					Description: l.Description, Quantity: l.Quantity, Value: l.Value, SD: l.SD, VAT: l.VATAmount, Note: note}, nil) {
					return
				}
			}
		}
	}
}

func (e *Engine) partyMap(ctx context.Context, tenant string) (map[string]Party, error) {
	ps, err := e.store.ARParties(ctx, tenant)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Party, len(ps))
	for _, p := range ps {
		m[p.Code] = p
	}
	return m, nil
}

// purchaseNote is the 9.1 note of a bill line: 20 from an unregistered
// vendor, 19 turnover tax, 21 not admissible when its VAT was not credited,
// else by category (14 standard, 16 other rates, 18 specific, 10
// zero-rated, 12 exempt).
func purchaseNote(l Line, vendorBIN string) vat.PurchaseNote {
	switch {
	case vendorBIN == "":
		return vat.FromUnregistered
	case l.VAT.Category == vat.Turnover:
		return vat.FromTurnoverUnit
	case l.VATAmount.Sign() > 0 && l.InputVAT.IsZero():
		return vat.NotAdmissibleLocal
	}
	switch l.VAT.Category {
	case vat.ZeroRated:
		return vat.ZeroRatedLocal
	case vat.Exempt:
		return vat.ExemptLocal
	case vat.Reduced, vat.Trade:
		return vat.OtherRateLocal
	case vat.Specific:
		return vat.SpecificLocal
	}
	return vat.StandardLocal
}

// PurchaseRegister returns the Mushak-6.1 purchase register of a tax
// period: every line of the bills approved in it (the period in which their
// input VAT is claimed), dated by approval.
func (e *Engine) PurchaseRegister(ctx context.Context, tenant string, p vat.Period) ([]vat.PurchaseLine, error) {
	var out []vat.PurchaseLine
	for l, err := range e.purchases(ctx, tenant, p) {
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func (e *Engine) purchases(ctx context.Context, tenant string, p vat.Period) iter.Seq2[vat.PurchaseLine, error] {
	return func(yield func(vat.PurchaseLine, error) bool) {
		if err := validateTenant(tenant); err != nil {
			yield(vat.PurchaseLine{}, err)
			return
		}
		from, to := periodRange(p)
		docs, err := e.store.ARDocuments(ctx, tenant, DocumentQuery{Kinds: []Kind{Bill}, Status: []Status{Approved},
			From: from, To: to, ByPostingDate: true})
		if err != nil {
			yield(vat.PurchaseLine{}, err)
			return
		}
		parties, err := e.partyMap(ctx, tenant)
		if err != nil {
			yield(vat.PurchaseLine{}, err)
			return
		}
		for _, d := range docs {
			v := parties[d.Party]
			seller := v.vatParty()
			for _, l := range d.Lines {
				if !yield(vat.PurchaseLine{Date: vdate(d.PostingDate), InvoiceSerial: d.Number, SupplierName: seller.Name,
					SupplierBIN: seller.BIN, Description: l.Description, Quantity: l.Quantity, Value: l.Value, SD: l.SD,
					VAT: l.VATAmount, Note: purchaseNote(l, v.BIN)}, nil) {
					return
				}
			}
		}
	}
}

// Adjustments returns the 9.1 adjustments of a tax period from the stored
// documents: 24 VDS we withheld from vendors (6.6 issued), 25 input VAT
// given back for bills above Tk 1 lakh paid in cash, 26 debit notes we
// issued, 27 input VAT given back by vendors' credit notes, 29 VDS our
// customers withheld (6.6 received), 31 credit notes we issued, 32 input VAT
// added by vendors' debit notes.
func (e *Engine) Adjustments(ctx context.Context, tenant string, p vat.Period) ([]vat.Adjustment, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	from, to := periodRange(p)
	docs, err := e.store.ARDocuments(ctx, tenant, DocumentQuery{Kinds: []Kind{DebitNote, CreditNote, VendorDebitNote,
		VendorCreditNote, VDSReceived, VDSIssued, Payment}, From: from, To: to, ByPostingDate: true})
	if err != nil {
		return nil, err
	}
	var out []vat.Adjustment
	for _, d := range docs {
		if d.Kind == Payment {
			if d.ITCReversed.Sign() > 0 {
				out = append(out, vat.Adjustment{Note: 25, Description: "input VAT of bills above Tk 1 lakh paid in cash, payment " + d.Number,
					VAT: d.ITCReversed})
			}
			continue
		}
		a := vat.Adjustment{Description: fmt.Sprintf("%s %s", kindTitle(d.Kind), d.Number), Value: d.Totals.Value, SD: d.Totals.SD, VAT: d.Totals.VAT}
		switch d.Kind {
		case VDSIssued, VDSReceived:
			a.Note, a.Description, a.Value, a.SD = 24, "VDS certificate (6.6) issued "+d.Number, decimal.Zero, decimal.Zero
			a.VAT = d.Totals.Total
			if d.Kind == VDSReceived {
				a.Note, a.Description = 29, "VDS certificate (6.6) received "+d.Number
			}
		case DebitNote:
			a.Note = 26
		case CreditNote:
			a.Note = 31
		case VendorCreditNote, VendorDebitNote:
			a.VAT = decimal.Zero
			for _, l := range d.Lines {
				a.VAT = a.VAT.Add(l.InputVAT)
			}
			a.Note = 27
			if d.Kind == VendorDebitNote {
				a.Note = 32
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// Return computes the Mushak-9.1 return of a tax period from the stored
// documents through vat.ComputeReturn: the sales register, the purchase
// register and the adjustments.
func (e *Engine) Return(ctx context.Context, tenant string, p vat.Period) (vat.Return, error) {
	adj, err := e.Adjustments(ctx, tenant, p)
	if err != nil {
		return vat.Return{}, err
	}
	return vat.ComputeReturn(p, e.sales(ctx, tenant, p), e.purchases(ctx, tenant, p), adj)
}

// Format is a rendering format.
type Format int

// Rendering formats.
const (
	HTML Format = iota
	PDF
)

// Render writes an issued invoice (Mushak-6.3), credit note (6.7), debit
// note (6.8) or a VDS certificate we issued (6.6) through the vat package,
// as HTML (bilingual) or PDF. Errors:
// ErrDocumentNotFound, ErrWrongKind (other documents), ErrNotPosted (a
// draft), and vat's validation and rendering errors.
func (e *Engine) Render(ctx context.Context, tenant string, id uuid.UUID, f Format, w io.Writer) error {
	if err := validateTenant(tenant); err != nil {
		return err
	}
	d, err := e.store.ARDocument(ctx, tenant, id, false)
	if err != nil {
		return err
	}
	if d.Status == Draft {
		return fmt.Errorf("%w: a draft has no serial", ErrNotPosted)
	}
	p, err := e.store.ARParty(ctx, tenant, d.Party, false)
	if err != nil {
		return err
	}
	company := e.cfg.Company(tenant)
	switch d.Kind {
	case Invoice:
		inv := e.mushakInvoice(d, p, company)
		if f == PDF {
			return inv.RenderPDF(w, e.cfg.InvoiceRules)
		}
		return inv.RenderHTML(w, e.cfg.InvoiceRules)
	case CreditNote, DebitNote:
		orig, err := e.store.ARDocument(ctx, tenant, d.Original, false)
		if err != nil {
			return err
		}
		n := e.mushakNote(d, orig, p, company)
		if f == PDF {
			return n.RenderPDF(w, e.cfg.NoteRules)
		}
		return n.RenderHTML(w, e.cfg.NoteRules)
	case VDSIssued:
		c := vdsCertificate(d, p, company)
		if f == PDF {
			return c.RenderPDF(w)
		}
		return c.RenderHTML(w)
	}
	return fmt.Errorf("%w: only invoices, the notes and the VDS certificates we issue render as Mushak forms, not a %s", ErrWrongKind, d.Kind)
}

// vdsCertificate is the Mushak-6.6 of a VDS certificate we issued. Its
// treasury challan is the one given with the payment (MoneyRequest.Certificate);
// without it the certificate does not validate.
func vdsCertificate(d Document, vendor Party, c Company) *vat.VDSCertificate {
	cert := &vat.VDSCertificate{Serial: d.Number, IssuedAt: d.IssuedAt, Withholder: c.Party, Supplier: vendor.vatParty(),
		Responsible: c.Responsible}
	for _, l := range d.CertLines {
		cert.Lines = append(cert.Lines, vat.VDSLine{InvoiceSerial: l.Number, InvoiceDate: vdate(l.Date), Value: l.Value,
			VAT: l.VAT, Withheld: l.Withheld})
	}
	if d.Certificate != nil {
		cert.Deposit = vat.TreasuryDeposit{ChallanNumber: d.Certificate.ChallanNumber}
		if !d.Certificate.ChallanDate.IsZero() {
			cert.Deposit.Date = vdate(d.Certificate.ChallanDate)
		}
	}
	return cert
}
