package qemu

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	return judgeProbes(ctx, probeKVM)
}

// probeAttempts is how many times a slow KVM probe may run: one slow run on a machine busy
// with a build must not send every VM to TCG, where nothing fits its timeouts.
const probeAttempts = 3

// judgeProbes runs probe until it passes, at most probeAttempts times, and says what each
// attempt took.
func judgeProbes(ctx context.Context, probe func(context.Context) (time.Duration, error)) (Accel, string) {
	var tries []string
	for i := 0; i < probeAttempts; i++ {
		took, err := probe(ctx)
		if err == nil {
			tries = append(tries, took.Round(time.Millisecond).String())
			return AccelKVM, fmt.Sprintf("/dev/kvm works (probe %s)", strings.Join(tries, ", then "))
		}
		tries = append(tries, err.Error())
		// Only slowness can pass on another try; QEMU failing outright will again.
		if ctx.Err() != nil || !errors.Is(err, errProbeSlow) {
			break
		}
	}
	if len(tries) == 1 {
		return AccelTCG, "/dev/kvm is present but the KVM probe failed: " + tries[0]
	}
	return AccelTCG, fmt.Sprintf("/dev/kvm is present but the KVM probe failed %d times: %s", len(tries), strings.Join(tries, "; "))
}

// TimeoutScale is the factor by which waits tuned for KVM grow under accel: TCG emulates
// every instruction, and a stand-in boot that takes 2 s with KVM takes 12 s here.
func TimeoutScale(accel Accel) time.Duration {
	if accel == AccelTCG {
		return 6
	}
	return 1
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
		return took, fmt.Errorf("%w: clearing 4 MiB took over %v (nested virtualization without hardware assist?)", errProbeSlow, probeBudget)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 85 {
		return took, nil
	}
	msg, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return took, fmt.Errorf("probe VM: %v: %s", err, msg)
}

// errProbeSlow marks a probe that ran out of time, which a busy machine can cause.
var errProbeSlow = errors.New("too slow")
