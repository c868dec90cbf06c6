package golden

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/apisetup"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/console"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/pfsense"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// Stage is one step of a golden image build. Each takes the previous stage's disk (read
// only) and leaves a new standalone qcow2, so that a build failing in one stage reruns only
// that stage: under Bazel every stage is its own cached action.
type Stage string

// The stages of the pfSense image, in order: installed disk -> first-booted -> upgraded ->
// golden. The stand-in's are StageDisk -> StageGolden.
const (
	StageInstall   Stage = "install"
	StageFirstBoot Stage = "firstboot"
	StageUpgrade   Stage = "upgrade"
	StageDisk      Stage = "disk"
	StageGolden    Stage = "golden"
)

// Stages lists each kind's stages in order.
var Stages = map[string][]Stage{
	appliance.KindPfSense: {StageInstall, StageFirstBoot, StageUpgrade, StageGolden},
	appliance.KindStandin: {StageDisk, StageGolden},
}

// stageAbout says what a stage does and how long it takes with KVM (seed
// vm/UPGRADE-LEARNINGS.md, "Timing"; the packages were not timed there).
var stageAbout = map[string]map[Stage]string{
	appliance.KindPfSense: {
		StageInstall:   "install pfSense CE 2.7.2 from the memstick (3-5 min)",
		StageFirstBoot: "first boot: interfaces, SSH (2-3 min)",
		StageUpgrade:   "upgrade to 2.8.1 with two reboots, base upgrade, REST API package (15-25 min)",
		StageGolden:    "REST API setup: KeyAuth, an API key, 8 packages, LAN DHCP (5-15 min)",
	},
	appliance.KindStandin: {
		StageDisk:   "an empty ext4 data disk (seconds)",
		StageGolden: "boot the stand-in, KeyAuth and an API key (seconds)",
	},
}

// StageOutput is where a stage writes.
type StageOutput struct {
	Disk    string // the stage's disk: a standalone qcow2.
	Console string // the console transcript.
	APIKey  string // StageGolden: the API key file.
}

// StageOptions configure RunStage.
type StageOptions struct {
	Kind  string // appliance.KindPfSense or appliance.KindStandin
	Stage Stage
	// Disk is the previous stage's disk; none for the first stage.
	Disk string
	// Memstick is the pfSense serial memstick image (.img or .img.gz), for StageInstall.
	Memstick string
	// Kernel and Initrd boot the stand-in.
	Kernel, Initrd string
	// Upgrade: see pfsense.UpgradeOptions.
	Upgrade pfsense.UpgradeOptions
	// Packages the golden stage installs; nil: apisetup.Packages.
	Packages []string
	Out      StageOutput
	// Hypervisor runs the machines; default QEMU.
	Hypervisor Hypervisor
	// Console tunes the console sessions; nil: the real console's pauses.
	Console *console.Options
	Logger  *slog.Logger
}

// KeyDescr describes the API key golden images carry.
const KeyDescr = "pfsense-mcp golden image"

// ErrNeedsKVM is returned when the real image would have to be built under TCG.
var ErrNeedsKVM = errors.New("the real pfSense image needs KVM")

// RunStage runs one stage.
func RunStage(ctx context.Context, o StageOptions) error {
	if o.Hypervisor == nil {
		o.Hypervisor = QEMU{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	about, ok := stageAbout[o.Kind][o.Stage]
	if !ok {
		return fmt.Errorf("stage %q of kind %q: the stages are %v for %s and %v for %s", o.Stage, o.Kind,
			Stages[appliance.KindPfSense], appliance.KindPfSense, Stages[appliance.KindStandin], appliance.KindStandin)
	}
	if o.Out.Disk == "" || o.Out.Console == "" || (o.Stage == StageGolden && o.Out.APIKey == "") {
		return fmt.Errorf("stage %s: the output disk, console transcript and (golden) API key paths are required", o.Stage)
	}
	if o.Stage != Stages[o.Kind][0] && o.Disk == "" {
		return fmt.Errorf("stage %s needs the previous stage's disk", o.Stage)
	}
	log := o.Logger.With("stage", string(o.Stage))
	r := &stageRun{StageOptions: o, log: log, start: time.Now()}
	if o.Stage != StageDisk {
		accel, err := RequireAccel(ctx, o.Hypervisor, o.Kind, log)
		if err != nil {
			return err
		}
		r.accel = accel
	}
	work, err := os.MkdirTemp("", "golden-"+o.Kind+"-"+string(o.Stage)+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	r.work = work
	// The golden stage learns the API key: its transcript is held and redacted.
	t, err := NewTranscript(o.Out.Console, o.Stage != StageGolden)
	if err != nil {
		return err
	}
	r.transcript = t
	log.Info("golden: stage starting", "kind", o.Kind, "what", about, "transcript", o.Out.Console)
	err = r.run(ctx)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s stage %s: %s", o.Kind, o.Stage, t.Redact(err.Error()))
	}
	log.Info("golden: stage done", "took", time.Since(r.start).Round(time.Second), "disk", o.Out.Disk)
	return nil
}

// RequireAccel returns the accelerator the stage's VMs will run with, and refuses TCG for
// the real pfSense image.
func RequireAccel(ctx context.Context, hv Hypervisor, kind string, log *slog.Logger) (qemu.Accel, error) {
	accel, why := hv.Accel(ctx)
	log.Info("golden: accelerator", "accel", accel, "why", why)
	if kind == appliance.KindPfSense && accel != qemu.AccelKVM {
		return accel, fmt.Errorf("%w, and %s. Under TCG its 25 minutes become many hours, where no timeout fits, so the build stops here. "+
			"Build it on a machine where /dev/kvm works (vmimage/README.md); if the KVM probe is wrong, force KVM with --action_env=%s=kvm",
			ErrNeedsKVM, why, qemu.AccelEnv)
	}
	return accel, nil
}

type stageRun struct {
	StageOptions
	log        *slog.Logger
	start      time.Time
	accel      qemu.Accel
	work       string
	transcript *Transcript
}

func (r *stageRun) run(ctx context.Context) error {
	switch {
	case r.Kind == appliance.KindStandin && r.Stage == StageDisk:
		return NewDataDisk(ctx, r.Out.Disk, 256<<20)
	case r.Kind == appliance.KindStandin && r.Stage == StageGolden:
		return r.standinGolden(ctx)
	case r.Stage == StageInstall:
		return r.install(ctx)
	case r.Stage == StageFirstBoot:
		return r.consoleStage(ctx, r.overlayConfig("golden-pfsense-firstboot"), pfsense.FirstBootSteps())
	case r.Stage == StageUpgrade:
		return r.consoleStage(ctx, r.overlayConfig("golden-pfsense-upgrade"), pfsense.UpgradeSteps(r.Upgrade))
	default:
		return r.pfsenseGolden(ctx)
	}
}

// disk is the work disk the stage's VM writes; the stage's output is made from it.
func (r *stageRun) disk() string { return filepath.Join(r.work, "disk.qcow2") }

// overlayConfig prepares a copy-on-write work disk over the previous stage's disk and the
// VM that boots it.
func (r *stageRun) overlayConfig(name string) qemu.Config {
	return qemu.Config{Name: name, MemoryMB: 2048, Drives: []qemu.Drive{{Path: r.disk(), Format: "qcow2"}}, NICs: qemu.PfSenseNICs()}
}

func (r *stageRun) install(ctx context.Context) error {
	if r.Memstick == "" {
		return errors.New("the install stage needs the memstick")
	}
	stick := filepath.Join(r.work, "memstick.img")
	if err := unpackMemstick(r.Memstick, stick); err != nil {
		return err
	}
	if err := r.Hypervisor.CreateDisk(ctx, r.disk(), "4G"); err != nil {
		return err
	}
	cfg := qemu.Config{
		Name: "golden-pfsense-install", MemoryMB: 2048,
		Drives: []qemu.Drive{
			{Path: r.disk(), Format: "qcow2", BootIndex: 2},
			{Path: stick, Format: "raw", USB: true, BootIndex: 1, ReadOnly: true},
		},
		NICs: qemu.PfSenseNICs(),
		// The installer's last step reboots; QEMU ends there instead of booting the
		// memstick again (pfsense.InstallSteps).
		ExtraArgs: []string{"-no-reboot"},
	}
	return r.drive(ctx, cfg, pfsense.InstallSteps())
}

// consoleStage boots the previous stage's disk and runs steps on its console.
func (r *stageRun) consoleStage(ctx context.Context, cfg qemu.Config, steps []console.Step) error {
	if err := r.Hypervisor.CreateOverlay(ctx, r.Disk, r.disk()); err != nil {
		return err
	}
	return r.drive(ctx, cfg, steps)
}

// drive boots cfg, runs steps on its console (starting it again when a reboot turns into a
// power-off), makes sure it powered off, and writes the stage's disk.
func (r *stageRun) drive(ctx context.Context, cfg qemu.Config, steps []console.Step) error {
	cfg.Logger = r.log
	cfg.ConsoleLog = r.transcript
	var m Machine
	defer func() {
		if m != nil {
			m.Close()
		}
	}()
	opts := r.consoleOptions()
	err := console.Drive(ctx, opts, steps, func(ctx context.Context, restart bool) (io.ReadWriter, error) {
		if restart {
			m.Close()
			r.transcript.Note("QEMU exited: the guest powered off instead of rebooting; starting it again on the same disk")
		}
		var err error
		m, err = r.Hypervisor.Start(ctx, cfg)
		if err != nil {
			m = nil
			return nil, err
		}
		return m.Console(), nil
	})
	if err != nil {
		return err
	}
	if err := r.waitOff(ctx, m, 2*time.Minute); err != nil {
		return err
	}
	return r.Hypervisor.Convert(ctx, r.disk(), "qcow2", r.Out.Disk)
}

func (r *stageRun) consoleOptions() console.Options {
	// The real installer's dialogs want 0.5 to 2 s before keys (golden-image.md).
	opts := console.Options{Pause: time.Second, KeyGap: 500 * time.Millisecond}
	if r.Console != nil {
		opts = *r.Console
	}
	opts.Logger = r.log
	opts.Redact = r.transcript.Redact
	return opts
}

// waitOff waits until the machine has gone, so that its disk is complete.
func (r *stageRun) waitOff(ctx context.Context, m Machine, d time.Duration) error {
	select {
	case <-m.Exited():
		r.log.Info("golden: the VM powered off")
		return nil
	case <-time.After(d):
		return fmt.Errorf("the VM did not power off within %v\n--- last console output ---\n%s", d, console.Plain(m.Tail(2000)))
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pfsenseGolden boots the upgraded disk and configures the REST API from the host.
func (r *stageRun) pfsenseGolden(ctx context.Context) error {
	if err := r.Hypervisor.CreateOverlay(ctx, r.Disk, r.disk()); err != nil {
		return err
	}
	packages := r.Packages
	if packages == nil {
		packages = apisetup.Packages
	}
	// Boot to API: 60-90 s after the upgrade (UPGRADE-LEARNINGS.md, "Timing").
	return r.configure(ctx, r.overlayConfig("golden-pfsense"), apisetup.Plan{KeyDescr: KeyDescr, Packages: packages, LANDHCP: true}, 10*time.Minute)
}

func (r *stageRun) standinGolden(ctx context.Context) error {
	if r.Kernel == "" || r.Initrd == "" {
		return errors.New("the stand-in's golden stage needs the kernel and the initramfs")
	}
	if err := r.Hypervisor.CreateOverlay(ctx, r.Disk, r.disk()); err != nil {
		return err
	}
	m := appliance.Manifest{Kind: appliance.KindStandin, Kernel: r.Kernel, Initrd: r.Initrd, MemoryMB: 512}
	// The stand-in answers 2 s after boot with KVM and in about 12 s under TCG.
	return r.configure(ctx, m.VMConfig("golden-standin", r.disk()), apisetup.Plan{KeyDescr: KeyDescr}, 30*time.Second*qemu.TimeoutScale(r.accel))
}

// configure boots cfg, configures the REST API over the WAN port forward, halts the
// firewall, waits for it to power off, and writes the disk and the key.
func (r *stageRun) configure(ctx context.Context, cfg qemu.Config, plan apisetup.Plan, ready time.Duration) error {
	cfg.Logger = r.log
	cfg.ConsoleLog = r.transcript
	m, err := r.Hypervisor.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer m.Close()
	c := apisetup.New("https://127.0.0.1:"+strconv.Itoa(m.HostPort(443)), r.log)
	rctx, cancel := context.WithTimeout(ctx, ready)
	err = c.WaitReady(rctx, 2*time.Second)
	cancel()
	if err != nil {
		return fmt.Errorf("%w\n--- last console output ---\n%s", err, console.Plain(m.Tail(3000)))
	}
	plan.OnKey = r.transcript.AddSecret
	key, err := c.Setup(ctx, plan)
	if err != nil {
		return err
	}
	if err := c.Halt(ctx); err != nil {
		return err
	}
	if err := r.waitOff(ctx, m, 5*time.Minute); err != nil {
		return fmt.Errorf("after halt: %w", err)
	}
	if err := r.Hypervisor.Convert(ctx, r.disk(), "qcow2", r.Out.Disk); err != nil {
		return err
	}
	if err := os.WriteFile(r.Out.APIKey, []byte(key+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the API key file: %w", err)
	}
	return nil
}
