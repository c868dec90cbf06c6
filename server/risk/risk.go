// Package risk evaluates the risks of the generated tool table (toolspec.Risk, from the
// generator's reviewed risk table) on a call: the tool-call path (server/toolcall) on the
// objects a call would produce or remove, and the HTTP client (server/pfclient) on the request
// itself, so that both refuse from the same facts.
package risk

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Matches reports whether r applies to v: the arguments of a call (or a request body; a list
// body stands for the argument "objects"). A risk without conditions always applies; one with
// conditions applies when one object at its prefix meets all of them.
func Matches(r toolspec.Risk, v any) bool {
	if len(r.When) == 0 {
		return true
	}
	for _, obj := range Objects(r.Prefix, v) {
		if all(r.When, obj) {
			return true
		}
	}
	return false
}

// Touches reports whether the arguments of an update name at least one field of r's conditions:
// an update that leaves them alone does not make an object dangerous (changing when an existing
// cron job runs is not adding a command).
func Touches(r toolspec.Risk, v any) bool {
	for _, obj := range Objects(r.Prefix, v) {
		for _, c := range r.When {
			if c.Op == toolspec.CondStored {
				continue // a qualifier: changing it alone is not the effect
			}
			if _, ok := obj[c.Field]; ok {
				return true
			}
		}
	}
	return false
}

// Objects returns the objects at prefix in v: "" is v itself, "objects[]" each element of the
// list under objects, "a.b[]" each element of the list b of the object a, ...
func Objects(prefix string, v any) []map[string]any {
	if list, ok := v.([]any); ok {
		v = map[string]any{"objects": list}
	}
	cur := []any{v}
	if prefix != "" {
		for _, seg := range strings.Split(prefix, ".") {
			name, isList := strings.CutSuffix(seg, "[]")
			var next []any
			for _, c := range cur {
				m, ok := c.(map[string]any)
				if !ok {
					continue
				}
				val, ok := m[name]
				if !ok {
					continue
				}
				if items, ok := val.([]any); ok && isList {
					next = append(next, items...)
				} else if !isList {
					next = append(next, val)
				}
			}
			cur = next
		}
	}
	var out []map[string]any
	for _, c := range cur {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func all(conds []toolspec.Condition, obj map[string]any) bool {
	for _, c := range conds {
		if !Holds(c, obj) {
			return false
		}
	}
	return true
}

// Holds reports whether obj meets c. A field that is absent meets nothing but `empty`.
func Holds(c toolspec.Condition, obj map[string]any) bool {
	v, present := obj[c.Field]
	switch c.Op {
	case toolspec.CondSet, toolspec.CondStored:
		return present && !isEmpty(v) && v != false
	case toolspec.CondEmpty:
		return present && isEmpty(v)
	}
	if !present {
		return false
	}
	values := []any{v}
	if list, ok := v.([]any); ok {
		values = list
	}
	for _, x := range values {
		t := Text(x)
		if c.Op == toolspec.CondEscapes && strings.ContainsAny(t, "\"\\\n\r\x00") {
			return true
		}
		for _, want := range c.Values {
			switch c.Op {
			case toolspec.CondEq, toolspec.CondIn:
				if t == want {
					return true
				}
			case toolspec.CondSuffix:
				// An override of a parent domain (com, netgate.com) covers the name too.
				lt, lw := strings.ToLower(strings.Trim(strings.TrimSpace(t), ".")), strings.ToLower(want)
				if lt != "" && (lt == lw || strings.HasSuffix(lt, "."+lw) || strings.HasSuffix(lw, "."+lt)) {
					return true
				}
			}
		}
	}
	return false
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// Text is a value as the risk table writes it: JSON text without quotes.
func Text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	case json.Number:
		return x.String()
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x))
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Describe is one line about a risk for the user: its class and reason.
func Describe(r toolspec.Risk) string {
	return fmt.Sprintf("%s: %s", strings.ReplaceAll(string(r.Class), "_", " "), r.Reason)
}
