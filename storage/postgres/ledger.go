package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
)

// The ledger's SQL. Tables and constraints are in migrations/0001_ledger.sql.

const accountSelect = `SELECT a.id, a.code, a.name, a.type, a.normal_side, coalesce(p.code, ''),
	a.currencies, a.blocked, a.metadata, a.created_at, a.required_dimensions
	FROM erp_ledger_accounts a
	LEFT JOIN erp_ledger_accounts p ON p.tenant_id = a.tenant_id AND p.id = a.parent_id`

const sqlCreateAccount = `INSERT INTO erp_ledger_accounts
	(tenant_id, id, code, name, type, normal_side, parent_id, currencies, blocked, metadata, created_at, required_dimensions)
	SELECT $1, $2, $3, $4, $5, $6, p.id, $8, $9, $10::jsonb, $11, $12
	FROM (SELECT 1) AS one
	LEFT JOIN erp_ledger_accounts p ON p.tenant_id = $1 AND p.code = $7
	WHERE $7 = '' OR p.id IS NOT NULL`

const sqlAccount = accountSelect + ` WHERE a.tenant_id = $1 AND a.code = $2`

const sqlAccountForUpdate = sqlAccount + ` FOR UPDATE OF a`

// Accounts a posting needs. They are not locked: a posting that read an
// account unblocked and commits after a concurrent BlockAccount is the same
// history as that posting committed just before the block (the block reads
// nothing the posting writes), so no anomaly can follow; a FOR KEY SHARE lock
// here cost 40% of a 1,000-entry batch.
//
// It starts from the codes, one probe of the (tenant, code) index each: with
// a generic plan, "a.tenant_id = $1 AND a.code = ANY($2)" scanned every
// account of the tenant (seen with 1,000 and 10,000 accounts). Each
// account comes with its last posting day (the latest of its balances'),
// which decides whether a posting may take the appending daily path.
var sqlPostAccounts = strings.Replace(accountSelect, "FROM erp_ledger_accounts a",
	`, (SELECT max(b.last_day) FROM erp_ledger_balances b WHERE b.tenant_id = a.tenant_id AND b.account_id = a.id)
	FROM unnest($2::text[]) AS c(code)
	CROSS JOIN LATERAL (SELECT * FROM erp_ledger_accounts a0
		WHERE a0.tenant_id = $1 AND a0.code = c.code OFFSET 0) a`, 1)

const sqlAccounts = accountSelect + ` WHERE a.tenant_id = $1
	AND ($2 = '' OR a.type = $2)
	AND ($3 = '' OR p.code = $3)
	AND starts_with(a.code, $4)`

// sqlChartVersion reads the version of the tenant's chart (0013).
const sqlChartVersion = `SELECT version::text FROM erp_ledger_chart_versions WHERE tenant_id = $1`

// outline is Accounts for an outline, from the tenant's chart (s.chart).
// When the chart of the current version is kept, reading that version is
// the only round trip (a version read alone names the chart as well as one
// read in a snapshot); otherwise the version and the chart are read in one
// snapshot.
func (s *Store) outline(ctx context.Context, tenant string, f ledger.AccountFilter) ([]ledger.Account, error) {
	var version []byte
	if err := s.reader().QueryRow(ctx, sqlChartVersion, tenant).Scan(&version); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, interpretError(err, nil)
	}
	ch, ok := s.charts.Get(tenant, version)
	if !ok {
		err := s.snapshot(ctx, func(tx pgx.Tx) error {
			version = nil
			if err := tx.QueryRow(ctx, sqlChartVersion, tenant).Scan(&version); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			var err error
			ch, err = s.chart(ctx, tx, tenant, version)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return f.Select(ch.outline), nil
}

// chart returns the tenant's chart as of version, the chart version read
// in q's snapshot: the one kept under it, else read through q and kept.
func (s *Store) chart(ctx context.Context, q querier, tenant string, version []byte) (*chart, error) {
	if ch, ok := s.charts.Get(tenant, version); ok {
		return ch, nil
	}
	ch, err := readChart(ctx, q, tenant)
	if err != nil {
		return nil, err
	}
	s.charts.Put(tenant, version, ch)
	return ch, nil
}

// chart is a tenant's outline of accounts (with their IDs), in code order,
// and each account's position by ID. It is never changed once read:
// reads running at once share it.
type chart struct {
	outline []ledger.Account
	byID    *idTable // position in outline by account ID
}

// readChart reads the tenant's chart.
func readChart(ctx context.Context, q querier, tenant string) (*chart, error) {
	rows, err := q.Query(ctx, sqlAccountsOutline, tenant, "", "", "")
	if err != nil {
		return nil, err
	}
	all, err := scanOutline(rows)
	if err != nil {
		return nil, err
	}
	ch := &chart{outline: all, byID: newIDTable(len(all))}
	for i, a := range all {
		ch.byID.add(a.ID, int32(i))
	}
	return ch, nil
}

// sqlAccountsOutline is sqlAccounts with only the columns of an outline
// (ledger.AccountFilter.Outline), in scanOutline's order.
const sqlAccountsOutline = `SELECT a.code, a.name, a.type, a.normal_side, coalesce(p.code, ''), a.blocked, a.id
	FROM erp_ledger_accounts a
	LEFT JOIN erp_ledger_accounts p ON p.tenant_id = a.tenant_id AND p.id = a.parent_id
	WHERE a.tenant_id = $1
	AND ($2 = '' OR a.type = $2)
	AND ($3 = '' OR p.code = $3)
	AND starts_with(a.code, $4)`

const sqlUpdateAccount = `UPDATE erp_ledger_accounts a SET
	name = $3,
	parent_id = (SELECT p.id FROM erp_ledger_accounts p WHERE p.tenant_id = $1 AND p.code = $4),
	blocked = $5, currencies = $6, metadata = $7::jsonb, required_dimensions = $8
	WHERE a.tenant_id = $1 AND a.id = $2
	RETURNING $4 = '' OR a.parent_id IS NOT NULL`

// entrySelect selects entries (filtered by where, ordered by ID, at most
// $limit) joined with their lines; $1 is the tenant.
func entrySelect(where, limit string) string {
	return entrySelectFrom(`SELECT * FROM erp_ledger_entries e WHERE e.tenant_id = $1 AND ` + where +
		` ORDER BY e.id LIMIT ` + limit)
}

// entrySelectFrom selects the entries of the statement from joined with
// their lines, ordered by ID.
func entrySelectFrom(from string) string {
	return `SELECT e.id, e.posting_date, e.description, e.reference, e.metadata,
		coalesce(e.idempotency_key, ''), e.reverses_id, r.id, e.posted_at,
		a.code, l.account_id, l.side, l.amount, l.currency, l.memo, l.dimensions, l.base_amount, l.rate
	FROM (` + from + `) e
	LEFT JOIN erp_ledger_entries r ON r.tenant_id = e.tenant_id AND r.reverses_id = e.id
	JOIN erp_ledger_lines l ON l.tenant_id = e.tenant_id AND l.entry_id = e.id
	JOIN erp_ledger_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
	ORDER BY e.id, l.line_no`
}

// probeEach selects columns from the tenant's ($1) rows of table, as e,
// whose column col (unique per tenant, an index's second column after
// tenant_id) is one of the values $2 (of SQL type typ): one index probe
// per distinct value, in value order, so that lock (say "FOR UPDATE")
// takes the rows in that order. The obvious "tenant_id = $1 AND col =
// ANY($2)" was planned, generically (a prepared statement from its sixth
// run) and on statistics older than the tenant's rows, as a scan of all
// the tenant's entries by their (tenant, date) index with the values as a
// filter: an idempotency check read every entry of the tenant, 0.1 ms at
// the start of the Post benchmark and 0.6 ms after 3,000 postings (29 ms
// at 200,000 entries in EXPLAIN ANALYZE). The LIMIT keeps PostgreSQL from
// flattening the lateral probe back into that join.
func probeEach(table, col, typ, columns, lock string) string {
	return `SELECT ` + columns + ` FROM (SELECT DISTINCT v FROM unnest($2::` + typ + `[]) AS u(v) ORDER BY v) k
	CROSS JOIN LATERAL (SELECT * FROM ` + table + ` x WHERE x.tenant_id = $1 AND x.` + col + ` = k.v LIMIT 1 ` + lock + `) e`
}

// entriesWhere selects the tenant's entries whose column col is one of
// the values $2 (probeEach).
func entriesWhere(col, typ, columns string) string {
	return probeEach("erp_ledger_entries", col, typ, columns, "")
}

var (
	sqlEntry       = entrySelect(`e.id = $2`, `1`)
	sqlEntriesByID = entrySelectFrom(entriesWhere("id", "uuid", "e.*"))
	// sqlEntriesByKey is sqlEntriesByID by idempotency key.
	sqlEntriesByKey = entrySelectFrom(entriesWhere("idempotency_key", "text", "e.*"))
	// sqlKeysTaken finds which keys are taken. Nearly always none is, so the
	// hot path runs this index probe, not the joined entry query.
	sqlKeysTaken = entriesWhere("idempotency_key", "text", "e.id")
	sqlEntries   = entrySelect(`($2::date IS NULL OR e.posting_date >= $2)
		AND ($3::date IS NULL OR e.posting_date <= $3) AND e.id > $4`, `$5`)
)

// Balance deltas, sorted by (account, currency) so that concurrent postings
// lock balance rows in one order: no deadlock, and the increment under the
// row lock loses no update.
//
// last_day is the latest posting day of the balance: the fast path of a
// posting (sqlPostOneFast) reads it, under the row lock, to know that no
// daily row of the account is later than its own day.
//
// Amounts travel as text[] (decimal strings) and are cast in the statement,
// here and in every posting statement: pgx sends a []string for a
// numeric[] parameter only after a failed attempt at the binary format,
// whose error message formats the whole array (twice the encoding time of
// the text[] form; 3.8 against 0.7 us for a two-element array).
const balanceUpsert = `INSERT INTO erp_ledger_balances AS b
		(tenant_id, account_id, currency, debit, credit, last_day, base_debit, base_credit)
	SELECT $1, d.account_id, d.currency, d.debit::numeric, d.credit::numeric, %s, d.base_debit::numeric, d.base_credit::numeric
	FROM %s unnest($%d::uuid[], $%d::text[], $%d::text[], $%d::text[], $%d::date[], $%d::text[], $%d::text[])
		WITH ORDINALITY AS d(account_id, currency, debit, credit, last_day, base_debit, base_credit, n)
	ORDER BY d.n
	ON CONFLICT (tenant_id, account_id, currency)
	DO UPDATE SET debit = b.debit + excluded.debit, credit = b.credit + excluded.credit,
		last_day = greatest(b.last_day, excluded.last_day),
		base_debit = b.base_debit + excluded.base_debit, base_credit = b.base_credit + excluded.base_credit`

var sqlUpsertBalances = fmt.Sprintf(balanceUpsert, "d.last_day", "", 2, 3, 4, 5, 6, 7, 8)

// sqlPostOne writes one entry, its lines and its balance deltas in one
// statement. The balance insert reads e, so the entry is inserted first: a
// duplicate idempotency key fails before any balance row is locked.
var sqlPostOne = `WITH e AS (
	INSERT INTO erp_ledger_entries
		(tenant_id, id, posting_date, description, reference, metadata, idempotency_key, reverses_id, posted_at)
	VALUES ($1, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)
	RETURNING id, posting_date
), l AS (
	INSERT INTO erp_ledger_lines
		(tenant_id, entry_id, line_no, account_id, posting_date, side, amount, currency, memo, dimensions, base_amount, rate)
	SELECT $1, e.id, x.n::integer, x.account_id, e.posting_date, x.side, x.amount::numeric, x.currency, x.memo, x.dims::jsonb,
		x.base_amount::numeric, x.rate::numeric
	FROM e, unnest($14::uuid[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $21::text[], $22::text[])
		WITH ORDINALITY AS x(account_id, side, amount, currency, memo, dims, base_amount, rate, n)
)
` + fmt.Sprintf(balanceUpsert, "d.last_day", "e,", 2, 3, 4, 5, 20, 23, 24)

// sqlPostMany is sqlPostOne for several entries ($9..$16) and their lines
// ($17..$27): one statement instead of two COPY round trips, for the small
// sets of entries a group commit writes. The balance insert reads e, so the
// entries go in first: a duplicate key fails before any balance is locked.
var sqlPostMany = `WITH e AS (
	INSERT INTO erp_ledger_entries
		(tenant_id, id, posting_date, description, reference, metadata, idempotency_key, reverses_id, posted_at)
	SELECT $1, x.id, x.day, x.description, x.reference, x.metadata::jsonb, x.key, x.reverses, x.posted_at
	FROM unnest($9::uuid[], $10::date[], $11::text[], $12::text[], $13::text[], $14::text[], $15::uuid[], $16::timestamptz[])
		AS x(id, day, description, reference, metadata, key, reverses, posted_at)
	RETURNING 1
), l AS (
	INSERT INTO erp_ledger_lines
		(tenant_id, entry_id, line_no, account_id, posting_date, side, amount, currency, memo, dimensions, base_amount, rate)
	SELECT $1, x.entry_id, x.line_no, x.account_id, x.day, x.side, x.amount::numeric, x.currency, x.memo, x.dims::jsonb,
		x.base_amount::numeric, x.rate::numeric
	FROM unnest($17::uuid[], $18::integer[], $19::uuid[], $20::date[], $21::text[], $22::text[], $23::text[],
			$24::text[], $25::text[], $26::text[], $27::text[])
		AS x(entry_id, line_no, account_id, day, side, amount, currency, memo, dims, base_amount, rate)
)
` + fmt.Sprintf(balanceUpsert, "d.last_day", "(SELECT count(*) FROM e) AS e,", 2, 3, 4, 5, 6, 7, 8)

// maxPostManyLines bounds the lines written by sqlPostMany; larger sets go
// by COPY.
const maxPostManyLines = 1000

// postManyArgs returns sqlPostMany's entry and line arguments ($9..$27).
func postManyArgs(es []ledger.Entry) []any {
	n := len(es)
	ids, days, descs, refs, metas := make([][16]byte, n), make([]pgtype.Date, n), make([]string, n), make([]string, n), make([]string, n)
	keys, revs, posted := make([]*string, n), make([]pgtype.UUID, n), make([]pgtype.Timestamptz, n)
	var lEntry, lAccount [][16]byte
	var lNo []int32
	var lDay []pgtype.Date
	var lSide, lAmount, lCur, lMemo, lDims, lBase []string
	var lRate []*string
	for i, e := range es {
		ids[i], days[i], descs[i], refs[i], metas[i] = [16]byte(e.ID), date(e.Date), e.Description, e.Reference, jsonText(e.Metadata)
		if e.IdempotencyKey != "" {
			k := e.IdempotencyKey
			keys[i] = &k
		}
		revs[i] = pgtype.UUID{Bytes: [16]byte(e.Reverses), Valid: e.Reverses != uuid.Nil}
		posted[i] = pgtype.Timestamptz{Time: e.PostedAt.UTC(), Valid: true}
		for j, l := range e.Lines {
			lEntry, lNo, lAccount, lDay = append(lEntry, [16]byte(e.ID)), append(lNo, int32(j+1)), append(lAccount, [16]byte(l.AccountID)), append(lDay, date(e.Date))
			lSide, lAmount, lCur, lMemo = append(lSide, string(l.Side)), append(lAmount, l.Amount.String()), append(lCur, l.Currency), append(lMemo, l.Memo)
			lDims, lBase, lRate = append(lDims, jsonText(l.Dimensions)), append(lBase, l.BaseAmount.String()), append(lRate, rateText(l.Rate))
		}
	}
	return []any{ids, days, descs, refs, metas, keys, revs, posted,
		lEntry, lNo, lAccount, lDay, lSide, lAmount, lCur, lMemo, lDims, lBase, lRate}
}

// sqlPostOneFast is sqlPostOne for a posting dated on or after the last
// posting day of each of its balances (as read before; most postings): the
// balance rows it has just locked and updated hold the totals through its
// day, so its daily rows are set to them in the same statement, with no
// statement of its own. Should a concurrent posting have moved a balance's
// last day past this one's in between, the daily debit is NULL and the NOT
// NULL constraint fails the statement; the adapter then runs the posting
// again by the general path (see dailyRaced).
var sqlPostOneFast = strings.Replace(sqlPostOne, "\nINSERT INTO erp_ledger_balances AS b", ", bal AS (INSERT INTO erp_ledger_balances AS b", 1) + `
	RETURNING b.account_id, b.currency, b.debit, b.credit, b.last_day, b.base_debit, b.base_credit)
INSERT INTO erp_ledger_daily (tenant_id, account_id, currency, day, debit, credit, base_debit, base_credit)
	SELECT $1, bal.account_id, bal.currency, $7, CASE WHEN bal.last_day = $7 THEN bal.debit END, bal.credit,
		bal.base_debit, bal.base_credit FROM bal
	ON CONFLICT (tenant_id, account_id, currency, day) DO UPDATE SET debit = excluded.debit, credit = excluded.credit,
		base_debit = excluded.base_debit, base_credit = excluded.base_credit`

// The balances of the accounts with codes $2 (all accounts when empty).
const balanceFilter = `AND (coalesce(cardinality($2::text[]), 0) = 0
		OR b.account_id IN (SELECT f.id FROM erp_ledger_accounts f WHERE f.tenant_id = $1 AND f.code = ANY($2)))
	AND ($3 = '' OR b.currency = $3)`

// Current balances join accounts on their primary key: an index probe even
// when statistics are stale, so no plan of it is quadratic, and a hash join
// when they are fresh (7 ms against 30 ms for the LATERAL probe per row at
// 10,000 accounts).
const sqlBalances = `SELECT a.code, a.name, a.type, a.normal_side, b.currency, b.debit, b.credit,
		b.base_debit, b.base_credit
	FROM erp_ledger_balances b
	JOIN erp_ledger_accounts a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
	WHERE b.tenant_id = $1 ` + balanceFilter

// single runs one statement atomically: on the pool directly (retried on
// transient conflicts), or in a savepoint of the bound transaction.
func (s *Store) single(ctx context.Context, fn func(q querier) error) error {
	if s.snap != nil {
		return errReadOnly
	}
	if s.tx != nil {
		return s.write(ctx, func(tx *txn) error { return fn(tx) })
	}
	err := retry(ctx, func() error { return interpretError(fn(s.pool), nil) })
	if ce, ok := err.(*callbackError); ok {
		return ce.err
	}
	return err
}

// CreateAccount implements ledger.Store.
func (s *Store) CreateAccount(ctx context.Context, tenant string, a ledger.Account) error {
	return s.single(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, sqlCreateAccount, tenant, [16]byte(a.ID), a.Code, a.Name, string(a.Type), string(a.NormalSide),
			a.Parent, textArray(a.Currencies), a.Blocked, jsonText(a.Metadata), a.CreatedAt.UTC(), textArray(a.RequiredDimensions))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &callbackError{fmt.Errorf("%w: parent %s", ledger.ErrAccountNotFound, a.Parent)}
		}
		return nil
	})
}

// Account implements ledger.Store.
func (s *Store) Account(ctx context.Context, tenant, code string) (ledger.Account, error) {
	a, err := scanAccount(s.reader().QueryRow(ctx, sqlAccount, tenant, code))
	if err != nil {
		return ledger.Account{}, interpretError(err, fmt.Errorf("%w: %s", ledger.ErrAccountNotFound, code))
	}
	return a, nil
}

// Accounts implements ledger.Store.
func (s *Store) Accounts(ctx context.Context, tenant string, f ledger.AccountFilter) ([]ledger.Account, error) {
	query, scan := sqlAccounts, scanAccounts
	if f.Outline {
		if s.charts != nil {
			return s.outline(ctx, tenant, f)
		}
		query, scan = sqlAccountsOutline, scanOutline
	}
	rows, err := s.reader().Query(ctx, query, tenant, string(f.Type), f.Parent, f.CodePrefix)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := scan(rows)
	return out, interpretError(err, nil)
}

// UpdateAccount implements ledger.Store.
func (s *Store) UpdateAccount(ctx context.Context, tenant, code string,
	fn func(a *ledger.Account, lookup func(code string) (ledger.Account, error)) error) (ledger.Account, error) {
	var out ledger.Account
	err := s.write(ctx, func(tx *txn) error {
		orig, err := scanAccount(tx.QueryRow(ctx, sqlAccountForUpdate, tenant, code))
		if err != nil {
			return interpretError(err, &callbackError{fmt.Errorf("%w: %s", ledger.ErrAccountNotFound, code)})
		}
		lookup := func(c string) (ledger.Account, error) {
			a, err := scanAccount(tx.QueryRow(ctx, sqlAccount, tenant, c))
			if err != nil {
				return ledger.Account{}, interpretError(err, fmt.Errorf("%w: %s", ledger.ErrAccountNotFound, c))
			}
			return a, nil
		}
		a := orig
		if err := fn(&a, lookup); err != nil {
			return &callbackError{err}
		}
		a.ID, a.Code, a.Type, a.CreatedAt = orig.ID, orig.Code, orig.Type, orig.CreatedAt
		var parentOK bool
		err = tx.QueryRow(ctx, sqlUpdateAccount, tenant, [16]byte(a.ID), a.Name, a.Parent, a.Blocked,
			textArray(a.Currencies), jsonText(a.Metadata), textArray(a.RequiredDimensions)).Scan(&parentOK)
		if err != nil {
			return err
		}
		if !parentOK {
			return &callbackError{fmt.Errorf("%w: parent %s", ledger.ErrAccountNotFound, a.Parent)}
		}
		out = a
		return nil
	})
	if err != nil {
		return ledger.Account{}, err
	}
	return out, nil
}

// Append implements ledger.Store. On a Store with a pool of its own,
// concurrent postings of one tenant commit in groups (ledger_group.go).
func (s *Store) Append(ctx context.Context, tenant string, codes, keys []string,
	check func(ledger.PostState) ([]ledger.Entry, error)) error {
	if s.grp != nil && s.tx == nil {
		return s.appendGrouped(ctx, tenant, codes, keys, check)
	}
	return s.appendOne(ctx, tenant, codes, keys, check)
}

// appendOne is Append in a transaction of its own.
func (s *Store) appendOne(ctx context.Context, tenant string, codes, keys []string,
	check func(ledger.PostState) ([]ledger.Entry, error)) error {
	// Keys are nearly always new, so the first attempt does not look them up:
	// a taken key fails the insert on its unique index, and the attempts
	// after that load the entries under the keys for check to replay or refuse.
	attempts := 0
	return s.write(ctx, func(tx *txn) error {
		attempts++
		lookup := keys
		if attempts == 1 {
			lookup = nil
		}
		st, lastDays, err := loadPostState(ctx, tx, tenant, codes, lookup)
		if err != nil {
			return err
		}
		es, err := check(st)
		if err != nil && lookup == nil && len(keys) > 0 {
			// Refused without the keys in view: look again with them, so
			// that the errors name every taken key too.
			if st, lastDays, err = loadPostState(ctx, tx, tenant, codes, keys); err != nil {
				return err
			}
			es, err = check(st)
		}
		if err != nil {
			return &callbackError{err}
		}
		switch len(es) {
		case 0:
			return nil
		case 1:
			// The fast path needs the statements sent with COMMIT (a
			// standalone transaction) and a first attempt: an attempt
			// after a race runs the general path.
			fast := tx.sp == nil && attempts == 1 && appends(es[0], lastDays)
			err = postOne(ctx, tx, tenant, es[0], fast)
		default:
			var known map[uuid.UUID]ledger.Date // nil: the general daily path
			if tx.sp == nil && attempts == 1 {
				known = lastDays
			}
			err = postMany(ctx, tx, tenant, es, known)
		}
		if err != nil {
			return err
		}
		// Last: the events lock the tenant's cursor row until COMMIT.
		return syDeferEvents(ctx, tx, tenant, outbox.Ledger(es...))
	})
}

// loadPostState reads the accounts and the entries under the keys in one
// round trip.
// appends reports whether e is dated on or after the last posting day of
// every account it posts to (as read by loadPostState).
func appends(e ledger.Entry, lastDays map[uuid.UUID]ledger.Date) bool {
	for _, l := range e.Lines {
		if d, ok := lastDays[l.AccountID]; ok && e.Date.Before(d) {
			return false
		}
	}
	return true
}

// sqlGenericPlans makes a posting transaction's statements run their
// prepared generic plans. With the default plan_cache_mode PostgreSQL
// plans the statements over arrays afresh on every run, because a custom
// plan knows the arrays' lengths and so looks cheaper than the generic
// one: up to a millisecond of planning per statement (the daily totals),
// a quarter of the server's time for a backdated posting. Every statement
// a posting runs probes its indexes in its generic plan too (plan_test.go).
const sqlGenericPlans = `SET LOCAL plan_cache_mode = force_generic_plan`

// sqlCustomPlans plans the statements after it in its transaction for
// their arguments (until a sqlGenericPlans): as-of reads, and the daily
// totals of large sets (sqlDailyJoin).
const sqlCustomPlans = `SET LOCAL plan_cache_mode = force_custom_plan`

func loadPostState(ctx context.Context, tx *txn, tenant string, codes, keys []string) (ledger.PostState, map[uuid.UUID]ledger.Date, error) {
	st := ledger.PostState{Accounts: make(map[string]ledger.Account, len(codes)), Existing: map[string]ledger.Entry{}}
	lastDays := map[uuid.UUID]ledger.Date{}
	var b pgx.Batch
	if tx.sp == nil && !tx.begun {
		// The adapter's own transaction (a host's keeps its settings),
		// from its start (with BEGIN in this batch).
		b.Queue(sqlGenericPlans)
	}
	if len(codes) > 0 {
		b.Queue(sqlPostAccounts, tenant, codes).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var last pgtype.Date
				a, err := scanAccount(rows, &last)
				if err != nil {
					return err
				}
				st.Accounts[a.Code] = a
				if last.Valid {
					lastDays[a.ID] = ledger.DateOf(last.Time)
				}
			}
			return rows.Err()
		})
	}
	haveCalendar := false
	b.Queue(sqlCalendarLockShared, tenant) // before the calendar is read (see sqlCalendarShare)
	b.Queue(sqlCalendarShare, tenant).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var err error
			if st.Calendar, err = scanCalendar(rows); err != nil {
				return err
			}
			haveCalendar = true
		}
		return rows.Err()
	})
	b.Queue(sqlDimensions, tenant).Query(func(rows pgx.Rows) error {
		var err error
		st.Dimensions, err = scanDimensions(rows)
		return err
	})
	var taken [][16]byte
	if len(keys) > 0 {
		b.Queue(sqlKeysTaken, tenant, keys).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id [16]byte
				if err := rows.Scan(&id); err != nil {
					return err
				}
				taken = append(taken, id)
			}
			return rows.Err()
		})
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return st, lastDays, err
	}
	if !haveCalendar {
		// The tenant's first posting: insert the calendar row, so that a
		// first close waits for this posting (see sqlCalendarShare).
		if _, err := tx.Exec(ctx, sqlCalendarInsert, tenant); err != nil {
			return st, lastDays, err
		}
		c, err := scanCalendar(tx.QueryRow(ctx, sqlCalendarShare, tenant))
		if err != nil {
			return st, lastDays, err
		}
		st.Calendar = c
	}
	if len(taken) == 0 {
		return st, lastDays, nil
	}
	// A retry: load the entries posted under the keys, to replay or refuse.
	rows, err := tx.Query(ctx, sqlEntriesByID, tenant, taken)
	if err != nil {
		return st, lastDays, err
	}
	es, err := scanEntries(rows)
	for _, e := range es {
		st.Existing[e.IdempotencyKey] = e
	}
	return st, lastDays, err
}

// postOne writes one entry in one statement (sqlPostOne).
func postOne(ctx context.Context, tx *txn, tenant string, e ledger.Entry, fast bool) error {
	n := len(e.Lines)
	ids := make([][16]byte, n)
	sides, amounts, currencies, memos, dims := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	bases, rates := make([]string, n), make([]*string, n)
	for i, l := range e.Lines {
		ids[i], sides[i], amounts[i], currencies[i], memos[i], dims[i] =
			[16]byte(l.AccountID), string(l.Side), l.Amount.String(), l.Currency, l.Memo, jsonText(l.Dimensions)
		bases[i], rates[i] = l.BaseAmount.String(), rateText(l.Rate)
	}
	ds := dayDeltas([]ledger.Entry{e})
	bAcc, bCur, bDeb, bCred, bLast, bBaseDeb, bBaseCred := balanceDeltas(ds)
	query := sqlPostOne
	if fast {
		query = sqlPostOneFast
	}
	if err := tx.deferExec(ctx, query, tenant, bAcc, bCur, bDeb, bCred,
		[16]byte(e.ID), date(e.Date), e.Description, e.Reference, jsonText(e.Metadata),
		nullText(e.IdempotencyKey), nullUUID(e.Reverses), e.PostedAt.UTC(),
		ids, sides, amounts, currencies, memos, dims, bLast, bases, rates, bBaseDeb, bBaseCred); err != nil {
		return err
	}
	if fast {
		return nil
	}
	return addDaily(ctx, tx, tenant, ds)
}

// postMany writes entries and lines with COPY, then the balance deltas of
// all entries in one upsert. lastDays, when not nil, are the accounts' last
// posting days read before the balance lock: the balances whose posted days
// are all on or after them take sqlDailyAppend, the others sqlDaily.
func postMany(ctx context.Context, tx *txn, tenant string, es []ledger.Entry, lastDays map[uuid.UUID]ledger.Date) error {
	nLines := 0
	for _, e := range es {
		nLines += len(e.Lines)
	}
	ds := dayDeltas(es)
	bAcc, bCur, bDeb, bCred, bLast, bBaseDeb, bBaseCred := balanceDeltas(ds)
	balances := []any{tenant, bAcc, bCur, bDeb, bCred, bLast, bBaseDeb, bBaseCred}
	if nLines <= maxPostManyLines {
		if err := tx.deferExec(ctx, sqlPostMany, append(balances, postManyArgs(es)...)...); err != nil {
			return err
		}
		return addDailySplit(ctx, tx, tenant, ds, lastDays)
	}
	entryRows := make([][]any, len(es))
	lineRows := make([][]any, 0, nLines)
	for i, e := range es {
		d := date(e.Date)
		entryRows[i] = []any{tenant, [16]byte(e.ID), d, e.Description, e.Reference, jsonText(e.Metadata),
			nullText(e.IdempotencyKey), nullUUID(e.Reverses), e.PostedAt.UTC()}
		for j, l := range e.Lines {
			lineRows = append(lineRows, []any{tenant, [16]byte(e.ID), int32(j + 1), [16]byte(l.AccountID), d, string(l.Side),
				numeric(l.Amount), l.Currency, l.Memo, jsonText(l.Dimensions), numeric(l.BaseAmount), nullRate(l.Rate)})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"erp_ledger_entries"},
		[]string{"tenant_id", "id", "posting_date", "description", "reference", "metadata", "idempotency_key", "reverses_id", "posted_at"},
		pgx.CopyFromRows(entryRows)); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"erp_ledger_lines"},
		[]string{"tenant_id", "entry_id", "line_no", "account_id", "posting_date", "side", "amount", "currency", "memo", "dimensions",
			"base_amount", "rate"},
		pgx.CopyFromRows(lineRows)); err != nil {
		return err
	}
	if err := tx.deferExec(ctx, sqlUpsertBalances, balances...); err != nil {
		return err
	}
	return addDailySplit(ctx, tx, tenant, ds, lastDays)
}

// The cumulative daily rows (see migration 0004) are kept by a statement
// that runs after the balance upsert. That upsert has locked every
// balance row the posting touches, and each statement of a READ COMMITTED
// transaction reads a snapshot taken when it starts: so it sees every
// posting to the same accounts that committed before, and none can commit
// in between. (Inside the upsert's own statement the snapshot would be older
// than the lock, and a concurrent backdated posting could be missed.)
//
// sqlDaily adds the posted sums to the daily rows in one statement. x
// holds, per account, currency and posted day, the running sum of the
// posted days up to it and the next posted day. Existing rows in
// [day, next posted day) gain the running sum at day; a posted day without
// a row gets one: the row before it plus the running sum. Both parts read
// the statement's snapshot, so neither sees the other's writes, and they
// touch different rows.
//
// Every read of the daily rows is a LATERAL probe of the primary key per
// posted day, so that the plan holds whatever the statistics say: joined
// to x instead, a generic plan on statistics older than the tenant's rows
// (x taken for 100 rows, the tenant for a few) read every daily row of
// the tenant twice, 3.5 ms a statement after 6,000 postings
// (TestDailyTotalsProbeTheIndex). The update reaches the rows the probe
// found by their TIDs, which no other transaction can change in between:
// every writer of a balance's daily rows holds its balance row's lock
// (TestDailyRowWriters fails on a writer it does not list).
// The row at or before a posted day both tells whether the day has a row
// and, when it has not, gives the sums before it.
const (
	dailySums = `WITH x AS (
		SELECT t.account_id, t.currency, t.day,
			sum(t.debit::numeric) OVER w AS debit, sum(t.credit::numeric) OVER w AS credit,
			sum(t.base_debit::numeric) OVER w AS base_debit, sum(t.base_credit::numeric) OVER w AS base_credit,
			lead(t.day) OVER w AS next_day
		FROM unnest($2::uuid[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[])
			AS t(account_id, currency, day, debit, credit, base_debit, base_credit)
		WINDOW w AS (PARTITION BY t.account_id, t.currency ORDER BY t.day)
	)`
	dailyInsert = `
	INSERT INTO erp_ledger_daily (tenant_id, account_id, currency, day, debit, credit, base_debit, base_credit)
	SELECT $1, x.account_id, x.currency, x.day, coalesce(p.debit, 0) + x.debit, coalesce(p.credit, 0) + x.credit,
		coalesce(p.base_debit, 0) + x.base_debit, coalesce(p.base_credit, 0) + x.base_credit
	FROM x
	LEFT JOIN LATERAL (
		SELECT r.day, r.debit, r.credit, r.base_debit, r.base_credit FROM erp_ledger_daily r
		WHERE r.tenant_id = $1 AND r.account_id = x.account_id AND r.currency = x.currency AND r.day <= x.day
		ORDER BY r.day DESC LIMIT 1) p ON true
	WHERE p.day IS DISTINCT FROM x.day`
	dailySet = `
		SET debit = r.debit + x.debit, credit = r.credit + x.credit,
			base_debit = r.base_debit + x.base_debit, base_credit = r.base_credit + x.base_credit`
	dailyRange = `r.tenant_id = $1 AND r.account_id = x.account_id AND r.currency = x.currency
		AND r.day >= x.day AND (x.next_day IS NULL OR r.day < x.next_day)`

	sqlDaily = dailySums + `, upd AS (
		UPDATE erp_ledger_daily r` + dailySet + `
		FROM (SELECT d.tid, x.debit, x.credit, x.base_debit, x.base_credit FROM x
			CROSS JOIN LATERAL (SELECT r.ctid AS tid FROM erp_ledger_daily r WHERE ` + dailyRange + ` OFFSET 0) d) x -- x with TIDs
		WHERE r.ctid = x.tid
	)` + dailyInsert

	// sqlDailyJoin is sqlDaily for more than dailyProbeMax posted days in
	// the adapter's own transaction: its update joins x to the daily rows,
	// planned for the set's size (a custom plan). A 1,000-entry batch dated
	// over 28 days to 1,000 accounts posts about 2,000 days, and there a
	// hash join over the tenant's 28,000 daily rows beats 2,000 probes:
	// 7,100-7,200 entries/s against 6,000-6,300. Its generic plan, on the
	// statistics of an unanalyzed tenant, must be avoided: 1,700.
	sqlDailyJoin = dailySums + `, upd AS (
		UPDATE erp_ledger_daily r` + dailySet + `
		FROM x WHERE ` + dailyRange + `
	)` + dailyInsert
)

// dailyProbeMax is the most posted days sqlDaily takes in the adapter's
// own transaction.
const dailyProbeMax = 256

// sqlDailyAppend is sqlDaily for postings dated on or after the last day
// of every balance they touch (as read before the balance lock): no daily
// row is later than the first posted day of its balance, so each posted
// day's row is the locked balance (which now includes the postings) less
// the posted sums of its later posted days ($5..$8, summed by the adapter).
// Should a concurrent posting have written a row of the balance after its
// first posted day in between (found in this statement's snapshot, taken
// under the balance lock), the debit is NULL and the NOT NULL constraint
// fails the statement, which is then run again by the general path (as
// sqlPostOneFast). Checking only the balance's last day would miss a row
// between two posted days (LedgerTwoStores found that). Each balance is a
// LATERAL probe of its key, as sqlDaily's reads are.
const sqlDailyAppend = `INSERT INTO erp_ledger_daily AS r
		(tenant_id, account_id, currency, day, debit, credit, base_debit, base_credit)
	SELECT $1, t.account_id, t.currency, t.day,
		CASE WHEN NOT EXISTS (SELECT 1 FROM erp_ledger_daily p
			WHERE p.tenant_id = $1 AND p.account_id = t.account_id AND p.currency = t.currency AND p.day > t.min_day)
		THEN b.debit - t.debit::numeric END, b.credit - t.credit::numeric,
		b.base_debit - t.base_debit::numeric, b.base_credit - t.base_credit::numeric
	FROM unnest($2::uuid[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[])
		AS t(account_id, currency, day, debit, credit, base_debit, base_credit, min_day)
	CROSS JOIN LATERAL (SELECT b.debit, b.credit, b.base_debit, b.base_credit FROM erp_ledger_balances b
		WHERE b.tenant_id = $1 AND b.account_id = t.account_id AND b.currency = t.currency OFFSET 0) b
	ON CONFLICT (tenant_id, account_id, currency, day) DO UPDATE SET debit = excluded.debit, credit = excluded.credit,
		base_debit = excluded.base_debit, base_credit = excluded.base_credit`

// addDailyAppend queues sqlDailyAppend for the sorted day sums ds.
func addDailyAppend(ctx context.Context, tx *txn, tenant string, ds []dayDelta) error {
	n := len(ds)
	accounts, currencies, days, minDays := make([][16]byte, n), make([]string, n), make([]pgtype.Date, n), make([]pgtype.Date, n)
	debits, credits, baseDebits, baseCredits := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	// Walk each balance's days backwards, summing the later days' deltas.
	for i := n - 1; i >= 0; {
		first := i
		for first > 0 && ds[first-1].account == ds[i].account && ds[first-1].currency == ds[i].currency {
			first--
		}
		j := i
		var d, c, bd, bc decimal.Decimal
		for ; j >= first; j-- {
			accounts[j], currencies[j], days[j], minDays[j] = [16]byte(ds[j].account), ds[j].currency, date(ds[j].day), date(ds[first].day)
			debits[j], credits[j], baseDebits[j], baseCredits[j] = d.String(), c.String(), bd.String(), bc.String()
			d, c = d.Add(ds[j].debit), c.Add(ds[j].credit)
			bd, bc = bd.Add(ds[j].baseDebit), bc.Add(ds[j].baseCredit)
		}
		i = j
	}
	return tx.deferExec(ctx, sqlDailyAppend, tenant, accounts, currencies, days, debits, credits, baseDebits, baseCredits, minDays)
}

// addDailySplit queues the daily statements for the sorted day sums ds:
// sqlDailyAppend for the balances whose first posted day is on or after
// their account's last posting day (lastDays; nil sends all to sqlDaily),
// sqlDaily for the others. They touch different balances.
func addDailySplit(ctx context.Context, tx *txn, tenant string, ds []dayDelta, lastDays map[uuid.UUID]ledger.Date) error {
	if lastDays == nil {
		return addDaily(ctx, tx, tenant, ds)
	}
	var app, gen []dayDelta
	for i := 0; i < len(ds); {
		j := i
		for j < len(ds) && ds[j].account == ds[i].account && ds[j].currency == ds[i].currency {
			j++
		}
		// ds[i] is the balance's first posted day.
		if last, ok := lastDays[ds[i].account]; ok && ds[i].day.Before(last) {
			gen = append(gen, ds[i:j]...)
		} else {
			app = append(app, ds[i:j]...)
		}
		i = j
	}
	if len(app) > 0 {
		if err := addDailyAppend(ctx, tx, tenant, app); err != nil {
			return err
		}
	}
	if len(gen) > 0 {
		return addDaily(ctx, tx, tenant, gen)
	}
	return nil
}

// addDaily queues the daily statement for the day sums ds.
func addDaily(ctx context.Context, tx *txn, tenant string, ds []dayDelta) error {
	n := len(ds)
	accounts, currencies, days := make([][16]byte, n), make([]string, n), make([]pgtype.Date, n)
	debits, credits, baseDebits, baseCredits := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, d := range ds {
		accounts[i], currencies[i], days[i] = [16]byte(d.account), d.currency, date(d.day)
		debits[i], credits[i] = d.debit.String(), d.credit.String()
		baseDebits[i], baseCredits[i] = d.baseDebit.String(), d.baseCredit.String()
	}
	if n <= dailyProbeMax || tx.sp != nil {
		// A host's transaction keeps its own settings: sqlDaily, whose
		// plans hold in any mode.
		return tx.deferExec(ctx, sqlDaily, tenant, accounts, currencies, days, debits, credits, baseDebits, baseCredits)
	}
	if err := tx.deferExec(ctx, sqlCustomPlans); err != nil {
		return err
	}
	if err := tx.deferExec(ctx, sqlDailyJoin, tenant, accounts, currencies, days, debits, credits, baseDebits, baseCredits); err != nil {
		return err
	}
	return tx.deferExec(ctx, sqlGenericPlans)
}

// dayDelta is the debit and credit of the posted lines of one account,
// currency and posting day.
type dayDelta struct {
	account       uuid.UUID
	currency      string
	day           ledger.Date
	debit, credit decimal.Decimal
	// baseDebit and baseCredit sum the lines' base amounts.
	baseDebit, baseCredit decimal.Decimal
}

// dayDeltas sums the entries' lines per account, currency and day, sorted
// by account ID, currency and day: balance rows are locked in that order.
func dayDeltas(es []ledger.Entry) []dayDelta {
	type key struct {
		account  uuid.UUID
		currency string
		day      ledger.Date
	}
	at := map[key]int{}
	var out []dayDelta
	for _, e := range es {
		for _, l := range e.Lines {
			k := key{l.AccountID, l.Currency, e.Date}
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, dayDelta{account: l.AccountID, currency: l.Currency, day: e.Date,
					debit: decimal.Zero, credit: decimal.Zero, baseDebit: decimal.Zero, baseCredit: decimal.Zero})
			}
			if l.Side == ledger.Debit {
				out[i].debit = out[i].debit.Add(l.Amount)
				out[i].baseDebit = out[i].baseDebit.Add(l.BaseAmount)
			} else {
				out[i].credit = out[i].credit.Add(l.Amount)
				out[i].baseCredit = out[i].baseCredit.Add(l.BaseAmount)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if c := bytes.Compare(out[i].account[:], out[j].account[:]); c != 0 {
			return c < 0
		}
		if out[i].currency != out[j].currency {
			return out[i].currency < out[j].currency
		}
		return out[i].day.Before(out[j].day)
	})
	return out
}

// balanceDeltas folds the sorted day sums into one delta per account and
// currency, with the latest posted day, in lock order.
func balanceDeltas(ds []dayDelta) (accounts [][16]byte, currencies, debits, credits []string, lastDays []pgtype.Date,
	baseDebits, baseCredits []string) {
	for i := 0; i < len(ds); {
		d, debit, credit, bd, bc := ds[i], decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
		last := d.day
		for ; i < len(ds) && ds[i].account == d.account && ds[i].currency == d.currency; i++ {
			debit, credit, last = debit.Add(ds[i].debit), credit.Add(ds[i].credit), ds[i].day
			bd, bc = bd.Add(ds[i].baseDebit), bc.Add(ds[i].baseCredit)
		}
		accounts = append(accounts, [16]byte(d.account))
		currencies = append(currencies, d.currency)
		debits = append(debits, debit.String())
		credits = append(credits, credit.String())
		lastDays = append(lastDays, date(last))
		baseDebits = append(baseDebits, bd.String())
		baseCredits = append(baseCredits, bc.String())
	}
	return accounts, currencies, debits, credits, lastDays, baseDebits, baseCredits
}

// Entry implements ledger.Store.
func (s *Store) Entry(ctx context.Context, tenant string, id uuid.UUID) (ledger.Entry, error) {
	rows, err := s.reader().Query(ctx, sqlEntry, tenant, [16]byte(id))
	if err != nil {
		return ledger.Entry{}, interpretError(err, nil)
	}
	es, err := scanEntries(rows)
	if err != nil {
		return ledger.Entry{}, interpretError(err, nil)
	}
	if len(es) == 0 {
		return ledger.Entry{}, fmt.Errorf("%w: %s", ledger.ErrEntryNotFound, id)
	}
	return es[0], nil
}

// Entries implements ledger.Store.
func (s *Store) Entries(ctx context.Context, tenant string, q ledger.EntryQuery) ([]ledger.Entry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.reader().Query(ctx, sqlEntries, tenant, date(q.From), date(q.To), [16]byte(q.After), limit)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	es, err := scanEntries(rows)
	return es, interpretError(err, nil)
}

// Balances implements ledger.Store.
func (s *Store) Balances(ctx context.Context, tenant string, q ledger.BalanceQuery) ([]ledger.Balance, error) {
	if len(q.Dimensions) > 0 || len(q.GroupBy) > 0 {
		return s.balancesByDimensions(ctx, tenant, q)
	}
	codes := q.Accounts
	if codes == nil {
		codes = []string{}
	}
	if !q.AsOf.IsZero() {
		out, err := s.balancesAsOf(ctx, tenant, codes, q.Currency, q.AsOf)
		return out, interpretError(err, nil)
	}
	if s.charts != nil {
		return s.balancesCurrent(ctx, tenant, codes, q.Currency)
	}
	rows, err := s.reader().Query(ctx, sqlBalances, tenant, codes, q.Currency)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := scanBalances(rows)
	sortBalances(out)
	return out, interpretError(err, nil)
}

// scanAccount scans an account of accountSelect, and into extra the
// columns the statement selects after it.
func scanAccount(row pgx.Row, extra ...any) (ledger.Account, error) {
	var a ledger.Account
	var typ, side string
	var meta []byte
	dst := append([]any{(*[16]byte)(&a.ID), &a.Code, &a.Name, &typ, &side, &a.Parent, &a.Currencies, &a.Blocked, &meta,
		&a.CreatedAt, &a.RequiredDimensions}, extra...)
	if err := row.Scan(dst...); err != nil {
		return a, err
	}
	if len(a.RequiredDimensions) == 0 {
		a.RequiredDimensions = nil
	}
	a.Type, a.NormalSide = ledger.AccountType(typ), ledger.Side(side)
	if len(a.Currencies) == 0 {
		a.Currencies = nil
	}
	a.CreatedAt = a.CreatedAt.UTC()
	var err error
	a.Metadata, err = decodeMap(meta)
	return a, err
}

// scanEntries scans entrySelect's rows (one per line, ordered by entry ID
// and line number) into entries, and closes rows.
func scanEntries(rows pgx.Rows) ([]ledger.Entry, error) {
	defer rows.Close()
	var out []ledger.Entry
	var (
		id, accountID, current uuid.UUID
		reverses, revBy        pgtype.UUID
		day                    pgtype.Date
		postedAt               pgtype.Timestamptz
		amount, base, rate     pgtype.Numeric
		meta, dims             []byte
		side, description, ref string
		key, currency, memo    string
		accountCode            string
		e                      ledger.Entry
		haveCurrent            bool
	)
	for rows.Next() {
		if err := rows.Scan((*[16]byte)(&id), &day, &description, &ref, &meta, &key, &reverses, &revBy, &postedAt,
			&accountCode, (*[16]byte)(&accountID), &side, &amount, &currency, &memo, &dims, &base, &rate); err != nil {
			return nil, err
		}
		if !haveCurrent || id != current {
			if haveCurrent {
				out = append(out, e)
			}
			e = ledger.Entry{ID: id, Date: ledger.DateOf(day.Time), Description: description, Reference: ref,
				IdempotencyKey: key, PostedAt: postedAt.Time.UTC()}
			if reverses.Valid {
				e.Reverses = reverses.Bytes
			}
			if revBy.Valid {
				e.ReversedBy = revBy.Bytes
			}
			var err error
			if e.Metadata, err = decodeMap(meta); err != nil {
				return nil, err
			}
			current, haveCurrent = id, true
		}
		l := ledger.Line{Account: accountCode, AccountID: accountID, Side: ledger.Side(side),
			Amount: decimalOf(amount), Currency: currency, Memo: memo, BaseAmount: decimalOf(base), Rate: decimalOf(rate)}
		var err error
		if l.Dimensions, err = decodeMap(dims); err != nil {
			return nil, err
		}
		e.Lines = append(e.Lines, l)
	}
	if haveCurrent {
		out = append(out, e)
	}
	return out, rows.Err()
}

func decodeMap(b []byte) (map[string]string, error) {
	if len(b) == 0 || string(b) == "{}" || string(b) == "null" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// jsonText encodes a map as JSON text for a jsonb parameter ("{}" when empty).
func jsonText(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // a map[string]string always marshals
	return string(b)
}

func textArray(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullUUID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return [16]byte(id)
}

// date converts a ledger date to a date parameter; the zero Date is NULL.
func date(d ledger.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: d.Time(), Valid: true}
}

func numeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func decimalOf(n pgtype.Numeric) decimal.Decimal {
	if !n.Valid || n.Int == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(n.Int, n.Exp)
}

// rateText is a rate parameter: NULL when there is none.
func rateText(r decimal.Decimal) *string {
	if r.IsZero() {
		return nil
	}
	t := r.String()
	return &t
}

// nullRate is a rate for COPY: NULL when there is none.
func nullRate(r decimal.Decimal) any {
	if r.IsZero() {
		return nil
	}
	return numeric(r)
}
