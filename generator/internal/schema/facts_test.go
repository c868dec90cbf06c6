package schema

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/overlay"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// These tests pin what the native schema and the overlay add to the spec's facts.

func nativeSchema(t *testing.T) *native.Schema {
	t.Helper()
	s, err := native.Parse([]byte(`{"version":"v0","models":{` +
		`"Rule":{"id_type":"integer","fields":{` +
		`"interface":{"type":"string","class":"InterfaceField","many":true,"editable":true},` +
		`"descr":{"type":"string","editable":true},` +
		`"floating":{"type":"boolean","editable":false},` +
		`"sched":{"type":"string","editable":true,"foreign_model_class":"Schedule","foreign_model_field":"name"},` +
		`"peer":{"type":"string","editable":true,"foreign_model_class":"Tunnel","foreign_model_field":"name"}}},` +
		`"Iface":{"id_type":"string","fields":{}},` +
		`"Lease":{"id_type":"integer","parent_model_class":"Iface","fields":{}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testOverlay(t *testing.T) *overlay.Overlay {
	t.Helper()
	o, err := overlay.Parse([]byte(`{
	"controls": [
		{"name": "placement", "kinds": ["create", "update"], "schema": {"type": "integer", "minimum": 0}, "description": "Where it goes.", "models": {"Rule": "First match wins."}, "source": "s"},
		{"name": "append", "kinds": ["update"], "models_with_list_fields": true, "schema": {"type": "boolean"}, "description": "Add to lists.", "source": "s"},
		{"name": "reverse", "kinds": ["list"], "logs_only": true, "schema": {"type": "boolean"}, "description": "Newest first.", "source": "s"},
		{"name": "async", "kinds": ["apply"], "schema": {"type": "boolean"}, "description": "false: wait.", "source": "s"}
	],
	"ids": [{"model": "Iface", "text": "An interface id such as lan.", "source": "s"}],
	"fields": [{"model": "Rule", "field": "descr", "text": "A corrected text.", "source": "s"}],
	"hints": [{"model": "Rule", "field": "peer", "text": "The tunnel's assigned name.", "fact": "f", "source": "s"}]
}`))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func ruleModel() *normalize.Model {
	return &normalize.Model{Name: "Rule", HasIDs: true, Schema: ruleBody()}
}

func ruleBody() *normalize.Schema {
	return &normalize.Schema{Types: []string{"object"}, Ref: "Rule", Properties: map[string]*normalize.Schema{
		"interface": {Types: []string{"array"}, Items: &normalize.Schema{Types: str}, Description: "The interfaces.<br>"},
		"descr":     {Types: str, Description: "A description. This value cannot contain <br>"},
		"floating":  {Types: []string{"boolean"}, Description: "Floating.<br>"},
		"sched":     {Types: str, Description: "The schedule.<br>"},
		"peer":      {Types: str, Description: "The peer.<br>"},
		"type":      {Types: str, Enum: []any{"pass", "block"}, Description: "The type.<br>"},
	}}
}

func param(r Result, name string) (toolspec.Param, bool) {
	for _, p := range r.Params {
		if p.Name == name {
			return p, true
		}
	}
	return toolspec.Param{}, false
}

func build(t *testing.T, in Input) map[string]any {
	t.Helper()
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, r)
}

func prop(t *testing.T, m map[string]any, name string) map[string]any {
	t.Helper()
	p, ok := props(m)[name].(map[string]any)
	if !ok {
		t.Fatalf("no property %s in %v", name, props(m))
	}
	return p
}

func TestIDsAreTypedAndWordedPerModel(t *testing.T) {
	nat := testOverlay(t)
	ns := nativeSchema(t)
	get := func(model, parent string) map[string]any {
		op := &normalize.Operation{ID: "get" + model, Method: "GET", Kind: toolspec.KindGet, Model: model, SpecParent: parent,
			Params: []*normalize.Param{{Name: "id", Required: true, Schema: idSchema}}}
		if parent != "" {
			op.Params = append(op.Params, &normalize.Param{Name: "parent_id", Required: true, Schema: idSchema})
		}
		return build(t, Input{Op: op, Model: &normalize.Model{Name: model, Parent: parent}, Native: ns, Overlay: nat})
	}
	for _, tc := range []struct {
		model, parent string
		prop          string
		want          string
	}{
		{"Rule", "", "id", `{"description":"Position in the list, from 0.","type":"integer"}`},
		{"Iface", "", "id", `{"description":"An interface id such as lan.","type":"string"}`},
		{"Lease", "Iface", "id", `{"description":"Position in the parent's list, from 0.","type":"integer"}`},
		{"Lease", "Iface", "parent_id", `{"description":"The id of the parent Iface object. An interface id such as lan.","type":"string"}`},
	} {
		got, _ := Marshal(prop(t, get(tc.model, tc.parent), tc.prop))
		if got != tc.want {
			t.Errorf("%s.%s\n got %s\nwant %s", tc.model, tc.prop, got, tc.want)
		}
	}
}

func TestOverlayControls(t *testing.T) {
	ov, ns := testOverlay(t), nativeSchema(t)
	create := build(t, Input{Op: &normalize.Operation{ID: "postRule", Method: "POST", Kind: toolspec.KindCreate, Model: "Rule", Body: ruleBody()},
		Model: ruleModel(), Mutation: true, Native: ns, Overlay: ov})
	if got, _ := Marshal(prop(t, create, "placement")); got != `{"description":"Where it goes. First match wins.","minimum":0,"type":"integer"}` {
		t.Errorf("create placement = %s", got)
	}
	if _, ok := props(create)["append"]; ok {
		t.Error("append is offered on a create")
	}
	r, err := Build(Input{Op: &normalize.Operation{ID: "patchRule", Method: "PATCH", Kind: toolspec.KindUpdate, Model: "Rule", Body: ruleBody(), IDSchema: idSchema},
		Model: ruleModel(), Mutation: true, Native: ns, Overlay: ov})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"placement", "append"} {
		p, ok := param(r, name)
		if !ok || p.In != toolspec.InBody {
			t.Errorf("update %s: param %v, %v; want in the body", name, p, ok)
		}
	}
	// A model without list fields gets no append; other models no placement.
	plain := &normalize.Schema{Types: []string{"object"}, Properties: map[string]*normalize.Schema{"descr": {Types: str}}}
	other := build(t, Input{Op: &normalize.Operation{ID: "patchAlias", Method: "PATCH", Kind: toolspec.KindUpdate, Model: "Alias", Body: plain, IDSchema: idSchema},
		Model: &normalize.Model{Name: "Alias", Schema: plain}, Mutation: true, Overlay: ov})
	for _, name := range []string{"placement", "append"} {
		if _, ok := props(other)[name]; ok {
			t.Errorf("%s offered on a model it does not apply to", name)
		}
	}
	list := &normalize.Operation{ID: "getLogs", Method: "GET", Kind: toolspec.KindList, Plural: true, Model: "Log", Params: []*normalize.Param{{Name: "query"}}}
	if _, ok := props(build(t, Input{Op: list, Model: &normalize.Model{Name: "Log"}, Overlay: ov}))["reverse"]; ok {
		t.Error("reverse offered on a list that is not a log")
	}
	r, err = Build(Input{Op: list, Model: &normalize.Model{Name: "Log"}, Overlay: ov, Log: true})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := param(r, "reverse"); !ok || p.In != toolspec.InQuery {
		t.Errorf("log reverse: %v, %v; want a query parameter", p, ok)
	}
	apply := build(t, Input{Op: &normalize.Operation{ID: "postApply", Method: "POST", Kind: toolspec.KindApply, Model: "FirewallApply"}, Mutation: true, Overlay: ov})
	if got := prop(t, apply, "async")["description"]; got != "false: wait." {
		t.Errorf("apply async = %v", got)
	}
}

func TestFieldTextsFromNativeSchemaAndOverlay(t *testing.T) {
	ov, ns := testOverlay(t), nativeSchema(t)
	create := build(t, Input{Op: &normalize.Operation{ID: "postRule", Method: "POST", Kind: toolspec.KindCreate, Model: "Rule", Body: ruleBody()},
		Model: ruleModel(), Mutation: true, Native: ns, Overlay: ov, ListTool: func(m string) string { return map[string]string{"Schedule": "pfsense_list_schedules"}[m] }})
	for name, want := range map[string]string{
		"descr": "A corrected text.", // the overlay's correction replaces the spec's cut text
		"sched": "The schedule. Takes the `name` of an existing Schedule (pfsense_list_schedules).",
		"peer":  "The peer. The tunnel's assigned name.", // an overlay hint replaces the generic reference
		"type":  "The type. One of: pass, block.",
	} {
		if got := prop(t, create, name)["description"]; got != want {
			t.Errorf("%s description = %q, want %q", name, got, want)
		}
	}
	// Without the overlay, the spec's cut sentence is dropped.
	bare := build(t, Input{Op: &normalize.Operation{ID: "postRule", Method: "POST", Kind: toolspec.KindCreate, Model: "Rule", Body: ruleBody()}, Model: ruleModel(), Mutation: true})
	if got := prop(t, bare, "descr")["description"]; got != "A description." {
		t.Errorf("descr without the overlay = %q, want the cut sentence dropped", got)
	}
}

func TestUpdateDescribesFieldsByReferenceAndLeavesFixedOnesOut(t *testing.T) {
	ns := nativeSchema(t)
	body := ruleBody()
	body.Properties["extra"] = &normalize.Schema{Types: str, Description: "Only the update has this.<br>"}
	m := build(t, Input{Op: &normalize.Operation{ID: "patchRule", Method: "PATCH", Kind: toolspec.KindUpdate, Model: "Rule", Body: body, IDSchema: idSchema},
		Model: ruleModel(), Mutation: true, Native: ns, Create: &Create{Tool: "pfsense_create_rule", Body: ruleBody()}})
	if _, ok := props(m)["floating"]; ok {
		t.Error("floating is not editable after creation but is an update input")
	}
	for name, want := range map[string]string{
		"type":      `{"enum":["pass","block"],"type":"string"}`,
		"interface": `{"items":{"type":"string"},"type":"array"}`,
		"extra":     `{"description":"Only the update has this.","type":"string"}`,
	} {
		if got, _ := Marshal(prop(t, m, name)); got != want {
			t.Errorf("update %s\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestQueryNamesListFieldsAndBuildsItsExampleFromRealValues(t *testing.T) {
	ns := nativeSchema(t)
	list := func(model *normalize.Model) string {
		op := &normalize.Operation{ID: "getX", Method: "GET", Kind: toolspec.KindList, Plural: true, Model: model.Name, Params: []*normalize.Param{{Name: "query"}}}
		d, _ := prop(t, build(t, Input{Op: op, Model: model, Native: ns}), "query")["description"].(string)
		return d
	}
	obj := func(props map[string]*normalize.Schema) *normalize.Model {
		return &normalize.Model{Name: "X", HasIDs: true, Schema: &normalize.Schema{Types: []string{"object"}, Properties: props}}
	}
	for _, tc := range []struct {
		name  string
		model *normalize.Model
		want  string
	}{
		{"a list of interfaces", ruleModel(),
			`{"field": value} or {"field__op": value}; all must match. List fields (interface) match an element with __contains. Example: {"interface__contains": "lan"}.`},
		{"a list with choices", obj(map[string]*normalize.Schema{"proto": {Types: []string{"array"}, Items: &normalize.Schema{Types: str, Enum: []any{"", "tcp"}}}}),
			`{"field": value} or {"field__op": value}; all must match. List fields (proto) match an element with __contains. Example: {"proto__contains": "tcp"}.`},
		{"a boolean", obj(map[string]*normalize.Schema{"enabled": {Types: []string{"boolean"}}, "descr": {Types: str}}),
			`{"field": value} or {"field__op": value}; all must match. Example: {"enabled": true}.`},
		{"a number with a minimum", obj(map[string]*normalize.Schema{"port": {Types: integer, Minimum: ptr(float64(1024))}}),
			`{"field": value} or {"field__op": value}; all must match. Example: {"port__gte": 1024}.`},
		{"nothing to build from", obj(map[string]*normalize.Schema{"descr": {Types: str}}),
			`{"field": value} or {"field__op": value}; all must match.`},
	} {
		if got := list(tc.model); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.name, got, tc.want)
		}
		if strings.Contains(list(tc.model), "bt_") {
			t.Errorf("%s: the example uses the test prefix", tc.name)
		}
	}
	if got := ruleModel().ListFields(); !reflect.DeepEqual(got, []string{"interface"}) {
		t.Errorf("ListFields = %v, want [interface]", got)
	}
}

// A create must name the fields pfSense requires, and those whose default it refuses itself
// (an empty list where allow_empty is off); a conditional, read-only or emptiable one is free.
func TestNativeRequiredIncludesRefusedDefaults(t *testing.T) {
	s, err := native.Parse([]byte(`{"version":"v0","models":{"Limiter":{"id_type":"integer","fields":{` +
		`"name":{"type":"string","required":true},` +
		`"bandwidth":{"type":"array","many":true,"default":[],"allow_empty":false},` +
		`"queues":{"type":"array","many":true,"default":[],"allow_empty":true},` +
		`"descr":{"type":"string","default":"","allow_empty":false,"conditions":{"enabled":true}},` +
		`"number":{"type":"integer","required":true,"read_only":true},` +
		`"sched":{"type":"string","required":true,"default":"wf2q+"}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model("Limiter")
	got := map[string]bool{}
	for _, f := range []string{"name", "bandwidth", "queues", "descr", "number", "sched"} {
		got[f] = nativeRequired(m, f)
	}
	want := map[string]bool{"name": true, "bandwidth": true, "queues": false, "descr": false, "number": false, "sched": false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("required = %v, want %v", got, want)
	}
}
