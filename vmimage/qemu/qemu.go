// Package qemu runs x86-64 virtual machines with QEMU for the golden pfSense image and the
// stand-in appliance: disks and copy-on-write overlays (qemu-img), user-mode NICs with port
// forwards on free host ports, the serial console, a QMP monitor for clean power-down,
// snapshots and quitting, and teardown that leaves no process or file behind.
package qemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/internal/tailbuf"
)

// SystemBinary and ImgBinary are the QEMU programs this package runs, looked up on PATH.
const (
	SystemBinary = "qemu-system-x86_64"
	ImgBinary    = "qemu-img"
)

// ErrNotInstalled is returned (wrapped) when QEMU is missing from the machine.
var ErrNotInstalled = errors.New("QEMU is not installed (tools/bootstrap/install-system-deps.sh installs qemu-system-x86 and qemu-utils)")

// Installed reports whether both QEMU programs are on PATH.
func Installed() error {
	for _, b := range []string{SystemBinary, ImgBinary} {
		if _, err := exec.LookPath(b); err != nil {
			return fmt.Errorf("%s not found on PATH: %w", b, ErrNotInstalled)
		}
	}
	return nil
}

// Forward maps a guest TCP port to a host port on 127.0.0.1. Host 0 picks a free port.
type Forward struct {
	Guest int
	Host  int
}

// NIC is one user-mode (slirp) network with an e1000 card.
type NIC struct {
	ID       string // netdev id, e.g. "wan0".
	Net      string // guest network, e.g. "10.0.2.0/24".
	MAC      string
	Forwards []Forward
}

// PfSenseNICs is the documented layout of the golden image: WAN (em0) with HTTPS and SSH
// forwarded, LAN (em1) and OPT1 (em2). The stand-in appliance boots with the same layout.
func PfSenseNICs() []NIC {
	return []NIC{
		{ID: "wan0", Net: "10.0.2.0/24", MAC: "52:54:00:00:00:01", Forwards: []Forward{{Guest: 443}, {Guest: 22}}},
		{ID: "lan0", Net: "10.0.3.0/24", MAC: "52:54:00:00:00:02"},
		{ID: "opt0", Net: "10.0.4.0/24", MAC: "52:54:00:00:00:03"},
	}
}

// Drive is a disk attached to the VM.
type Drive struct {
	Path   string
	Format string // "qcow2" or "raw".
	// USB attaches the drive as a USB stick (the pfSense memstick) instead of virtio.
	USB bool
	// BootIndex > 0 sets the boot order (1 boots first).
	BootIndex int
	ReadOnly  bool
}

// Config describes a VM.
type Config struct {
	Name     string // for logs and the work directory's name.
	MemoryMB int    // default 1024.
	CPUs     int    // default 1.
	Drives   []Drive
	NICs     []NIC
	// Kernel, Initrd and Append boot a Linux kernel directly (the stand-in appliance).
	Kernel, Initrd, Append string
	// Accel is "kvm", "tcg" or "" to choose (see ChooseAccel).
	Accel Accel
	// Dir is where the VM keeps its sockets and logs; default a new directory under
	// os.TempDir(). Close removes it either way.
	Dir string
	// ConsoleLog, when set, receives a copy of everything the serial console prints.
	ConsoleLog io.Writer
	// ExtraArgs are appended to QEMU's command line.
	ExtraArgs []string
	Logger    *slog.Logger
}

// VM is a running QEMU process.
type VM struct {
	cfg     Config
	accel   Accel
	dir     string
	ownDir  bool
	cmd     *exec.Cmd
	console *Console
	qmp     *qmpClient
	ports   map[int]int // guest port -> host port on the first NIC with forwards.
	stderr  *tailbuf.Buffer
	log     *slog.Logger

	exited  chan struct{}
	exitErr error

	closeOnce sync.Once
	closeErr  error
}

// Start boots a VM and returns once QEMU is running and its monitor answers.
// A bind race on a picked host port is retried with new ports.
func Start(ctx context.Context, cfg Config) (*VM, error) {
	if err := Installed(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	accel := cfg.Accel
	if accel == "" {
		a, reason := ChooseAccel(ctx)
		cfg.Logger.Info("qemu: accelerator", "accel", a, "why", reason)
		accel = a
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		vm, err := start(ctx, cfg, accel)
		if err == nil {
			return vm, nil
		}
		lastErr = err
		if !errors.Is(err, errPortTaken) {
			break
		}
		cfg.Logger.Warn("qemu: a picked host port was taken meanwhile; retrying", "attempt", attempt+1)
	}
	return nil, fmt.Errorf("start VM %s: %w", cfg.Name, lastErr)
}

var errPortTaken = errors.New("host port already in use")

func start(ctx context.Context, cfg Config, accel Accel) (_ *VM, err error) {
	vm := &VM{cfg: cfg, accel: accel, log: cfg.Logger, exited: make(chan struct{}), ports: map[int]int{}}
	if cfg.Dir != "" {
		vm.dir = cfg.Dir
		if err := os.MkdirAll(vm.dir, 0o700); err != nil {
			return nil, err
		}
	} else {
		d, err := os.MkdirTemp("", "vm-"+safeName(cfg.Name)+"-")
		if err != nil {
			return nil, err
		}
		vm.dir, vm.ownDir = d, true
	}
	defer func() {
		if err != nil {
			vm.kill()
			vm.removeDir()
			untrack(vm)
		}
	}()
	args, err := vm.args()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(SystemBinary, args...)
	// Its own process group, so Close can kill QEMU and anything it started; and killed
	// with us if this process dies without closing it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	vm.stderr = tailbuf.New(8 << 10)
	cmd.Stderr = vm.stderr
	vm.log.Info("qemu: starting", "vm", cfg.Name, "accel", accel, "dir", vm.dir, "ports", vm.ports)
	vm.log.Debug("qemu: command line", "args", strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", SystemBinary, err)
	}
	vm.cmd = cmd
	track(vm)
	vm.console = newConsole(stdout, stdin, cfg.ConsoleLog)
	go func() {
		vm.exitErr = cmd.Wait()
		vm.console.markClosed()
		close(vm.exited)
	}()
	qmpCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	q, err := dialQMP(qmpCtx, filepath.Join(vm.dir, "qmp.sock"), vm.exited)
	if err != nil {
		msg := vm.stderr.String()
		if strings.Contains(msg, "Could not set up host forwarding rule") {
			return nil, fmt.Errorf("%w: %s", errPortTaken, strings.TrimSpace(msg))
		}
		return nil, fmt.Errorf("connect to the QEMU monitor: %w; qemu said: %s", err, strings.TrimSpace(msg))
	}
	vm.qmp = q
	return vm, nil
}

func (vm *VM) args() ([]string, error) {
	c := vm.cfg
	mem := c.MemoryMB
	if mem == 0 {
		mem = 1024
	}
	cpus := c.CPUs
	if cpus == 0 {
		cpus = 1
	}
	args := []string{
		"-name", safeName(c.Name),
		"-nodefaults", "-no-user-config",
		"-display", "none", "-vga", "none",
		"-machine", "pc",
		"-m", strconv.Itoa(mem),
		"-smp", strconv.Itoa(cpus),
		// The serial console on QEMU's stdin and stdout; signal=off passes Ctrl-C to the guest.
		"-chardev", "stdio,id=serial0,signal=off",
		"-serial", "chardev:serial0",
		"-qmp", "unix:" + filepath.Join(vm.dir, "qmp.sock") + ",server=on,wait=off",
		"-device", "virtio-rng-pci",
	}
	switch vm.accel {
	case AccelKVM:
		args = append(args, "-accel", "kvm", "-cpu", "host")
	case AccelTCG:
		// A 256 MiB translation cache instead of QEMU's 1 GiB keeps parallel test VMs small.
		args = append(args, "-accel", "tcg,tb-size=256", "-cpu", "max")
	default:
		return nil, fmt.Errorf("accelerator %q: want %q or %q", vm.accel, AccelKVM, AccelTCG)
	}
	if c.Kernel != "" {
		args = append(args, "-kernel", c.Kernel)
		if c.Initrd != "" {
			args = append(args, "-initrd", c.Initrd)
		}
		if c.Append != "" {
			args = append(args, "-append", c.Append)
		}
	}
	usb := false
	for i, d := range c.Drives {
		if d.Path == "" {
			return nil, fmt.Errorf("drive %d: no path", i)
		}
		format := d.Format
		if format == "" {
			format = "qcow2"
		}
		id := fmt.Sprintf("disk%d", i)
		spec := fmt.Sprintf("file=%s,format=%s,if=none,id=%s", escapeComma(d.Path), format, id)
		if d.ReadOnly {
			spec += ",readonly=on"
		}
		args = append(args, "-drive", spec)
		dev := "virtio-blk-pci,drive=" + id
		if d.USB {
			if !usb {
				args = append(args, "-device", "usb-ehci,id=ehci")
				usb = true
			}
			dev = "usb-storage,bus=ehci.0,drive=" + id
		}
		if d.BootIndex > 0 {
			dev += ",bootindex=" + strconv.Itoa(d.BootIndex)
		}
		args = append(args, "-device", dev)
	}
	for _, n := range c.NICs {
		spec := "user,id=" + n.ID
		if n.Net != "" {
			spec += ",net=" + n.Net
		}
		for _, f := range n.Forwards {
			host := f.Host
			if host == 0 {
				p, err := FreePort()
				if err != nil {
					return nil, err
				}
				host = p
			}
			if _, dup := vm.ports[f.Guest]; !dup {
				vm.ports[f.Guest] = host
			}
			spec += fmt.Sprintf(",hostfwd=tcp:127.0.0.1:%d-:%d", host, f.Guest)
		}
		dev := "e1000,netdev=" + n.ID
		if n.MAC != "" {
			dev += ",mac=" + n.MAC
		}
		args = append(args, "-netdev", spec, "-device", dev)
	}
	return append(args, c.ExtraArgs...), nil
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// HostPort returns the host port forwarded to a guest TCP port, or 0.
func (vm *VM) HostPort(guest int) int { return vm.ports[guest] }

// Console is the VM's serial console.
func (vm *VM) Console() *Console { return vm.console }

// Accel is the accelerator the VM runs with.
func (vm *VM) Accel() Accel { return vm.accel }

// Dir is the VM's work directory (removed by Close).
func (vm *VM) Dir() string { return vm.dir }

// PID is QEMU's process id.
func (vm *VM) PID() int { return vm.cmd.Process.Pid }

// Exited is closed when QEMU has exited.
func (vm *VM) Exited() <-chan struct{} { return vm.exited }

// Wait waits for QEMU to exit (the guest powered off) or ctx to end.
func (vm *VM) Wait(ctx context.Context) error {
	select {
	case <-vm.exited:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for VM %s to power off: %w\n--- last console output ---\n%s", vm.cfg.Name, ctx.Err(), vm.console.Tail(2048))
	}
}

// Powerdown presses the ACPI power button and waits for the guest to power off.
func (vm *VM) Powerdown(ctx context.Context) error {
	if err := vm.qmp.execute(ctx, "system_powerdown", nil, nil); err != nil {
		select {
		case <-vm.exited:
			return nil
		default:
		}
		return fmt.Errorf("power down VM %s: %w", vm.cfg.Name, err)
	}
	return vm.Wait(ctx)
}

// SaveSnapshot saves the running VM (memory, devices and disks) as an internal snapshot of
// its qcow2 disks. Every writable disk must be qcow2.
func (vm *VM) SaveSnapshot(ctx context.Context, name string) error {
	start := time.Now()
	if err := vm.hmp(ctx, "savevm "+name); err != nil {
		return fmt.Errorf("save snapshot %s of VM %s: %w", name, vm.cfg.Name, err)
	}
	vm.log.Info("qemu: snapshot saved", "vm", vm.cfg.Name, "snapshot", name, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// LoadSnapshot resets the running VM to a snapshot saved by SaveSnapshot.
func (vm *VM) LoadSnapshot(ctx context.Context, name string) error {
	start := time.Now()
	if err := vm.hmp(ctx, "loadvm "+name); err != nil {
		return fmt.Errorf("load snapshot %s of VM %s: %w", name, vm.cfg.Name, err)
	}
	vm.log.Info("qemu: snapshot loaded", "vm", vm.cfg.Name, "snapshot", name, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// hmp runs a human monitor command that prints nothing when it succeeds (savevm, loadvm):
// HMP reports errors as output text, not as QMP errors.
func (vm *VM) hmp(ctx context.Context, cmd string) error {
	var out string
	if err := vm.qmp.execute(ctx, "human-monitor-command", map[string]any{"command-line": cmd}, &out); err != nil {
		return err
	}
	if out = strings.TrimSpace(out); out != "" {
		return errors.New(out)
	}
	return nil
}

// Close stops the VM: the ACPI power button first (so the guest can save its state), QMP
// quit when it does not power off within grace, then SIGKILL to QEMU's process group. It
// removes the VM's work directory. Close is idempotent and safe to defer.
func (vm *VM) Close() error {
	return vm.CloseWithin(20 * time.Second)
}

// CloseWithin is Close with a chosen grace period for the guest to power off.
func (vm *VM) CloseWithin(grace time.Duration) error {
	vm.closeOnce.Do(func() {
		select {
		case <-vm.exited:
		default:
			ctx, cancel := context.WithTimeout(context.Background(), grace)
			if err := vm.Powerdown(ctx); err != nil {
				vm.log.Warn("qemu: guest did not power off in time; quitting QEMU", "vm", vm.cfg.Name, "grace", grace)
				qctx, qcancel := context.WithTimeout(context.Background(), 3*time.Second)
				_ = vm.qmp.execute(qctx, "quit", nil, nil)
				qcancel()
				select {
				case <-vm.exited:
				case <-time.After(3 * time.Second):
				}
			}
			cancel()
		}
		vm.kill()
		if vm.qmp != nil {
			vm.qmp.close()
		}
		vm.closeErr = vm.removeDir()
		untrack(vm)
		vm.log.Info("qemu: stopped", "vm", vm.cfg.Name)
	})
	return vm.closeErr
}

// kill SIGKILLs QEMU's process group (if still there) and waits for it to be reaped.
func (vm *VM) kill() {
	if vm.cmd == nil || vm.cmd.Process == nil {
		return
	}
	select {
	case <-vm.exited:
		return
	default:
	}
	_ = syscall.Kill(-vm.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-vm.exited:
	case <-time.After(10 * time.Second):
		vm.log.Error("qemu: process did not die after SIGKILL", "pid", vm.cmd.Process.Pid)
	}
}

func (vm *VM) removeDir() error {
	if vm.dir == "" {
		return nil
	}
	if vm.ownDir {
		return os.RemoveAll(vm.dir)
	}
	// A caller-given directory stays, but what QEMU put there goes.
	for _, f := range []string{"qmp.sock"} {
		if err := os.Remove(filepath.Join(vm.dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Stderr returns what QEMU itself printed (its errors and warnings), last 8 KiB.
func (vm *VM) Stderr() string { return vm.stderr.String() }

func safeName(s string) string {
	if s == "" {
		return "vm"
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// escapeComma doubles commas, QEMU's escape inside option values.
func escapeComma(s string) string { return strings.ReplaceAll(s, ",", ",,") }
