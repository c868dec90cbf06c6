// Package specdiff says what changed in the tool surface between two REST API specs: the tools
// added and removed, those renamed (the same operation under a new name), the tools whose inputs
// changed (properties added, removed or changed, required ones), and how many changed only in
// their description. It compares the generated tools, so the report speaks of what a user of the
// server sees, not of spec internals.
package specdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Report is what changed from one tool surface to another.
type Report struct {
	From, To           string // REST API versions.
	FromTools, ToTools int
	Added, Removed     []Tool // sorted by name.
	Renamed            []Rename
	Changed            []Change
	// Described counts the tools whose inputs did not change but whose description (or the
	// description of one of their inputs) did.
	Described int
}

// Tool names a tool and its operation.
type Tool struct {
	Name, Method, Path string
}

// Rename is one operation whose tool name changed: a client calling Old must now call New.
type Rename struct {
	Old, New     string
	Method, Path string // in the newer spec.
}

// Change is a tool (by its name in the newer spec) whose inputs changed.
type Change struct {
	Tool    string
	Request string            // "POST /api/v2/x -> PATCH /api/v2/y" when the request moved, else "".
	Added   []string          // input properties new in the newer spec.
	Removed []string          // input properties the newer spec no longer has.
	Changed map[string]string // property -> what changed in its schema.
	// Required lists properties that became required ("+name") or optional ("-name").
	Required []string
}

// Empty reports whether nothing changed but descriptions.
func (r *Report) Empty() bool {
	return len(r.Added) == 0 && len(r.Removed) == 0 && len(r.Renamed) == 0 && len(r.Changed) == 0
}

// Diff compares the tools of an older surface (from) with those of a newer one (to).
func Diff(fromVersion string, from []toolspec.Tool, toVersion string, to []toolspec.Tool) (*Report, error) {
	r := &Report{From: fromVersion, To: toVersion, FromTools: len(from), ToTools: len(to)}
	old, cur := byName(from), byName(to)
	oldOp, oldID := map[string]*toolspec.Tool{}, map[string]*toolspec.Tool{}
	for _, t := range old {
		oldOp[t.Method+" "+t.Path] = t
		oldID[t.OperationID] = t
	}
	matched := map[string]bool{} // old names that have a counterpart in the newer surface.
	type pair struct{ a, b *toolspec.Tool }
	var pairs []pair
	for _, name := range sortedNames(cur) {
		t := cur[name]
		if o, ok := old[name]; ok {
			matched[name] = true
			pairs = append(pairs, pair{o, t})
			continue
		}
		// A new name for an operation the older spec has (same request, or same operationId
		// on a moved path) is a rename, provided the old name is gone.
		o := oldOp[t.Method+" "+t.Path]
		if o == nil || cur[o.Name] != nil {
			o = oldID[t.OperationID]
		}
		if o != nil && cur[o.Name] == nil && !matched[o.Name] {
			matched[o.Name] = true
			r.Renamed = append(r.Renamed, Rename{Old: o.Name, New: t.Name, Method: t.Method, Path: t.Path})
			pairs = append(pairs, pair{o, t})
			continue
		}
		r.Added = append(r.Added, Tool{t.Name, t.Method, t.Path})
	}
	for _, name := range sortedNames(old) {
		if !matched[name] {
			t := old[name]
			r.Removed = append(r.Removed, Tool{t.Name, t.Method, t.Path})
		}
	}
	for _, p := range pairs {
		c, err := compare(p.a, p.b)
		if err != nil {
			return nil, err
		}
		switch {
		case c != nil:
			r.Changed = append(r.Changed, *c)
		case p.a.Description != p.b.Description || p.a.InputSchema != p.b.InputSchema:
			r.Described++ // the schemas differ only in descriptions.
		}
	}
	sort.Slice(r.Renamed, func(i, j int) bool { return r.Renamed[i].New < r.Renamed[j].New })
	sort.Slice(r.Changed, func(i, j int) bool { return r.Changed[i].Tool < r.Changed[j].Tool })
	return r, nil
}

func byName(tools []toolspec.Tool) map[string]*toolspec.Tool {
	m := make(map[string]*toolspec.Tool, len(tools))
	for i := range tools {
		m[tools[i].Name] = &tools[i]
	}
	return m
}

func sortedNames(m map[string]*toolspec.Tool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// inputSchema is the part of a tool's input schema compared here.
type inputSchema struct {
	Properties map[string]map[string]any `json:"properties"`
	Required   []string                  `json:"required"`
}

// compare returns how the inputs of a changed, nil when they are the same.
func compare(a, b *toolspec.Tool) (*Change, error) {
	var sa, sb inputSchema
	if err := json.Unmarshal([]byte(a.InputSchema), &sa); err != nil {
		return nil, fmt.Errorf("input schema of %s: %w", a.Name, err)
	}
	if err := json.Unmarshal([]byte(b.InputSchema), &sb); err != nil {
		return nil, fmt.Errorf("input schema of %s: %w", b.Name, err)
	}
	c := &Change{Tool: b.Name, Changed: map[string]string{}}
	if a.Method != b.Method || a.Path != b.Path {
		c.Request = fmt.Sprintf("%s %s -> %s %s", a.Method, a.Path, b.Method, b.Path)
	}
	for name, pb := range sb.Properties {
		pa, ok := sa.Properties[name]
		switch {
		case !ok:
			c.Added = append(c.Added, name)
		case !reflect.DeepEqual(pa, pb):
			if d := propertyChange(pa, pb); d != "" {
				c.Changed[name] = d
			}
		}
	}
	for name := range sa.Properties {
		if _, ok := sb.Properties[name]; !ok {
			c.Removed = append(c.Removed, name)
		}
	}
	ra, rb := set(sa.Required), set(sb.Required)
	for n := range rb {
		if !ra[n] {
			c.Required = append(c.Required, "+"+n)
		}
	}
	for n := range ra {
		if !rb[n] && sb.Properties[n] != nil {
			c.Required = append(c.Required, "-"+n)
		}
	}
	if c.Request == "" && len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0 && len(c.Required) == 0 {
		return nil, nil
	}
	sort.Strings(c.Added)
	sort.Strings(c.Removed)
	sort.Strings(c.Required)
	return c, nil
}

// propertyChange says how one property's schema changed, as a list of the keywords that
// differ with their path inside the property ("maxItems 128 -> 65535", "items.mode enum +x -y").
// Descriptions are left out: they change no call. "" when only descriptions differ.
func propertyChange(a, b map[string]any) string {
	var parts []string
	diffValue("", a, b, &parts)
	const most = 6
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("and %d more", len(parts)-most))
	}
	return strings.Join(parts, "; ")
}

func diffValue(path string, a, b any, out *[]string) {
	ma, aMap := a.(map[string]any)
	mb, bMap := b.(map[string]any)
	if aMap && bMap {
		for _, k := range sortedAnyKeys(union(ma, mb)) {
			if k == "description" {
				continue
			}
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			switch k {
			case "properties":
				pa, _ := ma[k].(map[string]any)
				pb, _ := mb[k].(map[string]any)
				prefix := strings.TrimSuffix(path, ".")
				if prefix != "" {
					prefix += "."
				}
				for _, name := range sortedAnyKeys(union(pa, pb)) {
					switch {
					case pa[name] == nil:
						*out = append(*out, "+"+prefix+name)
					case pb[name] == nil:
						*out = append(*out, "-"+prefix+name)
					default:
						diffValue(prefix+name, pa[name], pb[name], out)
					}
				}
			case "enum":
				if e := enumChange(ma[k], mb[k]); e != "" {
					*out = append(*out, strings.TrimPrefix(path+" enum "+e, " "))
				}
			default:
				if !reflect.DeepEqual(ma[k], mb[k]) {
					diffValue(sub, ma[k], mb[k], out)
				}
			}
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, fmt.Sprintf("%s %s -> %s", path, short(a), short(b)))
	}
}

// enumChange lists the values added (+) and removed (-) between two enums, the first few of each.
func enumChange(a, b any) string {
	ea, eb := values(a), values(b)
	var parts []string
	for _, v := range sortedAnyKeys(eb) {
		if !ea[v] {
			parts = append(parts, "+"+v)
		}
	}
	for _, v := range sortedAnyKeys(ea) {
		if !eb[v] {
			parts = append(parts, "-"+v)
		}
	}
	const most = 8
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("(%d more)", len(parts)-most))
	}
	return strings.Join(parts, " ")
}

func values(v any) map[string]bool {
	out := map[string]bool{}
	list, _ := v.([]any)
	for _, x := range list {
		out[fmt.Sprint(x)] = true
	}
	return out
}

func union[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func sortedAnyKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// short renders a schema value compactly; long values (nested schemas) are elided.
func short(v any) string {
	if v == nil {
		return "(none)"
	}
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return "(changed)"
	}
	return string(b)
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// WriteText prints the report for a person: counts first, then one line per tool; with detail,
// each changed property says how it changed.
func (r *Report) WriteText(w io.Writer, detail bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "REST API %s -> %s: %d -> %d tools\n", r.From, r.To, r.FromTools, r.ToTools)
	fmt.Fprintf(&b, "added %d, removed %d, renamed %d, inputs changed %d, description only %d\n",
		len(r.Added), len(r.Removed), len(r.Renamed), len(r.Changed), r.Described)
	list := func(title string, tools []Tool) {
		if len(tools) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", title, len(tools))
		for _, t := range tools {
			fmt.Fprintf(&b, "  %-56s %s %s\n", t.Name, t.Method, t.Path)
		}
	}
	list("Added", r.Added)
	list("Removed: calls to these names fail with the newer spec", r.Removed)
	if len(r.Renamed) > 0 {
		fmt.Fprintf(&b, "\nRenamed (%d): the old name stops working\n", len(r.Renamed))
		for _, x := range r.Renamed {
			fmt.Fprintf(&b, "  %s -> %s (%s %s)\n", x.Old, x.New, x.Method, x.Path)
		}
	}
	if len(r.Changed) > 0 {
		fmt.Fprintf(&b, "\nInputs changed (%d):\n", len(r.Changed))
		for _, c := range r.Changed {
			var parts []string
			if c.Request != "" {
				parts = append(parts, "request "+c.Request)
			}
			if len(c.Added) > 0 {
				parts = append(parts, "added "+strings.Join(c.Added, ", "))
			}
			if len(c.Removed) > 0 {
				parts = append(parts, "removed "+strings.Join(c.Removed, ", "))
			}
			if len(c.Changed) > 0 {
				var changed []string
				for _, n := range sortedAnyKeys(c.Changed) {
					if detail {
						n += " (" + c.Changed[n] + ")"
					}
					changed = append(changed, n)
				}
				parts = append(parts, "changed "+strings.Join(changed, ", "))
			}
			if len(c.Required) > 0 {
				parts = append(parts, "required "+strings.Join(c.Required, " "))
			}
			fmt.Fprintf(&b, "  %s: %s\n", c.Tool, strings.Join(parts, "; "))
		}
	}
	if r.Empty() {
		b.WriteString("\nNo tool was added, removed or renamed, and no input changed.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
