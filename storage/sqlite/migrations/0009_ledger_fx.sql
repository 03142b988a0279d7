-- 0009_ledger_fx: base (functional) currency and base amounts.
--
-- The tenant's base currency, rounding account and tolerance (text, exact)
-- live on the calendar row, which every posting reads already. A line in a
-- currency other than the base carries its base value (base_minor, minor
-- units of the base currency) and the rate used (text); a line may move only
-- a base value (amount 0: revaluation, realised differences, rounding).
-- Lines in the base currency, and every line of a tenant without a base
-- currency, keep base_minor 0: their base value is the amount. Balances and
-- the cumulative daily rows keep base totals beside the currency totals.
ALTER TABLE erp_ledger_calendars ADD COLUMN base_currency TEXT NOT NULL DEFAULT '';
ALTER TABLE erp_ledger_calendars ADD COLUMN rounding_account TEXT NOT NULL DEFAULT '';
ALTER TABLE erp_ledger_calendars ADD COLUMN rounding_tolerance TEXT NOT NULL DEFAULT '0';

-- SQLite cannot change a CHECK constraint: the lines table is rebuilt with
-- amount_minor >= 0 (no table references it; its one index is remade).
CREATE TABLE erp_ledger_lines_0009 (
    tenant_id    TEXT    NOT NULL,
    entry_id     TEXT    NOT NULL,
    line_no      INTEGER NOT NULL,
    account_id   TEXT    NOT NULL,
    posting_date TEXT    NOT NULL,
    side         TEXT    NOT NULL CHECK (side IN ('debit','credit')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT    NOT NULL,
    memo         TEXT    NOT NULL DEFAULT '',
    dimensions   TEXT    NOT NULL DEFAULT '{}',
    base_minor   INTEGER NOT NULL DEFAULT 0 CHECK (base_minor >= 0),
    rate         TEXT    NOT NULL DEFAULT '',
    CHECK (amount_minor > 0 OR base_minor > 0),
    PRIMARY KEY (tenant_id, entry_id, line_no),
    FOREIGN KEY (tenant_id, entry_id) REFERENCES erp_ledger_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES erp_ledger_accounts (tenant_id, id)
) STRICT, WITHOUT ROWID;

INSERT INTO erp_ledger_lines_0009
    (tenant_id, entry_id, line_no, account_id, posting_date, side, amount_minor, currency, memo, dimensions)
SELECT tenant_id, entry_id, line_no, account_id, posting_date, side, amount_minor, currency, memo, dimensions
FROM erp_ledger_lines;

DROP TABLE erp_ledger_lines;
ALTER TABLE erp_ledger_lines_0009 RENAME TO erp_ledger_lines;
CREATE INDEX erp_ledger_lines_account ON erp_ledger_lines (tenant_id, account_id, posting_date);

ALTER TABLE erp_ledger_balances ADD COLUMN base_debit_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE erp_ledger_balances ADD COLUMN base_credit_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE erp_ledger_daily ADD COLUMN base_debit_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE erp_ledger_daily ADD COLUMN base_credit_minor INTEGER NOT NULL DEFAULT 0;
