package toolcall

import (
	"context"
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
)

// FirewallFacts is what the dispatcher needs from the probe of the firewall (probe.Prober): the
// facts live in the inventory; this only says when they are current.
type FirewallFacts interface {
	// Wait returns once the facts are as current as they can be now, or when ctx ends.
	Wait(ctx context.Context)
	// Stale says a call may have changed them (a package was installed or removed).
	Stale()
}

// packagePaths are the operations that install or remove packages (POST /system/package,
// DELETE /system/package and /system/packages): after one, the installed packages are read again.
const packagePaths = "/api/v2/system/package"

// checkFirewallInputs refuses an argument the firewall's own spec does not know, when the firewall
// runs another REST API version than the tools' spec. pfSense drops fields its model does not
// have without a word (Core/Model.inc, Model::from_representation, assigns only the model's own
// fields), so the call would run as if the argument had not been given: `dry_run` on a halt, which
// v2.10.0 no longer has (Models/SystemHalt.inc), would really halt the firewall. Filters on
// fields its objects lack are refused for the same reason: they match every object.
func checkFirewallInputs(t *toolspec.Tool, args map[string]any, op inventory.Operation, fw inventory.Firewall) error {
	unknown := func(what string) error {
		return fmt.Errorf("%s: the firewall runs REST API %s, and its %s %s does not know it (these tools come from the %s spec). "+
			"pfSense ignores what it does not know, so the call would run as if it were not given. Leave it out if that is what you want; "+
			"to match the firewall, regenerate the tools from its own spec (tools/fetch-spec, then rebuild)", what, fw.Version, t.Method, t.Path, fw.ToolsVersion)
	}
	for _, k := range sortedKeys(args) {
		p, ok := t.Param(k)
		if !ok {
			continue // a control of the server's own (confirm, fields).
		}
		switch p.In {
		case toolspec.InQuery, toolspec.InBody:
			if !op.Inputs[k] {
				return unknown(fmt.Sprintf("argument `%s` is refused", k))
			}
		case toolspec.InBodyList:
			objs, _ := args[k].([]any)
			for i, o := range objs {
				obj, _ := o.(map[string]any)
				for _, f := range sortedKeys(obj) {
					if !op.Inputs[f] {
						return unknown(fmt.Sprintf("argument `%s[%d].%s` is refused", k, i, f))
					}
				}
			}
		case toolspec.InQueryMap:
			if len(op.Fields) == 0 {
				continue
			}
			q, _ := args[k].(map[string]any)
			for _, key := range sortedKeys(q) {
				field := key
				if i := strings.LastIndex(key, "__"); i > 0 {
					field = key[:i]
				}
				if !op.Fields[field] {
					return unknown(fmt.Sprintf("filter `%s.%s` is refused: its objects have no field %q", k, key, field))
				}
			}
		}
	}
	return nil
}

// waitFacts lets a probe that is running (or due) finish before the call is decided.
func (d *Dispatcher) waitFacts(ctx context.Context) {
	if d.facts != nil {
		d.facts.Wait(ctx)
	}
}

// executed is told of every mutation the firewall carried out.
func (d *Dispatcher) executed(t *toolspec.Tool) {
	if d.facts != nil && strings.HasPrefix(t.Path, packagePaths) {
		d.facts.Stale()
	}
}
