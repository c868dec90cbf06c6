package naming

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func TestWords(t *testing.T) {
	for in, want := range map[string][]string{
		"FirewallAliases":               {"firewall", "aliases"},
		"DiagnosticsARPTable":           {"diagnostics", "arp", "table"},
		"InterfaceVLANs":                {"interface", "vlans"},
		"VPNIPsecPhase1Encryptions":     {"vpn", "ipsec", "phase1", "encryptions"},
		"VPNIPsecPhase2s":               {"vpn", "ipsec", "phase2s"},
		"VPNWireGuardPeerAllowedIPs":    {"vpn", "wireguard", "peer", "allowed", "ips"},
		"VPNOpenVPNCSOs":                {"vpn", "openvpn", "csos"},
		"ServicesHAProxyBackendACLs":    {"services", "haproxy", "backend", "acls"},
		"GraphQL":                       {"graphql"},
		"ServicesFreeRADIUSUsers":       {"services", "freeradius", "users"},
		"SystemRESTAPIAccessListEntry":  {"system", "restapi", "access", "list", "entry"},
		"SystemWebGUISettings":          {"system", "webgui", "settings"},
		"SystemCertificatePKCS12Export": {"system", "certificate", "pkcs12", "export"},
		"FirewallVirtualIPApply":        {"firewall", "virtual", "ip", "apply"},
		"StatusIPsecChildSAs":           {"status", "ipsec", "child", "sas"},
		"ServicesWakeOnLANSend":         {"services", "wake", "on", "lan", "send"},
		"FirewallNATOneToOneMapping":    {"firewall", "nat", "one", "to", "one", "mapping"},
		"AuthJWT":                       {"auth", "jwt"},
		"StatusCARP":                    {"status", "carp"},
		"SystemCRLs":                    {"system", "crls"},
		"InterfaceLAGGs":                {"interface", "laggs"},
		"InterfaceGREs":                 {"interface", "gres"},
		"ServicesDNSResolverSettings":   {"services", "dns", "resolver", "settings"},
	} {
		if got := Words(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct {
		id, method string
		kind       toolspec.Kind
		want       string
	}{
		// list and get: plural and singular GET.
		{"getFirewallAliasesEndpoint", "GET", toolspec.KindList, "pfsense_list_firewall_aliases"},
		{"getFirewallAliasEndpoint", "GET", toolspec.KindGet, "pfsense_get_firewall_alias"},
		{"getInterfaceVLANsEndpoint", "GET", toolspec.KindList, "pfsense_list_interface_vlans"},
		{"getInterfaceVLANEndpoint", "GET", toolspec.KindGet, "pfsense_get_interface_vlan"},
		{"getServicesHAProxyFiles", "GET", toolspec.KindList, "pfsense_list_services_haproxy_files"}, // no Endpoint suffix in the spec.
		// create, update, replace, delete.
		{"postFirewallAliasEndpoint", "POST", toolspec.KindCreate, "pfsense_create_firewall_alias"},
		{"patchFirewallAliasEndpoint", "PATCH", toolspec.KindUpdate, "pfsense_update_firewall_alias"},
		{"putFirewallAliasesEndpoint", "PUT", toolspec.KindReplace, "pfsense_replace_firewall_aliases"},
		{"deleteFirewallAliasEndpoint", "DELETE", toolspec.KindDelete, "pfsense_delete_firewall_alias"},
		{"deleteFirewallAliasesEndpoint", "DELETE", toolspec.KindDelete, "pfsense_delete_firewall_aliases"},
		// settings and status.
		{"getSystemWebGUISettingsEndpoint", "GET", toolspec.KindSettings, "pfsense_get_system_webgui_settings"},
		{"patchSystemWebGUISettingsEndpoint", "PATCH", toolspec.KindSettings, "pfsense_update_system_webgui_settings"},
		{"getSystemVersionEndpoint", "GET", toolspec.KindStatus, "pfsense_get_system_version"},
		// apply and apply status.
		{"postFirewallApplyEndpoint", "POST", toolspec.KindApply, "pfsense_apply_firewall"},
		{"getFirewallApplyEndpoint", "GET", toolspec.KindApplyStatus, "pfsense_get_firewall_apply_status"},
		{"postVPNWireGuardApplyEndpoint", "POST", toolspec.KindApply, "pfsense_apply_vpn_wireguard"},
		// actions.
		{"postDiagnosticsRebootEndpoint", "POST", toolspec.KindAction, "pfsense_reboot_system"},
		{"postGraphQLEndpoint", "POST", toolspec.KindAction, "pfsense_run_graphql_query"},
		{"postSystemCertificateRenewEndpoint", "POST", toolspec.KindAction, "pfsense_renew_system_certificate"},
		{"postSystemCertificatePKCS12ExportEndpoint", "POST", toolspec.KindAction, "pfsense_export_system_certificate_pkcs12"},
		{"postNewThingEndpoint", "POST", toolspec.KindAction, "pfsense_run_new_thing"},
	} {
		got, err := Name(tc.id, tc.method, tc.kind)
		if err != nil || got != tc.want {
			t.Errorf("Name(%s, %s, %s) = %q, %v; want %q", tc.id, tc.method, tc.kind, got, err, tc.want)
		}
	}
}

func TestNameRejectsWhatItCannotName(t *testing.T) {
	for _, tc := range []struct {
		id, method string
		kind       toolspec.Kind
		wantErr    string
	}{
		{"getFirewallAliasEndpoint", "POST", toolspec.KindCreate, `does not start with "post"`},
		{"getEndpoint", "GET", toolspec.KindGet, "no resource words"},
		{"getFirewallRulesEndpoint", "GET", toolspec.KindApplyStatus, "must end in Apply"},
		{"getFirewallRulesEndpoint", "OPTIONS", toolspec.KindGet, "unsupported method"},
		{"getFirewallRulesEndpoint", "GET", toolspec.Kind("mystery"), "unknown kind"},
	} {
		_, err := Name(tc.id, tc.method, tc.kind)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Name(%s, %s, %s) error = %v, want it to contain %q", tc.id, tc.method, tc.kind, err, tc.wantErr)
		}
	}
}

func TestValidate(t *testing.T) {
	type pair = struct{ Name, OperationID string }
	long := "pfsense_" + strings.Repeat("x", 57)
	err := Validate([]pair{
		{"pfsense_get_a", "getAEndpoint"},
		{"pfsense_get_a", "getA2Endpoint"},
		{"pfsense_Get-b", "getBEndpoint"},
		{long, "getLongEndpoint"},
	})
	if err == nil {
		t.Fatal("Validate accepted a duplicate, an invalid and an over-long name")
	}
	for _, want := range []string{
		"pfsense_get_a: both getAEndpoint and getA2Endpoint map to this name",
		"pfsense_Get-b (getBEndpoint): only [a-z0-9_] is allowed",
		long + " (getLongEndpoint): 65 characters, at most 64 are allowed",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q does not mention %q", err, want)
		}
	}
	if err := Validate([]pair{{"pfsense_get_a", "x"}, {"pfsense_" + strings.Repeat("y", 56), "y"}}); err != nil {
		t.Errorf("Validate rejected valid names: %v", err)
	}
}

func TestTitle(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind toolspec.Kind
		want string
	}{
		{"pfsense_list_firewall_aliases", toolspec.KindList, "List firewall aliases"},
		{"pfsense_apply_firewall", toolspec.KindApply, "Apply pending firewall changes"},
		{"pfsense_get_vpn_ipsec_apply_status", toolspec.KindApplyStatus, "Get pending VPN IPsec changes"},
		{"pfsense_create_services_haproxy_backend_acl", toolspec.KindCreate, "Create HAProxy backend ACL"},
		{"pfsense_update_system_restapi_settings", toolspec.KindSettings, "Update system REST API settings"},
		{"pfsense_export_system_certificate_pkcs12", toolspec.KindAction, "Export system certificate PKCS#12"},
		{"pfsense_delete_interface_vlans", toolspec.KindDelete, "Delete interface VLANs"},
	} {
		if got := Title(tc.name, tc.kind); got != tc.want {
			t.Errorf("Title(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
