package postgres

// EntryLookups are the statements that look entries up by a list of IDs or
// idempotency keys ($1 tenant, $2 the list), with the SQL type of the
// list, for the plan test of package postgres_test.
var EntryLookups = []struct{ Name, SQL, ListType string }{
	{"keys taken", sqlKeysTaken, "text[]"},
	{"entries by id", sqlEntriesByID, "uuid[]"},
	{"entries by key", sqlEntriesByKey, "text[]"},
}
