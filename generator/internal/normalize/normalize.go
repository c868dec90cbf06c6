// Package normalize turns a loaded kin-openapi document into the small model the rest of the
// generator works on: operations (with the facts pfSense hides in description HTML parsed out,
// a kind and a module), their parameters and request bodies as resolved schemas (allOf merged,
// $ref followed), and the REST API models behind them.
//
// # Kinds
//
// Every operation gets exactly one kind (toolspec.Kind), decided by Classify from its method,
// its path, the spec's endpoint type (Plural/Singular, from the description) and the other
// methods served on the same path:
//
//   - GET on a path ending in /apply: apply_status.
//   - GET on a plural endpoint: list.
//   - GET with an id parameter: get (one object of a many-object model).
//   - GET of a singleton whose path also serves PATCH: settings; without PATCH: status
//     (status/system, system/version).
//   - POST on a path ending in /apply: apply.
//   - POST on a path that also serves GET, PATCH or DELETE (an object endpoint): create. This
//     covers child models without a plural endpoint (ACME certificate actions, BIND zone
//     records, revoked certificates) and POST /auth/key.
//   - Any other POST: action (ping, reboot, command prompt, GraphQL, JWT, certificate generate,
//     renew and export, ACME register/issue/renew, service start/stop, settings sync, ...).
//   - PATCH whose body has an id: update; without id: settings.
//   - PUT: replace (always on a plural endpoint).
//   - DELETE: delete, Plural for the query-based delete of a plural endpoint.
//
// # Modules
//
// Module is the first path segment after /api/v2, except services/* and vpn/*, which add their
// second segment (services_haproxy, vpn_wireguard). A plural spelling belongs to the module of
// its singular when that exists: interfaces to interface, users to user, services/dhcp_servers
// to services_dhcp_server.
package normalize

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// APIPrefix starts every path of the pfSense REST API v2.
const APIPrefix = "/api/v2/"

// Applies says whether pfSense applies a change at once ("Applies immediately" in the spec).
type Applies string

const (
	AppliesYes           Applies = "yes"
	AppliesNo            Applies = "no" // the change is pending until the subsystem's apply endpoint runs.
	AppliesNotApplicable Applies = "n/a"
)

// API is the normalized spec.
type API struct {
	Title      string
	Version    string
	Operations []*Operation // sorted by path, then method.
	Models     map[string]*Model
}

// Operation is one HTTP operation of the REST API.
type Operation struct {
	ID      string // operationId.
	Method  string // upper-case.
	Path    string
	Summary string // the operation's own text from its description (HTML), without the details block.

	Plural           bool     // "Endpoint type: Plural".
	Model            string   // "Associated model".
	SpecParent       string   // "Parent model", "" for None.
	AuthModes        []string // "Supported authentication modes".
	RequiredPackages []string // "Required packages", empty for None.
	Applies          Applies  // "Applies immediately".

	Params   []*Param // query parameters, in spec order.
	Body     *Schema  // the JSON request body; for PUT the schema of one object of the list.
	BodyList bool     // the body is a JSON array of Body objects (PUT on plural endpoints).
	// IDSchema is the schema of the id that addresses one object: the id parameter of this
	// operation or of another operation on the same path, else the body's id; nil without ids.
	IDSchema *Schema

	Kind   toolspec.Kind
	Module string
	// AnswerType is the media type of a success answer that is not JSON (a file download).
	AnswerType string
}

// Param is one query parameter.
type Param struct {
	Name        string
	Required    bool
	Description string
	Schema      *Schema
}

// Param returns the named parameter, or nil.
func (op *Operation) Param(name string) *Param {
	for _, p := range op.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// BasicAuthOnly reports whether BasicAuth is the only authentication mode the endpoint accepts.
func (op *Operation) BasicAuthOnly() bool {
	return len(op.AuthModes) == 1 && op.AuthModes[0] == "BasicAuth"
}

// Key is "METHOD path", how policy tables name operations.
func (op *Operation) Key() string { return op.Method + " " + op.Path }

// Model is a REST API model (a kind of object), as seen through the operations that use it.
type Model struct {
	Name   string
	Schema *Schema // the component schema of the same name; nil when the spec has none.
	HasIDs bool    // objects are addressed by id: a many-object model.
	// Parent is the parent model when objects are nested under a parent object and addressed
	// with parent_id; "" otherwise (also for children of a singleton such as HAProxySettings).
	Parent string
}

// Fields returns the field names of the model's objects as the API returns them: every
// property of the model schema except write-only ones (passwords, commands), plus id for
// many-object models and parent_id for child models; sorted.
func (m *Model) Fields() []string {
	seen := map[string]bool{}
	if m.Schema != nil {
		for name, p := range m.Schema.Properties {
			if !p.WriteOnly {
				seen[name] = true
			}
		}
	}
	if m.HasIDs {
		seen["id"] = true
	}
	if m.Parent != "" {
		seen["parent_id"] = true
	}
	if len(seen) == 0 {
		return nil
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// ListFields returns the names of the fields whose values are lists (array properties of the
// model schema that the API returns), sorted. Filters on them need care: the REST API's exact
// filter compares the whole list (QueryFilters/ExactQueryFilter.inc), so {"interface": "wan"}
// never matches a rule on wan; __contains matches one element (ContainsQueryFilter.inc).
func (m *Model) ListFields() []string {
	if m.Schema == nil {
		return nil
	}
	var out []string
	for _, name := range m.Schema.PropertyNames() {
		if p := m.Schema.Properties[name]; !p.WriteOnly && p.Is("array") {
			out = append(out, name)
		}
	}
	return out
}

// Build normalizes a loaded (and reference-resolved) document.
func Build(doc *openapi3.T) (*API, error) {
	if doc.Info == nil {
		return nil, fmt.Errorf("spec has no info object")
	}
	api := &API{Title: doc.Info.Title, Version: doc.Info.Version, Models: map[string]*Model{}}
	conv := newConverter()
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, fmt.Errorf("spec has no paths")
	}
	paths := doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	methodsOn := map[string]map[string]bool{}
	for _, path := range keys {
		ops := paths[path].Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		methodsOn[path] = map[string]bool{}
		for _, m := range methods {
			op, err := operation(conv, path, strings.ToUpper(m), ops[m])
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", strings.ToUpper(m), path, err)
			}
			methodsOn[path][op.Method] = true
			api.Operations = append(api.Operations, op)
		}
	}
	for _, op := range api.Operations {
		kind, err := Classify(op, methodsOn[op.Path])
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", op.ID, op.Key(), err)
		}
		op.Kind = kind
		if op.Module, err = Module(op.Path); err != nil {
			return nil, fmt.Errorf("%s: %w", op.ID, err)
		}
	}
	FoldPluralModules(api.Operations)
	linkIDs(api.Operations)
	if err := buildModels(api, doc, conv); err != nil {
		return nil, err
	}
	return api, nil
}

func operation(conv *converter, path, method string, o *openapi3.Operation) (*Operation, error) {
	if o.OperationID == "" {
		return nil, fmt.Errorf("no operationId")
	}
	op := &Operation{ID: o.OperationID, Method: method, Path: path}
	if mt, ok := o.Extensions[toolspec.AnswerTypeExtension].(string); ok {
		op.AnswerType = mt
	}
	if err := parseDescription(op, o.Description); err != nil {
		return nil, err
	}
	for _, pr := range o.Parameters {
		p := pr.Value
		if p == nil {
			return nil, fmt.Errorf("unresolved parameter %s", pr.Ref)
		}
		if p.In != openapi3.ParameterInQuery {
			return nil, fmt.Errorf("parameter %q is in %s: only query parameters are supported", p.Name, p.In)
		}
		s, err := conv.convert(p.Schema)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", p.Name, err)
		}
		op.Params = append(op.Params, &Param{Name: p.Name, Required: p.Required, Description: p.Description, Schema: s})
	}
	if o.RequestBody != nil && o.RequestBody.Value != nil {
		mt := o.RequestBody.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			return nil, fmt.Errorf("request body has no application/json schema")
		}
		s, err := conv.convert(mt.Schema)
		if err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
		if s.Is("array") {
			if s.Items == nil {
				return nil, fmt.Errorf("request body is an array without items")
			}
			op.Body, op.BodyList = s.Items, true
		} else {
			op.Body = s
		}
	}
	return op, nil
}

var (
	detailsStart = regexp.MustCompile(`(?i)<h3>\s*Details:?\s*</h3>`)
	summaryStart = regexp.MustCompile(`(?i)<h3>\s*Description:?\s*</h3>`)
	detailField  = regexp.MustCompile(`\*\*([^*]+?):?\*\*:?\s*([^<]*)`)
	listValue    = regexp.MustCompile(`^\[\s*(.*?)\s*\]$`)
)

// parseDescription reads the operation's own text and the facts pfSense puts in the details
// block of every description ("**Endpoint type**: Plural<br>**Associated model**: ...").
func parseDescription(op *Operation, desc string) error {
	summary, details := desc, ""
	if loc := detailsStart.FindStringIndex(desc); loc != nil {
		summary, details = desc[:loc[0]], desc[loc[1]:]
	}
	if loc := summaryStart.FindStringIndex(summary); loc != nil {
		summary = summary[loc[1]:]
	}
	op.Summary = strings.TrimSpace(summary)
	fields := map[string]string{}
	for _, m := range detailField.FindAllStringSubmatch(details, -1) {
		fields[strings.ToLower(strings.TrimSpace(m[1]))] = strings.TrimSpace(m[2])
	}
	need := func(key string) (string, error) {
		v, ok := fields[key]
		if !ok || v == "" {
			return "", fmt.Errorf("description has no %q detail", key)
		}
		return v, nil
	}
	et, err := need("endpoint type")
	if err != nil {
		return err
	}
	switch et {
	case "Plural":
		op.Plural = true
	case "Singular":
	default:
		return fmt.Errorf("endpoint type %q: want Plural or Singular", et)
	}
	if op.Model, err = need("associated model"); err != nil {
		return err
	}
	if p := fields["parent model"]; p != "" && p != "None" {
		op.SpecParent = p
	}
	op.AuthModes = list(fields["supported authentication modes"])
	op.RequiredPackages = list(fields["required packages"])
	switch a := strings.ToLower(fields["applies immediately"]); {
	case a == "yes":
		op.Applies = AppliesYes
	case a == "no":
		op.Applies = AppliesNo
	default:
		op.Applies = AppliesNotApplicable
	}
	return nil
}

// list parses "[ a, b ]"; "[ None ]" and "" are empty.
func list(v string) []string {
	if m := listValue.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" && s != "None" {
			out = append(out, s)
		}
	}
	return out
}

// Classify returns the kind of op; methods holds every method served on op's path.
// The package comment lists the rules.
func Classify(op *Operation, methods map[string]bool) (toolspec.Kind, error) {
	apply := strings.HasSuffix(op.Path, "/apply")
	switch op.Method {
	case "GET":
		switch {
		case apply:
			return toolspec.KindApplyStatus, nil
		case op.Plural:
			return toolspec.KindList, nil
		case op.Param("id") != nil:
			return toolspec.KindGet, nil
		case methods["PATCH"]:
			return toolspec.KindSettings, nil
		default:
			return toolspec.KindStatus, nil
		}
	case "POST":
		switch {
		case apply:
			return toolspec.KindApply, nil
		case methods["GET"] || methods["PATCH"] || methods["DELETE"]:
			return toolspec.KindCreate, nil
		default:
			return toolspec.KindAction, nil
		}
	case "PATCH":
		if op.Body != nil && op.Body.Properties["id"] != nil {
			return toolspec.KindUpdate, nil
		}
		return toolspec.KindSettings, nil
	case "PUT":
		if !op.BodyList {
			return "", fmt.Errorf("PUT without a list body")
		}
		return toolspec.KindReplace, nil
	case "DELETE":
		return toolspec.KindDelete, nil
	}
	return "", fmt.Errorf("unsupported method %s", op.Method)
}

// Module returns the module of an API path before plural spellings are folded (see
// FoldPluralModules): the first segment after /api/v2, plus the second one under services
// and vpn.
func Module(path string) (string, error) {
	rest, ok := strings.CutPrefix(path, APIPrefix)
	if !ok || rest == "" {
		return "", fmt.Errorf("path %s is not under %s", path, APIPrefix)
	}
	segs := strings.Split(rest, "/")
	mod := segs[0]
	if (mod == "services" || mod == "vpn") && len(segs) > 1 {
		mod += "_" + segs[1]
	}
	return mod, nil
}

// FoldPluralModules moves operations of a module spelt as the plural of another module into
// that one: interfaces -> interface, users -> user, services_dhcp_servers -> services_dhcp_server.
func FoldPluralModules(ops []*Operation) {
	modules := map[string]bool{}
	for _, op := range ops {
		modules[op.Module] = true
	}
	for _, op := range ops {
		if singular, ok := strings.CutSuffix(op.Module, "s"); ok && modules[singular] {
			op.Module = singular
		}
	}
}

// linkIDs gives every operation the schema of the id that addresses its objects. PATCH bodies
// declare id as an integer although some models use string ids (interfaces: wan, lan, opt1),
// so the id parameter of the GET or DELETE on the same path wins.
func linkIDs(ops []*Operation) {
	idParam := map[string]*Schema{}
	for _, op := range ops {
		if p := op.Param("id"); p != nil {
			op.IDSchema = p.Schema
			if idParam[op.Path] == nil {
				idParam[op.Path] = p.Schema
			}
		}
	}
	for _, op := range ops {
		if op.IDSchema != nil {
			continue
		}
		if s := idParam[op.Path]; s != nil {
			op.IDSchema = s
		} else if op.Body != nil && op.Body.Properties["id"] != nil {
			op.IDSchema = op.Body.Properties["id"]
		}
	}
}

func buildModels(api *API, doc *openapi3.T, conv *converter) error {
	for _, op := range api.Operations {
		m := api.Models[op.Model]
		if m == nil {
			m = &Model{Name: op.Model}
			if doc.Components != nil {
				if ref := doc.Components.Schemas[op.Model]; ref != nil {
					s, err := conv.convert(ref)
					if err != nil {
						return fmt.Errorf("model %s: %w", op.Model, err)
					}
					m.Schema = s
				}
			}
			api.Models[op.Model] = m
		}
		if op.Plural || op.Param("id") != nil || op.Kind == toolspec.KindUpdate {
			m.HasIDs = true
		}
		if op.SpecParent != "" && (op.Param("parent_id") != nil || (op.Body != nil && op.Body.Properties["parent_id"] != nil)) {
			m.Parent = op.SpecParent
		}
	}
	return nil
}
