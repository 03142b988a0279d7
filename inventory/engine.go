package inventory

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Engine is the inventory engine: master data, stock movements valued by
// FIFO, moving average or standard cost, each posted to the ledger in the
// same transaction, and the stock queries. It validates every request
// before its Store writes anything. It is safe for concurrent use, and
// correctness never depends on it being the only one.
type Engine struct {
	store    Store
	now      func() time.Time
	currency ledger.Currency
}

// Config configures an Engine. The zero value is ready to use.
type Config struct {
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Currency is the currency stock is valued and posted in; BDT when empty.
	Currency string
}

// New returns an Engine over store. It panics on an unknown currency (a
// programming error).
func New(store Store, cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Currency == "" {
		cfg.Currency = "BDT"
	}
	return &Engine{store: store, now: cfg.Now, currency: ledger.MustCurrency(cfg.Currency)}
}

func (e *Engine) timestamp() time.Time { return e.now().UTC().Truncate(time.Microsecond) }

// CreateUnit adds a unit of measure. Errors: ErrInvalidTenant,
// ErrInvalidUnit, ErrUnitExists.
func (e *Engine) CreateUnit(ctx context.Context, tenant string, u Unit) (Unit, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Unit{}, err
	}
	u, err := u.normalize()
	if err != nil {
		return Unit{}, err
	}
	return u, e.store.CreateInventoryUnit(ctx, tenant, u)
}

// PutCategory adds or replaces an item category and its account mapping.
// Errors: ErrInvalidTenant, ErrInvalidCategory.
func (e *Engine) PutCategory(ctx context.Context, tenant string, c Category) (Category, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Category{}, err
	}
	c, err := c.normalize()
	if err != nil {
		return Category{}, err
	}
	return c, e.store.PutInventoryCategory(ctx, tenant, c)
}

// CreateLocation adds a store. Errors: ErrInvalidTenant,
// ErrInvalidLocation, ErrLocationExists.
func (e *Engine) CreateLocation(ctx context.Context, tenant string, l Location) (Location, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Location{}, err
	}
	l, err := l.normalize()
	if err != nil {
		return Location{}, err
	}
	l.CreatedAt = e.timestamp()
	return l, e.store.CreateInventoryLocation(ctx, tenant, l)
}

// CreateItem adds an item (moving average unless Method says otherwise).
// Errors: ErrInvalidTenant, ErrInvalidItem, ErrCategoryNotFound,
// ErrUnitNotFound, ErrTooManyDecimals (a conversion factor finer than the
// stock unit), ErrItemExists.
func (e *Engine) CreateItem(ctx context.Context, tenant string, it Item) (Item, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Item{}, err
	}
	it, err := it.normalize()
	if err != nil {
		return Item{}, err
	}
	if _, err := e.store.InventoryCategory(ctx, tenant, it.Category); err != nil {
		return Item{}, err
	}
	su, err := e.store.InventoryUnit(ctx, tenant, it.StockUnit)
	if err != nil {
		return Item{}, err
	}
	for _, c := range it.Conversions {
		if _, err := e.store.InventoryUnit(ctx, tenant, c.Unit); err != nil {
			return Item{}, err
		}
		if !c.Factor.Equal(c.Factor.Truncate(su.Decimals)) {
			return Item{}, fmt.Errorf("%w: factor %s of %s is finer than %s allows", ErrTooManyDecimals, c.Factor.String(), c.Unit, su.Code)
		}
	}
	it.CreatedAt = e.timestamp()
	return it, e.store.CreateInventoryItem(ctx, tenant, it)
}

// Item returns the item with the code, or ErrItemNotFound.
func (e *Engine) Item(ctx context.Context, tenant, code string) (Item, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Item{}, err
	}
	return e.store.InventoryItem(ctx, tenant, code)
}

// Location returns the store with the code, or ErrLocationNotFound.
func (e *Engine) Location(ctx context.Context, tenant, code string) (Location, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Location{}, err
	}
	return e.store.InventoryLocation(ctx, tenant, code)
}

// SetStandardCost adds a standard cost to a standard-cost item's history,
// in force from a date after the item's last movement. The stock of each
// store is re-valued at its next movement on or after that date, the
// difference going to price variance. Errors: ErrInvalidItem (not a
// standard-cost item, a bad cost, a date on or before a movement).
func (e *Engine) SetStandardCost(ctx context.Context, tenant, item string, from ledger.Date, cost decimal.Decimal) (Item, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Item{}, err
	}
	if !from.Valid() {
		return Item{}, fmt.Errorf("%w: date %s", ErrInvalidItem, from)
	}
	if _, err := stdRatio(cost, 4); err != nil {
		return Item{}, err
	}
	var out Item
	err := e.store.InventoryTx(ctx, func(tx Store, _ ledger.Store) error {
		stock, err := tx.LockInventoryStock(ctx, tenant, item, nil)
		if err != nil {
			return err
		}
		for _, s := range stock {
			if !s.LastDate.IsZero() && !from.After(s.LastDate) {
				return fmt.Errorf("%w: %s has movements on or after %s", ErrInvalidItem, item, from)
			}
		}
		out, err = tx.UpdateInventoryItem(ctx, tenant, item, func(it *Item) error {
			if it.Method != Standard {
				return fmt.Errorf("%w: %s is not valued at standard cost", ErrInvalidItem, it.Code)
			}
			it.StandardCosts = append(it.StandardCosts, StandardCost{From: from, Cost: cost})
			n, err := it.normalize()
			*it = n
			return err
		})
		return err
	})
	return out, err
}

// Post validates a movement, values it and posts it: the stock change and
// one balanced ledger entry commit in one transaction, or nothing does. A
// movement dated before later movements of the item re-values those
// (synchronously) and posts the differences, dated as the movements they
// belong to, so the result equals posting everything in date order.
//
// Errors (nothing written): ErrInvalidTenant, ErrInvalidMovement,
// ErrItemNotFound, ErrLocationNotFound, ErrCategoryNotFound,
// ErrUnitNotFound, ErrWrongUnit, ErrTooManyDecimals, ErrLotRequired,
// *InsufficientStockError (ErrInsufficientStock), ErrIdempotencyConflict,
// ErrOutOfRange, and the ledger's errors (ledger.ErrAccountNotFound,
// ledger.ErrPeriodClosed, ...). A retry with the same key and content
// returns the movement first posted.
func (e *Engine) Post(ctx context.Context, tenant string, m Movement) (Movement, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Movement{}, err
	}
	m, err := e.normalizeMovement(m)
	if err != nil {
		return Movement{}, err
	}
	var out Movement
	err = e.store.InventoryTx(ctx, func(tx Store, gl ledger.Store) error {
		var err error
		out, err = e.post(ctx, tx, gl, tenant, m)
		return err
	})
	if err != nil {
		return Movement{}, err
	}
	return out, nil
}

func (e *Engine) normalizeMovement(m Movement) (Movement, error) {
	bad := func(format string, args ...any) (Movement, error) {
		return m, fmt.Errorf("%w: "+format, append([]any{ErrInvalidMovement}, args...)...)
	}
	if !m.Kind.Valid() {
		return bad("kind %q", m.Kind)
	}
	if !m.Date.Valid() {
		return bad("date %s", m.Date)
	}
	if len(m.Reference) > maxTextLen || len(m.IdempotencyKey) > maxNameLen || !printable(m.Reference) {
		return bad("reference or idempotency key too long")
	}
	if !validCode(m.Item) {
		return bad("item code %q", m.Item)
	}
	if !validCode(m.Location) {
		return bad("store code %q", m.Location)
	}
	if m.Unit != "" && !validCode(m.Unit) {
		return bad("unit %q", m.Unit)
	}
	if m.Kind == Transfer {
		if !validCode(m.To) {
			return bad("transfer needs a receiving store")
		}
		if m.To == m.Location {
			return bad("transfer from %s to the same store", m.Location)
		}
	} else if m.To != "" {
		return bad("only a transfer has a receiving store")
	}
	if m.Kind == Adjustment {
		if m.Counted.IsNegative() || !m.Qty.IsZero() {
			return bad("an adjustment gives a counted quantity >= 0 and no Qty")
		}
	} else if !m.Qty.IsPositive() || !m.Counted.IsZero() {
		return bad("quantity must be positive, got %s", m.Qty.String())
	}
	if m.UnitCost.IsNegative() {
		return bad("negative unit cost")
	}
	if !m.UnitCost.IsZero() && (m.Kind == Issue || m.Kind == Transfer) {
		return bad("a %s leaves at the valuation cost; it takes no unit cost", m.Kind)
	}
	if !m.UnitCost.Equal(m.UnitCost.Truncate(QuantityScale)) {
		return bad("unit cost %s has more than %d decimals", m.UnitCost.String(), QuantityScale)
	}
	if len(m.Dimensions) > 0 && m.Kind != Issue && m.Kind != ReturnFromIssue {
		return bad("only issues and returns from issue take dimensions")
	}
	if len(m.Dimensions) > 16 {
		return bad("more than 16 dimensions")
	}
	for k, v := range m.Dimensions {
		if !validCode(k) || len(v) > maxNameLen || !printable(v) {
			return bad("dimension %q", k)
		}
	}
	if m.Lot != "" && !validCode(m.Lot) {
		return bad("lot %q", m.Lot)
	}
	if !m.Expiry.IsZero() && (!m.Expiry.Valid() || m.Kind != Receipt) {
		return bad("expiry %s: only a receipt sets a lot's expiry", m.Expiry)
	}
	m.Dimensions = maps.Clone(m.Dimensions)
	m.ID, m.EntryID, m.CreatedAt = uuid.Nil, uuid.Nil, time.Time{}
	m.StockQty, m.Value = decimal.Decimal{}, decimal.Decimal{}
	return m, nil
}

func sameMovement(a, b Movement) bool {
	return a.Kind == b.Kind && a.Date == b.Date && a.Reference == b.Reference && a.Item == b.Item &&
		a.Location == b.Location && a.To == b.To && a.Qty.Equal(b.Qty) && a.Unit == b.Unit &&
		a.UnitCost.Equal(b.UnitCost) && a.Counted.Equal(b.Counted) && a.Lot == b.Lot && a.Expiry == b.Expiry &&
		(len(a.Dimensions) == 0 && len(b.Dimensions) == 0 || maps.Equal(a.Dimensions, b.Dimensions))
}

// context of one posting, read inside the transaction.
type posting struct {
	item     Item
	cat      Category
	minor    int32
	from, to Location
	lines    []StockLine // the new movement's lines, leg order
}

func (e *Engine) post(ctx context.Context, tx Store, gl ledger.Store, tenant string, m Movement) (Movement, error) {
	p := posting{minor: e.currency.MinorUnits}
	var err error
	if p.item, err = tx.InventoryItem(ctx, tenant, m.Item); err != nil {
		return Movement{}, err
	}
	if p.cat, err = tx.InventoryCategory(ctx, tenant, p.item.Category); err != nil {
		return Movement{}, err
	}
	if p.from, err = tx.InventoryLocation(ctx, tenant, m.Location); err != nil {
		return Movement{}, err
	}
	if m.Kind == Transfer {
		if p.to, err = tx.InventoryLocation(ctx, tenant, m.To); err != nil {
			return Movement{}, err
		}
	}
	// Quantities: in the movement's unit, then in stock units.
	su, err := tx.InventoryUnit(ctx, tenant, p.item.StockUnit)
	if err != nil {
		return Movement{}, err
	}
	factor, err := p.item.factor(m.Unit)
	if err != nil {
		return Movement{}, err
	}
	if m.Unit != "" && m.Unit != su.Code {
		u, err := tx.InventoryUnit(ctx, tenant, m.Unit)
		if err != nil {
			return Movement{}, err
		}
		for _, q := range []decimal.Decimal{m.Qty, m.Counted} {
			if !q.Equal(q.Truncate(u.Decimals)) {
				return Movement{}, fmt.Errorf("%w: %s %s (%d decimals)", ErrTooManyDecimals, q.String(), u.Code, u.Decimals)
			}
		}
	}
	qty := m.Qty.Mul(factor)
	counted := m.Counted.Mul(factor)
	for _, q := range []decimal.Decimal{qty, counted} {
		if !q.Equal(q.Truncate(su.Decimals)) {
			return Movement{}, fmt.Errorf("%w: %s %s (%d decimals)", ErrTooManyDecimals, q.String(), su.Code, su.Decimals)
		}
		if _, err := toMicro(q); err != nil {
			return Movement{}, err
		}
	}
	if p.item.LotTracked && m.Lot == "" {
		return Movement{}, fmt.Errorf("%w: %s is lot-tracked", ErrLotRequired, p.item.Code)
	}
	if !p.item.LotTracked && (m.Lot != "" || !m.Expiry.IsZero()) {
		return Movement{}, fmt.Errorf("%w: %s is not lot-tracked", ErrInvalidMovement, p.item.Code)
	}

	locs := []string{m.Location}
	if m.Kind == Transfer {
		locs = append(locs, m.To)
	}
	stock, err := tx.LockInventoryStock(ctx, tenant, m.Item, locs)
	if err != nil {
		return Movement{}, err
	}
	// A standard cost set concurrently (SetStandardCost locks the same
	// rows) is seen now.
	if p.item.Method == Standard {
		if p.item, err = tx.InventoryItem(ctx, tenant, m.Item); err != nil {
			return Movement{}, err
		}
	}
	if p.item.Method == Standard && m.Date.Before(p.item.StandardCosts[0].From) {
		return Movement{}, fmt.Errorf("%w: %s has no standard cost before %s", ErrInvalidMovement, p.item.Code, p.item.StandardCosts[0].From)
	}
	// The key is checked with the rows locked: a concurrent post of the
	// same key and item has committed by now, and is replayed.
	if m.IdempotencyKey != "" {
		prev, err := tx.InventoryMovementByKey(ctx, tenant, m.IdempotencyKey)
		switch {
		case err == nil:
			if !sameMovement(prev, m) {
				return Movement{}, fmt.Errorf("%w: key %q", ErrIdempotencyConflict, m.IdempotencyKey)
			}
			return prev, nil
		case !errors.Is(err, ErrMovementNotFound):
			return Movement{}, err
		}
	}
	byLoc := map[string]*Stock{}
	for i := range stock {
		byLoc[stock[i].Location] = &stock[i]
	}
	backdated := false
	for _, l := range locs {
		if s := byLoc[l]; s != nil && m.Date.Before(s.LastDate) {
			backdated = true
		}
	}
	var lots []Lot
	if p.item.LotTracked {
		if lots, err = tx.InventoryLots(ctx, tenant, m.Item, m.Location); err != nil {
			return Movement{}, err
		}
	}
	lotQty := decimal.Zero
	for _, l := range lots {
		if l.Lot == m.Lot {
			lotQty = l.Qty
		}
	}

	// The lines, without values.
	hasCost := m.Kind == Receipt || !m.UnitCost.IsZero()
	basis := decimal.Zero
	if hasCost {
		b, err := toMinor(m.UnitCost.Mul(m.Qty), p.minor)
		if err != nil {
			return Movement{}, err
		}
		basis = decimal.New(b, -p.minor)
	}
	inv := func(l Location) string {
		if l.InventoryAccount != "" {
			return l.InventoryAccount
		}
		return p.cat.Accounts.Inventory
	}
	line := func(loc Location, q decimal.Decimal, counter string) StockLine {
		return StockLine{Leg: 0, Date: m.Date, Kind: m.Kind, Item: m.Item, Location: loc.Code, Qty: q,
			Basis: basis, HasBasis: hasCost, InventoryAccount: inv(loc), CounterAccount: counter,
			VarianceAccount: p.cat.Accounts.PriceVariance, Lot: m.Lot, Expiry: m.Expiry}
	}
	a := p.cat.Accounts
	switch m.Kind {
	case Receipt:
		p.lines = []StockLine{line(p.from, qty, a.GRIR)}
	case ReturnToVendor:
		p.lines = []StockLine{line(p.from, qty.Neg(), a.GRIR)}
	case Issue:
		p.lines = []StockLine{line(p.from, qty.Neg(), a.Expense)}
		p.lines[0].Dimensions = m.Dimensions
	case ReturnFromIssue:
		p.lines = []StockLine{line(p.from, qty, a.Expense)}
		p.lines[0].Dimensions = m.Dimensions
	case Transfer:
		out := line(p.from, qty.Neg(), "")
		in := line(p.to, qty, "")
		in.Leg, in.Lot, in.Expiry = 1, m.Lot, lotExpiry(lots, m.Lot)
		p.lines = []StockLine{out, in}
	case Adjustment:
		book := decimal.Zero
		switch {
		case p.item.LotTracked:
			book = lotQty
		case backdated:
			ls, err := tx.InventoryLines(ctx, tenant, m.Item, m.Location, m.Date)
			if err != nil {
				return Movement{}, err
			}
			for _, l := range ls {
				book = book.Add(l.Qty)
			}
		case byLoc[m.Location] != nil:
			book = byLoc[m.Location].Qty
		}
		delta := counted.Sub(book)
		if delta.IsZero() {
			return Movement{}, fmt.Errorf("%w: the count of %s in %s equals the book quantity %s", ErrInvalidMovement, m.Item, m.Location, book.String())
		}
		l := line(p.from, delta, a.Adjustment)
		if hasCost {
			b, err := toMinor(m.UnitCost.Mul(delta.Abs()).Div(factor), p.minor)
			if err != nil {
				return Movement{}, err
			}
			l.Basis = decimal.New(b, -p.minor)
		}
		if delta.IsNegative() {
			l.HasBasis, l.Basis = false, decimal.Zero // a loss leaves at the valuation cost
		}
		p.lines = []StockLine{l}
	}
	// Lots never go below zero.
	if p.item.LotTracked && p.lines[0].Qty.IsNegative() && p.lines[0].Qty.Neg().GreaterThan(lotQty) {
		return Movement{}, &InsufficientStockError{Item: m.Item, Location: m.Location, Lot: m.Lot,
			Available: lotQty, Requested: p.lines[0].Qty.Neg()}
	}
	for i := range p.lines {
		s := byLoc[p.lines[i].Location]
		p.lines[i].Seq = s.Seq + 1
	}
	id := uuid.Must(uuid.NewV7())
	for i := range p.lines {
		p.lines[i].Movement = id
	}

	var changed revalued // existing lines re-valued (backdated)
	var newStock []Stock
	if !backdated {
		newStock, err = e.valueForward(p, stock)
	} else {
		changed, newStock, err = e.revalue(ctx, tx, tenant, p, stock)
	}
	if err != nil {
		return Movement{}, err
	}

	var entries []ledger.Entry
	own := e.entry(m, p)
	if len(own.Lines) > 0 {
		entries = append(entries, own)
	}
	entries = append(entries, e.differenceEntries(m, p, changed)...)
	if len(entries) > 0 {
		posted, err := ledger.New(gl, ledger.Config{Now: e.now}).PostBatch(ctx, tenant, entries)
		if err != nil {
			var be *ledger.BatchError
			if errors.As(err, &be) && len(be.Entries) == 1 {
				return Movement{}, be.Entries[0].Err
			}
			return Movement{}, err
		}
		if len(own.Lines) > 0 {
			m.EntryID = posted[0].ID
		}
	}
	m.ID = id
	m.CreatedAt = e.timestamp()
	m.StockQty = p.lines[0].Qty
	if m.Kind != Adjustment {
		m.StockQty = m.StockQty.Abs()
	}
	m.Value = movementValue(m.Kind, p.lines[0])
	if err := tx.SaveInventoryMovement(ctx, tenant, m, p.lines); err != nil {
		return Movement{}, err
	}
	if len(changed.lines) > 0 {
		if err := tx.UpdateInventoryHistory(ctx, tenant, m.Item, changed.lines); err != nil {
			return Movement{}, err
		}
	}
	if err := tx.PutInventoryStock(ctx, tenant, newStock); err != nil {
		return Movement{}, err
	}
	return m, nil
}

func movementValue(k Kind, leg0 StockLine) decimal.Decimal {
	if k == Adjustment {
		return leg0.Value
	}
	return leg0.Value.Abs()
}

func lotExpiry(lots []Lot, lot string) ledger.Date {
	for _, l := range lots {
		if l.Lot == lot {
			return l.Expiry
		}
	}
	return ledger.Date{}
}

// valueForward values the new lines from the stock rows (not backdated) and
// returns the new rows.
func (e *Engine) valueForward(p posting, stock []Stock) ([]Stock, error) {
	out := slices.Clone(stock)
	var carried int64 // a transfer's value leaving, brought into the other store
	for i := range p.lines {
		l := &p.lines[i]
		k := slices.IndexFunc(out, func(s Stock) bool { return s.Location == l.Location })
		st, err := toState(out[k], p.minor)
		if err != nil {
			return nil, err
		}
		mv, err := e.move(p, *l)
		if err != nil {
			return nil, err
		}
		if l.Kind == Transfer && l.Leg == 1 {
			mv.basis, mv.hasBasis = carried, true
			l.Basis, l.HasBasis = decimal.New(carried, -p.minor), true
		}
		r, err := st.apply(p.item.Method, mv, p.allowNegative(l.Location))
		if err != nil {
			return nil, shortageError(err, l.Item, l.Location, "")
		}
		carried = -r.value
		l.Value = decimal.New(r.value, -p.minor)
		l.Variance = decimal.New(r.variance, -p.minor)
		out[k] = fromState(out[k], st, p.minor, l.Date)
		out[k].Seq = l.Seq
	}
	return out, nil
}

func (p posting) allowNegative(loc string) bool {
	if loc == p.from.Code {
		return p.from.AllowNegative
	}
	return p.to.AllowNegative
}

// move converts a line to a valuation move.
func (e *Engine) move(p posting, l StockLine) (vmove, error) {
	q, err := toMicro(l.Qty)
	if err != nil {
		return vmove{}, err
	}
	mv := vmove{qty: q, hasBasis: l.HasBasis}
	if l.HasBasis {
		mv.basis = l.Basis.Shift(p.minor).IntPart()
	}
	if p.item.Method == Standard {
		if mv.std, err = stdRatio(p.item.StandardCostOn(l.Date), p.minor); err != nil {
			return vmove{}, err
		}
	}
	return mv, nil
}

func toState(s Stock, minor int32) (vstate, error) {
	q, err := toMicro(s.Qty)
	if err != nil {
		return vstate{}, err
	}
	st := vstate{qty: q, value: s.Value.Shift(minor).IntPart()}
	for _, l := range s.Layers {
		lq, err := toMicro(l.Qty)
		if err != nil {
			return vstate{}, err
		}
		st.layers = append(st.layers, vlayer{lq, l.Value.Shift(minor).IntPart()})
	}
	if s.LastCost.Qty.IsPositive() {
		lq, err := toMicro(s.LastCost.Qty)
		if err != nil {
			return vstate{}, err
		}
		st.last = ratio{s.LastCost.Value.Shift(minor).IntPart(), lq}
	}
	return st, nil
}

func fromState(s Stock, st vstate, minor int32, date ledger.Date) Stock {
	p := st.position(minor)
	s.Qty, s.Value, s.Layers = p.Qty, p.Value, p.Layers
	s.LastCost = Layer{}
	if st.last.den > 0 {
		s.LastCost = Layer{Qty: decimal.New(st.last.den, -QuantityScale), Value: decimal.New(st.last.num, -minor)}
	}
	if date.After(s.LastDate) {
		s.LastDate = date
	}
	return s
}

// posting amounts by account and dimensions, in minor units.
type postingKey struct {
	account string
	dims    string // canonical form of the dimensions
}

type postingAmounts struct {
	keys   []postingKey
	amount map[postingKey]int64
	dims   map[postingKey]map[string]string
}

func (pa *postingAmounts) add(account string, dims map[string]string, amount int64) {
	if amount == 0 || account == "" {
		return
	}
	k := postingKey{account, canonicalDims(dims)}
	if pa.amount == nil {
		pa.amount, pa.dims = map[postingKey]int64{}, map[postingKey]map[string]string{}
	}
	if _, ok := pa.amount[k]; !ok {
		pa.keys = append(pa.keys, k)
		pa.dims[k] = dims
	}
	pa.amount[k] += amount
}

func canonicalDims(d map[string]string) string {
	if len(d) == 0 {
		return ""
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(d)) {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(d[k])
		b.WriteByte(0)
	}
	return b.String()
}

// addLine adds a line's postings times sign (+1, or -1 to take them back).
func (pa *postingAmounts) addLine(l StockLine, minor int32, sign int64) {
	v := l.Value.Shift(minor).IntPart()
	vr := l.Variance.Shift(minor).IntPart()
	pa.add(l.InventoryAccount, nil, sign*v)
	pa.add(l.VarianceAccount, nil, sign*vr)
	pa.add(l.CounterAccount, l.Dimensions, -sign*(v+vr))
}

// addHistory adds the postings of a change of a history line's value and
// variance, in ten-thousandths; f is the number of ten-thousandths in a
// minor unit (the amounts are multiples of it).
func (pa *postingAmounts) addHistory(l *HistoryLine, value, variance, f int64) {
	v, vr := value/f, variance/f
	pa.add(l.InventoryAccount, nil, v)
	pa.add(l.VarianceAccount, nil, vr)
	pa.add(l.CounterAccount, l.Dimensions, -(v + vr))
}

func (pa *postingAmounts) lines(cur ledger.Currency) []ledger.Line {
	var out []ledger.Line
	for _, k := range pa.keys {
		a := pa.amount[k]
		if a == 0 {
			continue
		}
		l := ledger.DebitLine(k.account, cur.FromMinor(a), cur.Code)
		if a < 0 {
			l = ledger.CreditLine(k.account, cur.FromMinor(-a), cur.Code)
		}
		l.Dimensions = maps.Clone(pa.dims[k])
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool { // debits first
		return out[i].Side == ledger.Debit && out[j].Side == ledger.Credit
	})
	return out
}

func (e *Engine) entry(m Movement, p posting) ledger.Entry {
	var pa postingAmounts
	for _, l := range p.lines {
		pa.addLine(l, p.minor, 1)
	}
	desc := fmt.Sprintf("Inventory %s of %s", strings.ReplaceAll(string(m.Kind), "_", " "), m.Item)
	return ledger.Entry{
		Date: m.Date, Description: desc, Reference: m.Reference,
		Metadata: map[string]string{"inventory_movement": p.lines[0].Movement.String()},
		Lines:    pa.lines(e.currency),
	}
}

// differenceEntries posts the re-valuation of changed lines: one entry per
// date, the new postings minus the old.
func (e *Engine) differenceEntries(m Movement, p posting, changed revalued) []ledger.Entry {
	if len(changed.lines) == 0 {
		return nil
	}
	f := pow10(AmountScale - int(p.minor))
	byDate := map[ledger.Date]*postingAmounts{}
	var dates []ledger.Date
	for i := range changed.lines {
		l := &changed.lines[i]
		pa := byDate[l.Date]
		if pa == nil {
			pa = &postingAmounts{}
			byDate[l.Date] = pa
			dates = append(dates, l.Date)
		}
		pa.addHistory(l, l.Value-changed.oldValue[i], l.Variance-changed.oldVariance[i], f)
	}
	slices.SortFunc(dates, ledger.Date.Compare)
	var out []ledger.Entry
	for _, d := range dates {
		ls := byDate[d].lines(e.currency)
		if len(ls) == 0 {
			continue
		}
		out = append(out, ledger.Entry{
			Date:        d,
			Description: fmt.Sprintf("Inventory re-valuation of %s after a movement dated %s", m.Item, m.Date),
			Reference:   m.Reference,
			Metadata:    map[string]string{"inventory_revaluation_by": p.lines[0].Movement.String()},
			Lines:       ls,
		})
	}
	return out
}
