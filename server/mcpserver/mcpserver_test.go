package mcpserver

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

type versionFirewall struct{}

func (versionFirewall) Do(_ context.Context, r pfclient.Request) (*pfclient.Response, error) {
	if r.Path == "/api/v2/system/version" {
		return &pfclient.Response{HTTPStatus: 200, Data: json.RawMessage(`{"version":"2.8.1-RELEASE"}`)}, nil
	}
	return nil, &pfclient.APIError{Method: r.Method, Path: r.Path, HTTPStatus: 404, ResponseID: "MODEL_OBJECT_NOT_FOUND"}
}
func (versionFirewall) HasBasicAuth() bool { return false }

func fixture() []toolspec.Tool {
	obj := `{"type":"object","additionalProperties":false,"properties":{}}`
	return []toolspec.Tool{
		{Name: "pfsense_get_system_version", Title: "Get the pfSense version", Description: "Reads the pfSense version.", Module: "system", Kind: toolspec.KindStatus,
			Method: "GET", Path: "/api/v2/system/version", InputSchema: obj, Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true}},
		{Name: "pfsense_create_firewall_alias", Title: "Create a firewall alias", Description: "Creates a new Firewall Alias.", Module: "firewall", Kind: toolspec.KindCreate, Mutation: true,
			Method: "POST", Path: "/api/v2/firewall/alias", InputSchema: `{"type":"object","additionalProperties":false,"properties":{"confirm":{"type":["string","boolean"]}}}`},
	}
}

func newServerDispatcher(t *testing.T, writes bool) *toolcall.Dispatcher {
	inv, err := inventory.New(fixture(), inventory.Options{AllowWrites: writes})
	if err != nil {
		t.Fatal(err)
	}
	return toolcall.New(toolcall.Options{Inventory: inv, Firewall: versionFirewall{}})
}

func toolNames(ts []mcp.Tool) string {
	var n []string
	for _, t := range ts {
		n = append(n, t.Name)
	}
	return strings.Join(n, " ")
}

func TestModesListTheRightTools(t *testing.T) {
	for _, tc := range []struct {
		mode   config.ToolMode
		writes bool
		want   string
	}{
		{config.ModeFull, false, "pfsense_get_system_version pfsense_overview pfsense_pending_changes pfsense_read_firewall_log pfsense_security_audit"},
		{config.ModeFull, true, "pfsense_create_firewall_alias pfsense_get_system_version pfsense_overview pfsense_pending_changes pfsense_read_firewall_log pfsense_security_audit"},
		{config.ModeDiscovery, true, "pfsense_call_change_tool pfsense_call_read_tool pfsense_describe_tool pfsense_overview pfsense_pending_changes pfsense_search_tools"},
		{config.ModeDiscovery, false, "pfsense_call_read_tool pfsense_describe_tool pfsense_overview pfsense_pending_changes pfsense_search_tools"},
	} {
		s := New(newServerDispatcher(t, tc.writes), Options{Mode: tc.mode, AllowWrites: tc.writes, SpecVersion: "v2.7.1"})
		c, err := client.NewInProcessClient(s.MCP())
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		init := mcp.InitializeRequest{}
		init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
		if _, err := c.Initialize(ctx, init); err != nil {
			t.Fatal(err)
		}
		list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if got := toolNames(list.Tools); got != tc.want {
			t.Errorf("%s writes=%v: tools = %s\nwant %s", tc.mode, tc.writes, got, tc.want)
		}
		for _, tool := range list.Tools {
			a := tool.Annotations
			if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
				t.Errorf("%s: annotations not all set: %+v", tool.Name, a)
			}
		}
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "pfsense_overview"}})
		if err != nil || res.IsError {
			t.Fatalf("overview: %v %+v", err, res)
		}
		text := res.Content[0].(mcp.TextContent).Text
		if !strings.Contains(text, `"version":{"version":"2.8.1-RELEASE"}`) || !strings.Contains(text, `"interfaces":{"error":"this spec has no GET /api/v2/status/interfaces"}`) {
			t.Errorf("overview = %s", text)
		}
		c.Close()
	}
}

func TestHTTPNeedsTheBearerToken(t *testing.T) {
	const token = "0123456789abcdef0123456789"
	s := New(newServerDispatcher(t, false), Options{Mode: config.ModeFull, SpecVersion: "v2.7.1"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- ServeHTTP(ctx, s, HTTPOptions{Addr: "127.0.0.1:0", Token: token, Logger: slog.New(slog.DiscardHandler), Ready: func(a net.Addr) { addrc <- a }})
	}()
	var url string
	select {
	case a := <-addrc:
		url = URL(a)
	case err := <-done:
		t.Fatal(err)
	}

	for _, auth := range []string{"", "Bearer wrong-token-wrong-token", "Basic " + token} {
		req, _ := http.NewRequest("POST", url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(string(body), "pfsense_") {
			t.Errorf("auth %q: status %d body %s", auth, resp.StatusCode, body)
		}
	}

	c, err := client.NewStreamableHttpClient(url, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + token}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
	defer ccancel()
	if err := c.Start(cctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	if _, err := c.Initialize(cctx, init); err != nil {
		t.Fatalf("initialize with the token: %v", err)
	}
	list, err := c.ListTools(cctx, mcp.ListToolsRequest{})
	if err != nil || toolNames(list.Tools) != "pfsense_get_system_version pfsense_overview pfsense_pending_changes pfsense_read_firewall_log pfsense_security_audit" {
		t.Fatalf("tools/list with the token: %v %v", err, list)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestHTTPRefusesOpenAddressWithoutToken(t *testing.T) {
	s := New(newServerDispatcher(t, false), Options{Mode: config.ModeFull})
	err := ServeHTTP(context.Background(), s, HTTPOptions{Addr: "0.0.0.0:0", Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "without PFSENSE_HTTP_TOKEN") {
		t.Fatalf("err = %v", err)
	}
}
