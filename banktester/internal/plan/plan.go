// Package plan describes a recorded plan of tool calls for the scripted consumer: steps run in
// order, each with its arguments and what the answer must be. Arguments can use the answers
// of earlier steps, so a plan can create an object and then read, update and delete it by the
// id the firewall gave it:
//
//	{"id": "create", "tool": "pfsense_create_firewall_alias", "args": {"name": "bt_a", "type": "host", "confirm": true}}
//	{"tool": "pfsense_delete_firewall_alias", "args": {"id": "${create.data.id}", "confirm": true}}
//
// A reference is ${step.path}: step is an earlier step's id, path walks its decoded answer
// (object keys, array indexes, and [field=value] to pick the first array element whose field
// has that value). A string that is exactly one reference takes the referenced value with
// its type; references inside a longer string are replaced by their text.
package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Plan is the list of steps of one task.
type Plan struct {
	TaskID string `json:"task_id,omitempty"`
	Steps  []Step `json:"steps"`
}

// Step is one tool call and its expectation.
type Step struct {
	ID     string         `json:"id,omitempty"`   // name for references; unique in the plan.
	Note   string         `json:"note,omitempty"` // why the step is there.
	Tool   string         `json:"tool"`
	Args   map[string]any `json:"args,omitempty"`
	Expect Expect         `json:"expect,omitzero"`
}

// Outcomes a step can expect.
const (
	OutcomeOK      = "ok"      // a successful answer (the default).
	OutcomePreview = "preview" // a successful preview: a mutation called without confirm.
	OutcomeError   = "error"   // an error answer.
)

// Expect is what a step's answer must be.
type Expect struct {
	Outcome  string   `json:"outcome,omitempty"`  // ok (default), preview or error.
	Contains []string `json:"contains,omitempty"` // substrings the answer must contain.
	// Or lists other acceptable answers, for steps whose outcome depends on the firewall's data
	// (a replace is refused when the listed objects carry redacted secrets, and succeeds when
	// they have none).
	Or []Expect `json:"or,omitempty"`
}

// Parse decodes a plan and checks it.
func Parse(data []byte) (*Plan, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Marshal renders the plan as indented JSON.
func (p *Plan) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var refPattern = regexp.MustCompile(`\$\{([^}]*)\}`)

// Validate checks that every step names a tool, ids are unique, outcomes are known and every
// reference names an earlier step.
func (p *Plan) Validate() error {
	if len(p.Steps) == 0 {
		return fmt.Errorf("plan: no steps")
	}
	seen := map[string]bool{}
	for i, s := range p.Steps {
		where := fmt.Sprintf("plan step %d (%s)", i+1, s.Tool)
		if s.Tool == "" {
			return fmt.Errorf("plan step %d: tool is required", i+1)
		}
		for _, e := range append([]Expect{s.Expect}, s.Expect.Or...) {
			switch e.Outcome {
			case "", OutcomeOK, OutcomePreview, OutcomeError:
			default:
				return fmt.Errorf("%s: expect.outcome %q: want ok, preview or error", where, e.Outcome)
			}
		}
		var refErr error
		walkStrings(s.Args, func(str string) {
			for _, m := range refPattern.FindAllStringSubmatch(str, -1) {
				step, _, _ := strings.Cut(m[1], ".")
				step, _, _ = strings.Cut(step, "|")
				if !seen[step] && refErr == nil {
					refErr = fmt.Errorf("%s: reference ${%s} names no earlier step %q", where, m[1], step)
				}
			}
		})
		if refErr != nil {
			return refErr
		}
		if s.ID != "" {
			if seen[s.ID] {
				return fmt.Errorf("%s: id %q is used twice", where, s.ID)
			}
			seen[s.ID] = true
		}
	}
	return nil
}

func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	}
}

// Answers holds the decoded answers of the steps run so far, by step id.
type Answers map[string]any

// Resolve returns args with every reference replaced by the value it names.
func Resolve(args map[string]any, answers Answers) (map[string]any, error) {
	if args == nil {
		return nil, nil
	}
	v, err := resolve(args, answers)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

func resolve(v any, answers Answers) (any, error) {
	switch x := v.(type) {
	case string:
		if m := refPattern.FindStringSubmatch(x); m != nil && m[0] == x {
			return lookup(m[1], answers)
		}
		var err error
		out := refPattern.ReplaceAllStringFunc(x, func(ref string) string {
			val, e := lookup(ref[2:len(ref)-1], answers)
			if e != nil {
				err = e
				return ref
			}
			if s, ok := val.(string); ok {
				return s
			}
			b, _ := json.Marshal(val)
			return string(b)
		})
		return out, err
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := resolve(e, answers)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := resolve(e, answers)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// lookup evaluates "step.path|modifier|...".
func lookup(ref string, answers Answers) (any, error) {
	expr, modifiers, _ := strings.Cut(ref, "|")
	parts := splitPath(expr)
	v, ok := answers[parts[0]]
	if !ok {
		return nil, fmt.Errorf("${%s}: step %q has no answer (it failed or has not run)", ref, parts[0])
	}
	for _, seg := range parts[1:] {
		next, err := walk(v, seg)
		if err != nil {
			return nil, fmt.Errorf("${%s}: %w", ref, err)
		}
		v = next
	}
	if modifiers == "" {
		return v, nil
	}
	for _, modifier := range strings.Split(modifiers, "|") {
		name, arg, _ := strings.Cut(modifier, ":")
		switch name {
		case "keep":
			v = keep(v, strings.Split(arg, ","))
		case "drop_nulls":
			v = dropNulls(v)
		default:
			return nil, fmt.Errorf("${%s}: unknown modifier %q (want keep:field,field or drop_nulls)", ref, name)
		}
	}
	return v, nil
}

// dropNulls removes null-valued keys of an object, or of each object of an array.
func dropNulls(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropNulls(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e != nil {
				out[k] = e
			}
		}
		return out
	}
	return v
}

// splitPath splits on dots outside [..] selectors.
func splitPath(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

func walk(v any, seg string) (any, error) {
	if strings.HasPrefix(seg, "[") && strings.HasSuffix(seg, "]") {
		field, want, ok := strings.Cut(seg[1:len(seg)-1], "=")
		arr, isArr := v.([]any)
		if !ok || !isArr {
			return nil, fmt.Errorf("selector %s needs an array and field=value", seg)
		}
		for _, e := range arr {
			if obj, ok := e.(map[string]any); ok && text(obj[field]) == want {
				return obj, nil
			}
		}
		return nil, fmt.Errorf("no element with %s=%s among %d", field, want, len(arr))
	}
	switch x := v.(type) {
	case map[string]any:
		e, ok := x[seg]
		if !ok {
			return nil, fmt.Errorf("no key %q", seg)
		}
		return e, nil
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(x) {
			return nil, fmt.Errorf("index %s out of range (array of %d)", seg, len(x))
		}
		return x[i], nil
	}
	return nil, fmt.Errorf("cannot take %q of a %T", seg, v)
}

func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func keep(v any, fields []string) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = keep(e, fields)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for _, f := range fields {
			if e, ok := x[f]; ok {
				out[f] = e
			}
		}
		return out
	}
	return v
}

// Decode parses an answer's JSON text; answers that are not JSON (error messages) decode to
// the text itself.
func Decode(text string) any {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return text
	}
	return v
}

// Check says whether an answer meets the step's expectation (or one of its alternatives); the
// error explains how it meets none.
func Check(s Step, answer string, isError bool) error {
	err := check(s.Expect, answer, isError)
	for _, alt := range s.Expect.Or {
		if err == nil {
			break
		}
		if check(alt, answer, isError) == nil {
			err = nil
		}
	}
	return err
}

func check(e Expect, answer string, isError bool) error {
	want := e.Outcome
	if want == "" {
		want = OutcomeOK
	}
	preview := false
	if obj, ok := Decode(answer).(map[string]any); ok && obj["preview"] == true {
		preview = true
	}
	switch {
	case want == OutcomeError && !isError:
		return fmt.Errorf("expected an error, got a successful answer")
	case want != OutcomeError && isError:
		return fmt.Errorf("expected %s, got an error", want)
	case want == OutcomeOK && preview:
		return fmt.Errorf("expected the change to be made, got a preview (is confirm=true missing?)")
	case want == OutcomePreview && !preview:
		return fmt.Errorf("expected a preview, got an answer without \"preview\": true")
	}
	for _, sub := range e.Contains {
		if !strings.Contains(answer, sub) {
			return fmt.Errorf("the answer does not contain %q", sub)
		}
	}
	return nil
}
