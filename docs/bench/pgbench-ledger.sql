-- pgbench script: the hand-written ledger-shaped transaction of shared/reference/ledger.md.
-- Tables: pb_bal(id int pk, debit numeric, credit numeric) with 1,000 rows; pb_entry(id bigserial pk, description text,
-- posted_at timestamptz default now()); pb_line(entry_id bigint references pb_entry, line_no int, account_id int references
-- pb_bal, amount numeric, primary key (entry_id, line_no)).
\set a random(1, 500)
\set b random(501, 1000)
BEGIN;
UPDATE pb_bal SET debit = debit + 10 WHERE id = :a;
UPDATE pb_bal SET credit = credit + 10 WHERE id = :b;
INSERT INTO pb_entry (description) VALUES ('x') RETURNING id \gset
INSERT INTO pb_line VALUES (:id, 1, :a, 10);
INSERT INTO pb_line VALUES (:id, 2, :b, 10);
COMMIT;
