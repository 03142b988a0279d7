package payroll

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/payroll/formula"
)

// ComponentKind says whether a salary component adds to or takes from pay.
type ComponentKind int

// Component kinds.
const (
	Earning ComponentKind = iota + 1
	Deduction
)

// String returns "earning" or "deduction".
func (k ComponentKind) String() string {
	switch k {
	case Earning:
		return "earning"
	case Deduction:
		return "deduction"
	}
	return fmt.Sprintf("ComponentKind(%d)", int(k))
}

// Built-in formula variables, available in every structure.
const (
	VarBase          = "base"           // the employee's base (monthly basic) amount
	VarPaymentDays   = "payment_days"   // working days less leave without pay
	VarWorkingDays   = "working_days"   // working days in the period
	VarOvertimePay   = "overtime_pay"   // overtime pay from the rule set (0 without)
	VarOvertimeHours = "overtime_hours" // overtime hours from the rule set (0 without)
)

var builtins = []string{VarBase, VarPaymentDays, VarWorkingDays, VarOvertimePay, VarOvertimeHours}

// Component is one line of a salary structure, as in ERPNext HRMS: an earning or
// deduction whose amount is Formula (or the fixed Amount when Formula is empty),
// present only when Condition (if any) is true. Other components refer to it by
// Code. A component that DependsOnPaymentDays is prorated by payment_days /
// working_days after its formula is evaluated; formulas that refer to it see its
// full (unprorated) amount, so nothing is prorated twice.
type Component struct {
	Code                 string // abbreviation used in formulas, e.g. "B", "HRA"
	Name                 string
	Kind                 ComponentKind
	Condition            string // optional; a bool formula
	Formula              string // a number formula; empty means Amount
	Amount               decimal.Decimal
	DependsOnPaymentDays bool
	Rounding             Rounding // zero: the structure's Rounding
}

// Structure is a salary structure: components plus the names of extra per-employee
// input variables its formulas may use (beyond the built-ins base, payment_days,
// working_days, overtime_pay and overtime_hours).
type Structure struct {
	Name       string
	Components []Component
	Variables  []string
	Rounding   Rounding // default Cents()
}

// Compiled is a structure whose formulas are parsed, type-checked, bound and put
// in dependency order. It is immutable and safe for concurrent use; compile once
// and compute many payslips.
type Compiled struct {
	name     string
	comps    []compiledComponent // declaration order
	order    []int               // evaluation order (indices into comps)
	vars     []string            // extra variables, slot = len(builtins)+i
	nslots   int
	rounding Rounding
}

type compiledComponent struct {
	Component
	cond     *formula.Program
	expr     *formula.Program
	refs     []string // names the formula and condition refer to
	refSlots []int
	slot     int
	rounding Rounding
	round    func(decimal.Decimal) decimal.Decimal
}

func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	switch s {
	case "and", "or", "not", "true", "false":
		return false
	}
	return true
}

// Compile checks and compiles a structure. Errors: ErrInvalidComponent (bad or
// duplicate code, unknown kind, a name clash), *ComponentError wrapping the
// formula package's errors (syntax, unknown name, type), and *CycleError.
func Compile(s Structure) (*Compiled, error) {
	c := &Compiled{name: s.Name, rounding: s.Rounding, vars: append([]string(nil), s.Variables...)}
	if c.rounding.IsZero() {
		c.rounding = Cents()
	}
	if err := c.rounding.Validate(); err != nil {
		return nil, err
	}
	slots := map[string]int{}
	for i, b := range builtins {
		slots[b] = i
	}
	for _, v := range s.Variables {
		if !validIdent(v) {
			return nil, fmt.Errorf("%w: variable name %q", ErrInvalidComponent, v)
		}
		if _, dup := slots[v]; dup {
			return nil, fmt.Errorf("%w: variable %q defined twice or shadows a built-in", ErrInvalidComponent, v)
		}
		slots[v] = len(slots)
	}
	for _, comp := range s.Components {
		if !validIdent(comp.Code) {
			return nil, fmt.Errorf("%w: code %q is not a name", ErrInvalidComponent, comp.Code)
		}
		if _, dup := slots[comp.Code]; dup {
			return nil, fmt.Errorf("%w: code %q defined twice or clashes with a variable", ErrInvalidComponent, comp.Code)
		}
		if comp.Kind != Earning && comp.Kind != Deduction {
			return nil, &ComponentError{Code: comp.Code, Field: "component", Err: fmt.Errorf("%w: kind %v", ErrInvalidComponent, comp.Kind)}
		}
		if comp.Formula != "" && !comp.Amount.IsZero() {
			return nil, &ComponentError{Code: comp.Code, Field: "component", Err: fmt.Errorf("%w: both a formula and a fixed amount", ErrInvalidComponent)}
		}
		if err := checkNonNegative("Component.Amount", comp.Amount); err != nil {
			return nil, &ComponentError{Code: comp.Code, Field: "component", Err: err}
		}
		if err := comp.Rounding.Validate(); err != nil {
			return nil, &ComponentError{Code: comp.Code, Field: "component", Err: err}
		}
		slots[comp.Code] = len(slots)
	}
	c.nslots = len(slots)
	lookup := func(n string) (int, bool) { i, ok := slots[n]; return i, ok }
	index := map[string]int{}
	for i, comp := range s.Components {
		cc := compiledComponent{Component: comp, slot: slots[comp.Code], rounding: comp.Rounding}
		if cc.rounding.IsZero() {
			cc.rounding = c.rounding
		}
		cc.round = cc.rounding.compile()
		refs := map[string]bool{}
		if comp.Condition != "" {
			p, err := compileField(comp.Condition, formula.Bool, lookup)
			if err != nil {
				return nil, &ComponentError{Code: comp.Code, Field: "condition", Err: err}
			}
			cc.cond = p
			for _, n := range p.Expr().Names() {
				refs[n] = true
			}
		}
		if comp.Formula != "" {
			p, err := compileField(comp.Formula, formula.Number, lookup)
			if err != nil {
				return nil, &ComponentError{Code: comp.Code, Field: "formula", Err: err}
			}
			cc.expr = p
			for _, n := range p.Expr().Names() {
				refs[n] = true
			}
		}
		for n := range refs {
			cc.refs = append(cc.refs, n)
		}
		sort.Strings(cc.refs)
		for _, n := range cc.refs {
			cc.refSlots = append(cc.refSlots, slots[n])
		}
		index[comp.Code] = i
		c.comps = append(c.comps, cc)
	}
	order, err := topoOrder(c.comps, index)
	if err != nil {
		return nil, err
	}
	c.order = order
	return c, nil
}

func compileField(src string, want formula.Type, lookup func(string) (int, bool)) (*formula.Program, error) {
	e, err := formula.Parse(src)
	if err != nil {
		return nil, err
	}
	if e.Type() != want {
		return nil, &formula.TypeError{Pos: 1, Msg: "the formula gives a " + e.Type().String() + ", a " + want.String() + " is needed"}
	}
	return e.Compile(lookup)
}

// topoOrder orders components so each comes after those it refers to, keeping
// declaration order where free; a cycle gives a *CycleError with its path.
func topoOrder(comps []compiledComponent, index map[string]int) ([]int, error) {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(comps))
	var order, stack []int
	var visit func(i int) error
	visit = func(i int) error {
		color[i] = grey
		stack = append(stack, i)
		for _, n := range comps[i].refs {
			j, ok := index[n]
			if !ok {
				continue
			}
			switch color[j] {
			case grey:
				var path []string
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k] == j {
						for _, s := range stack[k:] {
							path = append(path, comps[s].Code)
						}
						break
					}
				}
				return &CycleError{Path: append(path, comps[j].Code)}
			case white:
				if err := visit(j); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		order = append(order, i)
		return nil
	}
	for i := range comps {
		if color[i] == white {
			if err := visit(i); err != nil {
				return nil, err
			}
		}
	}
	return order, nil
}

// Name returns the structure's name.
func (c *Compiled) Name() string { return c.name }

// Codes returns the component codes in evaluation order.
func (c *Compiled) Codes() []string {
	out := make([]string, len(c.order))
	for i, j := range c.order {
		out[i] = c.comps[j].Code
	}
	return out
}
