package equipment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestKPITable: each KPI over hand-computed cases, "-" for undefined.
func TestKPITable(t *testing.T) {
	for _, c := range []struct {
		name                 string
		w, r, s, unscheduled int // hours
		den                  Denominator
		ma, pa, uoa, eu      string // percent, one decimal
	}{
		{"reference 1", 300, 100, 200, 0, CalendarTime, "75", "83.3", "60", "50"},
		{"reference 2", 500, 80, 140, 0, CalendarTime, "86.2", "88.9", "78.1", "69.4"},
		{"all operating", 24, 0, 0, 0, CalendarTime, "100", "100", "100", "100"},
		{"all down", 0, 24, 0, 0, CalendarTime, "0", "0", "-", "0"},
		{"all standby", 0, 0, 24, 0, CalendarTime, "-", "100", "0", "0"},
		{"half unscheduled, calendar T", 8, 2, 2, 12, CalendarTime, "80", "41.7", "80", "33.3"},
		{"half unscheduled, scheduled T", 8, 2, 2, 12, ScheduledTime, "80", "83.3", "80", "66.7"},
		{"nothing scheduled, scheduled T", 0, 0, 0, 24, ScheduledTime, "-", "-", "-", "-"},
		{"nothing scheduled, calendar T", 0, 0, 0, 24, CalendarTime, "-", "0", "-", "0"},
	} {
		h := func(n int) time.Duration { return time.Duration(n) * time.Hour }
		k := KPIs(Usage{Operating: h(c.w), UnscheduledDown: h(c.r), Standby: h(c.s), Unscheduled: h(c.unscheduled)}, c.den)
		for _, x := range []struct {
			kpi  string
			want string
			got  Ratio
		}{{"MA", c.ma, k.Mechanical}, {"PA", c.pa, k.Physical}, {"UoA", c.uoa, k.UseOfAvailability}, {"EU", c.eu, k.EffectiveUtilisation}} {
			if x.want == "-" {
				require.False(t, x.got.Defined, "%s %s", c.name, x.kpi)
				require.NotEmpty(t, x.got.Reason, "%s %s", c.name, x.kpi)
				continue
			}
			require.True(t, x.got.Defined, "%s %s: %s", c.name, x.kpi, x.got.Reason)
			require.True(t, dec(x.want).Equal(x.got.Percent(1)), "%s %s: want %s, got %s", c.name, x.kpi, x.want, x.got.Percent(1))
		}
	}
}

// TestFailureTable: MTBS, MTTR, MTBF and availability from them.
func TestFailureTable(t *testing.T) {
	for _, c := range []struct {
		name                           string
		hours                          string
		stoppages                      int
		repair                         string
		repaired, failures             int
		mtbs, mttr, mtbf, availability string // "-" undefined; availability in percent, two decimals
	}{
		{"reference", "600", 4, "30", 4, 4, "150", "7.5", "150", "95.24"},
		{"no stoppages", "600", 0, "0", 0, 0, "-", "-", "-", "-"},
		{"stoppages not yet repaired", "600", 3, "0", 0, 2, "200", "-", "300", "-"},
		{"no hours", "0", 2, "4", 2, 2, "0", "2", "0", "0"},
		{"inherent: MTBF 900, MTTR 100", "1800", 2, "200", 2, 2, "900", "100", "900", "90"},
	} {
		r := FailureMetrics(dec(c.hours), c.stoppages, dec(c.repair), c.repaired, c.failures)
		for _, x := range []struct {
			kpi, want string
			got       Ratio
			pct       bool
		}{{"MTBS", c.mtbs, r.MTBS, false}, {"MTTR", c.mttr, r.MTTR, false}, {"MTBF", c.mtbf, r.MTBF, false}, {"A", c.availability, r.Availability, true}} {
			if x.want == "-" {
				require.False(t, x.got.Defined, "%s %s", c.name, x.kpi)
				require.NotEmpty(t, x.got.Reason, "%s %s", c.name, x.kpi)
				continue
			}
			got := x.got.Value
			if x.pct {
				got = x.got.Percent(2)
			}
			require.True(t, x.got.Defined, "%s %s", c.name, x.kpi)
			require.True(t, dec(x.want).Equal(got), "%s %s: want %s, got %s", c.name, x.kpi, x.want, got)
		}
	}
}
