// Package lint warns, in the preview and in the answer of a change, when the change will have
// no effect or a likely side effect the model did not ask for:
//
//   - a firewall rule that an earlier rule on the same interface already decides (pfSense
//     evaluates an interface's rules in order and the first match wins: the new rule never
//     matches, or changes nothing);
//   - something that listens on WAN (a WireGuard tunnel, an OpenVPN server on wan, a port
//     forward without its rule) while no pass rule on WAN lets its traffic through;
//   - a create or update that repeats a value another object of the model already has in a
//     unique field (a second OpenVPN server on port 1194, a tunnel on a port in use), which
//     pfSense refuses with FIELD_MUST_BE_UNIQUE;
//   - a replace whose new list leaves out identities of the current objects that others refer
//     to (a rule's tracker or associated_rule_id: the tool's Kept fields), which the objects
//     would lose.
//
// The checks read the rules through the dispatcher (toolcall.Reader); what they cannot read they
// do not guess about.
package lint

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/fwrules"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// Paths the checks read.
const rulesPath = "/api/v2/firewall/rules"

// wan is the interface id pfSense gives the WAN.
const wan = "wan"

// Rules is the linter the server installs.
type Rules struct{}

var _ toolcall.Linter = Rules{}

// Lint implements toolcall.Linter.
func (Rules) Lint(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args map[string]any, created map[string]any) []string {
	ir := newIDs(ctx, r)
	r, args, created = ir, ir.object(args), ir.object(created)
	if t.Kind == toolspec.KindReplace {
		return droppedIdentities(ctx, r, t, args)
	}
	if t.Model == "SSH" && t.Kind == toolspec.KindSettings && t.Mutation {
		return sshWithoutKeys(ctx, r, args)
	}
	if t.Kind == toolspec.KindDelete && t.Model == "FirewallAlias" && !t.Plural {
		return aliasInUse(ctx, r, t, args, created)
	}
	if t.Kind == toolspec.KindDelete && t.Model == "FirewallRule" && !t.Plural {
		return forwardsRuleDeleted(ctx, r, t, args, created)
	}
	if t.Kind == toolspec.KindDelete && t.Model == "CertificateAuthority" && !t.Plural {
		return caInUse(ctx, r, t, args, created)
	}
	if t.Kind == toolspec.KindDelete && t.Model == "DHCPServerLease" {
		return leaseDelete(ctx, r)
	}
	if t.Kind != toolspec.KindCreate && t.Kind != toolspec.KindUpdate {
		return nil
	}
	var out []string
	if created == nil {
		out = taken(ctx, r, t, args)
	}
	return append(out, modelChecks(ctx, r, t, args, created)...)
}

// modelChecks are the checks of particular models.
func modelChecks(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args map[string]any, created map[string]any) []string {
	switch t.Model {
	case "FirewallRule":
		if created == nil {
			if w := unknownInterfaces(ctx, r, args); w != nil {
				return w // a rule pfSense will refuse shadows nothing
			}
		}
		return append(shadowed(ctx, r, t, args, created), blocksVPNPeer(ctx, r, object(args, created))...)
	case "WireGuardTunnel":
		obj := object(args, created)
		if on, ok := obj["enabled"].(bool); ok && !on {
			return nil
		}
		out := listener(ctx, r, "WireGuard tunnel", "udp", orDefault(obj.Str("listenport"), "51820"), "peers cannot reach the tunnel")
		if t.Kind == toolspec.KindCreate {
			out = append(out, insideBlocked(ctx, r, "WireGuard", "tun_wg", "peers' traffic through the tunnel")...)
		}
		return out
	case "IPsecPhase2":
		if t.Kind == toolspec.KindCreate && !object(args, created).Bool("disabled") {
			return insideBlocked(ctx, r, "enc0", "", "traffic from the remote networks through IPsec")
		}
	case "OpenVPNClient":
		return tunnelTaken(ctx, r, t, args, created)
	case "OpenVPNServer":
		out := tunnelTaken(ctx, r, t, args, created)
		if t.Kind == toolspec.KindCreate && !object(args, created).Bool("disabled") {
			out = append(out, insideBlocked(ctx, r, "openvpn", "ovpn", "clients' traffic through the tunnel")...)
		}
		obj := object(args, created)
		if obj.Str("interface") != wan || obj.Bool("disabled") {
			return out
		}
		proto := "udp"
		if strings.HasPrefix(strings.ToUpper(obj.Str("protocol")), "TCP") {
			proto = "tcp"
		}
		return append(out, listener(ctx, r, "OpenVPN server", proto, orDefault(obj.Str("local_port"), "1194"), "clients cannot reach the server")...)
	case "PortForward":
		return forwardWithoutRule(ctx, r, t, object(args, created))
	case "DHCPServerStaticMapping":
		return mappingClashes(ctx, r, t, args, created)
	case "HAProxyFrontend":
		return append(haproxyOff(ctx, r), frontendClashes(ctx, r, object(args, created))...)
	case "HAProxyBackend":
		return haproxyOff(ctx, r)
	case "RoutingGateway":
		return gatewayOffLink(ctx, r, t, args, created)
	case "StaticRoute":
		return append(routeTaken(ctx, r, t, args, created), gatewayDown(ctx, r, object(args, created).Str("gateway"))...)
	case "NetworkInterface":
		if t.Kind == toolspec.KindCreate {
			return newInterfaceBlocked(ctx, r, args, created)
		}
		if created == nil {
			return reservedDescription(ctx, r, t, args)
		}
	}
	return nil
}

// reservedDescription warns, in the preview of an interface update, that pfSense will refuse
// it: Core/Field.inc validate() checks every field, the stored description too, with
// Validators/FilterNameValidator.inc, whose get_pf_reserved() (pfsense/pfsense
// src/etc/inc/pfsense-utils.inc) reserves every interface id in capitals; an interface without
// a description reads as its id in capitals (Models/NetworkInterface.inc
// from_internal_descr), so the factory WAN and LAN cannot be updated unless the call renames
// them (FILTER_NAME_VALIDATOR_RESERVED_NAME_USED).
func reservedDescription(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args map[string]any) []string {
	descr, renamed := args["descr"].(string)
	if !renamed {
		descr = fwrules.Rule(deletedObject(ctx, r, t, args, nil)).Str("descr")
	}
	if descr == "" {
		return nil
	}
	v, err := r.ReadRoute(ctx, interfacesPath)
	if err != nil {
		return nil
	}
	for _, i := range fwrules.List(v) {
		id := strings.ToUpper(valueText(i["id"]))
		if id == "" || descr != id && descr != id+"__NETWORK" {
			continue
		}
		if renamed {
			return []string{fmt.Sprintf("pfSense will refuse this: %q is a name it reserves (the id of an interface in capitals), so `descr` cannot be %q (FILTER_NAME_VALIDATOR_RESERVED_NAME_USED). Choose another description.", descr, descr)}
		}
		return []string{fmt.Sprintf("pfSense will refuse this update: it checks every field of the interface, its current description %q too, and %q is a name it reserves (the id of an interface in capitals; an interface with no description shows it). Give `descr` another name in the same call (ask the user which, e.g. %s_uplink), or make the change in the web GUI.", descr, descr, descr)}
	}
	return nil
}

// forwardsRuleDeleted warns when the rule a delete removes is the associated rule of a port
// forward: pfSense passes the forwarded traffic only through that rule (the default deny drops
// it otherwise), and the forward's associated_rule_id, a ForeignModelField on the rules'
// associated_rule_id (Models/PortForward.inc), then names a rule that no longer exists.
func forwardsRuleDeleted(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	rule := deletedObject(ctx, r, t, args, created)
	link := valueText(rule["associated_rule_id"])
	if rule == nil || link == "" || link == "pass" {
		return nil
	}
	v, err := r.ReadRoute(ctx, "/api/v2/firewall/nat/port_forwards")
	if err != nil {
		return nil
	}
	for _, f := range fwrules.List(v) {
		if valueText(f["associated_rule_id"]) != link {
			continue
		}
		return []string{fmt.Sprintf("This is the rule of port forward id %s%s (to %s port %s): without it nothing passes the forwarded traffic (pfSense's default deny drops it), and the forward's associated_rule_id names a rule that no longer exists. To stop the forward, delete or disable the port forward instead (pfsense_delete_firewall_nat_port_forward removes its rule with it).",
			valueText(f["id"]), label(f), orDefault(f.Str("target"), "any"), orDefault(f.Str("local_port"), "any"))}
	}
	return nil
}

// gatewayOffLink warns when a gateway's address lies outside its interface's subnet. The
// REST API stores it whatever nonlocalgateway says (Models/RoutingGateway.inc
// validate_gateway() checks only the address family); the GUI refuses it unless "Use
// non-local gateway" is set ("does not lie within one of the chosen interface's subnets",
// pfsense/pfsense src/etc/inc/gwlb.inc validate_gateway()), because such an address is
// usually mistyped: the default route through it fails unless a host route reaches it. The
// interface's own subnet is read from status/interfaces; virtual IPs' subnets count as the
// GUI counts them only when the warning says so.
func gatewayOffLink(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	obj := object(args, created)
	gw, iface := obj.Str("gateway"), obj.Str("interface")
	if created == nil && t.Kind == toolspec.KindUpdate && (gw == "" || iface == "") {
		if _, changes := args["gateway"]; !changes {
			if _, moves := args["interface"]; !moves {
				return nil
			}
		}
		cur := deletedObject(ctx, r, t, args, nil)
		gw, iface = orDefault(gw, fwrules.Rule(cur).Str("gateway")), orDefault(iface, fwrules.Rule(cur).Str("interface"))
	}
	addr, err := netip.ParseAddr(gw)
	if err != nil || iface == "" || addr.IsLinkLocalUnicast() {
		return nil // dynamic, or nothing to compare
	}
	v, err := r.ReadRoute(ctx, "/api/v2/status/interfaces")
	if err != nil {
		return nil
	}
	ids := fwrules.NewInterfaceIDs(v)
	for _, row := range fwrules.List(v) {
		if ids.ID(row.Str("name")) != ids.ID(iface) {
			continue
		}
		ipField, bitsField := "ipaddr", "subnet"
		if addr.Is6() {
			ipField, bitsField = "ipaddrv6", "subnetv6"
		}
		own, err := netip.ParseAddr(row.Str(ipField))
		bits, err2 := strconv.Atoi(row.Str(bitsField))
		if err != nil || err2 != nil {
			return nil
		}
		prefix, err := own.Prefix(bits)
		if err != nil || prefix.Contains(addr) {
			return nil
		}
		return []string{fmt.Sprintf("The gateway %s is not in %s's subnet (%s): pfSense routes through it only with nonlocalgateway true (a host route through the interface) and only if the next hop really is on that link, so traffic sent to it may go nowhere. Check the address; the web GUI would refuse it unless \"Use non-local gateway\" is set (or it lies in a virtual IP's subnet on %s).",
			gw, ids.ID(iface), prefix, ids.ID(iface))}
	}
	return nil
}

// routeTaken warns when a static route's network already has another route. The REST API
// accepts it (Models/StaticRoute.inc validate_network checks only the interfaces' subnets);
// the GUI refuses it ("A route to these destination networks already exists",
// pfsense/pfsense src/usr/local/www/system_routes_edit.php), because the routing table holds
// one route per destination and only one of the two takes effect.
func routeTaken(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	network := strings.ToLower(valueText(args["network"]))
	if args["network"] == nil || network == "" || t.ListTool == "" {
		return nil
	}
	v, err := r.Read(ctx, t.ListTool, map[string]any{"limit": float64(toolspec.MaxListLimit)})
	if err != nil {
		return nil
	}
	self := valueText(args["id"])
	if created != nil {
		self = valueText(created["id"])
	}
	var out []string
	for _, o := range fwrules.List(v) {
		if (self != "" && valueText(o["id"]) == self) || strings.ToLower(valueText(o["network"])) != network {
			continue
		}
		state := ""
		if o.Bool("disabled") {
			state = ", disabled"
		}
		out = append(out, fmt.Sprintf("network %s already has the static route with id %s%s (via %s%s): pfSense's REST API accepts a second route to it (the GUI refuses one), "+
			"but only one of them takes effect. Change that route's gateway with %s instead, or delete one of them.",
			valueText(args["network"]), valueText(o["id"]), label(o), valueText(o["gateway"]), state, strings.Replace(t.Name, "_create_", "_update_", 1)))
	}
	return out
}

// openvpnLists are the tools listing the OpenVPN instances whose tunnel networks a new one
// must not repeat.
var openvpnLists = []struct{ tool, what string }{
	{"pfsense_list_vpn_openvpn_servers", "OpenVPN server"},
	{"pfsense_list_vpn_openvpn_clients", "OpenVPN client"},
}

// tunnelTaken warns when an OpenVPN server's or client's tunnel network is already another
// instance's. The REST API stores it (Models/OpenVPNServer.inc validate_tunnel_network only
// makes it a network address); the GUI refuses it ("The submitted IPv4 Tunnel Network is
// already in use.", pfsense/pfsense src/usr/local/www/vpn_openvpn_server.php with openvpn.inc
// openvpn_is_tunnel_network_in_use, which compares servers' and clients' networks), since two
// tunnels cannot route the same addresses.
func tunnelTaken(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	self := valueText(args["id"])
	if created != nil {
		self = valueText(created["id"])
	}
	var out []string
	for _, field := range []string{"tunnel_network", "tunnel_networkv6"} {
		want, err := netip.ParsePrefix(valueText(args[field]))
		if err != nil {
			continue
		}
		for _, l := range openvpnLists {
			v, err := r.Read(ctx, l.tool, map[string]any{"limit": float64(toolspec.MaxListLimit)})
			if err != nil {
				continue
			}
			for _, o := range fwrules.List(v) {
				if l.tool == t.ListTool && self != "" && valueText(o["id"]) == self {
					continue
				}
				if got, err := netip.ParsePrefix(valueText(o[field])); err == nil && got.Masked() == want.Masked() {
					out = append(out, fmt.Sprintf("%s %s is already the tunnel network of %s id %s%s: pfSense's REST API accepts it (the GUI refuses it as already in use), "+
						"but two tunnels cannot route the same addresses; choose another network.", field, want.Masked(), l.what, valueText(o["id"]), label(o)))
				}
			}
		}
	}
	return out
}

// insideBlocked warns when no pass rule lets a VPN's traffic in on the firewall's side of the
// tunnel: pfSense filters what arrives through a tunnel on its own interface (the WireGuard
// interface group, enc0 for IPsec, the OpenVPN group, or an interface assigned to the tunnel's
// device), and with no pass rule there its default deny drops everything (pfsense/pfsense
// src/etc/inc/filter.inc: the block-by-default rule; the GUI's VPN wizards add these rules).
func insideBlocked(ctx context.Context, r toolcall.Reader, group, devicePrefix, what string) []string {
	rules, ok := readRules(ctx, r)
	if !ok {
		return nil
	}
	ifaces := []string{group}
	if devicePrefix != "" {
		if v, err := r.ReadRoute(ctx, "/api/v2/interfaces"); err == nil {
			for _, i := range fwrules.List(v) {
				if strings.HasPrefix(i.Str("if"), devicePrefix) {
					ifaces = append(ifaces, valueText(i["id"]))
				}
			}
		}
	}
	for _, rule := range rules {
		if rule.Str("type") != "pass" || !rule.Active() {
			continue
		}
		for _, i := range ifaces {
			if rule.On(i) {
				return nil
			}
		}
	}
	return []string{fmt.Sprintf("No pass rule on the %s interface (%s): pfSense's default deny drops %s. Add one with pfsense_create_firewall_rule on interface %s (sources and destinations as the VPN needs).",
		group, strings.Join(ifaces, ", "), what, group)}
}

// dhcpBackendPath holds the DHCP server backend (Models/DHCPServerBackend.inc: isc or kea).
const dhcpBackendPath = "/api/v2/services/dhcp_server/backend"

// leaseDelete warns that, with the ISC backend, deleting leases stops the DHCP server and
// leaves them: Models/DHCPServerLease.inc _delete() kills dhcpd, computes the leases file
// without the lease (isc_remove_lease) but never writes it, and does not start dhcpd again
// (v2.7.1 and v2.10.0). With Kea, system_del_kea4lease() removes the lease.
func leaseDelete(ctx context.Context, r toolcall.Reader) []string {
	backend := "isc"
	if v, err := r.ReadRoute(ctx, dhcpBackendPath); err == nil {
		if m, ok := v.(map[string]any); ok && valueText(m["dhcpbackend"]) != "" {
			backend = valueText(m["dhcpbackend"])
		}
	}
	if backend != "isc" {
		return nil
	}
	return []string{"With the ISC DHCP backend (this firewall's) deleting leases stops the DHCP server and leaves the leases in place: pfSense's REST API kills dhcpd, " +
		"never writes the leases file without them and never starts dhcpd again (start it again with pfsense_control_status_service on the dhcpd entry of pfsense_list_status_services). Tell the user before confirming."}
}

// haproxySettingsPath holds HAProxy's global switch (Models/HAProxySettings.inc enable).
const haproxySettingsPath = "/api/v2/services/haproxy/settings"

// haproxyOff warns that frontends and backends do nothing while HAProxy itself is disabled:
// applying writes the configuration, but the service is stopped (pfsense/FreeBSD-ports
// net/pfSense-pkg-haproxy haproxy.inc haproxy_check_run: it starts haproxy only while the
// global enable is set, and kills it otherwise).
func haproxyOff(ctx context.Context, r toolcall.Reader) []string {
	v, err := r.ReadRoute(ctx, haproxySettingsPath)
	settings, _ := v.(map[string]any)
	if err != nil || settings == nil || settings["enable"] != false {
		return nil
	}
	return []string{"HAProxy is disabled (its settings have enable: false): this frontend or backend takes no traffic until it is enabled with pfsense_update_services_haproxy_settings and applied."}
}

// gatewayDown warns when a route goes through a gateway dpinger reports down: the route is
// installed all the same, and its traffic is lost until the gateway answers again.
func gatewayDown(ctx context.Context, r toolcall.Reader, gw string) []string {
	if gw == "" {
		return nil
	}
	v, err := r.ReadRoute(ctx, "/api/v2/status/gateways")
	if err != nil {
		return nil
	}
	for _, g := range fwrules.List(v) {
		if g.Str("name") == gw && g.Str("status") == "down" {
			return []string{fmt.Sprintf("The gateway %s is down (dpinger: %s, loss %s%%): traffic on this route is lost until it answers again.", gw, orDefault(g.Str("substatus"), "down"), orDefault(g.Str("loss"), "?"))}
		}
	}
	return nil
}

// frontendClashes warns when a HAProxy frontend listens where something else already takes the
// traffic: the web GUI's port on every address (nginx listens on all of them; pfsense/pfsense
// src/etc/inc/system.inc system_generate_nginx_config), so HAProxy cannot bind any_ipv4 or
// any_ipv6 there; and a port forward on WAN for the same port, which NAT applies before the
// firewall's own services see the traffic (filter.inc writes rdr rules ahead of filtering).
func frontendClashes(ctx context.Context, r toolcall.Reader, fe fwrules.Rule) []string {
	addrs, _ := fe["a_extaddr"].([]any)
	if len(addrs) == 0 {
		return nil
	}
	guiPort := 443
	if v, err := r.ReadRoute(ctx, "/api/v2/system/webgui/settings"); err == nil {
		if m, ok := v.(map[string]any); ok {
			if p, err := strconv.Atoi(valueText(m["port"])); err == nil && p > 0 {
				guiPort = p
			} else if valueText(m["protocol"]) == "http" {
				guiPort = 80
			}
		}
	}
	var forwards []fwrules.Rule
	if v, err := r.ReadRoute(ctx, "/api/v2/firewall/nat/port_forwards"); err == nil {
		forwards = fwrules.List(v)
	}
	var out []string
	for _, a := range addrs {
		m, _ := a.(map[string]any)
		port, err := strconv.Atoi(valueText(m["extaddr_port"]))
		if err != nil {
			continue
		}
		where := valueText(m["extaddr"])
		if port == guiPort && strings.HasPrefix(where, "any_") {
			out = append(out, fmt.Sprintf("The web GUI (and this REST API) listens on port %d on every address, so HAProxy cannot bind %s:%d and will not start: use another port for the frontend, or move the web GUI's port first.", port, where, port))
		}
		for i, pf := range forwards {
			if pf.Active() && pf.On(wan) && fwrules.PortCovers(pf.Str("destination_port"), port) && fwrules.CoversProtocol(pf.Str("protocol"), "tcp") {
				out = append(out, fmt.Sprintf("Port forward %d (%q) already sends WAN port %d to %s: NAT applies it before HAProxy sees the traffic, so this frontend gets none of it from WAN until that forward is removed or disabled.", i, pf.Str("descr"), port, pf.Str("target")))
			}
		}
	}
	return out
}

// mappingClashes warns when a static mapping takes a hostname or an address another mapping
// of the same DHCP server has. pfSense accepts both (Models/DHCPServerStaticMapping.inc:
// hostname is a plain StringField, and validate_ipaddr checks only pools and virtual IPs), but
// two clients then get one address, and with regdhcpstatic the DNS resolver registers every
// static mapping (pfsense/pfsense src/etc/inc/system.inc system_hosts_dhcpd_entries, read by
// unbound.inc unbound_add_host_entries), so the name would answer with both addresses.
func mappingClashes(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	host, ip := strings.ToLower(valueText(args["hostname"])), valueText(args["ipaddr"])
	if (host == "" && ip == "") || t.ListTool == "" || args["parent_id"] == nil {
		return nil
	}
	v, err := r.Read(ctx, t.ListTool, map[string]any{"parent_id": args["parent_id"], "limit": float64(toolspec.MaxListLimit)})
	if err != nil {
		return nil
	}
	self := valueText(args["id"])
	if created != nil {
		self = valueText(created["id"])
	}
	var out []string
	for _, o := range fwrules.List(v) {
		if self != "" && valueText(o["id"]) == self {
			continue
		}
		other := fmt.Sprintf("the static mapping with id %s%s (%s, %s) on %s", valueText(o["id"]), label(o), valueText(o["mac"]), valueText(o["ipaddr"]), valueText(args["parent_id"]))
		if ip != "" && valueText(o["ipaddr"]) == ip {
			out = append(out, fmt.Sprintf("ipaddr %s is also %s: pfSense accepts it, and two clients would be handed one address. Choose a free address outside the pool, or change that mapping.", ip, other))
		}
		if host != "" && strings.ToLower(valueText(o["hostname"])) == host {
			out = append(out, fmt.Sprintf("hostname %s is also %s: where the DNS resolver registers static mappings, %s resolves to both addresses. Rename or remove one of them.", host, other, host))
		}
	}
	return out
}

// interfacesPath and groupsPath list what a rule's interface can name besides enc0 and openvpn
// (Fields/InterfaceField.inc get_interface_choices with FirewallRule's options: interface ids,
// interface groups, IPsec, OpenVPN).
const (
	interfacesPath = "/api/v2/interfaces"
	groupsPath     = "/api/v2/interface/groups"
)

// unknownInterfaces warns, in a preview, about interface values of a rule that the firewall
// has no interface or group for: pfSense refuses them with FIELD_INVALID_CHOICE only when the
// change is made, after the user approved it.
func unknownInterfaces(ctx context.Context, r toolcall.Reader, args map[string]any) []string {
	var given []string
	switch v := args["interface"].(type) {
	case []any:
		for _, e := range v {
			given = append(given, valueText(e))
		}
	case string:
		given = []string{v}
	}
	if len(given) == 0 {
		return nil
	}
	known := map[string]bool{"enc0": true, "openvpn": true}
	names := []string{}
	for _, path := range []string{interfacesPath, groupsPath} {
		v, err := r.ReadRoute(ctx, path)
		if err != nil {
			return nil // unsure: say nothing
		}
		for _, o := range fwrules.List(v) {
			name := valueText(o["id"])
			if path == groupsPath {
				name = valueText(o["ifname"])
			}
			if name != "" && !known[name] {
				known[name] = true
				names = append(names, name)
			}
		}
	}
	var bad []string
	for _, g := range given {
		if !known[g] {
			bad = append(bad, g)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("interface %s is not an interface of this firewall: pfSense will refuse it (FIELD_INVALID_CHOICE). Use an interface id or group (%s), enc0 for IPsec or openvpn for OpenVPN.",
		strings.Join(bad, ", "), strings.Join(names, ", "))}
}

// phase1sPath lists the IPsec tunnels and their peers.
const phase1sPath = "/api/v2/vpn/ipsec/phase1s"

// blocksVPNPeer warns when a block or reject rule's source covers the remote gateway of an
// enabled IPsec tunnel on one of the rule's interfaces. User rules are quick and come before
// the rules pfSense adds for IPsec (pfsense/pfsense src/etc/inc/filter.inc: "User-defined
// rules follow", then filter_generate_ipsec_rules(), whose inbound isakmp, nat-t and esp
// passes are not quick), so the block wins over them for what the peer starts.
func blocksVPNPeer(ctx context.Context, r toolcall.Reader, rule fwrules.Rule) []string {
	if typ := rule.Str("type"); (typ != "block" && typ != "reject") || !rule.Active() || strings.HasPrefix(rule.Str("source"), "!") {
		return nil
	}
	src := rule.Str("source")
	var covers func(netip.Addr) bool
	if src == "any" {
		covers = func(netip.Addr) bool { return true }
	} else if p, err := netip.ParsePrefix(src); err == nil {
		covers = p.Masked().Contains
	} else if a, err := netip.ParseAddr(src); err == nil {
		covers = func(b netip.Addr) bool { return a == b }
	} else {
		return nil // aliases and interface networks: not resolved here
	}
	v, err := r.ReadRoute(ctx, phase1sPath)
	if err != nil {
		return nil
	}
	var out []string
	for _, p1 := range fwrules.List(v) {
		gw, err := netip.ParseAddr(valueText(p1["remote_gateway"]))
		if err != nil || p1["disabled"] == true || !rule.On(valueText(p1["interface"])) || !covers(gw) {
			continue
		}
		out = append(out, fmt.Sprintf("source %s covers %s, the peer of the IPsec tunnel%s (phase 1 id %s): this rule is evaluated before the rules pfSense adds for IPsec, so it blocks the IKE, NAT-T and ESP the peer sends. Put pass rules for the peer (UDP 500 and 4500, ESP) above it, or narrow the block.",
			src, gw, label(p1), valueText(p1["id"])))
	}
	return out
}

// aliasUsers are the lists whose objects name aliases, with the fields that can.
var aliasUsers = []struct {
	path, what string
	fields     []string
}{
	{rulesPath, "firewall rule", []string{"source", "destination", "source_port", "destination_port"}},
	{"/api/v2/firewall/nat/port_forwards", "port forward", []string{"source", "destination", "source_port", "destination_port", "target", "local_port"}},
	{"/api/v2/firewall/nat/outbound/mappings", "outbound NAT mapping", []string{"source", "destination", "source_port", "destination_port", "target"}},
	{"/api/v2/firewall/nat/one_to_one/mappings", "1:1 NAT mapping", []string{"source", "destination", "external"}},
	{"/api/v2/firewall/aliases", "alias", []string{"address"}},
}

// aliasInUse warns when an alias to be deleted (or just deleted) is still named by rules, NAT
// entries or other aliases. The REST API does not check (Models/FirewallAlias.inc: "TODO: Set
// referenced_by for this field once Model dependents like firewall rules are developed"), and
// pfSense expands a missing alias to nothing (pfsense/pfsense src/etc/inc/util.inc alias_expand
// returns null), so what names it breaks.
func aliasInUse(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	alias := deletedObject(ctx, r, t, args, created)
	if alias == nil {
		return nil
	}
	name := valueText(alias["name"])
	if name == "" {
		return nil
	}
	var uses []string
	for _, u := range aliasUsers {
		v, err := r.ReadRoute(ctx, u.path)
		if err != nil {
			continue
		}
		for _, o := range fwrules.List(v) {
			if u.what == "alias" && valueText(o["name"]) == name {
				continue
			}
			for _, f := range u.fields {
				if strings.TrimPrefix(valueText(o[f]), "!") == name || (f == "address" && sameValue(o[f], name)) {
					use := fmt.Sprintf("%s id %s%s (%s", u.what, valueText(o["id"]), label(o), f)
					if u.path == rulesPath && strings.HasPrefix(valueText(o["associated_rule_id"]), "nat_") {
						use += "; the rule of a port forward, changed through the forward"
					}
					uses = append(uses, use+")")
					break
				}
			}
		}
	}
	if len(uses) == 0 {
		return nil
	}
	when := "is named by"
	if created != nil {
		when = "was named by"
	}
	return []string{fmt.Sprintf("alias %s %s %s. pfSense deletes it anyway (the REST API does not check aliases in use) and then expands the name to nothing, which breaks them: change or remove those first.",
		name, when, strings.Join(uses, ", "))}
}

// caUsers are what names a certificate authority by its refid: the services pfSense's
// ca_in_use() asks about (src/etc/inc/certs.inc), and the certificates and CRLs the REST API's
// CertificateAuthority::_delete unlinks and deletes with it.
var caUsers = []struct {
	path, what, field string
}{
	{"/api/v2/vpn/openvpn/servers", "OpenVPN server", "caref"},
	{"/api/v2/vpn/openvpn/clients", "OpenVPN client", "caref"},
	{"/api/v2/vpn/ipsec/phase1s", "IPsec phase 1", "caref"},
	{"/api/v2/user/auth_servers", "authentication server", "ldap_caref"},
	{"/api/v2/system/certificates", "certificate", "caref"},
	{"/api/v2/system/crls", "CRL", "caref"},
}

// caInUse warns when a certificate authority to be deleted is still used. Before REST API
// v2.7.4, CertificateAuthority::_delete asked pfSense's cert_in_use() about the CA's refid, a
// certificate check that no service matches, so the CA an OpenVPN server or IPsec tunnel
// verifies its peers with is deleted (fixed in commit 8fa83dc2, issue #856); in every version
// the certificates it signed lose their CA and its CRLs are deleted.
func caInUse(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	ca := deletedObject(ctx, r, t, args, created)
	if ca == nil {
		return nil
	}
	refid := valueText(ca["refid"])
	if refid == "" {
		return nil
	}
	var services, signed []string
	for _, u := range caUsers {
		v, err := r.ReadRoute(ctx, u.path)
		if err != nil {
			continue
		}
		for _, o := range fwrules.List(v) {
			if valueText(o[u.field]) != refid {
				continue
			}
			use := fmt.Sprintf("%s id %s%s", u.what, valueText(o["id"]), label(o))
			if u.what == "certificate" || u.what == "CRL" {
				signed = append(signed, use)
			} else {
				services = append(services, use)
			}
		}
	}
	var out []string
	when := "is used by"
	if created != nil {
		when = "was used by"
	}
	if len(services) > 0 {
		verdict := "REST API versions before v2.7.4 delete it anyway (later ones refuse with 409)"
		if v := restAPIVersion(ctx, r); v != "" {
			if versionBefore(v, 2, 7, 4) {
				verdict = "this firewall's REST API (" + v + ") deletes it anyway: it checks only before v2.7.4's fix"
			} else {
				verdict = "this firewall's REST API (" + v + ") refuses to delete it (409) while they name it"
			}
		}
		out = append(out, fmt.Sprintf("certificate authority %s%s %s %s, which verify their peers with it. %s; without it those services fail: point them at another CA first.",
			refid, label(ca), when, strings.Join(services, ", "), verdict))
	}
	if len(signed) > 0 {
		out = append(out, fmt.Sprintf("deleting certificate authority %s unlinks or deletes what it signed: %s (certificates keep working but lose their CA; its CRLs are deleted).",
			refid, strings.Join(signed, ", ")))
	}
	return out
}

// deletedObject is the object a delete removes: the one it answered with (created), or before
// the delete, the one its id names now; nil when that cannot be read.
func deletedObject(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) map[string]any {
	if created != nil {
		return created
	}
	if t.ReadTool == "" {
		return nil
	}
	v, err := r.Read(ctx, t.ReadTool, map[string]any{"id": args["id"]})
	obj, _ := v.(map[string]any)
	if err != nil {
		return nil
	}
	return obj
}

// restAPIVersion reads the firewall's REST API version (current_version), "" when unknown.
func restAPIVersion(ctx context.Context, r toolcall.Reader) string {
	v, err := r.ReadRoute(ctx, "/api/v2/system/restapi/version")
	m, _ := v.(map[string]any)
	if err != nil || m == nil {
		return ""
	}
	return valueText(m["current_version"])
}

// versionBefore reports whether a version (v2.7.1) is older than major.minor.patch; an
// unreadable one is not.
func versionBefore(v string, major, minor, patch int) bool {
	var a, b, c int
	if n, _ := fmt.Sscanf(strings.TrimPrefix(v, "v"), "%d.%d.%d", &a, &b, &c); n < 2 {
		return false
	}
	for _, p := range [][2]int{{a, major}, {b, minor}, {c, patch}} {
		if p[0] != p[1] {
			return p[0] < p[1]
		}
	}
	return false
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// object is what the change writes: the firewall's answer when there is one, else the arguments.
func object(args, created map[string]any) fwrules.Rule {
	if created != nil {
		return fwrules.Rule(created)
	}
	return fwrules.Rule(args)
}

func readRules(ctx context.Context, r toolcall.Reader) ([]fwrules.Rule, bool) {
	v, err := r.ReadRoute(ctx, rulesPath)
	if err != nil {
		return nil, false
	}
	return fwrules.List(v), true
}

func index(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		return int(x), x >= 0
	case int:
		return x, x >= 0
	case int64:
		return int(x), x >= 0
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil && n >= 0
	case interface{ Int64() (int64, error) }: // json.Number
		n, err := x.Int64()
		return int(n), err == nil && n >= 0
	}
	return 0, false
}

// shadowed warns when an earlier rule on one of the new rule's interfaces matches all its
// traffic. The rule's place is its id after the change, else where placement (or, for an
// update, its id) puts it; a create without placement goes to the end.
func shadowed(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args, created map[string]any) []string {
	rules, ok := readRules(ctx, r)
	if !ok {
		return nil
	}
	var rule fwrules.Rule
	pos := len(rules)
	switch {
	case created != nil:
		rule = fwrules.Rule(created)
		p, ok := index(created["id"])
		if !ok || p > len(rules) {
			return nil
		}
		pos = p
	case t.Kind == toolspec.KindUpdate:
		id, ok := index(args["id"])
		if !ok || id >= len(rules) {
			return nil
		}
		rule = fwrules.Rule{}
		for k, v := range rules[id] {
			rule[k] = v
		}
		for k, v := range args {
			rule[k] = v
		}
		rules = append(append([]fwrules.Rule(nil), rules[:id]...), rules[id+1:]...) // the list without it
		pos = id
		if p, ok := index(args["placement"]); ok {
			pos = min(p, len(rules))
		}
	default:
		rule = fwrules.Rule(args)
		if p, ok := index(args["placement"]); ok {
			pos = min(p, len(rules))
		}
	}
	if rule.Bool("floating") || !rule.Active() {
		return nil
	}
	out := scheduleNoEffect(rule, rules, pos, created != nil)
	for _, iface := range rule.Interfaces() {
		for i, e := range rules[:min(pos, len(rules))] {
			if !fwrules.Shadows(e, rule, iface) {
				continue
			}
			what := "will never match"
			if e.Str("type") == rule.Str("type") {
				what = "has no effect"
			}
			out = append(out, fmt.Sprintf("This %s rule %s on %s: rule %d (%q, %s) comes earlier and matches all its traffic (first match wins). "+
				"To take effect it must come first: placement: %d puts it just above that rule.", orDefault(rule.Str("type"), "new"), what, iface, i, e.Str("descr"), e.Str("type"), i))
			break
		}
	}
	return out
}

// scheduleNoEffect warns when a pass rule with a schedule has a pass rule below it on the same
// interface that matches all its traffic: outside the schedule pfSense leaves the scheduled
// rule out of the ruleset (pfsense/pfsense src/etc/inc/filter.inc filter_generate_user_rule
// writes "# schedule finished" in its place), so the later rule passes the traffic anyway and
// the schedule limits nothing.
// rules holds the rule itself at pos when it was just created (after).
func scheduleNoEffect(rule fwrules.Rule, rules []fwrules.Rule, pos int, after bool) []string {
	if rule.Str("sched") == "" || rule.Str("type") != "pass" {
		return nil
	}
	from := pos
	if after {
		from = pos + 1
	}
	var out []string
	for _, iface := range rule.Interfaces() {
		for i := from; i < len(rules); i++ {
			e := rules[i]
			if e.Str("type") != "pass" || e.Str("sched") != "" || !fwrules.Shadows(e, rule, iface) {
				continue
			}
			n := i
			if !after {
				n = i + 1 // the rule goes in at pos, moving the later ones down
			}
			out = append(out, fmt.Sprintf("Outside its schedule %q this pass rule is left out of the ruleset, but rule %d (%q, pass) below it on %s matches all the same traffic, so the schedule limits nothing: "+
				"to allow this traffic only during the schedule, add a block rule for it just below this one (or narrow rule %d).", rule.Str("sched"), n, e.Str("descr"), iface, n))
			break
		}
	}
	return out
}

// newInterfaceBlocked says, when an interface is assigned, that pfSense passes nothing arriving
// on it until it has pass rules: its ruleset ends in a default deny (filter.inc
// filter_rules_generate: "Default deny rule"), and only LAN gets an allow rule, once, from the
// factory configuration.
func newInterfaceBlocked(ctx context.Context, r toolcall.Reader, args, created map[string]any) []string {
	if args["enable"] == false {
		return nil
	}
	id := "the new interface"
	if created != nil {
		if s, ok := created["id"].(string); ok && s != "" {
			id = s
		}
	}
	if created != nil {
		if rules, ok := readRules(ctx, r); ok {
			for _, e := range rules {
				if e.Active() && e.Str("type") == "pass" && e.On(id) {
					return nil
				}
			}
		}
	}
	return []string{fmt.Sprintf("pfSense blocks everything arriving on %s until it has pass rules (only LAN gets a default allow rule): to let its hosts out, add one, e.g. "+
		`pfsense_create_firewall_rule with {"type": "pass", "interface": [%q], "ipprotocol": "inet", "protocol": "any", "source": %q, "destination": "any"}, and apply the firewall. `+
		"Destination any includes LAN and the other internal networks: to keep them out (a guest network), put block rules to them above it on the same interface.", id, orDefault(idOr(created), "optN"), orDefault(idOr(created), "optN"))}
}

func idOr(created map[string]any) string {
	if created == nil {
		return ""
	}
	s, _ := created["id"].(string)
	return s
}

// listener warns when nothing on WAN passes proto/port to the firewall.
func listener(ctx context.Context, r toolcall.Reader, what, proto, port, effect string) []string {
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil
	}
	rules, ok := readRules(ctx, r)
	if !ok {
		return nil
	}
	for _, e := range rules {
		if e.Active() && e.Str("type") == "pass" && e.On(wan) && fwrules.CoversProtocol(e.Str("protocol"), proto) &&
			fwrules.ToFirewall(e.Str("destination"), wan) && fwrules.PortCovers(e.Str("destination_port"), p) {
			return nil
		}
	}
	return []string{fmt.Sprintf("Nothing on WAN passes %s port %d to the firewall, so %s (%s) over WAN: add a pass rule on wan for protocol %s, destination wan:ip, destination port %d "+
		`(pfsense_create_firewall_rule with {"type": "pass", "interface": ["wan"], "ipprotocol": "inet", "protocol": %q, "source": "any", "destination": "wan:ip", "destination_port": "%d"}) and apply the firewall.`,
		strings.ToUpper(proto), p, effect, what, proto, p, proto, p)}
}

// forwardWithoutRule warns when a port forward on WAN gets no rule of its own (associated_rule_id
// empty) and no pass rule on its interface lets the forwarded traffic through. With `new`
// pfSense creates the rule (Models/PortForward.inc pre_apply_create()); `pass` passes it
// without one.
func forwardWithoutRule(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, pf fwrules.Rule) []string {
	if t.Kind != toolspec.KindCreate || pf.Str("associated_rule_id") != "" || pf.Bool("disabled") {
		return nil
	}
	iface := orDefault(pf.Str("interface"), wan)
	rules, ok := readRules(ctx, r)
	if !ok {
		return nil
	}
	for _, e := range rules {
		if e.Active() && e.Str("type") == "pass" && e.On(iface) && fwrules.CoversProtocol(e.Str("protocol"), pf.Str("protocol")) &&
			fwrules.CoversAddress(e.Str("destination"), pf.Str("target")) && fwrules.CoversPorts(e.Str("destination_port"), pf.Str("local_port")) {
			return nil
		}
	}
	return []string{fmt.Sprintf("This port forward has no rule (associated_rule_id is empty) and no pass rule on %s lets its traffic to %s port %s through, so the forward will not work: "+
		"set associated_rule_id to new to have pfSense add the rule, or add a pass rule yourself.", iface, pf.Str("target"), orDefault(pf.Str("local_port"), "(any)"))}
}

// usersPath is where the local users are read.
const usersPath = "/api/v2/users"

// sshWithoutKeys warns when SSH is made to require a public key (sshdkeyonly enabled or both:
// Models/SSH.inc, pfSense's "Public Key Only" and "Require Both Password and Public Key") while
// no enabled local user has one: nobody could log in over SSH (the web GUI still works).
func sshWithoutKeys(ctx context.Context, r toolcall.Reader, args map[string]any) []string {
	mode, _ := args["sshdkeyonly"].(string)
	if mode != "enabled" && mode != "both" {
		return nil
	}
	v, err := r.ReadRoute(ctx, usersPath)
	if err != nil {
		return nil
	}
	for _, u := range fwrules.List(v) {
		if keys, _ := u["authorizedkeys"].(string); keys != "" && u["disabled"] != true {
			return nil
		}
	}
	return []string{"No enabled local user has an SSH key (authorizedkeys), so with sshdkeyonly " + mode + " nobody can log in over SSH (the web GUI still works): " +
		"add a key to a user first (adding keys is a dangerous effect the operator must allow), or keep sshdkeyonly null."}
}

// taken warns, in a preview, about each unique value (or unique-together set) the call gives
// that another object of the model already has (Core/Field.inc check_field_unique compares with
// the objects under the same parent, the object itself excepted): the call would be refused.
func taken(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args map[string]any) []string {
	if len(t.Unique) == 0 || t.ListTool == "" {
		return nil
	}
	var sets [][]string
	for _, set := range t.Unique {
		given := true
		for _, f := range set {
			given = given && args[f] != nil && valueText(args[f]) != ""
		}
		if given {
			sets = append(sets, set)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	readArgs := map[string]any{"limit": float64(toolspec.MaxListLimit)}
	if t.Parent != "" {
		if args["parent_id"] == nil {
			return nil
		}
		readArgs["parent_id"] = args["parent_id"]
	}
	v, err := r.Read(ctx, t.ListTool, readArgs)
	if err != nil {
		return nil
	}
	self := ""
	if t.Kind == toolspec.KindUpdate {
		self = valueText(args["id"])
	}
	var out []string
	for _, set := range sets {
		for _, o := range fwrules.List(v) {
			if self != "" && valueText(o["id"]) == self {
				continue
			}
			same := true
			for _, f := range set {
				same = same && sameValue(o[f], args[f])
			}
			if !same {
				continue
			}
			var vals []string
			for _, f := range set {
				vals = append(vals, fmt.Sprintf("%s %s", f, valueText(args[f])))
			}
			what := "is"
			if len(set) > 1 {
				what = "together are"
			}
			out = append(out, fmt.Sprintf("%s %s already used by the object with id %s%s (%s): pfSense will refuse this with FIELD_MUST_BE_UNIQUE; choose another value, or change or remove that object.",
				strings.Join(vals, " and "), what, valueText(o["id"]), label(o), t.ListTool))
			break
		}
	}
	return out
}

// sameValue compares a stored value with a given one as pfSense's exact query does; a list
// field matches when it holds the value (check_field_unique queries __contains for many fields).
func sameValue(stored, given any) bool {
	if list, ok := stored.([]any); ok {
		if g, ok := given.([]any); ok {
			return valueText(list) == valueText(g)
		}
		for _, e := range list {
			if valueText(e) == valueText(given) {
				return true
			}
		}
		return false
	}
	return stored != nil && valueText(stored) == valueText(given)
}

// label names an object by its description or name, for messages: ` "Road warriors"`.
func label(o map[string]any) string {
	for _, f := range []string{"descr", "description", "name"} {
		if s, ok := o[f].(string); ok && s != "" {
			return fmt.Sprintf(" %q", s)
		}
	}
	return ""
}

// droppedIdentities warns, for each kept field of a replace tool, about the values the current
// objects have and no object of the new list carries: an object kept without its value gets a
// new one (Core/Model.inc replace_all), and what referred to the old one (a port forward's
// rule, the firewall log's tracker) no longer finds it.
func droppedIdentities(ctx context.Context, r toolcall.Reader, t *toolspec.Tool, args map[string]any) []string {
	sent, ok := args["objects"].([]any)
	if len(t.Kept) == 0 || !ok {
		return nil
	}
	v, err := r.ReadRoute(ctx, t.Path)
	if err != nil {
		return nil
	}
	current := fwrules.List(v)
	var out []string
	for _, field := range t.Kept {
		given := map[string]bool{}
		for _, o := range sent {
			if m, ok := o.(map[string]any); ok && m[field] != nil {
				given[valueText(m[field])] = true
			}
		}
		var dropped []string
		for _, o := range current {
			if val, ok := o[field]; ok && val != nil && valueText(val) != "" && !given[valueText(val)] {
				dropped = append(dropped, valueText(val))
			}
		}
		if len(dropped) == 0 {
			continue
		}
		shown := dropped
		if len(shown) > 3 {
			shown = shown[:3]
		}
		more := ""
		if len(dropped) > 3 {
			more = ", ..."
		}
		have := fmt.Sprintf("%d current objects have a", len(dropped))
		if len(dropped) == 1 {
			have = "1 current object has a"
		}
		out = append(out, fmt.Sprintf("%s `%s` that no object of the new list carries (%s%s): an object you keep without it gets a new one, "+
			"and what refers to the old value loses it (the field's description in %s says what refers to it); send each kept object's `%s` as the list shows it.",
			have, field, strings.Join(shown, ", "), more, t.Name, field))
	}
	return out
}

// valueText is a field value as the list shows it: whole numbers without an exponent.
func valueText(v any) string {
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return fmt.Sprint(v)
}
