-- 0009_ledger_fx: base (functional) currency and base amounts.
--
-- The tenant's base currency, rounding account and tolerance live on the
-- calendar row, which every posting reads already. A line in a currency
-- other than the base carries its base value and the rate used; a line may
-- move only a base value (amount 0: revaluation, realised differences,
-- rounding). Lines in the base currency, and every line of a tenant without
-- a base currency, keep base_amount 0: their base value is the amount.
-- Balances and the cumulative daily rows keep the base totals beside the
-- transaction-currency totals, so base values as of any date are one seek.
ALTER TABLE erp_ledger_calendars
    ADD COLUMN base_currency      text    NOT NULL DEFAULT '',
    ADD COLUMN rounding_account   text    NOT NULL DEFAULT '',
    ADD COLUMN rounding_tolerance numeric NOT NULL DEFAULT 0;

ALTER TABLE erp_ledger_lines
    DROP CONSTRAINT erp_ledger_lines_amount_check,
    ADD COLUMN base_amount numeric NOT NULL DEFAULT 0,
    ADD COLUMN rate        numeric NULL,
    ADD CONSTRAINT erp_ledger_lines_amount_check
        CHECK (amount >= 0 AND base_amount >= 0 AND (amount > 0 OR base_amount > 0));

ALTER TABLE erp_ledger_balances
    ADD COLUMN base_debit  numeric NOT NULL DEFAULT 0,
    ADD COLUMN base_credit numeric NOT NULL DEFAULT 0;

ALTER TABLE erp_ledger_daily
    ADD COLUMN base_debit  numeric NOT NULL DEFAULT 0,
    ADD COLUMN base_credit numeric NOT NULL DEFAULT 0;
