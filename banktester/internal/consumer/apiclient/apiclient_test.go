package apiclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetriesThenSucceeds(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-api-key") != "k" || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(529)
		default:
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	c := &Client{Backoff: time.Second, Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	var out struct{ OK bool }
	if err := c.PostJSON(context.Background(), srv.URL, map[string]string{"x-api-key": "k"}, map[string]any{"a": 1}, &out); err != nil {
		t.Fatal(err)
	}
	if !out.OK || n.Load() != 3 || len(waits) != 2 || waits[0] != 7*time.Second || waits[1] != 2*time.Second {
		t.Errorf("ok=%t requests=%d waits=%v", out.OK, n.Load(), waits)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"type":"error","error":{"message":"tools.0.name: bad"}}`))
	}))
	defer srv.Close()
	c := &Client{Sleep: func(context.Context, time.Duration) error { return nil }}
	var out any
	err := c.PostJSON(context.Background(), srv.URL, nil, map[string]any{}, &out)
	if err == nil || !strings.Contains(err.Error(), `HTTP 400: {"type":"error","error":{"message":"tools.0.name: bad"}}`) || n.Load() != 1 {
		t.Errorf("err = %v after %d requests", err, n.Load())
	}
}

func TestGivesUpAfterRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := &Client{Retries: 2, Sleep: func(context.Context, time.Duration) error { return nil }}
	var out any
	err := c.PostJSON(context.Background(), srv.URL, nil, map[string]any{}, &out)
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") || n.Load() != 3 {
		t.Errorf("err = %v after %d requests", err, n.Load())
	}
}
