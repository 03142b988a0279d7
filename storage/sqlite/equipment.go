package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"math"
	"strings"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// The equipment engine's storage. Tables are in migrations/0002_equipment.sql:
// times are integer microseconds (UTC), quantities integer thousandths.

var _ equipment.Store = (*Store)(nil)

func eqMicros(t time.Time) int64 { return t.UnixMicro() }

func eqTime(us int64) time.Time { return time.UnixMicro(us).UTC() }

// eqMilli converts a validated quantity (at most three decimals) to thousandths.
func eqMilli(d decimal.Decimal) int64 { return d.Shift(3).IntPart() }

func eqDecimal(milli int64) decimal.Decimal { return decimal.New(milli, -3) }

// eqUpper is the microsecond bound of a span: To, or the end of time when
// To is zero (open).
func eqUpper(span equipment.Span) int64 {
	if span.To.IsZero() {
		return math.MaxInt64
	}
	return eqMicros(span.To)
}

// eqMaxLogUS bounds a usage log's length (a shift lasts at most 24 hours), so
// that overlap searches use the start index.
const eqMaxLogUS = int64(24 * time.Hour / time.Microsecond)

func eqDate(d ledger.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func eqIsUniqueViolation(err error) bool {
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code()
	return c == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY || c == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE
}

const eqColumns = `code, class, make, model, serial, site, fleet, ownership, status, coalesce(commissioned, ''), created_at
	FROM erp_equipment`

func eqScanEquipment(sc interface{ Scan(...any) error }) (equipment.Equipment, error) {
	var e equipment.Equipment
	var comm, created string
	if err := sc.Scan(&e.Code, &e.Class, &e.Make, &e.Model, &e.Serial, &e.Site, &e.Fleet, &e.Ownership, &e.Status, &comm, &created); err != nil {
		return e, err
	}
	var err error
	if comm != "" {
		if e.Commissioned, err = ledger.ParseDate(comm); err != nil {
			return e, err
		}
	}
	e.CreatedAt, err = parseTime(created)
	return e, err
}

func eqGetEquipment(ctx context.Context, q querier, tenant, code string) (equipment.Equipment, error) {
	e, err := eqScanEquipment(q.QueryRowContext(ctx, `SELECT `+eqColumns+` WHERE tenant_id = ? AND code = ?`, tenant, code))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("%w: %s", equipment.ErrEquipmentNotFound, code)
	}
	return e, err
}

// CreateEquipment implements equipment.Store.
func (s *Store) CreateEquipment(ctx context.Context, tenant string, e equipment.Equipment) error {
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_equipment
			(tenant_id, code, class, make, model, serial, site, fleet, ownership, status, commissioned, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, e.Code, e.Class, e.Make, e.Model, e.Serial, e.Site, e.Fleet, string(e.Ownership), string(e.Status),
			eqDate(e.Commissioned), formatTime(e.CreatedAt))
		if eqIsUniqueViolation(err) {
			return fmt.Errorf("%w: %s", equipment.ErrEquipmentExists, e.Code)
		}
		return err
	})
}

// UpdateEquipment implements equipment.Store.
func (s *Store) UpdateEquipment(ctx context.Context, tenant, code string, fn func(e *equipment.Equipment) error) (equipment.Equipment, error) {
	var out equipment.Equipment
	err := s.write(ctx, func(q querier) error {
		e, err := eqGetEquipment(ctx, q, tenant, code)
		if err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
		e.Code = code
		_, err = q.ExecContext(ctx, `UPDATE erp_equipment SET class = ?, make = ?, model = ?, serial = ?, site = ?,
			fleet = ?, ownership = ?, status = ?, commissioned = ? WHERE tenant_id = ? AND code = ?`,
			e.Class, e.Make, e.Model, e.Serial, e.Site, e.Fleet, string(e.Ownership), string(e.Status), eqDate(e.Commissioned),
			tenant, code)
		if err != nil {
			return err
		}
		out, err = eqGetEquipment(ctx, q, tenant, code)
		return err
	})
	return out, err
}

// Equipment implements equipment.Store.
func (s *Store) Equipment(ctx context.Context, tenant, code string) (equipment.Equipment, error) {
	return eqGetEquipment(ctx, s.reader(), tenant, code)
}

// Fleet implements equipment.Store.
func (s *Store) Fleet(ctx context.Context, tenant string, f equipment.Filter) ([]equipment.Equipment, error) {
	return eqFleet(ctx, s.reader(), tenant, f)
}

func eqFleet(ctx context.Context, q querier, tenant string, f equipment.Filter) ([]equipment.Equipment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eqColumns+` WHERE tenant_id = ?
		AND (? = '' OR class = ?) AND (? = '' OR site = ?) AND (? = '' OR fleet = ?) AND (? = '' OR status = ?)
		ORDER BY code`, tenant, f.Class, f.Class, f.Site, f.Site, f.Fleet, f.Fleet, string(f.Status), string(f.Status))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []equipment.Equipment
	for rows.Next() {
		e, err := eqScanEquipment(rows)
		if err != nil {
			return nil, err
		}
		if f.Matches(e) {
			out = append(out, e)
		}
	}
	return out, rows.Err()
}

type eqShift struct {
	Name   string `json:"name"`
	Start  int64  `json:"start_minute"`
	Length int64  `json:"length_minutes"`
}

// PutShiftCalendar implements equipment.Store.
func (s *Store) PutShiftCalendar(ctx context.Context, tenant string, c equipment.Calendar) error {
	shifts := make([]eqShift, len(c.Shifts))
	for i, sh := range c.Shifts {
		shifts[i] = eqShift{sh.Name, int64(sh.Start / time.Minute), int64(sh.Length / time.Minute)}
	}
	off := make([]string, len(c.Off))
	for i, d := range c.Off {
		off[i] = d.String()
	}
	days := make([]int, len(c.Weekdays))
	for i, d := range c.Weekdays {
		days[i] = int(d)
	}
	sj, _ := json.Marshal(shifts) // plain structs always marshal
	dj, _ := json.Marshal(days)
	oj, _ := json.Marshal(off)
	return s.write(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_equipment_calendars (tenant_id, site, time_zone, shifts, weekdays, off_dates)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, site) DO UPDATE SET time_zone = excluded.time_zone, shifts = excluded.shifts,
			weekdays = excluded.weekdays, off_dates = excluded.off_dates`,
			tenant, c.Site, c.TimeZone, string(sj), string(dj), string(oj))
		return err
	})
}

// ShiftCalendar implements equipment.Store.
func (s *Store) ShiftCalendar(ctx context.Context, tenant, site string) (equipment.Calendar, error) {
	c := equipment.Calendar{Site: site}
	var sj, dj, oj string
	err := s.reader().QueryRowContext(ctx, `SELECT time_zone, shifts, weekdays, off_dates FROM erp_equipment_calendars
		WHERE tenant_id = ? AND site = ?`, tenant, site).Scan(&c.TimeZone, &sj, &dj, &oj)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%w: %s", equipment.ErrCalendarNotFound, site)
	}
	if err != nil {
		return c, err
	}
	var shifts []eqShift
	var days []int
	var off []string
	if err := errors.Join(json.Unmarshal([]byte(sj), &shifts), json.Unmarshal([]byte(dj), &days), json.Unmarshal([]byte(oj), &off)); err != nil {
		return c, err
	}
	for _, sh := range shifts {
		c.Shifts = append(c.Shifts, equipment.Shift{Name: sh.Name, Start: time.Duration(sh.Start) * time.Minute, Length: time.Duration(sh.Length) * time.Minute})
	}
	for _, d := range days {
		c.Weekdays = append(c.Weekdays, time.Weekday(d))
	}
	for _, o := range off {
		d, err := ledger.ParseDate(o)
		if err != nil {
			return c, err
		}
		c.Off = append(c.Off, d)
	}
	return c, nil
}

const eqLogColumns = `id, equipment, shift_date, shift, operator, start_us, end_us, start_meter, end_meter,
	operating_milli, activity, site, fuel_milli, created_at FROM erp_equipment_usage_logs`

func eqScanLogs(rows *sql.Rows) ([]equipment.UsageLog, error) {
	defer rows.Close()
	var out []equipment.UsageLog
	for rows.Next() {
		var l equipment.UsageLog
		var id, date, created string
		var start, end, sm, em, op, fuel int64
		if err := rows.Scan(&id, &l.Equipment, &date, &l.Shift, &l.Operator, &start, &end, &sm, &em, &op,
			&l.Activity, &l.Site, &fuel, &created); err != nil {
			return nil, err
		}
		var err error
		if l.ID, err = uuid.Parse(id); err != nil {
			return nil, err
		}
		if l.ShiftDate, err = ledger.ParseDate(date); err != nil {
			return nil, err
		}
		if l.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		l.Start, l.End = eqTime(start), eqTime(end)
		l.StartMeter, l.EndMeter, l.OperatingHours, l.Fuel = eqDecimal(sm), eqDecimal(em), eqDecimal(op), eqDecimal(fuel)
		out = append(out, l)
	}
	return out, rows.Err()
}

const eqStoppageColumns = `id, equipment, start_us, end_us, reason, category, notes, created_at FROM erp_equipment_stoppages`

func eqScanStoppage(sc interface{ Scan(...any) error }) (equipment.Stoppage, error) {
	var st equipment.Stoppage
	var id, created string
	var start int64
	var end sql.NullInt64
	if err := sc.Scan(&id, &st.Equipment, &start, &end, &st.Reason, &st.Category, &st.Notes, &created); err != nil {
		return st, err
	}
	var err error
	if st.ID, err = uuid.Parse(id); err != nil {
		return st, err
	}
	st.Start = eqTime(start)
	if end.Valid {
		st.End = eqTime(end.Int64)
	}
	st.CreatedAt, err = parseTime(created)
	return st, err
}

func eqScanStoppages(rows *sql.Rows) ([]equipment.Stoppage, error) {
	defer rows.Close()
	var out []equipment.Stoppage
	for rows.Next() {
		st, err := eqScanStoppage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func eqMachineLogs(ctx context.Context, q querier, tenant, code string, from, to int64) ([]equipment.UsageLog, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eqLogColumns+` WHERE tenant_id = ? AND equipment = ?
		AND start_us > ? AND start_us < ? AND end_us > ? ORDER BY start_us`, tenant, code, eqSatSub(from, eqMaxLogUS), to, from)
	if err != nil {
		return nil, err
	}
	return eqScanLogs(rows)
}

func eqSatSub(a, b int64) int64 {
	if a < math.MinInt64+b {
		return math.MinInt64
	}
	return a - b
}

func eqMachineStoppages(ctx context.Context, q querier, tenant, code string, from, to int64) ([]equipment.Stoppage, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eqStoppageColumns+` WHERE tenant_id = ? AND equipment = ?
		AND start_us < ? AND (end_us IS NULL OR end_us > ?) ORDER BY start_us`, tenant, code, to, from)
	if err != nil {
		return nil, err
	}
	return eqScanStoppages(rows)
}

var eqMeters = []equipment.Meter{equipment.HourMeter, equipment.Odometer}

const eqReadingColumns = `meter, at_us, value_milli, kind FROM erp_equipment_meter_readings`

func eqScanReadings(rows *sql.Rows, out []equipment.Reading) ([]equipment.Reading, error) {
	defer rows.Close()
	for rows.Next() {
		var r equipment.Reading
		var at, v int64
		if err := rows.Scan(&r.Meter, &at, &v, &r.Kind); err != nil {
			return nil, err
		}
		r.At, r.Value = eqTime(at), eqDecimal(v)
		out = append(out, r)
	}
	return out, rows.Err()
}

// RecordMachine implements equipment.Store.
func (s *Store) RecordMachine(ctx context.Context, tenant, code string, span equipment.Span, check func(equipment.State) (equipment.Change, error)) error {
	return s.write(ctx, func(q querier) error {
		// The writer holds the database's only write lock: RecordMachine calls of a
		// machine (of any machine) run one after another.
		m, err := eqGetEquipment(ctx, q, tenant, code)
		if err != nil {
			return err
		}
		st := equipment.State{Equipment: m}
		from, to := eqMicros(span.From), eqUpper(span)
		if st.Logs, err = eqMachineLogs(ctx, q, tenant, code, from, to); err != nil {
			return err
		}
		if st.Stoppages, err = eqMachineStoppages(ctx, q, tenant, code, from, to); err != nil {
			return err
		}
		for _, meter := range eqMeters {
			for _, query := range []string{
				`SELECT ` + eqReadingColumns + ` WHERE tenant_id = ? AND equipment = ? AND meter = ? AND at_us < ?
					ORDER BY at_us DESC, ord DESC, seq DESC LIMIT 1`,
				`SELECT ` + eqReadingColumns + ` WHERE tenant_id = ? AND equipment = ? AND meter = ? AND at_us >= ? AND at_us <= ?`,
				`SELECT ` + eqReadingColumns + ` WHERE tenant_id = ? AND equipment = ? AND meter = ? AND at_us > ?
					ORDER BY at_us, ord, seq LIMIT 1`,
			} {
				args := []any{tenant, code, string(meter)}
				switch {
				case strings.Contains(query, "at_us < ?"):
					args = append(args, from)
				case strings.Contains(query, "at_us >= ?"):
					args = append(args, from, to)
				default:
					args = append(args, to)
				}
				rows, err := q.QueryContext(ctx, query, args...)
				if err != nil {
					return err
				}
				if st.Readings, err = eqScanReadings(rows, st.Readings); err != nil {
					return err
				}
			}
		}
		c, err := check(st)
		if err != nil {
			return err
		}
		if err := eqApplyChange(ctx, q, tenant, code, c); err != nil {
			return err
		}
		_, err = syAppendEvents(ctx, q, tenant, outbox.Equipment(code, c)...)
		return err
	})
}

func eqApplyChange(ctx context.Context, q querier, tenant, code string, c equipment.Change) error {
	if l := c.Log; l != nil {
		if _, err := q.ExecContext(ctx, `INSERT INTO erp_equipment_usage_logs (tenant_id, id, equipment, shift_date, shift,
			operator, start_us, end_us, start_meter, end_meter, operating_milli, activity, site, fuel_milli, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, l.ID.String(), code, l.ShiftDate.String(), l.Shift, l.Operator, eqMicros(l.Start), eqMicros(l.End),
			eqMilli(l.StartMeter), eqMilli(l.EndMeter), eqMilli(l.OperatingHours), l.Activity, l.Site, eqMilli(l.Fuel),
			formatTime(l.CreatedAt)); err != nil {
			return err
		}
	}
	if st := c.NewStoppage; st != nil {
		var end any
		if !st.End.IsZero() {
			end = eqMicros(st.End)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO erp_equipment_stoppages (tenant_id, id, equipment, start_us, end_us,
			reason, category, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, st.ID.String(), code, eqMicros(st.Start), end, st.Reason, string(st.Category), st.Notes,
			formatTime(st.CreatedAt)); err != nil {
			return err
		}
	}
	if st := c.EndStoppage; st != nil {
		res, err := q.ExecContext(ctx, `UPDATE erp_equipment_stoppages SET end_us = ?, notes = ?
			WHERE tenant_id = ? AND id = ? AND equipment = ? AND end_us IS NULL`,
			eqMicros(st.End), st.Notes, tenant, st.ID.String(), code)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(err, fmt.Errorf("%w: %s", equipment.ErrStoppageEnded, st.ID))
		}
	}
	for _, r := range c.Readings {
		if _, err := q.ExecContext(ctx, `INSERT INTO erp_equipment_meter_readings
			(tenant_id, equipment, meter, at_us, ord, seq, value_milli, kind)
			SELECT ?1, ?2, ?3, ?4, ?5, coalesce(max(seq) + 1, 0), ?6, ?7 FROM erp_equipment_meter_readings
			WHERE tenant_id = ?1 AND equipment = ?2 AND meter = ?3 AND at_us = ?4 AND ord = ?5`,
			tenant, code, string(r.Meter), eqMicros(r.At), r.Kind.Order(), eqMilli(r.Value), string(r.Kind)); err != nil {
			return err
		}
	}
	return nil
}

// Stoppage implements equipment.Store.
func (s *Store) Stoppage(ctx context.Context, tenant string, id uuid.UUID) (equipment.Stoppage, error) {
	st, err := eqScanStoppage(s.reader().QueryRowContext(ctx, `SELECT `+eqStoppageColumns+` WHERE tenant_id = ? AND id = ?`,
		tenant, id.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("%w: %s", equipment.ErrStoppageNotFound, id)
	}
	return st, err
}

// UsageLogs implements equipment.Store.
func (s *Store) UsageLogs(ctx context.Context, tenant, code string, w equipment.Window) ([]equipment.UsageLog, error) {
	return eqMachineLogs(ctx, s.reader(), tenant, code, eqMicros(w.From), eqMicros(w.To))
}

// Stoppages implements equipment.Store.
func (s *Store) Stoppages(ctx context.Context, tenant, code string, w equipment.Window) ([]equipment.Stoppage, error) {
	return eqMachineStoppages(ctx, s.reader(), tenant, code, eqMicros(w.From), eqMicros(w.To))
}

// MeterReadings implements equipment.Store.
func (s *Store) MeterReadings(ctx context.Context, tenant, code string, m equipment.Meter) ([]equipment.Reading, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+eqReadingColumns+` WHERE tenant_id = ? AND equipment = ? AND meter = ?
		ORDER BY at_us, ord, seq`, tenant, code, string(m))
	if err != nil {
		return nil, err
	}
	return eqScanReadings(rows, nil)
}

// EquipmentActivity implements equipment.Store. The logs and stoppages of the
// tenant in the window are read in one pass each, by start.
func (s *Store) EquipmentActivity(ctx context.Context, tenant string, f equipment.Filter, w equipment.Window) ([]equipment.Activity, error) {
	// One read transaction, so that the three reads see one snapshot.
	q, done, err := s.snapshot(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer done()
	machines, err := eqFleet(ctx, q, tenant, f)
	if err != nil {
		return nil, err
	}
	out := make([]equipment.Activity, len(machines))
	idx := make(map[string]int, len(machines))
	for i, m := range machines {
		out[i].Equipment = m
		idx[m.Code] = i
	}
	if len(machines) == 0 {
		return out, nil
	}
	from, to := eqMicros(w.From), eqMicros(w.To)
	// A few machines of a large fleet: their own index ranges. Otherwise
	// the tenant's logs in the window, in one pass of the covering index.
	if len(machines) <= eqPerMachineLimit {
		for i, m := range machines {
			rows, err := q.QueryContext(ctx, `SELECT equipment, start_us, end_us, operating_milli, end_meter - start_meter
				FROM erp_equipment_usage_logs WHERE tenant_id = ? AND equipment = ? AND start_us > ? AND start_us < ? AND end_us > ?
				ORDER BY start_us`, tenant, m.Code, eqSatSub(from, eqMaxLogUS), to, from)
			if err != nil {
				return nil, err
			}
			if err := eqScanSpans(rows, out, idx, eqSpanHint(w)); err != nil {
				return nil, err
			}
			if out[i].Stoppages, err = eqMachineStoppages(ctx, q, tenant, m.Code, from, to); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT equipment, start_us, end_us, operating_milli, end_meter - start_meter
		FROM erp_equipment_usage_logs WHERE tenant_id = ? AND start_us > ? AND start_us < ? AND end_us > ?
		ORDER BY start_us`, tenant, eqSatSub(from, eqMaxLogUS), to, from)
	if err != nil {
		return nil, err
	}
	if err := eqScanSpans(rows, out, idx, eqSpanHint(w)); err != nil {
		return nil, err
	}
	srows, err := q.QueryContext(ctx, `SELECT `+eqActivityStoppageColumns+` WHERE tenant_id = ?
		AND start_us < ? AND (end_us IS NULL OR end_us > ?) ORDER BY start_us`, tenant, to, from)
	if err != nil {
		return nil, err
	}
	if err := eqScanActivityStoppages(srows, out, idx); err != nil {
		return nil, err
	}
	return out, nil
}

// eqPerMachineLimit: up to this many selected machines, EquipmentActivity
// reads each machine's index range instead of the whole tenant's window.
const eqPerMachineLimit = 32

func eqScanSpans(rows *sql.Rows, out []equipment.Activity, idx map[string]int, hint int) error {
	defer rows.Close()
	var code []byte
	for rows.Next() {
		var start, end, op, meter int64
		if err := rows.Scan(&code, &start, &end, &op, &meter); err != nil {
			return err
		}
		i, ok := idx[string(code)]
		if !ok {
			continue
		}
		if out[i].Logs == nil {
			out[i].Logs = make([]equipment.LogSpan, 0, hint)
		}
		out[i].Logs = append(out[i].Logs, equipment.LogSpan{Start: eqTime(start), End: eqTime(end), OperatingMilli: op, MeterMilli: meter})
	}
	return rows.Err()
}

// eqSpanHint is the capacity a machine's log slice starts with: two shifts a
// day over the window, at most a year's worth.
func eqSpanHint(w equipment.Window) int {
	return min(2*int(w.To.Sub(w.From)/(24*time.Hour))+2, 732)
}

// eqActivityStoppageColumns leaves out notes and creation times, which KPIs
// do not need.
const eqActivityStoppageColumns = `id, equipment, start_us, end_us, reason, category FROM erp_equipment_stoppages`

func eqScanActivityStoppages(rows *sql.Rows, out []equipment.Activity, idx map[string]int) error {
	defer rows.Close()
	var id, code, reason, cat []byte
	for rows.Next() {
		var start int64
		var end sql.NullInt64
		if err := rows.Scan(&id, &code, &start, &end, &reason, &cat); err != nil {
			return err
		}
		i, ok := idx[string(code)]
		if !ok {
			continue
		}
		uid, err := uuid.ParseBytes(id)
		if err != nil {
			return err
		}
		st := equipment.Stoppage{ID: uid, Equipment: out[i].Equipment.Code, Start: eqTime(start), Reason: string(reason),
			Category: equipment.Category(cat)}
		if end.Valid {
			st.End = eqTime(end.Int64)
		}
		out[i].Stoppages = append(out[i].Stoppages, st)
	}
	return rows.Err()
}
