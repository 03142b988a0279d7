package formula

import (
	"sort"

	"github.com/shopspring/decimal"
)

// Type is the type of an expression: every variable is a Number; comparisons
// and and/or/not give Bool.
type Type int

// Expression types.
const (
	Number Type = iota + 1
	Bool
)

// String returns "number" or "bool".
func (t Type) String() string {
	switch t {
	case Number:
		return "number"
	case Bool:
		return "bool"
	}
	return "invalid"
}

// MaxDepth is the deepest nesting of parentheses, operators and calls accepted.
const MaxDepth = 64

// MaxLen is the longest formula accepted, in bytes.
const MaxLen = 4096

type nodeKind int

const (
	nNum nodeKind = iota
	nBool
	nVar
	nNeg
	nNot
	nBin
	nCall
)

type node struct {
	kind nodeKind
	pos  int
	typ  Type
	num  decimal.Decimal // nNum
	b    bool            // nBool
	name string          // nVar, nCall; operator for nBin
	args []*node         // operands
}

// Expr is a parsed and type-checked formula. It is immutable and safe for
// concurrent use.
type Expr struct {
	src   string
	root  *node
	names []string
}

// String returns the formula's source text.
func (e *Expr) String() string { return e.src }

// Type returns the type of the formula's value.
func (e *Expr) Type() Type { return e.root.typ }

// Names returns the variables the formula refers to, sorted, each once.
func (e *Expr) Names() []string { return append([]string(nil), e.names...) }

type parser struct {
	toks  []token
	i     int
	depth int
	names map[string]bool
}

// Parse parses and type-checks a formula. The language has decimal numbers,
// true and false, variables, + - * / with the usual precedence, unary minus,
// comparisons (< <= > >= == !=), and/or/not (also && || !), parentheses, and the
// functions if(cond, a, b), min(a, ...), max(a, ...), abs(x), round(x[, places])
// (half away from zero, like Go's math.Round), round_even(x[, places]) (half to
// even, like Python's round), floor(x[, places]) and ceil(x[, places]).
// Division keeps DivisionPlaces decimal places.
func Parse(src string) (*Expr, error) {
	if len(src) > MaxLen {
		return nil, &SyntaxError{Pos: MaxLen + 1, Msg: "formula too long"}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, names: map[string]bool{}}
	if p.peek().kind == tEOF {
		return nil, &SyntaxError{Pos: 1, Msg: "empty formula"}
	}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &SyntaxError{Pos: t.pos, Msg: "unexpected " + describe(t)}
	}
	names := make([]string, 0, len(p.names))
	for n := range p.names {
		names = append(names, n)
	}
	sort.Strings(names)
	return &Expr{src: src, root: root, names: names}, nil
}

func describe(t token) string {
	if t.kind == tEOF {
		return "end of formula"
	}
	return quote(t.text)
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) isOp(ops ...string) bool {
	t := p.peek()
	if t.kind == tOp {
		for _, o := range ops {
			if t.text == o {
				return true
			}
		}
	}
	return false
}

func (p *parser) isWord(w string) bool {
	t := p.peek()
	return t.kind == tIdent && t.text == w
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return &SyntaxError{Pos: pos, Msg: "formula nested too deeply"}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

func want(n *node, t Type, what string) error {
	if n.typ != t {
		return &TypeError{Pos: n.pos, Msg: what + " needs a " + t.String() + ", got a " + n.typ.String()}
	}
	return nil
}

// expr := and ( (or | "||") and )*
func (p *parser) expr() (*node, error) {
	if err := p.enter(p.peek().pos); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.isWord("or") || p.isOp("||") {
		op := p.next()
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		if err := want(left, Bool, "or"); err != nil {
			return nil, err
		}
		if err := want(right, Bool, "or"); err != nil {
			return nil, err
		}
		left = &node{kind: nBin, pos: op.pos, typ: Bool, name: "or", args: []*node{left, right}}
	}
	return left, nil
}

// and := not ( (and | "&&") not )*
func (p *parser) and() (*node, error) {
	left, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.isWord("and") || p.isOp("&&") {
		op := p.next()
		right, err := p.not()
		if err != nil {
			return nil, err
		}
		if err := want(left, Bool, "and"); err != nil {
			return nil, err
		}
		if err := want(right, Bool, "and"); err != nil {
			return nil, err
		}
		left = &node{kind: nBin, pos: op.pos, typ: Bool, name: "and", args: []*node{left, right}}
	}
	return left, nil
}

// not := (not | "!") not | cmp
func (p *parser) not() (*node, error) {
	if p.isWord("not") || p.isOp("!") {
		op := p.next()
		if err := p.enter(op.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		if err := want(x, Bool, "not"); err != nil {
			return nil, err
		}
		return &node{kind: nNot, pos: op.pos, typ: Bool, args: []*node{x}}, nil
	}
	return p.cmp()
}

// cmp := add ( ("<" | "<=" | ">" | ">=" | "==" | "!=") add )?
func (p *parser) cmp() (*node, error) {
	left, err := p.add()
	if err != nil {
		return nil, err
	}
	if !p.isOp("<", "<=", ">", ">=", "==", "!=") {
		return left, nil
	}
	op := p.next()
	right, err := p.add()
	if err != nil {
		return nil, err
	}
	if p.isOp("<", "<=", ">", ">=", "==", "!=") {
		return nil, &SyntaxError{Pos: p.peek().pos, Msg: "comparisons do not chain; use and"}
	}
	switch op.text {
	case "==", "!=":
		if left.typ != right.typ {
			return nil, &TypeError{Pos: op.pos, Msg: "cannot compare a " + left.typ.String() + " with a " + right.typ.String()}
		}
	default:
		if err := want(left, Number, op.text); err != nil {
			return nil, err
		}
		if err := want(right, Number, op.text); err != nil {
			return nil, err
		}
	}
	return &node{kind: nBin, pos: op.pos, typ: Bool, name: op.text, args: []*node{left, right}}, nil
}

// add := mul ( ("+" | "-") mul )*
func (p *parser) add() (*node, error) {
	left, err := p.mul()
	if err != nil {
		return nil, err
	}
	for p.isOp("+", "-") {
		op := p.next()
		right, err := p.mul()
		if err != nil {
			return nil, err
		}
		if err := want(left, Number, op.text); err != nil {
			return nil, err
		}
		if err := want(right, Number, op.text); err != nil {
			return nil, err
		}
		left = &node{kind: nBin, pos: op.pos, typ: Number, name: op.text, args: []*node{left, right}}
	}
	return left, nil
}

// mul := unary ( ("*" | "/") unary )*
func (p *parser) mul() (*node, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.isOp("*", "/") {
		op := p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		if err := want(left, Number, op.text); err != nil {
			return nil, err
		}
		if err := want(right, Number, op.text); err != nil {
			return nil, err
		}
		left = &node{kind: nBin, pos: op.pos, typ: Number, name: op.text, args: []*node{left, right}}
	}
	return left, nil
}

// unary := "-" unary | "+" unary | primary
func (p *parser) unary() (*node, error) {
	if p.isOp("-", "+") {
		op := p.next()
		if err := p.enter(op.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if err := want(x, Number, "unary "+op.text); err != nil {
			return nil, err
		}
		if op.text == "+" {
			return x, nil
		}
		return &node{kind: nNeg, pos: op.pos, typ: Number, args: []*node{x}}, nil
	}
	return p.primary()
}

// primary := number | true | false | name | name "(" args ")" | "(" expr ")"
func (p *parser) primary() (*node, error) {
	t := p.next()
	switch t.kind {
	case tNum:
		v, err := decimal.NewFromString(t.text)
		if err != nil {
			return nil, &SyntaxError{Pos: t.pos, Msg: "malformed number " + quote(t.text)}
		}
		return &node{kind: nNum, pos: t.pos, typ: Number, num: v}, nil
	case tIdent:
		switch t.text {
		case "true", "false":
			return &node{kind: nBool, pos: t.pos, typ: Bool, b: t.text == "true"}, nil
		case "and", "or", "not":
			return nil, &SyntaxError{Pos: t.pos, Msg: "unexpected " + quote(t.text)}
		}
		if p.isOp("(") {
			return p.call(t)
		}
		p.names[t.text] = true
		return &node{kind: nVar, pos: t.pos, typ: Number, name: t.text}, nil
	case tOp:
		if t.text == "(" {
			x, err := p.expr()
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				return nil, &SyntaxError{Pos: p.peek().pos, Msg: "expected ) to close ( at " + itoa(t.pos) + ", got " + describe(p.peek())}
			}
			p.next()
			return x, nil
		}
	}
	return nil, &SyntaxError{Pos: t.pos, Msg: "unexpected " + describe(t)}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

type funcSpec struct {
	min, max int // arity; max -1 = unbounded
}

var funcs = map[string]funcSpec{
	"if":         {3, 3},
	"min":        {1, -1},
	"max":        {1, -1},
	"abs":        {1, 1},
	"round":      {1, 2},
	"round_even": {1, 2},
	"floor":      {1, 2},
	"ceil":       {1, 2},
}

func (p *parser) call(name token) (*node, error) {
	spec, ok := funcs[name.text]
	if !ok {
		return nil, &UnknownNameError{Name: name.text, Pos: name.pos, Func: true}
	}
	if err := p.enter(name.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next() // (
	var args []*node
	if !p.isOp(")") {
		for {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.isOp(",") {
				p.next()
				continue
			}
			break
		}
	}
	if !p.isOp(")") {
		return nil, &SyntaxError{Pos: p.peek().pos, Msg: "expected , or ) in call of " + name.text + ", got " + describe(p.peek())}
	}
	p.next()
	if len(args) < spec.min || (spec.max >= 0 && len(args) > spec.max) {
		return nil, &ArgumentError{Func: name.text, Pos: name.pos, Msg: "wrong number of arguments: " + itoa(len(args))}
	}
	n := &node{kind: nCall, pos: name.pos, name: name.text, args: args, typ: Number}
	if name.text == "if" {
		if err := want(args[0], Bool, "if condition"); err != nil {
			return nil, err
		}
		if args[1].typ != args[2].typ {
			return nil, &TypeError{Pos: name.pos, Msg: "if branches differ: " + args[1].typ.String() + " and " + args[2].typ.String()}
		}
		n.typ = args[1].typ
		return n, nil
	}
	for _, a := range args {
		if err := want(a, Number, name.text); err != nil {
			return nil, err
		}
	}
	return n, nil
}
