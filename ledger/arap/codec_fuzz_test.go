package arap

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/vat"
)

func sampleDocument() Document {
	return Document{ID: uuid.MustParse("01900000-0000-7000-8000-000000000001"), Kind: Invoice, Party: "C1", Status: Issued,
		Series: "DHK", Number: "DHK-2026-27-000001", FiscalYear: 2026, Seq: 1, Date: ledger.NewDate(2026, 7, 5),
		PostingDate: ledger.NewDate(2026, 7, 5), DueDate: ledger.NewDate(2026, 8, 4),
		IssuedAt: time.Date(2026, 7, 5, 5, 0, 0, 0, time.UTC), Currency: "BDT",
		Lines: []Line{{Description: "Cement", Unit: "bag", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(1000),
			VAT: vat.StandardRate(), SDPercent: decimal.NewFromInt(20), Account: "4100", Value: decimal.NewFromInt(1000),
			SD: decimal.NewFromInt(200), VATAmount: decimal.NewFromInt(180), Total: decimal.NewFromInt(1380)}},
		Totals: Totals{Value: decimal.NewFromInt(1000), SD: decimal.NewFromInt(200), VAT: decimal.NewFromInt(180), Total: decimal.NewFromInt(1380)},
		Open:   decimal.NewFromInt(1380), Certificate: &Certificate{Number: "66-1", Date: ledger.NewDate(2026, 7, 6)},
		IdempotencyKey: "tt-4471",
		CertLines:      []CertificateLine{{Number: "X", Date: ledger.NewDate(2026, 7, 1), Withheld: decimal.NewFromInt(1)}}}
}

// FuzzDecodeDocument: the stored-document reader never panics, and what it
// accepts encodes back to a fixed point.
func FuzzDecodeDocument(f *testing.F) {
	b, err := EncodeDocument(sampleDocument())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"Date":"2026-02-30"}`))
	f.Add([]byte(`{"Lines":[{"Quantity":"1e9999"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := DecodeDocument(in)
		if err != nil {
			return
		}
		once, err := EncodeDocument(d)
		if err != nil {
			t.Fatalf("decoded %q but cannot encode it: %v", in, err)
		}
		d2, err := DecodeDocument(once)
		if err != nil {
			t.Fatalf("cannot decode own encoding %s: %v", once, err)
		}
		twice, err := EncodeDocument(d2)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable:\n%s\n%s", once, twice)
		}
	})
}

func TestDocumentRoundTrip(t *testing.T) {
	d := sampleDocument()
	b, err := EncodeDocument(d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != d.Number || got.Date != d.Date || got.DueDate != d.DueDate || !got.Totals.Total.Equal(d.Totals.Total) ||
		got.Lines[0].VAT.Category != vat.Standard || !got.Lines[0].SD.Equal(d.Lines[0].SD) || got.Certificate.Date != d.Certificate.Date ||
		!got.IssuedAt.Equal(d.IssuedAt) || got.CertLines[0].Date != d.CertLines[0].Date || got.IdempotencyKey != d.IdempotencyKey {
		t.Fatalf("round trip changed the document:\n%+v\n%+v", d, got)
	}
	var zero Document
	b, err = EncodeDocument(zero)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeDocument(b); err != nil {
		t.Fatalf("a document without dates does not round-trip: %v", err)
	}
}

func TestKindSides(t *testing.T) {
	for _, c := range []struct {
		k                  Kind
		side               Side
		charge, settlement bool
	}{
		{Invoice, Receivable, true, false}, {DebitNote, Receivable, true, false}, {CreditNote, Receivable, false, true},
		{Receipt, Receivable, false, true}, {VDSReceived, Receivable, false, false},
		{Bill, Payable, true, false}, {VendorDebitNote, Payable, true, false}, {VendorCreditNote, Payable, false, true},
		{Payment, Payable, false, true}, {VDSIssued, Payable, false, false},
	} {
		if c.k.Side() != c.side || c.k.Charge() != c.charge || c.k.Settlement() != c.settlement || !c.k.valid() {
			t.Errorf("%s: side %s charge %v settlement %v", c.k, c.k.Side(), c.k.Charge(), c.k.Settlement())
		}
	}
}
