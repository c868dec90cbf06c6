// Package snapshot renders the generated tool surface as readable text, one file per module
// (generator/toolsnaps/firewall.txt, ...), so that every change to a name, flag, description
// or schema shows up as a reviewable diff, and compares two renderings.
package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// RefreshCommand rewrites the committed snapshot from the spec given to the build.
const RefreshCommand = "tools/bazel run //generator:update_toolsnaps"

// Ext is the extension of snapshot files.
const Ext = ".txt"

const versionHeader = "# spec version: "

var versionLine = regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(versionHeader) + `(\S+)$`)

// Render returns the snapshot files (file name -> content) of a tool surface.
func Render(version string, tools []toolspec.Tool) (map[string][]byte, error) {
	byModule := map[string][]toolspec.Tool{}
	for _, t := range tools {
		byModule[t.Module] = append(byModule[t.Module], t)
	}
	files := map[string][]byte{}
	for module, ts := range byModule {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s%s\n", versionHeader, version)
		noun := "tools"
		if len(ts) == 1 {
			noun = "tool"
		}
		fmt.Fprintf(&b, "# The %d %s of module %s. Generated, do not edit; refresh with: %s\n", len(ts), noun, module, RefreshCommand)
		for _, t := range ts {
			if err := block(&b, t); err != nil {
				return nil, err
			}
		}
		files[module+Ext] = b.Bytes()
	}
	return files, nil
}

// Version returns the spec version recorded in snapshot files; an error when they disagree or
// record none.
func Version(files map[string][]byte) (string, error) {
	version := ""
	for _, name := range sortedNames(files) {
		m := versionLine.FindSubmatch(files[name])
		if m == nil {
			return "", fmt.Errorf("%s has no %q line", name, strings.TrimSpace(versionHeader))
		}
		if version != "" && string(m[1]) != version {
			return "", fmt.Errorf("%s records spec %s, other files %s", name, m[1], version)
		}
		version = string(m[1])
	}
	if version == "" {
		return "", fmt.Errorf("no snapshot files")
	}
	return version, nil
}

func block(b *bytes.Buffer, t toolspec.Tool) error {
	fmt.Fprintf(b, "\n## %s\n", t.Name)
	line := func(key, value string) {
		if value != "" {
			fmt.Fprintf(b, "%-12s %s\n", key+":", value)
		}
	}
	line("title", t.Title)
	kind := string(t.Kind)
	if t.Plural {
		kind += " (plural)"
	}
	line("kind", kind)
	line("request", t.Method+" "+t.Path)
	line("operation", t.OperationID)
	line("model", t.Model)
	line("parent", t.Parent)
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{t.Mutation, "mutation"}, {t.AppliesAtOnce, "applies_at_once"}, {t.Log, "log"}, {t.BasicAuthOnly, "basic_auth_only"}, {t.Dangerous, "dangerous"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	line("flags", strings.Join(flags, " "))
	a := t.Annotations
	line("annotations", fmt.Sprintf("readOnly=%t destructive=%t idempotent=%t openWorld=%t", a.ReadOnly, a.Destructive, a.Idempotent, a.OpenWorld))
	line("read tool", t.ReadTool)
	line("apply tool", t.ApplyTool)
	line("packages", strings.Join(t.RequiredPackages, ", "))
	line("dangerous", t.DangerousReason)
	for _, r := range t.Risks {
		if len(r.When) == 0 {
			line("risk", fmt.Sprintf("%s always (%s)", r.Class, r.Source))
			continue
		}
		var conds []string
		for _, c := range r.When {
			conds = append(conds, strings.TrimSpace(c.Field+" "+string(c.Op)+" "+strings.Join(c.Values, ",")))
		}
		where := ""
		if r.Prefix != "" {
			where = " in " + r.Prefix
		}
		line("risk", fmt.Sprintf("%s if %s%s (%s)", r.Class, strings.Join(conds, " & "), where, r.Source))
	}
	line("secrets", strings.Join(t.Secrets, ", "))
	var params []string
	for _, p := range t.Params {
		params = append(params, p.Name+"="+string(p.In))
	}
	line("params", strings.Join(params, " "))
	line("fields", strings.Join(t.Fields, ", "))
	line("list fields", strings.Join(t.ListFields, ", "))
	line("kept", strings.Join(t.Kept, ", "))
	var companions []string
	for _, k := range sortedKeys(t.Companions) {
		companions = append(companions, k+"="+t.Companions[k])
	}
	line("companions", strings.Join(companions, " "))
	var unique []string
	for _, set := range t.Unique {
		unique = append(unique, strings.Join(set, "+"))
	}
	line("unique", strings.Join(unique, ", "))
	line("list tool", t.ListTool)
	var entries []string
	for _, k := range sortedKeys(t.Entries) {
		entries = append(entries, k+"="+t.Entries[k])
	}
	line("entries", strings.Join(entries, " "))
	b.WriteString("description:\n")
	for _, l := range wrap(t.Description, 100) {
		fmt.Fprintf(b, "  %s\n", l)
	}
	b.WriteString("input schema:\n")
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, []byte(t.InputSchema), "  ", "  "); err != nil {
		return fmt.Errorf("%s: input schema is not JSON: %w", t.Name, err)
	}
	fmt.Fprintf(b, "  %s\n", pretty.String())
	return nil
}

// wrap breaks text into lines of at most width characters at spaces (longer words stay whole).
func wrap(s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Diff compares the committed snapshot (want) with a fresh rendering (got) and describes the
// differences in unified-diff style (-committed, +generated): files missing or extra, tools
// added or removed, and for each changed tool one hunk from its first to its last changed line.
// At most maxChangedTools tools are shown. "" when the snapshots are equal.
func Diff(want, got map[string][]byte) string {
	var out strings.Builder
	names := map[string]bool{}
	for n := range want {
		names[n] = true
	}
	for n := range got {
		names[n] = true
	}
	all := make([]string, 0, len(names))
	for n := range names {
		all = append(all, n)
	}
	sort.Strings(all)
	shown, more := 0, 0
	for _, n := range all {
		w, inWant := want[n]
		g, inGot := got[n]
		switch {
		case !inWant:
			fmt.Fprintf(&out, "+++ %s: new file (%d lines)\n", n, bytes.Count(g, []byte("\n")))
		case !inGot:
			fmt.Fprintf(&out, "--- %s: no longer generated\n", n)
		case !bytes.Equal(w, g):
			wb, gb := blocks(string(w)), blocks(string(g))
			for _, key := range unionKeys(wb, gb) {
				wt, inW := wb[key]
				gt, inG := gb[key]
				switch {
				case inW && inG && wt == gt:
					continue
				case shown >= maxChangedTools:
					more++
					continue
				case !inW:
					fmt.Fprintf(&out, "+++ %s: new %s\n", n, key)
				case !inG:
					fmt.Fprintf(&out, "--- %s: %s removed\n", n, key)
				default:
					out.WriteString(hunk(n+": "+key, wt, gt))
				}
				shown++
			}
		}
	}
	if more > 0 {
		fmt.Fprintf(&out, "... and %d more changed tools\n", more)
	}
	return out.String()
}

const (
	maxChangedTools = 10
	diffContext     = 3
	maxHunkLines    = 40
)

// blocks splits a snapshot file into its header and one block per tool, keyed by tool name.
func blocks(s string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(s, "\n## ")
	out["(header)"] = parts[0]
	for _, p := range parts[1:] {
		name, _, _ := strings.Cut(p, "\n")
		out[name] = "## " + p
	}
	return out
}

func unionKeys(a, b map[string]string) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func hunk(name, want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	start := 0
	for start < len(wl) && start < len(gl) && wl[start] == gl[start] {
		start++
	}
	endW, endG := len(wl), len(gl)
	for endW > start && endG > start && wl[endW-1] == gl[endG-1] {
		endW--
		endG--
	}
	from := max(start-diffContext, 0)
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s (committed)\n+++ %s (generated)\n@@ -%d,%d +%d,%d @@\n", name, name, start+1, endW-start, start+1, endG-start)
	lines := 0
	emit := func(prefix, l string) {
		if lines < maxHunkLines {
			b.WriteString(prefix + l + "\n")
		}
		lines++
	}
	for _, l := range wl[from:start] {
		emit(" ", l)
	}
	for _, l := range wl[start:endW] {
		emit("-", l)
	}
	for _, l := range gl[start:endG] {
		emit("+", l)
	}
	for _, l := range wl[endW:min(endW+diffContext, len(wl))] {
		emit(" ", l)
	}
	if lines > maxHunkLines {
		fmt.Fprintf(&b, "... (%d more lines)\n", lines-maxHunkLines)
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
