package describe

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func TestTool(t *testing.T) {
	for _, tc := range []struct {
		name  string
		facts Facts
		want  string
	}{
		{"list", Facts{Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing Firewall Aliases.<br>"}},
			"Reads all existing Firewall Aliases. Answers are paged: 50 objects by default, at most 500 (limit); continue with offset."},
		{"child list", Facts{Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing WireGuard Peer Allowed IPs.<br>"},
			Model: &normalize.Model{Name: "WireGuardPeerAllowedIP", Parent: "WireGuardPeer"}},
			"Reads all existing WireGuard Peer Allowed IPs. Answers are paged: 50 objects by default, at most 500 (limit); continue with offset." +
				" Each WireGuardPeerAllowedIP belongs to a WireGuardPeer object: parent_id is that object's id." +
				` To list one parent's objects, filter with query {"parent_id": <id>}.`},
		{"log list", Facts{Log: true, Op: &normalize.Operation{Kind: toolspec.KindList, Summary: "Reads all existing Firewall Logs.<br>"}},
			"Reads all existing Firewall Logs. Log entries are long and numerous: answers are paged, 50 entries by default and at most 200 (limit); continue with offset."},
		{"plural delete: the spec's warning is replaced by a precise one", Facts{
			Op:        &normalize.Operation{Kind: toolspec.KindDelete, Plural: true, Summary: "Deletes multiple existing Firewall Aliases using a query.<br><br>WARNING: This will delete all objects that match the query, use with caution.<br>"},
			ApplyTool: "pfsense_apply_firewall"},
			"Deletes multiple existing Firewall Aliases using a query. " + DeleteByQuery + " Changes are pending until you call pfsense_apply_firewall."},
		{"child delete with inline apply and a package", Facts{
			Op: &normalize.Operation{Kind: toolspec.KindDelete, Summary: "Deletes an existing HAProxy Backend ACL.<br>", RequiredPackages: []string{"pfSense-pkg-haproxy"},
				Params: []*normalize.Param{{Name: "apply"}}},
			Model:     &normalize.Model{Name: "HAProxyBackendACL", Parent: "HAProxyBackend"},
			ApplyTool: "pfsense_apply_services_haproxy"},
			"Deletes an existing HAProxy Backend ACL. " + DeleteByIndex +
				" Each HAProxyBackendACL belongs to a HAProxyBackend object: parent_id is that object's id. Requires the pfSense-pkg-haproxy package." +
				" Changes are pending until you call pfsense_apply_services_haproxy. Or set apply=true to apply this deletion at once."},
		{"BasicAuth only, sentence completed", Facts{Op: &normalize.Operation{Kind: toolspec.KindAction, Summary: "Creates REST API JWT<br>", AuthModes: []string{"BasicAuth"}}},
			"Creates REST API JWT. " + BasicAuthOnly},
		{"dangerous", Facts{Op: &normalize.Operation{Kind: toolspec.KindAction, Summary: "Reboots the system.<br>"}, DangerousReason: "Reboots the firewall."},
			"Reboots the system. Dangerous: Reboots the firewall."},
		{"update", Facts{Op: &normalize.Operation{Kind: toolspec.KindUpdate, Summary: "Updates an existing Firewall Alias.<br>"}},
			"Updates an existing Firewall Alias. " + Update},
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
