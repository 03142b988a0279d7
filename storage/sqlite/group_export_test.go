package sqlite

import "testing"

// RunTogether is runTogether for the conformance suite's harness
// (storagetest.Harness.Together): it returns the number of attempts at
// the group's combined write.
func RunTogether(t testing.TB, st *Store, tenant string, calls []func(), queued int) int {
	t.Helper()
	g := st.grp
	g.mu.Lock()
	if g.watched == nil {
		g.watched = map[string]int{}
	}
	g.watched[tenant] = 0
	g.mu.Unlock()
	runTogether(t, st, tenant, calls, queued)
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.watched[tenant]
	delete(g.watched, tenant)
	return n
}

// PanicInGroupWrite makes the next n combined writes of tenant's groups
// panic (storagetest.Harness.PanicInGroupWrite).
func PanicInGroupWrite(tenant string, n int) (left func() int, disarm func()) {
	disarm = groupWriteFault.Arm(tenant, n)
	return func() int { return groupWriteFault.Left(tenant) }, disarm
}
