// Package synth makes values that satisfy a catalog schema: the simulator fills models it
// has no hand-written seed for, and the tests build well-formed requests for every operation.
// Values are plausible for the field's name (addresses for address fields, ports for port
// fields) and always within the schema's enums, lengths and bounds.
package synth

import (
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

// Object returns an object for schema s with a value for every property. With writable set,
// read-only properties are left out (a request body); otherwise they are included (stored
// state). Nested child arrays are empty unless the schema needs at least one item.
func Object(c *catalog.Catalog, s *catalog.Schema, writable bool) map[string]any {
	obj := make(map[string]any, len(s.Props))
	for _, p := range s.Props {
		if writable && p.ReadOnly {
			continue
		}
		if p.WriteOnly && !writable {
			continue
		}
		obj[p.Name] = Value(c, p, writable)
	}
	return obj
}

// Value returns a value that satisfies p.
func Value(c *catalog.Catalog, p *catalog.Prop, writable bool) any {
	if p.HasDefault && valid(p, p.Default) {
		return clone(p.Default)
	}
	if len(p.Enum) > 0 {
		for _, e := range p.Enum {
			if s, ok := e.(string); !ok || s != "" {
				return e
			}
		}
		return p.Enum[0]
	}
	switch p.Type {
	case "string":
		return fitLength(p, stringFor(p.Name))
	case "integer":
		return intFor(p)
	case "number":
		v := 1.5
		if p.Minimum != nil && v < *p.Minimum {
			v = *p.Minimum
		}
		if p.Maximum != nil && v > *p.Maximum {
			v = *p.Maximum
		}
		return v
	case "boolean":
		return false
	case "array":
		n := int64(0)
		if p.MinItems != nil {
			n = *p.MinItems
		}
		out := make([]any, 0, n)
		for i := int64(0); i < n; i++ {
			if p.ItemModel != "" {
				if s := c.Schemas[p.ItemModel]; s != nil {
					out = append(out, Object(c, s, writable))
				}
				continue
			}
			if p.Items != nil {
				out = append(out, Value(c, p.Items, writable))
			}
		}
		return out
	case "object":
		return map[string]any{}
	}
	return ""
}

func clone(v any) any {
	if a, ok := v.([]any); ok {
		return append([]any(nil), a...)
	}
	return v
}

func valid(p *catalog.Prop, v any) bool {
	if len(p.Enum) > 0 {
		found := false
		for _, e := range p.Enum {
			found = found || e == v
		}
		if !found {
			return false
		}
	}
	if i, ok := v.(int64); ok {
		if (p.Minimum != nil && float64(i) < *p.Minimum) || (p.Maximum != nil && float64(i) > *p.Maximum) {
			return false
		}
	}
	switch p.Type {
	case "integer":
		_, ok := v.(int64)
		return ok
	case "number":
		switch v.(type) {
		case int64, float64:
			return true
		}
		return false
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	}
	return true
}

func intFor(p *catalog.Prop) int64 {
	v := int64(1)
	n := strings.ToLower(p.Name)
	switch {
	case strings.Contains(n, "port"):
		v = 8080
	case strings.Contains(n, "subnet") || strings.Contains(n, "mask"):
		v = 24
	case strings.Contains(n, "mtu"):
		v = 1500
	case strings.Contains(n, "time") || strings.Contains(n, "interval"):
		v = 3600
	}
	if p.Minimum != nil && float64(v) < *p.Minimum {
		v = int64(*p.Minimum)
	}
	if p.Maximum != nil && float64(v) > *p.Maximum {
		v = int64(*p.Maximum)
	}
	return v
}

// stringFor picks a plausible string for a field by its name.
func stringFor(name string) string {
	n := strings.ToLower(name)
	switch {
	case n == "mac" || strings.Contains(n, "macaddr") || strings.HasSuffix(n, "_mac"):
		return "00:0c:29:4f:8e:35"
	case strings.Contains(n, "subnet") || strings.Contains(n, "network"):
		return "10.10.10.0/24"
	case strings.Contains(n, "ipaddr") || strings.Contains(n, "address") || strings.HasSuffix(n, "_ip") ||
		n == "ip" || strings.Contains(n, "gateway") || strings.Contains(n, "server") || n == "host" ||
		strings.Contains(n, "range_from"):
		return "10.10.10.10"
	case strings.Contains(n, "range_to"):
		return "10.10.10.20"
	case strings.Contains(n, "port"):
		return "8080"
	case strings.Contains(n, "interface") || n == "if":
		return "lan"
	case strings.Contains(n, "domain") || strings.Contains(n, "hostname") || strings.Contains(n, "fqdn"):
		return "sim.home.arpa"
	case strings.Contains(n, "email") || strings.Contains(n, "mail"):
		return "admin@sim.home.arpa"
	case strings.Contains(n, "descr") || strings.Contains(n, "description"):
		return "Simulated"
	case strings.Contains(n, "name"):
		return "sim_object"
	case strings.Contains(n, "time") || strings.Contains(n, "date"):
		return "2026-01-01 00:00:00"
	}
	return "sim_value"
}

func fitLength(p *catalog.Prop, s string) string {
	if p.MaxLength != nil && int64(len(s)) > *p.MaxLength {
		s = s[:*p.MaxLength]
	}
	if p.MinLength != nil {
		for int64(len(s)) < *p.MinLength {
			s += "x"
		}
	}
	return s
}

// Blank returns an object for schema s as pfSense stores an unconfigured one: defaults
// where the schema has them, empty strings and arrays, false, null for nullable fields,
// and the nearest valid value where emptiness is not allowed (enums, bounds).
func Blank(c *catalog.Catalog, s *catalog.Schema) map[string]any {
	obj := make(map[string]any, len(s.Props))
	for _, p := range s.Props {
		if p.WriteOnly {
			continue
		}
		obj[p.Name] = BlankValue(c, p)
	}
	return obj
}

// BlankValue is the value an unset field of a stored object shows (see Blank).
func BlankValue(c *catalog.Catalog, p *catalog.Prop) any {
	switch {
	case p.HasDefault && valid(p, p.Default):
		return clone(p.Default)
	case p.Nullable:
		return nil
	case p.Type == "string" && len(p.Enum) == 0 && (p.MinLength == nil || *p.MinLength == 0):
		return ""
	case p.Type == "integer" && len(p.Enum) == 0:
		v := int64(0)
		if p.Minimum != nil && float64(v) < *p.Minimum {
			v = int64(*p.Minimum)
		}
		return v
	}
	return Value(c, p, false)
}
