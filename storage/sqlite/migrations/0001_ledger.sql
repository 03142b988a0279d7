-- Ledger posting core. Amounts are INTEGER minor units of their currency
-- (exact; a NUMERIC column in SQLite would silently become a float).
CREATE TABLE erp_ledger_accounts (
    tenant_id   TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    type        TEXT    NOT NULL CHECK (type IN ('asset','liability','equity','revenue','expense')),
    normal_side TEXT    NOT NULL CHECK (normal_side IN ('debit','credit')),
    parent_id   TEXT,
    currencies  TEXT    NOT NULL DEFAULT '[]', -- JSON array of ISO 4217 codes
    blocked     INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0,1)),
    metadata    TEXT    NOT NULL DEFAULT '{}', -- JSON object
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES erp_ledger_accounts (tenant_id, id)
) STRICT;

CREATE TABLE erp_ledger_entries (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    posting_date    TEXT NOT NULL, -- YYYY-MM-DD
    description     TEXT NOT NULL,
    reference       TEXT NOT NULL,
    metadata        TEXT NOT NULL DEFAULT '{}',
    idempotency_key TEXT,
    reverses_id     TEXT,
    posted_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, reverses_id) REFERENCES erp_ledger_entries (tenant_id, id)
) STRICT, WITHOUT ROWID;

-- Partial unique indexes: most entries have no key and reverse nothing, and
-- leaving them out keeps every posting's index writes small.
CREATE UNIQUE INDEX erp_ledger_entries_key ON erp_ledger_entries (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX erp_ledger_entries_reverses ON erp_ledger_entries (tenant_id, reverses_id)
    WHERE reverses_id IS NOT NULL;

CREATE TABLE erp_ledger_lines (
    tenant_id    TEXT    NOT NULL,
    entry_id     TEXT    NOT NULL,
    line_no      INTEGER NOT NULL,
    account_id   TEXT    NOT NULL,
    posting_date TEXT    NOT NULL,
    side         TEXT    NOT NULL CHECK (side IN ('debit','credit')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT    NOT NULL,
    memo         TEXT    NOT NULL DEFAULT '',
    dimensions   TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, entry_id, line_no),
    FOREIGN KEY (tenant_id, entry_id) REFERENCES erp_ledger_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES erp_ledger_accounts (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX erp_ledger_lines_date ON erp_ledger_lines (tenant_id, posting_date);
CREATE INDEX erp_ledger_lines_account ON erp_ledger_lines (tenant_id, account_id, posting_date);

-- Current totals per account and currency, changed in the posting's transaction.
CREATE TABLE erp_ledger_balances (
    tenant_id    TEXT    NOT NULL,
    account_id   TEXT    NOT NULL,
    currency     TEXT    NOT NULL,
    debit_minor  INTEGER NOT NULL DEFAULT 0,
    credit_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, account_id, currency),
    FOREIGN KEY (tenant_id, account_id) REFERENCES erp_ledger_accounts (tenant_id, id)
) STRICT, WITHOUT ROWID;
