// Package waitq is the queue of callers waiting for a group commit, shared
// by the storage adapters: callers join it, the goroutine that takes the
// lead takes up to a group's worth of them, and a caller that gives up
// leaves it, unless a leader has taken it already.
package waitq

import (
	"slices"
	"sync"
)

// Queue holds waiting callers in arrival order. The zero value is empty
// and ready; it is safe for concurrent use.
type Queue[T comparable] struct {
	mu    sync.Mutex
	items []T
}

// Add appends v.
func (q *Queue[T]) Add(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
}

// Len returns how many wait.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Count returns how many waiting callers match.
func (q *Queue[T]) Count(match func(T) bool) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, v := range q.items {
		if match(v) {
			n++
		}
	}
	return n
}

// Take removes and returns the first n waiting (all, when fewer wait), in
// arrival order.
func (q *Queue[T]) Take(n int) []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	n = min(n, len(q.items))
	taken := q.items[:n:n]
	q.items = append([]T(nil), q.items[n:]...)
	return taken
}

// Withdraw removes v; false when it no longer waits (a leader took it).
func (q *Queue[T]) Withdraw(v T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	i := slices.Index(q.items, v)
	if i >= 0 {
		q.items = slices.Delete(q.items, i, i+1)
	}
	return i >= 0
}
