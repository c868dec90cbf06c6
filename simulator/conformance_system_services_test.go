package simulator_test

import "testing"

// systemSvcCases translate the package's own tests of the DHCP relay, backend and leases, the
// DNS forwarder and resolver models, the system settings singletons (DNS, hostname, time zone,
// tunables, console, email notifications, logs, web GUI), the advanced firewall settings, the
// outbound NAT mode and interface groups (pfSense-pkg-RESTAPI Tests/*.inc, v2.7.1; the models
// are the same in v2.10.0 apart from verbose names) into the HTTP requests their endpoints
// get. Most of those tests read files the firewall writes (/etc/hosts, unbound.conf,
// /etc/ttys, rules.debug, ifconfig); what is left to observe over HTTP is what is stored and
// read back, the service list (Models/Service.inc, pfSense's get_services()) and the leases.
func systemSvcCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	relayURL, srvURL := "/api/v2/services/dhcp_relay", "/api/v2/services/dhcp_server"
	leasesURL, svcURL := "/api/v2/status/dhcp_server/leases", "/api/v2/status/services"
	fwdURL := "/api/v2/services/dns_forwarder/host_override"
	aclURL, domURL := "/api/v2/services/dns_resolver/access_list", "/api/v2/services/dns_resolver/domain_override"
	resURL, webURL := "/api/v2/services/dns_resolver/settings", "/api/v2/system/webgui/settings"
	tunURL, logURL := "/api/v2/system/tunable", "/api/v2/status/logs/settings"
	natModeURL, groupURL := "/api/v2/firewall/nat/outbound/mode", "/api/v2/interface/group"
	relayMsg := "DHCP Relay cannot be enabled while DHCP Server is enabled on any interface."
	return []ccase{
		// Models/DHCPRelay.inc
		{area: "dhcp", name: "the relay cannot be enabled while a DHCP server is, and can once none is", src: "Models/DHCPRelay.inc validate_enable", test: t("DHCPRelay", "test_dhcp_relay_cannot_enable_if_dhcp_server_enabled"),
			note: "custom validate_ methods run after every field's own checks (Core/Model.inc validate), so a relay without `server` gets FIELD_IS_REQUIRED first; the last step has `server` from the stored relay",
			steps: []step{patch(relayURL, `{"enable":true,"server":["1.2.3.4"]}`).is(409, "DHCP_RELAY_CANNOT_BE_ENABLED_WHILE_DHCP_SERVER_IS_ENABLED", relayMsg),
				patch(srvURL, `{"id":"lan","enable":false}`),
				patch(relayURL, `{"enable":true,"server":["1.2.3.4"]}`).has(`"enable":true`).sub(`{"server":["1.2.3.4"]}`),
				patch(relayURL, `{"enable":false}`),
				patch(srvURL, `{"id":"lan","enable":true}`).has(`"enable":true`),
				patch(relayURL, `{"enable":true}`).is(409, "DHCP_RELAY_CANNOT_BE_ENABLED_WHILE_DHCP_SERVER_IS_ENABLED", relayMsg)}},
		{area: "dhcp", name: "a relay's CARP VIP reads back as the VIP's uniqid", src: "Models/DHCPRelay.inc to_internal, from_internal_carpstatusvip", test: t("DHCPRelay", "test_dhcp_relay_to_internal_carpstatusvip ; test_dhcp_relay_from_internal_carpstatusvip"),
			note: "the config holds `_vip<uniqid>` (not visible over HTTP); the answer strips the prefix again, so the value finds its VIP",
			steps: []step{post("/api/v2/firewall/virtual_ip", `{"mode":"carp","interface":"lan","subnet":"192.168.1.250","subnet_bits":24,"vhid":5,"password":"carppass"}`),
				patch(relayURL, `{"carpstatusvip":"{prev.uniqid}","server":["1.2.3.4"]}`),
				get(relayURL).not(`_vip`),
				get("/api/v2/firewall/virtual_ips?uniqid={prev.carpstatusvip}").has(`"vhid":5`)}},
		{area: "dhcp", name: "an enabled relay is listed as running dhcrelay; a disabled one is not listed", src: "Models/DHCPRelay.inc apply (services_dhcrelay_configure) ; Models/Service.inc get_services ; pfSense service-utils.inc get_services (config_path_enabled('dhcrelay'))", test: t("DHCPRelay", "test_dhcp_relay_service_running"),
			note: "the relay is always_apply and its apply() runs services_dhcrelay_configure() in the request; dhcrelay starts when a downstream interface has an address (lan) and the server's address has an upstream interface (wan's default route); the test reads ps, the service list shows the same",
			steps: []step{patch(srvURL, `{"id":"lan","enable":false}`), post("/api/v2/services/dhcp_server/apply", `{}`),
				patch(relayURL, `{"enable":true,"interface":["lan"],"server":["1.2.3.4"]}`),
				get(svcURL+"?name=dhcrelay").has(`"name":"dhcrelay"`, `"status":true`),
				patch(relayURL, `{"enable":false}`),
				get(svcURL + "?name=dhcrelay").has(`"data":[]`)}},

		// Models/DHCPServerBackend.inc
		{area: "dhcp", name: "with the Kea backend the service list has kea-dhcp4 and no dhcpd, and back", src: "Models/DHCPServerBackend.inc dhcpbackend ; pfSense service-utils.inc get_services (dhcp_is_backend)", test: t("DHCPServerBackend", "test_switch_backend"),
			note: "which entry is listed follows the config (dhcp_is_backend and an enabled server); its status follows the DHCPServerApplyDispatcher, which runs asynchronously over HTTP, so only the names are checked; the endpoint has PATCH only",
			steps: []step{patch("/api/v2/services/dhcp_server/backend", `{"dhcpbackend":"kea"}`).has(`"dhcpbackend":"kea"`),
				get(svcURL + "?name=dhcpd").has(`"data":[]`),
				get(svcURL+"?name=kea-dhcp4").has(`"name":"kea-dhcp4"`, `"description":"Kea DHCP Server"`),
				patch("/api/v2/services/dhcp_server/backend", `{"dhcpbackend":"isc"}`).has(`"dhcpbackend":"isc"`),
				get(svcURL + "?name=kea-dhcp4").has(`"data":[]`),
				get(svcURL + "?name=dhcpd").has(`"name":"dhcpd"`)}},

		// Models/DHCPServerLease.inc
		{area: "dhcp", name: "a static mapping is listed as a static lease", src: "Models/DHCPServerLease.inc get_dhcp_leases ; pfSense system.inc system_get_dhcpleases (staticmap loop)", test: t("DHCPServerLease", "test_crud"),
			note: "system_get_dhcpleases adds every static mapping with a MAC or client id of every interface (if the ISC leases file exists, which it does with dhcpd running): act `static`, online `idle/offline` unless the MAC is in the ARP table, starts and ends empty",
			steps: []step{post(staticMapURL, `{"parent_id":"lan","mac":"00:00:00:00:00:00","ipaddr":"192.168.1.2","hostname":"test-hostname","descr":"test-description"}`),
				post("/api/v2/services/dhcp_server/apply", `{}`),
				get(leasesURL+"?mac=00:00:00:00:00:00").has(`"ip":"192.168.1.2"`, `"mac":"00:00:00:00:00:00"`, `"hostname":"test-hostname"`, `"descr":"test-description"`, `"if":"lan"`, `"active_status":"static"`)}},
		{area: "dhcp", name: "leases are deleted by query, and all at once", src: "Models/DHCPServerLease.inc _delete, delete_all ; Core/Endpoint.inc delete ; Core/Model.inc delete_many", test: t("DHCPServerLease", "test_crud"),
			note: "the test deletes the lease of its static mapping; the seed's dynamic lease stands in here. _delete stops dhcpd and computes the leases file without the lease but never writes it (isc_remove_lease's result is dropped), so what a later read shows is not asserted",
			steps: []step{del(leasesURL + "?mac=3c:22:fb:9a:10:7e").has(`"ip":"192.168.1.101"`),
				del(leasesURL + "?all=true").then(func(t *testing.T, r result) {
					if n := len(r.column("ip")); n < 1 {
						t.Errorf("DELETE all answered %d leases, want at least 1", n)
					}
				})}},

		{area: "dhcp", name: "deleting one lease stops dhcpd and leaves the lease; deleting all restarts it", src: "Models/DHCPServerLease.inc _delete (killbyname('dhcpd'); isc_remove_lease's result is never written, dhcpd never started again), delete_all (leases files removed, services_dhcpd_configure)", test: "",
			note: "read from the source: the package's test deletes a lease and checks nothing afterwards; with all=true the static mappings stay listed, from the configuration",
			steps: []step{del(leasesURL + "?mac=3c:22:fb:9a:10:7e").has(`"ip":"192.168.1.101"`),
				get(leasesURL).has(`"ip":"192.168.1.101"`), get(svcURL + "?name=dhcpd").has(`"status":false`),
				del(leasesURL + "?all=true"), get(svcURL + "?name=dhcpd").has(`"status":true`),
				get(leasesURL).not(`"ip":"192.168.1.101"`).has(`"ip":"192.168.1.10"`, `"active_status":"static"`)}},

		{area: "diagnostics", name: "a name in the firewall's own domain resolves only when the resolver knows it", src: "Models/Ping.inc _create (ping -c); pfsense/pfsense src/etc/inc/unbound.inc unbound_add_host_entries (the firewall's name, host overrides, static mappings with regdhcpstatic)",
			test: "", note: "no package test pings local names; FreeBSD ping exits 68 (EX_NOHOST) for a name that does not resolve",
			steps: []step{post("/api/v2/diagnostics/ping", `{"host":"nonexistent-xyz.home.arpa","count":1}`).has(`"result_code":68`, `cannot resolve nonexistent-xyz.home.arpa`),
				post("/api/v2/diagnostics/ping", `{"host":"pfsense.home.arpa","count":1}`).has(`PING pfsense.home.arpa (192.168.1.1)`),
				post(srvURL+"/static_mapping", `{"parent_id":"lan","mac":"00:11:22:33:44:55","ipaddr":"192.168.1.60","hostname":"printer"}`),
				post("/api/v2/diagnostics/ping", `{"host":"printer.home.arpa","count":1}`).has(`PING printer.home.arpa (192.168.1.60)`)}},

		// Models/DNSForwarderHostOverride.inc, Models/DNSForwarderApply.inc
		{area: "services", name: "a DNS forwarder host override and its aliases are created, replaced and deleted", src: "Models/DNSForwarderHostOverride.inc ; Models/DNSForwarderHostOverrideAlias.inc ; Core/Model.inc from_representation", test: t("DNSForwarderHostOverride", "test_crud"),
			note: "the test passes `description` to the override, whose field is `descr`: unknown keys are ignored, so descr stays ``; the aliases' field is `description`. The test reads /etc/hosts",
			steps: []step{post(fwdURL, `{"host":"test","domain":"example.com","ip":"1.2.3.4","description":"Test DNSForwarderHostOverride object","aliases":[{"host":"test-alias","domain":"example.com","description":"Test DNSForwarderHostOverrideAlias object"}],"apply":true}`).
				has(`"host":"test"`, `"ip":"1.2.3.4"`, `"descr":""`, `"host":"test-alias"`, `"description":"Test DNSForwarderHostOverrideAlias object"`),
				patch(fwdURL, `{"id":0,"host":"newtest","domain":"example.com","ip":"4.3.2.1","description":"New Test DNSForwarderHostOverride object","aliases":[{"host":"newtest-alias","domain":"example.com","description":"New Test DNSForwarderHostOverrideAlias object"}],"apply":true}`).
					has(`"host":"newtest"`, `"ip":"4.3.2.1"`, `"host":"newtest-alias"`).not(`"test-alias"`),
				del(fwdURL + "?id=0&apply=true").has(`"host":"newtest"`),
				get("/api/v2/services/dns_forwarder/host_overrides").has(`"data":[]`)}},
		{area: "apply", name: "replacing the forwarder's host overrides is pending until applied", src: "Models/DNSForwarderApply.inc get_applied_status (is_subsystem_dirty('hosts')) ; Dispatchers/DNSForwarderApplyDispatcher.inc", test: t("DNSForwarderApply", "test_apply"),
			note: "the dispatcher clears `hosts`; over HTTP it runs asynchronously, so a real firewall may still answer false right after the POST",
			steps: []step{put("/api/v2/services/dns_forwarder/host_overrides", `[]`),
				get("/api/v2/services/dns_forwarder/apply").has(`"applied":false`),
				post("/api/v2/services/dns_forwarder/apply", `{}`),
				get("/api/v2/services/dns_forwarder/apply").has(`"applied":true`)}},

		// Models/DNSResolverAccessList.inc, Models/DNSResolverAccessListNetwork.inc
		{area: "services", name: "an access list and its networks are created, replaced and deleted", src: "Models/DNSResolverAccessList.inc (name, action choices, networks)", test: t("DNSResolverAccessList", "test_crud"),
			note: "the test reads /var/unbound/access_lists.conf",
			steps: []step{post(aclURL, `{"name":"test","action":"allow","networks":[{"network":"1.2.3.4","mask":32},{"network":"4.3.2.1","mask":24}],"apply":true}`).
				has(`"name":"test"`, `"action":"allow"`).sub(`{"network":"1.2.3.4","mask":32}`, `{"network":"4.3.2.1","mask":24}`),
				patch(aclURL, `{"id":0,"name":"updated-test","action":"deny","networks":[{"network":"127.0.0.5","mask":29},{"network":"127.0.0.1","mask":25}],"apply":true}`).
					has(`"name":"updated-test"`, `"action":"deny"`).sub(`{"network":"127.0.0.5","mask":29}`, `{"network":"127.0.0.1","mask":25}`).not(`1.2.3.4`),
				del(aclURL + "?id=0&apply=true").has(`"name":"updated-test"`),
				get("/api/v2/services/dns_resolver/access_lists").has(`"data":[]`)}},
		{area: "services", name: "access list networks are added, changed and removed through their own endpoint", src: "Models/DNSResolverAccessListNetwork.inc (parent DNSResolverAccessList, config_path row)", test: t("DNSResolverAccessListNetwork", "test_crud"),
			note: "`allow snoop` is a choice with a space (unbound's allow_snoop); the test reads /var/unbound/access_lists.conf",
			steps: []step{post(aclURL, `{"name":"test","action":"allow snoop","networks":[{"network":"1.2.3.4","mask":32}],"apply":true}`).has(`"action":"allow snoop"`),
				post(aclURL+"/network", `{"parent_id":0,"network":"4.3.2.1","mask":24,"apply":true}`).has(`"parent_id":0`, `"id":1`, `"network":"4.3.2.1"`),
				get(aclURL+"?id=0").sub(`{"network":"1.2.3.4","mask":32}`, `{"network":"4.3.2.1","mask":24}`),
				patch(aclURL+"/network", `{"parent_id":0,"id":1,"network":"127.0.0.5","mask":29,"apply":true}`).has(`"network":"127.0.0.5"`, `"mask":29`),
				get(aclURL+"?id=0").sub(`{"network":"1.2.3.4","mask":32}`, `{"network":"127.0.0.5","mask":29}`).not(`4.3.2.1`),
				del(aclURL + "/network?parent_id=0&id=1&apply=true"),
				get(aclURL + "?id=0").has(`"network":"1.2.3.4"`).not(`127.0.0.5`)}},
		{area: "services", name: "a network added to an access list by itself has at most 32 bits for IPv4", src: "Models/DNSResolverAccessListNetwork.inc validate_mask", test: t("DNSResolverAccessListNetwork", "test_validate_mask"),
			note: "through the child endpoint the message is the model's own, without the nested-field prefix; an empty `networks` is allowed (the nested model's many_minimum is 0, so allow_empty)",
			steps: []step{post(aclURL, `{"name":"test","action":"allow snoop","networks":[]}`).sub(`{"networks":[]}`),
				post(aclURL+"/network", `{"parent_id":0,"network":"4.3.2.1","mask":33}`).is(400, "DNS_RESOLVER_ACCESS_LIST_NETWORK_MASK_EXCEEDS_MAXIMUM_IPV4",
					"Field `mask` must be `32` or less when `network` is an IPv4 address.")}},

		// Models/DNSResolverDomainOverride.inc
		{area: "services", name: "a domain override's tls_hostname is dropped when TLS forwarding is turned off", src: "Models/DNSResolverDomainOverride.inc tls_hostname (conditions forward_tls_upstream) ; Core/Field.inc validate (unmet conditions null the value)", test: t("DNSResolverDomainOverride", "test_crud"),
			note: "the seed's domain override is id 0; the test reads /var/unbound/domainoverrides.conf (no forward-tls-upstream after the update)",
			steps: []step{post(domURL, `{"domain":"test.example.com","ip":"8.8.8.8","descr":"Test domain override","forward_tls_upstream":true,"tls_hostname":"example.com","apply":true}`).
				has(`"id":1`, `"domain":"test.example.com"`, `"forward_tls_upstream":true`, `"tls_hostname":"example.com"`),
				patch(domURL, `{"id":1,"domain":"newtest.example.com","ip":"1.1.1.1","descr":"New test domain override","forward_tls_upstream":false,"apply":true}`).
					has(`"domain":"newtest.example.com"`, `"ip":"1.1.1.1"`, `"forward_tls_upstream":false`, `"tls_hostname":null`),
				del(domURL + "?id=1&apply=true").has(`"domain":"newtest.example.com"`),
				get("/api/v2/services/dns_resolver/domain_overrides").not(`newtest.example.com`)}},

		// Models/DNSResolverSettings.inc
		{area: "services", name: "a disabled resolver is not a service; enabled and applied, unbound runs", src: "Models/DNSResolverSettings.inc enable, apply ; pfSense service-utils.inc get_services (config_path_enabled('unbound'))", test: t("DNSResolverSettings", "test_enable"),
			note: "the test reads unbound's pid; DNSResolverApplyDispatcher runs asynchronously over HTTP, so `status` can lag the answer on a real firewall",
			steps: []step{patch(resURL, `{"enable":false,"apply":true}`).has(`"enable":false`),
				get(svcURL + "?name=unbound").has(`"data":[]`),
				patch(resURL, `{"enable":true,"apply":true}`).has(`"enable":true`),
				get(svcURL+"?name=unbound").has(`"name":"unbound"`, `"status":true`)}},
		{area: "services", name: "the resolver's port reads back as set", src: "Models/DNSResolverSettings.inc port (PortField)", test: t("DNSResolverSettings", "test_port"),
			steps: []step{patch(resURL, `{"port":"5353","apply":true}`).has(`"port":"5353"`),
				patch(resURL, `{"port":"53","apply":true}`).has(`"port":"53"`)}},
		{area: "services", name: "the resolver's TLS port reads back with SSL on and a certificate", src: "Models/DNSResolverSettings.inc tlsport, sslcertref (conditions enablessl)", test: t("DNSResolverSettings", "test_tlsport"),
			note: "the test uses certificate id 0, the seed's webConfigurator certificate",
			steps: []step{patch(resURL, `{"tlsport":"8353","sslcertref":"67a1f0c2b3d4e","enablessl":true,"apply":true}`).has(`"enablessl":true`, `"sslcertref":"67a1f0c2b3d4e"`, `"tlsport":"8353"`),
				patch(resURL, `{"tlsport":"853","enablessl":true,"sslcertref":"67a1f0c2b3d4e","apply":true}`).has(`"tlsport":"853"`)}},
		{area: "services", name: "custom options are stored in base64 and read back as sent", src: "Models/DNSResolverSettings.inc custom_options (Base64Field)", test: t("DNSResolverSettings", "test_custom_options"),
			steps: []step{patch(resURL, `{"custom_options":"test: test","apply":true}`).has(`"custom_options":"test: test"`),
				get(resURL).has(`"custom_options":"test: test"`)}},

		// Models/SystemDNS.inc
		{area: "system", name: "dnslocalhost takes local, remote and null, with the servers", src: "Models/SystemDNS.inc dnslocalhost (choices, allow_null), dnsserver ; Core/Model.inc merge_config (null deletes)", test: t("SystemDNS", "test_dnslocalhost_local_resolvconf ; test_dnslocalhost_remote_resolvconf ; test_dnslocalhost_null_resolvconf"),
			note: "the tests read /etc/resolv.conf",
			steps: []step{patch("/api/v2/system/dns", `{"dnslocalhost":"local"}`).has(`"dnslocalhost":"local"`),
				patch("/api/v2/system/dns", `{"dnslocalhost":"remote","dnsserver":["8.8.8.8","8.8.4.4"]}`).has(`"dnslocalhost":"remote"`).sub(`{"dnsserver":["8.8.8.8","8.8.4.4"]}`),
				patch("/api/v2/system/dns", `{"dnslocalhost":null,"dnsserver":["8.8.8.8","8.8.4.4"]}`).has(`"dnslocalhost":null`),
				get("/api/v2/system/dns").has(`"dnslocalhost":null`).sub(`{"dnsserver":["8.8.8.8","8.8.4.4"]}`)}},

		// Models/SystemHostname.inc
		{area: "system", name: "the hostname and domain read back as set, and restored", src: "Models/SystemHostname.inc hostname, domain", test: t("SystemHostname", "test_update"),
			note: "the test reads `hostname`",
			steps: []step{patch("/api/v2/system/hostname", `{"hostname":"test","domain":"example.com"}`).has(`"hostname":"test"`, `"domain":"example.com"`),
				get("/api/v2/system/hostname").has(`"hostname":"test"`, `"domain":"example.com"`),
				patch("/api/v2/system/hostname", `{"hostname":"pfsense","domain":"home.arpa"}`).has(`"hostname":"pfsense"`, `"domain":"home.arpa"`)}},

		// Models/SystemTimezone.inc
		{area: "system", name: "the time zone takes America/Denver and UTC", src: "Models/SystemTimezone.inc timezone", test: t("SystemTimezone", "test_update"),
			note: "the test reads /var/db/zoneinfo; PHP's json_encode escapes the slash",
			steps: []step{patch("/api/v2/system/timezone", `{"timezone":"America/Denver"}`).has(`"timezone":"America\/Denver"`),
				get("/api/v2/system/timezone").has(`"timezone":"America\/Denver"`),
				patch("/api/v2/system/timezone", `{"timezone":"UTC"}`).has(`"timezone":"UTC"`)}},
		{area: "system", name: "time zones are the files of /usr/share/zoneinfo", src: "Models/SystemTimezone.inc get_timezone_choices ; pfSense system.inc system_get_timezone_list", test: t("SystemTimezone", "test_get_timezone_choices"),
			note: "the refusal is not in the test; the message lists every zone, so only the id is checked",
			steps: []step{patch("/api/v2/system/timezone", `{"timezone":"America/New_York"}`).has(`"timezone":"America\/New_York"`),
				patch("/api/v2/system/timezone", `{"timezone":"Mars/Olympus_Mons"}`).is(400, "FIELD_INVALID_CHOICE", "")}},

		// Models/SystemTunable.inc
		{area: "system", name: "a tunable is created, updated and deleted", src: "Models/SystemTunable.inc tunable, value", test: t("SystemTunable", "test_crud"),
			note: "the seed's tunable is id 0; the test reads sysctl",
			steps: []step{post(tunURL, `{"tunable":"net.link.bridge.pfil_bridge","value":"30","apply":true}`).has(`"id":1`, `"tunable":"net.link.bridge.pfil_bridge"`, `"value":"30"`),
				patch(tunURL, `{"id":1,"value":"10","apply":true}`).has(`"value":"10"`),
				del(tunURL + "?id=1&apply=true").has(`"value":"10"`),
				get("/api/v2/system/tunables").not(`pfil_bridge`)}},

		// Models/SystemConsole.inc
		{area: "system", name: "console password protection reads back as set", src: "Models/SystemConsole.inc passwd_protect_console (internal disableconsolemenu)", test: t("SystemConsole", "test_ttys_set_after_update"),
			note: "the test reads /etc/ttys",
			steps: []step{patch("/api/v2/system/console", `{"passwd_protect_console":true}`).has(`"passwd_protect_console":true`),
				get("/api/v2/system/console").has(`"passwd_protect_console":true`),
				patch("/api/v2/system/console", `{"passwd_protect_console":false}`).has(`"passwd_protect_console":false`)}},

		// Models/EmailNotificationSettings.inc
		{area: "system", name: "email notification settings read back, LOGIN credentials included", src: "Models/EmailNotificationSettings.inc (username, password conditions authentication_mechanism LOGIN)", test: t("EmailNotificationSettings", "test_read_and_update"),
			note: "password is neither sensitive nor write-only in v2.7.1 or v2.10.0, so it is returned",
			steps: []step{patch("/api/v2/system/notifications/email_settings", `{"disable":false,"ipaddress":"example.com","port":"465","timeout":24,"ssl":true,"sslvalidate":false,"fromaddress":"from@example.com","notifyemailaddress":"to@example.com","authentication_mechanism":"LOGIN","username":"user","password":"password"}`),
				get("/api/v2/system/notifications/email_settings").has(`"ipaddress":"example.com"`, `"port":"465"`, `"timeout":24`, `"ssl":true`, `"sslvalidate":false`,
					`"fromaddress":"from@example.com"`, `"notifyemailaddress":"to@example.com"`, `"authentication_mechanism":"LOGIN"`, `"username":"user"`, `"password":"password"`)}},

		// Models/LogSettings.inc
		{area: "system", name: "log settings read back; remote logging off nulls its fields", src: "Models/LogSettings.inc (conditions enableremotelogging, !logall) ; Core/Field.inc validate", test: t("LogSettings", "test_crud"),
			note: "logall true leaves the per-service booleans' condition `!logall` unmet, so they read null; v2.10.0 raises logfilesize's maximum to PHP_INT_MAX, which 500000 does not reach",
			steps: []step{patch(logURL, `{"logfilesize":500000,"rotatecount":6,"enableremotelogging":true,"remoteserver":"127.0.0.1:514","logall":true}`),
				get(logURL).has(`"logfilesize":500000`, `"rotatecount":6`, `"enableremotelogging":true`, `"remoteserver":"127.0.0.1:514"`, `"logall":true`, `"filter":null`),
				patch(logURL, `{"enableremotelogging":false}`).has(`"enableremotelogging":false`, `"remoteserver":null`, `"logall":null`)}},

		// Models/WebGUISettings.inc
		{area: "system", name: "the web GUI's port and protocol read back as set", src: "Models/WebGUISettings.inc protocol, port", test: t("WebGUISettings", "test_can_update_webgui_port ; test_can_update_webgui_protocol"),
			note: "the tests read nginx-webConfigurator.conf",
			steps: []step{patch(webURL, `{"port":"8443"}`).has(`"port":"8443"`),
				patch(webURL, `{"port":"443"}`).has(`"port":"443"`),
				patch(webURL, `{"protocol":"http","port":"8080"}`).has(`"protocol":"http"`, `"port":"8080"`),
				get(webURL).has(`"protocol":"http"`, `"port":"8080"`),
				patch(webURL, `{"protocol":"https","port":"443"}`).has(`"protocol":"https"`, `"port":"443"`)}},
		{area: "system", name: "the web GUI takes an imported certificate", src: "Models/WebGUISettings.inc sslcertref (ForeignModelField Certificate refid)", test: t("WebGUISettings", "test_can_update_webgui_sslcertref"),
			note: "the test imports its asset certificate and compares /var/etc/cert.crt; any imported certificate serves",
			steps: []step{post("/api/v2/system/certificate", foreignCertBody()),
				patch(webURL, `{"sslcertref":"{prev.refid}"}`),
				get(webURL).not(`"sslcertref":"67a1f0c2b3d4e"`)}},

		// Models/FirewallAdvancedSettings.inc
		{area: "models", name: "aliasesresolveinterval and checkaliasesurlcert read back as set", src: "Models/FirewallAdvancedSettings.inc aliasesresolveinterval, checkaliasesurlcert", test: t("FirewallAdvancedSettings", "test_aliasesresolveinterval ; test_checkaliasesurlcert"),
			note: "the test reads filterdns's command line",
			steps: []step{post("/api/v2/firewall/alias", `{"name":"test","type":"host","address":["example.com"],"apply":true}`),
				patch("/api/v2/firewall/advanced_settings", `{"aliasesresolveinterval":500,"apply":true}`).has(`"aliasesresolveinterval":500`),
				patch("/api/v2/firewall/advanced_settings", `{"aliasesresolveinterval":222,"apply":true}`).has(`"aliasesresolveinterval":222`),
				patch("/api/v2/firewall/advanced_settings", `{"checkaliasesurlcert":false,"apply":true}`).has(`"checkaliasesurlcert":false`),
				patch("/api/v2/firewall/advanced_settings", `{"checkaliasesurlcert":true,"apply":true}`).has(`"checkaliasesurlcert":true`)}},

		// Models/OutboundNATMode.inc
		{area: "models", name: "the outbound NAT mode takes its four modes", src: "Models/OutboundNATMode.inc mode", test: t("OutboundNATMode", "test_nat_modes"),
			note: "the test reads /tmp/rules.debug",
			steps: []step{post("/api/v2/firewall/nat/outbound/mapping", `{"interface":"wan","source":"any","destination":"127.5.0.1/24","target":"wan:ip","descr":"test outbound nat mode","apply":true}`),
				patch(natModeURL, `{"mode":"hybrid","apply":true}`).has(`"mode":"hybrid"`),
				patch(natModeURL, `{"mode":"advanced","apply":true}`).has(`"mode":"advanced"`),
				patch(natModeURL, `{"mode":"disabled","apply":true}`).has(`"mode":"disabled"`),
				get(natModeURL).has(`"mode":"disabled"`),
				patch(natModeURL, `{"mode":"automatic","apply":true}`).has(`"mode":"automatic"`)}},
		{area: "fields", name: "the outbound NAT mode `manual` of the help text is refused", src: "Models/OutboundNATMode.inc mode (choices automatic, hybrid, advanced, disabled) ; Core/Field.inc check_value_choice", test: "",
			note:  "no test: the help text offers `manual`, the choices call it `advanced`",
			steps: []step{patch(natModeURL, `{"mode":"manual"}`).is(400, "FIELD_INVALID_CHOICE", "Field `mode` must be one of [automatic, hybrid, advanced, disabled]")}},

		// Models/InterfaceGroup.inc
		{area: "interfaces", name: "an interface group's members are set, replaced, and the group deleted", src: "Models/InterfaceGroup.inc ifname, members (delimiter ' '), apply_create, apply_update, apply_delete", test: t("InterfaceGroup", "test_crud"),
			note: "the seed's WireGuard group is id 0; the test reads ifconfig",
			steps: []step{post(groupURL, `{"ifname":"test","members":["lan"],"descr":"test"}`).has(`"id":1`, `"ifname":"test"`).sub(`{"members":["lan"]}`),
				patch(groupURL, `{"id":1,"members":["wan"]}`).has(`"ifname":"test"`).sub(`{"members":["wan"]}`),
				del(groupURL + "?id=1").sub(`{"members":["wan"]}`),
				get("/api/v2/interface/groups").not(`"ifname":"test"`)}},
	}
}
