package taskgen

import (
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// model gathers the tools of one REST API model by what they do.
type model struct {
	Name, Module, Parent string

	List, Get, Create, Update, Delete, DeleteMany, Replace *toolspec.Tool
	SettingsGet, SettingsPatch                             *toolspec.Tool
	Apply, ApplyStatus, Status                             *toolspec.Tool
	Actions                                                []*toolspec.Tool
	// Extra holds tools of a kind the model already has one of (none in v2.7.1); they are
	// called on their own with sampled arguments.
	Extra []*toolspec.Tool

	Children []*model
}

// index is the tool table arranged by model.
type index struct {
	tools  []*toolspec.Tool
	byName map[string]*toolspec.Tool
	models map[string]*model
	order  []string // model names, sorted
}

func newIndex(tools []toolspec.Tool) *index {
	ix := &index{byName: map[string]*toolspec.Tool{}, models: map[string]*model{}}
	for i := range tools {
		t := &tools[i]
		ix.tools = append(ix.tools, t)
		ix.byName[t.Name] = t
		m := ix.models[t.Model]
		if m == nil {
			m = &model{Name: t.Model, Module: t.Module, Parent: t.Parent}
			ix.models[t.Model] = m
		}
		if m.Parent == "" {
			m.Parent = t.Parent
		}
		m.add(t)
	}
	for name := range ix.models {
		ix.order = append(ix.order, name)
	}
	sort.Strings(ix.order)
	for _, name := range ix.order {
		m := ix.models[name]
		if p := ix.models[m.Parent]; p != nil && m.Parent != name {
			p.Children = append(p.Children, m)
		}
	}
	return ix
}

func (m *model) add(t *toolspec.Tool) {
	slot := (**toolspec.Tool)(nil)
	switch t.Kind {
	case toolspec.KindList:
		slot = &m.List
	case toolspec.KindGet:
		slot = &m.Get
	case toolspec.KindCreate:
		slot = &m.Create
	case toolspec.KindUpdate:
		slot = &m.Update
	case toolspec.KindDelete:
		if t.Plural {
			slot = &m.DeleteMany
		} else {
			slot = &m.Delete
		}
	case toolspec.KindReplace:
		slot = &m.Replace
	case toolspec.KindSettings:
		if t.Method == "GET" {
			slot = &m.SettingsGet
		} else {
			slot = &m.SettingsPatch
		}
	case toolspec.KindApply:
		slot = &m.Apply
	case toolspec.KindApplyStatus:
		slot = &m.ApplyStatus
	case toolspec.KindStatus:
		slot = &m.Status
	case toolspec.KindAction:
		m.Actions = append(m.Actions, t)
		return
	}
	if slot == nil || *slot != nil {
		m.Extra = append(m.Extra, t)
		return
	}
	*slot = t
}

// slug is the model's name in task ids: the create, list or any tool name without its verb.
func (m *model) slug() string {
	for _, t := range []*toolspec.Tool{m.Create, m.Get, m.SettingsGet, m.ApplyStatus, m.Status, m.List} {
		if t != nil {
			_, rest, ok := strings.Cut(strings.TrimPrefix(t.Name, "pfsense_"), "_")
			if ok {
				return rest
			}
		}
	}
	return strings.ToLower(m.Name)
}

// noun is what the model's objects are called in prose, from a tool title ("firewall alias").
func (m *model) noun() string {
	for _, t := range []*toolspec.Tool{m.Create, m.Get, m.Update} {
		if t != nil {
			if _, rest, ok := strings.Cut(t.Title, " "); ok {
				return rest
			}
		}
	}
	if m.List != nil {
		_, rest, _ := strings.Cut(m.List.Title, " ")
		return rest
	}
	return m.Name
}

// tool returns the tool called name, or nil.
func (ix *index) tool(name string) *toolspec.Tool { return ix.byName[name] }
