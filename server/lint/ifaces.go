package lint

import (
	"context"

	"github.com/pfsense-mcp/pfsense-mcp/server/fwrules"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// ids is a Reader whose answers, like the arguments the checks get, name the interfaces of
// their `interface` field by id whatever the REST API's represent_interfaces_as says
// (fwrules.InterfaceIDs): the checks compare ids. status/interfaces is read only when a value
// is not certainly an id already.
type ids struct {
	toolcall.Reader
	ctx   context.Context
	names fwrules.InterfaceIDs // nil: not read yet
}

func newIDs(ctx context.Context, r toolcall.Reader) *ids { return &ids{Reader: r, ctx: ctx} }

// ReadRoute implements toolcall.Reader.
func (r *ids) ReadRoute(ctx context.Context, path string) (any, error) {
	v, err := r.Reader.ReadRoute(ctx, path)
	return r.rows(v), err
}

// Read implements toolcall.Reader.
func (r *ids) Read(ctx context.Context, tool string, args map[string]any) (any, error) {
	v, err := r.Reader.Read(ctx, tool, args)
	return r.rows(v), err
}

// rows returns v (an object or a list of them) with its interfaces as ids; v itself is not
// changed (the dispatcher may hold it).
func (r *ids) rows(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return r.object(x)
	case []any:
		out := make([]any, len(x))
		for i, row := range x {
			out[i] = row
			if m, ok := row.(map[string]any); ok {
				out[i] = r.object(m)
			}
		}
		return out
	}
	return v
}

// object returns m with its `interface` as ids.
func (r *ids) object(m map[string]any) map[string]any {
	if r.names == nil && !r.plain(m["interface"]) {
		v, _ := r.Reader.ReadRoute(r.ctx, "/api/v2/status/interfaces")
		r.names = fwrules.NewInterfaceIDs(v)
	}
	if r.names == nil {
		return m
	}
	return r.names.Object(m, "interface")
}

// plain reports whether v names interfaces by id only (or names none).
func (r *ids) plain(v any) bool {
	switch x := v.(type) {
	case string:
		return x == "" || fwrules.PlainID(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && !fwrules.PlainID(s) {
				return false
			}
		}
	}
	return true
}
