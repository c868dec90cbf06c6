package toolcall

import (
	"context"
	"fmt"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Linter finds changes that will have no effect or a likely side effect (a rule shadowed by an
// earlier one, a listener nothing on WAN lets through) and says so in the answer and in the
// preview, under "warnings". It reads through the dispatcher like any composite tool.
type Linter interface {
	// Lint returns warnings about calling t with args. created is the object the firewall
	// answered with after the change, nil in a preview.
	Lint(ctx context.Context, r Reader, t *toolspec.Tool, args map[string]any, created map[string]any) []string
}

// Reader reads what a GET route returns (decoded JSON, unredacted: the answer is redacted as a
// whole).
type Reader interface {
	ReadRoute(ctx context.Context, path string) (any, error)
	// Read calls a read tool by name with these arguments (secrets redacted).
	Read(ctx context.Context, tool string, args map[string]any) (any, error)
}

// SetLinter installs the lint (nil: none).
func (d *Dispatcher) SetLinter(l Linter) { d.linter = l }

// ReadRoute reads the GET on path through the generated tool that serves it.
func (d *Dispatcher) ReadRoute(ctx context.Context, path string) (any, error) {
	t, ok := d.inv.ByRoute("GET", path)
	if !ok {
		return nil, fmt.Errorf("this spec has no GET %s", path)
	}
	return d.Read(ctx, t.Name, nil)
}

// lint adds the linter's warnings to out.
func (d *Dispatcher) lint(ctx context.Context, t *toolspec.Tool, args map[string]any, created any, out map[string]any) {
	if d.linter == nil || !t.Mutation {
		return
	}
	obj, _ := created.(map[string]any)
	if created != nil && obj == nil {
		return // the answer is a list (a replace): the checks compare with the state before.
	}
	if ws := d.linter.Lint(ctx, d, t, args, obj); len(ws) > 0 {
		out["warnings"] = ws
	}
}
