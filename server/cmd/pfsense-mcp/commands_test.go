package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/buildinfo"
	"github.com/pfsense-mcp/pfsense-mcp/internal/specsummary"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// runChild runs the server binary (this test binary in server mode) with args and returns its
// stdout, stderr and exit status.
func runChild(t *testing.T, stdin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = serverEnv(append(env, "PFSENSE_AUDIT_LOG=off", "HOME="+t.TempDir())...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
		return "", "", -1
	}
}

// --version names the module version the build was given (MODULE.bazel, passed by BUILD.bazel
// as PFSENSE_MCP_MODULE_VERSION), and the spec's version and operation count.
func TestVersion(t *testing.T) {
	raw, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := specsummary.Read(raw)
	if err != nil {
		t.Fatal(err)
	}
	version := buildinfo.Version()
	if want := os.Getenv("PFSENSE_MCP_MODULE_VERSION"); want != "" && version != want {
		t.Errorf("buildinfo.Version() = %q, want MODULE.bazel's %q", version, want)
	} else if want == "" {
		t.Logf("outside Bazel: the version %q is not compared with MODULE.bazel", version)
	}
	own := len(mcpserver.OwnToolsFor(true)) // every tool the server can list: writes on
	want := fmt.Sprintf("pfsense-mcp %s\nspec: pfSense REST API %s\ntools: %d (%d generated from the spec's operations, %d of the server's own)\n",
		version, spec.Version, spec.Operations+own, spec.Operations, own)
	for _, args := range [][]string{{"--version"}, {"--demo", "--version"}, {"-version"}} {
		stdout, stderr, code := runChild(t, "", nil, args...)
		if code != 0 || !strings.HasPrefix(stdout, want) || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want stdout starting %q", args, code, stdout, stderr, want)
		}
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	_, stderr, code := runChild(t, "", nil, "doctr")
	if code != 2 || stderr != "pfsense-mcp: unknown command \"doctr\": the commands are "+commandNames()+"; the server itself takes only flags and PFSENSE_* variables (see --help)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runChild(t, "", nil, "--help")
	if code != 0 || !strings.Contains(stderr, "\nCommands (pfsense-mcp COMMAND [flags]") || !strings.Contains(stderr, "\n  tools ") || !strings.Contains(stderr, "-allow-writes") {
		t.Errorf("--help: exit %d, stderr %s", code, stderr)
	}
}

var (
	toolsRow   = regexp.MustCompile(`(?m)^([ *]) (\S+(?: \S+)?)\s+(\d+)\s+(\d+)\s+~\S+\s+(\d+)$`)
	toolsTotal = regexp.MustCompile(`(?m)^tools/list: (\d+) tools, (\d+) bytes`)
)

// wireToolsList runs a demo session with flags and returns the raw tools/list result and its
// tools, byte for byte as a client receives them.
func wireToolsList(t *testing.T, flags []string) (json.RawMessage, []json.RawMessage) {
	t.Helper()
	const hello = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}
`
	stdout, stderr, code := runChild(t, hello, nil, append([]string{"--demo"}, flags...)...)
	if code != 0 {
		t.Fatalf("demo %v: exit %d: %s", flags, code, stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
		}
		if json.Unmarshal(sc.Bytes(), &m) != nil || m.ID != 2 {
			continue
		}
		var r struct {
			Tools []json.RawMessage `json:"tools"`
		}
		if err := json.Unmarshal(m.Result, &r); err != nil {
			t.Fatal(err)
		}
		return m.Result, r.Tools
	}
	t.Fatalf("demo %v: no tools/list answer in %q", flags, stdout)
	return nil, nil
}

// `pfsense-mcp tools` reports, per module, exactly the tools and bytes that a real tools/list
// answer with the same settings carries, and the totals of that answer.
func TestToolsReportMatchesTheWire(t *testing.T) {
	moduleOf := map[string]string{}
	for _, tool := range tooldefs.Tools {
		moduleOf[tool.Name] = tool.Module
	}
	for _, flags := range [][]string{
		nil,
		{"--allow-writes", "--modules=firewall,interface"},
		{"--allow-writes", "--allow-dangerous", "--tool-mode=discovery", "--modules=system"},
	} {
		stdout, stderr, code := runChild(t, "", nil, append([]string{"tools"}, flags...)...)
		if code != 0 {
			t.Fatalf("tools %v: exit %d: %s", flags, code, stderr)
		}
		type row struct{ tools, bytes, hidden int }
		report := map[string]row{}
		enabled := map[string]bool{}
		for _, m := range toolsRow.FindAllStringSubmatch(stdout, -1) {
			n, _ := strconv.Atoi(m[3])
			b, _ := strconv.Atoi(m[4])
			h, _ := strconv.Atoi(m[5])
			report[m[2]] = row{n, b, h}
			enabled[m[2]] = m[1] == "*"
		}
		total := toolsTotal.FindStringSubmatch(stdout)
		if total == nil || len(report) == 0 {
			t.Fatalf("tools %v: cannot read the report:\n%s", flags, stdout)
		}

		result, tools := wireToolsList(t, flags)
		if total[1] != strconv.Itoa(len(tools)) || total[2] != strconv.Itoa(len(result)) {
			t.Errorf("tools %v: reports %s tools, %s bytes; tools/list sent %d tools, %d bytes", flags, total[1], total[2], len(tools), len(result))
		}
		if slices.Contains(flags, "--tool-mode=discovery") {
			// The module rows are the full-mode cost; discovery lists its own few.
			if len(tools) != len(mcpserver.DiscoveryListed(slices.Contains(flags, "--allow-writes"))) {
				t.Errorf("discovery listed %d tools", len(tools))
			}
			continue
		}
		wire := map[string]row{}
		for _, raw := range tools {
			var tool struct{ Name string }
			if err := json.Unmarshal(raw, &tool); err != nil {
				t.Fatal(err)
			}
			m, ok := moduleOf[tool.Name]
			if !ok {
				m = ownModule
			}
			r := wire[m]
			r.tools++
			r.bytes += len(raw)
			wire[m] = r
		}
		for m, w := range wire {
			if got := report[m]; got.tools != w.tools || got.bytes != w.bytes {
				t.Errorf("tools %v: module %s reported %d tools, %d bytes; tools/list sent %d tools, %d bytes", flags, m, got.tools, got.bytes, w.tools, w.bytes)
			}
		}
		// Hidden counts come from the table's own flags, not from the inventory.
		writes := slices.Contains(flags, "--allow-writes")
		hidden := map[string]int{}
		for _, tool := range tooldefs.Tools {
			if (tool.Mutation && !writes) || tool.Dangerous {
				hidden[tool.Module]++
			}
		}
		for m, r := range report {
			if m != ownModule && r.hidden != hidden[m] {
				t.Errorf("tools %v: module %s reports %d hidden, the table has %d", flags, m, r.hidden, hidden[m])
			}
			if len(flags) > 0 && enabled[m] != (m == "firewall" || m == "interface") {
				t.Errorf("tools %v: module %s marked enabled=%v", flags, m, enabled[m])
			}
		}
	}
}

func TestToolsRefusesAnUnknownModule(t *testing.T) {
	_, stderr, code := runChild(t, "", []string{"PFSENSE_MODULES=firewal"}, "tools")
	if code != 2 || !strings.HasPrefix(stderr, "pfsense-mcp: PFSENSE_MODULES: \"firewal\" is not a module; valid modules: ") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
