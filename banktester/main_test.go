package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/results"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/taskgen"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
)

func cli(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGenerateWritesTasksAndPlans(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := cli("generate", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	md, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	plans, _ := filepath.Glob(filepath.Join(dir, "*.plan.json"))
	if len(md) < 150 || len(plans) != len(md) {
		t.Errorf("%d task files, %d plans", len(md), len(plans))
	}
	covering := fmt.Sprintf("tasks covering %d tools to %s", len(tooldefs.Tools)+len(taskgen.ServerTools), dir)
	if !strings.HasPrefix(out, "wrote ") || !strings.Contains(out, covering) {
		t.Errorf("output = %q", out)
	}
	// The folder can be run as --tasks: listing reads it back.
	code, out, errOut = cli("run", "--tasks", dir, "--filter", "^crud-firewall_alias$", "--list")
	if code != 0 || out != "crud-firewall_alias\tcrud\tfirewall\t6 tools\n" {
		t.Errorf("list of the written tasks: exit %d, %q %s", code, out, errOut)
	}
}

func TestListSelectsTasks(t *testing.T) {
	code, out, errOut := cli("--list", "--kinds", "scenario")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 || !strings.HasPrefix(lines[0], "scenario-add-wireguard-peer\tscenario\tvpn_wireguard\t") {
		t.Errorf("scenario tasks:\n%s", out)
	}
	code, out, _ = cli("--list", "--modules", "firewall", "--kinds", "crud,adversarial", "--limit", "2")
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("limited list: %q", out)
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--kinds", "crud,nope"}, `--kinds: "nope" is not a kind; valid: crud, settings`},
		{[]string{"--tool-mode", "lazy"}, `--tool-mode "lazy": want full or discovery`},
		{[]string{"--filter", "("}, "--filter: error parsing regexp"},
		{[]string{"--filter", "^nothing-matches$"}, "no task matches the filters"},
		{[]string{"--consumer", "gpt"}, `--consumer "gpt": want scripted, anthropic, openai or claude-code`},
		{[]string{"--consumer", "anthropic"}, "--consumer anthropic needs --model"},
		{[]string{"--consumer", "openai"}, "--consumer openai needs --model"},
		{[]string{"--target", "cloud"}, `--target "cloud": want sim or vm`},
	} {
		code, _, errOut := cli(tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if code, _, errOut := cli("frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	t.Setenv("ANTHROPIC_API_KEY", "")
	if code, _, errOut := cli("--consumer", "anthropic", "--model", "m"); code != 2 || !strings.Contains(errOut, "needs the API key in $ANTHROPIC_API_KEY") {
		t.Errorf("anthropic without a key: %d %q", code, errOut)
	}
}

// writeRun makes a results folder with one complete task.
func writeRun(t *testing.T, dir, mode string, wallMS int64) {
	t.Helper()
	if err := os.MkdirAll(results.TaskDir(dir, "t1"), 0o755); err != nil {
		t.Fatal(err)
	}
	run := &results.Run{Started: time.Now(), Consumer: "anthropic", Model: "m", ToolMode: mode, Target: "sim", Tasks: []string{"t1"},
		Exposure: map[string][]string{"read-only": {"pfsense_overview", "pfsense_pending_changes"}}}
	if err := results.WriteJSON(filepath.Join(dir, "run.json"), run); err != nil {
		t.Fatal(err)
	}
	meta := &results.Meta{TaskID: "t1", Kind: "read_only", Status: "success", Exposure: "read-only", Calls: 1, FirstAttempts: 1, FirstAttemptOK: 1,
		ToolsInvoked: []string{"pfsense_overview"}, WallMS: wallMS, Usage: transcript.Usage{InputTokens: 500, OutputTokens: 50}, Complete: true}
	if err := results.WriteJSON(filepath.Join(results.TaskDir(dir, "t1"), "meta.json"), meta); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(results.TaskDir(dir, "t1"), "transcript.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	tr := transcript.New(f)
	tr.Write(transcript.Entry{Type: transcript.TypeToolCall, Call: &transcript.ToolCall{Seq: 1, Tool: "pfsense_overview", Target: "pfsense_overview"}})
	f.Close()
}

func TestSummaryCompareRecord(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	writeRun(t, a, "full", 4000)
	writeRun(t, b, "discovery", 3000)
	code, out, errOut := cli("summary", a)
	if code != 0 || !strings.Contains(out, "coverage        1/2 tools invoked (50.0%)") {
		t.Errorf("summary: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(a, "summary.json")); err != nil {
		t.Errorf("summary.json not written: %v", err)
	}
	code, out, errOut = cli("compare", a, b)
	if code != 0 || !strings.Contains(out, "wall time s") || !strings.Contains(out, "-1") {
		t.Errorf("compare: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(b, "compare.json")); err != nil {
		t.Errorf("compare.json not written: %v", err)
	}
	planPath := filepath.Join(t.TempDir(), "t1.plan.json")
	code, out, errOut = cli("record", "--out", planPath, a, "t1")
	if code != 0 || !strings.Contains(out, "wrote a plan of 1 steps") {
		t.Errorf("record: %d %s %s", code, out, errOut)
	}
	if b, err := os.ReadFile(planPath); err != nil || !strings.Contains(string(b), `"tool": "pfsense_overview"`) {
		t.Errorf("recorded plan: %s %v", b, err)
	}
	if code, _, errOut := cli("compare", a); code != 1 || !strings.Contains(errOut, "want two results folders") {
		t.Errorf("compare with one folder: %d %q", code, errOut)
	}
}
