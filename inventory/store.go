package inventory

import (
	"context"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
)

// Store is the storage the Engine consumes. storage/sqlite and
// storage/postgres implement it; storage/storagetest holds the conformance
// suite both pass. Method names carry "Inventory" because one adapter type
// implements every engine's Store.
//
// Every method is scoped to one tenant and never reads or changes another
// tenant's rows. Single writes are atomic; InventoryTx groups several.
type Store interface {
	// CreateInventoryUnit inserts a validated unit. Errors: ErrUnitExists.
	CreateInventoryUnit(ctx context.Context, tenant string, u Unit) error
	// InventoryUnit returns the unit with the code, or ErrUnitNotFound.
	InventoryUnit(ctx context.Context, tenant, code string) (Unit, error)
	// PutInventoryCategory inserts or replaces a validated category.
	PutInventoryCategory(ctx context.Context, tenant string, c Category) error
	// InventoryCategory returns the category with the code, or ErrCategoryNotFound.
	InventoryCategory(ctx context.Context, tenant, code string) (Category, error)
	// CreateInventoryItem inserts a validated item. Errors: ErrItemExists.
	CreateInventoryItem(ctx context.Context, tenant string, it Item) error
	// UpdateInventoryItem loads the item with the code, calls fn with it and
	// stores what fn leaves (every field but Code, StockUnit and CreatedAt),
	// in one transaction. Errors: ErrItemNotFound; fn's error unchanged, with
	// nothing written.
	UpdateInventoryItem(ctx context.Context, tenant, code string, fn func(it *Item) error) (Item, error)
	// InventoryItem returns the item with the code, or ErrItemNotFound.
	InventoryItem(ctx context.Context, tenant, code string) (Item, error)
	// InventoryItems returns the tenant's items, ordered by code.
	InventoryItems(ctx context.Context, tenant string) ([]Item, error)
	// CreateInventoryLocation inserts a validated store. Errors: ErrLocationExists.
	CreateInventoryLocation(ctx context.Context, tenant string, l Location) error
	// InventoryLocation returns the store with the code, or ErrLocationNotFound.
	InventoryLocation(ctx context.Context, tenant, code string) (Location, error)
	// PutInventoryReorderRule inserts or replaces the rule of its item and store.
	PutInventoryReorderRule(ctx context.Context, tenant string, r ReorderRule) error
	// InventoryReorderRules returns the rules, ordered by store and item.
	InventoryReorderRules(ctx context.Context, tenant string) ([]ReorderRule, error)

	// InventoryTx runs fn in one transaction with this store and the ledger's
	// store bound to it: everything fn writes through either commits
	// together or not at all (committed when fn returns nil). The whole of
	// fn may be run again on a transient conflict, so fn must have no
	// effects outside the transaction. fn's error is returned unchanged.
	InventoryTx(ctx context.Context, fn func(tx Store, gl ledger.Store) error) error

	// LockInventoryStock returns the stock rows of the item in the stores
	// (a zero Stock for a pair that has none yet), ordered by store, and
	// locks them until the transaction ends, so that movements of one item
	// in one store run one after another in any number of processes. Call
	// it inside InventoryTx. An empty locations list locks every store
	// that holds the item.
	LockInventoryStock(ctx context.Context, tenant, item string, locations []string) ([]Stock, error)
	// PutInventoryStock writes stock rows (inserting missing ones).
	PutInventoryStock(ctx context.Context, tenant string, stock []Stock) error
	// SaveInventoryMovement inserts a movement and its lines, and adds each
	// line's quantity to its lot (when it names one). Errors:
	// ErrIdempotencyConflict when the movement's key is taken.
	SaveInventoryMovement(ctx context.Context, tenant string, m Movement, lines []StockLine) error
	// InventoryHistory returns the item's lines in every store dated on or
	// after from (all when zero), in the compact form a re-valuation reads,
	// in any order (the caller orders them by store, date and Seq). Lines
	// with the same Dimensions may share one map: callers must not change it.
	InventoryHistory(ctx context.Context, tenant, item string, from ledger.Date) ([]HistoryLine, error)
	// UpdateInventoryHistory sets Basis, HasBasis, Value and Variance of the
	// item's lines with the lines' store and Seq (a re-valuation; every
	// line exists, and Seq is unique in its item and store).
	UpdateInventoryHistory(ctx context.Context, tenant, item string, lines []HistoryLine) error
	// InventoryMovement returns the movement with the ID, or ErrMovementNotFound.
	InventoryMovement(ctx context.Context, tenant string, id uuid.UUID) (Movement, error)
	// InventoryMovementByKey returns the movement posted under the
	// idempotency key, or ErrMovementNotFound.
	InventoryMovementByKey(ctx context.Context, tenant, key string) (Movement, error)
	// InventoryLines returns the item's lines in the store (every store when
	// location is empty) dated on or before through (all when zero),
	// ordered by store, then date, then Seq.
	InventoryLines(ctx context.Context, tenant, item, location string, through ledger.Date) ([]StockLine, error)
	// InventoryStock returns the stock rows f selects, ordered by item and store.
	InventoryStock(ctx context.Context, tenant string, f StockFilter) ([]Stock, error)
	// InventoryValues returns, for each item and store f selects with lines
	// dated on or before asOf, the sums of their quantities and values,
	// ordered by item and store.
	InventoryValues(ctx context.Context, tenant string, asOf ledger.Date, f StockFilter) ([]StockValue, error)
	// InventoryReservation returns the reservation made under the
	// idempotency key, found false when there is none.
	InventoryReservation(ctx context.Context, tenant, key string) (r Reservation, found bool, err error)
	// SaveInventoryReservation records a reservation made under its key.
	// Errors: ErrIdempotencyConflict when the key is taken.
	SaveInventoryReservation(ctx context.Context, tenant string, r Reservation) error
	// InventoryLots returns the item's lots in the store with a quantity
	// other than zero, by expiry (lots without one last), then lot.
	InventoryLots(ctx context.Context, tenant, item, location string) ([]Lot, error)
}
