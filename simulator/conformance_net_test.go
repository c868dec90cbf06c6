package simulator_test

import (
	"regexp"
	"testing"
)

// netCases follow the package's network tests that no case named yet (firewall schedules and
// states size, NAT, gateway groups, static routes, VLANs, bridges, CARP, interface
// descriptions on IPsec VTI devices), v2.7.1 and v2.10.0 alike (the models these cases read
// differ only in verbose names). Each runs on the seed: LAN 192.168.1.1/24 (em1), DMZ
// 10.0.4.1/24 (em2), gateways WAN_DHCP and DMZ_GW, one IPsec phase 1 (ikeid 1, IKEv2) with a
// tunnel phase 2 (reqid 1), no outbound NAT mappings, VLANs or bridges.
func netCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	tr, oo, ob := "Models/FirewallScheduleTimeRange.inc ", "Models/OneToOneNATMapping.inc ", "Models/OutboundNATMapping.inc "
	ooURL, obURL := "/api/v2/firewall/nat/one_to_one/mapping", "/api/v2/firewall/nat/outbound/mapping"
	bridgeURL, ifURL, availURL := "/api/v2/interface/bridge", "/api/v2/interface", "/api/v2/interface/available_interfaces"
	groupURL, prioURL := "/api/v2/routing/gateway/group", "/api/v2/routing/gateway/group/priority"
	sched := func(name, hour string) string {
		return `{"name":"` + name + `","timerange":[{"position":[1],"hour":"` + hour + `"}]}`
	}
	// The seed's phase 2 turned into a VTI (local and remote ids must then be addresses or
	// networks): pfSense names the IKEv2 phase 1's one VTI device ipsec<first phase 2's reqid>.
	vti := patch("/api/v2/vpn/ipsec/phase2", `{"id":0,"mode":"vti","localid_type":"address","localid_address":"10.99.0.1","remoteid_type":"address","remoteid_address":"10.99.0.2"}`)
	return []ccase{
		// --- FirewallScheduleTimeRange ---
		{area: "models", name: "a schedule hour with minute 60 is not a 24-hour time (checked before the minute choices)", src: tr + "validate_hour, is_valid_24_hour_time", test: t("FirewallScheduleTimeRange", "test_is_valid_24_hour_time"),
			note:  "is_valid_24_hour_time pads H:MM to HH:MM and matches ^(?:2[0-3]|[01][0-9]):[0-5][0-9]$; 9:60 fails it, so the invalid-minutes check never runs",
			steps: []step{post(scheduleURL, sched("bt_sched", "9:15-9:60")).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_MUST_BE_24_HOUR_TIME_RANGE", "Field `timerange` encountered a nested validation error: Field `hour` must be 24-hour time range (i.e. 0:00-23:59).")}},
		{area: "models", name: "schedule hours with one-digit hours are compared as times, not strings", src: tr + "is_valid_24_hour_time (H:MM padded), is_valid_24_hour_time_range (strtotime start <= end)", test: t("FirewallScheduleTimeRange", "test_is_valid_24_hour_time_range"),
			note: "9:00-10:00 would fail a string comparison; start equal to end passes (<=), which no test checks",
			steps: []step{post(scheduleURL, sched("bt_a", "0:15-2:00")).sub(`{"hour":"0:15-2:00"}`),
				post(scheduleURL, sched("bt_b", "9:00-10:00")).sub(`{"hour":"9:00-10:00"}`),
				post(scheduleURL, sched("bt_c", "8:00-8:00")).sub(`{"hour":"8:00-8:00"}`),
				post(scheduleURL, sched("bt_d", "2:00-0:15")).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_START_TIME_GREATER_THAN_END_TIME", "")}},

		// --- FirewallStatesSize ---
		{area: "models", name: "defaultmaximumstates and currentstates are read from the system, whatever a request wrote", src: "Models/FirewallStatesSize.inc from_internal_defaultmaximumstates (pfsense_default_state_size), from_internal_currentstates (get_pfstate) ; Core/Model.inc from_internal_object",
			test: t("FirewallStatesSize", "test_from_internal_defaultmaximumstates"),
			note: "from_representation assigns the read-only values and to_internal writes them under system/, but every read replaces them with the from_internal_ methods' values",
			steps: []step{patch("/api/v2/firewall/states/size", `{"maximumstates":500,"defaultmaximumstates":7,"currentstates":99999}`),
				get("/api/v2/firewall/states/size").has(`"maximumstates":500`).not(`"defaultmaximumstates":7`, `"currentstates":99999`)}},

		// --- CARP ---
		{area: "models", name: "CARP maintenance mode is stored and read back, leaving enable as it is", src: "Models/CARP.inc _update (virtualip_carp_maintenancemode), get_carp_internal", test: t("CARP", "test_maintenance_mode"),
			note: "the test reads the advskew in ifconfig (254 in maintenance mode); the API shows the flag",
			steps: []step{patch("/api/v2/status/carp", `{"maintenance_mode":true}`).sub(`{"enable":false,"maintenance_mode":true}`),
				get("/api/v2/status/carp").sub(`{"enable":false,"maintenance_mode":true}`),
				patch("/api/v2/status/carp", `{"maintenance_mode":false}`), get("/api/v2/status/carp").sub(`{"maintenance_mode":false}`)}},

		// --- InterfaceVLAN ---
		{area: "interfaces", name: "a VLAN's parent and tag are unique together", src: "Models/InterfaceVLAN.inc (unique_together_fields if, tag) ; Core/Model.inc check_unique_together", test: t("InterfaceVLAN", "test_vlan_if_and_tag_unique_requirement"),
			steps: []step{post(vlanURL, `{"if":"em2","tag":5}`),
				post(vlanURL, `{"if":"em2","tag":5}`).is(400, "MODEL_FIELDS_NOT_UNIQUE_TOGETHER", "Fields [if, tag] together must be unique from all other objects of its kind. Values in use by object with ID `0`."),
				post(vlanURL, `{"if":"em1","tag":5}`).sub(`{"vlanif":"em1.5"}`)}},
		{area: "interfaces", name: "changing a VLAN's tag renames its device", src: "Models/InterfaceVLAN.inc validate_vlanif, apply_update ; Models/AvailableInterface.inc get_all_avail_interfaces (vlans/vlan)", test: t("InterfaceVLAN", "test_vlan_configured_in_ifconfig"),
			note: "the test reads ifconfig em1.2 and em1.55; the API shows the device in vlanif and among the available interfaces",
			steps: []step{post(vlanURL, `{"if":"em2","tag":2,"pcp":4}`).sub(`{"vlanif":"em2.2","pcp":4}`),
				patch(vlanURL, `{"id":0,"tag":55,"pcp":7}`).sub(`{"if":"em2","tag":55,"vlanif":"em2.55","pcp":7}`),
				get(availURL).has(`"if":"em2.55"`).not(`"if":"em2.2"`)}},

		// --- InterfaceBridge ---
		{area: "interfaces", name: "a bridge's members can be replaced; it keeps its device", src: "Models/InterfaceBridge.inc members, bridgeif (read-only, kept from config on update)", test: t("InterfaceBridge", "test_crud"),
			note:  "the test reads the members in ifconfig bridge0",
			steps: []step{post(bridgeURL, `{"members":["lan"]}`).sub(`{"members":["lan"],"bridgeif":"bridge0"}`), patch(bridgeURL, `{"id":0,"members":["wan"]}`).sub(`{"members":["wan"],"bridgeif":"bridge0"}`)}},
		{area: "interfaces", name: "an interface can be a member of one bridge only", src: "Models/InterfaceBridge.inc members (unique: true) ; Core/Field.inc check_field_unique (many: members__contains)",
			note:  "no test: members is unique, checked value by value against the other bridges' lists",
			steps: []step{post(bridgeURL, `{"members":["lan"]}`), post(bridgeURL, `{"members":["wan","lan"]}`).is(400, "FIELD_MUST_BE_UNIQUE", "Field `members` must be unique. Value is in use by object with ID `0`."), post(bridgeURL, `{"members":["wan"]}`)}},
		{area: "interfaces", name: "an assigned bridge cannot be deleted", src: "Models/InterfaceBridge.inc _delete",
			note: "no test; the message doubles `ID` and leaves the backtick open, as the source does",
			steps: []step{post(bridgeURL, `{"members":["lan"]}`), post(ifURL, `{"if":"bridge0","descr":"BR","typev4":"none","typev6":"none"}`).sub(`{"id":"opt2"}`),
				del(bridgeURL+"?id=0").is(400, "INTERFACE_BRIDGE_IN_USE", "Interface bridge cannot be deleted because it is in use by interface with ID ID `opt2")}},

		// --- NetworkInterface on an IPsec VTI device ---
		{area: "interfaces", name: "a VTI phase 2 makes its ipsec device available", src: "Models/AvailableInterface.inc get_all_avail_interfaces (interface_ipsec_vti_list_all) ; pfSense interfaces.inc interface_ipsec_vti_list_p1, ipsec.inc ipsec_get_ifname", test: t("NetworkInterface", "test_descr_max_length_with_ipsec_if"),
			note:  "the test sets if to ipsec1 on a model it does not save; an IKEv2 phase 1 without split connections has one VTI device, ipsec<reqid of its first phase 2>, mac and dmesg null",
			steps: []step{vti, get(availURL).sub(`{"if":"ipsec1","in_use_by":null}`)}},
		{area: "interfaces", name: "an IPsec interface's descr is at most 22 characters", src: "Models/NetworkInterface.inc validate_descr", test: t("NetworkInterface", "test_descr_max_length_with_ipsec_if"),
			note: "names with underscores, which v2.10.0's FilterNameValidator also takes (its spaces are refused there first)",
			steps: []step{vti,
				post(ifURL, `{"if":"ipsec1","descr":"IPSEC_DESCR_TOO_LONG_NAME","typev4":"none","typev6":"none"}`).is(400, "NETWORK_INTERFACE_DESCR_IPSEC_MAX_LENGTH_EXCEEDED", "Field `descr` must be 22 characters or less when `if` is an IPsec interface"),
				post(ifURL, `{"if":"ipsec1","descr":"IPSEC_DESCR_IS_22_CHAR","typev4":"none","typev6":"none"}`).sub(`{"id":"opt2","if":"ipsec1","descr":"IPSEC_DESCR_IS_22_CHAR"}`)}},

		// --- OneToOneNATMapping ---
		{area: "models", name: "a 1:1 source address is of ipprotocol's family", src: oo + "validate_source", test: t("OneToOneNATMapping", "test_validate_source"),
			steps: []step{post(ooURL, `{"interface":"wan","ipprotocol":"inet","external":"1.2.3.4","source":"1234::1","destination":"4.3.2.1"}`).is(400, "ONE_TO_ONE_NAT_MAPPING_SOURCE_IP_DOES_NOT_MATCH_IPPROTOCOL", "Field `source` is not an IP address of the IP family assigned in `ipprotocol`."),
				post(ooURL, `{"interface":"wan","ipprotocol":"inet6","external":"1234::1","source":"1.2.3.4","destination":"4321::1"}`).is(400, "ONE_TO_ONE_NAT_MAPPING_SOURCE_IP_DOES_NOT_MATCH_IPPROTOCOL", "")}},
		{area: "models", name: "a 1:1 source subnet is of ipprotocol's family", src: oo + "validate_source", test: t("OneToOneNATMapping", "test_validate_source"),
			note: "the message says `an subnet`, as the source does",
			steps: []step{post(ooURL, `{"interface":"wan","ipprotocol":"inet","external":"1.2.3.4","source":"1234::1/128","destination":"4.3.2.1"}`).is(400, "ONE_TO_ONE_NAT_MAPPING_SOURCE_SUBNET_DOES_NOT_MATCH_IPPROTOCOL", "Field `source` is not an subnet of the IP family assigned in `ipprotocol`."),
				post(ooURL, `{"interface":"wan","ipprotocol":"inet6","external":"1234::1","source":"1.2.3.4/32","destination":"4321::1"}`).is(400, "ONE_TO_ONE_NAT_MAPPING_SOURCE_SUBNET_DOES_NOT_MATCH_IPPROTOCOL", ""),
				post(ooURL, `{"interface":"wan","ipprotocol":"inet","external":"1.2.3.4","source":"192.168.1.0/24","destination":"4.3.2.1"}`).sub(`{"source":"192.168.1.0/24"}`)}},

		// --- OutboundNATMapping ---
		{area: "models", name: "a no-NAT outbound mapping needs no target; its translation fields read null", src: ob + "target, target_subnet, static_nat_port, nat_port, poolopts, source_hash_key (conditions nonat false) ; Core/Field.inc validate", test: t("OutboundNATMapping", "test_nonat_in_pfctl"),
			note:  "the test reads `no nat on $WAN inet from any to 127.5.0.1/24` in rules.debug",
			steps: []step{post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","nonat":true}`).sub(`{"nonat":true,"target":null,"target_subnet":null,"static_nat_port":null,"nat_port":null,"poolopts":null,"source_hash_key":null}`)}},
		{area: "models", name: "an interface address target has no target_subnet", src: ob + "validate_target_subnet (null unless target is an IP or alias)", test: t("OutboundNATMapping", "test_crud"),
			steps: []step{post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"wan:ip"}`).sub(`{"target":"wan:ip","target_subnet":null}`)}},
		{area: "models", name: "nat_port is null unless static_nat_port is sent as false", src: ob + "nat_port (conditions static_nat_port false) ; Core/Model.inc get_fields (get_object_vars: declaration order, nat_port before static_nat_port)",
			test: t("OutboundNATMapping", "test_static_nat_port_in_pfctl"),
			note: "nat_port is validated before static_nat_port gets its default, so its condition sees null unless the request sets static_nat_port false; stored, the empty nat_port reads back empty",
			steps: []step{post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"127.6.0.1","target_subnet":24,"static_nat_port":true}`).sub(`{"static_nat_port":true,"nat_port":null}`),
				post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"127.6.0.1","target_subnet":24}`).sub(`{"static_nat_port":false,"nat_port":null}`),
				post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"127.6.0.1","target_subnet":24,"static_nat_port":false}`).sub(`{"static_nat_port":false,"nat_port":""}`),
				get(obURL + "?id=2").sub(`{"static_nat_port":false,"nat_port":""}`)}},
		{area: "models", name: "an outbound mapping moves to a subnet target with a port range and round-robin", src: ob + "target_subnet, nat_port (PortField internal_range_char :), poolopts, validate_poolopts", test: t("OutboundNATMapping", "test_crud"),
			steps: []step{post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"wan:ip"}`),
				patch(obURL, `{"id":0,"interface":"lan","source":"lan","destination":"127.5.0.1/24","target":"127.3.0.0","target_subnet":24,"nat_port":"2000:3000","poolopts":"round-robin"}`).
					sub(`{"interface":"lan","source":"lan","target":"127.3.0.0","target_subnet":24,"nat_port":"2000:3000","poolopts":"round-robin"}`),
				get(obURL + "?id=0").sub(`{"target":"127.3.0.0","target_subnet":24,"nat_port":"2000:3000","poolopts":"round-robin"}`)}},
		{area: "models", name: "a source-hash pool without a key gets a random 16-byte one", src: ob + "source_hash_key (default '0x' . bin2hex(openssl_random_pseudo_bytes(16)), conditions poolopts source-hash)", test: t("OutboundNATMapping", "test_source_hash_key"),
			steps: []step{post(obURL, `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"127.6.0.1","target_subnet":24,"poolopts":"source-hash"}`).sub(`{"poolopts":"source-hash"}`).then(func(t *testing.T, r result) {
				if k, _ := r.field("source_hash_key").(string); !regexp.MustCompile(`^0x[0-9a-f]{32}$`).MatchString(k) {
					t.Errorf("source_hash_key %q is not 0x and 32 hex digits", k)
				}
			})}},

		// --- RoutingGatewayGroup, RoutingGatewayGroupPriority ---
		{area: "routing", name: "a gateway group needs at least one priority", src: "Models/RoutingGatewayGroup.inc priorities (NestedModelField many) ; Core/Field.inc check_many_value_length", test: t("RoutingGatewayGroup", "test_priorities_required"),
			steps: []step{post(groupURL, `{"name":"testgwgroup","trigger":"down","descr":"Test Gateway Group","priorities":[]}`).is(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "Field `priorities` must contain a minimum of 1 entries.")}},
		{area: "routing", name: "a gateway group's priorities are created, updated and deleted one by one", src: "Models/RoutingGatewayGroupPriority.inc (parent_model_class RoutingGatewayGroup)", test: t("RoutingGatewayGroupPriority", "test_crud"),
			steps: []step{post(groupURL, `{"name":"testgwgroup","trigger":"down","descr":"Test Gateway Group","priorities":[{"gateway":"WAN_DHCP","tier":1}]}`),
				post(prioURL, `{"parent_id":0,"gateway":"DMZ_GW","tier":2}`).sub(`{"parent_id":0,"id":1,"gateway":"DMZ_GW","tier":2,"virtual_ip":"address"}`),
				patch(prioURL, `{"parent_id":0,"id":1,"tier":3}`).sub(`{"id":1,"tier":3}`),
				get(groupURL + "?id=0").sub(`{"priorities":[{"gateway":"WAN_DHCP","tier":1},{"gateway":"DMZ_GW","tier":3}]}`),
				del(prioURL + "?parent_id=0&id=1"),
				get(groupURL + "?id=0").not(`"DMZ_GW"`).sub(`{"priorities":[{"gateway":"WAN_DHCP","tier":1}]}`)}},

		// --- StaticRoute ---
		{area: "routing", name: "a static route can be updated before it is applied", src: "Models/StaticRoute.inc pre_apply_update, serialize_route (no staticroute_<id> file yet)", test: t("StaticRoute", "test_update_static_route_before_its_applied"),
			note: "regression test for the package's issue #654",
			steps: []step{post(gatewayURL, `{"name":"TESTGW","interface":"lan","ipprotocol":"inet","gateway":"192.168.1.10"}`),
				post(staticRouteURL, `{"network":"1.2.3.4/32","gateway":"TESTGW"}`).sub(`{"id":1,"network":"1.2.3.4/32"}`),
				patch(staticRouteURL, `{"id":1,"network":"4.3.2.1/32"}`).sub(`{"id":1,"network":"4.3.2.1/32","gateway":"TESTGW"}`),
				del(staticRouteURL + "?id=1")}},
	}
}

// netCasesV10 are the behaviours of these tests that only v2.10.0 has.
func netCasesV10(v10 bool) []ccase {
	if !v10 {
		return nil
	}
	return []ccase{
		{area: "models", name: "a pf table carries its name (v2.10.0)", src: "Models/Table.inc __construct (name), get_tables ('name' => $table_name)", test: "Tests/APIModelsTableTestCase.inc test_read",
			note: "v2.10.0 added the name field (a dynamic property, after entries); v2.7.1 has entries only",
			steps: []step{get("/api/v2/diagnostics/table?id=bogons").sub(`{"id":"bogons","name":"bogons"}`),
				get("/api/v2/diagnostics/tables").sub(`[{"id":"web_servers","name":"web_servers"},{"id":"sshguard","name":"sshguard"}]`)}},
	}
}
