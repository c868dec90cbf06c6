package e2e_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/fakemodel"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/anthropic"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/openai"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/scripted"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/results"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
)

func parsePlan(s string) (*plan.Plan, error) { return plan.Parse([]byte(s)) }

var aliasTask = &task.Task{ID: "crud-alias-fake", Title: "Create and delete an alias", Kind: task.KindCRUD, Module: "firewall",
	NeedsWrites: true, Body: "# Create and delete an alias\n\nCreate bt_fake, then delete it."}

// createdID reads the id from the answer of the confirmed create.
func createdID(t *testing.T, results []fakemodel.ToolResult) any {
	for _, r := range results {
		if r.Name == "pfsense_create_firewall_alias" && strings.Contains(r.Content, `"data":{`) {
			var v struct {
				Data struct {
					ID any `json:"id"`
				} `json:"data"`
			}
			if err := json.Unmarshal([]byte(r.Content), &v); err == nil {
				return v.Data.ID
			}
		}
	}
	t.Errorf("no confirmed create among the tool results: %+v", results)
	return -1
}

// lastToken reads the confirm_token of the last preview among the tool results.
func lastToken(t *testing.T, results []fakemodel.ToolResult) string {
	for i := len(results) - 1; i >= 0; i-- {
		var v struct {
			Token string `json:"confirm_token"`
		}
		if json.Unmarshal([]byte(results[i].Content), &v) == nil && v.Token != "" {
			return v.Token
		}
	}
	t.Errorf("no preview with a confirm_token among the tool results: %+v", results)
	return ""
}

// with returns args plus confirm.
func with(args map[string]any, confirm any) map[string]any {
	out := map[string]any{"confirm": confirm}
	for k, v := range args {
		out[k] = v
	}
	return out
}

// script: list, a create with a wrong enum (refused locally), its retry without confirm (a
// preview), the create confirmed with the preview's token, then the delete of the id the
// firewall gave and the apply, each previewed and confirmed the same way, then the report.
func script(t *testing.T, finalText string) []fakemodel.Turn {
	alias := map[string]any{"name": "bt_fake", "type": "host", "address": []any{"192.0.2.77"}}
	var deleteArgs map[string]any
	return []fakemodel.Turn{
		{Text: "Let me look first.", Calls: []fakemodel.Call{{Name: "pfsense_list_firewall_aliases", Args: map[string]any{"limit": 5}}},
			InputTokens: 30000, OutputTokens: 40},
		{Calls: []fakemodel.Call{{Name: "pfsense_create_firewall_alias", Args: map[string]any{"name": "bt_fake", "type": "hosts", "address": []any{"192.0.2.77"}}}},
			InputTokens: 30500, OutputTokens: 60},
		{Calls: []fakemodel.Call{{Name: "pfsense_create_firewall_alias", Args: alias}}, InputTokens: 31000, OutputTokens: 50},
		{CallsFrom: func(res []fakemodel.ToolResult) []fakemodel.Call {
			return []fakemodel.Call{{Name: "pfsense_create_firewall_alias", Args: with(alias, lastToken(t, res))}}
		}, InputTokens: 31500, OutputTokens: 55},
		{CallsFrom: func(res []fakemodel.ToolResult) []fakemodel.Call {
			deleteArgs = map[string]any{"id": createdID(t, res)}
			return []fakemodel.Call{{Name: "pfsense_delete_firewall_alias", Args: deleteArgs}}
		}, InputTokens: 32000, OutputTokens: 70},
		{CallsFrom: func(res []fakemodel.ToolResult) []fakemodel.Call {
			return []fakemodel.Call{{Name: "pfsense_delete_firewall_alias", Args: with(deleteArgs, lastToken(t, res))}}
		}, InputTokens: 32500, OutputTokens: 50},
		{Calls: []fakemodel.Call{{Name: "pfsense_apply_firewall", Args: map[string]any{}}}, InputTokens: 33000, OutputTokens: 40},
		{CallsFrom: func(res []fakemodel.ToolResult) []fakemodel.Call {
			return []fakemodel.Call{{Name: "pfsense_apply_firewall", Args: with(nil, lastToken(t, res))}}
		}, InputTokens: 33500, OutputTokens: 40},
		{Text: finalText, InputTokens: 34000, OutputTokens: 400},
	}
}

const goodReport = "Created and deleted bt_fake.\n---TASK-REPORT-START---\n" + `{"task_id":"crud-alias-fake","status":"success","total_tool_calls":8,` +
	`"first_attempt_failures":1,"details":[{"tool":"pfsense_create_firewall_alias","attempt":1,"params":{"type":"hosts"},"error":"must be one of host, network, port",` +
	`"diagnosis":"wrong enum","retry_params":{"type":"host"},"retry_success":true,"category":"missing_enum_values"}],"error_message_quality":"clear",` +
	`"cleanup_complete":true,"notes":"","tools_invoked":["pfsense_list_firewall_aliases","pfsense_create_firewall_alias","pfsense_delete_firewall_alias","pfsense_apply_firewall","pfsense_halt_system"]}` +
	"\n---TASK-REPORT-END---"

// exposedWrites are the tools the server lists for a task that needs writes.
func exposedWrites(t *testing.T) []string {
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	names := mcpserver.OwnToolsFor(true)
	for _, tool := range inv.Exposed() {
		names = append(names, tool.Name)
	}
	sort.Strings(names)
	return names
}

func readMeta(t *testing.T, out, id string) *results.Meta {
	t.Helper()
	m, ok, err := results.ReadMeta(out, id)
	if err != nil || !ok {
		t.Fatalf("meta of %s: %v (complete %t)", id, err, ok)
	}
	return m
}

// checkRun asserts what the consumer did, measured by the bank tester, and what the fake
// model saw.
func checkRun(t *testing.T, fake *fakemodel.Server, out string) {
	t.Helper()
	m := readMeta(t, out, aliasTask.ID)
	if m.Status != report.StatusSuccess || m.Error != "" || m.ReportError != "" {
		t.Fatalf("meta = %+v", m)
	}
	// Tokens: the sum of the nine scripted replies.
	if m.Usage.InputTokens != 288000 || m.Usage.OutputTokens != 805 || m.Usage.Requests != 9 || m.Turns != 9 {
		t.Errorf("usage = %+v, turns %d", m.Usage, m.Turns)
	}
	// Calls as relayed: 8 calls; the wrong enum is a failed first attempt and its retry (the
	// preview) is not a first attempt, nor are the confirmations of previews.
	if m.Calls != 8 || m.FirstAttempts != 7 || m.FirstAttemptOK != 6 {
		t.Errorf("calls %d, first attempts %d ok %d", m.Calls, m.FirstAttempts, m.FirstAttemptOK)
	}
	wantInvoked := []string{"pfsense_apply_firewall", "pfsense_create_firewall_alias", "pfsense_delete_firewall_alias", "pfsense_list_firewall_aliases"}
	if !reflect.DeepEqual(m.ToolsInvoked, wantInvoked) || !reflect.DeepEqual(m.ToolsSucceeded, wantInvoked) {
		t.Errorf("invoked %v, succeeded %v", m.ToolsInvoked, m.ToolsSucceeded)
	}
	// The report claims a tool it never called: the bank tester does not believe it.
	if !reflect.DeepEqual(m.ReportedToolsNotCalled, []string{"pfsense_halt_system"}) || m.Categories["missing_enum_values"] != 1 {
		t.Errorf("reported not called %v, categories %v", m.ReportedToolsNotCalled, m.Categories)
	}
	reqs := fake.Requests()
	if len(reqs) != 9 {
		t.Fatalf("the fake model got %d requests, want 9", len(reqs))
	}
	// Every request offered the tools the server lists for a writing task.
	want := exposedWrites(t)
	for i, r := range reqs {
		got := append([]string(nil), r.Tools...)
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("request %d offered %d tools, want %d", i+1, len(got), len(want))
		}
	}
	// The tool results that came back, in order, with their error flags.
	res := fake.Results()
	if len(res) != 8 {
		t.Fatalf("tool results = %+v", res)
	}
	checks := []struct {
		name, contains string
		isError        bool
	}{
		{"pfsense_list_firewall_aliases", `"name":"web_servers"`, false},
		{"pfsense_create_firewall_alias", "Invalid arguments for pfsense_create_firewall_alias (checked locally; nothing was sent to pfSense)", true},
		{"pfsense_create_firewall_alias", `"preview":true`, false},
		{"pfsense_create_firewall_alias", `"name":"bt_fake"`, false},
		{"pfsense_delete_firewall_alias", `"preview":true`, false},
		{"pfsense_delete_firewall_alias", `"name":"bt_fake"`, false},
		{"pfsense_apply_firewall", `"preview":true`, false},
		{"pfsense_apply_firewall", `"applied":true`, false},
	}
	for i, c := range checks {
		if res[i].Name != c.name || res[i].IsError != c.isError || !strings.Contains(res[i].Content, c.contains) {
			t.Errorf("tool result %d = %s is_error=%t %.200s; want %s is_error=%t containing %q", i+1, res[i].Name, res[i].IsError, res[i].Content, c.name, c.isError, c.contains)
		}
	}
	// The transcript has every relayed call.
	tr, err := os.ReadFile(filepath.Join(results.TaskDir(out, aliasTask.ID), "transcript.jsonl"))
	if err != nil || strings.Count(string(tr), `"type":"tool_call"`) != 8 || strings.Count(string(tr), `"type":"usage"`) != 9 {
		t.Errorf("transcript: %v\n%.2000s", err, tr)
	}
}

func TestAnthropicConsumer(t *testing.T) {
	fake, err := fakemodel.Start(script(t, goodReport), fakemodel.Options{APIKey: "sk-ant-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	c := &anthropic.Consumer{BaseURL: fake.URL, APIKey: "sk-ant-test", ModelName: "claude-test", MaxTurns: 10, MaxTokens: 1024}
	_, out := run(t, c, "full", []*task.Task{aliasTask}, 1)
	checkRun(t, fake, out)
	// The first request carried the tester prompt as the system prompt and the task as the user message.
	var first struct {
		System []struct {
			Text string `json:"text"`
		} `json:"system"`
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
		Tools []struct {
			Name        string          `json:"name"`
			InputSchema json.RawMessage `json:"input_schema"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(fake.Requests()[0].Body, &first); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.System[0].Text, "---TASK-REPORT-START---") || !strings.HasPrefix(first.Messages[0].Content, "Task id: crud-alias-fake") {
		t.Errorf("first request: system %.80q, user %.80q", first.System[0].Text, first.Messages[0].Content)
	}
	// The schemas sent are the table's.
	for _, tool := range first.Tools {
		if tool.Name != "pfsense_create_firewall_alias" {
			continue
		}
		var got, want any
		_ = json.Unmarshal(tool.InputSchema, &got)
		for _, d := range tooldefs.Tools {
			if d.Name == tool.Name {
				_ = json.Unmarshal([]byte(d.InputSchema), &want)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("schema sent for %s differs from the table:\n%s", tool.Name, tool.InputSchema)
		}
	}
}

// A consumer's run, recorded as a plan, replays with the scripted consumer on a fresh firewall.
func TestRecordAndReplay(t *testing.T) {
	fake, err := fakemodel.Start(script(t, goodReport), fakemodel.Options{APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	_, out := run(t, &anthropic.Consumer{BaseURL: fake.URL, APIKey: "k", ModelName: "m"}, "full", []*task.Task{aliasTask}, 1)
	calls, err := results.ReadCalls(results.TaskDir(out, aliasTask.ID))
	if err != nil {
		t.Fatal(err)
	}
	replay := *aliasTask
	replay.Plan = plan.FromCalls(aliasTask.ID, calls)
	if len(replay.Plan.Steps) != 8 || replay.Plan.Steps[1].Expect.Outcome != plan.OutcomeError || replay.Plan.Steps[2].Expect.Outcome != plan.OutcomePreview ||
		replay.Plan.Steps[3].Args["confirm"] != true {
		t.Fatalf("recorded plan = %+v", replay.Plan.Steps)
	}
	// In discovery mode too: the steps go through the call tools. Each confirmed step is
	// previewed again for its own token: 8 steps, 11 calls.
	for _, mode := range []string{"full", "discovery"} {
		sum, _ := run(t, scripted.Consumer{}, mode, []*task.Task{&replay}, 1)
		if sum.Tasks.Success != 1 || sum.Calls.Total != 11 {
			t.Errorf("%s replay: %+v, %d calls", mode, sum.PerTask, sum.Calls.Total)
		}
	}
}

func TestOpenAIConsumer(t *testing.T) {
	// Arguments as objects: a quirk of some OpenAI-compatible servers.
	fake, err := fakemodel.Start(script(t, goodReport), fakemodel.Options{APIKey: "local-key", ArgumentsAsObject: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	c := &openai.Consumer{BaseURL: fake.URL + "/v1", APIKey: "local-key", ModelName: "qwen-test", MaxTurns: 10}
	_, out := run(t, c, "full", []*task.Task{aliasTask}, 1)
	checkRun(t, fake, out)
}

// A model that stops without a report fails the task with a clear note; one that runs out of
// turns is asked for its report with tool use switched off; an API error ends the task as an
// error and the run goes on.
func TestConsumerFailureModes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		turns  []fakemodel.Turn
		max    int
		status string
		note   string
	}{
		{"no report", []fakemodel.Turn{{Text: "All done, nothing to report."}}, 10, report.StatusFailed,
			"no usable report: no report: the final answer has no ---TASK-REPORT-START--- ... ---TASK-REPORT-END--- block"},
		{"out of turns", []fakemodel.Turn{
			{Calls: []fakemodel.Call{{Name: "pfsense_overview"}}},
			{Calls: []fakemodel.Call{{Name: "pfsense_overview"}}},
			{Text: strings.Replace(goodReport, `"status":"success"`, `"status":"partial"`, 1)},
		}, 2, report.StatusPartial, ""},
		{"API error", []fakemodel.Turn{{Text: "never sent"}}, 10, results.StatusError,
			"messages API, turn 1: POST "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "k"
			if tc.name == "API error" {
				key = "another key" // the fake answers 401, which is not retried
			}
			fake, err := fakemodel.Start(tc.turns, fakemodel.Options{APIKey: key})
			if err != nil {
				t.Fatal(err)
			}
			defer fake.Close()
			var c consumer.Consumer = &anthropic.Consumer{BaseURL: fake.URL, APIKey: "k", ModelName: "m", MaxTurns: tc.max}
			sum, out := run(t, c, "discovery", []*task.Task{aliasTask}, 1)
			m := readMeta(t, out, aliasTask.ID)
			note := m.Error + m.ReportError
			if m.Status != tc.status || !strings.HasPrefix(note, tc.note) || sum.Tasks.Done != 1 {
				t.Errorf("status %s note %q; want %s %q", m.Status, note, tc.status, tc.note)
			}
			if tc.name == "out of turns" {
				var last struct {
					ToolChoice map[string]string `json:"tool_choice"`
				}
				reqs := fake.Requests()
				_ = json.Unmarshal(reqs[len(reqs)-1].Body, &last)
				if len(reqs) != 3 || last.ToolChoice["type"] != "none" || !strings.Contains(string(reqs[2].Body), "You have used all 2 turns") {
					t.Errorf("the last request did not switch tools off: %s", reqs[len(reqs)-1].Body)
				}
				// Discovery mode with writes: six tools offered (reads and changes have their own call tool).
				if len(reqs[0].Tools) != 6 || m.ToolsOffered != 6 {
					t.Errorf("discovery mode offered %v", reqs[0].Tools)
				}
			}
		})
	}
}
