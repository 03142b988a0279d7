package postgres

import "time"

// SetLockTimeout sets the lock timeout of the statements sent with COMMIT
// for a test that runs alone (not parallel), and returns what restores it.
func SetLockTimeout(d time.Duration) (restore func()) {
	old := setLockTimeout
	setLockTimeout = lockTimeoutSQL(d)
	return func() { setLockTimeout = old }
}

// LoseCancelRequests makes the next n cancel requests of COMMIT's
// watcher unsent, as if lost, for a test that runs alone; it returns what
// restores them.
func LoseCancelRequests(n int) (restore func()) {
	loseCancels.Store(int32(n))
	return func() { loseCancels.Store(0) }
}
