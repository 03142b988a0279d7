package postgres

import (
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// invScaled reads NUMERICs as pgx writes them in binary, exactly.
func TestInvScaled(t *testing.T) {
	t.Parallel()
	m := pgtype.NewMap()
	enc := func(s string) []byte {
		d := decimal.RequireFromString(s)
		b, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, invNumeric(d), nil)
		require.NoError(t, err)
		return b
	}
	for _, c := range []struct {
		in    string
		scale int
		want  int64
		bad   bool
	}{
		{"0", 4, 0, false}, {"1", 4, 10000, false}, {"-1", 4, -10000, false}, {"12.34", 4, 123400, false},
		{"-0.0001", 4, -1, false}, {"123456789.1234", 4, 1234567891234, false}, {"0.000001", 6, 1, false},
		{"-987654.321", 6, -987654321000, false}, {"10000", 4, 100000000, false}, {"0.00001", 4, 0, true},
		{"100000000000000", 4, 1000000000000000000, false}, {"1000000000000000", 4, 0, true},
		{"922337203685477.5807", 4, 9223372036854775807, false}, {"922337203685477.5808", 4, 0, true},
		{"1.5e-3", 4, 15, false}, {"25e4", 4, 2500000000, false},
	} {
		got, err := invScaled(enc(c.in), c.scale)
		if c.bad {
			require.Error(t, err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, got, c.in)
	}
	_, err := invScaled([]byte{0, 0}, 4)
	require.Error(t, err)
}
