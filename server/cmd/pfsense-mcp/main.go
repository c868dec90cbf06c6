// Command pfsense-mcp is an MCP server for the pfSense REST API v2.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

const version = "0.1.0"

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: pfsense-mcp [flags]\n\nServes %d pfSense REST API %s tools over MCP on stdio.\n\nFlags:\n", len(tooldefs.Tools), tooldefs.SpecVersion)
		flag.PrintDefaults()
	}
	flag.Parse()
	s := server.NewMCPServer("pfsense-mcp", version, server.WithToolCapabilities(false))
	for i := range tooldefs.Tools {
		t := &tooldefs.Tools[i]
		s.AddTool(mcpTool(t), notYet)
	}
	if err := server.ServeStdio(s); err != nil {
		fmt.Fprintln(os.Stderr, "pfsense-mcp:", err)
		os.Exit(1)
	}
}

func mcpTool(t *toolspec.Tool) mcp.Tool {
	tool := mcp.NewToolWithRawSchema(t.Name, t.Description, []byte(t.InputSchema))
	a := t.Annotations
	tool.Annotations = mcp.ToolAnnotation{
		Title:           t.Title,
		ReadOnlyHint:    &a.ReadOnly,
		DestructiveHint: &a.Destructive,
		IdempotentHint:  &a.Idempotent,
		OpenWorldHint:   &a.OpenWorld,
	}
	return tool
}

func notYet(_ context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	return mcp.NewToolResultError("pfsense-mcp " + version + " lists tools but does not call the firewall yet"), nil
}
