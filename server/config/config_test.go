package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const key = "0123456789abcdef0123456789abcdef"

func TestLoadValid(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load([]string{"--allow-writes", "--modules", "firewall, vpn_wireguard,firewall", "--timeout=5s"},
		env(map[string]string{
			"PFSENSE_URL":             "https://fw.example.net:8443/",
			"PFSENSE_API_KEY_FILE":    keyFile,
			"PFSENSE_TLS_FINGERPRINT": strings.Repeat("AB:", 31) + "AB",
			"PFSENSE_TOOL_MODE":       "Discovery",
			"PFSENSE_AUDIT_LOG":       "off",
		}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.URL.String() != "https://fw.example.net:8443" || c.APIKey != key || c.AuthMode != "key" {
		t.Errorf("url/key/auth = %s %q %s", c.URL, c.APIKey, c.AuthMode)
	}
	if !c.AllowWrites || c.AllowDangerous || c.Mode != ModeDiscovery || c.Timeout != 5*time.Second || c.AuditLog != "" {
		t.Errorf("flags not applied: %+v", c)
	}
	if strings.Join(c.Modules, ",") != "firewall,vpn_wireguard" {
		t.Errorf("modules = %v", c.Modules)
	}
	if len(c.TLSFingerprint) != 32 || c.TLSFingerprint[0] != 0xab {
		t.Errorf("fingerprint = %x", c.TLSFingerprint)
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	c, err := Load([]string{"--url", "https://flag.example", "--allow-writes=false"},
		env(map[string]string{"PFSENSE_URL": "https://env.example", "PFSENSE_API_KEY": key, "PFSENSE_ALLOW_WRITES": "true"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.URL.Host != "flag.example" || c.AllowWrites {
		t.Errorf("got host %s writes %v, want the flags' values", c.URL.Host, c.AllowWrites)
	}
}

func TestAuditLogDefaults(t *testing.T) {
	for _, tc := range []struct {
		env           map[string]string
		want, warning string
	}{
		{map[string]string{"HOME": "/home/ann"}, "/home/ann/.local/state/pfsense-mcp/audit.jsonl", ""},
		{map[string]string{"HOME": "/home/ann", "XDG_STATE_HOME": "/var/state"}, "/var/state/pfsense-mcp/audit.jsonl", ""},
		{map[string]string{"HOME": "/home/ann", "PFSENSE_AUDIT_LOG": "OFF"}, "", ""},
		{map[string]string{}, "", "the audit log is off: there is no HOME for its default place; set PFSENSE_AUDIT_LOG to a file"},
	} {
		c, err := Load([]string{"--demo"}, env(tc.env), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if c.AuditLog != tc.want || c.AuditWarning != tc.warning {
			t.Errorf("env %v: audit %q warning %q", tc.env, c.AuditLog, c.AuditWarning)
		}
	}
}

func TestDemoNeedsNoFirewall(t *testing.T) {
	c, err := Load([]string{"--demo"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Demo || c.URL != nil || c.AllowWrites {
		t.Errorf("demo config = %+v", c)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	base := map[string]string{"PFSENSE_URL": "https://fw", "PFSENSE_API_KEY": key}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no url", nil, with("PFSENSE_URL", ""), "PFSENSE_URL is not set: give the firewall as https://host[:port], or run with --demo"},
		{"http url", nil, with("PFSENSE_URL", "http://fw"), `PFSENSE_URL="http://fw" uses http: the API key would cross the network in clear text`},
		{"bad url", nil, with("PFSENSE_URL", "fw.example"), `PFSENSE_URL="fw.example" is not a firewall URL: use https://host[:port]`},
		{"url with path", []string{"--url", "https://fw/api/v2"}, base, `--url="https://fw/api/v2" has a path`},
		{"no credentials", nil, with("PFSENSE_API_KEY", ""), "PFSENSE_API_KEY is not set"},
		{"short key", nil, with("PFSENSE_API_KEY", "abc"), "PFSENSE_API_KEY is too short"},
		{"user without password", nil, with("PFSENSE_USERNAME", "admin"), "PFSENSE_USERNAME and PFSENSE_PASSWORD go together"},
		{"bad bool", nil, with("PFSENSE_ALLOW_WRITES", "yes please"), `PFSENSE_ALLOW_WRITES="yes please" is not a boolean: use true or false`},
		{"bad timeout", nil, with("PFSENSE_TIMEOUT", "forever"), `PFSENSE_TIMEOUT="forever" is not a valid timeout`},
		{"bad mode", nil, with("PFSENSE_TOOL_MODE", "lean"), `PFSENSE_TOOL_MODE="lean" is not a tool mode: use full or discovery`},
		{"bad auth", nil, with("PFSENSE_AUTH", "oauth"), `PFSENSE_AUTH="oauth" is not an auth mode: use key, basic or jwt`},
		{"jwt without user", nil, with("PFSENSE_AUTH", "jwt"), "PFSENSE_AUTH=jwt needs PFSENSE_USERNAME and PFSENSE_PASSWORD"},
		{"bad fingerprint", nil, with("PFSENSE_TLS_FINGERPRINT", "abcd"), `PFSENSE_TLS_FINGERPRINT: "abcd" is not a SHA-256 fingerprint`},
		{"missing ca", nil, with("PFSENSE_CA_FILE", "/nonexistent/ca.pem"), `PFSENSE_CA_FILE="/nonexistent/ca.pem" cannot be read: no such file or directory`},
		{"http off loopback without token", []string{"--transport", "http", "--http-addr", "0.0.0.0:8080"}, base, "PFSENSE_HTTP_TOKEN is not set: the HTTP transport refuses to listen on 0.0.0.0:8080"},
		{"short token", []string{"--http-token", "abc"}, base, "PFSENSE_HTTP_TOKEN is too short"},
		{"stray argument", []string{"serve"}, base, `unexpected argument "serve"`},
		{"bad confirm", []string{"--confirm", "model"}, base, `--confirm="model" is not a confirmation mode: use human, token or plain`},
		{"bad origin", []string{"--http-allowed-origins", "app.example"}, base, `--http-allowed-origins: "app.example" is not an origin: use scheme://host[:port], e.g. https://app.example, or *`},
		{"bad body limit", []string{"--http-max-body", "10"}, base, `--http-max-body="10" is not a body limit: use a number of bytes between 4096 and 1073741824`},
		{"bad idle", []string{"--http-session-idle", "1s"}, base, `--http-session-idle="1s" is not an idle time: use a duration between 10s and 24h, e.g. 30m`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.args, env(tc.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestErrorsNeverContainSecrets(t *testing.T) {
	secret := "s3cr3t-password-value"
	for _, args := range [][]string{
		{"--url", "https://admin:" + secret + "@fw/x"},
		{"--url", "http://admin:" + secret + "@fw"},
		{"--url", "ftp://admin:" + secret + "@fw"},
		{"--url", "https://admin:" + secret + "@"},
		{"--url", "admin:" + secret + "@fw"},
		{"--url", "https://fw/?token=" + secret},
		{"--url", "https://fw", "--api-key", "0123456789abcdef0123", "--http-allowed-origins", "https://u:" + secret + "@app"},
		{"--url", "https://fw", "--username", "admin", "--password", secret, "--auth", "oauth"},
		{"--url", "https://fw", "--api-key", secret[:8]},
	} {
		_, err := Load(args, env(nil), io.Discard)
		if err == nil {
			t.Fatalf("Load(%v) succeeded", args)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:8]) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
}

func TestSafetyDefaultsAndSettings(t *testing.T) {
	c, err := Load(nil, env(map[string]string{"PFSENSE_URL": "https://fw", "PFSENSE_API_KEY": key}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirm != ConfirmHuman || !c.LockoutGuard || c.HTTPMaxBody != 4<<20 || c.HTTPSessionIdle != 30*time.Minute || c.HTTPOrigins != nil {
		t.Errorf("defaults: %+v", c)
	}
	c, err = Load([]string{"--confirm", "Plain", "--lockout-guard=false", "--http-allowed-origins", "https://App.example:8443, *", "--http-max-body", "65536", "--http-session-idle", "5m"},
		env(map[string]string{"PFSENSE_URL": "https://fw", "PFSENSE_API_KEY": key}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirm != ConfirmPlain || c.LockoutGuard || c.HTTPMaxBody != 65536 || c.HTTPSessionIdle != 5*time.Minute || strings.Join(c.HTTPOrigins, " ") != "https://app.example:8443 *" {
		t.Errorf("settings: %+v", c)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:80": true, "[::1]:80": true, "localhost:1": true, "0.0.0.0:80": false, "10.0.0.1:80": false, ":80": false} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// The README's configuration table must list every setting: a setting that is not documented
// does not exist for users.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	path := os.Getenv("README_PATH")
	if path == "" {
		path = "../../README.md"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	readme := string(b)
	for _, s := range Settings() {
		row := "| `" + s[1] + "` | `--" + s[0] + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md has no configuration row starting %q", row)
		}
	}
}

// LoadOffline reads what decides the tool surface and never asks for the firewall; bad values
// of the settings it reads are still refused.
func TestLoadOfflineNeedsNoFirewall(t *testing.T) {
	c, err := LoadOffline([]string{"--allow-writes", "--modules=firewall"},
		env(map[string]string{"PFSENSE_TOOL_MODE": "discovery", "PFSENSE_URL": "http://not-checked"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.AllowWrites || c.Mode != ModeDiscovery || strings.Join(c.Modules, ",") != "firewall" || c.URL != nil {
		t.Errorf("got writes=%v mode=%s modules=%v url=%v", c.AllowWrites, c.Mode, c.Modules, c.URL)
	}
	_, err = LoadOffline(nil, env(map[string]string{"PFSENSE_ALLOW_WRITES": "maybe"}), io.Discard)
	if err == nil || err.Error() != `PFSENSE_ALLOW_WRITES="maybe" is not a boolean: use true or false` {
		t.Errorf("err = %v", err)
	}
}
