package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/storage/postgres"
)

// The lookups of entries by ID and by idempotency key probe the index once
// per value, also with a generic plan (a prepared statement from its sixth
// run) on statistics older than the tenant's rows: they once read every
// entry of the tenant, so that an idempotency check grew with the books.
func TestEntryLookupsProbeTheIndex(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	schema := newSchemaName()
	_, err := shared.Pool().Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = shared.Pool().Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	require.NoError(t, openAnotherIn(t, schema).Migrate(ctx))
	conn, err := pgx.Connect(ctx, withSearchPath(baseDSN, schema))
	require.NoError(t, err)
	defer conn.Close(context.Background())
	// 6,000 entries of one tenant, never analyzed (as after a bulk load
	// with autovacuum yet to run).
	const n = 6000
	_, err = conn.Exec(ctx, `INSERT INTO erp_ledger_entries (tenant_id, id, posting_date, description, idempotency_key, posted_at)
		SELECT 't1', md5(g::text)::uuid, date '2026-07-01' + g % 28, 'x', 'k-' || g, now() FROM generate_series(1, $1) g`, n)
	require.NoError(t, err)
	lists := map[string]string{
		"text[]": `ARRAY['k-10', 'k-3000', 'k-5999', 'k-10', 'missing']`,
		"uuid[]": `ARRAY[md5('10')::uuid, md5('3000')::uuid, md5('5999')::uuid, md5('10')::uuid]`,
	}
	_, err = conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`)
	require.NoError(t, err)
	for i, q := range postgres.EntryLookups {
		name := fmt.Sprintf("lookup_%d", i)
		_, err := conn.Exec(ctx, fmt.Sprintf(`PREPARE %s(text, %s) AS %s`, name, q.ListType, q.SQL))
		require.NoError(t, err, q.Name)
		var plan []struct{ Plan planNode }
		require.NoError(t, conn.QueryRow(ctx, fmt.Sprintf(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE %s('t1', %s)`, name, lists[q.ListType])).Scan(&plan), q.Name)
		read := plan[0].Plan.entriesRead()
		require.LessOrEqual(t, read, 20.0, "%s read %v entry rows: %s", q.Name, read, plan[0].Plan)
		// The answers themselves: three distinct entries found.
		rows, err := conn.Query(ctx, fmt.Sprintf(`EXECUTE %s('t1', %s)`, name, lists[q.ListType]))
		require.NoError(t, err)
		ids := map[string]bool{}
		for rows.Next() {
			v, err := rows.Values()
			require.NoError(t, err)
			ids[fmt.Sprint(v[0])] = true
		}
		require.NoError(t, rows.Err(), q.Name)
		if q.Name == "keys taken" { // the joined ones have no lines here
			require.Len(t, ids, 3, q.Name)
		}
	}
}

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType      string     `json:"Node Type"`
	Relation      string     `json:"Relation Name"`
	ActualRows    float64    `json:"Actual Rows"`
	ActualLoops   float64    `json:"Actual Loops"`
	RemovedFilter float64    `json:"Rows Removed by Filter"`
	RemovedCheck  float64    `json:"Rows Removed by Index Recheck"`
	Plans         []planNode `json:"Plans"`
}

// entriesRead sums the rows the plan read from erp_ledger_entries: returned
// by its scans or removed by their filters.
func (p planNode) entriesRead() float64 {
	var n float64
	if p.Relation == "erp_ledger_entries" {
		n += (p.ActualRows + p.RemovedFilter + p.RemovedCheck) * max(p.ActualLoops, 1)
	}
	for _, c := range p.Plans {
		n += c.entriesRead()
	}
	return n
}

func (p planNode) String() string {
	b, _ := json.Marshal(p)
	return string(b)
}
