package equipment

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Engine is the equipment engine: the fleet master, shift calendars, usage
// logs, stoppages and meters, and the KPIs over them. It validates every
// request before its Store writes anything. It is safe for concurrent use,
// and correctness never depends on it being the only one.
type Engine struct {
	store   Store
	now     func() time.Time
	reasons map[string]Reason
	policy  Policy
}

// Config configures an Engine. The zero value is ready to use.
type Config struct {
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Reasons are the stoppage reason codes; DefaultReasons when empty.
	Reasons []Reason
	// Denominator is T of physical availability and effective utilisation:
	// calendar time (the default) or scheduled time.
	Denominator Denominator
	// UnscheduledReasons are the reason codes counted as unscheduled
	// stoppages for MTBS and MTTR; when empty, every reason whose category
	// is UnscheduledDown.
	UnscheduledReasons []string
}

// New returns an Engine over store. It panics on a Config whose reasons are
// malformed (a programming error).
func New(store Store, cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Reasons) == 0 {
		cfg.Reasons = DefaultReasons
	}
	e := &Engine{store: store, now: cfg.Now, reasons: map[string]Reason{}}
	for _, r := range cfg.Reasons {
		if !validCode(r.Code) || (r.Category != ScheduledDown && r.Category != UnscheduledDown && r.Category != Standby) {
			panic(fmt.Sprintf("equipment: reason %q with category %q", r.Code, r.Category))
		}
		e.reasons[r.Code] = r
	}
	e.policy = Policy{Denominator: cfg.Denominator, UnscheduledReasons: cfg.UnscheduledReasons}
	if len(e.policy.UnscheduledReasons) == 0 {
		for _, r := range cfg.Reasons {
			if r.Category == UnscheduledDown {
				e.policy.UnscheduledReasons = append(e.policy.UnscheduledReasons, r.Code)
			}
		}
	}
	return e
}

func (e *Engine) timestamp() time.Time { return e.now().UTC().Truncate(time.Microsecond) }

// instant normalises an input time: UTC, truncated to the microsecond both
// adapters keep.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// AddEquipment adds a machine to the fleet (status active and ownership
// owned unless given). Errors: ErrInvalidTenant, ErrInvalidEquipment,
// ErrEquipmentExists.
func (e *Engine) AddEquipment(ctx context.Context, tenant string, m Equipment) (Equipment, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Equipment{}, err
	}
	m, err := m.normalize()
	if err != nil {
		return Equipment{}, err
	}
	m.CreatedAt = e.timestamp()
	if err := e.store.CreateEquipment(ctx, tenant, m); err != nil {
		return Equipment{}, err
	}
	return m, nil
}

// UpdateEquipment changes a machine's master data (class, make, model,
// serial, site, fleet, ownership, status, commissioning date) to those of
// m; the code and creation time stay. Errors: ErrInvalidTenant,
// ErrInvalidEquipment, ErrEquipmentNotFound.
func (e *Engine) UpdateEquipment(ctx context.Context, tenant string, m Equipment) (Equipment, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Equipment{}, err
	}
	m, err := m.normalize()
	if err != nil {
		return Equipment{}, err
	}
	return e.store.UpdateEquipment(ctx, tenant, m.Code, func(cur *Equipment) error {
		m.CreatedAt = cur.CreatedAt
		*cur = m
		return nil
	})
}

// Equipment returns the machine with the code, or ErrEquipmentNotFound.
func (e *Engine) Equipment(ctx context.Context, tenant, code string) (Equipment, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Equipment{}, err
	}
	return e.store.Equipment(ctx, tenant, code)
}

// Fleet lists the machines f selects, ordered by code.
func (e *Engine) Fleet(ctx context.Context, tenant string, f Filter) ([]Equipment, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	return e.store.Fleet(ctx, tenant, f)
}

// SetCalendar stores a site's shift calendar, replacing its previous one.
// Errors: ErrInvalidTenant, ErrInvalidCalendar.
func (e *Engine) SetCalendar(ctx context.Context, tenant string, c Calendar) error {
	if err := ValidateTenant(tenant); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return e.store.PutShiftCalendar(ctx, tenant, c)
}

// Calendar returns the site's shift calendar, or ErrCalendarNotFound.
func (e *Engine) Calendar(ctx context.Context, tenant, site string) (Calendar, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Calendar{}, err
	}
	return e.store.ShiftCalendar(ctx, tenant, site)
}

func active(m Equipment, base error) error {
	if m.Status != Active {
		return fmt.Errorf("%w: %s is %s", base, m.Code, m.Status)
	}
	return nil
}

// LogUsage records a usage log. Errors, all before anything is written:
// ErrInvalidTenant; ErrInvalidUsage (missing or malformed fields, a machine
// that is not active); ErrEquipmentNotFound; ErrCalendarNotFound and
// ErrUnknownShift (the site has no such shift that day);
// ErrHoursBeyondShift (the log is not inside its shift, or has more
// operating hours than its span); *MeterError (ErrMeterDiscontinuity: the
// hour meter goes backwards against the log itself or the machine's other
// readings, or runs faster than the clock); *OverlapError (ErrOverlap:
// another log of the machine overlaps it).
func (e *Engine) LogUsage(ctx context.Context, tenant string, l UsageLog) (UsageLog, error) {
	if err := ValidateTenant(tenant); err != nil {
		return UsageLog{}, err
	}
	l, err := e.checkLog(l)
	if err != nil {
		return UsageLog{}, err
	}
	m, err := e.store.Equipment(ctx, tenant, l.Equipment)
	if err != nil {
		return UsageLog{}, err
	}
	if l.Site == "" {
		l.Site = m.Site
	}
	cal, err := e.store.ShiftCalendar(ctx, tenant, l.Site)
	if err != nil {
		return UsageLog{}, err
	}
	shift, err := cal.ShiftWindow(l.ShiftDate, l.Shift)
	if err != nil {
		return UsageLog{}, err
	}
	if l.Start.Before(shift.Start) || l.End.After(shift.End) {
		return UsageLog{}, fmt.Errorf("%w: %s .. %s is not inside shift %s of %s (%s .. %s)", ErrHoursBeyondShift,
			l.Start.Format(time.RFC3339), l.End.Format(time.RFC3339), l.Shift, l.ShiftDate,
			shift.Start.Format(time.RFC3339), shift.End.Format(time.RFC3339))
	}
	l.ID = uuid.Must(uuid.NewV7())
	l.CreatedAt = e.timestamp()
	readings := []Reading{
		{Meter: HourMeter, At: l.Start, Value: l.StartMeter, Kind: LogStart},
		{Meter: HourMeter, At: l.End, Value: l.EndMeter, Kind: LogEnd},
	}
	err = e.store.RecordMachine(ctx, tenant, l.Equipment, Span{l.Start, l.End}, func(st State) (Change, error) {
		if err := active(st.Equipment, ErrInvalidUsage); err != nil {
			return Change{}, err
		}
		for _, o := range st.Logs {
			if o.Start.Before(l.End) && o.End.After(l.Start) {
				return Change{}, &OverlapError{Equipment: l.Equipment, Kind: "usage log", ID: o.ID, Start: o.Start, End: o.End}
			}
		}
		if err := checkReadings(l.Equipment, st.Readings, readings); err != nil {
			return Change{}, err
		}
		return Change{Log: &l, Readings: readings}, nil
	})
	if err != nil {
		return UsageLog{}, err
	}
	return l, nil
}

func (e *Engine) checkLog(l UsageLog) (UsageLog, error) {
	bad := func(what string) (UsageLog, error) {
		return UsageLog{}, fmt.Errorf("%w: %s", ErrInvalidUsage, what)
	}
	if !validCode(l.Equipment) {
		return bad(fmt.Sprintf("equipment code %q", l.Equipment))
	}
	if !l.ShiftDate.Valid() {
		return bad("shift date is not a calendar date")
	}
	if !validCode(l.Shift) {
		return bad("shift name is required")
	}
	if !validCode(l.Operator) {
		return bad("operator (employee ID) is required")
	}
	if l.Site != "" && !validCode(l.Site) {
		return bad(fmt.Sprintf("site %q", l.Site))
	}
	if !validText(l.Activity) {
		return bad("activity is printable text of at most 256 bytes")
	}
	if l.Start.IsZero() || l.End.IsZero() {
		return bad("start and end times are required")
	}
	l.Start, l.End = instant(l.Start), instant(l.End)
	if !l.End.After(l.Start) {
		return bad("end must be after start")
	}
	for _, q := range []struct {
		name string
		v    decimal.Decimal
	}{{"start meter", l.StartMeter}, {"end meter", l.EndMeter}, {"operating hours", l.OperatingHours}, {"fuel", l.Fuel}} {
		if !validQuantity(q.v) {
			return bad(fmt.Sprintf("%s %s must be at least 0, below 10^15, with at most 3 decimals", q.name, q.v))
		}
	}
	if l.EndMeter.LessThan(l.StartMeter) {
		return UsageLog{}, &MeterError{Equipment: l.Equipment, Meter: HourMeter, At: l.End, Value: l.EndMeter,
			OtherAt: l.Start, Other: l.StartMeter, Reason: "end reading below the start reading"}
	}
	if err := checkReadings(l.Equipment, nil, []Reading{
		{Meter: HourMeter, At: l.Start, Value: l.StartMeter, Kind: LogStart},
		{Meter: HourMeter, At: l.End, Value: l.EndMeter, Kind: LogEnd},
	}); err != nil {
		return UsageLog{}, err
	}
	if HoursDuration(l.OperatingHours) > l.End.Sub(l.Start) {
		return UsageLog{}, fmt.Errorf("%w: %s operating hours in a log of %s", ErrHoursBeyondShift, l.OperatingHours, l.End.Sub(l.Start))
	}
	return l, nil
}

// AddStoppage records a stoppage, open when s.End is zero. Its category
// comes from the reason code. Errors, all before anything is written:
// ErrInvalidTenant; ErrInvalidStoppage (missing or malformed fields, end
// not after start, a disposed machine); ErrUnknownReason;
// ErrEquipmentNotFound; *OverlapError (ErrOverlap: another stoppage of the
// machine overlaps it, an open one overlapping everything after its start).
func (e *Engine) AddStoppage(ctx context.Context, tenant string, s Stoppage) (Stoppage, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Stoppage{}, err
	}
	if !validCode(s.Equipment) {
		return Stoppage{}, fmt.Errorf("%w: equipment code %q", ErrInvalidStoppage, s.Equipment)
	}
	if s.Start.IsZero() {
		return Stoppage{}, fmt.Errorf("%w: start is required", ErrInvalidStoppage)
	}
	s.Start = instant(s.Start)
	if !s.End.IsZero() {
		s.End = instant(s.End)
		if !s.End.After(s.Start) {
			return Stoppage{}, fmt.Errorf("%w: end must be after start", ErrInvalidStoppage)
		}
	}
	if len(s.Notes) > 1024 || !printable(s.Notes) {
		return Stoppage{}, fmt.Errorf("%w: notes are printable text of at most 1024 bytes", ErrInvalidStoppage)
	}
	r, ok := e.reasons[s.Reason]
	if !ok {
		return Stoppage{}, fmt.Errorf("%w: %q", ErrUnknownReason, s.Reason)
	}
	s.Category = r.Category
	s.ID = uuid.Must(uuid.NewV7())
	s.CreatedAt = e.timestamp()
	err := e.store.RecordMachine(ctx, tenant, s.Equipment, Span{s.Start, s.End}, func(st State) (Change, error) {
		if st.Equipment.Status == Disposed {
			return Change{}, fmt.Errorf("%w: %s is disposed", ErrInvalidStoppage, s.Equipment)
		}
		if o, ok := overlapping(st.Stoppages, s, uuid.Nil); ok {
			return Change{}, &OverlapError{Equipment: s.Equipment, Kind: "stoppage", ID: o.ID, Start: o.Start, End: o.End}
		}
		return Change{NewStoppage: &s}, nil
	})
	if err != nil {
		return Stoppage{}, err
	}
	return s, nil
}

// overlapping returns a stoppage of list other than skip that overlaps s.
func overlapping(list []Stoppage, s Stoppage, skip uuid.UUID) (Stoppage, bool) {
	for _, o := range list {
		if o.ID == skip {
			continue
		}
		if (s.End.IsZero() || o.Start.Before(s.End)) && (o.End.IsZero() || o.End.After(s.Start)) {
			return o, true
		}
	}
	return Stoppage{}, false
}

// EndStoppage ends an open stoppage at end, appending notes (when not
// empty) to its notes. Errors: ErrInvalidTenant; ErrStoppageNotFound;
// ErrInvalidStoppage (end not after the start); ErrStoppageEnded.
func (e *Engine) EndStoppage(ctx context.Context, tenant string, id uuid.UUID, end time.Time, notes string) (Stoppage, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Stoppage{}, err
	}
	s, err := e.store.Stoppage(ctx, tenant, id)
	if err != nil {
		return Stoppage{}, err
	}
	end = instant(end)
	if end.IsZero() || !end.After(s.Start) {
		return Stoppage{}, fmt.Errorf("%w: end must be after the start %s", ErrInvalidStoppage, s.Start.Format(time.RFC3339))
	}
	if len(notes) > 1024 || !printable(notes) {
		return Stoppage{}, fmt.Errorf("%w: notes are printable text of at most 1024 bytes", ErrInvalidStoppage)
	}
	var out Stoppage
	err = e.store.RecordMachine(ctx, tenant, s.Equipment, Span{s.Start, end}, func(st State) (Change, error) {
		var cur *Stoppage
		for i := range st.Stoppages {
			if st.Stoppages[i].ID == id {
				cur = &st.Stoppages[i]
			}
		}
		if cur == nil {
			return Change{}, fmt.Errorf("%w: %s", ErrStoppageNotFound, id)
		}
		if !cur.Open() {
			return Change{}, fmt.Errorf("%w: %s ended at %s", ErrStoppageEnded, id, cur.End.Format(time.RFC3339))
		}
		c := *cur
		c.End = end
		if notes != "" {
			if c.Notes != "" {
				c.Notes += "\n"
			}
			c.Notes += notes
			if len(c.Notes) > 4096 {
				return Change{}, fmt.Errorf("%w: notes would exceed 4096 bytes", ErrInvalidStoppage)
			}
		}
		if o, ok := overlapping(st.Stoppages, c, id); ok {
			return Change{}, &OverlapError{Equipment: c.Equipment, Kind: "stoppage", ID: o.ID, Start: o.Start, End: o.End}
		}
		out = c
		return Change{EndStoppage: &c}, nil
	})
	if err != nil {
		return Stoppage{}, err
	}
	return out, nil
}

// Stoppage returns the stoppage with the ID, or ErrStoppageNotFound.
func (e *Engine) Stoppage(ctx context.Context, tenant string, id uuid.UUID) (Stoppage, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Stoppage{}, err
	}
	return e.store.Stoppage(ctx, tenant, id)
}

// RecordReading records a meter reading read off a machine. Errors:
// ErrInvalidTenant; ErrInvalidReading; ErrEquipmentNotFound; *MeterError
// (ErrMeterDiscontinuity) when it is below an earlier reading or above a
// later one of the same meter (or an hour meter runs faster than the clock).
func (e *Engine) RecordReading(ctx context.Context, tenant, code string, r Reading) (Reading, error) {
	if err := ValidateTenant(tenant); err != nil {
		return Reading{}, err
	}
	if !validCode(code) || !r.Meter.valid() || r.At.IsZero() || !validQuantity(r.Value) {
		return Reading{}, fmt.Errorf("%w: %s %s %s at %s", ErrInvalidReading, code, r.Meter, r.Value, r.At)
	}
	r.At, r.Kind = instant(r.At), Recorded
	err := e.store.RecordMachine(ctx, tenant, code, Span{r.At, r.At}, func(st State) (Change, error) {
		if err := checkReadings(code, st.Readings, []Reading{r}); err != nil {
			return Change{}, err
		}
		return Change{Readings: []Reading{r}}, nil
	})
	return r, err
}

// ReplaceMeter records the replacement (or reset) of a machine's meter: the
// old meter's final reading and the new meter's initial one, at one
// instant. Later readings continue from the new initial reading. Errors:
// ErrInvalidTenant; ErrInvalidReading; ErrEquipmentNotFound; *MeterError
// (ErrMeterDiscontinuity) when the final reading is below an earlier reading
// or the initial one above a later reading; ErrMeterDiscontinuity when a
// usage log spans the instant.
func (e *Engine) ReplaceMeter(ctx context.Context, tenant, code string, mr MeterReplacement) error {
	if err := ValidateTenant(tenant); err != nil {
		return err
	}
	if !validCode(code) || !mr.Meter.valid() || mr.At.IsZero() || !validQuantity(mr.OldFinal) || !validQuantity(mr.NewInitial) {
		return fmt.Errorf("%w: replacement of %s %s at %s", ErrInvalidReading, code, mr.Meter, mr.At)
	}
	at := instant(mr.At)
	rs := []Reading{
		{Meter: mr.Meter, At: at, Value: mr.OldFinal, Kind: ReplacedFinal},
		{Meter: mr.Meter, At: at, Value: mr.NewInitial, Kind: ReplacedInitial},
	}
	return e.store.RecordMachine(ctx, tenant, code, Span{at, at}, func(st State) (Change, error) {
		if mr.Meter == HourMeter {
			for _, l := range st.Logs {
				if l.Start.Before(at) && l.End.After(at) {
					return Change{}, fmt.Errorf("%w: usage log %s (%s .. %s) spans the meter replacement", ErrMeterDiscontinuity,
						l.ID, l.Start.Format(time.RFC3339), l.End.Format(time.RFC3339))
				}
			}
		}
		if err := checkReadings(code, st.Readings, rs); err != nil {
			return Change{}, err
		}
		return Change{Readings: rs}, nil
	})
}

// UsageLogs lists a machine's usage logs that overlap w, by start.
func (e *Engine) UsageLogs(ctx context.Context, tenant, code string, w Window) ([]UsageLog, error) {
	if err := checkQuery(tenant, w); err != nil {
		return nil, err
	}
	return e.store.UsageLogs(ctx, tenant, code, w)
}

// Stoppages lists a machine's stoppages that overlap w, by start.
func (e *Engine) Stoppages(ctx context.Context, tenant, code string, w Window) ([]Stoppage, error) {
	if err := checkQuery(tenant, w); err != nil {
		return nil, err
	}
	return e.store.Stoppages(ctx, tenant, code, w)
}

// Readings lists a machine's readings of meter m in meter order.
func (e *Engine) Readings(ctx context.Context, tenant, code string, m Meter) ([]Reading, error) {
	if err := ValidateTenant(tenant); err != nil {
		return nil, err
	}
	if !m.valid() {
		return nil, fmt.Errorf("%w: meter %q", ErrInvalidQuery, m)
	}
	return e.store.MeterReadings(ctx, tenant, code, m)
}

func checkQuery(tenant string, w Window) error {
	if err := ValidateTenant(tenant); err != nil {
		return err
	}
	if w.From.IsZero() || !w.To.After(w.From) {
		return fmt.Errorf("%w: window %s .. %s", ErrInvalidQuery, w.From, w.To)
	}
	return nil
}
