package vat

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSerialFormat(t *testing.T) {
	t.Parallel()
	s := Serial{Location: "DHK", FiscalYear: 2025, Number: 123}
	tests := []struct {
		pattern, want string
	}{
		{"", "DHK-2025-26-000123"},
		{"{LOC}/{FY}/{SEQ}", "DHK/2025-26/123"},
		{"INV {FY} #{SEQ:4} ({LOC})", "INV 2025-26 #0123 (DHK)"},
		{"{FY}-{SEQ:2}", "2025-26-123"}, // wider than padding: printed in full
	}
	for _, tc := range tests {
		f := SerialFormat{Pattern: tc.pattern}
		got, err := f.Format(s)
		require.NoError(t, err, tc.pattern)
		require.Equal(t, tc.want, got)
		back, err := f.Parse(got)
		require.NoError(t, err)
		want := s
		if tc.pattern != "" && !containsLoc(tc.pattern) {
			want.Location = ""
		}
		require.Equal(t, want, back)
	}
}

func containsLoc(p string) bool {
	for _, m := range tokenRE.FindAllStringSubmatch(p, -1) {
		if m[1] == "LOC" {
			return true
		}
	}
	return false
}

func TestSerialFormatErrors(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"{LOC}-{SEQ}", "{FY}", "{FY}-{SEQ}-{SEQ}", "{FY}-{SEQ:0}", "{FY}-{SEQ:19}", "{FY:2}-{SEQ}", "{FY}-{SEQ}-{X}", "{FY}-{SEQ}}"} {
		require.ErrorIs(t, SerialFormat{Pattern: p}.Check(), ErrSerialFormat, p)
		_, err := SerialFormat{Pattern: p}.Format(Serial{Location: "A", FiscalYear: 2025, Number: 1})
		require.ErrorIs(t, err, ErrSerialFormat, p)
		_, err = SerialFormat{Pattern: p}.Parse("x")
		require.ErrorIs(t, err, ErrSerialFormat, p)
		_, err = CheckSerials(SerialFormat{Pattern: p}, nil)
		require.ErrorIs(t, err, ErrSerialFormat, p)
	}
	var f SerialFormat
	for _, s := range []Serial{{"DHK", 2025, 0}, {"DH K", 2025, 1}, {"", 2025, 1}, {"DHK", 99, 1}} {
		_, err := f.Format(s)
		require.ErrorIs(t, err, ErrInvalid, s)
	}
	_, err := SerialFormat{Pattern: "{LOC}{FY}{SEQ}"}.Format(Serial{"A1", 2025, 1})
	require.NoError(t, err)
	_, err = SerialFormat{Pattern: "{LOC}{SEQ:3}{FY}"}.Format(Serial{"A1", 2025, 1})
	require.ErrorIs(t, err, ErrSerialFormat) // "A1" + "001": ambiguous
	for _, text := range []string{"DHK-2025-26-00123", "DHK-2025-26-0000123", "DHK-2025-27-000123", "DHK-2025-26-000000", "DHK-2025-26-000123x", "-2025-26-000001"} {
		_, err := f.Parse(text)
		require.ErrorIs(t, err, ErrSerialMismatch, text)
	}
}

func TestSeriesNext(t *testing.T) {
	t.Parallel()
	s := Series{Location: "CTG"}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, Dhaka()) }
	first, err := s.Next(Serial{}, at(2026, 6, 29, 9))
	require.NoError(t, err)
	require.Equal(t, Serial{"CTG", 2025, 1}, first)
	second, err := s.Next(first, at(2026, 6, 30, 23))
	require.NoError(t, err)
	require.Equal(t, Serial{"CTG", 2025, 2}, second)
	// 1 July in Dhaka starts a new fiscal year even though it is still 30 June in UTC
	restart, err := s.Next(second, time.Date(2026, 6, 30, 18, 30, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, Serial{"CTG", 2026, 1}, restart)
	_, err = s.Next(restart, at(2026, 6, 1, 9))
	require.ErrorIs(t, err, ErrInvalid)
	_, err = s.Next(Serial{"DHK", 2026, 5}, at(2026, 7, 2, 9))
	require.ErrorIs(t, err, ErrInvalid)
}

func TestCheckSerials(t *testing.T) {
	t.Parallel()
	var f SerialFormat
	reg := []string{
		"DHK-2025-26-000001", "DHK-2025-26-000002", "DHK-2025-26-000005", "DHK-2025-26-000005",
		"DHK-2026-27-000002", // FY restart: 1 is missing
		"CTG-2025-26-000001", "CTG-2025-26-000002", "CTG-2025-26-000003",
		"garbage",
	}
	rep, err := CheckSerials(f, reg)
	require.NoError(t, err)
	require.False(t, rep.OK())
	require.Equal(t, []Gap{{"DHK", 2025, 3, 4}, {"DHK", 2026, 1, 1}}, rep.Gaps)
	require.Equal(t, []Duplicate{{Serial{"DHK", 2025, 5}, 2}}, rep.Duplicates)
	require.Len(t, rep.Invalid, 1)
	require.ErrorIs(t, rep.Invalid[0], ErrSerialMismatch)
	rep, err = CheckSerials(f, reg[5:8])
	require.NoError(t, err)
	require.True(t, rep.OK())
}

func FuzzSerialParse(f *testing.F) {
	for _, s := range []string{"DHK-2025-26-000123", "A-1999-00-000001", "DHK-2025-26-1234567", "x"} {
		f.Add(s)
	}
	var sf SerialFormat
	f.Fuzz(func(t *testing.T, text string) {
		s, err := sf.Parse(text)
		if err != nil {
			return
		}
		out, err := sf.Format(s)
		if err != nil {
			t.Fatalf("Format(%+v) after Parse(%q): %v", s, text, err)
		}
		back, err := sf.Parse(out)
		if err != nil || back != s {
			t.Fatalf("Parse(Format(%+v)) = %+v, %v", s, back, err)
		}
		if out != text {
			t.Fatalf("Parse accepted non-canonical %q (canonical %q)", text, out)
		}
	})
}
