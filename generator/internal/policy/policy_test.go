package policy

import (
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func TestAnnotations(t *testing.T) {
	type a = toolspec.Annotations
	for _, tc := range []struct {
		kind        toolspec.Kind
		method, key string
		dangerous   bool
		want        a
	}{
		{toolspec.KindList, "GET", "GET /api/v2/firewall/aliases", false, a{ReadOnly: true, Idempotent: true}},
		{toolspec.KindSettings, "GET", "GET /api/v2/system/webgui/settings", false, a{ReadOnly: true, Idempotent: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/diagnostics/ping", false, a{ReadOnly: true, Idempotent: true, OpenWorld: true}},
		{toolspec.KindCreate, "POST", "POST /api/v2/firewall/alias", false, a{}},
		{toolspec.KindCreate, "POST", "POST /api/v2/system/package", false, a{OpenWorld: true}},
		{toolspec.KindUpdate, "PATCH", "PATCH /api/v2/firewall/alias", false, a{Destructive: true, Idempotent: true}},
		{toolspec.KindSettings, "PATCH", "PATCH /api/v2/system/restapi/version", false, a{Destructive: true, Idempotent: true, OpenWorld: true}},
		{toolspec.KindReplace, "PUT", "PUT /api/v2/firewall/aliases", false, a{Destructive: true, Idempotent: true}},
		{toolspec.KindDelete, "DELETE", "DELETE /api/v2/firewall/alias", false, a{Destructive: true}},
		{toolspec.KindApply, "POST", "POST /api/v2/firewall/apply", false, a{Idempotent: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/diagnostics/reboot", true, a{Destructive: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/status/service", false, a{Destructive: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/services/acme/certificate/issue", false, a{OpenWorld: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/system/certificate/generate", false, a{}},
	} {
		if got := Annotations(tc.kind, tc.method, tc.key, tc.dangerous); got != tc.want {
			t.Errorf("Annotations(%s, %s) = %+v, want %+v", tc.kind, tc.key, got, tc.want)
		}
	}
}

func TestMutation(t *testing.T) {
	for key, want := range map[string]bool{
		"GET /api/v2/firewall/aliases":           false,
		"POST /api/v2/diagnostics/ping":          false,
		"POST /api/v2/firewall/alias":            true,
		"PATCH /api/v2/system/hostname":          true,
		"DELETE /api/v2/firewall/alias":          true,
		"PUT /api/v2/firewall/aliases":           true,
		"POST /api/v2/graphql":                   true,
		"POST /api/v2/vpn/openvpn/client_export": true,
	} {
		method, _, _ := strings.Cut(key, " ")
		if got := Mutation(method, key); got != want {
			t.Errorf("Mutation(%s) = %v, want %v", key, got, want)
		}
	}
}
