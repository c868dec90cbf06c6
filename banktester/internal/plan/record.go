package plan

import (
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// navigation are the discovery mode's tools for finding tools: a recorded plan keeps what was
// done, not how it was found, so that it replays in either mode.
var navigation = map[string]bool{"pfsense_search_tools": true, "pfsense_describe_tool": true}

// FromCalls records the calls of a run as a plan: each relayed call becomes a step with the
// arguments it had and the outcome it got (ok, preview or error), so that a consumer's run
// can be replayed without a model. Calls of the discovery call tools are recorded as the tool they
// ran. Ids are kept as they were: replay on a firewall in the same starting state (the
// simulator after a reset, a VM from its snapshot). A confirmation token is recorded as
// "confirm": true: it was good for that run's preview only, and the replay gets its own.
func FromCalls(taskID string, calls []transcript.ToolCall) *Plan {
	p := &Plan{TaskID: taskID}
	for _, c := range calls {
		if c.NotRelayed || navigation[c.Target] {
			continue
		}
		args := c.Args
		if c.Tool != c.Target {
			args, _ = c.Args["arguments"].(map[string]any)
		}
		if tok, ok := args["confirm"].(string); ok && tok != "" {
			with := make(map[string]any, len(args))
			for k, v := range args {
				with[k] = v
			}
			with["confirm"] = true
			args = with
		}
		s := Step{Tool: c.Target, Args: args}
		switch {
		case c.IsError:
			s.Expect.Outcome = OutcomeError
		case c.Preview:
			s.Expect.Outcome = OutcomePreview
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}
