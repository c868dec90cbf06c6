// Package e2e_test runs the bank tester end to end: the real pfsense-mcp binary (a runfile),
// in-process simulators as targets, the runner with parallel workers, and the consumers: the
// scripted one replaying the generated plans (every exposed tool at least once), and the
// Anthropic and OpenAI-compatible ones against the fake model endpoint over real HTTP.
package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/scripted"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/mcpsession"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/results"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/runner"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/target"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/taskgen"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/prompt"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
)

func serverBin(t *testing.T) string {
	t.Helper()
	bin, err := mcpsession.Binary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// allTasks are the built-in tasks: generated from the table, and hand-written.
func allTasks(t *testing.T) []*task.Task {
	t.Helper()
	all, err := taskgen.BuiltIn(tooldefs.Tools)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// keyRecorder is the simulator provider, remembering the API keys of the targets it started.
type keyRecorder struct {
	target.Simulator
	mu   sync.Mutex
	keys []string
}

func (p *keyRecorder) Start(ctx context.Context, worker int) (target.Running, error) {
	r, err := p.Simulator.Start(ctx, worker)
	if err == nil {
		p.mu.Lock()
		p.keys = append(p.keys, r.Firewall().APIKey)
		p.mu.Unlock()
	}
	return r, err
}

// checkNoKeys fails if a results file holds a target's API key.
func checkNoKeys(t *testing.T, out string, keys []string) {
	t.Helper()
	if len(keys) == 0 {
		t.Fatal("no target was started")
	}
	files := 0
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if strings.Contains(string(b), k) {
				t.Errorf("%s holds a firewall API key", path)
			}
		}
		return nil
	})
	if err != nil || files < 6 { // run.json, summary.json, and a transcript, server log, meta.json... per task
		t.Errorf("walked %d files: %v", files, err)
	}
}

func run(t *testing.T, c consumer.Consumer, mode string, ts []*task.Task, workers int) (*results.Summary, string) {
	t.Helper()
	out := t.TempDir()
	provider := &keyRecorder{}
	t.Cleanup(func() {
		if !t.Failed() {
			checkNoKeys(t, out, provider.keys)
		}
	})
	sum, err := runner.Run(context.Background(), runner.Options{
		Consumer: c, Provider: provider, Workers: workers, Tasks: ts, OutDir: out, ServerBin: serverBin(t),
		ToolMode: mode, TaskTimeout: 2 * time.Minute, ResetTarget: true, SystemPrompt: prompt.Tester, Progress: io.Discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum, out
}

// knownFailuresFile is the table, a data file next to the test (the test runs in its package's
// directory, under Bazel as under go test).
func knownFailuresFile(*testing.T) string { return "known_failures.txt" }

// knownFailures reads known_failures.txt: the tasks whose generated plans the REST API's rules
// do not accept yet, for this spec's version, with why.
func knownFailures(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(knownFailuresFile(t))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, " ", 3)
		if len(f) != 3 {
			t.Fatalf("known_failures.txt:%d: want <task> <versions> <why>: %q", i+1, line)
		}
		if f[1] == "*" || slices.Contains(strings.Split(f[1], ","), tooldefs.SpecVersion) {
			known[f[0]] = f[2]
		}
	}
	return known
}

// explainFailures shows, for every task that did not succeed, the steps that did not answer
// as expected: the call and the answer. Tasks in known (known_failures.txt) are reported, not
// failed; a known task that succeeds fails the test, so that the list only shrinks.
func explainFailures(t *testing.T, out string, sum *results.Summary, known map[string]string) {
	t.Helper()
	for _, line := range sum.PerTask {
		if line.Status == report.StatusSuccess {
			if why, ok := known[line.ID]; ok {
				t.Errorf("task %s succeeds now: take it out of known_failures.txt (it was listed for: %s)", line.ID, why)
			}
			continue
		}
		if why, ok := known[line.ID]; ok {
			t.Logf("known failure: task %s: %s (%s)", line.ID, line.Status, why)
			continue
		}
		msg := fmt.Sprintf("task %s: %s %s", line.ID, line.Status, line.Note)
		if b, err := os.ReadFile(filepath.Join(results.TaskDir(out, line.ID), "report.json")); err == nil {
			var r report.Report
			if json.Unmarshal(b, &r) == nil {
				for _, d := range r.Details {
					args, _ := json.Marshal(d.Params)
					msg += fmt.Sprintf("\n    %s\n      call:   %s %s\n      answer: %s", d.Diagnosis, d.Tool, args, d.Error)
				}
			}
		}
		t.Error(msg)
	}
}

// The CI plan: with everything exposed, the scripted consumer replays the generated plans
// (and the hand-written ones) through the real server against simulators, in two workers, and
// invokes every exposed tool at least once with no unexpected answer.
func TestScriptedPlanInvokesEveryTool(t *testing.T) {
	for _, mode := range []string{"full", "discovery"} {
		t.Run(mode, func(t *testing.T) {
			tasks := allTasks(t)
			sum, out := run(t, scripted.Consumer{}, mode, tasks, 2)
			known := knownFailures(t)
			explainFailures(t, out, sum, known)
			// Every tool is invoked, but those that only known failures exercise (their steps
			// after the one refused do not run).
			excused, required := map[string]bool{}, map[string]bool{}
			for _, tk := range tasks {
				for _, name := range tk.Tools {
					if _, ok := known[tk.ID]; ok {
						excused[name] = true
					} else {
						required[name] = true
					}
				}
			}
			var missed, excusedMissed []string
			for _, name := range sum.Coverage.NeverInvoked {
				if excused[name] && !required[name] {
					excusedMissed = append(excusedMissed, name)
				} else {
					missed = append(missed, name)
				}
			}
			want := len(tooldefs.Tools) + len(mcpserver.OwnToolsFor(true))
			if sum.Coverage.Exposed != want || sum.Coverage.Invoked+len(excusedMissed) != want || len(missed) != 0 {
				t.Errorf("coverage %d/%d (want %d/%d, %d excused by known failures); never invoked: %v", sum.Coverage.Invoked, sum.Coverage.Exposed, want, want, len(excusedMissed), missed)
			}
			if len(excusedMissed) > 0 {
				t.Logf("%d tools not invoked because only known failures exercise them: %v", len(excusedMissed), excusedMissed)
			}
			if len(sum.Coverage.InvokedNotExposed) != 0 {
				t.Errorf("called but not exposed: %v", sum.Coverage.InvokedNotExposed)
			}
			failing := 0
			for _, line := range sum.PerTask {
				if line.Status != report.StatusSuccess {
					failing++
				}
			}
			if sum.Tasks.Success+failing != sum.Tasks.Total || sum.Tasks.Total < 150 {
				t.Errorf("tasks: %+v", sum.Tasks)
			}
			t.Logf("%s mode: %d of %d tasks succeed; %d known failures (known_failures.txt)", mode, sum.Tasks.Success, sum.Tasks.Total, failing)
			t.Logf("%s mode: %d tasks, %d/%d tools, %d calls, %.1f s summed over tasks", mode, sum.Tasks.Total, sum.Coverage.Invoked,
				sum.Coverage.Exposed, sum.Calls.Total, float64(sum.WallMS)/1000)
		})
	}
}

// A plan step whose answer is not the expected one fails the task, and the report names the
// step, the call and the answer.
func TestScriptedReportsUnexpectedAnswers(t *testing.T) {
	tk := &task.Task{ID: "bad-plan", Title: "A plan with wrong expectations", Kind: task.KindScenario, Body: "x", NeedsWrites: true}
	p := `{"task_id":"bad-plan","steps":[
		{"tool":"pfsense_list_firewall_aliases","expect":{"contains":["no_such_alias"]}},
		{"id":"c","tool":"pfsense_create_firewall_alias","args":{"name":"bt_x","type":"nonsense","confirm":true}},
		{"tool":"pfsense_delete_firewall_alias","args":{"id":"${c.data.id}","confirm":true}},
		{"tool":"pfsense_overview"}]}`
	var err error
	if tk.Plan, err = parsePlan(p); err != nil {
		t.Fatal(err)
	}
	sum, out := run(t, scripted.Consumer{}, "full", []*task.Task{tk}, 1)
	if sum.Tasks.Partial != 1 {
		t.Fatalf("tasks = %+v", sum.Tasks)
	}
	b, err := os.ReadFile(filepath.Join(results.TaskDir(out, "bad-plan"), "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r report.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Details) != 3 || r.FirstAttemptFailures != 3 || r.TotalToolCalls != 3 {
		t.Fatalf("report = %s", b)
	}
	for i, want := range []string{
		`step 1 (pfsense_list_firewall_aliases): the answer does not contain "no_such_alias"`,
		"step 2 (c): expected ok, got an error",
		"step 3 (pfsense_delete_firewall_alias) was not run: its arguments need an earlier answer",
	} {
		if r.Details[i].Diagnosis != want {
			t.Errorf("detail %d diagnosis = %q, want %q", i, r.Details[i].Diagnosis, want)
		}
	}
	if !strings.Contains(r.Details[1].Error, "Invalid arguments for pfsense_create_firewall_alias") || r.Details[1].Category != "unexpected_error" {
		t.Errorf("detail 2 = %+v", r.Details[1])
	}
}
