// Package fwlog provides pfsense_read_firewall_log: the firewall log as the GUI shows it
// (Status > System Logs > Firewall), which the REST API only serves as raw filterlog lines,
// oldest first. It reads the newest lines, parses them (time, interface, action, direction,
// protocol, addresses, ports), names the rule that matched (looked up by its tracker), filters
// them and returns the last N, newest first. Every read goes through the dispatcher.
package fwlog

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Name is the tool's name.
const Name = "pfsense_read_firewall_log"

// The reads it makes (generated tools, by the REST API path they serve).
const (
	logPath        = "/api/v2/status/logs/firewall"
	rulesPath      = "/api/v2/firewall/rules"
	interfacesPath = "/api/v2/interfaces"
)

// Bounds of one call: the firewall serves at most toolspec.MaxLogLimit lines per page.
const (
	defaultLast = 20
	maxLast     = 200
	defaultScan = 1000
	maxScan     = 5000
)

const schema = `{"type":"object","additionalProperties":false,"properties":{` +
	`"last":{"type":"integer","minimum":1,"maximum":200,"description":"How many matching entries to return, newest first (default 20)."},` +
	`"interface":{"type":"string","description":"Only this interface: its id (wan), description (WAN) or device (em0)."},` +
	`"action":{"type":"string","enum":["pass","block","reject"]},` +
	`"direction":{"type":"string","enum":["in","out"]},` +
	`"protocol":{"type":"string","description":"e.g. tcp, udp, icmp."},` +
	`"address":{"type":"string","description":"Only entries whose source or destination is this address or in this subnet (192.0.2.0/24)."},` +
	`"source":{"type":"string","description":"Only this source address or subnet."},` +
	`"destination":{"type":"string","description":"Only this destination address or subnet."},` +
	`"port":{"type":"integer","minimum":0,"maximum":65535,"description":"Only entries with this source or destination port."},` +
	`"rule":{"type":"string","description":"Only entries of this rule: its tracker, or words of its description."},` +
	`"scan":{"type":"integer","minimum":1,"maximum":5000,"description":"How many of the newest log lines to search (default 1000)."}}}`

// Tool returns pfsense_read_firewall_log for d.
func Tool(d *toolcall.Dispatcher) *toolcall.Extra {
	return &toolcall.Extra{
		Name:  Name,
		Title: "Read the firewall log",
		Description: "The firewall log parsed, newest first: time, interface, action (pass/block/reject), direction, protocol, source and destination " +
			"with ports, and the rule that matched (id, description, type), looked up by its tracker. Filter by interface, action, direction, protocol, " +
			"address, port or rule; returns the last N matching entries. Read-only.",
		InputSchema: schema,
		Annotations: toolspec.Annotations{ReadOnly: true, Idempotent: true},
		Run: func(ctx context.Context, args map[string]any) (any, error) {
			return Read(ctx, d, args)
		},
	}
}

// filter is the parsed arguments.
type filter struct {
	last, scan               int
	iface, action, direction string
	protocol, rule           string
	address, source, dest    *netip.Prefix
	port                     string
	hasPort                  bool
}

func parseArgs(args map[string]any) (filter, error) {
	f := filter{last: defaultLast, scan: defaultScan}
	if v, ok := args["last"].(float64); ok {
		f.last = int(v)
	}
	if v, ok := args["scan"].(float64); ok {
		f.scan = int(v)
	}
	str := func(k string) string { s, _ := args[k].(string); return strings.TrimSpace(s) }
	f.iface, f.action, f.direction = str("interface"), str("action"), str("direction")
	f.protocol, f.rule = strings.ToLower(str("protocol")), str("rule")
	for _, p := range []struct {
		name string
		dst  **netip.Prefix
	}{{"address", &f.address}, {"source", &f.source}, {"destination", &f.dest}} {
		s := str(p.name)
		if s == "" {
			continue
		}
		pfx, err := prefix(s)
		if err != nil {
			return f, fmt.Errorf("argument `%s`: %q is not an IP address or subnet (e.g. 192.0.2.7 or 192.0.2.0/24)", p.name, s)
		}
		*p.dst = &pfx
	}
	if v, ok := args["port"].(float64); ok {
		f.port, f.hasPort = strconv.Itoa(int(v)), true
	}
	return f, nil
}

func prefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func in(p *netip.Prefix, addr string) bool {
	if p == nil {
		return true
	}
	a, err := netip.ParseAddr(addr)
	return err == nil && p.Contains(a)
}

// Read returns the newest matching entries.
func Read(ctx context.Context, d *toolcall.Dispatcher, args map[string]any) (map[string]any, error) {
	f, err := parseArgs(args)
	if err != nil {
		return nil, err
	}
	logTool, ok := d.Inventory().ByRoute("GET", logPath)
	if !ok {
		return nil, fmt.Errorf("this spec has no GET %s: the firewall log cannot be read", logPath)
	}
	ifaces, ifaceErr := interfaces(ctx, d)
	if f.iface != "" && ifaceErr == nil {
		f.iface = ifaces.id(f.iface)
	}
	rules, ruleErr := rulesByTracker(ctx, d)

	var entries []any
	var newest, oldest string // the times of the newest and oldest lines searched
	scanned, unparsed, more := 0, 0, false
	// The log is oldest first; reverse: true without a query pages from the newest line
	// (Core/Model.inc read_all() reverses before paginate()).
	for scanned < f.scan && len(entries) < f.last {
		page := min(toolspec.MaxLogLimit, f.scan-scanned)
		v, err := d.Read(ctx, logTool.Name, map[string]any{"reverse": true, "limit": float64(page), "offset": float64(scanned)})
		if err != nil {
			return nil, err
		}
		lines, _ := v.([]any)
		if len(lines) > page { // the dispatcher asks for one line more to learn whether more exist.
			lines, more = lines[:page], true
		} else {
			more = false
		}
		for _, l := range lines {
			text, _ := l.(map[string]any)["text"].(string)
			e, ok := Parse(text)
			if !ok {
				unparsed++
				continue
			}
			if newest == "" {
				newest = e.Time
			}
			oldest = e.Time
			e.Interface = ifaces.byDevice[e.Device]
			e.Rule = ruleFor(rules, string(e.Tracker))
			if f.matches(e, rules) && len(entries) < f.last {
				entries = append(entries, e)
			}
		}
		scanned += len(lines)
		if !more {
			break
		}
	}
	out := map[string]any{
		"entries": entries, "count": len(entries), "scanned_lines": scanned,
		"order": "newest first",
	}
	if newest != "" {
		// How far back "nothing matched" reaches: a short log is not a quiet network.
		out["searched_span"] = map[string]any{"newest": newest, "oldest": oldest, "whole_log": !more}
	}
	if more && len(entries) < f.last {
		out["older_lines"] = fmt.Sprintf("only the newest %d lines were searched; raise scan (at most %d) to search further back", scanned, maxScan)
	}
	if unparsed > 0 {
		out["unparsed_lines"] = unparsed
	}
	if ruleErr != nil {
		out["rules_error"] = "rules could not be read, so entries carry only their tracker: " + ruleErr.Error()
	}
	if ifaceErr != nil {
		out["interfaces_error"] = "interfaces could not be read, so entries carry only the device: " + ifaceErr.Error()
	}
	return out, nil
}

func (f filter) matches(e Entry, rules map[string]map[string]any) bool {
	switch {
	case f.iface != "" && f.iface != e.Interface && f.iface != e.Device,
		f.action != "" && f.action != e.Action,
		f.direction != "" && f.direction != e.Direction,
		f.protocol != "" && f.protocol != e.Protocol,
		f.address != nil && !in(f.address, e.Source) && !in(f.address, e.Dest),
		!in(f.source, e.Source), !in(f.dest, e.Dest),
		f.hasPort && f.port != e.SrcPort && f.port != e.DstPort:
		return false
	}
	if f.rule == "" || f.rule == string(e.Tracker) {
		return true
	}
	r := rules[string(e.Tracker)]
	descr, _ := r["descr"].(string)
	return r != nil && strings.Contains(strings.ToLower(descr), strings.ToLower(f.rule))
}

// ruleFor names the rule of a tracker: one of the configured rules, or the kind of rule pfSense
// generates itself, by the tracker ranges of pfsense/pfsense src/etc/inc/filter.inc
// (TRACKER_DEFAULT 1000000000, ANTILOCKOUT_TRACKER_START 10000, BOGONS 11000, RFC1918 12000,
// CAPTIVEPORTAL 13000, NEGATE_TRACKER_DEFAULT 10000000).
func ruleFor(rules map[string]map[string]any, tracker string) any {
	if r, ok := rules[tracker]; ok {
		return r
	}
	n, err := strconv.ParseInt(tracker, 10, 64)
	if err != nil {
		return nil
	}
	var what string
	switch {
	case n >= 10000 && n <= 10999:
		what = "the anti-lockout rule (pfSense's own)"
	case n >= 11000 && n <= 11999:
		what = "the bogon networks block (pfSense's own, interface setting blockbogons)"
	case n >= 12000 && n <= 12999:
		what = "the private networks block (pfSense's own, interface setting blockpriv)"
	case n >= 13000 && n <= 13999:
		what = "a captive portal rule (pfSense's own)"
	case n >= 10000000 && n < 11000000:
		what = "a negation rule pfSense adds for a rule with an inverted address"
	// filter_rules_generate() numbers its default rules from TRACKER_DEFAULT+100: the IPv4
	// link-local blocks (unless no_apipa_block is set, which moves the rest down by two), then
	// the default deny rules, in and out; virusprot has a fixed number.
	case n == 1000000101 || n == 1000000102:
		what = "Block IPv4 link-local (pfSense's own rule for 169.254.0.0/16; if the link-local block is turned off in System > Advanced > Firewall & NAT, this number is the Default deny rule IPv4)"
	case n == 1000000103 || n == 1000000104:
		what = "Default deny rule IPv4 (pfSense's own: no rule passed this traffic on its interface; number " + tracker + " is it in the default numbering, which shifts down by two when the IPv4 link-local block is off)"
	case n == 1000000105 || n == 1000000106:
		what = "Default deny rule IPv6 (pfSense's own: no rule passed this traffic on its interface; in the default numbering)"
	case n == 1000000400:
		what = "the virusprot overload table block (pfSense's own: hosts that exceeded a rule's max source connections or connection rate)"
	case n >= 1000000000 && n < 1001000000:
		what = "a rule pfSense generates itself (IPv6 ICMP, DHCP, loopback, anti-spoofing, ...)"
	default:
		return map[string]any{"tracker": json.Number(tracker), "note": "no configured rule has this tracker (deleted since, or not yet applied)"}
	}
	return map[string]any{"tracker": json.Number(tracker), "descr": what, "generated_by_pfsense": true}
}

// rulesByTracker reads the configured rules, keyed by tracker.
func rulesByTracker(ctx context.Context, d *toolcall.Dispatcher) (map[string]map[string]any, error) {
	v, err := d.ReadRoute(ctx, rulesPath)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	list, _ := v.([]any)
	for _, r := range list {
		m, _ := r.(map[string]any)
		if m == nil || m["tracker"] == nil {
			continue
		}
		ref := map[string]any{"id": m["id"], "tracker": m["tracker"]}
		for _, k := range []string{"descr", "type", "interface"} {
			if v, ok := m[k]; ok && v != nil && v != "" {
				ref[k] = v
			}
		}
		out[fmt.Sprint(m["tracker"])] = ref
	}
	return out, nil
}

// ifaceNames maps devices to interface ids and resolves what a caller names an interface.
type ifaceNames struct {
	byDevice map[string]string // em0 -> wan
	byName   map[string]string // wan, WAN, em0 -> wan
}

func (n ifaceNames) id(s string) string {
	if id, ok := n.byName[strings.ToLower(s)]; ok {
		return id
	}
	return s
}

func interfaces(ctx context.Context, d *toolcall.Dispatcher) (ifaceNames, error) {
	n := ifaceNames{byDevice: map[string]string{}, byName: map[string]string{}}
	v, err := d.ReadRoute(ctx, interfacesPath)
	if err != nil {
		return n, err
	}
	list, _ := v.([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		id, _ := m["id"].(string)
		if id == "" {
			continue
		}
		n.byName[strings.ToLower(id)] = id
		if dev, _ := m["if"].(string); dev != "" {
			n.byDevice[dev] = id
			n.byName[strings.ToLower(dev)] = id
		}
		if descr, _ := m["descr"].(string); descr != "" {
			n.byName[strings.ToLower(descr)] = id
		}
	}
	return n, nil
}
