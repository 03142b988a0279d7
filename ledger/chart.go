package ledger

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
)

// ChartBangladesh returns the default chart of accounts for a Bangladeshi
// trading, rental and mining company: cash and bank, receivables, VDS
// receivable, inventory, GR/IR clearing, fixed assets and accumulated
// depreciation, payables, VAT output and input, SD and VDS payable, salaries
// payable, income tax withheld, equity, retained earnings, sales, rental
// revenue, cost of goods sold, repairs, fuel, salaries, depreciation and FX
// gain/loss. Install it with InstallChart; adapt the copy freely first.
func ChartBangladesh() []Account {
	a := func(code, name string, t AccountType, parent string) Account {
		return Account{Code: code, Name: name, Type: t, Parent: parent}
	}
	contra := func(acc Account) Account { acc.NormalSide = acc.Type.NormalSide().Opposite(); return acc }
	return []Account{
		a("1000", "Assets", Asset, ""),
		a("1100", "Cash and bank", Asset, "1000"),
		a("1110", "Cash in hand", Asset, "1100"),
		a("1120", "Bank accounts", Asset, "1100"),
		a("1200", "Receivables", Asset, "1000"),
		a("1210", "Trade receivables", Asset, "1200"),
		a("1220", "VDS receivable (VAT deducted at source by customers)", Asset, "1200"),
		a("1230", "Advance income tax (AIT) receivable", Asset, "1200"),
		a("1300", "Inventory", Asset, "1000"),
		a("1310", "Trading goods", Asset, "1300"),
		a("1320", "Spare parts and consumables", Asset, "1300"),
		a("1330", "Fuel and lubricants stock", Asset, "1300"),
		a("1400", "VAT input (current account)", Asset, "1000"),
		a("1500", "Fixed assets", Asset, "1000"),
		a("1510", "Plant and heavy equipment", Asset, "1500"),
		a("1520", "Vehicles", Asset, "1500"),
		a("1530", "Buildings and site installations", Asset, "1500"),
		a("1540", "Office equipment", Asset, "1500"),
		contra(a("1590", "Accumulated depreciation", Asset, "1500")),
		a("2000", "Liabilities", Liability, ""),
		a("2100", "Trade payables", Liability, "2000"),
		a("2110", "GR/IR clearing (goods received, not invoiced)", Liability, "2000"),
		a("2200", "Taxes payable", Liability, "2000"),
		a("2210", "VAT output", Liability, "2200"),
		a("2220", "Supplementary duty (SD) payable", Liability, "2200"),
		a("2230", "VDS payable (VAT deducted at source from suppliers)", Liability, "2200"),
		a("2240", "Income tax withheld (TDS) payable", Liability, "2200"),
		a("2300", "Salaries payable", Liability, "2000"),
		a("2400", "Customer advances and rental deposits", Liability, "2000"),
		a("2500", "Loans", Liability, "2000"),
		a("3000", "Equity", Equity, ""),
		a("3100", "Share capital", Equity, "3000"),
		a("3200", "Retained earnings", Equity, "3000"),
		a("4000", "Revenue", Revenue, ""),
		a("4100", "Sales", Revenue, "4000"),
		a("4200", "Equipment rental revenue", Revenue, "4000"),
		a("4300", "Mining contract revenue", Revenue, "4000"),
		a("4900", "Other income", Revenue, "4000"),
		a("5000", "Cost of sales", Expense, ""),
		a("5100", "Cost of goods sold", Expense, "5000"),
		a("5200", "Repairs and maintenance", Expense, "5000"),
		a("5300", "Fuel", Expense, "5000"),
		a("6000", "Operating expenses", Expense, ""),
		a("6100", "Salaries and wages", Expense, "6000"),
		a("6200", "Depreciation", Expense, "6000"),
		a("6300", "Rent", Expense, "6000"),
		a("6400", "Utilities", Expense, "6000"),
		a("6500", "Bank charges", Expense, "6000"),
		a("6600", "Foreign exchange gain/loss", Expense, "6000"),
	}
}

// InstallChart creates the accounts in one transaction: all or none. A
// parent must come before its children (or exist already). Errors:
// *ChartError naming the account, wrapping ErrInvalidAccount,
// ErrAccountExists, ErrAccountNotFound (the parent), ErrParentType,
// ErrInvalidChart (a code twice).
func (l *Ledger) InstallChart(ctx context.Context, tenant string, accounts []Account) ([]Account, error) {
	if err := validateTenant(tenant); err != nil {
		return nil, err
	}
	out := make([]Account, len(accounts))
	seen := map[string]Account{}
	now := l.timestamp()
	for i, a := range accounts {
		n, err := normalizeAccount(a)
		if err != nil {
			return nil, &ChartError{Code: a.Code, Err: err}
		}
		if _, dup := seen[n.Code]; dup {
			return nil, &ChartError{Code: n.Code, Err: fmt.Errorf("%w: code %s twice", ErrInvalidChart, n.Code)}
		}
		if n.Parent != "" {
			p, ok := seen[n.Parent]
			if !ok {
				var err error
				if p, err = l.store.Account(ctx, tenant, n.Parent); err != nil {
					return nil, &ChartError{Code: n.Code, Err: fmt.Errorf("parent %s: %w", n.Parent, err)}
				}
			}
			if p.Type != n.Type {
				return nil, &ChartError{Code: n.Code, Err: fmt.Errorf("%w: %s is %s, parent %s is %s", ErrParentType, n.Code, n.Type, p.Code, p.Type)}
			}
		}
		n.ID = uuid.Must(uuid.NewV7())
		n.CreatedAt = now
		seen[n.Code] = n
		out[i] = n
	}
	if err := l.store.CreateAccounts(ctx, tenant, out); err != nil {
		var ce *ChartError
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, &ChartError{Err: err}
	}
	return out, nil
}

// ChartError is a chart that could not be installed, naming the account.
type ChartError struct {
	Code string // the account's code; empty when not known
	Line int    // the CSV line (1 is the header); 0 when not from CSV
	Err  error
}

func (e *ChartError) Error() string {
	var b strings.Builder
	b.WriteString("ledger: chart")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " account %s", e.Code)
	}
	return b.String() + ": " + e.Err.Error()
}

func (e *ChartError) Unwrap() error { return e.Err }

// chartColumns are the CSV columns, in the order WriteChartCSV writes them.
var chartColumns = []string{"code", "name", "type", "parent", "normal_side", "currencies", "blocked"}

// WriteChartCSV writes accounts as CSV with a header: code, name, type,
// parent, normal_side, currencies (space-separated), blocked (true/false).
func WriteChartCSV(w io.Writer, accounts []Account) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(chartColumns)
	for _, a := range accounts {
		side := a.NormalSide
		if side == "" {
			side = a.Type.NormalSide()
		}
		_ = cw.Write([]string{a.Code, a.Name, string(a.Type), a.Parent, string(side),
			strings.Join(a.Currencies, " "), fmt.Sprint(a.Blocked)})
	}
	cw.Flush()
	return cw.Error()
}

// ReadChartCSV reads accounts from CSV with a header naming the columns
// (any order): code, name and type are required; parent, normal_side,
// currencies (space-separated) and blocked are optional; other columns are
// ignored. Errors are *ChartError with the line, wrapping ErrInvalidChart
// or the account's validation error.
func ReadChartCSV(r io.Reader) ([]Account, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, &ChartError{Line: 1, Err: fmt.Errorf("%w: no header: %v", ErrInvalidChart, err)}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, req := range []string{"code", "name", "type"} {
		if _, ok := col[req]; !ok {
			return nil, &ChartError{Line: 1, Err: fmt.Errorf("%w: no %q column", ErrInvalidChart, req)}
		}
	}
	var out []Account
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, &ChartError{Line: line, Err: fmt.Errorf("%w: %v", ErrInvalidChart, err)}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		a := Account{Code: get("code"), Name: get("name"), Type: AccountType(strings.ToLower(get("type"))),
			Parent: get("parent"), NormalSide: Side(strings.ToLower(get("normal_side"))),
			Currencies: strings.Fields(get("currencies"))}
		switch strings.ToLower(get("blocked")) {
		case "", "false", "no", "0":
		case "true", "yes", "1":
			a.Blocked = true
		default:
			return nil, &ChartError{Line: line, Code: a.Code, Err: fmt.Errorf("%w: blocked %q", ErrInvalidChart, get("blocked"))}
		}
		if _, err := normalizeAccount(a); err != nil {
			return nil, &ChartError{Line: line, Code: a.Code, Err: err}
		}
		out = append(out, a)
	}
}
