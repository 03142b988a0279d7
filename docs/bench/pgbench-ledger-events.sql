-- pgbench script: pgbench-ledger.sql plus what an outbox with gapless,
-- commit-ordered per-tenant cursors needs (issue 7): a counter row updated
-- last, and the event row. Tables as pgbench-ledger.sql, plus
-- pb_cursor(tenant text pk, last bigint) with one row 't', and
-- pb_event(tenant text, cursor bigint, data text, primary key (tenant, cursor)).
\set a random(1, 500)
\set b random(501, 1000)
BEGIN;
UPDATE pb_bal SET debit = debit + 10 WHERE id = :a;
UPDATE pb_bal SET credit = credit + 10 WHERE id = :b;
INSERT INTO pb_entry (description) VALUES ('x') RETURNING id \gset
INSERT INTO pb_line VALUES (:id, 1, :a, 10);
INSERT INTO pb_line VALUES (:id, 2, :b, 10);
UPDATE pb_cursor SET last = last + 1 WHERE tenant = 't' RETURNING last \gset
INSERT INTO pb_event VALUES ('t', :last, 'posted');
COMMIT;
