package simulator

import (
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

// The REST API answers with PHP's json_encode: slashes escaped (`10.0.0.0\/24`), non-ASCII
// as \u escapes, and object fields in the model's field order. This encoder reproduces that
// for the value types the simulator stores: nil, bool, int64, float64, string, []any and
// map[string]any.

const hexDigits = "0123456789abcdef"

func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '/':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r > 0xffff {
			r -= 0x10000
			b = appendU(b, 0xd800+(r>>10))
			b = appendU(b, 0xdc00+(r&0x3ff))
			continue
		}
		b = appendU(b, r)
	}
	return append(b, '"')
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[(r>>12)&0xf], hexDigits[(r>>8)&0xf], hexDigits[(r>>4)&0xf], hexDigits[r&0xf])
}

// appendValue encodes v; schemas, when known, order object fields (s may be nil).
func (sim *Simulator) appendValue(b []byte, v any, s *catalog.Schema) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case *orderedObject:
		return sim.appendGQL(b, x)
	case bool:
		if x {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		if x == float64(int64(x)) && x < 1e15 && x > -1e15 {
			// PHP prints whole floats without a fraction (serialize_precision -1).
			return strconv.AppendFloat(b, x, 'f', -1, 64)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case string:
		return appendString(b, x)
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = sim.appendValue(b, e, s)
		}
		return append(b, ']')
	case []string:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e)
		}
		return append(b, ']')
	case map[string]any:
		return sim.appendObject(b, x, s, nil)
	case []map[string]any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = sim.appendObject(b, e, s, nil)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

// appendObject writes obj: id and parent_id first, then the schema's fields in order, then
// any other keys sorted. hide, when set, says which schema fields to leave out.
func (sim *Simulator) appendObject(b []byte, obj map[string]any, s *catalog.Schema, hide func(*catalog.Prop) bool) []byte {
	return sim.appendRow(b, row{obj: obj}, s, hide)
}

// appendRow writes an object with the ids it has at this moment (rows carry them because
// integer ids are array positions, not stored fields).
func (sim *Simulator) appendRow(b []byte, rw row, s *catalog.Schema, hide func(*catalog.Prop) bool) []byte {
	obj := rw.obj
	if s != nil && rw.id != nil {
		if c := computedFields[s.Name]; c != nil {
			obj = c(sim, obj)
		}
	}
	start := len(b)
	rep := s != nil && sim.representation() != "id"
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, k)
		b = append(b, ':')
	}
	seen := 0
	pid, id := rw.parentID, rw.id
	if v, ok := obj["parent_id"]; ok {
		seen++
		if pid == nil {
			pid = v
		}
	}
	if v, ok := obj["id"]; ok {
		seen++
		if id == nil {
			id = v
		}
	}
	if pid != nil {
		key("parent_id")
		b = sim.appendValue(b, pid, nil)
	}
	if id != nil {
		key("id")
		b = sim.appendValue(b, id, nil)
	}
	if s != nil {
		for _, p := range s.Props {
			v, ok := obj[p.Name]
			if !ok {
				continue
			}
			seen++
			if p.Name == "id" || p.Name == "parent_id" {
				continue
			}
			if hide != nil && hide(p) {
				continue
			}
			key(p.Name)
			if rep && p.F != nil && representedClasses[p.F.Class] {
				v = sim.representOut(p, v)
			}
			var sub *catalog.Schema
			if p.ItemModel != "" {
				sub = sim.cat.Schemas[p.ItemModel]
				if sub != nil {
					// Fields/NestedModelField.inc from_internal: each child is its model's
					// representation, with its position as id and the owner's id as parent_id,
					// and follows the same hiding rules as its own endpoint.
					b = sim.appendChildren(b, v, sub, hide, id)
					continue
				}
			}
			b = sim.appendValue(b, v, sub)
		}
	}
	if seen < len(obj) {
		var rest []string
		for k := range obj {
			if k == "id" || k == "parent_id" || (s != nil && s.Prop(k) != nil) {
				continue
			}
			rest = append(rest, k)
		}
		sort.Strings(rest)
		for _, k := range rest {
			key(k)
			b = sim.appendValue(b, obj[k], nil)
		}
	}
	if s != nil && sim.hateoas() {
		if m := sim.models[s.Name]; m != nil && sim.singularRoute(m.name) != nil {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = sim.appendLinks(b, m, rw)
		}
	}
	if first {
		// An object with no field shown is an empty PHP array: json_encode writes [].
		return append(b[:start], "[]"...)
	}
	return append(b, '}')
}

func (sim *Simulator) appendChildren(b []byte, v any, s *catalog.Schema, hide func(*catalog.Prop) bool, parentID any) []byte {
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case []map[string]any:
		for _, m := range x {
			items = append(items, m)
		}
	default:
		return sim.appendValue(b, v, s)
	}
	withIDs := false
	if m := sim.models[s.Name]; m != nil && m.many {
		withIDs = true
	}
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		m, ok := it.(map[string]any)
		if !ok {
			b = sim.appendValue(b, it, nil)
			continue
		}
		// Only the child model's fields: Core/Model.inc from_representation keeps no other key.
		known := make(map[string]any, len(m))
		for k, x := range m {
			if s.Prop(k) != nil {
				known[k] = x
			}
		}
		rw := row{obj: known}
		if withIDs {
			rw.parentID, rw.id = parentID, int64(i)
		}
		b = sim.appendRow(b, rw, s, hide)
	}
	return append(b, ']')
}

// readBack is what a read shows of a stored object: Core/Model.inc from_internal_object()
// converts the fields in declaration order on a fresh model, and Core/Field.inc from_internal()
// sets a boolean whose conditions fail to null. A condition reads the fields converted so far,
// so one that names a later field sees null (a limiter's ecn), and one whose field a custom
// validate method changed after the boolean was checked now fails (a time server forced to
// `pool` keeps noselect null). Parent conditions are left alone. Creates and updates answer
// with the validated object instead, as the package does. When the spec does not give the
// declaration order (its properties sorted), conditions read the whole stored object.
func (sim *Simulator) readBack(s *catalog.Schema, obj map[string]any) map[string]any {
	if s == nil {
		return obj
	}
	seen := make(map[string]any, len(s.Props))
	if !sim.declOrder {
		for k, v := range obj {
			seen[k] = v
		}
	}
	vc := &vctx{obj: seen}
	var out map[string]any
	for _, p := range s.Props {
		v, ok := obj[p.Name]
		if f := p.F; ok && v != nil && f != nil && f.Type == "boolean" && len(f.Conditions) > 0 && !hasParentCondition(f) && !vc.conditionsMet(f) {
			if out == nil {
				out = make(map[string]any, len(obj))
				for k, x := range obj {
					out[k] = x
				}
			}
			out[p.Name], v = nil, nil
		}
		seen[p.Name] = v
	}
	if out == nil {
		return obj
	}
	return out
}

func hasParentCondition(f *catalog.FieldInfo) bool {
	for _, c := range f.Conditions {
		if c.Parent {
			return true
		}
	}
	return false
}

// alphabetical reports whether every schema of more than two properties lists them sorted:
// then the spec says nothing about declaration order.
func alphabetical(cat *catalog.Catalog) bool {
	for _, s := range cat.Schemas {
		if len(s.Props) <= 2 {
			continue
		}
		for i := 1; i < len(s.Props); i++ {
			if s.Props[i-1].Name > s.Props[i].Name {
				return false
			}
		}
	}
	return true
}
