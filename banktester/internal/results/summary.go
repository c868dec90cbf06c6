package results

import (
	"github.com/pfsense-mcp/pfsense-mcp/server/discovery"

	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// Summary is a run's numbers (summary.json).
type Summary struct {
	Consumer string `json:"consumer"`
	Model    string `json:"model,omitempty"`
	ToolMode string `json:"tool_mode"`
	Target   string `json:"target"`

	Tasks    TaskCounts     `json:"tasks"`
	Coverage Coverage       `json:"coverage"`
	Calls    CallStats      `json:"calls"`
	Failures map[string]int `json:"failures_by_category"`
	// ReportedFirstAttemptFailures is the sum of what the reports claim.
	ReportedFirstAttemptFailures int              `json:"reported_first_attempt_failures"`
	Tokens                       transcript.Usage `json:"tokens"`
	WallMS                       int64            `json:"wall_ms"` // sum over tasks
	PerTask                      []TaskLine       `json:"per_task"`
}

// TaskCounts counts tasks by status.
type TaskCounts struct {
	Total   int `json:"total"` // in the run
	Done    int `json:"done"`  // with a complete result
	Success int `json:"success"`
	Partial int `json:"partial"`
	Failed  int `json:"failed"`
	Error   int `json:"error"`
	NotRun  int `json:"not_run"`
}

// Coverage is tools invoked over tools exposed.
type Coverage struct {
	Exposed          int      `json:"exposed"`
	Invoked          int      `json:"invoked"`
	Percent          float64  `json:"percent"`
	Succeeded        int      `json:"succeeded"` // answered successfully at least once
	SucceededPercent float64  `json:"succeeded_percent"`
	NeverInvoked     []string `json:"never_invoked"`
	// InvokedNotExposed lists names called that the server does not expose (wrong names,
	// hidden tools); they do not count towards coverage.
	InvokedNotExposed []string `json:"invoked_not_exposed,omitempty"`
}

// CallStats are the measured tool-call numbers.
type CallStats struct {
	Total            int     `json:"total"`
	FirstAttempts    int     `json:"first_attempts"`
	FirstAttemptOK   int     `json:"first_attempt_successes"`
	FirstAttemptRate float64 `json:"first_attempt_success_rate"` // percent
	// Discovery counts calls of pfsense_search_tools and pfsense_describe_tool.
	Discovery int `json:"discovery_calls"`
}

// TaskLine is one task in the summary.
type TaskLine struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Status         string `json:"status"`
	Calls          int    `json:"calls"`
	FirstAttempts  int    `json:"first_attempts"`
	FirstAttemptOK int    `json:"first_attempt_successes"`
	InputTokens    int    `json:"input_tokens"`
	OutputTokens   int    `json:"output_tokens"`
	WallMS         int64  `json:"wall_ms"`
	Note           string `json:"note,omitempty"`
}

func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(1000*float64(a)/float64(b)) / 10
}

// DiscoveryTools are the discovery mode's own tools: they reach the others and are not
// counted as tools exposed; Calls.Discovery counts how often a consumer needed them.
var DiscoveryTools = map[string]bool{discovery.SearchName: true, discovery.DescribeName: true, discovery.CallReadName: true, discovery.CallChangeName: true}

// Summarize computes the summary of a run from its complete task results.
func Summarize(run *Run, metas []*Meta) *Summary {
	s := &Summary{Consumer: run.Consumer, Model: run.Model, ToolMode: run.ToolMode, Target: run.Target, Failures: map[string]int{}}
	s.Tasks.Total = len(run.Tasks)
	exposed := map[string]bool{}
	invoked := map[string]bool{}
	succeeded := map[string]bool{}
	for _, m := range metas {
		s.Tasks.Done++
		switch m.Status {
		case report.StatusSuccess:
			s.Tasks.Success++
		case report.StatusPartial:
			s.Tasks.Partial++
		case report.StatusFailed:
			s.Tasks.Failed++
		default:
			s.Tasks.Error++
		}
		for _, t := range run.Exposure[m.Exposure] {
			exposed[t] = true
		}
		for _, t := range m.ToolsInvoked {
			invoked[t] = true
		}
		for _, t := range m.ToolsSucceeded {
			succeeded[t] = true
		}
		s.Calls.Total += m.Calls
		s.Calls.Discovery += m.DiscoveryCalls
		s.Calls.FirstAttempts += m.FirstAttempts
		s.Calls.FirstAttemptOK += m.FirstAttemptOK
		s.ReportedFirstAttemptFailures += m.ReportedFirstAttemptFailures
		for c, n := range m.Categories {
			s.Failures[c] += n
		}
		s.Tokens.Add(m.Usage)
		s.WallMS += m.WallMS
		note := m.Error
		if note == "" {
			note = m.ReportError
		}
		s.PerTask = append(s.PerTask, TaskLine{ID: m.TaskID, Kind: m.Kind, Status: m.Status, Calls: m.Calls,
			FirstAttempts: m.FirstAttempts, FirstAttemptOK: m.FirstAttemptOK,
			InputTokens: m.Usage.InputTokens, OutputTokens: m.Usage.OutputTokens, WallMS: m.WallMS, Note: note})
	}
	s.Tasks.NotRun = s.Tasks.Total - s.Tasks.Done
	s.Coverage.Exposed = len(exposed)
	for t := range exposed {
		if invoked[t] {
			s.Coverage.Invoked++
		} else {
			s.Coverage.NeverInvoked = append(s.Coverage.NeverInvoked, t)
		}
		if succeeded[t] {
			s.Coverage.Succeeded++
		}
	}
	for t := range invoked {
		if !exposed[t] && !DiscoveryTools[t] {
			s.Coverage.InvokedNotExposed = append(s.Coverage.InvokedNotExposed, t)
		}
	}
	sort.Strings(s.Coverage.NeverInvoked)
	sort.Strings(s.Coverage.InvokedNotExposed)
	if s.Coverage.NeverInvoked == nil {
		s.Coverage.NeverInvoked = []string{}
	}
	s.Coverage.Percent = percent(s.Coverage.Invoked, s.Coverage.Exposed)
	s.Coverage.SucceededPercent = percent(s.Coverage.Succeeded, s.Coverage.Exposed)
	s.Calls.FirstAttemptRate = percent(s.Calls.FirstAttemptOK, s.Calls.FirstAttempts)
	return s
}

func seconds(ms int64) string { return fmt.Sprintf("%.1fs", float64(ms)/1000) }

// Print writes the summary as tables.
func (s *Summary) Print(w io.Writer) {
	model := s.Model
	if model == "" {
		model = "-"
	}
	fmt.Fprintf(w, "consumer %s, model %s, tool mode %s, target %s\n\n", s.Consumer, model, s.ToolMode, s.Target)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tKIND\tSTATUS\tCALLS\tFIRST-TRY OK\tTOKENS IN\tTOKENS OUT\tTIME\tNOTE")
	for _, t := range s.PerTask {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d/%d\t%d\t%d\t%s\t%s\n", t.ID, t.Kind, t.Status, t.Calls, t.FirstAttemptOK, t.FirstAttempts,
			t.InputTokens, t.OutputTokens, seconds(t.WallMS), clip(t.Note, 80))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "tasks\t%d done of %d: %d success, %d partial, %d failed, %d error, %d not run\n",
		s.Tasks.Done, s.Tasks.Total, s.Tasks.Success, s.Tasks.Partial, s.Tasks.Failed, s.Tasks.Error, s.Tasks.NotRun)
	fmt.Fprintf(tw, "coverage\t%d/%d tools invoked (%.1f%%); %d answered successfully (%.1f%%)\n",
		s.Coverage.Invoked, s.Coverage.Exposed, s.Coverage.Percent, s.Coverage.Succeeded, s.Coverage.SucceededPercent)
	fmt.Fprintf(tw, "first attempts\t%d/%d succeeded (%.1f%%) of %d tool calls; reports claim %d first-attempt failures\n",
		s.Calls.FirstAttemptOK, s.Calls.FirstAttempts, s.Calls.FirstAttemptRate, s.Calls.Total, s.ReportedFirstAttemptFailures)
	if s.Calls.Discovery > 0 {
		fmt.Fprintf(tw, "discovery\t%d calls of pfsense_search_tools and pfsense_describe_tool\n", s.Calls.Discovery)
	}
	fmt.Fprintf(tw, "tokens\t%d in, %d out (cache: %d read, %d written) in %d requests\n",
		s.Tokens.InputTokens, s.Tokens.OutputTokens, s.Tokens.CacheReadInputTokens, s.Tokens.CacheCreationInputTokens, s.Tokens.Requests)
	fmt.Fprintf(tw, "time\t%s summed over tasks\n", seconds(s.WallMS))
	tw.Flush()
	if len(s.Failures) > 0 {
		fmt.Fprintln(w, "\nfailures by category:")
		for _, c := range sortedKeys(s.Failures) {
			fmt.Fprintf(w, "  %-24s %d\n", c, s.Failures[c])
		}
	}
	if n := len(s.Coverage.NeverInvoked); n > 0 {
		names := s.Coverage.NeverInvoked
		more := ""
		if n > maxListed {
			names, more = names[:maxListed], fmt.Sprintf(" ... and %d more (all in summary.json)", n-maxListed)
		}
		fmt.Fprintf(w, "\nnever invoked (%d): %s%s\n", n, strings.Join(names, ", "), more)
	}
	if len(s.Coverage.InvokedNotExposed) > 0 {
		fmt.Fprintf(w, "called but not exposed: %s\n", strings.Join(s.Coverage.InvokedNotExposed, ", "))
	}
}

// maxListed bounds the tool names printed in a list; summary.json has them all.
const maxListed = 40

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
