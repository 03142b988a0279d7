package ledger_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

func TestCollide(t *testing.T) {
	a, b := uuid.New(), uuid.New()
	keyed := func(k string) ledger.Entry { return ledger.Entry{IdempotencyKey: k} }
	reversal := func(id uuid.UUID) ledger.Entry { return ledger.Entry{Reverses: id} }
	for _, c := range []struct {
		name string
		es   []ledger.Entry
		want bool
	}{
		{"none", nil, false},
		{"no keys", []ledger.Entry{{}, {}, {}}, false},
		{"distinct keys", []ledger.Entry{keyed("k1"), keyed("k2"), {}}, false},
		{"a shared key", []ledger.Entry{keyed("k1"), {}, keyed("k1")}, true},
		{"keys differing in case", []ledger.Entry{keyed("k1"), keyed("K1")}, false},
		{"reversals of two entries", []ledger.Entry{reversal(a), reversal(b)}, false},
		{"two reversals of one entry", []ledger.Entry{reversal(a), keyed("k"), reversal(a)}, true},
		{"a key and a reversal", []ledger.Entry{{IdempotencyKey: "k", Reverses: a}, keyed("j"), reversal(b)}, false},
	} {
		require.Equal(t, c.want, ledger.Collide(c.es), c.name)
	}
}
