// Package serialtest provides a scripted serial console for testing the console state
// machines without a VM: it prints the real prompts of the pfSense installer and console,
// checks every key it receives against what the real program needs to move on, and reacts
// to wrong keys the way the real program does (a bare ESC cancels a dialog, Enter on "Last
// Chance" picks the focused No).
package serialtest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// Exchange is one screen of the script.
type Exchange struct {
	Name string
	// Show is printed when the exchange starts (after the previous one's keys arrived).
	Show string
	// Keys are what the real program needs, in order, to move to the next exchange. An
	// exchange without keys moves on at once (boot output between prompts).
	Keys []string
	// Wrong is printed when other keys arrive; the console then stays broken, as a
	// cancelled dialog or an aborted installer would.
	Wrong string
	// After delays Show (a slow step).
	After time.Duration
	// Hang prints Show and then never moves on, whatever arrives (a stalled step).
	Hang bool
	// Drip, with Hang, prints Show again at this interval: a step that keeps printing
	// without ever showing the awaited prompt.
	Drip time.Duration
	// EOF ends the console after Show: QEMU exited (power-off, reboot with -no-reboot).
	EOF bool
}

// Console is a scripted serial console. It implements io.ReadWriter.
type Console struct {
	t      testing.TB
	script []Exchange

	mu         sync.Mutex
	cond       *sync.Cond
	out        bytes.Buffer
	eof        bool
	pos        int // the exchange waiting for keys.
	got        strings.Builder
	typed      strings.Builder
	broken     bool
	mismatches []string
	timers     []*time.Timer
}

// New starts a console that plays script; the first exchange is shown at once. At the end
// of the test, keys that did not match are reported as test errors unless the test took
// them with Mismatches.
func New(t testing.TB, script ...Exchange) *Console {
	c := &Console{t: t, script: script}
	c.cond = sync.NewCond(&c.mu)
	c.mu.Lock()
	c.enter(0)
	c.mu.Unlock()
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, tm := range c.timers {
			tm.Stop()
		}
		for _, m := range c.mismatches {
			t.Errorf("scripted console: %s", m)
		}
		c.eof = true
		c.cond.Broadcast()
	})
	return c
}

// enter starts exchange i (mu held).
func (c *Console) enter(i int) {
	c.pos = i
	c.got.Reset()
	if i >= len(c.script) {
		return
	}
	ex := c.script[i]
	show := func() {
		c.out.WriteString(ex.Show)
		if ex.EOF {
			c.eof = true
		}
		c.cond.Broadcast()
		if ex.Hang && ex.Drip > 0 {
			c.timers = append(c.timers, time.AfterFunc(ex.Drip, func() { c.drip(i) }))
		}
		if len(ex.Keys) == 0 && !ex.Hang && !ex.EOF {
			c.enter(i + 1)
		}
	}
	if ex.After > 0 {
		c.timers = append(c.timers, time.AfterFunc(ex.After, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.pos == i && !c.broken {
				show()
			}
		}))
		return
	}
	show()
}

func (c *Console) drip(i int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eof || c.pos != i {
		return
	}
	ex := c.script[i]
	c.out.WriteString(ex.Show)
	c.cond.Broadcast()
	c.timers = append(c.timers, time.AfterFunc(ex.Drip, func() { c.drip(i) }))
}

// Read returns what the console printed; io.EOF once an EOF exchange was shown and read.
func (c *Console) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.out.Len() == 0 && !c.eof {
		c.cond.Wait()
	}
	if c.out.Len() == 0 {
		return 0, io.EOF
	}
	return c.out.Read(p)
}

// Write receives keys.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.typed.Write(p)
	for _, b := range p {
		c.key(b)
	}
	return len(p), nil
}

func (c *Console) key(b byte) {
	if c.broken || c.pos >= len(c.script) || c.eof {
		if !c.broken && c.pos >= len(c.script) {
			c.mismatch(fmt.Sprintf("got %q after the end of the script", string(b)))
		}
		return
	}
	ex := c.script[c.pos]
	if ex.Hang {
		return
	}
	if b == 0x1b {
		c.mismatch(fmt.Sprintf("exchange %q: got a bare ESC, which cancels the dialog (want %q)", ex.Name, strings.Join(ex.Keys, "")))
		c.fail(ex)
		return
	}
	c.got.WriteByte(b)
	want := strings.Join(ex.Keys, "")
	got := c.got.String()
	if !strings.HasPrefix(want, got) {
		c.mismatch(fmt.Sprintf("exchange %q: got keys %q, want %q", ex.Name, got, want))
		c.fail(ex)
		return
	}
	if got == want {
		c.enter(c.pos + 1)
	}
}

func (c *Console) fail(ex Exchange) {
	c.broken = true
	if ex.Wrong != "" {
		c.out.WriteString(ex.Wrong)
		c.cond.Broadcast()
	}
}

func (c *Console) mismatch(m string) { c.mismatches = append(c.mismatches, m) }

// Mismatches returns (and forgets) the wrong keys received so far.
func (c *Console) Mismatches() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.mismatches
	c.mismatches = nil
	return m
}

// Reached returns the name of the exchange waiting for keys ("" past the end).
func (c *Console) Reached() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pos >= len(c.script) {
		return ""
	}
	return c.script[c.pos].Name
}

// Finished reports whether every exchange was played.
func (c *Console) Finished() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pos >= len(c.script) || (c.pos == len(c.script)-1 && c.script[c.pos].EOF)
}

// Typed returns every key received, in order.
func (c *Console) Typed() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.typed.String()
}
