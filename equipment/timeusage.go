package equipment

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Category is where an hour of a machine's calendar goes in the time usage
// model (Global Mining Guidelines, 2020): calendar = unscheduled + scheduled;
// scheduled = down + available; down = scheduled down (planned maintenance)
// + unscheduled down (breakdowns); available = operating + standby.
type Category string

// The leaf categories. Every instant of a window is in exactly one.
const (
	Unscheduled     Category = "unscheduled"      // not required: outside the shift calendar
	ScheduledDown   Category = "scheduled_down"   // planned maintenance
	UnscheduledDown Category = "unscheduled_down" // breakdown, repair
	Operating       Category = "operating"        // working (usage logs)
	Standby         Category = "standby"          // available but idle: no operator, weather, no work, ...
)

// Errors of the pure functions.
var (
	// ErrInvalidWindow: the window's end is not after its start.
	ErrInvalidWindow = errors.New("equipment: window end must be after its start")
	// ErrInvalidInterval: an event's end is before its start, or its category is unknown.
	ErrInvalidInterval = errors.New("equipment: invalid interval")
)

// Interval is a span of time [Start, End) with what the machine was doing.
// Usage logs are Operating intervals, stoppages are ScheduledDown,
// UnscheduledDown or Standby intervals, and the shift calendar gives the
// scheduled intervals (whose Category is ignored).
type Interval struct {
	Start, End time.Time
	Category   Category
	Reason     string // stoppage reason code, when there is one
}

// Window is the span [From, To) a report covers.
type Window struct{ From, To time.Time }

// Usage is the time usage of one machine (or the sum over a group) in a
// window. Durations are exact; Hours converts them.
type Usage struct {
	Window          Window
	Unscheduled     time.Duration
	ScheduledDown   time.Duration
	UnscheduledDown time.Duration
	Operating       time.Duration
	Standby         time.Duration
}

// Calendar is the whole window (times the number of machines for a group).
func (u Usage) Calendar() time.Duration { return u.Scheduled() + u.Unscheduled }

// Scheduled is the required time: down + available.
func (u Usage) Scheduled() time.Duration { return u.Down() + u.Available() }

// Down is scheduled plus unscheduled down time (R).
func (u Usage) Down() time.Duration { return u.ScheduledDown + u.UnscheduledDown }

// Available is operating plus standby time.
func (u Usage) Available() time.Duration { return u.Operating + u.Standby }

// Add returns the sum of two usages (a group's usage is the sum of its
// machines'); the window is u's.
func (u Usage) Add(v Usage) Usage {
	u.Unscheduled += v.Unscheduled
	u.ScheduledDown += v.ScheduledDown
	u.UnscheduledDown += v.UnscheduledDown
	u.Operating += v.Operating
	u.Standby += v.Standby
	return u
}

// Hours converts a duration to hours, rounded half-up to six decimal places
// (under 4 ms); sums should be taken on durations, not on rounded hours.
func Hours(d time.Duration) decimal.Decimal {
	return decimal.New(int64(d), 0).Div(decimal.New(int64(time.Hour), 0)).Round(6)
}

// precedence: when events overlap, the first category listed wins. Down time
// wins over everything (a breakdown during a shift is down time, not
// operating); then operating, then explicit standby.
var precedence = []Category{UnscheduledDown, ScheduledDown, Operating, Standby}

// Classify accounts for every instant of w exactly once. scheduled are the
// shift calendar's intervals (required time); events are usage logs and
// stoppages. Inside scheduled time, an instant is down, operating or standby
// by precedence (down, then operating, then standby), and standby when no event
// covers it. Outside scheduled time it is unscheduled unless down time covers
// it (a breakdown repaired overnight is still down time). Events outside w
// are clipped.
func Classify(w Window, scheduled, events []Interval) (Usage, error) {
	if !w.To.After(w.From) {
		return Usage{}, fmt.Errorf("%w: %s .. %s", ErrInvalidWindow, w.From, w.To)
	}
	for _, list := range [][]Interval{scheduled, events} {
		for _, in := range list {
			if in.End.Before(in.Start) {
				return Usage{}, fmt.Errorf("%w: end %s before start %s", ErrInvalidInterval, in.End, in.Start)
			}
		}
	}
	for _, e := range events {
		if !slices.Contains(precedence, e.Category) {
			return Usage{}, fmt.Errorf("%w: category %q", ErrInvalidInterval, e.Category)
		}
	}
	// Sweep: every interval opens at its start and closes at its end; between
	// two consecutive boundaries the open intervals decide the category.
	edges := make([]edge, 0, 2*(len(scheduled)+len(events)))
	span := int64(w.To.Sub(w.From))
	clip := func(in Interval, slot int32) {
		// Offsets from w.From; a window is far shorter than 292 years.
		from, to := int64(in.Start.Sub(w.From)), int64(in.End.Sub(w.From))
		from, to = max(from, 0), min(to, span)
		if to > from {
			edges = append(edges, edge{from, slot, +1}, edge{to, slot, -1})
		}
	}
	for _, in := range scheduled {
		clip(in, int32(len(precedence)))
	}
	for _, in := range events {
		clip(in, int32(slices.Index(precedence, in.Category)))
	}
	edges = sortEdges(edges)
	var open [5]int32
	u := Usage{Window: w}
	var at int64
	for i := 0; ; {
		// Apply every edge at this instant, then account for the piece up to the next.
		for i < len(edges) && edges[i].at <= at {
			open[edges[i].slot] += edges[i].delta
			i++
		}
		to := span
		if i < len(edges) {
			to = edges[i].at
		}
		u.add(category(open), time.Duration(to-at))
		if i >= len(edges) {
			break
		}
		at = to
	}
	return u, nil
}

// edge is where an interval opens (delta +1) or closes (-1).
type edge struct {
	at    int64 // nanoseconds since the window's start
	slot  int32 // index into open: 0..3 the precedence categories, 4 the schedule
	delta int32
}

// sortEdges orders edges by time. Shift calendars, usage logs and stoppages
// each come ordered and without overlaps, so the edges are a few ascending
// runs: they are merged (linear per run) rather than sorted; many runs fall
// back to a sort.
func sortEdges(edges []edge) []edge {
	const maxRuns = 16
	bounds := []int{0}
	for i := 1; i < len(edges); i++ {
		if edges[i].at < edges[i-1].at {
			if bounds = append(bounds, i); len(bounds) > maxRuns {
				slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.at, b.at) })
				return edges
			}
		}
	}
	bounds = append(bounds, len(edges))
	src, dst := edges, make([]edge, len(edges))
	for len(bounds) > 2 {
		runs := len(bounds) - 1
		next := []int{0}
		for r := 0; r < runs; r += 2 {
			lo, mid, hi := bounds[r], bounds[r+1], bounds[min(r+2, runs)]
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if src[j].at < src[i].at {
					dst[k] = src[j]
					j++
				} else {
					dst[k] = src[i]
					i++
				}
				k++
			}
			k += copy(dst[k:], src[i:mid])
			copy(dst[k:], src[j:hi])
			next = append(next, hi)
		}
		bounds, src, dst = next, dst, src
	}
	return src
}

// category decides a piece from the counts of open intervals per slot.
func category(open [5]int32) Category {
	for slot, c := range precedence[:2] { // down wins, in or out of schedule
		if open[slot] > 0 {
			return c
		}
	}
	if open[4] == 0 {
		return Unscheduled
	}
	for slot := 2; slot < 4; slot++ {
		if open[slot] > 0 {
			return precedence[slot]
		}
	}
	return Standby
}

func (u *Usage) add(c Category, d time.Duration) {
	switch c {
	case Unscheduled:
		u.Unscheduled += d
	case ScheduledDown:
		u.ScheduledDown += d
	case UnscheduledDown:
		u.UnscheduledDown += d
	case Operating:
		u.Operating += d
	default:
		u.Standby += d
	}
}
