-- 0011_ledger_daily_day: nothing to change on SQLite.
--
-- On PostgreSQL this migration indexes the daily totals (0004) by tenant
-- and day, so that an as-of balance reads the most recent rows of the
-- tenant in one pass instead of one index descent per account. On SQLite
-- that pass was no faster: grouping its rows by account (a temporary
-- b-tree) cost more than the descents it saved (docs/benchmarks.md). The
-- number is kept so that migrations stay numbered in lockstep.
SELECT 1;
