// Package appliance boots a golden image for tests: the real pfSense image or the stand-in
// appliance, described by a manifest that the build writes (//vmimage:appliance). Each Boot
// runs the VM on its own copy-on-write overlay of the golden disk, waits until the REST API
// answers with the image's API key, and returns the Target to test against.
package appliance

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// Kinds of appliance.
const (
	KindStandin = "standin" // the Debian kernel + initramfs running the API simulator.
	KindPfSense = "pfsense" // the golden pfSense CE image.
)

// RlocationEnv names the manifest's runfiles location; a test sets it with
//
//	data = ["//vmimage:appliance"],
//	env = {"PFSENSE_VM_APPLIANCE_RLOCATION": "$(rlocationpath //vmimage:appliance)"},
const RlocationEnv = "PFSENSE_VM_APPLIANCE_RLOCATION"

// StandinAppend is the stand-in kernel's command line.
const StandinAppend = "console=ttyS0 quiet panic=-1"

// Manifest describes a golden image. Paths are runfiles locations in the file the build
// writes and absolute paths once resolved.
type Manifest struct {
	Kind     string `json:"kind"`
	Disk     string `json:"disk"`
	APIKey   string `json:"api_key"`
	Kernel   string `json:"kernel,omitempty"`
	Initrd   string `json:"initrd,omitempty"`
	MemoryMB int    `json:"memory_mb"`
}

// PathEnv names a manifest file directly (outside Bazel); its relative paths are relative
// to the manifest's directory.
const PathEnv = "PFSENSE_VM_APPLIANCE"

// FromEnv reads the manifest named by $PFSENSE_VM_APPLIANCE_RLOCATION (resolving its paths
// in the runfiles) or else by $PFSENSE_VM_APPLIANCE.
func FromEnv() (Manifest, error) {
	if loc := os.Getenv(RlocationEnv); loc != "" {
		path, err := runfiles.Rlocation(loc)
		if err != nil {
			return Manifest{}, fmt.Errorf("find the appliance manifest %s: %w", loc, err)
		}
		return Read(path, runfiles.Rlocation)
	}
	if path := os.Getenv(PathEnv); path != "" {
		return ReadFile(path)
	}
	return Manifest{}, fmt.Errorf("no appliance: under Bazel depend on //vmimage:appliance (data) and set $%s to $(rlocationpath //vmimage:appliance); elsewhere set $%s to a manifest file", RlocationEnv, PathEnv)
}

// ReadFile reads a manifest whose relative paths are relative to its own directory.
func ReadFile(path string) (Manifest, error) {
	dir := filepath.Dir(path)
	return Read(path, func(p string) (string, error) {
		if filepath.IsAbs(p) {
			return p, nil
		}
		return filepath.Abs(filepath.Join(dir, p))
	})
}

// Read reads a manifest and resolves its paths with resolve.
func Read(path string, resolve func(string) (string, error)) (Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("read appliance manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("appliance manifest %s: %w", path, err)
	}
	switch m.Kind {
	case KindStandin:
		if m.Kernel == "" || m.Initrd == "" {
			return Manifest{}, fmt.Errorf("appliance manifest %s: kind standin needs kernel and initrd", path)
		}
	case KindPfSense:
	default:
		return Manifest{}, fmt.Errorf("appliance manifest %s: kind %q: want %q or %q", path, m.Kind, KindStandin, KindPfSense)
	}
	for _, p := range []*string{&m.Disk, &m.APIKey, &m.Kernel, &m.Initrd} {
		if *p == "" {
			continue
		}
		r, err := resolve(*p)
		if err != nil {
			return Manifest{}, fmt.Errorf("appliance manifest %s: %w", path, err)
		}
		*p = r
	}
	if m.Disk == "" || m.APIKey == "" {
		return Manifest{}, fmt.Errorf("appliance manifest %s: disk and api_key are required", path)
	}
	return m, nil
}

// VMConfig is how to boot the appliance with disk as its (overlay) disk.
func (m Manifest) VMConfig(name, disk string) qemu.Config {
	cfg := qemu.Config{
		Name:     name,
		MemoryMB: m.MemoryMB,
		Drives:   []qemu.Drive{{Path: disk, Format: "qcow2"}},
		NICs:     qemu.PfSenseNICs(),
	}
	if m.Kind == KindStandin {
		cfg.Kernel, cfg.Initrd, cfg.Append = m.Kernel, m.Initrd, StandinAppend
	}
	if cfg.MemoryMB == 0 {
		cfg.MemoryMB = 2048
	}
	return cfg
}

// Target is a firewall ready for tests.
type Target struct {
	URL             string // https://127.0.0.1:PORT, the VM's WAN port 443.
	APIKey          string
	CertFingerprint string // SHA-256 (hex) of the firewall's self-signed certificate.
}

// Running is a booted appliance.
type Running struct {
	Target
	VM       *qemu.VM
	Manifest Manifest
	dir      string
}

// BootOptions tune Boot.
type BootOptions struct {
	Name string
	// ReadyTimeout bounds boot-to-API-ready; default 30 s for the stand-in (times
	// qemu.TimeoutScale: 3 min under TCG) and 10 min for pfSense.
	ReadyTimeout time.Duration
	// Dir holds the overlay; default a new temporary directory. Removed by Close.
	Dir    string
	Logger *slog.Logger
}

// Boot creates an overlay of the golden disk, boots it, and waits until the REST API
// answers GET /api/v2/system/version with the image's API key. On failure nothing is left
// running and the error shows the end of the console.
func Boot(ctx context.Context, m Manifest, opts BootOptions) (_ *Running, err error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Name == "" {
		opts.Name = m.Kind
	}
	accel, why := qemu.ChooseAccel(ctx)
	if m.Kind == KindPfSense && accel != qemu.AccelKVM {
		return nil, fmt.Errorf("boot the real pfSense image: it needs KVM, and %s; under TCG its boot alone outlasts a test's timeout (vmimage/README.md; --test_env=%s=kvm forces KVM)", why, qemu.AccelEnv)
	}
	if opts.ReadyTimeout == 0 {
		// The stand-in answers 2 s after boot with KVM, 12 s under TCG; pfSense 60-90 s
		// after its upgrade (seed vm/UPGRADE-LEARNINGS.md, "Timing"), with KVM only.
		opts.ReadyTimeout = 30 * time.Second * qemu.TimeoutScale(accel)
		if m.Kind == KindPfSense {
			opts.ReadyTimeout = 10 * time.Minute
		}
	}
	keyb, err := os.ReadFile(m.APIKey)
	if err != nil {
		return nil, fmt.Errorf("read the API key file: %w", err)
	}
	key := strings.TrimSpace(string(keyb))
	dir := opts.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "appliance-"); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	r := &Running{Manifest: m, dir: dir}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	overlay := filepath.Join(dir, "overlay.qcow2")
	start := time.Now()
	if err := qemu.CreateOverlay(ctx, m.Disk, overlay); err != nil {
		return nil, err
	}
	cfg := m.VMConfig(opts.Name, overlay)
	cfg.Logger = opts.Logger
	vm, err := qemu.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	r.VM = vm
	r.URL = "https://127.0.0.1:" + strconv.Itoa(vm.HostPort(443))
	c := apisetup.New(r.URL, opts.Logger)
	c.APIKey = key
	rctx, cancel := context.WithTimeout(ctx, opts.ReadyTimeout)
	defer cancel()
	ready := make(chan error, 1)
	go func() { ready <- c.WaitReady(rctx, time.Second) }()
	select {
	case err := <-ready:
		if err != nil {
			return nil, fmt.Errorf("boot %s (%s): %w\n--- last console output ---\n%s\n--- qemu ---\n%s", m.Kind, vm.Accel(), err, vm.Console().Tail(3000), vm.Stderr())
		}
	case <-vm.Exited():
		cancel()
		<-ready
		return nil, fmt.Errorf("boot %s: the VM powered off before its API answered\n--- last console output ---\n%s\n--- qemu ---\n%s", m.Kind, vm.Console().Tail(3000), vm.Stderr())
	}
	r.APIKey = key
	r.CertFingerprint = c.CertFingerprint()
	opts.Logger.Info("appliance: ready", "kind", m.Kind, "url", r.URL, "accel", vm.Accel(), "boot_to_ready", time.Since(start).Round(time.Millisecond))
	return r, nil
}

// Client returns an API client for the target, authenticated with its key and pinned to
// its certificate.
func (r *Running) Client(logger *slog.Logger) *apisetup.Client {
	c := apisetup.New(r.URL, logger)
	c.APIKey = r.APIKey
	return c
}

// Close stops the VM and removes the overlay.
func (r *Running) Close() error {
	var err error
	if r.VM != nil {
		err = r.VM.Close()
	}
	if rerr := os.RemoveAll(r.dir); err == nil {
		err = rerr
	}
	return err
}
