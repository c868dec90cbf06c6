// Command vmimage builds golden images over QEMU's serial console and boots them:
//
//	vmimage build --kind pfsense --memstick M.img.gz --image golden.qcow2 --api-key api-key.txt
//	vmimage build --kind standin --kernel vmlinuz --initrd initramfs.cpio.gz --image golden.qcow2 --api-key api-key.txt
//	vmimage boot --manifest appliance.json      # boots an overlay, prints the URL, runs until Ctrl-C
//
// The Bazel targets //vmimage:pfsense_golden and //vmimage:standin_golden run the build.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/golden"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

const usage = `Usage:
  vmimage build --kind pfsense --memstick FILE --image OUT.qcow2 --api-key OUT.txt [--no-upgrade --restapi-pkg URL]
  vmimage build --kind standin --kernel FILE --initrd FILE --image OUT.qcow2 --api-key OUT.txt
  vmimage boot --manifest appliance.json

build makes a golden image (a standalone qcow2) and the REST API key it carries.
boot runs an appliance on a throw-away overlay and prints its URL until interrupted.
$PFSENSE_VM_ACCEL=kvm|tcg forces the accelerator.
`

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "vmimage:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(os.Stderr, usage)
		if len(args) == 0 {
			return errors.New("missing command: build or boot")
		}
		return flag.ErrHelp
	}
	switch args[0] {
	case "build":
		return build(ctx, args[1:], log)
	case "boot":
		return boot(ctx, args[1:], log)
	default:
		return fmt.Errorf("unknown command %q: want build or boot", args[0])
	}
}

func build(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("vmimage build", flag.ContinueOnError)
	kind := fs.String("kind", "", "pfsense or standin")
	image := fs.String("image", "", "output golden image (qcow2)")
	key := fs.String("api-key", "", "output API key file")
	memstick := fs.String("memstick", "", "pfsense: the serial memstick image (.img or .img.gz)")
	noUpgrade := fs.Bool("no-upgrade", false, "pfsense: stay on 2.7.2 (needs --restapi-pkg for 2.7.2)")
	pkg := fs.String("restapi-pkg", "", "pfsense: REST API package URL (default: v2.7.1 for 2.8.1)")
	kernel := fs.String("kernel", "", "standin: the kernel")
	initrd := fs.String("initrd", "", "standin: the initramfs")
	accel := fs.String("accel", "", "kvm or tcg (default: KVM when it works)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *accel != "" {
		os.Setenv(qemu.AccelEnv, *accel)
	}
	if *image == "" || *key == "" {
		return errors.New("--image and --api-key are required")
	}
	out := golden.Output{Image: abs(*image), APIKey: abs(*key)}
	switch *kind {
	case appliance.KindPfSense:
		if *memstick == "" {
			return errors.New("--kind pfsense needs --memstick")
		}
		return golden.BuildPfSense(ctx, golden.PfSenseOptions{Memstick: *memstick, Out: out, Upgrade: !*noUpgrade, RESTAPIPackage: *pkg, Logger: log})
	case appliance.KindStandin:
		if *kernel == "" || *initrd == "" {
			return errors.New("--kind standin needs --kernel and --initrd")
		}
		return golden.BuildStandin(ctx, golden.StandinOptions{Kernel: *kernel, Initrd: *initrd, Out: out, Logger: log})
	default:
		return fmt.Errorf("--kind %q: want %s or %s", *kind, appliance.KindPfSense, appliance.KindStandin)
	}
}

func boot(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("vmimage boot", flag.ContinueOnError)
	manifest := fs.String("manifest", "", "appliance manifest (default: $PFSENSE_VM_APPLIANCE_RLOCATION under bazel run)")
	if err := fs.Parse(args); err != nil {
		return err
	}
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

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
