// Package tasks holds the hand-written tasks: goal-oriented scenarios an admin would ask for
// ("why can't host X reach Y", "add a WireGuard peer", "audit the WAN rules"), each with a
// plan (<id>.plan.json) that the scripted consumer replays.
package tasks

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
)

//go:embed *.md *.plan.json
var files embed.FS

// Load returns the hand-written tasks, sorted by id.
func Load() ([]*task.Task, error) {
	names, err := fs.Glob(files, "*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*task.Task
	for _, name := range names {
		if name == "README.md" {
			continue
		}
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		t, err := task.Parse(data, "banktester/tasks/"+name)
		if err != nil {
			return nil, err
		}
		planName := strings.TrimSuffix(name, ".md") + ".plan.json"
		if pd, err := files.ReadFile(planName); err == nil {
			p, err := plan.Parse(pd)
			if err != nil {
				return nil, fmt.Errorf("banktester/tasks/%s: %w", planName, err)
			}
			t.Plan = p
			if err := t.Validate(); err != nil {
				return nil, fmt.Errorf("banktester/tasks/%s: %w", name, err)
			}
		}
		out = append(out, t)
	}
	return out, nil
}
