package inventory

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Method is how an item's stock is valued, per item per store.
type Method string

// The valuation methods.
const (
	// FIFO keeps a queue of layers [quantity, value]; receipts append a
	// layer, outflows consume the oldest layers first.
	FIFO Method = "fifo"
	// MovingAverage ("AVCO") re-averages the unit cost on every inflow;
	// outflows leave it unchanged.
	MovingAverage Method = "average"
	// Standard values stock at a standard unit cost set by hand; the
	// difference to the purchase price goes to the price variance account.
	Standard Method = "standard"
)

// Valid reports whether m is one of the three methods.
func (m Method) Valid() bool { return m == FIFO || m == MovingAverage || m == Standard }

// QuantityScale is the number of decimals quantities are kept with: a
// unit's precision is at most this.
const QuantityScale = 6

// Flow is one step of a valuation history of one item in one store, in stock
// units. Positive Qty flows in, negative flows out.
type Flow struct {
	Qty decimal.Decimal
	// Cost, when HasCost, is the unit cost the flow carries: the purchase
	// price of a receipt (or of a return to the vendor). An inflow without a
	// cost comes in at the current unit cost; an outflow without one leaves
	// at the cost the method gives.
	Cost    decimal.Decimal
	HasCost bool
	// Standard is the standard unit cost in force (Standard method only).
	Standard decimal.Decimal
}

// Step is the outcome of one Flow. Its amounts are kept as integers and
// read through its methods (a history of a million flows then costs one
// allocation).
type Step struct {
	value, variance, qty, stock int64
	minor                       int32
}

// Value is the change of the stock value: positive in, negative out.
func (s Step) Value() decimal.Decimal { return decimal.New(s.value, -s.minor) }

// Variance is the amount that goes to the price variance account (debit
// positive); Value + Variance + Counter = 0, where Counter is the other side
// of the posting (GR/IR, expense, ...).
func (s Step) Variance() decimal.Decimal { return decimal.New(s.variance, -s.minor) }

// Qty is the running quantity after the flow.
func (s Step) Qty() decimal.Decimal { return decimal.New(s.qty, -QuantityScale) }

// StockValue is the running value after the flow.
func (s Step) StockValue() decimal.Decimal { return decimal.New(s.stock, -s.minor) }

// Position is the stock of one item in one store at a point of its history.
type Position struct {
	Qty, Value decimal.Decimal
	// Layers are the FIFO layers, oldest first (FIFO only); their
	// quantities and values add up to Qty and Value.
	Layers []Layer
}

// Layer is one FIFO layer.
type Layer struct {
	Qty, Value decimal.Decimal
}

// Valuation values a history of flows: a pure calculation.
//
// Values are amounts in a currency with MinorUnits decimals; every flow's
// value is rounded half away from zero to them, and the stock value is the
// sum of the flows' values, so it always equals what was posted to the
// ledger. An outflow of all the stock takes all of its value.
//
// Negative stock: when AllowNegative is false an outflow beyond the stock
// fails with ErrInsufficientStock. When it is true, the part of an outflow
// beyond the stock leaves at the last known unit cost (the average, the
// last FIFO layer's, or the last receipt's); the next inflow brings the
// stock back at its own unit cost and the difference to the shortfall's
// value goes to price variance (ERPNext's rule: when the quantity on hand
// was at or below zero the new average is the incoming unit cost).
type Valuation struct {
	Method        Method
	MinorUnits    int32
	AllowNegative bool
}

// Run values flows in order, from an empty stock, and returns each flow's
// step and the final position.
func (v Valuation) Run(flows []Flow) ([]Step, Position, error) {
	if !v.Method.Valid() {
		return nil, Position{}, fmt.Errorf("%w: valuation method %q", ErrInvalidItem, v.Method)
	}
	if v.MinorUnits < 0 || v.MinorUnits > 4 {
		return nil, Position{}, fmt.Errorf("%w: minor units %d", ErrInvalidQuery, v.MinorUnits)
	}
	var st vstate
	steps := make([]Step, len(flows))
	for i, f := range flows {
		m, err := v.toMove(f)
		if err != nil {
			return nil, Position{}, fmt.Errorf("flow %d: %w", i, err)
		}
		r, err := st.apply(v.Method, m, v.AllowNegative)
		if err != nil {
			return nil, Position{}, fmt.Errorf("flow %d: %w", i, shortageError(err, "", "", ""))
		}
		steps[i] = Step{value: r.value, variance: r.variance, qty: st.qty, stock: st.value, minor: v.MinorUnits}
	}
	return steps, st.position(v.MinorUnits), nil
}

// shortageError turns a *shortage into an *InsufficientStockError.
func shortageError(err error, item, location, lot string) error {
	if sh, ok := err.(*shortage); ok {
		return &InsufficientStockError{Item: item, Location: location, Lot: lot,
			Available: decimal.New(sh.have, -QuantityScale), Requested: decimal.New(sh.want, -QuantityScale)}
	}
	return err
}

func (v Valuation) toMove(f Flow) (vmove, error) {
	q, err := toMicro(f.Qty)
	if err != nil {
		return vmove{}, err
	}
	if q == 0 {
		return vmove{}, fmt.Errorf("%w: zero quantity", ErrInvalidMovement)
	}
	m := vmove{qty: q}
	if f.HasCost {
		if f.Cost.IsNegative() {
			return vmove{}, fmt.Errorf("%w: negative unit cost", ErrInvalidMovement)
		}
		// Fast path: a cost of at most 6 decimals, in integers.
		if c, ok := scaled(f.Cost, QuantityScale); ok && c < 1<<53 {
			if m.basis, err = mulDiv(abs64(q), c*pow10(int(v.MinorUnits)), pow10(2*QuantityScale)); err == nil {
				m.hasBasis = true
			}
		}
		if !m.hasBasis {
			b, err := toMinor(f.Qty.Abs().Mul(f.Cost), v.MinorUnits)
			if err != nil {
				return vmove{}, err
			}
			m.basis, m.hasBasis = b, true
		}
	}
	if v.Method == Standard {
		if m.std, err = stdRatio(f.Standard, v.MinorUnits); err != nil {
			return vmove{}, err
		}
	}
	return m, nil
}

func abs64(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

// scaled returns d x 10^scale as an int64 when that is exact and fits,
// without allocating.
func scaled(d decimal.Decimal, scale int32) (int64, bool) {
	if d.NumDigits() > 18 {
		return 0, false
	}
	c, shift := d.CoefficientInt64(), d.Exponent()+scale
	if shift < 0 {
		if shift < -18 {
			return 0, c == 0
		}
		p := pow10(int(-shift))
		if c%p != 0 {
			return 0, false
		}
		return c / p, true
	}
	for ; shift > 0; shift-- {
		if c > math.MaxInt64/10 || c < math.MinInt64/10 {
			return 0, false
		}
		c *= 10
	}
	return c, true
}

// toMicro converts a quantity (at most QuantityScale decimals) to micro-units.
func toMicro(q decimal.Decimal) (int64, error) {
	if v, ok := scaled(q, QuantityScale); ok && abs64(v) < maxMicroUnits {
		return v, nil
	}
	if !q.Equal(q.Truncate(QuantityScale)) {
		return 0, fmt.Errorf("%w: %s has more than %d decimals", ErrTooManyDecimals, q.String(), QuantityScale)
	}
	return 0, fmt.Errorf("%w: quantity %s", ErrOutOfRange, q.String())
}

const maxMicroUnits = 1_000_000_000_000_000_000 // 10^12 units

var maxMinorValue = decimal.New(1, 16)

// toMinor rounds an amount half away from zero to minor units.
func toMinor(a decimal.Decimal, minor int32) (int64, error) {
	r := a.Round(minor).Shift(minor)
	if r.Abs().GreaterThanOrEqual(maxMinorValue) {
		return 0, fmt.Errorf("%w: amount %s", ErrOutOfRange, a.String())
	}
	return r.IntPart(), nil
}

// ratio is an exact unit cost: num minor units per den micro-units.
type ratio struct{ num, den int64 }

// stdRatio converts a standard unit cost (per stock unit) to a ratio.
func stdRatio(std decimal.Decimal, minor int32) (ratio, error) {
	if std.IsNegative() {
		return ratio{}, fmt.Errorf("%w: negative standard cost", ErrInvalidItem)
	}
	// value(minor) = micro * std * 10^minor / 10^(2 QuantityScale)
	n, ok := scaled(std, QuantityScale+minor)
	if !ok {
		if !std.Equal(std.Truncate(QuantityScale)) {
			return ratio{}, fmt.Errorf("%w: standard cost %s has more than %d decimals", ErrInvalidItem, std.String(), QuantityScale)
		}
		return ratio{}, fmt.Errorf("%w: standard cost %s", ErrOutOfRange, std.String())
	}
	if n >= 1e16 {
		return ratio{}, fmt.Errorf("%w: standard cost %s", ErrOutOfRange, std.String())
	}
	return ratio{num: n, den: pow10(2 * QuantityScale)}, nil
}

func pow10(n int) int64 {
	r := int64(1)
	for range n {
		r *= 10
	}
	return r
}

// vstate is the position of one item in one store, in integers: quantity in
// micro-units, value in minor units.
type vstate struct {
	qty, value int64
	layers     []vlayer // FIFO: oldest first; at most one negative layer, alone
	last       ratio    // last known unit cost (den 0: none)
}

type vlayer struct{ qty, value int64 }

// vmove is one flow in integers.
type vmove struct {
	qty      int64 // signed micro-units
	basis    int64 // value at the flow's own cost (positive)
	hasBasis bool
	std      ratio // Standard: the standard cost in force
}

// vresult is what a move did: value is the change of stock value, variance
// the amount to price variance (Value + Variance + Counter = 0).
type vresult struct{ value, variance int64 }

// counter is the other side of the posting: minus value and variance.
func (r vresult) counter() int64 { return -(r.value + r.variance) }

// errOverflow is returned when an intermediate product does not fit.
var errOverflow = fmt.Errorf("%w: valuation overflow", ErrOutOfRange)

// mulDiv returns a*b/c rounded half away from zero (c > 0).
func mulDiv(a, b, c int64) (int64, error) {
	neg := (a < 0) != (b < 0)
	ua, ub := uabs(a), uabs(b)
	hi, lo := bits.Mul64(ua, ub)
	uc := uint64(c)
	if hi >= uc {
		return 0, errOverflow
	}
	q, rem := bits.Div64(hi, lo, uc)
	if rem >= uc-rem { // rem*2 >= c
		q++
	}
	if q > math.MaxInt64 {
		return 0, errOverflow
	}
	if neg {
		return -int64(q), nil
	}
	return int64(q), nil
}

func uabs(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

func add(a, b int64) (int64, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, errOverflow
	}
	return s, nil
}

// shortage is returned by apply when an outflow exceeds the stock and
// negative stock is not allowed: have and want in micro-units.
type shortage struct{ have, want int64 }

func (s *shortage) Error() string { return "inventory: insufficient stock" }

// apply applies m to the state and returns what it did. On error the state
// is unchanged.
func (s *vstate) apply(method Method, m vmove, allowNegative bool) (vresult, error) {
	if m.qty > 0 {
		return s.in(method, m)
	}
	q := -m.qty
	if !allowNegative && q > s.qty {
		return vresult{}, &shortage{have: s.qty, want: q}
	}
	return s.out(method, m, q)
}

// in applies an inflow.
func (s *vstate) in(method Method, m vmove) (vresult, error) {
	q := m.qty
	q1, err := add(s.qty, q)
	if err != nil {
		return vresult{}, err
	}
	if method == Standard {
		nv, err := mulDiv(q1, m.std.num, m.std.den)
		if err != nil {
			return vresult{}, err
		}
		r := vresult{value: nv - s.value}
		basis := m.basis
		if !m.hasBasis {
			if basis, err = mulDiv(q, m.std.num, m.std.den); err != nil {
				return vresult{}, err
			}
		}
		r.variance = basis - r.value
		s.qty, s.value, s.last = q1, nv, m.std
		return r, nil
	}
	basis := m.basis
	if !m.hasBasis {
		c := s.cost()
		if c.den == 0 {
			basis = 0
		} else if basis, err = mulDiv(q, c.num, c.den); err != nil {
			return vresult{}, err
		}
	}
	if s.qty >= 0 {
		nv, err := add(s.value, basis)
		if err != nil {
			return vresult{}, err
		}
		s.qty, s.value = q1, nv
		if method == FIFO {
			s.pushLayer(vlayer{q, basis})
		}
		s.last = ratio{basis, q}
		if method == MovingAverage {
			s.last = ratio{nv, q1}
		}
		return vresult{value: basis}, nil
	}
	// Inflow into negative stock: what remains is valued at the incoming
	// cost when the stock turns positive, or at the shortfall's cost while
	// it stays negative; the rest of the basis goes to price variance.
	var nv int64
	switch {
	case q1 > 0:
		if nv, err = mulDiv(basis, q1, q); err != nil {
			return vresult{}, err
		}
	case q1 < 0:
		if nv, err = mulDiv(s.value, q1, s.qty); err != nil {
			return vresult{}, err
		}
	}
	r := vresult{value: nv - s.value}
	r.variance = basis - r.value
	s.qty, s.value = q1, nv
	s.last = ratio{basis, q}
	if method == FIFO {
		s.layers = s.layers[:0]
		if q1 != 0 {
			s.layers = append(s.layers, vlayer{q1, nv})
		}
	}
	return r, nil
}

func (s *vstate) pushLayer(l vlayer) {
	s.layers = append(s.layers, l)
}

// cost is the current unit cost: the average of the stock on hand, or the
// last known cost when there is none.
func (s *vstate) cost() ratio {
	if s.qty > 0 {
		return ratio{s.value, s.qty}
	}
	return s.last
}

// out applies an outflow of q > 0 micro-units.
func (s *vstate) out(method Method, m vmove, q int64) (vresult, error) {
	var taken int64
	var err error
	q1 := s.qty - q
	switch method {
	case Standard:
		nv, err := mulDiv(q1, m.std.num, m.std.den)
		if err != nil {
			return vresult{}, err
		}
		if taken, err = mulDiv(q, m.std.num, m.std.den); err != nil {
			return vresult{}, err
		}
		r := vresult{value: nv - s.value}
		if m.hasBasis {
			taken = m.basis
		}
		r.variance = -r.value - taken
		s.qty, s.value, s.last = q1, nv, m.std
		return r, nil
	case MovingAverage:
		switch {
		case q1 == 0:
			taken = s.value
		case q1 > 0:
			taken, err = mulDiv(s.value, q, s.qty)
		default:
			// Beyond the stock: what there is, and the rest at the last cost.
			c := s.cost()
			short := q
			if s.qty > 0 {
				taken, short = s.value, -q1
			}
			if c.den != 0 {
				var t int64
				t, err = mulDiv(short, c.num, c.den)
				taken += t
			}
		}
		if err != nil {
			return vresult{}, err
		}
		if s.qty > 0 {
			s.last = ratio{s.value, s.qty}
		}
		s.qty, s.value = q1, s.value-taken
	case FIFO:
		left := q
		i := 0
		for ; i < len(s.layers) && left > 0 && s.layers[i].qty > 0; i++ {
			l := &s.layers[i]
			if left < l.qty {
				t, err := mulDiv(l.value, left, l.qty)
				if err != nil {
					return vresult{}, err
				}
				taken += t
				l.qty -= left
				l.value -= t
				left = 0
				break
			}
			taken += l.value
			left -= l.qty
			s.last = ratio{l.value, l.qty}
		}
		if left == 0 && i < len(s.layers) && s.layers[i].qty == 0 {
			i++
		}
		s.layers = s.layers[i:]
		if left > 0 {
			// Beyond the stock: a negative layer at the last known cost.
			var t int64
			if s.last.den != 0 {
				if t, err = mulDiv(left, s.last.num, s.last.den); err != nil {
					return vresult{}, err
				}
			}
			taken += t
			if len(s.layers) == 1 && s.layers[0].qty < 0 {
				s.layers[0].qty -= left
				s.layers[0].value -= t
			} else {
				s.layers = append(s.layers[:0], vlayer{-left, -t})
			}
		}
		s.qty, s.value = q1, s.value-taken
	}
	r := vresult{value: -taken}
	if m.hasBasis {
		// A return to the vendor: the vendor is owed back the purchase
		// price; the difference to the value leaving goes to variance.
		r.variance = taken - m.basis
	}
	return r, nil
}

func (s *vstate) position(minor int32) Position {
	p := Position{Qty: decimal.New(s.qty, -QuantityScale), Value: decimal.New(s.value, -minor)}
	for _, l := range s.layers {
		p.Layers = append(p.Layers, Layer{Qty: decimal.New(l.qty, -QuantityScale), Value: decimal.New(l.value, -minor)})
	}
	return p
}
