// Package vat is a pure Bangladesh VAT and supplementary duty (SD) engine: dated
// rates, line and document calculation, VAT deducted at source, input tax credit
// rules, TIN/BIN/NID/mobile identifiers, Mushak documents (6.3 tax invoice, 6.6 VDS
// certificate, 6.7 credit note, 6.8 debit note) with their validation and rendering,
// serial numbering, the 6.1/6.2 registers and the 9.1 monthly return.
//
// It has no storage and does no I/O except writing a rendered document to an
// io.Writer. Every amount, quantity and rate is a decimal.Decimal; rounding is a named
// rule (Rounding), half-up to the poisha per line by default, as published returns do.
//
//	res, err := vat.Calculate(vat.Supply{Lines: []vat.Line{{
//		Description: "Cement", Unit: "bag", Quantity: decimal.NewFromInt(1),
//		UnitPrice: decimal.NewFromInt(1000), VAT: vat.StandardRate(),
//		SDPercent: decimal.NewFromInt(20),
//	}}})
//	// res.Totals: value 1000, SD 200, VAT 180, total 1380
//
// Rates are data: Table holds VAT, SD and VDS rates, each with an effective-from date
// and a legal source; DefaultTable is the shipped Bangladesh table and LoadTable reads
// a user's JSON file so an SRO can be added without a release.
//
// Errors are sentinels (ErrRate, ErrLength, ErrMissing, ...) wrapped in typed errors
// (*LineError, *IdentifierError, *FieldError, *ValidationError): use errors.Is and
// errors.As. See docs/vat.md for the legal choices made and their sources.
package vat
