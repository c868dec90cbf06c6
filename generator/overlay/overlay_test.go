package overlay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func TestParseRefusesEntriesWithoutTheirFacts(t *testing.T) {
	for _, tc := range []struct {
		name, json, want string
	}{
		{"unknown key", `{"controlz": []}`, `unknown field "controlz"`},
		{"control without source", `{"controls":[{"name":"placement","kinds":["create"],"schema":{"type":"integer"},"description":"d"}]}`,
			"control placement: needs kinds, schema, description and source"},
		{"control twice", `{"controls":[{"name":"a","kinds":["list"],"schema":{},"description":"d","source":"s"},{"name":"a","kinds":["list"],"schema":{},"description":"d","source":"s"}]}`,
			"control a: listed twice"},
		{"control twice for one kind", `{"controls":[{"name":"a","kinds":["list"],"schema":{},"description":"d","source":"s"},{"name":"a","kinds":["get","list"],"schema":{},"description":"d","source":"s"}]}`,
			"control a: listed twice"},
		{"unknown kind", `{"controls":[{"name":"a","kinds":["lists"],"schema":{},"description":"d","source":"s"}]}`, `control a: unknown kind "lists"`},
		{"hint without its fact", `{"hints":[{"model":"M","field":"f","text":"t","source":"s"}]}`, "hint M.f: needs model, text, fact and source"},
		{"hint with field and kinds", `{"hints":[{"model":"M","field":"f","kinds":["list"],"text":"t","fact":"f","source":"s"}]}`, "hint M.f: give either a field or kinds"},
		{"hint targeting nothing", `{"hints":[{"model":"M","text":"t","fact":"f","source":"s"}]}`, "hint M.: give either a field or kinds"},
		{"field text without source", `{"fields":[{"model":"M","field":"f","text":"t"}]}`, "field text M.f: needs model, field, text and source"},
		{"id text without source", `{"ids":[{"model":"M","text":"t"}]}`, "id text M: needs model, text and source"},
		{"kept fields without source", `{"kept":[{"model":"M","fields":{"tracker":"t"}}]}`, "kept fields of M: need model, fields and source"},
		{"kept field without its text", `{"kept":[{"model":"M","fields":{"tracker":""},"source":"s"}]}`, "kept field M.tracker: needs a name and a text"},
		{"summary without the spec text it replaces", `{"summaries":[{"model":"M","kind":"action","text":"t","source":"s"}]}`, "summary of M action: needs model, kind, spec, text and source"},
		{"kept metadata not kept", `{"kept":[{"model":"M","fields":{"tracker":"t"},"metadata":["created_time"],"source":"s"}]}`, "kept metadata M.created_time: not one of its fields"},
	} {
		_, err := Parse([]byte(tc.json))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestLookups(t *testing.T) {
	o, err := Parse([]byte(`{
		"controls": [
			{"name": "placement", "kinds": ["create", "update"], "schema": {"type": "integer"}, "description": "Where.", "models": {"Rule": "Order matters.", "NAT": ""}, "source": "s"},
			{"name": "append", "kinds": ["update"], "models_with_list_fields": true, "schema": {"type": "boolean"}, "description": "Add.", "source": "s"},
			{"name": "reverse", "kinds": ["list"], "logs_only": true, "schema": {"type": "boolean"}, "description": "Newest first.", "source": "s"},
			{"name": "apply", "kinds": ["create"], "pending_only": true, "schema": {"type": "boolean"}, "description": "Apply.", "source": "s"}
		],
		"ids": [{"model": "Iface", "text": "A name.", "source": "s"}],
		"fields": [{"model": "Rule", "field": "descr", "text": "Fixed.", "source": "s"}],
		"hints": [
			{"model": "Rule", "field": "tun", "text": "A name.", "fact": "f", "source": "s"},
			{"model": "Rule", "kinds": ["create"], "text": "Order.", "fact": "f", "source": "s"}
		]}`))
	if err != nil {
		t.Fatal(err)
	}
	names := func(as []Applied) string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name+"="+a.Description)
		}
		return strings.Join(out, "; ")
	}
	for _, tc := range []struct {
		tool Tool
		want string
	}{
		{Tool{Kind: toolspec.KindCreate, Model: "Rule"}, "placement=Where. Order matters."},
		{Tool{Kind: toolspec.KindCreate, Model: "Rule", Pending: true}, "placement=Where. Order matters.; apply=Apply."},
		{Tool{Kind: toolspec.KindUpdate, Model: "Rule", HasListFields: true}, "placement=Where. Order matters.; append=Add."},
		{Tool{Kind: toolspec.KindUpdate, Model: "NAT"}, "placement=Where."},
		{Tool{Kind: toolspec.KindUpdate, Model: "Alias", HasListFields: true, Pending: true}, "append=Add."},
		{Tool{Kind: toolspec.KindList, Model: "Rule", HasListFields: true}, ""},
		{Tool{Kind: toolspec.KindList, Model: "Log", Log: true}, "reverse=Newest first."},
	} {
		if got := names(o.ControlsFor(tc.tool)); got != tc.want {
			t.Errorf("ControlsFor(%+v) = %q, want %q", tc.tool, got, tc.want)
		}
	}
	if got, ok := o.IDText("Iface"); !ok || got != "A name." {
		t.Errorf("IDText = %q, %v", got, ok)
	}
	if got, ok := o.FieldText("Rule", "descr"); !ok || got != "Fixed." {
		t.Errorf("FieldText = %q, %v", got, ok)
	}
	if got := o.FieldHints("Rule", "tun"); len(got) != 1 || got[0] != "A name." {
		t.Errorf("FieldHints = %q", got)
	}
	if got := o.ToolHints("Rule", toolspec.KindCreate); len(got) != 1 || got[0] != "Order." {
		t.Errorf("ToolHints(create) = %q", got)
	}
	if got := o.ToolHints("Rule", toolspec.KindList); len(got) != 0 {
		t.Errorf("ToolHints(list) = %q, want none", got)
	}
	var nilOverlay *Overlay
	if nilOverlay.ControlsFor(Tool{Kind: toolspec.KindCreate, Model: "Rule"}) != nil || nilOverlay.ToolHints("Rule", toolspec.KindCreate) != nil {
		t.Error("a nil overlay adds something")
	}
}

// behaviour is the part of the behaviour dump these checks read.
type behaviour struct {
	Models map[string]struct {
		Many       bool     `json:"many"`
		ConfigPath string   `json:"config_path"`
		SortBy     []string `json:"sort_by"`
	} `json:"models"`
}

// TestCommittedOverlayRestsOnThePackagesFacts checks every entry of overlay.json against the
// native schema and behaviour dump of the build's REST API version: the models and fields it
// names exist, placement is only offered where Model::set_placement() acts (many models with a
// config path), named ids are only claimed where id_type is string.
func TestCommittedOverlayRestsOnThePackagesFacts(t *testing.T) {
	o, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	nb, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	nat, err := native.Parse(nb)
	if err != nil {
		t.Fatal(err)
	}
	if nat.Empty() {
		t.Log("the build has no native schema: only the overlay's own form is checked")
		return
	}
	bb, err := specfile.ReadBehaviour()
	if err != nil {
		t.Fatal(err)
	}
	var beh behaviour
	if err := json.Unmarshal(bb, &beh); err != nil {
		t.Fatal(err)
	}
	model := func(what, class string) *native.Model {
		m := nat.Model(class)
		if m == nil {
			t.Errorf("%s: REST API %s has no model %s", what, nat.Version, class)
		}
		return m
	}
	for _, c := range o.Controls {
		for class := range c.Models {
			m := model("control "+c.Name, class)
			if c.Name != "placement" || m == nil {
				continue
			}
			b, ok := beh.Models[class]
			switch {
			case !ok:
				t.Logf("placement on %s: the build has no behaviour dump entry to check it against", class)
			case !b.Many || b.ConfigPath == "":
				t.Errorf("placement on %s, which Model::set_placement() ignores (many=%v, config_path=%q)", class, b.Many, b.ConfigPath)
			case len(b.SortBy) > 0 && !strings.Contains(c.Models[class], "sorted"):
				t.Errorf("placement on %s, which the package sorts by %v: its note must say so", class, b.SortBy)
			}
		}
	}
	for _, i := range o.IDs {
		m := model("id text", i.Model)
		switch {
		case m == nil:
		case i.Of == "" && m.IDType != "string":
			t.Errorf("id text for %s, whose id_type is %q: its ids are positions (of the list `of` names?)", i.Model, m.IDType)
		case i.Of != "" && model("id text", i.Of) != nil:
			// Positions in another model's list: both read the same config path.
			if b, o := beh.Models[i.Model], beh.Models[i.Of]; b.ConfigPath == "" || b.ConfigPath != o.ConfigPath {
				t.Errorf("id text for %s as positions of %s: config paths %q and %q differ", i.Model, i.Of, b.ConfigPath, o.ConfigPath)
			}
		}
	}
	for _, f := range o.Fields {
		if m := model("field text", f.Model); m != nil && m.Field(f.Field) == nil {
			t.Errorf("field text for %s.%s: no such field", f.Model, f.Field)
		}
	}
	for _, h := range o.Hints {
		if m := model("hint", h.Model); m != nil && h.Field != "" && m.Field(h.Field) == nil {
			t.Errorf("hint for %s.%s: no such field", h.Model, h.Field)
		}
	}
	// Kept fields are read-only identities of models with a replace endpoint: a writable
	// field needs no entry, and one the model lacks is a stale line.
	for _, k := range o.Kept {
		m := model("kept fields", k.Model)
		if m == nil {
			continue
		}
		for name := range k.Fields {
			switch f := m.Field(name); {
			case f == nil:
				t.Errorf("kept field %s.%s: no such field", k.Model, name)
			case !f.ReadOnly:
				t.Errorf("kept field %s.%s is writable: the replace tool takes it anyway", k.Model, name)
			}
		}
	}
}

// A summary replaces the spec's text only while the spec still says what the entry names.
func TestSummaryTextReplacesOnlyTheTextItNames(t *testing.T) {
	o, err := Parse([]byte(`{"summaries":[{"model":"CAGen","kind":"action","spec":"Generate a certificate.","text":"Generates a CA.","source":"s"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := o.SummaryText("CAGen", "action", "Generate a certificate."); !ok || got != "Generates a CA." {
		t.Errorf("SummaryText = %q, %v", got, ok)
	}
	if _, ok := o.SummaryText("CAGen", "action", "Generate a new CA."); ok {
		t.Error("a spec with other text was corrected")
	}
	if _, ok := o.SummaryText("CAGen", "create", "Generate a certificate."); ok {
		t.Error("another kind was corrected")
	}
}
