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
	"github.com/pfsense-mcp/pfsense-mcp/generator/overlay"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
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
	// Title is the tool's title; apply tools are described from it (the spec says "Creates
	// Routing Apply.").
	Title string
	// Native is the native schema (nil or empty for none): which ids are names and which
	// fields cannot change after creation.
	Native *native.Schema
	// Overlay holds the reviewed hints for the model's tools (nil for none).
	Overlay *overlay.Overlay
	// CreateTool is the model's create tool when this update or replace tool describes its
	// fields by reference to it ("" otherwise).
	CreateTool string
	// InlineApply: the tool takes apply (true applies the change at once).
	InlineApply bool
}

// FieldsAsIn points an update or replace tool to the create tool that describes the fields;
// every such sentence starts with FieldsAsInPrefix.
func FieldsAsIn(createTool string) string {
	return FieldsAsInPrefix + createTool + " says."
}

// FieldsAsInPrefix starts FieldsAsIn.
const FieldsAsInPrefix = "The fields mean what "

// Sentences the descriptions use; tests and the server may look for them. The server's
// instructions say the general rules once (ids, paging, confirm); these say what is particular
// to a kind of tool.
const (
	BasicAuthOnly = "Needs BasicAuth credentials (PFSENSE_USERNAME/PFSENSE_PASSWORD): API keys are refused by this endpoint."
	DeleteByIndex = "Not idempotent: the ids after it shift down by one."
	DeleteByQuery = "Filters on fields the model lacks are refused: pfSense would ignore them and delete everything."
	Replace       = "Replaces every object: those left out are deleted, the rest renumbered from 0."
	Update        = "Only the fields given are changed."
	ApplyInline   = "Or set apply: true to apply it at once."
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
		return fmt.Sprintf("Oldest first: reverse: true for the newest; at most %d per page.", toolspec.MaxLogLimit)
	}
	return fmt.Sprintf("Paged: %d objects by default, at most %d (limit).", toolspec.DefaultListLimit, toolspec.MaxListLimit)
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

// applySummary describes an apply tool or its status from the tool's title ("Apply pending
// routing changes"): the spec's own text is "Creates Routing Apply." / "Reads current Routing Apply.".
func applySummary(kind toolspec.Kind, title string) string {
	what := title
	if i := strings.Index(title, "pending "); i >= 0 {
		what = strings.TrimSuffix(title[i+len("pending "):], " changes")
	}
	if kind == toolspec.KindApply {
		return fmt.Sprintf("Applies the pending %s changes, so that they take effect.", what)
	}
	return fmt.Sprintf("Whether %s changes are pending: applied is false until they are applied.", what)
}

// Summary returns the spec's own text of an operation as plain sentences: HTML stripped, the
// spec's bulk-delete warning dropped (DeleteByQuery replaces it), broken plurals repaired,
// paths followed by their tools, a cut last sentence dropped, capped.
func Summary(f Facts) string {
	op := f.Op
	if (op.Kind == toolspec.KindApply || op.Kind == toolspec.KindApplyStatus) && f.Title != "" {
		return applySummary(op.Kind, f.Title)
	}
	prose := strings.TrimSpace(strings.ReplaceAll(text.Plain(op.Summary), specWarning, ""))
	if fixed, ok := f.Overlay.SummaryText(op.Model, op.Kind, prose); ok {
		return fixed
	}
	prose = text.FixPlurals(prose)
	prose = namePaths(prose, op.Method, f.PathTool)
	return text.Sentence(text.Cap(text.DropCut(prose), ToolDescriptionCap))
}

// fixedFields lists the fields of a model that cannot change after creation (the native
// schema's editable: false), for update tools; "" when there are none.
func fixedFields(f Facts) string {
	if f.Native.Empty() || f.Op.Kind != toolspec.KindUpdate {
		return ""
	}
	var fixed []string
	for _, fd := range f.Native.Model(f.Op.Model).Fields {
		if !fd.Editable && !fd.ReadOnly {
			fixed = append(fixed, "`"+fd.Name+"`")
		}
	}
	if len(fixed) == 0 {
		return ""
	}
	return "Fixed after creation (not offered here): " + strings.Join(fixed, ", ") + "."
}

// integerIDs reports whether the model's ids are list positions (not names such as lan).
func integerIDs(f Facts) bool {
	if f.Native.Empty() {
		return true
	}
	m := f.Native.Model(f.Op.Model)
	return m == nil || m.IDType != "string"
}

// Tool returns the description of one tool.
func Tool(f Facts) string {
	op := f.Op
	parts := []string{Summary(f)}
	switch op.Kind {
	case toolspec.KindList:
		if f.Log {
			parts = append(parts, Paging(f.Log))
		}
	case toolspec.KindUpdate:
		parts = append(parts, Update)
		if f.CreateTool != "" {
			parts = append(parts, FieldsAsIn(f.CreateTool))
		}
	case toolspec.KindSettings:
		if op.Method == "PATCH" {
			parts = append(parts, Update)
		}
	case toolspec.KindReplace:
		parts = append(parts, Replace)
		if f.CreateTool != "" {
			parts = append(parts, FieldsAsIn(f.CreateTool))
		}
	case toolspec.KindDelete:
		if op.Plural {
			parts = append(parts, DeleteByQuery)
		} else if integerIDs(f) {
			parts = append(parts, DeleteByIndex)
		}
	}
	hints := f.Overlay.ToolHints(op.Model, op.Kind)
	if len(hints) == 0 {
		parts = append(parts, fixedFields(f))
	}
	parts = append(parts, hints...)
	if f.Model != nil && f.Model.Parent != "" && op.Kind == toolspec.KindList {
		parts = append(parts, fmt.Sprintf(`Each %s belongs to a %s (parent_id): to list one parent's, filter with query {"parent_id": <id>}.`, f.Model.Name, f.Model.Parent))
	}
	parts = append(parts, Packages(op.RequiredPackages))
	if op.BasicAuthOnly() {
		parts = append(parts, BasicAuthOnly)
	}
	if f.ApplyTool != "" {
		parts = append(parts, ApplyReminder(f.ApplyTool))
		if f.InlineApply || (op.Kind == toolspec.KindDelete && op.Param("apply") != nil) {
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
