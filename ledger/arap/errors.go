package arap

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the engine returns for bad input wraps one of
// them (or an error of the ledger or vat package); match with errors.Is.
// Nothing is written when a call fails.
var (
	// ErrInvalidTenant: the tenant ID is empty or malformed.
	ErrInvalidTenant = errors.New("arap: invalid tenant")
	// ErrInvalidParty: a party's fields are missing or malformed (a BIN,
	// TIN, NID or mobile number that vat refuses is wrapped with its
	// *vat.IdentifierError).
	ErrInvalidParty = errors.New("arap: invalid party")
	// ErrPartyExists: a party with that code already exists for the tenant.
	ErrPartyExists = errors.New("arap: party code already exists")
	// ErrPartyNotFound: no party with that code for the tenant.
	ErrPartyNotFound = errors.New("arap: party not found")
	// ErrPartyBlocked: the party is blocked and takes no new documents.
	ErrPartyBlocked = errors.New("arap: party is blocked")
	// ErrWrongParty: the party is not a customer (sales side) or not a vendor
	// (purchase side), or a document belongs to another party.
	ErrWrongParty = errors.New("arap: document does not belong to that party or role")
	// ErrInvalidDocument: a document's fields are missing or malformed.
	ErrInvalidDocument = errors.New("arap: invalid document")
	// ErrDocumentNotFound: no document with that ID for the tenant.
	ErrDocumentNotFound = errors.New("arap: document not found")
	// ErrWrongKind: the document is of another kind than the call needs.
	ErrWrongKind = errors.New("arap: wrong kind of document")
	// ErrNotDraft: the document is issued or approved and can no longer change.
	ErrNotDraft = errors.New("arap: document is not a draft")
	// ErrNotPosted: the document is a draft (not issued or approved): it
	// cannot be paid, allocated or adjusted.
	ErrNotPosted = errors.New("arap: document is not issued or approved")
	// ErrCancelled: the invoice is cancelled (fully credited).
	ErrCancelled = errors.New("arap: invoice is cancelled")
	// ErrOverAllocation: an allocation exceeds the open amount of the
	// document or of the money or note it comes from.
	ErrOverAllocation = errors.New("arap: allocation exceeds the open amount")
	// ErrOverCredit: credit notes would exceed the invoice or bill they adjust.
	ErrOverCredit = errors.New("arap: credit exceeds the original document")
	// ErrCreditLimit: issuing the invoice would take the customer over its
	// credit limit (CreditLimitBlock).
	ErrCreditLimit = errors.New("arap: credit limit exceeded")
	// ErrCurrency: a currency other than BDT (foreign-currency settlement is
	// not supported yet).
	ErrCurrency = errors.New("arap: only BDT documents are supported")
	// ErrVDS: VAT deducted at source that is negative, exceeds the VAT of the
	// document, or is taken by a party that is not a withholding entity.
	ErrVDS = errors.New("arap: invalid VAT deducted at source")
	// ErrVDSCertificate: VDS without the Mushak-6.6 certificate details.
	ErrVDSCertificate = errors.New("arap: VDS needs its Mushak-6.6 certificate")
	// ErrDuplicateBill: the vendor's invoice number is already recorded for
	// that vendor (a bill entered twice would be paid twice).
	ErrDuplicateBill = errors.New("arap: bill number already recorded for the vendor")
	// ErrInvalidQuery: a report query's parameters are malformed.
	ErrInvalidQuery = errors.New("arap: invalid query")
)

// FieldError names the field of a request that is wrong.
type FieldError struct {
	Field string // e.g. "Lines[2].Quantity", "Allocations[0].Amount"
	Err   error
}

func (e *FieldError) Error() string { return "arap: " + e.Field + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, base error, format string, args ...any) error {
	if format == "" {
		return &FieldError{Field: field, Err: base}
	}
	return &FieldError{Field: field, Err: fmt.Errorf("%w: %s", base, fmt.Sprintf(format, args...))}
}
