// Package testvalues holds the values the bank tester uses to generate tasks and plans
// (values.json, checked in): per model the object to create, the field to update and the
// field to filter bulk deletes on; per settings model the patch to apply (and restore); per
// tool the arguments, the setup steps that produce what they need, and the expected answer.
// Where the file says nothing, the generator falls back to internal/argsample. Values are
// meant to be valid on a real pfSense too (documentation addresses such as 192.0.2.0/24).
package testvalues

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

//go:embed values.json
var embedded []byte

// Values is the whole file.
type Values struct {
	Comment  string                  `json:"_comment,omitempty"`
	Models   map[string]*Model       `json:"models"`
	Settings map[string]*Settings    `json:"settings"`
	Tools    map[string]*ToolValues  `json:"tools"`
	Parents  map[string]*ParentValue `json:"parents,omitempty"`
}

// Model says how to create, update and bulk-delete objects of one model.
type Model struct {
	Note string `json:"note,omitempty"`
	// Create is merged over a schema-valid sample of the create tool's required arguments.
	Create map[string]any `json:"create,omitempty"`
	// Update is the change the update step makes (default: a description or another field).
	Update map[string]any `json:"update,omitempty"`
	// FilterField is the string field bulk deletes filter on (its created values start with
	// bt_); default descr, then name.
	FilterField string `json:"filter_field,omitempty"`
	// Bulk are merged over the two objects the bulk-delete task creates, and BulkQuery is the
	// filter that deletes exactly them (default: FilterField__startswith=bt_bulk_).
	Bulk      []map[string]any `json:"bulk,omitempty"`
	BulkQuery map[string]any   `json:"bulk_query,omitempty"`
	// Setup steps run before the first create (e.g. read a certificate's refid); the create
	// values may reference them.
	Setup []plan.Step `json:"setup,omitempty"`
}

// Settings says how to patch a settings model; the plan restores the patched fields from
// what it read before.
type Settings struct {
	Note string `json:"note,omitempty"`
	// Patch may use ${current.field}: the value the settings had when read.
	Patch map[string]any `json:"patch"`
	// NoRestore: the patch is not undone (for example reinstalling the current version).
	NoRestore bool `json:"no_restore,omitempty"`
}

// ToolValues are the arguments of one tool called on its own (actions, reads of system
// state, deletes of objects the tester does not create).
type ToolValues struct {
	Note   string         `json:"note,omitempty"`
	Args   map[string]any `json:"args,omitempty"`
	Setup  []plan.Step    `json:"setup,omitempty"`
	Expect *plan.Expect   `json:"expect,omitempty"`
}

// ParentValue gives the parent_id of a child model whose parent the tester does not create
// (e.g. the DHCP server of lan).
type ParentValue struct {
	ParentID any `json:"parent_id"`
}

// Default returns the checked-in values.
func Default() (*Values, error) { return Parse(embedded) }

// Parse decodes a values file.
func Parse(data []byte) (*Values, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var v Values
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("test values: %w", err)
	}
	if v.Models == nil {
		v.Models = map[string]*Model{}
	}
	if v.Settings == nil {
		v.Settings = map[string]*Settings{}
	}
	if v.Tools == nil {
		v.Tools = map[string]*ToolValues{}
	}
	if v.Parents == nil {
		v.Parents = map[string]*ParentValue{}
	}
	return &v, nil
}

// Check fails when the values name a model or tool the table does not have, so a renamed
// tool cannot silently fall back to sampled arguments.
func (v *Values) Check(tools []toolspec.Tool) error {
	models, names := map[string]bool{}, map[string]bool{}
	for i := range tools {
		models[tools[i].Model] = true
		names[tools[i].Name] = true
	}
	var bad []string
	for _, group := range []map[string]bool{keys(v.Models), keys(v.Settings), keys(v.Parents)} {
		for m := range group {
			if !models[m] {
				bad = append(bad, "model "+m)
			}
		}
	}
	for name := range v.Tools {
		if !names[name] {
			bad = append(bad, "tool "+name)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		return fmt.Errorf("test values name what the tool table does not have: %v", bad)
	}
	return nil
}

func keys[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}
