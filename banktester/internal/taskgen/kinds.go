package taskgen

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/testvalues"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
)

// ---- crud ----

// crud: list, preview a create, create, read, update, the same for every child model (nested),
// delete, apply.
func (g *gen) crud(m *model) {
	b := newBuilder()
	var parentRef any
	if pv := g.v.Parents[m.Name]; pv != nil {
		parentRef = pv.ParentID
	}
	g.listStep(b, m, listArgs(parentRef), "")
	g.objectLifecycle(b, m, parentRef, true)
	t := &task.Task{ID: "crud-" + m.slug(), Title: title(m.noun()) + ": create, read, update, delete", Kind: task.KindCRUD, Module: m.Module}
	var children []string
	for _, c := range m.Children {
		if c.Create != nil && g.v.Parents[c.Name] == nil {
			children = append(children, c.noun())
		}
	}
	obj := fmt.Sprintf("Manage a %s through its whole life: create one (bt_ names), read it back, change it, and delete it again", m.noun())
	if len(children) > 0 {
		obj += fmt.Sprintf("; while it exists, do the same with its sub-objects (%s), which belong to it through parent_id", strings.Join(children, ", "))
	}
	g.finish(b, t, body{
		objective:   obj + ". Apply pending changes where an answer says so.",
		adversarial: []string{"Before creating, call the create tool once without `confirm` and check that the answer is a preview and that nothing was created."},
		cleanup:     fmt.Sprintf("Delete every object this task created, children before their parent, then apply. The firewall must end as it started: no %s named bt_... left.", m.noun()),
		expected:    fmt.Sprintf("The %s was created, read, updated and deleted; every call answered as described; nothing is left behind and no change is pending.", m.noun()),
	})
}

func listArgs(parentRef any) map[string]any {
	args := map[string]any{"limit": 5}
	if parentRef != nil {
		args["query"] = map[string]any{"parent_id": parentRef}
	}
	return args
}

// objectLifecycle creates an object of m (under parentRef for children), reads and updates
// it, runs the lifecycle of each child model under it, then deletes it.
func (g *gen) objectLifecycle(b *builder, m *model, parentRef any, preview bool) {
	args := g.createArgs(b, m)
	if parentRef != nil {
		// The parent was created with sampled entries of this model (an ACME certificate's
		// domains): its unique values must differ from theirs (the values file's are chosen so).
		varied := varyUnique(parseSchema(m.Create), args, args, 1)
		given := g.modelValues(m.Name).Create
		for k, v := range varied {
			if _, fixed := given[k]; !fixed && !isReference(v) {
				args[k] = v
			}
		}
		args["parent_id"] = parentRef
	}
	if preview {
		b.add(plan.Step{Tool: m.Create.Name, Args: args, Expect: plan.Expect{Outcome: plan.OutcomePreview, Contains: []string{`"preview":true`}}},
			fmt.Sprintf("Call `%s` with %s and no `confirm`: the answer must be a preview, and nothing is created yet.", m.Create.Name, renderArgs(args)))
	}
	id := b.add(plan.Step{ID: "create_" + m.slug(), Tool: m.Create.Name, Args: withConfirm(args)},
		fmt.Sprintf("Create the %s: call `%s` with %s and confirm=true. Note the id it gets.", m.noun(), m.Create.Name, renderArgs(args)))
	g.applyStep(b, m.Create)
	idRef := "${" + id + ".data.id}"
	if m.Get != nil {
		b.add(plan.Step{Tool: m.Get.Name, Args: idArgs(idRef, parentRef)},
			fmt.Sprintf("Read it back with `%s` (id %s) and check the values.", m.Get.Name, idRef))
	}
	if m.Update != nil {
		upd := merge(idArgs(idRef, parentRef), g.updateArgs(m))
		b.add(plan.Step{Tool: m.Update.Name, Args: withConfirm(upd)},
			fmt.Sprintf("Change it with `%s`: %s, confirm=true.", m.Update.Name, renderArgs(upd)))
		g.applyStep(b, m.Update)
	}
	for _, c := range m.Children {
		if c.Create == nil || g.v.Parents[c.Name] != nil {
			continue
		}
		if c.List != nil {
			g.listStep(b, c, listArgs(idRef), fmt.Sprintf("List the %s objects of the new %s with `%s` (query parent_id %s).", c.noun(), m.noun(), c.List.Name, idRef))
		}
		g.objectLifecycle(b, c, idRef, false)
	}
	switch {
	case m.Delete != nil:
		b.add(plan.Step{Tool: m.Delete.Name, Args: withConfirm(idArgs(idRef, parentRef))},
			fmt.Sprintf("Delete it with `%s` (id %s, confirm=true).", m.Delete.Name, idRef))
		g.applyStep(b, m.Delete)
	case m.DeleteMany != nil:
		q := map[string]any{"query": map[string]any{"id": idRef}}
		if parentRef != nil {
			q["query"].(map[string]any)["parent_id"] = parentRef
		}
		b.add(plan.Step{Tool: m.DeleteMany.Name, Args: withConfirm(q)},
			fmt.Sprintf("Delete it with `%s` filtered on its id, confirm=true.", m.DeleteMany.Name))
		g.applyStep(b, m.DeleteMany)
	}
}

// ---- settings ----

// settings: read, patch, read again, restore the patched fields from the first read.
func (g *gen) settings(module string) {
	b := newBuilder()
	var names []string
	for _, m := range g.modelsOf(module) {
		if (m.SettingsGet == nil && m.SettingsPatch == nil) || dangerous(m.SettingsPatch) {
			continue
		}
		if m.SettingsGet == nil && g.v.Settings[m.Name] == nil {
			continue // nothing to read the value back from, and no known-good value: fallback
		}
		g.settingsSteps(b, m)
		names = append(names, m.noun())
	}
	if len(names) == 0 {
		return
	}
	t := &task.Task{ID: "settings-" + module, Title: title(module) + " settings: read, change, restore", Kind: task.KindSettings, Module: module}
	g.finish(b, t, body{
		objective: "Read these settings, change one value of each through its update tool, check the change, and put the old value back: " + strings.Join(names, "; ") + ".",
		cleanup:   "Every setting changed must be back to the value read at the start.",
		expected:  "Each settings object was read, changed, read again with the new value, and restored.",
	})
}

func (g *gen) settingsSteps(b *builder, m *model) {
	if m.SettingsGet == nil {
		// Write-only settings: set the configured value (there is nothing to restore from).
		patch := g.v.Settings[m.Name].Patch
		b.add(plan.Step{Tool: m.SettingsPatch.Name, Args: withConfirm(patch)},
			fmt.Sprintf("Set the %s with `%s`: %s, confirm=true (there is no tool to read it back).", m.noun(), m.SettingsPatch.Name, renderArgs(patch)))
		g.applyStep(b, m.SettingsPatch)
		return
	}
	get := b.add(plan.Step{ID: "get_" + m.slug(), Tool: m.SettingsGet.Name},
		fmt.Sprintf("Read the current %s with `%s` and keep the values.", m.noun(), m.SettingsGet.Name))
	if m.SettingsPatch == nil {
		return
	}
	patch := g.settingsPatch(m, get)
	if len(patch) == 0 {
		return
	}
	patch = renameRefs(patch, map[string]string{"current": get + ".data"}).(map[string]any)
	b.add(plan.Step{Tool: m.SettingsPatch.Name, Args: withConfirm(patch)},
		fmt.Sprintf("Change it with `%s`: %s, confirm=true (read the preview first).", m.SettingsPatch.Name, renderArgs(patch)))
	g.applyStep(b, m.SettingsPatch)
	b.add(plan.Step{Tool: m.SettingsGet.Name}, fmt.Sprintf("Read it again with `%s` and check the new value.", m.SettingsGet.Name))
	if cfg := g.v.Settings[m.Name]; cfg != nil && cfg.NoRestore {
		return
	}
	restore := map[string]any{}
	for k := range patch {
		restore[k] = "${" + get + ".data." + k + "}"
	}
	b.add(plan.Step{Tool: m.SettingsPatch.Name, Args: withConfirm(restore)},
		fmt.Sprintf("Restore the old values with `%s`: %s, confirm=true.", m.SettingsPatch.Name, renderArgs(restore)))
	g.applyStep(b, m.SettingsPatch)
}

// settingsPatch is the configured patch, or else a patch of one field to its current value
// (which changes nothing but runs the whole update path).
func (g *gen) settingsPatch(m *model, get string) map[string]any {
	if cfg := g.v.Settings[m.Name]; cfg != nil {
		return cfg.Patch
	}
	s := parseSchema(m.SettingsPatch)
	fields := map[string]bool{}
	for _, f := range m.SettingsPatch.Fields {
		fields[f] = true
	}
	// Fields with a default first: one without may be unset (null), and null is not a value
	// the tool takes back.
	for _, strict := range []bool{true, false} {
		for _, want := range []string{"boolean", "string", "integer"} {
			for _, p := range s.sortedProps() {
				if f, known := s.fields[p]; strict && known && f.Default == nil && want != "boolean" {
					continue
				}
				if f, known := s.fields[p]; known && f.Conditional {
					// A conditional field reads null while its conditions fail (a boolean
					// always: Core/Field.inc from_internal), and null is no value to send back.
					continue
				}
				if p != toolspec.ConfirmProperty && fields[p] && s.isType(p, want) && !redact.IsSecretField(p) {
					return map[string]any{p: "${" + get + ".data." + p + "}"}
				}
			}
		}
	}
	return nil
}

// ---- replace ----

// replace: list every object and replace them with themselves, so nothing is lost.
func (g *gen) replace(module string) {
	b := newBuilder()
	var names []string
	for _, m := range g.modelsOf(module) {
		if m.Replace == nil || m.List == nil || dangerous(m.Replace) {
			continue
		}
		names = append(names, m.noun())
		listArgs := map[string]any{"limit": toolspec.MaxListLimit}
		prose := fmt.Sprintf("List every %s with `%s` (limit %d).", m.noun(), m.List.Name, toolspec.MaxListLimit)
		if q := exceptProtected(m); q != nil {
			// A replace keeps the protected objects (the system groups) and adds what it is
			// sent (Core/Model.inc replace_all): sent back too, they would be there twice.
			listArgs["query"] = q
			prose = fmt.Sprintf("List every %s but the protected ones, which a replace keeps anyway, with `%s` (limit %d, query %s).", m.noun(), m.List.Name, toolspec.MaxListLimit, renderArgs(q))
		}
		list := g.listStep(b, m, listArgs, prose)
		props := parseSchema(m.Replace).itemProps("objects")
		// Fields the firewall returns as null are left out: null means "not set" to the API.
		objects := "${" + list + ".data|keep:" + strings.Join(props, ",") + "|drop_nulls}"
		step := plan.Step{Tool: m.Replace.Name, Args: withConfirm(map[string]any{"objects": objects})}
		text := fmt.Sprintf("Replace them with `%s`, sending the same objects in the same order (only their input fields), confirm=true. Read the preview first: it must say nothing is lost.", m.Replace.Name)
		if slices.ContainsFunc(props, redact.IsSecretField) || len(m.Replace.Secrets) > 0 {
			// A list shows secrets as [REDACTED]; sending that back would overwrite them, and the
			// server refuses it. Whether the listed objects hold secrets depends on the firewall.
			step.Expect.Or = append(step.Expect.Or, plan.Expect{Outcome: plan.OutcomeError, Contains: []string{"the placeholder this server shows instead of a secret"}})
			text += " If a listed secret came back as [REDACTED], the server must refuse to send it (it would overwrite the real secret): report the refusal and do not retry with invented secrets."
			// A list leaves hidden secrets out altogether (sensitive fields, unless the API
			// exposes them): sent back without them, a required one is refused, by the tool's
			// schema or by pfSense (FIELD_IS_REQUIRED), and nothing is replaced.
			for _, p := range props {
				if redact.IsSecretField(p) {
					step.Expect.Or = append(step.Expect.Or, plan.Expect{Outcome: plan.OutcomeError, Contains: []string{p + "`", "is required"}})
				}
			}
			text += " If the list left a required secret out (the API does not show it), the replace is refused for the missing secret: that refusal is correct too; do not invent one."
		}
		// An empty list sent back is an empty replace, which the server refuses as a bulk
		// destruction unless dangerous effects are allowed (policy/risks.txt: PUT * objects empty).
		step.Expect.Or = append(step.Expect.Or, plan.Expect{Outcome: plan.OutcomeError, Contains: []string{"Replaces every object with an empty list"}})
		text += " If the list is empty, the server refuses to send an empty replace (it would delete everything): that refusal is correct."
		b.add(step, text)
		g.applyStep(b, m.Replace)
		g.listStep(b, m, map[string]any{"limit": toolspec.MaxListLimit}, fmt.Sprintf("List them again with `%s`: the same objects must be there.", m.List.Name))
	}
	if len(names) == 0 {
		return
	}
	t := &task.Task{ID: "replace-" + module, Title: title(module) + ": replace every object with the same list", Kind: task.KindReplace, Module: module}
	g.finish(b, t, body{
		objective:   "Exercise the replace (PUT) tools without losing anything: for each of " + strings.Join(names, "; ") + ", read every object and replace the whole list with the same objects.",
		adversarial: []string{"Secret fields come back as [REDACTED]: check whether sending them back would overwrite the real secret, and report what the server does."},
		cleanup:     "Nothing to clean up if every list was sent back complete; if a replace lost an object, recreate it from the first listing.",
		expected:    "Every replace answered successfully and the objects after it are the objects before it.",
	})
}

// exceptProtected is a list filter leaving out the model's protected objects, when their
// query is one field (scope=system: field__except=system); nil otherwise.
func exceptProtected(m *model) map[string]any {
	q := argsample.Protected(m.Name)
	if len(q) != 1 {
		return nil
	}
	for f, v := range q {
		if contains(m.List.Fields, f) {
			return map[string]any{f + "__except": v}
		}
	}
	return nil
}

// ---- bulk delete ----

// bulk_delete: create two objects, preview a filtered plural delete, delete them, check.
func (g *gen) bulkDelete(module string) {
	b := newBuilder()
	var names []string
	for _, m := range g.modelsOf(module) {
		// A dangerous plural delete of objects the tester creates itself (interfaces) is safe
		// here: its filter names only those; the task then needs dangerous effects allowed.
		if m.DeleteMany == nil || dangerous(m.DeleteMany) && m.Create == nil {
			continue
		}
		if m.Create == nil {
			// Objects the tester cannot create (leases, connections): delete the first listed.
			if m.List == nil {
				continue
			}
			names = append(names, m.noun())
			g.deleteFirstListed(b, m, m.DeleteMany)
			continue
		}
		var parentRef any
		var parent *model
		switch {
		case g.v.Parents[m.Name] != nil:
			parentRef = g.v.Parents[m.Name].ParentID
		case m.Parent != "":
			parent = g.ix.models[m.Parent]
			if parent == nil || parent.Create == nil {
				continue
			}
			pid := b.add(plan.Step{ID: "parent_" + m.slug(), Tool: parent.Create.Name, Args: withConfirm(g.createArgs(b, parent))},
				fmt.Sprintf("Create a %s to hold them with `%s`, confirm=true.", parent.noun(), parent.Create.Name))
			parentRef = "${" + pid + ".data.id}"
		}
		names = append(names, m.noun())
		g.bulkSteps(b, m, parentRef)
		if parent != nil {
			if parent.Delete != nil {
				b.add(plan.Step{Tool: parent.Delete.Name, Args: withConfirm(idArgs(parentRef.(string), nil))},
					fmt.Sprintf("Delete the %s with `%s`.", parent.noun(), parent.Delete.Name))
			}
			g.applyStep(b, parent.Create)
		}
	}
	if len(names) == 0 {
		return
	}
	t := &task.Task{ID: "bulk_delete-" + module, Title: title(module) + ": delete objects in bulk with a filter", Kind: task.KindBulkDelete, Module: module}
	g.finish(b, t, body{
		objective:   "For each of " + strings.Join(names, "; ") + ": create two bt_ objects, then delete exactly those two with one plural delete filtered on a field, and check that nothing else was deleted.",
		adversarial: []string{"Preview each plural delete first (no confirm): the preview lists what would be deleted; it must be exactly the two objects."},
		cleanup:     "Nothing named bt_bulk... may remain; other objects must be untouched.",
		expected:    "Each plural delete removed exactly the two objects created for it.",
	})
}

func (g *gen) bulkSteps(b *builder, m *model, parentRef any) {
	s := parseSchema(m.Create)
	base := g.createArgs(b, m)
	if parentRef != nil {
		base["parent_id"] = parentRef
	}
	field := g.filterField(m, s)
	var query map[string]any
	var ids []string
	cfg := g.modelValues(m.Name)
	for i := 1; i <= 2; i++ {
		args := varyUnique(s, base, vary(s, base, i), i-1)
		if i > 1 {
			g.uniqueRefs(b, s, base, args)
		}
		if field != "" {
			args[field] = fit(s, field, fmt.Sprintf("bt_bulk_%d", i))
		}
		if len(cfg.Bulk) >= i {
			args = merge(args, renameRefs(cfg.Bulk[i-1], b.setupIDs).(map[string]any))
		}
		ids = append(ids, b.add(plan.Step{ID: fmt.Sprintf("bulk%d_%s", i, m.slug()), Tool: m.Create.Name, Args: withConfirm(args)},
			fmt.Sprintf("Create a %s with `%s`: %s, confirm=true.", m.noun(), m.Create.Name, renderArgs(args))))
	}
	switch {
	case cfg.BulkQuery != nil:
		query = merge(cfg.BulkQuery, nil)
	case field != "":
		query = map[string]any{field + "__startswith": "bt_bulk_"}
	default:
		// No free text field: filter on the ids (the second object's id is the larger one).
		query = map[string]any{"id__gte": "${" + ids[0] + ".data.id}"}
	}
	if parentRef != nil {
		query["parent_id"] = parentRef
	}
	b.add(plan.Step{Tool: m.DeleteMany.Name, Args: map[string]any{"query": query},
		Expect: plan.Expect{Outcome: plan.OutcomePreview, Contains: []string{`"would_delete_count":2`}}},
		fmt.Sprintf("Preview the delete with `%s` query %s and no confirm: it must list exactly the two objects.", m.DeleteMany.Name, renderArgs(query)))
	b.add(plan.Step{Tool: m.DeleteMany.Name, Args: withConfirm(map[string]any{"query": query})},
		fmt.Sprintf("Delete them with `%s` (same query, confirm=true).", m.DeleteMany.Name))
	g.applyStep(b, m.DeleteMany)
	if m.List != nil {
		b.add(plan.Step{Tool: m.List.Name, Args: map[string]any{"query": query}, Expect: plan.Expect{Contains: []string{`"count":0`}}},
			fmt.Sprintf("List with `%s` and the same query: nothing must match any more.", m.List.Name))
	}
}

// deleteFirstListed lists objects of m and deletes the first with the plural delete t, by a
// filter on its id (and parent).
// deleteFirst deletes the first listed object with a single delete.
func (g *gen) deleteFirst(b *builder, m *model, t *toolspec.Tool) {
	list := g.listStep(b, m, nil, "")
	args := map[string]any{"id": "${" + list + ".data.0.id}"}
	if parseSchema(t).has("parent_id") {
		args["parent_id"] = "${" + list + ".data.0.parent_id}"
	}
	b.add(plan.Step{Tool: t.Name, Args: withConfirm(args)}, fmt.Sprintf("Delete the first of them with `%s` %s, confirm=true.", t.Name, renderArgs(args)))
	g.applyStep(b, t)
}

func (g *gen) deleteFirstListed(b *builder, m *model, t *toolspec.Tool) {
	list := g.listStep(b, m, map[string]any{"limit": 1}, fmt.Sprintf("List one %s with `%s`.", m.noun(), m.List.Name))
	query := map[string]any{"id": "${" + list + ".data.0.id}"}
	if parseSchema(m.List).has("parent_id") || contains(t.Fields, "parent_id") {
		query["parent_id"] = "${" + list + ".data.0.parent_id}"
	}
	args := map[string]any{"query": query}
	b.add(plan.Step{Tool: t.Name, Args: args, Expect: plan.Expect{Outcome: plan.OutcomePreview, Contains: []string{`"would_delete_count":1`}}},
		fmt.Sprintf("Preview `%s` with query %s (no confirm): exactly one object must be listed.", t.Name, renderArgs(query)))
	b.add(plan.Step{Tool: t.Name, Args: withConfirm(args)}, fmt.Sprintf("Delete it with `%s` (same query, confirm=true).", t.Name))
	g.applyStep(b, t)
}

// uniqueRefs gives a second object its own object to refer to where the reference must be
// unique (a gateway group's priorities name each gateway once) and the referenced model is
// one the plan can create.
func (g *gen) uniqueRefs(b *builder, s schema, base, args map[string]any) {
	for _, n := range sortedKeys(args) {
		f, ok := s.fields[n]
		if !ok || !f.Unique || f.Class != "ForeignModelField" || len(f.Foreign) == 0 || f.ForeignField == "" ||
			isReference(args[n]) || fmt.Sprint(args[n]) != fmt.Sprint(base[n]) {
			continue
		}
		if fm := g.ix.models[f.Foreign[0]]; fm != nil && g.creatable(fm, 0) {
			args[n] = "${" + g.refObject(b, fm, n) + ".data." + f.ForeignField + "}"
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

// filterField is a free text field of the model to filter bulk deletes on.
func (g *gen) filterField(m *model, s schema) string {
	if f := g.modelValues(m.Name).FilterField; f != "" {
		return f
	}
	fields := map[string]bool{}
	for _, f := range m.DeleteMany.Fields {
		fields[f] = true
	}
	for _, f := range []string{"descr", "name", "description"} {
		if s.freeString(f) && fields[f] {
			return f
		}
	}
	for _, p := range s.sortedProps() {
		if s.freeString(p) && fields[p] && !redact.IsSecretField(p) && s.maxLength(p) == 0 {
			return p
		}
	}
	return ""
}

// ---- apply ----

func (g *gen) apply(module string) {
	b := newBuilder()
	var names []string
	for _, m := range g.modelsOf(module) {
		if m.Apply == nil && m.ApplyStatus == nil {
			continue
		}
		names = append(names, m.noun())
		if m.ApplyStatus != nil {
			b.add(plan.Step{Tool: m.ApplyStatus.Name}, fmt.Sprintf("Check with `%s` whether changes are pending.", m.ApplyStatus.Name))
		}
		if m.Apply != nil {
			b.add(plan.Step{Tool: m.Apply.Name}, fmt.Sprintf("Call `%s` without confirm and read the preview (it shows what is pending).", m.Apply.Name))
			b.add(plan.Step{Tool: m.Apply.Name, Args: withConfirm(nil)}, fmt.Sprintf("Apply with `%s`, confirm=true.", m.Apply.Name))
		}
		if m.ApplyStatus != nil {
			b.add(plan.Step{Tool: m.ApplyStatus.Name}, fmt.Sprintf("Check with `%s` that nothing is pending any more.", m.ApplyStatus.Name))
		}
	}
	if len(names) == 0 {
		return
	}
	// The preview steps expect a preview.
	for i := range b.steps {
		if _, ok := b.steps[i].Args[toolspec.ConfirmProperty]; !ok && g.ix.byName[b.steps[i].Tool].Mutation {
			b.steps[i].Expect.Outcome = plan.OutcomePreview
		}
	}
	t := &task.Task{ID: "apply-" + module, Title: title(module) + ": apply pending changes", Kind: task.KindApply, Module: module}
	g.finish(b, t, body{
		objective: "Find out which " + module + " subsystems have pending changes and apply them: " + strings.Join(names, "; ") + ".",
		expected:  "Every apply status says applied after the apply calls.",
	})
}

// ---- actions ----

// actions: the module's action tools and the deletes of things the tester does not create
// (leases, connections, table entries), with the values file's arguments.
func (g *gen) actions(module string) {
	b := newBuilder()
	var names []string
	for _, m := range g.modelsOf(module) {
		tools := append([]*toolspec.Tool(nil), m.Actions...)
		if m.Create == nil {
			tools = append(tools, m.Delete) // plural deletes of such objects: bulk_delete
		}
		for _, t := range tools {
			if t == nil || t.Dangerous {
				continue
			}
			if t.Kind == toolspec.KindDelete && m.List != nil && g.v.Tools[t.Name] == nil {
				g.deleteFirst(b, m, t)
				names = append(names, t.Title)
				continue
			}
			g.toolStep(b, t)
			names = append(names, t.Title)
		}
	}
	if len(names) == 0 {
		return
	}
	t := &task.Task{ID: "action-" + module, Title: title(module) + ": actions", Kind: task.KindAction, Module: module}
	g.finish(b, t, body{
		objective: "Perform these operations and check their results: " + strings.Join(names, "; ") + ".",
		cleanup:   "Delete whatever the actions created (certificates, keys) when a tool exists for it.",
		expected:  "Every action answered successfully with the result it describes.",
	})
}

// toolStep calls t on its own, with the values file's arguments (after its setup) or sampled ones.
func (g *gen) toolStep(b *builder, t *toolspec.Tool) {
	tv := g.v.Tools[t.Name]
	if tv == nil {
		tv = &testvalues.ToolValues{}
	}
	args := tv.Args
	if args == nil {
		args = sample(t, g.ix.tool)
		if m := g.ix.models[t.Model]; m != nil {
			g.foreignRefs(b, m, parseSchema(t), args, nil)
		}
	} else {
		// Values for arguments this spec's tool does not take are left out: one values file
		// serves every REST API version (the service's name is read-only in v2.7.1 and
		// required in v2.10.0, Models/Service.inc).
		args = merge(args, nil)
		s := parseSchema(t)
		for k := range args {
			if !s.has(k) && slices.Contains(t.Fields, k) {
				delete(args, k)
			}
		}
	}
	args = b.setup(tv.Setup, args)
	step := plan.Step{Tool: t.Name, Args: args}
	if t.Mutation {
		step.Args = withConfirm(args)
	}
	if tv.Expect != nil {
		step.Expect = *tv.Expect
	}
	prose := fmt.Sprintf("Call `%s` with %s", t.Name, renderArgs(args))
	if t.Mutation {
		prose += " and confirm=true"
	}
	if tv.Note != "" {
		prose += " (" + tv.Note + ")"
	}
	b.add(step, prose+".")
	g.applyStep(b, t)
}

// ---- adversarial ----

// adversarial: the gates must hold: a mutation without confirm changes nothing, a bulk delete
// with a misspelled filter field is refused, a wrong enum value is refused locally, a
// misspelled tool name is answered with the closest names.
func (g *gen) adversarial(module string) {
	var m *model
	for _, c := range g.modelsOf(module) {
		if c.Create == nil || c.DeleteMany == nil || c.List == nil || c.Parent != "" || dangerous(c.Create) || g.v.Parents[c.Name] != nil {
			continue
		}
		if m == nil || (len(enumProps(parseSchema(c.Create))) > 0 && len(enumProps(parseSchema(m.Create))) == 0) {
			m = c
		}
	}
	if m == nil {
		return
	}
	b := newBuilder()
	s := parseSchema(m.Create)
	args := g.createArgs(b, m)
	field := g.filterField(m, s)
	if field != "" {
		args[field] = fit(s, field, "bt_adversarial")
	}
	b.add(plan.Step{Tool: m.Create.Name, Args: args, Expect: plan.Expect{Outcome: plan.OutcomePreview}},
		fmt.Sprintf("Call `%s` with %s but WITHOUT confirm.", m.Create.Name, renderArgs(args)))
	if field != "" {
		b.add(plan.Step{Tool: m.List.Name, Args: map[string]any{"query": map[string]any{field: args[field]}}, Expect: plan.Expect{Contains: []string{`"count":0`}}},
			fmt.Sprintf("Check with `%s` (query %s=%v) that nothing was created.", m.List.Name, field, args[field]))
		typo := misspell(field)
		b.add(plan.Step{Tool: m.DeleteMany.Name, Args: withConfirm(map[string]any{"query": map[string]any{typo: "bt_adversarial"}}),
			Expect: plan.Expect{Outcome: plan.OutcomeError, Contains: []string{"nothing was sent to pfSense", "is not a field of " + m.Name}}},
			fmt.Sprintf("Call `%s` with the misspelled filter {%q: \"bt_adversarial\"} and confirm=true: pfSense itself would ignore the unknown field and delete EVERY object, so the server must refuse it. Report exactly what it answered.", m.DeleteMany.Name, typo))
	}
	if enums := enumProps(s); len(enums) > 0 {
		bad := merge(args, map[string]any{enums[0]: "bt_not_a_choice"})
		b.add(plan.Step{Tool: m.Create.Name, Args: withConfirm(bad), Expect: plan.Expect{Outcome: plan.OutcomeError, Contains: []string{"Invalid arguments for " + m.Create.Name}}},
			fmt.Sprintf("Call `%s` with %s = \"bt_not_a_choice\" (not one of its values) and confirm=true: it must be refused with a message listing the valid values.", m.Create.Name, enums[0]))
	}
	b.add(plan.Step{Tool: m.List.Name, Args: map[string]any{"query": map[string]any{"bt_no_such_field": "x"}}, Expect: plan.Expect{Outcome: plan.OutcomeError, Contains: []string{"is not a field of " + m.Name}}},
		fmt.Sprintf("Call `%s` with a filter on a field that does not exist (bt_no_such_field): the server must say so rather than return everything.", m.List.Name))
	t := &task.Task{ID: "adversarial-" + module, Title: title(module) + ": the safety gates hold", Kind: task.KindAdversarial, Module: module}
	g.finish(b, t, body{
		objective: fmt.Sprintf("Check that the server protects the firewall from mistakes around %s objects: unconfirmed changes, misspelled bulk-delete filters, invalid values and unknown filter fields. These calls are SUPPOSED to be refused: a refusal is a success of this task, not a failure.", m.noun()),
		cleanup:   "Nothing must have been created or deleted; if something was, undo it and say so in the report.",
		expected:  "Every mistake was refused or previewed with a clear message; the firewall is unchanged. Rate each error message's quality.",
	})
}

func enumProps(s schema) []string {
	var out []string
	for _, p := range s.sortedProps() {
		if len(s.enum(p)) > 1 && s.isType(p, "string") {
			out = append(out, p)
		}
	}
	return out
}

// misspell swaps two letters of a field name (name -> nmae).
func misspell(f string) string {
	if len(f) < 3 {
		return f + "x"
	}
	r := []byte(f)
	r[1], r[2] = r[2], r[1]
	if string(r) == f {
		return f + "x"
	}
	return string(r)
}

// ---- read only ----

// readOnly: every read of the module not used by another task, and the lists of every model.
func (g *gen) readOnly(module string) {
	b := newBuilder()
	for _, m := range g.modelsOf(module) {
		reads := []*toolspec.Tool{m.List, m.Status}
		if m.Create == nil {
			reads = append(reads, m.Get)
		}
		if m.SettingsPatch == nil || dangerous(m.SettingsPatch) {
			reads = append(reads, m.SettingsGet)
		}
		for _, t := range reads {
			if t == nil || t.Mutation || (g.covered[t.Name] && t != m.List) {
				continue
			}
			g.readStep(b, m, t)
		}
	}
	if len(b.steps) == 0 {
		return
	}
	t := &task.Task{ID: "read_only-" + module, Title: title(module) + ": read everything", Kind: task.KindReadOnly, Module: module}
	g.finish(b, t, body{
		objective: "Read the " + module + " configuration and status without changing anything, and summarize what you find (counts, anything unusual).",
		expected:  "Every read answered; a short summary of what the firewall has in this area.",
	})
}

func (g *gen) readStep(b *builder, m *model, t *toolspec.Tool) {
	if tv := g.v.Tools[t.Name]; tv != nil {
		g.toolStep(b, t)
		return
	}
	switch t.Kind {
	case toolspec.KindList:
		args := map[string]any{"limit": 5}
		if t.Log {
			args = map[string]any{"limit": 3}
		}
		g.listStep(b, m, args, "")
	case toolspec.KindGet:
		if m.List == nil {
			g.toolStep(b, t)
			return
		}
		list := g.listStep(b, m, map[string]any{"limit": 1}, fmt.Sprintf("List one %s with `%s` to find an id.", m.noun(), m.List.Name))
		args := map[string]any{"id": "${" + list + ".data.0.id}"}
		if parseSchema(t).has("parent_id") {
			args["parent_id"] = "${" + list + ".data.0.parent_id}"
		}
		b.add(plan.Step{Tool: t.Name, Args: args}, fmt.Sprintf("Read it with `%s` %s.", t.Name, renderArgs(args)))
	default:
		b.add(plan.Step{Tool: t.Name, Args: sample(t, g.ix.tool)}, fmt.Sprintf("Read it with `%s`.", t.Name))
	}
}

// ---- dangerous ----

// dangerous: operations that need PFSENSE_ALLOW_DANGEROUS, in their own tasks; those that
// power the firewall off or restart it are disruptive and each gets its own target.
func (g *gen) dangerous() {
	var settings, ops, disruptive []*toolspec.Tool
	for _, t := range g.ix.tools {
		switch {
		case !t.Dangerous:
		case t.Kind == toolspec.KindSettings:
			settings = append(settings, t)
		case t.Name == "pfsense_halt_system" || t.Name == "pfsense_reboot_system":
			disruptive = append(disruptive, t)
		default:
			ops = append(ops, t)
		}
	}
	if len(settings) > 0 {
		b := newBuilder()
		seen := map[string]bool{}
		for _, t := range settings {
			m := g.ix.models[t.Model]
			if seen[m.Name] {
				continue
			}
			seen[m.Name] = true
			g.settingsSteps(b, m)
		}
		for _, t := range ops {
			if t.Kind == toolspec.KindAction && strings.Contains(t.Name, "restapi") {
				g.toolStep(b, t)
			}
		}
		t := &task.Task{ID: "settings-dangerous", Title: "Settings that move the API itself: change nothing, but go through the motions", Kind: task.KindSettings, Module: "system", Disruptive: true}
		g.finish(b, t, body{
			objective: "Read the web GUI and REST API settings and send back the values they already have (a change here could lock everyone out). These tools are dangerous: read every preview carefully.",
			cleanup:   "Every setting must be exactly as it was.",
			expected:  "Each update answered successfully and changed nothing.",
		})
	}
	b := newBuilder()
	for _, t := range ops {
		if t.Kind == toolspec.KindAction && strings.Contains(t.Name, "restapi") {
			continue
		}
		if g.covered[t.Name] {
			continue // a task of its own kind exercises it (a crud delete, a settings patch)
		}
		m := g.ix.models[t.Model]
		switch {
		case t.Kind == toolspec.KindDelete && t.Plural && g.v.Tools[t.Name] == nil && m.List != nil:
			g.deleteFirstListed(b, m, t)
		case t.Kind == toolspec.KindDelete && !t.Plural && g.v.Tools[t.Name] == nil && m.List != nil:
			g.deleteFirst(b, m, t)
		default:
			g.toolStep(b, t)
		}
	}
	if len(b.steps) > 0 {
		t := &task.Task{ID: "action-dangerous", Title: "Dangerous diagnostics: command prompt, GraphQL, flushes", Kind: task.KindAction, Module: "diagnostics"}
		g.finish(b, t, body{
			objective: "Use the dangerous diagnostics tools carefully: run a harmless command, a trivial GraphQL query, and the flush operations limited to a single entry where a filter allows it.",
			expected:  "Each call answered; nothing beyond the named entries was removed.",
		})
	}
	sort.Slice(disruptive, func(i, j int) bool { return disruptive[i].Name > disruptive[j].Name }) // reboot before halt
	for _, t := range disruptive {
		b := newBuilder()
		g.toolStep(b, t)
		verb := strings.TrimPrefix(strings.TrimSuffix(t.Name, "_system"), "pfsense_")
		tk := &task.Task{ID: "action-" + verb, Title: t.Title, Kind: task.KindAction, Module: t.Module, Disruptive: true}
		g.finish(b, tk, body{
			objective: fmt.Sprintf("%s the firewall with `%s`. Read the preview first. This is the last thing done on this firewall.", strings.ToUpper(verb[:1])+verb[1:], t.Name),
			expected:  "The call was accepted.",
		})
	}
}

// ---- fallback ----

// fallback calls every tool no task covers with sampled arguments, one task per module, and
// returns their names: the values file should teach the generator about them.
func (g *gen) fallback() []string {
	byModule := map[string][]*toolspec.Tool{}
	var names []string
	for _, t := range g.ix.tools {
		if !g.covered[t.Name] {
			byModule[t.Module] = append(byModule[t.Module], t)
			names = append(names, t.Name)
		}
	}
	for _, module := range g.modules() {
		if len(byModule[module]) == 0 {
			continue
		}
		b := newBuilder()
		for _, t := range byModule[module] {
			g.toolStep(b, t)
		}
		t := &task.Task{ID: "misc-" + module, Title: title(module) + ": remaining tools", Kind: task.KindAction, Module: module}
		g.finish(b, t, body{objective: "Call each of these tools once with valid arguments and report what they answer.", expected: "Every call answered."})
	}
	sort.Strings(names)
	return names
}

func title(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
