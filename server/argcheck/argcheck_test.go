package argcheck

import (
	"encoding/json"
	"strings"
	"testing"
)

const aliasCreate = `{
  "type": "object", "additionalProperties": false,
  "required": ["name", "type"],
  "properties": {
    "name": {"type": "string", "maxLength": 31},
    "type": {"type": "string", "enum": ["host", "network", "port"]},
    "descr": {"type": "string"},
    "address": {"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 3},
    "parent_id": {"type": ["integer", "string"]},
    "limit": {"type": "integer", "minimum": 1, "maximum": 500},
    "query": {"type": "object", "minProperties": 1, "additionalProperties": {"type": ["string", "number", "boolean"]}},
    "confirm": {"type": "boolean"}
  }
}`

func args(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValidateExplainsEachProblem(t *testing.T) {
	sch, err := Compile(aliasCreate)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, args, want string
	}{
		{"valid", `{"name": "bt_web", "type": "host", "address": ["10.0.0.1"], "confirm": true}`, ""},
		{"missing required with enum hint", `{"name": "x"}`, "argument `type`: is required; use one of: host, network, port"},
		{"bad enum", `{"name": "x", "type": "hots"}`, "argument `type`: \"hots\" is not allowed; use one of: host, network, port"},
		{"unknown argument with suggestion", `{"name": "x", "type": "host", "adress": []}`, "argument `adress`: is not an argument of this tool; did you mean `address`? (valid: address, confirm, descr, limit, name, parent_id, query, type)"},
		{"no coercion of strings to integers", `{"name": "x", "type": "host", "limit": "5"}`, "argument `limit`: must be an integer, got the string \"5\""},
		{"fractional integer", `{"name": "x", "type": "host", "limit": 2.5}`, "argument `limit`: must be an integer, got the number 2.5"},
		{"range", `{"name": "x", "type": "host", "limit": 501}`, "argument `limit`: must be <= 500, got 501"},
		{"length", `{"name": "` + strings.Repeat("n", 32) + `", "type": "host"}`, "argument `name`: must be at most 31 character(s) long, got 32"},
		{"array item path", `{"name": "x", "type": "host", "address": ["a", ""]}`, "argument `address[1]`: must be at least 1 character(s) long, got 0"},
		{"max items", `{"name": "x", "type": "host", "address": ["a", "b", "c", "d"]}`, "argument `address`: takes at most 3 item(s), got 4"},
		{"parent_id accepts strings", `{"name": "x", "type": "host", "parent_id": "lan"}`, ""},
		{"parent_id accepts integers", `{"name": "x", "type": "host", "parent_id": 2}`, ""},
		{"parent_id refuses booleans", `{"name": "x", "type": "host", "parent_id": true}`, "argument `parent_id`: must be an integer or a string, got the boolean true"},
		{"empty query", `{"name": "x", "type": "host", "query": {}}`, "argument `query`: needs at least 1 entr(y/ies)"},
		{"query values", `{"name": "x", "type": "host", "query": {"name__in": ["a"]}}`, "argument `query.name__in`: must be a string or a number or a boolean (true or false), got an array"},
		{"boolean confirm", `{"name": "x", "type": "host", "confirm": "yes"}`, "argument `confirm`: must be a boolean (true or false), got the string \"yes\""},
		{"several problems at once", `{"type": "hots", "nmae": "x"}`, "argument `name`: is required; argument `nmae`: is not an argument of this tool; did you mean `name`?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sch.Validate(args(t, tc.args))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v\nwant it to contain %s", err, tc.want)
			}
		})
	}
}

func TestProblemsAreCapped(t *testing.T) {
	sch, _ := Compile(`{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}}`)
	err := sch.Validate(args(t, `{"b1":1,"b2":1,"b3":1,"b4":1,"b5":1,"b6":1,"b7":1}`))
	e, ok := err.(*Error)
	if !ok || len(e.Problems) != maxProblems+1 || e.Problems[maxProblems].Message != "and 2 more problem(s)" {
		t.Fatalf("err = %v", err)
	}
}

func TestCompileRejectsBrokenSchemas(t *testing.T) {
	for _, s := range []string{`not json`, `{"type": 5}`, `{"pattern": "("}`, `[1]`} {
		if _, err := Compile(s); err == nil {
			t.Errorf("Compile(%s) succeeded", s)
		}
	}
}

func TestAnyOfOneOf(t *testing.T) {
	sch, _ := Compile(`{"type": "object", "properties": {
		"id": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
		"v": {"anyOf": [{"type": "integer", "minimum": 10}, {"type": "string", "enum": ["auto"]}]}}}`)
	if err := sch.Validate(args(t, `{"id": "wan", "v": 12}`)); err != nil {
		t.Error(err)
	}
	if err := sch.Validate(args(t, `{"v": 3}`)); err == nil || !strings.Contains(err.Error(), "matches none of the allowed forms (an integer or a string)") {
		t.Errorf("err = %v", err)
	}
	if err := sch.Validate(args(t, `{"id": 1.5}`)); err == nil || !strings.Contains(err.Error(), "must match exactly one") {
		t.Errorf("err = %v", err)
	}
}

// A list tool takes no parent_id or id: the error says to filter with query instead.
func TestListToolsFilterByParentWithQuery(t *testing.T) {
	sch, err := Compile(`{"type": "object", "additionalProperties": false, "properties": {"limit": {"type": "integer"}, "query": {"type": "object"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	err = sch.Validate(args(t, `{"parent_id": "lan"}`))
	if want := "argument `parent_id`: is not an argument of this tool; to list only some objects, filter with query {\"parent_id\": ...} (valid: limit, query)"; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// Nested objects sent back as a read shows them carry `id` and `parent_id`: dropped where the
// schema does not declare them, kept at the top level and where it does.
func TestEchoedIDsOfNestedObjectsAreDropped(t *testing.T) {
	s, err := Compile(`{"type":"object","additionalProperties":false,"properties":{
		"id":{"type":"integer"},
		"objects":{"type":"array","items":{"type":"object","additionalProperties":false,"properties":{
			"name":{"type":"string"},
			"aliases":{"type":"array","items":{"type":"object","additionalProperties":false,"properties":{"host":{"type":"string"}}}},
			"open":{"type":"array","items":{"type":"object"}}}}},
		"keyed":{"type":"array","items":{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"}}}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	var args map[string]any
	json.Unmarshal([]byte(`{"id":3,"objects":[{"id":0,"name":"a","aliases":[{"parent_id":0,"id":0,"host":"x"}],"open":[{"parent_id":0,"id":1,"f":1}]}],"keyed":[{"id":"k"}]}`), &args)
	s.DropEchoedIDs(args)
	got, _ := json.Marshal(args)
	if want := `{"id":3,"keyed":[{"id":"k"}],"objects":[{"aliases":[{"host":"x"}],"name":"a","open":[{"f":1}]}]}`; string(got) != want {
		t.Errorf("after dropping: %s\nwant %s", got, want)
	}
	if err := s.Validate(args); err != nil {
		t.Errorf("still refused: %v", err)
	}
}
