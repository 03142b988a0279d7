package formula

import (
	"github.com/shopspring/decimal"
)

// DivisionPlaces is the rule for division: the quotient is rounded half away
// from zero at 16 decimal places (round the result with round() for money).
const DivisionPlaces = 16

// MaxPlaces is the largest places argument round, round_even, floor and ceil accept.
const MaxPlaces = 28

type numFn func(v []decimal.Decimal) (decimal.Decimal, error)
type boolFn func(v []decimal.Decimal) (bool, error)

// Program is a formula bound to variable slots: evaluate it with the variables'
// values in slot order. It is immutable and safe for concurrent use.
type Program struct {
	expr *Expr
	num  numFn
	b    boolFn
}

// Expr returns the formula the program was compiled from.
func (p *Program) Expr() *Expr { return p.expr }

// Type returns the type of the program's value.
func (p *Program) Type() Type { return p.expr.Type() }

// Compile binds the formula's variables to slots. slot returns the index of a
// name in the values slice the program will be given, or false when the name is
// unknown (giving an *UnknownNameError).
func (e *Expr) Compile(slot func(name string) (int, bool)) (*Program, error) {
	c := compiler{slot: slot}
	p := &Program{expr: e}
	var err error
	if e.root.typ == Bool {
		p.b, err = c.boolean(e.root)
	} else {
		p.num, err = c.number(e.root)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Number evaluates a Number program.
func (p *Program) Number(vals []decimal.Decimal) (decimal.Decimal, error) {
	if p.num == nil {
		return decimal.Zero, &TypeError{Pos: p.expr.root.pos, Msg: "formula is a bool, a number is needed"}
	}
	return p.num(vals)
}

// Bool evaluates a Bool program.
func (p *Program) Bool(vals []decimal.Decimal) (bool, error) {
	if p.b == nil {
		return false, &TypeError{Pos: p.expr.root.pos, Msg: "formula is a number, a condition (bool) is needed"}
	}
	return p.b(vals)
}

// Value is the result of Eval: a number or a bool according to Type.
type Value struct {
	Type Type
	Num  decimal.Decimal
	Bool bool
}

// String formats the value.
func (v Value) String() string {
	if v.Type == Bool {
		if v.Bool {
			return "true"
		}
		return "false"
	}
	return v.Num.String()
}

// Eval evaluates the formula with variables from a map; a name missing from the
// map is an *UnknownNameError. For repeated evaluation, Compile once instead.
func (e *Expr) Eval(vars map[string]decimal.Decimal) (Value, error) {
	idx := make(map[string]int, len(e.names))
	vals := make([]decimal.Decimal, 0, len(e.names))
	for _, n := range e.names {
		if v, ok := vars[n]; ok {
			idx[n] = len(vals)
			vals = append(vals, v)
		}
	}
	p, err := e.Compile(func(n string) (int, bool) { i, ok := idx[n]; return i, ok })
	if err != nil {
		return Value{}, err
	}
	if e.Type() == Bool {
		b, err := p.Bool(vals)
		return Value{Type: Bool, Bool: b}, err
	}
	n, err := p.Number(vals)
	return Value{Type: Number, Num: n}, err
}

type compiler struct {
	slot func(string) (int, bool)
}

func (c compiler) number(n *node) (numFn, error) {
	switch n.kind {
	case nNum:
		v := n.num
		return func([]decimal.Decimal) (decimal.Decimal, error) { return v, nil }, nil
	case nVar:
		i, ok := c.slot(n.name)
		if !ok {
			return nil, &UnknownNameError{Name: n.name, Pos: n.pos}
		}
		return func(v []decimal.Decimal) (decimal.Decimal, error) { return v[i], nil }, nil
	case nNeg:
		x, err := c.number(n.args[0])
		if err != nil {
			return nil, err
		}
		return func(v []decimal.Decimal) (decimal.Decimal, error) {
			a, err := x(v)
			return a.Neg(), err
		}, nil
	case nBin:
		return c.arith(n)
	case nCall:
		return c.callNum(n)
	}
	return nil, &TypeError{Pos: n.pos, Msg: "a number is needed"}
}

func (c compiler) arith(n *node) (numFn, error) {
	l, err := c.number(n.args[0])
	if err != nil {
		return nil, err
	}
	r, err := c.number(n.args[1])
	if err != nil {
		return nil, err
	}
	pos := n.pos
	var op func(a, b decimal.Decimal) (decimal.Decimal, error)
	switch n.name {
	case "+":
		op = func(a, b decimal.Decimal) (decimal.Decimal, error) { return a.Add(b), nil }
	case "-":
		op = func(a, b decimal.Decimal) (decimal.Decimal, error) { return a.Sub(b), nil }
	case "*":
		op = func(a, b decimal.Decimal) (decimal.Decimal, error) { return a.Mul(b), nil }
	case "/":
		op = func(a, b decimal.Decimal) (decimal.Decimal, error) {
			if b.IsZero() {
				return decimal.Zero, &DivisionByZeroError{Pos: pos}
			}
			return a.DivRound(b, DivisionPlaces), nil
		}
	default:
		return nil, &TypeError{Pos: pos, Msg: "operator " + n.name + " does not give a number"}
	}
	return func(v []decimal.Decimal) (decimal.Decimal, error) {
		a, err := l(v)
		if err != nil {
			return decimal.Zero, err
		}
		b, err := r(v)
		if err != nil {
			return decimal.Zero, err
		}
		return op(a, b)
	}, nil
}

func (c compiler) callNum(n *node) (numFn, error) {
	if n.name == "if" {
		cond, err := c.boolean(n.args[0])
		if err != nil {
			return nil, err
		}
		a, err := c.number(n.args[1])
		if err != nil {
			return nil, err
		}
		b, err := c.number(n.args[2])
		if err != nil {
			return nil, err
		}
		return func(v []decimal.Decimal) (decimal.Decimal, error) {
			ok, err := cond(v)
			if err != nil {
				return decimal.Zero, err
			}
			if ok {
				return a(v)
			}
			return b(v)
		}, nil
	}
	args := make([]numFn, len(n.args))
	for i, a := range n.args {
		f, err := c.number(a)
		if err != nil {
			return nil, err
		}
		args[i] = f
	}
	name, pos := n.name, n.pos
	switch name {
	case "min", "max":
		isMax := name == "max"
		return func(v []decimal.Decimal) (decimal.Decimal, error) {
			best, err := args[0](v)
			if err != nil {
				return decimal.Zero, err
			}
			for _, f := range args[1:] {
				x, err := f(v)
				if err != nil {
					return decimal.Zero, err
				}
				if (isMax && x.GreaterThan(best)) || (!isMax && x.LessThan(best)) {
					best = x
				}
			}
			return best, nil
		}, nil
	case "abs":
		return func(v []decimal.Decimal) (decimal.Decimal, error) {
			x, err := args[0](v)
			return x.Abs(), err
		}, nil
	}
	// round, round_even, floor, ceil
	var apply func(x decimal.Decimal, places int32) decimal.Decimal
	switch name {
	case "round":
		apply = func(x decimal.Decimal, p int32) decimal.Decimal { return x.Round(p) }
	case "round_even":
		apply = func(x decimal.Decimal, p int32) decimal.Decimal { return x.RoundBank(p) }
	case "floor":
		apply = func(x decimal.Decimal, p int32) decimal.Decimal { return x.RoundFloor(p) }
	case "ceil":
		apply = func(x decimal.Decimal, p int32) decimal.Decimal { return x.RoundCeil(p) }
	default:
		return nil, &UnknownNameError{Name: name, Pos: pos, Func: true}
	}
	return func(v []decimal.Decimal) (decimal.Decimal, error) {
		x, err := args[0](v)
		if err != nil {
			return decimal.Zero, err
		}
		places := int32(0)
		if len(args) == 2 {
			p, err := args[1](v)
			if err != nil {
				return decimal.Zero, err
			}
			if !p.IsInteger() || p.Sign() < 0 || p.GreaterThan(decimal.NewFromInt(MaxPlaces)) {
				return decimal.Zero, &ArgumentError{Func: name, Pos: pos, Msg: "places must be a whole number from 0 to " + itoa(MaxPlaces) + ", got " + p.String()}
			}
			places = int32(p.IntPart())
		}
		return apply(x, places), nil
	}, nil
}

func (c compiler) boolean(n *node) (boolFn, error) {
	switch n.kind {
	case nBool:
		b := n.b
		return func([]decimal.Decimal) (bool, error) { return b, nil }, nil
	case nNot:
		x, err := c.boolean(n.args[0])
		if err != nil {
			return nil, err
		}
		return func(v []decimal.Decimal) (bool, error) {
			b, err := x(v)
			return !b, err
		}, nil
	case nCall: // if with bool branches
		cond, err := c.boolean(n.args[0])
		if err != nil {
			return nil, err
		}
		a, err := c.boolean(n.args[1])
		if err != nil {
			return nil, err
		}
		b, err := c.boolean(n.args[2])
		if err != nil {
			return nil, err
		}
		return func(v []decimal.Decimal) (bool, error) {
			ok, err := cond(v)
			if err != nil {
				return false, err
			}
			if ok {
				return a(v)
			}
			return b(v)
		}, nil
	case nBin:
		return c.logic(n)
	}
	return nil, &TypeError{Pos: n.pos, Msg: "a condition (bool) is needed"}
}

func (c compiler) logic(n *node) (boolFn, error) {
	switch n.name {
	case "and", "or":
		l, err := c.boolean(n.args[0])
		if err != nil {
			return nil, err
		}
		r, err := c.boolean(n.args[1])
		if err != nil {
			return nil, err
		}
		isAnd := n.name == "and"
		return func(v []decimal.Decimal) (bool, error) {
			a, err := l(v)
			if err != nil {
				return false, err
			}
			if a != isAnd { // and: false short-circuits; or: true short-circuits
				return a, nil
			}
			return r(v)
		}, nil
	}
	if n.args[0].typ == Bool { // == or != between conditions
		l, err := c.boolean(n.args[0])
		if err != nil {
			return nil, err
		}
		r, err := c.boolean(n.args[1])
		if err != nil {
			return nil, err
		}
		eq := n.name == "=="
		return func(v []decimal.Decimal) (bool, error) {
			a, err := l(v)
			if err != nil {
				return false, err
			}
			b, err := r(v)
			if err != nil {
				return false, err
			}
			return (a == b) == eq, nil
		}, nil
	}
	l, err := c.number(n.args[0])
	if err != nil {
		return nil, err
	}
	r, err := c.number(n.args[1])
	if err != nil {
		return nil, err
	}
	var test func(cmp int) bool
	switch n.name {
	case "<":
		test = func(c int) bool { return c < 0 }
	case "<=":
		test = func(c int) bool { return c <= 0 }
	case ">":
		test = func(c int) bool { return c > 0 }
	case ">=":
		test = func(c int) bool { return c >= 0 }
	case "==":
		test = func(c int) bool { return c == 0 }
	case "!=":
		test = func(c int) bool { return c != 0 }
	default:
		return nil, &TypeError{Pos: n.pos, Msg: "operator " + n.name + " does not give a bool"}
	}
	return func(v []decimal.Decimal) (bool, error) {
		a, err := l(v)
		if err != nil {
			return false, err
		}
		b, err := r(v)
		if err != nil {
			return false, err
		}
		return test(a.Cmp(b)), nil
	}, nil
}
