package simulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

// row is one object with the ids it has right now. Integer ids are array positions (they
// renumber after a delete, as in pfSense's config); string ids (wan, lan, opt1) are stored.
type row struct {
	parentID any
	id       any
	obj      map[string]any
	parent   map[string]any // the parent object of a child
	index    int
}

// sharedList names, for a model that keeps its objects at another model's config path, that
// model: both address the same objects. The OpenVPN client export reads the export
// configuration it is given the id of (Models/OpenVPNClientExport.inc and
// Models/OpenVPNClientExportConfig.inc: config_path installedpackages/vpn_openvpn_export/serverconfig/item).
var sharedList = map[string]string{"OpenVPNClientExport": "OpenVPNClientExportConfig"}

func listKey(m *model) string {
	if k, ok := sharedList[m.name]; ok {
		return k
	}
	return m.name
}

// topList returns the objects of a top-level model.
func (sim *Simulator) topList(m *model) []map[string]any {
	switch m.name {
	case "AvailableInterface":
		return sim.availableInterfaces()
	case "ARPTable":
		return sim.arpTable()
	case "Service":
		return sim.services()
	case "DHCPServerLease":
		return sim.dhcpLeases()
	}
	return sim.st.Lists[listKey(m)]
}

// availableInterfaces is Models/AvailableInterface.inc get_all_avail_interfaces(): the
// devices pfSense's get_interface_list() finds (the seed's NICs, less LAGG members, and
// running WireGuard tunnels: tun_wgN is no virtual type util.inc skips), then the VLAN,
// bridge, GRE and LAGG devices of the configuration and the OpenVPN servers' and clients'
// ovpnsN/ovpncN, each with the interface assigned to it. Configured devices carry their
// configuration, which has no mac or dmesg: both are null.
// ipsecVTIDevices is pfSense's interface_ipsec_vti_list_all (src/etc/inc/interfaces.inc): a
// phase 1 with enabled VTI phase 2s gets one ipsec device per phase 2 with IKEv1 or split
// connections, else one named after its first phase 2's reqid (ipsec.inc ipsec_get_ifname).
func (sim *Simulator) ipsecVTIDevices() []map[string]any {
	var out []map[string]any
	p2s := sim.st.Lists["IPsecPhase2"]
	for _, p1 := range sim.st.Lists["IPsecPhase1"] {
		if truthy(p1["disabled"]) {
			continue
		}
		ikeid := strval(p1["ikeid"])
		var all, vti []map[string]any
		for _, p2 := range p2s {
			if strval(p2["ikeid"]) != ikeid {
				continue
			}
			all = append(all, p2)
			if strval(p2["mode"]) == "vti" && !truthy(p2["disabled"]) {
				vti = append(vti, p2)
			}
		}
		if len(vti) == 0 {
			continue
		}
		dev := func(reqid any) map[string]any {
			return map[string]any{"if": "ipsec" + strval(reqid), "mac": nil, "dmesg": nil, "in_use_by": nil}
		}
		if !truthy(p1["mobile"]) && (strval(p1["iketype"]) == "ikev1" || truthy(p1["splitconn"])) {
			for _, p2 := range vti {
				out = append(out, dev(p2["reqid"]))
			}
			continue
		}
		out = append(out, dev(all[0]["reqid"]))
	}
	return out
}

func (sim *Simulator) availableInterfaces() []map[string]any {
	var out []map[string]any
	members := map[string]bool{}
	for _, l := range sim.st.Lists["InterfaceLAGG"] {
		for _, m := range listOf(l["members"]) {
			members[strval(m)] = true
		}
	}
	for _, nic := range sim.st.Lists["AvailableInterface"] {
		if !members[strval(nic["if"])] {
			out = append(out, nic)
		}
	}
	if truthy(sim.st.Singles["WireGuardSettings"]["enable"]) {
		for _, t := range sim.st.Lists["WireGuardTunnel"] {
			if truthy(t["enabled"]) {
				out = append(out, map[string]any{"if": t["name"], "mac": nil, "dmesg": nil, "in_use_by": nil})
			}
		}
	}
	out = append(out, sim.ipsecVTIDevices()...)
	for _, c := range []struct{ model, field, prefix string }{
		{"InterfaceVLAN", "vlanif", ""}, {"InterfaceBridge", "bridgeif", ""}, {"InterfaceGRE", "greif", ""}, {"InterfaceLAGG", "laggif", ""},
		{"OpenVPNServer", "vpnid", "ovpns"}, {"OpenVPNClient", "vpnid", "ovpnc"},
	} {
		for _, o := range sim.st.Lists[c.model] {
			if dev := strval(o[c.field]); dev != "" {
				out = append(out, map[string]any{"if": c.prefix + dev, "mac": nil, "dmesg": nil, "in_use_by": nil})
			}
		}
	}
	used := map[string]any{}
	if m := sim.models["NetworkInterface"]; m != nil {
		for _, rw := range sim.rows(m) {
			used[strval(rw.obj["if"])] = rw.id
		}
	}
	for i, e := range out {
		if id, ok := used[strval(e["if"])]; ok && e["in_use_by"] != id {
			c := maps.Clone(e)
			c["in_use_by"] = id
			out[i] = c
		}
	}
	return out
}

func (sim *Simulator) setTopList(m *model, list []map[string]any) {
	sim.st.Lists[listKey(m)] = list
}

// childList returns the children of parent for a child model (they live in the parent's
// array field).
func childList(m *model, parent map[string]any) []map[string]any {
	items, _ := parent[m.parentField].([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if o, ok := it.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func setChildList(m *model, parent map[string]any, list []map[string]any) {
	items := make([]any, len(list))
	for i, o := range list {
		items[i] = o
	}
	parent[m.parentField] = items
}

func idOf(m *model, obj map[string]any, index int) any {
	if m.stringID {
		if id, ok := obj["id"]; ok {
			return id
		}
	}
	return int64(index)
}

// rows lists every object of a model: for a child model, the children of every parent.
func (sim *Simulator) rows(m *model) []row {
	if m.parent == nil || m.parentField == "" {
		list := sim.topList(m)
		out := make([]row, len(list))
		for i, o := range list {
			out[i] = row{id: idOf(m, o, i), obj: o, index: i}
		}
		return out
	}
	var out []row
	for _, pr := range sim.parentRows(m.parent) {
		for i, o := range childList(m, pr.obj) {
			out = append(out, row{parentID: pr.id, id: int64(i), obj: o, parent: pr.obj, index: i})
		}
	}
	return out
}

func (sim *Simulator) parentRows(p *model) []row {
	if !p.many {
		obj := sim.st.Singles[p.name]
		if obj == nil {
			return nil
		}
		return []row{{obj: obj}}
	}
	return sim.rows(p)
}

// idString renders an id as the REST API's messages show it.
func idString(v any) string {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// sameID compares a stored id with one from a request (query strings are strings, JSON
// ids numbers or strings).
func sameID(stored, given any) bool {
	switch s := stored.(type) {
	case int64:
		switch g := given.(type) {
		case json.Number:
			i, err := g.Int64()
			return err == nil && i == s
		case string:
			i, err := strconv.ParseInt(strings.TrimSpace(g), 10, 64)
			return err == nil && i == s
		case int64:
			return g == s
		}
	case string:
		return idString(given) == s
	}
	return false
}

// findParent resolves parent_id for a child model operation.
func (sim *Simulator) findParent(req *request) (row, *apiError) {
	m := req.m
	if !m.parent.many {
		obj := sim.st.Singles[m.parent.name]
		if obj == nil {
			return row{}, errf(404, "MODEL_PARENT_OBJECT_NOT_FOUND", "The parent object does not exist.")
		}
		return row{obj: obj}, nil
	}
	pid, ok := req.params["parent_id"]
	if !ok || pid == nil || pid == "" {
		return row{}, errf(400, "MODEL_PARENT_ID_REQUIRED", "Field `parent_id` is required.")
	}
	for _, pr := range sim.rows(m.parent) {
		if sameID(pr.id, pid) {
			return pr, nil
		}
	}
	return row{}, errf(404, "MODEL_PARENT_OBJECT_NOT_FOUND", "Parent object with ID `%s` does not exist.", idString(pid))
}

// siblings returns the list an operation works on and a function that stores it back.
func (sim *Simulator) siblings(req *request) ([]map[string]any, func([]map[string]any), row, *apiError) {
	m := req.m
	if m.parent == nil || m.parentField == "" {
		return sim.topList(m), func(l []map[string]any) { sim.setTopList(m, l) }, row{}, nil
	}
	pr, e := sim.findParent(req)
	if e != nil {
		return nil, nil, row{}, e
	}
	return childList(m, pr.obj), func(l []map[string]any) { setChildList(m, pr.obj, l) }, pr, nil
}

// findOne resolves id (and parent_id) for singular operations.
func (sim *Simulator) findOne(req *request) ([]map[string]any, func([]map[string]any), row, *apiError) {
	list, set, pr, e := sim.siblings(req)
	if e != nil {
		return nil, nil, row{}, e
	}
	id, ok := req.params["id"]
	if !ok || id == nil || id == "" {
		return nil, nil, row{}, errf(400, "MODEL_REQUIRES_ID", "Field `id` is required.")
	}
	for i, o := range list {
		if sameID(idOf(req.m, o, i), id) {
			return list, set, row{parentID: pr.id, id: idOf(req.m, o, i), obj: o, parent: pr.obj, index: i}, nil
		}
	}
	return nil, nil, row{}, errf(404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `%s` does not exist.", idString(id))
}

// hider returns which fields answers leave out: write-only fields always, sensitive
// fields unless expose_sensitive_fields is set in the REST API settings.
func (sim *Simulator) hider() func(*catalog.Prop) bool {
	settings := sim.st.Singles["RESTAPISettings"]
	if expose, _ := settings["expose_sensitive_fields"].(bool); expose {
		return hideWriteOnly
	}
	// Core/Model.inc is_field_hidden: `Model:field` entries of override_sensitive_fields show.
	over := listOf(settings["override_sensitive_fields"])
	if len(over) == 0 {
		return hideSensitive
	}
	shown := map[*catalog.Prop]bool{}
	for _, o := range over {
		model, field, _ := strings.Cut(strval(o), ":")
		if s := sim.cat.Schemas[model]; s != nil {
			if p := s.Prop(field); p != nil {
				shown[p] = true
			}
		}
	}
	return func(p *catalog.Prop) bool { return p.WriteOnly || (p.Sensitive && !shown[p]) }
}

func hideWriteOnly(p *catalog.Prop) bool { return p.WriteOnly }

func hideSensitive(p *catalog.Prop) bool { return p.WriteOnly || p.Sensitive }

func (sim *Simulator) encodeRow(rw row, m *model) []byte {
	return sim.appendRow(make([]byte, 0, 512), rw, m.schema, sim.hider())
}

func (sim *Simulator) encodeRows(rows []row, m *model) []byte {
	hide := sim.hider()
	b := make([]byte, 0, 256*len(rows)+2)
	b = append(b, '[')
	for i, rw := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = sim.appendRow(b, rw, m.schema, hide)
	}
	return append(b, ']')
}

// markPending records a change that needs an apply, unless the request applied it at once
// (spec-only models; native models mark their own subsystem, apply.go).
func (sim *Simulator) markPending(req *request, id any) {
	op := req.op
	if op.apply == "" || req.ctl.apply {
		return
	}
	if op.subsystem == "interfaces" {
		if req.m.name != "NetworkInterface" {
			return
		}
		sim.markDirty("interfaces")
		s := idString(id)
		for _, p := range sim.st.PendingInterfaces {
			if p == s {
				return
			}
		}
		sim.st.PendingInterfaces = append(sim.st.PendingInterfaces, s)
		return
	}
	sim.markDirty(op.subsystem)
}

// list answers a plural GET (Endpoint::get for a plural endpoint), with or without the native
// schema: without a query or sort, read_all (reverse, then paginate); with one, filter, sort,
// paginate, then reverse (Model::query); queryModel does both.
func (sim *Simulator) list(req *request) ([]byte, *apiError) {
	rows, e := sim.queryModel(req)
	if e != nil {
		return nil, e
	}
	for i := range rows {
		rows[i].obj = sim.readBack(req.m.schema, rows[i].obj)
	}
	return sim.encodeRows(rows, req.m), nil
}

func (sim *Simulator) getOne(req *request) ([]byte, *apiError) {
	_, _, rw, e := sim.findOne(req)
	if e != nil {
		return nil, e
	}
	rw.obj = sim.readBack(req.m.schema, rw.obj)
	return sim.encodeRow(rw, req.m), nil
}

func (sim *Simulator) create(req *request) ([]byte, *apiError) {
	m := req.m
	list, set, pr, e := sim.siblings(req)
	if e != nil {
		return nil, e
	}
	var required []string
	if req.op.Body != nil {
		required = req.op.Body.Required
	}
	obj, e := sim.buildObject(m.schema, required, req.params, nil, modeCreate, false, &req.ctl)
	if e != nil {
		return nil, e
	}
	if e := checkUnique(m.schema, obj, list, -1); e != nil {
		return nil, e
	}
	if e := sim.beforeStore(m, obj, nil); e != nil {
		return nil, e
	}
	if m.stringID {
		obj["id"] = sim.newStringID(m, obj)
	}
	pos := len(list)
	if p, ok := placementInt(req.ctl.placement); req.ctl.hasPlacement && ok && p >= 0 && int(p) < len(list) {
		pos = int(p)
	}
	list = append(list, nil)
	copy(list[pos+1:], list[pos:])
	list[pos] = obj
	set(list)
	rw := row{parentID: pr.id, id: idOf(m, obj, pos), obj: obj}
	sim.markPending(req, rw.id)
	return sim.encodeRow(rw, m), nil
}

// newStringID names a new object of an interface-keyed model: its interface field when it
// has one (DHCP servers), else the next free optN (interfaces).
func (sim *Simulator) newStringID(m *model, obj map[string]any) string {
	if s, ok := obj["interface"].(string); ok && s != "" {
		return s
	}
	used := map[string]bool{}
	for _, o := range sim.topList(m) {
		used[idString(o["id"])] = true
	}
	for n := 1; ; n++ {
		id := "opt" + strconv.Itoa(n)
		if !used[id] {
			return id
		}
	}
}

func (sim *Simulator) update(req *request) ([]byte, *apiError) {
	m := req.m
	list, set, rw, e := sim.findOne(req)
	if e != nil {
		return nil, e
	}
	obj, e := sim.buildObject(m.schema, nil, req.params, rw.obj, modeUpdate, false, &req.ctl)
	if e != nil {
		return nil, e
	}
	if e := checkUnique(m.schema, obj, list, rw.index); e != nil {
		return nil, e
	}
	if e := sim.beforeStore(m, obj, rw.obj); e != nil {
		return nil, e
	}
	list[rw.index] = obj
	if pv, ok := placementInt(req.ctl.placement); req.ctl.hasPlacement && ok && !m.stringID {
		// Core/Model.inc _update() calls set_placement(): the placement is capped at the number
		// of objects, the object is spliced out of its index and in at the placement, which
		// becomes its id; when it does not land there (a placement past the last index),
		// pfSense answers 500 MODEL_FAILED_TO_SET_PLACEMENT.
		p := min(int(pv), len(list))
		if p < 0 {
			return nil, errf(500, "MODEL_FAILED_TO_SET_PLACEMENT", "Failed to set placement for Model object.")
		}
		moved := append(append([]map[string]any(nil), list[:rw.index]...), list[rw.index+1:]...)
		at := min(p, len(moved))
		moved = append(moved[:at], append([]map[string]any{obj}, moved[at:]...)...)
		if at != p {
			return nil, errf(500, "MODEL_FAILED_TO_SET_PLACEMENT", "Failed to set placement for Model object.")
		}
		list, rw.index, rw.id = moved, p, idOf(m, obj, p)
	}
	set(list)
	rw.obj = obj
	sim.markPending(req, rw.id)
	return sim.encodeRow(rw, m), nil
}

func (sim *Simulator) deleteOne(req *request) ([]byte, *apiError) {
	m := req.m
	list, set, rw, e := sim.findOne(req)
	if e != nil {
		return nil, e
	}
	if e := sim.deletable(m, rw); e != nil {
		return nil, e
	}
	out := make([]map[string]any, 0, len(list)-1)
	out = append(out, list[:rw.index]...)
	out = append(out, list[rw.index+1:]...)
	set(out)
	sim.afterDelete(m, rw.obj)
	sim.markPending(req, rw.id)
	return sim.encodeRow(rw, m), nil
}

// deletable refuses system objects (the admin user, the admins group) like pfSense does.
func (sim *Simulator) deletable(m *model, rw row) *apiError {
	if scope, _ := rw.obj["scope"].(string); scope == "system" {
		return errf(403, "MODEL_CANNOT_DELETE_PROTECTED_OBJECT", "Object with ID `%s` is protected and cannot be deleted.", idString(rw.id))
	}
	if m.name == "NetworkInterface" && rw.id == "wan" {
		return errf(403, "MODEL_CANNOT_DELETE_PROTECTED_OBJECT", "Object with ID `wan` is protected and cannot be deleted.")
	}
	if user, uid, ok := sim.referencedBy(m, rw.obj); ok {
		if uid == nil {
			return errf(409, "MODEL_CANNOT_BE_DELETED_WHILE_REFERENCED", "Object with ID `%s` cannot be deleted while it is in use by `%s`.", idString(rw.id), user)
		}
		return errf(409, "MODEL_CANNOT_BE_DELETED_WHILE_REFERENCED", "Object with ID `%s` cannot be deleted while it is in use by `%s` object with ID `%s`.", idString(rw.id), user, idString(uid))
	}
	return nil
}

// deleteMany answers a plural DELETE. It needs a query; unknown field names in the query
// are ignored, so a misspelled filter matches, and deletes, every object, exactly like the
// real API.
func (sim *Simulator) deleteMany(req *request) ([]byte, *apiError) {
	m := req.m
	var matched []row
	if req.ctl.all {
		matched = sim.rows(m)
	} else {
		if len(req.params) == 0 {
			return nil, errf(400, "MODEL_DELETE_MANY_REQUIRES_QUERY_PARAMS", "At least one query parameter is required to perform mass deletion.")
		}
		rows, e := sim.queryRows(req, sim.rows(m))
		if e != nil {
			return nil, e
		}
		matched = paginate(rows, req.ctl.limit, req.ctl.offset)
	}
	gone := make(map[uintptr]bool, len(matched))
	for i := range matched {
		if e := sim.deletable(m, matched[i]); e != nil {
			return nil, e
		}
		gone[mapID(matched[i].obj)] = true
	}
	keep := func(list []map[string]any) []map[string]any {
		out := make([]map[string]any, 0, len(list))
		for _, o := range list {
			if !gone[mapID(o)] {
				out = append(out, o)
			}
		}
		return out
	}
	if m.parent == nil || m.parentField == "" {
		sim.setTopList(m, keep(sim.topList(m)))
	} else {
		for _, pr := range sim.parentRows(m.parent) {
			setChildList(m, pr.obj, keep(childList(m, pr.obj)))
		}
	}
	for _, rw := range matched {
		sim.afterDelete(m, rw.obj)
	}
	if len(matched) > 0 {
		sim.markPending(req, nil)
	}
	return sim.encodeRows(matched, m), nil
}

// mapID identifies a stored object (maps are not comparable).
func mapID(o map[string]any) uintptr { return reflect.ValueOf(o).Pointer() }

// replace answers a plural PUT: every object is replaced by the request's list, re-indexed
// from 0.
func (sim *Simulator) replace(req *request) ([]byte, *apiError) {
	m := req.m
	var required []string
	if req.op.Body != nil {
		required = req.op.Body.Required
	}
	out := make([]map[string]any, 0, len(req.list))
	if m.parent == nil {
		// Protected (system) objects survive a replace, as in the REST API.
		for _, o := range sim.topList(m) {
			if scope, _ := o["scope"].(string); scope == "system" {
				out = append(out, o)
			}
		}
	}
	for _, it := range req.list {
		in, ok := it.(map[string]any)
		if !ok {
			return nil, errf(400, "ENDPOINT_REQUEST_DATA_MUST_BE_INDEXED_ARRAY", "The request data must be an indexed array of objects for this endpoint.")
		}
		obj, e := sim.buildObject(m.schema, required, in, nil, modeCreate, false, &req.ctl)
		if e != nil {
			return nil, e
		}
		if e := checkUnique(m.schema, obj, out, -1); e != nil {
			return nil, e
		}
		if e := sim.beforeStore(m, obj, nil); e != nil {
			return nil, e
		}
		if m.stringID {
			if id, ok := in["id"].(string); ok && id != "" {
				obj["id"] = id
			} else {
				obj["id"] = sim.newStringID(m, obj)
			}
		}
		out = append(out, obj)
	}
	if m.parent == nil || m.parentField == "" {
		sim.setTopList(m, out)
	}
	rows := make([]row, len(out))
	for i, o := range out {
		rows[i] = row{id: idOf(m, o, i), obj: o, index: i}
	}
	sim.markPending(req, nil)
	return sim.encodeRows(rows, m), nil
}

func (sim *Simulator) getSingle(req *request) ([]byte, *apiError) {
	obj := sim.st.Singles[req.m.name]
	if obj == nil {
		obj = map[string]any{}
	}
	return sim.encodeRow(row{obj: sim.readBack(req.m.schema, obj)}, req.m), nil
}

func (sim *Simulator) updateSingle(req *request) ([]byte, *apiError) {
	m := req.m
	obj, e := sim.buildObject(m.schema, nil, req.params, sim.st.Singles[m.name], modeUpdate, false, &req.ctl)
	if e != nil {
		return nil, e
	}
	if e := sim.beforeStore(m, obj, sim.st.Singles[m.name]); e != nil {
		return nil, e
	}
	sim.st.Singles[m.name] = obj
	sim.markPending(req, nil)
	return sim.encodeRow(row{obj: obj}, m), nil
}

// dropWhere removes the objects of a top-level list whose field is value (as text), into a new
// slice: readers holding the old one keep what they read.
func (sim *Simulator) dropWhere(list, field, value string) {
	rows := sim.st.Lists[list]
	kept := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		if strval(r[field]) != value {
			kept = append(kept, r)
		}
	}
	sim.st.Lists[list] = kept
}
