package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Mutator applies one mutation inside the server's transaction. It reads
// the arguments from mc.Mutation.Args and writes through mc.Host, the
// adapter's store bound to the transaction (type-assert it to the engine
// stores it needs, e.g. ledger.Store). Its error is permanent (recorded,
// the seq advances) unless it wraps ErrTransient. A Mutator may be run
// again when the database asks for a retry, so it must have no effects
// outside the transaction.
type Mutator func(ctx context.Context, mc *Context) error

// Config tunes a Server. The zero value is sensible.
type Config struct {
	// Policies are the conflict policies by entity type; types not listed
	// use ServerWins and ClassReference for every field.
	Policies map[string]Policy
	// Severity overrides the default severity of field classes.
	Severity map[FieldClass]Severity
	// MaxBatch bounds the mutations of one push (default 1000).
	MaxBatch int
	// MutationsPerTx, when above 0, commits a push's mutations in
	// transactions of that many. 0 (the default) applies a whole push in one
	// transaction, which is fastest. On PostgreSQL, when many clients change
	// the same entities, a batch that finds an entity locked by another
	// batch while it holds others commits what it applied and goes on in a
	// new transaction (no deadlock wait); 1 commits every mutation alone.
	MutationsPerTx int
	// MaxPull bounds the events of one pull (default 1000).
	MaxPull int
	// Now is the clock (default time.Now), for results and conflicts.
	Now func() time.Time
}

// Server applies pushed mutations exactly once, in seq order, and serves
// the event log. Register the mutators before serving; a Server is then
// safe for concurrent use.
type Server struct {
	store    Store
	cfg      Config
	mutators map[string]Mutator
}

// New returns a Server over store.
func New(store Store, cfg Config) *Server {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 1000
	}
	if cfg.MaxPull <= 0 {
		cfg.MaxPull = 1000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Server{store: store, cfg: cfg, mutators: map[string]Mutator{}}
}

// Register registers m under name ("stock.issue"), replacing any previous
// mutator of that name. Call it before the Server serves requests.
func (s *Server) Register(name string, m Mutator) { s.mutators[name] = m }

func (s *Server) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

// Push applies a client's batch: mutations at or below the client's last
// applied seq are skipped (AlreadyApplied), the batch stops at a gap, and
// each next mutation runs its mutator in a savepoint of one transaction
// that holds the client's row. A permanent failure is recorded and
// advances the seq; a transient one is rolled back and ends the batch
// (Retry). The batch commits before Push returns: PushResult.LastSeq is
// the acknowledgement. Errors: ErrInvalid (nothing written),
// ErrClientGroup, and the store's errors (the failed transaction's
// mutations are not applied; those of earlier transactions of the same push
// - see Config.MutationsPerTx - stay committed and are acknowledged by the
// next push or pull).
func (s *Server) Push(ctx context.Context, c Caller, p Push) (PushResult, error) {
	if err := p.validate(c); err != nil {
		return PushResult{}, err
	}
	if len(p.Mutations) > s.cfg.MaxBatch {
		return PushResult{}, fmt.Errorf("%w: %d mutations, at most %d in one push", ErrInvalid, len(p.Mutations), s.cfg.MaxBatch)
	}
	muts := slices.Clone(p.Mutations)
	sort.SliceStable(muts, func(i, j int) bool { return muts[i].Seq < muts[j].Seq })
	var res PushResult
	perTx, conflicts := s.cfg.MutationsPerTx, 0 // conflicts: those that ended a transaction with nothing applied
	for i := 0; i < len(muts); {
		var (
			chunk []Result
			last  int64
			next  int
			stop  bool
		)
		err := s.store.SyncTx(ctx, c.Tenant, func(tx Tx) error {
			chunk, stop = nil, false
			var err error
			last, err = tx.LockClient(ctx, Client{GroupID: p.ClientGroupID, ID: p.ClientID}, c.User)
			if err != nil {
				return err
			}
			applied := 0
			j := i
			for ; j < len(muts); j++ {
				m := muts[j]
				if j > 0 && m.Seq == muts[j-1].Seq {
					continue // a duplicate inside the batch
				}
				if m.Seq <= last {
					chunk = append(chunk, Result{Seq: m.Seq, MutationID: m.ID, Name: m.Name, Status: AlreadyApplied})
					continue
				}
				if m.Seq > last+1 {
					chunk = append(chunk, Result{Seq: m.Seq, MutationID: m.ID, Name: m.Name, Status: Gap,
						Error: fmt.Sprintf("seq %d missing", last+1)})
					stop = true
					break
				}
				if perTx > 0 && applied == perTx {
					break // the rest in the next transaction
				}
				r, err := s.apply(ctx, tx, c, p.ClientID, m, nil)
				if err != nil {
					return err
				}
				if r.Status == Retry && r.storeConflict && (applied > 0 || conflicts < maxStoreConflicts) {
					// Commit what is done, go on in a new transaction.
					if applied == 0 {
						conflicts++
					}
					break
				}
				chunk = append(chunk, r)
				if r.Status == Retry {
					stop = true
					break
				}
				last = m.Seq
				applied++
			}
			next = j
			return nil
		})
		if err != nil {
			return PushResult{}, err
		}
		res.Results = append(res.Results, chunk...)
		res.LastSeq = last
		if stop {
			break
		}
		// After a conflict the database reported (a deadlock, an entity
		// locked by another batch while this one held others): what came
		// before is committed and the push goes on in a new transaction,
		// whose first mutation waits for its locks like any other.
		i = next
	}
	if len(muts) == 0 {
		seq, err := s.store.SyncClientSeq(ctx, c.Tenant, p.ClientID)
		if err != nil {
			return PushResult{}, err
		}
		res.LastSeq = seq
	}
	return res, nil
}

// maxStoreConflicts bounds the database conflicts (deadlocks,
// serialization failures) on the first mutation of a transaction that one
// push retries at once before answering Retry.
const maxStoreConflicts = 3

// decision forces the values Check writes for one entity when a person
// approved or chose them.
type decision struct {
	ref      EntityRef
	fields   Fields
	conflict Conflict
}

// apply runs one mutation in a savepoint and records its result. The error
// is the store's (the transaction must not commit).
func (s *Server) apply(ctx context.Context, tx Tx, c Caller, clientID string, m Mutation, d *decision) (Result, error) {
	mc := &Context{Tenant: c.Tenant, User: c.User, ClientID: clientID, Mutation: m, s: s, tx: tx, decision: d}
	err := s.run(ctx, tx, mc)
	if d != nil && err != nil {
		return Result{}, err // a failed decision changes nothing
	}
	r := Result{Seq: m.Seq, MutationID: m.ID, Name: m.Name, User: c.User, At: s.now(), storeConflict: errors.Is(err, ErrStoreConflict)}
	if errors.Is(err, ErrTransient) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		r.Status, r.Error = Retry, err.Error()
		return r, nil
	}
	var ce *ConflictError
	switch {
	case err == nil:
		r.Status = Applied
	case errors.As(err, &ce):
		r.Status, r.Error, r.ConflictID = Rejected, err.Error(), ce.Conflict.ID
		if ce.Conflict.Status == StatusPending {
			r.Status = Held
		}
	default:
		r.Status, r.Error = Rejected, err.Error()
	}
	events, conflicts := mc.events, mc.conflicts
	if err != nil {
		// The savepoint was rolled back: none of the mutator's changes
		// happened, so none of its events may be logged. A conflict that
		// held or rejected the mutation is recorded all the same.
		events, conflicts = nil, nil
		if ce != nil {
			conflicts = []Conflict{ce.Conflict}
		}
	}
	for _, cf := range conflicts {
		if err := tx.PutConflict(ctx, cf); err != nil {
			return r, err
		}
		if r.ConflictID == uuid.Nil {
			r.ConflictID = cf.ID
		}
		events = append(events, NewEvent{Type: "sync.conflict.recorded", Entity: cf.Entity,
			Data: mustJSON(map[string]any{"conflict": cf.ID, "status": cf.Status, "severity": cf.Severity})})
	}
	if err := tx.AppendEvents(ctx, events...); err != nil {
		return r, err
	}
	if d != nil {
		return r, nil // a decision records no client result
	}
	return r, tx.RecordResult(ctx, clientID, r)
}

// run runs the mutation's mutator in a savepoint; a panic becomes a
// permanent error of the mutation.
func (s *Server) run(ctx context.Context, tx Tx, mc *Context) error {
	mut, ok := s.mutators[mc.Mutation.Name]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownMutator, mc.Mutation.Name)
	}
	return tx.Savepoint(ctx, func(host any) (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("sync: mutator %q panicked: %v", mc.Mutation.Name, p)
			}
		}()
		mc.Host = host
		mc.events, mc.conflicts = nil, nil
		return mut(ctx, mc)
	})
}

// Pull returns events after req.Cursor and, when req.ClientID is set, that
// client's last applied seq. Errors: ErrInvalid.
func (s *Server) Pull(ctx context.Context, c Caller, req PullRequest) (PullResult, error) {
	if c.Tenant == "" || req.Cursor < 0 {
		return PullResult{}, fmt.Errorf("%w: tenant and a cursor >= 0 are required", ErrInvalid)
	}
	limit := req.Limit
	if limit <= 0 || limit > s.cfg.MaxPull {
		limit = s.cfg.MaxPull
	}
	var out PullResult
	if req.ClientID != "" {
		seq, err := s.store.SyncClientSeq(ctx, c.Tenant, req.ClientID)
		if err != nil {
			return out, err
		}
		out.LastSeq = seq
	}
	page, err := s.store.SyncEvents(ctx, c.Tenant, req.Cursor, limit)
	if err != nil {
		return out, err
	}
	out.EventPage = page
	switch {
	case page.Reset:
		out.Cursor = page.Head
	case len(page.Events) > 0:
		out.Cursor = page.Events[len(page.Events)-1].Cursor
	default:
		out.Cursor = req.Cursor
	}
	return out, nil
}

// Results returns the client's results with seq > after (rejections with
// their errors), so a client that lost a push's answer learns them.
func (s *Server) Results(ctx context.Context, c Caller, clientID string, after int64, limit int) ([]Result, error) {
	if c.Tenant == "" || clientID == "" {
		return nil, fmt.Errorf("%w: tenant and client are required", ErrInvalid)
	}
	if limit <= 0 || limit > s.cfg.MaxPull {
		limit = s.cfg.MaxPull
	}
	return s.store.SyncResults(ctx, c.Tenant, clientID, after, limit)
}

// Prune deletes the tenant's events created before the time (see
// Store.SyncPruneEvents).
func (s *Server) Prune(ctx context.Context, tenant string, before time.Time) (int, error) {
	if tenant == "" {
		return 0, fmt.Errorf("%w: no tenant", ErrInvalid)
	}
	return s.store.SyncPruneEvents(ctx, tenant, before)
}

// Entity returns the server's versioned copy of an entity.
func (s *Server) Entity(ctx context.Context, c Caller, ref EntityRef) (Entity, error) {
	if c.Tenant == "" || ref.Type == "" || ref.ID == "" {
		return Entity{}, fmt.Errorf("%w: tenant and entity are required", ErrInvalid)
	}
	return s.store.SyncEntity(ctx, c.Tenant, ref)
}

// Context is what a Mutator gets: the mutation, who sent it, and the
// transaction's host store. Its Check and Adjust methods version the
// entities the mutation changes.
type Context struct {
	Tenant   string
	User     string
	ClientID string
	Mutation Mutation
	// Host is the adapter's store bound to the server's transaction
	// (*sqlite.Store, *postgres.Store): type-assert the engine stores.
	Host any

	s         *Server
	tx        Tx
	decision  *decision
	events    []NewEvent
	conflicts []Conflict
}

// Decision returns the conflict being decided when the mutator runs again
// for a person's decision (Server.Approve, Server.Choose), nil when it runs
// for the client's push. The whole mutator runs again: for a mutation that
// was held (ClientOverride, Manual) nothing of it was applied before, so it
// all runs; for FieldMerge the rest of the mutation was applied at push
// time, so effects outside the decided entity (say, a stock Adjust) must be
// skipped.
func (mc *Context) Decision() *Conflict {
	if mc.decision == nil {
		return nil
	}
	c := mc.decision.conflict
	return &c
}

// Emit appends an event to the log when the mutation commits.
func (mc *Context) Emit(e NewEvent) { mc.events = append(mc.events, e) }

// Args decodes the mutation's arguments into v; a decoding error is a
// permanent failure of the mutation.
func (mc *Context) Args(v any) error {
	if err := json.Unmarshal(mc.Mutation.Args, v); err != nil {
		return fmt.Errorf("%w: mutation %q args: %v", ErrInvalid, mc.Mutation.Name, err)
	}
	return nil
}

func (s *Server) policy(typ string) Policy {
	p := s.cfg.Policies[typ]
	if p.Strategy == "" {
		p.Strategy = ServerWins
	}
	return p
}

func (s *Server) severity(p Policy, field string) (FieldClass, Severity) {
	class, ok := p.Fields[field]
	if !ok {
		class = ClassReference
	}
	if sev, ok := s.cfg.Severity[class]; ok {
		return class, sev
	}
	if sev, ok := defaultSeverity[class]; ok {
		return class, sev
	}
	return class, Medium
}

// Check changes fields of an entity under its type's conflict policy and
// returns the entity as stored. The client's base (Mutation.Base for ref)
// is compared with the server's version; when they differ, each field in
// local is diffed three ways (base, local, server) and only fields changed
// on both sides to different values conflict. Without conflicting fields
// the local values are written (version + 1). With them, by strategy:
// ServerWins and ClientOverride and Manual write nothing and return a
// *ConflictError (the mutator returns it: the mutation is rejected or
// held, and the conflict is recorded); FieldMerge writes the other fields,
// records the conflict pending and returns the entity. Entity types of the
// Adjustment strategy take Adjust, not Check.
func (mc *Context) Check(ctx context.Context, ref EntityRef, local Fields) (Entity, error) {
	if ref.Type == "" || ref.ID == "" || len(local) == 0 {
		return Entity{}, fmt.Errorf("%w: Check needs an entity and fields", ErrInvalid)
	}
	p := mc.s.policy(ref.Type)
	if p.Strategy == Adjustment {
		return Entity{}, fmt.Errorf("%w: %s entities change by Adjust", ErrInvalid, ref.Type)
	}
	if !p.Strategy.valid() {
		return Entity{}, fmt.Errorf("%w: unknown strategy %q", ErrInvalid, p.Strategy)
	}
	e, err := mc.tx.LockEntity(ctx, ref)
	if err != nil {
		return Entity{}, err
	}
	if d := mc.decision; d != nil && d.ref == ref {
		return mc.write(ctx, e, d.fields, "sync.entity.decided")
	}
	local = local.clone()
	base, hasBase := mc.Mutation.base(ref)
	if !hasBase || base.Version == e.Version {
		return mc.write(ctx, e, local, "sync.entity.changed")
	}
	var conflicts []FieldConflict
	apply := Fields{}
	sev := Severity(0)
	for _, f := range local.names() {
		l, srv, b := local[f], canon(e.Fields[f]), canon(base.Fields[f])
		switch {
		case sameJSON(l, srv):
			// both sides agree
		case sameJSON(b, srv):
			apply[f] = l // only the client changed it
		default:
			class, fs := mc.s.severity(p, f)
			sev = max(sev, fs)
			conflicts = append(conflicts, FieldConflict{Field: f, Class: class, Severity: fs, Base: b, Local: l, Server: srv})
		}
	}
	if len(conflicts) == 0 {
		return mc.write(ctx, e, apply, "sync.entity.changed")
	}
	cf := Conflict{
		ID: uuid.New(), Entity: ref, Strategy: p.Strategy, Severity: sev, Status: StatusPending,
		ClientID: mc.ClientID, Seq: mc.Mutation.Seq, Mutation: mc.Mutation, User: mc.User,
		BaseVersion: base.Version, ServerVersion: e.Version, Fields: conflicts, Local: local, CreatedAt: mc.s.now(),
	}
	switch p.Strategy {
	case FieldMerge:
		mc.conflicts = append(mc.conflicts, cf)
		if len(apply) == 0 {
			return e, nil
		}
		return mc.write(ctx, e, apply, "sync.entity.merged")
	case ServerWins:
		cf.Status = StatusServerWon
	}
	mc.conflicts = append(mc.conflicts, cf)
	return e, &ConflictError{Conflict: cf}
}

// write stores fields over e's (version + 1) and queues the change event.
func (mc *Context) write(ctx context.Context, e Entity, fields Fields, typ string) (Entity, error) {
	next := Entity{Ref: e.Ref, Version: e.Version + 1, Fields: e.Fields.clone(), Updated: mc.s.now()}
	for k, v := range fields {
		next.Fields[k] = canon(v)
	}
	if err := mc.tx.PutEntity(ctx, next); err != nil {
		return Entity{}, err
	}
	mc.Emit(NewEvent{Type: typ, Entity: e.Ref, Data: mustJSON(map[string]any{"version": next.Version, "fields": fields.clone()})})
	return next, nil
}

// Delta changes a decimal field by Amount, for a Reason ("issue 3").
type Delta struct {
	Field  string          `json:"field"`
	Amount decimal.Decimal `json:"amount"`
	Reason string          `json:"reason"`
}

// Adjust adds deltas to decimal fields of an entity (a missing field is 0)
// and returns the entity as stored (version + 1). Deltas commute, so
// adjustments never conflict whatever the base version. The mutator checks
// the result against its rules (say, stock >= 0) and fails the mutation to
// undo it.
func (mc *Context) Adjust(ctx context.Context, ref EntityRef, deltas ...Delta) (Entity, error) {
	if ref.Type == "" || ref.ID == "" || len(deltas) == 0 {
		return Entity{}, fmt.Errorf("%w: Adjust needs an entity and deltas", ErrInvalid)
	}
	for _, d := range deltas {
		if d.Field == "" || d.Reason == "" {
			return Entity{}, fmt.Errorf("%w: a delta needs a field and a reason", ErrInvalid)
		}
	}
	e, err := mc.tx.LockEntity(ctx, ref)
	if err != nil {
		return Entity{}, err
	}
	values := Fields{}
	for _, d := range deltas {
		cur := decimal.Zero
		raw, ok := values[d.Field]
		if !ok {
			raw, ok = e.Fields[d.Field]
		}
		if ok {
			if cur, err = DecimalField(raw); err != nil {
				return Entity{}, fmt.Errorf("%w: %s.%s: %v", ErrNotAdjustable, ref, d.Field, err)
			}
		}
		values[d.Field] = mustJSON(cur.Add(d.Amount).String())
	}
	next := Entity{Ref: e.Ref, Version: e.Version + 1, Fields: e.Fields.clone(), Updated: mc.s.now()}
	for k, v := range values {
		next.Fields[k] = v
	}
	if err := mc.tx.PutEntity(ctx, next); err != nil {
		return Entity{}, err
	}
	mc.Emit(NewEvent{Type: "sync.entity.adjusted", Entity: ref, Data: mustJSON(map[string]any{"version": next.Version, "deltas": deltas})})
	return next, nil
}

// DecimalField reads a field holding a decimal (a JSON string or number).
func DecimalField(raw json.RawMessage) (decimal.Decimal, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		s = string(raw)
	}
	return decimal.NewFromString(s)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain values are marshalled
	}
	return b
}
