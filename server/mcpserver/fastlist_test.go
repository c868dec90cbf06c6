package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// The rendering must be exactly what mcp-go answers itself.
func TestRenderedListEqualsMCPGo(t *testing.T) {
	for _, mode := range []config.ToolMode{config.ModeFull, config.ModeDiscovery} {
		s := New(newServerDispatcher(t, true), Options{Mode: mode, AllowWrites: true, SpecVersion: "v2.7.1"})
		resp := s.MCP().HandleMessage(context.Background(), json.RawMessage(`{"jsonrpc":"2.0","id":7,"method":"tools/list"}`))
		want, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		got := `{"jsonrpc":"2.0","id":7,"result":` + string(s.surface.Load().list.result()) + `}`
		if got != string(want) {
			t.Errorf("%s: rendered tools/list differs from mcp-go's:\n got %.300s\nwant %.300s", mode, got, want)
		}
	}
}

// The same on the real table, in every mode: the fast rendering must match mcp-go byte for byte.
func TestRenderedListEqualsMCPGoOnTheRealTable(t *testing.T) {
	for _, tc := range []struct {
		opts inventory.Options
		mode config.ToolMode
	}{
		{inventory.Options{AllowWrites: true, AllowDangerous: true}, config.ModeFull},
		{inventory.Options{}, config.ModeFull},
		{inventory.Options{AllowWrites: true}, config.ModeDiscovery},
	} {
		inv, err := inventory.New(tooldefs.Tools, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		s := New(toolcall.New(toolcall.Options{Inventory: inv}), Options{Mode: tc.mode, AllowWrites: tc.opts.AllowWrites, SpecVersion: tooldefs.SpecVersion})
		want, err := json.Marshal(s.MCP().HandleMessage(context.Background(), json.RawMessage(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)))
		if err != nil {
			t.Fatal(err)
		}
		got := []byte(`{"jsonrpc":"2.0","id":1,"result":` + string(s.surface.Load().list.result()) + `}`)
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%+v %s: rendering differs from mcp-go at byte %d:\n got ...%.200s\nwant ...%.200s", tc.opts, tc.mode, i, got[max(0, i-50):], want[max(0, i-50):])
		}
	}
}

// Over stdio: tools/list is answered from the rendering, calls wait for registration and then
// run, and a request with a cursor is left to mcp-go.
func TestStdioRouting(t *testing.T) {
	s := New(newServerDispatcher(t, false), Options{Mode: config.ModeFull, SpecVersion: "v2.7.1"})
	peer := serveOverPipes(t, s)
	send, next := peer.send, peer.next
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if m := next(); m["id"] != 1.0 || m["result"] == nil {
		t.Fatalf("initialize: %v", m)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(`{"jsonrpc":"2.0","id":"list-1","method":"tools/list"}`)
	m := next()
	tools := m["result"].(map[string]any)["tools"].([]any)
	if m["id"] != "list-1" || len(tools) != 5 {
		t.Fatalf("tools/list: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"pfsense_get_system_version","arguments":{}}}`)
	m = next()
	text := m["result"].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
	if m["id"] != 2.0 || !strings.Contains(text, "2.8.1-RELEASE") {
		t.Fatalf("tools/call: %v", m)
	}
	// Tools that are hidden or do not exist get an explanation, as a tool error.
	send(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"pfsense_create_firewall_alias","arguments":{}}}`)
	m = next()
	res := m["result"].(map[string]any)
	if m["id"] != 4.0 || res["isError"] != true || !strings.Contains(res["content"].([]any)[0].(map[string]any)["text"].(string), "it changes the firewall and the server is read-only") {
		t.Fatalf("hidden tool: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"pfsense_get_system_versoin","arguments":{}}}`)
	m = next()
	if text := m["result"].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string); !strings.Contains(text, "there is no tool named pfsense_get_system_versoin; closest: pfsense_get_system_version") {
		t.Fatalf("misspelled tool: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"cursor":"bm9uZQ=="}}`)
	if m := next(); m["id"] != 3.0 {
		t.Fatalf("tools/list with a cursor: %v", m)
	}
	peer.close()
}
