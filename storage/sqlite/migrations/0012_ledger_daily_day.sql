-- 0012_ledger_daily_day: the cumulative daily totals (0004) by tenant and
-- day, with their totals, for balances as of a date.
--
-- A balance as of a date is the row of its account and currency with the
-- greatest day on or before the date. Reading the tenant's rows backwards
-- from the date through this index finds that row for most balances within
-- a few days (the first row met of each account and currency is its
-- latest), in one pass; only the balances not met before the pass stops
-- take a descent of the primary key each (docs/decisions/sqlite-asof-reads.md).
-- The totals are in the index so that the pass reads no table row. SQLite
-- keeps it in every statement that writes the daily rows: a posting's new
-- rows are inserted and its changed totals moved in the index.
CREATE INDEX erp_ledger_daily_day ON erp_ledger_daily
    (tenant_id, day, account_id, currency, debit_minor, credit_minor, base_debit_minor, base_credit_minor);
