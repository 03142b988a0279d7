package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
)

// The equipment engine's SQL. Tables are in migrations/0002_equipment.sql.

var _ equipment.Store = (*Store)(nil)

const (
	eqColumns = `code, class, make, model, serial, site, fleet, ownership, status, commissioned, created_at
	FROM erp_equipment`
	sqlEquipment          = `SELECT ` + eqColumns + ` WHERE tenant_id = $1 AND code = $2`
	sqlEquipmentForUpdate = sqlEquipment + ` FOR UPDATE`
	sqlFleet              = `SELECT ` + eqColumns + ` WHERE tenant_id = $1
	AND ($2 = '' OR class = $2) AND ($3 = '' OR site = $3) AND ($4 = '' OR fleet = $4) AND ($5 = '' OR status = $5)
	AND (cardinality($6::text[]) = 0 OR code = ANY($6))
	ORDER BY code`
	sqlCreateEquipment = `INSERT INTO erp_equipment
	(tenant_id, code, class, make, model, serial, site, fleet, ownership, status, commissioned, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
	sqlUpdateEquipment = `UPDATE erp_equipment SET class = $3, make = $4, model = $5, serial = $6, site = $7,
	fleet = $8, ownership = $9, status = $10, commissioned = $11 WHERE tenant_id = $1 AND code = $2`
	sqlPutCalendar = `INSERT INTO erp_equipment_calendars (tenant_id, site, time_zone, shifts, weekdays, off_dates)
	VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb)
	ON CONFLICT (tenant_id, site) DO UPDATE SET time_zone = excluded.time_zone, shifts = excluded.shifts,
	weekdays = excluded.weekdays, off_dates = excluded.off_dates`
	sqlCalendar = `SELECT time_zone, shifts, weekdays, off_dates FROM erp_equipment_calendars
	WHERE tenant_id = $1 AND site = $2`

	eqLogColumns = `id, equipment, shift_date, shift, operator, start_at, end_at, start_meter, end_meter,
	operating_hours, activity, site, fuel, created_at FROM erp_equipment_usage_logs`
	// Usage logs last at most a day: the lower bound on start_at lets the
	// start index find the logs that overlap a span.
	sqlMachineLogs = `SELECT ` + eqLogColumns + ` WHERE tenant_id = $1 AND equipment = $2
	AND start_at > $3::timestamptz - interval '24 hours' AND ($4::timestamptz IS NULL OR start_at < $4) AND end_at > $3
	ORDER BY start_at`
	eqStoppageColumns   = `id, equipment, start_at, end_at, reason, category, notes, created_at FROM erp_equipment_stoppages`
	sqlMachineStoppages = `SELECT ` + eqStoppageColumns + ` WHERE tenant_id = $1 AND equipment = $2
	AND ($4::timestamptz IS NULL OR start_at < $4) AND (end_at IS NULL OR end_at > $3)
	ORDER BY start_at`
	sqlStoppage = `SELECT ` + eqStoppageColumns + ` WHERE tenant_id = $1 AND id = $2`
	// The readings in [$3, $4] and, per meter, the one just before and the
	// one just after.
	sqlStateReadings = `SELECT x.meter, x.at, x.value, x.kind
	FROM (VALUES ('hour_meter'), ('odometer')) AS m (meter),
	LATERAL (SELECT meter, at, value, kind FROM erp_equipment_meter_readings r
		WHERE r.tenant_id = $1 AND r.equipment = $2 AND r.meter = m.meter AND r.at < $3
		ORDER BY r.at DESC, r.ord DESC, r.seq DESC LIMIT 1) AS x
	UNION ALL
	SELECT meter, at, value, kind FROM erp_equipment_meter_readings
		WHERE tenant_id = $1 AND equipment = $2 AND at >= $3 AND ($4::timestamptz IS NULL OR at <= $4)
	UNION ALL
	SELECT y.meter, y.at, y.value, y.kind
	FROM (VALUES ('hour_meter'), ('odometer')) AS m (meter),
	LATERAL (SELECT meter, at, value, kind FROM erp_equipment_meter_readings r
		WHERE r.tenant_id = $1 AND r.equipment = $2 AND r.meter = m.meter AND r.at > $4
		ORDER BY r.at, r.ord, r.seq LIMIT 1) AS y`
	sqlReadings = `SELECT meter, at, value, kind FROM erp_equipment_meter_readings
	WHERE tenant_id = $1 AND equipment = $2 AND meter = $3 ORDER BY at, ord, seq`
	sqlInsertLog = `INSERT INTO erp_equipment_usage_logs (tenant_id, id, equipment, shift_date, shift, operator,
	start_at, end_at, start_meter, end_meter, operating_hours, activity, site, fuel, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`
	sqlInsertStoppage = `INSERT INTO erp_equipment_stoppages (tenant_id, id, equipment, start_at, end_at, reason,
	category, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	sqlEndStoppage = `UPDATE erp_equipment_stoppages SET end_at = $4, notes = $5
	WHERE tenant_id = $1 AND id = $2 AND equipment = $3 AND end_at IS NULL`
	sqlInsertReading = `INSERT INTO erp_equipment_meter_readings (tenant_id, equipment, meter, at, ord, seq, value, kind)
	SELECT $1, $2, $3, $4, $5, coalesce(max(seq) + 1, 0), $6, $7 FROM erp_equipment_meter_readings
	WHERE tenant_id = $1 AND equipment = $2 AND meter = $3 AND at = $4 AND ord = $5`
	// Thousandths as integers (generated columns): NUMERIC arithmetic or
	// decoding by the hundred thousand costs more than the rest of a report.
	sqlActivityLogs = `SELECT equipment, start_at, end_at, operating_milli, meter_milli
	FROM erp_equipment_usage_logs WHERE tenant_id = $1
	AND start_at > $2::timestamptz - interval '24 hours' AND start_at < $3 AND end_at > $2
	ORDER BY start_at`
	sqlMachineSpans = `SELECT equipment, start_at, end_at, operating_milli, meter_milli
	FROM erp_equipment_usage_logs WHERE tenant_id = $1 AND equipment = $2
	AND start_at > $3::timestamptz - interval '24 hours' AND start_at < $4 AND end_at > $3
	ORDER BY start_at`
	sqlActivityStoppages = `SELECT ` + eqStoppageColumns + ` WHERE tenant_id = $1
	AND start_at < $3 AND (end_at IS NULL OR end_at > $2) ORDER BY start_at`
)

func eqNumeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func eqDecimal(n pgtype.Numeric) decimal.Decimal {
	if !n.Valid || n.Int == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(n.Int, n.Exp)
}

func eqDate(d ledger.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: d.Time(), Valid: true}
}

// eqTime is a nullable timestamptz: NULL for the zero time (open).
func eqTime(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t.UTC(), Valid: true}
}

// eqUnique reports a unique violation of the named constraint.
func eqUnique(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

func eqScanEquipment(row pgx.Row) (equipment.Equipment, error) {
	var e equipment.Equipment
	var comm pgtype.Date
	var own, status string
	if err := row.Scan(&e.Code, &e.Class, &e.Make, &e.Model, &e.Serial, &e.Site, &e.Fleet, &own, &status, &comm, &e.CreatedAt); err != nil {
		return e, err
	}
	e.Ownership, e.Status = equipment.Ownership(own), equipment.Status(status)
	if comm.Valid {
		e.Commissioned = ledger.DateOf(comm.Time)
	}
	e.CreatedAt = e.CreatedAt.UTC()
	return e, nil
}

func eqNotFoundEquipment(code string) error {
	return &callbackError{fmt.Errorf("%w: %s", equipment.ErrEquipmentNotFound, code)}
}

// CreateEquipment implements equipment.Store.
func (s *Store) CreateEquipment(ctx context.Context, tenant string, e equipment.Equipment) error {
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, sqlCreateEquipment, tenant, e.Code, e.Class, e.Make, e.Model, e.Serial, e.Site, e.Fleet,
			string(e.Ownership), string(e.Status), eqDate(e.Commissioned), e.CreatedAt.UTC())
		if eqUnique(err, "erp_equipment_pkey") {
			return &callbackError{fmt.Errorf("%w: %s", equipment.ErrEquipmentExists, e.Code)}
		}
		return err
	})
}

// UpdateEquipment implements equipment.Store.
func (s *Store) UpdateEquipment(ctx context.Context, tenant, code string, fn func(e *equipment.Equipment) error) (equipment.Equipment, error) {
	var out equipment.Equipment
	err := s.write(ctx, func(tx *txn) error {
		e, err := eqScanEquipment(tx.QueryRow(ctx, sqlEquipmentForUpdate, tenant, code))
		if err != nil {
			return interpretError(err, eqNotFoundEquipment(code))
		}
		orig := e
		if err := fn(&e); err != nil {
			return &callbackError{err}
		}
		e.Code, e.CreatedAt = orig.Code, orig.CreatedAt
		if _, err := tx.Exec(ctx, sqlUpdateEquipment, tenant, code, e.Class, e.Make, e.Model, e.Serial, e.Site, e.Fleet,
			string(e.Ownership), string(e.Status), eqDate(e.Commissioned)); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// Equipment implements equipment.Store.
func (s *Store) Equipment(ctx context.Context, tenant, code string) (equipment.Equipment, error) {
	e, err := eqScanEquipment(s.reader().QueryRow(ctx, sqlEquipment, tenant, code))
	if err != nil {
		return equipment.Equipment{}, interpretError(err, fmt.Errorf("%w: %s", equipment.ErrEquipmentNotFound, code))
	}
	return e, nil
}

// Fleet implements equipment.Store.
func (s *Store) Fleet(ctx context.Context, tenant string, f equipment.Filter) ([]equipment.Equipment, error) {
	return eqFleet(ctx, s.reader(), tenant, f)
}

func eqFleet(ctx context.Context, q querier, tenant string, f equipment.Filter) ([]equipment.Equipment, error) {
	codes := f.Codes
	if codes == nil {
		codes = []string{}
	}
	rows, err := q.Query(ctx, sqlFleet, tenant, f.Class, f.Site, f.Fleet, string(f.Status), codes)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (equipment.Equipment, error) { return eqScanEquipment(r) })
	return out, interpretError(err, nil)
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
	sj, _ := json.Marshal(shifts) // plain values always marshal
	dj, _ := json.Marshal(days)
	oj, _ := json.Marshal(off)
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, sqlPutCalendar, tenant, c.Site, c.TimeZone, string(sj), string(dj), string(oj))
		return err
	})
}

// ShiftCalendar implements equipment.Store.
func (s *Store) ShiftCalendar(ctx context.Context, tenant, site string) (equipment.Calendar, error) {
	c := equipment.Calendar{Site: site}
	var sj, dj, oj []byte
	err := s.reader().QueryRow(ctx, sqlCalendar, tenant, site).Scan(&c.TimeZone, &sj, &dj, &oj)
	if err != nil {
		return c, interpretError(err, fmt.Errorf("%w: %s", equipment.ErrCalendarNotFound, site))
	}
	var shifts []eqShift
	var days []int
	var off []string
	if err := errors.Join(json.Unmarshal(sj, &shifts), json.Unmarshal(dj, &days), json.Unmarshal(oj, &off)); err != nil {
		return c, err
	}
	for _, sh := range shifts {
		c.Shifts = append(c.Shifts, equipment.Shift{Name: sh.Name, Start: time.Duration(sh.Start) * time.Minute,
			Length: time.Duration(sh.Length) * time.Minute})
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

func eqScanLog(row pgx.Row) (equipment.UsageLog, error) {
	var l equipment.UsageLog
	var id [16]byte
	var date pgtype.Date
	var sm, em, op, fuel pgtype.Numeric
	if err := row.Scan(&id, &l.Equipment, &date, &l.Shift, &l.Operator, &l.Start, &l.End, &sm, &em, &op,
		&l.Activity, &l.Site, &fuel, &l.CreatedAt); err != nil {
		return l, err
	}
	l.ID = uuid.UUID(id)
	l.ShiftDate = ledger.DateOf(date.Time)
	l.Start, l.End, l.CreatedAt = l.Start.UTC(), l.End.UTC(), l.CreatedAt.UTC()
	l.StartMeter, l.EndMeter, l.OperatingHours, l.Fuel = eqDecimal(sm), eqDecimal(em), eqDecimal(op), eqDecimal(fuel)
	return l, nil
}

func eqScanStoppage(row pgx.Row) (equipment.Stoppage, error) {
	var st equipment.Stoppage
	var id [16]byte
	var end pgtype.Timestamptz
	var cat string
	if err := row.Scan(&id, &st.Equipment, &st.Start, &end, &st.Reason, &cat, &st.Notes, &st.CreatedAt); err != nil {
		return st, err
	}
	st.ID, st.Category = uuid.UUID(id), equipment.Category(cat)
	st.Start, st.CreatedAt = st.Start.UTC(), st.CreatedAt.UTC()
	if end.Valid {
		st.End = end.Time.UTC()
	}
	return st, nil
}

func eqScanReading(row pgx.Row) (equipment.Reading, error) {
	var r equipment.Reading
	var meter, kind string
	var v pgtype.Numeric
	if err := row.Scan(&meter, &r.At, &v, &kind); err != nil {
		return r, err
	}
	r.Meter, r.Kind, r.At, r.Value = equipment.Meter(meter), equipment.ReadingKind(kind), r.At.UTC(), eqDecimal(v)
	return r, nil
}

func eqMachineLogs(ctx context.Context, q querier, tenant, code string, from, to time.Time) ([]equipment.UsageLog, error) {
	rows, err := q.Query(ctx, sqlMachineLogs, tenant, code, from.UTC(), eqTime(to))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (equipment.UsageLog, error) { return eqScanLog(r) })
}

func eqMachineStoppages(ctx context.Context, q querier, tenant, code string, from, to time.Time) ([]equipment.Stoppage, error) {
	rows, err := q.Query(ctx, sqlMachineStoppages, tenant, code, from.UTC(), eqTime(to))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (equipment.Stoppage, error) { return eqScanStoppage(r) })
}

// RecordMachine implements equipment.Store. The machine's row is locked FOR
// UPDATE, so RecordMachine calls of one machine run one after another in
// any number of processes; each later statement of the transaction (READ
// COMMITTED) sees what the call before it committed.
func (s *Store) RecordMachine(ctx context.Context, tenant, code string, span equipment.Span, check func(equipment.State) (equipment.Change, error)) error {
	return s.write(ctx, func(tx *txn) error {
		m, err := eqScanEquipment(tx.QueryRow(ctx, sqlEquipmentForUpdate, tenant, code))
		if err != nil {
			return interpretError(err, eqNotFoundEquipment(code))
		}
		st := equipment.State{Equipment: m}
		if st.Logs, err = eqMachineLogs(ctx, tx, tenant, code, span.From, span.To); err != nil {
			return err
		}
		if st.Stoppages, err = eqMachineStoppages(ctx, tx, tenant, code, span.From, span.To); err != nil {
			return err
		}
		upper := eqTime(span.To)
		rows, err := tx.Query(ctx, sqlStateReadings, tenant, code, span.From.UTC(), upper)
		if err != nil {
			return err
		}
		if st.Readings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (equipment.Reading, error) { return eqScanReading(r) }); err != nil {
			return err
		}
		c, err := check(st)
		if err != nil {
			return &callbackError{err}
		}
		if err := eqApply(ctx, tx, tenant, code, c); err != nil {
			return err
		}
		return syDeferEvents(ctx, tx, tenant, outbox.Equipment(code, c))
	})
}

func eqApply(ctx context.Context, tx *txn, tenant, code string, c equipment.Change) error {
	if l := c.Log; l != nil {
		if _, err := tx.Exec(ctx, sqlInsertLog, tenant, [16]byte(l.ID), code, eqDate(l.ShiftDate), l.Shift, l.Operator,
			l.Start.UTC(), l.End.UTC(), eqNumeric(l.StartMeter), eqNumeric(l.EndMeter), eqNumeric(l.OperatingHours),
			l.Activity, l.Site, eqNumeric(l.Fuel), l.CreatedAt.UTC()); err != nil {
			return err
		}
	}
	if st := c.NewStoppage; st != nil {
		if _, err := tx.Exec(ctx, sqlInsertStoppage, tenant, [16]byte(st.ID), code, st.Start.UTC(), eqTime(st.End),
			st.Reason, string(st.Category), st.Notes, st.CreatedAt.UTC()); err != nil {
			return err
		}
	}
	if st := c.EndStoppage; st != nil {
		tag, err := tx.Exec(ctx, sqlEndStoppage, tenant, [16]byte(st.ID), code, st.End.UTC(), st.Notes)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return &callbackError{fmt.Errorf("%w: %s", equipment.ErrStoppageEnded, st.ID)}
		}
	}
	for _, r := range c.Readings {
		if _, err := tx.Exec(ctx, sqlInsertReading, tenant, code, string(r.Meter), r.At.UTC(), int16(r.Kind.Order()),
			eqNumeric(r.Value), string(r.Kind)); err != nil {
			return err
		}
	}
	return nil
}

// Stoppage implements equipment.Store.
func (s *Store) Stoppage(ctx context.Context, tenant string, id uuid.UUID) (equipment.Stoppage, error) {
	st, err := eqScanStoppage(s.reader().QueryRow(ctx, sqlStoppage, tenant, [16]byte(id)))
	if err != nil {
		return equipment.Stoppage{}, interpretError(err, fmt.Errorf("%w: %s", equipment.ErrStoppageNotFound, id))
	}
	return st, nil
}

// UsageLogs implements equipment.Store.
func (s *Store) UsageLogs(ctx context.Context, tenant, code string, w equipment.Window) ([]equipment.UsageLog, error) {
	out, err := eqMachineLogs(ctx, s.reader(), tenant, code, w.From, w.To)
	return out, interpretError(err, nil)
}

// Stoppages implements equipment.Store.
func (s *Store) Stoppages(ctx context.Context, tenant, code string, w equipment.Window) ([]equipment.Stoppage, error) {
	out, err := eqMachineStoppages(ctx, s.reader(), tenant, code, w.From, w.To)
	return out, interpretError(err, nil)
}

// MeterReadings implements equipment.Store.
func (s *Store) MeterReadings(ctx context.Context, tenant, code string, m equipment.Meter) ([]equipment.Reading, error) {
	rows, err := s.reader().Query(ctx, sqlReadings, tenant, code, string(m))
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (equipment.Reading, error) { return eqScanReading(r) })
	return out, interpretError(err, nil)
}

// EquipmentActivity implements equipment.Store: the machines, then the
// tenant's logs and stoppages in the window in one pass each, in one
// REPEATABLE READ snapshot.
func (s *Store) EquipmentActivity(ctx context.Context, tenant string, f equipment.Filter, w equipment.Window) ([]equipment.Activity, error) {
	var out []equipment.Activity
	read := func(q querier) error {
		machines, err := eqFleet(ctx, q, tenant, f)
		if err != nil {
			return err
		}
		out = make([]equipment.Activity, len(machines))
		idx := make(map[string]int, len(machines))
		for i, m := range machines {
			out[i].Equipment = m
			idx[m.Code] = i
		}
		if len(machines) == 0 {
			return nil
		}
		var code string
		var start, end time.Time
		var op, meter int64
		scan := []any{&code, &start, &end, &op, &meter}
		add := func() error {
			if i, ok := idx[code]; ok {
				out[i].Logs = append(out[i].Logs, equipment.LogSpan{Start: start.UTC(), End: end.UTC(),
					OperatingMilli: op, MeterMilli: meter})
			}
			return nil
		}
		if len(machines) <= eqPerMachineLimit {
			// A few machines: their own index ranges, not the tenant's window.
			for i, m := range machines {
				rows, err := q.Query(ctx, sqlMachineSpans, tenant, m.Code, w.From.UTC(), w.To.UTC())
				if err != nil {
					return err
				}
				if _, err := pgx.ForEachRow(rows, scan, add); err != nil {
					return err
				}
				if out[i].Stoppages, err = eqMachineStoppages(ctx, q, tenant, m.Code, w.From, w.To); err != nil {
					return err
				}
			}
			return nil
		}
		rows, err := q.Query(ctx, sqlActivityLogs, tenant, w.From.UTC(), w.To.UTC())
		if err != nil {
			return err
		}
		if _, err = pgx.ForEachRow(rows, scan, add); err != nil {
			return err
		}
		srows, err := q.Query(ctx, sqlActivityStoppages, tenant, w.From.UTC(), w.To.UTC())
		if err != nil {
			return err
		}
		stops, err := pgx.CollectRows(srows, func(r pgx.CollectableRow) (equipment.Stoppage, error) { return eqScanStoppage(r) })
		if err != nil {
			return err
		}
		for _, st := range stops {
			if i, ok := idx[st.Equipment]; ok {
				out[i].Stoppages = append(out[i].Stoppages, st)
			}
		}
		return nil
	}
	if s.tx != nil {
		return out, interpretError(read(s.tx), nil)
	}
	err := s.snapshot(ctx, func(tx pgx.Tx) error { return read(tx) })
	return out, err
}

// eqPerMachineLimit: up to this many selected machines, EquipmentActivity
// reads each machine's index range instead of the whole tenant's window.
const eqPerMachineLimit = 32
