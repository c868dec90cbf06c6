package simulator_test

import (
	"encoding/json"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// TestCommandPromptAnswersAsExecDoes checks the command prompt against what the package hands
// back: Core/Command.inc (v2.7.1) runs PHP's exec("<command> 2>&1"), which returns the output
// lines without their trailing whitespace, joined with "\n" and no final newline, and the exit
// status of the last command; FreeBSD's sh reports an unknown command as
// "sh: <name>: not found" with status 127, and the appended redirect covers only the last
// simple command.
func TestCommandPromptAnswersAsExecDoes(t *testing.T) {
	c := newClient(t, simulator.Options{})
	cases := []struct {
		command string
		output  string
		code    int64
	}{
		{"echo hello", "hello", 0},
		{"echo 'a  b'   \"c;d\"", "a  b c;d", 0},
		{"echo -n x", "x", 0},
		{"echo 'trailing   '", "trailing", 0},
		{"hostname", "pfsense.home.arpa", 0},
		{"uname -sr", "FreeBSD 15.0-CURRENT", 0},
		{"cat /etc/version", "2.8.1-RELEASE", 0},
		{"nosuchcmd", "sh: nosuchcmd: not found", 127},
		// The redirect is appended to the line, so an earlier command's stderr is lost.
		{"nosuchcmd; echo after", "after", 0},
		{"echo first; nosuchcmd", "first\nsh: nosuchcmd: not found", 127},
		{"false && echo never", "", 1},
		{"false || echo instead", "instead", 0},
		{"cat /nonexistent", "cat: /nonexistent: No such file or directory", 1},
		{"cat /etc/version 2>/dev/null > /dev/null", "", 0},
		// The appended 2>&1 comes after the caller's 2>/dev/null and wins.
		{"cat /nonexistent 2>/dev/null", "cat: /nonexistent: No such file or directory", 1},
		{"echo a; exit 3; echo b", "a", 3},
		{"cat /etc/version | wc -l", "       1", 0},
		{"echo 'unterminated", "sh: Syntax error: Unterminated quoted string", 2},
	}
	for _, tc := range cases {
		body, _ := json.Marshal(map[string]string{"command": tc.command})
		r := c.ok("POST", "/api/v2/diagnostics/command_prompt", string(body))
		if got := r.field(t, "output"); got != tc.output {
			t.Errorf("%q: output %q, want %q", tc.command, got, tc.output)
		}
		if got := r.field(t, "result_code"); got != float64(tc.code) {
			t.Errorf("%q: result_code %v, want %d", tc.command, got, tc.code)
		}
		if got := r.field(t, "command"); got != nil {
			t.Errorf("%q: the write-only command came back: %v", tc.command, got)
		}
	}
}
