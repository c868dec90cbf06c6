// Package tailbuf keeps the last bytes written to it: the end of a console or of a process's
// stderr, to show when something fails.
package tailbuf

import "sync"

// Buffer keeps the last Max bytes written to it. It is safe for concurrent use.
type Buffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

// New returns a buffer that keeps the last max bytes.
func New(max int) *Buffer { return &Buffer{max: max} }

// Write appends p, dropping the oldest bytes beyond the limit.
func (t *Buffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

// Close does nothing: a Buffer can stand where an io.WriteCloser is wanted.
func (t *Buffer) Close() error { return nil }

// String returns the kept bytes.
func (t *Buffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
