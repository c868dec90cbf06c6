package simulator

import (
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// filter is one `field__op=value` query parameter.
type filter struct {
	field, op, value string
}

var filterOps = map[string]bool{
	"exact": true, "except": true, "contains": true, "startswith": true, "endswith": true,
	"in": true, "lt": true, "lte": true, "gt": true, "gte": true, "format": true, "regex": true,
}

// query applies the request's filters, sorting, reverse, offset and limit to rows.
func (sim *Simulator) query(req *request, rows []row) ([]row, *apiError) {
	var filters []filter
	for k, v := range req.params {
		if controlNames[k] {
			continue
		}
		f := filter{field: k, op: "exact", value: queryString(v)}
		if i := strings.LastIndex(k, "__"); i > 0 {
			f.field, f.op = k[:i], k[i+2:]
			if !filterOps[f.op] {
				return nil, errf(404, "QUERY_FILTER_NOT_FOUND", "No query filter named `%s` exists.", f.op)
			}
		}
		// Unknown fields are skipped: the filter matches every object, as in the REST API.
		if f.field != "id" && f.field != "parent_id" && req.m.schema.Prop(f.field) == nil {
			continue
		}
		filters = append(filters, f)
	}
	out := rows
	if len(filters) > 0 {
		out = make([]row, 0, len(rows))
		for _, rw := range rows {
			ok := true
			for _, f := range filters {
				m, e := f.match(rw)
				if e != nil {
					return nil, e
				}
				if !m {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, rw)
			}
		}
	}
	if len(req.ctl.sortBy) > 0 {
		for _, f := range req.ctl.sortBy {
			if req.m.schema.Prop(f) == nil {
				return nil, errf(400, "ENDPOINT_SORT_BY_FIELD_NON_EXISTENT_FIELD", "Field `%s` cannot be used to sort: it does not exist.", f)
			}
		}
		if len(filters) == 0 {
			out = append([]row(nil), out...)
		}
		desc := req.ctl.sortOrder == "SORT_DESC"
		sort.SliceStable(out, func(i, j int) bool {
			for _, f := range req.ctl.sortBy {
				c := compareValues(out[i].obj[f], out[j].obj[f])
				if c != 0 {
					if desc {
						return c > 0
					}
					return c < 0
				}
			}
			return false
		})
	}
	if req.ctl.reverse {
		rev := make([]row, len(out))
		for i, rw := range out {
			rev[len(out)-1-i] = rw
		}
		out = rev
	}
	if req.ctl.offset > 0 {
		if req.ctl.offset >= int64(len(out)) {
			return []row{}, nil
		}
		out = out[req.ctl.offset:]
	}
	if req.ctl.limit > 0 && req.ctl.limit < int64(len(out)) {
		out = out[:req.ctl.limit]
	}
	return out, nil
}

func queryString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = queryString(e)
		}
		return strings.Join(parts, ",")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func (f filter) match(rw row) (bool, *apiError) {
	var v any
	switch f.field {
	case "id":
		v = rw.id
	case "parent_id":
		v = rw.parentID
	default:
		v = rw.obj[f.field]
	}
	switch f.op {
	case "exact":
		return looseEqual(v, f.value), nil
	case "except":
		return !looseEqual(v, f.value), nil
	case "contains":
		if items, ok := v.([]any); ok {
			for _, it := range items {
				if looseEqual(it, f.value) {
					return true, nil
				}
			}
			return false, nil
		}
		return strings.Contains(scalarString(v), f.value), nil
	case "startswith":
		if items, ok := v.([]any); ok {
			return len(items) > 0 && looseEqual(items[0], f.value), nil
		}
		return strings.HasPrefix(scalarString(v), f.value), nil
	case "endswith":
		if items, ok := v.([]any); ok {
			return len(items) > 0 && looseEqual(items[len(items)-1], f.value), nil
		}
		return strings.HasSuffix(scalarString(v), f.value), nil
	case "in":
		for _, want := range strings.Split(f.value, ",") {
			if looseEqual(v, strings.TrimSpace(want)) {
				return true, nil
			}
		}
		return false, nil
	case "lt", "lte", "gt", "gte":
		a, ok1 := number(v)
		b, ok2 := strconv.ParseFloat(strings.TrimSpace(f.value), 64)
		if !ok1 || ok2 != nil {
			return false, nil
		}
		switch f.op {
		case "lt":
			return a < b, nil
		case "lte":
			return a <= b, nil
		case "gt":
			return a > b, nil
		}
		return a >= b, nil
	case "format":
		return matchFormat(scalarString(v), f.value), nil
	case "regex":
		re, err := phpRegex(f.value)
		if err != nil {
			return false, errf(400, "REGEX_QUERY_FILTER_INVALID_PATTERN", "The regex pattern `%s` is not valid.", f.value)
		}
		return re.MatchString(scalarString(v)), nil
	}
	return true, nil
}

// phpRegex turns a PCRE pattern with delimiters (/^bt_/i) into a Go regexp.
func phpRegex(p string) (*regexp.Regexp, error) {
	if len(p) < 2 {
		return nil, fmt.Errorf("no delimiters")
	}
	d := p[0]
	end := strings.LastIndexByte(p, d)
	if end <= 0 {
		return nil, fmt.Errorf("no closing delimiter")
	}
	body, flags := p[1:end], p[end+1:]
	prefix := ""
	for _, f := range flags {
		switch f {
		case 'i', 'm', 's':
			prefix += string(f)
		}
	}
	if prefix != "" {
		body = "(?" + prefix + ")" + body
	}
	return regexp.Compile(body)
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return ""
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// looseEqual compares a stored value with a query string the way PHP's == does for the
// values the API stores.
func looseEqual(v any, q string) bool {
	switch x := v.(type) {
	case string:
		return x == q
	case int64, float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		n, _ := number(x)
		return err == nil && f == n
	case bool:
		switch strings.ToLower(q) {
		case "true", "1", "yes", "on":
			return x
		case "false", "0", "", "no", "off":
			return !x
		}
		return false
	case nil:
		return q == ""
	}
	return false
}

func compareValues(a, b any) int {
	fa, oka := number(a)
	fb, okb := number(b)
	if oka && okb {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(scalarString(a), scalarString(b))
}

var (
	macRe      = regexp.MustCompile(`^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$`)
	hostnameRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	fqdnRe     = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$`)
	aliasRe    = regexp.MustCompile(`^[A-Za-z0-9_]{1,31}$`)
)

func matchFormat(v, format string) bool {
	switch format {
	case "ipv4":
		ip := net.ParseIP(v)
		return ip != nil && ip.To4() != nil && strings.Contains(v, ".")
	case "ipv6":
		ip := net.ParseIP(v)
		return ip != nil && strings.Contains(v, ":")
	case "ip":
		return net.ParseIP(v) != nil
	case "subnet":
		_, _, err := net.ParseCIDR(v)
		return err == nil
	case "subnetv4":
		ip, _, err := net.ParseCIDR(v)
		return err == nil && ip.To4() != nil
	case "subnetv6":
		ip, _, err := net.ParseCIDR(v)
		return err == nil && ip.To4() == nil
	case "mac":
		return macRe.MatchString(v)
	case "hostname":
		return hostnameRe.MatchString(v)
	case "fqdn":
		return fqdnRe.MatchString(v)
	case "port":
		n, err := strconv.Atoi(v)
		return err == nil && n >= 1 && n <= 65535
	case "portrange":
		lo, hi, ok := strings.Cut(v, ":")
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		return ok && err1 == nil && err2 == nil && a >= 1 && b <= 65535 && a <= b
	case "alias":
		return aliasRe.MatchString(v)
	}
	return false
}
