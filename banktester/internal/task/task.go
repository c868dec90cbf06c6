// Package task reads and writes task files: markdown with a small front-matter header that
// says what the task exercises and what the server must expose for it.
//
//	---
//	id: crud-firewall_alias
//	title: Firewall aliases
//	kind: crud
//	module: firewall
//	tools: [pfsense_list_firewall_aliases, pfsense_create_firewall_alias]
//	needs_writes: true
//	needs_dangerous: false
//	---
//	# Firewall aliases
//	## Objective
//	...
//
// A task may come with a plan (the tool calls that accomplish it) for the scripted consumer:
// a sibling file <name>.plan.json, or Task.Plan when generated.
package task

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
)

// Kinds of task.
const (
	KindCRUD        = "crud"
	KindSettings    = "settings"
	KindApply       = "apply"
	KindAction      = "action"
	KindReadOnly    = "read_only"
	KindReplace     = "replace"
	KindBulkDelete  = "bulk_delete"
	KindAdversarial = "adversarial"
	KindScenario    = "scenario" // hand-written, goal-oriented ("why can't host X reach Y").
)

// Kinds lists every valid kind.
var Kinds = []string{KindCRUD, KindSettings, KindApply, KindAction, KindReadOnly, KindReplace, KindBulkDelete, KindAdversarial, KindScenario}

// Task is one task file.
type Task struct {
	ID             string
	Title          string
	Kind           string
	Module         string
	Tools          []string // the tools the task is meant to exercise.
	NeedsWrites    bool
	NeedsDangerous bool
	// Disruptive tasks leave the firewall unusable (halt, reboot): the worker replaces its
	// target afterwards, and they run after every other task.
	Disruptive bool
	Body       string     // the markdown after the header.
	Plan       *plan.Plan // the scripted consumer's plan, when there is one.
	Source     string     // where the task came from (file path, or "generated").
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,99}$`)

// Validate checks the header fields.
func (t *Task) Validate() error {
	if !idPattern.MatchString(t.ID) {
		return fmt.Errorf("id %q: want 1-100 characters of [a-z0-9_.-], starting with a letter or digit", t.ID)
	}
	if t.Title == "" {
		return fmt.Errorf("task %s: title is required", t.ID)
	}
	if !validKind(t.Kind) {
		return fmt.Errorf("task %s: kind %q: want one of %s", t.ID, t.Kind, strings.Join(Kinds, ", "))
	}
	if t.NeedsDangerous && !t.NeedsWrites {
		return fmt.Errorf("task %s: needs_dangerous needs needs_writes too (every dangerous operation changes the firewall)", t.ID)
	}
	if t.Plan != nil && t.Plan.TaskID != "" && t.Plan.TaskID != t.ID {
		return fmt.Errorf("task %s: its plan is for task %q", t.ID, t.Plan.TaskID)
	}
	return nil
}

func validKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Parse reads a task file's text. source names it in errors.
func Parse(data []byte, source string) (*Task, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return nil, fmt.Errorf("%s: a task file starts with a front-matter header between two --- lines", source)
	}
	end := strings.Index(text[4:], "\n---\n")
	if end < 0 {
		if strings.HasSuffix(text, "\n---") {
			end = len(text) - 8
		} else {
			return nil, fmt.Errorf("%s: the front-matter header has no closing --- line", source)
		}
	}
	header := text[4 : 4+end]
	body := ""
	if rest := 4 + end + 5; rest < len(text) {
		body = strings.TrimLeft(text[rest:], "\n")
	}
	t := &Task{Body: body, Source: source}
	if err := parseHeader(header, t); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return t, nil
}

// parseHeader reads the small YAML subset task headers use: `key: value`, booleans, inline
// lists `[a, b]` and block lists (`key:` followed by `- item` lines).
func parseHeader(header string, t *Task) error {
	lines := strings.Split(header, "\n")
	seen := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "-") {
			return fmt.Errorf("header line %d %q: want `key: value`", i+2, line)
		}
		key = strings.TrimSpace(key)
		value = strings.TrimSpace(value)
		if seen[key] {
			return fmt.Errorf("header line %d: %s is given twice", i+2, key)
		}
		seen[key] = true
		var list []string
		if key == "tools" && value == "" {
			for i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "- ") {
				i++
				list = append(list, unquote(strings.TrimSpace(strings.TrimSpace(lines[i])[2:])))
			}
		} else if key == "tools" {
			if !strings.HasPrefix(value, "[") || !strings.HasSuffix(value, "]") {
				return fmt.Errorf("header line %d: tools: want a list like [pfsense_list_firewall_aliases, ...] or `- name` lines", i+2)
			}
			for _, item := range strings.Split(value[1:len(value)-1], ",") {
				if item = unquote(strings.TrimSpace(item)); item != "" {
					list = append(list, item)
				}
			}
		}
		switch key {
		case "id":
			t.ID = unquote(value)
		case "title":
			t.Title = unquote(value)
		case "kind":
			t.Kind = unquote(value)
		case "module":
			t.Module = unquote(value)
		case "tools":
			t.Tools = list
		case "needs_writes", "needs_dangerous", "disruptive":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return fmt.Errorf("header line %d: %s: %q is not true or false", i+2, key, value)
			}
			switch key {
			case "needs_writes":
				t.NeedsWrites = b
			case "needs_dangerous":
				t.NeedsDangerous = b
			default:
				t.Disruptive = b
			}
		default:
			return fmt.Errorf("header line %d: unknown key %q (valid: id, title, kind, module, tools, needs_writes, needs_dangerous, disruptive)", i+2, key)
		}
	}
	for _, k := range []string{"id", "title", "kind"} {
		if !seen[k] {
			return fmt.Errorf("the header has no %s", k)
		}
	}
	return nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		if u, err := strconv.Unquote(`"` + strings.ReplaceAll(s[1:len(s)-1], `"`, `\"`) + `"`); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	return s
}

// Markdown renders the task file (header and body).
func (t *Task) Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\n", t.ID)
	fmt.Fprintf(&b, "title: %s\n", quoteIfNeeded(t.Title))
	fmt.Fprintf(&b, "kind: %s\n", t.Kind)
	if t.Module != "" {
		fmt.Fprintf(&b, "module: %s\n", t.Module)
	}
	if len(t.Tools) > 0 {
		b.WriteString("tools:\n")
		for _, name := range t.Tools {
			fmt.Fprintf(&b, "  - %s\n", name)
		}
	}
	fmt.Fprintf(&b, "needs_writes: %t\n", t.NeedsWrites)
	fmt.Fprintf(&b, "needs_dangerous: %t\n", t.NeedsDangerous)
	if t.Disruptive {
		b.WriteString("disruptive: true\n")
	}
	b.WriteString("---\n")
	b.WriteString(t.Body)
	if !strings.HasSuffix(t.Body, "\n") {
		b.WriteString("\n")
	}
	return b.Bytes()
}

func quoteIfNeeded(s string) string {
	if strings.ContainsAny(s, "#[]{}\"'") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return strconv.Quote(s)
	}
	return s
}

// Prompt is the task as the consumer sees it: its id and the markdown body. The plan and the
// header's bookkeeping are left out.
func (t *Task) Prompt() string {
	return fmt.Sprintf("Task id: %s\n\n%s", t.ID, strings.TrimSpace(t.Body))
}

// ReadFile reads a task file and its plan (<name>.plan.json next to it) when there is one.
func ReadFile(path string) (*Task, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read task: %w", err)
	}
	t, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	planPath := strings.TrimSuffix(path, ".md") + ".plan.json"
	if pd, err := os.ReadFile(planPath); err == nil {
		p, err := plan.Parse(pd)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", planPath, err)
		}
		t.Plan = p
	} else if !os.IsNotExist(err) {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ReadDir reads every *.md task file of dir (not recursive), sorted by file name.
func ReadDir(dir string) ([]*Task, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []*Task
	for _, p := range paths {
		if strings.EqualFold(filepath.Base(p), "README.md") {
			continue
		}
		t, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no task files (*.md) in %s", dir)
	}
	return out, nil
}

// WriteDir writes tasks as <id>.md (and <id>.plan.json when they have a plan) into dir.
func WriteDir(dir string, tasks []*Task) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, t := range tasks {
		if err := os.WriteFile(filepath.Join(dir, t.ID+".md"), t.Markdown(), 0o644); err != nil {
			return fmt.Errorf("write task %s: %w", t.ID, err)
		}
		if t.Plan != nil {
			data, err := t.Plan.Marshal()
			if err != nil {
				return fmt.Errorf("plan of task %s: %w", t.ID, err)
			}
			if err := os.WriteFile(filepath.Join(dir, t.ID+".plan.json"), data, 0o644); err != nil {
				return fmt.Errorf("write plan of task %s: %w", t.ID, err)
			}
		}
	}
	return nil
}

// CheckUnique fails when two tasks share an id.
func CheckUnique(tasks []*Task) error {
	seen := map[string]string{}
	for _, t := range tasks {
		if prev, ok := seen[t.ID]; ok {
			return fmt.Errorf("task id %s is used by both %s and %s", t.ID, prev, t.Source)
		}
		seen[t.ID] = t.Source
	}
	return nil
}
