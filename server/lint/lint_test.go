package lint

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// rules is a Reader holding the firewall rules.
type rules []any

func (r rules) ReadRoute(_ context.Context, path string) (any, error) {
	if path != rulesPath {
		return nil, fmt.Errorf("no %s", path)
	}
	return []any(r), nil
}

func (r rules) Read(ctx context.Context, tool string, _ map[string]any) (any, error) {
	if tool != "pfsense_list_firewall_rules" {
		return nil, fmt.Errorf("no %s", tool)
	}
	return r.ReadRoute(ctx, rulesPath)
}

// The simulator's seed rules: LAN pass, WAN web pass, DMZ block.
var seed = rules{
	map[string]any{"id": 0.0, "type": "pass", "interface": []any{"lan"}, "ipprotocol": "inet", "protocol": nil, "source": "lan", "destination": "any", "descr": "Default allow LAN to any rule"},
	map[string]any{"id": 1.0, "type": "pass", "interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports", "descr": "NAT Allow web to DMZ"},
	map[string]any{"id": 2.0, "type": "block", "interface": []any{"opt1"}, "ipprotocol": "inet", "protocol": nil, "source": "opt1", "destination": "lan", "descr": "Block DMZ to LAN"},
}

var (
	createRule = &toolspec.Tool{Name: "pfsense_create_firewall_rule", Kind: toolspec.KindCreate, Model: "FirewallRule", Mutation: true}
	updateRule = &toolspec.Tool{Name: "pfsense_update_firewall_rule", Kind: toolspec.KindUpdate, Model: "FirewallRule", Mutation: true}
)

// oneWarning checks that got is want's single warning (by its start), or none when want is "".
func oneWarning(t *testing.T, got []string, want string) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Errorf("warnings = %q, want none", got)
		}
		return
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("warnings = %q\nwant %q...", got, want)
	}
}

// lintCase is one call of a tool and the warning it must give ("" for none).
type lintCase struct {
	name          string
	tool          *toolspec.Tool
	args, created map[string]any
	want          string
}

func block(extra map[string]any) map[string]any {
	r := map[string]any{"type": "block", "interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "bt_blocklist", "destination": "web_servers", "destination_port": "web_ports"}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

func TestShadowedRules(t *testing.T) {
	shadowMsg := `This block rule will never match on wan: rule 1 ("NAT Allow web to DMZ", pass) comes earlier and matches all its traffic (first match wins). To take effect it must come first: placement: 1 puts it just above that rule.`
	for _, tc := range []lintCase{
		{"create at the end, below the pass rule", createRule, block(nil), nil, shadowMsg},
		{"create above it", createRule, block(map[string]any{"placement": 1.0}), nil, ""},
		{"created at the end (the answer)", createRule, block(nil), block(map[string]any{"id": 3.0}), shadowMsg},
		{"created above it", createRule, block(map[string]any{"placement": 0.0}), block(map[string]any{"id": 0.0}), ""},
		{"a narrower earlier rule decides nothing", createRule, map[string]any{"type": "block", "interface": []any{"opt1"}, "ipprotocol": "inet", "source": "any", "destination": "any"}, nil, ""},
		{"a duplicate pass has no effect", createRule, map[string]any{"type": "pass", "interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports"}, nil,
			`This pass rule has no effect on wan: rule 1 ("NAT Allow web to DMZ", pass) comes earlier`},
		{"moving the LAN rule below nothing", updateRule, map[string]any{"id": 0.0, "descr": "x"}, nil, ""},
		{"disabling it", createRule, block(map[string]any{"disabled": true}), nil, ""},
		{"floating", createRule, block(map[string]any{"floating": true}), nil, ""},
	} {
		got := strings.Join(Rules{}.Lint(context.Background(), seed, tc.tool, tc.args, tc.created), " | ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
	// Moving the DMZ block up changes nothing it shadows; moving a WAN block rule below the pass rule does.
	wanBlock := append(append(rules{}, seed...), map[string]any{"id": 3.0, "type": "block", "interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports"})
	if got := (Rules{}).Lint(context.Background(), wanBlock, updateRule, map[string]any{"id": 3.0, "placement": 1.0}, nil); len(got) != 0 {
		t.Errorf("moving the block above the pass rule: %q", got)
	}
	if got := (Rules{}).Lint(context.Background(), wanBlock, updateRule, map[string]any{"id": 3.0, "descr": "still last"}, nil); len(got) != 1 {
		t.Errorf("leaving the block below the pass rule: %q", got)
	}
}

func TestListenersOnWANWithoutAPassRule(t *testing.T) {
	wg := &toolspec.Tool{Name: "pfsense_create_vpn_wireguard_tunnel", Kind: toolspec.KindCreate, Model: "WireGuardTunnel", Mutation: true}
	ovpn := &toolspec.Tool{Name: "pfsense_create_vpn_openvpn_server", Kind: toolspec.KindCreate, Model: "OpenVPNServer", Mutation: true}
	pf := &toolspec.Tool{Name: "pfsense_create_firewall_nat_port_forward", Kind: toolspec.KindCreate, Model: "PortForward", Mutation: true}
	withWG := append(append(rules{}, seed...), map[string]any{"type": "pass", "interface": []any{"wan"}, "protocol": "udp", "source": "any", "destination": "wan:ip", "destination_port": "51820"})
	for _, tc := range []struct {
		name  string
		tool  *toolspec.Tool
		rules rules
		args  map[string]any
		want  string
	}{
		{"a tunnel nothing lets in", wg, seed, map[string]any{"listenport": "51820"},
			`Nothing on WAN passes UDP port 51820 to the firewall, so peers cannot reach the tunnel (WireGuard tunnel) over WAN: add a pass rule on wan for protocol udp, destination wan:ip, destination port 51820 (pfsense_create_firewall_rule with {"type": "pass", "interface": ["wan"], "ipprotocol": "inet", "protocol": "udp", "source": "any", "destination": "wan:ip", "destination_port": "51820"}) and apply the firewall.`},
		{"a tunnel on the default port with its rule", wg, withWG, map[string]any{}, ""},
		{"a tunnel on another port", wg, withWG, map[string]any{"listenport": "51821"}, "Nothing on WAN passes UDP port 51821"},
		{"a disabled tunnel", wg, seed, map[string]any{"enabled": false}, ""},
		{"an OpenVPN server on WAN over TCP", ovpn, seed, map[string]any{"interface": "wan", "protocol": "TCP4", "local_port": "1194"}, "Nothing on WAN passes TCP port 1194"},
		{"an OpenVPN server on LAN", ovpn, seed, map[string]any{"interface": "lan", "protocol": "UDP4"}, ""},
		{"a forward without its rule", pf, seed, map[string]any{"interface": "wan", "protocol": "tcp", "target": "192.168.1.50", "local_port": "80"},
			"This port forward has no rule (associated_rule_id is empty) and no pass rule on wan lets its traffic to 192.168.1.50 port 80 through"},
		{"a forward with a new rule", pf, seed, map[string]any{"interface": "wan", "protocol": "tcp", "target": "192.168.1.50", "local_port": "80", "associated_rule_id": "new"}, ""},
		{"a forward the existing rule covers", pf, seed, map[string]any{"interface": "wan", "protocol": "tcp", "target": "web_servers", "local_port": "web_ports"}, ""},
	} {
		got := strings.Join(withoutInside(Rules{}.Lint(context.Background(), tc.rules, tc.tool, tc.args, nil)), " | ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// withoutInside drops the warnings about the tunnel side's rules (TestTunnelTrafficWithoutAPassRule).
func withoutInside(ws []string) []string {
	var out []string
	for _, w := range ws {
		if !strings.HasPrefix(w, "No pass rule on the ") {
			out = append(out, w)
		}
	}
	return out
}

// A new VPN whose tunnel side has no pass rule: its traffic meets pfSense's default deny.
func TestTunnelTrafficWithoutAPassRule(t *testing.T) {
	wg := &toolspec.Tool{Name: "pfsense_create_vpn_wireguard_tunnel", Kind: toolspec.KindCreate, Model: "WireGuardTunnel", Mutation: true}
	p2 := &toolspec.Tool{Name: "pfsense_create_vpn_ipsec_phase2", Kind: toolspec.KindCreate, Model: "IPsecPhase2", Mutation: true}
	ovpn := &toolspec.Tool{Name: "pfsense_create_vpn_openvpn_server", Kind: toolspec.KindCreate, Model: "OpenVPNServer", Mutation: true}
	pass := func(iface string) rules {
		return append(append(rules{}, seed...), map[string]any{"type": "pass", "interface": []any{iface}, "protocol": "any", "source": "any", "destination": "any"})
	}
	for _, tc := range []struct {
		name  string
		tool  *toolspec.Tool
		rules rules
		args  map[string]any
		want  string
	}{
		{"WireGuard without rules", wg, seed, map[string]any{"listenport": "51820"}, "No pass rule on the WireGuard interface (WireGuard): pfSense's default deny drops peers' traffic through the tunnel."},
		{"WireGuard with a group rule", wg, pass("WireGuard"), map[string]any{"listenport": "51820"}, ""},
		{"IPsec without rules", p2, seed, map[string]any{"mode": "tunnel"}, "No pass rule on the enc0 interface (enc0): pfSense's default deny drops traffic from the remote networks through IPsec."},
		{"IPsec with an enc0 rule", p2, pass("enc0"), map[string]any{"mode": "tunnel"}, ""},
		{"a disabled phase 2", p2, seed, map[string]any{"disabled": true}, ""},
		{"OpenVPN without rules", ovpn, seed, map[string]any{"interface": "lan"}, "No pass rule on the openvpn interface (openvpn)"},
		{"OpenVPN with a rule", ovpn, pass("openvpn"), map[string]any{"interface": "lan"}, ""},
	} {
		var inside []string
		ws := Rules{}.Lint(context.Background(), tc.rules, tc.tool, tc.args, nil)
		for _, w := range ws {
			if strings.HasPrefix(w, "No pass rule on the ") {
				inside = append(inside, w)
			}
		}
		got := strings.Join(inside, " | ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// A replace that leaves out the identities of current rules says which and what to send; one
// that sends them back, or a tool without kept fields, says nothing.
func TestReplaceThatDropsIdentities(t *testing.T) {
	current := rules{
		map[string]any{"id": 0.0, "descr": "LAN", "tracker": 1700000001.0, "associated_rule_id": nil},
		map[string]any{"id": 1.0, "descr": "NAT web", "tracker": 1700000002.0, "associated_rule_id": "nat_6750a1b2c3d4e"},
	}
	replace := &toolspec.Tool{Name: "pfsense_replace_firewall_rules", Kind: toolspec.KindReplace, Model: "FirewallRule", Mutation: true,
		Path: rulesPath, Kept: []string{"associated_rule_id", "tracker"}}
	asRead := []any{
		map[string]any{"descr": "LAN", "tracker": 1700000001.0},
		map[string]any{"descr": "NAT web", "tracker": 1700000002.0, "associated_rule_id": "nat_6750a1b2c3d4e"},
	}
	if got := (Rules{}).Lint(context.Background(), current, replace, map[string]any{"objects": asRead}, nil); len(got) != 0 {
		t.Errorf("the rules sent back as read: %q", got)
	}
	bare := []any{map[string]any{"descr": "LAN"}, map[string]any{"descr": "NAT web"}}
	got := (Rules{}).Lint(context.Background(), current, replace, map[string]any{"objects": bare}, nil)
	want := []string{
		"1 current object has a `associated_rule_id` that no object of the new list carries (nat_6750a1b2c3d4e): an object you keep without it gets a new one",
		"2 current objects have a `tracker` that no object of the new list carries (1700000001, 1700000002)",
	}
	if len(got) != len(want) {
		t.Fatalf("warnings = %q, want %d", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("warning %d = %q\nwant it to start %q", i, got[i], want[i])
		}
	}
	replace.Kept = nil
	if got := (Rules{}).Lint(context.Background(), current, replace, map[string]any{"objects": bare}, nil); len(got) != 0 {
		t.Errorf("a replace tool without kept fields: %q", got)
	}
}

// servers is a Reader holding OpenVPN servers, for the unique check.
type servers []any

func (servers) ReadRoute(context.Context, string) (any, error) { return nil, fmt.Errorf("none") }
func (s servers) Read(_ context.Context, tool string, args map[string]any) (any, error) {
	if tool != "pfsense_list_vpn_openvpn_servers" || args["limit"] != float64(toolspec.MaxListLimit) {
		return nil, fmt.Errorf("read %s %v", tool, args)
	}
	return []any(s), nil
}

// A value another object already holds in a unique field is refused by pfSense
// (FIELD_MUST_BE_UNIQUE): the preview says so, naming the object; the object itself, an
// unset field and the answer after the change are not warned about.
func TestUniqueValuesInUse(t *testing.T) {
	ovpn := servers{map[string]any{"id": 0.0, "vpnid": 1.0, "local_port": "1194", "description": "Road warriors", "tunnel_network": "10.8.0.0/24"}}
	create := &toolspec.Tool{Name: "pfsense_create_vpn_openvpn_server", Kind: toolspec.KindCreate, Model: "OpenVPNServerX", Mutation: true,
		Unique: [][]string{{"local_port"}, {"description", "tunnel_network"}}, ListTool: "pfsense_list_vpn_openvpn_servers"}
	update := *create
	update.Kind, update.Name = toolspec.KindUpdate, "pfsense_update_vpn_openvpn_server"
	for _, tc := range []struct {
		name    string
		tool    *toolspec.Tool
		args    map[string]any
		created map[string]any
		want    []string
	}{
		{"same port", create, map[string]any{"local_port": "1194"}, nil,
			[]string{`local_port 1194 is already used by the object with id 0 "Road warriors" (pfsense_list_vpn_openvpn_servers): pfSense will refuse this with FIELD_MUST_BE_UNIQUE; choose another value, or change or remove that object.`}},
		{"same port as a number", create, map[string]any{"local_port": 1194.0}, nil, []string{"local_port 1194 is already used"}},
		{"another port", create, map[string]any{"local_port": "1195"}, nil, nil},
		{"unique together, all given", create, map[string]any{"description": "Road warriors", "tunnel_network": "10.8.0.0/24"}, nil,
			[]string{"description Road warriors and tunnel_network 10.8.0.0/24 together are already used by the object with id 0"}},
		{"unique together, one differs", create, map[string]any{"description": "Road warriors", "tunnel_network": "10.9.0.0/24"}, nil, nil},
		{"the object itself", &update, map[string]any{"id": 0.0, "local_port": "1194"}, nil, nil},
		{"another object updated to it", &update, map[string]any{"id": 1.0, "local_port": "1194"}, nil, []string{"local_port 1194 is already used by the object with id 0"}},
		{"after the change", create, map[string]any{"local_port": "1194"}, map[string]any{"id": 1.0}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rules{}.Lint(context.Background(), ovpn, tc.tool, tc.args, tc.created)
			if len(got) != len(tc.want) {
				t.Fatalf("warnings = %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("warning %d = %q\nwant %q...", i, got[i], w)
				}
			}
		})
	}
}

// users is a Reader holding the local users.
type users []any

func (u users) ReadRoute(_ context.Context, path string) (any, error) {
	if path != usersPath {
		return nil, fmt.Errorf("no %s", path)
	}
	return []any(u), nil
}
func (users) Read(context.Context, string, map[string]any) (any, error) {
	return nil, fmt.Errorf("none")
}

// Key-only SSH while no enabled user has a key locks everyone out of SSH: the preview says so.
func TestKeyOnlySSHWithoutKeys(t *testing.T) {
	ssh := &toolspec.Tool{Name: "pfsense_update_services_ssh", Kind: toolspec.KindSettings, Model: "SSH", Mutation: true}
	none := users{map[string]any{"name": "admin", "authorizedkeys": ""}, map[string]any{"name": "old", "authorizedkeys": "c3NoLWVkMjU1MTkgQUFBQQ==", "disabled": true}}
	withKey := users{map[string]any{"name": "admin", "authorizedkeys": "c3NoLWVkMjU1MTkgQUFBQQ=="}}
	for _, tc := range []struct {
		name string
		r    users
		args map[string]any
		want string
	}{
		{"key only, no keys", none, map[string]any{"sshdkeyonly": "enabled"}, "No enabled local user has an SSH key (authorizedkeys), so with sshdkeyonly enabled nobody can log in over SSH"},
		{"both, no keys", none, map[string]any{"sshdkeyonly": "both"}, "with sshdkeyonly both nobody can log in"},
		{"key only, a key", withKey, map[string]any{"sshdkeyonly": "enabled"}, ""},
		{"passwords allowed", none, map[string]any{"sshdkeyonly": nil}, ""},
	} {
		got := Rules{}.Lint(context.Background(), tc.r, ssh, tc.args, nil)
		if (tc.want == "") != (len(got) == 0) || tc.want != "" && !strings.Contains(got[0], tc.want) {
			t.Errorf("%s: warnings = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// mappings is a Reader holding one DHCP server's static mappings.
type mappings []any

func (m mappings) ReadRoute(context.Context, string) (any, error) { return nil, fmt.Errorf("none") }
func (m mappings) Read(_ context.Context, tool string, args map[string]any) (any, error) {
	if tool != "pfsense_list_services_dhcp_server_static_mappings" || args["parent_id"] != "lan" {
		return nil, fmt.Errorf("no %s for %v", tool, args["parent_id"])
	}
	return []any(m), nil
}

// A second static mapping with a hostname or address in use is accepted by pfSense, but the
// name then resolves to two addresses, or two clients share one: the preview and the answer say so.
func TestStaticMappingHostnameOrAddressInUse(t *testing.T) {
	lan := mappings{map[string]any{"id": 0.0, "parent_id": "lan", "mac": "52:54:00:12:34:56", "ipaddr": "192.168.1.10", "hostname": "nas", "descr": "File server"}}
	create := &toolspec.Tool{Name: "pfsense_create_services_dhcp_server_static_mapping", Kind: toolspec.KindCreate, Model: "DHCPServerStaticMapping", Mutation: true,
		Parent: "DHCPServer", ListTool: "pfsense_list_services_dhcp_server_static_mappings"}
	update := *create
	update.Kind = toolspec.KindUpdate
	for _, tc := range []lintCase{
		{"same name, another case", create, map[string]any{"parent_id": "lan", "mac": "00:11:22:33:44:55", "ipaddr": "192.168.1.20", "hostname": "NAS"}, nil,
			`hostname nas is also the static mapping with id 0 "File server" (52:54:00:12:34:56, 192.168.1.10) on lan: where the DNS resolver registers static mappings, nas resolves to both addresses.`},
		{"after the create", create, map[string]any{"parent_id": "lan", "hostname": "nas"}, map[string]any{"id": 1.0}, "hostname nas is also the static mapping with id 0"},
		{"another name", create, map[string]any{"parent_id": "lan", "hostname": "printer"}, nil, ""},
		{"the mapping itself", &update, map[string]any{"parent_id": "lan", "id": 0.0, "hostname": "nas"}, nil, ""},
		{"no hostname", create, map[string]any{"parent_id": "lan", "mac": "00:11:22:33:44:55"}, nil, ""},
		{"same address", create, map[string]any{"parent_id": "lan", "mac": "52:54:00:aa:bb:cc", "ipaddr": "192.168.1.10", "hostname": "nas2"}, nil,
			`ipaddr 192.168.1.10 is also the static mapping with id 0 "File server" (52:54:00:12:34:56, 192.168.1.10) on lan: pfSense accepts it, and two clients would be handed one address.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rules{}.Lint(context.Background(), lan, tc.tool, tc.args, tc.created)
			oneWarning(t, got, tc.want)
		})
	}
}

// A frontend or backend made while HAProxy is disabled takes no traffic: the answer says so.
func TestHAProxyDisabled(t *testing.T) {
	frontend := &toolspec.Tool{Name: "pfsense_create_services_haproxy_frontend", Kind: toolspec.KindCreate, Model: "HAProxyFrontend", Mutation: true}
	backend := &toolspec.Tool{Name: "pfsense_update_services_haproxy_backend", Kind: toolspec.KindUpdate, Model: "HAProxyBackend", Mutation: true}
	args := map[string]any{"name": "web_8080"}
	for _, tool := range []*toolspec.Tool{frontend, backend} {
		got := Rules{}.Lint(context.Background(), stub{routes: map[string]any{haproxySettingsPath: map[string]any{"enable": false}}}, tool, args, nil)
		if len(got) != 1 || !strings.HasPrefix(got[0], "HAProxy is disabled (its settings have enable: false)") {
			t.Errorf("%s while disabled: %q", tool.Name, got)
		}
		if got := (Rules{}).Lint(context.Background(), stub{routes: map[string]any{haproxySettingsPath: map[string]any{"enable": true}}}, tool, args, nil); len(got) != 0 {
			t.Errorf("%s while enabled: %q", tool.Name, got)
		}
	}
}

// A rule on an interface the firewall lacks is refused only once confirmed: the preview warns
// first, naming what exists.
func TestRuleOnAnUnknownInterface(t *testing.T) {
	network := stub{routes: map[string]any{
		interfacesPath: []any{map[string]any{"id": "wan"}, map[string]any{"id": "lan"}, map[string]any{"id": "opt1"}},
		groupsPath:     []any{map[string]any{"id": 0.0, "ifname": "WireGuard"}},
	}}
	got := Rules{}.Lint(context.Background(), network, createRule, block(map[string]any{"interface": []any{"wireguard"}}), nil)
	want := "interface wireguard is not an interface of this firewall: pfSense will refuse it (FIELD_INVALID_CHOICE). Use an interface id or group (wan, lan, opt1, WireGuard), enc0 for IPsec or openvpn for OpenVPN."
	if len(got) != 1 || got[0] != want {
		t.Errorf("warnings = %q\nwant %q", got, want)
	}
	for _, ifs := range [][]any{{"WireGuard"}, {"enc0"}, {"openvpn", "lan"}} {
		r := block(map[string]any{"interface": ifs, "source": "203.0.113.0/24", "destination": "any", "destination_port": nil, "placement": 0.0})
		if got := (Rules{}).Lint(context.Background(), network, createRule, r, nil); len(got) != 0 {
			t.Errorf("interface %v: %q", ifs, got)
		}
	}
}

// A WAN block whose source covers an IPsec peer cuts the tunnel's inbound traffic: the preview
// says so; other sources, interfaces and pass rules say nothing.
func TestBlockCoveringAnIPsecPeer(t *testing.T) {
	vpnPeers := stub{routes: map[string]any{phase1sPath: []any{map[string]any{"id": 0.0, "descr": "Branch office", "interface": "wan", "remote_gateway": "198.51.100.20", "disabled": false}}}}
	r := block(map[string]any{"source": "198.51.100.0/24", "destination": "any", "destination_port": nil, "protocol": nil, "placement": 0.0})
	got := Rules{}.Lint(context.Background(), vpnPeers, createRule, r, nil)
	want := `source 198.51.100.0/24 covers 198.51.100.20, the peer of the IPsec tunnel "Branch office" (phase 1 id 0): this rule is evaluated before the rules pfSense adds for IPsec`
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("warnings = %q\nwant %q...", got, want)
	}
	for name, extra := range map[string]map[string]any{
		"another network":   {"source": "203.0.113.0/24"},
		"another interface": {"interface": []any{"lan"}},
		"a pass rule":       {"type": "pass"},
		"an alias":          {"source": "bt_blocklist"},
	} {
		r := block(map[string]any{"source": "198.51.100.20", "destination": "any", "destination_port": nil, "protocol": nil, "placement": 0.0})
		for k, v := range extra {
			r[k] = v
		}
		if got := (Rules{}).Lint(context.Background(), vpnPeers, createRule, r, nil); len(got) != 0 {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// Deleting an alias that rules or other aliases name is accepted by pfSense and breaks them:
// the preview and the answer say which.
func TestDeletingAnAliasInUse(t *testing.T) {
	names := []string{"web_servers", "all_servers"}
	aliasNet := stub{
		routes: map[string]any{
			"/api/v2/firewall/nat/port_forwards": []any{map[string]any{"id": 0.0, "descr": "HTTPS to web1", "target": "10.0.4.10", "destination": "wan:ip", "local_port": "443"}},
			"/api/v2/firewall/aliases": []any{map[string]any{"id": 0.0, "name": "web_servers", "address": []any{"10.0.4.10"}},
				map[string]any{"id": 1.0, "name": "all_servers", "address": []any{"web_servers", "10.0.4.20"}}},
		},
		reads: map[string]func(map[string]any) any{
			"pfsense_get_firewall_alias": func(args map[string]any) any {
				return map[string]any{"id": args["id"], "name": names[int(args["id"].(float64))]}
			},
		},
	}
	del := &toolspec.Tool{Name: "pfsense_delete_firewall_alias", Kind: toolspec.KindDelete, Model: "FirewallAlias", Mutation: true, ReadTool: "pfsense_get_firewall_alias"}
	got := Rules{}.Lint(context.Background(), aliasNet, del, map[string]any{"id": 0.0}, nil)
	want := `alias web_servers is named by firewall rule id 1 "NAT Allow web to DMZ" (destination), alias id 1 "all_servers" (address). pfSense deletes it anyway`
	if len(got) != 1 || !strings.HasPrefix(got[0], want) {
		t.Errorf("preview warnings = %q\nwant %q...", got, want)
	}
	got = Rules{}.Lint(context.Background(), aliasNet, del, map[string]any{"id": 0.0}, map[string]any{"id": 0.0, "name": "web_servers"})
	if len(got) != 1 || !strings.HasPrefix(got[0], "alias web_servers was named by firewall rule id 1") {
		t.Errorf("answer warnings = %q", got)
	}
	if got := (Rules{}).Lint(context.Background(), aliasNet, del, map[string]any{"id": 1.0}, nil); len(got) != 0 {
		t.Errorf("an alias nothing names: %q", got)
	}
}

// stub is a Reader holding the seed rules plus the lists (routes, by path) and tool answers
// (reads, by tool name) a test gives.
type stub struct {
	routes map[string]any
	reads  map[string]func(args map[string]any) any
}

func (s stub) ReadRoute(ctx context.Context, path string) (any, error) {
	if v, ok := s.routes[path]; ok {
		return v, nil
	}
	return seed.ReadRoute(ctx, path)
}

func (s stub) Read(ctx context.Context, tool string, args map[string]any) (any, error) {
	if f, ok := s.reads[tool]; ok {
		return f(args), nil
	}
	return seed.Read(ctx, tool, args)
}

// A second static route to a network pfSense's REST API accepts (the GUI does not): warned.
func TestStaticRouteToARoutedNetwork(t *testing.T) {
	list := "pfsense_list_routing_static_routes"
	create := &toolspec.Tool{Name: "pfsense_create_routing_static_route", Kind: toolspec.KindCreate, Model: "StaticRoute", Mutation: true, ListTool: list}
	update := *create
	update.Name, update.Kind = "pfsense_update_routing_static_route", toolspec.KindUpdate
	r := stub{reads: map[string]func(map[string]any) any{list: func(map[string]any) any {
		return []any{map[string]any{"id": 0.0, "network": "172.16.50.0/24", "gateway": "DMZ_GW", "descr": "Lab"}}
	}}}
	for _, tc := range []lintCase{
		{"same network", create, map[string]any{"network": "172.16.50.0/24", "gateway": "LAN_GW"}, nil,
			`network 172.16.50.0/24 already has the static route with id 0 "Lab" (via DMZ_GW): pfSense's REST API accepts a second route to it (the GUI refuses one), but only one of them takes effect. Change that route's gateway with pfsense_update_routing_static_route instead`},
		{"after the create", create, map[string]any{"network": "172.16.50.0/24", "gateway": "LAN_GW"}, map[string]any{"id": 1.0}, "network 172.16.50.0/24 already has the static route with id 0"},
		{"another network", create, map[string]any{"network": "172.16.51.0/24", "gateway": "LAN_GW"}, nil, ""},
		{"the route itself", &update, map[string]any{"id": 0.0, "network": "172.16.50.0/24"}, nil, ""},
		{"no network given", &update, map[string]any{"id": 1.0, "gateway": "LAN_GW"}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Rules{}.Lint(context.Background(), r, tc.tool, tc.args, tc.created)
			oneWarning(t, got, tc.want)
		})
	}
}

// An OpenVPN tunnel network another server or client has: warned (the GUI refuses it).
func TestOpenVPNTunnelNetworkInUse(t *testing.T) {
	servers, clients := "pfsense_list_vpn_openvpn_servers", "pfsense_list_vpn_openvpn_clients"
	create := &toolspec.Tool{Name: "pfsense_create_vpn_openvpn_server", Kind: toolspec.KindCreate, Model: "OpenVPNServer", Mutation: true, ListTool: servers}
	update := *create
	update.Name, update.Kind = "pfsense_update_vpn_openvpn_server", toolspec.KindUpdate
	r := stub{reads: map[string]func(map[string]any) any{
		servers: func(map[string]any) any {
			return []any{map[string]any{"id": 0.0, "tunnel_network": "10.8.0.0/24", "description": "Road warriors", "interface": "lan"}}
		},
		clients: func(map[string]any) any {
			return []any{map[string]any{"id": 0.0, "tunnel_networkv6": "fd00:8::/64", "description": "Site B", "interface": "lan"}}
		},
	}}
	for _, tc := range []lintCase{
		{"a server's network", create, map[string]any{"tunnel_network": "10.8.0.5/24", "interface": "lan"}, nil,
			`tunnel_network 10.8.0.0/24 is already the tunnel network of OpenVPN server id 0 "Road warriors": pfSense's REST API accepts it (the GUI refuses it as already in use)`},
		{"a client's IPv6 network", create, map[string]any{"tunnel_networkv6": "fd00:8::/64", "interface": "lan"}, nil,
			`tunnel_networkv6 fd00:8::/64 is already the tunnel network of OpenVPN client id 0 "Site B"`},
		{"another network", create, map[string]any{"tunnel_network": "10.9.0.0/24", "interface": "lan"}, nil, ""},
		{"the server itself", &update, map[string]any{"id": 0.0, "tunnel_network": "10.8.0.0/24"}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withoutInside(Rules{}.Lint(context.Background(), r, tc.tool, tc.args, tc.created))
			oneWarning(t, got, tc.want)
		})
	}
}

// described is a firewall whose REST API shows interfaces by description
// (represent_interfaces_as = descr): its rules say WAN and DMZ where the checks compare ids.
type described struct{ rules }

func (d described) ReadRoute(ctx context.Context, path string) (any, error) {
	if path == "/api/v2/status/interfaces" {
		return []any{
			map[string]any{"name": "wan", "descr": "WAN", "hwif": "em0"},
			map[string]any{"name": "lan", "descr": "LAN", "hwif": "em1"},
			map[string]any{"name": "opt1", "descr": "DMZ", "hwif": "em2"},
		}, nil
	}
	return d.rules.ReadRoute(ctx, path)
}

func (d described) Read(ctx context.Context, tool string, args map[string]any) (any, error) {
	if tool != "pfsense_list_firewall_rules" {
		return nil, fmt.Errorf("no %s", tool)
	}
	return d.ReadRoute(ctx, rulesPath)
}

// The checks give the same warnings whichever way the REST API names interfaces.
func TestChecksReadInterfacesByDescriptionOrDevice(t *testing.T) {
	fw := described{rules{
		map[string]any{"id": 0.0, "type": "pass", "interface": []any{"LAN"}, "ipprotocol": "inet", "protocol": nil, "source": "lan", "destination": "any", "descr": "Default allow LAN to any rule"},
		map[string]any{"id": 1.0, "type": "pass", "interface": []any{"WAN"}, "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports", "descr": "NAT Allow web to DMZ"},
		map[string]any{"id": 2.0, "type": "pass", "interface": []any{"WAN"}, "ipprotocol": "inet", "protocol": "udp", "source": "any", "destination": "wan:ip", "destination_port": "51820"},
	}}
	wg := &toolspec.Tool{Name: "pfsense_create_vpn_wireguard_tunnel", Kind: toolspec.KindCreate, Model: "WireGuardTunnel", Mutation: true}
	shadow := `This block rule will never match on wan: rule 1 ("NAT Allow web to DMZ", pass) comes earlier`
	for _, tc := range []lintCase{
		{"a block below the pass rule, by description", createRule, block(map[string]any{"interface": []any{"WAN"}}), nil, shadow},
		{"a block below the pass rule, by device", createRule, block(map[string]any{"interface": []any{"em0"}}), nil, shadow},
		{"a block on the DMZ decides nothing", createRule, block(map[string]any{"interface": []any{"DMZ"}}), nil, ""},
		{"a tunnel the described WAN rule lets in (only the inside is blocked)", wg, map[string]any{"listenport": "51820"}, nil, "No pass rule on the WireGuard interface"},
		{"a tunnel on another port", wg, map[string]any{"listenport": "51821"}, nil, "Nothing on WAN passes UDP port 51821"},
	} {
		got := strings.Join(Rules{}.Lint(context.Background(), fw, tc.tool, tc.args, tc.created), " | ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// network is a firewall's interfaces and one gateway, for the gateway checks.
type network struct{}

func (network) ReadRoute(_ context.Context, path string) (any, error) {
	if path == "/api/v2/status/interfaces" {
		return []any{
			map[string]any{"name": "wan", "descr": "WAN", "hwif": "em0", "ipaddr": "10.0.2.15", "subnet": "24", "ipaddrv6": "2001:db8:1::2", "subnetv6": "64"},
			map[string]any{"name": "lan", "descr": "LAN", "hwif": "em1", "ipaddr": "192.168.1.1", "subnet": "24"},
		}, nil
	}
	return nil, fmt.Errorf("no %s", path)
}

func (n network) Read(ctx context.Context, tool string, args map[string]any) (any, error) {
	if tool == "pfsense_get_routing_gateway" {
		return map[string]any{"id": 0.0, "name": "WAN_GW", "interface": "wan", "gateway": "10.0.2.2"}, nil
	}
	return nil, fmt.Errorf("no %s", tool)
}

// A gateway outside its interface's subnet is stored by the REST API (Models/RoutingGateway.inc
// validate_gateway() checks only the family) and refused by the GUI: the preview says so.
func TestGatewayOutsideTheInterfaceSubnet(t *testing.T) {
	create := &toolspec.Tool{Name: "pfsense_create_routing_gateway", Kind: toolspec.KindCreate, Model: "RoutingGateway", Mutation: true}
	update := &toolspec.Tool{Name: "pfsense_update_routing_gateway", Kind: toolspec.KindUpdate, Model: "RoutingGateway", Mutation: true, ReadTool: "pfsense_get_routing_gateway"}
	off := "The gateway 198.51.100.1 is not in wan's subnet (10.0.2.0/24)"
	for _, tc := range []lintCase{
		{"a second WAN gateway off the link", create, map[string]any{"name": "WAN2_GW", "interface": "wan", "ipprotocol": "inet", "gateway": "198.51.100.1"}, nil, off},
		{"named by description", create, map[string]any{"name": "WAN2_GW", "interface": "WAN", "ipprotocol": "inet", "gateway": "198.51.100.1"}, nil, off},
		{"on the link", create, map[string]any{"name": "WAN2_GW", "interface": "wan", "ipprotocol": "inet", "gateway": "10.0.2.254"}, nil, ""},
		{"a LAN gateway on the link", create, map[string]any{"name": "LAN_GW", "interface": "lan", "ipprotocol": "inet", "gateway": "192.168.1.254"}, nil, ""},
		{"IPv6 off the link", create, map[string]any{"name": "WAN6", "interface": "wan", "ipprotocol": "inet6", "gateway": "2001:db8:2::1"}, nil, "The gateway 2001:db8:2::1 is not in wan's subnet (2001:db8:1::/64)"},
		{"IPv6 link-local", create, map[string]any{"name": "WAN6", "interface": "wan", "ipprotocol": "inet6", "gateway": "fe80::1"}, nil, ""},
		{"dynamic", create, map[string]any{"name": "WAN_DHCP2", "interface": "wan", "ipprotocol": "inet", "gateway": "dynamic"}, nil, ""},
		{"an update of the address alone", update, map[string]any{"id": 0.0, "gateway": "198.51.100.1"}, nil, off},
		{"an update that moves it to LAN", update, map[string]any{"id": 0.0, "interface": "lan"}, nil, "The gateway 10.0.2.2 is not in lan's subnet (192.168.1.0/24)"},
		{"an update of its description", update, map[string]any{"id": 0.0, "descr": "ISP"}, nil, ""},
	} {
		got := strings.Join(Rules{}.Lint(context.Background(), network{}, tc.tool, tc.args, tc.created), " | ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// assigned is a firewall whose WAN has no description of its own (the factory config's), so
// the REST API shows it as WAN.
type assigned struct{}

func (assigned) ReadRoute(_ context.Context, path string) (any, error) {
	if path == interfacesPath {
		return []any{map[string]any{"id": "wan", "descr": "WAN", "if": "em0"}, map[string]any{"id": "lan", "descr": "Office", "if": "em1"}}, nil
	}
	return nil, fmt.Errorf("no %s", path)
}

func (a assigned) Read(_ context.Context, tool string, args map[string]any) (any, error) {
	if tool == "pfsense_get_network_interface" {
		v, _ := a.ReadRoute(context.Background(), interfacesPath)
		for _, i := range v.([]any) {
			if i.(map[string]any)["id"] == args["id"] {
				return i, nil
			}
		}
	}
	return nil, fmt.Errorf("no %s", tool)
}

// Every field of an interface is validated on update, the stored description too, and the ids
// in capitals are reserved (Validators/FilterNameValidator.inc, get_pf_reserved()): the preview
// says pfSense will refuse the update of a WAN described as WAN, unless the call renames it.
func TestInterfaceUpdateWithAReservedDescription(t *testing.T) {
	update := &toolspec.Tool{Name: "pfsense_update_network_interface", Kind: toolspec.KindUpdate, Model: "NetworkInterface", Mutation: true, ReadTool: "pfsense_get_network_interface"}
	for _, tc := range []lintCase{
		{"blocking bogons on the factory WAN", update, map[string]any{"id": "wan", "blockbogons": true}, nil, `pfSense will refuse this update: it checks every field of the interface, its current description "WAN" too`},
		{"renaming it in the same call", update, map[string]any{"id": "wan", "blockbogons": true, "descr": "WAN_uplink"}, nil, ""},
		{"renaming it to another reserved name", update, map[string]any{"id": "wan", "descr": "LAN"}, nil, `pfSense will refuse this: "LAN" is a name it reserves`},
		{"a LAN with a description of its own", update, map[string]any{"id": "lan", "blockbogons": true}, nil, ""},
		{"the answer of a made change", update, map[string]any{"id": "lan", "descr": "Office"}, map[string]any{"id": "lan", "descr": "Office"}, ""},
	} {
		got := strings.Join(Rules{}.Lint(context.Background(), assigned{}, tc.tool, tc.args, tc.created), " | ")
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
