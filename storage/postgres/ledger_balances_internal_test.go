package postgres

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
)

// numericBinary decodes every value as pgx's Numeric does, coefficient and
// exponent alike, and declines the values it cannot hold.
func TestNumericBinaryMatchesPgx(t *testing.T) {
	t.Parallel()
	m := pgtype.NewMap()
	values := []string{"0", "0.00", "1", "-1", "0.01", "10", "100", "10000", "12345678.90", "-0.0001",
		"9999999999999999", "99999999999999999", "1e20", "123.4500", "0.000000001", "-98765.4321",
		"9223372036854775807", "1234567890123456.7", "1.5e-30", "100000000"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, decimal.New(r.Int64N(1e12)-5e11, -int32(r.IntN(6))).String(),
			decimal.New(r.Int64N(1e6), int32(r.IntN(8))).String())
	}
	for _, s := range values {
		d := decimal.RequireFromString(s)
		in := pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
		buf, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, in, nil)
		require.NoError(t, err, s)
		var want pgtype.Numeric
		require.NoError(t, m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, buf, &want), s)
		got, ok := numericBinary(buf)
		if !ok { // more than 16 digits: pgx decodes it
			require.Contains(t, []string{"99999999999999999", "9223372036854775807", "1234567890123456.7", "1.5e-30"}, s)
			continue
		}
		w := decimalOf(want)
		require.Equal(t, w.Coefficient().String(), got.Coefficient().String(), s)
		require.Equal(t, w.Exponent(), got.Exponent(), s)
	}
	_, ok := numericBinary([]byte{0, 1, 0, 0, 0xC0, 0, 0, 0}) // NaN
	require.False(t, ok)
}

// TestSortBalances checks the in-place permutation against a plain sort on
// random orders, duplicate codes (several currencies) included.
func TestSortBalances(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := range 200 {
		bs := make([]ledger.Balance, n)
		for i := range bs {
			bs[i] = ledger.Balance{Account: fmt.Sprintf("A%03d", r.IntN(n+1)), Currency: []string{"BDT", "USD", "EUR"}[r.IntN(3)],
				Name: fmt.Sprint(i)}
		}
		want := slices.Clone(bs)
		slices.SortStableFunc(want, func(a, b ledger.Balance) int {
			return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Currency, b.Currency))
		})
		sortBalances(bs)
		for i := range bs {
			if bs[i].Account != want[i].Account || bs[i].Currency != want[i].Currency {
				t.Fatalf("n=%d: position %d is %s %s, want %s %s", n, i, bs[i].Account, bs[i].Currency, want[i].Account, want[i].Currency)
			}
		}
		names := map[string]bool{}
		for _, b := range bs {
			names[b.Name] = true
		}
		if len(names) != n {
			t.Fatalf("n=%d: %d distinct balances after sorting", n, len(names))
		}
	}
}
