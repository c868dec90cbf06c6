package simulator

// GraphQL introspection (__schema, __type), which graphql-php answers by default. Introspection
// objects are maps whose values may be thunks (func() any) the executor calls when a field is
// selected: the type graph is cyclic, so it is walked only as deep as a query asks.

import (
	"maps"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

func (x *gqlExec) introSchema() any {
	s := x.gs.schema
	return map[string]any{
		"description": nil,
		"types": func() any {
			var out []any
			for _, n := range slices.Sorted(maps.Keys(s.Types)) {
				out = append(out, x.introType(s.Types[n]))
			}
			return out
		},
		"queryType":        func() any { return x.introType(s.Query) },
		"mutationType":     func() any { return x.introType(s.Mutation) },
		"subscriptionType": nil,
		"directives": func() any {
			var out []any
			for _, n := range slices.Sorted(maps.Keys(s.Directives)) {
				d := s.Directives[n]
				locs := make([]any, 0, len(d.Locations))
				for _, l := range d.Locations {
					locs = append(locs, string(l))
				}
				out = append(out, map[string]any{
					"name": d.Name, "description": nilIfEmpty(d.Description), "locations": locs,
					"args": func() any { return x.introArgs(d.Arguments) }, "isRepeatable": d.IsRepeatable,
				})
			}
			return out
		},
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// introType is a named type's __Type (nil for an unknown name: __type answers null).
func (x *gqlExec) introType(d *ast.Definition) any {
	if d == nil {
		return nil
	}
	t := map[string]any{
		"kind": string(d.Kind), "name": d.Name, "description": nilIfEmpty(d.Description),
		"specifiedByURL": nil, "ofType": nil,
		"fields": nil, "interfaces": nil, "possibleTypes": nil, "enumValues": nil, "inputFields": nil,
		"isOneOf": nil,
	}
	switch d.Kind {
	case ast.Object, ast.Interface:
		t["fields"] = func() any {
			out := []any{}
			for _, f := range d.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				f := f
				out = append(out, map[string]any{
					"name": f.Name, "description": nilIfEmpty(f.Description),
					"args": func() any { return x.introArgs(f.Arguments) },
					"type": func() any { return x.introRef(f.Type) }, "isDeprecated": false, "deprecationReason": nil,
				})
			}
			return out
		}
		t["interfaces"] = []any{}
	case ast.Enum:
		t["enumValues"] = func() any {
			out := []any{}
			for _, v := range d.EnumValues {
				out = append(out, map[string]any{"name": v.Name, "description": nilIfEmpty(v.Description), "isDeprecated": false, "deprecationReason": nil})
			}
			return out
		}
	case ast.InputObject:
		t["inputFields"] = func() any {
			var args ast.ArgumentDefinitionList
			for _, f := range d.Fields {
				args = append(args, &ast.ArgumentDefinition{Name: f.Name, Description: f.Description, Type: f.Type, DefaultValue: f.DefaultValue})
			}
			return x.introArgs(args)
		}
		t["isOneOf"] = false
	}
	return t
}

// introRef is the __Type of a field's or argument's type: NON_NULL and LIST wrap the named type.
func (x *gqlExec) introRef(t *ast.Type) any {
	if t == nil {
		return nil
	}
	if t.NonNull {
		inner := *t
		inner.NonNull = false
		return map[string]any{"kind": "NON_NULL", "name": nil, "description": nil, "ofType": func() any { return x.introRef(&inner) },
			"fields": nil, "interfaces": nil, "possibleTypes": nil, "enumValues": nil, "inputFields": nil, "specifiedByURL": nil, "isOneOf": nil}
	}
	if t.Elem != nil {
		return map[string]any{"kind": "LIST", "name": nil, "description": nil, "ofType": func() any { return x.introRef(t.Elem) },
			"fields": nil, "interfaces": nil, "possibleTypes": nil, "enumValues": nil, "inputFields": nil, "specifiedByURL": nil, "isOneOf": nil}
	}
	return x.introType(x.gs.schema.Types[t.NamedType])
}

func (x *gqlExec) introArgs(args ast.ArgumentDefinitionList) any {
	out := []any{}
	for _, a := range args {
		a := a
		var def any
		if a.DefaultValue != nil {
			def = a.DefaultValue.String()
		}
		out = append(out, map[string]any{
			"name": a.Name, "description": nilIfEmpty(a.Description), "type": func() any { return x.introRef(a.Type) },
			"defaultValue": def, "isDeprecated": false, "deprecationReason": nil,
		})
	}
	return out
}
