package synchttp_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erpkit/erpkit/storage/sqlite"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/erpkit/erpkit/sync/synchttp"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

func auth(r *http.Request) (erpsync.Caller, error) {
	tenant := r.Header.Get("X-Tenant")
	if tenant == "" {
		return erpsync.Caller{}, errors.New("no tenant")
	}
	return erpsync.Caller{Tenant: tenant, User: "u"}, nil
}

func setup(t *testing.T, heartbeat time.Duration) (*erpsync.Server, *httptest.Server) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	srv := erpsync.New(st, erpsync.Config{})
	srv.Register("emit", func(_ context.Context, mc *erpsync.Context) error {
		mc.Emit(erpsync.NewEvent{Type: "test.emitted", Entity: erpsync.EntityRef{Type: "t", ID: fmt.Sprint(mc.Mutation.Seq)}})
		return nil
	})
	ts := httptest.NewServer(synchttp.New(srv, synchttp.Config{Auth: auth, Heartbeat: heartbeat, Retry: 1500 * time.Millisecond, Poll: 10 * time.Millisecond}))
	t.Cleanup(ts.Close)
	return srv, ts
}

func post(t *testing.T, ts *httptest.Server, tenant, path, body string) (*http.Response, []byte) {
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if tenant != "" {
		req.Header.Set("X-Tenant", tenant)
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

func pushEmits(t *testing.T, ts *httptest.Server, tenant string, from, to int) {
	var ms []erpsync.Mutation
	for i := from; i <= to; i++ {
		ms = append(ms, erpsync.Mutation{Seq: int64(i), ID: uuid.New(), Name: "emit"})
	}
	b, _ := json.Marshal(erpsync.Push{ClientGroupID: "g", ClientID: "c", Mutations: ms})
	resp, body := post(t, ts, tenant, "/push", string(b))
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	var res erpsync.PushResult
	require.NoError(t, json.Unmarshal(body, &res))
	require.EqualValues(t, to, res.LastSeq)
}

func TestPushPullErrors(t *testing.T) {
	_, ts := setup(t, time.Hour)
	resp, _ := post(t, ts, "", "/push", `{}`)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, body := post(t, ts, "a", "/push", `{"client_id":"c","client_group_id":"g","mutations":[{"seq":0,"name":"emit"}]}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	require.Contains(t, string(body), "seq 0")
	resp, _ = post(t, ts, "a", "/push", `{"client_id":"c","tenant":"b"}`)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "a tenant in the payload is refused")
	pushEmits(t, ts, "a", 1, 3)
	resp, _ = post(t, ts, "a", "/push", `{"client_id":"c","client_group_id":"other","mutations":[]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "an empty push reads the ack only")
	resp, body = post(t, ts, "a", "/pull", `{"client_id":"c","cursor":1}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var pr erpsync.PullResult
	require.NoError(t, json.Unmarshal(body, &pr))
	require.EqualValues(t, 3, pr.LastSeq)
	require.Len(t, pr.Events, 2)
	require.EqualValues(t, 3, pr.Cursor)
	resp, body = post(t, ts, "b", "/pull", `{"cursor":0}`)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.Unmarshal(body, &pr))
	require.Empty(t, pr.Events, "tenant b sees nothing of a")
	resp, _ = post(t, ts, "a", "/conflicts/"+uuid.NewString()+"/approve", ``)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// stream opens the event stream and returns a reader of its lines.
func stream(t *testing.T, ts *httptest.Server, tenant, lastID, query string) (*bufio.Scanner, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/events"+query, nil)
	require.NoError(t, err)
	req.Header.Set("X-Tenant", tenant)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	return bufio.NewScanner(resp.Body), func() { cancel(); _ = resp.Body.Close() }
}

func next(t *testing.T, sc *bufio.Scanner) string {
	require.True(t, sc.Scan(), "stream ended: %v", sc.Err())
	return sc.Text()
}

func TestStream(t *testing.T) {
	srv, ts := setup(t, 30*time.Millisecond)
	pushEmits(t, ts, "a", 1, 3)
	sc, stop := stream(t, ts, "a", "", "?cursor=0")
	require.Equal(t, "retry: 1500", next(t, sc))
	require.Equal(t, "", next(t, sc))
	for i := 1; i <= 3; i++ {
		require.Equal(t, fmt.Sprintf("id: %d", i), next(t, sc), "the event id is the cursor")
		data := next(t, sc)
		require.True(t, strings.HasPrefix(data, "data: "))
		var e erpsync.Event
		require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(data, "data: ")), &e))
		require.EqualValues(t, i, e.Cursor)
		require.Equal(t, "test.emitted", e.Type)
		require.Equal(t, "", next(t, sc))
	}
	// Idle: a heartbeat comment; then a new push arrives live.
	require.Equal(t, ": heartbeat", next(t, sc))
	pushEmits(t, ts, "a", 4, 4)
	line := next(t, sc)
	for line == "" || line == ": heartbeat" {
		line = next(t, sc)
	}
	require.Equal(t, "id: 4", line)
	stop()

	// Reconnection: Last-Event-ID wins over the query and resumes after it.
	sc, stop = stream(t, ts, "a", "2", "?cursor=0")
	next(t, sc)
	next(t, sc)
	require.Equal(t, "id: 3", next(t, sc))
	stop()

	// A cursor older than the retained log: an explicit reset to the head.
	_, err := srv.Prune(context.Background(), "a", time.Now().Add(time.Minute))
	require.NoError(t, err)
	pushEmits(t, ts, "a", 5, 5)
	sc, stop = stream(t, ts, "a", "1", "")
	next(t, sc)
	next(t, sc)
	require.Equal(t, "event: reset", next(t, sc))
	require.Equal(t, "id: 5", next(t, sc))
	require.Equal(t, `data: {"head":5}`, next(t, sc))
	stop()
	// From the head after the reset, the stream continues.
	pushEmits(t, ts, "a", 6, 6)
	sc, stop = stream(t, ts, "a", "5", "")
	defer stop()
	next(t, sc)
	next(t, sc)
	require.Equal(t, "id: 6", next(t, sc))
}

func FuzzDecodePush(f *testing.F) {
	f.Add([]byte(`{"client_group_id":"g","client_id":"c","mutations":[{"seq":1,"id":"7b6f3c1e-1111-4a5b-9c3d-000000000001","name":"stock.issue","args":{"item":"X","qty":"3"},"base":[{"entity":{"type":"stock","id":"X"},"version":2,"fields":{"qty":"5"}}]}]}`))
	f.Add([]byte(`{"mutations":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := synchttp.DecodePush(bytes.NewReader(b), 1<<20)
		if err != nil {
			require.ErrorIs(t, err, erpsync.ErrInvalid)
			return
		}
		// What decodes re-encodes and decodes to the same push.
		again, err := json.Marshal(p)
		require.NoError(t, err)
		p2, err := synchttp.DecodePush(bytes.NewReader(again), 1<<20)
		require.NoError(t, err)
		require.Equal(t, len(p.Mutations), len(p2.Mutations))
	})
}
