package sync

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Severity grades a conflict: the highest severity of its fields.
type Severity int

// Severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

var severityNames = [...]string{"", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Low || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if i > 0 && n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("%w: unknown severity %q", ErrInvalid, b)
}

// FieldClass says what kind of value a field holds; a conflict on it has
// the class's severity (Config.Severity, or the defaults: text low,
// reference medium, quantity high, money critical).
type FieldClass string

// Field classes.
const (
	ClassText      FieldClass = "text"      // names, notes: low
	ClassReference FieldClass = "reference" // codes, links to other entities: medium
	ClassQuantity  FieldClass = "quantity"  // stock, meter readings: high
	ClassMoney     FieldClass = "money"     // amounts, prices, rates: critical
)

var defaultSeverity = map[FieldClass]Severity{
	ClassText: Low, ClassReference: Medium, ClassQuantity: High, ClassMoney: Critical,
}

// Strategy is how conflicts on an entity type are resolved.
type Strategy string

// Strategies.
const (
	// ServerWins rejects a mutation with conflicting fields and returns the
	// server's state; the losing values are kept in the conflict store. The
	// default.
	ServerWins Strategy = "server_wins"
	// FieldMerge applies the fields only the client changed; fields changed
	// on both sides keep the server's value and the conflict is recorded,
	// pending, for a person to choose.
	FieldMerge Strategy = "field_merge"
	// ClientOverride holds a conflicting mutation pending approval;
	// approval applies the client's values as a new server change.
	ClientOverride Strategy = "client_override"
	// Manual holds a conflicting mutation with base, local and server
	// values for a person to choose.
	Manual Strategy = "manual"
	// Adjustment is for money and stock: mutations carry deltas with a
	// reason (Context.Adjust), which commute, so there is no conflict.
	Adjustment Strategy = "adjustment"
)

func (s Strategy) valid() bool {
	switch s {
	case ServerWins, FieldMerge, ClientOverride, Manual, Adjustment:
		return true
	}
	return false
}

// Policy is the conflict handling of one entity type.
type Policy struct {
	Strategy Strategy              // ServerWins when empty
	Fields   map[string]FieldClass // fields not listed are ClassReference
}

// ConflictStatus is where a conflict stands.
type ConflictStatus string

// Conflict statuses.
const (
	StatusPending   ConflictStatus = "pending"    // waiting for a person
	StatusServerWon ConflictStatus = "server_won" // recorded only: the server's value stood
	StatusApproved  ConflictStatus = "approved"   // the client's values were applied
	StatusRejected  ConflictStatus = "rejected"   // the server's values stand
	StatusResolved  ConflictStatus = "resolved"   // a person chose the values
)

// FieldConflict is one field changed on both sides to different values.
type FieldConflict struct {
	Field    string          `json:"field"`
	Class    FieldClass      `json:"class"`
	Severity Severity        `json:"severity"`
	Base     json.RawMessage `json:"base"`
	Local    json.RawMessage `json:"local"`
	Server   json.RawMessage `json:"server"`
}

// Conflict is an entry of the conflict store: what the client sent, what
// the server had, and who decided what, when.
type Conflict struct {
	ID            uuid.UUID       `json:"id"`
	Entity        EntityRef       `json:"entity"`
	Strategy      Strategy        `json:"strategy"`
	Severity      Severity        `json:"severity"`
	Status        ConflictStatus  `json:"status"`
	ClientID      string          `json:"client_id"`
	Seq           int64           `json:"seq"`
	Mutation      Mutation        `json:"mutation"`
	User          string          `json:"user"` // who pushed the mutation
	BaseVersion   int64           `json:"base_version"`
	ServerVersion int64           `json:"server_version"`
	Fields        []FieldConflict `json:"fields"` // the conflicting fields
	Local         Fields          `json:"local"`  // every field the client changed
	CreatedAt     time.Time       `json:"created_at"`
	DecidedBy     string          `json:"decided_by,omitempty"`
	DecidedAt     time.Time       `json:"decided_at,omitzero"`
	Decision      Fields          `json:"decision,omitempty"` // the values a decision applied
}

// ConflictFilter selects conflicts: by status and entity when set.
type ConflictFilter struct {
	Status ConflictStatus
	Entity EntityRef
	Limit  int // default 100
}

func (c Conflict) field(name string) (FieldConflict, bool) {
	for _, f := range c.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return FieldConflict{}, false
}
