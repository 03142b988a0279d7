-- 0017_inventory_reservations: reservations made under an idempotency key.
--
-- Reserve adds to the stock row's reserved quantity. A retried call
-- reserved again, and every retry lowered the stock available to issue.
-- A call with a key records here what it set aside (qty in millionths of
-- the stock unit, as erp_inventory_stock.reserved; negative: released), in
-- its transaction. A retry finds the row and sets nothing aside again.
CREATE TABLE erp_inventory_reservations (
    tenant_id       TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    item            TEXT    NOT NULL,
    location        TEXT    NOT NULL,
    qty             INTEGER NOT NULL CHECK (qty <> 0),
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, item, location) REFERENCES erp_inventory_stock (tenant_id, item, location)
) STRICT, WITHOUT ROWID;
