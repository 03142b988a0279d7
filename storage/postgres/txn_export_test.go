package postgres

import "time"

// SetLockTimeout sets the lock timeout of the statements sent with COMMIT
// for a test that runs alone (not parallel), and returns what restores it.
func SetLockTimeout(d time.Duration) (restore func()) {
	old := setLockTimeout
	setLockTimeout = lockTimeoutSQL(d)
	return func() { setLockTimeout = old }
}
