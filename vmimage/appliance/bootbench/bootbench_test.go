// Package bootbench measures booting the appliance (//vmimage:appliance) to a ready REST
// API. It is tagged manual; run it with
//
//	tools/bazel test //vmimage/appliance/bootbench:bootbench_test --test_output=streamed \
//	  --test_arg=-test.bench=. --test_arg=-test.run=^$ --test_arg=-test.benchtime=3x
package bootbench_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu/qemutest"
)

func manifest(b *testing.B) appliance.Manifest {
	b.Helper()
	if err := qemu.Installed(); err != nil {
		b.Skipf("cannot boot VMs: %v", err)
	}
	m, err := appliance.FromEnv()
	if err != nil {
		b.Fatal(err)
	}
	return m
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// BenchmarkBootToAPIReady: overlay, QEMU start, kernel and init, the API answering with the
// golden key, and teardown. Metric boot-s is the mean seconds to ready.
func BenchmarkBootToAPIReady(b *testing.B) {
	m := manifest(b)
	qemutest.CheckLeaks(b)
	accel, why := qemu.ChooseAccel(context.Background())
	b.Logf("accelerator %s (%s)", accel, why)
	var ready time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r, err := appliance.Boot(context.Background(), m, appliance.BootOptions{Name: "bench", Dir: b.TempDir(), Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		ready += time.Since(start)
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(ready.Seconds()/float64(b.N), "boot-s")
}

// BenchmarkSnapshotReset: the fast reset, loading a snapshot saved at API-ready and
// waiting for the API again. Metric reset-s is the mean seconds.
func BenchmarkSnapshotReset(b *testing.B) {
	m := manifest(b)
	qemutest.CheckLeaks(b)
	ctx := context.Background()
	r, err := appliance.Boot(ctx, m, appliance.BootOptions{Name: "bench-reset", Dir: b.TempDir(), Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	if err := r.VM.SaveSnapshot(ctx, "ready"); err != nil {
		b.Fatal(err)
	}
	c := r.Client(quiet)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.VM.LoadSnapshot(ctx, "ready"); err != nil {
			b.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		err := c.WaitReady(wctx, 100*time.Millisecond)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "reset-s")
}
