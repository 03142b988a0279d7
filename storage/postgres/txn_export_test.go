package postgres

import "time"

// SetLockTimeout sets lockTimeout for a test that runs alone (not
// parallel) and returns what restores it.
func SetLockTimeout(d time.Duration) (restore func()) {
	old := lockTimeout
	lockTimeout = d
	return func() { lockTimeout = old }
}
