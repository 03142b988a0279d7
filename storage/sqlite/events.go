package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
)

// The event log (the outbox): erp_events, with per-tenant cursors allocated
// from erp_event_cursors in the writing transaction (migrations/0006_sync.sql).
// SQLite has one writer, so cursors follow commit order and readers never
// see a gap.

// syAppendEvents appends events to the tenant's log inside the write
// transaction q and returns the last cursor it allocated (0 when evs is
// empty). Any adapter code may call it from inside a write transaction;
// call it last, just before the commit.
func syAppendEvents(ctx context.Context, q querier, tenant string, evs ...erpsync.NewEvent) (int64, error) {
	if len(evs) == 0 {
		return 0, nil
	}
	var last int64
	if err := q.QueryRowContext(ctx, `INSERT INTO erp_event_cursors (tenant_id, last) VALUES (?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET last = last + excluded.last RETURNING last`,
		tenant, len(evs)).Scan(&last); err != nil {
		return 0, err
	}
	now := time.Now().UnixMicro()
	cur := last - int64(len(evs))
	// Multi-row INSERTs of up to chunk events, not one statement each (a
	// 1,000-entry batch has 1,000 events).
	const cols = 7
	args := make([]any, 0, min(len(evs), chunk)*cols)
	for start := 0; start < len(evs); start += chunk {
		part := evs[start:min(start+chunk, len(evs))]
		args = args[:0]
		for _, e := range part {
			cur++
			data := string(e.Data)
			if data == "" {
				data = "null"
			}
			args = append(args, tenant, cur, e.Type, e.Entity.Type, e.Entity.ID, data, now)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO erp_events (tenant_id, cursor, type, entity_type, entity_id, data, created_us)
			VALUES `+placeholders(len(part), cols), args...); err != nil {
			return 0, err
		}
	}
	return last, nil
}

// SyncEvents implements sync.Store.
func (s *Store) SyncEvents(ctx context.Context, tenant string, after int64, limit int) (erpsync.EventPage, error) {
	q := s.reader()
	var page erpsync.EventPage
	rows, err := q.QueryContext(ctx, `SELECT cursor, type, entity_type, entity_id, data, created_us FROM erp_events
		WHERE tenant_id = ? AND cursor > ? ORDER BY cursor LIMIT ?`, tenant, after, limit)
	if err != nil {
		return page, interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e erpsync.Event
		var data string
		var us int64
		if err := rows.Scan(&e.Cursor, &e.Type, &e.Entity.Type, &e.Entity.ID, &data, &us); err != nil {
			return page, interpretError(err)
		}
		e.Data, e.At = []byte(data), time.UnixMicro(us).UTC()
		page.Events = append(page.Events, e)
	}
	if err := rows.Err(); err != nil {
		return page, interpretError(err)
	}
	// Read after the events: a prune that deleted some of them has
	// committed by now, so a reset is never missed.
	var pruned int64
	err = q.QueryRowContext(ctx, `SELECT last, pruned FROM erp_event_cursors WHERE tenant_id = ?`, tenant).Scan(&page.Head, &pruned)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return page, interpretError(err)
	}
	if after < pruned || after > page.Head {
		page.Events, page.Reset = nil, true
	}
	return page, nil
}

// SyncPruneEvents implements sync.Store.
func (s *Store) SyncPruneEvents(ctx context.Context, tenant string, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(q querier) error {
		var through sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT max(cursor) FROM erp_events WHERE tenant_id = ? AND created_us < ?`,
			tenant, before.UnixMicro()).Scan(&through); err != nil {
			return err
		}
		if !through.Valid {
			n = 0
			return nil
		}
		res, err := q.ExecContext(ctx, `DELETE FROM erp_events WHERE tenant_id = ? AND cursor <= ?`, tenant, through.Int64)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, `UPDATE erp_event_cursors SET pruned = max(pruned, ?) WHERE tenant_id = ?`, through.Int64, tenant)
		return err
	})
	return int(n), err
}
