package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// revalued are the existing lines whose values a backdated movement
// changed: lines with their new values, and their old values and
// variances by index.
type revalued struct {
	lines                 []HistoryLine
	oldValue, oldVariance []int64
}

// maxRevaluePasses bounds the passes over an item's stores when transfers
// carry changed values from one store to another.
const maxRevaluePasses = 64

// revalue inserts the new lines of a backdated movement into the item's
// history and values the whole history again, in every store of the item
// (transfers carry values between stores), locking all its stock rows. It
// returns the existing lines whose values changed and the new stock rows;
// the new lines in p.lines get their values.
func (e *Engine) revalue(ctx context.Context, tx Store, tenant string, p posting, locked []Stock) (revalued, []Stock, error) {
	all, err := tx.LockInventoryStock(ctx, tenant, p.item.Code, nil)
	if err != nil {
		return revalued{}, nil, err
	}
	rows := map[string]Stock{}
	for _, s := range all {
		rows[s.Location] = s
	}
	for _, s := range locked {
		if _, ok := rows[s.Location]; !ok {
			rows[s.Location] = s
		}
	}
	stored, err := tx.InventoryHistory(ctx, tenant, p.item.Code, ledger.Date{})
	if err != nil {
		return revalued{}, nil, err
	}
	// Amounts in minor units: f ten-thousandths each.
	f := pow10(AmountScale - int(p.minor))
	n := len(stored)
	lines := slices.Grow(stored, len(p.lines))
	for _, l := range p.lines {
		h, err := historyLine(l)
		if err != nil {
			return revalued{}, nil, err
		}
		lines = append(lines, h)
	}
	// Values as they are, in minor units (the new lines have none yet).
	type amounts struct {
		basis, value, variance int64
		hasBasis               bool
	}
	old := make([]amounts, len(lines))
	for i := range lines {
		l := &lines[i]
		if l.Basis%f != 0 || l.Value%f != 0 || l.Variance%f != 0 {
			return revalued{}, nil, fmt.Errorf("%w: a line of %s holds an amount finer than %s allows", ErrOutOfRange, p.item.Code, e.currency.Code)
		}
		old[i] = amounts{l.Basis / f, l.Value / f, l.Variance / f, l.HasBasis}
	}

	// Lines by store, in date and entry order; transfer legs by movement.
	byLoc := map[string][]int{}
	inLeg := map[uuid.UUID]int{}
	for i := range lines {
		l := &lines[i]
		byLoc[l.Location] = append(byLoc[l.Location], i)
		if l.Kind == Transfer && l.Leg == 1 {
			inLeg[l.Movement] = i
		}
	}
	locs := map[string]Location{p.from.Code: p.from}
	if p.to.Code != "" {
		locs[p.to.Code] = p.to
	}
	for code, idx := range byLoc {
		// (Date, Seq) is unique in a store: an unstable sort is exact, and
		// fast on the mostly sorted order the stores return.
		slices.SortFunc(idx, func(a, b int) int {
			if c := lines[a].Date.Compare(lines[b].Date); c != 0 {
				return c
			}
			return cmp.Compare(lines[a].Seq, lines[b].Seq)
		})
		if _, ok := locs[code]; !ok {
			l, err := tx.InventoryLocation(ctx, tenant, code)
			if err != nil {
				return revalued{}, nil, err
			}
			locs[code] = l
		}
	}
	// Quantities, bases and standard costs as valuation moves, once.
	moves := make([]vmove, len(lines))
	var std ratio
	var stdDate ledger.Date
	for i := range lines {
		l := &lines[i]
		mv := vmove{qty: l.Qty, hasBasis: old[i].hasBasis}
		if mv.hasBasis {
			mv.basis = old[i].basis
		}
		if p.item.Method == Standard {
			if stdDate.IsZero() || l.Date != stdDate {
				if std, err = stdRatio(p.item.StandardCostOn(l.Date), p.minor); err != nil {
					return revalued{}, nil, err
				}
				stdDate = l.Date
			}
			mv.std = std
		}
		moves[i] = mv
	}
	values := make([]amounts, len(lines))
	states := map[string]vstate{}
	dirty := map[string]bool{}
	for code := range byLoc {
		dirty[code] = true
	}
	for pass := 0; len(dirty) > 0; pass++ {
		if pass >= maxRevaluePasses {
			return revalued{}, nil, fmt.Errorf("%w: transfers of %s do not settle", ErrOutOfRange, p.item.Code)
		}
		codes := make([]string, 0, len(dirty))
		for c := range dirty {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		dirty = map[string]bool{}
		for _, code := range codes {
			var st vstate
			allow := locs[code].AllowNegative
			for _, i := range byLoc[code] {
				l := &lines[i]
				mv := moves[i]
				r, err := st.apply(p.item.Method, mv, allow)
				if err != nil {
					return revalued{}, nil, shortageError(err, p.item.Code, l.Location, "")
				}
				values[i].value, values[i].variance = r.value, r.variance
				values[i].basis, values[i].hasBasis = mv.basis, mv.hasBasis
				if l.Kind == Transfer && l.Leg == 0 {
					j, ok := inLeg[l.Movement]
					if ok && (!moves[j].hasBasis || moves[j].basis != -r.value) {
						moves[j].basis, moves[j].hasBasis = -r.value, true
						dirty[lines[j].Location] = true
					}
				}
			}
			states[code] = st
		}
	}
	differs := func(i int) bool {
		v, o := values[i], old[i]
		return v.value != o.value || v.variance != o.variance || v.hasBasis != o.hasBasis || v.basis != o.basis
	}
	k := 0
	for i := range n {
		if differs(i) {
			k++
		}
	}
	changed := revalued{lines: make([]HistoryLine, 0, k), oldValue: make([]int64, 0, k), oldVariance: make([]int64, 0, k)}
	for i := range n {
		if differs(i) {
			l := lines[i]
			changed.oldValue = append(changed.oldValue, l.Value)
			changed.oldVariance = append(changed.oldVariance, l.Variance)
			v := values[i]
			l.Value, l.Variance, l.HasBasis, l.Basis = v.value*f, v.variance*f, v.hasBasis, v.basis*f
			changed.lines = append(changed.lines, l)
		}
	}
	for k := range p.lines {
		v := values[n+k]
		nl := &p.lines[k]
		nl.Value = decimal.New(v.value, -p.minor)
		nl.Variance = decimal.New(v.variance, -p.minor)
		if v.hasBasis {
			nl.Basis, nl.HasBasis = decimal.New(v.basis, -p.minor), true
		}
	}
	var out []Stock
	for code, idx := range byLoc {
		s := rows[code]
		if s.Item == "" {
			s.Item, s.Location = p.item.Code, code
		}
		last := lines[idx[len(idx)-1]]
		s = fromState(s, states[code], p.minor, last.Date)
		for _, i := range idx {
			s.Seq = max(s.Seq, lines[i].Seq)
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Stock) int { return compareStrings(a.Location, b.Location) })
	return changed, out, nil
}

// historyLine is a new line in the compact form.
func historyLine(l StockLine) (HistoryLine, error) {
	q, err := toMicro(l.Qty)
	if err != nil {
		return HistoryLine{}, err
	}
	h := HistoryLine{Movement: l.Movement, Leg: l.Leg, Seq: l.Seq, Date: l.Date, Kind: l.Kind, Location: l.Location,
		Qty: q, HasBasis: l.HasBasis, InventoryAccount: l.InventoryAccount, CounterAccount: l.CounterAccount,
		VarianceAccount: l.VarianceAccount, Dimensions: l.Dimensions}
	for _, a := range []struct {
		d   decimal.Decimal
		out *int64
	}{{l.Basis, &h.Basis}, {l.Value, &h.Value}, {l.Variance, &h.Variance}} {
		v, ok := scaled(a.d, AmountScale)
		if !ok {
			return HistoryLine{}, fmt.Errorf("%w: amount %s", ErrOutOfRange, a.d.String())
		}
		*a.out = v
	}
	return h, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
