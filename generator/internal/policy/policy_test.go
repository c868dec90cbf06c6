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
		want        a
	}{
		{toolspec.KindList, "GET", "GET /api/v2/firewall/aliases", a{ReadOnly: true, Idempotent: true}},
		{toolspec.KindSettings, "GET", "GET /api/v2/system/webgui/settings", a{ReadOnly: true, Idempotent: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/diagnostics/ping", a{ReadOnly: true, Idempotent: true, OpenWorld: true}},
		{toolspec.KindCreate, "POST", "POST /api/v2/firewall/alias", a{}},
		{toolspec.KindCreate, "POST", "POST /api/v2/system/package", a{OpenWorld: true}},
		{toolspec.KindUpdate, "PATCH", "PATCH /api/v2/firewall/alias", a{Destructive: true, Idempotent: true}},
		{toolspec.KindSettings, "PATCH", "PATCH /api/v2/system/restapi/version", a{Destructive: true, Idempotent: true, OpenWorld: true}},
		{toolspec.KindReplace, "PUT", "PUT /api/v2/firewall/aliases", a{Destructive: true, Idempotent: true}},
		{toolspec.KindDelete, "DELETE", "DELETE /api/v2/firewall/alias", a{Destructive: true}},
		{toolspec.KindApply, "POST", "POST /api/v2/firewall/apply", a{Idempotent: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/diagnostics/reboot", a{Destructive: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/status/service", a{Destructive: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/services/acme/certificate/issue", a{OpenWorld: true}},
		{toolspec.KindAction, "POST", "POST /api/v2/system/certificate/generate", a{}},
	} {
		if got := Annotations(tc.kind, tc.method, tc.key); got != tc.want {
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

func TestEveryDangerousReasonIsOneSentence(t *testing.T) {
	for key, reason := range Dangerous {
		if reason == "" || reason[len(reason)-1] != '.' || reason[0] < 'A' || reason[0] > 'Z' {
			t.Errorf("%s: reason %q should be one capitalized sentence", key, reason)
		}
	}
}
