// Package inventory is the one place that decides which generated tools are exposed: it
// applies the configuration (writes, dangerous operations, modules) and what the firewall
// itself has (its REST API version's operations, its installed packages: see SetFirewall) to
// the tool table, finds a tool by name (explaining why a hidden one is hidden), and searches
// tools by words for the discovery mode.
package inventory

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Options are the exposure filters.
type Options struct {
	AllowWrites    bool     // expose mutations (they still need confirm=true).
	AllowDangerous bool     // expose dangerous operations (needs AllowWrites for mutating ones).
	Modules        []string // only these modules; empty = all.
}

// Inventory is the filtered view of the tool table. It is safe for concurrent use: the
// firewall's facts may arrive (SetFirewall) while calls are served.
type Inventory struct {
	opts    Options
	all     map[string]*toolspec.Tool
	modules map[string]int // module -> number of tools in the table
	view    atomic.Pointer[view]
}

// view is what is exposed under one set of firewall facts; SetFirewall swaps it whole.
type view struct {
	fw      Firewall
	exposed []*toolspec.Tool
	byName  map[string]*toolspec.Tool
	index   func() []entry // search index over exposed tools, built on first search
}

// New filters tools by opts. Unknown module names are an error that lists the valid ones.
func New(tools []toolspec.Tool, opts Options) (*Inventory, error) {
	inv := &Inventory{opts: opts, all: map[string]*toolspec.Tool{}, modules: map[string]int{}}
	for i := range tools {
		t := &tools[i]
		inv.all[t.Name] = t
		inv.modules[t.Module]++
	}
	for _, m := range opts.Modules {
		if inv.modules[m] == 0 {
			return nil, fmt.Errorf("PFSENSE_MODULES: %q is not a module; valid modules: %s", m, strings.Join(inv.ModuleNames(), ", "))
		}
	}
	inv.view.Store(inv.newView(Firewall{}))
	return inv, nil
}

// newView filters the table under fw.
func (inv *Inventory) newView(fw Firewall) *view {
	v := &view{fw: fw, byName: map[string]*toolspec.Tool{}}
	for _, t := range inv.all {
		if inv.hiddenBecause(t, &fw) == "" {
			v.exposed = append(v.exposed, t)
			v.byName[t.Name] = t
		}
	}
	sort.Slice(v.exposed, func(i, j int) bool { return v.exposed[i].Name < v.exposed[j].Name })
	v.index = sync.OnceValue(func() []entry { return buildIndex(v.exposed) })
	return v
}

// hiddenBecause says why t is not exposed, or "" when it is: the configuration first (the user
// can change it), then what the firewall lacks.
func (inv *Inventory) hiddenBecause(t *toolspec.Tool, fw *Firewall) string {
	if reason := inv.configHides(t); reason != "" {
		return reason
	}
	return fw.hides(t)
}

// configHides says why the configuration hides t, or "".
func (inv *Inventory) configHides(t *toolspec.Tool) string {
	if len(inv.opts.Modules) > 0 && !contains(inv.opts.Modules, t.Module) {
		return fmt.Sprintf("its module %q is not enabled (PFSENSE_MODULES=%s)", t.Module, strings.Join(inv.opts.Modules, ","))
	}
	if t.Mutation && !inv.opts.AllowWrites {
		return "it changes the firewall and the server is read-only (set PFSENSE_ALLOW_WRITES=true to enable changes)"
	}
	if t.Dangerous && !inv.opts.AllowDangerous {
		return "it is a dangerous operation (" + t.DangerousReason + "); set PFSENSE_ALLOW_DANGEROUS=true to allow it"
	}
	return ""
}

// Exposed returns the exposed tools, sorted by name.
func (inv *Inventory) Exposed() []*toolspec.Tool { return inv.view.Load().exposed }

// All returns every tool of the table, exposed or not, sorted by name.
func (inv *Inventory) All() []*toolspec.Tool {
	out := make([]*toolspec.Tool, 0, len(inv.all))
	for _, t := range inv.all {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the exposed tool called name, or an error that says why there is none.
func (inv *Inventory) Lookup(name string) (*toolspec.Tool, error) {
	v := inv.view.Load()
	if t, ok := v.byName[name]; ok {
		return t, nil
	}
	if t, ok := inv.all[name]; ok {
		return nil, fmt.Errorf("tool %s is not available: %s", name, inv.hiddenBecause(t, &v.fw))
	}
	return nil, fmt.Errorf("%s", inv.unknownName(name, v))
}

// unknownName explains a name that is no tool: the closest exposed names, and a hidden tool
// that fits the name better than any of them with why it is hidden (a model that guessed
// pfsense_reboot learns that the reboot tool exists but needs PFSENSE_ALLOW_DANGEROUS).
func (inv *Inventory) unknownName(name string, v *view) string {
	q := words(strings.ReplaceAll(strings.TrimPrefix(name, "pfsense_"), "_", " "))
	msg := "there is no tool named " + name
	exposed := nameMatches(q, v.index(), 3)
	if len(exposed) > 0 {
		names := make([]string, len(exposed))
		for i, m := range exposed {
			names[i] = m.Tool.Name
		}
		msg += "; closest: " + strings.Join(names, ", ")
	}
	var hidden []*toolspec.Tool
	for _, t := range inv.All() {
		if _, ok := v.byName[t.Name]; !ok {
			hidden = append(hidden, t)
		}
	}
	if h := nameMatches(q, buildIndex(hidden), 1); len(h) > 0 && (len(exposed) == 0 || h[0].Score > exposed[0].Score) {
		msg += fmt.Sprintf("; %s exists but is not available: %s", h[0].Tool.Name, inv.hiddenBecause(h[0].Tool, &v.fw))
	}
	return msg
}

// nameMatches ranks entries for a mistyped tool name: the search score, plus a bonus when the
// name's last word is the tool's (the resource it is about: pfsense_list_interfaces means the
// interfaces, not the interface GREs), shorter names first among equals.
func nameMatches(q []string, index []entry, limit int) []Match {
	if len(q) == 0 {
		return nil
	}
	last := q[len(q)-1]
	return rank(index, q, limit, func(e *entry) int {
		if tw := words(strings.TrimPrefix(e.tool.Name, "pfsense_")); len(tw) > 0 && tw[len(tw)-1] == last {
			return 3
		}
		return 0
	})
}

// ByName returns any tool of the table (exposed or not), for internal reads such as previews.
func (inv *Inventory) ByName(name string) (*toolspec.Tool, bool) {
	t, ok := inv.all[name]
	return t, ok
}

// ByRoute returns the tool (exposed or not) for an operation, e.g. ("GET", "/api/v2/system/version").
func (inv *Inventory) ByRoute(method, path string) (*toolspec.Tool, bool) {
	for _, t := range inv.all {
		if t.Method == method && t.Path == path {
			return t, true
		}
	}
	return nil, false
}

// ModuleNames returns every module of the table, sorted.
func (inv *Inventory) ModuleNames() []string {
	out := make([]string, 0, len(inv.modules))
	for m := range inv.modules {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// Refusals returns the risks the HTTP client must refuse, keyed "METHOD path": every risk of
// the table (those of whole operations and those of arguments) unless dangerous effects are
// allowed.
func (inv *Inventory) Refusals() map[string][]toolspec.Risk {
	out := map[string][]toolspec.Risk{}
	if inv.opts.AllowDangerous {
		return out
	}
	for _, t := range inv.all {
		if len(t.Risks) > 0 {
			key := t.Method + " " + t.Path
			out[key] = append(out[key], t.Risks...)
		}
	}
	return out
}

// AllowsDangerous reports whether dangerous effects are allowed.
func (inv *Inventory) AllowsDangerous() bool { return inv.opts.AllowDangerous }

// Hidden says how many tools of the enabled modules are hidden, and why, for the server's
// instructions and the discovery search: "the operator has not enabled X" beats searching in vain.
type Hidden struct {
	Writes    int // mutations hidden because the server is read-only.
	Dangerous int // dangerous operations hidden because PFSENSE_ALLOW_DANGEROUS is off.
}

// HiddenDangerous names the dangerous tools of the enabled modules that are hidden because
// dangerous operations are not allowed (writes allowed), sorted.
func (inv *Inventory) HiddenDangerous() []string {
	var out []string
	for _, t := range inv.All() {
		if (len(inv.opts.Modules) == 0 || contains(inv.opts.Modules, t.Module)) && t.Dangerous && !inv.opts.AllowDangerous && (!t.Mutation || inv.opts.AllowWrites) {
			out = append(out, t.Name)
		}
	}
	return out
}

// HiddenCounts counts the hidden tools of the enabled modules by reason.
func (inv *Inventory) HiddenCounts() Hidden {
	var h Hidden
	for _, t := range inv.all {
		if len(inv.opts.Modules) > 0 && !contains(inv.opts.Modules, t.Module) {
			continue
		}
		switch {
		case t.Mutation && !inv.opts.AllowWrites:
			h.Writes++
		case t.Dangerous && !inv.opts.AllowDangerous:
			h.Dangerous++
		}
	}
	return h
}

// HiddenMatch is a hidden tool that matches a search, with why it is hidden.
type HiddenMatch struct {
	Tool   *toolspec.Tool
	Score  int
	Reason string
}

// SearchHidden ranks the hidden tools of the enabled modules like Search, so that a model
// looking for "reboot" on a server that does not allow it learns why instead of finding nothing.
func (inv *Inventory) SearchHidden(query string, limit int) []HiddenMatch {
	q := words(query)
	if len(q) == 0 {
		return nil
	}
	v := inv.view.Load()
	var hidden []*toolspec.Tool
	for _, t := range inv.All() {
		if _, exposed := v.byName[t.Name]; !exposed && (len(inv.opts.Modules) == 0 || contains(inv.opts.Modules, t.Module)) {
			hidden = append(hidden, t)
		}
	}
	var out []HiddenMatch
	for _, e := range buildIndex(hidden) {
		if score := e.match(q); score > 0 {
			out = append(out, HiddenMatch{Tool: e.tool, Score: score, Reason: inv.hiddenBecause(e.tool, &v.fw)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Tool.Name < out[j].Tool.Name
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
