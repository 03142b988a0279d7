package postgres

import (
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
)

// TestIDTableAgainstMap checks idTable against a Go map through growth,
// repeated keys (an account's several currencies) and values changed
// through find, with random (version 4) and time-ordered (version 7) IDs.
func TestIDTableAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, gen := range []func() uuid.UUID{uuid.New, func() uuid.UUID { return uuid.Must(uuid.NewV7()) }} {
		for _, n := range []int{0, 1, 7, 100, 5000} {
			tab := newIDTable(r.IntN(n + 1)) // a hint below n makes it grow
			want := map[[16]byte][]int32{}
			ids := make([][16]byte, n)
			for i := range n {
				ids[i] = gen()
				copies := 1 + r.IntN(3)
				for c := range copies {
					v := int32(i*10 + c)
					tab.add(ids[i], v)
					want[ids[i]] = append(want[ids[i]], v)
				}
			}
			for i, id := range ids {
				for _, v := range want[id] {
					p := tab.find(&id, func(got int32) bool { return got == v })
					if p == nil || *p != v {
						t.Fatalf("n=%d id %d: value %d not found", n, i, v)
					}
				}
				// A value changed through find is seen by later finds.
				p := tab.find(&id, nil)
				*p = -1 - *p
				if q := tab.find(&id, func(v int32) bool { return v >= 0 }); len(want[id]) == 1 && q != nil {
					t.Fatalf("n=%d id %d: changed value still accepted", n, i)
				}
				*p = -1 - *p
			}
			absent := [16]byte(gen())
			if tab.find(&absent, nil) != nil {
				t.Fatalf("n=%d: an absent id was found", n)
			}
			seen := 0
			tab.each(func(id [16]byte, v int32) {
				if v/10 >= int32(n) || ids[v/10] != id {
					t.Fatalf("n=%d: each gave %d for the wrong id", n, v)
				}
				seen++
			})
			total := 0
			for _, vs := range want {
				total += len(vs)
			}
			if seen != total {
				t.Fatalf("n=%d: each visited %d values, want %d", n, seen, total)
			}
		}
	}
}
