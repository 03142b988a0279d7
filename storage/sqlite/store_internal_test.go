package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// migratedStore opens a Store on a new file in tb's temporary directory,
// migrated, and closes it when tb ends.
func migratedStore(tb testing.TB) *Store {
	tb.Helper()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(tb.TempDir(), "erpkit.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = st.Close() })
	require.NoError(tb, st.Migrate(ctx))
	return st
}
