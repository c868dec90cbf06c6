// Package audit writes one JSON line per mutation attempt to an append-only file, write-ahead:
// an "attempt" entry is written (and synced) before a change is sent to the firewall, and its
// outcome (executed or failed) after; previews and refusals get one entry each. Every entry
// names the client and session it came from. Entries are redacted before they are written. The
// file is private (0600, its directory 0700); a log that cannot be written makes the
// tool-call path refuse mutations.
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
	Attempt   = "attempt"   // about to be sent; the outcome follows in another entry.
	Refused   = "refused"   // a gate refused it: nothing was sent.
	Executed  = "executed"  // the firewall accepted it.
	Failed    = "failed"    // sent, and the firewall (or the network) failed it.
)

// Entry is one audit record. Args must already be redacted.
type Entry struct {
	Time       time.Time `json:"time"`
	Client     string    `json:"client,omitempty"`    // the MCP client's name and version (initialize's clientInfo).
	Session    string    `json:"session,omitempty"`   // the MCP session (HTTP session id; "stdio" for the stdio transport).
	Transport  string    `json:"transport,omitempty"` // stdio or http.
	Tool       string    `json:"tool"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Outcome    string    `json:"outcome"`
	Args       any       `json:"args,omitempty"`
	HTTPStatus int       `json:"http_status,omitempty"`
	ResponseID string    `json:"response_id,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS float64   `json:"duration_ms,omitempty"`
	// Confirmed says how a change was confirmed: token (the preview's), elicitation (the user,
	// through the client), plain (confirm=true, allowed by PFSENSE_CONFIRM=plain).
	Confirmed string `json:"confirmed,omitempty"`
	// Risks lists the dangerous effects a change has (allowed by PFSENSE_ALLOW_DANGEROUS).
	Risks []string `json:"risks,omitempty"`
}

// Log appends entries to a writer. The zero value (and a nil *Log) discards them.
type Log struct {
	mu sync.Mutex
	w  io.Writer
	c  io.Closer
	f  *os.File // the file, to sync attempt entries; nil for other writers.
}

// Open appends to the file at path (created 0600, its directory 0700; an existing file is made
// 0600). "-" is stderr.
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
	// The entries name tools, arguments and clients: nobody else may read them, even when the
	// file was created by something else first.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit log %s: make it private (0600): %w", path, err)
	}
	return &Log{w: f, c: f, f: f}, nil
}

// New writes entries to w (tests, in-memory logs).
func New(w io.Writer) *Log { return &Log{w: w} }

// Write records e. An attempt entry is synced to disk before Write returns: it must survive a
// crash during the change it announces. A failure to write is returned: callers refuse the
// mutation, since an unrecorded change is a problem the user must know about.
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
	if e.Outcome == Attempt && l.f != nil {
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("sync audit log: %w", err)
		}
	}
	return nil
}

// Enabled reports whether entries are recorded anywhere.
func (l *Log) Enabled() bool { return l != nil && l.w != nil }

// Close closes the underlying file.
func (l *Log) Close() error {
	if l == nil || l.c == nil {
		return nil
	}
	return l.c.Close()
}
