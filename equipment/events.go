package equipment

import (
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// UsageLog is one operator's use of one machine in one shift. Start and End
// are the span of the log inside the shift; OperatingHours of it were
// working time (the rest is standby), and the hour meter read StartMeter and
// EndMeter at its ends. Hours, meter readings and fuel (litres) have at most
// three decimal places.
type UsageLog struct {
	ID             uuid.UUID
	Equipment      string
	ShiftDate      ledger.Date
	Shift          string // the shift's name in the site's calendar
	Operator       string // employee ID
	Start, End     time.Time
	StartMeter     decimal.Decimal
	EndMeter       decimal.Decimal
	OperatingHours decimal.Decimal
	Activity       string // e.g. "loading", "hauling"
	Site           string // the machine's site when empty
	Fuel           decimal.Decimal
	CreatedAt      time.Time
}

// Operating is the log's operating interval: OperatingHours from Start.
func (l UsageLog) Operating() Interval {
	return Interval{Start: l.Start, End: l.Start.Add(HoursDuration(l.OperatingHours)), Category: Operating}
}

// HoursDuration converts decimal hours to a duration, rounded half-up to
// the microsecond.
func HoursDuration(h decimal.Decimal) time.Duration {
	return time.Duration(h.Mul(decimal.New(int64(time.Hour/time.Microsecond), 0)).Round(0).IntPart()) * time.Microsecond
}

// Stoppage is a span in which a machine stood: down for maintenance or a
// breakdown, or on standby. End is zero while it is open. Category comes
// from the reason code (see Reason).
type Stoppage struct {
	ID         uuid.UUID
	Equipment  string
	Start, End time.Time
	Reason     string
	Category   Category
	Notes      string
	CreatedAt  time.Time
}

// Open reports whether the stoppage has not ended.
func (s Stoppage) Open() bool { return s.End.IsZero() }

// Interval is the stoppage as an event for Classify; an open stoppage runs
// until now.
func (s Stoppage) Interval(now time.Time) Interval {
	end := s.End
	if end.IsZero() {
		end = now
		if end.Before(s.Start) {
			end = s.Start
		}
	}
	return Interval{Start: s.Start, End: end, Category: s.Category, Reason: s.Reason}
}

// Reason is a stoppage reason code and the time usage category it books to.
type Reason struct {
	Code        string
	Category    Category // ScheduledDown, UnscheduledDown or Standby
	Description string
}

// DefaultReasons are the stoppage reasons when Config.Reasons is empty.
// Waiting for parts is standby here, as the equipment issue lists it; a
// contract that books it as down time configures its own reasons.
var DefaultReasons = []Reason{
	{"planned_maintenance", ScheduledDown, "scheduled maintenance (PM service, inspection)"},
	{"breakdown", UnscheduledDown, "unscheduled breakdown and repair"},
	{"no_operator", Standby, "no operator"},
	{"weather", Standby, "weather (rain, fog)"},
	{"no_work", Standby, "no work"},
	{"waiting_parts", Standby, "waiting for parts"},
}

// LogSpan is the part of a usage log the KPIs need. Hours are in
// thousandths (exact: logs have at most three decimal places), so that a
// year of a fleet's logs sums without a decimal per log.
type LogSpan struct {
	Start, End     time.Time
	OperatingMilli int64 // OperatingHours * 1000
	MeterMilli     int64 // (EndMeter - StartMeter) * 1000
}

// MilliHours is n thousandths of an hour as a duration (3.6 s each, exact).
func MilliHours(n int64) time.Duration { return time.Duration(n) * 3600 * time.Millisecond }

// Operating is the span's operating interval.
func (l LogSpan) Operating() Interval {
	return Interval{Start: l.Start, End: l.Start.Add(MilliHours(l.OperatingMilli)), Category: Operating}
}

// Activity is what a store returns for KPIs: one machine's usage logs and
// stoppages that overlap a window.
type Activity struct {
	Equipment Equipment
	Logs      []LogSpan
	Stoppages []Stoppage
}
