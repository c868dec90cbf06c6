// Package serialtest provides a scripted serial console for testing console state machines
// without a VM. A test runs a program against it the way the firewall's programs run
// against their tty: the program prints (banners, dialogs, prompts, kernel messages at any
// moment) and reads what is typed, either key by key without echo (a dialog) or a line at a
// time with the tty's echo (a shell, `read`, PHP's fgets). Keys typed before the program
// reads them wait in the tty's input queue, as on a real line; a program can also eat them
// (a command that reads the terminal). The program reports input the real program would not
// have accepted with Mismatch; unreported mismatches fail the test.
package serialtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// ErrClosed is returned to the program once the console is gone (the test ended, or the
// program powered the machine off).
var ErrClosed = errors.New("serialtest: console closed")

// ErrInterrupted is returned once to a program reading keys after Interrupt: something
// outside it (a reboot) took the terminal away.
var ErrInterrupted = errors.New("serialtest: interrupted")

// Console is a scripted serial console. Read and Write are the line as the test's session
// sees it (the firewall's output, the keys typed); the other methods are for the program.
type Console struct {
	t testing.TB

	mu         sync.Mutex
	cond       *sync.Cond
	out        bytes.Buffer // printed, not yet read by the session.
	all        strings.Builder
	in         []byte // typed, not yet read by the program.
	typed      strings.Builder
	off        bool // powered off: Read returns io.EOF once out is drained.
	interrupt  bool
	closed     bool // the test is over.
	mismatches []string
	timers     []*time.Timer
	done       chan struct{}
	progErr    error
}

// New returns a console; the test's cleanup closes it and reports unclaimed mismatches.
func New(t testing.TB) *Console {
	c := &Console{t: t, done: make(chan struct{})}
	c.cond = sync.NewCond(&c.mu)
	t.Cleanup(func() {
		c.mu.Lock()
		c.closed = true
		for _, tm := range c.timers {
			tm.Stop()
		}
		c.cond.Broadcast()
		mm := c.mismatches
		c.mu.Unlock()
		for _, m := range mm {
			t.Errorf("scripted console: %s", m)
		}
	})
	return c
}

// Run starts program in its own goroutine. Its error, unless it is ErrClosed, fails the test.
func (c *Console) Run(program func(*Console) error) {
	go func() {
		defer close(c.done)
		err := program(c)
		c.mu.Lock()
		c.progErr = err
		c.mu.Unlock()
		if err != nil && !errors.Is(err, ErrClosed) {
			c.t.Errorf("scripted console program: %v", err)
		}
	}()
}

// Done is closed when the program returned.
func (c *Console) Done() <-chan struct{} { return c.done }

// Read returns what the program printed; io.EOF after a power-off, once everything printed
// before it was read.
func (c *Console) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.out.Len() == 0 && !c.off && !c.closed {
		c.cond.Wait()
	}
	if c.out.Len() == 0 {
		return 0, io.EOF
	}
	return c.out.Read(p)
}

// Write types keys on the console. Keys typed after a power-off are lost.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off || c.closed {
		return 0, errors.New("serialtest: the machine is off")
	}
	c.typed.Write(p)
	c.in = append(c.in, p...)
	c.cond.Broadcast()
	return len(p), nil
}

// Print shows s on the console.
func (c *Console) Print(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off || c.closed {
		return
	}
	c.out.WriteString(s)
	c.all.WriteString(s)
	c.cond.Broadcast()
}

// After prints s after d unless the console is off by then: a kernel message or a
// background job's output arriving whenever it does.
func (c *Console) After(d time.Duration, s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = append(c.timers, time.AfterFunc(d, func() { c.Print(s) }))
}

// PowerOff ends the console after what was printed: QEMU exited.
func (c *Console) PowerOff() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off = true
	c.in = nil
	c.cond.Broadcast()
}

// Interrupt makes the program's current (or next) read return ErrInterrupted and drops
// the keys not read yet, as a reboot would.
func (c *Console) Interrupt() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.interrupt = true
	c.in = nil
	c.cond.Broadcast()
}

// ReadKey returns the next key typed, without echo (a dialog reading the keyboard).
func (c *Console) ReadKey() (byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.in) == 0 && !c.off && !c.closed && !c.interrupt {
		c.cond.Wait()
	}
	if c.off || c.closed {
		return 0, ErrClosed
	}
	if c.interrupt {
		c.interrupt = false
		return 0, ErrInterrupted
	}
	b := c.in[0]
	c.in = c.in[1:]
	return b, nil
}

// ReadLine reads up to a carriage return as a tty in canonical mode does: with echo, each
// key is printed as it is read and the carriage return as CR LF. The line excludes the CR.
func (c *Console) ReadLine(echo bool) (string, error) {
	var line []byte
	for {
		b, err := c.ReadKey()
		if err != nil {
			return "", err
		}
		if b == '\r' || b == '\n' {
			if echo {
				c.Print("\r\n")
			}
			return string(line), nil
		}
		if echo {
			c.Print(string(b))
		}
		line = append(line, b)
	}
}

// Eat discards whatever is typed during d (a program reading the terminal for its own
// purpose) and returns it.
func (c *Console) Eat(d time.Duration) string {
	deadline := time.Now().Add(d)
	var eaten []byte
	for time.Now().Before(deadline) {
		c.mu.Lock()
		eaten = append(eaten, c.in...)
		c.in = nil
		off := c.off || c.closed
		c.mu.Unlock()
		if off {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return string(eaten)
}

// Sleep waits d, or returns ErrClosed when the console goes away first.
func (c *Console) Sleep(d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if c.Off() {
			return ErrClosed
		}
		time.Sleep(min(time.Millisecond, time.Until(deadline)))
	}
	return nil
}

// Off reports whether the console has gone away.
func (c *Console) Off() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.off || c.closed
}

// Mismatch records input the real program would not have accepted.
func (c *Console) Mismatch(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mismatches = append(c.mismatches, fmt.Sprintf(format, args...))
}

// Mismatches returns (and claims, so that they do not fail the test) the mismatches so far.
func (c *Console) Mismatches() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.mismatches
	c.mismatches = nil
	return m
}

// Typed returns every key received, in order.
func (c *Console) Typed() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.typed.String()
}

// Printed returns everything the program printed.
func (c *Console) Printed() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.all.String()
}

// ProgramErr is the program's result once Done is closed.
func (c *Console) ProgramErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.progErr
}
