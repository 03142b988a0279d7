-- 0008_ledger_last_day: nothing to change on SQLite.
--
-- On PostgreSQL this migration adds erp_ledger_balances.last_day, which lets
-- a posting set its daily totals in the statement that writes it. SQLite
-- has one writer and no statement pipeline to save, so it keeps the general
-- path; the number is kept so that migrations stay numbered in lockstep.
SELECT 1;
