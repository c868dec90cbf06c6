// Package toolspec defines the static description of one MCP tool per pfSense REST API
// operation. The generator emits a table of these (package tooldefs); the server decides
// which to expose and runs every call through one path. Nothing here talks to a firewall.
package toolspec

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Kind says what an operation does, which decides its verb, gates and answer shaping.
type Kind string

const (
	KindList        Kind = "list"         // GET on a plural endpoint: many objects, filterable, paged.
	KindGet         Kind = "get"          // GET on a singular endpoint of a many-object model (needs id).
	KindCreate      Kind = "create"       // POST that adds an object to a many-object model.
	KindUpdate      Kind = "update"       // PATCH of one object (needs id).
	KindReplace     Kind = "replace"      // PUT on a plural endpoint: replaces every object.
	KindDelete      Kind = "delete"       // DELETE of one object, or of many by query (Plural).
	KindApply       Kind = "apply"        // POST .../apply: applies pending changes of a subsystem.
	KindApplyStatus Kind = "apply_status" // GET .../apply: whether changes are pending.
	KindSettings    Kind = "settings"     // GET or PATCH of a singleton settings object (no id).
	KindAction      Kind = "action"       // POST that performs something (ping, reboot, export).
	KindStatus      Kind = "status"       // GET of a singleton read-only status object.
)

// ParamIn says where an input property goes in the HTTP request.
type ParamIn string

const (
	InQuery ParamIn = "query" // a query parameter (GET and DELETE).
	// InQueryMap is an object whose keys become top-level query parameters
	// (the spec's free-form `query` parameter: {"name__startswith": "bt_"} -> ?name__startswith=bt_).
	InQueryMap ParamIn = "query_map"
	InBody     ParamIn = "body" // a field of the JSON request body (POST, PATCH).
	// InBodyList is an array that is itself the JSON request body (PUT on plural endpoints).
	InBodyList ParamIn = "body_list"
)

// Param maps one input property of a tool to its place in the HTTP request. Input properties
// that have no Param (for example confirm) are controls handled by the server itself.
type Param struct {
	Name string
	In   ParamIn
	// Control marks a control parameter of the REST API's core (placement, append, remove,
	// reverse, async: the generator's overlay) that the endpoints read although no spec lists
	// it; a firewall's own spec is no reason to refuse it.
	Control bool
}

// Annotations are the four MCP tool hints, always set explicitly (mcp-go defaults
// destructiveHint and openWorldHint to true when they are left out).
type Annotations struct {
	ReadOnly    bool
	Destructive bool
	Idempotent  bool
	OpenWorld   bool
}

// Tool describes one MCP tool: one operation of the pfSense REST API.
type Tool struct {
	Name        string // pfsense_{verb}_{resource}: unique, <= 64 chars of [a-z0-9_].
	Title       string // short human title.
	Description string // plain text (no HTML), conditional notes kept.
	// InputSchema is the JSON Schema (an object schema) of the tool's arguments, as JSON text.
	InputSchema string

	OperationID string // the spec's operationId, e.g. getFirewallAliasesEndpoint.
	Method      string // GET, POST, PATCH, PUT or DELETE.
	Path        string // e.g. /api/v2/firewall/aliases.
	Params      []Param

	Kind   Kind
	Plural bool   // a plural endpoint (acts on many objects).
	Log    bool   // a log endpoint (status/logs/...): answers are always bounded by MaxLogLimit.
	Module string // from the path: firewall, interface, routing, vpn_wireguard, services_haproxy, ...
	Model  string // the REST API model behind the endpoint, e.g. FirewallAlias.
	Parent string // the parent model for child objects (needs parent_id), else "".

	// Fields lists the field names of the model's objects as the API returns them (including
	// read-only fields, id and parent_id where present), sorted. The server checks filter keys
	// and projections against it: a plural DELETE whose filter names an unknown field would
	// delete every object.
	Fields []string
	// ListFields are the Fields whose values are lists (a rule's interface, an alias's address).
	// pfSense's exact filter compares the whole list and so never matches one element: the
	// server turns an exact filter on such a field into __contains.
	ListFields []string
	// Entries maps the input lists of child objects that InputSchema does not spell out (to keep
	// tool definitions small) to the child's create tool, whose schema the entries follow:
	// "encryption" -> pfsense_create_vpn_ipsec_phase1_encryption; a replace tool's paths start
	// with "objects[].". The server checks each entry against that schema (without parent_id).
	Entries map[string]string
	// Kept are the read-only fields a replace tool takes back so that objects keep the identity
	// others refer to (a rule's tracker and associated_rule_id): the REST API keeps a value sent
	// back and makes a new one otherwise. The server warns when a replace leaves them out.
	Kept []string
	// Companions maps a field to the fields its conditions name that a create (or each object
	// of a replace) must carry for it to be kept, as a JSON object of their defaults:
	// {"nat_port": `{"static_nat_port":false}`}. pfSense checks a field's conditions against the
	// values the request set, before the later fields have taken their defaults (Core/Model.inc
	// validate() walks the fields in declaration order; Core/Field.inc validate() nulls a field
	// whose are_conditions_met() fails, and only get_value_as_array() fills a default), so a
	// nat_port sent without static_nat_port is silently dropped. Sending a field's own default
	// changes nothing else, so the server adds the ones the caller left out and says so.
	Companions map[string]string
	// FieldConditions maps each conditional field of an update tool's model to its native
	// conditions as JSON ({"ping_seconds": `{"ping_method":"ping"}`}; a key `!f` negates, a list
	// is "one of"). On an update pfSense loads the stored object, applies the arguments and
	// nulls every field whose conditions then fail (Core/Field.inc validate), so a preview can
	// say which stored values the update clears and which given ones pfSense ignores.
	FieldConditions map[string]string
	// Unique are the sets of fields whose values no two objects of the model (under the same
	// parent) may share, from the native schema's unique fields (one field each) and
	// unique-together fields (one set): pfSense refuses a create or update that repeats them
	// with FIELD_MUST_BE_UNIQUE, so that a preview can say so first. ListTool, set on every
	// create and update tool whose model has a list tool, lists the objects they are compared
	// with (by the unique sets, and by the lint's checks of models without any: a second
	// static route to a network, a static mapping's address).
	Unique   [][]string
	ListTool string

	Mutation bool // changes the firewall: needs writes enabled and confirm=true.
	// AppliesAtOnce: pfSense applies the change itself as part of the call (the spec's
	// "Applies immediately: Yes", the model's always_apply), so there is no apply tool to call.
	AppliesAtOnce bool
	// ReadTool names the tool that reads what this mutation would change, for previews: the get
	// tool for update and singular delete, the list tool for replace and plural delete, the
	// settings getter for a settings PATCH; "" when nothing can be read first (create, action).
	ReadTool string
	// ApplyTool names the tool to call after this mutation for the change to take effect,
	// for the subsystems with an apply endpoint; "" when changes apply immediately.
	ApplyTool string
	// RequiredPackages lists the pfSense packages the endpoint needs (e.g. pfSense-pkg-haproxy).
	RequiredPackages []string
	// BasicAuthOnly is set for endpoints that accept only BasicAuth (POST /auth/key, /auth/jwt).
	BasicAuthOnly bool
	// Accept is the media type the endpoint answers with when it is not JSON (file downloads
	// such as the PKCS#12 export: application/octet-stream); "" for JSON.
	Accept string
	// Dangerous marks operations left out unless explicitly opted in: every call of them has a
	// dangerous effect (a Risk without conditions): they halt, reboot or run commands on the
	// firewall, wipe tables or history, or move the API itself. DangerousReason is that risk's.
	Dangerous       bool
	DangerousReason string
	// Risks are the dangerous effects a call can have, from the generator's reviewed risk table
	// (generator/internal/policy/risks.txt). A risk without conditions applies to every call
	// (the tool is Dangerous); one with conditions only to calls whose arguments (for updates,
	// the object as it would be; for deletes, the objects that would go) meet them.
	Risks []Risk

	// Secrets lists the fields of the model's objects that hold secrets, as paths of field names
	// from one object ("privatekey", "a_domainlist.cf_token"; array elements are transparent),
	// sorted. They come from the REST API package's own flags (the native schema's sensitive and
	// write-only fields) when the build has its native schema, else from the spec's writeOnly
	// flags and secret-looking names. The server redacts them at every depth of answers,
	// previews, errors and the audit log, and refuses filters and sorting on them.
	Secrets []string

	Annotations Annotations
}

// RiskClass names a kind of dangerous effect.
type RiskClass string

const (
	RiskCodeExecution   RiskClass = "code_execution"   // runs code or commands on the firewall (or on its VPN clients).
	RiskAccess          RiskClass = "access"           // opens a new way in: logins, keys, privileges.
	RiskLockout         RiskClass = "lockout"          // can cut administrators (or this server) off the firewall.
	RiskOutage          RiskClass = "outage"           // stops the firewall, a service or live traffic.
	RiskExposure        RiskClass = "exposure"         // opens the firewall, its secrets or its downloads to others.
	RiskBulkDestruction RiskClass = "bulk_destruction" // removes many objects, or history, at once.
)

// Risk is one dangerous effect of an operation.
type Risk struct {
	Class  RiskClass
	Reason string // one sentence, for the user.
	Source string // where the effect comes from, in the REST API package (or pfSense): file and method.
	// Prefix locates the objects the conditions read, in the tool's arguments: "" for the
	// arguments themselves (body fields; for a delete, the object or objects it removes),
	// "objects[]" for each object of a replace, "a_actionlist[]" for each entry of a nested list.
	Prefix string
	When   []Condition // all must hold for one object; none: every call.
}

// Condition is one test of a Risk on one object.
type Condition struct {
	Field string
	Op    CondOp
	// Values are compared with the field's value as JSON text without quotes ("wan", "true",
	// "null"); for an array field, with each of its elements.
	Values []string
}

// CondOp is how a Condition tests its field.
type CondOp string

const (
	CondSet CondOp = "set" // given, and not null, "", [] or false.
	// CondStored is CondSet for a field that only qualifies the effect: an update that changes
	// just this field does not have it (a stored user name makes a new server host an exposure;
	// a new user name for the same host is not one).
	CondStored CondOp = "stored"
	CondEmpty  CondOp = "empty"  // given as null, "" or [] (an empty replace list, for the field "objects").
	CondEq     CondOp = "eq"     // equal to Values[0] (an array: contains it).
	CondIn     CondOp = "in"     // equal to one of Values (an array: contains one).
	CondSuffix CondOp = "suffix" // a domain in the tree of one of Values: it, a name under it or a parent of it (x.netgate.com, netgate.com, com).
	// CondEscapes holds for a text that can leave the quoted value or the line a daemon's
	// configuration puts it in: it has a double quote, a backslash, a line break or a NUL.
	CondEscapes CondOp = "escapes"
)

// Control properties: tool inputs the server handles itself, never sent to the firewall as such.
const (
	// ConfirmProperty is on every mutating tool: without it the server answers with a preview
	// (the request it would send and the objects it would change) and changes nothing. To make
	// the change, it carries the confirm_token of that preview (or true, where the operator
	// allows plain confirmation; a client that supports elicitation asks its user as well).
	ConfirmProperty = "confirm"
	// FieldsProperty is on list tools: the object fields to return (projection).
	FieldsProperty = "fields"
)

// Paging of list tools. The REST API returns everything by default (limit=0); the server always
// sends a bounded limit so that answers stay small.
const (
	DefaultListLimit = 50  // page size when the caller gives no limit.
	MaxListLimit     = 500 // the largest limit a caller may ask for.
	MaxLogLimit      = 200 // log endpoints are capped harder: lines are long and numerous.
)

// Param returns where the named input property goes, and false for server-side controls.
func (t *Tool) Param(name string) (Param, bool) {
	for _, p := range t.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// EntrySchema returns the JSON Schema of one entry of a parent's list of such child objects
// (the parent's Entries name this create tool): the tool's input schema without parent_id (the
// entry belongs to the object being written) and confirm.
func (t *Tool) EntrySchema() (string, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(t.InputSchema), &m); err != nil {
		return "", fmt.Errorf("input schema of %s: %w", t.Name, err)
	}
	if props, ok := m["properties"].(map[string]any); ok {
		delete(props, "parent_id")
		delete(props, ConfirmProperty)
	}
	if req, ok := m["required"].([]any); ok {
		keep := []any{}
		for _, r := range req {
			if r != "parent_id" {
				keep = append(keep, r)
			}
		}
		if len(keep) > 0 {
			m["required"] = keep
		} else {
			delete(m, "required")
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("input schema of %s: %w", t.Name, err)
	}
	return string(b), nil
}

// AnswerTypeExtension is the OpenAPI extension the generator's loader puts on an operation whose
// success answer is not JSON, with the media type it answers with (the PKCS#12 export answers
// application/octet-stream), since the loader drops the responses themselves. It becomes
// Tool.Accept: the Accept header must name that type or pfSense answers 406 (the REST API's
// ContentHandlers pick the encoder from Accept).
const AnswerTypeExtension = "x-pfsense-mcp-answer-type"

// GuardedNote says, for each of a tool's dangerous effects that depend on the arguments (risks
// with conditions), which calls are refused unless the operator allows dangerous effects, and
// why: the server adds it to the tool's description when they are not allowed, so a model
// learns it before its call is refused.
func GuardedNote(risks []Risk) string {
	var out []string
	seen := map[string]bool{}
	for _, r := range risks {
		if len(r.When) == 0 {
			continue
		}
		var conds []string
		for _, c := range r.When {
			conds = append(conds, c.text(r.Prefix))
		}
		s := "Refused unless the operator allows dangerous effects when " + strings.Join(conds, " and ") + ": " + r.Reason
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

func (c Condition) text(prefix string) string {
	f := "`" + c.Field + "`"
	switch {
	case prefix != "":
		f = "`" + strings.TrimSuffix(prefix, "[]") + "[]." + c.Field + "`"
	case c.Field == "objects":
		f = "the list"
	}
	switch c.Op {
	case CondSet, CondStored:
		return f + " is set"
	case CondEmpty:
		return f + " is empty"
	case CondEq:
		return f + " is " + strings.Join(c.Values, ", ")
	case CondIn:
		return f + " is one of " + strings.Join(c.Values, ", ")
	case CondSuffix:
		return f + " is, is under or is a parent of " + strings.Join(c.Values, " or ")
	case CondEscapes:
		return f + " holds a quote, backslash or line break"
	}
	return f
}

// PHPLooseNull reports whether PHP's == holds between a and b when one of them is null: null
// equals false, 0 and "". in_array() compares so, which Core/Field.inc are_conditions_met()
// uses for a condition with a list of values.
func PHPLooseNull(a, b any) bool {
	falsy := func(v any) bool {
		switch x := v.(type) {
		case nil:
			return true
		case bool:
			return !x
		case string:
			return x == ""
		case float64:
			return x == 0
		case json.Number:
			f, err := x.Float64()
			return err == nil && f == 0
		}
		return false
	}
	return (a == nil && falsy(b)) || (b == nil && falsy(a))
}
