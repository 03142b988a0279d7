package postgres

import (
	"context"
	"encoding/json"

	"github.com/erpkit/erpkit/ledger"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

const sqlPutDimension = `INSERT INTO erp_ledger_dimensions (tenant_id, key, name, "values")
	VALUES ($1, $2, $3, $4)
	ON CONFLICT (tenant_id, key) DO UPDATE SET name = excluded.name, "values" = excluded."values"`

const sqlDimensions = `SELECT key, name, "values" FROM erp_ledger_dimensions WHERE tenant_id = $1 ORDER BY key`

// PutDimension implements ledger.Store.
func (s *Store) PutDimension(ctx context.Context, tenant string, d ledger.Dimension) error {
	return s.single(ctx, func(q querier) error {
		_, err := q.Exec(ctx, sqlPutDimension, tenant, d.Key, d.Name, textArray(d.Values))
		return err
	})
}

// Dimensions implements ledger.Store.
func (s *Store) Dimensions(ctx context.Context, tenant string) ([]ledger.Dimension, error) {
	rows, err := s.reader().Query(ctx, sqlDimensions, tenant)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Dimension, error) { return scanDimension(r) })
	return out, interpretError(err, nil)
}

func scanDimension(r pgx.Row) (ledger.Dimension, error) {
	var d ledger.Dimension
	if err := r.Scan(&d.Key, &d.Name, &d.Values); err != nil {
		return d, err
	}
	if len(d.Values) == 0 {
		d.Values = nil
	}
	return d, nil
}

// scanDimensions collects declarations by key (nil when there are none).
func scanDimensions(rows pgx.Rows) (map[string]ledger.Dimension, error) {
	var out map[string]ledger.Dimension
	for rows.Next() {
		d, err := scanDimension(rows)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]ledger.Dimension{}
		}
		out[d.Key] = d
	}
	return out, rows.Err()
}

// sqlBalancesByDimensions sums the lines a dimension filter ($5, a jsonb
// object the line's dimensions must contain) or grouping ($6, keys) selects:
// the daily totals do not split by dimension.
const sqlBalancesByDimensions = `SELECT a.code, a.name, a.type, a.normal_side, l.currency,
		(SELECT coalesce(jsonb_agg(coalesce(l.dimensions ->> g.k, '') ORDER BY g.o), '[]')
		 FROM unnest($6::text[]) WITH ORDINALITY AS g(k, o))::text AS grp,
		coalesce(sum(l.amount) FILTER (WHERE l.side = 'debit'), 0),
		coalesce(sum(l.amount) FILTER (WHERE l.side = 'credit'), 0),
		coalesce(sum(l.base_amount) FILTER (WHERE l.side = 'debit'), 0),
		coalesce(sum(l.base_amount) FILTER (WHERE l.side = 'credit'), 0)
	FROM erp_ledger_lines l
	JOIN erp_ledger_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
	WHERE l.tenant_id = $1
	  AND ($2::date IS NULL OR l.posting_date <= $2)
	  AND ($3 = '' OR l.currency = $3)
	  AND (coalesce(cardinality($4::text[]), 0) = 0 OR a.code = ANY($4))
	  AND l.dimensions @> $5::jsonb
	GROUP BY a.code, a.name, a.type, a.normal_side, l.currency, grp
	ORDER BY a.code, l.currency, grp`

func (s *Store) balancesByDimensions(ctx context.Context, tenant string, q ledger.BalanceQuery) ([]ledger.Balance, error) {
	filter := jsonText(q.Dimensions)
	codes := q.Accounts
	if codes == nil {
		codes = []string{}
	}
	group := q.GroupBy
	if group == nil {
		group = []string{}
	}
	rows, err := s.reader().Query(ctx, sqlBalancesByDimensions, tenant, date(q.AsOf), q.Currency, codes, filter, group)
	if err != nil {
		return nil, interpretError(err, nil)
	}
	var out []ledger.Balance
	for rows.Next() {
		var b ledger.Balance
		var typ, side, grp string
		var debit, credit, baseDebit, baseCredit pgtype.Numeric
		if err := rows.Scan(&b.Account, &b.Name, &typ, &side, &b.Currency, &grp, &debit, &credit, &baseDebit, &baseCredit); err != nil {
			rows.Close()
			return nil, interpretError(err, nil)
		}
		b.Type, b.NormalSide = ledger.AccountType(typ), ledger.Side(side)
		b.Debit, b.Credit = decimalOf(debit), decimalOf(credit)
		b.BaseDebit, b.BaseCredit = decimalOf(baseDebit), decimalOf(baseCredit)
		if len(q.GroupBy) > 0 {
			var vals []string
			if err := json.Unmarshal([]byte(grp), &vals); err != nil {
				rows.Close()
				return nil, err
			}
			b.Dimensions = make(map[string]string, len(q.GroupBy))
			for i, k := range q.GroupBy {
				if i < len(vals) {
					b.Dimensions[k] = vals[i]
				}
			}
		}
		out = append(out, b)
	}
	return out, interpretError(rows.Err(), nil)
}
