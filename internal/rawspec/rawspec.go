// Package rawspec reads what a REST API OpenAPI spec's JSON says on its face, without the
// generator's loader or the server's parser: the tests of spec drift take their expectations
// from it, so that a bug in those parsers cannot hide in the expectation too.
package rawspec

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Spec is the face value of one spec.
type Spec struct {
	Version string
	// Operations by "METHOD /api/v2/path".
	Operations map[string]Operation
	// Models are the component schemas by name, each with its own writable (not readOnly)
	// properties; allOf branches and $refs are not followed.
	Models map[string]map[string]bool
}

// Operation is one operation of the spec.
type Operation struct {
	ID    string          // operationId
	Query map[string]bool // its parameters, by name
}

// Parse reads spec JSON.
func Parse(b []byte) (*Spec, error) {
	var doc struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					ReadOnly bool `json:"readOnly"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("spec JSON: %w", err)
	}
	s := &Spec{Version: doc.Info.Version, Operations: map[string]Operation{}, Models: map[string]map[string]bool{}}
	for path, item := range doc.Paths {
		for method, raw := range item {
			var op struct {
				OperationID string `json:"operationId"`
				Parameters  []struct {
					Name string `json:"name"`
				} `json:"parameters"`
			}
			if method == "parameters" || json.Unmarshal(raw, &op) != nil {
				continue
			}
			o := Operation{ID: op.OperationID, Query: map[string]bool{}}
			for _, p := range op.Parameters {
				o.Query[p.Name] = true
			}
			s.Operations[strings.ToUpper(method)+" "+path] = o
		}
	}
	for name, m := range doc.Components.Schemas {
		props := map[string]bool{}
		for p, v := range m.Properties {
			if !v.ReadOnly {
				props[p] = true
			}
		}
		s.Models[name] = props
	}
	return s, nil
}
