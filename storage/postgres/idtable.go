package postgres

import (
	"encoding/binary"
	"math/bits"
)

// idTable maps 16-byte account IDs to int32 values by open addressing.
// Reports look up tens of thousands of IDs per call (a chart position per
// balance, a pending balance per daily row): at 10,000 IDs a lookup takes
// about 5 ns against a Go map's 17 (BenchmarkIDLookup, warm caches), and
// the maps were a tenth of a balance sheet's CPU time.
// A key may be added more than once (an account's balances in several
// currencies); find visits a key's values, in no set order, until its
// callback accepts one.
type idTable struct {
	slots []idSlot // a power of two; at most half full
	shift uint8
	n     int
}

type idSlot struct {
	id  [16]byte
	val int32
	use bool
}

func newIDTable(hint int) *idTable {
	t := &idTable{}
	t.resize(max(16, 2*hint))
	return t
}

func (t *idTable) resize(size int) {
	b := bits.Len(uint(size - 1))
	old := t.slots
	t.slots, t.shift, t.n = make([]idSlot, 1<<b), uint8(64-b), 0
	for i := range old {
		if old[i].use {
			t.add(old[i].id, old[i].val)
		}
	}
}

// home is id's first slot: account IDs are random (UUID versions 4 and 7
// both end in random bits), mixed once more so that either half will do.
func (t *idTable) home(id *[16]byte) int {
	h := binary.LittleEndian.Uint64(id[:8]) ^ binary.LittleEndian.Uint64(id[8:])
	return int((h * 0x9e3779b97f4a7c15) >> t.shift)
}

// add adds id with value v.
func (t *idTable) add(id [16]byte, v int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	mask := len(t.slots) - 1
	for i := t.home(&id); ; i = (i + 1) & mask {
		if s := &t.slots[i]; !s.use {
			*s = idSlot{id: id, val: v, use: true}
			t.n++
			return
		}
	}
}

// find returns a pointer to the first value of id that accept accepts
// (nil accepts any), or nil. The value may be changed through it.
func (t *idTable) find(id *[16]byte, accept func(v int32) bool) *int32 {
	mask := len(t.slots) - 1
	for i := t.home(id); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if !s.use {
			return nil
		}
		if s.id == *id && (accept == nil || accept(s.val)) {
			return &s.val
		}
	}
}

// each calls fn with every key and value.
func (t *idTable) each(fn func(id [16]byte, v int32)) {
	for i := range t.slots {
		if s := &t.slots[i]; s.use {
			fn(s.id, s.val)
		}
	}
}
