-- 0007_arap: receivables and payables - parties, documents (invoices, notes,
-- bills, receipts, payments, VDS certificates), allocations and gapless
-- serial counters. Every key starts with tenant_id and every foreign key
-- includes it. Amounts are exact NUMERIC; each row's full content is JSON
-- (decimal strings) beside the queried columns.
CREATE TABLE erp_arap_parties (
    tenant_id  text        NOT NULL,
    code       text        COLLATE "C" NOT NULL,
    legal_name text        NOT NULL,
    customer   boolean     NOT NULL,
    vendor     boolean     NOT NULL,
    bin        text        NOT NULL DEFAULT '',
    blocked    boolean     NOT NULL,
    body       jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT erp_arap_parties_pkey PRIMARY KEY (tenant_id, code)
);

CREATE TABLE erp_arap_documents (
    tenant_id    text          NOT NULL,
    id           uuid          NOT NULL,
    kind         text          NOT NULL CHECK (kind IN ('invoice', 'debit_note', 'credit_note', 'receipt', 'bill',
                               'vendor_debit_note', 'vendor_credit_note', 'payment', 'vds_received', 'vds_issued')),
    side         text          NOT NULL CHECK (side IN ('receivable', 'payable')),
    charge       boolean       NOT NULL,
    party        text          COLLATE "C" NOT NULL,
    status       text          NOT NULL CHECK (status IN ('draft', 'issued', 'approved', 'cancelled')),
    number       text          COLLATE "C" NOT NULL DEFAULT '',
    doc_date     date          NULL, -- NULL for a draft invoice
    posting_date date          NULL,
    due_date     date          NULL,
    original_id  uuid          NULL,
    total        numeric(20,2) NOT NULL CHECK (total >= 0),
    open         numeric(20,2) NOT NULL CHECK (open >= 0 AND open <= total),
    last_alloc   date          NULL, -- date of the latest allocation touching it
    body         jsonb         NOT NULL,
    created_at   timestamptz   NOT NULL,
    CONSTRAINT erp_arap_documents_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_arap_documents_party_fkey FOREIGN KEY (tenant_id, party)
        REFERENCES erp_arap_parties (tenant_id, code)
);

CREATE INDEX erp_arap_documents_party ON erp_arap_documents (tenant_id, party, posting_date);
CREATE INDEX erp_arap_documents_kind ON erp_arap_documents (tenant_id, kind, doc_date);
CREATE INDEX erp_arap_documents_posting ON erp_arap_documents (tenant_id, kind, posting_date);
CREATE INDEX erp_arap_documents_original ON erp_arap_documents (tenant_id, original_id) WHERE original_id IS NOT NULL;
-- Open items, covering for aging.
CREATE INDEX erp_arap_documents_open ON erp_arap_documents (tenant_id, side, party, charge, due_date)
    INCLUDE (posting_date, open, last_alloc) WHERE open <> 0;
CREATE INDEX erp_arap_documents_alloc ON erp_arap_documents (tenant_id, side, last_alloc) WHERE last_alloc IS NOT NULL;
-- Our own serials are unique per kind (the counters make them gapless).
CREATE UNIQUE INDEX erp_arap_documents_serial ON erp_arap_documents (tenant_id, kind, number)
    WHERE number <> '' AND kind IN ('invoice', 'debit_note', 'credit_note', 'receipt', 'payment', 'vds_issued');

-- A vendor's invoice number is recorded once per vendor.
CREATE UNIQUE INDEX erp_arap_documents_bill ON erp_arap_documents (tenant_id, party, number) WHERE kind = 'bill';

CREATE TABLE erp_arap_allocations (
    tenant_id     text          NOT NULL,
    id            uuid          NOT NULL,
    side          text          NOT NULL CHECK (side IN ('receivable', 'payable')),
    party         text          COLLATE "C" NOT NULL,
    charge_id     uuid          NOT NULL,
    settlement_id uuid          NOT NULL,
    amount        numeric(20,2) NOT NULL CHECK (amount > 0),
    vds           numeric(20,2) NOT NULL CHECK (vds >= 0 AND vds <= amount),
    alloc_date    date          NOT NULL,
    created_at    timestamptz   NOT NULL,
    CONSTRAINT erp_arap_allocations_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_arap_allocations_charge_fkey FOREIGN KEY (tenant_id, charge_id)
        REFERENCES erp_arap_documents (tenant_id, id),
    CONSTRAINT erp_arap_allocations_settlement_fkey FOREIGN KEY (tenant_id, settlement_id)
        REFERENCES erp_arap_documents (tenant_id, id)
);

CREATE INDEX erp_arap_allocations_charge ON erp_arap_allocations (tenant_id, charge_id, alloc_date);
CREATE INDEX erp_arap_allocations_settlement ON erp_arap_allocations (tenant_id, settlement_id, alloc_date);

-- Gapless serials: one counter per series and fiscal year, incremented (and
-- so row-locked) in the transaction that issues the document.
CREATE TABLE erp_arap_serials (
    tenant_id   text    NOT NULL,
    series      text    NOT NULL,
    fiscal_year integer NOT NULL,
    last        bigint  NOT NULL CHECK (last >= 0),
    CONSTRAINT erp_arap_serials_pkey PRIMARY KEY (tenant_id, series, fiscal_year)
);
