-- 0005_inventory: units, categories, items, stores, stock rows, movements,
-- stock ledger lines, lots and reorder rules of the inventory engine. Every
-- key starts with tenant_id and every foreign key includes it. Quantities
-- and values are exact NUMERIC.
CREATE TABLE erp_inventory_units (
    tenant_id text     NOT NULL,
    code      text     NOT NULL,
    name      text     NOT NULL,
    decimals  smallint NOT NULL CHECK (decimals BETWEEN 0 AND 6),
    CONSTRAINT erp_inventory_units_pkey PRIMARY KEY (tenant_id, code)
);

CREATE TABLE erp_inventory_categories (
    tenant_id          text NOT NULL,
    code               text NOT NULL,
    name               text NOT NULL,
    inventory_account  text NOT NULL,
    expense_account    text NOT NULL,
    grir_account       text NOT NULL,
    variance_account   text NOT NULL,
    adjustment_account text NOT NULL,
    CONSTRAINT erp_inventory_categories_pkey PRIMARY KEY (tenant_id, code)
);

CREATE TABLE erp_inventory_items (
    tenant_id      text        NOT NULL,
    code           text        NOT NULL,
    name           text        NOT NULL,
    category       text        NOT NULL,
    stock_unit     text        NOT NULL,
    method         text        NOT NULL CHECK (method IN ('fifo', 'average', 'standard')),
    standard_costs jsonb       NOT NULL DEFAULT '[]', -- [{"from":"YYYY-MM-DD","cost":"12.5"}]
    conversions    jsonb       NOT NULL DEFAULT '[]', -- [{"unit":"box","factor":"12"}]
    vat_category   text        NOT NULL DEFAULT '',
    hs_code        text        NOT NULL DEFAULT '',
    lot_tracked    boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL,
    CONSTRAINT erp_inventory_items_pkey PRIMARY KEY (tenant_id, code),
    CONSTRAINT erp_inventory_items_category_fkey FOREIGN KEY (tenant_id, category)
        REFERENCES erp_inventory_categories (tenant_id, code),
    CONSTRAINT erp_inventory_items_unit_fkey FOREIGN KEY (tenant_id, stock_unit)
        REFERENCES erp_inventory_units (tenant_id, code)
);

CREATE TABLE erp_inventory_locations (
    tenant_id         text        NOT NULL,
    code              text        NOT NULL,
    name              text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('warehouse', 'site', 'vehicle')),
    inventory_account text        NOT NULL DEFAULT '',
    allow_negative    boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    CONSTRAINT erp_inventory_locations_pkey PRIMARY KEY (tenant_id, code)
);

-- One row per item and store: the position movements lock (FOR UPDATE).
CREATE TABLE erp_inventory_stock (
    tenant_id       text    NOT NULL,
    item            text    NOT NULL,
    location        text    NOT NULL,
    qty             numeric NOT NULL DEFAULT 0,
    value           numeric NOT NULL DEFAULT 0,
    reserved        numeric NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    layers          jsonb   NOT NULL DEFAULT '[]', -- [["qty","value"], ...] FIFO, oldest first
    last_cost_qty   numeric NOT NULL DEFAULT 0,
    last_cost_value numeric NOT NULL DEFAULT 0,
    last_date       date    NULL,
    seq             bigint  NOT NULL DEFAULT 0,
    CONSTRAINT erp_inventory_stock_pkey PRIMARY KEY (tenant_id, item, location),
    CONSTRAINT erp_inventory_stock_item_fkey FOREIGN KEY (tenant_id, item) REFERENCES erp_inventory_items (tenant_id, code),
    CONSTRAINT erp_inventory_stock_location_fkey FOREIGN KEY (tenant_id, location)
        REFERENCES erp_inventory_locations (tenant_id, code)
);

CREATE TABLE erp_inventory_movements (
    tenant_id       text        NOT NULL,
    id              uuid        NOT NULL,
    kind            text        NOT NULL,
    movement_date   date        NOT NULL,
    reference       text        NOT NULL,
    idempotency_key text        NULL,
    item            text        NOT NULL,
    location        text        NOT NULL,
    to_location     text        NOT NULL DEFAULT '',
    qty             numeric     NOT NULL,
    unit            text        NOT NULL DEFAULT '',
    unit_cost       numeric     NOT NULL DEFAULT 0,
    counted         numeric     NOT NULL DEFAULT 0,
    dimensions      jsonb       NOT NULL DEFAULT '{}',
    lot             text        NOT NULL DEFAULT '',
    expiry          date        NULL,
    stock_qty       numeric     NOT NULL,
    entry_id        uuid        NULL,
    created_at      timestamptz NOT NULL,
    CONSTRAINT erp_inventory_movements_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT erp_inventory_movements_key UNIQUE (tenant_id, idempotency_key),
    CONSTRAINT erp_inventory_movements_item_fkey FOREIGN KEY (tenant_id, item) REFERENCES erp_inventory_items (tenant_id, code)
);

CREATE TABLE erp_inventory_lines (
    tenant_id         text     NOT NULL,
    movement_id       uuid     NOT NULL,
    leg               smallint NOT NULL CHECK (leg IN (0, 1)),
    seq               bigint   NOT NULL,
    line_date         date     NOT NULL,
    kind              text     NOT NULL,
    item              text     NOT NULL,
    location          text     NOT NULL,
    qty               numeric  NOT NULL,
    inventory_account text     NOT NULL,
    counter_account   text     NOT NULL DEFAULT '',
    variance_account  text     NOT NULL,
    dimensions        jsonb    NOT NULL DEFAULT '{}',
    lot               text     NOT NULL DEFAULT '',
    expiry            date     NULL,
    CONSTRAINT erp_inventory_lines_pkey PRIMARY KEY (tenant_id, movement_id, leg),
    CONSTRAINT erp_inventory_lines_movement_fkey FOREIGN KEY (tenant_id, movement_id)
        REFERENCES erp_inventory_movements (tenant_id, id),
    CONSTRAINT erp_inventory_lines_stock_fkey FOREIGN KEY (tenant_id, item, location)
        REFERENCES erp_inventory_stock (tenant_id, item, location)
);

-- The stock ledger of an item in a store, and value-as-of reports.
CREATE INDEX erp_inventory_lines_item ON erp_inventory_lines (tenant_id, item, location, line_date, seq);

-- A line's values, apart from its facts: a backdated movement re-values
-- many lines, and rewriting these narrow rows costs half as much as the
-- lines. No value is indexed, so the updates are HOT when the page has room.
CREATE TABLE erp_inventory_line_values (
    tenant_id   text     NOT NULL,
    movement_id uuid     NOT NULL,
    leg         smallint NOT NULL,
    basis       numeric  NOT NULL DEFAULT 0,
    has_basis   boolean  NOT NULL DEFAULT false,
    value       numeric  NOT NULL,
    variance    numeric  NOT NULL DEFAULT 0,
    CONSTRAINT erp_inventory_line_values_pkey PRIMARY KEY (tenant_id, movement_id, leg),
    CONSTRAINT erp_inventory_line_values_line_fkey FOREIGN KEY (tenant_id, movement_id, leg)
        REFERENCES erp_inventory_lines (tenant_id, movement_id, leg)
) WITH (fillfactor = 70);

CREATE TABLE erp_inventory_lots (
    tenant_id text    NOT NULL,
    item      text    NOT NULL,
    location  text    NOT NULL,
    lot       text    NOT NULL,
    expiry    date    NULL,
    qty       numeric NOT NULL CHECK (qty >= 0),
    CONSTRAINT erp_inventory_lots_pkey PRIMARY KEY (tenant_id, item, location, lot),
    CONSTRAINT erp_inventory_lots_stock_fkey FOREIGN KEY (tenant_id, item, location)
        REFERENCES erp_inventory_stock (tenant_id, item, location)
);

CREATE TABLE erp_inventory_reorder_rules (
    tenant_id text    NOT NULL,
    item      text    NOT NULL,
    location  text    NOT NULL,
    level     numeric NOT NULL,
    qty       numeric NOT NULL,
    min_qty   numeric NOT NULL,
    max_qty   numeric NOT NULL,
    CONSTRAINT erp_inventory_reorder_rules_pkey PRIMARY KEY (tenant_id, location, item),
    CONSTRAINT erp_inventory_reorder_rules_item_fkey FOREIGN KEY (tenant_id, item) REFERENCES erp_inventory_items (tenant_id, code),
    CONSTRAINT erp_inventory_reorder_rules_location_fkey FOREIGN KEY (tenant_id, location)
        REFERENCES erp_inventory_locations (tenant_id, code)
);
