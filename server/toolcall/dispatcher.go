// Package toolcall is the one path every tool call goes through:
//
//	look up (exposed? unknown and hidden tools are explained and audited) -> validate arguments
//	locally -> gates (filters on unknown or secret fields, the redaction placeholder) -> build
//	the request -> for a mutation: read what it would change (every page of a bulk delete), its
//	risks (refused unless dangerous effects are allowed), the lockout guard, then a preview with
//	a confirmation token, or, when confirmed (token, the user through elicitation, or plain),
//	a write-ahead audit entry -> call the firewall (pfclient) -> unwrap -> shape (page, project)
//	-> redact (the tool's secret fields, names, key material, the caller's secrets) -> audit
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
	// Facts is the probe of the firewall; nil when there is none (tests, the demo's own checks).
	Facts FirewallFacts
	// Confirm says who confirms changes; "" is ConfirmHuman.
	Confirm ConfirmMode
	// Guard refuses changes that would cut the server off the firewall; nil: no guard.
	Guard *Guard
	// Secrets are the server's own credentials (API key, password), scrubbed from every text.
	Secrets []string
	Now     func() time.Time // nil: time.Now
}

// Dispatcher runs tool calls.
type Dispatcher struct {
	inv         *inventory.Inventory
	fw          Firewall
	audit       *audit.Log
	expose      bool
	log         *slog.Logger
	confirmMode ConfirmMode
	guard       *Guard
	own         []string // the server's own secrets
	tokens      *tokenStore
	facts       FirewallFacts

	extras map[string]*Extra
	linter Linter

	schemaMu sync.Mutex
	// allSecrets are the secret fields of every tool, for calls of unknown tools.
	allSecrets     []string
	allSecretsOnce sync.Once
	// writeMu serializes confirmed changes from their last check to their answer.
	writeMu sync.Mutex
	schemas map[string]*argcheck.Schema // compiled lazily: start-up stays instant.

	noteMu sync.Mutex
	note   string // a one-time warning for the next answer (e.g. a REST API version mismatch).

	unapplied unappliedChanges
}

// New returns a dispatcher.
func New(o Options) *Dispatcher {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.Confirm == "" {
		o.Confirm = ConfirmHuman
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Dispatcher{inv: o.Inventory, fw: o.Firewall, audit: o.Audit, expose: o.ExposeSecrets, log: log, facts: o.Facts,
		confirmMode: o.Confirm, guard: o.Guard, own: o.Secrets, tokens: newTokenStore(o.Now),
		extras: map[string]*Extra{}, schemas: map[string]*argcheck.Schema{}}
}

// ConfirmMode returns who confirms changes.
func (d *Dispatcher) ConfirmMode() ConfirmMode { return d.confirmMode }

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
	d.waitFacts(ctx) // what the firewall has decides what is exposed and which fields it knows.
	if x, ok := d.extras[name]; ok {
		return d.callExtra(ctx, x, args, d.redactor(nil, args))
	}
	t, err := d.inv.Lookup(name)
	if err != nil {
		return d.unavailable(ctx, name, args, err)
	}
	red := d.redactor(t, args)
	lifted := liftFilters(t, args)
	if err := d.validate(t.Name, t.InputSchema, args); err != nil {
		return d.refuse(ctx, t, args, red, localError(t.Name, err))
	}
	if err := d.checkEntries(t, args); err != nil {
		return d.refuse(ctx, t, args, red, localError(t.Name, err))
	}
	if err := checkControls(t, args); err != nil {
		return d.refuse(ctx, t, args, red, localError(t.Name, err))
	}
	if err := d.checkSecretControls(t, args, red); err != nil {
		return d.refuse(ctx, t, args, red, localError(t.Name, err))
	}
	if op, ok := d.inv.FirewallOperation(t); ok {
		if err := checkFirewallInputs(t, args, op, d.inv.Firewall()); err != nil {
			return d.refuse(ctx, t, args, red, localError(t.Name, err))
		}
	}
	if t.Mutation {
		if path := placeholderPath(args, ""); path != "" {
			return d.refuse(ctx, t, args, red, localError(t.Name, fmt.Errorf("argument `%s` is %s, the placeholder this server shows instead of a secret: "+
				"sending it would overwrite the real secret with that text. Leave the field out (an update keeps the current value) or give the real value", path, redact.Marker)))
		}
	}
	req, err := buildRequest(t, args)
	if err != nil {
		return d.refuse(ctx, t, args, red, localError(t.Name, err))
	}
	if lifted != "" {
		req.notes = append([]string{lifted}, req.notes...)
	}
	if t.Mutation {
		return d.mutate(ctx, t, req, args, red, start)
	}
	resp, err := d.fw.Do(ctx, req.http)
	if err != nil {
		return errorResult(red.Text(firewallError(t, err)))
	}
	out, err := d.shape(ctx, t, req, args, resp)
	if err != nil {
		return errorResult(red.Text(err.Error()))
	}
	return d.answer(t, out, red, req.fields != nil)
}

// mutate runs a mutation's gates, then previews it or, when confirmed, makes it.
func (d *Dispatcher) mutate(ctx context.Context, t *toolspec.Tool, req *request, args map[string]any, red *redact.Redactor, start time.Time) Result {
	eff, risks, msg := d.gates(ctx, t, args)
	if msg != "" {
		return d.refuse(ctx, t, args, red, msg)
	}
	if c, given := args[toolspec.ConfirmProperty]; !given || c == false {
		return d.preview(ctx, t, req, args, red, eff, risks)
	}
	how, refusal := d.confirmation(ctx, t, args, eff, func() string { return d.approvalMessage(ctx, t, req, args, red, eff, risks) })
	if refusal != "" {
		return d.refuse(ctx, t, args, red, "Refused (nothing was sent): "+refusal+".")
	}
	// One change at a time, checked again just before it is sent: ids are list positions, so
	// another change made meanwhile (by another session, or while a human was answering) can
	// put a different object where the checks looked (an update checked against one group and
	// written to admins).
	checked := eff.digest()
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	if eff, risks, msg = d.gates(ctx, t, args); msg != "" {
		return d.refuse(ctx, t, args, red, "Refused (nothing was sent): the firewall changed since this call was checked. "+msg)
	}
	if eff.digest() != checked {
		return d.refuse(ctx, t, args, red, fmt.Sprintf("Refused (nothing was sent): what this call would change changed while it was being confirmed (another change moved or edited the object): call %s without confirm to preview it again.", t.Name))
	}
	// Write-ahead: no change is sent that the audit log has not recorded first.
	if err := d.record(ctx, t, args, red, audit.Attempt, nil, nil, 0, how, risks); err != nil {
		return errorResult(red.Text(fmt.Sprintf("Refused (nothing was sent): the audit log cannot be written (%v), and no change is made without a record of it. Fix the audit log (PFSENSE_AUDIT_LOG) and try again.", err)))
	}
	resp, err := d.fw.Do(ctx, req.http)
	if err != nil {
		werr := d.record(ctx, t, args, red, audit.Failed, nil, err, time.Since(start), how, risks)
		return errorResult(red.Text(firewallError(t, err) + auditWarning(werr)))
	}
	werr := d.record(ctx, t, args, red, audit.Executed, resp, nil, time.Since(start), how, risks)
	d.executed(t)
	out, err := d.shape(ctx, t, req, args, resp)
	if err != nil {
		return errorResult(red.Text(err.Error() + auditWarning(werr)))
	}
	if werr != nil {
		out["audit_warning"] = strings.TrimPrefix(auditWarning(werr), " ")
	}
	return d.answer(t, out, red, req.fields != nil)
}

// gates reads what a mutation would change and runs the checks that can refuse it: the risk
// table and the state-dependent risks (refused without PFSENSE_ALLOW_DANGEROUS), then the
// lockout guard. msg is the refusal, or "".
func (d *Dispatcher) gates(ctx context.Context, t *toolspec.Tool, args map[string]any) (*effect, []toolspec.Risk, string) {
	eff := d.readEffect(ctx, t, args)
	risks := append(risksOf(t, args, eff), d.stateRisks(ctx, t, args, eff)...)
	if len(risks) > 0 && !d.inv.AllowsDangerous() {
		return eff, risks, dangerRefusal(t, risks)
	}
	if d.guard != nil {
		if msg := d.guard.check(ctx, d, t, args, eff); msg != "" {
			return eff, risks, msg
		}
	}
	return eff, risks, ""
}

func auditWarning(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf(" Warning: the change was sent, but its outcome could not be written to the audit log (%v).", err)
}

// unavailable answers a call of a tool that does not exist or is hidden, with the inventory's
// explanation, and audits it: a model probing for hidden tools is worth a line in the log.
func (d *Dispatcher) unavailable(ctx context.Context, name string, args map[string]any, err error) Result {
	// The tool is unknown, so its secret fields are too: every field secret in any tool is
	// (a misspelled ACME tool's ovh_as matches no name pattern).
	d.allSecretsOnce.Do(func() {
		seen := map[string]bool{}
		for _, t := range d.inv.All() {
			for _, p := range t.Secrets {
				if !seen[p] {
					seen[p] = true
					d.allSecrets = append(d.allSecrets, p)
				}
			}
		}
		sort.Strings(d.allSecrets)
	})
	red := d.redactor(&toolspec.Tool{Secrets: d.allSecrets}, args)
	redArgs, _ := red.Value(map[string]any(args))
	c := CallerFrom(ctx)
	e := audit.Entry{Client: c.Client, Session: c.Session, Transport: c.Transport, Tool: name, Outcome: audit.Refused, Args: redArgs, Error: red.Text(err.Error())}
	if werr := d.audit.Write(e); werr != nil {
		d.log.Error("audit log write failed", "tool", name, "error", werr)
	}
	return errorResult(red.Text(err.Error()))
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

// redactor redacts the secret fields of t's objects (nil: by name only) and knows the secrets
// the caller sent and the server's own, so that echoes of them are scrubbed too.
func (d *Dispatcher) redactor(t *toolspec.Tool, args map[string]any) *redact.Redactor {
	var r *redact.Redactor
	if t != nil {
		r = redact.New(t.Secrets)
	} else {
		r = redact.New(nil)
	}
	r.Know(r.SecretsIn(map[string]any(args))...)
	r.KnowLong(d.own...)
	return r
}

// validate checks args against an input schema, compiled on first use, after dropping the ids
// that reads show on nested objects (argcheck.Schema.DropEchoedIDs).
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
	s.DropEchoedIDs(args)
	dropAlwaysReturned(args)
	return s.Validate(map[string]any(args))
}

// dropAlwaysReturned takes id and parent_id out of a projection: every answer carries them
// (which is why the fields enum leaves them out), so asking for them is no error.
func dropAlwaysReturned(args map[string]any) {
	list, ok := args[toolspec.FieldsProperty].([]any)
	if !ok {
		return
	}
	kept := make([]any, 0, len(list))
	for _, f := range list {
		if f != "id" && f != "parent_id" {
			kept = append(kept, f)
		}
	}
	if len(kept) < len(list) {
		args[toolspec.FieldsProperty] = kept
	}
}

func localError(tool string, err error) string {
	return fmt.Sprintf("Invalid arguments for %s (checked locally; nothing was sent to pfSense): %v", tool, err)
}

// refuse answers with a local error, and audits it when the tool is a mutation.
func (d *Dispatcher) refuse(ctx context.Context, t *toolspec.Tool, args map[string]any, red *redact.Redactor, msg string) Result {
	if t.Mutation {
		if err := d.record(ctx, t, args, red, audit.Refused, nil, errors.New(msg), 0, "", nil); err != nil {
			d.log.Error("audit log write failed", "tool", t.Name, "error", err)
		}
	}
	return errorResult(red.Text(msg))
}

// record writes an audit entry for mutations (reads are not audited) and returns a failure to
// write it: the caller decides what it means (refusal before a change, a warning after).
func (d *Dispatcher) record(ctx context.Context, t *toolspec.Tool, args map[string]any, red *redact.Redactor, outcome string, resp *pfclient.Response, err error, dur time.Duration, confirmed string, risks []toolspec.Risk) error {
	if !t.Mutation {
		return nil
	}
	redArgs, _ := red.Value(map[string]any(args))
	c := CallerFrom(ctx)
	e := audit.Entry{Client: c.Client, Session: c.Session, Transport: c.Transport, Tool: t.Name, Method: t.Method, Path: t.Path,
		Outcome: outcome, Args: redArgs, DurationMS: float64(dur.Microseconds()) / 1000, Confirmed: confirmed, Risks: riskNames(risks)}
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
		d.log.Error("audit log write failed", "tool", t.Name, "outcome", outcome, "error", werr)
		return werr
	}
	return nil
}

// answer redacts out and renders it as compact JSON. It says which secret fields are withheld
// (t's, for the objects under data or current; nil t: by name only) and which fields hold text
// others control. projected: the caller asked for some fields only.
func (d *Dispatcher) answer(t *toolspec.Tool, out map[string]any, red *redact.Redactor, projected bool) Result {
	if note := d.takeNote(); note != "" {
		out["warning"] = note
	}
	objects, ok := out["data"]
	if !ok {
		objects = out["current"]
	}
	scan, depth := objects, 0
	if certs, ok := out[CertificatesKey]; ok { // subjects and issuers are the certificate maker's text
		scan = []any{objects, certs}
	}
	if t == nil { // the server's own tools gather firewall data below their top level
		scan, depth = any(out), 1
	}
	if fields := untrustedIn(t, scan, depth); len(fields) > 0 {
		out["untrusted"] = strings.Join(fields, ", ") + ": " + UntrustedNote
	}
	var v any = out
	if !d.expose {
		var rep *redact.Report
		v, rep = red.Value(out)
		if note := secretsNote(t, objects, rep, projected); note != nil {
			v.(map[string]any)["secrets"] = note
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
	var blocked *pfclient.BlockedError
	var creds *pfclient.CredentialsError
	switch {
	case errors.As(err, &blocked):
		return "Refused by this server's HTTP client (nothing was sent): " + err.Error()
	case errors.As(err, &creds):
		return "Not sent: " + err.Error()
	case !errors.As(err, &apiErr):
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
	case e.ResponseID == "FILTER_NAME_VALIDATOR_RESERVED_NAME_USED" && t.Model == "NetworkInterface" && strings.Contains(e.Message, "descr"):
		// Core/Field.inc validate() checks every field of the object, the stored description
		// too, and get_pf_reserved() reserves each interface id in capitals: an interface
		// that never got a description (WAN and LAN in the factory config) reads as one.
		return "pfSense checks every field of the interface, its current description too, and reserves each interface id in capitals (WAN, LAN, OPT1) as a name: " +
			"an interface whose description is such a name cannot be updated through the REST API unless `descr` gets another name in the same call (ask the user which, e.g. WAN_uplink), or the change is made in the web GUI."
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
