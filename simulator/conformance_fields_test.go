package simulator_test

import (
	"strings"
	"testing"
)

const (
	hostOverrideURL = "/api/v2/services/dns_resolver/host_override"
	staticMapURL    = "/api/v2/services/dhcp_server/static_mapping"
	wgTunnelURL     = "/api/v2/vpn/wireguard/tunnel"
	wgPeerURL       = "/api/v2/vpn/wireguard/peer"
	userURL         = "/api/v2/user"
	groupURL        = "/api/v2/user/group"
	portFwdURL      = "/api/v2/firewall/nat/port_forward"
	scheduleURL     = "/api/v2/firewall/schedule"
	gatewayURL      = "/api/v2/routing/gateway"
	staticRouteURL  = "/api/v2/routing/static_route"
	vlanURL         = "/api/v2/interface/vlan"
	cronURL         = "/api/v2/services/cron/job"
	ntpServerURL    = "/api/v2/services/ntp/time_server"
)

// A valid firewall rule body with extra JSON members appended.
func ruleBody(extra string) string {
	b := `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"any","destination":"any"`
	if extra != "" {
		b += "," + extra
	}
	return b + "}"
}

func fieldCases(v10 bool) []ccase {
	f := "Core/Field.inc "
	order := ccase{area: "fields", name: "fields are checked in model order; the first failure answers", src: "Core/Model.inc validate (field loop)", test: tModel + "test_model_create",
		steps: []step{post(ruleURL, `{"interface":["nope"],"ipprotocol":"x"}`).is(400, "FIELD_IS_REQUIRED", "Field `type` is required.")}}
	order.note = "v2.10.0 too: its spec lists properties alphabetically, but the package validates in declaration order (simulator/rules/v2.10.0.order, from its source)"
	aliasLen := ccase{area: "fields", name: "FirewallAlias.name: length comes from validators or the alias name check", src: "Fields/StringField.inc __construct ; Models/FirewallAlias.inc validate_name",
		note:  "in v2.7.1 PHP's array union ($validators + [LengthValidator]) drops the length check of fields with their own validators, so is_validaliasname refuses the name",
		steps: []step{post(aliasURL, `{"name":"`+strings.Repeat("a", 32)+`","type":"host"}`).is(400, "INVALID_FIREWALL_ALIAS_NAME", "Invalid firewall alias name `"+strings.Repeat("a", 32)+"`.")}}
	if v10 {
		aliasLen.note = "since the StringField change to [...$validators, LengthValidator], the length validator runs first (rules table)"
		aliasLen.steps = []step{post(aliasURL, `{"name":"`+strings.Repeat("a", 32)+`","type":"host"}`).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `name` exceeds the maximum character length of 31.")}
	}
	return []ccase{order, aliasLen,
		{area: "fields", name: "a required field is required", src: f + "check_field_required", test: tField + "test_require_value_when_field_is_required",
			steps: []step{post(aliasURL, `{"type":"host"}`).is(400, "FIELD_IS_REQUIRED", "Field `name` is required.")}},
		{area: "fields", name: "JSON values are never coerced: \"1\" is not an integer", src: f + "check_value_type", test: tField + "test_field_type_constraint",
			steps: []step{post("/api/v2/diagnostics/ping", `{"host":"192.168.1.1","count":"1"}`).is(400, "FIELD_INVALID_TYPE", "Field `count` must be of type `integer`")}},
		{area: "fields", name: "a float field needs a fraction: 1 is an integer, not a double", src: "Fields/FloatField.inc (type double); Core/Field.inc check_value_type", test: tField + "test_field_type_constraint",
			note: "json_decode makes 1 an integer; FloatField compares gettype() with `double`",
			steps: []step{post("/api/v2/firewall/traffic_shaper/limiter", `{"name":"bt_lim","aqm":"droptail","sched":"fifo","bandwidth":[{"bw":10,"bwscale":"Mb"}],"plr":1}`).is(400, "FIELD_INVALID_TYPE", "Field `plr` must be of type `double`"),
				post("/api/v2/firewall/traffic_shaper/limiter", `{"name":"bt_lim","aqm":"droptail","sched":"fifo","bandwidth":[{"bw":10,"bwscale":"Mb"}],"plr":0.5}`)}},
		{area: "fields", name: "a choice outside the list is FIELD_INVALID_CHOICE", src: f + "check_value_choice", test: tField + "test_field_construction",
			steps: []step{post(aliasURL, `{"name":"bt_c","type":"hosts"}`).is(400, "FIELD_INVALID_CHOICE", "Field `type` must be one of [host, network, port]")}},
		{area: "fields", name: "an empty string where empty is not allowed", src: f + "check_value_empty", test: tField + "test_no_empty_values_without_allow_empty",
			steps: []step{post(aliasURL, `{"name":"","type":"host"}`).is(400, "FIELD_EMPTY_NOT_ALLOWED", "Field `name` cannot be empty.")}},
		{area: "fields", name: "an empty list where empty is not allowed", src: f + "check_value_empty (many_minimum)", test: tField + "test_allow_empty_sets_many_minimum",
			note:  "auth_methods has many_minimum 1 (Models/RESTAPISettings.inc); the array message prints the minimum",
			steps: []step{patch("/api/v2/system/restapi/settings", `{"auth_methods":[]}`).is(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "Field `auth_methods` must contain a minimum of 1 entries.")}},
		{area: "fields", name: "a many field that allows empty takes []", src: f + "__construct (many and allow_empty: many_minimum 0)", test: tField + "test_allow_empty_sets_many_minimum",
			note:  "FirewallRule.interface allows empty in the package (native schema), so a rule without interface is accepted",
			steps: []step{post(ruleURL, `{"type":"pass","interface":[],"ipprotocol":"inet","source":"any","destination":"any"}`).has(`"interface":[]`)}},
		{area: "fields", name: "a many field given a scalar is FIELD_INVALID_MANY_VALUE", src: f + "get_value_as_array", test: tField + "test_field_many_minimum",
			steps: []step{post(ruleURL, `{"type":"pass","interface":"lan","ipprotocol":"inet","source":"any","destination":"any"}`).is(400, "FIELD_INVALID_MANY_VALUE", "Field `interface` must be of type `array`.")}},
		{area: "fields", name: "null is accepted for a nullable field", src: f + "validate (allow_null)", test: tField + "test_allow_null_values_with_allow_null",
			steps: []step{patch(ruleURL, `{"id":1,"destination_port":null}`).has(`"destination_port":null`)}},
		{area: "fields", name: "null for a non-nullable field with a default takes the default", src: f + "get_value_as_array (default when null)", test: tField + "test_default_callable_populates_default",
			steps: []step{patch(ruleURL, `{"id":1,"descr":null}`).has(`"descr":""`)}},
		{area: "fields", name: "unique: another object has the value", src: f + "check_field_unique", test: tField + "test_field_unique_constraint",
			steps: []step{post(aliasURL, `{"name":"web_ports","type":"port","address":["22"]}`).is(400, "FIELD_MUST_BE_UNIQUE", "Field `name` must be unique. Value is in use by object with ID `2`.")}},
		{area: "fields", name: "unique ignores the object itself on update", src: f + "check_field_unique (id__except)", test: tField + "test_field_unique_constraint",
			steps: []step{patch(aliasURL, `{"id":2,"name":"web_ports","descr":"same name"}`)}},
		{area: "fields", name: "unique_together: host and domain", src: "Core/Model.inc check_unique_together", test: tModel + "test_unique_together_validation",
			steps: []step{post(hostOverrideURL, `{"host":"nas","domain":"home.arpa","ip":["192.168.1.11"]}`).is(400, "MODEL_FIELDS_NOT_UNIQUE_TOGETHER", "Fields [host, domain] together must be unique from all other objects of its kind. Values in use by object with ID `0`.")}},
		{area: "fields", name: "a non-editable field cannot change", src: f + "is_value_editable", test: tField + "test_field_construction",
			note:  "FirewallRule.floating is editable: false (Models/FirewallRule.inc)",
			steps: []step{patch(ruleURL, `{"id":0,"floating":true}`).is(400, "FIELD_VALUE_CHANGED_WHEN_NOT_EDITABLE", "Field `floating` is not editable but the requested value `1` differs from its current value ``.")}},
		{area: "fields", name: "a non-editable field may be sent unchanged", src: f + "is_value_editable", test: tField + "test_field_construction",
			steps: []step{patch(ruleURL, `{"id":0,"floating":false,"descr":"x"}`)}},
		{area: "fields", name: "a conditional field is nulled when its condition does not hold", src: f + "are_conditions_met (unmet: value null)", test: tField + "test_unmet_conditions_assign_null",
			steps: []step{post(ruleURL, ruleBody(`"protocol":"icmp","destination_port":"443"`)).has(`"destination_port":null`, `"icmptype":["any"]`)}},
		{area: "fields", name: "a conditional field is validated when its condition holds", src: f + "are_conditions_met", test: tField + "test_met_conditions_allow_validation",
			steps: []step{post(ruleURL, ruleBody(`"protocol":"tcp","destination_port":"99999"`)).is(400, "PORT_FIELD_INVALID", "")}},
		{area: "fields", name: "conditions compare strictly: \"true\" is not true", src: f + "are_conditions_met (!==)", test: tField + "test_met_conditions_allow_validation",
			note:  "floating must be the boolean true for quick and direction to exist",
			steps: []step{post(ruleURL, ruleBody(`"direction":"in"`)).has(`"direction":null`, `"quick":null`)}},
		{area: "fields", name: "a default is applied to a new object", src: f + "get_default", test: tField + "test_default_callable_populates_default",
			steps: []step{post(aliasURL, `{"name":"bt_def","type":"host"}`).has(`"descr":""`, `"address":[]`)}},
		{area: "fields", name: "read-only values the client sends on create are kept", src: "Core/Model.inc from_representation ; " + f + "validate (read-only returns early)",
			note:  "no test: from_representation assigns every field; the package only skips validating read-only ones",
			steps: []step{post(ruleURL, ruleBody(`"tracker":12345`)).has(`"tracker":12345`)}},
		{area: "fields", name: "a rule's tracker is the creation time", src: "Fields/UnixTimeField.inc (auto_add_now) ; Models/FirewallRule.inc tracker",
			note: "no test pins the value: two rules created in the same second share a tracker, as on a real firewall",
			steps: []step{post(ruleURL, ruleBody("")).then(func(t *testing.T, r result) {
				if tr, _ := r.field("tracker").(float64); tr < 1.7e9 {
					t.Errorf("tracker %v is not a unix time", tr)
				}
			})}},
		{area: "fields", name: "created_by has no username (the model is built before the client is known)", src: "Models/FirewallRule.inc __construct (created_by default) ; Core/Endpoint.inc process_request",
			note:  "no test: the default is computed with an empty Auth; updated_by is set by validate_updated_by with the real client",
			steps: []step{post(ruleURL, ruleBody("")).has(`"created_by":"@192.168.1.100 (API)"`, `"updated_by":"admin@192.168.1.100 (API)"`)}},
		{area: "fields", name: "a nested object's error names the parent field", src: "Fields/NestedModelField.inc validate_extra", test: "Tests/APIFieldsNestedModelFieldTestCase.inc test_nested_validate",
			steps: []step{post("/api/v2/vpn/wireguard/peer", `{"tun":"tun_wg0","publickey":"`+testPub+`","allowedips":[{"address":"x","mask":32}]}`).is(400, "IP_ADDRESS_VALIDATOR_FAILED", "Field `allowedips` encountered a nested validation error: Field `address` must be a valid IPv4 address, received `x`.")}},
		{area: "fields", name: "nested objects carry parent_id and id in answers", src: "Fields/NestedModelField.inc validate (value = nested representation)", note: "no package test covers this: NestedModelField's tests do not look at the nested parent_id and id",
			steps: []step{post("/api/v2/vpn/wireguard/peer", `{"tun":"tun_wg0","publickey":"`+testPub+`","allowedips":[{"address":"10.6.210.9","mask":32}]}`).has(`"allowedips":[{"parent_id":1,"id":0,"address":"10.6.210.9"`)}},
		{area: "fields", name: "many_maximum of a list field", src: f + "check_many_value_length (LengthValidator)", test: tField + "test_field_many_maximum",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan","wan"],"ipprotocol":"inet","source":"any","destination":"any"}`).is(400, "FIREWALL_RULE_MULTIPLE_INTERFACE_WITHOUT_FLOATING", "")}},
		{area: "fields", name: "integers out of range", src: "Validators/NumericRangeValidator.inc validate", test: "Tests/APIValidatorsNumericRangeValidatorTestCase.inc test_throws_validation_error_for_less_than_minimum",
			steps: []step{post("/api/v2/diagnostics/ping", `{"host":"192.168.1.1","count":0}`).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `count` must be greater than or equal to `1`. Received `0`")}},
		{area: "fields", name: "integers above the maximum", src: "Validators/NumericRangeValidator.inc validate", test: "Tests/APIValidatorsNumericRangeValidatorTestCase.inc test_throws_validation_error_for_greater_than_maximum",
			steps: []step{post("/api/v2/diagnostics/ping", `{"host":"192.168.1.1","count":99}`).is(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "")}},
		{area: "fields", name: "strings over their maximum length", src: "Validators/LengthValidator.inc validate", test: "Tests/APIValidatorsLengthValidatorTestCase.inc test_string_maximum_constraint",
			steps: []step{post(aliasURL, `{"name":"bt_l","type":"host","descr":"`+strings.Repeat("d", 1025)+`"}`).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `descr` exceeds the maximum character length of 1024.")}},
	}
}

// testPub is a valid WireGuard public key (base64 of 32 bytes).
const testPub = "PFgIfCRDXzPqqJ/FKNWxDDGVPTU+47Ox5MklStmKgU0="

func validatorCases(v10 bool) []ccase {
	v := "Validators/"
	cs := []ccase{
		{area: "validators", name: "IPAddressValidator: the message names only the first allowed kind", src: v + "IPAddressValidator.inc validate",
			test: "Tests/APIValidatorsIPAddressValidatorTestCase.inc test_throw_response_for_non_ip_value", note: "PHP's array union (+) keeps only `IPv4 address` even when IPv6 is allowed",
			steps: []step{post(hostOverrideURL, `{"host":"bt","domain":"example.com","ip":["999.1.1.1"]}`).is(400, "IP_ADDRESS_VALIDATOR_FAILED", "Field `ip` must be a valid IPv4 address, received `999.1.1.1`.")}},
		{area: "validators", name: "IPAddressValidator accepts IPv6", src: v + "IPAddressValidator.inc validate", test: "Tests/APIValidatorsIPAddressValidatorTestCase.inc test_ipv6_validation_value",
			steps: []step{post(hostOverrideURL, `{"host":"bt6","domain":"example.com","ip":["2001:db8::5"]}`)}},
		{area: "validators", name: "SubnetValidator", src: v + "SubnetValidator.inc validate", test: "Tests/APIValidatorsSubnetValidatorTestCase.inc test_ipv4_subnet_validation",
			steps: []step{post(staticRouteURL, `{"network":"10.99.0.0/33","gateway":"WAN_DHCP"}`).is(400, "SUBNET_VALIDATOR_FAILED", "Field `network` must be a valid subnet CIDR, received `10.99.0.0/33`.")}},
		{area: "validators", name: "HostnameValidator", src: v + "HostnameValidator.inc validate", test: "Tests/APIValidatorsHostnameValidatorTestCase.inc test_validate",
			steps: []step{post(hostOverrideURL, `{"host":"bad host","domain":"example.com","ip":["192.0.2.1"]}`).is(400, "HOSTNAME_VALIDATOR_FAILED", "Field `host` must be a valid hostname, received `bad host`.")}},
		{area: "validators", name: "MACAddressValidator", src: v + "MACAddressValidator.inc validate", test: "Tests/APIValidatorsMACAddressValidatorTestCase.inc test_throw_response_for_non_mac_value",
			steps: []step{post(staticMapURL, `{"parent_id":"lan","mac":"00:11:22:33:44","ipaddr":"192.168.1.20"}`).is(400, "MAC_ADDRESS_VALIDATOR_FAILED", "Field `mac` must be a valid MAC address, received `00:11:22:33:44`.")}},
		{area: "validators", name: "MAC parts may carry leading zeros (is_macaddr checks the value)", src: "pfSense util.inc is_macaddr", note: "no package test covers this: the MACAddressValidator test's MACs have two-digit parts only",
			steps: []step{post(staticMapURL, `{"parent_id":"lan","mac":"00:11:22:33:44:055","ipaddr":"192.168.1.21"}`)}},
		{area: "validators", name: "RegexValidator with its own message", src: v + "RegexValidator.inc validate", test: "Tests/APIValidatorsRegexValidatorTestCase.inc test_regex_validator",
			steps: []step{post(cronURL, `{"minute":"61x","hour":"*","mday":"*","month":"*","wday":"*","who":"root","command":"/bin/true"}`).is(400, "REGEX_VALIDATOR_FAILED", "")}},
		{area: "validators", name: "LengthValidator's minimum", src: v + "LengthValidator.inc validate", test: "Tests/APIValidatorsLengthValidatorTestCase.inc test_string_minimum_constraint",
			note:  "the source prints $this->maximum in the minimum message; FreeRADIUSUser.motp_pin has 4 and 4, so it reads right here",
			steps: []step{post("/api/v2/services/freeradius/user", `{"username":"bt_r","password":"pw","motp_enable":true,"motp_authmethod":"motp","motp_secret":"0123456789abcdef","motp_pin":"12"}`).is(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "").has("Field `motp_pin` must contain a minimum of ")}},
		{area: "validators", name: "NumericRangeValidator on a port number", src: v + "NumericRangeValidator.inc validate", test: "Tests/APIValidatorsNumericRangeValidatorTestCase.inc test_throws_validation_error_for_greater_than_maximum",
			steps: []step{post(vlanURL, `{"if":"em1","tag":5000}`).is(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `tag` must be less than or equal to `4094`. Received `5000`")}},
		{area: "validators", name: "EmailAddressValidator", src: v + "EmailAddressValidator.inc validate", test: "Tests/APIValidatorsEmailAddressValidatorTestCase.inc test_email_address_validator",
			steps: []step{patch("/api/v2/system/notifications/email_settings", `{"enable":true,"ipaddress":"192.0.2.25","port":"25","fromaddress":"not-an-email","notifyemailaddress":"a@example.com"}`).is(400, "EMAIL_ADDRESS_VALIDATOR_FAILED", "Field `fromaddress` must be a valid email address.")}},
		{area: "validators", name: "FilterNameValidator refuses pf keywords", src: v + "FilterNameValidator.inc validate", test: "Tests/APIValidatorsFilterNameValidatorTestCase.inc test_cannot_use_reserved_names",
			steps: []step{post(aliasURL, `{"name":"block","type":"host"}`).is(400, "FILTER_NAME_VALIDATOR_RESERVED_NAME_USED", "Field `name` cannot be `block` because it is a name reserved by the system.")}},
		{area: "validators", name: "FilterNameValidator refuses pkg_ names", src: v + "FilterNameValidator.inc validate", test: "Tests/APIValidatorsFilterNameValidatorTestCase.inc test_cannot_start_with_pkg",
			steps: []step{post(aliasURL, `{"name":"pkg_x","type":"host"}`).is(400, "FILTER_NAME_VALIDATOR_CANNOT_START_WITH_PKG", "Field `name` cannot be `pkg_x` because it starts with `pkg_`.")}},
		{area: "validators", name: "FilterNameValidator refuses numbers", src: v + "FilterNameValidator.inc validate", test: "Tests/APIValidatorsFilterNameValidatorTestCase.inc test_cannot_be_entirely_numerical (v2.10.0)",
			steps: []step{post(aliasURL, `{"name":"123","type":"host"}`).is(400, "FILTER_NAME_VALIDATOR_CANNOT_BE_NUMERICAL", "Field `name` cannot be `123` because it is entirely numerical.")}},
		{area: "validators", name: "FilterNameValidator refuses interface ids", src: v + "FilterNameValidator.inc validate (NetworkInterface id)", test: "Tests/APIValidatorsFilterNameValidatorTestCase.inc test_cannot_be_pfsense_interface_id",
			note:  "upper-case interface names are pf reserved words too; lowercase wan is the interface check",
			steps: []step{post(aliasURL, `{"name":"wan","type":"host"}`).is(400, "FILTER_NAME_VALIDATOR_NAME_IN_USE_BY_INTERFACE", "Field `name` cannot be `wan` because it is in use by an existing interface.")}},
		{area: "validators", name: "HexValidator", src: v + "HexValidator.inc validate", test: "Tests/APIValidatorsHexValidatorTestCase.inc test_hex_value_must_only_contain_hex_chars",
			steps: []step{post("/api/v2/firewall/nat/outbound/mapping", `{"interface":"wan","protocol":null,"source":"any","destination":"any","target":"wan:ip","poolopts":"source-hash","source_hash_key":"0xzz"}`).is(400, "HEX_VALIDATOR_VALUE_CONTAINS_NOT_HEX_CHARS", "Field `source_hash_key` must only contain hex characters.")}},
		{area: "validators", name: "X509Validator", src: v + "X509Validator.inc validate", test: "Tests/APIValidatorsX509ValidatorTestCase.inc test_allow_crt",
			steps: []step{post("/api/v2/system/certificate", `{"descr":"bt","crt":"nope","prv":"nope"}`).is(400, "X509_VALIDATOR_INVALID_VALUE", "Field `crt` is not a valid X509 string. Valid X509 types are: [certificate]")}},
		{area: "validators", name: "URLValidator", src: v + "URLValidator.inc validate", test: "Tests/APIValidatorsURLValidatorTestCase.inc test_url_validator",
			steps: []step{post("/api/v2/system/certificate/generate", `{"descr":"bt","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"bt.example.com","dn_uri_sans":["not a url"]}`).is(400, "URL_VALIDATOR_FAILED", "Field `dn_uri_sans` must be a valid URL, received `not a url`.")}},
		{area: "validators", name: "UniqueFromForeignModelValidator: a virtual IP cannot be an interface address", src: v + "UniqueFromForeignModelValidator.inc validate",
			note:  "the validator has no test file of its own, and no VirtualIP test tries an interface's address: no package test covers this",
			steps: []step{post("/api/v2/firewall/virtual_ip", `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.1","subnet_bits":24}`).is(400, "UNIQUE_FROM_FOREIGN_MANY_MODEL_VALIDATOR_FAILED", "Field `subnet` cannot be set to `192.168.1.1` because the value is already in use by field `ipaddr` on `NetworkInterface` object with ID `lan`")}},
		{area: "validators", name: "PortField: not a port", src: "Fields/PortField.inc validate_extra", note: "no package test covers this: PortField's tests try no out-of-range port",
			steps: []step{post(ruleURL, ruleBody(`"protocol":"tcp","destination_port":"70000"`)).is(400, "PORT_FIELD_INVALID", "Field `destination_port` contains invalid port value `70000`. Valid options are: a TCP/UDP port number, a TCP/UDP port range separated by `:`, an existing port type firewall alias")}},
		{area: "validators", name: "PortField: ranges and port aliases", src: "Fields/PortField.inc validate_extra", test: "Tests/APIFieldsPortFieldTestCase.inc test_allow_range ; test_allow_alias",
			steps: []step{post(ruleURL, ruleBody(`"protocol":"tcp","destination_port":"8000:8080"`)), post(ruleURL, ruleBody(`"protocol":"tcp","destination_port":"web_ports"`))}},
		{area: "validators", name: "PortField: a host alias is no port", src: "Fields/PortField.inc validate_extra (type port)", test: "Tests/APIFieldsPortFieldTestCase.inc test_allow_alias",
			steps: []step{post(ruleURL, ruleBody(`"protocol":"tcp","destination_port":"web_servers"`)).is(400, "PORT_FIELD_INVALID", "")}},
		{area: "validators", name: "FilterAddressField: interface, :ip, alias, any, subnet, inverted", src: "Fields/FilterAddressField.inc validate_extra", test: "Tests/APIFieldsFilterAddressFieldTestCase.inc test_allow_interface_ip_modifier ; test_allow_alias ; test_allow_invert ; test_allow_subnet ; test_allow_self",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"lan:ip","destination":"!web_servers"}`),
				post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"10.0.0.0/8","destination":"(self)"}`)}},
		{area: "validators", name: "FilterAddressField: !any is refused", src: "Fields/FilterAddressField.inc validate_extra", test: "Tests/APIFieldsFilterAddressFieldTestCase.inc test_allow_invert",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"!any","destination":"any"}`).is(400, "FILTER_RULE_ADDRESS_FIELD_WITH_INVERT_ANY", "Field `source` cannot use invert prefix (!) with value `any`.")}},
		{area: "validators", name: "FilterAddressField: anything else", src: "Fields/FilterAddressField.inc validate_extra", test: "Tests/APIFieldsFilterAddressFieldTestCase.inc test_allow_alias",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"somewhere","destination":"any"}`).is(400, "FILTER_ADDRESS_FIELD_INVALID", "Field `source` value `somewhere` is invalid. Valid options are: an existing interface, an IP address, a subnet CIDR, an existing alias, `any`, `(self)`, `l2tp`, `pppoe`")}},
		{area: "validators", name: "InterfaceField choices are the interfaces (and groups, enc0, openvpn)", src: "Fields/InterfaceField.inc get_interface_choices", test: "Tests/APIFieldsInterfaceFieldTestCase.inc test_get_interface_choices",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["opt7"],"ipprotocol":"inet","source":"any","destination":"any"}`).is(400, "FIELD_INVALID_CHOICE", "").has("Field `interface` must be one of [wan, lan, opt1, WireGuard, enc0, openvpn"),
				post(ruleURL, `{"type":"pass","interface":["openvpn"],"ipprotocol":"inet","source":"any","destination":"any"}`),
				// The WireGuard package's interface group (the seed has the package): rules on it
				// match every tunnel (net/pfSense-pkg-WireGuard wg_install.inc wg_ifgroup_install).
				post(ruleURL, `{"type":"pass","interface":["WireGuard"],"ipprotocol":"inet","source":"any","destination":"lan"}`)}},
		{area: "validators", name: "SpecialNetworkField: an address or a keyword", src: "Fields/SpecialNetworkField.inc validate_extra", test: "Tests/APIFieldsSpecialNetworkFieldTestCase.inc test_validate_ipaddr",
			steps: []step{post("/api/v2/firewall/nat/one_to_one/mapping", `{"interface":"wan","external":"nowhere","source":"any","destination":"any"}`).is(400, "SPECIAL_NETWORK_FIELD_INVALID", "Field `external` value `nowhere` is invalid. Valid options are: an IP address")}},
		{area: "validators", name: "DateTimeField format", src: "Fields/DateTimeField.inc validate_extra", test: "Tests/APIFieldsDateTimeFieldTestCase.inc test_validate",
			steps: []step{post(userURL, `{"name":"bt_exp","password":"pw","expires":"2030-12-31"}`).is(400, "DATETIME_FIELD_MUST_MATCH_FORMAT", "Field `expires` must be a DateTime in format `m/d/Y`. Received `2030-12-31`")}},
	}
	fn := ccase{area: "validators", name: "FilterNameValidator and odd characters", src: v + "FilterNameValidator.inc validate", test: "Tests/APIValidatorsFilterNameValidatorTestCase.inc test_rejects_hyphen (v2.10.0)"}
	if v10 {
		fn.note = "since v2.10.0 the validator refuses characters outside A-Za-z0-9_ first (commit 06d46d9d)"
		fn.steps = []step{post(aliasURL, `{"name":"bt-dash","type":"host"}`).is(400, "FILTER_NAME_VALIDATOR_INVALID_CHARACTERS", "Field `name` cannot be `bt-dash` because it contains invalid characters. Only A-Z, a-z, 0-9, and _ are allowed.")}
	} else {
		fn.note = "in v2.7.1 the alias name check (is_validaliasname, Models/FirewallAlias.inc validate_name) catches them after the field loop"
		fn.steps = []step{post(aliasURL, `{"name":"bt-dash","type":"host"}`).is(400, "INVALID_FIREWALL_ALIAS_NAME", "Invalid firewall alias name `bt-dash`.")}
	}
	return append(cs, fn)
}
