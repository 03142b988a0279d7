package sync

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
)

// Caller is who pushes or pulls, from authentication: never from a payload.
type Caller struct {
	Tenant string
	User   string
}

// EntityRef names one entity a mutation reads or writes: its type ("item",
// "customer", "stock") and ID within the tenant.
type EntityRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func (r EntityRef) String() string { return r.Type + "/" + r.ID }

// Fields are an entity's field values as JSON, by field name. Amounts and
// quantities are JSON strings of decimals ("12.50"), never JSON numbers
// read as floats.
type Fields map[string]json.RawMessage

// Base is what the client knew of one entity when it made the mutation:
// the version it read and the values of the fields it changed.
type Base struct {
	Entity  EntityRef `json:"entity"`
	Version int64     `json:"version"`
	Fields  Fields    `json:"fields,omitempty"`
}

// Mutation is one queued intent of a client. Seq numbers a client's
// mutations 1, 2, 3, ... with no gaps. The tenant and user are the
// caller's, never the payload's.
type Mutation struct {
	Seq        int64           `json:"seq"`
	ID         uuid.UUID       `json:"id"`   // for logs and the conflict store
	Name       string          `json:"name"` // the registered mutator, e.g. "stock.issue"
	Args       json.RawMessage `json:"args,omitempty"`
	Version    int             `json:"version,omitempty"` // the mutator's argument schema
	Base       []Base          `json:"base,omitempty"`
	ClientTime time.Time       `json:"client_time,omitzero"` // display only
}

// Push is a batch of a client's mutations.
type Push struct {
	ClientGroupID string     `json:"client_group_id"`
	ClientID      string     `json:"client_id"`
	Mutations     []Mutation `json:"mutations"`
}

// Status is what became of a pushed mutation.
type Status string

// Statuses of a mutation's result.
const (
	// Applied: the mutation's effects are committed.
	Applied Status = "applied"
	// AlreadyApplied: seq was at or below the client's last applied seq;
	// nothing was done again.
	AlreadyApplied Status = "already_applied"
	// Rejected: a permanent failure, recorded; the seq advanced.
	Rejected Status = "rejected"
	// Held: a conflict holds the mutation for a person (client override
	// waiting for approval, manual resolution); the seq advanced.
	Held Status = "held"
	// Gap: an earlier seq has not been applied; nothing was done.
	Gap Status = "gap"
	// Retry: a transient failure; rolled back, the seq did not advance.
	Retry Status = "retry"
)

// Result is the outcome of one mutation.
type Result struct {
	Seq        int64     `json:"seq"`
	MutationID uuid.UUID `json:"mutation_id"`
	Name       string    `json:"name,omitempty"`
	Status     Status    `json:"status"`
	Error      string    `json:"error,omitempty"`
	ConflictID uuid.UUID `json:"conflict_id,omitzero"`
	User       string    `json:"user,omitempty"`
	At         time.Time `json:"at,omitzero"`

	storeConflict bool // Retry because the database reported a conflict
}

// PushResult is the server's answer to a push: LastSeq is the client's last
// applied seq after the batch committed (the acknowledgement: a client
// drops the queued mutations at or below it), Results one per mutation
// looked at, in seq order.
type PushResult struct {
	LastSeq int64    `json:"last_seq"`
	Results []Result `json:"results"`
}

// NewEvent is an event to append to the log.
type NewEvent struct {
	Type   string          `json:"type"` // e.g. "ledger.entry.posted"
	Entity EntityRef       `json:"entity"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// Event is an event of the log. Cursor is per tenant, from 1, ordered by
// commit and without gaps.
type Event struct {
	Cursor int64           `json:"cursor"`
	Type   string          `json:"type"`
	Entity EntityRef       `json:"entity"`
	Data   json.RawMessage `json:"data,omitempty"`
	At     time.Time       `json:"at"`
}

// EventPage is a read of the log after a cursor.
type EventPage struct {
	Events []Event `json:"events"`
	// Head is the tenant's last cursor when the page was read.
	Head int64 `json:"head"`
	// Reset reports that the cursor asked for is older than the retained
	// log (or newer than its head): events were lost to the reader, which
	// must reload its state and continue from Head. Events is then empty.
	Reset bool `json:"reset,omitempty"`
}

// PullRequest asks for events after Cursor (and the client's ack).
type PullRequest struct {
	ClientID string `json:"client_id,omitempty"`
	Cursor   int64  `json:"cursor"`
	Limit    int    `json:"limit,omitempty"`
}

// PullResult is a page of events with the client's last applied seq.
type PullResult struct {
	EventPage
	// Cursor is where the next pull starts: the last event's cursor, Head
	// after a reset, the request's cursor when no event came.
	Cursor  int64 `json:"cursor"`
	LastSeq int64 `json:"last_seq"`
}

// Client identifies a pushing client: a client belongs to one group (a
// browser profile, a device), whose clients share local storage.
type Client struct {
	GroupID string
	ID      string
}

// Entity is the server's versioned copy of an entity's synced fields.
type Entity struct {
	Ref     EntityRef
	Version int64 // 0: the entity has never been written
	Fields  Fields
	Updated time.Time
}

// canon returns v in canonical JSON (object keys sorted, numbers as
// written, no spaces), so equal values compare equal as bytes.
func canon(v json.RawMessage) json.RawMessage {
	if len(v) == 0 {
		return json.RawMessage("null")
	}
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return v
	}
	out, err := json.Marshal(x)
	if err != nil {
		return v
	}
	return out
}

func sameJSON(a, b json.RawMessage) bool { return bytes.Equal(canon(a), canon(b)) }

// clone returns a copy of f with values in canonical form.
func (f Fields) clone() Fields {
	out := make(Fields, len(f))
	for k, v := range f {
		out[k] = canon(v)
	}
	return out
}

func (f Fields) names() []string {
	out := make([]string, 0, len(f))
	for k := range f {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (m Mutation) base(ref EntityRef) (Base, bool) {
	for _, b := range m.Base {
		if b.Entity == ref {
			return b, true
		}
	}
	return Base{}, false
}

func (p Push) validate(c Caller) error {
	switch {
	case c.Tenant == "":
		return fmt.Errorf("%w: no tenant", ErrInvalid)
	case p.ClientID == "" || p.ClientGroupID == "":
		return fmt.Errorf("%w: client and client group are required", ErrInvalid)
	case len(p.ClientID) > 200 || len(p.ClientGroupID) > 200:
		return fmt.Errorf("%w: client ID too long", ErrInvalid)
	}
	for _, m := range p.Mutations {
		if m.Seq < 1 {
			return fmt.Errorf("%w: seq %d below 1", ErrInvalid, m.Seq)
		}
		if m.Name == "" {
			return fmt.Errorf("%w: mutation %d has no name", ErrInvalid, m.Seq)
		}
		if len(m.Args) > 0 && !json.Valid(m.Args) {
			return fmt.Errorf("%w: mutation %d: args are not JSON", ErrInvalid, m.Seq)
		}
	}
	return nil
}
