package argsample

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/server/argcheck"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
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

func TestVaryKeepsValuesValid(t *testing.T) {
	max := 10.0
	for _, c := range []struct {
		f    Field
		v    any
		k    int
		want any
	}{
		{Field{Class: "StringField"}, "192.0.2.10", 1, "192.0.2.9"},
		{Field{Class: "StringField"}, "192.0.2.1", 1, "192.0.2.254"},
		{Field{Class: "StringField"}, "192.0.2.0/24", 1, "192.0.3.0/24"},
		{Field{Class: "StringField"}, "2001:db8::10", 2, "2001:db8::12"},
		{Field{Class: "PortField"}, "1194", 1, "1195"},
		{Field{Class: "StringField"}, "52:54:00:bb:00:01", 1, "52:54:00:bb:00:02"},
		{Field{Class: "StringField"}, "bt-host", 1, "bt-host2"},
		{Field{Class: "StringField"}, "bt.example.com", 1, "bt2.example.com"},
		{Field{Class: "InterfaceField"}, "lan", 1, "opt1"},
		{Field{Class: "StringField", Choices: []any{"", "a", "b"}}, "b", 1, "a"},
		{Field{Class: "IntegerField", Maximum: &max}, 10.0, 1, 9.0},
		{Field{Class: "IntegerField"}, 32.0, 2, 30.0}, // down: an IPv4 prefix stays valid
		{Field{Class: "IntegerField"}, 1.0, 1, 2.0},   // up: not below 1
		{Field{Class: "IntegerField"}, int64(5), 1, int64(4)},
		{Field{Class: "StringField"}, "same", 0, "same"},
	} {
		got, ok := Vary(c.f, c.v, c.k)
		if !ok || got != c.want {
			t.Errorf("Vary(%s, %v, %d) = %v, %v; want %v", c.f.Class, c.v, c.k, got, ok, c.want)
		}
	}
	// A WireGuard key stays a key: 32 bytes, the clamped bytes untouched.
	key := "yHFOWLUpwKb7dBuz7kWW7bfd/32+JKO3vleuslbrnnA="
	got, ok := Vary(Field{Class: "StringField"}, key, 1)
	if s, _ := got.(string); !ok || s == key || len(s) != len(key) || s[0] != key[0] || s[len(s)-2:] != key[len(key)-2:] {
		t.Errorf("Vary(key) = %v, %v", got, ok)
	}
	for _, f := range []Field{{Class: "ForeignModelField"}, {Class: "BooleanField"}} {
		if _, ok := Vary(f, "x", 1); ok {
			t.Errorf("Vary(%s) should not vary", f.Class)
		}
	}
}

func TestSampleFollowsTheFieldFacts(t *testing.T) {
	s := `{"type":"object","required":["mode","algos","name"],"properties":{
		"mode":{"type":"string","enum":["tunnel","transport"]},
		"algos":{"type":"array","items":{"type":"string","enum":["hmac_sha256"]}},
		"name":{"type":"string"},"bandwidth":{"type":"array","items":{"type":"object","properties":{"bw":{"type":"integer"}}}},
		"otp":{"type":"boolean"},"password":{"type":"string"},"rate":{"type":"integer"}}}`
	fields := map[string]Field{
		"mode":      {Class: "StringField", Type: "string"},
		"algos":     {Class: "StringField", Type: "string"},
		"name":      {Class: "StringField", Type: "string"},
		"bandwidth": {Class: "NestedModelField", Type: "array", NonEmpty: true, MinItems: 1},
		"otp":       {Class: "BooleanField", Type: "boolean", Default: false},
		// Required when otp is false (its default), and when the parent's scheduler allows.
		"password": {Class: "StringField", Type: "string", Required: true, Conditions: []native.Condition{{Field: "otp", Values: []any{false}}}},
		"rate":     {Class: "IntegerField", Type: "integer", Required: true, Conditions: []native.Condition{{Field: "scheduler", Parent: true, Values: []any{"HFSC"}}}},
	}
	got, err := Sample(s, Options{Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	want := `{"algos":["hmac_sha256"],"bandwidth":[{}],"mode":"tunnel","name":"bt_name","otp":false,"password":"bt_password","rate":1}`
	if string(b) != want {
		t.Errorf("sample = %s\nwant     %s", b, want)
	}
}
