// Package formula is the small, safe expression language of salary structures:
// a hand-written lexer, parser, static type checker and evaluator over
// decimal.Decimal. No reflection and no Go code is evaluated.
//
// The language:
//
//	numbers      12  0.5  .25
//	booleans     true  false
//	variables    base  payment_days  B  HRA   (letters, digits, _; every variable is a number)
//	arithmetic   + - * /  unary -  (division keeps DivisionPlaces places, half-up)
//	comparison   < <= > >= == !=   (do not chain)
//	logic        and or not   (also && || !), short-circuit
//	functions    if(cond, a, b)  min(a, ...)  max(a, ...)  abs(x)
//	             round(x[, places])       half away from zero (Go's math.Round)
//	             round_even(x[, places])  half to even (Python's round)
//	             floor(x[, places])  ceil(x[, places])
//
// [Parse] checks syntax, function names, arity and types, so a formula that
// parses cannot fail with a type error at run time. [Expr.Compile] binds
// variables to slots (unknown names fail here) and returns a [Program] that
// evaluates without allocating maps. Run-time errors are division by zero and
// out-of-range round places.
//
// Every error matches one sentinel with errors.Is — [ErrSyntax],
// [ErrUnknownName], [ErrType], [ErrDivisionByZero], [ErrArgument] — and has a
// typed form with the 1-based column of the problem. Formulas longer than
// [MaxLen] bytes, nested deeper than [MaxDepth] or with number literals longer
// than [MaxNumberLen] are syntax errors, so hostile input cannot exhaust the
// stack or memory.
package formula
