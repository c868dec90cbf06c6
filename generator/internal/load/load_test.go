package load

import (
	"fmt"
	"strings"
	"testing"
)

func TestBytesRejectsWhatIsNotAnOpenAPIDocument(t *testing.T) {
	for _, tc := range []struct {
		name, doc, wantErr string
	}{
		{"not JSON", `openapi: 3.0.0`, "not a JSON object"},
		{"no openapi field", `{"swagger": "2.0"}`, `no "openapi" field`},
		{"external reference", `{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {
			"requestBody": {"content": {"application/json": {"schema": {"$ref": "http://example.com/s.json#/S"}}}},
			"responses": {"200": {"description": "ok"}}}}}}`, "resolve references"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Bytes([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Bytes(%s) error = %v, want it to contain %q", tc.name, err, tc.wantErr)
			}
		})
	}
}

func TestBytesDropsResponsesKeepsRequests(t *testing.T) {
	doc, err := Bytes([]byte(`{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
		"components": {"schemas": {"S": {"type": "object", "properties": {"name": {"type": "string"}}}}},
		"paths": {"/x": {"post": {"operationId": "postX",
			"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}},
			"responses": {"200": {"description": "a large response schema the generator does not need"}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	op := doc.Paths.Value("/x").Post
	if op.Responses.Value("200") != nil {
		t.Error("the 200 response was kept; responses should be dropped")
	}
	schema := op.RequestBody.Value.Content.Get("application/json").Schema.Value
	if schema == nil || schema.Properties["name"] == nil {
		t.Errorf("request body $ref was not resolved: %+v", schema)
	}
}

// TestBytesRecordsPropertyOrder checks that each component schema carries its properties in
// document order (the order the REST API declares and validates its fields in).
func TestBytesRecordsPropertyOrder(t *testing.T) {
	doc, err := Bytes([]byte(`{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
		"components": {"schemas": {"M": {"type": "object", "properties": {"zeta": {"type": "string"}, "alpha": {"type": "boolean"}, "mid": {"type": "integer"}}},
			"Empty": {"type": "object"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(doc.Components.Schemas["M"].Value.Extensions[PropertyOrderExtension])
	if got != "[zeta alpha mid]" {
		t.Errorf("property order = %s, want [zeta alpha mid]", got)
	}
	if _, ok := doc.Components.Schemas["Empty"].Value.Extensions[PropertyOrderExtension]; ok {
		t.Error("a schema without properties has an order")
	}
}
