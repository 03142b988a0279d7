package inventory

import (
	"context"
	"fmt"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Movement returns the movement with the ID, or ErrMovementNotFound. Its
// Value is the value its first line carries now (a backdated movement may
// have re-valued it since it was posted).
func (e *Engine) Movement(ctx context.Context, tenant string, id uuid.UUID) (Movement, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Movement{}, err
	}
	return e.store.InventoryMovement(ctx, tenant, id)
}

// OnHand returns the stock rows f selects - on hand, reserved (Available
// is the difference) and value - ordered by item and store.
func (e *Engine) OnHand(ctx context.Context, tenant string, f StockFilter) ([]Stock, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	return e.store.InventoryStock(ctx, tenant, f)
}

// ValueReport is the stock value by item and store as of a date.
type ValueReport struct {
	AsOf  ledger.Date // zero: now
	Rows  []StockValue
	Total decimal.Decimal
}

// ValueReport returns the value of the stock f selects as of a date (zero:
// all movements), by item and store. The total equals the balance of the
// inventory accounts as of that date (when the report covers every item and
// those accounts take no other postings).
func (e *Engine) ValueReport(ctx context.Context, tenant string, asOf ledger.Date, f StockFilter) (ValueReport, error) {
	if err := ValidateTenant(tenant); err != nil {
		return ValueReport{}, err
	}
	if !asOf.IsZero() && !asOf.Valid() {
		return ValueReport{}, fmt.Errorf("%w: date %s", ErrInvalidQuery, asOf)
	}
	rep := ValueReport{AsOf: asOf}
	if asOf.IsZero() {
		stock, err := e.store.InventoryStock(ctx, tenant, f)
		if err != nil {
			return ValueReport{}, err
		}
		rep.Rows = make([]StockValue, 0, len(stock))
		for _, s := range stock {
			rep.Rows = append(rep.Rows, StockValue{Item: s.Item, Location: s.Location, Qty: s.Qty, Value: s.Value})
		}
	} else {
		var err error
		if rep.Rows, err = e.store.InventoryValues(ctx, tenant, asOf, f); err != nil {
			return ValueReport{}, err
		}
	}
	var total int64
	for _, r := range rep.Rows {
		total += r.Value.Shift(e.currency.MinorUnits).IntPart()
	}
	rep.Total = decimal.New(total, -e.currency.MinorUnits)
	return rep, nil
}

// LedgerRow is one line of an item's stock ledger with the running
// quantity and value after it.
type LedgerRow struct {
	StockLine
	RunningQty, RunningValue decimal.Decimal
	// UnitCost is the running value over the running quantity (zero when
	// there is no stock), rounded to 6 decimals.
	UnitCost decimal.Decimal
}

// StockLedger returns the item's stock ledger in a store: each line in date
// and entry order with the running quantity, value and unit cost.
func (e *Engine) StockLedger(ctx context.Context, tenant, item, location string) ([]LedgerRow, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	if !validCode(item) || !validCode(location) {
		return nil, fmt.Errorf("%w: item and store are required", ErrInvalidQuery)
	}
	lines, err := e.store.InventoryLines(ctx, tenant, item, location, ledger.Date{})
	if err != nil {
		return nil, err
	}
	out := make([]LedgerRow, len(lines))
	q, v := decimal.Zero, decimal.Zero
	for i, l := range lines {
		q, v = q.Add(l.Qty), v.Add(l.Value)
		r := LedgerRow{StockLine: l, RunningQty: q, RunningValue: v}
		if q.IsPositive() {
			r.UnitCost = v.DivRound(q, QuantityScale)
		}
		out[i] = r
	}
	return out, nil
}

// Lots returns the item's lots in a store with stock, first expiring first
// (lots without an expiry last).
func (e *Engine) Lots(ctx context.Context, tenant, item, location string) ([]Lot, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	return e.store.InventoryLots(ctx, tenant, item, location)
}

// Pick is a suggested quantity to take from a lot.
type Pick struct {
	Lot    string
	Expiry ledger.Date
	Qty    decimal.Decimal
}

// PickFEFO suggests the lots to issue qty (stock units) from, first expiry
// first out. It fails with *InsufficientStockError when the lots hold less.
func (e *Engine) PickFEFO(ctx context.Context, tenant, item, location string, qty decimal.Decimal) ([]Pick, error) {
	lots, err := e.Lots(ctx, tenant, item, location)
	if err != nil {
		return nil, err
	}
	return PickFEFO(lots, qty, item, location)
}

// PickFEFO splits qty over lots (in the order Lots returns them).
func PickFEFO(lots []Lot, qty decimal.Decimal, item, location string) ([]Pick, error) {
	if !qty.IsPositive() {
		return nil, fmt.Errorf("%w: quantity must be positive", ErrInvalidQuery)
	}
	left := qty
	var out []Pick
	have := decimal.Zero
	for _, l := range lots {
		if !l.Qty.IsPositive() {
			continue
		}
		have = have.Add(l.Qty)
		if left.IsZero() {
			continue
		}
		t := decimal.Min(left, l.Qty)
		out = append(out, Pick{Lot: l.Lot, Expiry: l.Expiry, Qty: t})
		left = left.Sub(t)
	}
	if left.IsPositive() {
		return nil, &InsufficientStockError{Item: item, Location: location, Available: have, Requested: qty}
	}
	return out, nil
}

// ReserveOptions are Reserve's options.
type ReserveOptions struct {
	// IdempotencyKey makes the call safe to retry: a retry with the same
	// item, store and quantity returns the stock as it is now and sets
	// nothing aside again; another call under the key fails with
	// ErrIdempotencyConflict. Keys are the tenant's own, and apart from
	// movements' keys.
	IdempotencyKey string
}

// Reserve sets aside qty (stock units) of an item in a store for a later
// issue: it lowers Available, not on hand. A negative qty releases a
// reservation. Without a key (ReserveOptions), a retried call reserves
// again. Errors: *InsufficientStockError when more than is available
// would be reserved; ErrInvalidQuery when more than is reserved would be
// released or the key is not printable or too long;
// ErrIdempotencyConflict.
func (e *Engine) Reserve(ctx context.Context, tenant, item, location string, qty decimal.Decimal, opts ...ReserveOptions) (Stock, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Stock{}, err
	}
	if qty.IsZero() || !validCode(item) || !validCode(location) {
		return Stock{}, fmt.Errorf("%w: reservation of %s", ErrInvalidQuery, qty.String())
	}
	if _, err := toMicro(qty); err != nil {
		return Stock{}, err
	}
	var key string
	for _, o := range opts {
		key = o.IdempotencyKey
	}
	if len(key) > maxNameLen || !printable(key) {
		return Stock{}, fmt.Errorf("%w: idempotency key of %d bytes", ErrInvalidQuery, len(key))
	}
	var out Stock
	err := e.store.InventoryTx(ctx, func(tx Store, _ ledger.Store) error {
		it, err := tx.InventoryItem(ctx, tenant, item)
		if err != nil {
			return err
		}
		u, err := tx.InventoryUnit(ctx, tenant, it.StockUnit)
		if err != nil {
			return err
		}
		if !qty.Equal(qty.Truncate(u.Decimals)) {
			return fmt.Errorf("%w: %s %s (%d decimals)", ErrTooManyDecimals, qty.String(), u.Code, u.Decimals)
		}
		if _, err := tx.InventoryLocation(ctx, tenant, location); err != nil {
			return err
		}
		rows, err := tx.LockInventoryStock(ctx, tenant, item, []string{location})
		if err != nil {
			return err
		}
		s := rows[0]
		if key != "" {
			// After the stock row's lock: a concurrent retry of this
			// reservation waits for it, then finds it. (Another
			// reservation under the key, of another item or store, fails
			// on the key's uniqueness when it saves.)
			prev, found, err := tx.InventoryReservation(ctx, tenant, key)
			if err != nil {
				return err
			}
			if found {
				if prev.Item != item || prev.Location != location || !prev.Qty.Equal(qty) {
					return fmt.Errorf("%w: key %q reserved %s of %s in %s", ErrIdempotencyConflict, key,
						prev.Qty.String(), prev.Item, prev.Location)
				}
				out = s
				return nil
			}
		}
		if qty.IsPositive() && qty.GreaterThan(s.Available()) {
			return &InsufficientStockError{Item: item, Location: location, Available: s.Available(), Requested: qty}
		}
		if s.Reserved.Add(qty).IsNegative() {
			return fmt.Errorf("%w: release of %s exceeds the reserved %s", ErrInvalidQuery, qty.Neg().String(), s.Reserved.String())
		}
		s.Reserved = s.Reserved.Add(qty)
		out = s
		if err := tx.PutInventoryStock(ctx, tenant, []Stock{s}); err != nil {
			return err
		}
		if key == "" {
			return nil
		}
		return tx.SaveInventoryReservation(ctx, tenant, Reservation{Key: key, Item: item, Location: location, Qty: qty,
			At: e.timestamp()})
	})
	return out, err
}

// PutReorderRule sets the reorder rule of an item in a store. Errors:
// ErrInvalidQuery, ErrItemNotFound, ErrLocationNotFound.
func (e *Engine) PutReorderRule(ctx context.Context, tenant string, r ReorderRule) error {
	if err := ValidateTenant(tenant); err != nil {
		return err
	}
	if err := r.validate(); err != nil {
		return err
	}
	if _, err := e.store.InventoryItem(ctx, tenant, r.Item); err != nil {
		return err
	}
	if _, err := e.store.InventoryLocation(ctx, tenant, r.Location); err != nil {
		return err
	}
	return e.store.PutInventoryReorderRule(ctx, tenant, r)
}

// Pending is what is on order and requested for an item in a store (from
// purchase orders and requisitions, which the caller supplies).
type Pending struct {
	Item, Location     string
	OnOrder, Requested decimal.Decimal
}

// ReorderList applies every reorder rule of the tenant to the stock on hand
// and reserved and the pending quantities given, and lists what to reorder
// and how much, ordered by store and item.
func (e *Engine) ReorderList(ctx context.Context, tenant string, pending []Pending) ([]Suggestion, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	rules, err := e.store.InventoryReorderRules(ctx, tenant)
	if err != nil {
		return nil, err
	}
	stock, err := e.store.InventoryStock(ctx, tenant, StockFilter{})
	if err != nil {
		return nil, err
	}
	type key struct{ item, loc string }
	proj := map[key]Projection{}
	for _, s := range stock {
		proj[key{s.Item, s.Location}] = Projection{OnHand: s.Qty, Reserved: s.Reserved}
	}
	for _, p := range pending {
		k := key{p.Item, p.Location}
		pr := proj[k]
		pr.OnOrder = pr.OnOrder.Add(p.OnOrder)
		pr.Requested = pr.Requested.Add(p.Requested)
		proj[k] = pr
	}
	var out []Suggestion
	for _, r := range rules {
		p := proj[key{r.Item, r.Location}]
		if q, ok := Reorder(r, p); ok {
			out = append(out, Suggestion{Item: r.Item, Location: r.Location, Projected: p.Projected(), Qty: q})
		}
	}
	return out, nil
}
