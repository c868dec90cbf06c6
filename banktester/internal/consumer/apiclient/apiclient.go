// Package apiclient posts JSON to a model API with the retries such APIs need: rate limits
// (429), overload (529) and transient server errors are retried with backoff, honouring
// Retry-After; other errors come back with the API's own message.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Client posts requests.
type Client struct {
	HTTP    *http.Client
	Retries int           // retries after the first attempt (default 4)
	Backoff time.Duration // first wait (default 2s), doubled each time, at most 60s
	// Sleep waits (tests replace it); nil uses a timer that respects the context.
	Sleep func(ctx context.Context, d time.Duration) error
}

// StatusError is an answer with a non-2xx status.
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body)
}

func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == 529 || status == http.StatusBadGateway ||
		status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout || status == http.StatusInternalServerError
}

// PostJSON sends body to url with headers and decodes the JSON answer into out.
func (c *Client) PostJSON(ctx context.Context, url string, headers map[string]string, body, out any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Minute}
	}
	retries := c.Retries
	if retries == 0 {
		retries = 4
	}
	wait := c.Backoff
	if wait == 0 {
		wait = 2 * time.Second
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			if ctx.Err() != nil || attempt >= retries {
				return fmt.Errorf("POST %s: %w", url, err)
			}
			if err := c.sleep(ctx, wait); err != nil {
				return err
			}
			wait = min(2*wait, time.Minute)
			continue
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("POST %s: read answer: %w", url, err)
		}
		if resp.StatusCode/100 == 2 {
			if err := json.Unmarshal(data, out); err != nil {
				return fmt.Errorf("POST %s: the answer is not the expected JSON: %w (%s)", url, err, clip(string(data)))
			}
			return nil
		}
		serr := &StatusError{Status: resp.StatusCode, Body: clip(strings.TrimSpace(string(data)))}
		if !retryable(resp.StatusCode) || attempt >= retries {
			return fmt.Errorf("POST %s: %w", url, serr)
		}
		d := wait
		if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && ra >= 0 {
			d = min(time.Duration(ra)*time.Second, time.Minute)
		}
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
		wait = min(2*wait, time.Minute)
	}
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
