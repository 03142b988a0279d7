package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// Checkpoints. In WAL mode SQLite copies the WAL back into the database
// (a checkpoint) when a commit leaves the WAL longer than
// wal_autocheckpoint pages, in the committing connection. Our writer is one
// connection, so every posting behind that commit waited for the copy and
// its fsync: a tenth of the Post benchmark's CPU time, all of it on the
// writer's path. A Store made by Open checkpoints in the background
// instead, on a reader connection, at most every checkpointEvery while
// there are commits (PASSIVE: it never blocks the writer or a reader).
// wal_autocheckpoint stays on, at autoCheckpointPages, as a bound on the
// WAL should the background fall behind or a host write through DB().
type checkpointer struct {
	db   *sql.DB
	kick chan struct{} // a commit happened
	stop chan struct{}
	once sync.Once // closes stop
	done sync.WaitGroup
	// last is the outcome of the latest checkpoint: busy (1 when it could
	// not finish), the WAL's frames and the frames copied back.
	mu   sync.Mutex
	last [3]int64
	runs int
}

// checkpointEvery is the least time between background checkpoints. At
// 3,000 postings a second the WAL grows by a few thousand pages in that
// time; a page the postings write again and again (a balance, a daily
// total) is copied once per checkpoint, so rarer checkpoints copy less:
// 200 ms did 3-9% more postings a second than 50 ms (docs/benchmarks.md).
const checkpointEvery = 200 * time.Millisecond

// autoCheckpointPages is the writer's wal_autocheckpoint: ten times
// SQLite's default, so that it only acts when the background does not.
const autoCheckpointPages = 10000

func startCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	c.done.Add(1)
	go c.loop()
	return c
}

// committed tells the checkpointer that the writer committed. It never blocks.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer c.done.Done()
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		// A failed checkpoint (say, the file is busy) is left to the next
		// one or to the writer's own.
		var r [3]int64
		if err := c.db.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&r[0], &r[1], &r[2]); err == nil {
			c.mu.Lock()
			c.last, c.runs = r, c.runs+1
			c.mu.Unlock()
		}
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// close stops the checkpointer and waits for it. It may be called again.
func (c *checkpointer) close() {
	if c == nil {
		return
	}
	c.once.Do(func() { close(c.stop) })
	c.done.Wait()
}

// status returns the outcome of the latest checkpoint and how many ran.
func (c *checkpointer) status() (last [3]int64, runs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last, c.runs
}
