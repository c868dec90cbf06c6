package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/lockedbuf"
	"github.com/pfsense-mcp/pfsense-mcp/internal/packaged"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
)

// reads counts the read tools of the table: what a read-only server lists besides its own.
func reads() int {
	n := 0
	for _, tl := range tooldefs.Tools {
		if !tl.Mutation {
			n++
		}
	}
	return n
}

// watchedSession starts the server as a child and counts the list_changed notifications it sends.
func watchedSession(t *testing.T, env []string) (*client.Client, *lockedbuf.Buffer, chan struct{}) {
	t.Helper()
	stderr := &lockedbuf.Buffer{}
	tr := transport.NewStdioWithOptions(os.Args[0], env, nil, transport.WithCommandStderrWriter(stderr))
	c := client.NewClient(tr)
	changed := make(chan struct{}, 8)
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationToolsListChanged) {
			changed <- struct{}{}
		}
	})
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	// The handshake most MCP clients use today (the newest protocol version passes too).
	init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "probe_test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v (stderr: %s)", err, stderr.String())
	}
	if res.Capabilities.Tools == nil || !res.Capabilities.Tools.ListChanged {
		t.Errorf("the server does not declare tools.listChanged: %+v", res.Capabilities)
	}
	return c, stderr, changed
}

// TestServesWhenTheFirewallIsUnreachable: the server starts, lists every tool, says the firewall
// could not be reached, and answers calls with that.
func TestServesWhenTheFirewallIsUnreachable(t *testing.T) {
	c, stderr, _ := watchedSession(t, serverEnv("PFSENSE_URL=https://127.0.0.1:1", "PFSENSE_API_KEY="+benchKey, "PFSENSE_AUDIT_LOG=off"))
	list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if want := reads() + len(mcpserver.OwnTools()); len(list.Tools) != want {
		t.Errorf("%d tools listed, want %d", len(list.Tools), want)
	}
	text, isErr := callText(t, c, "pfsense_get_system_version", nil)
	if !isErr || !strings.Contains(text, "pfSense could not be reached") {
		t.Errorf("call = %s", text)
	}
	if !strings.Contains(stderr.String(), "the firewall could not be reached; serving the spec's tools anyway") {
		t.Errorf("stderr does not say the firewall is unreachable:\n%s", stderr.String())
	}
}

// TestToolsOfAMissingPackageLeaveTheList: on a firewall without a package, the server tells the
// client the list changed, lists the tools that need it no more, and the overview says which
// tools installing it would add.
func TestToolsOfAMissingPackageLeaveTheList(t *testing.T) {
	pkg, names := packaged.MostNeeded(tooldefs.Tools, true)
	if pkg == "" {
		t.Skip("no read tool of this spec needs a package")
	}
	// The firewall answers only once the client is connected, so the change comes after the
	// handshake, as with a firewall slower than the client.
	gate := make(chan struct{})
	fw := heldFirewall(t, simulator.Options{APIKey: benchKey}, func() { <-gate })
	removePackage(t, fw, pkg)
	c, _, changed := watchedSession(t, serverEnv("PFSENSE_URL="+fw.URL, "PFSENSE_API_KEY="+benchKey,
		"PFSENSE_TLS_FINGERPRINT="+fw.CertFingerprintSHA256, "PFSENSE_AUDIT_LOG=off"))
	close(gate)
	select {
	case <-changed:
	case <-time.After(30 * time.Second):
		t.Fatal("no notifications/tools/list_changed")
	}
	list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if want := reads() - len(names) + len(mcpserver.OwnTools()); len(list.Tools) != want {
		t.Errorf("%d tools listed, want %d (%d reads need %s)", len(list.Tools), want, len(names), pkg)
	}
	text, _ := callText(t, c, "pfsense_overview", nil)
	if !strings.Contains(text, `"package":"`+pkg+`"`) {
		t.Errorf("the overview does not say %s would add tools: %.600s", pkg, text)
	}
}

// removePackage uninstalls pkg on the simulator behind fw, directly.
func removePackage(t *testing.T, fw *simtest.Firewall, pkg string) {
	t.Helper()
	srv := httptest.NewServer(fw.Sim.Handler())
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c, err := pfclient.New(pfclient.Options{BaseURL: u, Mode: "basic", Username: "admin", Password: "pfsense"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), pfclient.Request{Method: http.MethodDelete, Path: "/api/v2/system/packages", Query: url.Values{"name": {pkg}}}); err != nil {
		t.Fatalf("remove %s: %v", pkg, err)
	}
}
