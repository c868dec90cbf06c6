package toolcall

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
)

// stateRisks are the dangerous effects the risk table (risksOf) cannot see, because they
// depend on the firewall's state: which interfaces face the internet and which addresses are
// the firewall's own, the ports its web GUI and SSH listen on, who is an administrator. They
// are read from the firewall the way the lockout guard reads them, and what cannot be read or
// resolved (an alias, an unreadable list) counts as the dangerous case.
//
//   - A pass rule on a WAN interface (one with a gateway, or a group holding one) to any of the
//     firewall's addresses on its GUI, SSH, 80 or 443 port: the static rules of the table
//     catch `(self)` with 22/80/443 only; here ranges (442:444), port aliases, interface
//     groups, `any`, networks holding the firewall and moved GUI or SSH ports count too.
//   - A port forward on such an interface to one of the firewall's own addresses on those
//     ports (the table catches loopback targets only).
//   - A new password or an expiry date for an administrator (page-all, by their own
//     privileges or a group's): whoever sets it logs in with full rights, or nobody does.
func (d *Dispatcher) stateRisks(ctx context.Context, t *toolspec.Tool, args map[string]any, eff *effect) []toolspec.Risk {
	if !t.Mutation {
		return nil
	}
	if r := d.bulkDestruction(ctx, t, args, eff); r != nil {
		return []toolspec.Risk{*r}
	}
	if t.Method == http.MethodDelete {
		return nil
	}
	s := &guarded{g: &Guard{}, d: d, ctx: ctx}
	var out []toolspec.Risk
	add := func(r toolspec.Risk) {
		if !slices.ContainsFunc(out, func(o toolspec.Risk) bool { return o.Reason == r.Reason }) {
			out = append(out, r)
		}
	}
	switch t.Model {
	case "FirewallRule":
		for _, obj := range written(t, args, eff) {
			if risk.Text(obj["type"]) != "pass" || obj["disabled"] == true || !tcp(obj["protocol"]) || !s.onWAN(obj["interface"]) {
				continue
			}
			if !s.toFirewall(obj["destination"]) {
				continue
			}
			if port, what := s.adminPort(obj["destination_port"]); port != 0 {
				add(toolspec.Risk{Class: toolspec.RiskExposure,
					Reason: fmt.Sprintf("A pass rule on an interface facing the internet reaches the firewall's own address on port %d (%s), which opens it to the internet.", port, what),
					Source: "Models/FirewallRule.inc: interface, type, destination, destination_port; the firewall's addresses from status/interfaces, its ports from system/webgui/settings and services/ssh"})
			}
		}
	case "PortForward":
		for _, obj := range written(t, args, eff) {
			if obj["disabled"] == true || obj["nordr"] == true || !tcp(obj["protocol"]) || !s.onWAN(obj["interface"]) || !s.firewallAddress(obj["target"]) {
				continue
			}
			local := obj["local_port"]
			if risk.Text(local) == "" || risk.Text(local) == "null" {
				local = obj["destination_port"]
			}
			if port, what := s.adminPort(local); port != 0 {
				add(toolspec.Risk{Class: toolspec.RiskExposure,
					Reason: fmt.Sprintf("Forwards traffic from an interface facing the internet to the firewall's own address %s on port %d (%s).", risk.Text(obj["target"]), port, what),
					Source: "Models/PortForward.inc: interface, target, local_port; the firewall's addresses from status/interfaces"})
			}
		}
	case "User":
		if t.Method != http.MethodPatch || eff == nil {
			return nil
		}
		cur, _ := eff.current.(map[string]any)
		if cur == nil || !s.administrator(cur) {
			return nil
		}
		name := risk.Text(cur["name"])
		if p, ok := args["password"]; ok && risk.Text(p) != "" && p != nil {
			add(toolspec.Risk{Class: toolspec.RiskAccess,
				Reason: fmt.Sprintf("Sets a new password for the administrator %s: whoever chose it logs in with full rights (and over SSH when it allows passwords), and %s's own password stops working.", name, name),
				Source: "Models/User.inc: password; page-all from the user's priv or a group's (Models/UserGroup.inc)"})
		}
		if e, ok := args["expires"]; ok && e != nil && risk.Text(e) != "" {
			add(toolspec.Risk{Class: toolspec.RiskLockout,
				Reason: fmt.Sprintf("Sets an expiry date on the administrator %s, who can no longer log in once it has passed.", name),
				Source: "Models/User.inc: expires; pfSense's auth.inc refuses expired users"})
		}
	}
	return out
}

// bulkDestruction is the table's "empty replace list" made general: a replace that leaves
// fewer than half of three or more objects (sixteen rules replaced by one), and a plural delete
// whose filter matches every object of three or more (`id__gte: 0`), remove what the user most
// likely did not mean to, in one call. Two objects made and removed again stay ordinary.
// Dangerous tools are refused already.
func (d *Dispatcher) bulkDestruction(ctx context.Context, t *toolspec.Tool, args map[string]any, eff *effect) *toolspec.Risk {
	if t.Dangerous || eff == nil {
		return nil
	}
	switch {
	case t.Kind == toolspec.KindReplace:
		cur, _ := eff.current.([]any)
		repl := risk.Objects("objects[]", args)
		if len(cur) >= 3 && 2*len(repl) < len(cur) {
			return &toolspec.Risk{Class: toolspec.RiskBulkDestruction,
				Reason: fmt.Sprintf("Replaces the %d existing objects with %d, which deletes the other %d.", len(cur), len(repl), len(cur)-len(repl)),
				Source: "Core/Model.inc: replace_all() deletes the objects the new list leaves out"}
		}
	case t.Kind == toolspec.KindDelete && t.Plural && len(eff.rows) >= 3:
		rt, ok := d.inv.ByName(t.ReadTool)
		if !ok {
			return nil
		}
		req := &pfclient.Request{Method: http.MethodGet, Path: rt.Path}
		if pid, ok := args["parent_id"]; ok {
			req.Query = url.Values{"parent_id": {risk.Text(pid)}}
		}
		rows, _, err := d.readAll(ctx, rt, *req)
		if err == nil && len(rows) == len(eff.rows) {
			return &toolspec.Risk{Class: toolspec.RiskBulkDestruction,
				Reason: fmt.Sprintf("The filter matches every one of the %d objects, so this deletes all of them.", len(rows)),
				Source: "Core/Model.inc: delete_many() deletes every object the query matches"}
		}
	}
	return nil
}

// onWAN reports whether a rule or port forward on these interfaces sees traffic from the
// internet: an interface with a gateway (wan, and any other upstream), or a group holding one.
// Interfaces that cannot be read count as facing it.
func (s *guarded) onWAN(v any) bool {
	rows, ok := s.list("/api/v2/status/interfaces")
	if !ok {
		return true
	}
	wan, known := map[string]bool{"wan": true}, map[string]bool{}
	for _, row := range rows {
		m, _ := row.(map[string]any)
		name := strings.ToLower(risk.Text(m["name"]))
		known[name] = true
		if g := risk.Text(m["gateway"]); g != "" && g != "null" {
			wan[name] = true
		}
	}
	names := stringList(v)
	for _, n := range names {
		if wan[strings.ToLower(n)] {
			return true
		}
	}
	groups, gok := s.list("/api/v2/interface/groups")
	for _, n := range names {
		if known[strings.ToLower(n)] {
			continue
		}
		if !gok {
			return true // a group, perhaps, that could not be read
		}
		for _, g := range groups {
			m, _ := g.(map[string]any)
			if risk.Text(m["ifname"]) != n {
				continue
			}
			for _, member := range stringList(m["members"]) {
				if wan[strings.ToLower(member)] {
					return true
				}
			}
		}
	}
	return false
}

// toFirewall reports whether a rule's destination may hold one of the firewall's addresses.
func (s *guarded) toFirewall(dest any) bool {
	ifs, ok := s.interfaces()
	if !ok || len(ifs) == 0 {
		return s.covers(dest, nil, true)
	}
	for _, i := range ifs {
		if s.covers(dest, i.addr, true) {
			return true
		}
	}
	return false
}

// firewallAddress reports whether a port forward's target is the firewall itself: loopback,
// or the address of one of its interfaces (an alias counts as maybe).
func (s *guarded) firewallAddress(target any) bool {
	a := strings.TrimSpace(risk.Text(target))
	switch strings.ToLower(a) {
	case "", "null":
		return false
	case "localhost", "(self)":
		return true
	}
	if ip := net.ParseIP(a); ip != nil {
		return ip.IsLoopback() || s.ifaceOf(ip, false) != ""
	}
	if al := s.alias(a); al != nil {
		ifs, _ := s.interfaces()
		for _, i := range ifs {
			if s.aliasCovers(al, i.addr, true, 0) {
				return true
			}
		}
	}
	return false
}

// adminPort returns the first of the firewall's administration ports a port field may cover:
// the web GUI's (system/webgui/settings: port, or 443 for https and 80 for http when empty),
// SSH's (services/ssh: port, 22 by default), and 80 and 443 (the GUI's redirect and default).
func (s *guarded) adminPort(v any) (int, string) {
	ports := []struct {
		port int
		what string
	}{}
	if gui, err := s.d.readPath(s.ctx, http.MethodGet, "/api/v2/system/webgui/settings", nil); err == nil {
		m, _ := gui.(map[string]any)
		p, _ := strconv.Atoi(risk.Text(m["port"]))
		if p == 0 {
			p = 443
			if risk.Text(m["protocol"]) == "http" {
				p = 80
			}
		}
		ports = append(ports, struct {
			port int
			what string
		}{p, "the web GUI and REST API"})
	}
	if ssh, err := s.d.readPath(s.ctx, http.MethodGet, "/api/v2/services/ssh", nil); err == nil {
		m, _ := ssh.(map[string]any)
		if p, _ := strconv.Atoi(risk.Text(m["port"])); p != 0 {
			ports = append(ports, struct {
				port int
				what string
			}{p, "SSH"})
		}
	}
	ports = append(ports, []struct {
		port int
		what string
	}{{22, "SSH's default"}, {443, "the web GUI's default"}, {80, "the web GUI's HTTP redirect"}}...)
	for _, p := range ports {
		if s.portCoversAlias(v, p.port) {
			return p.port, p.what
		}
	}
	return 0, ""
}

// portCoversAlias is portCovers with port aliases resolved (their ports and ranges, nested
// aliases; what cannot be resolved covers).
func (s *guarded) portCoversAlias(v any, port int) bool {
	p := strings.TrimSpace(risk.Text(v))
	if al := s.alias(p); al != nil && risk.Text(al["type"]) == "port" {
		return s.aliasPortCovers(al, port, 0)
	}
	return portCovers(strings.ReplaceAll(p, "-", ":"), port)
}

func (s *guarded) aliasPortCovers(al map[string]any, port, depth int) bool {
	if depth > 4 {
		return true
	}
	for _, a := range stringList(al["address"]) {
		if nested := s.alias(a); nested != nil {
			if s.aliasPortCovers(nested, port, depth+1) {
				return true
			}
			continue
		}
		if portCovers(strings.ReplaceAll(a, "-", ":"), port) {
			return true
		}
	}
	return false
}

// administrator reports whether a user holds page-all, by their own privileges or a group's
// (a group list that cannot be read counts as yes for a system-scoped user).
func (s *guarded) administrator(user map[string]any) bool {
	if slices.Contains(stringList(user["priv"]), "page-all") {
		return true
	}
	name := risk.Text(user["name"])
	groups, ok := s.list("/api/v2/user/groups")
	if !ok {
		return risk.Text(user["scope"]) == "system"
	}
	for _, g := range groups {
		m, _ := g.(map[string]any)
		if slices.Contains(stringList(m["priv"]), "page-all") && slices.Contains(stringList(m["member"]), name) {
			return true
		}
	}
	return false
}
