-- Inventory engine: units, categories, items, stores, stock rows,
-- movements and their stock ledger lines. Quantities are INTEGER
-- millionths of the stock unit; values INTEGER ten-thousandths of the
-- currency (exact and summable: a NUMERIC column in SQLite would silently
-- become a float). Dates are TEXT YYYY-MM-DD.
CREATE TABLE erp_inventory_units (
    tenant_id TEXT    NOT NULL,
    code      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    decimals  INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 6),
    PRIMARY KEY (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_inventory_categories (
    tenant_id          TEXT NOT NULL,
    code               TEXT NOT NULL,
    name               TEXT NOT NULL,
    inventory_account  TEXT NOT NULL,
    expense_account    TEXT NOT NULL,
    grir_account       TEXT NOT NULL,
    variance_account   TEXT NOT NULL,
    adjustment_account TEXT NOT NULL,
    PRIMARY KEY (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_inventory_items (
    tenant_id      TEXT    NOT NULL,
    code           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    stock_unit     TEXT    NOT NULL,
    method         TEXT    NOT NULL CHECK (method IN ('fifo','average','standard')),
    standard_costs TEXT    NOT NULL DEFAULT '[]', -- JSON [{"from":"YYYY-MM-DD","cost":"12.5"}]
    conversions    TEXT    NOT NULL DEFAULT '[]', -- JSON [{"unit":"box","factor":"12"}]
    vat_category   TEXT    NOT NULL DEFAULT '',
    hs_code        TEXT    NOT NULL DEFAULT '',
    lot_tracked    INTEGER NOT NULL DEFAULT 0 CHECK (lot_tracked IN (0,1)),
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, code),
    FOREIGN KEY (tenant_id, category) REFERENCES erp_inventory_categories (tenant_id, code),
    FOREIGN KEY (tenant_id, stock_unit) REFERENCES erp_inventory_units (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_inventory_locations (
    tenant_id         TEXT    NOT NULL,
    code              TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('warehouse','site','vehicle')),
    inventory_account TEXT    NOT NULL DEFAULT '',
    allow_negative    INTEGER NOT NULL DEFAULT 0 CHECK (allow_negative IN (0,1)),
    created_at        TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_inventory_stock (
    tenant_id       TEXT    NOT NULL,
    item            TEXT    NOT NULL,
    location        TEXT    NOT NULL,
    qty             INTEGER NOT NULL,
    value           INTEGER NOT NULL,
    reserved        INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    layers          TEXT    NOT NULL DEFAULT '[]', -- JSON [[qty, value], ...] FIFO, oldest first
    last_cost_qty   INTEGER NOT NULL DEFAULT 0,
    last_cost_value INTEGER NOT NULL DEFAULT 0,
    last_date       TEXT    NOT NULL DEFAULT '',
    seq             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, item, location),
    FOREIGN KEY (tenant_id, item) REFERENCES erp_inventory_items (tenant_id, code),
    FOREIGN KEY (tenant_id, location) REFERENCES erp_inventory_locations (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_inventory_movements (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    kind            TEXT NOT NULL,
    movement_date   TEXT NOT NULL,
    reference       TEXT NOT NULL,
    idempotency_key TEXT,
    item            TEXT NOT NULL,
    location        TEXT NOT NULL,
    to_location     TEXT NOT NULL DEFAULT '',
    qty             TEXT NOT NULL, -- decimal, in unit
    unit            TEXT NOT NULL DEFAULT '',
    unit_cost       TEXT NOT NULL DEFAULT '0',
    counted         TEXT NOT NULL DEFAULT '0',
    dimensions      TEXT NOT NULL DEFAULT '{}',
    lot             TEXT NOT NULL DEFAULT '',
    expiry          TEXT NOT NULL DEFAULT '',
    stock_qty       INTEGER NOT NULL,
    entry_id        TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, item) REFERENCES erp_inventory_items (tenant_id, code)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX erp_inventory_movements_key ON erp_inventory_movements (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE erp_inventory_lines (
    tenant_id         TEXT    NOT NULL,
    movement_id       TEXT    NOT NULL,
    leg               INTEGER NOT NULL CHECK (leg IN (0,1)),
    seq               INTEGER NOT NULL,
    line_date         TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    item              TEXT    NOT NULL,
    location          TEXT    NOT NULL,
    qty               INTEGER NOT NULL,
    basis             INTEGER NOT NULL DEFAULT 0,
    has_basis         INTEGER NOT NULL DEFAULT 0 CHECK (has_basis IN (0,1)),
    value             INTEGER NOT NULL,
    variance          INTEGER NOT NULL DEFAULT 0,
    inventory_account TEXT    NOT NULL,
    counter_account   TEXT    NOT NULL DEFAULT '',
    variance_account  TEXT    NOT NULL,
    dimensions        TEXT    NOT NULL DEFAULT '{}',
    lot               TEXT    NOT NULL DEFAULT '',
    expiry            TEXT    NOT NULL DEFAULT '',
    -- Clustered in stock-ledger order: an item's history in a store is one
    -- range, and a re-valuation rewrites rows without touching an index.
    PRIMARY KEY (tenant_id, item, location, line_date, seq),
    FOREIGN KEY (tenant_id, movement_id) REFERENCES erp_inventory_movements (tenant_id, id),
    FOREIGN KEY (tenant_id, item, location) REFERENCES erp_inventory_stock (tenant_id, item, location)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX erp_inventory_lines_movement ON erp_inventory_lines (tenant_id, movement_id, leg);

CREATE TABLE erp_inventory_lots (
    tenant_id TEXT    NOT NULL,
    item      TEXT    NOT NULL,
    location  TEXT    NOT NULL,
    lot       TEXT    NOT NULL,
    expiry    TEXT    NOT NULL DEFAULT '',
    qty       INTEGER NOT NULL CHECK (qty >= 0),
    PRIMARY KEY (tenant_id, item, location, lot),
    FOREIGN KEY (tenant_id, item, location) REFERENCES erp_inventory_stock (tenant_id, item, location)
) STRICT, WITHOUT ROWID;

CREATE TABLE erp_inventory_reorder_rules (
    tenant_id TEXT    NOT NULL,
    item      TEXT    NOT NULL,
    location  TEXT    NOT NULL,
    level     INTEGER NOT NULL,
    qty       INTEGER NOT NULL,
    min_qty   INTEGER NOT NULL,
    max_qty   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, location, item),
    FOREIGN KEY (tenant_id, item) REFERENCES erp_inventory_items (tenant_id, code),
    FOREIGN KEY (tenant_id, location) REFERENCES erp_inventory_locations (tenant_id, code)
) STRICT, WITHOUT ROWID;
