package fault

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestArmHitDisarm(t *testing.T) {
	var p Point
	require.False(t, p.Hit("a"), "unarmed")
	disarm := p.Arm("a", 2)
	require.False(t, p.Hit("b"), "another key")
	require.True(t, p.Hit("a"))
	require.Equal(t, 1, p.Left("a"))
	require.True(t, p.Hit("a"))
	require.False(t, p.Hit("a"), "used up")
	require.Zero(t, p.Left("a"))
	disarm()
	require.Zero(t, p.armed.Load())
	disarm() // twice is harmless
	require.Zero(t, p.armed.Load())

	defer p.Arm("c", 1000)()
	var wg sync.WaitGroup
	var mu sync.Mutex
	hits := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if p.Hit("c") {
					mu.Lock()
					hits++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 1000, hits, "each armed hit is given once")
}
