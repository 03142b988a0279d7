package formula_test

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/payroll/formula"
)

func ExampleParse() {
	e, err := formula.Parse("round(base * 2 * hours / 208, 2)")
	if err != nil {
		panic(err)
	}
	v, err := e.Eval(map[string]decimal.Decimal{
		"base":  decimal.NewFromInt(20000),
		"hours": decimal.NewFromInt(10),
	})
	fmt.Println(e.Names(), v, err)
	// Output: [base hours] 1923.08 <nil>
}

func ExampleParse_errors() {
	_, err := formula.Parse("base * 2 +")
	fmt.Println(err)
	e, _ := formula.Parse("base / days")
	_, err = e.Eval(map[string]decimal.Decimal{"base": decimal.NewFromInt(1), "days": decimal.Zero})
	fmt.Println(err, errors.Is(err, formula.ErrDivisionByZero))
	_, err = formula.Parse("if(base, 1, 2)")
	fmt.Println(err)
	// Output:
	// formula: syntax error at 11: unexpected end of formula
	// formula: division by zero at 6 true
	// formula: type error at 4: if condition needs a bool, got a number
}
