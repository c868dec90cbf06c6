package toolcall

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/suggest"
)

// request is a tool call turned into an HTTP request plus what shaping its answer needs.
type request struct {
	http   pfclient.Request
	page   *page    // list tools only
	fields []string // projection; nil = every field
	// notes say how the server changed what was asked (a filter on a list field translated):
	// the answer and the preview carry them.
	notes []string
	// sent say which fields the server added to what is sent (toolspec.Tool.Companions).
	sent []string
}

// page says how a list answer is paged. The REST API returns everything by default, so the
// server always bounds the answer: config objects are fetched whole and paged here (so the
// total is known); logs, status tables and state tables are paged by the firewall, asking for
// one row more than the page to learn whether more exist.
type page struct {
	limit, offset int
	remote        bool
}

// filterOps are the REST API's query filter operators (`field__op=value`).
var filterOps = map[string]bool{
	"exact": true, "except": true, "contains": true, "startswith": true, "endswith": true, "in": true,
	"lt": true, "lte": true, "gt": true, "gte": true, "format": true, "regex": true,
}

// remotePaging reports whether a list tool's rows are paged by the firewall (large, volatile
// tables) rather than fetched whole.
func remotePaging(t *toolspec.Tool) bool {
	return t.Log || t.Module == "status" || t.Module == "diagnostics" || strings.HasSuffix(t.Path, "/firewall/states")
}

// checkControls validates what the schema cannot: filter and projection field names. A filter
// on a field the model does not have is ignored by pfSense, which matches every object: for a
// plural DELETE that deletes everything, so it is refused here before anything is sent.
func checkControls(t *toolspec.Tool, args map[string]any) error {
	if raw, ok := args[toolspec.FieldsProperty].([]any); ok && len(t.Fields) > 0 {
		for _, f := range raw {
			name, _ := f.(string)
			if !hasField(t, name) {
				return fmt.Errorf("argument `fields`: %q is not a field of %s%s", name, t.Model, fieldHint(t, name))
			}
		}
	}
	for _, p := range t.Params {
		if p.In != toolspec.InQueryMap {
			continue
		}
		q, _ := args[p.Name].(map[string]any)
		for _, key := range sortedKeys(q) {
			field, op := key, "exact"
			if i := strings.LastIndex(key, "__"); i > 0 {
				field, op = key[:i], key[i+2:]
			}
			if !filterOps[op] {
				return fmt.Errorf("argument `%s.%s`: %q is not a filter operator; use one of: %s", p.Name, key, op, strings.Join(sortedKeys(filterOps), ", "))
			}
			if _, _, err := listFilter(t, p.Name, key); err != nil {
				return err
			}
			if len(t.Fields) > 0 && !hasField(t, field) {
				if t.Kind == toolspec.KindDelete && t.Plural {
					return fmt.Errorf("argument `%s.%s`: refused because %q is not a field of %s: pfSense ignores filters on unknown fields, so this delete would remove EVERY %s%s", p.Name, key, field, t.Model, t.Model, fieldHint(t, field))
				}
				return fmt.Errorf("argument `%s.%s`: %q is not a field of %s (pfSense would ignore the filter and match everything)%s", p.Name, key, field, t.Model, fieldHint(t, field))
			}
		}
	}
	return nil
}

func hasField(t *toolspec.Tool, name string) bool {
	i := sort.SearchStrings(t.Fields, name)
	return i < len(t.Fields) && t.Fields[i] == name
}

// fieldHint suggests the closest field name and lists the valid ones (briefly).
func fieldHint(t *toolspec.Tool, name string) string {
	var b strings.Builder
	if best := suggest.Closest(name, t.Fields, 3); best != "" {
		fmt.Fprintf(&b, "; did you mean %q?", best)
	}
	const maxListed = 30
	if len(t.Fields) <= maxListed {
		b.WriteString(" Fields: " + strings.Join(t.Fields, ", "))
	} else {
		b.WriteString(fmt.Sprintf(" (%d fields, e.g. %s, ...)", len(t.Fields), strings.Join(t.Fields[:maxListed], ", ")))
	}
	return b.String()
}

// buildRequest maps validated arguments to the HTTP request, using the tool's parameter table.
func buildRequest(t *toolspec.Tool, args map[string]any) (*request, error) {
	r := &request{http: pfclient.Request{Method: t.Method, Path: t.Path, Query: url.Values{}, BasicAuthOnly: t.BasicAuthOnly, Accept: t.Accept}}
	if t.Kind == toolspec.KindList {
		r.page = listPage(t, args)
	}
	if raw, ok := args[toolspec.FieldsProperty].([]any); ok {
		for _, f := range raw {
			r.fields = append(r.fields, f.(string))
		}
	}
	var body map[string]any
	for _, name := range sortedKeys(args) {
		v := args[name]
		p, ok := t.Param(name)
		if !ok {
			continue // a control property: confirm, fields
		}
		if r.page != nil && (name == "limit" || name == "offset") {
			continue // set from r.page below
		}
		switch p.In {
		case toolspec.InQuery:
			if err := addQuery(r.http.Query, name, v); err != nil {
				return nil, err
			}
		case toolspec.InQueryMap:
			m, _ := v.(map[string]any)
			for _, k := range sortedKeys(m) {
				send, note, err := listFilter(t, name, k)
				if err != nil {
					return nil, err
				}
				if note != "" {
					r.notes = append(r.notes, note)
				}
				if err := addQuery(r.http.Query, send, m[k]); err != nil {
					return nil, err
				}
			}
		case toolspec.InBody:
			if body == nil {
				body = map[string]any{}
			}
			body[name] = v
		case toolspec.InBodyList:
			r.http.Body = v
		default:
			return nil, fmt.Errorf("argument `%s` has an unknown location %q: report this as a generator bug", name, p.In)
		}
	}
	if body != nil {
		r.sent = append(r.sent, addCompanions(t, body)...)
		r.http.Body = body
	}
	if list, ok := r.http.Body.([]any); ok && len(t.Companions) > 0 {
		seen := map[string]bool{}
		out := make([]any, len(list))
		for i, e := range list {
			out[i] = e
			obj, ok := e.(map[string]any)
			if !ok {
				continue
			}
			cp := make(map[string]any, len(obj)+1)
			for k, v := range obj {
				cp[k] = v
			}
			for _, n := range addCompanions(t, cp) {
				if !seen[n] {
					seen[n] = true
					r.sent = append(r.sent, n)
				}
			}
			out[i] = cp
		}
		r.http.Body = out
	}
	if r.http.Body == nil && (t.Method == http.MethodPost || t.Method == http.MethodPatch || t.Method == http.MethodPut) {
		r.http.Body = map[string]any{}
	}
	if r.page != nil && r.page.remote {
		r.http.Query.Set("limit", strconv.Itoa(r.page.limit+1))
		if r.page.offset > 0 {
			r.http.Query.Set("offset", strconv.Itoa(r.page.offset))
		}
	}
	return r, nil
}

func listPage(t *toolspec.Tool, args map[string]any) *page {
	max := toolspec.MaxListLimit
	if t.Log {
		max = toolspec.MaxLogLimit
	}
	p := &page{limit: toolspec.DefaultListLimit, remote: remotePaging(t)}
	if v, ok := args["limit"].(float64); ok && v > 0 {
		p.limit = int(v)
	}
	if p.limit > max {
		p.limit = max
	}
	if v, ok := args["offset"].(float64); ok && v > 0 {
		p.offset = int(v)
	}
	return p
}

// addQuery adds a query parameter. Arrays use PHP's `name[]=` form, which the REST API (PHP)
// reads as a list; a single value is sent plainly.
func addQuery(q url.Values, name string, v any) error {
	switch x := v.(type) {
	case []any:
		if len(x) == 1 {
			return addQuery(q, name, x[0])
		}
		for _, item := range x {
			s, err := scalar(name, item)
			if err != nil {
				return err
			}
			q.Add(name+"[]", s)
		}
		return nil
	default:
		s, err := scalar(name, v)
		if err != nil {
			return err
		}
		q.Add(name, s)
		return nil
	}
}

func scalar(name string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case float64:
		if x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10), nil
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("argument `%s`: a query parameter must be a string, number or boolean", name)
}

// addCompanions adds to one object of a create or replace the fields that its conditional
// fields need sent explicitly (toolspec.Tool.Companions), each with its default, and returns
// a note for each field added.
func addCompanions(t *toolspec.Tool, obj map[string]any) []string {
	var notes []string
	for _, field := range sortedKeys(t.Companions) {
		if _, sent := obj[field]; !sent {
			continue
		}
		var add map[string]any
		if json.Unmarshal([]byte(t.Companions[field]), &add) != nil {
			continue
		}
		var added []string
		for _, k := range sortedKeys(add) {
			if _, sent := obj[k]; sent {
				continue
			}
			obj[k] = add[k]
			v, _ := json.Marshal(add[k])
			added = append(added, fmt.Sprintf("%s: %s", k, v))
		}
		if len(added) > 0 {
			which := "its default"
			if len(added) > 1 {
				which = "their defaults"
			}
			notes = append(notes, fmt.Sprintf("Sent %s (%s) with %s: pfSense checks %s's conditions before it fills the defaults of later fields, and would otherwise drop %s.",
				strings.Join(added, " and "), which, field, field, field))
		}
	}
	return notes
}
