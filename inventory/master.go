package inventory

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/erpkit/erpkit/ledger"
	"github.com/shopspring/decimal"
)

// Unit is a unit of measure (pcs, L, kg, box, drum). Quantities in it carry
// at most Decimals decimal places.
type Unit struct {
	Code     string
	Name     string
	Decimals int32 // 0 .. QuantityScale
}

// Conversion says how many stock units one Unit holds: box = 12 pcs,
// drum = 200 L.
type Conversion struct {
	Unit   string
	Factor decimal.Decimal // stock units per Unit, positive
}

// StandardCost is a standard unit cost in force from a date.
type StandardCost struct {
	From ledger.Date
	Cost decimal.Decimal // per stock unit, at most QuantityScale decimals
}

// Item is a stocked item (a part, a consumable).
type Item struct {
	Code      string
	Name      string
	Category  string // the category's account mapping applies
	StockUnit string // the unit stock is kept and valued in
	Method    Method
	// StandardCosts is the standard cost history (Standard method), by
	// date. A movement is valued at the cost in force on its date.
	StandardCosts []StandardCost
	// Conversions are the other units the item moves in.
	Conversions []Conversion
	VATCategory string // for purchase and sales documents
	HSCode      string
	// LotTracked items name a lot on every movement; lots may carry an
	// expiry date.
	LotTracked bool
	CreatedAt  time.Time
}

// StandardCostOn returns the standard cost in force on d (zero before the
// first).
func (it Item) StandardCostOn(d ledger.Date) decimal.Decimal {
	var c decimal.Decimal
	for _, s := range it.StandardCosts {
		if s.From.After(d) {
			break
		}
		c = s.Cost
	}
	return c
}

// Accounts are the ledger accounts an item category posts to.
type Accounts struct {
	Inventory     string // stock value (a store's own account overrides it)
	Expense       string // issues: COGS / consumption expense
	GRIR          string // goods received, not yet invoiced
	PriceVariance string // standard cost and price differences
	Adjustment    string // stock count differences
}

// Category is an item category and its account mapping.
type Category struct {
	Code     string
	Name     string
	Accounts Accounts
}

// LocationKind is what a store is.
type LocationKind string

// The kinds of store.
const (
	Warehouse LocationKind = "warehouse"
	SiteStore LocationKind = "site"
	Vehicle   LocationKind = "vehicle" // a mobile store
)

// Location is a store: a warehouse, a site store or a vehicle. (The type is
// not called Store, which names the storage interface.)
type Location struct {
	Code string
	Name string
	Kind LocationKind
	// InventoryAccount, when set, is the stock account of the store;
	// otherwise the item category's.
	InventoryAccount string
	// AllowNegative lets outflows drive stock below zero (see Valuation for
	// the valuation rule). Off by default: such outflows fail with
	// ErrInsufficientStock.
	AllowNegative bool
	CreatedAt     time.Time
}

const (
	maxCodeLen = 64
	maxNameLen = 256
	maxTextLen = 1024
)

// ValidateTenant checks a tenant ID.
func ValidateTenant(tenant string) error {
	if tenant == "" || len(tenant) > maxCodeLen || strings.TrimSpace(tenant) != tenant || !printable(tenant) {
		return fmt.Errorf("%w: %q", ErrInvalidTenant, tenant)
	}
	return nil
}

func validCode(code string) bool {
	if code == "" || len(code) > maxCodeLen {
		return false
	}
	for _, r := range code {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return true
}

func validName(s string) bool {
	return strings.TrimSpace(s) != "" && len(s) <= maxNameLen && printable(s)
}

func (u Unit) normalize() (Unit, error) {
	u.Name = strings.TrimSpace(u.Name)
	if !validCode(u.Code) || !validName(u.Name) {
		return u, fmt.Errorf("%w: code and name are required", ErrInvalidUnit)
	}
	if u.Decimals < 0 || u.Decimals > QuantityScale {
		return u, fmt.Errorf("%w: decimals %d not in 0..%d", ErrInvalidUnit, u.Decimals, QuantityScale)
	}
	return u, nil
}

func (c Category) normalize() (Category, error) {
	c.Name = strings.TrimSpace(c.Name)
	if !validCode(c.Code) || !validName(c.Name) {
		return c, fmt.Errorf("%w: code and name are required", ErrInvalidCategory)
	}
	a := c.Accounts
	for name, code := range map[string]string{"inventory": a.Inventory, "expense": a.Expense, "GR/IR": a.GRIR,
		"price variance": a.PriceVariance, "adjustment": a.Adjustment} {
		if !validCode(code) {
			return c, fmt.Errorf("%w: %s account %q", ErrInvalidCategory, name, code)
		}
	}
	return c, nil
}

func (l Location) normalize() (Location, error) {
	l.Name = strings.TrimSpace(l.Name)
	if !validCode(l.Code) || !validName(l.Name) {
		return l, fmt.Errorf("%w: code and name are required", ErrInvalidLocation)
	}
	if l.Kind == "" {
		l.Kind = Warehouse
	}
	if l.Kind != Warehouse && l.Kind != SiteStore && l.Kind != Vehicle {
		return l, fmt.Errorf("%w: kind %q", ErrInvalidLocation, l.Kind)
	}
	if l.InventoryAccount != "" && !validCode(l.InventoryAccount) {
		return l, fmt.Errorf("%w: inventory account %q", ErrInvalidLocation, l.InventoryAccount)
	}
	return l, nil
}

func (it Item) normalize() (Item, error) {
	it.Name = strings.TrimSpace(it.Name)
	if !validCode(it.Code) || !validName(it.Name) {
		return it, fmt.Errorf("%w: code and name are required", ErrInvalidItem)
	}
	if !validCode(it.Category) || !validCode(it.StockUnit) {
		return it, fmt.Errorf("%w: category and stock unit are required", ErrInvalidItem)
	}
	if it.Method == "" {
		it.Method = MovingAverage
	}
	if !it.Method.Valid() {
		return it, fmt.Errorf("%w: valuation method %q", ErrInvalidItem, it.Method)
	}
	if len(it.VATCategory) > maxCodeLen || len(it.HSCode) > maxCodeLen {
		return it, fmt.Errorf("%w: VAT category or HS code too long", ErrInvalidItem)
	}
	it.StandardCosts = slices.Clone(it.StandardCosts)
	slices.SortStableFunc(it.StandardCosts, func(a, b StandardCost) int { return a.From.Compare(b.From) })
	for i, s := range it.StandardCosts {
		if !s.From.Valid() {
			return it, fmt.Errorf("%w: standard cost date %s", ErrInvalidItem, s.From)
		}
		if i > 0 && s.From == it.StandardCosts[i-1].From {
			return it, fmt.Errorf("%w: two standard costs from %s", ErrInvalidItem, s.From)
		}
		if _, err := stdRatio(s.Cost, 4); err != nil {
			return it, err
		}
	}
	if it.Method == Standard && len(it.StandardCosts) == 0 {
		return it, fmt.Errorf("%w: a standard-cost item needs a standard cost", ErrInvalidItem)
	}
	seen := map[string]bool{it.StockUnit: true}
	it.Conversions = slices.Clone(it.Conversions)
	for _, c := range it.Conversions {
		if !validCode(c.Unit) || seen[c.Unit] {
			return it, fmt.Errorf("%w: conversion unit %q missing or repeated", ErrInvalidItem, c.Unit)
		}
		seen[c.Unit] = true
		if !c.Factor.IsPositive() || !c.Factor.Equal(c.Factor.Truncate(QuantityScale)) {
			return it, fmt.Errorf("%w: conversion factor %s of %s", ErrInvalidItem, c.Factor.String(), c.Unit)
		}
	}
	return it, nil
}

// factor returns the stock units per unit u, or ErrWrongUnit.
func (it Item) factor(u string) (decimal.Decimal, error) {
	if u == "" || u == it.StockUnit {
		return decimal.NewFromInt(1), nil
	}
	for _, c := range it.Conversions {
		if c.Unit == u {
			return c.Factor, nil
		}
	}
	return decimal.Decimal{}, fmt.Errorf("%w: %s does not move in %s", ErrWrongUnit, it.Code, u)
}
