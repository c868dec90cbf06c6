package fwrules

import (
	"regexp"
	"strings"
)

// The REST API shows and takes the interfaces of an InterfaceField as their id, description or
// device, as its represent_interfaces_as setting says (Fields/InterfaceField.inc
// _from_internal and _to_internal), while status/interfaces always gives all three (name is
// the id: Models/InterfaceStats.inc). The lint and the audit compare ids (wan, lan, optN):
// InterfaceIDs turns the other two back into ids.

// plainID matches what is certainly an interface id already.
var plainID = regexp.MustCompile(`^(wan|lan|opt[0-9]+)$`)

// PlainID reports whether s is certainly an interface id (no lookup can change it).
func PlainID(s string) bool { return plainID.MatchString(s) }

// InterfaceIDs maps an interface's description or device (any case) to its id.
type InterfaceIDs map[string]string

// NewInterfaceIDs reads the rows of status/interfaces (nil or anything else: an empty map).
func NewInterfaceIDs(status any) InterfaceIDs {
	ids := InterfaceIDs{}
	rows, _ := status.([]any)
	// Ids last, so a description that happens to be another interface's id cannot take its
	// place.
	for _, field := range []string{"hwif", "descr", "name"} {
		for _, row := range rows {
			m, _ := row.(map[string]any)
			id, _ := m["name"].(string)
			if v, _ := m[field].(string); id != "" && v != "" {
				ids[strings.ToLower(v)] = strings.ToLower(id)
			}
		}
	}
	return ids
}

// ID returns the id of the interface s names (s when it names none: a group, enc0, openvpn).
func (ids InterfaceIDs) ID(s string) string {
	if PlainID(s) {
		return s
	}
	if id, ok := ids[strings.ToLower(s)]; ok {
		return id
	}
	return s
}

// Object returns m with the interfaces in fields (a string or a list of them) as ids: a copy
// when one changes, m itself otherwise (the caller may share it).
func (ids InterfaceIDs) Object(m map[string]any, fields ...string) map[string]any {
	var out map[string]any
	for _, f := range fields {
		var nv any
		switch x := m[f].(type) {
		case string:
			if id := ids.ID(x); id != x {
				nv = id
			}
		case []any:
			changed := false
			list := make([]any, len(x))
			for i, e := range x {
				list[i] = e
				if s, ok := e.(string); ok && ids.ID(s) != s {
					list[i], changed = ids.ID(s), true
				}
			}
			if changed {
				nv = list
			}
		}
		if nv == nil {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(m))
			for k, e := range m {
				out[k] = e
			}
		}
		out[f] = nv
	}
	if out == nil {
		return m
	}
	return out
}
