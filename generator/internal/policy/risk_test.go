package policy

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func TestRiskTableParses(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[toolspec.RiskClass]int{}
	for _, r := range rules {
		seen[r.Class]++
	}
	for c := range classes {
		if seen[c] == 0 {
			t.Errorf("no rule of class %s", c)
		}
	}
}

func TestParseRuleExplainsMistakes(t *testing.T) {
	for line, want := range map[string]string{
		"outage | POST /x | - | Reboots.":                                    "want 5 columns (class | scope | when | reason | source), got 4",
		"fun | POST /x | - | Reboots. | Models/X.inc: f()":                   `class "fun": want one of code_execution, access, lockout, outage, exposure, bulk_destruction`,
		"outage | GET /x | - | Reboots. | Models/X.inc: f()":                 `scope "GET /x": method "GET": want POST, PATCH, PUT, DELETE, write or *`,
		"outage | /x | - | Reboots. | Models/X.inc: f()":                     `scope "/x": want METHODS TARGET`,
		"outage | POST X | a == b | Reboots. | Models/X.inc: f()":            "condition \"a == b\": want `field set`, `field stored`, `field empty`, `field escapes`, `field = value`, `field in a,b` or `field suffix a,b`",
		"outage | POST X | - | reboots | Models/X.inc: f()":                  `reason "reboots": want one capitalized sentence`,
		"outage | POST X | - | Reboots. | somewhere":                         "source \"somewhere\": want `file: method`, where the effect comes from",
		"exposure | write X | a = 1 & b in x,y | Opens. | Models/X.inc: f()": "",
	} {
		_, err := ParseRules(line)
		got := ""
		if err != nil {
			got = strings.TrimPrefix(err.Error(), "risk table line 1: ")
		}
		if got != want {
			t.Errorf("%q: error %q, want %q", line, got, want)
		}
	}
	r, _ := ParseRules("exposure | write X | a = 1 & b in x,y | Opens. | Models/X.inc: f()")
	want := Rule{Line: 1, Class: toolspec.RiskExposure, Methods: []string{"POST", "PATCH", "PUT"}, Target: "X", Reason: "Opens.", Source: "Models/X.inc: f()",
		When: []toolspec.Condition{{Field: "a", Op: toolspec.CondEq, Values: []string{"1"}}, {Field: "b", Op: toolspec.CondIn, Values: []string{"x", "y"}}}}
	if !reflect.DeepEqual(r[0], want) {
		t.Errorf("parsed %+v\nwant   %+v", r[0], want)
	}
}

func obj(ref string, props map[string]*normalize.Schema) *normalize.Schema {
	return &normalize.Schema{Types: []string{"object"}, Ref: ref, Properties: props}
}

var str = &normalize.Schema{Types: []string{"string"}}

// A rule on a model reaches its own endpoints, the replace list, and the model nested in another.
func TestRisksReachNestedObjectsAndReplaceLists(t *testing.T) {
	rules, err := ParseRules(strings.Join([]string{
		"code_execution | write Action | method in shell | Runs. | Models/Action.inc: f()",
		"bulk_destruction | PUT * | objects empty | Empties. | Core/Model.inc: f()",
		"lockout | DELETE Pkg | name = api | Removes. | Models/Pkg.inc: f()",
		"outage | POST /api/v2/reboot | - | Reboots. | Models/Reboot.inc: f()",
	}, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	action := obj("Action", map[string]*normalize.Schema{"method": str, "command": str})
	cert := obj("Cert", map[string]*normalize.Schema{"name": str, "actions": {Types: []string{"array"}, Items: action}})
	pkg := obj("Pkg", map[string]*normalize.Schema{"name": str})
	type rk struct {
		Line   int
		Prefix string
	}
	for _, tc := range []struct {
		op   Op
		want []rk
	}{
		{Op{Method: "POST", Path: "/api/v2/action", Model: "Action", Body: action}, []rk{{1, ""}}},
		{Op{Method: "PATCH", Path: "/api/v2/cert", Model: "Cert", Body: cert}, []rk{{1, "actions[]"}}},
		{Op{Method: "PUT", Path: "/api/v2/certs", Model: "Cert", Body: cert, BodyList: true}, []rk{{1, "objects[].actions[]"}, {2, ""}}},
		{Op{Method: "PUT", Path: "/api/v2/actions", Model: "Action", Body: action, BodyList: true}, []rk{{1, "objects[]"}, {2, ""}}},
		{Op{Method: "DELETE", Path: "/api/v2/pkg", Model: "Pkg", ModelSchema: pkg}, []rk{{3, ""}}},
		{Op{Method: "DELETE", Path: "/api/v2/cert", Model: "Cert", ModelSchema: cert}, nil},
		{Op{Method: "POST", Path: "/api/v2/reboot", Model: "Reboot"}, []rk{{4, ""}}},
	} {
		risks, lines := Risks(rules, tc.op)
		var got []rk
		for i, r := range risks {
			got = append(got, rk{lines[i], r.Prefix})
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: risks %v, want %v", tc.op.Method, tc.op.Path, got, tc.want)
		}
	}
	if err := Check(rules, map[int]bool{1: true, 2: true, 4: true}); err == nil || err.Error() != "risk table rules match no operation of the spec (a path, model or field they name is missing): line 3 (DELETE Pkg)" {
		t.Errorf("Check = %v", err)
	}
}

func readNative(t *testing.T) *native.Schema {
	t.Helper()
	b, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	nat, err := native.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return nat
}

// Every rule names what the REST API package has: its endpoints and methods, its models and
// fields, values among a field's choices, null only where the field allows it, booleans only
// for boolean fields.
func TestRiskRulesAgreeWithTheNativeSchema(t *testing.T) {
	nat := readNative(t)
	if nat.Empty() {
		t.Skip("the build has no native schema for this spec's REST API version: nothing to check the rules against")
	}
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		where := fmt.Sprintf("line %d (%s %s)", r.Line, strings.Join(r.Methods, ","), r.Target)
		var m *native.Model
		switch {
		case r.IsPath():
			e := nat.Endpoints[r.Target]
			if e == nil {
				t.Errorf("%s: the REST API has no endpoint %s", where, r.Target)
				continue
			}
			for _, method := range r.Methods {
				if !slices.Contains(e.Methods, method) {
					t.Errorf("%s: %s does not accept %s", where, r.Target, method)
				}
			}
			m = nat.Model(e.ModelClass)
		case r.Target == "*":
			continue
		default:
			if m = nat.Model(r.Target); m == nil && r.Optional {
				continue // a model of a later REST API version
			}
			if m == nil {
				t.Errorf("%s: the REST API has no model %s", where, r.Target)
				continue
			}
		}
		for _, c := range r.When {
			if c.Field == ObjectsField && slices.Equal(r.Methods, []string{"PUT"}) {
				continue
			}
			f := m.Field(c.Field)
			if f == nil {
				t.Errorf("%s: model %s has no field %s", where, m.Class, c.Field)
				continue
			}
			for _, v := range c.Values {
				switch {
				case v == "null":
					if !f.AllowNull {
						t.Errorf("%s: %s.%s cannot be null", where, m.Class, c.Field)
					}
				case v == "true" || v == "false":
					if f.Type != "boolean" {
						t.Errorf("%s: %s.%s is a %s, not a boolean", where, m.Class, c.Field, f.Type)
					}
				case len(f.Choices) > 0 && c.Op != toolspec.CondSuffix:
					if !slices.ContainsFunc(f.Choices, func(ch any) bool { return choiceText(ch) == v }) {
						t.Errorf("%s: %q is not one of the choices of %s.%s (%v)", where, v, m.Class, c.Field, f.Choices)
					}
				}
			}
		}
	}
}

func choiceText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestNotSecretNamesWriteOnlyFieldsOfTheNativeSchema(t *testing.T) {
	nat := readNative(t)
	if nat.Empty() {
		t.Skip("the build has no native schema for this spec's REST API version")
	}
	for key := range NotSecret {
		model, field, _ := strings.Cut(key, ".")
		m := nat.Model(model)
		if m == nil {
			t.Errorf("NotSecret %s: no model %s in the native schema", key, model)
			continue
		}
		f := m.Field(field)
		if f == nil {
			continue // gone in this version (SystemHalt.dry_run in v2.10.0): the exception is idle
		}
		if !f.WriteOnly || f.Sensitive {
			t.Errorf("NotSecret %s: the field is not (only) write-only, so the exception is stale", key)
		}
	}
}

func TestSecretsFromFactsNamesAndNesting(t *testing.T) {
	nat, err := native.Parse([]byte(`{"version": "v9", "models": {
		"Tunnel": {"fields": {"name": {"type": "string"}, "mb_as": {"type": "string", "write_only": true},
			"ipsecpsk": {"type": "string"}, "peers": {"type": "array", "nested_model_class": "Peer"}}},
		"Peer": {"fields": {"blob": {"type": "string", "sensitive": true}, "port": {"type": "integer"}}},
		"Ping": {"fields": {"host": {"type": "string", "write_only": true}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	peer := obj("Peer", map[string]*normalize.Schema{"blob": str, "port": {Types: []string{"integer"}}})
	tunnel := obj("Tunnel", map[string]*normalize.Schema{"name": str, "mb_as": str, "ipsecpsk": str,
		"peers": {Types: []string{"array"}, Items: peer}})
	if got, want := Secrets("Tunnel", tunnel, nat), []string{"ipsecpsk", "mb_as", "peers.blob"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets(Tunnel) = %q, want %q", got, want)
	}
	// Ping.host is write-only but an input of an action (NotSecret).
	if got := Secrets("Ping", obj("Ping", map[string]*normalize.Schema{"host": str}), nat); got != nil {
		t.Errorf("Secrets(Ping) = %q, want none", got)
	}
	// Without a native schema: the spec's writeOnly flags and the names.
	spec := obj("Tunnel", map[string]*normalize.Schema{"name": str, "mb_as": {Types: []string{"string"}, WriteOnly: true},
		"ipsecpsk": str, "peers": {Types: []string{"array"}, Items: peer}})
	if got, want := Secrets("Tunnel", spec, nil), []string{"ipsecpsk", "mb_as"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets(Tunnel) without a native schema = %q, want %q", got, want)
	}
}

// AlsoSecret names fields the native schema has and does not already flag: an entry the
// package came to flag itself is stale.
func TestAlsoSecretNamesUnflaggedFieldsOfTheNativeSchema(t *testing.T) {
	nat := readNative(t)
	if nat.Empty() {
		t.Skip("the build has no native schema for this spec's REST API version")
	}
	for key := range AlsoSecret {
		model, field, _ := strings.Cut(key, ".")
		f := nat.Model(model).Field(field)
		switch {
		case f == nil:
			t.Errorf("AlsoSecret %s: no such field in the native schema", key)
		case f.Secret():
			t.Errorf("AlsoSecret %s: the package flags it already, so the entry is stale", key)
		}
	}
}
