-- 0003_ledger_periods: fiscal calendars and period closing.

-- One row per tenant that set a calendar or closed a period. Postings read
-- it in their transaction; closed_through is '' while nothing is closed.
CREATE TABLE erp_ledger_calendars (
    tenant_id         TEXT    NOT NULL PRIMARY KEY,
    fiscal_year_start INTEGER NOT NULL CHECK (fiscal_year_start BETWEEN 0 AND 12),
    closed_through    TEXT    NOT NULL DEFAULT '' -- YYYY-MM-DD
) STRICT;

-- Who closed or reopened which period, and when.
CREATE TABLE erp_ledger_period_events (
    tenant_id    TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    period_start TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('close', 'reopen', 'year-end')),
    by_whom      TEXT    NOT NULL,
    at           TEXT    NOT NULL,
    entry_id     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, seq)
) STRICT, WITHOUT ROWID;
