package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Dimension declares an analysis dimension of a tenant (cost centre, site,
// project, equipment, department, ...): the key lines carry in their
// Dimensions, and either a closed list of allowed values or free values.
//
// Declarations are opt-in. A tenant that has declared no dimension accepts
// any key on its lines, as the posting core always did; once it declares
// one, lines may carry declared keys only, with an allowed value. An
// account's RequiredDimensions are enforced either way.
type Dimension struct {
	Key  string // lower-case letters, digits, '_' and '-', e.g. "cost_centre"
	Name string
	// Values, when not empty, are the only values lines may carry; empty
	// means free values.
	Values []string
}

// allows reports whether v is a value of the dimension.
func (d Dimension) allows(v string) bool {
	return len(d.Values) == 0 || slices.Contains(d.Values, v)
}

const maxDimensionValues = 10000

// validateDimensionKey checks the form of a dimension key.
func validateDimensionKey(k string) error {
	if k == "" || len(k) > maxCodeLen {
		return fmt.Errorf("%w: key must be 1 to %d characters", ErrInvalidDimension, maxCodeLen)
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("%w: key %q: use lower-case letters, digits, '_' and '-'", ErrInvalidDimension, k)
		}
	}
	return nil
}

// normalizeDimension validates a declaration and sorts its values.
func normalizeDimension(d Dimension) (Dimension, error) {
	if err := validateDimensionKey(d.Key); err != nil {
		return d, err
	}
	d.Name = strings.TrimSpace(d.Name)
	if d.Name == "" || len(d.Name) > maxNameLen || !printable(d.Name) {
		return d, fmt.Errorf("%w: %s: name must be 1 to %d printable characters", ErrInvalidDimension, d.Key, maxNameLen)
	}
	if len(d.Values) > maxDimensionValues {
		return d, fmt.Errorf("%w: %s: more than %d values", ErrInvalidDimension, d.Key, maxDimensionValues)
	}
	vs := slices.Clone(d.Values)
	for _, v := range vs {
		if err := validateDimensionValue(v); err != nil {
			return d, fmt.Errorf("%w (dimension %s)", err, d.Key)
		}
	}
	slices.Sort(vs)
	if len(slices.Compact(slices.Clone(vs))) != len(vs) {
		return d, fmt.Errorf("%w: %s: a value is listed twice", ErrInvalidDimension, d.Key)
	}
	if len(vs) == 0 {
		vs = nil
	}
	d.Values = vs
	return d, nil
}

func validateDimensionValue(v string) error {
	if v == "" || len(v) > maxTextLen || strings.TrimSpace(v) != v {
		return fmt.Errorf("%w: value %q is empty, too long or padded", ErrInvalidDimension, v)
	}
	for _, r := range v {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%w: value %q has a control character", ErrInvalidDimension, v)
		}
	}
	return nil
}

// DeclareDimension creates or replaces the tenant's declaration of d.Key.
// Replacing a declaration changes what later postings may carry; posted
// lines keep their values. Errors: ErrInvalidTenant, ErrInvalidDimension.
func (l *Ledger) DeclareDimension(ctx context.Context, tenant string, d Dimension) (Dimension, error) {
	if err := validateTenant(tenant); err != nil {
		return Dimension{}, err
	}
	d, err := normalizeDimension(d)
	if err != nil {
		return Dimension{}, err
	}
	if err := l.store.PutDimension(ctx, tenant, d); err != nil {
		return Dimension{}, err
	}
	return d, nil
}

// Dimensions returns the tenant's declared dimensions, ordered by key.
func (l *Ledger) Dimensions(ctx context.Context, tenant string) ([]Dimension, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	return l.store.Dimensions(ctx, tenant)
}

// RequireDimensions sets the dimension keys every line posted to the
// account must carry (none when keys is empty).
func (l *Ledger) RequireDimensions(ctx context.Context, tenant, code string, keys ...string) (Account, error) {
	req, err := normalizeRequired(keys)
	if err != nil {
		return Account{}, err
	}
	return l.update(ctx, tenant, code, func(a *Account, _ func(string) (Account, error)) error {
		a.RequiredDimensions = req
		return nil
	})
}

// normalizeRequired validates and sorts an account's required keys.
func normalizeRequired(keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	if len(keys) > maxMetaEntries {
		return nil, fmt.Errorf("%w: more than %d required dimensions", ErrInvalidDimension, maxMetaEntries)
	}
	out := slices.Clone(keys)
	for _, k := range out {
		if err := validateDimensionKey(k); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// checkDimensions checks a line's dimensions against the account's required
// keys and the tenant's declarations (none declared: any key).
func checkDimensions(ln Line, a Account, declared map[string]Dimension) error {
	for _, k := range a.RequiredDimensions {
		if ln.Dimensions[k] == "" {
			return fmt.Errorf("%w: account %s requires dimension %q", ErrDimensionMissing, a.Code, k)
		}
	}
	if len(declared) == 0 {
		return nil
	}
	for k, v := range ln.Dimensions {
		d, ok := declared[k]
		if !ok {
			return fmt.Errorf("%w: %q", ErrDimensionUndeclared, k)
		}
		if !d.allows(v) {
			return fmt.Errorf("%w: %q is not a value of dimension %q", ErrDimensionValue, v, k)
		}
	}
	return nil
}
