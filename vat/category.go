package vat

import "fmt"

// Category is the kind of VAT a supply bears. The zero value is not a category: a
// line without one is rejected with ErrCategory.
type Category int

// The VAT categories of the VAT and SD Act 2012.
const (
	// Standard is the 15% rate of s.15(3).
	Standard Category = iota + 1
	// Reduced is a rate of the Third Schedule below 15% (5%, 7.5%, 10%).
	Reduced
	// Specific is a fixed amount of VAT per unit (Third Schedule).
	Specific
	// Trade is a truncated trading-stage or sector rate (2%, 2.4%, 4.5%, ...).
	Trade
	// ZeroRated applies to exports and deemed exports (ss.21-24): 0%, input credit kept.
	ZeroRated
	// Exempt applies to supplies of the First Schedule: no VAT, input credit lost.
	Exempt
	// Turnover is turnover tax (4%) of enlisted businesses below the registration
	// threshold; it is not VAT and gives no input credit.
	Turnover
)

var categoryNames = [...]string{"", "standard", "reduced", "specific", "trade", "zero-rated", "exempt", "turnover"}

// String returns the category's name as used in rate table files ("standard", ...).
func (c Category) String() string {
	if c.valid() {
		return categoryNames[c]
	}
	return fmt.Sprintf("Category(%d)", int(c))
}

func (c Category) valid() bool { return c >= Standard && c <= Turnover }

// ParseCategory returns the category named s.
func ParseCategory(s string) (Category, error) {
	for i, n := range categoryNames {
		if i > 0 && n == s {
			return Category(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrCategory, s)
}

// MarshalText implements encoding.TextMarshaler.
func (c Category) MarshalText() ([]byte, error) {
	if !c.valid() {
		return nil, fmt.Errorf("%w: %d", ErrCategory, int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Category) UnmarshalText(b []byte) error {
	v, err := ParseCategory(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// KeepsInputCredit reports whether a supplier whose supplies bear this category may
// claim credit for the VAT paid on related inputs: yes for standard-rated and
// zero-rated supplies; no for reduced, trade and specific rates, exempt supplies and
// turnover tax (s.46; reference: "a supplier on a reduced rate gets no input credit;
// exempt supplies lose input credit; zero-rated supplies keep it").
func (c Category) KeepsInputCredit() bool { return c == Standard || c == ZeroRated }

// percentBased reports whether VAT in this category is a percentage of value.
func (c Category) percentBased() bool { return c != Specific }

// chargesVAT reports whether the category may carry a non-zero VAT amount.
func (c Category) chargesVAT() bool { return c != ZeroRated && c != Exempt }
