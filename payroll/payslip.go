package payroll

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Ref is one input of a formula and the value it had.
type Ref struct {
	Name  string
	Value decimal.Decimal
}

// Line is one computed payslip line, traceable to its formula and inputs: Full is
// the formula's value (rounded), Amount what is paid or deducted (prorated by
// payment days when the component depends on them, then rounded).
type Line struct {
	Code     string
	Name     string
	Kind     ComponentKind
	Formula  string // the formula, or "amount" for a fixed amount, or the rule's trace
	Inputs   []Ref
	Full     decimal.Decimal
	Amount   decimal.Decimal
	Prorated bool
}

// Payslip is a computed payslip. Gross = earnings (component earnings plus
// overtime); Deductions = component deductions plus tax; Net = Gross - Deductions.
type Payslip struct {
	Employee    string
	Structure   string
	PaymentDays decimal.Decimal
	WorkingDays decimal.Decimal
	Lines       []Line   // in structure order, then OVERTIME, then TAX
	Skipped     []string // components whose condition was false
	Overtime    decimal.Decimal
	Gross       decimal.Decimal
	Tax         decimal.Decimal
	Deductions  decimal.Decimal
	Net         decimal.Decimal
	Flags       []Flag
}

// Line codes added by Payslip for overtime and tax.
const (
	LineOvertime = "OVERTIME"
	LineTax      = "TAX"
)

// TaxResult is the tax a Withholder computed for one payslip and how.
type TaxResult struct {
	Amount decimal.Decimal
	Trace  string
	Inputs []Ref
}

// Withholder computes the tax to withhold from a payslip's gross pay.
// BangladeshWithholder and TERWithholder implement it.
type Withholder interface {
	Withhold(gross decimal.Decimal) (TaxResult, error)
}

// SlipInput is everything one payslip needs besides the structure.
type SlipInput struct {
	Employee        string
	Base            decimal.Decimal
	WorkingDays     decimal.Decimal            // working days in the period
	LeaveWithoutPay decimal.Decimal            // days of unpaid leave and absence
	Vars            map[string]decimal.Decimal // the structure's extra variables
	Overtime        *OvertimeResult            // from a rule set; nil for none
	Tax             Withholder                 // nil for no tax line
}

// Payslip computes one payslip: conditions and formulas in dependency order,
// proration by payment days (working days less leave without pay), overtime
// from the rule set's result, then tax on the gross and net pay. A negative tax
// (an over-withholding refunded at a year-end true-up) reduces the deductions.
func (c *Compiled) Payslip(in SlipInput) (Payslip, error) {
	if err := checkNonNegative("Base", in.Base); err != nil {
		return Payslip{}, err
	}
	if err := checkNonNegative("WorkingDays", in.WorkingDays); err != nil {
		return Payslip{}, err
	}
	if err := checkNonNegative("LeaveWithoutPay", in.LeaveWithoutPay); err != nil {
		return Payslip{}, err
	}
	pd := in.WorkingDays.Sub(in.LeaveWithoutPay)
	if pd.Sign() < 0 {
		return Payslip{}, &ParameterError{Rule: "SlipInput.LeaveWithoutPay", Value: in.LeaveWithoutPay.String(), Why: "more than the working days " + in.WorkingDays.String()}
	}
	vals := make([]decimal.Decimal, c.nslots)
	vals[0], vals[1], vals[2] = in.Base, pd, in.WorkingDays
	if in.Overtime != nil {
		vals[3], vals[4] = in.Overtime.Pay, in.Overtime.Hours
	}
	for i, v := range c.vars {
		x, ok := in.Vars[v]
		if !ok {
			return Payslip{}, fmt.Errorf("%w: %q", ErrMissingInput, v)
		}
		vals[len(builtins)+i] = x
	}
	slip := Payslip{Employee: in.Employee, Structure: c.name, PaymentDays: pd, WorkingDays: in.WorkingDays}
	type result struct {
		amount  decimal.Decimal
		present bool
	}
	results := make([]result, len(c.comps))
	for _, i := range c.order {
		cc := &c.comps[i]
		if cc.cond != nil {
			ok, err := cc.cond.Bool(vals)
			if err != nil {
				return Payslip{}, &ComponentError{Code: cc.Code, Field: "condition", Err: err}
			}
			if !ok {
				continue // a removed component counts as zero for the others
			}
		}
		full := cc.Amount
		if cc.expr != nil {
			v, err := cc.expr.Number(vals)
			if err != nil {
				return Payslip{}, &ComponentError{Code: cc.Code, Field: "formula", Err: err}
			}
			full = v
		}
		if full.Sign() < 0 {
			return Payslip{}, &ComponentError{Code: cc.Code, Field: "formula", Err: negErr("amount of "+cc.Code, full)}
		}
		full = cc.round(full)
		vals[cc.slot] = full
		amt := full
		if cc.DependsOnPaymentDays {
			if in.WorkingDays.IsZero() {
				return Payslip{}, &ParameterError{Rule: "SlipInput.WorkingDays", Value: "0", Why: "component " + cc.Code + " depends on payment days"}
			}
			amt = cc.round(full.Mul(pd).DivRound(in.WorkingDays, quotientPlaces))
		}
		results[i] = result{amt, true}
	}
	slip.Lines = make([]Line, 0, len(c.comps)+2)
	for i := range c.comps {
		cc := &c.comps[i]
		if !results[i].present {
			slip.Skipped = append(slip.Skipped, cc.Code)
			continue
		}
		src := cc.Formula
		if cc.expr == nil {
			src = "amount"
		}
		ln := Line{Code: cc.Code, Name: cc.Name, Kind: cc.Kind, Formula: src, Full: vals[cc.slot], Amount: results[i].amount, Prorated: cc.DependsOnPaymentDays}
		if len(cc.refs) > 0 {
			ln.Inputs = make([]Ref, len(cc.refs))
			for k, n := range cc.refs {
				ln.Inputs[k] = Ref{Name: n, Value: vals[cc.refSlots[k]]}
			}
		}
		if cc.Kind == Earning {
			slip.Gross = slip.Gross.Add(ln.Amount)
		} else {
			slip.Deductions = slip.Deductions.Add(ln.Amount)
		}
		slip.Lines = append(slip.Lines, ln)
	}
	if ot := in.Overtime; ot != nil {
		if ot.Pay.Sign() < 0 {
			return Payslip{}, negErr("Overtime.Pay", ot.Pay)
		}
		slip.Overtime = ot.Pay
		slip.Gross = slip.Gross.Add(ot.Pay)
		slip.Flags = append(slip.Flags, ot.Flags...)
		slip.Lines = append(slip.Lines, Line{Code: LineOvertime, Name: "Overtime", Kind: Earning, Formula: ot.Trace,
			Inputs: []Ref{{"hours", ot.Hours}, {"weighted_hours", ot.Weighted}, {"hourly_rate", ot.Rate}}, Full: ot.Pay, Amount: ot.Pay})
	}
	if in.Tax != nil {
		tr, err := in.Tax.Withhold(slip.Gross)
		if err != nil {
			return Payslip{}, err
		}
		slip.Tax = tr.Amount
		slip.Deductions = slip.Deductions.Add(tr.Amount)
		slip.Lines = append(slip.Lines, Line{Code: LineTax, Name: "Tax withheld", Kind: Deduction, Formula: tr.Trace,
			Inputs: append([]Ref{{"gross", slip.Gross}}, tr.Inputs...), Full: tr.Amount, Amount: tr.Amount})
	}
	slip.Net = slip.Gross.Sub(slip.Deductions)
	return slip, nil
}
