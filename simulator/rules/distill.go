package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// fieldBase are the properties every field has; the native schema carries them already.
// What remains of a field's properties are its class's own options.
var fieldBase = map[string]bool{
	"allow_empty": true, "allow_null": true, "choices": true, "choices_callable": true, "conditions": true,
	"default": true, "default_callable": true, "delimiter": true, "editable": true, "help_text": true,
	"internal_name": true, "internal_namespace": true, "many": true, "many_maximum": true, "many_minimum": true,
	"name": true, "read_only": true, "referenced_by": true, "representation_only": true, "required": true,
	"sensitive": true, "type": true, "unique": true, "verbose_choices": true, "verbose_name": true,
	"verbose_name_plural": true, "write_only": true,
	// In the native schema too, or only about the internal (config.xml) form.
	"maximum_length": true, "minimum_length": true, "maximum": true, "minimum": true, "model_name": true,
	"model_field": true, "models": true, "model": true, "model_class": true, "represented_as": true,
	"indicates_true": true, "indicates_false": true, "internal_range_char": true, "internal_value_key": true,
}

// phpSortConstants names PHP's sort constants (values as PHP defines them).
var phpSortConstants = map[int]string{3: "SORT_DESC", 4: "SORT_ASC"}

var phpSortFlags = map[int]string{0: "SORT_REGULAR", 1: "SORT_NUMERIC", 2: "SORT_STRING", 5: "SORT_LOCALE_STRING", 6: "SORT_NATURAL", 8: "SORT_FLAG_CASE"}

// Distill turns a behaviour dump (behaviour-<version>.json) into the table file's text.
func Distill(dump []byte, version string) ([]byte, error) {
	var raw struct {
		Models map[string]struct {
			AutoCreateID   bool            `json:"auto_create_id"`
			UpdateStrategy string          `json:"update_strategy"`
			SortBy         json.RawMessage `json:"sort_by"`
			SortOrder      any             `json:"sort_order"`
			SortFlags      any             `json:"sort_flags"`
			Protected      json.RawMessage `json:"protected_model_query"`
			Custom         []struct {
				Name string `json:"name"`
			} `json:"custom_validate_methods"`
			Overrides []struct {
				Name string `json:"name"`
			} `json:"overridden_model_methods"`
			Fields map[string]struct {
				Class      string         `json:"class"`
				Properties map[string]any `json:"properties"`
				Validators []struct {
					Class      string          `json:"class"`
					Properties json.RawMessage `json:"properties"`
				} `json:"validators"`
			} `json:"fields"`
		} `json:"models"`
	}
	dec := json.NewDecoder(bytes.NewReader(dump))
	dec.UseNumber() // PHP_INT_MAX and friends must survive exactly
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("behaviour dump: %w", err)
	}
	if len(raw.Models) == 0 {
		return nil, fmt.Errorf("behaviour dump has no models")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# REST API model rules the native schema leaves out, distilled from the package's behaviour dump.\n")
	fmt.Fprintf(&b, "# Do not edit: regenerate with `tools/bazel run //simulator:update_rules` (see simulator/rules/rules.go).\n")
	fmt.Fprintf(&b, "# Columns: subject (Model or Model.field), kind (model, field or a validator class), JSON arguments.\n")
	fmt.Fprintf(&b, "# version: %s\n", version)
	names := make([]string, 0, len(raw.Models))
	for n := range raw.Models {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		rm := raw.Models[name]
		m := Model{AutoCreateID: rm.AutoCreateID, UpdateStrategy: rm.UpdateStrategy}
		if m.UpdateStrategy == "merge" {
			m.UpdateStrategy = ""
		}
		if err := decodeLoose(rm.SortBy, &m.SortBy); err != nil {
			return nil, fmt.Errorf("%s sort_by: %w", name, err)
		}
		if len(m.SortBy) > 0 {
			m.SortOrder = sortName(rm.SortOrder, phpSortConstants)
			m.SortFlags = sortName(rm.SortFlags, phpSortFlags)
		}
		if err := decodeLoose(rm.Protected, &m.Protected); err != nil {
			return nil, fmt.Errorf("%s protected_model_query: %w", name, err)
		}
		for _, c := range rm.Custom {
			m.Custom = append(m.Custom, c.Name)
		}
		for _, o := range rm.Overrides {
			if o.Name != "__construct" {
				m.Overrides = append(m.Overrides, o.Name)
			}
		}
		sort.Strings(m.Custom)
		sort.Strings(m.Overrides)
		line(&b, name, "model", m)
		fields := make([]string, 0, len(rm.Fields))
		for f := range rm.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, fname := range fields {
			rf := rm.Fields[fname]
			f := Field{Class: rf.Class}
			for k, v := range rf.Properties {
				if fieldBase[k] || v == "__uninitialized__" {
					continue
				}
				if f.Options == nil {
					f.Options = map[string]any{}
				}
				f.Options[k] = v
			}
			f.ChoicesCallable, _ = rf.Properties["choices_callable"].(string)
			f.DefaultCallable, _ = rf.Properties["default_callable"].(string)
			// The class alone is in the native schema too: only fields with more get a line.
			if f.Options != nil || f.ChoicesCallable != "" || f.DefaultCallable != "" {
				line(&b, name+"."+fname, "field", f)
			}
			for _, v := range rf.Validators {
				args := map[string]any{}
				if err := decodeNumbers(v.Properties, &args); err != nil {
					return nil, fmt.Errorf("%s.%s %s: %w", name, fname, v.Class, err)
				}
				for k, a := range args {
					// The class FQN only restates the model name next to it.
					if a == "__uninitialized__" || strings.HasSuffix(k, "_fqn") {
						delete(args, k)
					}
				}
				line(&b, name+"."+fname, v.Class, args)
			}
		}
	}
	return b.Bytes(), nil
}

func line(b *bytes.Buffer, subject, kind string, v any) {
	var j bytes.Buffer
	enc := json.NewEncoder(&j)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices and scalars from JSON: cannot fail
	}
	fmt.Fprintf(b, "%s\t%s\t%s\n", subject, kind, bytes.TrimSpace(j.Bytes()))
}

// decodeLoose decodes msg unless it is null or PHP's empty array ([]), which PHP also writes
// for an empty associative array.
func decodeLoose(msg json.RawMessage, out any) error {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || bytes.Equal(msg, []byte("null")) || bytes.Equal(msg, []byte("[]")) {
		return nil
	}
	return json.Unmarshal(msg, out)
}

// decodeNumbers is decodeLoose keeping numbers exact.
func decodeNumbers(msg json.RawMessage, out any) error {
	msg = bytes.TrimSpace(msg)
	if len(msg) == 0 || bytes.Equal(msg, []byte("null")) || bytes.Equal(msg, []byte("[]")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	return dec.Decode(out)
}

// sortName turns a PHP sort constant (the dump has its number or its name) into its name.
func sortName(v any, names map[int]string) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		i, err := x.Int64()
		if n, ok := names[int(i)]; ok && err == nil {
			return n
		}
		return x.String()
	}
	return ""
}
