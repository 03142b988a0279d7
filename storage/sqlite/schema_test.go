package sqlite_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSchemaKeysBeginWithTenant checks ARCHITECTURE.md's scale-out rule on
// the migrated schema: every primary key and unique index of an erp_ table
// begins with tenant_id, and every foreign key includes it.
// erp_migrations, the schema's own record, is the one table without
// tenants.
func TestSchemaKeysBeginWithTenant(t *testing.T) {
	ctx := context.Background()
	st := migratedFile(t)
	rows, err := st.DB().QueryContext(ctx, `
		SELECT m.name, 'primary', coalesce((SELECT c.name FROM pragma_table_info(m.name) c WHERE c.pk = 1), 'tenant_id') = 'tenant_id'
		FROM sqlite_master m WHERE m.type = 'table' AND m.name LIKE 'erp\_%' ESCAPE '\'
		UNION ALL
		SELECT m.name, 'unique ' || l.name, (SELECT i.name FROM pragma_index_info(l.name) i WHERE i.seqno = 0) = 'tenant_id'
		FROM sqlite_master m, pragma_index_list(m.name) l
		WHERE m.type = 'table' AND m.name LIKE 'erp\_%' ESCAPE '\' AND l."unique"
		UNION ALL
		SELECT m.name, 'foreign ' || f.id || ' to ' || f."table", max(f."from" = 'tenant_id')
		FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name LIKE 'erp\_%' ESCAPE '\'
		GROUP BY m.name, f.id
		ORDER BY 1, 2`)
	require.NoError(t, err)
	defer rows.Close()
	tables := map[string]bool{}
	for rows.Next() {
		var table, key string
		var ok bool
		require.NoError(t, rows.Scan(&table, &key, &ok))
		tables[table] = true
		if table == "erp_migrations" {
			continue
		}
		require.True(t, ok, "%s: %s key does not begin with (or, foreign, include) tenant_id", table, key)
	}
	require.NoError(t, rows.Err())
	require.Greater(t, len(tables), 30, "the tables checked: %v", tables)
}
