package inventory

import (
	"time"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Kind is the kind of a stock movement.
type Kind string

// The movement kinds.
const (
	// Receipt: goods received into Location at UnitCost (Dr inventory /
	// Cr GR/IR).
	Receipt Kind = "receipt"
	// Issue: goods issued from Location to a cost centre, equipment or work
	// order, given as Dimensions (Dr expense by dimension / Cr inventory).
	Issue Kind = "issue"
	// Transfer: goods moved from Location to To (Dr the receiving store's
	// inventory / Cr the sending store's).
	Transfer Kind = "transfer"
	// Adjustment: a stock count; Counted against the book quantity (Dr or
	// Cr inventory / the other side to stock adjustment).
	Adjustment Kind = "adjustment"
	// ReturnToVendor: goods sent back to the supplier from Location
	// (Dr GR/IR at UnitCost when given / Cr inventory; the difference to
	// price variance).
	ReturnToVendor Kind = "return_to_vendor"
	// ReturnFromIssue: issued goods coming back into Location (Dr
	// inventory / Cr expense by dimension), at UnitCost when given, else
	// at the current unit cost.
	ReturnFromIssue Kind = "return_from_issue"
)

// Valid reports whether k is one of the movement kinds.
func (k Kind) Valid() bool {
	switch k {
	case Receipt, Issue, Transfer, Adjustment, ReturnToVendor, ReturnFromIssue:
		return true
	}
	return false
}

// Movement is a stock movement of one item. Movements are immutable: a
// mistake is corrected by an opposite movement.
type Movement struct {
	ID   uuid.UUID // assigned when posted (UUIDv7)
	Kind Kind
	Date ledger.Date // business date
	// Reference is the source document (GRN, issue slip, count sheet).
	Reference string
	// IdempotencyKey, when set, makes posting safe to retry: the same key
	// with the same content returns the movement first posted; with other
	// content it fails with ErrIdempotencyConflict.
	IdempotencyKey string
	Item           string
	Location       string // the store moved from (outflows, transfers) or into (inflows)
	To             string // Transfer: the receiving store
	// Qty is the quantity moved, in Unit (the stock unit when empty);
	// positive. Adjustments use Counted instead.
	Qty  decimal.Decimal
	Unit string
	// UnitCost is the cost per Unit: required for a receipt (zero for free
	// goods); for a return to vendor the price paid; for a return from
	// issue or an adjustment that adds stock an optional cost (zero: the
	// current unit cost).
	UnitCost decimal.Decimal
	// Counted is an adjustment's counted quantity, in Unit.
	Counted decimal.Decimal
	// Dimensions of the expense posting of an issue or return from issue:
	// e.g. cost_centre=PIT1, equipment=EX-12, work_order=WO-7.
	Dimensions map[string]string
	Lot        string      // lot-tracked items
	Expiry     ledger.Date // a received lot's expiry date (optional)

	// Set when posted:
	StockQty  decimal.Decimal // the quantity moved, in stock units (signed for adjustments)
	Value     decimal.Decimal // the value moved (positive; for an adjustment, signed)
	EntryID   uuid.UUID       // the ledger entry (nil when the value is zero)
	CreatedAt time.Time
}

// StockLine is one line of an item's stock ledger in one store: the effect
// of a movement there. A transfer has two lines (leg 0 out, leg 1 in).
type StockLine struct {
	Movement uuid.UUID
	Leg      int
	// Seq orders the store's lines of the item with the same date: the
	// order of entry.
	Seq      int64
	Date     ledger.Date
	Kind     Kind
	Item     string
	Location string
	Qty      decimal.Decimal // signed, in stock units
	// Basis is the value at the movement's own cost, when HasBasis: a
	// receipt's purchase value, a return's price, a transfer-in's value
	// leaving the other store.
	Basis    decimal.Decimal
	HasBasis bool
	Value    decimal.Decimal // change of the store's stock value
	Variance decimal.Decimal // to price variance (debit positive)
	// The accounts the line posts to: the store's inventory account, the
	// other side (empty for transfer legs, which offset each other) and
	// price variance.
	InventoryAccount string
	CounterAccount   string
	VarianceAccount  string
	Dimensions       map[string]string
	Lot              string
	Expiry           ledger.Date
}

// AmountScale is the number of decimals HistoryLine amounts are kept with:
// every currency's minor units fit.
const AmountScale = 4

// HistoryLine is a stock line as a re-valuation reads and rewrites it: the
// quantity in millionths of the stock unit (QuantityScale) and the amounts
// in ten-thousandths of the currency (AmountScale), integers as both
// adapters store them, so that reading a long history does no decimal
// arithmetic. The fields mean what StockLine's do.
type HistoryLine struct {
	Movement                        uuid.UUID
	Leg                             int
	Seq                             int64 // unique in the item and store
	Date                            ledger.Date
	Kind                            Kind
	Location                        string
	Qty                             int64
	Basis                           int64
	HasBasis                        bool
	Value, Variance                 int64
	InventoryAccount                string
	CounterAccount, VarianceAccount string
	Dimensions                      map[string]string // read only; may be shared between lines
}

// Reservation is a reservation made under an idempotency key
// (ReserveOptions): the quantity set aside (negative: released) of an item
// in a store, and when.
type Reservation struct {
	Key      string
	Item     string
	Location string
	Qty      decimal.Decimal
	At       time.Time
}

// Stock is the position of one item in one store.
type Stock struct {
	Item, Location string
	Qty            decimal.Decimal // on hand, stock units
	Value          decimal.Decimal
	Reserved       decimal.Decimal // reserved for issue (Reserve)
	Layers         []Layer         // FIFO layers, oldest first
	// LastCost is the last known unit cost as a value and a quantity.
	LastCost Layer
	// LastDate and Seq are the date of the latest line and the number of
	// lines: a movement dated before LastDate is backdated.
	LastDate ledger.Date
	Seq      int64
}

// Available is on hand minus reserved.
func (s Stock) Available() decimal.Decimal { return s.Qty.Sub(s.Reserved) }

// Lot is the quantity of one lot of an item in one store.
type Lot struct {
	Item, Location, Lot string
	Expiry              ledger.Date // zero: none
	Qty                 decimal.Decimal
}

// StockFilter selects stock rows. Zero fields do not filter.
type StockFilter struct {
	Item     string
	Location string
	Category string
}

// StockValue is the stock of one item in one store as of a date.
type StockValue struct {
	Item, Location string
	Qty, Value     decimal.Decimal
}
