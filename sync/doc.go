// Package sync applies offline clients' mutations exactly once, in order,
// resolves conflicts by strategy, and serves the event log (the outbox) by
// cursor. Import it as erpsync where the standard library's sync is also
// needed:
//
//	import erpsync "github.com/erpkit/erpkit/sync"
//
// A client numbers its mutations 1, 2, 3, ... (Mutation.Seq) and pushes
// them in batches. [Server.Push] locks the client's row, skips what was
// already applied, stops at a gap, runs the [Mutator] registered under the
// mutation's name inside the transaction (with the adapter's tx-bound store
// as [Context.Host]), records the result and advances the client's seq in
// the same transaction. A permanent failure is recorded and advances; a
// transient one (wrapping [ErrTransient]) is rolled back and does not. The
// client drops a queued mutation only when [PushResult.LastSeq] (or
// [PullResult.LastSeq]) covers it.
//
// Entities that clients edit field by field are versioned by
// [Context.Check]: a stale base version is diffed three ways (base, local,
// server) and the entity type's [Policy] decides: [ServerWins] (default),
// [FieldMerge], [ClientOverride] (held for approval), [Manual], or
// [Adjustment] for money and stock, which change by deltas with a reason
// ([Context.Adjust]) and never conflict. Conflicts are kept with base, local
// and server values, and decided by [Server.Approve], [Server.Reject] and
// [Server.Choose], each recorded with who and when.
//
// Every change appends events with a per-tenant cursor allocated in the
// same transaction, so cursors follow commit order with no gaps;
// [Server.Pull] reads after a cursor and answers with an explicit reset when
// the cursor is older than the retained log ([Server.Prune]).
//
// The HTTP transport (push, pull, Server-Sent Events) is in
// [github.com/erpkit/erpkit/sync/synchttp]; a Go client with a durable SQLite
// queue is in [github.com/erpkit/erpkit/sync/syncclient]. storage/sqlite and
// storage/postgres implement [Store]. See docs/sync.md.
package sync
