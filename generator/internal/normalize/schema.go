package normalize

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Schema is a resolved schema: allOf parts merged, $ref followed, oneOf of plain types folded
// into Types. It keeps the spec's facts as they are; deciding what a tool input looks like is
// the schema package's job.
type Schema struct {
	Types       []string // JSON types, e.g. ["string"] or ["integer", "string"]; empty for any.
	Nullable    bool
	Description string // raw spec text (HTML).
	Enum        []any
	Default     any // nil when the spec gives none (or null).
	Minimum     *float64
	Maximum     *float64
	MinLength   uint64
	MaxLength   *uint64
	MinItems    uint64
	MaxItems    *uint64
	ReadOnly    bool
	WriteOnly   bool
	Items       *Schema
	Properties  map[string]*Schema
	Required    []string
	// AdditionalProperties is the schema of the values of a free-form object (the spec's
	// `query` parameter); nil when not given.
	AdditionalProperties *Schema
	// Ref names the component schema (REST API model) this schema was taken from, e.g. the
	// WireGuardTunnelAddress behind the items of WireGuardTunnel.addresses; "" for inline schemas.
	Ref string
}

// Is reports whether typ is one of the schema's types.
func (s *Schema) Is(typ string) bool {
	for _, t := range s.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// PropertyNames returns the property names, sorted.
func (s *Schema) PropertyNames() []string {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsRequired reports whether the property is in the required list.
func (s *Schema) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

const componentPrefix = "#/components/schemas/"

// converter turns kin-openapi schemas into Schemas. Component schemas are converted once and
// shared; a reference cycle is an error rather than endless recursion (the spec is untrusted).
type converter struct {
	done   map[string]*Schema
	active map[string]bool
}

func newConverter() *converter {
	return &converter{done: map[string]*Schema{}, active: map[string]bool{}}
}

func (c *converter) convert(ref *openapi3.SchemaRef) (*Schema, error) {
	if ref == nil {
		return nil, nil
	}
	name := ""
	if ref.Ref != "" {
		var ok bool
		if name, ok = strings.CutPrefix(ref.Ref, componentPrefix); !ok {
			return nil, fmt.Errorf("reference %s: only %s... references are supported", ref.Ref, componentPrefix)
		}
		if s, ok := c.done[name]; ok {
			return s, nil
		}
		if c.active[name] {
			return nil, fmt.Errorf("reference cycle through %s", name)
		}
		c.active[name] = true
		defer delete(c.active, name)
	}
	if ref.Value == nil {
		return nil, fmt.Errorf("unresolved reference %q", ref.Ref)
	}
	s, err := c.value(ref.Value)
	if err != nil {
		return nil, err
	}
	if name != "" {
		s.Ref = name
		c.done[name] = s
	}
	return s, nil
}

func (c *converter) value(v *openapi3.Schema) (*Schema, error) {
	s := &Schema{
		Nullable:    v.Nullable,
		Description: v.Description,
		Enum:        v.Enum,
		Default:     v.Default,
		Minimum:     v.Min,
		Maximum:     v.Max,
		MinLength:   v.MinLength,
		MaxLength:   v.MaxLength,
		MinItems:    v.MinItems,
		MaxItems:    v.MaxItems,
		ReadOnly:    v.ReadOnly,
		WriteOnly:   v.WriteOnly,
		Required:    append([]string(nil), v.Required...),
	}
	if v.Type != nil {
		s.Types = append(s.Types, v.Type.Slice()...)
	}
	var err error
	if s.Items, err = c.convert(v.Items); err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	if v.AdditionalProperties.Schema != nil {
		if s.AdditionalProperties, err = c.convert(v.AdditionalProperties.Schema); err != nil {
			return nil, fmt.Errorf("additionalProperties: %w", err)
		}
	}
	if len(v.Properties) > 0 {
		s.Properties = make(map[string]*Schema, len(v.Properties))
		for name, p := range v.Properties {
			if s.Properties[name], err = c.convert(p); err != nil {
				return nil, fmt.Errorf("property %s: %w", name, err)
			}
		}
	}
	for i, part := range v.AllOf {
		ps, err := c.convert(part)
		if err != nil {
			return nil, fmt.Errorf("allOf[%d]: %w", i, err)
		}
		s = merge(s, ps)
	}
	for i, part := range v.OneOf {
		ps, err := c.convert(part)
		if err != nil {
			return nil, fmt.Errorf("oneOf[%d]: %w", i, err)
		}
		s.Types = union(s.Types, ps.Types)
	}
	switch {
	case len(s.Types) > 0:
	case len(s.Properties) > 0:
		s.Types = []string{"object"}
	case s.Items != nil:
		s.Types = []string{"array"}
	}
	return s, nil
}

// merge returns the allOf combination of a and b as a new schema (component schemas are shared
// and must not change): properties and required lists are united, b's properties win on a
// clash, and scalar facts come from whichever part has them. The merged schema takes the model
// name of the first part that came from a component.
func merge(a, b *Schema) *Schema {
	out := *a
	out.Types = union(a.Types, b.Types)
	out.Nullable = a.Nullable || b.Nullable
	out.ReadOnly = a.ReadOnly || b.ReadOnly
	out.WriteOnly = a.WriteOnly || b.WriteOnly
	if out.Description == "" {
		out.Description = b.Description
	}
	if out.Enum == nil {
		out.Enum = b.Enum
	}
	if out.Default == nil {
		out.Default = b.Default
	}
	if out.Minimum == nil {
		out.Minimum = b.Minimum
	}
	if out.Maximum == nil {
		out.Maximum = b.Maximum
	}
	if out.MinLength == 0 {
		out.MinLength = b.MinLength
	}
	if out.MaxLength == nil {
		out.MaxLength = b.MaxLength
	}
	if out.MinItems == 0 {
		out.MinItems = b.MinItems
	}
	if out.MaxItems == nil {
		out.MaxItems = b.MaxItems
	}
	if out.Items == nil {
		out.Items = b.Items
	}
	if out.AdditionalProperties == nil {
		out.AdditionalProperties = b.AdditionalProperties
	}
	if len(a.Properties)+len(b.Properties) > 0 {
		out.Properties = make(map[string]*Schema, len(a.Properties)+len(b.Properties))
		for n, p := range a.Properties {
			out.Properties[n] = p
		}
		for n, p := range b.Properties {
			out.Properties[n] = p
		}
	}
	out.Required = union(a.Required, b.Required)
	if out.Ref == "" {
		out.Ref = b.Ref
	}
	return &out
}

// union appends the elements of b missing from a, keeping order.
func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		found := false
		for _, y := range out {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}
