package toolcall

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Answers about applying must match the call. A mutation of a subsystem with an apply endpoint
// is live only once the subsystem is applied:
//   - called without apply: true, the change is pending (the spec says "Applies immediately: No")
//     and the answer names the apply tool;
//   - called with apply: true, pfSense applied it within the request (Core/Model.inc create(),
//     update() and delete() call apply_*() and clear the subsystem's dirty mark), so the answer
//     names no apply tool; it reads the subsystem's apply status and says whether anything is
//     still pending, because some applies run in the background or leave other changes waiting;
//   - an apply tool's answer says whether the subsystem is now applied (by default pfSense
//     applies in the background: Core/Dispatcher.inc spawn_process() with async).

// applyRequested reports whether the call asked pfSense to apply the change at once.
func applyRequested(t *toolspec.Tool, args map[string]any) bool {
	_, ok := t.Param("apply")
	return ok && args["apply"] == true
}

// applyStatusPath returns the path of the apply status of the subsystem an apply tool applies.
func (d *Dispatcher) applyStatusPath(applyTool string) string {
	a, ok := d.inv.ByName(applyTool)
	if !ok {
		return ""
	}
	if s, ok := d.inv.ByRoute(http.MethodGet, a.Path); ok && s.Kind == toolspec.KindApplyStatus {
		return s.Path
	}
	return ""
}

// pendingAfter reads whether a subsystem still has changes waiting; ok is false when that
// cannot be read.
func (d *Dispatcher) pendingAfter(ctx context.Context, statusPath string) (pending, ok bool) {
	pending, _, ok = d.pendingWhat(ctx, statusPath)
	return pending, ok
}

// pendingWhat is pendingAfter with the subsystems still flagged, where the status names them
// (FirewallApply's pending_subsystems: aliases, natconf, filter, shaper).
func (d *Dispatcher) pendingWhat(ctx context.Context, statusPath string) (pending bool, subsystems []string, ok bool) {
	if statusPath == "" {
		return false, nil, false
	}
	v, err := d.readPath(ctx, http.MethodGet, statusPath, nil)
	if err != nil {
		return false, nil, false
	}
	m, _ := v.(map[string]any)
	applied, isBool := m["applied"].(bool)
	if !isBool {
		return false, nil, false
	}
	if l, isList := m["pending_subsystems"].([]any); isList {
		for _, s := range l {
			if str, isStr := s.(string); isStr {
				subsystems = append(subsystems, str)
			}
		}
	}
	return !applied, subsystems, true
}

// reloadsEverything are the apply endpoints whose dispatcher a model's own apply() runs too
// and which reload everything their pending flags cover, by apply status path: after a call
// with apply: true the flags left set are stale. The firewall's dispatcher is pfSense's filter
// reload (Dispatchers/FirewallApplyDispatcher.inc), and filter_configure_sync (pfSense
// src/etc/inc/filter.inc) regenerates the aliases, limiters, NAT and shaper queues with the
// rules; the GUI's alias and shaper pages apply by filter_configure() and then clear their flag
// (firewall_aliases.php, firewall_shaper_vinterface.php).
var reloadsEverything = map[string]string{
	"/api/v2/firewall/apply": "a reload loads every alias, NAT rule, limiter and shaper queue along with the rules",
}

// reportApply adds to a mutation's answer whether its change is live, and what to do if not.
func (d *Dispatcher) reportApply(ctx context.Context, t *toolspec.Tool, args map[string]any, out map[string]any) {
	switch {
	case t.Kind == toolspec.KindApply:
		d.unapplied.clear(t.Name)
		pending, ok := d.pendingAfter(ctx, d.applyStatusPath(t.Name))
		if !ok {
			return
		}
		out["applied"] = !pending
		if pending {
			out["next_step"] = fmt.Sprintf("pfSense applies in the background and still reports pending changes: check again with %s shortly, or call %s with async: false to wait for it.",
				d.statusToolName(t.Name), t.Name)
		}
	case t.ApplyTool == "" && (t.AppliesAtOnce || applyRequested(t, args)):
		out["applied"] = true // the model's own apply ran as part of the call
	case t.ApplyTool == "":
	case applyRequested(t, args):
		d.unapplied.clear(t.ApplyTool)
		pending, subsystems, ok := d.pendingWhat(ctx, d.applyStatusPath(t.ApplyTool))
		switch {
		case !ok:
			out["applied"] = "requested with apply: true; whether anything is still pending could not be read"
		case pending:
			// A model's apply() runs the subsystem's dispatcher (filter_configure, ...), but only
			// the apply endpoint clears the pending flags of other changes (Models/FirewallApply.inc;
			// Dispatchers/FirewallApplyDispatcher.inc clears nothing).
			what := "this subsystem"
			if len(subsystems) > 0 {
				what = strings.Join(subsystems, ", ")
				out["pending_subsystems"] = subsystems
			}
			if reload, whole := reloadsEverything[d.applyStatusPath(t.ApplyTool)]; whole {
				out["applied"] = true
				out["next_step"] = fmt.Sprintf("apply: true reloaded the firewall, and %s, so this change is live once the reload ends (pfSense reloads in the background: a second or two). pfSense still flags %s as pending because only %s clears those flags: call it if you want them cleared (it reloads once more).", reload, what, t.ApplyTool)
				break
			}
			out["applied"] = false
			out["next_step"] = fmt.Sprintf("apply: true was sent and pfSense reloaded, but it still flags pending changes for %s (earlier changes, or this one if the reload has not finished): call %s to apply them and clear the flag.", what, t.ApplyTool)
		default:
			out["applied"] = true
		}
	default:
		d.unapplied.add(t.ApplyTool, t.Name)
		out["applied"] = false
		next := fmt.Sprintf("The change is pending: call %s to apply it (it previews first, like any change)", t.ApplyTool)
		if _, takesApply := t.Param("apply"); takesApply {
			next += ", or pass apply: true next time"
		}
		out["next_step"] = next + "."
	}
}

// unappliedChanges remembers, per apply tool, the tools whose changes this server made and
// nothing has applied since. pfSense's apply status does not see all of them: the REST API
// marks a subsystem dirty only for models that name one, and FirewallRule names none
// (Models/FirewallRule.inc; the native schema's subsystem is empty in v2.7.1 and v2.10.0), so
// after a new rule /firewall/apply still answers applied: true although the rule is not loaded
// until the firewall is applied.
type unappliedChanges struct {
	mu    sync.Mutex
	tools map[string]map[string]bool // apply tool -> tools that changed something
}

func (u *unappliedChanges) add(applyTool, tool string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.tools == nil {
		u.tools = map[string]map[string]bool{}
	}
	if u.tools[applyTool] == nil {
		u.tools[applyTool] = map[string]bool{}
	}
	u.tools[applyTool][tool] = true
}

func (u *unappliedChanges) clear(applyTool string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	delete(u.tools, applyTool)
}

// Unapplied returns the tools whose changes, made through this server, the apply tool has not
// applied since, sorted; nil when there are none.
func (d *Dispatcher) Unapplied(applyTool string) []string {
	d.unapplied.mu.Lock()
	defer d.unapplied.mu.Unlock()
	var out []string
	for name := range d.unapplied.tools[applyTool] {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// noteUnapplied corrects an apply status answer that says applied while changes this server
// made have not been applied since (see unappliedChanges).
func (d *Dispatcher) noteUnapplied(t *toolspec.Tool, out map[string]any) {
	if t.Kind != toolspec.KindApplyStatus {
		return
	}
	apply, ok := d.inv.ByRoute(http.MethodPost, t.Path)
	if !ok {
		return
	}
	data, _ := out["data"].(map[string]any)
	if data == nil || data["applied"] != true {
		return
	}
	if tools := d.Unapplied(apply.Name); len(tools) > 0 {
		data["applied"] = false
		data["changed_since_last_apply"] = tools
		out["note"] = fmt.Sprintf("pfSense reports nothing pending, but changes made through this server with %v have not been applied since: "+
			"the REST API does not mark every change as pending (firewall rules mark none). Call %s to load them.", tools, apply.Name)
	}
}

// statusToolName names the apply status tool of an apply tool ("" when there is none).
func (d *Dispatcher) statusToolName(applyTool string) string {
	a, ok := d.inv.ByName(applyTool)
	if !ok {
		return ""
	}
	if s, ok := d.inv.ByRoute(http.MethodGet, a.Path); ok {
		return s.Name
	}
	return ""
}

// previewApply says in a preview what happens about applying once the call is confirmed.
func previewApply(t *toolspec.Tool, args map[string]any, out map[string]any) {
	switch {
	case t.ApplyTool == "":
	case applyRequested(t, args):
		out["then"] = "With apply: true pfSense applies the change at once; the answer will say whether anything is still pending."
	default:
		out["then"] = fmt.Sprintf("After confirming, call %s to apply the change.", t.ApplyTool)
		if _, ok := t.Param("apply"); ok {
			// A confirm_token confirms exactly the arguments it was issued for: adding apply
			// when confirming is another call, refused.
			out["then"] = fmt.Sprintf("After confirming, call %s to apply the change (to make and apply it in one call, preview again with apply: true: adding apply only when confirming is refused).", t.ApplyTool)
		}
	}
}
