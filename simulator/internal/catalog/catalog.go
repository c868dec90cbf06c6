// Package catalog is the simulator's compact view of a pfSense REST API OpenAPI spec: the
// operations (path, method, model, parent, endpoint type, auth modes, packages) and the model
// schemas with only what validation and response shaping need.
//
// Decoding the full 4 MB spec takes tens of milliseconds even with encoding/json, so the
// build compiles it once (cmd/simcatalog) into a compact JSON form that the simulator embeds
// and decodes in a few milliseconds. Compile also runs at start-up when a caller brings
// another spec.
package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/internal/jsonorder"
)

// Catalog is everything the simulator takes from a spec.
type Catalog struct {
	APIVersion string             `json:"api_version"` // info.version, e.g. v2.7.1
	Ops        []*Op              `json:"ops"`
	Schemas    map[string]*Schema `json:"schemas"`
	// Native is set when the package's native schema was merged in (see Build): schemas then
	// carry Info and their properties F.
	Native bool `json:"native,omitempty"`
	// ValidatorTable and OptionTable hold each distinct validator and field option set once.
	ValidatorTable []Validator      `json:"validator_table,omitempty"`
	OptionTable    []map[string]any `json:"option_table,omitempty"`
}

// Op is one operation of the API.
type Op struct {
	ID       string   `json:"id"` // operationId
	Method   string   `json:"method"`
	Path     string   `json:"path"`
	Plural   bool     `json:"plural,omitempty"`
	Model    string   `json:"model"`
	Parent   string   `json:"parent,omitempty"`
	Auth     []string `json:"auth"`               // supported authentication modes
	Packages []string `json:"packages,omitempty"` // required pfSense packages
	// Immediate is the "Applies immediately" line: "Yes", "No" or "N/A".
	Immediate string `json:"immediate,omitempty"`
	// Params are the query parameter names the operation declares.
	Params []string `json:"params,omitempty"`
	Body   *Body    `json:"body,omitempty"`
	// IDType and ParentIDType are the types of id and parent_id in the success response
	// ("integer" or "string"; "" when the data carries none).
	IDType       string `json:"id_type,omitempty"`
	ParentIDType string `json:"parent_id_type,omitempty"`
	DataList     bool   `json:"data_list,omitempty"` // the success data is an array
	// Privileges are the pfSense privileges that allow this method (native schema), and
	// AuthMethods the endpoint's own authentication methods (nil: the REST API settings').
	Privileges  []string `json:"privileges,omitempty"`
	AuthMethods []string `json:"auth_methods,omitempty"`
}

// HasParam reports whether the operation declares the named query parameter.
func (o *Op) HasParam(name string) bool {
	for _, p := range o.Params {
		if p == name {
			return true
		}
	}
	return false
}

// Body is a request body: a model schema plus the fields the operation requires
// (including id and parent_id where the operation needs them).
type Body struct {
	Model    string   `json:"model,omitempty"`
	Required []string `json:"required,omitempty"`
	List     bool     `json:"list,omitempty"` // the body is an array of such objects (PUT)
}

// Schema is a model schema: its properties in spec order.
type Schema struct {
	Name  string  `json:"name"`
	Props []*Prop `json:"props"`
	// Info is the package's own model facts (nil without a native schema).
	Info *ModelInfo `json:"info,omitempty"`

	byName map[string]*Prop
}

// Prop returns the named property, or nil.
func (s *Schema) Prop(name string) *Prop {
	if s.byName == nil {
		return nil
	}
	return s.byName[name]
}

func (s *Schema) index() {
	s.byName = make(map[string]*Prop, len(s.Props))
	for _, p := range s.Props {
		s.byName[p.Name] = p
	}
}

// Prop is one property of a schema (or the item schema of an array).
type Prop struct {
	Name       string   `json:"name,omitempty"`
	Type       string   `json:"type,omitempty"` // string, integer, number, boolean, array, object
	Enum       []any    `json:"enum,omitempty"`
	MinLength  *int64   `json:"min_length,omitempty"`
	MaxLength  *int64   `json:"max_length,omitempty"`
	Minimum    *float64 `json:"minimum,omitempty"`
	Maximum    *float64 `json:"maximum,omitempty"`
	MinItems   *int64   `json:"min_items,omitempty"`
	MaxItems   *int64   `json:"max_items,omitempty"`
	Default    any      `json:"default,omitempty"`
	HasDefault bool     `json:"has_default,omitempty"`
	ReadOnly   bool     `json:"read_only,omitempty"`
	WriteOnly  bool     `json:"write_only,omitempty"`
	Nullable   bool     `json:"nullable,omitempty"`
	// Unique is set when the description says the value must be unique among objects.
	Unique bool `json:"unique,omitempty"`
	// Conditional is set when the description says the field is only available when
	// another field has some value.
	Conditional bool `json:"conditional,omitempty"`
	// CondValues are the values the description's conditions list ("`name` must be one of
	// [ aes, aes128gcm ]"), per field: where the package computes them from pfSense's own
	// tables, a spec served by a firewall has them and the package's dump does not.
	CondValues map[string][]any `json:"-"`
	// Items is the item schema of an array of scalars; ItemModel names the schema of an
	// array of objects (nested child objects), with ItemRequired its required fields.
	Items        *Prop    `json:"items,omitempty"`
	ItemModel    string   `json:"item_model,omitempty"`
	ItemRequired []string `json:"item_required,omitempty"`
	// Sensitive is set by the simulator for fields the REST API hides unless
	// expose_sensitive_fields is on; the spec does not say which they are.
	Sensitive bool `json:"-"`
	// F is the package's own field facts (nil without a native schema).
	F *FieldInfo `json:"f,omitempty"`
}

// Decode reads a catalog in the compact form written by Encode.
func Decode(b []byte) (*Catalog, error) {
	c := new(Catalog)
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("decode catalog: %w", err)
	}
	c.finish()
	return c, nil
}

// Encode writes the compact form.
func (c *Catalog) Encode() ([]byte, error) {
	c.ValidatorTable, c.OptionTable = nil, nil
	vidx, oidx := map[string]int{}, map[string]int{}
	for _, name := range sortedSchemaNames(c.Schemas) {
		for _, p := range c.Schemas[name].Props {
			f := p.F
			if f == nil {
				continue
			}
			f.VRefs, f.ORef = nil, 0
			for _, v := range f.Validators {
				key, err := json.Marshal(v)
				if err != nil {
					return nil, err
				}
				i, ok := vidx[string(key)]
				if !ok {
					i = len(c.ValidatorTable)
					vidx[string(key)] = i
					c.ValidatorTable = append(c.ValidatorTable, v)
				}
				f.VRefs = append(f.VRefs, i)
			}
			if len(f.Options) > 0 {
				key, err := json.Marshal(f.Options)
				if err != nil {
					return nil, err
				}
				i, ok := oidx[string(key)]
				if !ok {
					c.OptionTable = append(c.OptionTable, f.Options)
					i = len(c.OptionTable)
					oidx[string(key)] = i
				}
				f.ORef = i
			}
		}
	}
	return json.Marshal(c)
}

func sortedSchemaNames(m map[string]*Schema) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (c *Catalog) finish() {
	for i := range c.ValidatorTable {
		c.ValidatorTable[i].Args = normalizeMap(c.ValidatorTable[i].Args)
	}
	for i := range c.OptionTable {
		c.OptionTable[i] = normalizeMap(c.OptionTable[i])
	}
	for name, s := range c.Schemas {
		s.Name = name
		s.index()
		for _, p := range s.Props {
			p.Default = normalizeNumbers(p.Type, p.Default)
			for i, e := range p.Enum {
				p.Enum[i] = normalizeNumbers(p.Type, e)
			}
			if p.Items != nil {
				for i, e := range p.Items.Enum {
					p.Items.Enum[i] = normalizeNumbers(p.Items.Type, e)
				}
			}
			if f := p.F; f != nil {
				f.Default = phpValue(f.Type, f.Default)
				for i := range f.Choices {
					f.Choices[i] = phpValue(f.Type, f.Choices[i])
				}
				for i := range f.Conditions {
					f.Conditions[i].Values = phpValue("", f.Conditions[i].Values).([]any)
				}
				if len(f.VRefs) > 0 {
					f.Validators = make([]Validator, len(f.VRefs))
					for i, r := range f.VRefs {
						f.Validators[i] = c.ValidatorTable[r]
					}
				}
				if f.ORef > 0 {
					f.Options = c.OptionTable[f.ORef-1]
				}
			}
		}
		if s.Info != nil {
			s.Info.Protected = normalizeMap(s.Info.Protected)
		}
	}
}

// normalizeNumbers turns JSON numbers of integer fields into int64 so that values compare
// and print like the ones the simulator stores.
func normalizeNumbers(typ string, v any) any {
	switch x := v.(type) {
	case float64:
		if typ == "integer" || x == float64(int64(x)) {
			return int64(x)
		}
	case []any:
		for i := range x {
			x[i] = normalizeNumbers("", x[i])
		}
	}
	return v
}

// Compile builds a catalog from a full OpenAPI document (JSON) alone.
func Compile(spec []byte) (*Catalog, error) { return Build(spec, nil) }

func compile(spec []byte) (*Catalog, error) {
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Version string `json:"version"`
		} `json:"info"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	if doc.OpenAPI == "" {
		return nil, fmt.Errorf(`not an OpenAPI document: no "openapi" field`)
	}
	c := &Catalog{APIVersion: doc.Info.Version, Schemas: map[string]*Schema{}}
	for name, raw := range doc.Components.Schemas {
		s, err := compileSchema(name, raw)
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		c.Schemas[name] = s
	}
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths[path]
		methods := make([]string, 0, len(item))
		for m := range item {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			switch m {
			case "get", "post", "put", "patch", "delete":
			default:
				continue
			}
			op, err := compileOp(path, strings.ToUpper(m), item[m])
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", strings.ToUpper(m), path, err)
			}
			c.Ops = append(c.Ops, op)
		}
	}
	return c, nil
}

type rawSchema struct {
	Ref         string          `json:"$ref"`
	Type        string          `json:"type"`
	Description string          `json:"description"`
	Enum        []any           `json:"enum"`
	MinLength   *int64          `json:"minLength"`
	MaxLength   *int64          `json:"maxLength"`
	Minimum     *float64        `json:"minimum"`
	Maximum     *float64        `json:"maximum"`
	MinItems    *int64          `json:"minItems"`
	MaxItems    *int64          `json:"maxItems"`
	Default     json.RawMessage `json:"default"`
	ReadOnly    bool            `json:"readOnly"`
	WriteOnly   bool            `json:"writeOnly"`
	Nullable    bool            `json:"nullable"`
	Required    []string        `json:"required"`
	Items       *rawSchema      `json:"items"`
	AllOf       []*rawSchema    `json:"allOf"`
	Properties  json.RawMessage `json:"properties"`
}

var (
	uniqueRe      = regexp.MustCompile(`(?i)must be unique|^the unique name`)
	conditionalRe = regexp.MustCompile(`(?i)only available when`)
	// condValuesRe is one condition line of Core/Field.inc to_openapi_property's description.
	condValuesRe = regexp.MustCompile("`([A-Za-z0-9_]+)` must be one of \\[ ([^\\]]*) \\]")
)

func compileSchema(name string, raw json.RawMessage) (*Schema, error) {
	var rs rawSchema
	if err := json.Unmarshal(raw, &rs); err != nil {
		return nil, err
	}
	props, err := compileProps(rs.Properties)
	if err != nil {
		return nil, err
	}
	return &Schema{Name: name, Props: props}, nil
}

// compileProps keeps the properties in document order: the API returns fields in that order.
func compileProps(raw json.RawMessage) ([]*Prop, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	names, err := jsonorder.Keys(raw)
	if err != nil {
		return nil, err
	}
	var m map[string]*rawSchema
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	props := make([]*Prop, 0, len(names))
	for _, n := range names {
		p, err := compileProp(n, m[n])
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", n, err)
		}
		props = append(props, p)
	}
	return props, nil
}

func compileProp(name string, rs *rawSchema) (*Prop, error) {
	p := &Prop{
		Name:      name,
		Type:      rs.Type,
		Enum:      rs.Enum,
		MinLength: rs.MinLength,
		MaxLength: rs.MaxLength,
		Minimum:   rs.Minimum,
		Maximum:   rs.Maximum,
		MinItems:  rs.MinItems,
		MaxItems:  rs.MaxItems,
		ReadOnly:  rs.ReadOnly,
		WriteOnly: rs.WriteOnly,
		Nullable:  rs.Nullable,
	}
	if len(rs.Default) > 0 {
		var d any
		if err := json.Unmarshal(rs.Default, &d); err != nil {
			return nil, fmt.Errorf("default: %w", err)
		}
		if d != nil {
			p.Default, p.HasDefault = d, true
		}
	}
	p.Unique = !rs.ReadOnly && uniqueRe.MatchString(strings.TrimSpace(rs.Description))
	p.Conditional = conditionalRe.MatchString(rs.Description)
	for _, m := range condValuesRe.FindAllStringSubmatch(rs.Description, -1) {
		var vals []any
		for _, v := range strings.Split(m[2], ",") {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if p.CondValues == nil {
			p.CondValues = map[string][]any{}
		}
		p.CondValues[m[1]] = vals
	}
	if rs.Items != nil {
		ref, req := refOf(rs.Items)
		if ref != "" {
			p.ItemModel, p.ItemRequired = ref, req
		} else {
			it, err := compileProp("", rs.Items)
			if err != nil {
				return nil, err
			}
			p.Items = it
		}
	}
	return p, nil
}

// refOf returns the schema a (possibly allOf-wrapped) reference points to and the required
// fields the wrapper adds.
func refOf(rs *rawSchema) (string, []string) {
	if rs.Ref != "" {
		return refName(rs.Ref), rs.Required
	}
	var ref string
	req := append([]string(nil), rs.Required...)
	for _, part := range rs.AllOf {
		if part.Ref != "" {
			ref = refName(part.Ref)
		}
		req = append(req, part.Required...)
	}
	return ref, req
}

func refName(ref string) string {
	return strings.TrimPrefix(ref, "#/components/schemas/")
}

var descLine = regexp.MustCompile(`\*\*([A-Za-z ]+?):?\*\*:?\s*(.*?)<br>`)

type rawOp struct {
	OperationID string `json:"operationId"`
	Description string `json:"description"`
	Parameters  []struct {
		Name string `json:"name"`
	} `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *rawSchema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]json.RawMessage `json:"responses"`
}

func compileOp(path, method string, raw json.RawMessage) (*Op, error) {
	var ro rawOp
	if err := json.Unmarshal(raw, &ro); err != nil {
		return nil, err
	}
	op := &Op{ID: ro.OperationID, Method: method, Path: path}
	for _, m := range descLine.FindAllStringSubmatch(ro.Description, -1) {
		key, val := strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
		switch key {
		case "Endpoint type":
			op.Plural = val == "Plural"
		case "Associated model":
			op.Model = val
		case "Parent model":
			if val != "None" {
				op.Parent = val
			}
		case "Supported authentication modes":
			op.Auth = bracketList(val)
		case "Required packages":
			op.Packages = bracketList(val)
		case "Applies immediately":
			op.Immediate = val
		}
	}
	if op.Model == "" {
		return nil, fmt.Errorf("description names no associated model")
	}
	for _, p := range ro.Parameters {
		op.Params = append(op.Params, p.Name)
	}
	if ro.RequestBody != nil {
		if ct, ok := ro.RequestBody.Content["application/json"]; ok && ct.Schema != nil {
			b, err := compileBody(ct.Schema)
			if err != nil {
				return nil, fmt.Errorf("request body: %w", err)
			}
			op.Body = b
		}
	}
	if r, ok := ro.Responses["200"]; ok {
		if err := op.readSuccess(r); err != nil {
			return nil, fmt.Errorf("200 response: %w", err)
		}
	}
	return op, nil
}

func bracketList(s string) []string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "[]"))
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f != "" && f != "None" {
			out = append(out, f)
		}
	}
	return out
}

func compileBody(rs *rawSchema) (*Body, error) {
	b := &Body{}
	if rs.Type == "array" && rs.Items != nil {
		b.List = true
		rs = rs.Items
	}
	parts := rs.AllOf
	if rs.Ref != "" {
		parts = []*rawSchema{rs}
	}
	for _, part := range parts {
		if part.Ref != "" {
			b.Model = refName(part.Ref)
			continue
		}
		b.Required = append(b.Required, part.Required...)
	}
	return b, nil
}

func (o *Op) readSuccess(raw json.RawMessage) error {
	var r struct {
		Content map[string]struct {
			Schema *rawSchema `json:"schema"`
		} `json:"content"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return err
	}
	ct, ok := r.Content["application/json"]
	if !ok || ct.Schema == nil {
		return nil
	}
	for _, part := range ct.Schema.AllOf {
		if len(part.Properties) == 0 {
			continue
		}
		var props map[string]*rawSchema
		if err := json.Unmarshal(part.Properties, &props); err != nil {
			return err
		}
		data, ok := props["data"]
		if !ok {
			continue
		}
		if data.Type == "array" && data.Items != nil {
			o.DataList = true
			data = data.Items
		}
		for _, dp := range data.AllOf {
			if len(dp.Properties) == 0 {
				continue
			}
			var ids map[string]*rawSchema
			if err := json.Unmarshal(dp.Properties, &ids); err != nil {
				return err
			}
			if id, ok := ids["id"]; ok {
				o.IDType = id.Type
			}
			if pid, ok := ids["parent_id"]; ok {
				o.ParentIDType = pid.Type
			}
		}
	}
	return nil
}
