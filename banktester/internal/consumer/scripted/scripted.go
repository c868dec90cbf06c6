// Package scripted is the consumer without a model: it replays a task's plan of tool calls,
// checks each answer against the step's expectation, and writes the report itself. CI uses it
// to drive every tool through the real server.
package scripted

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/discovery"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
)

// changes says which tools change the firewall: in discovery mode those run through the
// change call tool, the others through the read call tool.
var changes = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range tooldefs.Tools {
		m[t.Name] = t.Mutation
	}
	for _, n := range mcpserver.OwnChangeTools() {
		m[n] = true
	}
	return m
}()

// callTool returns the discovery call tool that runs name.
func callTool(name string) string {
	if changes[name] {
		return discovery.CallChangeName
	}
	return discovery.CallReadName
}

// Consumer replays plans.
type Consumer struct{}

// Name implements consumer.Consumer.
func (Consumer) Name() string { return "scripted" }

// Model implements consumer.Consumer.
func (Consumer) Model() string { return "" }

// Run replays job.Task.Plan. A step whose answer does not meet its expectation is reported as
// an unexpected_error detail; the plan goes on (later steps that reference a failed step fail
// too, and say so). A step with "confirm": true is made as the server asks: preview, then
// confirm with the preview's token (both calls are recorded).
func (Consumer) Run(ctx context.Context, job consumer.Job) (consumer.Outcome, error) {
	var out consumer.Outcome
	p := job.Task.Plan
	if p == nil {
		return out, fmt.Errorf("task %s has no plan: the scripted consumer replays a plan (%s.plan.json next to the task file, or a generated task)", job.Task.ID, job.Task.ID)
	}
	s, err := job.Connect(ctx)
	if err != nil {
		return out, err
	}
	defer s.Close()
	// In discovery mode every tool but the listed ones is reached through a call tool (reads
	// and changes apart); the plan names the tool that should run.
	inDiscovery := job.ToolMode == "discovery"
	listed := map[string]bool{}
	for _, n := range mcpserver.DiscoveryListed(job.Task.NeedsWrites) {
		listed[n] = true
	}

	rep := &report.Report{TaskID: job.Task.ID, ErrorMessageQuality: "none"}
	answers := plan.Answers{}
	failed := 0
	for i, step := range p.Steps {
		if err := ctx.Err(); err != nil {
			out.Calls = s.Calls()
			return out, fmt.Errorf("interrupted before step %d: %w", i+1, err)
		}
		args, rerr := plan.Resolve(step.Args, answers)
		if rerr != nil {
			failed++
			rep.Details = append(rep.Details, report.Detail{Tool: step.Tool, Attempt: 1, Params: step.Args,
				Error: rerr.Error(), Diagnosis: fmt.Sprintf("step %d (%s) was not run: its arguments need an earlier answer", i+1, stepName(step)), Category: "dependency_unknown"})
			job.Transcript.Write(transcript.Entry{Type: transcript.TypeStepResult, Text: fmt.Sprintf("step %d %s: not run: %v", i+1, step.Tool, rerr)})
			continue
		}
		call := func(args map[string]any) (string, bool, error) {
			name, callArgs := step.Tool, args
			if inDiscovery && !listed[name] {
				name, callArgs = callTool(step.Tool), map[string]any{"name": step.Tool, "arguments": orEmpty(args)}
			}
			return s.Call(ctx, name, callArgs)
		}
		var answer string
		var isError bool
		var callErr error
		if args[toolspec.ConfirmProperty] == true {
			answer, isError, callErr = confirmed(args, call)
		} else {
			answer, isError, callErr = call(args)
		}
		if callErr != nil && ctx.Err() != nil {
			out.Calls = s.Calls()
			return out, fmt.Errorf("interrupted at step %d: %w", i+1, ctx.Err())
		}
		if step.ID != "" && !isError {
			answers[step.ID] = plan.Decode(answer)
		}
		verdict := "ok"
		if err := plan.Check(step, answer, isError); err != nil {
			failed++
			verdict = err.Error()
			rep.Details = append(rep.Details, report.Detail{Tool: step.Tool, Attempt: 1, Params: args, Error: transcript.Clip(answer),
				Diagnosis: fmt.Sprintf("step %d (%s): %v", i+1, stepName(step), err), Category: "unexpected_error"})
		}
		job.Transcript.Write(transcript.Entry{Type: transcript.TypeStepResult, Text: fmt.Sprintf("step %d %s: %s", i+1, step.Tool, verdict)})
	}
	out.Calls = s.Calls()
	rep.TotalToolCalls = len(out.Calls)
	rep.FirstAttemptFailures = failed
	rep.CleanupComplete = failed == 0
	switch {
	case failed == 0:
		rep.Status = report.StatusSuccess
	case failed < len(p.Steps):
		rep.Status = report.StatusPartial
	default:
		rep.Status = report.StatusFailed
	}
	rep.Notes = fmt.Sprintf("replayed %d steps; %d did not answer as expected", len(p.Steps), failed)
	invoked := map[string]bool{}
	for _, c := range out.Calls {
		invoked[c.Target] = true
	}
	for t := range invoked {
		rep.ToolsInvoked = append(rep.ToolsInvoked, t)
	}
	sort.Strings(rep.ToolsInvoked)
	out.Text = report.Render(rep)
	out.Final = out.Text
	out.StopReason = "plan_done"
	job.Transcript.Write(transcript.Entry{Type: transcript.TypeAssistant, Text: out.Text})
	return out, nil
}

// confirmed makes a change as the server's protocol asks: the step's arguments without confirm
// (a preview), then the same arguments with confirm set to the preview's confirm_token. A plan
// says `"confirm": true` for "make this change"; a refused preview (a misspelled bulk-delete
// filter, a wrong value) is the step's answer, as the confirmed call would have been refused
// the same way.
func confirmed(args map[string]any, call func(map[string]any) (string, bool, error)) (string, bool, error) {
	preview := make(map[string]any, len(args))
	for k, v := range args {
		if k != toolspec.ConfirmProperty {
			preview[k] = v
		}
	}
	answer, isError, err := call(preview)
	if err != nil || isError {
		return answer, isError, err
	}
	var p struct {
		Token string `json:"confirm_token"`
	}
	if json.Unmarshal([]byte(answer), &p) != nil || p.Token == "" {
		return answer, isError, err // no token: the preview says why (it cannot be confirmed)
	}
	preview[toolspec.ConfirmProperty] = p.Token
	return call(preview)
}

func stepName(s plan.Step) string {
	if s.ID != "" {
		return s.ID
	}
	return s.Tool
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
