package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// ownModule is the row of the server's own tools (overview, pending changes, security audit),
// which belong to no module of the REST API and are listed whatever PFSENSE_MODULES says.
const ownModule = "(server's own)"

// moduleCost is what one module adds to tools/list with the chosen access settings.
type moduleCost struct {
	Module  string
	Tools   int
	Bytes   int // the tools' definitions as tools/list sends them
	Hidden  int // tools of the module that the access settings (writes, dangerous) hide
	Enabled bool
}

// exposure is what a configuration exposes: every module's cost (enabled or not, so a user
// can choose PFSENSE_MODULES), and the tools/list answer the chosen settings produce.
type exposure struct {
	Modules     []moduleCost
	Listed      int // tools in tools/list
	ListBytes   int // bytes of the tools/list result, {"tools":[...]}
	Reachable   int // tools a call can reach: the listed ones, or in discovery mode every enabled one
	Discovery   bool
	DiscListed  int // tools/list with PFSENSE_TOOL_MODE=discovery and the same other settings
	DiscBytes   int
	modulesFlag []string
}

// measureExposure asks the inventory (the one place that decides what is exposed) and the MCP
// server's own tool list, so the numbers are those of a real tools/list answer.
func measureExposure(cfg *config.Config) (*exposure, error) {
	access := inventory.Options{AllowWrites: cfg.AllowWrites, AllowDangerous: cfg.AllowDangerous}
	everyModule, err := inventory.New(tooldefs.Tools, access)
	if err != nil {
		return nil, err
	}
	chosenOpts := access
	chosenOpts.Modules = cfg.Modules
	chosen, err := inventory.New(tooldefs.Tools, chosenOpts)
	if err != nil {
		return nil, err
	}

	ex := &exposure{Discovery: cfg.Mode == config.ModeDiscovery, modulesFlag: cfg.Modules}
	rows := map[string]*moduleCost{}
	for _, m := range everyModule.ModuleNames() {
		rows[m] = &moduleCost{Module: m, Enabled: len(cfg.Modules) == 0 || slices.Contains(cfg.Modules, m)}
	}
	rows[ownModule] = &moduleCost{Module: ownModule, Enabled: true}
	for _, t := range everyModule.All() {
		if _, err := everyModule.Lookup(t.Name); err != nil {
			rows[t.Module].Hidden++
		}
	}
	for _, t := range listed(everyModule, cfg, config.ModeFull) {
		b, err := json.Marshal(t.Tool)
		if err != nil {
			return nil, fmt.Errorf("render tool %s: %w", t.Tool.Name, err)
		}
		row := rows[ownModule]
		if spec, ok := everyModule.ByName(t.Tool.Name); ok {
			row = rows[spec.Module]
		}
		row.Tools++
		row.Bytes += len(b)
	}
	for _, m := range everyModule.ModuleNames() {
		ex.Modules = append(ex.Modules, *rows[m])
	}
	ex.Modules = append(ex.Modules, *rows[ownModule])

	list := listed(chosen, cfg, cfg.Mode)
	if ex.Listed, ex.ListBytes, err = listSize(list); err != nil {
		return nil, err
	}
	ex.Reachable = ex.Listed
	if ex.Discovery {
		ex.Reachable = len(chosen.Exposed()) + len(mcpserver.OwnToolsFor(cfg.AllowWrites))
	}
	if ex.DiscListed, ex.DiscBytes, err = listSize(listed(chosen, cfg, config.ModeDiscovery)); err != nil {
		return nil, err
	}
	return ex, nil
}

// listed is the server's tool list for inv in mode, built as the server builds it.
func listed(inv *inventory.Inventory, cfg *config.Config, mode config.ToolMode) []server.ServerTool {
	d := toolcall.New(toolcall.Options{Inventory: inv})
	return mcpserver.Tools(d, mcpserver.Options{Mode: mode, AllowWrites: cfg.AllowWrites, SpecVersion: tooldefs.SpecVersion})
}

// listSize is the number of tools and the size of the tools/list result that lists them.
func listSize(tools []server.ServerTool) (int, int, error) {
	list := make([]mcp.Tool, len(tools))
	for i, t := range tools {
		list[i] = t.Tool
	}
	b, err := json.Marshal(mcp.ListToolsResult{Tools: list})
	if err != nil {
		return 0, 0, fmt.Errorf("render tools/list: %w", err)
	}
	return len(tools), len(b), nil
}

// runTools is `pfsense-mcp tools`: what the settings expose, per module, and what it costs.
func runTools(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.LoadOffline(args, getenv, stderr)
	if err != nil {
		return err
	}
	ex, err := measureExposure(cfg)
	if err != nil {
		return err
	}
	return ex.write(stdout, cfg)
}

// tokens estimates a model's tokens for JSON text: about four bytes a token.
func tokens(bytes int) string {
	if n := bytes / 4; n < 1000 {
		return fmt.Sprintf("~%d", n)
	}
	return fmt.Sprintf("~%.1fk", float64(bytes)/4000)
}

func (ex *exposure) write(w io.Writer, cfg *config.Config) error {
	access := "read-only"
	switch {
	case cfg.AllowWrites && cfg.AllowDangerous:
		access = "writes and dangerous operations enabled"
	case cfg.AllowWrites:
		access = "writes enabled"
	case cfg.AllowDangerous:
		access = "read-only, dangerous reads enabled"
	}
	modules := "all modules"
	if len(ex.modulesFlag) > 0 {
		modules = "modules " + strings.Join(ex.modulesFlag, ",")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Tools for these settings: %s, %s, tool mode %s.\n\n", access, modules, cfg.Mode)
	fmt.Fprintf(&b, "  %-28s %6s %10s %8s %7s\n", "MODULE", "TOOLS", "BYTES", "TOKENS", "HIDDEN")
	rows := slices.Clone(ex.Modules)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Module != ownModule && rows[j].Module == ownModule })
	for _, m := range rows {
		mark := " "
		if len(ex.modulesFlag) > 0 && m.Enabled && m.Module != ownModule {
			mark = "*"
		}
		fmt.Fprintf(&b, "%s %-28s %6d %10d %8s %7d\n", mark, m.Module, m.Tools, m.Bytes, tokens(m.Bytes), m.Hidden)
	}
	if len(ex.modulesFlag) > 0 {
		b.WriteString("* enabled by PFSENSE_MODULES\n")
	}
	if ex.Discovery {
		b.WriteString("In discovery mode these tools are not listed: the model reads one definition at a time with pfsense_describe_tool.\n")
	}
	b.WriteString("HIDDEN: tools of the module that change the firewall (PFSENSE_ALLOW_WRITES) or are dangerous (PFSENSE_ALLOW_DANGEROUS).\n")
	fmt.Fprintf(&b, "\ntools/list: %d tools, %d bytes (%s tokens)", ex.Listed, ex.ListBytes, tokens(ex.ListBytes))
	if ex.Discovery {
		fmt.Fprintf(&b, "; the call tools reach %d tools", ex.Reachable)
	}
	b.WriteString("\n")
	if !ex.Discovery {
		fmt.Fprintf(&b, "With PFSENSE_TOOL_MODE=discovery: %d tools, %d bytes (%s tokens), reaching the same %d.\n", ex.DiscListed, ex.DiscBytes, tokens(ex.DiscBytes), ex.Reachable)
	}
	b.WriteString("Choose with PFSENSE_MODULES (comma-separated module names above), PFSENSE_ALLOW_WRITES and PFSENSE_TOOL_MODE.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
