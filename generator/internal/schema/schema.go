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
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/text"
	"github.com/pfsense-mcp/pfsense-mcp/generator/overlay"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// PropertyDescriptionCap bounds the prose of one property description (in bytes).
const PropertyDescriptionCap = 600

// ConfirmDescription describes the confirm property of every mutating tool.
const ConfirmDescription = "Leave out to preview (nothing changes); resend with the preview's confirm_token."

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

// QueryOperators are the filter operators of the REST API (field__op=value), from the package's
// QueryFilters/ directory (ExactQueryFilter.inc, ContainsQueryFilter.inc, ...).
var QueryOperators = []string{"exact", "except", "contains", "startswith", "endswith", "in", "lt", "lte", "gt", "gte", "format", "regex"}

// Input is what one tool's input schema depends on.
type Input struct {
	Op       *normalize.Operation
	Model    *normalize.Model
	Mutation bool
	Log      bool
	// Pending: the tool's changes stay pending until the subsystem is applied.
	Pending bool
	// Native is the native schema of the spec's REST API version; nil or empty when the build
	// has none (the schemas then rest on the spec alone).
	Native *native.Schema
	// Overlay adds the control parameters, corrections and hints the spec lacks; nil for none.
	Overlay *overlay.Overlay
	// Subresources returns the tools that manage single entries of a child model, for the
	// description of array fields made of such entries; nil or empty when there are none.
	Subresources func(model string) []string
	// ListTool returns the tool that lists a model's objects ("" when there is none), for
	// fields that name an object of another model.
	ListTool func(model string) string
	// Create is the tool that creates objects of the tool's model (nil when there is none).
	// Update and replace tools of such a model describe the fields it also has tersely (types,
	// choices, bounds) and their description points to it for what each field means, instead
	// of repeating every text.
	Create *Create
}

// Create names a model's create tool and its request body.
type Create struct {
	Tool string
	Body *normalize.Schema
}

// Result is a tool's input schema and where each input goes in the request.
type Result struct {
	JSON   string           // the schema, compact JSON with sorted keys.
	Params []toolspec.Param // sorted by name.
	// Entries maps the lists of child objects that the schema does not inline (path ->
	// the child's create tool), e.g. "encryption" or "objects[].encryption".
	Entries map[string]string
	// Kept are the read-only identities a replace tool takes back (the overlay's kept fields
	// the model has, without the metadata), sorted.
	Kept []string
}

// Build returns the input schema of one tool.
func Build(in Input) (Result, error) {
	op := in.Op
	b := &builder{in: in, props: map[string]any{}}
	b.lean = in.Create != nil && in.Create.Body != nil && (op.Kind == toolspec.KindUpdate || op.Kind == toolspec.KindReplace)
	switch op.Kind {
	case toolspec.KindList:
		b.list()
	case toolspec.KindGet:
		// No projection: the answer is one object.
		b.addID(toolspec.InQuery, "")
		b.addParentID(toolspec.InQuery)
		b.otherParams()
	case toolspec.KindDelete:
		if op.Plural {
			b.pluralDelete()
		} else {
			b.addID(toolspec.InQuery, "")
			b.addParentID(toolspec.InQuery)
			if p := op.Param(PropApply); p != nil {
				b.add(PropApply, b.paramSchema(p, "true: apply this deletion at once instead of leaving it pending."), toolspec.InQuery, false)
			}
			b.otherParams()
		}
	case toolspec.KindReplace:
		b.replace()
	case toolspec.KindUpdate:
		b.addID(toolspec.InBody, "")
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
	b.controls()
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
	sort.Strings(b.kept)
	return Result{JSON: js, Params: b.params, Entries: b.entries, Kept: b.kept}, nil
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
	in Input
	// lean: describe fields the create tool describes by type, choices and bounds only.
	lean     bool
	props    map[string]any
	required []string
	params   []toolspec.Param
	handled  map[string]bool // spec parameters already turned into properties.
	entries  map[string]string
	kept     []string
	err      error
}

// skip leaves spec parameters out of the tool.
func (b *builder) skip(names ...string) {
	if b.handled == nil {
		b.handled = map[string]bool{}
	}
	for _, n := range names {
		b.handled[n] = true
	}
}

func (b *builder) add(name string, schema map[string]any, in toolspec.ParamIn, required bool) {
	if _, dup := b.props[name]; dup || b.handled[name] {
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

// nativeModel returns the native schema's model behind the tool, or nil.
func (b *builder) nativeModel() *native.Model {
	if b.in.Native.Empty() {
		return nil
	}
	return b.in.Native.Model(b.in.Op.Model)
}

// controls adds the overlay's control parameters that apply to the tool (placement, append,
// remove, reverse, async): the spec lists none of them although the endpoints read them.
// GET and DELETE read them from the query string, the others from the body.
func (b *builder) controls() {
	if b.in.Overlay == nil {
		return
	}
	where := toolspec.InBody
	if m := b.in.Op.Method; m == "GET" || m == "DELETE" {
		where = toolspec.InQuery
	}
	tool := overlay.Tool{Kind: b.in.Op.Kind, Model: b.in.Op.Model, HasListFields: len(b.listFields()) > 0, Log: b.in.Log, Pending: b.in.Pending}
	for _, c := range b.in.Overlay.ControlsFor(tool) {
		if b.props[c.Name] != nil {
			continue // the spec has it after all (apply on deletes).
		}
		s := map[string]any{}
		for k, v := range c.Schema {
			s[k] = v
		}
		s["description"] = c.Description
		b.add(c.Name, s, where, false)
		if n := len(b.params); n > 0 && b.params[n-1].Name == c.Name {
			b.params[n-1].Control = true
		}
	}
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
	s := b.property("", p.Name, p.Schema, false)
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

// idType returns the JSON type of ids: from the native schema's id_type where it has one, else
// from the spec (integer or string when it gives none).
func idType(nm *native.Model, s *normalize.Schema) any {
	if nm != nil {
		switch nm.IDType {
		case "integer", "string":
			return nm.IDType
		}
	}
	if s == nil || len(s.Types) == 0 {
		return []string{"integer", "string"}
	}
	return jsonType(s.Types, false)
}

// idMeaning says what an id is for a model: a name for the few models keyed by name (native
// id_type string, the overlay's text), else a list position that shifts after deletions.
func (b *builder) idMeaning(nm *native.Model, model string) string {
	if t, ok := b.in.Overlay.IDText(model); ok && (nm == nil || nm.IDType == "string") {
		return t
	}
	switch {
	case nm != nil && nm.IDType == "string":
		return "A name, not a list position."
	case nm != nil && nm.ParentModel != "":
		return "Position in the parent's list, from 0."
	case nm != nil:
		return "Position in the list, from 0."
	}
	return "Ids are list positions that shift after a delete (interfaces and DHCP servers are named: lan, opt1)."
}

func (b *builder) addID(in toolspec.ParamIn, what string) {
	op := b.in.Op
	s := op.IDSchema
	if p := op.Param(PropID); p != nil {
		s = p.Schema
	}
	nm := b.nativeModel()
	b.add(PropID, map[string]any{
		"type":        idType(nm, s),
		"description": strings.TrimSpace(what + " " + b.idMeaning(nm, op.Model)),
	}, in, true)
}

// addParentID adds parent_id when the operation takes one, typed as the parent's ids are.
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
	var typ any = []string{"integer", "string"}
	desc := fmt.Sprintf("The id of the parent %s object.", parent)
	if !b.in.Native.Empty() {
		if pm := b.in.Native.Model(parent); pm != nil {
			typ = idType(pm, nil)
			if t, ok := b.in.Overlay.IDText(parent); ok && pm.IDType == "string" {
				desc += " " + t
			}
		}
	}
	b.add(PropParentID, map[string]any{"type": typ, "description": desc}, in, required)
}

func (b *builder) fieldNames() []string {
	if b.in.Model == nil {
		return nil
	}
	return b.in.Model.Fields()
}

// listFields returns the model's fields whose values are lists.
func (b *builder) listFields() []string {
	if b.in.Model == nil {
		return nil
	}
	return b.in.Model.ListFields()
}

// preferredFields are shown first in examples: the ones a caller reads most.
var preferredFields = []string{"name", "descr", "interface", "type", "enabled", "disabled", "status", "description", "host", "hostname", "address", "ipaddr"}

// exampleFields returns up to two field names of the model for an example, preferring
// descriptive ones; only fields the model has.
func exampleFields(fields []string) []string {
	var picked []string
	has := map[string]bool{}
	for _, f := range fields {
		has[f] = true
	}
	for _, pref := range preferredFields {
		if has[pref] && len(picked) < 2 {
			picked = append(picked, pref)
		}
	}
	for _, f := range fields {
		if len(picked) >= 2 {
			break
		}
		if f != "id" && f != "parent_id" && !slices.Contains(picked, f) {
			picked = append(picked, f)
		}
	}
	return picked
}

// addFields adds the projection of a list tool. Its enum is every field of the model: the one
// complete list of a model's fields a caller sees, and what the other tools' texts refer to.
func (b *builder) addFields() {
	fields := b.fieldNames()
	desc := "Fields to return (default all)."
	// id and parent_id are always returned, so the enum leaves them out.
	items := map[string]any{"type": "string"}
	var enum []string
	for _, f := range fields {
		if f != PropID && f != PropParentID {
			enum = append(enum, f)
		}
	}
	if len(enum) < 2 {
		return // nothing to choose from (a log line's text).
	}
	items["enum"] = enum
	b.add(toolspec.FieldsProperty, map[string]any{"type": "array", "items": items, "description": desc}, "", false)
}

func jsonText(v any) string {
	s, err := Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, `":`, `": `), `","`, `", "`)
}

// querySchema describes the free-form filter object: the operators, which fields are lists
// (an exact filter on a list never matches: pfSense compares the whole list, so an element is
// matched with __contains), an example built from the model's own fields and values, and, when
// the tool has no fields property that lists them, the field names.
func (b *builder) querySchema(purpose string, listFields bool) map[string]any {
	desc := `{"field": value} or {"field__op": value}` + purpose
	if lists := b.listFields(); len(lists) > 0 {
		desc += " List fields (" + strings.Join(lists, ", ") + ") match an element with __contains."
	}
	if ex := b.exampleFilter(); ex != nil {
		desc += " Example: " + jsonText(ex) + "."
	}
	if fields := b.fieldNames(); len(fields) > 0 && listFields {
		desc += " Fields: " + strings.Join(fields, ", ") + "."
	}
	return map[string]any{"type": "object", "description": desc}
}

// exampleFilter builds a filter from the model's own fields and the values they take (a list
// field's element, a choice, a boolean, a number), never from a made-up prefix; nil when the
// model offers nothing to build one from.
func (b *builder) exampleFilter() map[string]any {
	m := b.in.Model
	if m == nil || m.Schema == nil {
		return nil
	}
	props := m.Schema.Properties
	nm := b.nativeModel()
	interfaceField := func(name string) bool {
		if f := nm.Field(name); f != nil {
			return f.Class == "InterfaceField"
		}
		return name == "interface"
	}
	firstChoice := func(s *normalize.Schema) any {
		for _, v := range s.Enum {
			if sv, ok := v.(string); ok && sv != "" {
				return sv
			}
		}
		return nil
	}
	names := append(append([]string(nil), preferredFields...), m.Schema.PropertyNames()...)
	// A list field first: it is the one callers get wrong.
	for _, name := range names {
		p := props[name]
		if p == nil || p.WriteOnly || !p.Is("array") || p.Items == nil {
			continue
		}
		if interfaceField(name) {
			return map[string]any{name + "__contains": "lan"}
		}
		if v := firstChoice(p.Items); v != nil {
			return map[string]any{name + "__contains": v}
		}
	}
	for _, pass := range []func(name string, p *normalize.Schema) any{
		func(name string, p *normalize.Schema) any { return firstChoice(p) },
		func(name string, p *normalize.Schema) any {
			if p.Is("string") && interfaceField(name) {
				return "lan"
			}
			return nil
		},
		func(_ string, p *normalize.Schema) any {
			if p.Is("boolean") {
				return true
			}
			return nil
		},
	} {
		for _, name := range names {
			p := props[name]
			if p == nil || p.WriteOnly || name == PropID || name == PropParentID {
				continue
			}
			if v := pass(name, p); v != nil {
				return map[string]any{name: v}
			}
		}
	}
	for _, name := range names {
		p := props[name]
		if p != nil && !p.WriteOnly && p.Is("integer") && name != PropID && name != PropParentID {
			min := int64(1)
			if v, ok := safeNumber(p.Minimum); ok && p.Minimum != nil {
				if n, isInt := v.(int64); isInt && n > 0 {
					min = n
				}
			}
			return map[string]any{name + "__gte": min}
		}
	}
	return nil
}

func (b *builder) list() {
	op := b.in.Op
	max := toolspec.MaxListLimit
	if b.in.Log {
		max = toolspec.MaxLogLimit
	}
	if op.Param(PropQuery) != nil {
		b.add(PropQuery, b.querySchema("; all must match.", false), toolspec.InQueryMap, false)
	}
	// Paging and sorting are explained once, in the server instructions and in every answer
	// (more, next_offset); the names say the rest.
	// Log lines have one field, text: nothing to sort by.
	if b.in.Log {
		b.skip(PropSortBy, PropSortOrder)
	}
	if op.Param(PropSortBy) != nil {
		b.add(PropSortBy, map[string]any{"type": "array", "items": map[string]any{"type": "string"}}, toolspec.InQuery, false)
	}
	if op.Param(PropSortOrder) != nil {
		b.add(PropSortOrder, map[string]any{"type": "string", "enum": []string{"SORT_ASC", "SORT_DESC"}}, toolspec.InQuery, false)
	}
	if op.Param(PropLimit) != nil {
		b.add(PropLimit, map[string]any{"type": "integer", "minimum": 1, "maximum": max}, toolspec.InQuery, false)
	}
	if op.Param(PropOffset) != nil {
		b.add(PropOffset, map[string]any{"type": "integer", "minimum": 0}, toolspec.InQuery, false)
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
	q := b.querySchema(": at least one; every object matching all of them is deleted.", true)
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
		b.add(PropOffset, map[string]any{"type": "integer", "minimum": 0, "description": "Matches to skip before deleting."}, toolspec.InQuery, false)
	}
	b.otherParams()
}

func (b *builder) replace() {
	op := b.in.Op
	if op.Body == nil {
		b.err = fmt.Errorf("PUT without a body")
		return
	}
	item := b.object(op.Model, op.Body, false)
	b.keptFields(op.Model, op.Body, item)
	for _, name := range op.Body.PropertyNames() {
		if p := op.Body.Properties[name]; !p.ReadOnly {
			b.noteEntries(PropObjects+"[]."+name, p)
		}
	}
	b.add(PropObjects, map[string]any{
		"type":        "array",
		"items":       item,
		"description": "Every object to keep, in order: the list replaces all existing ones.",
	}, toolspec.InBodyList, true)
}

// keptFields adds to a replace tool's item the read-only fields the overlay says it takes back
// (identities others refer to), optional, each saying to send the listed value.
func (b *builder) keptFields(model string, body *normalize.Schema, item map[string]any) {
	props, _ := item["properties"].(map[string]any)
	fields, metadata := b.in.Overlay.KeptFields(model)
	for name, note := range fields {
		p := body.Properties[name]
		if p == nil || !p.ReadOnly || props == nil {
			continue
		}
		prop := b.property(model, name, p, false)
		delete(prop, "default") // the value is the listed one, or a new one: never a default.
		prop["description"] = strings.TrimSpace(b.describe(model, name, p) + " Read-only elsewhere: send the value the list shows to keep it; " +
			"left out, the replacement gets a new one. " + note)
		props[name] = prop
		if !metadata[name] {
			b.kept = append(b.kept, name)
		}
	}
}

// body adds the writable fields of the request body. In a PATCH (patch=true) nothing is
// required but id and parent_id, no field has a default, and fields the native schema marks
// not editable are left out (pfSense refuses a changed value with FIELD_VALUE_CHANGED_WHEN_NOT_EDITABLE,
// Core/Field.inc is_value_editable()).
func (b *builder) body(patch bool) {
	op := b.in.Op
	if op.Body == nil {
		return
	}
	nm := b.nativeModel()
	for _, name := range op.Body.PropertyNames() {
		p := op.Body.Properties[name]
		if p.ReadOnly {
			continue
		}
		if name == PropID && b.props[PropID] == nil {
			// An action that targets an object (service start/stop, client export) names it by
			// id; the overlay says which object where that is not plain.
			desc := "The id of the object to act on."
			if t, ok := b.in.Overlay.IDText(op.Model); ok {
				desc = t
			}
			b.add(PropID, map[string]any{
				"type":        idType(nil, op.IDSchema),
				"description": desc,
			}, toolspec.InBody, op.Body.IsRequired(name))
			continue
		}
		if name == PropParentID {
			continue // added by addParentID with its parent's id type.
		}
		if patch && op.Kind == toolspec.KindUpdate {
			if f := nm.Field(name); f != nil && !f.Editable {
				continue
			}
		}
		required := !patch && (op.Body.IsRequired(name) || nativeRequired(nm, name)) && !text.IsConditional(p.Description) && !b.in.Overlay.IsFilled(op.Model, name)
		b.add(name, b.property(op.Model, name, p, patch), toolspec.InBody, required)
		b.noteEntries(name, p)
	}
}

// nativeRequired reports whether the native schema requires a field on every write: required,
// with no condition and no default. The spec's body of an action on an existing object (a
// service's start, stop or restart) lists only id as required, though pfSense refuses the call
// without the action (Core/Field.inc check_field_required(): FIELD_IS_REQUIRED; Models/
// Service.inc declares action required).
//
// A field whose default it refuses itself must be given too: an empty list or string where
// allow_empty is off (a limiter's bandwidth profiles) fails check_value_empty() with
// FIELD_EMPTY_NOT_ALLOWED when it is left out (Core/Field.inc).
func nativeRequired(nm *native.Model, name string) bool {
	f := nm.Field(name)
	if f == nil || f.ReadOnly || len(f.Conditions) > 0 {
		return false
	}
	if f.Required && f.Default == nil {
		return true
	}
	emptyDefault := f.Default == ""
	if l, ok := f.Default.([]any); ok && len(l) == 0 {
		emptyDefault = true
	}
	return emptyDefault && !f.AllowEmpty && !f.AllowNull
}

// noteEntries records a list of child objects the schema does not inline, with the tool whose
// schema describes its entries (the server checks entries against it).
func (b *builder) noteEntries(path string, s *normalize.Schema) {
	if s.Items == nil || !s.Items.Is("object") {
		return
	}
	if tools := b.entryTools(s.Items.Ref); len(tools) > 0 && strings.HasPrefix(tools[0], "pfsense_create_") {
		if b.entries == nil {
			b.entries = map[string]string{}
		}
		b.entries[path] = tools[0]
	}
}

// object returns the schema of a nested or listed object of a model: its writable properties,
// and the required ones that are not conditional.
func (b *builder) object(model string, s *normalize.Schema, patch bool) map[string]any {
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
		props[name] = b.property(model, name, p, patch)
		if s.IsRequired(name) && !text.IsConditional(p.Description) && !b.in.Overlay.IsFilled(model, name) {
			required = append(required, name)
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// entryTools returns the tools that manage single entries of a child model, nil for none.
func (b *builder) entryTools(model string) []string {
	if model == "" || b.in.Subresources == nil {
		return nil
	}
	return b.in.Subresources(model)
}

// property converts field `name` of `model` ("" for a query parameter). A list of child
// objects that have tools of their own is not inlined: the entries are objects whose fields
// are those of the child's create tool, which the description names (the ACME certificate
// tools would otherwise carry the 297-field domain model three times).
func (b *builder) property(model, name string, s *normalize.Schema, patch bool) map[string]any {
	out := map[string]any{}
	if t := jsonType(s.Types, s.Nullable); t != nil {
		out["type"] = t
	}
	switch {
	case s.Is("object") && len(s.Properties) > 0:
		for k, v := range b.object(s.Ref, s, patch) {
			if k != "type" {
				out[k] = v
			}
		}
	case s.Items != nil:
		switch {
		case s.Items.Is("object") && len(b.entryTools(s.Items.Ref)) > 0:
			out["items"] = map[string]any{"type": "object"}
		case s.Items.Is("object") && len(s.Items.Properties) > 0:
			out["items"] = b.object(s.Items.Ref, s.Items, patch)
		default:
			item := b.property("", "", s.Items, patch)
			// The list's own description says "Each entry is one of: ..."; the items repeat
			// nothing (and nothing at all where the create tool describes the field).
			if strings.TrimSpace(text.Plain(s.Items.Description)) == "" || (b.lean && b.inCreate(model, name)) {
				delete(item, "description")
			}
			out["items"] = item
		}
	}
	enum := safeEnum(s.Enum, s.Nullable)
	if len(enum) == 0 {
		enum = b.tableChoices(model, name, s)
	}
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
	if b.lean && b.inCreate(model, name) {
		return out
	}
	if d := b.describe(model, name, s); d != "" {
		out["description"] = d
	}
	return out
}

// inCreate reports whether the create tool describes field `name` of `model` (a field of the
// tool's own model, or of a nested object: those come from the same model schemas).
func (b *builder) inCreate(model, name string) bool {
	if model != b.in.Op.Model {
		return model != "" // nested objects: the create tool has the same nested schema.
	}
	return b.in.Create.Body.Properties[name] != nil
}

// describe returns a field's description: its prose (the overlay's correction where there is
// one, cut sentences dropped, capped), the enum values, its conditional note, what a field
// naming another model's object takes, the overlay's hints, and for lists of child objects
// the tools that manage single entries.
func (b *builder) describe(model, name string, s *normalize.Schema) string {
	main, cond := text.SplitCondition(s.Description)
	if t, ok := b.in.Overlay.FieldText(model, name); ok && model != "" {
		main = t
	} else {
		main = b.interfaceIPText(model, name, main)
	}
	parts := []string{text.Sentence(text.Cap(text.DropCut(main), PropertyDescriptionCap))}
	enum := s.Enum
	if len(enum) == 0 {
		enum = b.tableChoices(model, name, s)
	}
	if vals := enumText(enum); vals != "" {
		parts = append(parts, "One of: "+vals+".")
	} else if s.Items != nil {
		if vals := enumText(s.Items.Enum); vals != "" {
			parts = append(parts, "Each entry is one of: "+vals+".")
		}
	}
	parts = append(parts, b.interfaceKeywords(model, name), cond)
	hints := b.in.Overlay.FieldHints(model, name)
	if len(hints) == 0 {
		parts = append(parts, b.reference(model, name))
	}
	parts = append(parts, hints...)
	if s.Items != nil {
		if tools := b.entryTools(s.Items.Ref); len(tools) > 0 {
			parts = append(parts, fmt.Sprintf("Entries have the fields of %s; single entries can also be managed with %s.", tools[0], joinAnd(tools)))
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

// interfaceKeywords says which values besides the interface ids an InterfaceField takes where
// its options allow pseudo-interfaces (the rules table; Fields/InterfaceField.inc
// get_interface_choices: `enc0` for IPsec, `openvpn` for OpenVPN, `lo0` for localhost, the
// allow_custom keywords, interface group names): a model cannot guess that IPsec rules go on
// enc0. "" for other fields.
func (b *builder) interfaceKeywords(model, name string) string {
	if model == "" || b.in.Native.Empty() {
		return ""
	}
	tab, err := rules.For(b.in.Native.Version)
	f := tab.Field(model, name)
	if err != nil || f == nil || f.Class != "InterfaceField" || f.ChoicesCallable != "get_interface_choices" {
		return ""
	}
	var extra []string
	for _, k := range []struct{ opt, text string }{
		{"allow_ipsec_interface", "`enc0` (IPsec)"},
		{"allow_openvpn_interface", "`openvpn` (OpenVPN)"},
		{"allow_localhost_interface", "`lo0` (localhost)"},
	} {
		if f.Options[k.opt] == true {
			extra = append(extra, k.text)
		}
	}
	custom, _ := f.Options["allow_custom"].([]any)
	for _, k := range custom {
		if k == "" {
			extra = append(extra, `""`)
		} else {
			extra = append(extra, "`"+fmt.Sprint(k)+"`")
		}
	}
	if len(extra) == 0 {
		return ""
	}
	if f.Options["allow_interface_groups"] == true {
		extra = append(extra, "an interface group's name")
	}
	return "Interface ids (wan, lan, opt1), or " + joinOr(extra) + "."
}

// ipModifier is the sentence the package's OpenAPI schema adds to every SpecialNetworkField,
// whether or not the field takes the `:ip` modifier.
var ipModifier = regexp.MustCompile("For interface values, the `:ip`\\s+modifier can be appended to the value to use the interface's IP address instead of its entire subnet\\.")

// interfaceIPText makes that sentence true to the field's options (the rules table's
// allow_interface and allow_interface_ip, Fields/SpecialNetworkField.inc validate_extra): it
// goes where the field takes no `:ip` value (IPsec phase 2 remoteid_type), and says plainly
// that `<interface>:ip` is accepted where bare interfaces are not (port forward targets).
func (b *builder) interfaceIPText(model, name, desc string) string {
	loc := ipModifier.FindStringIndex(desc)
	if loc == nil || b.in.Native.Empty() {
		return desc
	}
	tab, err := rules.For(b.in.Native.Version)
	f := tab.Field(model, name)
	if err != nil || f == nil || f.Class != "SpecialNetworkField" {
		return desc
	}
	var repl string
	switch ip, iface := f.Options["allow_interface_ip"] == true, f.Options["allow_interface"] == true; {
	case !ip:
	case !iface:
		repl = "An interface's own address is also accepted, as `<interface>:ip` (for example `wan:ip`)."
	default:
		return desc
	}
	return strings.Join(strings.Fields(desc[:loc[0]]+repl+desc[loc[1]:]), " ")
}

// reference says what a field that names an object of another model takes (the native
// schema's foreign_model_class and foreign_model_field: a tunnel's name, a certificate's
// refid), and where to find the values; "" for other fields.
func (b *builder) reference(model, name string) string {
	if model == "" || b.in.Native.Empty() {
		return ""
	}
	f := b.in.Native.Model(model).Field(name)
	if f == nil || len(f.ForeignModels) == 0 || f.ForeignField == "" {
		return ""
	}
	var where []string
	for _, fm := range f.ForeignModels {
		if b.in.ListTool != nil {
			if t := b.in.ListTool(fm); t != "" && !slices.Contains(where, t) {
				where = append(where, t)
			}
		}
	}
	out := fmt.Sprintf("Takes the `%s` of an existing %s", f.ForeignField, strings.Join(f.ForeignModels, " or "))
	if len(where) > 0 {
		out += " (" + strings.Join(where, ", ") + ")"
	}
	return out + "."
}

func joinAnd(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func joinOr(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
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

// safeEnum drops enum values that are unsafe numbers and adds null for nullable fields.
// maxTableChoices bounds the pfSense tables offered as an enum (country codes are not).
const maxTableChoices = 32

// tableChoices are the choices of a field that the spec leaves without an enum because the
// REST API takes them from one of pfSense's own tables (a digest list, the IPsec algorithms):
// the committed copy of those tables (simulator/rules, each entry citing pfSense's source), for
// a scalar field of the native schema's version. Nil when there is none or it is too long.
func (b *builder) tableChoices(model, name string, s *normalize.Schema) []any {
	nm := b.in.Native
	if nm == nil || nm.Empty() || model == "" || s.Items != nil {
		return nil
	}
	vals := rules.TableChoices(model, name)
	if len(vals) == 0 {
		if tab, err := rules.For(nm.Version); err == nil {
			if f := tab.Field(model, name); f != nil && f.ChoicesCallable != "" {
				vals = rules.StaticChoices(f.ChoicesCallable)
			}
		}
	}
	if len(vals) == 0 || len(vals) > maxTableChoices {
		return nil
	}
	return safeEnum(vals, s.Nullable)
}

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
