package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	erpsync "github.com/erpkit/erpkit/sync"
)

// The event log (the outbox): erp_events, with per-tenant cursors allocated
// from the tenant's row of erp_event_cursors in the writing transaction
// (migrations/0006_sync.sql). The row stays locked until the transaction
// ends, so same-tenant writers that append events commit in cursor order
// and readers never see a gap; append last in the transaction to hold the
// lock for as short a time as possible.

// sySQLAppendEvents allocates len(events) cursors and inserts the events in
// one statement: $1 tenant, $2 count, $3..$6 types, entity types, entity
// IDs and JSON data as text arrays. It returns the last cursor.
const sySQLAppendEvents = `WITH c AS (
	INSERT INTO erp_event_cursors AS k (tenant_id, last) VALUES ($1, $2)
	ON CONFLICT (tenant_id) DO UPDATE SET last = k.last + excluded.last
	RETURNING last
), ins AS (
	INSERT INTO erp_events (tenant_id, cursor, type, entity_type, entity_id, data, created_at)
	SELECT $1, c.last - $2 + e.ord, e.type, e.entity_type, e.entity_id, e.data::jsonb, statement_timestamp()
	FROM c, unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(type, entity_type, entity_id, data, ord)
)
SELECT last FROM c`

// syEventsStatement returns the statement and arguments that append evs to
// the tenant's log (sySQLAppendEvents), for a caller that sends it itself,
// e.g. queued with txn.deferExec so that it travels with COMMIT.
func syEventsStatement(tenant string, evs []erpsync.NewEvent) (string, []any) {
	types := make([]string, len(evs))
	etypes := make([]string, len(evs))
	eids := make([]string, len(evs))
	data := make([]string, len(evs))
	for i, e := range evs {
		types[i], etypes[i], eids[i], data[i] = e.Type, e.Entity.Type, e.Entity.ID, string(e.Data)
		if data[i] == "" {
			data[i] = "null"
		}
	}
	return sySQLAppendEvents, []any{tenant, len(evs), types, etypes, eids, data}
}

// syAppendEvents appends events to the tenant's log inside the write
// transaction q (a *txn, a pgx.Tx) and returns the last cursor it allocated
// (0 when evs is empty). Any adapter code may call it from inside a write
// transaction; call it last, just before the commit, because it locks the
// tenant's cursor row until the transaction ends.
func syAppendEvents(ctx context.Context, q querier, tenant string, evs ...erpsync.NewEvent) (int64, error) {
	if len(evs) == 0 {
		return 0, nil
	}
	sql, args := syEventsStatement(tenant, evs)
	var last int64
	if err := q.QueryRow(ctx, sql, args...).Scan(&last); err != nil {
		return 0, err
	}
	return last, nil
}

// SyncEvents implements sync.Store.
func (s *Store) SyncEvents(ctx context.Context, tenant string, after int64, limit int) (erpsync.EventPage, error) {
	q := s.reader()
	var page erpsync.EventPage
	rows, err := q.Query(ctx, `SELECT cursor, type, entity_type, entity_id, data::text, created_at FROM erp_events
		WHERE tenant_id = $1 AND cursor > $2 ORDER BY cursor LIMIT $3`, tenant, after, limit)
	if err != nil {
		return page, interpretError(err, nil)
	}
	page.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (erpsync.Event, error) {
		var e erpsync.Event
		var data string
		err := r.Scan(&e.Cursor, &e.Type, &e.Entity.Type, &e.Entity.ID, &data, &e.At)
		e.Data, e.At = []byte(data), e.At.UTC()
		return e, err
	})
	if err != nil {
		return page, interpretError(err, nil)
	}
	// Read after the events: a prune that deleted some of them has
	// committed by now, so a reset is never missed.
	var pruned int64
	err = q.QueryRow(ctx, `SELECT last, pruned FROM erp_event_cursors WHERE tenant_id = $1`, tenant).Scan(&page.Head, &pruned)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return page, interpretError(err, nil)
	}
	if after < pruned || after > page.Head {
		page.Events, page.Reset = nil, true
	}
	return page, nil
}

// SyncPruneEvents implements sync.Store. It takes the tenant's cursor row
// lock only for its own short transaction.
func (s *Store) SyncPruneEvents(ctx context.Context, tenant string, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *txn) error {
		var through *int64
		if err := tx.QueryRow(ctx, `SELECT max(cursor) FROM erp_events WHERE tenant_id = $1 AND created_at < $2`,
			tenant, before.UTC()).Scan(&through); err != nil {
			return err
		}
		n = 0
		if through == nil {
			return nil
		}
		tag, err := tx.Exec(ctx, `DELETE FROM erp_events WHERE tenant_id = $1 AND cursor <= $2`, tenant, *through)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		_, err = tx.Exec(ctx, `UPDATE erp_event_cursors SET pruned = greatest(pruned, $2) WHERE tenant_id = $1`, tenant, *through)
		return err
	})
	return int(n), err
}

// syDeferEvents queues the append of evs to travel with COMMIT (standalone
// txn; at once in a savepoint), so that the tenant's cursor row is locked
// for the shortest time.
func syDeferEvents(ctx context.Context, tx *txn, tenant string, evs []erpsync.NewEvent) error {
	if len(evs) == 0 {
		return nil
	}
	sql, args := syEventsStatement(tenant, evs)
	return tx.deferExec(ctx, sql, args...)
}
