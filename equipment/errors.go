package equipment

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Sentinel errors of the engine and its Store. Every error for bad input
// wraps one of them (match with errors.Is); details are in the typed errors
// below. Bad input is rejected before anything is written.
var (
	// ErrInvalidTenant: the tenant ID is empty or malformed.
	ErrInvalidTenant = errors.New("equipment: invalid tenant")
	// ErrInvalidEquipment: a machine's fields are missing or malformed.
	ErrInvalidEquipment = errors.New("equipment: invalid equipment")
	// ErrEquipmentExists: a machine with that code exists for the tenant.
	ErrEquipmentExists = errors.New("equipment: equipment code already exists")
	// ErrEquipmentNotFound: no machine with that code for the tenant.
	ErrEquipmentNotFound = errors.New("equipment: unknown equipment")
	// ErrInvalidCalendar: a shift calendar is malformed (time zone, shift
	// times, overlapping shifts).
	ErrInvalidCalendar = errors.New("equipment: invalid shift calendar")
	// ErrCalendarNotFound: the site has no shift calendar.
	ErrCalendarNotFound = errors.New("equipment: no shift calendar for the site")
	// ErrUnknownShift: the calendar has no such shift on that date.
	ErrUnknownShift = errors.New("equipment: unknown shift")
	// ErrInvalidUsage: a usage log's fields are missing or malformed.
	ErrInvalidUsage = errors.New("equipment: invalid usage log")
	// ErrHoursBeyondShift: a usage log lies outside its shift, or logs more
	// operating hours than its span.
	ErrHoursBeyondShift = errors.New("equipment: hours beyond the shift")
	// ErrMeterDiscontinuity: a meter reading goes backwards (or a meter
	// advances faster than the clock) without a meter replacement.
	ErrMeterDiscontinuity = errors.New("equipment: meter discontinuity")
	// ErrOverlap: a usage log overlaps another log of the machine, or a
	// stoppage overlaps another stoppage of the machine; see OverlapError.
	ErrOverlap = errors.New("equipment: overlaps an existing record")
	// ErrInvalidStoppage: a stoppage's fields are missing or malformed.
	ErrInvalidStoppage = errors.New("equipment: invalid stoppage")
	// ErrUnknownReason: a stoppage reason code the configuration does not know.
	ErrUnknownReason = errors.New("equipment: unknown stoppage reason")
	// ErrStoppageNotFound: no stoppage with that ID for the tenant.
	ErrStoppageNotFound = errors.New("equipment: stoppage not found")
	// ErrStoppageEnded: the stoppage has an end already.
	ErrStoppageEnded = errors.New("equipment: stoppage already ended")
	// ErrInvalidReading: a meter reading or replacement is malformed.
	ErrInvalidReading = errors.New("equipment: invalid meter reading")
	// ErrInvalidQuery: a report's or listing's parameters are malformed.
	ErrInvalidQuery = errors.New("equipment: invalid query")
)

// OverlapError reports the existing record a new usage log or stoppage
// overlaps. It matches ErrOverlap.
type OverlapError struct {
	Equipment  string
	Kind       string // "usage log" or "stoppage"
	ID         uuid.UUID
	Start, End time.Time // End zero: an open stoppage
}

func (e *OverlapError) Error() string {
	end := "open"
	if !e.End.IsZero() {
		end = e.End.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("equipment: %s overlaps %s %s (%s .. %s)", e.Equipment, e.Kind, e.ID,
		e.Start.UTC().Format(time.RFC3339), end)
}

// Is makes an OverlapError match ErrOverlap.
func (e *OverlapError) Is(target error) bool { return target == ErrOverlap }

// MeterError reports a reading that breaks a meter's continuity: Value at
// At against the neighbouring reading Other at OtherAt. It matches
// ErrMeterDiscontinuity.
type MeterError struct {
	Equipment string
	Meter     Meter
	At        time.Time
	Value     decimal.Decimal
	OtherAt   time.Time
	Other     decimal.Decimal
	Reason    string
}

func (e *MeterError) Error() string {
	return fmt.Sprintf("equipment: %s %s reading %s at %s: %s (%s at %s)", e.Equipment, e.Meter, e.Value,
		e.At.UTC().Format(time.RFC3339), e.Reason, e.Other, e.OtherAt.UTC().Format(time.RFC3339))
}

// Is makes a MeterError match ErrMeterDiscontinuity.
func (e *MeterError) Is(target error) bool { return target == ErrMeterDiscontinuity }
