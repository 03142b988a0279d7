package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// arTables are the tenant-scoped tables an arap call may write.
var arTables = []string{"erp_arap_parties", "erp_arap_documents", "erp_arap_allocations", "erp_arap_serials",
	"erp_ledger_accounts", "erp_ledger_entries", "erp_ledger_lines", "erp_ledger_balances"}

func arStore(t testing.TB) *sqlite.Store {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "arap.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	return st
}

func arRows(st *sqlite.Store) storagetest.ARRows {
	return func(ctx context.Context, tenant string) (map[string]int, error) {
		out := map[string]int{}
		for _, tb := range arTables {
			var n int
			// tb comes from the constant list above, never from input.
			if err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM `+tb+` WHERE tenant_id = ?`, tenant).Scan(&n); err != nil {
				return nil, err
			}
			out[tb] = n
		}
		// The serial counters' values too: a failed issue must not take one.
		var sum int
		if err := st.DB().QueryRowContext(ctx, `SELECT coalesce(sum(last), 0) FROM erp_arap_serials WHERE tenant_id = ?`, tenant).Scan(&sum); err != nil {
			return nil, err
		}
		out["serials taken"] = sum
		return out, nil
	}
}

func TestARAP(t *testing.T) {
	st := arStore(t)
	storagetest.ARAP(t, st, arRows(st))
}
