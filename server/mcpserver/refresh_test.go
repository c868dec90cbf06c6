package mcpserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// TestRefreshAfterTheFirewallsFacts: over stdio the server declares tools.listChanged; when the
// firewall's facts hide a tool, Refresh makes tools/list (the fast path, and mcp-go's for a request
// with _meta) leave it out, sends notifications/tools/list_changed, and a call of it says why.
func TestRefreshAfterTheFirewallsFacts(t *testing.T) {
	d := newServerDispatcher(t, true)
	s := New(d, Options{Mode: config.ModeFull, AllowWrites: true, SpecVersion: "v2.7.1"})
	peer := serveOverPipes(t, s)
	send, next := peer.send, peer.next
	list := func(id string, viaMCPGo bool) string {
		t.Helper()
		req := `{"jsonrpc":"2.0","id":"` + id + `","method":"tools/list"}`
		if viaMCPGo { // not the fast path: mcp-go answers from its registry.
			req = `{"jsonrpc":"2.0","id":"` + id + `","method":"tools/list","params":{"_meta":{}}}`
		}
		send(req)
		m := next()
		var names []string
		for _, x := range m["result"].(map[string]any)["tools"].([]any) {
			names = append(names, x.(map[string]any)["name"].(string))
		}
		return strings.Join(names, " ")
	}

	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	m := next()
	caps, _ := m["result"].(map[string]any)["capabilities"].(map[string]any)
	if tools, _ := caps["tools"].(map[string]any); tools["listChanged"] != true {
		t.Errorf("initialize capabilities = %v, want tools.listChanged", caps)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	all := "pfsense_create_firewall_alias pfsense_get_system_version pfsense_overview pfsense_pending_changes pfsense_read_firewall_log pfsense_security_audit"
	if got := list("a", false); got != all {
		t.Fatalf("tools/list = %s", got)
	}
	if s.Refresh() {
		t.Errorf("Refresh without new facts reported a change")
	}

	// The firewall's own spec has no POST /api/v2/firewall/alias.
	d.Inventory().SetFirewall(inventory.Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1",
		Operations: map[string]inventory.Operation{"GET /api/v2/system/version": {}}})
	if !s.Refresh() {
		t.Fatal("Refresh reported no change")
	}
	if m := next(); m["method"] != "notifications/tools/list_changed" {
		t.Fatalf("after Refresh: %v, want notifications/tools/list_changed", m)
	}
	fewer := "pfsense_get_system_version pfsense_overview pfsense_pending_changes pfsense_read_firewall_log pfsense_security_audit"
	if got := list("b", false); got != fewer {
		t.Errorf("tools/list after Refresh = %s\nwant %s", got, fewer)
	}
	if got := list("c", true); got != fewer {
		t.Errorf("mcp-go's tools/list after Refresh = %s\nwant %s", got, fewer)
	}
	send(`{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"pfsense_create_firewall_alias","arguments":{}}}`)
	m = next()
	text := m["result"].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
	if !strings.Contains(text, "the firewall runs REST API v2.10.0, whose own spec has no POST /api/v2/firewall/alias") {
		t.Errorf("call of a hidden tool: %s", text)
	}
	peer.close()
}

// peer is an MCP client at the other end of stdio pipes: send writes one line, next returns the
// next message from the server.
type peer struct {
	t      *testing.T
	in     *io.PipeWriter
	msgs   chan map[string]any
	done   chan error
	cancel context.CancelFunc
}

func serveOverPipes(t *testing.T, s *Server) *peer {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	p := &peer{t: t, in: inW, msgs: make(chan map[string]any, 16), done: make(chan error, 1), cancel: cancel}
	go func() { p.done <- ServeStdio(ctx, s, inR, outW) }()
	go func() {
		sc := bufio.NewScanner(outR)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		for sc.Scan() {
			var m map[string]any
			_ = json.Unmarshal(sc.Bytes(), &m)
			p.msgs <- m
		}
		close(p.msgs)
	}()
	t.Cleanup(cancel)
	return p
}

func (p *peer) send(line string) {
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

func (p *peer) next() map[string]any {
	p.t.Helper()
	select {
	case m := <-p.msgs:
		return m
	case <-time.After(10 * time.Second):
		p.t.Fatal("no message from the server")
		return nil
	}
}

// close ends the input and checks that the server stopped cleanly.
func (p *peer) close() {
	p.in.Close()
	if err := <-p.done; err != nil && err != io.EOF && err != context.Canceled {
		p.t.Errorf("serve: %v", err)
	}
}

// In discovery mode the search answer counts the tools it searched as they are now: after the
// firewall's facts hide one, the count drops and the hidden tool is no longer offered.
func TestDiscoverySearchFollowsTheFirewallsFacts(t *testing.T) {
	d := newServerDispatcher(t, true)
	s := New(d, Options{Mode: config.ModeDiscovery, AllowWrites: true, SpecVersion: "v2.7.1"})
	peer := serveOverPipes(t, s)
	send, next := peer.send, peer.next
	search := func(id string) map[string]any {
		t.Helper()
		send(`{"jsonrpc":"2.0","id":"` + id + `","method":"tools/call","params":{"name":"pfsense_search_tools","arguments":{"query":"firewall alias"}}}`)
		m := next()
		text := m["result"].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
		var out map[string]any
		if err := json.Unmarshal([]byte(text), &out); err != nil {
			t.Fatalf("search answer %q: %v", text, err)
		}
		return out
	}
	offers := func(out map[string]any, name string) bool {
		for _, r := range out["tools"].([]any) {
			if r.(map[string]any)["name"] == name {
				return true
			}
		}
		return false
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	next()
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	before := search("a")
	if before["searched"] != float64(2) || !offers(before, "pfsense_create_firewall_alias") {
		t.Fatalf("search before the facts = %v", before)
	}
	d.Inventory().SetFirewall(inventory.Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1",
		Operations: map[string]inventory.Operation{"GET /api/v2/system/version": {}}})
	s.Refresh()
	after := search("b")
	if after["searched"] != float64(1) || offers(after, "pfsense_create_firewall_alias") {
		t.Errorf("search after the facts hid the alias tool = %v", after)
	}
	peer.close()
}
