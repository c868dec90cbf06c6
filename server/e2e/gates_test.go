package e2e_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/discovery"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

var everything = inventory.Options{AllowWrites: true, AllowDangerous: true}

// sampleArgs returns valid arguments for t: ids 0 (or lan, for named ones), entries of child
// lists as their create tool describes them and, for plural deletes, a filter on a real field
// that matches nothing.
func sampleArgs(t *testing.T, inv *inventory.Inventory, tool *toolspec.Tool) map[string]any {
	t.Helper()
	values := argsample.IDs(tool.InputSchema)
	if p, ok := tool.Param("query"); ok && p.In == toolspec.InQueryMap && len(tool.Fields) > 0 {
		for _, f := range tool.Fields {
			if !slices.Contains(tool.Secrets, f) { // filters on secrets are refused
				values["query"] = map[string]any{f: "bt_matches_nothing"}
				break
			}
		}
	}
	byName := func(n string) *toolspec.Tool { c, _ := inv.ByName(n); return c }
	args, err := argsample.Sample(tool.InputSchema, argsample.Options{Values: values, Entries: argsample.Entries(tool, byName)})
	if err != nil {
		t.Fatalf("%s: %v", tool.Name, err)
	}
	return args
}

// The meta-test: every mutating tool, called without confirm, answers with a preview and sends
// nothing but reads to the firewall.
func TestEveryMutationPassesTheConfirmGate(t *testing.T) {
	s := newStack(t, everything, config.ModeFull)
	mutations := 0
	for _, tool := range s.d.Inventory().Exposed() {
		if !tool.Mutation {
			continue
		}
		mutations++
		s.rec.reset()
		r, out := s.call(t, tool.Name, sampleArgs(t, s.d.Inventory(), tool))
		if r.IsError {
			t.Errorf("%s without confirm: error instead of a preview: %s", tool.Name, r.Text)
			continue
		}
		if out["preview"] != true || !strings.Contains(out["note"].(string), "Nothing was changed") {
			t.Errorf("%s without confirm: not a preview: %s", tool.Name, r.Text)
		}
		if m := s.rec.mutating(); len(m) > 0 {
			t.Errorf("%s without confirm sent %v", tool.Name, m)
		}
	}
	// Every mutation of the table was checked (every operation but the GETs and POST
	// /diagnostics/ping, which only reads).
	want := 0
	for _, tool := range tooldefs.Tools {
		if tool.Mutation {
			want++
		}
	}
	if mutations != want || mutations == 0 {
		t.Errorf("checked %d mutating tools, want the table's %d", mutations, want)
	}
	previews := strings.Count(s.audit.String(), `"outcome":"previewed"`)
	if previews != mutations {
		t.Errorf("the audit log has %d previews, want %d", previews, mutations)
	}
}

// In discovery mode the listed tools reach every operation through the call tools: reads
// through one, changes through the other.
func TestDiscoveryReachesEveryOperation(t *testing.T) {
	s := newStack(t, everything, config.ModeDiscovery)
	for _, tool := range s.d.Inventory().Exposed() {
		call, other := discovery.CallReadName, discovery.CallChangeName
		if tool.Mutation {
			call, other = other, call
		}
		r, _ := s.call(t, call, map[string]any{"name": tool.Name, "arguments": sampleArgs(t, s.d.Inventory(), tool)})
		for _, bad := range []string{"there is no tool", "is not available", "Invalid arguments"} {
			if strings.Contains(r.Text, bad) {
				t.Errorf("%s %s: %s", call, tool.Name, r.Text)
			}
		}
		if r.IsError && !strings.HasPrefix(r.Text, "pfSense rejected the request") {
			t.Errorf("%s %s failed before reaching the firewall: %s", call, tool.Name, r.Text)
		}
		// The other call tool refuses it, naming the right one.
		if r, _ := s.call(t, other, map[string]any{"name": tool.Name}); !r.IsError || !strings.Contains(r.Text, "run it with "+call) {
			t.Errorf("%s %s: %s; want a refusal naming %s", other, tool.Name, r.Text, call)
		}
	}
	if n := len(s.d.Inventory().Exposed()); n != len(tooldefs.Tools) {
		t.Errorf("discovery reaches %d tools, want all %d", n, len(tooldefs.Tools))
	}
	r, out := s.call(t, "pfsense_search_tools", map[string]any{"query": "add wireguard peer"})
	if r.IsError || !strings.Contains(r.Text, `"name":"pfsense_create_vpn_wireguard_peer"`) {
		t.Errorf("search: %s", r.Text)
	}
	_ = out
	r, _ = s.call(t, "pfsense_search_tools", map[string]any{"query": "security audit weaknesses"})
	if r.IsError || !strings.Contains(r.Text, `"tools":[{"name":"pfsense_security_audit"`) {
		t.Errorf("search for the audit: %s", r.Text)
	}
	r, out = s.call(t, discovery.CallReadName, map[string]any{"name": "pfsense_security_audit"})
	if r.IsError || out["summary"] == nil {
		t.Errorf("audit through call_tool: %s", r.Text)
	}
	r, _ = s.call(t, "pfsense_describe_tool", map[string]any{"name": "pfsense_create_firewall_alias"})
	if r.IsError || !strings.Contains(r.Text, `"input_schema":{"additionalProperties":false`) || !strings.Contains(r.Text, `"apply_tool":"pfsense_apply_firewall"`) {
		t.Errorf("describe: %s", r.Text)
	}
}

// pfSense deletes every object when a plural DELETE filters on an unknown field; the server
// refuses such a filter, and deletes exactly the matching objects with a real one.
func TestBulkDeleteHazardIsGuarded(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	for _, name := range []string{"bt_one", "bt_two"} {
		if r, _ := s.confirmed(t, "pfsense_create_firewall_alias", map[string]any{"name": name, "type": "host", "address": []any{"10.1.1.1"}}); r.IsError {
			t.Fatal(r.Text)
		}
	}
	count := func() float64 {
		_, out := s.call(t, "pfsense_list_firewall_aliases", nil)
		return out["total"].(float64)
	}
	before := count()
	s.rec.reset()
	r, _ := s.call(t, "pfsense_delete_firewall_aliases", map[string]any{"query": map[string]any{"nmae__startswith": "bt_"}, "confirm": true})
	if !r.IsError || !strings.Contains(r.Text, `refused because "nmae" is not a field of FirewallAlias: pfSense ignores filters on unknown fields, so this delete would remove EVERY FirewallAlias`) {
		t.Fatalf("misspelled filter: %s", r.Text)
	}
	if m := s.rec.mutating(); len(m) != 0 || count() != before {
		t.Fatalf("the refused delete reached the firewall: %v", m)
	}
	r, out := s.call(t, "pfsense_delete_firewall_aliases", map[string]any{"query": map[string]any{"name__startswith": "bt_"}})
	if r.IsError || out["would_delete_count"] != 2.0 {
		t.Fatalf("preview: %s", r.Text)
	}
	r, _ = s.confirmed(t, "pfsense_delete_firewall_aliases", map[string]any{"query": map[string]any{"name__startswith": "bt_"}})
	if r.IsError || count() != before-2 {
		t.Fatalf("confirmed delete: %s; %v aliases left of %v", r.Text, count(), before)
	}
}

// Previews read the current object from the firewall and say what would change.
func TestUpdatePreviewShowsTheCurrentObjectAndTheChanges(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, cur := s.call(t, "pfsense_get_firewall_alias", map[string]any{"id": 0.0})
	obj := cur["data"].(map[string]any)
	r, out := s.call(t, "pfsense_update_firewall_alias", map[string]any{"id": 0.0, "descr": "changed by the preview test", "type": obj["type"]})
	if r.IsError {
		t.Fatal(r.Text)
	}
	ch := out["changes"].(map[string]any)
	if len(ch) != 1 || ch["descr"].(map[string]any)["from"] != obj["descr"] || ch["descr"].(map[string]any)["to"] != "changed by the preview test" {
		t.Errorf("changes = %v", ch)
	}
	if out["current"].(map[string]any)["name"] != obj["name"] || !strings.HasPrefix(fmt.Sprint(out["then"]), "After confirming, call pfsense_apply_firewall to apply the change") {
		t.Errorf("preview = %s", r.Text)
	}
	_, again := s.call(t, "pfsense_get_firewall_alias", map[string]any{"id": 0.0})
	if again["data"].(map[string]any)["descr"] != obj["descr"] {
		t.Error("the preview changed the alias")
	}
}

// A change leaves its subsystem pending until the apply tool named in the answer runs.
func TestApplyReminderAndPendingChanges(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeFull)
	_, out := s.call(t, "pfsense_pending_changes", nil)
	if out["summary"] != "nothing is waiting to be applied" {
		t.Fatalf("fresh simulator: %v", out["summary"])
	}
	r, out := s.confirmed(t, "pfsense_create_firewall_alias", map[string]any{"name": "bt_e2e", "type": "host", "address": []any{"10.9.9.9"}})
	if r.IsError || !strings.HasPrefix(fmt.Sprint(out["next_step"]), "The change is pending: call pfsense_apply_firewall to apply it") {
		t.Fatalf("create: %s", r.Text)
	}
	_, out = s.call(t, "pfsense_pending_changes", nil)
	if !strings.HasPrefix(out["summary"].(string), "changes are waiting in: firewall") {
		t.Fatalf("after create: %v", out["summary"])
	}
	if r, _ := s.confirmed(t, "pfsense_apply_firewall", nil); r.IsError {
		t.Fatal(r.Text)
	}
	_, out = s.call(t, "pfsense_pending_changes", nil)
	if out["summary"] != "nothing is waiting to be applied" {
		t.Errorf("after apply: %v", out["summary"])
	}
	if !strings.Contains(s.audit.String(), `"tool":"pfsense_create_firewall_alias","method":"POST","path":"/api/v2/firewall/alias","outcome":"executed"`) {
		t.Errorf("audit = %s", s.audit.String())
	}
}

// A model that searches for what the operator has not allowed learns why it is not there.
func TestDiscoverySaysWhatIsHiddenAndWhy(t *testing.T) {
	s := newStack(t, inventory.Options{AllowWrites: true}, config.ModeDiscovery)
	r, out := s.call(t, "pfsense_search_tools", map[string]any{"query": "reboot the firewall"})
	hidden, _ := out["not_available"].([]any)
	if r.IsError || len(hidden) == 0 {
		t.Fatalf("search: %s", r.Text)
	}
	first := hidden[0].(map[string]any)
	if first["name"] != "pfsense_reboot_system" || !strings.Contains(first["why"].(string), "set PFSENSE_ALLOW_DANGEROUS=true to allow it") {
		t.Errorf("hidden match = %v", first)
	}
	// A hidden tool that shares one word with the query is not listed next to the tools found.
	_, out = s.call(t, "pfsense_search_tools", map[string]any{"query": "add dhcp static mapping static lease"})
	if out["not_available"] != nil || !strings.Contains(fmt.Sprint(out["tools"]), "pfsense_create_services_dhcp_server_static_mapping") {
		t.Errorf("search for a static lease: %v", out)
	}
	ro := newStack(t, inventory.Options{}, config.ModeDiscovery)
	_, out = ro.call(t, "pfsense_search_tools", map[string]any{"query": "add wireguard peer"})
	hidden, _ = out["not_available"].([]any)
	if len(hidden) == 0 || !strings.Contains(hidden[0].(map[string]any)["why"].(string), "PFSENSE_ALLOW_WRITES=true") {
		t.Errorf("read-only search: %v", out)
	}
}

// Text others control is marked as data, in the generated tools' answers and the server's own.
func TestUntrustedTextIsMarked(t *testing.T) {
	s := newStack(t, inventory.Options{}, config.ModeFull)
	for _, name := range []string{"pfsense_list_status_dhcp_server_leases", "pfsense_list_status_logs_system", "pfsense_overview"} {
		r, out := s.call(t, name, nil)
		u, _ := out["untrusted"].(string)
		if r.IsError || !strings.HasSuffix(u, toolcall.UntrustedNote) {
			t.Errorf("%s: untrusted = %q (%.200s)", name, u, r.Text)
		}
	}
	if _, out := s.call(t, "pfsense_list_status_dhcp_server_leases", nil); !strings.Contains(out["untrusted"].(string), "hostname") {
		t.Errorf("lease hostnames are not marked: %v", out["untrusted"])
	}
}
