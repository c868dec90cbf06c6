// Package vmtest runs the server's integration tests against a booted firewall VM: the
// golden pfSense image or the stand-in appliance (//vmimage:appliance, chosen with
// --//vmimage:golden). TestMain boots the VM once per test binary run, on its own overlay of
// the golden image, and tears it down afterwards, whatever happened; tests get the firewall
// from Ready.
//
//	bazel test //server:vm_test                            # the stand-in appliance
//	bazel test //server:vm_test --//vmimage:golden=pfsense # the real golden image
package vmtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu/qemutest"
)

// firewall is the booted appliance, set by TestMain.
var firewall *appliance.Running

// Ready returns the firewall under test: its HTTPS URL (the VM's WAN port 443 forwarded to
// 127.0.0.1), the golden image's API key, and the SHA-256 of its self-signed certificate.
func Ready(t testing.TB) appliance.Target {
	t.Helper()
	if firewall == nil {
		t.Fatal("no firewall VM: TestMain did not boot one")
	}
	return firewall.Target
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if err := qemu.Installed(); err != nil {
		// The only reason to skip: this machine cannot run a VM at all.
		fmt.Printf("SKIP: the VM tests need QEMU: %v\n", err)
		return 0
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	manifest, err := appliance.FromEnv()
	if err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	dir := filepath.Join(os.TempDir(), "vm_test")
	if d := os.Getenv("TEST_TMPDIR"); d != "" {
		dir = filepath.Join(d, "vm")
	}
	// The same tests run against either image: nothing below depends on the kind.
	fmt.Printf("vm_test: the %s appliance (--//vmimage:golden=%s); the same checks run against the stand-in and the real pfSense image\n", manifest.Kind, manifest.Kind)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	start := time.Now()
	r, err := appliance.Boot(ctx, manifest, appliance.BootOptions{Name: "vm_test", Dir: dir, Logger: log})
	cancel()
	if err != nil {
		fmt.Printf("FAIL: boot the %s appliance: %v\n", manifest.Kind, err)
		return leakCheck(1)
	}
	firewall = r
	fmt.Printf("vm_test: %s appliance ready at %s in %v (accelerator %s)\n", manifest.Kind, r.URL, time.Since(start).Round(time.Millisecond), r.VM.Accel())

	// Bazel's test timeout sends SIGTERM: stop the VM before going.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		s := <-sigs
		fmt.Printf("vm_test: %v: stopping the VM\n", s)
		r.Close()
		os.Exit(1)
	}()

	code := m.Run()
	if err := r.Close(); err != nil {
		fmt.Println("FAIL: stop the firewall VM:", err)
		code = 1
	}
	if _, err := os.Stat(filepath.Join(dir, "overlay.qcow2")); !os.IsNotExist(err) {
		fmt.Println("FAIL: the VM's overlay disk is still there after teardown")
		code = 1
	}
	return leakCheck(code)
}

// leakCheck fails the run when a VM or QEMU process outlived the tests.
func leakCheck(code int) int {
	if err := qemutest.Leaks(qemu.Started()); err != nil {
		fmt.Println("FAIL: leak check:", err)
		return 1
	}
	return code
}
