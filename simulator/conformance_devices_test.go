package simulator_test

import (
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// deviceCases follow what the package's model tests of devices, nested objects, the access
// list and system side effects assert through the API (Models/<Model>.inc; the same logic in
// v2.7.1 and v2.10.0). Messages read as the client gets them (Core/Response.inc turns single
// quotes into backticks). The seed's NICs are em0 (wan), em1 (lan) and em2 (opt1); its
// WireGuard tunnel tun_wg0 runs and OpenVPN server 1 exists.
func deviceCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	laggURL, greURL, bridgeURL := "/api/v2/interface/lagg", "/api/v2/interface/gre", "/api/v2/interface/bridge"
	gre := `{"if":"lan","remote_addr":"1.2.3.4","tunnel_local_addr":"4.3.2.1","tunnel_remote_addr":"1.1.2.2","tunnel_remote_net":32}`
	return []ccase{
		{area: "interfaces", name: "a LAGG is named by the next free lagg device", src: "Models/InterfaceLAGG.inc _create (interface_lagg_configure, pfSense_interface_create2)", test: t("InterfaceLAGG", "test_crud"),
			steps: []step{post(laggURL, `{"members":["em2"],"proto":"lacp"}`).has(`"laggif":"lagg0"`),
				get("/api/v2/interface/available_interfaces").has(`"if":"lagg0"`).not(`"if":"em2"`)}},
		{area: "interfaces", name: "a LAGG in use cannot be deleted", src: "Models/InterfaceLAGG.inc _delete", test: t("InterfaceLAGG", "test_cannot_delete_lagg_in_use"),
			steps: []step{post(laggURL, `{"members":["em2"],"proto":"lacp"}`),
				post("/api/v2/interface", `{"if":"lagg0","descr":"LAGGTEST","typev4":"none","typev6":"none","enable":false}`).has(`"id":"opt2"`),
				del(laggURL+"?id=0").is(409, "INTERFACE_LAGG_CANNOT_BE_DELETED_WHILE_IN_USE", "Cannot delete LAGG interface `lagg0` because it is in use by interface with ID `opt2`.")}},
		{area: "interfaces", name: "a GRE tunnel is named by the next free gre device", src: "Models/InterfaceGRE.inc _create (interface_gre_configure)", test: t("InterfaceGRE", "test_crud"),
			steps: []step{post(greURL, gre).has(`"greif":"gre0"`), post(greURL, strings.Replace(gre, "1.1.2.2", "1.1.2.6", 1)).has(`"greif":"gre1"`)}},
		{area: "interfaces", name: "a GRE tunnel in use cannot be deleted", src: "Models/InterfaceGRE.inc _delete", test: t("InterfaceGRE", "test_delete_in_use"),
			steps: []step{post(greURL, gre), post("/api/v2/interface", `{"if":"gre0","descr":"GRET","typev4":"none","typev6":"none"}`),
				del(greURL+"?id=0").is(409, "INTERFACE_GRE_CANNOT_DELETE_WHILE_IN_USE", "Cannot delete GRE interface while it is in use.")}},
		{area: "interfaces", name: "a bridge takes the lowest free bridge device", src: "Models/InterfaceBridge.inc get_next_bridgeif", test: t("InterfaceBridge", "test_get_next_bridgeif"),
			steps: []step{post(bridgeURL, `{"members":["lan"]}`).has(`"bridgeif":"bridge0"`), post(bridgeURL, `{"members":["wan"]}`).has(`"bridgeif":"bridge1"`),
				del(bridgeURL + "?id=0"), post(bridgeURL, `{"members":["lan"]}`).has(`"bridgeif":"bridge0"`)}},
		{area: "interfaces", name: "an interface is assigned only to an available port", src: "Models/NetworkInterface.inc if (choices_callable get_interface_ports: AvailableInterface::get_all_avail_interfaces)", test: "",
			note: "no package test sends an unknown port; the choices are the available interfaces: NICs less LAGG members, running WireGuard tunnels (pfSense's get_interface_list skips no tun_wg type), VLAN, bridge, GRE, LAGG and OpenVPN devices",
			steps: []step{post("/api/v2/interface", `{"if":"bogus99","descr":"X","typev4":"none","typev6":"none"}`).is(400, "FIELD_INVALID_CHOICE", ""),
				get("/api/v2/interface/available_interfaces").has(`"if":"tun_wg0"`, `"if":"ovpns1"`)}},
		{area: "routing", name: "a gateway group's ipprotocol is its gateways'", src: "Models/RoutingGatewayGroup.inc from_internal_ipprotocol, pre_apply", test: t("RoutingGatewayGroup", "test_crud"),
			steps: []step{post("/api/v2/routing/gateway/group", `{"name":"testgwgroup","trigger":"down","descr":"Test Gateway Group","priorities":[{"gateway":"WAN_DHCP","tier":1}]}`).has(`"ipprotocol":"inet"`),
				get("/api/v2/routing/gateway/groups").has(`"ipprotocol":"inet"`)}},
		{area: "routing", name: "applying a CARP virtual IP enables CARP", src: "Models/CARP.inc is_carp_enabled ; pfSense firewall_virtual_ip.inc applyVIP -> enable_carp (pfsense-utils.inc)", test: t("CARP", "test_enable"),
			steps: []step{get("/api/v2/status/carp").has(`"enable":false`),
				post("/api/v2/firewall/virtual_ip", `{"mode":"carp","interface":"lan","subnet":"127.1.2.3","subnet_bits":32,"password":"testpasswd","vhid":5}`),
				post("/api/v2/firewall/virtual_ip/apply", `{}`), get("/api/v2/status/carp").has(`"enable":true`)}},
		{area: "child objects", name: "nested objects carry their parent's id and their position", src: "Fields/NestedModelField.inc from_internal ; Core/Model.inc to_representation", test: t("DNSResolverAccessListNetwork", "test_crud"),
			steps: []step{post("/api/v2/services/dns_resolver/access_list", `{"name":"test","action":"allow snoop","networks":[{"network":"1.2.3.4","mask":32}]}`),
				post("/api/v2/services/dns_resolver/access_list/network", `{"parent_id":0,"network":"4.3.2.1","mask":24}`),
				get("/api/v2/services/dns_resolver/access_list?id=0").has(`"networks":[{"parent_id":0,"id":0,`, `"network":"1.2.3.4"`, `{"parent_id":0,"id":1,`, `"network":"4.3.2.1"`)}},
		{area: "child objects", name: "seeded nested objects carry ids too", src: "Fields/NestedModelField.inc from_internal", test: t("WireGuardPeerAllowedIP", "test_crud"),
			steps: []step{get("/api/v2/vpn/wireguard/tunnel?id=0").has(`"addresses":[{"parent_id":0,"id":0,"address":"10.6.210.1"`)}},
		{area: "child objects", name: "a nested object keeps only its model's fields", src: "Core/Model.inc from_representation (NestedModelField validate_extra builds the child model)", test: t("TrafficShaperLimiter", "test_crud"),
			steps: []step{post("/api/v2/firewall/traffic_shaper/limiter", `{"name":"test","enabled":true,"mask":"srcaddress","maskbits":32,"maskbitsv6":128,"qlimit":64,"aqm":"droptail","sched":"wf2q+","delay":100,"plr":0.5,"buckets":40,"bandwidth":[{"bw":20,"bwscale":"Mb","sched":"none"}]}`).
				has(`"bandwidth":[{"parent_id":0,"id":0,"bw":20,"bwscale":"Mb","bwsched":"none"}]`)}},
		{area: "models", name: "a traffic shaper is named by its interface", src: "Models/TrafficShaper.inc from_internal_name", test: t("TrafficShaper", "test_hfsc_shaper_found_in_pfctl"),
			steps: []step{post("/api/v2/firewall/traffic_shaper", `{"enabled":true,"interface":"lan","scheduler":"HFSC","bandwidthtype":"Mb","bandwidth":100,"qlimit":100,"tbrconfig":10000,"queue":[]}`).has(`"name":"lan"`),
				get("/api/v2/firewall/traffic_shapers").has(`"name":"lan"`)}},
		{area: "models", name: "a watchdog keeps its cron job while one exists", src: "Models/ServiceWatchdog.inc apply (always_apply) ; pfSense-pkg-Service_Watchdog servicewatchdog.inc servicewatchdog_cron_job", test: t("ServiceWatchdog", "test_crud"),
			steps: []step{post("/api/v2/services/service_watchdog", `{"name":"unbound"}`),
				get("/api/v2/services/cron/jobs").has(`"command":"\/usr\/local\/pkg\/servicewatchdog_cron.php"`, `"minute":"*\/1"`),
				del("/api/v2/services/service_watchdog?id=0"), get("/api/v2/services/cron/jobs").not("servicewatchdog_cron.php")}},
		{area: "models", name: "deleting a pf table flushes it", src: "Models/Table.inc _delete (pfctl -T flush)", test: t("Table", "test_delete"),
			steps: []step{del("/api/v2/diagnostics/table?id=web_servers").has(`"entries":["10.0.4.10","10.0.4.11"]`),
				get("/api/v2/diagnostics/table?id=web_servers").has(`{"id":"web_servers","entries":[]`)}},
		{area: "models", name: "a seeded pool time server's noselect reads as null", src: "Core/Field.inc from_internal (booleans whose conditions fail are null) ; Models/NTPTimeServer.inc noselect conditions", test: t("NTPTimeServer", "test_time_server_with_auto_pool_suffix_forced_as_pool_type"),
			steps: []step{get("/api/v2/services/ntp/time_servers").has(`"noselect":null`).not(`"noselect":false`)}},
		{area: "auth", name: "an access list entry may have no schedule while schedules exist", src: "Models/RESTAPIAccessListEntry.inc get_schedule_choices ('' => None)", test: t("RESTAPIAccessListEntry", "test_crud"),
			steps: []step{post("/api/v2/firewall/schedule", `{"name":"test_schedule_1","timerange":[{"month":[1],"day":[1],"hour":"0:00-23:59"}]}`),
				post("/api/v2/system/restapi/access_list/entry", `{"type":"allow","network":"192.168.1.1/24","users":["admin"],"sched":""}`).has(`"sched":""`)}},
		{area: "auth", name: "the first matching access list entry denies", src: "Core/Endpoint.inc check_acl ; Models/RESTAPIAccessListEntry.inc is_allowed_by_acl", test: t("RESTAPIAccessListEntry", "test_is_allowed_by_acl_weight_order"),
			steps: []step{put("/api/v2/system/restapi/access_list", `[{"type":"deny","weight":10,"network":"192.168.1.0/24"},{"type":"allow","weight":20,"network":"192.168.1.0/24"}]`),
				get("/api/v2/system/version").is(403, "ENDPOINT_CLIENT_NOT_ALLOWED_BY_ACL", "The requested action is not allowed by admin policy")}},
		{area: "auth", name: "no matching access list entry denies", src: "Models/RESTAPIAccessListEntry.inc is_allowed_by_acl (implicit deny)", test: t("RESTAPIAccessListEntry", "test_is_allowed_by_acl_implicit_deny"),
			steps: []step{put("/api/v2/system/restapi/access_list", `[{"type":"allow","network":"0.0.0.0/0","users":["alice"]}]`),
				get("/api/v2/system/version").is(403, "ENDPOINT_CLIENT_NOT_ALLOWED_BY_ACL", "")}},
		{area: "auth", name: "an entry with an inactive schedule does not match", src: "Models/RESTAPIAccessListEntry.inc is_schedule_active", test: t("RESTAPIAccessListEntry", "test_is_allowed_by_acl_schedule_match"),
			note: "the schedule covers 1 January only; the simulator's clock is set to 2 June",
			opts: simulator.Options{Now: func() time.Time { return time.Date(2026, 6, 2, 12, 0, 0, 0, time.UTC) }},
			steps: []step{post("/api/v2/firewall/schedule", `{"name":"jan_first","timerange":[{"month":[1],"day":[1],"hour":"0:00-0:15"}]}`),
				put("/api/v2/system/restapi/access_list", `[{"type":"allow","network":"0.0.0.0/0","sched":"jan_first"}]`),
				get("/api/v2/system/version").is(403, "ENDPOINT_CLIENT_NOT_ALLOWED_BY_ACL", "")}},
		{area: "pki", name: "a revoked certificate's time defaults to now", src: "Models/CertificateRevocationListRevokedCertificate.inc revoke_time (UnixTimeField auto_add_now)", test: "Tests/APIModelsCertificateRevocationListTestCase.inc test_generate_with_revoked_certificates",
			steps: []step{post("/api/v2/system/crl", `{"descr":"test_crl","caref":"67a1f0c2a9b8c","method":"internal","lifetime":730,"serial":1,"cert":[{"certref":"67a1f0c2b3d4e","reason":1}]}`).has(`"revoke_time":`, `"text":"-----BEGIN X509 CRL-----`),
				patch("/api/v2/system/crl", `{"id":0,"cert":[]}`).has(`"serial":2`)}},
	}
}

// systemCases follow the package's tests of settings, the config history, packages and JWTs.
func systemCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	return []ccase{
		{area: "wireguard", name: "WireGuard stays on while an interface uses a tunnel", src: "Models/WireGuardSettings.inc validate_enable", test: t("WireGuardSettings", "test_cannot_disable_while_tunnels_in_use_by_if"),
			steps: []step{post("/api/v2/interface", `{"if":"tun_wg0","descr":"WGRW","typev4":"none","typev6":"none"}`),
				patch("/api/v2/vpn/wireguard/settings", `{"enable":false}`).is(409, "WIREGUARD_SETTINGS_CANNOT_DISABLE_WITH_ACTIVE_TUNNELS",
					"Field `enable` cannot be set to `false` when WireGuard tunnels are in use by an existing pfSense interface.")}},
		{area: "models", name: "the config history lists the newest revision first", src: "Models/ConfigHistoryRevision.inc get_config_history ; pfSense config.lib.inc get_backups", test: t("ConfigHistoryRevision", "test_delete"),
			note: "the history lists backups: write_config backs up the config it replaces (config.lib.inc backup_config), so the newest entry is the write before the last",
			steps: []step{post(aliasURL, `{"name":"bt_hist","type":"host","address":["192.0.2.1"]}`),
				get("/api/v2/diagnostics/config_history/revisions?limit=1").has(`Modified Firewall Rule via API`),
				patch("/api/v2/system/hostname", `{"hostname":"fw1"}`),
				get("/api/v2/diagnostics/config_history/revisions?limit=1").has(`Added Firewall Alias via API`)}},
		{area: "models", name: "an installed package is marked installed in the catalogue", src: "Models/AvailablePackage.inc (pfSense get_pkg_info installed)", test: t("AvailablePackage", "test_read_available_packages"),
			steps: []step{post("/api/v2/system/package", `{"name":"pfSense-pkg-iperf"}`),
				get("/api/v2/system/package/available?name=pfSense-pkg-iperf").has(`"installed":true`)}},
	}
}
