// Command banktester drives the pfsense-mcp server with an AI consumer (the Claude Code CLI,
// the Anthropic Messages API, an OpenAI-compatible endpoint, or a scripted replay) against a
// firewall (a simulator or a golden VM per worker), following task files, and measures what
// the consumer achieves: coverage, first-attempt success, failures by category, tokens, time.
//
//	banktester [run] [flags]          run tasks (the default)
//	banktester generate --out DIR     write the generated task files and plans
//	banktester compare RUN_A RUN_B    compare two runs
//	banktester summary RUN_DIR        print (and rewrite) a run's summary
//	banktester record RUN_DIR TASK    turn a task's relayed calls into a plan for the scripted consumer
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/anthropic"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/claudecode"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/openai"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/scripted"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/mcpsession"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/plan"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/results"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/runner"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/target"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/taskgen"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/prompt"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/tasks"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/testvalues"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "run":
		return runCmd(args, stdout, stderr)
	case "generate":
		err = generateCmd(args, stdout, stderr)
	case "compare":
		err = compareCmd(args, stdout, stderr)
	case "summary":
		err = summaryCmd(args, stdout, stderr)
	case "record":
		err = recordCmd(args, stdout, stderr)
	case "help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "banktester: unknown command %q\n\n", cmd)
		usage(stderr)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "banktester %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  banktester [run] [flags]            run tasks with a consumer against a target (run -h for flags)
  banktester generate --out DIR       write the generated task files and their plans
  banktester compare RUN_A RUN_B      compare two runs (e.g. full mode against discovery mode)
  banktester summary RUN_DIR          print a run's summary again
  banktester record RUN_DIR TASK_ID   write the calls a consumer made in a task as a plan (TASK_ID.plan.json)

Consumers: scripted (replays plans; no model), anthropic (Messages API), openai (any
OpenAI-compatible chat completions endpoint: ollama, vLLM, llama.cpp), claude-code (the CLI).
`)
}

// runFlags are the flags of `banktester run`.
type runFlags struct {
	consumer, model, targetKind, toolMode, out, resume, tasksDir, filter, kinds, modules, serverModules string
	workers, limit, maxTurns, maxTokens                                                                 int
	taskTimeout                                                                                         time.Duration
	anthropicURL, openaiURL, openaiKeyEnv, claudeBin, appliance                                         string
	noGenerated, noHandwritten, list, keepState                                                         bool
	logLevel                                                                                            string
}

func (f *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.consumer, "consumer", "scripted", "who does the tasks: scripted, anthropic, openai or claude-code")
	fs.StringVar(&f.model, "model", "", "model for anthropic, openai and claude-code (e.g. claude-sonnet-4-5, qwen2.5:14b)")
	fs.StringVar(&f.targetKind, "target", "sim", "firewall per worker: sim (in-process simulator) or vm (golden VM on its own overlay, reset by snapshot before each task)")
	fs.StringVar(&f.appliance, "appliance", "", "with --target vm: the appliance manifest (default: //vmimage:appliance from the runfiles, or $PFSENSE_VM_APPLIANCE)")
	fs.StringVar(&f.toolMode, "tool-mode", "full", "server tool mode: full or discovery")
	fs.IntVar(&f.workers, "workers", 2, "parallel workers, each with its own firewall and server")
	fs.StringVar(&f.out, "out", "", "results folder (default ./banktester-results/<timestamp>, or $BUILD_WORKING_DIRECTORY/... under bazel run)")
	fs.StringVar(&f.resume, "resume", "", "resume the run in this results folder: its tasks without a complete result run, the others are kept (consumer, model and tool mode must match)")
	fs.StringVar(&f.tasksDir, "tasks", "", "run the task files (*.md, with optional *.plan.json) of this folder instead of the built-in ones")
	fs.BoolVar(&f.noGenerated, "no-generated", false, "leave out the generated tasks")
	fs.BoolVar(&f.noHandwritten, "no-handwritten", false, "leave out the hand-written tasks")
	fs.StringVar(&f.filter, "filter", "", "only tasks whose id matches this regular expression")
	fs.StringVar(&f.kinds, "kinds", "", "only tasks of these kinds (comma-separated: "+strings.Join(task.Kinds, ", ")+")")
	fs.StringVar(&f.modules, "modules", "", "only tasks of these modules (comma-separated)")
	fs.StringVar(&f.serverModules, "server-modules", "", "PFSENSE_MODULES for the server: expose only these modules")
	fs.IntVar(&f.limit, "limit", 0, "run at most this many tasks (after filtering)")
	fs.BoolVar(&f.list, "list", false, "list the selected tasks and exit")
	fs.DurationVar(&f.taskTimeout, "task-timeout", 15*time.Minute, "time limit per task")
	fs.IntVar(&f.maxTurns, "max-turns", 60, "model turns per task (anthropic, openai, claude-code)")
	fs.IntVar(&f.maxTokens, "max-tokens", 4096, "output tokens per model reply (anthropic, openai)")
	fs.StringVar(&f.anthropicURL, "anthropic-base-url", "https://api.anthropic.com", "Anthropic API base URL (key from $ANTHROPIC_API_KEY); also given to claude-code as ANTHROPIC_BASE_URL when not the default")
	fs.StringVar(&f.openaiURL, "openai-base-url", "http://127.0.0.1:11434", "OpenAI-compatible base URL, with or without /v1 (the default is a local ollama)")
	fs.StringVar(&f.openaiKeyEnv, "openai-api-key-env", "OPENAI_API_KEY", "environment variable holding the bearer key for the OpenAI-compatible endpoint (unset: no key)")
	fs.StringVar(&f.claudeBin, "claude-bin", "claude", "the Claude Code CLI")
	fs.BoolVar(&f.keepState, "keep-state", false, "do not reset the target before each task (simulator: its initial state; VM: its boot snapshot), so tasks see what earlier tasks on the worker left")
	fs.StringVar(&f.logLevel, "log-level", "warn", "bank tester log level (debug, info, warn, error)")
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("banktester run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f runFlags
	f.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: banktester [run] [flags]\n\nRuns task files against pfsense-mcp with a consumer and writes a results folder.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "banktester run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	code, err := doRun(f, args, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "banktester: %v\n", err)
	}
	return code
}

func doRun(f runFlags, args []string, stdout, stderr io.Writer) (int, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return 2, fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if f.toolMode != "full" && f.toolMode != "discovery" {
		return 2, fmt.Errorf("--tool-mode %q: want full or discovery", f.toolMode)
	}
	selected, err := selectTasks(f, stderr)
	if err != nil {
		return 2, err
	}
	if f.resume != "" {
		// Resuming runs the tasks of the run, whatever the filters say.
		if selected, err = tasksOfRun(resolvePath(f.resume), f, stderr); err != nil {
			return 2, err
		}
	}
	if f.list {
		for _, t := range selected {
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%d tools\n", t.ID, t.Kind, t.Module, len(t.Tools))
		}
		return 0, nil
	}
	if len(selected) == 0 {
		return 2, fmt.Errorf("no task matches the filters")
	}
	cons, err := newConsumer(f)
	if err != nil {
		return 2, err
	}
	provider, err := newProvider(f, logger)
	if err != nil {
		return 2, err
	}
	bin, err := mcpsession.Binary()
	if err != nil {
		return 2, err
	}
	out, resume := f.out, false
	if f.resume != "" {
		out, resume = resolvePath(f.resume), true
	}
	if out == "" {
		out = filepath.Join("banktester-results", time.Now().Format("20060102-150405"))
	}
	out = resolvePath(out)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
			return
		}
		fmt.Fprintln(stderr, "banktester: interrupted: no new tasks; running ones finish (interrupt again to abort them; the run stays resumable)")
		close(stop)
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "banktester: aborting running tasks")
			cancel()
		case <-ctx.Done():
		}
	}()

	fmt.Fprintf(stderr, "banktester: %d tasks, consumer %s, target %s, %d workers, tool mode %s; results in %s\n",
		len(selected), describeConsumer(cons), provider.Name(), f.workers, f.toolMode, out)
	sum, err := runner.Run(ctx, runner.Options{
		Consumer: cons, Provider: provider, Workers: f.workers, Tasks: selected, OutDir: out, Resume: resume,
		ServerBin: bin, ToolMode: f.toolMode, Modules: splitList(f.serverModules), TaskTimeout: f.taskTimeout, ResetTarget: !f.keepState,
		SystemPrompt: prompt.Tester, Stop: stop, Progress: stderr, Logger: logger, Command: append([]string{"banktester"}, args...),
	})
	if sum != nil {
		fmt.Fprintln(stdout)
		sum.Print(stdout)
		fmt.Fprintf(stdout, "\nresults: %s\n", out)
	}
	interrupted := false
	select {
	case <-stop:
		interrupted = true
	default:
	}
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		return 130, fmt.Errorf("run aborted; resume with --resume %s", out)
	case err != nil:
		return 1, err
	case interrupted:
		return 130, fmt.Errorf("run interrupted; resume with --resume %s", out)
	case sum.Tasks.Success != sum.Tasks.Done || sum.Tasks.NotRun > 0:
		return 1, nil
	}
	return 0, nil
}

func describeConsumer(c consumer.Consumer) string {
	if c.Model() == "" {
		return c.Name()
	}
	return c.Name() + " (" + c.Model() + ")"
}

// resolvePath makes relative paths relative to where the user ran `bazel run` from.
func resolvePath(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if wd := os.Getenv("BUILD_WORKING_DIRECTORY"); wd != "" {
		return filepath.Join(wd, p)
	}
	return p
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// allTasks returns the built-in tasks: generated from the tool table, then hand-written.
func allTasks(f runFlags, stderr io.Writer) ([]*task.Task, error) {
	if f.tasksDir != "" {
		return task.ReadDir(resolvePath(f.tasksDir))
	}
	var out []*task.Task
	if !f.noGenerated {
		gen, err := generate()
		if err != nil {
			return nil, err
		}
		if len(gen.Uncovered) > 0 {
			fmt.Fprintf(stderr, "banktester: warning: %d tools are only called with sampled arguments (add them to testvalues/values.json): %s\n",
				len(gen.Uncovered), strings.Join(gen.Uncovered, ", "))
		}
		out = append(out, gen.Tasks...)
	}
	if !f.noHandwritten {
		hand, err := tasks.Load()
		if err != nil {
			return nil, err
		}
		out = append(out, hand...)
	}
	return out, task.CheckUnique(out)
}

func generate() (*taskgen.Result, error) {
	v, err := testvalues.Default()
	if err != nil {
		return nil, err
	}
	return taskgen.Generate(tooldefs.Tools, v)
}

func selectTasks(f runFlags, stderr io.Writer) ([]*task.Task, error) {
	all, err := allTasks(f, stderr)
	if err != nil {
		return nil, err
	}
	var re *regexp.Regexp
	if f.filter != "" {
		if re, err = regexp.Compile(f.filter); err != nil {
			return nil, fmt.Errorf("--filter: %w", err)
		}
	}
	kinds := setOf(splitList(f.kinds))
	for k := range kinds {
		if !contains(task.Kinds, k) {
			return nil, fmt.Errorf("--kinds: %q is not a kind; valid: %s", k, strings.Join(task.Kinds, ", "))
		}
	}
	modules := setOf(splitList(f.modules))
	var out []*task.Task
	for _, t := range all {
		if re != nil && !re.MatchString(t.ID) || len(kinds) > 0 && !kinds[t.Kind] || len(modules) > 0 && !modules[t.Module] {
			continue
		}
		out = append(out, t)
		if f.limit > 0 && len(out) == f.limit {
			break
		}
	}
	return out, nil
}

// tasksOfRun returns the tasks a results folder was run with, in its order.
func tasksOfRun(dir string, f runFlags, stderr io.Writer) ([]*task.Task, error) {
	run, err := results.ReadRun(dir)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	all, err := allTasks(f, stderr)
	if err != nil {
		return nil, err
	}
	byID := map[string]*task.Task{}
	for _, t := range all {
		byID[t.ID] = t
	}
	var out []*task.Task
	for _, id := range run.Tasks {
		t, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("--resume %s: task %s of the run no longer exists (give --tasks if it came from a folder)", dir, id)
		}
		out = append(out, t)
	}
	return out, nil
}

func setOf(list []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range list {
		m[x] = true
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func newConsumer(f runFlags) (consumer.Consumer, error) {
	switch f.consumer {
	case "scripted":
		return scripted.Consumer{}, nil
	case "anthropic":
		if f.model == "" {
			return nil, fmt.Errorf("--consumer anthropic needs --model (e.g. claude-sonnet-4-5)")
		}
		key := os.Getenv("ANTHROPIC_API_KEY")
		if key == "" {
			return nil, fmt.Errorf("--consumer anthropic needs the API key in $ANTHROPIC_API_KEY")
		}
		return &anthropic.Consumer{BaseURL: f.anthropicURL, APIKey: key, ModelName: f.model, MaxTurns: f.maxTurns, MaxTokens: f.maxTokens}, nil
	case "openai":
		if f.model == "" {
			return nil, fmt.Errorf("--consumer openai needs --model (e.g. qwen2.5:14b for ollama)")
		}
		return &openai.Consumer{BaseURL: f.openaiURL, APIKey: os.Getenv(f.openaiKeyEnv), ModelName: f.model, MaxTurns: f.maxTurns, MaxTokens: f.maxTokens}, nil
	case "claude-code":
		c := &claudecode.Consumer{Bin: f.claudeBin, ModelName: f.model, MaxTurns: f.maxTurns}
		if f.anthropicURL != "https://api.anthropic.com" {
			c.BaseURL = f.anthropicURL
		}
		return c, nil
	}
	return nil, fmt.Errorf("--consumer %q: want scripted, anthropic, openai or claude-code", f.consumer)
}

func newProvider(f runFlags, logger *slog.Logger) (target.Provider, error) {
	switch f.targetKind {
	case "sim":
		return target.Simulator{Logger: logger}, nil
	case "vm":
		if err := qemu.Installed(); err != nil {
			return nil, fmt.Errorf("--target vm: %w", err)
		}
		var m appliance.Manifest
		var err error
		if f.appliance != "" {
			m, err = appliance.ReadFile(resolvePath(f.appliance))
		} else {
			m, err = appliance.FromEnv()
		}
		if err != nil {
			return nil, fmt.Errorf("--target vm: %w", err)
		}
		return target.VM{Manifest: m, Logger: logger}, nil
	}
	return nil, fmt.Errorf("--target %q: want sim or vm", f.targetKind)
}

func generateCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("banktester generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write the task files (<id>.md) and plans (<id>.plan.json) to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out is required")
	}
	gen, err := generate()
	if err != nil {
		return err
	}
	dir := resolvePath(*out)
	if err := task.WriteDir(dir, gen.Tasks); err != nil {
		return err
	}
	tools := map[string]bool{}
	for _, t := range gen.Tasks {
		for _, name := range t.Tools {
			tools[name] = true
		}
	}
	fmt.Fprintf(stdout, "wrote %d tasks covering %d tools to %s\n", len(gen.Tasks), len(tools), dir)
	if len(gen.Uncovered) > 0 {
		fmt.Fprintf(stdout, "%d tools are only called with sampled arguments: %s\n", len(gen.Uncovered), strings.Join(gen.Uncovered, ", "))
	}
	return nil
}

func compareCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("banktester compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the comparison as JSON here (default RUN_B/compare.json)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("want two results folders: banktester compare RUN_A RUN_B")
	}
	a, b := resolvePath(fs.Arg(0)), resolvePath(fs.Arg(1))
	sa, err := loadSummary(a)
	if err != nil {
		return err
	}
	sb, err := loadSummary(b)
	if err != nil {
		return err
	}
	c := results.Compare(a, sa, b, sb)
	c.Print(stdout)
	path := *out
	if path == "" {
		path = filepath.Join(b, "compare.json")
	}
	path = resolvePath(path)
	if err := results.WriteJSON(path, c); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwritten to %s\n", path)
	return nil
}

// loadSummary recomputes a run's summary from its task results.
func loadSummary(dir string) (*results.Summary, error) {
	run, err := results.ReadRun(dir)
	if err != nil {
		return nil, err
	}
	metas, err := results.ReadMetas(dir, run)
	if err != nil {
		return nil, err
	}
	return results.Summarize(run, metas), nil
}

func summaryCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("banktester summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one results folder: banktester summary RUN_DIR")
	}
	dir := resolvePath(fs.Arg(0))
	sum, err := loadSummary(dir)
	if err != nil {
		return err
	}
	sum.Print(stdout)
	return results.WriteJSON(filepath.Join(dir, "summary.json"), sum)
}

func recordCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("banktester record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "where to write the plan (default ./TASK_ID.plan.json)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("want a results folder and a task id: banktester record RUN_DIR TASK_ID")
	}
	dir, id := resolvePath(fs.Arg(0)), fs.Arg(1)
	calls, err := results.ReadCalls(results.TaskDir(dir, id))
	if err != nil {
		return err
	}
	p := plan.FromCalls(id, calls)
	if len(p.Steps) == 0 {
		return fmt.Errorf("task %s made no tool call to record", id)
	}
	data, err := p.Marshal()
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = id + ".plan.json"
	}
	path = resolvePath(path)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote a plan of %d steps to %s; put it next to the task file (TASK_ID.md) to replay it with --consumer scripted\n", len(p.Steps), path)
	return nil
}
