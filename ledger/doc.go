// Package ledger is erpkit's double-entry general ledger: a chart of
// accounts, journal entries that balance in every currency, balances as of
// any posting date and a trial balance.
//
// A Ledger validates every request and hands it to a Store -
// storage/sqlite.Store or storage/postgres.Store - which writes atomically:
//
//	gl := ledger.New(store, ledger.Config{})
//	_, err := gl.CreateAccount(ctx, "acme", ledger.Account{Code: "1010", Name: "Cash", Type: ledger.Asset})
//	e, err := gl.Post(ctx, "acme", ledger.Entry{
//		Date:           ledger.MustDate("2026-07-01"),
//		Description:    "Cash sale",
//		IdempotencyKey: "sale-1",
//		Lines: []ledger.Line{
//			ledger.DebitLine("1010", decimal.RequireFromString("1150.00"), "BDT"),
//			ledger.CreditLine("4000", decimal.RequireFromString("1150.00"), "BDT"),
//		},
//	})
//
// The rules an accountant expects hold on every path:
//
//   - An Entry has two or more lines with positive amounts; per currency its
//     debits equal its credits exactly (*UnbalancedError names the currency
//     and the difference). An amount with more decimals than its currency's
//     ISO 4217 minor units is refused (ErrTooManyDecimals), never rounded.
//   - Bad input is refused before anything is written; a failed call leaves
//     storage as it was. Errors wrap sentinels (ErrAccountNotFound,
//     ErrAccountBlocked, ...) for errors.Is, with typed details (*LineError,
//     *BatchError, *UnbalancedError) for errors.As.
//   - Posted entries are immutable: there is no update or delete. Reverse
//     posts a mirror entry that references the original, at most once.
//   - An idempotency key makes a post safe to retry: the same key and content
//     returns the original entry; the same key with other content is
//     ErrIdempotencyConflict, never a silent replay of something else.
//   - PostBatch posts many entries in one transaction, all or none.
//   - Balances are kept per account and currency (debit total, credit total,
//     balance signed by the account's normal side), current and as of any
//     posting date, backdated postings included.
//   - Every call names a tenant; no tenant can read or change another's rows.
//   - With a base currency (SetBaseCurrency), foreign lines carry their base
//     amount and rate, entries balance in the base currency as well (small
//     rounding differences go to a rounding account), balances and reports
//     have base values, and Revalue posts unrealised FX gains and losses.
//
// Concurrency is the store's job and never relies on in-process locks: many
// Ledgers in many processes may post to the same accounts of one database
// without lost updates or deadlocks surfacing to callers. A store that
// can serve reads from several goroutines at once says so through
// ConcurrentReader, and reports then run their independent reads (a
// statement's chart and balances) at once; a store bound to one
// transaction says no and they run one after the other. Reports that read
// balances as of several dates (a period's opening and closing, an income
// statement, comparative columns, an account statement) read them in one
// snapshot when the store is a SnapshotReader, so that an entry posted
// meanwhile is in all of those reads or in none.
//
// See docs/ledger.md for a guide.
package ledger
