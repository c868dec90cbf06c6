// Package audit writes one JSON line per mutation attempt (previewed, refused, executed or
// failed) to an append-only file. Entries are redacted before they are written.
package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Outcome of a mutation attempt.
const (
	Previewed = "previewed" // confirm was not given: nothing changed.
	Refused   = "refused"   // a gate refused it: nothing was sent.
	Executed  = "executed"  // the firewall accepted it.
	Failed    = "failed"    // sent, and the firewall (or the network) failed it.
)

// Entry is one audit record. Args must already be redacted.
type Entry struct {
	Time       time.Time `json:"time"`
	Tool       string    `json:"tool"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Outcome    string    `json:"outcome"`
	Args       any       `json:"args,omitempty"`
	HTTPStatus int       `json:"http_status,omitempty"`
	ResponseID string    `json:"response_id,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS float64   `json:"duration_ms,omitempty"`
}

// Log appends entries to a writer. The zero value (and a nil *Log) discards them.
type Log struct {
	mu sync.Mutex
	w  io.Writer
	c  io.Closer
}

// Open appends to the file at path (created 0600, its directory 0700). "-" is stderr.
func Open(path string) (*Log, error) {
	if path == "-" {
		return &Log{w: os.Stderr}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	return &Log{w: f, c: f}, nil
}

// New writes entries to w (tests, in-memory logs).
func New(w io.Writer) *Log { return &Log{w: w} }

// Write records e. A failure to write is returned: callers surface it, since an unrecorded
// mutation is a problem the user must know about.
func (l *Log) Write(e Entry) error {
	if l == nil || l.w == nil {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit entry: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// Close closes the underlying file.
func (l *Log) Close() error {
	if l == nil || l.c == nil {
		return nil
	}
	return l.c.Close()
}
