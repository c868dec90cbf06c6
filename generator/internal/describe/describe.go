// Package describe writes tool descriptions: the spec's own first sentences (plain text,
// capped at ToolDescriptionCap at a sentence boundary), then the facts a caller needs and the
// spec only hints at in HTML: paging, id renumbering, the parent object, required packages,
// BasicAuth-only endpoints, the apply tool to call afterwards and why a tool is dangerous.
// The spec's "Allowed privileges" and similar boilerplate are left out.
package describe

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/text"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// ToolDescriptionCap bounds the spec prose of a tool description (in bytes).
const ToolDescriptionCap = 1500

// Facts is what a tool description is written from.
type Facts struct {
	Op              *normalize.Operation
	Model           *normalize.Model
	Log             bool
	ApplyTool       string
	DangerousReason string
	// PathTool names the tool for an API path the spec's text mentions, preferring the given
	// method; "" when there is none. Nil leaves paths alone.
	PathTool func(path, method string) string
}

// Sentences the descriptions use; tests and the server may look for them.
const (
	BasicAuthOnly = "Needs BasicAuth credentials (PFSENSE_USERNAME/PFSENSE_PASSWORD): API keys are refused by this endpoint."
	DeleteByIndex = "Not idempotent: ids are array indices that renumber after a delete, so deleting id 3 twice deletes two different objects. Read the object first."
	DeleteByQuery = "pfSense silently ignores filter fields it does not know and would then delete everything, so the server refuses filters on fields the model does not have."
	Replace       = "The objects sent replace all existing ones: objects left out are deleted and the rest are renumbered from 0."
	Update        = "Only the fields given are changed."
	ApplyInline   = "Or set apply=true to apply this deletion at once."
)

// specWarning is the plural DELETE warning of the spec, replaced by DeleteByQuery.
const specWarning = "WARNING: This will delete all objects that match the query, use with caution."

// ApplyReminder says which tool makes a pending change take effect.
func ApplyReminder(applyTool string) string {
	return fmt.Sprintf("Changes are pending until you call %s.", applyTool)
}

// Paging describes the bounded answers of a list tool.
func Paging(log bool) string {
	if log {
		return fmt.Sprintf("Log entries are long and numerous: answers are paged, %d entries by default and at most %d (limit); continue with offset.", toolspec.DefaultListLimit, toolspec.MaxLogLimit)
	}
	return fmt.Sprintf("Answers are paged: %d objects by default, at most %d (limit); continue with offset.", toolspec.DefaultListLimit, toolspec.MaxListLimit)
}

// Packages says which pfSense packages an endpoint needs.
func Packages(pkgs []string) string {
	switch len(pkgs) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("Requires the %s package.", pkgs[0])
	}
	return fmt.Sprintf("Requires the packages %s and %s.", strings.Join(pkgs[:len(pkgs)-1], ", "), pkgs[len(pkgs)-1])
}

var apiPath = regexp.MustCompile(`/api/v2/[a-z0-9_/]*[a-z0-9_]`)

// namePaths follows each API path in the spec's text with the tool that serves it, since
// callers see tools, not paths: "the /api/v2/firewall/states endpoint" becomes "the
// /api/v2/firewall/states endpoint (pfsense_list_firewall_states)".
func namePaths(s, method string, pathTool func(path, method string) string) string {
	if pathTool == nil {
		return s
	}
	return apiPath.ReplaceAllStringFunc(s, func(p string) string {
		if t := pathTool(p, method); t != "" {
			return p + " (" + t + ")"
		}
		return p
	})
}

// Tool returns the description of one tool.
func Tool(f Facts) string {
	op := f.Op
	prose := strings.TrimSpace(strings.ReplaceAll(text.Plain(op.Summary), specWarning, ""))
	prose = namePaths(prose, op.Method, f.PathTool)
	parts := []string{text.Sentence(text.Cap(prose, ToolDescriptionCap))}
	switch op.Kind {
	case toolspec.KindList:
		parts = append(parts, Paging(f.Log))
	case toolspec.KindUpdate:
		parts = append(parts, Update)
	case toolspec.KindSettings:
		if op.Method == "PATCH" {
			parts = append(parts, Update)
		}
	case toolspec.KindReplace:
		parts = append(parts, Replace)
	case toolspec.KindDelete:
		if op.Plural {
			parts = append(parts, DeleteByQuery)
		} else {
			parts = append(parts, DeleteByIndex)
		}
	}
	if f.Model != nil && f.Model.Parent != "" {
		parts = append(parts, fmt.Sprintf("Each %s belongs to a %s object: parent_id is that object's id.", f.Model.Name, f.Model.Parent))
		if op.Kind == toolspec.KindList {
			parts = append(parts, `To list one parent's objects, filter with query {"parent_id": <id>}.`)
		}
	}
	parts = append(parts, Packages(op.RequiredPackages))
	if op.BasicAuthOnly() {
		parts = append(parts, BasicAuthOnly)
	}
	if f.ApplyTool != "" {
		parts = append(parts, ApplyReminder(f.ApplyTool))
		if op.Kind == toolspec.KindDelete && op.Param("apply") != nil {
			parts = append(parts, ApplyInline)
		}
	}
	if f.DangerousReason != "" {
		parts = append(parts, "Dangerous: "+f.DangerousReason)
	}
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}
