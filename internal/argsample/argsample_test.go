package argsample

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/server/argcheck"
)

const schema = `{"type":"object","additionalProperties":false,"required":["name","type","id","tags","query"],"properties":{
	"name":{"type":"string","maxLength":6},"type":{"type":"string","enum":["host","network"]},
	"id":{"type":["integer","string"]},"port":{"type":"integer","minimum":1,"maximum":65535},
	"tags":{"type":"array","minItems":1,"items":{"type":"string","minLength":3}},
	"query":{"type":"object","minProperties":1,"additionalProperties":{"type":["string","number","boolean"]}},
	"confirm":{"type":"boolean"}}}`

func TestSampleSatisfiesTheSchema(t *testing.T) {
	sch, err := argcheck.Compile(schema)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{}, {All: true}, {Values: map[string]any{"id": "lan"}}} {
		got, err := Sample(schema, o)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(got); err != nil {
			b, _ := json.Marshal(got)
			t.Errorf("Sample(%+v) = %s: %v", o, b, err)
		}
	}
	got, _ := Sample(schema, Options{Values: map[string]any{"id": "lan"}})
	b, _ := json.Marshal(got)
	if string(b) != `{"id":"lan","name":"bt_nam","query":{"key0":"bt_value"},"tags":["bt_tags"],"type":"host"}` {
		t.Errorf("sample = %s", b)
	}
	all, _ := Sample(schema, Options{All: true})
	if _, ok := all["confirm"]; ok || all["port"] != 1.0 {
		t.Errorf("All sample = %v: want port filled and confirm left out", all)
	}
}

func TestIDs(t *testing.T) {
	for schema, want := range map[string]map[string]any{
		`{"properties":{"id":{"type":"integer"}}}`:                               {"id": 0.0, "parent_id": 0.0},
		`{"properties":{"id":{"type":"string"},"parent_id":{"type":"integer"}}}`: {"id": "lan", "parent_id": 0.0},
		`{"properties":{"id":{"type":"integer"},"parent_id":{"type":"string"}}}`: {"id": 0.0, "parent_id": "lan"},
		`{"properties":{"id":{"type":["integer","string"]}}}`:                    {"id": 0.0, "parent_id": 0.0},
		`not json`: {"id": 0.0, "parent_id": 0.0},
	} {
		if got := IDs(schema); !reflect.DeepEqual(got, want) {
			t.Errorf("IDs(%s) = %v, want %v", schema, got, want)
		}
	}
}
