package equipment

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
)

// Ownership says whether the contractor owns a machine or rents it in.
type Ownership string

// Ownerships.
const (
	Owned    Ownership = "owned"
	RentedIn Ownership = "rented_in"
)

// Status is a machine's life-cycle status.
type Status string

// Statuses. Only active machines take usage logs and stoppages.
const (
	Active   Status = "active"
	Inactive Status = "inactive" // laid up, off hire
	Disposed Status = "disposed"
)

// Equipment is one machine of the fleet master. Code identifies it within a
// tenant; Class, Site and Fleet group it for reports.
type Equipment struct {
	Code         string
	Class        string // "excavator", "dump_truck", "dozer", ...
	Make         string
	Model        string
	Serial       string
	Site         string // where it works; the site's shift calendar applies
	Fleet        string // an operational grouping, e.g. a contract or pit
	Ownership    Ownership
	Status       Status
	Commissioned ledger.Date // zero when unknown
	CreatedAt    time.Time
}

// Filter selects machines; empty fields select all. Codes, when given,
// selects exactly those machines.
type Filter struct {
	Codes  []string
	Class  string
	Site   string
	Fleet  string
	Status Status
}

// Matches reports whether f selects e.
func (f Filter) Matches(e Equipment) bool {
	if len(f.Codes) > 0 {
		found := false
		for _, c := range f.Codes {
			found = found || c == e.Code
		}
		if !found {
			return false
		}
	}
	return (f.Class == "" || f.Class == e.Class) && (f.Site == "" || f.Site == e.Site) &&
		(f.Fleet == "" || f.Fleet == e.Fleet) && (f.Status == "" || f.Status == e.Status)
}

const (
	maxCodeLen = 64
	maxTextLen = 256
)

// ValidateTenant checks a tenant ID: 1 to 64 printable characters with no
// surrounding space.
func ValidateTenant(tenant string) error {
	if tenant == "" || len(tenant) > maxCodeLen || strings.TrimSpace(tenant) != tenant || !printable(tenant) {
		return fmt.Errorf("%w: %q", ErrInvalidTenant, tenant)
	}
	return nil
}

func validCode(code string) bool {
	if code == "" || len(code) > maxCodeLen {
		return false
	}
	for _, r := range code {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func validText(s string) bool { return len(s) <= maxTextLen && printable(s) }

// normalize checks e and fills defaults (owned, active).
func (e Equipment) normalize() (Equipment, error) {
	bad := func(what string) (Equipment, error) {
		return Equipment{}, fmt.Errorf("%w: %s: %s", ErrInvalidEquipment, e.Code, what)
	}
	if !validCode(e.Code) {
		return Equipment{}, fmt.Errorf("%w: code %q must be 1 to %d characters without spaces", ErrInvalidEquipment, e.Code, maxCodeLen)
	}
	if !validCode(e.Class) {
		return bad("class is required (a code without spaces)")
	}
	if !validCode(e.Site) {
		return bad("site is required (a code without spaces)")
	}
	if e.Fleet != "" && !validCode(e.Fleet) {
		return bad("fleet must be a code without spaces")
	}
	for _, s := range []string{e.Make, e.Model, e.Serial} {
		if !validText(s) {
			return bad("make, model and serial are printable text of at most 256 bytes")
		}
	}
	if e.Ownership == "" {
		e.Ownership = Owned
	}
	if e.Ownership != Owned && e.Ownership != RentedIn {
		return bad(fmt.Sprintf("ownership %q", e.Ownership))
	}
	if e.Status == "" {
		e.Status = Active
	}
	if e.Status != Active && e.Status != Inactive && e.Status != Disposed {
		return bad(fmt.Sprintf("status %q", e.Status))
	}
	if !e.Commissioned.IsZero() && !e.Commissioned.Valid() {
		return bad("commissioning date is not a calendar date")
	}
	return e, nil
}

// Meter is a kind of meter on a machine.
type Meter string

// Meters. Usage logs carry hour-meter (SMU) readings.
const (
	HourMeter Meter = "hour_meter" // service meter units, hours
	Odometer  Meter = "odometer"   // kilometres
)

func (m Meter) valid() bool { return m == HourMeter || m == Odometer }

// ReadingKind says where a meter reading comes from.
type ReadingKind string

// Reading kinds. A replacement records two readings at one instant: the old
// meter's final reading, then the new meter's initial one.
const (
	Recorded        ReadingKind = "recorded"         // read off the machine
	LogStart        ReadingKind = "log_start"        // a usage log's start reading
	LogEnd          ReadingKind = "log_end"          // a usage log's end reading
	ReplacedFinal   ReadingKind = "replaced_final"   // the old meter's last reading
	ReplacedInitial ReadingKind = "replaced_initial" // the new meter's first reading
)

// order ranks readings taken at one instant: a log ending there comes
// first, a log starting there last.
func (k ReadingKind) order() int {
	switch k {
	case LogEnd:
		return 0
	case Recorded:
		return 1
	case ReplacedFinal:
		return 2
	case ReplacedInitial:
		return 3
	default:
		return 4
	}
}

// Order ranks readings of one meter taken at the same instant (adapters
// store it to sort readings).
func (k ReadingKind) Order() int { return k.order() }

// Reading is one meter reading of a machine. Values have at most three
// decimal places.
type Reading struct {
	Meter Meter
	At    time.Time
	Value decimal.Decimal
	Kind  ReadingKind
}

// MeterReplacement records that a machine's meter was replaced (or reset)
// at At: the old meter read OldFinal, the new one starts at NewInitial.
type MeterReplacement struct {
	Meter      Meter
	At         time.Time
	OldFinal   decimal.Decimal
	NewInitial decimal.Decimal
}

// maxScale is the number of decimal places of meter readings, hours and fuel:
// they are stored exactly as thousandths.
const maxScale = 3

// maxQuantity bounds meter readings, hours and fuel (they fit NUMERIC(18,3)).
var maxQuantity = decimal.New(1, 15)

// validQuantity: not negative, at most three decimal places, below 10^15.
func validQuantity(d decimal.Decimal) bool {
	return !d.IsNegative() && d.Equal(d.Round(maxScale)) && d.LessThan(maxQuantity)
}

// checkReadings merges the new readings into the existing ones of the same
// meters (sorted by the store or not) and checks that each meter never goes
// backwards, except across a replacement. Hour meters also never advance
// faster than the clock.
func checkReadings(code string, existing, added []Reading) error {
	all := make([]Reading, 0, len(existing)+len(added))
	all = append(all, existing...)
	all = append(all, added...)
	sortReadings(all)
	last := map[Meter]Reading{}
	for _, r := range all {
		prev, ok := last[r.Meter]
		last[r.Meter] = r
		if !ok || r.Kind == ReplacedInitial {
			continue
		}
		if r.Value.LessThan(prev.Value) {
			return &MeterError{Equipment: code, Meter: r.Meter, At: r.At, Value: r.Value, OtherAt: prev.At, Other: prev.Value,
				Reason: "lower than the reading before it"}
		}
		if r.Meter == HourMeter {
			elapsed := decimal.New(int64(r.At.Sub(prev.At)/time.Millisecond), 0).Div(decimal.New(3600000, 0))
			if r.Value.Sub(prev.Value).GreaterThan(elapsed) {
				return &MeterError{Equipment: code, Meter: r.Meter, At: r.At, Value: r.Value, OtherAt: prev.At, Other: prev.Value,
					Reason: "the hour meter advanced more hours than elapsed since the reading before it"}
			}
		}
	}
	return nil
}

func sortReadings(rs []Reading) {
	slices.SortFunc(rs, func(a, b Reading) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return a.Kind.order() - b.Kind.order()
	})
}
