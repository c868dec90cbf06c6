package simulator_test

import (
	"testing"
)

// fieldsCases are the field classes' and validators' behaviours (Fields/*.inc, Validators/*.inc)
// and the Core/Model.inc update, query and sort paths, each through a model endpoint where the
// package's own unit test (which builds the field in PHP) shows over HTTP: DateTimeField's
// format check, FloatField's double type, ForeignModelField's internal value, InterfaceField's
// choices and represent_interfaces_as, NestedModelField's sort and uniqueness, ObjectField on
// GraphQL variables, PortField's range and alias switches, the link-local check, append and
// remove, query before pagination and the config revision's user.
func fieldsCases() []ccase {
	tf := func(class, method string) string { return "Tests/APIFields" + class + "FieldTestCase.inc " + method }
	tv := func(class, method string) string {
		return "Tests/APIValidators" + class + "ValidatorTestCase.inc " + method
	}
	settings := "/api/v2/system/restapi/settings"
	limiter := "/api/v2/firewall/traffic_shaper/limiter"
	oneToOne := "/api/v2/firewall/nat/one_to_one/mapping"
	dhcp := "/api/v2/services/dhcp_server"
	pfBody := func(iface, dport, lport string) string {
		return `{"interface":"` + iface + `","protocol":"tcp","source":"any","destination":"any","destination_port":"` + dport + `","target":"192.168.1.10","local_port":"` + lport + `"}`
	}
	limBody := func(plr string) string {
		return `{"name":"bt_lim","aqm":"droptail","sched":"fifo","bandwidth":[{"bw":10,"bwscale":"Mb"}],"plr":` + plr + `}`
	}
	aliasHosts := func(want string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) {
			l, _ := r.field("aliases").([]any)
			hosts := make([]any, len(l))
			for i, o := range l {
				m, _ := o.(map[string]any)
				hosts[i] = m["host"]
			}
			eq(t, "alias hosts", hosts, want)
		}
	}
	return []ccase{
		// DateTimeField (User.expires, format m/d/Y).
		{area: "fields", name: "DateTimeField: an impossible date is refused, a real one is kept", src: "Fields/DateTimeField.inc is_valid_datetime (DateTime::createFromFormat, warnings), validate_extra ; Models/User.inc expires",
			test: tf("DateTime", "test_is_valid_datetime ; test_validate"),
			note: "createFromFormat rolls 13/31 and 02/30 over with a warning, which is_valid_datetime counts as invalid",
			steps: []step{post(userURL, `{"name":"bt_d1","password":"pw","expires":"13/31/1999"}`).is(400, "DATETIME_FIELD_MUST_MATCH_FORMAT", "Field `expires` must be a DateTime in format `m/d/Y`. Received `13/31/1999`"),
				post(userURL, `{"name":"bt_d2","password":"pw","expires":"02/30/2030"}`).is(400, "DATETIME_FIELD_MUST_MATCH_FORMAT", ""),
				post(userURL, `{"name":"bt_d3","password":"pw","expires":"12/31/1999"}`).sub(`{"name":"bt_d3","expires":"12/31/1999"}`)}},
		{area: "fields", name: "DateTimeField: m/d/Y takes months and days without leading zeros", src: "Fields/DateTimeField.inc is_valid_datetime (DateTime::createFromFormat) ; Models/User.inc expires",
			test:  tf("DateTime", "test_is_valid_datetime"),
			note:  "PHP's createFromFormat reads m and d as one or two digits (01 through 12 or 1 through 12), so 1/5/2030 parses without warnings and is stored as sent",
			steps: []step{post(userURL, `{"name":"bt_d4","password":"pw","expires":"1/5/2030"}`).sub(`{"name":"bt_d4","expires":"1/5/2030"}`)}},

		// FloatField (TrafficShaperLimiter.plr: minimum 0, maximum 1).
		{area: "fields", name: "FloatField: 1.0 is a double and answers as 1", src: "Fields/FloatField.inc (type double), _from_internal (floatval) ; ContentHandlers/JSONContentHandler.inc encode (json_encode without JSON_PRESERVE_ZERO_FRACTION)",
			test: tf("Float", "test_float_field_from_internal"),
			note: "json_decode makes 1.0 a float, so it passes the double check that 1 fails (\"a float field needs a fraction\"); json_encode drops the .0",
			steps: []step{post(limiter, limBody("1.0")).has(`"plr":1,`).not(`"plr":1.0`),
				get(limiter + "?id=0").has(`"plr":1,`)}},
		{area: "fields", name: "FloatField: its numeric range is always checked", src: "Fields/FloatField.inc __construct (NumericRangeValidator) ; Validators/NumericRangeValidator.inc validate ; Models/TrafficShaperLimiter.inc plr",
			test: tf("Float", "test_float_field_length_validator_default"),
			steps: []step{post(limiter, limBody("-0.5")).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `plr` must be greater than or equal to `0`. Received `-0.5`"),
				post(limiter, limBody("1.5")).is(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `plr` must be less than or equal to `1`. Received `1.5`")}},

		// ForeignModelField with model_field_internal.
		{area: "relations", name: "group members are stored by uid: a renamed user stays a member under the new name", src: "Fields/ForeignModelField.inc _to_internal, _from_internal (model_field_internal) ; Models/UserGroup.inc member (model_field name, model_field_internal uid)",
			test: tf("ForeignModel", "test_to_internal ; test_from_internal"),
			note: "the group stores alice's uid 2000 and reads the name of the user with that uid; User::apply_update (local_user_del, local_user_set) drops the OS membership in memory only and writes no config",
			steps: []step{post(groupURL, `{"name":"bt_g","member":["alice"]}`).sub(`{"member":["alice"]}`),
				patch(userURL, `{"id":1,"name":"alice2"}`).sub(`{"name":"alice2","uid":2000}`),
				get(groupURL + "?id=2").sub(`{"name":"bt_g","member":["alice2"]}`)}},
		{area: "relations", name: "an override's servers are sent and read as vpnif (stored as vpnid)", src: "Fields/ForeignModelField.inc _to_internal, _from_internal ; Models/OpenVPNClientSpecificOverride.inc server_list (model_field vpnif, model_field_internal vpnid)",
			test: tf("ForeignModel", "test_from_internal ; test_to_internal"),
			steps: []step{post("/api/v2/vpn/openvpn/cso", `{"common_name":"bt_cn","server_list":["ovpns1"]}`).sub(`{"server_list":["ovpns1"]}`),
				get("/api/v2/vpn/openvpn/cso?id=0").sub(`{"common_name":"bt_cn","server_list":["ovpns1"]}`)}},

		// InterfaceField.
		{area: "fields", name: "InterfaceField: openvpn and enc0 are no choice where they are not allowed", src: "Fields/InterfaceField.inc get_interface_choices (allow_openvpn_interface, allow_ipsec_interface) ; Models/RoutingGateway.inc interface",
			test: tf("Interface", "test_get_interface_choices_with_allow_openvpn_interface ; test_get_interface_choices_with_allow_ipsec_interface"),
			note: "firewall rules allow both (\"InterfaceField choices are the interfaces (and groups, enc0, openvpn)\"); a gateway's interface does not",
			steps: []step{post(gatewayURL, `{"name":"bt_gw","interface":"openvpn","ipprotocol":"inet","gateway":"10.8.0.1"}`).is(400, "FIELD_INVALID_CHOICE", "Field `interface` must be one of [wan, lan, opt1]"),
				post(gatewayURL, `{"name":"bt_gw","interface":"enc0","ipprotocol":"inet","gateway":"10.8.0.1"}`).is(400, "FIELD_INVALID_CHOICE", "Field `interface` must be one of [wan, lan, opt1]")}},
		{area: "fields", name: "InterfaceField: with represent_interfaces_as descr, interfaces are sent and read by description", src: "Fields/InterfaceField.inc get_interface_choices, _to_internal, _from_internal (represented_as) ; Models/FirewallRule.inc interface",
			test: tf("Interface", "test_to_internal ; test_from_internal"),
			note: "the seed's descriptions are WAN, LAN and DMZ; the config keeps the ids",
			steps: []step{patch(settings, `{"represent_interfaces_as":"descr"}`),
				get(ruleURL + "?id=0").sub(`{"interface":["LAN"]}`),
				post(ruleURL, `{"type":"pass","interface":["DMZ"],"ipprotocol":"inet","source":"any","destination":"any"}`).sub(`{"interface":["DMZ"]}`)}},

		// SpecialNetworkField.
		{area: "fields", name: "SpecialNetworkField: with represent_interfaces_as descr, WAN:ip is the WAN interface's address", src: "Fields/SpecialNetworkField.inc validate_extra, _to_internal (NetworkInterface query by represented_as), _from_internal ; Models/OneToOneNATMapping.inc external",
			test: "Tests/APIFieldsSpecialNetworkFieldTestCase.inc test_to_internal ; test_from_internal",
			steps: []step{patch(settings, `{"represent_interfaces_as":"descr"}`),
				post(oneToOne, `{"interface":"WAN","external":"WAN:ip","source":"any","destination":"any"}`).sub(`{"interface":"WAN","external":"WAN:ip"}`),
				get("/api/v2/firewall/nat/one_to_one/mappings").sub(`{"interface":"WAN","external":"WAN:ip"}`)}},

		// FilterAddressField internal form.
		{area: "fields", name: "FilterAddressField: inverted subnets and interface addresses read back as written", src: "Fields/FilterAddressField.inc _to_internal (not, address, network + ip), _from_internal",
			test: tf("FilterAddress", "test_to_internal ; test_from_internal"),
			note: "!10.0.0.0/8 is stored as not + address, !lan:ip as not + network lanip; the read turns both back",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"!10.0.0.0/8","destination":"!lan:ip","descr":"bt_inv"}`).sub(`{"source":"!10.0.0.0/8","destination":"!lan:ip"}`),
				get(rulesURL + "?descr=bt_inv").sub(`{"source":"!10.0.0.0/8","destination":"!lan:ip"}`)}},

		// NestedModelField.
		{area: "fields", name: "NestedModelField: nested objects are sorted by the nested model's sort_by", src: "Fields/NestedModelField.inc validate, sort ; Models/DNSResolverHostOverrideAlias.inc (sort_by host, SORT_ASC)",
			test: tf("NestedModel", "test_sort"),
			note: "the sorted objects take ids in their new order",
			steps: []step{post(hostOverrideURL, `{"host":"bt","domain":"example.com","ip":["192.0.2.1"],"aliases":[{"host":"zz","domain":"example.com"},{"host":"aa","domain":"example.com"}]}`).
				sub(`{"aliases":[{"id":0,"host":"aa"},{"id":1,"host":"zz"}]}`).then(aliasHosts(`["aa","zz"]`))}},
		{area: "fields", name: "NestedModelField: unique_together holds inside one list", src: "Fields/NestedModelField.inc validate_extra (validate with the siblings' modelset) ; Core/Model.inc check_unique_together ; Models/DNSResolverHostOverrideAlias.inc",
			test: tf("NestedModel", "test_unique_together_validation"),
			steps: []step{post(hostOverrideURL, `{"host":"bt","domain":"example.com","ip":["192.0.2.1"],"aliases":[{"host":"dup","domain":"example.com"},{"host":"dup","domain":"example.com"}]}`).
				is(400, "MODEL_FIELDS_NOT_UNIQUE_TOGETHER", "Field `aliases` encountered a nested validation error: Fields [host, domain] together must be unique from all other objects of its kind. Values in use by object with ID `0`.")}},
		{area: "fields", name: "NestedModelField: a unique field holds inside one list", src: "Fields/NestedModelField.inc validate_extra ; Core/Field.inc check_field_unique (modelset) ; Models/RoutingGatewayGroupPriority.inc gateway, DHCPServerCustomOption.inc number",
			test: tf("NestedModel", "test_unique_validation"),
			steps: []step{post("/api/v2/routing/gateway/group", `{"name":"bt_grp","priorities":[{"gateway":"WAN_DHCP","tier":1},{"gateway":"WAN_DHCP","tier":2}]}`).
				is(400, "FIELD_MUST_BE_UNIQUE", "Field `priorities` encountered a nested validation error: Field `gateway` must be unique. Value is in use by object with ID `0`."),
				patch(dhcp, `{"id":"lan","numberoptions":[{"number":224,"type":"text","value":"a"},{"number":224,"type":"text","value":"b"}]}`).
					is(400, "FIELD_MUST_BE_UNIQUE", "Field `numberoptions` encountered a nested validation error: Field `number` must be unique. Value is in use by object with ID `0`.")}},
		{area: "fields", name: "NestedModelField: a missing required field or a bad choice inside names the parent field", src: "Fields/NestedModelField.inc validate_extra ; Core/Field.inc check_field_required, check_value_choice",
			test: tf("NestedModel", "test_nested_validate"),
			steps: []step{post(hostOverrideURL, `{"host":"bt","domain":"example.com","ip":["192.0.2.1"],"aliases":[{"domain":"example.com"}]}`).
				is(400, "FIELD_IS_REQUIRED", "Field `aliases` encountered a nested validation error: Field `host` is required."),
				post(limiter, `{"name":"bt_lim","aqm":"droptail","sched":"fifo","bandwidth":[{"bw":10,"bwscale":"Gbit"}]}`).
					is(400, "FIELD_INVALID_CHOICE", "Field `bandwidth` encountered a nested validation error: Field `bwscale` must be one of [b, Kb, Mb]")}},

		// ObjectField (GraphQL.variables): the endpoint answers errors as GraphQL, HTTP 200.
		{area: "fields", name: "ObjectField: GraphQL variables must be an object, not a list", src: "Fields/ObjectField.inc validate_extra ; Models/GraphQL.inc variables ; Endpoints/GraphQLEndpoint.inc response_handler ; Responses/GraphQLResponse.inc to_graphql_response",
			test: "Tests/APIFieldsObjectFieldTestCase.inc test_validate_extra",
			note: "an empty list passes: check_value_empty returns before validate_extra (allow_empty), and array_keys([]) !== range(0, -1) anyway",
			steps: []step{post("/api/v2/graphql", `{"query":"{ __typename }","variables":[0,1,2]}`).is(200, "", "").
				has(`"errors":[{"message":"Field ` + "`variables`" + ` value must be an associative array of key-value pairs.","extensions":{"response_id":"OBJECT_FIELD_INVALID_VALUE"}}]`),
				post("/api/v2/graphql", `{"query":"{ __typename }","variables":[]}`).is(200, "", "").not("OBJECT_FIELD_INVALID_VALUE")}},

		// PortField.
		{area: "fields", name: "PortField: no range where allow_range is off", src: "Fields/PortField.inc validate_extra, get_valid_opts_str ; Models/PortForward.inc local_port (allow_range false)",
			test:  tf("Port", "test_allow_range"),
			steps: []step{post(portFwdURL, pfBody("wan", "8000:8010", "8080:8090")).is(400, "PORT_FIELD_INVALID", "Field `local_port` contains invalid port value `8080:8090`. Valid options are: a TCP/UDP port number, an existing port type firewall alias")}},
		{area: "fields", name: "PortField: only a port, or a service name, where alias and range are off", src: "Fields/PortField.inc validate_extra ; pfSense util.inc is_port (getservbyname) ; Models/DNSResolverSettings.inc port",
			test: tf("Port", "test_allow_alias ; test_alway_allow_port"),
			steps: []step{patch("/api/v2/services/dns_resolver/settings", `{"port":"web_ports"}`).is(400, "PORT_FIELD_INVALID", "Field `port` contains invalid port value `web_ports`. Valid options are: a TCP/UDP port number"),
				patch("/api/v2/services/dns_resolver/settings", `{"port":"5353:5354"}`).is(400, "PORT_FIELD_INVALID", "Field `port` contains invalid port value `5353:5354`. Valid options are: a TCP/UDP port number"),
				patch("/api/v2/services/dns_resolver/settings", `{"port":"domain"}`).sub(`{"port":"domain"}`)}},
		{area: "fields", name: "PortField: a range reads back with a colon", src: "Fields/PortField.inc _to_internal, _from_internal (internal_range_char) ; Models/PortForward.inc destination_port",
			test: tf("Port", "test_to_internal ; test_from_internal"),
			steps: []step{post(portFwdURL, pfBody("wan", "8000:8010", "8000")).sub(`{"destination_port":"8000:8010","local_port":"8000"}`),
				get("/api/v2/firewall/nat/port_forwards").sub(`{"destination_port":"8000:8010","local_port":"8000"}`)}},

		// Validators.
		{area: "validators", name: "IPAddressValidator: an interface's IPv6 address cannot be link-local", src: "Validators/IPAddressValidator.inc validate (allow_ipv6_link_local, fe80::/10) ; Models/NetworkInterface.inc ipaddrv6",
			test: tv("IPAddress", "test_ipv6_link_local_validation_value"),
			steps: []step{patch("/api/v2/interface", `{"id":"opt1","typev6":"staticv6","ipaddrv6":"fe80::1","subnetv6":64}`).is(400, "IP_ADDRESS_VALIDATOR_IPV6_LINK_LOCAL_NOT_ALLOWED", "Field `ipaddrv6` cannot be an IPv6 link-local address, received `fe80::1`."),
				patch("/api/v2/interface", `{"id":"opt1","typev6":"staticv6","ipaddrv6":"2001:db8:4::1","subnetv6":64}`).sub(`{"typev6":"staticv6","ipaddrv6":"2001:db8:4::1"}`)}},

		// Core/Model.inc update, query.
		{area: "controls", name: "append with the stored list (or none) changes nothing", src: "Core/Model.inc append_array_changes (only when the value differs from the initial object)",
			test: "Tests/APICoreModelTestCase.inc test_update_append",
			steps: []step{patch(aliasURL, `{"id":1,"address":["192.168.1.0/24"],"append":true}`).sub(`{"address":["192.168.1.0/24"],"detail":["LAN"]}`),
				patch(aliasURL, `{"id":1,"append":true}`).sub(`{"address":["192.168.1.0/24"],"detail":["LAN"]}`)}},
		{area: "controls", name: "remove with the whole stored list removes nothing", src: "Core/Model.inc remove_array_changes (only when the value differs from the initial object)",
			test:  "Tests/APICoreModelTestCase.inc test_update_remove",
			note:  "a value equal to the stored one is taken as no change, so it is not removed",
			steps: []step{patch(aliasURL, `{"id":0,"address":["10.0.4.10","10.0.4.11"],"remove":true}`).sub(`{"address":["10.0.4.10","10.0.4.11"],"detail":["web1","web2"]}`)}},
		{area: "controls", name: "remove keeps the array keys of a field without a validate method: the answer holds an object", src: "Core/Model.inc remove_array_changes (array_diff keeps keys), validate (only fields with validate_<field> are re-listed), to_representation ; Models/DHCPServer.inc dnsserver",
			test: "Tests/APICoreModelTestCase.inc test_update_remove",
			note: "the package's test removes from FirewallAlias.address, which validate_address re-lists; DHCPServer.dnsserver has no validate method, so [1 => 192.168.1.3] is answered as {\"1\": ...}; the config stores the joined string, so a read is a list again",
			steps: []step{patch(dhcp, `{"id":"lan","dnsserver":["192.168.1.2","192.168.1.3"]}`).sub(`{"dnsserver":["192.168.1.2","192.168.1.3"]}`),
				patch(dhcp, `{"id":"lan","dnsserver":["192.168.1.2"],"remove":true}`).sub(`{"dnsserver":{"1":"192.168.1.3"}}`),
				get(dhcp + "?id=lan").sub(`{"dnsserver":["192.168.1.3"]}`)}},
		{area: "controls", name: "a query filters before limit and offset", src: "Core/Model.inc query (filter, then paginate)",
			test: "Tests/APICoreModelTestCase.inc test_paginate_with_query",
			steps: []step{post(aliasURL, `{"name":"bt_p1","type":"port","address":["22"]}`),
				get(aliasesURL + "?type=port&limit=1").then(func(t *testing.T, r result) { eq(t, "names", r.column("name"), `["web_ports"]`) }),
				get(aliasesURL + "?type=port&limit=1&offset=1").then(func(t *testing.T, r result) { eq(t, "names", r.column("name"), `["bt_p1"]`) })}},
		{area: "models", name: "a config revision names the client that wrote it, as pfSense formats it", src: "Core/Model.inc write_config ($_SESSION Username, REMOTE_ADDR, change note with a leading space) ; pfSense config.lib.inc write_config (backup_config first), make_config_revision_entry, get_config_user ; Models/ConfigHistoryRevision.inc",
			test: "Tests/APICoreModelTestCase.inc test_write_config_retains_authenticated_username",
			note: "the package's test reads revision/username (user@ip: no auth source, the API sets no $_SESSION authsource); the description is that, `: ` and the note ` Added ...`. The history lists backups, which write_config makes of the previous config, so the second write shows the first",
			steps: []step{post(aliasURL, `{"name":"bt_rev","type":"host"}`), post(aliasURL, `{"name":"bt_rev2","type":"host"}`),
				get("/api/v2/diagnostics/config_history/revisions?limit=1").has(`"description":"admin@192.168.1.100:  Added Firewall Alias via API"`)}},
	}
}

// fieldsCasesV10 holds the cases whose answer differs between v2.7.1 and v2.10.0.
func fieldsCasesV10(v10 bool) []ccase {
	fe := ccase{area: "validators", name: "LengthValidator: a string under its minimum (HAProxy frontend name, minimum 2)",
		src:  "Fields/StringField.inc __construct (validators + LengthValidator) ; Validators/LengthValidator.inc validate ; Models/HAProxyFrontend.inc name",
		test: "Tests/APIValidatorsLengthValidatorTestCase.inc test_string_minimum_constraint"}
	pfSort := ccase{area: "controls", name: "an update re-sorts a sorted model and answers the new id",
		src: "Core/Model.inc _update (sort: the object's id follows it) ; Models/PortForward.inc __construct (sort_by interface in v2.7.1)", test: "Tests/APICoreModelTestCase.inc test_sort_update"}
	pf := func(iface, port, descr string) string {
		return `{"interface":"` + iface + `","protocol":"tcp","source":"any","destination":"any","destination_port":"` + port + `","target":"192.168.1.10","local_port":"80","descr":"` + descr + `"}`
	}
	if v10 {
		fe.note = "since v2.10.0 the length validator follows the field's own ([...$validators, LengthValidator]); the minimum message prints $this->maximum (1024)"
		fe.steps = []step{post("/api/v2/services/haproxy/frontend", `{"name":"a","type":"http"}`).is(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "Field `name` must contain a minimum of 1024 characters.")}
		pfSort.note = "v2.10.0's PortForward has no sort_by: objects keep their places"
		pfSort.steps = []step{post(portFwdURL, pf("openvpn", "8080", "bt_a")).has(`"id":1,`), post(portFwdURL, pf("opt1", "8081", "bt_b")).has(`"id":2,`),
			patch(portFwdURL, `{"id":2,"interface":"lan"}`).has(`"id":2,`),
			get("/api/v2/firewall/nat/port_forwards").then(func(t *testing.T, r result) { eq(t, "interfaces", r.column("interface"), `["wan","openvpn","lan"]`) })}
	} else {
		fe.note = "in v2.7.1 PHP's array union ($validators + [LengthValidator]) drops the length check of a field with its own validators, so a 1-character name is taken"
		fe.steps = []step{post("/api/v2/services/haproxy/frontend", `{"name":"a","type":"http"}`).sub(`{"name":"a","type":"http"}`)}
		pfSort.note = "sorted by interface: openvpn < opt1 < wan, then lan < openvpn < wan after the update"
		pfSort.steps = []step{post(portFwdURL, pf("openvpn", "8080", "bt_a")).has(`"id":0,`), post(portFwdURL, pf("opt1", "8081", "bt_b")).has(`"id":1,`),
			patch(portFwdURL, `{"id":1,"interface":"lan"}`).has(`"id":0,`),
			get("/api/v2/firewall/nat/port_forwards").then(func(t *testing.T, r result) {
				eq(t, "interfaces", r.column("interface"), `["lan","openvpn","wan"]`)
				eq(t, "descrs", r.column("descr"), `["bt_b","bt_a","HTTPS to web1"]`)
			})}
	}
	return []ccase{fe, pfSort}
}
