package vat

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Serial is the number of a document in a series: a location's own sequence that
// restarts at 1 each fiscal year.
type Serial struct {
	Location   string // letters and digits, e.g. "DHK"
	FiscalYear FiscalYear
	Number     int64 // from 1
}

// SerialFormat is a pattern for printing and parsing serial numbers. Placeholders:
//
//	{LOC}     the location code
//	{FY}      the fiscal year, "2025-26"
//	{SEQ}     the number, unpadded
//	{SEQ:n}   the number zero-padded to n digits (n from 1 to 18)
//
// Everything else is literal. The pattern must contain {FY} and {SEQ}; include {LOC}
// when several locations keep series. The zero value uses DefaultSerialPattern.
type SerialFormat struct {
	Pattern string
}

// DefaultSerialPattern is "{LOC}-{FY}-{SEQ:6}", e.g. "DHK-2025-26-000123".
const DefaultSerialPattern = "{LOC}-{FY}-{SEQ:6}"

var (
	tokenRE    = regexp.MustCompile(`\{(LOC|FY|SEQ)(?::(\d+))?\}`)
	locationRE = regexp.MustCompile(`^[A-Za-z0-9]+$`)
)

type compiled struct {
	pattern string
	re      *regexp.Regexp
	order   []string // token names in the order of the groups
	width   int      // SEQ padding
	hasLoc  bool
}

func (f SerialFormat) compile() (*compiled, error) {
	pat := f.Pattern
	if pat == "" {
		pat = DefaultSerialPattern
	}
	c := &compiled{pattern: pat}
	var re strings.Builder
	re.WriteString("^")
	last := 0
	seen := map[string]bool{}
	for _, m := range tokenRE.FindAllStringSubmatchIndex(pat, -1) {
		re.WriteString(regexp.QuoteMeta(pat[last:m[0]]))
		last = m[1]
		name := pat[m[2]:m[3]]
		if seen[name] {
			return nil, fmt.Errorf("%w: %q has {%s} twice", ErrSerialFormat, pat, name)
		}
		seen[name] = true
		if m[4] >= 0 {
			if name != "SEQ" {
				return nil, fmt.Errorf("%w: only {SEQ} takes a width", ErrSerialFormat)
			}
			w, err := strconv.Atoi(pat[m[4]:m[5]])
			if err != nil || w < 1 || w > 18 {
				return nil, fmt.Errorf("%w: width of {SEQ} must be 1 to 18", ErrSerialFormat)
			}
			c.width = w
		}
		c.order = append(c.order, name)
		switch name {
		case "LOC":
			c.hasLoc = true
			re.WriteString(`([A-Za-z0-9]+?)`)
		case "FY":
			re.WriteString(`(\d{4}-\d{2})`)
		case "SEQ":
			re.WriteString(`(\d+)`)
		}
	}
	re.WriteString(regexp.QuoteMeta(pat[last:]))
	re.WriteString("$")
	if strings.Count(pat, "{") != len(c.order) || strings.Count(pat, "}") != len(c.order) {
		return nil, fmt.Errorf("%w: %q has an unknown placeholder or a stray brace", ErrSerialFormat, pat)
	}
	if !seen["FY"] || !seen["SEQ"] {
		return nil, fmt.Errorf("%w: %q needs {FY} and {SEQ} (serials restart each fiscal year)", ErrSerialFormat, pat)
	}
	var err error
	if c.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSerialFormat, err)
	}
	return c, nil
}

// Check reports whether the pattern is usable.
func (f SerialFormat) Check() error {
	_, err := f.compile()
	return err
}

// Format prints s; a number wider than the padding is printed in full. Errors:
// ErrSerialFormat (bad or ambiguous pattern), ErrInvalid (a location that is not
// letters and digits, a number below 1, a fiscal year outside 1000-9998).
func (f SerialFormat) Format(s Serial) (string, error) {
	c, err := f.compile()
	if err != nil {
		return "", err
	}
	if s.Number < 1 {
		return "", fmt.Errorf("%w: serial number %d must be at least 1", ErrInvalid, s.Number)
	}
	if c.hasLoc && !locationRE.MatchString(s.Location) {
		return "", fmt.Errorf("%w: location %q must be letters and digits", ErrInvalid, s.Location)
	}
	if s.FiscalYear < 1000 || s.FiscalYear > 9998 {
		return "", fmt.Errorf("%w: fiscal year %d", ErrInvalid, int(s.FiscalYear))
	}
	out := tokenRE.ReplaceAllStringFunc(c.pattern, func(tok string) string {
		switch {
		case tok == "{LOC}":
			return s.Location
		case tok == "{FY}":
			return s.FiscalYear.String()
		default:
			return fmt.Sprintf("%0*d", c.width, s.Number)
		}
	})
	if !c.hasLoc {
		s.Location = ""
	}
	// A pattern such as "{LOC}{SEQ}" cannot tell a location ending in digits from the
	// number: refuse to print a serial that would read back differently.
	if back, err := f.Parse(out); err != nil || back != s {
		return "", fmt.Errorf("%w: %q is ambiguous for location %q", ErrSerialFormat, c.pattern, s.Location)
	}
	return out, nil
}

// Parse reads a serial printed with this format. Errors: ErrSerialFormat (bad
// pattern), ErrSerialMismatch (text does not fit the pattern).
func (f SerialFormat) Parse(text string) (Serial, error) {
	c, err := f.compile()
	if err != nil {
		return Serial{}, err
	}
	m := c.re.FindStringSubmatch(text)
	if m == nil {
		return Serial{}, fmt.Errorf("%w: %q does not match %q", ErrSerialMismatch, text, c.pattern)
	}
	var s Serial
	for i, name := range c.order {
		v := m[i+1]
		switch name {
		case "LOC":
			s.Location = v
		case "FY":
			fy, err := ParseFiscalYear(v)
			if err != nil {
				return Serial{}, fmt.Errorf("%w: %w", ErrSerialMismatch, err)
			}
			if fy < 1000 || fy > 9998 {
				return Serial{}, fmt.Errorf("%w: fiscal year %v", ErrSerialMismatch, fy)
			}
			s.FiscalYear = fy
		case "SEQ":
			if c.width > 0 && len(v) < c.width || len(v) > 1 && v[0] == '0' && len(v) > c.width {
				return Serial{}, fmt.Errorf("%w: number %q is not padded to %d digits", ErrSerialMismatch, v, c.width)
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				return Serial{}, fmt.Errorf("%w: number %q", ErrSerialMismatch, v)
			}
			s.Number = n
		}
	}
	return s, nil
}

// Series is the invoice (or note, or certificate) series of one location.
type Series struct {
	Location string
	Format   SerialFormat
}

// Next returns the serial that follows last for a document issued at issuedAt: the
// next number in the same fiscal year (in Dhaka time), or 1 in a new fiscal year. Pass
// a zero last for the first document of a series. Errors: ErrInvalid when issuedAt
// falls in a fiscal year before last's, or last belongs to another location.
func (s Series) Next(last Serial, issuedAt time.Time) (Serial, error) {
	fy := FiscalYearOf(DateOf(issuedAt.In(Dhaka())))
	switch {
	case last == Serial{}:
		return Serial{Location: s.Location, FiscalYear: fy, Number: 1}, nil
	case last.Location != s.Location:
		return Serial{}, fmt.Errorf("%w: last serial is of location %q, series is %q", ErrInvalid, last.Location, s.Location)
	case fy < last.FiscalYear:
		return Serial{}, fmt.Errorf("%w: issue date in FY %v is before the last serial's FY %v", ErrInvalid, fy, last.FiscalYear)
	case fy > last.FiscalYear:
		return Serial{Location: s.Location, FiscalYear: fy, Number: 1}, nil
	}
	return Serial{Location: s.Location, FiscalYear: fy, Number: last.Number + 1}, nil
}

// Gap is a run of missing serial numbers in one location's series for one fiscal year.
type Gap struct {
	Location   string
	FiscalYear FiscalYear
	From, To   int64 // inclusive
}

// Duplicate is a serial that appears more than once.
type Duplicate struct {
	Serial Serial
	Count  int
}

// SerialReport is the outcome of CheckSerials.
type SerialReport struct {
	Gaps       []Gap
	Duplicates []Duplicate
	Invalid    []error // texts that do not match the format (wrap ErrSerialMismatch)
}

// OK reports whether the register has no gaps, duplicates or invalid serials.
func (r SerialReport) OK() bool {
	return len(r.Gaps) == 0 && len(r.Duplicates) == 0 && len(r.Invalid) == 0
}

// CheckSerials finds gaps and duplicates among the serials of a register. Each
// (location, fiscal year) series must run 1, 2, 3, ... without gaps; numbers after the
// highest one seen cannot be checked. Errors: ErrSerialFormat for a bad pattern.
func CheckSerials(f SerialFormat, serials []string) (SerialReport, error) {
	if err := f.Check(); err != nil {
		return SerialReport{}, err
	}
	type key struct {
		loc string
		fy  FiscalYear
	}
	series := map[key][]int64{}
	var rep SerialReport
	for _, text := range serials {
		s, err := f.Parse(text)
		if err != nil {
			rep.Invalid = append(rep.Invalid, err)
			continue
		}
		k := key{s.Location, s.FiscalYear}
		series[k] = append(series[k], s.Number)
	}
	keys := make([]key, 0, len(series))
	for k := range series {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.loc, b.loc), cmp.Compare(a.fy, b.fy))
	})
	for _, k := range keys {
		nums := series[k]
		slices.Sort(nums)
		next := int64(1)
		for i := 0; i < len(nums); {
			j := i
			for j < len(nums) && nums[j] == nums[i] {
				j++
			}
			n := nums[i]
			if j-i > 1 {
				rep.Duplicates = append(rep.Duplicates, Duplicate{Serial: Serial{k.loc, k.fy, n}, Count: j - i})
			}
			if n > next {
				rep.Gaps = append(rep.Gaps, Gap{Location: k.loc, FiscalYear: k.fy, From: next, To: n - 1})
			}
			next = n + 1
			i = j
		}
	}
	return rep, nil
}
