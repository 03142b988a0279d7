package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/erpkit/erpkit/storage/internal/unwind"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
)

// The sync engine's storage (migrations/0006_sync.sql): clients with their
// last applied seq, results, versioned entities and conflicts. A SyncTx is
// one IMMEDIATE transaction: it holds SQLite's only write lock, so client
// rows, entities and cursors are serialised without row locks.

var _ erpsync.Store = (*Store)(nil)

// syTx is a sync.Tx over one write transaction.
type syTx struct {
	q      querier // statements of the transaction
	host   *Store  // the Store bound to it, handed to mutators
	tenant string
	events []erpsync.NewEvent
	seqs   map[string]int64 // client -> last applied seq, written at the end
	order  []string
	broken error // a savepoint could not be rolled back: never commit
}

// SyncTx implements sync.Store.
func (s *Store) SyncTx(ctx context.Context, tenant string, fn func(tx erpsync.Tx) error) error {
	return s.write(ctx, func(q querier) error {
		host := s
		if ct, ok := q.(cachedTx); ok {
			host = &Store{tx: ct.tx}
		}
		t := &syTx{q: q, host: host, tenant: tenant, seqs: map[string]int64{}}
		if err := fn(t); err != nil {
			return err
		}
		if t.broken != nil {
			return t.broken
		}
		now := time.Now().UnixMicro()
		for _, c := range t.order {
			if _, err := q.ExecContext(ctx, `UPDATE erp_sync_clients SET last_seq = ?, updated_us = ?
				WHERE tenant_id = ? AND client_id = ?`, t.seqs[c], now, tenant, c); err != nil {
				return err
			}
		}
		_, err := syAppendEvents(ctx, q, tenant, t.events...)
		return err
	})
}

func (t *syTx) LockClient(ctx context.Context, c erpsync.Client, user string) (int64, error) {
	var group string
	var last int64
	err := t.q.QueryRowContext(ctx, `INSERT INTO erp_sync_clients (tenant_id, client_id, client_group_id, user_id, last_seq, updated_us)
		VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (tenant_id, client_id) DO UPDATE SET user_id = excluded.user_id
		RETURNING client_group_id, last_seq`, t.tenant, c.ID, c.GroupID, user, time.Now().UnixMicro()).Scan(&group, &last)
	if err != nil {
		return 0, err
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
	cid := ""
	if r.ConflictID != uuid.Nil {
		cid = r.ConflictID.String()
	}
	if _, err := t.q.ExecContext(ctx, `INSERT INTO erp_sync_results (tenant_id, client_id, seq, mutation_id, name, status,
		error, conflict_id, user_id, applied_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.tenant, clientID, r.Seq, r.MutationID.String(), r.Name, string(r.Status), r.Error, cid, r.User, r.At.UnixMicro()); err != nil {
		return err
	}
	if _, ok := t.seqs[clientID]; !ok {
		t.order = append(t.order, clientID)
	}
	t.seqs[clientID] = r.Seq
	return nil
}

var sySavepointSeq atomic.Uint64

func (t *syTx) Savepoint(ctx context.Context, fn func(host any) error) error {
	if t.broken != nil {
		return t.broken
	}
	name := "erp_sy_" + strconv.FormatUint(sySavepointSeq.Add(1), 10)
	tx := t.host.tx
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	bg := context.WithoutCancel(ctx)
	err := unwind.Call(func() error { return fn(t.host) }, func() { undoSavepoint(bg, tx, name) })
	if err == nil {
		if _, err = tx.ExecContext(bg, "RELEASE "+name); err == nil {
			return nil
		}
	}
	if _, rerr := tx.ExecContext(bg, "ROLLBACK TO "+name); rerr != nil {
		t.broken = errors.Join(err, errSavepoint, rerr)
		return t.broken
	}
	if _, rerr := tx.ExecContext(bg, "RELEASE "+name); rerr != nil {
		t.broken = errors.Join(err, errSavepoint, rerr)
		return t.broken
	}
	if ierr := interpretError(err); errors.Is(ierr, errRetry) {
		return fmt.Errorf("%w (%w): %w", erpsync.ErrTransient, erpsync.ErrStoreConflict, ierr)
	}
	return err
}

func (t *syTx) LockEntity(ctx context.Context, ref erpsync.EntityRef) (erpsync.Entity, error) {
	return syEntity(ctx, t.q, t.tenant, ref)
}

func syEntity(ctx context.Context, q querier, tenant string, ref erpsync.EntityRef) (erpsync.Entity, error) {
	e := erpsync.Entity{Ref: ref, Fields: erpsync.Fields{}}
	var fields string
	var us int64
	err := q.QueryRowContext(ctx, `SELECT version, fields, updated_us FROM erp_sync_entities
		WHERE tenant_id = ? AND entity_type = ? AND entity_id = ?`, tenant, ref.Type, ref.ID).Scan(&e.Version, &fields, &us)
	if errors.Is(err, sql.ErrNoRows) {
		return e, nil
	}
	if err != nil {
		return e, err
	}
	e.Updated = time.UnixMicro(us).UTC()
	return e, json.Unmarshal([]byte(fields), &e.Fields)
}

func (t *syTx) PutEntity(ctx context.Context, e erpsync.Entity) error {
	fields, err := json.Marshal(e.Fields)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO erp_sync_entities (tenant_id, entity_type, entity_id, version, fields, updated_us)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, entity_type, entity_id) DO UPDATE SET
		version = excluded.version, fields = excluded.fields, updated_us = excluded.updated_us`,
		t.tenant, e.Ref.Type, e.Ref.ID, e.Version, string(fields), e.Updated.UnixMicro())
	return err
}

func (t *syTx) PutConflict(ctx context.Context, c erpsync.Conflict) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO erp_sync_conflicts (tenant_id, id, entity_type, entity_id, status, severity, body, created_us)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO UPDATE SET
		status = excluded.status, severity = excluded.severity, body = excluded.body`,
		t.tenant, c.ID.String(), c.Entity.Type, c.Entity.ID, string(c.Status), int(c.Severity), string(body), c.CreatedAt.UnixMicro())
	return err
}

func (t *syTx) LockConflict(ctx context.Context, id uuid.UUID) (erpsync.Conflict, error) {
	return syConflict(ctx, t.q, t.tenant, id)
}

func syConflict(ctx context.Context, q querier, tenant string, id uuid.UUID) (erpsync.Conflict, error) {
	var c erpsync.Conflict
	var body string
	err := q.QueryRowContext(ctx, `SELECT body FROM erp_sync_conflicts WHERE tenant_id = ? AND id = ?`, tenant, id.String()).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%w: %s", erpsync.ErrConflictNotFound, id)
	}
	if err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(body), &c)
}

func (t *syTx) AppendEvents(_ context.Context, evs ...erpsync.NewEvent) error {
	t.events = append(t.events, evs...)
	return nil
}

// SyncClientSeq implements sync.Store.
func (s *Store) SyncClientSeq(ctx context.Context, tenant, clientID string) (int64, error) {
	var last int64
	err := s.reader().QueryRowContext(ctx, `SELECT last_seq FROM erp_sync_clients WHERE tenant_id = ? AND client_id = ?`,
		tenant, clientID).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return last, interpretError(err)
}

// SyncResults implements sync.Store.
func (s *Store) SyncResults(ctx context.Context, tenant, clientID string, after int64, limit int) ([]erpsync.Result, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT seq, mutation_id, name, status, error, conflict_id, user_id, applied_us
		FROM erp_sync_results WHERE tenant_id = ? AND client_id = ? AND seq > ? ORDER BY seq LIMIT ?`, tenant, clientID, after, limit)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []erpsync.Result
	for rows.Next() {
		var r erpsync.Result
		var mid, status, cid string
		var us int64
		if err := rows.Scan(&r.Seq, &mid, &r.Name, &status, &r.Error, &cid, &r.User, &us); err != nil {
			return nil, interpretError(err)
		}
		r.MutationID, _ = uuid.Parse(mid)
		if cid != "" {
			r.ConflictID, _ = uuid.Parse(cid)
		}
		r.Status, r.At = erpsync.Status(status), time.UnixMicro(us).UTC()
		out = append(out, r)
	}
	return out, interpretError(rows.Err())
}

// SyncEntity implements sync.Store.
func (s *Store) SyncEntity(ctx context.Context, tenant string, ref erpsync.EntityRef) (erpsync.Entity, error) {
	e, err := syEntity(ctx, s.reader(), tenant, ref)
	return e, interpretError(err)
}

// SyncConflict implements sync.Store.
func (s *Store) SyncConflict(ctx context.Context, tenant string, id uuid.UUID) (erpsync.Conflict, error) {
	c, err := syConflict(ctx, s.reader(), tenant, id)
	return c, interpretError(err)
}

// SyncConflicts implements sync.Store.
func (s *Store) SyncConflicts(ctx context.Context, tenant string, f erpsync.ConflictFilter) ([]erpsync.Conflict, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT body FROM erp_sync_conflicts WHERE tenant_id = ?
		AND (? = '' OR status = ?) AND (? = '' OR (entity_type = ? AND entity_id = ?))
		ORDER BY created_us, id LIMIT ?`, tenant, string(f.Status), string(f.Status), f.Entity.Type, f.Entity.Type, f.Entity.ID, f.Limit)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []erpsync.Conflict
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, interpretError(err)
		}
		var c erpsync.Conflict
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}
