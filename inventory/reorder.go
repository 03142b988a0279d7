package inventory

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// ReorderRule is when and how much of an item to reorder for a store: a
// reorder level and quantity, or (when Max is set) a min/max rule.
type ReorderRule struct {
	Item, Location string
	// Level and Qty: when the projected quantity is at or below Level,
	// request max(Qty, Level - projected).
	Level, Qty decimal.Decimal
	// Min and Max: when the projected quantity is below Min, order up to
	// Max. Used instead of Level and Qty when Max is positive.
	Min, Max decimal.Decimal
}

// Projection is what a reorder decision looks at, in stock units.
type Projection struct {
	OnHand, OnOrder, Requested, Reserved decimal.Decimal
}

// Projected is on hand + on order + requested - reserved.
func (p Projection) Projected() decimal.Decimal {
	return p.OnHand.Add(p.OnOrder).Add(p.Requested).Sub(p.Reserved)
}

// Suggestion is a quantity to reorder.
type Suggestion struct {
	Item, Location string
	Projected      decimal.Decimal
	Qty            decimal.Decimal
}

func (r ReorderRule) validate() error {
	if !validCode(r.Item) || !validCode(r.Location) {
		return fmt.Errorf("%w: reorder rule needs an item and a store", ErrInvalidQuery)
	}
	for _, d := range []decimal.Decimal{r.Level, r.Qty, r.Min, r.Max} {
		if d.IsNegative() {
			return fmt.Errorf("%w: negative reorder quantity", ErrInvalidQuery)
		}
	}
	if r.Max.IsPositive() {
		if r.Min.GreaterThan(r.Max) {
			return fmt.Errorf("%w: min %s above max %s", ErrInvalidQuery, r.Min, r.Max)
		}
		return nil
	}
	if !r.Qty.IsPositive() {
		return fmt.Errorf("%w: reorder quantity must be positive", ErrInvalidQuery)
	}
	return nil
}

// Reorder returns how much to reorder under the rule given the projection,
// and whether to reorder at all (ERPNext reorder_item.py): with a level and
// quantity, when projected <= level, max(qty, level - projected); with
// min/max, when projected < min, max - projected.
func Reorder(r ReorderRule, p Projection) (decimal.Decimal, bool) {
	proj := p.Projected()
	if r.Max.IsPositive() {
		if proj.LessThan(r.Min) {
			return r.Max.Sub(proj), true
		}
		return decimal.Zero, false
	}
	if proj.GreaterThan(r.Level) {
		return decimal.Zero, false
	}
	return decimal.Max(r.Qty, r.Level.Sub(proj)), true
}
