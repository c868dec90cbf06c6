package simulator

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// The simulated network behind the firewall, for diagnostics: who answers a ping.
// Models/Ping.inc _create runs `ping -c <count> [-S <source>] <host>` and returns its output
// and exit code; the simulator answers as FreeBSD's ping would on the seeded network: the
// firewall's own addresses, hosts it knows on its subnets (ARP table, DHCP leases and static
// mappings, DNS host overrides) and gateways that are up answer; a down gateway, an unknown
// host on a local subnet and an address nobody routes to do not (exit code 2); a name that
// does not resolve is exit code 68.

// pingTarget resolves the host and tells whether it answers and from how far (ms).
func (sim *Simulator) pingTarget(host string) (addr string, answers bool, rtt float64, resolved bool) {
	addr = host
	if _, err := netip.ParseAddr(host); err != nil {
		ip, ok := sim.resolveName(host)
		if !ok {
			return host, false, 0, false
		}
		addr = ip
	}
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr, false, 0, false
	}
	for _, gw := range sim.st.Lists["RoutingGatewayStatus"] {
		if gw["monitorip"] == addr || gw["srcip"] == addr && gw["status"] != "online" {
			return addr, gw["status"] == "online", 0.4, true
		}
	}
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		if rw.obj["ipaddr"] == addr {
			return addr, true, 0.05, true
		}
	}
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		base, err := netip.ParseAddr(strval(rw.obj["ipaddr"]))
		if err != nil {
			continue
		}
		if p, err := base.Prefix(int(toInt(rw.obj["subnet"]))); err == nil && p.Contains(a) {
			return addr, sim.knownHost(addr), 0.3, true
		}
	}
	// Anything else goes out the default gateway: it answers when that gateway is up.
	if a.IsPrivate() || a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() {
		return addr, false, 0, true
	}
	return addr, sim.defaultGatewayUp(), 11.8, true
}

// knownHost: an address the firewall has seen on a local subnet.
func (sim *Simulator) knownHost(addr string) bool {
	for _, e := range sim.st.Lists["ARPTable"] {
		if e["ip_address"] == addr {
			return true
		}
	}
	for _, l := range sim.st.Lists["DHCPServerLease"] {
		if l["ip"] == addr && l["online_status"] != "offline" {
			return true
		}
	}
	for _, s := range sim.st.Lists["DHCPServer"] {
		for _, m := range listOf(s["staticmap"]) {
			if asMap(m)["ipaddr"] == addr {
				return true
			}
		}
	}
	return false
}

// publicNames are the simulated internet's names with real addresses (the rest of the public
// names resolve to documentation addresses): Google's and Cloudflare's DNS, which the
// package's own tests resolve (Tests/APIModelsFirewallAliasTestCase.inc uses dns.google).
var publicNames = map[string][]string{
	"dns.google":      {"8.8.8.8", "8.8.4.4"},
	"one.one.one.one": {"1.1.1.1", "1.0.0.1"},
}

// resolveAll is every address a name resolves to (filterdns fills an alias's table with them).
func (sim *Simulator) resolveAll(name string) []string {
	if ips, ok := publicNames[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
		return ips
	}
	if ip, ok := sim.resolveName(name); ok {
		return []string{ip}
	}
	return nil
}

// resolveName resolves a name through the DNS resolver's host overrides, then as a public
// name (documentation addresses) when it has a dot.
func (sim *Simulator) resolveName(name string) (string, bool) {
	for _, o := range sim.st.Lists["DNSResolverHostOverride"] {
		fqdn := strval(o["host"]) + "." + strval(o["domain"])
		if name == fqdn || name == strval(o["host"]) {
			if ips := listOf(o["ip"]); len(ips) > 0 {
				return strval(ips[0]), true
			}
		}
	}
	if ips, ok := publicNames[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
		return ips[0], true
	}
	if ip, local := sim.resolveLocal(strings.ToLower(strings.TrimSuffix(name, "."))); local {
		return ip, ip != ""
	}
	if !strings.Contains(name, ".") || strings.HasSuffix(name, ".invalid") {
		return "", false
	}
	sum := 0
	for _, c := range name {
		sum += int(c)
	}
	return fmt.Sprintf("203.0.113.%d", 10+sum%200), true
}

// resolveLocal answers a name in the firewall's own domain as unbound does on pfSense: the
// firewall itself (its LAN address), DHCP static mappings when the resolver registers them
// (regdhcpstatic) and leases when it registers those (regdhcp); any other name there does not
// exist. local is false for names outside the domain. (Host overrides are read before.)
func (sim *Simulator) resolveLocal(name string) (ip string, local bool) {
	host := sim.st.Singles["SystemHostname"]
	domain := strings.ToLower(strval(host["domain"]))
	short, ok := strings.CutSuffix(name, "."+domain)
	if domain == "" || !ok || strings.Contains(short, ".") {
		return "", false
	}
	if short == strings.ToLower(strval(host["hostname"])) {
		if lan, ok := sim.interfaceIPv4("lan"); ok {
			return lan.Addr().String(), true
		}
	}
	res := sim.st.Singles["DNSResolverSettings"]
	if truthy(res["regdhcpstatic"]) {
		for _, srv := range sim.st.Lists["DHCPServer"] {
			for _, m := range listOf(srv["staticmap"]) {
				if sm := asMap(m); strings.EqualFold(strval(sm["hostname"]), short) && strval(sm["ipaddr"]) != "" {
					return strval(sm["ipaddr"]), true
				}
			}
		}
	}
	if truthy(res["regdhcp"]) {
		for _, l := range sim.st.Lists["DHCPServerLease"] {
			if strings.EqualFold(strval(l["hostname"]), short) {
				return strval(l["ip"]), true
			}
		}
	}
	return "", true
}

func (sim *Simulator) defaultGatewayUp() bool {
	gw := strval(sim.st.Singles["DefaultGateway"]["defaultgw4"])
	for _, s := range sim.st.Lists["RoutingGatewayStatus"] {
		if gw == "" || s["name"] == gw {
			return s["status"] == "online"
		}
	}
	return false
}

// ping answers POST /diagnostics/ping (Models/Ping.inc _create).
func (sim *Simulator) ping(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	host := strval(obj["host"])
	count := toInt(obj["count"])
	if count <= 0 {
		count = 3
	}
	addr, answers, rtt, resolved := sim.pingTarget(host)
	// The output is Core/Command.inc's: exec() lines joined with PHP_EOL (stderr included via
	// 2>&1), so no final newline; FreeBSD ping's summary is computed from the replies shown.
	var lines []string
	code := int64(0)
	switch {
	case !resolved:
		lines = append(lines, fmt.Sprintf("ping: cannot resolve %s: Unknown host", host))
		code = 68
	default:
		lines = append(lines, fmt.Sprintf("PING %s (%s): 56 data bytes", host, addr))
		var times []float64
		// On the local networks the answer comes with the sender's initial TTL (64, as FreeBSD,
		// Linux and the firewall itself send); a host beyond the default gateway is hops away
		// with another initial TTL (128 less 11 hops, as public resolvers answer from afar).
		ttl := 64
		if rtt >= 10 {
			ttl = 117
		}
		if answers {
			for i := int64(0); i < count; i++ {
				tm := rtt + float64(i%3)*0.041
				times = append(times, tm)
				lines = append(lines, fmt.Sprintf("64 bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms", addr, i, ttl, tm))
			}
		} else {
			code = 2
		}
		received := int64(len(times))
		loss := 100 * float64(count-received) / float64(count)
		lines = append(lines, "", fmt.Sprintf("--- %s ping statistics ---", host),
			fmt.Sprintf("%d packets transmitted, %d packets received, %.1f%% packet loss", count, received, loss))
		if len(times) > 0 {
			lo, hi, sum, sq := times[0], times[0], 0.0, 0.0
			for _, x := range times {
				lo, hi, sum, sq = min(lo, x), max(hi, x), sum+x, sq+x*x
			}
			avg := sum / float64(len(times))
			// sbin/ping/ping.c: stddev = sqrt(sumsq/n - avg*avg).
			sd := math.Sqrt(math.Max(0, sq/float64(len(times))-avg*avg))
			lines = append(lines, fmt.Sprintf("round-trip min/avg/max/stddev = %.3f/%.3f/%.3f/%.3f ms", lo, avg, hi, sd))
		}
	}
	b := strings.Join(lines, "\n")
	obj["output"], obj["result_code"] = b, code
	if answers {
		sim.learnARP(addr)
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// learnARP adds the ARP entry a host on a local subnet leaves when it answers (the kernel
// resolves it before the first echo): its MAC from the DHCP lease or static mapping, the
// interface by description as the ARP table shows it (diag_arp.inc prepare_ARP_table).
func (sim *Simulator) learnARP(addr string) {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return
	}
	for _, e := range sim.st.Lists["ARPTable"] {
		if e["ip_address"] == addr {
			return
		}
	}
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		base, err := netip.ParseAddr(strval(rw.obj["ipaddr"]))
		if err != nil || strval(rw.obj["ipaddr"]) == addr {
			continue
		}
		p, err := base.Prefix(int(toInt(rw.obj["subnet"])))
		if err != nil || !p.Contains(a) {
			continue
		}
		mac, _ := sim.macOf(addr)
		if mac == "" {
			return
		}
		sim.st.Lists["ARPTable"] = append(sim.st.Lists["ARPTable"], map[string]any{"hostname": "?", "ip_address": addr, "mac_address": mac,
			"interface": sim.ifDescr(rw), "type": "ethernet", "permanent": false, "dnsresolve": "", "expires": "1200"})
		return
	}
}

// macOf finds the MAC and name of a local address from the DHCP leases and static mappings.
func (sim *Simulator) macOf(addr string) (mac, host string) {
	for _, l := range sim.st.Lists["DHCPServerLease"] {
		if l["ip"] == addr {
			return strval(l["mac"]), strval(l["hostname"])
		}
	}
	for _, s := range sim.st.Lists["DHCPServer"] {
		for _, m := range listOf(s["staticmap"]) {
			if mm := asMap(m); mm["ipaddr"] == addr {
				return strval(mm["mac"]), strval(mm["hostname"])
			}
		}
	}
	return "", ""
}

// arpTable is Models/ARPTable.inc get_arp_table, pfSense's prepare_ARP_table()
// (src/usr/local/pfSense/include/www/diag_arp.inc) over `arp --libxo json -an`
// (system.inc system_get_arp_table): the kernel's entries (the hosts stored, and a permanent
// one for each of the firewall's own interface addresses), `hostname` as arp -n prints it (?),
// `dnsresolve` from the DHCP leases and static mappings (not expired) by MAC, then by address,
// else the resolver's reverse name (`host -W 1`: host overrides, the firewall's own name on its
// addresses), `expires` as "Expires in N seconds" or "Permanent", interfaces by description,
// sorted by dnsresolve with msort(), which puts entries without a name first.
func (sim *Simulator) arpTable() []map[string]any {
	stored := sim.st.Lists["ARPTable"]
	names := map[string]string{}
	byIP := map[string]string{}
	for _, l := range sim.st.Lists["DHCPServerLease"] {
		if l["act"] == "expired" {
			continue
		}
		names[strval(l["mac"])], byIP[strval(l["ip"])] = strval(l["hostname"]), strval(l["hostname"])
	}
	for _, s := range sim.st.Lists["DHCPServer"] {
		for _, m := range listOf(s["staticmap"]) {
			sm := asMap(m)
			if sm["mac"] != nil && strval(sm["mac"]) != "" {
				names[strval(sm["mac"])], byIP[strval(sm["ipaddr"])] = strval(sm["hostname"]), strval(sm["hostname"])
			}
		}
	}
	host := sim.st.Singles["SystemHostname"]
	self := strval(host["hostname"]) + "." + strval(host["domain"])
	reverse := func(ip string) string {
		for _, o := range sim.st.Lists["DNSResolverHostOverride"] {
			for _, a := range listOf(o["ip"]) {
				if strval(a) == ip {
					return strval(o["host"]) + "." + strval(o["domain"])
				}
			}
		}
		return ""
	}
	var out []map[string]any
	own := map[string]bool{}
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		ip := strval(rw.obj["ipaddr"])
		if _, err := netip.ParseAddr(ip); err != nil || rw.obj["enable"] == false {
			continue
		}
		own[ip] = true
		mac := ""
		for _, st := range sim.st.Lists["InterfaceStats"] {
			if st["name"] == rw.id {
				mac = strval(st["macaddr"])
			}
		}
		out = append(out, map[string]any{"hostname": "?", "ip_address": ip, "mac_address": mac, "interface": sim.ifDescr(rw),
			"type": "ethernet", "permanent": true, "dnsresolve": self, "expires": "Permanent"})
	}
	for _, e := range stored {
		ip, mac := strval(e["ip_address"]), strval(e["mac_address"])
		if own[ip] || e["permanent"] == true {
			continue
		}
		dns := names[mac]
		if dns == "" {
			dns = byIP[ip]
		}
		if dns == "" {
			dns = reverse(ip)
		}
		exp := strval(e["expires"])
		if n, err := strconv.Atoi(exp); err == nil {
			exp = fmt.Sprintf("Expires in %d seconds", n)
		}
		out = append(out, map[string]any{"hostname": "?", "ip_address": ip, "mac_address": mac, "interface": e["interface"],
			"type": "ethernet", "permanent": false, "dnsresolve": dns, "expires": exp})
	}
	// util.inc msort(): entries without a name first (in their order), then by name, case-insensitively.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := strval(out[i]["dnsresolve"]), strval(out[j]["dnsresolve"])
		if (a == "") != (b == "") {
			return a == ""
		}
		return strings.ToLower(a) < strings.ToLower(b)
	})
	return out
}

// ifDescr names an interface as the ARP table shows it: its description, or its id in capitals.
func (sim *Simulator) ifDescr(rw row) string {
	if d := strval(rw.obj["descr"]); d != "" {
		return d
	}
	return strings.ToUpper(strval(rw.id))
}

func init() {
	// Models/WakeOnLANSend.inc validate_interface: the packet goes to the interface's IPv4
	// broadcast address (NetworkInterface::get_broadcast_ipv4), so the interface needs one.
	fieldHooks["WakeOnLANSend"] = map[string]fieldHook{
		"interface": func(vc *vctx, v any) (any, *apiError) {
			if _, ok := vc.sim.interfaceIPv4(strval(v)); !ok {
				return nil, errf(400, "WAKE_ON_LAN_SEND_INTERFACE_MUST_HAVE_BROADCAST_ADDRESS", "Field `interface` must have a valid IPv4 broadcast address.")
			}
			return v, nil
		},
	}
}
