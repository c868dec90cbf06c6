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
	// ProgressEvery is how often a long wait logs that it is still waiting, with the last
	// line the console showed; default 30 s.
	ProgressEvery time.Duration
	// Redact, when set, is applied to every screen and console line the session logs or
	// puts in an error (secrets such as an API key).
	Redact func(string) string
	Logger *slog.Logger
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
	if opts.ProgressEvery == 0 {
		opts.ProgressEvery = 30 * time.Second
	}
	if opts.Redact == nil {
		opts.Redact = func(s string) string { return s }
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
	return s.opts.Redact(Plain(t))
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

// Do performs one step, then the steps of the reply that matched (its branch). It returns
// the index of that reply (-1 when the console closed on an EndsSession step).
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
	stopProgress := s.progress(st.Name, start, timeout)
	defer stopProgress()

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
		if r.Prompt != never {
			want = append(want, fmt.Sprintf("%q", r.Prompt.String()))
		}
	}
	if len(want) == 0 {
		want = []string{"the VM to power off"}
	}
	out, match, idx, err := s.exp.ExpectSwitchCase(cases, timeout)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case s.out.eof.Load():
			if st.EndsSession {
				s.log.Info("console: closed as expected", "step", st.Name, "took", time.Since(start).Round(time.Millisecond))
				return -1, nil
			}
			err = ErrClosed
		case time.Since(start) >= timeout || isTimeout(err):
			err = &TimeoutError{Timeout: timeout, Want: want}
		}
		return -1, &StepError{Step: st.Name, Screen: s.Screen(), Err: err}
	}
	if idx == 0 {
		why := ""
		if st.FailWhy != "" {
			why = ": " + st.FailWhy
		}
		return -1, &StepError{Step: st.Name, Screen: s.Screen(), Err: fmt.Errorf("the console showed %q%s", s.opts.Redact(Plain(match[0])), why)}
	}
	idx--
	s.log.Info("console: matched", "step", st.Name, "prompt", s.opts.Redact(Plain(match[0])), "took", time.Since(start).Round(time.Millisecond))
	s.deadline.Store(0)
	stopProgress()
	reply := st.Replies[idx]
	if reply.Check != nil {
		if err := reply.Check(Match{Output: out, Groups: match}); err != nil {
			return idx, &StepError{Step: st.Name, Screen: s.Screen(), Err: err}
		}
	}
	if err := s.answer(ctx, reply.Keys); err != nil {
		if st.EndsSession && s.out.eof.Load() {
			// The machine went away while the keys were typed: what the step waits for.
			s.log.Info("console: closed as expected", "step", st.Name, "took", time.Since(start).Round(time.Millisecond))
			return -1, nil
		}
		return idx, &StepError{Step: st.Name, Screen: s.Screen(), Err: err}
	}
	if err := s.Run(ctx, reply.Then); err != nil {
		return idx, err
	}
	return idx, nil
}

// progress logs, every ProgressEvery, that the step is still waiting and what the console
// showed last, so that a long build says where it is. The returned func stops it.
func (s *Session) progress(step string, start time.Time, timeout time.Duration) func() {
	stop := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(s.opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				s.log.Info("console: still waiting", "step", step,
					"waited", time.Since(start).Round(time.Second), "timeout", timeout,
					"last_line", s.opts.Redact(LastLine(s.tail.String())))
			}
		}
	}()
	return func() { once.Do(func() { close(stop) }) }
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
			// What the previous key redrew (a dialog moving its highlight) belongs to the
			// old screen: only the last key brings up the next one.
			s.drain()
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

// Boot starts the machine (again, when restart is set) and returns its console.
type Boot func(ctx context.Context, restart bool) (io.ReadWriter, error)

// maxRestarts bounds how often Drive starts a machine again after a power-off.
const maxRestarts = 3

// Drive performs steps on a machine's console. When the console closes during a step marked
// SurvivesPowerOff (a reboot that became a power-off), it starts the machine again with boot
// and repeats that step on the new console, at most maxRestarts times.
func Drive(ctx context.Context, opts Options, steps []Step, boot Boot) error {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	rw, err := boot(ctx, false)
	if err != nil {
		return err
	}
	s, err := Open(rw, opts)
	if err != nil {
		return err
	}
	defer func() { s.Close() }()
	restarts := 0
	for i := 0; i < len(steps); i++ {
		_, err := s.Do(ctx, steps[i])
		if err == nil {
			continue
		}
		if !steps[i].SurvivesPowerOff || !errors.Is(err, ErrClosed) {
			return err
		}
		if restarts == maxRestarts {
			return fmt.Errorf("the machine powered off %d times instead of rebooting: %w", restarts+1, err)
		}
		restarts++
		log.Warn("console: the machine powered off instead of rebooting; starting it again", "step", steps[i].Name, "restart", restarts)
		s.Close()
		if rw, err = boot(ctx, true); err != nil {
			return fmt.Errorf("start the machine again after it powered off: %w", err)
		}
		if s, err = Open(rw, opts); err != nil {
			return err
		}
		i--
	}
	return nil
}
