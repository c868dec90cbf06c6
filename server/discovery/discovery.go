// Package discovery provides the tools of the discovery mode: instead of listing every tool
// (about 90k tokens of definitions for 677 tools), the client gets three that reach all of them:
// search tools by words, describe one tool's arguments, and call a tool by name. The call goes
// through the same path as a directly listed tool: validation, gates, redaction, audit.
package discovery

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Names of the discovery tools.
const (
	SearchName   = "pfsense_search_tools"
	DescribeName = "pfsense_describe_tool"
	CallName     = "pfsense_call_tool"
)

// Tools returns the three discovery tools for d. writes says whether mutations are enabled,
// which decides the annotations of the call tool.
func Tools(d *toolcall.Dispatcher, writes bool) []*toolcall.Extra {
	return []*toolcall.Extra{
		{
			Name:  SearchName,
			Title: "Search pfSense tools",
			Description: fmt.Sprintf("Finds pfSense REST API tools by what you want to do, e.g. \"add wireguard peer\", \"list firewall rules on wan\", "+
				"\"dhcp leases\". Returns tool names with a one-line summary; then use %s to see a tool's arguments and %s to run it. "+
				"%d tools are available.", DescribeName, CallName, len(d.Inventory().Exposed())),
			InputSchema: `{"type":"object","additionalProperties":false,"required":["query"],"properties":{` +
				`"query":{"type":"string","minLength":1,"description":"What you want to do, in a few words."},` +
				`"limit":{"type":"integer","minimum":1,"maximum":25,"description":"How many tools to return (default 8)."}}}`,
			Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
			Run: func(_ context.Context, args map[string]any) (any, error) {
				return search(d, args), nil
			},
		},
		{
			Name:        DescribeName,
			Title:       "Describe a pfSense tool",
			Description: fmt.Sprintf("Shows one tool's full description and the JSON Schema of its arguments, to call it with %s.", CallName),
			InputSchema: `{"type":"object","additionalProperties":false,"required":["name"],"properties":{` +
				`"name":{"type":"string","minLength":1,"description":"The tool's name, e.g. pfsense_list_firewall_aliases."}}}`,
			Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
			Run: func(_ context.Context, args map[string]any) (any, error) {
				return describe(d, args["name"].(string))
			},
		},
		{
			Name:  CallName,
			Title: "Call a pfSense tool",
			Description: "Runs a pfSense tool by name with its arguments (see " + DescribeName + "). Changes to the firewall follow the same rules " +
				"as everywhere: without \"confirm\" in the arguments you get a preview (with a confirm_token) and nothing changes.",
			InputSchema: `{"type":"object","additionalProperties":false,"required":["name"],"properties":{` +
				`"name":{"type":"string","minLength":1,"description":"The tool's name."},` +
				`"arguments":{"type":"object","description":"The tool's arguments, as described by ` + DescribeName + `."}}}`,
			Annotations: toolspec.Annotations{ReadOnly: !writes, Destructive: writes},
			Run: func(ctx context.Context, args map[string]any) (any, error) {
				inner, _ := args["arguments"].(map[string]any)
				name := args["name"].(string)
				if name == CallName {
					return nil, fmt.Errorf("%s cannot call itself", CallName)
				}
				return d.Call(ctx, name, inner), nil
			},
		},
	}
}

func search(d *toolcall.Dispatcher, args map[string]any) map[string]any {
	limit := 8
	if v, ok := args["limit"].(float64); ok {
		limit = int(v)
	}
	query := args["query"].(string)
	matches := d.Inventory().Search(query, limit)
	// The server's own tools that discovery mode does not list (the security audit) are found too.
	for _, x := range d.Extras() {
		if x.Name == SearchName || x.Name == DescribeName || x.Name == CallName {
			continue
		}
		t := &toolspec.Tool{Name: x.Name, Title: x.Title, Description: x.Description, Annotations: x.Annotations}
		if score := inventory.Score(query, t); score > 0 {
			matches = append(matches, inventory.Match{Tool: t, Score: score})
		}
	}
	sort.SliceStable(matches, func(i, j int) bool { return matches[i].Score > matches[j].Score })
	if len(matches) > limit {
		matches = matches[:limit]
	}
	rows := make([]any, 0, len(matches))
	for _, m := range matches {
		t := m.Tool
		row := map[string]any{"name": t.Name, "summary": firstSentence(t.Description)}
		if t.Mutation {
			row["changes_firewall"] = true
		}
		rows = append(rows, row)
	}
	out := map[string]any{"tools": rows}
	if hidden := hiddenMatches(d, query); len(hidden) > 0 {
		out["not_available"] = hidden
	}
	if len(rows) == 0 {
		out["hint"] = "No tool matches; try other words (e.g. the pfSense menu name) or one of the modules: " + strings.Join(d.Inventory().ModuleNames(), ", ")
	} else {
		out["next"] = "Call " + DescribeName + " for a tool's arguments, then " + CallName + "."
	}
	return out
}

// hiddenMatches lists the tools that match the query but are hidden, with why and the setting
// that would expose them: a model asked to reboot the firewall learns that the operator has not
// allowed it, instead of searching in vain.
func hiddenMatches(d *toolcall.Dispatcher, query string) []any {
	var out []any
	for _, m := range d.Inventory().SearchHidden(query, 3) {
		out = append(out, map[string]any{"name": m.Tool.Name, "summary": firstSentence(m.Tool.Description), "why": "not available: " + m.Reason})
	}
	return out
}

func describe(d *toolcall.Dispatcher, name string) (map[string]any, error) {
	for _, x := range d.Extras() {
		if x.Name == name {
			return map[string]any{"name": x.Name, "description": x.Description, "input_schema": json.RawMessage(x.InputSchema)}, nil
		}
	}
	t, err := d.Inventory().Lookup(name)
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"name":         t.Name,
		"title":        t.Title,
		"description":  t.Description,
		"input_schema": json.RawMessage(t.InputSchema),
	}
	if t.Mutation {
		out["changes_firewall"] = true
	}
	if t.ApplyTool != "" {
		out["apply_tool"] = t.ApplyTool
	}
	return out, nil
}

// firstSentence keeps search results short: the first sentence says what a tool does.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}
