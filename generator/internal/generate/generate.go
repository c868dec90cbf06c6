// Package generate runs the generator pipeline: load the spec (package load), normalize it
// into operations and models (normalize), name each tool (naming), build its input schema
// (schema), describe it (describe), apply the safety tables (policy), and render the Go
// package (emit). Every step is a pure function of the spec, so the output is byte-identical
// across runs.
package generate

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/describe"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/emit"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/naming"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/policy"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/schema"
	"github.com/pfsense-mcp/pfsense-mcp/generator/overlay"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// Surface is the whole tool surface generated from one spec.
type Surface struct {
	Title   string // info.title of the spec.
	Version string // info.version of the spec, e.g. v2.7.1.
	Tools   []toolspec.Tool
}

// LogPathPrefix holds the log endpoints, whose answers are bounded harder.
const LogPathPrefix = normalize.APIPrefix + "status/logs/"

// Source turns spec JSON, and the native schema of the same REST API version (`{}` or nil when
// the build has none), into the gofmt'ed Go source of the tool package.
func Source(spec, nativeSchema []byte, pkg string) ([]byte, error) {
	doc, err := load.Bytes(spec)
	if err != nil {
		return nil, err
	}
	nat, err := ParseNative(nativeSchema)
	if err != nil {
		return nil, err
	}
	s, err := Build(doc, nat)
	if err != nil {
		return nil, err
	}
	return Render(s, pkg)
}

// Render returns the Go source of the tool package.
func Render(s *Surface, pkg string) ([]byte, error) {
	return emit.Render(emit.Input{Package: pkg, SpecTitle: s.Title, SpecVersion: s.Version, Tools: s.Tools})
}

// ParseNative parses a native schema; nil or `{}` give an empty one.
func ParseNative(b []byte) (*native.Schema, error) {
	if len(b) == 0 {
		b = []byte("{}")
	}
	return native.Parse(b)
}

// Build returns one tool per operation of a loaded spec, sorted by name. nat is the native
// schema of the same REST API version (empty or nil when the build has none): where it has a
// fact the spec lacks, the tools use it.
func Build(doc *openapi3.T, nat *native.Schema) (*Surface, error) {
	api, err := normalize.Build(doc)
	if err != nil {
		return nil, fmt.Errorf("normalize spec: %w", err)
	}
	if !nat.Empty() && nat.Version != api.Version {
		return nil, fmt.Errorf("the native schema is for REST API %s but the spec is %s: give both of one version", nat.Version, api.Version)
	}
	names := make(map[*normalize.Operation]string, len(api.Operations))
	pairs := make([]struct{ Name, OperationID string }, 0, len(api.Operations))
	for _, op := range api.Operations {
		name, err := naming.Name(op.ID, op.Method, op.Kind)
		if err != nil {
			return nil, err
		}
		names[op] = name
		pairs = append(pairs, struct{ Name, OperationID string }{name, op.ID})
	}
	if err := naming.Validate(pairs); err != nil {
		return nil, err
	}

	subsystems := map[string]string{}        // path prefix -> apply tool.
	reads := map[string]string{}             // path -> the GET tool on it.
	onPath := map[string]map[string]string{} // path -> method -> tool.
	for _, op := range api.Operations {
		if onPath[op.Path] == nil {
			onPath[op.Path] = map[string]string{}
		}
		onPath[op.Path][op.Method] = names[op]
		if op.Kind == toolspec.KindApply {
			subsystems[strings.TrimSuffix(op.Path, "/apply")] = names[op]
		}
		if op.Method == "GET" {
			reads[op.Path] = names[op]
		}
	}
	rules, err := policy.Rules()
	if err != nil {
		return nil, err
	}
	matched := map[int]bool{}
	ov, err := overlay.Load()
	if err != nil {
		return nil, err
	}
	lists := map[string]string{}           // model -> its list tool.
	creates := map[string]*schema.Create{} // model -> its create tool.
	hiddenCreates := map[string]bool{}     // model -> its create tool is always dangerous.
	for _, op := range api.Operations {
		if op.Kind == toolspec.KindList && lists[op.Model] == "" {
			lists[op.Model] = names[op]
		}
		if op.Kind == toolspec.KindCreate && op.Body != nil && creates[op.Model] == nil {
			creates[op.Model] = &schema.Create{Tool: names[op], Body: op.Body}
			risks, _ := policy.Risks(rules, policy.Op{Method: op.Method, Path: op.Path, Model: op.Model,
				BodyList: op.BodyList, Body: op.Body, ModelSchema: api.Models[op.Model].Schema})
			hiddenCreates[op.Model] = policy.Unconditional(risks) != nil
		}
	}
	c := &surfaceBuilder{
		subsystems: subsystems, reads: reads, native: nat, overlay: ov, orders: propertyOrders(doc),
		entryTools: subresourceTools(api, names),
		pathTool:   func(path, method string) string { return PathTool(onPath[path], method) },
		listTool:   func(model string) string { return lists[model] },
		creates:    creates, hiddenCreates: hiddenCreates,
	}

	tools := make([]toolspec.Tool, 0, len(api.Operations))
	for _, op := range api.Operations {
		model := api.Models[op.Model]
		risks, lines := policy.Risks(rules, policy.Op{Method: op.Method, Path: op.Path, Model: op.Model,
			BodyList: op.BodyList, Body: op.Body, ModelSchema: model.Schema})
		for _, l := range lines {
			matched[l] = true
		}
		t, err := c.tool(op, model, names[op], risks)
		if err != nil {
			return nil, err
		}
		t.Secrets = policy.Secrets(op.Model, model.Schema, nat)
		tools = append(tools, t)
	}
	if err := policy.Check(rules, matched); err != nil {
		return nil, err
	}
	sort.Slice(tools, func(i, j int) bool { return tools[i].Name < tools[j].Name })
	return &Surface{Title: api.Title, Version: api.Version, Tools: tools}, nil
}

// surfaceBuilder is what every tool of one surface is built with: the other tools it may name, the
// native schema and the overlay.
type surfaceBuilder struct {
	subsystems, reads map[string]string
	native            *native.Schema
	orders            map[string][]string // model -> its fields in declaration order; nil: unknown
	overlay           *overlay.Overlay
	entryTools        func(string) []string
	pathTool          func(string, string) string
	listTool          func(string) string
	creates           map[string]*schema.Create
	// hiddenCreates are the models whose create tool is always dangerous: hidden unless the
	// operator allows dangerous effects, so an update or replace tool that stays listed without
	// it describes the fields itself instead of pointing to it.
	hiddenCreates map[string]bool
}

func (c *surfaceBuilder) tool(op *normalize.Operation, model *normalize.Model, name string, risks []toolspec.Risk) (toolspec.Tool, error) {
	key := op.Key()
	mutation := policy.Mutation(op.Method, key)
	log := IsLog(op)
	reason, dangerous := "", false
	if !mutation {
		risks = nil // a rule names writes; a read-only POST (ping) has none
	}
	if r := policy.Unconditional(risks); r != nil {
		reason, dangerous = r.Reason, true
	}
	apply := ""
	if mutation && op.Kind != toolspec.KindApply && op.Applies == normalize.AppliesNo {
		apply = ApplyTool(op.Path, c.subsystems)
	}
	var create *schema.Create
	if (op.Kind == toolspec.KindUpdate || op.Kind == toolspec.KindReplace) && (dangerous || !c.hiddenCreates[op.Model]) {
		create = c.creates[op.Model]
	}
	in, err := schema.Build(schema.Input{Op: op, Model: model, Mutation: mutation, Log: log, Pending: apply != "", Native: c.native, Overlay: c.overlay,
		Subresources: c.entryTools, ListTool: c.listTool, Create: create})
	if err != nil {
		return toolspec.Tool{}, fmt.Errorf("input schema: %w", err)
	}
	title := naming.Title(name, op.Kind)
	t := toolspec.Tool{
		Name:  name,
		Title: title,
		Description: describe.Tool(describe.Facts{Op: op, Model: model, Log: log, ApplyTool: apply, DangerousReason: reason, PathTool: c.pathTool,
			Title: title, Native: c.native, Overlay: c.overlay, CreateTool: createName(create), InlineApply: hasParam(in.Params, "apply")}),
		InputSchema:      in.JSON,
		OperationID:      op.ID,
		Method:           op.Method,
		Path:             op.Path,
		Params:           in.Params,
		Kind:             op.Kind,
		Plural:           op.Plural,
		Log:              log,
		Module:           op.Module,
		Model:            op.Model,
		Parent:           model.Parent,
		Fields:           model.Fields(),
		ListFields:       model.ListFields(),
		Entries:          in.Entries,
		Kept:             in.Kept,
		Mutation:         mutation,
		AppliesAtOnce:    mutation && op.Kind != toolspec.KindApply && op.Applies == normalize.AppliesYes,
		ReadTool:         ReadTool(op, c.reads),
		ApplyTool:        apply,
		RequiredPackages: append([]string(nil), op.RequiredPackages...),
		BasicAuthOnly:    op.BasicAuthOnly(),
		Accept:           op.AnswerType,
		Dangerous:        dangerous,
		DangerousReason:  reason,
		Risks:            risks,
		Annotations:      policy.Annotations(op.Kind, op.Method, key, dangerous),
	}
	if op.Kind == toolspec.KindCreate || op.Kind == toolspec.KindUpdate {
		if list := c.listTool(op.Model); list != "" {
			t.ListTool = list
			t.Unique = UniqueSets(c.native.Model(op.Model))
		}
	}
	if op.Kind == toolspec.KindCreate || op.Kind == toolspec.KindReplace {
		t.Companions = Companions(c.native.Model(op.Model), c.orders[op.Model])
	}
	if mutation && op.Method == "PATCH" && (op.Kind == toolspec.KindUpdate || op.Kind == toolspec.KindSettings) {
		t.FieldConditions = FieldConditions(c.native.Model(op.Model))
	}
	return t, nil
}

// Companions returns, for each writable field of the native model with a condition that an
// absent field fails but that field's own default meets, the JSON object of those fields and
// defaults (toolspec.Tool.Companions); nil without a native schema. Conditions compare as
// Core/Field.inc are_conditions_met() does: one value with ===, a list with in_array()'s loose
// ==; negated and parent conditions never need a companion (an absent value passes `!x`).
// order is the model's fields in declaration order: a condition field declared before the
// field has taken its default by the time the field is checked, so it needs no companion.
// With no order (nil: a spec that lists properties alphabetically), every such field is one:
// sending a default changes nothing.
func Companions(m *native.Model, order []string) map[string]string {
	if m == nil {
		return nil
	}
	pos := map[string]int{}
	for i, name := range order {
		pos[name] = i + 1
	}
	var out map[string]string
	for _, f := range m.Fields {
		if f.ReadOnly || !f.Conditional() {
			continue
		}
		add := map[string]any{}
		for _, c := range f.ParsedConditions() {
			cf := m.Field(c.Field)
			if c.Negate || c.Parent || cf == nil || cf.ReadOnly || cf.Default == nil {
				continue
			}
			if order != nil && pos[c.Field] > 0 && pos[c.Field] < pos[f.Name] {
				continue // declared before f: validated, with its default, by then
			}
			_, list := f.Conditions[c.Field].([]any)
			if conditionMet(nil, c.Values, list) || !conditionMet(cf.Default, c.Values, list) {
				continue
			}
			add[c.Field] = cf.Default
		}
		if len(add) > 0 {
			b, _ := json.Marshal(add) // sorted keys: deterministic output
			if out == nil {
				out = map[string]string{}
			}
			out[f.Name] = string(b)
		}
	}
	return out
}

// propertyOrders returns each component schema's properties in document order (the loader's
// load.PropertyOrderExtension), or nil when every schema lists them alphabetically: such a spec
// says nothing about declaration order.
func propertyOrders(doc *openapi3.T) map[string][]string {
	if doc.Components == nil {
		return nil
	}
	out := map[string][]string{}
	informative := false
	for name, ref := range doc.Components.Schemas {
		if ref == nil || ref.Value == nil {
			continue
		}
		raw, _ := ref.Value.Extensions[load.PropertyOrderExtension].([]any)
		names := make([]string, 0, len(raw))
		for _, v := range raw {
			if s, ok := v.(string); ok {
				names = append(names, s)
			}
		}
		out[name] = names
		if !sort.StringsAreSorted(names) {
			informative = true
		}
	}
	if !informative {
		return nil
	}
	return out
}

// FieldConditions returns the native conditions of the model's writable fields that have
// some, as JSON objects (toolspec.Tool.FieldConditions), leaving out those on the parent model;
// nil without a native schema.
func FieldConditions(m *native.Model) map[string]string {
	if m == nil {
		return nil
	}
	var out map[string]string
	for _, f := range m.Fields {
		if f.ReadOnly || !f.Conditional() {
			continue
		}
		parent := false
		for k := range f.Conditions {
			parent = parent || strings.HasPrefix(strings.TrimPrefix(k, "!"), "parent__")
		}
		if parent {
			continue
		}
		b, err := json.Marshal(f.Conditions) // sorted keys: deterministic output
		if err != nil {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[f.Name] = string(b)
	}
	return out
}

// conditionMet reports whether a value meets one condition's values: === against a single
// value, PHP's loose in_array() against a list (where null equals false, 0 and "").
func conditionMet(v any, values []any, list bool) bool {
	for _, want := range values {
		if !list {
			return reflect.DeepEqual(v, want)
		}
		if reflect.DeepEqual(v, want) || toolspec.PHPLooseNull(v, want) {
			return true
		}
	}
	return false
}

// UniqueSets returns the native model's writable unique fields, one set each, and its
// unique-together fields as one set (Core/Field.inc check_field_unique, Core/Model.inc
// validate_unique_together: FIELD_MUST_BE_UNIQUE and MODEL_FIELDS_NOT_UNIQUE_TOGETHER); nil
// without a native schema.
func UniqueSets(m *native.Model) [][]string {
	if m == nil {
		return nil
	}
	var out [][]string
	for _, f := range m.Fields {
		if f.Unique && !f.ReadOnly {
			out = append(out, []string{f.Name})
		}
	}
	if len(m.UniqueTogether) > 1 {
		out = append(out, append([]string(nil), m.UniqueTogether...))
	}
	return out
}

// IsLog reports whether op reads a log (GET status/logs/..., not the log settings).
func IsLog(op *normalize.Operation) bool {
	return op.Method == "GET" && op.Kind == toolspec.KindList && strings.HasPrefix(op.Path, LogPathPrefix)
}

// ApplyTool returns the apply tool of the subsystem a path belongs to: the longest subsystem
// path (an apply endpoint's path without /apply) that the path starts with, "" if none. The
// match is on the raw string, so plural paths belong to their singular's subsystem
// (/api/v2/firewall/virtual_ips to firewall/virtual_ip, /api/v2/interfaces to interface).
func ApplyTool(path string, subsystems map[string]string) string {
	best, tool := "", ""
	for prefix, t := range subsystems {
		if strings.HasPrefix(path, prefix) && len(prefix) > len(best) {
			best, tool = prefix, t
		}
	}
	return tool
}

// PathTool picks the tool to name for a path mentioned in a description, from the tools on that
// path by method: the only one, else the one with the describing tool's method, else the GET.
func PathTool(byMethod map[string]string, method string) string {
	switch {
	case len(byMethod) == 1:
		for _, t := range byMethod {
			return t
		}
	case byMethod[method] != "":
		return byMethod[method]
	}
	return byMethod["GET"]
}

// ReadTool returns the tool that reads what a mutation changes, for previews: the GET on the
// same path, when it is a get (update, single delete), a list (replace, plural delete) or a
// settings getter (settings PATCH), or the list of the objects an action on one of them names
// by id (a service's start, stop or restart: POST /status/service, read from /status/services);
// "" otherwise.
func ReadTool(op *normalize.Operation, reads map[string]string) string {
	read := reads[op.Path]
	switch {
	case op.Kind == toolspec.KindAction && op.Body != nil && op.Body.IsRequired("id"):
		return listOn(op.Path, reads)
	case read == "":
		return ""
	case op.Kind == toolspec.KindUpdate, op.Kind == toolspec.KindDelete && !op.Plural:
		if strings.HasPrefix(read, naming.Prefix+"get_") {
			return read
		}
	case op.Kind == toolspec.KindReplace, op.Kind == toolspec.KindDelete && op.Plural:
		if strings.HasPrefix(read, naming.Prefix+"list_") {
			return read
		}
	case op.Kind == toolspec.KindSettings && op.Method == "PATCH":
		return read
	}
	return ""
}

// listOn returns the list tool on the plural of path (the shortest list path that extends it:
// /status/service -> /status/services), or "".
func listOn(path string, reads map[string]string) string {
	best := ""
	for p, tool := range reads {
		if strings.HasPrefix(p, path) && p != path && !strings.Contains(p[len(path):], "/") && strings.HasPrefix(tool, naming.Prefix+"list_") &&
			(best == "" || len(p) < len(best) || len(p) == len(best) && p < best) {
			best = p
		}
	}
	return reads[best]
}

// subresourceTools returns, for a child model, the tools that create, update and delete one
// of its objects; array fields of the parent made of such objects point to them.
func subresourceTools(api *normalize.API, names map[*normalize.Operation]string) func(string) []string {
	order := map[toolspec.Kind]int{toolspec.KindCreate: 0, toolspec.KindUpdate: 1, toolspec.KindDelete: 2}
	ops := map[string][]*normalize.Operation{}
	for _, op := range api.Operations {
		m := api.Models[op.Model]
		if _, ok := order[op.Kind]; !ok || m == nil || m.Parent == "" || op.Plural {
			continue
		}
		ops[op.Model] = append(ops[op.Model], op)
	}
	byModel := map[string][]string{}
	for model, list := range ops {
		sort.Slice(list, func(i, j int) bool { return order[list[i].Kind] < order[list[j].Kind] })
		for _, op := range list {
			byModel[model] = append(byModel[model], names[op])
		}
	}
	return func(model string) []string { return byModel[model] }
}

func createName(c *schema.Create) string {
	if c == nil {
		return ""
	}
	return c.Tool
}

func hasParam(ps []toolspec.Param, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}
