package golden

import (
	"context"
	"io"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// Machine is a running VM as a build stage needs it.
type Machine interface {
	// Console is the serial console; reads end with io.EOF when the machine is gone.
	Console() io.ReadWriter
	// Tail is the last n bytes the console printed.
	Tail(n int) string
	// HostPort is the host port forwarded to a guest TCP port on WAN.
	HostPort(guest int) int
	// Exited is closed when the machine is gone (powered off, or QEMU exited).
	Exited() <-chan struct{}
	// Close stops the machine (power button, then harder) and cleans up after it.
	Close() error
}

// Hypervisor starts machines and handles their disks. QEMU is the real one; tests use a
// scripted one.
type Hypervisor interface {
	// Accel is the accelerator machines run with and why it was chosen.
	Accel(ctx context.Context) (qemu.Accel, string)
	Start(ctx context.Context, cfg qemu.Config) (Machine, error)
	CreateDisk(ctx context.Context, path, size string) error
	// CreateOverlay makes a copy-on-write disk at path over the read-only base.
	CreateOverlay(ctx context.Context, base, path string) error
	// Convert writes src as a standalone, compacted qcow2 at dst.
	Convert(ctx context.Context, src, srcFormat, dst string) error
}

// QEMU is the Hypervisor of real builds.
type QEMU struct{}

func (QEMU) Accel(ctx context.Context) (qemu.Accel, string) { return qemu.ChooseAccel(ctx) }

func (QEMU) Start(ctx context.Context, cfg qemu.Config) (Machine, error) {
	vm, err := qemu.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return qemuMachine{vm}, nil
}

func (QEMU) CreateDisk(ctx context.Context, path, size string) error {
	return qemu.CreateDisk(ctx, path, size)
}

func (QEMU) CreateOverlay(ctx context.Context, base, path string) error {
	return qemu.CreateOverlay(ctx, base, path)
}

func (QEMU) Convert(ctx context.Context, src, srcFormat, dst string) error {
	return qemu.Convert(ctx, src, srcFormat, dst)
}

type qemuMachine struct{ vm *qemu.VM }

func (m qemuMachine) Console() io.ReadWriter  { return m.vm.Console() }
func (m qemuMachine) Tail(n int) string       { return m.vm.Console().Tail(n) }
func (m qemuMachine) HostPort(guest int) int  { return m.vm.HostPort(guest) }
func (m qemuMachine) Exited() <-chan struct{} { return m.vm.Exited() }
func (m qemuMachine) Close() error            { return m.vm.CloseWithin(5 * time.Second) }
