package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/erpkit/erpkit/ledger"
)

// Postings read the calendar row FOR KEY SHARE and calendar updates lock it
// FOR UPDATE: the two conflict, so a close waits for the postings that read
// the calendar before it and the postings after it wait for the close and
// then read the closed period (READ COMMITTED re-reads a row it waited for).
// Postings share the lock with each other. A tenant without a row gets one
// from its first posting or calendar update (sqlCalendarInsert), so there is
// always a row to lock.
//
// Before the row, both take the tenant's calendar lock, an advisory lock:
// postings in shared mode (sqlCalendarLockShared, a statement of its own
// before the calendar is read, so that the read's snapshot follows it),
// updates exclusively (sqlCalendarLock). Row locks alone let a close
// starve: a new posting's KEY SHARE is granted beside the ones held
// although a FOR UPDATE waits, so under a steady stream of overlapping
// postings (two processes, or one busy group-commit leader) ClosePeriod
// waited without end - a test hung for 8 minutes. PostgreSQL queues
// advisory lock requests fairly: postings that come after a waiting close
// wait behind it, and the close runs once the postings before it commit.
const (
	// The calendar lock's keys: 1701998641 ("erp1") and the tenant's
	// hashtext; a hash collision only makes two tenants' closes and
	// postings wait for each other.
	sqlCalendarLockShared = `SELECT pg_advisory_xact_lock_shared(1701998641, hashtext($1))`
	sqlCalendarLock       = `SELECT pg_advisory_xact_lock(1701998641, hashtext($1))`

	calendarColumns  = `fiscal_year_start, closed_through, base_currency, rounding_account, rounding_tolerance`
	sqlCalendarShare = `SELECT ` + calendarColumns + ` FROM erp_ledger_calendars
		WHERE tenant_id = $1 FOR KEY SHARE`
	sqlCalendarUpdate = `SELECT ` + calendarColumns + ` FROM erp_ledger_calendars
		WHERE tenant_id = $1 FOR UPDATE`
	sqlCalendarInsert = `INSERT INTO erp_ledger_calendars (tenant_id, fiscal_year_start) VALUES ($1, 0)
		ON CONFLICT (tenant_id) DO NOTHING`
	sqlCalendarRead = `SELECT ` + calendarColumns + ` FROM erp_ledger_calendars WHERE tenant_id = $1`
)

func scanCalendar(row pgx.Row) (ledger.Calendar, error) {
	var c ledger.Calendar
	var start int16
	var through pgtype.Date
	var tol pgtype.Numeric
	if err := row.Scan(&start, &through, &c.Base.Currency, &c.Base.RoundingAccount, &tol); err != nil {
		return c, err
	}
	c.Base.Tolerance = decimalOf(tol)
	c.FiscalYearStart = time.Month(start)
	if through.Valid {
		c.ClosedThrough = ledger.DateOf(through.Time)
	}
	return c, nil
}

// Calendar implements ledger.Store.
func (s *Store) Calendar(ctx context.Context, tenant string) (ledger.Calendar, error) {
	c, err := scanCalendar(s.reader().QueryRow(ctx, sqlCalendarRead, tenant))
	if err == pgx.ErrNoRows {
		return ledger.Calendar{}, nil
	}
	return c, interpretError(err, nil)
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
// tenant has balances in for fn, under the calendar lock that postings
// share (so none can post in between).
func (s *Store) updateCalendar(ctx context.Context, tenant string, withPosted bool,
	fn func(c *ledger.Calendar, posted []string) (*ledger.PeriodEvent, error)) (ledger.Calendar, error) {
	var out ledger.Calendar
	err := s.write(ctx, func(tx *txn) error {
		if _, err := tx.Exec(ctx, sqlCalendarLock, tenant); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlCalendarInsert, tenant); err != nil {
			return err
		}
		c, err := scanCalendar(tx.QueryRow(ctx, sqlCalendarUpdate, tenant))
		if err != nil {
			return err
		}
		var posted []string
		if withPosted {
			rows, err := tx.Query(ctx, `SELECT DISTINCT currency FROM erp_ledger_balances
				WHERE tenant_id = $1 AND (debit <> 0 OR credit <> 0 OR base_debit <> 0 OR base_credit <> 0)
				ORDER BY currency`, tenant)
			if err != nil {
				return err
			}
			if posted, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
				return err
			}
		}
		ev, err := fn(&c, posted)
		if err != nil {
			return &callbackError{err}
		}
		if _, err := tx.Exec(ctx, `UPDATE erp_ledger_calendars SET fiscal_year_start = $2, closed_through = $3,
			base_currency = $4, rounding_account = $5, rounding_tolerance = $6
			WHERE tenant_id = $1`, tenant, int16(c.FiscalYearStart), date(c.ClosedThrough),
			c.Base.Currency, c.Base.RoundingAccount, numeric(c.Base.Tolerance)); err != nil {
			return err
		}
		if ev != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO erp_ledger_period_events
				(tenant_id, seq, period_start, action, by_whom, at, entry_id)
				SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6
				FROM erp_ledger_period_events WHERE tenant_id = $1`,
				tenant, date(ev.Period), string(ev.Action), ev.By, ev.At.UTC(), nullUUID(ev.Entry)); err != nil {
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
	rows, err := s.reader().Query(ctx, `SELECT period_start, action, by_whom, at, entry_id
		FROM erp_ledger_period_events WHERE tenant_id = $1 ORDER BY seq`, tenant)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.PeriodEvent, error) {
		var ev ledger.PeriodEvent
		var period pgtype.Date
		var action string
		var entry pgtype.UUID
		if err := r.Scan(&period, &action, &ev.By, &ev.At, &entry); err != nil {
			return ev, err
		}
		ev.Period, ev.Action, ev.At = ledger.DateOf(period.Time), ledger.PeriodAction(action), ev.At.UTC()
		if entry.Valid {
			ev.Entry = entry.Bytes
		}
		return ev, nil
	})
	return out, interpretError(err, nil)
}

// CreateAccounts implements ledger.Store.
func (s *Store) CreateAccounts(ctx context.Context, tenant string, as []ledger.Account) error {
	return s.write(ctx, func(tx *txn) error {
		for _, a := range as {
			tag, err := tx.Exec(ctx, sqlCreateAccount, tenant, [16]byte(a.ID), a.Code, a.Name, string(a.Type), string(a.NormalSide),
				a.Parent, textArray(a.Currencies), a.Blocked, jsonText(a.Metadata), a.CreatedAt.UTC(), textArray(a.RequiredDimensions))
			if err != nil {
				if ie := interpretError(err, nil); !isRetry(ie) {
					return &callbackError{&ledger.ChartError{Code: a.Code, Err: ie}}
				}
				return err
			}
			if tag.RowsAffected() == 0 {
				return &callbackError{&ledger.ChartError{Code: a.Code, Err: fmt.Errorf("%w: parent %s", ledger.ErrAccountNotFound, a.Parent)}}
			}
		}
		return nil
	})
}

func isRetry(err error) bool {
	_, ok := err.(*retryError)
	return ok
}

// EntriesByKey implements ledger.Store.
func (s *Store) EntriesByKey(ctx context.Context, tenant string, keys []string) ([]ledger.Entry, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := s.reader().Query(ctx, sqlEntriesByKey, tenant, keys)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	es, err := scanEntries(rows)
	return es, interpretError(err, nil)
}

// sqlLines pages through one account's lines in statement order. The
// (tenant, account, currency, date, entry, line) index gives that order and
// takes the row comparison as its start key, so a page reads its own rows
// and no more, first or later. The caller passes concrete bounds (no NULL
// "no bound" parameters, which a generic plan cannot turn into index keys).
const sqlLines = `SELECT l.posting_date, l.entry_id, l.line_no, e.description, e.reference,
		l.side, l.amount, l.memo, l.dimensions
	FROM erp_ledger_lines l
	JOIN erp_ledger_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
	WHERE l.tenant_id = $1
	  AND l.account_id = (SELECT a.id FROM erp_ledger_accounts a WHERE a.tenant_id = $1 AND a.code = $2)
	  AND l.currency = $3
	  AND (l.posting_date, l.entry_id, l.line_no) > ($4, $5, $6)
	  AND l.posting_date <= $7
	  AND l.dimensions @> $9::jsonb
	ORDER BY l.posting_date, l.entry_id, l.line_no
	LIMIT $8`

// Lines implements ledger.Store.
func (s *Store) Lines(ctx context.Context, tenant string, q ledger.LineQuery) ([]ledger.StatementLine, error) {
	if _, err := s.Account(ctx, tenant, q.Account); err != nil {
		return nil, err
	}
	// Start after the cursor, or before the first line of From (no entry
	// has the nil ID and line numbers start at 1).
	after, entry, line := q.After.Date, q.After.Entry, int32(q.After.Line)
	if after.IsZero() {
		after, entry, line = q.From, uuid.Nil, -1
		if after.IsZero() {
			after = ledger.NewDate(1, 1, 1)
		}
	} else if after.Compare(q.From) < 0 && !q.From.IsZero() {
		after, entry, line = q.From, uuid.Nil, -1
	}
	to := q.To
	if to.IsZero() {
		to = ledger.NewDate(9999, 12, 31)
	}
	rows, err := s.reader().Query(ctx, sqlLines, tenant, q.Account, q.Currency,
		date(after), [16]byte(entry), line, date(to), q.Limit, jsonText(q.Dimensions))
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.StatementLine, error) {
		var ln ledger.StatementLine
		var day pgtype.Date
		var entry uuid.UUID
		var line int32
		var side string
		var amount pgtype.Numeric
		var dims []byte
		if err := r.Scan(&day, (*[16]byte)(&entry), &line, &ln.Description, &ln.Reference, &side, &amount, &ln.Memo, &dims); err != nil {
			return ln, err
		}
		ln.Date, ln.Entry, ln.Line = ledger.DateOf(day.Time), entry, int(line)
		ln.Side, ln.Amount, ln.Currency = ledger.Side(side), decimalOf(amount), q.Currency
		var err error
		ln.Dimensions, err = decodeMap(dims)
		return ln, err
	})
	return out, interpretError(err, nil)
}
