package storagetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// FleetData is a generated fleet and its history, for benchmarks: adapters
// load it with their own bulk inserts (going through the engine would
// take minutes) and run BenchEquipmentReport over it.
type FleetData struct {
	Calendars []equipment.Calendar
	Machines  []equipment.Equipment
	Logs      []equipment.UsageLog
	Stoppages []equipment.Stoppage
	Window    equipment.Window
}

// FleetYear generates machines over one year (from 1 July 2025, Dhaka) at
// two sites with day and night 12-hour shifts: one usage log per machine per
// shift (8 to 11 hours) and 100 stoppages per machine. With 500 machines
// that is 365,000 logs and 50,000 stoppages, the equipment issue's figure.
func FleetYear(machines int) FleetData {
	r := rand.New(rand.NewPCG(6, 500))
	var d FleetData
	for _, site := range []string{"PIT1", "PIT2"} {
		c := eqPitCalendar
		c.Site = site
		d.Calendars = append(d.Calendars, c)
	}
	t0 := time.Date(2025, 7, 1, 0, 0, 0, 0, eqDhaka)
	d.Window = equipment.Window{From: t0, To: t0.AddDate(1, 0, 0)}
	classes := []string{"excavator", "dump_truck", "dozer", "grader", "water_truck"}
	created := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	reasons := []string{"breakdown", "breakdown", "planned_maintenance", "no_operator", "weather", "no_work", "waiting_parts"}
	cats := map[string]equipment.Category{}
	for _, rs := range equipment.DefaultReasons {
		cats[rs.Code] = rs.Category
	}
	for m := range machines {
		code := fmt.Sprintf("M%04d", m)
		d.Machines = append(d.Machines, equipment.Equipment{Code: code, Class: classes[m%len(classes)],
			Site: []string{"PIT1", "PIT2"}[m%2], Fleet: fmt.Sprintf("contract-%d", m%4), Ownership: equipment.Owned,
			Status: equipment.Active, CreatedAt: created})
		meter := decimal.NewFromInt(int64(r.IntN(20000)))
		for day := range 365 {
			date := ledger.DateOf(t0.AddDate(0, 0, day))
			for s, shift := range []string{"day", "night"} {
				start := time.Date(date.Year, date.Month, date.Day, 6+12*s, r.IntN(60), 0, 0, eqDhaka)
				length := time.Duration(8*60+r.IntN(180)) * time.Minute
				hours := decimal.New(int64(length/time.Minute), 0).Div(decimal.New(60, 0)).Round(3)
				op := hours.Sub(decimal.New(int64(r.IntN(90)), -2)) // up to 0.9 h idle
				end := meter.Add(hours)
				d.Logs = append(d.Logs, equipment.UsageLog{ID: uuid.Must(uuid.NewV7()), Equipment: code, ShiftDate: date,
					Shift: shift, Operator: fmt.Sprintf("E-%d", r.IntN(900)), Start: start.UTC(), End: start.Add(length).UTC(),
					StartMeter: meter, EndMeter: end, OperatingHours: op, Activity: "hauling", Site: d.Machines[m].Site,
					Fuel: decimal.New(int64(20000+r.IntN(30000)), -2), CreatedAt: created})
				meter = end
			}
		}
		at := t0
		for range 100 { // about one every 87 hours, 1 to 6 hours long
			at = at.Add(time.Duration(30+r.IntN(100)) * time.Hour)
			reason := reasons[r.IntN(len(reasons))]
			d.Stoppages = append(d.Stoppages, equipment.Stoppage{ID: uuid.Must(uuid.NewV7()), Equipment: code,
				Start: at.UTC(), End: at.Add(time.Duration(60+r.IntN(300)) * time.Minute).UTC(), Reason: reason,
				Category: cats[reason], CreatedAt: created})
			at = at.Add(6 * time.Hour)
		}
	}
	return d
}

// BenchEquipmentReport measures a year's report (per machine, class, site
// and fleet) of the tenant's fleet that FleetYear generated, and a monthly
// series of it.
func BenchEquipmentReport(b *testing.B, st equipment.Store, tenant string, d FleetData) {
	ctx := context.Background()
	eng := equipment.New(st, equipment.Config{Now: func() time.Time { return d.Window.To }})
	q := equipment.ReportQuery{Window: d.Window}
	b.Run("Report", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rep, err := eng.Report(ctx, tenant, q)
			if err != nil {
				b.Fatal(err)
			}
			if len(rep.Machines) != len(d.Machines) || !rep.Total.Availability.Physical.Defined {
				b.Fatalf("%d machines", len(rep.Machines))
			}
		}
	})
	b.Run("ActivityRead", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.EquipmentActivity(ctx, tenant, equipment.Filter{}, d.Window); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MonthlySeries", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s, err := eng.Series(ctx, tenant, q, equipment.Monthly, eqDhaka)
			if err != nil {
				b.Fatal(err)
			}
			if len(s) != 12 {
				b.Fatalf("%d months", len(s))
			}
		}
	})
	b.Run("OneMachineReport", func(b *testing.B) {
		q := equipment.ReportQuery{Window: d.Window, Filter: equipment.Filter{Codes: []string{d.Machines[0].Code}}}
		for b.Loop() {
			if _, err := eng.Report(ctx, tenant, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
