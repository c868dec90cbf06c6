// Package secaudit provides pfsense_security_audit: a read-only review of the firewall's
// configuration for common weaknesses (management exposed on WAN, any-any rules, plain-HTTP
// GUI, password logins, weak VPN crypto, expiring certificates, ...). Each finding has a
// severity, the objects involved, a recommendation and a reference. Every read goes through
// the dispatcher, so the answer is redacted like any other.
package secaudit

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/fwrules"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Severities, most serious first.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
	Info   = "info"
)

var severityRank = map[string]int{High: 0, Medium: 1, Low: 2, Info: 3}

// Finding is one weakness.
type Finding struct {
	ID             string `json:"id"`
	Severity       string `json:"severity"`
	Area           string `json:"area"`
	Title          string `json:"title"`
	Detail         string `json:"detail,omitempty"`
	Objects        []any  `json:"objects,omitempty"` // e.g. the offending rules, with their ids
	Recommendation string `json:"recommendation"`
	// Tools make the fix; the answer keeps only those this server lists (none when read-only).
	Tools     []string `json:"tools,omitempty"`
	Reference string   `json:"reference,omitempty"`
	// Unavailable says why tools the fix needs are not listed, and the setting that would list
	// them (the operator's choice), without naming them.
	Unavailable string `json:"unavailable_tools,omitempty"`
}

// sources are the reads an audit needs, by name, with their REST API path.
var sources = map[string]string{
	"webgui":       "/api/v2/system/webgui/settings",
	"ssh":          "/api/v2/services/ssh",
	"restapi":      "/api/v2/system/restapi/settings",
	"rules":        "/api/v2/firewall/rules",
	"aliases":      "/api/v2/firewall/aliases",
	"portforwards": "/api/v2/firewall/nat/port_forwards",
	"interfaces":   "/api/v2/interfaces",
	"dns":          "/api/v2/services/dns_resolver/settings",
	"certificates": "/api/v2/system/certificates",
	"cas":          "/api/v2/system/certificate_authorities",
	"ipsec":        "/api/v2/vpn/ipsec/phase1s",
	"ipsec2":       "/api/v2/vpn/ipsec/phase2s",
	"openvpn":      "/api/v2/vpn/openvpn/servers",
	"ovpnclients":  "/api/v2/vpn/openvpn/clients",
	"users":        "/api/v2/users",
	"groups":       "/api/v2/user/groups",
	// Only to read interfaces by id (asIDs): no check of its own.
	"ifstatus": "/api/v2/status/interfaces",
}

// config is what was read, by source name; a source that could not be read is absent.
type config map[string]any

func (c config) object(name string) map[string]any {
	m, _ := c[name].(map[string]any)
	return m
}

func (c config) list(name string) []map[string]any {
	raw, _ := c[name].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Tool returns pfsense_security_audit for d.
func Tool(d *toolcall.Dispatcher) *toolcall.Extra {
	return &toolcall.Extra{
		Name:  "pfsense_security_audit",
		Title: "Security audit",
		Description: "Reviews the firewall's configuration for common weaknesses and returns findings by severity (high, medium, low, info), " +
			"each with the objects involved, a recommendation and a reference: management (web GUI, SSH, REST API) reachable from WAN, " +
			"any-to-any pass rules and risky port forwards on WAN, pass rules wider than the port forward they serve, plain-HTTP GUI, password logins, " +
			"private/bogon networks not blocked on WAN, DNSSEC, weak IPsec and OpenVPN crypto (SHA-1 integrity included), certificates and CAs expired or " +
			"near expiry (read from the certificates themselves), and administrator accounts. Read-only.",
		InputSchema: `{"type":"object","properties":{},"additionalProperties":false}`,
		Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
		Run: func(ctx context.Context, _ map[string]any) (any, error) {
			return Audit(ctx, d, time.Now()), nil
		},
	}
}

// Audit reads the configuration in parallel and runs every check.
func Audit(ctx context.Context, d *toolcall.Dispatcher, now time.Time) map[string]any {
	cfg, errs := read(ctx, d)
	var findings []Finding
	for _, check := range checks {
		findings = append(findings, check(cfg, now)...)
	}
	// Name only the tools the model can call in this mode (a read-only server lists no changes).
	// The others are named with why they are hidden, so the model tells the user what
	// setting the fix needs instead of looking for another way.
	for i := range findings {
		var listed, hidden []string
		for _, name := range findings[i].Tools {
			if _, err := d.Inventory().Lookup(name); err == nil {
				listed = append(listed, name)
			} else if _, why, ok := strings.Cut(err.Error(), " is not available: "); ok && !slices.Contains(hidden, why) {
				hidden = append(hidden, why) // the reason alone: a hidden tool is not named
			}
		}
		findings[i].Tools = listed
		if len(hidden) > 0 {
			findings[i].Unavailable = "The fix needs a tool this server does not list: " + strings.Join(hidden, "; ") + ". Tell the user; the setting is the operator's."
		}
	}
	sort.SliceStable(findings, func(i, j int) bool {
		return severityRank[findings[i].Severity] < severityRank[findings[j].Severity]
	})
	summary := map[string]int{High: 0, Medium: 0, Low: 0, Info: 0}
	for _, f := range findings {
		summary[f.Severity]++
	}
	out := map[string]any{"summary": summary, "findings": findings}
	if len(errs) > 0 {
		out["not_checked"] = errs
	}
	return out
}

func read(ctx context.Context, d *toolcall.Dispatcher) (config, map[string]string) {
	cfg := config{}
	errs := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, path := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v any
			err := fmt.Errorf("this spec has no GET %s", path)
			if t, ok := d.Inventory().ByRoute("GET", path); ok {
				v, err = d.Read(ctx, t.Name, nil)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[name] = err.Error()
				return
			}
			cfg[name] = v
		}()
	}
	wg.Wait()
	delete(errs, "ifstatus")
	asIDs(cfg)
	return cfg, errs
}

// asIDs turns the interfaces the checks compare into ids, whatever the REST API's
// represent_interfaces_as shows (fwrules.InterfaceIDs): of rules and port forwards, and the
// REST API's allowed interfaces.
func asIDs(cfg config) {
	ids := fwrules.NewInterfaceIDs(cfg["ifstatus"])
	for _, name := range []string{"rules", "portforwards"} {
		rows, _ := cfg[name].([]any)
		out := make([]any, len(rows))
		for i, r := range rows {
			out[i] = r
			if m, ok := r.(map[string]any); ok {
				out[i] = ids.Object(m, "interface")
			}
		}
		if rows != nil {
			cfg[name] = out
		}
	}
	if api := cfg.object("restapi"); api != nil {
		cfg["restapi"] = ids.Object(api, "allowed_interfaces")
	}
}
