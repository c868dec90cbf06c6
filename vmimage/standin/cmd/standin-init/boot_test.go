//go:build linux

package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/golden"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu/qemutest"
)

// The init boots a payload that knows nothing of the simulator (internal/testpayload): it
// counts its boots on the data disk. Two boots on one disk must count 1 then 2, so the
// data disk is mounted, written and cleanly unmounted; the first ends with the ACPI power
// button (QEMU's system_powerdown), the second with the payload exiting on its own.
func TestInitRunsThePayloadAndKeepsTheDataDisk(t *testing.T) {
	if err := qemu.Installed(); err != nil {
		t.Skipf("cannot boot the stand-in: %v", err)
	}
	kernel, initrd := rlocation(t, "KERNEL_RLOCATION"), rlocation(t, "INITRD_RLOCATION")
	qemutest.CheckLeaks(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	disk := filepath.Join(t.TempDir(), "data.qcow2")
	if err := golden.NewDataDisk(ctx, disk, 64<<20); err != nil {
		t.Fatal(err)
	}
	m := appliance.Manifest{Kind: appliance.KindStandin, Kernel: kernel, Initrd: initrd, MemoryMB: 384}

	for boot := 1; boot <= 2; boot++ {
		vm, err := qemu.Start(ctx, m.VMConfig(fmt.Sprintf("init-test-%d", boot), disk))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { vm.Close() })
		got := waitVersion(t, ctx, vm)
		if got != boot {
			t.Errorf("boot %d: the payload counted %d boots", boot, got)
		}
		if boot == 1 {
			pctx, pcancel := context.WithTimeout(ctx, 60*time.Second)
			if err := vm.Powerdown(pctx); err != nil {
				t.Fatalf("power button: %v", err)
			}
			pcancel()
			for _, want := range []string{"power button pressed: stopping the payload", "testpayload: stopping: terminated", "reboot: Power down"} {
				if !strings.Contains(vm.Console().Tail(4096), want) {
					t.Errorf("console after the power button lacks %q:\n%s", want, vm.Console().Tail(4096))
				}
			}
		} else {
			post(t, ctx, vm, "/api/v2/diagnostics/halt_system")
			wctx, wcancel := context.WithTimeout(ctx, 60*time.Second)
			if err := vm.Wait(wctx); err != nil {
				t.Fatal(err)
			}
			wcancel()
			if !strings.Contains(vm.Console().Tail(4096), "standin-init: payload exited") {
				t.Errorf("console after halt:\n%s", vm.Console().Tail(4096))
			}
		}
		if err := vm.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func rlocation(t *testing.T, env string) string {
	t.Helper()
	loc := os.Getenv(env)
	if loc == "" {
		t.Skipf("$%s is not set: run this test with bazel test", env)
	}
	p, err := runfiles.Rlocation(loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var insecure = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DisableKeepAlives: true,
}}

func waitVersion(t *testing.T, ctx context.Context, vm *qemu.VM) int {
	t.Helper()
	url := fmt.Sprintf("https://127.0.0.1:%d/api/v2/system/version", vm.HostPort(443))
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := insecure.Get(url)
		if err == nil {
			var v struct {
				Data struct {
					Boots int `json:"boots"`
				} `json:"data"`
			}
			err = json.NewDecoder(resp.Body).Decode(&v)
			resp.Body.Close()
			if err == nil {
				return v.Data.Boots
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no answer from the payload: %v\n%s", ctx.Err(), vm.Console().Tail(3000))
		case <-vm.Exited():
			t.Fatalf("the VM stopped before the payload answered:\n%s", vm.Console().Tail(3000))
		case <-time.After(500 * time.Millisecond):
		}
	}
	t.Fatalf("no answer from the payload in 3 minutes:\n%s", vm.Console().Tail(3000))
	return 0
}

func post(t *testing.T, ctx context.Context, vm *qemu.VM, path string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("https://127.0.0.1:%d%s", vm.HostPort(443), path), nil)
	resp, err := insecure.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", path, resp.Status)
	}
}
