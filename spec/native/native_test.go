package native_test

import (
	"encoding/json"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{`{}`, `{"models": [], "endpoints": {}}`} {
		s, err := native.Parse([]byte(in))
		if err != nil {
			t.Fatalf("Parse(%s): %v", in, err)
		}
		if !s.Empty() {
			t.Errorf("Parse(%s).Empty() = false", in)
		}
		if s.Model("FirewallRule") != nil || s.ModelAt("/api/v2/firewall/rule") != nil {
			t.Errorf("Parse(%s): an empty schema found a model", in)
		}
	}
}

func TestParseRefusesNonsense(t *testing.T) {
	for _, in := range []string{`[]`, `{"models": 5}`, `{"models": {"X": {"fields": 3}}, "version": "v1"}`, `{"models": {"X": {"fields": {}}}}`} {
		if _, err := native.Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%s) = nil error, want one", in)
		}
	}
}

// TestParseKeepsFieldOrderAndPHPShapes: the fields keep document order, and PHP's encodings
// (an empty associative array as [], a foreign model class as a string or a list) decode.
func TestParseKeepsFieldOrderAndPHPShapes(t *testing.T) {
	in := `{"version": "v9", "endpoints": {"/api/v2/x": {"url": "/api/v2/x", "model_class": "X", "many": true,
	  "request_method_options": ["GET"], "get_privileges": ["page-all", "api-v2-x-get"]}},
	  "models": {"X": {"class": "X", "id_type": "integer", "parent_id_type": null, "many": true, "fields": {
	    "zeta": {"type": "string", "conditions": [], "referenced_by": [], "foreign_model_class": null},
	    "alpha": {"type": "string", "sensitive": true, "conditions": {"zeta": ["a", "b"]}, "foreign_model_class": "Y", "foreign_model_field": "name"},
	    "mid": {"type": "integer", "write_only": true, "referenced_by": {"Z": "x"}, "foreign_model_class": ["Y", "W"]}}}}}`
	s, err := native.Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	m := s.ModelAt("/api/v2/x")
	if m == nil {
		t.Fatal("ModelAt(/api/v2/x) = nil")
	}
	var order []string
	for _, f := range m.Fields {
		order = append(order, f.Name)
	}
	if got, want := jsonOf(order), `["zeta","alpha","mid"]`; got != want {
		t.Errorf("field order = %s, want %s", got, want)
	}
	if got, want := jsonOf(m.SecretFields()), `["alpha","mid"]`; got != want {
		t.Errorf("SecretFields = %s, want %s", got, want)
	}
	a := m.Field("alpha")
	if got, want := jsonOf(a.Conditions), `{"zeta":["a","b"]}`; got != want || !a.Conditional() {
		t.Errorf("alpha conditions = %s, want %s", got, want)
	}
	if got, want := jsonOf(a.ForeignModels), `["Y"]`; got != want {
		t.Errorf("alpha foreign models = %s, want %s", got, want)
	}
	if got, want := jsonOf(m.Field("mid").ForeignModels), `["Y","W"]`; got != want {
		t.Errorf("mid foreign models = %s, want %s", got, want)
	}
	if got, want := jsonOf(m.Field("mid").ReferencedBy), `{"Z":"x"}`; got != want {
		t.Errorf("mid referenced_by = %s, want %s", got, want)
	}
	if got, want := jsonOf(a.ParsedConditions()), `[{"Field":"zeta","Negate":false,"Parent":false,"Values":["a","b"]}]`; got != want {
		t.Errorf("alpha parsed conditions = %s, want %s", got, want)
	}
	if m.Field("zeta").Conditional() || m.ParentIDType != "" {
		t.Error("zeta should be unconditional and X have no parent id type")
	}
	if got, want := jsonOf(s.Endpoints["/api/v2/x"].Privileges), `{"get":["page-all","api-v2-x-get"]}`; got != want {
		t.Errorf("privileges = %s, want %s", got, want)
	}
}

// TestTheBuildsSchema reads the native schema the build was given (//spec:native). With none,
// it is `{}` and must parse as empty; with one, it must agree with itself and with the spec's
// version. The counts are computed here and checked against the schema's own cross-references,
// so the test holds for any REST API version.
func TestTheBuildsSchema(t *testing.T) {
	b, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	s, err := native.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Empty() {
		t.Log("the build has no native schema for this spec: only the empty case is checked")
		return
	}
	spec, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Info  struct{ Version string }
		Paths map[string]any
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	if s.Version != doc.Info.Version {
		t.Errorf("native schema is %s, spec is %s: the build should not have paired them", s.Version, doc.Info.Version)
	}
	for path := range doc.Paths {
		if _, ok := s.Endpoints[path]; !ok {
			t.Errorf("spec path %s has no endpoint in the native schema", path)
		}
	}
	secrets := 0
	for url, e := range s.Endpoints {
		if s.Model(e.ModelClass) == nil {
			t.Errorf("endpoint %s names model %q, which the schema does not have", url, e.ModelClass)
		}
	}
	for _, class := range s.ModelClasses() {
		m := s.Model(class)
		if m.ParentModel != "" && s.Model(m.ParentModel) == nil {
			t.Errorf("model %s has parent %q, which the schema does not have", class, m.ParentModel)
		}
		for _, f := range m.Fields {
			if m.Field(f.Name) != f {
				t.Errorf("%s.%s: lookup by name does not find the field", class, f.Name)
			}
			for _, c := range f.ParsedConditions() {
				owner := m
				if c.Parent {
					owner = s.Model(m.ParentModel)
				}
				if owner.Field(c.Field) == nil && !conditionOnMissingField[class+"."+f.Name+":"+c.Field] {
					t.Errorf("%s.%s is conditional on %+v, a field the model (or its parent) does not have", class, f.Name, c)
				}
			}
			if f.Secret() {
				secrets++
			}
		}
	}
	if secrets == 0 {
		t.Error("no sensitive or write-only field at all: the flags were not read")
	}
	t.Logf("%s: %d endpoints, %d models, %d secret fields", s.Version, len(s.Endpoints), len(s.Models), secrets)
}

// conditionOnMissingField lists conditions the package itself declares on a field the model does
// not have. TrafficShaperLimiterQueue.ecn names `sched`, a field of its parent
// TrafficShaperLimiter, without `parent__`. On a real firewall Core/Field.inc are_conditions_met
// then throws FIELD_CONDITIONS_REQUIRE_NON_EXISTENT_MODEL_FIELD (a 500) once the earlier `aqm`
// condition holds.
var conditionOnMissingField = map[string]bool{
	"TrafficShaperLimiterQueue.ecn:sched": true,
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestParsedConditionsForms(t *testing.T) {
	f := &native.Field{Conditions: map[string]any{"!tls": "", "parent__scheduler": []any{"HFSC", "CBQ"}, "mode": true}}
	got := jsonOf(f.ParsedConditions())
	want := `[{"Field":"tls","Negate":true,"Parent":false,"Values":[""]},{"Field":"mode","Negate":false,"Parent":false,"Values":[true]},{"Field":"scheduler","Negate":false,"Parent":true,"Values":["HFSC","CBQ"]}]`
	if got != want {
		t.Errorf("ParsedConditions = %s\nwant %s", got, want)
	}
}
