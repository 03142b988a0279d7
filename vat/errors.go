package vat

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error returned by this package wraps one of these, so callers
// can branch with errors.Is; the typed errors below carry the details (errors.As).
var (
	// Calculation and rate errors.
	ErrCategory         = errors.New("vat: unknown or missing VAT category")
	ErrRate             = errors.New("vat: rate not valid for its category")
	ErrQuantity         = errors.New("vat: quantity must be greater than zero")
	ErrPrice            = errors.New("vat: unit price must not be negative")
	ErrDiscount         = errors.New("vat: discount must be between zero and the line amount")
	ErrSDOnZeroRated    = errors.New("vat: supplementary duty is never charged on a zero-rated supply")
	ErrNoLines          = errors.New("vat: a supply needs at least one line")
	ErrRateNotFound     = errors.New("vat: no rate with that key")
	ErrNoRateInForce    = errors.New("vat: no rate in force on that date")
	ErrRateTable        = errors.New("vat: invalid rate table")
	ErrRounding         = errors.New("vat: unknown rounding rule")
	ErrNotWithholder    = errors.New("vat: buyer is not a VAT withholding entity")
	ErrAmount           = errors.New("vat: amount must not be negative")
	ErrDate             = errors.New("vat: invalid date")
	ErrPeriodLength     = errors.New("vat: unknown tax period length")
	ErrNoteNumber       = errors.New("vat: not an adjustment note of the 9.1 return")
	ErrOutsidePeriod    = errors.New("vat: register line dated outside the return period")
	ErrSaleKind         = errors.New("vat: unknown sales class for the 9.1 return")
	ErrPurchaseKind     = errors.New("vat: unknown purchase class for the 9.1 return")
	ErrSerialFormat     = errors.New("vat: invalid serial number format")
	ErrSerialMismatch   = errors.New("vat: serial number does not match the format")
	ErrUnencodable      = errors.New("vat: text cannot be drawn with the PDF font")
	ErrDocumentRequired = errors.New("vat: document is nil")

	// Identifier errors.
	ErrEmpty      = errors.New("vat: identifier is empty")
	ErrLength     = errors.New("vat: identifier has the wrong number of digits")
	ErrCharacters = errors.New("vat: identifier contains characters other than digits")
	ErrPrefix     = errors.New("vat: identifier has an invalid prefix")
	ErrLegacyBIN  = errors.New("vat: 9- and 11-digit BINs were invalidated on 30 Nov 2019")
	ErrBirthYear  = errors.New("vat: 17-digit NID does not start with a plausible birth year")

	// Document validation errors.
	ErrMissing       = errors.New("vat: mandatory field is missing")
	ErrInvalid       = errors.New("vat: field is invalid")
	ErrBuyerRequired = errors.New("vat: buyer name, address and BIN are required above the threshold")
	ErrOriginal      = errors.New("vat: original invoice reference is missing or inconsistent")
)

// LineError reports which line of a supply or document is wrong.
type LineError struct {
	Line int // zero-based index
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line+1, e.Err) }

// Unwrap returns the underlying sentinel error.
func (e *LineError) Unwrap() error { return e.Err }

// IdentifierError reports why a TIN, BIN, NID or mobile number was rejected.
type IdentifierError struct {
	Kind   string // "TIN", "BIN", "NID", "mobile"
	Input  string // the text as given
	Detail string // what exactly is wrong, for people
	Err    error  // ErrEmpty, ErrLength, ErrCharacters, ErrPrefix, ErrLegacyBIN, ErrBirthYear
}

func (e *IdentifierError) Error() string {
	return fmt.Sprintf("vat: %s %q: %s", e.Kind, e.Input, e.Detail)
}

// Unwrap returns the underlying sentinel error.
func (e *IdentifierError) Unwrap() error { return e.Err }

// FieldError names a field of a Mushak document that failed validation.
type FieldError struct {
	Field string // dotted path such as "Buyer.BIN" or "Lines[2].Unit"
	Err   error  // ErrMissing, ErrInvalid, ErrBuyerRequired, ...
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError collects every problem found in one document, so a user can fix
// them all at once. errors.Is and errors.As see each of them.
type ValidationError struct {
	Form   string // "6.3", "6.6", "6.7", "6.8"
	Errors []error
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, err := range e.Errors {
		parts[i] = err.Error()
	}
	return "vat: Mushak-" + e.Form + " is not valid: " + strings.Join(parts, "; ")
}

// Unwrap returns every problem found.
func (e *ValidationError) Unwrap() []error { return e.Errors }

type problems struct {
	form string
	errs []error
}

func (p *problems) add(field string, err error) {
	p.errs = append(p.errs, &FieldError{Field: field, Err: err})
}

func (p *problems) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return &ValidationError{Form: p.form, Errors: p.errs}
}
