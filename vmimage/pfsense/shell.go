package pfsense

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
)

// ShellPrompt matches root's tcsh prompt. src/etc/skel/dot.tcshrc line 33 (RELENG_2_7_2)
// sets it to "[%B`cat /etc/version`%b][%B%n%b@%B%M%b]%/: " with bold (%B/%b) and red
// colour codes around the parts, so "$", "#" or "/root:" are not reliable; the full host
// name (%M, pfSense.home.arpa with the factory config's hostname and domain) is.
var ShellPrompt = regexp.MustCompile(`home\.arpa`)

// MenuPrompt is the console menu's prompt: src/etc/rc.initial line 94, `read -p "Enter an
// option: "`. rc.initial prints the menu and this prompt once per pass of its loop: once at
// boot and once more each time an option (the shell, the SSH toggle) returns.
var MenuPrompt = regexp.MustCompile(`Enter an option: `)

// osVersionQuestion is pkg's question when a package's OS version is newer than the running
// kernel's (seed vm/UPGRADE-LEARNINGS.md, "Step 3"). It reads the answer from the terminal,
// so a command stuck on it would wait forever and swallow whatever is typed next: every
// shell sets IGNORE_OSVERSION first, and the question fails any command that shows it.
var osVersionQuestion = regexp.MustCompile(`Ignore the mismatch and continue\? \[y/N\]`)

const osVersionWhy = "pkg asks whether to ignore the OS version mismatch: IGNORE_OSVERSION is not set in this shell"

// Command is one shell command on the firewall. It is typed with an explicit completion
// marker, `LINE; echo __VMIMAGE_RC_<n>=$status` (tcsh's $status is the exit status of the
// last command), and is done when the marker with a number appears: the echo of the typed
// line shows "$status", never digits, so the echo cannot end the wait. Its exit status must
// be 0 unless AnyStatus. (Checked with Debian's tcsh 6.24.07: `false; echo X=$status` prints
// X=1, and `a && b` gives a's status when a fails.)
type Command struct {
	Line string
	// AnyStatus accepts any exit status: a command that may fail harmlessly.
	AnyStatus bool
	// Fail matches output that means failure before the command ends (an interactive
	// question that would wait forever); FailWhy says what it means.
	Fail    *regexp.Regexp
	FailWhy string
	// Require matches output that must appear for the command to count as done, for a
	// command that exits 0 without doing its job; RequireWhy says what its absence means.
	Require    *regexp.Regexp
	RequireWhy string
	// Timeout bounds the command; default 60 s.
	Timeout time.Duration
}

func (c Command) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 60 * time.Second
}

// markerName is the completion marker's name; pfSense-upgrade prints "__RC=" itself when
// it reports progress to a socket, hence a name of our own.
const markerName = "__VMIMAGE_RC_"

// Shell numbers the completion markers of one console session, so that no marker of an
// earlier command can end the wait for a later one.
type Shell struct{ n int }

// Open is the menu step that starts the shell (menu option 8: src/etc/rc.initial line 124
// runs /bin/tcsh).
func (sh *Shell) Open(timeout time.Duration) console.Step {
	return console.Expect("menu: open the shell", MenuPrompt.String(), timeout, "8"+console.Enter)
}

// Run returns the steps that type each command at the prompt and wait for its marker, then
// type final (exit, reboot or shutdown, which print no marker) at the next prompt. The
// caller adds the step that waits for what final brings.
func (sh *Shell) Run(cmds []Command, final string) []console.Step {
	steps := sh.Commands(cmds)
	return append(steps, console.Expect("shell: prompt for "+final, ShellPrompt.String(), 120*time.Second, final+console.Enter))
}

// Commands returns the steps that type each command at the prompt and wait for its marker.
// Nothing more is typed: for a last command that ends the session itself (pfSense-upgrade
// reboots the firewall after it returns).
func (sh *Shell) Commands(cmds []Command) []console.Step {
	var steps []console.Step
	for _, c := range cmds {
		sh.n++
		n := sh.n
		marker := markerName + strconv.Itoa(n) + "="
		steps = append(steps,
			console.Expect("shell: prompt for "+c.Line, ShellPrompt.String(), 120*time.Second, c.Line+"; echo "+marker+"$status"+console.Enter),
			console.Step{
				Name: "shell: " + c.Line,
				Replies: []console.Reply{{
					Prompt: regexp.MustCompile(regexp.QuoteMeta(marker) + `(\d+)`),
					Check:  c.check,
				}},
				Fail:    c.Fail,
				FailWhy: c.FailWhy,
				Timeout: c.timeout(),
			},
		)
	}
	return steps
}

// check judges a command by the exit status in its marker and the output before it.
func (c Command) check(m console.Match) error {
	status, err := strconv.Atoi(m.Groups[1])
	if err != nil {
		return fmt.Errorf("%s: unreadable exit status %q", c.Line, m.Groups[1])
	}
	if status != 0 && !c.AnyStatus {
		return fmt.Errorf("%s exited with status %d", c.Line, status)
	}
	if c.Require != nil && !c.Require.MatchString(console.Plain(m.Output)) {
		return fmt.Errorf("%s exited with status %d but did not print %q: %s", c.Line, status, c.Require.String(), c.RequireWhy)
	}
	return nil
}

// PowerOff types shutdown -p now at the next prompt and waits until the VM has powered off
// (QEMU exits with it).
func (sh *Shell) PowerOff(cmds []Command) []console.Step {
	steps := sh.Run(cmds, "shutdown -p now")
	return append(steps, console.WaitPowerOff("power off", 300*time.Second))
}

// Marker returns the completion marker text of command n, for tests and transcripts.
func Marker(n int, status int) string {
	return markerName + strconv.Itoa(n) + "=" + strconv.Itoa(status)
}

// IgnoreOSVersion is the first command of every shell: pkg's OS version question (see
// osVersionQuestion) must never be asked. It is a tcsh builtin: each shell needs its own.
var IgnoreOSVersion = Command{Line: "setenv IGNORE_OSVERSION yes"}

// pkgCommand is a pkg-static command: the OS version question fails it at once.
func pkgCommand(line string, timeout time.Duration) Command {
	return Command{Line: line, Fail: osVersionQuestion, FailWhy: osVersionWhy, Timeout: timeout}
}
