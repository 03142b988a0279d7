// Package unwind undoes a transaction's work when a callback inside it
// leaves by a panic (or runtime.Goexit) instead of returning.
//
// The storage adapters run callers' and their own callbacks inside
// transactions and savepoints. A deferred rollback that tests the returned
// error misses a panic: the error is still nil. On SQLite the writer's one
// connection then stays in the transaction and every later write waits for
// ever; on PostgreSQL the connection stays checked out holding its row
// locks; in a host's transaction a savepoint stays open, and a host that
// recovers and commits commits the callback's half-done writes.
package unwind

// Call returns fn's error. When fn panics or calls runtime.Goexit instead,
// undo runs first and the panic goes on to the caller unchanged.
func Call(fn func() error, undo func()) (err error) {
	returned := false
	defer func() {
		if !returned {
			undo()
		}
	}()
	err = fn()
	returned = true
	return err
}
