package vat

import (
	"errors"
	"testing"
)

// FuzzParseDate: a date that parses is a real calendar date, formats back
// to what parses to it again, and a refusal is ErrDate.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-07-01", "2024-02-29", "2025-02-29", "0001-01-01", "9999-12-31", "2026-7-1", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrDate) {
				t.Fatalf("ParseDate(%q): %v is not ErrDate", s, err)
			}
			return
		}
		if !d.Valid() {
			t.Fatalf("ParseDate(%q) = %v, not a valid date", s, d)
		}
		if e, err := ParseDate(d.String()); err != nil || e != d {
			t.Fatalf("ParseDate(%q) = %v, %v; want %v", d.String(), e, err, d)
		}
	})
}

// FuzzParseFiscalYear: a fiscal year that parses formats back to what
// parses to it again, spans 1 July to 30 June, and a refusal is ErrDate.
func FuzzParseFiscalYear(f *testing.F) {
	for _, s := range []string{"2025-26", "2025-2026", "2099-00", "2025-27", "+001-02", "-001-00", "", "2025_26"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fy, err := ParseFiscalYear(s)
		if err != nil {
			if !errors.Is(err, ErrDate) {
				t.Fatalf("ParseFiscalYear(%q): %v is not ErrDate", s, err)
			}
			return
		}
		if fy < 1 {
			t.Fatalf("ParseFiscalYear(%q) = %d", s, int(fy))
		}
		if g, err := ParseFiscalYear(fy.String()); err != nil || g != fy {
			t.Fatalf("ParseFiscalYear(%q) = %v, %v; want %v", fy.String(), g, err, fy)
		}
		if fy.End().Year != fy.Start().Year+1 {
			t.Fatalf("%v runs %v to %v", fy, fy.Start(), fy.End())
		}
	})
}

// FuzzParseCategory: a category that parses is valid and its text parses
// back to it; a refusal is ErrCategory.
func FuzzParseCategory(f *testing.F) {
	for _, s := range categoryNames {
		f.Add(s)
	}
	f.Add("Standard")
	f.Fuzz(func(t *testing.T, s string) {
		var c Category
		if err := c.UnmarshalText([]byte(s)); err != nil {
			if !errors.Is(err, ErrCategory) {
				t.Fatalf("UnmarshalText(%q): %v is not ErrCategory", s, err)
			}
			return
		}
		b, err := c.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("category %q marshals as %q, %v", s, b, err)
		}
	})
}
