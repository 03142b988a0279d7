package syncclient_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erpkit/erpkit/storage/sqlite"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/erpkit/erpkit/sync/syncclient"
	"github.com/erpkit/erpkit/sync/synchttp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func auth(r *http.Request) (erpsync.Caller, error) {
	if r.Header.Get("Authorization") != "Bearer field-token" {
		return erpsync.Caller{}, errors.New("bad token")
	}
	return erpsync.Caller{Tenant: "mine", User: "clerk"}, nil
}

func authorize(r *http.Request) { r.Header.Set("Authorization", "Bearer field-token") }

// formServer is a sync server whose "form.submit" mutator counts forms and
// emits an event with the form's number.
func formServer(t *testing.T) (*sqlite.Store, *erpsync.Server) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "server.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	srv := erpsync.New(st, erpsync.Config{})
	srv.Register("form.submit", func(ctx context.Context, mc *erpsync.Context) error {
		var a struct{ N int }
		if err := mc.Args(&a); err != nil {
			return err
		}
		if _, err := mc.Adjust(ctx, erpsync.EntityRef{Type: "forms", ID: "count"},
			erpsync.Delta{Field: "n", Amount: decimal.New(1, 0), Reason: "form"}); err != nil {
			return err
		}
		mc.Emit(erpsync.NewEvent{Type: "form.submitted", Entity: erpsync.EntityRef{Type: "form", ID: fmt.Sprint(a.N)},
			Data: json.RawMessage(fmt.Sprintf(`{"n":%d,"seq":%d}`, a.N, mc.Mutation.Seq))})
		return nil
	})
	return st, srv
}

func openClient(t *testing.T, path, baseURL string) *syncclient.Client {
	c, err := syncclient.Open(context.Background(), path, syncclient.Config{
		BaseURL: baseURL, Authorize: authorize, ClientGroupID: "tablet-7", ClientID: "tablet-7/forms",
		BatchSize: 7, MinBackoff: 5 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		Apply: func(ctx context.Context, tx *sql.Tx, evs []erpsync.Event) error {
			for _, e := range evs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO seen (cursor, type, data) VALUES (?, ?, ?)`, e.Cursor, e.Type, string(e.Data)); err != nil {
					return err
				}
			}
			return nil
		},
	})
	require.NoError(t, err)
	_, err = c.DB().Exec(`CREATE TABLE IF NOT EXISTS seen (cursor INTEGER PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL) STRICT`)
	require.NoError(t, err)
	return c
}

// TestOfflineFormsExactlyOnce: 100 forms queued offline while the server is
// unreachable, the client restarted, the server back, answers to the first
// pushes lost after the commit: every form is applied exactly once, in
// order, and the client's stream sees each form's event once, in order.
func TestOfflineFormsExactlyOnce(t *testing.T) {
	ctx := context.Background()
	st, srv := formServer(t)
	h := synchttp.New(srv, synchttp.Config{Auth: auth, Poll: 20 * time.Millisecond, Heartbeat: 50 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // the server is down
	path := filepath.Join(t.TempDir(), "client.db")
	cl := openClient(t, path, "http://"+addr)
	for i := 1; i <= 100; i++ {
		m, err := cl.Enqueue(ctx, "form.submit", map[string]int{"n": i})
		require.NoError(t, err)
		require.EqualValues(t, i, m.Seq)
	}
	fctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	err = cl.Flush(fctx)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded, "the server is unreachable")
	n, err := cl.Pending(ctx)
	require.NoError(t, err)
	require.Equal(t, 100, n)
	// The device restarts: the queue is on disk.
	require.NoError(t, cl.Close())
	cl = openClient(t, path, "http://"+addr)
	defer cl.Close()
	n, err = cl.Pending(ctx)
	require.NoError(t, err)
	require.Equal(t, 100, n)

	// The server comes back; it loses its answer to the first three pushes
	// after committing them (a crash between commit and response).
	var drops atomic.Int32
	drops.Store(3)
	ln, err = net.Listen("tcp", addr)
	require.NoError(t, err)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/push" && drops.Add(-1) >= 0 {
			h.ServeHTTP(httptest.NewRecorder(), r) // committed...
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close() // ...but the answer is lost
			}
			return
		}
		h.ServeHTTP(w, r)
	})}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	fctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	require.NoError(t, cl.Flush(fctx))
	n, err = cl.Pending(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Less(t, drops.Load(), int32(0), "answers were lost and pushes retried")

	caller := erpsync.Caller{Tenant: "mine", User: "clerk"}
	rs, err := srv.Results(ctx, caller, "tablet-7/forms", 0, 1000)
	require.NoError(t, err)
	require.Len(t, rs, 100)
	for i, r := range rs {
		require.EqualValues(t, i+1, r.Seq)
		require.Equal(t, erpsync.Applied, r.Status)
	}
	e, err := st.SyncEntity(ctx, "mine", erpsync.EntityRef{Type: "forms", ID: "count"})
	require.NoError(t, err)
	require.JSONEq(t, `"100"`, string(e.Fields["n"]), "0 duplicates")

	// The stream delivers the log; the cursor is persisted with the events.
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- cl.Stream(sctx) }()
	require.Eventually(t, func() bool {
		cur, err := cl.Cursor(ctx)
		return err == nil && cur == 200
	}, 30*time.Second, 10*time.Millisecond)
	stop()
	require.ErrorIs(t, <-done, context.Canceled)
	rows, err := cl.DB().QueryContext(ctx, `SELECT data FROM seen WHERE type = 'form.submitted' ORDER BY cursor`)
	require.NoError(t, err)
	defer rows.Close()
	want := 1
	for rows.Next() {
		var d struct{ N, Seq int }
		var s string
		require.NoError(t, rows.Scan(&s))
		require.NoError(t, json.Unmarshal([]byte(s), &d))
		require.Equal(t, want, d.N, "in order, once")
		require.Equal(t, want, d.Seq)
		want++
	}
	require.NoError(t, rows.Err())
	require.Equal(t, 101, want)
}
