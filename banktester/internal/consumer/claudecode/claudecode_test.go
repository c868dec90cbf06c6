package claudecode

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// A stream as `claude -p --output-format stream-json --verbose` prints it: the init line,
// assistant messages (one line per content block, the same message id and usage repeated),
// tool results as user messages, and the result line with the totals.
const stream = `{"type":"system","subtype":"init","session_id":"s1","tools":["Task","mcp__pfsense__pfsense_list_firewall_aliases","mcp__pfsense__pfsense_create_firewall_alias","mcp__pfsense__pfsense_call_change_tool"],"mcp_servers":[{"name":"pfsense","status":"connected"}],"model":"claude-sonnet-4-5"}
{"type":"assistant","message":{"id":"msg_1","role":"assistant","content":[{"type":"text","text":"Listing aliases first."}],"usage":{"input_tokens":1200,"output_tokens":40}}}
{"type":"assistant","message":{"id":"msg_1","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"mcp__pfsense__pfsense_list_firewall_aliases","input":{"limit":5}}],"usage":{"input_tokens":1200,"output_tokens":40}}}
{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":[{"type":"text","text":"{\"count\":0,\"data\":[]}"}]}]}}
{"type":"assistant","message":{"id":"msg_2","role":"assistant","content":[{"type":"tool_use","id":"toolu_2","name":"mcp__pfsense__pfsense_create_firewall_alias","input":{"name":"bt_a","type":"hosts"}}],"usage":{"input_tokens":1400,"output_tokens":60}}}
{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_2","type":"tool_result","content":"Invalid arguments for pfsense_create_firewall_alias (checked locally; nothing was sent to pfSense): argument ` + "`type`" + `: must be one of host, network, port","is_error":true}]}}
{"type":"assistant","message":{"id":"msg_3","role":"assistant","content":[{"type":"tool_use","id":"toolu_3","name":"mcp__pfsense__pfsense_call_change_tool","input":{"name":"pfsense_create_firewall_alias","arguments":{"name":"bt_a","type":"host"}}}],"usage":{"input_tokens":1500,"output_tokens":50}}}
{"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_3","type":"tool_result","content":"{\"preview\":true,\"note\":\"Nothing was changed.\"}"}]}}
not json at all
{"type":"assistant","message":{"id":"msg_4","role":"assistant","content":[{"type":"text","text":"Done.\n---TASK-REPORT-START---\n{\"status\":\"partial\"}\n---TASK-REPORT-END---"}],"usage":{"input_tokens":1600,"output_tokens":300}}}
{"type":"result","subtype":"success","is_error":false,"num_turns":4,"result":"Done.\n---TASK-REPORT-START---\n{\"status\":\"partial\"}\n---TASK-REPORT-END---","usage":{"input_tokens":5700,"output_tokens":450,"cache_read_input_tokens":9000,"cache_creation_input_tokens":2000},"total_cost_usd":0.05}
`

func TestParseStream(t *testing.T) {
	var lines int
	st, err := ParseStream(strings.NewReader(stream), func([]byte) { lines++ })
	if err != nil {
		t.Fatal(err)
	}
	if lines != 11 {
		t.Errorf("onLine called %d times, want 11", lines)
	}
	wantCalls := []transcript.ToolCall{
		{Seq: 1, Tool: "pfsense_list_firewall_aliases", Target: "pfsense_list_firewall_aliases", Args: map[string]any{"limit": 5.0}, Answer: `{"count":0,"data":[]}`},
		{Seq: 2, Tool: "pfsense_create_firewall_alias", Target: "pfsense_create_firewall_alias", Args: map[string]any{"name": "bt_a", "type": "hosts"}, IsError: true,
			Answer: "Invalid arguments for pfsense_create_firewall_alias (checked locally; nothing was sent to pfSense): argument `type`: must be one of host, network, port"},
		{Seq: 3, Tool: "pfsense_call_change_tool", Target: "pfsense_create_firewall_alias", Args: map[string]any{"name": "pfsense_create_firewall_alias", "arguments": map[string]any{"name": "bt_a", "type": "host"}},
			Preview: true, Answer: `{"preview":true,"note":"Nothing was changed."}`},
	}
	if !reflect.DeepEqual(st.Calls, wantCalls) {
		t.Errorf("calls =\n%+v\nwant\n%+v", st.Calls, wantCalls)
	}
	wantUsage := transcript.Usage{InputTokens: 5700, OutputTokens: 450, CacheReadInputTokens: 9000, CacheCreationInputTokens: 2000, Requests: 4}
	if st.Usage != wantUsage {
		t.Errorf("usage = %+v, want %+v", st.Usage, wantUsage)
	}
	if st.MCPStatus != "connected" || st.ToolsOffered != 3 || st.Turns != 4 || st.ResultSubtype != "success" || st.Unparsed != 1 {
		t.Errorf("stream = %+v", st)
	}
	if len(st.Texts) != 2 || st.Texts[0] != "Listing aliases first." || !strings.HasPrefix(st.Result, "Done.") {
		t.Errorf("texts = %q, result = %q", st.Texts, st.Result)
	}
}

// A run cut short has no result line: usage comes from the messages, each counted once, and a
// call without a result counts as failed.
func TestParseStreamWithoutResult(t *testing.T) {
	cut := strings.Join(strings.Split(stream, "\n")[:7], "\n")
	st, err := ParseStream(strings.NewReader(cut), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (transcript.Usage{InputTokens: 4100, OutputTokens: 150, Requests: 3}); st.Usage != want {
		t.Errorf("usage = %+v, want %+v", st.Usage, want)
	}
	if len(st.Calls) != 3 || !st.Calls[2].IsError || st.Calls[2].Answer != "(no result: the run ended first)" {
		t.Errorf("calls = %+v", st.Calls)
	}
}

func TestArgsAndConfig(t *testing.T) {
	c := &Consumer{ModelName: "claude-sonnet-4-5", MaxTurns: 30}
	args := c.Args("/tmp/x/mcp.json", "RULES", "Task id: t")
	want := []string{"-p", "--mcp-config", "/tmp/x/mcp.json", "--strict-mcp-config", "--permission-mode", PermissionMode(os.Geteuid()),
		"--allowedTools", "mcp__pfsense", "--output-format", "stream-json", "--verbose", "--append-system-prompt", "RULES",
		"--disallowedTools", strings.Join(DisallowedTools, ","), "--model", "claude-sonnet-4-5", "--max-turns", "30", "Task id: t"}
	if !reflect.DeepEqual(args, want) {
		t.Errorf("Args = %q", args)
	}
	if PermissionMode(0) != "default" || PermissionMode(1000) != "bypassPermissions" {
		t.Errorf("permission modes: root %q, user %q", PermissionMode(0), PermissionMode(1000))
	}
	cfg, err := MCPConfig("/bin/pfsense-mcp", []string{"PFSENSE_URL=https://127.0.0.1:1", "PFSENSE_TOOL_MODE=full"})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(cfg, &got); err != nil {
		t.Fatal(err)
	}
	server := got["mcpServers"].(map[string]any)["pfsense"].(map[string]any)
	if server["command"] != "/bin/pfsense-mcp" || server["type"] != "stdio" ||
		!reflect.DeepEqual(server["env"], map[string]any{"PFSENSE_URL": "https://127.0.0.1:1", "PFSENSE_TOOL_MODE": "full"}) {
		t.Errorf("MCP config = %s", cfg)
	}
	env := cliEnv([]string{"HOME=/root", "PFSENSE_MODULES=firewall", "ANTHROPIC_BASE_URL=https://x"}, "http://127.0.0.1:9", []string{"ANTHROPIC_API_KEY=k"})
	if strings.Join(env, " ") != "HOME=/root ANTHROPIC_BASE_URL=http://127.0.0.1:9 ANTHROPIC_API_KEY=k" {
		t.Errorf("CLI environment = %v", env)
	}
}
