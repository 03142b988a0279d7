package postgres

import (
	"context"
	"errors"
	"github.com/erpkit/erpkit/storage/internal/outbox"

	"github.com/erpkit/erpkit/ledger"
	erpsync "github.com/erpkit/erpkit/sync"
)

// errSyTestRollback fails a test transaction on purpose.
var errSyTestRollback = errors.New("rolled back on purpose")

// SyncAppendEventsInTx runs syAppendEvents (with the ledger entries'
// events first) in one transaction of st, rolled back when fail is set. For
// the tests of package postgres_test only.
func SyncAppendEventsInTx(ctx context.Context, st *Store, tenant string, fail bool, entries []ledger.Entry, evs ...erpsync.NewEvent) (int64, error) {
	var last int64
	err := st.InTx(ctx, func(tx *Store) error {
		var err error
		last, err = syAppendEvents(ctx, tx.tx, tenant, append(outbox.Ledger(entries...), evs...)...)
		if err == nil && fail {
			err = errSyTestRollback
		}
		return err
	})
	return last, err
}
