package postgres

import (
	"context"
	"errors"
	"fmt"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	erpsync "github.com/erpkit/erpkit/sync"
)

var _ arap.Store = (*Store)(nil)

// ARInTx implements arap.Store: fn gets this Store bound to one transaction
// as both the arap and the ledger store.
func (s *Store) ARInTx(ctx context.Context, fn func(tx arap.Store, gl ledger.Store) error) error {
	return s.InTx(ctx, func(tx *Store) error { return fn(tx, tx) })
}

// arExec runs fn on the bound transaction, or in a transaction of its own.
// Inside ARInTx a failed statement fails the whole transaction, which the
// engine then rolls back, so no savepoint is needed.
func (s *Store) arExec(ctx context.Context, fn func(q querier) error) error {
	if s.tx == nil {
		return s.InTx(ctx, func(tx *Store) error { return tx.arExec(ctx, fn) })
	}
	return arError(fn(s.tx))
}

// arError translates this engine's constraint violations; the rest goes
// through interpretError.
func arError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505" && pe.ConstraintName == "erp_arap_parties_pkey":
			return fmt.Errorf("%w: %s", arap.ErrPartyExists, pe.Detail)
		case pe.Code == "23505" && pe.ConstraintName == "erp_arap_documents_key":
			// A concurrent transaction recorded the key first: InTx runs
			// the call again, which then returns what it recorded.
			return &retryError{msg: pe.Message, key: true}
		case pe.Code == "23505" && pe.ConstraintName == "erp_arap_documents_bill":
			return fmt.Errorf("%w: %s", arap.ErrDuplicateBill, pe.Detail)
		case pe.Code == "23503" && pe.ConstraintName == "erp_arap_documents_party_fkey":
			return fmt.Errorf("%w: %s", arap.ErrPartyNotFound, pe.Detail)
		case pe.Code == "23503":
			return fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, pe.Detail)
		}
	}
	return interpretError(err, nil)
}

func (s *Store) arReader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.pool
}

func arNum(d decimal.Decimal) string { return d.String() }

func arDate(d ledger.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// ARCreateParty implements arap.Store.
func (s *Store) ARCreateParty(ctx context.Context, tenant string, p arap.Party) error {
	body, err := arap.EncodeParty(p)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_arap_parties
			(tenant_id, code, legal_name, customer, vendor, bin, blocked, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			tenant, p.Code, p.LegalName, p.Customer, p.Vendor, p.BIN, p.Blocked, string(body), p.CreatedAt)
		return err
	})
}

// ARUpdateParty implements arap.Store.
func (s *Store) ARUpdateParty(ctx context.Context, tenant string, p arap.Party) error {
	body, err := arap.EncodeParty(p)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE erp_arap_parties SET legal_name = $1, customer = $2, vendor = $3, bin = $4,
			blocked = $5, body = $6 WHERE tenant_id = $7 AND code = $8`,
			p.LegalName, p.Customer, p.Vendor, p.BIN, p.Blocked, string(body), tenant, p.Code)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: %s", arap.ErrPartyNotFound, p.Code)
		}
		return nil
	})
}

// ARParty implements arap.Store; lock takes the row FOR UPDATE.
func (s *Store) ARParty(ctx context.Context, tenant, code string, lock bool) (arap.Party, error) {
	query := `SELECT body FROM erp_arap_parties WHERE tenant_id = $1 AND code = $2`
	if lock && s.tx != nil {
		query += ` FOR UPDATE`
	}
	var body []byte
	err := s.arReader().QueryRow(ctx, query, tenant, code).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return arap.Party{}, fmt.Errorf("%w: %s", arap.ErrPartyNotFound, code)
	}
	if err != nil {
		return arap.Party{}, arError(err)
	}
	return arap.DecodeParty(body)
}

// ARParties implements arap.Store.
func (s *Store) ARParties(ctx context.Context, tenant string) ([]arap.Party, error) {
	rows, err := s.arReader().Query(ctx, `SELECT body FROM erp_arap_parties WHERE tenant_id = $1 ORDER BY code`, tenant)
	if err != nil {
		return nil, arError(err)
	}
	defer rows.Close()
	var out []arap.Party
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, arError(err)
		}
		p, err := arap.DecodeParty(body)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, arError(rows.Err())
}

func arCheck(d arap.Document) error {
	bdt := ledger.MustCurrency("BDT")
	for _, v := range []decimal.Decimal{d.Totals.Total, d.Open} {
		if err := bdt.Check(v); err != nil {
			return fmt.Errorf("%w: %w", arap.ErrInvalidDocument, err)
		}
	}
	return nil
}

func arOriginal(d arap.Document) any {
	if d.Original == uuid.Nil {
		return nil
	}
	return d.Original
}

// ARCreateDocument implements arap.Store.
func (s *Store) ARCreateDocument(ctx context.Context, tenant string, d arap.Document) error {
	if err := arCheck(d); err != nil {
		return err
	}
	body, err := arap.EncodeDocument(d)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `INSERT INTO erp_arap_documents (tenant_id, id, kind, side, charge, party, status,
			number, doc_date, posting_date, due_date, original_id, total, open, body, created_at, idempotency_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::numeric, $14::numeric, $15, $16, $17)`,
			tenant, d.ID, string(d.Kind), string(d.Kind.Side()), d.Kind.Charge(), d.Party, string(d.Status), d.Number,
			arDate(d.Date), arDate(d.PostingDate), arDate(d.DueDate), arOriginal(d), arNum(d.Totals.Total), arNum(d.Open),
			string(body), d.CreatedAt, d.IdempotencyKey)
		return err
	})
}

// ARUpdateDocument implements arap.Store.
func (s *Store) ARUpdateDocument(ctx context.Context, tenant string, d arap.Document) error {
	if err := arCheck(d); err != nil {
		return err
	}
	body, err := arap.EncodeDocument(d)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		tag, err := q.Exec(ctx, `UPDATE erp_arap_documents SET status = $1, number = $2, doc_date = $3, posting_date = $4,
			due_date = $5, total = $6::numeric, open = $7::numeric, body = $8 WHERE tenant_id = $9 AND id = $10`,
			string(d.Status), d.Number, arDate(d.Date), arDate(d.PostingDate), arDate(d.DueDate), arNum(d.Totals.Total),
			arNum(d.Open), string(body), tenant, d.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, d.ID)
		}
		return nil
	})
}

// ARLockKey implements arap.Store with a transaction-level advisory lock
// in a class of its own (the calendar lock's class plus one).
func (s *Store) ARLockKey(ctx context.Context, tenant, key string) error {
	return s.arExec(ctx, func(q querier) error {
		_, err := q.Exec(ctx, `SELECT pg_advisory_xact_lock(1701998642, hashtext($1 || ':' || $2))`, tenant, key)
		return err
	})
}

// ARDocumentByKey implements arap.Store.
func (s *Store) ARDocumentByKey(ctx context.Context, tenant, key string) (arap.Document, error) {
	var body []byte
	err := s.arReader().QueryRow(ctx, `SELECT body FROM erp_arap_documents
		WHERE tenant_id = $1 AND idempotency_key = $2 AND idempotency_key <> ''`, tenant, key).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return arap.Document{}, fmt.Errorf("%w: key %q", arap.ErrDocumentNotFound, key)
	}
	if err != nil {
		return arap.Document{}, arError(err)
	}
	return arap.DecodeDocument(body)
}

// ARDocument implements arap.Store; lock takes the row FOR UPDATE.
func (s *Store) ARDocument(ctx context.Context, tenant string, id uuid.UUID, lock bool) (arap.Document, error) {
	query := `SELECT body FROM erp_arap_documents WHERE tenant_id = $1 AND id = $2`
	if lock && s.tx != nil {
		query += ` FOR UPDATE`
	}
	var body []byte
	err := s.arReader().QueryRow(ctx, query, tenant, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return arap.Document{}, fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, id)
	}
	if err != nil {
		return arap.Document{}, arError(err)
	}
	return arap.DecodeDocument(body)
}

const arDocumentsByDate = `SELECT body FROM erp_arap_documents
	WHERE tenant_id = $1
	  AND (cardinality($2::text[]) = 0 OR kind = ANY($2))
	  AND ($3 = '' OR party = $3)
	  AND (cardinality($4::text[]) = 0 OR status = ANY($4))
	  AND ($5::date IS NULL OR doc_date >= $5) AND ($6::date IS NULL OR doc_date <= $6)
	  AND ($7::uuid IS NULL OR original_id = $7)
	  AND ($9 = '' OR number = $9)
	ORDER BY doc_date, number, id LIMIT $8`

const arDocumentsByPosting = `SELECT body FROM erp_arap_documents
	WHERE tenant_id = $1
	  AND (cardinality($2::text[]) = 0 OR kind = ANY($2))
	  AND ($3 = '' OR party = $3)
	  AND (cardinality($4::text[]) = 0 OR status = ANY($4))
	  AND ($5::date IS NULL OR posting_date >= $5) AND ($6::date IS NULL OR posting_date <= $6)
	  AND ($7::uuid IS NULL OR original_id = $7)
	  AND ($9 = '' OR number = $9)
	ORDER BY posting_date, number, id LIMIT $8`

// ARDocuments implements arap.Store.
func (s *Store) ARDocuments(ctx context.Context, tenant string, q arap.DocumentQuery) ([]arap.Document, error) {
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	status := make([]string, len(q.Status))
	for i, st := range q.Status {
		status[i] = string(st)
	}
	var orig any
	if q.Original != uuid.Nil {
		orig = q.Original
	}
	var limit any
	if q.Limit > 0 {
		limit = q.Limit
	}
	query := arDocumentsByDate
	if q.ByPostingDate {
		query = arDocumentsByPosting
	}
	rows, err := s.arReader().Query(ctx, query, tenant, kinds, q.Party, status, arDate(q.From), arDate(q.To), orig, limit, q.Number)
	if err != nil {
		return nil, arError(err)
	}
	defer rows.Close()
	var out []arap.Document
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, arError(err)
		}
		d, err := arap.DecodeDocument(body)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, arError(rows.Err())
}

// ARNextSerials implements arap.Store: the upsert row-locks the counter
// until the transaction ends, so concurrent issuers take numbers one after
// another and a rolled-back transaction takes none.
func (s *Store) ARNextSerials(ctx context.Context, tenant, series string, fiscalYear, n int) (int64, error) {
	if n < 1 {
		return 0, fmt.Errorf("%w: %d serials", arap.ErrInvalidDocument, n)
	}
	var last int64
	err := s.arExec(ctx, func(q querier) error {
		return q.QueryRow(ctx, `INSERT INTO erp_arap_serials AS s (tenant_id, series, fiscal_year, last) VALUES ($1, $2, $3, $4)
			ON CONFLICT (tenant_id, series, fiscal_year) DO UPDATE SET last = s.last + excluded.last RETURNING last`,
			tenant, series, fiscalYear, n).Scan(&last)
	})
	return last, err
}

// ARCreateAllocations implements arap.Store.
func (s *Store) ARCreateAllocations(ctx context.Context, tenant string, as []arap.Allocation) error {
	return s.arExec(ctx, func(q querier) error {
		b := &pgx.Batch{}
		for _, a := range as {
			b.Queue(`INSERT INTO erp_arap_allocations (tenant_id, id, side, party, charge_id, settlement_id, amount, vds,
				alloc_date, created_at, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric, $9, $10, $11)`,
				tenant, a.ID, string(a.Side), a.Party, a.Charge, a.Settlement, arNum(a.Amount), arNum(a.VDS), a.Date.Time(), a.CreatedAt,
				a.IdempotencyKey)
			b.Queue(`UPDATE erp_arap_documents SET last_alloc = greatest(last_alloc, $1::date)
				WHERE tenant_id = $2 AND id IN ($3, $4)`, a.Date.Time(), tenant, a.Charge, a.Settlement)
		}
		br := q.SendBatch(ctx, b)
		for range b.Len() {
			if _, err := br.Exec(); err != nil {
				_ = br.Close()
				return err
			}
		}
		return br.Close()
	})
}

// ARAllocations implements arap.Store.
func (s *Store) ARAllocations(ctx context.Context, tenant string, doc uuid.UUID) ([]arap.Allocation, error) {
	return s.arAllocations(ctx, `SELECT `+arAllocationColumns+` FROM erp_arap_allocations
		WHERE tenant_id = $1 AND (charge_id = $2 OR settlement_id = $2) ORDER BY alloc_date, id`, tenant, doc)
}

// ARAllocationsByKey implements arap.Store.
func (s *Store) ARAllocationsByKey(ctx context.Context, tenant, key string) ([]arap.Allocation, error) {
	return s.arAllocations(ctx, `SELECT `+arAllocationColumns+` FROM erp_arap_allocations
		WHERE tenant_id = $1 AND idempotency_key = $2 AND idempotency_key <> '' ORDER BY id`, tenant, key)
}

const arAllocationColumns = `id, side, party, charge_id, settlement_id, amount::text, vds::text, alloc_date, created_at,
	idempotency_key`

// arAllocations runs query, which selects arAllocationColumns.
func (s *Store) arAllocations(ctx context.Context, query string, args ...any) ([]arap.Allocation, error) {
	rows, err := s.arReader().Query(ctx, query, args...)
	if err != nil {
		return nil, arError(err)
	}
	defer rows.Close()
	var out []arap.Allocation
	for rows.Next() {
		var a arap.Allocation
		var side, amt, vds string
		var date time.Time
		if err := rows.Scan(&a.ID, &side, &a.Party, &a.Charge, &a.Settlement, &amt, &vds, &date, &a.CreatedAt, &a.IdempotencyKey); err != nil {
			return nil, arError(err)
		}
		var err error
		if a.Amount, err = decimal.NewFromString(amt); err != nil {
			return nil, err
		}
		if a.VDS, err = decimal.NewFromString(vds); err != nil {
			return nil, err
		}
		a.Side, a.Date, a.CreatedAt = arap.Side(side), ledger.DateOf(date), a.CreatedAt.UTC()
		out = append(out, a)
	}
	return out, arError(rows.Err())
}

// arOpenItems selects the open items of a side on an as-of date ($4, NULL
// for today): what is open now, plus what allocations dated after $4
// closed since. $3 is the party (” for all).
const arOpenItems = `WITH items AS (
	SELECT id, kind, party, number, doc_date, due_date, total, charge, open AS open_now, last_alloc, posting_date
	  FROM erp_arap_documents
	 WHERE tenant_id = $1 AND side = $2 AND open <> 0 AND ($3 = '' OR party = $3)
	UNION ALL
	SELECT id, kind, party, number, doc_date, due_date, total, charge, 0, last_alloc, posting_date
	  FROM erp_arap_documents
	 WHERE tenant_id = $1 AND side = $2 AND $4::date IS NOT NULL AND last_alloc > $4 AND open = 0
	   AND ($3 = '' OR party = $3)
), asof AS (
	SELECT id, kind, party, number, doc_date, due_date, total, charge,
	       open_now + CASE WHEN $4::date IS NOT NULL AND last_alloc > $4 THEN
	           CASE WHEN charge
	                THEN (SELECT coalesce(sum(a.amount), 0) FROM erp_arap_allocations a
	                       WHERE a.tenant_id = $1 AND a.charge_id = items.id AND a.alloc_date > $4)
	                ELSE (SELECT coalesce(sum(a.amount), 0) FROM erp_arap_allocations a
	                       WHERE a.tenant_id = $1 AND a.settlement_id = items.id AND a.alloc_date > $4) END
	       ELSE 0 END AS open
	  FROM items
	 WHERE $4::date IS NULL OR posting_date <= $4
)`

// AROpenItems implements arap.Store.
func (s *Store) AROpenItems(ctx context.Context, tenant string, q arap.OpenItemQuery) ([]arap.OpenItem, error) {
	rows, err := s.arReader().Query(ctx, arOpenItems+`
		SELECT id, kind, party, number, doc_date, due_date, total::text, charge, open::text FROM asof
		 WHERE open <> 0 ORDER BY party, due_date, id`, tenant, string(q.Side), q.Party, arDate(q.AsOf))
	if err != nil {
		return nil, arError(err)
	}
	defer rows.Close()
	var out []arap.OpenItem
	for rows.Next() {
		var it arap.OpenItem
		var kind, total, open string
		var date time.Time
		var due *time.Time
		var charge bool
		if err := rows.Scan(&it.Document, &kind, &it.Party, &it.Number, &date, &due, &total, &charge, &open); err != nil {
			return nil, arError(err)
		}
		var err error
		if it.Total, err = decimal.NewFromString(total); err != nil {
			return nil, err
		}
		if it.Open, err = decimal.NewFromString(open); err != nil {
			return nil, err
		}
		it.Kind, it.Date = arap.Kind(kind), ledger.DateOf(date)
		if due != nil {
			it.DueDate = ledger.DateOf(*due)
		}
		if !charge {
			it.Open = it.Open.Neg()
		}
		out = append(out, it)
	}
	return out, arError(rows.Err())
}

// ARAging implements arap.Store. What is open now is summed per party and
// bucket in SQL (exact NUMERIC), the bucket found by comparing due dates
// with its edges; documents with allocations dated after the as-of date
// (few) then add those back, bucketed here.
func (s *Store) ARAging(ctx context.Context, tenant string, q arap.OpenItemQuery) ([]arap.AgingRow, error) {
	asOf := q.AsOf
	edges := [3]ledger.Date{asOf.AddDays(-30), asOf.AddDays(-60), asOf.AddDays(-90)}
	bucket := func(charge bool, due ledger.Date) int {
		switch {
		case !charge:
			return 5
		case !due.Before(asOf):
			return 0
		case !due.Before(edges[0]):
			return 1
		case !due.Before(edges[1]):
			return 2
		case !due.Before(edges[2]):
			return 3
		}
		return 4
	}
	sums := map[string]*[6]decimal.Decimal{}
	var order []string
	add := func(party string, b int, v decimal.Decimal) {
		r := sums[party]
		if r == nil {
			r = &[6]decimal.Decimal{}
			sums[party] = r
			order = append(order, party)
		}
		r[b] = r[b].Add(v)
	}
	// Planned with the values each time (simple protocol): a generic plan
	// cannot see that the as-of date keeps the open-items index usable.
	rows, err := s.arReader().Query(ctx, `SELECT party,
		  CASE WHEN NOT charge THEN 5 WHEN due_date >= $4::date THEN 0 WHEN due_date >= $5::date THEN 1
		       WHEN due_date >= $6::date THEN 2 WHEN due_date >= $7::date THEN 3 ELSE 4 END AS bucket,
		  sum(open)::text
		FROM erp_arap_documents
		WHERE tenant_id = $1 AND side = $2 AND open <> 0 AND ($3 = '' OR party = $3) AND posting_date <= $4::date
		GROUP BY party, bucket`, pgx.QueryExecModeSimpleProtocol, tenant, string(q.Side), q.Party, asOf.String(), edges[0].String(), edges[1].String(), edges[2].String())
	if err != nil {
		return nil, arError(err)
	}
	for rows.Next() {
		var party, v string
		var b int
		if err := rows.Scan(&party, &b, &v); err != nil {
			rows.Close()
			return nil, arError(err)
		}
		d, err := decimal.NewFromString(v)
		if err != nil {
			rows.Close()
			return nil, err
		}
		add(party, b, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, arError(err)
	}
	later, err := s.arReader().Query(ctx, `SELECT d.party, d.charge, d.due_date,
		  ((SELECT coalesce(sum(a.amount), 0) FROM erp_arap_allocations a
		     WHERE a.tenant_id = d.tenant_id AND a.charge_id = d.id AND a.alloc_date > $4) +
		   (SELECT coalesce(sum(a.amount), 0) FROM erp_arap_allocations a
		     WHERE a.tenant_id = d.tenant_id AND a.settlement_id = d.id AND a.alloc_date > $4))::text
		FROM erp_arap_documents d
		WHERE d.tenant_id = $1 AND d.side = $2 AND d.last_alloc > $4 AND ($3 = '' OR d.party = $3) AND d.posting_date <= $4`,
		tenant, string(q.Side), q.Party, asOf.Time())
	if err != nil {
		return nil, arError(err)
	}
	defer later.Close()
	for later.Next() {
		var party, v string
		var charge bool
		var due *time.Time
		if err := later.Scan(&party, &charge, &due, &v); err != nil {
			return nil, arError(err)
		}
		d, err := decimal.NewFromString(v)
		if err != nil {
			return nil, err
		}
		var dd ledger.Date
		if due != nil {
			dd = ledger.DateOf(*due)
		}
		add(party, bucket(charge, dd), d)
	}
	if err := later.Err(); err != nil {
		return nil, arError(err)
	}
	sort.Strings(order)
	out := make([]arap.AgingRow, 0, len(order))
	for _, p := range order {
		v := sums[p]
		total := v[0].Add(v[1]).Add(v[2]).Add(v[3]).Add(v[4]).Sub(v[5])
		if total.IsZero() && v[5].IsZero() && v[0].IsZero() && v[1].IsZero() && v[2].IsZero() && v[3].IsZero() && v[4].IsZero() {
			continue
		}
		out = append(out, arap.AgingRow{Party: p, NotDue: v[0], Days1To30: v[1], Days31To60: v[2], Days61To90: v[3],
			Over90: v[4], Unapplied: v[5].Neg(), Total: total})
	}
	return out, nil
}

// The documents with the IDs $2, in ID order, one probe of the primary
// key per distinct ID (probeEach); the locked form takes them FOR UPDATE
// in that order.
var (
	sqlARDocumentsByID       = probeEach("erp_arap_documents", "id", "uuid", "e.body", "") + ` ORDER BY e.id`
	sqlARDocumentsByIDLocked = probeEach("erp_arap_documents", "id", "uuid", "e.body", "FOR UPDATE") + ` ORDER BY e.id`
)

// ARDocumentsByID implements arap.Store; lock takes the rows FOR UPDATE, in
// ID order.
func (s *Store) ARDocumentsByID(ctx context.Context, tenant string, ids []uuid.UUID, lock bool) ([]arap.Document, error) {
	query := sqlARDocumentsByID
	if lock && s.tx != nil {
		query = sqlARDocumentsByIDLocked
	}
	rows, err := s.arReader().Query(ctx, query, tenant, ids)
	if err != nil {
		return nil, arError(err)
	}
	defer rows.Close()
	byID := make(map[uuid.UUID]arap.Document, len(ids))
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, arError(err)
		}
		d, err := arap.DecodeDocument(body)
		if err != nil {
			return nil, err
		}
		byID[d.ID] = d
	}
	if err := rows.Err(); err != nil {
		return nil, arError(err)
	}
	out := make([]arap.Document, len(ids))
	for i, id := range ids {
		d, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, id)
		}
		out[i] = d
	}
	return out, nil
}

// ARUpdateDocuments implements arap.Store: the updates travel in one batch.
func (s *Store) ARUpdateDocuments(ctx context.Context, tenant string, ds []arap.Document) error {
	if len(ds) == 1 {
		return s.ARUpdateDocument(ctx, tenant, ds[0])
	}
	b := &pgx.Batch{}
	for _, d := range ds {
		if err := arCheck(d); err != nil {
			return err
		}
		body, err := arap.EncodeDocument(d)
		if err != nil {
			return err
		}
		b.Queue(`UPDATE erp_arap_documents SET status = $1, number = $2, doc_date = $3, posting_date = $4,
			due_date = $5, total = $6::numeric, open = $7::numeric, body = $8 WHERE tenant_id = $9 AND id = $10`,
			string(d.Status), d.Number, arDate(d.Date), arDate(d.PostingDate), arDate(d.DueDate), arNum(d.Totals.Total),
			arNum(d.Open), string(body), tenant, d.ID)
	}
	return s.arExec(ctx, func(q querier) error {
		br := q.SendBatch(ctx, b)
		for _, d := range ds {
			tag, err := br.Exec()
			if err != nil {
				_ = br.Close()
				return err
			}
			if tag.RowsAffected() == 0 {
				_ = br.Close()
				return fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, d.ID)
			}
		}
		return br.Close()
	})
}

// ARAppendEvents implements arap.Store: the engine's events go to the event
// log (syAppendEvents) in the transaction.
func (s *Store) ARAppendEvents(ctx context.Context, tenant string, evs []arap.Event) error {
	if len(evs) == 0 {
		return nil
	}
	out := make([]erpsync.NewEvent, len(evs))
	for i, e := range evs {
		out[i] = erpsync.NewEvent{Type: e.Type, Entity: erpsync.EntityRef{Type: e.EntityType, ID: e.EntityID}, Data: outbox.JSON(e.Data)}
	}
	return s.arExec(ctx, func(q querier) error {
		_, err := syAppendEvents(ctx, q, tenant, out...)
		return err
	})
}
