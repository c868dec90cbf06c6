package vmtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bazelbuild/rules_go/go/runfiles"
	mcpclient "github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/internal/lockedbuf"
)

// mcpSession runs the real pfsense-mcp binary against the VM, over stdio, with writes enabled.
func mcpSession(t *testing.T) (*mcpclient.Client, *lockedbuf.Buffer) {
	t.Helper()
	target := Ready(t)
	bin, err := runfiles.Rlocation(os.Getenv("PFSENSE_MCP_RLOCATION"))
	if err != nil {
		t.Fatalf("find the pfsense-mcp binary: %v", err)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"PFSENSE_URL=" + target.URL,
		"PFSENSE_API_KEY=" + target.APIKey,
		"PFSENSE_TLS_FINGERPRINT=" + target.CertFingerprint,
		"PFSENSE_ALLOW_WRITES=true",
		"PFSENSE_AUDIT_LOG=" + t.TempDir() + "/audit.jsonl",
	}
	stderr := &lockedbuf.Buffer{} // mcp-go copies the server's stderr into it from its own goroutine
	tr := transport.NewStdioWithOptions(bin, env, nil, transport.WithCommandStderrWriter(stderr))
	if err := tr.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := mcpclient.NewClient(tr)
	t.Cleanup(func() { c.Close() })
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "vm_test", Version: "1"}
	if _, err := c.Initialize(ctx(t), init); err != nil {
		t.Fatalf("initialize: %v (server stderr: %s)", err, stderr.String())
	}
	return c, stderr
}

func call(t *testing.T, c *mcpclient.Client, name string, args map[string]any) (map[string]any, string, bool) {
	t.Helper()
	cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := c.CallTool(cctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	text := res.Content[0].(mcp.TextContent).Text
	var out map[string]any
	if !res.IsError {
		if err := json.Unmarshal([]byte(text), &out); err != nil {
			t.Fatalf("%s: answer is not JSON: %s", name, text)
		}
	}
	return out, text, res.IsError
}

// confirmed makes a change as a client must: preview, then confirm with the preview's token.
func confirmed(t *testing.T, c *mcpclient.Client, name string, args map[string]any) (map[string]any, string, bool) {
	t.Helper()
	out, text, isErr := call(t, c, name, args)
	tok, ok := out["confirm_token"].(string)
	if isErr || !ok {
		return out, text, isErr
	}
	with := map[string]any{"confirm": tok}
	for k, v := range args {
		with[k] = v
	}
	return call(t, c, name, with)
}

// The MCP server against the booted VM: over the port forward, with the certificate pinned,
// through the preview/confirm gate, the apply reminder, the bulk-delete guard and redaction.
func TestMCPServerAgainstTheVM(t *testing.T) {
	c, stderr := mcpSession(t)

	list, err := c.ListTools(ctx(t), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) < 600 {
		t.Errorf("tools/list with writes enabled lists %d tools, want the 440 mutations and the reads", len(list.Tools))
	}

	out, text, isErr := call(t, c, "pfsense_overview", nil)
	if isErr || !strings.HasPrefix(out["version"].(map[string]any)["version"].(string), "2.8.1") {
		t.Fatalf("overview: %s", text)
	}

	args := map[string]any{"name": "vmtest_mcp", "type": "host", "address": []any{"10.0.4.12"}}
	out, text, isErr = call(t, c, "pfsense_create_firewall_alias", args)
	if isErr || out["preview"] != true {
		t.Fatalf("create without confirm: %s", text)
	}
	args["confirm"] = out["confirm_token"]
	out, text, isErr = call(t, c, "pfsense_create_firewall_alias", args)
	if isErr || !strings.HasPrefix(fmt.Sprint(out["next_step"]), "The change is pending: call pfsense_apply_firewall to apply it") {
		t.Fatalf("create: %s", text)
	}
	out, text, _ = call(t, c, "pfsense_pending_changes", nil)
	if !strings.Contains(out["summary"].(string), "firewall") {
		t.Errorf("pending after create: %s", text)
	}

	_, text, isErr = call(t, c, "pfsense_delete_firewall_aliases", map[string]any{"query": map[string]any{"nmae": "vmtest_mcp"}, "confirm": true})
	if !isErr || !strings.Contains(text, "would remove EVERY FirewallAlias") {
		t.Errorf("misspelled bulk delete: %s", text)
	}
	out, text, isErr = confirmed(t, c, "pfsense_delete_firewall_aliases", map[string]any{"query": map[string]any{"name": "vmtest_mcp"}})
	if isErr || len(out["data"].([]any)) != 1 {
		t.Errorf("bulk delete of the test alias: %s", text)
	}
	if _, text, isErr = confirmed(t, c, "pfsense_apply_firewall", map[string]any{}); isErr {
		t.Errorf("apply: %s", text)
	}

	_, text, _ = call(t, c, "pfsense_list_vpn_wireguard_tunnels", nil)
	if strings.Contains(text, `"privatekey":"`) && !strings.Contains(text, `"privatekey":"[REDACTED]"`) {
		t.Errorf("a WireGuard private key left the server: %s", text)
	}
	if strings.Contains(stderr.String(), Ready(t).APIKey) {
		t.Error("the server logged the API key")
	}
}
