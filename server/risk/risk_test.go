package risk

import (
	"encoding/json"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func args(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMatches(t *testing.T) {
	wanPass := toolspec.Risk{When: []toolspec.Condition{
		{Field: "interface", Op: toolspec.CondEq, Values: []string{"wan"}},
		{Field: "type", Op: toolspec.CondEq, Values: []string{"pass"}},
		{Field: "destination", Op: toolspec.CondIn, Values: []string{"(self)", "any"}},
	}}
	nested := toolspec.Risk{Prefix: "objects[].a_actionlist[]", When: []toolspec.Condition{{Field: "method", Op: toolspec.CondIn, Values: []string{"shellcommand"}}}}
	empty := toolspec.Risk{When: []toolspec.Condition{{Field: "objects", Op: toolspec.CondEmpty}}}
	set := toolspec.Risk{When: []toolspec.Condition{{Field: "command", Op: toolspec.CondSet}}}
	null := toolspec.Risk{When: []toolspec.Condition{{Field: "sshdkeyonly", Op: toolspec.CondEq, Values: []string{"null"}}}}
	escapes := toolspec.Risk{When: []toolspec.Condition{{Field: "myid_data", Op: toolspec.CondEscapes}}}
	suffix := toolspec.Risk{When: []toolspec.Condition{{Field: "domain", Op: toolspec.CondSuffix, Values: []string{"netgate.com"}}}}
	for _, tc := range []struct {
		name string
		r    toolspec.Risk
		v    string
		want bool
	}{
		{"always", toolspec.Risk{}, `{}`, true},
		{"wan pass to self", wanPass, `{"interface": ["wan"], "type": "pass", "destination": "(self)"}`, true},
		{"lan pass to self", wanPass, `{"interface": ["lan"], "type": "pass", "destination": "(self)"}`, false},
		{"wan block", wanPass, `{"interface": ["wan"], "type": "block", "destination": "any"}`, false},
		{"a field left out", wanPass, `{"interface": ["wan"], "type": "pass"}`, false},
		{"nested in a replace", nested, `{"objects": [{"a_actionlist": [{"method": "servicerestart"}, {"method": "shellcommand"}]}]}`, true},
		{"nested, harmless", nested, `{"objects": [{"a_actionlist": [{"method": "servicerestart"}]}]}`, false},
		{"a list body is objects", nested, `[{"a_actionlist": [{"method": "shellcommand"}]}]`, true},
		{"empty replace", empty, `{"objects": []}`, true},
		{"empty replace body", empty, `[]`, true},
		{"replace with objects", empty, `[{"name": "x"}]`, false},
		{"command given", set, `{"command": "/bin/sh"}`, true},
		{"command empty", set, `{"command": ""}`, false},
		{"command absent", set, `{"who": "root"}`, false},
		{"null", null, `{"sshdkeyonly": null}`, true},
		{"not null", null, `{"sshdkeyonly": "enabled"}`, false},
		{"suffix subdomain", suffix, `{"domain": "Packages.Netgate.com."}`, true},
		{"suffix whole", suffix, `{"domain": "netgate.com"}`, true},
		{"suffix lookalike", suffix, `{"domain": "notnetgate.com"}`, false},
		{"escapes a quote", escapes, `{"myid_data": "CN=vpn\" } children { x { updown = /tmp/x } } y { id = \""}`, true},
		{"escapes a line", escapes, `{"myid_data": "vpn\nupdown = /tmp/x"}`, true},
		{"escapes a backslash", escapes, `{"myid_data": "CN=a\\"}`, true},
		{"an ordinary distinguished name", escapes, `{"myid_data": "C=US, O=Example, CN=vpn.example.com"}`, false},
		{"numbers as text", toolspec.Risk{When: []toolspec.Condition{{Field: "port", Op: toolspec.CondEq, Values: []string{"443"}}}}, `{"port": 443}`, true},
	} {
		if got := Matches(tc.r, args(t, tc.v)); got != tc.want {
			t.Errorf("%s: Matches = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTouches(t *testing.T) {
	r := toolspec.Risk{When: []toolspec.Condition{{Field: "command", Op: toolspec.CondSet}}}
	if Touches(r, args(t, `{"id": 1, "minute": "5"}`)) || !Touches(r, args(t, `{"id": 1, "command": "x"}`)) {
		t.Error("Touches is wrong")
	}
}
