package toolcall

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
)

// risksOf returns the risks of the table (toolspec.Tool.Risks) that a call has: every
// unconditional one, and the conditional ones its effect meets. The effect is what the call
// would produce or remove: the arguments of a create, an action or a replace; for an update the
// object as it would be (the current one with the arguments over it), when the arguments touch
// a field of the condition; for a delete, each object that would go.
func risksOf(t *toolspec.Tool, args map[string]any, eff *effect) []toolspec.Risk {
	var out []toolspec.Risk
	for _, r := range t.Risks {
		if len(r.When) == 0 {
			out = append(out, r)
			continue
		}
		if hasRisk(t, r, args, eff) {
			out = append(out, r)
		}
	}
	return out
}

func hasRisk(t *toolspec.Tool, r toolspec.Risk, args map[string]any, eff *effect) bool {
	switch {
	case t.Method == "DELETE":
		for _, obj := range deleted(eff) {
			if risk.Matches(r, obj) {
				return true
			}
		}
		return false
	case t.Method == "PATCH" && r.Prefix == "":
		if !risk.Touches(r, args) {
			return false
		}
		if cur, ok := eff.current.(map[string]any); ok && !changesCondition(r, args, cur) {
			return false // the fields of the condition keep their stored values: nothing new happens
		}
		merged := map[string]any{}
		if cur, ok := eff.current.(map[string]any); ok {
			for k, v := range cur {
				merged[k] = v
			}
		}
		for k, v := range args {
			if _, ok := t.Param(k); ok {
				merged[k] = v
			}
		}
		return risk.Matches(r, merged)
	}
	return risk.Matches(r, args)
}

// changesCondition reports whether an update gives a field of the risk's condition a value
// other than the stored one (sending back the interface's port, or an auth server's host, as
// they are changes nothing).
func changesCondition(r toolspec.Risk, args, cur map[string]any) bool {
	for _, c := range r.When {
		v, given := args[c.Field]
		if !given || c.Op == toolspec.CondStored {
			continue
		}
		a, errA := json.Marshal(v)
		b, errB := json.Marshal(cur[c.Field])
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			return true
		}
	}
	return false
}

// deleted returns the objects a delete would remove.
func deleted(eff *effect) []any {
	if eff == nil {
		return nil
	}
	if eff.rows != nil {
		return eff.rows
	}
	if eff.current != nil {
		return []any{eff.current}
	}
	return nil
}

// dangerRefusal explains why calls with these risks are refused.
func dangerRefusal(t *toolspec.Tool, risks []toolspec.Risk) string {
	var lines []string
	for _, r := range risks {
		lines = append(lines, risk.Describe(r))
	}
	what := "This call has a dangerous effect"
	if len(risks) > 1 {
		what = "This call has dangerous effects"
	}
	return fmt.Sprintf("%s, which the operator has not allowed (PFSENSE_ALLOW_DANGEROUS is off), so it was refused and nothing was sent: %s. "+
		"Tell the user what you wanted to do and why; only they can enable dangerous effects.", what, strings.TrimRight(strings.Join(lines, "; "), "."))
}

// riskNames lists risks for the audit log.
func riskNames(risks []toolspec.Risk) []string {
	var out []string
	for _, r := range risks {
		out = append(out, risk.Describe(r))
	}
	return out
}
