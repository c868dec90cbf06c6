package simulator

// HATEOAS links (RESTAPISettings hateoas): Core/Model.inc to_representation appends the
// object's get_related_links (self, update and delete on the model's singular endpoint, as
// get_related_link builds them: ?id= on GET and DELETE links of many models, with parent_id
// first for children, and id, parent_id and a title as custom attributes), and
// Core/Response.inc to_representation adds the endpoint's resource links under a root _links
// (for plural GET and DELETE, prev and next: Endpoint::get_pagination_resource_links). The
// links of foreign-key fields (`pfsense:field:<name>`) are not simulated.

import (
	"maps"
	"slices"
	"strconv"
)

func (sim *Simulator) hateoas() bool {
	return truthy(sim.st.Singles["RESTAPISettings"]["hateoas"])
}

// singularRoute is the model's endpoint without many (Model::get_related_endpoint(many: false)).
func (sim *Simulator) singularRoute(name string) *route {
	sim.singularOnce.Do(func() {
		sim.singular = map[string]*route{}
		for _, p := range slices.Sorted(maps.Keys(sim.routes)) {
			rt := sim.routes[p]
			for _, op := range rt.ops {
				if !op.Plural && sim.singular[op.model.name] == nil {
					sim.singular[op.model.name] = rt
				}
				break
			}
		}
	})
	return sim.singular[name]
}

// appendLinks writes ,"_links":{...} for an object of model m, or nothing.
func (sim *Simulator) appendLinks(b []byte, m *model, rw row) []byte {
	rt := sim.singularRoute(m.name)
	if rt == nil {
		return b
	}
	title := sim.verboseName(m.name)
	if m.many {
		title += ": " + strval(rw.id)
	}
	link := func(b []byte, rel, method string) []byte {
		href := rt.path
		if m.many && (method == "GET" || method == "DELETE") {
			if rw.parentID != nil {
				href += "?parent_id=" + strval(rw.parentID) + "&id=" + strval(rw.id)
			} else {
				href += "?id=" + strval(rw.id)
			}
		}
		b = appendString(b, rel)
		b = append(b, `:{"href":`...)
		b = appendString(b, href)
		b = append(b, `,"method":`...)
		b = appendString(b, method)
		b = append(b, `,"id":`...)
		b = sim.appendValue(b, rw.id, nil)
		b = append(b, `,"parent_id":`...)
		b = sim.appendValue(b, rw.parentID, nil)
		b = append(b, `,"title":`...)
		b = appendString(b, title)
		return append(b, '}')
	}
	var rels [][2]string
	for _, l := range [][2]string{{"self", "GET"}, {"update", "PATCH"}, {"delete", "DELETE"}} {
		if rt.ops[l[1]] != nil {
			rels = append(rels, l)
		}
	}
	b = append(b, `"_links":`...)
	if len(rels) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '{')
	for i, l := range rels {
		if i > 0 {
			b = append(b, ',')
		}
		b = link(b, l[0], l[1])
	}
	return append(b, '}')
}

// rootLinks is the response's _links: prev and next for plural GET and DELETE, else none.
func rootLinks(req *request) []byte {
	if req == nil || req.op == nil || !req.op.Plural || (req.op.Method != "GET" && req.op.Method != "DELETE") {
		return []byte(`[]`)
	}
	limit, offset := req.ctl.limit, req.ctl.offset
	if req.op.Method == "DELETE" && req.ctl.all {
		limit, offset = 0, 0
	}
	prev := offset - limit
	if prev < 0 {
		prev = 0
	}
	href := func(off int64) []byte {
		return appendString(nil, req.op.Path+"?offset="+strconv.FormatInt(off, 10)+"&limit="+strconv.FormatInt(limit, 10))
	}
	b := []byte(`{"prev":{"href":`)
	b = append(b, href(prev)...)
	b = append(b, `,"method":"GET"},"next":{"href":`...)
	b = append(b, href(offset+limit)...)
	return append(b, `,"method":"GET"}}`...)
}

// withRootLinks adds the root _links to an envelope answer.
func withRootLinks(a answer, req *request) answer {
	if len(a.body) < 2 || a.body[len(a.body)-1] != '}' || a.ctype != "" {
		return a
	}
	b := append([]byte(nil), a.body[:len(a.body)-1]...)
	b = append(b, `,"_links":`...)
	b = append(b, rootLinks(req)...)
	a.body = append(b, '}')
	return a
}
