package waitq

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQueue(t *testing.T) {
	var q Queue[*int]
	vs := make([]*int, 5)
	for i := range vs {
		vs[i] = new(int)
		*vs[i] = i
		q.Add(vs[i])
	}
	require.Equal(t, 5, q.Len())
	require.Equal(t, 2, q.Count(func(v *int) bool { return *v%2 == 1 }))
	require.True(t, q.Withdraw(vs[1]))
	require.False(t, q.Withdraw(vs[1]), "withdrawn twice")
	got := q.Take(2)
	require.Equal(t, []*int{vs[0], vs[2]}, got, "the first two, in arrival order, without the withdrawn one")
	q.Add(vs[1])
	require.Equal(t, []*int{vs[0], vs[2]}, got, "adding after Take does not write into the taken slice")
	require.False(t, q.Withdraw(vs[0]), "taken by a leader")
	require.Equal(t, []*int{vs[3], vs[4], vs[1]}, q.Take(10))
	require.Zero(t, q.Len())
	require.Empty(t, q.Take(3))
}

func TestQueueConcurrent(t *testing.T) {
	var q Queue[int]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				q.Add(g*100 + i)
			}
		})
	}
	seen := map[int]bool{}
	twice := 0
	var mu sync.Mutex
	var takers sync.WaitGroup
	done := make(chan struct{})
	for range 2 {
		takers.Go(func() {
			for {
				// Whether the adders had finished is read before Take: an
				// empty Take after that means nothing is left. (Read after
				// it, an empty Take from before the last Add looked final,
				// and values were left in the queue: a CI failure.)
				finished := false
				select {
				case <-done:
					finished = true
				default:
				}
				batch := q.Take(7)
				mu.Lock()
				for _, v := range batch {
					if seen[v] {
						twice++
					}
					seen[v] = true
				}
				mu.Unlock()
				if finished && len(batch) == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	takers.Wait()
	require.Zero(t, q.Len(), "values left in the queue")
	require.Zero(t, twice, "values taken twice")
	require.Len(t, seen, 800, "every value taken")
}
