package simulator_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// coreApiCases follow the package's tests of its own settings and core models (REST API
// settings, JWTs, versions, authentication servers, logs, states, status, command prompt,
// certificate generation and renewal, virtual IP apply) and of the field classes, query filters
// and X509Validator, translated into the requests the endpoints get. Messages read as the client
// gets them (single quotes become backticks, Core/Response.inc). Where a test compares a model
// with the shell (sysctl, kenv, pfctl, /etc/version*), the shell is the command prompt endpoint.
func coreApiCases() []ccase {
	t := func(file, method string) string { return "Tests/" + file + "TestCase.inc " + method }
	st := func(method string) string { return t("APIModelsAPISettings", method) }
	settings := "/api/v2/system/restapi/settings"
	m := "Models/RESTAPISettings.inc __construct"
	cmd := "/api/v2/diagnostics/command_prompt"
	authServer := "/api/v2/user/auth_server"
	caGen := `{"descr":"test_ca","trust":true,"randomserial":true,"is_intermediate":false,"keytype":"RSA","keylen":2048,"digest_alg":"sha256","lifetime":3650,"dn_country":"US","dn_state":"UT","dn_city":"Salt Lake City","dn_organization":"ACME Org","dn_organizationalunit":"IT"}`
	expose := patch(settings, `{"expose_sensitive_fields":true}`)
	// Values one step saves for a later one (cases run one after another).
	saved := map[string]any{}
	save := func(names ...string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) {
			for _, n := range names {
				saved[n] = r.field(n)
			}
		}
	}
	boolSetting := func(field string) ccase {
		return ccase{area: "fields", name: "the REST API setting " + field + " is a boolean", src: m + " (" + field + " BooleanField) ; Core/Field.inc check_value_type", test: st("test_" + field),
			steps: []step{patch(settings, `{"`+field+`":"not a bool"}`).is(400, "FIELD_INVALID_TYPE", "Field `"+field+"` must be of type `boolean`")}}
	}
	logRead := func(file, url, note string) ccase {
		return ccase{area: "system", name: "the " + url + " log reads as lines of text", src: "Models/" + file + ".inc ; ModelTraits/LogFileModelTraits.inc read_log", test: t("APIModels"+file, "test_read"), note: note,
			steps: []step{get("/api/v2/status/logs/" + url + "?limit=10").then(coreLogLines(10))}}
	}
	return []ccase{
		// RESTAPISettings (Tests/APIModelsAPISettingsTestCase.inc).
		boolSetting("enabled"), boolSetting("read_only"), boolSetting("keep_backup"), boolSetting("login_protection"),
		boolSetting("log_successful_auth"), boolSetting("allow_pre_releases"), boolSetting("ha_sync"), boolSetting("ha_sync_validate_certs"),
		{area: "fields", name: "allowed_interfaces is a list of existing interfaces, lo0 included, and may be empty", src: m + " (allowed_interfaces InterfaceField many, allow_localhost_interface) ; Fields/InterfaceField.inc get_interface_choices", test: st("test_allowed_interfaces"),
			note: "the choices are the interfaces in the seed's id representation, then lo0",
			steps: []step{patch(settings, `{"allowed_interfaces":"not an array"}`).is(400, "FIELD_INVALID_MANY_VALUE", "Field `allowed_interfaces` must be of type `array`."),
				patch(settings, `{"allowed_interfaces":[0,1,2]}`).is(400, "FIELD_INVALID_TYPE", "Field `allowed_interfaces` must be of type `string`"),
				patch(settings, `{"allowed_interfaces":["not a real interface"]}`).is(400, "FIELD_INVALID_CHOICE", "Field `allowed_interfaces` must be one of [wan, lan, opt1, lo0]"),
				patch(settings, `{"allowed_interfaces":[]}`).sub(`{"allowed_interfaces":[]}`),
				patch(settings, `{"allowed_interfaces":["wan"]}`).sub(`{"allowed_interfaces":["wan"]}`)}},
		{area: "fields", name: "represent_interfaces_as is one of descr, id and if", src: m + " (represent_interfaces_as choices)", test: st("test_represent_interfaces_as"),
			steps: []step{patch(settings, `{"represent_interfaces_as":0}`).is(400, "FIELD_INVALID_TYPE", "Field `represent_interfaces_as` must be of type `string`"),
				patch(settings, `{"represent_interfaces_as":"not a valid choice"}`).is(400, "FIELD_INVALID_CHOICE", "Field `represent_interfaces_as` must be one of [descr, id, if]"),
				patch(settings, `{"represent_interfaces_as":"descr"}`).has(`"represent_interfaces_as":"descr"`),
				patch(settings, `{"represent_interfaces_as":"if"}`).has(`"represent_interfaces_as":"if"`),
				patch(settings, `{"represent_interfaces_as":"id"}`).has(`"represent_interfaces_as":"id"`)}},
		{area: "fields", name: "auth_methods are names of the Auth classes", src: m + " (auth_methods) ; Models/RESTAPISettings.inc get_auth_methods_choices", test: st("test_auth_methods"),
			note: "the choice message lists the classes in the order get_classes_from_namespace finds them; only the id is checked",
			steps: []step{patch(settings, `{"auth_methods":[0]}`).is(400, "FIELD_INVALID_TYPE", "Field `auth_methods` must be of type `string`"),
				patch(settings, `{"auth_methods":["not_a_valid_choice"]}`).is(400, "FIELD_INVALID_CHOICE", ""),
				patch(settings, `{"auth_methods":["BasicAuth","KeyAuth","JWTAuth"]}`).sub(`{"auth_methods":["BasicAuth","KeyAuth","JWTAuth"]}`)}},
		{area: "validators", name: "jwt_exp is an integer from 300 to 86400", src: m + " (jwt_exp minimum 300, maximum 86400) ; Validators/NumericRangeValidator.inc validate", test: st("test_jwt_exp"),
			steps: []step{patch(settings, `{"jwt_exp":"not an integer"}`).is(400, "FIELD_INVALID_TYPE", "Field `jwt_exp` must be of type `integer`"),
				patch(settings, `{"jwt_exp":299}`).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `jwt_exp` must be greater than or equal to `300`. Received `299`"),
				patch(settings, `{"jwt_exp":86401}`).is(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `jwt_exp` must be less than or equal to `86400`. Received `86401`"),
				patch(settings, `{"jwt_exp":300}`).has(`"jwt_exp":300`), patch(settings, `{"jwt_exp":5000}`).has(`"jwt_exp":5000`),
				patch(settings, `{"jwt_exp":86400}`).has(`"jwt_exp":86400`)}},
		{area: "validators", name: "ha_sync_hosts are at most 10 addresses or FQDNs", src: m + " (ha_sync_hosts many_maximum 10, IPAddressValidator allow_fqdn) ; Core/Field.inc check_many_value_length ; Validators/IPAddressValidator.inc validate",
			test: st("test_ha_sync_hosts"),
			note: "the count is checked before the values (LengthValidator on the array); IPAddressValidator's message names only the first allowed kind (array union of the options)",
			steps: []step{patch(settings, `{"ha_sync_hosts":"not an array"}`).is(400, "FIELD_INVALID_MANY_VALUE", "Field `ha_sync_hosts` must be of type `array`."),
				patch(settings, `{"ha_sync_hosts":[0,1,2]}`).is(400, "FIELD_INVALID_TYPE", "Field `ha_sync_hosts` must be of type `string`"),
				patch(settings, `{"ha_sync_hosts":["not an IP address or FQDN!"]}`).is(400, "IP_ADDRESS_VALIDATOR_FAILED", "Field `ha_sync_hosts` must be a valid IPv4 address, received `not an IP address or FQDN!`."),
				patch(settings, `{"ha_sync_hosts":["127.0.0.1","127.0.0.2","127.0.0.3","127.0.0.4","127.0.0.5","1::","0::","1111:2222:3333:4444:aaaa:bbbb:cccc:dddd","www.example.com","www2.example.com","onetoomany.example.com"]}`).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT",
					"Field `ha_sync_hosts` exceeds the maximum array length of 10."),
				patch(settings, `{"ha_sync_hosts":[]}`).sub(`{"ha_sync_hosts":[]}`),
				patch(settings, `{"ha_sync_hosts":["127.0.0.1","1::","example.com"]}`).sub(`{"ha_sync_hosts":["127.0.0.1","1::","example.com"]}`)}},
		{area: "fields", name: "ha_sync_username is a string and may be empty", src: m + " (ha_sync_username allow_empty)", test: st("test_ha_sync_username"),
			steps: []step{patch(settings, `{"ha_sync_username":0}`).is(400, "FIELD_INVALID_TYPE", "Field `ha_sync_username` must be of type `string`"),
				patch(settings, `{"ha_sync_username":""}`).has(`"ha_sync_username":""`), patch(settings, `{"ha_sync_username":"admin"}`).has(`"ha_sync_username":"admin"`)}},
		{area: "sensitive", name: "ha_sync_password is a string that is never shown", src: m + " (ha_sync_password sensitive) ; Core/Model.inc to_representation, is_field_hidden", test: st("test_ha_sync_password"),
			note: "a hidden field is left out of the representation, not emptied",
			steps: []step{patch(settings, `{"ha_sync_password":0}`).is(400, "FIELD_INVALID_TYPE", "Field `ha_sync_password` must be of type `string`"),
				patch(settings, `{"ha_sync_password":""}`).not(`"ha_sync_password"`),
				patch(settings, `{"ha_sync_password":"example password"}`).not(`"ha_sync_password"`, "example password"),
				get(settings).not(`"ha_sync_password"`, "example password")}},
		{area: "sensitive", name: "expose_sensitive_fields shows a user's password hash until it is turned off", src: "Core/Model.inc to_representation, is_field_hidden (expose_sensitive_fields)", test: st("test_expose_sensitive_fields"),
			steps: []step{patch(settings, `{"expose_sensitive_fields":true}`), get("/api/v2/user?id=0").has(`"password":"$2y$`),
				patch(settings, `{"expose_sensitive_fields":false}`), get("/api/v2/user?id=0").not(`"password"`)}},
		{area: "sensitive", name: "override_sensitive_fields User:password shows the hash until the list is emptied", src: "Core/Model.inc is_field_hidden (override_sensitive_fields) ; Models/RESTAPISettings.inc get_override_sensitive_fields_choices", test: st("test_override_sensitive_fields"),
			steps: []step{patch(settings, `{"override_sensitive_fields":["User:password"]}`).sub(`{"override_sensitive_fields":["User:password"]}`),
				get("/api/v2/user?id=0").has(`"password":"$2y$`),
				patch(settings, `{"override_sensitive_fields":[]}`), get("/api/v2/user?id=0").not(`"password"`)}},

		// RESTAPIJWT, RESTAPIVersion.
		{area: "auth", name: "a JWT names the hostname as issuer and audience, the user as data, and lasts jwt_exp seconds", src: "Models/RESTAPIJWT.inc _create", test: t("APIModelsAPIJWT", "test_create_and_decode_jwt"),
			note:  "iss and aud are config system/hostname (the short name, not the FQDN); exp = nbf + jwt_exp",
			steps: []step{patch(settings, `{"jwt_exp":300}`), post("/api/v2/auth/jwt", "").then(coreJWT("pfsense", "admin", 300))}},
		{area: "system", name: "the REST API version is a v-prefixed semver and the latest version is the first available one", src: "Models/RESTAPIVersion.inc get_api_version, get_latest_api_version (array_key_first of get_all_available_versions)",
			test:  t("APIModelsAPIVersion", "test_get_api_version ; test_get_latest_api_version"),
			note:  "the available versions come from GitHub's releases for the firewall's pfSense base version; only their relation is checked",
			steps: []step{get("/api/v2/system/restapi/version").then(coreAPIVersion)}},

		// AuthServer.
		{area: "crud", name: "a RADIUS authentication server is created, read back alike, updated and deleted", src: "Models/AuthServer.inc __construct (refid UIDField, radius_secret sensitive)", test: t("APIModelsAuthServer", "test_radius_crud"),
			steps: []step{post(authServer, `{"type":"radius","name":"TEST_RADIUS","host":"radius.example.com","radius_auth_port":"1812","radius_acct_port":"1813","radius_secret":"secret","radius_protocol":"MSCHAPv2","radius_timeout":30,"radius_nasip_attribute":"wan"}`).
				has(`"host":"radius.example.com"`, `"radius_protocol":"MSCHAPv2"`, `"radius_timeout":30`, `"radius_nasip_attribute":"wan"`, `"ldap_port":null`).not(`"radius_secret"`).then(coreKeep(saved, "as")),
				get(authServer + "?id=0").then(coreSameAs(saved, "as")),
				patch(authServer, `{"id":0,"type":"radius","name":"TEST_RADIUS","host":"new.radius.example.com","radius_auth_port":"1218","radius_acct_port":"1318","radius_secret":"new.secret","radius_protocol":"PAP","radius_timeout":10,"radius_nasip_attribute":"lan"}`).
					has(`"host":"new.radius.example.com"`, `"radius_auth_port":"1218"`, `"radius_acct_port":"1318"`, `"radius_protocol":"PAP"`, `"radius_timeout":10`, `"radius_nasip_attribute":"lan"`).then(coreKeep(saved, "as")),
				get(authServer + "?id=0").then(coreSameAs(saved, "as")),
				del(authServer + "?id=0"), get(authServer+"?id=0").is(404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `0` does not exist.")}},
		{area: "crud", name: "an LDAP authentication server is created, read back alike, updated and deleted; ldap_caref reads null", src: "Models/AuthServer.inc __construct (ldap_caref conditions, ldap_bindpw sensitive, conditional fields)", test: t("APIModelsAuthServer", "test_ldap_crud"),
			note: "ldap_caref's condition asks ldap_urltype for `starttls` or `encrypted`, which are not among its choices, so the field never applies and reads null; fields whose condition fails after the update read null (ldap_extended_query, ldap_rfc2307_userdn, ldap_attr_groupobj)",
			steps: []step{post(authServer, `{"type":"ldap","name":"TEST_LDAP","host":"ldap.example.com","ldap_port":"389","ldap_urltype":"Standard TCP","ldap_protver":3,"ldap_timeout":30,"ldap_caref":"global","ldap_scope":"subtree","ldap_basedn":"DC=example,DC=com","ldap_authcn":" CN=Users;DC=example,DC=com","ldap_extended_enabled":true,"ldap_extended_query":"memberOf=CN=Groupname,OU=MyGroups,DC=example,DC=com","ldap_binddn":"CN=user,OU=group,DC=example,DC=com","ldap_bindpw":"secret","ldap_attr_user":"cn","ldap_attr_group":"ou","ldap_attr_member":"member","ldap_rfc2307":true,"ldap_rfc2307_userdn":true,"ldap_attr_groupobj":"posixGroup","ldap_pam_groupdn":"shellGroup","ldap_utf8":true,"ldap_nostrip_at":true,"ldap_allow_unauthenticated":true}`).
				has(`"ldap_caref":null`, `"ldap_extended_query":"memberOf=CN=Groupname,OU=MyGroups,DC=example,DC=com"`, `"ldap_rfc2307_userdn":true`, `"radius_protocol":null`).not(`"ldap_bindpw"`).then(coreKeep(saved, "as")),
				get(authServer + "?id=0").then(coreSameAs(saved, "as")),
				patch(authServer, `{"id":0,"type":"ldap","name":"TEST_LDAP","host":"new.ldap.example.com","ldap_port":"636","ldap_urltype":"SSL/TLS Encrypted","ldap_protver":2,"ldap_timeout":15,"ldap_caref":"global","ldap_scope":"one","ldap_basedn":"DC=new.example,DC=com","ldap_authcn":" CN=NewUsers;DC=new.example,DC=com","ldap_extended_enabled":false,"ldap_binddn":null,"ldap_attr_user":"CN","ldap_attr_group":"OU","ldap_attr_member":"MemberOf","ldap_rfc2307":false,"ldap_rfc2307_userdn":false,"ldap_pam_groupdn":"ShellGroup","ldap_utf8":false,"ldap_nostrip_at":false,"ldap_allow_unauthenticated":false}`).
					has(`"ldap_port":"636"`, `"ldap_protver":2`, `"ldap_caref":null`, `"ldap_extended_query":null`, `"ldap_binddn":null`, `"ldap_rfc2307_userdn":null`, `"ldap_attr_groupobj":null`, `"ldap_pam_groupdn":"ShellGroup"`).then(coreKeep(saved, "as")),
				get(authServer + "?id=0").then(coreSameAs(saved, "as")),
				del(authServer + "?id=0"), get(authServer+"?id=0").is(404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `0` does not exist.")}},

		// Logs.
		logRead("RESTAPILog", "packages/restapi", ""), logRead("AuthLog", "auth", ""), logRead("SystemLog", "system", ""),
		logRead("DHCPLog", "dhcp", ""), logRead("OpenVPNLog", "openvpn", ""),

		// FirewallState, FirewallStatesSize.
		{area: "models", name: "deleting a state kills it", src: "Models/FirewallState.inc _delete (pfSense_kill_states source and destination IPs)", test: t("APIModelsFirewallState", "test_state_read_and_kill"),
			note: "the seed's state stands in for the test's ping state",
			steps: []step{get("/api/v2/firewall/states?destination__startswith=10.0.4.10").then(coreCount(1)),
				del("/api/v2/firewall/state?id=0").has(`"destination":"10.0.4.10:443"`),
				get("/api/v2/firewall/states?destination__startswith=10.0.4.10").then(coreCount(0))}},
		{area: "models", name: "maximumstates is stored and read back", src: "Models/FirewallStatesSize.inc (maximumstates minimum 10, update_strategy merge)", test: t("APIModelsFirewallStatesSize", "test_maximumstates_set_in_pfctl"),
			steps: []step{patch("/api/v2/firewall/states/size", `{"maximumstates":500}`).has(`"maximumstates":500`),
				get("/api/v2/firewall/states/size").has(`"maximumstates":500`),
				patch("/api/v2/firewall/states/size", `{"maximumstates":9}`).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `maximumstates` must be greater than or equal to `10`. Received `9`")}},

		// Status models.
		{area: "interfaces", name: "the WAN statistics name its device, address, media and gateway", src: "Models/InterfaceStats.inc get_interface_stats (pfSense get_interface_info)", test: t("APIModelsInterfaceStats", "test_read"),
			steps: []step{get("/api/v2/status/interfaces?name=wan").then(coreFirstNonEmpty("name", "descr", "hwif", "macaddr", "mtu", "status", "ipaddr", "subnet", "media", "gateway"))}},
		{area: "routing", name: "a gateway status has addresses, delay, deviation, a loss percentage and statuses", src: "Models/RoutingGatewayStatus.inc (return_gateways_status)", test: t("APIModelsRoutingGatewayStatus", "test_read"),
			steps: []step{get("/api/v2/status/gateways").then(coreGatewayStatus)}},
		{area: "system", name: "the system status has three load averages, a CPU count and percentages from 0 to 100", src: "Models/SystemStatus.inc get_system_status_internal, get_cpu_load_average, get_cpu_usage", test: t("APIModelsSystemStatus", "test_read ; test_language_does_not_change_cpu_load_avg"),
			note:  "cpu_usage is the last minute's load average over hw.ncpu times 100 (get_cpu_usage), capped at 100 since v2.10.0 (the seed's 6 is below the cap)",
			steps: []step{get("/api/v2/status/system").then(coreSystemStatus)}},
		{area: "system", name: "the pfSense version is /etc/version and its base the part before the dash", src: "Models/SystemVersion.inc get_pfsense_version (base = explode('-', version)[0])", test: t("APIModelsSystemVersion", "test_read"),
			steps: []step{post(cmd, `{"command":"cat /etc/version"}`).then(coreKeepOutput(saved, "version")),
				get("/api/v2/system/version").then(coreSystemVersion(saved))}},
		{area: "system", name: "the patch and build time are /etc/version.patch and /etc/version.buildtime", src: "Models/SystemVersion.inc get_pfsense_version (VERSION_PATCH_PATH, VERSION_BUILDTIME_PATH)", test: t("APIModelsSystemVersion", "test_read"),
			steps: []step{get("/api/v2/system/version").then(save("patch", "buildtime")),
				post(cmd, `{"command":"cat /etc/version.patch"}`).then(coreOutputIs(saved, "patch")),
				post(cmd, `{"command":"cat /etc/version.buildtime"}`).then(coreOutputIs(saved, "buildtime"))}},
		{area: "system", name: "the command prompt answers a command's output and exit status", src: "Models/CommandPrompt.inc _create ; Core/Command.inc run_command (2>&1, implode(PHP_EOL))", test: t("APIModelsCommandPrompt", "test_command_prompt"),
			steps: []step{post(cmd, `{"command":"echo 'test'"}`).has(`"output":"test"`, `"result_code":0`).not(`"command"`),
				post(cmd, `{"command":"not_an_executable"}`).has(`"output":"sh: not_an_executable: not found"`, `"result_code":127`)}},
		{area: "interfaces", name: "an available interface names its device, MAC address and assignment", src: "Models/AvailableInterface.inc get_all_avail_interfaces", test: t("APIModelsAvailableInterface", "test_read"),
			steps: []step{get("/api/v2/interface/available_interfaces").then(coreFirstNonEmpty("if", "mac", "in_use_by"))}},
		{area: "apply", name: "a new virtual IP is pending until the virtual IPs are applied", src: "Models/VirtualIP.inc _create (serialize_changes: /tmp/.firewall_virtual_ip.apply) ; Models/VirtualIPApply.inc get_applied_status, apply", test: t("APIModelsVirtualIPApply", "test_apply"),
			note: "the test writes the pending file itself; here a create does. The apply runs a dispatcher, asynchronous on a real firewall unless async is false",
			steps: []step{get("/api/v2/firewall/virtual_ip/apply").has(`"applied":true`),
				post("/api/v2/firewall/virtual_ip", `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.250","subnet_bits":24}`),
				get("/api/v2/firewall/virtual_ip/apply").has(`"applied":false`),
				post("/api/v2/firewall/virtual_ip/apply", ""), get("/api/v2/firewall/virtual_ip/apply").has(`"applied":true`)}},

		// Certificate authority renewal and certificate generation.
		{area: "models", name: "renewing a generated CA with reusekey and reuseserial keeps its key and serial", src: "Models/CertificateAuthorityRenew.inc _create ; pfSense certs.inc cert_renew", test: t("APIModelsCertificateAuthorityRenew", "test_renew_certificate_authority_reuse"),
			note: "the test also finds the certificate unchanged: it renews within the second the CA was made, so the re-signed certificate is byte-identical; a later renewal changes its validity and so the certificate",
			steps: []step{expose, post("/api/v2/system/certificate_authority/generate", caGen).then(save("refid", "crt", "prv")),
				post("/api/v2/system/certificate_authority/renew", `{"caref":"{prev.refid}","reusekey":true,"reuseserial":true,"strictsecurity":false}`).then(coreSerials(true)),
				get("/api/v2/system/certificate_authorities?refid={prev.caref}").then(coreKeyKept(saved, true, false))}},
		{area: "models", name: "renewing a generated CA without reuse changes its certificate, key and serial", src: "Models/CertificateAuthorityRenew.inc _create ; pfSense certs.inc cert_renew", test: t("APIModelsCertificateAuthorityRenew", "test_renew_certificate_authority_no_reuse"),
			steps: []step{expose, post("/api/v2/system/certificate_authority/generate", caGen).then(save("refid", "crt", "prv")),
				post("/api/v2/system/certificate_authority/renew", `{"caref":"{prev.refid}","reusekey":false,"reuseserial":false,"strictsecurity":false}`).then(coreSerials(false)),
				get("/api/v2/system/certificate_authorities?refid={prev.caref}").then(coreKeyKept(saved, false, true))}},
		{area: "models", name: "a CA renewal reuses the key and serial unless told otherwise", src: "Models/CertificateAuthorityRenew.inc get_internal, reusekey and reuseserial (default true)", test: t("APIModelsCertificateAuthorityRenew", "test_reusekey_and_reuseserial_default_to_true"),
			steps: []step{expose, post("/api/v2/system/certificate_authority/generate", caGen).then(save("refid", "crt", "prv")),
				post("/api/v2/system/certificate_authority/renew", `{"caref":"{prev.refid}"}`).has(`"reusekey":true`, `"reuseserial":true`).then(coreSerials(true)),
				get("/api/v2/system/certificate_authorities?refid={prev.caref}").then(coreKeyKept(saved, true, false))}},
		{area: "models", name: "a generated RSA certificate carries its DN and SANs and a matching 2048-bit key", src: "Models/CertificateGenerate.inc generate_cert (cert_create) ; ModelTraits/CertificateModelTraits.inc to_x509_dn", test: t("APIModelsCertificateGenerate", "test_generate_rsa_certificate"),
			note: "prv is sensitive: shown with expose_sensitive_fields",
			steps: []step{expose, post("/api/v2/system/certificate_authority/generate", caGen),
				post("/api/v2/system/certificate/generate", `{"descr":"testcert","caref":"{prev.refid}","keytype":"RSA","keylen":2048,"digest_alg":"sha256","lifetime":3650,"type":"user","dn_country":"US","dn_state":"UT","dn_city":"Salt Lake City","dn_organization":"ACME Org","dn_organizationalunit":"IT","dn_commonname":"testcert.example.com","dn_dns_sans":["testcert2.example.com","testcert3.example.com"],"dn_email_sans":["example@example.com"],"dn_ip_sans":["127.0.0.1"],"dn_uri_sans":["http://example.com"]}`).
					then(coreGeneratedCert)}},
		{area: "fields", name: "a generated certificate's digest is one of pfSense's digests", src: "ModelTraits/CertificateModelTraits.inc get_digest_alg_choices (pfSense certs.inc $openssl_digest_algs)", test: t("APIModelsCertificateGenerate", "test_get_digest_alg_choices"),
			steps: []step{post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"md5","dn_commonname":"c.example.com"}`).is(400, "FIELD_INVALID_CHOICE", "Field `digest_alg` must be one of [sha1, sha224, sha256, sha384, sha512]"),
				post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"sha512","dn_commonname":"c.example.com"}`).has(`"digest_alg":"sha512"`)}},
		{area: "fields", name: "a generated certificate's country is a country code (US, CA, GB)", src: "ModelTraits/CertificateModelTraits.inc get_country_choices (pfSense get_cert_country_codes)", test: t("APIModelsCertificateGenerate", "test_get_country_choices"),
			steps: []step{post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"c.example.com","dn_country":"CA"}`).has(`"dn_country":"CA"`),
				post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"c.example.com","dn_country":"GB"}`).has(`"dn_country":"GB"`),
				post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"c.example.com","dn_country":"XX"}`).is(400, "FIELD_INVALID_CHOICE", "")}},
		{area: "fields", name: "a generated certificate's curve is one OpenSSL knows", src: "ModelTraits/CertificateModelTraits.inc get_ecname_choices (pfSense certs.inc cert_build_curve_list: openssl_get_curve_names)", test: t("APIModelsCertificateGenerate", "test_get_ecname_choices"),
			note: "the list is the installed OpenSSL's; prime256v1 is always in it and a made-up name never is",
			steps: []step{post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"prime256v1","digest_alg":"sha256","dn_commonname":"c.example.com"}`).has(`"ecname":"prime256v1"`),
				post("/api/v2/system/certificate/generate", `{"descr":"c","caref":"67a1f0c2a9b8c","keytype":"ECDSA","ecname":"not_a_curve","digest_alg":"sha256","dn_commonname":"c.example.com"}`).is(400, "FIELD_INVALID_CHOICE", "")}},

		// Field classes, through models that use them.
		{area: "fields", name: "a Base64Field reads back as the text written, not its base64", src: "Fields/Base64Field.inc _to_internal, _from_internal ; Models/User.inc authorizedkeys", test: t("APIFieldsBase64Field", "test_to_internal ; test_from_internal"),
			steps: []step{patch("/api/v2/user", `{"id":1,"authorizedkeys":"test"}`).has(`"authorizedkeys":"test"`),
				get("/api/v2/user?id=1").has(`"authorizedkeys":"test"`).not("dGVzdA==")}},
		{area: "fields", name: "a BooleanField stored as enabled/disabled reads as a JSON boolean", src: "Fields/BooleanField.inc _to_internal, _from_internal (indicates_true, indicates_false) ; " + m + " (log_successful_auth)", test: t("APIFieldsBooleanField", "test_boolean_field_from_internal ; test_boolean_field_to_internal"),
			steps: []step{patch(settings, `{"log_successful_auth":true}`).has(`"log_successful_auth":true`), get(settings).has(`"log_successful_auth":true`),
				patch(settings, `{"log_successful_auth":false}`).has(`"log_successful_auth":false`), get(settings).has(`"log_successful_auth":false`)}},
		{area: "fields", name: "an IntegerField reads as a JSON integer and is at least 0 unless told otherwise", src: "Fields/IntegerField.inc _from_internal (intval), __construct (NumericRangeValidator minimum 0) ; Models/EmailNotificationSettings.inc timeout", test: t("APIFieldsIntegerField", "test_integer_field_from_internal ; test_integer_field_length_validator_default"),
			note: "the NumericRangeValidator is joined with `$validators + [...]`, so a field with validators of its own has none; timeout has none",
			steps: []step{get("/api/v2/user?id=1").has(`"uid":2000`),
				patch("/api/v2/system/notifications/email_settings", `{"timeout":-1}`).is(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `timeout` must be greater than or equal to `0`. Received `-1`")}},
		{area: "fields", name: "a StringField reads as a JSON string and is at most 1024 characters unless told otherwise", src: "Fields/StringField.inc _from_internal (strval), __construct (LengthValidator maximum_length 1024) ; Models/SystemTunable.inc descr", test: t("APIFieldsStringField", "test_string_field_from_internal ; test_string_field_length_validator_default"),
			steps: []step{get("/api/v2/firewall/nat/port_forward?id=0").has(`"local_port":"443"`),
				patch("/api/v2/system/tunable", `{"id":0,"descr":"`+strings.Repeat("a", 1025)+`"}`).is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `descr` exceeds the maximum character length of 1024."),
				patch("/api/v2/system/tunable", `{"id":0,"descr":"`+strings.Repeat("a", 1024)+`"}`)}},
		{area: "fields", name: "a UIDField is a new uniqid for every object", src: "Fields/UIDField.inc __construct (default uniqid(prefix), read_only) ; Models/VirtualIP.inc uniqid", test: t("APIFieldsUIDField", "test_default ; test_prefix"),
			note: "no model of either version sets a prefix; uniqid() is 13 hexadecimal digits",
			steps: []step{post("/api/v2/firewall/virtual_ip", `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.250","subnet_bits":24}`).then(save("uniqid")),
				post("/api/v2/firewall/virtual_ip", `{"mode":"ipalias","interface":"lan","subnet":"192.168.1.251","subnet_bits":24}`).then(coreNewUID(saved, "uniqid"))}},
		{area: "fields", name: "UnixTimeFields take the time of the create, and auto_update_now ones the time of every update", src: "Fields/UnixTimeField.inc __construct (auto_add_now), to_internal (auto_update_now) ; Models/FirewallRule.inc created_time, updated_time", test: t("APIFieldsUnixTimeField", "test_auto_add_now_at_creation ; test_auto_update_now"),
			steps: []step{post("/api/v2/firewall/rule", `{"type":"pass","interface":["lan"],"ipprotocol":"inet","protocol":"tcp","source":"any","destination":"any"}`).then(coreNow("created_time", "updated_time")),
				patch("/api/v2/firewall/rule", `{"id":0,"descr":"touched"}`).has(`"created_time":1756300000`).then(coreNow("updated_time"))}},

		// Query filters.
		{area: "query", name: "gt compares numbers, numeric strings too, and is strict", src: "QueryFilters/GreaterThanQueryFilter.inc evaluate (is_numeric both, floatval)", test: t("APIQueryFiltersGreaterThanQueryFilter", "test_evaluate"),
			note: "local_port is the string `443`; a non-numeric field never matches",
			steps: []step{get("/api/v2/user/groups?gid__gt=1998").then(coreNames("name", `["admins"]`)),
				get("/api/v2/user/groups?gid__gt=1999").then(coreCount(0)),
				get("/api/v2/firewall/nat/port_forwards?local_port__gt=442").then(coreCount(1)),
				get("/api/v2/firewall/nat/port_forwards?local_port__gt=443").then(coreCount(0)),
				get("/api/v2/user/groups?name__gt=0").then(coreCount(0))}},
		{area: "query", name: "gte compares numbers and numeric strings and includes equality", src: "QueryFilters/GreaterThanEqualQueryFilter.inc evaluate", test: t("APIQueryFiltersGreaterThanEqualQueryFilter", "test_evaluate"),
			steps: []step{get("/api/v2/user/groups?gid__gte=1999").then(coreNames("name", `["admins"]`)),
				get("/api/v2/user/groups?gid__gte=1998").then(coreNames("name", `["all","admins"]`)),
				get("/api/v2/user/groups?gid__gte=2000").then(coreCount(0)),
				get("/api/v2/firewall/nat/port_forwards?local_port__gte=443").then(coreCount(1)),
				get("/api/v2/firewall/nat/port_forwards?local_port__gte=444").then(coreCount(0))}},
		{area: "query", name: "lte compares numbers and numeric strings and includes equality", src: "QueryFilters/LessThanEqualQueryFilter.inc evaluate", test: t("APIQueryFiltersLessThanEqualQueryFilter", "test_evaluate"),
			steps: []step{get("/api/v2/user/groups?gid__lte=1998").then(coreNames("name", `["all"]`)),
				get("/api/v2/user/groups?gid__lte=1999").then(coreNames("name", `["all","admins"]`)),
				get("/api/v2/user/groups?gid__lte=1997").then(coreCount(0)),
				get("/api/v2/firewall/nat/port_forwards?local_port__lte=443").then(coreCount(1)),
				get("/api/v2/firewall/nat/port_forwards?local_port__lte=442").then(coreCount(0))}},

		// X509Validator, through the certificate models.
		{area: "validators", name: "X509Validator allow_crt: a certificate is taken, other text is not", src: "Validators/X509Validator.inc validate (allow_crt) ; Models/Certificate.inc crt", test: t("APIValidatorsX509Validator", "test_allow_crt ; test_allow_prv ; test_is_matching_key_pair"),
			note: "the test's certificate with its PKCS#8 key is a matching pair and imports",
			steps: []step{post("/api/v2/system/certificate", coreCertBody("t1", coreX509CRT, coreX509PRV)).has(`"descr":"t1"`),
				post("/api/v2/system/certificate", coreCertBody("t2", "not a certificate!", coreX509PRV)).is(400, "X509_VALIDATOR_INVALID_VALUE", "Field `crt` is not a valid X509 string. Valid X509 types are: [certificate]")}},
		{area: "validators", name: "X509Validator allow_prv: a Certificate's key is a private key in one of three forms, and names certificate first", src: "Validators/X509Validator.inc validate, get_options_str (allow_crt defaults to true) ; Models/Certificate.inc prv", test: t("APIValidatorsX509Validator", "test_allow_prv"),
			note: "Certificate.prv's validator does not turn allow_crt off, so the message lists certificate too",
			steps: []step{post("/api/v2/system/certificate", coreCertBody("t3", coreX509CRT, "not a private key!")).is(400, "X509_VALIDATOR_INVALID_VALUE",
				"Field `prv` is not a valid X509 string. Valid X509 types are: [certificate, private key, RSA private key, EC private key]")}},
		{area: "validators", name: "X509Validator allow_rsa: a CA's key may not be under an RSA PRIVATE KEY label", src: "Validators/X509Validator.inc validate (RSA_BEGIN only with allow_rsa) ; Models/CertificateAuthority.inc prv (allow_prv, allow_ecprv)", test: t("APIValidatorsX509Validator", "test_allow_rsa"),
			note: "`BEGIN RSA PRIVATE KEY` does not contain `BEGIN PRIVATE KEY`; the same key as PKCS#8 imports",
			steps: []step{post("/api/v2/system/certificate_authority", coreCertBody("c1", coreX509CRT, coreX509RSA)).is(400, "X509_VALIDATOR_INVALID_VALUE",
				"Field `prv` is not a valid X509 string. Valid X509 types are: [certificate, private key, EC private key]"),
				post("/api/v2/system/certificate_authority", coreCertBody("c2", coreX509CRT, coreX509PRV)).has(`"descr":"c2"`)}},
		{area: "validators", name: "X509Validator allow_ecprv: an EC key passes the validator, then fails the key pair check", src: "Validators/X509Validator.inc validate (allow_ecprv), is_matching_keypair ; Models/Certificate.inc validate_prv ; Models/CertificateAuthority.inc validate_prv", test: t("APIValidatorsX509Validator", "test_allow_ecprv ; test_is_matching_key_pair"),
			steps: []step{post("/api/v2/system/certificate", coreCertBody("t4", coreX509CRT, coreX509ECPRV)).is(400, "CERTIFICATE_CRT_AND_PRV_NOT_KEYPAIR", "Field `prv` and field `crt` values must be a matching key pair."),
				post("/api/v2/system/certificate_authority", coreCertBody("c3", coreX509CRT, coreX509ECPRV)).is(400, "CERTIFICATE_AUTHORITY_CRT_AND_PRV_NOT_KEYPAIR", "Field `prv` and field `crt` values must be a matching key pair.")}},
		{area: "validators", name: "X509Validator allow_csr: a signing request is signed, other text and certificates are not", src: "Validators/X509Validator.inc validate (allow_crt false, allow_csr) ; Models/CertificateSigningRequestSign.inc csr, sign_csr", test: t("APIValidatorsX509Validator", "test_allow_csr"),
			steps: []step{post("/api/v2/system/certificate/signing_request/sign", coreSignBody("not a CSR!")).is(400, "X509_VALIDATOR_INVALID_VALUE", "Field `csr` is not a valid X509 string. Valid X509 types are: [certificate signing request]"),
				post("/api/v2/system/certificate/signing_request/sign", coreSignBody(coreX509CRT)).is(400, "X509_VALIDATOR_INVALID_VALUE", "Field `csr` is not a valid X509 string. Valid X509 types are: [certificate signing request]"),
				post("/api/v2/system/certificate/signing_request/sign", coreSignBody(coreX509CSR)).has(`"caref":"67a1f0c2a9b8c"`, `"crt":"-----BEGIN CERTIFICATE-----`)}},
		{area: "validators", name: "X509Validator's certificate check looks for BEGIN CERTIFICATE twice, so a CSR passes it", src: "Validators/X509Validator.inc CRT_END = 'BEGIN CERTIFICATE' ; Models/Certificate.inc validate_prv (cert_get_publickey of a CSR as crt is empty)", test: t("APIValidatorsX509Validator", "test_allow_crt"),
			note:  "the package's CRT_END constant repeats BEGIN CERTIFICATE; the key pair check then fails because `openssl x509` cannot read a CSR",
			steps: []step{post("/api/v2/system/certificate", coreCertBody("t7", coreX509CSR, coreX509PRV)).is(400, "CERTIFICATE_CRT_AND_PRV_NOT_KEYPAIR", "Field `prv` and field `crt` values must be a matching key pair.")}},
	}
}

// coreCertBody is a certificate (or CA) import.
func coreCertBody(descr, crt, prv string) string {
	b, _ := json.Marshal(map[string]any{"descr": descr, "crt": crt, "prv": prv})
	return string(b)
}

// coreSignBody asks the seed's CA to sign a CSR.
func coreSignBody(csr string) string {
	b, _ := json.Marshal(map[string]any{"descr": "signed", "caref": "67a1f0c2a9b8c", "csr": csr, "digest_alg": "sha256", "lifetime": 365, "type": "server"})
	return string(b)
}

// coreCount checks the number of objects in the data list.
func coreCount(n int) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		if got := len(r.column("id")); got != n {
			t.Errorf("%d objects, want %d: %.300s", got, n, r.env.Data)
		}
	}
}

// coreNames checks one field of every object in the data list.
func coreNames(field, want string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) { eq(t, field+"s", r.column(field), want) }
}

// coreLogLines: at most limit entries, each with its text.
func coreLogLines(limit int) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		texts := r.column("text")
		if len(texts) > limit {
			t.Errorf("%d entries, want at most %d", len(texts), limit)
		}
		for i, x := range texts {
			if s, _ := x.(string); s == "" {
				t.Errorf("entry %d has no text", i)
			}
		}
	}
}

// coreFirstNonEmpty: the first object of the data list has these fields, none empty.
func coreFirstNonEmpty(fields ...string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		var l []map[string]any
		if json.Unmarshal(r.env.Data, &l); len(l) == 0 {
			t.Fatalf("no objects: %.300s", r.raw)
		}
		for _, f := range fields {
			if v := l[0][f]; v == nil || v == "" {
				t.Errorf("%s is empty: %v", f, l[0])
			}
		}
	}
}

// coreKeep saves the data object under a name; coreSameAs compares a later one with it.
func coreKeep(saved map[string]any, name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		var o map[string]any
		json.Unmarshal(r.env.Data, &o)
		saved[name] = o
		if s, _ := o["refid"].(string); s == "" {
			t.Errorf("no refid: %v", o)
		}
	}
}

func coreSameAs(saved map[string]any, name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		var o map[string]any
		json.Unmarshal(r.env.Data, &o)
		a, _ := json.Marshal(saved[name])
		b, _ := json.Marshal(o)
		if string(a) != string(b) {
			t.Errorf("read back %s\nwritten   %s", b, a)
		}
	}
}

// coreJWT decodes the token's claims (RFC 7519; the package signs HS256).
func coreJWT(host, user string, exp float64) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		tok, _ := r.field("token").(string)
		parts := strings.Split(tok, ".")
		if len(parts) != 3 {
			t.Fatalf("token %q is not a JWT", tok)
		}
		b, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatalf("claims: %v", err)
		}
		var c map[string]any
		json.Unmarshal(b, &c)
		eq(t, "iss", c["iss"], `"`+host+`"`)
		eq(t, "aud", c["aud"], `"`+host+`"`)
		eq(t, "data", c["data"], `"`+user+`"`)
		nbf, _ := c["nbf"].(float64)
		e, _ := c["exp"].(float64)
		if e-nbf != exp {
			t.Errorf("exp - nbf = %v, want %v (claims %s)", e-nbf, exp, b)
		}
		if d := math.Abs(nbf - float64(time.Now().Unix())); d > 120 {
			t.Errorf("nbf %v is %v s from now", nbf, d)
		}
	}
}

var coreSemver = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

func coreAPIVersion(t *testing.T, r result) {
	cur, _ := r.field("current_version").(string)
	if !coreSemver.MatchString(cur) {
		t.Errorf("current_version %q is not a v-prefixed semver", cur)
	}
	avail, _ := r.field("available_versions").([]any)
	if len(avail) > 0 && r.field("latest_version") != avail[0] {
		t.Errorf("latest_version %v, first available %v", r.field("latest_version"), avail[0])
	}
}

// corePingState: the state of one unanswered ping, as the package's test expects it.
func corePingState(t *testing.T, r result) {
	var l []map[string]any
	if json.Unmarshal(r.env.Data, &l); len(l) == 0 {
		t.Fatalf("no ICMP state to 127.0.0.50: %.300s", r.raw)
	}
	s := l[0]
	for _, f := range []string{"interface", "age", "expires_in"} {
		if v, _ := s[f].(string); v == "" {
			t.Errorf("%s is empty", f)
		}
	}
	eq(t, "protocol", s["protocol"], `"icmp"`)
	eq(t, "direction", s["direction"], `"out"`)
	eq(t, "packets", []any{s["packets_total"], s["packets_in"], s["packets_out"], s["bytes_out"]}, `[1,1,0,0]`)
	for _, f := range []string{"bytes_total", "bytes_in"} {
		if v, _ := s[f].(float64); v <= 0 {
			t.Errorf("%s = %v, want more than 0", f, s[f])
		}
	}
}

// coreOutputHas: the command's output, whitespace collapsed, contains want.
func coreOutputHas(want string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		out, _ := r.field("output").(string)
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}

// coreOutputIs: the command ran and printed what an earlier step saved (a number as digits).
func coreOutputIs(saved map[string]any, name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		out, _ := r.field("output").(string)
		if want := fmt.Sprint(saved[name]); r.field("result_code") != float64(0) || out != want {
			t.Errorf("output %q (result_code %v), want %s %q", out, r.field("result_code"), name, want)
		}
	}
}

func coreKeepOutput(saved map[string]any, name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) { saved[name] = r.field("output") }
}

func coreSystemVersion(saved map[string]any) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		v, _ := saved["version"].(string)
		eq(t, "version", r.field("version"), fmt.Sprintf("%q", v))
		eq(t, "base", r.field("base"), fmt.Sprintf("%q", strings.Split(v, "-")[0]))
	}
}

func coreGatewayStatus(t *testing.T, r result) {
	var l []map[string]any
	if json.Unmarshal(r.env.Data, &l); len(l) == 0 {
		t.Fatalf("no gateway status: %.300s", r.raw)
	}
	g := l[0]
	for _, f := range []string{"name", "status", "substatus"} {
		if v, _ := g[f].(string); v == "" {
			t.Errorf("%s is empty", f)
		}
	}
	for _, f := range []string{"srcip", "monitorip"} {
		if v, _ := g[f].(string); net.ParseIP(v) == nil {
			t.Errorf("%s %q is no IP address", f, v)
		}
	}
	for _, f := range []string{"delay", "stddev"} {
		if v, ok := g[f].(float64); !ok || v == 0 {
			t.Errorf("%s = %v, want a non-zero number", f, g[f])
		}
	}
	if v, ok := g["loss"].(float64); !ok || v < 0 || v > 100 {
		t.Errorf("loss = %v, want 0 to 100", g["loss"])
	}
}

func coreSystemStatus(t *testing.T, r result) {
	var s map[string]any
	json.Unmarshal(r.env.Data, &s)
	load, _ := s["cpu_load_avg"].([]any)
	if len(load) != 3 {
		t.Fatalf("cpu_load_avg = %v, want 3 values", s["cpu_load_avg"])
	}
	n, _ := s["cpu_count"].(float64)
	if n < 1 || n != math.Trunc(n) {
		t.Errorf("cpu_count = %v, want a positive integer", s["cpu_count"])
	}
	if _, ok := s["kernel_pti"].(bool); !ok {
		t.Errorf("kernel_pti = %v, want a boolean", s["kernel_pti"])
	}
	if u, _ := s["uptime"].(string); u == "" {
		t.Errorf("uptime is empty")
	}
	for _, f := range []string{"mem_usage", "mbuf_usage", "swap_usage", "disk_usage"} {
		if v, ok := s[f].(float64); !ok || v < 0 || v > 100 {
			t.Errorf("%s = %v, want 0 to 100", f, s[f])
		}
	}
	l0, _ := load[0].(float64)
	want := math.Min(l0/n*100, 100)
	if u, ok := s["cpu_usage"].(float64); !ok || n == 0 || math.Abs(u-want) > 1e-6 {
		t.Errorf("cpu_usage = %v, want cpu_load_avg[0] / cpu_count * 100 = %v", s["cpu_usage"], want)
	}
}

// coreSerials checks a renewal's serials: kept or changed.
func coreSerials(same bool) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		o, n := r.field("oldserial"), r.field("newserial")
		if o == nil || (o == n) != same {
			t.Errorf("oldserial %v, newserial %v: want same=%v", o, n, same)
		}
	}
}

// coreKeyKept compares the renewed CA (first of the list) with the one generated.
func coreKeyKept(saved map[string]any, keyKept, crtChanged bool) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		var l []map[string]any
		if json.Unmarshal(r.env.Data, &l); len(l) != 1 {
			t.Fatalf("want the one CA: %.300s", r.raw)
		}
		if (l[0]["prv"] == saved["prv"]) != keyKept {
			t.Errorf("key kept = %v, want %v", l[0]["prv"] == saved["prv"], keyKept)
		}
		if crtChanged && l[0]["crt"] == saved["crt"] {
			t.Errorf("the certificate did not change")
		}
	}
}

// coreGeneratedCert checks the generated certificate and key as the package's test does.
func coreGeneratedCert(t *testing.T, r result) {
	crtPEM, _ := r.field("crt").(string)
	prvPEM, _ := r.field("prv").(string)
	cb, _ := pem.Decode([]byte(crtPEM))
	kb, _ := pem.Decode([]byte(prvPEM))
	if cb == nil || kb == nil {
		t.Fatalf("crt or prv is not PEM: %.300s", r.raw)
	}
	c, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	var key any
	if key, err = x509.ParsePKCS8PrivateKey(kb.Bytes); err != nil {
		key, err = x509.ParsePKCS1PrivateKey(kb.Bytes)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if err != nil || !ok {
		t.Fatalf("prv is no RSA key (%T, %v)", key, err)
	}
	if rk.N.BitLen() != 2048 {
		t.Errorf("key of %d bits, want 2048", rk.N.BitLen())
	}
	if !rk.PublicKey.Equal(c.PublicKey) {
		t.Errorf("crt and prv are not a key pair")
	}
	s := c.Subject
	eq(t, "subject", []any{s.Country, s.Province, s.Locality, s.Organization, s.OrganizationalUnit, s.CommonName},
		`[["US"],["UT"],["Salt Lake City"],["ACME Org"],["IT"],"testcert.example.com"]`)
	var ips, uris []string
	for _, ip := range c.IPAddresses {
		ips = append(ips, ip.String())
	}
	for _, u := range c.URIs {
		uris = append(uris, u.String())
	}
	for _, want := range []string{"testcert2.example.com", "testcert3.example.com"} {
		if !strings.Contains(strings.Join(c.DNSNames, ","), want) {
			t.Errorf("DNS SANs %v lack %s", c.DNSNames, want)
		}
	}
	eq(t, "email SANs", c.EmailAddresses, `["example@example.com"]`)
	eq(t, "IP SANs", ips, `["127.0.0.1"]`)
	eq(t, "URI SANs", uris, `["http://example.com"]`)
}

// coreNewUID: a uniqid (13 hex digits) other than the saved one.
func coreNewUID(saved map[string]any, name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		a, _ := saved[name].(string)
		b, _ := r.field(name).(string)
		re := regexp.MustCompile(`^[0-9a-f]{13}$`)
		if !re.MatchString(a) || !re.MatchString(b) || a == b {
			t.Errorf("%s %q then %q: want two different uniqids", name, a, b)
		}
	}
}

// coreNow: these time fields are now (within two minutes).
func coreNow(fields ...string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		now := float64(time.Now().Unix())
		for _, f := range fields {
			if v, _ := r.field(f).(float64); math.Abs(v-now) > 120 {
				t.Errorf("%s = %v, want about %v", f, r.field(f), now)
			}
		}
	}
}

// The PEM values of Tests/APIValidatorsX509ValidatorTestCase.inc (EXAMPLE_CRT, EXAMPLE_PRV, EXAMPLE_RSA,
// EXAMPLE_ECPRV, EXAMPLE_CSR): a self-signed CA certificate with its PKCS#8 key, the same key under an
// RSA label, an unrelated EC key and a CSR.
const (
	coreX509CRT = `-----BEGIN CERTIFICATE-----
MIIDnzCCAoegAwIBAgIUd9R9uoNKE2GoxgJPwzRn67WV4bgwDQYJKoZIhvcNAQEL
BQAwXzELMAkGA1UEBhMCVVMxDTALBgNVBAgMBFV0YWgxFzAVBgNVBAcMDlNhbHQg
TGFrZSBDaXR5MRIwEAYDVQQKDAlBY21lIEluYy4xFDASBgNVBAMMC2V4YW1wbGUu
Y29tMB4XDTIzMTIyMzAxNTIzMFoXDTMzMTIyMDAxNTIzMFowXzELMAkGA1UEBhMC
VVMxDTALBgNVBAgMBFV0YWgxFzAVBgNVBAcMDlNhbHQgTGFrZSBDaXR5MRIwEAYD
VQQKDAlBY21lIEluYy4xFDASBgNVBAMMC2V4YW1wbGUuY29tMIIBIjANBgkqhkiG
9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsOO3ABmSowO9LxYb4nN6QSaj2wrEJLyyXW0s
w3wPYkskQ+LFSCK1nBfJJXzPL3JqeBYksIppjyVCBWHSjbDN4DCy4zWheBWiNX0N
MMEyRgCefcmyJhw0GCcG3LQdB4lwlNOQiNQ7cd7H7Tl4ufIWaq4GZeJlF0VDvwb7
suDvhEB1UgtXIaAy2+JAFp+hV/x5PcaKnppu2OgWMEGXY0pMC3cRq/cfPvDolrQI
rlOxE1+XTlL7xylu/SVg/aHCHjgRKa9G4mpMQuDMnvn6TaJZRwF0K+jmCpjk6qTY
Uqxuc+Ua1OMCqUHO3fVEY0s+ULkVL5nFItaaUGdKcrPn8hEvOwIDAQABo1MwUTAd
BgNVHQ4EFgQUR5oK7sWvKs8QOsNnnRXvVGxvLkgwHwYDVR0jBBgwFoAUR5oK7sWv
Ks8QOsNnnRXvVGxvLkgwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC
AQEAYCfLDfnHTKWipng64tNWAvwgiIj2IsdfPibypgJiuWAY1kDL6Vz328N6Jr2T
Ljs2M8HlP+Xo8CxSx2I2NHSWhad8eFKOX4AhOjTk0fDMDBe1AlRuLTNlyBDdWAMI
7B5RbeCuIlHqwy7DefTtzVkHHoG8vB/hY7jukOIlxnyjmwTbFNBHmeo7+BmWhxQ2
5JPfqJelyprR6OA+CpZhu4bLjwS1J6iOaVMOgnvzGVHLD5o7cFv+bLoc/VyfTn2v
cU/K9lj+3VxX+W3Vj7L7xSY9UnGfF2trcokXIzNirVHEPDLUQDWZ1YyqQBHPBYVV
BL1l1UjlU4Vb8ubjQ1/ISq95dw==
-----END CERTIFICATE-----`
	coreX509PRV = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCw47cAGZKjA70v
Fhvic3pBJqPbCsQkvLJdbSzDfA9iSyRD4sVIIrWcF8klfM8vcmp4FiSwimmPJUIF
YdKNsM3gMLLjNaF4FaI1fQ0wwTJGAJ59ybImHDQYJwbctB0HiXCU05CI1Dtx3sft
OXi58hZqrgZl4mUXRUO/Bvuy4O+EQHVSC1choDLb4kAWn6FX/Hk9xoqemm7Y6BYw
QZdjSkwLdxGr9x8+8OiWtAiuU7ETX5dOUvvHKW79JWD9ocIeOBEpr0biakxC4Mye
+fpNollHAXQr6OYKmOTqpNhSrG5z5RrU4wKpQc7d9URjSz5QuRUvmcUi1ppQZ0py
s+fyES87AgMBAAECggEAAeQ3wDxO6VDnRsNDQlr+wgbf9mKU31mxe22NpXwNn3zz
NUCgKZCpczLqxTXHO/OT5gSwT+PQuG7GfL0++Q+cktGifcYyQFD5MLUWr4T96o62
IyZXxGazO56Y7a/zE817pTPCOtMwb0B+PcuBLFWOlM68ATVTm0Lhj6RLQpMNmlMN
2w/AKGTzK4e4mzsgH/8N2b9uwgCtrDeB1HWQ8nKC9ZGeL0ZYmNvVKo5Umlsh+Y/1
PRwmaGciaap9Rrki4fHM+tHU33roIC3B6MRLdma0sLE4UoJ6IGgApL2ox4gX+qJy
qvitGzu9Oq3f0ZVuXM/Tk9zAIiZhFiY3ISNRvDppgQKBgQDfji4HO8/4geKhLf8K
UZxfpkVxTLj4J8b6T0olPsfe4Cj3vJu3PCjn3bT8+n6Px72Ub6HMbomSRZAnJUW2
i5VNWRT6NQhcLN566n9O4HJLoT7OkXoJ1SRAT6X3hsxcyZtjDNGgIhsOJ64dHce/
uu161aB1cqj0Jk1yoJiTfcEOuwKBgQDKj75jzlenbaJduCp3dbpOyjRHUdNjNmZR
Ja6GC/iO54NRKUXLt18gEzpFdPCxrQl9t7/lHi+6m6WU1Sfss3+Xxx8fIp8Pwggh
w1R2uZrzHzRhtAaEG9ZRTjJ7pEk/I/YBQ2OTdaWoUZKdl+B1O7sgWWJj16cUHFFf
MYWnVcGZgQKBgQCqFD2oezTqV8bX4WqbqyNREerbHAfNpFWZsiEy3OSrB9ejQvcl
HLvyS5aasOkA8nGlMJjkM2SuyAW4An9bNi7Mve1bvmUx22EYGrfohpHuQCrMdZln
SaVe2Dnoa8GnBisV3HbPYaM7zayFslZ54/kw7r45HJa1yT466zupWo86aQKBgQC7
t2ZbG9gDYwh7DbbdKg7UAXNdPKlHYhyDywXnV6Sq2kXJqxPxbCgNk4QG5g5Aufj3
tpdw/v6AUsmqGbd8FgSCZZejxPPfKJNcpqXZuLut3xcuDCWVvC5q/qquBluS1gKe
vRLEjtxMFfxna14phoctvWf+2tUNQAjwzPXtUv2tAQKBgAUsNWjqUE4WnI/Gu0II
bSIrTCXwoMS91HTKG5P1OhjHP7WH5hhKOlWc8SFPMn1ivu760n7F1qBkj4BOiDvy
4qYNpDCL82eUEfRtCiFmfsERhOnXRcaud8zQj/fNIOcvx5qADI1ErAJBzgp5ZGJp
E0InZI+5q1RzueYy8+j0FX/o
-----END PRIVATE KEY-----`
	coreX509ECPRV = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIM52UGyF/b3kF1wcPGeEf0/npV7YpgUJBhU4zsOfRowvoAoGCCqGSM49
AwEHoUQDQgAE1RtITpFIce3jjv2AkBqYaVRU0swODWO+DREC/xsYnaNSyVGT5hy6
R02Pul8ulWQ8Kl3Q3pou8As7W1mMzA2DxQ==
-----END EC PRIVATE KEY-----`
	coreX509CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIICpDCCAYwCAQAwXzELMAkGA1UEBhMCVVMxDTALBgNVBAgMBFV0YWgxFzAVBgNV
BAcMDlNhbHQgTGFrZSBDaXR5MRIwEAYDVQQKDAlBY21lIEluYy4xFDASBgNVBAMM
C2V4YW1wbGUuY29tMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvn2p
JfcUDhmnGOZcD1TYaTyAPFCwE11Nt93sKADQPrL5i4V8aWppOM4Rk4czu0/AN0hC
5xdind5JFcPMsTCnmRL3fmnwQzrA76MrsL7pEhdN17m/6WXEW8VPycO+POX4dBt/
7vk2G4oVsOVZCzWe0y4sdA58zFI6sDszo2oZr25rY8CYi1MQ7ThiXTGxXgzKVi5v
jGtqe3rBgKAGv1ofKCO/KtCvJglJsN2I5GJ08irLCYj19eT2u7j7CAW9x7VTB0s2
0XxM7PL0KN7NQmHG5tS+190LobBe1C9IgBid7IKlPof14mTWaEE6I0kZ8Yx1H2XF
bwZeGJWjXvqQsSlwnwIDAQABoAAwDQYJKoZIhvcNAQELBQADggEBACyHKyMKkEiW
6wB0D5ymsmdetGKKx8NG4LaW8yBHUkm8k9DIEDeZrVo4BvLmMHQKjJTEzLlXZ2ed
P3yxJiM9YmbrSQYpuX0tOSKKgrYfJl80Oo34PxjIxUdNuGxocRJUm7Uxr4G8EpEp
p57b2YDRMJU5rJCv5evkYbUDMOjyZ07s0hw3W7U+6CrQWaSuTNq8tWEHhnh0wnIT
CJbowbf6nJjngLWXgKviZsIO/dFeO0lNb+4Qup8nOEX7TvrmLaV/YvKOdiTj6bOy
H0t+b8M07WqCw6FuSkg/UcMgMMshSooVSIemL+YhK7tYQ9oQKcVdy34Xt69NDh2T
+tDO4ISrm0s=
-----END CERTIFICATE REQUEST-----`
)

// coreX509RSA is the PKCS#8 key under the PEM label of a PKCS#1 RSA key, which X509Validator's
// openssl check refuses for a CA.
var coreX509RSA = strings.ReplaceAll(coreX509PRV, "PRIVATE KEY", "RSA PRIVATE KEY")

// coreApiVersionCases hold behaviours that changed between v2.7.1 and v2.10.0.
func coreApiVersionCases(v10 bool) []ccase {
	long := patch("/api/v2/system/tunable", `{"id":0,"value":"`+strings.Repeat("a", 1025)+`"}`)
	if v10 {
		long = long.is(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `value` exceeds the maximum character length of 1024.")
	}
	return []ccase{
		{area: "fields", name: "a StringField with validators of its own has the 1024-character limit only from v2.10.0", src: "Fields/StringField.inc __construct ($validators + [LengthValidator] in v2.7.1, [...$validators, LengthValidator] in v2.10.0); Models/SystemTunable.inc value (RegexValidator)",
			test:  "Tests/APIFieldsStringFieldTestCase.inc test_string_field_length_validator_default",
			note:  "v2.7.1 joins the arrays with +, so key 0 (the RegexValidator) displaces the LengthValidator and a long value is accepted",
			steps: []step{long}},
	}
}
