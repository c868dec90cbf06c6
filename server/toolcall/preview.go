package toolcall

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
)

// previewRows bounds how many current objects a preview shows.
const previewRows = toolspec.DefaultListLimit

// preview answers a mutation called without confirm=true: the request it would send and, where
// it can be read first, what it would change. Nothing is changed.
func (d *Dispatcher) preview(ctx context.Context, t *toolspec.Tool, req *request, args map[string]any, red *redact.Redactor) Result {
	send := map[string]any{"method": req.http.Method, "path": req.http.Path}
	if len(req.http.Query) > 0 {
		send["query"] = req.http.Query.Encode()
	}
	if req.http.Body != nil {
		send["body"] = req.http.Body
	}
	out := map[string]any{
		"preview":    true,
		"would_send": send,
		"note":       fmt.Sprintf("Nothing was changed. To do it, call %s again with the same arguments and confirm=true.", t.Name),
	}
	previewApply(t, args, out)
	if len(req.notes) > 0 {
		out["filter_note"] = strings.Join(req.notes, " ")
	}
	if t.Dangerous {
		out["danger"] = t.DangerousReason
	}
	if t.BasicAuthOnly && !d.fw.HasBasicAuth() {
		out["warning"] = "This endpoint accepts only BasicAuth and no PFSENSE_USERNAME/PFSENSE_PASSWORD is configured: the call would fail."
	}
	d.describeEffect(ctx, t, req, args, out)
	d.lint(ctx, t, args, nil, out)
	d.record(t, args, red, audit.Previewed, nil, nil, 0)
	return d.answer(out, red)
}

// describeEffect reads what the mutation would change and adds it to out.
func (d *Dispatcher) describeEffect(ctx context.Context, t *toolspec.Tool, req *request, args map[string]any, out map[string]any) {
	switch {
	case t.Kind == toolspec.KindApply:
		if cur, err := d.readPath(ctx, http.MethodGet, t.Path, nil); err == nil {
			out["current"] = cur
		}
		return
	case t.ReadTool == "":
		return
	}
	rt, ok := d.inv.ByName(t.ReadTool)
	if !ok {
		return
	}
	readArgs := map[string]any{}
	for _, p := range rt.Params {
		if v, ok := args[p.Name]; ok && (p.Name == "id" || p.Name == "parent_id" || p.In == toolspec.InQueryMap) {
			readArgs[p.Name] = v
		}
	}
	rreq, err := buildRequest(rt, readArgs)
	if err != nil {
		out["current_error"] = err.Error()
		return
	}
	resp, err := d.fw.Do(ctx, rreq.http)
	if err != nil {
		out["current_error"] = "reading the current state failed, so the call would likely fail too: " + firewallError(rt, err)
		return
	}
	cur, err := decodeData(resp.Data)
	if err != nil {
		out["current_error"] = err.Error()
		return
	}
	switch {
	case t.Kind == toolspec.KindDelete && t.Plural:
		rows, _ := cur.([]any)
		rows = window(rows, args)
		out["would_delete_count"] = len(rows)
		out["would_delete"] = rows[:min(len(rows), previewRows)]
	case t.Kind == toolspec.KindReplace:
		rows, _ := cur.([]any)
		newRows, _ := args["objects"].([]any)
		out["current_count"] = len(rows)
		out["current"] = rows[:min(len(rows), previewRows)]
		out["new_count"] = len(newRows)
		out["warning"] = "Replace sends the complete new list: fields you leave out are reset, and write-only values " +
			"(passwords, pre-shared keys) that lists never show are lost unless you include them."
	case t.Kind == toolspec.KindDelete:
		out["would_delete"] = cur
	default: // update, settings PATCH
		out["current"] = cur
		if body, ok := req.http.Body.(map[string]any); ok {
			out["changes"] = changes(cur, body)
		}
	}
}

// window applies a plural delete's offset and limit (0 = no limit) to the matching rows.
func window(rows []any, args map[string]any) []any {
	if off, ok := args["offset"].(float64); ok && off > 0 {
		rows = rows[min(int(off), len(rows)):]
	}
	if lim, ok := args["limit"].(float64); ok && lim > 0 {
		rows = rows[:min(int(lim), len(rows))]
	}
	return rows
}

// changes lists the fields the update would change, from the current value to the new one.
func changes(cur any, body map[string]any) map[string]any {
	obj, _ := cur.(map[string]any)
	diff := map[string]any{}
	for _, k := range sortedKeys(body) {
		if k == "id" || k == "parent_id" {
			continue
		}
		old, had := obj[k]
		if had && sameJSON(old, body[k]) {
			continue
		}
		diff[k] = map[string]any{"from": old, "to": body[k]}
	}
	return diff
}

// sameJSON compares a value read from the firewall (numbers as json.Number) with an argument
// (numbers as float64).
func sameJSON(a, b any) bool {
	na, err1 := decodeData(mustJSON(a))
	nb, err2 := decodeData(mustJSON(b))
	return err1 == nil && err2 == nil && reflect.DeepEqual(na, nb)
}

// readPath performs an internal read (previews, composite tools) through the same client.
func (d *Dispatcher) readPath(ctx context.Context, method, path string, req *pfclient.Request) (any, error) {
	r := pfclient.Request{Method: method, Path: path}
	if req != nil {
		r = *req
	}
	resp, err := d.fw.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	return decodeData(resp.Data)
}
