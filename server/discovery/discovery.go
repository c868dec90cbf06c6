// Package discovery provides the tools of the discovery mode: instead of listing every tool,
// the client gets a few that reach all of them: search tools by words, describe one tool's
// arguments, and run a tool by name, reads through one call tool and changes (listed only with
// writes enabled) through another. The call goes through the same path as a directly listed
// tool: validation, gates, redaction, audit.
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

// Names of the discovery tools. Reads and changes go through separate call tools, so that each
// can carry honest annotations: a client that asks before destructive tools asks before
// changes, not before every read.
const (
	SearchName     = "pfsense_search_tools"
	DescribeName   = "pfsense_describe_tool"
	CallReadName   = "pfsense_call_read_tool"
	CallChangeName = "pfsense_call_change_tool"
)

// IsCall reports whether name is one of the call tools.
func IsCall(name string) bool { return name == CallReadName || name == CallChangeName }

// Own reports whether name is a discovery tool.
func Own(name string) bool { return name == SearchName || name == DescribeName || IsCall(name) }

// callTool is the call tool that runs t: reads through one, changes through the other.
func callTool(changes bool) string {
	if changes {
		return CallChangeName
	}
	return CallReadName
}

// target is what a call tool may run: a generated tool or a server tool.
type target struct {
	changes bool
	ann     toolspec.Annotations
}

// targets returns what every exposed tool and server tool is, by name.
func targets(d *toolcall.Dispatcher) map[string]target {
	out := map[string]target{}
	for _, t := range d.Inventory().Exposed() {
		out[t.Name] = target{changes: t.Mutation, ann: t.Annotations}
	}
	for _, x := range d.Extras() {
		if !Own(x.Name) {
			out[x.Name] = target{changes: !x.Annotations.ReadOnly, ann: x.Annotations}
		}
	}
	return out
}

// Tools returns the discovery tools for d: search, describe, the read call tool and, when
// writes is set, the change call tool. Each call tool's annotations sum up what it can reach:
// destructive (or open-world) when any tool it runs is.
func Tools(d *toolcall.Dispatcher, writes bool) []*toolcall.Extra {
	var readOpen, changeOpen, changeDestructive bool
	for _, tg := range targets(d) {
		if tg.changes {
			changeOpen = changeOpen || tg.ann.OpenWorld
			changeDestructive = changeDestructive || tg.ann.Destructive
		} else {
			readOpen = readOpen || tg.ann.OpenWorld
		}
	}
	call := func(changes bool) func(ctx context.Context, args map[string]any) (any, error) {
		return func(ctx context.Context, args map[string]any) (any, error) {
			inner, _ := args["arguments"].(map[string]any)
			name := args["name"].(string)
			if Own(name) {
				return nil, fmt.Errorf("%s runs the tools it finds, not the discovery tools: call %s directly", callTool(changes), name)
			}
			if tg, ok := targets(d)[name]; ok && tg.changes != changes {
				if tg.changes && !writes {
					return nil, fmt.Errorf("%s changes the firewall and the server is read-only (set PFSENSE_ALLOW_WRITES=true to enable changes)", name)
				}
				what := "only reads"
				if tg.changes {
					what = "changes the firewall"
				}
				return nil, fmt.Errorf("%s %s: run it with %s", name, what, callTool(tg.changes))
			}
			return d.Call(toolcall.WithVia(ctx, callTool(changes)), name, inner), nil
		}
	}
	callSchema := `{"type":"object","additionalProperties":false,"required":["name"],"properties":{` +
		`"name":{"type":"string","minLength":1,"description":"The tool's name."},` +
		`"arguments":{"type":"object","description":"Its arguments (see ` + DescribeName + `)."}}}`
	tools := []*toolcall.Extra{
		{
			Name:  SearchName,
			Title: "Search pfSense tools",
			// No tool count here: the list changes when the firewall is probed, and a description
			// does not; the answer says how many tools it searched.
			Description: fmt.Sprintf("Finds pfSense tools by what you want to do (\"add wireguard peer\", \"firewall rules on wan\"): names, one-line summaries "+
				"and the call tool that runs each; %s shows a tool's arguments.", DescribeName),
			InputSchema: `{"type":"object","additionalProperties":false,"required":["query"],"properties":{` +
				`"query":{"type":"string","minLength":1,"description":"What you want to do, in a few words."},` +
				`"limit":{"type":"integer","minimum":1,"maximum":25,"description":"How many tools to return (default 8)."}}}`,
			Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
			Run: func(_ context.Context, args map[string]any) (any, error) {
				return search(d, writes, args), nil
			},
		},
		{
			Name:        DescribeName,
			Title:       "Describe a pfSense tool",
			Description: "Shows one tool's full description and the JSON Schema of its arguments, and which call tool runs it.",
			InputSchema: `{"type":"object","additionalProperties":false,"required":["name"],"properties":{` +
				`"name":{"type":"string","minLength":1,"description":"The tool's name, e.g. pfsense_list_firewall_aliases."}}}`,
			Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
			Run: func(_ context.Context, args map[string]any) (any, error) {
				return describe(d, args["name"].(string))
			},
		},
		{
			Name:        CallReadName,
			Title:       "Run a pfSense tool that reads",
			Description: "Runs a pfSense tool that only reads (lists, gets, status, logs, ping, the audit) by name. Changes nothing.",
			InputSchema: callSchema,
			Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true, OpenWorld: readOpen},
			Run:         call(false),
		},
	}
	if writes {
		tools = append(tools, &toolcall.Extra{
			Name:        CallChangeName,
			Title:       "Run a pfSense tool that changes the firewall",
			Description: "Runs a pfSense tool that changes the firewall (create, update, delete, apply, ...) by name; without \"confirm\" in its arguments it only previews, and the preview gives the confirm_token that makes the change.",
			InputSchema: callSchema,
			Annotations: toolspec.Annotations{Destructive: changeDestructive, OpenWorld: changeOpen},
			Run:         call(true),
		})
	}
	return tools
}

func search(d *toolcall.Dispatcher, writes bool, args map[string]any) map[string]any {
	limit := 8
	if v, ok := args["limit"].(float64); ok {
		limit = int(v)
	}
	query := args["query"].(string)
	matches := d.Inventory().Search(query, limit)
	// The server's own tools that discovery mode does not list (the security audit) are found too.
	for _, x := range d.Extras() {
		if Own(x.Name) {
			continue
		}
		t := &toolspec.Tool{Name: x.Name, Title: x.Title, Description: x.Description, Annotations: x.Annotations, Mutation: !x.Annotations.ReadOnly}
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
		row := map[string]any{"name": t.Name, "summary": firstSentence(t.Description), "run_with": callTool(t.Mutation)}
		rows = append(rows, row)
	}
	out := map[string]any{"tools": rows, "searched": len(d.Inventory().Exposed())}
	best := 0
	if len(matches) > 0 {
		best = matches[0].Score
	}
	if hidden := hiddenMatches(d, query, best); len(hidden) > 0 {
		out["not_available"] = hidden
	}
	if len(rows) == 0 {
		out["hint"] = "No tool matches; try other words (e.g. the pfSense menu name) or one of the modules: " + strings.Join(d.Inventory().ModuleNames(), ", ")
	} else {
		next := "Call " + DescribeName + " for a tool's arguments, then run it with " + CallReadName
		if writes {
			next += " (reads) or " + CallChangeName + " (changes)"
		}
		out["next"] = next + "."
	}
	return out
}

// hiddenMatches lists the tools that match the query but are hidden, with why and the setting
// that would expose them: a model asked to reboot the firewall learns that the operator has not
// allowed it, instead of searching in vain. Only those that fit the query at least as well as
// the best tool found are listed: a hidden tool that matches one word of a longer query is noise.
func hiddenMatches(d *toolcall.Dispatcher, query string, best int) []any {
	var out []any
	for _, m := range d.Inventory().SearchHidden(query, 3) {
		if m.Score < best {
			continue
		}
		out = append(out, map[string]any{"name": m.Tool.Name, "summary": firstSentence(m.Tool.Description), "why": "not available: " + m.Reason})
	}
	return out
}

func describe(d *toolcall.Dispatcher, name string) (map[string]any, error) {
	for _, x := range d.Extras() {
		if x.Name == name {
			return map[string]any{"name": x.Name, "description": x.Description, "input_schema": json.RawMessage(x.InputSchema),
				"run_with": callTool(!x.Annotations.ReadOnly)}, nil
		}
	}
	t, err := d.Inventory().Lookup(name)
	if err != nil {
		return nil, err
	}
	desc := t.Description
	if note := toolspec.GuardedNote(t.Risks); note != "" && t.Mutation && !d.Inventory().AllowsDangerous() {
		desc += " " + note
	}
	out := map[string]any{
		"name":         t.Name,
		"title":        t.Title,
		"description":  desc,
		"input_schema": json.RawMessage(t.InputSchema),
		"run_with":     callTool(t.Mutation),
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
