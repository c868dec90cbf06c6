package simulator_test

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"math"
	"testing"
)

// svcCases follow the package's tests of API keys and settings, cron, the DHCP server's
// pools, options and apply, DNS resolver host overrides, NTP time servers, packages, settings
// sync, halt and reboot, groups, Wake-on-LAN and FreeRADIUS, translated into the requests the
// endpoints get (pfSense-pkg-RESTAPI v2.7.1; the models named here are unchanged in v2.10.0
// unless a note says otherwise). Tests that read services' files on disk (crontab, dhcpd.conf,
// host_entries.conf, raddb, ntpd.conf, /etc/group) are represented by what the API stores.
func svcCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	settings := "/api/v2/system/restapi/settings"
	key, keys := "/api/v2/auth/key", "/api/v2/auth/keys"
	cron := "/api/v2/services/cron/job"
	ntp, ntps := "/api/v2/services/ntp/time_server", "/api/v2/services/ntp/time_servers"
	pkg, pkgs := "/api/v2/system/package", "/api/v2/system/packages"
	ho, hoAlias := "/api/v2/services/dns_resolver/host_override", "/api/v2/services/dns_resolver/host_override/alias"
	frc, fri := "/api/v2/services/freeradius/client", "/api/v2/services/freeradius/interface"
	group := "/api/v2/user/group"
	wol := "/api/v2/services/wake_on_lan/send"
	var issued string // the key a create answered, for the next step
	return []ccase{
		// RESTAPIKey (Tests/APIModelsAPIKeyTestCase.inc).
		{area: "auth", name: "an API key is issued to the authenticating user, whatever username is sent", src: "Models/RESTAPIKey.inc validate_username (client->username)", test: t("APIKey", "test_api_keys_can_only_be_issued_to_existing_users"),
			note: "username is read_only and validate_username replaces it with the client's name; an authenticated client is always an existing user, so the 400 is not reachable over HTTP",
			steps: []step{post("/api/v2/user", `{"name":"bt_k","password":"pw","priv":["page-all"]}`),
				post(key, `{"descr":"mine","username":"admin"}`).as("basic:bt_k:pw").sub(`{"descr":"mine","username":"bt_k"}`)}},
		{area: "auth", name: "a key is length_bytes random bytes in hex and its stored hash is the hash_algo digest of that hex", src: "Models/RESTAPIKey.inc _create (bin2hex(random_bytes), hash(hash_algo, key))", test: t("APIKey", "test_key_and_hash_populated_after_creation"),
			note: "the hash is sensitive; expose_sensitive_fields shows it",
			steps: []step{patch(settings, `{"expose_sensitive_fields":true}`),
				post(key, `{"descr":"bt_long","length_bytes":64,"hash_algo":"sha512"}`).then(func(t *testing.T, r result) {
					issued, _ = r.field("key").(string)
					if len(issued) != 128 {
						t.Fatalf("key %q: want 64 bytes in hex", issued)
					}
				}),
				get(keys + "?descr=bt_long").then(func(t *testing.T, r result) {
					h := sha512.Sum512([]byte(issued))
					eq(t, "hash", r.column("hash"), `["`+hex.EncodeToString(h[:])+`"]`)
				}),
				post(key, `{"descr":"bt_short","length_bytes":16}`).then(func(t *testing.T, r result) {
					issued, _ = r.field("key").(string)
					if len(issued) != 32 {
						t.Fatalf("key %q: want 16 bytes in hex", issued)
					}
				}),
				get(keys + "?descr=bt_short").then(func(t *testing.T, r result) {
					h := sha256.Sum256([]byte(issued))
					eq(t, "hash", r.column("hash"), `["`+hex.EncodeToString(h[:])+`"]`)
					eq(t, "hash_algo", r.column("hash_algo"), `["sha256"]`)
				})}},
		{area: "sensitive", name: "a listed API key reads key null: the key is never stored", src: "Models/RESTAPIKey.inc key (representation_only, allow_null) ; Core/Model.inc to_representation", test: t("APIKey", "test_key_and_hash_populated_after_creation"),
			note: "the test checks to_internal()['key'] is empty; a read builds key from config, where it is absent, so it is null, and to_representation lists every field that is not hidden",
			steps: []step{post(key, `{"descr":"bt_once"}`).has(`"key":"`),
				get(keys + "?descr=bt_once").sub(`[{"descr":"bt_once","key":null}]`)}},
		{area: "auth", name: "an API key cannot be updated: PATCH /auth/key is 405", src: "Endpoints/AuthKeyEndpoint.inc (request_method_options POST, DELETE) ; Core/Endpoint.inc check_request_method ; Models/RESTAPIKey.inc _update", test: t("APIKey", "test_api_keys_cannot_be_updated"),
			note:  "the model's own 500 API_KEY_CANNOT_BE_UPDATED is behind an endpoint that has no PATCH",
			steps: []step{patch(key, `{"id":0,"descr":"x"}`).is(405, "ENDPOINT_METHOD_NOT_ALLOWED", "Resource at /api/v2/auth/key does not support the requested HTTP method `PATCH`")}},

		// RESTAPISettings (Tests/APIModelsAPISettingsTestCase.inc).
		{area: "envelope", name: "with hateoas on, objects carry _links (self, update, delete) and the answer a root _links; off, none", src: "Core/Model.inc to_representation, get_related_links, get_related_link ; Core/Response.inc to_representation (hateoas)", test: t("APISettings", "test_hateoas"),
			note: "links are the model's singular endpoint with ?id=; the rule's related fields add more links, not checked",
			steps: []step{patch(settings, `{"hateoas":true}`),
				get("/api/v2/firewall/rule?id=0").sub(`{"_links":{"self":{"href":"/api/v2/firewall/rule?id=0","method":"GET"},"update":{"href":"/api/v2/firewall/rule","method":"PATCH"},"delete":{"href":"/api/v2/firewall/rule?id=0","method":"DELETE"}}}`).
					then(func(t *testing.T, r result) {
						if !jsonHasRootKey(r.raw, "_links") {
							t.Errorf("the answer has no root _links: %.300s", r.raw)
						}
					}),
				patch(settings, `{"hateoas":false}`),
				get("/api/v2/firewall/rule?id=0").not(`"_links"`)}},

		// ConfigHistoryRevision (Tests/APIModelsConfigHistoryRevisionTestCase.inc).
		{area: "models", name: "a config history revision has a time, a description, a version and an integer file size", src: "Models/ConfigHistoryRevision.inc get_config_history ; pfSense config.lib.inc get_backups", test: t("ConfigHistoryRevision", "test_read"),
			steps: []step{get("/api/v2/diagnostics/config_history/revision?id=0").then(func(t *testing.T, r result) {
				for _, f := range []string{"time", "description", "version"} {
					if v := r.field(f); v == nil || v == "" || v == 0.0 {
						t.Errorf("%s is empty: %.300s", f, r.raw)
					}
				}
				if n, ok := r.field("filesize").(float64); !ok || n != math.Trunc(n) {
					t.Errorf("filesize is no integer: %.300s", r.raw)
				}
			})}},

		// CronJob (Tests/APIModelsCronJobTestCase.inc).
		{area: "relations", name: "cron jobs need the Cron package", src: "Models/CronJob.inc __construct (packages pfSense-pkg-Cron unless require_pkg false) ; Core/Model.inc check_packages", test: t("CronJob", "test_requires_pkg"),
			note: "the endpoint builds the model with require_pkg true; the seed's package id 2 is pfSense-pkg-Cron",
			steps: []step{get(pkg + "?id=2").sub(`{"name":"pfSense-pkg-Cron"}`), del(pkg + "?id=2"),
				post(cron, `{"minute":"15","hour":"6","mday":"5","month":"1","wday":"*","who":"root","command":"/usr/bin/true"}`).is(404, "MODEL_MISSING_REQUIRED_PACKAGE",
					"The requested action requires the `pfSense-pkg-Cron` package but it is not installed.")}},
		{area: "services", name: "a cron job with an @ event in minute has no hour, mday, month or wday", src: "Models/CronJob.inc hour, mday, month, wday (conditions !minute CRON_PREDEFINED_EVENTS) ; Core/Field.inc validate (conditions unmet: null)", test: t("CronJob", "test_crud"),
			note: "the test reads /etc/crontab after each step; over HTTP the stored job is what shows",
			steps: []step{post(cron, `{"minute":"15","hour":"6,12,18","mday":"5,15,20","month":"1","wday":"*","who":"root","command":"echo 'restapi test'"}`).
				sub(`{"id":1,"minute":"15","hour":"6,12,18","mday":"5,15,20","month":"1","wday":"*","who":"root","command":"echo 'restapi test'"}`),
				patch(cron, `{"id":1,"minute":"@hourly"}`).sub(`{"minute":"@hourly","hour":null,"mday":null,"month":null,"wday":null,"who":"root"}`),
				get(cron + "?id=1").sub(`{"minute":"@hourly","hour":null,"wday":null}`),
				del(cron + "?id=1"), get(cron+"?id=1").is(404, "MODEL_OBJECT_NOT_FOUND", "")}},

		// DHCP server (Tests/APIModelsDHCPServer*TestCase.inc).
		{area: "dhcp", name: "a pool's range_from cannot be above its range_to", src: "Models/DHCPServerAddressPool.inc validate_range_from (ip_greater_than)", test: t("DHCPServerAddressPool", "test_range_from_cannot_be_greater_than_range_to"),
			steps: []step{post("/api/v2/services/dhcp_server/address_pool", `{"parent_id":"lan","range_from":"192.168.1.201","range_to":"192.168.1.200"}`).is(400, "DHCP_SERVER_ADDRESS_POOL_RANGE_FROM_CANNOT_BE_GREATER_THAN_RANGE_TO",
				"DHCP server `range_from` cannot be greater than `range_to`.")}},
		{area: "apply", name: "a DHCP server update is pending until the DHCP apply endpoint applies it", src: "Models/DHCPServerApply.inc get_applied_status (is_subsystem_dirty dhcpd) ; Models/DHCPServer.inc (subsystem dhcpd)", test: t("DHCPServerApply", "test_apply_dhcp_server_changes"),
			note: "the test applies with async false; over HTTP the dispatcher runs in the background, so a real firewall may answer applied false for a moment after the POST",
			steps: []step{patch("/api/v2/services/dhcp_server", `{"id":"lan"}`), get("/api/v2/services/dhcp_server/apply").sub(`{"applied":false}`),
				post("/api/v2/services/dhcp_server/apply", `{}`), get("/api/v2/services/dhcp_server/apply").sub(`{"applied":true}`)}},
		{area: "dhcp", name: "custom options are listed under their server's numberoptions and leave it when deleted", src: "Models/DHCPServerCustomOption.inc (parent DHCPServer numberoptions) ; Models/DHCPServer.inc numberoptions (NestedModelField)", test: t("DHCPServerCustomOption", "test_crud"),
			note: "the test reads dhcpd.conf; over HTTP the parent's nested list shows the options",
			steps: []step{patch("/api/v2/services/dhcp_server/backend", `{"dhcpbackend":"isc"}`),
				post("/api/v2/services/dhcp_server/custom_option", `{"parent_id":"lan","number":5,"type":"text","value":"This is a good value."}`).sub(`{"parent_id":"lan","id":0,"number":5,"type":"text","value":"This is a good value."}`),
				post("/api/v2/services/dhcp_server/custom_option", `{"parent_id":"lan","number":10,"type":"ip-address","value":"1.2.3.4"}`).sub(`{"id":1,"number":10,"type":"ip-address","value":"1.2.3.4"}`),
				del("/api/v2/services/dhcp_server/custom_option?parent_id=lan&id=1"),
				get("/api/v2/services/dhcp_server?id=lan").sub(`{"numberoptions":[{"number":5,"value":"This is a good value."}]}`).not(`"1.2.3.4"`)}},

		// DNSResolverHostOverride, DNSResolverHostOverrideAlias.
		{area: "services", name: "a host override with two addresses is renamed, readdressed and deleted", src: "Models/DNSResolverHostOverride.inc __construct (sort_by host)", test: t("DNSResolverHostOverride", "test_create_update_and_delete"),
			note: "the test reads unbound's host_entries.conf; over HTTP the stored override is what shows; it sorts after the seed's nas",
			steps: []step{post(ho, `{"host":"test","domain":"example.com","ip":["127.0.0.53","127.0.0.54"]}`).sub(`{"id":1,"host":"test","domain":"example.com","ip":["127.0.0.53","127.0.0.54"]}`),
				patch(ho, `{"id":1,"host":"update","domain":"example.com","ip":["127.0.0.5","127.0.0.6"]}`).sub(`{"id":1,"host":"update","ip":["127.0.0.5","127.0.0.6"]}`),
				get(ho+"s").not(`"127.0.0.53"`, `"host":"test"`),
				del(ho + "?id=1"), get(ho + "s").not(`"host":"update"`).has(`"host":"nas"`)}},
		{area: "services", name: "a host override alias is added, renamed and removed under its parent", src: "Models/DNSResolverHostOverrideAlias.inc (parent DNSResolverHostOverride aliases)", test: t("DNSResolverHostOverrideAlias", "test_create_update_and_delete"),
			note: "the test reads unbound's host_entries.conf; over HTTP the parent's aliases show the change",
			steps: []step{post(ho, `{"host":"test","domain":"example.com","ip":["127.0.0.53"]}`).sub(`{"id":1}`),
				post(hoAlias, `{"parent_id":1,"host":"alias","domain":"example.com"}`).sub(`{"parent_id":1,"id":0,"host":"alias","domain":"example.com"}`),
				patch(hoAlias, `{"parent_id":1,"id":0,"host":"updated-alias"}`).sub(`{"host":"updated-alias","domain":"example.com"}`),
				get(ho + "?id=1").sub(`{"aliases":[{"host":"updated-alias","domain":"example.com"}]}`).not(`"host":"alias"`),
				del(hoAlias + "?parent_id=1&id=0"), get(ho + "?id=1").sub(`{"aliases":[]}`)}},

		// FreeRADIUSClient, FreeRADIUSInterface.
		{area: "freeradius", name: "a RADIUS client reads back as created and updated, its secret and NAS password hidden", src: "Models/FreeRADIUSClient.inc __construct (secret, naspassword sensitive)", test: t("FreeRADIUSClient", "test_crud"),
			note: "the test reads raddb/clients.conf; over HTTP the stored client is what shows",
			steps: []step{post(frc, `{"addr":"1.2.3.4","ip_version":"ipaddr","shortname":"testclient","secret":"testsecret","proto":"udp","nastype":"dot1x","msgauth":false,"maxconn":16,"naslogin":"testlogin","naspassword":"testpassword","description":"Test client"}`).
				sub(`{"id":0,"addr":"1.2.3.4","ip_version":"ipaddr","shortname":"testclient","proto":"udp","nastype":"dot1x","msgauth":false,"maxconn":16,"naslogin":"testlogin","description":"Test client"}`).not("testsecret", "testpassword"),
				patch(frc, `{"id":0,"addr":"4321::1","ip_version":"ipv6addr","shortname":"newtestclient","secret":"newtestsecret","proto":"tcp","nastype":"cisco","msgauth":true,"maxconn":32,"naslogin":"newtestlogin","naspassword":"newtestpassword","description":"New test client"}`),
				get(frc+"?id=0").sub(`{"addr":"4321::1","ip_version":"ipv6addr","shortname":"newtestclient","proto":"tcp","nastype":"cisco","msgauth":true,"maxconn":32,"naslogin":"newtestlogin","description":"New test client"}`).not("newtestsecret", "newtestpassword"),
				del(frc + "?id=0"), get(frc + "s").has(`"data":[]`)}},
		{area: "freeradius", name: "a RADIUS listener on * reads back as created and updated to an IPv4 accounting listener", src: "Models/FreeRADIUSInterface.inc __construct, validate_addr (* always allowed)", test: t("FreeRADIUSInterface", "test_crud"),
			note: "the test reads raddb/sites-enabled/default; over HTTP the stored listener is what shows",
			steps: []step{post(fri, `{"addr":"*","port":"1812","type":"auth","ip_version":"ipv6addr","description":"Test interface"}`).sub(`{"id":0,"addr":"*","port":"1812","type":"auth","ip_version":"ipv6addr","description":"Test interface"}`),
				patch(fri, `{"id":0,"addr":"127.0.0.1","port":"1813","type":"acct","ip_version":"ipaddr","description":"New test interface"}`),
				get(fri + "?id=0").sub(`{"addr":"127.0.0.1","port":"1813","type":"acct","ip_version":"ipaddr","description":"New test interface"}`),
				del(fri + "?id=0"), get(fri + "s").has(`"data":[]`)}},

		// NTPTimeServer (Tests/APIModelsNTPTimeServerTestCase.inc).
		{area: "services", name: "a new time server's id is the number of servers; an updated one is re-added at the end", src: "Models/NTPTimeServer.inc get_next_id, _create (id = get_next_id), _update (_delete then _create)", test: t("NTPTimeServer", "test_get_next_id ; test_get_timeservers_from_internal"),
			note: "_update removes the server from system/timeservers and appends it again, so PATCH answers the new id (the last) and the list order changes; the seed has one server (2.pfsense.pool.ntp.org)",
			steps: []step{post(ntp, `{"timeserver":"example.com","type":"peer","prefer":true,"noselect":true}`).sub(`{"id":1,"timeserver":"example.com","type":"peer","prefer":true,"noselect":true}`),
				patch(ntp, `{"id":0,"prefer":true}`).sub(`{"id":1,"timeserver":"2.pfsense.pool.ntp.org","type":"pool","prefer":true,"noselect":null}`),
				get(ntps).then(func(t *testing.T, r result) {
					eq(t, "timeservers", r.column("timeserver"), `["example.com","2.pfsense.pool.ntp.org"]`)
					eq(t, "types", r.column("type"), `["peer","pool"]`)
					eq(t, "prefer", r.column("prefer"), `[true,true]`)
					eq(t, "noselect", r.column("noselect"), `[true,null]`)
				})}},
		{area: "services", name: "renaming a time server drops the first server of the list instead of the renamed one", src: "Models/NTPTimeServer.inc _update, set_system_timeservers, set_ntpd_ispool, set_ntpd_ispeer, set_ntpd_prefer, set_ntpd_noselect (array_search of the new name)", test: t("NTPTimeServer", "test_crud"),
			note: "_delete looks the server up by its new name: array_search answers false and unset($list[false]) removes index 0 of system/timeservers and of each ntpd list; the old name stays as it was and the first server is gone. The test only checks the new name, so it passes on the firewall",
			steps: []step{post(ntp, `{"timeserver":"example.com","type":"peer","prefer":true,"noselect":true}`).sub(`{"id":1}`),
				patch(ntp, `{"id":1,"timeserver":"new.example.com","type":"pool","prefer":false,"noselect":false}`).sub(`{"id":1,"timeserver":"new.example.com","type":"pool","prefer":false,"noselect":null}`),
				get(ntps).then(func(t *testing.T, r result) {
					eq(t, "timeservers", r.column("timeserver"), `["example.com","new.example.com"]`)
					eq(t, "types", r.column("type"), `["peer","pool"]`)
					eq(t, "prefer", r.column("prefer"), `[true,false]`)
				})}},

		// Package (Tests/APIModelsPackageTestCase.inc).
		{area: "system", name: "pfSense-pkg-sudo installs with its versions, no update pending, and uninstalls", src: "Models/Package.inc _create (pkg_install), get_installed_pkgs (latest_version, update_available), _delete", test: t("Package", "test_package_install_and_delete ; test_version_discovery"),
			note: "the test also asks pkg-static info, which the command prompt does not emulate; the versions are the repository's, so only their equality is checked",
			steps: []step{post(pkg, `{"name":"pfSense-pkg-sudo"}`).sub(`{"name":"pfSense-pkg-sudo","shortname":"sudo","update_available":false}`).then(func(t *testing.T, r result) {
				iv, lv := r.field("installed_version"), r.field("latest_version")
				if iv == nil || iv == "" || iv != lv {
					t.Errorf("installed_version %v, latest_version %v: want equal, not empty", iv, lv)
				}
				if d, _ := r.field("descr").(string); d == "" {
					t.Errorf("descr is empty")
				}
			}),
				get(pkgs + "?name=pfSense-pkg-sudo").sub(`[{"name":"pfSense-pkg-sudo"}]`),
				del(pkgs + "?name=pfSense-pkg-sudo").sub(`[{"name":"pfSense-pkg-sudo"}]`),
				get(pkgs + "?name=pfSense-pkg-sudo").has(`"data":[]`)}},

		// RESTAPISettingsSync (Tests/APIModelsRESTAPISettingsSyncTestCase.inc).
		{area: "system", name: "sync_data that does not decode is refused", src: "Models/RESTAPISettingsSync.inc validate_sync_data (unserialize; v2.10.0 json_decode)", test: t("RESTAPISettingsSync", "test_validate_sync_data"),
			note: "the same in both versions: the field check runs before v2.10.0's validate_extra (ha_sync must be on)",
			steps: []step{post("/api/v2/system/restapi/settings/sync", `{"sync_data":"not a serialized value"}`).is(400, "RESTAPI_SETTINGS_SYNC_SYNC_DATA_COULD_NOT_BE_UNSERIALIZED",
				"Field `sync_data` value could not be unserialized.")}},

		// SystemHalt, SystemReboot.
		{area: "envelope", name: "a dry-run halt or reboot answers an empty data list", src: "Models/SystemHalt.inc, Models/SystemReboot.inc (dry_run write_only; v2.10.0 the dry_run control) ; Core/Model.inc to_representation ; ContentHandlers/JSONContentHandler.inc encode (json_encode of [])", test: t("SystemHalt", "test_initiate_shutdown") + " ; " + t("SystemReboot", "test_initiate_reboot"),
			note: "neither model has a field to show (dry_run is write_only in v2.7.1 and a control parameter in v2.10.0), so the representation is PHP's empty array, which json_encode writes as []",
			steps: []step{post("/api/v2/diagnostics/halt_system", `{"dry_run":true}`).has(`"data":[]`),
				post("/api/v2/diagnostics/reboot", `{"dry_run":true}`).has(`"data":[]`)}},

		// UserGroup (Tests/APIModelsUserGroupTestCase.inc).
		{area: "users", name: "a group is created with a member, renamed with no members (same gid) and deleted", src: "Models/UserGroup.inc __construct, _create, _update, _delete", test: t("UserGroup", "test_crud"),
			note: "the test reads /etc/group; over HTTP the stored group is what shows",
			steps: []step{post(group, `{"name":"testgroup","scope":"local","member":["admin"]}`).sub(`{"id":2,"name":"testgroup","gid":2000,"scope":"local","member":["admin"]}`),
				patch(group, `{"id":2,"name":"updatedtestgroup","member":[]}`).sub(`{"name":"updatedtestgroup","gid":2000,"member":[]}`),
				del(group + "?id=2"), get(group + "s?name=updatedtestgroup").has(`"data":[]`)}},

		// WakeOnLANSend (Tests/APIModelsWakeOnLANSendTestCase.inc).
		{area: "services", name: "Wake-on-LAN refuses a MAC that is no MAC before wol runs, and sends to a valid one", src: "Models/WakeOnLANSend.inc mac_addr (MACAddressValidator), _create", test: t("WakeOnLANSend", "test_error_thrown_if_wol_cmd_fails"),
			note: "the test calls _create with an invalid MAC to make wol fail (500 WAKE_ON_LAN_SEND_COMMAND_FAILED); over HTTP the validator answers first",
			steps: []step{post(wol, `{"interface":"lan","mac_addr":"invalid_mac_to_trigger_cmd_failure"}`).is(400, "MAC_ADDRESS_VALIDATOR_FAILED",
				"Field `mac_addr` must be a valid MAC address, received `invalid_mac_to_trigger_cmd_failure`."),
				post(wol, `{"interface":"lan","mac_addr":"00:00:00:00:00:00"}`).sub(`{"interface":"lan","mac_addr":"00:00:00:00:00:00"}`)}},
	}
}

// svcCasesV10 are the settings sync cases, whose format changed: v2.7.1 takes PHP's
// serialize() and turns ha_sync off; v2.10.0 takes JSON, re-validates the settings, keeps
// ha_sync and refuses syncs while this host's ha_sync is off.
func svcCasesV10(v10 bool) []ccase {
	t := func(method string) string { return "Tests/APIModelsRESTAPISettingsSyncTestCase.inc " + method }
	settings, sync := "/api/v2/system/restapi/settings", "/api/v2/system/restapi/settings/sync"
	// v2.10.0's internal settings, every field given so that RESTAPISettings validates them.
	v10data := `{\"enabled\":\"enabled\",\"read_only\":\"enabled\",\"keep_backup\":\"enabled\",\"login_protection\":\"enabled\",\"log_successful_auth\":\"disabled\",\"log_level\":\"LOG_WARNING\",\"allow_pre_releases\":\"disabled\",\"allow_development_packages\":\"disabled\",\"hateoas\":\"disabled\",\"expose_sensitive_fields\":\"disabled\",\"override_sensitive_fields\":\"\",\"allowed_interfaces\":\"\",\"represent_interfaces_as\":\"id\",\"auth_methods\":\"BasicAuth\",\"jwt_exp\":\"3600\",\"ha_sync\":\"enabled\",\"ha_sync_validate_certs\":\"enabled\",\"ha_sync_hosts\":\"\",\"ha_sync_username\":\"\",\"ha_sync_password\":\"\"}`
	if !v10 {
		return []ccase{
			{area: "system", name: "a serialized settings sync replaces the REST API settings and turns ha_sync off", src: "Models/RESTAPISettingsSync.inc _create (unserialize, ha_sync disabled, set_config of the whole conf)", test: t("test_create"),
				note: "v2.7.1 only (v2.10.0 takes JSON and keeps ha_sync); the synced read_only then refuses writes",
				steps: []step{post(sync, `{"sync_data":"a:5:{s:7:\"enabled\";s:7:\"enabled\";s:9:\"read_only\";s:7:\"enabled\";s:12:\"auth_methods\";s:9:\"BasicAuth\";s:11:\"keep_backup\";s:7:\"enabled\";s:7:\"ha_sync\";s:7:\"enabled\";}"}`),
					get(settings).sub(`{"read_only":true,"ha_sync":false}`),
					post("/api/v2/firewall/alias", `{"name":"bt_sync","type":"host"}`).is(405, "ENDPOINT_METHOD_NOT_ALLOWED_IN_READ_ONLY_MODE", "")}},
		}
	}
	return []ccase{
		{area: "system", name: "a settings sync is refused while this host's ha_sync is off (406)", src: "Models/RESTAPISettingsSync.inc validate_extra (v2.10.0)", test: t("test_create_rejected_when_ha_sync_disabled"),
			note: "v2.10.0 only; v2.7.1 has no such check",
			steps: []step{post(sync, `{"sync_data":"`+v10data+`"}`).is(406, "RESTAPI_SETTINGS_SYNC_NOT_ENABLED", "REST API settings sync is not enabled on this host."),
				get(settings).sub(`{"read_only":false}`)}},
		{area: "system", name: "a JSON settings sync replaces the REST API settings and keeps ha_sync", src: "Models/RESTAPISettingsSync.inc validate_sync_data (json_decode, RESTAPISettings validate), _create (v2.10.0)", test: t("test_create"),
			note: "v2.10.0 only (v2.7.1 takes serialize() and turns ha_sync off); the test's setup turns ha_sync on first",
			steps: []step{patch(settings, `{"ha_sync":true}`),
				post(sync, `{"sync_data":"`+v10data+`"}`),
				get(settings).sub(`{"read_only":true,"ha_sync":true,"ha_sync_hosts":[]}`)}},
	}
}

// jsonHasRootKey reports whether the answer's top-level object has the key.
func jsonHasRootKey(raw []byte, key string) bool {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return false
	}
	_, ok := m[key]
	return ok
}
