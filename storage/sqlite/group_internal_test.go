package sqlite

import (
	"context"
	"errors"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/storagetest"
)

func groupStore(t *testing.T) (*Store, *ledger.Ledger) {
	t.Helper()
	ctx := context.Background()
	st := migratedStore(t)
	require.NotNil(t, st.grp)
	gl := ledger.New(st, ledger.Config{})
	for _, code := range []string{"1000", "4000"} {
		_, err := gl.CreateAccount(ctx, "t1", ledger.Account{Code: code, Name: code, Type: ledger.Asset})
		require.NoError(t, err)
	}
	return st, gl
}

// postAsOneGroup posts four entries to t1 through gl, a ledger over st,
// as one group: one without a deadline (2.00) and three with deadlines of
// 100, 200 and 300 ms (4.00 each). It returns their errors (the first the
// patient one's), valid once the channels are closed: patientDone when
// the first has returned, returned when the three others have.
func postAsOneGroup(st *Store, gl *ledger.Ledger) (errs []error, patientDone, returned chan struct{}) {
	ctx := context.Background()
	g := st.grp
	errs = make([]error, 4)
	patientDone, returned = make(chan struct{}), make(chan struct{})
	g.lead <- struct{}{} // held, so that all four queue
	go func() {
		defer close(patientDone)
		_, errs[0] = gl.Post(ctx, "t1", storagetest.GroupedEntry("2", ""))
	}()
	var wg sync.WaitGroup
	for i := 1; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, time.Duration(i)*100*time.Millisecond)
			defer cancel()
			_, errs[i] = gl.Post(cctx, "t1", storagetest.GroupedEntry("4", ""))
		}()
	}
	for g.pending.Len() < 4 {
		time.Sleep(time.Millisecond)
	}
	<-g.lead // the four go as one group
	go func() { wg.Wait(); close(returned) }()
	return errs, patientDone, returned
}

func countRows(t *testing.T, st *Store, table string) int {
	t.Helper()
	var n int
	require.NoError(t, st.w.QueryRow("SELECT count(*) FROM "+table).Scan(&n))
	return n
}

// A group of one runs without a savepoint: a write that fails after
// changing rows leaves none of them, its caller gets its own error, and a
// transient failure runs it again in a new transaction.
func TestGroupOfOne(t *testing.T) {
	t.Parallel()
	st, _ := groupStore(t)
	ctx := context.Background()
	boom := errors.New("boom")
	insert := func(q querier, key string) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_ledger_dimensions (tenant_id, key, name) VALUES ('t1', ?, 'x')`, key)
		return err
	}
	err := st.writeGrouped(ctx, func(q querier) error {
		require.NoError(t, insert(q, "a"))
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, 0, countRows(t, st, "erp_ledger_dimensions"))

	calls := 0
	err = st.writeGrouped(ctx, func(q querier) error {
		calls++
		if err := insert(q, "b"); err != nil {
			return err
		}
		if calls == 1 {
			return &retryError{err: errors.New("transient")}
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 2, calls)
	require.Equal(t, 1, countRows(t, st, "erp_ledger_dimensions"))

	err = st.writeGrouped(ctx, func(q querier) error {
		require.NoError(t, insert(q, "c"))
		panic("in a posting")
	})
	require.ErrorContains(t, err, "panicked")
	require.Equal(t, 1, countRows(t, st, "erp_ledger_dimensions"))
}

// postTogether posts es from one goroutine each, all of them queued before
// any runs, so that they form one group.
func postTogether(t *testing.T, st *Store, gl *ledger.Ledger, es []ledger.Entry) ([]ledger.Entry, []error) {
	t.Helper()
	out, errs := make([]ledger.Entry, len(es)), make([]error, len(es))
	calls := make([]func(), len(es))
	for i, e := range es {
		calls[i] = func() { out[i], errs[i] = gl.Post(context.Background(), "t1", e) }
	}
	runTogether(t, st, "t1", calls, len(es))
	return out, errs
}

// runTogether runs calls (each one posting to tenant) from one goroutine
// each, the queued of them that reach the store queued behind the held lead
// before any runs, so that they form one group (with whatever other
// tenants' postings wait meanwhile); it returns when all have returned.
func runTogether(t testing.TB, st *Store, tenant string, calls []func(), queued int) {
	t.Helper()
	g := st.grp
	storagetest.RunQueued(t, func() { g.lead <- struct{}{} }, func() { <-g.lead }, func() int {
		return g.pending.Count(func(r *groupReq) bool { return r.ledger != nil && r.ledger.tenant == tenant })
	}, queued, calls)
}

// One tenant's postings queued together are written together without a
// savepoint. When that write fails (here: two postings under one new key
// with different content), the group runs again with a savepoint per
// posting, and each caller gets its own answer.
func TestGroupSplitsWhenTheCombinedWriteFails(t *testing.T) {
	t.Parallel()
	st, gl := groupStore(t)
	bad := storagetest.GroupedEntry("1", "")
	bad.Lines[0].Account = "9999"
	out, errs := postTogether(t, st, gl, []ledger.Entry{
		storagetest.GroupedEntry("5", "k1"), storagetest.GroupedEntry("7", "k1"), storagetest.GroupedEntry("11", ""), bad,
	})
	require.ErrorIs(t, errs[3], ledger.ErrAccountNotFound)
	require.NoError(t, errs[2])
	// One of the two under k1 was written; the other is refused for its
	// other content.
	require.True(t, (errs[0] == nil) != (errs[1] == nil), "%v / %v", errs[0], errs[1])
	won, lost := 0, 1
	if errs[0] != nil {
		won, lost = 1, 0
	}
	require.ErrorIs(t, errs[lost], ledger.ErrIdempotencyConflict)
	require.Equal(t, 2, countRows(t, st, "erp_ledger_entries"))
	bal, err := gl.Balance(context.Background(), "t1", "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	want := out[won].Lines[0].Amount.Add(decimal.NewFromInt(11))
	require.True(t, want.Equal(bal.Debit), "debit %s, want %s", bal.Debit, want)

	// The same content under one key, queued together: one entry, and
	// every caller gets it.
	out, errs = postTogether(t, st, gl, []ledger.Entry{storagetest.GroupedEntry("3", "k2"), storagetest.GroupedEntry("3", "k2"), storagetest.GroupedEntry("3", "k2")})
	for i := range errs {
		require.NoError(t, errs[i])
		require.Equal(t, out[0].ID, out[i].ID)
	}
	require.Equal(t, 3, countRows(t, st, "erp_ledger_entries"))
}

// A group of two tenants' postings (SQLite queues every tenant's postings
// together) writes each tenant's postings together in a savepoint of
// their own. When one tenant's combined write cannot succeed (two postings
// under one new key with different content), each of that tenant's
// postings runs alone in its savepoint, and the other tenant's combined
// write is unaffected: every caller gets its own answer.
func TestMixedGroupSplitsOneTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, gl := groupStore(t)
	for _, code := range []string{"1000", "4000"} {
		_, err := gl.CreateAccount(ctx, "t2", ledger.Account{Code: code, Name: code, Type: ledger.Asset})
		require.NoError(t, err)
	}
	posts := []struct {
		tenant string
		e      ledger.Entry
	}{
		{"t1", storagetest.GroupedEntry("5", "k1")},
		{"t2", storagetest.GroupedEntry("13", "")},
		{"t1", storagetest.GroupedEntry("7", "k1")},
		{"t2", storagetest.GroupedEntry("17", "k1")}, // the same key, another tenant: no collision
		{"t1", storagetest.GroupedEntry("11", "")},
	}
	out, errs := make([]ledger.Entry, len(posts)), make([]error, len(posts))
	calls := make([]func(), len(posts))
	for i, p := range posts {
		calls[i] = func() { out[i], errs[i] = gl.Post(ctx, p.tenant, p.e) }
	}
	g := st.grp
	g.mu.Lock()
	g.watched = map[string]int{"t1": 0, "t2": 0}
	g.mu.Unlock()
	storagetest.RunQueued(t, func() { g.lead <- struct{}{} }, func() { <-g.lead }, func() int {
		return g.pending.Len()
	}, len(posts), calls)
	g.mu.Lock()
	attempts := maps.Clone(g.watched)
	g.watched = nil
	g.mu.Unlock()
	// One attempt at each tenant's combined write: t1's collides and is
	// not written together at all.
	require.Equal(t, map[string]int{"t1": 1, "t2": 1}, attempts)

	require.NoError(t, errs[1])
	require.NoError(t, errs[3])
	require.NoError(t, errs[4])
	require.True(t, (errs[0] == nil) != (errs[2] == nil), "%v / %v", errs[0], errs[2])
	won := 0
	if errs[0] != nil {
		won = 2
	}
	require.ErrorIs(t, errors.Join(errs[0], errs[2]), ledger.ErrIdempotencyConflict)
	for tenant, want := range map[string]decimal.Decimal{
		"t1": out[won].Lines[0].Amount.Add(decimal.NewFromInt(11)),
		"t2": decimal.NewFromInt(30),
	} {
		bal, err := gl.Balance(ctx, tenant, "1000", "BDT", ledger.Date{})
		require.NoError(t, err)
		require.True(t, want.Equal(bal.Debit), "%s: debit %s, want %s", tenant, bal.Debit, want)
		es, err := gl.Entries(ctx, tenant, ledger.EntryQuery{})
		require.NoError(t, err)
		require.Len(t, es, 2, tenant)
	}
}

// A group waiting for the writer connection (an InTx holds it) lets a
// member whose deadline passes go with its context's error, while a
// member without a deadline, in the same group, waits on and commits once
// the InTx has. (Queued behind the held lead, the four are surely one
// group.)
func TestGroupMemberLeavesWhileWriterHeld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, gl := groupStore(t)
	var errs []error
	var patientDone chan struct{}
	err := st.InTx(ctx, func(tx *Store) error {
		if _, err := ledger.New(tx, ledger.Config{}).Post(ctx, "t1", storagetest.GroupedEntry("1", "")); err != nil {
			return err
		}
		var returned chan struct{}
		errs, patientDone, returned = postAsOneGroup(st, gl) // which waits for the writer
		select {
		case <-returned:
		case <-time.After(30 * time.Second):
			return errors.New("members with deadlines still waiting after 30 s for the writer held by InTx")
		}
		select {
		case <-patientDone:
			return errors.New("the member without a deadline returned while InTx held the writer")
		default:
		}
		return nil
	})
	require.NoError(t, err)
	for i := 1; i < 4; i++ {
		require.ErrorIs(t, errs[i], context.DeadlineExceeded, "member %d", i)
	}
	<-patientDone
	require.NoError(t, errs[0])
	require.Equal(t, 2, countRows(t, st, "erp_ledger_entries"))
	bal, err := gl.Balance(ctx, "t1", "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, decimal.NewFromInt(3).Equal(bal.Debit), "debit %s", bal.Debit)
}
