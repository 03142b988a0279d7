package synchttp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/erpkit/erpkit/storage/sqlite"
	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/erpkit/erpkit/sync/synchttp"
)

// The handler authenticates each request with the host's Auth and serves
// push, pull and the event stream.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "synchttp")
	defer os.RemoveAll(dir)
	st, _ := sqlite.Open(ctx, filepath.Join(dir, "erp.db"))
	defer st.Close()
	_ = st.Migrate(ctx)
	srv := erpsync.New(st, erpsync.Config{Now: func() time.Time { return time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC) }})
	srv.Register("note.add", func(_ context.Context, mc *erpsync.Context) error {
		mc.Emit(erpsync.NewEvent{Type: "note.added", Entity: erpsync.EntityRef{Type: "note", ID: "1"}})
		return nil
	})
	h := synchttp.New(srv, synchttp.Config{Auth: func(r *http.Request) (erpsync.Caller, error) {
		return erpsync.Caller{Tenant: "demo", User: "alice"}, nil // the host's authentication
	}})
	ts := httptest.NewServer(h)
	defer ts.Close()
	resp, _ := http.Post(ts.URL+"/push", "application/json", strings.NewReader(
		`{"client_group_id":"g","client_id":"c","mutations":[{"seq":1,"name":"note.add"}]}`))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(string(b))
	// Output:
	// {"last_seq":1,"results":[{"seq":1,"mutation_id":"00000000-0000-0000-0000-000000000000","name":"note.add","status":"applied","user":"alice","at":"2026-07-01T06:00:00Z"}]}
}
