package inventory

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Firewall is what the firewall itself says it has (learned by package probe at start-up). It
// hides the tools the firewall cannot answer, each with the reason. The zero value hides nothing:
// every field is "unknown" until it is learned.
type Firewall struct {
	Version      string // the firewall's REST API version, e.g. v2.10.0; "" when unknown.
	ToolsVersion string // the REST API version of the spec the tools were generated from.
	// Operations are the operations of the firewall's own spec, keyed "METHOD /api/v2/path"; nil
	// when it runs the tools' version (nothing to compare) or its spec could not be read.
	Operations map[string]Operation
	// Packages are the packages installed on the firewall; nil when unknown.
	Packages map[string]bool
}

// Operation is what one operation of the firewall's own spec accepts and returns.
type Operation struct {
	// Inputs are its query parameters and writable body fields (for a PUT of a list, those of
	// one object). pfSense ignores any other field it is sent.
	Inputs map[string]bool
	// Fields are the fields of the objects it returns, read-only ones included: what filters
	// can name. Empty when the spec does not say.
	Fields map[string]bool
}

// Key names an operation as Firewall.Operations does.
func Key(t *toolspec.Tool) string { return t.Method + " " + t.Path }

// hides says why the firewall cannot answer t, or "".
func (fw *Firewall) hides(t *toolspec.Tool) string {
	if fw.Operations != nil {
		if _, ok := fw.Operations[Key(t)]; !ok {
			return fmt.Sprintf("the firewall runs REST API %s, whose own spec has no %s %s; this tool comes from the %s spec "+
				"(to match the firewall, regenerate the tools from its spec: tools/fetch-spec, then rebuild)", fw.Version, t.Method, t.Path, fw.ToolsVersion)
		}
	}
	if fw.Packages != nil {
		if missing := fw.missingPackages(t); len(missing) > 0 {
			return fmt.Sprintf("it needs the package %s, which is not installed on the firewall (install it in System > Package Manager, then restart the server)",
				strings.Join(missing, " and "))
		}
	}
	return ""
}

func (fw *Firewall) missingPackages(t *toolspec.Tool) []string {
	var out []string
	for _, p := range t.RequiredPackages {
		if !fw.Packages[p] {
			out = append(out, p)
		}
	}
	return out
}

// SetFirewall applies what the firewall says it has, replacing what was known before, and
// reports whether the exposed tools changed.
func (inv *Inventory) SetFirewall(fw Firewall) bool {
	old := inv.view.Load()
	v := inv.newView(fw)
	inv.view.Store(v)
	if len(old.exposed) != len(v.exposed) {
		return true
	}
	for i := range v.exposed {
		if old.exposed[i] != v.exposed[i] {
			return true
		}
	}
	return false
}

// Firewall returns what is known about the firewall (the zero value before anything is).
func (inv *Inventory) Firewall() Firewall { return inv.view.Load().fw }

// FirewallOperation returns what the firewall's own spec says about t's operation, when the
// firewall runs another REST API version than the tools' and its spec was read.
func (inv *Inventory) FirewallOperation(t *toolspec.Tool) (Operation, bool) {
	fw := inv.view.Load().fw
	if fw.Operations == nil {
		return Operation{}, false
	}
	op, ok := fw.Operations[Key(t)]
	return op, ok
}

// FirewallHidden counts the tools the configuration would expose but the firewall's facts hide:
// those its REST API version lacks and those that need packages it has not installed.
func (inv *Inventory) FirewallHidden() (missingOperation, missingPackage int) {
	fw := inv.view.Load().fw
	for _, t := range inv.all {
		if inv.configHides(t) != "" {
			continue
		}
		switch {
		case fw.Operations != nil && !hasOp(fw.Operations, t):
			missingOperation++
		case fw.Packages != nil && len(fw.missingPackages(t)) > 0:
			missingPackage++
		}
	}
	return missingOperation, missingPackage
}

func hasOp(ops map[string]Operation, t *toolspec.Tool) bool {
	_, ok := ops[Key(t)]
	return ok
}

// PackageTools are the tools a package that is not installed would add.
type PackageTools struct {
	Package string
	Tools   []string // names, sorted: tools the configuration exposes once the package is installed.
}

// MissingPackages lists, for each package the tool table needs but the firewall has not
// installed, the tools installing it would add under the current configuration; sorted by
// package. Empty when the installed packages are unknown.
func (inv *Inventory) MissingPackages() []PackageTools {
	fw := inv.view.Load().fw
	if fw.Packages == nil {
		return nil
	}
	by := map[string][]string{}
	for _, t := range inv.all {
		if inv.configHides(t) != "" || (fw.Operations != nil && !hasOp(fw.Operations, t)) {
			continue
		}
		for _, p := range fw.missingPackages(t) {
			by[p] = append(by[p], t.Name)
		}
	}
	out := make([]PackageTools, 0, len(by))
	for p, names := range by {
		sort.Strings(names)
		out = append(out, PackageTools{Package: p, Tools: names})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Package < out[j].Package })
	return out
}

// UnknownInputs lists the inputs of t that the firewall's own spec does not know ("objects[].x"
// for a field of the objects of a list PUT), sorted; nil when it knows them all, or when the
// firewall runs the tools' version or its spec was not read. Calls that send one are refused
// (server/toolcall).
func (inv *Inventory) UnknownInputs(t *toolspec.Tool) []string {
	op, ok := inv.FirewallOperation(t)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range t.Params {
		switch {
		case p.Control:
			// The core reads it on every endpoint of its kind; no spec lists it.
		case p.In == toolspec.InQuery, p.In == toolspec.InBody:
			if !op.Inputs[p.Name] {
				out = append(out, p.Name)
			}
		case p.In == toolspec.InBodyList:
			var s struct {
				Properties map[string]struct {
					Items struct {
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"items"`
				} `json:"properties"`
			}
			if json.Unmarshal([]byte(t.InputSchema), &s) != nil {
				continue
			}
			for f := range s.Properties[p.Name].Items.Properties {
				if !op.Inputs[f] {
					out = append(out, p.Name+"[]."+f)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
