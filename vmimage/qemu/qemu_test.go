package qemu_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu/qemutest"
)

// echoBootSector prints a banner on COM1 and then echoes every byte it receives. Source:
//
//	cli; xor %ax,%ax; mov %ax,%ds; mov $msg,%si
//	print: lodsb; test %al,%al; jz echo; call putc; jmp print
//	echo: mov $0x3fd,%dx; 1: in %dx,%al; test $1,%al; jz 1b; mov $0x3f8,%dx; in %dx,%al; call putc; jmp echo
//	putc: mov %al,%ah; mov $0x3fd,%dx; 2: in %dx,%al; test $0x20,%al; jz 2b; mov %ah,%al; mov $0x3f8,%dx; out %al,%dx; ret
//	msg: .ascii "pfsense-mcp test guest: echoing\r\n\0"
var echoBootSector = []byte{
	0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0xbe, 0x34, 0x7c, 0xac, 0x84, 0xc0, 0x74,
	0x05, 0xe8, 0x13, 0x00, 0xeb, 0xf6, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01,
	0x74, 0xfb, 0xba, 0xf8, 0x03, 0xec, 0xe8, 0x02, 0x00, 0xeb, 0xef, 0x88,
	0xc4, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x20, 0x74, 0xfb, 0x88, 0xe0, 0xba,
	0xf8, 0x03, 0xee, 0xc3, 0x70, 0x66, 0x73, 0x65, 0x6e, 0x73, 0x65, 0x2d,
	0x6d, 0x63, 0x70, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x67, 0x75, 0x65,
	0x73, 0x74, 0x3a, 0x20, 0x65, 0x63, 0x68, 0x6f, 0x69, 0x6e, 0x67, 0x0d,
	0x0a, 0x00,
}

const banner = "pfsense-mcp test guest: echoing\r\n"

func requireQEMU(t testing.TB) {
	t.Helper()
	if err := qemu.Installed(); err != nil {
		t.Skipf("cannot run VMs on this machine: %v", err)
	}
}

// echoGolden writes the echo guest as a 16 MiB qcow2 "golden image" and returns its path.
func echoGolden(t testing.TB, dir string) string {
	t.Helper()
	raw := make([]byte, 16<<20)
	copy(raw, echoBootSector)
	raw[510], raw[511] = 0x55, 0xaa
	rawPath := filepath.Join(dir, "echo.raw")
	if err := os.WriteFile(rawPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(dir, "golden.qcow2")
	if err := qemu.Convert(context.Background(), rawPath, "raw", golden); err != nil {
		t.Fatal(err)
	}
	return golden
}

// readUntil reads the console until want appears or the deadline passes.
func readUntil(t *testing.T, c io.Reader, want string, d time.Duration) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		var buf bytes.Buffer
		b := make([]byte, 256)
		for !strings.Contains(buf.String(), want) {
			n, err := c.Read(b)
			buf.Write(b[:n])
			if err != nil {
				break
			}
		}
		got <- buf.String()
	}()
	select {
	case s := <-got:
		if !strings.Contains(s, want) {
			t.Fatalf("console ended without %q; got %q", want, s)
		}
		return s
	case <-time.After(d):
		t.Fatalf("console did not show %q within %v", want, d)
		return ""
	}
}

func startEcho(t *testing.T, disk string, grace time.Duration) *qemu.VM {
	t.Helper()
	vm, err := qemu.Start(context.Background(), qemu.Config{
		Name:     "echo",
		MemoryMB: 32,
		Drives:   []qemu.Drive{{Path: disk, Format: "qcow2"}},
		NICs:     qemu.PfSenseNICs(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := vm.CloseWithin(grace); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return vm
}

func TestBootConsoleForwardsAndTeardown(t *testing.T) {
	requireQEMU(t)
	qemutest.CheckLeaks(t)
	dir := t.TempDir()
	golden := echoGolden(t, dir)
	overlay := filepath.Join(dir, "overlay.qcow2")
	if err := qemu.CreateOverlay(context.Background(), golden, overlay); err != nil {
		t.Fatal(err)
	}
	vm := startEcho(t, overlay, 500*time.Millisecond)

	readUntil(t, vm.Console(), banner, 30*time.Second)
	if _, err := vm.Console().Write([]byte("xterm\r")); err != nil {
		t.Fatal(err)
	}
	readUntil(t, vm.Console(), "xterm\r", 10*time.Second)
	if tail := vm.Console().Tail(1 << 10); tail != banner+"xterm\r" {
		t.Errorf("Tail = %q, want %q", tail, banner+"xterm\r")
	}

	for _, guest := range []int{443, 22} {
		port := vm.HostPort(guest)
		if port == 0 {
			t.Fatalf("no host port for guest port %d", guest)
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
		if err != nil {
			t.Errorf("guest port %d: host port %d is not forwarded: %v", guest, port, err)
			continue
		}
		c.Close()
	}
	if vm.HostPort(443) == vm.HostPort(22) {
		t.Errorf("443 and 22 share host port %d", vm.HostPort(443))
	}
	if vm.HostPort(80) != 0 {
		t.Errorf("HostPort(80) = %d, want 0 (not forwarded)", vm.HostPort(80))
	}

	// The echo guest ignores the ACPI power button: Close must fall back to quitting QEMU.
	pid, vmDir := vm.PID(), vm.Dir()
	start := time.Now()
	if err := vm.CloseWithin(500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Close took %v", took)
	}
	if err := syscallKill0(pid); err == nil {
		t.Errorf("QEMU pid %d still runs after Close", pid)
	}
	if _, err := os.Stat(vmDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("VM directory %s still exists after Close (stat: %v)", vmDir, err)
	}
	if err := vm.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOverlayLeavesGoldenUntouched(t *testing.T) {
	requireQEMU(t)
	qemutest.CheckLeaks(t)
	dir := t.TempDir()
	golden := echoGolden(t, dir)
	sumBefore := fileSum(t, golden)
	if err := os.Chmod(golden, 0o444); err != nil { // as in Bazel's output tree.
		t.Fatal(err)
	}
	overlay := filepath.Join(dir, "overlay.qcow2")
	if err := qemu.CreateOverlay(context.Background(), golden, overlay); err != nil {
		t.Fatal(err)
	}
	backing, err := qemu.BackingFile(context.Background(), overlay)
	if err != nil {
		t.Fatal(err)
	}
	if backing != golden {
		t.Errorf("overlay backing file = %q, want %q", backing, golden)
	}
	vm := startEcho(t, overlay, 500*time.Millisecond)
	readUntil(t, vm.Console(), banner, 30*time.Second)

	// The snapshot lands in the overlay, never in the golden image.
	if err := vm.SaveSnapshot(context.Background(), "ready"); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.Console().Write([]byte("after\r")); err != nil {
		t.Fatal(err)
	}
	readUntil(t, vm.Console(), "after\r", 10*time.Second)
	if err := vm.LoadSnapshot(context.Background(), "ready"); err != nil {
		t.Fatal(err)
	}
	if err := vm.LoadSnapshot(context.Background(), "missing"); err == nil {
		t.Error("LoadSnapshot of a snapshot that does not exist succeeded")
	}
	out, err := exec.Command(qemu.ImgBinary, "snapshot", "-U", "-l", overlay).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ready") {
		t.Errorf("overlay snapshots: %v: %s; want one named ready", err, out)
	}
	if err := vm.CloseWithin(500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := fileSum(t, golden); got != sumBefore {
		t.Error("the golden image changed while a VM ran on its overlay")
	}
}

func TestStartFailureNamesTheCauseAndLeaksNothing(t *testing.T) {
	requireQEMU(t)
	qemutest.CheckLeaks(t)
	missing := filepath.Join(t.TempDir(), "no-such-disk.qcow2")
	_, err := qemu.Start(context.Background(), qemu.Config{
		Name:   "broken",
		Drives: []qemu.Drive{{Path: missing}},
	})
	if err == nil {
		t.Fatal("Start with a missing disk succeeded")
	}
	if !strings.Contains(err.Error(), "no-such-disk.qcow2") {
		t.Errorf("error does not name the missing disk: %v", err)
	}
}

func TestPoweredOffGuestEndsWait(t *testing.T) {
	requireQEMU(t)
	qemutest.CheckLeaks(t)
	dir := t.TempDir()
	vm := startEcho(t, echoGolden(t, dir), 500*time.Millisecond)
	readUntil(t, vm.Console(), banner, 30*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := vm.Wait(ctx)
	if err == nil || !strings.Contains(err.Error(), "pfsense-mcp test guest") {
		t.Errorf("Wait on a running guest = %v, want a timeout showing the console tail", err)
	}
}

func fileSum(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
