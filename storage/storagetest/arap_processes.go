package storagetest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/vat"
)

// arBill is the vendor's bill number of bill i of ARProcesses.
func arBill(i int) string { return fmt.Sprint("PB-", i) }

// arPayment is the payment of bill id, number i, as every call sends it.
func arPayment(i int, bill uuid.UUID) arap.MoneyRequest {
	return arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 10), Channel: arap.Bank, Amount: arDec("1150"),
		Reference: arBill(i), IdempotencyKey: "pay-" + arBill(i), Allocations: []arap.Apply{arApply(bill, "1150")}}
}

// arPay pays bill i of the tenant (found by its number).
func arPay(ctx context.Context, eng *arap.Engine, tn string, i int) (uuid.UUID, error) {
	bills, err := eng.Documents(ctx, tn, arap.DocumentQuery{Kinds: []arap.Kind{arap.Bill}, Party: "V1", Number: arBill(i)})
	if err == nil && len(bills) != 1 {
		err = fmt.Errorf("%d bills numbered %s", len(bills), arBill(i))
	}
	if err != nil {
		return uuid.Nil, err
	}
	got, err := eng.Pay(ctx, tn, arPayment(i, bills[0].ID))
	if err != nil {
		return uuid.Nil, fmt.Errorf("paying %s: %w", arBill(i), err)
	}
	return got.Document.ID, nil
}

// ARProcesses pays a vendor's bills from another operating-system process
// and kills it (SIGKILL) while it pays, as a crash would; then, as the
// client whose calls went unanswered would, pays again every bill the
// child had begun to pay, under the same idempotency keys. Every payment
// the child was told of must be stored under the ID it was given, and each
// bill begun must be paid exactly once: one payment, nothing open, the
// bank credited once, the payables control account equal to the open
// items. Like LedgerProcesses, it must be called from a top-level test
// function, which the child runs again (ChildEnv set).
func ARProcesses(t *testing.T, where string, open func(t testing.TB, where string) ARStore) {
	if os.Getenv(ChildEnv) != "" {
		eng := arap.New(open(t, childWhere()), arap.Config{Company: ARCompany})
		childWork(t, []int{1, 1, 1, 1}, one(func(i int) (uuid.UUID, error) { return arPay(context.Background(), eng, childTenant(), i) }))
		return
	}
	e := arSetup(t, open(t, where))
	const bills = 300
	ids := make([]uuid.UUID, bills)
	for i := range bills {
		ids[i] = e.bill(t, "V1", arBill(i), 3, arap.Bank, arap.Line{Description: "Filters", Unit: "pcs",
			Quantity: arDec("4"), UnitPrice: arDec("250"), VAT: vat.StandardRate(), Account: "5200"}).ID // 1,150
	}
	acked, most := crash(t, where, e.tn, bills, 30)

	// A store opened after the crash holds every payment the child was
	// told of; the client then sends every payment it began again.
	after := open(t, where)
	re := &arEnv{ctx: e.ctx, st: after, eng: arap.New(after, arap.Config{Company: ARCompany}),
		gl: ledger.New(after, ledger.Config{}), tn: e.tn}
	for i, id := range acked {
		d, err := after.ARDocumentByKey(e.ctx, e.tn, "pay-"+arBill(i))
		require.NoError(t, err, "acknowledged payment of %s", arBill(i))
		require.Equal(t, id, d.ID)
	}
	stored, err := re.eng.Documents(e.ctx, e.tn, arap.DocumentQuery{Kinds: []arap.Kind{arap.Payment}})
	require.NoError(t, err)
	t.Logf("%s: child killed after %d payments acknowledged of %d begun; %d stored", t.Name(), len(acked), most+1, len(stored))
	for i := 0; i <= most; i++ {
		got, err := re.eng.Pay(e.ctx, e.tn, arPayment(i, ids[i]))
		require.NoError(t, err, "paying %s again", arBill(i))
		if id, ok := acked[i]; ok {
			require.Equal(t, id, got.Document.ID, "paying %s again made another payment", arBill(i))
		}
	}
	stored, err = re.eng.Documents(e.ctx, e.tn, arap.DocumentQuery{Kinds: []arap.Kind{arap.Payment}})
	require.NoError(t, err)
	require.Len(t, stored, most+1, "one payment per bill begun")
	for i := range bills {
		want := "0"
		if i > most {
			want = "1150"
		}
		arRequireDec(t, want, re.doc(t, ids[i]).Open, arBill(i))
	}
	arRequireDec(t, arDec("-1150").Mul(arDec(strconv.Itoa(most+1))).String(), re.balance(t, "1120"), "bank")
	require.Empty(t, arCheckInvariants(t, re, ledger.NewDate(2026, 7, 11)))
}
