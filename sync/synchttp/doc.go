// Package synchttp serves the sync engine over HTTP: push and pull as JSON,
// results, the conflict store, and the event log as a Server-Sent Events
// stream.
//
//	h := synchttp.New(srv, synchttp.Config{Auth: myAuth})
//	http.Handle("/sync/", http.StripPrefix("/sync", h))
//
// Routes (JSON bodies; errors as application/problem+json):
//
//	POST /push                     erpsync.Push -> erpsync.PushResult
//	POST /pull                     erpsync.PullRequest -> erpsync.PullResult
//	GET  /results?client_id=&after=  -> []erpsync.Result
//	GET  /events?cursor=N          text/event-stream
//	GET  /conflicts?status=        -> []erpsync.Conflict
//	GET  /conflicts/{id}
//	POST /conflicts/{id}/approve | /reject | /choose (body: erpsync.Fields)
//
// The stream follows the HTML Standard's server-sent events: each event's
// id is its cursor, data is the erpsync.Event as JSON, a "retry:" field
// opens the stream, a comment line is sent every Heartbeat (15 s), and a
// reconnecting client's Last-Event-ID header resumes after that cursor.
// When the cursor is older than the retained log the stream sends an
// event named "reset" (id: the head; data: {"head": N}) and continues from
// the head: the client reloads its state, nothing is skipped silently.
//
// The tenant and user come from Config.Auth (the host's authentication),
// never from a request body. Browsers' EventSource cannot send
// authorization headers: use a fetch-based client or a short-lived token
// in the URL that Auth checks.
package synchttp
