package e2e_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/fakemodel"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/claudecode"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
)

// ClaudeBinEnv names another Claude Code CLI for TestClaudeCodeConsumer. Under Bazel the test
// runs the pinned CLI of third_party/npm (a data dependency, found through
// ClaudeRlocationEnv); with plain `go test`, this variable or `claude` on PATH.
const (
	ClaudeBinEnv       = "BANKTESTER_CLAUDE_BIN"
	ClaudeRlocationEnv = "CLAUDE_CODE_RLOCATION"
)

// claudeBin finds the CLI; "" only outside Bazel when none is installed.
func claudeBin(t *testing.T) string {
	if p := os.Getenv(ClaudeBinEnv); p != "" {
		return p
	}
	if loc := os.Getenv(ClaudeRlocationEnv); loc != "" {
		p, err := runfiles.Rlocation(loc)
		if err != nil {
			t.Fatalf("the pinned Claude Code CLI (%s) is not in the runfiles: %v", loc, err)
		}
		return p
	}
	if p, err := exec.LookPath("claude"); err == nil {
		return p
	}
	return ""
}

// The real Claude Code CLI against the fake model endpoint (streaming Messages API): the CLI
// starts the real server from the MCP config, the fake script drives it, and the bank tester
// reads the calls, usage and report from the CLI's stream-json.
func TestClaudeCodeConsumer(t *testing.T) {
	bin := claudeBin(t)
	if bin == "" {
		t.Skipf("outside Bazel and no Claude Code CLI here: run it with `tools/bazel test //banktester/e2e:e2e_test` (the pinned CLI), or set $%s", ClaudeBinEnv)
	}
	fake, err := fakemodel.Start(script(t, goodReport), fakemodel.Options{APIKey: "sk-ant-fake", SideRequests: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	home := t.TempDir()
	c := &claudecode.Consumer{Bin: bin, ModelName: "claude-sonnet-4-5", BaseURL: fake.URL, MaxTurns: 20,
		Env: []string{"ANTHROPIC_API_KEY=sk-ant-fake", "HOME=" + home, "CLAUDE_CONFIG_DIR=" + home + "/.claude",
			"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1", "DISABLE_TELEMETRY=1"}}
	_, out := run(t, c, "full", []*task.Task{aliasTask}, 1)
	m := readMeta(t, out, aliasTask.ID)
	if m.Status != report.StatusSuccess {
		var sides []string
		for _, r := range fake.Requests() {
			sides = append(sides, r.API+" "+r.Error)
		}
		t.Fatalf("meta = %+v\nfake requests: %s", m, strings.Join(sides, "; "))
	}
	// list, a bad create, then preview and confirm of the create, the delete and the apply.
	if m.Calls != 8 || m.FirstAttempts != 7 || m.FirstAttemptOK != 6 {
		t.Errorf("calls %d, first attempts %d ok %d", m.Calls, m.FirstAttempts, m.FirstAttemptOK)
	}
	if m.Usage.OutputTokens == 0 || m.ToolsOffered != len(exposedWrites(t)) {
		t.Errorf("usage %+v, tools offered %d", m.Usage, m.ToolsOffered)
	}
	side := 0
	for _, r := range fake.Requests() {
		if r.API == "anthropic-side" {
			side++
		}
	}
	t.Logf("claude-code: %d calls, %d tokens in, %d out, %d requests of its own answered outside the script", m.Calls, m.Usage.InputTokens, m.Usage.OutputTokens, side)
	res := fake.Results()
	if len(res) != 8 || !strings.Contains(res[2].Content, `"confirm_token":"cfm_`) || !strings.Contains(res[3].Content, `"name":"bt_fake"`) || !res[1].IsError {
		t.Errorf("tool results = %+v", res)
	}
}
