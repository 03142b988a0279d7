-- 0008_ledger_last_day: the latest posting day of each balance.
--
-- A posting dated on or after it (most postings) sets its daily totals
-- (0004) from the balance row it has just locked, in the statement that
-- writes the entry; an earlier-dated one takes the general path.
ALTER TABLE erp_ledger_balances ADD COLUMN last_day date NULL;

UPDATE erp_ledger_balances b SET last_day = (
    SELECT max(d.day) FROM erp_ledger_daily d
    WHERE d.tenant_id = b.tenant_id AND d.account_id = b.account_id AND d.currency = b.currency);
