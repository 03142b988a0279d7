-- The event log (outbox) and the sync engine. Cursors are per tenant, from
-- erp_event_cursors.last, allocated in the writing transaction: the row's
-- lock orders same-tenant commits, so cursors follow commit order with no
-- gap a reader can see.
CREATE TABLE erp_event_cursors (
    tenant_id text   NOT NULL PRIMARY KEY,
    last      bigint NOT NULL,
    pruned    bigint NOT NULL DEFAULT 0
);

CREATE TABLE erp_events (
    tenant_id   text        NOT NULL,
    cursor      bigint      NOT NULL,
    type        text        NOT NULL,
    entity_type text        NOT NULL,
    entity_id   text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, cursor)
);

CREATE TABLE erp_sync_clients (
    tenant_id       text        NOT NULL,
    client_id       text        NOT NULL,
    client_group_id text        NOT NULL,
    user_id         text        NOT NULL,
    last_seq        bigint      NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, client_id)
);

CREATE TABLE erp_sync_results (
    tenant_id   text        NOT NULL,
    client_id   text        NOT NULL,
    seq         bigint      NOT NULL,
    mutation_id uuid        NOT NULL,
    name        text        NOT NULL,
    status      text        NOT NULL,
    error       text        NOT NULL,
    conflict_id uuid,
    user_id     text        NOT NULL,
    applied_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, client_id, seq),
    CONSTRAINT erp_sync_results_client_fkey FOREIGN KEY (tenant_id, client_id)
        REFERENCES erp_sync_clients (tenant_id, client_id)
);

CREATE TABLE erp_sync_entities (
    tenant_id   text        NOT NULL,
    entity_type text        NOT NULL,
    entity_id   text        NOT NULL,
    version     bigint      NOT NULL,
    fields      jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, entity_type, entity_id)
);

CREATE TABLE erp_sync_conflicts (
    tenant_id   text        NOT NULL,
    id          uuid        NOT NULL,
    entity_type text        NOT NULL,
    entity_id   text        NOT NULL,
    status      text        NOT NULL,
    severity    smallint    NOT NULL,
    body        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX erp_sync_conflicts_status ON erp_sync_conflicts (tenant_id, status, created_at);
CREATE INDEX erp_sync_conflicts_entity ON erp_sync_conflicts (tenant_id, entity_type, entity_id, created_at);
