package policy

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// riskTable is the reviewed risk table; its header says how to read it.
//
//go:embed risks.txt
var riskTable string

// Rule is one line of the risk table.
type Rule struct {
	Line    int
	Class   toolspec.RiskClass
	Methods []string // POST, PATCH, PUT, DELETE.
	Target  string   // an API path, a model, or "*".
	// Optional: the target model came with a later REST API version (written `Model?`), so a
	// spec without it leaves the rule idle instead of stale.
	Optional bool
	When     []toolspec.Condition
	Reason   string
	Source   string
}

// IsPath reports whether the rule names an API path rather than a model.
func (r *Rule) IsPath() bool { return strings.HasPrefix(r.Target, "/") }

func (r *Rule) hasMethod(m string) bool {
	for _, x := range r.Methods {
		if x == m {
			return true
		}
	}
	return false
}

var classes = map[toolspec.RiskClass]bool{
	toolspec.RiskCodeExecution: true, toolspec.RiskAccess: true, toolspec.RiskLockout: true,
	toolspec.RiskOutage: true, toolspec.RiskExposure: true, toolspec.RiskBulkDestruction: true,
}

var rulesOnce = sync.OnceValues(func() ([]Rule, error) { return ParseRules(riskTable) })

// Rules returns the parsed risk table.
func Rules() ([]Rule, error) { return rulesOnce() }

// ParseRules parses a risk table (see risks.txt for the format).
func ParseRules(text string) ([]Rule, error) {
	var out []Rule
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r, err := parseRule(line)
		if err != nil {
			return nil, fmt.Errorf("risk table line %d: %w", i+1, err)
		}
		r.Line = i + 1
		out = append(out, r)
	}
	return out, nil
}

func parseRule(line string) (Rule, error) {
	cols := strings.Split(line, " | ")
	if len(cols) != 5 {
		return Rule{}, fmt.Errorf("want 5 columns (class | scope | when | reason | source), got %d", len(cols))
	}
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	r := Rule{Class: toolspec.RiskClass(cols[0]), Reason: cols[3], Source: cols[4]}
	if !classes[r.Class] {
		return Rule{}, fmt.Errorf("class %q: want one of code_execution, access, lockout, outage, exposure, bulk_destruction", cols[0])
	}
	methods, target, ok := strings.Cut(cols[1], " ")
	if !ok || target == "" {
		return Rule{}, fmt.Errorf("scope %q: want METHODS TARGET", cols[1])
	}
	r.Target = target
	if t, opt := strings.CutSuffix(target, "?"); opt && !strings.HasPrefix(t, "/") && t != "*" {
		r.Target, r.Optional = t, true
	}
	for _, m := range strings.Split(methods, ",") {
		switch m {
		case "write":
			r.Methods = append(r.Methods, "POST", "PATCH", "PUT")
		case "*":
			r.Methods = append(r.Methods, "POST", "PATCH", "PUT", "DELETE")
		case "POST", "PATCH", "PUT", "DELETE":
			r.Methods = append(r.Methods, m)
		default:
			return Rule{}, fmt.Errorf("scope %q: method %q: want POST, PATCH, PUT, DELETE, write or *", cols[1], m)
		}
	}
	if cols[2] != "-" {
		for _, c := range strings.Split(cols[2], " & ") {
			cond, err := parseCondition(strings.TrimSpace(c))
			if err != nil {
				return Rule{}, err
			}
			r.When = append(r.When, cond)
		}
	}
	if r.Reason == "" || !strings.HasSuffix(r.Reason, ".") || r.Reason[0] < 'A' || r.Reason[0] > 'Z' {
		return Rule{}, fmt.Errorf("reason %q: want one capitalized sentence", r.Reason)
	}
	if file, method, ok := strings.Cut(r.Source, ": "); !ok || file == "" || method == "" {
		return Rule{}, fmt.Errorf("source %q: want `file: method`, where the effect comes from", r.Source)
	}
	return r, nil
}

func parseCondition(s string) (toolspec.Condition, error) {
	parts := strings.SplitN(s, " ", 3)
	bad := fmt.Errorf("condition %q: want `field set`, `field stored`, `field empty`, `field escapes`, `field = value`, `field in a,b` or `field suffix a,b`", s)
	if len(parts) < 2 {
		return toolspec.Condition{}, bad
	}
	c := toolspec.Condition{Field: parts[0]}
	switch {
	case len(parts) == 2 && parts[1] == "set":
		c.Op = toolspec.CondSet
	case len(parts) == 2 && parts[1] == "stored":
		c.Op = toolspec.CondStored
	case len(parts) == 2 && parts[1] == "empty":
		c.Op = toolspec.CondEmpty
	case len(parts) == 2 && parts[1] == "escapes":
		c.Op = toolspec.CondEscapes
	case len(parts) == 3 && parts[1] == "=":
		c.Op, c.Values = toolspec.CondEq, []string{parts[2]}
	case len(parts) == 3 && parts[1] == "in":
		c.Op, c.Values = toolspec.CondIn, strings.Split(parts[2], ",")
	case len(parts) == 3 && parts[1] == "suffix":
		c.Op, c.Values = toolspec.CondSuffix, strings.Split(parts[2], ",")
	default:
		return toolspec.Condition{}, bad
	}
	return c, nil
}

// Op is what risk matching needs to know about one operation.
type Op struct {
	Method, Path, Model string
	BodyList            bool              // PUT on a plural endpoint: the body is a list of Body.
	Body                *normalize.Schema // the request body (one object for PUT); nil for none.
	ModelSchema         *normalize.Schema // the model's component schema (fields of deleted objects); may be nil.
}

// ObjectsField is the argument of a replace tool that holds the new list (schema.PropObjects).
const ObjectsField = "objects"

// maxNesting bounds the search for nested models in request bodies.
const maxNesting = 4

// Risks returns the risks of one operation under rules, and for each rule that contributed the
// rule's line (so that Check can find rules that match nothing).
func Risks(rules []Rule, op Op) ([]toolspec.Risk, []int) {
	var out []toolspec.Risk
	var lines []int
	seen := map[string]bool{}
	add := func(r Rule, prefix string) {
		risk := toolspec.Risk{Class: r.Class, Reason: r.Reason, Source: r.Source, Prefix: prefix, When: r.When}
		key := fmt.Sprintf("%d %s", r.Line, prefix)
		if !seen[key] {
			seen[key] = true
			out = append(out, risk)
			lines = append(lines, r.Line)
		}
	}
	for _, r := range rules {
		if !r.hasMethod(op.Method) {
			continue
		}
		direct := r.Target == op.Path || (!r.IsPath() && (r.Target == "*" || r.Target == op.Model))
		if direct {
			switch {
			case len(r.When) == 0:
				add(r, "")
			case op.Method == "DELETE":
				if hasFields(op.ModelSchema, r.When) {
					add(r, "")
				}
			case op.BodyList && r.When[0].Field == ObjectsField:
				add(r, "")
			case op.BodyList:
				if hasFields(op.Body, r.When) {
					add(r, ObjectsField+"[]")
				}
			default:
				if hasFields(op.Body, r.When) {
					add(r, "")
				}
			}
		}
		if r.IsPath() || r.Target == "*" || len(r.When) == 0 || op.Method == "DELETE" || op.Body == nil {
			continue
		}
		// The model nested in another model's body: ACMECertificate.a_actionlist[] holds
		// ACMECertificateAction objects, and a replace holds them in objects[].a_actionlist[].
		top := ""
		if op.BodyList {
			top = ObjectsField + "[]."
		}
		for _, path := range nestedPaths(op.Body, r.Target, 0) {
			if s := schemaAt(op.Body, path); hasFields(s, r.When) {
				add(r, top+path)
			}
		}
	}
	return out, lines
}

// nestedPaths returns where objects of model sit below s: "a_actionlist[]", "peers[].allowedips[]".
func nestedPaths(s *normalize.Schema, model string, depth int) []string {
	if s == nil || depth >= maxNesting {
		return nil
	}
	var out []string
	for _, name := range s.PropertyNames() {
		p := s.Properties[name]
		seg, obj := name, p
		if p.Items != nil {
			seg, obj = name+"[]", p.Items
		}
		if obj.Ref == model && obj.Properties != nil {
			out = append(out, seg)
			continue
		}
		for _, sub := range nestedPaths(obj, model, depth+1) {
			out = append(out, seg+"."+sub)
		}
	}
	return out
}

// schemaAt follows a path of nestedPaths.
func schemaAt(s *normalize.Schema, path string) *normalize.Schema {
	for _, seg := range strings.Split(path, ".") {
		if s == nil {
			return nil
		}
		name, list := strings.CutSuffix(seg, "[]")
		s = s.Properties[name]
		if list && s != nil {
			s = s.Items
		}
	}
	return s
}

func hasFields(s *normalize.Schema, when []toolspec.Condition) bool {
	if s == nil {
		return false
	}
	for _, c := range when {
		if s.Properties[c.Field] == nil {
			return false
		}
	}
	return true
}

// Unconditional returns the first risk that applies to every call, or nil.
func Unconditional(risks []toolspec.Risk) *toolspec.Risk {
	for i := range risks {
		if len(risks[i].When) == 0 {
			return &risks[i]
		}
	}
	return nil
}

// Check returns an error naming the rules of the table that matched no operation: a stale rule
// (a renamed path, model or field) would otherwise silently stop protecting anything.
func Check(rules []Rule, matched map[int]bool) error {
	var stale []string
	for _, r := range rules {
		if !matched[r.Line] && !r.Optional {
			stale = append(stale, fmt.Sprintf("line %d (%s %s)", r.Line, strings.Join(r.Methods, ","), r.Target))
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		return fmt.Errorf("risk table rules match no operation of the spec (a path, model or field they name is missing): %s", strings.Join(stale, "; "))
	}
	return nil
}
