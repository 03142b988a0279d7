package synchttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"
)

// Auth authenticates a request and returns the caller's tenant and user;
// its error answers 401.
type Auth func(r *http.Request) (erpsync.Caller, error)

// Config tunes the handler. Auth is required.
type Config struct {
	Auth Auth
	// Heartbeat is the interval of the stream's comment lines (default 15s).
	Heartbeat time.Duration
	// Retry is the reconnection delay the stream advises (default 3s).
	Retry time.Duration
	// Poll is how often an idle stream looks for new events (default 1s);
	// a push through this handler wakes its streams at once.
	Poll time.Duration
	// MaxBody bounds a request body (default 8 MiB).
	MaxBody int64
	// PageSize is the events read per page of the stream (default 500).
	PageSize int
}

// Handler serves the sync engine's routes.
type Handler struct {
	srv *erpsync.Server
	cfg Config
	mux *http.ServeMux

	mu   sync.Mutex
	wake chan struct{} // closed when a push commits
}

// New returns the handler of srv's routes.
func New(srv *erpsync.Server, cfg Config) *Handler {
	if cfg.Auth == nil {
		panic("synchttp: Config.Auth is required")
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.Retry <= 0 {
		cfg.Retry = 3 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 8 << 20
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 500
	}
	h := &Handler{srv: srv, cfg: cfg, mux: http.NewServeMux(), wake: make(chan struct{})}
	h.mux.HandleFunc("POST /push", h.push)
	h.mux.HandleFunc("POST /pull", h.pull)
	h.mux.HandleFunc("GET /results", h.results)
	h.mux.HandleFunc("GET /events", h.events)
	h.mux.HandleFunc("GET /conflicts", h.conflicts)
	h.mux.HandleFunc("GET /conflicts/{id}", h.conflict)
	h.mux.HandleFunc("POST /conflicts/{id}/{op}", h.decide)
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Notify wakes the streams of this handler (say, after the host committed
// events outside a push); other processes' streams see them at their next
// poll.
func (h *Handler) Notify() {
	h.mu.Lock()
	close(h.wake)
	h.wake = make(chan struct{})
	h.mu.Unlock()
}

func (h *Handler) woken() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.wake
}

func (h *Handler) caller(w http.ResponseWriter, r *http.Request) (erpsync.Caller, bool) {
	c, err := h.cfg.Auth(r)
	if err != nil || c.Tenant == "" {
		problem(w, http.StatusUnauthorized, "unauthenticated", "authentication failed")
		return c, false
	}
	return c, true
}

// DecodePush reads a push body: JSON, at most max bytes, no unknown fields.
func DecodePush(r io.Reader, max int64) (erpsync.Push, error) {
	var p erpsync.Push
	err := decode(r, max, &p)
	return p, err
}

func decode(r io.Reader, max int64, v any) error {
	d := json.NewDecoder(io.LimitReader(r, max+1))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: body: %v", erpsync.ErrInvalid, err)
	}
	if d.More() {
		return fmt.Errorf("%w: body: trailing data", erpsync.ErrInvalid)
	}
	return nil
}

func (h *Handler) push(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	p, err := DecodePush(r.Body, h.cfg.MaxBody)
	if err != nil {
		fail(w, err)
		return
	}
	res, err := h.srv.Push(r.Context(), c, p)
	if err != nil {
		fail(w, err)
		return
	}
	h.Notify()
	reply(w, res)
}

func (h *Handler) pull(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	var req erpsync.PullRequest
	if err := decode(r.Body, h.cfg.MaxBody, &req); err != nil {
		fail(w, err)
		return
	}
	res, err := h.srv.Pull(r.Context(), c, req)
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, res)
}

func (h *Handler) results(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	after, err := queryInt(r, "after")
	if err != nil {
		fail(w, err)
		return
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		fail(w, err)
		return
	}
	res, err := h.srv.Results(r.Context(), c, r.URL.Query().Get("client_id"), after, int(limit))
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, res)
}

func (h *Handler) conflicts(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := erpsync.ConflictFilter{Status: erpsync.ConflictStatus(q.Get("status")),
		Entity: erpsync.EntityRef{Type: q.Get("entity_type"), ID: q.Get("entity_id")}}
	res, err := h.srv.Conflicts(r.Context(), c, f)
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, res)
}

func (h *Handler) conflict(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		fail(w, fmt.Errorf("%w: conflict ID", erpsync.ErrInvalid))
		return
	}
	res, err := h.srv.Conflict(r.Context(), c, id)
	if err != nil {
		fail(w, err)
		return
	}
	reply(w, res)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		fail(w, fmt.Errorf("%w: conflict ID", erpsync.ErrInvalid))
		return
	}
	var res erpsync.Conflict
	switch r.PathValue("op") {
	case "approve":
		res, err = h.srv.Approve(r.Context(), c, id)
	case "reject":
		res, err = h.srv.Reject(r.Context(), c, id)
	case "choose":
		var values erpsync.Fields
		if err = decode(r.Body, h.cfg.MaxBody, &values); err == nil {
			res, err = h.srv.Choose(r.Context(), c, id, values)
		}
	default:
		problem(w, http.StatusNotFound, "not-found", "no such operation")
		return
	}
	if err != nil {
		fail(w, err)
		return
	}
	h.Notify()
	reply(w, res)
}

func queryInt(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %s must be a number >= 0", erpsync.ErrInvalid, name)
	}
	return n, nil
}

// events streams the log as Server-Sent Events.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	c, ok := h.caller(w, r)
	if !ok {
		return
	}
	cursor, err := resumeCursor(r)
	if err != nil {
		fail(w, err)
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprintf(w, "retry: %d\n\n", h.cfg.Retry.Milliseconds()); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ctx := r.Context()
	heartbeat := time.NewTicker(h.cfg.Heartbeat)
	defer heartbeat.Stop()
	poll := time.NewTimer(0)
	defer poll.Stop()
	for {
		wake := h.woken()
		select {
		case <-ctx.Done():
			return
		case <-heartbeat.C:
			if _, err := io.WriteString(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return
			}
			continue
		case <-wake:
		case <-poll.C:
		}
		next, err := h.send(ctx, w, c, cursor)
		if err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
		if next != cursor {
			cursor = next
			poll.Reset(0) // there may be more
			continue
		}
		poll.Reset(h.cfg.Poll)
	}
}

// send writes one page of events after cursor and returns the new cursor.
func (h *Handler) send(ctx context.Context, w io.Writer, c erpsync.Caller, cursor int64) (int64, error) {
	page, err := h.srv.Pull(ctx, c, erpsync.PullRequest{Cursor: cursor, Limit: h.cfg.PageSize})
	if err != nil {
		return cursor, err
	}
	if page.Reset {
		_, err := fmt.Fprintf(w, "event: reset\nid: %d\ndata: {\"head\":%d}\n\n", page.Head, page.Head)
		return page.Head, err
	}
	for _, e := range page.Events {
		b, err := json.Marshal(e)
		if err != nil {
			return cursor, err
		}
		if _, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", e.Cursor, b); err != nil {
			return cursor, err
		}
	}
	return page.Cursor, nil
}

// resumeCursor is Last-Event-ID (a reconnection) or else ?cursor=.
func resumeCursor(r *http.Request) (int64, error) {
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%w: Last-Event-ID must be a cursor", erpsync.ErrInvalid)
		}
		return n, nil
	}
	return queryInt(r, "cursor")
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers err as problem+json with the status its kind calls for.
func fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, erpsync.ErrInvalid):
		problem(w, http.StatusBadRequest, "invalid", err.Error())
	case errors.Is(err, erpsync.ErrConflictNotFound):
		problem(w, http.StatusNotFound, "conflict-not-found", err.Error())
	case errors.Is(err, erpsync.ErrClientGroup), errors.Is(err, erpsync.ErrConflictDecided):
		problem(w, http.StatusConflict, "conflict", err.Error())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		problem(w, http.StatusServiceUnavailable, "unavailable", "request cancelled")
	default:
		// Store failures: the client retries with backoff.
		problem(w, http.StatusServiceUnavailable, "unavailable", "the server could not complete the request")
	}
}

func problem(w http.ResponseWriter, status int, typ, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "https://erpkit.dev/problems/sync/" + typ, "title": http.StatusText(status), "status": status, "detail": detail,
	})
}
