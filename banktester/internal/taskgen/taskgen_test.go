package taskgen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/testvalues"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
)

func generate(t *testing.T) *Result {
	t.Helper()
	v, err := testvalues.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Generate(tooldefs.Tools, v)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The generated plans call every tool of the table, and the server's own tools, without any
// fallback to sampled arguments.
func TestPlansCoverEveryTool(t *testing.T) {
	res := generate(t)
	if len(res.Uncovered) > 0 {
		t.Errorf("tools only the fallback calls: %v", res.Uncovered)
	}
	called := map[string]bool{}
	for _, tk := range res.Tasks {
		if strings.HasPrefix(tk.ID, "misc-") {
			t.Errorf("fallback task %s exists", tk.ID)
		}
		for _, s := range tk.Plan.Steps {
			called[s.Tool] = true
		}
	}
	for _, tool := range tooldefs.Tools {
		if !called[tool.Name] {
			t.Errorf("no plan calls %s", tool.Name)
		}
	}
	for _, name := range ServerTools {
		if !called[name] {
			t.Errorf("no plan calls %s", name)
		}
	}
	if len(called) != len(tooldefs.Tools)+len(ServerTools) {
		t.Errorf("plans call %d distinct tools, want %d", len(called), len(tooldefs.Tools)+len(ServerTools))
	}
}

func TestTaskFlags(t *testing.T) {
	res := generate(t)
	byName := map[string]bool{}
	for _, tool := range tooldefs.Tools {
		byName[tool.Name] = tool.Mutation
	}
	kinds := map[string]int{}
	var disruptive []string
	for _, tk := range res.Tasks {
		kinds[tk.Kind]++
		mutates := false
		for _, name := range tk.Tools {
			mutates = mutates || byName[name]
		}
		if mutates != tk.NeedsWrites {
			t.Errorf("%s: needs_writes = %t but its tools mutate: %t", tk.ID, tk.NeedsWrites, mutates)
		}
		if tk.Kind == task.KindReadOnly && tk.NeedsWrites {
			t.Errorf("%s: a read-only task needs writes", tk.ID)
		}
		if tk.Disruptive {
			disruptive = append(disruptive, tk.ID)
		}
		if tk.Plan.TaskID != tk.ID {
			t.Errorf("%s: plan is for %q", tk.ID, tk.Plan.TaskID)
		}
	}
	if strings.Join(disruptive, ",") != "settings-dangerous,action-reboot,action-halt" {
		t.Errorf("disruptive tasks = %v", disruptive)
	}
	for _, k := range []string{task.KindCRUD, task.KindSettings, task.KindApply, task.KindAction, task.KindReadOnly, task.KindReplace, task.KindBulkDelete, task.KindAdversarial} {
		if kinds[k] == 0 {
			t.Errorf("no generated task of kind %s", k)
		}
	}
}

func find(t *testing.T, res *Result, id string) *task.Task {
	t.Helper()
	for _, tk := range res.Tasks {
		if tk.ID == id {
			return tk
		}
	}
	t.Fatalf("no task %s", id)
	return nil
}

func TestCRUDTaskText(t *testing.T) {
	tk := find(t, generate(t), "crud-firewall_alias")
	wantTools := "pfsense_apply_firewall,pfsense_create_firewall_alias,pfsense_delete_firewall_alias,pfsense_get_firewall_alias,pfsense_list_firewall_aliases,pfsense_update_firewall_alias"
	if got := strings.Join(tk.Tools, ","); got != wantTools {
		t.Errorf("tools = %s", got)
	}
	for _, want := range []string{
		"# Firewall alias: create, read, update, delete\n",
		"## Tools to exercise (6)\n",
		"3. Create the firewall alias: call `pfsense_create_firewall_alias` with `{\"address\":[\"192.0.2.10\",\"192.0.2.11\"],\"descr\":\"bt_alias created by the bank tester\",\"detail\":[\"bt web 1\",\"bt web 2\"],\"name\":\"bt_alias_web\",\"type\":\"host\"}` and confirm=true. Note the id it gets.\n",
		"5. Read it back with `pfsense_get_firewall_alias` (id <id from step 3>) and check the values.\n",
		"## Adversarial subtasks\n",
		"## Cleanup\n",
		"## Expected outcome\n",
	} {
		if !strings.Contains(tk.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, tk.Body)
		}
	}
	steps := tk.Plan.Steps
	if steps[2].ID != "create_firewall_alias" || steps[2].Args["confirm"] != true || steps[4].Args["id"] != "${create_firewall_alias.data.id}" {
		t.Errorf("plan steps = %+v", steps[:5])
	}
	if steps[1].Expect.Outcome != "preview" {
		t.Errorf("step 2 should expect a preview: %+v", steps[1])
	}
}

func TestAdversarialPlan(t *testing.T) {
	tk := find(t, generate(t), "adversarial-firewall")
	var refused []string
	for _, s := range tk.Plan.Steps {
		if s.Expect.Outcome == "error" {
			refused = append(refused, s.Tool+" "+strings.Join(s.Expect.Contains, "|"))
		}
	}
	want := []string{
		"pfsense_delete_firewall_aliases nothing was sent to pfSense|is not a field of FirewallAlias",
		"pfsense_create_firewall_alias Invalid arguments for pfsense_create_firewall_alias",
		"pfsense_list_firewall_aliases is not a field of FirewallAlias",
	}
	if strings.Join(refused, "\n") != strings.Join(want, "\n") {
		t.Errorf("refused steps =\n%s\nwant\n%s", strings.Join(refused, "\n"), strings.Join(want, "\n"))
	}
}

func TestValuesAreChecked(t *testing.T) {
	for _, tc := range []struct{ values, want string }{
		{`{"models":{"FirewallAlias":{"create":{"nmae":"x"}}}}`, `models.FirewallAlias.create: pfsense_create_firewall_alias has no argument "nmae"`},
		{`{"models":{"NoSuchModel":{}}}`, "test values name what the tool table does not have: [model NoSuchModel]"},
		{`{"tools":{"pfsense_ping_host":{"args":{"hostname":"x"}}}}`, `tools.pfsense_ping_host.args: pfsense_ping_host has no argument "hostname"`},
		{`{"tools":{"pfsense_ping_host":{"setup":[{"tool":"pfsense_nope"}]}}}`, "setup step calls pfsense_nope, which is not in the tool table"},
		{`{"settings":{"SystemDNS":{"patch":{"dns":"x"}}}}`, `settings.SystemDNS.patch: pfsense_update_system_dns has no argument "dns"`},
		{`{"models":{"FirewallAlias":{"filter_field":"nmae"}}}`, `models.FirewallAlias.filter_field: "nmae" is not a field of FirewallAlias`},
	} {
		v, err := testvalues.Parse([]byte(tc.values))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Generate(tooldefs.Tools, v)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Generate with %s: error = %v, want %q", tc.values, err, tc.want)
		}
	}
}

// The two objects of a bulk delete differ in every field the package wants unique, and in
// one of each set of unique-together fields (Core/Model.inc validate_unique); and no create
// names a sampled object that does not exist (a bt_ value of a reference field).
func TestBulkObjectsAreUniqueAndReferencesExist(t *testing.T) {
	res := generate(t)
	byName := map[string]string{}
	for _, tl := range tooldefs.Tools {
		byName[tl.Name] = tl.Model
	}
	for _, tk := range res.Tasks {
		first := map[string]map[string]any{}
		for _, s := range tk.Plan.Steps {
			fields := argsample.ModelFields(byName[s.Tool])
			for n, v := range s.Args {
				if str, ok := v.(string); ok && fields[n].Class == "ForeignModelField" && strings.HasPrefix(str, "bt_") {
					t.Errorf("%s: %s %s=%q names an object nothing created", tk.ID, s.Tool, n, str)
				}
			}
			slug, ok := strings.CutPrefix(s.ID, "bulk1_")
			if ok {
				first[slug] = s.Args
				continue
			}
			slug, ok = strings.CutPrefix(s.ID, "bulk2_")
			if !ok || first[slug] == nil {
				continue
			}
			a, b := first[slug], s.Args
			together, togetherDiffer := 0, false
			for n, f := range fields {
				if _, given := a[n]; !given {
					continue
				}
				same := fmt.Sprint(a[n]) == fmt.Sprint(b[n])
				if f.Unique && same {
					t.Errorf("%s: both %s objects have %s=%v, a unique field", tk.ID, slug, n, a[n])
				}
				if f.UniqueTogether > 0 {
					together++
					togetherDiffer = togetherDiffer || !same
				}
			}
			if together > 0 && !togetherDiffer {
				t.Errorf("%s: both %s objects have the same unique-together values", tk.ID, slug)
			}
		}
	}
}
