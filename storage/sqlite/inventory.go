package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// The inventory engine's storage. Tables are in migrations/0005_inventory.sql:
// quantities are integer millionths, values integer ten-thousandths.

var _ inventory.Store = (*Store)(nil)

const (
	invQtyScale   = inventory.QuantityScale
	invValueScale = 4
)

func invQty(d decimal.Decimal) int64   { return d.Shift(invQtyScale).IntPart() }
func invValue(d decimal.Decimal) int64 { return d.Shift(invValueScale).IntPart() }
func invDecQty(n int64) decimal.Decimal {
	return decimal.New(n, -invQtyScale)
}
func invDecValue(n int64) decimal.Decimal { return decimal.New(n, -invValueScale) }

func invDate(d ledger.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func invParseDate(s string) (ledger.Date, error) {
	if s == "" {
		return ledger.Date{}, nil
	}
	return ledger.ParseDate(s)
}

func invBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateInventoryUnit implements inventory.Store.
func (s *Store) CreateInventoryUnit(ctx context.Context, tenant string, u inventory.Unit) error {
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_units (tenant_id, code, name, decimals) VALUES (?, ?, ?, ?)`,
			tenant, u.Code, u.Name, u.Decimals)
		if eqIsUniqueViolation(err) {
			return fmt.Errorf("%w: %s", inventory.ErrUnitExists, u.Code)
		}
		return err
	})
}

// InventoryUnit implements inventory.Store.
func (s *Store) InventoryUnit(ctx context.Context, tenant, code string) (inventory.Unit, error) {
	u := inventory.Unit{Code: code}
	err := s.reader().QueryRowContext(ctx, `SELECT name, decimals FROM erp_inventory_units WHERE tenant_id = ? AND code = ?`,
		tenant, code).Scan(&u.Name, &u.Decimals)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("%w: %s", inventory.ErrUnitNotFound, code)
	}
	return u, err
}

// PutInventoryCategory implements inventory.Store.
func (s *Store) PutInventoryCategory(ctx context.Context, tenant string, c inventory.Category) error {
	a := c.Accounts
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_categories (tenant_id, code, name, inventory_account,
			expense_account, grir_account, variance_account, adjustment_account) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name, inventory_account = excluded.inventory_account,
			expense_account = excluded.expense_account, grir_account = excluded.grir_account,
			variance_account = excluded.variance_account, adjustment_account = excluded.adjustment_account`,
			tenant, c.Code, c.Name, a.Inventory, a.Expense, a.GRIR, a.PriceVariance, a.Adjustment)
		return err
	})
}

// InventoryCategory implements inventory.Store.
func (s *Store) InventoryCategory(ctx context.Context, tenant, code string) (inventory.Category, error) {
	c := inventory.Category{Code: code}
	a := &c.Accounts
	err := s.reader().QueryRowContext(ctx, `SELECT name, inventory_account, expense_account, grir_account, variance_account,
		adjustment_account FROM erp_inventory_categories WHERE tenant_id = ? AND code = ?`, tenant, code).
		Scan(&c.Name, &a.Inventory, &a.Expense, &a.GRIR, &a.PriceVariance, &a.Adjustment)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%w: %s", inventory.ErrCategoryNotFound, code)
	}
	return c, err
}

type invStdCost struct {
	From string `json:"from"`
	Cost string `json:"cost"`
}

type invConversion struct {
	Unit   string `json:"unit"`
	Factor string `json:"factor"`
}

func invItemJSON(it inventory.Item) (string, string) {
	sc := make([]invStdCost, len(it.StandardCosts))
	for i, c := range it.StandardCosts {
		sc[i] = invStdCost{c.From.String(), c.Cost.String()}
	}
	cv := make([]invConversion, len(it.Conversions))
	for i, c := range it.Conversions {
		cv[i] = invConversion{c.Unit, c.Factor.String()}
	}
	a, _ := json.Marshal(sc) // plain structs always marshal
	b, _ := json.Marshal(cv)
	return string(a), string(b)
}

const invItemColumns = `code, name, category, stock_unit, method, standard_costs, conversions, vat_category, hs_code,
	lot_tracked, created_at FROM erp_inventory_items`

func invScanItem(sc interface{ Scan(...any) error }) (inventory.Item, error) {
	var it inventory.Item
	var sj, cj, created string
	var lot int
	if err := sc.Scan(&it.Code, &it.Name, &it.Category, &it.StockUnit, &it.Method, &sj, &cj, &it.VATCategory, &it.HSCode,
		&lot, &created); err != nil {
		return it, err
	}
	it.LotTracked = lot == 1
	var sc2 []invStdCost
	var cv []invConversion
	if err := json.Unmarshal([]byte(sj), &sc2); err != nil {
		return it, err
	}
	if err := json.Unmarshal([]byte(cj), &cv); err != nil {
		return it, err
	}
	for _, c := range sc2 {
		d, err := ledger.ParseDate(c.From)
		if err != nil {
			return it, err
		}
		cost, err := decimal.NewFromString(c.Cost)
		if err != nil {
			return it, err
		}
		it.StandardCosts = append(it.StandardCosts, inventory.StandardCost{From: d, Cost: cost})
	}
	for _, c := range cv {
		f, err := decimal.NewFromString(c.Factor)
		if err != nil {
			return it, err
		}
		it.Conversions = append(it.Conversions, inventory.Conversion{Unit: c.Unit, Factor: f})
	}
	var err error
	it.CreatedAt, err = parseTime(created)
	return it, err
}

func invGetItem(ctx context.Context, q querier, tenant, code string) (inventory.Item, error) {
	it, err := invScanItem(q.QueryRowContext(ctx, `SELECT `+invItemColumns+` WHERE tenant_id = ? AND code = ?`, tenant, code))
	if errors.Is(err, sql.ErrNoRows) {
		return it, fmt.Errorf("%w: %s", inventory.ErrItemNotFound, code)
	}
	return it, err
}

// CreateInventoryItem implements inventory.Store.
func (s *Store) CreateInventoryItem(ctx context.Context, tenant string, it inventory.Item) error {
	sc, cv := invItemJSON(it)
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_items (tenant_id, code, name, category, stock_unit, method,
			standard_costs, conversions, vat_category, hs_code, lot_tracked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, it.Code, it.Name, it.Category, it.StockUnit, string(it.Method), sc, cv, it.VATCategory, it.HSCode,
			invBool(it.LotTracked), formatTime(it.CreatedAt))
		if eqIsUniqueViolation(err) {
			return fmt.Errorf("%w: %s", inventory.ErrItemExists, it.Code)
		}
		return err
	})
}

// UpdateInventoryItem implements inventory.Store.
func (s *Store) UpdateInventoryItem(ctx context.Context, tenant, code string, fn func(it *inventory.Item) error) (inventory.Item, error) {
	var out inventory.Item
	err := s.write(ctx, func(q querier) error {
		it, err := invGetItem(ctx, q, tenant, code)
		if err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
		sc, cv := invItemJSON(it)
		if _, err := q.ExecContext(ctx, `UPDATE erp_inventory_items SET name = ?, category = ?, method = ?, standard_costs = ?,
			conversions = ?, vat_category = ?, hs_code = ?, lot_tracked = ? WHERE tenant_id = ? AND code = ?`,
			it.Name, it.Category, string(it.Method), sc, cv, it.VATCategory, it.HSCode, invBool(it.LotTracked), tenant, code); err != nil {
			return err
		}
		out, err = invGetItem(ctx, q, tenant, code)
		return err
	})
	return out, err
}

// InventoryItem implements inventory.Store.
func (s *Store) InventoryItem(ctx context.Context, tenant, code string) (inventory.Item, error) {
	return invGetItem(ctx, s.reader(), tenant, code)
}

// InventoryItems implements inventory.Store.
func (s *Store) InventoryItems(ctx context.Context, tenant string) ([]inventory.Item, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+invItemColumns+` WHERE tenant_id = ? ORDER BY code`, tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.Item
	for rows.Next() {
		it, err := invScanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// CreateInventoryLocation implements inventory.Store.
func (s *Store) CreateInventoryLocation(ctx context.Context, tenant string, l inventory.Location) error {
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_locations (tenant_id, code, name, kind, inventory_account,
			allow_negative, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tenant, l.Code, l.Name, string(l.Kind), l.InventoryAccount, invBool(l.AllowNegative), formatTime(l.CreatedAt))
		if eqIsUniqueViolation(err) {
			return fmt.Errorf("%w: %s", inventory.ErrLocationExists, l.Code)
		}
		return err
	})
}

// InventoryLocation implements inventory.Store.
func (s *Store) InventoryLocation(ctx context.Context, tenant, code string) (inventory.Location, error) {
	l := inventory.Location{Code: code}
	var neg int
	var created string
	err := s.reader().QueryRowContext(ctx, `SELECT name, kind, inventory_account, allow_negative, created_at
		FROM erp_inventory_locations WHERE tenant_id = ? AND code = ?`, tenant, code).
		Scan(&l.Name, &l.Kind, &l.InventoryAccount, &neg, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("%w: %s", inventory.ErrLocationNotFound, code)
	}
	if err != nil {
		return l, err
	}
	l.AllowNegative = neg == 1
	l.CreatedAt, err = parseTime(created)
	return l, err
}

// PutInventoryReorderRule implements inventory.Store.
func (s *Store) PutInventoryReorderRule(ctx context.Context, tenant string, r inventory.ReorderRule) error {
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_reorder_rules (tenant_id, item, location, level, qty, min_qty, max_qty)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, location, item) DO UPDATE SET level = excluded.level,
			qty = excluded.qty, min_qty = excluded.min_qty, max_qty = excluded.max_qty`,
			tenant, r.Item, r.Location, invQty(r.Level), invQty(r.Qty), invQty(r.Min), invQty(r.Max))
		return err
	})
}

// InventoryReorderRules implements inventory.Store.
func (s *Store) InventoryReorderRules(ctx context.Context, tenant string) ([]inventory.ReorderRule, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT item, location, level, qty, min_qty, max_qty
		FROM erp_inventory_reorder_rules WHERE tenant_id = ? ORDER BY location, item`, tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.ReorderRule
	for rows.Next() {
		var r inventory.ReorderRule
		var lv, q, mn, mx int64
		if err := rows.Scan(&r.Item, &r.Location, &lv, &q, &mn, &mx); err != nil {
			return nil, err
		}
		r.Level, r.Qty, r.Min, r.Max = invDecQty(lv), invDecQty(q), invDecQty(mn), invDecQty(mx)
		out = append(out, r)
	}
	return out, rows.Err()
}

// InventoryTx implements inventory.Store: fn runs in one transaction (or a
// savepoint of the bound one) with this adapter bound to it, as both the
// inventory and the ledger store.
func (s *Store) InventoryTx(ctx context.Context, fn func(tx inventory.Store, gl ledger.Store) error) error {
	return s.InTx(ctx, func(tx *Store) error { return fn(tx, tx) })
}

const invStockColumns = `item, location, qty, value, reserved, layers, last_cost_qty, last_cost_value, last_date, seq
	FROM erp_inventory_stock`

func invScanStock(sc interface{ Scan(...any) error }) (inventory.Stock, error) {
	var st inventory.Stock
	var q, v, r, lq, lv int64
	var layers, last string
	if err := sc.Scan(&st.Item, &st.Location, &q, &v, &r, &layers, &lq, &lv, &last, &st.Seq); err != nil {
		return st, err
	}
	st.Qty, st.Value, st.Reserved = invDecQty(q), invDecValue(v), invDecQty(r)
	st.LastCost = inventory.Layer{Qty: invDecQty(lq), Value: invDecValue(lv)}
	var ls [][2]int64
	if err := json.Unmarshal([]byte(layers), &ls); err != nil {
		return st, err
	}
	for _, l := range ls {
		st.Layers = append(st.Layers, inventory.Layer{Qty: invDecQty(l[0]), Value: invDecValue(l[1])})
	}
	var err error
	st.LastDate, err = invParseDate(last)
	return st, err
}

// LockInventoryStock implements inventory.Store. SQLite has one writer, so
// reading the rows in the write transaction is enough to hold them; missing
// rows are inserted with zero stock.
func (s *Store) LockInventoryStock(ctx context.Context, tenant, item string, locations []string) ([]inventory.Stock, error) {
	var out []inventory.Stock
	err := s.write(ctx, func(q querier) error {
		out = out[:0]
		if len(locations) == 0 {
			rows, err := q.QueryContext(ctx, `SELECT `+invStockColumns+` WHERE tenant_id = ? AND item = ? ORDER BY location`, tenant, item)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				st, err := invScanStock(rows)
				if err != nil {
					return err
				}
				out = append(out, st)
			}
			return rows.Err()
		}
		locs := append([]string(nil), locations...)
		invSortStrings(locs)
		for _, l := range locs {
			if _, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_stock (tenant_id, item, location, qty, value)
				VALUES (?, ?, ?, 0, 0) ON CONFLICT DO NOTHING`, tenant, item, l); err != nil {
				return err
			}
			st, err := invScanStock(q.QueryRowContext(ctx, `SELECT `+invStockColumns+` WHERE tenant_id = ? AND item = ? AND location = ?`,
				tenant, item, l))
			if err != nil {
				return err
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}

func invSortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func invLayersJSON(ls []inventory.Layer) string {
	if len(ls) == 0 {
		return "[]"
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, l := range ls {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "[%d,%d]", invQty(l.Qty), invValue(l.Value))
	}
	b.WriteByte(']')
	return b.String()
}

// PutInventoryStock implements inventory.Store.
func (s *Store) PutInventoryStock(ctx context.Context, tenant string, stock []inventory.Stock) error {
	return s.write(ctx, func(q querier) error {
		for _, st := range stock {
			if _, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_stock (tenant_id, item, location, qty, value, reserved,
				layers, last_cost_qty, last_cost_value, last_date, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (tenant_id, item, location) DO UPDATE SET qty = excluded.qty, value = excluded.value,
				reserved = excluded.reserved, layers = excluded.layers, last_cost_qty = excluded.last_cost_qty,
				last_cost_value = excluded.last_cost_value, last_date = excluded.last_date, seq = excluded.seq`,
				tenant, st.Item, st.Location, invQty(st.Qty), invValue(st.Value), invQty(st.Reserved), invLayersJSON(st.Layers),
				invQty(st.LastCost.Qty), invValue(st.LastCost.Value), invDate(st.LastDate), st.Seq); err != nil {
				return err
			}
		}
		return nil
	})
}

func invDims(d map[string]string) string {
	if len(d) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(d) // a string map always marshals
	return string(b)
}

func invParseDims(s string) (map[string]string, error) {
	if s == "{}" || s == "" {
		return nil, nil
	}
	var d map[string]string
	return d, json.Unmarshal([]byte(s), &d)
}

// SaveInventoryMovement implements inventory.Store.
func (s *Store) SaveInventoryMovement(ctx context.Context, tenant string, m inventory.Movement, lines []inventory.StockLine) error {
	var key any
	if m.IdempotencyKey != "" {
		key = m.IdempotencyKey
	}
	entry := ""
	if m.EntryID != uuid.Nil {
		entry = m.EntryID.String()
	}
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_movements (tenant_id, id, kind, movement_date, reference,
			idempotency_key, item, location, to_location, qty, unit, unit_cost, counted, dimensions, lot, expiry, stock_qty,
			entry_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, m.ID.String(), string(m.Kind), m.Date.String(), m.Reference, key, m.Item, m.Location, m.To, m.Qty.String(),
			m.Unit, m.UnitCost.String(), m.Counted.String(), invDims(m.Dimensions), m.Lot, invDate(m.Expiry), invQty(m.StockQty),
			entry, formatTime(m.CreatedAt))
		if eqIsUniqueViolation(err) {
			return fmt.Errorf("%w: key %q", inventory.ErrIdempotencyConflict, m.IdempotencyKey)
		}
		if err != nil {
			return err
		}
		for _, l := range lines {
			if _, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_lines (tenant_id, movement_id, leg, seq, line_date, kind,
				item, location, qty, basis, has_basis, value, variance, inventory_account, counter_account, variance_account,
				dimensions, lot, expiry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				tenant, l.Movement.String(), l.Leg, l.Seq, l.Date.String(), string(l.Kind), l.Item, l.Location, invQty(l.Qty),
				invValue(l.Basis), invBool(l.HasBasis), invValue(l.Value), invValue(l.Variance), l.InventoryAccount,
				l.CounterAccount, l.VarianceAccount, invDims(l.Dimensions), l.Lot, invDate(l.Expiry)); err != nil {
				return err
			}
			if l.Lot == "" {
				continue
			}
			if l.Qty.IsNegative() { // the CHECK would refuse a negative row before the upsert
				if _, err := q.ExecContext(ctx, `UPDATE erp_inventory_lots SET qty = qty + ?
					WHERE tenant_id = ? AND item = ? AND location = ? AND lot = ?`,
					invQty(l.Qty), tenant, l.Item, l.Location, l.Lot); err != nil {
					return err
				}
				continue
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_lots (tenant_id, item, location, lot, expiry, qty)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, item, location, lot) DO UPDATE SET qty = qty + excluded.qty,
				expiry = CASE WHEN expiry = '' THEN excluded.expiry ELSE expiry END`,
				tenant, l.Item, l.Location, l.Lot, invDate(l.Expiry), invQty(l.Qty)); err != nil {
				return err
			}
		}
		_, err = syAppendEvents(ctx, q, tenant, outbox.Inventory(m)...)
		return err
	})
}

// invHistoryRecord is the width of one line's record in the blob
// UpdateInventoryHistory passes: a marker, then basis, has_basis, value and
// variance as fixed-width decimal text (CAST reads them back exactly).
// invHistoryWindow bounds the Seq span of one statement (and its blob to
// about 5 MB).
const (
	invHistoryField  = 20
	invHistoryRecord = 1 + 4*invHistoryField
	invHistoryWindow = 1 << 16
)

// UpdateInventoryHistory implements inventory.Store: per store and window
// of Seq, one statement, one pass over the store's lines between the
// window's first and last dates, each line taking its new values from a
// blob indexed by its Seq (unique in the item and store, migrations/0010):
// no search per line.
func (s *Store) UpdateInventoryHistory(ctx context.Context, tenant, item string, lines []inventory.HistoryLine) error {
	return s.updateInventoryHistory(ctx, tenant, item, lines, invHistoryWindow)
}

func (s *Store) updateInventoryHistory(ctx context.Context, tenant, item string, lines []inventory.HistoryLine, window int64) error {
	byLoc := map[string][]inventory.HistoryLine{}
	var locs []string
	for _, l := range lines {
		if _, ok := byLoc[l.Location]; !ok {
			locs = append(locs, l.Location)
		}
		byLoc[l.Location] = append(byLoc[l.Location], l)
	}
	invSortStrings(locs)
	return s.write(ctx, func(q querier) error {
		for _, loc := range locs {
			ls := byLoc[loc]
			slices.SortFunc(ls, func(a, b inventory.HistoryLine) int { return cmp.Compare(a.Seq, b.Seq) })
			for len(ls) > 0 {
				n := 1
				for n < len(ls) && ls[n].Seq-ls[0].Seq < window {
					n++
				}
				if err := invUpdateWindow(ctx, q, tenant, item, loc, ls[:n]); err != nil {
					return err
				}
				ls = ls[n:]
			}
		}
		return nil
	})
}

// invUpdateWindow rewrites the values of ls (one store, ordered by Seq, a
// span of at most invHistoryWindow).
func invUpdateWindow(ctx context.Context, q querier, tenant, item, loc string, ls []inventory.HistoryLine) error {
	lo, hi := ls[0].Seq, ls[len(ls)-1].Seq
	first, last := ls[0].Date, ls[0].Date
	for _, l := range ls {
		if l.Date.Before(first) {
			first = l.Date
		}
		if l.Date.After(last) {
			last = l.Date
		}
	}
	blob := make([]byte, (hi-lo+1)*invHistoryRecord)
	for i := range blob {
		blob[i] = ' '
	}
	for _, l := range ls {
		r := blob[(l.Seq-lo)*invHistoryRecord:]
		r[0] = 'x'
		for k, v := range []int64{l.Basis, int64(invBool(l.HasBasis)), l.Value, l.Variance} {
			f := r[1+k*invHistoryField : 1+(k+1)*invHistoryField]
			b := strconv.AppendInt(make([]byte, 0, 24), v, 10)
			if len(b) > invHistoryField {
				return fmt.Errorf("sqlite: inventory amount %d out of range", v)
			}
			copy(f[invHistoryField-len(b):], b) // right-aligned after spaces
		}
	}
	res, err := q.ExecContext(ctx, `UPDATE erp_inventory_lines
		SET basis = CAST(substr(?1, (seq - ?2) * 81 + 2, 20) AS INTEGER),
			has_basis = CAST(substr(?1, (seq - ?2) * 81 + 22, 20) AS INTEGER),
			value = CAST(substr(?1, (seq - ?2) * 81 + 42, 20) AS INTEGER),
			variance = CAST(substr(?1, (seq - ?2) * 81 + 62, 20) AS INTEGER)
		WHERE tenant_id = ?3 AND item = ?4 AND location = ?5 AND line_date BETWEEN ?6 AND ?7
			AND +seq BETWEEN ?2 AND ?8 AND substr(?1, (seq - ?2) * 81 + 1, 1) = x'78'`,
		blob, lo, tenant, item, loc, first.String(), last.String(), hi)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(len(ls)) {
		return fmt.Errorf("sqlite: %d of %d inventory lines of %s in %s re-valued", n, len(ls), item, loc)
	}
	return nil
}

const invMovementColumns = `m.id, m.kind, m.movement_date, m.reference, coalesce(m.idempotency_key, ''), m.item, m.location,
	m.to_location, m.qty, m.unit, m.unit_cost, m.counted, m.dimensions, m.lot, m.expiry, m.stock_qty, m.entry_id, m.created_at,
	coalesce((SELECT value FROM erp_inventory_lines l WHERE l.tenant_id = m.tenant_id AND l.movement_id = m.id AND l.leg = 0), 0)
	FROM erp_inventory_movements m`

func invScanMovement(sc interface{ Scan(...any) error }) (inventory.Movement, error) {
	var m inventory.Movement
	var id, date, qty, cost, counted, dims, expiry, entry, created string
	var sq, value int64
	if err := sc.Scan(&id, &m.Kind, &date, &m.Reference, &m.IdempotencyKey, &m.Item, &m.Location, &m.To, &qty, &m.Unit,
		&cost, &counted, &dims, &m.Lot, &expiry, &sq, &entry, &created, &value); err != nil {
		return m, err
	}
	var err error
	if m.ID, err = uuid.Parse(id); err != nil {
		return m, err
	}
	if m.Date, err = ledger.ParseDate(date); err != nil {
		return m, err
	}
	if m.Expiry, err = invParseDate(expiry); err != nil {
		return m, err
	}
	if m.Qty, err = decimal.NewFromString(qty); err != nil {
		return m, err
	}
	if m.UnitCost, err = decimal.NewFromString(cost); err != nil {
		return m, err
	}
	if m.Counted, err = decimal.NewFromString(counted); err != nil {
		return m, err
	}
	if m.Dimensions, err = invParseDims(dims); err != nil {
		return m, err
	}
	if entry != "" {
		if m.EntryID, err = uuid.Parse(entry); err != nil {
			return m, err
		}
	}
	m.StockQty = invDecQty(sq)
	m.Value = invDecValue(value)
	if m.Kind != inventory.Adjustment {
		m.Value = m.Value.Abs()
	}
	m.CreatedAt, err = parseTime(created)
	return m, err
}

// InventoryMovement implements inventory.Store.
func (s *Store) InventoryMovement(ctx context.Context, tenant string, id uuid.UUID) (inventory.Movement, error) {
	m, err := invScanMovement(s.reader().QueryRowContext(ctx, `SELECT `+invMovementColumns+` WHERE m.tenant_id = ? AND m.id = ?`,
		tenant, id.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("%w: %s", inventory.ErrMovementNotFound, id)
	}
	return m, err
}

// InventoryMovementByKey implements inventory.Store.
func (s *Store) InventoryMovementByKey(ctx context.Context, tenant, key string) (inventory.Movement, error) {
	m, err := invScanMovement(s.reader().QueryRowContext(ctx, `SELECT `+invMovementColumns+`
		WHERE m.tenant_id = ? AND m.idempotency_key = ?`, tenant, key))
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("%w: key %q", inventory.ErrMovementNotFound, key)
	}
	return m, err
}

// InventoryLines implements inventory.Store.
func (s *Store) InventoryLines(ctx context.Context, tenant, item, location string, through ledger.Date) ([]inventory.StockLine, error) {
	upper := "9999-12-31"
	if !through.IsZero() {
		upper = through.String()
	}
	const cols = `SELECT movement_id, leg, seq, line_date, kind, location, qty, basis, has_basis,
		value, variance, inventory_account, counter_account, variance_account, dimensions, lot, expiry
		FROM erp_inventory_lines `
	var rows *sql.Rows
	var err error
	if location == "" {
		rows, err = s.reader().QueryContext(ctx, cols+`WHERE tenant_id = ? AND item = ? AND line_date <= ?
			ORDER BY location, line_date, seq`, tenant, item, upper)
	} else {
		rows, err = s.reader().QueryContext(ctx, cols+`WHERE tenant_id = ? AND item = ? AND location = ? AND line_date <= ?
			ORDER BY line_date, seq`, tenant, item, location, upper)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.StockLine
	dates := map[string]ledger.Date{} // a history has far fewer dates than lines
	for rows.Next() {
		l := inventory.StockLine{Item: item}
		var id, date, dims, expiry string
		var q, basis, value, variance int64
		var hasBasis int
		if err := rows.Scan(&id, &l.Leg, &l.Seq, &date, &l.Kind, &l.Location, &q, &basis, &hasBasis, &value, &variance,
			&l.InventoryAccount, &l.CounterAccount, &l.VarianceAccount, &dims, &l.Lot, &expiry); err != nil {
			return nil, err
		}
		if l.Movement, err = uuid.Parse(id); err != nil {
			return nil, err
		}
		var ok bool
		if l.Date, ok = dates[date]; !ok {
			if l.Date, err = ledger.ParseDate(date); err != nil {
				return nil, err
			}
			dates[date] = l.Date
		}
		if l.Expiry, err = invParseDate(expiry); err != nil {
			return nil, err
		}
		if l.Dimensions, err = invParseDims(dims); err != nil {
			return nil, err
		}
		l.Qty, l.Basis, l.HasBasis = invDecQty(q), invDecValue(basis), hasBasis == 1
		l.Value, l.Variance = invDecValue(value), invDecValue(variance)
		out = append(out, l)
	}
	return out, rows.Err()
}

// InventoryHistory implements inventory.Store: the text columns travel as
// one (one string a line instead of seven), and lines share the parsed
// dates, accounts and dimensions.
func (s *Store) InventoryHistory(ctx context.Context, tenant, item string, from ledger.Date) ([]inventory.HistoryLine, error) {
	var n int
	if err := s.reader().QueryRowContext(ctx, `SELECT count(*) FROM erp_inventory_lines WHERE tenant_id = ? AND item = ?
		AND line_date >= ?`, tenant, item, invDate(from)).Scan(&n); err != nil {
		return nil, err
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT movement_id, leg * 2 + has_basis, seq, line_date, qty, basis, value, variance,
			kind || x'1f' || location || x'1f' || inventory_account || x'1f' || counter_account || x'1f' ||
			variance_account || x'1f' || dimensions
		FROM erp_inventory_lines WHERE tenant_id = ? AND item = ? AND line_date >= ?
		ORDER BY location, line_date, seq`, tenant, item, invDate(from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type class struct {
		kind                             inventory.Kind
		location, inv, counter, variance string
		dims                             map[string]string
	}
	classes := map[string]*class{}
	out := make([]inventory.HistoryLine, 0, n+2) // room for a movement's new lines
	var lastDate string
	var date ledger.Date
	// Scanned into once-allocated variables: a line per row would escape.
	var id, d, c string
	var legBasis int
	var seq, qty, basis, value, variance int64
	for rows.Next() {
		if err := rows.Scan(&id, &legBasis, &seq, &d, &qty, &basis, &value, &variance, &c); err != nil {
			return nil, err
		}
		l := inventory.HistoryLine{Leg: legBasis / 2, Seq: seq, Qty: qty, Basis: basis, Value: value, Variance: variance}
		if l.Movement, err = uuid.Parse(id); err != nil {
			return nil, err
		}
		if d != lastDate {
			if date, err = ledger.ParseDate(d); err != nil {
				return nil, err
			}
			lastDate = d
		}
		l.Date, l.HasBasis = date, legBasis%2 == 1
		k := classes[c]
		if k == nil {
			f := strings.Split(c, "\x1f")
			if len(f) != 6 {
				return nil, fmt.Errorf("sqlite: inventory line %s: bad text columns", id)
			}
			k = &class{kind: inventory.Kind(f[0]), location: f[1], inv: f[2], counter: f[3], variance: f[4]}
			if k.dims, err = invParseDims(f[5]); err != nil {
				return nil, err
			}
			classes[c] = k
		}
		l.Kind, l.Location, l.InventoryAccount, l.CounterAccount, l.VarianceAccount, l.Dimensions =
			k.kind, k.location, k.inv, k.counter, k.variance, k.dims
		out = append(out, l)
	}
	return out, rows.Err()
}

// InventoryStock implements inventory.Store.
func (s *Store) InventoryStock(ctx context.Context, tenant string, f inventory.StockFilter) ([]inventory.Stock, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+invStockColumns+` s WHERE s.tenant_id = ?
		AND (? = '' OR s.item = ?) AND (? = '' OR s.location = ?)
		AND (? = '' OR EXISTS (SELECT 1 FROM erp_inventory_items i WHERE i.tenant_id = s.tenant_id AND i.code = s.item AND i.category = ?))
		ORDER BY s.item, s.location`, tenant, f.Item, f.Item, f.Location, f.Location, f.Category, f.Category)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.Stock
	for rows.Next() {
		st, err := invScanStock(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// InventoryValues implements inventory.Store.
func (s *Store) InventoryValues(ctx context.Context, tenant string, asOf ledger.Date, f inventory.StockFilter) ([]inventory.StockValue, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT l.item, l.location, sum(l.qty), sum(l.value) FROM erp_inventory_lines l
		WHERE l.tenant_id = ? AND l.line_date <= ? AND (? = '' OR l.item = ?) AND (? = '' OR l.location = ?)
		AND (? = '' OR EXISTS (SELECT 1 FROM erp_inventory_items i WHERE i.tenant_id = l.tenant_id AND i.code = l.item AND i.category = ?))
		GROUP BY l.item, l.location ORDER BY l.item, l.location`,
		tenant, asOf.String(), f.Item, f.Item, f.Location, f.Location, f.Category, f.Category)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.StockValue
	for rows.Next() {
		var v inventory.StockValue
		var q, val int64
		if err := rows.Scan(&v.Item, &v.Location, &q, &val); err != nil {
			return nil, err
		}
		v.Qty, v.Value = invDecQty(q), invDecValue(val)
		out = append(out, v)
	}
	return out, rows.Err()
}

// InventoryLots implements inventory.Store.
func (s *Store) InventoryLots(ctx context.Context, tenant, item, location string) ([]inventory.Lot, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT lot, expiry, qty FROM erp_inventory_lots
		WHERE tenant_id = ? AND item = ? AND location = ? AND qty <> 0
		ORDER BY expiry = '', expiry, lot`, tenant, item, location)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.Lot
	for rows.Next() {
		l := inventory.Lot{Item: item, Location: location}
		var expiry string
		var q int64
		if err := rows.Scan(&l.Lot, &expiry, &q); err != nil {
			return nil, err
		}
		if l.Expiry, err = invParseDate(expiry); err != nil {
			return nil, err
		}
		l.Qty = invDecQty(q)
		out = append(out, l)
	}
	return out, rows.Err()
}

// InventoryReservation implements inventory.Store.
func (s *Store) InventoryReservation(ctx context.Context, tenant, key string) (inventory.Reservation, bool, error) {
	r := inventory.Reservation{Key: key}
	var qty int64
	var at string
	err := s.reader().QueryRowContext(ctx, `SELECT item, location, qty, created_at FROM erp_inventory_reservations
		WHERE tenant_id = ? AND idempotency_key = ?`, tenant, key).Scan(&r.Item, &r.Location, &qty, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return inventory.Reservation{}, false, nil
	}
	if err != nil {
		return inventory.Reservation{}, false, err
	}
	r.Qty = invDecQty(qty)
	r.At, err = parseTime(at)
	return r, err == nil, err
}

// SaveInventoryReservation implements inventory.Store.
func (s *Store) SaveInventoryReservation(ctx context.Context, tenant string, r inventory.Reservation) error {
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_inventory_reservations (tenant_id, idempotency_key, item, location,
			qty, created_at) VALUES (?, ?, ?, ?, ?, ?)`, tenant, r.Key, r.Item, r.Location, invQty(r.Qty), formatTime(r.At))
		if eqIsUniqueViolation(err) {
			return fmt.Errorf("%w: key %q", inventory.ErrIdempotencyConflict, r.Key)
		}
		return err
	})
}
