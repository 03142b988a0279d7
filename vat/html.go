package vat

import (
	"html/template"
	"io"
)

var htmlTemplate = template.Must(template.New("mushak").Funcs(template.FuncMap{
	"right": func(c column) bool { return c.Right },
}).Parse(`<!DOCTYPE html>
<html lang="bn">
<head>
<meta charset="utf-8">
<title>{{.Form}} {{.Title.EN}} {{.Serial}}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans Bengali", "SolaimanLipi", "Kalpurush", Arial, sans-serif; font-size: 10pt; color: #000; }
header { text-align: center; }
header p { margin: 0; }
.form { position: absolute; right: 12mm; top: 8mm; border: 1px solid #000; padding: 2px 6px; }
.dup { color: #b00; font-weight: bold; font-size: 14pt; }
h1 { font-size: 14pt; margin: 4px 0; }
.en { display: block; font-size: 8.5pt; color: #333; }
table { width: 100%; border-collapse: collapse; margin-top: 6px; }
th, td { border: 1px solid #000; padding: 3px 4px; vertical-align: top; }
th { font-weight: normal; background: #eee; }
td.n { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; }
table.head td { border: none; padding: 1px 4px; }
table.head td.k { width: 38%; }
.sign { margin-top: 28px; }
@media print { .form { position: static; float: right; } }
</style>
</head>
<body>
<header>
<div class="form">{{.Form}}</div>
<p>{{.L.Govt.BN}}<span class="en">{{.L.Govt.EN}}</span></p>
<p>{{.L.NBR.BN}}<span class="en">{{.L.NBR.EN}}</span></p>
<h1>{{.Title.BN}} / {{.Title.EN}}</h1>
{{with .Rule}}<p class="en">[{{.BN}} / {{.EN}}]</p>{{end}}
{{if .Duplicate}}<p class="dup">{{.L.Duplicate.BN}} / {{.L.Duplicate.EN}}</p>{{end}}
</header>
<table class="head">
{{range .Fields}}<tr><td class="k">{{.L.BN}}<span class="en">{{.L.EN}}</span></td><td>: {{.V}}</td></tr>
{{end}}</table>
<table class="lines">
<thead><tr>{{range .Cols}}<th>{{.L.BN}}<span class="en">{{.L.EN}}</span></th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if index $.Cols $i | right}} class="n"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}<tr class="total">{{range $i, $c := .Total}}{{if eq $i $.TotalAt}}<td>{{$.L.Totals.BN}} / {{$.L.Totals.EN}}</td>{{else}}<td class="n">{{$c}}</td>{{end}}{{end}}</tr>
</tbody>
</table>
<p>{{.L.InWords.BN}} / {{.L.InWords.EN}}: {{.WordsBN}}<br>{{.Words}}</p>
<table class="head sign">
{{range .Signer}}<tr><td class="k">{{.L.BN}}<span class="en">{{.L.EN}}</span></td><td>: {{.V}}</td></tr>
{{end}}</table>
</body>
</html>
`))

func renderHTML(w io.Writer, v docView) error { return htmlTemplate.Execute(w, v) }

// RenderHTML validates the invoice and writes it as a printable, bilingual
// (Bengali and English) HTML page. An invalid invoice is not rendered: the error is
// Validate's.
func (inv *Invoice) RenderHTML(w io.Writer, rules InvoiceRules) error {
	if err := inv.Validate(rules); err != nil {
		return err
	}
	res, err := inv.Calculate()
	if err != nil {
		return err
	}
	return renderHTML(w, invoiceView(inv, res))
}

// RenderHTML validates the credit or debit note and writes it as a printable,
// bilingual HTML page.
func (n *AdjustmentNote) RenderHTML(w io.Writer, rules NoteRules) error {
	if err := n.Validate(rules); err != nil {
		return err
	}
	res, err := n.Calculate()
	if err != nil {
		return err
	}
	return renderHTML(w, noteView(n, res))
}

// RenderHTML validates the VDS certificate and writes it as a printable, bilingual
// HTML page.
func (c *VDSCertificate) RenderHTML(w io.Writer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return renderHTML(w, certificateView(c))
}
