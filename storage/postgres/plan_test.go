package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/storage/postgres"
)

// The lookups by a list of IDs or keys (ledger entries by ID and by
// idempotency key, AR/AP documents by ID, the accounts a posting names and
// their last posting days) probe an index once per value,
// also with a generic plan (a prepared statement's, from its sixth run) on
// statistics older than the tenant's rows: the ledger's once read every
// entry of the tenant, so that an idempotency check grew with the books.
func TestLookupsProbeTheIndex(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	conn := migratedConn(t)
	var err error
	// 6,000 rows of one tenant in each table, never analyzed (as after a
	// bulk load with autovacuum yet to run): the planner takes the tenant
	// for a few dozen rows. Row g has ID md5(g) and key (or code) k-g;
	// account g's parent is account g-1.
	const n = 6000
	for _, load := range []string{
		`INSERT INTO erp_ledger_accounts (tenant_id, id, code, name, type, normal_side, parent_id, created_at)
		SELECT 't1', md5(g::text)::uuid, 'k-' || g, 'x', 'asset', 'debit', CASE WHEN g > 1 THEN md5((g - 1)::text)::uuid END,
			now() FROM generate_series(1, $1) g`,
		`INSERT INTO erp_ledger_balances (tenant_id, account_id, currency, debit, credit, last_day)
		SELECT 't1', md5(g::text)::uuid, 'BDT', 1, 0, date '2026-07-01' + g % 28 FROM generate_series(1, $1) g`,
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
		for _, table := range []string{"erp_ledger_accounts", "erp_ledger_balances", "erp_ledger_entries", "erp_arap_documents"} {
			read := plan[0].Plan.rowsRead(table)
			require.LessOrEqual(t, read, 20.0, "%s read %v rows of %s: %s", q.Name, read, table, plan[0].Plan)
		}
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
		if q.Table == "erp_ledger_accounts" {
			// A posting names each code once: a row per code given.
			require.Len(t, got, 4, q.Name)
			got = slices.Compact(slices.Sorted(slices.Values(got)))
		}
		require.Len(t, got, 3, q.Name)
		seen := map[string]bool{}
		for _, g := range got {
			require.False(t, seen[g], "%s returned %s twice", q.Name, g)
			seen[g] = true
		}
	}
}

// migratedConn connects to a new schema, migrated and dropped after t.
func migratedConn(t *testing.T) *pgx.Conn {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, withSearchPath(baseDSN, migratedSchemaName(t)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
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

// The daily-totals statements of a posting read only the rows of the
// balances it posts to, also with a generic plan on statistics older than
// the tenant's rows. The general one once read every daily row of the
// tenant twice (a hash join over a scan of the tenant, in its update and
// in its existence check), so that a backdated posting grew slower with
// the books: 3.5 ms a statement after 6,000 postings.
func TestDailyTotalsProbeTheIndex(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	conn := migratedConn(t)
	var err error
	// 1,000 accounts of one tenant, never analyzed, each with a debit
	// balance of 27 and a daily row on every other day of July 2026 (1..27,
	// odd), the row of day d holding the running debit d: 14,000 daily rows.
	for _, load := range []string{
		`INSERT INTO erp_ledger_accounts (tenant_id, id, code, name, type, normal_side, created_at)
		SELECT 't1', md5(g::text)::uuid, 'A' || g, 'x', 'asset', 'debit', now() FROM generate_series(1, 1000) g`,
		`INSERT INTO erp_ledger_balances (tenant_id, account_id, currency, debit, credit, last_day, base_debit, base_credit)
		SELECT 't1', md5(g::text)::uuid, 'BDT', 27, 0, date '2026-07-27', 27, 0 FROM generate_series(1, 1000) g`,
		`INSERT INTO erp_ledger_daily (tenant_id, account_id, currency, day, debit, credit, base_debit, base_credit)
		SELECT 't1', md5(g::text)::uuid, 'BDT', date '2026-06-30' + d, d, 0, d, 0
		FROM generate_series(1, 1000) g, generate_series(1, 27, 2) d`,
	} {
		_, err = conn.Exec(ctx, load)
		require.NoError(t, err)
	}
	_, err = conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`)
	require.NoError(t, err)
	// The general statement posts 1 to account 10 on July 4, to account
	// 300 on July 2 and 20, and to account 999 on July 9 (a day with a
	// row). The appending one posts on July 28 (and 29 for account 300).
	args := map[bool]string{ // by Appending
		false: `'t1', ARRAY[md5('10'), md5('300'), md5('300'), md5('999')]::uuid[], ARRAY['BDT','BDT','BDT','BDT'],
			ARRAY['2026-07-04', '2026-07-02', '2026-07-20', '2026-07-09']::date[], ARRAY['1','1','1','1'],
			ARRAY['0','0','0','0'], ARRAY['1','1','1','1'], ARRAY['0','0','0','0']`,
		true: `'t1', ARRAY[md5('10'), md5('300'), md5('300'), md5('999')]::uuid[], ARRAY['BDT','BDT','BDT','BDT'],
			ARRAY['2026-07-28', '2026-07-28', '2026-07-29', '2026-07-28']::date[], ARRAY['0','1','0','0'],
			ARRAY['0','0','0','0'], ARRAY['0','1','0','0'], ARRAY['0','0','0','0'],
			ARRAY['2026-07-28', '2026-07-28', '2026-07-28', '2026-07-28']::date[]`,
	}
	types := "text, uuid[], text[], date[], text[], text[], text[], text[]" // amounts as text (see balanceUpsert)
	for i, q := range postgres.DailyStatements {
		name, typ := fmt.Sprintf("daily_%d", i), types
		if q.Appending {
			typ += ", date[]"
		}
		_, err := conn.Exec(ctx, fmt.Sprintf(`PREPARE %s(%s) AS %s`, name, typ, q.SQL))
		require.NoError(t, err, q.Name)
		tx, err := conn.Begin(ctx)
		require.NoError(t, err)
		var plan []struct{ Plan planNode }
		if q.Custom {
			_, err = tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`)
			require.NoError(t, err)
		}
		require.NoError(t, tx.QueryRow(ctx, fmt.Sprintf(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE %s(%s)`, name, args[q.Appending])).Scan(&plan), q.Name)
		for _, table := range []string{"erp_ledger_daily", "erp_ledger_balances"} {
			if read := plan[0].Plan.rowsRead(table); !q.Custom {
				require.LessOrEqual(t, read, 100.0, "%s read %v rows of %s: %s", q.Name, read, table, plan[0].Plan)
			}
		}
		// What they wrote: the sums of the four accounts' rows.
		var sum, rows int
		require.NoError(t, tx.QueryRow(ctx, `SELECT sum(debit), count(*) FROM erp_ledger_daily
			WHERE tenant_id = 't1' AND account_id IN (md5('10')::uuid, md5('300')::uuid, md5('999')::uuid)`).Scan(&sum, &rows))
		require.NoError(t, tx.Rollback(ctx))
		// Each account's rows summed 1+3+...+27 = 196.
		if !q.Appending {
			// Account 10: the 12 rows from July 5 gain 1, and July 4 is
			// inserted as July 3 plus 1. Account 300: the 9 rows from July
			// 3 to 19 gain 1 and the 4 from July 21 gain 2; July 2 is July
			// 1 plus 1, July 20 is July 19 plus 2. Account 999: the 10 rows
			// from July 9 gain 1.
			require.Equal(t, 3*196+(12+4)+(9+8+2+21)+10, sum, q.Name)
			require.Equal(t, 3*14+3, rows, q.Name)
		} else {
			// Each new row is the balance (27) less the posted sums of its
			// balance's later posted days: 1 for account 300 on July 28.
			require.Equal(t, 3*196+27+(27-1)+27+27, sum, q.Name)
			require.Equal(t, 3*14+4, rows, q.Name)
		}
	}
}
