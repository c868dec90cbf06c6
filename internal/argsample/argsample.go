// Package argsample builds arguments that satisfy a tool's input JSON Schema: the required
// properties with the first allowed value, a plausible string, the lowest allowed number.
// The server's tests use it to call every tool, and the bank tester's scripted consumer uses
// it (with per-tool values from its config) to plan a call of every exposed tool.
package argsample

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Options tunes the sample.
type Options struct {
	// Values overrides properties by name, at any depth (e.g. {"id": 0, "parent_id": "lan"}).
	Values map[string]any
	// All fills optional properties too (except "confirm"); by default only required ones.
	All bool
	// StringPrefix starts generated strings, so test objects are easy to find and clean up.
	StringPrefix string
	// Entries gives, by property name, the JSON Schema of one entry of a list whose items the
	// tool's schema leaves open (toolspec.Tool.Entries and EntrySchema).
	Entries map[string]string
}

// Sample returns an object that satisfies schemaJSON.
func Sample(schemaJSON string, o Options) (map[string]any, error) {
	var s map[string]any
	if err := json.Unmarshal([]byte(schemaJSON), &s); err != nil {
		return nil, fmt.Errorf("input schema: %w", err)
	}
	if o.StringPrefix == "" {
		o.StringPrefix = "bt_"
	}
	v := o.value(s, "", 0)
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("input schema is not an object schema")
	}
	return obj, nil
}

func (o Options) value(s map[string]any, name string, depth int) any {
	if v, ok := o.Values[name]; ok && name != "" {
		return v
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	if c, ok := s["const"]; ok {
		return c
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		if alts, ok := s[kw].([]any); ok && len(alts) > 0 {
			if alt, ok := alts[0].(map[string]any); ok {
				return o.value(alt, name, depth)
			}
		}
	}
	switch firstType(s["type"]) {
	case "object":
		return o.object(s, depth)
	case "array":
		n := 0
		if m, ok := s["minItems"].(float64); ok {
			n = int(m)
		}
		items, _ := s["items"].(map[string]any)
		if js, ok := o.Entries[name]; ok {
			var entry map[string]any
			if json.Unmarshal([]byte(js), &entry) == nil {
				items = entry
			}
		}
		if n == 0 && o.All && items != nil {
			n = 1
		}
		arr := make([]any, 0, n)
		for i := 0; i < n; i++ {
			arr = append(arr, o.value(items, name, depth+1))
		}
		return arr
	case "integer", "number":
		if m, ok := s["minimum"].(float64); ok {
			return m
		}
		if m, ok := s["maximum"].(float64); ok && m < 1 {
			return m
		}
		return float64(1)
	case "boolean":
		return false
	case "null":
		return nil
	default: // string or untyped
		return o.str(s, name)
	}
}

func (o Options) object(s map[string]any, depth int) map[string]any {
	obj := map[string]any{}
	props, _ := s["properties"].(map[string]any)
	required := map[string]bool{}
	if r, ok := s["required"].([]any); ok {
		for _, x := range r {
			if name, ok := x.(string); ok {
				required[name] = true
			}
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		_, override := o.Values[n]
		if !required[n] && !override && (!o.All || n == "confirm" || depth > 2) {
			continue
		}
		ps, _ := props[n].(map[string]any)
		obj[n] = o.value(ps, n, depth+1)
	}
	if m, ok := s["minProperties"].(float64); ok && len(obj) < int(m) {
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			for i := len(obj); i < int(m); i++ {
				obj[fmt.Sprintf("key%d", i)] = o.value(ap, "", depth+1)
			}
		}
	}
	return obj
}

func (o Options) str(s map[string]any, name string) string {
	v := o.StringPrefix + strings.Trim(name, "_")
	if name == "" {
		v = o.StringPrefix + "value"
	}
	if m, ok := s["maxLength"].(float64); ok && len(v) > int(m) {
		v = v[:int(m)]
	}
	if m, ok := s["minLength"].(float64); ok {
		for len(v) < int(m) {
			v += "x"
		}
	}
	return v
}

func firstType(t any) string {
	switch x := t.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			s, _ := x[0].(string)
			return s
		}
	}
	return ""
}

// IDs returns values for a tool's id and parent_id that its schema accepts, for calls that
// only need some object address: 0 for integer ids (list positions) and "lan" for string ids
// (interfaces and what is keyed by them, such as DHCP servers).
func IDs(schemaJSON string) map[string]any {
	var s struct {
		Properties map[string]struct {
			Type any `json:"type"`
		} `json:"properties"`
	}
	out := map[string]any{"id": 0.0, "parent_id": 0.0}
	if json.Unmarshal([]byte(schemaJSON), &s) != nil {
		return out
	}
	for name := range out {
		if t, ok := s.Properties[name].Type.(string); ok && t == "string" {
			out[name] = "lan"
		}
	}
	return out
}

// Entries returns, for Options.Entries, the schemas of the entries of t's top-level lists whose
// items t's schema leaves open (toolspec.Tool.Entries), looked up with byName.
func Entries(t *toolspec.Tool, byName func(string) *toolspec.Tool) map[string]string {
	out := map[string]string{}
	for path, child := range t.Entries {
		if strings.Contains(path, ".") {
			continue // inside replace objects: those are sent back as they were read.
		}
		if c := byName(child); c != nil {
			if js, err := c.EntrySchema(); err == nil {
				out[path] = js
			}
		}
	}
	return out
}
