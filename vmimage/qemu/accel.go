package qemu

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// Accel is a QEMU accelerator.
type Accel string

const (
	AccelKVM Accel = "kvm"
	AccelTCG Accel = "tcg" // software emulation: slower, works everywhere.
)

// AccelEnv overrides the choice: "kvm" or "tcg".
const AccelEnv = "PFSENSE_VM_ACCEL"

// probeBootSector is a real-mode boot sector that clears 64 x 64 KiB with `rep stosw` and
// then writes 42 to the isa-debug-exit port (QEMU exits with status 85). Source:
//
//	cli; mov $0x1000,%ax; mov %ax,%es; mov $64,%bx
//	1: xor %di,%di; mov $0x8000,%cx; xor %ax,%ax; rep stosw; dec %bx; jnz 1b
//	mov $0x2a,%al; out %al,$0xf4; hlt
var probeBootSector = []byte{
	0xfa, 0xb8, 0x00, 0x10, 0x8e, 0xc0, 0xbb, 0x40, 0x00, 0x31, 0xff, 0xb9,
	0x00, 0x80, 0x31, 0xc0, 0xf3, 0xab, 0x4b, 0x75, 0xf4, 0xb0, 0x2a, 0xe6,
	0xf4, 0xf4,
}

// probeBudget is how long the KVM probe may take. Healthy KVM runs it in well under 0.3 s
// (QEMU's own start-up included); nested KVM without hardware assist emulates every string
// instruction and takes seconds, which makes a Linux boot take minutes. TCG takes 0.1 s.
const probeBudget = 1500 * time.Millisecond

var (
	accelOnce   sync.Once
	accelChoice Accel
	accelReason string
)

// ChooseAccel picks KVM when /dev/kvm is usable and fast, TCG otherwise, and says why.
// $PFSENSE_VM_ACCEL forces one. The answer is computed once per process.
func ChooseAccel(ctx context.Context) (Accel, string) {
	accelOnce.Do(func() {
		accelChoice, accelReason = chooseAccel(ctx)
	})
	return accelChoice, accelReason
}

func chooseAccel(ctx context.Context) (Accel, string) {
	switch v := os.Getenv(AccelEnv); v {
	case string(AccelKVM), string(AccelTCG):
		return Accel(v), "forced by $" + AccelEnv
	case "":
	default:
		return AccelTCG, fmt.Sprintf("$%s=%q is neither kvm nor tcg; using tcg", AccelEnv, v)
	}
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return AccelTCG, fmt.Sprintf("/dev/kvm is not usable (%v)", err)
	}
	f.Close()
	took, err := probeKVM(ctx)
	if err != nil {
		return AccelTCG, fmt.Sprintf("/dev/kvm is present but the KVM probe failed: %v", err)
	}
	return AccelKVM, fmt.Sprintf("/dev/kvm works (probe %v)", took.Round(time.Millisecond))
}

// probeKVM boots probeBootSector with KVM and times it.
func probeKVM(ctx context.Context) (time.Duration, error) {
	if err := Installed(); err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "kvm-probe-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	img := make([]byte, 512)
	copy(img, probeBootSector)
	img[510], img[511] = 0x55, 0xaa
	path := filepath.Join(dir, "probe.img")
	if err := os.WriteFile(path, img, 0o600); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, probeBudget)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, SystemBinary, "-nodefaults", "-no-user-config", "-display", "none",
		"-machine", "pc", "-accel", "kvm", "-cpu", "host", "-m", "16",
		"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
		"-drive", "file="+escapeComma(path)+",format=raw,if=ide")
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if ctx.Err() != nil {
		return took, fmt.Errorf("clearing 4 MiB took over %v (nested virtualization without hardware assist?)", probeBudget)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 85 {
		return took, nil
	}
	return took, fmt.Errorf("probe VM: %v: %s", err, out)
}
