package task

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
)

func TestParse(t *testing.T) {
	in := "---\nid: crud-firewall_alias\ntitle: \"Aliases: create #1\"\nkind: crud\nmodule: firewall\n" +
		"tools: [pfsense_list_firewall_aliases, 'pfsense_create_firewall_alias']\nneeds_writes: true\nneeds_dangerous: false\n---\n\n# Aliases\n\nBody.\n"
	got, err := Parse([]byte(in), "a.md")
	if err != nil {
		t.Fatal(err)
	}
	want := &Task{ID: "crud-firewall_alias", Title: "Aliases: create #1", Kind: "crud", Module: "firewall",
		Tools: []string{"pfsense_list_firewall_aliases", "pfsense_create_firewall_alias"}, NeedsWrites: true,
		Body: "# Aliases\n\nBody.\n", Source: "a.md"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", got, want)
	}
	if p := got.Prompt(); p != "Task id: crud-firewall_alias\n\n# Aliases\n\nBody." {
		t.Errorf("Prompt = %q", p)
	}
}

func TestBlockListAndRoundTrip(t *testing.T) {
	orig := &Task{ID: "x-1", Title: "A [bracketed] title", Kind: "action", Module: "system", Tools: []string{"pfsense_halt_system"},
		NeedsWrites: true, NeedsDangerous: true, Disruptive: true, Body: "# Halt\n", Source: "generated"}
	back, err := Parse(orig.Markdown(), "generated")
	if err != nil {
		t.Fatalf("%v\n%s", err, orig.Markdown())
	}
	if !reflect.DeepEqual(back, orig) {
		t.Errorf("round trip =\n%+v\nwant\n%+v\nmarkdown:\n%s", back, orig, orig.Markdown())
	}
	if !strings.Contains(string(orig.Markdown()), "tools:\n  - pfsense_halt_system\n") {
		t.Errorf("tools are not written as a block list:\n%s", orig.Markdown())
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"# no header\n", "a task file starts with a front-matter header"},
		{"---\nid: a\n", "has no closing --- line"},
		{"---\nid: a\ntitle: t\n---\n", "the header has no kind"},
		{"---\nid: a\ntitle: t\nkind: crud\nowner: me\n---\n", `header line 5: unknown key "owner"`},
		{"---\nid: a\ntitle: t\nkind: cruddy\n---\n", `kind "cruddy": want one of crud, settings`},
		{"---\nid: A B\ntitle: t\nkind: crud\n---\n", `id "A B": want 1-100 characters`},
		{"---\nid: a\ntitle: t\nkind: crud\nneeds_writes: yes\n---\n", `needs_writes: "yes" is not true or false`},
		{"---\nid: a\ntitle: t\nkind: crud\nneeds_dangerous: true\n---\n", "needs_dangerous needs needs_writes too"},
		{"---\nid: a\nid: b\n---\n", "id is given twice"},
		{"---\nid: a\ntitle: t\nkind: crud\ntools: pfsense_x\n---\n", "tools: want a list"},
	} {
		_, err := Parse([]byte(tc.in), "t.md")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestReadDirWithPlans(t *testing.T) {
	dir := t.TempDir()
	tasks := []*Task{
		{ID: "b", Title: "B", Kind: "read_only", Body: "b\n", Plan: &plan.Plan{TaskID: "b", Steps: []plan.Step{{Tool: "pfsense_overview"}}}},
		{ID: "a", Title: "A", Kind: "read_only", Body: "a\n"},
	}
	if err := WriteDir(dir, tasks); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("not a task"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || got[0].Plan != nil || got[1].Plan == nil || got[1].Plan.Steps[0].Tool != "pfsense_overview" {
		t.Errorf("ReadDir = %+v %+v", got[0], got[1])
	}
	// A plan for another task is refused.
	if err := os.WriteFile(filepath.Join(dir, "a.plan.json"), []byte(`{"task_id":"b","steps":[{"tool":"pfsense_overview"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), `its plan is for task "b"`) {
		t.Errorf("ReadDir with a mismatched plan: %v", err)
	}
	if err := CheckUnique([]*Task{{ID: "a", Source: "x"}, {ID: "a", Source: "y"}}); err == nil || err.Error() != "task id a is used by both x and y" {
		t.Errorf("CheckUnique = %v", err)
	}
}
