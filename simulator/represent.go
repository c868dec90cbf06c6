package simulator

// represent_interfaces_as (RESTAPISettings): interface fields are sent and answered by the
// interface's id (wan), its description (WAN) or its device (em0). Fields/InterfaceField.inc
// _to_internal looks the given value up among the interfaces by that field (else keeps it),
// _from_internal answers the interface's field (a description left empty reads as the id in
// upper case); SpecialNetworkField.inc does the same before an `:ip` suffix, and
// FilterAddressField.inc after a `!`. The simulator stores the id form and translates at the
// edges; a choice error lists the ids.

import (
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

var representedClasses = map[string]bool{"InterfaceField": true, "SpecialNetworkField": true, "FilterAddressField": true}

func (sim *Simulator) representation() string {
	r := strval(sim.st.Singles["RESTAPISettings"]["represent_interfaces_as"])
	if r == "descr" || r == "if" {
		return r
	}
	return "id"
}

// ifaceRows are the interfaces as (id, if, descr).
func (sim *Simulator) ifaceRows() [][3]string {
	m := sim.models["NetworkInterface"]
	if m == nil {
		return nil
	}
	var out [][3]string
	for _, rw := range sim.rows(m) {
		out = append(out, [3]string{strval(rw.id), strval(rw.obj["if"]), strval(rw.obj["descr"])})
	}
	return out
}

// toIfaceID is _to_internal of one interface name.
func (sim *Simulator) toIfaceID(v, as string) string {
	for _, r := range sim.ifaceRows() {
		if (as == "if" && r[1] == v) || (as == "descr" && r[2] == v) {
			return r[0]
		}
	}
	return v
}

// fromIfaceID is _from_internal of one interface id.
func (sim *Simulator) fromIfaceID(v, as string) string {
	for _, r := range sim.ifaceRows() {
		if r[0] != v {
			continue
		}
		if as == "if" {
			return r[1]
		}
		if r[2] == "" {
			return strings.ToUpper(r[0])
		}
		return r[2]
	}
	return v
}

// translateIface converts one value of a represented field; in is true for request data.
func (sim *Simulator) translateIface(class string, v any, as string, in bool) any {
	s, ok := v.(string)
	if !ok {
		if l, isList := v.([]any); isList {
			out := make([]any, len(l))
			for i, x := range l {
				out[i] = sim.translateIface(class, x, as, in)
			}
			return out
		}
		return v
	}
	conv := sim.fromIfaceID
	if in {
		conv = sim.toIfaceID
	}
	neg := ""
	if class == "FilterAddressField" && strings.HasPrefix(s, "!") {
		neg, s = "!", s[1:]
	}
	suffix := ""
	if class != "InterfaceField" && strings.HasSuffix(s, ":ip") {
		s, suffix = strings.TrimSuffix(s, ":ip"), ":ip"
	}
	return neg + conv(s, as) + suffix
}

// representIn turns the request's interface values into ids.
func (sim *Simulator) representIn(req *request) {
	as := sim.representation()
	if as == "id" || req.m == nil || req.m.schema == nil {
		return
	}
	conv := func(obj map[string]any) {
		for k, v := range obj {
			base := k
			if i := strings.Index(k, "__"); i > 0 {
				base = k[:i] // a query filter on the field
			}
			if p := req.m.schema.Prop(base); p != nil && p.F != nil && representedClasses[p.F.Class] {
				obj[k] = sim.translateIface(p.F.Class, v, as, true)
			}
		}
	}
	conv(req.params)
	for _, it := range req.list {
		if o, ok := it.(map[string]any); ok {
			conv(o)
		}
	}
}

// representOut is the value an answer shows for a represented field.
func (sim *Simulator) representOut(p *catalog.Prop, v any) any {
	if p == nil || p.F == nil || !representedClasses[p.F.Class] {
		return v
	}
	as := sim.representation()
	if as == "id" {
		return v
	}
	return sim.translateIface(p.F.Class, v, as, false)
}
