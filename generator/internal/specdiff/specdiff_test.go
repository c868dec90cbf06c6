package specdiff

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/generate"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/rawspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func tool(name, method, path, opID, schema, desc string) toolspec.Tool {
	return toolspec.Tool{Name: name, Method: method, Path: path, OperationID: opID, InputSchema: schema, Description: desc}
}

func TestDiff(t *testing.T) {
	old := []toolspec.Tool{
		tool("pfsense_halt_system", "POST", "/api/v2/diagnostics/halt_system", "postHalt",
			`{"properties":{"confirm":{"type":"boolean"},"dry_run":{"type":"boolean"}},"type":"object"}`, "Halts."),
		tool("pfsense_get_a", "GET", "/api/v2/a", "getA", `{"properties":{"x":{"type":"string"}}}`, "Reads A."),
		tool("pfsense_get_b", "GET", "/api/v2/b", "getB", `{"properties":{}}`, "Reads B."),
		tool("pfsense_get_old", "GET", "/api/v2/moved", "getMoved", `{"properties":{}}`, "Moved."),
		tool("pfsense_list_gone", "GET", "/api/v2/gone", "getGone", `{"properties":{}}`, "Gone."),
		tool("pfsense_create_rule", "POST", "/api/v2/rule", "postRule",
			`{"properties":{"type":{"enum":["pass","block"],"type":"string"},"descr":{"type":"string","description":"one"},"ports":{"items":{"properties":{"p":{"maxItems":128}}},"type":"array"}},"required":["type"]}`, "Creates."),
	}
	cur := []toolspec.Tool{
		tool("pfsense_halt_system", "POST", "/api/v2/diagnostics/halt_system", "postHalt",
			`{"properties":{"confirm":{"type":"boolean"}},"type":"object"}`, "Halts."),
		tool("pfsense_get_a", "GET", "/api/v2/a", "getA", `{"properties":{"x":{"type":"string","description":"new words"}}}`, "Reads A."),
		tool("pfsense_get_b", "GET", "/api/v2/b", "getB", `{"properties":{}}`, "Reads B, better."),
		tool("pfsense_get_new", "GET", "/api/v2/moved", "getMovedRenamed", `{"properties":{}}`, "Moved."),
		tool("pfsense_get_fresh", "GET", "/api/v2/fresh", "getFresh", `{"properties":{}}`, "Fresh."),
		tool("pfsense_create_rule", "POST", "/api/v2/rule", "postRule",
			`{"properties":{"type":{"enum":["pass","block","reject"],"type":"string"},"descr":{"type":"string","description":"two"},"dscp":{"type":"string"},"ports":{"items":{"properties":{"p":{"maxItems":65535}}},"type":"array"}},"required":["type","dscp"]}`, "Creates."),
	}
	r, err := Diff("v1", old, "v2", cur)
	if err != nil {
		t.Fatal(err)
	}
	want := &Report{
		From: "v1", To: "v2", FromTools: 6, ToTools: 6,
		Added:   []Tool{{"pfsense_get_fresh", "GET", "/api/v2/fresh"}},
		Removed: []Tool{{"pfsense_list_gone", "GET", "/api/v2/gone"}},
		Renamed: []Rename{{Old: "pfsense_get_old", New: "pfsense_get_new", Method: "GET", Path: "/api/v2/moved"}},
		Changed: []Change{
			{Tool: "pfsense_create_rule", Added: []string{"dscp"}, Changed: map[string]string{"type": "enum +reject", "ports": "items.p.maxItems 128 -> 65535"}, Required: []string{"+dscp"}},
			{Tool: "pfsense_halt_system", Removed: []string{"dry_run"}, Changed: map[string]string{}},
		},
		Described: 2, // pfsense_get_a (an input's description) and pfsense_get_b (the tool's).
	}
	if !reflect.DeepEqual(r, want) {
		got, _ := json.MarshalIndent(r, "", " ")
		exp, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("report:\n%s\nwant:\n%s", got, exp)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	wantText := `REST API v1 -> v2: 6 -> 6 tools
added 1, removed 1, renamed 1, inputs changed 2, description only 2

Added (1):
  pfsense_get_fresh                                        GET /api/v2/fresh

Removed: calls to these names fail with the newer spec (1):
  pfsense_list_gone                                        GET /api/v2/gone

Renamed (1): the old name stops working
  pfsense_get_old -> pfsense_get_new (GET /api/v2/moved)

Inputs changed (2):
  pfsense_create_rule: added dscp; changed ports (items.p.maxItems 128 -> 65535), type (enum +reject); required +dscp
  pfsense_halt_system: removed dry_run
`
	if b.String() != wantText {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), wantText)
	}
}

// surfaces are the tools of the build's spec and of every other REST API version the build
// found, oldest first.
type surface struct {
	version string
	raw     *rawspec.Spec
	tools   []toolspec.Tool
}

func surfaces(t *testing.T) []surface {
	t.Helper()
	own, err := specfile.Path()
	if err != nil {
		t.Fatal(err)
	}
	others, err := specfile.OtherVersions()
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{own}
	for _, o := range others {
		paths = append(paths, o.Path)
	}
	var out []surface
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := load.Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		s, err := generate.Build(doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := rawspec.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, surface{s.Version, raw, s.Tools})
	}
	sort.Slice(out, func(i, j int) bool { return specfile.CompareVersions(out[i].version, out[j].version) < 0 })
	return out
}

func inputs(t *testing.T, tl *toolspec.Tool) map[string]bool {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal([]byte(tl.InputSchema), &s); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for p := range s.Properties {
		out[p] = true
	}
	return out
}

// TestRealSpecs diffs the build's spec with itself and with every other REST API version the
// build was given, and checks the report against what the specs' JSON says directly: the
// operations added and removed, operationIds that changed, and the model properties that
// appeared or disappeared.
func TestRealSpecs(t *testing.T) {
	all := surfaces(t)
	self, err := Diff(all[0].version, all[0].tools, all[0].version, all[0].tools)
	if err != nil {
		t.Fatal(err)
	}
	if !self.Empty() || self.Described != 0 {
		t.Errorf("a spec compared with itself reports changes: %+v", self)
	}
	if len(all) < 2 {
		t.Logf("the build found no spec of another REST API version beside %s (//spec:other_versions): only the self-comparison ran", all[0].version)
		return
	}
	for i := 0; i+1 < len(all); i++ {
		from, to := all[i], all[i+1]
		t.Run(from.version+"_to_"+to.version, func(t *testing.T) {
			r, err := Diff(from.version, from.tools, to.version, to.tools)
			if err != nil {
				t.Fatal(err)
			}
			oldByName := map[string]*toolspec.Tool{}
			for i := range from.tools {
				oldByName[from.tools[i].Name] = &from.tools[i]
			}
			renamedOps, renamedFrom := map[string]bool{}, map[string]bool{}
			for _, x := range r.Renamed {
				if o := oldByName[x.Old]; o != nil {
					renamedFrom[o.Method+" "+o.Path] = true
				}
				key := x.Method + " " + x.Path
				renamedOps[key] = true
				if o, ok := from.raw.Operations[key]; ok && o.ID == to.raw.Operations[key].ID {
					t.Errorf("rename %s -> %s reported, but %s keeps its operationId %s", x.Old, x.New, key, o.ID)
				}
			}
			var wantAdded, wantRemoved, gotAdded, gotRemoved []string
			for k := range to.raw.Operations {
				if _, ok := from.raw.Operations[k]; !ok && !renamedOps[k] {
					wantAdded = append(wantAdded, k)
				}
			}
			for k := range from.raw.Operations {
				if _, ok := to.raw.Operations[k]; !ok && !renamedFrom[k] {
					wantRemoved = append(wantRemoved, k)
				}
			}
			for _, x := range r.Added {
				gotAdded = append(gotAdded, x.Method+" "+x.Path)
			}
			for _, x := range r.Removed {
				gotRemoved = append(gotRemoved, x.Method+" "+x.Path)
			}
			sortedEqual(t, "added operations", gotAdded, wantAdded)
			sortedEqual(t, "removed operations", gotRemoved, wantRemoved)

			// Every input property a model gained or lost between the specs must be reported
			// for every tool of that model that has (or had) it as an input.
			changes := map[string]Change{}
			for _, c := range r.Changed {
				changes[c.Tool] = c
			}
			checked := 0
			for i := range to.tools {
				nt := &to.tools[i]
				ot := oldByName[nt.Name]
				if ot == nil || ot.Model != nt.Model || ot.Kind == toolspec.KindList || ot.Kind == toolspec.KindGet || nt.Kind == toolspec.KindDelete {
					continue
				}
				om, nm := from.raw.Models[nt.Model], to.raw.Models[nt.Model]
				if om == nil || nm == nil {
					continue
				}
				oi, ni := inputs(t, ot), inputs(t, nt)
				for p := range om {
					if !nm[p] && oi[p] && !ni[p] {
						checked++
						if !contains(changes[nt.Name].Removed, p) {
							t.Errorf("%s: %s.%s is gone in %s but the report does not say %s lost it", nt.Name, nt.Model, p, to.version, p)
						}
					}
				}
				for p := range nm {
					if !om[p] && ni[p] && !oi[p] {
						checked++
						if !contains(changes[nt.Name].Added, p) {
							t.Errorf("%s: %s.%s is new in %s but the report does not say %s gained it", nt.Name, nt.Model, p, to.version, p)
						}
					}
				}
			}
			t.Logf("%s -> %s: %d added, %d removed, %d renamed, %d changed; %d model property changes checked",
				from.version, to.version, len(r.Added), len(r.Removed), len(r.Renamed), len(r.Changed), checked)
		})
	}
}

// TestToolNamesStayAcrossVersions: a client configured against an older REST API version keeps
// working with a newer one only if every tool name it knows still exists.
func TestToolNamesStayAcrossVersions(t *testing.T) {
	all := surfaces(t)
	if len(all) < 2 {
		t.Logf("only %s is available: nothing to compare", all[0].version)
		return
	}
	for i := 0; i < len(all); i++ {
		for j := i + 1; j < len(all); j++ {
			newer := map[string]bool{}
			for _, tl := range all[j].tools {
				newer[tl.Name] = true
			}
			for _, tl := range all[i].tools {
				if !newer[tl.Name] {
					t.Errorf("tool %s of REST API %s does not exist with %s (%s %s): clients that call it would break; keep its name (generator/internal/naming)",
						tl.Name, all[i].version, all[j].version, tl.Method, tl.Path)
				}
			}
			t.Logf("all %d tool names of %s exist with %s", len(all[i].tools), all[i].version, all[j].version)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedEqual(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}
