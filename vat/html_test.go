package vat

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mandatoryInvoiceText lists the text of every mandatory 6.3 field as it must appear
// on the rendered document.
func mandatoryInvoiceText(inv *Invoice) []string {
	want := []string{
		"Mushak-6.3",
		inv.Supplier.Name, inv.Supplier.BIN.String(), inv.Supplier.Address,
		inv.Buyer.Name, inv.Buyer.BIN.String(), inv.Buyer.Address,
		inv.Serial, "15/01/2026", "14:35",
		inv.Responsible.Name, inv.Responsible.Designation,
	}
	// golden line amounts: reference "value 1,000, SD 20% -> SD 200; VAT 180; total 1,380"
	want = append(want, "Portland cement", "bag", "1,000.00", "200.00", "15%", "180.00", "1,380.00")
	// second line: 2 x 250 at 7.5% -> VAT 37.50, total 537.50; totals 1,500 / 217.50 / 1,917.50
	want = append(want, "Delivery", "trip", "250.00", "500.00", "7.5%", "37.50", "537.50", "1,500.00", "217.50", "1,917.50")
	return want
}

func TestInvoiceHTML(t *testing.T) {
	t.Parallel()
	inv := sampleInvoice(t)
	var buf bytes.Buffer
	require.NoError(t, inv.RenderHTML(&buf, InvoiceRules{}))
	page := html.UnescapeString(buf.String())
	for _, s := range mandatoryInvoiceText(inv) {
		require.Contains(t, page, s)
	}
	for _, s := range []string{"কর চালানপত্র", "Tax Invoice", "ক্রেতার বিআইএন", "Taka One Thousand Nine Hundred Seventeen and Fifty Poisha Only",
		"এক হাজার নয়শত সতেরো টাকা পঞ্চাশ পয়সা মাত্র", "Time of issue", "Signature"} {
		require.Contains(t, page, s)
	}
	require.NotContains(t, page, "DUPLICATE")
	inv.Duplicate = true
	buf.Reset()
	require.NoError(t, inv.RenderHTML(&buf, InvoiceRules{}))
	require.Contains(t, buf.String(), "DUPLICATE")

	// user text is escaped
	inv.Buyer.Name = `<script>alert("x")</script>`
	buf.Reset()
	require.NoError(t, inv.RenderHTML(&buf, InvoiceRules{}))
	require.NotContains(t, buf.String(), "<script>")

	// an invalid invoice is not rendered
	inv.Serial = ""
	buf.Reset()
	require.ErrorIs(t, inv.RenderHTML(&buf, InvoiceRules{}), ErrMissing)
	require.Zero(t, buf.Len())
}

func mandatoryNoteText(n *AdjustmentNote) []string {
	return []string{
		"Mushak-" + n.Kind.Form(), n.Serial, "03/02/2026", "10:05",
		n.Supplier.Name, n.Supplier.BIN.String(), n.Supplier.Address,
		n.Buyer.Name, n.Buyer.BIN.String(), n.Buyer.Address,
		n.Original.Serial, "15/01/2026 14:35", n.Reason,
		"Portland cement", "1,000.00", "200.00", "180.00", "1,380.00",
		n.Responsible.Name, n.Responsible.Designation,
	}
}

func TestNoteHTML(t *testing.T) {
	t.Parallel()
	for _, k := range []NoteKind{CreditNote, DebitNote} {
		n := sampleNote(t, k)
		var buf bytes.Buffer
		require.NoError(t, n.RenderHTML(&buf, NoteRules{}))
		page := html.UnescapeString(buf.String())
		for _, s := range mandatoryNoteText(n) {
			require.Contains(t, page, s, k)
		}
		title := map[NoteKind]string{CreditNote: "ক্রেডিট নোট / Credit Note", DebitNote: "ডেবিট নোট / Debit Note"}[k]
		require.Contains(t, page, title)
		require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
		n.Reason = ""
		require.ErrorIs(t, n.RenderHTML(&buf, NoteRules{}), ErrMissing)
	}
}
