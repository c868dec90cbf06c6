// Package taskgen generates the bank tester's task files from the generated tool table and the
// checked-in test values. Each task comes with the plan of tool calls that accomplishes it,
// which the scripted consumer replays: together the generated plans call every tool of the
// table at least once, in an order that works (parents before children, create before read,
// update and delete, settings patched and restored, replace with the current objects, bulk
// deletes filtered on what the plan created, halt and reboot last on their own target).
package taskgen

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/tasks"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/testvalues"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// ServerTools are the server's own read-only tools (not in the table), exercised by the
// overview task; the hand-written scenarios exercise those that change the firewall.
var ServerTools = mcpserver.OwnTools()

// Result is what Generate produces.
type Result struct {
	Tasks []*task.Task
	// Uncovered lists tools that only a fallback task calls, with sampled arguments: the
	// values file should say how to call them.
	Uncovered []string
}

type gen struct {
	ix      *index
	v       *testvalues.Values
	covered map[string]bool
	tasks   []*task.Task
}

// Generate builds the tasks for tools with the values v.
func Generate(tools []toolspec.Tool, v *testvalues.Values) (*Result, error) {
	if err := v.Check(tools); err != nil {
		return nil, err
	}
	g := &gen{ix: newIndex(tools), v: v, covered: map[string]bool{}}
	if err := g.checkValues(); err != nil {
		return nil, err
	}
	g.overview()
	for _, name := range g.ix.order {
		m := g.ix.models[name]
		if m.Create == nil {
			continue // a dangerous create (a package, an API key) makes the task need dangerous effects
		}
		if m.Parent == "" || g.v.Parents[m.Name] != nil {
			g.crud(m)
		}
	}
	for _, module := range g.modules() {
		g.settings(module)
		g.replace(module)
		g.bulkDelete(module)
		g.apply(module)
		g.actions(module)
		g.adversarial(module)
	}
	for _, module := range g.modules() {
		g.readOnly(module)
	}
	g.dangerous()
	uncovered := g.fallback()
	for _, t := range g.tasks {
		if err := t.Plan.Validate(); err != nil {
			return nil, fmt.Errorf("generated task %s: %w", t.ID, err)
		}
		if err := t.Validate(); err != nil {
			return nil, fmt.Errorf("generated task: %w", err)
		}
	}
	if err := task.CheckUnique(g.tasks); err != nil {
		return nil, err
	}
	return &Result{Tasks: g.tasks, Uncovered: uncovered}, nil
}

func (g *gen) modules() []string {
	set := map[string]bool{}
	for _, t := range g.ix.tools {
		set[t.Module] = true
	}
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// modelsOf returns the models of a module, sorted.
func (g *gen) modelsOf(module string) []*model {
	var out []*model
	for _, name := range g.ix.order {
		if m := g.ix.models[name]; m.Module == module {
			out = append(out, m)
		}
	}
	return out
}

func dangerous(t *toolspec.Tool) bool { return t != nil && t.Dangerous }

// mayMatch reports whether a step's arguments may have the risk: they do, or a value the
// risk reads comes from an earlier answer (a reference), which is only known when the plan runs.
func mayMatch(r toolspec.Risk, args map[string]any) bool {
	if risk.Matches(r, args) {
		return true
	}
	top, _, _ := strings.Cut(r.Prefix, ".")
	top = strings.TrimSuffix(top, "[]")
	if top != "" && isReference(args[top]) {
		return true
	}
	for _, obj := range risk.Objects(r.Prefix, args) {
		for _, c := range r.When {
			if isReference(obj[c.Field]) {
				return true
			}
		}
	}
	return false
}

func isReference(v any) bool {
	s, ok := v.(string)
	return ok && strings.Contains(s, "${")
}

func (g *gen) modelValues(name string) *testvalues.Model {
	if m := g.v.Models[name]; m != nil {
		return m
	}
	return &testvalues.Model{}
}

// finish turns a builder into a task.
func (g *gen) finish(b *builder, t *task.Task, text body) {
	if len(b.steps) == 0 {
		return
	}
	t.Plan = b.plan(t.ID)
	t.Tools = b.tools()
	t.Source = "generated"
	for _, name := range t.Tools {
		g.covered[name] = true
		if tool := g.ix.byName[name]; tool != nil {
			t.NeedsWrites = t.NeedsWrites || tool.Mutation
			t.NeedsDangerous = t.NeedsDangerous || tool.Dangerous
		}
	}
	// A step whose arguments have a dangerous effect (a cron job's command, an ACME action
	// that runs a shell command) needs dangerous effects allowed, as the server refuses it
	// otherwise.
	for i := range b.steps {
		s := &b.steps[i]
		tool := g.ix.byName[s.Tool]
		if tool == nil {
			continue
		}
		for _, r := range tool.Risks {
			if len(r.When) > 0 && mayMatch(r, s.Args) {
				t.NeedsDangerous = true
			}
		}
		// The lockout guard refuses what would cut the server off; against a simulator that
		// keeps no REST API access list, every change to it is such a change.
		if toolcall.Guarded(tool) && s.Args[toolspec.ConfirmProperty] == true {
			s.Expect.Or = append(s.Expect.Or, plan.Expect{Outcome: plan.OutcomeError, Contains: []string{"Refused by the lockout guard (nothing was sent)"}})
		}
	}
	if t.NeedsDangerous {
		t.NeedsWrites = true
	}
	t.Body = text.render(t, b)
	g.tasks = append(g.tasks, t)
}

// ---- steps shared by several kinds ----

func (g *gen) listStep(b *builder, m *model, args map[string]any, prose string) string {
	if m.List == nil {
		return ""
	}
	if args == nil {
		args = map[string]any{"limit": 5}
	}
	if prose == "" {
		prose = fmt.Sprintf("List the %s objects with `%s` %s.", m.noun(), m.List.Name, renderArgs(args))
	}
	return b.add(plan.Step{Tool: m.List.Name, Args: args}, prose)
}

// createArgs returns the arguments of a new object of m: the values file's over a sample.
func (g *gen) createArgs(b *builder, m *model) map[string]any {
	cfg := g.modelValues(m.Name)
	args := merge(sample(m.Create, g.ix.tool), cfg.Create)
	delete(args, "parent_id")
	s := parseSchema(m.Create)
	uniqueDefaults(s, args)
	args = b.setup(cfg.Setup, args)
	g.foreignRefs(b, m, s, args, cfg.Create)
	return args
}

// uniqueDefaults gives the unique fields the sample leaves to their default another value:
// an object the firewall already has (an OpenVPN server on port 1194) holds the default.
func uniqueDefaults(s schema, args map[string]any) {
	for _, n := range s.sortedProps() {
		f, ok := s.fields[n]
		if _, given := args[n]; given || !ok || !f.Unique || f.ReadOnly || f.Default == nil || f.Default == "" || f.Conditional {
			continue
		}
		if v, ok := argsample.Vary(f, f.Default, 1); ok {
			args[n] = v
		}
	}
}

// foreignRefs replaces the sampled values of references to other objects (a ForeignModelField
// without a keyword: an ACME account key's name, a CA's refid, a service's name), which the
// real API refuses unless the object exists (FOREIGN_MODEL_FIELD_VALUE_NOT_FOUND), by a
// reference to an object the plan finds or makes first: it creates one where the sampler
// can make a valid one, else it lists the existing ones and takes the first.
func (g *gen) foreignRefs(b *builder, m *model, s schema, args, given map[string]any) {
	for _, n := range sortedKeys(args) {
		f, ok := s.fields[n]
		if _, fixed := given[n]; fixed || !ok || f.Class != "ForeignModelField" || len(f.Foreign) == 0 || f.ForeignField == "" {
			continue
		}
		v := args[n]
		list, isList := v.([]any)
		if isList && len(list) > 0 {
			v = list[0]
		}
		str, isStr := v.(string)
		if !isStr || !strings.HasPrefix(str, "bt_") {
			continue
		}
		fm := g.ix.models[f.Foreign[0]]
		if fm == nil || fm == m {
			continue
		}
		var ref string
		switch {
		case b.refs[fm.Name] != "":
			ref = "${" + b.refs[fm.Name] + ".data." + f.ForeignField + "}"
		case g.creatable(fm, 0):
			b.refs[fm.Name] = g.refObject(b, fm, n)
			ref = "${" + b.refs[fm.Name] + ".data." + f.ForeignField + "}"
		case fm.List != nil && !parseSchema(fm.List).has("parent_id"):
			id := g.listStep(b, fm, map[string]any{"limit": 5}, fmt.Sprintf("Find a %s for `%s` with `%s` (limit 5).", fm.noun(), n, fm.List.Name))
			ref = "${" + id + ".data.0." + f.ForeignField + "}"
		default:
			continue
		}
		if isList {
			args[n] = []any{ref}
		} else {
			args[n] = ref
		}
	}
}

// refObject adds the creation of an object of fm that field refers to, and returns its
// step id. Its values are set apart from those of the objects the task itself creates of
// that model (bt_..._1 and _2, the sample's unique values).
func (g *gen) refObject(b *builder, fm *model, field string) string {
	fs := parseSchema(fm.Create)
	base := g.createArgs(b, fm)
	k := 9 + len(b.steps)%7 // apart from 1 and 2, and from another such object of the plan
	fargs := varyUnique(fs, base, vary(fs, base, k), k)
	id := b.add(plan.Step{ID: "ref_" + fm.slug(), Tool: fm.Create.Name, Args: withConfirm(fargs)},
		fmt.Sprintf("Create the %s that `%s` refers to with `%s`: %s, confirm=true.", fm.noun(), field, fm.Create.Name, renderArgs(fargs)))
	g.applyStep(b, fm.Create)
	return id
}

// creatable says whether the plan can create an object of m with sampled values: it has a
// create tool that is not dangerous, no parent, and every required field gets a valid value
// (no X.509 text; a reference only to an object of a model creatable in turn, one level
// deep) or one from the values file.
func (g *gen) creatable(m *model, depth int) bool {
	if m.Create == nil || dangerous(m.Create) || m.Parent != "" {
		return false
	}
	cfg := g.modelValues(m.Name)
	s := parseSchema(m.Create)
	for _, n := range s.Required {
		if _, ok := cfg.Create[n]; ok {
			continue
		}
		f, ok := s.fields[n]
		if !ok || f.Class == "NestedModelField" {
			continue
		}
		if len(s.enum(n)) > 0 {
			continue
		}
		if f.Class == "ForeignModelField" && len(f.Foreign) > 0 && depth == 0 {
			if fm := g.ix.models[f.Foreign[0]]; fm != nil && fm != m && g.creatable(fm, depth+1) {
				continue
			}
		}
		if _, ok := argsample.ValidValue(f, n, "bt_"); !ok {
			return false
		}
	}
	return true
}

// updateArgs returns the change the update step makes.
func (g *gen) updateArgs(m *model) map[string]any {
	if cfg := g.modelValues(m.Name); cfg.Update != nil {
		return cfg.Update
	}
	s := parseSchema(m.Update)
	skip := map[string]bool{"id": true, "parent_id": true, toolspec.ConfirmProperty: true}
	if s.freeString("descr") {
		return map[string]any{"descr": fit(s, "descr", "bt_updated by the bank tester")}
	}
	for _, p := range s.sortedProps() {
		if !skip[p] && s.freeString(p) && !redact.IsSecretField(p) && !strings.HasSuffix(p, "ref") {
			return map[string]any{p: fit(s, p, "bt_updated")}
		}
	}
	for _, p := range s.sortedProps() {
		if !skip[p] && s.isType(p, "boolean") {
			return map[string]any{p: false}
		}
	}
	return map[string]any{}
}

// idArgs are the arguments that name one object: id, and parent_id for children.
func idArgs(idRef string, parentRef any) map[string]any {
	args := map[string]any{"id": idRef}
	if parentRef != nil {
		args["parent_id"] = parentRef
	}
	return args
}

// applyStep calls the apply tool a mutation names, once per plan position.
func (g *gen) applyStep(b *builder, t *toolspec.Tool) {
	if t == nil || t.ApplyTool == "" {
		return
	}
	if g.ix.byName[t.ApplyTool] == nil {
		return
	}
	b.add(plan.Step{Tool: t.ApplyTool, Args: withConfirm(nil)},
		fmt.Sprintf("Apply the pending change with `%s` (confirm=true).", t.ApplyTool))
}

// ---- overview ----

func (g *gen) overview() {
	b := newBuilder()
	b.add(plan.Step{Tool: "pfsense_overview"}, "Get a summary of the firewall with `pfsense_overview`: note the pfSense and REST API versions, the interfaces and their addresses, gateways that are down and services that are stopped.")
	b.add(plan.Step{Tool: "pfsense_pending_changes"}, "Check with `pfsense_pending_changes` whether any subsystem has changes waiting to be applied.")
	b.add(plan.Step{Tool: "pfsense_security_audit"}, "Review the configuration with `pfsense_security_audit` and summarise the high and medium findings.")
	b.add(plan.Step{Tool: mcpserver.LogTool, Args: map[string]any{"last": 10}}, "Read the last 10 firewall log entries with `"+mcpserver.LogTool+"` and say which rules they hit.")
	t := &task.Task{ID: "read_only-overview", Title: "Firewall overview, pending changes, security audit and the latest log entries", Kind: task.KindReadOnly, Module: "server"}
	g.finish(b, t, body{
		objective: "Get to know the firewall: its versions, interfaces, gateways and services, and whether changes are waiting to be applied. Change nothing.",
		expected:  "A short description of the firewall (versions, interfaces with addresses, gateway and service health) and the list of subsystems with pending changes (or that there are none).",
	})
}

// checkValues fails when the values file gives an argument a tool does not have: the call
// would be refused, and a typo should fail generation, not a run. A field of the tool's model
// that this spec does not take as an argument (read-only in this version, writable in another)
// is left out of the call instead (toolStep).
func (g *gen) checkValues() error {
	var problems []string
	check := func(where string, t *toolspec.Tool, args map[string]any) {
		if t == nil || args == nil {
			return
		}
		s := parseSchema(t)
		for k := range args {
			if !s.has(k) && !slices.Contains(t.Fields, k) {
				problems = append(problems, fmt.Sprintf("%s: %s has no argument %q (it has: %s)", where, t.Name, k, strings.Join(s.sortedProps(), ", ")))
			}
		}
	}
	checkSteps := func(where string, steps []plan.Step) {
		for _, st := range steps {
			t := g.ix.byName[st.Tool]
			if t == nil {
				problems = append(problems, fmt.Sprintf("%s: setup step calls %s, which is not in the tool table", where, st.Tool))
				continue
			}
			check(where+" setup", t, st.Args)
		}
	}
	for name, mv := range g.v.Models {
		m := g.ix.models[name]
		where := "models." + name
		if m.Create == nil && (mv.Create != nil || mv.Bulk != nil) {
			problems = append(problems, where+": the model has no create tool")
			continue
		}
		check(where+".create", m.Create, mv.Create)
		check(where+".update", m.Update, mv.Update)
		for i, b := range mv.Bulk {
			check(fmt.Sprintf("%s.bulk[%d]", where, i), m.Create, b)
		}
		if mv.FilterField != "" && m.DeleteMany != nil && !contains(m.DeleteMany.Fields, mv.FilterField) {
			problems = append(problems, fmt.Sprintf("%s.filter_field: %q is not a field of %s", where, mv.FilterField, name))
		}
		checkSteps(where, mv.Setup)
	}
	for name, sv := range g.v.Settings {
		m := g.ix.models[name]
		if m.SettingsPatch == nil {
			problems = append(problems, "settings."+name+": the model has no settings update tool")
			continue
		}
		check("settings."+name+".patch", m.SettingsPatch, sv.Patch)
	}
	for name, tv := range g.v.Tools {
		t := g.ix.byName[name]
		check("tools."+name+".args", t, tv.Args)
		checkSteps("tools."+name, tv.Setup)
	}
	for name := range g.v.Parents {
		if g.ix.models[name].Parent == "" {
			problems = append(problems, "parents."+name+": the model has no parent")
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return fmt.Errorf("test values:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

// BuiltIn returns every task the bank tester ships: those generated from tools with the
// default test values, then the hand-written ones.
func BuiltIn(tools []toolspec.Tool) ([]*task.Task, error) {
	v, err := testvalues.Default()
	if err != nil {
		return nil, err
	}
	gen, err := Generate(tools, v)
	if err != nil {
		return nil, err
	}
	hand, err := tasks.Load()
	if err != nil {
		return nil, err
	}
	return append(gen.Tasks, hand...), nil
}
