package simulator

// The GraphQL endpoint (POST /api/v2/graphql). The package executes the query with
// webonyx/graphql-php (Models/GraphQL.inc _create) against a schema it builds from every
// endpoint and model (Schemas/GraphQLSchema.inc), whose resolvers call the models directly
// (GraphQL/Resolver.inc): no endpoint is involved, so no control parameter is read, nothing is
// applied (create(), update() and delete() are called with apply false), and the privileges
// checked are the related endpoint's. Every answer, an error of the endpoint itself included, is
// HTTP 200 with graphql-php's {errors, data} (Endpoints/GraphQLEndpoint.inc response_handler,
// Responses/GraphQLResponse.inc). The simulator parses and validates the query with gqlparser
// (the graphql-js rules graphql-php also implements) and executes it itself.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

const graphqlPath = "/api/v2/graphql"

// gqlSchema is the built schema and what the executor needs beside it.
type gqlSchema struct {
	schema *ast.Schema
	// roots are the Query and Mutation fields by name.
	roots map[string]gqlRoot
	// enums are the enum types' values by key (VAL_HOST -> "host").
	enums map[string]map[string]any
	// enumKeys are the keys in the order the choices are declared.
	enumKeys map[string][]string
}

// gqlRoot is one query or mutation field: the Resolver method and the endpoint it stands for.
type gqlRoot struct {
	action string // query, read, create, update, delete, replace_all, delete_many, delete_all
	rt     *route
	method string // the endpoint method whose privileges and behaviour apply
}

// graphqlSchema builds the schema once (on the first GraphQL request: start-up stays fast).
func (sim *Simulator) graphqlSchema() (*gqlSchema, error) {
	sim.gqlOnce.Do(func() { sim.gql, sim.gqlErr = sim.buildGraphQL() })
	return sim.gql, sim.gqlErr
}

var gqlName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// gqlUpperCamel is Core/Tools.inc to_upper_camel_case: runs of other characters are word breaks,
// each word's first letter is capitalised.
func gqlUpperCamel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		alnum := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		if !alnum {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

// gqlEnumKey is GraphQLSchema::field_to_enum's key for a choice: upper case, ” is EMPTY, other
// characters removed, VAL_ in front.
func gqlEnumKey(choice any) string {
	s := strval(choice)
	if c, ok := choice.(string); ok && c == "" {
		s = "EMPTY"
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r < 128 && (r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			b.WriteRune(r)
		}
	}
	return "VAL_" + b.String()
}

type gqlBuilder struct {
	sim     *Simulator
	out     *gqlSchema
	sdl     bytes.Buffer
	objects map[string]bool // object types written or being written
	inputs  map[string]bool
}

// gqlField is what GraphQLSchema::field_to_type reads of a field.
type gqlField struct {
	name     string
	base     string // Boolean, Int, Float, String, QueryParams
	choices  []any
	nested   string // the nested model's name
	many     bool
	required bool // required and unconditional
}

func (b *gqlBuilder) fields(m *model) []gqlField {
	var out []gqlField
	for _, p := range m.schema.Props {
		if p.Name == "id" || p.Name == "parent_id" || !gqlName.MatchString(p.Name) {
			continue
		}
		f := gqlField{name: p.Name}
		if fi := p.F; fi != nil {
			f.base = map[string]string{"boolean": "Boolean", "integer": "Int", "double": "Float", "string": "String", "array": "QueryParams"}[fi.Type]
			if f.base == "" {
				f.base = "String"
			}
			// Choices from a callable are set only when a value is validated
			// (Field::check_value_choice), never on the schema's models: those fields are scalars.
			if fi.ChoicesCallable == "" {
				f.choices = fi.Choices
			}
			f.nested, f.many = fi.Nested, fi.Many
			f.required = fi.Required && len(fi.Conditions) == 0
		} else {
			// Without the native schema: the spec's types.
			t := p
			if p.Type == "array" {
				f.many = true
				if p.Items != nil {
					t = p.Items
				}
				f.nested = p.ItemModel
			}
			f.base = map[string]string{"boolean": "Boolean", "integer": "Int", "number": "Float", "string": "String"}[t.Type]
			if f.base == "" {
				f.base = "QueryParams"
			}
			f.choices = t.Enum
		}
		if f.nested != "" && b.sim.models[f.nested] == nil {
			f.nested = ""
		}
		out = append(out, f)
	}
	return out
}

// typeOf is field_to_type: the enum, list and non-null wrapping of a field's type.
func (b *gqlBuilder) typeOf(m *model, f gqlField, input, ignoreRequired bool) string {
	t := f.base
	switch {
	case f.nested != "":
		if input {
			t = b.inputType(b.sim.models[f.nested])
		} else {
			t = b.objectType(b.sim.models[f.nested])
		}
	case len(f.choices) > 0:
		t = b.enumType(m, f)
	}
	if f.many {
		t = "[" + t + "]"
	}
	if f.required && !ignoreRequired {
		t += "!"
	}
	return t
}

func (b *gqlBuilder) enumType(m *model, f gqlField) string {
	name := m.name + gqlUpperCamel(f.name) + "Enum"
	if _, ok := b.out.enums[name]; ok {
		return name
	}
	vals := map[string]any{}
	var keys []string
	for _, c := range f.choices {
		k := gqlEnumKey(c)
		if _, dup := vals[k]; !dup {
			keys = append(keys, k)
		}
		vals[k] = c // a later choice with the same key replaces the earlier (a PHP array)
	}
	b.out.enums[name], b.out.enumKeys[name] = vals, keys
	fmt.Fprintf(&b.sdl, "enum %s {\n", name)
	for _, k := range keys {
		fmt.Fprintf(&b.sdl, "  %s\n", k)
	}
	b.sdl.WriteString("}\n")
	return name
}

func idType(stringID bool) string {
	if stringID {
		return "String"
	}
	return "Int"
}

func (b *gqlBuilder) parentIDType(m *model) string {
	if m.parent == nil {
		return ""
	}
	if m.info != nil && m.info.ParentIDType == "string" || m.parent.stringID {
		return "String!"
	}
	return "Int!"
}

// objectType is model_to_object_type: id (non-null) for many models, parent_id, every field.
func (b *gqlBuilder) objectType(m *model) string { return b.modelType(m, false) }

// inputType is model_to_object_type with input: the id is optional.
func (b *gqlBuilder) inputType(m *model) string { return b.modelType(m, true) }

func (b *gqlBuilder) modelType(m *model, input bool) string {
	name, kind, seen, id := m.name, "type", b.objects, idType(m.stringID)+"!"
	if input {
		name, kind, seen, id = m.name+"Input", "input", b.inputs, idType(m.stringID)
	}
	if seen[name] {
		return name
	}
	seen[name] = true
	var body bytes.Buffer
	if m.many {
		fmt.Fprintf(&body, "  id: %s\n", id)
	}
	if t := b.parentIDType(m); t != "" {
		fmt.Fprintf(&body, "  parent_id: %s\n", t)
	}
	for _, f := range b.fields(m) {
		fmt.Fprintf(&body, "  %s: %s\n", f.name, b.typeOf(m, f, input, false))
	}
	switch {
	case body.Len() > 0:
	case input:
		body.WriteString("  _: Boolean\n")
	default:
		// graphql-php accepts a type without fields (it does not assert the schema); no query
		// can select from one, so the simulator leaves it and its operations out.
		seen[name] = false
		return ""
	}
	fmt.Fprintf(&b.sdl, "%s %s {\n%s}\n", kind, name, body.String())
	return name
}

// mutationArgs is model_to_mutation_args: id, parent_id, every field (none required) and the
// control parameters, less those excluded.
func (b *gqlBuilder) mutationArgs(m *model, requireID bool, only bool, exclude ...string) string {
	var args []string
	if requireID {
		args = append(args, "id: "+idType(m.stringID)+"!")
	}
	if t := b.parentIDType(m); t != "" {
		args = append(args, "parent_id: "+t)
	}
	if !only {
		seen := map[string]bool{}
		for _, f := range b.fields(m) {
			seen[f.name] = true
			args = append(args, f.name+": "+b.typeOf(m, f, true, true))
		}
		for _, c := range []string{"placement: Int", "append: Boolean = false", "delete: Boolean = false", "apply: Boolean = true", "async: Boolean = true"} {
			n, _, _ := strings.Cut(c, ":")
			if seen[n] || slices.Contains(exclude, n) {
				continue
			}
			args = append(args, c)
		}
	}
	if len(args) == 0 {
		return ""
	}
	return "(" + strings.Join(args, ", ") + ")"
}

// buildGraphQL is GraphQLSchema::get_schema: a query per readable endpoint (query<Name> for
// many endpoints, read<Name> otherwise) and the mutations each method allows, named from the URL.
func (sim *Simulator) buildGraphQL() (*gqlSchema, error) {
	b := &gqlBuilder{sim: sim, out: &gqlSchema{roots: map[string]gqlRoot{}, enums: map[string]map[string]any{}, enumKeys: map[string][]string{}},
		objects: map[string]bool{}, inputs: map[string]bool{}}
	paths := slices.Sorted(maps.Keys(sim.routes))
	var query, mutation []string
	add := func(list *[]string, op, name string, rt *route, method, args, typ string) {
		field := op + name
		if typ == "" || typ == "[]" || !gqlName.MatchString(field) {
			return
		}
		if _, dup := b.out.roots[field]; dup {
			return
		}
		b.out.roots[field] = gqlRoot{action: map[string]string{"replaceAll": "replace_all", "deleteMany": "delete_many", "deleteAll": "delete_all"}[op], rt: rt, method: method}
		if r := b.out.roots[field]; r.action == "" {
			r.action = op
			b.out.roots[field] = r
		}
		*list = append(*list, fmt.Sprintf("  %s%s: %s", field, args, typ))
	}
	for _, p := range paths {
		if p == graphqlPath {
			continue
		}
		rt := sim.routes[p]
		var m *model
		plural := false
		for _, op := range rt.ops {
			m, plural = op.model, op.Plural
			break
		}
		if m == nil {
			continue
		}
		name := gqlUpperCamel(strings.ReplaceAll(strings.TrimPrefix(p, "/api/v2/"), "/", " "))
		obj := b.objectType(m)
		list := ""
		if obj != "" {
			list = "[" + obj + "]"
		}
		if _, ok := rt.ops["GET"]; ok {
			if plural {
				add(&query, "query", name, rt, "GET", "(query_params: QueryParams = {}, limit: Int = 0, offset: Int = 0, reverse: Boolean = false, sort_by: [String] = [], sort_order: Int = 4)", list)
			} else {
				var args []string
				if m.many {
					args = append(args, "id: "+idType(m.stringID)+"!")
				}
				if t := b.parentIDType(m); t != "" {
					args = append(args, "parent_id: "+t)
				}
				a := ""
				if len(args) > 0 {
					a = "(" + strings.Join(args, ", ") + ")"
				}
				add(&query, "read", name, rt, "GET", a, obj)
			}
		}
		if plural {
			if _, ok := rt.ops["PUT"]; ok {
				add(&mutation, "replaceAll", name, rt, "PUT", "(objects: ["+b.inputType(m)+"])", list)
			}
			if _, ok := rt.ops["DELETE"]; ok {
				add(&mutation, "deleteMany", name, rt, "DELETE", "(query_params: QueryParams!, limit: Int = 0, offset: Int = 0)", list)
				add(&mutation, "deleteAll", name, rt, "DELETE", "", list)
			}
			continue
		}
		if _, ok := rt.ops["POST"]; ok {
			add(&mutation, "create", name, rt, "POST", b.mutationArgs(m, false, false, "append", "delete"), obj)
		}
		if _, ok := rt.ops["PATCH"]; ok {
			add(&mutation, "update", name, rt, "PATCH", b.mutationArgs(m, m.many, false), obj)
		}
		if _, ok := rt.ops["DELETE"]; ok {
			add(&mutation, "delete", name, rt, "DELETE", b.mutationArgs(m, m.many, false, "append", "delete", "placement"), obj)
		}
	}
	b.sdl.WriteString("scalar QueryParams\n")
	fmt.Fprintf(&b.sdl, "type Query {\n%s\n}\n", strings.Join(query, "\n"))
	if len(mutation) > 0 {
		fmt.Fprintf(&b.sdl, "type Mutation {\n%s\n}\n", strings.Join(mutation, "\n"))
	}
	s, err := validator.LoadSchema(validator.Prelude, &ast.Source{Name: "pfsense", Input: b.sdl.String()})
	if err != nil {
		return nil, fmt.Errorf("graphql schema: %w", err)
	}
	b.out.schema = s
	return b.out, nil
}

// gqlError is one entry of graphql-php's errors list (Error\FormattedError): message, then
// locations, path and extensions when there are any.
type gqlError struct {
	Message    string
	Locations  []gqlLocation
	Path       []any
	Extensions map[string]any
}

type gqlLocation struct{ Line, Column int }

// gqlResult is ExecutionResult::toArray: errors first, then data when there is any.
type gqlResult struct {
	Errors []gqlError
	Data   *orderedObject
}

// orderedObject is an object with its keys in order: a GraphQL result object (selection order)
// or a PHP array whose keys are kept (nstore.go keptKeys).
type orderedObject struct {
	keys []string
	vals map[string]any
}

func (o *orderedObject) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// object is the result as graphql-php's toArray shapes it.
func (r gqlResult) object() *orderedObject {
	out := &orderedObject{}
	if len(r.Errors) > 0 {
		var errs []any
		for _, e := range r.Errors {
			o := &orderedObject{}
			o.set("message", e.Message)
			if len(e.Locations) > 0 {
				var locs []any
				for _, l := range e.Locations {
					lo := &orderedObject{}
					lo.set("line", int64(l.Line))
					lo.set("column", int64(l.Column))
					locs = append(locs, lo)
				}
				o.set("locations", locs)
			}
			if len(e.Path) > 0 {
				o.set("path", e.Path)
			}
			if len(e.Extensions) > 0 {
				ext := &orderedObject{}
				for _, k := range sortedKeys(e.Extensions) {
					ext.set(k, e.Extensions[k])
				}
				o.set("extensions", ext)
			}
			errs = append(errs, o)
		}
		out.set("errors", errs)
	}
	switch {
	case r.Data != nil && len(r.Data.keys) == 0:
		// The executor casts the top-level data to a PHP array: nothing selected is [].
		out.set("data", []any{})
	case r.Data != nil:
		out.set("data", r.Data)
	}
	return out
}

// appendGQL encodes a result with the REST API's json_encode rules (encode.go).
func (sim *Simulator) appendGQL(b []byte, v any) []byte {
	switch x := v.(type) {
	case *orderedObject:
		b = append(b, '{')
		for i, k := range x.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = sim.appendGQL(b, x.vals[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, item := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = sim.appendGQL(b, item)
		}
		return append(b, ']')
	case int:
		return sim.appendValue(b, int64(x), nil)
	}
	return sim.appendValue(b, v, nil)
}

// internalError is what graphql-php says for an error that is not client safe (a value the type
// cannot serialize, a null in a non-null field).
const internalError = "Internal server error"

// graphql is Models/GraphQL.inc: the query and variables fields are validated like any model's,
// then the query is executed as the requesting user.
func (sim *Simulator) graphql(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	query, _ := obj["query"].(string)
	vars, _ := obj["variables"].(map[string]any)
	gs, err := sim.graphqlSchema()
	if err != nil {
		sim.log.Error("graphql schema", "err", err)
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "%v", err)
	}
	x := &gqlExec{sim: sim, gs: gs, req: req, vars: vars}
	return sim.appendGQL(nil, x.run(query).object()), nil
}

// graphqlAnswer is GraphQLResponse::to_graphql_response: an error answer of the endpoint
// (authentication, ACL, read-only mode, validation) becomes HTTP 200 with one error.
func (sim *Simulator) graphqlAnswer(a answer) answer {
	if a.code == 200 {
		return a
	}
	var env struct {
		Message    string `json:"message"`
		ResponseID string `json:"response_id"`
	}
	json.Unmarshal(a.body, &env)
	res := gqlResult{Errors: []gqlError{{Message: env.Message, Extensions: map[string]any{"response_id": env.ResponseID}}}}
	return answer{code: 200, body: sim.appendGQL(nil, res.object()), header: a.header, value: a.value}
}

type gqlExec struct {
	sim  *Simulator
	gs   *gqlSchema
	req  *request
	doc  *ast.QueryDocument
	vars map[string]any
	errs []gqlError
}

func (x *gqlExec) run(query string) gqlResult {
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		var ge *gqlerror.Error
		if errors.As(err, &ge) {
			return gqlResult{Errors: []gqlError{{Message: phpSyntaxMessage(ge.Message), Locations: locations(ge)}}}
		}
		return gqlResult{Errors: []gqlError{{Message: phpSyntaxMessage(err.Error())}}}
	}
	if len(doc.Operations) == 0 && len(doc.Fragments) == 0 {
		// Parser::parseDocument wants at least one definition.
		return gqlResult{Errors: []gqlError{{Message: "Syntax Error: Unexpected <EOF>", Locations: []gqlLocation{eofLocation(query)}}}}
	}
	if list := validator.ValidateWithRules(x.gs.schema, doc, nil); len(list) > 0 {
		var out []gqlError
		for _, ge := range list {
			if msg, ok := phpValidationMessage(ge.Message); ok {
				out = append(out, gqlError{Message: msg, Locations: locations(ge)})
			}
		}
		if len(out) > 0 {
			return gqlResult{Errors: out}
		}
	}
	x.doc = doc
	// Executor::execute without an operation name: one operation or none is an error.
	switch {
	case len(doc.Operations) == 0:
		return gqlResult{Errors: []gqlError{{Message: "Must provide an operation."}}}
	case len(doc.Operations) > 1:
		return gqlResult{Errors: []gqlError{{Message: "Must provide operation name if query contains multiple operations."}}}
	}
	op := doc.Operations[0]
	if errs := phpVariableErrors(op, x.vars); len(errs) > 0 {
		return gqlResult{Errors: errs}
	}
	vars, err := validator.VariableValues(x.gs.schema, op, x.vars)
	if err != nil {
		var ge *gqlerror.Error
		msg := err.Error()
		if errors.As(err, &ge) {
			msg = ge.Message
		}
		return gqlResult{Errors: []gqlError{{Message: msg, Locations: varLocations(op)}}}
	}
	x.vars = vars
	root := x.gs.schema.Query
	if op.Operation == ast.Mutation {
		root = x.gs.schema.Mutation
	}
	data, ok := x.selectionSet(root, op.SelectionSet, nil, nil, true)
	res := gqlResult{Errors: x.errs}
	if ok {
		res.Data = data
	}
	return res
}

// eofLocation is where the lexer's <EOF> token is: after the last character.
func eofLocation(src string) gqlLocation {
	line, col := 1, 1
	for _, r := range src {
		if r == '\n' {
			line, col = line+1, 1
			continue
		}
		col++
	}
	return gqlLocation{Line: line, Column: col}
}

func locations(ge *gqlerror.Error) []gqlLocation {
	var out []gqlLocation
	for _, l := range ge.Locations {
		out = append(out, gqlLocation{Line: l.Line, Column: l.Column})
	}
	return out
}

func varLocations(op *ast.OperationDefinition) []gqlLocation {
	if len(op.VariableDefinitions) == 0 || op.VariableDefinitions[0].Position == nil {
		return nil
	}
	p := op.VariableDefinitions[0].Position
	return []gqlLocation{{Line: p.Line, Column: p.Column}}
}

func (x *gqlExec) fail(f *ast.Field, path []any, msg, id string) {
	e := gqlError{Message: msg, Path: append([]any(nil), path...)}
	if f.Position != nil {
		e.Locations = []gqlLocation{{Line: f.Position.Line, Column: f.Position.Column}}
	}
	if id != "" {
		e.Extensions = map[string]any{"response_id": id}
	}
	x.errs = append(x.errs, e)
}

// collect is the executor's field collection: fragments spread, @skip and @include applied,
// fields of one response key merged.
func (x *gqlExec) collect(def *ast.Definition, set ast.SelectionSet, keys *[]string, fields map[string][]*ast.Field, seen map[string]bool) {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if !x.included(s.Directives) {
				continue
			}
			k := s.Alias
			if k == "" {
				k = s.Name
			}
			if _, ok := fields[k]; !ok {
				*keys = append(*keys, k)
			}
			fields[k] = append(fields[k], s)
		case *ast.InlineFragment:
			if !x.included(s.Directives) || s.TypeCondition != "" && s.TypeCondition != def.Name {
				continue
			}
			x.collect(def, s.SelectionSet, keys, fields, seen)
		case *ast.FragmentSpread:
			if !x.included(s.Directives) || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			fr := x.doc.Fragments.ForName(s.Name)
			if fr == nil || fr.TypeCondition != def.Name {
				continue
			}
			x.collect(def, fr.SelectionSet, keys, fields, seen)
		}
	}
}

func (x *gqlExec) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		v, _ := d.ArgumentMap(x.vars)["if"].(bool)
		if d.Name == "skip" && v || d.Name == "include" && !v {
			return false
		}
	}
	return true
}

// selectionSet executes the fields of one object; ok is false when a non-null field failed
// (the object becomes null in its parent).
func (x *gqlExec) selectionSet(def *ast.Definition, set ast.SelectionSet, src map[string]any, path []any, root bool) (*orderedObject, bool) {
	var keys []string
	fields := map[string][]*ast.Field{}
	x.collect(def, set, &keys, fields, map[string]bool{})
	out := &orderedObject{vals: map[string]any{}}
	for _, k := range keys {
		fs := fields[k]
		f := fs[0]
		p := append(append([]any(nil), path...), k)
		if f.Name == "__typename" {
			out.keys, out.vals[k] = append(out.keys, k), def.Name
			continue
		}
		fd := f.Definition
		if fd == nil {
			fd = def.Fields.ForName(f.Name)
		}
		if fd == nil {
			continue
		}
		var v any
		switch {
		case root && f.Name == "__schema":
			v = x.introSchema()
		case root && f.Name == "__type":
			name, _ := f.ArgumentMap(x.vars)["name"].(string)
			v = x.introType(x.gs.schema.Types[name])
		case root:
			var e *apiError
			v, e = x.resolve(f)
			if e != nil {
				x.fail(f, p, messageQuotes.Replace(e.msg), strings.ToUpper(e.id))
				out.keys, out.vals[k] = append(out.keys, k), nil
				continue
			}
		default:
			v = src[f.Name]
			if th, ok := v.(func() any); ok {
				v = th()
			}
		}
		c, ok := x.complete(fd.Type, fs, v, p)
		if !ok {
			return nil, false
		}
		out.keys, out.vals[k] = append(out.keys, k), c
	}
	return out, true
}

// complete is the executor's completeValue: ok false means an error raised at a non-null
// position and moves up to the nearest nullable one.
func (x *gqlExec) complete(t *ast.Type, fs []*ast.Field, v any, path []any) (any, bool) {
	if t.NonNull {
		inner := *t
		inner.NonNull = false
		c, ok := x.completeNullable(&inner, fs, v, path)
		if !ok {
			return nil, false
		}
		if c == nil {
			x.fail(fs[0], path, internalError, "")
			return nil, false
		}
		return c, true
	}
	c, ok := x.completeNullable(t, fs, v, path)
	if !ok {
		return nil, true
	}
	return c, true
}

func (x *gqlExec) completeNullable(t *ast.Type, fs []*ast.Field, v any, path []any) (any, bool) {
	if v == nil {
		return nil, true
	}
	if t.Elem != nil {
		l, ok := v.([]any)
		if !ok {
			if m, isMap := v.(map[string]any); isMap {
				l = mapValues(m)
			} else {
				x.fail(fs[0], path, internalError, "")
				return nil, false
			}
		}
		out := make([]any, 0, len(l))
		for i, item := range l {
			c, ok := x.complete(t.Elem, fs, item, append(append([]any(nil), path...), i))
			if !ok {
				return nil, false
			}
			out = append(out, c)
		}
		return out, true
	}
	def := x.gs.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.Scalar:
		c, ok := serializeScalar(t.NamedType, v)
		if !ok {
			x.fail(fs[0], path, internalError, "")
		}
		return c, ok
	case ast.Enum:
		if _, mine := x.gs.enums[def.Name]; !mine {
			// The introspection enums (__TypeKind, __DirectiveLocation) hold their names.
			if s, ok := v.(string); ok && def.EnumValues.ForName(s) != nil {
				return s, true
			}
		}
		for _, k := range x.gs.enumKeys[def.Name] {
			if phpLooseEqual(x.gs.enums[def.Name][k], v) {
				return k, true
			}
		}
		x.fail(fs[0], path, internalError, "")
		return nil, false
	case ast.Object:
		m, ok := v.(map[string]any)
		if !ok {
			x.fail(fs[0], path, internalError, "")
			return nil, false
		}
		var set ast.SelectionSet
		for _, f := range fs {
			set = append(set, f.SelectionSet...)
		}
		o, ok := x.selectionSet(def, set, m, path, false)
		if !ok {
			return nil, false
		}
		return o, true
	}
	return v, true
}

// phpLooseEqual compares an enum's value with a stored one as a PHP array key lookup does.
func phpLooseEqual(a, b any) bool {
	return strval(a) == strval(b)
}

// serializeScalar is graphql-php's serialize of the built-in scalars (src/Type/Definition:
// lenient as PHP casts are) and of QueryParams, which always serializes as ""
// (GraphQL/QueryParamsScalarType.inc). ok false is a serialization error.
func serializeScalar(name string, v any) (any, bool) {
	switch name {
	case "QueryParams":
		return "", true
	case "String", "ID":
		// StringType: any scalar, (string) cast: true is "1", false "".
		switch x := v.(type) {
		case string:
			return x, true
		case bool, float64, json.Number, int, int64:
			return strval(x), true
		}
		return nil, false
	case "Int":
		// IntType: integers, and numeric strings, floats and bools that are whole numbers,
		// within 32 bits.
		var f float64
		switch x := v.(type) {
		case json.Number:
			if i, err := x.Int64(); err == nil {
				f = float64(i)
			} else if g, err := x.Float64(); err == nil {
				f = g
			} else {
				return nil, false
			}
		case float64:
			f = x
		case int:
			f = float64(x)
		case int64:
			f = float64(x)
		case bool:
			if x {
				f = 1
			}
		case string:
			g, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return nil, false
			}
			f = g
		default:
			return nil, false
		}
		if f != float64(int64(f)) || f < -1<<31 || f >= 1<<31 {
			return nil, false
		}
		return int64(f), true
	case "Float":
		switch x := v.(type) {
		case json.Number:
			f, err := x.Float64()
			return f, err == nil
		case float64, int, int64:
			return x, true
		case bool:
			if x {
				return 1.0, true
			}
			return 0.0, true
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			return f, err == nil
		}
		return nil, false
	case "Boolean":
		// BooleanType::serialize is a (bool) cast.
		switch x := v.(type) {
		case bool:
			return x, true
		case string:
			return x != "" && x != "0", true
		case json.Number:
			f, _ := x.Float64()
			return f != 0, true
		case float64:
			return x != 0, true
		case []any:
			return len(x) > 0, true
		case map[string]any:
			return len(x) > 0, true
		}
		return true, true
	}
	return v, true
}

// resolve runs one root field as GraphQL/Resolver.inc does: the related endpoint's privileges,
// then the model method, with the field's arguments as the model's data.
func (x *gqlExec) resolve(f *ast.Field) (any, *apiError) {
	root, ok := x.gs.roots[f.Name]
	if !ok {
		return nil, errf(500, "", internalError)
	}
	sim := x.sim
	op := root.rt.ops[root.method]
	if e := sim.authorize(x.req.user, root.rt, root.method); e != nil {
		return nil, errf(403, "GRAPHQL_RESOLVER_UNAUTHORIZED", "Authorization failed. You do not have sufficient privileges to access this resource.")
	}
	args := f.ArgumentMap(x.vars)
	// Enum names become the choices they stand for.
	for _, a := range f.Definition.Arguments {
		if v, ok := args[a.Name]; ok {
			args[a.Name] = x.coerceIn(a.Type, v)
		}
	}
	r := x.req.r.Clone(x.req.r.Context())
	r.Method = root.method
	r.URL.Path = root.rt.path
	in := &request{r: r, op: op, m: op.model, user: x.req.user, encoder: mimeJSON}
	in.ctl.async, in.ctl.sortOrder = true, "SORT_ASC"
	in.params = map[string]any{}
	order := argOrder(f)
	switch root.action {
	case "query", "delete_many":
		qp := x.queryParams(f)
		for _, k := range sortedKeys(qp) {
			in.params[k] = qp[k]
		}
		in.keys = sortedKeys(qp)
		in.ctl.limit = toInt(args["limit"])
		in.ctl.offset = toInt(args["offset"])
		if root.action == "query" {
			in.ctl.reverse, _ = args["reverse"].(bool)
			for _, s := range listOf(args["sort_by"]) {
				in.ctl.sortBy = append(in.ctl.sortBy, strval(s))
			}
			// PHP's SORT_DESC is 3, SORT_ASC 4.
			if toInt(args["sort_order"]) == 3 {
				in.ctl.sortOrder = "SORT_DESC"
			}
		} else if len(in.params) == 0 {
			return nil, errf(400, "MODEL_DELETE_MANY_REQUIRES_QUERY_PARAMS", "At least one query parameter is required to perform mass deletion.")
		}
	case "delete_all":
		in.ctl.all = true
	case "replace_all":
		in.isList = true
		l, ok := args["objects"].([]any)
		if !ok {
			return nil, errf(500, "", internalError)
		}
		in.list = l
	default:
		for _, k := range order {
			if v, ok := args[k]; ok && !isGQLControl(k) {
				in.params[k] = v
				in.keys = append(in.keys, k)
			}
		}
	}
	if !in.m.native() {
		if e := sim.requirePackages(op); e != nil {
			return nil, e
		}
	}
	data, e := sim.dispatch(in)
	if e != nil {
		return nil, e
	}
	sim.recordRevision(in)
	if in.after != nil {
		prev := x.req.after
		x.req.after = func() {
			if prev != nil {
				prev()
			}
			in.after()
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errf(500, "", internalError)
	}
	return v, nil
}

func isGQLControl(k string) bool {
	switch k {
	case "placement", "append", "delete", "apply", "async":
		return true
	}
	return false
}

// argOrder is the order the query gives the arguments in, then those left to their defaults.
func argOrder(f *ast.Field) []string {
	var out []string
	for _, a := range f.Arguments {
		out = append(out, a.Name)
	}
	for _, a := range f.Definition.Arguments {
		if f.Arguments.ForName(a.Name) == nil {
			out = append(out, a.Name)
		}
	}
	return out
}

// queryParams is QueryParamsScalarType: a literal object's scalars arrive as the literal's text
// (graphql-php's ValueNode::$value: `1` is "1"), and the REST API's query-string typing then
// applies as it does to a URL's; a variable's value is taken as it is.
func (x *gqlExec) queryParams(f *ast.Field) map[string]any {
	a := f.Arguments.ForName("query_params")
	if a == nil {
		return map[string]any{}
	}
	if a.Value.Kind == ast.Variable {
		m, _ := x.vars[a.Value.Raw].(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		return m
	}
	return literalParams(a.Value)
}

func literalParams(v *ast.Value) map[string]any {
	out := map[string]any{}
	if v.Kind != ast.ObjectValue {
		return out
	}
	for _, c := range v.Children {
		switch c.Value.Kind {
		case ast.ObjectValue:
			out[c.Name] = literalParams(c.Value)
		case ast.BooleanValue:
			out[c.Name] = c.Value.Raw == "true"
		case ast.IntValue, ast.FloatValue, ast.StringValue, ast.BlockValue, ast.EnumValue:
			out[c.Name] = inferType(c.Value.Raw)
		default:
			out[c.Name] = nil
		}
	}
	return out
}

// coerceIn turns enum names in an argument value into the choices they stand for.
func (x *gqlExec) coerceIn(t *ast.Type, v any) any {
	if v == nil {
		return nil
	}
	if t.Elem != nil {
		l, ok := v.([]any)
		if !ok {
			return []any{x.coerceIn(t.Elem, v)}
		}
		out := make([]any, len(l))
		for i, item := range l {
			out[i] = x.coerceIn(t.Elem, item)
		}
		return out
	}
	def := x.gs.schema.Types[t.NamedType]
	if def == nil {
		return v
	}
	switch def.Kind {
	case ast.Enum:
		if s, ok := v.(string); ok {
			if c, ok := x.gs.enums[def.Name][s]; ok {
				return c
			}
		}
	case ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for k, val := range m {
			if fd := def.Fields.ForName(k); fd != nil {
				out[k] = x.coerceIn(fd.Type, val)
			} else {
				out[k] = val
			}
		}
		return out
	}
	return v
}

// The GraphQL action is registered here: its resolvers dispatch back into special's table.
func init() { special["POST GraphQL"] = (*Simulator).graphql }
