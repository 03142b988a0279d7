package payroll

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned by the payroll rules. Match them with errors.Is; the
// typed errors below carry details and unwrap to one of these.
var (
	// ErrNegative reports an amount, rate or number of hours that must not be negative.
	ErrNegative = errors.New("payroll: negative value")
	// ErrInvalidParameter reports a rule parameter that cannot be used (a zero
	// divisor, a zero rounding step, an empty table).
	ErrInvalidParameter = errors.New("payroll: invalid parameter")
	// ErrInvalidPattern reports a shift pattern that cannot be scheduled.
	ErrInvalidPattern = errors.New("payroll: invalid shift pattern")
	// ErrInvalidRange reports a date or time range whose end is before its start.
	ErrInvalidRange = errors.New("payroll: invalid range")
	// ErrUnknownCrew reports a crew name the roster does not define.
	ErrUnknownCrew = errors.New("payroll: unknown crew")
	// ErrNoLocation reports a missing time zone where one is required.
	ErrNoLocation = errors.New("payroll: no time zone location")
	// ErrMissingPunch reports clock-in or clock-out records without their pair.
	ErrMissingPunch = errors.New("payroll: missing punch")
	// ErrInvalidPunch reports a punch with an unknown direction or zero time.
	ErrInvalidPunch = errors.New("payroll: invalid punch")
	// ErrNoRosterRate reports a roster day length the mining overtime table has no
	// multiplier for.
	ErrNoRosterRate = errors.New("payroll: no fixed overtime rate for roster day length")
	// ErrUnknownTaxYear reports a tax year the tables do not contain.
	ErrUnknownTaxYear = errors.New("payroll: unknown tax year")
	// ErrUnknownCategory reports an unknown taxpayer category, location, TER
	// category or PTKP status.
	ErrUnknownCategory = errors.New("payroll: unknown category")
	// ErrInvalidMonth reports a month outside 1..12 or a month count out of range.
	ErrInvalidMonth = errors.New("payroll: invalid month")
	// ErrInvalidComponent reports a salary component that cannot be compiled
	// (empty or duplicate code, bad kind, both or neither of formula and amount).
	ErrInvalidComponent = errors.New("payroll: invalid salary component")
	// ErrCycle reports salary components whose formulas refer to each other in a cycle.
	ErrCycle = errors.New("payroll: cycle between components")
	// ErrUnknownLeaveType reports a leave type with no policy.
	ErrUnknownLeaveType = errors.New("payroll: unknown leave type")
	// ErrInvalidLeaveEntry reports a leave history entry with a bad kind or amount.
	ErrInvalidLeaveEntry = errors.New("payroll: invalid leave entry")
	// ErrMissingInput reports a variable declared by a structure but not supplied.
	ErrMissingInput = errors.New("payroll: missing input variable")
)

// ParameterError names the parameter that made a rule unusable.
type ParameterError struct {
	Rule  string // the rule or function, e.g. "Bangladesh.Divisor"
	Value string // the offending value as text
	Why   string
}

func (e *ParameterError) Error() string {
	return fmt.Sprintf("payroll: invalid parameter %s=%s: %s", e.Rule, e.Value, e.Why)
}

// Unwrap makes errors.Is(err, ErrInvalidParameter) true.
func (e *ParameterError) Unwrap() error { return ErrInvalidParameter }

// NegativeError names the input that was negative.
type NegativeError struct {
	Field string
	Value string
}

func (e *NegativeError) Error() string {
	return fmt.Sprintf("payroll: %s must not be negative (got %s)", e.Field, e.Value)
}

// Unwrap makes errors.Is(err, ErrNegative) true.
func (e *NegativeError) Unwrap() error { return ErrNegative }

// CycleError reports a cycle between salary components. Path starts and ends with
// the same component code, e.g. [A B C A].
type CycleError struct {
	Path []string
}

func (e *CycleError) Error() string {
	return "payroll: cycle between components: " + strings.Join(e.Path, " -> ")
}

// Unwrap makes errors.Is(err, ErrCycle) true.
func (e *CycleError) Unwrap() error { return ErrCycle }

// ComponentError wraps an error found in one salary component's formula or
// condition; it unwraps to the cause (for example a formula.UnknownNameError).
type ComponentError struct {
	Code  string
	Field string // "formula", "condition" or "component"
	Err   error
}

func (e *ComponentError) Error() string {
	return fmt.Sprintf("payroll: component %s %s: %v", e.Code, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *ComponentError) Unwrap() error { return e.Err }

// CategoryError names an unknown category value and what kind of category it was.
type CategoryError struct {
	Kind  string // "taxpayer category", "location", "TER category", "PTKP status"
	Value string
}

func (e *CategoryError) Error() string {
	return fmt.Sprintf("payroll: unknown %s %q", e.Kind, e.Value)
}

// Unwrap makes errors.Is(err, ErrUnknownCategory) true.
func (e *CategoryError) Unwrap() error { return ErrUnknownCategory }

func negErr(field string, v interface{ String() string }) error {
	return &NegativeError{Field: field, Value: v.String()}
}
