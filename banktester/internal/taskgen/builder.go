package taskgen

import (
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
)

// builder accumulates a task's plan and, step for step, the prose the AI consumer reads.
type builder struct {
	steps  []plan.Step
	prose  []string
	number map[string]int // step id -> step number (1-based)
	used   map[string]bool
	setups int
	// setupIDs maps the step ids of the latest setup, as the values file names them, to their
	// ids in the plan: a bulk object's values may refer to them too.
	setupIDs map[string]string
	refs     map[string]string // model -> the step that created an object other objects refer to
}

func newBuilder() *builder {
	return &builder{number: map[string]int{}, used: map[string]bool{}, refs: map[string]string{}}
}

// add appends a step and returns its id.
func (b *builder) add(s plan.Step, prose string) string {
	if s.ID == "" {
		s.ID = fmt.Sprintf("s%d", len(b.steps)+1)
	}
	for b.number[s.ID] != 0 {
		s.ID += "_"
	}
	b.steps = append(b.steps, s)
	b.number[s.ID] = len(b.steps)
	b.prose = append(b.prose, b.describe(prose))
	b.used[s.Tool] = true
	return s.ID
}

// setup inserts configured setup steps, renaming their ids so that two setups in one plan
// cannot collide, and returns args with its references to them renamed the same way.
func (b *builder) setup(steps []plan.Step, args map[string]any) map[string]any {
	if len(steps) == 0 {
		return args
	}
	b.setups++
	rename := map[string]string{}
	for _, s := range steps {
		if s.ID != "" {
			rename[s.ID] = fmt.Sprintf("setup%d_%s", b.setups, s.ID)
		}
	}
	b.setupIDs = rename
	for _, s := range steps {
		s.ID = rename[s.ID]
		s.Args = renameRefs(s.Args, rename).(map[string]any)
		prose := s.Note
		if prose == "" {
			prose = fmt.Sprintf("Prepare: call `%s` with %s.", s.Tool, renderArgs(s.Args))
		}
		s.Note = ""
		b.add(s, prose)
	}
	if args == nil {
		return nil
	}
	return renameRefs(args, rename).(map[string]any)
}

var refRE = regexp.MustCompile(`\$\{([a-zA-Z0-9_]+)([^}]*)\}`)

func renameRefs(v any, rename map[string]string) any {
	switch x := v.(type) {
	case string:
		return refRE.ReplaceAllStringFunc(x, func(ref string) string {
			m := refRE.FindStringSubmatch(ref)
			if n, ok := rename[m[1]]; ok {
				return "${" + n + m[2] + "}"
			}
			return ref
		})
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = renameRefs(e, rename)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = renameRefs(e, rename)
		}
		return out
	}
	return v
}

// describe replaces references in prose by what they mean to a reader.
func (b *builder) describe(prose string) string {
	return refRE.ReplaceAllStringFunc(prose, func(ref string) string {
		m := refRE.FindStringSubmatch(ref)
		n := b.number[m[1]]
		path := strings.TrimPrefix(m[2], ".data")
		path = strings.TrimPrefix(path, ".")
		if i := strings.Index(path, "|keep:"); i >= 0 {
			return fmt.Sprintf("<the objects listed in step %d, with only their input fields>", n)
		}
		if path == "" {
			return fmt.Sprintf("<the answer of step %d>", n)
		}
		return fmt.Sprintf("<%s from step %d>", path, n)
	})
}

// renderArgs shows arguments in prose, compact.
func renderArgs(args map[string]any) string {
	if len(args) == 0 {
		return "no arguments"
	}
	b, _ := json.Marshal(args)
	return "`" + string(b) + "`"
}

func (b *builder) plan(id string) *plan.Plan {
	return &plan.Plan{TaskID: id, Steps: b.steps}
}

func (b *builder) tools() []string {
	out := make([]string, 0, len(b.used))
	for t := range b.used {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// schema is the part of an input schema the generator looks at.
type schema struct {
	Properties map[string]map[string]any `json:"properties"`
	Required   []string                  `json:"required"`
	// fields are the model's field facts (argsample.ModelFields): what the real API checks
	// beyond the JSON Schema.
	fields map[string]argsample.Field
}

func parseSchema(t *toolspec.Tool) schema {
	var s schema
	_ = json.Unmarshal([]byte(t.InputSchema), &s)
	s.fields = argsample.ModelFields(t.Model)
	return s
}

func (s schema) has(name string) bool { _, ok := s.Properties[name]; return ok }

func (s schema) types(name string) []string {
	switch x := s.Properties[name]["type"].(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if t, ok := e.(string); ok {
				out = append(out, t)
			}
		}
		return out
	}
	return nil
}

func (s schema) isType(name, typ string) bool {
	for _, t := range s.types(name) {
		if t == typ {
			return true
		}
	}
	return false
}

func (s schema) enum(name string) []any {
	e, _ := s.Properties[name]["enum"].([]any)
	return e
}

// freeString says whether name is a string property (or string and null) without an enum or
// pattern, and, where the model's field facts know it, without a check of the real API: any
// text will do.
func (s schema) freeString(name string) bool {
	if f, ok := s.fields[name]; ok && !f.FreeText() {
		return false // the real API checks it: an address, a name it validates, a reference
	}
	return s.textProp(name)
}

// textProp says whether name is a string property without an enum or pattern in the JSON
// Schema (the real API may check it further).
func (s schema) textProp(name string) bool {
	types := s.types(name)
	if len(types) == 0 || name == "id" || name == "parent_id" {
		return false
	}
	for _, t := range types {
		if t != "string" && t != "null" {
			return false
		}
	}
	return s.enum(name) == nil && s.Properties[name]["pattern"] == nil
}

func (s schema) maximum(name string) (float64, bool) {
	m, ok := s.Properties[name]["maximum"].(float64)
	return m, ok
}

func (s schema) maxLength(name string) int {
	if m, ok := s.Properties[name]["maxLength"].(float64); ok {
		return int(m)
	}
	return 0
}

func (s schema) sortedProps() []string {
	out := make([]string, 0, len(s.Properties))
	for p := range s.Properties {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// itemProps returns the property names of the items of an array property (replace objects).
func (s schema) itemProps(name string) []string {
	items, _ := s.Properties[name]["items"].(map[string]any)
	props, _ := items["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for p := range props {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// sample returns schema-valid required arguments of t (confirm left out). The model's field
// facts make values the real API accepts (addresses, ports, names); the entries of lists whose
// items t's schema leaves open follow the child create tool's schema (byName finds it).
func sample(t *toolspec.Tool, byName func(string) *toolspec.Tool) map[string]any {
	args, err := argsample.Sample(t.InputSchema, argsample.Options{Fields: argsample.ModelFields(t.Model), Entries: argsample.Entries(t, byName)})
	if err != nil {
		return map[string]any{}
	}
	delete(args, toolspec.ConfirmProperty)
	return args
}

// merge returns base with over's keys set (a shallow copy).
func merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// fit shortens s to the property's maxLength.
func fit(s schema, prop, value string) string {
	if m := s.maxLength(prop); m > 0 && len(value) > m {
		return value[:m]
	}
	return value
}

// vary makes the n-th object's values distinct from the others (fields may have to be
// unique): every generated string (starting with bt_) gets suffix _n, within the property's
// maxLength, and integers without an enum grow by n, within their maximum.
func vary(s schema, args map[string]any, n int) map[string]any {
	out := merge(args, nil)
	suffix := fmt.Sprintf("_%d", n)
	for k, v := range args {
		if s.fields[k].Class == "ForeignModelField" {
			continue // it names an object that exists (an IPsec phase 1's ikeid)
		}
		// A number from a fixed list (an IPsec key length) stays as sampled. Others count down
		// where the minimum (or 1) allows, else up: the models' own checks often cap a number
		// below its declared maximum (an IPv4 mask of 32 where the field takes 128).
		if f, ok := v.(float64); ok && s.isType(k, "integer") && s.enum(k) == nil && len(s.fields[k].Choices) == 0 && k != "id" && k != "parent_id" {
			floor := 1.0
			if m, ok := s.Properties[k]["minimum"].(float64); ok {
				floor = m
			}
			if f-float64(n) >= floor {
				out[k] = f - float64(n)
			} else if m, ok := s.maximum(k); !ok || f+float64(n) <= m {
				out[k] = f + float64(n)
			}
			continue
		}
		str, ok := v.(string)
		// Names the real API checks keep valid with the suffix (letters, digits and _).
		if !ok || !strings.HasPrefix(str, "bt_") || !s.textProp(k) {
			continue
		}
		if m := s.maxLength(k); m > 0 && len(str)+len(suffix) > m {
			if m <= len(suffix) {
				continue
			}
			str = str[:m-len(suffix)]
		}
		out[k] = str + suffix
	}
	return out
}

// varyUnique makes the k-th object's values of the fields the real API wants unique distinct
// from base's (k 0 is base's): each unique field, and one of the unique-together fields
// (the one easiest to vary: an address, a number, a name) unless one already differs. The
// spec does not say which fields are unique; the native schema does (argsample.Field).
func varyUnique(s schema, base, args map[string]any, k int) map[string]any {
	if k == 0 || len(s.fields) == 0 {
		return args
	}
	out := merge(args, nil)
	same := func(n string) bool { return fmt.Sprint(base[n]) == fmt.Sprint(out[n]) }
	var together []string
	for _, n := range sortedKeys(args) {
		f, ok := s.fields[n]
		if !ok {
			continue
		}
		if ref, isStr := args[n].(string); isStr && isReference(ref) {
			// The first object found for a reference: the k-th one for another object.
			if f.Unique && strings.Contains(ref, ".data.0.") {
				out[n] = strings.Replace(ref, ".data.0.", fmt.Sprintf(".data.%d.", k), 1)
			}
			continue
		}
		if f.UniqueTogether > 0 {
			together = append(together, n)
		}
		if !f.Unique || !same(n) {
			continue
		}
		if v, ok := argsample.Vary(f, args[n], k); ok {
			out[n] = v
		}
	}
	if len(together) == 0 {
		return out
	}
	for _, n := range together {
		if !same(n) {
			return out
		}
	}
	sort.SliceStable(together, func(i, j int) bool {
		a, b := s.fields[together[i]], s.fields[together[j]]
		if ra, rb := varyRank(a, args[together[i]]), varyRank(b, args[together[j]]); ra != rb {
			return ra < rb
		}
		return a.UniqueTogether < b.UniqueTogether
	})
	for _, n := range together {
		if v, ok := argsample.Vary(s.fields[n], args[n], k); ok {
			out[n] = v
			break
		}
	}
	return out
}

// varyRank orders unique-together fields by how safely another value can be made: an
// address or number first, then a name, then an interface or a choice (which other fields
// may depend on).
func varyRank(f argsample.Field, v any) int {
	str, isStr := v.(string)
	switch {
	case f.Class == "InterfaceField" || len(f.Choices) > 0:
		return 3
	case !isStr:
		return 1
	case net.ParseIP(str) != nil || strings.Contains(str, "/"):
		return 0
	}
	if _, err := strconv.Atoi(str); err == nil {
		return 1
	}
	return 2
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func withConfirm(args map[string]any) map[string]any {
	return merge(args, map[string]any{toolspec.ConfirmProperty: true})
}
