-- 0012_ledger_daily_day: nothing to change on PostgreSQL.
--
-- On SQLite this migration adds a covering (tenant, day) index of the
-- daily totals, totals included, for the as-of pass that PostgreSQL got
-- in 0011 (docs/decisions/sqlite-asof-reads.md). PostgreSQL's 0011 index
-- serves its pass already. The number is kept so that migrations stay
-- numbered in lockstep.
SELECT 1;
