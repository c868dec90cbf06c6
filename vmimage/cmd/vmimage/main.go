// Command vmimage builds golden images over QEMU's serial console, stage by stage, and
// boots them:
//
//	vmimage stage --kind pfsense --stage install --memstick-pin pin.json --out-disk D --out-console C --out-progress P
//	vmimage stage --kind pfsense --stage upgrade --disk PREV.qcow2 --out-disk D ...
//	vmimage build --kind pfsense --memstick-pin pin.json --dir DIR   # every stage, outside Bazel; resumes
//	vmimage memstick --pin pin.json      # download, verify against Netgate, print the pin
//	vmimage boot --manifest appliance.json
//
// The Bazel targets //vmimage:pfsense_installed ... //vmimage:pfsense_golden run one stage
// each (vmimage/defs.bzl).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/golden"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/internal/usercache"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/memstick"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/pfsense"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

const usage = `Usage:
  vmimage stage --kind pfsense|standin --stage STAGE [--disk PREVIOUS.qcow2] --out-disk OUT.qcow2
                --out-console OUT.txt --out-progress OUT.log [--out-api-key OUT.txt]
                [--memstick-pin pin.json] [--kernel F --initrd F] [--no-upgrade --restapi-pkg URL]
  vmimage build --kind pfsense|standin --dir DIR [--memstick-pin pin.json | --memstick IMG]
                [--kernel F --initrd F] [--no-upgrade --restapi-pkg URL]
  vmimage memstick --pin pin.json
  vmimage boot --manifest appliance.json

stage runs one stage of a golden image build (pfsense: install, firstboot, upgrade, golden;
standin: disk, golden). Its console transcript and progress log are written as it runs to
~/.cache/pfsense-mcp/golden-logs/KIND-STAGE/ (tail -F them) and copied to the outputs.
build runs every stage into DIR/<stage>/, skipping those already built.
memstick downloads the memstick, checks it against Netgate's published SHA-256 and prints
the line that pins it in MODULE.bazel.
boot runs an appliance on a throw-away overlay and prints its URL until interrupted.
$PFSENSE_VM_ACCEL=kvm|tcg forces the accelerator.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "vmimage:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(os.Stderr, usage)
		if len(args) == 0 {
			return errors.New("missing command: stage, build, memstick or boot")
		}
		return flag.ErrHelp
	}
	switch args[0] {
	case "stage":
		return stage(ctx, args[1:])
	case "build":
		return build(ctx, args[1:])
	case "memstick":
		return pin(ctx, args[1:])
	case "boot":
		return boot(ctx, args[1:])
	default:
		return fmt.Errorf("unknown command %q: want stage, build, memstick or boot", args[0])
	}
}

func textLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// common are the flags stage and build share.
type common struct {
	kind, memstickPin, memstickFile, kernel, initrd, restAPIPkg, accel string
	noUpgrade                                                          bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.kind, "kind", "", "pfsense or standin")
	fs.StringVar(&c.memstickPin, "memstick-pin", "", "pfsense: the memstick pin (JSON: url, sha256)")
	fs.StringVar(&c.kernel, "kernel", "", "standin: the kernel")
	fs.StringVar(&c.initrd, "initrd", "", "standin: the initramfs")
	fs.BoolVar(&c.noUpgrade, "no-upgrade", false, "pfsense: stay on 2.7.2 (needs --restapi-pkg for 2.7.2)")
	fs.StringVar(&c.restAPIPkg, "restapi-pkg", "", "pfsense: REST API package URL (default: v2.7.1 for 2.8.1)")
	fs.StringVar(&c.accel, "accel", "", "kvm or tcg (default: KVM when it works)")
}

func (c *common) options(log *slog.Logger) (golden.StageOptions, error) {
	if c.accel != "" {
		os.Setenv(qemu.AccelEnv, c.accel)
	}
	if c.noUpgrade && c.restAPIPkg == "" {
		return golden.StageOptions{}, errors.New("--no-upgrade needs --restapi-pkg: a REST API package built for pfSense 2.7.2 (the v2.7.1 package needs 2.8.1)")
	}
	switch c.kind {
	case appliance.KindPfSense, appliance.KindStandin:
	default:
		return golden.StageOptions{}, fmt.Errorf("--kind %q: want %s or %s", c.kind, appliance.KindPfSense, appliance.KindStandin)
	}
	return golden.StageOptions{
		Kind: c.kind, Kernel: c.kernel, Initrd: c.initrd, Logger: log,
		Upgrade: pfsense.UpgradeOptions{NoUpgrade: c.noUpgrade, RESTAPIPackageURL: c.restAPIPkg},
	}, nil
}

// fetchMemstick refuses TCG first (no 400 MB download for a build that cannot run), then
// gets the verified memstick.
func (c *common) fetchMemstick(ctx context.Context, log *slog.Logger, progress io.Writer) (string, error) {
	if _, err := golden.RequireAccel(ctx, golden.QEMU{}, appliance.KindPfSense, log); err != nil {
		return "", err
	}
	if c.memstickFile != "" {
		return c.memstickFile, nil
	}
	if c.memstickPin == "" {
		return "", errors.New("the install stage needs --memstick-pin (or --memstick with build)")
	}
	p, err := memstick.ReadPin(c.memstickPin)
	if err != nil {
		return "", err
	}
	cache, err := memstick.DefaultCache()
	if err != nil {
		return "", err
	}
	file, sum, err := (&memstick.Fetcher{Cache: cache, Logger: log}).Fetch(ctx, p)
	if err != nil {
		return "", err
	}
	if p.SHA256 == "" {
		fmt.Fprintf(progress, "vmimage: the memstick is not pinned; it matches Netgate's published SHA-256. Pin it in MODULE.bazel, pfsense_memstick(...):\n    %s\n", memstick.PinLine(sum))
	}
	return file, nil
}

func stage(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("vmimage stage", flag.ContinueOnError)
	var c common
	c.register(fs)
	st := fs.String("stage", "", "the stage to run")
	disk := fs.String("disk", "", "the previous stage's disk")
	outDisk := fs.String("out-disk", "", "output: the stage's disk (qcow2)")
	outConsole := fs.String("out-console", "", "output: the console transcript")
	outProgress := fs.String("out-progress", "", "output: the progress log")
	outKey := fs.String("out-api-key", "", "output (golden stage): the API key file")
	logDir := fs.String("log-dir", "", "where the transcript and progress log are written as the stage runs (default ~/.cache/pfsense-mcp/golden-logs/KIND-STAGE)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *outDisk == "" || *outConsole == "" || *outProgress == "" {
		return errors.New("--out-disk, --out-console and --out-progress are required")
	}
	cleanup := func() {}
	if *logDir == "" {
		// A directory per run (builds in other workspaces may run the same stage), and
		// KIND-STAGE pointing at the latest, for tail -F.
		dir, err := usercache.Dir()
		if err != nil {
			return err
		}
		base := filepath.Join(dir, "golden-logs")
		*logDir = filepath.Join(base, fmt.Sprintf("%s-%s.%d", c.kind, *st, os.Getpid()))
		if err := os.MkdirAll(*logDir, 0o755); err != nil {
			return err
		}
		link := filepath.Join(base, c.kind+"-"+*st)
		os.Remove(link)
		if err := os.Symlink(filepath.Base(*logDir), link); err != nil {
			return err
		}
		run := *logDir
		cleanup = func() {
			if target, _ := os.Readlink(link); target == filepath.Base(run) {
				os.Remove(link)
			}
			os.RemoveAll(run)
		}
	}
	if err := os.MkdirAll(*logDir, 0o755); err != nil {
		return err
	}
	progressPath := filepath.Join(*logDir, "progress.log")
	progress, err := os.Create(progressPath)
	if err != nil {
		return err
	}
	defer progress.Close()
	w := io.MultiWriter(os.Stderr, progress)
	log := textLogger(w)
	opts, err := c.options(log)
	if err != nil {
		return err
	}
	opts.Stage, opts.Disk = golden.Stage(*st), *disk
	opts.Out = golden.StageOutput{Disk: abs(*outDisk), Console: filepath.Join(*logDir, "console.txt"), APIKey: abs(*outKey)}
	err = func() error {
		if opts.Kind == appliance.KindPfSense && opts.Stage == golden.StageInstall {
			file, err := c.fetchMemstick(ctx, log, w)
			if err != nil {
				return err
			}
			opts.Memstick = file
		}
		return golden.RunStage(ctx, opts)
	}()
	if err != nil {
		fmt.Fprintf(w, "vmimage: %s stage %s FAILED: %v\n", opts.Kind, opts.Stage, err)
		if errors.Is(err, golden.ErrNeedsKVM) {
			cleanup() // nothing ran: no logs to keep
		} else {
			fmt.Fprintf(w, "vmimage: its console transcript and this progress log stay in %s: send console.txt and progress.log with the report (vmimage/README.md).\n", *logDir)
		}
		return errors.New("stage failed (see above)")
	}
	progress.Sync()
	for src, dst := range map[string]string{opts.Out.Console: *outConsole, progressPath: *outProgress} {
		if err := copyFile(src, dst); err != nil {
			return err
		}
	}
	// The outputs have them now; a failed run's logs stay for the report.
	cleanup()
	return nil
}

func build(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("vmimage build", flag.ContinueOnError)
	var c common
	c.register(fs)
	fs.StringVar(&c.memstickFile, "memstick", "", "pfsense: a memstick image already at hand (.img or .img.gz), instead of --memstick-pin")
	dir := fs.String("dir", "", "where each stage's outputs go (DIR/<stage>/)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("--dir is required")
	}
	log := textLogger(os.Stderr)
	opts, err := c.options(log)
	if err != nil {
		return err
	}
	if c.kind == appliance.KindPfSense {
		if _, err := os.Stat(golden.StageOutputs(*dir, golden.StageInstall).Disk); err != nil {
			file, err := c.fetchMemstick(ctx, log, os.Stderr)
			if err != nil {
				return err
			}
			opts.Memstick = file
		}
	}
	return golden.Build(ctx, golden.BuildOptions{StageOptions: opts, Dir: abs(*dir)})
}

func pin(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("vmimage memstick", flag.ContinueOnError)
	pinFile := fs.String("pin", "", "the memstick pin (JSON: url, sha256)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if loc := os.Getenv("PFSENSE_MEMSTICK_PIN_RLOCATION"); *pinFile == "" && loc != "" {
		// bazel run //vmimage:memstick_pin
		f, err := runfiles.Rlocation(loc)
		if err != nil {
			return fmt.Errorf("find the memstick pin %s: %w", loc, err)
		}
		*pinFile = f
	}
	if *pinFile == "" {
		return errors.New("--pin is required")
	}
	p, err := memstick.ReadPin(*pinFile)
	if err != nil {
		return err
	}
	cache, err := memstick.DefaultCache()
	if err != nil {
		return err
	}
	file, sum, err := (&memstick.Fetcher{Cache: cache, Logger: textLogger(os.Stderr)}).Fetch(ctx, p)
	if err != nil {
		return err
	}
	fmt.Printf("%s matches Netgate's published SHA-256 and is cached at %s.\n", p.Name(), file)
	if p.SHA256 == "" {
		fmt.Printf("Pin it in MODULE.bazel, in pfsense_memstick(...):\n    %s\n", memstick.PinLine(sum))
	} else {
		fmt.Println("It is pinned in MODULE.bazel already.")
	}
	return nil
}

func boot(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("vmimage boot", flag.ContinueOnError)
	manifest := fs.String("manifest", "", "appliance manifest (default: $PFSENSE_VM_APPLIANCE_RLOCATION under bazel run)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := textLogger(os.Stderr)
	var m appliance.Manifest
	var err error
	if *manifest != "" {
		m, err = appliance.ReadFile(*manifest)
	} else {
		m, err = appliance.FromEnv()
	}
	if err != nil {
		return err
	}
	r, err := appliance.Boot(ctx, m, appliance.BootOptions{Logger: log})
	if err != nil {
		return err
	}
	defer r.Close()
	fmt.Printf("%s appliance ready: %s (certificate SHA-256 %s); API key in %s\nCtrl-C stops it.\n", m.Kind, r.URL, r.CertFingerprint, m.APIKey)
	select {
	case <-ctx.Done():
	case <-r.VM.Exited():
		fmt.Println("the appliance powered off")
	}
	return nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func abs(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
