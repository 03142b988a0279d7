package storagetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/erpkit/erpkit/inventory"
	"github.com/erpkit/erpkit/ledger"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"
)

// InventoryProperties: random histories of one item over two stores
// (receipts, transfers, issues, each on its own business date) entered in
// a random order - receipts first, then transfers, then issues, each group
// shuffled, so every prefix is feasible and most entries are backdated -
// value the same as entered in date order, and after every entry the stock
// value equals the inventory accounts' ledger balance, as of every date.
// The seed is printed on failure (ERPKIT_SEED replays it).
func InventoryProperties(t *testing.T, st InventoryStore, short bool) {
	seed := PropertySeed(t)
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 12
	if short {
		params.MinSuccessfulTests = 4
	}
	params.MaxShrinkCount = 10
	props := gopter.NewProperties(params)
	items := []string{"P-FIFO", "P-AVG", "P-STD"}
	props.Property("order of entry does not change the valuation; stock value equals the ledger", prop.ForAll(
		func(ops []int) string { return invRunOrder(t, st, items[ops[0]%3], ops) },
		gen.SliceOfN(16, gen.IntRange(0, 1<<24))))
	props.TestingRun(t)
}

func invRunOrder(t *testing.T, st InventoryStore, item string, ops []int) string {
	ctx, eng, gl, late := invSetup(t, st)
	_, _, _, inOrder := invSetup(t, st)
	// The history in date order, one movement per day, feasible.
	var hist []inventory.Movement
	have := map[string]int{}
	for i, op := range ops {
		day := i + 1
		q := 1 + op%9
		switch {
		case op%4 == 1 && have["MAIN"] >= q:
			hist = append(hist, inventory.Movement{Kind: inventory.Transfer, Date: invDay(day), Item: item, Location: "MAIN", To: "SITE", Qty: decimal.NewFromInt(int64(q))})
			have["MAIN"] -= q
			have["SITE"] += q
		case op%4 == 2 && have["MAIN"] >= q:
			hist = append(hist, invIssue(item, "MAIN", day, strconv.Itoa(q)))
			have["MAIN"] -= q
		case op%4 == 3 && have["SITE"] >= q:
			hist = append(hist, invIssue(item, "SITE", day, strconv.Itoa(q)))
			have["SITE"] -= q
		default:
			hist = append(hist, invReceipt(item, "MAIN", day, strconv.Itoa(q), fmt.Sprintf("%d.%02d", 1+op>>10%50, op>>5%100)))
			have["MAIN"] += q
		}
	}
	for _, m := range hist {
		if _, err := eng.Post(ctx, inOrder, m); err != nil {
			return "in date order: " + err.Error()
		}
	}
	rng := rand.New(rand.NewPCG(uint64(ops[0]), uint64(ops[1])))
	group := func(k inventory.Kind) []inventory.Movement {
		var g []inventory.Movement
		for _, m := range hist {
			if m.Kind == k {
				g = append(g, m)
			}
		}
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		return g
	}
	var entry []inventory.Movement
	for _, k := range []inventory.Kind{inventory.Receipt, inventory.Transfer, inventory.Issue} {
		entry = append(entry, group(k)...)
	}
	for _, m := range entry {
		if _, err := eng.Post(ctx, late, m); err != nil {
			return fmt.Sprintf("entering %s of day %s: %v", m.Kind, m.Date, err)
		}
		if msg := invLedgerAgrees(ctx, eng, gl, late, ledger.Date{}); msg != "" {
			return msg
		}
	}
	for _, loc := range []string{"MAIN", "SITE"} {
		a, err := eng.OnHand(ctx, late, inventory.StockFilter{Item: item, Location: loc})
		if err != nil {
			return err.Error()
		}
		b, err := eng.OnHand(ctx, inOrder, inventory.StockFilter{Item: item, Location: loc})
		if err != nil {
			return err.Error()
		}
		if len(a) != len(b) || len(a) == 1 && (!a[0].Qty.Equal(b[0].Qty) || !a[0].Value.Equal(b[0].Value)) {
			return fmt.Sprintf("%s %s: entered %v, in order %v", item, loc, a, b)
		}
	}
	for d := 1; d <= len(hist); d++ {
		for _, acct := range []string{"1400", "1410", "2100", "5100", "5200"} {
			x, err := gl.Balance(ctx, late, acct, "BDT", invDay(d))
			if err != nil {
				return err.Error()
			}
			y, err := gl.Balance(ctx, inOrder, acct, "BDT", invDay(d))
			if err != nil {
				return err.Error()
			}
			if !x.Balance.Equal(y.Balance) {
				return fmt.Sprintf("%s %s as of day %d: entered %s, in order %s", item, acct, d, x.Balance, y.Balance)
			}
		}
		if msg := invLedgerAgrees(ctx, eng, gl, late, invDay(d)); msg != "" {
			return msg
		}
	}
	return ""
}

func invLedgerAgrees(ctx context.Context, eng *inventory.Engine, gl *ledger.Ledger, tn string, asOf ledger.Date) string {
	rep, err := eng.ValueReport(ctx, tn, asOf, inventory.StockFilter{})
	if err != nil {
		return err.Error()
	}
	total := decimal.Zero
	for _, a := range invInventoryAccounts {
		b, err := gl.Balance(ctx, tn, a, "BDT", asOf)
		if err != nil {
			return err.Error()
		}
		total = total.Add(b.Balance)
	}
	if !total.Equal(rep.Total) {
		return fmt.Sprintf("as of %s: stock value %s, inventory accounts %s", asOf, rep.Total, total)
	}
	return ""
}
