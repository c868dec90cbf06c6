package simulator

import (
	"net/netip"
	"strings"
)

// Pending changes and apply, as pfSense keeps them: a change marks its model's subsystem
// dirty (Model::write_config, mark_subsystem_dirty); interface changes are listed by
// interface (/tmp/.interfaces.apply), virtual IPs and HAProxy have their own marker files.
// Each apply endpoint reports what it covers and applies it (Models/*Apply.inc,
// Dispatchers/*ApplyDispatcher.inc).

// applyCovers says which subsystems each apply model reports and clears.
var applyCovers = map[string][]string{
	"FirewallApply":     {"aliases", "natconf", "filter", "shaper"}, // Models/FirewallApply.inc FIREWALL_SUBSYSTEMS
	"InterfaceApply":    {"interfaces"},                             // Models/InterfaceApply.inc: /tmp/.interfaces.apply
	"RoutingApply":      {"staticroutes"},
	"DHCPServerApply":   {"dhcpd"},
	"DNSResolverApply":  {"unbound"},
	"DNSForwarderApply": {"hosts"},
	"IPsecApply":        {"ipsec"},
	"WireGuardApply":    {"wireguard"},
	"VirtualIPApply":    {"vip"},     // Models/VirtualIPApply.inc: /tmp/.firewall_virtual_ip.apply
	"HAProxyApply":      {"haproxy"}, // Models/HAProxyApply.inc: /var/run/haproxy.conf.dirty
}

// modelApply names the apply model whose dispatcher a model's apply() runs.
var modelApply = map[string]string{
	"aliases": "FirewallApply", "natconf": "FirewallApply", "filter": "FirewallApply", "shaper": "FirewallApply",
	"interfaces": "InterfaceApply", "staticroutes": "RoutingApply", "dhcpd": "DHCPServerApply",
	"unbound": "DNSResolverApply", "hosts": "DNSForwarderApply", "ipsec": "IPsecApply",
	"wireguard": "WireGuardApply", "vip": "VirtualIPApply", "haproxy": "HAProxyApply",
}

func (sim *Simulator) isDirty(sub string) bool {
	for _, d := range sim.st.Dirty {
		if d == sub {
			return true
		}
	}
	return false
}

func (sim *Simulator) markDirty(sub string) {
	if sub != "" && !sim.isDirty(sub) {
		sim.st.Dirty = append(sim.st.Dirty, sub)
	}
}

func (sim *Simulator) clearDirty(subs ...string) {
	out := sim.st.Dirty[:0:0]
	for _, d := range sim.st.Dirty {
		keep := true
		for _, s := range subs {
			keep = keep && d != s
		}
		if keep {
			out = append(out, d)
		}
	}
	sim.st.Dirty = out
}

// markModelDirty records a change to a model: its subsystem (native schema), plus the
// interface for interface changes and the marker files of HAProxy models.
func (sim *Simulator) markModelDirty(m *model, id any) {
	sub := ""
	if m.info != nil {
		sub = m.info.Subsystem
	}
	if strings.HasPrefix(m.name, "HAProxy") && m.name != "HAProxyApply" {
		sub = "haproxy"
	}
	if sub == "" {
		return
	}
	sim.markDirty(sub)
	if sub == "interfaces" && id != nil {
		s := strval(id)
		for _, p := range sim.st.PendingInterfaces {
			if p == s {
				return
			}
		}
		sim.st.PendingInterfaces = append(sim.st.PendingInterfaces, s)
	}
}

// applyModel is a model's apply(): it runs the dispatcher of its subsystem.
func (sim *Simulator) applyModel(m *model) {
	switch m.name {
	case "DHCPRelay":
		// Models/DHCPRelay.inc apply: services_dhcrelay_configure() (pfSense services.inc)
		// starts dhcrelay when the relay is enabled with interfaces and servers, else stops it.
		r := sim.st.Singles["DHCPRelay"]
		sim.setService("dhcrelay", truthy(r["enable"]) && listLen(r["interface"]) > 0 && listLen(r["server"]) > 0)
		return
	case "ACMESettings":
		sim.installCronJob(acmeRenewCron, truthy(sim.st.Singles["ACMESettings"]["enable"]), "16", "3")
		return
	case "DHCPServerBackend":
		// Models/DHCPServerBackend.inc apply: the DHCP server's dispatcher, which restarts
		// whichever backend the configuration names (dhcp_apply_changes).
		sim.runApply("DHCPServerApply")
		return
	}
	sub := ""
	if m.info != nil {
		sub = m.info.Subsystem
	}
	if strings.HasPrefix(m.name, "HAProxy") {
		sub = "haproxy"
	}
	if a := modelApply[sub]; a != "" {
		sim.runApply(a)
		return
	}
	sim.clearDirty(sub)
}

// runApply is an apply dispatcher: it clears what the apply model covers and starts or stops
// the services whose configuration says they are enabled or not.
func (sim *Simulator) runApply(applyModel string) {
	covers := applyCovers[applyModel]
	sim.clearDirty(covers...)
	if applyModel == "InterfaceApply" {
		sim.st.PendingInterfaces = nil
		sim.refreshInterfaceStatus()
	}
	switch applyModel {
	case "FirewallApply":
		sim.syncAliasTables()
	case "RoutingApply":
		sim.refreshGatewayStatus()
	case "WireGuardApply":
		// Dispatchers/WireGuardApplyDispatcher.inc: wg_toggle_wireguard() follows WireGuardSettings.enable.
		sim.setService("wireguard", truthy(sim.st.Singles["WireGuardSettings"]["enable"]))
	case "DHCPServerApply":
		on := false
		for _, s := range sim.st.Lists["DHCPServer"] {
			on = on || truthy(s["enable"])
		}
		// dhcp_apply_changes (pfSense services.inc) runs the backend dhcp_is_backend() names
		// and stops the other.
		isc := sim.dhcpBackend() == "isc"
		sim.setService("dhcpd", on && isc)
		sim.setService("kea-dhcp4", on && !isc)
	case "DNSResolverApply":
		sim.setService("unbound", truthy(sim.st.Singles["DNSResolverSettings"]["enable"]))
	case "DNSForwarderApply":
		sim.setService("dnsmasq", truthy(sim.st.Singles["DNSForwarderSettings"]["enable"]))
	case "HAProxyApply":
		sim.setService("haproxy", truthy(sim.st.Singles["HAProxySettings"]["enable"]))
	case "VirtualIPApply":
		// pfSense's applyVIP (src/usr/local/pfSense/include/www/firewall_virtual_ip.inc) ends
		// with enable_carp() (pfsense-utils.inc), which sets net.inet.carp.allow, what
		// Models/CARP.inc reads as `enable`, once a CARP virtual IP exists.
		for _, v := range sim.st.Lists["VirtualIP"] {
			if v["mode"] == "carp" && sim.st.Singles["CARP"] != nil {
				sim.st.Singles["CARP"]["enable"] = true
			}
		}
	case "IPsecApply":
		on := false
		for _, p := range sim.st.Lists["IPsecPhase1"] {
			on = on || !truthy(p["disabled"])
		}
		sim.setService("ipsec", on)
	}
}

func truthy(v any) bool { return toBool(v) }

// setService sets a service's running state after an apply.
func (sim *Simulator) setService(name string, on bool) { sim.setProcess(name, on) }

// setProcess records whether a service's process runs (the list of GET /status/services is
// computed from the configuration and this: services.go).
func (sim *Simulator) setProcess(name string, on bool) {
	for _, s := range sim.st.Lists["Service"] {
		if s["name"] == name {
			s["status"] = on
			return
		}
	}
	sim.st.Lists["Service"] = append(sim.st.Lists["Service"], map[string]any{"name": name, "status": on})
}

// applyEndpoint answers GET .../apply (applied, and what is pending) and POST .../apply
// (apply now). The firewall's lists its dirty subsystems, the interfaces' its interfaces.
func (sim *Simulator) applyEndpoint(req *request) ([]byte, *apiError) {
	name := req.m.name
	covers, known := applyCovers[name]
	if !known {
		// A spec without the native schema: the directory's subsystem (model.go).
		covers = []string{req.op.subsystem}
	}
	if req.op.Method == "POST" {
		if req.m.native() {
			if e := sim.checkPackages(req.m); e != nil {
				return nil, e
			}
		}
		if !req.ctl.dryRun {
			sim.runApply(name)
			sim.clearDirty(covers...)
		}
	}
	var pending []any
	for _, sub := range covers {
		if sim.isDirty(sub) {
			pending = append(pending, sub)
		}
	}
	obj := map[string]any{}
	for _, p := range req.m.schema.Props {
		switch {
		case p.Name == "applied":
			obj[p.Name] = len(pending) == 0
		case p.Name == "pending_interfaces":
			items := []any{}
			if len(pending) > 0 {
				for _, s := range sim.st.PendingInterfaces {
					items = append(items, s)
				}
			}
			obj[p.Name] = items
		case p.Type == "array":
			if pending == nil {
				pending = []any{}
			}
			obj[p.Name] = pending
		}
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// refreshInterfaceStatus makes the interface status (Models/InterfaceStats.inc, pfSense's
// get_interface_info()) follow the applied configuration: an assigned interface appears with
// its device, description and static address, a removed one goes; counters start at zero.
func (sim *Simulator) refreshInterfaceStatus() {
	m := sim.models["NetworkInterface"]
	if m == nil {
		return
	}
	old := map[string]map[string]any{}
	for _, st := range sim.st.Lists["InterfaceStats"] {
		old[strval(st["name"])] = st
	}
	var out []map[string]any
	for _, rw := range sim.rows(m) {
		name := strval(rw.id)
		st := old[name]
		if st == nil || strval(st["hwif"]) != strval(rw.obj["if"]) {
			// A new interface, or one moved to another device: counters start at zero.
			st = map[string]any{"name": name, "macaddr": "", "linklocal": "",
				"inerrs": int64(0), "outerrs": int64(0), "collisions": int64(0), "inbytes": int64(0), "inbytespass": int64(0), "outbytes": int64(0),
				"outbytespass": int64(0), "inpkts": int64(0), "inpktspass": int64(0), "outpkts": int64(0), "outpktspass": int64(0), "dhcplink": "",
				"media": "", "gateway": "", "gatewayv6": "", "ipaddr": "", "subnet": "", "ipaddrv6": "", "subnetv6": ""}
		} else {
			c := make(map[string]any, len(st))
			for k, v := range st {
				c[k] = v
			}
			st = c
		}
		// What get_interface_info() reads back from the device once the configuration is
		// applied (interface_configure): description, device, state, MTU, spoofed MAC, static
		// addresses. DHCP-assigned addresses stay as the status had them.
		st["descr"], st["hwif"], st["enable"] = rw.obj["descr"], rw.obj["if"], truthy(rw.obj["enable"])
		st["status"] = "up"
		if !truthy(rw.obj["enable"]) {
			st["status"] = "down"
		}
		st["mtu"] = "1500"
		if mtu := strval(rw.obj["mtu"]); mtu != "" && mtu != "0" {
			st["mtu"] = mtu
		}
		if strval(st["macaddr"]) == "" {
			// A NIC's own address; a VLAN's is its parent's (FreeBSD vlan(4) takes the
			// parent's MAC), as get_interface_info() reads it from ifconfig.
			parent, _, _ := strings.Cut(strval(rw.obj["if"]), ".")
			for _, nic := range sim.st.Lists["AvailableInterface"] {
				if nic["if"] == parent && strval(nic["mac"]) != "" {
					st["macaddr"], st["media"] = nic["mac"], "1000baseT <full-duplex>"
				}
			}
		}
		if mac := strval(rw.obj["spoofmac"]); mac != "" {
			st["macaddr"] = mac
		}
		switch rw.obj["typev4"] {
		case "static":
			st["ipaddr"], st["subnet"] = strval(rw.obj["ipaddr"]), strval(rw.obj["subnet"])
		case "none":
			st["ipaddr"], st["subnet"] = "", ""
		}
		switch rw.obj["typev6"] {
		case "staticv6":
			st["ipaddrv6"], st["subnetv6"] = strval(rw.obj["ipaddrv6"]), strval(rw.obj["subnetv6"])
		case "none":
			st["ipaddrv6"], st["subnetv6"] = "", ""
		}
		out = append(out, st)
	}
	sim.st.Lists["InterfaceStats"] = out
}

// listLen is the number of elements of a list value (0 for anything else).
func listLen(v any) int {
	l, _ := v.([]any)
	return len(l)
}

// dhcpBackend is the DHCP server backend of the configuration (Models/DHCPServerBackend.inc:
// dhcpbackend at the config root, isc by default).
func (sim *Simulator) dhcpBackend() string {
	if b := strval(sim.st.Singles["DHCPServerBackend"]["dhcpbackend"]); b != "" {
		return b
	}
	return "isc"
}

// syncAliasTables is what a filter reload leaves in pf's tables (Models/Table.inc reads them
// with pfctl -sT / -T show): pfSense's filter_generate_aliases() (src/etc/inc/filter.inc) makes
// a table of every host and network alias, with nested aliases expanded and FQDNs resolved
// (filterdns keeps them resolved); the system's own tables (bogons, sshguard, virusprot, ...)
// stay, and tables of deleted aliases go.
func (sim *Simulator) syncAliasTables() {
	aliases := map[string]map[string]any{}
	for _, a := range sim.st.Lists["FirewallAlias"] {
		aliases[strval(a["name"])] = a
	}
	var expand func(name string, depth int) []any
	expand = func(name string, depth int) []any {
		var out []any
		for _, addr := range listOf(aliases[name]["address"]) {
			a := strval(addr)
			switch {
			case aliases[a] != nil && depth < 8:
				out = append(out, expand(a, depth+1)...)
			case isIPOrCIDR(a):
				out = append(out, a)
			default:
				for _, ip := range sim.resolveAll(a) {
					out = append(out, ip)
				}
			}
		}
		return out
	}
	var tables []map[string]any
	for _, t := range sim.st.Lists["Table"] {
		if systemTables[strval(t["id"])] {
			tables = append(tables, t)
		}
	}
	for _, a := range sim.st.Lists["FirewallAlias"] {
		if typ := strval(a["type"]); typ == "host" || typ == "network" {
			entries := expand(strval(a["name"]), 0)
			if entries == nil {
				entries = []any{}
			}
			tables = append(tables, map[string]any{"id": a["name"], "entries": entries})
		}
	}
	sim.st.Lists["Table"] = tables
}

// systemTables are the pf tables pfSense's ruleset makes of its own, whatever the aliases
// (filter.inc: bogons and bogonsv6, sshguard's and the virus protection's block lists,
// snort2c, vpn_networks and negate_networks).
var systemTables = map[string]bool{"bogons": true, "bogonsv6": true, "sshguard": true, "virusprot": true, "snort2c": true, "vpn_networks": true, "negate_networks": true}

func isIPOrCIDR(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}
