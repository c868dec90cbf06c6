package simulator

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
)

// buildMode says how input becomes an object.
type buildMode int

const (
	modeCreate buildMode = iota // POST and each PUT item: defaults fill what is not given
	modeUpdate                  // PATCH: input overlays the stored object
)

// buildObject validates input against schema s like the REST API's models do: fields in
// model order, each checked for presence, type (JSON values are never coerced; form values
// are strings and are), choices, lengths and bounds; the first failure is the answer.
// Unknown and read-only input fields are ignored. base is the stored object for updates.
func (sim *Simulator) buildObject(s *catalog.Schema, required []string, in map[string]any, base map[string]any, mode buildMode, form bool, ctl *controls) (map[string]any, *apiError) {
	obj := make(map[string]any, len(s.Props)+1)
	for k, v := range base {
		obj[k] = v
	}
	for _, p := range s.Props {
		if p.ReadOnly {
			if _, ok := obj[p.Name]; !ok && mode == modeCreate {
				if v, ok := readOnlyInitial(p); ok {
					obj[p.Name] = v
				}
			}
			continue
		}
		v, given := in[p.Name]
		if given && v == nil && !p.Nullable {
			given = false
		}
		if given {
			cv, e := sim.convert(p, v, form)
			if e != nil {
				return nil, e
			}
			if mode == modeUpdate && p.Type == "array" && ctl != nil && (ctl.append || ctl.remove) {
				cv = mergeArray(obj[p.Name], cv, ctl.append)
			}
			obj[p.Name] = cv
		}
		cur, present := obj[p.Name]
		if !present {
			if isRequired(p, required) {
				return nil, errf(400, "FIELD_IS_REQUIRED", "Field `%s` is required.", p.Name)
			}
			if mode == modeCreate && !p.WriteOnly {
				// Like the REST API, a new object shows every field: defaults, else empty.
				obj[p.Name] = synth.BlankValue(sim.cat, p)
			}
			continue
		}
		if cur == nil {
			continue
		}
		if e := sim.check(p, cur); e != nil {
			return nil, e
		}
	}
	return obj, nil
}

// readOnlyInitial is what a new object shows in a read-only field: its default, or nothing.
func readOnlyInitial(p *catalog.Prop) (any, bool) {
	if p.HasDefault {
		return cloneValue(p.Default), true
	}
	if p.Nullable {
		return nil, true
	}
	return nil, false
}

func isRequired(p *catalog.Prop, required []string) bool {
	if p.Conditional {
		return false // conditionally required: the condition lives in PHP, not the spec
	}
	for _, r := range required {
		if r == p.Name {
			return true
		}
	}
	return false
}

func mergeArray(old, add any, appendMode bool) any {
	oldItems, _ := old.([]any)
	newItems, _ := add.([]any)
	if appendMode {
		return append(append([]any(nil), oldItems...), newItems...)
	}
	var out []any
	for _, o := range oldItems {
		keep := true
		for _, n := range newItems {
			if fmt.Sprint(o) == fmt.Sprint(n) {
				keep = false
			}
		}
		if keep {
			out = append(out, o)
		}
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = cloneValue(x[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneValue(e)
		}
		return out
	}
	return v
}

func typeError(p *catalog.Prop, name string) *apiError {
	typ := p.Type
	if typ == "" {
		typ = "string"
	}
	return errf(400, "FIELD_INVALID_TYPE", "Field `%s` must be of type `%s`.", name, typ)
}

// convert checks the type of an input value and returns it in stored form.
func (sim *Simulator) convert(p *catalog.Prop, v any, form bool) (any, *apiError) {
	name := p.Name
	switch p.Type {
	case "string":
		switch x := v.(type) {
		case string:
			return x, nil
		case nil:
			return nil, nil
		}
		return nil, typeError(p, name)
	case "integer":
		switch x := v.(type) {
		case json.Number:
			if !strings.ContainsAny(string(x), ".eE") {
				if i, err := x.Int64(); err == nil {
					return i, nil
				}
			}
		case string:
			if form {
				if i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
					return i, nil
				}
			}
		case int64:
			return x, nil
		case nil:
			return nil, nil
		}
		return nil, typeError(p, name)
	case "number":
		switch x := v.(type) {
		case json.Number:
			if f, err := x.Float64(); err == nil {
				return f, nil
			}
		case string:
			if form {
				if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
					return f, nil
				}
			}
		case float64:
			return x, nil
		case nil:
			return nil, nil
		}
		return nil, typeError(p, name)
	case "boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if form {
				switch strings.ToLower(x) {
				case "true", "1", "on", "yes":
					return true, nil
				case "false", "0", "off", "no", "":
					return false, nil
				}
			}
		case nil:
			return nil, nil
		}
		return nil, typeError(p, name)
	case "array":
		if v == nil {
			return nil, nil // only reached for nullable fields (buildObject drops other nulls)
		}
		items, ok := v.([]any)
		if !ok {
			if s, isStr := v.(string); isStr && form {
				items = []any{s}
			} else {
				return nil, typeError(p, name)
			}
		}
		out := make([]any, 0, len(items))
		for _, it := range items {
			switch {
			case p.ItemModel != "":
				m, ok := it.(map[string]any)
				if !ok {
					return nil, errf(400, "FIELD_INVALID_TYPE", "Field `%s` must be of type `array` of objects.", name)
				}
				child := sim.cat.Schemas[p.ItemModel]
				if child == nil {
					out = append(out, m)
					continue
				}
				built, e := sim.buildObject(child, p.ItemRequired, m, nil, modeCreate, form, nil)
				if e != nil {
					return nil, e
				}
				out = append(out, built)
			case p.Items != nil:
				item := *p.Items
				item.Name = name
				cv, e := sim.convert(&item, it, form)
				if e != nil {
					return nil, e
				}
				out = append(out, cv)
			default:
				out = append(out, it)
			}
		}
		return out, nil
	case "object":
		if m, ok := v.(map[string]any); ok {
			return normalizeValue(m), nil
		}
		return nil, typeError(p, name)
	}
	return normalizeValue(v), nil
}

// check validates a stored-form value against choices, lengths and bounds.
func (sim *Simulator) check(p *catalog.Prop, v any) *apiError {
	if p.Type == "array" {
		items, _ := v.([]any)
		if p.MinItems != nil && int64(len(items)) < *p.MinItems {
			return errf(400, "FIELD_MANY_MINIMUM_NOT_MET", "Field `%s` must contain at least %d values.", p.Name, *p.MinItems)
		}
		if p.MaxItems != nil && *p.MaxItems > 0 && int64(len(items)) > *p.MaxItems {
			return errf(400, "FIELD_MANY_MAXIMUM_EXCEEDED", "Field `%s` must contain at most %d values.", p.Name, *p.MaxItems)
		}
		if p.Items != nil {
			item := *p.Items
			item.Name = p.Name
			for _, it := range items {
				if e := sim.check(&item, it); e != nil {
					return e
				}
			}
		}
		return nil
	}
	if len(p.Enum) > 0 && !inEnum(p.Enum, v) {
		return errf(400, "FIELD_INVALID_CHOICE", "Field `%s` must be one of [%s]", p.Name, enumList(p.Enum))
	}
	switch x := v.(type) {
	case string:
		n := int64(len([]rune(x)))
		if p.MaxLength != nil && n > *p.MaxLength {
			return errf(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `%s` exceeds the maximum character length of %d.", p.Name, *p.MaxLength)
		}
		if p.MinLength != nil && n < *p.MinLength {
			return errf(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "Field `%s` must be at least %d characters long.", p.Name, *p.MinLength)
		}
	case int64:
		return checkRange(p, float64(x))
	case float64:
		return checkRange(p, x)
	}
	return nil
}

func checkRange(p *catalog.Prop, f float64) *apiError {
	if p.Minimum != nil && f < *p.Minimum {
		return errf(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field `%s` must be greater than or equal to %s.", p.Name, formatBound(*p.Minimum))
	}
	if p.Maximum != nil && f > *p.Maximum {
		return errf(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field `%s` must be less than or equal to %s.", p.Name, formatBound(*p.Maximum))
	}
	return nil
}

func formatBound(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if e == v {
			return true
		}
		if ei, ok := e.(int64); ok {
			if f, ok := v.(float64); ok && float64(ei) == f {
				return true
			}
		}
	}
	return false
}

func enumList(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		parts[i] = fmt.Sprint(e)
	}
	return strings.Join(parts, ", ")
}

// checkUnique enforces fields the spec marks unique among the model's other objects
// (siblings under the same parent for child models).
func checkUnique(s *catalog.Schema, obj map[string]any, others []map[string]any, self int) *apiError {
	for _, p := range s.Props {
		if !p.Unique {
			continue
		}
		v, ok := obj[p.Name]
		if !ok || v == nil || v == "" {
			continue
		}
		for i, o := range others {
			if i == self {
				continue
			}
			if o[p.Name] == v {
				return errf(400, "FIELD_MUST_BE_UNIQUE", "Field `%s` must be unique. Value `%v` is already in use.", p.Name, v)
			}
		}
	}
	return nil
}
