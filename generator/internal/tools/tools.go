// Package tools turns the operations of a loaded spec into tool descriptions.
package tools

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Build returns one tool per operation of doc, sorted by name.
func Build(doc *openapi3.T) ([]toolspec.Tool, error) {
	var out []toolspec.Tool
	seen := map[string]string{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			name := Name(op.OperationID)
			if prev, dup := seen[name]; dup {
				return nil, fmt.Errorf("operations %s and %s both map to tool name %s", prev, op.OperationID, name)
			}
			seen[name] = op.OperationID
			out = append(out, toolspec.Tool{
				Name:        name,
				Title:       op.OperationID,
				Description: PlainText(op.Description),
				InputSchema: `{"type":"object"}`,
				OperationID: op.OperationID,
				Method:      method,
				Path:        path,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

var wordBoundary = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// Name derives the tool name from an operationId: postFirewallAliasEndpoint -> pfsense_post_firewall_alias.
func Name(operationID string) string {
	s := strings.TrimSuffix(operationID, "Endpoint")
	s = wordBoundary.ReplaceAllString(s, "${1}_${2}")
	return "pfsense_" + strings.ToLower(s)
}

var tag = regexp.MustCompile(`<[^>]+>`)

// PlainText strips HTML tags and collapses whitespace.
func PlainText(html string) string {
	s := tag.ReplaceAllString(strings.ReplaceAll(html, "<br>", "\n"), " ")
	return strings.Join(strings.Fields(s), " ")
}
