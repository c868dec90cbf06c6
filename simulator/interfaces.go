package simulator

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

// The hand-written checks of interface assignments, VLANs and gateway group
// priorities (pfSense-pkg-RESTAPI v2.7.1 Models/<Model>.inc; the same logic in v2.10.0).
// What they read of the live system comes from the simulated network: an interface's current
// address is interfaceIPv4/IPv6 (static config or its status entry), the devices are
// osInterfaces.

// ifaceHooks are NetworkInterface's validate_<field> methods, in the model's field order.
var ifaceHooks = map[string]fieldHook{
	"descr":    ifaceDescr,
	"mtu":      ifaceMTU,
	"media":    ifaceMedia,
	"mediaopt": ifaceMediaopt,
	"typev4":   ifaceTypev4,
	"ipaddr":   ifaceIPAddr,
	"subnet":   ifaceSubnet,
	"typev6":   ifaceTypev6,
	"ipaddrv6": ifaceIPAddrv6,
	// validate_blockbogons refuses bogon blocking while IPv6 is allowed and the
	// system/maximumtableentries limit is under 400000 (globals.inc minimumtableentries_bogonsv6).
	// Neither setting is a field of any model, and the package's own test
	// (APIModelsNetworkInterfaceTestCase test_validate_blockbogons) passes on a default
	// config, so the simulated limit is always enough: no hook.
}

// dhcpEnabledOn is is_config_enabled("dhcpd/<id>"): the interface's DHCP server is enabled.
func (sim *Simulator) dhcpEnabledOn(id string) bool {
	return toBool(sim.storedDHCPServer(id)["enable"])
}

// vipOnIface is the loop of validate_typev4/validate_typev6 over virtualip/vip: a virtual IP of
// the family on the interface.
func (sim *Simulator) vipOnIface(id string, v6 bool) bool {
	for _, vip := range sim.st.Lists["VirtualIP"] {
		fam, sub := addrKind(strval(vip["subnet"]))
		if !sub && fam != 0 && (fam == 6) == v6 && strval(vip["interface"]) == id {
			return true
		}
	}
	return false
}

// ifaceTypev4 is NetworkInterface::validate_typev4.
func ifaceTypev4(vc *vctx, v any) (any, *apiError) {
	id := strval(vc.id)
	if v != "static" && vc.sim.dhcpEnabledOn(id) {
		return nil, errf(400, "NETWORK_INTERFACE_CANNOT_CHANGE_TYPEV4_WHILE_DHCP_SERVER_ENABLED", "Field 'typev4' cannot be changed from 'static' while a DHCP server is enabled on this interface. Disable the DHCP server on this interface before changing 'typev4'.")
	}
	if v == "none" && vc.sim.vipOnIface(id, false) {
		return nil, errf(400, "NETWORK_INTERFACE_NO_TYPEV4_NONE_WITH_EXISTING_VIRTUAL_IPS", "Field 'typev4' cannot be changed to 'none' because there are existing virtual IPs on this interface.")
	}
	return v, nil
}

// ifaceIPAddr is NetworkInterface::validate_ipaddr: a non-static type is the value itself; a
// static address is an IPv4 address whose subnet overlaps no other interface's
// (where_is_ipaddr_configured with check_subnets, pfsense-utils.inc), is neither the network
// nor the broadcast address below /31, and whose network is no static route's.
func ifaceIPAddr(vc *vctx, v any) (any, *apiError) {
	typ := strval(vc.obj["typev4"])
	s := strval(v)
	if typ != "static" {
		return typ, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return nil, errf(400, "INTERFACE_IPADDR_NOT_IPV4_WHEN_STATIC", "Interface `ipaddr` must be an IPv4 address when `typev4` is set to `static`")
	}
	mine, inUse := ifaceOverlap(vc, a, "subnet")
	if inUse {
		return nil, errf(400, "INTERFACE_IPADDR_ALREADY_IN_USE", "Interface `ipaddr` cannot use '%s' because it is currently in use", s)
	}
	if vc.obj["subnet"] != nil && toInt(vc.obj["subnet"]) < 31 {
		if a == mine.Addr() {
			return nil, errf(400, "NETWORK_INTERFACE_IPADDR_CANNOT_USE_NETWORK_ADDRESS", "Interface 'ipaddr' cannot use '%s' because it is the network address", s)
		}
		if a == broadcastV4(mine) {
			return nil, errf(400, "NETWORK_INTERFACE_IPADDR_CANNOT_USE_BROADCAST_ADDRESS", "Interface 'ipaddr' cannot use '%s' because it is the broadcast address", s)
		}
	}
	if e := staticRouteConflict(vc, mine, "NETWORK_INTERFACE_IPADDR_CONFLICTS_WITH_STATIC_ROUTE", "ipaddr"); e != nil {
		return nil, e
	}
	return v, nil
}

// ifaceOverlap is where_is_ipaddr_configured with check_subnets (pfsense-utils.inc): the
// address with the object's prefix length (bitsField; out of range is a host prefix) against
// the current address and subnet of every other enabled interface
// (get_configured_interface_list) of the same family. A 6rd interface's subnet is only
// compared with longer prefixes.
func ifaceOverlap(vc *vctx, a netip.Addr, bitsField string) (mine netip.Prefix, inUse bool) {
	bits := int(toInt(vc.obj[bitsField]))
	if bits < 1 || bits > a.BitLen() {
		bits = a.BitLen()
	}
	mine = netip.PrefixFrom(a, bits).Masked()
	for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
		if strval(rw.id) == strval(vc.id) || !toBool(rw.obj["enable"]) {
			continue
		}
		current := vc.sim.interfaceIPv4
		if a.Is6() {
			current = vc.sim.interfaceIPv6
		}
		p, ok := current(strval(rw.id))
		if !ok || p.Addr().Is6() != a.Is6() || p.Bits() <= 0 || (rw.obj["ipaddrv6"] == "6rd" && a.Is6() && bits <= p.Bits()) {
			continue
		}
		if p.Masked().Overlaps(mine) {
			return mine, true
		}
	}
	return mine, false
}

// staticRouteConflict is the static route loop of validate_ipaddr and validate_ipaddrv6: the
// interface's network written as CIDR equals a route's stored network.
func staticRouteConflict(vc *vctx, network netip.Prefix, id, field string) *apiError {
	cidr := network.String()
	for i, r := range vc.sim.st.Lists["StaticRoute"] {
		if strval(r["network"]) == cidr {
			return errf(400, id, "Interface '%s' cannot be used because it conflicts with a static route with ID '%d'", field, i)
		}
	}
	return nil
}

// ifaceSubnet is NetworkInterface::validate_subnet.
func ifaceSubnet(vc *vctx, v any) (any, *apiError) {
	if toInt(v) > 30 && vc.sim.dhcpEnabledOn(strval(vc.id)) {
		return nil, errf(400, "NETWORK_INTERFACE_SUBNET_MAXIMUM_EXCEEDED_WHILE_DHCP_SERVER_ENABLED", "Field 'subnet' cannot be greater than 30 while a DHCP server is enabled on this interface'. Disable the DHCP server on this interface before changing the 'subnet' value.")
	}
	return v, nil
}

// ifaceTypev6 is NetworkInterface::validate_typev6. DHCPv6 servers and router advertisements
// are no model of v2.7.1 or v2.10.0, so none is ever enabled here.
func ifaceTypev6(vc *vctx, v any) (any, *apiError) {
	for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
		if strval(rw.id) != strval(vc.id) && rw.obj["typev6"] == "6to4" && v == "6to4" {
			return nil, errf(400, "NETWORK_INTERFACE_TYPEV6_6TO4_ALREADY_IN_USE", "Field 'typev6' cannot use '6to4' because it is already in use by interface with ID '%s'", strval(rw.id))
		}
	}
	if v == "none" && vc.sim.vipOnIface(strval(vc.id), true) {
		return nil, errf(400, "NETWORK_INTERFACE_NO_TYPEV6_NONE_WITH_EXISTING_VIRTUAL_IPS", "Field 'typev6' cannot be changed to 'none' because there are existing virtual IPs on this interface.")
	}
	return v, nil
}

// ifaceIPAddrv6 is NetworkInterface::validate_ipaddrv6: a keyword only with the same type (the
// message for dhcp6 says `dhcp`, as the package's does), then the overlap and static route
// checks of validate_ipaddr for an address.
func ifaceIPAddrv6(vc *vctx, v any) (any, *apiError) {
	s := strval(v)
	typ := strval(vc.obj["typev6"])
	for _, kw := range []string{"dhcp6", "slaac", "6rd", "6to4", "track6"} {
		if s == kw && typ != kw {
			shown := kw
			if kw == "dhcp6" {
				shown = "dhcp"
			}
			up := strings.ToUpper(kw)
			return nil, errf(400, "INTERFACE_IPADDRV6_IS_"+up+"_WITH_NON_"+up+"_TYPEV6", "Interface `ipaddrv6` cannot be `%s` unless `typev6` is also `%s`", kw, shown)
		}
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		return v, nil
	}
	mine, inUse := ifaceOverlap(vc, a, "subnetv6")
	if inUse {
		return nil, errf(400, "INTERFACE_IPADDRV6_ALREADY_IN_USE", "Interface `ipaddrv6` cannot use '%s' because it is currently in use", s)
	}
	if e := staticRouteConflict(vc, mine, "NETWORK_INTERFACE_IPADDRV6_CONFLICTS_WITH_STATIC_ROUTE", "ipaddrv6"); e != nil {
		return nil, e
	}
	return v, nil
}

// ifaceMTU is NetworkInterface::validate_mtu: a VLAN's MTU is at most its parent's
// (get_interface_mtu: the MTU the parent's assignment sets, else the device's 1500).
// ifaceDescr is NetworkInterface::validate_descr: an interface on an OpenVPN, IPsec, GIF or GRE
// device takes a description of at most 22 characters (strlen: bytes).
func ifaceDescr(vc *vctx, v any) (any, *apiError) {
	dev := strval(vc.obj["if"])
	for _, k := range []struct{ prefix, id, what string }{
		{"ovpn", "OPENVPN", "an OpenVPN"}, {"ipsec", "IPSEC", "an IPsec"}, {"gif", "GIF", "a GIF"}, {"gre", "GRE", "a GRE"},
	} {
		if strings.HasPrefix(dev, k.prefix) && len(strval(v)) > 22 {
			return nil, errf(400, "NETWORK_INTERFACE_DESCR_"+k.id+"_MAX_LENGTH_EXCEEDED",
				"Field `descr` must be 22 characters or less when `if` is %s interface", k.what)
		}
	}
	return v, nil
}

func ifaceMTU(vc *vctx, v any) (any, *apiError) {
	dev := strval(vc.obj["if"])
	for _, vlan := range vc.sim.st.Lists["InterfaceVLAN"] {
		if strval(vlan["vlanif"]) != dev {
			continue
		}
		parent := int64(1500)
		for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
			if strval(rw.obj["if"]) == strval(vlan["if"]) && rw.obj["mtu"] != nil {
				parent = toInt(rw.obj["mtu"])
			}
		}
		if parent < toInt(v) {
			return nil, errf(400, "INTERFACE_WITH_MTU_HIGHER_THAN_PARENT_MTU", "MTU cannot be higher than parent interface's MTU")
		}
		break
	}
	return v, nil
}

// supportedMedia is NetworkInterface::get_supported_media: the `media` lines of `ifconfig -m`,
// each with its media options, plus ” (the default). The NICs are em(4) (the golden image's
// e1000 devices): FreeBSD's sys/dev/e1000/if_em.c em_setup_interface adds 10baseT/UTP,
// 100baseTX (each plain and full-duplex), 1000baseT (full-duplex and plain) and autoselect,
// and ifconfig lists them newest first. Other devices (VLANs, LAGGs, bridges) list
// autoselect only, an approximation.
func (sim *Simulator) supportedMedia(dev string) (names []string, opts map[string][]string) {
	if strings.HasPrefix(dev, "em") && !strings.Contains(dev, ".") {
		return []string{"autoselect", "1000baseT", "100baseTX", "10baseT/UTP", ""}, map[string][]string{
			"autoselect": {""}, "1000baseT": {"", "full-duplex"}, "100baseTX": {"full-duplex", ""},
			"10baseT/UTP": {"full-duplex", ""}, "": {""},
		}
	}
	return []string{"autoselect", ""}, map[string][]string{"autoselect": {""}, "": {""}}
}

// ifaceMedia is NetworkInterface::validate_media.
func ifaceMedia(vc *vctx, v any) (any, *apiError) {
	names, _ := vc.sim.supportedMedia(strval(vc.obj["if"]))
	for _, n := range names {
		if n == strval(v) {
			return v, nil
		}
	}
	return nil, errf(400, "NETWORK_INTERFACE_WITH_UNSUPPORTED_MEDIA_TYPE", "Interface does not support media type `%s`, supported options are: [%s]", strval(v), strings.Join(names, ","))
}

// ifaceMediaopt is NetworkInterface::validate_mediaopt: an option of the chosen media.
func ifaceMediaopt(vc *vctx, v any) (any, *apiError) {
	_, opts := vc.sim.supportedMedia(strval(vc.obj["if"]))
	list := opts[strval(vc.obj["media"])]
	for _, o := range list {
		if o == strval(v) {
			return v, nil
		}
	}
	return nil, errf(400, "NETWORK_INTERFACE_WITH_UNSUPPORTED_MEDIA_OPTION", "Interface does not support media option `%s`, supported options are: [%s]", strval(v), strings.Join(list, ","))
}

// vlanParent is InterfaceVLAN::validate_if (does_interface_exist: a device of the firewall).
func vlanParent(vc *vctx, v any) (any, *apiError) {
	if !vc.sim.osInterfaces()[strval(v)] {
		return nil, errf(400, "VLAN_INTERFACE_PARENT_NOT_FOUND", "Parent interface `%s` does not exist.", strval(v))
	}
	return v, nil
}

// gatewayGroupPriorityFamily is RoutingGatewayGroupPriority::validate_extra: the gateway is of
// the group's family (the first existing gateway of its priorities, RoutingGatewayGroup
// from_internal_ipprotocol), unless that is unknown. The message is the package's, whose
// double-quoted PHP string keeps a `' .` and the next line's indentation.
func gatewayGroupPriorityFamily(vc *vctx) *apiError {
	if vc.parent == nil {
		return nil
	}
	mine, _ := vc.sim.gatewayProtocol(strval(vc.obj["gateway"]))
	group := "unknown"
	for _, pr := range listOf(vc.parent["priorities"]) {
		if p, gw := vc.sim.gatewayProtocol(strval(asMap(pr)["gateway"])); gw != nil {
			group = p
			break
		}
	}
	if group != "unknown" && group != mine {
		return errf(400, "ROUTING_GATEWAY_GROUP_PRIORITY_IPPROTOCOL_MISMATCH", "Field `gateway` must be a gateway of the same IP protocol as all other gateways in the ' .\n                    'parent gateway group. Expected %s, got %s.", group, mine)
	}
	return nil
}

// nextDevice is pfSense_interface_create2(prefix) (pfSense's PHP module; the kernel's
// if_clone): the lowest unit of the device type no device of the model has yet: lagg0,
// lagg1, ... It names a LAGG or GRE device at creation (Models/InterfaceLAGG.inc and
// Models/InterfaceGRE.inc _create, through interface_lagg_configure/interface_gre_configure)
// and a bridge by its default (Models/InterfaceBridge.inc get_next_bridgeif).
func (sim *Simulator) nextDevice(model, field, prefix string) string {
	used := map[string]bool{}
	for _, o := range sim.st.Lists[model] {
		used[strval(o[field])] = true
	}
	for i := 0; ; i++ {
		if n := fmt.Sprintf("%s%d", prefix, i); !used[n] {
			return n
		}
	}
}

// deviceName gives a new LAGG or GRE its device name unless one was given (pfSense's
// interface_lagg_configure and interface_gre_configure keep a set laggif/greif and create the
// next free device otherwise; the model stores what they return).
func deviceName(field, prefix string) func(vc *vctx) *apiError {
	return func(vc *vctx) *apiError {
		if strval(vc.obj[field]) == "" {
			vc.obj[field] = vc.sim.nextDevice(vc.m.name, field, prefix)
		}
		return nil
	}
}

func init() {
	deleteGuards["NetworkInterface"] = interfaceDeleteGuard
	createHooks["InterfaceLAGG"] = deviceName("laggif", "lagg")
	createHooks["InterfaceGRE"] = deviceName("greif", "gre")
	liveDefaults["InterfaceBridge.bridgeif"] = func(vc *vctx) any { return vc.sim.nextDevice("InterfaceBridge", "bridgeif", "bridge") }
	// Models/NetworkInterface.inc get_interface_ports: the ports get_all_avail_interfaces
	// lists are the only values `if` takes.
	choiceCallables["get_interface_ports"] = func(vc *vctx, _ *catalog.Prop) []any {
		var out []any
		for _, a := range vc.sim.availableInterfaces() {
			out = append(out, a["if"])
		}
		return out
	}
}

// interfaceDeleteGuard is Models/NetworkInterface.inc _delete: WAN stays, and so does an
// interface an interface group, a bridge or a GRE tunnel uses (pfSense's
// link_interface_to_group, link_interface_to_bridge, link_interface_to_tunnelif).
func interfaceDeleteGuard(sim *Simulator, req *request, rw row) *apiError {
	id := strval(rw.id)
	if id == "wan" {
		return errf(400, "NETWORK_INTERFACE_WAN_CANNOT_BE_DELETED", "Interface `wan` cannot be deleted.")
	}
	for _, g := range sim.st.Lists["InterfaceGroup"] {
		for _, m := range listOf(g["members"]) {
			if strval(m) == id {
				return errf(400, "NETWORK_INTERFACE_IN_USE_BY_INTERFACE_GROUP", "Interface `%s` cannot be deleted because it is in use by an interface group.", id)
			}
		}
	}
	for _, b := range sim.st.Lists["InterfaceBridge"] {
		for _, m := range listOf(b["members"]) {
			if strval(m) == id {
				return errf(400, "NETWORK_INTERFACE_IN_USE_BY_INTERFACE_BRIDGE", "Interface `%s` cannot be deleted because it is in use by an interface bridge.", id)
			}
		}
	}
	for _, g := range sim.st.Lists["InterfaceGRE"] {
		if strval(g["if"]) == id {
			return errf(400, "NETWORK_INTERFACE_IN_USE_BY_INTERFACE_GRE", "Interface `%s` cannot be deleted because it is in use by an GRE tunnel.", id)
		}
	}
	return nil
}
