-- 0013_ledger_chart_version: a version of each tenant's chart of accounts.
--
-- Every statement that inserts, updates or deletes a tenant's accounts
-- gives its chart a new random version, in the same transaction, by
-- trigger: a reader that finds the version it read the chart under knows
-- the chart is unchanged. Financial statements keep a tenant's outline of
-- accounts in memory under its version and read it again only when the
-- version changed (the 10,000-account chart was about a third of a
-- balance sheet's time). The version is random, not a counter, so that no
-- two charts share one even when a database is put back from a backup
-- under a running process.
CREATE TABLE erp_ledger_chart_versions (
    tenant_id text PRIMARY KEY,
    version   uuid NOT NULL
);

INSERT INTO erp_ledger_chart_versions (tenant_id, version)
    SELECT tenant_id, gen_random_uuid() FROM (SELECT DISTINCT tenant_id FROM erp_ledger_accounts) t;

CREATE FUNCTION erp_ledger_chart_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO erp_ledger_chart_versions AS v (tenant_id, version)
        SELECT tenant_id, gen_random_uuid() FROM (SELECT DISTINCT tenant_id FROM changed) t
        ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version;
    RETURN NULL;
END
$$;

CREATE TRIGGER erp_ledger_accounts_version_insert AFTER INSERT ON erp_ledger_accounts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION erp_ledger_chart_changed();
CREATE TRIGGER erp_ledger_accounts_version_update AFTER UPDATE ON erp_ledger_accounts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION erp_ledger_chart_changed();
CREATE TRIGGER erp_ledger_accounts_version_delete AFTER DELETE ON erp_ledger_accounts
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION erp_ledger_chart_changed();
