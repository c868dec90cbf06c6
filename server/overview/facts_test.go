package overview

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// TestFirewallFactsSayWhichPackagesWouldAddWhichTools: the overview reports what the start-up
// probe learned: tools the firewall's version lacks, and per missing package the tools
// installing it would add (the first ten by name, and how many more).
func TestFirewallFactsSayWhichPackagesWouldAddWhichTools(t *testing.T) {
	tools := []toolspec.Tool{{Name: "pfsense_get_system_version", Method: "GET", Path: "/api/v2/system/version", Module: "system"}}
	var haproxy []string
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("pfsense_list_services_haproxy_thing%02d", i)
		haproxy = append(haproxy, name)
		tools = append(tools, toolspec.Tool{Name: name, Method: "GET", Path: fmt.Sprintf("/api/v2/services/haproxy/thing%02d", i),
			Module: "services_haproxy", RequiredPackages: []string{"pfSense-pkg-haproxy"}})
	}
	inv, err := inventory.New(tools, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := toolcall.New(toolcall.Options{Inventory: inv})
	if got := firewallFacts(d); got != nil {
		t.Errorf("facts before the probe: %v", got)
	}
	ops := map[string]inventory.Operation{}
	for _, tl := range tools[1:] {
		ops[tl.Method+" "+tl.Path] = inventory.Operation{}
	}
	inv.SetFirewall(inventory.Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1", Operations: ops, Packages: map[string]bool{}})
	want := map[string]any{
		"tools_hidden_because_the_firewall_lacks_them": 1,
		"tools_hidden_for_packages_not_installed":      12,
		"packages_not_installed": []any{map[string]any{
			"package": "pfSense-pkg-haproxy", "would_add_tools": 12, "modules": []string{"services_haproxy"},
			"tools": haproxy[:10], "more_tools": 2,
		}},
	}
	if got := firewallFacts(d); !reflect.DeepEqual(got, want) {
		t.Errorf("facts = %v\nwant    %v", got, want)
	}
}
