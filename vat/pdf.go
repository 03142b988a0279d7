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

// checkEncodable reports every field whose text the PDF font cannot draw.
func checkEncodable(form string, v docView) error {
	p := &problems{form: form}
	check := func(path, text string) {
		if !encodable(text) {
			p.add(path, fmt.Errorf("%w: %q (use RenderHTML for Bengali text)", ErrUnencodable, text))
		}
	}
	for _, f := range append(append([]field{}, v.Fields...), v.Signer...) {
		check(f.Path, f.V)
	}
	for i, row := range v.Rows {
		for j, c := range row {
			check(fmt.Sprintf("Lines[%d].%s", i, v.Cols[j].Path), c)
		}
	}
	return p.err()
}

// RenderPDF validates the invoice and writes it as an A4 PDF of one or more pages.
// Errors: Validate's, ErrUnencodable for text the PDF font cannot draw, or the
// writer's.
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

// RenderPDF validates the VDS certificate and writes it as an A4 PDF.
func (c *VDSCertificate) RenderPDF(w io.Writer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return renderPDF(w, certificateView(c), "6.6")
}

const (
	pdfMargin = 10.0
	pdfLineH  = 4.2
)

func renderPDF(w io.Writer, v docView, form string) error {
	if err := checkEncodable(form, v); err != nil {
		return err
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // Windows-1252
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(false, pdfMargin)
	pdf.SetTitle(v.Form+" "+v.Title.EN+" "+v.Serial, true)
	pdf.SetAuthor(v.Author, true)
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
	if v.Rule != nil {
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(inner, 4, tr("["+v.Rule.EN+"]"), "", 1, "C", false, 0, "")
	}
	if v.Duplicate {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.SetTextColor(176, 0, 0)
		pdf.CellFormat(inner, 6, labels.Duplicate.EN, "", 1, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(2)

	const keyW = 62.0
	kv := func(f field) {
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(keyW, 5, tr(f.L.EN), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 9)
		lines := pdf.SplitText(tr(f.V), inner-keyW-3)
		if len(lines) == 0 {
			lines = []string{""}
		}
		for i, line := range lines {
			if i > 0 {
				pdf.SetX(pdfMargin + keyW)
			}
			pdf.CellFormat(inner-keyW, 5, ": "+line, "", 1, "L", false, 0, "")
		}
	}
	for _, f := range v.Fields {
		kv(f)
	}
	pdf.Ln(2)

	// the table, repeated header on each new page
	row := func(cells []string, bold, head bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 8)
		split := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			split[i] = pdf.SplitText(tr(c), v.Cols[i].W-2)
			n = max(n, len(split[i]))
		}
		h := float64(n)*pdfLineH + 1.5
		x, y := pdfMargin, pdf.GetY()
		for i, lines := range split {
			wd := v.Cols[i].W
			if head {
				pdf.SetFillColor(235, 235, 235)
				pdf.Rect(x, y, wd, h, "FD")
			} else {
				pdf.Rect(x, y, wd, h, "D")
			}
			align := "L"
			if v.Cols[i].Right && !head {
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
	head := make([]string, len(v.Cols))
	for i, c := range v.Cols {
		head[i] = c.L.EN
	}
	fits := func(cells []string) bool {
		n := 1
		pdf.SetFont("Helvetica", "", 8)
		for i, c := range cells {
			n = max(n, len(pdf.SplitText(tr(c), v.Cols[i].W-2)))
		}
		return pdf.GetY()+float64(n)*pdfLineH+1.5 <= pageH-pdfMargin-6
	}
	row(head, false, true)
	total := append([]string{}, v.Total...)
	total[v.TotalAt] = labels.Totals.EN
	rows := append(append([][]string{}, v.Rows...), total)
	for i, r := range rows {
		if !fits(r) {
			pdf.AddPage()
			row(head, false, true)
		}
		row(r, i == len(rows)-1, false)
	}
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(inner, 5, tr(labels.InWords.EN+": "+v.Words), "", "L", false)
	pdf.Ln(6)
	if pdf.GetY()+20 > pageH-pdfMargin-6 {
		pdf.AddPage()
	}
	for _, f := range v.Signer {
		kv(f)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("vat: rendering PDF: %w", err)
	}
	return pdf.Output(w)
}
