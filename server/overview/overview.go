// Package overview provides the server's own read-only tools that answer common questions in
// one call: pfsense_overview (version, system, interfaces, gateways, services and pending
// changes, fetched in parallel) and pfsense_pending_changes (the apply state of every
// subsystem). It also checks that the firewall runs the REST API version the tools were
// generated from.
package overview

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// part is one read of the overview, reduced to the fields that answer "how is it doing?";
// the dedicated tools return everything.
type part struct {
	key, path string
	keep      []string // fields kept per object; nil keeps all
	note      string   // what the part is (and is not) about, added to an object part
}

var parts = []part{
	{"version", "/api/v2/system/version", nil, ""},
	{"restapi", "/api/v2/system/restapi/version", []string{"current_version", "latest_version", "update_available"},
		"versions of the REST API package; the REST API does not report pfSense's own updates"},
	{"system", "/api/v2/status/system", []string{"platform", "cpu_model", "cpu_count", "uptime", "cpu_usage", "mem_usage", "swap_usage", "disk_usage", "temp_c"}, ""},
	{"interfaces", "/api/v2/status/interfaces", []string{"name", "descr", "hwif", "status", "enable", "ipaddr", "subnet", "ipaddrv6", "gateway", "media"}, ""},
	{"gateways", "/api/v2/status/gateways", []string{"name", "status", "substatus", "monitorip", "delay", "loss"}, ""},
	{"services", "/api/v2/status/services", []string{"name", "description", "status", "enabled"},
		// pfSense's get_services() (service-utils.inc) lists add-on packages' services as their
		// XML declares them, without enabled or status, which the REST API reads as false.
		toolcall.ServicesNote},
}

// reduce keeps only the listed fields of an object or of each object of a list.
func reduce(v any, keep []string) any {
	if keep == nil {
		return v
	}
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = reduce(e, keep)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for _, k := range keep {
			if val, ok := x[k]; ok {
				out[k] = val
			}
		}
		return out
	}
	return v
}

// Tools returns pfsense_overview and pfsense_pending_changes for d. specVersion is the REST API
// version of the spec the tools were generated from (tooldefs.SpecVersion).
func Tools(d *toolcall.Dispatcher, specVersion string) []*toolcall.Extra {
	ro := toolspec.Annotations{ReadOnly: true, Idempotent: true}
	return []*toolcall.Extra{
		{
			Name:  "pfsense_overview",
			Title: "Firewall overview",
			Description: "One-call summary of the firewall: pfSense and REST API versions, system status (CPU, memory, disk, uptime), " +
				"interfaces, gateways, services, which subsystems have changes waiting to be applied, and which tools are hidden " +
				"because the firewall lacks them (its REST API version, packages not installed). Start here.",
			InputSchema: `{"type":"object","properties":{},"additionalProperties":false}`,
			Annotations: ro,
			Run: func(ctx context.Context, _ map[string]any) (any, error) {
				return Overview(ctx, d, specVersion), nil
			},
		},
		{
			Name:  "pfsense_pending_changes",
			Title: "Pending changes",
			Description: "Shows, for every subsystem with an apply endpoint (firewall, NAT/aliases, virtual IPs, interfaces, routing, DHCP, " +
				"DNS resolver and forwarder, HAProxy, IPsec, WireGuard), whether changes are waiting to be applied and the tool that applies them.",
			InputSchema: `{"type":"object","properties":{},"additionalProperties":false}`,
			Annotations: ro,
			Run: func(ctx context.Context, _ map[string]any) (any, error) {
				return Pending(ctx, d), nil
			},
		},
	}
}

// Overview reads every part in parallel; a part that fails says so without hiding the rest.
func Overview(ctx context.Context, d *toolcall.Dispatcher, specVersion string) map[string]any {
	out := map[string]any{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, at, err := readRouteDated(ctx, d, p.path)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				out[p.key] = map[string]any{"error": err.Error()}
				return
			}
			if p.key == "version" && !at.IsZero() {
				// The firewall's clock comes with its answer (the Date header).
				out["firewall_clock"] = map[string]any{"utc": at.UTC().Format(time.RFC3339), "source": "the Date header of the firewall's answer (the REST API has no clock endpoint)"}
			}
			out[p.key] = reduce(v, p.keep)
			if m, ok := out[p.key].(map[string]any); ok && p.note != "" {
				m["note"] = p.note
			} else if _, ok := out[p.key].([]any); ok && p.note != "" {
				out[p.key+"_note"] = p.note
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		pending := Pending(ctx, d)
		mu.Lock()
		out["pending_changes"] = pending
		mu.Unlock()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		msg := VersionWarning(ctx, d, specVersion)
		mu.Lock()
		if msg != "" {
			out["version_warning"] = msg
		}
		mu.Unlock()
	}()
	wg.Wait()
	if facts := firewallFacts(d); facts != nil {
		out["firewall_facts"] = facts
	}
	return out
}

// firewallFacts says what the server learned about the firewall at start-up (package probe) and
// what it means for the tools: how many its REST API version lacks, and which packages that are
// not installed would add which tools. nil when nothing was learned.
func firewallFacts(d *toolcall.Dispatcher) map[string]any {
	inv := d.Inventory()
	fw := inv.Firewall()
	if fw.Version == "" && fw.Packages == nil {
		return nil
	}
	out := map[string]any{}
	lacks, needPackages := inv.FirewallHidden()
	if fw.Operations != nil {
		out["tools_hidden_because_the_firewall_lacks_them"] = lacks
	}
	if fw.Packages != nil {
		out["tools_hidden_for_packages_not_installed"] = needPackages
		var pkgs []any
		for _, m := range inv.MissingPackages() {
			modules := map[string]bool{}
			for _, name := range m.Tools {
				if t, ok := inv.ByName(name); ok {
					modules[t.Module] = true
				}
			}
			e := map[string]any{"package": m.Package, "would_add_tools": len(m.Tools), "modules": sortedSet(modules)}
			const shown = 10
			if len(m.Tools) > shown {
				e["tools"], e["more_tools"] = m.Tools[:shown], len(m.Tools)-shown
			} else {
				e["tools"] = m.Tools
			}
			pkgs = append(pkgs, e)
		}
		if len(pkgs) > 0 {
			out["packages_not_installed"] = pkgs
		}
	}
	return out
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Pending reads the apply status of every subsystem in parallel.
func Pending(ctx context.Context, d *toolcall.Dispatcher) map[string]any {
	type status struct {
		subsystem string
		entry     map[string]any
	}
	var applyTools []*toolspec.Tool
	for _, t := range d.Inventory().All() {
		if t.Kind == toolspec.KindApplyStatus {
			applyTools = append(applyTools, t)
		}
	}
	results := make(chan status, len(applyTools))
	for _, t := range applyTools {
		go func() {
			sub := strings.TrimSuffix(strings.TrimPrefix(t.Path, "/api/v2/"), "/apply")
			e := map[string]any{}
			// Name the apply tool only where it can be called: read-only servers do not list it.
			if apply, ok := d.Inventory().ByRoute("POST", t.Path); ok {
				if _, err := d.Inventory().Lookup(apply.Name); err == nil {
					e["apply_tool"] = apply.Name
				} else {
					e["apply"] = "needs writes enabled (PFSENSE_ALLOW_WRITES=true)"
				}
			}
			v, err := d.Read(ctx, t.Name, nil)
			if err != nil {
				e["error"] = err.Error()
			} else if m, ok := v.(map[string]any); ok {
				for k, val := range m {
					e[k] = val
				}
			}
			// Changes this server made that pfSense's status does not count (firewall rules).
			if apply, ok := d.Inventory().ByRoute("POST", t.Path); ok && e["applied"] == true {
				if tools := d.Unapplied(apply.Name); len(tools) > 0 {
					e["applied"] = false
					e["changed_since_last_apply"] = tools
				}
			}
			results <- status{sub, e}
		}()
	}
	subsystems := map[string]any{}
	var pendingNames []string
	applicable := false
	for range applyTools {
		s := <-results
		subsystems[s.subsystem] = s.entry
		if applied, ok := s.entry["applied"].(bool); ok && !applied {
			pendingNames = append(pendingNames, s.subsystem)
			_, named := s.entry["apply_tool"]
			applicable = applicable || named
		}
	}
	sort.Strings(pendingNames)
	summary := "nothing is waiting to be applied"
	switch {
	case len(pendingNames) == 0:
	case applicable:
		summary = "changes are waiting in: " + strings.Join(pendingNames, ", ") + " (call the apply_tool of each)"
	default:
		summary = "changes are waiting in: " + strings.Join(pendingNames, ", ") + " (applying them needs writes enabled: PFSENSE_ALLOW_WRITES=true)"
	}
	return map[string]any{"summary": summary, "subsystems": subsystems}
}

// VersionWarning compares the firewall's REST API version with the spec's; "" when they match
// or when the firewall's version cannot be read.
func VersionWarning(ctx context.Context, d *toolcall.Dispatcher, specVersion string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := readRoute(ctx, d, "/api/v2/system/restapi/version")
	if err != nil {
		return ""
	}
	m, _ := v.(map[string]any)
	cur, _ := m["current_version"].(string)
	if cur == "" || normalize(cur) == normalize(specVersion) {
		return ""
	}
	return fmt.Sprintf("The firewall runs REST API %s but these tools were generated from the %s spec: some tools may not match. "+
		"Regenerate them from the firewall's own spec (tools/fetch-spec, then rebuild).", cur, specVersion)
}

func normalize(v string) string { return strings.TrimPrefix(strings.TrimSpace(v), "v") }

func readRoute(ctx context.Context, d *toolcall.Dispatcher, path string) (any, error) {
	v, _, err := readRouteDated(ctx, d, path)
	return v, err
}

// readRouteDated reads the GET on path and the firewall's clock when it answered.
func readRouteDated(ctx context.Context, d *toolcall.Dispatcher, path string) (any, time.Time, error) {
	t, ok := d.Inventory().ByRoute("GET", path)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("this spec has no GET %s", path)
	}
	return d.ReadDated(ctx, t.Name, nil)
}
