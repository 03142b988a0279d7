package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/sqlite"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The quickstart runs on a fresh file and again on the same file without
// posting anything twice.
func TestQuickstartTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "qs.db")
	var out strings.Builder
	require.NoError(t, run(ctx, &out, path))
	require.NoError(t, run(ctx, &out, path))
	require.Contains(t, out.String(), "Total BDT")

	st, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer st.Close()
	gl := ledger.New(st, ledger.Config{})
	es, err := gl.Entries(ctx, tenant, ledger.EntryQuery{})
	require.NoError(t, err)
	require.Len(t, es, 4)
	tb, err := gl.TrialBalance(ctx, tenant, ledger.Date{})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
	// Bank 500,000 - 35,000 rent; receivables 230,000; purchases 120,000; rent 35,000.
	require.True(t, tb.Totals[0].Debit.Equal(decimal.RequireFromString("850000")), tb.Totals[0].Debit.String())
}
