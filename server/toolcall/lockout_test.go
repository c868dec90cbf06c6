package toolcall

import (
	"net"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// guardTools are writes the lockout guard looks at, with open schemas.
func guardTools() []toolspec.Tool {
	open := `{"type": "object", "properties": {"confirm": {"type": ["string", "boolean"]}}}`
	body := func(names ...string) []toolspec.Param {
		var ps []toolspec.Param
		for _, n := range names {
			ps = append(ps, toolspec.Param{Name: n, In: toolspec.InBody})
		}
		return ps
	}
	return []toolspec.Tool{
		{Name: "pfsense_get_system_restapi_settings", Kind: toolspec.KindSettings, Model: "RESTAPISettings", Method: "GET", Path: "/api/v2/system/restapi/settings", InputSchema: open},
		{Name: "pfsense_update_system_restapi_settings", Kind: toolspec.KindSettings, Model: "RESTAPISettings", Mutation: true, ReadTool: "pfsense_get_system_restapi_settings",
			Method: "PATCH", Path: "/api/v2/system/restapi/settings", Params: body("enabled", "read_only", "auth_methods", "allowed_interfaces", "hateoas"), InputSchema: open},
		{Name: "pfsense_get_system_webgui_settings", Kind: toolspec.KindSettings, Model: "WebGUISettings", Method: "GET", Path: "/api/v2/system/webgui/settings", InputSchema: open},
		{Name: "pfsense_update_system_webgui_settings", Kind: toolspec.KindSettings, Model: "WebGUISettings", Mutation: true, ReadTool: "pfsense_get_system_webgui_settings",
			Method: "PATCH", Path: "/api/v2/system/webgui/settings", Params: body("port", "protocol", "sslcertref"), InputSchema: open},
		{Name: "pfsense_delete_auth_key", Kind: toolspec.KindDelete, Model: "RESTAPIKey", Mutation: true,
			Method: "DELETE", Path: "/api/v2/auth/key", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}}, InputSchema: open},
		{Name: "pfsense_create_firewall_rule", Kind: toolspec.KindCreate, Model: "FirewallRule", Mutation: true,
			Method: "POST", Path: "/api/v2/firewall/rule", Params: body("type", "interface", "source", "destination", "destination_port", "protocol", "floating", "disabled"), InputSchema: open},
		{Name: "pfsense_create_firewall_nat_port_forward", Kind: toolspec.KindCreate, Model: "PortForward", Mutation: true,
			Method: "POST", Path: "/api/v2/firewall/nat/port_forward", Params: body("interface", "source", "destination", "destination_port", "protocol", "target", "local_port"), InputSchema: open},
		{Name: "pfsense_get_network_interface", Kind: toolspec.KindGet, Model: "NetworkInterface", Method: "GET", Path: "/api/v2/interface", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}}, InputSchema: open},
		{Name: "pfsense_update_network_interface", Kind: toolspec.KindUpdate, Model: "NetworkInterface", Mutation: true, ReadTool: "pfsense_get_network_interface",
			Method: "PATCH", Path: "/api/v2/interface", Params: body("id", "enable", "ipaddr", "descr"), InputSchema: open},
		{Name: "pfsense_get_firewall_alias", Kind: toolspec.KindGet, Model: "FirewallAlias", Method: "GET", Path: "/api/v2/firewall/alias", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}}, InputSchema: open},
		{Name: "pfsense_update_firewall_alias", Kind: toolspec.KindUpdate, Model: "FirewallAlias", Mutation: true, ReadTool: "pfsense_get_firewall_alias",
			Method: "PATCH", Path: "/api/v2/firewall/alias", Params: body("id", "address", "descr"), InputSchema: open},
		{Name: "pfsense_get_firewall_virtual_ip", Kind: toolspec.KindGet, Model: "VirtualIP", Method: "GET", Path: "/api/v2/firewall/virtual_ip", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}}, InputSchema: open},
		{Name: "pfsense_delete_firewall_virtual_ip", Kind: toolspec.KindDelete, Model: "VirtualIP", Mutation: true, ReadTool: "pfsense_get_firewall_virtual_ip",
			Method: "DELETE", Path: "/api/v2/firewall/virtual_ip", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}}, InputSchema: open},
		{Name: "pfsense_update_firewall_virtual_ip", Kind: toolspec.KindUpdate, Model: "VirtualIP", Mutation: true, ReadTool: "pfsense_get_firewall_virtual_ip",
			Method: "PATCH", Path: "/api/v2/firewall/virtual_ip", Params: body("id", "subnet", "interface", "mode", "descr"), InputSchema: open},
		{Name: "pfsense_create_system_restapi_access_list_entry", Kind: toolspec.KindCreate, Model: "RESTAPIAccessListEntry", Mutation: true,
			Method: "POST", Path: "/api/v2/system/restapi/access_list/entry", Params: body("type", "network", "weight", "users"), InputSchema: open},
	}
}

func guardFirewall() *fakeFirewall {
	return &fakeFirewall{answers: map[string]any{
		"GET /api/v2/system/restapi/settings": map[string]any{"enabled": true, "auth_methods": []any{"BasicAuth", "KeyAuth"}, "allowed_interfaces": []any{}},
		"GET /api/v2/system/webgui/settings":  map[string]any{"port": "8080", "protocol": "https"}, // a port in front of the server's (a NAT)
		"GET /api/v2/status/interfaces": []any{
			map[string]any{"name": "wan", "descr": "WAN", "hwif": "em0", "ipaddr": "203.0.113.2", "subnet": "24"},
			map[string]any{"name": "lan", "descr": "Office", "hwif": "em1", "ipaddr": "192.168.1.1", "subnet": "24"},
		},
		// A block of the abusers on LAN, and the alias as it is now.
		"GET /api/v2/firewall/rules": []any{map[string]any{"id": 0, "type": "block", "interface": []any{"lan"}, "source": "abusers", "destination": "any", "protocol": nil, "descr": "abusers"}},
		"GET /api/v2/firewall/alias": map[string]any{"id": 0, "name": "abusers", "type": "host", "address": []any{"203.0.113.99"}},
		"GET /api/v2/interface":      map[string]any{"id": "lan", "enable": true, "ipaddr": "192.168.1.1", "subnet": 24},
		"GET /api/v2/auth/keys": []any{
			map[string]any{"id": 0, "username": "admin", "length_bytes": 24, "hash_algo": "sha256"},
			map[string]any{"id": 1, "username": "admin", "length_bytes": 32, "hash_algo": "sha256"},
		},
		"GET /api/v2/system/restapi/access_list": []any{map[string]any{"id": 0, "type": "allow", "network": "0.0.0.0/0", "weight": 1}},
		"GET /api/v2/firewall/aliases": []any{
			map[string]any{"name": "abusers", "type": "host", "address": []any{"203.0.113.99"}},
			map[string]any{"name": "office", "type": "network", "address": []any{"10.1.0.0/16", "abusers", "192.168.1.0/24"}},
		},
	}}
}

// The guard refuses what would cut the server's own path to the firewall, and lets the rest by.
func TestLockoutGuard(t *testing.T) {
	key := strings.Repeat("ab", 24) // a 24-byte key, hex
	guard := NewGuard(Self{Host: "192.168.1.1", Port: 443, Scheme: "https", AuthMode: "key", APIKey: key,
		Addrs: func() (net.IP, *net.TCPAddr) {
			return net.ParseIP("192.168.1.100"), &net.TCPAddr{IP: net.ParseIP("192.168.1.1"), Port: 443}
		}})
	for _, tc := range []struct {
		tool, args string
		want       string // "" = allowed
	}{
		{"pfsense_update_system_restapi_settings", `{"enabled": false}`, "it turns the REST API off"},
		{"pfsense_update_system_restapi_settings", `{"auth_methods": ["BasicAuth"]}`, "its auth_methods leave out KeyAuth, which this server authenticates with"},
		{"pfsense_update_system_restapi_settings", `{"auth_methods": ["KeyAuth", "JWTAuth"]}`, ""},
		{"pfsense_update_system_restapi_settings", `{"allowed_interfaces": ["wan"]}`, "its allowed_interfaces (wan) leave out the interface of 192.168.1.1"},
		{"pfsense_update_system_restapi_settings", `{"allowed_interfaces": ["wan", "lan"]}`, ""},
		{"pfsense_update_system_restapi_settings", `{"read_only": true}`, "it makes the REST API read-only"},
		{"pfsense_update_system_webgui_settings", `{"port": "8443"}`, "it moves the web GUI, which serves the REST API, to port 8443 while this server uses 443"},
		{"pfsense_update_system_webgui_settings", `{"protocol": "http"}`, "it switches the web GUI, which serves the REST API, to http"},
		{"pfsense_update_system_webgui_settings", `{"port": "443"}`, ""},
		{"pfsense_update_system_webgui_settings", `{"sslcertref": "abc"}`, ""},
		{"pfsense_update_system_restapi_settings", `{"hateoas": true}`, ""},
		{"pfsense_delete_auth_key", `{"id": 0}`, "it deletes an API key of 24 bytes like this server's (pfSense hides key hashes, so it may be this server's own)"},
		{"pfsense_delete_auth_key", `{"id": 1}`, ""},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["lan"], "source": "any", "destination": "lan:ip", "destination_port": "443", "protocol": "tcp"}`,
			"the firewall rule (block from any to lan:ip port 443) blocks this server's own connections"},
		{"pfsense_create_firewall_rule", `{"type": "block", "floating": true, "interface": ["wan"], "source": "192.168.1.0/24", "destination": "(self)", "destination_port": "400:500", "protocol": "tcp"}`,
			"blocks this server's own connections"},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["wan"], "source": "any", "destination": "(self)", "destination_port": "443", "protocol": "tcp"}`, ""},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["lan"], "source": "any", "destination": "wan:ip", "destination_port": "443", "protocol": "tcp"}`, ""},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["lan"], "source": "10.0.0.0/8", "destination": "any", "protocol": "tcp"}`, ""},
		{"pfsense_create_firewall_rule", `{"type": "pass", "interface": ["lan"], "source": "any", "destination": "any"}`, ""},
		// Aliases are resolved: a block of the abusers does not block this server; of the office, it does.
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["lan"], "source": "abusers", "destination": "any", "protocol": null}`, ""},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["lan"], "source": "office", "destination": "any", "protocol": null}`, "blocks this server's own connections"},
		{"pfsense_create_firewall_nat_port_forward", `{"interface": "lan", "source": "any", "destination": "lan:ip", "destination_port": "443", "protocol": "tcp", "target": "192.168.1.50", "local_port": "443"}`,
			"the port forward (to lan:ip port 443) redirects this server's own connections to 192.168.1.50"},
		{"pfsense_create_firewall_nat_port_forward", `{"interface": "wan", "source": "any", "destination": "wan:ip", "destination_port": "443", "protocol": "tcp", "target": "192.168.1.50", "local_port": "443"}`, ""},
		// Interfaces named by description or device (the REST API's represent_interfaces_as).
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["Office"], "source": "any", "destination": "lan:ip", "destination_port": "443", "protocol": "tcp"}`, "blocks this server's own connections"},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["em1"], "source": "any", "destination": "Office:ip", "destination_port": "443", "protocol": "tcp"}`, "blocks this server's own connections"},
		{"pfsense_create_firewall_rule", `{"type": "block", "interface": ["em0"], "source": "any", "destination": "lan:ip", "destination_port": "443", "protocol": "tcp"}`, ""},
		// An alias an existing block rule names, given this server's address.
		{"pfsense_update_firewall_alias", `{"id": 0, "address": ["203.0.113.99", "192.168.1.100"]}`,
			"the alias abusers would hold 203.0.113.99, 192.168.1.100, so the firewall rule (block from abusers to any port any) blocks this server's own connections"},
		{"pfsense_update_firewall_alias", `{"id": 0, "address": ["203.0.113.99", "198.51.100.7"]}`, ""},
		{"pfsense_update_firewall_alias", `{"id": 0, "descr": "known abusers"}`, ""},
		{"pfsense_update_network_interface", `{"id": "lan", "enable": false}`, "it disables the interface lan, which this server's connection goes through"},
		{"pfsense_update_network_interface", `{"id": "lan", "ipaddr": "192.168.2.1"}`, "it changes ipaddr of the interface lan"},
		{"pfsense_update_network_interface", `{"id": "lan", "descr": "Office"}`, ""},
		{"pfsense_create_system_restapi_access_list_entry", `{"type": "deny", "network": "192.168.1.0/24", "weight": 0}`, "afterwards no REST API access list entry allows 192.168.1.100"},
		{"pfsense_create_system_restapi_access_list_entry", `{"type": "deny", "network": "10.0.0.0/8", "weight": 0}`, ""},
	} {
		fw := guardFirewall()
		inv, err := inventory.New(guardTools(), inventory.Options{AllowWrites: true, AllowDangerous: true})
		if err != nil {
			t.Fatal(err)
		}
		d := New(Options{Inventory: inv, Firewall: fw, Guard: guard})
		r, _ := call(t, d, tc.tool, tc.args)
		switch {
		case tc.want == "" && r.IsError:
			t.Errorf("%s %s: refused: %s", tc.tool, tc.args, r.Text)
		case tc.want != "" && (!r.IsError || !strings.Contains(r.Text, tc.want)):
			t.Errorf("%s %s: %s\nwant it to contain %q", tc.tool, tc.args, r.Text, tc.want)
		case tc.want != "" && (!strings.HasPrefix(r.Text, "Refused by the lockout guard (nothing was sent): ") ||
			!strings.Contains(r.Text, "it reaches 192.168.1.1:443 from 192.168.1.100 with an API key") || !strings.HasSuffix(r.Text, lockoutAdvice)):
			t.Errorf("%s: the refusal does not say who is protected and how to override: %s", tc.tool, r.Text)
		}
		if fw.mutatingCalls() != 0 {
			t.Errorf("%s: a preview sent a mutation", tc.tool)
		}
	}
}

// Settings that already shut this server out, as the guard reads them, while it talks, are not
// ones it can judge: a change of them is not refused.
func TestLockoutGuardJudgesChangesOnly(t *testing.T) {
	guard := NewGuard(Self{Host: "192.168.1.1", Port: 443, Scheme: "https", AuthMode: "key", APIKey: strings.Repeat("ab", 24),
		Addrs: func() (net.IP, *net.TCPAddr) {
			return net.ParseIP("192.168.1.100"), &net.TCPAddr{IP: net.ParseIP("192.168.1.1"), Port: 443}
		}})
	fw := guardFirewall()
	fw.answers["GET /api/v2/system/restapi/settings"] = map[string]any{"enabled": true, "auth_methods": []any{"KeyAuth"}, "allowed_interfaces": []any{"opt9"}}
	inv, _ := inventory.New(guardTools(), inventory.Options{AllowWrites: true, AllowDangerous: true})
	d := New(Options{Inventory: inv, Firewall: fw, Guard: guard})
	if r, _ := call(t, d, "pfsense_update_system_restapi_settings", `{"allowed_interfaces": ["wan"]}`); r.IsError {
		t.Errorf("a change of allowed interfaces the guard cannot read: %s", r.Text)
	}
}

// A server on the firewall itself (loopback) is reached by no rule, and an access list that
// already denies it while it talks is not one the guard can judge.
func TestLockoutGuardOnLoopbackAndUnenforcedLists(t *testing.T) {
	guard := NewGuard(Self{Host: "127.0.0.1", Port: 8443, Scheme: "https", AuthMode: "key", APIKey: strings.Repeat("cd", 24),
		Addrs: func() (net.IP, *net.TCPAddr) {
			return net.ParseIP("127.0.0.1"), &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8443}
		}})
	for _, tc := range []struct {
		tool, args string
		list       []any
		want       string
	}{
		{"pfsense_create_firewall_rule", `{"type": "block", "floating": true, "source": "any", "destination": "any"}`, nil, ""},
		{"pfsense_create_system_restapi_access_list_entry", `{"type": "deny", "network": "0.0.0.0/0", "weight": 0}`, []any{}, ""},
		{"pfsense_create_system_restapi_access_list_entry", `{"type": "deny", "network": "0.0.0.0/0", "weight": 0}`,
			[]any{map[string]any{"id": 0, "type": "allow", "network": "0.0.0.0/0", "weight": 10}}, "afterwards no REST API access list entry allows 127.0.0.1"},
	} {
		fw := guardFirewall()
		if tc.list != nil {
			fw.answers["GET /api/v2/system/restapi/access_list"] = tc.list
		}
		inv, _ := inventory.New(guardTools(), inventory.Options{AllowWrites: true, AllowDangerous: true})
		r, _ := call(t, New(Options{Inventory: inv, Firewall: fw, Guard: guard}), tc.tool, tc.args)
		if tc.want == "" && r.IsError || tc.want != "" && !strings.Contains(r.Text, tc.want) {
			t.Errorf("%s %s (list %v): %s", tc.tool, tc.args, tc.list, r.Text)
		}
	}
}

// A server that talks to a virtual IP (a CARP address shared by two firewalls) keeps it: the
// virtual IP is neither removed nor moved, while other virtual IPs and its description may change.
func TestLockoutGuardKeepsTheVirtualIPTheServerTalksTo(t *testing.T) {
	guard := NewGuard(Self{Host: "192.168.1.2", Port: 443, Scheme: "https", AuthMode: "key", APIKey: strings.Repeat("ef", 24),
		Addrs: func() (net.IP, *net.TCPAddr) {
			return net.ParseIP("192.168.1.100"), &net.TCPAddr{IP: net.ParseIP("192.168.1.2"), Port: 443}
		}})
	carp := map[string]any{"id": 0, "mode": "carp", "interface": "lan", "subnet": "192.168.1.2", "subnet_bits": 24, "vhid": 1, "descr": "LAN CARP"}
	other := map[string]any{"id": 1, "mode": "ipalias", "interface": "wan", "subnet": "203.0.113.5", "subnet_bits": 32, "descr": "web"}
	for _, tc := range []struct {
		tool, args string
		current    map[string]any
		want       string
	}{
		{"pfsense_delete_firewall_virtual_ip", `{"id": 0}`, carp, "it removes the virtual IP 192.168.1.2, the address this server talks to"},
		{"pfsense_update_firewall_virtual_ip", `{"id": 0, "subnet": "192.168.1.3"}`, carp, "it changes subnet of the virtual IP 192.168.1.2"},
		{"pfsense_update_firewall_virtual_ip", `{"id": 0, "interface": "wan"}`, carp, "it changes interface of the virtual IP 192.168.1.2"},
		{"pfsense_update_firewall_virtual_ip", `{"id": 0, "mode": "ipalias", "subnet": "192.168.1.2"}`, carp, "it changes mode of the virtual IP 192.168.1.2"},
		{"pfsense_update_firewall_virtual_ip", `{"id": 0, "descr": "shared LAN address"}`, carp, ""},
		{"pfsense_update_firewall_virtual_ip", `{"id": 0, "subnet": "192.168.1.2"}`, carp, ""},
		{"pfsense_delete_firewall_virtual_ip", `{"id": 1}`, other, ""},
		{"pfsense_update_firewall_virtual_ip", `{"id": 1, "subnet": "203.0.113.6"}`, other, ""},
	} {
		fw := guardFirewall()
		fw.answers["GET /api/v2/firewall/virtual_ip"] = tc.current
		inv, _ := inventory.New(guardTools(), inventory.Options{AllowWrites: true, AllowDangerous: true})
		r, _ := call(t, New(Options{Inventory: inv, Firewall: fw, Guard: guard}), tc.tool, tc.args)
		switch {
		case tc.want == "" && r.IsError:
			t.Errorf("%s %s: refused: %s", tc.tool, tc.args, r.Text)
		case tc.want != "" && (!r.IsError || !strings.Contains(r.Text, tc.want) || !strings.HasPrefix(r.Text, "Refused by the lockout guard")):
			t.Errorf("%s %s: %s\nwant it to contain %q", tc.tool, tc.args, r.Text, tc.want)
		}
		if fw.mutatingCalls() != 0 {
			t.Errorf("%s: a preview sent a mutation", tc.tool)
		}
	}
}
