package toolcall

import (
	"context"
	"encoding/json"
	"fmt"
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
	v, _, err := d.ReadDated(ctx, tool, args)
	return v, err
}

// ReadDated is Read that also returns the firewall's clock when it answered (its HTTP Date
// header: the REST API has no clock endpoint); zero when the answer has no date.
func (d *Dispatcher) ReadDated(ctx context.Context, tool string, args map[string]any) (any, time.Time, error) {
	t, ok := d.inv.ByName(tool)
	if !ok {
		return nil, time.Time{}, fmt.Errorf("no tool %s in this spec", tool)
	}
	if t.Mutation {
		return nil, time.Time{}, fmt.Errorf("%s is not a read", tool)
	}
	if args == nil {
		args = map[string]any{}
	}
	req, err := buildRequest(t, args)
	if err != nil {
		return nil, time.Time{}, err
	}
	resp, err := d.fw.Do(ctx, req.http)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%s", firewallError(t, err))
	}
	v, err := decodeData(resp.Data)
	if err != nil || d.expose {
		return v, resp.Date, err
	}
	v, _ = redact.New(t.Secrets).Value(v)
	return v, resp.Date, nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
