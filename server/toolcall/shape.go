package toolcall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
)

// decodeData decodes the envelope's data keeping numbers exact (counters exceed 2^53).
func decodeData(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("the firewall's data is not JSON: %w", err)
	}
	return v, nil
}

// shape turns a successful answer into what the model sees: a bounded page for lists, the
// requested fields only, and the next step after a mutation.
func (d *Dispatcher) shape(ctx context.Context, t *toolspec.Tool, req *request, args map[string]any, resp *pfclient.Response) (map[string]any, error) {
	data, err := decodeData(resp.Data)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	now := resp.Date
	if now.IsZero() {
		now = time.Now()
	}
	var certs []any // read from the whole objects, whichever fields the caller asked for
	if req.page != nil {
		rows, ok := data.([]any)
		if !ok {
			rows = []any{}
			if data != nil {
				rows = []any{data}
			}
		}
		pageRows(out, rows, req.page)
		rows = out["data"].([]any)
		certs = certValidity(t, rows, now)
		for i, r := range rows {
			rows[i] = project(r, req.fields)
		}
	} else {
		if obj, ok := data.(map[string]any); ok {
			certs = certValidity(t, []any{obj}, now)
		}
		out["data"] = project(data, req.fields)
	}
	if t.Mutation {
		certs = d.renewed(ctx, t, args, now)
		if _, renewal := renewals[t.Model]; renewal && !applyRequested(t, args) {
			out["next_step"] = "What uses this certificate (the web GUI, OpenVPN, IPsec, ...) still serves the old one until restarted: renew with apply: true to have pfSense restart it."
		}
	}
	if certs != nil {
		out[CertificatesKey] = certs
		out["certificates_note"] = "parsed by this server from each crt; days_left counts from the firewall's clock"
	}
	if len(req.notes) > 0 {
		out["filter_note"] = strings.Join(req.notes, " ")
	}
	if t.Model == "Service" {
		// pfSense's get_services() (service-utils.inc) lists add-on packages' services as their
		// XML declares them, without enabled or status; the REST API reads both as false.
		out["services_note"] = ServicesNote
	}
	if len(req.sent) > 0 {
		out["sent_note"] = strings.Join(req.sent, " ")
	}
	d.noteUnapplied(t, out)
	if t.Mutation {
		d.reportApply(ctx, t, args, out)
		d.lint(ctx, t, args, out["data"], out)
		if t.Kind == toolspec.KindDelete && !t.Plural && hasField(t, "id") {
			out["note"] = "Ids are list positions: objects after the deleted one moved down by one."
		}
	}
	return out, nil
}

// pageRows fills out with one page of rows and how to get the next.
func pageRows(out map[string]any, rows []any, p *page) {
	var pageRows []any
	more := false
	if p.remote {
		// The firewall already skipped `offset` rows and returned up to limit+1.
		more = len(rows) > p.limit
		pageRows = rows[:min(len(rows), p.limit)]
	} else {
		total := len(rows)
		out["total"] = total
		start := min(p.offset, total)
		end := min(start+p.limit, total)
		pageRows = rows[start:end]
		more = end < total
	}
	out["data"] = pageRows
	out["count"] = len(pageRows)
	out["offset"] = p.offset
	out["more"] = more
	if more {
		out["next_offset"] = p.offset + len(pageRows)
	}
}

// project keeps the requested fields of an object (always its id and parent_id).
func project(v any, fields []string) any {
	obj, ok := v.(map[string]any)
	if !ok || len(fields) == 0 {
		return v
	}
	out := make(map[string]any, len(fields)+2)
	for _, k := range append([]string{"id", "parent_id"}, fields...) {
		if val, ok := obj[k]; ok {
			out[k] = val
		}
	}
	return out
}

// ServicesNote explains the service list's package entries (the overview says it too).
const ServicesNote = "the services of add-on packages (HAProxy, WireGuard, BIND, FreeRADIUS, ...) come first and the REST API reports no state for them: their false says nothing about whether they run (their apply status and status tools do). Base services appear only while configured."
