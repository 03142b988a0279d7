package vat

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
)

// propParams returns gopter parameters with a seed taken from VAT_GOPTER_SEED or the
// clock, and logs the seed if the test fails so that the run can be replayed.
func propParams(t *testing.T) *gopter.TestParameters {
	t.Helper()
	seed := time.Now().UnixNano()
	if s := os.Getenv("VAT_GOPTER_SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("VAT_GOPTER_SEED: %v", err)
		}
		seed = v
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("gopter seed %d: rerun with VAT_GOPTER_SEED=%d go test -run '%s' ./vat", seed, seed, t.Name())
		}
	})
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = 300
	return p
}

var genRates = []Rate{
	StandardRate(), PercentRate(Reduced, "5"), PercentRate(Reduced, "7.5"), PercentRate(Reduced, "10"),
	PercentRate(Trade, "2.4"), PercentRate(Trade, "4.5"), PercentRate(Turnover, "4"),
	{Category: ZeroRated}, {Category: Exempt}, SpecificRate(decimal.New(350, -2)),
}

var genSD = []decimal.Decimal{decimal.Zero, decimal.NewFromInt(10), decimal.NewFromInt(20), decimal.New(375, -1)}

func genLine() gopter.Gen {
	return gopter.CombineGens(
		gen.Int64Range(1, 50_000),            // quantity in thousandths
		gen.Int64Range(1000, 10_000_000_000), // unit price in poisha, Tk 10 to Tk 10 crore
		gen.IntRange(0, len(genRates)-1),     // rate
		gen.IntRange(0, len(genSD)-1),        // SD
		gen.Int64Range(0, 50),                // discount percent (leaves room for specific VAT)
	).Map(func(v []any) Line {
		l := Line{
			Quantity:  decimal.New(v[0].(int64), -3),
			UnitPrice: decimal.New(v[1].(int64), -2),
			VAT:       genRates[v[2].(int)],
			SDPercent: genSD[v[3].(int)],
		}
		if l.VAT.Category == ZeroRated {
			l.SDPercent = decimal.Zero
		}
		l.Discount = l.Quantity.Mul(l.UnitPrice).Mul(decimal.NewFromInt(v[4].(int64))).Shift(-2).Truncate(2)
		return l
	})
}

func TestPropertyTotalsAndNonNegative(t *testing.T) {
	t.Parallel()
	props := gopter.NewProperties(propParams(t))
	onePoisha := decimal.New(1, -2)
	props.Property("per line: totals are the sum of lines, every amount >= 0", prop.ForAll(
		func(lines []Line, inclusive bool) bool {
			res, err := Calculate(Supply{Lines: lines, PricesIncludeTax: inclusive})
			if err != nil {
				return false
			}
			var sum Amounts
			for _, a := range res.Lines {
				if a.VAT.IsNegative() || a.SD.IsNegative() || a.Value.IsNegative() {
					return false
				}
				if !a.Value.Add(a.SD).Add(a.VAT).Equal(a.Total) {
					return false
				}
				sum = sum.add(a)
			}
			return sum.Value.Equal(res.Totals.Value) && sum.SD.Equal(res.Totals.SD) &&
				sum.VAT.Equal(res.Totals.VAT) && sum.Total.Equal(res.Totals.Total)
		},
		gen.SliceOfN(8, genLine()).SuchThat(func(l []Line) bool { return len(l) > 0 }), gen.Bool(),
	))
	props.Property("per document: totals within half a poisha per line of the printed lines", prop.ForAll(
		func(lines []Line) bool {
			res, err := Calculate(Supply{Lines: lines, Rounding: Rounding{Scope: PerDocument}})
			if err != nil || res.Totals.VAT.IsNegative() {
				return false
			}
			var vat decimal.Decimal
			for _, a := range res.Lines {
				vat = vat.Add(a.VAT)
			}
			limit := onePoisha.Mul(decimal.NewFromInt(int64(len(lines))))
			return vat.Sub(res.Totals.VAT).Abs().LessThanOrEqual(limit)
		},
		gen.SliceOfN(8, genLine()).SuchThat(func(l []Line) bool { return len(l) > 0 }),
	))
	props.TestingRun(t)
}

func TestPropertyInclusiveRoundTrip(t *testing.T) {
	t.Parallel()
	props := gopter.NewProperties(propParams(t))
	onePoisha := decimal.New(1, -2)
	props.Property("exclusive -> inclusive -> exclusive within one poisha", prop.ForAll(
		func(value int64, ri, si int) bool {
			rate, sd := genRates[ri], genSD[si]
			if rate.Category == Specific || rate.Category == ZeroRated {
				sd = decimal.Zero
			}
			ex := Line{Quantity: decimal.NewFromInt(1), UnitPrice: decimal.New(value, -2), VAT: rate, SDPercent: sd}
			a, err := CalculateLine(ex, false, Rounding{})
			if err != nil {
				return false
			}
			in := ex
			in.UnitPrice = a.Total
			b, err := CalculateLine(in, true, Rounding{})
			if err != nil {
				return false
			}
			return a.Value.Sub(b.Value).Abs().LessThanOrEqual(onePoisha) &&
				a.VAT.Sub(b.VAT).Abs().LessThanOrEqual(onePoisha) && b.Total.Equal(a.Total)
		},
		gen.Int64Range(1000, 100_000_000_000), gen.IntRange(0, len(genRates)-1), gen.IntRange(0, len(genSD)-1),
	))
	props.TestingRun(t)
}

func TestPropertyRateLookup(t *testing.T) {
	t.Parallel()
	tab := DefaultTable()
	props := gopter.NewProperties(propParams(t))
	start := NewDate(2019, 7, 1)
	props.Property("a lookup returns the newest value whose since is not after the date", prop.ForAll(
		func(days int, ki int) bool {
			def := tab.VAT[ki]
			day := start.AddDays(days)
			got, err := tab.VATRate(def.Key, day)
			if err != nil {
				return false
			}
			// brute force: the value in force is the one with the greatest Since <= day
			var want *RateValue
			for i := range def.Values {
				v := &def.Values[i]
				if !v.Since.After(day) && (want == nil || v.Since.After(want.Since)) {
					want = v
				}
			}
			return want != nil && want.Since == got.Since && want.Percent.Equal(got.Percent)
		},
		gen.IntRange(0, 12*366), gen.IntRange(0, len(tab.VAT)-1),
	))
	props.Property("before the earliest value there is no rate", prop.ForAll(
		func(days int, ki int) bool {
			_, err := tab.VATRate(tab.VAT[ki].Key, start.AddDays(-days))
			return err != nil
		},
		gen.IntRange(1, 5000), gen.IntRange(0, len(tab.VAT)-1),
	))
	props.TestingRun(t)
}

func TestPropertyFastPathMatchesDecimal(t *testing.T) {
	t.Parallel()
	props := gopter.NewProperties(propParams(t))
	compared := 0
	props.Property("integer fast path == decimal path, both modes, both price kinds", prop.ForAll(
		func(l Line, inclusive bool, even bool) bool {
			r := Rounding{}
			if even {
				r.Mode = HalfEven
			}
			if checkLine(&l) != nil {
				return true
			}
			v, sd, vat, total, ok := fastLine(&l, inclusive, r.Mode)
			gross := l.Quantity.Mul(l.UnitPrice).Sub(l.Discount)
			want, err := slowLine(&l, gross, inclusive, r)
			if !ok {
				return true // fallback taken: nothing to compare
			}
			compared++
			if err != nil {
				t.Logf("fast path succeeded where decimal path failed: %v", err)
				return false
			}
			return poisha(v).Equal(want.Value) && poisha(sd).Equal(want.SD) &&
				poisha(vat).Equal(want.VAT) && poisha(total).Equal(want.Total)
		},
		gen.OneGenOf(genLine(), genWildLine()), gen.Bool(), gen.Bool(),
	))
	props.TestingRun(t)
	if compared < 100 {
		t.Fatalf("only %d of the generated lines took the fast path", compared)
	}
	t.Logf("%d lines compared", compared)
}

// genWildLine makes lines with unusual scales and magnitudes, to exercise the fast
// path's scaling and its fallbacks.
func genWildLine() gopter.Gen {
	return gopter.CombineGens(
		gen.Int64Range(1, 1<<62), gen.Int32Range(-8, 3),
		gen.Int64Range(0, 1<<62), gen.Int32Range(-6, 3),
		gen.Int64Range(0, 1000), gen.Int32Range(-3, 0),
		gen.Int64Range(1, 999), gen.Int32Range(-3, 0),
		gen.Int64Range(0, 100),
		gen.IntRange(0, 3),
	).Map(func(v []any) Line {
		l := Line{
			Quantity:  decimal.New(v[0].(int64)%1_000_000_000, v[1].(int32)),
			UnitPrice: decimal.New(v[2].(int64)%1_000_000_000_000, v[3].(int32)),
			SDPercent: decimal.New(v[4].(int64), v[5].(int32)),
		}
		if l.Quantity.IsZero() {
			l.Quantity = decimal.NewFromInt(1)
		}
		pct := decimal.New(v[6].(int64), v[7].(int32))
		switch v[9].(int) {
		case 0:
			l.VAT = Rate{Category: Standard, Percent: pct}
		case 1:
			l.VAT = Rate{Category: Trade, Percent: pct}
		case 2:
			l.VAT = Rate{Category: Specific, PerUnit: pct}
		default:
			l.VAT = Rate{Category: Exempt}
		}
		l.Discount = l.Quantity.Mul(l.UnitPrice).Mul(decimal.NewFromInt(v[8].(int64))).Shift(-2).Truncate(4)
		return l
	})
}

func TestFastPathFallbacks(t *testing.T) {
	t.Parallel()
	huge := Line{Quantity: decimal.RequireFromString("123456789012345678901"), UnitPrice: decimal.NewFromInt(1), VAT: StandardRate()}
	_, _, _, _, ok := fastLine(&huge, false, HalfUp)
	if ok {
		t.Fatal("a 21-digit quantity must take the decimal path")
	}
	a, err := CalculateLine(huge, false, Rounding{})
	if err != nil || !a.VAT.Equal(decimal.RequireFromString("18518518351851851835.15")) {
		t.Fatalf("decimal path: %v %v", a.VAT, err)
	}
	fine := Line{Quantity: decimal.RequireFromString("1.0000000000000000001"), UnitPrice: decimal.NewFromInt(3), VAT: StandardRate()}
	if _, _, _, _, ok := fastLine(&fine, false, HalfUp); ok {
		t.Fatal("a 19-decimal quantity must take the decimal path")
	}
	a, err = CalculateLine(fine, false, Rounding{})
	if err != nil || !a.Value.Equal(decimal.NewFromInt(3)) {
		t.Fatalf("decimal path: %v %v", a.Value, err)
	}
}
