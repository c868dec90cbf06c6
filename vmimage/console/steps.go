// Package console drives a serial console through a sequence of steps with goexpect: each
// step waits for one of its prompts, within its timeout, and answers it with keys. A reply
// can check what it matched (a command's exit status) and branch into steps of its own
// (first boot with or without the interface assignment). A failure names the step and shows
// the last screen of console output.
package console

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Keys that the pfSense installer and console menus need. Arrow keys are deliberately
// absent: over a serial line they arrive as a bare ESC first, which cancels the dialog.
const (
	Enter = "\r"
	Tab   = "\t"
	Space = " "
)

// Match is what a reply's prompt matched.
type Match struct {
	// Output is the console output from the start of the step up to the end of the match:
	// for a shell command, what it printed.
	Output string
	// Groups are the prompt's submatches; Groups[0] is the whole match.
	Groups []string
}

// Reply answers one prompt.
type Reply struct {
	Prompt *regexp.Regexp
	// Check, when set, judges the match before the keys are sent (a command's exit status
	// in its completion marker); its error fails the step.
	Check func(Match) error
	Keys  []string // sent one at a time, in order; none is fine.
	// Then are steps that follow this reply only (a branch), before the step's successors.
	Then []Step
}

// Step waits for one of its replies' prompts (the first that matches, in order, wins) and
// sends that reply's keys.
type Step struct {
	Name    string
	Replies []Reply
	// Fail, when it matches first, ends the step with an error; FailWhy says what it means.
	Fail    *regexp.Regexp
	FailWhy string
	// Timeout bounds the whole step, however much output keeps arriving.
	Timeout time.Duration
	// EndsSession accepts the console closing (QEMU exiting) as success, e.g. on power-off.
	EndsSession bool
	// SurvivesPowerOff marks a wait across a reboot that may turn into a power-off: when the
	// console closes during it, whoever runs the steps may start the machine again on the
	// same disk and repeat the step (see ErrClosed).
	SurvivesPowerOff bool
}

// Expect is a step with a single prompt.
func Expect(name, prompt string, timeout time.Duration, keys ...string) Step {
	return Step{Name: name, Replies: []Reply{{Prompt: regexp.MustCompile(prompt), Keys: keys}}, Timeout: timeout}
}

// WaitPowerOff is a step that succeeds when the console closes (QEMU exited) within timeout.
func WaitPowerOff(name string, timeout time.Duration) Step {
	return Step{Name: name, Replies: []Reply{{Prompt: never}}, Timeout: timeout, EndsSession: true}
}

// WithFail returns s with a failure pattern and what it means.
func (s Step) WithFail(pattern, why string) Step {
	s.Fail = regexp.MustCompile(pattern)
	s.FailWhy = why
	return s
}

// ErrClosed says the console closed: the machine powered off (or QEMU died).
var ErrClosed = errors.New("the console closed (the VM stopped)")

// StepError names the step that failed and keeps the console output seen last.
type StepError struct {
	Step   string
	Screen string // the last console output before the failure, escape sequences removed.
	Err    error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %q: %v\n--- last console output ---\n%s\n--- end of console output ---", e.Step, e.Err, e.Screen)
}

func (e *StepError) Unwrap() error { return e.Err }

// TimeoutError says a step's prompt did not appear in time.
type TimeoutError struct {
	Timeout time.Duration
	Want    []string // the prompts waited for.
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %v waiting for %s", e.Timeout, strings.Join(e.Want, " or "))
}

// ansi matches terminal escape sequences (CSI, OSC, charset selection) and stray ESCs.
var ansi = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]?`)

// Plain removes terminal escape sequences and turns carriage returns into newlines, so a
// screen reads as text.
func Plain(s string) string {
	s = ansi.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// LastLine is the last non-empty line of s as text, for progress reports.
func LastLine(s string) string {
	lines := strings.Split(Plain(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			if len(l) > 160 {
				l = l[:160] + "..."
			}
			return l
		}
	}
	return ""
}
