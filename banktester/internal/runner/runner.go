// Package runner runs tasks in parallel workers, each with its own firewall, and writes a
// task's result folder as soon as it is done. A task that crashes, errors or times out is
// recorded and the run goes on; a stopped run (Stop closed, or the context cancelled) leaves
// unfinished tasks without a result, so `--resume` runs exactly those again.
package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/mcpsession"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/results"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/target"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
)

// Options configure a run.
type Options struct {
	Consumer consumer.Consumer
	Provider target.Provider
	Workers  int
	Tasks    []*task.Task
	OutDir   string
	// Resume skips tasks that have a complete result in OutDir.
	Resume bool
	// ServerBin is the pfsense-mcp binary.
	ServerBin string
	ToolMode  string   // full or discovery
	Modules   []string // PFSENSE_MODULES for the server; empty = all
	// TaskTimeout bounds one task (the consumer is stopped and the task recorded as error).
	TaskTimeout time.Duration
	// ResetTarget puts a target that can be reset (the simulator) back into its initial state
	// before each task, so that tasks do not depend on what ran before them.
	ResetTarget  bool
	SystemPrompt string
	// Stop, when closed, stops handing out tasks; running tasks finish.
	Stop <-chan struct{}
	// Progress gets one line per finished task.
	Progress io.Writer
	Logger   *slog.Logger
	Command  []string // recorded in run.json
}

// Run runs the tasks and returns the summary of every complete result in OutDir. The error
// is ctx's when the run was cancelled.
func Run(ctx context.Context, o Options) (*results.Summary, error) {
	if o.Workers < 1 {
		o.Workers = 1
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if err := os.MkdirAll(filepath.Join(o.OutDir, "tasks"), 0o755); err != nil {
		return nil, fmt.Errorf("results folder: %w", err)
	}
	run, err := prepareRun(o)
	if err != nil {
		return nil, err
	}
	number := map[string]int{}
	for i, id := range run.Tasks {
		number[id] = i + 1
	}

	// Disruptive tasks (halt, reboot) go last.
	var queue []*task.Task
	skipped := 0
	for _, pass := range []bool{false, true} {
		for _, t := range o.Tasks {
			if t.Disruptive != pass {
				continue
			}
			if o.Resume {
				if _, ok, _ := results.ReadMeta(o.OutDir, t.ID); ok {
					skipped++
					continue
				}
			}
			queue = append(queue, t)
		}
	}
	if skipped > 0 {
		fmt.Fprintf(o.Progress, "resuming: %d of %d tasks already have a result\n", skipped, len(o.Tasks))
	}

	jobs := make(chan *task.Task)
	var wg sync.WaitGroup
	var mu sync.Mutex
	finished := skipped
	for w := 1; w <= min(o.Workers, max(len(queue), 1)); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			wk := &worker{id: w, o: o, run: run}
			defer wk.closeTarget()
			for t := range jobs {
				meta := wk.runTask(ctx, t)
				if meta == nil {
					continue // interrupted: no result, the task stays resumable
				}
				mu.Lock()
				finished++
				n := finished
				mu.Unlock()
				fmt.Fprintf(o.Progress, "[%d/%d] task %02d %s: %s in %s (%d calls, %d/%d first tries ok)%s\n", n, len(run.Tasks), number[t.ID], t.ID,
					meta.Status, time.Duration(meta.WallMS)*time.Millisecond, meta.Calls, meta.FirstAttemptOK, meta.FirstAttempts, noteOf(meta))
			}
		}(w)
	}
dispatch:
	for _, t := range queue {
		select {
		case jobs <- t:
		case <-o.Stop:
			break dispatch
		case <-ctx.Done():
			break dispatch
		}
	}
	close(jobs)
	wg.Wait()

	metas, err := results.ReadMetas(o.OutDir, run)
	if err != nil {
		return nil, err
	}
	sum := results.Summarize(run, metas)
	if err := results.WriteJSON(filepath.Join(o.OutDir, "summary.json"), sum); err != nil {
		return sum, fmt.Errorf("write summary: %w", err)
	}
	return sum, ctx.Err()
}

func noteOf(m *results.Meta) string {
	switch {
	case m.Error != "":
		return ": " + clip(m.Error, 160)
	case m.ReportError != "":
		return ": " + clip(m.ReportError, 160)
	}
	return ""
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// prepareRun writes run.json (or, resuming, checks it matches) with the exposure profiles
// the tasks need.
func prepareRun(o Options) (*results.Run, error) {
	run := &results.Run{Started: time.Now().UTC(), Consumer: o.Consumer.Name(), Model: o.Consumer.Model(), ToolMode: o.ToolMode,
		Target: o.Provider.Name(), Workers: o.Workers, Modules: o.Modules, Exposure: map[string][]string{}, Command: o.Command}
	if o.Resume {
		prev, err := results.ReadRun(o.OutDir)
		if err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
		if prev.Consumer != run.Consumer || prev.Model != run.Model || prev.ToolMode != run.ToolMode {
			return nil, fmt.Errorf("resume %s: it was run with consumer %s, model %q, tool mode %s; this run would use %s, %q, %s",
				o.OutDir, prev.Consumer, prev.Model, prev.ToolMode, run.Consumer, run.Model, run.ToolMode)
		}
		run.Started = prev.Started
		run.Tasks = prev.Tasks
		run.Exposure = prev.Exposure
	}
	have := map[string]bool{}
	for _, id := range run.Tasks {
		have[id] = true
	}
	for _, t := range o.Tasks {
		if !have[t.ID] {
			run.Tasks = append(run.Tasks, t.ID)
			have[t.ID] = true
		}
		key := exposureKey(t)
		if _, ok := run.Exposure[key]; !ok {
			names, err := exposed(t, o.Modules)
			if err != nil {
				return nil, err
			}
			run.Exposure[key] = names
		}
	}
	if err := results.WriteJSON(filepath.Join(o.OutDir, "run.json"), run); err != nil {
		return nil, fmt.Errorf("write run.json: %w", err)
	}
	return run, nil
}

// exposureKey names what the server may expose for a task.
func exposureKey(t *task.Task) string {
	switch {
	case t.NeedsDangerous:
		return "writes+dangerous"
	case t.NeedsWrites:
		return "writes"
	}
	return "read-only"
}

// exposed returns the tools the server exposes for t: the table through the server's own
// inventory, plus the server's tools.
func exposed(t *task.Task, modules []string) ([]string, error) {
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: t.NeedsWrites, AllowDangerous: t.NeedsDangerous, Modules: modules})
	if err != nil {
		return nil, err
	}
	names := mcpserver.OwnToolsFor(t.NeedsWrites)
	for _, tool := range inv.Exposed() {
		names = append(names, tool.Name)
	}
	sort.Strings(names)
	return names, nil
}

// worker owns one target and runs tasks on it one after the other.
type worker struct {
	id  int
	o   Options
	run *results.Run
	tgt target.Running
}

func (w *worker) closeTarget() {
	if w.tgt != nil {
		w.tgt.Close()
		w.tgt = nil
	}
}

// ensureTarget starts the worker's target, or replaces it when it stopped answering.
func (w *worker) ensureTarget(ctx context.Context) (target.Running, error) {
	if w.tgt != nil && w.tgt.Healthy(ctx) {
		if r, ok := w.tgt.(target.Resetter); ok && w.o.ResetTarget {
			if err := r.Reset(ctx); err != nil {
				return nil, fmt.Errorf("reset: %w", err)
			}
		}
		return w.tgt, nil
	}
	if w.tgt != nil {
		w.o.Logger.Info("target stopped answering; starting a new one", "worker", w.id)
		w.closeTarget()
	}
	t, err := w.o.Provider.Start(ctx, w.id)
	if err != nil {
		return nil, err
	}
	w.tgt = t
	return t, nil
}

// runTask runs one task and writes its result; nil means it was interrupted and left no result.
func (w *worker) runTask(ctx context.Context, t *task.Task) *results.Meta {
	dir := results.TaskDir(w.o.OutDir, t.ID)
	_ = os.RemoveAll(dir) // a previous, unfinished attempt
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.o.Logger.Error("task folder", "task", t.ID, "error", err)
		return nil
	}
	meta := &results.Meta{TaskID: t.ID, Title: t.Title, Kind: t.Kind, Module: t.Module, Consumer: w.o.Consumer.Name(), Model: w.o.Consumer.Model(),
		ToolMode: w.o.ToolMode, Worker: w.id, Exposure: exposureKey(t)}
	// The target is ready (booted, or reset) before the clock starts: wall time is the task's.
	tgt, tgtErr := w.ensureTarget(ctx)
	if ctx.Err() != nil {
		return nil
	}
	meta.Started = time.Now().UTC()
	start := time.Now()

	trFile, err := os.Create(filepath.Join(dir, "transcript.jsonl"))
	if err != nil {
		w.o.Logger.Error("transcript", "task", t.ID, "error", err)
		return nil
	}
	defer trFile.Close()
	tr := transcript.New(trFile)
	serverLog, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil
	}
	defer serverLog.Close()
	scratch, err := os.MkdirTemp("", "banktester-"+t.ID+"-")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(scratch)

	var outcome consumer.Outcome
	runErr := tgtErr
	if tgtErr != nil {
		runErr = fmt.Errorf("target: %w", tgtErr)
	} else {
		outcome, runErr = w.execute(ctx, t, tgt, tr, &syncWriter{w: serverLog}, filepath.Join(dir, "audit.jsonl"), scratch)
	}
	if ctx.Err() != nil {
		// Interrupted: leave no meta.json, so --resume runs the task again.
		tr.Write(transcript.Entry{Type: transcript.TypeError, Text: "interrupted: " + ctx.Err().Error()})
		return nil
	}
	meta.WallMS = time.Since(start).Milliseconds()
	meta.Usage = outcome.Usage
	meta.Turns = outcome.Turns
	meta.StopReason = outcome.StopReason
	meta.ExitCode = outcome.ExitCode
	meta.ToolsOffered = outcome.ToolsOffered
	meta.Calls = len(outcome.Calls)
	meta.FirstAttempts, meta.FirstAttemptOK = results.Attempts(outcome.Calls)
	meta.ToolsInvoked, meta.ToolsSucceeded = results.Invoked(outcome.Calls)
	meta.DiscoveryCalls = results.CountDiscovery(outcome.Calls)
	if runErr != nil {
		meta.Status = results.StatusError
		meta.Error = runErr.Error()
		tr.Write(transcript.Entry{Type: transcript.TypeError, Text: runErr.Error()})
	}
	rep, repErr := report.Parse(outcome.Text)
	meta.FromReport(rep, repErr)
	if rep != nil {
		if err := results.WriteJSON(filepath.Join(dir, "report.json"), rep); err != nil {
			w.o.Logger.Error("report.json", "task", t.ID, "error", err)
		}
	}
	if outcome.Final != "" {
		_ = os.WriteFile(filepath.Join(dir, "final.txt"), []byte(outcome.Final), 0o644)
	}
	meta.Complete = true
	if err := results.WriteJSON(filepath.Join(dir, "meta.json"), meta); err != nil {
		w.o.Logger.Error("meta.json", "task", t.ID, "error", err)
		return nil
	}
	if t.Disruptive {
		w.closeTarget() // the next task gets a fresh firewall
	}
	return meta
}

// execute runs the consumer on the task with a per-task timeout, turning a panic into an error.
func (w *worker) execute(ctx context.Context, t *task.Task, tgt target.Running, tr *transcript.Writer, serverLog io.Writer, auditPath, scratch string) (out consumer.Outcome, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the consumer panicked: %v\n%s", r, debug.Stack())
		}
	}()
	tctx := ctx
	if w.o.TaskTimeout > 0 {
		var cancel context.CancelFunc
		tctx, cancel = context.WithTimeout(ctx, w.o.TaskTimeout)
		defer cancel()
	}
	srv := mcpsession.Server{Bin: w.o.ServerBin, Env: ServerEnv(tgt.Firewall(), t, w.o.ToolMode, w.o.Modules, auditPath), Stderr: serverLog}
	tr.Write(transcript.Entry{Type: transcript.TypeSystem, Text: w.o.SystemPrompt,
		Details: map[string]any{"task": t.ID, "consumer": w.o.Consumer.Name(), "model": w.o.Consumer.Model(), "tool_mode": w.o.ToolMode, "worker": w.id}})
	tr.Write(transcript.Entry{Type: transcript.TypeUser, Text: t.Prompt()})
	job := consumer.Job{
		Task:         t,
		SystemPrompt: w.o.SystemPrompt,
		Server:       srv,
		Connect: func(ctx context.Context) (*mcpsession.Session, error) {
			return mcpsession.Start(ctx, srv, tr)
		},
		Transcript: tr,
		ToolMode:   w.o.ToolMode,
		ScratchDir: scratch,
	}
	out, err = w.o.Consumer.Run(tctx, job)
	if err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("timed out after %s: %w", w.o.TaskTimeout, err)
	}
	return out, err
}

// ServerEnv is the MCP server's whole environment for a task.
func ServerEnv(fw target.Firewall, t *task.Task, mode string, modules []string, auditPath string) []string {
	env := []string{
		"PFSENSE_URL=" + fw.URL,
		"PFSENSE_API_KEY=" + fw.APIKey,
		"PFSENSE_TLS_FINGERPRINT=" + fw.CertFingerprint,
		fmt.Sprintf("PFSENSE_ALLOW_WRITES=%t", t.NeedsWrites),
		fmt.Sprintf("PFSENSE_ALLOW_DANGEROUS=%t", t.NeedsDangerous),
		"PFSENSE_TOOL_MODE=" + mode,
		"PFSENSE_AUDIT_LOG=" + auditPath,
		"PFSENSE_LOG_LEVEL=info",
		// No human watches a bank-tester run: changes are confirmed with the preview's token,
		// and a client that declares elicitation (the Claude Code CLI) is not asked.
		"PFSENSE_CONFIRM=token",
	}
	if fw.Username != "" {
		env = append(env, "PFSENSE_USERNAME="+fw.Username, "PFSENSE_PASSWORD="+fw.Password)
	}
	if len(modules) > 0 {
		env = append(env, "PFSENSE_MODULES="+strings.Join(modules, ","))
	}
	return env
}

// syncWriter serializes writes from the server's stderr drain and anything else.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(bytes.Clone(p))
}
