package describe

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/overlay"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// nativeAlias is a native schema with a model whose name is fixed after creation and a model
// keyed by names.
func nativeAlias(t *testing.T) *native.Schema {
	t.Helper()
	s, err := native.Parse([]byte(`{"version":"v0","models":{` +
		`"Alias":{"id_type":"integer","fields":{"name":{"type":"string","editable":false},"descr":{"type":"string","editable":true},"created":{"type":"integer","editable":false,"read_only":true}}},` +
		`"Iface":{"id_type":"string","fields":{}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustOverlay(t *testing.T, js string) *overlay.Overlay {
	t.Helper()
	o, err := overlay.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestTool(t *testing.T) {
	for _, tc := range []struct {
		name  string
		facts Facts
		want  string
	}{
		{"list: paging is said once, in the server instructions", Facts{Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing Firewall Aliases.<br>"}},
			"Reads all existing Firewall Aliases."},
		{"child list", Facts{Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing WireGuard Peer Allowed IPs.<br>"},
			Model: &normalize.Model{Name: "WireGuardPeerAllowedIP", Parent: "WireGuardPeer"}},
			"Reads all existing WireGuard Peer Allowed IPs." +
				` Each WireGuardPeerAllowedIP belongs to a WireGuardPeer (parent_id): to list one parent's, filter with query {"parent_id": <id>}.`},
		{"log list", Facts{Log: true, Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing Firewall Logs.<br>"}},
			"Reads all existing Firewall Logs. Oldest first: reverse: true for the newest; at most 200 per page."},
		{"broken plurals are repaired", Facts{Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing Routing Gatewaies, Interface Statses and HAProxy Frontend Certificateses.<br>"}},
			"Reads all existing Routing Gateways, Interface Stats and HAProxy Frontend Certificates."},
		{"apply tools are described from their title", Facts{Op: &normalize.Operation{Kind: toolspec.KindApply, Summary: "Creates Routing Apply.<br>"}, Title: "Apply pending routing changes"},
			"Applies the pending routing changes, so that they take effect."},
		{"apply status", Facts{Op: &normalize.Operation{Kind: toolspec.KindApplyStatus, Summary: "Reads current Routing Apply.<br>"}, Title: "Get pending routing changes"},
			"Whether routing changes are pending: applied is false until they are applied."},
		{"a cut last sentence is dropped", Facts{Op: &normalize.Operation{Kind: toolspec.KindGet, Summary: "Reads a thing. It is called <br>"}},
			"Reads a thing."},
		{"plural delete: the spec's warning is replaced by a precise one", Facts{
			Op:        &normalize.Operation{Kind: toolspec.KindDelete, Plural: true, Summary: "Deletes multiple existing Firewall Aliases using a query.<br><br>WARNING: This will delete all objects that match the query, use with caution.<br>"},
			ApplyTool: "pfsense_apply_firewall"},
			"Deletes multiple existing Firewall Aliases using a query. " + DeleteByQuery + " Changes are pending until you call pfsense_apply_firewall."},
		{"child delete with inline apply and a package", Facts{
			Op: &normalize.Operation{Kind: toolspec.KindDelete, Summary: "Deletes an existing HAProxy Backend ACL.<br>", RequiredPackages: []string{"pfSense-pkg-haproxy"},
				Params: []*normalize.Param{{Name: "apply"}}},
			Model:     &normalize.Model{Name: "HAProxyBackendACL", Parent: "HAProxyBackend"},
			ApplyTool: "pfsense_apply_services_haproxy"},
			"Deletes an existing HAProxy Backend ACL. " + DeleteByIndex + " Requires the pfSense-pkg-haproxy package." +
				" Changes are pending until you call pfsense_apply_services_haproxy. Or set apply: true to apply it at once."},
		{"BasicAuth only, sentence completed", Facts{Op: &normalize.Operation{Kind: toolspec.KindAction, Summary: "Creates REST API JWT<br>", AuthModes: []string{"BasicAuth"}}},
			"Creates REST API JWT. " + BasicAuthOnly},
		{"dangerous", Facts{Op: &normalize.Operation{Kind: toolspec.KindAction, Summary: "Reboots the system.<br>"}, DangerousReason: "Reboots the firewall."},
			"Reboots the system. Dangerous: Reboots the firewall."},
		{"update", Facts{Op: &normalize.Operation{Kind: toolspec.KindUpdate, Summary: "Updates an existing Firewall Alias.<br>"}},
			"Updates an existing Firewall Alias. " + Update},
		{"update of a model with a create tool and fixed fields", Facts{Op: &normalize.Operation{Kind: toolspec.KindUpdate, Model: "Alias", Summary: "Updates an existing Firewall Alias.<br>"},
			CreateTool: "pfsense_create_alias", Native: nativeAlias(t)},
			"Updates an existing Firewall Alias. " + Update + " The fields mean what pfsense_create_alias says. Fixed after creation (not offered here): `name`."},
		{"deleting a named object shifts nothing", Facts{Op: &normalize.Operation{Kind: toolspec.KindDelete, Model: "Iface", Summary: "Deletes an interface.<br>"}, Native: nativeAlias(t)},
			"Deletes an interface."},
		{"the overlay's hints for the model's tools", Facts{Op: &normalize.Operation{Kind: toolspec.KindCreate, Model: "Alias", Summary: "Creates an alias.<br>"},
			Overlay: mustOverlay(t, `{"hints":[{"model":"Alias","kinds":["create"],"text":"Names are unique.","fact":"f","source":"s"},`+
				`{"model":"Alias","kinds":["list"],"text":"Not here.","fact":"f","source":"s"}]}`)},
			"Creates an alias. Names are unique."},
		{"settings PATCH", Facts{Op: &normalize.Operation{Kind: toolspec.KindSettings, Method: "PATCH", Summary: "Updates current NTP Settings.<br>"}},
			"Updates current NTP Settings. " + Update},
		{"settings GET", Facts{Op: &normalize.Operation{Kind: toolspec.KindSettings, Method: "GET", Summary: "Reads current NTP Settings.<br>"}},
			"Reads current NTP Settings."},
		{"replace", Facts{Op: &normalize.Operation{Kind: toolspec.KindReplace, Summary: "Replaces all existing Firewall Aliases.<br>"}},
			"Replaces all existing Firewall Aliases. " + Replace},
		{"paths in the text name their tools", Facts{
			Op: &normalize.Operation{Kind: toolspec.KindGet, Method: "GET", Summary: "Please use the /api/v2/firewall/states endpoint. See /api/v2/unknown too.<br>"},
			PathTool: func(path, method string) string {
				if path == "/api/v2/firewall/states" && method == "GET" {
					return "pfsense_list_firewall_states"
				}
				return ""
			}},
			"Please use the /api/v2/firewall/states (pfsense_list_firewall_states) endpoint. See /api/v2/unknown too."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tool(tc.facts); got != tc.want {
				t.Errorf("Tool\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPackages(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"pfSense-pkg-acme"}, "Requires the pfSense-pkg-acme package."},
		{[]string{"a", "b", "c"}, "Requires the packages a, b and c."},
	} {
		if got := Packages(tc.in); got != tc.want {
			t.Errorf("Packages(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
