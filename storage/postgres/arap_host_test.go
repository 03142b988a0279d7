package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	"github.com/erpkit/erpkit/storage/postgres"
	"github.com/erpkit/erpkit/storage/storagetest"
	"github.com/erpkit/erpkit/vat"
)

// TestARKeyedPayInHostTransactions pays one bill under one key from two
// hosts' transactions at once: the second host's call waits for the
// first's key until the first host commits. Under READ COMMITTED it then
// finds the payment and returns it; under REPEATABLE READ its snapshot
// predates the payment, so it must fail with ErrConflict (the host rolls
// back and runs again) rather than pay again. Either way the bill is paid
// once.
func TestARKeyedPayInHostTransactions(t *testing.T) {
	for _, iso := range []pgx.TxIsoLevel{pgx.ReadCommitted, pgx.RepeatableRead} {
		t.Run(string(iso), func(t *testing.T) {
			ctx := context.Background()
			tn := tenantID(t)
			cfg := arap.Config{Company: storagetest.ARCompany}
			eng := arap.New(shared, cfg)
			_, err := ledger.New(shared, ledger.Config{}).InstallChart(ctx, tn, ledger.ChartBangladesh())
			require.NoError(t, err)
			_, err = eng.CreateParty(ctx, tn, arap.Party{Code: "V1", Vendor: true, LegalName: "Jamuna Spare Parts Ltd",
				Address: "Bogura", BIN: "000111222-0303", VATRegistered: true, TIN: "123456789012"})
			require.NoError(t, err)
			d, err := eng.CreateBill(ctx, tn, arap.DraftRequest{Party: "V1", Number: "JSP-1", Date: ledger.NewDate(2026, 7, 3),
				Lines: []arap.Line{{Description: "Filters", Unit: "pcs", Quantity: dec("2"), UnitPrice: dec("500"),
					VAT: vat.StandardRate(), Account: "5200"}}})
			require.NoError(t, err)
			bill, err := eng.ApproveBill(ctx, tn, d.ID, arap.IssueOptions{})
			require.NoError(t, err)
			req := arap.MoneyRequest{Party: "V1", Date: ledger.NewDate(2026, 7, 12), Channel: arap.Bank, Amount: dec("1150"),
				IdempotencyKey: "eft-1", Allocations: []arap.Apply{{Document: bill.ID, Amount: dec("1150")}}}

			begin := func() pgx.Tx {
				tx, err := shared.Pool().BeginTx(ctx, pgx.TxOptions{IsoLevel: iso})
				require.NoError(t, err)
				t.Cleanup(func() { _ = tx.Rollback(ctx) })
				var one int
				require.NoError(t, tx.QueryRow(ctx, `SELECT 1`).Scan(&one)) // the host's own work: its snapshot
				return tx
			}
			tx1, tx2 := begin(), begin()
			first, err := arap.New(postgres.NewTx(tx1), cfg).Pay(ctx, tn, req)
			require.NoError(t, err)
			type result struct {
				r   arap.Received
				err error
			}
			second := make(chan result, 1)
			go func() {
				r, err := arap.New(postgres.NewTx(tx2), cfg).Pay(ctx, tn, req)
				second <- result{r, err}
			}()
			// Commit once the second host waits for the key's lock.
			pid := tx2.Conn().PgConn().PID()
			require.Eventually(t, func() bool {
				var waiting int
				err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE pid = $1 AND NOT granted`, pid).Scan(&waiting)
				return err == nil && waiting > 0
			}, 10*time.Second, 5*time.Millisecond)
			require.NoError(t, tx1.Commit(ctx))
			got := <-second
			if iso == pgx.ReadCommitted {
				require.NoError(t, got.err)
				require.Equal(t, first.Document.ID, got.r.Document.ID)
				require.NoError(t, tx2.Commit(ctx))
			} else {
				require.ErrorIs(t, got.err, postgres.ErrConflict)
				require.NoError(t, tx2.Rollback(ctx))
				tx3 := begin() // the host runs its transaction again
				again, err := arap.New(postgres.NewTx(tx3), cfg).Pay(ctx, tn, req)
				require.NoError(t, err)
				require.Equal(t, first.Document.ID, again.Document.ID)
				require.NoError(t, tx3.Commit(ctx))
			}
			pays, err := eng.Documents(ctx, tn, arap.DocumentQuery{Kinds: []arap.Kind{arap.Payment}})
			require.NoError(t, err)
			require.Len(t, pays, 1, "one payment")
			b, err := eng.Document(ctx, tn, bill.ID)
			require.NoError(t, err)
			require.True(t, b.Open.IsZero(), "the bill is paid once: open %s", b.Open)
			rows, err := arRows(ctx, tn)
			require.NoError(t, err)
			require.Equal(t, 2, rows["erp_ledger_entries"], "the bill's entry and one payment's")
		})
	}
}
