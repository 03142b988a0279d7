package vat

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// normalise strips the separators people type (spaces, dashes, dots, slashes and
// brackets), turns Bengali digits into ASCII digits, and reports the first character
// that is not a digit (other than a leading '+', kept when plus is true).
func normalise(kind, in string, plus bool) (string, error) {
	var b strings.Builder
	b.Grow(len(in))
	for i, r := range in {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '০' && r <= '৯': // Bengali digits
			b.WriteRune('0' + (r - '০'))
		case r == ' ' || r == '\t' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')' ||
			r == '\u00a0' || r == '\u2010' || r == '\u2011' || r == '\u2013':
		case r == '+' && plus && b.Len() == 0 && !strings.Contains(in[:i], "+"):
			b.WriteRune(r)
		default:
			if r == utf8.RuneError {
				return "", &IdentifierError{Kind: kind, Input: in, Err: ErrCharacters,
					Detail: fmt.Sprintf("invalid UTF-8 at byte %d", i)}
			}
			return "", &IdentifierError{Kind: kind, Input: in, Err: ErrCharacters,
				Detail: fmt.Sprintf("character %q at byte %d is not a digit", r, i)}
		}
	}
	if b.Len() == 0 {
		return "", &IdentifierError{Kind: kind, Input: in, Err: ErrEmpty, Detail: "no digits"}
	}
	return b.String(), nil
}

// TIN is a 12-digit electronic Taxpayer Identification Number (e-TIN), issued since
// 2013; 10-digit TINs have been invalid since 1 January 2014. It has no published
// check digit. The zero TIN is empty.
type TIN struct{ digits string }

// ParseTIN normalises s (spaces, dashes, dots, Bengali digits) and checks it is a
// 12-digit e-TIN. Errors are *IdentifierError wrapping ErrEmpty, ErrCharacters or
// ErrLength.
func ParseTIN(s string) (TIN, error) {
	n, err := normalise("TIN", s, false)
	if err != nil {
		return TIN{}, err
	}
	switch len(n) {
	case 12:
		return TIN{n}, nil
	case 10:
		return TIN{}, &IdentifierError{Kind: "TIN", Input: s, Err: ErrLength,
			Detail: "10-digit TINs have been invalid since 1 January 2014; an e-TIN has 12 digits"}
	}
	return TIN{}, &IdentifierError{Kind: "TIN", Input: s, Err: ErrLength,
		Detail: fmt.Sprintf("has %d digits, an e-TIN has 12", len(n))}
}

// String formats the TIN for display: 1234-5678-9012.
func (t TIN) String() string {
	if t.digits == "" {
		return ""
	}
	return t.digits[:4] + "-" + t.digits[4:8] + "-" + t.digits[8:]
}

// Digits returns the 12 digits without separators.
func (t TIN) Digits() string { return t.digits }

// IsZero reports whether t is the empty TIN.
func (t TIN) IsZero() bool { return t.digits == "" }

// MarshalText implements encoding.TextMarshaler (the display form).
func (t TIN) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text gives the zero TIN.
func (t *TIN) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = TIN{}
		return nil
	}
	v, err := ParseTIN(string(b))
	if err == nil {
		*t = v
	}
	return err
}

// BIN is a Business Identification Number: 13 digits since 30 November 2019, shown
// as NNNNNNNNN-NNNN (002871821-0101). No check digit is published, and the meaning of
// the last four digits is not settled by the sources, so they are not interpreted.
// A legacy 9- or 11-digit BIN exists only when asked for with ParseLegacyBIN.
type BIN struct{ digits string }

// ParseBIN normalises s and checks it is a 13-digit BIN. A 9- or 11-digit BIN is
// rejected with ErrLegacyBIN (they were invalidated on 30 Nov 2019); other lengths
// with ErrLength; other characters with ErrCharacters. Errors are *IdentifierError.
func ParseBIN(s string) (BIN, error) {
	b, err := parseBIN(s)
	if err == nil && b.Legacy() {
		return BIN{}, &IdentifierError{Kind: "BIN", Input: s, Err: ErrLegacyBIN,
			Detail: fmt.Sprintf("a %d-digit BIN was invalidated on 30 Nov 2019; the BIN now has 13 digits (use ParseLegacyBIN for old records)", len(b.digits))}
	}
	return b, err
}

// ParseLegacyBIN accepts a 13-digit BIN and also a legacy 9- or 11-digit one, for
// reading records made before 30 November 2019. Check Legacy on the result: a legacy
// BIN must not appear on a new Mushak document.
func ParseLegacyBIN(s string) (BIN, error) { return parseBIN(s) }

func parseBIN(s string) (BIN, error) {
	n, err := normalise("BIN", s, false)
	if err != nil {
		return BIN{}, err
	}
	switch len(n) {
	case 13, 9, 11:
		return BIN{n}, nil
	}
	return BIN{}, &IdentifierError{Kind: "BIN", Input: s, Err: ErrLength,
		Detail: fmt.Sprintf("has %d digits, a BIN has 13", len(n))}
}

// Legacy reports whether b is an old 9- or 11-digit BIN.
func (b BIN) Legacy() bool { return len(b.digits) == 9 || len(b.digits) == 11 }

// IsZero reports whether b is the empty BIN.
func (b BIN) IsZero() bool { return b.digits == "" }

// Digits returns the digits without separators.
func (b BIN) Digits() string { return b.digits }

// String formats a 13-digit BIN as 002871821-0101; a legacy BIN as its digits.
func (b BIN) String() string {
	if len(b.digits) != 13 {
		return b.digits
	}
	return b.digits[:9] + "-" + b.digits[9:]
}

// MarshalText implements encoding.TextMarshaler (the display form).
func (b BIN) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts only 13-digit BINs
// (and empty text, giving the zero BIN).
func (b *BIN) UnmarshalText(t []byte) error {
	if len(t) == 0 {
		*b = BIN{}
		return nil
	}
	v, err := ParseBIN(string(t))
	if err == nil {
		*b = v
	}
	return err
}

// NID is a Bangladesh national identity number: 10 digits (smart card), 13 (old
// laminated card) or 17 (the old 13 digits preceded by the year of birth).
type NID struct{ digits string }

// ParseNID normalises s and checks its length (10, 13 or 17) and, for 17 digits,
// that it starts with a year of birth from 1900 to 2099. Errors are *IdentifierError
// wrapping ErrEmpty, ErrCharacters, ErrLength or ErrBirthYear.
func ParseNID(s string) (NID, error) {
	n, err := normalise("NID", s, false)
	if err != nil {
		return NID{}, err
	}
	switch len(n) {
	case 10, 13:
		return NID{n}, nil
	case 17:
		if !(strings.HasPrefix(n, "19") || strings.HasPrefix(n, "20")) {
			return NID{}, &IdentifierError{Kind: "NID", Input: s, Err: ErrBirthYear,
				Detail: fmt.Sprintf("a 17-digit NID starts with the year of birth, not %s", n[:4])}
		}
		return NID{n}, nil
	}
	return NID{}, &IdentifierError{Kind: "NID", Input: s, Err: ErrLength,
		Detail: fmt.Sprintf("has %d digits, an NID has 10, 13 or 17", len(n))}
}

// String returns the NID's digits (there is no standard grouping).
func (n NID) String() string { return n.digits }

// IsZero reports whether n is the empty NID.
func (n NID) IsZero() bool { return n.digits == "" }

// BirthYear returns the year of birth of a 17-digit NID, or 0.
func (n NID) BirthYear() int {
	if len(n.digits) != 17 {
		return 0
	}
	y := 0
	for _, c := range n.digits[:4] {
		y = y*10 + int(c-'0')
	}
	return y
}

// MarshalText implements encoding.TextMarshaler.
func (n NID) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text gives the zero NID.
func (n *NID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*n = NID{}
		return nil
	}
	v, err := ParseNID(string(b))
	if err == nil {
		*n = v
	}
	return err
}

// Mobile is a Bangladesh mobile number, kept as its 10-digit national number
// (1[3-9] and 8 digits) and shown as +8801712345678.
type Mobile struct{ nsn string }

// ParseMobile accepts +880, 880, 00880 or 0 followed by 1[3-9] and 8 digits, with
// spaces, dashes, dots and brackets anywhere. Errors are *IdentifierError wrapping
// ErrEmpty, ErrCharacters, ErrPrefix or ErrLength.
func ParseMobile(s string) (Mobile, error) {
	n, err := normalise("mobile", s, true)
	if err != nil {
		return Mobile{}, err
	}
	plus := strings.HasPrefix(n, "+")
	n = strings.TrimPrefix(n, "+")
	if n == "" {
		return Mobile{}, &IdentifierError{Kind: "mobile", Input: s, Err: ErrEmpty, Detail: "no digits"}
	}
	var nsn string
	switch {
	case !plus && strings.HasPrefix(n, "00880"):
		nsn = n[5:]
	case strings.HasPrefix(n, "880"):
		nsn = n[3:]
	case plus:
		return Mobile{}, &IdentifierError{Kind: "mobile", Input: s, Err: ErrPrefix,
			Detail: "country code must be +880 (Bangladesh)"}
	case strings.HasPrefix(n, "0"):
		nsn = n[1:]
	default:
		return Mobile{}, &IdentifierError{Kind: "mobile", Input: s, Err: ErrPrefix,
			Detail: "must start with +880, 880 or 0"}
	}
	if len(nsn) != 10 {
		return Mobile{}, &IdentifierError{Kind: "mobile", Input: s, Err: ErrLength,
			Detail: fmt.Sprintf("has %d digits after the prefix, a mobile number has 11 (01XXXXXXXXX)", len(nsn)+1)}
	}
	if nsn[0] != '1' || nsn[1] < '3' || nsn[1] > '9' {
		return Mobile{}, &IdentifierError{Kind: "mobile", Input: s, Err: ErrPrefix,
			Detail: fmt.Sprintf("operator code 0%s is not a mobile code (013 to 019)", nsn[:2])}
	}
	return Mobile{nsn}, nil
}

// String formats the number internationally: +8801712345678.
func (m Mobile) String() string {
	if m.nsn == "" {
		return ""
	}
	return "+880" + m.nsn
}

// Local formats the number as dialled inside Bangladesh: 01712345678.
func (m Mobile) Local() string {
	if m.nsn == "" {
		return ""
	}
	return "0" + m.nsn
}

// IsZero reports whether m is the empty number.
func (m Mobile) IsZero() bool { return m.nsn == "" }

// MarshalText implements encoding.TextMarshaler.
func (m Mobile) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; empty text gives the zero Mobile.
func (m *Mobile) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = Mobile{}
		return nil
	}
	v, err := ParseMobile(string(b))
	if err == nil {
		*m = v
	}
	return err
}
