package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSchemaKeysBeginWithTenant checks ARCHITECTURE.md's scale-out rule on
// the migrated schema: every primary key, unique constraint and unique
// index of an erp_ table begins with tenant_id, and every foreign key
// includes it (so that the schema distributes by tenant unchanged).
// erp_migrations, the schema's own record, is the one table without
// tenants.
func TestSchemaKeysBeginWithTenant(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	rows, err := shared.Pool().Query(ctx, `
		SELECT c.relname, i.relname, 'unique', (SELECT a.attname FROM pg_attribute a
			WHERE a.attrelid = c.oid AND a.attnum = x.indkey[0]) = 'tenant_id'
		FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indisunique AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'erp\_%'
		UNION ALL
		SELECT c.relname, k.conname, 'foreign', EXISTS (SELECT 1 FROM pg_attribute a
			WHERE a.attrelid = c.oid AND a.attnum = ANY (k.conkey) AND a.attname = 'tenant_id')
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace AND c.relname LIKE 'erp\_%'
		ORDER BY 1, 2`)
	require.NoError(t, err)
	defer rows.Close()
	tables := map[string]bool{}
	for rows.Next() {
		var table, name, kind string
		var ok bool
		require.NoError(t, rows.Scan(&table, &name, &kind, &ok))
		tables[table] = true
		if table == "erp_migrations" {
			continue
		}
		require.True(t, ok, "%s: %s key %s does not begin with (or, foreign, include) tenant_id", table, kind, name)
	}
	require.NoError(t, rows.Err())
	require.Greater(t, len(tables), 30, "the tables checked: %v", tables)
}
