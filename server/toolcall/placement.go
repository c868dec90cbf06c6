package toolcall

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/risk"
)

// rulesListPath lists the firewall rules (Endpoints/FirewallRulesEndpoint.inc).
const rulesListPath = "/api/v2/firewall/rules"

// placementNote says, in a firewall rule's preview, where `placement` puts the rule: the id it
// gets and, on each of its interfaces, the rules it will then come between, which decide what it
// shadows and what shadows it (pfSense evaluates an interface's rules in list order, first match
// wins). The list is one for all interfaces: Core/Model.inc create()/update() move the object to
// the placement index, and the rules from there on shift down by one.
func (d *Dispatcher) placementNote(ctx context.Context, t *toolspec.Tool, args map[string]any) string {
	p, ok := args["placement"].(float64)
	if !ok || t.Model != "FirewallRule" || (t.Kind != toolspec.KindCreate && t.Kind != toolspec.KindUpdate) || p < 0 {
		return ""
	}
	lt, found := d.inv.ByRoute(http.MethodGet, rulesListPath)
	if !found {
		return ""
	}
	v, err := d.Read(ctx, lt.Name, map[string]any{"limit": float64(toolspec.MaxListLimit)})
	list, _ := v.([]any)
	if err != nil {
		return ""
	}
	var rules []map[string]any
	for _, r := range list {
		if m, ok := r.(map[string]any); ok {
			rules = append(rules, m)
		}
	}
	subject := map[string]any{}
	for k, v := range args {
		subject[k] = v
	}
	if t.Kind == toolspec.KindUpdate {
		i := slices.IndexFunc(rules, func(r map[string]any) bool { return risk.Text(r["id"]) == risk.Text(args["id"]) })
		if i < 0 {
			return ""
		}
		for k, v := range rules[i] {
			if _, given := args[k]; !given {
				subject[k] = v
			}
		}
		rules = slices.Delete(rules, i, i+1)
	}
	pos := int(p)
	if pos > len(rules) {
		others := "now"
		if t.Kind == toolspec.KindUpdate {
			others = "besides this one"
		}
		return fmt.Sprintf("placement %d is past the end: there are %d rules %s, so pfSense refuses it; %d puts the rule last.", pos, len(rules), others, len(rules))
	}
	after := slices.Insert(slices.Clone(rules), pos, subject)
	note := fmt.Sprintf("With placement %d the rule becomes id %d", pos, pos)
	if pos < len(rules) {
		note += fmt.Sprintf(", and the rule now at id %s%s moves down to id %d with those after it", risk.Text(rules[pos]["id"]), ruleLabel(rules[pos]), pos+1)
		if t.Kind == toolspec.KindUpdate {
			note = fmt.Sprintf("With placement %d the rule moves to id %d; the rules between its old and new place shift by one", pos, pos)
		}
	} else {
		note += ", the last of all"
	}
	var order []string
	for _, iface := range stringList(subject["interface"]) {
		var before, next string
		for i, r := range after {
			if i == pos || r["floating"] == true != (subject["floating"] == true) || !slices.Contains(stringList(r["interface"]), iface) {
				continue
			}
			if i < pos {
				before = risk.Text(r["id"]) + ruleLabel(r)
			} else if next == "" {
				next = risk.Text(r["id"]) + ruleLabel(r)
			}
		}
		switch {
		case before == "" && next == "":
			order = append(order, fmt.Sprintf("on %s it is the only rule", iface))
		case before == "":
			order = append(order, fmt.Sprintf("on %s it comes first, above id %s", iface, next))
		case next == "":
			order = append(order, fmt.Sprintf("on %s it comes last, below id %s", iface, before))
		default:
			order = append(order, fmt.Sprintf("on %s it comes below id %s and above id %s", iface, before, next))
		}
	}
	if len(order) > 0 {
		note += ". Evaluated in that order, first match wins: " + strings.Join(order, "; ") + " (ids as they are now)"
	}
	return note + "."
}

func ruleLabel(r map[string]any) string {
	if d := risk.Text(r["descr"]); d != "" && d != "null" {
		return fmt.Sprintf(" %q", d)
	}
	return fmt.Sprintf(" (%s)", risk.Text(r["type"]))
}
