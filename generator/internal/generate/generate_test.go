package generate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/describe"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/policy"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/schema"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/text"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// These tests run the whole pipeline on the v2.7.1 spec given to the build (//spec:openapi)
// and pin what a user of the tools would notice.

var (
	surfaceOnce sync.Once
	surface     *Surface
	api         *normalize.API
	specBytes   []byte
	nativeBytes []byte
	surfaceErr  error
	nat         *native.Schema
)

func realSurface(t testing.TB) (*Surface, map[string]toolspec.Tool) {
	t.Helper()
	surfaceOnce.Do(func() {
		if specBytes, surfaceErr = specfile.Read(); surfaceErr != nil {
			return
		}
		if nativeBytes, surfaceErr = specfile.ReadNative(); surfaceErr != nil {
			return
		}
		var err error
		if nat, err = ParseNative(nativeBytes); err != nil {
			surfaceErr = err
			return
		}
		doc, err := load.Bytes(specBytes)
		if err != nil {
			surfaceErr = err
			return
		}
		if surface, surfaceErr = Build(doc, nat); surfaceErr != nil {
			return
		}
		api, surfaceErr = normalize.Build(doc)
	})
	if surfaceErr != nil {
		t.Fatal(surfaceErr)
	}
	byName := map[string]toolspec.Tool{}
	for _, tool := range surface.Tools {
		byName[tool.Name] = tool
	}
	return surface, byName
}

// pinnedVersion is the spec whose tool surface the exact expectations below describe.
const pinnedVersion = "v2.7.1"

// pinned reports whether the build's spec is the one the exact expectations describe; rules
// that hold for any spec are checked either way.
func pinned(t testing.TB) bool {
	s, _ := realSurface(t)
	if s.Version != pinnedVersion {
		t.Logf("the build's spec is %s, not %s: exact counts and names are not checked", s.Version, pinnedVersion)
		return false
	}
	return true
}

// needPinned skips a test made only of exact expectations about the v2.7.1 spec.
func needPinned(t *testing.T) {
	if !pinned(t) {
		t.Skipf("this test pins the %s spec", pinnedVersion)
	}
}

func byOperation(s *Surface) map[string]toolspec.Tool {
	out := map[string]toolspec.Tool{}
	for _, t := range s.Tools {
		out[t.OperationID] = t
	}
	return out
}

func TestEveryOperationIsOneCompleteTool(t *testing.T) {
	s, byName := realSurface(t)
	if len(byName) != len(s.Tools) || len(s.Tools) != len(api.Operations) {
		t.Fatalf("%d tools with %d distinct names for %d operations", len(s.Tools), len(byName), len(api.Operations))
	}
	if pinned(t) && len(s.Tools) != 677 {
		t.Errorf("%d tools, want 677", len(s.Tools))
	}
	if !sort.SliceIsSorted(s.Tools, func(i, j int) bool { return s.Tools[i].Name < s.Tools[j].Name }) {
		t.Error("tools are not sorted by name")
	}
	for _, tool := range s.Tools {
		for field, v := range map[string]string{"Title": tool.Title, "Description": tool.Description, "InputSchema": tool.InputSchema,
			"OperationID": tool.OperationID, "Method": tool.Method, "Path": tool.Path, "Kind": string(tool.Kind), "Module": tool.Module, "Model": tool.Model} {
			if v == "" {
				t.Errorf("%s has no %s", tool.Name, field)
			}
		}
		if len(tool.Name) > 64 || strings.Trim(tool.Name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" || !strings.HasPrefix(tool.Name, "pfsense_") {
			t.Errorf("invalid name %q", tool.Name)
		}
		if tool.Annotations.ReadOnly == tool.Mutation {
			t.Errorf("%s: readOnlyHint %v but Mutation %v", tool.Name, tool.Annotations.ReadOnly, tool.Mutation)
		}
		if !sort.StringsAreSorted(tool.Fields) {
			t.Errorf("%s: fields %q are unsorted", tool.Name, tool.Fields)
		}
	}
}

// Every tool's kind follows from its operation as the spec states it (method, plural, apply
// path, list body), on any spec; the exact counts are pinned for v2.7.1.
func TestKindCounts(t *testing.T) {
	s, _ := realSurface(t)
	ops := map[string]*normalize.Operation{}
	for _, op := range api.Operations {
		ops[op.ID] = op
	}
	allowed := func(op *normalize.Operation) []toolspec.Kind {
		apply := strings.HasSuffix(op.Path, "/apply")
		switch {
		case op.Method == "DELETE":
			return []toolspec.Kind{toolspec.KindDelete}
		case op.Method == "PUT" && op.BodyList:
			return []toolspec.Kind{toolspec.KindReplace}
		case op.Method == "GET" && apply:
			return []toolspec.Kind{toolspec.KindApplyStatus}
		case op.Method == "POST" && apply:
			return []toolspec.Kind{toolspec.KindApply}
		case op.Method == "GET" && op.Plural:
			return []toolspec.Kind{toolspec.KindList}
		case op.Method == "GET":
			return []toolspec.Kind{toolspec.KindGet, toolspec.KindSettings, toolspec.KindStatus}
		case op.Method == "POST":
			return []toolspec.Kind{toolspec.KindCreate, toolspec.KindAction}
		default: // PATCH, and PUT of one object
			return []toolspec.Kind{toolspec.KindUpdate, toolspec.KindSettings}
		}
	}
	got := map[toolspec.Kind]int{}
	for _, tool := range s.Tools {
		got[tool.Kind]++
		op := ops[tool.OperationID]
		if op == nil {
			t.Errorf("%s: operation %s is not in the spec", tool.Name, tool.OperationID)
			continue
		}
		if want := allowed(op); !slices.Contains(want, tool.Kind) {
			t.Errorf("%s (%s %s, plural %v): kind %s, want one of %v", tool.Name, op.Method, op.Path, op.Plural, tool.Kind, want)
		}
	}
	if !pinned(t) {
		return
	}
	want := map[toolspec.Kind]int{
		toolspec.KindList: 108, toolspec.KindGet: 93, toolspec.KindCreate: 87, toolspec.KindUpdate: 85,
		toolspec.KindReplace: 38, toolspec.KindDelete: 177, toolspec.KindApply: 10, toolspec.KindApplyStatus: 10,
		toolspec.KindSettings: 47, toolspec.KindStatus: 2, toolspec.KindAction: 20,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tools per kind = %v, want %v", got, want)
	}
}

// TestNames pins the names of operations across specs: an operation another spec shares gets
// the same name (the pinned spec must have every one).
func TestNames(t *testing.T) {
	s, _ := realSurface(t)
	exact := pinned(t)
	ops := byOperation(s)
	for id, want := range map[string]string{
		// plural and singular GET
		"getFirewallAliasesEndpoint":           "pfsense_list_firewall_aliases",
		"getFirewallAliasEndpoint":             "pfsense_get_firewall_alias",
		"getDiagnosticsARPTableEndpoint":       "pfsense_list_diagnostics_arp_table",
		"getDiagnosticsARPTableEntryEndpoint":  "pfsense_get_diagnostics_arp_table_entry",
		"getServicesHAProxyFiles":              "pfsense_list_services_haproxy_files",
		"getUsersEndpoint":                     "pfsense_list_users",
		"getStatusLogsPackagesRESTAPIEndpoint": "pfsense_list_status_logs_packages_restapi",
		// create, update, replace, delete (singular and plural)
		"postFirewallAliasEndpoint":                 "pfsense_create_firewall_alias",
		"patchFirewallAliasEndpoint":                "pfsense_update_firewall_alias",
		"putFirewallAliasesEndpoint":                "pfsense_replace_firewall_aliases",
		"deleteFirewallAliasEndpoint":               "pfsense_delete_firewall_alias",
		"deleteFirewallAliasesEndpoint":             "pfsense_delete_firewall_aliases",
		"postServicesACMECertificateActionEndpoint": "pfsense_create_services_acme_certificate_action",
		// settings and status singletons
		"getSystemWebGUISettingsEndpoint":        "pfsense_get_system_webgui_settings",
		"patchSystemRESTAPISettingsEndpoint":     "pfsense_update_system_restapi_settings",
		"patchServicesDHCPServerBackendEndpoint": "pfsense_update_services_dhcp_server_backend",
		"getStatusCARPEndpoint":                  "pfsense_get_status_carp",
		"getSystemVersionEndpoint":               "pfsense_get_system_version",
		// apply and apply status
		"postFirewallApplyEndpoint":          "pfsense_apply_firewall",
		"getFirewallApplyEndpoint":           "pfsense_get_firewall_apply_status",
		"postFirewallVirtualIPApplyEndpoint": "pfsense_apply_firewall_virtual_ip",
		"getServicesDHCPServerApplyEndpoint": "pfsense_get_services_dhcp_server_apply_status",
		// nested resources and acronyms
		"getInterfaceVLANsEndpoint":                "pfsense_list_interface_vlans",
		"getVPNIPsecPhase1sEndpoint":               "pfsense_list_vpn_ipsec_phase1s",
		"postVPNIPsecPhase2EncryptionEndpoint":     "pfsense_create_vpn_ipsec_phase2_encryption",
		"getVPNWireGuardPeerAllowedIPsEndpoint":    "pfsense_list_vpn_wireguard_peer_allowed_ips",
		"patchVPNWireGuardTunnelAddressEndpoint":   "pfsense_update_vpn_wireguard_tunnel_address",
		"getVPNOpenVPNCSOsEndpoint":                "pfsense_list_vpn_openvpn_csos",
		"putServicesHAProxyBackendsEndpoint":       "pfsense_replace_services_haproxy_backends",
		"deleteServicesHAProxyFrontendACLEndpoint": "pfsense_delete_services_haproxy_frontend_acl",
		"getServicesFreeRADIUSUsersEndpoint":       "pfsense_list_services_freeradius_users",
		"getStatusIPsecChildSAsEndpoint":           "pfsense_list_status_ipsec_child_sas",
		"getInterfaceLAGGsEndpoint":                "pfsense_list_interface_laggs",
		// actions
		"postGraphQLEndpoint":                             "pfsense_run_graphql_query",
		"postAuthJWTEndpoint":                             "pfsense_create_auth_jwt",
		"postDiagnosticsPingEndpoint":                     "pfsense_ping_host",
		"postDiagnosticsRebootEndpoint":                   "pfsense_reboot_system",
		"postDiagnosticsHaltSystemEndpoint":               "pfsense_halt_system",
		"postDiagnosticsCommandPromptEndpoint":            "pfsense_run_command_prompt",
		"postStatusServiceEndpoint":                       "pfsense_control_status_service",
		"postVPNOpenVPNClientExportEndpoint":              "pfsense_export_vpn_openvpn_client",
		"postSystemCertificatePKCS12ExportEndpoint":       "pfsense_export_system_certificate_pkcs12",
		"postSystemCertificateSigningRequestEndpoint":     "pfsense_generate_system_certificate_signing_request",
		"postSystemCertificateSigningRequestSignEndpoint": "pfsense_sign_system_certificate_signing_request",
		"postServicesACMEAccountKeyRegisterEndpoint":      "pfsense_register_services_acme_account_key",
		"postServicesACMECertificateIssueEndpoint":        "pfsense_issue_services_acme_certificate",
		"postServicesWakeOnLANSendEndpoint":               "pfsense_send_services_wake_on_lan",
		"postSystemRESTAPISettingsSyncEndpoint":           "pfsense_sync_system_restapi_settings",
	} {
		tool, ok := ops[id]
		if !ok {
			if exact {
				t.Errorf("no tool for operation %s", id)
			} else {
				t.Logf("this spec has no operation %s", id)
			}
			continue
		}
		if tool.Name != want {
			t.Errorf("%s -> %s, want %s", id, tool.Name, want)
		}
	}
	for _, tool := range s.Tools {
		for _, bad := range []string{"v_l_a_n", "i_psec", "wire_guard", "open_vpn", "h_a_proxy", "graph_ql", "_endpoint"} {
			if strings.Contains(tool.Name, bad) {
				t.Errorf("%s splits a word (%s)", tool.Name, bad)
			}
		}
	}
}

// TestToolFacts checks what the generator derives for a sample of operations, on every spec
// that has them (the pinned spec must have every one).
func TestToolFacts(t *testing.T) {
	s, _ := realSurface(t)
	exact := pinned(t)
	ops := byOperation(s)
	type ann = toolspec.Annotations
	for _, want := range []toolspec.Tool{
		{OperationID: "getFirewallAliasesEndpoint", Kind: toolspec.KindList, Plural: true, Module: "firewall", Model: "FirewallAlias",
			Title: "List firewall aliases", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "deleteFirewallAliasesEndpoint", Kind: toolspec.KindDelete, Plural: true, Module: "firewall", Model: "FirewallAlias",
			Mutation: true, ReadTool: "pfsense_list_firewall_aliases", ApplyTool: "pfsense_apply_firewall", Annotations: ann{Destructive: true}},
		{OperationID: "patchFirewallRuleEndpoint", Kind: toolspec.KindUpdate, Module: "firewall", Model: "FirewallRule",
			Mutation: true, ReadTool: "pfsense_get_firewall_rule", ApplyTool: "pfsense_apply_firewall", Annotations: ann{Destructive: true, Idempotent: true}},
		{OperationID: "deleteFirewallVirtualIPsEndpoint", Kind: toolspec.KindDelete, Plural: true, Module: "firewall", Model: "VirtualIP",
			Mutation: true, ReadTool: "pfsense_list_firewall_virtual_ips", ApplyTool: "pfsense_apply_firewall_virtual_ip", Annotations: ann{Destructive: true}},
		{OperationID: "getNetworkInterfacesEndpoint", Kind: toolspec.KindList, Plural: true, Module: "interface", Model: "NetworkInterface",
			Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "deleteNetworkInterfacesEndpoint", Kind: toolspec.KindDelete, Plural: true, Module: "interface", Model: "NetworkInterface",
			Mutation: true, ReadTool: "pfsense_list_network_interfaces", ApplyTool: "pfsense_apply_interface", Dangerous: true, Annotations: ann{Destructive: true}},
		{OperationID: "postInterfaceVLANEndpoint", Kind: toolspec.KindCreate, Module: "interface", Model: "InterfaceVLAN", Mutation: true, Annotations: ann{}},
		{OperationID: "putServicesDHCPServersEndpoint", Kind: toolspec.KindReplace, Plural: true, Module: "services_dhcp_server", Model: "DHCPServer",
			Mutation: true, ReadTool: "pfsense_list_services_dhcp_servers", ApplyTool: "pfsense_apply_services_dhcp_server", Annotations: ann{Destructive: true, Idempotent: true}},
		{OperationID: "getServicesDHCPServerStaticMappingEndpoint", Kind: toolspec.KindGet, Module: "services_dhcp_server", Model: "DHCPServerStaticMapping",
			Parent: "DHCPServer", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "postServicesHAProxyBackendACLEndpoint", Kind: toolspec.KindCreate, Module: "services_haproxy", Model: "HAProxyBackendACL",
			Parent: "HAProxyBackend", Mutation: true, ApplyTool: "pfsense_apply_services_haproxy", RequiredPackages: []string{"pfSense-pkg-haproxy"}, Annotations: ann{}},
		{OperationID: "postServicesHAProxySettingsDNSResolverEndpoint", Kind: toolspec.KindCreate, Module: "services_haproxy", Model: "HAProxyDNSResolver",
			Mutation: true, ApplyTool: "pfsense_apply_services_haproxy", RequiredPackages: []string{"pfSense-pkg-haproxy"}, Annotations: ann{}},
		{OperationID: "deleteVPNWireGuardPeerEndpoint", Kind: toolspec.KindDelete, Module: "vpn_wireguard", Model: "WireGuardPeer", Mutation: true,
			ReadTool: "pfsense_get_vpn_wireguard_peer", ApplyTool: "pfsense_apply_vpn_wireguard", RequiredPackages: []string{"pfSense-pkg-WireGuard"}, Annotations: ann{Destructive: true}},
		{OperationID: "patchVPNOpenVPNServerEndpoint", Kind: toolspec.KindUpdate, Module: "vpn_openvpn", Model: "OpenVPNServer", Mutation: true,
			ReadTool: "pfsense_get_vpn_openvpn_server", Annotations: ann{Destructive: true, Idempotent: true}},
		{OperationID: "patchSystemWebGUISettingsEndpoint", Kind: toolspec.KindSettings, Module: "system", Model: "WebGUISettings", Mutation: true,
			ReadTool: "pfsense_get_system_webgui_settings", Dangerous: true, Annotations: ann{Destructive: true, Idempotent: true}},
		{OperationID: "getSystemVersionEndpoint", Kind: toolspec.KindStatus, Module: "system", Model: "SystemVersion", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "getFirewallApplyEndpoint", Kind: toolspec.KindApplyStatus, Module: "firewall", Model: "FirewallApply", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "postVPNIPsecApplyEndpoint", Kind: toolspec.KindApply, Module: "vpn_ipsec", Model: "IPsecApply", Mutation: true, Annotations: ann{Idempotent: true}},
		{OperationID: "getStatusLogsFirewallEndpoint", Kind: toolspec.KindList, Plural: true, Log: true, Module: "status", Model: "FirewallLog", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "getStatusLogsSettingsEndpoint", Kind: toolspec.KindSettings, Module: "status", Model: "LogSettings", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "postAuthKeyEndpoint", Kind: toolspec.KindCreate, Module: "auth", Model: "RESTAPIKey", Mutation: true, BasicAuthOnly: true, Dangerous: true, Annotations: ann{}},
		{OperationID: "deleteAuthKeyEndpoint", Kind: toolspec.KindDelete, Module: "auth", Model: "RESTAPIKey", Mutation: true, BasicAuthOnly: true, Annotations: ann{Destructive: true}},
		{OperationID: "postDiagnosticsPingEndpoint", Kind: toolspec.KindAction, Module: "diagnostics", Model: "Ping", Annotations: ann{ReadOnly: true, Idempotent: true, OpenWorld: true}},
		{OperationID: "postDiagnosticsRebootEndpoint", Kind: toolspec.KindAction, Module: "diagnostics", Model: "SystemReboot", Mutation: true, Dangerous: true, Annotations: ann{Destructive: true}},
		{OperationID: "postSystemPackageEndpoint", Kind: toolspec.KindCreate, Module: "system", Model: "Package", Mutation: true, Dangerous: true, Annotations: ann{OpenWorld: true}},
		{OperationID: "postServicesACMECertificateIssueEndpoint", Kind: toolspec.KindAction, Module: "services_acme", Model: "ACMECertificateIssue", Mutation: true,
			RequiredPackages: []string{"pfSense-pkg-acme"}, Annotations: ann{OpenWorld: true}},
		{OperationID: "getUsersEndpoint", Kind: toolspec.KindList, Plural: true, Module: "user", Model: "User", Annotations: ann{ReadOnly: true, Idempotent: true}},
		{OperationID: "postGraphQLEndpoint", Kind: toolspec.KindAction, Module: "graphql", Model: "GraphQL", Mutation: true, Dangerous: true, Annotations: ann{Destructive: true}},
	} {
		got, ok := ops[want.OperationID]
		if !ok {
			if exact {
				t.Errorf("no tool for %s", want.OperationID)
			} else {
				t.Logf("this spec has no operation %s", want.OperationID)
			}
			continue
		}
		check := func(field string, g, w any) {
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s (%s): %s = %v, want %v", want.OperationID, got.Name, field, g, w)
			}
		}
		check("Kind", got.Kind, want.Kind)
		check("Plural", got.Plural, want.Plural)
		check("Log", got.Log, want.Log)
		check("Module", got.Module, want.Module)
		check("Model", got.Model, want.Model)
		check("Parent", got.Parent, want.Parent)
		check("Mutation", got.Mutation, want.Mutation)
		check("ReadTool", got.ReadTool, want.ReadTool)
		check("ApplyTool", got.ApplyTool, want.ApplyTool)
		check("RequiredPackages", len(got.RequiredPackages) == 0 && len(want.RequiredPackages) == 0 || reflect.DeepEqual(got.RequiredPackages, want.RequiredPackages), true)
		check("BasicAuthOnly", got.BasicAuthOnly, want.BasicAuthOnly)
		check("Dangerous", got.Dangerous, want.Dangerous)
		check("Annotations", got.Annotations, want.Annotations)
		if want.Title != "" {
			check("Title", got.Title, want.Title)
		}
	}
}

// A tool's fields are its model's properties in the spec (write-only ones excluded) plus id and
// parent_id, read from the raw document on any spec; a few are pinned for v2.7.1.
func TestFieldsOfAModel(t *testing.T) {
	s, byName := realSurface(t)
	var raw struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					WriteOnly bool `json:"writeOnly"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(specBytes, &raw); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, tool := range s.Tools {
		sc, ok := raw.Components.Schemas[tool.Model]
		if !ok || len(tool.Fields) == 0 {
			continue
		}
		var want []string
		for name, p := range sc.Properties {
			if !p.WriteOnly && name != "id" && name != "parent_id" {
				want = append(want, name)
			}
		}
		sort.Strings(want)
		var got []string
		for _, f := range tool.Fields {
			if f != "id" && f != "parent_id" {
				got = append(got, f)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s fields (without id, parent_id) = %q, want the readable properties of %s: %q", tool.Name, got, tool.Model, want)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no tool has fields of a model of the spec")
	}
	if !pinned(t) {
		return
	}
	for name, want := range map[string][]string{
		"pfsense_list_firewall_aliases":                        {"address", "descr", "detail", "id", "name", "type"},
		"pfsense_get_vpn_wireguard_tunnel_address":             {"address", "descr", "id", "mask", "parent_id"},
		"pfsense_get_system_webgui_settings":                   {"port", "protocol", "sslcertref"},
		"pfsense_list_services_haproxy_settings_dns_resolvers": {"id", "name", "port", "server"},
		"pfsense_halt_system":                                  nil, // only the write-only dry_run
	} {
		if got := byName[name].Fields; !reflect.DeepEqual(got, want) {
			t.Errorf("%s fields = %q, want %q", name, got, want)
		}
	}
}

// The dangerous tools are those with an unconditional rule of the risk table (risks.txt).
func TestDangerousToolsAreThoseOfTheRiskTable(t *testing.T) {
	s, _ := realSurface(t)
	var got []string
	for _, tool := range s.Tools {
		if tool.Dangerous {
			got = append(got, tool.Method+" "+strings.TrimPrefix(tool.Path, normalize.APIPrefix)+" "+tool.Name)
			if !strings.Contains(tool.Description, "Dangerous: "+tool.DangerousReason) || tool.DangerousReason == "" {
				t.Errorf("%s does not explain its danger in its description", tool.Name)
			}
			if r := policy.Unconditional(tool.Risks); r == nil || r.Reason != tool.DangerousReason {
				t.Errorf("%s is dangerous without an unconditional risk of that reason: %+v", tool.Name, tool.Risks)
			}
		} else if tool.DangerousReason != "" {
			t.Errorf("%s has a danger reason but is not dangerous", tool.Name)
		}
	}
	sort.Strings(got)
	want := []string{
		"DELETE auth/keys pfsense_delete_auth_keys",
		"DELETE diagnostics/arp_table pfsense_delete_diagnostics_arp_table",
		"DELETE diagnostics/arp_table/entry pfsense_delete_diagnostics_arp_table_entry",
		"DELETE diagnostics/config_history/revision pfsense_delete_diagnostics_config_history_revision",
		"DELETE diagnostics/config_history/revisions pfsense_delete_diagnostics_config_history_revisions",
		"DELETE firewall/state pfsense_delete_firewall_state",
		"DELETE firewall/states pfsense_delete_firewall_states",
		"DELETE interface pfsense_delete_network_interface",
		"DELETE interfaces pfsense_delete_network_interfaces",
		"DELETE system/packages pfsense_delete_system_packages",
		"DELETE system/restapi/access_list pfsense_delete_system_restapi_access_list",
		"DELETE system/restapi/access_list/entry pfsense_delete_system_restapi_access_list_entry",
		"PATCH routing/gateway/default pfsense_update_routing_gateway_default",
		"PATCH system/restapi/access_list/entry pfsense_update_system_restapi_access_list_entry",
		"PATCH system/restapi/settings pfsense_update_system_restapi_settings",
		"PATCH system/restapi/version pfsense_update_system_restapi_version",
		"PATCH system/tunable pfsense_update_system_tunable",
		"PATCH system/webgui/settings pfsense_update_system_webgui_settings",
		"POST auth/key pfsense_create_auth_key",
		"POST diagnostics/command_prompt pfsense_run_command_prompt",
		"POST diagnostics/halt_system pfsense_halt_system",
		"POST diagnostics/reboot pfsense_reboot_system",
		"POST graphql pfsense_run_graphql_query",
		"POST services/cron/job pfsense_create_services_cron_job",
		"POST system/package pfsense_create_system_package",
		"POST system/restapi/access_list/entry pfsense_create_system_restapi_access_list_entry",
		"POST system/restapi/settings/sync pfsense_sync_system_restapi_settings",
		"POST system/tunable pfsense_create_system_tunable",
		"PUT system/restapi/access_list pfsense_replace_system_restapi_access_list",
		"PUT system/tunables pfsense_replace_system_tunables",
	}
	if pinned(t) && !reflect.DeepEqual(got, want) {
		t.Errorf("dangerous tools\n got %q\nwant %q", got, want)
	}
	if len(got) == 0 {
		t.Error("no tool is dangerous: the risk table's unconditional rules matched nothing")
	}
}

// Conditional risks reach the arguments that carry them, nested models and replace lists too.
func TestConditionalRisksOfSomeTools(t *testing.T) {
	_, byName := realSurface(t)
	type rk struct {
		Class  toolspec.RiskClass
		Prefix string
		When   string
	}
	for name, want := range map[string][]rk{
		"pfsense_update_services_cron_job":   {{toolspec.RiskCodeExecution, "", "command set"}, {toolspec.RiskCodeExecution, "", "who set"}},
		"pfsense_replace_services_cron_jobs": {{toolspec.RiskBulkDestruction, "", "objects empty"}, {toolspec.RiskCodeExecution, "objects[]", "command set"}},
		"pfsense_update_services_acme_certificate": {{toolspec.RiskCodeExecution, "a_actionlist[]", "command set & method in shellcommand,php_command"}, {toolspec.RiskCodeExecution, "a_actionlist[]", "method in shellcommand,php_command"},
			{toolspec.RiskExposure, "a_domainlist[]", "acmedns_update_url set & acmedns_username stored"}, {toolspec.RiskExposure, "a_domainlist[]", "acmeproxy_endpoint set & acmeproxy_username stored"},
			{toolspec.RiskExposure, "a_domainlist[]", "nsupdate_server set"}, {toolspec.RiskExposure, "a_domainlist[]", "pdns_url set"}},
		"pfsense_update_network_interface": {{toolspec.RiskCodeExecution, "", "adv_dhcp_config_file_override eq true"},
			{toolspec.RiskCodeExecution, "", "adv_dhcp_config_file_override_path set & adv_dhcp_config_file_override eq true"},
			{toolspec.RiskCodeExecution, "", "adv_dhcp_option_modifiers set"}, {toolspec.RiskCodeExecution, "", "adv_dhcp_request_options set"},
			{toolspec.RiskCodeExecution, "", "adv_dhcp_required_options set"}, {toolspec.RiskCodeExecution, "", "adv_dhcp_send_options set"},
			{toolspec.RiskLockout, "", "enable eq false"}, {toolspec.RiskLockout, "", "if set"}},
		"pfsense_update_vpn_openvpn_client": {{toolspec.RiskCodeExecution, "", "custom_options set"}, {toolspec.RiskExposure, "", "proxy_addr set & proxy_user stored"}, {toolspec.RiskExposure, "", "server_addr set & auth_user stored"}},
		"pfsense_delete_user_group":         {{toolspec.RiskLockout, "", "member set & priv set"}},
		"pfsense_update_services_ssh":       {{toolspec.RiskAccess, "", "enable eq true"}, {toolspec.RiskAccess, "", "sshdkeyonly eq null"}},
		"pfsense_control_status_service":    {{toolspec.RiskOutage, "", "action eq stop"}},
		"pfsense_delete_system_package":     {{toolspec.RiskLockout, "", "name eq pfSense-pkg-RESTAPI"}},
		"pfsense_create_firewall_rule": {{toolspec.RiskExposure, "", "interface eq wan & type eq pass & destination in (self),any,wan:ip & destination_port empty"},
			{toolspec.RiskExposure, "", "interface eq wan & type eq pass & destination in (self),any,wan:ip & destination_port in 22,80,443"},
			{toolspec.RiskLockout, "", "floating eq true & quick eq true & type in block,reject"}},
		"pfsense_list_firewall_rules":   nil,
		"pfsense_create_firewall_alias": nil,
	} {
		tool, ok := byName[name]
		if !ok {
			t.Errorf("no tool %s", name)
			continue
		}
		var got []rk
		for _, r := range tool.Risks {
			var w []string
			for _, c := range r.When {
				w = append(w, strings.TrimSpace(c.Field+" "+string(c.Op)+" "+strings.Join(c.Values, ",")))
			}
			got = append(got, rk{r.Class, r.Prefix, strings.Join(w, " & ")})
			if r.Reason == "" || r.Source == "" {
				t.Errorf("%s: a risk without reason or source: %+v", name, r)
			}
		}
		sort.Slice(got, func(i, j int) bool {
			return got[i].Class+toolspec.RiskClass(got[i].When) < got[j].Class+toolspec.RiskClass(got[j].When)
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s risks\n got %v\nwant %v", name, got, want)
		}
	}
}

// Every field the REST API package flags sensitive or write-only is a secret of every tool of
// its model (except the inputs of one-off actions, policy.NotSecret).
func TestSecretsComeFromTheNativeSchema(t *testing.T) {
	s, _ := realSurface(t)
	nat, err := ParseNative(nativeBytes)
	if err != nil {
		t.Fatal(err)
	}
	if nat.Empty() {
		t.Skip("the build has no native schema for this spec: secrets come from names alone")
	}
	flagged, checked := 0, 0
	for _, tool := range s.Tools {
		m := nat.Model(tool.Model)
		if m == nil {
			continue
		}
		have := map[string]bool{}
		for _, p := range tool.Secrets {
			have[p] = true
		}
		for _, f := range m.Fields {
			if !f.Secret() {
				continue
			}
			if _, exempt := policy.NotSecret[m.Class+"."+f.Name]; exempt {
				if have[f.Name] {
					t.Errorf("%s: %s is exempt (policy.NotSecret) but listed as secret", tool.Name, f.Name)
				}
				continue
			}
			flagged++
			if !have[f.Name] {
				t.Errorf("%s: the native schema flags %s.%s sensitive or write-only; Secrets = %q", tool.Name, m.Class, f.Name, tool.Secrets)
			}
		}
		checked++
	}
	if flagged == 0 || checked == 0 {
		t.Fatalf("checked %d tools and %d flagged fields: the native schema was not applied", checked, flagged)
	}
	// Nested models carry theirs: ACME DNS credentials sit in a certificate's a_domainlist.
	if got := s.Tools[sort.Search(len(s.Tools), func(i int) bool { return s.Tools[i].Name >= "pfsense_get_services_acme_certificate" })]; !slices.Contains(got.Secrets, "a_domainlist.ovh_as") {
		t.Errorf("%s secrets lack a_domainlist.ovh_as: %q", got.Name, got.Secrets)
	}
}

func TestApplyTools(t *testing.T) {
	s, byName := realSurface(t)
	want := []string{
		"pfsense_apply_firewall", "pfsense_apply_firewall_virtual_ip", "pfsense_apply_interface", "pfsense_apply_routing",
		"pfsense_apply_services_dhcp_server", "pfsense_apply_services_dns_forwarder", "pfsense_apply_services_dns_resolver",
		"pfsense_apply_services_haproxy", "pfsense_apply_vpn_ipsec", "pfsense_apply_vpn_wireguard",
	}
	var got []string
	for _, tool := range s.Tools {
		if tool.Kind == toolspec.KindApply {
			got = append(got, tool.Name)
		}
	}
	if pinned(t) && !reflect.DeepEqual(got, want) {
		t.Errorf("apply tools = %q, want %q", got, want)
	}
	ops := map[string]*normalize.Operation{}
	for _, op := range api.Operations {
		ops[op.ID] = op
	}
	withApply := 0
	for _, tool := range s.Tools {
		op := ops[tool.OperationID]
		under := ""
		for _, a := range got {
			sub := strings.TrimSuffix(byName[a].Path, "/apply")
			if strings.HasPrefix(tool.Path, sub) && len(sub) > len(under) {
				under = sub
			}
		}
		pending := tool.Mutation && tool.Kind != toolspec.KindApply && op.Applies == normalize.AppliesNo && under != ""
		switch {
		case pending && tool.ApplyTool == "":
			t.Errorf("%s leaves changes pending under %s but names no apply tool", tool.Name, under)
		case !pending && tool.ApplyTool != "":
			t.Errorf("%s names apply tool %s although its change is not pending", tool.Name, tool.ApplyTool)
		case pending:
			withApply++
			if byName[tool.ApplyTool].Kind != toolspec.KindApply {
				t.Errorf("%s names %s, which is no apply tool", tool.Name, tool.ApplyTool)
			}
			if !strings.Contains(tool.Description, describe.ApplyReminder(tool.ApplyTool)) {
				t.Errorf("%s does not tell to call %s", tool.Name, tool.ApplyTool)
			}
			if tool.Kind == toolspec.KindDelete && !tool.Plural && strings.Contains(tool.InputSchema, `"apply"`) && !strings.Contains(tool.Description, describe.ApplyInline) {
				t.Errorf("%s takes apply but does not say so", tool.Name)
			}
		}
	}
	if pinned(t) && withApply != 219 {
		t.Errorf("%d tools name an apply tool, want 219", withApply)
	}
}

func TestEveryMutationAndOnlyMutationsTakeConfirm(t *testing.T) {
	s, _ := realSurface(t)
	for _, tool := range s.Tools {
		var sch struct {
			Properties map[string]map[string]any `json:"properties"`
			Required   []string                  `json:"required"`
		}
		if err := json.Unmarshal([]byte(tool.InputSchema), &sch); err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		c, has := sch.Properties[toolspec.ConfirmProperty]
		if has != tool.Mutation {
			t.Errorf("%s: confirm present %v, mutation %v", tool.Name, has, tool.Mutation)
		}
		if has && !reflect.DeepEqual(c["type"], []any{"string", "boolean"}) {
			t.Errorf("%s: confirm is %v", tool.Name, c)
		}
		for _, r := range sch.Required {
			if r == toolspec.ConfirmProperty {
				t.Errorf("%s requires confirm", tool.Name)
			}
		}
		if _, ok := tool.Param(toolspec.ConfirmProperty); ok {
			t.Errorf("%s sends confirm to the firewall", tool.Name)
		}
		// Every other property goes somewhere in the request, except fields (a projection).
		for name := range sch.Properties {
			if _, ok := tool.Param(name); !ok && name != toolspec.ConfirmProperty && name != toolspec.FieldsProperty {
				t.Errorf("%s: property %s has no Param", tool.Name, name)
			}
		}
		if len(tool.Params) > len(sch.Properties) {
			t.Errorf("%s: %d params but %d properties", tool.Name, len(tool.Params), len(sch.Properties))
		}
	}
}

func compile(t *testing.T, draft *jsonschema.Draft, name, schema string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(schema))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(draft)
	if err := c.AddResource(name+".json", doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sch, err := c.Compile(name + ".json")
	if err != nil {
		t.Fatalf("%s: not a valid JSON Schema: %v", name, err)
	}
	return sch
}

func TestEveryInputSchemaIsValidJSONSchema(t *testing.T) {
	s, _ := realSurface(t)
	for _, draft := range []*jsonschema.Draft{jsonschema.Draft2020, jsonschema.Draft7} {
		for _, tool := range s.Tools {
			compile(t, draft, tool.Name, tool.InputSchema)
			var top map[string]any
			if err := json.Unmarshal([]byte(tool.InputSchema), &top); err != nil {
				t.Fatal(err)
			}
			if top["type"] != "object" || top["additionalProperties"] != false || top["properties"] == nil {
				t.Errorf("%s: the top level must be a closed object schema", tool.Name)
			}
		}
	}
}

// TestSchemasAcceptAndRefuseArguments checks the input schemas of a sample of tools, on every
// spec that has them (the pinned spec must have every one).
func TestSchemasAcceptAndRefuseArguments(t *testing.T) {
	_, byName := realSurface(t)
	exact := pinned(t)
	for _, tc := range []struct {
		tool, args string
		ok         bool
	}{
		{"pfsense_create_firewall_alias", `{"name": "bt_hosts", "type": "host", "address": ["10.0.0.1"], "confirm": true}`, true},
		{"pfsense_create_firewall_alias", `{"name": "bt_hosts", "type": "hosts"}`, false},          // not in the enum
		{"pfsense_create_firewall_alias", `{"nmae": "bt_hosts", "type": "host"}`, false},           // misspelt field
		{"pfsense_create_firewall_alias", `{"type": "host"}`, false},                               // name is required
		{"pfsense_update_firewall_alias", `{"id": 3, "descr": "x"}`, true},                         // PATCH: only id required
		{"pfsense_update_firewall_alias", `{"descr": "x"}`, false},                                 // PATCH without id
		{"pfsense_update_network_interface", `{"id": "lan", "descr": "LAN"}`, true},                // string ids
		{"pfsense_get_services_dhcp_server_static_mapping", `{"parent_id": "lan", "id": 0}`, true}, // interface names as parent ids
		{"pfsense_get_services_dhcp_server_static_mapping", `{"parent_id": 1.5, "id": 0}`, false},
		{"pfsense_list_firewall_rules", `{"query": {"interface": "wan", "tracker__gt": 5}, "limit": 20, "fields": ["tracker"]}`, true},
		{"pfsense_list_firewall_rules", `{"limit": 501}`, false},
		{"pfsense_list_status_logs_firewall", `{"limit": 201}`, false},
		{"pfsense_list_status_logs_firewall", `{"limit": 200}`, true},
		{"pfsense_delete_firewall_aliases", `{"query": {}}`, false}, // would delete everything
		{"pfsense_delete_firewall_aliases", `{"query": {"name": "x"}, "confirm": true}`, true},
		{"pfsense_replace_firewall_aliases", `{"objects": [{"name": "a", "type": "port", "address": ["80"]}]}`, true},
		{"pfsense_replace_firewall_aliases", `{"objects": [{"type": "port"}]}`, false},                                                       // items keep their required fields
		{"pfsense_create_firewall_nat_outbound_mapping", `{"interface": "wan", "source": "any", "destination": "any", "nonat": true}`, true}, // target is conditional
		{"pfsense_get_system_version", `{}`, true},
		{"pfsense_get_system_version", `{"id": 1}`, false},
	} {
		tool, ok := byName[tc.tool]
		if !ok {
			if exact {
				t.Errorf("no tool %s", tc.tool)
			} else {
				t.Logf("this spec has no tool %s", tc.tool)
			}
			continue
		}
		sch := compile(t, jsonschema.Draft2020, tool.Name, tool.InputSchema)
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.args))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); (err == nil) != tc.ok {
			t.Errorf("%s %s: valid = %v, want %v (%v)", tc.tool, tc.args, err == nil, tc.ok, err)
		}
	}
}

// walk calls f on every schema object nested in v (properties, items, additionalProperties).
func walk(v any, path string, f func(path string, m map[string]any)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	f(path, m)
	if props, ok := m["properties"].(map[string]any); ok {
		for k, p := range props {
			walk(p, path+"."+k, f)
		}
	}
	walk(m["items"], path+"[]", f)
	walk(m["additionalProperties"], path+"{}", f)
}

func decodeNumbers(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNoUnsafeIntegerAnywhere(t *testing.T) {
	s, _ := realSurface(t)
	var visit func(name string, v any)
	visit = func(name string, v any) {
		switch x := v.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil || math.Abs(f) >= 1<<53 {
				t.Errorf("%s: number %s is beyond 2^53", name, x)
			}
		case []any:
			for _, e := range x {
				visit(name, e)
			}
		case map[string]any:
			for _, e := range x {
				visit(name, e)
			}
		}
	}
	for _, tool := range s.Tools {
		visit(tool.Name, decodeNumbers(t, tool.InputSchema))
	}
	// The spec does have them (PHP_INT_MAX as "no maximum"), so the rule above is not idle.
	if pinned(t) && !bytes.Contains(specBytes, []byte("9223372036854775807")) {
		t.Error("the spec no longer has PHP_INT_MAX bounds; this test no longer proves anything")
	}
}

func TestSchemaRules(t *testing.T) {
	s, byName := realSurface(t)
	ops := map[string]*normalize.Operation{}
	for _, op := range api.Operations {
		ops[op.ID] = op
	}
	conditionalDropped := 0
	for _, tool := range s.Tools {
		top := decodeNumbers(t, tool.InputSchema).(map[string]any)
		patch := tool.Method == "PATCH"
		// Update and replace tools whose fields the create tool describes list choices in the
		// schema only; the create tool's descriptions name them.
		byReference := strings.Contains(tool.Description, describe.FieldsAsInPrefix)
		walk(top, tool.Name, func(path string, m map[string]any) {
			// PATCH bodies carry no defaults at all.
			if _, ok := m["default"]; ok && patch {
				t.Errorf("%s: a PATCH schema has a default", path)
			}
			desc, _ := m["description"].(string)
			// HTML is gone everywhere.
			for _, bad := range []string{"<br", "<h3", "</", "<a ", "<strong", "**", "&nbsp;", "  "} {
				if strings.Contains(desc, bad) {
					t.Errorf("%s: description keeps %q: %q", path, bad, desc)
				}
			}
			// Enums are listed in the description too: a list's own description says what
			// each entry is (its items repeat nothing). The projection's enum is the field list.
			if items, ok := m["items"].(map[string]any); ok && !strings.HasSuffix(path, "."+toolspec.FieldsProperty) && !byReference {
				if enum, ok := items["enum"].([]any); ok {
					for _, v := range enum {
						if v != nil && !strings.Contains(desc, enumWord(v)) {
							t.Errorf("%s: entry choice %v is not in the list's description %q", path, v, desc)
						}
					}
				}
			}
			// (sort_order's two values explain themselves.)
			if enum, ok := m["enum"].([]any); ok && !strings.HasSuffix(path, "[]") && !strings.HasSuffix(path, "."+schema.PropSortOrder) && !byReference {
				for _, v := range enum {
					if v != nil && !strings.Contains(desc, enumWord(v)) {
						t.Errorf("%s: enum value %v is not in the description %q", path, v, desc)
					}
				}
			}
			// A test prefix never stands in for a value.
			if strings.Contains(desc, "bt_") {
				t.Errorf("%s: description uses the test prefix: %q", path, desc)
			}
			// Conditionally available fields are never required.
			if props, ok := m["properties"].(map[string]any); ok {
				req, _ := m["required"].([]any)
				for _, r := range req {
					p, _ := props[r.(string)].(map[string]any)
					if d, _ := p["description"].(string); strings.Contains(d, text.ConditionMarker) {
						t.Errorf("%s: %s is required but only conditionally available", path, r)
					}
				}
			}
		})
		// Ids and parent ids have the type of the model's (or the parent's) ids where the native
		// schema says; both integer and string without it.
		for name, model := range map[string]string{"id": tool.Model, "parent_id": tool.Parent} {
			p, ok := top["properties"].(map[string]any)[name].(map[string]any)
			if !ok || (name == "id" && tool.Kind != toolspec.KindGet && tool.Kind != toolspec.KindUpdate && tool.Kind != toolspec.KindDelete) {
				continue
			}
			var want any = []any{"integer", "string"}
			if m := nat.Model(model); m != nil && m.IDType != "" {
				want = m.IDType
			}
			if !reflect.DeepEqual(p["type"], want) {
				t.Errorf("%s: %s type = %v, want %v", tool.Name, name, p["type"], want)
			}
		}
		for _, bad := range []string{"<br", "<h3", "**", "Allowed privileges"} {
			if strings.Contains(tool.Description, bad) {
				t.Errorf("%s: tool description keeps %q", tool.Name, bad)
			}
		}
		// readOnly fields of the body are never inputs.
		op := ops[tool.OperationID]
		if op.Body != nil && !op.BodyList {
			props := top["properties"].(map[string]any)
			for name, p := range op.Body.Properties {
				// Nor, in an update, are fields the native schema says cannot change.
				fixed := tool.Kind == toolspec.KindUpdate && nat.Model(tool.Model).Field(name) != nil && !nat.Model(tool.Model).Field(name).Editable
				if _, in := props[name]; in == (p.ReadOnly || fixed) && name != "id" && name != "parent_id" {
					t.Errorf("%s: field %s readOnly=%v fixed=%v but input=%v", tool.Name, name, p.ReadOnly, fixed, in)
				}
				if op.Body.IsRequired(name) && text.IsConditional(p.Description) && !patch {
					conditionalDropped++
				}
			}
		}
	}
	if !pinned(t) {
		return
	}
	if conditionalDropped < 100 {
		t.Errorf("only %d conditionally required fields were made optional; the spec has more than 100", conditionalDropped)
	}

	// Array items that are allOf/$ref models are objects with their fields; lists of child
	// objects with tools of their own point to those instead of inlining them.
	replace := decodeNumbers(t, byName["pfsense_replace_firewall_schedules"].InputSchema).(map[string]any)
	items := replace["properties"].(map[string]any)["objects"].(map[string]any)["items"].(map[string]any)
	if items["type"] != "object" || items["properties"].(map[string]any)["name"] == nil {
		t.Errorf("replace objects items = %v, want objects with a name field", items)
	}
	sched := decodeNumbers(t, byName["pfsense_create_firewall_schedule"].InputSchema).(map[string]any)
	timerange := sched["properties"].(map[string]any)["timerange"].(map[string]any)
	if !reflect.DeepEqual(timerange["items"], map[string]any{"type": "object"}) || !strings.Contains(timerange["description"].(string), "pfsense_create_firewall_schedule_time_range") {
		t.Errorf("timerange = %v, want object entries described by pfsense_create_firewall_schedule_time_range", timerange)
	}
	// Enums in schema and description; readOnly excluded; conditional fields optional.
	for tool, want := range map[string]string{
		"pfsense_create_firewall_alias":                `"type":{"description":"Sets the type of alias this object will be. This directly impacts what values can be specified in the ` + "`address`" + ` field. One of: host, network, port.","enum":["host","network","port"],"type":"string"}`,
		"pfsense_create_firewall_nat_outbound_mapping": `"required":["destination","interface","source"]`,
	} {
		if !strings.Contains(byName[tool].InputSchema, want) {
			t.Errorf("%s schema lacks %s", tool, want)
		}
	}
	if strings.Contains(byName["pfsense_create_vpn_wireguard_tunnel"].InputSchema, `"publickey"`) {
		t.Error("the read-only publickey is an input of pfsense_create_vpn_wireguard_tunnel")
	}
	// Defaults stay on creates, never on PATCH.
	if !strings.Contains(byName["pfsense_create_vpn_wireguard_tunnel"].InputSchema, `"default":1420`) ||
		strings.Contains(byName["pfsense_update_vpn_wireguard_tunnel"].InputSchema, `"default"`) {
		t.Error("the mtu default must be on the create schema and absent from the update schema")
	}
}

// enumWord is how an enum value reads in a description.
func enumWord(v any) string {
	if s, ok := v.(string); ok {
		if s == "" {
			return `""`
		}
		return s
	}
	return fmt.Sprint(v)
}

func TestOutputIsDeterministicAndGofmted(t *testing.T) {
	realSurface(t)
	a, err := Source(specBytes, nativeBytes, "tooldefs")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Source(specBytes, nativeBytes, "tooldefs")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two runs on the same spec gave different output")
	}
	formatted, err := format.Source(a)
	if err != nil || !bytes.Equal(formatted, a) {
		t.Errorf("output is not gofmt'ed (%v)", err)
	}
}

// BenchmarkGenerate runs the whole pipeline (load -> emit) on the real spec.
func BenchmarkGenerate(b *testing.B) {
	spec, err := specfile.Read()
	if err != nil {
		b.Fatal(err)
	}
	nat, err := specfile.ReadNative()
	if err != nil {
		b.Fatal(err)
	}
	var out []byte
	for b.Loop() {
		if out, err = Source(spec, nat, "tooldefs"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "output-bytes")
	b.ReportMetric(float64(len(spec)), "spec-bytes")
}

// TestWhatTheOverlayAndNativeSchemaAdd pins, on the build's spec, what a caller needs and the
// spec alone does not give: placement on rules, append/remove on list fields, reverse on logs,
// async on applies, ids typed and worded per model, complete field lists, list fields named
// in filters, and no cut sentences or broken plurals left.
func TestWhatTheOverlayAndNativeSchemaAdd(t *testing.T) {
	s, byName := realSurface(t)
	schemaOf := func(name string) map[string]any {
		tool, ok := byName[name]
		if !ok {
			t.Fatalf("no tool %s", name)
		}
		return decodeNumbers(t, tool.InputSchema).(map[string]any)["properties"].(map[string]any)
	}
	param := func(name, prop string) toolspec.ParamIn {
		tool := byName[name]
		p, _ := tool.Param(prop)
		return p.In
	}
	for _, name := range []string{"pfsense_create_firewall_rule", "pfsense_update_firewall_rule", "pfsense_create_firewall_nat_port_forward"} {
		p, ok := schemaOf(name)["placement"].(map[string]any)
		if !ok || p["type"] != "integer" || param(name, "placement") != toolspec.InBody {
			t.Errorf("%s: placement = %v (in %q), want an integer body field", name, p, param(name, "placement"))
		}
	}
	if _, ok := schemaOf("pfsense_create_firewall_alias")["placement"]; ok {
		t.Error("placement is offered on aliases, whose order means nothing")
	}
	for _, prop := range []string{"append", "remove"} {
		if p, ok := schemaOf("pfsense_update_firewall_alias")[prop].(map[string]any); !ok || p["type"] != "boolean" {
			t.Errorf("pfsense_update_firewall_alias: %s = %v, want a boolean", prop, p)
		}
	}
	if p, ok := schemaOf("pfsense_list_status_logs_firewall")["reverse"].(map[string]any); !ok || param("pfsense_list_status_logs_firewall", "reverse") != toolspec.InQuery {
		t.Errorf("firewall log reverse = %v, want a query parameter", p)
	}
	if _, ok := schemaOf("pfsense_apply_firewall")["async"]; !ok {
		t.Error("pfsense_apply_firewall has no async")
	}
	for name, want := range map[string]any{"pfsense_get_network_interface": "string", "pfsense_get_firewall_rule": "integer"} {
		id := schemaOf(name)["id"].(map[string]any)
		if nat.Empty() {
			want = []any{"integer", "string"}
		}
		if !reflect.DeepEqual(id["type"], want) {
			t.Errorf("%s id type = %v, want %v", name, id["type"], want)
		}
	}
	if d := schemaOf("pfsense_get_network_interface")["id"].(map[string]any)["description"].(string); !strings.Contains(d, "wan, lan or optN") {
		t.Errorf("interface id description = %q, want it to say ids are names such as lan", d)
	}
	rules := byName["pfsense_list_firewall_rules"]
	if !slices.Contains(rules.ListFields, "interface") {
		t.Errorf("firewall rules' list fields = %v, want interface among them", rules.ListFields)
	}
	if q := schemaOf("pfsense_list_firewall_rules")["query"].(map[string]any)["description"].(string); !strings.Contains(q, "interface") || !strings.Contains(q, "__contains") {
		t.Errorf("firewall rules' query description = %q, want it to say how to match interface", q)
	}
	broken := regexp.MustCompile(`Gatewaies|Certificateses|Statses|cannot contain\.|It is called\.|Creates [A-Za-z ]+ Apply\.`)
	for _, tool := range s.Tools {
		if m := broken.FindString(tool.Description + tool.InputSchema); m != "" {
			t.Errorf("%s keeps the spec's broken text %q", tool.Name, m)
		}
		if tool.Kind != toolspec.KindList {
			continue
		}
		props := decodeNumbers(t, tool.InputSchema).(map[string]any)["properties"].(map[string]any)
		// The projection of a list tool names every field the model returns.
		var want []any
		for _, f := range tool.Fields {
			if f != "id" && f != "parent_id" {
				want = append(want, f)
			}
		}
		fields, ok := props[toolspec.FieldsProperty].(map[string]any)
		if !ok {
			if len(want) > 1 {
				t.Errorf("%s has no fields projection for its %d fields", tool.Name, len(want))
			}
			continue
		}
		if got := fields["items"].(map[string]any)["enum"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s fields enum = %v, want every field %v", tool.Name, got, want)
		}
	}
}

// An operation whose success answer is a file (its only 200 content is not JSON) asks for that
// type: the REST API picks its encoder from Accept and answers 406 to application/json. Which
// operations those are comes from the spec's responses.
func TestFileDownloadsAskForTheirMediaType(t *testing.T) {
	s, _ := realSurface(t)
	var spec struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(specBytes, &spec); err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, tool := range s.Tools {
		content := spec.Paths[tool.Path][strings.ToLower(tool.Method)].Responses["200"].Content
		want := ""
		if len(content) == 1 {
			for mt := range content {
				if mt != "application/json" {
					want = mt
				}
			}
		}
		if tool.Accept != want {
			t.Errorf("%s: Accept %q, want %q (the spec's 200 answer: %v)", tool.Name, tool.Accept, want, content)
		}
		if want != "" {
			files++
		}
	}
	if pinned(t) && files != 1 {
		t.Errorf("%d file downloads, want v2.7.1's one (the PKCS#12 export)", files)
	}
}

// TestCompanionsFollowTheConditionCheck checks which condition fields a create must carry:
// those an absent value fails and their own default meets (Core/Field.inc are_conditions_met:
// === for one value, in_array's loose == for a list; `!` and parent__ conditions never).
func TestCompanionsFollowTheConditionCheck(t *testing.T) {
	nat, err := ParseNative([]byte(`{"version": "v0", "models": {"M": {"class": "M", "many": true, "fields": {
		"static":   {"type": "boolean", "default": false},
		"mode":     {"type": "string", "default": "a"},
		"floating": {"type": "boolean", "default": false},
		"ro":       {"type": "boolean", "default": false, "read_only": true},
		"port":     {"type": "string", "conditions": {"static": false, "mode": "a"}},
		"dir":      {"type": "string", "conditions": {"floating": true}},
		"notmode":  {"type": "string", "conditions": {"!mode": "b"}},
		"loose":    {"type": "string", "conditions": {"floating": [false, true]}},
		"listed":   {"type": "string", "conditions": {"mode": ["a", "c"]}},
		"parent":   {"type": "string", "conditions": {"parent__static": false}},
		"fromro":   {"type": "string", "conditions": {"ro": false}}
	}}}, "endpoints": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := Companions(nat.Model("M"), nil)
	want := map[string]string{
		"port":   `{"mode":"a","static":false}`, // both fail when absent, both defaults meet them
		"listed": `{"mode":"a"}`,                // "a" is in the list, null is not (loosely)
		// dir: the default false does not meet floating=true; notmode: absent passes `!`;
		// loose: null == false in in_array; parent: the parent's; fromro: read-only.
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Companions = %v, want %v", got, want)
	}
	if Companions(nil, nil) != nil {
		t.Error("Companions(nil) is not nil")
	}
	// In declaration order, a condition field declared first has its default when port is
	// checked: only the later one is needed.
	order := []string{"mode", "port", "static", "floating", "ro", "dir", "notmode", "loose", "listed", "parent", "fromro"}
	if got := Companions(nat.Model("M"), order); !reflect.DeepEqual(got, map[string]string{"port": `{"static":false}`}) {
		t.Errorf("Companions in declaration order = %v", got)
	}
}
