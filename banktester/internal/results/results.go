// Package results writes and reads a run's result folder and computes its summary:
//
//	RUN_DIR/run.json                 what was run (consumer, model, mode, tasks, exposed tools)
//	RUN_DIR/tasks/<id>/transcript.jsonl
//	RUN_DIR/tasks/<id>/report.json   the consumer's parsed report
//	RUN_DIR/tasks/<id>/final.txt     the consumer's final message
//	RUN_DIR/tasks/<id>/server.log    the MCP server's log; audit.jsonl its audit log
//	RUN_DIR/tasks/<id>/meta.json     written last: the task is complete when it exists
//	RUN_DIR/summary.json
package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// Task statuses beyond the report's success, partial and failed.
const (
	// StatusError: the consumer crashed, timed out or could not start; no report.
	StatusError = "error"
)

// Run describes a run (run.json).
type Run struct {
	Started  time.Time `json:"started"`
	Consumer string    `json:"consumer"`
	Model    string    `json:"model,omitempty"`
	ToolMode string    `json:"tool_mode"`
	Target   string    `json:"target"`
	Workers  int       `json:"workers"`
	Modules  []string  `json:"modules,omitempty"`
	Tasks    []string  `json:"tasks"`
	// Exposure maps an exposure profile (what the server was allowed to expose) to the tools
	// it exposed; each task's meta names its profile.
	Exposure map[string][]string `json:"exposure"`
	Command  []string            `json:"command,omitempty"`
}

// Meta is one task's result (meta.json).
type Meta struct {
	TaskID     string    `json:"task_id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	Module     string    `json:"module,omitempty"`
	Consumer   string    `json:"consumer"`
	Model      string    `json:"model,omitempty"`
	ToolMode   string    `json:"tool_mode"`
	Worker     int       `json:"worker"`
	Status     string    `json:"status"` // success, partial, failed, error
	Error      string    `json:"error,omitempty"`
	Started    time.Time `json:"started"`
	WallMS     int64     `json:"wall_ms"`
	ExitCode   int       `json:"exit_code"`
	StopReason string    `json:"stop_reason,omitempty"`
	Turns      int       `json:"turns"`

	Usage transcript.Usage `json:"tokens"`

	Exposure     string `json:"exposure"`
	ToolsOffered int    `json:"tools_offered"`
	// Measured from the calls the bank tester relayed (or the CLI reported).
	Calls          int      `json:"tool_calls"`
	FirstAttempts  int      `json:"first_attempts"`
	FirstAttemptOK int      `json:"first_attempt_successes"`
	ToolsInvoked   []string `json:"tools_invoked"`
	ToolsSucceeded []string `json:"tools_succeeded"`
	// DiscoveryCalls counts calls of the discovery mode's search and describe tools.
	DiscoveryCalls int `json:"discovery_calls,omitempty"`

	// From the consumer's report.
	ReportError                  string         `json:"report_error,omitempty"`
	ReportedFirstAttemptFailures int            `json:"reported_first_attempt_failures"`
	Categories                   map[string]int `json:"categories,omitempty"`
	CleanupComplete              bool           `json:"cleanup_complete"`
	ErrorMessageQuality          string         `json:"error_message_quality,omitempty"`
	// ReportedToolsNotCalled lists tools the report claims but no relayed call shows.
	ReportedToolsNotCalled []string `json:"reported_tools_not_called,omitempty"`

	Complete bool `json:"complete"`
}

// Attempts counts first attempts in calls: a call is a retry when the previous call of the
// same tool failed; every other call is a first attempt. ok counts first attempts that
// answered without an error.
func Attempts(calls []transcript.ToolCall) (attempts, ok int) {
	lastFailed := map[string]bool{}
	for _, c := range calls {
		if !lastFailed[c.Target] {
			attempts++
			if !c.IsError {
				ok++
			}
		}
		lastFailed[c.Target] = c.IsError
	}
	return attempts, ok
}

// Invoked returns the tools called and those that answered successfully at least once
// (a preview is not success), sorted.
func Invoked(calls []transcript.ToolCall) (invoked, succeeded []string) {
	inv, ok := map[string]bool{}, map[string]bool{}
	for _, c := range calls {
		inv[c.Target] = true
		if !c.IsError && !c.Preview && !c.NotRelayed {
			ok[c.Target] = true
		}
	}
	return sortedSet(inv), sortedSet(ok)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CountDiscovery counts the calls of pfsense_search_tools and pfsense_describe_tool.
func CountDiscovery(calls []transcript.ToolCall) int {
	n := 0
	for _, c := range calls {
		if c.Target == "pfsense_search_tools" || c.Target == "pfsense_describe_tool" {
			n++
		}
	}
	return n
}

// FromReport fills the report-derived fields of m; rep nil means the report could not be
// parsed (repErr says why), which fails the task.
func (m *Meta) FromReport(rep *report.Report, repErr error) {
	if m.Status == StatusError {
		if repErr != nil {
			m.ReportError = repErr.Error()
		}
		return
	}
	if rep == nil {
		m.Status = report.StatusFailed
		m.ReportError = "no usable report: " + repErr.Error()
		return
	}
	m.Status = rep.Status
	m.ReportedFirstAttemptFailures = rep.FirstAttemptFailures
	m.CleanupComplete = rep.CleanupComplete
	m.ErrorMessageQuality = rep.ErrorMessageQuality
	for _, d := range rep.Details {
		if m.Categories == nil {
			m.Categories = map[string]int{}
		}
		m.Categories[d.Category]++
	}
	called := map[string]bool{}
	for _, t := range m.ToolsInvoked {
		called[t] = true
	}
	for _, t := range rep.ToolsInvoked {
		if !called[t] {
			m.ReportedToolsNotCalled = append(m.ReportedToolsNotCalled, t)
		}
	}
	sort.Strings(m.ReportedToolsNotCalled)
}

// TaskDir is where a task's results go.
func TaskDir(runDir, id string) string { return filepath.Join(runDir, "tasks", id) }

// WriteJSON writes v as indented JSON, atomically.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReadRun reads run.json.
func ReadRun(runDir string) (*Run, error) {
	var r Run
	if err := readJSON(filepath.Join(runDir, "run.json"), &r); err != nil {
		return nil, fmt.Errorf("read run: %w", err)
	}
	return &r, nil
}

// ReadMeta reads a task's meta.json; ok is false when the task has no complete result.
func ReadMeta(runDir, id string) (*Meta, bool, error) {
	var m Meta
	err := readJSON(filepath.Join(TaskDir(runDir, id), "meta.json"), &m)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &m, m.Complete, nil
}

// ReadMetas reads the complete results of the run's tasks, in the run's order.
func ReadMetas(runDir string, run *Run) ([]*Meta, error) {
	var out []*Meta
	for _, id := range run.Tasks {
		m, ok, err := ReadMeta(runDir, id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// ReadCalls returns the tool calls recorded in a task's transcript.
func ReadCalls(taskDir string) ([]transcript.ToolCall, error) {
	f, err := os.Open(filepath.Join(taskDir, "transcript.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("read transcript: %w", err)
	}
	defer f.Close()
	var calls []transcript.ToolCall
	dec := json.NewDecoder(f)
	for {
		var e transcript.Entry
		if err := dec.Decode(&e); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name(), err)
		}
		if e.Type == transcript.TypeToolCall && e.Call != nil {
			calls = append(calls, *e.Call)
		}
	}
	return calls, nil
}
