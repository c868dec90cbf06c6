package rawspec

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	s, err := Parse([]byte(`{"openapi":"3.0.0","info":{"version":"v9"},
		"paths":{"/api/v2/a":{"parameters":[],"get":{"operationId":"getA","parameters":[{"name":"limit","in":"query"}]},"post":{"operationId":"postA"}}},
		"components":{"schemas":{"A":{"properties":{"id":{"readOnly":true},"name":{"type":"string"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Spec{Version: "v9",
		Operations: map[string]Operation{
			"GET /api/v2/a":  {ID: "getA", Query: map[string]bool{"limit": true}},
			"POST /api/v2/a": {ID: "postA", Query: map[string]bool{}},
		},
		Models: map[string]map[string]bool{"A": {"name": true}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Parse = %+v\nwant    %+v", s, want)
	}
	if _, err := Parse([]byte("<html>")); err == nil {
		t.Error("no error for HTML")
	}
}
