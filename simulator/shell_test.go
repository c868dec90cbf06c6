package simulator_test

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"strings"
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

// TestConfigurationFilesHoldTheSecretsAsPfSenseWritesThem: cat of the files pfSense writes from
// its configuration shows the seed's secrets in the forms those files hold (files.go cites the
// writers): every planted secret is in config.xml, plain or base64-encoded, the pre-shared key
// is in swanctl.conf only base64-encoded after strongSwan's 0s, and the WireGuard tunnel's
// private key and its peer's pre-shared key are configuration lines of tun_wg0.conf.
func TestConfigurationFilesHoldTheSecretsAsPfSenseWritesThem(t *testing.T) {
	c := newClient(t, simulator.Options{})
	cat := func(path string) string {
		body, _ := json.Marshal(map[string]string{"command": "cat " + path})
		// c.do, not c.ok: the spec's maxLength of output (1024) bounds what a client may
		// write; CommandPrompt sets output from exec() and answers it whole.
		r := c.do("POST", "/api/v2/diagnostics/command_prompt", string(body))
		if r.code != 200 {
			t.Fatalf("cat %s: %d %s", path, r.code, r.raw)
		}
		if code := r.field(t, "result_code"); code != float64(0) {
			t.Fatalf("cat %s: result_code %v: %v", path, code, r.field(t, "output"))
		}
		out, _ := r.field(t, "output").(string)
		return out
	}
	config := cat("/conf/config.xml")
	planted := c.fw.Sim.PlantedSecrets()
	if len(planted) < 8 {
		t.Fatalf("only %d planted secrets", len(planted))
	}
	for _, s := range planted {
		// exec() trims each line's trailing whitespace, so a PEM key's final newline goes.
		plain, b64 := strings.TrimSpace(s), base64.StdEncoding.EncodeToString([]byte(s))
		if strings.HasPrefix(s, "$2y$") { // a bcrypt hash: config.xml holds it as it is
			if !strings.Contains(config, "<bcrypt-hash>"+plain+"</bcrypt-hash>") {
				t.Errorf("config.xml lacks the bcrypt hash %.12s...", s)
			}
			continue
		}
		if !strings.Contains(config, plain) && !strings.Contains(config, b64) && !strings.Contains(config, html.EscapeString(plain)) {
			t.Errorf("config.xml holds the planted secret %.20s... in no form", s)
		}
	}
	c.ok("PATCH", "/api/v2/system/restapi/settings", `{"expose_sensitive_fields":true}`)
	psk, _ := c.ok("GET", "/api/v2/vpn/ipsec/phase1s", "").column(t, "pre_shared_key")[0].(string)
	if psk == "" {
		t.Fatal("the seed's phase 1 has no pre-shared key")
	}
	swan := cat("/var/etc/ipsec/swanctl.conf")
	if !strings.Contains(swan, "secret = 0s"+base64.StdEncoding.EncodeToString([]byte(psk))) || strings.Contains(swan, psk) {
		t.Errorf("swanctl.conf does not hold the pre-shared key as 0s<base64> only:\n%s", swan)
	}
	name, _ := c.ok("GET", "/api/v2/vpn/wireguard/tunnels", "").column(t, "name")[0].(string)
	wg := cat("/usr/local/etc/wireguard/" + name + ".conf")
	if !strings.Contains(wg, "[Interface]\nPrivateKey = ") || !strings.Contains(wg, "\nPresharedKey = ") || !strings.Contains(wg, "PublicKey = ") {
		t.Errorf("the tunnel's file lacks its keys:\n%s", wg)
	}
}
