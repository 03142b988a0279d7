package tenantcache

import (
	"fmt"
	"sync"
	"testing"
)

func TestCacheVersions(t *testing.T) {
	var c Cache[int]
	if _, ok := c.Get("a", []byte("v1")); ok {
		t.Fatal("empty cache hit")
	}
	c.Put("a", []byte("v1"), 1)
	c.Put("b", []byte("v1"), 2)
	if v, ok := c.Get("a", []byte("v1")); !ok || v != 1 {
		t.Fatalf("a v1: %d %v", v, ok)
	}
	if _, ok := c.Get("a", []byte("v2")); ok {
		t.Fatal("a under another version")
	}
	if _, ok := c.Get("a", nil); ok {
		t.Fatal("nil version hit")
	}
	c.Put("a", nil, 9)
	if v, _ := c.Get("a", []byte("v1")); v != 1 {
		t.Fatal("a nil version replaced a value")
	}
	c.Put("a", []byte("v2"), 3)
	if _, ok := c.Get("a", []byte("v1")); ok {
		t.Fatal("the replaced version still served")
	}
	if v, ok := c.Get("b", []byte("v1")); !ok || v != 2 {
		t.Fatal("another tenant's value changed")
	}
	var nilCache *Cache[int]
	nilCache.Put("a", []byte("v"), 1)
	if _, ok := nilCache.Get("a", []byte("v")); ok {
		t.Fatal("nil cache hit")
	}
}

func TestCacheBounded(t *testing.T) {
	c := Cache[int]{Max: 3}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			c.Put(fmt.Sprint("t", i), []byte("v"), i)
			if v, ok := c.Get(fmt.Sprint("t", i), []byte("v")); ok && v != i {
				t.Errorf("t%d holds %d", i, v)
			}
		})
	}
	wg.Wait()
	if len(c.m) > 3 {
		t.Fatalf("%d tenants kept, max 3", len(c.m))
	}
}
