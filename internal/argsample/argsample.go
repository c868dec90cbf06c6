// Package argsample builds arguments that satisfy a tool's input JSON Schema: the required
// properties with the first allowed value, a plausible string, the lowest allowed number.
// Given the REST API's own field facts (Options.Fields, see NewFields), values also pass the
// real API's checks: addresses where an address is validated, `any` for filter addresses, a
// port for port fields, strings that match the field's patterns.
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
	// Fields are the REST API's facts about the tool's model fields (Fields.Model), by name:
	// top-level properties with facts get values the real API accepts.
	Fields map[string]Field
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
	if f, ok := o.Fields[name]; ok && depth == 1 {
		if v, ok := ValidValue(f, name, o.StringPrefix); ok {
			if i, isInt := v.(int64); isInt {
				v = float64(i)
			}
			isArray := firstType(s["type"]) == "array"
			// The tool's schema may know the choices the field facts leave open (the package
			// checks them in validate_extra): a value outside its enum is refused locally.
			es := s
			if isArray {
				es, _ = s["items"].(map[string]any)
			}
			if e := enumValues(es); len(e) > 0 && !inValues(e, v) {
				v = e[0]
			}
			if isArray {
				return []any{v}
			}
			return v
		}
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
		item := o
		if f, ok := o.Fields[name]; ok && depth == 1 && f.Nested != nil && firstType(items["type"]) == "object" {
			// The items are objects of the nested model: sample them with its field facts.
			item.Fields, item.Entries = f.Nested, nil
			arr := make([]any, 0, n)
			for i := 0; i < n; i++ {
				arr = append(arr, item.object(items, 0))
			}
			return arr
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
	if depth == 0 && len(o.Fields) > 0 {
		o.nonEmptyLists(obj, props)
		o.conditionallyRequired(obj, props)
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

// conditionallyRequired adds the fields the real API requires because of the values chosen
// (a required field whose conditions hold, Core/Field.inc are_conditions_met: an LDAP
// server's port once type is ldap), until no more are needed.
func (o Options) conditionallyRequired(obj map[string]any, props map[string]any) {
	names := make([]string, 0, len(o.Fields))
	for n := range o.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for changed := true; changed; {
		changed = false
		for _, n := range names {
			f := o.Fields[n]
			ps, inSchema := props[n].(map[string]any)
			if _, given := obj[n]; given || !inSchema || !f.Required || len(f.Conditions) == 0 || !o.conditionsHold(f, obj) {
				continue
			}
			obj[n] = o.value(ps, n, 1)
			// The conditions held with the defaults of fields not given; the package sees a
			// later field's default only at that field's turn (Core/Model.inc validate loops
			// over the fields in order), so the fields the conditions read are given too.
			for _, c := range f.Conditions {
				if _, given := obj[c.Field]; !given && !c.Parent && props[c.Field] != nil {
					if d := o.Fields[c.Field].Default; d != nil {
						obj[c.Field] = d
					}
				}
			}
			changed = true
		}
	}
}

// enumValues are the choices of a schema's enum, without the empty string (a "none" choice
// that fields which must not be empty refuse) unless it is the only one.
func enumValues(s map[string]any) []any {
	e, _ := s["enum"].([]any)
	var out []any
	for _, x := range e {
		if str, ok := x.(string); !ok || str != "" {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return e
	}
	return out
}

func inValues(list []any, v any) bool {
	for _, x := range list {
		if sameValue(x, v) {
			return true
		}
	}
	return false
}

// nonEmptyLists adds the lists the package refuses empty although neither required nor
// conditional (Core/Field.inc validate: allow_empty; a limiter's bandwidth), with their
// minimum number of entries.
func (o Options) nonEmptyLists(obj map[string]any, props map[string]any) {
	for _, n := range sortedNames(o.Fields) {
		f := o.Fields[n]
		ps, inSchema := props[n].(map[string]any)
		if _, given := obj[n]; given || !inSchema || !f.NonEmpty {
			continue
		}
		withMin := make(map[string]any, len(ps)+1)
		for k, v := range ps {
			withMin[k] = v
		}
		withMin["minItems"] = float64(max(f.MinItems, 1))
		obj[n] = o.value(withMin, n, 1)
	}
}

func sortedNames(m map[string]Field) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// conditionsHold evaluates a field's conditions on the sample, with the defaults of fields
// not given. A condition on the parent's fields cannot be known here: it is taken to hold,
// as a field given whose conditions do not hold is nulled, not refused (Core/Field.inc
// are_conditions_met), while one missing whose conditions hold is refused.
func (o Options) conditionsHold(f Field, obj map[string]any) bool {
	for _, c := range f.Conditions {
		if c.Parent {
			continue
		}
		v, ok := obj[c.Field]
		if !ok {
			v = o.Fields[c.Field].Default
		}
		match := false
		for _, want := range c.Values {
			if sameValue(v, want) {
				match = true
			}
		}
		if match == c.Negate {
			return false
		}
	}
	return true
}

// sameValue compares a sampled value with a condition's (numbers by value).
func sameValue(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
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
