package storagetest

import (
	"encoding/json"
	"testing"

	"github.com/erpkit/erpkit/equipment"
	"github.com/stretchr/testify/require"
)

// testSyEquipmentEvents: equipment writes append their events in the same
// transaction; a rejected write appends none.
func testSyEquipmentEvents(t *testing.T, st SyncStore) {
	ctx, eng, tn := eqSetup(t, st)
	l, err := eng.LogUsage(ctx, tn, eqDayLog("EX01", 1, 6, 18, "1000", "1011.5", "10.25"))
	require.NoError(t, err)
	open, err := eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(2, 10, 0), Reason: "breakdown"})
	require.NoError(t, err)
	_, err = eng.AddStoppage(ctx, tn, equipment.Stoppage{Equipment: "EX01", Start: eqAt(3, 10, 0), End: eqAt(3, 11, 0), Reason: "weather"})
	require.ErrorIs(t, err, equipment.ErrOverlap)
	_, err = eng.EndStoppage(ctx, tn, open.ID, eqAt(2, 16, 0), "hose replaced")
	require.NoError(t, err)
	evs := syAllEvents(t, st, tn, 0)
	require.Len(t, evs, 3)
	require.Equal(t, "equipment.usage.logged", evs[0].Type)
	require.Equal(t, "equipment.stoppage.added", evs[1].Type)
	require.Equal(t, "equipment.stoppage.ended", evs[2].Type)
	for i, e := range evs {
		require.EqualValues(t, i+1, e.Cursor)
		require.Equal(t, "equipment", e.Entity.Type)
		require.Equal(t, "EX01", e.Entity.ID)
	}
	var d struct {
		ID             string `json:"id"`
		OperatingHours string `json:"operating_hours"`
	}
	require.NoError(t, json.Unmarshal(evs[0].Data, &d))
	require.Equal(t, l.ID.String(), d.ID)
	require.Equal(t, "10.25", d.OperatingHours)
}
