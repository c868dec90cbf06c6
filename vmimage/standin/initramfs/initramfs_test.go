package initramfs_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"
	"github.com/pfsense-mcp/pfsense-mcp/vmimage/standin/initramfs"
)

type entry struct {
	name string
	mode uint32
	data string
}

// readNewc parses a gzip'ed newc archive the way the kernel does.
func readNewc(t *testing.T, b []byte) []entry {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(gz)
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	off := 0
	align := func() { off = (off + 3) &^ 3 }
	for {
		if string(raw[off:off+6]) != "070701" {
			t.Fatalf("bad magic at %d: %q", off, raw[off:off+6])
		}
		field := func(i int) uint32 {
			v, err := strconv.ParseUint(string(raw[off+6+8*i:off+14+8*i]), 16, 32)
			if err != nil {
				t.Fatal(err)
			}
			return uint32(v)
		}
		mode, size, namesize := field(1), field(6), field(11)
		off += 110
		name := string(raw[off : off+int(namesize)-1])
		off += int(namesize)
		align()
		data := string(raw[off : off+int(size)])
		off += int(size)
		align()
		if name == "TRAILER!!!" {
			return out
		}
		out = append(out, entry{name, mode, data})
	}
}

func TestWriterMakesAKernelReadableArchive(t *testing.T) {
	var buf bytes.Buffer
	w := initramfs.NewWriter(&buf)
	if err := w.File("init", 0o755, []byte("#!init")); err != nil {
		t.Fatal(err)
	}
	if err := w.File("/etc/standin/config.json", 0o644, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Dir("data"); err != nil {
		t.Fatal(err)
	}
	if err := w.File("init", 0o755, nil); err == nil || err.Error() != "initramfs: init added twice" {
		t.Errorf("adding init twice: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := readNewc(t, buf.Bytes())
	want := []entry{
		{"init", 0o100755, "#!init"},
		{"etc", 0o40755, ""},
		{"etc/standin", 0o40755, ""},
		{"etc/standin/config.json", 0o100644, `{"a":1}`},
		{"data", 0o40755, ""},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("archive = %v\nwant      %v", got, want)
	}

	var again bytes.Buffer
	w2 := initramfs.NewWriter(&again)
	w2.File("init", 0o755, []byte("#!init"))
	w2.File("/etc/standin/config.json", 0o644, []byte(`{"a":1}`))
	w2.Dir("data")
	w2.Close()
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("the same entries gave different bytes (the Bazel cache key would change)")
	}
}

// With the real Debian modules (a Bazel data dependency): every module comes after what it
// depends on, and a missing dependency is named.
func TestLoadOrderOfTheStandinModules(t *testing.T) {
	locs := strings.Fields(os.Getenv("MODULES_RLOCATIONS"))
	if len(locs) == 0 {
		t.Skip("$MODULES_RLOCATIONS is not set: run this test with bazel test")
	}
	var paths []string
	for _, loc := range locs {
		p, err := runfiles.Rlocation(loc)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if len(paths) != 14 {
		t.Fatalf("%d modules, want 14", len(paths))
	}
	order, err := initramfs.LoadOrder(paths)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, m := range order {
		pos[m.Name] = i
	}
	for _, dep := range [][2]string{
		{"jbd2", "ext4"}, {"mbcache", "ext4"}, {"crc16", "ext4"},
		{"virtio", "virtio_pci"}, {"virtio_ring", "virtio_pci"}, {"virtio_pci_modern_dev", "virtio_pci"},
		{"virtio", "virtio_blk"},
	} {
		if pos[dep[0]] >= pos[dep[1]] {
			t.Errorf("%s loads after %s, which needs it", dep[0], dep[1])
		}
	}
	var noJBD2 []string
	for _, p := range paths {
		if !strings.HasSuffix(p, "/jbd2.ko") {
			noJBD2 = append(noJBD2, p)
		}
	}
	if _, err := initramfs.LoadOrder(noJBD2); err == nil || err.Error() != "module ext4 depends on jbd2, which is not among the modules given" {
		t.Errorf("LoadOrder without jbd2: %v", err)
	}
}
