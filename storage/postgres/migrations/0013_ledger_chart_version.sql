-- 0013_ledger_chart_version: nothing to change on PostgreSQL.
--
-- On SQLite this migration versions each tenant's chart of accounts by
-- trigger, so that its as-of reads keep the chart in memory
-- (docs/decisions/sqlite-asof-reads.md). PostgreSQL's balance reads join
-- the accounts in the server. The number is kept so that migrations stay
-- numbered in lockstep.
SELECT 1;
