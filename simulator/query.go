package simulator

import (
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/pfutil"
)

// Lists and plural deletes select objects as Core/ModelSet.inc query() does: every request
// data key is a filter `field` or `field__filter` (QueryFilters/*.inc), tried on each object
// in request order; a field the model does not have is skipped (so it matches everything),
// a filter name that does not exist is a 404 as soon as one object is looked at.

// filter is one query parameter.
type filter struct {
	field, op string
	value     any
	sim       *Simulator // for the `alias` format
}

// filterNames are the QueryFilters classes' names.
var filterNames = map[string]bool{
	"exact": true, "except": true, "contains": true, "startswith": true, "endswith": true,
	"in": true, "lt": true, "lte": true, "gt": true, "gte": true, "format": true, "regex": true,
}

// modelProperties are Core/Model.inc's own properties: a filter on one of them is not
// skipped; it reads `$object->$name->value`, which is null.
var modelProperties = map[string]bool{
	"config_path": true, "many": true, "many_minimum": true, "many_maximum": true, "id_type": true,
	"auto_create_id": true, "parent_id_type": true, "parent_model_class": true, "parent_model": true,
	"cache_class": true, "cache": true, "model_cache_exempt": true, "related_objects": true, "async": true,
	"client": true, "initial_object": true, "protected_model_query": true, "packages": true,
	"package_includes": true, "unique_together_fields": true, "internal_callable": true, "placement": true,
	"sort_order": true, "sort_flags": true, "sort_by": true, "subsystem": true, "always_apply": true,
	"update_strategy": true, "skip_init": true, "verbose_name": true, "verbose_name_plural": true,
	"dry_run": true,
}

// newFilter is ModelSet::get_query_options: the part after the last `__` names the filter;
// a name that is no filter is a 404 (QueryFilter::get_by_name).
func newFilter(key string, value any) (filter, *apiError) {
	f := filter{field: key, op: "exact", value: value}
	if strings.Contains(key, "__") {
		parts := strings.Split(key, "__")
		last := parts[len(parts)-1]
		if !filterNames[last] {
			return f, errf(404, "QUERY_FILTER_NOT_FOUND", "No QueryFilter class found with the name '%s'.", last)
		}
		f.op, f.field = last, strings.Join(parts[:len(parts)-1], "__")
	}
	return f, nil
}

// queryRows filters rows by the request data as ModelSet::query does.
func (sim *Simulator) queryRows(req *request, rows []row) ([]row, *apiError) {
	keys := req.keys
	if len(keys) != len(req.params) {
		keys = sortedKeys(req.params)
	}
	if len(keys) == 0 {
		return rows, nil
	}
	out := make([]row, 0, len(rows))
	for _, rw := range rows {
		match := true
		for _, k := range keys {
			f, e := newFilter(k, req.params[k])
			if e != nil {
				return nil, e
			}
			f.sim = sim
			if !sim.hasField(req.m, f.field) {
				continue
			}
			if f.op == "regex" {
				// RegexQueryFilter::evaluate calls preg_match with the field's value as the
				// subject: a list or object is a TypeError, which the endpoint answers as a 500.
				switch f.fieldValue(rw).(type) {
				case []any, map[string]any:
					return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "preg_match(): Argument #2 ($subject) must be of type string, array given")
				}
			}
			if !f.match(rw) {
				match = false
				break
			}
		}
		if match {
			out = append(out, rw)
		}
	}
	return out, nil
}

// hasField is property_exists($model_object, $field): a field, id, parent_id or one of the
// model's own properties.
func (sim *Simulator) hasField(m *model, field string) bool {
	if field == "id" || field == "parent_id" || m.schema.Prop(field) != nil {
		return true
	}
	return m.native() && modelProperties[field]
}

func (f filter) fieldValue(rw row) any {
	switch f.field {
	case "id":
		return rw.id
	case "parent_id":
		return rw.parentID
	}
	return rw.obj[f.field]
}

// match is the filter's evaluate() (QueryFilters/*QueryFilter.inc).
func (f filter) match(rw row) bool {
	v, q := f.fieldValue(rw), f.value
	switch f.op {
	case "exact":
		return looseEqualsFilter(v, q)
	case "except":
		return !looseEqualsFilter(v, q)
	case "contains":
		if items, ok := v.([]any); ok {
			return inArray(q, items)
		}
		return strings.Contains(strval(v), strval(q))
	case "startswith":
		if items, ok := v.([]any); ok {
			if len(items) == 0 {
				return strings.HasPrefix("", strval(q))
			}
			v = items[0]
		}
		return strings.HasPrefix(strval(v), strval(q))
	case "endswith":
		if items, ok := v.([]any); ok {
			if len(items) == 0 {
				return strings.HasSuffix("", strval(q))
			}
			v = items[len(items)-1]
		}
		return strings.HasSuffix(strval(v), strval(q))
	case "in":
		// InQueryFilter: membership only for a list filter value on a scalar field; otherwise
		// a substring test of the field in the filter value (so `name__in=webservers`
		// matches `web`, and an empty field matches anything).
		if items, ok := q.([]any); ok {
			if _, fieldIsList := v.([]any); !fieldIsList {
				return inArray(v, items)
			}
		}
		return strings.Contains(strval(q), strval(v))
	case "lt", "lte", "gt", "gte":
		if !isNumeric(v) || !isNumeric(q) {
			return false
		}
		a, b := toFloat(v), toFloat(q)
		switch f.op {
		case "lt":
			return a < b
		case "lte":
			return a <= b
		case "gt":
			return a > b
		}
		return a >= b
	case "format":
		if strval(q) == "alias" {
			return f.sim != nil && f.sim.aliasNamed(strval(v))
		}
		return matchFormat(v, strval(q), rw)
	case "regex":
		re := compilePCRE(strval(q))
		if re == nil {
			return false
		}
		return re.MatchString(strval(v))
	}
	return true
}

// matchFormat is FormatQueryFilter::evaluate.
func matchFormat(v any, format string, _ row) bool {
	s, isStr := v.(string)
	switch format {
	case "ipv4":
		return isStr && pfutil.IsIPv4(s)
	case "ipv6":
		return isStr && pfutil.IsIPv6(s)
	case "ip":
		return isStr && pfutil.IsIP(s) != 0
	case "mac":
		return pfutil.IsMAC(strval(v))
	case "subnetv4":
		return isStr && pfutil.IsSubnet(s) == 4
	case "subnetv6":
		return isStr && pfutil.IsSubnet(s) == 6
	case "subnet":
		return isStr && pfutil.IsSubnet(s) != 0
	case "email":
		return isEmail(strval(v))
	case "url":
		return isURL(strval(v))
	case "numeric":
		return isNumeric(v)
	case "hostname":
		return isStr && pfutil.IsHostname(s)
	case "fqdn":
		return pfutil.IsFQDN(strval(v))
	case "port":
		return pfutil.IsPort(strval(v))
	case "portrange":
		return pfutil.IsPortRange(strval(v))
	}
	return false
}

// sortRows is ModelSet::sort with retain_ids (lists keep the objects' ids).
func sortRows(rows []row, fields []string, desc bool, flags string) []row {
	out := append([]row(nil), rows...)
	stableSortBy(out, func(r row, f string) any {
		if f == "id" {
			return r.id
		}
		return r.obj[f]
	}, fields, desc, flags)
	return out
}

// reverseRows is array_reverse.
func reverseRows(rows []row) []row {
	out := make([]row, len(rows))
	for i, r := range rows {
		out[len(rows)-1-i] = r
	}
	return out
}

// aliasNamed: a firewall alias of any type has this name (FormatQueryFilter `alias`).
func (sim *Simulator) aliasNamed(name string) bool {
	for _, a := range sim.st.Lists["FirewallAlias"] {
		if a["name"] == name {
			return true
		}
	}
	return false
}
