// Package vmtest runs the bank tester's scripted plans against a booted golden VM
// (//vmimage:appliance: the stand-in appliance by default, real pfSense with
// --//vmimage:golden=pfsense), as `banktester --target vm` does.
package vmtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/consumer/scripted"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/mcpsession"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/runner"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/target"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/task"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/internal/taskgen"
	"github.com/pfsense-mcp/pfsense-mcp/banktester/prompt"
	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu/qemutest"
)

// Tasks that change the firewall run on a VM reset to its boot snapshot; the halt powers it
// off and runs last.
func TestScriptedTasksOnTheVM(t *testing.T) {
	if err := qemu.Installed(); err != nil {
		t.Skipf("the VM target needs QEMU: %v", err)
	}
	qemutest.CheckLeaks(t)
	m, err := appliance.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := mcpsession.Binary()
	if err != nil {
		t.Fatal(err)
	}
	all, err := taskgen.BuiltIn(tooldefs.Tools)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"action-halt": true, "read_only-overview": true, "crud-firewall_alias": true, "bulk_delete-services_cron": true, "scenario-audit-wan-rules": true}
	var selected []*task.Task
	for _, tk := range all {
		if want[tk.ID] {
			selected = append(selected, tk)
		}
	}
	if len(selected) != len(want) {
		t.Fatalf("selected %d tasks, want %d", len(selected), len(want))
	}
	var progress strings.Builder
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	sum, err := runner.Run(ctx, runner.Options{
		Consumer: scripted.Consumer{}, Provider: target.VM{Manifest: m, Dir: t.TempDir(), Logger: logger}, Workers: 1, Tasks: selected,
		OutDir: t.TempDir(), ServerBin: bin, ToolMode: "full", TaskTimeout: 3 * time.Minute, ResetTarget: true,
		SystemPrompt: prompt.Tester, Progress: io.MultiWriter(&progress, testWriter{t}),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range sum.PerTask {
		if line.Status != "success" {
			t.Errorf("task %s: %s %s", line.ID, line.Status, line.Note)
		}
	}
	if sum.Tasks.Success != len(want) {
		t.Errorf("tasks = %+v", sum.Tasks)
	}
	// The halt ran last.
	if !strings.Contains(progress.String(), fmt.Sprintf("[%d/%d] task", len(want), len(want))) || !strings.Contains(progress.String(), "action-halt: success") {
		t.Errorf("progress:\n%s", progress.String())
	}
	t.Logf("%s appliance: %d tasks, %d calls in %v", m.Kind, sum.Tasks.Done, sum.Calls.Total, time.Since(start).Round(time.Second))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
