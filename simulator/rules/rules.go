// Package rules is the simulator's committed, reviewable table of the REST API's model rules
// that the native schema leaves out: the validators of each field with their arguments, the
// options of the package's field classes (which address forms a FilterAddressField takes, whether
// a PortField takes ranges, ...), choices and default callables, sort order, protected objects and
// the names of the hand-written validate methods.
//
// One file per REST API version (v2.7.1.txt, v2.10.0.txt), distilled from the package's
// behaviour dump by Distill. A line is `subject<TAB>kind<TAB>JSON`:
//
//	FirewallAlias	model	{"auto_create_id":true,"custom":["validate_address","validate_detail"],...}
//	FirewallAlias.name	FilterNameValidator	{}
//	FirewallAlias.name	LengthValidator	{"maximum":31,"minimum":0}
//
// Regenerate the file of the build's REST API version with
//
//	tools/bazel run //simulator:update_rules
//
// (or `go run ./simulator/cmd/simrules --behaviour behaviour-<version>.json --out simulator/rules/<version>.txt`);
// the staleness test fails when the committed file differs from the build's behaviour dump.
package rules

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

//go:embed *.txt *.order
var files embed.FS

// FieldOrder returns the declaration order of each model's fields in a REST API version
// (simulator/rules/<version>.order, written by simulator/cmd/simorder from the package's
// source), or nil when none is committed: the order Core/Model.inc validates and answers in.
func FieldOrder(version string) map[string][]string {
	b, err := files.ReadFile(version + ".order")
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		model, fields, ok := strings.Cut(line, "\t")
		if ok {
			out[model] = strings.Fields(fields)
		}
	}
	return out
}

// Table is the rules of one REST API version.
type Table struct {
	Version string
	Models  map[string]*Model
}

// Model is what the table knows about one model class.
type Model struct {
	Name string `json:"-"`
	// AutoCreateID: POST assigns the id (Model::$auto_create_id); otherwise the client gives it.
	AutoCreateID bool `json:"auto_create_id"`
	// UpdateStrategy is merge (PATCH overlays) or replace (Model::$update_strategy).
	UpdateStrategy string `json:"update_strategy,omitempty"`
	// SortBy, SortOrder and SortFlags: objects are kept sorted on every write (Model::sort).
	SortBy    []string `json:"sort_by,omitempty"`
	SortOrder string   `json:"sort_order,omitempty"`
	SortFlags string   `json:"sort_flags,omitempty"`
	// Protected is the query of objects that cannot be deleted and survive a PUT
	// (Model::$protected_model_query).
	Protected map[string]any `json:"protected,omitempty"`
	// Custom lists the model's own validate_* / validate_extra methods; Overrides the core
	// methods it overrides (_create, apply, ...). Only the package's PHP knows what they do.
	Custom    []string `json:"custom,omitempty"`
	Overrides []string `json:"overrides,omitempty"`

	Fields map[string]*Field `json:"-"`
}

// Field is what the table knows about one field.
type Field struct {
	// Class is the package's field class (StringField, PortField, FilterAddressField, ...).
	Class string `json:"class"`
	// Options are the class's own constructor options (allow_alias, allow_range, ...).
	Options         map[string]any `json:"options,omitempty"`
	ChoicesCallable string         `json:"choices_callable,omitempty"`
	DefaultCallable string         `json:"default_callable,omitempty"`
	Validators      []Validator    `json:"-"`
}

// Validator is one validator object of a field: its class and constructor arguments.
type Validator struct {
	Class string
	Args  map[string]any
}

// Field returns the rules of model.field, or nil.
func (t *Table) Field(model, field string) *Field {
	if t == nil {
		return nil
	}
	if m := t.Models[model]; m != nil {
		return m.Fields[field]
	}
	return nil
}

// Versions lists the REST API versions with a committed table.
func Versions() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".txt"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Committed returns the committed table file of a REST API version (nil when there is none).
func Committed(version string) []byte {
	b, err := files.ReadFile(version + ".txt")
	if err != nil {
		return nil
	}
	return b
}

// For returns the committed table of a REST API version, or an empty table when there is
// none (the simulator then validates with what the native schema and spec say). A version's
// table is parsed once and shared: callers must not change it.
func For(version string) (*Table, error) {
	forMu.Lock()
	defer forMu.Unlock()
	if t, ok := forCache[version]; ok {
		return t, nil
	}
	b := Committed(version)
	if b == nil {
		t := &Table{Version: version, Models: map[string]*Model{}}
		forCache[version] = t
		return t, nil
	}
	t, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("rules %s: %w", version, err)
	}
	forCache[version] = t
	return t, nil
}

var (
	forMu    sync.Mutex
	forCache = map[string]*Table{}
)

// Parse reads a table file.
func Parse(b []byte) (*Table, error) {
	t := &Table{Models: map[string]*Model{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	n := 0
	model := func(name string) *Model {
		m := t.Models[name]
		if m == nil {
			m = &Model{Name: name, AutoCreateID: true, Fields: map[string]*Field{}}
			t.Models[name] = m
		}
		return m
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# version: "); ok {
			t.Version = strings.TrimSpace(v)
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("line %d: want subject, kind and JSON separated by tabs", n)
		}
		subject, kind, raw := parts[0], parts[1], parts[2]
		mname, fname, isField := strings.Cut(subject, ".")
		m := model(mname)
		switch {
		case kind == "model" && !isField:
			if err := json.Unmarshal([]byte(raw), m); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
		case !isField:
			return nil, fmt.Errorf("line %d: %s is a field fact but %s names no field", n, kind, subject)
		case kind == "field":
			f := m.Fields[fname]
			if f == nil {
				f = &Field{}
				m.Fields[fname] = f
			}
			if err := json.Unmarshal([]byte(raw), f); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
		case strings.HasSuffix(kind, "Validator"):
			f := m.Fields[fname]
			if f == nil {
				f = &Field{}
				m.Fields[fname] = f
			}
			v := Validator{Class: kind, Args: map[string]any{}}
			dec := json.NewDecoder(strings.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&v.Args); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			f.Validators = append(f.Validators, v)
		default:
			return nil, fmt.Errorf("line %d: unknown kind %q", n, kind)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return t, nil
}
