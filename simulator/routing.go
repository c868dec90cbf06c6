package simulator

import (
	"net/netip"
	"strings"
)

// Routing and virtual IPs: the hand-written checks of Models/StaticRoute.inc,
// Models/RoutingGateway.inc and Models/VirtualIP.inc (pfSense-pkg-RESTAPI v2.7.1; v2.10.0 has
// the same logic). The helpers named are pfSense's (RELENG_2_7_2 src/etc/inc).

// interfaceIPv4 is get_interface_ip with get_interface_subnet (interfaces.inc): the configured
// address of a static interface, else the address the interface has now (its status).
func (sim *Simulator) interfaceIPv4(id string) (netip.Prefix, bool) {
	return sim.interfaceAddr(id, "typev4", "static", "ipaddr", "subnet")
}

// interfaceIPv6 is get_interface_ipv6 with get_interface_subnetv6.
func (sim *Simulator) interfaceIPv6(id string) (netip.Prefix, bool) {
	return sim.interfaceAddr(id, "typev6", "staticv6", "ipaddrv6", "subnetv6")
}

func (sim *Simulator) interfaceAddr(id, typeField, static, addrField, bitsField string) (netip.Prefix, bool) {
	parse := func(addr, bits any) (netip.Prefix, bool) {
		a, err := netip.ParseAddr(strval(addr))
		if err != nil {
			return netip.Prefix{}, false
		}
		p, err := a.Prefix(int(toInt(bits)))
		return netip.PrefixFrom(a, p.Bits()), err == nil
	}
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		if strval(rw.id) != id {
			continue
		}
		if rw.obj[typeField] == static {
			return parse(rw.obj[addrField], rw.obj[bitsField])
		}
		if rw.obj[typeField] == nil || rw.obj[typeField] == "none" {
			return netip.Prefix{}, false
		}
		for _, st := range sim.st.Lists["InterfaceStats"] {
			if strval(st["name"]) == id {
				return parse(st[addrField], st[bitsField])
			}
		}
	}
	return netip.Prefix{}, false
}

// staticRouteNetwork is StaticRoute::validate_network: an alias is taken as it is; a CIDR is
// stored as its network address (gen_subnet) and may not be the network of a statically
// addressed interface (only the network address is compared, not the prefix length).
func staticRouteNetwork(vc *vctx, v any) (any, *apiError) {
	s := strval(v)
	if vc.sim.aliasExists(s, false) {
		return v, nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return v, nil // SubnetValidator has refused it already
	}
	p = p.Masked()
	network := p.String()
	for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
		typ, addrField, bitsField, id := "typev4", "ipaddr", "subnet", "STATIC_ROUTE_CONFLICTS_WITH_IPV4_INTERFACE"
		if p.Addr().Is6() {
			typ, addrField, bitsField, id = "typev6", "ipaddrv6", "subnetv6", "STATIC_ROUTE_CONFLICTS_WITH_IPV6_INTERFACE"
		}
		want := "static"
		if p.Addr().Is6() {
			want = "staticv6"
		}
		if rw.obj[typ] != want {
			continue
		}
		a, err := netip.ParseAddr(strval(rw.obj[addrField]))
		if err != nil {
			continue
		}
		if ip, err := a.Prefix(int(toInt(rw.obj[bitsField]))); err == nil && ip.Addr() == p.Addr() {
			return nil, errf(400, id, "Destination network `%s` conflicts with the IP address of interface with ID `%s`", network, strval(rw.id))
		}
	}
	return network, nil
}

// gatewayProtocol is the ipprotocol of the gateway or gateway group a name refers to
// (ForeignModelField::get_related_model tries RoutingGateway, then RoutingGatewayGroup, whose
// ipprotocol is that of its first priority's gateway: RoutingGatewayGroup
// from_internal_ipprotocol), and whether the name is a gateway rather than a group.
func (sim *Simulator) gatewayProtocol(name string) (proto string, gateway map[string]any) {
	for _, gw := range sim.st.Lists["RoutingGateway"] {
		if strval(gw["name"]) == name {
			return strval(gw["ipprotocol"]), gw
		}
	}
	for _, g := range sim.st.Lists["RoutingGatewayGroup"] {
		if strval(g["name"]) != name {
			continue
		}
		for _, pr := range listOf(g["priorities"]) {
			if p, gw := sim.gatewayProtocol(strval(asMap(pr)["gateway"])); gw != nil {
				return p, nil
			}
		}
	}
	return "unknown", nil
}

// staticRouteGateway is StaticRoute::validate_gateway: the network's family is the gateway's.
func staticRouteGateway(vc *vctx, v any) (any, *apiError) {
	network := strval(vc.obj["network"])
	if vc.sim.aliasExists(network, false) {
		return v, nil
	}
	p, err := netip.ParsePrefix(network)
	v4, v6 := err == nil && p.Addr().Is4(), err == nil && p.Addr().Is6()
	switch proto, _ := vc.sim.gatewayProtocol(strval(v)); {
	case proto == "inet" && !v4:
		return nil, errf(400, "STATIC_ROUTE_NON_IPV4_NETWORK_WITH_IPV4_GATEWAY", "Cannot assign non-IPv4 `network` to IPv4 `gateway`.")
	case proto == "inet6" && !v6:
		return nil, errf(400, "STATIC_ROUTE_NON_IPV6_NETWORK_WITH_IPV6_GATEWAY", "Cannot assign non-IPv6 `network` to IPv6 `gateway`.")
	}
	return v, nil
}

// staticRouteDisabled is StaticRoute::validate_disabled: a route through a disabled gateway
// must be disabled too. It looks the name up among gateways only and takes the first
// (RoutingGateway::query()->first()), so a route through a gateway group is the real 500 of
// ModelSet::first on an empty set.
func staticRouteDisabled(vc *vctx, v any) (any, *apiError) {
	_, gw := vc.sim.gatewayProtocol(strval(vc.obj["gateway"]))
	if gw == nil {
		return nil, errf(500, "MODELSET_FIRST_REQUESTED_WITH_NO_MODEL_OBJECTS", "Cannot locate first Model object in a ModelSet with no Model objects")
	}
	if toBool(gw["disabled"]) && !toBool(v) {
		return nil, errf(400, "STATIC_ROUTE_GATEWAY_DISABLED", " Static route must also be `disabled` when the parent gateway is `disabled`.")
	}
	return v, nil
}

// gatewayDisabled is RoutingGateway::validate_disabled: a gateway in a gateway group or in
// an enabled static route cannot be disabled. (Its third check, a system DNS server's
// gateway, reads system/dns<N>gw, which no model of the simulated API sets.)
func gatewayDisabled(vc *vctx, v any) (any, *apiError) {
	if !toBool(v) {
		return v, nil
	}
	name := strval(vc.obj["name"])
	for i, g := range vc.sim.st.Lists["RoutingGatewayGroup"] {
		for _, pr := range listOf(g["priorities"]) {
			if strval(asMap(pr)["gateway"]) == name {
				return nil, errf(400, "ROUTING_GATEWAY_DISABLED_NOT_ALLOWED_WITH_EXISTING_GW_GROUP", "Gateway cannot be disabled because it is in use by gateway group with ID `%d`", i)
			}
		}
	}
	for i, r := range vc.sim.st.Lists["StaticRoute"] {
		if strval(r["gateway"]) == name && !toBool(r["disabled"]) {
			return nil, errf(400, "ROUTING_GATEWAY_DISABLED_NOT_ALLOWED_WITH_EXISTING_ROUTE", "Gateway cannot be disabled because it is in use by gateway route with ID `%d`", i)
		}
	}
	return v, nil
}

// gatewayInterface is RoutingGateway::validate_interface: the interface has an address of the
// gateway's family.
func gatewayInterface(vc *vctx, v any) (any, *apiError) {
	switch vc.obj["ipprotocol"] {
	case "inet":
		if _, ok := vc.sim.interfaceIPv4(strval(v)); !ok {
			return nil, errf(400, "ROUTING_GATEWAY_INTERFACE_HAS_NO_IPV4", "Field `interface` must be an interface with an existing IPv4 address when `ipprotocol` is set to `inet`")
		}
	case "inet6":
		if _, ok := vc.sim.interfaceIPv6(strval(v)); !ok {
			return nil, errf(400, "ROUTING_GATEWAY_INTERFACE_HAS_NO_IPV6", "Field `interface` must be an interface with an existing IPv6 address when `ipprotocol` is set to `inet6`")
		}
	}
	return v, nil
}

// gatewayAddress is RoutingGateway::validate_gateway: `dynamic`, or an address of the
// gateway's family (the response ids are the package's, each named after the other family).
func gatewayAddress(vc *vctx, v any) (any, *apiError) {
	s := strval(v)
	if s == "dynamic" {
		return v, nil
	}
	a, err := netip.ParseAddr(s)
	switch vc.obj["ipprotocol"] {
	case "inet":
		if err != nil || !a.Is4() {
			return nil, errf(400, "ROUTING_GATEWAY_NO_IPV6_WITH_INET", "Field `gateway` must be an IPv4 address when `ipprotocol` is set to `inet`")
		}
	case "inet6":
		if err != nil || !a.Is6() || strings.Contains(s, "/") {
			return nil, errf(400, "ROUTING_GATEWAY_NO_IPV4_WITH_INET6", "Field `gateway` must be an IPv6 address when `ipprotocol` is set to `inet6`")
		}
	}
	return v, nil
}

// gatewayBound makes one of RoutingGateway's monitoring checks (validate_latencyhigh,
// validate_losshigh, validate_loss_interval, validate_time_period, validate_alert_interval):
// bad says when the value v is refused, given the object.
func gatewayBound(id, msg string, bad func(v float64, o map[string]any) bool) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if bad(toFloat(v), vc.obj) {
			return nil, errf(400, id, "%s", msg)
		}
		return v, nil
	}
}

var gatewayHooks = map[string]fieldHook{
	"disabled":  gatewayDisabled,
	"interface": gatewayInterface,
	"gateway":   gatewayAddress,
	"latencyhigh": gatewayBound("ROUTING_GATEWAY_WITH_LATENCY_LOW_GREATER_THAN_HIGH", "Routing gateway `latencyhigh` must be greater than `latencylow`.",
		func(v float64, o map[string]any) bool { return toFloat(o["latencylow"]) > v }),
	"losshigh": gatewayBound("ROUTING_GATEWAY_WITH_LOSS_LOW_GREATER_THAN_HIGH", "Routing gateway `losshigh` must be greater than `losslow`.",
		func(v float64, o map[string]any) bool { return toFloat(o["losslow"]) > v }),
	"loss_interval": gatewayBound("ROUTING_GATEWAY_WITH_LOSS_INTERVAL_GREATER_THAN_LATENCY_HIGH", "Routing gateway `loss_interval` must be greater than or equal to `latencyhigh`.",
		func(v float64, o map[string]any) bool { return toFloat(o["latencyhigh"]) > v }),
	"time_period": gatewayBound("ROUTING_GATEWAY_TIME_PERIOD_UNDER_MINIMUM", "Routing gateway `time_period` must be greater than twice the `interval` value plus the `loss_interval` value.",
		func(v float64, o map[string]any) bool {
			return v <= 2*toFloat(o["interval"])+toFloat(o["loss_interval"])
		}),
	"alert_interval": gatewayBound("ROUTING_GATEWAY_ALERT_INTERVAL_UNDER_MINIMUM", "Routing gateway `alert_interval` must be greater than or equal to the `interval`.",
		func(v float64, o map[string]any) bool { return v <= toFloat(o["interval"]) }),
}

// virtualIPType is VirtualIP::validate_type.
func virtualIPType(vc *vctx, v any) (any, *apiError) {
	if v == "network" && (vc.obj["mode"] == "ipalias" || vc.obj["mode"] == "carp") {
		return nil, errf(400, "VIRTUALIP_MODE_DOES_NOT_SUPPORT_NETWORK_TYPE", "Virtual IPs `type` cannot be `network` when `mode` is `ipalias` or `carp`")
	}
	return v, nil
}

// virtualIPSubnetBits is VirtualIP::validate_subnet_bits.
func virtualIPSubnetBits(vc *vctx, v any) (any, *apiError) {
	if a, err := netip.ParseAddr(strval(vc.obj["subnet"])); err == nil && a.Is4() && toInt(v) > 32 {
		return nil, errf(400, "VIRTUALIP_IPV4_SUBNET_BITS_EXCEEDED", "Virtual IP `subnet_bits` cannot exceed 32 when the `subnet` is an IPv4 address")
	}
	return v, nil
}

// virtualIPVHID is VirtualIP::validate_vhid: one CARP VHID per interface.
func virtualIPVHID(vc *vctx, v any) (any, *apiError) {
	if vc.obj["mode"] != "carp" {
		return v, nil
	}
	for i, o := range vc.sim.st.Lists["VirtualIP"] {
		if vc.initial != nil && idKeyEqual(int64(i), vc.id) {
			continue
		}
		if o["mode"] == "carp" && strval(o["interface"]) == strval(vc.obj["interface"]) && toInt(o["vhid"]) == toInt(v) {
			return nil, errf(409, "VIRTUALIP_VHID_ALREADY_IN_USE", "Virtual IP with ID '%d' is already using VHID '%s' on interface '%s'", i, strval(v), strval(vc.obj["interface"]))
		}
	}
	return v, nil
}

// withCARPStatus is VirtualIP::from_internal_carp_status: null unless a CARP VIP; `disabled`
// while CARP is off (CARP::is_carp_enabled, what GET /status/carp shows as enable); otherwise a
// lone firewall is its VHID's master.
func withCARPStatus(sim *Simulator, obj map[string]any) map[string]any {
	var status any
	if obj["mode"] == "carp" && strval(obj["uniqid"]) != "" {
		status = "master"
		if c := sim.st.Singles["CARP"]; c != nil && !truthy(c["enable"]) {
			status = "disabled"
		}
	}
	return withValue(obj, "carp_status", status)
}

// refreshGatewayStatus is what Models/RoutingGatewayStatus.inc reads after the routing apply
// has restarted dpinger for the configured gateways (pfsense/pfsense src/etc/inc/gwlb.inc
// return_gateways_status(): one row per running dpinger, plus gateways whose monitoring is
// disabled, shown online). A gateway that keeps its name and addresses keeps its row; a new or
// moved one is pinged on the simulated network (pingTarget): its monitor address answers when
// it is a host the firewall knows on that interface's subnet, else dpinger reports 100 % loss
// and the gateway down. Disabled and deleted gateways have no dpinger, so no row.
func (sim *Simulator) refreshGatewayStatus() {
	old := map[string]map[string]any{}
	for _, s := range sim.st.Lists["RoutingGatewayStatus"] {
		old[strval(s["name"])] = s
	}
	stats := map[string]map[string]any{}
	for _, st := range sim.st.Lists["InterfaceStats"] {
		stats[strval(st["name"])] = st
	}
	var out []map[string]any
	for _, gw := range sim.st.Lists["RoutingGateway"] {
		if truthy(gw["disabled"]) {
			continue
		}
		st := stats[strval(gw["interface"])]
		src, monitor := strval(st["ipaddr"]), strval(gw["monitor"])
		if gw["ipprotocol"] == "inet6" {
			src = strval(st["ipaddrv6"])
		}
		if monitor == "" {
			monitor = strval(gw["gateway"])
		}
		if monitor == "dynamic" {
			monitor = strval(st["gateway"])
		}
		if o := old[strval(gw["name"])]; o != nil && o["monitorip"] == monitor && o["srcip"] == src {
			out = append(out, o)
			continue
		}
		row := map[string]any{"name": gw["name"], "srcip": src, "monitorip": monitor, "delay": 0.0, "stddev": 0.0, "loss": 100.0, "status": "down", "substatus": "highloss"}
		switch {
		case truthy(gw["monitor_disable"]):
			row["loss"], row["status"], row["substatus"] = 0.0, "online", "none"
		case sim.onSubnetAndKnown(st, monitor):
			row["delay"], row["stddev"], row["loss"], row["status"], row["substatus"] = 0.391, 0.072, 0.0, "online", "none"
		}
		out = append(out, row)
	}
	sim.st.Lists["RoutingGatewayStatus"] = out
}

// onSubnetAndKnown reports whether addr lies in the interface's IPv4 subnet and the firewall
// knows a host there (its ARP table, leases, static mappings): who answers dpinger's pings.
func (sim *Simulator) onSubnetAndKnown(st map[string]any, addr string) bool {
	a, err1 := netip.ParseAddr(addr)
	own, err2 := netip.ParseAddr(strval(st["ipaddr"]))
	if err1 != nil || err2 != nil {
		return false
	}
	p, err := own.Prefix(int(toInt(st["subnet"])))
	return err == nil && p.Contains(a) && sim.knownHost(addr)
}
