package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/postgres"
	"github.com/erpkit/erpkit/storage/storagetest"
)

// Focused tests of what is PostgreSQL-specific; storagetest.Ledger covers
// the Store contract.

func tenantID(t testing.TB) string {
	return "t-" + uuid.NewString()[:13] + "-" + t.Name()[:min(len(t.Name()), 30)]
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func chart(t *testing.T, l *ledger.Ledger, tenant string, codes ...string) {
	t.Helper()
	ctx := context.Background()
	for _, c := range codes {
		typ := ledger.Asset
		if c[0] == '4' {
			typ = ledger.Revenue
		}
		_, err := l.CreateAccount(ctx, tenant, ledger.Account{Code: c, Name: "Account " + c, Type: typ})
		require.NoError(t, err)
	}
}

func sale(key string, date string, amount string) ledger.Entry {
	return ledger.Entry{
		Date: ledger.MustDate(date), Description: "sale", IdempotencyKey: key,
		Lines: []ledger.Line{
			ledger.DebitLine("1000", dec(amount), "BDT"),
			ledger.CreditLine("4000", dec(amount), "BDT"),
		},
	}
}

func TestMigrate(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	// Again on the migrated schema: a no-op.
	require.NoError(t, shared.Migrate(ctx))
	var n int
	require.NoError(t, shared.Pool().QueryRow(ctx, `SELECT count(*) FROM erp_migrations`).Scan(&n))
	files, err := fs.Glob(postgres.Migrations, "*.sql")
	require.NoError(t, err)
	require.Equal(t, len(files), n)
	require.Contains(t, files, "0001_ledger.sql")

	// A fresh schema migrated by several "processes" at once.
	schema := newSchemaName()
	_, err = shared.Pool().Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = shared.Pool().Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(ctx, withSearchPath(baseDSN, schema))
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			errs[i] = s.Migrate(ctx)
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	s := openAnotherIn(t, schema)
	require.NoError(t, s.Pool().QueryRow(ctx, `SELECT count(*) FROM erp_migrations`).Scan(&n))
	require.Equal(t, len(files), n)
	// The updated tables leave room for HOT updates (0014).
	for _, table := range []string{"erp_ledger_balances", "erp_ledger_daily"} {
		var opts []string
		require.NoError(t, s.Pool().QueryRow(ctx, `SELECT coalesce(reloptions, '{}') FROM pg_class
			WHERE oid = to_regclass($1)`, schema+"."+table).Scan(&opts))
		require.Contains(t, opts, "fillfactor=70", table)
	}
}

func openAnotherIn(t *testing.T, schema string) *postgres.Store {
	s, err := postgres.Open(context.Background(), withSearchPath(baseDSN, schema))
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func TestPostReplayReverse(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	l := ledger.New(shared, ledger.Config{})
	tenant := tenantID(t)
	chart(t, l, tenant, "1000", "4000")

	e, err := l.Post(ctx, tenant, ledger.Entry{
		Date: ledger.MustDate("2025-01-10"), Description: "sale", Reference: "INV-1", IdempotencyKey: "k1",
		Metadata: map[string]string{"src": "pos"},
		Lines: []ledger.Line{
			{Account: "1000", Side: ledger.Debit, Amount: dec("100.25"), Currency: "BDT", Memo: "cash", Dimensions: map[string]string{"site": "barapukuria"}},
			ledger.CreditLine("4000", dec("100.25"), "BDT"),
		},
	})
	require.NoError(t, err)
	got, err := l.Entry(ctx, tenant, e.ID)
	require.NoError(t, err)
	require.Equal(t, e.ID, got.ID)
	require.Equal(t, e.Date, got.Date)
	require.Equal(t, e.PostedAt, got.PostedAt)
	require.Equal(t, map[string]string{"src": "pos"}, got.Metadata)
	require.Len(t, got.Lines, 2)
	require.Equal(t, "1000", got.Lines[0].Account)
	require.True(t, got.Lines[0].Amount.Equal(dec("100.25")))
	require.Equal(t, map[string]string{"site": "barapukuria"}, got.Lines[0].Dimensions)
	require.Nil(t, got.Lines[1].Dimensions)

	// Replay: same key, same content -> same entry, nothing posted.
	again, err := l.Post(ctx, tenant, ledger.Entry{
		Date: ledger.MustDate("2025-01-10"), Description: "sale", Reference: "INV-1", IdempotencyKey: "k1",
		Metadata: map[string]string{"src": "pos"},
		Lines: []ledger.Line{
			{Account: "1000", Side: ledger.Debit, Amount: dec("100.25"), Currency: "BDT", Memo: "cash", Dimensions: map[string]string{"site": "barapukuria"}},
			ledger.CreditLine("4000", dec("100.25"), "BDT"),
		},
	})
	require.NoError(t, err)
	require.Equal(t, e.ID, again.ID)
	_, err = l.Post(ctx, tenant, sale("k1", "2025-01-10", "5"))
	require.ErrorIs(t, err, ledger.ErrIdempotencyConflict)

	rev, err := l.Reverse(ctx, tenant, e.ID, ledger.MustDate("2025-01-11"), ledger.ReverseOptions{})
	require.NoError(t, err)
	orig, err := l.Entry(ctx, tenant, e.ID)
	require.NoError(t, err)
	require.Equal(t, rev.ID, orig.ReversedBy)
	_, err = l.Reverse(ctx, tenant, e.ID, ledger.MustDate("2025-01-11"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrAlreadyReversed)

	// The store's own guard: a second reversal that got past the ledger's check.
	err = shared.Append(ctx, tenant, []string{"1000", "4000"}, nil, func(st ledger.PostState) ([]ledger.Entry, error) {
		r := rev
		r.ID, r.Reverses = uuid.Must(uuid.NewV7()), e.ID
		return []ledger.Entry{r}, nil
	})
	var are *ledger.AlreadyReversedError
	require.ErrorAs(t, err, &are)
	require.Equal(t, e.ID.String(), are.Entry)

	bs, err := l.Balances(ctx, tenant, ledger.BalanceQuery{})
	require.NoError(t, err)
	require.Len(t, bs, 2)
	for _, b := range bs {
		require.True(t, b.Balance.IsZero(), b)
		require.True(t, b.Debit.Equal(dec("100.25")), b)
	}

	_, err = l.Entry(ctx, tenant, uuid.New())
	require.ErrorIs(t, err, ledger.ErrEntryNotFound)
	_, err = l.Account(ctx, tenant, "9999")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
}

func TestBatchAndEntries(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	l := ledger.New(shared, ledger.Config{})
	tenant := tenantID(t)
	chart(t, l, tenant, "1000", "4000")
	var es []ledger.Entry
	for i := range 50 {
		es = append(es, sale(fmt.Sprintf("b%d", i), fmt.Sprintf("2025-02-%02d", i%28+1), fmt.Sprintf("%d.5", i+1)))
	}
	posted, err := l.PostBatch(ctx, tenant, es)
	require.NoError(t, err)
	require.Len(t, posted, 50)
	// Replaying the batch posts nothing and returns the same entries.
	again, err := l.PostBatch(ctx, tenant, es)
	require.NoError(t, err)
	for i := range posted {
		require.Equal(t, posted[i].ID, again[i].ID)
	}
	var all []ledger.Entry
	after := uuid.Nil
	for {
		page, err := l.Entries(ctx, tenant, ledger.EntryQuery{After: after, Limit: 7})
		require.NoError(t, err)
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		after = page[len(page)-1].ID
	}
	require.Len(t, all, 50)
	for i := 1; i < len(all); i++ {
		require.Negative(t, bytesCompare(all[i-1].ID, all[i].ID))
	}
	feb1, err := l.Entries(ctx, tenant, ledger.EntryQuery{From: ledger.MustDate("2025-02-01"), To: ledger.MustDate("2025-02-01")})
	require.NoError(t, err)
	require.Len(t, feb1, 2) // i = 0 and 28
	b, err := l.Balance(ctx, tenant, "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, b.Debit.Equal(dec("1300")), b.Debit.String()) // sum of i+1.5 for i<50 = 1275 + 25

	// An invalid batch writes nothing.
	rows := countRows(t, tenant)
	bad := append([]ledger.Entry{sale("x1", "2025-03-01", "1")}, sale("x2", "2025-03-01", "1.001"))
	_, err = l.PostBatch(ctx, tenant, bad)
	require.ErrorIs(t, err, ledger.ErrTooManyDecimals)
	require.Equal(t, rows, countRows(t, tenant))
}

func bytesCompare(a, b uuid.UUID) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func countRows(t *testing.T, tenant string) map[string]int {
	rows, err := newHarness(t).Rows(context.Background(), tenant)
	require.NoError(t, err)
	return rows
}

func TestBalancesAsOf(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	l := ledger.New(shared, ledger.Config{})
	tenant := tenantID(t)
	chart(t, l, tenant, "1000", "1100", "4000")
	post := func(date, amount string) {
		_, err := l.Post(ctx, tenant, sale("", date, amount))
		require.NoError(t, err)
	}
	post("2025-03-10", "10")
	post("2025-03-20", "20")
	post("2025-03-05", "5") // backdated
	_, err := l.Post(ctx, tenant, ledger.Entry{Date: ledger.MustDate("2025-03-25"), Lines: []ledger.Line{
		ledger.DebitLine("1100", dec("7"), "USD"), ledger.CreditLine("4000", dec("7"), "USD")}})
	require.NoError(t, err)

	cases := []struct {
		asOf         string
		cash, income string // BDT balances, "" = no row
	}{
		{"2025-03-01", "", ""},
		{"2025-03-05", "5", "5"},
		{"2025-03-19", "15", "15"},
		{"2025-03-20", "35", "35"},
	}
	for _, c := range cases {
		bs, err := l.Balances(ctx, tenant, ledger.BalanceQuery{AsOf: ledger.MustDate(c.asOf), Currency: "BDT"})
		require.NoError(t, err)
		if c.cash == "" {
			require.Empty(t, bs, c.asOf)
			continue
		}
		require.Len(t, bs, 2, c.asOf)
		require.Equal(t, "1000", bs[0].Account)
		require.Equal(t, ledger.Asset, bs[0].Type)
		require.Equal(t, ledger.Debit, bs[0].NormalSide)
		require.True(t, bs[0].Balance.Equal(dec(c.cash)), c.asOf)
		require.Equal(t, "4000", bs[1].Account)
		require.True(t, bs[1].Balance.Equal(dec(c.income)), c.asOf)
	}
	bs, err := l.Balances(ctx, tenant, ledger.BalanceQuery{AsOf: ledger.MustDate("2025-03-24")})
	require.NoError(t, err)
	require.Len(t, bs, 2) // no USD yet
	bs, err = l.Balances(ctx, tenant, ledger.BalanceQuery{})
	require.NoError(t, err)
	require.Len(t, bs, 4)
	require.Equal(t, []string{"1000/BDT", "1100/USD", "4000/BDT", "4000/USD"},
		[]string{bs[0].Account + "/" + bs[0].Currency, bs[1].Account + "/" + bs[1].Currency, bs[2].Account + "/" + bs[2].Currency, bs[3].Account + "/" + bs[3].Currency})
	bs, err = l.Balances(ctx, tenant, ledger.BalanceQuery{Accounts: []string{"4000"}, AsOf: ledger.MustDate("2025-12-31")})
	require.NoError(t, err)
	require.Len(t, bs, 2)
	tb, err := l.TrialBalance(ctx, tenant, ledger.Date{})
	require.NoError(t, err)
	require.True(t, tb.Balanced())
}

func TestTenantIsolation(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	l := ledger.New(shared, ledger.Config{})
	a, b := tenantID(t), tenantID(t)
	chart(t, l, a, "1000", "4000")
	chart(t, l, b, "1000") // same code, other tenant: allowed
	e, err := l.Post(ctx, a, sale("same-key", "2025-01-01", "1"))
	require.NoError(t, err)

	_, err = l.Entry(ctx, b, e.ID)
	require.ErrorIs(t, err, ledger.ErrEntryNotFound)
	_, err = l.Post(ctx, b, sale("same-key", "2025-01-01", "1"))
	require.ErrorIs(t, err, ledger.ErrAccountNotFound) // b has no 4000
	_, err = l.Reverse(ctx, b, e.ID, ledger.MustDate("2025-01-02"), ledger.ReverseOptions{})
	require.ErrorIs(t, err, ledger.ErrEntryNotFound)
	bs, err := l.Balances(ctx, b, ledger.BalanceQuery{})
	require.NoError(t, err)
	require.Empty(t, bs)
	es, err := l.Entries(ctx, b, ledger.EntryQuery{})
	require.NoError(t, err)
	require.Empty(t, es)
	accts, err := l.Accounts(ctx, b, ledger.AccountFilter{})
	require.NoError(t, err)
	require.Len(t, accts, 1)
	// b cannot use a's account as a parent.
	_, err = l.CreateAccount(ctx, b, ledger.Account{Code: "4100", Name: "x", Type: ledger.Revenue, Parent: "4000"})
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
}

func TestAccounts(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	l := ledger.New(shared, ledger.Config{})
	tenant := tenantID(t)
	_, err := l.CreateAccount(ctx, tenant, ledger.Account{Code: "1000", Name: "Assets", Type: ledger.Asset})
	require.NoError(t, err)
	for _, c := range []string{"1_10", "1%20", "1100", "1110"} {
		_, err := l.CreateAccount(ctx, tenant, ledger.Account{Code: c, Name: "A " + c, Type: ledger.Asset, Parent: "1000",
			Currencies: []string{"BDT", "USD"}, Metadata: map[string]string{"k": c}})
		require.NoError(t, err)
	}
	_, err = l.CreateAccount(ctx, tenant, ledger.Account{Code: "1100", Name: "dup", Type: ledger.Asset})
	require.ErrorIs(t, err, ledger.ErrAccountExists)
	_, err = l.CreateAccount(ctx, tenant, ledger.Account{Code: "2000", Name: "x", Type: ledger.Asset, Parent: "nope"})
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)

	codes := func(f ledger.AccountFilter) []string {
		as, err := l.Accounts(ctx, tenant, f)
		require.NoError(t, err)
		var out []string
		for _, a := range as {
			out = append(out, a.Code)
		}
		return out
	}
	require.Equal(t, []string{"1%20", "1000", "1100", "1110", "1_10"}, codes(ledger.AccountFilter{}))
	require.Equal(t, []string{"1_10"}, codes(ledger.AccountFilter{CodePrefix: "1_"}))
	require.Equal(t, []string{"1%20"}, codes(ledger.AccountFilter{CodePrefix: "1%"}))
	require.Equal(t, []string{"1100", "1110"}, codes(ledger.AccountFilter{CodePrefix: "11"}))
	require.Equal(t, []string{"1%20", "1100", "1110", "1_10"}, codes(ledger.AccountFilter{Parent: "1000"}))
	require.Empty(t, codes(ledger.AccountFilter{Type: ledger.Expense}))

	a, err := l.Account(ctx, tenant, "1100")
	require.NoError(t, err)
	require.Equal(t, "1000", a.Parent)
	require.Equal(t, []string{"BDT", "USD"}, a.Currencies)
	require.Equal(t, map[string]string{"k": "1100"}, a.Metadata)

	a2, err := l.BlockAccount(ctx, tenant, "1100")
	require.NoError(t, err)
	require.True(t, a2.Blocked)
	a2, err = l.MoveAccount(ctx, tenant, "1100", "")
	require.NoError(t, err)
	require.Empty(t, a2.Parent)
	_, err = l.MoveAccount(ctx, tenant, "1000", "1110") // 1110's parent is 1000: a cycle
	require.ErrorIs(t, err, ledger.ErrAccountCycle)
	got, err := l.Account(ctx, tenant, "1100")
	require.NoError(t, err)
	require.True(t, got.Blocked)
	require.Empty(t, got.Parent)
	require.Equal(t, a.CreatedAt, got.CreatedAt)
	_, err = l.RenameAccount(ctx, tenant, "nope", "x")
	require.ErrorIs(t, err, ledger.ErrAccountNotFound)
}

func TestHostTx(t *testing.T) {
	h := newHarness(t)
	t.Parallel()
	ctx := context.Background()
	tenant := tenantID(t)
	l := ledger.New(shared, ledger.Config{})
	chart(t, l, tenant, "1000", "4000")

	for _, commit := range []bool{false, true} {
		err := h.HostTx(ctx, tenant, commit, func(s ledger.Store) error {
			bl := ledger.New(s, ledger.Config{})
			// A failed call leaves the host transaction usable and unchanged.
			_, err := bl.Post(ctx, tenant, sale("", "2025-01-01", "0.001"))
			require.ErrorIs(t, err, ledger.ErrTooManyDecimals)
			err = s.Append(ctx, tenant, []string{"1000"}, nil, func(ledger.PostState) ([]ledger.Entry, error) {
				return []ledger.Entry{{ID: uuid.New(), Date: ledger.MustDate("2025-01-01"), Lines: []ledger.Line{
					{Account: "1000", AccountID: uuid.New(), Side: ledger.Debit, Amount: dec("1"), Currency: "BDT"},
					{Account: "1000", AccountID: uuid.New(), Side: ledger.Credit, Amount: dec("1"), Currency: "BDT"},
				}}}, nil // unknown account IDs: a foreign-key violation inside the savepoint
			})
			require.ErrorIs(t, err, ledger.ErrAccountNotFound)
			_, err = bl.Post(ctx, tenant, sale("host", "2025-01-01", "3"))
			return err
		})
		require.NoError(t, err)
		n, err := h.HostRows(ctx, tenant)
		require.NoError(t, err)
		rows, err := h.Rows(ctx, tenant)
		require.NoError(t, err)
		if commit {
			require.Equal(t, 1, n)
			require.Equal(t, 1, rows["erp_ledger_entries"])
		} else {
			require.Equal(t, 0, n)
			require.Equal(t, 0, rows["erp_ledger_entries"])
			require.Equal(t, 0, rows["erp_ledger_balances"])
		}
	}
}

func TestInTx(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	tenant := tenantID(t)
	l := ledger.New(shared, ledger.Config{})
	chart(t, l, tenant, "1000", "4000")
	boom := errors.New("boom")
	err := shared.InTx(ctx, func(tx *postgres.Store) error {
		if _, err := ledger.New(tx, ledger.Config{}).Post(ctx, tenant, sale("a", "2025-01-01", "1")); err != nil {
			return err
		}
		return boom
	})
	require.ErrorIs(t, err, boom)
	es, err := l.Entries(ctx, tenant, ledger.EntryQuery{})
	require.NoError(t, err)
	require.Empty(t, es)
	err = shared.InTx(ctx, func(tx *postgres.Store) error {
		tl := ledger.New(tx, ledger.Config{})
		if _, err := tl.Post(ctx, tenant, sale("a", "2025-01-01", "1")); err != nil {
			return err
		}
		_, err := tl.Post(ctx, tenant, sale("b", "2025-01-01", "2"))
		return err
	})
	require.NoError(t, err)
	es, err = l.Entries(ctx, tenant, ledger.EntryQuery{})
	require.NoError(t, err)
	require.Len(t, es, 2)
}

// Concurrent posters in two "processes" (pools) to the same hot accounts:
// exact totals, no error returned.
func TestConcurrentPosting(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	tenant := tenantID(t)
	l := ledger.New(shared, ledger.Config{})
	var codes []string
	for i := range 10 {
		codes = append(codes, fmt.Sprintf("1%03d", i))
	}
	chart(t, l, tenant, codes...)
	other := ledger.New(openAnother(t), ledger.Config{})
	workers, per := 16, 100
	if testing.Short() {
		per = 20
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*per)
	for w := range workers {
		lw := l
		if w%2 == 1 {
			lw = other
		}
		wg.Go(func() {
			for i := range per {
				a, b := codes[(w+i)%10], codes[(w+2*i+1)%10]
				if a == b {
					b = codes[(w+2*i+2)%10]
				}
				key := ""
				if i%5 == 0 {
					key = fmt.Sprintf("k%d", i) // workers race on the same keys
				}
				_, err := lw.Post(ctx, tenant, ledger.Entry{Date: ledger.MustDate("2025-01-01"), IdempotencyKey: key,
					Lines: []ledger.Line{ledger.DebitLine(a, dec("1.01"), "BDT"), ledger.CreditLine(b, dec("1.01"), "BDT")}})
				if err != nil && !(key != "" && errors.Is(err, ledger.ErrIdempotencyConflict)) {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	// Recompute every balance from the lines.
	var mismatches int
	err := shared.Pool().QueryRow(ctx, `SELECT count(*) FROM erp_ledger_balances b
		LEFT JOIN (SELECT account_id, currency,
			coalesce(sum(amount) FILTER (WHERE side = 'debit'), 0) d,
			coalesce(sum(amount) FILTER (WHERE side = 'credit'), 0) c
			FROM erp_ledger_lines WHERE tenant_id = $1 GROUP BY 1, 2) x USING (account_id, currency)
		WHERE b.tenant_id = $1 AND (b.debit <> x.d OR b.credit <> x.c)`, tenant).Scan(&mismatches)
	require.NoError(t, err)
	require.Zero(t, mismatches)
	var entries int
	require.NoError(t, shared.Pool().QueryRow(ctx, `SELECT count(*) FROM erp_ledger_entries WHERE tenant_id = $1`, tenant).Scan(&entries))
	keyed := per / 5
	require.Equal(t, workers*(per-keyed)+keyed, entries)
	bs, err := l.Balances(ctx, tenant, ledger.BalanceQuery{})
	require.NoError(t, err)
	total := decimal.Zero
	for _, b := range bs {
		total = total.Add(b.Debit).Sub(b.Credit)
	}
	require.True(t, total.IsZero())
}

// TestChartVersionsOverExistingAccounts applies migration 0013 to a
// schema whose tenants already have accounts (as an upgrade does): each
// tenant gets one version, and a change to an account gives its tenant,
// and no other, a new one.
func TestChartVersionsOverExistingAccounts(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	s := migratedSchema(t)
	gl := ledger.New(s, ledger.Config{})
	for _, tn := range []string{"t1", "t2"} {
		for _, code := range []string{"1010", "1020", "3000"} {
			_, err := gl.CreateAccount(ctx, tn, ledger.Account{Code: code, Name: "n" + code, Type: ledger.Asset})
			require.NoError(t, err)
		}
	}
	// Back to the schema before 0013, accounts kept.
	_, err := s.Pool().Exec(ctx, `DROP TABLE erp_ledger_chart_versions;
		DROP TRIGGER erp_ledger_accounts_version_insert ON erp_ledger_accounts;
		DROP TRIGGER erp_ledger_accounts_version_update ON erp_ledger_accounts;
		DROP TRIGGER erp_ledger_accounts_version_delete ON erp_ledger_accounts;
		DROP FUNCTION erp_ledger_chart_changed();
		DELETE FROM erp_migrations WHERE version = 13`)
	require.NoError(t, err)
	require.NoError(t, s.Migrate(ctx))
	versions := func() map[string]string {
		rows, err := s.Pool().Query(ctx, `SELECT tenant_id, version::text FROM erp_ledger_chart_versions`)
		require.NoError(t, err)
		out := map[string]string{}
		for rows.Next() {
			var tn, v string
			require.NoError(t, rows.Scan(&tn, &v))
			out[tn] = v
		}
		require.NoError(t, rows.Err())
		return out
	}
	before := versions()
	require.Len(t, before, 2)
	require.NotEqual(t, before["t1"], before["t2"])
	_, err = gl.RenameAccount(ctx, "t1", "1020", "Bank")
	require.NoError(t, err)
	after := versions()
	require.NotEqual(t, before["t1"], after["t1"], "a rename gives its tenant a new version")
	require.Equal(t, before["t2"], after["t2"], "and leaves the other tenant's")
}

// TestARKeysUpgrade runs migrations 0015 and 0016 over AR/AP data.
func TestARKeysUpgrade(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	s := migratedSchema(t)
	storagetest.ARKeysUpgrade(t, s, func(q string) error {
		_, err := s.Pool().Exec(ctx, q)
		return err
	}, func() error { return s.Migrate(ctx) })
}

// migratedSchema returns a store over a new schema (migratedSchemaName).
func migratedSchema(t *testing.T) *postgres.Store {
	return openAnotherIn(t, migratedSchemaName(t))
}

// migratedSchemaName makes a new schema, migrated and dropped after t,
// and returns its name.
func migratedSchemaName(t *testing.T) string {
	ctx := context.Background()
	schema := newSchemaName()
	_, err := shared.Pool().Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = shared.Pool().Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	require.NoError(t, openAnotherIn(t, schema).Migrate(ctx))
	return schema
}

// TestNewOverHostPool: a Store made by New over the host's pool posts and
// reads like one made by Open, and its Close leaves the host's pool open.
func TestNewOverHostPool(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, schemaDSN)
	require.NoError(t, err)
	defer pool.Close()
	st := postgres.New(pool)
	require.Same(t, pool, st.Pool())
	tenant := tenantID(t)
	l := ledger.New(st, ledger.Config{})
	chart(t, l, tenant, "1000", "4000")
	e, err := l.Post(ctx, tenant, sale("k1", "2025-01-01", "12.50"))
	require.NoError(t, err)
	// The shared store (Open) sees it: one database.
	got, err := ledger.New(shared, ledger.Config{}).Entry(ctx, tenant, e.ID)
	require.NoError(t, err)
	require.Equal(t, "k1", got.IdempotencyKey)
	b, err := l.Balance(ctx, tenant, "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, dec("12.50").Equal(b.Balance), b.Balance.String())
	st.Close()
	require.NoError(t, pool.Ping(ctx), "Close of a Store made by New closed the host's pool")
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM erp_ledger_entries WHERE tenant_id = $1`, tenant).Scan(&n))
	require.Equal(t, 1, n)
}

// holdCursor makes a tenant with accounts 1000 and 4000 and one posting
// (so that its calendar and event-cursor rows exist), and a transaction
// that holds the tenant's cursor row, which every posting takes last, till
// the test ends (or the test rolls it back).
func holdCursor(t *testing.T) (*ledger.Ledger, string, pgx.Tx) {
	t.Helper()
	ctx := context.Background()
	tenant := tenantID(t)
	l := ledger.New(shared, ledger.Config{})
	chart(t, l, tenant, "1000", "4000")
	_, err := l.Post(ctx, tenant, sale("", "2025-01-01", "1"))
	require.NoError(t, err)
	holder, err := shared.Pool().Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = holder.Rollback(ctx) })
	_, err = holder.Exec(ctx, `SELECT 1 FROM erp_event_cursors WHERE tenant_id = $1 FOR UPDATE`, tenant)
	require.NoError(t, err)
	return l, tenant, holder
}

// TestCommitWaitingTooLongIsCancelled: a posting whose COMMIT batch waits
// for a lock longer than the lock timeout (another session holds the
// tenant's event-cursor row, which every posting takes last) gets an error,
// and the server does not go on to commit it once the lock is free: the
// waiting statement fails and the transaction rolls back, which the COMMIT's
// answer says. (Dropping the connection, as the adapter once did after 30
// s, left the server to commit it, unseen.) Not parallel: it shortens the
// package's lock timeout.
func TestCommitWaitingTooLongIsCancelled(t *testing.T) {
	requirePostgres(t)
	defer postgres.SetLockTimeout(300 * time.Millisecond)()
	ctx := context.Background()
	l, tenant, holder := holdCursor(t)

	_, err := l.Post(ctx, tenant, sale("", "2025-01-02", "2")) // no deadline of its own
	require.Error(t, err)
	require.NoError(t, holder.Rollback(ctx))

	// A posting after it queues for the cursor row behind anything still
	// waiting for it: had the server gone on with the first, it would
	// commit before this one.
	_, err = l.Post(ctx, tenant, sale("", "2025-01-03", "4"))
	require.NoError(t, err)
	require.Equal(t, 2, countRows(t, tenant)["erp_ledger_entries"])
	b, err := l.Balance(ctx, tenant, "1000", "BDT", ledger.Date{})
	require.NoError(t, err)
	require.True(t, dec("5").Equal(b.Balance), b.Balance.String())
}

// TestCommitCancelledWhenCancelRequestLost: a posting whose deadline
// passes while its COMMIT batch waits for a lock returns its context's
// error even when the first cancel request is lost - as one is when it
// reaches the server between two statements of the batch, cancelling
// nothing (a CI run once saw postings wait 30 s so). The request is sent
// again until the server answers; the posting is not stored. Not
// parallel: it loses the package's next cancel request.
func TestCommitCancelledWhenCancelRequestLost(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	l, tenant, holder := holdCursor(t)

	defer postgres.LoseCancelRequests(1)()
	done := make(chan error, 1)
	go func() {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := l.Post(cctx, tenant, sale("", "2025-01-02", "2"))
		done <- err
	}()
	// A guard against a hang, not a timing assertion: the holder stays
	// open, and the lock timeout is 30 s.
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.DeadlineExceeded)
	case <-time.After(20 * time.Second):
		t.Fatal("a posting with a 300 ms deadline still waits after 20 s: its cancel request was not sent again")
	}
	require.NoError(t, holder.Rollback(ctx))
	require.Equal(t, 1, countRows(t, tenant)["erp_ledger_entries"], "the cancelled posting is not stored")
}

// TestLongCommitBatchCompletes: the statements sent with COMMIT may take as
// long as their work needs (a large PostBatch's balances and daily totals);
// only a wait for a lock is bounded. Before, a COMMIT batch without an
// answer after 30 s was cancelled, so a PostBatch of about a million
// entries could not be posted at all. Here the bound is 1 ms, far below the
// batch's work. Not parallel: it shortens the package's lock timeout.
func TestLongCommitBatchCompletes(t *testing.T) {
	requirePostgres(t)
	defer postgres.SetLockTimeout(time.Millisecond)()
	ctx := context.Background()
	tenant := tenantID(t)
	l := ledger.New(shared, ledger.Config{})
	codes := []string{}
	for i := range 40 {
		codes = append(codes, fmt.Sprintf("1%03d", i), fmt.Sprintf("4%03d", i))
	}
	chart(t, l, tenant, codes...)
	var es []ledger.Entry
	want := map[string]decimal.Decimal{}
	for i := range 3000 {
		dr, cr := codes[(i*7)%len(codes)], codes[(i*13+1)%len(codes)]
		if dr == cr {
			cr = codes[(i*13+2)%len(codes)]
		}
		amt := decimal.New(int64(i%997+1), -2)
		want[dr] = want[dr].Add(amt)
		want[cr] = want[cr].Sub(amt)
		es = append(es, ledger.Entry{
			Date: ledger.MustDate(fmt.Sprintf("2025-03-%02d", 28-i%28)), Description: "load",
			Lines: []ledger.Line{ledger.DebitLine(dr, amt, "BDT"), ledger.CreditLine(cr, amt, "BDT")},
		})
	}
	posted, err := l.PostBatch(ctx, tenant, es)
	require.NoError(t, err)
	require.Len(t, posted, len(es))
	require.Equal(t, len(es), countRows(t, tenant)["erp_ledger_entries"])
	for code, w := range want {
		b, err := l.Balance(ctx, tenant, code, "BDT", ledger.Date{})
		require.NoError(t, err)
		// Balance is signed by the account's normal side: debit for assets,
		// credit for revenue.
		if code[0] == '4' {
			w = w.Neg()
		}
		require.True(t, w.Equal(b.Balance), "%s: %s, want %s", code, b.Balance, w)
	}
}

// TestReportsWithOneConnection: a balance sheet reads the chart beside its
// balances, and the reports that read balances as of several dates hold
// one snapshot transaction throughout (ledger.SnapshotReader): over a pool
// of one connection they must take turns, not wait for each other.
func TestReportsWithOneConnection(t *testing.T) {
	requirePostgres(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(schemaDSN)
	require.NoError(t, err)
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	l := ledger.New(postgres.New(pool), ledger.Config{})
	tenant := tenantID(t)
	chart(t, l, tenant, "1000", "4000")
	_, err = l.Post(ctx, tenant, sale("", "2026-07-01", "500"))
	require.NoError(t, err)
	for range 5 {
		bs, err := l.BalanceSheet(ctx, tenant, ledger.MustDate("2026-08-15"),
			ledger.StatementOptions{Currency: "BDT", Compare: []ledger.Comparative{ledger.PreviousPeriod}})
		require.NoError(t, err)
		require.True(t, dec("500").Equal(bs.Sections[0].Total[1]), "assets at the end of July %s", bs.Sections[0].Total[1])
		is, err := l.IncomeStatement(ctx, tenant, ledger.MustDate("2026-07-01"), ledger.MustDate("2026-07-31"), ledger.StatementOptions{Currency: "BDT"})
		require.NoError(t, err)
		require.True(t, dec("500").Equal(is.Profit[0]), "profit %s", is.Profit[0])
		ptb, err := l.PeriodTrialBalance(ctx, tenant, ledger.MustDate("2026-07-01"), ledger.MustDate("2026-07-31"))
		require.NoError(t, err)
		require.True(t, ptb.Balanced())
		st, err := l.Statement(ctx, tenant, ledger.StatementQuery{Account: "1000", Currency: "BDT",
			From: ledger.MustDate("2026-07-01"), To: ledger.MustDate("2026-07-31")})
		require.NoError(t, err)
		require.True(t, dec("500").Equal(st.Closing), "closing %s", st.Closing)
	}
}
