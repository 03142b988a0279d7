package equipment

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store is the storage the Engine consumes. storage/sqlite and
// storage/postgres implement it; storage/storagetest holds the conformance
// suite both pass.
//
// Every method is scoped to one tenant and never reads or changes another
// tenant's rows. Writes are atomic and retry transient conflicts themselves
// (calling their callback again, so callbacks must be free of side effects).
type Store interface {
	// CreateEquipment inserts a validated machine. Errors:
	// ErrEquipmentExists when the code is taken.
	CreateEquipment(ctx context.Context, tenant string, e Equipment) error

	// UpdateEquipment loads the machine with the code, calls fn with it and
	// stores what fn leaves (every field but Code and CreatedAt), in one
	// transaction. Errors: ErrEquipmentNotFound; fn's error unchanged, with
	// nothing written.
	UpdateEquipment(ctx context.Context, tenant, code string, fn func(e *Equipment) error) (Equipment, error)

	// Equipment returns the machine with the code, or ErrEquipmentNotFound.
	Equipment(ctx context.Context, tenant, code string) (Equipment, error)

	// Fleet returns the machines f selects, ordered by code.
	Fleet(ctx context.Context, tenant string, f Filter) ([]Equipment, error)

	// PutShiftCalendar stores a validated calendar, replacing the site's previous one.
	PutShiftCalendar(ctx context.Context, tenant string, c Calendar) error

	// ShiftCalendar returns the site's calendar, or ErrCalendarNotFound.
	ShiftCalendar(ctx context.Context, tenant, site string) (Calendar, error)

	// RecordMachine changes one machine's events atomically. In one transaction it
	// locks the machine with the code (so that RecordMachine calls of one machine run
	// one after another, in any number of processes), reads the State
	// around span, calls check, and writes the Change check returns. When
	// check returns an error nothing is written and RecordMachine returns it
	// unchanged. Errors: ErrEquipmentNotFound.
	RecordMachine(ctx context.Context, tenant, code string, span Span, check func(State) (Change, error)) error

	// Stoppage returns the stoppage with the ID, or ErrStoppageNotFound.
	Stoppage(ctx context.Context, tenant string, id uuid.UUID) (Stoppage, error)

	// UsageLogs returns the machine's usage logs that overlap w, ordered by
	// start.
	UsageLogs(ctx context.Context, tenant, code string, w Window) ([]UsageLog, error)

	// Stoppages returns the machine's stoppages that overlap w (open ones
	// run on forever), ordered by start.
	Stoppages(ctx context.Context, tenant, code string, w Window) ([]Stoppage, error)

	// MeterReadings returns the machine's readings of meter m, in meter order:
	// by time, then by kind (ReadingKind.Order).
	MeterReadings(ctx context.Context, tenant, code string, m Meter) ([]Reading, error)

	// EquipmentActivity returns, for every machine f selects (ordered by code), its
	// usage logs and stoppages that overlap w, each ordered by start
	// (stoppages' Notes and CreatedAt may be left empty). Usage logs never last more
	// than 24 hours, which a store may use to bound its search.
	EquipmentActivity(ctx context.Context, tenant string, f Filter, w Window) ([]Activity, error)
}

// Span is the time around an event that RecordMachine reads. To zero means open
// ended (an open stoppage). A span of one instant (From == To) selects the
// records that strictly contain it.
type Span struct{ From, To time.Time }

// State is what RecordMachine reads, inside its transaction, for its check.
type State struct {
	// Equipment is the machine, locked.
	Equipment Equipment
	// Logs are the machine's usage logs that overlap the span: Start < To
	// and End > From.
	Logs []UsageLog
	// Stoppages are the machine's stoppages that overlap the span (open ones
	// run on forever).
	Stoppages []Stoppage
	// Readings are the machine's meter readings with From <= At <= To (At
	// >= From when To is zero), and for each meter the reading just before
	// From and the one just after To (meter order), in no particular order.
	Readings []Reading
}

// Change is what a RecordMachine check writes: any of a new usage log (with its
// meter readings in Readings), a new stoppage, the end of an open stoppage
// (by ID: only End and Notes change), and meter readings.
type Change struct {
	Log         *UsageLog
	NewStoppage *Stoppage
	EndStoppage *Stoppage
	Readings    []Reading
}
