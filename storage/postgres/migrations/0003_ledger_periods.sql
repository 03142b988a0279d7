-- 0003_ledger_periods: fiscal calendars and period closing.

-- One row per tenant that set a calendar or closed a period. Postings take
-- FOR KEY SHARE on it and calendar updates FOR UPDATE, so a close and a
-- posting exclude each other. Postings of a tenant without a row insert it.
CREATE TABLE erp_ledger_calendars (
    tenant_id         text     NOT NULL,
    fiscal_year_start smallint NOT NULL CHECK (fiscal_year_start BETWEEN 0 AND 12),
    closed_through    date     NULL,
    CONSTRAINT erp_ledger_calendars_pkey PRIMARY KEY (tenant_id)
);

-- Who closed or reopened which period, and when.
CREATE TABLE erp_ledger_period_events (
    tenant_id    text        NOT NULL,
    seq          integer     NOT NULL,
    period_start date        NOT NULL,
    action       text        NOT NULL CHECK (action IN ('close', 'reopen', 'year-end')),
    by_whom      text        NOT NULL,
    at           timestamptz NOT NULL,
    entry_id     uuid        NULL,
    CONSTRAINT erp_ledger_period_events_pkey PRIMARY KEY (tenant_id, seq)
);
