package postgres

import (
	"testing"

	"github.com/google/uuid"
)

// BenchmarkIDLookup compares idTable with a Go map at a chart's 10,000
// account IDs (version 7, as the ledger makes them).
func BenchmarkIDLookup(b *testing.B) {
	ids := make([][16]byte, 10000)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7())
	}
	tab := newIDTable(len(ids))
	m := make(map[[16]byte]int32, len(ids))
	for i, id := range ids {
		tab.add(id, int32(i))
		m[id] = int32(i)
	}
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			for i := range ids {
				if tab.find(&ids[(i*7919)%len(ids)], nil) == nil {
					b.Fatal()
				}
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			for i := range ids {
				if _, ok := m[ids[(i*7919)%len(ids)]]; !ok {
					b.Fatal()
				}
			}
		}
	})
}
