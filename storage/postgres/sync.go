package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/erpkit/erpkit/storage/internal/unwind"
	erpsync "github.com/erpkit/erpkit/sync"
)

// The sync engine's storage (migrations/0006_sync.sql). A SyncTx is one
// READ COMMITTED transaction (InTx: retried on serialization failures and
// deadlocks). The client's row is locked by an upsert at the start, so a
// client's pushes run one after another in any number of processes;
// entity rows are locked (created if missing) when a mutation reads them;
// the tenant's event cursor row is locked last, when the events are
// appended just before COMMIT.

var _ erpsync.Store = (*Store)(nil)

// syTx is a sync.Tx over one transaction. Entities it locked are kept in
// cache, and the writes nobody reads back in the transaction (entities,
// results, clients' seqs, events) are sent in one batch before COMMIT.
type syTx struct {
	tx      pgx.Tx
	host    *Store
	tenant  string
	events  []erpsync.NewEvent
	seqs    map[string]int64
	order   []string
	results []syResult
	cache   map[erpsync.EntityRef]erpsync.Entity // locked in this transaction
	dirty   map[erpsync.EntityRef]bool           // to write at the end
	nowait  bool                                 // earlier mutations hold entity locks: do not wait for more
	broken  error                                // a savepoint could not be rolled back: never commit
}

type syResult struct {
	client string
	r      erpsync.Result
}

// syErr interprets a driver error (conflicts become retryable) and leaves
// nil alone.
func syErr(err error) error { return interpretError(err, nil) }

// SyncTx implements sync.Store.
func (s *Store) SyncTx(ctx context.Context, tenant string, fn func(tx erpsync.Tx) error) error {
	return s.InTx(ctx, func(b *Store) error {
		t := &syTx{tx: b.tx, host: b, tenant: tenant, seqs: map[string]int64{},
			cache: map[erpsync.EntityRef]erpsync.Entity{}, dirty: map[erpsync.EntityRef]bool{}}
		if err := fn(t); err != nil {
			return err
		}
		if t.broken != nil {
			return t.broken
		}
		return syErr(t.flush(ctx))
	})
}

// flush sends the deferred writes in one round trip, the events (which
// lock the tenant's cursor row) last.
func (t *syTx) flush(ctx context.Context) error {
	b := &pgx.Batch{}
	for ref := range t.dirty {
		e := t.cache[ref]
		fields, err := syMarshal(e.Fields)
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO erp_sync_entities (tenant_id, entity_type, entity_id, version, fields, updated_at)
			VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (tenant_id, entity_type, entity_id) DO UPDATE SET
			version = excluded.version, fields = excluded.fields, updated_at = excluded.updated_at`,
			t.tenant, ref.Type, ref.ID, e.Version, fields, e.Updated)
	}
	if n := len(t.results); n > 0 {
		clients, muts, names, statuses, errs, users := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		seqs, cids, ats := make([]int64, n), make([]*string, n), make([]time.Time, n)
		for i, x := range t.results {
			clients[i], seqs[i], muts[i], names[i] = x.client, x.r.Seq, x.r.MutationID.String(), x.r.Name
			statuses[i], errs[i], users[i], ats[i] = string(x.r.Status), x.r.Error, x.r.User, x.r.At
			if x.r.ConflictID != uuid.Nil {
				id := x.r.ConflictID.String()
				cids[i] = &id
			}
		}
		b.Queue(`INSERT INTO erp_sync_results (tenant_id, client_id, seq, mutation_id, name, status, error, conflict_id, user_id, applied_at)
			SELECT $1, r.client_id, r.seq, r.mutation_id::uuid, r.name, r.status, r.error, r.conflict_id::uuid, r.user_id, r.applied_at
			FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
			AS r(client_id, seq, mutation_id, name, status, error, conflict_id, user_id, applied_at)`,
			t.tenant, clients, seqs, muts, names, statuses, errs, cids, users, ats)
	}
	for _, c := range t.order {
		b.Queue(`UPDATE erp_sync_clients SET last_seq = $3, updated_at = statement_timestamp()
			WHERE tenant_id = $1 AND client_id = $2`, t.tenant, c, t.seqs[c])
	}
	if len(t.events) > 0 {
		sql, args := syEventsStatement(t.tenant, t.events)
		b.Queue(sql, args...)
	}
	if b.Len() == 0 {
		return nil
	}
	return t.tx.SendBatch(ctx, b).Close()
}

func (t *syTx) LockClient(ctx context.Context, c erpsync.Client, user string) (int64, error) {
	var group string
	var last int64
	err := t.tx.QueryRow(ctx, `INSERT INTO erp_sync_clients AS k (tenant_id, client_id, client_group_id, user_id, last_seq, updated_at)
		VALUES ($1, $2, $3, $4, 0, statement_timestamp()) ON CONFLICT (tenant_id, client_id) DO UPDATE SET user_id = excluded.user_id
		RETURNING k.client_group_id, k.last_seq`, t.tenant, c.ID, c.GroupID, user).Scan(&group, &last)
	if err != nil {
		return 0, syErr(err)
	}
	if group != c.GroupID {
		return 0, fmt.Errorf("%w: %s", erpsync.ErrClientGroup, c.ID)
	}
	if seq, ok := t.seqs[c.ID]; ok {
		last = seq
	}
	return last, nil
}

func (t *syTx) RecordResult(ctx context.Context, clientID string, r erpsync.Result) error {
	if t.broken != nil {
		return t.broken
	}
	t.results = append(t.results, syResult{client: clientID, r: r})
	if _, ok := t.seqs[clientID]; !ok {
		t.order = append(t.order, clientID)
	}
	t.seqs[clientID] = r.Seq
	return nil
}

func (t *syTx) Savepoint(ctx context.Context, fn func(host any) error) error {
	if t.broken != nil {
		return t.broken
	}
	sp, err := t.tx.Begin(ctx)
	if err != nil {
		return syErr(err)
	}
	cache, dirty := maps.Clone(t.cache), maps.Clone(t.dirty)
	// A mutation that waits for an entity lock while the batch holds the
	// locks of earlier mutations can deadlock with another batch: it asks
	// with NOWAIT instead, and a lock taken elsewhere ends the batch here
	// (ErrStoreConflict), committed; the Server goes on in a new transaction.
	t.nowait = len(t.cache) > 0
	err = unwind.Call(func() error { return fn(&Store{tx: sp}) }, func() {
		t.nowait = false
		t.cache, t.dirty = cache, dirty
		_ = sp.Rollback(context.WithoutCancel(ctx))
	})
	t.nowait = false
	if err == nil {
		if err = sp.Commit(ctx); err == nil {
			return nil
		}
	}
	t.cache, t.dirty = cache, dirty // the savepoint's entity writes are undone
	if rerr := sp.Rollback(context.WithoutCancel(ctx)); rerr != nil && !errors.Is(rerr, pgx.ErrTxClosed) {
		t.broken = errors.Join(err, errors.New("postgres: savepoint could not be rolled back"), syErr(rerr))
		return t.broken
	}
	var re *retryError
	if ierr := syErr(err); errors.As(ierr, &re) {
		return fmt.Errorf("%w (%w): %w", erpsync.ErrTransient, erpsync.ErrStoreConflict, ierr)
	}
	return err
}

const syEntityColumns = `version, fields::text, updated_at`

func syScanEntity(row pgx.Row, ref erpsync.EntityRef) (erpsync.Entity, error) {
	e := erpsync.Entity{Ref: ref, Fields: erpsync.Fields{}}
	var fields string
	if err := row.Scan(&e.Version, &fields, &e.Updated); err != nil {
		return e, err
	}
	e.Updated = e.Updated.UTC()
	return e, syUnmarshal(fields, &e.Fields)
}

func (t *syTx) LockEntity(ctx context.Context, ref erpsync.EntityRef) (erpsync.Entity, error) {
	if e, ok := t.cache[ref]; ok {
		return e, nil // locked earlier in this transaction
	}
	if t.nowait {
		_, err := t.tx.Exec(ctx, `SELECT FROM erp_sync_entities WHERE tenant_id = $1 AND entity_type = $2 AND entity_id = $3
			FOR UPDATE NOWAIT`, t.tenant, ref.Type, ref.ID)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
			return erpsync.Entity{}, &retryError{msg: "sync: entity " + ref.String() + " is locked by another transaction"}
		}
		if err != nil {
			return erpsync.Entity{}, syErr(err)
		}
	}
	// The upsert creates a version-0 row when there is none, so that a
	// first write is serialised like any other.
	e, err := syScanEntity(t.tx.QueryRow(ctx, `INSERT INTO erp_sync_entities AS k (tenant_id, entity_type, entity_id, version, fields, updated_at)
		VALUES ($1, $2, $3, 0, '{}', statement_timestamp()) ON CONFLICT (tenant_id, entity_type, entity_id)
		DO UPDATE SET version = k.version RETURNING `+syEntityColumns, t.tenant, ref.Type, ref.ID), ref)
	if err != nil {
		return e, syErr(err)
	}
	if e.Version == 0 {
		e.Updated = time.Time{}
	}
	t.cache[ref] = e
	return e, nil
}

// PutEntity keeps e for the batch sent before COMMIT; LockEntity locked
// its row already (the Server always locks before it writes).
func (t *syTx) PutEntity(ctx context.Context, e erpsync.Entity) error {
	if _, ok := t.cache[e.Ref]; !ok {
		if _, err := t.LockEntity(ctx, e.Ref); err != nil {
			return err
		}
	}
	t.cache[e.Ref] = e
	t.dirty[e.Ref] = true
	return nil
}

func (t *syTx) PutConflict(ctx context.Context, c erpsync.Conflict) error {
	body, err := syMarshal(c)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO erp_sync_conflicts (tenant_id, id, entity_type, entity_id, status, severity, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) ON CONFLICT (tenant_id, id) DO UPDATE SET
		status = excluded.status, severity = excluded.severity, body = excluded.body`,
		t.tenant, [16]byte(c.ID), c.Entity.Type, c.Entity.ID, string(c.Status), int16(c.Severity), body, c.CreatedAt)
	return syErr(err)
}

func (t *syTx) LockConflict(ctx context.Context, id uuid.UUID) (erpsync.Conflict, error) {
	return syConflict(ctx, t.tx, t.tenant, id, " FOR UPDATE")
}

func syConflict(ctx context.Context, q querier, tenant string, id uuid.UUID, lock string) (erpsync.Conflict, error) {
	var c erpsync.Conflict
	var body string
	err := q.QueryRow(ctx, `SELECT body::text FROM erp_sync_conflicts WHERE tenant_id = $1 AND id = $2`+lock, tenant, [16]byte(id)).Scan(&body)
	if err != nil {
		return c, interpretError(err, fmt.Errorf("%w: %s", erpsync.ErrConflictNotFound, id))
	}
	return c, syUnmarshal(body, &c)
}

func (t *syTx) AppendEvents(_ context.Context, evs ...erpsync.NewEvent) error {
	t.events = append(t.events, evs...)
	return nil
}

// SyncClientSeq implements sync.Store.
func (s *Store) SyncClientSeq(ctx context.Context, tenant, clientID string) (int64, error) {
	var last int64
	err := s.reader().QueryRow(ctx, `SELECT last_seq FROM erp_sync_clients WHERE tenant_id = $1 AND client_id = $2`,
		tenant, clientID).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return last, syErr(err)
}

// SyncResults implements sync.Store.
func (s *Store) SyncResults(ctx context.Context, tenant, clientID string, after int64, limit int) ([]erpsync.Result, error) {
	rows, err := s.reader().Query(ctx, `SELECT seq, mutation_id, name, status, error, conflict_id, user_id, applied_at
		FROM erp_sync_results WHERE tenant_id = $1 AND client_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`, tenant, clientID, after, limit)
	if err != nil {
		return nil, syErr(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (erpsync.Result, error) {
		var r erpsync.Result
		var mid [16]byte
		var cid *[16]byte
		var status string
		err := row.Scan(&r.Seq, &mid, &r.Name, &status, &r.Error, &cid, &r.User, &r.At)
		r.MutationID, r.Status, r.At = mid, erpsync.Status(status), r.At.UTC()
		if cid != nil {
			r.ConflictID = *cid
		}
		return r, err
	})
	return out, syErr(err)
}

// SyncEntity implements sync.Store.
func (s *Store) SyncEntity(ctx context.Context, tenant string, ref erpsync.EntityRef) (erpsync.Entity, error) {
	e, err := syScanEntity(s.reader().QueryRow(ctx, `SELECT `+syEntityColumns+` FROM erp_sync_entities
		WHERE tenant_id = $1 AND entity_type = $2 AND entity_id = $3`, tenant, ref.Type, ref.ID), ref)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && e.Version == 0) {
		return erpsync.Entity{Ref: ref, Fields: erpsync.Fields{}}, nil
	}
	return e, syErr(err)
}

// SyncConflict implements sync.Store.
func (s *Store) SyncConflict(ctx context.Context, tenant string, id uuid.UUID) (erpsync.Conflict, error) {
	return syConflict(ctx, s.reader(), tenant, id, "")
}

// SyncConflicts implements sync.Store.
func (s *Store) SyncConflicts(ctx context.Context, tenant string, f erpsync.ConflictFilter) ([]erpsync.Conflict, error) {
	rows, err := s.reader().Query(ctx, `SELECT body::text FROM erp_sync_conflicts WHERE tenant_id = $1
		AND ($2 = '' OR status = $2) AND ($3 = '' OR (entity_type = $3 AND entity_id = $4))
		ORDER BY created_at, id LIMIT $5`, tenant, string(f.Status), f.Entity.Type, f.Entity.ID, f.Limit)
	if err != nil {
		return nil, syErr(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (erpsync.Conflict, error) {
		var body string
		var c erpsync.Conflict
		if err := row.Scan(&body); err != nil {
			return c, err
		}
		return c, syUnmarshal(body, &c)
	})
	return out, syErr(err)
}

func syMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func syUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
