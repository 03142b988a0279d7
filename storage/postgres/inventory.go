package postgres

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/erpkit/erpkit/storage/internal/outbox"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// The inventory engine's storage. Tables are in migrations/0005_inventory.sql.
// A movement locks the stock rows of its item and stores (FOR UPDATE, in
// store order), so movements of one item in one store run one after
// another in any number of processes.

var _ inventory.Store = (*Store)(nil)

func invNumeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func invDecimal(n pgtype.Numeric) decimal.Decimal {
	if !n.Valid || n.Int == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(n.Int, n.Exp)
}

func invDate(d ledger.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: d.Time(), Valid: true}
}

func invFromDate(d pgtype.Date) ledger.Date {
	if !d.Valid {
		return ledger.Date{}
	}
	return ledger.DateOf(d.Time)
}

func invJSON(v any) string {
	b, _ := json.Marshal(v) // plain structs and string maps always marshal
	return string(b)
}

func invDims(d map[string]string) string {
	if len(d) == 0 {
		return "{}"
	}
	return invJSON(d)
}

func invParseDims(b []byte) (map[string]string, error) {
	if len(b) <= 2 { // {}
		return nil, nil
	}
	var d map[string]string
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	if len(d) == 0 {
		return nil, nil
	}
	return d, nil
}

func invCallback(format string, args ...any) error {
	return &callbackError{fmt.Errorf(format, args...)}
}

// invRead interprets a read's error: no rows -> notFound.
func invRead(err error, notFound error) error {
	if err == nil {
		return nil
	}
	return interpretError(err, notFound)
}

// CreateInventoryUnit implements inventory.Store.
func (s *Store) CreateInventoryUnit(ctx context.Context, tenant string, u inventory.Unit) error {
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_units (tenant_id, code, name, decimals) VALUES ($1, $2, $3, $4)`,
			tenant, u.Code, u.Name, u.Decimals)
		if eqUnique(err, "erp_inventory_units_pkey") {
			return invCallback("%w: %s", inventory.ErrUnitExists, u.Code)
		}
		return err
	})
}

// InventoryUnit implements inventory.Store.
func (s *Store) InventoryUnit(ctx context.Context, tenant, code string) (inventory.Unit, error) {
	u := inventory.Unit{Code: code}
	err := s.reader().QueryRow(ctx, `SELECT name, decimals FROM erp_inventory_units WHERE tenant_id = $1 AND code = $2`,
		tenant, code).Scan(&u.Name, &u.Decimals)
	return u, invRead(err, fmt.Errorf("%w: %s", inventory.ErrUnitNotFound, code))
}

// PutInventoryCategory implements inventory.Store.
func (s *Store) PutInventoryCategory(ctx context.Context, tenant string, c inventory.Category) error {
	a := c.Accounts
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_categories (tenant_id, code, name, inventory_account,
			expense_account, grir_account, variance_account, adjustment_account) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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
	err := s.reader().QueryRow(ctx, `SELECT name, inventory_account, expense_account, grir_account, variance_account,
		adjustment_account FROM erp_inventory_categories WHERE tenant_id = $1 AND code = $2`, tenant, code).
		Scan(&c.Name, &a.Inventory, &a.Expense, &a.GRIR, &a.PriceVariance, &a.Adjustment)
	return c, invRead(err, fmt.Errorf("%w: %s", inventory.ErrCategoryNotFound, code))
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
	return invJSON(sc), invJSON(cv)
}

const invItemColumns = `code, name, category, stock_unit, method, standard_costs, conversions, vat_category, hs_code,
	lot_tracked, created_at FROM erp_inventory_items`

func invScanItem(row pgx.Row) (inventory.Item, error) {
	var it inventory.Item
	var sj, cj []byte
	if err := row.Scan(&it.Code, &it.Name, &it.Category, &it.StockUnit, &it.Method, &sj, &cj, &it.VATCategory, &it.HSCode,
		&it.LotTracked, &it.CreatedAt); err != nil {
		return it, err
	}
	it.CreatedAt = it.CreatedAt.UTC()
	var sc []invStdCost
	var cv []invConversion
	if err := json.Unmarshal(sj, &sc); err != nil {
		return it, err
	}
	if err := json.Unmarshal(cj, &cv); err != nil {
		return it, err
	}
	for _, c := range sc {
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
	return it, nil
}

// CreateInventoryItem implements inventory.Store.
func (s *Store) CreateInventoryItem(ctx context.Context, tenant string, it inventory.Item) error {
	sc, cv := invItemJSON(it)
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_items (tenant_id, code, name, category, stock_unit, method,
			standard_costs, conversions, vat_category, hs_code, lot_tracked, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			tenant, it.Code, it.Name, it.Category, it.StockUnit, string(it.Method), sc, cv, it.VATCategory, it.HSCode,
			it.LotTracked, it.CreatedAt.UTC())
		if eqUnique(err, "erp_inventory_items_pkey") {
			return invCallback("%w: %s", inventory.ErrItemExists, it.Code)
		}
		return err
	})
}

// UpdateInventoryItem implements inventory.Store.
func (s *Store) UpdateInventoryItem(ctx context.Context, tenant, code string, fn func(it *inventory.Item) error) (inventory.Item, error) {
	var out inventory.Item
	err := s.write(ctx, func(tx *txn) error {
		it, err := invScanItem(tx.QueryRow(ctx, `SELECT `+invItemColumns+` WHERE tenant_id = $1 AND code = $2 FOR UPDATE`, tenant, code))
		if err != nil {
			return interpretError(err, &callbackError{fmt.Errorf("%w: %s", inventory.ErrItemNotFound, code)})
		}
		if err := fn(&it); err != nil {
			return &callbackError{err}
		}
		sc, cv := invItemJSON(it)
		if _, err := tx.Exec(ctx, `UPDATE erp_inventory_items SET name = $3, category = $4, method = $5, standard_costs = $6,
			conversions = $7, vat_category = $8, hs_code = $9, lot_tracked = $10 WHERE tenant_id = $1 AND code = $2`,
			tenant, code, it.Name, it.Category, string(it.Method), sc, cv, it.VATCategory, it.HSCode, it.LotTracked); err != nil {
			return err
		}
		out, err = invScanItem(tx.QueryRow(ctx, `SELECT `+invItemColumns+` WHERE tenant_id = $1 AND code = $2`, tenant, code))
		return err
	})
	return out, err
}

// InventoryItem implements inventory.Store.
func (s *Store) InventoryItem(ctx context.Context, tenant, code string) (inventory.Item, error) {
	it, err := invScanItem(s.reader().QueryRow(ctx, `SELECT `+invItemColumns+` WHERE tenant_id = $1 AND code = $2`, tenant, code))
	return it, invRead(err, fmt.Errorf("%w: %s", inventory.ErrItemNotFound, code))
}

// InventoryItems implements inventory.Store.
func (s *Store) InventoryItems(ctx context.Context, tenant string) ([]inventory.Item, error) {
	rows, err := s.reader().Query(ctx, `SELECT `+invItemColumns+` WHERE tenant_id = $1 ORDER BY code`, tenant)
	if err != nil {
		return nil, invRead(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.Item, error) { return invScanItem(r) })
	return out, invRead(err, nil)
}

// CreateInventoryLocation implements inventory.Store.
func (s *Store) CreateInventoryLocation(ctx context.Context, tenant string, l inventory.Location) error {
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_locations (tenant_id, code, name, kind, inventory_account,
			allow_negative, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			tenant, l.Code, l.Name, string(l.Kind), l.InventoryAccount, l.AllowNegative, l.CreatedAt.UTC())
		if eqUnique(err, "erp_inventory_locations_pkey") {
			return invCallback("%w: %s", inventory.ErrLocationExists, l.Code)
		}
		return err
	})
}

// InventoryLocation implements inventory.Store.
func (s *Store) InventoryLocation(ctx context.Context, tenant, code string) (inventory.Location, error) {
	l := inventory.Location{Code: code}
	err := s.reader().QueryRow(ctx, `SELECT name, kind, inventory_account, allow_negative, created_at
		FROM erp_inventory_locations WHERE tenant_id = $1 AND code = $2`, tenant, code).
		Scan(&l.Name, &l.Kind, &l.InventoryAccount, &l.AllowNegative, &l.CreatedAt)
	l.CreatedAt = l.CreatedAt.UTC()
	return l, invRead(err, fmt.Errorf("%w: %s", inventory.ErrLocationNotFound, code))
}

// PutInventoryReorderRule implements inventory.Store.
func (s *Store) PutInventoryReorderRule(ctx context.Context, tenant string, r inventory.ReorderRule) error {
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_reorder_rules (tenant_id, item, location, level, qty, min_qty, max_qty)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, location, item) DO UPDATE SET level = excluded.level,
			qty = excluded.qty, min_qty = excluded.min_qty, max_qty = excluded.max_qty`,
			tenant, r.Item, r.Location, invNumeric(r.Level), invNumeric(r.Qty), invNumeric(r.Min), invNumeric(r.Max))
		return err
	})
}

// InventoryReorderRules implements inventory.Store.
func (s *Store) InventoryReorderRules(ctx context.Context, tenant string) ([]inventory.ReorderRule, error) {
	rows, err := s.reader().Query(ctx, `SELECT item, location, level, qty, min_qty, max_qty
		FROM erp_inventory_reorder_rules WHERE tenant_id = $1 ORDER BY location, item`, tenant)
	if err != nil {
		return nil, invRead(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.ReorderRule, error) {
		var rr inventory.ReorderRule
		var lv, q, mn, mx pgtype.Numeric
		err := r.Scan(&rr.Item, &rr.Location, &lv, &q, &mn, &mx)
		rr.Level, rr.Qty, rr.Min, rr.Max = invDecimal(lv), invDecimal(q), invDecimal(mn), invDecimal(mx)
		return rr, err
	})
	return out, invRead(err, nil)
}

// InventoryTx implements inventory.Store: fn runs in one transaction (a
// savepoint of the bound one) with this adapter bound to it, as both the
// inventory and the ledger store; serialization failures and deadlocks
// run it again.
func (s *Store) InventoryTx(ctx context.Context, fn func(tx inventory.Store, gl ledger.Store) error) error {
	return s.InTx(ctx, func(tx *Store) error { return fn(tx, tx) })
}

const invStockColumns = `item, location, qty, value, reserved, layers, last_cost_qty, last_cost_value, last_date, seq
	FROM erp_inventory_stock`

func invScanStock(row pgx.Row) (inventory.Stock, error) {
	var st inventory.Stock
	var q, v, r, lq, lv pgtype.Numeric
	var layers []byte
	var last pgtype.Date
	if err := row.Scan(&st.Item, &st.Location, &q, &v, &r, &layers, &lq, &lv, &last, &st.Seq); err != nil {
		return st, err
	}
	st.Qty, st.Value, st.Reserved = invDecimal(q), invDecimal(v), invDecimal(r)
	st.LastCost = inventory.Layer{Qty: invDecimal(lq), Value: invDecimal(lv)}
	st.LastDate = invFromDate(last)
	var ls [][2]string
	if err := json.Unmarshal(layers, &ls); err != nil {
		return st, err
	}
	for _, l := range ls {
		lq, err := decimal.NewFromString(l[0])
		if err != nil {
			return st, err
		}
		lv, err := decimal.NewFromString(l[1])
		if err != nil {
			return st, err
		}
		st.Layers = append(st.Layers, inventory.Layer{Qty: lq, Value: lv})
	}
	return st, nil
}

// LockInventoryStock implements inventory.Store: missing rows are inserted
// with zero stock, then the rows are locked FOR UPDATE in store order (the
// same order for every caller, so two movements never wait on each other
// in a cycle).
func (s *Store) LockInventoryStock(ctx context.Context, tenant, item string, locations []string) ([]inventory.Stock, error) {
	var out []inventory.Stock
	err := s.single(ctx, func(q querier) error {
		var rows pgx.Rows
		var err error
		if len(locations) == 0 {
			rows, err = q.Query(ctx, `SELECT `+invStockColumns+` WHERE tenant_id = $1 AND item = $2 ORDER BY location FOR UPDATE`,
				tenant, item)
		} else {
			locs := slices.Clone(locations)
			slices.Sort(locs)
			locs = slices.Compact(locs)
			if _, err := q.Exec(ctx, `INSERT INTO erp_inventory_stock (tenant_id, item, location)
				SELECT $1, $2, l FROM unnest($3::text[]) AS l ORDER BY l ON CONFLICT DO NOTHING`, tenant, item, locs); err != nil {
				return err
			}
			rows, err = q.Query(ctx, `SELECT `+invStockColumns+` WHERE tenant_id = $1 AND item = $2 AND location = ANY($3)
				ORDER BY location FOR UPDATE`, tenant, item, locs)
		}
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.Stock, error) { return invScanStock(r) })
		return err
	})
	return out, err
}

// PutInventoryStock implements inventory.Store.
func (s *Store) PutInventoryStock(ctx context.Context, tenant string, stock []inventory.Stock) error {
	return s.single(ctx, func(q querier) error {
		for _, st := range stock {
			layers := make([][2]string, len(st.Layers))
			for i, l := range st.Layers {
				layers[i] = [2]string{l.Qty.String(), l.Value.String()}
			}
			if _, err := q.Exec(ctx, `INSERT INTO erp_inventory_stock (tenant_id, item, location, qty, value, reserved,
				layers, last_cost_qty, last_cost_value, last_date, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				ON CONFLICT (tenant_id, item, location) DO UPDATE SET qty = excluded.qty, value = excluded.value,
				reserved = excluded.reserved, layers = excluded.layers, last_cost_qty = excluded.last_cost_qty,
				last_cost_value = excluded.last_cost_value, last_date = excluded.last_date, seq = excluded.seq`,
				tenant, st.Item, st.Location, invNumeric(st.Qty), invNumeric(st.Value), invNumeric(st.Reserved), invJSON(layers),
				invNumeric(st.LastCost.Qty), invNumeric(st.LastCost.Value), invDate(st.LastDate), st.Seq); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveInventoryMovement implements inventory.Store.
func (s *Store) SaveInventoryMovement(ctx context.Context, tenant string, m inventory.Movement, lines []inventory.StockLine) error {
	var key, entry any
	if m.IdempotencyKey != "" {
		key = m.IdempotencyKey
	}
	if m.EntryID != uuid.Nil {
		entry = [16]byte(m.EntryID)
	}
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_movements (tenant_id, id, kind, movement_date, reference,
			idempotency_key, item, location, to_location, qty, unit, unit_cost, counted, dimensions, lot, expiry, stock_qty,
			entry_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			tenant, [16]byte(m.ID), string(m.Kind), invDate(m.Date), m.Reference, key, m.Item, m.Location, m.To, invNumeric(m.Qty),
			m.Unit, invNumeric(m.UnitCost), invNumeric(m.Counted), invDims(m.Dimensions), m.Lot, invDate(m.Expiry),
			invNumeric(m.StockQty), entry, m.CreatedAt.UTC())
		if eqUnique(err, "erp_inventory_movements_key") {
			return invCallback("%w: key %q", inventory.ErrIdempotencyConflict, m.IdempotencyKey)
		}
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, l := range lines {
			b.Queue(`INSERT INTO erp_inventory_lines (tenant_id, movement_id, leg, seq, line_date, kind, item, location, qty,
				inventory_account, counter_account, variance_account, dimensions, lot, expiry)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
				tenant, [16]byte(l.Movement), l.Leg, l.Seq, invDate(l.Date), string(l.Kind), l.Item, l.Location, invNumeric(l.Qty),
				l.InventoryAccount, l.CounterAccount, l.VarianceAccount, invDims(l.Dimensions), l.Lot, invDate(l.Expiry))
			b.Queue(`INSERT INTO erp_inventory_line_values (tenant_id, movement_id, leg, basis, has_basis, value, variance)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				tenant, [16]byte(l.Movement), l.Leg, invNumeric(l.Basis), l.HasBasis, invNumeric(l.Value), invNumeric(l.Variance))
			if l.Lot == "" {
				continue
			}
			if l.Qty.IsNegative() {
				b.Queue(`UPDATE erp_inventory_lots SET qty = qty + $5 WHERE tenant_id = $1 AND item = $2 AND location = $3 AND lot = $4`,
					tenant, l.Item, l.Location, l.Lot, invNumeric(l.Qty))
				continue
			}
			b.Queue(`INSERT INTO erp_inventory_lots (tenant_id, item, location, lot, expiry, qty) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (tenant_id, item, location, lot) DO UPDATE SET qty = erp_inventory_lots.qty + excluded.qty,
				expiry = coalesce(erp_inventory_lots.expiry, excluded.expiry)`,
				tenant, l.Item, l.Location, l.Lot, invDate(l.Expiry), invNumeric(l.Qty))
		}
		sql, args := syEventsStatement(tenant, outbox.Inventory(m))
		b.Queue(sql, args...)
		return q.SendBatch(ctx, b).Close()
	})
}

// UpdateInventoryHistory implements inventory.Store: one statement over
// arrays of the changes (amounts as integer ten-thousandths), each value row
// found by its primary key.
func (s *Store) UpdateInventoryHistory(ctx context.Context, tenant, item string, lines []inventory.HistoryLine) error {
	ids := make([][16]byte, len(lines))
	legs := make([]int16, len(lines))
	basis := make([]int64, len(lines))
	has := make([]bool, len(lines))
	value := make([]int64, len(lines))
	variance := make([]int64, len(lines))
	for i, l := range lines {
		ids[i], legs[i], basis[i], has[i] = [16]byte(l.Movement), int16(l.Leg), l.Basis, l.HasBasis
		value[i], variance[i] = l.Value, l.Variance
	}
	return s.single(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE erp_inventory_line_values AS l SET basis = c.basis::numeric / 10000,
			has_basis = c.has_basis, value = c.value::numeric / 10000, variance = c.variance::numeric / 10000
			FROM unnest($2::uuid[], $3::int2[], $4::int8[], $5::bool[], $6::int8[], $7::int8[])
				AS c(movement_id, leg, basis, has_basis, value, variance)
			WHERE l.tenant_id = $1 AND l.movement_id = c.movement_id AND l.leg = c.leg`,
			tenant, ids, legs, basis, has, value, variance)
		if err == nil && tag.RowsAffected() != int64(len(lines)) {
			return fmt.Errorf("postgres: %d of %d inventory lines of %s re-valued", tag.RowsAffected(), len(lines), item)
		}
		return err
	})
}

// invE4 is an amount (at most four decimals) in ten-thousandths.
func invE4(d decimal.Decimal) int64 { return d.Shift(4).IntPart() }

const invMovementColumns = `m.id, m.kind, m.movement_date, m.reference, coalesce(m.idempotency_key, ''), m.item, m.location,
	m.to_location, m.qty, m.unit, m.unit_cost, m.counted, m.dimensions, m.lot, m.expiry, m.stock_qty, m.entry_id, m.created_at,
	coalesce((SELECT value FROM erp_inventory_line_values v WHERE v.tenant_id = m.tenant_id AND v.movement_id = m.id AND v.leg = 0), 0)
	FROM erp_inventory_movements m`

func invScanMovement(row pgx.Row) (inventory.Movement, error) {
	var m inventory.Movement
	var id [16]byte
	var entry pgtype.UUID
	var date, expiry pgtype.Date
	var qty, cost, counted, sq, value pgtype.Numeric
	var dims []byte
	if err := row.Scan(&id, &m.Kind, &date, &m.Reference, &m.IdempotencyKey, &m.Item, &m.Location, &m.To, &qty, &m.Unit,
		&cost, &counted, &dims, &m.Lot, &expiry, &sq, &entry, &m.CreatedAt, &value); err != nil {
		return m, err
	}
	m.ID = uuid.UUID(id)
	if entry.Valid {
		m.EntryID = uuid.UUID(entry.Bytes)
	}
	m.Date, m.Expiry = invFromDate(date), invFromDate(expiry)
	m.Qty, m.UnitCost, m.Counted, m.StockQty = invDecimal(qty), invDecimal(cost), invDecimal(counted), invDecimal(sq)
	m.Value = invDecimal(value)
	if m.Kind != inventory.Adjustment {
		m.Value = m.Value.Abs()
	}
	m.CreatedAt = m.CreatedAt.UTC()
	var err error
	m.Dimensions, err = invParseDims(dims)
	return m, err
}

// InventoryMovement implements inventory.Store.
func (s *Store) InventoryMovement(ctx context.Context, tenant string, id uuid.UUID) (inventory.Movement, error) {
	m, err := invScanMovement(s.reader().QueryRow(ctx, `SELECT `+invMovementColumns+` WHERE m.tenant_id = $1 AND m.id = $2`,
		tenant, [16]byte(id)))
	return m, invRead(err, fmt.Errorf("%w: %s", inventory.ErrMovementNotFound, id))
}

// InventoryMovementByKey implements inventory.Store.
func (s *Store) InventoryMovementByKey(ctx context.Context, tenant, key string) (inventory.Movement, error) {
	m, err := invScanMovement(s.reader().QueryRow(ctx, `SELECT `+invMovementColumns+`
		WHERE m.tenant_id = $1 AND m.idempotency_key = $2`, tenant, key))
	return m, invRead(err, fmt.Errorf("%w: key %q", inventory.ErrMovementNotFound, key))
}

// InventoryLines implements inventory.Store.
func (s *Store) InventoryLines(ctx context.Context, tenant, item, location string, through ledger.Date) ([]inventory.StockLine, error) {
	upper := ledger.MustDate("9999-12-31")
	if !through.IsZero() {
		upper = through
	}
	// Quantities (six decimals) and amounts (four) travel as integers:
	// decoding 100,000 NUMERICs costs more than the query.
	const cols = `SELECT l.movement_id, l.leg, l.seq, l.line_date, l.kind, l.location, (l.qty * 1000000)::int8,
		(v.basis * 10000)::int8, v.has_basis, (v.value * 10000)::int8, (v.variance * 10000)::int8, l.inventory_account,
		l.counter_account, l.variance_account, l.dimensions, l.lot, l.expiry
		FROM erp_inventory_lines l JOIN erp_inventory_line_values v
			ON v.tenant_id = l.tenant_id AND v.movement_id = l.movement_id AND v.leg = l.leg `
	var rows pgx.Rows
	var err error
	if location == "" {
		rows, err = s.reader().Query(ctx, cols+`WHERE l.tenant_id = $1 AND l.item = $2 AND l.line_date <= $3
			ORDER BY l.location, l.line_date, l.seq`, tenant, item, invDate(upper))
	} else {
		rows, err = s.reader().Query(ctx, cols+`WHERE l.tenant_id = $1 AND l.item = $2 AND l.location = $3 AND l.line_date <= $4
			ORDER BY l.line_date, l.seq`, tenant, item, location, invDate(upper))
	}
	if err != nil {
		return nil, invRead(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.StockLine, error) {
		l := inventory.StockLine{Item: item}
		var id [16]byte
		var date, expiry pgtype.Date
		var q, basis, value, variance int64
		var leg int16
		var dims []byte
		if err := r.Scan(&id, &leg, &l.Seq, &date, &l.Kind, &l.Location, &q, &basis, &l.HasBasis, &value, &variance,
			&l.InventoryAccount, &l.CounterAccount, &l.VarianceAccount, &dims, &l.Lot, &expiry); err != nil {
			return l, err
		}
		l.Movement, l.Leg = uuid.UUID(id), int(leg)
		l.Date, l.Expiry = invFromDate(date), invFromDate(expiry)
		l.Qty, l.Basis = decimal.New(q, -6), decimal.New(basis, -4)
		l.Value, l.Variance = decimal.New(value, -4), decimal.New(variance, -4)
		var err error
		l.Dimensions, err = invParseDims(dims)
		return l, err
	})
	return out, invRead(err, nil)
}

// InventoryHistory implements inventory.Store, unordered (sorting 100,000
// wide rows spilled to disk; the engine orders them). The rows are decoded from
// their binary form by hand: quantities and amounts travel as integers,
// and lines share their dates, texts and dimensions (a history of 100,000
// lines then costs no allocation per line beyond the slice).
func (s *Store) InventoryHistory(ctx context.Context, tenant, item string, from ledger.Date) ([]inventory.HistoryLine, error) {
	lower := ledger.MustDate("0001-01-01")
	if !from.IsZero() {
		lower = from
	}
	rows, err := s.reader().Query(ctx, `SELECT l.movement_id, l.leg, l.seq, l.line_date, l.qty,
			v.basis, v.has_basis, v.value, v.variance,
			l.kind, l.location, l.inventory_account, l.counter_account, l.variance_account, l.dimensions::text
		FROM erp_inventory_lines l JOIN erp_inventory_line_values v
			ON v.tenant_id = l.tenant_id AND v.movement_id = l.movement_id AND v.leg = l.leg
		WHERE l.tenant_id = $1 AND l.item = $2 AND l.line_date >= $3`, tenant, item, invDate(lower))
	if err != nil {
		return nil, invRead(err, nil)
	}
	defer rows.Close()
	for i, f := range rows.FieldDescriptions() {
		if i < 9 && f.Format != pgx.BinaryFormatCode {
			return nil, fmt.Errorf("postgres: inventory history column %s not in binary format", f.Name)
		}
	}
	texts := map[string]string{}
	intern := func(b []byte) string {
		if t, ok := texts[string(b)]; ok {
			return t
		}
		t := string(b)
		texts[t] = t
		return t
	}
	dims := map[string]map[string]string{}
	// Collected in blocks, copied once: growing one slice of 100,000 wide
	// lines copies them over and over.
	var blocks [][]inventory.HistoryLine
	block := make([]inventory.HistoryLine, 0, 1024)
	lastDay, date := int32(math.MinInt32), ledger.Date{}
	epoch := ledger.MustDate("2000-01-01")
	for rows.Next() {
		v := rows.RawValues()
		if len(v) != 15 || len(v[0]) != 16 || len(v[1]) != 2 || len(v[2]) != 8 || len(v[3]) != 4 || len(v[6]) != 1 {
			return nil, fmt.Errorf("postgres: inventory history of %s: unexpected row", item)
		}
		be := binary.BigEndian
		l := inventory.HistoryLine{Movement: uuid.UUID(v[0]), Leg: int(int16(be.Uint16(v[1]))), Seq: int64(be.Uint64(v[2])),
			HasBasis: v[6][0] == 1}
		for _, c := range []struct {
			raw   []byte
			scale int
			out   *int64
		}{{v[4], inventory.QuantityScale, &l.Qty}, {v[5], inventory.AmountScale, &l.Basis}, {v[7], inventory.AmountScale, &l.Value},
			{v[8], inventory.AmountScale, &l.Variance}} {
			if *c.out, err = invScaled(c.raw, c.scale); err != nil {
				return nil, fmt.Errorf("postgres: inventory history of %s: %w", item, err)
			}
		}
		if day := int32(be.Uint32(v[3])); day != lastDay {
			lastDay, date = day, epoch.AddDays(int(day))
		}
		l.Date = date
		l.Kind = inventory.Kind(intern(v[9]))
		l.Location, l.InventoryAccount, l.CounterAccount, l.VarianceAccount = intern(v[10]), intern(v[11]), intern(v[12]), intern(v[13])
		d, ok := dims[string(v[14])]
		if !ok {
			if d, err = invParseDims(v[14]); err != nil {
				return nil, err
			}
			dims[string(v[14])] = d
		}
		l.Dimensions = d
		if len(block) == cap(block) {
			blocks = append(blocks, block)
			block = make([]inventory.HistoryLine, 0, 2*cap(block))
		}
		block = append(block, l)
	}
	if err := rows.Err(); err != nil {
		return nil, invRead(err, nil)
	}
	n := len(block)
	for _, b := range blocks {
		n += len(b)
	}
	out := make([]inventory.HistoryLine, 0, n+2) // room for a movement's new lines
	for _, b := range append(blocks, block) {
		out = append(out, b...)
	}
	return out, nil
}

// invScaled decodes a NUMERIC in binary form (digits in base 10,000) to an
// integer count of 10^-scale, failing when it has more decimals or does not
// fit: the server then need not convert each amount.
func invScaled(b []byte, scale int) (int64, error) {
	if len(b) < 8 {
		return 0, fmt.Errorf("numeric of %d bytes", len(b))
	}
	be := binary.BigEndian
	n, weight, sign := int(int16(be.Uint16(b))), int(int16(be.Uint16(b[2:]))), be.Uint16(b[4:])
	if len(b) != 8+2*n || (sign != 0 && sign != 0x4000) {
		return 0, fmt.Errorf("numeric not finite or malformed")
	}
	var out int64
	for i := range n {
		d := int64(be.Uint16(b[8+2*i:]))
		e := 4*(weight-i) + scale // the digit's power of ten
		switch {
		case d == 0:
			continue
		case e < 0:
			if e < -4 || d%pow10(-e) != 0 {
				return 0, fmt.Errorf("numeric with more than %d decimals", scale)
			}
			d /= pow10(-e)
		case e > 18 || d > math.MaxInt64/pow10(e):
			return 0, fmt.Errorf("numeric out of range")
		default:
			d *= pow10(e)
		}
		if out > math.MaxInt64-d {
			return 0, fmt.Errorf("numeric out of range")
		}
		out += d
	}
	if sign == 0x4000 {
		out = -out
	}
	return out, nil
}

func pow10(n int) int64 {
	r := int64(1)
	for range n {
		r *= 10
	}
	return r
}

// InventoryStock implements inventory.Store.
func (s *Store) InventoryStock(ctx context.Context, tenant string, f inventory.StockFilter) ([]inventory.Stock, error) {
	rows, err := s.reader().Query(ctx, `SELECT `+invStockColumns+` s WHERE s.tenant_id = $1
		AND ($2 = '' OR s.item = $2) AND ($3 = '' OR s.location = $3)
		AND ($4 = '' OR EXISTS (SELECT 1 FROM erp_inventory_items i WHERE i.tenant_id = s.tenant_id AND i.code = s.item AND i.category = $4))
		ORDER BY s.item, s.location`, tenant, f.Item, f.Location, f.Category)
	if err != nil {
		return nil, invRead(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.Stock, error) { return invScanStock(r) })
	return out, invRead(err, nil)
}

// InventoryValues implements inventory.Store.
func (s *Store) InventoryValues(ctx context.Context, tenant string, asOf ledger.Date, f inventory.StockFilter) ([]inventory.StockValue, error) {
	rows, err := s.reader().Query(ctx, `SELECT l.item, l.location, sum(l.qty), sum(v.value) FROM erp_inventory_lines l
		JOIN erp_inventory_line_values v ON v.tenant_id = l.tenant_id AND v.movement_id = l.movement_id AND v.leg = l.leg
		WHERE l.tenant_id = $1 AND l.line_date <= $2 AND ($3 = '' OR l.item = $3) AND ($4 = '' OR l.location = $4)
		AND ($5 = '' OR EXISTS (SELECT 1 FROM erp_inventory_items i WHERE i.tenant_id = l.tenant_id AND i.code = l.item AND i.category = $5))
		GROUP BY l.item, l.location ORDER BY l.item, l.location`,
		tenant, invDate(asOf), f.Item, f.Location, f.Category)
	if err != nil {
		return nil, invRead(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.StockValue, error) {
		var v inventory.StockValue
		var q, val pgtype.Numeric
		err := r.Scan(&v.Item, &v.Location, &q, &val)
		v.Qty, v.Value = invDecimal(q), invDecimal(val)
		return v, err
	})
	return out, invRead(err, nil)
}

// InventoryLots implements inventory.Store.
func (s *Store) InventoryLots(ctx context.Context, tenant, item, location string) ([]inventory.Lot, error) {
	rows, err := s.reader().Query(ctx, `SELECT lot, expiry, qty FROM erp_inventory_lots
		WHERE tenant_id = $1 AND item = $2 AND location = $3 AND qty <> 0
		ORDER BY expiry NULLS LAST, lot`, tenant, item, location)
	if err != nil {
		return nil, invRead(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (inventory.Lot, error) {
		l := inventory.Lot{Item: item, Location: location}
		var expiry pgtype.Date
		var q pgtype.Numeric
		err := r.Scan(&l.Lot, &expiry, &q)
		l.Expiry, l.Qty = invFromDate(expiry), invDecimal(q)
		return l, err
	})
	return out, invRead(err, nil)
}

// InventoryReservation implements inventory.Store.
func (s *Store) InventoryReservation(ctx context.Context, tenant, key string) (inventory.Reservation, bool, error) {
	r := inventory.Reservation{Key: key}
	var qty pgtype.Numeric
	err := s.reader().QueryRow(ctx, `SELECT item, location, qty, created_at FROM erp_inventory_reservations
		WHERE tenant_id = $1 AND idempotency_key = $2`, tenant, key).Scan(&r.Item, &r.Location, &qty, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return inventory.Reservation{}, false, nil
	}
	if err != nil {
		return inventory.Reservation{}, false, interpretError(err, nil)
	}
	r.Qty = invDecimal(qty)
	return r, true, nil
}

// SaveInventoryReservation implements inventory.Store.
func (s *Store) SaveInventoryReservation(ctx context.Context, tenant string, r inventory.Reservation) error {
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_inventory_reservations (tenant_id, idempotency_key, item, location, qty,
			created_at) VALUES ($1, $2, $3, $4, $5, $6)`, tenant, r.Key, r.Item, r.Location, invNumeric(r.Qty), r.At.UTC())
		if eqUnique(err, "erp_inventory_reservations_pkey") {
			return invCallback("%w: key %q", inventory.ErrIdempotencyConflict, r.Key)
		}
		return err
	})
}
