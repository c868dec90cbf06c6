package simulator

// The REST API settings sync (POST /api/v2/system/restapi/settings/sync, Models/
// RESTAPISettingsSync.inc): an HA peer sends its settings in their internal form, and they
// replace this host's. v2.7.1 sends them PHP-serialized and turns this host's ha_sync off;
// v2.10.0 sends JSON, refuses the sync while this host's ha_sync is off (406) and validates the
// data as RESTAPISettings.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

func init() { special["POST RESTAPISettingsSync"] = (*Simulator).settingsSync }

func (sim *Simulator) settingsSync(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	raw, _ := obj["sync_data"].(string)
	jsonSync := versionAtLeast(sim.cat.APIVersion, 2, 10, 0)
	var data map[string]any
	if jsonSync {
		// validate_sync_data: json_decode(..., associative: true).
		if d, e := decodeJSONRequest([]byte(raw)); e == nil && d.isObj && len(d.obj) > 0 {
			data = d.obj
		}
	} else {
		// validate_sync_data: unserialize().
		if v, ok := phpUnserialize(raw); ok {
			data, _ = v.(map[string]any)
		}
	}
	if len(data) == 0 {
		return nil, errf(400, "RESTAPI_SETTINGS_SYNC_SYNC_DATA_COULD_NOT_BE_UNSERIALIZED", "Field `sync_data` value could not be unserialized.")
	}
	if jsonSync && !truthy(sim.st.Singles["RESTAPISettings"]["ha_sync"]) {
		return nil, errf(406, "RESTAPI_SETTINGS_SYNC_NOT_ENABLED", "REST API settings sync is not enabled on this host.")
	}
	// _create: this host is managed by the peer, so it syncs nowhere itself.
	if !jsonSync {
		data["ha_sync"] = "disabled"
	}
	data["ha_sync_hosts"], data["ha_sync_username"], data["ha_sync_password"] = "", "", ""
	if e := sim.replaceSettings(req, data); e != nil {
		return nil, e
	}
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// replaceSettings writes settings given in their internal form (BooleanFields as
// indicates_true/indicates_false, lists joined by the delimiter, numbers as strings) through
// the settings model's own validation.
func (sim *Simulator) replaceSettings(req *request, internal map[string]any) *apiError {
	rt := sim.routes["/api/v2/system/restapi/settings"]
	if rt == nil || rt.ops["PATCH"] == nil {
		return errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "the REST API settings cannot be written")
	}
	op := rt.ops["PATCH"]
	in := &request{r: req.r, op: op, m: op.model, user: req.user, encoder: mimeJSON, params: map[string]any{}}
	in.ctl.async, in.ctl.sortOrder = true, "SORT_ASC"
	for _, p := range op.model.schema.Props {
		v, ok := internal[p.Name]
		if !ok {
			continue
		}
		in.params[p.Name] = fromInternal(p.F, v)
		in.keys = append(in.keys, p.Name)
	}
	_, e := sim.dispatch(in)
	return e
}

// fromInternal is a field's _from_internal for the scalar field classes.
func fromInternal(f *catalog.FieldInfo, v any) any {
	s, isStr := v.(string)
	if f == nil || !isStr {
		return v
	}
	opt := func(name, def string) string {
		if x, ok := f.Options[name].(string); ok {
			return x
		}
		return def
	}
	conv := func(s string) any {
		switch f.Type {
		case "boolean":
			return s == opt("indicates_true", "enabled")
		case "integer":
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		case "double":
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				return x
			}
		}
		return s
	}
	if f.Many {
		out := []any{}
		if s == "" {
			return out
		}
		for _, part := range strings.Split(s, opt("delimiter", ",")) {
			out = append(out, conv(part))
		}
		return out
	}
	return conv(s)
}

// phpUnserialize reads PHP's serialize() format for scalars and arrays (what a settings array
// holds). An array whose keys are 0..n-1 in order is a list.
func phpUnserialize(s string) (any, bool) {
	p := &phpReader{s: s}
	v, err := p.value()
	if err != nil || p.i != len(s) {
		return nil, false
	}
	return v, true
}

type phpReader struct {
	s string
	i int
}

func (p *phpReader) until(c byte) (string, error) {
	j := strings.IndexByte(p.s[p.i:], c)
	if j < 0 {
		return "", fmt.Errorf("unserialize: want %q at %d", c, p.i)
	}
	out := p.s[p.i : p.i+j]
	p.i += j + 1
	return out, nil
}

func (p *phpReader) expect(c byte) error {
	if p.i >= len(p.s) || p.s[p.i] != c {
		return fmt.Errorf("unserialize: want %q at %d", c, p.i)
	}
	p.i++
	return nil
}

func (p *phpReader) value() (any, error) {
	if p.i+1 >= len(p.s) {
		return nil, fmt.Errorf("unserialize: truncated")
	}
	kind := p.s[p.i]
	if kind == 'N' {
		p.i++
		return nil, p.expect(';')
	}
	p.i++
	if err := p.expect(':'); err != nil {
		return nil, err
	}
	switch kind {
	case 'b':
		v, err := p.until(';')
		return v == "1", err
	case 'i':
		v, err := p.until(';')
		if err != nil {
			return nil, err
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err
	case 'd':
		v, err := p.until(';')
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(v, 64)
		return f, err
	case 's':
		ls, err := p.until(':')
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(ls)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("unserialize: bad length")
		}
		if err := p.expect('"'); err != nil {
			return nil, err
		}
		if p.i+n > len(p.s) {
			return nil, fmt.Errorf("unserialize: truncated string")
		}
		v := p.s[p.i : p.i+n]
		p.i += n
		if err := p.expect('"'); err != nil {
			return nil, err
		}
		return v, p.expect(';')
	case 'a':
		ls, err := p.until(':')
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(ls)
		if err != nil || n < 0 || n > len(p.s) {
			return nil, fmt.Errorf("unserialize: bad count")
		}
		if err := p.expect('{'); err != nil {
			return nil, err
		}
		m := make(map[string]any, n)
		list := true
		var items []any
		for k := 0; k < n; k++ {
			key, err := p.value()
			if err != nil {
				return nil, err
			}
			val, err := p.value()
			if err != nil {
				return nil, err
			}
			if i, ok := key.(int64); !ok || i != int64(k) {
				list = false
			}
			m[strval(key)] = val
			items = append(items, val)
		}
		if err := p.expect('}'); err != nil {
			return nil, err
		}
		if list && n > 0 {
			return items, nil
		}
		return m, nil
	}
	return nil, fmt.Errorf("unserialize: unknown type %q", kind)
}
