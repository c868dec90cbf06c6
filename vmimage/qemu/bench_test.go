package qemu_test

import (
	"context"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/vmimage/qemu"
)

// BenchmarkOverlayCreate compares giving a test its own disk by a qcow2 overlay on the
// golden image with copying the golden image, for a 256 MiB image full of data (the
// pfSense golden image is about 2 GiB). Metrics: ns per overlay, ns per copy, and their
// ratio copy/overlay.
func BenchmarkOverlayCreate(b *testing.B) {
	requireQEMU(b)
	dir := b.TempDir()
	raw := filepath.Join(dir, "data.raw")
	f, err := os.Create(raw)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, 256<<20); err != nil {
		b.Fatal(err)
	}
	f.Close()
	golden := filepath.Join(dir, "golden.qcow2")
	if err := qemu.Convert(context.Background(), raw, "raw", golden); err != nil {
		b.Fatal(err)
	}
	os.Remove(raw)
	b.ResetTimer()

	overlayNs := measure(b, func(i int) {
		p := filepath.Join(dir, "overlay"+strconv.Itoa(i)+".qcow2")
		if err := qemu.CreateOverlay(context.Background(), golden, p); err != nil {
			b.Fatal(err)
		}
		os.Remove(p)
	})
	copyNs := measure(b, func(i int) {
		p := filepath.Join(dir, "copy"+strconv.Itoa(i)+".qcow2")
		if err := copyFile(golden, p); err != nil {
			b.Fatal(err)
		}
		os.Remove(p)
	})
	b.ReportMetric(overlayNs, "overlay-ns/op")
	b.ReportMetric(copyNs, "copy-ns/op")
	b.ReportMetric(copyNs/overlayNs, "copy/overlay")
}

// measure runs f b.N times and returns the mean nanoseconds per call.
func measure(b *testing.B, f func(i int)) float64 {
	b.Helper()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		f(i)
	}
	return float64(time.Since(start).Nanoseconds()) / float64(b.N)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// A copy that is not on disk yet is not a fair comparison.
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
