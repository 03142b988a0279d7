package arap

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

// The adapters keep each document's and party's full content as JSON beside
// the columns they query; EncodeDocument and DecodeDocument (and the party
// pair) are that format, written once for both. Amounts are decimal strings
// (exact), dates YYYY-MM-DD ("" when zero).

type jsonDate string

func encDate(d ledger.Date) jsonDate {
	if d.IsZero() {
		return ""
	}
	return jsonDate(d.String())
}

func (j jsonDate) date() (ledger.Date, error) {
	if j == "" {
		return ledger.Date{}, nil
	}
	return ledger.ParseDate(string(j))
}

type jsonLine struct {
	Description, Unit             string
	Quantity, UnitPrice, Discount decimal.Decimal
	Category                      int
	Percent, PerUnit              decimal.Decimal
	SDPercent                     decimal.Decimal
	Account                       string
	Value, SD, VATAmount, Total   decimal.Decimal
	InputVAT                      decimal.Decimal
	ITCDenials                    []string `json:",omitempty"`
}

type jsonCert struct {
	Number, ChallanNumber string
	Date, ChallanDate     jsonDate
}

type jsonCertLine struct {
	Document             uuid.UUID
	Number               string
	Date                 jsonDate
	Value, VAT, Withheld decimal.Decimal
}

type jsonDocument struct {
	ID                         uuid.UUID
	Kind                       Kind
	Party                      string
	Status                     Status
	Series, Number             string
	FiscalYear                 int
	Seq                        int64
	Date, PostingDate, DueDate jsonDate
	IssuedAt                   time.Time
	Currency, Reference        string
	Lines                      []jsonLine
	PricesIncludeTax           bool
	Totals                     Totals
	Original                   uuid.UUID
	Reason                     string
	PaymentChannel             Channel
	UsedFor                    int
	BlockedWhat                string
	Channel                    Channel
	Account                    string
	Amount, VDS                decimal.Decimal
	IdempotencyKey             string         `json:",omitempty"`
	Certificate                *jsonCert      `json:",omitempty"`
	CertLines                  []jsonCertLine `json:",omitempty"`
	About                      uuid.UUID
	Open, Credited, Withheld   decimal.Decimal
	ITCReversed                decimal.Decimal
	EntryID                    uuid.UUID
	CreatedAt                  time.Time
}

// EncodeDocument is the JSON the adapters store for a document.
func EncodeDocument(d Document) ([]byte, error) {
	j := jsonDocument{ID: d.ID, Kind: d.Kind, Party: d.Party, Status: d.Status, Series: d.Series, Number: d.Number,
		FiscalYear: d.FiscalYear, Seq: d.Seq, Date: encDate(d.Date), PostingDate: encDate(d.PostingDate),
		DueDate: encDate(d.DueDate), IssuedAt: d.IssuedAt, Currency: d.Currency, Reference: d.Reference,
		PricesIncludeTax: d.PricesIncludeTax, Totals: d.Totals, Original: d.Original, Reason: d.Reason,
		PaymentChannel: d.PaymentChannel, UsedFor: int(d.UsedFor), BlockedWhat: d.BlockedWhat, Channel: d.Channel,
		Account: d.Account, Amount: d.Amount, VDS: d.VDS, IdempotencyKey: d.IdempotencyKey, About: d.About, Open: d.Open, Credited: d.Credited,
		Withheld: d.Withheld, ITCReversed: d.ITCReversed, EntryID: d.EntryID, CreatedAt: d.CreatedAt}
	for _, l := range d.Lines {
		j.Lines = append(j.Lines, jsonLine{Description: l.Description, Unit: l.Unit, Quantity: l.Quantity,
			UnitPrice: l.UnitPrice, Discount: l.Discount, Category: int(l.VAT.Category), Percent: l.VAT.Percent,
			PerUnit: l.VAT.PerUnit, SDPercent: l.SDPercent, Account: l.Account, Value: l.Value, SD: l.SD,
			VATAmount: l.VATAmount, Total: l.Total, InputVAT: l.InputVAT, ITCDenials: l.ITCDenials})
	}
	if c := d.Certificate; c != nil {
		j.Certificate = &jsonCert{Number: c.Number, ChallanNumber: c.ChallanNumber, Date: encDate(c.Date), ChallanDate: encDate(c.ChallanDate)}
	}
	for _, l := range d.CertLines {
		j.CertLines = append(j.CertLines, jsonCertLine{Document: l.Document, Number: l.Number, Date: encDate(l.Date),
			Value: l.Value, VAT: l.VAT, Withheld: l.Withheld})
	}
	return json.Marshal(j)
}

// DecodeDocument reads what EncodeDocument wrote.
func DecodeDocument(b []byte) (Document, error) {
	var j jsonDocument
	if err := json.Unmarshal(b, &j); err != nil {
		return Document{}, err
	}
	d := Document{ID: j.ID, Kind: j.Kind, Party: j.Party, Status: j.Status, Series: j.Series, Number: j.Number,
		FiscalYear: j.FiscalYear, Seq: j.Seq, IssuedAt: j.IssuedAt, Currency: j.Currency, Reference: j.Reference,
		PricesIncludeTax: j.PricesIncludeTax, Totals: j.Totals, Original: j.Original, Reason: j.Reason,
		PaymentChannel: j.PaymentChannel, UsedFor: vat.Category(j.UsedFor), BlockedWhat: j.BlockedWhat,
		Channel: j.Channel, Account: j.Account, Amount: j.Amount, VDS: j.VDS, IdempotencyKey: j.IdempotencyKey, About: j.About, Open: j.Open,
		Credited: j.Credited, Withheld: j.Withheld, ITCReversed: j.ITCReversed, EntryID: j.EntryID, CreatedAt: j.CreatedAt}
	var err error
	for _, p := range []struct {
		dst *ledger.Date
		src jsonDate
	}{{&d.Date, j.Date}, {&d.PostingDate, j.PostingDate}, {&d.DueDate, j.DueDate}} {
		if *p.dst, err = p.src.date(); err != nil {
			return Document{}, err
		}
	}
	for _, l := range j.Lines {
		d.Lines = append(d.Lines, Line{Description: l.Description, Unit: l.Unit, Quantity: l.Quantity,
			UnitPrice: l.UnitPrice, Discount: l.Discount,
			VAT:       vat.Rate{Category: vat.Category(l.Category), Percent: l.Percent, PerUnit: l.PerUnit},
			SDPercent: l.SDPercent, Account: l.Account, Value: l.Value, SD: l.SD, VATAmount: l.VATAmount,
			Total: l.Total, InputVAT: l.InputVAT, ITCDenials: l.ITCDenials})
	}
	if c := j.Certificate; c != nil {
		d.Certificate = &Certificate{Number: c.Number, ChallanNumber: c.ChallanNumber}
		if d.Certificate.Date, err = c.Date.date(); err != nil {
			return Document{}, err
		}
		if d.Certificate.ChallanDate, err = c.ChallanDate.date(); err != nil {
			return Document{}, err
		}
	}
	for _, l := range j.CertLines {
		cl := CertificateLine{Document: l.Document, Number: l.Number, Value: l.Value, VAT: l.VAT, Withheld: l.Withheld}
		if cl.Date, err = l.Date.date(); err != nil {
			return Document{}, err
		}
		d.CertLines = append(d.CertLines, cl)
	}
	return d, nil
}

// EncodeParty is the JSON the adapters store for a party.
func EncodeParty(p Party) ([]byte, error) { return json.Marshal(p) }

// DecodeParty reads what EncodeParty wrote.
func DecodeParty(b []byte) (Party, error) {
	var p Party
	err := json.Unmarshal(b, &p)
	return p, err
}
