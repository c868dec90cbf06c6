package generate

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func TestApplyToolIsTheLongestSubsystemPrefix(t *testing.T) {
	subsystems := map[string]string{
		"/api/v2/firewall":             "pfsense_apply_firewall",
		"/api/v2/firewall/virtual_ip":  "pfsense_apply_firewall_virtual_ip",
		"/api/v2/interface":            "pfsense_apply_interface",
		"/api/v2/services/dhcp_server": "pfsense_apply_services_dhcp_server",
	}
	for path, want := range map[string]string{
		"/api/v2/firewall/alias":                      "pfsense_apply_firewall",
		"/api/v2/firewall/virtual_ip":                 "pfsense_apply_firewall_virtual_ip",
		"/api/v2/firewall/virtual_ips":                "pfsense_apply_firewall_virtual_ip",
		"/api/v2/interfaces":                          "pfsense_apply_interface",
		"/api/v2/services/dhcp_servers":               "pfsense_apply_services_dhcp_server",
		"/api/v2/services/dhcp_server/static_mapping": "pfsense_apply_services_dhcp_server",
		"/api/v2/services/dhcp_relay":                 "",
		"/api/v2/system/hostname":                     "",
	} {
		if got := ApplyTool(path, subsystems); got != want {
			t.Errorf("ApplyTool(%s) = %q, want %q", path, got, want)
		}
	}
}

func TestReadTool(t *testing.T) {
	reads := map[string]string{
		"/api/v2/firewall/alias":         "pfsense_get_firewall_alias",
		"/api/v2/firewall/aliases":       "pfsense_list_firewall_aliases",
		"/api/v2/system/webgui/settings": "pfsense_get_system_webgui_settings",
		"/api/v2/status/services":        "pfsense_list_status_services",
	}
	for _, tc := range []struct {
		op   normalize.Operation
		want string
	}{
		{normalize.Operation{Method: "PATCH", Path: "/api/v2/firewall/alias", Kind: toolspec.KindUpdate}, "pfsense_get_firewall_alias"},
		{normalize.Operation{Method: "DELETE", Path: "/api/v2/firewall/alias", Kind: toolspec.KindDelete}, "pfsense_get_firewall_alias"},
		{normalize.Operation{Method: "POST", Path: "/api/v2/firewall/alias", Kind: toolspec.KindCreate}, ""},
		{normalize.Operation{Method: "PUT", Path: "/api/v2/firewall/aliases", Kind: toolspec.KindReplace, Plural: true}, "pfsense_list_firewall_aliases"},
		{normalize.Operation{Method: "DELETE", Path: "/api/v2/firewall/aliases", Kind: toolspec.KindDelete, Plural: true}, "pfsense_list_firewall_aliases"},
		{normalize.Operation{Method: "PATCH", Path: "/api/v2/system/webgui/settings", Kind: toolspec.KindSettings}, "pfsense_get_system_webgui_settings"},
		{normalize.Operation{Method: "GET", Path: "/api/v2/system/webgui/settings", Kind: toolspec.KindSettings}, ""},
		{normalize.Operation{Method: "DELETE", Path: "/api/v2/auth/key", Kind: toolspec.KindDelete}, ""}, // no GET on the path
		// An action on an existing object, named by id, is read from its list.
		{normalize.Operation{Method: "POST", Path: "/api/v2/status/service", Kind: toolspec.KindAction, Body: &normalize.Schema{Required: []string{"id"}}}, "pfsense_list_status_services"},
		{normalize.Operation{Method: "POST", Path: "/api/v2/diagnostics/ping", Kind: toolspec.KindAction, Body: &normalize.Schema{}}, ""},
	} {
		if got := ReadTool(&tc.op, reads); got != tc.want {
			t.Errorf("ReadTool(%s) = %q, want %q", tc.op.Key(), got, tc.want)
		}
	}
}

func TestPathTool(t *testing.T) {
	states := map[string]string{"GET": "pfsense_list_firewall_states", "DELETE": "pfsense_delete_firewall_states"}
	register := map[string]string{"POST": "pfsense_register_services_acme_account_key"}
	for _, tc := range []struct {
		byMethod map[string]string
		method   string
		want     string
	}{
		{states, "DELETE", "pfsense_delete_firewall_states"},
		{states, "GET", "pfsense_list_firewall_states"},
		{states, "PATCH", "pfsense_list_firewall_states"},
		{register, "GET", "pfsense_register_services_acme_account_key"},
		{nil, "GET", ""},
	} {
		if got := PathTool(tc.byMethod, tc.method); got != tc.want {
			t.Errorf("PathTool(%v, %s) = %q, want %q", tc.byMethod, tc.method, got, tc.want)
		}
	}
}
