-- 0001_ledger: the double-entry ledger's posting core.
--
-- Every primary key and unique constraint begins with tenant_id and every
-- foreign key includes it, so the schema distributes by tenant (Citus)
-- without change. Amounts are exact NUMERIC. Constraint names are stable:
-- the adapter's interpretError matches on them.

CREATE TABLE erp_ledger_accounts (
    tenant_id   text        NOT NULL,
    id          uuid        NOT NULL,
    code        text        COLLATE "C" NOT NULL, -- byte order, as Go sorts
    name        text        NOT NULL,
    type        text        NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    normal_side text        NOT NULL CHECK (normal_side IN ('debit', 'credit')),
    parent_id   uuid        NULL,
    currencies  text[]      NOT NULL DEFAULT '{}',
    blocked     boolean     NOT NULL DEFAULT false,
    metadata    jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    CONSTRAINT erp_ledger_accounts_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_ledger_accounts_code_key UNIQUE (tenant_id, code),
    CONSTRAINT erp_ledger_accounts_parent_fkey FOREIGN KEY (tenant_id, parent_id)
        REFERENCES erp_ledger_accounts (tenant_id, id)
);

CREATE INDEX erp_ledger_accounts_parent_idx ON erp_ledger_accounts (tenant_id, parent_id);

CREATE TABLE erp_ledger_entries (
    tenant_id       text        NOT NULL,
    id              uuid        NOT NULL,
    posting_date    date        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    reference       text        NOT NULL DEFAULT '',
    metadata        jsonb       NOT NULL DEFAULT '{}',
    idempotency_key text        NULL,
    reverses_id     uuid        NULL,
    posted_at       timestamptz NOT NULL,
    CONSTRAINT erp_ledger_entries_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_ledger_entries_idempotency_key_key UNIQUE (tenant_id, idempotency_key),
    CONSTRAINT erp_ledger_entries_reverses_id_key UNIQUE (tenant_id, reverses_id),
    CONSTRAINT erp_ledger_entries_reverses_fkey FOREIGN KEY (tenant_id, reverses_id)
        REFERENCES erp_ledger_entries (tenant_id, id)
);

CREATE INDEX erp_ledger_entries_date_idx ON erp_ledger_entries (tenant_id, posting_date);

-- Lines carry no FOREIGN KEY constraints on PostgreSQL: the per-row RI
-- triggers made COPY of a batch's lines 40% of its time. Integrity holds by
-- construction: lines are written only in the transaction that inserts their
-- entry, with account IDs read in that transaction, and no
-- entry or account is ever deleted. See docs/decisions/ledger-line-foreign-keys.md.
CREATE TABLE erp_ledger_lines (
    tenant_id    text    NOT NULL,
    entry_id     uuid    NOT NULL,
    line_no      integer NOT NULL,
    account_id   uuid    NOT NULL,
    posting_date date    NOT NULL,
    side         text    NOT NULL CHECK (side IN ('debit', 'credit')),
    amount       numeric NOT NULL CONSTRAINT erp_ledger_lines_amount_check CHECK (amount > 0),
    currency     text    NOT NULL,
    memo         text    NOT NULL DEFAULT '',
    dimensions   jsonb   NOT NULL DEFAULT '{}',
    CONSTRAINT erp_ledger_lines_pkey PRIMARY KEY (tenant_id, entry_id, line_no)
);

CREATE INDEX erp_ledger_lines_date_idx ON erp_ledger_lines (tenant_id, posting_date);
CREATE INDEX erp_ledger_lines_account_date_idx ON erp_ledger_lines (tenant_id, account_id, posting_date);

-- Current debit and credit totals per account and currency, kept by Append.
-- Balances as of a date subtract the lines dated after it.
CREATE TABLE erp_ledger_balances (
    tenant_id  text    NOT NULL,
    account_id uuid    NOT NULL,
    currency   text    NOT NULL,
    debit      numeric NOT NULL DEFAULT 0,
    credit     numeric NOT NULL DEFAULT 0,
    CONSTRAINT erp_ledger_balances_pkey PRIMARY KEY (tenant_id, account_id, currency),
    CONSTRAINT erp_ledger_balances_account_fkey FOREIGN KEY (tenant_id, account_id)
        REFERENCES erp_ledger_accounts (tenant_id, id)
);
