package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/erpkit/erpkit/equipment"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/stretchr/testify/require"
)

// EquipmentInTx checks that the equipment engine's writes through a store
// bound to one transaction (the adapter's InTx) commit together or not at
// all.
func EquipmentInTx(t *testing.T, st equipment.Store, rows EquipmentRows,
	inTx func(ctx context.Context, fn func(tx equipment.Store) error) error) {
	ctx, eng, tn := eqSetup(t, st)
	before, err := rows(ctx, tn)
	require.NoError(t, err)
	boom := errors.New("host failed")
	err = inTx(ctx, func(tx equipment.Store) error {
		e := equipment.New(tx, equipment.Config{})
		if _, err := e.LogUsage(ctx, tn, eqDayLog("EX01", 1, 6, 18, "10", "20", "9")); err != nil {
			return err
		}
		if _, err := e.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(1, 19, 0), Reason: "breakdown"}); err != nil {
			return err
		}
		// The transaction sees its own writes.
		logs, err := e.UsageLogs(ctx, tn, "EX01", equipment.Window{From: eqAt(1, 0, 0), To: eqAt(2, 0, 0)})
		if err != nil || len(logs) != 1 {
			return errors.Join(err, errors.New("log not visible in its transaction"))
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	after, err := rows(ctx, tn)
	require.NoError(t, err)
	require.Equal(t, before, after, "rolled back")
	require.NoError(t, inTx(ctx, func(tx equipment.Store) error {
		e := equipment.New(tx, equipment.Config{})
		if _, err := e.LogUsage(ctx, tn, eqDayLog("EX01", 1, 6, 18, "10", "20", "9")); err != nil {
			return err
		}
		// A refused call inside the transaction leaves the rest of it intact.
		_, err := e.LogUsage(ctx, tn, eqDayLog("EX01", 1, 7, 18, "20", "21", "1"))
		if !errors.Is(err, equipment.ErrOverlap) {
			return errors.Join(err, errors.New("want ErrOverlap"))
		}
		return nil
	}))
	logs, err := eng.UsageLogs(ctx, tn, "EX01", equipment.Window{From: eqAt(1, 0, 0), To: eqAt(2, 0, 0)})
	require.NoError(t, err)
	require.Len(t, logs, 1)
}

// testEqStoppageModel: random stoppages (open or closed) and ends sent to one
// machine are accepted exactly when a simple model says they do not
// overlap, the store lists what the model holds, and the report's parts add
// up to its window. The seed is printed on failure (ERPKIT_SEED replays it).
func testEqStoppageModel(t *testing.T, st equipment.Store) {
	seed := PropertySeed(t)
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 15
	props := gopter.NewProperties(params)
	reasons := []string{"breakdown", "planned_maintenance", "weather"}
	type stop struct {
		from, to time.Time // to zero: open
	}
	props.Property("stoppages are accepted exactly when they overlap none", prop.ForAll(func(ops []int) bool {
		ctx, eng, tn := eqSetup(t, st)
		t0 := eqAt(1, 0, 0)
		var model []stop
		var ids []equipment.Stoppage
		overlaps := func(a stop) bool {
			for _, b := range model {
				if (a.to.IsZero() || b.from.Before(a.to)) && (b.to.IsZero() || b.to.After(a.from)) {
					return true
				}
			}
			return false
		}
		for i := 0; i+2 < len(ops); i += 3 {
			from := t0.Add(time.Duration(ops[i]%(72*4)) * 15 * time.Minute)
			length := time.Duration(ops[i+1]%40) * 15 * time.Minute // 0: open
			if ops[i+2]%5 == 0 && len(ids) > 0 {                    // end a stoppage
				s := ids[ops[i]%len(ids)]
				end := s.Start.Add(time.Duration(1+ops[i+1]%16) * 15 * time.Minute)
				_, err := eng.EndStoppage(ctx, tn, s.ID, end, "")
				k := -1
				for j, m := range model {
					if m.from.Equal(s.Start) {
						k = j
					}
				}
				if !model[k].to.IsZero() {
					if !errors.Is(err, equipment.ErrStoppageEnded) {
						return false
					}
					continue
				}
				rest := append(append([]stop(nil), model[:k]...), model[k+1:]...)
				saved := model
				model = rest
				clash := overlaps(stop{s.Start, end})
				model = saved
				if clash != (err != nil) {
					return false
				}
				if err == nil {
					model[k].to = end
				}
				continue
			}
			s := stop{from: from}
			if length > 0 {
				s.to = from.Add(length)
			}
			got, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: s.from, End: s.to,
				Reason: reasons[ops[i+2]%len(reasons)]})
			if overlaps(s) {
				if !errors.Is(err, equipment.ErrOverlap) {
					return false
				}
				continue
			}
			if err != nil {
				return false
			}
			model = append(model, s)
			ids = append(ids, got)
		}
		w := equipment.Window{From: t0, To: t0.Add(96 * time.Hour)}
		list, err := eng.Stoppages(ctx, tn, "EX01", w)
		if err != nil || len(list) != len(model) {
			return false
		}
		rep, err := eng.Report(ctx, tn, equipment.ReportQuery{Window: w, Filter: equipment.Filter{Codes: []string{"EX01"}}})
		return err == nil && len(rep.Machines) == 1 && rep.Machines[0].Usage.Calendar() == 96*time.Hour
	}, gen.SliceOfN(30, gen.IntRange(0, 1<<20))))
	props.TestingRun(t)
}
