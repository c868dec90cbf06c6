package toolcall

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// facts counts how the dispatcher uses the probe.
type facts struct{ waits, stale atomic.Int32 }

func (f *facts) Wait(context.Context) { f.waits.Add(1) }
func (f *facts) Stale()               { f.stale.Add(1) }

// TestFirewallInputsRefused: on a firewall of another REST API version, arguments and filters its
// own spec does not know are refused before anything is sent; what it knows goes through.
func TestFirewallInputsRefused(t *testing.T) {
	const refusal = "(checked locally; nothing was sent to pfSense): "
	const tail = " (these tools come from the v2.7.1 spec). pfSense ignores what it does not know, so the call would run as if it were not given. " +
		"Leave it out if that is what you want; to match the firewall, regenerate the tools from its own spec (tools/fetch-spec, then rebuild)"
	ops := map[string]inventory.Operation{
		"POST /api/v2/firewall/alias":     {Inputs: map[string]bool{"name": true, "type": true, "address": true}, Fields: map[string]bool{"name": true}},
		"GET /api/v2/firewall/aliases":    {Inputs: map[string]bool{"query": true, "limit": true, "offset": true, "sort_by": true}, Fields: map[string]bool{"id": true, "name": true, "type": true}},
		"DELETE /api/v2/firewall/aliases": {Inputs: map[string]bool{"query": true, "limit": true, "offset": true}, Fields: map[string]bool{"id": true, "name": true}},
	}
	for _, tc := range []struct {
		name, tool string
		args       map[string]any
		want       string // "" = passes the check
	}{
		{"a body field it knows", "pfsense_create_firewall_alias", map[string]any{"name": "a", "type": "host", "confirm": true}, ""},
		{"a body field it does not know", "pfsense_create_firewall_alias", map[string]any{"name": "a", "type": "host", "descr": "x", "confirm": true},
			"Invalid arguments for pfsense_create_firewall_alias " + refusal + "argument `descr` is refused: the firewall runs REST API v2.10.0, and its POST /api/v2/firewall/alias does not know it" + tail},
		{"the same without confirm: no preview either", "pfsense_create_firewall_alias", map[string]any{"name": "a", "type": "host", "descr": "x"},
			"Invalid arguments for pfsense_create_firewall_alias " + refusal + "argument `descr` is refused: the firewall runs REST API v2.10.0, and its POST /api/v2/firewall/alias does not know it" + tail},
		{"a filter on a field its objects have", "pfsense_list_firewall_aliases", map[string]any{"query": map[string]any{"type__contains": "host"}}, ""},
		{"a bulk delete filtering on a field its objects lack", "pfsense_delete_firewall_aliases", map[string]any{"query": map[string]any{"type": "host"}, "confirm": true},
			"Invalid arguments for pfsense_delete_firewall_aliases " + refusal + "filter `query.type` is refused: its objects have no field \"type\": the firewall runs REST API v2.10.0, and its DELETE /api/v2/firewall/aliases does not know it" + tail},
		{"a tool the firewall lacks", "pfsense_get_firewall_alias", map[string]any{"id": 0},
			"tool pfsense_get_firewall_alias is not available: the firewall runs REST API v2.10.0, whose own spec has no GET /api/v2/firewall/alias; this tool comes from the v2.7.1 spec (to match the firewall, regenerate the tools from its spec: tools/fetch-spec, then rebuild)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fw := &fakeFirewall{answers: map[string]any{
				"POST /api/v2/firewall/alias":     map[string]any{"id": 0, "name": "a"},
				"GET /api/v2/firewall/aliases":    []any{map[string]any{"id": 0, "name": "a", "type": "host"}},
				"DELETE /api/v2/firewall/aliases": []any{},
			}}
			inv, err := inventory.New(tools(), inventory.Options{AllowWrites: true})
			if err != nil {
				t.Fatal(err)
			}
			inv.SetFirewall(inventory.Firewall{Version: "v2.10.0", ToolsVersion: "v2.7.1", Operations: ops})
			f := &facts{}
			d := New(Options{Inventory: inv, Firewall: fw, Facts: f, Confirm: ConfirmPlain}) // about inputs and facts, not the confirmation
			r := d.Call(context.Background(), tc.tool, tc.args)
			if f.waits.Load() != 1 {
				t.Errorf("the call waited for the facts %d times, want 1", f.waits.Load())
			}
			if tc.want == "" {
				if r.IsError {
					t.Fatalf("refused: %s", r.Text)
				}
				return
			}
			if !r.IsError || r.Text != tc.want {
				t.Errorf("answer = %s\nwant     %s", r.Text, tc.want)
			}
			if n := fw.mutatingCalls(); n != 0 || strings.Contains(tc.want, "nothing was sent") && len(fw.calls) != 0 {
				t.Errorf("requests reached the firewall: %+v", fw.calls)
			}
		})
	}
}

// TestPackageChangesMakeTheFactsStale: installing or removing a package through the server makes
// the probe read the packages again; other changes do not.
func TestPackageChangesMakeTheFactsStale(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{
		"POST /api/v2/firewall/alias": map[string]any{"id": 0},
		"POST /api/v2/system/package": map[string]any{"id": 9, "name": "pfSense-pkg-nmap"},
	}}
	table := append(tools(), toolspec.Tool{Name: "pfsense_create_system_package", Kind: toolspec.KindCreate, Module: "system", Mutation: true,
		Method: "POST", Path: "/api/v2/system/package", Params: []toolspec.Param{{Name: "name", In: toolspec.InBody}},
		InputSchema: `{"type": "object", "additionalProperties": false, "required": ["name"], "properties": {"name": {"type": "string"}, "confirm": {"type": "boolean"}}}`})
	inv, err := inventory.New(table, inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	f := &facts{}
	d := New(Options{Inventory: inv, Firewall: fw, Facts: f, Confirm: ConfirmPlain}) // about inputs and facts, not the confirmation
	for _, c := range []struct {
		tool  string
		args  map[string]any
		stale int32
	}{
		{"pfsense_create_firewall_alias", map[string]any{"name": "a", "type": "host", "confirm": true}, 0},
		{"pfsense_create_system_package", map[string]any{"name": "pfSense-pkg-nmap"}, 0}, // a preview changes nothing.
		{"pfsense_create_system_package", map[string]any{"name": "pfSense-pkg-nmap", "confirm": true}, 1},
	} {
		if r := d.Call(context.Background(), c.tool, c.args); r.IsError {
			t.Fatalf("%s: %s", c.tool, r.Text)
		}
		if got := f.stale.Load(); got != c.stale {
			t.Errorf("after %s %v: Stale called %d times, want %d", c.tool, c.args, got, c.stale)
		}
	}
}
