package postgres

import "time"

// SetCommitTimeout sets commitTimeout for a test that runs alone (not
// parallel) and returns what restores it.
func SetCommitTimeout(d time.Duration) (restore func()) {
	old := commitTimeout
	commitTimeout = d
	return func() { commitTimeout = old }
}
