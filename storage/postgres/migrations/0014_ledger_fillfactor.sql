-- 0014_ledger_fillfactor: room on each page for the updates of balances
-- and daily totals.
--
-- Every posting updates its balance rows, and a backdated posting updates
-- the daily rows of its balances' later days. With pages filled to 70%, the
-- new version of an updated row usually fits on the row's own page, so
-- the update is HOT: no new entries in the table's indexes and no index
-- bloat to vacuum. A 1,000-entry PostBatch dated over 28 days ran 12-17%
-- faster (docs/benchmarks.md, 2026-12-03 third session); as-of reports did
-- not change. The setting applies to pages written from now on: existing
-- tables are not rewritten, and ALTER TABLE ... SET (fillfactor) does not
-- block reads or writes.
ALTER TABLE erp_ledger_daily SET (fillfactor = 70);
ALTER TABLE erp_ledger_balances SET (fillfactor = 70);
