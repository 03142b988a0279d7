package vat

import (
	"html/template"
	"io"
)

var htmlTemplate = template.Must(template.New("mushak").Parse(`<!DOCTYPE html>
<html lang="bn">
<head>
<meta charset="utf-8">
<title>{{.Form}} {{.Title.EN}} {{.Serial}}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans Bengali", "SolaimanLipi", "Kalpurush", Arial, sans-serif; font-size: 10pt; color: #000; }
header { text-align: center; }
header p { margin: 0; }
.form { position: absolute; right: 12mm; top: 8mm; border: 1px solid #000; padding: 2px 6px; }
.dup { color: #b00; font-weight: bold; font-size: 14pt; }
h1 { font-size: 14pt; margin: 4px 0; }
.bn { display: block; font-size: 9pt; }
table { width: 100%; border-collapse: collapse; margin-top: 6px; }
th, td { border: 1px solid #000; padding: 3px 4px; vertical-align: top; }
th { font-weight: normal; background: #eee; }
td.n { text-align: right; white-space: nowrap; }
table.head td { border: none; padding: 1px 4px; }
table.head td.k { width: 38%; }
.sign { margin-top: 28px; }
@media print { .form { position: static; float: right; } }
</style>
</head>
<body>
<header>
<div class="form">{{.Form}}</div>
<p>{{.L.Govt.BN}}<span class="bn">{{.L.Govt.EN}}</span></p>
<p>{{.L.NBR.BN}}<span class="bn">{{.L.NBR.EN}}</span></p>
<h1>{{.Title.BN}} / {{.Title.EN}}</h1>
<p class="bn">[{{.L.Rule.BN}} / {{.L.Rule.EN}}]</p>
{{if .Duplicate}}<p class="dup">{{.L.Duplicate.BN}} / {{.L.Duplicate.EN}}</p>{{end}}
</header>
<table class="head">
<tr><td class="k">{{.L.Supplier.BN}}<span class="bn">{{.L.Supplier.EN}}</span></td><td>: {{.Supplier.Name}}</td></tr>
<tr><td class="k">{{.L.SupplierBIN.BN}}<span class="bn">{{.L.SupplierBIN.EN}}</span></td><td>: {{.Supplier.BIN}}</td></tr>
<tr><td class="k">{{.L.SupplierAddress.BN}}<span class="bn">{{.L.SupplierAddress.EN}}</span></td><td>: {{.Supplier.Address}}</td></tr>
<tr><td class="k">{{.L.Buyer.BN}}<span class="bn">{{.L.Buyer.EN}}</span></td><td>: {{.Buyer.Name}}</td></tr>
<tr><td class="k">{{.L.BuyerBIN.BN}}<span class="bn">{{.L.BuyerBIN.EN}}</span></td><td>: {{.Buyer.BIN}}</td></tr>
<tr><td class="k">{{.L.Destination.BN}}<span class="bn">{{.L.Destination.EN}}</span></td><td>: {{.Buyer.Address}}</td></tr>
<tr><td class="k">{{.L.Serial.BN}}<span class="bn">{{.L.Serial.EN}}</span></td><td>: {{.Serial}}</td></tr>
<tr><td class="k">{{.L.IssueDate.BN}}<span class="bn">{{.L.IssueDate.EN}}</span></td><td>: <time>{{.Date}}</time></td></tr>
<tr><td class="k">{{.L.IssueTime.BN}}<span class="bn">{{.L.IssueTime.EN}}</span></td><td>: <time>{{.Time}}</time></td></tr>
{{if .HasOrig}}
<tr><td class="k">{{.L.OriginalSerial.BN}}<span class="bn">{{.L.OriginalSerial.EN}}</span></td><td>: {{.OrigNo}}</td></tr>
<tr><td class="k">{{.L.OriginalDate.BN}}<span class="bn">{{.L.OriginalDate.EN}}</span></td><td>: {{.OrigAt}}</td></tr>
<tr><td class="k">{{.L.Reason.BN}}<span class="bn">{{.L.Reason.EN}}</span></td><td>: {{.Reason}}</td></tr>
{{end}}
</table>
<table class="lines">
<thead><tr>
<th>{{.L.No.BN}}<span class="bn">{{.L.No.EN}}</span></th>
<th>{{.L.Description.BN}}<span class="bn">{{.L.Description.EN}}</span></th>
<th>{{.L.Unit.BN}}<span class="bn">{{.L.Unit.EN}}</span></th>
<th>{{.L.Qty.BN}}<span class="bn">{{.L.Qty.EN}}</span></th>
<th>{{.L.UnitPrice.BN}}<span class="bn">{{.L.UnitPrice.EN}}</span></th>
<th>{{.L.Value.BN}}<span class="bn">{{.L.Value.EN}}</span></th>
<th>{{.L.SD.BN}}<span class="bn">{{.L.SD.EN}}</span></th>
<th>{{.L.VATRate.BN}}<span class="bn">{{.L.VATRate.EN}}</span></th>
<th>{{.L.VAT.BN}}<span class="bn">{{.L.VAT.EN}}</span></th>
<th>{{.L.Total.BN}}<span class="bn">{{.L.Total.EN}}</span></th>
</tr></thead>
<tbody>
{{range .Lines}}<tr><td class="n">{{.N}}</td><td>{{.Description}}</td><td>{{.Unit}}</td><td class="n">{{.Qty}}</td><td class="n">{{.UnitPrice}}</td><td class="n">{{.Value}}</td><td class="n">{{.SD}}</td><td class="n">{{.Rate}}</td><td class="n">{{.VAT}}</td><td class="n">{{.Total}}</td></tr>
{{end}}<tr><th colspan="5">{{.L.Totals.BN}} / {{.L.Totals.EN}}</th><td class="n">{{.Totals.Value}}</td><td class="n">{{.Totals.SD}}</td><td></td><td class="n">{{.Totals.VAT}}</td><td class="n">{{.Totals.Total}}</td></tr>
</tbody>
</table>
<p>{{.L.InWords.BN}} / {{.L.InWords.EN}}: {{.WordsBN}}<br>{{.Words}}</p>
<table class="head sign">
<tr><td class="k">{{.L.Responsible.BN}}<span class="bn">{{.L.Responsible.EN}}</span></td><td>: {{.Person.Name}}</td></tr>
<tr><td class="k">{{.L.Designation.BN}}<span class="bn">{{.L.Designation.EN}}</span></td><td>: {{.Person.Designation}}</td></tr>
<tr><td class="k">{{.L.Signature.BN}}<span class="bn">{{.L.Signature.EN}}</span></td><td>: ____________________</td></tr>
</table>
</body>
</html>
`))

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
	return htmlTemplate.Execute(w, invoiceView(inv, res))
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
	return htmlTemplate.Execute(w, noteView(n, res))
}
