package toolcall

import (
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/argcheck"
)

// checkEntries validates the entries of the lists of child objects that a tool's listed schema
// leaves open (toolspec.Tool.Entries: the generator does not inline child models that have
// tools of their own) against the schema of the child's create tool, so a bad entry is still
// refused locally, naming its path, before anything is sent.
func (d *Dispatcher) checkEntries(t *toolspec.Tool, args map[string]any) error {
	for _, path := range sortedKeys(t.Entries) {
		child, ok := d.inv.ByName(t.Entries[path])
		if !ok {
			continue
		}
		s, err := d.entrySchema(child)
		if err != nil {
			return err
		}
		var probs []argcheck.Problem
		for _, e := range entriesAt(args, path) {
			err := s.Validate(e.value)
			if err == nil {
				continue
			}
			ae, ok := err.(*argcheck.Error)
			if !ok {
				return fmt.Errorf("argument `%s`: %w", e.path, err)
			}
			for _, p := range ae.Problems {
				if p.Path == "" {
					p.Path = e.path
				} else {
					p.Path = e.path + "." + p.Path
				}
				probs = append(probs, p)
			}
		}
		if len(probs) > 0 {
			return fmt.Errorf("%w (each entry of `%s` has the fields of %s, without parent_id)", &argcheck.Error{Problems: probs}, strings.ReplaceAll(path, "[]", ""), child.Name)
		}
	}
	return nil
}

// entrySchema is the child's create schema without what only the child tool takes: parent_id
// (the entry belongs to the object being written) and confirm.
func (d *Dispatcher) entrySchema(child *toolspec.Tool) (*argcheck.Schema, error) {
	key := child.Name + "#entry"
	d.schemaMu.Lock()
	defer d.schemaMu.Unlock()
	if s, ok := d.schemas[key]; ok {
		return s, nil
	}
	js, err := child.EntrySchema()
	if err != nil {
		return nil, fmt.Errorf("%v: report this as a generator bug", err)
	}
	s, err := argcheck.Compile(js)
	if err != nil {
		return nil, fmt.Errorf("the input schema of %s is broken (%v): report this as a generator bug", child.Name, err)
	}
	d.schemas[key] = s
	return s, nil
}

type entry struct {
	path  string
	value any
}

// entriesAt returns the entries of the list at path ("encryption", "objects[].encryption").
func entriesAt(args map[string]any, path string) []entry {
	var out []entry
	var walk func(v any, rest []string, at string)
	walk = func(v any, rest []string, at string) {
		if len(rest) == 0 {
			list, _ := v.([]any)
			for i, e := range list {
				out = append(out, entry{path: fmt.Sprintf("%s[%d]", at, i), value: e})
			}
			return
		}
		seg := rest[0]
		if name, ok := strings.CutSuffix(seg, "[]"); ok {
			obj, _ := v.(map[string]any)
			list, _ := obj[name].([]any)
			for i, e := range list {
				walk(e, rest[1:], fmt.Sprintf("%s[%d]", joinPath(at, name), i))
			}
			return
		}
		obj, _ := v.(map[string]any)
		walk(obj[seg], rest[1:], joinPath(at, seg))
	}
	walk(args, strings.Split(path, "."), "")
	return out
}
