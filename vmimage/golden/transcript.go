package golden

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
)

// Transcript keeps everything a stage's console printed, for the stage's output and for
// whoever debugs a failed build. A live transcript goes to its file as it arrives (tail -F
// it); a held one stays in memory until Close, so that secrets learned during the stage
// (the API key) are redacted from all of it, whenever they were printed.
type Transcript struct {
	path string
	live bool

	mu      sync.Mutex
	f       *os.File
	held    bytes.Buffer
	dropped int64
	secrets []string
}

// maxHeld bounds a held transcript; the rest is counted, not kept.
const maxHeld = 32 << 20

// NewTranscript creates the transcript file at path.
func NewTranscript(path string, live bool) (*Transcript, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("console transcript: %w", err)
	}
	return &Transcript{path: path, live: live, f: f}, nil
}

// Write records console output.
func (t *Transcript) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return len(p), nil
	}
	if t.live {
		return t.f.Write(p)
	}
	if room := maxHeld - t.held.Len(); room < len(p) {
		t.held.Write(p[:max(room, 0)])
		t.dropped += int64(len(p) - max(room, 0))
		return len(p), nil
	}
	return t.held.Write(p)
}

// Note adds a line of the builder's own (a QEMU restart) to the transcript.
func (t *Transcript) Note(s string) {
	_, _ = t.Write([]byte("\r\n=== vmimage: " + s + " ===\r\n"))
}

// AddSecret makes Redact and Close replace s. Only a held transcript is redacted in full.
func (t *Transcript) AddSecret(s string) {
	if s == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.secrets = append(t.secrets, s)
}

// Redact replaces the secrets in s.
func (t *Transcript) Redact(s string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, sec := range t.secrets {
		s = strings.ReplaceAll(s, sec, "[REDACTED]")
	}
	return s
}

// Path is the transcript file.
func (t *Transcript) Path() string { return t.path }

// Close writes a held transcript, redacted, and closes the file.
func (t *Transcript) Close() error {
	t.mu.Lock()
	f := t.f
	t.f = nil
	held := t.held.String()
	dropped := t.dropped
	t.mu.Unlock()
	if f == nil {
		return nil
	}
	if !t.live {
		if _, err := f.WriteString(t.Redact(held)); err != nil {
			f.Close()
			return err
		}
		if dropped > 0 {
			fmt.Fprintf(f, "\n=== vmimage: %d more bytes not kept ===\n", dropped)
		}
	}
	return f.Close()
}
