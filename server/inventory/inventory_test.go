package inventory

import (
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func fixture() []toolspec.Tool {
	return []toolspec.Tool{
		{Name: "pfsense_list_firewall_aliases", Title: "List firewall aliases", Description: "Reads all existing Firewall Aliases.", Module: "firewall", Kind: toolspec.KindList, Method: "GET", Path: "/api/v2/firewall/aliases"},
		{Name: "pfsense_create_firewall_alias", Title: "Create a firewall alias", Description: "Creates a new Firewall Alias.", Module: "firewall", Kind: toolspec.KindCreate, Mutation: true, Method: "POST", Path: "/api/v2/firewall/alias"},
		{Name: "pfsense_delete_firewall_states", Title: "Delete firewall states", Description: "Deletes firewall states.", Module: "firewall", Kind: toolspec.KindDelete, Plural: true, Mutation: true, Dangerous: true, DangerousReason: "it drops every matching connection", Method: "DELETE", Path: "/api/v2/firewall/states",
			Risks: []toolspec.Risk{{Class: toolspec.RiskOutage, Reason: "it drops every matching connection"}}},
		{Name: "pfsense_create_vpn_wireguard_peer", Title: "Create a WireGuard peer", Description: "Creates a new WireGuard Peer.", Module: "vpn_wireguard", Kind: toolspec.KindCreate, Mutation: true, Method: "POST", Path: "/api/v2/vpn/wireguard/peer"},
		{Name: "pfsense_list_vpn_wireguard_peers", Title: "List WireGuard peers", Description: "Reads all existing WireGuard Peers.", Module: "vpn_wireguard", Kind: toolspec.KindList, Method: "GET", Path: "/api/v2/vpn/wireguard/peers"},
		{Name: "pfsense_get_system_version", Title: "Get the system version", Description: "Reads the pfSense version.", Module: "system", Kind: toolspec.KindStatus, Method: "GET", Path: "/api/v2/system/version"},
		{Name: "pfsense_reboot_system", Title: "Reboot the system", Description: "Reboots pfSense.", Module: "diagnostics", Kind: toolspec.KindAction, Mutation: true, Dangerous: true, DangerousReason: "it reboots the firewall", Method: "POST", Path: "/api/v2/diagnostics/reboot",
			Risks: []toolspec.Risk{{Class: toolspec.RiskOutage, Reason: "it reboots the firewall"}}},
	}
}

func names(ts []*toolspec.Tool) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return strings.Join(out, " ")
}

func TestExposureFilters(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"read-only default", Options{}, "pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_vpn_wireguard_peers"},
		{"writes", Options{AllowWrites: true}, "pfsense_create_firewall_alias pfsense_create_vpn_wireguard_peer pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_vpn_wireguard_peers"},
		{"writes and dangerous", Options{AllowWrites: true, AllowDangerous: true}, "pfsense_create_firewall_alias pfsense_create_vpn_wireguard_peer pfsense_delete_firewall_states pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_vpn_wireguard_peers pfsense_reboot_system"},
		{"dangerous without writes stays read-only", Options{AllowDangerous: true}, "pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_vpn_wireguard_peers"},
		{"modules", Options{AllowWrites: true, Modules: []string{"vpn_wireguard"}}, "pfsense_create_vpn_wireguard_peer pfsense_list_vpn_wireguard_peers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := New(fixture(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(inv.Exposed()); got != tc.want {
				t.Errorf("exposed = %s\nwant      %s", got, tc.want)
			}
		})
	}
}

func TestUnknownModuleListsValidOnes(t *testing.T) {
	_, err := New(fixture(), Options{Modules: []string{"wireguard"}})
	want := `PFSENSE_MODULES: "wireguard" is not a module; valid modules: diagnostics, firewall, system, vpn_wireguard`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v", err)
	}
}

func TestLookupExplainsHiddenTools(t *testing.T) {
	inv, _ := New(fixture(), Options{AllowWrites: true, Modules: []string{"firewall", "diagnostics"}})
	for name, want := range map[string]string{
		"pfsense_reboot_system":            "tool pfsense_reboot_system is not available: it is a dangerous operation (it reboots the firewall); set PFSENSE_ALLOW_DANGEROUS=true to allow it",
		"pfsense_list_vpn_wireguard_peers": `tool pfsense_list_vpn_wireguard_peers is not available: its module "vpn_wireguard" is not enabled (PFSENSE_MODULES=firewall,diagnostics)`,
		"pfsense_list_firewall_alias":      "there is no tool named pfsense_list_firewall_alias; closest: pfsense_list_firewall_aliases, pfsense_create_firewall_alias",
	} {
		_, err := inv.Lookup(name)
		if err == nil || err.Error() != want {
			t.Errorf("Lookup(%s) = %v\nwant %s", name, err, want)
		}
	}
	ro, _ := New(fixture(), Options{})
	if _, err := ro.Lookup("pfsense_reboot"); err == nil || err.Error() != "there is no tool named pfsense_reboot; pfsense_reboot_system exists but is not available: "+
		"it changes the firewall and the server is read-only (set PFSENSE_ALLOW_WRITES=true to enable changes)" {
		t.Errorf("a guessed name of a hidden tool: %v", err)
	}
	if _, err := ro.Lookup("pfsense_create_firewall_alias"); err == nil || !strings.Contains(err.Error(), "read-only (set PFSENSE_ALLOW_WRITES=true") {
		t.Errorf("read-only lookup: %v", err)
	}
}

func TestRefusalsFollowDangerousOptIn(t *testing.T) {
	cron := toolspec.Tool{Name: "pfsense_create_services_cron_job", Module: "services_cron", Kind: toolspec.KindCreate, Mutation: true, Method: "POST", Path: "/api/v2/services/cron/job",
		Risks: []toolspec.Risk{{Class: toolspec.RiskCodeExecution, Reason: "runs the command", When: []toolspec.Condition{{Field: "command", Op: toolspec.CondSet}}}}}
	inv, _ := New(append(fixture(), cron), Options{AllowWrites: true})
	b := inv.Refusals()
	if len(b) != 3 || b["POST /api/v2/diagnostics/reboot"][0].Reason != "it reboots the firewall" || len(b["DELETE /api/v2/firewall/states"]) != 1 ||
		b["POST /api/v2/services/cron/job"][0].When[0].Field != "command" {
		t.Errorf("refusals = %v", b)
	}
	inv, _ = New(append(fixture(), cron), Options{AllowWrites: true, AllowDangerous: true})
	if len(inv.Refusals()) != 0 {
		t.Errorf("refusals with opt-in = %v", inv.Refusals())
	}
}

// A hidden tool is found by the search for it, with the reason and the setting to change.
func TestHiddenToolsAreExplained(t *testing.T) {
	inv, _ := New(fixture(), Options{})
	if h := inv.HiddenCounts(); h != (Hidden{Writes: 4}) {
		t.Errorf("read-only hidden = %+v", h)
	}
	m := inv.SearchHidden("reboot", 3)
	if len(m) == 0 || m[0].Tool.Name != "pfsense_reboot_system" || !strings.Contains(m[0].Reason, "PFSENSE_ALLOW_WRITES=true") {
		t.Errorf("SearchHidden read-only = %+v", m)
	}
	inv, _ = New(fixture(), Options{AllowWrites: true})
	if h := inv.HiddenCounts(); h != (Hidden{Dangerous: 2}) {
		t.Errorf("writes hidden = %+v", h)
	}
	m = inv.SearchHidden("reboot", 3)
	if len(m) != 1 || m[0].Reason != "it is a dangerous operation (it reboots the firewall); set PFSENSE_ALLOW_DANGEROUS=true to allow it" {
		t.Errorf("SearchHidden = %+v", m)
	}
}

func TestSearchRanksByMeaning(t *testing.T) {
	inv, _ := New(fixture(), Options{AllowWrites: true})
	for q, want := range map[string]string{
		"add a wireguard peer":  "pfsense_create_vpn_wireguard_peer",
		"show firewall aliases": "pfsense_list_firewall_aliases",
		"which pfSense version": "pfsense_get_system_version",
		"new alias":             "pfsense_create_firewall_alias",
	} {
		m := inv.Search(q, 3)
		if len(m) == 0 || m[0].Tool.Name != want {
			t.Errorf("Search(%q) = %v, want %s first", q, m, want)
		}
	}
	if m := inv.Search("zzz qqq", 3); len(m) != 0 {
		t.Errorf("nonsense query matched %v", m)
	}
}

// A mistyped name is matched on the resource it ends with: pfsense_list_interfaces means the
// interfaces, which the shorter pfsense_list_interface_gres is not.
func TestLookupMatchesTheResourceNamed(t *testing.T) {
	var tools []toolspec.Tool
	for _, n := range []string{"list_interface_gres", "list_interface_vlans", "list_interface_laggs", "list_network_interfaces", "get_network_interface"} {
		tools = append(tools, toolspec.Tool{Name: "pfsense_" + n, Title: strings.ReplaceAll(n, "_", " "), Module: "interface", Kind: toolspec.KindList})
	}
	inv, _ := New(tools, Options{})
	_, err := inv.Lookup("pfsense_list_interfaces")
	if err == nil || !strings.HasPrefix(err.Error(), "there is no tool named pfsense_list_interfaces; closest: pfsense_list_network_interfaces, ") {
		t.Errorf("Lookup = %v", err)
	}
}
