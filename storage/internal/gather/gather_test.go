package gather

import (
	"slices"
	"testing"
)

func TestBlocksKeepOrder(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 1000, 5000} {
		var b Blocks[int]
		want := make([]int, 0, n)
		for i := range n {
			b.Add(i * 7)
			want = append(want, i*7)
		}
		got := b.All()
		if b.Len() != n || len(got) != n || (n > 0 && !slices.Equal(got, want)) {
			t.Fatalf("n=%d: Len %d, All %d values, equal %v", n, b.Len(), len(got), slices.Equal(got, want))
		}
	}
}
