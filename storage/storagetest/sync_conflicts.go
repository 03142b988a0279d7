package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// syClient pushes note.set mutations with its own seq numbers.
type syClient struct {
	id  string
	seq int64
}

func (c *syClient) set(t testing.TB, srv *erpsync.Server, caller erpsync.Caller, note string, base *erpsync.Base, fields map[string]string) erpsync.Result {
	t.Helper()
	c.seq++
	local := erpsync.Fields{}
	for k, v := range fields {
		local[k] = syArgs(v)
	}
	m := erpsync.Mutation{Seq: c.seq, ID: uuid.New(), Name: "note.set", Args: syArgs(map[string]any{"id": note, "fields": local})}
	if base != nil {
		m.Base = []erpsync.Base{*base}
	}
	res, err := srv.Push(context.Background(), caller, syPush(c.id, m))
	require.NoError(t, err)
	require.Len(t, res.Results, 1)
	require.EqualValues(t, c.seq, res.LastSeq)
	return res.Results[0]
}

func syBase(e erpsync.Entity, fields ...string) *erpsync.Base {
	b := &erpsync.Base{Entity: e.Ref, Version: e.Version, Fields: erpsync.Fields{}}
	for _, f := range fields {
		b.Fields[f] = e.Fields[f]
	}
	return b
}

func syNote(t testing.TB, srv *erpsync.Server, c erpsync.Caller, id string) erpsync.Entity {
	t.Helper()
	e, err := srv.Entity(context.Background(), c, erpsync.EntityRef{Type: "note", ID: id})
	require.NoError(t, err)
	return e
}

func syField(t testing.TB, e erpsync.Entity, f string) string {
	t.Helper()
	var s string
	require.NoError(t, json.Unmarshal(e.Fields[f], &s), f)
	return s
}

// syStale makes the standard race on note id: A writes title a, price 10;
// B (having read that) changes title to b; A, still at version 1, sends
// title c and price 12. It returns A's result and the version-1 entity.
func syStale(t testing.TB, srv *erpsync.Server, c erpsync.Caller, id string) (erpsync.Result, erpsync.Entity) {
	a, b := &syClient{id: "A-" + id}, &syClient{id: "B-" + id}
	r := a.set(t, srv, c, id, nil, map[string]string{"title": "a", "price": "10"})
	require.Equal(t, erpsync.Applied, r.Status)
	v1 := syNote(t, srv, c, id)
	require.EqualValues(t, 1, v1.Version)
	r = b.set(t, srv, c, id, syBase(v1, "title"), map[string]string{"title": "b"})
	require.Equal(t, erpsync.Applied, r.Status)
	return a.set(t, srv, c, id, syBase(v1, "title", "price"), map[string]string{"title": "c", "price": "12"}), v1
}

func syMakeConflict(t testing.TB, srv *erpsync.Server, c erpsync.Caller, id string) erpsync.Conflict {
	r, _ := syStale(t, srv, c, id)
	require.NotEqual(t, uuid.Nil, r.ConflictID)
	cf, err := srv.Conflict(context.Background(), c, r.ConflictID)
	require.NoError(t, err)
	return cf
}

var syPolicyFields = map[string]erpsync.FieldClass{"title": erpsync.ClassText, "price": erpsync.ClassMoney}

func syPolicies(s erpsync.Strategy) map[string]erpsync.Policy {
	return map[string]erpsync.Policy{"note": {Strategy: s, Fields: syPolicyFields}}
}

func testSyConflicts(t *testing.T, st SyncStore, rows SyncRows) {
	ctx := context.Background()
	t.Run("ConcurrentDecisions", func(t *testing.T) { t.Parallel(); testSyConcurrentDecisions(t, st) })
	t.Run("EffectsWithConflicts", func(t *testing.T) { t.Parallel(); testSyEffectsWithConflicts(t, st) })
	t.Run("ServerWins", func(t *testing.T) {
		t.Parallel()
		tn := tenant(t)
		c := erpsync.Caller{Tenant: tn, User: "u1"}
		srv := syServer(st, erpsync.Config{Policies: syPolicies(erpsync.ServerWins)})
		r, _ := syStale(t, srv, c, "n1")
		require.Equal(t, erpsync.Rejected, r.Status)
		require.NotEqual(t, uuid.Nil, r.ConflictID)
		e := syNote(t, srv, c, "n1")
		require.EqualValues(t, 2, e.Version)
		require.Equal(t, "b", syField(t, e, "title"))
		require.Equal(t, "10", syField(t, e, "price"), "a rejected mutation changes no field")
		cf, err := srv.Conflict(ctx, c, r.ConflictID)
		require.NoError(t, err)
		require.Equal(t, erpsync.StatusServerWon, cf.Status)
		require.Equal(t, erpsync.Low, cf.Severity)
		require.Len(t, cf.Fields, 1)
		f := cf.Fields[0]
		require.Equal(t, "title", f.Field)
		require.JSONEq(t, `"a"`, string(f.Base))
		require.JSONEq(t, `"c"`, string(f.Local), "the losing value is kept")
		require.JSONEq(t, `"b"`, string(f.Server))
		require.EqualValues(t, 1, cf.BaseVersion)
		require.EqualValues(t, 2, cf.ServerVersion)
		_, err = srv.Approve(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID)
		require.ErrorIs(t, err, erpsync.ErrConflictDecided)
		// Changes to different fields never conflict.
		v2 := syNote(t, srv, c, "n1")
		x, y := &syClient{id: "X"}, &syClient{id: "Y"}
		require.Equal(t, erpsync.Applied, x.set(t, srv, c, "n1", syBase(v2, "title"), map[string]string{"title": "x"}).Status)
		r = y.set(t, srv, c, "n1", syBase(v2, "price"), map[string]string{"price": "11"})
		require.Equal(t, erpsync.Applied, r.Status)
		require.Equal(t, uuid.Nil, r.ConflictID)
		e = syNote(t, srv, c, "n1")
		require.Equal(t, "x", syField(t, e, "title"))
		require.Equal(t, "11", syField(t, e, "price"))
		// The same value on both sides is no conflict.
		r = (&syClient{id: "Z"}).set(t, srv, c, "n1", syBase(v2, "title"), map[string]string{"title": "x"})
		require.Equal(t, erpsync.Applied, r.Status)
	})
	t.Run("FieldMergeChoose", func(t *testing.T) {
		t.Parallel()
		tn := tenant(t)
		c := erpsync.Caller{Tenant: tn, User: "u1"}
		srv := syServer(st, erpsync.Config{Policies: syPolicies(erpsync.FieldMerge), Severity: map[erpsync.FieldClass]erpsync.Severity{erpsync.ClassText: erpsync.High}})
		r, _ := syStale(t, srv, c, "n1")
		require.Equal(t, erpsync.Applied, r.Status)
		require.NotEqual(t, uuid.Nil, r.ConflictID)
		e := syNote(t, srv, c, "n1")
		require.EqualValues(t, 3, e.Version)
		require.Equal(t, "b", syField(t, e, "title"), "the conflicting field keeps the server's value")
		require.Equal(t, "12", syField(t, e, "price"), "the field only the client changed is merged")
		cf, err := srv.Conflict(ctx, c, r.ConflictID)
		require.NoError(t, err)
		require.Equal(t, erpsync.StatusPending, cf.Status)
		require.Equal(t, erpsync.High, cf.Severity, "configured severity of the text class")
		list, err := srv.Conflicts(ctx, c, erpsync.ConflictFilter{Status: erpsync.StatusPending})
		require.NoError(t, err)
		require.Len(t, list, 1)
		list, err = srv.Conflicts(ctx, c, erpsync.ConflictFilter{Entity: erpsync.EntityRef{Type: "note", ID: "other"}})
		require.NoError(t, err)
		require.Empty(t, list)
		// Choosing a field that is not in conflict fails and changes nothing.
		before, err := rows(ctx, tn)
		require.NoError(t, err)
		_, err = srv.Choose(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID, erpsync.Fields{"price": syArgs("1")})
		require.ErrorIs(t, err, erpsync.ErrInvalid)
		_, err = srv.Choose(ctx, erpsync.Caller{Tenant: tn}, cf.ID, erpsync.Fields{"title": syArgs("1")})
		require.ErrorIs(t, err, erpsync.ErrInvalid, "a decision needs a user")
		after, err := rows(ctx, tn)
		require.NoError(t, err)
		require.Equal(t, before, after)
		got, err := srv.Choose(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID, erpsync.Fields{"title": syArgs("c+b")})
		require.NoError(t, err)
		require.Equal(t, erpsync.StatusResolved, got.Status)
		require.Equal(t, "boss", got.DecidedBy)
		require.False(t, got.DecidedAt.IsZero())
		e = syNote(t, srv, c, "n1")
		require.EqualValues(t, 4, e.Version)
		require.Equal(t, "c+b", syField(t, e, "title"))
		require.Equal(t, "12", syField(t, e, "price"))
		stored, err := srv.Conflict(ctx, c, cf.ID)
		require.NoError(t, err)
		require.Equal(t, erpsync.StatusResolved, stored.Status)
		require.Equal(t, "boss", stored.DecidedBy)
		_, err = srv.Choose(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID, erpsync.Fields{"title": syArgs("again")})
		require.ErrorIs(t, err, erpsync.ErrConflictDecided)
	})
	t.Run("ClientOverrideApprove", func(t *testing.T) {
		t.Parallel()
		tn := tenant(t)
		c := erpsync.Caller{Tenant: tn, User: "u1"}
		srv := syServer(st, erpsync.Config{Policies: syPolicies(erpsync.ClientOverride)})
		r, _ := syStale(t, srv, c, "n1")
		require.Equal(t, erpsync.Held, r.Status)
		e := syNote(t, srv, c, "n1")
		require.EqualValues(t, 2, e.Version, "held: nothing applied")
		require.Equal(t, "10", syField(t, e, "price"))
		got, err := srv.Approve(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, r.ConflictID)
		require.NoError(t, err)
		require.Equal(t, erpsync.StatusApproved, got.Status)
		require.Equal(t, "boss", got.DecidedBy)
		e = syNote(t, srv, c, "n1")
		require.EqualValues(t, 3, e.Version)
		require.Equal(t, "c", syField(t, e, "title"))
		require.Equal(t, "12", syField(t, e, "price"))
		evs := syAllEvents(t, st, tn, 0)
		require.Equal(t, "sync.conflict.approved", evs[len(evs)-1].Type)
	})
	t.Run("ManualReject", func(t *testing.T) {
		t.Parallel()
		tn := tenant(t)
		c := erpsync.Caller{Tenant: tn, User: "u1"}
		srv := syServer(st, erpsync.Config{Policies: syPolicies(erpsync.Manual)})
		cf := syMakeConflict(t, srv, c, "n1")
		require.Equal(t, erpsync.StatusPending, cf.Status)
		require.Equal(t, erpsync.Manual, cf.Strategy)
		require.JSONEq(t, `{"title":"c","price":"12"}`, string(syArgs(cf.Local)))
		got, err := srv.Reject(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID)
		require.NoError(t, err)
		require.Equal(t, erpsync.StatusRejected, got.Status)
		e := syNote(t, srv, c, "n1")
		require.EqualValues(t, 2, e.Version)
		require.Equal(t, "b", syField(t, e, "title"))
		_, err = srv.Reject(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID)
		require.ErrorIs(t, err, erpsync.ErrConflictDecided)
		_, err = srv.Approve(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, uuid.New())
		require.ErrorIs(t, err, erpsync.ErrConflictNotFound)
		// Manual, chosen: the chosen title and the client's other change.
		cf = syMakeConflict(t, srv, c, "n2")
		_, err = srv.Choose(ctx, erpsync.Caller{Tenant: tn, User: "boss"}, cf.ID, erpsync.Fields{"title": cf.Fields[0].Base})
		require.NoError(t, err)
		e = syNote(t, srv, c, "n2")
		require.Equal(t, "a", syField(t, e, "title"))
		require.Equal(t, "12", syField(t, e, "price"))
	})
}

// testSyEffectsWithConflicts: a mutator that adjusts stock and then checks
// an entity. A rejected or held mutation leaves no stock change and no
// event of it; a decision runs the mutator again, and Context.Decision lets
// it skip what field merge applied at push time: the stock moves once.
func testSyEffectsWithConflicts(t *testing.T, st SyncStore) {
	ctx := context.Background()
	tn := tenant(t)
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	boss := erpsync.Caller{Tenant: tn, User: "boss"}
	srv := syServer(st, erpsync.Config{Policies: map[string]erpsync.Policy{
		"note": {Strategy: erpsync.ServerWins}, "memo": {Strategy: erpsync.FieldMerge}, "card": {Strategy: erpsync.ClientOverride},
	}})
	srv.Register("stock.note", func(ctx context.Context, mc *erpsync.Context) error {
		var a struct {
			Type, ID string
			Fields   erpsync.Fields
		}
		if err := mc.Args(&a); err != nil {
			return err
		}
		if d := mc.Decision(); d == nil || d.Strategy != erpsync.FieldMerge {
			if _, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: a.Type},
				erpsync.Delta{Field: "qty", Amount: decimal.New(1, 0), Reason: "with " + a.Type}); err != nil {
				return err
			}
		}
		_, err := mc.Check(ctx, erpsync.EntityRef{Type: a.Type, ID: a.ID}, a.Fields)
		return err
	})
	seqs := map[string]int64{}
	push := func(client, typ string, base *erpsync.Base, title string) erpsync.Result {
		seqs[client]++
		m := erpsync.Mutation{Seq: seqs[client], ID: uuid.New(), Name: "stock.note",
			Args: syArgs(map[string]any{"type": typ, "id": "x", "fields": erpsync.Fields{"title": syArgs(title)}})}
		if base != nil {
			m.Base = []erpsync.Base{*base}
		}
		res, err := srv.Push(ctx, c, syPush(client, m))
		require.NoError(t, err)
		return res.Results[0]
	}
	stale := func(typ string) erpsync.Result {
		require.Equal(t, erpsync.Applied, push("A"+typ, typ, nil, "a").Status)
		e, err := srv.Entity(ctx, c, erpsync.EntityRef{Type: typ, ID: "x"})
		require.NoError(t, err)
		v1 := syBase(e, "title")
		require.Equal(t, erpsync.Applied, push("B"+typ, typ, v1, "b").Status)
		return push("A"+typ, typ, v1, "c")
	}
	adjusted := func(typ string) int {
		n := 0
		for _, e := range syAllEvents(t, st, tn, 0) {
			if e.Type == "sync.entity.adjusted" && e.Entity.ID == typ {
				n++
			}
		}
		return n
	}
	// Server wins: rejected, its stock change undone and not logged.
	r := stale("note")
	require.Equal(t, erpsync.Rejected, r.Status)
	require.True(t, syQtyOf(st, tn, "note").Equal(dec("2")), "two applied pushes moved stock, the rejected one did not")
	require.Equal(t, 2, adjusted("note"))
	recorded := 0
	for _, e := range syAllEvents(t, st, tn, 0) {
		if e.Type == "sync.conflict.recorded" {
			recorded++
		}
	}
	require.Equal(t, 1, recorded)
	// Field merge: applied with its stock change; the choice does not move stock again.
	r = stale("memo")
	require.Equal(t, erpsync.Applied, r.Status)
	require.True(t, syQtyOf(st, tn, "memo").Equal(dec("3")))
	_, err := srv.Choose(ctx, boss, r.ConflictID, erpsync.Fields{"title": syArgs("c")})
	require.NoError(t, err)
	require.True(t, syQtyOf(st, tn, "memo").Equal(dec("3")))
	require.Equal(t, 3, adjusted("memo"))
	// Client override: held without its stock change; approval applies all of it once.
	r = stale("card")
	require.Equal(t, erpsync.Held, r.Status)
	require.True(t, syQtyOf(st, tn, "card").Equal(dec("2")))
	_, err = srv.Approve(ctx, boss, r.ConflictID)
	require.NoError(t, err)
	require.True(t, syQtyOf(st, tn, "card").Equal(dec("3")))
	e, err := srv.Entity(ctx, c, erpsync.EntityRef{Type: "card", ID: "x"})
	require.NoError(t, err)
	require.Equal(t, "c", syField(t, e, "title"))
}

// testSyConcurrentDecisions: people decide the same pending conflict at
// once: exactly one decision wins, the others get ErrConflictDecided, and
// the entity moves once.
func testSyConcurrentDecisions(t *testing.T, st SyncStore) {
	ctx := context.Background()
	tn := tenant(t)
	c := erpsync.Caller{Tenant: tn, User: "u1"}
	srv := syServer(st, erpsync.Config{Policies: syPolicies(erpsync.ClientOverride)})
	cf := syMakeConflict(t, srv, c, "n1")
	const people = 6
	errs := make([]error, people)
	var wg sync.WaitGroup
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			who := erpsync.Caller{Tenant: tn, User: fmt.Sprintf("boss%d", i)}
			switch i % 3 {
			case 0:
				_, errs[i] = srv.Approve(ctx, who, cf.ID)
			case 1:
				_, errs[i] = srv.Reject(ctx, who, cf.ID)
			default:
				_, errs[i] = srv.Choose(ctx, who, cf.ID, erpsync.Fields{"title": syArgs("chosen")})
			}
		}()
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(t, -1, won, "two decisions won")
			won = i
			continue
		}
		require.ErrorIs(t, err, erpsync.ErrConflictDecided)
	}
	require.NotEqual(t, -1, won)
	got, err := srv.Conflict(ctx, c, cf.ID)
	require.NoError(t, err)
	require.Equal(t, fmt.Sprintf("boss%d", won), got.DecidedBy)
	e := syNote(t, srv, c, "n1")
	if got.Status == erpsync.StatusRejected {
		require.EqualValues(t, 2, e.Version)
	} else {
		require.EqualValues(t, 3, e.Version, "the entity moved once")
	}
}
