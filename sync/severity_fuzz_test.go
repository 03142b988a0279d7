package sync

import (
	"errors"
	"testing"
)

// FuzzSeverityText: a severity that reads from text is one of the four and
// writes back as the same text; a refusal is ErrInvalid.
func FuzzSeverityText(f *testing.F) {
	for _, s := range severityNames {
		f.Add(s)
	}
	f.Add("High")
	f.Fuzz(func(t *testing.T, s string) {
		var v Severity
		if err := v.UnmarshalText([]byte(s)); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("UnmarshalText(%q): %v is not ErrInvalid", s, err)
			}
			return
		}
		if v < Low || v > Critical {
			t.Fatalf("UnmarshalText(%q) = %d", s, int(v))
		}
		if b, err := v.MarshalText(); err != nil || string(b) != s {
			t.Fatalf("severity %q writes as %q, %v", s, b, err)
		}
	})
}
