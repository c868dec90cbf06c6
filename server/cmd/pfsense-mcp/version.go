package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/buildinfo"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
)

// printVersion answers --version: which server, generated from which REST API spec, with how
// many tools (all of them: what the settings expose is `pfsense-mcp tools`).
func printVersion(w io.Writer) error {
	generated, own := len(tooldefs.Tools), len(mcpserver.OwnToolsFor(true))
	_, err := fmt.Fprintf(w, "pfsense-mcp %s\nspec: pfSense REST API %s\ntools: %d (%d generated from the spec's operations, %d of the server's own)\nbuilt: %s %s/%s\n",
		buildinfo.Version(), tooldefs.SpecVersion, generated+own, generated, own, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
