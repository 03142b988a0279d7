package syncclient

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
	"github.com/google/uuid"

	_ "modernc.org/sqlite" // the queue's database driver
)

// Applier applies events to the application's local state inside tx, the
// local transaction that also advances the cursor.
type Applier func(ctx context.Context, tx *sql.Tx, events []erpsync.Event) error

// Resetter is called inside tx when the server's log no longer holds the
// events after the client's cursor: the application reloads its state (say,
// from its own API) and the cursor moves to head.
type Resetter func(ctx context.Context, tx *sql.Tx, head int64) error

// Config configures a Client. BaseURL is required.
type Config struct {
	// BaseURL is where the synchttp handler is mounted ("https://erp/sync").
	BaseURL string
	// HTTP is the HTTP client (default: a client with a 30s timeout).
	HTTP *http.Client
	// Authorize adds credentials to each request (say, a bearer token).
	Authorize func(*http.Request)
	// ClientGroupID and ClientID name this client; generated and stored on
	// first use when empty.
	ClientGroupID, ClientID string
	// BatchSize is the mutations per push (default 100).
	BatchSize int
	// MinBackoff and MaxBackoff bound the exponential backoff between
	// failed attempts (default 200ms and 30s); each wait is drawn at random
	// between half and all of the current bound.
	MinBackoff, MaxBackoff time.Duration
	// Apply applies pulled or streamed events (required to read events).
	Apply Applier
	// Reset handles a reset (default: nothing, the cursor moves to the head).
	Reset Resetter
	// OnResult is told the outcome of each mutation the server looked at
	// (rejections carry the error); it must not block.
	OnResult func(erpsync.Result)
}

// Client is a durable mutation queue and event reader. It is safe for
// concurrent use.
type Client struct {
	db     *sql.DB
	cfg    Config
	hc     *http.Client
	advice atomic.Int64 // the stream's retry advice, a floor of the backoff
}

const schema = `
CREATE TABLE IF NOT EXISTS erp_client_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS erp_client_queue (seq INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT;`

// Open opens (creating) the client's SQLite file at path.
func Open(ctx context.Context, path string, cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, fmt.Errorf("%w: syncclient: BaseURL is required", erpsync.ErrInvalid)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 200 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode()+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one local writer; reads wait their turn
	c := &Client{db: db, cfg: cfg, hc: cfg.HTTP}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 30 * time.Second}
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("syncclient: %w", err)
	}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		for _, kv := range []struct {
			k string
			v *string
		}{{"client_group_id", &c.cfg.ClientGroupID}, {"client_id", &c.cfg.ClientID}} {
			stored, ok, err := meta(ctx, tx, kv.k)
			if err != nil {
				return err
			}
			switch {
			case ok && *kv.v != "" && stored != *kv.v:
				return fmt.Errorf("%w: syncclient: the queue belongs to %s %q", erpsync.ErrInvalid, kv.k, stored)
			case ok:
				*kv.v = stored
			case *kv.v == "":
				*kv.v = uuid.NewString()
			}
			if err := setMeta(ctx, tx, kv.k, *kv.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return c, nil
}

// Close closes the local database.
func (c *Client) Close() error { return c.db.Close() }

// DB is the local database, where the application may keep its own tables
// (Apply writes them in the cursor's transaction).
func (c *Client) DB() *sql.DB { return c.db }

// ID returns the client's group and client IDs.
func (c *Client) ID() (group, client string) { return c.cfg.ClientGroupID, c.cfg.ClientID }

func (c *Client) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func meta(ctx context.Context, tx *sql.Tx, k string) (string, bool, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT v FROM erp_client_meta WHERE k = ?`, k).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

func metaInt(ctx context.Context, tx *sql.Tx, k string) (int64, error) {
	v, ok, err := meta(ctx, tx, k)
	if err != nil || !ok {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

func setMeta(ctx context.Context, tx *sql.Tx, k, v string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO erp_client_meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, k, v)
	return err
}

// Enqueue stores a mutation durably with the next seq and returns it. It
// works offline; Flush or Push sends it.
func (c *Client) Enqueue(ctx context.Context, name string, args any, base ...erpsync.Base) (erpsync.Mutation, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return erpsync.Mutation{}, fmt.Errorf("%w: args: %v", erpsync.ErrInvalid, err)
	}
	if name == "" {
		return erpsync.Mutation{}, fmt.Errorf("%w: a mutation needs a name", erpsync.ErrInvalid)
	}
	m := erpsync.Mutation{ID: uuid.New(), Name: name, Args: raw, Base: base, ClientTime: time.Now().UTC()}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		last, err := metaInt(ctx, tx, "last_seq")
		if err != nil {
			return err
		}
		m.Seq = last + 1
		body, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO erp_client_queue (seq, body) VALUES (?, ?)`, m.Seq, string(body)); err != nil {
			return err
		}
		return setMeta(ctx, tx, "last_seq", strconv.FormatInt(m.Seq, 10))
	})
	return m, err
}

// Pending returns the number of queued mutations not yet acknowledged.
func (c *Client) Pending(ctx context.Context) (int, error) {
	var n int
	err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM erp_client_queue`).Scan(&n)
	return n, err
}

// Cursor returns the persisted event cursor.
func (c *Client) Cursor(ctx context.Context) (int64, error) {
	var cur int64
	err := c.tx(ctx, func(tx *sql.Tx) error {
		var err error
		cur, err = metaInt(ctx, tx, "cursor")
		return err
	})
	return cur, err
}

// ErrServerBehind is returned when the server acknowledges less than it
// once did (a database restored from an older backup): mutations the client
// already dropped may be lost there.
var ErrServerBehind = errors.New("syncclient: the server's acknowledgement went back")

// Push sends one batch of the queue and drops what the server's
// acknowledgement covers. It returns the server's answer (zero when the
// queue is empty).
func (c *Client) Push(ctx context.Context) (erpsync.PushResult, error) {
	var batch []erpsync.Mutation
	rows, err := c.db.QueryContext(ctx, `SELECT body FROM erp_client_queue ORDER BY seq LIMIT ?`, c.cfg.BatchSize)
	if err != nil {
		return erpsync.PushResult{}, err
	}
	for rows.Next() {
		var body string
		var m erpsync.Mutation
		if err := rows.Scan(&body); err != nil {
			rows.Close()
			return erpsync.PushResult{}, err
		}
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			rows.Close()
			return erpsync.PushResult{}, err
		}
		batch = append(batch, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return erpsync.PushResult{}, err
	}
	if len(batch) == 0 {
		return erpsync.PushResult{}, nil
	}
	var res erpsync.PushResult
	if err := c.post(ctx, "/push", erpsync.Push{ClientGroupID: c.cfg.ClientGroupID, ClientID: c.cfg.ClientID, Mutations: batch}, &res); err != nil {
		return res, err
	}
	if err := c.ack(ctx, res.LastSeq); err != nil {
		return res, err
	}
	if c.cfg.OnResult != nil {
		for _, r := range res.Results {
			switch r.Status {
			case erpsync.Applied, erpsync.Rejected, erpsync.Held, erpsync.Retry:
				c.cfg.OnResult(r)
			}
		}
	}
	return res, nil
}

// ack drops the queued mutations at or below seq.
func (c *Client) ack(ctx context.Context, seq int64) error {
	return c.tx(ctx, func(tx *sql.Tx) error {
		acked, err := metaInt(ctx, tx, "acked")
		if err != nil {
			return err
		}
		if seq < acked {
			return fmt.Errorf("%w: %d after %d", ErrServerBehind, seq, acked)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM erp_client_queue WHERE seq <= ?`, seq); err != nil {
			return err
		}
		return setMeta(ctx, tx, "acked", strconv.FormatInt(seq, 10))
	})
}

// Flush pushes until the queue is empty, waiting with exponential backoff
// and jitter after each failure (the server unreachable, a 5xx, a transient
// failure). It returns when the queue is empty, when ctx ends, or on an
// answer retrying cannot change: ErrServerBehind, ErrInvalid, or an
// *HTTPError with a 4xx status (say 401: refresh the credentials and call
// Flush again).
func (c *Client) Flush(ctx context.Context) error {
	attempt := 0
	for {
		n, err := c.Pending(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		res, err := c.Push(ctx)
		if errors.Is(err, ErrServerBehind) || errors.Is(err, erpsync.ErrInvalid) || permanent(err) {
			return err
		}
		stalled := err != nil
		if err == nil && len(res.Results) > 0 {
			switch res.Results[len(res.Results)-1].Status {
			case erpsync.Retry, erpsync.Gap:
				stalled = true
			}
		}
		if !stalled {
			attempt = 0
			continue
		}
		attempt++
		if err := c.sleep(ctx, attempt); err != nil {
			return err
		}
	}
}

// backoff returns the wait before attempt n (1, 2, ...): a random duration
// between half and all of min(MaxBackoff, MinBackoff * 2^(n-1)).
func (c *Client) backoff(n int) time.Duration {
	lo := max(c.cfg.MinBackoff, time.Duration(c.advice.Load()))
	d := c.cfg.MaxBackoff
	if n < 31 {
		d = max(min(lo<<(n-1), c.cfg.MaxBackoff), lo)
	}
	return d/2 + rand.N(d/2+1)
}

func (c *Client) sleep(ctx context.Context, attempt int) error {
	t := time.NewTimer(c.backoff(attempt))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Pull reads one page of events after the persisted cursor, applies it and
// advances the cursor in one local transaction, and drops the mutations the
// server acknowledges. It returns the number of events applied.
func (c *Client) Pull(ctx context.Context) (int, error) {
	if c.cfg.Apply == nil {
		return 0, fmt.Errorf("%w: syncclient: Config.Apply is required to read events", erpsync.ErrInvalid)
	}
	cur, err := c.Cursor(ctx)
	if err != nil {
		return 0, err
	}
	var res erpsync.PullResult
	if err := c.post(ctx, "/pull", erpsync.PullRequest{ClientID: c.cfg.ClientID, Cursor: cur}, &res); err != nil {
		return 0, err
	}
	if err := c.ack(ctx, res.LastSeq); err != nil {
		return 0, err
	}
	if res.Reset {
		return 0, c.reset(ctx, cur, res.Head)
	}
	return len(res.Events), c.apply(ctx, cur, res.Events)
}

// apply applies events after cursor from and persists the last one's
// cursor, in one local transaction; events at or below the persisted
// cursor (a replay) are skipped.
func (c *Client) apply(ctx context.Context, from int64, evs []erpsync.Event) error {
	if len(evs) == 0 {
		return nil
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		cur, err := metaInt(ctx, tx, "cursor")
		if err != nil {
			return err
		}
		if cur != from {
			return fmt.Errorf("syncclient: cursor moved from %d to %d meanwhile", from, cur)
		}
		for len(evs) > 0 && evs[0].Cursor <= cur {
			evs = evs[1:]
		}
		if len(evs) == 0 {
			return nil
		}
		for _, e := range evs {
			if e.Cursor != cur+1 {
				return fmt.Errorf("%w: event %d after cursor %d", errGap, e.Cursor, cur)
			}
			cur = e.Cursor
		}
		if err := c.cfg.Apply(ctx, tx, evs); err != nil {
			return err
		}
		return setMeta(ctx, tx, "cursor", strconv.FormatInt(cur, 10))
	})
}

func (c *Client) reset(ctx context.Context, from, head int64) error {
	return c.tx(ctx, func(tx *sql.Tx) error {
		cur, err := metaInt(ctx, tx, "cursor")
		if err != nil {
			return err
		}
		if cur != from {
			return fmt.Errorf("syncclient: cursor moved from %d to %d meanwhile", from, cur)
		}
		if c.cfg.Reset != nil {
			if err := c.cfg.Reset(ctx, tx, head); err != nil {
				return err
			}
		}
		return setMeta(ctx, tx, "cursor", strconv.FormatInt(head, 10))
	})
}

var errGap = errors.New("syncclient: the events have a gap")

// permanent reports an answer that retrying will not change: a 4xx other
// than 408 and 429 (unauthenticated, the client ID of another group, ...).
func permanent(err error) bool {
	var he *HTTPError
	return errors.As(err, &he) && he.Status >= 400 && he.Status < 500 &&
		he.Status != http.StatusRequestTimeout && he.Status != http.StatusTooManyRequests
}

// HTTPError is a failed request's status and problem detail.
type HTTPError struct {
	Status int
	Detail string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("syncclient: HTTP %d: %s", e.Status, e.Detail) }

func (c *Client) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.cfg.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cfg.Authorize != nil {
		c.cfg.Authorize(req)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var p struct {
			Detail string `json:"detail"`
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		_ = json.Unmarshal(b, &p)
		herr := &HTTPError{Status: resp.StatusCode, Detail: p.Detail}
		if resp.StatusCode == http.StatusBadRequest {
			return fmt.Errorf("%w: %w", erpsync.ErrInvalid, herr)
		}
		return herr
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
