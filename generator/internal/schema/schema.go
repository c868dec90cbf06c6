// Package schema builds the input JSON Schema of each tool from a normalized operation.
//
// Every input schema is one object schema ("type": "object", "additionalProperties": false, so
// a misspelt argument is refused before anything is sent), valid as JSON Schema draft 2020-12
// and draft-07, emitted compactly with sorted keys. The rules:
//
//   - Types come from the resolved schema (allOf merged, $ref followed): array items that are
//     models are objects with their own properties. Nullable fields also accept null.
//   - readOnly fields are not inputs.
//   - Enums are listed in the schema and in the description ("One of: host, network, port.").
//   - No number with an absolute value of 2^53 or more appears anywhere: the spec uses
//     PHP_INT_MAX as "no maximum", which breaks clients that validate tool schemas. Such bounds,
//     defaults and enum values are dropped.
//   - A field whose description says it is "only available when" other fields have some value
//     is conditionally required, so never required here.
//   - PATCH bodies (update and settings tools) carry no defaults at all and require nothing but
//     the id (and parent_id) of the object: pfSense would apply a default the caller never gave.
//   - parent_id accepts an integer or a string (DHCP server children use interface names).
//   - Bounds are kept where they mean something: minLength/minItems 0 and maxItems 0 (which
//     means unlimited) are dropped, and so is maxLength beside an enum or at 1024 (the limit of
//     every string field that sets none of its own).
//   - Descriptions are plain text (see package text); a property's own prose is capped at
//     PropertyDescriptionCap characters at a sentence boundary; its conditional note and enum
//     list are always kept.
//
// The properties by kind (Params says where each goes in the request; confirm and fields are
// handled by the server):
//
//	list          query (query_map), sort_by, sort_order, limit, offset (query), fields
//	get           id, parent_id for child models (query), fields
//	create/action body fields (body)
//	update        id, parent_id for child models, body fields (body)
//	settings      GET: none; PATCH: body fields (body)
//	replace       objects (body_list): the list of every object
//	delete        one object: id, parent_id, apply (query); plural: query (query_map), limit, offset (query)
//	apply, status, apply_status: whatever the spec gives beyond read-only fields (usually nothing)
//
// Every mutating tool also has confirm.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/text"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// PropertyDescriptionCap bounds the prose of one property description (in bytes).
const PropertyDescriptionCap = 600

// ConfirmDescription describes the confirm property of every mutating tool.
const ConfirmDescription = "Leave out to get a preview (nothing changes). To make the change, call again with the same arguments and the confirm_token the preview returned."

// defaultMaxLength is the length limit every string field of the REST API has unless it sets
// its own; repeating it on thousands of fields would only cost tokens.
const defaultMaxLength = 1024

// maxSafeInteger is 2^53: JSON numbers at or beyond it lose precision in many clients.
const maxSafeInteger = 1 << 53

// Names of the input properties the server must handle (besides body fields).
const (
	PropQuery     = "query"
	PropSortBy    = "sort_by"
	PropSortOrder = "sort_order"
	PropLimit     = "limit"
	PropOffset    = "offset"
	PropID        = "id"
	PropParentID  = "parent_id"
	PropApply     = "apply"
	PropObjects   = "objects"
)

// droppedParams are spec parameters no tool offers: sort_flags only tunes PHP's sort.
var droppedParams = map[string]bool{"sort_flags": true}

// QueryOperators are the filter operators of the REST API (field__op=value).
var QueryOperators = []string{"exact", "except", "contains", "startswith", "endswith", "in", "lt", "lte", "gt", "gte", "format", "regex"}

// Input is what one tool's input schema depends on.
type Input struct {
	Op       *normalize.Operation
	Model    *normalize.Model
	Mutation bool
	Log      bool
	// Subresources returns the tools that manage single entries of a child model, for the
	// description of array fields made of such entries; nil or empty when there are none.
	Subresources func(model string) []string
}

// Result is a tool's input schema and where each input goes in the request.
type Result struct {
	JSON   string           // the schema, compact JSON with sorted keys.
	Params []toolspec.Param // sorted by name.
}

// Build returns the input schema of one tool.
func Build(in Input) (Result, error) {
	op := in.Op
	b := &builder{in: in, props: map[string]any{}}
	switch op.Kind {
	case toolspec.KindList:
		b.list()
	case toolspec.KindGet:
		b.addID(toolspec.InQuery, "The id of the object to read.")
		b.addParentID(toolspec.InQuery)
		b.addFields()
		b.otherParams()
	case toolspec.KindDelete:
		if op.Plural {
			b.pluralDelete()
		} else {
			b.addID(toolspec.InQuery, "The id of the object to delete.")
			b.addParentID(toolspec.InQuery)
			if p := op.Param(PropApply); p != nil {
				b.add(PropApply, b.paramSchema(p, "Apply this deletion immediately instead of leaving it pending."), toolspec.InQuery, false)
			}
			b.otherParams()
		}
	case toolspec.KindReplace:
		b.replace()
	case toolspec.KindUpdate:
		b.addID(toolspec.InBody, "The id of the object to update.")
		b.addParentID(toolspec.InBody)
		b.body(true)
	case toolspec.KindSettings:
		if op.Method == "PATCH" {
			b.body(true)
		}
		b.otherParams()
	case toolspec.KindCreate, toolspec.KindAction, toolspec.KindApply:
		b.addParentID(toolspec.InBody)
		b.body(false)
		b.otherParams()
	case toolspec.KindStatus, toolspec.KindApplyStatus:
		b.otherParams()
	default:
		return Result{}, fmt.Errorf("%s: no input schema rule for kind %q", op.ID, op.Kind)
	}
	if b.err != nil {
		return Result{}, fmt.Errorf("%s: %w", op.ID, b.err)
	}
	if in.Mutation {
		// A string (the preview's token), or true where the operator allows plain confirmation.
		b.props[toolspec.ConfirmProperty] = map[string]any{
			"type":        []any{"string", "boolean"},
			"description": ConfirmDescription,
		}
	}
	top := map[string]any{"type": "object", "properties": b.props, "additionalProperties": false}
	if len(b.required) > 0 {
		sort.Strings(b.required)
		top["required"] = b.required
	}
	js, err := Marshal(top)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", op.ID, err)
	}
	sort.Slice(b.params, func(i, j int) bool { return b.params[i].Name < b.params[j].Name })
	return Result{JSON: js, Params: b.params}, nil
}

// Marshal encodes a schema as compact JSON with sorted keys and without HTML escaping.
func Marshal(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encode schema: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

type builder struct {
	in       Input
	props    map[string]any
	required []string
	params   []toolspec.Param
	handled  map[string]bool // spec parameters already turned into properties.
	err      error
}

func (b *builder) add(name string, schema map[string]any, in toolspec.ParamIn, required bool) {
	if _, dup := b.props[name]; dup {
		return
	}
	b.props[name] = schema
	if in != "" {
		b.params = append(b.params, toolspec.Param{Name: name, In: in})
	}
	if required {
		b.required = append(b.required, name)
	}
	if b.handled == nil {
		b.handled = map[string]bool{}
	}
	b.handled[name] = true
}

// otherParams adds the spec's query parameters that no rule above took, as they are.
func (b *builder) otherParams() {
	for _, p := range b.in.Op.Params {
		if b.handled[p.Name] || droppedParams[p.Name] {
			continue
		}
		b.add(p.Name, b.paramSchema(p, ""), toolspec.InQuery, p.Required)
	}
}

func (b *builder) paramSchema(p *normalize.Param, fallback string) map[string]any {
	s := property(p.Schema, false, nil)
	desc, _ := s["description"].(string)
	if desc == "" {
		desc = text.Plain(p.Description)
	}
	if desc == "" {
		desc = fallback
	}
	if desc != "" {
		s["description"] = desc
	}
	return s
}

func idTypes(s *normalize.Schema) any {
	if s == nil || len(s.Types) == 0 {
		return []string{"integer", "string"}
	}
	return jsonType(s.Types, false)
}

func (b *builder) addID(in toolspec.ParamIn, what string) {
	op := b.in.Op
	s := op.IDSchema
	if p := op.Param(PropID); p != nil {
		s = p.Schema
	}
	b.add(PropID, map[string]any{
		"type":        idTypes(s),
		"description": what + " Ids are list positions: they shift when an earlier object is deleted.",
	}, in, true)
}

// addParentID adds parent_id when the operation takes one, as integer or string.
func (b *builder) addParentID(in toolspec.ParamIn) {
	op := b.in.Op
	var required bool
	switch {
	case op.Param(PropParentID) != nil:
		required = op.Param(PropParentID).Required
	case op.Body != nil && op.Body.Properties[PropParentID] != nil:
		required = op.Body.IsRequired(PropParentID)
	default:
		return
	}
	parent := op.SpecParent
	if b.in.Model != nil && b.in.Model.Parent != "" {
		parent = b.in.Model.Parent
	}
	b.add(PropParentID, map[string]any{
		"type":        []string{"integer", "string"},
		"description": fmt.Sprintf("The id of the parent %s object.", parent),
	}, in, required)
}

func (b *builder) fieldNames() []string {
	if b.in.Model == nil {
		return nil
	}
	return b.in.Model.Fields()
}

// fieldSummary lists up to max field names of the model for descriptions.
func fieldSummary(fields []string, max int) string {
	if len(fields) == 0 {
		return ""
	}
	if len(fields) <= max {
		return strings.Join(fields, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(fields[:max], ", "), len(fields)-max)
}

// example returns two field names to use in examples, preferring descriptive ones.
func example(fields []string) (string, string) {
	var picked []string
	for _, pref := range []string{"name", "descr", "interface", "type", "enabled", "status"} {
		for _, f := range fields {
			if f == pref && len(picked) < 2 {
				picked = append(picked, f)
			}
		}
	}
	for _, f := range fields {
		if len(picked) >= 2 {
			break
		}
		if f != "id" && f != "parent_id" && (len(picked) == 0 || picked[0] != f) {
			picked = append(picked, f)
		}
	}
	for len(picked) < 2 {
		picked = append(picked, "name")
	}
	return picked[0], picked[1]
}

const maxFieldsInDescription = 15

func (b *builder) addFields() {
	fields := b.fieldNames()
	a, c := example(fields)
	desc := fmt.Sprintf("Return only these fields of each object, e.g. [%q, %q]; default all.", a, c)
	if s := fieldSummary(fields, maxFieldsInDescription); s != "" {
		desc += " Fields: " + s + "."
	}
	b.add(toolspec.FieldsProperty, map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": desc}, "", false)
}

// querySchema describes the free-form filter object. The field list is given here only when
// the tool has no fields property that lists them already.
func (b *builder) querySchema(purpose string, listFields bool) map[string]any {
	fields := b.fieldNames()
	a, _ := example(fields)
	desc := purpose + ` {"field": value} or {"field__op": value}, op one of ` + strings.Join(QueryOperators, ", ") +
		fmt.Sprintf(` (regex needs delimiters: /^bt_/). Example: {"%s__startswith": "bt_"}. Filters on unknown fields are refused.`, a)
	if s := fieldSummary(fields, maxFieldsInDescription); s != "" && listFields {
		desc += " Fields: " + s + "."
	}
	return map[string]any{
		"type":                 "object",
		"additionalProperties": map[string]any{"type": []string{"string", "number", "boolean"}},
		"description":          desc,
	}
}

func (b *builder) list() {
	op := b.in.Op
	max := toolspec.MaxListLimit
	if b.in.Log {
		max = toolspec.MaxLogLimit
	}
	if op.Param(PropQuery) != nil {
		b.add(PropQuery, b.querySchema("Return only objects matching every filter:", false), toolspec.InQueryMap, false)
	}
	if op.Param(PropSortBy) != nil {
		b.add(PropSortBy, map[string]any{
			"type": "array", "items": map[string]any{"type": "string"},
			"description": "Sort by these fields (not id). Sorted objects keep their ids.",
		}, toolspec.InQuery, false)
	}
	if op.Param(PropSortOrder) != nil {
		b.add(PropSortOrder, map[string]any{
			"type": "string", "enum": []string{"SORT_ASC", "SORT_DESC"},
			"description": "Sort direction for sort_by. One of: SORT_ASC, SORT_DESC.",
		}, toolspec.InQuery, false)
	}
	if op.Param(PropLimit) != nil {
		b.add(PropLimit, map[string]any{
			"type": "integer", "minimum": 1, "maximum": max, "default": toolspec.DefaultListLimit,
			"description": fmt.Sprintf("How many objects to return: default %d, at most %d.", toolspec.DefaultListLimit, max),
		}, toolspec.InQuery, false)
	}
	if op.Param(PropOffset) != nil {
		b.add(PropOffset, map[string]any{
			"type": "integer", "minimum": 0, "default": 0,
			"description": "How many matching objects to skip (for the next page).",
		}, toolspec.InQuery, false)
	}
	b.addFields()
	b.addParentID(toolspec.InQuery)
	b.otherParams()
}

func (b *builder) pluralDelete() {
	op := b.in.Op
	if op.Param(PropQuery) == nil {
		b.err = fmt.Errorf("a plural DELETE without a query parameter would delete everything; refusing to describe it")
		return
	}
	q := b.querySchema("Delete every object matching all these filters (at least one):", true)
	q["minProperties"] = 1
	b.add(PropQuery, q, toolspec.InQueryMap, true)
	if p := op.Param(PropLimit); p != nil {
		s := map[string]any{"type": "integer", "minimum": 0, "description": "The most objects to delete; 0 deletes every match."}
		if d, ok := safeNumber(p.Schema.Default); ok {
			s["default"] = d
		}
		b.add(PropLimit, s, toolspec.InQuery, false)
	}
	if op.Param(PropOffset) != nil {
		b.add(PropOffset, map[string]any{"type": "integer", "minimum": 0, "description": "How many matching objects to skip before deleting."}, toolspec.InQuery, false)
	}
	b.otherParams()
}

func (b *builder) replace() {
	op := b.in.Op
	if op.Body == nil {
		b.err = fmt.Errorf("PUT without a body")
		return
	}
	item := object(op.Body, false, b.in.Subresources)
	b.add(PropObjects, map[string]any{
		"type":        "array",
		"items":       item,
		"description": fmt.Sprintf("Every %s object to keep, in order. The list replaces all existing objects (they are renumbered from 0): objects left out are deleted.", op.Model),
	}, toolspec.InBodyList, true)
}

// body adds the writable fields of the request body. In a PATCH (patch=true) nothing is
// required but id and parent_id, and no field has a default.
func (b *builder) body(patch bool) {
	op := b.in.Op
	if op.Body == nil {
		return
	}
	for _, name := range op.Body.PropertyNames() {
		p := op.Body.Properties[name]
		if p.ReadOnly {
			continue
		}
		if name == PropID && b.props[PropID] == nil {
			// An action that targets an object (service start/stop, client export) names it by id.
			b.add(PropID, map[string]any{
				"type":        idTypes(op.IDSchema),
				"description": "The id of the object to act on.",
			}, toolspec.InBody, op.Body.IsRequired(name))
			continue
		}
		if name == PropParentID {
			continue // added by addParentID with its integer-or-string type.
		}
		required := !patch && op.Body.IsRequired(name) && !text.IsConditional(p.Description)
		b.add(name, property(p, patch, b.in.Subresources), toolspec.InBody, required)
	}
}

// object returns the schema of a nested or listed object: its writable properties, and the
// required ones that are not conditional.
func object(s *normalize.Schema, patch bool, sub func(string) []string) map[string]any {
	props := map[string]any{}
	var required []string
	for _, name := range s.PropertyNames() {
		p := s.Properties[name]
		if p.ReadOnly {
			continue
		}
		if name == PropParentID || name == PropID {
			continue
		}
		props[name] = property(p, patch, sub)
		if s.IsRequired(name) && !text.IsConditional(p.Description) {
			required = append(required, name)
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// property converts one field.
func property(s *normalize.Schema, patch bool, sub func(string) []string) map[string]any {
	out := map[string]any{}
	if t := jsonType(s.Types, s.Nullable); t != nil {
		out["type"] = t
	}
	switch {
	case s.Is("object") && len(s.Properties) > 0:
		for k, v := range object(s, patch, sub) {
			if k != "type" {
				out[k] = v
			}
		}
	case s.Items != nil:
		if s.Items.Is("object") && len(s.Items.Properties) > 0 {
			out["items"] = object(s.Items, patch, sub)
		} else {
			out["items"] = property(s.Items, patch, sub)
		}
	}
	enum := safeEnum(s.Enum, s.Nullable)
	if len(enum) > 0 {
		out["enum"] = enum
	}
	if !patch && s.Default != nil {
		if d, ok := safeValue(s.Default); ok {
			out["default"] = d
		}
	}
	if v, ok := safeNumber(s.Minimum); ok && s.Minimum != nil {
		out["minimum"] = v
	}
	if v, ok := safeNumber(s.Maximum); ok && s.Maximum != nil {
		out["maximum"] = v
	}
	if s.MinLength > 0 && s.MinLength < maxSafeInteger {
		out["minLength"] = s.MinLength
	}
	if s.MaxLength != nil && *s.MaxLength > 0 && *s.MaxLength != defaultMaxLength && *s.MaxLength < maxSafeInteger && len(enum) == 0 {
		out["maxLength"] = *s.MaxLength
	}
	if s.MinItems > 0 && s.MinItems < maxSafeInteger {
		out["minItems"] = s.MinItems
	}
	if s.MaxItems != nil && *s.MaxItems > 0 && *s.MaxItems < maxSafeInteger {
		out["maxItems"] = *s.MaxItems
	}
	if d := describe(s, sub); d != "" {
		out["description"] = d
	}
	return out
}

// jsonType returns the JSON Schema type: a string, or a list when there are several (nullable
// fields add "null"); nil when the spec gives none.
func jsonType(types []string, nullable bool) any {
	ts := append([]string(nil), types...)
	if nullable && len(ts) > 0 {
		found := false
		for _, t := range ts {
			found = found || t == "null"
		}
		if !found {
			ts = append(ts, "null")
		}
	}
	switch len(ts) {
	case 0:
		return nil
	case 1:
		return ts[0]
	}
	return ts
}

// describe returns a property's description: its prose (capped), the enum values, its
// conditional note and, for lists of child objects, the tools that manage single entries.
func describe(s *normalize.Schema, sub func(string) []string) string {
	main, cond := text.SplitCondition(s.Description)
	parts := []string{text.Sentence(text.Cap(main, PropertyDescriptionCap))}
	if vals := enumText(s.Enum); vals != "" {
		parts = append(parts, "One of: "+vals+".")
	} else if s.Items != nil {
		if vals := enumText(s.Items.Enum); vals != "" {
			parts = append(parts, "Each entry is one of: "+vals+".")
		}
	}
	parts = append(parts, cond)
	if s.Items != nil && s.Items.Ref != "" && sub != nil {
		if tools := sub(s.Items.Ref); len(tools) > 0 {
			parts = append(parts, "Single entries can also be managed with "+joinAnd(tools)+".")
		}
	}
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func enumText(enum []any) string {
	var vals []string
	for _, v := range enum {
		if v == nil {
			continue
		}
		if sv, ok := safeValue(v); ok {
			if sv == "" {
				sv = `""` // an empty choice must stay visible in the list.
			}
			vals = append(vals, fmt.Sprint(sv))
		}
	}
	return strings.Join(vals, ", ")
}

// safeEnum drops enum values that are unsafe numbers and adds null for nullable fields.
func safeEnum(enum []any, nullable bool) []any {
	if len(enum) == 0 {
		return nil
	}
	var out []any
	hasNull := false
	for _, v := range enum {
		if v == nil {
			hasNull = true
			out = append(out, nil)
			continue
		}
		if sv, ok := safeValue(v); ok {
			out = append(out, sv)
		}
	}
	if nullable && !hasNull && len(out) > 0 {
		out = append(out, nil)
	}
	return out
}

// safeValue returns v with every number made an exact integer where it is one, and false when
// v is or contains a number of absolute value 2^53 or more.
func safeValue(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		return safeNumber(&x)
	case int:
		f := float64(x)
		return safeNumber(&f)
	case int64:
		f := float64(x)
		return safeNumber(&f)
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			se, ok := safeValue(e)
			if !ok {
				return nil, false
			}
			out = append(out, se)
		}
		return out, true
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			se, ok := safeValue(e)
			if !ok {
				return nil, false
			}
			out[k] = se
		}
		return out, true
	}
	return v, true
}

// safeNumber returns the number as an int64 when it is whole (so JSON shows 1420, not 1420.0)
// and false when it is absent, not finite, or has an absolute value of 2^53 or more.
func safeNumber(v any) (any, bool) {
	var f float64
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil, false
		}
		f = *x
	case float64:
		f = x
	default:
		return nil, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= maxSafeInteger {
		return nil, false
	}
	if f == math.Trunc(f) {
		return int64(f), true
	}
	return f, true
}
