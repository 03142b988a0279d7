package arap

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

// DraftRequest is what a caller gives to create a draft invoice or bill.
type DraftRequest struct {
	Party            string
	Series           string      // invoices: the location of the serial series
	Number           string      // bills: the vendor's invoice number
	Date             ledger.Date // bills: the vendor's invoice date (invoices are dated when issued)
	Currency         string      // BDT (the default) only
	Reference        string
	Lines            []Line
	PricesIncludeTax bool
	// Bills: the channel the vendor will be paid through (Bank when empty),
	// what the purchase is used for (standard-rated supplies when zero), and
	// a blocked purchase (passenger vehicle, entertainment, club fees).
	PaymentChannel Channel
	UsedFor        vat.Category
	BlockedWhat    string
	// IdempotencyKey makes CreateInvoice and CreateBill safe to retry: a
	// retry with the same request returns the document created the first
	// time, as it is now (a draft, or issued or approved since), and writes
	// nothing; another request under the key fails with
	// ledger.ErrIdempotencyConflict. Keys are one namespace per tenant, with
	// receipts', payments', notes' and Allocate's. A draft keeps its key:
	// UpdateDraft takes none (or the draft's own).
	IdempotencyKey string
}

// IssueResult is an issued invoice, with warnings (a credit limit exceeded under
// CreditLimitWarn).
type IssueResult struct {
	Document Document
	Warnings []string
}

func (e *Engine) draft(ctx context.Context, tx Store, tenant string, kind Kind, id uuid.UUID, d DraftRequest) (Document, error) {
	cur, err := e.checkCurrency(d.Currency)
	if err != nil {
		return Document{}, err
	}
	if len(d.Reference) > maxText || !printable(d.Reference) {
		return Document{}, fieldErr("Reference", ErrInvalidDocument, "at most %d printable bytes", maxText)
	}
	doc := Document{Kind: kind, Party: d.Party, Status: Draft, Currency: cur, Reference: d.Reference,
		PricesIncludeTax: d.PricesIncludeTax}
	purchase := kind == Bill
	lines, totals, err := checkLines(d.Lines, d.PricesIncludeTax, purchase, e.acc.Revenue)
	if err != nil {
		return Document{}, err
	}
	doc.Lines, doc.Totals = lines, totals
	if purchase {
		doc.Number = strings.TrimSpace(d.Number)
		if doc.Number == "" || len(doc.Number) > maxCode*2 || !printable(doc.Number) {
			return Document{}, fieldErr("Number", ErrInvalidDocument, "the vendor's invoice number is required")
		}
		if d.Date.IsZero() || !d.Date.Valid() {
			return Document{}, fieldErr("Date", ErrInvalidDocument, "the vendor's invoice date is required")
		}
		doc.Date = d.Date
		doc.PaymentChannel = d.PaymentChannel
		if doc.PaymentChannel == "" {
			doc.PaymentChannel = Bank
		}
		if !doc.PaymentChannel.valid() {
			return Document{}, fieldErr("PaymentChannel", ErrInvalidDocument, "%q", d.PaymentChannel)
		}
		if d.UsedFor != 0 {
			if _, err := d.UsedFor.MarshalText(); err != nil {
				return Document{}, &FieldError{Field: "UsedFor", Err: fmt.Errorf("%w: %w", ErrInvalidDocument, err)}
			}
		}
		doc.UsedFor, doc.BlockedWhat = d.UsedFor, strings.TrimSpace(d.BlockedWhat)
	} else {
		s, err := e.series(d.Series)
		if err != nil {
			return Document{}, err
		}
		doc.Series = s
	}
	p, err := tx.ARParty(ctx, tenant, d.Party, false)
	if err != nil {
		return Document{}, err
	}
	if err := partyRole(p, kind.Side()); err != nil {
		return Document{}, err
	}
	if purchase {
		same, err := tx.ARDocuments(ctx, tenant, DocumentQuery{Kinds: []Kind{Bill}, Party: p.Code, Number: doc.Number, Limit: 2})
		if err != nil {
			return Document{}, err
		}
		for _, o := range same {
			if o.ID != id {
				return Document{}, fmt.Errorf("%w: %s from %s", ErrDuplicateBill, doc.Number, p.Code)
			}
		}
	}
	return doc, nil
}

func partyRole(p Party, side Side) error {
	if side == Receivable && !p.Customer {
		return fmt.Errorf("%w: %s is not a customer", ErrWrongParty, p.Code)
	}
	if side == Payable && !p.Vendor {
		return fmt.Errorf("%w: %s is not a vendor", ErrWrongParty, p.Code)
	}
	return nil
}

func usable(p Party, side Side) error {
	if err := partyRole(p, side); err != nil {
		return err
	}
	if p.Blocked {
		return fmt.Errorf("%w: %s", ErrPartyBlocked, p.Code)
	}
	return nil
}

// CreateInvoice stores a draft invoice, which can change (UpdateDraft) until
// it is issued. Errors: ErrInvalidTenant, ErrInvalidDocument (with a
// *FieldError; vat's line errors wrapped), ErrCurrency, ErrPartyNotFound,
// ErrWrongParty, and ledger.ErrIdempotencyConflict when the request's
// IdempotencyKey recorded another request.
func (e *Engine) CreateInvoice(ctx context.Context, tenant string, d DraftRequest) (Document, error) {
	return e.createDraft(ctx, tenant, Invoice, d)
}

// CreateBill stores a draft vendor bill, to be approved. Each line names
// its expense, inventory or GR/IR account. Errors as CreateInvoice's, and
// ErrDuplicateBill when the vendor's number is already recorded for it.
func (e *Engine) CreateBill(ctx context.Context, tenant string, d DraftRequest) (Document, error) {
	return e.createDraft(ctx, tenant, Bill, d)
}

func (e *Engine) createDraft(ctx context.Context, tenant string, kind Kind, d DraftRequest) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	if err := checkKey(d.IdempotencyKey); err != nil {
		return Document{}, err
	}
	var out Document
	err := e.store.ARInTx(ctx, func(tx Store, _ ledger.Store) error {
		rec, _, err := keyedDocument(ctx, tx, tenant, d.IdempotencyKey)
		if err != nil {
			return err
		}
		id := uuid.Must(uuid.NewV7())
		if rec != nil {
			id = rec.ID // a bill is not a duplicate of itself
		}
		doc, err := e.draft(ctx, tx, tenant, kind, id, d)
		if err != nil {
			return err
		}
		if rec != nil {
			if what := draftDiffers(*rec, doc); what != "" {
				return keyConflict(d.IdempotencyKey, *rec, what)
			}
			out = *rec
			return nil
		}
		doc.ID = id
		doc.CreatedAt = e.timestamp()
		doc.IdempotencyKey = d.IdempotencyKey
		out = doc
		if err := tx.ARCreateDocument(ctx, tenant, doc); err != nil {
			return err
		}
		return emit(ctx, tx, tenant, []Document{doc}, nil)
	})
	if err != nil {
		return Document{}, err
	}
	return out, nil
}

// UpdateDraft replaces the content of a draft invoice or bill. Errors as
// CreateInvoice's, and ErrDocumentNotFound, ErrNotDraft.
func (e *Engine) UpdateDraft(ctx context.Context, tenant string, id uuid.UUID, d DraftRequest) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	var out Document
	err := e.store.ARInTx(ctx, func(tx Store, _ ledger.Store) error {
		cur, err := tx.ARDocument(ctx, tenant, id, true)
		if err != nil {
			return err
		}
		if cur.Kind != Invoice && cur.Kind != Bill {
			return fmt.Errorf("%w: %s is a %s", ErrWrongKind, id, cur.Kind)
		}
		if cur.Status != Draft {
			return fmt.Errorf("%w: %s is %s", ErrNotDraft, id, cur.Status)
		}
		if d.Party != cur.Party {
			return fmt.Errorf("%w: a draft keeps its party (%s)", ErrWrongParty, cur.Party)
		}
		if d.IdempotencyKey != "" && d.IdempotencyKey != cur.IdempotencyKey {
			return fieldErr("IdempotencyKey", ErrInvalidDocument, "a draft keeps the key it was created with")
		}
		doc, err := e.draft(ctx, tx, tenant, cur.Kind, cur.ID, d)
		if err != nil {
			return err
		}
		doc.ID, doc.CreatedAt, doc.IdempotencyKey = cur.ID, cur.CreatedAt, cur.IdempotencyKey
		out = doc
		if err := tx.ARUpdateDocument(ctx, tenant, doc); err != nil {
			return err
		}
		return emit(ctx, tx, tenant, []Document{doc}, nil)
	})
	if err != nil {
		return Document{}, err
	}
	return out, nil
}

// IssueOptions are the optional parts of issuing or recording a document.
type IssueOptions struct {
	// At is the date and time of issue; now when zero. The document's date
	// is its date in Dhaka.
	At time.Time
}

func (e *Engine) at(t time.Time) time.Time {
	if t.IsZero() {
		return e.timestamp()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// IssueInvoice issues a draft invoice: it takes the next gapless serial of
// its series for the fiscal year of the date of issue, posts Dr receivable,
// Cr revenue, Cr VAT output, Cr SD payable, and becomes immutable, all in
// one transaction. The Mushak-6.3 it renders must validate (vat.Invoice:
// supplier BIN, buyer BIN above InvoiceRules.BuyerBINAbove, ...).
//
// Errors: ErrInvalidTenant, ErrDocumentNotFound, ErrWrongKind, ErrNotDraft,
// ErrPartyBlocked, ErrCreditLimit (CreditLimitBlock), a *vat.ValidationError,
// and the ledger's errors (an account missing, a closed period).
func (e *Engine) IssueInvoice(ctx context.Context, tenant string, id uuid.UUID, opts IssueOptions) (IssueResult, error) {
	out, err := e.IssueInvoices(ctx, tenant, []uuid.UUID{id}, opts)
	if err != nil {
		return IssueResult{}, err
	}
	return out[0], nil
}

// IssueInvoices issues several draft invoices in one transaction, all or
// none, with consecutive serials in the order given (a billing run).
// Errors as IssueInvoice's, naming the invoice.
func (e *Engine) IssueInvoices(ctx context.Context, tenant string, ids []uuid.UUID, opts IssueOptions) ([]IssueResult, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > 10000 {
		return nil, fmt.Errorf("%w: 1 to 10000 invoices", ErrInvalidDocument)
	}
	at := e.at(opts.At)
	company := e.cfg.Company(tenant)
	sorted := slices.Clone(ids)
	slices.SortFunc(sorted, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	if len(slices.Compact(sorted)) != len(ids) {
		return nil, fmt.Errorf("%w: an invoice twice", ErrInvalidDocument)
	}
	var out []IssueResult
	err := e.tx(ctx, func(tx Store, gl *ledger.Ledger) error {
		out = make([]IssueResult, len(ids))
		locked, err := tx.ARDocumentsByID(ctx, tenant, sorted, true) // locked in ID order
		if err != nil {
			return err
		}
		docs := make(map[uuid.UUID]Document, len(locked))
		for _, d := range locked {
			docs[d.ID] = d
		}
		parties := map[string]*issueParty{}
		for i, id := range ids {
			if out[i], err = e.issue(ctx, tx, tenant, docs[id], at, company, parties); err != nil {
				if len(ids) > 1 {
					return fmt.Errorf("invoice %s: %w", id, err)
				}
				return err
			}
		}
		// Serials: one block per series, numbered in the order given.
		f := formatOr(e.cfg.InvoiceFormat, vat.DefaultSerialPattern)
		fy := vat.FiscalYearOf(vat.DateOf(at.In(vat.Dhaka())))
		count := map[string]int{}
		var series []string
		for _, r := range out {
			if count[r.Document.Series] == 0 {
				series = append(series, r.Document.Series)
			}
			count[r.Document.Series]++
		}
		slices.Sort(series) // counters are locked in one order by every run
		next := map[string]int64{}
		for _, loc := range series {
			last, err := tx.ARNextSerials(ctx, tenant, "inv:"+loc, int(fy), count[loc])
			if err != nil {
				return err
			}
			next[loc] = last - int64(count[loc]) + 1
		}
		entries := make([]ledger.Entry, len(out))
		for i := range out {
			d := &out[i].Document
			d.FiscalYear, d.Seq = int(fy), next[d.Series]
			next[d.Series]++
			if d.Number, err = f.Format(vat.Serial{Location: d.Series, FiscalYear: fy, Number: d.Seq}); err != nil {
				return fmt.Errorf("%w: %w", ErrInvalidDocument, err)
			}
			entries[i] = e.invoiceEntry(*d, parties[d.Party].LegalName)
		}
		// Every invoice's own entry, posted together in this transaction.
		var posted []ledger.Entry
		if len(entries) == 1 {
			var p ledger.Entry
			if p, err = gl.Post(ctx, tenant, entries[0]); err == nil {
				posted = []ledger.Entry{p}
			}
		} else {
			posted, err = gl.PostBatch(ctx, tenant, entries)
		}
		if err != nil {
			var be *ledger.BatchError
			if errors.As(err, &be) && len(be.Entries) > 0 {
				i := be.Entries[0].Index
				return fmt.Errorf("arap: posting invoice %s: %w", out[i].Document.Number, be.Entries[0].Err)
			}
			return fmt.Errorf("arap: posting invoices: %w", err)
		}
		upd := make([]Document, len(out))
		for i := range out {
			out[i].Document.EntryID = posted[i].ID
			upd[i] = out[i].Document
		}
		if err := tx.ARUpdateDocuments(ctx, tenant, upd); err != nil {
			return err
		}
		return emit(ctx, tx, tenant, upd, nil)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// issueParty is a customer as a billing run sees it: what the run has
// invoiced it so far counts against its credit limit.
type issueParty struct {
	Party
	open    decimal.Decimal // open items before the run
	pending decimal.Decimal // invoiced earlier in the run
}

// issue checks a draft invoice and returns it as issued, without its serial
// (the caller numbers, posts and stores the run).
func (e *Engine) issue(ctx context.Context, tx Store, tenant string, d Document, at time.Time,
	company Company, parties map[string]*issueParty) (IssueResult, error) {
	if d.Kind != Invoice {
		return IssueResult{}, fmt.Errorf("%w: %s is a %s, not an invoice", ErrWrongKind, d.ID, d.Kind)
	}
	if d.Status != Draft {
		return IssueResult{}, fmt.Errorf("%w: %s is %s as %s", ErrNotDraft, d.ID, d.Status, d.Number)
	}
	p, ok := parties[d.Party]
	if !ok {
		pp, err := tx.ARParty(ctx, tenant, d.Party, false)
		if err != nil {
			return IssueResult{}, err
		}
		p = &issueParty{Party: pp}
		if pp.CreditLimit.Sign() > 0 { // lock the customer: concurrent invoices see each other's balance
			if p.Party, err = tx.ARParty(ctx, tenant, d.Party, true); err != nil {
				return IssueResult{}, err
			}
			items, err := tx.AROpenItems(ctx, tenant, OpenItemQuery{Side: Receivable, Party: pp.Code})
			if err != nil {
				return IssueResult{}, err
			}
			for _, it := range items {
				p.open = p.open.Add(it.Open)
			}
		}
		parties[d.Party] = p
	}
	if err := usable(p.Party, Receivable); err != nil {
		return IssueResult{}, err
	}
	lines, totals, err := checkLines(d.Lines, d.PricesIncludeTax, false, e.acc.Revenue)
	if err != nil {
		return IssueResult{}, err
	}
	d.Lines, d.Totals = lines, totals
	d.IssuedAt = at
	d.Date = dhakaDate(at)
	d.PostingDate = d.Date
	d.DueDate = d.Date.AddDays(p.PaymentTermsDays)
	mushak := e.mushakInvoice(d, p.Party, company)
	mushak.Serial = "pending"
	if err := mushak.Validate(e.cfg.InvoiceRules); err != nil {
		return IssueResult{}, err
	}
	var is IssueResult
	if p.CreditLimit.Sign() > 0 {
		bal := p.open.Add(p.pending).Add(d.Totals.Total)
		if bal.GreaterThan(p.CreditLimit) {
			msg := fmt.Sprintf("%s would owe %s, over its credit limit of %s", p.Code, bal.StringFixed(2), p.CreditLimit.StringFixed(2))
			if e.cfg.CreditLimit == CreditLimitBlock {
				return IssueResult{}, fmt.Errorf("%w: %s", ErrCreditLimit, msg)
			}
			is.Warnings = append(is.Warnings, msg)
		}
		p.pending = p.pending.Add(d.Totals.Total)
	}
	d.Status, d.Open = Issued, d.Totals.Total
	is.Document = d
	return is, nil
}

// invoiceEntry is an issued invoice's posting: Dr receivable, Cr revenue
// (per account), Cr VAT output, Cr SD payable.
func (e *Engine) invoiceEntry(d Document, customer string) ledger.Entry {
	var b entryBuilder
	b.dr(e.acc.Receivable, d.Totals.Total)
	for _, l := range d.Lines {
		b.cr(l.Account, l.Value)
	}
	b.cr(e.acc.VATOutput, d.Totals.VAT)
	b.cr(e.acc.SDPayable, d.Totals.SD)
	return b.entry(d.PostingDate, "Invoice "+d.Number+" to "+customer, d.Number, "arap:"+d.ID.String())
}

func (e *Engine) mushakInvoice(d Document, p Party, c Company) *vat.Invoice {
	inv := &vat.Invoice{Serial: d.Number, IssuedAt: d.IssuedAt, Supplier: c.Party, Buyer: p.vatParty(),
		Supply: vat.SupplyOptions{PricesIncludeTax: d.PricesIncludeTax}, Responsible: c.Responsible}
	inv.Lines = vatLines(d.Lines)
	return inv
}

func vatLines(ls []Line) []vat.Line {
	out := make([]vat.Line, len(ls))
	for i, l := range ls {
		out[i] = vat.Line{Description: l.Description, Unit: l.Unit, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Discount: l.Discount, VAT: l.VAT, SDPercent: l.SDPercent}
	}
	return out
}

// NoteRequest asks for a credit or debit note against an issued invoice or
// an approved bill.
type NoteRequest struct {
	Original         uuid.UUID // the invoice or bill
	Reason           string    // the nature of the adjustment
	Lines            []Line    // what is adjusted: goods returned, a price change
	PricesIncludeTax bool
	At               time.Time // notes we issue: date and time of issue (now when zero)
	// Vendor notes: the vendor's note number and date.
	Number string
	Date   ledger.Date
	// IdempotencyKey, when set, makes a retry safe: a note already
	// recorded under the key for the same request (field for field; At
	// only when set) is returned as it was and nothing is written; another
	// request fails with ledger.ErrIdempotencyConflict. Keys are unique per
	// tenant across notes, receipts, payments and Allocate calls.
	IdempotencyKey string
}

// CreditNote issues a Mushak-6.7 credit note against an issued invoice:
// Dr revenue, Dr VAT output, Dr SD payable, Cr receivable, allocated to the
// invoice as far as it is open. Credit notes never exceed the invoice; one
// that brings the credited total to the invoice's total cancels it. The
// buyer's name, address and BIN are required above Tk 5,000 of VAT effect
// (vat.NoteRules). Errors: ErrDocumentNotFound, ErrWrongKind, ErrNotPosted,
// ErrCancelled, ErrOverCredit, ErrInvalidDocument, *vat.ValidationError.
func (e *Engine) CreditNote(ctx context.Context, tenant string, r NoteRequest) (Document, error) {
	return e.salesNote(ctx, tenant, CreditNote, r)
}

// DebitNote issues a Mushak-6.8 debit note against an issued invoice: Dr
// receivable, Cr revenue, Cr VAT output, Cr SD payable; it is a charge of its
// own, due after the customer's terms. Errors as CreditNote's.
func (e *Engine) DebitNote(ctx context.Context, tenant string, r NoteRequest) (Document, error) {
	return e.salesNote(ctx, tenant, DebitNote, r)
}

// CancelInvoice cancels an issued invoice with a credit note for all of its
// lines. Errors: ErrCancelled (cancelled already), ErrOverCredit (partly
// credited already: credit the rest with CreditNote), and CreditNote's.
func (e *Engine) CancelInvoice(ctx context.Context, tenant string, id uuid.UUID, reason string, opts IssueOptions) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	inv, err := e.store.ARDocument(ctx, tenant, id, false)
	if err != nil {
		return Document{}, err
	}
	return e.salesNote(ctx, tenant, CreditNote, NoteRequest{Original: id, Reason: reason, Lines: clearComputed(inv.Lines),
		PricesIncludeTax: inv.PricesIncludeTax, At: opts.At})
}

func clearComputed(ls []Line) []Line {
	out := slices.Clone(ls)
	for i := range out {
		out[i].Value, out[i].SD, out[i].VATAmount, out[i].Total, out[i].InputVAT, out[i].ITCDenials =
			decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, decimal.Decimal{}, nil
	}
	return out
}

func checkReason(r string) (string, error) {
	r = strings.TrimSpace(r)
	if r == "" || len(r) > maxText || !printable(r) {
		return "", fieldErr("Reason", ErrInvalidDocument, "the nature of the adjustment is required")
	}
	return r, nil
}

func (e *Engine) salesNote(ctx context.Context, tenant string, kind Kind, r NoteRequest) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	reason, err := checkReason(r.Reason)
	if err != nil {
		return Document{}, err
	}
	if err := checkKey(r.IdempotencyKey); err != nil {
		return Document{}, err
	}
	at := e.at(r.At)
	company := e.cfg.Company(tenant)
	var out Document
	err = e.tx(ctx, func(tx Store, gl *ledger.Ledger) error {
		if prev, found, err := recordedNote(ctx, tx, tenant, kind, r, reason, at); err != nil || found {
			out = prev
			return err
		}
		inv, err := tx.ARDocument(ctx, tenant, r.Original, true)
		if err != nil {
			return err
		}
		if inv.Kind != Invoice {
			return fmt.Errorf("%w: a %s adjusts an invoice, %s is a %s", ErrWrongKind, kind, inv.ID, inv.Kind)
		}
		switch inv.Status {
		case Draft:
			return fmt.Errorf("%w: invoice %s is a draft: change it instead", ErrNotPosted, inv.ID)
		case Cancelled:
			return fmt.Errorf("%w: %s", ErrCancelled, inv.Number)
		}
		p, err := tx.ARParty(ctx, tenant, inv.Party, false)
		if err != nil {
			return err
		}
		lines, totals, err := checkLines(r.Lines, r.PricesIncludeTax, false, e.acc.Revenue)
		if err != nil {
			return err
		}
		n := Document{ID: uuid.Must(uuid.NewV7()), Kind: kind, Party: inv.Party, Status: Issued, Series: inv.Series,
			IssuedAt: at, Date: dhakaDate(at), Currency: inv.Currency, Lines: lines, Totals: totals,
			PricesIncludeTax: r.PricesIncludeTax, Original: inv.ID, Reason: reason, CreatedAt: e.timestamp(),
			IdempotencyKey: r.IdempotencyKey}
		n.PostingDate = n.Date
		if n.Date.Before(inv.Date) {
			return fieldErr("At", ErrInvalidDocument, "the note is dated before invoice %s", inv.Number)
		}
		if kind == CreditNote && inv.Credited.Add(totals.Total).GreaterThan(inv.Totals.Total) {
			return fmt.Errorf("%w: invoice %s of %s has %s credited; %s more is too much", ErrOverCredit, inv.Number,
				inv.Totals.Total.StringFixed(2), inv.Credited.StringFixed(2), totals.Total.StringFixed(2))
		}
		nk := vat.CreditNote
		key, pattern := "cn", "CN-{LOC}-{FY}-{SEQ:6}"
		if kind == DebitNote {
			nk, key, pattern = vat.DebitNote, "dn", "DN-{LOC}-{FY}-{SEQ:6}"
		}
		m := e.mushakNote(n, inv, p, company)
		m.Kind, m.Serial = nk, "pending"
		if err := m.Validate(e.cfg.NoteRules); err != nil {
			return err
		}
		if n.Number, n.FiscalYear, n.Seq, err = serial(ctx, tx, tenant, key, n.Series, vat.SerialFormat{Pattern: pattern}, at); err != nil {
			return err
		}
		var b entryBuilder
		for _, l := range n.Lines {
			b.dr(l.Account, l.Value)
		}
		b.dr(e.acc.VATOutput, totals.VAT)
		b.dr(e.acc.SDPayable, totals.SD)
		b.cr(e.acc.Receivable, totals.Total)
		ent := b.entry(n.PostingDate, fmt.Sprintf("%s %s for invoice %s", kindTitle(kind), n.Number, inv.Number), n.Number, "arap:"+n.ID.String())
		if kind == DebitNote {
			ent = negate(ent)
			n.DueDate = n.Date.AddDays(p.PaymentTermsDays)
		}
		if n.EntryID, err = post(ctx, gl, tenant, ent); err != nil {
			return err
		}
		n.Open = totals.Total
		var allocs []Allocation
		if kind == CreditNote {
			inv.Credited = inv.Credited.Add(totals.Total)
			if inv.Credited.Equal(inv.Totals.Total) {
				inv.Status = Cancelled
			}
			if amt := decimal.Min(inv.Open, n.Open); amt.Sign() > 0 {
				allocs = append(allocs, Allocation{ID: uuid.Must(uuid.NewV7()), Side: Receivable, Party: inv.Party,
					Charge: inv.ID, Settlement: n.ID, Amount: amt, Date: n.Date, CreatedAt: n.CreatedAt})
				inv.Open, n.Open = inv.Open.Sub(amt), n.Open.Sub(amt)
			}
		}
		if err := tx.ARCreateDocument(ctx, tenant, n); err != nil {
			return err
		}
		if err := tx.ARUpdateDocument(ctx, tenant, inv); err != nil {
			return err
		}
		if len(allocs) > 0 {
			if err := tx.ARCreateAllocations(ctx, tenant, allocs); err != nil {
				return err
			}
		}
		out = n
		return emit(ctx, tx, tenant, []Document{n, inv}, allocs)
	})
	if err != nil {
		return Document{}, err
	}
	return out, nil
}

func kindTitle(k Kind) string {
	switch k {
	case CreditNote:
		return "Credit note"
	case DebitNote:
		return "Debit note"
	case VendorCreditNote:
		return "Vendor credit note"
	case VendorDebitNote:
		return "Vendor debit note"
	}
	return string(k)
}

// negate swaps every line's side.
func negate(e ledger.Entry) ledger.Entry {
	for i := range e.Lines {
		e.Lines[i].Side = e.Lines[i].Side.Opposite()
	}
	return e
}

func (e *Engine) mushakNote(n, inv Document, p Party, c Company) *vat.AdjustmentNote {
	k := vat.CreditNote
	if n.Kind == DebitNote {
		k = vat.DebitNote
	}
	return &vat.AdjustmentNote{Kind: k, Serial: n.Number, IssuedAt: n.IssuedAt, Supplier: c.Party, Buyer: p.vatParty(),
		Original: vat.InvoiceRef{Serial: inv.Number, IssuedAt: inv.IssuedAt}, Reason: n.Reason, Lines: vatLines(n.Lines),
		Supply: vat.SupplyOptions{PricesIncludeTax: n.PricesIncludeTax}, Responsible: c.Responsible}
}
