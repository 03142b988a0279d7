-- 0017_inventory_reservations: reservations made under an idempotency key.
--
-- Reserve adds to the stock row's reserved quantity. A retried call
-- reserved again, and every retry lowered the stock available to issue.
-- A call with a key records here what it set aside (negative: released),
-- in its transaction. A retry finds the row and sets nothing aside again.
CREATE TABLE erp_inventory_reservations (
    tenant_id       text        NOT NULL,
    idempotency_key text        NOT NULL,
    item            text        NOT NULL,
    location        text        NOT NULL,
    qty             numeric     NOT NULL CHECK (qty <> 0),
    created_at      timestamptz NOT NULL,
    CONSTRAINT erp_inventory_reservations_pkey PRIMARY KEY (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, item, location) REFERENCES erp_inventory_stock (tenant_id, item, location)
);
