package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/stretchr/testify/require"
)

// busyStore opens a migrated store with opts over a new file, with the
// accounts of groupStore, and returns it with the file's path.
func busyStore(t *testing.T, opts Options) (*Store, *ledger.Ledger, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	st, err := Open(ctx, path, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	gl := ledger.New(st, ledger.Config{})
	for _, code := range []string{"1000", "4000"} {
		_, err := gl.CreateAccount(ctx, "t1", ledger.Account{Code: code, Name: code, Type: ledger.Asset})
		require.NoError(t, err)
	}
	return st, gl, path
}

// holdWriteLock takes the file's write lock through a connection of its
// own, as another process would, and returns what releases it.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	conn, err := db.Conn(context.Background())
	require.NoError(t, err)
	_, err = conn.ExecContext(context.Background(), "BEGIN IMMEDIATE")
	require.NoError(t, err)
	var once sync.Once
	release = func() {
		once.Do(func() {
			_, _ = conn.ExecContext(context.Background(), "ROLLBACK")
			_ = conn.Close()
			_ = db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// A posting waits for another process's write lock longer than the
// writer's busyPoll, and than busyPoll's worth at each of maxAttempts
// attempts: the store polls until the lock is free.
func TestWriteWaitsForAnotherProcess(t *testing.T) {
	t.Parallel()
	st, gl, path := busyStore(t, Options{})
	release := holdWriteLock(t, path)
	done := make(chan error, 1)
	go func() {
		_, err := gl.Post(context.Background(), "t1", storagetest.GroupedEntry("1", ""))
		done <- err
	}()
	// 1.5 s: more than maxAttempts x (busyPoll + the sleep between
	// attempts), after which a store counting its polls as attempts
	// would have given up.
	time.Sleep(1500 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("the posting returned while another process held the write lock: %v", err)
	default:
	}
	require.Equal(t, 0, countRows(t, st, "erp_ledger_entries"))
	release()
	require.NoError(t, <-done)
	require.Equal(t, 1, countRows(t, st, "erp_ledger_entries"))
}

// A posting gives up once it has waited for another process's write lock
// maxAttempts times BusyTimeout, with the busy error, and writes nothing.
func TestWriteGivesUpWhenBusyTooLong(t *testing.T) {
	t.Parallel()
	st, gl, path := busyStore(t, Options{BusyTimeout: 10 * time.Millisecond})
	release := holdWriteLock(t, path)
	done := make(chan error, 1)
	go func() {
		_, err := gl.Post(context.Background(), "t1", storagetest.GroupedEntry("1", ""))
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the posting still waits after 30 s for a lock it may wait 100 ms for")
	}
	require.ErrorContains(t, err, "database busy")
	require.False(t, errors.Is(err, errRetry), "the retry marker must not reach the caller")
	release()
	require.Equal(t, 0, countRows(t, st, "erp_ledger_entries"))
	require.Equal(t, 0, countRows(t, st, "erp_ledger_lines"))
	require.Equal(t, 0, countRows(t, st, "erp_ledger_balances"))
}

// A group waiting for another process's write lock lets each member go at
// its own deadline (nothing of the group has run), and posts the rest
// once the lock is free.
func TestGroupMemberLeavesWhileAnotherProcessHolds(t *testing.T) {
	t.Parallel()
	st, gl, path := busyStore(t, Options{})
	release := holdWriteLock(t, path)
	errs, patientDone, returned := postAsOneGroup(st, gl) // whose BEGIN finds the lock held
	select {
	case <-returned:
	case <-time.After(30 * time.Second):
		t.Fatal("members with deadlines still waiting after 30 s for another process's write lock")
	}
	select {
	case <-patientDone:
		t.Fatalf("the member without a deadline returned while another process held the lock: %v", errs[0])
	default:
	}
	for i := 1; i < 4; i++ {
		require.ErrorIs(t, errs[i], context.DeadlineExceeded, "member %d", i)
	}
	release()
	<-patientDone
	require.NoError(t, errs[0])
	require.Equal(t, 1, countRows(t, st, "erp_ledger_entries"))
}
