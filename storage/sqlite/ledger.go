package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/erpkit/erpkit/storage/internal/outbox"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/erpkit/erpkit/ledger"
	"github.com/erpkit/erpkit/storage/internal/gather"
	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

const accountColumns = `a.id, a.code, a.name, a.type, a.normal_side, coalesce(p.code, ''),
	a.currencies, a.blocked, a.metadata, a.created_at, a.required_dimensions
	FROM erp_ledger_accounts a
	LEFT JOIN erp_ledger_accounts p ON p.tenant_id = a.tenant_id AND p.id = a.parent_id`

func scanAccount(sc interface{ Scan(...any) error }) (ledger.Account, error) {
	var a ledger.Account
	var id, cur, meta, created, req string
	var blocked int
	if err := sc.Scan(&id, &a.Code, &a.Name, &a.Type, &a.NormalSide, &a.Parent, &cur, &blocked, &meta, &created, &req); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(req), &a.RequiredDimensions); err != nil {
		return a, err
	}
	if len(a.RequiredDimensions) == 0 {
		a.RequiredDimensions = nil
	}
	var err error
	if a.ID, err = uuid.Parse(id); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(cur), &a.Currencies); err != nil {
		return a, err
	}
	if len(a.Currencies) == 0 {
		a.Currencies = nil
	}
	if a.Metadata, err = decodeMap(meta); err != nil {
		return a, err
	}
	a.Blocked = blocked == 1
	a.CreatedAt, err = parseTime(created)
	return a, err
}

func encodeMap(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // a map[string]string always marshals
	return string(b)
}

func decodeMap(s string) (map[string]string, error) {
	if s == "{}" || s == "" {
		return nil, nil
	}
	var m map[string]string
	err := json.Unmarshal([]byte(s), &m)
	return m, err
}

func encodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id.String()
}

// CreateAccount implements ledger.Store.
func (s *Store) CreateAccount(ctx context.Context, tenant string, a ledger.Account) error {
	return s.write(ctx, func(tx querier) error {
		var parent any
		if a.Parent != "" {
			var pid string
			err := tx.QueryRowContext(ctx, `SELECT id FROM erp_ledger_accounts WHERE tenant_id = ? AND code = ?`,
				tenant, a.Parent).Scan(&pid)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: parent %s", ledger.ErrAccountNotFound, a.Parent)
			}
			if err != nil {
				return err
			}
			parent = pid
		}
		return insertAccount(ctx, tx, tenant, a, parent)
	})
}

// insertAccount inserts a; parent is the parent's ID or nil.
func insertAccount(ctx context.Context, tx querier, tenant string, a ledger.Account, parent any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_accounts
		(tenant_id, id, code, name, type, normal_side, parent_id, currencies, blocked, metadata, created_at, required_dimensions)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tenant, a.ID.String(), a.Code, a.Name, string(a.Type), string(a.NormalSide), parent,
		encodeList(a.Currencies), boolInt(a.Blocked), encodeMap(a.Metadata), formatTime(a.CreatedAt),
		encodeList(a.RequiredDimensions))
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func getAccount(ctx context.Context, q querier, tenant, code string) (ledger.Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` WHERE a.tenant_id = ? AND a.code = ?`, tenant, code))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("%w: %s", ledger.ErrAccountNotFound, code)
	}
	return a, err
}

// Account implements ledger.Store.
func (s *Store) Account(ctx context.Context, tenant, code string) (ledger.Account, error) {
	a, err := getAccount(ctx, s.reader(), tenant, code)
	return a, interpretError(err)
}

// Accounts implements ledger.Store.
func (s *Store) Accounts(ctx context.Context, tenant string, f ledger.AccountFilter) ([]ledger.Account, error) {
	const where = `
		WHERE a.tenant_id = ?1
		  AND (?2 = '' OR a.type = ?2)
		  AND (?3 = '' OR p.code = ?3)
		  AND (?4 = '' OR substr(a.code, 1, length(?4)) = ?4)
		ORDER BY a.code`
	if f.Outline {
		return s.outline(ctx, tenant, f)
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT `+accountColumns+where, tenant, string(f.Type), f.Parent, f.CodePrefix)
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out gather.Blocks[ledger.Account]
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out.Add(a)
	}
	return out.All(), interpretError(rows.Err())
}

// outline is Accounts for an outline, from the tenant's chart (s.chart).
func (s *Store) outline(ctx context.Context, tenant string, f ledger.AccountFilter) ([]ledger.Account, error) {
	rq, done, err := s.snapshot(ctx, []string{sqlChartVersion, sqlTBAccounts})
	if err != nil {
		return nil, interpretError(err)
	}
	defer done()
	var version []byte
	if err := rq.QueryRowContext(ctx, sqlChartVersion, tenant).Scan(&version); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, interpretError(err)
	}
	ch, err := s.chart(ctx, rq, tenant, version)
	if err != nil {
		return nil, interpretError(err)
	}
	return f.Select(ch.outline), nil
}

// UpdateAccount implements ledger.Store.
func (s *Store) UpdateAccount(ctx context.Context, tenant, code string,
	fn func(*ledger.Account, func(string) (ledger.Account, error)) error) (ledger.Account, error) {
	var out ledger.Account
	err := s.write(ctx, func(tx querier) error {
		a, err := getAccount(ctx, tx, tenant, code)
		if err != nil {
			return err
		}
		b := a
		if err := fn(&b, func(c string) (ledger.Account, error) { return getAccount(ctx, tx, tenant, c) }); err != nil {
			return err
		}
		var parent any
		if b.Parent != "" {
			p, err := getAccount(ctx, tx, tenant, b.Parent)
			if err != nil {
				return err
			}
			parent = p.ID.String()
		}
		_, err = tx.ExecContext(ctx, `UPDATE erp_ledger_accounts
			SET name = ?, parent_id = ?, blocked = ?, currencies = ?, metadata = ?, required_dimensions = ?
			WHERE tenant_id = ? AND id = ?`,
			b.Name, parent, boolInt(b.Blocked), encodeList(b.Currencies), encodeMap(b.Metadata),
			encodeList(b.RequiredDimensions), tenant, a.ID.String())
		if err != nil {
			return err
		}
		b.ID, b.Code, b.Type, b.NormalSide, b.CreatedAt = a.ID, a.Code, a.Type, a.NormalSide, a.CreatedAt
		out = b
		return nil
	})
	return out, err
}

// Append implements ledger.Store.
func (s *Store) Append(ctx context.Context, tenant string, codes, keys []string,
	check func(ledger.PostState) ([]ledger.Entry, error)) error {
	// Keys are nearly always new, so the first attempt does not look them up:
	// a taken key fails the insert on its unique index (interpretError asks
	// for a retry), and later attempts load the entries under the keys.
	attempts := 0
	alone := func(tx querier) error {
		attempts++
		looked := len(keys) > 0 && attempts > 1
		st, err := loadPostState(ctx, tx, tenant, codes, keys, looked)
		if err != nil {
			return err
		}
		write, err := check(st)
		if err != nil && !looked && len(keys) > 0 {
			// Refused without the keys in view: look again with them, so
			// that the errors name every taken key too.
			if st, err = loadPostState(ctx, tx, tenant, codes, keys, true); err != nil {
				return err
			}
			write, err = check(st)
		}
		if err != nil {
			return err
		}
		return writeEntries(ctx, tx, tenant, st, write)
	}
	return s.writeGroupedLedger(ctx, &ledgerReq{tenant: tenant, codes: codes, keys: keys, check: check}, alone)
}

// loadPostState reads what a posting's check needs: the accounts with the
// codes, the calendar, the declared dimensions and, when withKeys, the
// entries posted under the keys.
func loadPostState(ctx context.Context, tx querier, tenant string, codes, keys []string, withKeys bool) (ledger.PostState, error) {
	st := ledger.PostState{Accounts: make(map[string]ledger.Account, len(codes))}
	rows, err := tx.QueryContext(ctx, `SELECT `+accountColumns+`
		WHERE a.tenant_id = ? AND a.code IN (SELECT value FROM json_each(?))`, tenant, encodeList(codes))
	if err != nil {
		return st, err
	}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			rows.Close()
			return st, err
		}
		st.Accounts[a.Code] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	if st.Calendar, err = readCalendar(ctx, tx, tenant); err != nil {
		return st, err
	}
	if st.Dimensions, err = readDimensions(ctx, tx, tenant); err != nil {
		return st, err
	}
	if withKeys && len(keys) > 0 {
		prior, err := queryEntries(ctx, tx, tenant,
			`e.idempotency_key IS NOT NULL AND e.idempotency_key IN (SELECT value FROM json_each(?2))`, "e.idempotency_key", -1, encodeList(keys))
		if err != nil {
			return st, err
		}
		st.Existing = make(map[string]ledger.Entry, len(prior))
		for _, e := range prior {
			st.Existing[e.IdempotencyKey] = e
		}
	}
	return st, nil
}

// writeEntries writes the entries a check returned, with their events.
func writeEntries(ctx context.Context, tx querier, tenant string, st ledger.PostState, es []ledger.Entry) error {
	if len(es) == 0 {
		return nil
	}
	if err := insertEntries(ctx, tx, tenant, st.Calendar.Base.Currency, es); err != nil {
		return err
	}
	_, err := syAppendEvents(ctx, tx, tenant, outbox.Ledger(es...)...)
	return err
}

// Rows per multi-row INSERT, well under SQLite's limit of 32,766 parameters.
const chunk = 200

// insertEntries writes the entries, their lines and the balance and daily
// totals; base is the tenant's base currency ("" for none), whose minor
// units the lines' base amounts are kept in.
func insertEntries(ctx context.Context, tx querier, tenant, base string, es []ledger.Entry) error {
	days := map[dayKey]*[4]int64{}
	var baseCur ledger.Currency
	if base != "" {
		baseCur = ledger.MustCurrency(base)
	}
	const entryCols = 9
	for start := 0; start < len(es); start += chunk {
		part := es[start:min(start+chunk, len(es))]
		args := make([]any, 0, len(part)*entryCols)
		for _, e := range part {
			args = append(args, tenant, e.ID.String(), e.Date.String(), e.Description, e.Reference,
				encodeMap(e.Metadata), nullable(e.IdempotencyKey), nullID(e.Reverses), formatTime(e.PostedAt))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_entries
			(tenant_id, id, posting_date, description, reference, metadata, idempotency_key, reverses_id, posted_at)
			VALUES `+placeholders(len(part), entryCols), args...); err != nil {
			return err
		}
	}
	const lineCols = 12
	args := make([]any, 0, chunk*lineCols)
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_lines
			(tenant_id, entry_id, line_no, account_id, posting_date, side, amount_minor, currency, memo, dimensions,
			 base_minor, rate)
			VALUES `+placeholders(n, lineCols), args...)
		args, n = args[:0], 0
		return err
	}
	for _, e := range es {
		id, date := e.ID.String(), e.Date.String()
		for i, l := range e.Lines {
			cur, err := ledger.LookupCurrency(l.Currency)
			if err != nil {
				return err
			}
			minor, err := cur.ToMinor(l.Amount)
			if err != nil {
				return err
			}
			var baseMinor int64
			rate := ""
			if !l.BaseAmount.IsZero() {
				if base == "" {
					return fmt.Errorf("sqlite: a base amount without a base currency")
				}
				if baseMinor, err = baseCur.ToMinor(l.BaseAmount); err != nil {
					return err
				}
			}
			if !l.Rate.IsZero() {
				rate = l.Rate.String()
			}
			args = append(args, tenant, id, i, l.AccountID.String(), date, string(l.Side), minor, l.Currency,
				l.Memo, encodeMap(l.Dimensions), baseMinor, rate)
			n++
			dk := dayKey{l.AccountID, l.Currency, date}
			dm := days[dk]
			if dm == nil {
				dm = new([4]int64)
				days[dk] = dm
			}
			if l.Side == ledger.Debit {
				dm[0] += minor
				dm[2] += baseMinor
			} else {
				dm[1] += minor
				dm[3] += baseMinor
			}
			if n == chunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	// The day sums in (account, currency, day) order: the balance rows are
	// their totals per account and currency, upserted in a stable order.
	ks := make([]dayKey, 0, len(days))
	for k := range days {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if c := bytes.Compare(ks[i].account[:], ks[j].account[:]); c != 0 {
			return c < 0
		}
		if ks[i].currency != ks[j].currency {
			return ks[i].currency < ks[j].currency
		}
		return ks[i].day < ks[j].day
	})
	const balCols = 7
	bal := make([]any, 0, chunk*balCols)
	rows := 0
	upsert := func() error {
		if rows == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_balances
			(tenant_id, account_id, currency, debit_minor, credit_minor, base_debit_minor, base_credit_minor)
			VALUES `+placeholders(rows, balCols)+`
			ON CONFLICT (tenant_id, account_id, currency) DO UPDATE SET
				debit_minor = debit_minor + excluded.debit_minor,
				credit_minor = credit_minor + excluded.credit_minor,
				base_debit_minor = base_debit_minor + excluded.base_debit_minor,
				base_credit_minor = base_credit_minor + excluded.base_credit_minor`, bal...)
		bal, rows = bal[:0], 0
		return err
	}
	for i := 0; i < len(ks); {
		k, t := ks[i], [4]int64{}
		for ; i < len(ks) && ks[i].account == k.account && ks[i].currency == k.currency; i++ {
			for j, v := range days[ks[i]] {
				t[j] += v
			}
		}
		bal = append(bal, tenant, k.account.String(), k.currency, t[0], t[1], t[2], t[3])
		if rows++; rows == chunk {
			if err := upsert(); err != nil {
				return err
			}
		}
	}
	if err := upsert(); err != nil {
		return err
	}
	return addDaily(ctx, tx, tenant, ks, days)
}

// dayKey names a row of erp_ledger_daily.
type dayKey struct {
	account  uuid.UUID
	currency string
	day      string // YYYY-MM-DD
}

// addDaily adds the postings' debit and credit per account, currency and
// day (ks: the keys of days, sorted) to the cumulative rows of
// erp_ledger_daily: a missing row of a day is
// first made from the row before it, then every row on or after a posted
// day gains the sums of the posted days up to its own. Applying the deltas
// in parts is the same as applying them at once, so they go in chunks.
func addDaily(ctx context.Context, tx querier, tenant string, ks []dayKey, days map[dayKey]*[4]int64) error {
	const cols = 7
	for start := 0; start < len(ks); start += chunk {
		part := ks[start:min(start+chunk, len(ks))]
		// The tenant is ?1 and the VALUES ?2...: SQLite marks a statement
		// for re-preparing when a parameter it compares with "=" is bound
		// to 0 or 1 after another value, and it tracks parameters from ?32
		// on as one, so a tenant numbered past 31 made every binding of a
		// zero amount re-prepare the statement (a tenth of a grouped
		// posting's CPU time). The VALUES are plain "?", numbered on from
		// the ?1 written before them (the unused CTE tn): each "?NNN" is a
		// named parameter, and the driver looks up every parameter's name
		// in SQLite's list of names, one by one, so numbering all of a
		// 200-row chunk's 1,400 made binding quadratic (18% of a batch's
		// CPU time).
		args := make([]any, 0, 1+len(part)*cols)
		args = append(args, tenant)
		for _, k := range part {
			d := days[k]
			args = append(args, k.account.String(), k.currency, k.day, d[0], d[1], d[2], d[3])
		}
		ctes := `tn(tenant_id) AS (SELECT ?1), t(account_id, currency, day, d, c, bd, bc) AS (VALUES ` +
			placeholders(len(part), cols) + `)`
		tn := "?1"
		// A missing row of a posted day starts as the row before it.
		if _, err := tx.ExecContext(ctx, `WITH `+ctes+`
			INSERT INTO erp_ledger_daily (tenant_id, account_id, currency, day, debit_minor, credit_minor,
				base_debit_minor, base_credit_minor)
			SELECT `+tn+`, t.account_id, t.currency, t.day,
				coalesce(p.debit_minor, 0), coalesce(p.credit_minor, 0),
				coalesce(p.base_debit_minor, 0), coalesce(p.base_credit_minor, 0)
			FROM t LEFT JOIN erp_ledger_daily p ON p.tenant_id = `+tn+` AND p.account_id = t.account_id
				AND p.currency = t.currency
				AND p.day = (SELECT max(q.day) FROM erp_ledger_daily q
					WHERE q.tenant_id = `+tn+` AND q.account_id = t.account_id AND q.currency = t.currency AND q.day < t.day)
			WHERE true
			ON CONFLICT (tenant_id, account_id, currency, day) DO NOTHING`, args...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `WITH `+ctes+`,
			x AS (SELECT account_id, currency, day,
					sum(d) OVER w AS d, sum(c) OVER w AS c, sum(bd) OVER w AS bd, sum(bc) OVER w AS bc,
					lead(day) OVER (PARTITION BY account_id, currency ORDER BY day) AS next_day
				FROM t WINDOW w AS (PARTITION BY account_id, currency ORDER BY day
					ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
			UPDATE erp_ledger_daily AS r SET debit_minor = r.debit_minor + x.d, credit_minor = r.credit_minor + x.c,
				base_debit_minor = r.base_debit_minor + x.bd, base_credit_minor = r.base_credit_minor + x.bc
			FROM x
			WHERE r.tenant_id = `+tn+` AND r.account_id = x.account_id AND r.currency = x.currency
			  AND r.day >= x.day AND (x.next_day IS NULL OR r.day < x.next_day)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns rows groups of cols "?" for a multi-row VALUES list.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

const entryColumns = `e.id, e.posting_date, e.description, e.reference, e.metadata,
	coalesce(e.idempotency_key, ''), coalesce(e.reverses_id, ''),
	coalesce((SELECT r.id FROM erp_ledger_entries r WHERE r.tenant_id = e.tenant_id AND r.reverses_id = e.id), ''),
	e.posted_at
	FROM erp_ledger_entries e`

// queryEntries returns the tenant's entries matching where (which may use
// ?2 for arg), with their lines, ordered by ID. ?1 is the tenant.
// The order clause must let SQLite pick the index that where needs.
func queryEntries(ctx context.Context, q querier, tenant, where, order string, limit int, arg any) ([]ledger.Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+` WHERE e.tenant_id = ?1 AND `+where+
		` ORDER BY `+order+` LIMIT ?3`, tenant, arg, limit)
	if err != nil {
		return nil, err
	}
	var out []ledger.Entry
	index := map[string]int{}
	for rows.Next() {
		var e ledger.Entry
		var id, date, meta, rev, revBy, posted string
		if err := rows.Scan(&id, &date, &e.Description, &e.Reference, &meta, &e.IdempotencyKey, &rev, &revBy, &posted); err != nil {
			rows.Close()
			return nil, err
		}
		if err := parseEntry(&e, id, date, meta, rev, revBy, posted); err != nil {
			rows.Close()
			return nil, err
		}
		index[id] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, len(out))
	for i, e := range out {
		ids[i] = e.ID.String()
	}
	lrows, err := q.QueryContext(ctx, `SELECT l.entry_id, a.code, l.account_id, l.side, l.amount_minor, l.currency, l.memo, l.dimensions,
			l.base_minor, l.rate, coalesce(c.base_currency, '')
		FROM erp_ledger_lines l
		JOIN erp_ledger_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		LEFT JOIN erp_ledger_calendars c ON c.tenant_id = l.tenant_id
		WHERE l.tenant_id = ? AND l.entry_id IN (SELECT value FROM json_each(?))
		ORDER BY l.entry_id, l.line_no`, tenant, encodeList(ids))
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		var l ledger.Line
		var entryID, accountID, dims, rate, base string
		var minor, baseMinor int64
		if err := lrows.Scan(&entryID, &l.Account, &accountID, &l.Side, &minor, &l.Currency, &l.Memo, &dims,
			&baseMinor, &rate, &base); err != nil {
			return nil, err
		}
		cur, err := ledger.LookupCurrency(l.Currency)
		if err != nil {
			return nil, err
		}
		l.Amount = cur.FromMinor(minor)
		if baseMinor != 0 {
			bc, err := ledger.LookupCurrency(base)
			if err != nil {
				return nil, err
			}
			l.BaseAmount = bc.FromMinor(baseMinor)
		}
		if rate != "" {
			if l.Rate, err = decimal.NewFromString(rate); err != nil {
				return nil, err
			}
		}
		if l.AccountID, err = uuid.Parse(accountID); err != nil {
			return nil, err
		}
		if l.Dimensions, err = decodeMap(dims); err != nil {
			return nil, err
		}
		i := index[entryID]
		out[i].Lines = append(out[i].Lines, l)
	}
	return out, lrows.Err()
}

func parseEntry(e *ledger.Entry, id, date, meta, rev, revBy, posted string) error {
	var err error
	if e.ID, err = uuid.Parse(id); err != nil {
		return err
	}
	if e.Date, err = ledger.ParseDate(date); err != nil {
		return err
	}
	if e.Metadata, err = decodeMap(meta); err != nil {
		return err
	}
	if rev != "" {
		if e.Reverses, err = uuid.Parse(rev); err != nil {
			return err
		}
	}
	if revBy != "" {
		if e.ReversedBy, err = uuid.Parse(revBy); err != nil {
			return err
		}
	}
	e.PostedAt, err = parseTime(posted)
	return err
}

// Entry implements ledger.Store.
func (s *Store) Entry(ctx context.Context, tenant string, id uuid.UUID) (ledger.Entry, error) {
	es, err := queryEntries(ctx, s.reader(), tenant, `e.id = ?2`, "e.id", 1, id.String())
	if err != nil {
		return ledger.Entry{}, interpretError(err)
	}
	if len(es) == 0 {
		return ledger.Entry{}, fmt.Errorf("%w: %s", ledger.ErrEntryNotFound, id)
	}
	return es[0], nil
}

// Entries implements ledger.Store.
func (s *Store) Entries(ctx context.Context, tenant string, q ledger.EntryQuery) ([]ledger.Entry, error) {
	from, to, after := "0000-00-00", "9999-99-99", ""
	if !q.From.IsZero() {
		from = q.From.String()
	}
	if !q.To.IsZero() {
		to = q.To.String()
	}
	if q.After != uuid.Nil {
		after = q.After.String()
	}
	arg, _ := json.Marshal([]string{from, to, after})
	es, err := queryEntries(ctx, s.reader(), tenant,
		`e.posting_date >= (?2 ->> 0) AND e.posting_date <= (?2 ->> 1) AND e.id > (?2 ->> 2)`, "e.id", q.Limit, string(arg))
	return es, interpretError(err)
}

// Balances implements ledger.Store. The balances of the whole tenant are
// read by tenantBalances; those of a list of accounts walk the accounts in
// code order, so that no sort is needed, and read current totals from the
// totals table and totals as of a date from the cumulative daily rows.
// CROSS JOIN keeps SQLite from putting balances first, which would need a
// sort.
func (s *Store) Balances(ctx context.Context, tenant string, q ledger.BalanceQuery) ([]ledger.Balance, error) {
	if len(q.Dimensions) > 0 || len(q.GroupBy) > 0 {
		return s.balancesByDimensions(ctx, tenant, q)
	}
	if len(q.Accounts) == 0 {
		return s.tenantBalances(ctx, tenant, q)
	}
	const current = `
		SELECT a.code, a.name, a.type, a.normal_side, b.currency, b.debit_minor, b.credit_minor,
			b.base_debit_minor, b.base_credit_minor
		FROM erp_ledger_accounts a
		CROSS JOIN erp_ledger_balances b ON b.tenant_id = a.tenant_id AND b.account_id = a.id
		WHERE a.tenant_id = ?1
		  AND (?3 = '' OR b.currency = ?3)
		  AND (?4 = '[]' OR a.code IN (SELECT value FROM json_each(?4)))
		  AND ?2 = ''
		ORDER BY a.code, b.currency`
	// As of a date: each balance's cumulative row with the greatest day on
	// or before the date, found by one index seek per account and currency
	// that returns its totals as "debit credit base-debit base-credit" (a
	// join on the row found by a max(day) subquery took two seeks: 98
	// against 80 ms of CPU at 10,000 balances, docs/benchmarks.md). NULL:
	// no line on or before it.
	const asOf = `
		SELECT a.code, a.name, a.type, a.normal_side, b.currency, (` + sqlDailySeek + `), 0, 0, 0
		FROM erp_ledger_accounts a
		CROSS JOIN erp_ledger_balances b ON b.tenant_id = a.tenant_id AND b.account_id = a.id
		WHERE a.tenant_id = ?1
		  AND (?3 = '' OR b.currency = ?3)
		  AND (?4 = '[]' OR a.code IN (SELECT value FROM json_each(?4)))
		ORDER BY a.code, b.currency`
	query, date := current, ""
	if !q.AsOf.IsZero() {
		query, date = asOf, q.AsOf.String()
	}
	cal, err := readCalendar(ctx, s.reader(), tenant)
	if err != nil {
		return nil, interpretError(err)
	}
	rows, err := s.reader().QueryContext(ctx, query, tenant, date, q.Currency, encodeList(q.Accounts))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []ledger.Balance
	currencies := map[string]ledger.Currency{}
	for rows.Next() {
		var b ledger.Balance
		var d, c, bd, bc int64
		var typ, side string
		var dc sql.NullString
		dest := []any{&b.Account, &b.Name, &typ, &side, &b.Currency, &d, &c, &bd, &bc}
		if date != "" {
			dest[5] = &dc
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if date != "" {
			if !dc.Valid {
				continue
			}
			if d, c, bd, bc, err = minorTotals(dc.String); err != nil {
				return nil, err
			}
		}
		if d == 0 && c == 0 && bd == 0 && bc == 0 {
			continue
		}
		cur, ok := currencies[b.Currency]
		if !ok {
			if cur, err = ledger.LookupCurrency(b.Currency); err != nil {
				return nil, err
			}
			currencies[b.Currency] = cur
		}
		b.Type, b.NormalSide = ledger.AccountType(typ), ledger.Side(side)
		b.Debit, b.Credit = cur.FromMinor(d), cur.FromMinor(c)
		if err := setBase(&b, cal.Base.Currency, bd, bc); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, interpretError(rows.Err())
}

// sqlDailySeek is the totals of balance b's cumulative daily row with the
// greatest day on or before ?2, as "debit credit base-debit base-credit"
// (one descent of the primary key; a scalar subquery returns one value).
const sqlDailySeek = `SELECT d.debit_minor || ' ' || d.credit_minor || ' ' || d.base_debit_minor || ' ' || d.base_credit_minor
	FROM erp_ledger_daily d
	WHERE d.tenant_id = b.tenant_id AND d.account_id = b.account_id AND d.currency = b.currency
	  AND d.day <= ?2
	ORDER BY d.day DESC LIMIT 1`

// The statements of tenantBalances; ?1 is the tenant, ?2 the date, ?3 the
// currency (empty: all). A column costs the driver and database/sql about
// 0.1 us a row, and a row about 0.4 us: the statements that return many
// rows pack what they can into few columns, but not integers into text,
// which costs SQLite more than a column.
const (
	// The accounts in code order, the order of the result, as
	// "id type side blocked n m code+name+parent" (n, m: the bytes of the
	// code and of the name; parent: the parent's code).
	sqlTBAccounts = `SELECT a.id || ' ' || a.type || ' ' || a.normal_side || ' ' || a.blocked || ' ' ||
			octet_length(a.code) || ' ' || octet_length(a.name) || ' ' || a.code || a.name || coalesce(p.code, '')
		FROM erp_ledger_accounts a
		LEFT JOIN erp_ledger_accounts p ON p.tenant_id = a.tenant_id AND p.id = a.parent_id
		WHERE a.tenant_id = ?1 ORDER BY a.code`
	// The version of the tenant's chart (0013).
	sqlChartVersion = `SELECT version FROM erp_ledger_chart_versions WHERE tenant_id = ?1`
	// Totals rows are "account-id currency", debit, credit and "base-debit
	// base-credit" (NULL when both are zero, as nearly always).
	sqlTBTotalsCols = `account_id || ' ' || currency, debit_minor, credit_minor,
		CASE WHEN base_debit_minor = 0 AND base_credit_minor = 0 THEN NULL
		     ELSE base_debit_minor || ' ' || base_credit_minor END`
	// Current totals, in primary-key order: no descent per row.
	sqlTBCurrent = `SELECT ` + sqlTBTotalsCols + ` FROM erp_ledger_balances
		WHERE tenant_id = ?1 AND (?3 = '' OR currency = ?3)`
	// The tenant's daily rows from the date backwards (0012's index holds
	// the totals: no table row is read).
	sqlTBRecent = `SELECT ` + sqlTBTotalsCols + ` FROM erp_ledger_daily INDEXED BY erp_ledger_daily_day
		WHERE tenant_id = ?1 AND day <= ?2 AND (?3 = '' OR currency = ?3)
		ORDER BY day DESC`
	// How many balances the tenant has (to tell whether the pass and the
	// descents found every balance), and its chart's version.
	sqlTBCounts = `SELECT (SELECT count(*) FROM erp_ledger_balances WHERE tenant_id = ?1 AND (?3 = '' OR currency = ?3)),
		(` + sqlChartVersion + `)`
	// Accounts with balances in more than one currency: the pass may meet
	// some of them only.
	sqlTBMultiCurrency = `SELECT account_id FROM erp_ledger_balances
		WHERE tenant_id = ?1 GROUP BY account_id HAVING count(*) > 1`
	// The balances of the accounts listed in ?4 (a JSON array of IDs) as
	// "account-id currency" and their row as of the date, found by a
	// descent each.
	sqlTBSeek = `SELECT b.account_id || ' ' || b.currency, (` + sqlDailySeek + `)
		FROM json_each(?4) j
		CROSS JOIN erp_ledger_balances b ON b.tenant_id = ?1 AND b.account_id = j.value
		WHERE (?3 = '' OR b.currency = ?3)`
)

// The pass over recent daily rows reads them in blocks of passBlock rows
// and stops after a block in which fewer than one row in passPayoff met a
// balance not met before: a descent (sqlTBSeek) costs about as much as
// passPayoff rows of the pass (docs/decisions/sqlite-asof-reads.md).
const (
	passBlock  = 1024
	passPayoff = 8
)

// tbTotals is a balance of tenantBalances: account (an index into the
// accounts), currency and debit, credit, base debit and base credit in
// minor units.
type tbTotals struct {
	account  int32
	currency string
	v        [4]int64
}

// tenantBalances returns the balances of all the tenant's accounts, in one
// read transaction (one snapshot), from statements that each read one
// table or index in its own order; they are joined here rather than by a
// descent per balance. Current balances are the totals table. As of a
// date, a pass reads the tenant's daily rows backwards from the date
// (sqlTBRecent): the first row of a balance met is its latest on or before
// the date, as any later one would have come first. Balances not met when
// the pass stops take a descent each (sqlTBSeek).
func (s *Store) tenantBalances(ctx context.Context, tenant string, q ledger.BalanceQuery) ([]ledger.Balance, error) {
	date := ""
	if !q.AsOf.IsZero() {
		date = q.AsOf.String()
	}
	stmts := []string{sqlTBCounts, sqlTBAccounts, sqlTBCurrent}
	if date != "" {
		stmts = []string{sqlTBCounts, sqlTBAccounts, sqlTBRecent, sqlTBMultiCurrency, sqlTBSeek}
	}
	rq, done, err := s.snapshot(ctx, stmts)
	if err != nil {
		return nil, interpretError(err)
	}
	defer done()
	tb := tbRead{ctx: ctx, rq: rq, args: []any{tenant, date, q.Currency, "[]"}}
	var version []byte // of the tenant's chart (0013), in this snapshot
	if err := rq.QueryRowContext(ctx, sqlTBCounts, tb.args...).Scan(&tb.nBalances, &version); err != nil {
		return nil, interpretError(err)
	}
	if tb.tbChart, err = s.chart(ctx, rq, tenant, version); err != nil {
		return nil, interpretError(err)
	}
	tb.met = make([]int32, len(tb.outline))
	if date == "" {
		err = tb.read(sqlTBCurrent, tb.args, false, nil)
	} else {
		err = tb.readAsOf()
	}
	if err != nil {
		return nil, interpretError(err)
	}
	// In account (code) order, then currency order: a counting sort by
	// account, the few currencies of an account sorted in place.
	start := make([]int32, len(tb.outline)+1)
	for _, t := range tb.totals {
		start[t.account+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	sorted := make([]tbTotals, len(tb.totals))
	next := slices.Clone(start[:len(tb.outline)])
	for _, t := range tb.totals {
		sorted[next[t.account]] = t
		next[t.account]++
	}
	out := make([]ledger.Balance, 0, len(sorted))
	var cur ledger.Currency
	base, baseRead := "", false
	for a := range tb.outline {
		ts := sorted[start[a]:start[a+1]]
		if len(ts) > 1 {
			slices.SortFunc(ts, func(x, y tbTotals) int { return strings.Compare(x.currency, y.currency) })
		}
		acc := &tb.outline[a]
		for _, t := range ts {
			if t.v == [4]int64{} {
				continue
			}
			if t.currency != cur.Code {
				if cur, err = ledger.LookupCurrency(t.currency); err != nil {
					return nil, err
				}
			}
			b := ledger.Balance{Account: acc.Code, Name: acc.Name, Type: acc.Type,
				NormalSide: acc.NormalSide, Currency: t.currency,
				Debit: cur.FromMinor(t.v[0]), Credit: cur.FromMinor(t.v[1])}
			if (t.v[2] != 0 || t.v[3] != 0) && !baseRead {
				cal, err := readCalendar(ctx, rq, tenant)
				if err != nil {
					return nil, interpretError(err)
				}
				base, baseRead = cal.Base.Currency, true
			}
			if err := setBase(&b, base, t.v[2], t.v[3]); err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	}
	return out, nil
}

// tbRead is the state of one tenantBalances.
type tbRead struct {
	ctx  context.Context
	rq   querier
	args []any // tenant, date, currency, account IDs to descend for
	tbChart
	totals []tbTotals
	// met[a]: 1 + the position in totals of the first balance of account
	// a met; metMore notes any other currency of it met (rare).
	met     []int32
	metMore map[tbKey]bool
	// The tenant's balances (of the currency asked for) counted first;
	// rows: the rows the last read returned.
	nBalances int
	rows      int
}

type tbKey struct {
	account  int32
	currency string
}

// tbChart is a tenant's accounts as tenantBalances reads them, in code
// order. It is never changed once read: reads running at once share it.
type tbChart struct {
	outline []ledger.Account // in code order, as AccountFilter.Outline reads them
	ids     []string         // the accounts' IDs as stored (text)
	index   map[string]int32 // position of an account by ID
}

// chart returns the tenant's chart as of version, the chart version read
// in rq's snapshot: the one kept under it, else read through rq and kept.
func (s *Store) chart(ctx context.Context, rq querier, tenant string, version []byte) (tbChart, error) {
	if ch, ok := s.charts.Get(tenant, version); ok {
		return ch, nil
	}
	ch, err := readChart(ctx, rq, tenant)
	if err != nil {
		return tbChart{}, err
	}
	s.charts.Put(tenant, version, ch)
	return ch, nil
}

// readChart reads the tenant's accounts.
func readChart(ctx context.Context, rq querier, tenant string) (tbChart, error) {
	var ch tbChart
	rows, err := rq.QueryContext(ctx, sqlTBAccounts, tenant)
	if err != nil {
		return ch, err
	}
	defer rows.Close()
	ch.index = map[string]int32{}
	var packed string
	for rows.Next() {
		if err := rows.Scan(&packed); err != nil {
			return ch, err
		}
		id, rest, _ := strings.Cut(packed, " ")
		typ, rest, _ := strings.Cut(rest, " ")
		side, rest, _ := strings.Cut(rest, " ")
		blocked, rest, _ := strings.Cut(rest, " ")
		n, rest, _ := strings.Cut(rest, " ")
		m, rest, _ := strings.Cut(rest, " ")
		k, err1 := strconv.Atoi(n)
		l, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || k < 0 || l < 0 || k+l > len(rest) || (blocked != "0" && blocked != "1") {
			return ch, fmt.Errorf("sqlite: account row %q", packed)
		}
		uid, err := uuid.Parse(id)
		if err != nil {
			return ch, fmt.Errorf("sqlite: account row %q: %w", packed, err)
		}
		ch.index[id] = int32(len(ch.outline))
		ch.ids = append(ch.ids, id)
		ch.outline = append(ch.outline, ledger.Account{ID: uid, Code: rest[:k], Name: rest[k : k+l], Type: ledger.AccountType(typ),
			NormalSide: ledger.Side(side), Parent: rest[k+l:], Blocked: blocked == "1"})
	}
	return ch, rows.Err()
}

// first reports whether account a's balance in currency has not been met
// yet, and notes it met.
func (tb *tbRead) first(a int32, currency string) bool {
	p := tb.met[a]
	if p == 0 {
		tb.met[a] = int32(len(tb.totals) + 1)
		return true
	}
	if tb.totals[p-1].currency == currency {
		return false
	}
	k := tbKey{a, currency}
	if tb.metMore[k] {
		return false
	}
	if tb.metMore == nil {
		tb.metMore = map[tbKey]bool{}
	}
	tb.metMore[k] = true
	return true
}

// read appends the balances a statement returns ("account-id currency"
// and the totals as sqlTBTotalsCols or sqlDailySeek returns them) that
// first reports as not met before, or all of them when first is nil. A
// pass (sqlTBRecent, pass true) stops when it stops paying.
func (tb *tbRead) read(query string, args []any, pass bool, first func(int32, string) bool) error {
	rows, err := tb.rq.QueryContext(tb.ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	tb.rows = 0
	var key string
	var v [3]any
	dest := []any{&key, &v[0], &v[1], &v[2]}[:len(cols)]
	for n, fresh := 1, 0; rows.Next(); n++ {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		tb.rows++
		id, currency, _ := strings.Cut(key, " ")
		if a, ok := tb.index[id]; ok && (first == nil || first(a, currency)) {
			fresh++
			t := tbTotals{account: a, currency: currency}
			if err := t.set(v[:len(cols)-1]); err != nil {
				return fmt.Errorf("sqlite: totals of %s: %w", key, err)
			}
			if len(cols) > 2 || v[0] != nil { // a descent's NULL: no row on or before the date
				tb.totals = append(tb.totals, t)
			}
		}
		if !pass {
			continue
		}
		if len(tb.totals) == tb.nBalances {
			break // every balance met
		}
		if n%passBlock == 0 {
			if fresh*passPayoff < passBlock {
				break
			}
			fresh = 0
		}
	}
	return rows.Err()
}

// set sets t's totals from a row's values: debit, credit and "base-debit
// base-credit" or NULL (sqlTBTotalsCols), or "debit credit base-debit
// base-credit" or NULL (sqlDailySeek).
func (t *tbTotals) set(v []any) error {
	if len(v) == 1 {
		p, ok := v[0].(string)
		if !ok {
			if v[0] == nil {
				return nil
			}
			return fmt.Errorf("%T", v[0])
		}
		var err error
		t.v[0], t.v[1], t.v[2], t.v[3], err = minorTotals(p)
		return err
	}
	for i := range 2 {
		var ok bool
		if t.v[i], ok = v[i].(int64); !ok {
			return fmt.Errorf("%T", v[i])
		}
	}
	switch p := v[2].(type) {
	case nil:
		return nil
	case string:
		bd, bc, ok := strings.Cut(p, " ")
		var err1, err2 error
		t.v[2], err1 = strconv.ParseInt(bd, 10, 64)
		t.v[3], err2 = strconv.ParseInt(bc, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Errorf("base totals %q", p)
		}
		return nil
	default:
		return fmt.Errorf("%T", v[2])
	}
}

// readAsOf reads the balances as of the date: a pass over the recent daily
// rows, then a descent for each balance the pass did not meet.
func (tb *tbRead) readAsOf() error {
	tb.totals = make([]tbTotals, 0, len(tb.outline))
	if len(tb.outline) == 0 {
		return nil
	}
	if err := tb.read(sqlTBRecent, tb.args, true, tb.first); err != nil {
		return err
	}
	if len(tb.totals) == tb.nBalances {
		return nil // every balance met
	}
	// The accounts the pass did not meet: all their balances.
	var todo []string
	for a, p := range tb.met {
		if p == 0 {
			todo = append(todo, tb.ids[a])
		}
	}
	passed := len(tb.totals)
	if err := tb.seek(todo, passed); err != nil {
		return err
	}
	if passed+tb.rows == tb.nBalances {
		return nil
	}
	// Some account the pass met has a balance in another currency that
	// it did not meet: the accounts with more than one currency again,
	// without the balances the pass met.
	rows, err := tb.rq.QueryContext(tb.ctx, sqlTBMultiCurrency, tb.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	todo = todo[:0]
	var id string
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if a, ok := tb.index[id]; ok && tb.met[a] != 0 {
			todo = append(todo, id)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tb.seek(todo, passed)
}

// seek reads the balances of the accounts with the IDs by a descent each,
// but those that the pass (the first passed totals) met.
func (tb *tbRead) seek(ids []string, passed int) error {
	if len(ids) == 0 {
		tb.rows = 0
		return nil
	}
	args := slices.Clone(tb.args)
	args[3] = encodeList(ids)
	return tb.read(sqlTBSeek, args, false, func(a int32, currency string) bool {
		p := tb.met[a]
		if p == 0 || int(p) > passed {
			return true
		}
		return tb.totals[p-1].currency != currency && !tb.metMore[tbKey{a, currency}]
	})
}

// setBase sets b's base totals from minor units of the tenant's base
// currency (zero when it has none).
func setBase(b *ledger.Balance, base string, debit, credit int64) error {
	if debit == 0 && credit == 0 {
		return nil
	}
	cur, err := ledger.LookupCurrency(base)
	if err != nil {
		return err
	}
	b.BaseDebit, b.BaseCredit = cur.FromMinor(debit), cur.FromMinor(credit)
	return nil
}

// minorTotals parses the "debit credit base-debit base-credit" minor units
// of the as-of query.
func minorTotals(s string) (d, c, bd, bc int64, err error) {
	f := strings.Fields(s)
	if len(f) != 4 {
		return 0, 0, 0, 0, fmt.Errorf("sqlite: daily totals %q", s)
	}
	var v [4]int64
	for i, x := range f {
		if v[i], err = strconv.ParseInt(x, 10, 64); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("sqlite: daily totals %q", s)
		}
	}
	return v[0], v[1], v[2], v[3], nil
}
