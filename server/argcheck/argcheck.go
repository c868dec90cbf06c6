// Package argcheck validates tool arguments against a tool's input JSON Schema before anything
// is sent to the firewall, and explains each problem in terms a model can act on: the argument's
// path, what was given, and what would be valid (allowed values, bounds, the closest valid name).
//
// It implements the JSON Schema subset the generator emits: type (one or several), enum, const,
// properties, required, additionalProperties, items, min/maxItems, min/maxLength, minimum,
// maximum, minProperties, pattern, anyOf and oneOf. Other keywords (description, default,
// title, format, examples) are annotations and are ignored. A differential test checks it
// against a full JSON Schema implementation on every generated schema.
package argcheck

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/server/suggest"
)

// Schema is a compiled input schema.
type Schema struct {
	node *node
}

type node struct {
	types        []string // JSON Schema type names; empty = any.
	enum         []any
	constVal     any
	hasConst     bool
	props        map[string]*node
	propNames    []string // sorted, for messages.
	required     []string
	additional   *node // nil = anything goes
	noAdditional bool
	items        *node
	minItems     *int
	maxItems     *int
	minLength    *int
	maxLength    *int
	minimum      *float64
	maximum      *float64
	minProps     *int
	pattern      *regexp.Regexp
	anyOf        []*node
	oneOf        []*node
}

// Compile parses a JSON Schema document.
func Compile(schemaJSON string) (*Schema, error) {
	var raw any
	if err := json.Unmarshal([]byte(schemaJSON), &raw); err != nil {
		return nil, fmt.Errorf("input schema is not JSON: %w", err)
	}
	n, err := compileNode(raw, "#")
	if err != nil {
		return nil, err
	}
	return &Schema{node: n}, nil
}

func compileNode(raw any, at string) (*node, error) {
	switch v := raw.(type) {
	case bool:
		if v {
			return &node{}, nil
		}
		return &node{noAdditional: true, types: []string{"__never"}}, nil
	case map[string]any:
		n := &node{}
		switch t := v["type"].(type) {
		case nil:
		case string:
			n.types = []string{t}
		case []any:
			for _, x := range t {
				s, ok := x.(string)
				if !ok {
					return nil, fmt.Errorf("%s: type must be a string or strings", at)
				}
				n.types = append(n.types, s)
			}
		default:
			return nil, fmt.Errorf("%s: type must be a string or strings", at)
		}
		if e, ok := v["enum"].([]any); ok {
			n.enum = e
		}
		if c, ok := v["const"]; ok {
			n.constVal, n.hasConst = c, true
		}
		if props, ok := v["properties"].(map[string]any); ok {
			n.props = map[string]*node{}
			for name, ps := range props {
				c, err := compileNode(ps, at+"/properties/"+name)
				if err != nil {
					return nil, err
				}
				n.props[name] = c
				n.propNames = append(n.propNames, name)
			}
			sort.Strings(n.propNames)
		}
		if req, ok := v["required"].([]any); ok {
			for _, r := range req {
				if s, ok := r.(string); ok {
					n.required = append(n.required, s)
				}
			}
		}
		switch ap := v["additionalProperties"].(type) {
		case bool:
			n.noAdditional = !ap
		case map[string]any:
			c, err := compileNode(ap, at+"/additionalProperties")
			if err != nil {
				return nil, err
			}
			n.additional = c
		}
		if it, ok := v["items"]; ok {
			c, err := compileNode(it, at+"/items")
			if err != nil {
				return nil, err
			}
			n.items = c
		}
		n.minItems, n.maxItems = intKw(v, "minItems"), intKw(v, "maxItems")
		n.minLength, n.maxLength = intKw(v, "minLength"), intKw(v, "maxLength")
		n.minProps = intKw(v, "minProperties")
		n.minimum, n.maximum = numKw(v, "minimum"), numKw(v, "maximum")
		if p, ok := v["pattern"].(string); ok {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("%s: pattern %q: %w", at, p, err)
			}
			n.pattern = re
		}
		for _, kw := range []string{"anyOf", "oneOf"} {
			alts, ok := v[kw].([]any)
			if !ok {
				continue
			}
			for i, a := range alts {
				c, err := compileNode(a, fmt.Sprintf("%s/%s/%d", at, kw, i))
				if err != nil {
					return nil, err
				}
				if kw == "anyOf" {
					n.anyOf = append(n.anyOf, c)
				} else {
					n.oneOf = append(n.oneOf, c)
				}
			}
		}
		return n, nil
	}
	return nil, fmt.Errorf("%s: a schema must be an object or a boolean", at)
}

func intKw(m map[string]any, k string) *int {
	if f, ok := m[k].(float64); ok {
		i := int(f)
		return &i
	}
	return nil
}

func numKw(m map[string]any, k string) *float64 {
	if f, ok := m[k].(float64); ok {
		return &f
	}
	return nil
}

// Problem is one reason the arguments are invalid.
type Problem struct {
	Path    string // e.g. "address[2]" or "query.name__startswith"; "" for the whole input.
	Message string
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return "argument `" + p.Path + "`: " + p.Message
}

// Error lists every problem found (up to a small cap).
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "; ")
}

// maxProblems keeps error messages short: the first few problems are the useful ones.
const maxProblems = 5

// Validate checks args (decoded JSON) against the schema.
func (s *Schema) Validate(args any) error {
	var probs []Problem
	s.node.check(args, "", &probs)
	if len(probs) == 0 {
		return nil
	}
	if len(probs) > maxProblems {
		more := len(probs) - maxProblems
		probs = append(probs[:maxProblems], Problem{Message: fmt.Sprintf("and %d more problem(s)", more)})
	}
	return &Error{Problems: probs}
}

// echoedIDs are what a read shows on every nested object besides its fields: its position and
// its owner's id (Fields/NestedModelField.inc from_internal, Core/Model.inc to_representation).
var echoedIDs = []string{"id", "parent_id"}

// DropEchoedIDs removes `id` and `parent_id` from the objects inside lists (nested entries,
// a replace tool's objects) where the schema does not declare them: a model that sends back
// what it read means nothing by them, and pfSense builds such objects from their fields alone
// (Core/Model.inc from_representation), so they are dropped rather than refused. Top-level
// arguments are left alone: there `id` names the object.
func (s *Schema) DropEchoedIDs(args map[string]any) {
	s.node.dropInObject(args)
}

func (n *node) dropInObject(obj map[string]any) {
	for k, v := range obj {
		var child *node
		if n != nil {
			child = n.props[k]
		}
		child.dropIn(v)
	}
}

func (n *node) dropIn(v any) {
	switch x := v.(type) {
	case []any:
		var items *node
		if n != nil {
			items = n.items
		}
		for _, it := range x {
			m, ok := it.(map[string]any)
			if !ok {
				continue
			}
			for _, k := range echoedIDs {
				if items == nil || items.props[k] == nil {
					delete(m, k)
				}
			}
			items.dropInObject(m)
		}
	case map[string]any:
		n.dropInObject(x)
	}
}

// Valid reports whether v satisfies the schema (no messages).
func (s *Schema) Valid(v any) bool {
	var probs []Problem
	s.node.check(v, "", &probs)
	return len(probs) == 0
}

func (n *node) check(v any, path string, probs *[]Problem) {
	add := func(msg string) { *probs = append(*probs, Problem{Path: path, Message: msg}) }
	if len(n.types) > 0 && !typeMatches(v, n.types) {
		add(fmt.Sprintf("must be %s, got %s", typeList(n.types), describe(v)))
		return
	}
	if n.hasConst && !equalJSON(v, n.constVal) {
		add(fmt.Sprintf("must be %s, got %s", show(n.constVal), describe(v)))
		return
	}
	if n.enum != nil && !inEnum(v, n.enum) {
		add(fmt.Sprintf("%s is not allowed; use one of: %s", show(v), enumList(n.enum)))
		return
	}
	switch x := v.(type) {
	case map[string]any:
		n.checkObject(x, path, probs)
	case []any:
		if n.minItems != nil && len(x) < *n.minItems {
			add(fmt.Sprintf("needs at least %d item(s), got %d", *n.minItems, len(x)))
		}
		if n.maxItems != nil && len(x) > *n.maxItems {
			add(fmt.Sprintf("takes at most %d item(s), got %d", *n.maxItems, len(x)))
		}
		if n.items != nil {
			for i, item := range x {
				n.items.check(item, fmt.Sprintf("%s[%d]", path, i), probs)
			}
		}
	case string:
		l := len([]rune(x))
		if n.minLength != nil && l < *n.minLength {
			add(fmt.Sprintf("must be at least %d character(s) long, got %d", *n.minLength, l))
		}
		if n.maxLength != nil && l > *n.maxLength {
			add(fmt.Sprintf("must be at most %d character(s) long, got %d", *n.maxLength, l))
		}
		if n.pattern != nil && !n.pattern.MatchString(x) {
			add(fmt.Sprintf("%s does not match the pattern %s", show(x), n.pattern))
		}
	case float64:
		if n.minimum != nil && x < *n.minimum {
			add(fmt.Sprintf("must be >= %s, got %s", num(*n.minimum), num(x)))
		}
		if n.maximum != nil && x > *n.maximum {
			add(fmt.Sprintf("must be <= %s, got %s", num(*n.maximum), num(x)))
		}
	}
	if len(n.anyOf) > 0 && !anyValid(n.anyOf, v) {
		add(fmt.Sprintf("matches none of the allowed forms (%s)", altList(n.anyOf)))
	}
	if len(n.oneOf) > 0 {
		matches := 0
		for _, alt := range n.oneOf {
			var p []Problem
			if alt.check(v, path, &p); len(p) == 0 {
				matches++
			}
		}
		if matches != 1 {
			add(fmt.Sprintf("must match exactly one of the allowed forms (%s)", altList(n.oneOf)))
		}
	}
}

func (n *node) checkObject(obj map[string]any, path string, probs *[]Problem) {
	for _, r := range n.required {
		if _, ok := obj[r]; !ok {
			*probs = append(*probs, Problem{Path: join(path, r), Message: "is required" + n.hint(r)})
		}
	}
	if n.minProps != nil && len(obj) < *n.minProps {
		*probs = append(*probs, Problem{Path: path, Message: fmt.Sprintf("needs at least %d entr(y/ies)", *n.minProps)})
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		val := obj[k]
		if child, ok := n.props[k]; ok {
			child.check(val, join(path, k), probs)
			continue
		}
		switch {
		case n.additional != nil:
			n.additional.check(val, join(path, k), probs)
		case n.noAdditional:
			*probs = append(*probs, Problem{Path: join(path, k), Message: "is not an argument of this tool" + n.suggest(k)})
		}
	}
}

// hint adds the allowed values of a required enum argument to "is required".
func (n *node) hint(name string) string {
	if c := n.props[name]; c != nil && c.enum != nil {
		return "; use one of: " + enumList(c.enum)
	}
	return ""
}

// suggest names the closest valid argument, or lists them when there are few.
func (n *node) suggest(k string) string {
	if len(n.propNames) == 0 {
		return ""
	}
	var b strings.Builder
	switch best := suggest.Closest(k, n.propNames, 3); {
	case n.props["query"] != nil && n.props[k] == nil && (k == "parent_id" || k == "id"):
		// A list tool: every object comes, parent or id is a filter.
		fmt.Fprintf(&b, "; to list only some objects, filter with query {%q: ...}", k)
	case best != "":
		fmt.Fprintf(&b, "; did you mean `%s`?", best)
	}
	const maxListed = 25
	names := n.propNames
	if len(names) > maxListed {
		b.WriteString(fmt.Sprintf(" (%d arguments exist, e.g. %s, ...)", len(names), strings.Join(names[:maxListed], ", ")))
	} else {
		b.WriteString(" (valid: " + strings.Join(names, ", ") + ")")
	}
	return b.String()
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func anyValid(alts []*node, v any) bool {
	for _, alt := range alts {
		var p []Problem
		if alt.check(v, "", &p); len(p) == 0 {
			return true
		}
	}
	return false
}

func altList(alts []*node) string {
	var parts []string
	for _, a := range alts {
		if len(a.types) > 0 {
			parts = append(parts, typeList(a.types))
		} else {
			parts = append(parts, "a value")
		}
	}
	return strings.Join(parts, " or ")
}

func typeMatches(v any, types []string) bool {
	for _, t := range types {
		switch t {
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := v.(float64); ok && f == math.Trunc(f) && !math.IsInf(f, 0) {
				return true
			}
		case "null":
			if v == nil {
				return true
			}
		}
	}
	return false
}

var article = map[string]string{"object": "an object", "array": "an array", "string": "a string", "boolean": "a boolean (true or false)", "number": "a number", "integer": "an integer", "null": "null"}

func typeList(types []string) string {
	parts := make([]string, len(types))
	for i, t := range types {
		if a, ok := article[t]; ok {
			parts[i] = a
		} else {
			parts[i] = t
		}
	}
	return strings.Join(parts, " or ")
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "the string " + show(x)
	case bool:
		return "the boolean " + strconv.FormatBool(x)
	case float64:
		return "the number " + num(x)
	}
	return fmt.Sprintf("%T", v)
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func enumList(e []any) string {
	parts := make([]string, len(e))
	for i, v := range e {
		if s, ok := v.(string); ok {
			parts[i] = s
		} else {
			parts[i] = show(v)
		}
	}
	return strings.Join(parts, ", ")
}

func inEnum(v any, e []any) bool {
	for _, x := range e {
		if equalJSON(v, x) {
			return true
		}
	}
	return false
}

func equalJSON(a, b any) bool {
	if as, ok := a.(string); ok {
		bs, ok := b.(string)
		return ok && as == bs
	}
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}
