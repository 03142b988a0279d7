package formula

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns matches one of them with
// errors.Is; the typed errors carry the position (1-based byte column) and details.
var (
	ErrSyntax         = errors.New("formula: syntax error")
	ErrUnknownName    = errors.New("formula: unknown name")
	ErrType           = errors.New("formula: type error")
	ErrDivisionByZero = errors.New("formula: division by zero")
	ErrArgument       = errors.New("formula: bad argument")
)

// SyntaxError is a formula that does not parse.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("formula: syntax error at %d: %s", e.Pos, e.Msg)
}

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// UnknownNameError is a reference to a variable or function that does not exist.
type UnknownNameError struct {
	Name string
	Pos  int
	Func bool // true for an unknown function
}

func (e *UnknownNameError) Error() string {
	what := "variable"
	if e.Func {
		what = "function"
	}
	return fmt.Sprintf("formula: unknown %s %q at %d", what, e.Name, e.Pos)
}

// Unwrap makes errors.Is(err, ErrUnknownName) true.
func (e *UnknownNameError) Unwrap() error { return ErrUnknownName }

// TypeError is an operation applied to the wrong type (a number where a
// condition is needed, or the reverse).
type TypeError struct {
	Pos int
	Msg string
}

func (e *TypeError) Error() string { return fmt.Sprintf("formula: type error at %d: %s", e.Pos, e.Msg) }

// Unwrap makes errors.Is(err, ErrType) true.
func (e *TypeError) Unwrap() error { return ErrType }

// DivisionByZeroError is a division whose divisor evaluated to zero.
type DivisionByZeroError struct {
	Pos int
}

func (e *DivisionByZeroError) Error() string {
	return fmt.Sprintf("formula: division by zero at %d", e.Pos)
}

// Unwrap makes errors.Is(err, ErrDivisionByZero) true.
func (e *DivisionByZeroError) Unwrap() error { return ErrDivisionByZero }

// ArgumentError is a function called with the wrong number of arguments or an
// argument out of range.
type ArgumentError struct {
	Func string
	Pos  int
	Msg  string
}

func (e *ArgumentError) Error() string {
	return fmt.Sprintf("formula: %s at %d: %s", e.Func, e.Pos, e.Msg)
}

// Unwrap makes errors.Is(err, ErrArgument) true.
func (e *ArgumentError) Unwrap() error { return ErrArgument }
