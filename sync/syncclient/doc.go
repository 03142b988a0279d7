// Package syncclient is a Go client of the sync engine for field devices:
// a durable queue of mutations on SQLite that survives restarts, pushed in
// batches over HTTP (package synchttp) with exponential backoff and jitter,
// and an event reader (pull or Server-Sent Events) that persists its cursor
// only after the events are applied.
//
// This package is a client adapter, not a domain package: it opens its
// own SQLite file with database/sql and modernc.org/sqlite, because a queue
// that must survive a crash has to be on disk, and the application's local
// state can share that file so that applying events and advancing the
// cursor commit in one local transaction.
//
// A mutation leaves the queue only when the server's acknowledgement (its
// last applied seq for this client, returned after the commit) covers it,
// never merely because a request returned: a push whose answer is lost is
// sent again and the server skips what it already applied.
package syncclient
