package catalog

import (
	"reflect"
	"strings"
	"testing"
)

const tinySpec = `{
 "openapi": "3.0.0",
 "info": {"version": "v9.9.9"},
 "components": {"schemas": {
  "Peer": {"type": "object", "properties": {
   "zeta": {"type": "string", "maxLength": 31, "description": "The unique name for this peer.<br>"},
   "alpha": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 51820},
   "when": {"type": "string", "description": "This field is only available when alpha is set.<br>"},
   "ips": {"type": "array", "maxItems": 0, "items": {"allOf": [{"$ref": "#/components/schemas/IP"}, {"type": "object", "required": ["address"]}]}}
  }},
  "IP": {"type": "object", "properties": {"address": {"type": "string"}}}
 }},
 "paths": {
  "/api/v2/vpn/peer/ip": {"post": {
   "operationId": "postIP",
   "description": "<h3>Details:</h3>**Endpoint type**: Singular<br>**Associated model**: IP<br>**Parent model**: Peer<br>**Supported authentication modes:** [ BasicAuth, KeyAuth ]<br>**Required packages**: [ pfSense-pkg-WireGuard ]<br>**Applies immediately**: No<br>",
   "requestBody": {"content": {"application/json": {"schema": {"allOf": [
     {"type": "object", "required": ["parent_id"], "properties": {"parent_id": {"type": "integer"}}},
     {"$ref": "#/components/schemas/IP"}, {"type": "object", "required": ["address"]}]}}}},
   "responses": {"200": {"content": {"application/json": {"schema": {"allOf": [{"type": "object"},
     {"type": "object", "properties": {"data": {"allOf": [{"type": "object", "properties": {"parent_id": {"type": "string"}, "id": {"type": "integer"}}}, {"$ref": "#/components/schemas/IP"}]}}}]}}}}}
  }}
 }
}`

func TestCompile(t *testing.T) {
	c, err := Compile([]byte(tinySpec))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIVersion != "v9.9.9" || len(c.Ops) != 1 {
		t.Fatalf("version %q, %d ops", c.APIVersion, len(c.Ops))
	}
	op := c.Ops[0]
	got := []any{op.Method, op.Model, op.Parent, op.Auth, op.Packages, op.Immediate, op.Body.Model, op.Body.Required, op.IDType, op.ParentIDType, op.Plural}
	want := []any{"POST", "IP", "Peer", []string{"BasicAuth", "KeyAuth"}, []string{"pfSense-pkg-WireGuard"}, "No", "IP", []string{"parent_id", "address"}, "integer", "string", false}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("op:\n got %v\nwant %v", got, want)
	}
	peer := c.Schemas["Peer"]
	var names []string
	for _, p := range peer.Props {
		names = append(names, p.Name)
	}
	if !reflect.DeepEqual(names, []string{"zeta", "alpha", "when", "ips"}) {
		t.Fatalf("field order %v: want the document's order", names)
	}
	zeta, alpha, when, ips := peer.Prop("zeta"), peer.Prop("alpha"), peer.Prop("when"), peer.Prop("ips")
	checks := []struct {
		what      string
		got, want any
	}{
		{"unique", zeta.Unique, true},
		{"maxLength", *zeta.MaxLength, int64(31)},
		{"default is an int64", alpha.Default, int64(51820)},
		{"conditional", when.Conditional, true},
		{"child model", ips.ItemModel, "IP"},
		{"child required", ips.ItemRequired, []string{"address"}},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s: got %v, want %v", ch.what, ch.got, ch.want)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{`[]`, "decode spec"},
		{`{"info":{}}`, `not an OpenAPI document: no "openapi" field`},
		{`{"openapi":"3.0.0","paths":{"/x":{"get":{"description":"no details"}}}}`, "GET /x: description names no associated model"},
	} {
		_, err := Compile([]byte(tc.spec))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Compile(%s) = %v, want an error containing %q", tc.spec, err, tc.want)
		}
	}
}
