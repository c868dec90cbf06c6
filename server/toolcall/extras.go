package toolcall

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
)

// Extra is a tool of the server's own (not generated from the spec): overview, pending
// changes, and the discovery tools. It runs through Call like every other tool: its arguments
// are validated against InputSchema and its answer is redacted.
type Extra struct {
	Name        string
	Title       string
	Description string
	InputSchema string
	Annotations toolspec.Annotations
	// Run does the work. It returns a map (rendered as the JSON answer) or a Result (passed
	// through as is: call_tool returns the result of the tool it called).
	Run func(ctx context.Context, args map[string]any) (any, error)
}

// Register adds server tools.
func (d *Dispatcher) Register(xs ...*Extra) {
	for _, x := range xs {
		d.extras[x.Name] = x
	}
}

// Extras returns the registered server tools, sorted by name.
func (d *Dispatcher) Extras() []*Extra {
	out := make([]*Extra, 0, len(d.extras))
	for _, x := range d.extras {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (d *Dispatcher) callExtra(ctx context.Context, x *Extra, args map[string]any, red *redact.Redactor) Result {
	if err := d.validate(x.Name, x.InputSchema, args); err != nil {
		return errorResult(red.Text(localError(x.Name, err)))
	}
	v, err := x.Run(ctx, args)
	if err != nil {
		return errorResult(red.Text(err.Error()))
	}
	switch r := v.(type) {
	case Result:
		return r
	case map[string]any:
		return d.answer(nil, r, red, false)
	}
	return errorResult(fmt.Sprintf("%s returned %T", x.Name, v))
}

// Read calls a read-only generated tool internally (for composite tools) and returns its
// decoded data with the read tool's secret fields redacted (the composite tool's answer is
// redacted as a whole again, by name and form), unless the user exposes secrets.
func (d *Dispatcher) Read(ctx context.Context, tool string, args map[string]any) (any, error) {
	t, ok := d.inv.ByName(tool)
	if !ok {
		return nil, fmt.Errorf("no tool %s in this spec", tool)
	}
	if t.Mutation {
		return nil, fmt.Errorf("%s is not a read", tool)
	}
	if args == nil {
		args = map[string]any{}
	}
	req, err := buildRequest(t, args)
	if err != nil {
		return nil, err
	}
	resp, err := d.fw.Do(ctx, req.http)
	if err != nil {
		return nil, fmt.Errorf("%s", firewallError(t, err))
	}
	v, err := decodeData(resp.Data)
	if err != nil || d.expose {
		return v, err
	}
	v, _ = redact.New(t.Secrets).Value(v)
	return v, nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// Clock reads the firewall's clock: the Date of its answer to the GET on path (the REST API has
// no clock endpoint; its web server dates every answer). Zero when the answer has no date.
func (d *Dispatcher) Clock(ctx context.Context, path string) (time.Time, error) {
	t, ok := d.inv.ByRoute(http.MethodGet, path)
	if !ok {
		return time.Time{}, fmt.Errorf("this spec has no GET %s", path)
	}
	req, err := buildRequest(t, map[string]any{})
	if err != nil {
		return time.Time{}, err
	}
	resp, err := d.fw.Do(ctx, req.http)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s", firewallError(t, err))
	}
	return resp.Date, nil
}
