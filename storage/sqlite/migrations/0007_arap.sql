-- 0007_arap: receivables and payables - parties, documents (invoices, notes,
-- bills, receipts, payments, VDS certificates), allocations and gapless
-- serial counters. Amounts are INTEGER poisha (exact); each row's full
-- content is JSON with decimal strings (exact) beside the queried columns.
CREATE TABLE erp_arap_parties (
    tenant_id  TEXT    NOT NULL,
    code       TEXT    NOT NULL,
    legal_name TEXT    NOT NULL,
    customer   INTEGER NOT NULL CHECK (customer IN (0,1)),
    vendor     INTEGER NOT NULL CHECK (vendor IN (0,1)),
    bin        TEXT    NOT NULL DEFAULT '',
    blocked    INTEGER NOT NULL CHECK (blocked IN (0,1)),
    body       TEXT    NOT NULL, -- JSON
    created_at TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_arap_documents (
    tenant_id    TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('invoice','debit_note','credit_note','receipt','bill',
                          'vendor_debit_note','vendor_credit_note','payment','vds_received','vds_issued')),
    side         TEXT    NOT NULL CHECK (side IN ('receivable','payable')),
    charge       INTEGER NOT NULL CHECK (charge IN (0,1)),
    party        TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('draft','issued','approved','cancelled')),
    number       TEXT    NOT NULL DEFAULT '',
    doc_date     TEXT    NOT NULL DEFAULT '', -- YYYY-MM-DD, '' for a draft invoice
    posting_date TEXT    NOT NULL DEFAULT '',
    due_date     TEXT    NOT NULL DEFAULT '',
    original_id  TEXT    NOT NULL DEFAULT '',
    total_minor  INTEGER NOT NULL CHECK (total_minor >= 0),
    open_minor   INTEGER NOT NULL CHECK (open_minor >= 0 AND open_minor <= total_minor),
    last_alloc   TEXT    NOT NULL DEFAULT '', -- date of the latest allocation touching it
    body         TEXT    NOT NULL, -- JSON
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, party) REFERENCES erp_arap_parties (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE INDEX erp_arap_documents_party ON erp_arap_documents (tenant_id, party, posting_date);
CREATE INDEX erp_arap_documents_kind ON erp_arap_documents (tenant_id, kind, doc_date);
CREATE INDEX erp_arap_documents_posting ON erp_arap_documents (tenant_id, kind, posting_date);
CREATE INDEX erp_arap_documents_original ON erp_arap_documents (tenant_id, original_id) WHERE original_id <> '';
-- Open items, covering for aging (the primary key, id, is in every index).
CREATE INDEX erp_arap_documents_open ON erp_arap_documents
    (tenant_id, side, party, charge, due_date, posting_date, open_minor, last_alloc) WHERE open_minor <> 0;
-- Our own serials are unique per kind (the counters make them gapless).
CREATE UNIQUE INDEX erp_arap_documents_serial ON erp_arap_documents (tenant_id, kind, number)
    WHERE number <> '' AND kind IN ('invoice','debit_note','credit_note','receipt','payment','vds_issued');

-- A vendor's invoice number is recorded once per vendor.
CREATE UNIQUE INDEX erp_arap_documents_bill ON erp_arap_documents (tenant_id, party, number) WHERE kind = 'bill';

CREATE TABLE erp_arap_allocations (
    tenant_id     TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    side          TEXT    NOT NULL CHECK (side IN ('receivable','payable')),
    party         TEXT    NOT NULL,
    charge_id     TEXT    NOT NULL,
    settlement_id TEXT    NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    vds_minor     INTEGER NOT NULL CHECK (vds_minor >= 0 AND vds_minor <= amount_minor),
    alloc_date    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, charge_id) REFERENCES erp_arap_documents (tenant_id, id),
    FOREIGN KEY (tenant_id, settlement_id) REFERENCES erp_arap_documents (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE INDEX erp_arap_allocations_charge ON erp_arap_allocations (tenant_id, charge_id, alloc_date);
CREATE INDEX erp_arap_allocations_settlement ON erp_arap_allocations (tenant_id, settlement_id, alloc_date);

-- Gapless serials: one counter per series and fiscal year, incremented in
-- the transaction that issues the document.
CREATE TABLE erp_arap_serials (
    tenant_id   TEXT    NOT NULL,
    series      TEXT    NOT NULL,
    fiscal_year INTEGER NOT NULL,
    last        INTEGER NOT NULL CHECK (last >= 0),
    PRIMARY KEY (tenant_id, series, fiscal_year)
) STRICT, WITHOUT ROWID;

-- Documents closed by allocations dated after an as-of date are open on it.
CREATE INDEX erp_arap_documents_alloc ON erp_arap_documents (tenant_id, side, last_alloc) WHERE last_alloc <> '';
