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
// Main parts:
//
//   - Rates: [Table] holds VAT, SD and VDS rates ([RateDef], [RateValue]), each with an
//     effective-from date and a legal source; [DefaultTable] is the shipped Bangladesh
//     table and [LoadTable] reads a user's JSON file so an SRO can be added without a
//     release. [Category] says what a rate is and whether input credit is kept.
//   - Calculation: [Calculate] a [Supply] of [Line]s into a [Result]; [Rounding].
//   - VDS: [ComputeVDS], [VDSPolicy], and the Mushak-6.6 [VDSCertificate].
//   - Input credit: [CheckInputCredit] with an [ITCPolicy] gives a [Credit] with reasons.
//   - Periods: [FiscalYear], [Period], [PeriodOf], [MonthOf], [Dhaka].
//   - Identifiers: [ParseTIN], [ParseBIN], [ParseLegacyBIN], [ParseNID], [ParseMobile].
//   - Documents: [Invoice] (6.3) and [AdjustmentNote] (6.7/6.8), with Validate,
//     RenderHTML (bilingual) and RenderPDF; [Series], [SerialFormat], [CheckSerials].
//   - Return: [SalesLine] (6.2), [PurchaseLine] (6.1), [ReturnBuilder] and
//     [ComputeReturn] stream them into a 9.1 [Return] (notes 1-34).
//   - Money: [Group] (1,23,45,678.90), [FormatTaka], [Words], [WordsBengali].
//
// Errors are sentinels (ErrRate, ErrLength, ErrMissing, ...) wrapped in typed errors
// ([LineError], [IdentifierError], [FieldError], [ValidationError]): use errors.Is and
// errors.As. See docs/vat.md for the legal choices made and their sources.
package vat
