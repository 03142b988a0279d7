package payroll_test

import (
	"errors"
	"testing"

	"github.com/erpkit/erpkit/payroll"
)

// FuzzParseDate: a date that parses formats back to what parses to it
// again.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-07-01", "2024-02-29", "2025-02-29", "0001-01-01", "9999-12-31", "2026-7-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := payroll.ParseDate(s)
		if err != nil {
			return
		}
		if e, err := payroll.ParseDate(d.String()); err != nil || e != d {
			t.Fatalf("ParseDate(%q) = %v, %v; want %v", d.String(), e, err, d)
		}
	})
}

// FuzzParsePTKP: an Indonesian PTKP status that parses has 0 to 3
// dependants and formats back to what parses to it again; a refusal is a
// *CategoryError naming the input.
func FuzzParsePTKP(f *testing.F) {
	for _, s := range []string{"TK/0", "K/3", " k/1 ", "K/4", "TK/-1", "TK/01", "K", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := payroll.ParsePTKP(s)
		if err != nil {
			var ce *payroll.CategoryError
			if !errors.As(err, &ce) || ce.Value != s {
				t.Fatalf("ParsePTKP(%q): %v", s, err)
			}
			return
		}
		if p.Dependants < 0 || p.Dependants > 3 {
			t.Fatalf("ParsePTKP(%q) = %+v", s, p)
		}
		if q, err := payroll.ParsePTKP(p.String()); err != nil || q != p {
			t.Fatalf("ParsePTKP(%q) = %+v, %v; want %+v", p.String(), q, err, p)
		}
	})
}
