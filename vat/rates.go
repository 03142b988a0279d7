package vat

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Rate is the VAT applied to one line: a category and either a percentage of value
// (standard, reduced, trade, turnover; zero for zero-rated and exempt) or, for the
// specific category, an amount of Taka per unit.
type Rate struct {
	Category Category        `json:"category"`
	Percent  decimal.Decimal `json:"percent"`
	PerUnit  decimal.Decimal `json:"per_unit"`
}

// StandardRate returns the 15% standard rate of s.15(3).
func StandardRate() Rate { return Rate{Category: Standard, Percent: decimal.NewFromInt(15)} }

// PercentRate returns a percentage rate of category c, e.g. PercentRate(Reduced, "7.5").
// It panics if pct is not a decimal number: use it with constants.
func PercentRate(c Category, pct string) Rate {
	return Rate{Category: c, Percent: decimal.RequireFromString(pct)}
}

// SpecificRate returns specific VAT of perUnit Taka per unit.
func SpecificRate(perUnit decimal.Decimal) Rate { return Rate{Category: Specific, PerUnit: perUnit} }

// belowThousand reports whether 0 <= d < 1000, without allocating in the usual case.
func belowThousand(d decimal.Decimal) bool {
	if d.Exponent() <= 0 && d.NumDigits()+int(d.Exponent()) <= 3 {
		return true
	}
	return d.LessThan(decimal.NewFromInt(1000))
}

// check reports whether the rate is consistent with its category.
func (r Rate) check() error {
	switch {
	case !r.Category.valid():
		return fmt.Errorf("%w: %v", ErrCategory, r.Category)
	case r.Percent.IsNegative() || r.PerUnit.IsNegative():
		return fmt.Errorf("%w: negative rate", ErrRate)
	case r.Category == Specific && (r.PerUnit.Sign() <= 0 || !r.Percent.IsZero()):
		return fmt.Errorf("%w: specific VAT needs an amount per unit and no percentage", ErrRate)
	case r.Category != Specific && !r.PerUnit.IsZero():
		return fmt.Errorf("%w: only specific VAT has an amount per unit", ErrRate)
	case !r.Category.chargesVAT() && !r.Percent.IsZero():
		return fmt.Errorf("%w: %v supplies bear 0%%", ErrRate, r.Category)
	case r.Category.chargesVAT() && r.Category.percentBased() && r.Percent.Sign() <= 0:
		return fmt.Errorf("%w: %v rate must be above 0%%", ErrRate, r.Category)
	case !belowThousand(r.Percent):
		return fmt.Errorf("%w: %v%% is not a plausible rate", ErrRate, r.Percent)
	}
	return nil
}

// String formats the rate as printed on an invoice: "15%", "7.5%", "Tk 3.50/unit",
// "zero-rated", "exempt".
func (r Rate) String() string {
	switch r.Category {
	case Specific:
		return "Tk " + r.PerUnit.StringFixed(Poisha) + "/unit"
	case ZeroRated:
		return "0% (zero-rated)"
	case Exempt:
		return "exempt"
	}
	return r.Percent.String() + "%"
}

// RateValue is one value of a rate with the date from which it is in force and the
// law that sets it.
type RateValue struct {
	Since Date `json:"since"`
	Rate
	Source string `json:"source"`
}

// RateDef is a named rate and its history, newest first (like GOBL's tax.RateDef).
type RateDef struct {
	Key    string      `json:"key"`
	Name   string      `json:"name"`
	Values []RateValue `json:"values"`
}

// At returns the value in force on date d.
func (def RateDef) At(d Date) (RateValue, error) {
	for _, v := range def.Values { // newest first
		if !v.Since.After(d) {
			return v, nil
		}
	}
	return RateValue{}, fmt.Errorf("%w: %q on %v", ErrNoRateInForce, def.Key, d)
}

// Table holds the dated VAT, supplementary duty and VDS rates. Load one with
// LoadTable (a JSON file, so that a user can add an SRO without a release) or start
// from DefaultTable. A Table is read-only after loading and safe for concurrent use.
type Table struct {
	VAT []RateDef `json:"vat"` // keyed by rate name ("standard", "restaurant", ...)
	SD  []RateDef `json:"sd"`  // supplementary duty; category is always "standard"
	VDS []RateDef `json:"vds"` // VAT deducted at source, keyed by service code
}

//go:embed rates_bd.json
var defaultTableJSON []byte

// DefaultTable returns the Bangladesh rate table shipped with this package. Every
// value names its source; see docs/vat.md for how to add an SRO.
func DefaultTable() *Table {
	t, err := LoadTable(bytes.NewReader(defaultTableJSON))
	if err != nil {
		panic("vat: shipped rate table is invalid: " + err.Error())
	}
	return t
}

// LoadTable reads a rate table in JSON (the format of rates_bd.json), checks it and
// orders each history newest first.
func LoadTable(r io.Reader) (*Table, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var t Table
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRateTable, err)
	}
	for _, list := range []struct {
		name string
		defs []RateDef
	}{{"vat", t.VAT}, {"sd", t.SD}, {"vds", t.VDS}} {
		if err := checkDefs(list.name, list.defs); err != nil {
			return nil, err
		}
	}
	return &t, nil
}

// Merge returns a new table with the definitions of extra added to t. A value in extra
// with the same key and Since replaces t's; new keys are added. Use it to layer a
// user's SRO file over DefaultTable.
func (t *Table) Merge(extra *Table) (*Table, error) {
	out := &Table{
		VAT: mergeDefs(t.VAT, extra.VAT),
		SD:  mergeDefs(t.SD, extra.SD),
		VDS: mergeDefs(t.VDS, extra.VDS),
	}
	for _, list := range []struct {
		name string
		defs []RateDef
	}{{"vat", out.VAT}, {"sd", out.SD}, {"vds", out.VDS}} {
		if err := checkDefs(list.name, list.defs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func mergeDefs(base, extra []RateDef) []RateDef {
	out := make([]RateDef, 0, len(base)+len(extra))
	for _, d := range base {
		out = append(out, RateDef{Key: d.Key, Name: d.Name, Values: slices.Clone(d.Values)})
	}
	for _, e := range extra {
		i := slices.IndexFunc(out, func(d RateDef) bool { return d.Key == e.Key })
		if i < 0 {
			out = append(out, RateDef{Key: e.Key, Name: e.Name, Values: slices.Clone(e.Values)})
			continue
		}
		for _, v := range e.Values {
			j := slices.IndexFunc(out[i].Values, func(w RateValue) bool { return w.Since == v.Since })
			if j >= 0 {
				out[i].Values[j] = v
			} else {
				out[i].Values = append(out[i].Values, v)
			}
		}
		if e.Name != "" {
			out[i].Name = e.Name
		}
	}
	return out
}

func checkDefs(list string, defs []RateDef) error {
	seen := map[string]bool{}
	for i := range defs {
		d := &defs[i]
		if strings.TrimSpace(d.Key) == "" {
			return fmt.Errorf("%w: %s[%d] has no key", ErrRateTable, list, i)
		}
		if seen[d.Key] {
			return fmt.Errorf("%w: %s key %q appears twice", ErrRateTable, list, d.Key)
		}
		seen[d.Key] = true
		if len(d.Values) == 0 {
			return fmt.Errorf("%w: %s %q has no values", ErrRateTable, list, d.Key)
		}
		slices.SortFunc(d.Values, func(a, b RateValue) int { return b.Since.Compare(a.Since) })
		for j, v := range d.Values {
			if !v.Since.Valid() {
				return fmt.Errorf("%w: %s %q value %d has no valid since date", ErrRateTable, list, d.Key, j)
			}
			if j > 0 && d.Values[j-1].Since == v.Since {
				return fmt.Errorf("%w: %s %q has two values since %v", ErrRateTable, list, d.Key, v.Since)
			}
			if strings.TrimSpace(v.Source) == "" {
				return fmt.Errorf("%w: %s %q since %v names no source", ErrRateTable, list, d.Key, v.Since)
			}
			if list != "vat" && v.Category == 0 {
				d.Values[j].Category = Standard // SD and VDS rates are plain percentages
			}
			if err := d.Values[j].Rate.check(); err != nil {
				return fmt.Errorf("%w: %s %q since %v: %w", ErrRateTable, list, d.Key, v.Since, err)
			}
		}
	}
	return nil
}

func find(defs []RateDef, key string) (RateDef, error) {
	for _, d := range defs {
		if d.Key == key {
			return d, nil
		}
	}
	return RateDef{}, fmt.Errorf("%w: %q", ErrRateNotFound, key)
}

// VATRate returns the VAT rate named key in force on date d.
func (t *Table) VATRate(key string, d Date) (RateValue, error) {
	def, err := find(t.VAT, key)
	if err != nil {
		return RateValue{}, err
	}
	return def.At(d)
}

// SDRate returns the supplementary duty rate named key in force on date d.
func (t *Table) SDRate(key string, d Date) (RateValue, error) {
	def, err := find(t.SD, key)
	if err != nil {
		return RateValue{}, err
	}
	return def.At(d)
}

// VDSRate returns the VAT-deducted-at-source rate for a service code on date d.
func (t *Table) VDSRate(serviceCode string, d Date) (RateValue, error) {
	def, err := find(t.VDS, serviceCode)
	if err != nil {
		return RateValue{}, err
	}
	return def.At(d)
}
