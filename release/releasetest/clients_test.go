package releasetest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/smoke"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
)

// snippet is a README code block marked `<!-- snippet: WHO [demo] -->` on the line before it.
type snippet struct {
	who  []string // the clients it is for, or "install"
	demo bool
	lang string
	text string
	line int
}

// clients are the MCP clients the README must cover, each with a real and a demo setup.
var clients = []string{"claude-code", "claude-desktop", "cursor", "vscode", "windsurf", "codex"}

var (
	marker = regexp.MustCompile(`^<!-- snippet: ([a-z0-9 -]+) -->$`)
	fence  = regexp.MustCompile("^```([a-z]*)$")
)

// readSnippets returns every marked block, and fails on a code block in the section
// "Connect a client" that has no marker (a setup the test would not check).
func readSnippets(t *testing.T) []snippet {
	t.Helper()
	lines := strings.Split(string(readFile(t, "README")), "\n")
	var out []snippet
	section := ""
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "## ") {
			section = lines[i]
		}
		m := fence.FindStringSubmatch(lines[i])
		if m == nil || m[1] == "" {
			continue
		}
		start := i
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		var mk []string
		if start >= 2 && lines[start-1] == "" {
			mk = marker.FindStringSubmatch(lines[start-2])
		} else if start >= 1 {
			mk = marker.FindStringSubmatch(lines[start-1])
		}
		if mk == nil {
			if section == "## Connect a client" {
				t.Errorf("README.md:%d: a code block in %q without a <!-- snippet: ... --> marker, so no test checks it", start+1, section)
			}
			continue
		}
		words := strings.Fields(mk[1])
		s := snippet{lang: m[1], text: strings.Join(body, "\n") + "\n", line: start + 1}
		for _, w := range words {
			if w == "demo" {
				s.demo = true
			} else {
				s.who = append(s.who, w)
			}
		}
		out = append(out, s)
	}
	return out
}

// launch is how a client would start the server.
type launch struct {
	name    string // the client's name for the server
	command string
	args    []string
	env     map[string]string
}

// The placeholders the README asks the user to replace, and what the test puts in their place.
var placeholders = map[string]string{"PFSENSE_URL": "https://192.168.1.1", "PFSENSE_API_KEY": "your-key", "PFSENSE_TLS_FINGERPRINT": "your-certificate-sha256"}

// mcpServersConfig is the file of Claude Desktop (claude_desktop_config.json), Cursor
// (mcp.json) and Windsurf (mcp_config.json): mcpServers maps a name to command, args and env.
type mcpServersConfig struct {
	MCPServers map[string]struct {
		Command string            `json:"command"`
		Args    []string          `json:"args"`
		Env     map[string]string `json:"env"`
	} `json:"mcpServers"`
}

// vscodeConfig is VS Code's mcp.json (code.visualstudio.com/docs/copilot/reference/mcp-configuration):
// servers, and inputs that ${input:ID} in a value prompts for.
type vscodeConfig struct {
	Inputs []struct {
		Type        string `json:"type"`
		ID          string `json:"id"`
		Description string `json:"description"`
		Password    bool   `json:"password"`
	} `json:"inputs"`
	Servers map[string]struct {
		Type    string            `json:"type"`
		Command string            `json:"command"`
		Args    []string          `json:"args"`
		Env     map[string]string `json:"env"`
	} `json:"servers"`
}

// codexConfig is ~/.codex/config.toml; the stdio keys of a server are those of Codex's
// RawMcpServerConfig (openai/codex codex-rs/config/src/mcp_types.rs, deny_unknown_fields).
type codexConfig struct {
	MCPServers map[string]struct {
		Command           string            `toml:"command"`
		Args              []string          `toml:"args"`
		Env               map[string]string `toml:"env"`
		EnvVars           []string          `toml:"env_vars"`
		Cwd               string            `toml:"cwd"`
		StartupTimeoutSec float64           `toml:"startup_timeout_sec"`
		ToolTimeoutSec    float64           `toml:"tool_timeout_sec"`
		Enabled           *bool             `toml:"enabled"`
	} `toml:"mcp_servers"`
}

func strictJSON(text string, v any) error {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// parse reads a snippet as its client reads it and returns the servers it configures.
func parse(t *testing.T, s snippet, who string) ([]launch, error) {
	t.Helper()
	var out []launch
	switch who {
	case "claude-desktop", "cursor", "windsurf":
		var c mcpServersConfig
		if err := strictJSON(s.text, &c); err != nil {
			return nil, err
		}
		for name, srv := range c.MCPServers {
			if !filepath.IsAbs(srv.Command) {
				return nil, fmt.Errorf("server %s: command %q: desktop apps do not search the shell's PATH, give the full path", name, srv.Command)
			}
			out = append(out, launch{name, srv.Command, srv.Args, srv.Env})
		}
	case "vscode":
		var c vscodeConfig
		if err := strictJSON(s.text, &c); err != nil {
			return nil, err
		}
		inputs := map[string]bool{}
		for _, in := range c.Inputs {
			if in.Type != "promptString" || in.ID == "" || in.Description == "" {
				return nil, fmt.Errorf("input %+v: want a promptString with an id and a description", in)
			}
			inputs[in.ID] = in.Password
		}
		ref := regexp.MustCompile(`\$\{input:([^}]*)\}`)
		for name, srv := range c.Servers {
			if srv.Type != "stdio" || !filepath.IsAbs(srv.Command) {
				return nil, fmt.Errorf("server %s: type %q, command %q: want stdio and a full path", name, srv.Type, srv.Command)
			}
			env := map[string]string{}
			for k, v := range srv.Env {
				for _, m := range ref.FindAllStringSubmatch(v, -1) {
					password, ok := inputs[m[1]]
					if !ok {
						return nil, fmt.Errorf("server %s: %s uses ${input:%s}, which inputs does not declare", name, k, m[1])
					}
					if k == "PFSENSE_API_KEY" && !password {
						return nil, fmt.Errorf("input %s holds the API key: it must be a password input", m[1])
					}
					// The user's answer to the prompt: the placeholder the test substitutes.
					v = strings.ReplaceAll(v, m[0], placeholders[k])
				}
				env[k] = v
			}
			out = append(out, launch{name, srv.Command, srv.Args, env})
		}
	case "codex":
		var c codexConfig
		md, err := toml.Decode(s.text, &c)
		if err != nil {
			return nil, err
		}
		if extra := md.Undecoded(); len(extra) > 0 {
			return nil, fmt.Errorf("keys Codex does not know: %v", extra)
		}
		for name, srv := range c.MCPServers {
			if !regexp.MustCompile(`^[a-zA-Z0-9_-]+$`).MatchString(name) {
				return nil, fmt.Errorf("server name %q: Codex takes letters, digits, - and _", name)
			}
			out = append(out, launch{name, srv.Command, srv.Args, srv.Env})
		}
	case "claude-code":
		argv, err := runClaudeCodeLine(t, s.text)
		if err != nil {
			return nil, err
		}
		l, err := parseClaudeMCPAdd(argv)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	default:
		return nil, fmt.Errorf("no parser for client %q", who)
	}
	if len(out) != 1 {
		return nil, fmt.Errorf("%d servers, want one", len(out))
	}
	return out, nil
}

// runClaudeCodeLine runs the README's shell line with a stand-in `claude` on PATH that records
// the arguments the shell gives it.
func runClaudeCodeLine(t *testing.T, line string) ([]string, error) {
	t.Helper()
	dir := t.TempDir()
	rec := filepath.Join(dir, "argv")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > " + rec + "\n"
	if err := os.WriteFile(filepath.Join(dir, "claude"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-e", "-c", line)
	cmd.Env = []string{"PATH=" + dir + ":/usr/bin:/bin", "HOME=" + dir}
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("sh: %v\n%s", err, out)
	}
	b, err := os.ReadFile(rec)
	if err != nil {
		return nil, fmt.Errorf("the line does not run claude: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00"), nil
}

// parseClaudeMCPAdd reads `claude mcp add` arguments as Claude Code's command line does
// (commander): `add [options] <name> <commandOrUrl> [args...]` with -s/--scope local|user|project,
// -t/--transport stdio|sse|http and the variadic -e/--env KEY=value..., which takes every
// following word up to the next option, so the name must not follow it.
func parseClaudeMCPAdd(argv []string) (launch, error) {
	if len(argv) < 2 || argv[0] != "mcp" || argv[1] != "add" {
		return launch{}, fmt.Errorf("claude %v: want claude mcp add ...", argv)
	}
	l := launch{env: map[string]string{}}
	var positional []string
	for i := 2; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--":
			positional = append(positional, argv[i+1:]...)
			i = len(argv)
		case a == "-e" || a == "--env":
			for i+1 < len(argv) && !strings.HasPrefix(argv[i+1], "-") {
				i++
				k, v, ok := strings.Cut(argv[i], "=")
				if !ok || k == "" {
					return launch{}, fmt.Errorf("--env %q: want KEY=value (a name after -e is taken as a variable)", argv[i])
				}
				l.env[k] = v
			}
		case a == "-s" || a == "--scope":
			i++
			if i >= len(argv) || !slices.Contains([]string{"local", "user", "project"}, argv[i]) {
				return launch{}, fmt.Errorf("--scope: want local, user or project")
			}
		case a == "-t" || a == "--transport":
			i++
			if i >= len(argv) || argv[i] != "stdio" {
				return launch{}, fmt.Errorf("--transport: this server speaks stdio")
			}
		case strings.HasPrefix(a, "-"):
			return launch{}, fmt.Errorf("option %s: not one of claude mcp add's", a)
		default:
			positional = append(positional, a)
		}
	}
	if len(positional) < 2 {
		return launch{}, fmt.Errorf("claude mcp add %v: want a name and a command", argv[2:])
	}
	l.name, l.command, l.args = positional[0], positional[1], positional[2:]
	return l, nil
}

// Every client setup in the README is read as that client reads it, and the server it
// describes starts and serves an MCP session: the demo ones as written, the others against a
// simulated firewall put in place of the placeholders.
func TestReadmeClientSetups(t *testing.T) {
	if runtime.GOOS+"/"+runtime.GOARCH != "linux/amd64" {
		t.Skipf("this host is %s/%s: the linux/amd64 binary cannot run here", runtime.GOOS, runtime.GOARCH)
	}
	files := releaseFiles(t)
	v := moduleVersion(t)
	dir := t.TempDir()
	extract(t, readArchive(t, files[archiveName(v, platform{"linux", "amd64"})]), dir)
	bin := filepath.Join(dir, "pfsense-mcp_"+v+"_linux_amd64", "pfsense-mcp")

	const key = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed"
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	real := map[string]string{"PFSENSE_URL": fw.URL, "PFSENSE_API_KEY": key, "PFSENSE_TLS_FINGERPRINT": fw.CertFingerprintSHA256}
	settings := map[string]bool{}
	for _, s := range config.Settings() {
		settings[s[1]] = true
	}
	reads := 0
	for _, tool := range tooldefs.Tools {
		if !tool.Mutation && !tool.Dangerous {
			reads++
		}
	}

	covered := map[string]bool{}
	for _, s := range readSnippets(t) {
		for _, who := range s.who {
			if who == "install" {
				continue
			}
			label := fmt.Sprintf("README.md:%d (%s, demo=%v)", s.line, who, s.demo)
			covered[fmt.Sprint(who, s.demo)] = true
			launches, err := parse(t, s, who)
			if err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			l := launches[0]
			if base := filepath.Base(l.command); base != "pfsense-mcp" {
				t.Errorf("%s: command %q does not start pfsense-mcp", label, l.command)
				continue
			}
			env := []string{"HOME=" + t.TempDir()}
			for k, val := range l.env {
				if !settings[k] {
					t.Errorf("%s: %s is not a pfsense-mcp setting", label, k)
				}
				if s.demo {
					t.Errorf("%s: the demo needs no %s", label, k)
				}
				if want, ok := placeholders[k]; ok {
					if val != want {
						t.Errorf("%s: %s = %q, want the placeholder %q the README explains", label, k, val, want)
					}
					val = real[k]
				}
				env = append(env, k+"="+val)
			}
			if s.demo != slices.Equal(l.args, []string{"--demo"}) || (!s.demo && len(l.env) != len(placeholders)) {
				t.Errorf("%s: args %v, env %v: the demo runs with --demo alone, the real setup with %v", label, l.args, l.env, slices.Sorted(maps.Keys(placeholders)))
				continue
			}
			r, err := smoke.Run(smoke.Server{Command: bin, Args: l.args, Env: env})
			if err != nil {
				t.Errorf("%s: %v", label, err)
				continue
			}
			if len(r.Tools) != reads+len(mcpserver.OwnTools()) || strings.Contains(r.Stderr, key) {
				t.Errorf("%s: %d tools (want %d), or the key is in the log", label, len(r.Tools), reads+len(mcpserver.OwnTools()))
			}
		}
	}
	for _, c := range clients {
		for _, demo := range []bool{false, true} {
			if !covered[fmt.Sprint(c, demo)] {
				t.Errorf("README.md has no snippet for %s (demo=%v)", c, demo)
			}
		}
	}
}

// The install block works as written against this release: it downloads the archive and
// SHA256SUMS (from a local copy of the release's download URLs), checks the sum, installs the
// binary and runs it.
func TestReadmeInstallBlock(t *testing.T) {
	files := releaseFiles(t)
	v := moduleVersion(t)
	var block *snippet
	for _, s := range readSnippets(t) {
		if slices.Contains(s.who, "install") {
			block = &s
		}
	}
	if block == nil {
		t.Fatal("README.md has no <!-- snippet: install --> block")
	}
	if m := regexp.MustCompile(`(?m)^VERSION=(\S+)$`).FindStringSubmatch(block.text); m == nil || m[1] != v {
		t.Fatalf("the install block sets VERSION=%v; the release is %s (MODULE.bazel)", m, v)
	}
	repo := registryDoc(t).Repository.URL
	if !strings.Contains(block.text, repo+"/releases/download/v$VERSION/") {
		t.Fatalf("the install block does not download from %s/releases/download/v$VERSION/ (server.json's repository)", repo)
	}
	root := t.TempDir()
	assets := filepath.Join(root, "mirror", "releases", "download", "v"+v)
	if err := os.MkdirAll(assets, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, p := range files {
		if err := os.Symlink(p, filepath.Join(assets, name)); err != nil {
			t.Fatal(err)
		}
	}
	home, work := filepath.Join(root, "home"), filepath.Join(root, "work")
	for _, d := range []string{home, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Run as pasted into an interactive shell: no -e, so the block itself must stop on a bad sum.
	run := func() (string, error) {
		cmd := exec.Command("/bin/bash", "-c", strings.ReplaceAll(block.text, repo, "file://"+filepath.Join(root, "mirror")))
		cmd.Dir = work
		cmd.Env = []string{"HOME=" + home, "PATH=" + filepath.Join(home, ".local", "bin") + ":/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	installed := filepath.Join(home, ".local", "bin", "pfsense-mcp")
	out, err := run()
	if err != nil {
		t.Fatalf("the install block failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, ".tar.gz: OK\n") || !strings.Contains(out, "pfsense-mcp "+v+"\n") {
		t.Errorf("the install block did not check the sum and run the installed binary:\n%s", out)
	}
	if fi, err := os.Stat(installed); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("installed binary: %v %v", fi, err)
	}

	// A download that does not match SHA256SUMS is not installed.
	if err := os.RemoveAll(filepath.Join(home, ".local")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(work); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	name := archiveName(v, platform{runtime.GOOS, runtime.GOARCH})
	tampered := append(readPath(t, files[name]), 0)
	if err := os.Remove(filepath.Join(assets, name)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(assets, name), tampered, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = run()
	if err == nil || !strings.Contains(out, "FAILED") {
		t.Errorf("with a tampered archive the block exits %v:\n%s", err, out)
	}
	if _, err := os.Stat(installed); err == nil {
		t.Errorf("with a tampered archive the block still installs %s", installed)
	}
}
