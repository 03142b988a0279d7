package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/storage/storagetest"
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
	storagetest.RunQueued(t, func() { q.lead <- struct{}{} }, func() { <-q.lead }, func() int {
		return q.pending.Len()
	}, queued, calls)
	return int(q.writes.Load() - before)
}

// PanicInGroupWrite makes the next n combined writes of tenant's groups
// panic (storagetest.Harness.PanicInGroupWrite).
func PanicInGroupWrite(tenant string, n int) (left func() int, disarm func()) {
	disarm = groupWriteFault.Arm(tenant, n)
	return func() int { return groupWriteFault.Left(tenant) }, disarm
}
