// Package fault lets a test make a chosen step of an adapter fail, where
// nothing outside the adapter can make it fail: the adapter calls Hit at
// the step, and a test arms it for a key (a tenant, say) a number of
// times. Unarmed, Hit is one atomic load.
package fault

import (
	"sync"
	"sync/atomic"
)

// Point is one step that a test may make fail. The zero value is unarmed.
type Point struct {
	armed atomic.Int64 // keys armed
	mu    sync.Mutex
	left  map[string]int
}

// Arm makes the next n calls of Hit for key report true, and returns what
// disarms it.
func (p *Point) Arm(key string, n int) (disarm func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.left == nil {
		p.left = map[string]int{}
	}
	if _, ok := p.left[key]; !ok {
		p.armed.Add(1)
	}
	p.left[key] = n
	return func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if _, ok := p.left[key]; ok {
			delete(p.left, key)
			p.armed.Add(-1)
		}
	}
}

// Left returns how many more calls of Hit for key will report true.
func (p *Point) Left(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.left[key]
}

// Hit reports whether the step should fail now for key, counting the call
// against what Arm allowed.
func (p *Point) Hit(key string) bool {
	if p.armed.Load() == 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.left[key]
	if n <= 0 {
		return false
	}
	p.left[key] = n - 1
	return true
}
