package sqlite

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/erpkit/erpkit/ledger"
)

// PutDimension implements ledger.Store.
func (s *Store) PutDimension(ctx context.Context, tenant string, d ledger.Dimension) error {
	return s.write(ctx, func(tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO erp_ledger_dimensions (tenant_id, key, name, "values")
			VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, key) DO UPDATE SET name = excluded.name, "values" = excluded."values"`,
			tenant, d.Key, d.Name, encodeList(d.Values))
		return err
	})
}

// Dimensions implements ledger.Store.
func (s *Store) Dimensions(ctx context.Context, tenant string) ([]ledger.Dimension, error) {
	m, err := readDimensions(ctx, s.reader(), tenant)
	if err != nil {
		return nil, interpretError(err)
	}
	out := make([]ledger.Dimension, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b ledger.Dimension) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// readDimensions loads the tenant's declarations by key.
func readDimensions(ctx context.Context, q querier, tenant string) (map[string]ledger.Dimension, error) {
	rows, err := q.QueryContext(ctx, `SELECT key, name, "values" FROM erp_ledger_dimensions WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out map[string]ledger.Dimension
	for rows.Next() {
		var d ledger.Dimension
		var vals string
		if err := rows.Scan(&d.Key, &d.Name, &vals); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(vals), &d.Values); err != nil {
			return nil, err
		}
		if len(d.Values) == 0 {
			d.Values = nil
		}
		if out == nil {
			out = map[string]ledger.Dimension{}
		}
		out[d.Key] = d
	}
	return out, rows.Err()
}

// balancesByDimensions sums the lines a dimension filter or grouping
// selects: the daily totals do not split by dimension.
func (s *Store) balancesByDimensions(ctx context.Context, tenant string, q ledger.BalanceQuery) ([]ledger.Balance, error) {
	date := ""
	if !q.AsOf.IsZero() {
		date = q.AsOf.String()
	}
	filter := []byte("{}")
	if len(q.Dimensions) > 0 {
		var err error
		if filter, err = json.Marshal(q.Dimensions); err != nil {
			return nil, err
		}
	}
	group := "'[]'"
	if len(q.GroupBy) > 0 {
		group = `(SELECT json_group_array(coalesce(json_extract(l.dimensions, '$."' || g.value || '"'), ''))
			FROM json_each(?6) g)`
	}
	cal, err := readCalendar(ctx, s.reader(), tenant)
	if err != nil {
		return nil, interpretError(err)
	}
	rows, err := s.reader().QueryContext(ctx, `
		SELECT a.code, a.name, a.type, a.normal_side, l.currency, `+group+` AS grp,
		       sum(CASE WHEN l.side = 'debit' THEN l.amount_minor ELSE 0 END),
		       sum(CASE WHEN l.side = 'credit' THEN l.amount_minor ELSE 0 END),
		       sum(CASE WHEN l.side = 'debit' THEN l.base_minor ELSE 0 END),
		       sum(CASE WHEN l.side = 'credit' THEN l.base_minor ELSE 0 END)
		FROM erp_ledger_lines l
		JOIN erp_ledger_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE l.tenant_id = ?1
		  AND (?2 = '' OR l.posting_date <= ?2)
		  AND (?3 = '' OR l.currency = ?3)
		  AND (?4 = '[]' OR a.code IN (SELECT value FROM json_each(?4)))
		  AND NOT EXISTS (SELECT 1 FROM json_each(?5) f
		                  WHERE json_extract(l.dimensions, '$."' || f.key || '"') IS NOT f.value)
		GROUP BY a.code, l.currency, grp
		ORDER BY a.code, l.currency, grp`,
		tenant, date, q.Currency, encodeList(q.Accounts), string(filter), encodeList(q.GroupBy))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []ledger.Balance
	for rows.Next() {
		var b ledger.Balance
		var grp string
		var d, c, bd, bc int64
		if err := rows.Scan(&b.Account, &b.Name, &b.Type, &b.NormalSide, &b.Currency, &grp, &d, &c, &bd, &bc); err != nil {
			return nil, interpretError(err)
		}
		if d == 0 && c == 0 && bd == 0 && bc == 0 {
			continue
		}
		if err := setBase(&b, cal.Base.Currency, bd, bc); err != nil {
			return nil, err
		}
		if b.Dimensions, err = groupValues(q.GroupBy, grp); err != nil {
			return nil, err
		}
		cur, err := ledger.LookupCurrency(b.Currency)
		if err != nil {
			return nil, err
		}
		b.Debit, b.Credit = cur.FromMinor(d), cur.FromMinor(c)
		out = append(out, b)
	}
	return out, interpretError(rows.Err())
}

// groupValues pairs the GroupBy keys with a JSON array of their values.
func groupValues(keys []string, grp string) (map[string]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var vals []string
	if err := json.NewDecoder(strings.NewReader(grp)).Decode(&vals); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(keys))
	for i, k := range keys {
		if i < len(vals) {
			m[k] = vals[i]
		}
	}
	return m, nil
}
