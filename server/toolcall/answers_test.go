package toolcall

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// A small table of rule tools with what these tests need: a list field, an apply subsystem with
// its status, a delete that takes apply, and a parent whose child list the schema leaves open.
func ruleTools() []toolspec.Tool {
	obj := func(props string) string {
		return `{"type":"object","additionalProperties":false,"properties":{` + props + `}}`
	}
	fields := []string{"descr", "id", "interface", "type"}
	return []toolspec.Tool{
		{Name: "pfsense_list_firewall_rules", Kind: toolspec.KindList, Plural: true, Module: "firewall", Model: "FirewallRule", Fields: fields, ListFields: []string{"interface"},
			Method: "GET", Path: "/api/v2/firewall/rules", Params: []toolspec.Param{{Name: "query", In: toolspec.InQueryMap}},
			InputSchema: obj(`"query":{"type":"object"},"fields":{"type":"array","items":{"type":"string"}}`)},
		{Name: "pfsense_delete_firewall_rules", Kind: toolspec.KindDelete, Plural: true, Module: "firewall", Model: "FirewallRule", Fields: fields, ListFields: []string{"interface"},
			Mutation: true, ReadTool: "pfsense_list_firewall_rules", ApplyTool: "pfsense_apply_firewall",
			Method: "DELETE", Path: "/api/v2/firewall/rules", Params: []toolspec.Param{{Name: "query", In: toolspec.InQueryMap}},
			InputSchema: obj(`"query":{"type":"object","minProperties":1},"confirm":{"type":"boolean"}`)},
		{Name: "pfsense_delete_firewall_rule", Kind: toolspec.KindDelete, Module: "firewall", Model: "FirewallRule", Fields: fields, Mutation: true,
			ReadTool: "pfsense_get_firewall_rule", ApplyTool: "pfsense_apply_firewall",
			Method: "DELETE", Path: "/api/v2/firewall/rule", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}, {Name: "apply", In: toolspec.InQuery}},
			InputSchema: obj(`"id":{"type":"integer"},"apply":{"type":"boolean"},"confirm":{"type":"boolean"}`)},
		{Name: "pfsense_get_firewall_rule", Kind: toolspec.KindGet, Module: "firewall", Model: "FirewallRule", Fields: fields,
			Method: "GET", Path: "/api/v2/firewall/rule", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}}, InputSchema: obj(`"id":{"type":"integer"}`)},
		{Name: "pfsense_apply_firewall", Kind: toolspec.KindApply, Module: "firewall", Model: "FirewallApply", Mutation: true,
			Method: "POST", Path: "/api/v2/firewall/apply", InputSchema: obj(`"confirm":{"type":"boolean"}`)},
		{Name: "pfsense_get_firewall_apply_status", Kind: toolspec.KindApplyStatus, Module: "firewall", Model: "FirewallApply",
			Method: "GET", Path: "/api/v2/firewall/apply", InputSchema: obj(``)},
		{Name: "pfsense_create_firewall_schedule", Kind: toolspec.KindCreate, Module: "firewall", Model: "FirewallSchedule", Mutation: true,
			ApplyTool: "pfsense_apply_firewall", Entries: map[string]string{"timerange": "pfsense_create_firewall_schedule_time_range"},
			Method: "POST", Path: "/api/v2/firewall/schedule", Params: []toolspec.Param{{Name: "name", In: toolspec.InBody}, {Name: "timerange", In: toolspec.InBody}},
			InputSchema: obj(`"name":{"type":"string"},"timerange":{"type":"array","items":{"type":"object"}},"confirm":{"type":"boolean"}`)},
		{Name: "pfsense_create_firewall_schedule_time_range", Kind: toolspec.KindCreate, Module: "firewall", Model: "FirewallScheduleTimeRange", Mutation: true,
			Parent: "FirewallSchedule", Method: "POST", Path: "/api/v2/firewall/schedule/time_range",
			Params:      []toolspec.Param{{Name: "parent_id", In: toolspec.InBody}, {Name: "hour", In: toolspec.InBody}},
			InputSchema: `{"type":"object","additionalProperties":false,"required":["parent_id","hour"],"properties":{"parent_id":{"type":"integer"},"hour":{"type":"string"},"confirm":{"type":"boolean"}}}`},
	}
}

func ruleDispatcher(t *testing.T, fw *fakeFirewall) *Dispatcher {
	t.Helper()
	inv, err := inventory.New(ruleTools(), inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{Inventory: inv, Firewall: fw, Confirm: ConfirmPlain}) // these tests are about answers, not the confirmation
}

func callJSON(t *testing.T, d *Dispatcher, name string, args map[string]any) (Result, map[string]any) {
	t.Helper()
	r := d.Call(context.Background(), name, args)
	var out map[string]any
	if !r.IsError {
		if err := json.Unmarshal([]byte(r.Text), &out); err != nil {
			t.Fatalf("%s: answer is not JSON: %s", name, r.Text)
		}
	}
	return r, out
}

func TestExactFilterOnAListFieldIsSentAsContains(t *testing.T) {
	rules := []any{map[string]any{"id": 0, "interface": []any{"wan"}, "descr": "a"}}
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/rules": rules}}
	d := ruleDispatcher(t, fw)
	for _, key := range []string{"interface", "interface__exact"} {
		fw.calls = nil
		r, out := callJSON(t, d, "pfsense_list_firewall_rules", map[string]any{"query": map[string]any{key: "wan", "descr": "a"}})
		if r.IsError {
			t.Fatalf("%s: %s", key, r.Text)
		}
		if got := fw.calls[0].Query.Encode(); got != "descr=a&interface__contains=wan" {
			t.Errorf("%s: sent %q, want descr=a&interface__contains=wan", key, got)
		}
		want := "`interface` is a list, where pfSense's exact filter never matches one element: the filter was sent as interface__contains (one element equals the value)."
		if out["filter_note"] != want {
			t.Errorf("%s: filter_note = %v, want %q", key, out["filter_note"], want)
		}
	}
	// Operators that work on lists pass unchanged, without a note.
	fw.calls = nil
	_, out := callJSON(t, d, "pfsense_list_firewall_rules", map[string]any{"query": map[string]any{"interface__startswith": "wa"}})
	if got := fw.calls[0].Query.Encode(); got != "interface__startswith=wa" || out["filter_note"] != nil {
		t.Errorf("startswith: sent %q, note %v", got, out["filter_note"])
	}
}

func TestFiltersThatCannotMatchListElementsAreRefused(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/rules": []any{}}}
	d := ruleDispatcher(t, fw)
	for tool, want := range map[string]string{
		"pfsense_delete_firewall_rules": "argument `query.interface__except`: interface is a list, and pfSense's except filter compares the whole list, so it matches every object (there is no operator for \"does not contain\"); " +
			"use interface__contains (one element equals the value), interface__startswith (the first element) or interface__endswith (the last)",
		"pfsense_list_firewall_rules": "argument `query.interface__except`: interface is a list",
	} {
		args := map[string]any{"query": map[string]any{"interface__except": "wan"}}
		if strings.Contains(tool, "delete") {
			args["confirm"] = true
		}
		r := d.Call(context.Background(), tool, args)
		if !r.IsError || !strings.Contains(r.Text, want) {
			t.Errorf("%s with interface__except: %s; want an error containing %q", tool, r.Text, want)
		}
	}
	r := d.Call(context.Background(), "pfsense_list_firewall_rules", map[string]any{"query": map[string]any{"interface__gt": 1}})
	if !r.IsError || !strings.Contains(r.Text, "gt filter compares the whole list, so it never matches one element") {
		t.Errorf("interface__gt: %s", r.Text)
	}
	if n := fw.mutatingCalls(); n != 0 {
		t.Errorf("refused filters sent %d mutations", n)
	}
}

func TestApplyWordingMatchesTheCall(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{
		"GET /api/v2/firewall/rule":    map[string]any{"id": 0, "descr": "a"},
		"DELETE /api/v2/firewall/rule": map[string]any{"id": 0, "descr": "a"},
		"GET /api/v2/firewall/apply":   map[string]any{"applied": true},
		"POST /api/v2/firewall/apply":  map[string]any{"applied": true},
	}}
	d := ruleDispatcher(t, fw)

	// Without apply: pending, and the answer names the apply tool.
	_, out := callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "confirm": true})
	if out["applied"] != false || out["next_step"] != "The change is pending: call pfsense_apply_firewall to apply it (it previews first, like any change), or pass apply: true next time." {
		t.Errorf("delete without apply: applied %v, next_step %v", out["applied"], out["next_step"])
	}
	// With apply: true and nothing left pending: applied, no apply tool named anywhere.
	r, out := callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "apply": true, "confirm": true})
	if out["applied"] != true || out["next_step"] != nil || strings.Contains(r.Text, "pfsense_apply_firewall") {
		t.Errorf("delete with apply: true: %s", r.Text)
	}
	// With apply: true but other changes still flagged: the firewall's reload loaded them too
	// (filter_configure_sync), so the change is live and the answer says which flags stay.
	fw.answers["GET /api/v2/firewall/apply"] = map[string]any{"applied": false, "pending_subsystems": []any{"shaper", "aliases"}}
	_, out = callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "apply": true, "confirm": true})
	if out["applied"] != true || !strings.HasPrefix(out["next_step"].(string), "apply: true reloaded the firewall, and a reload loads every alias, NAT rule, limiter and shaper queue along with the rules, so this change is live") ||
		!strings.Contains(out["next_step"].(string), "pfSense still flags shaper, aliases as pending because only pfsense_apply_firewall clears those flags") ||
		!reflect.DeepEqual(out["pending_subsystems"], []any{"shaper", "aliases"}) {
		t.Errorf("delete with apply: true, others still flagged: applied %v, next_step %v", out["applied"], out["next_step"])
	}
	// An apply reports whether the subsystem is now applied.
	_, out = callJSON(t, d, "pfsense_apply_firewall", map[string]any{"confirm": true})
	if out["applied"] != false || !strings.Contains(out["next_step"].(string), "pfsense_get_firewall_apply_status") {
		t.Errorf("apply while the status is pending: %v", out)
	}
	fw.answers["GET /api/v2/firewall/apply"] = map[string]any{"applied": true}
	_, out = callJSON(t, d, "pfsense_apply_firewall", map[string]any{"confirm": true})
	if out["applied"] != true || out["next_step"] != nil {
		t.Errorf("apply: %v", out)
	}
	// Previews say what confirming will do about applying.
	_, out = callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "apply": true})
	if then, _ := out["then"].(string); strings.Contains(then, "call pfsense_apply_firewall") || !strings.Contains(then, "apply: true") {
		t.Errorf("preview with apply: true: then = %q", then)
	}
	_, out = callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0})
	if then, _ := out["then"].(string); !strings.HasPrefix(then, "After confirming, call pfsense_apply_firewall to apply the change") || !strings.Contains(then, "preview again with apply: true") {
		t.Errorf("preview without apply: then = %v", out["then"])
	}
}

// pfSense's firewall apply status does not count a changed rule (FirewallRule marks no
// subsystem dirty): the status tool's answer says what this server changed since the last
// apply, and an apply (or apply: true) clears it.
func TestApplyStatusCountsWhatThisServerChanged(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{
		"DELETE /api/v2/firewall/rule": map[string]any{"id": 0, "descr": "a"},
		"GET /api/v2/firewall/rule":    map[string]any{"id": 0, "descr": "a"},
		"GET /api/v2/firewall/apply":   map[string]any{"applied": true, "pending_subsystems": []any{}},
		"POST /api/v2/firewall/apply":  map[string]any{"applied": true},
	}}
	d := ruleDispatcher(t, fw)
	status := func() map[string]any {
		t.Helper()
		_, out := callJSON(t, d, "pfsense_get_firewall_apply_status", nil)
		return out
	}
	if out := status(); out["data"].(map[string]any)["applied"] != true || out["note"] != nil {
		t.Fatalf("before any change: %v", out)
	}
	callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "confirm": true})
	out := status()
	data := out["data"].(map[string]any)
	if data["applied"] != false || fmt.Sprint(data["changed_since_last_apply"]) != "[pfsense_delete_firewall_rule]" ||
		!strings.Contains(fmt.Sprint(out["note"]), "Call pfsense_apply_firewall to load them") {
		t.Errorf("after a change pfSense does not count: %v", out)
	}
	if got := d.Unapplied("pfsense_apply_firewall"); len(got) != 1 {
		t.Errorf("Unapplied = %v", got)
	}
	// The apply's preview says the same, not pfSense's "applied".
	_, preview := callJSON(t, d, "pfsense_apply_firewall", nil)
	if cur, _ := preview["current"].(map[string]any); cur["applied"] != false || fmt.Sprint(cur["changed_since_last_apply"]) != "[pfsense_delete_firewall_rule]" || preview["pending_note"] == nil {
		t.Errorf("apply preview after a change pfSense does not count: %v", preview)
	}
	callJSON(t, d, "pfsense_apply_firewall", map[string]any{"confirm": true})
	if out := status(); out["data"].(map[string]any)["applied"] != true || out["note"] != nil {
		t.Errorf("after the apply: %v", out)
	}
	callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "confirm": true})
	callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "apply": true, "confirm": true})
	if out := status(); out["data"].(map[string]any)["applied"] != true {
		t.Errorf("after a change with apply: true: %v", out)
	}
}

// Where pfSense itself counts changes as pending, the apply preview lists this server's
// changes in the same place as where it does not: inside `current`.
func TestApplyPreviewListsChangesWherePfSenseCountsThem(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{
		"DELETE /api/v2/firewall/rule": map[string]any{"id": 0, "descr": "a"},
		"GET /api/v2/firewall/rule":    map[string]any{"id": 0, "descr": "a"},
		"GET /api/v2/firewall/apply":   map[string]any{"applied": false, "pending_subsystems": []any{"filter"}},
	}}
	d := ruleDispatcher(t, fw)
	callJSON(t, d, "pfsense_delete_firewall_rule", map[string]any{"id": 0.0, "confirm": true})
	_, preview := callJSON(t, d, "pfsense_apply_firewall", nil)
	cur, _ := preview["current"].(map[string]any)
	if cur["applied"] != false || fmt.Sprint(cur["changed_since_last_apply"]) != "[pfsense_delete_firewall_rule]" || fmt.Sprint(cur["pending_subsystems"]) != "[filter]" ||
		preview["changed_since_last_apply"] != nil || preview["pending_note"] != nil {
		t.Errorf("apply preview: %v", preview)
	}
}

func TestEntriesOfOpenListsAreCheckedAgainstTheChildTool(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"POST /api/v2/firewall/schedule": map[string]any{"id": 0}}}
	d := ruleDispatcher(t, fw)
	r := d.Call(context.Background(), "pfsense_create_firewall_schedule", map[string]any{
		"name": "office", "timerange": []any{map[string]any{"hour": "9:00-17:00"}, map[string]any{"hours": "x"}}, "confirm": true})
	for _, want := range []string{"argument `timerange[1].hour`: is required", "argument `timerange[1].hours`: is not an argument of this tool",
		"(each entry of `timerange` has the fields of pfsense_create_firewall_schedule_time_range, without parent_id)"} {
		if !r.IsError || !strings.Contains(r.Text, want) {
			t.Errorf("a bad entry: %s\nwant it to contain %s", r.Text, want)
		}
	}
	if n := fw.mutatingCalls(); n != 0 {
		t.Errorf("a bad entry sent %d mutations", n)
	}
	if r := d.Call(context.Background(), "pfsense_create_firewall_schedule", map[string]any{
		"name": "office", "timerange": []any{map[string]any{"hour": "9:00-17:00"}}, "confirm": true}); r.IsError {
		t.Errorf("a good entry: %s", r.Text)
	}
}
