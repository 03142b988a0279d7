package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// BenchmarkBareBatch is the floor under BenchmarkLedger/PostBatch: the
// same 1,000 two-line entries over 1,000 accounts and 28 days, written by
// hand into the same tables in one transaction (multi-row INSERTs of the
// entries and the lines, 200 rows a statement as Append writes them, and
// one upsert of the balances a 200 accounts), with none of what PostBatch
// does besides: no reads or checks, no daily totals, no events. Row
// building is outside the timing. It tells how far the posting-core
// issue's PostBatch goal is from what this machine's SQLite does with
// these tables at all (docs/benchmarks.md).
func BenchmarkBareBatch(b *testing.B) {
	ctx := context.Background()
	st, accounts := bareChart(b)
	r := rand.New(rand.NewPCG(1, 2))
	var elapsed time.Duration
	var total, n int64
	for b.Loop() {
		var entries, lines [][]any
		var balances []any
		debit, credit := make([]int64, len(accounts)), make([]int64, len(accounts))
		for range 1000 {
			id := uuid.Must(uuid.NewV7()).String()
			date, dr, cr, cents := storagetest.BareDraw(r, len(accounts))
			day := date.String()
			entries = append(entries, []any{bareTenant, id, day, "bench", "", "{}", fmt.Sprintf("bare-%d", n), nil,
				formatTime(time.Now())})
			lines = append(lines,
				[]any{bareTenant, id, 1, accounts[dr], day, "debit", cents, "BDT", "", "{}", 0, ""},
				[]any{bareTenant, id, 2, accounts[cr], day, "credit", cents, "BDT", "", "{}", 0, ""})
			debit[dr] += cents
			credit[cr] += cents
			total += cents
			n++
		}
		for i, a := range accounts {
			if debit[i] != 0 || credit[i] != 0 {
				balances = append(balances, bareTenant, a, "BDT", debit[i], credit[i])
			}
		}
		start := time.Now()
		err := st.write(ctx, func(q querier) error {
			if err := insertRows(ctx, q, `INSERT INTO erp_ledger_entries
				(tenant_id, id, posting_date, description, reference, metadata, idempotency_key, reverses_id, posted_at)
				VALUES `, entries); err != nil {
				return err
			}
			if err := insertRows(ctx, q, `INSERT INTO erp_ledger_lines
				(tenant_id, entry_id, line_no, account_id, posting_date, side, amount_minor, currency, memo, dimensions,
				 base_minor, rate) VALUES `, lines); err != nil {
				return err
			}
			for start := 0; start < len(balances); start += chunk * 5 {
				part := balances[start:min(start+chunk*5, len(balances))]
				if _, err := q.ExecContext(ctx, `INSERT INTO erp_ledger_balances
					(tenant_id, account_id, currency, debit_minor, credit_minor) VALUES `+placeholders(len(part)/5, 5)+`
					ON CONFLICT (tenant_id, account_id, currency) DO UPDATE SET
						debit_minor = debit_minor + excluded.debit_minor, credit_minor = credit_minor + excluded.credit_minor`,
					part...); err != nil {
					return err
				}
			}
			return nil
		})
		elapsed += time.Since(start)
		require.NoError(b, err)
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "entries/s")
	bareCheck(b, st, n, total)
}

// bareTenant is the tenant of the bare benchmarks.
const bareTenant = "bare"

// bareChart opens a migrated store with bareTenant's 1,000 accounts and
// returns it and the accounts' IDs.
func bareChart(b *testing.B) (*Store, []string) {
	st := migratedStore(b)
	gl := ledger.New(st, ledger.Config{})
	accounts := make([]string, 1000)
	for i := range accounts {
		a, err := gl.CreateAccount(context.Background(), bareTenant, ledger.Account{Code: fmt.Sprintf("A%05d", i), Name: "bare",
			Type: ledger.Asset})
		require.NoError(b, err)
		accounts[i] = a.ID.String()
	}
	return st, accounts
}

// bareCheck checks that what a bare benchmark wrote is what was meant: n
// entries and their lines, and balances that add up to the cents posted.
func bareCheck(b *testing.B, st *Store, n, cents int64) {
	var entries, lines, debits, credits int64
	require.NoError(b, st.w.QueryRowContext(context.Background(), `SELECT
		(SELECT count(*) FROM erp_ledger_entries WHERE tenant_id = ?1),
		(SELECT count(*) FROM erp_ledger_lines WHERE tenant_id = ?1),
		(SELECT sum(debit_minor) FROM erp_ledger_balances WHERE tenant_id = ?1),
		(SELECT sum(credit_minor) FROM erp_ledger_balances WHERE tenant_id = ?1)`, bareTenant).Scan(&entries, &lines, &debits, &credits))
	require.Equal(b, n, entries)
	require.Equal(b, 2*n, lines)
	require.Equal(b, cents, debits)
	require.Equal(b, cents, credits)
}

// insertRows inserts rows through head ("INSERT ... VALUES "), chunk rows
// a statement.
func insertRows(ctx context.Context, q querier, head string, rows [][]any) error {
	for start := 0; start < len(rows); start += chunk {
		part := rows[start:min(start+chunk, len(rows))]
		var args []any
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := q.ExecContext(ctx, head+placeholders(len(part), len(part[0])), args...); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkBarePost is the reference beside BenchmarkLedger/Post: the
// same two-line entries over 1,000 accounts and 28 days from 8 goroutines,
// each one transaction of the Store's writer written by hand into the same
// tables - the two balances, the entry, its two lines - and nothing else:
// no reads or checks, no daily totals, no events, no group commit (one
// posting a commit, as ../shared/reference/ledger.md's "SQLite WAL, one
// posting per commit"). Run in the same minutes as Post, the ratio of the
// two is the posting core's speed on this machine relative to a
// hand-written transaction (docs/decisions/posting-speed-goals.md).
func BenchmarkBarePost(b *testing.B) {
	ctx := context.Background()
	st, accounts := bareChart(b)
	var seq, total atomic.Int64
	b.SetParallelism(4) // 4 x GOMAXPROCS(2) = 8 goroutines on the reference machine
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(uint64(seq.Add(1)), 9))
		for pb.Next() {
			id := uuid.Must(uuid.NewV7()).String()
			date, dr, cr, cents := storagetest.BareDraw(r, len(accounts))
			day := date.String()
			err := st.write(ctx, func(q querier) error {
				if _, err := q.ExecContext(ctx, `INSERT INTO erp_ledger_balances (tenant_id, account_id, currency, debit_minor,
					credit_minor) VALUES (?1, ?2, 'BDT', ?4, 0), (?1, ?3, 'BDT', 0, ?4)
					ON CONFLICT (tenant_id, account_id, currency) DO UPDATE SET
						debit_minor = debit_minor + excluded.debit_minor, credit_minor = credit_minor + excluded.credit_minor`,
					bareTenant, accounts[dr], accounts[cr], cents); err != nil {
					return err
				}
				if _, err := q.ExecContext(ctx, `INSERT INTO erp_ledger_entries (tenant_id, id, posting_date, description,
					reference, metadata, idempotency_key, reverses_id, posted_at) VALUES (?, ?, ?, 'bench', '', '{}', NULL, NULL, ?)`,
					bareTenant, id, day, formatTime(time.Now())); err != nil {
					return err
				}
				_, err := q.ExecContext(ctx, `INSERT INTO erp_ledger_lines (tenant_id, entry_id, line_no, account_id, posting_date,
					side, amount_minor, currency, memo, dimensions, base_minor, rate)
					VALUES (?1, ?2, 1, ?3, ?5, 'debit', ?6, 'BDT', '', '{}', 0, ''),
					       (?1, ?2, 2, ?4, ?5, 'credit', ?6, 'BDT', '', '{}', 0, '')`,
					bareTenant, id, accounts[dr], accounts[cr], day, cents)
				return err
			})
			if err != nil {
				b.Error(err)
				return
			}
			total.Add(cents)
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "entries/s")
	b.StopTimer()
	bareCheck(b, st, int64(b.N), total.Load())
}
