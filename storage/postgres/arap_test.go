package postgres_test

import (
	"context"
	"testing"

	"github.com/erpkit/erpkit/storage/storagetest"
)

// arTables are the tenant-scoped tables an arap call may write.
var arTables = []string{"erp_arap_parties", "erp_arap_documents", "erp_arap_allocations", "erp_arap_serials",
	"erp_ledger_accounts", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

func arRows(ctx context.Context, tenant string) (map[string]int, error) {
	out := map[string]int{}
	for _, table := range arTables {
		var n int
		// table comes from the constant list above, never from input.
		if err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tenant).Scan(&n); err != nil {
			return nil, err
		}
		out[table] = n
	}
	// The serial counters' values too: a failed issue must not take one.
	var sum int
	if err := shared.Pool().QueryRow(ctx, `SELECT coalesce(sum(last), 0)::int FROM erp_arap_serials WHERE tenant_id = $1`, tenant).Scan(&sum); err != nil {
		return nil, err
	}
	out["serials taken"] = sum
	return out, nil
}

func TestARAP(t *testing.T) {
	requirePostgres(t)
	storagetest.ARAP(t, shared, arRows)
}
