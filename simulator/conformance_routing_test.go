package simulator_test

// routingCases follow Models/StaticRoute.inc, Models/RoutingGateway.inc and Models/VirtualIP.inc
// (the same logic in v2.7.1 and v2.10.0). The seed: LAN 192.168.1.1/24 and DMZ 10.0.4.1/24
// static, WAN by DHCP (10.0.2.15/24 now); gateways WAN_DHCP (wan) and DMZ_GW (opt1, used by
// the static route to 172.16.50.0/24).
func routingCases() []ccase {
	sr, rg, vip := "Models/StaticRoute.inc ", "Models/RoutingGateway.inc ", "Models/VirtualIP.inc "
	tsr, trg, tvip := "Tests/APIModelsStaticRouteTestCase.inc ", "Tests/APIModelsRoutingGatewayTestCase.inc ", "Tests/APIModelsVirtualIPTestCase.inc "
	vipURL := "/api/v2/firewall/virtual_ip"
	gw := func(extra string) string {
		return `{"name":"bt_gw","interface":"opt1","ipprotocol":"inet","gateway":"10.0.4.253"` + extra + `}`
	}
	return []ccase{
		{area: "routing", name: "a route's network is stored as its network address", src: sr + "validate_network (gen_subnet)", test: tsr + "test_get_networks",
			steps: []step{post(staticRouteURL, `{"network":"198.51.100.7/24","gateway":"DMZ_GW"}`).has(`"network":"198.51.100.0\/24"`)}},
		{area: "routing", name: "a route to an interface's own network is refused", src: sr + "validate_network", test: tsr + "test_static_route_cannot_conflict_with_interface_subnet",
			steps: []step{post(staticRouteURL, `{"network":"192.168.1.0/24","gateway":"DMZ_GW"}`).is(400, "STATIC_ROUTE_CONFLICTS_WITH_IPV4_INTERFACE",
				"Destination network `192.168.1.0/24` conflicts with the IP address of interface with ID `lan`")}},
		{area: "routing", name: "only the network address is compared, not the prefix", src: sr + "validate_network ($addr === gen_subnet(...))",
			note: "no test: a /25 with another network address inside the LAN is accepted, a /25 at the LAN's network address is not",
			steps: []step{post(staticRouteURL, `{"network":"192.168.1.128/25","gateway":"DMZ_GW"}`).has(`"network":"192.168.1.128\/25"`),
				post(staticRouteURL, `{"network":"192.168.1.0/25","gateway":"DMZ_GW"}`).is(400, "STATIC_ROUTE_CONFLICTS_WITH_IPV4_INTERFACE", "")}},
		{area: "routing", name: "an IPv6 network cannot use an IPv4 gateway", src: sr + "validate_gateway", test: tsr + "test_static_route_network_must_match_gateway_ip_type",
			steps: []step{post(staticRouteURL, `{"network":"2001:db8::/64","gateway":"DMZ_GW"}`).is(400, "STATIC_ROUTE_NON_IPV4_NETWORK_WITH_IPV4_GATEWAY", "Cannot assign non-IPv4 `network` to IPv4 `gateway`.")}},
		{area: "routing", name: "a route through a disabled gateway must be disabled", src: sr + "validate_disabled", test: tsr + "test_static_route_must_be_disabled_when_gateway_is_disabled",
			note: "the message starts with a space, as the package's does",
			steps: []step{post(gatewayURL, gw(`,"disabled":true`)),
				post(staticRouteURL, `{"network":"198.51.100.0/24","gateway":"bt_gw"}`).is(400, "STATIC_ROUTE_GATEWAY_DISABLED", " Static route must also be `disabled` when the parent gateway is `disabled`."),
				post(staticRouteURL, `{"network":"198.51.100.0/24","gateway":"bt_gw","disabled":true}`).has(`"disabled":true`)}},
		{area: "routing", name: "a route through a gateway group is a 500", src: sr + "validate_disabled (RoutingGateway::query()->first()) ; Core/ModelSet.inc first",
			note: "no test: validate_disabled looks the name up among gateways only, and first() on an empty set throws; v2.10.0 has the same code",
			steps: []step{post("/api/v2/routing/gateway/group", `{"name":"bt_group","priorities":[{"gateway":"DMZ_GW","tier":1}]}`),
				post(staticRouteURL, `{"network":"198.51.100.0/24","gateway":"bt_group"}`).is(500, "MODELSET_FIRST_REQUESTED_WITH_NO_MODEL_OBJECTS", "Cannot locate first Model object in a ModelSet with no Model objects")}},
		{area: "routing", name: "a gateway used by an enabled route cannot be disabled", src: rg + "validate_disabled", test: trg + "test_cannot_disable_gateway_while_in_use",
			steps: []step{patch(gatewayURL, `{"id":1,"disabled":true}`).is(400, "ROUTING_GATEWAY_DISABLED_NOT_ALLOWED_WITH_EXISTING_ROUTE", "Gateway cannot be disabled because it is in use by gateway route with ID `0`")}},
		{area: "routing", name: "a gateway in a gateway group cannot be disabled", src: rg + "validate_disabled", test: trg + "test_cannot_disable_gateway_while_in_use",
			steps: []step{post("/api/v2/routing/gateway/group", `{"name":"bt_group","priorities":[{"gateway":"WAN_DHCP","tier":1}]}`),
				patch(gatewayURL, `{"id":0,"disabled":true}`).is(400, "ROUTING_GATEWAY_DISABLED_NOT_ALLOWED_WITH_EXISTING_GW_GROUP", "Gateway cannot be disabled because it is in use by gateway group with ID `0`")}},
		{area: "routing", name: "an inet6 gateway needs an interface with IPv6", src: rg + "validate_interface", test: trg + "test_gateway_interface_must_match_gateway_ip_protocol",
			steps: []step{post(gatewayURL, `{"name":"bt_gw6","interface":"opt1","ipprotocol":"inet6","gateway":"2001:db8::1"}`).is(400, "ROUTING_GATEWAY_INTERFACE_HAS_NO_IPV6",
				"Field `interface` must be an interface with an existing IPv6 address when `ipprotocol` is set to `inet6`")}},
		{area: "routing", name: "an inet gateway address must be IPv4 (the id names IPv6)", src: rg + "validate_gateway", test: trg + "test_gateway_matches_ipprotocol_type",
			steps: []step{post(gatewayURL, `{"name":"bt_gw","interface":"opt1","ipprotocol":"inet","gateway":"2001:db8::1"}`).is(400, "ROUTING_GATEWAY_NO_IPV6_WITH_INET",
				"Field `gateway` must be an IPv4 address when `ipprotocol` is set to `inet`")}},
		{area: "routing", name: "dynamic is always a gateway address", src: rg + "validate_gateway",
			note:  "no test names it; the method returns `dynamic` before the family checks",
			steps: []step{post(gatewayURL, `{"name":"bt_gw","interface":"opt1","ipprotocol":"inet","gateway":"dynamic"}`).has(`"gateway":"dynamic"`)}},
		{area: "routing", name: "latencylow above latencyhigh is refused", src: rg + "validate_latencyhigh", test: trg + "test_latencyhigh_must_be_greater_than_latencylow",
			steps: []step{post(gatewayURL, gw(`,"latencylow":300,"latencyhigh":200`)).is(400, "ROUTING_GATEWAY_WITH_LATENCY_LOW_GREATER_THAN_HIGH", "Routing gateway `latencyhigh` must be greater than `latencylow`.")}},
		{area: "routing", name: "losslow above losshigh is refused", src: rg + "validate_losshigh", test: trg + "test_losshigh_must_be_greater_than_losslow",
			steps: []step{post(gatewayURL, gw(`,"losslow":30,"losshigh":20`)).is(400, "ROUTING_GATEWAY_WITH_LOSS_LOW_GREATER_THAN_HIGH", "Routing gateway `losshigh` must be greater than `losslow`.")}},
		{area: "routing", name: "loss_interval below latencyhigh is refused", src: rg + "validate_loss_interval", test: trg + "test_loss_interval_must_be_greater_than_latencyhigh",
			steps: []step{post(gatewayURL, gw(`,"loss_interval":400`)).is(400, "ROUTING_GATEWAY_WITH_LOSS_INTERVAL_GREATER_THAN_LATENCY_HIGH", "Routing gateway `loss_interval` must be greater than or equal to `latencyhigh`.")}},
		{area: "routing", name: "time_period must exceed twice interval plus loss_interval", src: rg + "validate_time_period", test: trg + "test_time_period_minimum_constraint",
			steps: []step{post(gatewayURL, gw(`,"time_period":3000`)).is(400, "ROUTING_GATEWAY_TIME_PERIOD_UNDER_MINIMUM", "Routing gateway `time_period` must be greater than twice the `interval` value plus the `loss_interval` value."),
				post(gatewayURL, gw(`,"time_period":3001`))}},
		{area: "routing", name: "alert_interval must exceed interval", src: rg + "validate_alert_interval", test: trg + "test_loss_interval_must_be_greater_than_interval",
			note:  "the message says greater than or equal; the code refuses equal too",
			steps: []step{post(gatewayURL, gw(`,"alert_interval":500`)).is(400, "ROUTING_GATEWAY_ALERT_INTERVAL_UNDER_MINIMUM", "Routing gateway `alert_interval` must be greater than or equal to the `interval`.")}},
		{area: "routing", name: "a network VIP needs proxyarp or other", src: vip + "validate_type", test: tvip + "test_type_cannot_be_network_with_ipalias_or_carp",
			steps: []step{post(vipURL, `{"mode":"ipalias","interface":"lan","type":"network","subnet":"192.168.1.240","subnet_bits":28}`).is(400, "VIRTUALIP_MODE_DOES_NOT_SUPPORT_NETWORK_TYPE",
				"Virtual IPs `type` cannot be `network` when `mode` is `ipalias` or `carp`")}},
		{area: "routing", name: "an IPv4 VIP has at most 32 subnet bits", src: vip + "validate_subnet_bits", test: tvip + "test_ipv4_subnet_bits_is_limited",
			steps: []step{post(vipURL, `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.240","subnet_bits":33}`).is(400, "VIRTUALIP_IPV4_SUBNET_BITS_EXCEEDED",
				"Virtual IP `subnet_bits` cannot exceed 32 when the `subnet` is an IPv4 address")}},
		{area: "routing", name: "a CARP VHID is unique per interface (409)", src: vip + "validate_vhid", test: tvip + "test_carp_vhid_must_be_unique_per_interface",
			steps: []step{post(vipURL, `{"mode":"carp","interface":"lan","subnet":"192.168.1.240","subnet_bits":24,"vhid":5,"password":"carp-pw"}`).is(200, "SUCCESS", ""),
				post(vipURL, `{"mode":"carp","interface":"lan","subnet":"192.168.1.241","subnet_bits":24,"vhid":5,"password":"carp-pw"}`).is(409, "VIRTUALIP_VHID_ALREADY_IN_USE",
					"Virtual IP with ID `0` is already using VHID `5` on interface `lan`"),
				post(vipURL, `{"mode":"carp","interface":"opt1","subnet":"10.0.4.240","subnet_bits":24,"vhid":5,"password":"carp-pw"}`)}},
		{area: "routing", name: "carp_status is null unless a CARP VIP", src: vip + "from_internal_carp_status", test: tvip + "test_carp_status",
			note:  "a lone firewall with CARP allowed is the master of its VHID (get_carp_interface_status)",
			steps: []step{post(vipURL, `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.240","subnet_bits":24}`).has(`"carp_status":null`)}},
	}
}

// Messages read as the client gets them: Core/Response.inc turns single quotes into backticks.

// dhcpCases follow Models/DHCPServer.inc, Models/DHCPServerAddressPool.inc,
// Models/DHCPServerCustomOption.inc and Models/DHCPRelay.inc. The seed: the LAN server with
// 192.168.1.100-199 and a static mapping at 192.168.1.10.
func dhcpCases() []ccase {
	ds, dp, do := "Models/DHCPServer.inc ", "Models/DHCPServerAddressPool.inc ", "Models/DHCPServerCustomOption.inc "
	tds, tdp, tdo := "Tests/APIModelsDHCPServerTestCase.inc ", "Tests/APIModelsDHCPServerAddressPoolTestCase.inc ", "Tests/APIModelsDHCPServerCustomOptionTestCase.inc "
	srv, pool, opt := "/api/v2/services/dhcp_server", "/api/v2/services/dhcp_server/address_pool", "/api/v2/services/dhcp_server/custom_option"
	lan := func(extra string) string { return `{"id":"lan"` + extra + `}` }
	pl := func(from, to string) string {
		return `{"parent_id":"lan","range_from":"` + from + `","range_to":"` + to + `"}`
	}
	return []ccase{
		{area: "dhcp", name: "a server on a DHCP-client interface cannot be enabled", src: ds + "validate_enable", test: tds + "test_cannot_enable_dhcp_server_on_non_static_interface",
			steps: []step{post(srv, `{"interface":"wan","enable":true,"range_from":"10.0.2.100","range_to":"10.0.2.150"}`).is(400, "DHCP_SERVER_CANNOT_ENABLE_WITHOUT_STATIC_IPV4",
				"DHCP server cannot be enabled because interface `wan` does not have a static IPv4 address assigned.")}},
		{area: "dhcp", name: "the relay and an enabled server exclude each other", src: "Models/DHCPRelay.inc validate_enable ; " + ds + "validate_enable", test: tds + "test_cannot_enable_dhcp_server_with_relay_running",
			steps: []step{patch("/api/v2/services/dhcp_relay", `{"enable":true,"interface":["opt1"],"server":["192.0.2.5"]}`).is(409, "DHCP_RELAY_CANNOT_BE_ENABLED_WHILE_DHCP_SERVER_IS_ENABLED",
				"DHCP Relay cannot be enabled while DHCP Server is enabled on any interface."),
				patch(srv, lan(`,"enable":false`)), patch("/api/v2/services/dhcp_relay", `{"enable":true,"interface":["opt1"],"server":["192.0.2.5"]}`),
				patch(srv, lan(`,"domain":"x.home.arpa"`)).is(400, "DHCP_SERVER_CANNOT_BE_ENABLED_WITH_DHCP_RELAY", "DHCP server cannot be enabled while the DHCP Relay is enabled.")}},
		{area: "dhcp", name: "range_from cannot be the network address", src: ds + "validate_range_from", test: tds + "test_range_from_cannot_network_address",
			steps: []step{patch(srv, lan(`,"range_from":"192.168.1.0"`)).is(400, "DHCP_SERVER_RANGE_FROM_CANNOT_BE_NETWORK_ADDRESS", "DHCP server `range_from` cannot be the interface subnet`s network address.")}},
		{area: "dhcp", name: "range_from cannot be above range_to", src: ds + "validate_range_from (ip_greater_than)", test: tds + "test_range_from_cannot_be_greater_than_range_to",
			steps: []step{patch(srv, lan(`,"range_from":"192.168.1.200","range_to":"192.168.1.150"`)).is(400, "DHCP_SERVER_RANGE_FROM_CANNOT_BE_GREATER_THAN_RANGE_TO", "DHCP server `range_from` cannot be greater than `range_to`.")}},
		{area: "dhcp", name: "range_from must be inside the subnet", src: ds + "validate_range_from (is_ipv4_in_cidr)", test: tds + "test_range_from_cannot_be_outside_interface_subnet",
			steps: []step{patch(srv, lan(`,"range_from":"10.9.0.1"`)).is(400, "DHCP_SERVER_RANGE_FROM_OUTSIDE_OF_SUBNET", "DHCP server `range_from` must lie within the interface`s subnet.")}},
		{area: "dhcp", name: "range_to cannot be the broadcast address (the id says RANGE_FROM)", src: ds + "validate_range_to", test: tds + "test_range_to_cannot_broadcast_address",
			steps: []step{patch(srv, lan(`,"range_to":"192.168.1.255"`)).is(400, "DHCP_SERVER_RANGE_FROM_CANNOT_BE_BROADCAST_ADDRESS", "DHCP server `range_to` cannot be the interface subnet`s broadcast address.")}},
		{area: "dhcp", name: "range_to must be inside the subnet", src: ds + "validate_range_to", test: tds + "test_range_to_cannot_be_outside_interface_subnet",
			steps: []step{patch(srv, lan(`,"range_to":"192.168.2.10"`)).is(400, "DHCP_SERVER_RANGE_TO_OUTSIDE_OF_SUBNET", "DHCP server `range_to` must lie within the interface`s subnet.")}},
		{area: "dhcp", name: "an empty range cannot be saved", src: ds + "validate_range_from ('' is not null, so the check runs)",
			note:  "no test: range_from defaults to '' with allow_empty, but '' is outside every subnet",
			steps: []step{patch(srv, lan(`,"range_from":"","range_to":""`)).is(400, "DHCP_SERVER_RANGE_FROM_OUTSIDE_OF_SUBNET", "")}},
		{area: "dhcp", name: "the range cannot hold a static mapping (409)", src: ds + "validate_extra (get_range_overlap)", test: tds + "test_dhcp_pool_cannot_conflict_with_static_mapping",
			steps: []step{patch(srv, lan(`,"range_from":"192.168.1.5"`)).is(409, "DHCP_SERVER_PRIMARY_POOL_OVERLAPS_EXISTING_OBJECT",
				"This DHCP server`s primary address pool overlaps with DHCP Server Static Mapping object with ID `0`. Adjust your `range_from` and `range_to` values.")}},
		{area: "dhcp", name: "the range cannot hold a virtual IP (409)", src: ds + "validate_extra (get_range_overlap)", test: tds + "test_primary_dhcp_pool_cannot_conflict_with_vip",
			steps: []step{post("/api/v2/firewall/virtual_ip", `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.150","subnet_bits":24}`),
				patch(srv, lan(`,"domain":"x.home.arpa"`)).is(409, "DHCP_SERVER_PRIMARY_POOL_OVERLAPS_EXISTING_OBJECT", "This DHCP server`s primary address pool overlaps with Virtual IP object with ID `0`. Adjust your `range_from` and `range_to` values.")}},
		{area: "dhcp", name: "maxleasetime cannot be below defaultleasetime", src: ds + "validate_maxleasetime", test: tds + "test_maxleasetime_cannot_be_lower_than_defaultleasetime",
			steps: []step{patch(srv, lan(`,"defaultleasetime":7200,"maxleasetime":3600`)).is(400, "DHCP_SERVER_MAX_LEASE_TIME_LESS_THAN_DEFAULT", "DHCP server `maxleasetime` cannot be less than the `defaultleasetime`")}},
		{area: "dhcp", name: "the gateway must be inside the subnet", src: ds + "validate_gateway", test: tds + "test_dhcp_server_gateway_in_interface_subnet",
			steps: []step{patch(srv, lan(`,"gateway":"10.0.4.1"`)).is(400, "DHCP_SERVER_GATEWAY_NOT_WITHIN_SUBNET", "DHCP server `gateway` must be within interface`s subnet.")}},
		{area: "dhcp", name: "nonak and a failover peer exclude each other", src: ds + "validate_nonak", test: tds + "test_no_nonak_with_failover_peerip",
			steps: []step{patch(srv, lan(`,"nonak":true,"failover_peerip":"192.168.1.2"`)).is(400, "DHCP_SERVER_NONAK_WITH_FAILOVER_PEERIP_NOT_ALLOWED", "DHCP server `nonak` cannot be enabled while a `failover_peerip` is assigned.")}},
		{area: "dhcp", name: "static ARP needs every static mapping to have an address", src: ds + "validate_staticarp", test: tds + "test_no_staticarp_with_no_ip_static_mappings",
			steps: []step{post(staticMapURL, `{"parent_id":"lan","mac":"00:11:22:33:44:66"}`),
				patch(srv, lan(`,"staticarp":true`)).is(400, "DHCP_SERVER_STATICARP_WITH_NO_IP_STATIC_MAPPINGS", "DHCP server `staticarp` cannot be enabled while there are DHCP server static mappings configured without an assigned IP.")}},
		{area: "dhcp", name: "a pool cannot hold the primary range's ends (it names itself)", src: dp + "validate_extra (get_range_overlap)", test: tdp + "test_address_pool_cannot_overlap_primary_address_pool",
			steps: []step{post(pool, pl("192.168.1.190", "192.168.1.210")).is(409, "DHCP_SERVER_ADDRESS_POOL_OVERLAPS_EXISTING_OBJECT",
				"This DHCP server address pool overlaps with DHCP Server Address Pool object with ID `0`. Adjust your `range_from` and `range_to` values.")}},
		{area: "dhcp", name: "a pool inside the primary range is not caught", src: dp + "validate_extra (one direction only)",
			note:  "no test: get_range_overlap asks whether the server's ends lie in the pool, not the reverse",
			steps: []step{post(pool, pl("192.168.1.120", "192.168.1.130")).has(`"range_from":"192.168.1.120"`)}},
		{area: "dhcp", name: "pools cannot overlap each other", src: dp + "validate_extra", test: tdp + "test_address_pool_cannot_overlap_other_address_pool",
			steps: []step{post(pool, pl("192.168.1.200", "192.168.1.210")), post(pool, pl("192.168.1.205", "192.168.1.220")).is(409, "DHCP_SERVER_ADDRESS_POOL_OVERLAPS_EXISTING_OBJECT",
				"This DHCP server address pool overlaps with DHCP Server Address Pool object with ID `0`. Adjust your `range_from` and `range_to` values.")}},
		{area: "dhcp", name: "a pool cannot hold a static mapping", src: dp + "validate_extra", test: tdp + "test_address_pool_cannot_overlap_static_mapping",
			steps: []step{post(pool, pl("192.168.1.5", "192.168.1.20")).is(409, "DHCP_SERVER_ADDRESS_POOL_OVERLAPS_EXISTING_OBJECT",
				"This DHCP server address pool overlaps with DHCP Server Static Mapping object with ID `0`. Adjust your `range_from` and `range_to` values.")}},
		{area: "dhcp", name: "a pool's range_from cannot be the network address", src: dp + "validate_range_from", test: tdp + "test_range_from_cannot_be_interface_network_address",
			steps: []step{post(pool, pl("192.168.1.0", "192.168.1.9")).is(400, "DHCP_SERVER_ADDRESS_POOL_RANGE_FROM_CANNOT_BE_NETWORK_ADDRESS", "DHCP server `range_from` cannot be the interface subnet`s network address.")}},
		{area: "dhcp", name: "a pool's range_to cannot be the broadcast address", src: dp + "validate_range_to", test: tdp + "test_range_to_cannot_be_interface_broadcast_address",
			steps: []step{post(pool, pl("192.168.1.240", "192.168.1.255")).is(400, "DHCP_SERVER_ADDRESS_POOL_RANGE_TO_CANNOT_BE_BROADCAST_ADDRESS", "DHCP server `range_to` cannot be the interface subnet`s broadcast address.")}},
		{area: "dhcp", name: "a pool lies inside the interface's subnet", src: dp + "validate_range_from (is_inrange_v4)", test: tdp + "test_range_from_must_be_ip_within_interfaces_subnet",
			steps: []step{post(pool, pl("10.0.4.10", "192.168.1.220")).is(400, "DHCP_SERVER_ADDRESS_POOL_RANGE_FROM_OUTSIDE_OF_SUBNET", "DHCP server `range_from` must lie within the interface`s subnet.")}},
		{area: "dhcp", name: "a pool's gateway is inside the subnet", src: dp + "validate_gateway", test: tdp + "test_gateway_must_be_ip_within_parent_interface",
			steps: []step{post(pool, `{"parent_id":"lan","range_from":"192.168.1.200","range_to":"192.168.1.210","gateway":"10.0.4.1"}`).is(400, "DHCP_SERVER_ADDRESS_POOL_GATEWAY_NOT_WITHIN_SUBNET", "DHCP server `gateway` must be within interface`s subnet.")}},
		{area: "dhcp", name: "a text option cannot hold quotes", src: do + "validate_value", test: tdo + "test_validate_value_with_bad_text_type_value",
			steps: []step{post(opt, `{"parent_id":"lan","number":224,"type":"text","value":"say \"hi\""}`).is(400, "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_NOT_CONTAIN_QUOTES_WITH_TEXT_TYPE", "Field `value` must not contain quotes when the type is set to `text`.")}},
		{area: "dhcp", name: "an unsigned integer 8 option is 0 to 255", src: do + "validate_value", test: tdo + "test_validate_value_with_bad_unsigned_integer_8_type_value",
			steps: []step{post(opt, `{"parent_id":"lan","number":224,"type":"unsigned integer 8","value":"256"}`).is(400, "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_UNSIGNED_INTEGER_8_TYPE",
				"Field `value` must be a number between 0 and 255 when the type is set to `unsigned integer 8`."),
				post(opt, `{"parent_id":"lan","number":225,"type":"unsigned integer 8","value":"255"}`)}},
		{area: "dhcp", name: "an ip-address option takes an IPv4 address or a hostname", src: do + "validate_value", test: tdo + "test_validate_value_with_bad_ip_address_type_value",
			steps: []step{post(opt, `{"parent_id":"lan","number":224,"type":"ip-address","value":"2001:db8::1"}`).is(400, "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_VALID_IPV4_WITH_IP_ADDRESS_TYPE",
				"Field `value` must be a valid IPv4 address or hostname when the type is set to `ip-address`.")}},
	}
}
