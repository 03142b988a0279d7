package vat

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFiscalYear(t *testing.T) {
	t.Parallel()
	// reference: "2026-06-30 is FY 2025-26; 2026-07-01 is FY 2026-27"
	require.Equal(t, "2025-26", FiscalYearOf(NewDate(2026, 6, 30)).String())
	require.Equal(t, "2026-27", FiscalYearOf(NewDate(2026, 7, 1)).String())
	require.Equal(t, "1999-00", FiscalYear(1999).String())
	fy, err := ParseFiscalYear("2025-26")
	require.NoError(t, err)
	require.Equal(t, FiscalYear(2025), fy)
	fy, err = ParseFiscalYear("2025-2026")
	require.NoError(t, err)
	require.Equal(t, FiscalYear(2025), fy)
	require.Equal(t, NewDate(2025, 7, 1), fy.Start())
	require.Equal(t, NewDate(2026, 6, 30), fy.End())
	for _, bad := range []string{"2025", "2025-27", "2025/26", "abcd-ef", "2025-2027"} {
		_, err := ParseFiscalYear(bad)
		require.ErrorIs(t, err, ErrDate, bad)
	}
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d      Date
		l      PeriodLength
		start  Date
		end    Date
		name   string
		nextSt Date
	}{
		{NewDate(2026, 1, 15), Monthly, NewDate(2026, 1, 1), NewDate(2026, 1, 31), "2026-01", NewDate(2026, 2, 1)},
		{NewDate(2024, 2, 29), Monthly, NewDate(2024, 2, 1), NewDate(2024, 2, 29), "2024-02", NewDate(2024, 3, 1)},
		{NewDate(2026, 6, 30), Monthly, NewDate(2026, 6, 1), NewDate(2026, 6, 30), "2026-06", NewDate(2026, 7, 1)},
		{NewDate(2026, 7, 1), Quarterly, NewDate(2026, 7, 1), NewDate(2026, 9, 30), "2026-27 Q1", NewDate(2026, 10, 1)},
		{NewDate(2026, 12, 31), Quarterly, NewDate(2026, 10, 1), NewDate(2026, 12, 31), "2026-27 Q2", NewDate(2027, 1, 1)},
		{NewDate(2027, 2, 10), Quarterly, NewDate(2027, 1, 1), NewDate(2027, 3, 31), "2026-27 Q3", NewDate(2027, 4, 1)},
		{NewDate(2027, 6, 30), Quarterly, NewDate(2027, 4, 1), NewDate(2027, 6, 30), "2026-27 Q4", NewDate(2027, 7, 1)},
	}
	for _, tc := range tests {
		p, err := PeriodOf(tc.d, tc.l)
		require.NoError(t, err)
		require.Equal(t, tc.start, p.Start, tc.name)
		require.Equal(t, tc.end, p.End(), tc.name)
		require.Equal(t, tc.name, p.String())
		require.True(t, p.Contains(tc.d))
		require.False(t, p.Contains(tc.end.AddDays(1)))
		require.False(t, p.Contains(tc.start.AddDays(-1)))
		require.Equal(t, tc.nextSt, p.Next().Start)
		require.Equal(t, p, p.Next().Add(-1))
	}
	require.Equal(t, MonthOf(NewDate(2026, 1, 15)), Period{Start: NewDate(2026, 1, 1)})
	_, err := PeriodOf(NewDate(2026, 1, 1), PeriodLength(9))
	require.ErrorIs(t, err, ErrPeriodLength)
	_, err = PeriodOf(NewDate(2026, 2, 30), Monthly)
	require.ErrorIs(t, err, ErrDate)
	require.Equal(t, time.July, FiscalYear(2026).Start().Month)
}
