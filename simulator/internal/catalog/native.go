package catalog

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// ModelInfo is what the REST API package says about a model: from its native schema
// (Schemas/NativeSchema.inc) and, where that is silent, from the committed rules table
// (simulator/rules). A schema without it is simulated from the spec alone.
type ModelInfo struct {
	IDType         string         `json:"id_type,omitempty"` // integer, string, or "" (no ids)
	Many           bool           `json:"many,omitempty"`
	ManyMinimum    int            `json:"many_min,omitempty"`
	ManyMaximum    int            `json:"many_max,omitempty"`
	Packages       []string       `json:"packages,omitempty"`
	Parent         string         `json:"parent,omitempty"`
	ParentIDType   string         `json:"parent_id_type,omitempty"`
	Subsystem      string         `json:"subsystem,omitempty"`
	AlwaysApply    bool           `json:"always_apply,omitempty"`
	UniqueTogether []string       `json:"unique_together,omitempty"`
	VerboseName    string         `json:"verbose,omitempty"`
	VerbosePlural  string         `json:"verbose_plural,omitempty"`
	NoAutoID       bool           `json:"no_auto_id,omitempty"` // Model::$auto_create_id is false
	SortBy         []string       `json:"sort_by,omitempty"`
	SortOrder      string         `json:"sort_order,omitempty"`
	SortFlags      string         `json:"sort_flags,omitempty"`
	Protected      map[string]any `json:"protected,omitempty"`
	Custom         []string       `json:"custom,omitempty"`
	// Overrides are the Model methods the model overrides (apply, pre_validate_update, ...).
	Overrides []string `json:"overrides,omitempty"`
}

// FieldInfo is what the package says about one field (Core/Field.inc and the field classes).
type FieldInfo struct {
	Class           string            `json:"c"`
	Type            string            `json:"t"` // PHP gettype(): string, integer, double, boolean, array
	Required        bool              `json:"r,omitempty"`
	AllowEmpty      bool              `json:"ae,omitempty"`
	AllowNull       bool              `json:"an,omitempty"`
	NotEditable     bool              `json:"ne,omitempty"`
	ReadOnly        bool              `json:"ro,omitempty"`
	WriteOnly       bool              `json:"wo,omitempty"`
	Sensitive       bool              `json:"s,omitempty"`
	Unique          bool              `json:"u,omitempty"`
	Many            bool              `json:"m,omitempty"`
	ManyMinimum     int               `json:"mn,omitempty"`
	ManyMaximum     int               `json:"mx,omitempty"`
	Default         any               `json:"d,omitempty"`
	HasDefault      bool              `json:"hd,omitempty"`
	DefaultCallable string            `json:"dc,omitempty"`
	Choices         []any             `json:"ch,omitempty"`
	ChoicesCallable string            `json:"cc,omitempty"`
	Conditions      []Condition       `json:"co,omitempty"`
	Foreign         []string          `json:"fm,omitempty"`
	ForeignField    string            `json:"ff,omitempty"`
	Nested          string            `json:"n,omitempty"`
	ReferencedBy    map[string]string `json:"rb,omitempty"`
	Validators      []Validator       `json:"-"`
	Options         map[string]any    `json:"-"`
	// VRefs and ORef index the catalog's shared tables (Catalog.ValidatorTable, OptionTable;
	// ORef is 1-based): most fields share a few validators, and decoding them once keeps
	// start-up fast.
	VRefs       []int  `json:"v,omitempty"`
	ORef        int    `json:"o,omitempty"`
	VerboseName string `json:"-"`
}

// Condition is one entry of a field's conditions (Core/Field.inc are_conditions_met): the
// field exists only when Field has Value (strictly, ===) or, for a list, one of Values (loosely,
// in_array); Negate inverts; Parent reads the parent model's field.
type Condition struct {
	Field  string `json:"f"`
	Negate bool   `json:"n,omitempty"`
	Parent bool   `json:"p,omitempty"`
	List   bool   `json:"l,omitempty"`
	Values []any  `json:"v"`
}

// Validator is one validator object of a field (Validators/*.inc) with its arguments.
type Validator struct {
	Class string         `json:"class"`
	Args  map[string]any `json:"args,omitempty"`
}

// Opt returns a boolean option of the field's class.
func (f *FieldInfo) Opt(name string) bool {
	b, _ := f.Options[name].(bool)
	return b
}

// OptList returns a list option of the field's class.
func (f *FieldInfo) OptList(name string) []any {
	l, _ := f.Options[name].([]any)
	return l
}

// OptMap returns a map option (a query) of the field's class.
func (f *FieldInfo) OptMap(name string) map[string]any {
	m, _ := f.Options[name].(map[string]any)
	return m
}

// Build compiles a spec and, when nativeJSON holds a native schema of the same REST API
// version, merges in the package's own model and field rules (native schema plus the
// committed rules table of that version). nativeJSON may be nil or `{}`.
func Build(spec, nativeJSON []byte) (*Catalog, error) {
	c, err := compile(spec)
	if err != nil {
		return nil, err
	}
	if len(nativeJSON) > 0 {
		nat, err := native.Parse(nativeJSON)
		if err != nil {
			return nil, err
		}
		if !nat.Empty() {
			if nat.Version != c.APIVersion {
				return nil, fmt.Errorf("the native schema is of REST API %s but the spec is %s", nat.Version, c.APIVersion)
			}
			tab, err := rules.For(c.APIVersion)
			if err != nil {
				return nil, err
			}
			if err := c.merge(nat, tab); err != nil {
				return nil, err
			}
		}
	}
	b, err := c.Encode()
	if err != nil {
		return nil, err
	}
	return Decode(b)
}

func (c *Catalog) merge(nat *native.Schema, tab *rules.Table) error {
	c.Native = true
	order := rules.FieldOrder(c.APIVersion)
	for name, s := range c.Schemas {
		m := nat.Model(name)
		if m == nil {
			continue
		}
		if o := order[name]; o != nil {
			declarationOrder(s, o)
		}
		rm := tab.Models[name]
		info := &ModelInfo{IDType: m.IDType, Many: m.Many, ManyMinimum: m.ManyMinimum, ManyMaximum: m.ManyMaximum,
			Packages: m.Packages, Parent: m.ParentModel, ParentIDType: m.ParentIDType, Subsystem: m.Subsystem,
			AlwaysApply: m.AlwaysApply, UniqueTogether: m.UniqueTogether, VerboseName: m.VerboseName,
			VerbosePlural: m.VerboseNamePlural}
		if rm != nil {
			info.NoAutoID = !rm.AutoCreateID
			info.SortBy, info.SortOrder, info.SortFlags = rm.SortBy, rm.SortOrder, rm.SortFlags
			info.Protected = normalizeMap(rm.Protected)
			info.Custom = rm.Custom
			info.Overrides = rm.Overrides
		}
		s.Info = info
		for _, p := range s.Props {
			nf := m.Field(p.Name)
			if nf == nil {
				continue
			}
			fi := fieldInfo(nf)
			if rm != nil {
				if rf := rm.Fields[p.Name]; rf != nil {
					fi.Options = normalizeMap(rf.Options)
					fi.ChoicesCallable, fi.DefaultCallable = rf.ChoicesCallable, rf.DefaultCallable
					for _, v := range rf.Validators {
						fi.Validators = append(fi.Validators, Validator{Class: v.Class, Args: normalizeMap(v.Args)})
					}
				}
			}
			tableFallbacks(name, p, fi)
			p.F = fi
		}
	}
	for _, op := range c.Ops {
		e := nat.Endpoints[op.Path]
		if e == nil {
			continue
		}
		op.Privileges = e.Privileges[strings.ToLower(op.Method)]
		op.AuthMethods = e.AuthMethods
		if len(op.AuthMethods) == 0 {
			op.AuthMethods = nil
		}
	}
	return nil
}

// tableFallbacks fills what the package computes from pfSense's own tables, which its schema
// dump leaves empty outside a firewall (the IPsec algorithm, hash, DH group and mode lists, and
// the key-length conditions built from them; ../shared/pfrest/README.md): from pfSense's tables
// (rules.TableChoices, rules.IPsecKeylenAlgorithms), else from the spec when it has them (one a
// firewall served does): its enum for choices, its stated condition values.
func tableFallbacks(model string, p *Prop, fi *FieldInfo) {
	if len(fi.Choices) == 0 && fi.ChoicesCallable == "" {
		fi.Choices = rules.TableChoices(model, p.Name)
	}
	if len(fi.Choices) == 0 && fi.ChoicesCallable == "" {
		enum := p.Enum
		if fi.Many && p.Items != nil {
			enum = p.Items.Enum
		}
		for _, v := range enum {
			if v != nil {
				fi.Choices = append(fi.Choices, v)
			}
		}
	}
	algo, keylen := rules.IPsecKeylenField(model, p.Name)
	for i, c := range fi.Conditions {
		if !c.List || len(c.Values) > 0 {
			continue
		}
		switch {
		case keylen && c.Field == algo:
			fi.Conditions[i].Values = rules.IPsecKeylenAlgorithms()
		case len(p.CondValues[c.Field]) > 0:
			fi.Conditions[i].Values = p.CondValues[c.Field]
		}
	}
}

func fieldInfo(f *native.Field) *FieldInfo {
	fi := &FieldInfo{Class: f.Class, Type: f.Type, Required: f.Required, AllowEmpty: f.AllowEmpty,
		AllowNull: f.AllowNull, NotEditable: !f.Editable, ReadOnly: f.ReadOnly, WriteOnly: f.WriteOnly,
		Sensitive: f.Sensitive, Unique: f.Unique, Many: f.Many, ManyMinimum: f.ManyMinimum,
		ManyMaximum: f.ManyMaximum, Foreign: f.ForeignModels, ForeignField: f.ForeignField,
		Nested: f.NestedModel, ReferencedBy: f.ReferencedBy}
	// Core/Field.inc::__construct: read-only fields allow null.
	if fi.ReadOnly {
		fi.AllowNull = true
	}
	if f.Default != nil {
		fi.Default, fi.HasDefault = phpValue(f.Type, f.Default), true
	}
	for _, ch := range f.Choices {
		fi.Choices = append(fi.Choices, phpValue(f.Type, ch))
	}
	keys := make([]string, 0, len(f.Conditions))
	for k := range f.Conditions {
		keys = append(keys, k)
	}
	// PHP iterates conditions in declaration order; the first unmet one decides, and the
	// result (met or not) is the same in any order.
	sort.Strings(keys)
	for _, k := range keys {
		cond := Condition{Field: k}
		if rest, ok := strings.CutPrefix(cond.Field, "!"); ok {
			cond.Field, cond.Negate = rest, true
		}
		if rest, ok := strings.CutPrefix(cond.Field, "parent__"); ok {
			cond.Field, cond.Parent = rest, true
		}
		switch v := f.Conditions[k].(type) {
		case []any:
			cond.List = true
			for _, x := range v {
				cond.Values = append(cond.Values, phpValue("", x))
			}
		default:
			cond.Values = []any{phpValue("", v)}
		}
		fi.Conditions = append(fi.Conditions, cond)
	}
	return fi
}

// phpValue turns a JSON-decoded value into the PHP type it had: whole numbers of
// integer fields (and untyped whole numbers) are integers, numbers of double fields floats.
func phpValue(typ string, v any) any {
	switch x := v.(type) {
	case float64:
		if typ != "double" && x == math.Trunc(x) {
			if math.Abs(x) < 1<<62 {
				return int64(x)
			}
			// PHP_INT_MAX (9223372036854775807) does not survive a float64: it is what is meant.
			if x >= math.MaxInt64 {
				return int64(math.MaxInt64)
			}
		}
		return x
	case json.Number:
		if i, err := x.Int64(); err == nil && typ != "double" {
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = phpValue(typ, x[i])
		}
		return out
	case map[string]any:
		return normalizeMap(x)
	}
	return v
}

func normalizeMap(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = phpValue("", v)
	}
	return out
}

// declarationOrder puts a model's properties in the order its class declares its fields (the
// order the package validates and answers in); properties the class does not declare keep
// their place after them. v2.7.1's spec is in that order already; v2.10.0's is alphabetical.
func declarationOrder(s *Schema, order []string) {
	pos := make(map[string]int, len(order))
	for i, f := range order {
		pos[f] = i
	}
	sort.SliceStable(s.Props, func(i, j int) bool {
		pi, iok := pos[s.Props[i].Name]
		pj, jok := pos[s.Props[j].Name]
		switch {
		case iok && jok:
			return pi < pj
		default:
			return iok && !jok
		}
	})
}
