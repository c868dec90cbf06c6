package mcpserver

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Budgets of the tools/list answer, in bytes (1 KB = 1,000 bytes): what the tool definitions
// cost a model's context in each mode. A change that grows a mode past its budget fails here;
// BenchmarkToolsListBytes (server/cmd/pfsense-mcp) prints the figures per mode and module.
var budgets = []struct {
	name  string
	opts  inventory.Options
	mode  config.ToolMode
	limit int
}{
	{"writes on, every tool (dangerous ones too)", inventory.Options{AllowWrites: true, AllowDangerous: true}, config.ModeFull, 1_000_000},
	{"writes on, dangerous off (the guarded notes listed)", inventory.Options{AllowWrites: true}, config.ModeFull, 1_000_000},
	{"read-only", inventory.Options{}, config.ModeFull, 180_000},
	{"discovery, writes on", inventory.Options{AllowWrites: true, AllowDangerous: true}, config.ModeDiscovery, 4_000 - 1},
	{"discovery, read-only", inventory.Options{}, config.ModeDiscovery, 4_000 - 1},
}

// listedBytes is the size of the tools/list result a client receives in this configuration.
func listedBytes(t testing.TB, opts inventory.Options, mode config.ToolMode) int {
	t.Helper()
	inv, err := inventory.New(tooldefs.Tools, opts)
	if err != nil {
		t.Fatal(err)
	}
	d := toolcall.New(toolcall.Options{Inventory: inv})
	l := &listing{tools: Tools(d, Options{Mode: mode, AllowWrites: opts.AllowWrites, SpecVersion: tooldefs.SpecVersion})}
	return len(l.result())
}

func TestToolsListStaysWithinBudget(t *testing.T) {
	for _, b := range budgets {
		got := listedBytes(t, b.opts, b.mode)
		t.Logf("%s: %d bytes (budget %d, spec %s)", b.name, got, b.limit, tooldefs.SpecVersion)
		if got > b.limit {
			t.Errorf("%s: tools/list is %d bytes, over its budget of %d: shorten what grew, or say it once in the server instructions", b.name, got, b.limit)
		}
	}
}
