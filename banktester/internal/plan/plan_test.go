package plan

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

var answers = Answers{
	"create": Decode(`{"data":{"id":3,"name":"bt_a","refid":"abc"},"next_step":"apply"}`),
	"list":   Decode(`{"data":[{"id":0,"name":"web","addr":null,"parent_id":"lan"},{"id":1,"name":"bt_b","addr":"192.0.2.1","parent_id":"lan"}],"count":2}`),
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name string
		args string
		want string
	}{
		{"typed value", `{"id":"${create.data.id}"}`, `{"id":3}`},
		{"inside text", `{"descr":"copy of ${create.data.name} (#${create.data.id})"}`, `{"descr":"copy of bt_a (#3)"}`},
		{"array index", `{"id":"${list.data.1.id}","p":"${list.data.1.parent_id}"}`, `{"id":1,"p":"lan"}`},
		{"selector", `{"id":"${list.data.[name=bt_b].id}"}`, `{"id":1}`},
		{"keep", `{"objects":"${list.data|keep:name,addr}"}`, `{"objects":[{"addr":null,"name":"web"},{"addr":"192.0.2.1","name":"bt_b"}]}`},
		{"keep and drop nulls", `{"objects":"${list.data|keep:name,addr|drop_nulls}"}`, `{"objects":[{"name":"web"},{"addr":"192.0.2.1","name":"bt_b"}]}`},
		{"nested", `{"query":{"id":"${create.data.id}"},"list":["${create.data.refid}",2]}`, `{"list":["abc",2],"query":{"id":3}}`},
		{"no refs", `{"a":"$5 {x}"}`, `{"a":"$5 {x}"}`},
	} {
		var args map[string]any
		if err := json.Unmarshal([]byte(tc.args), &args); err != nil {
			t.Fatal(err)
		}
		got, err := Resolve(args, answers)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		b, _ := json.Marshal(got)
		if string(b) != tc.want {
			t.Errorf("%s: Resolve = %s, want %s", tc.name, b, tc.want)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct{ ref, want string }{
		{"${missing.data.id}", `step "missing" has no answer`},
		{"${create.data.nope}", `no key "nope"`},
		{"${list.data.5.id}", "index 5 out of range (array of 2)"},
		{"${list.data.[name=zz].id}", "no element with name=zz among 2"},
		{"${create.data|sort}", `unknown modifier "sort"`},
		{"${create.data.id.x}", `cannot take "x" of a float64`},
	} {
		_, err := Resolve(map[string]any{"a": tc.ref}, answers)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%s) error = %v, want %q", tc.ref, err, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	preview := `{"preview":true,"would_send":{}}`
	for _, tc := range []struct {
		name    string
		expect  Expect
		answer  string
		isError bool
		want    string // "" = meets the expectation
	}{
		{"ok", Expect{}, `{"data":{}}`, false, ""},
		{"ok but error", Expect{}, "pfSense rejected the request", true, "expected ok, got an error"},
		{"ok but preview", Expect{}, preview, false, "expected the change to be made, got a preview"},
		{"preview", Expect{Outcome: OutcomePreview}, preview, false, ""},
		{"preview missing", Expect{Outcome: OutcomePreview}, `{"data":{}}`, false, `expected a preview`},
		{"error", Expect{Outcome: OutcomeError, Contains: []string{"409"}}, "pfSense answered HTTP 409 MODEL_CANNOT_BE_DELETED", true, ""},
		{"error but ok", Expect{Outcome: OutcomeError}, `{"data":{}}`, false, "expected an error, got a successful answer"},
		{"contains", Expect{Contains: []string{`"count":0`}}, `{"count":1}`, false, `the answer does not contain "\"count\":0"`},
		{"or: the main expectation", Expect{Or: []Expect{{Outcome: OutcomeError, Contains: []string{"placeholder"}}}}, `{"data":[]}`, false, ""},
		{"or: an alternative", Expect{Or: []Expect{{Outcome: OutcomeError, Contains: []string{"placeholder"}}}}, "argument `objects[0].privatekey` is [REDACTED], the placeholder", true, ""},
		{"or: none", Expect{Or: []Expect{{Outcome: OutcomeError, Contains: []string{"placeholder"}}}}, "pfSense answered HTTP 400", true, "expected ok, got an error"},
	} {
		err := Check(Step{Tool: "t", Expect: tc.expect}, tc.answer, tc.isError)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: Check = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParseAndValidate(t *testing.T) {
	good := `{"task_id":"x","steps":[{"id":"c","tool":"pfsense_create_firewall_alias","args":{"name":"bt"}},{"tool":"pfsense_get_firewall_alias","args":{"id":"${c.data.id}"},"expect":{"outcome":"ok"}}]}`
	p, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := &Plan{TaskID: "x", Steps: []Step{
		{ID: "c", Tool: "pfsense_create_firewall_alias", Args: map[string]any{"name": "bt"}},
		{Tool: "pfsense_get_firewall_alias", Args: map[string]any{"id": "${c.data.id}"}, Expect: Expect{Outcome: "ok"}},
	}}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("Parse = %+v", p)
	}
	out, _ := p.Marshal()
	if back, err := Parse(out); err != nil || !reflect.DeepEqual(back, p) {
		t.Errorf("Marshal/Parse round trip: %v\n%s", err, out)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"steps":[]}`, "plan: no steps"},
		{`{"steps":[{"args":{}}]}`, "plan step 1: tool is required"},
		{`{"steps":[{"tool":"a","expect":{"outcome":"maybe"}}]}`, `expect.outcome "maybe": want ok, preview or error`},
		{`{"steps":[{"tool":"a","args":{"id":"${later.data.id}"}},{"id":"later","tool":"b"}]}`, `names no earlier step "later"`},
		{`{"steps":[{"id":"a","tool":"a"},{"id":"a","tool":"b"}]}`, `id "a" is used twice`},
		{`{"steps":[{"tool":"a","extra":1}]}`, `unknown field "extra"`},
	} {
		if _, err := Parse([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%s) error = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestFromCalls(t *testing.T) {
	calls := []transcript.ToolCall{
		{Tool: "pfsense_search_tools", Target: "pfsense_search_tools", Args: map[string]any{"query": "alias"}},
		{Tool: "pfsense_call_change_tool", Target: "pfsense_create_firewall_alias", Args: map[string]any{"name": "pfsense_create_firewall_alias", "arguments": map[string]any{"name": "bt"}}, Preview: true},
		{Tool: "pfsense_create_firewall_alias", Target: "pfsense_create_firewall_alias", Args: map[string]any{"name": "bt", "confirm": true}},
		{Tool: "pfsense_get_firewall_alias", Target: "pfsense_get_firewall_alias", Args: map[string]any{"id": 9.0}, IsError: true},
		{Tool: "pfsense_overview", Target: "pfsense_overview", NotRelayed: true, IsError: true},
	}
	got := FromCalls("t", calls)
	want := &Plan{TaskID: "t", Steps: []Step{
		{Tool: "pfsense_create_firewall_alias", Args: map[string]any{"name": "bt"}, Expect: Expect{Outcome: OutcomePreview}},
		{Tool: "pfsense_create_firewall_alias", Args: map[string]any{"name": "bt", "confirm": true}},
		{Tool: "pfsense_get_firewall_alias", Args: map[string]any{"id": 9.0}, Expect: Expect{Outcome: OutcomeError}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FromCalls =\n%+v\nwant\n%+v", got, want)
	}
}
