// Package load reads a pfSense REST API OpenAPI document with kin-openapi and resolves its
// references. It keeps only what the tool generator needs: operation responses are dropped
// before decoding, because the generator derives tools from requests, and kin-openapi's decoder
// spends most of its time on the thousands of repeated error-response schemas (2 s instead of
// 0.4 s for the v2.7.1 spec). The spec is untrusted input: references outside the document
// are refused.
package load

import (
	"encoding/json"
	"fmt"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/jsonorder"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
)

// File loads the OpenAPI document at path.
func File(path string) (*openapi3.T, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	doc, err := Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	return doc, nil
}

// Bytes loads an OpenAPI document from JSON.
func Bytes(b []byte) (*openapi3.T, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if _, ok := top["openapi"]; !ok {
		return nil, fmt.Errorf(`not an OpenAPI document: no "openapi" field`)
	}
	if raw, ok := top["paths"]; ok {
		stripped, err := withoutResponses(raw)
		if err != nil {
			return nil, err
		}
		top["paths"] = stripped
	}
	if raw, ok := top["components"]; ok {
		ordered, err := withPropertyOrder(raw)
		if err != nil {
			return nil, err
		}
		top["components"] = ordered
	}
	slim, err := json.Marshal(top)
	if err != nil {
		return nil, err
	}
	doc := new(openapi3.T)
	if err := json.Unmarshal(slim, doc); err != nil {
		return nil, fmt.Errorf("decode OpenAPI document: %w", err)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	if err := loader.ResolveRefsIn(doc, nil); err != nil {
		return nil, fmt.Errorf("resolve references: %w", err)
	}
	return doc, nil
}

// PropertyOrderExtension is put on every component schema with properties: their names in
// document order, which decoding into maps loses. The REST API writes a model's properties in
// the order its class declares its fields, the order it validates them in (Core/Model.inc
// get_fields), which decides when a field's conditions are checked.
const PropertyOrderExtension = "x-pfsense-mcp-property-order"

// withPropertyOrder adds PropertyOrderExtension to each schema of the raw components object.
func withPropertyOrder(raw json.RawMessage) (json.RawMessage, error) {
	var comps map[string]json.RawMessage
	if err := json.Unmarshal(raw, &comps); err != nil {
		return nil, fmt.Errorf("decode components: %w", err)
	}
	var schemas map[string]json.RawMessage
	if comps["schemas"] == nil || json.Unmarshal(comps["schemas"], &schemas) != nil {
		return raw, nil // kin-openapi reports a malformed schemas object itself
	}
	for name, sch := range schemas {
		var fields map[string]json.RawMessage
		if json.Unmarshal(sch, &fields) != nil || fields["properties"] == nil {
			continue
		}
		keys, err := jsonorder.Keys(fields["properties"])
		if err != nil {
			return nil, fmt.Errorf("decode properties of schema %s: %w", name, err)
		}
		b, _ := json.Marshal(keys)
		fields[PropertyOrderExtension] = b
		if schemas[name], err = json.Marshal(fields); err != nil {
			return nil, err
		}
	}
	b, err := json.Marshal(schemas)
	if err != nil {
		return nil, err
	}
	comps["schemas"] = b
	return json.Marshal(comps)
}

// withoutResponses removes the responses of every operation from the raw paths object.
func withoutResponses(raw json.RawMessage) (json.RawMessage, error) {
	var paths map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &paths); err != nil {
		return nil, fmt.Errorf("decode paths: %w", err)
	}
	for _, item := range paths {
		for key, op := range item {
			if !isMethod(key) {
				continue
			}
			var fields map[string]json.RawMessage
			if err := json.Unmarshal(op, &fields); err != nil {
				return nil, fmt.Errorf("decode operation: %w", err)
			}
			if mt := answerType(fields["responses"]); mt != "" {
				b, _ := json.Marshal(mt)
				fields[toolspec.AnswerTypeExtension] = b
			}
			fields["responses"] = json.RawMessage(`{"default":{"description":"omitted by the generator"}}`)
			slim, err := json.Marshal(fields)
			if err != nil {
				return nil, err
			}
			item[key] = slim
		}
	}
	return json.Marshal(paths)
}

// answerType returns the media type of the 200 answer when it is the only one and not JSON.
func answerType(raw json.RawMessage) string {
	var responses map[string]struct {
		Content map[string]json.RawMessage `json:"content"`
	}
	if json.Unmarshal(raw, &responses) != nil {
		return ""
	}
	ok := responses["200"].Content
	if len(ok) != 1 {
		return ""
	}
	for mt := range ok {
		if mt != "application/json" {
			return mt
		}
	}
	return ""
}

func isMethod(key string) bool {
	switch key {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}
