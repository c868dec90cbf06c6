package simulator

import (
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

// model is what the simulator knows about one REST API model (e.g. FirewallAlias), derived
// from the operations that name it. Singular and plural endpoints of a model share it, and
// with it one store.
type model struct {
	name   string
	schema *catalog.Schema
	// many: objects have ids (a singular endpoint takes id, or a plural endpoint exists);
	// otherwise the model is a singleton (settings, status) or an action.
	many bool
	// stringID: ids are names (wan, lan, opt1), not array indices.
	stringID bool
	// parent is the parent model of a child model; field is the parent's array property
	// that holds the children (e.g. WireGuardPeer.allowedips).
	parent      *model
	parentField string
	// hasGet: some endpoint reads the model (otherwise a singular POST is an action).
	hasGet bool
	// writable: some endpoint creates, updates or replaces objects.
	writable bool
	packages []string
	// info is the package's own model facts (native schema and rules table); nil when the
	// build has none, and the model is then simulated from the spec alone.
	info *catalog.ModelInfo
}

// native reports whether the model follows the package's own rules.
func (m *model) native() bool { return m != nil && m.info != nil }

// route is one URL path and its operations by method.
type route struct {
	path string
	ops  map[string]*operation
	// allow lists the methods for 405 answers, in a fixed order.
	allow []string
}

// operation is one spec operation bound to its model.
type operation struct {
	*catalog.Op
	model *model
	// apply is the apply endpoint path whose pending state a change through this operation
	// marks (""), and subsystem the name it is pending under.
	apply     string
	subsystem string
}

// buildModels derives models and routes from the catalog.
func buildModels(c *catalog.Catalog) (map[string]*model, map[string]*route) {
	models := map[string]*model{}
	routes := map[string]*route{}
	get := func(name string) *model {
		m := models[name]
		if m == nil {
			m = &model{name: name, schema: c.Schemas[name]}
			if m.schema == nil {
				m.schema = &catalog.Schema{Name: name}
			}
			models[name] = m
		}
		return m
	}
	for _, op := range c.Ops {
		m := get(op.Model)
		m.info = m.schema.Info
		if m.info != nil {
			m.many, m.stringID = m.info.Many, m.info.IDType == "string"
		} else if op.Plural || op.HasParam("id") || op.IDType != "" {
			m.many = true
		}
		if op.IDType == "string" && m.info == nil {
			m.stringID = true
		}
		if op.Method == "GET" {
			m.hasGet = true
		}
		switch op.Method {
		case "PATCH", "PUT":
			m.writable = true
		case "POST":
			if op.Body != nil {
				for _, r := range op.Body.Required {
					if r == "id" {
						m.writable = true
					}
				}
			}
		}
		if len(op.Packages) > 0 {
			m.packages = op.Packages
		}
		if m.info != nil {
			m.packages = m.info.Packages
		}
		parent := op.Parent
		if m.info != nil {
			parent = m.info.Parent
		}
		if parent != "" && m.parent == nil {
			p := get(parent)
			m.parent = p
			for _, pp := range p.schema.Props {
				if pp.ItemModel == op.Model || (pp.F != nil && pp.F.Nested == op.Model) {
					m.parentField = pp.Name
				}
			}
		}
		r := routes[op.Path]
		if r == nil {
			r = &route{path: op.Path, ops: map[string]*operation{}}
			routes[op.Path] = r
		}
		r.ops[op.Method] = &operation{Op: op, model: m}
	}
	// A POST on a many-model creates objects.
	for _, op := range c.Ops {
		if op.Method == "POST" && models[op.Model].many {
			models[op.Model].writable = true
		}
	}
	applies := map[string]string{} // directory -> apply path
	for path, r := range routes {
		if strings.HasSuffix(path, "/apply") && r.ops["GET"] != nil {
			applies[strings.TrimSuffix(path, "/apply")] = path
		}
	}
	order := map[string]int{"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
	for path, r := range routes {
		for m := range r.ops {
			r.allow = append(r.allow, m)
		}
		sort.Slice(r.allow, func(i, j int) bool { return order[r.allow[i]] < order[r.allow[j]] })
		if strings.HasSuffix(path, "/apply") {
			continue
		}
		for _, op := range r.ops {
			if op.Method == "GET" || op.Immediate != "No" {
				continue
			}
			op.apply, op.subsystem = pendingFor(applies, path, op.Model)
		}
	}
	return models, routes
}

// pendingFor finds the apply endpoint that covers path (the longest directory prefix) and
// the pfSense subsystem a change there marks dirty. FirewallRule marks none: in v2.7.1 the
// REST API applies filter changes only through the firewall apply endpoint's reload, and the
// rule model does not mark a subsystem.
func pendingFor(applies map[string]string, path, modelName string) (string, string) {
	if modelName == "FirewallRule" {
		return "", ""
	}
	best := ""
	for dir := range applies {
		if (path == dir || strings.HasPrefix(path, dir+"/")) && len(dir) > len(best) {
			best = dir
		}
	}
	if best == "" {
		return "", ""
	}
	rest := strings.TrimPrefix(path, best)
	sub := subsystems[best]
	if best == "/api/v2/firewall" {
		switch {
		case strings.HasPrefix(rest, "/alias"):
			sub = "aliases"
		case strings.HasPrefix(rest, "/nat"):
			sub = "natconf"
		case strings.HasPrefix(rest, "/traffic_shaper"):
			sub = "shaper"
		default:
			sub = "filter"
		}
	}
	if sub == "" {
		sub = strings.TrimPrefix(best[strings.LastIndex(best, "/"):], "/")
	}
	return applies[best], sub
}

// subsystems names the pfSense subsystem behind each apply endpoint's directory.
var subsystems = map[string]string{
	"/api/v2/firewall/virtual_ip":    "vip",
	"/api/v2/interface":              "interfaces",
	"/api/v2/routing":                "staticroutes",
	"/api/v2/services/dhcp_server":   "dhcpd",
	"/api/v2/services/dns_resolver":  "unbound",
	"/api/v2/services/dns_forwarder": "hosts",
	"/api/v2/vpn/ipsec":              "ipsec",
	"/api/v2/vpn/wireguard":          "wireguard",
	"/api/v2/services/haproxy":       "haproxy",
}
