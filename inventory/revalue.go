package inventory

import (
	"context"
	"fmt"
	"slices"

	"github.com/erpkit/erpkit/ledger"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// revalued is an existing line whose values a backdated movement changed.
type revalued struct{ line, old StockLine }

// maxRevaluePasses bounds the passes over an item's stores when transfers
// carry changed values from one store to another.
const maxRevaluePasses = 64

type legKey struct {
	movement uuid.UUID
	leg      int
}

// revalue inserts the new lines of a backdated movement into the item's
// history and values the whole history again, in every store of the item
// (transfers carry values between stores), locking all its stock rows. It
// returns the existing lines whose values changed and the new stock rows;
// the new lines in p.lines get their values.
func (e *Engine) revalue(ctx context.Context, tx Store, tenant string, p posting, locked []Stock) ([]revalued, []Stock, error) {
	all, err := tx.LockInventoryStock(ctx, tenant, p.item.Code, nil)
	if err != nil {
		return nil, nil, err
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
	stored, err := tx.InventoryLines(ctx, tenant, p.item.Code, "", ledger.Date{})
	if err != nil {
		return nil, nil, err
	}
	n := len(stored)
	lines := append(stored, p.lines...)
	old := make([]StockLine, n)
	copy(old, stored)

	// Lines by store, in date and entry order; transfer legs by movement.
	byLoc := map[string][]int{}
	inLeg := map[uuid.UUID]int{}
	for i, l := range lines {
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
		slices.SortStableFunc(idx, func(a, b int) int {
			if c := lines[a].Date.Compare(lines[b].Date); c != 0 {
				return c
			}
			return cmpInt64(lines[a].Seq, lines[b].Seq)
		})
		if _, ok := locs[code]; !ok {
			l, err := tx.InventoryLocation(ctx, tenant, code)
			if err != nil {
				return nil, nil, err
			}
			locs[code] = l
		}
	}
	// Standard costs and quantities, converted once.
	moves := make([]vmove, len(lines))
	for i, l := range lines {
		if moves[i], err = e.move(p, l); err != nil {
			return nil, nil, err
		}
	}
	states := map[string]vstate{}
	dirty := map[string]bool{}
	for code := range byLoc {
		dirty[code] = true
	}
	for pass := 0; len(dirty) > 0; pass++ {
		if pass >= maxRevaluePasses {
			return nil, nil, fmt.Errorf("%w: transfers of %s do not settle", ErrOutOfRange, p.item.Code)
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
					return nil, nil, shortageError(err, l.Item, l.Location, "")
				}
				l.Value = decimal.New(r.value, -p.minor)
				l.Variance = decimal.New(r.variance, -p.minor)
				if l.Kind == Transfer && l.Leg == 0 {
					j, ok := inLeg[l.Movement]
					if ok && (!moves[j].hasBasis || moves[j].basis != -r.value) {
						moves[j].basis, moves[j].hasBasis = -r.value, true
						lines[j].Basis, lines[j].HasBasis = decimal.New(-r.value, -p.minor), true
						dirty[lines[j].Location] = true
					}
				}
			}
			states[code] = st
		}
	}
	var changed []revalued
	for i := range n {
		l, o := lines[i], old[i]
		if !l.Value.Equal(o.Value) || !l.Variance.Equal(o.Variance) || !l.Basis.Equal(o.Basis) || l.HasBasis != o.HasBasis {
			changed = append(changed, revalued{line: l, old: o})
		}
	}
	for k := range p.lines {
		p.lines[k] = lines[n+k]
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

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
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
