package syncclient

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	erpsync "github.com/erpkit/erpkit/sync"
)

// SSEEvent is one event of a text/event-stream, as the HTML Standard
// parses it.
type SSEEvent struct {
	ID    string // the last id: field seen (kept across events)
	Event string // the event: field ("" for message)
	Data  string // data: lines joined with "\n"
	Retry time.Duration
}

// ReadSSE parses a text/event-stream from r and calls fn for each event
// dispatched (comments and events without data are skipped). lastID is the
// id the stream starts with. It returns fn's error, the reader's, or nil at
// the end of the stream.
func ReadSSE(r io.Reader, lastID string, fn func(SSEEvent) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	ev := SSEEvent{ID: lastID}
	var data strings.Builder
	hasData := false
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if hasData {
				ev.Data = strings.TrimSuffix(data.String(), "\n")
				if err := fn(ev); err != nil {
					return err
				}
			}
			ev = SSEEvent{ID: ev.ID}
			data.Reset()
			hasData = false
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue // a comment: the heartbeat
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "data":
			data.WriteString(value)
			data.WriteByte('\n')
			hasData = true
		case "event":
			ev.Event = value
		case "id":
			if !strings.ContainsRune(value, 0) {
				ev.ID = value
			}
		case "retry":
			if ms, err := strconv.ParseInt(value, 10, 64); err == nil && ms >= 0 {
				ev.Retry = time.Duration(ms) * time.Millisecond
				if !hasData {
					if err := fn(SSEEvent{ID: ev.ID, Retry: ev.Retry}); err != nil {
						return err
					}
				}
			}
		}
	}
	return sc.Err()
}

// Stream follows the server's event stream: it applies each event and
// persists its cursor in one local transaction, handles resets, and on
// any disconnection reconnects from the persisted cursor (Last-Event-ID)
// after an exponential backoff with jitter (at least the server's retry
// advice). It returns when ctx ends, on an error of Apply or Reset, or on
// an *HTTPError with a 4xx status (other than 408 and 429).
func (c *Client) Stream(ctx context.Context) error {
	if c.cfg.Apply == nil {
		return fmt.Errorf("%w: syncclient: Config.Apply is required to read events", erpsync.ErrInvalid)
	}
	attempt := 0
	for {
		progressed, err := c.streamOnce(ctx)
		var ae *applyError
		if errors.As(err, &ae) {
			return ae.err
		}
		if permanent(err) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if progressed {
			attempt = 0
		}
		attempt++
		if err := c.sleep(ctx, attempt); err != nil {
			return err
		}
	}
}

type applyError struct{ err error }

func (e *applyError) Error() string { return e.err.Error() }

// streamOnce reads one connection until it ends.
func (c *Client) streamOnce(ctx context.Context) (progressed bool, err error) {
	cur, err := c.Cursor(ctx)
	if err != nil {
		return false, &applyError{err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.cfg.BaseURL, "/")+"/events", nil)
	if err != nil {
		return false, &applyError{err}
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Last-Event-ID", strconv.FormatInt(cur, 10))
	if c.cfg.Authorize != nil {
		c.cfg.Authorize(req)
	}
	hc := *c.hc
	hc.Timeout = 0 // a stream lasts
	resp, err := hc.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, &HTTPError{Status: resp.StatusCode}
	}
	err = ReadSSE(resp.Body, strconv.FormatInt(cur, 10), func(ev SSEEvent) error {
		if ev.Retry > 0 && ev.Data == "" {
			c.advice.Store(int64(ev.Retry))
			return nil
		}
		switch ev.Event {
		case "reset":
			head, err := strconv.ParseInt(ev.ID, 10, 64)
			if err != nil {
				return fmt.Errorf("syncclient: reset id %q", ev.ID)
			}
			if err := c.reset(ctx, cur, head); err != nil {
				return &applyError{err}
			}
			cur, progressed = head, true
		case "", "message":
			var e erpsync.Event
			if err := json.Unmarshal([]byte(ev.Data), &e); err != nil {
				return fmt.Errorf("syncclient: event data: %w", err)
			}
			if err := c.apply(ctx, cur, []erpsync.Event{e}); err != nil {
				if errors.Is(err, errGap) {
					return err // reconnect from the persisted cursor
				}
				return &applyError{err}
			}
			if e.Cursor > cur {
				cur, progressed = e.Cursor, true
			}
		}
		return nil
	})
	return progressed, err
}
