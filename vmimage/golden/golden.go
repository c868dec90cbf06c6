// Package golden builds golden images in stages: the real pfSense CE image from the serial
// memstick (installed -> first-booted -> upgraded -> golden) and the stand-in appliance's
// (data disk -> golden), through the same QEMU, console and REST API code. Every stage
// takes the previous stage's disk and leaves a standalone qcow2 and its console transcript;
// the last also leaves the API key file.
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

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/appliance"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// BuildOptions configure Build.
type BuildOptions struct {
	StageOptions // Kind, Memstick, Kernel, Initrd, Upgrade, Packages, Hypervisor, Console, Logger.
	// Dir holds each stage's outputs in Dir/<stage>/: disk.qcow2 (golden.qcow2 and
	// api-key.txt for the last stage) and console.txt.
	Dir string
}

// StageOutputs is where Build puts a stage's outputs under dir.
func StageOutputs(dir string, st Stage) StageOutput {
	d := filepath.Join(dir, string(st))
	if st == StageGolden {
		return StageOutput{Disk: filepath.Join(d, "golden.qcow2"), Console: filepath.Join(d, "console.txt"), APIKey: filepath.Join(d, "api-key.txt")}
	}
	return StageOutput{Disk: filepath.Join(d, "disk.qcow2"), Console: filepath.Join(d, "console.txt")}
}

// Build runs a kind's stages in order outside Bazel, the same RunStage calls the Bazel
// actions make. A stage whose outputs exist is not run again: a failed build resumes at the
// stage that failed.
func Build(ctx context.Context, o BuildOptions) error {
	stages, ok := Stages[o.Kind]
	if !ok {
		return fmt.Errorf("kind %q: want %s or %s", o.Kind, appliance.KindPfSense, appliance.KindStandin)
	}
	if o.Kind == appliance.KindStandin && (o.Kernel == "" || o.Initrd == "") {
		return errors.New("the stand-in needs --kernel and --initrd (bazel-bin/vmimage/standin/initramfs.cpio.gz and the kernel in @debian_kernel)")
	}
	log := logger(o.Logger)
	prev := ""
	for _, st := range stages {
		out := StageOutputs(o.Dir, st)
		if done(out) {
			log.Info("golden: stage already built; resuming after it", "stage", string(st), "disk", out.Disk)
			prev = out.Disk
			continue
		}
		if err := os.MkdirAll(filepath.Dir(out.Disk), 0o755); err != nil {
			return err
		}
		so := o.StageOptions
		so.Stage, so.Disk, so.Out = st, prev, out
		if err := RunStage(ctx, so); err != nil {
			// A half-written disk must not count as done on the next run.
			os.Remove(out.Disk)
			return err
		}
		prev = out.Disk
	}
	return nil
}

func done(out StageOutput) bool {
	for _, f := range []string{out.Disk, out.APIKey} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return true
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
