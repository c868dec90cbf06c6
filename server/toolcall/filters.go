package toolcall

import (
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Filters on list fields (a rule's interface, an alias's address) behave differently in the
// REST API than on scalars, each operator as its QueryFilters/<Name>QueryFilter.inc evaluates
// a PHP array:
//
//	exact      $list == $value: never true, so {"interface": "wan"} silently matches nothing;
//	           the caller means "wan is one of them", which is contains: the server sends that.
//	contains   in_array($value, $list): one element equals the value.
//	startswith the first element starts with the value (reset($list)).
//	endswith   the last element ends with the value (end($list)).
//	except     $list != $value: always true, so it matches every object (a plural delete would
//	           remove them all): refused.
//	in, lt, lte, gt, gte, regex, format: compare the list as a string or number (or fail):
//	           refused.
var listFilterOps = map[string]string{
	"exact":      "contains",
	"contains":   "",
	"startswith": "",
	"endswith":   "",
}

// listFilter returns the filter key to send for key (field__op, or a bare field meaning exact)
// when field is a list field of t: the key itself, or the translated one with a note saying
// so; an error naming the operators that work when the operator cannot match list elements.
func listFilter(t *toolspec.Tool, param, key string) (send, note string, err error) {
	field, op := splitFilter(key)
	if !isListField(t, field) {
		return key, "", nil
	}
	to, ok := listFilterOps[op]
	switch {
	case !ok:
		return "", "", fmt.Errorf("argument `%s.%s`: %s is a list, and pfSense's %s filter compares the whole list, so it %s; "+
			"use %s__contains (one element equals the value), %s__startswith (the first element) or %s__endswith (the last)",
			param, key, field, op, listFilterEffect(op), field, field, field)
	case to == "":
		return key, "", nil
	}
	send = field + "__" + to
	return send, fmt.Sprintf("`%s` is a list, where pfSense's exact filter never matches one element: the filter was sent as %s (one element equals the value).", field, send), nil
}

func listFilterEffect(op string) string {
	if op == "except" {
		return "matches every object (there is no operator for \"does not contain\")"
	}
	return "never matches one element"
}

// splitFilter splits field__op; a key without an operator is an exact filter.
func splitFilter(key string) (field, op string) {
	if i := strings.LastIndex(key, "__"); i > 0 {
		return key[:i], key[i+2:]
	}
	return key, "exact"
}

func isListField(t *toolspec.Tool, field string) bool {
	for _, f := range t.ListFields {
		if f == field {
			return true
		}
	}
	return false
}

// liftFilters moves `parent_id` and `id` given to a list tool beside its filters into the
// filter (query), where they mean what the caller meant: the objects of one parent, or one
// object. Create and update tools take parent_id as an argument, so models try it on lists too.
// It returns a note saying so, or "".
func liftFilters(t *toolspec.Tool, args map[string]any) string {
	if t.Kind != toolspec.KindList {
		return ""
	}
	q, ok := t.Param("query")
	if !ok || q.In != toolspec.InQueryMap {
		return ""
	}
	var moved []string
	for _, k := range []string{"parent_id", "id"} {
		v, given := args[k]
		if _, isParam := t.Param(k); !given || isParam {
			continue
		}
		query, _ := args["query"].(map[string]any)
		if args["query"] != nil && query == nil {
			continue // a query that is no object: validation names it
		}
		if query == nil {
			query = map[string]any{}
		}
		if _, both := query[k]; both {
			continue // given twice: validation refuses the stray one
		}
		query[k] = v
		args["query"] = query
		delete(args, k)
		moved = append(moved, k)
	}
	if len(moved) == 0 {
		return ""
	}
	return fmt.Sprintf("`%s` is no argument of a list tool: it was sent as the filter query {%q: ...}.", strings.Join(moved, "`, `"), moved[0])
}
