package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
)

// syParams returns gopter parameters with a seed printed on failure
// (ERPKIT_SEED replays it).
func syParams(t *testing.T, n int) *gopter.TestParameters {
	seed := PropertySeed(t)
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = n
	p.MaxShrinkCount = 0 // each case is a seed of its own scenario
	return p
}

// testSyProperties checks the reference's properties over a simulated
// network that duplicates, reorders, drops and delays pushes and loses
// answers after the commit (a crash between commit and response), with
// clients that crash and resume from their durable queue:
//  1. effects are exactly once and equal to applying each client's
//     mutations in seq order (a model);
//  2. seq k+1 is never applied before k (the log's order);
//  3. permanent failures do not block later mutations;
//  4. a reader that disconnects and resumes gets exactly the log, or an
//     explicit reset;
//  5. two replicas fed the log in different schedules converge, to the
//     server's state;
//  6. adjustments applied in any interleaving give the same balance;
//  7. field merge keeps changes to different fields and records every
//     conflicting one;
//  8. a reader's cursor advances only with the events it applied.
func testSyProperties(t *testing.T, st SyncStore, short bool) {
	n := 25
	if short {
		n = 6
	}
	props := gopter.NewProperties(syParams(t, n))
	props.Property("lossy network: exactly once, in order, replicas converge", prop.ForAll(func(seed int64) string {
		return syNetwork(st, seed)
	}, gen.Int64()))
	props.Property("field merge keeps and records", prop.ForAll(func(seed int64) string {
		return syMergeCase(st, seed)
	}, gen.Int64()))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}

// syModelMut is a generated mutation and its expected outcome.
type syModelMut struct {
	m       erpsync.Mutation
	kind    string // add-own, add-shared, fail, transient, emit
	amount  int64
	applied bool
}

type syFlight struct {
	client int
	batch  []erpsync.Mutation
}

func syNetwork(st SyncStore, seed int64) string {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	tn := tenant(nil)
	srv := syServer(st, erpsync.Config{MutationsPerTx: rng.IntN(3)})
	var mu sync.Mutex
	attempts := map[uuid.UUID]int{} // outside the transaction on purpose: transient twice
	srv.Register("transient", func(ctx context.Context, mc *erpsync.Context) error {
		mu.Lock()
		attempts[mc.Mutation.ID]++
		a := attempts[mc.Mutation.ID]
		mu.Unlock()
		if a <= 2 {
			return fmt.Errorf("link down: %w", erpsync.ErrTransient)
		}
		_, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "stock", ID: "own-" + mc.ClientID},
			erpsync.Delta{Field: "qty", Amount: decimal.New(1, 0), Reason: fmt.Sprintf("%s seq %d", mc.ClientID, mc.Mutation.Seq)})
		return err
	})
	caller := erpsync.Caller{Tenant: tn, User: "u"}
	nc := 1 + rng.IntN(3)
	names := make([]string, nc)
	muts := make([][]*syModelMut, nc)
	own := make([]int64, nc)
	var shared int64
	for c := range nc {
		names[c] = fmt.Sprintf("c%d", c)
		k := 1 + rng.IntN(12)
		for i := 1; i <= k; i++ {
			mm := &syModelMut{}
			seq := int64(i)
			switch r := rng.IntN(10); {
			case r <= 5:
				mm.kind, mm.amount = "add-own", int64(rng.IntN(9))-3
				mm.m = syAdd(seq, "own-"+names[c], strconv.FormatInt(mm.amount, 10))
				if own[c]+mm.amount >= 0 {
					own[c] += mm.amount
					mm.applied = true
				}
			case r == 6:
				mm.kind, mm.amount = "add-shared", 1+int64(rng.IntN(5))
				mm.m = syAdd(seq, "shared", strconv.FormatInt(mm.amount, 10))
				shared += mm.amount
				mm.applied = true
			case r == 7:
				mm.kind = "fail"
				mm.m = erpsync.Mutation{Seq: seq, ID: uuid.New(), Name: "fail.permanent"}
			case r == 8:
				mm.kind, mm.applied = "transient", true
				mm.m = erpsync.Mutation{Seq: seq, ID: uuid.New(), Name: "transient"}
				own[c]++
			default:
				mm.kind, mm.applied = "emit", true
				mm.m = syEmit(seq, 1)
			}
			muts[c] = append(muts[c], mm)
		}
	}
	acked := make([]int64, nc) // what each client learned (its durable queue starts after it)
	serverSeen := make([]int64, nc)
	var flights []syFlight
	deliver := func(f syFlight, lose bool) string {
		res, err := srv.Push(ctx, caller, syPush(names[f.client], f.batch...))
		if err != nil {
			return "push: " + err.Error()
		}
		if res.LastSeq < serverSeen[f.client] {
			return fmt.Sprintf("client %d: ack went back from %d to %d", f.client, serverSeen[f.client], res.LastSeq)
		}
		serverSeen[f.client] = res.LastSeq
		for _, r := range res.Results {
			if r.Status == erpsync.Applied || r.Status == erpsync.Rejected {
				mm := muts[f.client][r.Seq-1]
				if (r.Status == erpsync.Applied) != mm.applied {
					return fmt.Sprintf("client %d seq %d (%s): %s, model says applied=%v (%s)", f.client, r.Seq, mm.kind, r.Status, mm.applied, r.Error)
				}
			}
		}
		if !lose { // else the server crashed between commit and response
			acked[f.client] = max(acked[f.client], res.LastSeq)
		}
		return ""
	}
	for range 10 + rng.IntN(40) {
		switch rng.IntN(6) {
		case 0, 1: // a client sends a window from (about) its ack: some stale, maybe shuffled, maybe with a duplicate
			c := rng.IntN(nc)
			k := int64(len(muts[c]))
			from := max(1, acked[c]+1-int64(rng.IntN(3)))
			if from > k {
				continue
			}
			to := min(k, from+int64(rng.IntN(5)))
			var b []erpsync.Mutation
			for s := from; s <= to; s++ {
				b = append(b, muts[c][s-1].m)
			}
			if rng.IntN(3) == 0 {
				rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
			}
			if rng.IntN(4) == 0 {
				b = append(b, b[rng.IntN(len(b))])
			}
			flights = append(flights, syFlight{client: c, batch: b})
		case 2: // deliver one in flight, in any order (delay, reorder)
			if len(flights) == 0 {
				continue
			}
			i := rng.IntN(len(flights))
			f := flights[i]
			flights = append(flights[:i], flights[i+1:]...)
			if msg := deliver(f, rng.IntN(3) == 0); msg != "" {
				return msg
			}
		case 3: // the network drops one
			if len(flights) > 0 {
				i := rng.IntN(len(flights))
				flights = append(flights[:i], flights[i+1:]...)
			}
		case 4: // the network duplicates one
			if len(flights) > 0 {
				flights = append(flights, flights[rng.IntN(len(flights))])
			}
		case 5: // a client crashes: its requests in flight are gone
			c := rng.IntN(nc)
			kept := flights[:0]
			for _, f := range flights {
				if f.client != c {
					kept = append(kept, f)
				}
			}
			flights = kept
		}
	}
	for _, i := range rng.Perm(len(flights)) {
		if msg := deliver(flights[i], rng.IntN(3) == 0); msg != "" {
			return msg
		}
	}
	// The network heals: each client drains its queue.
	for c := range nc {
		k := int64(len(muts[c]))
		for try := 0; acked[c] < k; try++ {
			if try > 100 {
				return fmt.Sprintf("client %d stuck at %d of %d", c, acked[c], k)
			}
			var b []erpsync.Mutation
			for s := acked[c] + 1; s <= min(k, acked[c]+5); s++ {
				b = append(b, muts[c][s-1].m)
			}
			if msg := deliver(syFlight{client: c, batch: b}, false); msg != "" {
				return msg
			}
		}
	}
	return syCheckNetwork(st, srv, rng, tn, names, muts, own, shared)
}

func syCheckNetwork(st SyncStore, srv *erpsync.Server, rng *rand.Rand, tn string, names []string, muts [][]*syModelMut, own []int64, shared int64) string {
	ctx := context.Background()
	caller := erpsync.Caller{Tenant: tn, User: "u"}
	applied := 0
	for c, name := range names {
		rs, err := srv.Results(ctx, caller, name, 0, 1000)
		if err != nil {
			return err.Error()
		}
		if len(rs) != len(muts[c]) {
			return fmt.Sprintf("client %d: %d results for %d mutations", c, len(rs), len(muts[c]))
		}
		for i, r := range rs {
			mm := muts[c][i]
			if r.Seq != int64(i+1) || (r.Status == erpsync.Applied) != mm.applied {
				return fmt.Sprintf("client %d result %d: seq %d %s, model applied=%v", c, i, r.Seq, r.Status, mm.applied)
			}
			if mm.applied {
				applied++
			}
		}
		if got, want := syQtyOf(st, tn, "own-"+name), decimal.NewFromInt(own[c]); !got.Equal(want) {
			return fmt.Sprintf("client %d: own stock %s, model %s", c, got, want)
		}
	}
	if got := syQtyOf(st, tn, "shared"); !got.Equal(decimal.NewFromInt(shared)) {
		return fmt.Sprintf("shared stock %s, model %d (adjustments in any interleaving)", got, shared)
	}
	if got := syQtyOf(st, tn, "doomed"); !got.IsZero() {
		return "a permanently failed mutation left a write: " + got.String()
	}
	// The log: gapless, each applied mutation once, each client's in seq order.
	var log []erpsync.Event
	for after := int64(0); ; {
		p, err := st.SyncEvents(ctx, tn, after, 50)
		if err != nil || p.Reset {
			return fmt.Sprintf("read log: %v reset=%v", err, p.Reset)
		}
		if len(p.Events) == 0 {
			break
		}
		log = append(log, p.Events...)
		after = p.Events[len(p.Events)-1].Cursor
	}
	lastSeq := map[string]int64{}
	for i, e := range log {
		if e.Cursor != int64(i+1) {
			return fmt.Sprintf("cursor %d at position %d", e.Cursor, i)
		}
		client, seq, ok := syEventOrigin(e)
		if !ok {
			return "event without origin: " + string(e.Data)
		}
		if seq <= lastSeq[client] {
			return fmt.Sprintf("%s: seq %d after %d in the log", client, seq, lastSeq[client])
		}
		lastSeq[client] = seq
	}
	if len(log) != applied {
		return fmt.Sprintf("%d events for %d applied mutations", len(log), applied)
	}
	// Replicas fed the log in different schedules converge to the server.
	a, b := syReplicate(st, rng, tn), syReplicate(st, rng, tn)
	if a.err != "" || b.err != "" {
		return a.err + b.err
	}
	if len(a.qty) != len(b.qty) {
		return "replicas differ in size"
	}
	for id, q := range a.qty {
		if !q.Equal(b.qty[id]) || !q.Equal(syQtyOf(st, tn, id)) {
			return fmt.Sprintf("replicas diverge on %s: %s, %s, server %s", id, q, b.qty[id], syQtyOf(st, tn, id))
		}
	}
	// A reader resumes across disconnects and a prune: the log, or a reset.
	return syResume(st, srv, rng, tn, int64(len(log)))
}

func syQtyOf(st SyncStore, tn, id string) decimal.Decimal {
	e, err := st.SyncEntity(context.Background(), tn, erpsync.EntityRef{Type: "stock", ID: id})
	if err != nil || e.Version == 0 {
		return decimal.Zero
	}
	q, _ := erpsync.DecimalField(e.Fields["qty"])
	return q
}

// syEventOrigin returns the client and seq that produced an event.
func syEventOrigin(e erpsync.Event) (string, int64, bool) {
	var d struct {
		Client string
		Seq    int64
		Deltas []erpsync.Delta
	}
	if json.Unmarshal(e.Data, &d) != nil {
		return "", 0, false
	}
	if d.Client != "" {
		return d.Client, d.Seq, true
	}
	if len(d.Deltas) == 1 {
		var seq int64
		client, s, ok := strings.Cut(d.Deltas[0].Reason, " seq ")
		if _, err := fmt.Sscan(s, &seq); ok && err == nil {
			return client, seq, true
		}
	}
	return "", 0, false
}

type syReplica struct {
	cursor int64
	qty    map[string]decimal.Decimal
	err    string
}

// syReplicate builds a replica from the log: pages of random size, some
// lost before being applied (the cursor stays: it moves only with applied
// events), some applied twice (a re-delivery, skipped by cursor).
func syReplicate(st SyncStore, rng *rand.Rand, tn string) syReplica {
	r := syReplica{qty: map[string]decimal.Decimal{}}
	for range 10000 {
		from := r.cursor
		if rng.IntN(4) == 0 {
			from = max(0, r.cursor-int64(rng.IntN(3))) // a stale re-delivery
		}
		p, err := st.SyncEvents(context.Background(), tn, from, 1+rng.IntN(6))
		if err != nil || p.Reset {
			r.err = fmt.Sprintf("replica: %v reset=%v", err, p.Reset)
			return r
		}
		if len(p.Events) == 0 && from == r.cursor {
			return r
		}
		if rng.IntN(5) == 0 {
			continue // lost before being applied: the cursor does not move
		}
		for _, e := range p.Events {
			if e.Cursor <= r.cursor {
				continue
			}
			if e.Cursor != r.cursor+1 {
				r.err = fmt.Sprintf("replica: gap before %d", e.Cursor)
				return r
			}
			if e.Type == "sync.entity.adjusted" {
				var d struct{ Deltas []erpsync.Delta }
				_ = json.Unmarshal(e.Data, &d)
				for _, x := range d.Deltas {
					r.qty[e.Entity.ID] = r.qty[e.Entity.ID].Add(x.Amount)
				}
			}
			r.cursor = e.Cursor
		}
	}
	r.err = "replica did not finish"
	return r
}

// syResume reads the log with disconnects; midway the log is pruned and
// more events arrive: the reader must see 1..k contiguously, then a reset
// to a head h >= k, then h+1.. contiguously.
func syResume(st SyncStore, srv *erpsync.Server, rng *rand.Rand, tn string, head int64) string {
	ctx := context.Background()
	caller := erpsync.Caller{Tenant: tn, User: "u"}
	var cursor int64
	pruneAt := rng.IntN(4)
	resets := 0
	for step := 0; step < 10000; step++ {
		if step == pruneAt {
			if _, err := srv.Prune(ctx, tn, time.Now().Add(time.Minute)); err != nil {
				return err.Error()
			}
			if _, err := srv.Push(ctx, caller, syPush("late", syEmit(1, 2))); err != nil {
				return err.Error()
			}
			head += 2
		}
		p, err := srv.Pull(ctx, caller, erpsync.PullRequest{Cursor: cursor, Limit: 1 + rng.IntN(5)})
		if err != nil {
			return err.Error()
		}
		if rng.IntN(4) == 0 {
			continue // disconnected before the page arrived
		}
		if p.Reset {
			if p.Head < cursor {
				return "reset to a head behind the reader"
			}
			resets++
			cursor = p.Cursor
			continue
		}
		for _, e := range p.Events {
			if e.Cursor != cursor+1 {
				return fmt.Sprintf("reader: %d after %d without a reset", e.Cursor, cursor)
			}
			cursor = e.Cursor
		}
		if step > pruneAt && cursor == head {
			if resets > 1 {
				return "more than one reset"
			}
			return ""
		}
	}
	return "reader did not finish"
}

// syMergeCase: under FieldMerge, a stale client's change to fields x, y, z
// against a server that changed some of them: fields only one side changed
// keep that side's value, fields both changed to different values keep the
// server's and are recorded in the conflict with base, local and server.
func syMergeCase(st SyncStore, seed int64) string {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(seed), 0x3e7e))
	tn := tenant(nil)
	srv := syServer(st, erpsync.Config{Policies: map[string]erpsync.Policy{"note": {Strategy: erpsync.FieldMerge}}})
	c := erpsync.Caller{Tenant: tn, User: "u"}
	fields := []string{"x", "y", "z"}
	vals := []string{"p", "q", "r"}
	pick := func() map[string]string {
		m := map[string]string{}
		for _, f := range fields {
			if rng.IntN(2) == 0 {
				m[f] = vals[rng.IntN(len(vals))]
			}
		}
		return m
	}
	base := map[string]string{"x": "p", "y": "p", "z": "p"}
	toFields := func(m map[string]string) erpsync.Fields {
		out := erpsync.Fields{}
		for k, v := range m {
			out[k] = syArgs(v)
		}
		return out
	}
	push := func(client string, seq int64, b *erpsync.Base, m map[string]string) (erpsync.Result, error) {
		mut := erpsync.Mutation{Seq: seq, ID: uuid.New(), Name: "note.set", Args: syArgs(map[string]any{"id": "n", "fields": toFields(m)})}
		if b != nil {
			mut.Base = []erpsync.Base{*b}
		}
		res, err := srv.Push(ctx, c, syPush(client, mut))
		if err != nil {
			return erpsync.Result{}, err
		}
		return res.Results[0], nil
	}
	if _, err := push("s", 1, nil, base); err != nil {
		return err.Error()
	}
	v1 := erpsync.Base{Entity: erpsync.EntityRef{Type: "note", ID: "n"}, Version: 1, Fields: toFields(base)}
	server, local := pick(), pick()
	if len(server) == 0 || len(local) == 0 {
		return ""
	}
	if _, err := push("s", 2, &v1, server); err != nil {
		return err.Error()
	}
	r, err := push("l", 1, &v1, local)
	if err != nil {
		return err.Error()
	}
	if r.Status != erpsync.Applied {
		return "field merge did not apply: " + string(r.Status)
	}
	e, err := st.SyncEntity(ctx, tn, erpsync.EntityRef{Type: "note", ID: "n"})
	if err != nil {
		return err.Error()
	}
	var cf erpsync.Conflict
	if r.ConflictID != uuid.Nil {
		if cf, err = srv.Conflict(ctx, c, r.ConflictID); err != nil {
			return err.Error()
		}
	}
	recorded := map[string]erpsync.FieldConflict{}
	for _, f := range cf.Fields {
		recorded[f.Field] = f
	}
	for _, f := range fields {
		sv, sok := server[f]
		if !sok {
			sv = base[f]
		}
		lv, lok := local[f]
		want, conflict := sv, false
		switch {
		case lok && lv != sv && sv == base[f]:
			want = lv
		case lok && lv != sv:
			conflict = true
		}
		var got string
		_ = json.Unmarshal(e.Fields[f], &got)
		if got != want {
			return fmt.Sprintf("field %s = %q, want %q (base %q local %v server %v)", f, got, want, base[f], local, server)
		}
		rec, ok := recorded[f]
		if ok != conflict {
			return fmt.Sprintf("field %s recorded=%v, conflict=%v", f, ok, conflict)
		}
		if conflict && (string(rec.Base) != string(syArgs(base[f])) || string(rec.Local) != string(syArgs(lv)) || string(rec.Server) != string(syArgs(sv))) {
			return fmt.Sprintf("field %s recorded %s/%s/%s", f, rec.Base, rec.Local, rec.Server)
		}
	}
	return ""
}
