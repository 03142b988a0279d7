package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// readCalendar reads the tenant's calendar (the zero Calendar when none).
// Writers run one at a time, so a posting that reads it in its write
// transaction cannot interleave with a close.
func readCalendar(ctx context.Context, q querier, tenant string) (ledger.Calendar, error) {
	var c ledger.Calendar
	var start int
	var through, tol string
	err := q.QueryRowContext(ctx, `SELECT fiscal_year_start, closed_through, base_currency, rounding_account, rounding_tolerance
		FROM erp_ledger_calendars WHERE tenant_id = ?`,
		tenant).Scan(&start, &through, &c.Base.Currency, &c.Base.RoundingAccount, &tol)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if c.Base.Tolerance, err = decimal.NewFromString(tol); err != nil {
		return c, err
	}
	c.FiscalYearStart = time.Month(start)
	if through != "" {
		if c.ClosedThrough, err = ledger.ParseDate(through); err != nil {
			return c, err
		}
	}
	return c, nil
}

// Calendar implements ledger.Store.
func (s *Store) Calendar(ctx context.Context, tenant string) (ledger.Calendar, error) {
	c, err := readCalendar(ctx, s.reader(), tenant)
	return c, interpretError(err)
}

// UpdateCalendar implements ledger.Store.
func (s *Store) UpdateCalendar(ctx context.Context, tenant string,
	fn func(c *ledger.Calendar) (*ledger.PeriodEvent, error)) (ledger.Calendar, error) {
	return s.updateCalendar(ctx, tenant, false, func(c *ledger.Calendar, _ []string) (*ledger.PeriodEvent, error) { return fn(c) })
}

// SetBase implements ledger.Store.
func (s *Store) SetBase(ctx context.Context, tenant string, fn func(c *ledger.Calendar, posted []string) error) (ledger.Calendar, error) {
	return s.updateCalendar(ctx, tenant, true, func(c *ledger.Calendar, posted []string) (*ledger.PeriodEvent, error) {
		return nil, fn(c, posted)
	})
}

// updateCalendar is UpdateCalendar; withPosted reads the currencies the
// tenant has balances in for fn.
func (s *Store) updateCalendar(ctx context.Context, tenant string, withPosted bool,
	fn func(c *ledger.Calendar, posted []string) (*ledger.PeriodEvent, error)) (ledger.Calendar, error) {
	var out ledger.Calendar
	err := s.write(ctx, func(tx querier) error {
		c, err := readCalendar(ctx, tx, tenant)
		if err != nil {
			return err
		}
		var posted []string
		if withPosted {
			rows, err := tx.QueryContext(ctx, `SELECT DISTINCT currency FROM erp_ledger_balances
				WHERE tenant_id = ? AND (debit_minor <> 0 OR credit_minor <> 0 OR base_debit_minor <> 0 OR base_credit_minor <> 0)
				ORDER BY currency`, tenant)
			if err != nil {
				return err
			}
			for rows.Next() {
				var cur string
				if err := rows.Scan(&cur); err != nil {
					rows.Close()
					return err
				}
				posted = append(posted, cur)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		ev, err := fn(&c, posted)
		if err != nil {
			return err
		}
		through := ""
		if !c.ClosedThrough.IsZero() {
			through = c.ClosedThrough.String()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_calendars
			(tenant_id, fiscal_year_start, closed_through, base_currency, rounding_account, rounding_tolerance)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET
			fiscal_year_start = excluded.fiscal_year_start, closed_through = excluded.closed_through,
			base_currency = excluded.base_currency, rounding_account = excluded.rounding_account,
			rounding_tolerance = excluded.rounding_tolerance`,
			tenant, int(c.FiscalYearStart), through, c.Base.Currency, c.Base.RoundingAccount, c.Base.Tolerance.String()); err != nil {
			return err
		}
		if ev != nil {
			entry := ""
			if ev.Entry != uuid.Nil {
				entry = ev.Entry.String()
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_period_events
				(tenant_id, seq, period_start, action, by_whom, at, entry_id)
				VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM erp_ledger_period_events WHERE tenant_id = ?1), ?2, ?3, ?4, ?5, ?6)`,
				tenant, ev.Period.String(), string(ev.Action), ev.By, formatTime(ev.At), entry); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	return out, err
}

// PeriodEvents implements ledger.Store.
func (s *Store) PeriodEvents(ctx context.Context, tenant string) ([]ledger.PeriodEvent, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT period_start, action, by_whom, at, entry_id
		FROM erp_ledger_period_events WHERE tenant_id = ? ORDER BY seq`, tenant)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []ledger.PeriodEvent
	for rows.Next() {
		var ev ledger.PeriodEvent
		var period, action, at, entry string
		if err := rows.Scan(&period, &action, &ev.By, &at, &entry); err != nil {
			return nil, interpretError(err)
		}
		if ev.Period, err = ledger.ParseDate(period); err != nil {
			return nil, err
		}
		ev.Action = ledger.PeriodAction(action)
		if ev.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if entry != "" {
			if ev.Entry, err = uuid.Parse(entry); err != nil {
				return nil, err
			}
		}
		out = append(out, ev)
	}
	return out, interpretError(rows.Err())
}

// CreateAccounts implements ledger.Store.
func (s *Store) CreateAccounts(ctx context.Context, tenant string, as []ledger.Account) error {
	return s.write(ctx, func(tx querier) error {
		for _, a := range as {
			var parent any
			if a.Parent != "" {
				var pid string
				err := tx.QueryRowContext(ctx, `SELECT id FROM erp_ledger_accounts WHERE tenant_id = ? AND code = ?`,
					tenant, a.Parent).Scan(&pid)
				if errors.Is(err, sql.ErrNoRows) {
					return &ledger.ChartError{Code: a.Code, Err: fmt.Errorf("%w: parent %s", ledger.ErrAccountNotFound, a.Parent)}
				}
				if err != nil {
					return err
				}
				parent = pid
			}
			if err := insertAccount(ctx, tx, tenant, a, parent); err != nil {
				return &ledger.ChartError{Code: a.Code, Err: interpretError(err)}
			}
		}
		return nil
	})
}

// EntriesByKey implements ledger.Store.
func (s *Store) EntriesByKey(ctx context.Context, tenant string, keys []string) ([]ledger.Entry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	es, err := queryEntries(ctx, s.reader(), tenant,
		`e.idempotency_key IS NOT NULL AND e.idempotency_key IN (SELECT value FROM json_each(?2))`, "e.idempotency_key", -1, encodeList(keys))
	return es, interpretError(err)
}

// Lines implements ledger.Store. The account index (tenant, account,
// posting date) carries the lines' primary key (entry, line), so the
// statement order is the index order and a page reads only its rows.
func (s *Store) Lines(ctx context.Context, tenant string, q ledger.LineQuery) ([]ledger.StatementLine, error) {
	a, err := getAccount(ctx, s.reader(), tenant, q.Account)
	if err != nil {
		return nil, interpretError(err)
	}
	from, to := "0000-00-00", "9999-99-99"
	if !q.From.IsZero() {
		from = q.From.String()
	}
	if !q.To.IsZero() {
		to = q.To.String()
	}
	afterDate, afterEntry := "", ""
	if !q.After.Date.IsZero() {
		afterDate, afterEntry = q.After.Date.String(), q.After.Entry.String()
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT l.posting_date, l.entry_id, l.line_no, e.description, e.reference,
			l.side, l.amount_minor, l.memo, l.dimensions
		FROM erp_ledger_lines l
		JOIN erp_ledger_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
		WHERE l.tenant_id = ?1 AND l.account_id = ?2 AND l.currency = ?3
		  AND l.posting_date >= ?4 AND l.posting_date <= ?5
		  AND (?6 = '' OR (l.posting_date, l.entry_id, l.line_no) > (?6, ?7, ?8))
		  AND (?10 = '{}' OR NOT EXISTS (SELECT 1 FROM json_each(?10) f
		                  WHERE json_extract(l.dimensions, '$."' || f.key || '"') IS NOT f.value))
		ORDER BY l.posting_date, l.entry_id, l.line_no
		LIMIT ?9`, tenant, a.ID.String(), q.Currency, from, to, afterDate, afterEntry, q.After.Line, q.Limit,
		encodeMap(q.Dimensions))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	cur, err := ledger.LookupCurrency(q.Currency)
	if err != nil {
		return nil, err
	}
	var out []ledger.StatementLine
	for rows.Next() {
		var ln ledger.StatementLine
		var date, entry, side, dims string
		var minor int64
		if err := rows.Scan(&date, &entry, &ln.Line, &ln.Description, &ln.Reference, &side, &minor, &ln.Memo, &dims); err != nil {
			return nil, interpretError(err)
		}
		if ln.Date, err = ledger.ParseDate(date); err != nil {
			return nil, err
		}
		if ln.Entry, err = uuid.Parse(entry); err != nil {
			return nil, err
		}
		if ln.Dimensions, err = decodeMap(dims); err != nil {
			return nil, err
		}
		ln.Side, ln.Amount, ln.Currency = ledger.Side(side), cur.FromMinor(minor), q.Currency
		out = append(out, ln)
	}
	return out, interpretError(rows.Err())
}
