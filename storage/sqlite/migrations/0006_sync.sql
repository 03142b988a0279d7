-- The event log (outbox) and the sync engine. Cursors are per tenant, from
-- erp_event_cursors.last, allocated in the writing transaction.
CREATE TABLE erp_event_cursors (
    tenant_id TEXT NOT NULL PRIMARY KEY,
    last      INTEGER NOT NULL,           -- the last cursor allocated
    pruned    INTEGER NOT NULL DEFAULT 0  -- events with cursor <= pruned are deleted
) STRICT;

CREATE TABLE erp_events (
    tenant_id   TEXT NOT NULL,
    cursor      INTEGER NOT NULL,
    type        TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    data        TEXT NOT NULL,            -- JSON
    created_us  INTEGER NOT NULL,         -- microseconds since 1970, UTC
    PRIMARY KEY (tenant_id, cursor)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_sync_clients (
    tenant_id       TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    client_group_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    last_seq        INTEGER NOT NULL,
    updated_us      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, client_id)
) STRICT;

CREATE TABLE erp_sync_results (
    tenant_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    mutation_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL,
    error       TEXT NOT NULL,
    conflict_id TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    applied_us  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, client_id, seq),
    FOREIGN KEY (tenant_id, client_id) REFERENCES erp_sync_clients (tenant_id, client_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_sync_entities (
    tenant_id   TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    fields      TEXT NOT NULL,            -- JSON object
    updated_us  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, entity_type, entity_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_sync_conflicts (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    status      TEXT NOT NULL,
    severity    INTEGER NOT NULL,
    body        TEXT NOT NULL,            -- the whole conflict as JSON
    created_us  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX erp_sync_conflicts_status ON erp_sync_conflicts (tenant_id, status, created_us);
CREATE INDEX erp_sync_conflicts_entity ON erp_sync_conflicts (tenant_id, entity_type, entity_id, created_us);
