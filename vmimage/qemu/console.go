package qemu

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/internal/tailbuf"
)

// Console is a VM's serial console. Reads return what the guest printed, in order, from
// the moment QEMU started (nothing is dropped while nobody reads); writes type into it.
// Tail keeps the last output for error messages.
type Console struct {
	w io.WriteCloser

	mu     sync.Mutex
	cond   *sync.Cond
	unread bytes.Buffer
	tail   *tailbuf.Buffer
	closed bool
}

func newConsole(r io.Reader, w io.WriteCloser, tee io.Writer) *Console {
	c := &Console{w: w, tail: tailbuf.New(16 << 10)}
	c.cond = sync.NewCond(&c.mu)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				if tee != nil {
					_, _ = tee.Write(buf[:n])
				}
				c.mu.Lock()
				c.unread.Write(buf[:n])
				c.tail.Write(buf[:n])
				c.cond.Broadcast()
				c.mu.Unlock()
			}
			if err != nil {
				c.markClosed()
				return
			}
		}
	}()
	return c
}

// Read blocks until the guest prints something or QEMU exits (io.EOF).
func (c *Console) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.unread.Len() == 0 && !c.closed {
		c.cond.Wait()
	}
	if c.unread.Len() == 0 {
		return 0, io.EOF
	}
	return c.unread.Read(p)
}

// Write types p on the console.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return 0, errors.New("console closed: QEMU exited")
	}
	return c.w.Write(p)
}

// Close stops input to the guest; output stays readable until QEMU exits.
func (c *Console) Close() error { return c.w.Close() }

// Closed reports whether QEMU has exited.
func (c *Console) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Tail returns up to n of the last bytes the guest printed.
func (c *Console) Tail(n int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.tail.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

func (c *Console) markClosed() {
	c.mu.Lock()
	c.closed = true
	c.cond.Broadcast()
	c.mu.Unlock()
}
