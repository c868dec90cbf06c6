package simulator_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// groundTruthCases are behaviours a replay of the package's own model tests against the
// simulator found missing: replace_all validating each object against the ones written before
// it, the client's name on objects it builds, the uid and gid counters, and the formats of the
// ARP table and ping output (the package reads pfSense's own functions for both).
func groundTruthCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	return []ccase{
		{area: "crud", name: "replace_all checks each alias against the ones written before it", src: "Core/Model.inc replace_all (set_config per object); Models/FirewallAlias.inc validate_address", test: t("FirewallAlias", "test_nested_alias_reference_in_replace_all"),
			steps: []step{put(aliasesURL, `[{"name":"test_alias1","type":"host","address":[]},{"name":"test_alias2","type":"host","address":["test_alias1"]}]`).is(200, "SUCCESS", "")}},
		{area: "crud", name: "replace_all no longer sees the aliases it replaces", src: "Core/Model.inc replace_all (the config path emptied first); Models/FirewallAlias.inc validate_address", test: t("FirewallAlias", "test_nested_alias_reference_in_replace_all"),
			note: "the package's test covers the positive case; an alias replaced by the same request is gone when the next is validated, and admin_nets is no FQDN",
			steps: []step{put(aliasesURL, `[{"name":"x1","type":"host","address":["admin_nets"]}]`).is(400, "", ""),
				get(aliasesURL).has(`"name":"admin_nets"`)}},
		{area: "crud", name: "replace_all builds objects with the client: created_by names the user", src: "Core/Model.inc replace_all (new $this(..., client: $this->client)); Models/FirewallRule.inc __construct", test: t("FirewallRule", "test_replace_all_retains_client_username"),
			steps: []step{put(rulesURL, `[{"type":"pass","interface":["lan"],"ipprotocol":"inet","protocol":"tcp","source":"any","destination":"any"}]`).has(`"created_by":"admin@`)}},
		{area: "models", name: "a deleted user's uid is not handed out again", src: "Models/User.inc _create (system/nextuid = uid + 1)", test: t("User", "test_next_uid_is_incremented"),
			steps: []step{post(userURL, `{"name":"bt_x5","password":"pw"}`).has(`"uid":2001`), del(userURL + "?id=2"),
				post(userURL, `{"name":"bt_x6","password":"pw"}`).has(`"uid":2002`)}},
		{area: "models", name: "a deleted group's gid is not handed out again", src: "Models/UserGroup.inc _create (system/nextgid = gid + 1)", test: t("UserGroup", "test_gid_increment"),
			steps: []step{post("/api/v2/user/group", `{"name":"bt_g1"}`).has(`"gid":2000`), del("/api/v2/user/group?id=2"),
				post("/api/v2/user/group", `{"name":"bt_g2"}`).has(`"gid":2001`)}},
		{area: "models", name: "the ARP table reads as prepare_ARP_table() shows the kernel's", src: "Models/ARPTable.inc get_arp_table; pfSense diag_arp.inc prepare_ARP_table, system.inc system_get_arp_table (arp -an)", test: t("ARPTable", "test_arp_table_entry_deletion"),
			note:  "the package's test deletes an entry and does not check the formats; they are pfSense's: hostname as arp -n prints it, expiry in words, the firewall's own addresses permanent, names from leases and static mappings",
			steps: []step{get("/api/v2/diagnostics/arp_table").has(`"hostname":"?"`, `"expires":"Permanent"`, `"ip_address":"192.168.1.1"`, `"dnsresolve":"nas"`, `"dnsresolve":"laptop"`).not(`"expires":"1185"`).then(arpSorted)}},
		{area: "models", name: "ping's output is exec's lines joined, with min/avg/max from the replies", src: "Models/Ping.inc _create; Core/Command.inc run_command (implode(PHP_EOL)); FreeBSD sbin/ping", test: "",
			note:  "the package has no ping test; exec() drops the line ends and implode joins with newlines, so there is no final newline",
			steps: []step{post("/api/v2/diagnostics/ping", `{"host":"192.168.1.1","count":1}`).has(`min\/avg\/max\/stddev = 0.050\/0.050\/0.050\/0.000 ms"`).not(`ms\n"`)}},
		{area: "auth", name: "a failed login is written to the auth log for login protection", src: "Core/Auth.inc log_authentication; pfSense util.inc log_auth", test: "",
			note: "no package test reads the log; the line is the one pfSense's login protection (sshguard) matches, with the endpoint's index.php as the script",
			steps: []step{get(aliasesURL).as("basic:bob:wrong").is(401, "AUTH_AUTHENTICATION_FAILED", ""),
				get("/api/v2/status/logs/auth").has(`\/api\/v2\/firewall\/aliases\/index.php: webConfigurator authentication error for user 'bob' from: 192.168.1.100`)}},
		{area: "interfaces", name: "WAN cannot be deleted", src: "Models/NetworkInterface.inc _delete", test: "Tests/APIModelsNetworkInterfaceTestCase.inc test_cannot_delete_wan_interface",
			steps: []step{del("/api/v2/interface?id=wan").is(400, "NETWORK_INTERFACE_WAN_CANNOT_BE_DELETED", "Interface `wan` cannot be deleted.")}},
		{area: "interfaces", name: "an interface in an interface group cannot be deleted", src: "Models/NetworkInterface.inc _delete (link_interface_to_group)", test: "",
			note: "from the source; no package test deletes a grouped interface",
			steps: []step{post("/api/v2/interface/group", `{"ifname":"BTGRP","members":["opt1"]}`),
				del("/api/v2/interface?id=opt1").is(400, "NETWORK_INTERFACE_IN_USE_BY_INTERFACE_GROUP", "Interface `opt1` cannot be deleted because it is in use by an interface group.")}},
		{area: "models", name: "a CARP virtual IP reads disabled while CARP is off", src: "Models/VirtualIP.inc from_internal_carp_status (CARP::is_carp_enabled)", test: "Tests/APIModelsVirtualIPTestCase.inc test_carp_status",
			steps: []step{post("/api/v2/firewall/virtual_ip", `{"mode":"carp","interface":"lan","subnet":"192.168.1.250","subnet_bits":24,"vhid":7,"password":"carp-pass","advskew":0,"advbase":1}`),
				patch("/api/v2/status/carp", `{"enable":false}`), get("/api/v2/firewall/virtual_ips").has(`"carp_status":"disabled"`)}},
		{area: "models", name: "ntpd leaves the service list when NTP is disabled", src: "pfSense service-utils.inc get_services (ntpd/enable != disabled)", test: "Tests/APIModelsNTPSettingsTestCase.inc test_enable_controls_ntpd_service",
			steps: []step{patch("/api/v2/services/ntp/settings", `{"enable":false}`), get("/api/v2/status/services").not(`"name":"ntpd"`)}},
	}
}

// arpSorted: msort() by dnsresolve puts the entries without a name first, then by name.
func arpSorted(t *testing.T, r result) {
	var rows []map[string]any
	if err := json.Unmarshal(r.env.Data, &rows); err != nil {
		t.Fatal(err)
	}
	named := false
	prev := ""
	for _, row := range rows {
		n, _ := row["dnsresolve"].(string)
		switch {
		case n == "" && named:
			t.Errorf("an entry without a name after named ones: %v", rows)
		case n != "" && strings.ToLower(n) < prev:
			t.Errorf("%q after %q", n, prev)
		}
		if n != "" {
			named, prev = true, strings.ToLower(n)
		}
	}
}
