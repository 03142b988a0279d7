-- 0014_ledger_fillfactor: nothing to change on SQLite.
--
-- On PostgreSQL this migration leaves room on the pages of the balances
-- and daily totals for their updates (fillfactor 70, so that updates are
-- HOT). SQLite has no such setting: a B-tree page is rewritten in place.
-- The number is kept so that migrations stay numbered in lockstep.
SELECT 1;
