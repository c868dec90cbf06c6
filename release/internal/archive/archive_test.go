package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"
)

var files = []File{
	{Name: "README.md", Data: []byte("# read me\n")},
	{Name: "pfsense-mcp", Executable: true, Data: bytes.Repeat([]byte("\x7fELF binary "), 1000)},
	{Name: "docs/LICENSE", Data: []byte("MIT\n")},
}

// reversed is files in another order: the archive must not depend on it.
func reversed() []File {
	out := make([]File, len(files))
	for i, f := range files {
		out[len(files)-1-i] = f
	}
	return out
}

type entry struct {
	name  string
	mode  fs.FileMode
	mtime time.Time
	uid   int
	data  string
}

func readTarGz(t *testing.T, b []byte) []entry {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("gzip header has name %q, time %v: want neither", gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		if h.Uname != "" || h.Gname != "" || h.Gid != 0 {
			t.Errorf("%s: owner %q/%q gid %d, want none", h.Name, h.Uname, h.Gname, h.Gid)
		}
		out = append(out, entry{h.Name, h.FileInfo().Mode(), h.ModTime.UTC(), h.Uid, string(data)})
	}
}

func readZip(t *testing.T, b []byte) []entry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, entry{f.Name, f.Mode(), f.Modified.UTC(), 0, string(data)})
	}
	return out
}

func TestArchivesAreReproducibleAndNormalized(t *testing.T) {
	want := []entry{
		{"pfsense-mcp_1_linux_amd64/", fs.ModeDir | 0o755, Epoch, 0, ""},
		{"pfsense-mcp_1_linux_amd64/docs/", fs.ModeDir | 0o755, Epoch, 0, ""},
		{"pfsense-mcp_1_linux_amd64/README.md", 0o644, Epoch, 0, "# read me\n"},
		{"pfsense-mcp_1_linux_amd64/docs/LICENSE", 0o644, Epoch, 0, "MIT\n"},
		{"pfsense-mcp_1_linux_amd64/pfsense-mcp", 0o755, Epoch, 0, string(files[1].Data)},
	}
	for _, tc := range []struct {
		format string
		write  func(io.Writer, string, []File) error
		read   func(*testing.T, []byte) []entry
	}{
		{"tar.gz", WriteTarGz, readTarGz},
		{"zip", WriteZip, readZip},
	} {
		var a, b bytes.Buffer
		if err := tc.write(&a, "pfsense-mcp_1_linux_amd64", files); err != nil {
			t.Fatal(err)
		}
		if err := tc.write(&b, "pfsense-mcp_1_linux_amd64", reversed()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two archives of the same files differ", tc.format)
		}
		got := tc.read(t, a.Bytes())
		if len(got) != len(want) {
			t.Fatalf("%s: entries %v, want %v", tc.format, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: entry %d = %+v, want %+v", tc.format, i, got[i], want[i])
			}
		}
		if a.Len() > len(files[1].Data)/4 {
			t.Errorf("%s: %d bytes for a very repetitive input: not compressed", tc.format, a.Len())
		}
	}
}

func TestFilesOnlyZip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFilesOnlyZip(&buf, files); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range readZip(t, buf.Bytes()) {
		names = append(names, e.name+" "+e.mode.String())
	}
	want := []string{"README.md -rw-r--r--", "docs/LICENSE -rw-r--r--", "pfsense-mcp -rwxr-xr-x"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("entries = %v, want %v: files only, no directory entries", names, want)
	}
}

func TestBadNamesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		dir   string
		files []File
		want  string
	}{
		{"", []File{{Name: "../x"}}, `archive file name "../x": want a clean relative path (no leading /, no . or .. elements)`},
		{"", []File{{Name: "/etc/x"}}, `archive file name "/etc/x": want a clean relative path (no leading /, no . or .. elements)`},
		{"", []File{{Name: "a"}, {Name: "a"}}, `archive file "a" is given twice`},
		{"", []File{{Name: "a"}, {Name: "a/b"}}, `archive path "a" is both a file and a directory`},
		{"x/y", nil, `archive directory "x/y": want one plain name`},
	} {
		if err := WriteTarGz(io.Discard, tc.dir, tc.files); err == nil || err.Error() != tc.want {
			t.Errorf("WriteTarGz(%q, %v) = %v, want %q", tc.dir, tc.files, err, tc.want)
		}
	}
}
