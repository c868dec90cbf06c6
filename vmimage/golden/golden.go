// Package golden builds golden images: the real pfSense CE image from the serial memstick
// (install, first boot, upgrade to 2.8.1, REST API setup) and the stand-in appliance's
// image, through the same QEMU, console and REST API code. Each build leaves a compact
// standalone qcow2 and the API key file.
package golden

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/pfsense"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// Output is where a build writes.
type Output struct {
	Image  string // golden.qcow2
	APIKey string // api-key.txt
}

// KeyDescr describes the API key golden images carry.
const KeyDescr = "pfsense-mcp golden image"

// StandinOptions configure BuildStandin.
type StandinOptions struct {
	Kernel, Initrd string
	Out            Output
	// DiskSize of the data disk; default 256 MiB.
	DiskSize int64
	Logger   *slog.Logger
}

// BuildStandin makes the stand-in's golden image: an empty ext4 data disk, booted with the
// stand-in kernel and initramfs; over the WAN port forward the API gets KeyAuth and a new
// key; then the appliance halts (the simulator saves its state on the disk).
func BuildStandin(ctx context.Context, o StandinOptions) error {
	log := logger(o.Logger)
	work, err := os.MkdirTemp("", "golden-standin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	size := o.DiskSize
	if size == 0 {
		size = 256 << 20
	}
	disk := filepath.Join(work, "disk.qcow2")
	if err := NewDataDisk(ctx, disk, size); err != nil {
		return err
	}
	m := appliance.Manifest{Kind: appliance.KindStandin, Kernel: o.Kernel, Initrd: o.Initrd, MemoryMB: 512}
	cfg := m.VMConfig("golden-standin", disk)
	cfg.Logger = log
	key, err := configureAndHalt(ctx, cfg, apisetup.Plan{KeyDescr: KeyDescr}, 3*time.Minute, log)
	if err != nil {
		return err
	}
	return finish(ctx, disk, key, o.Out, log)
}

// PfSenseOptions configure BuildPfSense.
type PfSenseOptions struct {
	Memstick string // pfSense-CE-memstick-serial-2.7.2-RELEASE-amd64.img(.gz)
	Out      Output
	// Upgrade to 2.8.1 (default in the Bazel target): the REST API v2.7.1 package needs it.
	Upgrade bool
	// RESTAPIPackage is the package for the final version; default pfsense.RESTAPIPackage281
	// when upgrading. Without the upgrade it must be a build for 2.7.2.
	RESTAPIPackage string
	Packages       []string
	Logger         *slog.Logger
}

// BuildPfSense installs pfSense from the memstick and configures it; see the package doc.
func BuildPfSense(ctx context.Context, o PfSenseOptions) error {
	log := logger(o.Logger)
	if !o.Upgrade && o.RESTAPIPackage == "" {
		return errors.New("without the upgrade, a REST API package URL for pfSense 2.7.2 is required (the v2.7.1 package needs 2.8.1)")
	}
	work, err := os.MkdirTemp("", "golden-pfsense-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	stick := filepath.Join(work, "memstick.img")
	if err := unpackMemstick(o.Memstick, stick); err != nil {
		return err
	}
	disk := filepath.Join(work, "disk.qcow2")
	if err := qemu.CreateDisk(ctx, disk, "4G"); err != nil {
		return err
	}
	sessionOpts := console.Options{Pause: time.Second, KeyGap: 500 * time.Millisecond, Logger: log}

	log.Info("golden: installing pfSense from the memstick (3-5 min with KVM)")
	install := qemu.Config{
		Name: "golden-pfsense-install", MemoryMB: 2048, Logger: log,
		Drives: []qemu.Drive{
			{Path: disk, Format: "qcow2", BootIndex: 2},
			{Path: stick, Format: "raw", USB: true, BootIndex: 1, ReadOnly: true},
		},
		NICs: qemu.PfSenseNICs(),
	}
	if err := runConsole(ctx, install, sessionOpts, pfsense.InstallSteps()); err != nil {
		return fmt.Errorf("install: %w", err)
	}

	log.Info("golden: first boot (and upgrade to 2.8.1 when asked; about 15 min)")
	cfg := qemu.Config{Name: "golden-pfsense", MemoryMB: 2048, Logger: log, Drives: []qemu.Drive{{Path: disk, Format: "qcow2"}}, NICs: qemu.PfSenseNICs()}
	var steps []console.Step
	if o.Upgrade {
		steps = append(pfsense.FirstBootSteps(pfsense.FirstBootOptions{}), pfsense.UpgradeSteps(pfsense.UpgradeOptions{RESTAPIPackageURL: o.RESTAPIPackage})...)
	} else {
		steps = pfsense.FirstBootSteps(pfsense.FirstBootOptions{RESTAPIPackageURL: o.RESTAPIPackage})
	}
	packages := o.Packages
	if packages == nil {
		packages = apisetup.Packages
	}
	key, err := configureAndHalt(ctx, cfg, apisetup.Plan{KeyDescr: KeyDescr, Packages: packages, LANDHCP: true}, 10*time.Minute, log, steps...)
	if err != nil {
		return err
	}
	return finish(ctx, disk, key, o.Out, log)
}

// runConsole boots cfg, runs steps on its serial console, and stops the VM.
func runConsole(ctx context.Context, cfg qemu.Config, opts console.Options, steps []console.Step) error {
	vm, err := qemu.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer vm.CloseWithin(5 * time.Second)
	s, err := console.Open(vm.Console(), opts)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Run(ctx, steps)
}

// configureAndHalt boots cfg, runs the console steps, configures the REST API over the
// WAN port forward, halts the firewall and waits for the VM to power off. It returns the key.
func configureAndHalt(ctx context.Context, cfg qemu.Config, plan apisetup.Plan, ready time.Duration, log *slog.Logger, steps ...console.Step) (string, error) {
	vm, err := qemu.Start(ctx, cfg)
	if err != nil {
		return "", err
	}
	defer vm.CloseWithin(5 * time.Second)
	if len(steps) > 0 {
		s, err := console.Open(vm.Console(), console.Options{Pause: time.Second, KeyGap: 500 * time.Millisecond, Logger: log})
		if err != nil {
			return "", err
		}
		err = s.Run(ctx, steps)
		s.Close()
		if err != nil {
			return "", err
		}
	}
	c := apisetup.New("https://127.0.0.1:"+strconv.Itoa(vm.HostPort(443)), log)
	rctx, cancel := context.WithTimeout(ctx, ready)
	err = c.WaitReady(rctx, 2*time.Second)
	cancel()
	if err != nil {
		return "", fmt.Errorf("%w\n--- last console output ---\n%s", err, vm.Console().Tail(3000))
	}
	key, err := c.Setup(ctx, plan)
	if err != nil {
		return "", err
	}
	if err := c.Halt(ctx); err != nil {
		return "", err
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := vm.Wait(wctx); err != nil {
		return "", fmt.Errorf("after halt: %w", err)
	}
	log.Info("golden: the firewall powered off")
	return key, nil
}

// finish writes the compacted image and the key.
func finish(ctx context.Context, disk, key string, out Output, log *slog.Logger) error {
	if err := qemu.Convert(ctx, disk, "qcow2", out.Image); err != nil {
		return err
	}
	if err := os.WriteFile(out.APIKey, []byte(key+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the API key file: %w", err)
	}
	st, err := os.Stat(out.Image)
	if err != nil {
		return err
	}
	log.Info("golden: done", "image", out.Image, "bytes", st.Size(), "api_key_file", out.APIKey)
	return nil
}

// NewDataDisk creates the stand-in's empty data disk: a qcow2 holding an ext4 file system
// of size bytes.
func NewDataDisk(ctx context.Context, path string, size int64) error {
	raw := path + ".raw"
	defer os.Remove(raw)
	if err := makeExt4(ctx, raw, size); err != nil {
		return err
	}
	return qemu.Convert(ctx, raw, "raw", path)
}

// makeExt4 creates an empty ext4 file system image of size bytes.
func makeExt4(ctx context.Context, path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	f.Close()
	mkfs, err := findTool("mkfs.ext4")
	if err != nil {
		return err
	}
	// Fixed UUID and hash seed, no timestamps that vary: the same bytes every build.
	cmd := exec.CommandContext(ctx, mkfs, "-q", "-F", "-L", "standin", "-U", "6b0f5b7e-6a1c-4f3e-9d2a-5e8c1f0a7b3d",
		"-E", "hash_seed=1d4c6e2a-9b7f-4a3e-8c5d-2f1e0b9a8c7d", path)
	cmd.Env = append(os.Environ(), "E2FSPROGS_FAKE_TIME=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("mkfs.ext4 %s: %v: %s", path, err, out)
	}
	return nil
}

// findTool looks on PATH, then in the sbin directories that a strict action PATH omits.
func findTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/sbin", "/sbin"} {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found (install e2fsprogs: tools/bootstrap/install-system-deps.sh)", name)
}

// unpackMemstick copies the memstick image to dst, gunzipping it when compressed.
func unpackMemstick(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("memstick: %w", err)
	}
	defer in.Close()
	var r io.Reader = in
	magic := make([]byte, 2)
	if _, err := io.ReadFull(in, magic); err != nil {
		return fmt.Errorf("memstick %s: %w", src, err)
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(in)
		if err != nil {
			return fmt.Errorf("memstick %s: %w", src, err)
		}
		r = gz
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return fmt.Errorf("unpack memstick: %w", err)
	}
	return out.Close()
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}
