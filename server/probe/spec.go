package probe

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// The firewall's own spec is read with encoding/json into the few parts that matter here
// (parameters, request bodies, the data of 200 answers), not with the generator's OpenAPI
// loader: the server stays small and this takes tens of milliseconds for a 4 MB spec.
type specDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Version string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

type specOperation struct {
	Parameters  []specParam `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

type specParam struct {
	Name string `json:"name"`
	In   string `json:"in"`
}

type schema struct {
	Ref        string             `json:"$ref"`
	AllOf      []*schema          `json:"allOf"`
	OneOf      []*schema          `json:"oneOf"`
	AnyOf      []*schema          `json:"anyOf"`
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
	ReadOnly   bool               `json:"readOnly"`
}

var methods = map[string]bool{"get": true, "post": true, "put": true, "patch": true, "delete": true}

// ParseSpec reads a REST API OpenAPI spec (JSON) into its REST API version and, for every
// operation ("METHOD /api/v2/path"), the inputs it accepts and the fields of what it returns.
func ParseSpec(b []byte) (string, map[string]inventory.Operation, error) {
	var doc specDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return "", nil, fmt.Errorf("the firewall's spec is not JSON: %w", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Paths == nil {
		return "", nil, errors.New("the firewall's spec is not an OpenAPI 3 document with paths")
	}
	r := resolver{schemas: doc.Components.Schemas}
	ops := map[string]inventory.Operation{}
	for path, item := range doc.Paths {
		var shared []specParam
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return "", nil, fmt.Errorf("%s: parameters: %w", path, err)
			}
		}
		for method, raw := range item {
			if !methods[method] {
				continue
			}
			var op specOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				return "", nil, fmt.Errorf("%s %s: %w", strings.ToUpper(method), path, err)
			}
			out := inventory.Operation{Inputs: map[string]bool{}, Fields: map[string]bool{}}
			for _, p := range append(shared, op.Parameters...) {
				out.Inputs[p.Name] = true
			}
			if op.RequestBody != nil {
				if c, ok := op.RequestBody.Content["application/json"]; ok && c.Schema != nil {
					body := c.Schema
					items := r.items(body)
					if items != nil { // PUT of a list: the fields of one object.
						body = items
					}
					for name, p := range r.properties(body) {
						// A replace takes read-only fields back (Core/Model.inc replace_all builds
						// each object with from_representation, which sets them; the generator's
						// overlay offers the identities among them): known inputs there.
						if !r.readOnly(p) || items != nil {
							out.Inputs[name] = true
						}
					}
				}
			}
			if ok, found := op.Responses["200"]; found {
				if c, found := ok.Content["application/json"]; found && c.Schema != nil {
					if data := r.properties(c.Schema)["data"]; data != nil {
						if items := r.items(data); items != nil {
							data = items
						}
						for name := range r.properties(data) {
							out.Fields[name] = true
						}
					}
				}
			}
			ops[strings.ToUpper(method)+" "+path] = out
		}
	}
	return doc.Info.Version, ops, nil
}

// resolver follows local $refs and merges allOf/oneOf/anyOf branches.
type resolver struct{ schemas map[string]*schema }

func (r resolver) deref(s *schema, depth int) *schema {
	for s != nil && s.Ref != "" && depth < 32 {
		s = r.schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
		depth++
	}
	return s
}

// properties returns the properties of s with every branch merged (a cycle stops at depth 32).
func (r resolver) properties(s *schema) map[string]*schema {
	out := map[string]*schema{}
	r.collect(s, out, 0)
	return out
}

func (r resolver) collect(s *schema, out map[string]*schema, depth int) {
	s = r.deref(s, depth)
	if s == nil || depth > 32 {
		return
	}
	for name, p := range s.Properties {
		out[name] = p
	}
	for _, branch := range [][]*schema{s.AllOf, s.OneOf, s.AnyOf} {
		for _, b := range branch {
			r.collect(b, out, depth+1)
		}
	}
}

// items returns the item schema when s (or one of its allOf branches) is an array, else nil.
func (r resolver) items(s *schema) *schema { return r.itemsAt(s, 0) }

func (r resolver) itemsAt(s *schema, depth int) *schema {
	s = r.deref(s, depth)
	if s == nil || depth > 32 {
		return nil
	}
	if s.Items != nil {
		return s.Items
	}
	for _, b := range s.AllOf {
		if it := r.itemsAt(b, depth+1); it != nil {
			return it
		}
	}
	return nil
}

func (r resolver) readOnly(p *schema) bool {
	if p == nil {
		return false
	}
	if p.ReadOnly {
		return true
	}
	d := r.deref(p, 0)
	return d != nil && d.ReadOnly
}
