package runner

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/report"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/results"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/target"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/transcript"
)

// fakeTarget is a firewall that is healthy until a task "powers it off".
type fakeTarget struct {
	mu      sync.Mutex
	healthy bool
	resets  int
}

func (t *fakeTarget) Firewall() target.Firewall {
	return target.Firewall{URL: "https://127.0.0.1:1", APIKey: "k"}
}
func (t *fakeTarget) Healthy(context.Context) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.healthy
}
func (t *fakeTarget) Reset(context.Context) error {
	t.mu.Lock()
	t.resets++
	t.mu.Unlock()
	return nil
}
func (t *fakeTarget) Close() error { return nil }

type fakeProvider struct {
	mu      sync.Mutex
	started []*fakeTarget
}

func (p *fakeProvider) Name() string { return "fake" }
func (p *fakeProvider) Start(context.Context, int) (target.Running, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := &fakeTarget{healthy: true}
	p.started = append(p.started, t)
	return t, nil
}

// fakeConsumer acts out the task's id: ok, panic, slow, noreport, halt, stop, cancel.
type fakeConsumer struct {
	mu     sync.Mutex
	ran    []string
	stop   chan struct{}
	cancel context.CancelFunc
	tgt    func() *fakeTarget
}

func (c *fakeConsumer) Name() string  { return "fake" }
func (c *fakeConsumer) Model() string { return "fake-1" }
func (c *fakeConsumer) Run(ctx context.Context, job consumer.Job) (consumer.Outcome, error) {
	c.mu.Lock()
	c.ran = append(c.ran, job.Task.ID)
	c.mu.Unlock()
	rep := report.Render(&report.Report{TaskID: job.Task.ID, Status: "success"})
	out := consumer.Outcome{Text: rep, Final: rep, Usage: transcript.Usage{InputTokens: 10, OutputTokens: 2, Requests: 1},
		Calls: []transcript.ToolCall{{Seq: 1, Tool: "pfsense_overview", Target: "pfsense_overview"}}}
	switch {
	case strings.HasPrefix(job.Task.ID, "panic"):
		panic("consumer bug")
	case strings.HasPrefix(job.Task.ID, "slow"):
		<-ctx.Done()
		return consumer.Outcome{}, ctx.Err()
	case strings.HasPrefix(job.Task.ID, "noreport"):
		out.Text, out.Final = "I forgot the report.", "I forgot the report."
	case strings.HasPrefix(job.Task.ID, "halt"):
		c.tgt().mu.Lock()
		c.tgt().healthy = false
		c.tgt().mu.Unlock()
	case strings.HasPrefix(job.Task.ID, "stop"):
		close(c.stop)
	case strings.HasPrefix(job.Task.ID, "cancel"):
		c.cancel()
		<-ctx.Done()
		return consumer.Outcome{}, ctx.Err()
	}
	return out, nil
}

func tasks(ids ...string) []*task.Task {
	var out []*task.Task
	for _, id := range ids {
		out = append(out, &task.Task{ID: id, Title: id, Kind: "read_only", Body: "b", Disruptive: strings.HasSuffix(id, "-disruptive")})
	}
	return out
}

func options(t *testing.T, c *fakeConsumer, p *fakeProvider, ts []*task.Task) Options {
	return Options{Consumer: c, Provider: p, Workers: 1, Tasks: ts, OutDir: t.TempDir(), ServerBin: "/nonexistent",
		ToolMode: "full", TaskTimeout: time.Minute, ResetTarget: true, Stop: make(chan struct{})}
}

func TestFailuresAreRecordedAndTheRunGoesOn(t *testing.T) {
	c, p := &fakeConsumer{}, &fakeProvider{}
	o := options(t, c, p, tasks("ok1", "panic1", "slow1", "noreport1", "ok2"))
	o.TaskTimeout = 100 * time.Millisecond
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ status, note string }{
		"ok1":       {"success", ""},
		"panic1":    {"error", "the consumer panicked: consumer bug"},
		"slow1":     {"error", "timed out after 100ms: context deadline exceeded"},
		"noreport1": {"failed", "no usable report: no report: the final answer has no ---TASK-REPORT-START--- ... ---TASK-REPORT-END--- block"},
		"ok2":       {"success", ""},
	}
	for _, line := range sum.PerTask {
		w := want[line.ID]
		if line.Status != w.status || !strings.HasPrefix(line.Note, w.note) {
			t.Errorf("%s: status %s note %q, want %s %q", line.ID, line.Status, line.Note, w.status, w.note)
		}
	}
	if sum.Tasks != (results.TaskCounts{Total: 5, Done: 5, Success: 2, Failed: 1, Error: 2}) {
		t.Errorf("task counts = %+v", sum.Tasks)
	}
	// Tokens of every task that reported them, including the one without a report.
	if sum.Tokens.InputTokens != 30 || sum.Tokens.OutputTokens != 6 {
		t.Errorf("tokens = %+v", sum.Tokens)
	}
	// One target, reset before every task but the first.
	if len(p.started) != 1 || p.started[0].resets != 4 {
		t.Errorf("targets started %d, resets %d", len(p.started), p.started[0].resets)
	}
}

func TestDisruptiveTasksRunLastAndGetANewTarget(t *testing.T) {
	c, p := &fakeConsumer{}, &fakeProvider{}
	c.tgt = func() *fakeTarget { return p.started[len(p.started)-1] }
	o := options(t, c, p, tasks("a-disruptive", "halt-b", "c", "d-disruptive"))
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.ran, ","); got != "halt-b,c,a-disruptive,d-disruptive" {
		t.Errorf("order = %s", got)
	}
	// halt-b left the target unhealthy: c got a new one; each disruptive task is followed by a new one.
	if len(p.started) != 3 {
		t.Errorf("targets started: %d, want 3", len(p.started))
	}
}

func TestStopAndResume(t *testing.T) {
	c, p := &fakeConsumer{stop: make(chan struct{})}, &fakeProvider{}
	o := options(t, c, p, tasks("a", "stop-b", "c", "d"))
	o.Stop = c.stop
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Tasks.Done != 2 || sum.Tasks.NotRun != 2 || strings.Join(c.ran, ",") != "a,stop-b" {
		t.Fatalf("after stop: %+v, ran %v", sum.Tasks, c.ran)
	}
	// Resume: only c and d run.
	c2 := &fakeConsumer{}
	o.Consumer, o.Resume, o.Stop = c2, true, make(chan struct{})
	sum, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c2.ran, ",") != "c,d" || sum.Tasks.Done != 4 || sum.Tasks.Success != 4 {
		t.Errorf("resume ran %v; tasks %+v", c2.ran, sum.Tasks)
	}
	// Resuming with another consumer is refused.
	o.Consumer = &otherConsumer{}
	if _, err := Run(context.Background(), o); err == nil || !strings.Contains(err.Error(), "it was run with consumer fake") {
		t.Errorf("resume with another consumer: %v", err)
	}
}

type otherConsumer struct{ fakeConsumer }

func (*otherConsumer) Name() string { return "other" }

func TestAbortedTaskLeavesNoResult(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c, p := &fakeConsumer{cancel: cancel}, &fakeProvider{}
	o := options(t, c, p, tasks("a", "cancel-b", "c"))
	sum, err := Run(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
	if sum.Tasks.Done != 1 || sum.PerTask[0].ID != "a" {
		t.Errorf("after abort: %+v", sum.Tasks)
	}
	if _, ok, _ := results.ReadMeta(o.OutDir, "cancel-b"); ok {
		t.Error("the aborted task has a result")
	}
	c2 := &fakeConsumer{}
	o.Consumer, o.Resume = c2, true
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if strings.Join(c2.ran, ",") != "cancel-b,c" {
		t.Errorf("resume ran %v", c2.ran)
	}
}

type brokenProvider struct{ fakeProvider }

func (*brokenProvider) Start(context.Context, int) (target.Running, error) {
	return nil, errors.New("boot: no QEMU")
}

// A target that does not start fails each task with the reason, and the run ends normally.
func TestTargetFailure(t *testing.T) {
	c := &fakeConsumer{}
	o := options(t, c, &fakeProvider{}, tasks("a", "b"))
	o.Provider = &brokenProvider{}
	sum, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Tasks.Error != 2 || sum.PerTask[0].Note != "target: boot: no QEMU" || len(c.ran) != 0 {
		t.Errorf("tasks %+v, first note %q, ran %v", sum.Tasks, sum.PerTask[0].Note, c.ran)
	}
}

func TestServerEnv(t *testing.T) {
	env := ServerEnv(target.Firewall{URL: "https://127.0.0.1:8443", APIKey: "key", CertFingerprint: "ab:cd", Username: "admin", Password: "pw"},
		&task.Task{NeedsWrites: true}, "discovery", []string{"firewall", "routing"}, "/r/audit.jsonl")
	want := "PFSENSE_URL=https://127.0.0.1:8443 PFSENSE_API_KEY=key PFSENSE_TLS_FINGERPRINT=ab:cd PFSENSE_ALLOW_WRITES=true PFSENSE_ALLOW_DANGEROUS=false " +
		"PFSENSE_TOOL_MODE=discovery PFSENSE_AUDIT_LOG=/r/audit.jsonl PFSENSE_LOG_LEVEL=info PFSENSE_CONFIRM=token PFSENSE_USERNAME=admin PFSENSE_PASSWORD=pw PFSENSE_MODULES=firewall,routing"
	if got := strings.Join(env, " "); got != want {
		t.Errorf("ServerEnv =\n%s\nwant\n%s", got, want)
	}
}
