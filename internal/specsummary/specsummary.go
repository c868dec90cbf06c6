// Package specsummary reads the two facts about an OpenAPI spec that the release checks
// compare a binary with: the API's version and how many operations it has (one tool each).
package specsummary

import (
	"encoding/json"
	"fmt"
)

// Summary is what a spec says about itself.
type Summary struct {
	Version    string // info.version, e.g. v2.7.1
	Operations int    // operations under paths: one per (path, HTTP method)
}

// httpMethods are the operation keys of an OpenAPI 3 path item (OpenAPI 3.0.3, "Path Item
// Object"); its other keys (summary, description, servers, parameters) are not operations.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Read summarizes the spec in b.
func Read(b []byte) (Summary, error) {
	var doc struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return Summary{}, fmt.Errorf("read the OpenAPI spec: %w", err)
	}
	if doc.Info.Version == "" {
		return Summary{}, fmt.Errorf("the OpenAPI spec has no info.version")
	}
	s := Summary{Version: doc.Info.Version}
	for _, item := range doc.Paths {
		for _, m := range httpMethods {
			if _, ok := item[m]; ok {
				s.Operations++
			}
		}
	}
	return s, nil
}
