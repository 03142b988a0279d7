package arap

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

// Accounts are the ledger accounts the engine posts to. Zero fields take
// the codes of ledger.ChartBangladesh.
type Accounts struct {
	Receivable    string // 1210 trade receivables (control account)
	VDSReceivable string // 1220 VAT deducted at source by customers
	VATInput      string // 1400 VAT input (current account)
	Cash          string // 1110 cash in hand
	Bank          string // 1120 bank accounts (also mobile financial services by default)
	Mobile        string // 1120
	Payable       string // 2100 trade payables (control account)
	VATOutput     string // 2210 VAT output
	SDPayable     string // 2220 supplementary duty payable
	VDSPayable    string // 2230 VDS withheld from suppliers
	Revenue       string // 4100 sales
}

func (a Accounts) withDefaults() Accounts {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&a.Receivable, "1210")
	def(&a.VDSReceivable, "1220")
	def(&a.VATInput, "1400")
	def(&a.Cash, "1110")
	def(&a.Bank, "1120")
	def(&a.Mobile, "1120")
	def(&a.Payable, "2100")
	def(&a.VATOutput, "2210")
	def(&a.SDPayable, "2220")
	def(&a.VDSPayable, "2230")
	def(&a.Revenue, "4100")
	return a
}

func (a Accounts) channel(c Channel) string {
	switch c {
	case Cash:
		return a.Cash
	case Mobile:
		return a.Mobile
	}
	return a.Bank
}

// Company is the tenant's own business as it appears on Mushak documents.
type Company struct {
	Party       vat.Party  // name, BIN, address of issue
	Responsible vat.Person // who signs invoices and notes
	// Withholder describes the company as a buyer: whether it must deduct VAT
	// at source from vendors (vat.VDSPolicy.IsWithholdingEntity).
	Withholder vat.Buyer
}

// CreditLimitPolicy says what issuing an invoice over a customer's credit
// limit does.
type CreditLimitPolicy int

// Credit limit policies.
const (
	// CreditLimitBlock refuses the invoice with ErrCreditLimit (the default).
	CreditLimitBlock CreditLimitPolicy = iota
	// CreditLimitWarn issues it and reports the excess in IssueResult.Warnings.
	CreditLimitWarn
)

// Config configures an Engine. The zero value works with the Bangladesh
// chart template, a company without a BIN (so no invoice can be issued until
// Company is set) and the vat package's default rules.
type Config struct {
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Accounts are the ledger accounts posted to.
	Accounts Accounts
	// Company returns the tenant's own details for Mushak documents.
	Company func(tenant string) Company
	// Series is the location whose serials documents take when they name
	// none; "HO" when empty.
	Series string
	// InvoiceFormat prints invoice serials; "{LOC}-{FY}-{SEQ:6}" when zero.
	// The other series print as "CN-{LOC}-{FY}-{SEQ:6}" (credit notes), "DN-"
	// (debit notes), "RC-" (receipts), "PV-" (payments) and "VDS-" (the 6.6
	// certificates we issue); each has its own gapless counter.
	InvoiceFormat vat.SerialFormat
	// InvoiceRules and NoteRules validate Mushak 6.3 and 6.7/6.8 documents.
	InvoiceRules vat.InvoiceRules
	NoteRules    vat.NoteRules
	// CreditLimit is what an invoice over the customer's limit does.
	CreditLimit CreditLimitPolicy
	// ITC holds the input tax credit parameters; vat.DefaultITCPolicy when zero.
	ITC vat.ITCPolicy
	// VDS says who is a withholding entity; vat.DefaultVDSPolicy when zero.
	VDS vat.VDSPolicy
	// Rates is the rate table for SuggestVDS; vat.DefaultTable when nil.
	Rates *vat.Table
}

// Engine is the receivables and payables engine. It validates every request
// before its Store writes anything and posts every document to the ledger
// in the same transaction. It is safe for concurrent use; correctness never
// depends on it being the only one.
type Engine struct {
	store Store
	cfg   Config
	acc   Accounts
}

// New returns an Engine over store.
func New(store Store, cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Series == "" {
		cfg.Series = "HO"
	}
	if cfg.Company == nil {
		cfg.Company = func(string) Company { return Company{} }
	}
	if cfg.Rates == nil {
		cfg.Rates = vat.DefaultTable()
	}
	return &Engine{store: store, cfg: cfg, acc: cfg.Accounts.withDefaults()}
}

func (e *Engine) timestamp() time.Time { return e.cfg.Now().UTC().Truncate(time.Microsecond) }

const (
	maxCode  = 64
	maxText  = 1024
	maxLines = 1000
)

func validateTenant(tenant string) error {
	if tenant == "" || len(tenant) > maxCode || strings.TrimSpace(tenant) != tenant || !printable(tenant) {
		return fmt.Errorf("%w: %q", ErrInvalidTenant, tenant)
	}
	return nil
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func validCode(s string) bool {
	if s == "" || len(s) > maxCode {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// bdt is the only currency documents are in.
var bdt = ledger.MustCurrency("BDT")

// money checks that d is a BDT amount (at most two decimals).
func money(d decimal.Decimal) bool { return bdt.Check(d) == nil }

func dhakaDate(t time.Time) ledger.Date { return ledger.DateOf(t.In(vat.Dhaka())) }

func vdate(d ledger.Date) vat.Date { return vat.NewDate(d.Year, d.Month, d.Day) }

// CreateParty adds a customer or vendor. BIN, TIN, NID and mobile are
// validated and normalised by the vat package; a VAT-registered party needs
// a BIN. Errors: ErrInvalidTenant, ErrInvalidParty, ErrPartyExists.
func (e *Engine) CreateParty(ctx context.Context, tenant string, p Party) (Party, error) {
	if err := validateTenant(tenant); err != nil {
		return Party{}, err
	}
	p, err := normalizeParty(p)
	if err != nil {
		return Party{}, err
	}
	p.CreatedAt = e.timestamp()
	err = e.store.ARInTx(ctx, func(tx Store, _ ledger.Store) error {
		if err := tx.ARCreateParty(ctx, tenant, p); err != nil {
			return err
		}
		return tx.ARAppendEvents(ctx, tenant, []Event{partyEvent(p)})
	})
	if err != nil {
		return Party{}, err
	}
	return p, nil
}

// UpdateParty replaces a party's details (Code and CreatedAt stay). Errors
// as CreateParty's, and ErrPartyNotFound.
func (e *Engine) UpdateParty(ctx context.Context, tenant string, p Party) (Party, error) {
	if err := validateTenant(tenant); err != nil {
		return Party{}, err
	}
	p, err := normalizeParty(p)
	if err != nil {
		return Party{}, err
	}
	err = e.store.ARInTx(ctx, func(tx Store, _ ledger.Store) error {
		cur, err := tx.ARParty(ctx, tenant, p.Code, true)
		if err != nil {
			return err
		}
		p.CreatedAt = cur.CreatedAt
		if err := tx.ARUpdateParty(ctx, tenant, p); err != nil {
			return err
		}
		return tx.ARAppendEvents(ctx, tenant, []Event{partyEvent(p)})
	})
	if err != nil {
		return Party{}, err
	}
	return p, nil
}

// Party returns the party with the code, or ErrPartyNotFound.
func (e *Engine) Party(ctx context.Context, tenant, code string) (Party, error) {
	if err := validateTenant(tenant); err != nil {
		return Party{}, err
	}
	return e.store.ARParty(ctx, tenant, code, false)
}

// Parties lists the tenant's parties, ordered by code.
func (e *Engine) Parties(ctx context.Context, tenant string) ([]Party, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	return e.store.ARParties(ctx, tenant)
}

func normalizeParty(p Party) (Party, error) {
	bad := func(field, format string, args ...any) (Party, error) {
		return Party{}, fieldErr(field, ErrInvalidParty, format, args...)
	}
	if !validCode(p.Code) {
		return bad("Code", "1 to %d characters without spaces", maxCode)
	}
	p.LegalName = strings.TrimSpace(p.LegalName)
	if p.LegalName == "" || len(p.LegalName) > maxText || !printable(p.LegalName) {
		return bad("LegalName", "required, printable, at most %d bytes", maxText)
	}
	p.Address = strings.TrimSpace(p.Address)
	p.ShipTo = strings.TrimSpace(p.ShipTo)
	if p.Address == "" || len(p.Address) > maxText || len(p.ShipTo) > maxText {
		return bad("Address", "required, at most %d bytes", maxText)
	}
	if !p.Customer && !p.Vendor {
		return bad("Customer", "a party is a customer, a vendor or both")
	}
	if strings.TrimSpace(p.BIN) != "" {
		b, err := vat.ParseBIN(p.BIN)
		if err != nil {
			return Party{}, &FieldError{Field: "BIN", Err: fmt.Errorf("%w: %w", ErrInvalidParty, err)}
		}
		p.BIN = b.Digits()
	} else {
		p.BIN = ""
		if p.VATRegistered {
			return bad("BIN", "a VAT-registered party needs its BIN")
		}
	}
	if strings.TrimSpace(p.TIN) != "" {
		t, err := vat.ParseTIN(p.TIN)
		if err != nil {
			return Party{}, &FieldError{Field: "TIN", Err: fmt.Errorf("%w: %w", ErrInvalidParty, err)}
		}
		p.TIN = t.Digits()
	} else {
		p.TIN = ""
	}
	if strings.TrimSpace(p.NID) != "" {
		n, err := vat.ParseNID(p.NID)
		if err != nil {
			return Party{}, &FieldError{Field: "NID", Err: fmt.Errorf("%w: %w", ErrInvalidParty, err)}
		}
		p.NID = n.String()
	} else {
		p.NID = ""
	}
	if strings.TrimSpace(p.Mobile) != "" {
		m, err := vat.ParseMobile(p.Mobile)
		if err != nil {
			return Party{}, &FieldError{Field: "Mobile", Err: fmt.Errorf("%w: %w", ErrInvalidParty, err)}
		}
		p.Mobile = m.String()
	} else {
		p.Mobile = ""
	}
	if p.PaymentTermsDays < 0 || p.PaymentTermsDays > 3650 {
		return bad("PaymentTermsDays", "0 to 3650 days")
	}
	if p.CreditLimit.IsNegative() || !money(p.CreditLimit) {
		return bad("CreditLimit", "a non-negative amount in Taka and poisha")
	}
	p.CreatedAt = time.Time{}
	return p, nil
}

// vatParty is the party as it appears on a Mushak document.
func (p Party) vatParty() vat.Party {
	var b vat.BIN
	if p.BIN != "" {
		b, _ = vat.ParseBIN(p.BIN) // stored normalised
	}
	addr := p.Address
	if p.ShipTo != "" {
		addr = p.ShipTo
	}
	return vat.Party{Name: p.LegalName, BIN: b, Address: addr}
}

// Document returns the document with the ID, or ErrDocumentNotFound.
func (e *Engine) Document(ctx context.Context, tenant string, id uuid.UUID) (Document, error) {
	if err := validateTenant(tenant); err != nil {
		return Document{}, err
	}
	return e.store.ARDocument(ctx, tenant, id, false)
}

// Documents lists the documents q selects, ordered by date, number and ID.
func (e *Engine) Documents(ctx context.Context, tenant string, q DocumentQuery) ([]Document, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	return e.store.ARDocuments(ctx, tenant, q)
}

// Allocations lists the allocations of a document, ordered by date and ID.
func (e *Engine) Allocations(ctx context.Context, tenant string, doc uuid.UUID) ([]Allocation, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	return e.store.ARAllocations(ctx, tenant, doc)
}

// tx runs fn in one store transaction with a ledger over the same transaction.
func (e *Engine) tx(ctx context.Context, fn func(tx Store, gl *ledger.Ledger) error) error {
	return e.store.ARInTx(ctx, func(tx Store, gls ledger.Store) error {
		return fn(tx, ledger.New(gls, ledger.Config{Now: e.cfg.Now}))
	})
}

// checkLines validates the lines a caller gives and computes them through
// vat.Calculate, filling each line's amounts. purchase lines need an account.
func checkLines(lines []Line, inclusive, purchase bool, defAccount string) ([]Line, Totals, error) {
	if len(lines) == 0 {
		return nil, Totals{}, fieldErr("Lines", ErrInvalidDocument, "at least one line")
	}
	if len(lines) > maxLines {
		return nil, Totals{}, fieldErr("Lines", ErrInvalidDocument, "more than %d lines", maxLines)
	}
	out := slices.Clone(lines)
	vl := make([]vat.Line, len(out))
	for i := range out {
		l := &out[i]
		f := fmt.Sprintf("Lines[%d]", i)
		l.Description, l.Unit = strings.TrimSpace(l.Description), strings.TrimSpace(l.Unit)
		if l.Description == "" || len(l.Description) > maxText || l.Unit == "" || len(l.Unit) > maxCode {
			return nil, Totals{}, fieldErr(f, ErrInvalidDocument, "description and unit are required")
		}
		if !money(l.UnitPrice) || !money(l.Discount) {
			return nil, Totals{}, fieldErr(f+".UnitPrice", ErrInvalidDocument, "prices have at most two decimals")
		}
		if l.Account == "" {
			if purchase {
				return nil, Totals{}, fieldErr(f+".Account", ErrInvalidDocument, "a purchase line names its expense, inventory or GR/IR account")
			}
			l.Account = defAccount
		}
		if !validCode(l.Account) {
			return nil, Totals{}, fieldErr(f+".Account", ErrInvalidDocument, "account code %q", l.Account)
		}
		vl[i] = vat.Line{Description: l.Description, Unit: l.Unit, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Discount: l.Discount, VAT: l.VAT, SDPercent: l.SDPercent}
	}
	res, err := vat.Calculate(vat.Supply{Lines: vl, PricesIncludeTax: inclusive})
	if err != nil {
		return nil, Totals{}, &FieldError{Field: "Lines", Err: fmt.Errorf("%w: %w", ErrInvalidDocument, err)}
	}
	for i := range out {
		a := res.Lines[i]
		out[i].Value, out[i].SD, out[i].VATAmount, out[i].Total = a.Value, a.SD, a.VAT, a.Total
		out[i].InputVAT, out[i].ITCDenials = decimal.Decimal{}, nil
	}
	t := Totals{Value: res.Totals.Value, SD: res.Totals.SD, VAT: res.Totals.VAT, Total: res.Totals.Total}
	if t.Total.Sign() <= 0 {
		return nil, Totals{}, fieldErr("Lines", ErrInvalidDocument, "the document's total must be positive")
	}
	return out, t, nil
}

// entryBuilder sums debit and credit lines per account, in first-use order.
type entryBuilder struct {
	order []string
	amt   map[string]decimal.Decimal // debit positive, credit negative
}

func (b *entryBuilder) add(account string, debit decimal.Decimal) {
	if debit.IsZero() {
		return
	}
	if b.amt == nil {
		b.amt = map[string]decimal.Decimal{}
	}
	if _, ok := b.amt[account]; !ok {
		b.order = append(b.order, account)
	}
	b.amt[account] = b.amt[account].Add(debit)
}

func (b *entryBuilder) dr(account string, d decimal.Decimal) { b.add(account, d) }
func (b *entryBuilder) cr(account string, d decimal.Decimal) { b.add(account, d.Neg()) }

func (b *entryBuilder) entry(date ledger.Date, desc, ref, key string) ledger.Entry {
	e := ledger.Entry{Date: date, Description: desc, Reference: ref, IdempotencyKey: key}
	for _, a := range b.order {
		v := b.amt[a]
		switch v.Sign() {
		case 1:
			e.Lines = append(e.Lines, ledger.DebitLine(a, v, "BDT"))
		case -1:
			e.Lines = append(e.Lines, ledger.CreditLine(a, v.Neg(), "BDT"))
		}
	}
	return e
}

// post posts the entry and returns its ID; ledger errors are returned as they are.
func post(ctx context.Context, gl *ledger.Ledger, tenant string, e ledger.Entry) (uuid.UUID, error) {
	p, err := gl.Post(ctx, tenant, e)
	if err != nil {
		return uuid.Nil, fmt.Errorf("arap: posting %s: %w", e.Reference, err)
	}
	return p.ID, nil
}

// serial takes the next serial of a series and prints it.
func serial(ctx context.Context, tx Store, tenant, key, loc string, f vat.SerialFormat, at time.Time) (string, int, int64, error) {
	fy := vat.FiscalYearOf(vat.DateOf(at.In(vat.Dhaka())))
	n, err := tx.ARNextSerials(ctx, tenant, key+":"+loc, int(fy), 1)
	if err != nil {
		return "", 0, 0, err
	}
	s, err := f.Format(vat.Serial{Location: loc, FiscalYear: fy, Number: n})
	if err != nil {
		return "", 0, 0, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	return s, int(fy), n, nil
}

func formatOr(f vat.SerialFormat, pattern string) vat.SerialFormat {
	if f.Pattern == "" {
		return vat.SerialFormat{Pattern: pattern}
	}
	return f
}

func (e *Engine) series(s string) (string, error) {
	if s == "" {
		s = e.cfg.Series
	}
	if !validCode(s) {
		return "", fieldErr("Series", ErrInvalidDocument, "location code %q", s)
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return "", fieldErr("Series", ErrInvalidDocument, "location %q must be letters and digits", s)
		}
	}
	return s, nil
}

func (e *Engine) checkCurrency(c string) (string, error) {
	if c == "" || strings.EqualFold(c, "BDT") {
		return "BDT", nil
	}
	return "", fmt.Errorf("%w: %s (foreign-currency settlement needs the ledger's multi-currency support)", ErrCurrency, c)
}
