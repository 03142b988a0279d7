package vat

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDefaultTableRestaurantHistory(t *testing.T) {
	t.Parallel()
	tab := DefaultTable()
	// reference: "restaurant service: 5% until 8 Jan 2025, 15% from 9/10 Jan 2025,
	// back to 5% from 23 Jan 2025"
	tests := []struct {
		date string
		pct  string
		cat  Category
	}{
		{"2024-12-31", "5", Reduced},
		{"2025-01-08", "5", Reduced},
		{"2025-01-09", "15", Standard},
		{"2025-01-22", "15", Standard},
		{"2025-01-23", "5", Reduced},
		{"2026-06-30", "5", Reduced},
	}
	for _, tc := range tests {
		day, err := ParseDate(tc.date)
		require.NoError(t, err)
		v, err := tab.VATRate("restaurant", day)
		require.NoError(t, err)
		requireDec(t, tc.pct, v.Percent, tc.date)
		require.Equal(t, tc.cat, v.Category, tc.date)
		require.NotEmpty(t, v.Source)
	}
}

func TestDefaultTableRates(t *testing.T) {
	t.Parallel()
	tab := DefaultTable()
	on := NewDate(2026, time.March, 1)
	for key, pct := range map[string]string{
		"standard": "15", "reduced-5": "5", "reduced-7.5": "7.5", "reduced-10": "10",
		"trade-medicines": "2.4", "trade-petroleum": "2", "land-developer": "2",
		"building-over-1600-sqft": "4.5", "zero-rated": "0", "exempt": "0", "turnover": "4",
	} {
		v, err := tab.VATRate(key, on)
		require.NoError(t, err, key)
		requireDec(t, pct, v.Percent, key)
	}
	sd, err := tab.SDRate("sd-20", on)
	require.NoError(t, err)
	requireDec(t, "20", sd.Percent)
	for _, def := range tab.VAT {
		for _, v := range def.Values {
			require.NotEmpty(t, v.Source, def.Key)
		}
	}
}

func TestTableLookupErrors(t *testing.T) {
	t.Parallel()
	tab := DefaultTable()
	_, err := tab.VATRate("luxury", NewDate(2025, 1, 1))
	require.ErrorIs(t, err, ErrRateNotFound)
	_, err = tab.VATRate("standard", NewDate(2019, 6, 30)) // before the 2012 Act came into force
	require.ErrorIs(t, err, ErrNoRateInForce)
	_, err = tab.SDRate("sd-999", NewDate(2025, 1, 1))
	require.ErrorIs(t, err, ErrRateNotFound)
	_, err = tab.VDSRate("S099", NewDate(2025, 1, 1))
	require.ErrorIs(t, err, ErrRateNotFound)
}

func TestLoadTableErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"not json":      `{`,
		"unknown field": `{"vat":[],"extra":1}`,
		"no key":        `{"vat":[{"values":[{"since":"2020-01-01","category":"standard","percent":"15","source":"x"}]}]}`,
		"duplicate key": `{"vat":[{"key":"a","values":[{"since":"2020-01-01","category":"standard","percent":"15","source":"x"}]},{"key":"a","values":[{"since":"2020-01-01","category":"standard","percent":"15","source":"x"}]}]}`,
		"no values":     `{"vat":[{"key":"a","values":[]}]}`,
		"bad date":      `{"vat":[{"key":"a","values":[{"since":"2020-13-01","category":"standard","percent":"15","source":"x"}]}]}`,
		"no date":       `{"vat":[{"key":"a","values":[{"category":"standard","percent":"15","source":"x"}]}]}`,
		"same date":     `{"vat":[{"key":"a","values":[{"since":"2020-01-01","category":"standard","percent":"15","source":"x"},{"since":"2020-01-01","category":"standard","percent":"10","source":"y"}]}]}`,
		"no source":     `{"vat":[{"key":"a","values":[{"since":"2020-01-01","category":"standard","percent":"15","source":" "}]}]}`,
		"bad category":  `{"vat":[{"key":"a","values":[{"since":"2020-01-01","category":"luxury","percent":"15","source":"x"}]}]}`,
		"bad rate":      `{"vat":[{"key":"a","values":[{"since":"2020-01-01","category":"exempt","percent":"15","source":"x"}]}]}`,
		"bad percent":   `{"vat":[{"key":"a","values":[{"since":"2020-01-01","category":"standard","percent":"abc","source":"x"}]}]}`,
	}
	for name, js := range tests {
		_, err := LoadTable(strings.NewReader(js))
		require.ErrorIs(t, err, ErrRateTable, name)
	}
}

func TestLoadAndMergeSRO(t *testing.T) {
	t.Parallel()
	// A user adds a (hypothetical) SRO without a release: a new rate value and a VDS code.
	sro, err := LoadTable(strings.NewReader(`{
	  "vat": [{"key": "standard", "values": [
	    {"since": "2027-07-01", "category": "standard", "percent": "16", "source": "test SRO"}]}],
	  "vds": [{"key": "S999", "name": "test service", "values": [
	    {"since": "2019-07-01", "percent": "10", "source": "test SRO"}]}]}`))
	require.NoError(t, err)
	tab, err := DefaultTable().Merge(sro)
	require.NoError(t, err)
	v, err := tab.VATRate("standard", NewDate(2027, 7, 1))
	require.NoError(t, err)
	requireDec(t, "16", v.Percent)
	v, err = tab.VATRate("standard", NewDate(2027, 6, 30))
	require.NoError(t, err)
	requireDec(t, "15", v.Percent)
	v, err = tab.VDSRate("S999", NewDate(2025, 1, 1))
	require.NoError(t, err)
	requireDec(t, "10", v.Percent)
	require.Equal(t, Standard, v.Category)
	// the default table is unchanged
	v, err = DefaultTable().VATRate("standard", NewDate(2027, 7, 1))
	require.NoError(t, err)
	requireDec(t, "15", v.Percent)
}

func TestDate(t *testing.T) {
	t.Parallel()
	_, err := ParseDate("2025-02-30")
	require.ErrorIs(t, err, ErrDate)
	require.False(t, NewDate(2025, 2, 29).Valid())
	require.True(t, NewDate(2024, 2, 29).Valid())
	require.Equal(t, NewDate(2025, 3, 1), NewDate(2025, 2, 28).AddDays(1))
	// 23:30 UTC on 31 Dec is already 1 Jan in Dhaka
	ts := time.Date(2024, 12, 31, 23, 30, 0, 0, time.UTC)
	require.Equal(t, NewDate(2025, 1, 1), DateOf(ts.In(Dhaka())))
	var back Date
	require.NoError(t, back.UnmarshalText([]byte("2025-01-09")))
	require.Equal(t, "2025-01-09", back.String())
}
