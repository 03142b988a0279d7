-- 0004_ledger_daily: cumulative totals per account, currency and posting day.
--
-- A row holds the debit and credit totals of every line of the account and
-- currency dated on or before its day; there is a row only for days with
-- lines. A balance as of any date is then one index seek per account (the
-- row with the greatest day on or before the date), however many lines the
-- account has. Append keeps the rows in the posting's transaction, after it
-- has locked the account's erp_ledger_balances row: a line dated d adds to
-- the row of d (made from the row before it when missing) and to every later
-- row of its account, so backdated postings count. Derived data, like
-- erp_ledger_balances; no foreign keys (see ledger-line-foreign-keys.md).
CREATE TABLE erp_ledger_daily (
    tenant_id  text    NOT NULL,
    account_id uuid    NOT NULL,
    currency   text    NOT NULL,
    day        date    NOT NULL,
    debit      numeric NOT NULL,
    credit     numeric NOT NULL,
    CONSTRAINT erp_ledger_daily_pkey PRIMARY KEY (tenant_id, account_id, currency, day)
);

INSERT INTO erp_ledger_daily (tenant_id, account_id, currency, day, debit, credit)
SELECT tenant_id, account_id, currency, posting_date,
       sum(d) OVER w, sum(c) OVER w
FROM (
    SELECT tenant_id, account_id, currency, posting_date,
           coalesce(sum(amount) FILTER (WHERE side = 'debit'), 0) AS d,
           coalesce(sum(amount) FILTER (WHERE side = 'credit'), 0) AS c
    FROM erp_ledger_lines
    GROUP BY tenant_id, account_id, currency, posting_date
) x
WINDOW w AS (PARTITION BY tenant_id, account_id, currency ORDER BY posting_date
             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);

-- As-of balances were the only reader of the lines' date index: one index
-- write fewer per line.
DROP INDEX erp_ledger_lines_date_idx;

-- Statements page through an account's lines of one currency in (date,
-- entry, line) order: with the whole order in the index a page is a range
-- scan from its cursor, with no sort.
DROP INDEX erp_ledger_lines_account_date_idx;
CREATE INDEX erp_ledger_lines_account_idx
    ON erp_ledger_lines (tenant_id, account_id, currency, posting_date, entry_id, line_no);

-- Dimensions: the keys a tenant declared, with their allowed values (empty =
-- free values), and the keys each account requires.
CREATE TABLE erp_ledger_dimensions (
    tenant_id text   NOT NULL,
    key       text   COLLATE "C" NOT NULL,
    name      text   NOT NULL,
    "values"  text[] NOT NULL DEFAULT '{}',
    CONSTRAINT erp_ledger_dimensions_pkey PRIMARY KEY (tenant_id, key)
);

ALTER TABLE erp_ledger_accounts ADD COLUMN required_dimensions text[] NOT NULL DEFAULT '{}';
