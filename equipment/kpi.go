package equipment

import (
	"time"

	"github.com/shopspring/decimal"
)

// Ratio is a KPI that may be undefined: a division by zero is reported as
// Defined false with the Reason, never as zero or a panic.
type Ratio struct {
	Value   decimal.Decimal // exact to 12 decimal places (half-up)
	Defined bool
	Reason  string
}

// Percent returns the ratio in percent rounded half-up to places decimals.
func (r Ratio) Percent(places int32) decimal.Decimal {
	return r.Value.Shift(2).Round(places)
}

func ratio(num, den decimal.Decimal, reason string) Ratio {
	if den.IsZero() {
		return Ratio{Reason: reason}
	}
	return Ratio{Value: num.DivRound(den, 12), Defined: true}
}

func dur(d time.Duration) decimal.Decimal { return decimal.New(int64(d), 0) }

// Denominator chooses T, the total time of physical availability and
// effective utilisation: practice differs, so it is a parameter.
type Denominator int

const (
	// CalendarTime uses the whole window (the default).
	CalendarTime Denominator = iota
	// ScheduledTime uses the required time only.
	ScheduledTime
)

// Availability is the time-based KPIs of a Usage, with W operating, R down,
// S standby and T the chosen total.
type Availability struct {
	Mechanical           Ratio // W / (W + R)
	Physical             Ratio // (W + S) / T
	UseOfAvailability    Ratio // W / (W + S)
	EffectiveUtilisation Ratio // W / T
}

// KPIs computes the availability KPIs of u with T per den.
func KPIs(u Usage, den Denominator) Availability {
	w, r, s := dur(u.Operating), dur(u.Down()), dur(u.Standby)
	t := dur(u.Calendar())
	if den == ScheduledTime {
		t = dur(u.Scheduled())
	}
	return Availability{
		Mechanical:           ratio(w, w.Add(r), "no operating or down time"),
		Physical:             ratio(w.Add(s), t, "no time in the window"),
		UseOfAvailability:    ratio(w, w.Add(s), "no available time"),
		EffectiveUtilisation: ratio(w, t, "no time in the window"),
	}
}

// Reliability is the failure metrics over a period, in hours.
type Reliability struct {
	MTBS Ratio // operating hours (hour meter) / unscheduled stoppages
	MTTR Ratio // repair hours / stoppages repaired
	MTBF Ratio // operating hours / failures
	// Availability is MTBS / (MTBS + MTTR).
	Availability Ratio
}

// FailureMetrics computes MTBS, MTTR and MTBF from operating (hour-meter)
// hours, the number of unscheduled stoppages, the repair hours and the number
// of stoppages repaired, and the number of failures. Values are hours.
func FailureMetrics(operatingHours decimal.Decimal, stoppages int, repairHours decimal.Decimal, repaired, failures int) Reliability {
	rel := Reliability{
		MTBS: ratio(operatingHours, decimal.NewFromInt(int64(stoppages)), "no unscheduled stoppages"),
		MTTR: ratio(repairHours, decimal.NewFromInt(int64(repaired)), "no stoppage repaired"),
		MTBF: ratio(operatingHours, decimal.NewFromInt(int64(failures)), "no failures"),
	}
	rel.Availability = AvailabilityFrom(rel.MTBS, rel.MTTR)
	return rel
}

// AvailabilityFrom returns between / (between + repair): mechanical
// availability from MTBS and MTTR, or inherent availability from MTBF and MTTR.
func AvailabilityFrom(between, repair Ratio) Ratio {
	if !between.Defined {
		return Ratio{Reason: between.Reason}
	}
	if !repair.Defined {
		return Ratio{Reason: repair.Reason}
	}
	return ratio(between.Value, between.Value.Add(repair.Value), "no time between stoppages or to repair")
}
