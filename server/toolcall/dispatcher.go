// Package toolcall is the one path every tool call goes through:
//
//	look up (exposed?) -> validate arguments locally -> gates (confirm, bulk-delete filter guard)
//	-> build the request -> call the firewall (pfclient) -> unwrap -> shape (page, project)
//	-> redact -> audit
//
// Generated tools, the server's own tools (overview, pending changes) and the discovery tools
// (search, describe, call) all run through Dispatcher.Call.
package toolcall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/argcheck"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
)

// Firewall is what the dispatcher needs from the HTTP client (pfclient.Client).
type Firewall interface {
	Do(ctx context.Context, req pfclient.Request) (*pfclient.Response, error)
	HasBasicAuth() bool
}

// Options configures a Dispatcher.
type Options struct {
	Inventory     *inventory.Inventory
	Firewall      Firewall
	Audit         *audit.Log // nil: no audit log.
	ExposeSecrets bool       // skip redaction (the user asked for secrets explicitly).
	Logger        *slog.Logger
}

// Dispatcher runs tool calls.
type Dispatcher struct {
	inv    *inventory.Inventory
	fw     Firewall
	audit  *audit.Log
	expose bool
	log    *slog.Logger

	extras map[string]*Extra
	linter Linter

	schemaMu sync.Mutex
	schemas  map[string]*argcheck.Schema // compiled lazily: start-up stays instant.

	noteMu sync.Mutex
	note   string // a one-time warning for the next answer (e.g. a REST API version mismatch).
}

// New returns a dispatcher.
func New(o Options) *Dispatcher {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{inv: o.Inventory, fw: o.Firewall, audit: o.Audit, expose: o.ExposeSecrets, log: log,
		extras: map[string]*Extra{}, schemas: map[string]*argcheck.Schema{}}
}

// Inventory returns the inventory the dispatcher serves.
func (d *Dispatcher) Inventory() *inventory.Inventory { return d.inv }

// Result is what a tool call answers: JSON text, or an error message for the model.
type Result struct {
	Text    string
	IsError bool
}

// Call runs the tool called name with args (decoded JSON; nil means none).
func (d *Dispatcher) Call(ctx context.Context, name string, args map[string]any) Result {
	start := time.Now()
	if args == nil {
		args = map[string]any{}
	}
	red := d.redactor(args)
	if x, ok := d.extras[name]; ok {
		return d.callExtra(ctx, x, args, red)
	}
	t, err := d.inv.Lookup(name)
	if err != nil {
		return errorResult(err.Error())
	}
	if err := d.validate(t.Name, t.InputSchema, args); err != nil {
		return d.refuse(t, args, red, localError(t.Name, err))
	}
	if err := d.checkEntries(t, args); err != nil {
		return d.refuse(t, args, red, localError(t.Name, err))
	}
	if err := checkControls(t, args); err != nil {
		return d.refuse(t, args, red, localError(t.Name, err))
	}
	if t.Mutation {
		if path := placeholderPath(args, ""); path != "" {
			return d.refuse(t, args, red, localError(t.Name, fmt.Errorf("argument `%s` is %s, the placeholder this server shows instead of a secret: "+
				"sending it would overwrite the real secret with that text. Leave the field out (an update keeps the current value) or give the real value", path, redact.Marker)))
		}
	}
	req, err := buildRequest(t, args)
	if err != nil {
		return d.refuse(t, args, red, localError(t.Name, err))
	}
	if t.Mutation && args[toolspec.ConfirmProperty] != true {
		return d.preview(ctx, t, req, args, red)
	}
	resp, err := d.fw.Do(ctx, req.http)
	if err != nil {
		d.record(t, args, red, audit.Failed, nil, err, time.Since(start))
		return errorResult(red.Text(firewallError(t, err)))
	}
	d.record(t, args, red, audit.Executed, resp, nil, time.Since(start))
	out, err := d.shape(ctx, t, req, args, resp)
	if err != nil {
		return errorResult(red.Text(err.Error()))
	}
	return d.answer(out, red)
}

// placeholderPath returns the path of the first argument whose value is the redaction marker.
func placeholderPath(v any, path string) string {
	switch x := v.(type) {
	case string:
		if x == redact.Marker {
			return path
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			if p := placeholderPath(x[k], joinPath(path, k)); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := placeholderPath(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// redactor knows the secrets the caller sent, so echoes of them are scrubbed too.
func (d *Dispatcher) redactor(args map[string]any) *redact.Redactor {
	r := &redact.Redactor{}
	r.Know(redact.SecretsIn(map[string]any(args))...)
	return r
}

// validate checks args against an input schema, compiled on first use.
func (d *Dispatcher) validate(name, schema string, args map[string]any) error {
	d.schemaMu.Lock()
	s, ok := d.schemas[name]
	if !ok {
		var err error
		if s, err = argcheck.Compile(schema); err != nil {
			d.schemaMu.Unlock()
			return fmt.Errorf("the tool's input schema is broken (%v): report this as a generator bug", err)
		}
		d.schemas[name] = s
	}
	d.schemaMu.Unlock()
	return s.Validate(map[string]any(args))
}

func localError(tool string, err error) string {
	return fmt.Sprintf("Invalid arguments for %s (checked locally; nothing was sent to pfSense): %v", tool, err)
}

// refuse answers with a local error, and audits it when the tool is a mutation.
func (d *Dispatcher) refuse(t *toolspec.Tool, args map[string]any, red *redact.Redactor, msg string) Result {
	if t.Mutation {
		d.record(t, args, red, audit.Refused, nil, errors.New(msg), 0)
	}
	return errorResult(red.Text(msg))
}

// record writes an audit entry for mutations; reads are not audited.
func (d *Dispatcher) record(t *toolspec.Tool, args map[string]any, red *redact.Redactor, outcome string, resp *pfclient.Response, err error, dur time.Duration) {
	if !t.Mutation {
		return
	}
	redArgs, _ := red.Value(map[string]any(args))
	e := audit.Entry{Tool: t.Name, Method: t.Method, Path: t.Path, Outcome: outcome, Args: redArgs, DurationMS: float64(dur.Microseconds()) / 1000}
	if resp != nil {
		e.HTTPStatus, e.ResponseID = resp.HTTPStatus, resp.ResponseID
	}
	if err != nil {
		e.Error = red.Text(err.Error())
		var apiErr *pfclient.APIError
		if errors.As(err, &apiErr) {
			e.HTTPStatus, e.ResponseID = apiErr.HTTPStatus, apiErr.ResponseID
		}
	}
	if werr := d.audit.Write(e); werr != nil {
		d.log.Error("audit log write failed", "tool", t.Name, "error", werr)
	}
}

// answer redacts out and renders it as compact JSON.
func (d *Dispatcher) answer(out map[string]any, red *redact.Redactor) Result {
	if note := d.takeNote(); note != "" {
		out["warning"] = note
	}
	var v any = out
	if !d.expose {
		var did bool
		v, did = red.Value(out)
		if did {
			v.(map[string]any)["redacted"] = "secret values are hidden; the user can set PFSENSE_EXPOSE_SECRETS=true to see them"
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<full-duplex>" stays readable and costs fewer tokens than "\u003c"
	if err := enc.Encode(v); err != nil {
		return errorResult("encode answer: " + err.Error())
	}
	return Result{Text: strings.TrimSuffix(buf.String(), "\n")}
}

func errorResult(msg string) Result { return Result{Text: msg, IsError: true} }

// SetNote queues a one-time warning that the next answer carries (for example a version mismatch).
func (d *Dispatcher) SetNote(note string) {
	d.noteMu.Lock()
	d.note = note
	d.noteMu.Unlock()
}

func (d *Dispatcher) takeNote() string {
	d.noteMu.Lock()
	defer d.noteMu.Unlock()
	n := d.note
	d.note = ""
	return n
}

// firewallError explains a failed call, with a hint where pfSense's own message is not enough.
func firewallError(t *toolspec.Tool, err error) string {
	var apiErr *pfclient.APIError
	if !errors.As(err, &apiErr) {
		return "pfSense could not be reached: " + err.Error()
	}
	msg := "pfSense rejected the request: " + apiErr.Error()
	if hint := hintFor(t, apiErr); hint != "" {
		msg += ". " + hint
	}
	return msg
}

func hintFor(t *toolspec.Tool, e *pfclient.APIError) string {
	switch {
	case e.ResponseID == "MODEL_OBJECT_NOT_FOUND" || e.ResponseID == "MODEL_PARENT_OBJECT_NOT_FOUND":
		return "Object ids are positions in a list and shift after deletions: list the objects again to find the current id."
	case e.HTTPStatus == 424 || e.ResponseID == "MODEL_MISSING_REQUIRED_PACKAGE":
		if len(t.RequiredPackages) > 0 {
			return "This endpoint needs the package(s) " + strings.Join(t.RequiredPackages, ", ") + " on the firewall."
		}
	case e.HTTPStatus == 401:
		return "Check the credentials (PFSENSE_API_KEY); API keys work only when KeyAuth is enabled in the REST API settings."
	case e.HTTPStatus == 403:
		return "The credentials lack the privilege for this endpoint, or the REST API does not allow this interface or address."
	case e.ResponseID == "MODEL_REQUIRES_ID":
		return "Give the object's id."
	case e.HTTPStatus == 503 && e.RetryAfter != "":
		return "The firewall is busy applying changes; try again later."
	}
	return ""
}

// sortedKeys returns the keys of m in order, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
