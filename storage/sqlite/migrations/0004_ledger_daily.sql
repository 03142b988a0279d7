-- 0004_ledger_daily: cumulative totals per account, currency and posting day.
--
-- A row holds the debit and credit totals of every line of the account and
-- currency dated on or before its day; there is a row only for days with
-- lines. A balance as of any date is then one index seek per account (the
-- row with the greatest day on or before the date), however many lines the
-- account has. Append keeps the rows in the posting's transaction: a line
-- dated d adds to the row of d (made from the row before it when missing)
-- and to every later row of its account, so backdated postings count.
-- Derived data, like erp_ledger_balances: no foreign keys (written only by
-- Append, next to the lines it sums).
CREATE TABLE erp_ledger_daily (
    tenant_id    TEXT    NOT NULL,
    account_id   TEXT    NOT NULL,
    currency     TEXT    NOT NULL,
    day          TEXT    NOT NULL, -- YYYY-MM-DD
    debit_minor  INTEGER NOT NULL,
    credit_minor INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, account_id, currency, day)
) STRICT, WITHOUT ROWID;

INSERT INTO erp_ledger_daily (tenant_id, account_id, currency, day, debit_minor, credit_minor)
SELECT tenant_id, account_id, currency, posting_date,
       sum(d) OVER w, sum(c) OVER w
FROM (
    SELECT tenant_id, account_id, currency, posting_date,
           sum(CASE WHEN side = 'debit' THEN amount_minor ELSE 0 END) AS d,
           sum(CASE WHEN side = 'credit' THEN amount_minor ELSE 0 END) AS c
    FROM erp_ledger_lines
    GROUP BY tenant_id, account_id, currency, posting_date
)
WINDOW w AS (PARTITION BY tenant_id, account_id, currency ORDER BY posting_date
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- As-of balances were the only reader of the lines' date index: one index
-- write fewer per line.
DROP INDEX erp_ledger_lines_date;

-- Dimensions: the keys a tenant declared, with their allowed values (a JSON
-- array; empty = free values), and the keys each account requires.
CREATE TABLE erp_ledger_dimensions (
    tenant_id TEXT NOT NULL,
    key       TEXT NOT NULL,
    name      TEXT NOT NULL,
    "values"  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant_id, key)
) STRICT, WITHOUT ROWID;

ALTER TABLE erp_ledger_accounts ADD COLUMN required_dimensions TEXT NOT NULL DEFAULT '[]';
