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

// The lookups by a list of IDs or keys (ledger entries by ID and by
// idempotency key, AR/AP documents by ID) probe an index once per value,
// also with a generic plan (a prepared statement's, from its sixth run) on
// statistics older than the tenant's rows: the ledger's once read every
// entry of the tenant, so that an idempotency check grew with the books.
func TestLookupsProbeTheIndex(t *testing.T) {
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
	// 6,000 rows of one tenant in each table, never analyzed (as after a
	// bulk load with autovacuum yet to run): the planner takes the tenant
	// for a few dozen rows. Row g has ID md5(g) and key k-g.
	const n = 6000
	for _, load := range []string{
		`INSERT INTO erp_ledger_entries (tenant_id, id, posting_date, description, idempotency_key, posted_at)
		SELECT 't1', md5(g::text)::uuid, date '2026-07-01' + g % 28, 'x', 'k-' || g, now() FROM generate_series(1, $1) g`,
		`INSERT INTO erp_arap_parties (tenant_id, code, legal_name, customer, vendor, blocked, body, created_at)
		SELECT 't1', 'P', 'P', true, false, false, '{}', now() WHERE $1 > 0`,
		`INSERT INTO erp_arap_documents (tenant_id, id, kind, side, charge, party, status, number, doc_date, posting_date,
			total, open, body, created_at)
		SELECT 't1', md5(g::text)::uuid, 'invoice', 'receivable', true, 'P', 'issued', 'I-' || g, date '2026-07-01' + g % 28,
			date '2026-07-01' + g % 28, 100, 100, jsonb_build_object('n', g), now() FROM generate_series(1, $1) g`,
	} {
		_, err = conn.Exec(ctx, load, n)
		require.NoError(t, err)
	}
	lists := map[string]string{
		"text[]": `ARRAY['k-10', 'k-3000', 'k-5999', 'k-10', 'missing']`,
		"uuid[]": `ARRAY[md5('10')::uuid, md5('3000')::uuid, md5('5999')::uuid, md5('10')::uuid, md5('none')::uuid]`,
	}
	_, err = conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`)
	require.NoError(t, err)
	for i, q := range postgres.Lookups {
		name := fmt.Sprintf("lookup_%d", i)
		_, err := conn.Exec(ctx, fmt.Sprintf(`PREPARE %s(text, %s) AS %s`, name, q.ListType, q.SQL))
		require.NoError(t, err, q.Name)
		tx, err := conn.Begin(ctx) // for the locking one
		require.NoError(t, err)
		var plan []struct{ Plan planNode }
		require.NoError(t, tx.QueryRow(ctx, fmt.Sprintf(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE %s('t1', %s)`, name, lists[q.ListType])).Scan(&plan), q.Name)
		read := plan[0].Plan.rowsRead(q.Table)
		require.LessOrEqual(t, read, 20.0, "%s read %v rows of %s: %s", q.Name, read, q.Table, plan[0].Plan)
		// The answers: the three distinct rows that exist, once each.
		rows, err := tx.Query(ctx, fmt.Sprintf(`EXECUTE %s('t1', %s)`, name, lists[q.ListType]))
		require.NoError(t, err)
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
			v, err := r.Values()
			return fmt.Sprint(v[0]), err
		})
		require.NoError(t, err, q.Name)
		require.NoError(t, tx.Rollback(ctx))
		if q.Table == "erp_ledger_entries" && q.Name != "keys taken" {
			require.Empty(t, got, q.Name) // the joined entries have no lines here
			continue
		}
		require.Len(t, got, 3, q.Name)
		seen := map[string]bool{}
		for _, g := range got {
			require.False(t, seen[g], "%s returned %s twice", q.Name, g)
			seen[g] = true
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

// rowsRead sums the rows the plan read from table: returned by its scans
// or removed by their filters (EXPLAIN gives both per loop).
func (p planNode) rowsRead(table string) float64 {
	var n float64
	if p.Relation == table {
		n += (p.ActualRows + p.RemovedFilter + p.RemovedCheck) * max(p.ActualLoops, 1)
	}
	for _, c := range p.Plans {
		n += c.rowsRead(table)
	}
	return n
}

func (p planNode) String() string {
	b, _ := json.Marshal(p)
	return string(b)
}
