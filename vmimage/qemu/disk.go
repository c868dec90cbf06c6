package qemu

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// CreateDisk creates an empty qcow2 disk of the given size ("4G").
func CreateDisk(ctx context.Context, path, size string) error {
	return qemuImg(ctx, "create disk "+path, "create", "-q", "-f", "qcow2", path, size)
}

// CreateOverlay creates a qcow2 overlay of base at path: the VM writes to the overlay and
// base (the golden image, possibly read-only) never changes. Creating it costs a few
// hundred KiB whatever base's size.
func CreateOverlay(ctx context.Context, base, path string) error {
	abs, err := filepath.Abs(base)
	if err != nil {
		return err
	}
	// Runfiles are symlinks; the overlay records the real file.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return qemuImg(ctx, "create overlay "+path+" of "+base, "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", abs, path)
}

// Convert writes src (any format qemu-img reads) as a standalone, compacted qcow2 at dst:
// backing files are folded in.
func Convert(ctx context.Context, src, srcFormat, dst string) error {
	return qemuImg(ctx, "convert "+src+" to "+dst, "convert", "-q", "-f", srcFormat, "-O", "qcow2", src, dst)
}

// BackingFile returns the backing file recorded in a qcow2 image, or "".
func BackingFile(ctx context.Context, path string) (string, error) {
	out, err := exec.CommandContext(ctx, ImgBinary, "info", "-U", path).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("qemu-img info %s: %v: %s", path, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "backing file: "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", nil
}

func qemuImg(ctx context.Context, what string, args ...string) error {
	if _, err := exec.LookPath(ImgBinary); err != nil {
		return fmt.Errorf("%s: %s not found: %w", what, ImgBinary, ErrNotInstalled)
	}
	out, err := exec.CommandContext(ctx, ImgBinary, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: qemu-img: %v: %s", what, err, strings.TrimSpace(string(out)))
	}
	return nil
}
