package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// The test binary doubles as the server: run with runMainEnv set, it is pfsense-mcp, so the
// test below talks to the real main() over a real stdio pipe.
const runMainEnv = "PFSENSE_MCP_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestStdioInitializeAndListTools(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.NewStdioMCPClient(os.Args[0], append(os.Environ(), runMainEnv+"=1"))
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	defer c.Close()

	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "main_test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if res.ServerInfo.Name != "pfsense-mcp" {
		t.Errorf("server name = %q, want pfsense-mcp", res.ServerInfo.Name)
	}

	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	if got := len(list.Tools); got != 677 {
		t.Errorf("tools/list returned %d tools, want 677 (one per operation of the v2.7.1 spec)", got)
	}
	var found bool
	for _, tool := range list.Tools {
		if tool.Name == "pfsense_list_firewall_aliases" {
			found = true
			if tool.Description == "" {
				t.Errorf("%s has no description", tool.Name)
			}
		}
		a := tool.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: every annotation must be set explicitly, got %+v", tool.Name, a)
		}
	}
	if !found {
		t.Error("tools/list has no pfsense_list_firewall_aliases")
	}
}
