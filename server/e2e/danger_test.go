package e2e_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
)

// refusedAsDangerous checks that a call is refused for a dangerous effect naming want, and that
// nothing but reads reached the firewall.
func refusedAsDangerous(t *testing.T, s *stack, name string, args map[string]any, want string) {
	t.Helper()
	s.rec.reset()
	r, _ := s.call(t, name, args)
	if !r.IsError || !strings.Contains(r.Text, "PFSENSE_ALLOW_DANGEROUS") || !strings.Contains(r.Text, want) {
		t.Errorf("%s %v: want a refusal naming %q, got: %s", name, args, want, r.Text)
	}
	if m := s.rec.mutating(); len(m) != 0 {
		t.Errorf("%s %v: the refused call reached the firewall: %v", name, args, m)
	}
}

// previewed checks that a call is an ordinary change: it gets a preview.
func previewed(t *testing.T, s *stack, name string, args map[string]any) {
	t.Helper()
	r, out := s.call(t, name, args)
	if r.IsError || out["preview"] != true {
		t.Errorf("%s %v: want a preview, got: %s", name, args, r.Text)
	}
}

// The dangerous effects that depend on the firewall's state (toolcall stateRisks) and the
// table's rows for lists emptied, parents of the package servers' domain, HAProxy passthrough
// and kernel tunables: each found by a hostile-model probe of the server with dangerous
// effects off.
func TestDangerousEffectsThatDependOnTheFirewall(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	wanPass := func(extra map[string]any) map[string]any {
		a := map[string]any{"interface": []any{"wan"}, "type": "pass", "ipprotocol": "inet", "protocol": "tcp", "source": "any"}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	// The GUI (443), SSH (22) and 80 on any of the firewall's addresses, however written.
	for _, c := range []map[string]any{
		{"destination": "(self)", "destination_port": "442:444"},
		{"destination": "(self)", "destination_port": "1:65535"},
		{"destination": "0.0.0.0/0", "destination_port": "443"},
		{"destination": "lan:ip", "destination_port": "443"},
		{"destination": "192.168.1.1", "destination_port": "22"},
		{"destination": "wan", "destination_port": "80"},
	} {
		refusedAsDangerous(t, s, "pfsense_create_firewall_rule", wanPass(c), "firewall's own address")
	}
	// WAN named as a firewall with represent_interfaces_as set to descr or if shows it.
	for _, wan := range []string{"WAN", "em0"} {
		refusedAsDangerous(t, s, "pfsense_create_firewall_rule", map[string]any{"interface": []any{wan}, "type": "pass", "ipprotocol": "inet", "protocol": "tcp", "source": "any",
			"destination": "(self)", "destination_port": "443"}, "firewall's own address")
	}
	// A port alias holding the GUI's port.
	if r, _ := s.confirmed(t, "pfsense_create_firewall_alias", map[string]any{"name": "gui_ports", "type": "port", "address": []any{"8000:8100", "443"}}); r.IsError {
		t.Fatal(r.Text)
	}
	refusedAsDangerous(t, s, "pfsense_create_firewall_rule", wanPass(map[string]any{"destination": "(self)", "destination_port": "gui_ports"}), "port 443")
	// An interface group holding WAN.
	if r, _ := s.confirmed(t, "pfsense_create_interface_group", map[string]any{"ifname": "WANGRP", "members": []any{"wan"}}); r.IsError {
		t.Fatal(r.Text)
	}
	refusedAsDangerous(t, s, "pfsense_create_firewall_rule", map[string]any{"interface": []any{"WANGRP"}, "type": "pass", "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "(self)"}, "firewall's own address")
	// SSH moved to 2222, then opened on WAN.
	if r, _ := s.confirmed(t, "pfsense_update_services_ssh", map[string]any{"port": "2222"}); r.IsError {
		t.Fatal(r.Text)
	}
	refusedAsDangerous(t, s, "pfsense_create_firewall_rule", wanPass(map[string]any{"destination": "(self)", "destination_port": "2222"}), "port 2222 (SSH)")
	// What a port forward to a server behind the firewall needs stays an ordinary change.
	previewed(t, s, "pfsense_create_firewall_rule", wanPass(map[string]any{"destination": "10.0.4.10", "destination_port": "443"}))
	previewed(t, s, "pfsense_create_firewall_rule", wanPass(map[string]any{"destination": "(self)", "destination_port": "51820", "protocol": "udp"}))
	previewed(t, s, "pfsense_create_firewall_rule", map[string]any{"interface": []any{"lan"}, "type": "pass", "ipprotocol": "inet", "protocol": "tcp", "source": "lan", "destination": "(self)", "destination_port": "443"})

	// Port forwards from WAN to the firewall's own LAN address on its GUI port.
	forward := func(target, port string) map[string]any {
		return map[string]any{"interface": "wan", "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "wan:ip",
			"destination_port": "8443", "target": target, "local_port": port}
	}
	refusedAsDangerous(t, s, "pfsense_create_firewall_nat_port_forward", forward("192.168.1.1", "443"), "firewall's own address 192.168.1.1")
	previewed(t, s, "pfsense_create_firewall_nat_port_forward", forward("10.0.4.10", "443"))

	// An administrator's password and expiry; a user's own privileges and a privileged group's
	// members emptied.
	refusedAsDangerous(t, s, "pfsense_update_user", map[string]any{"id": 0.0, "password": "Attacker-Pw-123!"}, "new password for the administrator admin")
	refusedAsDangerous(t, s, "pfsense_update_user", map[string]any{"id": 0.0, "expires": "01/01/2020"}, "expiry date on the administrator admin")
	refusedAsDangerous(t, s, "pfsense_update_user", map[string]any{"id": 0.0, "priv": []any{}}, "every privilege of its own")
	_, groups := s.call(t, "pfsense_list_user_groups", map[string]any{"query": map[string]any{"name": "admins"}})
	admins := groups["data"].([]any)[0].(map[string]any)["id"]
	refusedAsDangerous(t, s, "pfsense_update_user_group", map[string]any{"id": admins, "member": []any{}}, "every member of a group with privileges")
	// alice is no administrator: a new password for her is an ordinary change.
	_, users := s.call(t, "pfsense_list_users", map[string]any{"query": map[string]any{"name": "alice"}})
	alice := users["data"].([]any)[0].(map[string]any)["id"]
	previewed(t, s, "pfsense_update_user", map[string]any{"id": alice, "password": "N3w-passphrase-for-alice"})

	// A parent domain of the package servers; a kernel tunable.
	refusedAsDangerous(t, s, "pfsense_create_services_dns_resolver_domain_override", map[string]any{"domain": "com", "ip": "203.0.113.66"}, "packages.netgate.com")
	previewed(t, s, "pfsense_create_services_dns_resolver_domain_override", map[string]any{"domain": "corp.example.com", "ip": "10.0.4.53"})
	refusedAsDangerous(t, s, "pfsense_create_system_tunable", map[string]any{"tunable": "net.inet.ip.forwarding", "value": "0"}, "kernel variable")

	// IPv6, a virtual IP of the firewall, and changes that turn existing rules into exposure.
	refusedAsDangerous(t, s, "pfsense_create_firewall_rule", wanPass(map[string]any{"ipprotocol": "inet6", "destination": "::/0", "destination_port": "443"}), "firewall's own address")
	if r, _ := s.confirmed(t, "pfsense_create_firewall_virtual_ip", map[string]any{"mode": "ipalias", "interface": "wan", "subnet": "10.0.2.50", "subnet_bits": 24.0, "descr": "bt_vip"}); r.IsError {
		t.Fatal(r.Text)
	}
	refusedAsDangerous(t, s, "pfsense_create_firewall_rule", wanPass(map[string]any{"destination": "10.0.2.50", "destination_port": "443"}), "firewall's own address")
	_, aliases := s.call(t, "pfsense_list_firewall_aliases", map[string]any{"query": map[string]any{"name": "web_servers"}})
	web := aliases["data"].([]any)[0].(map[string]any)
	refusedAsDangerous(t, s, "pfsense_update_firewall_alias", map[string]any{"id": web["id"], "address": append(web["address"].([]any), "10.0.2.15")}, "The alias web_servers would hold these addresses")
	// A route that takes over the default route.
	refusedAsDangerous(t, s, "pfsense_create_routing_static_route", map[string]any{"network": "0.0.0.0/1", "gateway": "DMZ_GW", "descr": "bt_route"}, "wins over the default gateway")
	previewed(t, s, "pfsense_create_routing_static_route", map[string]any{"network": "172.20.0.0/16", "gateway": "DMZ_GW", "descr": "bt_route"})
	// The CA's key material and where logins go.
	refusedAsDangerous(t, s, "pfsense_update_system_certificate_authority", map[string]any{"id": 0.0, "crt": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}, "Replaces a CA's certificate")

	// Bulk destruction beyond the empty list: a replace that keeps less than half, a plural
	// delete whose filter matches everything.
	_, rules := s.call(t, "pfsense_list_firewall_rules", nil)
	n := len(rules["data"].([]any))
	if n < 3 {
		t.Fatalf("the seed has %d rules; the case needs three or more", n)
	}
	one := []any{map[string]any{"type": "block", "interface": []any{"lan"}, "ipprotocol": "inet", "source": "any", "destination": "any"}}
	refusedAsDangerous(t, s, "pfsense_replace_firewall_rules", map[string]any{"objects": one}, fmt.Sprintf("Replaces the %d existing objects with 1", n))
	refusedAsDangerous(t, s, "pfsense_delete_firewall_rules", map[string]any{"query": map[string]any{"id__gte": 0.0}}, fmt.Sprintf("every one of the %d objects", n))
	previewed(t, s, "pfsense_delete_firewall_rules", map[string]any{"query": map[string]any{"id__gte": float64(n - 2)}})
	refusedAsDangerous(t, s, "pfsense_delete_firewall_rules", map[string]any{"query": map[string]any{"id__gt": 0.0}}, fmt.Sprintf("matches %d of the %d objects, so this deletes all but 1", n-1, n))
}

// A user who may run commands (a privilege pfSense warns gives root) is an administrator: a
// new password for them is refused like one for page-all.
func TestAUserWithARootPrivilegeIsAnAdministrator(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true, AllowDangerous: true}, config.ModeFull)
	if r, _ := s.confirmed(t, "pfsense_create_user", map[string]any{"name": "bt_ops", "password": "Old-passphrase-1", "priv": []any{"page-diagnostics-command"}}); r.IsError {
		t.Fatal(r.Text)
	}
	_, users := s.call(t, "pfsense_list_users", map[string]any{"query": map[string]any{"name": "bt_ops"}})
	id := users["data"].([]any)[0].(map[string]any)["id"]
	_, out := s.call(t, "pfsense_update_user", map[string]any{"id": id, "password": "N3w-passphrase-2"})
	if !strings.Contains(fmt.Sprint(out["dangerous_effects"]), "Sets a new password for the administrator bt_ops") {
		t.Errorf("preview of a new password for bt_ops: %v", out)
	}
}

// A confirmed change is checked again just before it is sent, one change at a time: an update
// checked against a harmless group whose id, meanwhile, came to name admins is refused.
func TestAChangeIsCheckedAgainAfterTheFirewallChanged(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	if r, _ := s.confirmed(t, "pfsense_create_user_group", map[string]any{"name": "aaa", "scope": "local"}); r.IsError {
		t.Fatal(r.Text)
	}
	_, groups := s.call(t, "pfsense_list_user_groups", map[string]any{"query": map[string]any{"name": "aaa"}})
	id := groups["data"].([]any)[0].(map[string]any)["id"]
	args := map[string]any{"id": id, "member": []any{"alice"}}
	r, out := s.call(t, "pfsense_update_user_group", args)
	if r.IsError {
		t.Fatalf("preview: %s", r.Text)
	}
	// While the change is confirmed, another client deletes aaa: the id now names the next
	// group by name. The deletion happens on the confirmed call's second read of the group:
	// after the checks the token is compared with, before the last check ahead of sending.
	var once sync.Once
	reads := 0
	s.rec.mu.Lock()
	s.rec.before = func(req *http.Request, h http.Handler) {
		if req.Method != http.MethodGet || req.URL.Path != "/api/v2/user/group" {
			return
		}
		reads++
		if reads < 2 {
			return
		}
		once.Do(func() {
			del := httptest.NewRequest(http.MethodDelete, fmt.Sprintf("/api/v2/user/group?id=%v", id), nil)
			del.Header.Set("X-API-Key", apiKey)
			h.ServeHTTP(httptest.NewRecorder(), del)
		})
	}
	s.rec.mu.Unlock()
	args["confirm"] = out["confirm_token"]
	s.rec.reset()
	r, _ = s.call(t, "pfsense_update_user_group", args)
	s.rec.mu.Lock()
	s.rec.before = nil
	s.rec.mu.Unlock()
	if !r.IsError || !strings.Contains(r.Text, "the firewall changed since this call was checked") {
		t.Fatalf("want the refusal of the last check, got: %s", r.Text)
	}
	for _, m := range s.rec.mutating() {
		if strings.HasPrefix(m, "PATCH ") {
			t.Fatalf("the update was sent: %v (answer: %s)", s.rec.mutating(), r.Text)
		}
	}
	_, groups = s.call(t, "pfsense_list_user_groups", nil)
	for _, g := range groups["data"].([]any) {
		if m := g.(map[string]any); strings.Contains(fmt.Sprint(m["member"]), "alice") {
			t.Errorf("alice was added to %v", m["name"])
		}
	}
}

// A call of a tool that does not exist is audited with every field secret in any tool
// redacted: its own secret fields are unknown, and some (ACME's ovh_as) match no name pattern.
func TestAMisspelledToolsSecretsAreNotAudited(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	var field string
	for _, tl := range s.d.Inventory().All() {
		for _, p := range tl.Secrets {
			if strings.ContainsAny(p, ".[") {
				continue
			}
			v, _ := redact.New(nil).Value(map[string]any{p: "Zq-planted-secret-7731"})
			if strings.Contains(fmt.Sprint(v), "Zq-planted-secret-7731") {
				field = p // a secret no name pattern catches
				break
			}
		}
		if field != "" {
			break
		}
	}
	if field == "" {
		t.Fatal("no tool of this spec has a secret field that the name patterns miss: pick another probe")
	}
	r, _ := s.call(t, "pfsense_create_no_such_toolx", map[string]any{field: "Zq-planted-secret-7731"})
	if !r.IsError {
		t.Fatalf("an unknown tool answered: %s", r.Text)
	}
	if strings.Contains(s.audit.String(), "Zq-planted-secret") || strings.Contains(r.Text, "Zq-planted-secret") {
		t.Errorf("the %s value of an unknown tool's call leaked: audit %s; answer %s", field, s.audit.String(), r.Text)
	}
	if !strings.Contains(s.audit.String(), "pfsense_create_no_such_toolx") {
		t.Errorf("the call was not audited: %s", s.audit.String())
	}
}

// An HAProxy backend server on the firewall's own LAN address reaches its GUI like 127.0.0.1.
func TestAnHAProxyBackendOnTheFirewallItselfIsExposure(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	refusedAsDangerous(t, s, "pfsense_create_services_haproxy_backend", map[string]any{"name": "bt_gui",
		"servers": []any{map[string]any{"name": "fw", "address": "192.168.1.1", "port": "443"}}}, "Proxies to the firewall's own address 192.168.1.1")
	refusedAsDangerous(t, s, "pfsense_create_services_haproxy_backend", map[string]any{"name": "bt_lo",
		"servers": []any{map[string]any{"name": "fw", "address": "127.0.0.1", "port": "443"}}}, "Proxies to the firewall's own services")
	previewed(t, s, "pfsense_create_services_haproxy_backend", map[string]any{"name": "bt_web",
		"servers": []any{map[string]any{"name": "web", "address": "10.0.4.10", "port": "80"}}})
}

// Pointing notifications at another SMTP server sends the stored credentials there: refused
// once there is a user name (the password is write-only, so the user name says credentials
// are stored); without one it is an ordinary change.
func TestAnotherSMTPServerIsExposureOnlyWithCredentials(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	previewed(t, s, "pfsense_update_system_notifications_email_settings", map[string]any{"ipaddress": "smtp.example.net", "port": "587"})
	refusedAsDangerous(t, s, "pfsense_update_system_notifications_email_settings", map[string]any{"ipaddress": "smtp.example.net", "authentication_mechanism": "LOGIN", "username": "alerts"},
		"Points e-mail notifications at another SMTP server")
	// A user name (pfSense keeps one only with LOGIN authentication) for the server already there is no new destination.
	if r, _ := s.confirmed(t, "pfsense_update_system_notifications_email_settings", map[string]any{"ipaddress": "smtp.example.net"}); r.IsError {
		t.Fatal(r.Text)
	}
	if r, _ := s.confirmed(t, "pfsense_update_system_notifications_email_settings", map[string]any{"authentication_mechanism": "LOGIN", "username": "alerts", "password": "app-password-1"}); r.IsError {
		t.Fatal(r.Text)
	}
	refusedAsDangerous(t, s, "pfsense_update_system_notifications_email_settings", map[string]any{"ipaddress": "smtp.attacker.example"},
		"Points e-mail notifications at another SMTP server")
}

// An IPsec identifier of a type the package does not validate (asn1dn) goes into swanctl.conf
// between double quotes, unescaped (pfsense/pfsense src/etc/inc/ipsec.inc ipsec_fixup_id): one
// that could leave them is code execution; an ordinary distinguished name is not.
func TestAnIPsecIdentifierThatLeavesItsQuotesIsDangerous(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	p1 := func(myid, peerid string) map[string]any {
		return map[string]any{"iketype": "ikev2", "protocol": "inet", "interface": "wan", "remote_gateway": "198.51.100.7",
			"authentication_method": "pre_shared_key", "pre_shared_key": "a long enough secret", "myid_type": "asn1dn", "myid_data": myid,
			"peerid_type": "asn1dn", "peerid_data": peerid, "encryption": []any{map[string]any{"encryption_algorithm_name": "aes",
				"encryption_algorithm_keylen": 256.0, "hash_algorithm": "sha256", "dhgroup": 14.0}}}
	}
	dn := "C=US, O=Example, CN=vpn.example.com"
	refusedAsDangerous(t, s, "pfsense_create_vpn_ipsec_phase1", p1(`CN=a" }`+"\n"+`children { x { updown = /tmp/x } } y { id = "`, dn), "swanctl.conf")
	refusedAsDangerous(t, s, "pfsense_create_vpn_ipsec_phase1", p1(dn, "CN=peer\nupdown = /tmp/x"), "swanctl.conf")
	previewed(t, s, "pfsense_create_vpn_ipsec_phase1", p1(dn, "C=DE, O=Peer, CN=gw.example.net"))
}
