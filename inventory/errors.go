package inventory

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// Sentinel errors of the engine and its Store. Every error for bad input
// wraps one of them (match with errors.Is); details are in the typed errors
// below. Bad input is rejected before anything is written.
var (
	// ErrInvalidTenant: the tenant ID is empty or malformed.
	ErrInvalidTenant = errors.New("inventory: invalid tenant")
	// ErrInvalidUnit: a unit of measure's fields are missing or malformed.
	ErrInvalidUnit = errors.New("inventory: invalid unit")
	// ErrUnitExists: a unit with that code exists for the tenant.
	ErrUnitExists = errors.New("inventory: unit already exists")
	// ErrUnitNotFound: no unit with that code for the tenant.
	ErrUnitNotFound = errors.New("inventory: unknown unit")
	// ErrWrongUnit: the item has no conversion to the unit given.
	ErrWrongUnit = errors.New("inventory: unit not convertible for the item")
	// ErrTooManyDecimals: a quantity has more decimals than its unit allows.
	ErrTooManyDecimals = errors.New("inventory: quantity has more decimals than the unit allows")
	// ErrInvalidCategory: an item category's fields are missing or malformed.
	ErrInvalidCategory = errors.New("inventory: invalid category")
	// ErrCategoryNotFound: no category with that code for the tenant.
	ErrCategoryNotFound = errors.New("inventory: unknown category")
	// ErrInvalidItem: an item's fields are missing or malformed.
	ErrInvalidItem = errors.New("inventory: invalid item")
	// ErrItemExists: an item with that code exists for the tenant.
	ErrItemExists = errors.New("inventory: item already exists")
	// ErrItemNotFound: no item with that code for the tenant.
	ErrItemNotFound = errors.New("inventory: unknown item")
	// ErrInvalidLocation: a store's (location's) fields are missing or malformed.
	ErrInvalidLocation = errors.New("inventory: invalid store")
	// ErrLocationExists: a store with that code exists for the tenant.
	ErrLocationExists = errors.New("inventory: store already exists")
	// ErrLocationNotFound: no store with that code for the tenant.
	ErrLocationNotFound = errors.New("inventory: unknown store")
	// ErrInvalidMovement: a movement's fields are missing or malformed
	// (kind, date, quantity, cost, transfer to the same store, ...).
	ErrInvalidMovement = errors.New("inventory: invalid movement")
	// ErrInsufficientStock: an outflow exceeds the stock on hand; see
	// InsufficientStockError.
	ErrInsufficientStock = errors.New("inventory: insufficient stock")
	// ErrLotRequired: a movement of a lot-tracked item names no lot.
	ErrLotRequired = errors.New("inventory: lot required")
	// ErrIdempotencyConflict: the idempotency key was used for another movement.
	ErrIdempotencyConflict = errors.New("inventory: idempotency key reused with different content")
	// ErrMovementNotFound: no movement with that ID or key for the tenant.
	ErrMovementNotFound = errors.New("inventory: movement not found")
	// ErrOutOfRange: a quantity or value is too large to be kept exactly.
	ErrOutOfRange = errors.New("inventory: quantity or value out of range")
	// ErrInvalidQuery: a query's or reorder rule's parameters are malformed.
	ErrInvalidQuery = errors.New("inventory: invalid query")
)

// InsufficientStockError names the item, store, quantity available and
// quantity requested of an outflow that would drive stock below zero. It
// matches ErrInsufficientStock.
type InsufficientStockError struct {
	Item, Location string
	Lot            string // set when a lot's quantity is short
	Available      decimal.Decimal
	Requested      decimal.Decimal
}

func (e *InsufficientStockError) Error() string {
	lot := ""
	if e.Lot != "" {
		lot = " lot " + e.Lot
	}
	return fmt.Sprintf("inventory: insufficient stock of %s%s in %s: available %s, requested %s",
		e.Item, lot, e.Location, e.Available.String(), e.Requested.String())
}

// Is makes an InsufficientStockError match ErrInsufficientStock.
func (e *InsufficientStockError) Is(target error) bool { return target == ErrInsufficientStock }
