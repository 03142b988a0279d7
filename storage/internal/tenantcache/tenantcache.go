// Package tenantcache keeps per-tenant values that the storage adapters
// read often and that change rarely, each under the version its tenant's
// data had when it was read.
package tenantcache

import "sync"

// Cache holds at most Max tenants' values, each with its version. A value
// is handed out only for the exact version it was read under, so a
// version that every change renews (a random one, not a counter that a
// restored backup could repeat) makes the cache exact whichever process
// made the change. Values are shared by concurrent readers: they must
// never be changed once put.
type Cache[T any] struct {
	Max int // tenants kept (16 when zero)

	mu sync.Mutex
	m  map[string]entry[T]
}

type entry[T any] struct {
	version string
	value   T
}

// Get returns the tenant's value if it is kept under version; never for
// a nil cache or a nil version.
func (c *Cache[T]) Get(tenant string, version []byte) (T, bool) {
	var zero T
	if c == nil || version == nil {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[tenant]
	if !ok || e.version != string(version) {
		return zero, false
	}
	return e.value, true
}

// Put keeps the tenant's value under version, in place of another
// tenant's when Max are kept. It does nothing on a nil cache or for a nil
// version.
func (c *Cache[T]) Put(tenant string, version []byte, v T) {
	if c == nil || version == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]entry[T]{}
	}
	limit := c.Max
	if limit <= 0 {
		limit = 16
	}
	if _, ok := c.m[tenant]; !ok && len(c.m) >= limit {
		for t := range c.m {
			delete(c.m, t)
			break
		}
	}
	c.m[tenant] = entry[T]{version: string(version), value: v}
}
