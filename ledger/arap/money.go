package arap

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

// MoneyRequest records money received from a customer or paid to a vendor.
type MoneyRequest struct {
	Party   string
	Date    ledger.Date
	Channel Channel
	// Account is the cash or bank account; Accounts.Cash, Bank or Mobile by
	// channel when empty.
	Account   string
	Amount    decimal.Decimal // money that moved (VDS not included)
	Reference string          // cheque, transfer or transaction number
	Series    string          // location of the receipt or payment voucher serial
	// Allocations apply the money (and the VDS) to invoices or bills; what
	// is not allocated stays open as an advance or over-payment.
	Allocations []Apply
	// Certificate: on a receipt, the Mushak-6.6 the customer gave for the VAT
	// it deducted at source (required when any allocation has VDS); on a
	// payment, the treasury challan of the VAT we deducted, when known (the
	// certificate's serial is ours).
	Certificate *Certificate
	// IdempotencyKey, when set, makes a retry safe: a receipt or payment
	// already recorded under the key with the same request is returned as
	// it was recorded and nothing is written; one with another request
	// fails with ledger.ErrIdempotencyConflict. Keys are unique per tenant
	// across receipts, payments, notes and Allocate calls. Without a key,
	// every call records money again.
	IdempotencyKey string
}

// Received is a recorded receipt or payment and the VDS certificate recorded
// or issued with it, if any.
type Received struct {
	Document    Document
	Certificate *Document
	Allocations []Allocation
}

// Receive records money received from a customer (by cash, bank or mobile
// banking) and allocates it, partly or fully, to issued invoices and debit
// notes; the rest stays open as an advance. A withholding customer pays net
// of VAT deducted at source: each allocation's VDS settles part of the
// invoice and is posted to VDS receivable, and the customer's Mushak-6.6 is
// recorded. Posts Dr cash/bank (Amount), Dr VDS receivable (VDS), Cr
// receivable (Amount + VDS).
//
// Errors: ErrInvalidTenant, ErrInvalidDocument, ErrPartyNotFound,
// ErrWrongParty, ErrDocumentNotFound, ErrWrongKind,
// ErrNotPosted, ErrOverAllocation, ErrVDS, ErrVDSCertificate and the
// ledger's errors.
func (e *Engine) Receive(ctx context.Context, tenant string, r MoneyRequest) (Received, error) {
	return e.money(ctx, tenant, Receipt, r)
}

// Pay records money paid to a vendor and allocates it to approved bills and
// vendor debit notes; the rest stays open as an advance. When the company is
// a withholding entity (Company.Withholder under Config.VDS) it may deduct
// VAT at source: each allocation's VDS is posted to VDS payable and a
// Mushak-6.6 is issued with the next serial of the "VDS" series. Posts Dr
// payable (Amount + VDS), Cr cash/bank (Amount), Cr VDS payable (VDS).
// Errors as Receive's.
func (e *Engine) Pay(ctx context.Context, tenant string, r MoneyRequest) (Received, error) {
	return e.money(ctx, tenant, Payment, r)
}

func checkApplies(as []Apply, vdsAllowed bool) (decimal.Decimal, decimal.Decimal, error) {
	sum, vds := decimal.Zero, decimal.Zero
	seen := map[uuid.UUID]bool{}
	for i, a := range as {
		f := fmt.Sprintf("Allocations[%d]", i)
		if a.Document == uuid.Nil || seen[a.Document] {
			return sum, vds, fieldErr(f+".Document", ErrInvalidDocument, "a document, once")
		}
		seen[a.Document] = true
		if a.Amount.Sign() <= 0 || !money(a.Amount) {
			return sum, vds, fieldErr(f+".Amount", ErrInvalidDocument, "a positive amount in Taka and poisha")
		}
		if a.VDS.IsNegative() || !money(a.VDS) || a.VDS.GreaterThan(a.Amount) {
			return sum, vds, fieldErr(f+".VDS", ErrVDS, "between zero and the amount allocated")
		}
		if !vdsAllowed && a.VDS.Sign() != 0 {
			return sum, vds, fieldErr(f+".VDS", ErrVDS, "VAT is deducted at source when money moves, not in a later allocation")
		}
		sum, vds = sum.Add(a.Amount), vds.Add(a.VDS)
	}
	return sum, vds, nil
}

func (e *Engine) money(ctx context.Context, tenant string, kind Kind, r MoneyRequest) (Received, error) {
	if err := validateTenant(tenant); err != nil {
		return Received{}, err
	}
	side := kind.Side()
	if r.Date.IsZero() || !r.Date.Valid() {
		return Received{}, fieldErr("Date", ErrInvalidDocument, "required")
	}
	if !r.Channel.valid() {
		return Received{}, fieldErr("Channel", ErrInvalidDocument, "cash, bank or mobile, got %q", r.Channel)
	}
	account := r.Account
	if account == "" {
		account = e.acc.channel(r.Channel)
	}
	if !validCode(account) {
		return Received{}, fieldErr("Account", ErrInvalidDocument, "%q", account)
	}
	if r.Amount.IsNegative() || !money(r.Amount) {
		return Received{}, fieldErr("Amount", ErrInvalidDocument, "a non-negative amount in Taka and poisha")
	}
	if len(r.Reference) > maxText || !printable(r.Reference) {
		return Received{}, fieldErr("Reference", ErrInvalidDocument, "at most %d printable bytes", maxText)
	}
	if err := checkKey(r.IdempotencyKey); err != nil {
		return Received{}, err
	}
	series, err := e.series(r.Series)
	if err != nil {
		return Received{}, err
	}
	sum, vds, err := checkApplies(r.Allocations, true)
	if err != nil {
		return Received{}, err
	}
	total := r.Amount.Add(vds)
	if total.Sign() <= 0 {
		return Received{}, fieldErr("Amount", ErrInvalidDocument, "nothing received or paid")
	}
	if sum.GreaterThan(total) {
		return Received{}, fieldErr("Allocations", ErrOverAllocation, "%s allocated of %s", sum.StringFixed(2), total.StringFixed(2))
	}
	company := e.cfg.Company(tenant)
	if vds.Sign() > 0 {
		switch kind {
		case Receipt:
			c := r.Certificate
			if c == nil || strings.TrimSpace(c.Number) == "" || c.Date.IsZero() || !c.Date.Valid() {
				return Received{}, fieldErr("Certificate", ErrVDSCertificate, "the customer's 6.6 number and date")
			}
		case Payment:
			if !e.cfg.VDS.IsWithholdingEntity(company.Withholder, vdate(r.Date)) {
				return Received{}, fieldErr("Allocations", ErrVDS, "the company is not a VAT withholding entity")
			}
		}
	}
	var out Received
	err = e.tx(ctx, func(tx Store, gl *ledger.Ledger) error {
		prev, made, err := keyedDocument(ctx, tx, tenant, r.IdempotencyKey)
		if err != nil {
			return err
		}
		if prev != nil {
			out, err = e.replay(ctx, tx, tenant, kind, account, series, r, *prev, made)
			return err
		}
		p, err := tx.ARParty(ctx, tenant, r.Party, false)
		if err != nil {
			return err
		}
		if err := partyRole(p, side); err != nil { // a blocked party may still pay and be paid
			return err
		}
		if kind == Receipt && vds.Sign() > 0 && !p.Withholding {
			return fieldErr("Allocations", ErrVDS, "%s is not a VAT withholding entity", p.Code)
		}
		at := r.Date.Time()
		key, pattern := "rc", "RC-{LOC}-{FY}-{SEQ:6}"
		if kind == Payment {
			key, pattern = "pv", "PV-{LOC}-{FY}-{SEQ:6}"
		}
		d := Document{ID: uuid.Must(uuid.NewV7()), Kind: kind, Party: p.Code, Status: Issued, Series: series,
			Date: r.Date, PostingDate: r.Date, Currency: "BDT", Reference: r.Reference, Channel: r.Channel,
			Account: account, Amount: r.Amount, VDS: vds, Totals: Totals{Value: total, Total: total}, Open: total,
			CreatedAt: e.timestamp(), IdempotencyKey: r.IdempotencyKey}
		allocs, charges, err := e.apply(ctx, tx, tenant, &d, r.Allocations)
		if err != nil {
			return err
		}
		for i := range allocs {
			allocs[i].IdempotencyKey = r.IdempotencyKey
		}
		if d.Number, d.FiscalYear, d.Seq, err = serial(ctx, tx, tenant, key, series, vat.SerialFormat{Pattern: pattern}, at); err != nil {
			return err
		}
		var cert *Document
		if vds.Sign() > 0 {
			cert = &Document{ID: uuid.Must(uuid.NewV7()), Kind: VDSReceived, Party: p.Code, Status: Issued, Series: series,
				Date: r.Date, PostingDate: r.Date, Currency: "BDT", About: d.ID, CreatedAt: d.CreatedAt,
				Totals: Totals{Total: vds}}
			if r.Certificate != nil {
				c := *r.Certificate
				cert.Certificate = &c
			}
			for i, a := range r.Allocations {
				if a.VDS.Sign() == 0 {
					continue
				}
				ch := charges[i]
				cert.CertLines = append(cert.CertLines, CertificateLine{Document: ch.ID, Number: ch.Number, Date: ch.Date,
					Value: ch.Totals.Value.Add(ch.Totals.SD), VAT: ch.Totals.VAT, Withheld: a.VDS})
			}
			if kind == Receipt {
				cert.Number = strings.TrimSpace(r.Certificate.Number)
				cert.Date = r.Certificate.Date
			} else {
				cert.Kind, cert.IssuedAt = VDSIssued, at
				if cert.Number, cert.FiscalYear, cert.Seq, err = serial(ctx, tx, tenant, "vds", series,
					vat.SerialFormat{Pattern: "VDS-{LOC}-{FY}-{SEQ:6}"}, at); err != nil {
					return err
				}
			}
		}
		var b entryBuilder
		if kind == Payment && r.Channel == Cash {
			for i := range charges {
				if err := e.reverseCashCredit(&charges[i], &d, p, company, &b); err != nil {
					return err
				}
			}
		}
		desc := "Receipt " + d.Number + " from " + p.LegalName
		if kind == Receipt {
			b.dr(account, r.Amount)
			b.dr(e.acc.VDSReceivable, vds)
			b.cr(e.acc.Receivable, total)
		} else {
			desc = "Payment " + d.Number + " to " + p.LegalName
			b.dr(e.acc.Payable, total)
			b.cr(account, r.Amount)
			b.cr(e.acc.VDSPayable, vds)
		}
		if d.EntryID, err = post(ctx, gl, tenant, b.entry(d.PostingDate, desc, d.Number, "arap:"+d.ID.String())); err != nil {
			return err
		}
		if err := tx.ARCreateDocument(ctx, tenant, d); err != nil {
			return err
		}
		if cert != nil {
			cert.EntryID = d.EntryID
			if err := tx.ARCreateDocument(ctx, tenant, *cert); err != nil {
				return err
			}
		}
		for _, c := range charges {
			if err := tx.ARUpdateDocument(ctx, tenant, c); err != nil {
				return err
			}
		}
		if len(allocs) > 0 {
			if err := tx.ARCreateAllocations(ctx, tenant, allocs); err != nil {
				return err
			}
		}
		out = Received{Document: d, Certificate: cert, Allocations: allocs}
		docs := append([]Document{d}, charges...)
		if cert != nil {
			docs = append(docs, *cert)
		}
		return emit(ctx, tx, tenant, docs, allocs)
	})
	if err != nil {
		return Received{}, err
	}
	return out, nil
}

// replay returns the receipt or payment prev, recorded under r's key, as
// it was recorded: with the VDS certificate recorded or issued with it and
// made, the allocations made with it (they carry its key). It fails with
// ledger.ErrIdempotencyConflict when r is not the request that recorded
// prev.
func (e *Engine) replay(ctx context.Context, tx Store, tenant string, kind Kind, account, series string,
	r MoneyRequest, prev Document, made []Allocation) (Received, error) {
	conflict := func(what string) (Received, error) { return Received{}, keyConflict(r.IdempotencyKey, prev, what) }
	switch {
	case prev.Kind != kind:
		return conflict("kind")
	case prev.Party != r.Party:
		return conflict("party")
	case prev.Date != r.Date:
		return conflict("date")
	case prev.Channel != r.Channel || prev.Account != account:
		return conflict("channel or account")
	case !prev.Amount.Equal(r.Amount):
		return conflict("amount")
	case prev.Reference != r.Reference:
		return conflict("reference")
	case prev.Series != series:
		return conflict("series")
	}
	if !sameAllocations(made, prev.ID, r.Allocations) {
		return conflict("allocations")
	}
	out := Received{Document: prev, Allocations: made}
	if prev.VDS.Sign() > 0 {
		certKind := VDSReceived
		if kind == Payment {
			certKind = VDSIssued
		}
		// Posted on the day money moved; a received certificate's own date
		// is the customer's.
		certs, err := tx.ARDocuments(ctx, tenant, DocumentQuery{Kinds: []Kind{certKind}, Party: prev.Party,
			ByPostingDate: true, From: prev.PostingDate, To: prev.PostingDate})
		if err != nil {
			return Received{}, err
		}
		for i := range certs {
			if certs[i].About == prev.ID {
				out.Certificate = &certs[i]
			}
		}
		if out.Certificate == nil {
			return Received{}, fmt.Errorf("%w: the VDS certificate of %s", ErrDocumentNotFound, prev.Number)
		}
		// The request's certificate (the customer's 6.6, or the challan of
		// ours) is kept on the certificate document as it was given.
		if a, b := out.Certificate.Certificate, r.Certificate; (a == nil) != (b == nil) || (a != nil && *a != *b) {
			return conflict("certificate")
		}
	}
	return out, nil
}

// apply checks the allocations of settlement s (locking the charges in ID
// order) and returns them with the charges as they become, in the order of
// as; s.Open falls by what is allocated.
func (e *Engine) apply(ctx context.Context, tx Store, tenant string, s *Document, as []Apply) ([]Allocation, []Document, error) {
	ids := make([]uuid.UUID, len(as))
	for i, a := range as {
		ids[i] = a.Document
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	locked := map[uuid.UUID]Document{}
	for _, id := range ids {
		d, err := tx.ARDocument(ctx, tenant, id, true)
		if err != nil {
			return nil, nil, err
		}
		locked[id] = d
	}
	side := s.Kind.Side()
	allocs := make([]Allocation, 0, len(as))
	charges := make([]Document, len(as))
	for i, a := range as {
		f := fmt.Sprintf("Allocations[%d]", i)
		c := locked[a.Document]
		switch {
		case !c.Kind.Charge() || c.Kind.Side() != side:
			return nil, nil, fieldErr(f, ErrWrongKind, "%s is a %s; a %s settles %s charges", c.ID, c.Kind, s.Kind, side)
		case c.Party != s.Party:
			return nil, nil, fieldErr(f, ErrWrongParty, "%s belongs to %s, not %s", c.ID, c.Party, s.Party)
		case c.Status == Draft:
			return nil, nil, fieldErr(f, ErrNotPosted, "%s is a draft", c.ID)
		case c.Status == Cancelled && c.Open.IsZero():
			return nil, nil, fieldErr(f, ErrCancelled, "%s", c.Number)
		case a.Amount.GreaterThan(c.Open):
			return nil, nil, fieldErr(f+".Amount", ErrOverAllocation, "%s of %s, which has %s open", a.Amount.StringFixed(2), c.Number, c.Open.StringFixed(2))
		case a.Amount.GreaterThan(s.Open):
			return nil, nil, fieldErr(f+".Amount", ErrOverAllocation, "%s, with %s of %s left", a.Amount.StringFixed(2), s.Open.StringFixed(2), s.Number)
		case c.Withheld.Add(a.VDS).GreaterThan(c.Totals.VAT):
			return nil, nil, fieldErr(f+".VDS", ErrVDS, "%s withheld in all on %s, whose VAT is %s", c.Withheld.Add(a.VDS).StringFixed(2), c.Number, c.Totals.VAT.StringFixed(2))
		}
		date := s.PostingDate
		if c.PostingDate.After(date) {
			date = c.PostingDate
		}
		allocs = append(allocs, Allocation{ID: uuid.Must(uuid.NewV7()), Side: side, Party: s.Party, Charge: c.ID,
			Settlement: s.ID, Amount: a.Amount, VDS: a.VDS, Date: date, CreatedAt: e.timestamp()})
		c.Open, s.Open = c.Open.Sub(a.Amount), s.Open.Sub(a.Amount)
		c.Withheld = c.Withheld.Add(a.VDS)
		charges[i] = c
	}
	return allocs, charges, nil
}

// Allocate applies what is still open of a receipt, payment or credit note
// (an advance, an over-payment, an unapplied credit) to charges of the same
// party; no money moves, so nothing is posted. The allocation is dated
// date (today in Dhaka when zero), or the later document's date. With
// opts' IdempotencyKey, a retry returns the allocations the first call made.
// Errors: ErrDocumentNotFound, ErrWrongKind, ErrWrongParty, ErrNotPosted,
// ErrOverAllocation, ErrVDS (VDS is taken only when money moves),
// ledger.ErrIdempotencyConflict.
func (e *Engine) Allocate(ctx context.Context, tenant string, settlement uuid.UUID, date ledger.Date, as []Apply,
	opts ...AllocateOptions) ([]Allocation, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	var key string
	if len(opts) > 0 {
		key = opts[0].IdempotencyKey
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, fieldErr("Allocations", ErrInvalidDocument, "nothing to allocate")
	}
	if _, _, err := checkApplies(as, false); err != nil {
		return nil, err
	}
	if date.IsZero() {
		date = dhakaDate(e.timestamp())
	} else if !date.Valid() {
		return nil, fieldErr("Date", ErrInvalidDocument, "%s", date)
	}
	var out []Allocation
	err := e.store.ARInTx(ctx, func(tx Store, _ ledger.Store) error {
		// One namespace with the documents' keys: a receipt's, payment's
		// or note's key is another request's.
		doc, prev, err := keyed(ctx, tx, tenant, key)
		switch {
		case err != nil:
			return err
		case doc != nil:
			return keyConflict(key, *doc, "request (an Allocate call)")
		case len(prev) > 0:
			if !sameAllocations(prev, settlement, as) {
				return fmt.Errorf("%w: key %q was used for other allocations", ledger.ErrIdempotencyConflict, key)
			}
			out = prev
			return nil
		}
		// Lock every document in ID order: the settlement with the charges.
		s, err := tx.ARDocument(ctx, tenant, settlement, false)
		if err != nil {
			return err
		}
		if !s.Kind.Settlement() {
			return fmt.Errorf("%w: %s is a %s, not a receipt, payment or credit note", ErrWrongKind, s.ID, s.Kind)
		}
		ids := []uuid.UUID{settlement}
		for _, a := range as {
			if a.Document == settlement {
				return fieldErr("Allocations", ErrWrongKind, "a document settles itself")
			}
			ids = append(ids, a.Document)
		}
		slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		for _, id := range ids {
			d, err := tx.ARDocument(ctx, tenant, id, true)
			if err != nil {
				return err
			}
			if id == settlement {
				s = d
			}
		}
		if s.Open.Sign() <= 0 {
			return fmt.Errorf("%w: nothing of %s is open", ErrOverAllocation, s.Number)
		}
		orig := s.PostingDate
		if date.After(s.PostingDate) {
			s.PostingDate = date
		}
		allocs, charges, err := e.apply(ctx, tx, tenant, &s, as)
		if err != nil {
			return err
		}
		s.PostingDate = orig
		for i := range allocs {
			allocs[i].IdempotencyKey = key
		}
		for _, c := range charges {
			if err := tx.ARUpdateDocument(ctx, tenant, c); err != nil {
				return err
			}
		}
		if err := tx.ARUpdateDocument(ctx, tenant, s); err != nil {
			return err
		}
		out = allocs
		if err := tx.ARCreateAllocations(ctx, tenant, allocs); err != nil {
			return err
		}
		return emit(ctx, tx, tenant, append(charges, s), allocs)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SuggestVDS computes the VAT a withholding company should deduct at source
// from a bill for a VDS service code of the rate table on a date, through
// vat.ComputeVDS (base: the bill's value plus SD), capped at the bill's VAT.
func (e *Engine) SuggestVDS(bill Document, serviceCode string, date ledger.Date, company Company) (decimal.Decimal, error) {
	v, err := vat.ComputeVDS(e.cfg.Rates, vat.VDSInput{Buyer: company.Withholder, ServiceCode: serviceCode, Date: vdate(date),
		Base: bill.Totals.Value.Add(bill.Totals.SD)}, e.cfg.VDS, vat.Rounding{})
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: %w", ErrVDS, err)
	}
	return decimal.Min(v.Amount, bill.Totals.VAT), nil
}

// reverseCashCredit gives back the input VAT of a bill paid in cash when
// vat.CheckInputCredit says a purchase of its size must be paid through a
// bank or mobile channel (above Tk 1 lakh): Dr each line's account, Cr VAT
// input, recorded on the bill and the payment (9.1 note 25). A bill approved
// for cash payment had no credit to give back.
func (e *Engine) reverseCashCredit(bill, pay *Document, p Party, c Company, b *entryBuilder) error {
	if bill.Kind != Bill {
		return nil
	}
	credited := decimal.Zero
	for _, l := range bill.Lines {
		credited = credited.Add(l.InputVAT)
	}
	if credited.Sub(bill.ITCReversed).Sign() <= 0 {
		return nil
	}
	var supplier vat.BIN
	if p.BIN != "" {
		supplier, _ = vat.ParseBIN(p.BIN)
	}
	claim, err := vat.PeriodOf(vdate(bill.PostingDate), e.cfg.ITC.Length)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	chk, err := vat.CheckInputCredit(vat.Purchase{Date: vdate(bill.Date), SupplierBIN: supplier, BuyerBIN: c.Party.BIN,
		Value: bill.Totals.Value, SD: bill.Totals.SD, VAT: bill.Totals.VAT, Category: vat.Standard, InRegister: true}, claim, e.cfg.ITC)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	if !chk.Has(vat.NotPaidThroughBank) {
		return nil
	}
	for _, l := range bill.Lines {
		b.dr(l.Account, l.InputVAT)
	}
	b.cr(e.acc.VATInput, credited)
	bill.ITCReversed = credited
	pay.ITCReversed = pay.ITCReversed.Add(credited)
	return nil
}
