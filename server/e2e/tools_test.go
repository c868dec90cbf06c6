package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// The server's own tools and the lint, through the whole call path against the simulator.

func TestFirewallLogAgainstTheSimulator(t *testing.T) {
	s := newStack(t, inventory.Options{}, config.ModeFull)
	r, out := s.call(t, "pfsense_read_firewall_log", map[string]any{"last": 1.0})
	if r.IsError {
		t.Fatal(r.Text)
	}
	entries, _ := out["entries"].([]any)
	if len(entries) != 1 {
		t.Fatalf("last 1 = %s", r.Text)
	}
	e := entries[0].(map[string]any)
	rule, _ := e["rule"].(map[string]any)
	// The entry names the rule that matched, looked up by its tracker in the rules the
	// simulator has (whichever line its log ends with).
	if e["action"] == nil || e["interface"] == nil || e["time"] == nil || rule == nil || rule["tracker"] != e["tracker"] || rule["descr"] == "" {
		t.Errorf("newest entry = %v, want its time, interface, action and the rule with its tracker", e)
	}
}

func TestLintWarnsAboutAShadowedRuleAndAClosedListener(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	block := map[string]any{"type": "block", "interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "203.0.113.66",
		"destination": "web_servers", "destination_port": "web_ports", "descr": "bt_lint"}
	// Preview: below the WAN pass rule it would never match.
	_, out := s.call(t, "pfsense_create_firewall_rule", block)
	if ws, _ := json.Marshal(out["warnings"]); !strings.Contains(string(ws), "will never match on wan") {
		t.Errorf("preview warnings = %s", ws)
	}
	// On an interface the firewall lacks, the preview says what exists (WireGuard is the
	// package's group).
	bad := map[string]any{"type": "pass", "interface": []any{"wireguard"}, "ipprotocol": "inet", "source": "any", "destination": "lan", "descr": "bt_lint"}
	if _, out := s.call(t, "pfsense_create_firewall_rule", bad); !strings.Contains(fmt.Sprint(out["warnings"]), "interface wireguard is not an interface of this firewall") ||
		!strings.Contains(fmt.Sprint(out["warnings"]), "WireGuard") {
		t.Errorf("preview on an unknown interface: warnings = %v", out["warnings"])
	}
	// Placed above it, no warning, in the preview or the answer.
	block["placement"] = 1.0
	r, out := s.confirmed(t, "pfsense_create_firewall_rule", block)
	if r.IsError || out["warnings"] != nil {
		t.Errorf("placed rule: %s", r.Text)
	}
	r, out = s.confirmed(t, "pfsense_generate_wireguard_tunnel_key", map[string]any{"tunnel": map[string]any{"listenport": "51830", "descr": "bt_lint"}})
	if ws, _ := json.Marshal(out["warnings"]); r.IsError || !strings.Contains(string(ws), "Nothing on WAN passes UDP port 51830") {
		t.Errorf("tunnel: %s", r.Text)
	}
}

func TestSecurityAuditReadsEverySourceFromTheSimulator(t *testing.T) {
	s := newStack(t, inventory.Options{}, config.ModeFull)
	r, out := s.call(t, "pfsense_security_audit", nil)
	if r.IsError || out["not_checked"] != nil {
		t.Errorf("audit: %s", r.Text)
	}
	// Read-only: no finding names a tool that changes the firewall.
	if strings.Contains(r.Text, "pfsense_update_") || strings.Contains(r.Text, "pfsense_apply_") {
		t.Errorf("a read-only audit names tools that are not listed: %s", r.Text)
	}
}

// A read of certificates says what each crt holds (the REST API returns only the PEM), and a
// renewal through the tool moves the expiry on (the simulator re-signs the certificate as
// pfSense's cert_renew does).
func TestCertificatesAreReadAndRenewed(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	expiry := func() (string, map[string]any) {
		t.Helper()
		// fields without crt: the certificate is still read (from the whole object).
		r, out := s.call(t, "pfsense_list_system_certificates", map[string]any{"query": map[string]any{"refid": "67a1f0c2b3d4e"}, "fields": []any{"descr", "refid"}})
		certs, _ := out["certificates_parsed"].([]any)
		if r.IsError || len(certs) != 1 || !strings.Contains(out["untrusted"].(string), "subject") {
			t.Fatalf("certificates: %s", r.Text)
		}
		c := certs[0].(map[string]any)
		if c["refid"] != "67a1f0c2b3d4e" || c["self_signed"] != false || c["expired"] != false || c["days_left"].(float64) < 300 ||
			!strings.Contains(c["subject"].(string), "CN=") || !strings.HasPrefix(c["algorithm"].(string), "ECDSA") {
			t.Errorf("parsed certificate = %v", c)
		}
		return c["not_after"].(string), c
	}
	before, c := expiry()
	r, out := s.confirmed(t, "pfsense_renew_system_certificate", map[string]any{"certref": "67a1f0c2b3d4e"})
	data, _ := out["data"].(map[string]any)
	if r.IsError || data["oldserial"] != c["serial"] || data["newserial"] != c["serial"] {
		t.Fatalf("renewal: %s (serial before: %v)", r.Text, c["serial"])
	}
	after, _ := expiry()
	if after <= before {
		t.Errorf("not_after %s after the renewal, %s before", after, before)
	}
	// The renewal's answer shows the certificate as it now is; without apply, that what uses it
	// was not restarted.
	certs, _ := out["certificates_parsed"].([]any)
	if len(certs) != 1 || certs[0].(map[string]any)["not_after"] != after || out["applied"] != nil || !strings.Contains(fmt.Sprint(out["next_step"]), "apply: true") {
		t.Errorf("renewal answer: %s", r.Text)
	}
	if r, out := s.confirmed(t, "pfsense_renew_system_certificate", map[string]any{"certref": "67a1f0c2b3d4e", "apply": true}); r.IsError || out["applied"] != true || out["next_step"] != nil {
		t.Errorf("renewal with apply: %s", r.Text)
	}
}

// Discovery finds tools by what they do, abbreviations in their names included.
func TestDiscoverySearchFindsTheTool(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeDiscovery)
	for q, want := range map[string]string{
		"openvpn client specific override":       "pfsense_create_vpn_openvpn_cso",
		"add dns host override":                  "pfsense_create_services_dns_resolver_host_override",
		"renew certificate":                      "pfsense_renew_system_certificate",
		"restart DNS resolver service":           "pfsense_control_status_service",
		"firewall log blocked traffic from host": "pfsense_read_firewall_log",
		"generate certificate authority":         "pfsense_generate_system_certificate_authority",
		// A setting named by its field, among words that fit the overrides better.
		"turn on dnssec on the dns resolver": "pfsense_update_services_dns_resolver_settings",
	} {
		r, out := s.call(t, "pfsense_search_tools", map[string]any{"query": q, "limit": 3.0})
		tools, _ := out["tools"].([]any)
		found := false
		for _, x := range tools {
			found = found || x.(map[string]any)["name"] == want
		}
		if r.IsError || !found {
			t.Errorf("search %q: %s, want %s among the first 3", q, r.Text, want)
		}
	}
}

// Deleting the seed's web_servers alias, which a rule and a port forward name: the preview says
// so, against the simulator's own lists.
func TestDeletingAnAliasInUseIsWarned(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, out := s.call(t, "pfsense_list_firewall_aliases", map[string]any{"query": map[string]any{"name": "web_servers"}})
	rows, _ := out["data"].([]any)
	if len(rows) != 1 {
		t.Fatalf("aliases: %v", out)
	}
	_, out = s.call(t, "pfsense_delete_firewall_alias", map[string]any{"id": rows[0].(map[string]any)["id"]})
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, "alias web_servers is named by firewall rule id") {
		t.Errorf("preview warnings = %s", w)
	}
}

// A rule's preview says where placement puts it among the rules of its interface (the seed
// has one opt1 rule, id 2 "Block DMZ to LAN"; WAN has ids 1, 3 and 4).
func TestAPlacementPreviewSaysWhereTheRuleGoes(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	rule := map[string]any{"type": "pass", "interface": []any{"opt1"}, "ipprotocol": "inet", "protocol": "udp", "source": "opt1", "destination": "opt1:ip", "destination_port": "53", "placement": 2.0}
	_, out := s.call(t, "pfsense_create_firewall_rule", rule)
	want := `With placement 2 the rule becomes id 2, and the rule now at id 2 "Block DMZ to LAN" moves down to id 3 with those after it. Evaluated in that order, first match wins: on opt1 it comes first, above id 2 "Block DMZ to LAN" (ids as they are now).`
	if out["placement_note"] != want {
		t.Errorf("placement_note = %v\nwant %s", out["placement_note"], want)
	}
	// Moving WAN's last rule to the top of the list.
	_, out = s.call(t, "pfsense_update_firewall_rule", map[string]any{"id": 4.0, "placement": 0.0})
	if n := fmt.Sprint(out["placement_note"]); !strings.HasPrefix(n, "With placement 0 the rule moves to id 0") || !strings.Contains(n, `on wan it comes first, above id 1 "NAT Allow web to DMZ"`) {
		t.Errorf("move: placement_note = %s", n)
	}
	rule["placement"] = 9.0
	if _, out = s.call(t, "pfsense_create_firewall_rule", rule); !strings.HasPrefix(fmt.Sprint(out["placement_note"]), "placement 9 is past the end: there are 5 rules now, so pfSense refuses it") {
		t.Errorf("past the end: %v", out["placement_note"])
	}
}

// Deleting the seed's CA, which the OpenVPN server verifies its clients with and which signed
// the GUI's and alice's certificates: the preview names them (REST API versions before v2.7.4
// delete it anyway).
func TestDeletingACAInUseIsWarned(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, out := s.call(t, "pfsense_delete_system_certificate_authority", map[string]any{"id": 0.0})
	w := fmt.Sprint(out["warnings"])
	for _, want := range []string{`is used by OpenVPN server id 0 "Road warriors"`, "this firewall's REST API (v", `certificate id 0 "webConfigurator default"`, `certificate id 1 "alice (road warrior)"`} {
		if !strings.Contains(w, want) {
			t.Errorf("preview warnings lack %q: %s", want, w)
		}
	}
}

// TestAConditionalFieldIsKeptWhenItsConditionFieldIsLeftOut checks the companions path end to
// end: pfSense drops an outbound NAT mapping's nat_port when static_nat_port is not sent with
// it (its condition is checked before static_nat_port takes its default: Core/Model.inc
// validate, Core/Field.inc validate and are_conditions_met), so the server sends the default.
func TestAConditionalFieldIsKeptWhenItsConditionFieldIsLeftOut(t *testing.T) {
	const tool = "pfsense_create_firewall_nat_outbound_mapping"
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	tl, err := s.d.Inventory().Lookup(tool)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tl.Companions["nat_port"], `"static_nat_port":false`) {
		t.Fatalf("%s: companions of nat_port = %q, want static_nat_port false (from the native schema)", tool, tl.Companions["nat_port"])
	}
	args := map[string]any{"interface": "wan", "protocol": "tcp", "source": "192.168.1.0/24", "destination": "any",
		"target": "wan:ip", "nat_port": "1024:2048", "descr": "bt_natport"}
	r, out := s.confirmed(t, tool, args)
	if r.IsError {
		t.Fatal(r.Text)
	}
	data, _ := out["data"].(map[string]any)
	if data["nat_port"] != "1024:2048" || data["static_nat_port"] != false {
		t.Errorf("created %v, want nat_port 1024:2048 and static_nat_port false", data)
	}
	if n := fmt.Sprint(out["sent_note"]); !strings.Contains(n, "static_nat_port: false") || !strings.Contains(n, "with nat_port") {
		t.Errorf("sent_note = %q", n)
	}
	// Sent explicitly, the caller's value wins and is not added again (a spec without
	// declaration order, as v2.10.0's, may still add nonat's default).
	args["static_nat_port"], args["descr"] = true, "bt_static"
	r, out = s.confirmed(t, tool, args)
	if r.IsError {
		t.Fatal(r.Text)
	}
	if data, _ := out["data"].(map[string]any); data["static_nat_port"] != true || data["nat_port"] != nil || strings.Contains(fmt.Sprint(out["sent_note"]), "static_nat_port") {
		t.Errorf("with static_nat_port true: data %v, sent_note %v", data, out["sent_note"])
	}
}

// TestAnUpdatePreviewSaysWhatPfSenseClears checks the preview of an update against what
// pfSense does with it: it loads the stored object, applies the arguments, and nulls each field
// whose conditions fail (Core/Field.inc validate). The seeded OpenVPN server keeps ping
// settings that only apply to ping_method ping, so any update clears them, and a
// ping_seconds given alongside keepalive is dropped.
func TestAnUpdatePreviewSaysWhatPfSenseClears(t *testing.T) {
	const tool = "pfsense_update_vpn_openvpn_server"
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	r, cur := s.call(t, "pfsense_get_vpn_openvpn_server", map[string]any{"id": float64(0)})
	data, _ := cur["data"].(map[string]any)
	if data["ping_method"] != "keepalive" || data["ping_seconds"] == nil {
		t.Fatalf("the seeded server changed: %v %s", data, r.Text)
	}
	r, out := s.call(t, tool, map[string]any{"id": float64(0), "description": "bt_renamed", "ping_action": "ping_restart"})
	if r.IsError {
		t.Fatal(r.Text)
	}
	changes, _ := out["changes"].(map[string]any)
	cleared, _ := changes["ping_seconds"].(map[string]any)
	if cleared == nil || cleared["to"] != nil || !strings.Contains(fmt.Sprint(cleared["note"]), `pfSense clears it: the field only applies when ping_method is "ping"`) {
		t.Errorf("ping_seconds change = %v (changes %v)", changes["ping_seconds"], changes)
	}
	dropped, _ := changes["ping_action"].(map[string]any)
	if dropped == nil || !strings.Contains(fmt.Sprint(dropped["note"]), "pfSense drops the value given") {
		t.Errorf("ping_action change = %v", changes["ping_action"])
	}
	if _, ok := changes["description"].(map[string]any); !ok {
		t.Errorf("the description change is missing: %v", changes)
	}
	// What the simulator (following the package) then does matches the preview.
	r, out = s.confirmed(t, tool, map[string]any{"id": float64(0), "description": "bt_renamed", "ping_action": "ping_restart"})
	if r.IsError {
		t.Fatal(r.Text)
	}
	if got, _ := out["data"].(map[string]any); got["ping_seconds"] != nil || got["ping_action"] != nil {
		t.Errorf("after the update: ping_seconds %v, ping_action %v", got["ping_seconds"], got["ping_action"])
	}
}

// A scheduled pass rule above a pass rule that matches the same traffic limits nothing (the
// seed's LAN rule passes LAN to any); a new interface passes nothing until it has a rule.
func TestLintWarnsAboutAScheduleWithoutEffectAndAnInterfaceWithoutRules(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	sched := map[string]any{"type": "pass", "interface": []any{"lan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "lan", "destination": "any",
		"destination_port": "443", "sched": "work_hours", "placement": 0.0, "descr": "bt_sched"}
	_, out := s.call(t, "pfsense_create_firewall_rule", sched)
	if ws := fmt.Sprint(out["warnings"]); !strings.Contains(ws, `schedule "work_hours"`) || !strings.Contains(ws, "the schedule limits nothing") {
		t.Errorf("scheduled pass rule above LAN's pass rule: warnings = %v", out["warnings"])
	}
	delete(sched, "sched")
	if _, out := s.call(t, "pfsense_create_firewall_rule", sched); strings.Contains(fmt.Sprint(out["warnings"]), "schedule") {
		t.Errorf("a rule without a schedule: warnings = %v", out["warnings"])
	}
	_, out = s.call(t, "pfsense_create_network_interface", map[string]any{"if": "em1.30", "descr": "IOT", "enable": true, "typev4": "static", "ipaddr": "10.30.0.1", "subnet": 24.0, "typev6": "none"})
	if ws := fmt.Sprint(out["warnings"]); !strings.Contains(ws, "pfSense blocks everything arriving on the new interface until it has pass rules") {
		t.Errorf("new interface: warnings = %v", out["warnings"])
	}
	// The seed's DMZ_GW is down.
	_, out = s.call(t, "pfsense_create_routing_static_route", map[string]any{"network": "172.20.0.0/16", "gateway": "DMZ_GW", "descr": "bt_route"})
	if ws := fmt.Sprint(out["warnings"]); !strings.Contains(ws, "The gateway DMZ_GW is down") {
		t.Errorf("route through a down gateway: warnings = %v", out["warnings"])
	}
}

// A HAProxy frontend on the web GUI's port of every address cannot bind it, and the seed's
// port forward of WAN 443 takes that traffic before HAProxy sees it.
func TestLintWarnsAboutAFrontendWhereTheGUIOrAPortForwardListens(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, out := s.call(t, "pfsense_create_services_haproxy_frontend", map[string]any{"name": "bt_web", "type": "http",
		"a_extaddr": []any{map[string]any{"extaddr": "any_ipv4", "extaddr_port": "443"}}})
	ws := fmt.Sprint(out["warnings"])
	if !strings.Contains(ws, "HAProxy cannot bind any_ipv4:443") || !strings.Contains(ws, "already sends WAN port 443 to") {
		t.Errorf("frontend on 443: warnings = %v", out["warnings"])
	}
	_, out = s.call(t, "pfsense_create_services_haproxy_frontend", map[string]any{"name": "bt_web", "type": "http",
		"a_extaddr": []any{map[string]any{"extaddr": "any_ipv4", "extaddr_port": "8443"}}})
	if ws := fmt.Sprint(out["warnings"]); strings.Contains(ws, "cannot bind") || strings.Contains(ws, "Port forward") {
		t.Errorf("frontend on 8443: warnings = %v", out["warnings"])
	}
}

// A second static route to the seed's lab network: the generated table gives the create tool
// its list tool even though the model has no unique fields, so the preview can say so.
func TestASecondRouteToANetworkIsWarned(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, out := s.call(t, "pfsense_create_routing_static_route", map[string]any{"network": "172.16.50.0/24", "gateway": "WAN_DHCP", "descr": "lab via WAN"})
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, `network 172.16.50.0/24 already has the static route with id 0 "Lab network behind the DMZ router" (via DMZ_GW)`) {
		t.Errorf("preview warnings = %s", w)
	}
}

// A second OpenVPN server on the seed's tunnel network: the preview says so.
func TestAnOpenVPNTunnelNetworkInUseIsWarned(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, servers := s.call(t, "pfsense_list_vpn_openvpn_servers", nil)
	net := servers["data"].([]any)[0].(map[string]any)["tunnel_network"]
	_, out := s.call(t, "pfsense_update_vpn_openvpn_server", map[string]any{"id": 0.0, "tunnel_network": net})
	if out["warnings"] != nil {
		t.Errorf("updating the server with its own network: warnings %v", out["warnings"])
	}
	r, out := s.call(t, "pfsense_create_vpn_openvpn_client", map[string]any{"mode": "p2p_tls", "dev_mode": "tun", "protocol": "UDP4", "interface": "wan",
		"server_addr": "vpn.example.com", "server_port": "1195", "caref": "67a1f0c2a9b8c", "tunnel_network": net, "description": "bt client",
		"data_ciphers": []any{"AES-256-GCM"}, "data_ciphers_fallback": "AES-256-GCM", "digest": "SHA256"})
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, fmt.Sprintf("tunnel_network %s is already the tunnel network of OpenVPN server id 0", net)) {
		t.Errorf("preview warnings = %s\nanswer: %s", w, r.Text)
	}
}

// The key tool's own arguments have no apply: its preview says where apply goes.
func TestTheKeyToolSaysWhereApplyGoes(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	tunnel := map[string]any{"listenport": "51899", "addresses": []any{map[string]any{"address": "10.61.0.1", "mask": 24.0}}}
	_, out := s.call(t, "pfsense_generate_wireguard_tunnel_key", map[string]any{"tunnel": tunnel})
	if then := fmt.Sprint(out["then"]); !strings.Contains(then, "preview again with apply: true inside tunnel") {
		t.Errorf("then = %s", then)
	}
	tunnel["apply"] = true
	_, out = s.call(t, "pfsense_generate_wireguard_tunnel_key", map[string]any{"tunnel": tunnel})
	if then := fmt.Sprint(out["then"]); !strings.HasPrefix(then, "With apply: true pfSense applies the change at once") {
		t.Errorf("with tunnel.apply: then = %s", then)
	}
	_, out = s.call(t, "pfsense_generate_wireguard_tunnel_key", map[string]any{"id": 0.0})
	if then := fmt.Sprint(out["then"]); then != "After confirming, call pfsense_apply_vpn_wireguard to apply the change." {
		t.Errorf("re-key: then = %s", then)
	}
}

// Deleting a lease with the ISC backend stops dhcpd and keeps the lease: the preview says so
// (the simulator does what Models/DHCPServerLease.inc _delete does).
func TestALeaseDeleteSaysItStopsTheDHCPServer(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	args := map[string]any{"query": map[string]any{"ip": "192.168.1.101"}}
	_, out := s.call(t, "pfsense_delete_status_dhcp_server_leases", args)
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, "deleting leases stops the DHCP server and leaves the leases in place") {
		t.Errorf("preview warnings = %s", w)
	}
	if r, _ := s.confirmed(t, "pfsense_delete_status_dhcp_server_leases", args); r.IsError {
		t.Fatal(r.Text)
	}
	_, svc := s.call(t, "pfsense_list_status_services", map[string]any{"query": map[string]any{"name": "dhcpd"}})
	if !strings.Contains(fmt.Sprint(svc["data"]), "status:false") {
		t.Errorf("dhcpd after the delete: %v", svc["data"])
	}
	_, leases := s.call(t, "pfsense_list_status_dhcp_server_leases", map[string]any{"query": map[string]any{"ip": "192.168.1.101"}})
	if n := len(leases["data"].([]any)); n != 1 {
		t.Errorf("the lease is gone (%d left); pfSense keeps it", n)
	}
}

// The factory WAN reads as described "WAN", a name pfSense reserves, and every field is checked
// on update (Validators/FilterNameValidator.inc): the preview warns, the refusal says what to
// do, and renaming it in the same call works.
func TestUpdatingAnInterfaceDescribedByAReservedName(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	args := map[string]any{"id": "wan", "blockbogons": true}
	r, out := s.call(t, "pfsense_update_network_interface", args)
	if r.IsError || !strings.Contains(fmt.Sprint(out["warnings"]), "pfSense will refuse this update") {
		t.Fatalf("preview: want a warning that pfSense will refuse it, got %s", r.Text)
	}
	r, _ = s.confirmed(t, "pfsense_update_network_interface", args)
	if !r.IsError || !strings.Contains(r.Text, "FILTER_NAME_VALIDATOR_RESERVED_NAME_USED") || !strings.Contains(r.Text, "unless `descr` gets another name in the same call") {
		t.Fatalf("confirmed: want the simulator's refusal with the hint, got %s", r.Text)
	}
	args["descr"] = "WAN_uplink"
	if r, _ := s.confirmed(t, "pfsense_update_network_interface", args); r.IsError {
		t.Fatalf("renamed in the same call: %s", r.Text)
	}
}

// Deleting the rule of a port forward leaves the forward passing nothing: the preview says so
// and names the forward (the seed's WAN web rule belongs to port forward 0).
func TestDeletingAPortForwardsRuleIsWarned(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, out := s.call(t, "pfsense_list_firewall_rules", map[string]any{"query": map[string]any{"associated_rule_id__startswith": "nat_"}})
	rows, _ := out["data"].([]any)
	if len(rows) == 0 {
		t.Fatalf("the seed has no rule of a port forward: %v", out)
	}
	_, out = s.call(t, "pfsense_delete_firewall_rule", map[string]any{"id": rows[0].(map[string]any)["id"]})
	if w := fmt.Sprint(out["warnings"]); !strings.Contains(w, "This is the rule of port forward id 0") {
		t.Errorf("preview warnings = %s", w)
	}
	// An ordinary rule's delete is not warned about.
	_, out = s.call(t, "pfsense_list_firewall_rules", map[string]any{"query": map[string]any{"descr": "Default allow LAN to any rule"}})
	rows, _ = out["data"].([]any)
	if len(rows) == 0 {
		t.Fatalf("the seed has no ordinary rule: %v", out)
	}
	_, out = s.call(t, "pfsense_delete_firewall_rule", map[string]any{"id": rows[0].(map[string]any)["id"]})
	if w, ok := out["warnings"]; ok {
		t.Errorf("an ordinary rule's delete: warnings %v", w)
	}
}
