package toolcall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/audit"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
)

// previewRows bounds how many current objects a preview shows in full.
const previewRows = toolspec.DefaultListLimit

// preview answers a mutation called without confirm: the request it would send and what it
// would change, and a token to confirm exactly that. Nothing is changed.
func (d *Dispatcher) preview(ctx context.Context, t *toolspec.Tool, req *request, args map[string]any, red *redact.Redactor, eff *effect, risks []toolspec.Risk) Result {
	out := d.previewOf(t, req, eff, risks, args)
	if n := d.placementNote(ctx, t, args); n != "" {
		out["placement_note"] = n
	}
	d.lint(ctx, t, args, nil, out)
	switch {
	case eff.err != "":
		out["note"] = "Nothing was changed. This preview cannot be confirmed, because what the call would change could not be read; fix that first (see current_error)."
	case eff.truncated:
		out["note"] = fmt.Sprintf("Nothing was changed. More than %d objects match, more than a preview reads: narrow the query to confirm a smaller delete.", maxEffectRows)
	default:
		tok := d.tokens.issue(previewed{tool: t.Name, args: argsDigest(args), keys: argKeys(args), state: eff.digest(), session: CallerFrom(ctx).Session})
		out["confirm_token"] = tok
		what := "make this change"
		if t.Kind == toolspec.KindAction {
			what = "run it" // an export, a ping, a service start: an action, not an edit
		}
		note := fmt.Sprintf("Nothing was changed. To %s, %s and confirm set to %q (valid for %s, once; a new preview is needed if the objects change).", what, callAgain(ctx, t.Name), tok, tokenTTLText)
		switch {
		case d.confirmMode == ConfirmHuman && confirmerFrom(ctx) != nil:
			note += " The user will then be asked to approve it."
		case d.confirmMode == ConfirmPlain:
			note += " (confirm=true also works here: the operator allows plain confirmation.)"
		default:
			note += " Show the user what it would do first."
		}
		out["note"] = note
	}
	if err := d.record(ctx, t, args, red, audit.Previewed, nil, nil, 0, "", risks); err != nil {
		out["audit_warning"] = fmt.Sprintf("the audit log cannot be written (%v): a confirmation would be refused", err)
	}
	return d.answer(t, out, red, false)
}

// previewOf describes what the mutation would do.
func (d *Dispatcher) previewOf(t *toolspec.Tool, req *request, eff *effect, risks []toolspec.Risk, args map[string]any) map[string]any {
	send := map[string]any{"method": req.http.Method, "path": req.http.Path}
	if len(req.http.Query) > 0 {
		send["query"] = req.http.Query.Encode()
	}
	if req.http.Body != nil {
		send["body"] = req.http.Body
	}
	out := map[string]any{"preview": true, "would_send": send}
	previewApply(t, args, out)
	if len(req.notes) > 0 {
		out["filter_note"] = strings.Join(req.notes, " ")
	}
	if len(req.sent) > 0 {
		out["sent_note"] = strings.Join(req.sent, " ")
	}
	if t.Dangerous {
		out["danger"] = t.DangerousReason
	}
	if len(risks) > 0 {
		var lines []string
		for _, r := range risks {
			lines = append(lines, risk.Describe(r))
		}
		out["dangerous_effects"] = lines
	}
	if t.BasicAuthOnly && !d.fw.HasBasicAuth() {
		out["warning"] = "This endpoint accepts only BasicAuth and no PFSENSE_USERNAME/PFSENSE_PASSWORD is configured: the call would fail."
	}
	if eff.err != "" {
		out["current_error"] = eff.err
		return out
	}
	switch {
	case t.Kind == toolspec.KindApply:
		if eff.current != nil {
			out["current"] = eff.current
			cur, ok := eff.current.(map[string]any)
			if tools := d.Unapplied(t.Name); ok && len(tools) > 0 && (cur["applied"] == false || cur["applied"] == true) {
				// What this server changed that the apply loads, inside `current` whatever pfSense
				// says; where it says nothing is pending, the same correction as the apply status
				// tool's (noteUnapplied). The state digest was taken before, so the token binds
				// pfSense's own answer.
				shown := map[string]any{}
				for k, v := range cur {
					shown[k] = v
				}
				shown["changed_since_last_apply"] = tools
				if cur["applied"] == true {
					shown["applied"] = false
					out["pending_note"] = fmt.Sprintf("pfSense reports nothing pending, but changes made through this server with %v have not been applied since "+
						"(the REST API does not mark every change as pending: firewall rules mark none); this apply loads them.", tools)
				}
				out["current"] = shown
			}
		}
	case t.ReadTool == "":
	case t.Kind == toolspec.KindAction:
		out["current"] = eff.current
	case t.Kind == toolspec.KindDelete && t.Plural:
		out["would_delete_count"] = len(eff.rows)
		out["would_delete"] = eff.rows[:min(len(eff.rows), previewRows)]
		if len(eff.rows) > previewRows {
			out["would_delete_ids"] = idsOf(eff.rows)
		}
	case t.Kind == toolspec.KindReplace:
		rows := asRows(eff.current)
		newRows, _ := args["objects"].([]any)
		out["current_count"] = len(rows)
		out["current"] = rows[:min(len(rows), previewRows)]
		out["new_count"] = len(newRows)
		out["warning"] = "Replace sends the complete new list: fields you leave out are reset, and write-only values " +
			"(passwords, pre-shared keys) that lists never show are lost unless you include them."
	case t.Kind == toolspec.KindDelete:
		out["would_delete"] = eff.current
	default: // update, settings PATCH
		out["current"] = eff.current
		if body, ok := req.http.Body.(map[string]any); ok {
			diff := changes(eff.current, body, redact.New(t.Secrets), t)
			conditionalChanges(t, eff.current, body, diff)
			out["changes"] = diff
		}
	}
	return out
}

// idsOf lists the ids of every row (every object a bulk delete would remove, beyond the ones
// shown in full).
func idsOf(rows []any) []any {
	ids := make([]any, 0, len(rows))
	for _, r := range rows {
		if m, ok := r.(map[string]any); ok {
			if id, ok := m["id"]; ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// changes lists the fields the update would change, from the current value to the new one. A
// secret field is listed whenever it is sent, changed or not (its values redacted later):
// leaving out an unchanged one would tell a caller guessing a key that the guess is right.
// Control parameters are not fields: append and remove turn a list field's "to" into the list
// the update leaves (Core/Model.inc update with append/remove merges or removes the given
// entries), and placement shows the move from the object's current id.
func changes(cur any, body map[string]any, red *redact.Redactor, t *toolspec.Tool) map[string]any {
	obj, _ := cur.(map[string]any)
	isControl := func(k string) bool {
		p, ok := t.Param(k)
		return ok && p.Control
	}
	appendMode, removeMode := body["append"] == true && isControl("append"), body["remove"] == true && isControl("remove")
	diff := map[string]any{}
	for _, k := range sortedKeys(body) {
		if k == "id" || k == "parent_id" {
			continue
		}
		if isControl(k) {
			if k == "placement" {
				diff[k] = map[string]any{"from": obj["id"], "to": body[k], "note": "the object moves to this position"}
			}
			continue
		}
		old, had := obj[k]
		to := body[k]
		if list, ok := to.([]any); ok && (appendMode || removeMode) {
			to = mergedList(old, list, appendMode)
		}
		if had && sameJSON(old, to) && !red.IsSecret(nil, k) {
			continue
		}
		diff[k] = map[string]any{"from": old, "to": to}
	}
	return diff
}

// conditionalChanges adds to an update's changes what pfSense does on its own: it loads the
// stored object, applies the arguments, and nulls every field whose conditions then fail
// (Core/Model.inc validate, Core/Field.inc validate), so a stored value the update makes
// inapplicable is cleared and a given value whose conditions fail is dropped.
func conditionalChanges(t *toolspec.Tool, cur any, body map[string]any, diff map[string]any) {
	obj, _ := cur.(map[string]any)
	if obj == nil || len(t.FieldConditions) == 0 {
		return
	}
	value := func(k string) any {
		if v, ok := body[k]; ok {
			return v
		}
		return obj[k]
	}
	for _, field := range sortedKeys(t.FieldConditions) {
		var conds map[string]any
		if json.Unmarshal([]byte(t.FieldConditions[field]), &conds) != nil {
			continue
		}
		failed := failedCondition(conds, value)
		if failed == "" {
			continue
		}
		old, had := obj[field]
		given, sent := body[field]
		switch {
		case sent && given != nil:
			diff[field] = map[string]any{"from": old, "to": nil, "note": "pfSense drops the value given: the field only applies when " + failed + "."}
		case !sent && had && old != nil:
			diff[field] = map[string]any{"from": old, "to": nil, "note": "pfSense clears it: the field only applies when " + failed + "."}
		}
	}
}

// failedCondition returns the first condition the values fail, in words, or "" when all hold:
// Core/Field.inc are_conditions_met (=== against one value, in_array's loose == for a list;
// a key `!f` negates).
func failedCondition(conds map[string]any, value func(string) any) string {
	for _, key := range sortedKeys(conds) {
		field, negate := strings.CutPrefix(key, "!")
		want := conds[key]
		list, isList := want.([]any)
		if !isList {
			list = []any{want}
		}
		met := false
		v := value(field)
		for _, w := range list {
			met = met || sameJSON(v, w) || (isList && toolspec.PHPLooseNull(v, w))
		}
		if met == negate {
			words := make([]string, len(list))
			for i, w := range list {
				words[i] = string(mustJSON(w))
			}
			switch {
			case negate && len(list) == 1:
				return field + " is not " + words[0]
			case negate:
				return field + " is none of " + strings.Join(words, ", ")
			case len(list) == 1:
				return field + " is " + words[0]
			}
			return field + " is one of " + strings.Join(words, ", ")
		}
	}
	return ""
}

// mergedList is the list an update with append (the entries added at the end) or remove (every
// entry equal to one given taken out) leaves.
func mergedList(old any, given []any, appendMode bool) []any {
	cur, _ := old.([]any)
	if appendMode {
		return append(append([]any{}, cur...), given...)
	}
	out := []any{}
	for _, o := range cur {
		drop := false
		for _, g := range given {
			drop = drop || sameJSON(o, g)
		}
		if !drop {
			out = append(out, o)
		}
	}
	return out
}

// window applies a plural delete's offset and limit (0 = no limit) to the matching rows.
func window(rows []any, args map[string]any) []any {
	if off, ok := args["offset"].(float64); ok && off > 0 {
		rows = rows[min(int(off), len(rows)):]
	}
	if lim, ok := args["limit"].(float64); ok && lim > 0 {
		rows = rows[:min(int(lim), len(rows))]
	}
	if rows == nil {
		rows = []any{}
	}
	return rows
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

// maxApprovalText bounds what the user is shown when asked to approve a change.
const maxApprovalText = 6000

// approvalMessage is what the user is asked through elicitation: the preview, read again now,
// redacted.
func (d *Dispatcher) approvalMessage(ctx context.Context, t *toolspec.Tool, req *request, args map[string]any, red *redact.Redactor, eff *effect, risks []toolspec.Risk) string {
	p := d.previewOf(t, req, eff, risks, args)
	delete(p, "preview")
	v := any(p)
	if !d.expose {
		v, _ = red.Value(p)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	detail := buf.String()
	if len(detail) > maxApprovalText {
		detail = detail[:maxApprovalText] + "\n... (shortened)"
	}
	who := "The assistant"
	if c := CallerFrom(ctx).Client; c != "" {
		who = "The assistant (" + c + ")"
	}
	title := t.Title
	if title == "" {
		title = t.Name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s asks to change the firewall: %s (%s %s).\n", who, title, t.Method, t.Path)
	if len(risks) > 0 {
		b.WriteString("DANGER: " + strings.Join(riskNames(risks), "; ") + "\n")
	}
	b.WriteString("\n" + detail + "\nApprove this change?")
	return b.String()
}
