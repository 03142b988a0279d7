-- 0013_ledger_chart_version: a version of each tenant's chart of accounts.
--
-- Every insert, update or delete of a tenant's accounts gives its chart a
-- new random version, in the same transaction, by trigger: a reader that
-- reads the version in the snapshot of its other reads knows exactly which
-- chart it sees. Reports keep a tenant's accounts in memory under their
-- version and read them again only when it changed (a 10,000-account chart
-- was about a third of an as-of trial balance). The version is random, not
-- a counter, so that no two charts share one even when a database is put
-- back from a backup under a running process.
CREATE TABLE erp_ledger_chart_versions (
    tenant_id TEXT NOT NULL PRIMARY KEY,
    version   BLOB NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO erp_ledger_chart_versions (tenant_id, version)
    SELECT tenant_id, randomblob(16) FROM (SELECT DISTINCT tenant_id FROM erp_ledger_accounts);

CREATE TRIGGER erp_ledger_accounts_version_insert AFTER INSERT ON erp_ledger_accounts
BEGIN
    INSERT OR REPLACE INTO erp_ledger_chart_versions (tenant_id, version) VALUES (NEW.tenant_id, randomblob(16));
END;

CREATE TRIGGER erp_ledger_accounts_version_update AFTER UPDATE ON erp_ledger_accounts
BEGIN
    INSERT OR REPLACE INTO erp_ledger_chart_versions (tenant_id, version) VALUES (NEW.tenant_id, randomblob(16));
    INSERT OR REPLACE INTO erp_ledger_chart_versions (tenant_id, version)
        SELECT OLD.tenant_id, randomblob(16) WHERE OLD.tenant_id <> NEW.tenant_id;
END;

CREATE TRIGGER erp_ledger_accounts_version_delete AFTER DELETE ON erp_ledger_accounts
BEGIN
    INSERT OR REPLACE INTO erp_ledger_chart_versions (tenant_id, version) VALUES (OLD.tenant_id, randomblob(16));
END;
