package postgres

// Lookups are the statements that look rows up by a list of IDs or keys
// ($1 tenant, $2 the list), with the table they read and the SQL type of
// the list, for the plan test of package postgres_test.
var Lookups = []struct{ Name, Table, SQL, ListType string }{
	{"keys taken", "erp_ledger_entries", sqlKeysTaken, "text[]"},
	{"entries by id", "erp_ledger_entries", sqlEntriesByID, "uuid[]"},
	{"entries by key", "erp_ledger_entries", sqlEntriesByKey, "text[]"},
	{"documents by id", "erp_arap_documents", sqlARDocumentsByID, "uuid[]"},
	{"documents by id, locked", "erp_arap_documents", sqlARDocumentsByIDLocked, "uuid[]"},
	{"accounts by code, with their last posting days", "erp_ledger_accounts", sqlPostAccounts, "text[]"},
}

// DailyStatements are the statements that keep the daily totals of the
// balances a posting touches ($1 tenant, $2..$8 per posted day: account,
// currency, day, debit, credit, base debit, base credit; $9 the appending
// one's first posted days), for the plan test of package postgres_test.
// The joined one runs only with custom plans (Custom).
var DailyStatements = []struct {
	Name, SQL         string
	Appending, Custom bool
}{
	{"daily totals", sqlDaily, false, false},
	{"daily totals, appending", sqlDailyAppend, true, false},
	{"daily totals, joined", sqlDailyJoin, false, true},
}
