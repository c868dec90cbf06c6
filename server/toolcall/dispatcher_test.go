package toolcall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
)

// fakeFirewall records requests and answers from a table keyed "METHOD path".
type fakeFirewall struct {
	calls   []pfclient.Request
	answers map[string]any   // data to return
	errors  map[string]error // or an error
	basic   bool
	// paged lists are answered like the REST API pages them: offset and limit (0 = all).
	paged map[string][]any
}

func (f *fakeFirewall) Do(_ context.Context, r pfclient.Request) (*pfclient.Response, error) {
	f.calls = append(f.calls, r)
	key := r.Method + " " + r.Path
	if err := f.errors[key]; err != nil {
		return nil, err
	}
	if rows, ok := f.paged[key]; ok {
		off, _ := strconv.Atoi(r.Query.Get("offset"))
		lim, _ := strconv.Atoi(r.Query.Get("limit"))
		rows = rows[min(off, len(rows)):]
		if lim > 0 {
			rows = rows[:min(lim, len(rows))]
		}
		b, _ := json.Marshal(rows)
		return &pfclient.Response{HTTPStatus: 200, ResponseID: "SUCCESS", Data: b}, nil
	}
	data, ok := f.answers[key]
	if !ok {
		return nil, &pfclient.APIError{Method: r.Method, Path: r.Path, HTTPStatus: 404, Message: "not in the fake"}
	}
	b, _ := json.Marshal(data)
	return &pfclient.Response{HTTPStatus: 200, ResponseID: "SUCCESS", Data: b}, nil
}

func (f *fakeFirewall) HasBasicAuth() bool { return f.basic }

func (f *fakeFirewall) mutatingCalls() int {
	n := 0
	for _, c := range f.calls {
		if c.Method != "GET" {
			n++
		}
	}
	return n
}

const aliasFields = `"address": {"type": "array", "items": {"type": "string"}}, "descr": {"type": "string"},
	"name": {"type": "string"}, "type": {"type": "string", "enum": ["host", "network", "port"]}`

func tools() []toolspec.Tool {
	fields := []string{"address", "descr", "detail", "id", "name", "type"}
	return []toolspec.Tool{
		{Name: "pfsense_list_firewall_aliases", Kind: toolspec.KindList, Plural: true, Module: "firewall", Model: "FirewallAlias", Fields: fields,
			Method: "GET", Path: "/api/v2/firewall/aliases",
			Params:      []toolspec.Param{{Name: "query", In: toolspec.InQueryMap}, {Name: "limit", In: toolspec.InQuery}, {Name: "offset", In: toolspec.InQuery}, {Name: "sort_by", In: toolspec.InQuery}},
			InputSchema: `{"type": "object", "additionalProperties": false, "properties": {"query": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}, "limit": {"type": "integer", "minimum": 1, "maximum": 500}, "offset": {"type": "integer", "minimum": 0}, "sort_by": {"type": "array", "items": {"type": "string"}}, "fields": {"type": "array", "items": {"type": "string"}}}}`},
		{Name: "pfsense_get_firewall_alias", Kind: toolspec.KindGet, Module: "firewall", Model: "FirewallAlias", Fields: fields,
			Method: "GET", Path: "/api/v2/firewall/alias", Params: []toolspec.Param{{Name: "id", In: toolspec.InQuery}},
			InputSchema: `{"type": "object", "additionalProperties": false, "required": ["id"], "properties": {"id": {"type": "integer"}, "fields": {"type": "array", "items": {"type": "string"}}}}`},
		{Name: "pfsense_create_firewall_alias", Kind: toolspec.KindCreate, Module: "firewall", Model: "FirewallAlias", Fields: fields, Mutation: true, ApplyTool: "pfsense_apply_firewall",
			Method: "POST", Path: "/api/v2/firewall/alias",
			Params:      []toolspec.Param{{Name: "name", In: toolspec.InBody}, {Name: "type", In: toolspec.InBody}, {Name: "address", In: toolspec.InBody}, {Name: "descr", In: toolspec.InBody}},
			InputSchema: `{"type": "object", "additionalProperties": false, "required": ["name", "type"], "properties": {` + aliasFields + `, "confirm": {"type": ["string", "boolean"]}}}`},
		{Name: "pfsense_update_firewall_alias", Kind: toolspec.KindUpdate, Module: "firewall", Model: "FirewallAlias", Fields: fields, Mutation: true, ReadTool: "pfsense_get_firewall_alias", ApplyTool: "pfsense_apply_firewall",
			Method: "PATCH", Path: "/api/v2/firewall/alias",
			Params: []toolspec.Param{{Name: "id", In: toolspec.InBody}, {Name: "name", In: toolspec.InBody}, {Name: "type", In: toolspec.InBody}, {Name: "address", In: toolspec.InBody}, {Name: "descr", In: toolspec.InBody},
				{Name: "append", In: toolspec.InBody, Control: true}, {Name: "remove", In: toolspec.InBody, Control: true}},
			InputSchema: `{"type": "object", "additionalProperties": false, "required": ["id"], "properties": {"id": {"type": "integer"}, ` + aliasFields + `, "append": {"type": "boolean"}, "remove": {"type": "boolean"}, "confirm": {"type": ["string", "boolean"]}}}`},
		{Name: "pfsense_delete_firewall_aliases", Kind: toolspec.KindDelete, Plural: true, Module: "firewall", Model: "FirewallAlias", Fields: fields, Mutation: true, ReadTool: "pfsense_list_firewall_aliases",
			Method: "DELETE", Path: "/api/v2/firewall/aliases", Params: []toolspec.Param{{Name: "query", In: toolspec.InQueryMap}, {Name: "limit", In: toolspec.InQuery}, {Name: "offset", In: toolspec.InQuery}},
			InputSchema: `{"type": "object", "additionalProperties": false, "required": ["query"], "properties": {"query": {"type": "object", "minProperties": 1, "additionalProperties": {"type": ["string", "number", "boolean"]}}, "limit": {"type": "integer", "minimum": 0}, "offset": {"type": "integer", "minimum": 0}, "confirm": {"type": ["string", "boolean"]}}}`},
		{Name: "pfsense_list_status_logs_system", Kind: toolspec.KindList, Plural: true, Log: true, Module: "status", Model: "SystemLog", Fields: []string{"text"},
			Method: "GET", Path: "/api/v2/status/logs/system", Params: []toolspec.Param{{Name: "limit", In: toolspec.InQuery}, {Name: "offset", In: toolspec.InQuery}},
			InputSchema: `{"type": "object", "additionalProperties": false, "properties": {"limit": {"type": "integer", "minimum": 1, "maximum": 200}, "offset": {"type": "integer", "minimum": 0}}}`},
		{Name: "pfsense_list_vpn_wireguard_tunnels", Kind: toolspec.KindList, Plural: true, Module: "vpn_wireguard", Model: "WireGuardTunnel", Fields: []string{"id", "name", "privatekey", "publickey"},
			Method: "GET", Path: "/api/v2/vpn/wireguard/tunnels", InputSchema: `{"type": "object", "additionalProperties": false, "properties": {}}`},
	}
}

func aliases(n int) []any {
	var out []any
	for i := 0; i < n; i++ {
		out = append(out, map[string]any{"id": i, "name": fmt.Sprintf("a%d", i), "type": "host", "address": []any{"10.0.0.1"}, "descr": "d"})
	}
	return out
}

func newDispatcher(t *testing.T, fw *fakeFirewall, writes bool) (*Dispatcher, *bytes.Buffer) {
	t.Helper()
	return newDispatcherWith(t, fw, inventory.Options{AllowWrites: writes}, Options{})
}

// newDispatcherWith builds a dispatcher over tools() with these exposure and dispatcher options
// (Inventory, Firewall and Audit are filled in).
func newDispatcherWith(t *testing.T, fw *fakeFirewall, io inventory.Options, o Options) (*Dispatcher, *bytes.Buffer) {
	t.Helper()
	inv, err := inventory.New(tools(), io)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	o.Inventory, o.Firewall, o.Audit = inv, fw, audit.New(&log)
	return New(o), &log
}

// confirmed previews a call, then confirms it with the preview's token, as a client must.
func confirmed(t *testing.T, d *Dispatcher, name, args string) (Result, map[string]any) {
	t.Helper()
	r, out := call(t, d, name, args)
	if r.IsError {
		return r, out
	}
	tok, ok := out["confirm_token"].(string)
	if !ok {
		t.Fatalf("%s: the preview has no confirm_token: %s", name, r.Text)
	}
	var a map[string]any
	if args != "" {
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			t.Fatal(err)
		}
	}
	if a == nil {
		a = map[string]any{}
	}
	a["confirm"] = tok
	b, _ := json.Marshal(a)
	return call(t, d, name, string(b))
}

func call(t *testing.T, d *Dispatcher, name, args string) (Result, map[string]any) {
	t.Helper()
	var a map[string]any
	if args != "" {
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			t.Fatal(err)
		}
	}
	r := d.Call(context.Background(), name, a)
	var out map[string]any
	if !r.IsError {
		if err := json.Unmarshal([]byte(r.Text), &out); err != nil {
			t.Fatalf("answer is not JSON: %s", r.Text)
		}
	}
	return r, out
}

func auditOutcomes(log *bytes.Buffer) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		if line == "" {
			continue
		}
		var e audit.Entry
		json.Unmarshal([]byte(line), &e)
		out = append(out, e.Tool+":"+e.Outcome)
	}
	return out
}

func TestListPagesLocallyWithTotal(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/aliases": aliases(120)}}
	d, _ := newDispatcher(t, fw, false)
	r, out := call(t, d, "pfsense_list_firewall_aliases", `{"offset": 50, "query": {"name__startswith": "a"}, "sort_by": ["name"], "fields": ["name"]}`)
	if r.IsError {
		t.Fatal(r.Text)
	}
	if out["total"] != 120.0 || out["count"] != 50.0 || out["more"] != true || out["next_offset"] != 100.0 {
		t.Errorf("paging = total %v count %v more %v next %v", out["total"], out["count"], out["more"], out["next_offset"])
	}
	first := out["data"].([]any)[0].(map[string]any)
	if len(first) != 2 || first["id"] != 50.0 || first["name"] != "a50" {
		t.Errorf("first row = %v, want only id and name of a50", first)
	}
	q := fw.calls[0].Query
	if q.Get("name__startswith") != "a" || q.Get("sort_by") != "name" || q.Has("limit") {
		t.Errorf("query = %s", q.Encode())
	}
}

func TestLogsArePagedByTheFirewallAndCapped(t *testing.T) {
	var lines []any
	for i := 0; i < 201; i++ {
		lines = append(lines, map[string]any{"text": "line"})
	}
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/status/logs/system": lines}}
	d, _ := newDispatcher(t, fw, false)
	// The schema caps limit at 200 for logs; the server asks for one more row to detect more.
	_, out := call(t, d, "pfsense_list_status_logs_system", `{"limit": 200}`)
	if got := fw.calls[0].Query.Get("limit"); got != "201" {
		t.Errorf("limit sent = %s, want 201", got)
	}
	if out["count"] != 200.0 || out["more"] != true || out["total"] != nil {
		t.Errorf("out = count %v more %v total %v", out["count"], out["more"], out["total"])
	}
	_, out = call(t, d, "pfsense_list_status_logs_system", "")
	if got := fw.calls[1].Query.Get("limit"); got != "51" {
		t.Errorf("default limit sent = %s, want 51", got)
	}
	if r, _ := call(t, d, "pfsense_list_status_logs_system", `{"limit": 5000}`); !r.IsError {
		t.Error("a log limit above the cap was accepted")
	}
}

func TestValidationErrorsSendNothing(t *testing.T) {
	fw := &fakeFirewall{}
	d, log := newDispatcher(t, fw, true)
	r, _ := call(t, d, "pfsense_create_firewall_alias", `{"name": "x", "type": "hots", "confirm": true}`)
	want := "Invalid arguments for pfsense_create_firewall_alias (checked locally; nothing was sent to pfSense): argument `type`: \"hots\" is not allowed; use one of: host, network, port"
	if !r.IsError || r.Text != want {
		t.Errorf("result = %+v\nwant %s", r, want)
	}
	if len(fw.calls) != 0 {
		t.Errorf("requests were sent: %v", fw.calls)
	}
	if got := auditOutcomes(log); len(got) != 1 || got[0] != "pfsense_create_firewall_alias:refused" {
		t.Errorf("audit = %v", got)
	}
}

// With append or remove, the preview's "to" is the list the update leaves, and the control
// itself is not a changed field.
func TestPreviewOfAppendAndRemoveShowsTheResultingList(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/alias": map[string]any{"id": 3, "name": "web", "type": "host", "address": []any{"10.0.0.1", "10.0.0.2"}}}}
	d, _ := newDispatcher(t, fw, true)
	for args, want := range map[string]string{
		`{"id": 3, "address": ["10.0.0.3"], "append": true}`: `{"address":{"from":["10.0.0.1","10.0.0.2"],"to":["10.0.0.1","10.0.0.2","10.0.0.3"]}}`,
		`{"id": 3, "address": ["10.0.0.1"], "remove": true}`: `{"address":{"from":["10.0.0.1","10.0.0.2"],"to":["10.0.0.2"]}}`,
		`{"id": 3, "address": ["10.0.0.3"]}`:                 `{"address":{"from":["10.0.0.1","10.0.0.2"],"to":["10.0.0.3"]}}`,
	} {
		r, out := call(t, d, "pfsense_update_firewall_alias", args)
		if r.IsError {
			t.Fatal(r.Text)
		}
		if got, _ := json.Marshal(out["changes"]); string(got) != want {
			t.Errorf("%s: changes = %s\nwant %s", args, got, want)
		}
	}
}

func TestMutationWithoutConfirmPreviewsTheChange(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/alias": map[string]any{"id": 3, "name": "web", "type": "host", "address": []any{"10.0.0.1"}, "descr": "old"}}}
	d, log := newDispatcher(t, fw, true)
	r, out := call(t, d, "pfsense_update_firewall_alias", `{"id": 3, "descr": "new", "type": "host"}`)
	if r.IsError {
		t.Fatal(r.Text)
	}
	if fw.mutatingCalls() != 0 {
		t.Fatalf("a preview sent a mutation: %v", fw.calls)
	}
	if fw.calls[0].Query.Get("id") != "3" {
		t.Errorf("current object read with %s", fw.calls[0].Query.Encode())
	}
	changes, _ := json.Marshal(out["changes"])
	if string(changes) != `{"descr":{"from":"old","to":"new"}}` {
		t.Errorf("changes = %s", changes)
	}
	send, _ := json.Marshal(out["would_send"])
	if string(send) != `{"body":{"descr":"new","id":3,"type":"host"},"method":"PATCH","path":"/api/v2/firewall/alias"}` {
		t.Errorf("would_send = %s", send)
	}
	if out["preview"] != true || !strings.Contains(out["note"].(string), `confirm set to "`+out["confirm_token"].(string)+`"`) || !strings.HasPrefix(fmt.Sprint(out["then"]), "After confirming, call pfsense_apply_firewall to apply the change") {
		t.Errorf("preview = %v", out)
	}
	if got := auditOutcomes(log); len(got) != 1 || got[0] != "pfsense_update_firewall_alias:previewed" {
		t.Errorf("audit = %v", got)
	}
}

func TestConfirmedMutationExecutesAndNamesTheApplyTool(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"POST /api/v2/firewall/alias": map[string]any{"id": 7, "name": "bt_web", "type": "host"}}}
	d, log := newDispatcher(t, fw, true)
	r, out := confirmed(t, d, "pfsense_create_firewall_alias", `{"name": "bt_web", "type": "host", "address": ["10.0.0.5"]}`)
	if r.IsError {
		t.Fatal(r.Text)
	}
	body, _ := json.Marshal(fw.calls[0].Body)
	if fw.calls[0].Method != "POST" || string(body) != `{"address":["10.0.0.5"],"name":"bt_web","type":"host"}` {
		t.Errorf("sent %s %s", fw.calls[0].Method, body)
	}
	if !strings.HasPrefix(fmt.Sprint(out["next_step"]), "The change is pending: call pfsense_apply_firewall to apply it") {
		t.Errorf("next_step = %v", out["next_step"])
	}
	if got := auditOutcomes(log); strings.Join(got, " ") != "pfsense_create_firewall_alias:previewed pfsense_create_firewall_alias:attempt pfsense_create_firewall_alias:executed" {
		t.Errorf("audit = %v", got)
	}
}

func TestBulkDeleteOnUnknownFieldIsRefused(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/aliases": aliases(3), "DELETE /api/v2/firewall/aliases": aliases(3)}}
	// The fake answers every read with all three aliases, so every filter matches all of them:
	// a bulk destruction (stateRisks), allowed here so that the previews show what would go.
	d, log := newDispatcherWith(t, fw, inventory.Options{AllowWrites: true, AllowDangerous: true}, Options{})
	r, _ := call(t, d, "pfsense_delete_firewall_aliases", `{"query": {"nmae__startswith": "bt_"}, "confirm": true}`)
	if !r.IsError || !strings.Contains(r.Text, `refused because "nmae" is not a field of FirewallAlias: pfSense ignores filters on unknown fields, so this delete would remove EVERY FirewallAlias; did you mean "name"?`) {
		t.Errorf("result = %s", r.Text)
	}
	if len(fw.calls) != 0 {
		t.Errorf("requests were sent: %v", fw.calls)
	}
	if got := auditOutcomes(log); len(got) != 1 || got[0] != "pfsense_delete_firewall_aliases:refused" {
		t.Errorf("audit = %v", got)
	}
	// A known field previews exactly what would go.
	r, out := call(t, d, "pfsense_delete_firewall_aliases", `{"query": {"name__startswith": "a"}}`)
	if r.IsError || out["would_delete_count"] != 3.0 || fw.mutatingCalls() != 0 {
		t.Errorf("preview = %s (calls %v)", r.Text, fw.calls)
	}
	if q := fw.calls[0].Query; q.Get("name__startswith") != "a" {
		t.Errorf("preview read with %s", q.Encode())
	}
	// With a limit and offset, the preview shows only what those select.
	r, out = call(t, d, "pfsense_delete_firewall_aliases", `{"query": {"name__startswith": "a"}, "offset": 1, "limit": 1}`)
	rows, _ := out["would_delete"].([]any)
	if r.IsError || out["would_delete_count"] != 1.0 || len(rows) != 1 || rows[0].(map[string]any)["name"] != "a1" {
		t.Errorf("windowed preview = %s", r.Text)
	}
}

func TestReadOnlyServerRefusesMutations(t *testing.T) {
	d, _ := newDispatcher(t, &fakeFirewall{}, false)
	r, _ := call(t, d, "pfsense_create_firewall_alias", `{"name": "x", "type": "host", "confirm": true}`)
	if !r.IsError || !strings.Contains(r.Text, "PFSENSE_ALLOW_WRITES=true") {
		t.Errorf("result = %+v", r)
	}
}

func TestSecretsAreRedactedAndEchoesScrubbed(t *testing.T) {
	const priv = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
	fw := &fakeFirewall{
		answers: map[string]any{"GET /api/v2/vpn/wireguard/tunnels": []any{map[string]any{"id": 0, "name": "tun_wg0", "privatekey": priv, "publickey": "pub"}}},
		errors: map[string]error{"POST /api/v2/firewall/alias": &pfclient.APIError{Method: "POST", Path: "/api/v2/firewall/alias", HTTPStatus: 400,
			ResponseID: "FIELD_INVALID", Message: "Field `descr` value `hunter2-password-value` is invalid."}},
	}
	d, log := newDispatcher(t, fw, true)
	r, _ := call(t, d, "pfsense_list_vpn_wireguard_tunnels", "")
	if strings.Contains(r.Text, priv) || !strings.Contains(r.Text, `"privatekey":"[REDACTED]"`) || !strings.Contains(r.Text, `"publickey":"pub"`) || !strings.Contains(r.Text, "PFSENSE_EXPOSE_SECRETS") {
		t.Errorf("answer = %s", r.Text)
	}
	// The caller sent a secret in a field named like one; pfSense echoed it in an error.
	d.inv, _ = inventory.New(append(tools(), toolspec.Tool{Name: "pfsense_x", Mutation: true, Method: "POST", Path: "/api/v2/firewall/alias",
		Params: []toolspec.Param{{Name: "password", In: toolspec.InBody}}, InputSchema: `{"type":"object","properties":{"password":{"type":"string"},"confirm":{"type":["string","boolean"]}}}`}), inventory.Options{AllowWrites: true})
	d.confirmMode = ConfirmPlain
	r = d.Call(context.Background(), "pfsense_x", map[string]any{"password": "hunter2-password-value", "confirm": true})
	if !r.IsError || strings.Contains(r.Text, "hunter2") || !strings.Contains(r.Text, "value `[REDACTED]` is invalid") {
		t.Errorf("error = %s", r.Text)
	}
	if strings.Contains(log.String(), "hunter2") {
		t.Errorf("the audit log holds the secret: %s", log.String())
	}
}

// Sending back a redacted answer would write the placeholder over the real secret.
func TestRedactionPlaceholderIsRefused(t *testing.T) {
	fw := &fakeFirewall{}
	d, log := newDispatcher(t, fw, true)
	r, _ := call(t, d, "pfsense_update_firewall_alias", `{"id": 1, "descr": "[REDACTED]", "confirm": true}`)
	if !r.IsError || !strings.Contains(r.Text, "argument `descr` is [REDACTED], the placeholder this server shows instead of a secret") {
		t.Errorf("result = %s", r.Text)
	}
	if len(fw.calls) != 0 || !strings.Contains(log.String(), `"outcome":"refused"`) {
		t.Errorf("calls %v, audit %s", fw.calls, log.String())
	}
}

func TestFirewallErrorsSayTheyComeFromPfSense(t *testing.T) {
	fw := &fakeFirewall{errors: map[string]error{"GET /api/v2/firewall/alias": &pfclient.APIError{Method: "GET", Path: "/api/v2/firewall/alias", HTTPStatus: 404, ResponseID: "MODEL_OBJECT_NOT_FOUND", Message: "Object with ID `9` does not exist."}}}
	d, _ := newDispatcher(t, fw, false)
	r, _ := call(t, d, "pfsense_get_firewall_alias", `{"id": 9}`)
	want := "pfSense rejected the request: pfSense answered HTTP 404 MODEL_OBJECT_NOT_FOUND: Object with ID `9` does not exist. [GET /api/v2/firewall/alias]. Object ids are positions in a list and shift after deletions: list the objects again to find the current id."
	if !r.IsError || r.Text != want {
		t.Errorf("error = %s\nwant    %s", r.Text, want)
	}
	if q := fw.calls[0].Query; q.Encode() != (url.Values{"id": {"9"}}).Encode() {
		t.Errorf("query = %s", q.Encode())
	}
}

func TestProjectionFieldsAreChecked(t *testing.T) {
	d, _ := newDispatcher(t, &fakeFirewall{}, false)
	r, _ := call(t, d, "pfsense_get_firewall_alias", `{"id": 1, "fields": ["nam"]}`)
	if !r.IsError || !strings.Contains(r.Text, `argument `+"`fields`"+`: "nam" is not a field of FirewallAlias; did you mean "name"?`) {
		t.Errorf("result = %s", r.Text)
	}
}

// An action on one object of a list (a service's restart) previews that object, and an id that
// names none cannot be confirmed.
func TestActionPreviewShowsTheObjectActedOn(t *testing.T) {
	svc := []toolspec.Tool{
		{Name: "pfsense_list_status_services", Kind: toolspec.KindList, Plural: true, Module: "status", Model: "Service", Fields: []string{"id", "name", "status"},
			Method: "GET", Path: "/api/v2/status/services", Params: []toolspec.Param{{Name: "query", In: toolspec.InQueryMap}},
			InputSchema: `{"type": "object", "additionalProperties": false, "properties": {"query": {"type": "object"}}}`},
		{Name: "pfsense_control_status_service", Kind: toolspec.KindAction, Module: "status", Model: "Service", Mutation: true, ReadTool: "pfsense_list_status_services",
			Method: "POST", Path: "/api/v2/status/service", Params: []toolspec.Param{{Name: "id", In: toolspec.InBody}, {Name: "action", In: toolspec.InBody}},
			InputSchema: `{"type": "object", "additionalProperties": false, "required": ["action", "id"], "properties": {"id": {"type": "integer"}, "action": {"type": "string", "enum": ["start", "stop", "restart"]}, "confirm": {"type": ["string", "boolean"]}}}`},
	}
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/status/services": []any{
		map[string]any{"id": 0, "name": "unbound", "status": true}, map[string]any{"id": 1, "name": "dhcpd", "status": false}}}}
	inv, err := inventory.New(svc, inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	d := New(Options{Inventory: inv, Firewall: fw, Audit: audit.New(&bytes.Buffer{})})
	r, out := call(t, d, "pfsense_control_status_service", `{"id": 1, "action": "start"}`)
	if r.IsError {
		t.Fatal(r.Text)
	}
	if cur, _ := json.Marshal(out["current"]); string(cur) != `{"id":1,"name":"dhcpd","status":false}` || out["confirm_token"] == nil || out["changes"] != nil {
		t.Errorf("preview = %v", out)
	}
	_, out = call(t, d, "pfsense_control_status_service", `{"id": 7, "action": "start"}`)
	if out["confirm_token"] != nil || out["current_error"] != "no object has id 7; pfsense_list_status_services lists them with their ids" {
		t.Errorf("preview of an unknown id = %v", out)
	}
	if fw.mutatingCalls() != 0 {
		t.Errorf("a preview sent %v", fw.calls)
	}
}

// Reached through the discovery mode's call tool, a preview tells the model to call that tool
// again, with the name, not the tool it cannot see.
func TestPreviewThroughACallToolNamesIt(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/alias": map[string]any{"id": 3, "name": "web", "type": "host", "descr": "old"}}}
	d, _ := newDispatcher(t, fw, true)
	r := d.Call(WithVia(context.Background(), "pfsense_call_change_tool"), "pfsense_update_firewall_alias", map[string]any{"id": 3.0, "descr": "new"})
	var out map[string]any
	if err := json.Unmarshal([]byte(r.Text), &out); err != nil {
		t.Fatal(r.Text)
	}
	want := "To make this change, call pfsense_call_change_tool again with name pfsense_update_firewall_alias and the same arguments, and confirm set to "
	if note, _ := out["note"].(string); !strings.Contains(note, want) {
		t.Errorf("note = %q\nwant it to contain %q", note, want)
	}
}

// Asking for id among the fields is no error: every answer has it.
func TestProjectionMayNameTheIDs(t *testing.T) {
	fw := &fakeFirewall{answers: map[string]any{"GET /api/v2/firewall/aliases": aliases(2)}}
	d, _ := newDispatcher(t, fw, false)
	r, out := call(t, d, "pfsense_list_firewall_aliases", `{"fields": ["id", "name"]}`)
	if r.IsError {
		t.Fatal(r.Text)
	}
	rows, _ := out["data"].([]any)
	if len(rows) != 2 || fmt.Sprint(rows[1]) != "map[id:1 name:a1]" {
		t.Errorf("rows = %v", rows)
	}
}
