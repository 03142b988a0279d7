package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// BenchmarkBareBatch is the floor under BenchmarkLedger/PostBatch: the
// same 1,000 two-line entries over 1,000 accounts and 28 days, written by
// hand into the same tables as one transaction of three statements (COPY of
// the entries, COPY of the lines, one upsert of the balances), with none of
// what PostBatch does besides: no reads or checks, no daily totals, no
// events. Row building is outside the timing. It tells how far the
// posting-core issue's PostBatch goal is from what this machine's
// PostgreSQL does with these tables at all (docs/benchmarks.md).
func BenchmarkBareBatch(b *testing.B) {
	ctx, pool := context.Background(), shared.Pool()
	tenant, accounts := bareChart(b)
	r := rand.New(rand.NewPCG(1, 2))
	var elapsed time.Duration
	var total, n int64
	for b.Loop() {
		entries, lines := make([][]any, 1000), make([][]any, 0, 2000)
		debit, credit := map[[16]byte]int64{}, map[[16]byte]int64{}
		for i := range entries {
			id := uuid.Must(uuid.NewV7())
			date, dr, cr, cents := storagetest.BareDraw(r, len(accounts))
			day := pgtype.Date{Time: date.Time(), Valid: true}
			amount := pgtype.Numeric{Int: big.NewInt(cents), Exp: -2, Valid: true}
			entries[i] = []any{tenant, id, day, "bench", "", "{}", fmt.Sprintf("bare-%d", n), nil, time.Now().UTC()}
			lines = append(lines,
				[]any{tenant, id, int32(1), accounts[dr], day, "debit", amount, "BDT", "", "{}", pgtype.Numeric{Int: big.NewInt(0), Valid: true}, nil},
				[]any{tenant, id, int32(2), accounts[cr], day, "credit", amount, "BDT", "", "{}", pgtype.Numeric{Int: big.NewInt(0), Valid: true}, nil})
			debit[accounts[dr]] += cents
			credit[accounts[cr]] += cents
			total += cents
			n++
		}
		var ids [][16]byte
		var dsum, csum []int64
		for _, a := range accounts {
			if debit[a] != 0 || credit[a] != 0 {
				ids, dsum, csum = append(ids, a), append(dsum, debit[a]), append(csum, credit[a])
			}
		}
		start := time.Now()
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"erp_ledger_entries"},
				[]string{"tenant_id", "id", "posting_date", "description", "reference", "metadata", "idempotency_key", "reverses_id", "posted_at"},
				pgx.CopyFromRows(entries)); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"erp_ledger_lines"},
				[]string{"tenant_id", "entry_id", "line_no", "account_id", "posting_date", "side", "amount", "currency", "memo",
					"dimensions", "base_amount", "rate"},
				pgx.CopyFromRows(lines)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO erp_ledger_balances AS b (tenant_id, account_id, currency, debit, credit)
				SELECT $1, d.a, 'BDT', d.dr / 100.0, d.cr / 100.0 FROM unnest($2::uuid[], $3::int8[], $4::int8[]) AS d(a, dr, cr)
				ORDER BY d.a
				ON CONFLICT (tenant_id, account_id, currency)
				DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit`, tenant, ids, dsum, csum)
			return err
		})
		elapsed += time.Since(start)
		require.NoError(b, err)
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "entries/s")
	bareCheck(b, tenant, n, total)
}

// bareChart makes a tenant with the bare benchmarks' 1,000 accounts and
// returns it and the accounts' IDs.
func bareChart(b *testing.B) (string, [][16]byte) {
	requirePostgres(b)
	tenant := "bare-" + uuid.NewString()
	gl := ledger.New(shared, ledger.Config{})
	accounts := make([][16]byte, 1000)
	for i := range accounts {
		a, err := gl.CreateAccount(context.Background(), tenant, ledger.Account{Code: fmt.Sprintf("A%05d", i), Name: "bare",
			Type: ledger.Asset})
		require.NoError(b, err)
		accounts[i] = a.ID
	}
	return tenant, accounts
}

// bareCheck checks that what a bare benchmark wrote is what was meant: n
// entries and their lines, and balances that add up to the cents posted.
func bareCheck(b *testing.B, tenant string, n, cents int64) {
	var entries, lines int64
	var debits, credits pgtype.Numeric
	require.NoError(b, shared.Pool().QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM erp_ledger_entries WHERE tenant_id = $1),
		(SELECT count(*) FROM erp_ledger_lines WHERE tenant_id = $1),
		(SELECT sum(debit) * 100 FROM erp_ledger_balances WHERE tenant_id = $1),
		(SELECT sum(credit) * 100 FROM erp_ledger_balances WHERE tenant_id = $1)`, tenant).Scan(&entries, &lines, &debits, &credits))
	require.Equal(b, n, entries)
	require.Equal(b, 2*n, lines)
	for _, s := range []pgtype.Numeric{debits, credits} {
		v, err := s.Int64Value()
		require.NoError(b, err)
		require.Equal(b, cents, v.Int64)
	}
}

// BenchmarkBarePost is the reference beside BenchmarkLedger/Post: the
// same two-line entries over 1,000 accounts and 28 days from 8 goroutines,
// each one transaction written by hand into the same tables in the shape
// of docs/bench/pgbench-ledger.sql - the two balances in account order,
// the entry, its two lines, one statement after another - and nothing
// else: no reads or checks, no daily totals, no events, no group commit.
// Run in the same minutes as Post, the ratio of the two is the posting
// core's speed on this machine relative to a hand-written transaction
// (docs/decisions/posting-speed-goals.md).
func BenchmarkBarePost(b *testing.B) {
	ctx, pool := context.Background(), shared.Pool()
	tenant, accounts := bareChart(b)
	var seq, total atomic.Int64
	b.SetParallelism(4) // 4 x GOMAXPROCS(2) = 8 goroutines on the reference machine
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(uint64(seq.Add(1)), 9))
		for pb.Next() {
			id := uuid.Must(uuid.NewV7())
			date, dr, cr, cents := storagetest.BareDraw(r, len(accounts))
			day := pgtype.Date{Time: date.Time(), Valid: true}
			amount := pgtype.Numeric{Int: big.NewInt(cents), Exp: -2, Valid: true}
			first, second := dr, cr // balances locked in account order: no deadlock
			if bytes.Compare(accounts[cr][:], accounts[dr][:]) < 0 {
				first, second = cr, dr
			}
			err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				for _, a := range []int{first, second} {
					d, c := amount, pgtype.Numeric{Int: big.NewInt(0), Valid: true}
					if a == cr {
						d, c = c, amount
					}
					if _, err := tx.Exec(ctx, `INSERT INTO erp_ledger_balances AS b (tenant_id, account_id, currency, debit, credit)
						VALUES ($1, $2, 'BDT', $3, $4) ON CONFLICT (tenant_id, account_id, currency)
						DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit`,
						tenant, accounts[a], d, c); err != nil {
						return err
					}
				}
				if _, err := tx.Exec(ctx, `INSERT INTO erp_ledger_entries (tenant_id, id, posting_date, description, reference,
					metadata, idempotency_key, reverses_id, posted_at) VALUES ($1, $2, $3, 'bench', '', '{}', NULL, NULL, $4)`,
					tenant, id, day, time.Now().UTC()); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO erp_ledger_lines (tenant_id, entry_id, line_no, account_id, posting_date, side,
					amount, currency, memo, dimensions, base_amount, rate)
					VALUES ($1, $2, 1, $3, $5, 'debit', $6, 'BDT', '', '{}', 0, NULL),
					       ($1, $2, 2, $4, $5, 'credit', $6, 'BDT', '', '{}', 0, NULL)`,
					tenant, id, accounts[dr], accounts[cr], day, amount)
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
	bareCheck(b, tenant, int64(b.N), total.Load())
}
