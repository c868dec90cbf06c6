package pfsense

import (
	"regexp"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// ShellPrompt matches the root tcsh prompt, "[2.7.2-RELEASE][root@pfSense.home.arpa]/root: ",
// which is wrapped in ANSI colour codes: matching "$", "#" or "/root:" is unreliable, the
// host name is not.
var ShellPrompt = regexp.MustCompile(`home\.arpa`)

// MenuPrompt is the console menu's prompt.
var MenuPrompt = regexp.MustCompile(`Enter an option: `)

// Command is one shell command.
type Command struct {
	Line string
	// Done matches the output that means success; nil: the prompt coming back is enough.
	Done *regexp.Regexp
	// Fail matches output that means failure, until the next prompt.
	Fail *regexp.Regexp
	// Timeout bounds the command; default 60 s.
	Timeout time.Duration
}

func (c Command) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 60 * time.Second
}

// commandSteps types each command at the prompt the previous one brought back, so the
// wait for that prompt also watches the previous command's failure pattern. finish is
// typed at the prompt after the last command.
func commandSteps(cmds []Command, finish string) []console.Step {
	var steps []console.Step
	prev := Command{Line: "(shell start)"}
	all := append(append([]Command(nil), cmds...), Command{Line: finish})
	for _, c := range all {
		steps = append(steps, console.Step{
			Name:    "shell: " + prev.Line + " (until the prompt)",
			Replies: []console.Reply{{Prompt: ShellPrompt, Keys: []string{c.Line + console.Enter}}},
			Fail:    prev.Fail,
			Timeout: prev.timeout(),
		})
		if c.Done != nil {
			steps = append(steps, console.Step{
				Name:    "shell: " + c.Line,
				Replies: []console.Reply{{Prompt: c.Done}},
				Fail:    c.Fail,
				Timeout: c.timeout(),
			})
		}
		prev = c
	}
	return steps
}

// ShellSession opens the shell from the console menu (option 8), runs cmds, and exits back
// to the menu.
func ShellSession(cmds []Command) []console.Step {
	steps := []console.Step{console.Expect("menu: open the shell", MenuPrompt.String(), 120*time.Second, "8"+console.Enter)}
	steps = append(steps, commandSteps(cmds, "exit")...)
	return append(steps, console.Expect("menu after the shell", MenuPrompt.String(), 60*time.Second))
}

// ShutdownSteps powers the firewall off from the menu's shell; QEMU exits with it.
func ShutdownSteps() []console.Step {
	steps := []console.Step{console.Expect("menu: open the shell", MenuPrompt.String(), 120*time.Second, "8"+console.Enter)}
	steps = append(steps, commandSteps(nil, "shutdown -p now")...)
	return append(steps, console.Step{
		Name:        "power off",
		Replies:     []console.Reply{{Prompt: regexp.MustCompile(`System halted|Power down|Uptime`)}},
		Timeout:     120 * time.Second,
		EndsSession: true,
	})
}
