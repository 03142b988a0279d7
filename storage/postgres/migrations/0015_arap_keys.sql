-- 0015_arap_keys: the caller's idempotency key of a receipt or payment
-- (arap.MoneyRequest.IdempotencyKey), so that a retried call returns the
-- money recorded the first time instead of recording it twice. Unique per
-- tenant; '' for documents without one. Calls with one key take an
-- advisory lock of it first (ARLockKey), so the index is the backstop: a
-- concurrent insert of a taken key fails on it, and the adapter runs the
-- call again, which then finds the first.
ALTER TABLE erp_arap_documents ADD COLUMN idempotency_key text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX erp_arap_documents_key ON erp_arap_documents (tenant_id, idempotency_key)
    WHERE idempotency_key <> '';
