package simulator

import (
	"fmt"
	"net/netip"
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
	if !strings.Contains(name, ".") || strings.HasSuffix(name, ".invalid") {
		return "", false
	}
	sum := 0
	for _, c := range name {
		sum += int(c)
	}
	return fmt.Sprintf("203.0.113.%d", 10+sum%200), true
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
	var b strings.Builder
	code := int64(0)
	switch {
	case !resolved:
		fmt.Fprintf(&b, "ping: cannot resolve %s: Unknown host\n", host)
		code = 68
	default:
		fmt.Fprintf(&b, "PING %s (%s): 56 data bytes\n", host, addr)
		received := int64(0)
		if answers {
			received = count
			for i := int64(0); i < count; i++ {
				fmt.Fprintf(&b, "64 bytes from %s: icmp_seq=%d ttl=64 time=%.3f ms\n", addr, i, rtt+float64(i%3)*0.041)
			}
		} else {
			code = 2
		}
		loss := 100 * float64(count-received) / float64(count)
		fmt.Fprintf(&b, "\n--- %s ping statistics ---\n%d packets transmitted, %d packets received, %.1f%% packet loss\n", host, count, received, loss)
		if answers {
			fmt.Fprintf(&b, "round-trip min/avg/max/stddev = %.3f/%.3f/%.3f/%.3f ms\n", rtt, rtt+0.041, rtt+0.082, 0.034)
		}
	}
	obj["output"], obj["result_code"] = b.String(), code
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
		mac, host := sim.macOf(addr)
		if mac == "" {
			return
		}
		descr := strval(rw.obj["descr"])
		if descr == "" {
			descr = strings.ToUpper(strval(rw.id))
		}
		sim.st.Lists["ARPTable"] = append(sim.st.Lists["ARPTable"], map[string]any{"hostname": host, "ip_address": addr, "mac_address": mac,
			"interface": descr, "type": "ethernet", "permanent": false, "dnsresolve": host, "expires": "1200"})
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
