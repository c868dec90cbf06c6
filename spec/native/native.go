// Package native reads the pfSense REST API's native schema: what a firewall serves at
// GET /api/v2/schema/native, produced by the package's own Schemas/NativeSchema.inc. It is
// ground truth the OpenAPI spec leaves out or flattens: which fields are sensitive or
// write-only, conditions, unique fields, foreign keys, id types, parent models, subsystems.
//
// The build exposes it as //spec:native (see spec/extensions.bzl); a build without one gets
// `{}`, which Parse turns into an empty Schema (Empty reports true) so that every consumer can
// fall back to the spec alone.
package native

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Schema is one REST API version's native schema.
type Schema struct {
	Version   string               // e.g. v2.7.1; "" for an empty schema.
	Endpoints map[string]*Endpoint // by URL, e.g. /api/v2/firewall/rule.
	Models    map[string]*Model    // by class, e.g. FirewallRule.
}

// Endpoint is one URL of the API.
type Endpoint struct {
	URL          string
	Class        string // e.g. FirewallRuleEndpoint.
	ModelClass   string // e.g. FirewallRule.
	Many         bool   // a plural endpoint.
	Methods      []string
	AuthMethods  []string // [] means the configured defaults.
	RequiresAuth bool
	Deprecated   bool
	Tag          string
	// Privileges per lower-case method (get, post, patch, put, delete).
	Privileges map[string][]string
}

// Model is one model class with its options and fields.
type Model struct {
	Class             string
	VerboseName       string
	VerboseNamePlural string
	IDType            string // "integer", "string", or "" (a singleton without ids).
	Many              bool
	ManyMinimum       int
	ManyMaximum       int
	Packages          []string // pfSense packages the model needs.
	ParentModel       string   // the parent model class for child models, else "".
	ParentIDType      string
	Subsystem         string // the apply subsystem changes mark pending, else "".
	AlwaysApply       bool
	UniqueTogether    []string
	Fields            []*Field // in the order the schema lists them.
	byName            map[string]*Field
}

// Field is one field of a model.
type Field struct {
	Name              string
	Class             string // the package's field class, e.g. StringField, InterfaceField.
	Type              string // string, boolean, integer, double, array.
	Required          bool
	Default           any // nil when the field has none.
	Choices           []any
	Unique            bool
	AllowEmpty        bool
	AllowNull         bool
	Editable          bool
	ReadOnly          bool
	WriteOnly         bool
	Sensitive         bool
	Many              bool
	ManyMinimum       int
	ManyMaximum       int
	Minimum           *float64
	Maximum           *float64
	MinimumLength     int
	MaximumLength     int
	InternalName      string
	InternalNamespace string
	ForeignModels     []string          // model classes a ForeignModelField refers to.
	ForeignField      string            // the field of the foreign model the value names.
	NestedModel       string            // the model class of a NestedModelField.
	ReferencedBy      map[string]string // model class -> field that refers to this field.
	// Conditions: the field exists only when every named field has the value (or one of the
	// values, for a list); empty when the field is unconditional.
	Conditions map[string]any
	HelpText   string
}

// Empty reports whether the schema holds nothing (the build was given none).
func (s *Schema) Empty() bool { return s == nil || len(s.Models) == 0 }

// Model returns the model with this class, or nil.
func (s *Schema) Model(class string) *Model {
	if s == nil {
		return nil
	}
	return s.Models[class]
}

// ModelAt returns the model behind an endpoint URL (e.g. /api/v2/firewall/rules), or nil.
func (s *Schema) ModelAt(url string) *Model {
	if s == nil {
		return nil
	}
	if e := s.Endpoints[url]; e != nil {
		return s.Models[e.ModelClass]
	}
	return nil
}

// ModelClasses returns every model class, sorted.
func (s *Schema) ModelClasses() []string {
	out := make([]string, 0, len(s.Models))
	for c := range s.Models {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Field returns the field with this name, or nil.
func (m *Model) Field(name string) *Field {
	if m == nil {
		return nil
	}
	return m.byName[name]
}

// SecretFields returns the names of the fields that are sensitive or write-only, in order.
func (m *Model) SecretFields() []string {
	var out []string
	for _, f := range m.Fields {
		if f.Secret() {
			out = append(out, f.Name)
		}
	}
	return out
}

// Secret reports whether the field holds a secret: the package hides sensitive fields unless
// asked (expose_sensitive_fields) and never returns write-only ones.
func (f *Field) Secret() bool { return f.Sensitive || f.WriteOnly }

// Conditional reports whether the field exists only under conditions.
func (f *Field) Conditional() bool { return len(f.Conditions) > 0 }

// Condition is one parsed entry of Field.Conditions. The package's Field class reads a key
// `name` as "field name has one of these values", `!name` as "has none of them", and
// `parent__name` as the field of the parent model (Core/Field.inc, are_conditions_met; values compare strictly, as PHP's ===).
type Condition struct {
	Field  string // the field the condition reads (without ! or parent__).
	Negate bool   // `!field`: the field must not have any of the values.
	Parent bool   // `parent__field`: the field is the parent model's.
	Values []any  // one of these (a single value becomes a one-element list).
}

// ParsedConditions returns the field's conditions, sorted by key.
func (f *Field) ParsedConditions() []Condition {
	keys := make([]string, 0, len(f.Conditions))
	for k := range f.Conditions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Condition, 0, len(keys))
	for _, k := range keys {
		c := Condition{Field: k}
		if rest, ok := strings.CutPrefix(c.Field, "!"); ok {
			c.Field, c.Negate = rest, true
		}
		if rest, ok := strings.CutPrefix(c.Field, "parent__"); ok {
			c.Field, c.Parent = rest, true
		}
		if list, ok := f.Conditions[k].([]any); ok {
			c.Values = list
		} else {
			c.Values = []any{f.Conditions[k]}
		}
		out = append(out, c)
	}
	return out
}

// Parse decodes a native schema. `{}` (what the build writes when it has none) gives an empty
// Schema and no error.
func Parse(data []byte) (*Schema, error) {
	var raw struct {
		Version   string                     `json:"version"`
		Endpoints map[string]json.RawMessage `json:"endpoints"`
		Models    json.RawMessage            `json:"models"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("native schema: %w", err)
	}
	s := &Schema{Version: raw.Version, Endpoints: map[string]*Endpoint{}, Models: map[string]*Model{}}
	for url, msg := range raw.Endpoints {
		e, err := parseEndpoint(msg)
		if err != nil {
			return nil, fmt.Errorf("native schema: endpoint %s: %w", url, err)
		}
		if e.URL == "" {
			e.URL = url
		}
		s.Endpoints[url] = e
	}
	if len(raw.Models) > 0 && !bytes.Equal(bytes.TrimSpace(raw.Models), []byte("[]")) {
		var models map[string]json.RawMessage
		if err := json.Unmarshal(raw.Models, &models); err != nil {
			return nil, fmt.Errorf("native schema: models: %w", err)
		}
		for class, msg := range models {
			m, err := parseModel(msg)
			if err != nil {
				return nil, fmt.Errorf("native schema: model %s: %w", class, err)
			}
			if m.Class == "" {
				m.Class = class
			}
			s.Models[class] = m
		}
	}
	if len(s.Models) > 0 && s.Version == "" {
		return nil, fmt.Errorf("native schema: no version")
	}
	return s, nil
}

func parseEndpoint(msg json.RawMessage) (*Endpoint, error) {
	var r struct {
		URL          string   `json:"url"`
		Class        string   `json:"class"`
		ModelClass   string   `json:"model_class"`
		Many         bool     `json:"many"`
		Methods      []string `json:"request_method_options"`
		AuthMethods  []string `json:"auth_methods"`
		RequiresAuth bool     `json:"requires_auth"`
		Deprecated   bool     `json:"deprecated"`
		Tag          string   `json:"tag"`
	}
	if err := json.Unmarshal(msg, &r); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(msg, &all); err != nil {
		return nil, err
	}
	e := &Endpoint{URL: r.URL, Class: r.Class, ModelClass: r.ModelClass, Many: r.Many, Methods: r.Methods,
		AuthMethods: r.AuthMethods, RequiresAuth: r.RequiresAuth, Deprecated: r.Deprecated, Tag: r.Tag,
		Privileges: map[string][]string{}}
	for k, v := range all {
		method, ok := strings.CutSuffix(k, "_privileges")
		if !ok {
			continue
		}
		var privs []string
		if err := json.Unmarshal(v, &privs); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		e.Privileges[method] = privs
	}
	return e, nil
}

func parseModel(msg json.RawMessage) (*Model, error) {
	var r struct {
		Class             string          `json:"class"`
		VerboseName       string          `json:"verbose_name"`
		VerboseNamePlural string          `json:"verbose_name_plural"`
		IDType            *string         `json:"id_type"`
		Many              bool            `json:"many"`
		ManyMinimum       int             `json:"many_minimum"`
		ManyMaximum       int             `json:"many_maximum"`
		Packages          []string        `json:"packages"`
		ParentModel       string          `json:"parent_model_class"`
		ParentIDType      *string         `json:"parent_id_type"`
		Subsystem         string          `json:"subsystem"`
		AlwaysApply       bool            `json:"always_apply"`
		UniqueTogether    []string        `json:"unique_together_fields"`
		Fields            json.RawMessage `json:"fields"`
	}
	if err := json.Unmarshal(msg, &r); err != nil {
		return nil, err
	}
	m := &Model{Class: r.Class, VerboseName: r.VerboseName, VerboseNamePlural: r.VerboseNamePlural,
		IDType: deref(r.IDType), Many: r.Many, ManyMinimum: r.ManyMinimum, ManyMaximum: r.ManyMaximum,
		Packages: r.Packages, ParentModel: r.ParentModel, ParentIDType: deref(r.ParentIDType),
		Subsystem: r.Subsystem, AlwaysApply: r.AlwaysApply, UniqueTogether: r.UniqueTogether,
		byName: map[string]*Field{}}
	names, values, err := orderedObject(r.Fields)
	if err != nil {
		return nil, fmt.Errorf("fields: %w", err)
	}
	for i, name := range names {
		f, err := parseField(values[i])
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		if f.Name == "" {
			f.Name = name
		}
		m.Fields = append(m.Fields, f)
		m.byName[f.Name] = f
	}
	return m, nil
}

func parseField(msg json.RawMessage) (*Field, error) {
	var r struct {
		Name              string          `json:"name"`
		Class             string          `json:"class"`
		Type              string          `json:"type"`
		Required          bool            `json:"required"`
		Default           any             `json:"default"`
		Choices           []any           `json:"choices"`
		Unique            bool            `json:"unique"`
		AllowEmpty        bool            `json:"allow_empty"`
		AllowNull         bool            `json:"allow_null"`
		Editable          bool            `json:"editable"`
		ReadOnly          bool            `json:"read_only"`
		WriteOnly         bool            `json:"write_only"`
		Sensitive         bool            `json:"sensitive"`
		Many              bool            `json:"many"`
		ManyMinimum       int             `json:"many_minimum"`
		ManyMaximum       int             `json:"many_maximum"`
		Minimum           *float64        `json:"minimum"`
		Maximum           *float64        `json:"maximum"`
		MinimumLength     int             `json:"minimum_length"`
		MaximumLength     int             `json:"maximum_length"`
		InternalName      string          `json:"internal_name"`
		InternalNamespace string          `json:"internal_namespace"`
		ForeignModels     json.RawMessage `json:"foreign_model_class"`
		ForeignField      *string         `json:"foreign_model_field"`
		NestedModel       *string         `json:"nested_model_class"`
		ReferencedBy      json.RawMessage `json:"referenced_by"`
		Conditions        json.RawMessage `json:"conditions"`
		HelpText          string          `json:"help_text"`
	}
	if err := json.Unmarshal(msg, &r); err != nil {
		return nil, err
	}
	f := &Field{Name: r.Name, Class: r.Class, Type: r.Type, Required: r.Required, Default: r.Default,
		Choices: r.Choices, Unique: r.Unique, AllowEmpty: r.AllowEmpty, AllowNull: r.AllowNull,
		Editable: r.Editable, ReadOnly: r.ReadOnly, WriteOnly: r.WriteOnly, Sensitive: r.Sensitive,
		Many: r.Many, ManyMinimum: r.ManyMinimum, ManyMaximum: r.ManyMaximum, Minimum: r.Minimum,
		Maximum: r.Maximum, MinimumLength: r.MinimumLength, MaximumLength: r.MaximumLength,
		InternalName: r.InternalName, InternalNamespace: r.InternalNamespace,
		ForeignField: deref(r.ForeignField), NestedModel: deref(r.NestedModel), HelpText: r.HelpText}
	// PHP encodes an empty associative array as [], a string or list otherwise: accept each.
	if err := decodeStrings(r.ForeignModels, &f.ForeignModels); err != nil {
		return nil, fmt.Errorf("foreign_model_class: %w", err)
	}
	if err := decodePHPMap(r.ReferencedBy, &f.ReferencedBy); err != nil {
		return nil, fmt.Errorf("referenced_by: %w", err)
	}
	if err := decodePHPMap(r.Conditions, &f.Conditions); err != nil {
		return nil, fmt.Errorf("conditions: %w", err)
	}
	return f, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// decodeStrings accepts null, a string or a list of strings.
func decodeStrings(msg json.RawMessage, out *[]string) error {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || bytes.Equal(msg, []byte("null")) {
		return nil
	}
	if msg[0] == '"' {
		var s string
		if err := json.Unmarshal(msg, &s); err != nil {
			return err
		}
		*out = []string{s}
		return nil
	}
	return json.Unmarshal(msg, out)
}

// decodePHPMap accepts null, [] (PHP's empty array) or an object.
func decodePHPMap[V any](msg json.RawMessage, out *map[string]V) error {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || bytes.Equal(msg, []byte("null")) || bytes.Equal(msg, []byte("[]")) {
		return nil
	}
	return json.Unmarshal(msg, out)
}

// orderedObject returns the keys and raw values of a JSON object in document order.
func orderedObject(msg json.RawMessage) ([]string, []json.RawMessage, error) {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || bytes.Equal(msg, []byte("null")) || bytes.Equal(msg, []byte("[]")) {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("want an object, got %v", tok)
	}
	var keys []string
	var vals []json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, nil, fmt.Errorf("want a key, got %v", tok)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", key, err)
		}
		keys = append(keys, key)
		vals = append(vals, v)
	}
	return keys, vals, nil
}
