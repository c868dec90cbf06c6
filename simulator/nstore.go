package simulator

import (
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
)

// The model operations of Core/Model.inc (read, query, create, update, replace_all, delete,
// delete_many) and Core/Endpoint.inc (get, post, put, patch, delete) for models with the
// package's own rules. Objects are kept in their representation; integer ids are positions
// in the list, as in pfSense's config.

// target is the object an operation addresses, resolved as Model::from_representation does.
type target struct {
	parent    row  // the parent (child models), when parent_id was given
	hasParent bool // parent_id was given and found
	id        any  // the id as the client gave it
	hasID     bool
	found     row // the stored object with that id
}

// resolve reads parent_id and id from the request data (Model::from_representation): an
// unknown parent is a 404; a child model without its parent cannot even look its object up
// (Model::get_config_path, a 500); an unknown id a 404.
func (sim *Simulator) resolve(req *request, data map[string]any, loadID bool) (target, *apiError) {
	m := req.m
	var t target
	if pid, ok := data["parent_id"]; ok && m.parent != nil {
		pr, found := sim.findByID(m.parent, nil, pid)
		if !found {
			return t, errf(404, "MODEL_PARENT_OBJECT_NOT_FOUND", "Parent object with ID '%s' does not exist.", strval(pid))
		}
		if !m.parent.many {
			// The parent has no ids, but the child keeps the parent_id it was given and shows
			// it (Model::construct_from_internal sets $this->parent_id; to_representation).
			pr.id = pid
		}
		t.parent, t.hasParent = pr, true
	}
	if id, ok := data["id"]; ok && loadID {
		t.id, t.hasID = id, true
		if m.parent != nil && !t.hasParent {
			return t, errf(500, "MODEL_CANNOT_GET_CONFIG_PATH_WITHOUT_PARENT_MODEL",
				"Model `get_config_path()` cannot be called until the parent Model has been constructed. Run the `get_parent_model()` method first.")
		}
		var parent *row
		if t.hasParent {
			parent = &t.parent
		}
		rw, found := sim.findByID(m, parent, id)
		if !found {
			return t, errf(404, "MODEL_OBJECT_NOT_FOUND", "Object with ID '%s' does not exist.", strval(id))
		}
		t.found = rw
	}
	return t, nil
}

// findByID finds an object by id (a PHP array key) among a model's objects (under parent).
func (sim *Simulator) findByID(m *model, parent *row, id any) (row, bool) {
	if !m.many {
		obj := sim.st.Singles[m.name]
		if obj == nil {
			obj = map[string]any{}
		}
		return row{obj: obj}, true
	}
	for _, rw := range sim.siblingRows(m, parent) {
		if idKeyEqual(rw.id, id) {
			return rw, true
		}
	}
	return row{}, false
}

// siblingRows are a model's objects under one parent (all of them for top-level models).
func (sim *Simulator) siblingRows(m *model, parent *row) []row {
	if m.parent == nil || m.parentField == "" {
		return sim.rows(m)
	}
	if parent == nil {
		return nil
	}
	var out []row
	for i, o := range childList(m, parent.obj) {
		out = append(out, row{parentID: parent.id, id: int64(i), obj: o, parent: parent.obj, index: i})
	}
	return out
}

// storeList returns the list a model's objects live in and a function that writes it back.
func (sim *Simulator) storeList(m *model, parent *row) ([]map[string]any, func([]map[string]any)) {
	if m.parent == nil || m.parentField == "" {
		return sim.topList(m), func(l []map[string]any) { sim.setTopList(m, l) }
	}
	return childList(m, parent.obj), func(l []map[string]any) { setChildList(m, parent.obj, l) }
}

// singleParent: the parent of a child of a model without ids (HAProxy settings) is that
// model's one object, found without a parent_id (Model::get_parent_model with id null).
func (sim *Simulator) singleParent(m *model, t target) target {
	if m.parent != nil && !m.parent.many && !t.hasParent {
		obj := sim.st.Singles[m.parent.name]
		if obj == nil {
			obj = map[string]any{}
			sim.st.Singles[m.parent.name] = obj
		}
		t.parent, t.hasParent = row{obj: obj}, true
	}
	return t
}

// checkWrite is the start of Model::validate for writes: the parent id (400 when a many
// parent is not given), then the required packages (404).
func (sim *Simulator) checkWrite(req *request, t target) *apiError {
	m := req.m
	if m.parent != nil && m.parent.many && !t.hasParent {
		return errf(400, "MODEL_PARENT_ID_REQUIRED", "Field `parent_id` is required.")
	}
	return sim.checkPackages(m)
}

// checkPackages is Model::check_packages (a NotFoundError, 404, in the package).
func (sim *Simulator) checkPackages(m *model) *apiError {
	for _, p := range m.packages {
		if !sim.installed(p) {
			return errf(404, "MODEL_MISSING_REQUIRED_PACKAGE", "The requested action requires the '%s' package but it is not installed.", p)
		}
	}
	return nil
}

func (t target) parentPtr() *row {
	if t.hasParent {
		p := t.parent
		return &p
	}
	return nil
}

// newVctx prepares the validation of obj.
func (sim *Simulator) newVctx(req *request, obj, initial map[string]any, id any, t target) *vctx {
	vc := &vctx{sim: sim, m: req.m, s: req.m.schema, obj: obj, initial: initial, id: id, req: req}
	if t.hasParent {
		vc.parentID, vc.parent, vc.parentM = t.parent.id, t.parent.obj, req.m.parent
	}
	if req.m.many {
		vc.siblings = sim.siblingRows(req.m, t.parentPtr())
	}
	return vc
}

// fromRepresentation overlays the request's field values on obj (every field the model has,
// read-only ones included, as Model::from_representation does).
func (sim *Simulator) fromRepresentation(m *model, obj, data map[string]any) {
	for _, p := range m.schema.Props {
		if v, ok := data[p.Name]; ok {
			obj[p.Name] = cloneValue(v)
		}
	}
}

// freshObject is a new model object before the request's values: every field null, except
// the ones whose class sets them when the object is constructed (UnixTimeField and
// DateTimeField with auto_add_now).
func (sim *Simulator) freshObject(m *model) map[string]any {
	obj := make(map[string]any, len(m.schema.Props))
	for _, p := range m.schema.Props {
		obj[p.Name] = nil
		if p.F != nil && p.F.Options != nil && p.F.Opt("auto_add_now") {
			if p.F.Class == "DateTimeField" {
				obj[p.Name] = sim.opts.Now().Format(phpDateLayout(strval(p.F.Options["datetime_format"])))
			} else {
				obj[p.Name] = sim.nowUnix()
			}
		}
	}
	return obj
}

// stamp applies what happens when an object is written: auto_update_now fields take the
// current time (UnixTimeField::_to_internal).
func (sim *Simulator) stamp(m *model, obj map[string]any) {
	for _, p := range m.schema.Props {
		if p.F != nil && p.F.Opt("auto_update_now") {
			obj[p.Name] = sim.nowUnix()
		}
	}
}

// nCreate is Endpoint::post + Model::create.
func (sim *Simulator) nCreate(req *request) ([]byte, *apiError) {
	m := req.m
	data := req.params
	if !m.info.NoAutoID {
		delete(data, "id")
	}
	t, e := sim.resolve(req, data, m.info.NoAutoID)
	if e != nil {
		return nil, e
	}
	t = sim.singleParent(m, t)
	obj := sim.freshObject(m)
	sim.fromRepresentation(m, obj, data)
	if m.info.NoAutoID && !t.hasID {
		return nil, errf(400, "MODEL_REQUIRES_ID", "Field 'id' is required.")
	}
	if e := sim.checkWrite(req, t); e != nil {
		return nil, e
	}
	list, set := sim.storeList(m, t.parentPtr())
	var id any = int64(len(list))
	switch {
	case m.info.NoAutoID:
		id = t.id
	case m.stringID:
		// Interface-keyed models name new objects (optN, or their interface): the models'
		// own get_next_id (Models/NetworkInterface.inc, Models/DHCPServer.inc).
		id = sim.newStringID(m, obj)
	}
	vc := sim.newVctx(req, obj, nil, id, t)
	if e := vc.validateModel(); e != nil {
		return nil, e
	}
	if m.many && m.info.ManyMaximum > 0 && len(list) >= m.info.ManyMaximum {
		return nil, errf(403, "MODEL_MANY_MAXIMUM_REACHED",
			"Object creation denied. Creating this object would result in the number of existing objects increasing beyond the maximum number allowed for this Model, %d.", m.info.ManyMaximum)
	}
	if req.ctl.dryRun {
		return sim.encodeRow(row{parentID: vc.parentID, id: id, obj: obj}, m), nil
	}
	if h := createHooks[m.name]; h != nil {
		if e := h(vc); e != nil {
			return nil, e
		}
	}
	sim.stamp(m, obj)
	if !m.many {
		// Models without ids (actions): their _create does the work (custom hooks above).
		return sim.encodeRow(row{obj: obj}, m), nil
	}
	list = append(list, obj)
	set(list)
	pos := len(list) - 1
	if req.ctl.hasPlacement {
		np, e := sim.place(m, t, pos, req.ctl.placement)
		if e != nil {
			list = list[:len(list)-1]
			set(list)
			return nil, e
		}
		pos = np
	}
	pos = sim.sortModel(req, m, t, pos)
	switch {
	case m.info.NoAutoID:
		id = t.id
	case m.stringID:
		obj["id"] = id
	case m.name == "NTPTimeServer":
		id = sim.ntpWrite(nil, obj)
	default:
		id = int64(pos)
	}
	sim.afterWrite(req, vc, obj, nil, id)
	if vc.deferred != nil {
		return nil, vc.deferred
	}
	return sim.encodeRow(row{parentID: vc.parentID, id: id, obj: obj}, m), nil
}

// place is Model::set_placement: move the object at pos to min(placement, count); a
// negative placement fails after the move (a 500, nothing kept).
func (sim *Simulator) place(m *model, t target, pos int, placement any) (int, *apiError) {
	p, ok := placementInt(placement)
	if !ok {
		return 0, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR",
			"Cannot assign %s to property RESTAPI\\Core\\Model::$placement of type ?int", gettype(placement))
	}
	list, set := sim.storeList(m, t.parentPtr())
	if p < 0 {
		return 0, errf(500, "MODEL_FAILED_TO_SET_PLACEMENT", "Failed to set placement for Model object.")
	}
	if p > int64(len(list)) {
		p = int64(len(list))
	}
	obj := list[pos]
	rest := append(append([]map[string]any(nil), list[:pos]...), list[pos+1:]...)
	if p > int64(len(rest)) {
		p = int64(len(rest))
	}
	out := append(append(append([]map[string]any(nil), rest[:p]...), obj), rest[p:]...)
	set(out)
	return int(p), nil
}

// placementInt is PHP's coercion of the placement value into ?int (a non-strict typed
// property): integers, integral floats and numeric strings.
func placementInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		if f, ok := phpNumericString(x); ok && f == float64(int64(f)) {
			return int64(f), true
		}
	}
	return 0, false
}

// sortModel is Model::sort after a write: models with a sort order (or a client's sort_by on
// POST/PATCH, which Endpoint::post lets override it) are re-sorted in the configuration, so
// every id may change; it returns the written object's new position.
func (sim *Simulator) sortModel(req *request, m *model, t target, pos int) int {
	by := m.info.SortBy
	flags := m.info.SortFlags
	order := m.info.SortOrder
	if req != nil && (req.op.Method == http.MethodPost || req.op.Method == http.MethodPatch) {
		if req.ctl.sortBy != nil {
			by = req.ctl.sortBy
		}
		// Endpoint::post/patch always hand the endpoint's sort order (SORT_ASC unless given).
		order = req.ctl.sortOrder
		if req.ctl.sortFlags != "" {
			flags = req.ctl.sortFlags
		}
	}
	if len(by) == 0 {
		return pos
	}
	list, set := sim.storeList(m, t.parentPtr())
	written := list[pos]
	sorted := append([]map[string]any(nil), list...)
	stableSortBy(sorted, func(o map[string]any, f string) any { return o[f] }, by, order == "SORT_DESC", flags)
	set(sorted)
	for i, o := range sorted {
		if mapID(o) == mapID(written) {
			return i
		}
	}
	return pos
}

// afterWrite marks the subsystem dirty, runs the model's pre-apply side effects and applies
// when asked (Model::create/update: apply or always_apply).
func (sim *Simulator) afterWrite(req *request, vc *vctx, obj, old map[string]any, id any) {
	m := req.m
	sim.markModelDirty(m, id)
	if h := afterHooks[m.name]; h != nil {
		h(vc, old)
	}
	if req.ctl.apply || m.info.AlwaysApply {
		sim.applyModel(m)
	}
}

// nUpdate is Endpoint::patch + Model::update (settings models included).
func (sim *Simulator) nUpdate(req *request) ([]byte, *apiError) {
	m := req.m
	data := req.params
	t, e := sim.resolve(req, data, true)
	if e != nil {
		return nil, e
	}
	var initial map[string]any
	if !m.many {
		initial = sim.st.Singles[m.name]
		if initial == nil {
			initial = sim.freshObject(m)
		}
	} else if t.hasID {
		initial = t.found.obj
	}
	obj := map[string]any{}
	for k, v := range initial {
		obj[k] = cloneValue(v)
	}
	sim.fromRepresentation(m, obj, data)
	keyed := map[string]any{}
	if initial != nil && (req.ctl.append || req.ctl.remove) {
		for _, p := range m.schema.Props {
			if p.F == nil || !p.F.Many {
				continue
			}
			nv, isList := obj[p.Name].([]any)
			ov, _ := initial[p.Name].([]any)
			if !isList || strictEquals(nv, ov) {
				continue
			}
			if req.ctl.append {
				obj[p.Name] = append(append([]any(nil), ov...), nv...)
			} else {
				obj[p.Name] = arrayDiff(ov, nv)
				if !slices.Contains(m.info.Custom, "validate_"+p.Name) {
					// array_diff keeps the kept values' keys, and only fields with a
					// validate_<field> method are listed again (Model::validate): the answer
					// shows the gaps as an object; the config stores the joined values.
					if k := keptKeys(ov, nv); k != nil {
						keyed[p.Name] = k
					}
				}
			}
		}
	}
	if m.many && !t.hasID {
		return nil, errf(400, "MODEL_REQUIRES_ID", "Field 'id' is required.")
	}
	if e := sim.checkWrite(req, t); e != nil {
		return nil, e
	}
	if h := preValidateUpdate[m.name]; h != nil && slices.Contains(m.info.Overrides, "pre_validate_update") {
		h(sim, obj)
	}
	vc := sim.newVctx(req, obj, initial, t.id, t)
	if !m.many {
		vc.id = nil
	}
	if e := vc.validateModel(); e != nil {
		return nil, e
	}
	if req.ctl.dryRun {
		return sim.encodeRow(row{parentID: vc.parentID, id: t.id, obj: obj}, m), nil
	}
	if h := updateHooks[m.name]; h != nil {
		if e := h(vc); e != nil {
			return nil, e
		}
	}
	sim.stamp(m, obj)
	if !m.many {
		if m.info.NoAutoID || len(m.schema.Props) > 0 {
			sim.st.Singles[m.name] = obj
		}
		sim.afterWrite(req, vc, obj, initial, nil)
		return sim.encodeRow(row{obj: obj}, m), nil
	}
	list, set := sim.storeList(m, t.parentPtr())
	pos := t.found.index
	list[pos] = obj
	set(list)
	if req.ctl.hasPlacement {
		np, e := sim.place(m, t, pos, req.ctl.placement)
		if e != nil {
			list[pos] = initial
			set(list)
			return nil, e
		}
		pos = np
	}
	pos = sim.sortModel(req, m, t, pos)
	id := t.id
	if req.ctl.hasPlacement || len(m.info.SortBy) > 0 || req.ctl.sortBy != nil {
		id = int64(pos)
	}
	if m.name == "NTPTimeServer" {
		id = sim.ntpWrite(initial, obj)
	}
	sim.afterWrite(req, vc, obj, initial, id)
	ans := obj
	if len(keyed) > 0 {
		ans = maps.Clone(obj)
		for k, v := range keyed {
			ans[k] = v
		}
	}
	return sim.encodeRow(row{parentID: vc.parentID, id: id, obj: ans}, m), nil
}

// keptKeys is array_diff's result with its keys, when they are no longer 0..n-1 (nil when
// they still are, or nothing is left: an empty PHP array is a list).
func keptKeys(a, b []any) any {
	var keys []int
	for i, x := range a {
		gone := false
		for _, y := range b {
			if strval(x) == strval(y) {
				gone = true
				break
			}
		}
		if !gone {
			keys = append(keys, i)
		}
	}
	dense := true
	for j, i := range keys {
		if i != j {
			dense = false
		}
	}
	if dense {
		return nil
	}
	out := &orderedObject{}
	for _, i := range keys {
		out.set(strconv.Itoa(i), a[i])
	}
	return out
}

// arrayDiff is PHP's array_diff (string comparison), renumbered as the config writes it.
func arrayDiff(a, b []any) []any {
	out := []any{}
	for _, x := range a {
		keep := true
		for _, y := range b {
			if strval(x) == strval(y) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}

// nGetOne is Endpoint::get for a singular endpoint of a many model (Model::read).
func (sim *Simulator) nGetOne(req *request) ([]byte, *apiError) {
	t, e := sim.resolve(req, req.params, true)
	if e != nil {
		return nil, e
	}
	if !t.hasID {
		return nil, errf(400, "MODEL_REQUIRES_ID", "Field 'id' is required.")
	}
	rw := t.found
	rw.id = t.id
	rw.obj = sim.readBack(req.m.schema, rw.obj)
	return sim.encodeRow(rw, req.m), nil
}

func (sim *Simulator) queryModel(req *request) ([]row, *apiError) {
	m, c := req.m, &req.ctl
	all := sim.rows(m)
	if len(req.params) == 0 && c.sortBy == nil {
		if c.reverse {
			all = reverseRows(all)
		}
		return paginate(all, c.limit, c.offset), nil
	}
	rows, e := sim.queryRows(req, all)
	if e != nil {
		return nil, e
	}
	if len(c.sortBy) > 0 {
		flags := c.sortFlags
		if flags == "" && m.info != nil {
			flags = m.info.SortFlags
		}
		rows = sortRows(rows, c.sortBy, c.sortOrder == "SORT_DESC", flags)
	}
	rows = paginate(rows, c.limit, c.offset)
	if c.reverse {
		rows = reverseRows(rows)
	}
	return rows, nil
}

// nDeleteOne is Endpoint::delete for one object + Model::delete.
func (sim *Simulator) nDeleteOne(req *request) ([]byte, *apiError) {
	data := req.params
	if sim.core.deleteByIDOnly {
		data = map[string]any{}
		for _, k := range []string{"id", "parent_id"} {
			if v, ok := req.params[k]; ok {
				data[k] = v
			}
		}
	}
	t, e := sim.resolve(req, data, true)
	if e != nil {
		return nil, e
	}
	if req.m.many && !t.hasID {
		return nil, errf(400, "MODEL_REQUIRES_ID", "Field 'id' is required.")
	}
	rw := t.found
	rw.id = t.id
	if e := sim.deleteRow(req, t, rw); e != nil {
		return nil, e
	}
	return sim.encodeRow(rw, req.m), nil
}

// deleteRow is Model::delete for one object: parent and packages, protected objects (403),
// objects that still reference it (409, with them as data), the many_minimum (403), then
// the model's own side effects.
func (sim *Simulator) deleteRow(req *request, t target, rw row) *apiError {
	m := req.m
	if e := sim.checkWrite(req, t); e != nil {
		return e
	}
	if m.many && len(m.info.Protected) > 0 && matchesQuery(rw, m.info.Protected) {
		return errf(403, "MODEL_CANNOT_DELETE_PROTECTED_OBJECT", "Model object with ID `%s` cannot be deleted because it is protected.", strval(rw.id))
	}
	if h := deleteGuards[m.name]; h != nil {
		if e := h(sim, req, rw); e != nil {
			return e
		}
	}
	if refs := sim.nativeReferences(m, rw); len(refs) > 0 {
		e := errf(409, "MODEL_CANNOT_BE_DELETED_WHILE_REFERENCED", "Object cannot be deleted because it is referenced by another existing object.")
		e.data = sim.encodeRefs(refs)
		return e
	}
	siblings := sim.siblingRows(m, t.parentPtr())
	if m.many && m.info.ManyMinimum > 0 && len(siblings) <= m.info.ManyMinimum {
		return errf(403, "MODEL_MANY_MINIMUM_REACHED",
			"Object deletion denied. Deleting this object would result in the number of existing objects falling below the minimum number allowed for this Model, %d.", m.info.ManyMinimum)
	}
	if req.ctl.dryRun {
		return nil
	}
	if m.name == "DHCPServerLease" {
		sim.deleteLease(rw) // its own _delete: the leases file is dhcpd's, not the config
		return nil
	}
	list, set := sim.storeList(m, t.parentPtr())
	out := make([]map[string]any, 0, len(list))
	for _, o := range list {
		if mapID(o) != mapID(rw.obj) {
			out = append(out, o)
		}
	}
	set(out)
	if m.name == "NTPTimeServer" {
		sim.ntpWrite(rw.obj, nil)
	}
	sim.markModelDirty(m, rw.id)
	if h := deleteHooks[m.name]; h != nil {
		h(sim, req, rw)
	}
	if req.ctl.apply || m.info.AlwaysApply {
		sim.applyModel(m)
	}
	return nil
}

// ref is an object that references another through a field.
type ref struct {
	m  *model
	rw row
}

// nativeReferences is Model::get_model_references: for each field the native schema says is
// referenced_by another model's field, the objects whose field has this object's value.
func (sim *Simulator) nativeReferences(m *model, rw row) []ref {
	var out []ref
	seen := map[uintptr]bool{}
	for _, p := range m.schema.Props {
		if p.F == nil || len(p.F.ReferencedBy) == 0 {
			continue
		}
		v := rw.obj[p.Name]
		models := make([]string, 0, len(p.F.ReferencedBy))
		for name := range p.F.ReferencedBy {
			models = append(models, name)
		}
		sort.Strings(models)
		for _, name := range models {
			other := sim.models[name]
			if other == nil {
				continue
			}
			field := p.F.ReferencedBy[name]
			for _, orow := range sim.rows(other) {
				if orow.parent != nil && rw.parent != nil && !idKeyEqual(orow.parentID, rw.parentID) {
					continue
				}
				fv := orow.obj[field]
				if looseEqualsFilter(fv, v) || (isList(fv) && inArray(v, fv.([]any))) {
					if !seen[mapID(orow.obj)] {
						seen[mapID(orow.obj)] = true
						out = append(out, ref{other, orow})
					}
				}
			}
		}
	}
	return out
}

func isList(v any) bool {
	_, ok := v.([]any)
	return ok
}

func (sim *Simulator) encodeRefs(refs []ref) []byte {
	hide := sim.hider()
	b := []byte{'['}
	for i, r := range refs {
		if i > 0 {
			b = append(b, ',')
		}
		b = sim.appendRow(b, r.rw, r.m.schema, hide)
	}
	return append(b, ']')
}

// nDeleteMany is Endpoint::delete for a plural endpoint: `all=true` deletes everything;
// otherwise the remaining request data is the query (at least one key), so apply, all=false
// or a misspelled field match every object and delete them all. Objects are deleted one by
// one from the last (ModelSet::delete): an error stops the loop with the earlier deletions done.
func (sim *Simulator) nDeleteMany(req *request) ([]byte, *apiError) {
	m := req.m
	var matched []row
	if req.ctl.all {
		matched = sim.rows(m)
		if m.name == "DHCPServerLease" {
			// Models/DHCPServerLease.inc overrides delete_all (ModelSet::delete is not run).
			if e := sim.checkPackages(m); e != nil {
				return nil, e
			}
			if !req.ctl.dryRun {
				sim.deleteAllLeases()
			}
			return sim.encodeRows(matched, m), nil
		}
	} else {
		if len(req.params) == 0 {
			return nil, errf(400, "MODEL_DELETE_MANY_REQUIRES_QUERY_PARAMS", "At least one query parameter is required to perform mass deletion.")
		}
		all := sim.rows(m)
		rows, e := sim.queryRows(req, all)
		if e != nil {
			return nil, e
		}
		matched = paginate(rows, req.ctl.limit, req.ctl.offset)
	}
	for i := len(matched) - 1; i >= 0; i-- {
		rw := matched[i]
		// Each object is deleted by its id at that moment (ModelSet::delete runs delete() on
		// each Model object in reverse).
		t := target{id: rw.id, hasID: true, found: rw}
		if rw.parent != nil {
			if pr, ok := sim.findParentRow(m, rw.parent); ok {
				t.parent, t.hasParent = pr, true
			}
		}
		sub := *req
		sub.params = map[string]any{}
		if e := sim.deleteRow(&sub, t, rw); e != nil {
			return nil, e
		}
	}
	return sim.encodeRows(matched, m), nil
}

func (sim *Simulator) findParentRow(m *model, parent map[string]any) (row, bool) {
	for _, pr := range sim.parentRows(m.parent) {
		if mapID(pr.obj) == mapID(parent) {
			return pr, true
		}
	}
	return row{}, false
}

// nReplace is Endpoint::put + Model::replace_all: the list must hold between many_minimum
// and many_maximum objects; protected objects stay; every object is validated against the
// ones before it (ids dropped, new ones from 0), then the model is sorted. PUT never applies
// (replace_all is called without apply) unless the model always applies.
func (sim *Simulator) nReplace(req *request) ([]byte, *apiError) {
	m := req.m
	if m.name == "NTPTimeServer" {
		// replace_all deletes and creates each object, whose strings are then read from the
		// new list (ntp.go).
		defer func() { sim.st.NTP = nil }()
	}
	if len(req.list) < m.info.ManyMinimum {
		return nil, errf(400, "MODEL_REPLACE_ALL_MINIMUM_NOT_MET", "A minimum of %d new objects is required to replace all existing objects.", m.info.ManyMinimum)
	}
	if m.info.ManyMaximum > 0 && len(req.list) > m.info.ManyMaximum {
		return nil, errf(400, "MODEL_REPLACE_ALL_MAXIMUM_EXCEEDED", "The request to replace all existing objects exceeds the maximum limit of %d new objects.", m.info.ManyMaximum)
	}
	var parent *row
	t := target{}
	if m.parent != nil {
		// Children are replaced under the parent the request names, if any.
		if pid, ok := req.params["parent_id"]; ok {
			pr, found := sim.findByID(m.parent, nil, pid)
			if found {
				parent, t.parent, t.hasParent = &pr, pr, true
			}
		}
		if parent == nil {
			return nil, errf(500, "MODEL_CANNOT_GET_CONFIG_PATH_WITHOUT_PARENT_MODEL",
				"Model `get_config_path()` cannot be called until the parent Model has been constructed. Run the `get_parent_model()` method first.")
		}
	}
	old := sim.siblingRows(m, parent)
	var kept []row
	if len(m.info.Protected) > 0 {
		for _, rw := range old {
			if matchesQuery(rw, m.info.Protected) {
				kept = append(kept, row{id: int64(len(kept)), obj: rw.obj})
			}
		}
	}
	out := make([]map[string]any, 0, len(kept)+len(req.list))
	for _, k := range kept {
		out = append(out, k.obj)
	}
	// replace_all empties the config path (keeping protected objects) and writes each object
	// as it passes validation, so later objects are checked against the earlier ones only (a
	// nested alias naming one made earlier in the same list: Tests/APIModelsFirewallAliasTestCase
	// test_nested_alias_reference_in_replace_all). The in-memory config is dropped on an error.
	prev, set := sim.storeList(m, parent)
	prev = append([]map[string]any(nil), prev...)
	set(append([]map[string]any(nil), out...))
	fail := func(e *apiError) ([]byte, *apiError) { set(prev); return nil, e }
	for _, it := range req.list {
		in, ok := it.(map[string]any)
		if !ok {
			in = map[string]any{}
		}
		givenID := in["id"]
		delete(in, "id")
		obj := sim.freshObject(m)
		sim.fromRepresentation(m, obj, in)
		var id any = int64(len(out))
		if m.stringID {
			if s, ok := givenID.(string); ok && s != "" {
				id = s
			} else {
				id = sim.newStringID(m, obj)
			}
			obj["id"] = id
		}
		// Each object is built with the endpoint's client (`new $this(..., client:
		// $this->client)`), so created_by names the user: test_replace_all_retains_client_username.
		vc := &vctx{sim: sim, m: m, s: m.schema, obj: obj, id: id, req: req, siblings: kept, withClient: true}
		if t.hasParent {
			vc.parentID, vc.parent, vc.parentM = t.parent.id, t.parent.obj, m.parent
		}
		if e := sim.checkPackages(m); e != nil {
			return fail(e)
		}
		if e := vc.validateModel(); e != nil {
			return fail(e)
		}
		sim.stamp(m, obj)
		out = append(out, obj)
		kept = append(kept, row{id: id, obj: obj})
		set(append([]map[string]any(nil), out...))
	}
	if req.ctl.dryRun {
		set(prev)
		return sim.encodeRows(kept, m), nil
	}
	set(out)
	if len(m.info.SortBy) > 0 {
		sorted := append([]map[string]any(nil), out...)
		stableSortBy(sorted, func(o map[string]any, f string) any { return o[f] }, m.info.SortBy, m.info.SortOrder == "SORT_DESC", m.info.SortFlags)
		set(sorted)
	}
	sim.markModelDirty(m, nil)
	if h := replaceHooks[m.name]; h != nil {
		h(sim, req, old)
	}
	if m.info.AlwaysApply {
		sim.applyModel(m)
	}
	// The answer is the new objects with the ids they were validated with (before sorting).
	return sim.encodeRows(kept, m), nil
}

// nGetSingle reads a model without ids (settings, status).
func (sim *Simulator) nGetSingle(req *request) ([]byte, *apiError) {
	obj := sim.st.Singles[req.m.name]
	if obj == nil {
		obj = map[string]any{}
	}
	if h := readHooks[req.m.name]; h != nil {
		obj = h(sim, req, obj)
	}
	return sim.encodeRow(row{obj: sim.readBack(req.m.schema, obj)}, req.m), nil
}

// nDeleteSingle deletes a model without ids (Model::_delete, overridden by such models).
func (sim *Simulator) nDeleteSingle(req *request) ([]byte, *apiError) {
	if e := sim.checkPackages(req.m); e != nil {
		return nil, e
	}
	if h := deleteHooks[req.m.name]; h != nil {
		h(sim, req, row{obj: sim.st.Singles[req.m.name]})
	}
	return sim.encodeRow(row{obj: sim.st.Singles[req.m.name]}, req.m), nil
}

func phpDateLayout(format string) string {
	return map[string]string{"m/d/Y": "01/02/2006", "Y-m-d": "2006-01-02"}[format]
}
