-- 0016_arap_allocation_keys: the caller's idempotency key of an Allocate
-- call (arap.AllocateOptions.IdempotencyKey) on each allocation it made,
-- so that a retried call returns those allocations instead of applying the
-- settlement again. One call makes several rows: the index is not unique
-- (calls with one key take the key's lock first, ARLockKey).
ALTER TABLE erp_arap_allocations ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';
CREATE INDEX erp_arap_allocations_key ON erp_arap_allocations (tenant_id, idempotency_key)
    WHERE idempotency_key <> '';
