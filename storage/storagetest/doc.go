// Package storagetest is the conformance suite every erpkit storage adapter
// passes. Each engine has one entry point (Ledger, ...); an adapter's tests
// call it with a Harness over their backend, so every store behaviour is
// written and tested once for SQLite and PostgreSQL alike.
package storagetest
