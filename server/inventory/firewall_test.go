package inventory

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// packaged adds tools that need packages to the fixture.
func packaged() []toolspec.Tool {
	return append(fixture(),
		toolspec.Tool{Name: "pfsense_list_services_haproxy_backends", Module: "services_haproxy", Kind: toolspec.KindList, Method: "GET", Path: "/api/v2/services/haproxy/backends", RequiredPackages: []string{"pfSense-pkg-haproxy"}},
		toolspec.Tool{Name: "pfsense_create_services_haproxy_backend", Module: "services_haproxy", Kind: toolspec.KindCreate, Mutation: true, Method: "POST", Path: "/api/v2/services/haproxy/backend", RequiredPackages: []string{"pfSense-pkg-haproxy"}},
		toolspec.Tool{Name: "pfsense_list_services_bind_zones", Module: "services_bind", Kind: toolspec.KindList, Method: "GET", Path: "/api/v2/services/bind/zones", RequiredPackages: []string{"pfSense-pkg-bind"}},
	)
}

func TestFirewallFactsHideTools(t *testing.T) {
	allOps := map[string]Operation{}
	for _, tl := range packaged() {
		allOps[tl.Method+" "+tl.Path] = Operation{}
	}
	withoutVersion := map[string]Operation{}
	for k, v := range allOps {
		if k != "GET /api/v2/system/version" {
			withoutVersion[k] = v
		}
	}
	for _, tc := range []struct {
		name           string
		opts           Options
		fw             Firewall
		want           string
		changed        bool
		lacks, needPkg int
		missing        []PackageTools
	}{
		{"nothing known hides nothing", Options{}, Firewall{},
			"pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_services_bind_zones pfsense_list_services_haproxy_backends pfsense_list_vpn_wireguard_peers", false, 0, 0, nil},
		{"a missing package hides its tools", Options{AllowWrites: true}, Firewall{Packages: map[string]bool{"pfSense-pkg-bind": true}},
			"pfsense_create_firewall_alias pfsense_create_vpn_wireguard_peer pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_services_bind_zones pfsense_list_vpn_wireguard_peers", true, 0, 2,
			[]PackageTools{{"pfSense-pkg-haproxy", []string{"pfsense_create_services_haproxy_backend", "pfsense_list_services_haproxy_backends"}}}},
		{"read-only: a package would add only its reads", Options{}, Firewall{Packages: map[string]bool{}},
			"pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_vpn_wireguard_peers", true, 0, 2,
			[]PackageTools{{"pfSense-pkg-bind", []string{"pfsense_list_services_bind_zones"}}, {"pfSense-pkg-haproxy", []string{"pfsense_list_services_haproxy_backends"}}}},
		{"an operation the firewall's spec lacks", Options{}, Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1", Operations: withoutVersion},
			"pfsense_list_firewall_aliases pfsense_list_services_bind_zones pfsense_list_services_haproxy_backends pfsense_list_vpn_wireguard_peers", true, 1, 0, nil},
		{"every operation there", Options{}, Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1", Operations: allOps},
			"pfsense_get_system_version pfsense_list_firewall_aliases pfsense_list_services_bind_zones pfsense_list_services_haproxy_backends pfsense_list_vpn_wireguard_peers", false, 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := New(packaged(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := inv.SetFirewall(tc.fw); got != tc.changed {
				t.Errorf("SetFirewall changed = %v, want %v", got, tc.changed)
			}
			if got := names(inv.Exposed()); got != tc.want {
				t.Errorf("exposed = %s\nwant      %s", got, tc.want)
			}
			lacks, needPkg := inv.FirewallHidden()
			if lacks != tc.lacks || needPkg != tc.needPkg {
				t.Errorf("FirewallHidden = %d, %d; want %d, %d", lacks, needPkg, tc.lacks, tc.needPkg)
			}
			if got := inv.MissingPackages(); !reflect.DeepEqual(got, tc.missing) && !(len(got) == 0 && len(tc.missing) == 0) {
				t.Errorf("MissingPackages = %v, want %v", got, tc.missing)
			}
		})
	}
}

func TestLookupSaysWhatTheFirewallLacks(t *testing.T) {
	inv, err := New(packaged(), Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]Operation{"GET /api/v2/firewall/aliases": {}}
	inv.SetFirewall(Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1", Operations: ops, Packages: map[string]bool{}})
	for name, want := range map[string]string{
		"pfsense_get_system_version": "tool pfsense_get_system_version is not available: the firewall runs REST API v2.10.0, whose own spec has no GET /api/v2/system/version; " +
			"this tool comes from the v2.7.1 spec (to match the firewall, regenerate the tools from its spec: tools/fetch-spec, then rebuild)",
		"pfsense_delete_firewall_states": "tool pfsense_delete_firewall_states is not available: it is a dangerous operation (it drops every matching connection); set PFSENSE_ALLOW_DANGEROUS=true to allow it",
	} {
		if _, err := inv.Lookup(name); err == nil || err.Error() != want {
			t.Errorf("Lookup(%s) = %v\nwant %s", name, err, want)
		}
	}
	inv.SetFirewall(Firewall{Packages: map[string]bool{}})
	_, err = inv.Lookup("pfsense_list_services_haproxy_backends")
	want := "tool pfsense_list_services_haproxy_backends is not available: it needs the package pfSense-pkg-haproxy, which is not installed on the firewall (install it in System > Package Manager, then restart the server)"
	if err == nil || err.Error() != want {
		t.Errorf("Lookup = %v\nwant %s", err, want)
	}
	if m := inv.Search("haproxy backends", 5); len(m) != 0 {
		t.Errorf("search finds hidden tools: %v", m[0].Tool.Name)
	}
}

func TestUnknownInputs(t *testing.T) {
	tools := []toolspec.Tool{
		{Name: "pfsense_halt_system", Module: "diagnostics", Kind: toolspec.KindAction, Mutation: true, Method: "POST", Path: "/api/v2/diagnostics/halt_system",
			Params: []toolspec.Param{{Name: "dry_run", In: toolspec.InBody}}},
		{Name: "pfsense_replace_firewall_rules", Module: "firewall", Kind: toolspec.KindReplace, Mutation: true, Method: "PUT", Path: "/api/v2/firewall/rules",
			InputSchema: `{"properties":{"objects":{"items":{"properties":{"dscp":{},"type":{}}},"type":"array"}}}`,
			Params:      []toolspec.Param{{Name: "objects", In: toolspec.InBodyList}}},
	}
	inv, err := New(tools, Options{AllowWrites: true, AllowDangerous: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := inv.UnknownInputs(&tools[0]); got != nil {
		t.Errorf("without the firewall's spec: %v", got)
	}
	inv.SetFirewall(Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1", Operations: map[string]Operation{
		"POST /api/v2/diagnostics/halt_system": {Inputs: map[string]bool{}},
		"PUT /api/v2/firewall/rules":           {Inputs: map[string]bool{"type": true}},
	}})
	for i, want := range []string{"dry_run", "objects[].dscp"} {
		if got := strings.Join(inv.UnknownInputs(&tools[i]), " "); got != want {
			t.Errorf("UnknownInputs(%s) = %q, want %q", tools[i].Name, got, want)
		}
	}
}
