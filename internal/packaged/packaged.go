// Package packaged finds, in a tool table, the package that the most tools need, and those
// tools: the tests remove that package from a simulated firewall and expect its tools to go.
package packaged

import (
	"sort"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// MostNeeded returns the package the most tools need (reads only, when readsOnly) and their
// names, sorted; ties go to the first package by name. "" when no tool needs one.
func MostNeeded(tools []toolspec.Tool, readsOnly bool) (string, []string) {
	by := map[string][]string{}
	for _, t := range tools {
		if readsOnly && t.Mutation {
			continue
		}
		for _, p := range t.RequiredPackages {
			by[p] = append(by[p], t.Name)
		}
	}
	best := ""
	for p, names := range by {
		if best == "" || len(names) > len(by[best]) || len(names) == len(by[best]) && p < best {
			best = p
		}
	}
	names := by[best]
	sort.Strings(names)
	return best, names
}
