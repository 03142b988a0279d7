package vat

import (
	"bytes"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pdfText extracts the text of a PDF with poppler's pdftotext, a real PDF reader.
// Without pdftotext the test is skipped, except under CI=true where it fails.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: CI must install poppler-utils")
		}
		t.Skip("pdftotext not found: install poppler-utils (apt-get install -y poppler-utils) to run the PDF tests")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	require.NoError(t, os.WriteFile(in, pdf, 0o600))
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

var spaces = regexp.MustCompile(`\s+`)

// requireAllText checks that every wanted text occurs in the extracted text; runs of
// white space count as one space, since a PDF lays text out in positioned pieces.
func requireAllText(t *testing.T, text string, want []string) {
	t.Helper()
	flat := spaces.ReplaceAllString(text, " ")
	for _, s := range want {
		require.Contains(t, flat, spaces.ReplaceAllString(s, " "), "missing from the PDF text:\n%s", text)
	}
}

func TestInvoicePDF(t *testing.T) {
	t.Parallel()
	inv := sampleInvoice(t)
	var buf bytes.Buffer
	require.NoError(t, inv.RenderPDF(&buf, InvoiceRules{}))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	text := pdfText(t, buf.Bytes())
	want := append(mandatoryInvoiceText(inv),
		"Tax Invoice", "Name of buyer", "BIN of buyer", "Destination of supply", "Date of issue", "Time of issue",
		"Name of responsible person", "Designation", "Signature",
		"Taka One Thousand Nine Hundred Seventeen and Fifty Poisha Only")
	requireAllText(t, text, want)

	// the same document gives the same bytes
	var again bytes.Buffer
	require.NoError(t, inv.RenderPDF(&again, InvoiceRules{}))
	require.True(t, bytes.Equal(buf.Bytes(), again.Bytes()), "two renderings differ")
}

func TestNotePDF(t *testing.T) {
	t.Parallel()
	for _, k := range []NoteKind{CreditNote, DebitNote} {
		n := sampleNote(t, k)
		var buf bytes.Buffer
		require.NoError(t, n.RenderPDF(&buf, NoteRules{}))
		text := pdfText(t, buf.Bytes())
		title := map[NoteKind]string{CreditNote: "Credit Note", DebitNote: "Debit Note"}[k]
		requireAllText(t, text, append(mandatoryNoteText(n), title, "Original invoice number",
			"Original invoice date and time", "Nature of adjustment"))
	}
}

func TestPDFManyLinesAndDuplicate(t *testing.T) {
	t.Parallel()
	inv := sampleInvoice(t)
	inv.Duplicate = true
	for i := range 60 {
		l := inv.Lines[1]
		l.Description = "Delivery trip number " + strings.Repeat("x", i%5) + " with a long description that wraps onto a second line of its cell"
		inv.Lines = append(inv.Lines, l)
	}
	var buf bytes.Buffer
	require.NoError(t, inv.RenderPDF(&buf, InvoiceRules{}))
	text := pdfText(t, buf.Bytes())
	requireAllText(t, text, []string{"DUPLICATE", "page 1 of", "page 2 of", inv.Responsible.Name, "Signature"})
	require.Greater(t, strings.Count(text, "\f"), 1, "more than one page")
}

func TestPDFErrors(t *testing.T) {
	t.Parallel()
	inv := sampleInvoice(t)
	inv.Buyer.Name = "পদ্মা বিল্ডার্স" // Bengali: not drawable with the built-in font
	var buf bytes.Buffer
	err := inv.RenderPDF(&buf, InvoiceRules{})
	require.ErrorIs(t, err, ErrUnencodable)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "Buyer.Name", fe.Field)
	require.Zero(t, buf.Len())
	// ... while HTML renders it
	require.NoError(t, inv.RenderHTML(&buf, InvoiceRules{}))

	inv = sampleInvoice(t)
	inv.Buyer.Name = "Café Ünal – “Quotes” €"
	require.NoError(t, inv.RenderPDF(&buf, InvoiceRules{}))

	inv.Serial = ""
	require.ErrorIs(t, inv.RenderPDF(&buf, InvoiceRules{}), ErrMissing)
	n := sampleNote(t, CreditNote)
	n.Original.Serial = ""
	require.ErrorIs(t, n.RenderPDF(&buf, NoteRules{}), ErrOriginal)
}

func mandatoryCertificateText(c *VDSCertificate) []string {
	return []string{
		"Mushak-6.6", c.Serial, "20/01/2026", "11:00",
		c.Withholder.Name, c.Withholder.BIN.String(), c.Withholder.Address,
		c.Supplier.Name, c.Supplier.BIN.String(), c.Supplier.Address,
		c.Lines[0].InvoiceSerial, "15/01/2026", "1,59,270.30", "23,890.55",
		c.Deposit.ChallanNumber, "21/01/2026",
		c.Responsible.Name, c.Responsible.Designation,
		"Taka Twenty Three Thousand Eight Hundred Ninety and Fifty Five Poisha Only",
	}
}

func TestCertificatePDF(t *testing.T) {
	t.Parallel()
	c := sampleCertificate(t)
	var buf bytes.Buffer
	require.NoError(t, c.RenderPDF(&buf))
	requireAllText(t, pdfText(t, buf.Bytes()), append(mandatoryCertificateText(c),
		"Certificate of VAT Deducted at Source", "Treasury challan number"))
	c.Deposit.ChallanNumber = ""
	require.ErrorIs(t, c.RenderPDF(&buf), ErrMissing)
	c = sampleCertificate(t)
	c.Supplier.Address = "ঢাকা"
	require.ErrorIs(t, c.RenderPDF(&buf), ErrUnencodable)
}

func TestCertificateHTML(t *testing.T) {
	t.Parallel()
	c := sampleCertificate(t)
	var buf bytes.Buffer
	require.NoError(t, c.RenderHTML(&buf))
	page := html.UnescapeString(buf.String())
	for _, s := range append(mandatoryCertificateText(c), "উৎসে কর কর্তন সনদপত্র", "তেইশ হাজার আটশত নব্বই টাকা পঞ্চান্ন পয়সা মাত্র") {
		require.Contains(t, page, s)
	}
	c.Lines = nil
	require.ErrorIs(t, c.RenderHTML(&buf), ErrNoLines)
}
