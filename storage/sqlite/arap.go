package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"sort"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/ledger/arap"
	erpsync "github.com/erpkit/erpkit/sync"
)

var _ arap.Store = (*Store)(nil)

var arBDT = ledger.MustCurrency("BDT")

// arMinor converts a BDT amount to poisha.
func arMinor(d decimal.Decimal) (int64, error) {
	n, err := arBDT.ToMinor(d)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", arap.ErrInvalidDocument, err)
	}
	return n, nil
}

func arDate(d ledger.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// arExec runs fn on the bound transaction, or in a transaction of its own.
// Inside ARInTx a failed statement fails the whole transaction, which the
// engine then rolls back, so no savepoint is needed.
func (s *Store) arExec(ctx context.Context, fn func(q querier) error) error {
	if s.tx != nil {
		return arError(fn(s.arTx()))
	}
	return arError(s.write(ctx, fn))
}

// arError translates this engine's constraint violations.
func arError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed: erp_arap_parties"):
		return fmt.Errorf("%w (%s)", arap.ErrPartyExists, msg)
	case strings.Contains(msg, "UNIQUE constraint failed: erp_arap_documents.tenant_id, erp_arap_documents.party, erp_arap_documents.number"):
		return fmt.Errorf("%w (%s)", arap.ErrDuplicateBill, msg)
	case strings.Contains(msg, "UNIQUE constraint failed: erp_arap_documents.tenant_id, erp_arap_documents.idempotency_key"):
		// Another writer recorded the key first: run again to return it.
		return &retryError{err: err}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return fmt.Errorf("%w (%s)", arap.ErrPartyNotFound, msg)
	}
	return interpretError(err)
}

// ARInTx implements arap.Store: fn gets this Store bound to one transaction
// as both the arap and the ledger store.
//
// On a Store that owns its writer, concurrent calls share a commit, as
// postings do (group commit, group.go): each fn runs in a savepoint of its
// own in one transaction, a failing fn is rolled back alone, and every
// caller returns once that transaction has committed or rolled back. The
// bound Store keeps the writer's statement cache (wc) so that this engine's
// statements run prepared; nothing else of a bound Store reads wc.
func (s *Store) ARInTx(ctx context.Context, fn func(tx arap.Store, gl ledger.Store) error) error {
	if s.tx != nil || s.wc == nil {
		return s.InTx(ctx, func(tx *Store) error { return fn(tx, tx) })
	}
	return s.writeGrouped(ctx, func(q querier) error {
		ct := q.(cachedTx)
		tx := &Store{tx: ct.tx, wc: ct.c}
		return fn(tx, tx)
	})
}

// arTx is where a bound Store runs this engine's statements: through the
// statement cache when it has one.
func (s *Store) arTx() querier {
	if s.wc != nil {
		return cachedTx{s.tx, s.wc}
	}
	return s.tx
}

func arBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ARCreateParty implements arap.Store.
func (s *Store) ARCreateParty(ctx context.Context, tenant string, p arap.Party) error {
	body, err := arap.EncodeParty(p)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_arap_parties
			(tenant_id, code, legal_name, customer, vendor, bin, blocked, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, p.Code, p.LegalName, arBool(p.Customer), arBool(p.Vendor), p.BIN, arBool(p.Blocked), string(body), formatTime(p.CreatedAt))
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
		res, err := q.ExecContext(ctx, `UPDATE erp_arap_parties SET legal_name = ?, customer = ?, vendor = ?, bin = ?,
			blocked = ?, body = ? WHERE tenant_id = ? AND code = ?`,
			p.LegalName, arBool(p.Customer), arBool(p.Vendor), p.BIN, arBool(p.Blocked), string(body), tenant, p.Code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", arap.ErrPartyNotFound, p.Code)
		}
		return nil
	})
}

func (s *Store) arReader() querier {
	if s.tx != nil {
		return s.arTx()
	}
	return s.reader()
}

// ARParty implements arap.Store. SQLite has one writer at a time, so a
// transaction's reads need no lock.
func (s *Store) ARParty(ctx context.Context, tenant, code string, _ bool) (arap.Party, error) {
	var body string
	err := s.arReader().QueryRowContext(ctx, `SELECT body FROM erp_arap_parties WHERE tenant_id = ? AND code = ?`, tenant, code).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return arap.Party{}, fmt.Errorf("%w: %s", arap.ErrPartyNotFound, code)
	}
	if err != nil {
		return arap.Party{}, interpretError(err)
	}
	return arap.DecodeParty([]byte(body))
}

// ARParties implements arap.Store.
func (s *Store) ARParties(ctx context.Context, tenant string) ([]arap.Party, error) {
	rows, err := s.arReader().QueryContext(ctx, `SELECT body FROM erp_arap_parties WHERE tenant_id = ? ORDER BY code`, tenant)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []arap.Party
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		p, err := arap.DecodeParty([]byte(body))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, interpretError(rows.Err())
}

type arDocRow struct {
	body                                    string
	total, open                             int64
	docDate, postingDate, dueDate, original string
}

func arDocumentRow(d arap.Document) (arDocRow, error) {
	body, err := arap.EncodeDocument(d)
	if err != nil {
		return arDocRow{}, err
	}
	r := arDocRow{body: string(body), docDate: arDate(d.Date), postingDate: arDate(d.PostingDate), dueDate: arDate(d.DueDate)}
	if d.Original != uuid.Nil {
		r.original = d.Original.String()
	}
	if r.total, err = arMinor(d.Totals.Total); err != nil {
		return r, err
	}
	r.open, err = arMinor(d.Open)
	return r, err
}

// ARCreateDocument implements arap.Store.
func (s *Store) ARCreateDocument(ctx context.Context, tenant string, d arap.Document) error {
	r, err := arDocumentRow(d)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO erp_arap_documents (tenant_id, id, kind, side, charge, party, status,
			number, doc_date, posting_date, due_date, original_id, total_minor, open_minor, body, created_at, idempotency_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, d.ID.String(), string(d.Kind), string(d.Kind.Side()), arBool(d.Kind.Charge()), d.Party, string(d.Status),
			d.Number, r.docDate, r.postingDate, r.dueDate, r.original, r.total, r.open, r.body, formatTime(d.CreatedAt),
			d.IdempotencyKey)
		return err
	})
}

// ARUpdateDocument implements arap.Store.
func (s *Store) ARUpdateDocument(ctx context.Context, tenant string, d arap.Document) error {
	r, err := arDocumentRow(d)
	if err != nil {
		return err
	}
	return s.arExec(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE erp_arap_documents SET status = ?, number = ?, doc_date = ?, posting_date = ?,
			due_date = ?, total_minor = ?, open_minor = ?, body = ? WHERE tenant_id = ? AND id = ?`,
			string(d.Status), d.Number, r.docDate, r.postingDate, r.dueDate, r.total, r.open, r.body, tenant, d.ID.String())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, d.ID)
		}
		return nil
	})
}

// ARLockKey implements arap.Store: nothing to do, since SQLite's
// transactions never overlap (one writer; in a group, one call's work
// after another's).
func (s *Store) ARLockKey(context.Context, string, string) error { return nil }

// ARDocumentByKey implements arap.Store.
func (s *Store) ARDocumentByKey(ctx context.Context, tenant, key string) (arap.Document, error) {
	var body string
	err := s.arReader().QueryRowContext(ctx, `SELECT body FROM erp_arap_documents
		WHERE tenant_id = ? AND idempotency_key = ? AND idempotency_key <> ''`, tenant, key).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return arap.Document{}, fmt.Errorf("%w: key %q", arap.ErrDocumentNotFound, key)
	}
	if err != nil {
		return arap.Document{}, interpretError(err)
	}
	return arap.DecodeDocument([]byte(body))
}

// ARDocument implements arap.Store.
func (s *Store) ARDocument(ctx context.Context, tenant string, id uuid.UUID, _ bool) (arap.Document, error) {
	var body string
	err := s.arReader().QueryRowContext(ctx, `SELECT body FROM erp_arap_documents WHERE tenant_id = ? AND id = ?`,
		tenant, id.String()).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return arap.Document{}, fmt.Errorf("%w: %s", arap.ErrDocumentNotFound, id)
	}
	if err != nil {
		return arap.Document{}, interpretError(err)
	}
	return arap.DecodeDocument([]byte(body))
}

const arDocumentsByDate = `SELECT body FROM erp_arap_documents
	WHERE tenant_id = ?1
	  AND (?2 = '[]' OR kind IN (SELECT value FROM json_each(?2)))
	  AND (?3 = '' OR party = ?3)
	  AND (?4 = '[]' OR status IN (SELECT value FROM json_each(?4)))
	  AND (?5 = '' OR doc_date >= ?5) AND (?6 = '' OR doc_date <= ?6)
	  AND (?7 = '' OR original_id = ?7)
	  AND (?9 = '' OR number = ?9)
	ORDER BY doc_date, number, id LIMIT ?8`

const arDocumentsByPosting = `SELECT body FROM erp_arap_documents
	WHERE tenant_id = ?1
	  AND (?2 = '[]' OR kind IN (SELECT value FROM json_each(?2)))
	  AND (?3 = '' OR party = ?3)
	  AND (?4 = '[]' OR status IN (SELECT value FROM json_each(?4)))
	  AND (?5 = '' OR posting_date >= ?5) AND (?6 = '' OR posting_date <= ?6)
	  AND (?7 = '' OR original_id = ?7)
	  AND (?9 = '' OR number = ?9)
	ORDER BY posting_date, number, id LIMIT ?8`

// ARDocuments implements arap.Store.
func (s *Store) ARDocuments(ctx context.Context, tenant string, q arap.DocumentQuery) ([]arap.Document, error) {
	kinds, _ := json.Marshal(q.Kinds)
	if len(q.Kinds) == 0 {
		kinds = []byte("[]")
	}
	status, _ := json.Marshal(q.Status)
	if len(q.Status) == 0 {
		status = []byte("[]")
	}
	orig := ""
	if q.Original != uuid.Nil {
		orig = q.Original.String()
	}
	limit := int64(q.Limit)
	if limit <= 0 {
		limit = -1
	}
	query := arDocumentsByDate
	if q.ByPostingDate {
		query = arDocumentsByPosting
	}
	rows, err := s.arReader().QueryContext(ctx, query, tenant, string(kinds), q.Party, string(status),
		arDate(q.From), arDate(q.To), orig, limit, q.Number)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []arap.Document
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		d, err := arap.DecodeDocument([]byte(body))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}

// ARNextSerials implements arap.Store: the writer's transaction holds the
// database, so the counter cannot move under it.
func (s *Store) ARNextSerials(ctx context.Context, tenant, series string, fiscalYear, n int) (int64, error) {
	if n < 1 {
		return 0, fmt.Errorf("%w: %d serials", arap.ErrInvalidDocument, n)
	}
	var last int64
	err := s.arExec(ctx, func(q querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO erp_arap_serials (tenant_id, series, fiscal_year, last) VALUES (?1, ?2, ?3, ?4)
			ON CONFLICT (tenant_id, series, fiscal_year) DO UPDATE SET last = last + ?4 RETURNING last`,
			tenant, series, fiscalYear, n).Scan(&last)
	})
	return last, err
}

// ARCreateAllocations implements arap.Store.
func (s *Store) ARCreateAllocations(ctx context.Context, tenant string, as []arap.Allocation) error {
	return s.arExec(ctx, func(q querier) error {
		for _, a := range as {
			amt, err := arMinor(a.Amount)
			if err != nil {
				return err
			}
			vds, err := arMinor(a.VDS)
			if err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO erp_arap_allocations (tenant_id, id, side, party, charge_id,
				settlement_id, amount_minor, vds_minor, alloc_date, created_at, idempotency_key)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				tenant, a.ID.String(), string(a.Side), a.Party, a.Charge.String(), a.Settlement.String(), amt, vds,
				a.Date.String(), formatTime(a.CreatedAt), a.IdempotencyKey); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `UPDATE erp_arap_documents SET last_alloc = max(last_alloc, ?1)
				WHERE tenant_id = ?2 AND id IN (?3, ?4)`, a.Date.String(), tenant, a.Charge.String(), a.Settlement.String()); err != nil {
				return err
			}
		}
		return nil
	})
}

// ARAllocations implements arap.Store.
func (s *Store) ARAllocations(ctx context.Context, tenant string, doc uuid.UUID) ([]arap.Allocation, error) {
	return s.arAllocations(ctx, `SELECT `+arAllocationColumns+` FROM erp_arap_allocations WHERE tenant_id = ?1 AND charge_id = ?2
		UNION ALL SELECT `+arAllocationColumns+` FROM erp_arap_allocations WHERE tenant_id = ?1 AND settlement_id = ?2
		ORDER BY alloc_date, id`, tenant, doc.String())
}

// ARAllocationsByKey implements arap.Store.
func (s *Store) ARAllocationsByKey(ctx context.Context, tenant, key string) ([]arap.Allocation, error) {
	return s.arAllocations(ctx, `SELECT `+arAllocationColumns+` FROM erp_arap_allocations
		WHERE tenant_id = ? AND idempotency_key = ? AND idempotency_key <> '' ORDER BY id`, tenant, key)
}

const arAllocationColumns = `id, side, party, charge_id, settlement_id, amount_minor, vds_minor, alloc_date, created_at,
	idempotency_key`

// arAllocations runs query, which selects arAllocationColumns.
func (s *Store) arAllocations(ctx context.Context, query string, args ...any) ([]arap.Allocation, error) {
	rows, err := s.arReader().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []arap.Allocation
	for rows.Next() {
		var a arap.Allocation
		var id, side, charge, settle, date, created string
		var amt, vds int64
		if err := rows.Scan(&id, &side, &a.Party, &charge, &settle, &amt, &vds, &date, &created, &a.IdempotencyKey); err != nil {
			return nil, err
		}
		var err error
		if a.ID, err = uuid.Parse(id); err != nil {
			return nil, err
		}
		if a.Charge, err = uuid.Parse(charge); err != nil {
			return nil, err
		}
		if a.Settlement, err = uuid.Parse(settle); err != nil {
			return nil, err
		}
		if a.Date, err = ledger.ParseDate(date); err != nil {
			return nil, err
		}
		if a.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		a.Side, a.Amount, a.VDS = arap.Side(side), arBDT.FromMinor(amt), arBDT.FromMinor(vds)
		out = append(out, a)
	}
	return out, interpretError(rows.Err())
}

// arOpenItems selects the open items of a side on an as-of date (?4, ”
// for today): what is open now, plus what allocations dated after ?4
// closed since. ?3 is the party (” for all).
const arOpenItems = `WITH items AS (
	SELECT id, kind, party, number, doc_date, due_date, total_minor, charge, open_minor AS open_now, last_alloc, posting_date
	  FROM erp_arap_documents
	 WHERE tenant_id = ?1 AND side = ?2 AND open_minor <> 0 AND (?3 = '' OR party = ?3)
	UNION ALL
	SELECT id, kind, party, number, doc_date, due_date, total_minor, charge, 0, last_alloc, posting_date
	  FROM erp_arap_documents
	 WHERE tenant_id = ?1 AND side = ?2 AND ?4 <> '' AND last_alloc > ?4 AND last_alloc <> '' AND open_minor = 0
	   AND (?3 = '' OR party = ?3)
), asof AS (
	SELECT id, kind, party, number, doc_date, due_date, total_minor, charge,
	       open_now + CASE WHEN ?4 <> '' AND last_alloc > ?4 THEN
	           CASE WHEN charge = 1
	                THEN (SELECT coalesce(sum(a.amount_minor), 0) FROM erp_arap_allocations a
	                       WHERE a.tenant_id = ?1 AND a.charge_id = items.id AND a.alloc_date > ?4)
	                ELSE (SELECT coalesce(sum(a.amount_minor), 0) FROM erp_arap_allocations a
	                       WHERE a.tenant_id = ?1 AND a.settlement_id = items.id AND a.alloc_date > ?4) END
	       ELSE 0 END AS open_minor
	  FROM items
	 WHERE ?4 = '' OR posting_date <= ?4
)`

// AROpenItems implements arap.Store.
func (s *Store) AROpenItems(ctx context.Context, tenant string, q arap.OpenItemQuery) ([]arap.OpenItem, error) {
	rows, err := s.arReader().QueryContext(ctx, arOpenItems+`
		SELECT id, kind, party, number, doc_date, due_date, total_minor, charge, open_minor FROM asof
		 WHERE open_minor <> 0 ORDER BY party, due_date, id`, tenant, string(q.Side), q.Party, arDate(q.AsOf))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []arap.OpenItem
	for rows.Next() {
		var it arap.OpenItem
		var id, kind, date, due string
		var total, open int64
		var charge int
		if err := rows.Scan(&id, &kind, &it.Party, &it.Number, &date, &due, &total, &charge, &open); err != nil {
			return nil, err
		}
		var err error
		if it.Document, err = uuid.Parse(id); err != nil {
			return nil, err
		}
		if it.Date, err = ledger.ParseDate(date); err != nil {
			return nil, err
		}
		if due != "" {
			if it.DueDate, err = ledger.ParseDate(due); err != nil {
				return nil, err
			}
		}
		it.Kind, it.Total, it.Open = arap.Kind(kind), arBDT.FromMinor(total), arBDT.FromMinor(open)
		if charge == 0 {
			it.Open = it.Open.Neg()
		}
		out = append(out, it)
	}
	return out, interpretError(rows.Err())
}

// ARAging implements arap.Store. What is open now is summed per party and
// bucket in SQL over integer poisha (exact), the bucket found by comparing
// due dates with its edges; documents with allocations dated after the as-of
// date (few) then add those back, bucketed here.
func (s *Store) ARAging(ctx context.Context, tenant string, q arap.OpenItemQuery) ([]arap.AgingRow, error) {
	asOf := q.AsOf.String()
	edges := [3]string{q.AsOf.AddDays(-30).String(), q.AsOf.AddDays(-60).String(), q.AsOf.AddDays(-90).String()}
	bucket := func(charge int, due string) int {
		switch {
		case charge == 0:
			return 5
		case due >= asOf:
			return 0
		case due >= edges[0]:
			return 1
		case due >= edges[1]:
			return 2
		case due >= edges[2]:
			return 3
		}
		return 4
	}
	sums := map[string]*[6]int64{}
	var order []string
	add := func(party string, b int, v int64) {
		r := sums[party]
		if r == nil {
			r = &[6]int64{}
			sums[party] = r
			order = append(order, party)
		}
		r[b] += v
	}
	rows, err := s.arReader().QueryContext(ctx, `SELECT party,
		  CASE WHEN charge = 0 THEN 5 WHEN due_date >= ?4 THEN 0 WHEN due_date >= ?5 THEN 1
		       WHEN due_date >= ?6 THEN 2 WHEN due_date >= ?7 THEN 3 ELSE 4 END AS bucket,
		  sum(open_minor)
		FROM erp_arap_documents
		WHERE tenant_id = ?1 AND side = ?2 AND open_minor <> 0 AND (?3 = '' OR party = ?3) AND posting_date <= ?4
		GROUP BY party, bucket`, tenant, string(q.Side), q.Party, asOf, edges[0], edges[1], edges[2])
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var party string
		var b int
		var v int64
		if err := rows.Scan(&party, &b, &v); err != nil {
			return nil, err
		}
		add(party, b, v)
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	later, err := s.arReader().QueryContext(ctx, `SELECT d.party, d.charge, d.due_date,
		  (SELECT coalesce(sum(a.amount_minor), 0) FROM erp_arap_allocations a
		    WHERE a.tenant_id = d.tenant_id AND a.charge_id = d.id AND a.alloc_date > ?4) +
		  (SELECT coalesce(sum(a.amount_minor), 0) FROM erp_arap_allocations a
		    WHERE a.tenant_id = d.tenant_id AND a.settlement_id = d.id AND a.alloc_date > ?4)
		FROM erp_arap_documents d
		WHERE d.tenant_id = ?1 AND d.side = ?2 AND d.last_alloc > ?4 AND d.last_alloc <> '' AND (?3 = '' OR d.party = ?3)
		  AND d.posting_date <= ?4`, tenant, string(q.Side), q.Party, asOf)
	if err != nil {
		return nil, interpretError(err)
	}
	defer later.Close()
	for later.Next() {
		var party, due string
		var charge int
		var v int64
		if err := later.Scan(&party, &charge, &due, &v); err != nil {
			return nil, err
		}
		add(party, bucket(charge, due), v)
	}
	if err := later.Err(); err != nil {
		return nil, interpretError(err)
	}
	sort.Strings(order)
	out := make([]arap.AgingRow, 0, len(order))
	for _, p := range order {
		v := sums[p]
		if *v == ([6]int64{}) {
			continue
		}
		r := arap.AgingRow{Party: p}
		r.NotDue, r.Days1To30, r.Days31To60 = arBDT.FromMinor(v[0]), arBDT.FromMinor(v[1]), arBDT.FromMinor(v[2])
		r.Days61To90, r.Over90, r.Unapplied = arBDT.FromMinor(v[3]), arBDT.FromMinor(v[4]), arBDT.FromMinor(-v[5])
		r.Total = arBDT.FromMinor(v[0] + v[1] + v[2] + v[3] + v[4] - v[5])
		out = append(out, r)
	}
	return out, nil
}

// ARDocumentsByID implements arap.Store.
func (s *Store) ARDocumentsByID(ctx context.Context, tenant string, ids []uuid.UUID, _ bool) ([]arap.Document, error) {
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = id.String()
	}
	j, _ := json.Marshal(list)
	rows, err := s.arReader().QueryContext(ctx, `SELECT body FROM erp_arap_documents
		WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))`, tenant, string(j))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	byID := make(map[uuid.UUID]arap.Document, len(ids))
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		d, err := arap.DecodeDocument([]byte(body))
		if err != nil {
			return nil, err
		}
		byID[d.ID] = d
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
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

// ARUpdateDocuments implements arap.Store.
func (s *Store) ARUpdateDocuments(ctx context.Context, tenant string, ds []arap.Document) error {
	for _, d := range ds {
		if err := s.ARUpdateDocument(ctx, tenant, d); err != nil {
			return err
		}
	}
	return nil
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
