package vat

import (
	"fmt"
	"io"

	"codeberg.org/go-pdf/fpdf"
)

// PDF rendering uses go-pdf/fpdf with its built-in Helvetica font (Windows-1252), so
// that no font file has to be shipped. The PDF therefore carries English labels and
// "Tk" instead of the Taka sign, and rejects text outside Windows-1252 (Bengali
// names, say) with ErrUnencodable rather than print it garbled; use the HTML
// rendering for Bengali. See docs/decisions/vat-pdf-library.md.

// cp1252Extra are the printable characters of Windows-1252 outside Latin-1.
const cp1252Extra = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"

func encodable(s string) bool {
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f, r >= 0xa0 && r <= 0xff:
		default:
			found := false
			for _, e := range cp1252Extra {
				if r == e {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}

// checkEncodable reports the first field whose text the PDF font cannot draw.
func checkEncodable(form string, v docView) error {
	fields := []struct{ name, text string }{
		{"Serial", v.Serial}, {"Supplier.Name", v.Supplier.Name}, {"Supplier.Address", v.Supplier.Address},
		{"Buyer.Name", v.Buyer.Name}, {"Buyer.Address", v.Buyer.Address}, {"Original.Serial", v.OrigNo},
		{"Reason", v.Reason}, {"Responsible.Name", v.Person.Name}, {"Responsible.Designation", v.Person.Designation},
	}
	for i, l := range v.Lines {
		fields = append(fields, struct{ name, text string }{fmt.Sprintf("Lines[%d].Description", i), l.Description},
			struct{ name, text string }{fmt.Sprintf("Lines[%d].Unit", i), l.Unit})
	}
	p := &problems{form: form}
	for _, f := range fields {
		if !encodable(f.text) {
			p.add(f.name, fmt.Errorf("%w: %q (use RenderHTML for Bengali text)", ErrUnencodable, f.text))
		}
	}
	return p.err()
}

// RenderPDF validates the invoice and writes it as a one-or-more page A4 PDF. Errors:
// Validate's, ErrUnencodable for text the PDF font cannot draw, or the writer's.
func (inv *Invoice) RenderPDF(w io.Writer, rules InvoiceRules) error {
	if err := inv.Validate(rules); err != nil {
		return err
	}
	res, err := inv.Calculate()
	if err != nil {
		return err
	}
	return renderPDF(w, invoiceView(inv, res), "6.3")
}

// RenderPDF validates the credit or debit note and writes it as an A4 PDF.
func (n *AdjustmentNote) RenderPDF(w io.Writer, rules NoteRules) error {
	if err := n.Validate(rules); err != nil {
		return err
	}
	res, err := n.Calculate()
	if err != nil {
		return err
	}
	return renderPDF(w, noteView(n, res), n.Kind.Form())
}

const (
	pdfMargin = 10.0
	pdfLineH  = 4.2
)

var pdfCols = []struct {
	title string
	width float64
	right bool
}{
	{"No.", 9, true}, {"Description of goods or services", 62, false}, {"Unit of supply", 18, false},
	{"Quantity", 18, true}, {"Unit price (Tk)", 25, true}, {"Total value (Tk)", 27, true},
	{"Supplementary duty (Tk)", 28, true}, {"VAT rate / specific tax", 22, true},
	{"VAT amount (Tk)", 25, true}, {"Value incl. all taxes (Tk)", 27, true},
}

func renderPDF(w io.Writer, v docView, form string) error {
	if err := checkEncodable(form, v); err != nil {
		return err
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // Windows-1252
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(false, pdfMargin)
	pdf.SetTitle(v.Form+" "+v.Title.EN+" "+v.Serial, true)
	pdf.SetAuthor(v.Supplier.Name, true)
	pdf.SetCreator("erpkit vat", true)
	pdf.SetProducer("erpkit vat (go-pdf/fpdf)", true)
	pdf.SetLang("en")
	// fixed dates make the output reproducible: the same document gives the same bytes
	pdf.SetCreationDate(v.At)
	pdf.SetModificationDate(v.At)
	pdf.SetCatalogSort(true) // resources in a fixed order
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pdfMargin - 2)
		pdf.SetFont("Helvetica", "", 7)
		pdf.CellFormat(0, 4, tr(fmt.Sprintf("%s %s  -  page %d of {nb}", v.Form, v.Serial, pdf.PageNo())), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	pageW, pageH := pdf.GetPageSize()
	inner := pageW - 2*pdfMargin

	// header
	pdf.SetFont("Helvetica", "", 8)
	pdf.CellFormat(inner, 4, tr(v.Form), "", 1, "R", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(inner, 4.5, tr(labels.Govt.EN), "", 1, "C", false, 0, "")
	pdf.CellFormat(inner, 4.5, tr(labels.NBR.EN), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(inner, 7, tr(v.Title.EN), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	pdf.CellFormat(inner, 4, tr("["+labels.Rule.EN+"]"), "", 1, "C", false, 0, "")
	if v.Duplicate {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.SetTextColor(176, 0, 0)
		pdf.CellFormat(inner, 6, labels.Duplicate.EN, "", 1, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(2)

	kv := func(k, val string) {
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(62, 5, tr(k), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 9)
		for i, line := range pdf.SplitText(tr(val), inner-62) {
			if i > 0 {
				pdf.SetX(pdfMargin + 62)
			}
			pdf.CellFormat(inner-62, 5, ": "+line, "", 1, "L", false, 0, "")
		}
		if val == "" {
			pdf.CellFormat(inner-62, 5, ":", "", 1, "L", false, 0, "")
		}
	}
	kv(labels.Supplier.EN, v.Supplier.Name)
	kv(labels.SupplierBIN.EN, v.Supplier.BIN)
	kv(labels.SupplierAddress.EN, v.Supplier.Address)
	kv(labels.Buyer.EN, v.Buyer.Name)
	kv(labels.BuyerBIN.EN, v.Buyer.BIN)
	kv(labels.Destination.EN, v.Buyer.Address)
	kv(labels.Serial.EN, v.Serial)
	kv(labels.IssueDate.EN, v.Date)
	kv(labels.IssueTime.EN, v.Time)
	if v.HasOrig {
		kv(labels.OriginalSerial.EN, v.OrigNo)
		kv(labels.OriginalDate.EN, v.OrigAt)
		kv(labels.Reason.EN, v.Reason)
	}
	pdf.Ln(2)

	// lines table
	row := func(cells []string, bold, fill bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 8)
		split := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			split[i] = pdf.SplitText(tr(c), pdfCols[i].width-2)
			n = max(n, len(split[i]))
		}
		h := float64(n)*pdfLineH + 1.5
		if pdf.GetY()+h > pageH-pdfMargin-6 {
			pdf.AddPage()
		}
		x, y := pdfMargin, pdf.GetY()
		for i, lines := range split {
			wd := pdfCols[i].width
			if fill {
				pdf.SetFillColor(235, 235, 235)
				pdf.Rect(x, y, wd, h, "FD")
			} else {
				pdf.Rect(x, y, wd, h, "D")
			}
			align := "L"
			if pdfCols[i].right && !fill {
				align = "R"
			}
			for j, line := range lines {
				pdf.SetXY(x+1, y+0.75+float64(j)*pdfLineH)
				pdf.CellFormat(wd-2, pdfLineH, line, "", 0, align, false, 0, "")
			}
			x += wd
		}
		pdf.SetXY(pdfMargin, y+h)
	}
	head := make([]string, len(pdfCols))
	for i, c := range pdfCols {
		head[i] = c.title
	}
	row(head, false, true)
	for _, l := range v.Lines {
		row([]string{fmt.Sprint(l.N), l.Description, l.Unit, l.Qty, l.UnitPrice, l.Value, l.SD, l.Rate, l.VAT, l.Total}, false, false)
	}
	row([]string{"", labels.Totals.EN, "", "", "", v.Totals.Value, v.Totals.SD, "", v.Totals.VAT, v.Totals.Total}, true, false)
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(inner, 5, tr(labels.InWords.EN+": "+v.Words), "", "L", false)
	pdf.Ln(6)
	if pdf.GetY()+20 > pageH-pdfMargin-6 {
		pdf.AddPage()
	}
	kv(labels.Responsible.EN, v.Person.Name)
	kv(labels.Designation.EN, v.Person.Designation)
	kv(labels.Signature.EN, "____________________")
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("vat: rendering PDF: %w", err)
	}
	return pdf.Output(w)
}
