// Package overlay is the reviewed table of what the pfSense REST API's OpenAPI spec leaves out
// or gets wrong, which the generator adds to the tools: the control parameters every endpoint
// reads but the spec never lists (placement, append, remove, reverse, async) with their real
// types and rules, corrections of wrong or cut field texts, and hints a caller needs and the
// spec does not say. It lives in overlay.json beside this file; every entry names the package
// source (file and method) it rests on, so a reviewer checks facts, not code.
package overlay

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

//go:embed overlay.json
var data []byte

// Overlay is the parsed table.
type Overlay struct {
	About    string      `json:"about"`
	Controls []Control   `json:"controls"`
	IDs      []IDText    `json:"ids"`
	Fields   []FieldText `json:"fields"`
	Hints    []Hint      `json:"hints"`
	Kept     []Kept      `json:"kept"`
	Filled   []Filled    `json:"filled"`
	// Summaries correct an operation's own text where the spec's is wrong.
	Summaries []Summary `json:"summaries"`
}

// Summary replaces the spec's text of a model's operation of one kind, but only while the
// spec still says Spec (the plain text of its description block): a spec that fixed or changed
// the text keeps its own.
type Summary struct {
	Model  string        `json:"model"`
	Kind   toolspec.Kind `json:"kind"`
	Spec   string        `json:"spec"`
	Text   string        `json:"text"`
	Source string        `json:"source"`
}

// SummaryText returns the corrected text of a model's operation whose spec text is spec.
func (o *Overlay) SummaryText(model string, kind toolspec.Kind, spec string) (string, bool) {
	if o == nil {
		return "", false
	}
	for _, s := range o.Summaries {
		if s.Model == model && s.Kind == kind && s.Spec == strings.TrimSpace(spec) {
			return s.Text, true
		}
	}
	return "", false
}

// Filled names a field the spec marks required that the REST API fills in itself when a
// request leaves it out (a UnixTimeField with auto_add_now takes the current time when the
// object is built, so check_field_required() finds a value): the tools do not require it.
type Filled struct {
	Model  string `json:"model"`
	Field  string `json:"field"`
	Source string `json:"source"`
}

// Kept names read-only fields of a model that its replace tool accepts back, so that the
// objects of a replaced list keep the identity others refer to (a rule's tracker, an IPsec
// phase 1's ikeid). The REST API keeps any value given (Model::replace_all builds each object
// with from_representation, which sets every field, read-only ones included); the spec marks
// them readOnly, so without this the tools could only send lists that renumber everything.
type Kept struct {
	Model string `json:"model"`
	// Fields maps each field to the text added to its description: what refers to the value.
	Fields map[string]string `json:"fields"`
	// Metadata are the fields among them that nothing refers to (when and by whom an object
	// was made): kept when sent, but a replace that leaves them out is not warned about.
	Metadata []string `json:"metadata,omitempty"`
	Source   string   `json:"source"`
}

// Control is a control parameter of the REST API framework (Core/Endpoint.inc), offered on the
// tools of the given kinds.
type Control struct {
	Name  string          `json:"name"`
	Kinds []toolspec.Kind `json:"kinds"`
	// Schema is the JSON Schema of the input property (without its description).
	Schema      map[string]any `json:"schema"`
	Description string         `json:"description"`
	// LogsOnly offers the control on log tools only.
	LogsOnly bool `json:"logs_only,omitempty"`
	// PendingOnly offers the control only where changes stay pending until an apply.
	PendingOnly bool `json:"pending_only,omitempty"`
	// Models restricts the control to these models, each with a note added to the description
	// ("" for none). Nil offers it on every model of the kinds.
	Models map[string]string `json:"models,omitempty"`
	// ModelsWithListFields restricts the control to models that have at least one list field.
	ModelsWithListFields bool   `json:"models_with_list_fields,omitempty"`
	Source               string `json:"source"`
}

// IDText says what the id of a model whose ids are names (not list positions) looks like, or,
// with Of, which list an action's id is a position in.
type IDText struct {
	Model string `json:"model"`
	Text  string `json:"text"`
	// Of names the model whose list positions the ids are, for a model keyed by position in
	// another's list (an action on one of its objects); empty for a model keyed by name.
	Of     string `json:"of,omitempty"`
	Source string `json:"source"`
}

// FieldText replaces the spec's description of a model's field.
type FieldText struct {
	Model  string `json:"model"`
	Field  string `json:"field"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// Hint adds a sentence a caller needs: to a field's description wherever the field is an input
// (Field set), or to the descriptions of the model's tools of the given kinds.
type Hint struct {
	Model  string          `json:"model"`
	Field  string          `json:"field,omitempty"`
	Kinds  []toolspec.Kind `json:"kinds,omitempty"`
	Text   string          `json:"text"`
	Fact   string          `json:"fact"`
	Source string          `json:"source"`
}

// Load returns the committed overlay, checked.
func Load() (*Overlay, error) { return Parse(data) }

// Parse decodes and checks an overlay: unknown keys, entries without a source (or a hint
// without its fact), controls without kinds or schema, and hints that target nothing are errors.
func Parse(b []byte) (*Overlay, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var o Overlay
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	var problems []string
	kinds := map[toolspec.Kind]bool{}
	for _, k := range []toolspec.Kind{toolspec.KindList, toolspec.KindGet, toolspec.KindCreate, toolspec.KindUpdate, toolspec.KindReplace,
		toolspec.KindDelete, toolspec.KindApply, toolspec.KindApplyStatus, toolspec.KindSettings, toolspec.KindAction, toolspec.KindStatus} {
		kinds[k] = true
	}
	checkKinds := func(what string, ks []toolspec.Kind) {
		for _, k := range ks {
			if !kinds[k] {
				problems = append(problems, fmt.Sprintf("%s: unknown kind %q", what, k))
			}
		}
	}
	// A control may have entries for different kinds of tools (apply on creates and updates,
	// and on the certificate renewals), never two for one kind.
	seen := map[string]map[toolspec.Kind]bool{}
	for _, c := range o.Controls {
		what := "control " + c.Name
		twice := false
		if seen[c.Name] == nil {
			seen[c.Name] = map[toolspec.Kind]bool{}
		}
		for _, k := range c.Kinds {
			twice = twice || seen[c.Name][k]
			seen[c.Name][k] = true
		}
		switch {
		case c.Name == "":
			problems = append(problems, "a control has no name")
		case twice:
			problems = append(problems, what+": listed twice")
		case len(c.Kinds) == 0 || c.Schema == nil || c.Description == "" || c.Source == "":
			problems = append(problems, what+": needs kinds, schema, description and source")
		}
		checkKinds(what, c.Kinds)
	}
	for _, i := range o.IDs {
		if i.Model == "" || i.Text == "" || i.Source == "" {
			problems = append(problems, fmt.Sprintf("id text %s: needs model, text and source", i.Model))
		}
	}
	for _, f := range o.Fields {
		if f.Model == "" || f.Field == "" || f.Text == "" || f.Source == "" {
			problems = append(problems, fmt.Sprintf("field text %s.%s: needs model, field, text and source", f.Model, f.Field))
		}
	}
	for _, h := range o.Hints {
		what := fmt.Sprintf("hint %s.%s", h.Model, h.Field)
		switch {
		case h.Model == "" || h.Text == "" || h.Fact == "" || h.Source == "":
			problems = append(problems, what+": needs model, text, fact and source")
		case (h.Field == "") == (len(h.Kinds) == 0):
			problems = append(problems, what+": give either a field or kinds")
		}
		checkKinds(what, h.Kinds)
	}
	for _, sm := range o.Summaries {
		if sm.Model == "" || sm.Kind == "" || sm.Spec == "" || sm.Text == "" || sm.Source == "" {
			problems = append(problems, fmt.Sprintf("summary of %s %s: needs model, kind, spec, text and source", sm.Model, sm.Kind))
		}
		checkKinds("summary of "+sm.Model, []toolspec.Kind{sm.Kind})
	}
	for _, f := range o.Filled {
		if f.Model == "" || f.Field == "" || f.Source == "" {
			problems = append(problems, fmt.Sprintf("filled field %s.%s: needs model, field and source", f.Model, f.Field))
		}
	}
	for _, k := range o.Kept {
		if k.Model == "" || len(k.Fields) == 0 || k.Source == "" {
			problems = append(problems, fmt.Sprintf("kept fields of %s: need model, fields and source", k.Model))
		}
		for f, t := range k.Fields {
			if f == "" || t == "" {
				problems = append(problems, fmt.Sprintf("kept field %s.%s: needs a name and a text", k.Model, f))
			}
		}
		for _, f := range k.Metadata {
			if _, ok := k.Fields[f]; !ok {
				problems = append(problems, fmt.Sprintf("kept metadata %s.%s: not one of its fields", k.Model, f))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("overlay:\n  %s", strings.Join(problems, "\n  "))
	}
	return &o, nil
}

// Tool is what decides which controls a tool offers.
type Tool struct {
	Kind          toolspec.Kind
	Model         string
	HasListFields bool // the model has list fields.
	Log           bool // the tool reads a log.
	Pending       bool // its changes stay pending until the subsystem is applied.
}

// ControlsFor returns the controls offered on a tool, with the description to show (the
// model's note appended).
func (o *Overlay) ControlsFor(t Tool) []Applied {
	if o == nil {
		return nil
	}
	var out []Applied
	for _, c := range o.Controls {
		if !hasKind(c.Kinds, t.Kind) || (c.ModelsWithListFields && !t.HasListFields) || (c.LogsOnly && !t.Log) || (c.PendingOnly && !t.Pending) {
			continue
		}
		note := ""
		if c.Models != nil {
			n, ok := c.Models[t.Model]
			if !ok {
				continue
			}
			note = n
		}
		desc := c.Description
		if note != "" {
			desc += " " + note
		}
		out = append(out, Applied{Name: c.Name, Schema: c.Schema, Description: desc})
	}
	return out
}

// Applied is a control as one tool offers it.
type Applied struct {
	Name        string
	Schema      map[string]any
	Description string
}

// IDText returns what a model's named ids look like, if the overlay says.
func (o *Overlay) IDText(model string) (string, bool) {
	if o == nil {
		return "", false
	}
	for _, i := range o.IDs {
		if i.Model == model {
			return i.Text, true
		}
	}
	return "", false
}

// FieldText returns the corrected description of a model's field, if the overlay has one.
func (o *Overlay) FieldText(model, field string) (string, bool) {
	if o == nil {
		return "", false
	}
	for _, f := range o.Fields {
		if f.Model == model && f.Field == field {
			return f.Text, true
		}
	}
	return "", false
}

// FieldHints returns the hints for a model's field.
func (o *Overlay) FieldHints(model, field string) []string {
	if o == nil {
		return nil
	}
	var out []string
	for _, h := range o.Hints {
		if h.Model == model && h.Field == field {
			out = append(out, h.Text)
		}
	}
	return out
}

// IsFilled reports whether the REST API fills in model's field when a request leaves it out.
func (o *Overlay) IsFilled(model, field string) bool {
	if o == nil {
		return false
	}
	for _, f := range o.Filled {
		if f.Model == model && f.Field == field {
			return true
		}
	}
	return false
}

// KeptFields returns the read-only fields of model that its replace tool accepts back, each
// with the text to add to its description, and which of them are metadata.
func (o *Overlay) KeptFields(model string) (fields map[string]string, metadata map[string]bool) {
	if o == nil {
		return nil, nil
	}
	for _, k := range o.Kept {
		if k.Model == model {
			metadata = map[string]bool{}
			for _, f := range k.Metadata {
				metadata[f] = true
			}
			return k.Fields, metadata
		}
	}
	return nil, nil
}

// ToolHints returns the hints for the model's tools of this kind.
func (o *Overlay) ToolHints(model string, kind toolspec.Kind) []string {
	if o == nil {
		return nil
	}
	var out []string
	for _, h := range o.Hints {
		if h.Model == model && h.Field == "" && hasKind(h.Kinds, kind) {
			out = append(out, h.Text)
		}
	}
	return out
}

func hasKind(ks []toolspec.Kind, k toolspec.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}
