package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// SyncRows counts the tenant's rows in each of the adapter's event and sync
// tables (table name -> count).
type SyncRows func(ctx context.Context, tenant string) (map[string]int, error)

// SyncStore is what the sync suite needs of an adapter: the sync engine's
// store, whose transaction hands mutators a host that is also a
// ledger.Store (the adapter's tx-bound store), and the equipment store,
// whose writes append events.
type SyncStore interface {
	erpsync.Store
	ledger.Store
	equipment.Store
}

// Sync runs the sync engine's conformance suite against st (a migrated
// store); rows counts a tenant's rows: a failed call must leave them
// unchanged. short runs fewer iterations of the slow tests.
func Sync(t *testing.T, st SyncStore, rows SyncRows, short bool) {
	t.Run("EventLog", func(t *testing.T) { t.Parallel(); testSyEventLog(t, st) })
	t.Run("Retention", func(t *testing.T) { t.Parallel(); testSyRetention(t, st) })
	t.Run("ApplyOnce", func(t *testing.T) { t.Parallel(); testSyApplyOnce(t, st, rows) })
	t.Run("Failures", func(t *testing.T) { t.Parallel(); testSyFailures(t, st, rows) })
	t.Run("BadInput", func(t *testing.T) { t.Parallel(); testSyBadInput(t, st, rows) })
	t.Run("HostLedger", func(t *testing.T) { t.Parallel(); testSyHostLedger(t, st) })
	t.Run("TenantIsolation", func(t *testing.T) { t.Parallel(); testSyTenants(t, st) })
	t.Run("ConcurrentShared", func(t *testing.T) { t.Parallel(); testSyConcurrent(t, st, short, true) })
	t.Run("ConcurrentBatches", func(t *testing.T) { t.Parallel(); testSyConcurrent(t, st, short, false) })
	t.Run("ConcurrentSharedBatches", func(t *testing.T) { t.Parallel(); testSyDeadlocks(t, st, short) })
	t.Run("EquipmentEvents", func(t *testing.T) { t.Parallel(); testSyEquipmentEvents(t, st) })
	t.Run("Properties", func(t *testing.T) { t.Parallel(); testSyProperties(t, st, short) })
	t.Run("Conflicts", func(t *testing.T) { t.Parallel(); testSyConflicts(t, st, rows) })
}

// syServer returns a server with the suite's mutators:
//   - "counter.add" {"id","amount"}: adjusts stock/<id>.qty by amount,
//     failing (permanently) when the result is negative;
//   - "note.set" {"id","fields"}: Check of note/<id> with the fields;
//   - "fail.permanent", "fail.transient": fail after writing an entity;
//   - "emit" {"n"}: appends n events.
func syServer(st erpsync.Store, cfg erpsync.Config) *erpsync.Server {
	srv := erpsync.New(st, cfg)
	srv.Register("counter.add", func(ctx context.Context, mc *erpsync.Context) error {
		var a struct {
			ID     string          `json:"id"`
			Amount decimal.Decimal `json:"amount"`
		}
		if err := mc.Args(&a); err != nil {
			return err
		}
		e, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: a.ID},
			erpsync.Delta{Field: "qty", Amount: a.Amount, Reason: fmt.Sprintf("%s seq %d", mc.ClientID, mc.Mutation.Seq)})
		if err != nil {
			return err
		}
		q, err := erpsync.DecimalField(e.Fields["qty"])
		if err != nil {
			return err
		}
		if q.IsNegative() {
			return errSyNegative
		}
		return nil
	})
	srv.Register("note.set", func(ctx context.Context, mc *erpsync.Context) error {
		var a struct {
			ID     string         `json:"id"`
			Fields erpsync.Fields `json:"fields"`
		}
		if err := mc.Args(&a); err != nil {
			return err
		}
		_, err := mc.Check(ctx, erpsync.EntityRef{Type: "note", ID: a.ID}, a.Fields)
		return err
	})
	srv.Register("fail.permanent", func(ctx context.Context, mc *erpsync.Context) error {
		if _, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: "doomed"}, erpsync.Delta{Field: "qty", Amount: decimal.New(1, 0), Reason: "x"}); err != nil {
			return err
		}
		return errors.New("business rule says no")
	})
	srv.Register("fail.transient", func(ctx context.Context, mc *erpsync.Context) error {
		if _, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: "doomed"}, erpsync.Delta{Field: "qty", Amount: decimal.New(1, 0), Reason: "x"}); err != nil {
			return err
		}
		return fmt.Errorf("service down: %w", erpsync.ErrTransient)
	})
	srv.Register("emit", func(_ context.Context, mc *erpsync.Context) error {
		var a struct{ N int }
		if err := mc.Args(&a); err != nil {
			return err
		}
		for i := range a.N {
			mc.Emit(erpsync.NewEvent{Type: "test.emitted", Entity: erpsync.EntityRef{Type: "test", ID: fmt.Sprint(i)},
				Data: syArgs(map[string]any{"client": mc.ClientID, "seq": mc.Mutation.Seq, "i": i})})
		}
		return nil
	})
	return srv
}

var errSyNegative = errors.New("stock would go negative")

func syArgs(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func syAdd(seq int64, id, amount string) erpsync.Mutation {
	return erpsync.Mutation{Seq: seq, ID: uuid.New(), Name: "counter.add", Args: syArgs(map[string]string{"id": id, "amount": amount})}
}

func syEmit(seq int64, n int) erpsync.Mutation {
	return erpsync.Mutation{Seq: seq, ID: uuid.New(), Name: "emit", Args: syArgs(map[string]int{"n": n})}
}

func syPush(client string, ms ...erpsync.Mutation) erpsync.Push {
	return erpsync.Push{ClientGroupID: "g-" + client, ClientID: client, Mutations: ms}
}

func syQty(t testing.TB, st erpsync.Store, tn, id string) decimal.Decimal {
	t.Helper()
	e, err := st.SyncEntity(context.Background(), tn, erpsync.EntityRef{Type: "stock", ID: id})
	require.NoError(t, err)
	if e.Version == 0 {
		return decimal.Zero
	}
	q, err := erpsync.DecimalField(e.Fields["qty"])
	require.NoError(t, err)
	return q
}

// syAllEvents reads the whole log after cursor in pages of 7.
func syAllEvents(t testing.TB, st erpsync.Store, tn string, after int64) []erpsync.Event {
	t.Helper()
	var out []erpsync.Event
	for {
		p, err := st.SyncEvents(context.Background(), tn, after, 7)
		require.NoError(t, err)
		require.False(t, p.Reset)
		if len(p.Events) == 0 {
			return out
		}
		out = append(out, p.Events...)
		after = p.Events[len(p.Events)-1].Cursor
	}
}

func testSyEventLog(t *testing.T, st SyncStore) {
	ctx := context.Background()
	tn := tenant(t)
	srv := syServer(st, erpsync.Config{})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	p, err := st.SyncEvents(ctx, tn, 0, 10)
	require.NoError(t, err)
	require.False(t, p.Reset)
	require.Empty(t, p.Events)
	require.Zero(t, p.Head)

	res, err := srv.Push(ctx, c, syPush("c1", syEmit(1, 3), syEmit(2, 0), syEmit(3, 5)))
	require.NoError(t, err)
	require.EqualValues(t, 3, res.LastSeq)
	evs := syAllEvents(t, st, tn, 0)
	require.Len(t, evs, 8)
	for i, e := range evs {
		require.EqualValues(t, i+1, e.Cursor, "cursors are gapless from 1")
		require.Equal(t, "test.emitted", e.Type)
		require.False(t, e.At.IsZero())
	}
	var d struct{ Seq, I int }
	require.NoError(t, json.Unmarshal(evs[3].Data, &d))
	require.Equal(t, 3, d.Seq)
	require.Equal(t, 0, d.I)
	// After a cursor, with a limit.
	p, err = st.SyncEvents(ctx, tn, 5, 2)
	require.NoError(t, err)
	require.Len(t, p.Events, 2)
	require.EqualValues(t, 6, p.Events[0].Cursor)
	require.EqualValues(t, 8, p.Head)
	// At the head: nothing, no reset. Beyond it: a reset.
	p, err = st.SyncEvents(ctx, tn, 8, 10)
	require.NoError(t, err)
	require.False(t, p.Reset)
	require.Empty(t, p.Events)
	p, err = st.SyncEvents(ctx, tn, 9, 10)
	require.NoError(t, err)
	require.True(t, p.Reset)
	require.Empty(t, p.Events)
	// Pull wraps it, with the client's ack.
	pr, err := srv.Pull(ctx, c, erpsync.PullRequest{ClientID: "c1", Cursor: 6, Limit: 10})
	require.NoError(t, err)
	require.EqualValues(t, 3, pr.LastSeq)
	require.EqualValues(t, 8, pr.Cursor)
	require.Len(t, pr.Events, 2)
}

func testSyRetention(t *testing.T, st SyncStore) {
	ctx := context.Background()
	tn := tenant(t)
	srv := syServer(st, erpsync.Config{})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	_, err := srv.Push(ctx, c, syPush("c1", syEmit(1, 4)))
	require.NoError(t, err)
	n, err := srv.Prune(ctx, tn, time.Now().Add(-time.Hour))
	require.NoError(t, err)
	require.Zero(t, n, "nothing is older than an hour")
	cut := time.Now().Add(time.Second)
	n, err = srv.Prune(ctx, tn, cut)
	require.NoError(t, err)
	require.Equal(t, 4, n)
	_, err = srv.Push(ctx, c, syPush("c1", syEmit(2, 2)))
	require.NoError(t, err)
	for _, after := range []int64{0, 1, 3} {
		p, err := st.SyncEvents(ctx, tn, after, 10)
		require.NoError(t, err)
		require.True(t, p.Reset, "cursor %d is older than the retained log", after)
		require.Empty(t, p.Events)
		require.EqualValues(t, 6, p.Head)
	}
	p, err := st.SyncEvents(ctx, tn, 4, 10)
	require.NoError(t, err)
	require.False(t, p.Reset)
	require.Len(t, p.Events, 2)
	require.EqualValues(t, 5, p.Events[0].Cursor)
	pr, err := srv.Pull(ctx, c, erpsync.PullRequest{Cursor: 2})
	require.NoError(t, err)
	require.True(t, pr.Reset)
	require.EqualValues(t, 6, pr.Cursor, "after a reset the reader continues from the head")
}

func testSyApplyOnce(t *testing.T, st SyncStore, rows SyncRows) {
	ctx := context.Background()
	tn := tenant(t)
	srv := syServer(st, erpsync.Config{})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	m := []erpsync.Mutation{syAdd(1, "A", "5"), syAdd(2, "A", "-2"), syAdd(3, "A", "10"), syAdd(4, "B", "1")}
	res, err := srv.Push(ctx, c, syPush("c1", m[0], m[1]))
	require.NoError(t, err)
	require.EqualValues(t, 2, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.Applied, erpsync.Applied}, syStatuses(res))
	// Duplicates, reordered, with one new: only the new one applies.
	res, err = srv.Push(ctx, c, syPush("c1", m[2], m[1], m[0], m[1]))
	require.NoError(t, err)
	require.EqualValues(t, 3, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.AlreadyApplied, erpsync.AlreadyApplied, erpsync.Applied}, syStatuses(res))
	require.True(t, syQty(t, st, tn, "A").Equal(dec("13")))
	// A gap: seq 6 before 5 stops the batch, nothing written.
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	res, err = srv.Push(ctx, c, syPush("c1", syAdd(6, "A", "100")))
	require.NoError(t, err)
	require.EqualValues(t, 3, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.Gap}, syStatuses(res))
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after)
	res, err = srv.Push(ctx, c, syPush("c1", m[3], syAdd(5, "A", "1"), syAdd(6, "A", "1"), syAdd(8, "A", "1")))
	require.NoError(t, err)
	require.EqualValues(t, 6, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.Applied, erpsync.Applied, erpsync.Applied, erpsync.Gap}, syStatuses(res))
	require.True(t, syQty(t, st, tn, "A").Equal(dec("15")))
	require.True(t, syQty(t, st, tn, "B").Equal(dec("1")))
	seq, err := st.SyncClientSeq(ctx, tn, "c1")
	require.NoError(t, err)
	require.EqualValues(t, 6, seq)
	rs, err := srv.Results(ctx, c, "c1", 0, 100)
	require.NoError(t, err)
	require.Len(t, rs, 6)
	for i, r := range rs {
		require.EqualValues(t, i+1, r.Seq)
		require.Equal(t, erpsync.Applied, r.Status)
		require.Equal(t, "u1", r.User)
	}
	require.Equal(t, m[0].ID, rs[0].MutationID)
	// Each applied adjustment appended one event, in seq order.
	evs := syAllEvents(t, st, tn, 0)
	require.Len(t, evs, 6)
	require.Equal(t, "sync.entity.adjusted", evs[0].Type)
	require.Equal(t, erpsync.EntityRef{Type: "stock", ID: "B"}, evs[3].Entity)
	// A second client is independent.
	res, err = srv.Push(ctx, c, syPush("c2", syAdd(1, "A", "1")))
	require.NoError(t, err)
	require.EqualValues(t, 1, res.LastSeq)
}

func syStatuses(r erpsync.PushResult) []erpsync.Status {
	out := make([]erpsync.Status, len(r.Results))
	for i, x := range r.Results {
		out[i] = x.Status
	}
	return out
}

func testSyFailures(t *testing.T, st SyncStore, rows SyncRows) {
	ctx := context.Background()
	tn := tenant(t)
	srv := syServer(st, erpsync.Config{})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	// A permanent failure is recorded, advances the seq, undoes its writes
	// and does not block the next mutation.
	res, err := srv.Push(ctx, c, syPush("c1", syAdd(1, "A", "2"),
		erpsync.Mutation{Seq: 2, ID: uuid.New(), Name: "fail.permanent"},
		syAdd(3, "A", "-5"), // negative stock: rejected by the mutator's rule
		erpsync.Mutation{Seq: 4, ID: uuid.New(), Name: "no.such.mutator"},
		syAdd(5, "A", "1")))
	require.NoError(t, err)
	require.EqualValues(t, 5, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.Applied, erpsync.Rejected, erpsync.Rejected, erpsync.Rejected, erpsync.Applied}, syStatuses(res))
	require.Contains(t, res.Results[1].Error, "business rule says no")
	require.Contains(t, res.Results[2].Error, errSyNegative.Error())
	require.Contains(t, res.Results[3].Error, "no mutator")
	require.True(t, syQty(t, st, tn, "A").Equal(dec("3")))
	require.True(t, syQty(t, st, tn, "doomed").IsZero(), "the failed mutation's write was rolled back")
	rs, err := srv.Results(ctx, c, "c1", 1, 10)
	require.NoError(t, err)
	require.Len(t, rs, 4)
	require.Equal(t, erpsync.Rejected, rs[0].Status)
	require.Contains(t, rs[0].Error, "business rule says no")
	// A transient failure rolls back, does not advance and ends the batch.
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	res, err = srv.Push(ctx, c, syPush("c1", erpsync.Mutation{Seq: 6, ID: uuid.New(), Name: "fail.transient"}, syAdd(7, "A", "1")))
	require.NoError(t, err)
	require.EqualValues(t, 5, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.Retry}, syStatuses(res))
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after, "a transient failure leaves no row")
	// Progress before a transient failure in the same batch commits.
	res, err = srv.Push(ctx, c, syPush("c1", syAdd(6, "A", "1"), erpsync.Mutation{Seq: 7, ID: uuid.New(), Name: "fail.transient"}))
	require.NoError(t, err)
	require.EqualValues(t, 6, res.LastSeq)
	require.Equal(t, []erpsync.Status{erpsync.Applied, erpsync.Retry}, syStatuses(res))
	require.True(t, syQty(t, st, tn, "A").Equal(dec("4")))
}

func testSyBadInput(t *testing.T, st SyncStore, rows SyncRows) {
	ctx := context.Background()
	tn := tenant(t)
	srv := syServer(st, erpsync.Config{MaxBatch: 3})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	_, err := srv.Push(ctx, c, syPush("c1", syAdd(1, "A", "1")))
	require.NoError(t, err)
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		c erpsync.Caller
		p erpsync.Push
	}{
		"no tenant":     {erpsync.Caller{User: "u1"}, syPush("c1", syAdd(2, "A", "1"))},
		"no client":     {c, erpsync.Push{ClientGroupID: "g", Mutations: []erpsync.Mutation{syAdd(2, "A", "1")}}},
		"no group":      {c, erpsync.Push{ClientID: "c1", Mutations: []erpsync.Mutation{syAdd(2, "A", "1")}}},
		"seq 0":         {c, syPush("c1", syAdd(0, "A", "1"))},
		"no name":       {c, syPush("c1", erpsync.Mutation{Seq: 2})},
		"bad args":      {c, syPush("c1", erpsync.Mutation{Seq: 2, Name: "counter.add", Args: json.RawMessage(`{"id":`)})},
		"batch too big": {c, syPush("c1", syAdd(2, "A", "1"), syAdd(3, "A", "1"), syAdd(4, "A", "1"), syAdd(5, "A", "1"))},
	} {
		_, err := srv.Push(ctx, tc.c, tc.p)
		require.ErrorIs(t, err, erpsync.ErrInvalid, name)
	}
	// A client ID reused by another group.
	_, err = srv.Push(ctx, c, erpsync.Push{ClientGroupID: "other", ClientID: "c1", Mutations: []erpsync.Mutation{syAdd(2, "A", "1")}})
	require.ErrorIs(t, err, erpsync.ErrClientGroup)
	_, err = srv.Pull(ctx, c, erpsync.PullRequest{Cursor: -1})
	require.ErrorIs(t, err, erpsync.ErrInvalid)
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after)
}

// testSyHostLedger: a mutator posts to the ledger through the host store of
// the server's transaction; a failure after the posting leaves neither the
// entry nor the mutation's other writes.
func testSyHostLedger(t *testing.T, st SyncStore) {
	ctx := context.Background()
	tn := tenant(t)
	gl := ledger.New(st, ledger.Config{})
	for _, a := range chartOfAccounts {
		_, err := gl.CreateAccount(ctx, tn, a)
		require.NoError(t, err)
	}
	srv := syServer(st, erpsync.Config{})
	srv.Register("expense.post", func(ctx context.Context, mc *erpsync.Context) error {
		var a struct {
			Amount string `json:"amount"`
			Fail   bool   `json:"fail"`
		}
		if err := mc.Args(&a); err != nil {
			return err
		}
		host, ok := mc.Host.(ledger.Store)
		if !ok {
			return fmt.Errorf("host %T is not a ledger.Store", mc.Host)
		}
		if _, err := ledger.New(host, ledger.Config{}).Post(ctx, mc.Tenant, entry("2026-07-01",
			dr("5010", a.Amount, "BDT"), cr("1010", a.Amount, "BDT"))); err != nil {
			return err
		}
		if _, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: "fuel"},
			erpsync.Delta{Field: "qty", Amount: decimal.RequireFromString(a.Amount), Reason: "fuel bought"}); err != nil {
			return err
		}
		if a.Fail {
			return errors.New("approval limit exceeded")
		}
		return nil
	})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	res, err := srv.Push(ctx, c, syPush("c1",
		erpsync.Mutation{Seq: 1, ID: uuid.New(), Name: "expense.post", Args: syArgs(map[string]any{"amount": "100.00"})},
		erpsync.Mutation{Seq: 2, ID: uuid.New(), Name: "expense.post", Args: syArgs(map[string]any{"amount": "40.00", "fail": true})},
		erpsync.Mutation{Seq: 3, ID: uuid.New(), Name: "expense.post", Args: syArgs(map[string]any{"amount": "5.00"})}))
	require.NoError(t, err)
	require.Equal(t, []erpsync.Status{erpsync.Applied, erpsync.Rejected, erpsync.Applied}, syStatuses(res))
	b, err := gl.Balance(ctx, tn, "5010", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, b.Balance.Equal(dec("105")), "the rejected mutation's posting was rolled back: %s", b.Balance)
	es, err := gl.Entries(ctx, tn, ledger.EntryQuery{})
	require.NoError(t, err)
	require.Len(t, es, 2)
	require.True(t, syQty(t, st, tn, "fuel").Equal(dec("105")))
}

func testSyTenants(t *testing.T, st SyncStore) {
	ctx := context.Background()
	a, b := tenant(t), tenant(t)
	srv := syServer(st, erpsync.Config{Policies: map[string]erpsync.Policy{"note": {Strategy: erpsync.Manual}}})
	ca, cb := erpsync.Caller{Tenant: a, User: "ua"}, erpsync.Caller{Tenant: b, User: "ub"}
	_, err := srv.Push(ctx, ca, syPush("c1", syEmit(1, 3), syAdd(2, "A", "5")))
	require.NoError(t, err)
	cf := syMakeConflict(t, srv, ca, "n1")
	// Same client ID in tenant B: a client of its own, from seq 1.
	res, err := srv.Push(ctx, cb, syPush("c1", syAdd(1, "A", "1")))
	require.NoError(t, err)
	require.Equal(t, []erpsync.Status{erpsync.Applied}, syStatuses(res))
	require.True(t, syQty(t, st, a, "A").Equal(dec("5")))
	require.True(t, syQty(t, st, b, "A").Equal(dec("1")))
	evs := syAllEvents(t, st, b, 0)
	require.Len(t, evs, 1, "B sees only its own events, from cursor 1")
	require.EqualValues(t, 1, evs[0].Cursor)
	list, err := srv.Conflicts(ctx, cb, erpsync.ConflictFilter{})
	require.NoError(t, err)
	require.Empty(t, list)
	_, err = srv.Conflict(ctx, cb, cf.ID)
	require.ErrorIs(t, err, erpsync.ErrConflictNotFound)
	_, err = srv.Approve(ctx, cb, cf.ID)
	require.ErrorIs(t, err, erpsync.ErrConflictNotFound)
	got, err := srv.Conflict(ctx, ca, cf.ID)
	require.NoError(t, err)
	require.Equal(t, erpsync.StatusPending, got.Status)
	n, err := srv.Prune(ctx, b, time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Len(t, syAllEvents(t, st, a, 0), 3+1+3, "pruning B leaves A's log alone")
}

// testSyConcurrent: many clients push at once, with duplicates, to two
// shared entities (shared: a transaction per mutation) or to entities of
// their own (whole batches in one transaction): every mutation applies
// once, the log is gapless and in commit order.
func testSyConcurrent(t *testing.T, st SyncStore, short, shared bool) {
	ctx := context.Background()
	tn := tenant(t)
	cfg := erpsync.Config{}
	if shared {
		cfg.MutationsPerTx = 1
	}
	srv := syServer(st, cfg)
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	clients, per := 8, 30
	if short {
		clients, per = 4, 10
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for k := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("c%d", k)
			var ms []erpsync.Mutation
			for i := 1; i <= per; i++ {
				ent := []string{"X", "Y"}[i%2]
				if !shared {
					ent += id
				}
				ms = append(ms, syAdd(int64(i), ent, "1"))
			}
			for seq := int64(0); seq < int64(per); {
				// Send a window of 5 from the last ack, twice (a duplicate).
				hi := min(int(seq)+5, per)
				for range 2 {
					res, err := srv.Push(ctx, c, syPush(id, ms[seq:hi]...))
					if err != nil {
						errs <- err
						return
					}
					seq = res.LastSeq
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	total := syQty(t, st, tn, "X").Add(syQty(t, st, tn, "Y"))
	if !shared {
		total = decimal.Zero
		for k := range clients {
			total = total.Add(syQty(t, st, tn, fmt.Sprintf("Xc%d", k))).Add(syQty(t, st, tn, fmt.Sprintf("Yc%d", k)))
		}
	}
	require.True(t, total.Equal(decimal.NewFromInt(int64(clients*per))), "each mutation applied once: %s", total)
	evs := syAllEvents(t, st, tn, 0)
	require.Len(t, evs, clients*per)
	versions := map[string]int64{}
	for i, e := range evs {
		require.EqualValues(t, i+1, e.Cursor)
		var d struct{ Version int64 }
		require.NoError(t, json.Unmarshal(e.Data, &d))
		require.Equal(t, versions[e.Entity.ID]+1, d.Version, "events of an entity are in version (commit) order")
		versions[e.Entity.ID] = d.Version
	}
}

// testSyDeadlocks: clients push whole batches (the default) that adjust
// two shared entities in different orders, which would deadlock on
// PostgreSQL: a batch that finds an entity locked while it holds others
// commits what it applied and goes on in a new transaction, so no client
// sees Retry and every mutation applies once.
func testSyDeadlocks(t *testing.T, st SyncStore, short bool) {
	ctx := context.Background()
	tn := tenant(t)
	srv := syServer(st, erpsync.Config{})
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	clients, per := 4, 20
	if short {
		clients, per = 3, 10
	}
	var wg sync.WaitGroup
	errs := make([]error, clients)
	for k := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ms []erpsync.Mutation
			for i := 1; i <= per; i++ {
				ent := []string{"P", "Q"}[(i+k)%2] // opposite orders in neighbouring clients
				ms = append(ms, syAdd(int64(i), ent, "1"))
			}
			res, err := srv.Push(ctx, c, syPush(fmt.Sprintf("c%d", k), ms...))
			if err == nil && res.LastSeq != int64(per) {
				err = fmt.Errorf("client %d: acknowledged %d of %d: %+v", k, res.LastSeq, per, res.Results[len(res.Results)-1])
			}
			errs[k] = err
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	total := syQty(t, st, tn, "P").Add(syQty(t, st, tn, "Q"))
	require.True(t, total.Equal(decimal.NewFromInt(int64(clients*per))), "each mutation applied once: %s", total)
}
