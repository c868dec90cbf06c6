// Package console drives a serial console through a sequence of steps with goexpect: each
// step waits for one of its prompts, within its timeout, and answers it with keys. A failure
// names the step and shows the last screen of console output.
package console

import (
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

// Reply answers one prompt.
type Reply struct {
	Prompt *regexp.Regexp
	Keys   []string // sent one at a time, in order; none is fine.
}

// Step waits for one of its replies' prompts (the first that matches, in order, wins) and
// sends that reply's keys.
type Step struct {
	Name    string
	Replies []Reply
	// Fail, when it matches first, ends the step with an error (e.g. "Abort|failed").
	Fail *regexp.Regexp
	// Timeout bounds the whole step, however much output keeps arriving.
	Timeout time.Duration
	// EndsSession accepts the console closing (QEMU exiting) as success, e.g. on power-off.
	EndsSession bool
}

// Expect is a step with a single prompt.
func Expect(name, prompt string, timeout time.Duration, keys ...string) Step {
	return Step{Name: name, Replies: []Reply{{Prompt: regexp.MustCompile(prompt), Keys: keys}}, Timeout: timeout}
}

// WithFail returns s with a failure pattern.
func (s Step) WithFail(pattern string) Step {
	s.Fail = regexp.MustCompile(pattern)
	return s
}

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
