// Package console drives a serial console through a sequence of expect/send steps.
package console

import (
	"fmt"
	"regexp"
	"time"

	expect "github.com/google/goexpect"
)

// Step waits for Expect on the console, then sends each of Send in order.
type Step struct {
	Name    string         // what the step does, for errors and progress.
	Expect  *regexp.Regexp // the prompt to wait for.
	Send    []string       // keys to send once it appears.
	Timeout time.Duration  // how long to wait for Expect.
}

// StepError names the step that failed and keeps the console output seen so far.
type StepError struct {
	Step   string
	Screen string // the last console output before the failure.
	Err    error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %q: %v\n--- last console output ---\n%s", e.Step, e.Err, e.Screen)
}

func (e *StepError) Unwrap() error { return e.Err }

// Run performs steps in order on exp.
func Run(exp expect.Expecter, steps []Step) error {
	for _, s := range steps {
		out, _, err := exp.Expect(s.Expect, s.Timeout)
		if err != nil {
			return &StepError{Step: s.Name, Screen: out, Err: err}
		}
		for _, k := range s.Send {
			if err := exp.Send(k); err != nil {
				return &StepError{Step: s.Name, Screen: out, Err: fmt.Errorf("send: %w", err)}
			}
		}
	}
	return nil
}
