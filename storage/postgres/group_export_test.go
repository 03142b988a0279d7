package postgres

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// RunTogether runs calls (each a posting to tenant through s) from a
// goroutine each, the queued of them that reach the store queued behind the
// tenant's held lead before any runs, so that they form one group; it
// returns when all have returned, with the number of attempts at the
// group's combined write (storagetest.Harness.Together).
func RunTogether(t testing.TB, s *Store, tenant string, calls []func(), queued int) int {
	t.Helper()
	require.NotNil(t, s.grp, "the store does not group postings")
	q := s.grp.acquire(tenant)
	defer s.grp.release(tenant, q)
	before := q.writes.Load()
	q.lead <- struct{}{} // hold the lead while they queue
	var wg sync.WaitGroup
	for _, call := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call()
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		q.mu.Lock()
		n := len(q.pending)
		q.mu.Unlock()
		if n == queued {
			break
		}
		if time.Now().After(deadline) {
			<-q.lead
			wg.Wait()
			require.FailNow(t, "postings not queued", "%d of %d", n, queued)
		}
	}
	<-q.lead
	wg.Wait()
	return int(q.writes.Load() - before)
}
