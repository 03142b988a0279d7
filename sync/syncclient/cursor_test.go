package syncclient_test

import (
	"context"
	"database/sql"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/erpkit/erpkit/sync/syncclient"
	"github.com/erpkit/erpkit/sync/synchttp"
	"github.com/stretchr/testify/require"
)

// TestCursorOnlyAfterApply: when applying events fails (or the device dies
// before the local commit) the cursor stays; the next pull applies the same
// events again, and the cursor moves with them. Acknowledged mutations leave
// the queue on a pull too.
func TestCursorOnlyAfterApply(t *testing.T) {
	ctx := context.Background()
	_, srv := formServer(t)
	ts := httptest.NewServer(synchttp.New(srv, synchttp.Config{Auth: auth}))
	defer ts.Close()
	failing := true
	var applied []int64
	cl, err := syncclient.Open(ctx, filepath.Join(t.TempDir(), "c.db"), syncclient.Config{
		BaseURL: ts.URL, Authorize: authorize, MinBackoff: time.Millisecond,
		Apply: func(ctx context.Context, tx *sql.Tx, evs []erpsync.Event) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS local (cursor INTEGER PRIMARY KEY) STRICT`); err != nil {
				return err
			}
			for _, e := range evs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO local (cursor) VALUES (?)`, e.Cursor); err != nil {
					return err
				}
			}
			if failing {
				return errors.New("disk full")
			}
			for _, e := range evs {
				applied = append(applied, e.Cursor)
			}
			return nil
		},
	})
	require.NoError(t, err)
	defer cl.Close()
	for i := 1; i <= 3; i++ {
		_, err := cl.Enqueue(ctx, "form.submit", map[string]int{"n": i})
		require.NoError(t, err)
	}
	require.NoError(t, cl.Flush(ctx))
	_, err = cl.Pull(ctx)
	require.ErrorContains(t, err, "disk full")
	cur, err := cl.Cursor(ctx)
	require.NoError(t, err)
	require.Zero(t, cur, "nothing applied: the cursor stays")
	failing = false
	n, err := cl.Pull(ctx)
	require.NoError(t, err)
	require.Equal(t, 6, n)
	cur, err = cl.Cursor(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 6, cur)
	require.Equal(t, []int64{1, 2, 3, 4, 5, 6}, applied, "the local rows of the failed attempt were rolled back with it")
	n, err = cl.Pull(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
}

// TestFlushStopsOnPermanentAnswers: an answer retrying cannot change (401)
// ends Flush with the error and keeps the queue.
func TestFlushStopsOnPermanentAnswers(t *testing.T) {
	ctx := context.Background()
	_, srv := formServer(t)
	ts := httptest.NewServer(synchttp.New(srv, synchttp.Config{Auth: auth}))
	defer ts.Close()
	cl, err := syncclient.Open(ctx, filepath.Join(t.TempDir(), "c.db"), syncclient.Config{BaseURL: ts.URL}) // no credentials
	require.NoError(t, err)
	defer cl.Close()
	_, err = cl.Enqueue(ctx, "form.submit", map[string]int{"n": 1})
	require.NoError(t, err)
	err = cl.Flush(ctx)
	var he *syncclient.HTTPError
	require.ErrorAs(t, err, &he)
	require.Equal(t, 401, he.Status)
	n, err := cl.Pending(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}
