// Package mcpserver exposes a toolcall.Dispatcher over MCP with mark3labs/mcp-go: it lists the
// tools the mode calls for and hands every call to the dispatcher.
package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/discovery"
	"github.com/pfsense-mcp/pfsense-mcp/server/fwlog"
	"github.com/pfsense-mcp/pfsense-mcp/server/lint"
	"github.com/pfsense-mcp/pfsense-mcp/server/overview"
	"github.com/pfsense-mcp/pfsense-mcp/server/secaudit"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
	"github.com/pfsense-mcp/pfsense-mcp/server/wgkey"
)

// Name and Version identify the server to MCP clients.
const (
	Name    = "pfsense-mcp"
	Version = "0.1.0"
)

// Options says what to expose.
type Options struct {
	Mode        config.ToolMode
	AllowWrites bool
	SpecVersion string // tooldefs.SpecVersion
	// Dialect is how input schemas are listed (config.DialectStrict rewrites them for clients
	// that refuse type lists and null in enums); "" is standard.
	Dialect config.SchemaDialect
}

// Server is an MCP server whose tools all run through one dispatcher.
type Server struct {
	mcp        *server.MCPServer
	list       *listing
	registered chan struct{} // closed once every tool is registered with mcp-go
	listed     map[string]bool
	d          *toolcall.Dispatcher
}

// New returns a server for d. Tools are registered with mcp-go in the background, so start-up
// is not held up: MCP() and the transports wait for it where they must.
func New(d *toolcall.Dispatcher, o Options) *Server {
	s := &Server{
		mcp: server.NewMCPServer(Name, Version,
			server.WithToolCapabilities(false),
			server.WithRecovery(),
			server.WithInstructions(instructions(o)),
		),
		registered: make(chan struct{}),
	}
	tools := Tools(d, o)
	s.list = &listing{tools: tools}
	s.d = d
	s.listed = make(map[string]bool, len(tools))
	for _, t := range tools {
		s.listed[t.Tool.Name] = true
	}
	// The rendering is on the path of the first tools/list; registration only on that of the
	// first call, which comes later: render first, with every core, then register.
	go func() {
		s.list.result()
		s.mcp.AddTools(tools...)
		close(s.registered)
	}()
	return s
}

// MCP returns the mcp-go server once every tool is registered.
func (s *Server) MCP() *server.MCPServer {
	<-s.registered
	return s.mcp
}

// Names of the server's own tools (not generated from the spec).
const (
	OverviewTool = "pfsense_overview"
	PendingTool  = "pfsense_pending_changes"
	AuditTool    = "pfsense_security_audit"
	LogTool      = fwlog.Name
	KeyTool      = wgkey.Name
)

// OwnTools are the server's own tools that only read: listed in full mode, and callable in
// every mode.
func OwnTools() []string { return []string{OverviewTool, PendingTool, AuditTool, LogTool} }

// OwnChangeTools are the server's own tools that change the firewall: listed (and callable)
// only with writes enabled.
func OwnChangeTools() []string { return []string{KeyTool} }

// OwnToolsFor are the server's own tools listed when writes are (or are not) enabled.
func OwnToolsFor(writes bool) []string {
	if writes {
		return append(OwnTools(), OwnChangeTools()...)
	}
	return OwnTools()
}

// DiscoveryListed are the tools listed in discovery mode (the change call tool only with
// writes); every other tool is reached through the call tools.
func DiscoveryListed(writes bool) []string {
	out := []string{discovery.SearchName, discovery.DescribeName, discovery.CallReadName, OverviewTool, PendingTool}
	if writes {
		out = append(out, discovery.CallChangeName)
	}
	return out
}

// Tools returns the MCP tools for the mode: every exposed generated tool plus the overview
// tools (full), or the discovery and overview tools (discovery). It registers the server's own
// tools with d, so that d.Call can run them.
func Tools(d *toolcall.Dispatcher, o Options) []server.ServerTool {
	own := append(overview.Tools(d, o.SpecVersion), secaudit.Tool(d), fwlog.Tool(d))
	if _, ok := d.Inventory().ByName(wgkey.CreateTool); ok && o.AllowWrites {
		own = append(own, wgkey.Tool(d))
	}
	d.Register(own...)
	d.SetLinter(lint.Rules{})
	listed := own
	var out []server.ServerTool
	if o.Mode == config.ModeDiscovery {
		disc := discovery.Tools(d, o.AllowWrites)
		d.Register(disc...)
		listed = nil
		for _, x := range append(disc, own...) {
			if slices.Contains(DiscoveryListed(o.AllowWrites), x.Name) {
				listed = append(listed, x)
			}
		}
	} else {
		for _, t := range d.Inventory().Exposed() {
			out = append(out, server.ServerTool{Tool: generatedTool(t), Handler: handler(d, t.Name)})
		}
	}
	for _, x := range listed {
		out = append(out, server.ServerTool{Tool: extraTool(x), Handler: handler(d, x.Name)})
	}
	if o.Dialect == config.DialectStrict {
		for i := range out {
			out[i].Tool.RawInputSchema = strictSchema(out[i].Tool.RawInputSchema)
		}
	}
	// mcp-go lists tools sorted by name; the pre-rendered listing must be in the same order.
	sort.Slice(out, func(i, j int) bool { return out[i].Tool.Name < out[j].Tool.Name })
	return out
}

func generatedTool(t *toolspec.Tool) mcp.Tool {
	tool := mcp.NewToolWithRawSchema(t.Name, t.Description, json.RawMessage(t.InputSchema))
	tool.Annotations = annotations(t.Title, t.Annotations)
	return tool
}

func extraTool(x *toolcall.Extra) mcp.Tool {
	tool := mcp.NewToolWithRawSchema(x.Name, x.Description, json.RawMessage(x.InputSchema))
	tool.Annotations = annotations(x.Title, x.Annotations)
	return tool
}

// annotations sets all four hints explicitly: mcp-go would default destructiveHint and
// openWorldHint to true.
func annotations(title string, a toolspec.Annotations) mcp.ToolAnnotation {
	return mcp.ToolAnnotation{
		Title:           title,
		ReadOnlyHint:    mcp.ToBoolPtr(a.ReadOnly),
		DestructiveHint: mcp.ToBoolPtr(a.Destructive),
		IdempotentHint:  mcp.ToBoolPtr(a.Idempotent),
		OpenWorldHint:   mcp.ToBoolPtr(a.OpenWorld),
	}
}

func handler(d *toolcall.Dispatcher, name string) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, ok := req.Params.Arguments.(map[string]any)
		if !ok && req.Params.Arguments != nil {
			return mcp.NewToolResultError(fmt.Sprintf("Invalid arguments for %s: they must be a JSON object", name)), nil
		}
		r := d.Call(ctx, name, args)
		if r.IsError {
			return mcp.NewToolResultError(r.Text), nil
		}
		return mcp.NewToolResultText(r.Text), nil
	}
}

func instructions(o Options) string {
	s := "Tools for a pfSense firewall (REST API " + o.SpecVersion + "). Start with pfsense_overview; pfsense_security_audit reviews the configuration for weaknesses. " +
		"Tool names are pfsense_{verb}_{resource}. " + conventions
	if o.AllowWrites {
		s += "Changes need confirm: true: call once without it to preview (it shows the current object and what would change), " +
			"then again with confirm: true. Many changes stay pending until you call the apply tool the answer names (or pass apply: true where a tool takes it); " +
			"the answer says whether the change applied, and pfsense_pending_changes shows what is waiting. "
	} else {
		s += "The server is read-only: tools that change the firewall are not available. "
	}
	if o.Mode == config.ModeDiscovery {
		s += "Find tools with " + discovery.SearchName + ", read their arguments with " + discovery.DescribeName + ", run reads with " + discovery.CallReadName
		if o.AllowWrites {
			s += " and changes with " + discovery.CallChangeName
		}
		s += ". "
	}
	return s + "Secret values (keys, passwords, hashes) are shown as [REDACTED]."
}

// conventions are the rules every tool follows, said once here instead of in each of ~680
// tool definitions (the REST API's QueryFilters/, Core/Model.inc query() and read_all()).
const conventions = "Ids: most objects are addressed by their position in the list (id, from 0), which shifts down after a delete: list again before reusing an id; " +
	"interfaces and DHCP servers use names (wan, lan, opt1). " +
	"Lists return a page (default 50; more and next_offset say how to continue; total, where given, counts every match). " +
	`Filters (query): {"field": value} for equality or {"field__op": value} with op one of contains, startswith, endswith, except (not equal), ` +
	"in (the value is one of a list: give an array), lt, lte, gt, gte (numbers), format (ipv4, ipv6, ip, mac, subnet, email, url, numeric, hostname) " +
	`or regex (with delimiters, e.g. "/^web/i"); every filter must match; fields a tool's query description calls list fields match one element with __contains. ` +
	"fields: return only these fields (id and parent_id always come too). sort_by / sort_order: sort before paging; ids stay as they are. " +
	"Log tools are oldest first unless reverse: true. "
