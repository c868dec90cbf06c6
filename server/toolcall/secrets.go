package toolcall

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/redact"
)

// checkSecretControls refuses filters and sorting on secret fields. The answer hides a secret's
// value, but a filter would not: which objects match `pre_shared_key__startswith` (and so the
// total, or what a bulk delete would remove) reveals the key a character at a time, and the
// order of a sort on it leaks it too. A projection is local and redacted like every answer, so
// it is allowed (the answer's secrets note says what is withheld). With PFSENSE_EXPOSE_SECRETS
// the user has chosen to see secrets, and all are allowed.
func (d *Dispatcher) checkSecretControls(t *toolspec.Tool, args map[string]any, red *redact.Redactor) error {
	if d.expose {
		return nil
	}
	secret := func(field string) bool { return red.IsSecret(nil, field) }
	for _, p := range t.Params {
		switch {
		case p.In == toolspec.InQueryMap:
			q, _ := args[p.Name].(map[string]any)
			for _, key := range sortedKeys(q) {
				field := key
				if i := strings.LastIndex(key, "__"); i > 0 {
					field = key[:i]
				}
				if secret(field) {
					return fmt.Errorf("argument `%s.%s`: %s holds a secret, and filters on secrets are refused: which objects match would reveal it a character at a time. Filter on another field", p.Name, key, field)
				}
			}
		case p.Name == "sort_by":
			for _, f := range stringList(args[p.Name]) {
				if secret(f) {
					return fmt.Errorf("argument `sort_by`: %s holds a secret, and sorting on secrets is refused: the order would reveal it. Sort on another field", f)
				}
			}
		}
	}
	return nil
}

func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// secretsNote says which secret fields an answer withholds: those whose values were replaced by
// the marker, and those of the tool's model that pfSense did not return at all (write-only
// fields; sensitive ones while its expose_sensitive_fields setting is off), which would
// otherwise just silently be missing. data is the answer's objects.
func secretsNote(t *toolspec.Tool, data any, rep *redact.Report, projected bool) map[string]any {
	note := map[string]any{}
	if rep.Any() {
		note["redacted"] = rep.Fields()
	}
	if t != nil && !projected {
		if missing := notReturned(t, data); len(missing) > 0 {
			note["not_returned_by_pfsense"] = missing
		}
	}
	if len(note) == 0 {
		return nil
	}
	var parts []string
	if note["redacted"] != nil {
		parts = append(parts, "the values under redacted show "+redact.Marker+" (the operator can set PFSENSE_EXPOSE_SECRETS=true to see them)")
	}
	if note["not_returned_by_pfsense"] != nil {
		parts = append(parts, "the fields under not_returned_by_pfsense never reached this server: pfSense never returns write-only fields, "+
			"and sensitive ones only while its REST API setting expose_sensitive_fields is on (System > REST API > Settings, the operator's choice; PFSENSE_EXPOSE_SECRETS cannot show them)")
	}
	note["note"] = "Secret values are withheld: " + strings.Join(parts, "; ") + "."
	return note
}

// notReturned lists the tool's top-level secret fields that none of the objects carries.
func notReturned(t *toolspec.Tool, data any) []string {
	var objs []map[string]any
	switch x := data.(type) {
	case map[string]any:
		objs = append(objs, x)
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				objs = append(objs, m)
			}
		}
	}
	if len(objs) == 0 {
		return nil
	}
	var out []string
	for _, s := range t.Secrets {
		if strings.Contains(s, ".") {
			continue
		}
		found := false
		for _, o := range objs {
			if _, ok := o[s]; ok {
				found = true
				break
			}
		}
		if !found {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
