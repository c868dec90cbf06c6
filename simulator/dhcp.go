package simulator

import (
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/pfutil"
)

// DHCP servers and their address pools: the hand-written checks of Models/DHCPServer.inc,
// Models/DHCPServerAddressPool.inc and Models/DHCPServerCustomOption.inc (pfSense-pkg-RESTAPI
// v2.7.1; v2.10.0 has the same logic). The interface helpers are those of
// Models/NetworkInterface.inc (get_network_ipv4, get_broadcast_ipv4, is_ipv4_in_cidr), which
// call pfSense's get_interface_ip, gen_subnetv4, gen_subnetv4_max and ip_in_subnet.

// dhcpIface is what the checks read of the DHCP server's interface.
type dhcpIface struct {
	static             bool         // typev4 is static
	prefix             netip.Prefix // address and subnet bits (invalid when it has no IPv4)
	network, broadcast string       // "" when it has no IPv4 (gen_subnetv4 answers "")
}

// dhcpInterface is NetworkInterface::query(['id' => $id])->first(): the 500 of ModelSet::first
// when no interface has the id.
func (sim *Simulator) dhcpInterface(id string) (dhcpIface, *apiError) {
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		if strval(rw.id) != id {
			continue
		}
		f := dhcpIface{static: rw.obj["typev4"] == "static"}
		if p, ok := sim.interfaceIPv4(id); ok && p.Addr().Is4() {
			f.prefix = p
			f.network = p.Masked().Addr().String()
			f.broadcast = broadcastV4(p).String()
		}
		return f, nil
	}
	return dhcpIface{}, errf(500, "MODELSET_FIRST_REQUESTED_WITH_NO_MODEL_OBJECTS", "Cannot locate first Model object in a ModelSet with no Model objects")
}

// broadcastV4 is gen_subnetv4_max: the last address of the subnet (the address itself for /32).
func broadcastV4(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n |= ^uint32(0) >> uint(p.Bits())
	if p.Bits() == 32 {
		return p.Addr()
	}
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// inCIDR is NetworkInterface::is_ipv4_in_cidr (ip_in_subnet: network and broadcast included).
func (f dhcpIface) inCIDR(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return f.prefix.IsValid() && err == nil && a.Is4() && f.prefix.Masked().Contains(a)
}

// ip2ulong is pfSense's ip2ulong: an invalid address is 0.
func ip2ulong(ip string) uint32 {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return 0
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// storedDHCPServer is the server's stored object (the queries of the checks read the config,
// not the request).
func (sim *Simulator) storedDHCPServer(id any) map[string]any {
	if m := sim.models["DHCPServer"]; m != nil {
		if rw, ok := sim.findByID(m, nil, id); ok {
			return rw.obj
		}
	}
	return nil
}

// dhcpServerEnable is DHCPServer::validate_enable: the interface needs a static IPv4 address,
// and no DHCP server can be saved while the DHCP relay is enabled (the check does not look at
// the value: it runs for every save, enabled or not).
func dhcpServerEnable(vc *vctx, v any) (any, *apiError) {
	f, e := vc.sim.dhcpInterface(strval(vc.id))
	if e != nil {
		return nil, e
	}
	if toBool(v) && !f.static {
		return nil, errf(400, "DHCP_SERVER_CANNOT_ENABLE_WITHOUT_STATIC_IPV4", "DHCP server cannot be enabled because interface `%s` does not have a static IPv4 address assigned.", strval(vc.id))
	}
	if toBool(vc.sim.st.Singles["DHCPRelay"]["enable"]) {
		return nil, errf(400, "DHCP_SERVER_CANNOT_BE_ENABLED_WITH_DHCP_RELAY", "DHCP server cannot be enabled while the DHCP Relay is enabled.")
	}
	return v, nil
}

// dhcpRangeFrom is validate_range_from of DHCPServer (prefix DHCP_SERVER) and
// DHCPServerAddressPool (DHCP_SERVER_ADDRESS_POOL): not the network address, not above
// range_to (an empty range_to is 0.0.0.0), inside the subnet. iface gives the interface id.
func dhcpRangeFrom(prefix string, pool bool) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		f, e := vc.sim.dhcpInterface(dhcpIfaceID(vc, pool))
		if e != nil {
			return nil, e
		}
		s := strval(v)
		if f.network == s {
			return nil, errf(400, prefix+"_RANGE_FROM_CANNOT_BE_NETWORK_ADDRESS", "DHCP server `range_from` cannot be the interface subnet's network address.")
		}
		if ip2ulong(s) > ip2ulong(strval(vc.obj["range_to"])) {
			return nil, errf(400, prefix+"_RANGE_FROM_CANNOT_BE_GREATER_THAN_RANGE_TO", "DHCP server `range_from` cannot be greater than `range_to`.")
		}
		if !dhcpInside(f, s, pool) {
			return nil, errf(400, prefix+"_RANGE_FROM_OUTSIDE_OF_SUBNET", "DHCP server `range_from` must lie within the interface's subnet.")
		}
		return v, nil
	}
}

// dhcpRangeTo is validate_range_to: not the broadcast address (the server's response id says
// RANGE_FROM, as the package's does), inside the subnet.
func dhcpRangeTo(prefix string, pool bool) fieldHook {
	broadcastID := prefix + "_RANGE_TO_CANNOT_BE_BROADCAST_ADDRESS"
	if !pool {
		broadcastID = "DHCP_SERVER_RANGE_FROM_CANNOT_BE_BROADCAST_ADDRESS"
	}
	return func(vc *vctx, v any) (any, *apiError) {
		f, e := vc.sim.dhcpInterface(dhcpIfaceID(vc, pool))
		if e != nil {
			return nil, e
		}
		s := strval(v)
		if f.broadcast == s {
			return nil, errf(400, broadcastID, "DHCP server `range_to` cannot be the interface subnet's broadcast address.")
		}
		if !dhcpInside(f, s, pool) {
			return nil, errf(400, prefix+"_RANGE_TO_OUTSIDE_OF_SUBNET", "DHCP server `range_to` must lie within the interface's subnet.")
		}
		return v, nil
	}
}

func dhcpIfaceID(vc *vctx, pool bool) string {
	if pool {
		return strval(vc.parentID)
	}
	return strval(vc.id)
}

// dhcpInside: the server checks is_ipv4_in_cidr, the pool is_inrange_v4(network, broadcast);
// both include the network and broadcast addresses and fail without an interface address.
func dhcpInside(f dhcpIface, ip string, pool bool) bool {
	if pool {
		return f.network != "" && inRangeV4(ip, f.network, f.broadcast)
	}
	return f.inCIDR(ip)
}

// dhcpMaxLease is validate_maxleasetime: not below the object's own defaultleasetime.
func dhcpMaxLease(prefix string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if d := vc.obj["defaultleasetime"]; d != nil && toFloat(v) < toFloat(d) {
			return nil, errf(400, prefix+"_MAX_LEASE_TIME_LESS_THAN_DEFAULT", "DHCP server `maxleasetime` cannot be less than the `defaultleasetime`")
		}
		return v, nil
	}
}

// dhcpGateway is validate_gateway: a gateway inside the interface's subnet (the keyword
// `none`, which the field's own validator allows, is refused here too).
func dhcpGateway(prefix string, pool bool) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if !toBool(strval(v)) {
			return v, nil
		}
		f, e := vc.sim.dhcpInterface(dhcpIfaceID(vc, pool))
		if e != nil {
			return nil, e
		}
		if !f.inCIDR(strval(v)) {
			return nil, errf(400, prefix+"_GATEWAY_NOT_WITHIN_SUBNET", "DHCP server `gateway` must be within interface's subnet.")
		}
		return v, nil
	}
}

// dhcpStaticARP is DHCPServer::validate_staticarp: static ARP needs every static mapping to
// have an address.
func dhcpStaticARP(vc *vctx, v any) (any, *apiError) {
	if !toBool(v) {
		return v, nil
	}
	for _, sm := range listOf(vc.sim.storedDHCPServer(vc.id)["staticmap"]) {
		if strval(asMap(sm)["ipaddr"]) == "" {
			return nil, errf(400, "DHCP_SERVER_STATICARP_WITH_NO_IP_STATIC_MAPPINGS", "DHCP server `staticarp` cannot be enabled while there are DHCP server static mappings configured without an assigned IP.")
		}
	}
	return v, nil
}

// dhcpNonak is DHCPServer::validate_nonak.
func dhcpNonak(vc *vctx, v any) (any, *apiError) {
	if toBool(v) && toBool(strval(vc.obj["failover_peerip"])) {
		return nil, errf(400, "DHCP_SERVER_NONAK_WITH_FAILOVER_PEERIP_NOT_ALLOWED", "DHCP server `nonak` cannot be enabled while a `failover_peerip` is assigned.")
	}
	return v, nil
}

// dhcpServerOverlap is DHCPServer::validate_extra (get_range_overlap): the primary range may
// not hold a stored static mapping, either end of a stored pool, or any virtual IP's address
// (one direction only: a pool that contains the whole range is not found).
func dhcpServerOverlap(vc *vctx) *apiError {
	from, to := strval(vc.obj["range_from"]), strval(vc.obj["range_to"])
	stored := vc.sim.storedDHCPServer(vc.id)
	hit := func(model string, i int) *apiError {
		return errf(409, "DHCP_SERVER_PRIMARY_POOL_OVERLAPS_EXISTING_OBJECT",
			"This DHCP server's primary address pool overlaps with %s object with ID `%d`. Adjust your `range_from` and `range_to` values.", vc.sim.verboseName(model), i)
	}
	for i, sm := range listOf(stored["staticmap"]) {
		if inRangeV4(strval(asMap(sm)["ipaddr"]), from, to) {
			return hit("DHCPServerStaticMapping", i)
		}
	}
	for i, p := range listOf(stored["pool"]) {
		if pm := asMap(p); inRangeV4(strval(pm["range_from"]), from, to) || inRangeV4(strval(pm["range_to"]), from, to) {
			return hit("DHCPServerAddressPool", i)
		}
	}
	for i, vip := range vc.sim.st.Lists["VirtualIP"] {
		if inRangeV4(strval(vip["subnet"]), from, to) {
			return hit("VirtualIP", i)
		}
	}
	return nil
}

// dhcpPoolOverlap is DHCPServerAddressPool::validate_extra (get_range_overlap): the pool may
// not hold either end of the server's primary range (the message then names the pool
// itself), a static mapping, either end of another pool, or a virtual IP's address.
func dhcpPoolOverlap(vc *vctx) *apiError {
	from, to := strval(vc.obj["range_from"]), strval(vc.obj["range_to"])
	hit := func(model string, id any) *apiError {
		return errf(409, "DHCP_SERVER_ADDRESS_POOL_OVERLAPS_EXISTING_OBJECT",
			"This DHCP server address pool overlaps with %s object with ID `%s`. Adjust your `range_from` and `range_to` values.", vc.sim.verboseName(model), strval(id))
	}
	if vc.parent != nil && (inRangeV4(strval(vc.parent["range_from"]), from, to) || inRangeV4(strval(vc.parent["range_to"]), from, to)) {
		return hit("DHCPServerAddressPool", vc.id)
	}
	stored := vc.sim.storedDHCPServer(vc.parentID)
	for i, sm := range listOf(stored["staticmap"]) {
		if inRangeV4(strval(asMap(sm)["ipaddr"]), from, to) {
			return hit("DHCPServerStaticMapping", int64(i))
		}
	}
	for i, p := range listOf(stored["pool"]) {
		if vc.nestedIn == "" && idKeyEqual(int64(i), vc.id) {
			continue
		}
		if pm := asMap(p); inRangeV4(strval(pm["range_from"]), from, to) || inRangeV4(strval(pm["range_to"]), from, to) {
			return hit("DHCPServerAddressPool", int64(i))
		}
	}
	for i, vip := range vc.sim.st.Lists["VirtualIP"] {
		if inRangeV4(strval(vip["subnet"]), from, to) {
			return hit("VirtualIP", int64(i))
		}
	}
	return nil
}

// dhcpOptionString is the `string` type's form: quoted text or colon-separated hex bytes.
var (
	dhcpOptionQuoted = regexp.MustCompile(`^"[^"]*"$`)
	dhcpOptionHex    = regexp.MustCompile(`(?i)^[0-9a-f]{2}(?::[0-9a-f]{2})*$`)
)

// dhcpOptionRanges are the integer types' bounds in DHCPServerCustomOption::validate_value.
var dhcpOptionRanges = map[string][2]float64{
	"unsigned integer 8": {0, 255}, "unsigned integer 16": {0, 65535}, "unsigned integer 32": {0, 4294967295},
	"signed integer 8": {-128, 127}, "signed integer 16": {-32768, 32767}, "signed integer 32": {-2147483648, 2147483647},
}

// dhcpOptionValue is DHCPServerCustomOption::validate_value: the value has the form its type
// needs.
func dhcpOptionValue(vc *vctx, v any) (any, *apiError) {
	s, typ := strval(v), strval(vc.obj["type"])
	const pre = "DHCP_SERVER_CUSTOM_OPTION_VALUE_"
	switch typ {
	case "text":
		if strings.Contains(s, `"`) {
			return nil, errf(400, pre+"MUST_NOT_CONTAIN_QUOTES_WITH_TEXT_TYPE", "Field `value` must not contain quotes when the type is set to 'text'.")
		}
	case "string":
		if !dhcpOptionQuoted.MatchString(s) && !dhcpOptionHex.MatchString(s) {
			return nil, errf(400, pre+"MUST_BE_STRING_OR_HEX_STRING_WITH_STRING_TYPE", "Field `value` must be a string enclosed in quotes or a hex string when the type is set to 'string'.")
		}
	case "boolean":
		if !slices.Contains([]string{"true", "false", "on", "off"}, s) {
			return nil, errf(400, pre+"MUST_BE_ONE_OF_BOOLEAN_OPTIONS_WITH_BOOLEAN_TYPE", "Field `value` must be one of the following: [true, false, on, off] when the type is set to 'boolean'.")
		}
	case "ip-address":
		if a, err := netip.ParseAddr(s); (err != nil || !a.Is4()) && !pfutil.IsFQDN(s) {
			return nil, errf(400, pre+"MUST_BE_VALID_IPV4_WITH_IP_ADDRESS_TYPE", "Field `value` must be a valid IPv4 address or hostname when the type is set to 'ip-address'.")
		}
	default:
		r, ok := dhcpOptionRanges[typ]
		if !ok {
			break
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(s), 64) // is_numeric
		if err != nil || n < r[0] || n > r[1] {
			return nil, errf(400, pre+"MUST_BE_IN_RANGE_WITH_"+strings.ToUpper(strings.ReplaceAll(typ, " ", "_"))+"_TYPE",
				"Field `value` must be a number between %s and %s when the type is set to '%s'.",
				strconv.FormatFloat(r[0], 'f', -1, 64), strconv.FormatFloat(r[1], 'f', -1, 64), typ)
		}
	}
	return v, nil
}

// dhcpRelayEnable is DHCPRelay::validate_enable: the relay and an enabled DHCP server exclude
// each other.
func dhcpRelayEnable(vc *vctx, v any) (any, *apiError) {
	if !toBool(v) {
		return v, nil
	}
	for _, s := range vc.sim.st.Lists["DHCPServer"] {
		if toBool(s["enable"]) {
			return nil, errf(409, "DHCP_RELAY_CANNOT_BE_ENABLED_WHILE_DHCP_SERVER_IS_ENABLED", "DHCP Relay cannot be enabled while DHCP Server is enabled on any interface.")
		}
	}
	return v, nil
}

// dhcpLeases is Models/DHCPServerLease.inc get_dhcp_leases, pfSense's system_get_dhcpleases()
// (src/etc/inc/system.inc, RELENG_2_7_2) with the ISC backend: the leases of dhcpd.leases
// (stored), online while the ARP table has their address, then every static mapping with a MAC
// or client id of each interface's DHCP server as a `static` lease, online while the ARP table
// has its MAC; with static mappings present, array_remove_duplicate(..., 'ip') (util.inc) keeps
// the last entry of each address and returns the list reversed. The Kea backend
// (system_get_kea4leases) is not simulated beyond the stored leases.
func (sim *Simulator) dhcpLeases() []map[string]any {
	ips, macs := map[string]bool{}, map[string]bool{}
	for _, e := range sim.arpTable() {
		ips[strval(e["ip_address"])], macs[strings.ToLower(strval(e["mac_address"]))] = true, true
	}
	online := func(on bool) string {
		if on {
			return "active/online"
		}
		return "idle/offline"
	}
	var out []map[string]any
	for _, l := range sim.st.Lists["DHCPServerLease"] {
		c := make(map[string]any, len(l)+1)
		for k, v := range l {
			c[k] = v
		}
		switch strval(l["active_status"]) {
		case "expired", "reserved":
			c["online_status"] = "idle/offline"
		default:
			c["online_status"] = online(ips[strval(l["ip"])])
		}
		out = append(out, c)
	}
	if sim.dhcpBackend() != "isc" {
		return out
	}
	static := false
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		s := sim.storedDHCPServer(rw.id)
		for _, m := range listOf(s["staticmap"]) {
			sm := asMap(m)
			if strval(sm["mac"]) == "" && strval(sm["cid"]) == "" {
				continue
			}
			out = append(out, map[string]any{"ip": sm["ipaddr"], "mac": sm["mac"], "if": strval(rw.id), "starts": "", "ends": "",
				"hostname": sm["hostname"], "descr": sm["descr"], "active_status": "static", "online_status": online(macs[strings.ToLower(strval(sm["mac"]))])})
			static = true
		}
	}
	if !static {
		return out
	}
	seen := map[string]bool{}
	var dedup []map[string]any
	for i := len(out) - 1; i >= 0; i-- {
		if ip := strval(out[i]["ip"]); !seen[ip] {
			seen[ip] = true
			dedup = append(dedup, out[i])
		}
	}
	return dedup
}

// deleteLease is Models/DHCPServerLease.inc _delete. With ISC it kills dhcpd and calls
// isc_remove_lease, whose result (the leases file without the lease) it never writes, and does
// not start dhcpd again: the lease stays listed and the DHCP server is left stopped (v2.7.1 and
// v2.10.0 alike). With Kea, system_del_kea4lease removes it.
func (sim *Simulator) deleteLease(rw row) {
	if sim.dhcpBackend() == "isc" {
		sim.setProcess("dhcpd", false)
		return
	}
	sim.removeStoredLeases(strval(rw.obj["ip"]))
}

// deleteAllLeases is Models/DHCPServerLease.inc delete_all (DELETE with all=true): with ISC
// dhcpd is stopped, the leases files removed and services_dhcpd_configure() starts it again
// (an empty leases file, in which the static mappings are listed); with Kea every lease goes.
func (sim *Simulator) deleteAllLeases() {
	sim.st.Lists["DHCPServerLease"] = nil
	if sim.dhcpBackend() == "isc" {
		on := false
		for _, s := range sim.st.Lists["DHCPServer"] {
			on = on || truthy(s["enable"])
		}
		sim.setProcess("dhcpd", on)
	}
}

func (sim *Simulator) removeStoredLeases(ip string) {
	var keep []map[string]any
	for _, l := range sim.st.Lists["DHCPServerLease"] {
		if strval(l["ip"]) != ip {
			keep = append(keep, l)
		}
	}
	sim.st.Lists["DHCPServerLease"] = keep
}
