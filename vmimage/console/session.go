package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	expect "github.com/google/goexpect"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/internal/tailbuf"
)

// Options tune a Session.
type Options struct {
	// Pause is how long to wait after a prompt appears before typing: dialogs must finish
	// drawing. The real installer wants 0.5 to 2 s; tests use 0.
	Pause time.Duration
	// KeyGap separates the keys of one reply (Tab, then Enter).
	KeyGap time.Duration
	// ScreenBytes is how much of the last output a failure shows; default 2000.
	ScreenBytes int
	Logger      *slog.Logger
}

// Session runs steps on one console.
type Session struct {
	exp  *expect.GExpect
	opts Options
	log  *slog.Logger
	out  *eofReader
	tail *tailbuf.Buffer

	// deadline (unix nanoseconds) of the running step; expect's liveness check fails after
	// it, which ends an Expect however much output keeps arriving.
	deadline atomic.Int64
	ctx      atomic.Pointer[context.Context]
}

// Open starts a session on a console (a VM's serial port, or a test's scripted console).
func Open(rw io.ReadWriter, opts Options) (*Session, error) {
	if opts.ScreenBytes == 0 {
		opts.ScreenBytes = 2000
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Session{opts: opts, log: opts.Logger, out: &eofReader{r: rw}, tail: tailbuf.New(64 << 10)}
	done := make(chan struct{})
	var closeOnce sync.Once
	exp, _, err := expect.SpawnGeneric(&expect.GenOptions{
		In:  nopCloser{rw},
		Out: s.out,
		Wait: func() error {
			<-done
			return nil
		},
		Close: func() error {
			closeOnce.Do(func() { close(done) })
			return nil
		},
		Check: s.alive,
	}, time.Hour, expect.PartialMatch(true), expect.CheckDuration(100*time.Millisecond), expect.Tee(s.tail))
	if err != nil {
		return nil, fmt.Errorf("open console: %w", err)
	}
	s.exp = exp
	return s, nil
}

func (s *Session) alive() bool {
	if s.out.eof.Load() {
		return false
	}
	if d := s.deadline.Load(); d != 0 && time.Now().UnixNano() > d {
		return false
	}
	if c := s.ctx.Load(); c != nil && (*c).Err() != nil {
		return false
	}
	return true
}

// Close ends the session (the console itself stays open).
func (s *Session) Close() error { return s.exp.Close() }

// Screen returns the last output, escape sequences removed.
func (s *Session) Screen() string {
	t := s.tail.String()
	if len(t) > s.opts.ScreenBytes {
		t = t[len(t)-s.opts.ScreenBytes:]
	}
	return Plain(t)
}

// Run performs steps in order.
func (s *Session) Run(ctx context.Context, steps []Step) error {
	for _, st := range steps {
		if _, err := s.Do(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// Do performs one step and returns the index of the reply that matched (-1 when the
// console closed on an EndsSession step).
func (s *Session) Do(ctx context.Context, st Step) (int, error) {
	if len(st.Replies) == 0 {
		return -1, &StepError{Step: st.Name, Err: errors.New("step has no prompt to wait for")}
	}
	timeout := st.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	start := time.Now()
	s.ctx.Store(&ctx)
	s.deadline.Store(start.Add(timeout).UnixNano())
	defer s.deadline.Store(0)
	s.log.Info("console: waiting", "step", st.Name, "timeout", timeout)

	// The failure pattern is checked first: output that shows both a failure and a prompt
	// (an error, then the shell prompt again) is a failure.
	var cases []expect.Caser
	var want []string
	fail := never
	if st.Fail != nil {
		fail = st.Fail
	}
	cases = append(cases, &expect.Case{R: fail, T: expect.OK()})
	for _, r := range st.Replies {
		cases = append(cases, &expect.Case{R: r.Prompt, T: expect.OK()})
		want = append(want, fmt.Sprintf("%q", r.Prompt.String()))
	}
	_, match, idx, err := s.exp.ExpectSwitchCase(cases, timeout)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case s.out.eof.Load():
			if st.EndsSession {
				s.log.Info("console: closed as expected", "step", st.Name, "took", time.Since(start).Round(time.Millisecond))
				return -1, nil
			}
			err = errors.New("the console closed (the VM stopped)")
		case time.Since(start) >= timeout || isTimeout(err):
			err = &TimeoutError{Timeout: timeout, Want: want}
		}
		return -1, &StepError{Step: st.Name, Screen: s.Screen(), Err: err}
	}
	if idx == 0 {
		return -1, &StepError{Step: st.Name, Screen: s.Screen(), Err: fmt.Errorf("the console showed %q", match[0])}
	}
	idx--
	s.log.Info("console: matched", "step", st.Name, "prompt", match[0], "took", time.Since(start).Round(time.Millisecond))
	s.deadline.Store(0)
	if err := s.answer(ctx, st.Replies[idx].Keys); err != nil {
		return idx, &StepError{Step: st.Name, Screen: s.Screen(), Err: err}
	}
	return idx, nil
}

// answer waits for the dialog to settle, drops the rest of the old screen (so the next step
// only matches what its keys brought up), then types the keys. A step without keys keeps
// the output after its match: the next prompt may already be there.
func (s *Session) answer(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if err := sleep(ctx, s.opts.Pause); err != nil {
		return err
	}
	s.drain()
	for i, k := range keys {
		if i > 0 {
			if err := sleep(ctx, s.opts.KeyGap); err != nil {
				return err
			}
		}
		if err := s.exp.Send(k); err != nil {
			return fmt.Errorf("send %q: %w", k, err)
		}
	}
	return nil
}

// never matches nothing.
var never = regexp.MustCompile(`\A\z.`)

// drain discards the output received so far.
func (s *Session) drain() {
	_, _, _ = s.exp.Expect(never, 0)
}

func isTimeout(err error) bool {
	var t expect.TimeoutError
	return errors.As(err, &t)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// eofReader notes when the console ends.
type eofReader struct {
	r   io.Reader
	eof atomic.Bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		e.eof.Store(true)
	}
	return n, err
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
