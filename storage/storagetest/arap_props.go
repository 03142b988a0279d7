package storagetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

// testARProperties runs random sequences of invoices, bills, receipts,
// payments, later allocations and credit notes, and checks after every
// step that: each control account equals the sum of its side's open items
// (current and as of each day); no document is allocated beyond its total
// and none has a negative open amount; every document's totals equal the
// sum of its lines; the trial balance balances; serials are gapless; a fully
// credited invoice has nothing open; the serials of invoices, credit notes,
// receipts and payments are gapless. Draft invoices, receipts, payments
// and credit notes carry idempotency keys and are sometimes sent twice:
// the second call returns the first's document, and the checks above find
// nothing added.
func testARProperties(t *testing.T, st ARStore) {
	params := gopter.DefaultTestParametersWithSeed(PropertySeed(t))
	params.MinSuccessfulTests = 25
	params.MaxShrinkCount = 10
	props := gopter.NewProperties(params)
	step := gen.SliceOfN(5, gen.IntRange(0, 1<<20))
	props.Property("arap invariants", prop.ForAll(func(steps [][]int) string {
		return arRunSequence(t, st, steps)
	}, gen.SliceOfN(14, step)))
	props.TestingRun(t, gopter.ConsoleReporter(false))
}

func arRunSequence(t *testing.T, st ARStore, steps [][]int) string {
	e := arSetup(t, st)
	customers := []string{"C1", "C2", "C3"}
	var invoices, bills, receipts []arap.Document
	for i, v := range steps {
		day := 1 + i
		at := arAt(day, 10)
		date := ledger.NewDate(2026, 7, day)
		var desc string
		var err error
		switch v[0] % 6 {
		case 0, 1: // an invoice of 1 to 3 lines
			desc = "invoice"
			var lines []arap.Line
			for j := 0; j <= v[1]%3; j++ {
				rate := vat.StandardRate()
				if (v[2]+j)%4 == 0 {
					rate = vat.PercentRate(vat.Reduced, "5")
				}
				sd := ""
				if (v[3]+j)%5 == 0 {
					sd = "20"
				}
				lines = append(lines, arLine("Item", fmt.Sprint(1+(v[2]+j)%7), decimal.New(int64(100+v[3]%99900+j), -2).String(), rate, sd))
			}
			req := arap.DraftRequest{Party: customers[v[4]%3], Lines: lines, IdempotencyKey: fmt.Sprint("inv-", i)}
			d, err2 := e.eng.CreateInvoice(e.ctx, e.tn, req)
			if err2 != nil {
				return fmt.Sprintf("step %d draft: %v", i, err2)
			}
			var is arap.IssueResult
			is, err = e.eng.IssueInvoice(e.ctx, e.tn, d.ID, arap.IssueOptions{At: at})
			if err == nil {
				invoices = append(invoices, is.Document)
				if v[3]%2 == 0 { // the front end sends the draft again
					again, err := e.eng.CreateInvoice(e.ctx, e.tn, req)
					if err != nil || again.ID != d.ID || again.Status != arap.Issued {
						return fmt.Sprintf("step %d: retried draft: %v, %s (%s) for %s", i, err, again.ID, again.Status, d.ID)
					}
				}
			}
		case 2: // a receipt allocated to up to two open invoices, partly
			desc = "receipt"
			party := customers[v[1]%3]
			amt := decimal.New(int64(1+v[2]%300000), -2)
			var applies []arap.Apply
			left := amt
			for _, inv := range invoices {
				cur := e.doc(t, inv.ID)
				if cur.Party != party || cur.Open.IsZero() || left.IsZero() || len(applies) == 2 {
					continue
				}
				a := decimal.Min(cur.Open, left)
				if v[3]%2 == 0 {
					a = decimal.Min(a, cur.Open.Div(decimal.NewFromInt(2)).Round(2))
				}
				if a.Sign() > 0 {
					applies = append(applies, arap.Apply{Document: cur.ID, Amount: a})
					left = left.Sub(a)
				}
			}
			req := arap.MoneyRequest{Party: party, Date: date, Channel: arap.Bank, Amount: amt, Allocations: applies,
				IdempotencyKey: fmt.Sprint("rc-", i)}
			var r arap.Received
			r, err = e.eng.Receive(e.ctx, e.tn, req)
			if err == nil {
				receipts = append(receipts, r.Document)
				if v[4]%2 == 0 { // the client did not hear back and sends it again
					again, err := e.eng.Receive(e.ctx, e.tn, req)
					if err != nil || again.Document.ID != r.Document.ID {
						return fmt.Sprintf("step %d: retried receipt: %v, %s for %s", i, err, again.Document.ID, r.Document.ID)
					}
				}
			}
		case 3: // a credit note, sometimes of everything left
			if len(invoices) == 0 {
				continue
			}
			desc = "credit note"
			inv := e.doc(t, invoices[v[1]%len(invoices)].ID)
			if inv.Status == arap.Cancelled {
				_, err = e.eng.CancelInvoice(e.ctx, e.tn, inv.ID, "again", arap.IssueOptions{At: at})
				if !errors.Is(err, arap.ErrCancelled) {
					return fmt.Sprintf("step %d: cancelling a cancelled invoice: %v", i, err)
				}
				continue
			}
			if inv.Credited.IsZero() && v[2]%2 == 0 {
				_, err = e.eng.CancelInvoice(e.ctx, e.tn, inv.ID, "cancelled", arap.IssueOptions{At: at})
			} else {
				req := arap.NoteRequest{Original: inv.ID, Reason: "allowance", At: at, IdempotencyKey: fmt.Sprint("cn-", i),
					Lines: []arap.Line{arLine("Allowance", "1", decimal.New(int64(1+v[3]%50000), -2).String(), vat.StandardRate(), "")}}
				var cn arap.Document
				cn, err = e.eng.CreditNote(e.ctx, e.tn, req)
				if err == nil && v[4]%2 == 0 {
					again, err := e.eng.CreditNote(e.ctx, e.tn, req)
					if err != nil || again.ID != cn.ID {
						return fmt.Sprintf("step %d: retried credit note: %v, %s for %s", i, err, again.ID, cn.ID)
					}
				}
				if errors.Is(err, arap.ErrOverCredit) || errors.Is(err, vat.ErrBuyerRequired) {
					err = nil
				}
			}
		case 4: // a bill, and sometimes pay it in part
			desc = "bill"
			vendor := []string{"V1", "V2"}[v[1]%2]
			b := e.bill(t, vendor, fmt.Sprint("B-", i), day, arap.Bank, arap.Line{Description: "Parts", Unit: "pcs",
				Quantity: decimal.NewFromInt(int64(1 + v[2]%5)), UnitPrice: decimal.New(int64(100+v[3]%100000), -2),
				VAT: vat.StandardRate(), Account: "5200"})
			bills = append(bills, b)
			if v[4]%2 == 0 {
				part := b.Totals.Total.Div(decimal.NewFromInt(3)).Round(2)
				req := arap.MoneyRequest{Party: vendor, Date: date, Channel: arap.Bank, Amount: part,
					Allocations: []arap.Apply{{Document: b.ID, Amount: part}}, IdempotencyKey: fmt.Sprint("pv-", i)}
				var p arap.Received
				p, err = e.eng.Pay(e.ctx, e.tn, req)
				if err == nil && v[3]%2 == 0 {
					again, err := e.eng.Pay(e.ctx, e.tn, req)
					if err != nil || again.Document.ID != p.Document.ID {
						return fmt.Sprintf("step %d: retried payment: %v, %s for %s", i, err, again.Document.ID, p.Document.ID)
					}
				}
			}
		case 5: // allocate what is left of a receipt
			if len(receipts) == 0 || len(invoices) == 0 {
				continue
			}
			desc = "allocate"
			rc := e.doc(t, receipts[v[1]%len(receipts)].ID)
			inv := e.doc(t, invoices[v[2]%len(invoices)].ID)
			amt := decimal.Min(rc.Open, inv.Open)
			if v[3]%3 == 0 {
				amt = amt.Add(decimal.New(1, -2)) // one poisha too much: refused
			}
			if amt.Sign() <= 0 || rc.Party != inv.Party || inv.Status == arap.Draft {
				continue
			}
			_, err = e.eng.Allocate(e.ctx, e.tn, rc.ID, date, []arap.Apply{{Document: inv.ID, Amount: amt}})
			if v[3]%3 == 0 {
				if !errors.Is(err, arap.ErrOverAllocation) && !errors.Is(err, arap.ErrCancelled) {
					return fmt.Sprintf("step %d: over-allocation accepted: %v", i, err)
				}
				err = nil
			}
		}
		if err != nil {
			return fmt.Sprintf("step %d (%s): %v", i, desc, err)
		}
		if msg := arCheckInvariants(t, e, ledger.NewDate(2026, 7, day)); msg != "" {
			return fmt.Sprintf("after step %d (%s): %s", i, desc, msg)
		}
	}
	return ""
}

func arCheckInvariants(t *testing.T, e *arEnv, today ledger.Date) string {
	for _, c := range []struct {
		side    arap.Side
		account string
	}{{arap.Receivable, "1210"}, {arap.Payable, "2100"}} {
		for _, asOf := range []ledger.Date{{}, today.AddDays(-1)} {
			items, err := e.eng.OpenItems(e.ctx, e.tn, arap.OpenItemQuery{Side: c.side, AsOf: asOf})
			if err != nil {
				return err.Error()
			}
			bal, err := e.gl.Balance(e.ctx, e.tn, c.account, "BDT", asOf)
			if err != nil {
				return err.Error()
			}
			if sum := arSum(items); !sum.Equal(bal.Balance) {
				return fmt.Sprintf("%s as of %s: control account %s, open items %s", c.side, asOf, bal.Balance, sum)
			}
		}
	}
	docs, err := e.eng.Documents(e.ctx, e.tn, arap.DocumentQuery{})
	if err != nil {
		return err.Error()
	}
	patterns := map[arap.Kind]string{arap.Invoice: vat.DefaultSerialPattern, arap.CreditNote: "CN-{LOC}-{FY}-{SEQ:6}",
		arap.Receipt: "RC-{LOC}-{FY}-{SEQ:6}", arap.Payment: "PV-{LOC}-{FY}-{SEQ:6}"}
	numbers := map[arap.Kind][]string{}
	for _, d := range docs {
		if d.Open.IsNegative() || d.Open.GreaterThan(d.Totals.Total) {
			return fmt.Sprintf("%s %s: open %s of %s", d.Kind, d.Number, d.Open, d.Totals.Total)
		}
		if len(d.Lines) > 0 {
			var v, sd, tax, tot decimal.Decimal
			for _, l := range d.Lines {
				v, sd, tax, tot = v.Add(l.Value), sd.Add(l.SD), tax.Add(l.VATAmount), tot.Add(l.Total)
			}
			if !v.Equal(d.Totals.Value) || !sd.Equal(d.Totals.SD) || !tax.Equal(d.Totals.VAT) || !tot.Equal(d.Totals.Total) {
				return fmt.Sprintf("%s %s: totals %+v, lines sum to %s/%s/%s/%s", d.Kind, d.Number, d.Totals, v, sd, tax, tot)
			}
		}
		if d.Status != arap.Draft && (d.Kind.Charge() || d.Kind.Settlement()) {
			al, err := e.eng.Allocations(e.ctx, e.tn, d.ID)
			if err != nil {
				return err.Error()
			}
			sum := decimal.Zero
			for _, a := range al {
				sum = sum.Add(a.Amount)
			}
			if !sum.Add(d.Open).Equal(d.Totals.Total) {
				return fmt.Sprintf("%s %s: allocated %s + open %s != total %s", d.Kind, d.Number, sum, d.Open, d.Totals.Total)
			}
		}
		if d.Kind == arap.Invoice && d.Status == arap.Cancelled && !d.Open.IsZero() {
			return fmt.Sprintf("cancelled invoice %s has %s open", d.Number, d.Open)
		}
		if _, ok := patterns[d.Kind]; ok && d.Status != arap.Draft {
			numbers[d.Kind] = append(numbers[d.Kind], d.Number)
		}
	}
	for k, ns := range numbers {
		rep, err := vat.CheckSerials(vat.SerialFormat{Pattern: patterns[k]}, ns)
		if err != nil || !rep.OK() {
			return fmt.Sprintf("%s serials %v: %+v %v", k, ns, rep, err)
		}
	}
	tb, err := e.gl.TrialBalance(e.ctx, e.tn, ledger.Date{})
	if err != nil {
		return err.Error()
	}
	if !tb.Balanced() {
		return "trial balance does not balance"
	}
	return ""
}
