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
//   - A new password or an expiry date for an administrator (page-all or another privilege
//     pfSense warns gives root, by their own privileges or a group's): whoever sets it logs in
//     with full rights, or nobody does.
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
	ruleRisk := func(port int, what string) toolspec.Risk {
		return toolspec.Risk{Class: toolspec.RiskExposure,
			Reason: fmt.Sprintf("A pass rule on an interface facing the internet reaches the firewall's own address on port %d (%s), which opens it to the internet.", port, what),
			Source: "Models/FirewallRule.inc: interface, type, destination, destination_port; the firewall's addresses from status/interfaces and firewall/virtual_ips, its ports from system/webgui/settings and services/ssh"}
	}
	forwardRisk := func(target string, port int, what string) toolspec.Risk {
		return toolspec.Risk{Class: toolspec.RiskExposure,
			Reason: fmt.Sprintf("Forwards traffic from an interface facing the internet to the firewall's own address %s on port %d (%s).", target, port, what),
			Source: "Models/PortForward.inc: interface, target, local_port; the firewall's addresses from status/interfaces and firewall/virtual_ips"}
	}
	// rescan checks the rules and port forwards that exist against the state as this change
	// would leave it (an alias, a group or the SSH port changed under them).
	rescan := func(why string) {
		rules, _ := s.list("/api/v2/firewall/rules")
		for _, r := range rules {
			if obj, ok := r.(map[string]any); ok {
				if port, what := s.ruleExposes(obj); port != 0 {
					rr := ruleRisk(port, what)
					rr.Reason = fmt.Sprintf("%s, so the existing rule %q then passes traffic from the internet to the firewall's own address on port %d (%s).", why, risk.Text(obj["descr"]), port, what)
					add(rr)
				}
			}
		}
		forwards, _ := s.list("/api/v2/firewall/nat/port_forwards")
		for _, f := range forwards {
			if obj, ok := f.(map[string]any); ok {
				if port, what := s.forwardExposes(obj); port != 0 {
					fr := forwardRisk(risk.Text(obj["target"]), port, what)
					fr.Reason = fmt.Sprintf("%s, so the existing port forward %q then sends traffic from the internet to the firewall's own address on port %d (%s).", why, risk.Text(obj["descr"]), port, what)
					add(fr)
				}
			}
		}
	}
	switch t.Model {
	case "FirewallRule":
		for _, obj := range written(t, args, eff) {
			if port, what := s.ruleExposes(obj); port != 0 {
				add(ruleRisk(port, what))
			}
		}
	case "PortForward":
		for _, obj := range written(t, args, eff) {
			if port, what := s.forwardExposes(obj); port != 0 {
				add(forwardRisk(risk.Text(obj["target"]), port, what))
			}
		}
	case "HAProxyBackendServer", "HAProxyBackend":
		// The table catches loopback addresses; the firewall's own interface and virtual IP
		// addresses reach the same services (traffic from the firewall to itself is not
		// filtered), whatever frontend the backend serves.
		servers := written(t, args, eff)
		if t.Model == "HAProxyBackend" {
			var nested []map[string]any
			for _, b := range servers {
				nested = append(nested, risk.Objects("servers[]", b)...)
			}
			servers = nested
		}
		for _, obj := range servers {
			if a := risk.Text(obj["address"]); a != "" && s.firewallAddress(a) {
				add(toolspec.Risk{Class: toolspec.RiskExposure,
					Reason: fmt.Sprintf("Proxies to the firewall's own address %s: its web GUI, REST API and SSH are reached through whatever frontend uses the backend, on WAN too.", a),
					Source: "Models/HAProxyBackendServer.inc: address; the firewall's addresses from status/interfaces and firewall/virtual_ips"})
			}
		}
	case "FirewallAlias":
		if t.Method == http.MethodPatch {
			obj := merged(t, args, eff)
			if _, touched := args["address"]; touched {
				s.alias("") // loads the aliases
				s.aliases[risk.Text(obj["name"])] = obj
				rescan(fmt.Sprintf("The alias %s would hold these addresses", risk.Text(obj["name"])))
			}
		}
	case "InterfaceGroup":
		for _, obj := range written(t, args, eff) {
			if _, touched := obj["members"]; touched {
				s.groupOverride = map[string][]string{risk.Text(obj["ifname"]): stringList(obj["members"])}
				rescan(fmt.Sprintf("The interface group %s would hold %v", risk.Text(obj["ifname"]), stringList(obj["members"])))
			}
		}
	case "SSH":
		if p, err := strconv.Atoi(risk.Text(args["port"])); err == nil && p > 0 {
			s.sshPort = p
			rescan(fmt.Sprintf("SSH would listen on port %d", p))
		}
	case "StaticRoute":
		// A route to half the address space or more takes precedence over the default route for
		// all of it (longest prefix wins): 0.0.0.0/1 and 128.0.0.0/1 together replace it.
		for _, obj := range written(t, args, eff) {
			if _, n, err := net.ParseCIDR(strings.TrimSpace(risk.Text(obj["network"]))); err == nil {
				if ones, _ := n.Mask.Size(); ones <= 1 {
					add(toolspec.Risk{Class: toolspec.RiskLockout,
						Reason: fmt.Sprintf("A route to %s covers half the address space or more, so it wins over the default gateway for all of it (longest prefix wins): the same as changing the default gateway, which can cut everyone off.", n),
						Source: "Models/StaticRoute.inc: network, gateway; the routing table's longest-prefix match"})
				}
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
				Source: "Models/User.inc: password; page-all or another privilege pfSense warns gives root (priv.defs.inc), the user's own or a group's (Models/UserGroup.inc)"})
		}
		if e, ok := args["expires"]; ok && e != nil && risk.Text(e) != "" {
			add(toolspec.Risk{Class: toolspec.RiskLockout,
				Reason: fmt.Sprintf("Sets an expiry date on the administrator %s, who can no longer log in once it has passed.", name),
				Source: "Models/User.inc: expires; pfSense's auth.inc refuses expired users"})
		}
	}
	return out
}

// bulkDestruction is the table's "empty replace list" made general: a replace or a plural
// delete that leaves fewer than half of three or more objects (sixteen rules replaced by one, a
// filter such as `id__gte: 0` or `id__gt: 0`) removes what the user most likely did not mean
// to, in one call. Two objects made and removed again stay ordinary.
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
		switch {
		case err != nil || len(rows) < 3:
		case len(rows) == len(eff.rows):
			return &toolspec.Risk{Class: toolspec.RiskBulkDestruction,
				Reason: fmt.Sprintf("The filter matches every one of the %d objects, so this deletes all of them.", len(rows)),
				Source: "Core/Model.inc: delete_many() deletes every object the query matches"}
		case 2*(len(rows)-len(eff.rows)) < len(rows):
			return &toolspec.Risk{Class: toolspec.RiskBulkDestruction,
				Reason: fmt.Sprintf("The filter matches %d of the %d objects, so this deletes all but %d of them.", len(eff.rows), len(rows), len(rows)-len(eff.rows)),
				Source: "Core/Model.inc: delete_many() deletes every object the query matches"}
		}
	}
	return nil
}

// ruleExposes returns the administration port a firewall rule would open to the firewall from
// an interface facing the internet, or 0.
func (s *guarded) ruleExposes(obj map[string]any) (int, string) {
	if risk.Text(obj["type"]) != "pass" || obj["disabled"] == true || !tcp(obj["protocol"]) || !s.onWAN(obj["interface"]) {
		return 0, ""
	}
	if !s.toFirewall(obj["destination"], risk.Text(obj["ipprotocol"])) {
		return 0, ""
	}
	return s.adminPort(obj["destination_port"])
}

// forwardExposes returns the administration port a port forward would send traffic from an
// interface facing the internet to on the firewall's own address, or 0.
func (s *guarded) forwardExposes(obj map[string]any) (int, string) {
	if obj["disabled"] == true || obj["nordr"] == true || !tcp(obj["protocol"]) || !s.onWAN(obj["interface"]) || !s.firewallAddress(obj["target"]) {
		return 0, ""
	}
	local := obj["local_port"]
	if risk.Text(local) == "" || risk.Text(local) == "null" {
		local = obj["destination_port"]
	}
	return s.adminPort(local)
}

// firewallAddrs are the firewall's own addresses: its interfaces' IPv4 and IPv6 addresses
// (status/interfaces) and its virtual IPs (firewall/virtual_ips).
func (s *guarded) firewallAddrs() []net.IP {
	var out []net.IP
	ifs, _ := s.interfaces()
	for _, i := range ifs {
		out = append(out, i.addr)
	}
	rows, _ := s.list("/api/v2/status/interfaces")
	for _, row := range rows {
		m, _ := row.(map[string]any)
		for _, k := range []string{"ipaddrv6", "linklocal"} {
			if ip := net.ParseIP(strings.SplitN(risk.Text(m[k]), "%", 2)[0]); ip != nil {
				out = append(out, ip)
			}
		}
	}
	vips, _ := s.list("/api/v2/firewall/virtual_ips")
	for _, row := range vips {
		m, _ := row.(map[string]any)
		if ip := net.ParseIP(risk.Text(m["subnet"])); ip != nil {
			out = append(out, ip)
		}
	}
	return out
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
		if wan[s.ifaceID(n)] {
			return true
		}
	}
	groups, gok := s.list("/api/v2/interface/groups")
	members := map[string][]string{}
	for _, g := range groups {
		m, _ := g.(map[string]any)
		members[risk.Text(m["ifname"])] = stringList(m["members"])
	}
	for name, list := range s.groupOverride {
		members[name] = list
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if known[s.ifaceID(n)] {
			continue
		}
		list, isGroup := members[n]
		if !isGroup && !gok {
			return true // a group, perhaps, that could not be read
		}
		for _, member := range list {
			if wan[s.ifaceID(member)] {
				return true
			}
		}
	}
	return false
}

// toFirewall reports whether a rule's destination may hold one of the firewall's addresses. An
// IPv6 rule whose destination is a wide IPv6 network (a /64 or wider: `::/0`, `2000::/3`) counts
// too, since the firewall's IPv6 addresses are often not known ahead (dhcp6, SLAAC).
func (s *guarded) toFirewall(dest any, ipprotocol string) bool {
	addrs := s.firewallAddrs()
	if len(addrs) == 0 {
		return s.covers(dest, nil, true)
	}
	for _, ip := range addrs {
		if s.covers(dest, ip, true) {
			return true
		}
	}
	if ipprotocol == "inet6" || ipprotocol == "inet46" {
		d := strings.TrimPrefix(strings.TrimSpace(risk.Text(dest)), "!")
		if _, n, err := net.ParseCIDR(d); err == nil && n.IP.To4() == nil {
			if ones, _ := n.Mask.Size(); ones <= 64 {
				return true
			}
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
		return ip.IsLoopback() || slices.ContainsFunc(s.firewallAddrs(), ip.Equal)
	}
	if al := s.alias(a); al != nil {
		for _, ip := range s.firewallAddrs() {
			if s.aliasCovers(al, ip, true, 0) {
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
	if s.adminPorts == nil {
		add := func(p int, what string) { s.adminPorts = append(s.adminPorts, adminPort{p, what}) }
		if gui, err := s.d.readPath(s.ctx, http.MethodGet, "/api/v2/system/webgui/settings", nil); err == nil {
			m, _ := gui.(map[string]any)
			p, _ := strconv.Atoi(risk.Text(m["port"]))
			if p == 0 {
				p = 443
				if risk.Text(m["protocol"]) == "http" {
					p = 80
				}
			}
			add(p, "the web GUI and REST API")
		}
		if s.sshPort != 0 {
			add(s.sshPort, "SSH")
		} else if ssh, err := s.d.readPath(s.ctx, http.MethodGet, "/api/v2/services/ssh", nil); err == nil {
			m, _ := ssh.(map[string]any)
			if p, _ := strconv.Atoi(risk.Text(m["port"])); p != 0 {
				add(p, "SSH")
			}
		}
		add(22, "SSH's default")
		add(443, "the web GUI's default")
		add(80, "the web GUI's HTTP redirect")
	}
	for _, p := range s.adminPorts {
		if s.portCoversAlias(v, p.port) {
			return p.port, p.what
		}
	}
	return 0, ""
}

// adminPort is one of the firewall's administration ports and what listens on it.
type adminPort struct {
	port int
	what string
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

// rootPrivileges are the privileges pfSense itself warns give root (priv.defs.inc marks them
// 'warn' => 'standard-warning-root', pfsense/pfsense RELENG_2_7_2 src/etc/inc/priv.defs.inc):
// full administration, and the pages that run commands, edit files, restore or roll back the
// configuration, or manage users, groups and authentication servers.
var rootPrivileges = []string{"page-all", "page-diagnostics-backup-restore", "page-diagnostics-command",
	"page-diagnostics-configurationhistory", "page-diagnostics-factorydefaults", "page-diagnostics-edit",
	"page-system-authservers", "page-system-groupmanager", "page-system-groupmanager-addprivs",
	"page-system-usermanager", "page-system-usermanager-addprivs", "page-system-usermanager-settings"}

func rootEquivalent(privs []string) bool {
	for _, p := range privs {
		if slices.Contains(rootPrivileges, p) {
			return true
		}
	}
	return false
}

// administrator reports whether a user holds a privilege that gives root (page-all and the
// others pfSense warns about), by their own privileges or a group's (a group list that cannot
// be read counts as yes for a system-scoped user).
func (s *guarded) administrator(user map[string]any) bool {
	if rootEquivalent(stringList(user["priv"])) {
		return true
	}
	name := risk.Text(user["name"])
	groups, ok := s.list("/api/v2/user/groups")
	if !ok {
		return risk.Text(user["scope"]) == "system"
	}
	for _, g := range groups {
		m, _ := g.(map[string]any)
		if rootEquivalent(stringList(m["priv"])) && slices.Contains(stringList(m["member"]), name) {
			return true
		}
	}
	return false
}
