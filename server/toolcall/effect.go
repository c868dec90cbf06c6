package toolcall

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
)

// effect is what a mutation would change, read from the firewall before anything is sent:
// previews show it, a confirmation must find it unchanged, and the risk and lockout checks read
// it (the object an update would produce, the objects a delete would remove).
type effect struct {
	current any   // update, settings, single delete: the object; replace: every object; apply: the status.
	rows    []any // plural delete: every object that would go, however many pages, after offset/limit.
	err     string
	// truncated: more rows match than a preview reads (maxEffectRows); such a delete cannot be
	// confirmed with a token, since its preview cannot show everything.
	truncated bool
}

// digest identifies the state a preview showed, to bind its confirmation token.
func (e *effect) digest() string {
	if e == nil {
		return digest(nil)
	}
	return digest([]any{e.current, e.rows, e.err})
}

// Reading every page of a bulk delete: pages of the largest size the API is asked for, up to a
// bound that no real table reaches (state tables hold at most their configured maximum, 10^5
// to 10^6 on large boxes).
const (
	effectPage    = toolspec.MaxListLimit
	maxEffectRows = 200_000
)

// readEffect reads what the mutation t with args would change.
func (d *Dispatcher) readEffect(ctx context.Context, t *toolspec.Tool, args map[string]any) *effect {
	e := &effect{}
	switch {
	case t.Kind == toolspec.KindApply:
		cur, err := d.readPath(ctx, http.MethodGet, t.Path, nil)
		if err != nil {
			e.err = firewallError(t, err)
		}
		e.current = cur
		return e
	case t.ReadTool == "":
		return e
	}
	rt, ok := d.inv.ByName(t.ReadTool)
	if !ok {
		return e
	}
	readArgs := map[string]any{}
	for _, p := range rt.Params {
		if v, ok := args[p.Name]; ok && (p.Name == "id" || p.Name == "parent_id" || p.In == toolspec.InQueryMap) {
			readArgs[p.Name] = v
		}
	}
	rreq, err := buildRequest(rt, readArgs)
	if err != nil {
		e.err = err.Error()
		return e
	}
	if rt.Kind == toolspec.KindList {
		rows, truncated, err := d.readAll(ctx, rt, rreq.http)
		if err != nil {
			e.err = "reading the current state failed, so the call would likely fail too: " + firewallError(rt, err)
			return e
		}
		e.truncated = truncated
		if t.Kind == toolspec.KindAction {
			// An action on one object of the list (a service's restart): that object.
			e.current = rowWithID(rows, args["id"])
			if e.current == nil {
				e.err = fmt.Sprintf("no object has id %v; %s lists them with their ids", args["id"], rt.Name)
			}
			return e
		}
		if t.Kind == toolspec.KindDelete && t.Plural {
			e.rows = window(rows, args)
			return e
		}
		e.current = rows
		return e
	}
	resp, err := d.fw.Do(ctx, rreq.http)
	if err != nil {
		e.err = "reading the current state failed, so the call would likely fail too: " + firewallError(rt, err)
		return e
	}
	if e.current, err = decodeData(resp.Data); err != nil {
		e.err = err.Error()
	}
	return e
}

// rowWithID returns the row whose id is id (a number argument or a string), or nil.
func rowWithID(rows []any, id any) any {
	want := fmt.Sprint(id)
	for _, r := range rows {
		if m, ok := r.(map[string]any); ok && m["id"] != nil && fmt.Sprint(m["id"]) == want {
			return m
		}
	}
	return nil
}

// readAll reads every row of a list: in one request where the firewall returns the whole list
// by default, page by page where the list is paged by the firewall (logs, states, tables).
func (d *Dispatcher) readAll(ctx context.Context, rt *toolspec.Tool, req pfclient.Request) ([]any, bool, error) {
	q := cloneQuery(req.Query)
	q.Del("limit")
	q.Del("offset")
	if !remotePaging(rt) {
		req.Query = q
		resp, err := d.fw.Do(ctx, req)
		if err != nil {
			return nil, false, err
		}
		v, err := decodeData(resp.Data)
		if err != nil {
			return nil, false, err
		}
		return asRows(v), false, nil
	}
	var all []any
	for offset := 0; ; offset += effectPage {
		pq := cloneQuery(q)
		pq.Set("limit", strconv.Itoa(effectPage))
		pq.Set("offset", strconv.Itoa(offset))
		req.Query = pq
		resp, err := d.fw.Do(ctx, req)
		if err != nil {
			return nil, false, fmt.Errorf("page at offset %d: %w", offset, err)
		}
		v, err := decodeData(resp.Data)
		if err != nil {
			return nil, false, err
		}
		page := asRows(v)
		all = append(all, page...)
		if len(page) < effectPage {
			return all, false, nil
		}
		if len(all) >= maxEffectRows {
			return all, true, nil
		}
	}
}

func asRows(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case nil:
		return nil
	}
	return []any{v}
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
