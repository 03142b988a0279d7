package syncclient_test

import (
	"strings"
	"testing"
	"time"

	"github.com/erpkit/erpkit/sync/syncclient"
	"github.com/stretchr/testify/require"
)

func TestReadSSE(t *testing.T) {
	in := "retry: 1500\n\n: heartbeat\n\nid: 1\ndata: {\"a\":1}\n\nid: 2\ndata: line1\ndata: line2\n\nevent: reset\nid: 9\ndata: {\"head\":9}\n\ndata: no id\n\nid: 10\n\ndata: trailing without blank line"
	var got []syncclient.SSEEvent
	require.NoError(t, syncclient.ReadSSE(strings.NewReader(in), "0", func(e syncclient.SSEEvent) error {
		got = append(got, e)
		return nil
	}))
	require.Equal(t, []syncclient.SSEEvent{
		{ID: "0", Retry: 1500 * time.Millisecond},
		{ID: "1", Data: `{"a":1}`},
		{ID: "2", Data: "line1\nline2"},
		{ID: "9", Event: "reset", Data: `{"head":9}`},
		{ID: "9", Data: "no id"}, // the last event ID carries over
	}, got, "an event without a blank line after it is not dispatched")
}

func FuzzReadSSE(f *testing.F) {
	f.Add("retry: 10\n\nid: 1\ndata: x\n\n")
	f.Add(": c\n\nevent: reset\nid: 3\ndata: {}\n\n")
	f.Add("data\n\nid\n\n:\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		_ = syncclient.ReadSSE(strings.NewReader(s), "", func(e syncclient.SSEEvent) error {
			if strings.HasSuffix(e.Data, "\n") && !strings.Contains(s, "data\n") && !strings.Contains(s, "data:\n") && !strings.Contains(s, "data: \n") {
				t.Fatalf("data keeps its last line feed: %q", e.Data)
			}
			if strings.ContainsRune(e.ID, 0) {
				t.Fatalf("id with NUL %q", e.ID)
			}
			return nil
		})
	})
}
