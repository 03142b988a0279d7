package formula_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/payroll/formula"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var vars = map[string]decimal.Decimal{
	"base":         d("20000"),
	"B":            d("30000"),
	"payment_days": d("28"),
	"working_days": d("30"),
	"zero":         d("0"),
	"neg":          d("-2.5"),
}

func TestEval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want string
	}{
		{"1 + 2 * 3", "7"},
		{"(1 + 2) * 3", "9"},
		{"10 - 4 - 3", "3"},
		{"100 / 8 / 5", "2.5"},
		{"-3 + +2", "-1"},
		{"--3", "3"},
		{".5 + 1.", "1.5"},
		{"0.1 + 0.2", "0.3"}, // decimal, not float
		{"base / 208 * 2", "192.3076923076923076"},
		{"round(base / 208 * 2, 2)", "192.31"},
		{"round(base * 2 * 10 / 208, 2)", "1923.08"},
		{"B * payment_days / working_days", "28000"},
		{"round(2.5)", "3"},
		{"round(-2.5)", "-3"},
		{"round_even(2.5)", "2"},
		{"round_even(3.5)", "4"},
		{"round_even(0.125, 2)", "0.12"},
		{"round(0.125, 2)", "0.13"},
		{"floor(13.99)", "13"},
		{"floor(neg)", "-3"},
		{"ceil(13.01)", "14"},
		{"ceil(1.234, 2)", "1.24"},
		{"abs(neg)", "2.5"},
		{"min(3, 1, 2)", "1"},
		{"max(base * 0.4, 5000)", "8000"},
		{"min(base / 3, 450000)", "6666.6666666666666667"},
		{"if(base > 10000, 1, 2)", "1"},
		{"if(base > 10000 and B < 1000, 1, 2)", "2"},
		{"if(base > 10000 or 1 / zero > 1, 1, 2)", "1"},  // or short-circuits
		{"if(base < 10000 and 1 / zero > 1, 1, 2)", "2"}, // and short-circuits
		{"if(zero == 0, 1, 1 / zero)", "1"},              // only the taken branch runs
		{"if(not (base >= 20000), 1, 2)", "2"},
		{"if(!(base != 20000) && true || false, 1, 2)", "1"},
		{"if((1 < 2) == (3 < 4), 7, 8)", "7"},
		{"base <= 20000", "true"},
		{"if(true, false, true)", "false"},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			t.Parallel()
			e, err := formula.Parse(tc.src)
			require.NoError(t, err)
			v, err := e.Eval(vars)
			require.NoError(t, err)
			if v.Type == formula.Bool {
				require.Equal(t, tc.want, v.String())
				return
			}
			require.Truef(t, d(tc.want).Equal(v.Num), "want %s got %s", tc.want, v.Num)
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src string
		err error
		pos int
	}{
		{"", formula.ErrSyntax, 1},
		{"1 +", formula.ErrSyntax, 4},
		{"(1 + 2", formula.ErrSyntax, 7},
		{"1 2", formula.ErrSyntax, 3},
		{"1 = 2", formula.ErrSyntax, 3},
		{"1 < 2 < 3", formula.ErrSyntax, 7},
		{"a $ b", formula.ErrSyntax, 3},
		{"1.2.3", formula.ErrSyntax, 4},
		{"12abc", formula.ErrSyntax, 3},
		{"min(1,)", formula.ErrSyntax, 7},
		{"and", formula.ErrSyntax, 1},
		{"12345678901234567890123456789012345678901", formula.ErrSyntax, 1},
		{"salary * 2", formula.ErrUnknownName, 1},
		{"sqrt(4)", formula.ErrUnknownName, 1},
		{"1 / zero", formula.ErrDivisionByZero, 3},
		{"base / (B - 30000)", formula.ErrDivisionByZero, 6},
		{"1 + true", formula.ErrType, 5},
		{"if(1, 2, 3)", formula.ErrType, 4},
		{"if(true, 2, false)", formula.ErrType, 1},
		{"1 and true", formula.ErrType, 1},
		{"not 1", formula.ErrType, 5},
		{"true < false", formula.ErrType, 1},
		{"1 == true", formula.ErrType, 3},
		{"-true", formula.ErrType, 2},
		{"min(true)", formula.ErrType, 5},
		{"if(true, 1)", formula.ErrArgument, 1},
		{"abs()", formula.ErrArgument, 1},
		{"round(1, 2, 3)", formula.ErrArgument, 1},
		{"round(1, 0.5)", formula.ErrArgument, 1},
		{"round(1, 99)", formula.ErrArgument, 1},
		{"round(1, -1)", formula.ErrArgument, 1},
	}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			t.Parallel()
			e, err := formula.Parse(tc.src)
			if err == nil {
				_, err = e.Eval(vars)
			}
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, tc.pos, pos(err), err.Error())
		})
	}
}

func pos(err error) int {
	var (
		se *formula.SyntaxError
		ue *formula.UnknownNameError
		te *formula.TypeError
		de *formula.DivisionByZeroError
		ae *formula.ArgumentError
	)
	switch {
	case errors.As(err, &se):
		return se.Pos
	case errors.As(err, &ue):
		return ue.Pos
	case errors.As(err, &te):
		return te.Pos
	case errors.As(err, &de):
		return de.Pos
	case errors.As(err, &ae):
		return ae.Pos
	}
	return -1
}

func TestUnknownNameDetails(t *testing.T) {
	t.Parallel()
	e, err := formula.Parse("base + hra")
	require.NoError(t, err)
	require.Equal(t, []string{"base", "hra"}, e.Names())
	_, err = e.Eval(vars)
	var ue *formula.UnknownNameError
	require.True(t, errors.As(err, &ue))
	require.Equal(t, "hra", ue.Name)
	require.False(t, ue.Func)
	_, err = formula.Parse("pow(2, 3)")
	require.True(t, errors.As(err, &ue))
	require.True(t, ue.Func)
}

func TestCompileSlots(t *testing.T) {
	t.Parallel()
	e, err := formula.Parse("if(x > y, x - y, 0)")
	require.NoError(t, err)
	require.Equal(t, formula.Number, e.Type())
	slots := map[string]int{"x": 1, "y": 0}
	p, err := e.Compile(func(n string) (int, bool) { i, ok := slots[n]; return i, ok })
	require.NoError(t, err)
	got, err := p.Number([]decimal.Decimal{d("3"), d("10")})
	require.NoError(t, err)
	require.True(t, d("7").Equal(got))
	_, err = p.Bool(nil)
	require.ErrorIs(t, err, formula.ErrType)

	c, err := formula.Parse("x > 1")
	require.NoError(t, err)
	cp, err := c.Compile(func(n string) (int, bool) { return 0, n == "x" })
	require.NoError(t, err)
	ok, err := cp.Bool([]decimal.Decimal{d("2")})
	require.NoError(t, err)
	require.True(t, ok)
	_, err = cp.Number(nil)
	require.ErrorIs(t, err, formula.ErrType)
}

func TestLimits(t *testing.T) {
	t.Parallel()
	deep := ""
	for range formula.MaxDepth + 1 {
		deep += "("
	}
	_, err := formula.Parse(deep + "1")
	require.ErrorIs(t, err, formula.ErrSyntax)
	long := make([]byte, formula.MaxLen+1)
	for i := range long {
		long[i] = '1'
	}
	_, err = formula.Parse(string(long))
	require.ErrorIs(t, err, formula.ErrSyntax)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"1 + 2 * 3", "round(base / 208 * 2, 2)", "if(B > 0 and not (x == 1), min(1, 2), max(3, 4))",
		"round_even(x, 28)", "floor(-1.5) / ceil(0.2)", "((((1))))", "1 / 0", "a < b or c >= d",
		"!true && false || 1 != 2", "-.5", "", "round(1, 99999999999999999999)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := formula.Parse(src)
		if err != nil {
			if !errors.Is(err, formula.ErrSyntax) && !errors.Is(err, formula.ErrType) &&
				!errors.Is(err, formula.ErrUnknownName) && !errors.Is(err, formula.ErrArgument) {
				t.Fatalf("untyped parse error %T: %v", err, err)
			}
			return
		}
		vals := map[string]decimal.Decimal{}
		for i, n := range e.Names() {
			vals[n] = decimal.NewFromInt(int64(i - 1))
		}
		if _, err := e.Eval(vals); err != nil &&
			!errors.Is(err, formula.ErrDivisionByZero) && !errors.Is(err, formula.ErrArgument) {
			t.Fatalf("unexpected eval error %T: %v", err, err)
		}
	})
}
