package simulator_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// dhcpUsersCases translate the package's tests of DHCP servers, their pools, static mappings
// and custom options, users and groups, the REST API settings and access list, and the
// field and validator classes they use (Fields/FilterAddressField, SpecialNetworkField,
// ForeignModelField, Validators/*), each through a model whose endpoint uses the class. The
// tests that read dhcpd.conf, kea-dhcp4.conf or /etc/passwd are translated to what the same
// requests store or change over HTTP. The seed: the LAN DHCP server (192.168.1.100-199, a
// static mapping at 192.168.1.10), the aliases web_servers (host), admin_nets (network) and
// web_ports (port), groups all and admins (scope system). The same logic in v2.7.1 and v2.10.0.
func dhcpUsersCases() []ccase {
	tf := func(file, method string) string { return "Tests/" + file + "TestCase.inc " + method }
	tm := func(model, method string) string { return tf("APIModels"+model, method) }
	tv := func(v, method string) string { return tf("APIValidators"+v+"Validator", method) }
	tds := func(method string) string { return tm("DHCPServer", method) }
	tdp := func(method string) string { return tm("DHCPServerAddressPool", method) }
	tdo := func(method string) string { return tm("DHCPServerCustomOption", method) }
	tsm := func(method string) string { return tm("DHCPServerStaticMapping", method) }
	tacl := func(method string) string { return tm("RESTAPIAccessListEntry", method) }
	tfa := func(method string) string { return tf("APIFieldsFilterAddressField", method) }
	tsn := func(method string) string { return tf("APIFieldsSpecialNetworkField", method) }
	ds, dp, do, dsm := "Models/DHCPServer.inc ", "Models/DHCPServerAddressPool.inc ", "Models/DHCPServerCustomOption.inc ", "Models/DHCPServerStaticMapping.inc "
	fa, sn := "Fields/FilterAddressField.inc validate_extra", "Fields/SpecialNetworkField.inc validate_extra"
	v := "Validators/"

	srv, pool, pools := "/api/v2/services/dhcp_server", "/api/v2/services/dhcp_server/address_pool", "/api/v2/services/dhcp_server/address_pools"
	opt, smap, smaps := "/api/v2/services/dhcp_server/custom_option", "/api/v2/services/dhcp_server/static_mapping", "/api/v2/services/dhcp_server/static_mappings"
	backend, vip := "/api/v2/services/dhcp_server/backend", "/api/v2/firewall/virtual_ip"
	user, group, groups := "/api/v2/user", "/api/v2/user/group", "/api/v2/user/groups"
	settings, cron := "/api/v2/system/restapi/settings", "/api/v2/services/cron/job"
	acl, aclEntry, sched := "/api/v2/system/restapi/access_list", "/api/v2/system/restapi/access_list/entry", "/api/v2/firewall/schedule"
	rule, outbound, oneToOne, portFwd := "/api/v2/firewall/rule", "/api/v2/firewall/nat/outbound/mapping", "/api/v2/firewall/nat/one_to_one/mapping", "/api/v2/firewall/nat/port_forward"
	phase2, ovpn, logs := "/api/v2/vpn/ipsec/phase2", "/api/v2/vpn/openvpn/server", "/api/v2/status/logs/settings"
	version := "/api/v2/system/version"

	lan := func(extra string) string { return `{"id":"lan",` + extra + `}` }
	option := func(number int, typ, value string) string {
		b, _ := json.Marshal(map[string]any{"parent_id": "lan", "number": number, "type": typ, "value": value})
		return string(b)
	}
	optBad := func(typ, value, id, msg string) step {
		return post(opt, option(224, typ, value)).is(400, id, msg)
	}
	mapping := func(extra string) string { return `{"parent_id":"lan","mac":"11:22:33:44:55:66",` + extra + `}` }
	rb := func(proto, src, dst string) string {
		return `{"type":"pass","interface":["lan"],"ipprotocol":"` + proto + `","source":"` + src + `","destination":"` + dst + `"}`
	}
	ob := func(src, dst string) string {
		return `{"interface":"wan","source":"` + src + `","destination":"` + dst + `","target":"wan:ip"}`
	}
	oo := func(external, src string) string {
		return `{"interface":"wan","external":"` + external + `","source":"` + src + `","destination":"any"}`
	}
	pf := func(target string) string {
		return `{"interface":"wan","protocol":"tcp","source":"any","destination":"wan:ip","destination_port":"8443","target":"` + target + `","local_port":"443"}`
	}
	ruleAll := "an existing interface, an IP address, a subnet CIDR, an existing alias, `any`, `(self)`, `l2tp`, `pppoe`"
	obSrc := "an existing interface, a subnet CIDR, an existing alias, `any`, `(self)`, `pppoe`"
	ooSrc := "an existing interface, an IP address, a subnet CIDR, `any`, `l2tp`, `pppoe`"
	faBad := func(field, value, opts string) string {
		return "Field `" + field + "` value `" + value + "` is invalid. Valid options are: " + opts
	}
	ipBad := func(field, kind, value string) string {
		return "Field `" + field + "` must be a valid " + kind + ", received `" + value + "`."
	}
	snBad := faBad
	p2Local := "an existing interface, `address`, `network`"
	p2Remote := "`address`, `network`"
	pfTarget := "an IP address, an existing alias"

	// Values one step saves for a later one (steps run in order).
	saved := map[string]any{}
	save := func(name string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) { saved[name] = r.field(name) }
	}
	same := func(name string, want bool) func(t *testing.T, r result) {
		return func(t *testing.T, r result) {
			got := r.field(name)
			if (got == saved[name]) != want {
				t.Errorf("%s = %v, saved %v: want equal %v", name, got, saved[name], want)
			}
		}
	}
	allSystem := func(t *testing.T, r result) {
		scopes := r.column("scope")
		if len(scopes) == 0 {
			t.Fatalf("no groups left: %s", r.raw)
		}
		for _, s := range scopes {
			if s != "system" {
				t.Errorf("a group of scope %v survived PUT []: %s", s, r.raw)
			}
		}
	}
	// The access-list cases run at 12:00 UTC on 2 June 2026.
	june2 := simulator.Options{Now: func() time.Time { return time.Date(2026, 6, 2, 12, 0, 0, 0, time.UTC) }}
	hex := func(n int) string { return strings.Repeat("ab", n) }

	return []ccase{
		// DHCPServer (Tests/APIModelsDHCPServerTestCase.inc).
		{area: "dhcp", name: "dhcpd leaves the service list while no DHCP server is enabled", src: ds + "apply ; pfSense service-utils.inc get_services (dhcp_is_backend isc and is_dhcp_server_enabled)", test: tds("test_enable_controls_dhcpd_process"),
			note: "the test reads `ps aux`; over HTTP the service list shows dhcpd only while a server is enabled (the seed's LAN server is the only one)",
			steps: []step{patch(srv, lan(`"enable":false`)).sub(`{"enable":false}`), get("/api/v2/status/services").not(`"name":"dhcpd"`),
				patch(srv, lan(`"enable":true`)), post(srv+"/apply", ""), get("/api/v2/status/services").sub(`{"name":"dhcpd","status":true}`)}},
		{area: "dhcp", name: "the DHCP server's flags and denyunknown are stored as given", src: ds + "__construct (BooleanField indicates_true yes, denyunknown choices enabled/class, allow_null)",
			test: tds("test_ignorebootp_set_dhcpd_ignore_bootp ; test_denyunknown_sets_dhcpd_deny ; test_ignoreclientuids_sets_dhcpd_ignore_client_uids ; test_disablepingcheck_sets_dhcpd_ping_check"),
			note: "the tests read dhcpd.conf; what shows over HTTP is the stored value each update leaves",
			steps: []step{patch(srv, lan(`"ignorebootp":true,"ignoreclientuids":true,"disablepingcheck":true,"denyunknown":"enabled"`)).sub(`{"ignorebootp":true,"ignoreclientuids":true,"disablepingcheck":true,"denyunknown":"enabled"}`),
				patch(srv, lan(`"denyunknown":"class"`)).sub(`{"denyunknown":"class"}`),
				patch(srv, lan(`"ignorebootp":false,"ignoreclientuids":false,"disablepingcheck":false,"denyunknown":null`)).sub(`{"ignorebootp":false,"ignoreclientuids":false,"disablepingcheck":false,"denyunknown":null}`),
				get(srv + "?id=lan").sub(`{"ignorebootp":false,"disablepingcheck":false,"denyunknown":null}`)}},
		{area: "dhcp", name: "the DHCP server's address lists are stored as given", src: ds + "__construct (winsserver, dnsserver, ntpserver, mac_allow, mac_deny, domainsearchlist)",
			test: tds("test_winsserver_sets_dhcpd_netbios_nameservers ; test_dnsserver_sets_dhcpd_dns_servers ; test_ntpserver_sets_dhcpd_ntp_servers ; test_mac_allow_sets_dhcpd_allow_members ; test_mac_deny_sets_dhcpd_deny_members ; test_domainsearchlist_sets_dhcpd_domain_search"),
			note: "the tests read dhcpd.conf; what shows over HTTP is the stored value",
			steps: []step{patch(srv, lan(`"winsserver":["192.168.1.100","192.168.1.101"],"dnsserver":["192.168.1.100","192.168.1.101"],"ntpserver":["192.168.1.100","192.168.1.101"]`)).
				sub(`{"winsserver":["192.168.1.100","192.168.1.101"],"dnsserver":["192.168.1.100","192.168.1.101"],"ntpserver":["192.168.1.100","192.168.1.101"]}`),
				patch(srv, lan(`"mac_allow":["11:22:33:aa:bb:cc"],"mac_deny":["11:22:33:aa:bb:cc"],"domainsearchlist":["example.com"]`)).
					sub(`{"mac_allow":["11:22:33:aa:bb:cc"],"mac_deny":["11:22:33:aa:bb:cc"],"domainsearchlist":["example.com"]}`),
				get(srv + "?id=lan").sub(`{"winsserver":["192.168.1.100","192.168.1.101"],"domainsearchlist":["example.com"]}`)}},
		{area: "dhcp", name: "the DHCP server's range, gateway, domain, lease times and failover peer are stored as given", src: ds + "__construct ; validate_range_from, validate_range_to, validate_gateway, validate_maxleasetime",
			test: tds("test_range_from_and_range_to_sets_dhcpd_range ; test_gateway_sets_dhcpd_router ; test_domain_sets_dhcpd_domain_name ; test_defaultleasetime_sets_dhcpd_default_lease_time ; test_maxleasetime_sets_dhcpd_max_lease_time ; test_failover_peerip_sets_dhcpd_peer_address"),
			note: "the tests read dhcpd.conf; what shows over HTTP is the stored value",
			steps: []step{patch(srv, lan(`"range_from":"192.168.1.105","range_to":"192.168.1.108"`)).sub(`{"range_from":"192.168.1.105","range_to":"192.168.1.108"}`),
				patch(srv, lan(`"gateway":"192.168.1.2","domain":"example.com"`)).sub(`{"gateway":"192.168.1.2","domain":"example.com"}`),
				patch(srv, lan(`"defaultleasetime":7201`)).sub(`{"defaultleasetime":7201}`),
				patch(srv, lan(`"maxleasetime":86401`)).sub(`{"maxleasetime":86401}`),
				patch(srv, lan(`"failover_peerip":"192.168.1.2"`)).sub(`{"failover_peerip":"192.168.1.2"}`),
				get(srv + "?id=lan").sub(`{"range_from":"192.168.1.105","range_to":"192.168.1.108","gateway":"192.168.1.2","domain":"example.com","defaultleasetime":7201,"maxleasetime":86401,"failover_peerip":"192.168.1.2"}`)}},
		{area: "dhcp", name: "an interface without a DHCP server config has no DHCP server", src: ds + "__construct (config_path dhcpd; no initialization for other interfaces)", test: tds("test_non_static_interfaces_exempt_from_dhcp_server_initialization"),
			note: "the test sets opt1 to pppoe and checks no dhcpd/opt1 entry appears; the seed's wan is a DHCP client and has none",
			steps: []step{get("/api/v2/services/dhcp_servers").has(`"id":"lan"`).not(`"id":"wan"`),
				get(srv+"?id=wan").is(404, "MODEL_OBJECT_NOT_FOUND", "")}},
		{area: "dhcp", name: "a DHCP server can be created and deleted for a new static interface", src: ds + "get_next_id (the interface's id) ; Core/Model.inc create, delete", test: tds("test_dhcp_server_create_and_delete_for_new_interface"),
			note: "the test assigns a spare NIC; the seed has none free, so a VLAN on em1 is assigned (opt2) and applied, since the range checks read the interface's current address (get_interface_ip)",
			steps: []step{post("/api/v2/interface/vlan", `{"if":"em1","tag":10}`),
				post("/api/v2/interface", `{"if":"em1.10","descr":"TESTIF","enable":true,"typev4":"static","ipaddr":"192.168.2.1","subnet":24}`).sub(`{"id":"opt2"}`),
				post("/api/v2/interface/apply", ""),
				post(srv, `{"interface":"opt2","range_from":"192.168.2.10","range_to":"192.168.2.15"}`).sub(`{"id":"opt2","range_from":"192.168.2.10","range_to":"192.168.2.15"}`),
				del(srv + "?id=opt2").sub(`{"id":"opt2"}`), get("/api/v2/services/dhcp_servers").not(`"id":"opt2"`),
				del("/api/v2/interface?id=opt2")}},

		// DHCPServerAddressPool (Tests/APIModelsDHCPServerAddressPoolTestCase.inc).
		{area: "dhcp", name: "a pool cannot hold a virtual IP (409)", src: dp + "validate_extra (get_range_overlap)", test: tdp("test_address_pool_cannot_overlap_vip"),
			steps: []step{post(vip, `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.205","subnet_bits":24}`),
				post(pool, `{"parent_id":"lan","range_from":"192.168.1.205","range_to":"192.168.1.230"}`).is(409, "DHCP_SERVER_ADDRESS_POOL_OVERLAPS_EXISTING_OBJECT",
					"This DHCP server address pool overlaps with Virtual IP object with ID `0`. Adjust your `range_from` and `range_to` values.")}},
		{area: "dhcp", name: "a pool's range_to lies inside the interface's subnet", src: dp + "validate_range_to (is_inrange_v4)", test: tdp("test_range_to_must_be_ip_within_interfaces_subnet"),
			steps: []step{post(pool, `{"parent_id":"lan","range_from":"192.168.1.200","range_to":"192.168.2.200"}`).is(400, "DHCP_SERVER_ADDRESS_POOL_RANGE_TO_OUTSIDE_OF_SUBNET",
				"DHCP server `range_to` must lie within the interface`s subnet.")}},
		{area: "dhcp", name: "a pool's maxleasetime cannot be below its defaultleasetime", src: dp + "validate_maxleasetime", test: tdp("test_maxleasetime_cannot_be_less_than_defaultleasetime"),
			steps: []step{post(pool, `{"parent_id":"lan","range_from":"192.168.1.200","range_to":"192.168.1.205","defaultleasetime":15000,"maxleasetime":14000}`).is(400, "DHCP_SERVER_ADDRESS_POOL_MAX_LEASE_TIME_LESS_THAN_DEFAULT",
				"DHCP server `maxleasetime` cannot be less than the `defaultleasetime`")}},
		{area: "dhcp", name: "a pool with every option is created, updated and deleted (ISC backend)", src: dp + "__construct ; Models/DHCPServerBackend.inc", test: tdp("test_crud_dhcpd"),
			note: "the test reads dhcpd.conf after each step; over HTTP the stored pool is what shows",
			steps: []step{patch(backend, `{"dhcpbackend":"isc"}`),
				post(pool, `{"parent_id":"lan","range_from":"192.168.1.200","range_to":"192.168.1.205","domain":"example.com","mac_allow":["00:11:22:33:44:55"],"mac_deny":["55:44:33:22:11:00"],"domainsearchlist":["example.com"],"defaultleasetime":7201,"maxleasetime":86401,"gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"winsserver":["127.0.0.43"],"ntpserver":["127.0.0.123"],"ignorebootp":true,"ignoreclientuids":true,"denyunknown":"enabled"}`).
					sub(`{"parent_id":"lan","id":0,"range_from":"192.168.1.200","range_to":"192.168.1.205","domain":"example.com","mac_allow":["00:11:22:33:44:55"],"mac_deny":["55:44:33:22:11:00"],"domainsearchlist":["example.com"],"defaultleasetime":7201,"maxleasetime":86401,"gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"winsserver":["127.0.0.43"],"ntpserver":["127.0.0.123"],"ignorebootp":true,"ignoreclientuids":true,"denyunknown":"enabled"}`),
				patch(pool, `{"parent_id":"lan","id":0,"range_from":"192.168.1.205","range_to":"192.168.1.210","domain":"new.example.com","mac_allow":["55:44:33:22:11:00"],"mac_deny":["00:11:22:33:44:55"],"domainsearchlist":["new.example.com"],"defaultleasetime":7205,"maxleasetime":86405,"gateway":"192.168.1.5","dnsserver":["127.0.1.53"],"winsserver":["127.0.1.43"],"ntpserver":["127.0.1.123"],"ignorebootp":false,"ignoreclientuids":false,"denyunknown":"class"}`).
					sub(`{"range_from":"192.168.1.205","range_to":"192.168.1.210","domain":"new.example.com","mac_allow":["55:44:33:22:11:00"],"mac_deny":["00:11:22:33:44:55"],"domainsearchlist":["new.example.com"],"defaultleasetime":7205,"maxleasetime":86405,"gateway":"192.168.1.5","dnsserver":["127.0.1.53"],"winsserver":["127.0.1.43"],"ntpserver":["127.0.1.123"],"ignorebootp":false,"ignoreclientuids":false,"denyunknown":"class"}`),
				del(pool + "?parent_id=lan&id=0").sub(`{"range_from":"192.168.1.205"}`),
				get(pools + "?parent_id=lan").has(`"data":[]`)}},
		{area: "dhcp", name: "a pool is created, updated and deleted with the Kea backend", src: dp + "__construct ; Models/DHCPServerBackend.inc", test: tdp("test_crud_kea"),
			note: "the test reads kea-dhcp4.conf after each step; over HTTP the stored pool is what shows",
			steps: []step{patch(backend, `{"dhcpbackend":"kea"}`).sub(`{"dhcpbackend":"kea"}`),
				post(pool, `{"parent_id":"lan","range_from":"192.168.1.200","range_to":"192.168.1.205","domain":"example.com","mac_allow":["00:11:22:33:44:55"],"mac_deny":["55:44:33:22:11:00"],"domainsearchlist":["example.com"],"gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"ntpserver":["127.0.0.123"]}`).
					sub(`{"id":0,"range_from":"192.168.1.200","range_to":"192.168.1.205","gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"ntpserver":["127.0.0.123"],"domainsearchlist":["example.com"]}`),
				patch(pool, `{"parent_id":"lan","id":0,"range_from":"192.168.1.205","range_to":"192.168.1.210","domainsearchlist":["new.example.com"],"gateway":"192.168.1.5","dnsserver":["127.0.1.53"],"ntpserver":["127.0.1.123"]}`).
					sub(`{"range_from":"192.168.1.205","range_to":"192.168.1.210","domainsearchlist":["new.example.com"],"gateway":"192.168.1.5","dnsserver":["127.0.1.53"],"ntpserver":["127.0.1.123"]}`),
				del(pool + "?parent_id=lan&id=0"), get(pools + "?parent_id=lan").has(`"data":[]`)}},

		// DHCPServerCustomOption (Tests/APIModelsDHCPServerCustomOptionTestCase.inc).
		{area: "dhcp", name: "a string option is quoted or hex", src: do + "validate_value", test: tdo("test_validate_value_with_bad_string_type_value"),
			steps: []step{optBad("string", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_STRING_OR_HEX_STRING_WITH_STRING_TYPE",
				"Field `value` must be a string enclosed in quotes or a hex string when the type is set to `string`."),
				post(opt, option(225, "string", `"This is a good value."`)).sub(`{"number":225,"value":"\"This is a good value.\""}`),
				post(opt, option(226, "string", "00:11:22:33:44:55")).sub(`{"number":226,"value":"00:11:22:33:44:55"}`)}},
		{area: "dhcp", name: "a boolean option is true, false, on or off", src: do + "validate_value", test: tdo("test_validate_value_with_bad_boolean_type_value"),
			steps: []step{optBad("boolean", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_ONE_OF_BOOLEAN_OPTIONS_WITH_BOOLEAN_TYPE",
				"Field `value` must be one of the following: [true, false, on, off] when the type is set to `boolean`."),
				post(opt, option(225, "boolean", "true")), post(opt, option(226, "boolean", "false")),
				post(opt, option(227, "boolean", "on")), post(opt, option(228, "boolean", "off"))}},
		{area: "dhcp", name: "an unsigned integer 16 option is 0 to 65535", src: do + "validate_value", test: tdo("test_validate_value_with_bad_unsigned_integer_16_type_value"),
			steps: []step{optBad("unsigned integer 16", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_UNSIGNED_INTEGER_16_TYPE",
				"Field `value` must be a number between 0 and 65535 when the type is set to `unsigned integer 16`."),
				optBad("unsigned integer 16", "65536", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_UNSIGNED_INTEGER_16_TYPE", ""),
				post(opt, option(225, "unsigned integer 16", "65535")).sub(`{"value":"65535"}`)}},
		{area: "dhcp", name: "an unsigned integer 32 option is 0 to 4294967295", src: do + "validate_value", test: tdo("test_validate_value_with_bad_unsigned_integer_32_type_value"),
			steps: []step{optBad("unsigned integer 32", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_UNSIGNED_INTEGER_32_TYPE",
				"Field `value` must be a number between 0 and 4294967295 when the type is set to `unsigned integer 32`."),
				optBad("unsigned integer 32", "4294967296", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_UNSIGNED_INTEGER_32_TYPE", ""),
				post(opt, option(225, "unsigned integer 32", "4294967295")).sub(`{"value":"4294967295"}`)}},
		{area: "dhcp", name: "a signed integer 8 option is -128 to 127", src: do + "validate_value", test: tdo("test_validate_value_with_bad_signed_integer_8_type_value"),
			steps: []step{optBad("signed integer 8", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_SIGNED_INTEGER_8_TYPE",
				"Field `value` must be a number between -128 and 127 when the type is set to `signed integer 8`."),
				optBad("signed integer 8", "-129", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_SIGNED_INTEGER_8_TYPE", ""),
				post(opt, option(225, "signed integer 8", "-128")).sub(`{"value":"-128"}`)}},
		{area: "dhcp", name: "a signed integer 16 option is a number", src: do + "validate_value", test: tdo("test_validate_value_with_bad_signed_integer_16_type_value"),
			steps: []step{optBad("signed integer 16", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_SIGNED_INTEGER_16_TYPE",
				"Field `value` must be a number between -32768 and 32767 when the type is set to `signed integer 16`."),
				optBad("signed integer 16", "32768", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_SIGNED_INTEGER_16_TYPE", ""),
				post(opt, option(225, "signed integer 16", "-32768"))}},
		{area: "dhcp", name: "a signed integer 32 option is -2147483648 to 2147483647", src: do + "validate_value", test: tdo("test_validate_value_with_bad_signed_integer_32_type_value"),
			steps: []step{optBad("signed integer 32", "This is a bad value.", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_SIGNED_INTEGER_32_TYPE",
				"Field `value` must be a number between -2147483648 and 2147483647 when the type is set to `signed integer 32`."),
				optBad("signed integer 32", "-2147483649", "DHCP_SERVER_CUSTOM_OPTION_VALUE_MUST_BE_IN_RANGE_WITH_SIGNED_INTEGER_32_TYPE", ""),
				post(opt, option(225, "signed integer 32", "-2147483648")), post(opt, option(226, "signed integer 32", "2147483647"))}},

		// DHCPServerStaticMapping (Tests/APIModelsDHCPServerStaticMappingTestCase.inc).
		{area: "dhcp", name: "a static mapping cannot take a virtual IP's address (409)", src: dsm + "validate_ipaddr (get_ip_overlap)", test: tsm("test_ipaddr_cannot_overlap_vip"),
			steps: []step{post(vip, `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.205","subnet_bits":24}`),
				post(smap, mapping(`"ipaddr":"192.168.1.205"`)).is(409, "DHCP_SERVER_STATIC_MAPPING_IPADDR_OVERLAPS_EXISTING_OBJECT", "Field `ipaddr` overlaps existing Virtual IP with ID `0`.")}},
		{area: "dhcp", name: "a static mapping cannot lie in an address pool (409)", src: dsm + "validate_ipaddr (get_ip_overlap)", test: tsm("test_ipaddr_cannot_overlap_address_pool"),
			steps: []step{post(pool, `{"parent_id":"lan","range_from":"192.168.1.210","range_to":"192.168.1.215"}`),
				post(smap, mapping(`"ipaddr":"192.168.1.210"`)).is(409, "DHCP_SERVER_STATIC_MAPPING_IPADDR_OVERLAPS_EXISTING_OBJECT", "Field `ipaddr` overlaps existing DHCP Server Address Pool with ID `0`.")}},
		{area: "dhcp", name: "a static mapping's maxleasetime cannot be below its defaultleasetime", src: dsm + "validate_maxleasetime", test: tsm("test_maxleasetime_cannot_be_less_than_defaultleasetime"),
			steps: []step{post(smap, mapping(`"ipaddr":"192.168.1.205","defaultleasetime":3600,"maxleasetime":3000`)).is(400, "DHCP_SERVER_STATIC_MAPPING_MAX_LEASE_TIME_LESS_THAN_DEFAULT",
				"DHCP server `maxleasetime` cannot be less than the `defaultleasetime`")}},
		{area: "dhcp", name: "a static mapping's gateway lies inside the interface's subnet", src: dsm + "validate_gateway (ip_in_subnet of the current address)", test: tsm("test_gateway_must_be_within_interface_subnet"),
			steps: []step{post(smap, mapping(`"ipaddr":"192.168.1.205","gateway":"1.1.1.1"`)).is(400, "DHCP_SERVER_STATIC_MAPPING_GATEWAY_NOT_WITHIN_SUBNET", "DHCP server `gateway` must be within interface`s subnet.")}},
		{area: "dhcp", name: "a static mapping with every option is created, updated and deleted (ISC backend)", src: dsm + "__construct (sort_by ipaddr) ; Models/DHCPServerBackend.inc", test: tsm("test_crud_dhcpd"),
			note: "the test reads dhcpd.conf after each step; over HTTP the stored mapping is what shows; it sorts after the seed's 192.168.1.10, so its id is 1",
			steps: []step{patch(backend, `{"dhcpbackend":"isc"}`),
				post(smap, mapping(`"ipaddr":"192.168.1.215","cid":"test_cid","hostname":"test-hostname","domain":"example.com","domainsearchlist":["example.com"],"defaultleasetime":7200,"maxleasetime":86400,"gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"winsserver":["127.0.0.42"],"ntpserver":["127.0.0.123"],"arp_table_static_entry":true`)).
					sub(`{"id":1,"mac":"11:22:33:44:55:66","ipaddr":"192.168.1.215","cid":"test_cid","hostname":"test-hostname","domain":"example.com","domainsearchlist":["example.com"],"defaultleasetime":7200,"maxleasetime":86400,"gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"winsserver":["127.0.0.42"],"ntpserver":["127.0.0.123"],"arp_table_static_entry":true}`),
				patch(smap, `{"parent_id":"lan","id":1,"mac":"66:55:44:33:22:11","ipaddr":"192.168.1.216","cid":"new_test_cid","hostname":"new-hostname","domain":"new.example.com","domainsearchlist":["new.example.com"],"defaultleasetime":8000,"maxleasetime":90000,"gateway":"192.168.1.5","dnsserver":["127.0.1.53"],"winsserver":["127.0.1.42"],"ntpserver":["127.0.1.123"]}`).
					sub(`{"mac":"66:55:44:33:22:11","ipaddr":"192.168.1.216","cid":"new_test_cid","hostname":"new-hostname","domain":"new.example.com","domainsearchlist":["new.example.com"],"defaultleasetime":8000,"maxleasetime":90000,"gateway":"192.168.1.5","dnsserver":["127.0.1.53"],"winsserver":["127.0.1.42"],"ntpserver":["127.0.1.123"]}`),
				del(smap + "?parent_id=lan&id=1").sub(`{"mac":"66:55:44:33:22:11"}`),
				get(smaps + "?parent_id=lan").not("66:55:44:33:22:11").has(`"mac":"52:54:00:12:34:56"`)}},
		{area: "dhcp", name: "a static mapping is created and deleted with the Kea backend", src: dsm + "__construct ; Models/DHCPServerBackend.inc", test: tsm("test_crud_kea"),
			note: "the test reads the reservations of kea-dhcp4.conf; over HTTP the stored mapping is what shows",
			steps: []step{patch(backend, `{"dhcpbackend":"kea"}`),
				post(smap, mapping(`"ipaddr":"192.168.1.215","cid":"test_cid","hostname":"test-hostname","domain":"example.com","domainsearchlist":["example.com"],"gateway":"192.168.1.2","dnsserver":["127.0.0.53"],"winsserver":["127.0.0.42"],"ntpserver":["127.0.0.123"],"arp_table_static_entry":true`)).
					sub(`{"mac":"11:22:33:44:55:66","ipaddr":"192.168.1.215","hostname":"test-hostname","gateway":"192.168.1.2","winsserver":["127.0.0.42"]}`),
				del(smap + "?parent_id=lan&id=1"), get(smaps + "?parent_id=lan").not("11:22:33:44:55:66")}},

		// User (Tests/APIModelsUserTestCase.inc) and UserGroup (Tests/APIModelsUserGroupTestCase.inc).
		{area: "users", name: "a password is rehashed only when it changes", src: "Models/User.inc validate_password (initial_object->password !== password)", test: tm("User", "test_password_is_hashed"),
			note: "sending the stored hash back keeps it; sending a password, even the same one, hashes it anew (a new salt)",
			steps: []step{patch(settings, `{"expose_sensitive_fields":true}`),
				post(user, `{"name":"testuser","password":"testpasswd"}`).has(`"password":"$2y$`).not(`"password":"testpasswd"`).then(save("password")),
				patch(user, `{"id":2,"descr":"no password change"}`).then(same("password", true)),
				patch(user, `{"id":2,"password":"{prev.password}"}`).then(same("password", true)),
				patch(user, `{"id":2,"password":"testpasswd"}`).has(`"password":"$2y$`).then(same("password", false))}},
		{area: "users", name: "page-all is a known privilege", src: "Models/User.inc validate_priv ($priv_list)", test: tm("User", "test_correctly_identifies_valid_privs"),
			steps: []step{post(user, `{"name":"bt_priv","password":"pw","priv":["page-all"]}`).sub(`{"priv":["page-all"]}`)}},
		{area: "users", name: "a user is an OS account from its creation until it is renamed or deleted", src: "Models/User.inc apply_create, apply_update (local_user_del then local_user_set), apply_delete ; Models/CronJob.inc validate_who (posix_getpwnam)",
			test: tm("User", "test_etc_passwd"), note: "the test reads /etc/passwd; a cron job's `who` must be an account there, which shows it over HTTP",
			steps: []step{post(user, `{"name":"testuser","password":"testpasswd","descr":"Test User","authorizedkeys":"testkeys"}`),
				post(cron, `{"minute":"0","hour":"3","mday":"*","month":"*","wday":"*","who":"testuser","command":"/usr/bin/true"}`).sub(`{"who":"testuser"}`),
				patch(user, `{"id":2,"name":"testuserupdate","password":"testpasswdupdate","descr":"Test User Update","authorizedkeys":"testkeysupdate"}`).sub(`{"name":"testuserupdate"}`),
				post(cron, `{"minute":"0","hour":"4","mday":"*","month":"*","wday":"*","who":"testuser","command":"/usr/bin/true"}`).is(404, "CRON_JOB_WHO_USER_DOES_NOT_EXIST", "Field `who` must be an existing OS user. User `testuser` does not exist."),
				post(cron, `{"minute":"0","hour":"4","mday":"*","month":"*","wday":"*","who":"testuserupdate","command":"/usr/bin/true"}`),
				del(user + "?id=2"),
				post(cron, `{"minute":"0","hour":"5","mday":"*","month":"*","wday":"*","who":"testuserupdate","command":"/usr/bin/true"}`).is(404, "CRON_JOB_WHO_USER_DOES_NOT_EXIST", "")}},
		{area: "users", name: "a remote group's name may exceed 16 characters", src: "Models/UserGroup.inc validate_name (the 16-character limit is for scope local; maximum_length 64)", test: tm("UserGroup", "test_name_maximum_length"),
			steps: []step{post(group, `{"name":"this_name_is_too_long_for_a_local_group","scope":"local"}`).is(400, "USER_GROUP_NAME_EXCEEDS_MAXIMUM_LENGTH_FOR_LOCAL_SCOPE", "Field `name` must be 16 characters or less if `scope` is set to `local`."),
				post(group, `{"name":"this_name_is_too_long_for_a_local_group","scope":"remote"}`).sub(`{"name":"this_name_is_too_long_for_a_local_group","scope":"remote"}`)}},
		{area: "users", name: "a group's privileges are known privileges (404)", src: "Models/UserGroup.inc validate_priv ($priv_list)", test: tm("UserGroup", "test_validate_priv"),
			steps: []step{post(group, `{"name":"bt_g","priv":["not a real priv name"]}`).is(404, "USER_GROUP_PRIV_NOT_FOUND", "Field `priv` contains unknown privilege `not a real priv name`"),
				post(group, `{"name":"bt_g","priv":["page-all"]}`).sub(`{"priv":["page-all"]}`)}},
		{area: "users", name: "PUT of no groups leaves the system groups", src: "Core/Model.inc replace_all (protected_model_query scope system) ; Models/UserGroup.inc", test: tm("UserGroup", "test_cannot_delete_or_replace_system_scope_user_groups"),
			steps: []step{post(group, `{"name":"bt_local"}`), put(groups, `[]`), get(groups).not(`"name":"bt_local"`).then(allSystem),
				del(group+"?id=0").is(403, "MODEL_CANNOT_DELETE_PROTECTED_OBJECT", "")}},
		{area: "users", name: "a local group cannot become system scope; a system group stays system (422)", src: "Models/UserGroup.inc validate_scope (initial_object scope)", test: tm("UserGroup", "test_cannot_create_or_update_user_groups_with_system_scope"),
			note: "groups sort by name, so the new group is id 2 after admins and all",
			steps: []step{post(group, `{"name":"testgroup","scope":"local"}`).sub(`{"id":2,"name":"testgroup"}`),
				patch(group, `{"id":2,"scope":"system"}`).is(422, "USER_GROUP_SCOPE_CANNOT_BE_SET_TO_SYSTEM", "Field `scope` cannot be set to `system` as it is reserved for system-defined user groups only."),
				patch(group, `{"id":0,"scope":"system"}`).sub(`{"id":0,"scope":"system"}`)}},

		// RESTAPISettings (Tests/APIModelsAPISettingsTestCase.inc).

		// RESTAPIAccessListEntry (Tests/APIModelsRESTAPIAccessListEntryTestCase.inc).
		{area: "auth", name: "an access list entry's users are existing user names", src: "Models/RESTAPIAccessListEntry.inc get_user_choices ; Core/Field.inc check_value_choice", test: tacl("test_get_user_choices"),
			steps: []step{post(aclEntry, `{"type":"allow","network":"192.168.1.0/24","users":["admin"]}`).sub(`{"users":["admin"]}`),
				post(aclEntry, `{"type":"allow","network":"192.168.1.0/24","users":["nobody_here"]}`).is(400, "FIELD_INVALID_CHOICE", "")}},
		{area: "auth", name: "an access list entry's schedule is an existing schedule or none", src: "Models/RESTAPIAccessListEntry.inc get_schedule_choices ('' => None, then each schedule)", test: tacl("test_get_schedule_choices"),
			steps: []step{post(sched, `{"name":"test_schedule_1","timerange":[{"month":[1],"day":[1],"hour":"0:00-23:59"}]}`),
				post(aclEntry, `{"type":"allow","network":"192.168.1.0/24","sched":"test_schedule_1"}`).sub(`{"sched":"test_schedule_1"}`),
				post(aclEntry, `{"type":"allow","network":"192.168.1.0/24","sched":""}`).sub(`{"sched":""}`),
				post(aclEntry, `{"type":"allow","network":"192.168.1.0/24","sched":"no_such_schedule"}`).is(400, "FIELD_INVALID_CHOICE", "")}},
		{area: "auth", name: "an access list entry matches clients inside its network", src: "Models/RESTAPIAccessListEntry.inc is_ip_match (ip_in_subnet), is_allowed_by_acl ; Core/Endpoint.inc check_acl", test: tacl("test_is_ip_match"),
			note: "the table's client is 192.168.1.100",
			steps: []step{put(acl, `[{"type":"allow","network":"192.168.1.1/24"}]`), get(version),
				put(acl, `[{"type":"allow","network":"192.168.2.1/24"}]`), get(version).is(403, "ENDPOINT_CLIENT_NOT_ALLOWED_BY_ACL", "The requested action is not allowed by admin policy")}},
		{area: "auth", name: "an access list entry with users matches only them; one without matches everyone", src: "Models/RESTAPIAccessListEntry.inc is_user_match, is_allowed_by_acl ; Core/Endpoint.inc check_acl (after check_auth)",
			test: tacl("test_is_user_match ; test_is_allowed_by_acl_user_match"),
			steps: []step{post(user, `{"name":"not_admin","password":"pw","priv":["page-all"]}`),
				put(acl, `[{"type":"allow","network":"0.0.0.0/0","users":["admin"]}]`), get(version),
				get(version).as("basic:not_admin:pw").is(403, "ENDPOINT_CLIENT_NOT_ALLOWED_BY_ACL", ""),
				put(acl, `[{"type":"allow","network":"0.0.0.0/0","users":[]}]`), get(version), get(version).as("basic:not_admin:pw")}},
		{area: "auth", name: "an access list entry with an active schedule, or none, matches", src: "Models/RESTAPIAccessListEntry.inc is_schedule_active (empty sched: always; else the schedule's active)", test: tacl("test_is_schedule_active"),
			note: "the simulator's clock is 2 June 2026, 12:00 UTC; the inactive case is \"an entry with an inactive schedule does not match\"",
			opts: june2,
			steps: []step{post(sched, `{"name":"active_sched","timerange":[{"month":[6],"day":[2],"hour":"0:00-23:59"}]}`).sub(`{"active":true}`),
				put(acl, `[{"type":"allow","network":"0.0.0.0/0","sched":"active_sched"}]`), get(version),
				put(acl, `[{"type":"allow","network":"0.0.0.0/0","sched":""}]`), get(version)}},

		// FilterAddressField (Tests/APIFieldsFilterAddressFieldTestCase.inc), through firewall rules
		// (every option on), outbound NAT (no IP, :ip, invert or l2tp in source) and 1:1 NAT
		// (no alias or (self) in source).
		{area: "fields", name: "FilterAddressField: an IP address only where allow_ipaddr is on", src: fa + " (OutboundNATMapping.source allow_ipaddr false)", test: tfa("test_allow_ipaddr"),
			steps: []step{post(rule, rb("inet", "127.0.0.1", "any")).sub(`{"source":"127.0.0.1"}`),
				post(outbound, ob("192.168.1.5", "any")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "192.168.1.5", obSrc))}},
		{area: "fields", name: "FilterAddressField: a subnet is taken", src: fa + " (is_subnetv4)", test: tfa("test_allow_subnet"),
			note: "no model turns allow_subnet off; host bits may be set",
			steps: []step{post(rule, rb("inet", "127.0.0.1/24", "any")).sub(`{"source":"127.0.0.1/24"}`),
				post(outbound, ob("192.168.1.0/24", "any")).sub(`{"source":"192.168.1.0/24"}`)}},
		{area: "fields", name: "FilterAddressField: host and network aliases where allowed, port aliases never", src: fa + " (FirewallAlias type__except port ; OneToOneNATMapping.source allow_alias false)", test: tfa("test_allow_alias"),
			steps: []step{post(rule, rb("inet", "web_servers", "admin_nets")).sub(`{"source":"web_servers","destination":"admin_nets"}`),
				post(rule, rb("inet", "web_ports", "any")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "web_ports", ruleAll)),
				post(oneToOne, oo("198.51.100.50", "web_servers")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "web_servers", ooSrc))}},
		{area: "fields", name: "FilterAddressField: an interface is taken", src: fa + " (get_interface_choices)", test: tfa("test_allow_interface"),
			note:  "no model turns allow_interface off",
			steps: []step{post(rule, rb("inet", "wan", "lan")).sub(`{"source":"wan","destination":"lan"}`)}},
		{area: "fields", name: "FilterAddressField: (self) only where allow_self is on", src: fa + " (OneToOneNATMapping.source allow_self false)", test: tfa("test_allow_self"),
			steps: []step{post(outbound, ob("(self)", "any")).sub(`{"source":"(self)"}`),
				post(oneToOne, oo("198.51.100.50", "(self)")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "(self)", ooSrc))}},
		{area: "fields", name: "FilterAddressField: l2tp only where allow_l2tp is on", src: fa + " (OutboundNATMapping.source allow_l2tp false)", test: tfa("test_allow_l2tp"),
			steps: []step{post(rule, rb("inet", "l2tp", "any")).sub(`{"source":"l2tp"}`),
				post(outbound, ob("l2tp", "any")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "l2tp", obSrc))}},
		{area: "fields", name: "FilterAddressField: pppoe is taken", src: fa, test: tfa("test_allow_pppoe"),
			note:  "no model turns allow_pppoe off",
			steps: []step{post(rule, rb("inet", "pppoe", "any")).sub(`{"source":"pppoe"}`), post(outbound, ob("pppoe", "any")).sub(`{"source":"pppoe"}`)}},
		{area: "fields", name: "FilterAddressField: ! inverts only where allow_invert is on", src: fa + " (OutboundNATMapping.source allow_invert false: the ! stays in the value)", test: tfa("test_allow_invert"),
			steps: []step{post(rule, rb("inet", "!127.0.0.1", "any")).sub(`{"source":"!127.0.0.1"}`),
				post(outbound, ob("!192.168.1.0/24", "any")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "!192.168.1.0/24", obSrc)),
				post(outbound, ob("any", "!192.168.1.0/24")).sub(`{"destination":"!192.168.1.0/24"}`)}},
		{area: "fields", name: "FilterAddressField: :ip only after an interface and where allowed", src: fa + " (the :ip suffix is cut before the interface check; OutboundNATMapping.source allow_interface_ip false)", test: tfa("test_allow_interface_ip_modifier"),
			note: "for pppoe:ip the message names the value without its :ip",
			steps: []step{post(rule, rb("inet", "wan:ip", "any")).sub(`{"source":"wan:ip"}`),
				post(outbound, ob("wan:ip", "any")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "wan:ip", obSrc)),
				post(rule, rb("inet", "pppoe:ip", "any")).is(400, "FILTER_ADDRESS_FIELD_INVALID", faBad("source", "pppoe", ruleAll))}},
		{area: "fields", name: "FilterAddressField: every kind of value reads back as written", src: fa + " (labels) ; Fields/FilterAddressField.inc _to_internal, _from_internal", test: tfa("test_validate_extra_sets_labels"),
			note: "the labels choose the internal key (address for IPs, subnets and aliases, network for interfaces); a wrong one would read back differently",
			steps: []step{post(rule, rb("inet", "web_servers", "1.2.3.4")).sub(`{"source":"web_servers","destination":"1.2.3.4"}`),
				post(rule, rb("inet", "1.2.3.4/32", "lan")).sub(`{"source":"1.2.3.4/32","destination":"lan"}`),
				post(rule, rb("inet6", "1234::1", "1234::1/128")).sub(`{"source":"1234::1","destination":"1234::1/128"}`),
				get(rule + "?id={prev.id}").sub(`{"source":"1234::1","destination":"1234::1/128"}`)}},

		// SpecialNetworkField (Tests/APIFieldsSpecialNetworkFieldTestCase.inc), through 1:1 NAT
		// external (IP or interface:ip), port forward target (IP, alias or interface:ip) and
		// IPsec phase 2 ids (interface or keywords; remote: keywords only).
		{area: "fields", name: "SpecialNetworkField: IP addresses only where allow_ipaddr is on", src: sn + " (IPsecPhase2.localid_type allow_ipaddr false)", test: tsn("test_validate_ipaddr"),
			steps: []step{post(oneToOne, oo("127.0.0.1", "any")).sub(`{"external":"127.0.0.1"}`),
				patch(phase2, `{"id":0,"localid_type":"127.0.0.1"}`).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("localid_type", "127.0.0.1", p2Local))}},
		{area: "fields", name: "SpecialNetworkField: allowed keywords are taken, others are not", src: sn + " (allowed_keywords address, network)", test: tsn("test_validate_allowed_keywords"),
			steps: []step{patch(phase2, `{"id":0,"remoteid_type":"address","remoteid_address":"172.20.0.1"}`).sub(`{"remoteid_type":"address"}`),
				patch(phase2, `{"id":0,"remoteid_type":"not_an_allowed_keyword"}`).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("remoteid_type", "not_an_allowed_keyword", p2Remote))}},
		{area: "fields", name: "SpecialNetworkField: a subnet where allow_subnet is off", src: sn + " (OneToOneNATMapping.external allow_subnet false)", test: tsn("test_validate_subnet"),
			note:  "no model turns allow_subnet on",
			steps: []step{post(oneToOne, oo("127.0.0.1/24", "any")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("external", "127.0.0.1/24", "an IP address"))}},
		{area: "fields", name: "SpecialNetworkField: host and network aliases where allowed, port aliases never", src: sn + " (FirewallAlias type__except port ; OneToOneNATMapping.external allow_alias false)", test: tsn("test_validate_alias"),
			steps: []step{post(portFwd, pf("web_servers")).sub(`{"target":"web_servers"}`),
				post(portFwd, pf("web_ports")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("target", "web_ports", pfTarget)),
				post(oneToOne, oo("web_servers", "any")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("external", "web_servers", "an IP address"))}},
		{area: "fields", name: "SpecialNetworkField: (self), l2tp and pppoe where they are off", src: sn + " (PortForward.target allow_self, allow_l2tp, allow_pppoe false)",
			test: tsn("test_validate_self ; test_validate_l2tp ; test_validate_pppoe"), note: "no model turns them on",
			steps: []step{post(portFwd, pf("(self)")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("target", "(self)", pfTarget)),
				post(portFwd, pf("l2tp")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("target", "l2tp", pfTarget)),
				post(portFwd, pf("pppoe")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("target", "pppoe", pfTarget))}},
		{area: "fields", name: "SpecialNetworkField: an interface, without :ip, where allow_interface is on", src: sn + " (IPsecPhase2.localid_type interface only; remoteid_type no interface)", test: tsn("test_validate_interface"),
			steps: []step{patch(phase2, `{"id":0,"localid_type":"lan"}`).sub(`{"localid_type":"lan"}`),
				patch(phase2, `{"id":0,"localid_type":"lan:ip"}`).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("localid_type", "lan:ip", p2Local)),
				patch(phase2, `{"id":0,"remoteid_type":"lan"}`).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("remoteid_type", "lan", p2Remote))}},
		{area: "fields", name: "SpecialNetworkField: interface:ip, without a bare interface, where allow_interface_ip is on", src: sn + " (PortForward.target allow_interface false, allow_interface_ip true)", test: tsn("test_validate_interface_ip"),
			steps: []step{post(portFwd, pf("lan:ip")).sub(`{"target":"lan:ip"}`),
				post(portFwd, pf("lan")).is(400, "SPECIAL_NETWORK_FIELD_INVALID", snBad("target", "lan", pfTarget))}},

		// ForeignModelField (Tests/APIFieldsForeignModelFieldTestCase.inc).
		{area: "relations", name: "a foreign field finds child objects under any parent", src: "Fields/ForeignModelField.inc get_related_model, validate_extra (TrafficShaperQueue has a parent) ; Models/FirewallRule.inc defaultqueue, ackqueue", test: tf("APIFieldsForeignModelField", "test_foreign_models_with_parents"),
			steps: []step{post("/api/v2/firewall/traffic_shaper", `{"interface":"lan","scheduler":"FAIRQ","bandwidth":100,"bandwidthtype":"Mb","queue":[{"name":"TestQueue1","qlimit":50,"bandwidth":50,"bandwidthtype":"Mb"}]}`),
				post("/api/v2/firewall/traffic_shaper", `{"interface":"wan","scheduler":"FAIRQ","bandwidth":100,"bandwidthtype":"Mb","queue":[{"name":"TestQueue2","qlimit":50,"bandwidth":50,"bandwidthtype":"Mb"}]}`),
				post(rule, ruleBody(`"defaultqueue":"TestQueue2","ackqueue":"TestQueue1"`)).sub(`{"defaultqueue":"TestQueue2","ackqueue":"TestQueue1"}`)}},

		// Validators, through models that use them.
		{area: "validators", name: "IPAddressValidator with FQDNs: neither an IP nor an FQDN", src: v + "IPAddressValidator.inc validate (DHCPServer.failover_peerip allow_fqdn)", test: tv("IPAddress", "test_throw_response_for_non_ip_or_fqdn_value"),
			note:  "PHP's array union keeps only the first allowed kind in the message",
			steps: []step{patch(srv, lan(`"failover_peerip":"not an IP or FQDN!"`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("failover_peerip", "IPv4 address", "not an IP or FQDN!"))}},
		{area: "validators", name: "IPAddressValidator: IPv4 where allowed, not where allow_ipv4 is off", src: v + "IPAddressValidator.inc validate (DHCPServer.dnsserver IPv4 only ; InterfaceGRE.tunnel_local_addr6 IPv6 only)", test: tv("IPAddress", "test_ipv4_validation_value"),
			steps: []step{patch(srv, lan(`"dnsserver":["1.2.3.4"]`)).sub(`{"dnsserver":["1.2.3.4"]}`),
				post("/api/v2/interface/gre", `{"if":"wan","remote_addr":"198.51.100.1","tunnel_local_addr6":"1.2.3.4","tunnel_remote_addr6":"2001:db8::2","tunnel_remote_net6":64}`).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("tunnel_local_addr6", "IPv6 address", "1.2.3.4"))}},
		{area: "validators", name: "IPAddressValidator: IPv6 where allowed, not where allow_ipv6 is off", src: v + "IPAddressValidator.inc validate (InterfaceGRE.tunnel_local_addr6 ; DHCPServer.dnsserver)", test: tv("IPAddress", "test_ipv6_validation_value"),
			steps: []step{post("/api/v2/interface/gre", `{"if":"wan","remote_addr":"198.51.100.1","tunnel_local_addr6":"1234::1","tunnel_remote_addr6":"2001:db8::2","tunnel_remote_net6":64}`).sub(`{"tunnel_local_addr6":"1234::1"}`),
				patch(srv, lan(`"dnsserver":["1234::1"]`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("dnsserver", "IPv4 address", "1234::1"))}},
		{area: "validators", name: "IPAddressValidator: a keyword passes only when allowed, yet the DHCP gateway refuses none", src: v + "IPAddressValidator.inc validate (allow_keywords none) ; " + ds + "validate_gateway (is_ipv4_in_cidr('none') is false)", test: tv("IPAddress", "test_allow_keywords_validation"),
			note: "the gateway's help text offers `none`, which the validator lets through; validate_gateway then asks whether `none` is inside the interface's subnet, and it is not",
			steps: []step{patch(srv, lan(`"gateway":"test"`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("gateway", "IPv4 address", "test")),
				patch(srv, lan(`"gateway":"none"`)).is(400, "DHCP_SERVER_GATEWAY_NOT_WITHIN_SUBNET", "DHCP server `gateway` must be within interface`s subnet.")}},
		{area: "validators", name: "IPAddressValidator: alias names are no addresses where allow_alias is off", src: v + "IPAddressValidator.inc validate (DHCPServer.dnsserver: allow_alias false)",
			test: tv("IPAddress", "test_host_alias_ip_address_validator ; test_network_alias_ip_address_validator ; test_port_alias_ip_address_validator"),
			note: "no model turns allow_alias on for this validator, so only the refusals show",
			steps: []step{patch(srv, lan(`"dnsserver":["web_servers"]`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("dnsserver", "IPv4 address", "web_servers")),
				patch(srv, lan(`"dnsserver":["admin_nets"]`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("dnsserver", "IPv4 address", "admin_nets")),
				patch(srv, lan(`"dnsserver":["web_ports"]`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("dnsserver", "IPv4 address", "web_ports"))}},
		{area: "validators", name: "IPAddressValidator: IPv4, IPv6 and FQDN where all are allowed", src: v + "IPAddressValidator.inc validate (DHCPServer.failover_peerip, ntpserver)", test: tv("IPAddress", "test_ip_address_validator"),
			steps: []step{patch(srv, lan(`"failover_peerip":"1.2.3.4"`)).sub(`{"failover_peerip":"1.2.3.4"}`),
				patch(srv, lan(`"failover_peerip":"0::"`)).sub(`{"failover_peerip":"0::"}`),
				patch(srv, lan(`"failover_peerip":"www.example.com"`)).sub(`{"failover_peerip":"www.example.com"}`),
				patch(srv, lan(`"ntpserver":["www.example.com"]`)).sub(`{"ntpserver":["www.example.com"]}`)}},
		{area: "validators", name: "IPAddressValidator: a port suffix where allow_port is on, and a valid port", src: v + "IPAddressValidator.inc validate_port_suffix (LogSettings.remoteserver allow_port)", test: tv("IPAddress", "test_ip_address_validator_port_suffix"),
			steps: []step{patch(logs, `{"enableremotelogging":true,"remoteserver":"1.2.3.4:443"}`).sub(`{"remoteserver":"1.2.3.4:443"}`),
				patch(logs, `{"enableremotelogging":true,"remoteserver":"example.com:80"}`).sub(`{"remoteserver":"example.com:80"}`),
				patch(logs, `{"enableremotelogging":true,"remoteserver":"1.2.3.4:65536"}`).is(400, "IP_ADDRESS_VALIDATOR_INVALID_PORT_SUFFIX", "Field `remoteserver` contains an invalid port suffix `65536`."),
				patch(srv, lan(`"dnsserver":["1.2.3.4:80"]`)).is(400, "IP_ADDRESS_VALIDATOR_FAILED", ipBad("dnsserver", "IPv4 address", "1.2.3.4:80"))}},
		{area: "validators", name: "SubnetValidator: IPv4 subnets only where IPv6 is off", src: v + "SubnetValidator.inc validate (OpenVPNServer.tunnel_network IPv4 only)", test: tv("Subnet", "test_ipv4_subnet_validation"),
			steps: []step{patch(ovpn, `{"id":0,"tunnel_network":"not an IPv4!"}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `tunnel_network` must be a valid subnet CIDR, received `not an IPv4!`."),
				patch(ovpn, `{"id":0,"tunnel_network":"1234::/128"}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `tunnel_network` must be a valid subnet CIDR, received `1234::/128`."),
				patch(ovpn, `{"id":0,"tunnel_network":"10.9.8.0/24"}`).sub(`{"tunnel_network":"10.9.8.0/24"}`)}},
		{area: "validators", name: "SubnetValidator: IPv6 subnets only where IPv4 is off", src: v + "SubnetValidator.inc validate (OpenVPNServer.tunnel_networkv6 IPv6 only)", test: tv("Subnet", "test_ipv6_subnet_validation"),
			steps: []step{patch(ovpn, `{"id":0,"tunnel_networkv6":"not an IPv6!"}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `tunnel_networkv6` must be a valid subnet CIDR, received `not an IPv6!`."),
				patch(ovpn, `{"id":0,"tunnel_networkv6":"127.0.0.1/24"}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `tunnel_networkv6` must be a valid subnet CIDR, received `127.0.0.1/24`."),
				patch(ovpn, `{"id":0,"tunnel_networkv6":"fd00:1234::/64"}`).sub(`{"tunnel_networkv6":"fd00:1234::/64"}`)}},
		{area: "validators", name: "SubnetValidator: host and network aliases where allow_alias is on, port aliases never", src: v + "SubnetValidator.inc validate (OpenVPNServer.local_network allow_alias ; tunnel_network no alias)",
			test: tv("Subnet", "test_host_alias_subnet_validator ; test_network_alias_subnet_validator ; test_port_alias_subnet_validator"),
			steps: []step{patch(ovpn, `{"id":0,"local_network":["web_servers","admin_nets"]}`).sub(`{"local_network":["web_servers","admin_nets"]}`),
				patch(ovpn, `{"id":0,"local_network":["web_ports"]}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `local_network` must be a valid subnet CIDR, received `web_ports`."),
				patch(ovpn, `{"id":0,"tunnel_network":"admin_nets"}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `tunnel_network` must be a valid subnet CIDR, received `admin_nets`.")}},
		{area: "validators", name: "SubnetValidator: IPv4 and IPv6 subnets by default", src: v + "SubnetValidator.inc validate (RESTAPIAccessListEntry.network)", test: tv("Subnet", "test_subnet_validator"),
			note: "no model gives the validator keywords",
			steps: []step{post(aclEntry, `{"type":"allow","network":"1.2.3.4/24"}`).sub(`{"network":"1.2.3.4/24"}`),
				post(aclEntry, `{"type":"allow","network":"0::/128"}`).sub(`{"network":"0::/128"}`)}},
		{area: "validators", name: "HexValidator: the value has exactly the bytes asked, with or without 0x", src: v + "HexValidator.inc validate (OutboundNATMapping.source_hash_key: 16 bytes, hex prefix allowed)", note: "source-hash pools need an address or alias target (validate_poolopts)", test: tv("Hex", "test_hex_value_must_match_bytes_length"),
			steps: []step{post(outbound, `{"interface":"wan","source":"any","destination":"any","target":"198.51.100.9","target_subnet":32,"poolopts":"source-hash","source_hash_key":"0x`+hex(12)+`"}`).is(400, "HEX_VALIDATOR_VALUE_IS_NOT_EXPECTED_LENGTH", "Field `source_hash_key` must contain a hex value of 32 characters exactly."),
				post(outbound, `{"interface":"wan","source":"any","destination":"any","target":"198.51.100.9","target_subnet":32,"poolopts":"source-hash","source_hash_key":"0x`+hex(16)+`"}`).sub(`{"source_hash_key":"0x` + hex(16) + `"}`),
				post(outbound, `{"interface":"wan","source":"any","destination":"any","target":"198.51.100.9","target_subnet":32,"poolopts":"source-hash","source_hash_key":"`+hex(16)+`"}`)}},
		{area: "validators", name: "HostnameValidator: plain, dashed and dotted hostnames", src: v + "HostnameValidator.inc validate (is_hostname ; DHCPServerStaticMapping.hostname)", test: tv("Hostname", "test_validate"),
			steps: []step{post(smap, `{"parent_id":"lan","mac":"00:11:22:33:44:01","ipaddr":"192.168.1.20","hostname":"!!! NOT A HOSTNAME !!!"}`).is(400, "HOSTNAME_VALIDATOR_FAILED", "Field `hostname` must be a valid hostname, received `!!! NOT A HOSTNAME !!!`."),
				post(smap, `{"parent_id":"lan","mac":"00:11:22:33:44:01","ipaddr":"192.168.1.20","hostname":"hostname"}`).sub(`{"hostname":"hostname"}`),
				post(smap, `{"parent_id":"lan","mac":"00:11:22:33:44:02","ipaddr":"192.168.1.21","hostname":"also-a-hostname"}`).sub(`{"hostname":"also-a-hostname"}`),
				post(smap, `{"parent_id":"lan","mac":"00:11:22:33:44:03","ipaddr":"192.168.1.22","hostname":"also.a.hostname"}`).sub(`{"hostname":"also.a.hostname"}`)}},
		{area: "validators", name: "MACAddressValidator: hex digits in either case", src: v + "MACAddressValidator.inc validate (is_macaddr ; DHCPServerStaticMapping.mac)", test: tv("MACAddress", "test_mac_address_validator"),
			steps: []step{post(smap, `{"parent_id":"lan","mac":"00:13:10:00:00:00","ipaddr":"192.168.1.20"}`),
				post(smap, `{"parent_id":"lan","mac":"00:13:10:00:00:0a","ipaddr":"192.168.1.21"}`),
				post(smap, `{"parent_id":"lan","mac":"00:13:10:00:00:0A","ipaddr":"192.168.1.22"}`).sub(`{"mac":"00:13:10:00:00:0A"}`)}},
		{area: "validators", name: "RegexValidator: a pattern that must match, and an inverted one that must not", src: v + "RegexValidator.inc validate (User.name with error_msg ; UserGroup.name inverted)", test: tv("Regex", "test_regex_validator"),
			steps: []step{post(user, `{"name":"!@# no match #@!","password":"pw"}`).is(400, "REGEX_VALIDATOR_FAILED", "Field `name` failed regex validation. Value contains invalid characters."),
				post(user, `{"name":"matchespattern","password":"pw"}`).sub(`{"name":"matchespattern"}`),
				post(group, `{"name":"bad name!"}`).is(400, "REGEX_VALIDATOR_FAILED", "Field `name` failed regex validation. Value must not match pattern: `/[^a-zA-Z0-9\\.\\-_]/`."),
				post(group, `{"name":"matchespattern"}`).sub(`{"name":"matchespattern"}`)}},
		{area: "validators", name: "NumericRangeValidator: the bounds themselves are inside", src: v + "NumericRangeValidator.inc validate (DHCPServer.defaultleasetime minimum 60 ; DHCPServerCustomOption.number 1 to 254)", test: tv("NumericRange", "test_numeric_range_validator"),
			steps: []step{patch(srv, lan(`"defaultleasetime":59`)).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `defaultleasetime` must be greater than or equal to `60`. Received `59`"),
				patch(srv, lan(`"defaultleasetime":60`)).sub(`{"defaultleasetime":60}`),
				post(opt, option(255, "text", "x")).is(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `number` must be less than or equal to `254`. Received `255`"),
				post(opt, option(0, "text", "x")).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `number` must be greater than or equal to `1`. Received `0`"),
				post(opt, option(254, "text", "x")).sub(`{"number":254}`), post(opt, option(1, "text", "x")).sub(`{"number":1}`)}},
		{area: "validators", name: "LengthValidator: a list may hold its maximum, not one more", src: v + "LengthValidator.inc validate (many_maximum: DHCPServer.winsserver 2, dnsserver 4 ; DHCPServerStaticMapping.ntpserver 3)", test: tv("Length", "test_maximum_length_validator"),
			steps: []step{patch(srv, lan(`"winsserver":["192.168.1.2","192.168.1.3","192.168.1.4"]`)).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `winsserver` exceeds the maximum array length of 2."),
				patch(srv, lan(`"winsserver":["192.168.1.2","192.168.1.3"]`)).sub(`{"winsserver":["192.168.1.2","192.168.1.3"]}`),
				patch(srv, lan(`"dnsserver":["192.168.1.2","192.168.1.3","192.168.1.4","192.168.1.5","192.168.1.6"]`)).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `dnsserver` exceeds the maximum array length of 4."),
				patch(srv, lan(`"dnsserver":["192.168.1.2","192.168.1.3","192.168.1.4","192.168.1.5"]`)),
				post(smap, mapping(`"ipaddr":"192.168.1.20","ntpserver":["192.168.1.2","192.168.1.3","192.168.1.4","192.168.1.5"]`)).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `ntpserver` exceeds the maximum array length of 3."),
				post(smap, mapping(`"ipaddr":"192.168.1.20","ntpserver":["192.168.1.2","192.168.1.3","192.168.1.4"]`))}},
	}
}

// dhcpUsersCasesV10 holds the cases that hold in one version only (none so far).
func dhcpUsersCasesV10(v10 bool) []ccase {
	return nil
}
