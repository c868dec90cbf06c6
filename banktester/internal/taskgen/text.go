package taskgen

import (
	"fmt"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
)

// body is the prose of a task around its steps.
type body struct {
	objective   string
	adversarial []string
	cleanup     string
	expected    string
}

// render writes the markdown body: Objective, Tools to exercise, Steps, Adversarial
// subtasks, Cleanup, Expected outcome.
func (x body) render(t *task.Task, b *builder) string {
	var s strings.Builder
	fmt.Fprintf(&s, "# %s\n\n", t.Title)
	fmt.Fprintf(&s, "## Objective\n\n%s\n\n", x.objective)
	fmt.Fprintf(&s, "## Tools to exercise (%d)\n\n", len(t.Tools))
	for _, name := range t.Tools {
		fmt.Fprintf(&s, "- `%s`\n", name)
	}
	s.WriteString("\n## Steps\n\n")
	for i, p := range b.prose {
		fmt.Fprintf(&s, "%d. %s\n", i+1, p)
	}
	if len(x.adversarial) > 0 {
		s.WriteString("\n## Adversarial subtasks\n\n")
		for _, a := range x.adversarial {
			fmt.Fprintf(&s, "- %s\n", a)
		}
	}
	s.WriteString("\n## Important notes\n\n")
	s.WriteString("- Values in angle brackets (<...>) come from the answer of an earlier step.\n")
	s.WriteString("- Object ids are list positions and shift after deletions: re-read before reusing one.\n")
	if t.NeedsWrites {
		s.WriteString("- Every change needs a confirmation: call without confirm first (a preview with a confirm_token), then again with the same arguments and confirm set to that token. \"confirm=true\" in a step means exactly that.\n")
	}
	if t.NeedsDangerous {
		s.WriteString("- This task uses dangerous tools: follow the steps exactly and do nothing else with them.\n")
	}
	cleanup := x.cleanup
	if cleanup == "" {
		cleanup = "Nothing to clean up: this task changes nothing."
		if t.NeedsWrites {
			cleanup = "Undo every change this task made, in reverse order."
		}
	}
	fmt.Fprintf(&s, "\n## Cleanup\n\n%s\n", cleanup)
	fmt.Fprintf(&s, "\n## Expected outcome\n\n%s\n", x.expected)
	return s.String()
}
