package vat

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseTIN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		err      error
	}{
		{"123456789012", "1234-5678-9012", nil},
		{"1234-5678-9012", "1234-5678-9012", nil},
		{" 1234 5678 9012 ", "1234-5678-9012", nil},
		{"1234.5678.9012", "1234-5678-9012", nil},
		{"১২৩৪৫৬৭৮৯০১২", "1234-5678-9012", nil}, // Bengali digits
		{"", "", ErrEmpty},
		{" - ", "", ErrEmpty},
		{"1234567890", "", ErrLength}, // old 10-digit TIN
		{"12345678901", "", ErrLength},
		{"1234567890123", "", ErrLength},
		{"1234-5678-901A", "", ErrCharacters},
		{"+123456789012", "", ErrCharacters},
		{"12345678901\xff", "", ErrCharacters},
	}
	for _, tc := range tests {
		got, err := ParseTIN(tc.in)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, tc.in)
			var ie *IdentifierError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, "TIN", ie.Kind)
			require.NotEmpty(t, ie.Detail)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got.String())
		require.Equal(t, "123456789012", got.Digits())
	}
	_, err := ParseTIN("1234567890")
	require.ErrorContains(t, err, "invalid since 1 January 2014")
}

func TestParseBIN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		err      error
	}{
		{"002871821-0101", "002871821-0101", nil}, // reference display example
		{"0028718210101", "002871821-0101", nil},
		{"002 871 821 0101", "002871821-0101", nil},
		{"000000000-0000", "000000000-0000", nil},
		{"123456789", "", ErrLegacyBIN},
		{"12345678901", "", ErrLegacyBIN},
		{"12345678", "", ErrLength},
		{"12345678901234", "", ErrLength},
		{"002871821-010O", "", ErrCharacters},
		{"", "", ErrEmpty},
	}
	for _, tc := range tests {
		got, err := ParseBIN(tc.in)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got.String())
		require.False(t, got.Legacy())
	}
}

func TestParseLegacyBIN(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"123456789", "123-456-789", "12345678901"} {
		b, err := ParseLegacyBIN(in)
		require.NoError(t, err, in)
		require.True(t, b.Legacy())
		back, err := ParseLegacyBIN(b.String())
		require.NoError(t, err)
		require.Equal(t, b, back)
		_, err = ParseBIN(b.String()) // the ordinary parser still refuses it
		require.ErrorIs(t, err, ErrLegacyBIN)
	}
	b, err := ParseLegacyBIN("0028718210101")
	require.NoError(t, err)
	require.False(t, b.Legacy())
	_, err = ParseLegacyBIN("1234567890")
	require.ErrorIs(t, err, ErrLength)
}

func TestParseNID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		year int
		err  error
	}{
		{"1234567890", 0, nil},
		{"1234567890123", 0, nil},
		{"19851234567890123", 1985, nil},
		{"2001 1234567890123", 2001, nil},
		{"18851234567890123", 0, ErrBirthYear},
		{"12345678901", 0, ErrLength},
		{"123456789012345", 0, ErrLength},
		{"12345x7890", 0, ErrCharacters},
		{"", 0, ErrEmpty},
	}
	for _, tc := range tests {
		got, err := ParseNID(tc.in)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.year, got.BirthYear())
	}
}

func TestParseMobile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in  string
		err error
	}{
		{"+8801712345678", nil},
		{"8801712345678", nil},
		{"008801712345678", nil},
		{"01712345678", nil},
		{"017-1234-5678", nil},
		{"+880 1712-345678", nil},
		{"(+880) 17 1234 5678", nil},
		{"০১৭১২৩৪৫৬৭৮", nil},
		{"1712345678", ErrPrefix},      // no prefix
		{"+911712345678", ErrPrefix},   // not Bangladesh
		{"01212345678", ErrPrefix},     // 012 is not a mobile code
		{"+8802712345678", ErrPrefix},  // land line
		{"0171234567", ErrLength},      // short
		{"017123456789", ErrLength},    // long
		{"+", ErrEmpty},                // nothing
		{"", ErrEmpty},                 // nothing
		{"0171234567a", ErrCharacters}, // letter
		{"01712+345678", ErrCharacters},
		{"++8801712345678", ErrCharacters},
	}
	for _, tc := range tests {
		got, err := ParseMobile(tc.in)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, "+8801712345678", got.String(), tc.in)
		require.Equal(t, "01712345678", got.Local())
	}
}

func TestIdentifierJSON(t *testing.T) {
	t.Parallel()
	type rec struct {
		TIN    TIN    `json:"tin"`
		BIN    BIN    `json:"bin"`
		NID    NID    `json:"nid"`
		Mobile Mobile `json:"mobile"`
	}
	var r rec
	require.NoError(t, json.Unmarshal([]byte(`{"tin":"123456789012","bin":"0028718210101","nid":"1234567890","mobile":"01712345678"}`), &r))
	out, err := json.Marshal(r)
	require.NoError(t, err)
	require.JSONEq(t, `{"tin":"1234-5678-9012","bin":"002871821-0101","nid":"1234567890","mobile":"+8801712345678"}`, string(out))
	var empty rec
	require.NoError(t, json.Unmarshal([]byte(`{"tin":"","bin":"","nid":"","mobile":""}`), &empty))
	require.True(t, empty.TIN.IsZero() && empty.BIN.IsZero() && empty.NID.IsZero() && empty.Mobile.IsZero())
	err = json.Unmarshal([]byte(`{"bin":"123456789"}`), &r)
	require.ErrorIs(t, err, ErrLegacyBIN)
}

// identSentinels are the only errors identifier parsers may return.
var identSentinels = []error{ErrEmpty, ErrLength, ErrCharacters, ErrPrefix, ErrLegacyBIN, ErrBirthYear}

func checkIdentErr(t *testing.T, err error) {
	t.Helper()
	var ie *IdentifierError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not an *IdentifierError", err)
	}
	for _, s := range identSentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error %v wraps no identifier sentinel", err)
}

func FuzzParseTIN(f *testing.F) {
	for _, s := range []string{"123456789012", "1234-5678-9012", "1234567890", "১২৩৪৫৬৭৮৯০১২", "12a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseTIN(s)
		if err != nil {
			checkIdentErr(t, err)
			return
		}
		y, err := ParseTIN(x.String())
		if err != nil || y != x {
			t.Fatalf("ParseTIN(%q) = %v, %v; want %v", x.String(), y, err, x)
		}
	})
}

func FuzzParseBIN(f *testing.F) {
	for _, s := range []string{"002871821-0101", "0028718210101", "123456789", "12345678901", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseBIN(s)
		if err != nil {
			checkIdentErr(t, err)
		} else if y, err := ParseBIN(x.String()); err != nil || y != x {
			t.Fatalf("ParseBIN(%q) = %v, %v; want %v", x.String(), y, err, x)
		}
		x, err = ParseLegacyBIN(s)
		if err != nil {
			checkIdentErr(t, err)
		} else if y, err := ParseLegacyBIN(x.String()); err != nil || y != x {
			t.Fatalf("ParseLegacyBIN(%q) = %v, %v; want %v", x.String(), y, err, x)
		}
	})
}

func FuzzParseNID(f *testing.F) {
	for _, s := range []string{"1234567890", "1234567890123", "19851234567890123", "18851234567890123", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseNID(s)
		if err != nil {
			checkIdentErr(t, err)
			return
		}
		y, err := ParseNID(x.String())
		if err != nil || y != x {
			t.Fatalf("ParseNID(%q) = %v, %v; want %v", x.String(), y, err, x)
		}
	})
}

func FuzzParseMobile(f *testing.F) {
	for _, s := range []string{"+8801712345678", "01712345678", "008801712345678", "+911712345678", "+", "01212345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseMobile(s)
		if err != nil {
			checkIdentErr(t, err)
			return
		}
		y, err := ParseMobile(x.String())
		if err != nil || y != x {
			t.Fatalf("ParseMobile(%q) = %v, %v; want %v", x.String(), y, err, x)
		}
		if z, err := ParseMobile(x.Local()); err != nil || z != x {
			t.Fatalf("ParseMobile(%q) = %v, %v; want %v", x.Local(), z, err, x)
		}
	})
}
